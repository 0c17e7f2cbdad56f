"""``python -m deltanet`` and the ``deltanet`` console script."""

import sys


def main():
    """Run the command line. A Ctrl-C while it is still being imported or set up (before
    the command's own handling, which says what was kept) ends with one line and exit
    130, not with a traceback."""
    try:
        from deltanet.cli.main import main as run
        return run()
    except KeyboardInterrupt:
        print("deltanet: interrupted while starting; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
