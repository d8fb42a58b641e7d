"""Entry point: ``python build.py [build|check] [--root DIR] [--out DIR] [--today YYYY-MM-DD] [--strict]``."""

import sys

from disclosure_site.cli import main

if __name__ == "__main__":
    sys.exit(main())
