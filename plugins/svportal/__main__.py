import sys

from .build import main

if __name__ == "__main__":  # chart rendering workers import this module again: do nothing then
    sys.exit(main())
