"""``deltanet report``: rebuild the sheet report from stored results (never trains)."""

import sys

from deltanet.experiments.definitions import DEFAULT_OUT
from deltanet.i18n import LANGUAGES


def register(subparsers):
    p = subparsers.add_parser(
        "report", help="write report.html and report.md from stored results",
        description="Rebuild DIR/report.html (one self-contained page: figures embedded, "
                    "no network access, prints with one task per page) and DIR/report.md "
                    "from the results that 'deltanet sheet --out DIR' stored. Nothing is "
                    "trained; parts that were not run are marked with the command that "
                    "produces them.")
    p.add_argument("out", metavar="DIR", nargs="?", default=DEFAULT_OUT,
                   help="results folder (default: ./%(default)s)")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of headings, labels, answers and figures (default: en); "
                        "other languages write DIR/report.LANG.html and .md, next to the "
                        "English report")
    p.set_defaults(func=run)


def run(args):
    from deltanet.i18n import t
    from deltanet.report import build_report, save_report
    report = build_report(args.out, lang=args.lang)
    path = save_report(report, args.out)
    gaps = [s.label for s in report.sections if not s.complete]
    print(t("cli_report_wrote", args.lang, html=str(path), md=str(path.with_suffix(".md"))))
    if gaps:
        print(t("cli_report_gaps", args.lang, parts=", ".join(gaps)))
    for problem in report.damaged:      # the report is written; exit 2 says what to fix
        print(f"deltanet report: error: {problem}", file=sys.stderr)
    return 2 if report.damaged else 0
