"""``python -m sim``: the same command line as ``commsim``."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
