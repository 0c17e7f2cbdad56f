"""Entry point of the ``deltanet`` command.

Each command group is a module in this package with ``register(subparsers)``
that adds its sub-commands; each sub-command sets ``func(args) -> int``.
Errors from the library that are the user's to fix (bad values, missing
files) are printed as one line, with exit code 2, instead of a traceback
(set ``DELTANET_DEBUG=1`` to see the traceback).
"""

import argparse
import importlib
import os
import sys

from deltanet import __version__

# Command groups, in the order ``deltanet --help`` lists them.
COMMAND_MODULES = ["train", "complex", "experiments", "gradients", "report"]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="deltanet",
        description="Fast, exact sigmoid networks for the network2 exercise sheet "
                    "(tasks 25, 26 and the complex-valued tutorial task).",
        epilog="Run 'deltanet COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"deltanet {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"deltanet.cli.{name}").register(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except (ValueError, TypeError, FileNotFoundError, NotADirectoryError,
            IsADirectoryError, PermissionError) as exc:
        if os.environ.get("DELTANET_DEBUG"):
            raise
        print(f"deltanet {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
