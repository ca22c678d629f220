"""`python -m rocksearch_cli` runs the same command line as `rocksearch`."""

import sys

from rocksearch_cli import main

sys.exit(main())
