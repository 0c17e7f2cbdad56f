"""``deltanet gradients``: task 26 (unstable gradients), numbers, figures, answers."""

import sys

from deltanet.cli import add_part_options, run_part


def register(subparsers):
    p = subparsers.add_parser(
        "gradients", help="task 26: sigma' bound, interval length, log-normal Q, "
                          "vanishing and exploding gradients",
        description="Task 26 of the sheet, computed and checked: (a) 0 <= sigma' <= 1/4, "
                    "(b) the interval length L(|w|), its maximum and how often "
                    "|w sigma'(z)| >= 1 in trained networks, (c) the log-normal moments of Q "
                    "against exact moments and Monte Carlo, and per-layer ||nabla_b|| in deep "
                    "networks (vanishing) and with tuned large weights (exploding). Writes "
                    "DIR/gradients/results.json and figures, then prints the answers.")
    add_part_options(p, "gradients")
    p.add_argument("--seeds", nargs="+", default=[0, 1, 2], metavar="SPEC",
                   help="seeds of the networks, e.g. 0 1 2, 0..2 or 0,1,2 (results are "
                        "averaged over them); the first also seeds the Monte Carlo")
    p.set_defaults(func=run)


def run(args):
    from deltanet.experiments.gradients import side_part
    from deltanet.limits import parse_seeds
    return run_part(args, side_part(), lambda: dict(
        seeds=[seed for spec in args.seeds for seed in parse_seeds(spec)],
        progress=not args.quiet and sys.stderr.isatty()))
