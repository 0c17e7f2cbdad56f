"""The sheet and task-25 experiments as library calls: the CLI and notebooks call these.

Output sets never collide: :func:`run_sheet` owns ``OUT/`` (``task25/``,
``gradients/``, ``complex/``, ``report*.html|md``); :func:`run_experiment`
and :func:`run_sweep` write a set of their own, ``OUT/runs/<name>/`` (with
its own ``task25/``), and never touch the sheet's files. Every set is
complete in itself: runs, ``results.json``, ``summary.json`` and figures, so
``deltanet report OUT/runs/<name>`` reports on it.

>>> result = run_sheet("deltanet-out", lang="de", quick=True)     # doctest: +SKIP
>>> [c.text("de") for c in result.claims][:1]                    # doctest: +SKIP
>>> run_experiment("overfitting", epochs=20).paths["summary"]     # doctest: +SKIP
PosixPath('deltanet-out/runs/overfitting/task25/summary.json')
"""

import hashlib
import importlib
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from deltanet import limits
from deltanet.experiments import conclusions, runner
from deltanet.experiments.definitions import (DEFAULT_OUT, DEFAULT_SEED, EXPERIMENTS, expand,
                                              get_experiment, grid_points, point_label)
from deltanet.experiments.execution import ChildError
from deltanet.i18n import check_lang, number, t
from deltanet.serialization import command, jsonable, read_json

__all__ = ["run_sheet", "run_experiment", "run_sweep", "replot", "summarize_and_draw",
           "format_table", "list_experiments", "Result", "SIDE_PARTS", "EXIT_INTERRUPTED"]

#: The side parts and the module of each (its ``side_part()`` runs, draws and reads it).
SIDE_MODULES = {"gradients": "gradients", "complex": "complex_task"}
SIDE_PARTS = tuple(SIDE_MODULES)
PARTS = ("task25",) + SIDE_PARTS + ("report",)
EXIT_INTERRUPTED = 130
#: ``sheet --explore``: the overfitting setup over these values, 400 epochs each.
EXPLORE_GRID = {"lmbda": [0.0, 0.01, 0.1, 1.0, 5.0], "train_size": [1_000, 5_000]}
EXPLORE_EPOCHS = 400


@dataclass
class Result:
    """What a call did: the task-25 ``summary`` (as stored), its ``claims``, the
    files written (``paths``), the printed ``lines`` and an exit ``code``
    (0 fine, 1 a part failed, 130 interrupted)."""

    summary: dict = None
    claims: list = field(default_factory=list)
    paths: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)
    code: int = 0
    batch: object = None

    @property
    def records(self):
        """The task-25 run records of this call (stored form), in run order."""
        return list(self.batch.records.values()) if self.batch else []


def _Echo(result, echo):
    """``say(text)``: keep the line in ``result.lines`` and pass it to ``echo``."""
    def say(text=""):
        result.lines.append(text)
        if echo:
            echo(text)
    return say


def _header(part, lang):
    return t("cli_part", lang, part=t(f"cli_{part}", lang), title=t(f"cli_{part}_title", lang))


def _error(exc):
    detail = traceback.format_exc() if os.environ.get("DELTANET_DEBUG") else ""
    kind = "" if isinstance(exc, ChildError) else f"{type(exc).__name__}: "    # says it all
    return f"{detail}{kind}{exc}"


# ------------------------------------------------------------ task 25 runs --

def _run_batch(configs, out, options, result):
    """Run ``configs`` into the set ``out`` (``result.batch``); the exit code."""
    again = "the same command" + (" without --force" if options["force"] else "")
    try:
        batch = result.batch = runner.run_configs(configs, out, **options)
    except KeyboardInterrupt:
        print(f"interrupted: finished runs and the epochs saved so far are kept; {again} "
              "resumes", file=sys.stderr)
        return EXIT_INTERRUPTED
    for run_id, message in batch.failed.items():
        print(f"run {run_id} failed: {message}", file=sys.stderr)
    if batch.interrupted:
        # (a dead worker's saved partial run is among the records); --as-original: none
        saved = any(r["status"] == "partial" and r["history"]["epochs_completed"]
                    for r in batch.records.values())
        if batch.kept:
            print(f"interrupted: the stored run(s) {', '.join(batch.kept)} stay as they were "
                  "(their retrain from scratch was stopped); the same command retrains them, "
                  "without --force they are used", file=sys.stderr)
        if saved or not batch.kept:
            print(f"interrupted: the finished epochs are saved and resumed by {again}" if saved
                  else "interrupted: the stopped runs have no epoch saved; the same command "
                  "starts them again", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 1 if batch.failed else 0


def _task25(configs, out, entries, lang, options, result, say):
    """Run, index, summarize, draw; fill ``result``."""
    runner.check_output_dir(out)
    tdir = runner.task_dir(out)
    runner.load_index(tdir)         # a broken index fails now, not after the training
    _preload_matplotlib()
    result.code = _run_batch(configs, out, options, result)
    if result.code:
        return
    batch = result.batch
    with runner.locked(tdir):   # one command at a time from the index to the figures
        # The summary of the old index goes first: after a Ctrl-C between the index and
        # the new summary, the report recomputes it from the index, not from other runs.
        (tdir / "summary.json").unlink(missing_ok=True)
        runner.update_index(tdir, {name: dict(entry, runs=[c.run_id() for c in configs
                                                           if c.experiment == name])
                                   for name, entry in entries.items()})
        summarize_and_draw(tdir, lang, result, say)
    say(t("cli_runs", lang, n=len(batch.records), trained=len(batch.trained),
          resumed=len(batch.resumed), reused=len(batch.reused), where=str(tdir / "runs"),
          seconds=batch.wall_seconds))


def _preload_matplotlib():
    """Import matplotlib's figure and backends in a thread while the runs train (0.4 s
    that the figures after the last run would wait for)."""
    import threading

    def load():
        import matplotlib.backends.backend_agg, matplotlib.backends.backend_svg  # noqa: F401
        import matplotlib.figure  # noqa: F401
    # not a daemon: one stopped by the interpreter's exit inside matplotlib's C++ code aborts
    threading.Thread(target=load, name="deltanet-preload").start()


def summarize_and_draw(tdir, lang="en", result=None, say=print):
    """Figures, ``summary.json``, table and claims of the runs indexed in ``tdir``
    (the caller holds ``runner.locked(tdir)``)."""
    from deltanet.plots.task25 import FIGURES, draw_task25
    result = result or Result()
    results = runner.load_results(tdir, runner.load_index(tdir))   # validates every file
    summary = conclusions.summarize_task25(results, lang=lang)
    drawn = draw_task25(results, Path(tdir) / "figures", lang)
    summary["figures"] = {part: [f"figures/{name}" for name in FIGURES[part]] for part in drawn}
    summary["environment"] = _environment(results)
    runner.store_summary(tdir, summary)
    result.summary = summary
    result.claims = [conclusions.Claim.from_dict(c) for c in summary["claims"]]
    result.paths.update(summary=Path(tdir) / "summary.json", figures=Path(tdir) / "figures")
    say(format_table(results, lang))
    _say_incomplete(results, lang, say)
    seeds = max((len({r["seed"] for r in records}) for records in results.values()), default=1)
    if seeds > 1 and result.claims:
        say("\n" + t("cli_claims_mean", lang, n=seeds))
    for part in dict.fromkeys(c.part for c in result.claims):
        say(f"\n{part}:")
        for claim in result.claims:
            if claim.part == part:
                say(f"  - {claim.text(lang)}")
    say("\n" + t("cli_files", lang, figures=str(Path(tdir) / "figures"),
                 summary=str(Path(tdir) / "summary.json")))
    return result


def _say_incomplete(results, lang, say):
    """One line per run of ``{experiment: [records]}`` that diverged or was interrupted."""
    for name, records in results.items():
        for r in (r for r in records if r["status"] != "complete"):
            say(t(f"cli_{r['status']}", lang, run=_shown(name, r["label"], lang), seed=r["seed"],
                  done=r["history"]["epochs_completed"], epochs=r["config"]["epochs"]))


def _environment(results):
    """Where the numbers came from: versions, cores and the BLAS (threadpoolctl)."""
    from threadpoolctl import threadpool_info
    from deltanet import __version__
    blas = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')})"
            for i in threadpool_info() if i.get("user_api") == "blas"]
    import platform
    return {"deltanet": __version__, "cpu_count": os.cpu_count(), "blas": blas,
            "machine": platform.machine(), "processor": platform.processor(),
            "run_versions": sorted({r["versions"]["deltanet"] for records in results.values()
                                    for r in records})}


def _stat(values, spec, lang, unit=""):
    if not values:
        return "-"
    mean = sum(values) / len(values)
    text = number(mean, spec, lang)
    if len(values) > 1:
        std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
        text += " ± " + number(std, spec, lang)
    return text + unit


def _table(columns, rows, lang):
    """Rows under the headings ``cli_col_<column>``, each column as wide as its widest cell."""
    header = tuple(t(f"cli_col_{k}", lang) for k in columns)
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    return "\n" + "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
                            for row in [header] + rows)


def _shown(name, label, lang):
    """A run's name in tables: its cost function in 25a, else the experiment."""
    return t(f"cost_{label}" if label != name else f"exp_{name}", lang)


def format_table(results, lang="en"):
    """A text table of every experiment and variant: mean (± std over seeds)."""
    rows = []
    for name, records in results.items():
        groups = {}
        for r in records:
            if r["history"]["epochs_completed"]:
                groups.setdefault(r["label"], []).append(r)
        for label, runs in groups.items():
            nums = [conclusions.run_numbers(conclusions.series_of(r)) for r in runs]
            config = runs[0]["config"]
            rows.append((
                EXPERIMENTS[name].task if name in EXPERIMENTS else name,
                f"{_shown(name, label, lang)} (η {number(config['eta'], 'g', lang)}, "
                f"λ {number(config['lmbda'], 'g', lang)})",
                ",".join(str(r["seed"]) for r in runs),
                str(min(r["history"]["epochs_completed"] for r in runs)),
                _stat([x["final_test_accuracy"] for x in nums], ".2f", lang, " %"),
                f"{_stat([x['peak_test_accuracy'] for x in nums], '.2f', lang, ' %')} "
                f"({_stat([x['peak_test_epoch'] for x in nums], '.0f', lang)})",
                _stat([x["final_training_accuracy"] for x in nums], ".2f", lang, " %"),
                _stat([x["final_training_cost"] for x in nums], ".4f", lang),
                _stat([r["timing"]["train_seconds"] for r in runs], ".1f", lang)))
    return _table(("part", "run", "seeds", "epochs", "final", "peak", "train", "cost",
                   "seconds"), rows, lang)


def _options(progress, workers, scheduler, force, checkpoint_seconds, as_original):
    """The checked options of ``runner.run_configs``."""
    if workers is not None:
        limits.check_int("workers", workers, 0, 4096)
    if not checkpoint_seconds >= 0:
        raise ValueError(f"checkpoint_seconds must be >= 0; got {checkpoint_seconds!r}")
    if as_original:
        try:
            importlib.import_module("deltanet.compat.network2")
        except ImportError as exc:
            raise ValueError(f"as_original needs deltanet.compat.network2 ({exc})") from None
    return dict(progress=progress, workers=workers, scheduler=scheduler, force=force,
                checkpoint_seconds=checkpoint_seconds)


def _configs(names, overrides, seeds, quick, as_original):
    for name in names:
        get_experiment(name)
    return [c for name in names for c in expand(name, overrides, list(seeds),
                                                as_original=as_original, quick=quick)]


def _entries(names, seeds, overrides, quick, as_original):
    return {name: {"seeds": list(seeds), "overrides": overrides, "quick": bool(quick),
                   "as_original": bool(as_original),
                   "command": command(*sys.argv[1:])} for name in names}


def run_experiment(name, *, out=None, epochs=None, seeds=(DEFAULT_SEED,), progress=True,
                   lang="en", quick=False, as_original=False, set_name=None, echo=None,
                   workers=None, scheduler=None, force=False, checkpoint_seconds=1.0,
                   **overrides):
    """Run task-25 experiment(s) ``name`` (a name or a list) into their own output set.

    The set is ``out/runs/<set_name>/`` (default: the experiment names joined
    by "+"); the sheet's files in ``out`` are never modified. Overrides are
    the keys of :data:`~deltanet.experiments.definitions.PARAMETERS`
    (``eta=0.1``, ``lmbda=1.0``, ...). Returns a :class:`Result` with the
    summary, the claims and ``paths["set"]``.
    """
    check_lang(lang)
    names = list(dict.fromkeys([name] if isinstance(name, str) else name))
    if epochs is not None:
        overrides["epochs"] = epochs
    if set_name is not None and (set_name in ("", ".", "..") or any(
            sep and sep in set_name for sep in (os.sep, os.altsep, "/"))):
        raise ValueError(f"--name {set_name!r}: give a plain folder name (no '/', not '.' or "
                         "'..'); the set is written to OUT/runs/NAME")
    out = Path(out or DEFAULT_OUT) / "runs" / (set_name or "+".join(names))
    options = _options(progress, workers, scheduler, force, checkpoint_seconds, as_original)
    result = Result(paths={"set": out})
    configs = _configs(names, overrides, seeds, quick, as_original)
    _task25(configs, out, _entries(names, seeds, overrides, quick, as_original), lang,
            options, result, _Echo(result, echo))
    return result


# ------------------------------------------------------------------ sheet --

def _side_part(part, out, lang, quick, progress, force=False, call=None):
    """Task 26 or the complex task (``call``: as in ``run_gradients``): its stored
    results if they were computed with these settings (unless ``force``; figures in
    ``lang`` redrawn), else computed; ``(printed text, error text)``."""
    return _side_compute(part, out, lang, quick, progress, force, call)()


def _side_compute(part, out, lang, quick, progress, force=False, call=None):
    """The computing of :func:`_side_part`; returns the rest (figures, text) to call."""
    try:
        side = side_part(part)
        results = None if force else side.stored(out, quick)
        reused = results is not None
        if not reused:
            results = side.run(out, lang=lang, quick=quick, progress=progress, plot=False,
                               call=call)
    except Exception as exc:          # one failing part must not hide the others
        error = _error(exc)
        return lambda: (None, error)

    def finish():
        try:
            (side.redraw if reused else side.draw)(results, out, lang=lang)
            note = t("cli_part_reused", lang, where=str(Path(out) / part)) + "\n" if reused else ""
            return note + side.summary(results, lang, out_dir=out), (
                None if side.passed(results) else
                "the complex gradient check failed (see the table above)")
        except Exception as exc:
            if not reused or not isinstance(exc, (TypeError, KeyError, IndexError,
                                                  AttributeError, ValueError)):
                return None, _error(exc)
            return None, side.damaged(out, exc, *(["--quick"] if quick else []))
    return finish


def side_part(part):
    """The :class:`~deltanet.experiments.execution.SidePart` of ``part`` (in :data:`SIDE_PARTS`)."""
    return importlib.import_module(f"deltanet.experiments.{SIDE_MODULES[part]}").side_part()


def _run_side_parts(parts, out, lang, quick, force):
    """Body of the background process: the parts computed side by side, each stage in
    a short-lived process of its own (SymPy, MNIST and the Monte Carlo arrays never
    share one), so that no part is left alone on one core once task 25 is done; each
    part's figures and text drawn here, in the main thread, as soon as it is computed.

    The computing threads only wait for their stage processes: SIGTERM (Ctrl-C of
    the sheet) ends this process and its stages at once, and a figure in hand is
    not cut off inside matplotlib's C++ code (as in a stopped daemon thread)."""
    import multiprocessing
    import queue
    import threading
    from deltanet.experiments.execution import in_child
    computed = queue.Queue()
    for part in parts:
        threading.Thread(target=lambda part: computed.put((part, _side_compute(
            part, out, lang, quick, False, force, in_child))), args=(part,), daemon=True,
            name=f"deltanet-side-{part}").start()
    outcomes = {}
    try:
        for _ in parts:
            part, rest = computed.get()
            outcomes[part] = rest()
    except BaseException:               # SIGTERM: the stages end now, not when computed
        for stage in multiprocessing.active_children():
            stage.terminate()
        raise
    return outcomes


def run_sheet(out=DEFAULT_OUT, *, lang="en", quick=False, seeds=(DEFAULT_SEED,), progress=True,
              dtype=None, as_original=False, skip=(), echo=None, workers=None, scheduler=None,
              force=False, checkpoint_seconds=1.0, explore=False, explore_epochs=None,
              explore_grid=EXPLORE_GRID):
    """The whole sheet into the output set ``out``: task 25, task 26, the complex
    task (in a background process while task 25 trains) and the report.

    ``explore``: before the report, also sweep the overfitting setup over
    ``explore_grid`` (:data:`EXPLORE_GRID`) for ``explore_epochs`` epochs (default
    :data:`EXPLORE_EPOCHS`; with ``quick`` the experiment's quick epochs) into the
    sweep set ``out/runs/sweep-overfitting``; the report's explorer then shows those
    runs too.

    Returns a :class:`Result` (``paths``: ``summary``, ``figures``, ``report``); ``echo``
    gets each line of ``lines`` as it is printed.
    """
    check_lang(lang)
    unknown = [s for s in skip if s not in PARTS]
    if unknown:
        raise ValueError(f"skip: unknown part(s) {', '.join(unknown)}; allowed: "
                         + ", ".join(PARTS))
    runner.check_output_dir(out)
    options = _options(progress, workers, scheduler, force, checkpoint_seconds, as_original)
    if explore_epochs is None:      # with quick: the experiment's quick epochs
        explore_epochs = None if quick else EXPLORE_EPOCHS
    else:                           # checked now, not after the sheet has run
        limits.check_int("--explore-epochs", explore_epochs, 1, limits.MAX_EPOCHS)
    result = Result()
    say = _Echo(result, echo)
    started = time.perf_counter()
    names = list(EXPERIMENTS)
    overrides = {"dtype": dtype} if dtype else {}
    configs = _configs(names, overrides, seeds, quick, as_original)
    side = [part for part in SIDE_PARTS if part not in skip]
    background = outcomes = None
    if "task25" not in skip and side and workers != 0:
        from deltanet.experiments.execution import Child
        background = Child(_run_side_parts, side, str(out), lang, quick, force,
                           name="deltanet-sheet-side-parts")
        say(t("cli_background", lang))
    try:
        if "task25" not in skip:
            say(_header("task25", lang))
            _task25(configs, out, _entries(names, seeds, overrides, quick, as_original), lang,
                    options, result, say)
            if result.code == EXIT_INTERRUPTED:
                return result
            say(t("cli_part_seconds", lang, part=t("cli_task25", lang),
                  seconds=time.perf_counter() - started))
        if background:
            try:
                outcomes = background.result()
            except Exception as exc:         # the background process died
                outcomes = dict.fromkeys(side, (None, _error(exc)))
        for part in side:
            say("\n" + _header(part, lang))
            text, error = (outcomes[part] if outcomes is not None
                           else _side_part(part, out, lang, quick, progress, force))
            if text:
                say(text)
            if error:
                print(f"{part}: error: {error}", file=sys.stderr)
                result.code = result.code or 1
    except KeyboardInterrupt:
        print(f"interrupted; finished parts are stored in {out}", file=sys.stderr)
        result.code = EXIT_INTERRUPTED
        return result
    finally:
        if background:                  # after its answer it is only exiting: let it
            background.stop(grace=10.0 if outcomes is not None else 0.0)
    if explore:
        sweep = run_sweep("overfitting", explore_grid, out=out, seeds=seeds, lang=lang,
                          quick=quick, echo=echo, **options, **overrides,
                          **({"epochs": explore_epochs} if explore_epochs else {}))
        result.paths["explore"] = sweep.paths.get("sweep")
        result.lines += sweep.lines
        if sweep.code:
            result.code = sweep.code
            if sweep.code == EXIT_INTERRUPTED:
                return result
    if "report" not in skip:
        say("\n" + _header("report", lang))
        from deltanet.report import build_report, save_report
        try:
            report = build_report(out, lang=lang)
            html = result.paths["report"] = save_report(report, out)
            say(t("cli_report_written", lang, html=str(html), md=str(html.with_suffix(".md"))))
            for problem in report.damaged:      # written with gaps; exit 2 names the files
                print(f"report: error: {problem}", file=sys.stderr)
                result.code = result.code or 2
        except Exception as exc:
            print(f"report: error: {_error(exc)}", file=sys.stderr)
            result.code = result.code or 1
    say("\n" + t("cli_sheet_seconds", lang, seconds=time.perf_counter() - started, out=str(out)))
    return result


# ------------------------------------------------------------ plot, sweep --

def replot(target, lang="en", echo=print):
    """Redraw from stored results (no training): a set folder or its
    ``results.json`` (figures, summary, claims), a run file (its figures into
    ``figures/runs/<id>/``) or a sweep file. Returns a :class:`Result`."""
    target = Path(target)
    if target.is_dir():
        tdir = target / "task25" if (target / "task25" / "results.json").is_file() else target
        if not (tdir / "results.json").is_file():
            sets = sorted(p.parent.parent for p in target.glob("runs/*/task25/results.json"))
            hint = ("; the sets of 'deltanet run' and 'sweep' here: " + ", ".join(
                f"'{command('plot', str(s))}'" for s in sets) if sets else
                    "; run 'deltanet sheet' or 'deltanet run' first")
            raise FileNotFoundError(f"{target}: no task-25 results here (expected "
                                    f"{target / 'task25' / 'results.json'}){hint}")
        target = tdir / "results.json"
    data = read_json(target)
    schema = data.get("schema") if isinstance(data, dict) else None
    result = Result()
    say = _Echo(result, echo)
    if schema == runner.INDEX_SCHEMA:
        runner.check_index(target)
        with runner.locked(target.parent):
            return summarize_and_draw(target.parent, lang, result, say)
    if schema == runner.RUN_SCHEMA:
        from deltanet.plots.task25 import draw_task25
        record = runner.check_run_record(data, target)
        tdir = target.parent.parent if target.parent.name == "runs" else target.parent
        drawn = draw_task25({record["experiment"]: [record]},
                            tdir / "figures" / "runs" / record["id"], lang)
        for part, stems in drawn.items():
            say(f"{part}: " + ", ".join(f"{s}.png/.svg" for s in stems))
        return result
    if schema == conclusions.SWEEP_SCHEMA:
        from deltanet.plots.task25 import draw_sweep
        _check_sweep(data, target)
        say(f"{draw_sweep(data, target.with_suffix(''), lang)}.png/.svg")
        return result
    part = next((part for part in SIDE_PARTS if side_part(part).schema == schema), None)
    hint = (f"; '{command(part, '--replot', '--out', target.parent.parent)}' redraws it" if part
            else "; it was written by another version of deltanet"
            if str(schema).startswith("deltanet.task25.") else "")
    raise ValueError(f"{target} is not a deltanet task-25 results file (schema {schema!r}; "
                     f"expected {runner.INDEX_SCHEMA!r}, {runner.RUN_SCHEMA!r} or "
                     f"{conclusions.SWEEP_SCHEMA!r}){hint}")


def _check_sweep(data, where):
    """``ValueError`` naming ``where`` (and the point) unless a figure can be drawn."""
    points = data.get("points")
    if not (isinstance(points, list) and points and isinstance(data.get("seeds"), list)
            and isinstance(data.get("experiment"), str)):
        raise ValueError(f"{where}: sweep file lacks its experiment, seeds or points")
    for i, p in enumerate(points, 1):
        if not (isinstance(p, dict) and isinstance(p.get("params"), dict) and isinstance(
                p.get("label"), str) and all(_drawable(p.get(k)) for k in (
                    "final_test_accuracy", "peak_test_accuracy"))):
            raise ValueError(f"{where}: point {i}: params, label, final_test_accuracy or "
                             "peak_test_accuracy (numbers min <= mean <= max) missing or wrong; "
                             "the file was edited or damaged: run the sweep again")


def _drawable(stat):
    """No mean (no seed finished an epoch), or numbers min <= mean <= max."""
    bounds = [stat.get(k) for k in ("min", "mean", "max")] if isinstance(stat, dict) else []
    return bool(bounds) and (bounds[1] is None or all(map(runner.is_number, bounds))
                             and sorted(bounds) == bounds)


def run_sweep(name, grid, *, out=None, seeds=(DEFAULT_SEED,), lang="en", quick=False,
              as_original=False, progress=True, echo=None, workers=None, scheduler=None,
              force=False, checkpoint_seconds=1.0, **overrides):
    """Experiment ``name`` for every grid point (``{key: [values]}``) and seed,
    in the output set ``out/runs/sweep-<name>/``; a sweep file and figure."""
    check_lang(lang)
    get_experiment(name)
    clash = sorted(set(grid) & set(overrides))
    if clash:
        raise ValueError(f"{', '.join(clash)} given both as an override and in the grid; "
                         "give it once")
    out = Path(out or DEFAULT_OUT) / "runs" / f"sweep-{name}"
    options = _options(progress, workers, scheduler, force, checkpoint_seconds, as_original)
    result = Result(paths={"set": out})
    say = _Echo(result, echo)
    points = []                     # (params, label, [configs])
    for params in grid_points(grid):
        by_label = {}
        for c in expand(name, {**overrides, **params}, list(seeds), as_original=as_original,
                        quick=quick):
            by_label.setdefault(c.label, []).append(c)
        points.extend((params, label, group) for label, group in by_label.items())
    runner.check_output_dir(out)
    result.code = _run_batch([c for _, _, g in points for c in g], out, options, result)
    if result.code:
        return result
    batch = result.batch
    sweep = conclusions.summarize_sweep(name, jsonable(grid), list(seeds), [
        (jsonable(params), label, batch.record_list(group)) for params, label, group in points])
    sweep.update(overrides=jsonable(overrides), quick=bool(quick),
                 as_original=bool(as_original), command=command(*sys.argv[1:]))
    key = json.dumps({k: sweep[k] for k in ("experiment", "grid", "seeds", "overrides",
                                            "quick", "as_original")}, sort_keys=True)
    tdir = runner.task_dir(out)
    stem = tdir / "sweeps" / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    sweep["figure"] = str(stem.relative_to(tdir))
    runner.write_json(stem.with_suffix(".json"), sweep)
    from deltanet.plots.task25 import draw_sweep
    figure = draw_sweep(sweep, stem, lang)      # stem.<lang> in other languages than English
    result.paths.update(sweep=stem.with_suffix(".json"), figure=figure)
    say(format_sweep(sweep, lang))
    if len(seeds) > 1:
        say(t("cli_sweep_mean", lang))
    _say_incomplete({name: list(batch.records.values())}, lang, say)
    say("\n" + t("cli_sweep_done", lang, stem=str(stem), figure=str(figure),
                 n=len(batch.records), trained=len(batch.trained), reused=len(batch.reused),
                 seconds=batch.wall_seconds))
    return result


def format_sweep(sweep, lang="en"):
    def cell(stat, spec=".2f", unit=" %"):
        values = [v for v in stat.get("values", []) if v is not None]
        return _stat(values, spec, lang, unit)
    rows = [(point_label(p["params"], lang),
             _shown(sweep["experiment"], p["label"], lang),
             ",".join(map(str, p["seeds"])), cell(p["final_test_accuracy"]),
             cell(p["peak_test_accuracy"]),
             cell(p["peak_test_epoch"], ".1f" if len(p["seeds"]) > 1 else ".0f", ""))
            for p in sweep["points"]]
    return _table(("point", "run", "seeds", "final", "peak_only", "peak_epoch"), rows, lang)


def list_experiments():
    """The experiments, their defaults, variants and ``--quick`` sizes, as text."""
    def show(value):
        return ",".join(map(str, value)) if isinstance(value, (tuple, list)) else value
    lines = []
    for name, e in EXPERIMENTS.items():
        lines += [f"{name}  ({e.task})", f"    {e.description}",
                  "    defaults: " + ", ".join(f"{k}={show(v)}" for k, v in e.defaults.items())]
        if len(e.variants) > 1:
            lines.append("    runs: " + "; ".join(", ".join(f"{k}={show(v)}" for k, v in
                                                             variant.items())
                                                   for variant in e.variants))
        lines.append(f"    --quick: {', '.join(f'{k}={v}' for k, v in e.quick.items())}")
    lines.append(f"\nseed: {DEFAULT_SEED} unless --seed/--seeds; data: first train_size images "
                 "of MNIST's 50,000 training images, evaluated on the 10,000 test images.")
    return "\n".join(lines)
