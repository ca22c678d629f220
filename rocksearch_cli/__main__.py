"""`python -m rocksearch_cli` runs the same command line as `rocksearch`."""

from rocksearch_cli import run

run()
