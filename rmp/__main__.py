from rmp.entry import main

main()
