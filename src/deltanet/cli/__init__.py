"""The ``deltanet`` command line: one module per command group.

Command modules import the library inside their command functions, so that
``deltanet --help`` loads no NumPy (a test checks ``sys.modules``).
"""

import argparse
from pathlib import Path

from deltanet.experiments.definitions import DEFAULT_OUT
from deltanet.i18n import LANGUAGES


class HelpFormatter(argparse.HelpFormatter):
    """The help of every command: descriptions wrapped line by line (their examples keep
    their lines), and "(default: X)" after an option's help where it has a default that the
    help does not state yet (not None or False)."""

    def _fill_text(self, text, width, indent):
        return "\n".join(super(HelpFormatter, self)._fill_text(line, width, indent)
                         for line in text.splitlines())

    def _get_help_string(self, action):
        text, default = action.help or "", action.default
        if not action.option_strings or default is None or default is False \
                or default == argparse.SUPPRESS or "(default" in text or "%(default)" in text:
            return text
        return f"{text} (default: %(default)s)"


def add_part_options(p, part):
    """The options of ``deltanet gradients`` and ``complex``."""
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help=f"output root; files go to DIR/{part}/")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the printed summary and the figures")
    p.add_argument("--quick", action="store_true", help="tiny sizes (seconds; a smoke test)")
    p.add_argument("--replot", "--plot-only", dest="replot", action="store_true",
                   help=f"redraw the figures and reprint the summary from DIR/{part}/"
                        "results.json without computing")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bars (the answers are still printed)")


def run_part(args, part, options):
    """``deltanet gradients`` and ``complex``: compute ``part`` (a
    :class:`~deltanet.experiments.execution.SidePart`; ``options()``: its own keywords) or,
    with ``--replot``, redraw its stored results; print the answers. Refuses an ``--out``
    the file system cannot take, or one part's folder (``OUT/part``), before any work; with
    ``--replot``, what a damaged or edited ``results.json`` raises when drawn or printed (a
    missing key, a text for a number) becomes a ``ValueError`` naming the file."""
    from deltanet.limits import check_path
    from deltanet.report import check_results_folder
    check_path("--out", Path(args.out))
    check_results_folder(args.out, part.name, *(["--replot"] if args.replot else []), "--out")
    try:
        if args.replot:
            results = part.load(args.out)
            part.redraw(results, args.out, lang=args.lang)
        else:
            results = part.run(args.out, lang=args.lang, quick=args.quick, **options())
        print(part.summary(results, args.lang, out_dir=args.out))
        return 0 if part.passed(results) else 1
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        if not args.replot:
            raise
        raise ValueError(part.damaged(args.out, exc)) from None
