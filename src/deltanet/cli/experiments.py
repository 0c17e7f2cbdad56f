"""Task 25 commands: ``deltanet sheet``, ``run``, ``plot``, ``list`` and ``sweep``.

``sheet`` runs all of task 25 (and, where installed, the other parts of the
sheet and the report); ``run`` one experiment with any value overridden;
``plot`` redraws figures (and the summary) from stored results; ``list``
shows the experiments; ``sweep`` runs a parameter grid on local cores or a
Dask cluster. Results go to ``--out`` (default ``./deltanet-out``), task 25's
part to ``OUT/task25/``.
"""

import argparse
import hashlib
import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

from deltanet.experiments.definitions import (DEFAULT_SEED, EXPERIMENTS, PARAMETERS, expand,
                                              get_experiment, parse_grid, parse_seeds,
                                              parse_value, grid_points)

DEFAULT_OUT = "deltanet-out"
SHEET_PARTS = {"gradients": "task 26 (unstable gradients)",
               "complex": "tutorial task (complex-valued backprop)",
               "report": "the report"}
EXIT_INTERRUPTED = 130


# ------------------------------------------------------------ options --

def _add_output(p, lang=True):
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR",
                   help="results folder; task 25 goes to DIR/task25 (default: ./%(default)s)")
    if lang:
        p.add_argument("--lang", choices=["en", "de"], default="en",
                       help="language of figures and conclusions")


def _add_execution(p):
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="local worker processes (default: one per core; 0: run here, serially)")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on an existing Dask cluster (tcp://host:8786) instead of local "
                        "processes; needs the 'dask' extra and a file system shared with "
                        "the workers for checkpoints")
    p.add_argument("--force", action="store_true",
                   help="retrain runs whose results are already stored")
    p.add_argument("--quiet", action="store_true", help="no progress bars, no per-run lines")
    p.add_argument("--checkpoint-seconds", type=float, default=1.0, metavar="S",
                   help="save a running run at most every S seconds (0: every epoch); "
                        "Ctrl-C always saves the finished epochs")


def _add_seeds(p):
    group = p.add_mutually_exclusive_group()
    group.add_argument("--seed", default=None, metavar="N",
                       help=f"seed of initialization and shuffling (default: {DEFAULT_SEED})")
    group.add_argument("--seeds", default=None, metavar="SPEC",
                       help="several seeds, e.g. 1..5 or 1,2,3: one run each; figures show "
                            "the mean with a min-max band, tables mean and std")
    p.add_argument("--as-original", action="store_true",
                   help="train through deltanet.compat.network2 (the course's code semantics: "
                        "float64, Python-random shuffling) to reproduce its numbers exactly")


def _add_overrides(p):
    g = p.add_argument_group("overrides (apply to every run of the experiment)")
    g.add_argument("--epochs", metavar="N")
    g.add_argument("--eta", metavar="X", help="learning rate")
    g.add_argument("--lmbda", metavar="X", help="L2 regularization parameter")
    g.add_argument("--mini-batch-size", metavar="N")
    g.add_argument("--train-size", metavar="N",
                   help="use the first N training images (at most 50,000)")
    g.add_argument("--init", metavar="NAME",
                   help="large: N(0, 1) weights (the experiments' default, as in the book) or "
                        "default: N(0, 1/n_in)")
    g.add_argument("--cost", metavar="NAME", help="quadratic or cross-entropy")
    g.add_argument("--dtype", metavar="NAME", help="float32 (fast, default) or float64")
    g.add_argument("--sizes", metavar="784,...,10", help="layer widths")


def _overrides(args):
    values = {}
    for key in PARAMETERS:
        text = getattr(args, key, None)
        if text is not None:
            values[key] = parse_value(key, text)
    return values


def _seeds(args):
    if getattr(args, "seeds", None) is not None:
        return parse_seeds(args.seeds)
    if getattr(args, "seed", None) is not None:
        return parse_seeds(args.seed)
    return [DEFAULT_SEED]


def _check_as_original(args):
    if getattr(args, "as_original", False):
        try:
            importlib.import_module("deltanet.compat.network2")
        except ImportError as exc:
            raise ValueError(f"--as-original needs deltanet.compat.network2 ({exc})") from None


def _check_execution(args):
    if args.workers is not None and args.workers < 0:
        raise ValueError(f"--workers must be >= 0; got {args.workers}")
    if not args.checkpoint_seconds >= 0:
        raise ValueError(f"--checkpoint-seconds must be >= 0; got {args.checkpoint_seconds}")


def register(subparsers):
    formatter = argparse.RawDescriptionHelpFormatter
    p = subparsers.add_parser(
        "sheet", help="run the whole exercise sheet: task 25 (+ 26, complex task, report)",
        formatter_class=formatter,
        description="Run all of task 25 (25a: two runs of 30 epochs on 50,000 images; 25b "
                    "and 25c: 400 epochs on 1,000 images; all four monitors on, evaluated "
                    "on the 10,000 test images) in parallel on all cores, store every run, "
                    "draw the figures, print a table and the conclusions; then task 26, the "
                    "complex-valued task and the report, where available. Stored complete "
                    "runs are reused, interrupted ones resumed.")
    _add_output(p)
    _add_execution(p)
    _add_seeds(p)
    p.add_argument("--dtype", choices=["float32", "float64"], default=None,
                   help="precision of task 25's runs (default float32)")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: few epochs and small slices (also passed to the other parts)")
    p.add_argument("--skip", default="", metavar="PARTS",
                   help="comma-separated parts to leave out: task25, "
                        + ", ".join(SHEET_PARTS))
    p.set_defaults(func=cmd_sheet)

    p = subparsers.add_parser(
        "run", help="run task-25 experiments (see 'deltanet list') with any value overridden",
        formatter_class=formatter,
        description="Run one or more task-25 experiments, store the runs in OUT/task25/runs, "
                    "update OUT/task25/results.json and summary.json, draw the figures and "
                    "print the numbers.\n\nexample: deltanet run overfitting --epochs 100 "
                    "--seeds 1..3")
    p.add_argument("experiments", nargs="+", metavar="NAME", help=", ".join(EXPERIMENTS))
    _add_output(p)
    _add_execution(p)
    _add_seeds(p)
    _add_overrides(p)
    p.add_argument("--quick", action="store_true", help="the experiments' smoke-test sizes")
    p.set_defaults(func=cmd_run)

    p = subparsers.add_parser(
        "plot", help="redraw figures from stored results (no training)",
        description="Redraw figures from stored results without training. TARGET is a "
                    "results folder (OUT or OUT/task25), its results.json (all task-25 "
                    "figures, summary.json and conclusions are rewritten), a single run file "
                    "(OUT/task25/runs/ID.json: the figures of its experiment from that run "
                    "alone, into OUT/task25/figures/runs/ID/) "
                    "or a sweep file (OUT/task25/sweeps/NAME-ID.json).")
    p.add_argument("target", metavar="TARGET")
    p.add_argument("--lang", choices=["en", "de"], default="en")
    p.set_defaults(func=cmd_plot)

    p = subparsers.add_parser(
        "list", help="list the task-25 experiments and their defaults",
        description="List the task-25 experiments (names for 'deltanet run' and 'deltanet "
                    "sweep'), their defaults from the sheet, their runs and --quick sizes.")
    p.set_defaults(func=cmd_list)

    p = subparsers.add_parser(
        "sweep", help="run an experiment over a parameter grid and several seeds",
        formatter_class=formatter,
        description="Run experiment NAME for every combination of the grid values and every "
                    "seed (each run stored like 'deltanet run'), then draw the final and peak "
                    "test accuracy per grid point (mean, min-max over the seeds).\n\n"
                    "example: deltanet sweep overfitting --grid eta=0.1,0.5,1 lmbda=0,0.1,1 "
                    "--seeds 1..5 --epochs 60\nkeys: " + ", ".join(PARAMETERS))
    p.add_argument("experiment", metavar="NAME", help=", ".join(EXPERIMENTS))
    p.add_argument("--grid", nargs="+", required=True, metavar="KEY=V1,V2",
                   help="grid values per parameter")
    _add_output(p)
    _add_execution(p)
    _add_seeds(p)
    _add_overrides(p)
    p.add_argument("--quick", action="store_true", help="start from the smoke-test sizes")
    p.set_defaults(func=cmd_sweep)


# ------------------------------------------------------------ commands --

def cmd_list(args):
    for name, e in EXPERIMENTS.items():
        print(f"{name}  ({e.task})")
        print(f"    {e.description}")
        defaults = ", ".join(f"{k}={_show(v)}" for k, v in e.defaults.items())
        print(f"    defaults: {defaults}")
        if len(e.variants) > 1:
            variants = "; ".join(", ".join(f"{k}={_show(v)}" for k, v in variant.items())
                                 for variant in e.variants)
            print(f"    runs: {variants}")
        print(f"    --quick: {', '.join(f'{k}={v}' for k, v in e.quick.items())}")
    print(f"\nseed: {DEFAULT_SEED} unless --seed/--seeds; data: first train_size images of "
          "MNIST's 50,000 training images, evaluated on the 10,000 test images.")
    return 0


def _show(value):
    return ",".join(map(str, value)) if isinstance(value, (tuple, list)) else value


def _run_batch(configs, args):
    """``runner.run_configs`` with the command's options; None after a second Ctrl-C
    (the pool stopped waiting for its runs: they save their epochs themselves)."""
    from deltanet.experiments import runner
    try:
        return runner.run_configs(configs, args.out, workers=args.workers,
                                  scheduler=args.scheduler, force=args.force,
                                  progress=not args.quiet,
                                  checkpoint_seconds=args.checkpoint_seconds)
    except KeyboardInterrupt:
        print("interrupted: finished runs and the epochs saved so far are kept; the same "
              "command resumes", file=sys.stderr)
        return None


def _execute(configs, args, entries_of):
    """Validate, run, index, summarize, plot and print; return (exit code, batch)."""
    from deltanet.experiments import runner
    runner.check_output_dir(args.out)
    _check_execution(args)
    _check_as_original(args)
    tdir = runner.task_dir(args.out)
    runner.load_index(tdir)         # a broken index fails now, not after the training
    batch = _run_batch(configs, args)
    if batch is None:
        return EXIT_INTERRUPTED, None
    code = 0
    if batch.failed:
        for run_id, message in batch.failed.items():
            print(f"run {run_id} failed: {message}", file=sys.stderr)
        code = 1
    if batch.interrupted:
        done = sum(1 for r in batch.records.values() if r["status"] != "partial")
        print(f"interrupted: {done} finished run(s) kept; the finished epochs of the others "
              "are saved and resumed by the same command", file=sys.stderr)
        return EXIT_INTERRUPTED, batch
    if code:
        return code, batch
    runner.update_index(tdir, entries_of(batch))
    _summarize_and_draw(tdir, args.lang, quiet=False)
    trained = len(batch.trained)
    print(f"\n{len(batch.records)} run(s): {trained} trained "
          f"({len(batch.resumed)} resumed), {len(batch.reused)} reused from "
          f"{tdir / 'runs'}; {batch.wall_seconds:.1f} s")
    return 0, batch


def _entries(experiments, configs, args, seeds, overrides):
    def entries(batch):
        out = {}
        for name in experiments:
            ids = [c.run_id() for c in configs if c.experiment == name]
            out[name] = {"runs": ids, "seeds": seeds, "overrides": overrides,
                         "quick": bool(getattr(args, "quick", False)),
                         "as_original": bool(args.as_original),
                         "command": "deltanet " + " ".join(sys.argv[1:])}
        return out
    return entries


def cmd_run(args):
    names = list(dict.fromkeys(args.experiments))
    for name in names:
        get_experiment(name)
    overrides, seeds = _overrides(args), _seeds(args)
    configs = [c for name in names for c in expand(name, overrides, seeds,
                                                   as_original=args.as_original,
                                                   quick=args.quick)]
    code, _ = _execute(configs, args, _entries(names, configs, args, seeds, overrides))
    return code


def cmd_sheet(args):
    skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    unknown = [s for s in skip if s not in SHEET_PARTS and s != "task25"]
    if unknown:
        raise ValueError(f"--skip: unknown part(s) {', '.join(unknown)}; allowed: task25, "
                         + ", ".join(SHEET_PARTS))
    seeds = _seeds(args)
    overrides = {"dtype": args.dtype} if args.dtype else {}
    names = list(EXPERIMENTS)
    configs = [c for name in names for c in expand(name, overrides, seeds,
                                                   as_original=args.as_original,
                                                   quick=args.quick)]
    from deltanet.experiments import runner
    runner.check_output_dir(args.out)
    _check_execution(args)
    started = time.perf_counter()
    code = 0
    side_parts = [part for part in ("gradients", "complex") if part not in skip]
    background = None
    if "task25" not in skip and side_parts and args.workers != 0:
        # Task 26 and the complex task need no task-25 results: they run in one
        # more process while task 25 trains, and print their answers after it.
        background = _Background(side_parts, args)
        print("(task 26 and the complex task run alongside in the background)")
    try:
        if "task25" not in skip:
            print("== task 25: training with cost functions, overfitting, L2 regularization ==")
            code, _ = _execute(configs, args, _entries(names, configs, args, seeds, overrides))
            if code == EXIT_INTERRUPTED:
                return code
            print(f"task 25 done in {time.perf_counter() - started:.1f} s")
        outcomes = background.results() if background else None
        for part in side_parts:
            print(f"\n== {part}: {SHEET_PARTS[part]} ==")
            if outcomes is None:
                summary, error = _run_side_part(part, args.out, args.lang, args.quick,
                                                progress=not args.quiet)
            else:
                summary, error = outcomes[part]
            if summary:
                print(summary)
            if error:
                print(f"{part}: error: {error}", file=sys.stderr)
                code = code or 1
    except KeyboardInterrupt:
        print("interrupted; finished parts are stored in " + str(args.out), file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if background:
            background.stop()
    if "report" not in skip:
        print(f"\n== report: {SHEET_PARTS['report']} ==")
        from deltanet.report import write_report
        try:
            print(f"report: {write_report(args.out, lang=args.lang)}")
        except Exception as exc:            # one failing part must not hide the others
            _print_error("report", exc)
            code = code or 1
    print(f"\nsheet done in {time.perf_counter() - started:.1f} s; results in {args.out}")
    return code


def _print_error(part, exc):
    if os.environ.get("DELTANET_DEBUG"):
        traceback.print_exception(exc)
    print(f"{part}: error: {type(exc).__name__}: {exc}", file=sys.stderr)


def _run_side_part(part, out, lang, quick, progress):
    """Run task 26 or the complex task; return ``(summary text, error text)``.

    A failing part must not hide the others: its error comes back as text
    (with the traceback when ``DELTANET_DEBUG`` is set).
    """
    try:
        if part == "gradients":
            from deltanet.experiments.gradients import format_summary, run_gradients
            results = run_gradients(out, lang=lang, quick=quick, progress=progress)
            return format_summary(results, lang, out_dir=out), None
        from deltanet.experiments.complex_task import format_complex_summary, run_complex
        results = run_complex(out, lang=lang, quick=quick, progress=progress)
        error = None
        if not results.get("gradient_check", {}).get("passed", True):
            error = "the complex gradient check failed (see the table above)"
        return f"{format_complex_summary(results, lang=lang)}\n\nresults and figures: " \
               f"{Path(out) / 'complex'}/", error
    except Exception as exc:
        detail = traceback.format_exc() if os.environ.get("DELTANET_DEBUG") else ""
        return None, f"{detail}{type(exc).__name__}: {exc}"


def _side_parts_child(parts, out, lang, quick, conn):
    """Body of the background process: run ``parts``, send their outcomes."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the parent handles Ctrl-C and stops us
    # ... with SIGTERM: exit through Python so that its clean-up runs (tqdm's
    # multiprocessing lock would otherwise be reported as a leaked semaphore)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    conn.send({part: _run_side_part(part, out, lang, quick, progress=False) for part in parts})
    conn.close()


class _Background:
    """Task 26 and the complex task in a spawned process (no progress bars)."""

    def __init__(self, parts, args):
        import multiprocessing
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_side_parts_child, name="deltanet-sheet-side-parts", daemon=True,
            args=(parts, str(args.out), args.lang, args.quick, child_conn))
        self._process.start()
        child_conn.close()
        self._parts = parts

    def results(self):
        try:
            return self._conn.recv()
        except EOFError:                     # the process died without an answer
            self._process.join()
            error = f"the background process stopped (exit code {self._process.exitcode})"
            return {part: (None, error) for part in self._parts}

    def stop(self):
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


# ----------------------------------------------------------- summaries --

def _summarize_and_draw(tdir, lang, quiet=False):
    """Figures, summary.json and the printed table/conclusions from stored runs."""
    from deltanet.experiments import conclusions, runner
    from deltanet.plots.task25 import draw_task25
    index = runner.load_index(tdir)
    results = runner.load_results(tdir, index)          # validates every file first
    summary = conclusions.summarize_task25(results, lang=lang)
    drawn = draw_task25(results, Path(tdir) / "figures", lang)
    summary["figures"] = {part: [str(Path(p).relative_to(tdir)) for p in stems]
                          for part, stems in drawn.items()}
    summary["runs"] = {name: [r["id"] for r in records] for name, records in results.items()}
    summary["environment"] = _environment(results)
    runner.store_summary(tdir, summary)
    if not quiet:
        print(format_table(results))
        print(format_conclusions(summary))
        print(f"figures: {Path(tdir) / 'figures'} ({', '.join(sorted(drawn))}); "
              f"summary: {Path(tdir) / 'summary.json'}")
    return summary


def _environment(results):
    from deltanet import __version__
    versions = {r["versions"]["deltanet"] for records in results.values() for r in records}
    return {"deltanet": __version__, "run_versions": sorted(versions),
            "cpu_count": os.cpu_count()}


def _stat(values, digits=2, unit=""):
    if not values:
        return "-"
    mean = sum(values) / len(values)
    if len(values) == 1:
        return f"{mean:.{digits}f}{unit}"
    std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    return f"{mean:.{digits}f} ± {std:.{digits}f}{unit}"


def format_table(results):
    """A text table of every experiment and variant: mean (± std over seeds)."""
    from deltanet.experiments.conclusions import series_of
    header = ("part", "run", "seeds", "epochs", "test acc. final", "test acc. peak (epoch)",
              "train acc. final", "train cost final", "train s")
    rows = []
    for name, records in results.items():
        groups = {}
        for r in records:
            groups.setdefault(r["label"], []).append(r)
        for label, runs in groups.items():
            series = [series_of(r) for r in runs if r["history"]["epochs_completed"]]
            if not series:
                continue
            peaks = [max(s["test_accuracy"]) for s in series]
            epochs = [s["test_accuracy"].index(p) + 1 for s, p in zip(series, peaks)]
            config = runs[0]["config"]
            rows.append((
                EXPERIMENTS[name].task,
                f"{label if label != name else name} (eta {config['eta']:g}, "
                f"lmbda {config['lmbda']:g})",
                ",".join(str(r["seed"]) for r in runs),
                str(min(r["history"]["epochs_completed"] for r in runs)),
                _stat([s["test_accuracy"][-1] for s in series], 2, " %"),
                f"{_stat(peaks, 2, ' %')} ({_stat(epochs, 0)})",
                _stat([s["training_accuracy"][-1] for s in series], 2, " %"),
                _stat([s["training_cost"][-1] for s in series], 4),
                _stat([r["timing"]["train_seconds"] for r in runs], 1)))
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
             for row in [header] + rows]
    return "\n" + "\n".join(lines)


def format_conclusions(summary):
    lines = []
    for part, sentences in summary["conclusions"].items():
        lines.append(f"\n{part}:")
        lines.extend(f"  - {s}" for s in sentences)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ plot --

def cmd_plot(args):
    from deltanet.experiments import conclusions, runner
    target = Path(args.target)
    if target.is_dir():
        tdir = target / "task25" if (target / "task25" / "results.json").is_file() else target
        if not (tdir / "results.json").is_file():
            raise FileNotFoundError(f"{target}: no task-25 results here (expected "
                                    f"{target / 'task25' / 'results.json'}); run "
                                    "'deltanet sheet' or 'deltanet run' first")
        target = tdir / "results.json"
    if not target.is_file():
        raise FileNotFoundError(f"results file not found: {target}")
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{target} is not valid JSON ({exc}); not a deltanet results file") \
            from None
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema == runner.INDEX_SCHEMA:
        runner.check_index(target)
        _summarize_and_draw(target.parent, args.lang)
        return 0
    if schema == runner.RUN_SCHEMA:
        from deltanet.plots.task25 import draw_task25
        record = runner.check_run_record(data, target)
        tdir = target.parent.parent if target.parent.name == "runs" else target.parent
        # a folder of its own: the experiment's figures (of all its runs, in
        # the summary and the report) stay as they are
        drawn = draw_task25({record["experiment"]: [record]},
                            tdir / "figures" / "runs" / record["id"], args.lang)
        for part, stems in drawn.items():
            print(f"{part}: " + ", ".join(f"{s}.png/.svg" for s in stems))
        return 0
    if schema == conclusions.SWEEP_SCHEMA:
        from deltanet.plots.task25 import draw_sweep
        _check_sweep(data, target)
        stem = draw_sweep(data, target.with_suffix(""), args.lang)
        print(f"sweep figure: {stem}.png/.svg")
        return 0
    raise ValueError(f"{target} is not a deltanet task-25 results file (schema {schema!r}; "
                     f"expected {runner.INDEX_SCHEMA!r}, {runner.RUN_SCHEMA!r} or "
                     f"{conclusions.SWEEP_SCHEMA!r})")


def _check_sweep(data, where):
    points = data.get("points")
    ok = (isinstance(points, list) and isinstance(data.get("seeds"), list)
          and isinstance(data.get("experiment"), str) and all(
              isinstance(p, dict) and isinstance(p.get("params"), dict) and "label" in p
              and all(isinstance(p.get(k), dict) for k in ("final_test_accuracy",
                                                           "peak_test_accuracy"))
              for p in points))
    if not ok:
        raise ValueError(f"{where}: sweep file lacks points with params, label and "
                         "final/peak test accuracy")


# ----------------------------------------------------------------- sweep --

def cmd_sweep(args):
    from deltanet.experiments import conclusions, runner
    from deltanet.plots.task25 import draw_sweep
    experiment = get_experiment(args.experiment)
    grid = parse_grid(args.grid)
    base, seeds = _overrides(args), _seeds(args)
    clash = sorted(set(grid) & set(base))
    if clash:
        raise ValueError(f"{', '.join(clash)} given both as an override and in --grid; "
                         "give it once")
    points = []                     # (params, label, [configs])
    for params in grid_points(grid):
        configs = expand(experiment.name, {**base, **params}, seeds,
                         as_original=args.as_original, quick=args.quick)
        by_label = {}
        for c in configs:
            by_label.setdefault(c.label, []).append(c)
        points.extend((params, label, group) for label, group in by_label.items())
    all_configs = [c for _, _, group in points for c in group]
    runner.check_output_dir(args.out)
    _check_execution(args)
    _check_as_original(args)
    tdir = runner.task_dir(args.out)
    batch = _run_batch(all_configs, args)
    if batch is None:
        return EXIT_INTERRUPTED
    if batch.failed or batch.interrupted:
        for run_id, message in batch.failed.items():
            print(f"run {run_id} failed: {message}", file=sys.stderr)
        if batch.interrupted:
            print("interrupted: finished runs and epochs are kept; the same command resumes",
                  file=sys.stderr)
            return EXIT_INTERRUPTED
        return 1
    sweep = conclusions.summarize_sweep(
        experiment.name, {k: [_jsonable(v) for v in vs] for k, vs in grid.items()}, seeds,
        [({k: _jsonable(v) for k, v in params.items()}, label, batch.record_list(group))
         for params, label, group in points])
    sweep.update(overrides=base, quick=bool(args.quick), as_original=bool(args.as_original),
                 command="deltanet " + " ".join(sys.argv[1:]))
    key = json.dumps({"experiment": experiment.name, "grid": sweep["grid"], "seeds": seeds,
                      "overrides": {k: _jsonable(v) for k, v in base.items()},
                      "quick": args.quick, "as_original": args.as_original}, sort_keys=True)
    stem = tdir / "sweeps" / f"{experiment.name}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    stem.parent.mkdir(parents=True, exist_ok=True)
    sweep["figure"] = str(stem.relative_to(tdir))
    runner.write_json(stem.with_suffix(".json"), sweep)
    draw_sweep(sweep, stem, args.lang)
    print(format_sweep(sweep))
    print(f"\nsweep: {stem}.json, figure {stem}.png/.svg; {len(batch.records)} run(s): "
          f"{len(batch.trained)} trained, {len(batch.reused)} reused; "
          f"{batch.wall_seconds:.1f} s")
    return 0


def _jsonable(value):
    return list(value) if isinstance(value, tuple) else value


def format_sweep(sweep):
    def cell(stat, digits=2, unit=" %"):
        if stat.get("mean") is None:
            return "-"
        text = f"{stat['mean']:.{digits}f}"
        if stat.get("n", 1) > 1:
            text += f" ± {stat['std']:.{digits}f}"
        return text + unit
    header = ("grid point", "run", "seeds", "test acc. final", "test acc. peak",
              "peak epoch")
    rows = [(", ".join(f"{k}={v}" for k, v in p["params"].items()) or "-", p["label"],
             ",".join(map(str, p["seeds"])), cell(p["final_test_accuracy"]),
             cell(p["peak_test_accuracy"]), cell(p["peak_test_epoch"], 1, ""))
            for p in sweep["points"]]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    return "\n" + "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
                            for r in [header] + rows)
