"""The commands of the `rmp` command line, one module per group: each function declares
its options, calls a job in `rmp.app` and prints the outcome (`rmp/cli.py` registers them)."""
