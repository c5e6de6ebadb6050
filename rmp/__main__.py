from rmp.cli import main

main()
