"""Entry point of the ``deltanet`` command.

Each command group is a module in this package with ``register(subparsers)``
that adds its sub-commands; each sub-command sets ``func(args) -> int``.
Every error is one line, never a traceback (set ``DELTANET_DEBUG=1`` to see
it): exit code 2 for what the user can fix (bad values, missing files), 1 for
faults (a full disk, a bug), 130 for Ctrl-C, 143 for SIGTERM (handled as Ctrl-C),
141 when the reader of the output goes away (``deltanet list | head -1``).
"""

import _thread
import argparse
import contextlib
import errno
import functools
import importlib
import os
import re
import signal
import sys
import time

from deltanet import __version__
from deltanet.cli import HelpFormatter

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
    for command in subparsers.choices.values():
        command.formatter_class = HelpFormatter
    return parser


#: Errors that are the user's to fix (exit 2); other ``OSError`` s are faults
#: of the machine, like a full disk (exit 1).
BAD_INPUT = (ValueError, TypeError, LookupError, MemoryError, OverflowError, RecursionError,
             FileNotFoundError, FileExistsError, NotADirectoryError, IsADirectoryError,
             PermissionError)


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    terminated = []

    def terminate(signum, frame):       # SIGTERM (kill PID): stop as Ctrl-C does, exit 143
        terminated.append(signum)
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, terminate)
    hook = sys.unraisablehook
    sys.unraisablehook = functools.partial(_redeliver_ctrl_c, hook)
    try:
        code = _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)   # (None: not set by Python)
        sys.unraisablehook = hook
    return 128 + signal.SIGTERM if terminated and code == 130 else code


def _redeliver_ctrl_c(hook, unraisable):
    """Python reports a Ctrl-C (or SIGTERM) that lands in a garbage-collection callback
    as "Exception ignored" and goes on; deliver it again, to the code that runs next."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        return hook(unraisable)
    handled = callable(signal.getsignal(signal.SIGINT))     # not in a background job
    # from another thread, a moment later: raised in this hook it would be ignored again
    _thread.start_new_thread(_interrupt_soon, (signal.SIGINT if handled else signal.SIGTERM,))


def _interrupt_soon(signum):
    time.sleep(0.01)
    _thread.interrupt_main(signum)


def _run(args):
    try:
        code = args.func(args)
        sys.stdout.flush()          # a closed pipe shows here, not in Python's exit
        return code
    except BrokenPipeError:         # the reader left: stop quietly, as `yes | head` does
        with contextlib.suppress(OSError, ValueError):      # (Python flushes stdout at exit)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt as exc:
        text = str(exc) if "saved" in str(exc) else (
            f"{str(exc) or 'interrupted'}; every file written so far is complete (atomic "
            "writes); run the same command again to finish")
        print(f"deltanet {args.command}: {text}", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("DELTANET_DEBUG"):
            raise
        code = 2 if isinstance(exc, BAD_INPUT) else 1
        kind = "" if code == 2 and isinstance(exc, (ValueError, OSError)) else \
            f"{type(exc).__name__}: "
        hint = "" if code == 2 else " (set DELTANET_DEBUG=1 for the traceback)"
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):      # a full disk
            kind, hint = "", ("; free some space and run the same command again (the files "
                              "written before are complete)")
        text = str(exc)
        if hasattr(args, "dtype"):      # the library's advice dtype='float64' is an option here
            text = re.sub(r"\bdtype='(\w+)'", r"--dtype \1", text)
        print(f"deltanet {args.command}: error: {kind}{text}{hint}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
