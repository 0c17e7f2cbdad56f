"""``deltanet complex``: the tutorial task (complex-valued backprop) in numbers."""

import argparse
import sys

from deltanet.i18n import LANGUAGES


def register(subparsers):
    p = subparsers.add_parser(
        "complex", help="complex-valued networks: gradient check, a complex task, MNIST",
        description="The sheet's tutorial task: backpropagation with Wirtinger derivatives "
                    "for networks with complex weights and the holomorphic sigmoid. Prints "
                    "(1) the gradient check against finite differences (Re and Im parts), "
                    "(2) a complex network vs a real one with the same number of real "
                    "parameters on a holomorphic fitting task, (3) MNIST with complex "
                    "weights vs the real network, with the distances to the sigmoid's "
                    "poles. Writes OUT/complex/results.json and figures (PNG, SVG).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out", default="deltanet-out", help="output directory")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the printed summary and the figures")
    p.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    p.add_argument("--replot", "--plot-only", dest="replot", action="store_true",
                   help="redraw figures and summary from OUT/complex/results.json "
                        "without computing")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def run(args):
    from deltanet.cli import reading_results
    from deltanet.experiments.complex_task import (format_complex_summary,
                                                   load_complex_results, run_complex)
    from deltanet.plots.complex import plot_complex

    with reading_results(args.out, "complex", args.replot):
        if args.replot:
            results = load_complex_results(args.out)
            plot_complex(results, args.out, lang=args.lang)
        else:
            try:
                results = run_complex(args.out, lang=args.lang, quick=args.quick,
                                      progress=not args.quiet)
            except KeyboardInterrupt:
                print(f"interrupted: the finished parts are in {args.out}/complex/results.json "
                      "('deltanet complex --replot' shows them)", file=sys.stderr)
                return 130
        print(format_complex_summary(results, args.lang, out_dir=args.out))
        return 0 if results.get("gradient_check", {}).get("passed", True) else 1
