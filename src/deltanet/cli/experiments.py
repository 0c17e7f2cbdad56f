"""Task 25 commands: ``deltanet sheet``, ``run``, ``plot``, ``list`` and ``sweep``.

Each parses its options and calls one function of :mod:`deltanet.experiments.sheet`.
"""

from deltanet.experiments.definitions import (DEFAULT_OUT, DEFAULT_SEED, EXPERIMENTS, PARAMETERS,
                                              parse_grid, parse_seeds, parse_value)
from deltanet.i18n import LANGUAGES


# ------------------------------------------------------------ options --

def _add_common(p):
    """The options of 'sheet', 'run' and 'sweep': output, execution, seeds."""
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help="results folder (default: ./%(default)s); the sheet writes DIR/task25, "
                        "DIR/gradients, DIR/complex and the report, 'run' and 'sweep' their "
                        "own set DIR/runs/NAME/ (never the sheet's files)")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of figures and conclusions")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local worker processes (default: one per core; 0: run here, serially)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on an existing Dask cluster (tcp://host:8786) instead of local "
                        "processes; needs the 'dask' extra and a file system shared with "
                        "the workers for checkpoints")
    p.add_argument("--force", action="store_true",
                   help="retrain runs whose results are already stored (sheet: also compute task "
                        "26 and the complex task again)")
    p.add_argument("--quiet", action="store_true", help="no progress bars, no per-run lines")
    p.add_argument("--checkpoint-seconds", type=float, default=1.0, metavar="S",
                   help="save a running run at most every S seconds (0: every epoch); "
                        "Ctrl-C saves the finished epochs (not of --as-original runs: "
                        "network2 has no checkpoint, they start again)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--seed", default=None, metavar="N",
                       help=f"seed of initialization and shuffling (default: {DEFAULT_SEED})")
    group.add_argument("--seeds", default=None, metavar="SPEC",
                       help="several seeds, e.g. 1..5 or 1,2,3: one run each; figures show "
                            "the mean with a min-max band, tables mean and std")
    p.add_argument("--as-original", action="store_true",
                   help="train through deltanet.compat.network2 (the course's code semantics: "
                        "float64, Python-random shuffling) to reproduce its numbers exactly")


#: (option, metavar, help) of the parameters ``run`` and ``sweep`` override
OVERRIDES = (
    ("--epochs", "N", "passes over the training data"), ("--eta", "X", "learning rate"),
    ("--lmbda", "X", "L2 regularization parameter"),
    ("--mini-batch-size", "N", "samples per gradient step"),
    ("--train-size", "N", "use the first N training images (at most 50,000)"),
    ("--init", "NAME", "large: N(0, 1) weights (the experiments' default, as in the book) or "
                       "default: N(0, 1/n_in)"),
    ("--cost", "NAME", "quadratic or cross-entropy"),
    ("--dtype", "NAME", "float32 (fast, default) or float64"),
    ("--sizes", "784,...,10", "layer widths"))


def _add_overrides(p):
    g = p.add_argument_group("overrides (apply to every run of the experiment)",
                             "without one, each experiment keeps its sheet value "
                             "(see 'deltanet list')")
    for option, metavar, text in OVERRIDES:
        g.add_argument(option, metavar=metavar, help=text)


def register(subparsers):
    p = subparsers.add_parser(
        "sheet", help="run the whole exercise sheet: task 25 (+ 26, complex task, report)",
        description="Run all of task 25 (25a: two runs of 30 epochs on 50,000 images; 25b "
                    "and 25c: 400 epochs on 1,000 images; all four monitors on, evaluated "
                    "on the 10,000 test images) in parallel on all cores, store every run, "
                    "draw the figures, print a table and the conclusions; then task 26, the "
                    "complex-valued task and the report, where available. Stored complete "
                    "runs are reused, interrupted ones resumed.")
    _add_common(p)
    p.add_argument("--dtype", choices=["float32", "float64"], default=None,
                   help="precision of task 25's runs (default float32)")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: few epochs and small slices (also passed to the other parts)")
    p.add_argument("--skip", default="", metavar="PARTS",
                   help="comma-separated parts to leave out: task25, gradients, complex, "
                        "report")
    p.add_argument("--explore", action="store_true",
                   help="also sweep the overfitting setup (lmbda 0, 0.01, 0.1, 1, 5 x 1,000 and "
                        "5,000 training images) into DIR/runs/sweep-overfitting for the "
                        "report's explorer")
    p.add_argument("--explore-epochs", type=int, default=None, metavar="N",
                   help="epochs of each --explore run (default: 400; with --quick the "
                        "experiment's --quick epochs)")
    p.set_defaults(func=cmd_sheet)

    p = subparsers.add_parser(
        "run", help="run task-25 experiments (see 'deltanet list') with any value overridden",
        description="Run one or more task-25 experiments into their own output set "
                    "OUT/runs/NAME/ (runs, results.json, summary.json, figures; the sheet's "
                    "files in OUT are never modified) and print the numbers and conclusions."
                    "\n\nexample: deltanet run overfitting --epochs 100 --seeds 1..3")
    p.add_argument("experiments", nargs="+", metavar="NAME", help=", ".join(EXPERIMENTS))
    _add_common(p)
    _add_overrides(p)
    p.add_argument("--quick", action="store_true", help="the experiments' smoke-test sizes")
    p.add_argument("--name", default=None, metavar="NAME",
                   help="name of the output set OUT/runs/NAME (default: the experiment names "
                        "joined by '+')")
    p.set_defaults(func=cmd_run)

    p = subparsers.add_parser(
        "plot", help="redraw figures from stored results (no training)",
        description="Redraw figures from stored results without training. TARGET is a "
                    "results folder (OUT or OUT/task25), its results.json (all task-25 "
                    "figures, summary.json and conclusions are rewritten), a single run file "
                    "(OUT/task25/runs/ID.json: the figures of its experiment from that run "
                    "alone, into OUT/task25/figures/runs/ID/) "
                    "or a sweep file (OUT/runs/sweep-NAME/task25/sweeps/NAME-ID.json).")
    p.add_argument("target", metavar="TARGET")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the figures and the printed conclusions")
    p.set_defaults(func=cmd_plot)

    p = subparsers.add_parser(
        "list", help="list the task-25 experiments and their defaults",
        description="List the task-25 experiments (names for 'deltanet run' and 'deltanet "
                    "sweep'), their defaults from the sheet, their runs and --quick sizes.")
    p.set_defaults(func=cmd_list)

    p = subparsers.add_parser(
        "sweep", help="run an experiment over a parameter grid and several seeds",
        description="Run experiment NAME for every combination of the grid values and every "
                    "seed (each run stored like 'deltanet run'), then draw the final and peak "
                    "test accuracy per grid point (mean, min-max over the seeds).\n\n"
                    "example: deltanet sweep overfitting --grid eta=0.1,0.5,1 lmbda=0,0.1,1 "
                    "--seeds 1..5 --epochs 60\nkeys: " + ", ".join(PARAMETERS))
    p.add_argument("experiment", metavar="NAME", help=", ".join(EXPERIMENTS))
    p.add_argument("--grid", nargs="+", required=True, metavar="KEY=V1,V2",
                   help="grid values per parameter")
    _add_common(p)
    _add_overrides(p)
    p.add_argument("--quick", action="store_true", help="start from the smoke-test sizes")
    p.set_defaults(func=cmd_sweep)


# ------------------------------------------------------------ commands --

def _execution(args):
    """The keywords of the options 'sheet', 'run' and 'sweep' share, and the overrides."""
    seeds = (parse_seeds(args.seeds) if args.seeds is not None else [DEFAULT_SEED]
             if args.seed is None else parse_seeds(args.seed, "--seed"))
    overrides = {key: parse_value(key, getattr(args, key)) for key in PARAMETERS
                 if getattr(args, key, None) is not None}
    return dict(workers=args.workers, scheduler=args.scheduler, force=args.force,
                checkpoint_seconds=args.checkpoint_seconds, progress=not args.quiet,
                as_original=args.as_original, seeds=seeds, echo=print, **overrides)


def cmd_list(args):
    from deltanet.experiments.sheet import list_experiments
    print(list_experiments())
    return 0


def cmd_run(args):
    from deltanet.experiments.sheet import run_experiment
    return run_experiment(args.experiments, out=args.out, lang=args.lang, quick=args.quick,
                          set_name=args.name, **_execution(args)).code


def cmd_sheet(args):
    from deltanet.experiments.sheet import run_sheet
    from deltanet.report import check_results_folder
    check_results_folder(args.out, "sheet", "--out")
    skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    return run_sheet(args.out, lang=args.lang, quick=args.quick, skip=skip,
                     explore=args.explore, explore_epochs=args.explore_epochs,
                     **_execution(args)).code


def cmd_plot(args):
    from deltanet.experiments.sheet import replot
    return replot(args.target, args.lang).code


def cmd_sweep(args):
    from deltanet.experiments.sheet import run_sweep
    return run_sweep(args.experiment, parse_grid(args.grid), out=args.out, lang=args.lang,
                     quick=args.quick, **_execution(args)).code
