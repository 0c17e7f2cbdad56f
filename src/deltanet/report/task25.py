"""Sections of task 25 from ``DIR/task25/``: ``summary.json`` (numbers and claims),
``results.json`` (which runs, seeds and options) and the run files (config,
versions, timings). A summary missing or not matching the runs is recomputed.
"""

import contextlib
import datetime
import json
import shlex

from deltanet.experiments import store
from deltanet.experiments.conclusions import SUMMARY_SCHEMA, Claim, summarize_task25
from deltanet.experiments.definitions import EXPERIMENTS
from deltanet.report.document import Answer, Missing, Note, Num, Para, Section
from deltanet.report.sources import SchemaError, drawn, figure, fill_section, get, load_json

SUBDIR = "task25"
GROUP = "group_25"         # the text that heads the part


def _run_command(ctx, name, options=""):
    """The command that (re)computes experiment(s) ``name`` in this output set: the
    sheet's set is filled by ``deltanet sheet`` (stored runs are reused), a set of
    ``deltanet run`` (``OUT/runs/NAME``) by ``run --name NAME``."""
    if ctx.run_set:
        root = shlex.quote(str(ctx.out_dir.parent.parent))
        return (f"deltanet run {name} --out {root} --name {shlex.quote(ctx.out_dir.name)}"
                f"{options}")
    return f"deltanet sheet --out {ctx.out_arg} --skip gradients,complex,report{options}"


def _figure(ctx, stem, caption_key, **values):
    return figure(ctx, f"{SUBDIR}/figures", stem, caption_key, f"deltanet plot {ctx.out_arg}",
                  **values)


# --------------------------------------------------------- stored numbers --

def _cell(variant, key, kind, digits, where):
    """A :class:`Num` for an aggregated number (mean ± std over several seeds), "–" if none."""
    stat, std = variant.get(key), None
    if isinstance(stat, dict):
        if "mean" not in stat and "most_common" not in stat:
            raise TypeError(f"not an aggregated number: {sorted(stat)}")
        std = stat.get("std") if stat.get("n", 1) > 1 else None
        stat = stat.get("mean", stat.get("most_common"))
    if stat is None:
        return [("text", "–")]
    if kind == "int" and std:                 # a mean epoch over seeds that disagree
        kind, digits = "fixed", 1
    return Num(stat, kind, digits, key=f"{where}/{key}", std=std)


def _cost_name(ctx, label):
    return ctx.text.get(f"cost_{label}", label)


def _variants(summary, name):
    entry = get(summary, "experiments", name, where="summary.json")
    variants = get(entry, "variants", where=f"summary.json {name}")
    if not isinstance(variants, dict) or not variants:
        raise SchemaError(f"summary.json {name}: no variants")
    return entry, variants


def _experiment(ctx, section, summary, name):
    """``(entry, variants)`` of ``name`` in the summary; notes on incomplete runs and seeds."""
    entry, variants = _variants(summary, name)
    runs = entry.get("incomplete_runs") or []
    if runs:
        section.add(ctx.warning("t25_incomplete", n=len(runs), command=_run_command(ctx, name)))
        section.complete = False
    seeds = next(iter(variants.values())).get("seeds") or []
    if len(seeds) > 1:
        section.add(Para(ctx.rich("t25_seeds", n=len(seeds))))
    return entry, variants


def _answer(ctx, section, summary, part):
    """The part's claims (the same objects the CLI prints), in the report's language."""
    claims = [Claim.from_dict(c) for c in get(summary, "claims", where="summary.json")]
    section.add(Answer([c.runs(ctx.lang) for c in claims if c.part == part]))


# (summary key, row label, Num kind, digits) of the tables
ROWS = (("epochs", "t25_epochs", "int", 0),
        ("test_accuracy_after_epoch_1", "t25_after1", "pct", 2),
        ("epochs_to_90_percent", "t25_to90", "int", 0),
        ("peak_test_accuracy", "t25_peak", "pct", 2),
        ("peak_test_epoch", "t25_peak_epoch", "int", 0),
        ("final_test_accuracy", "t25_final_test", "pct", 2),
        ("final_training_accuracy", "t25_final_train", "pct", 2),
        ("final_gap", "t25_gap", "fixed", 2),
        ("final_training_cost", "t25_final_cost", "sig", 4),
        ("first_epoch_training_100_percent", "t25_full", "int", 0),
        ("last_quarter_relative_change", "t25_quarter", "percent", 1),
        ("evaluation_cost_min_epoch", "t25_ecost_min_epoch", "int", 0),
        ("final_evaluation_cost", "t25_ecost_last", "sig", 4))
COLUMNS_25A = ROWS[1:8]


def _rows(ctx, columns):
    """The rows of :data:`ROWS` every ``(variant, part)`` of ``columns`` has: label, values."""
    return [[ctx.rich(label)] + [_cell(v, key, kind, digits, f"{SUBDIR}/{part}")
                                 for v, part in columns]
            for key, label, kind, digits in ROWS if all(key in v for v, _ in columns)]


def _figures(ctx, section, part, start):
    for stem, caption, values in ((f"{part}_training_cost", f"fig_{part}_cost", {"start": start}),
                                  (f"{part}_test_accuracy", f"fig_{part}_acc", {"start": start}),
                                  (f"{part}_accuracy", f"fig_{part}_all", {})):
        section.add(_figure(ctx, stem, caption, **values))


def _part_a(ctx, section, summary):
    entry, variants = _experiment(ctx, section, summary, "cost-comparison")
    header = ["t25_cost", "t25_eta"] + [k for _, k, _, _ in COLUMNS_25A]
    rows = [[[("text", _cost_name(ctx, label))], Num(v["config"]["eta"], "g", 4)]
            + [_cell(v, key, kind, digits, f"{SUBDIR}/25a/{label}")
               for key, _, kind, digits in COLUMNS_25A] for label, v in variants.items()]
    config = next(iter(variants.values()))["config"]
    section.add(ctx.table(header, rows, "t25a_caption", n=Num(config["train_size"], "int", 0),
                          epochs=int(config["epochs"]), m=int(config["mini_batch_size"])))
    section.add(_figure(ctx, "25a_accuracy", "fig_25a"))
    if len(variants) < 2:
        section.add(Missing(ctx.rich("t25a_one_variant"), _run_command(ctx, "cost-comparison")))
    _answer(ctx, section, summary, "25a")


def _part_b(ctx, section, summary):
    entry, variants = _experiment(ctx, section, summary, "overfitting")
    s = next(iter(variants.values()))
    rows, config = _rows(ctx, [(s, "25b")]), s["config"]
    section.add(ctx.table(["quantity", "value"], rows, "t25b_caption",
                          n=Num(config["train_size"], "int", 0), eta=Num(config["eta"], "g", 4),
                          init=config["init"], lmbda=Num(config["lmbda"], "g", 4)))
    _figures(ctx, section, "25b", int(entry["plot_from_epoch"]))
    _answer(ctx, section, summary, "25b")


def _part_c(ctx, section, summary):
    entry, variants = _experiment(ctx, section, summary, "regularization")
    c = next(iter(variants.values()))
    ids = {d["id"] for d in get(summary, "claims", where="summary.json") if d["part"] == "25c"}
    columns = [(c, "25c")]
    if not ids & {"cmp_missing", "cmp_refused"}:
        columns.insert(0, (next(iter(_variants(summary, "overfitting")[1].values())), "25b"))
    header = ["quantity"] + [
        ctx.rich("t25c_without" if part == "25b" else "t25c_with",
                 lmbda=Num(v["config"]["lmbda"], "g", 4)) for v, part in columns]
    section.add(ctx.table(header, _rows(ctx, columns)))
    _figures(ctx, section, "25c", int(entry["plot_from_epoch"]))
    if "cmp_missing" in ids:
        section.add(Missing(ctx.rich("t25c_no_base"), _run_command(ctx, "overfitting")))
    _answer(ctx, section, summary, "25c")


# ----------------------------------------------------------------- build --

PARTS = [
    ("task-25a", "25 (a)", "t25a", _part_a, "cost-comparison"),
    ("task-25b", "25 (b)", "t25b", _part_b, "overfitting"),
    ("task-25c", "25 (c)", "t25c", _part_c, "regularization"),
]


def _question(ctx, sid, summary):
    """The sheet's question, with the stored settings where they are readable."""
    def setting(default, *keys):
        value = summary
        for key in ("experiments", *keys):
            value = value.get(key) if isinstance(value, dict) else None
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else default

    if sid == "task-25a":
        return ctx.rich("q25a")
    if sid == "task-25b":
        config = ("overfitting", "variants", "overfitting", "config")
        return ctx.rich("q25b", n=setting(1000, *config, "train_size"),
                        epochs=setting(400, *config, "epochs"),
                        start=setting(None, "overfitting", "plot_from_epoch") or 100)
    config = ("regularization", "variants", "regularization", "config")
    return ctx.rich("q25c", lmbda=Num(setting(0.1, *config, "lmbda"), "g", 4))


def _derived(summary):
    """The part of a summary derived from the runs alone, as text (NaN equals NaN)."""
    return json.dumps({k: v for k, v in summary.items()
                       if k not in ("lang", "conclusions", "figures", "environment")},
                      sort_keys=True)


def _load_summary(ctx):
    """``(Loaded summary, index, records, left out)`` under the set's lock; the index
    checked as by ``plot``, the summary recomputed from the runs (no training) unless it
    matches them, missing figures drawn in the report's language."""
    folder = ctx.out_dir / SUBDIR
    index = load_json(folder / "results.json")
    with store.locked(folder) if index.path.is_file() else contextlib.nullcontext():
        if index.path.is_file():
            try:
                index.data, index.problem = store.check_index(index.path), ""
            except ValueError as exc:       # the report shows the rest; exit 2 names it
                index.problem = f"corrupt: {exc}"
                ctx.damaged[str(index.path)] = str(exc)
        summary = load_json(folder / "summary.json")
        records, left_out = _records(ctx, index) if index.ok else ({}, {})
        if not records:
            if summary.ok and not left_out and index.problem in ("", "missing"):
                ctx.notes.append(ctx.warning("t25_unchecked", file=ctx.rel(summary.path)))
            return summary, index, records, left_out
        try:
            fresh = summarize_task25(records, lang=ctx.lang)
            stale = not summary.ok or _derived(summary.data) != _derived(fresh)
            if stale:
                summary.data, summary.problem = fresh, ""
                ctx.notes.append(Note(ctx.rich("t25_recomputed", file=ctx.rel(summary.path),
                                               command=f"deltanet plot {ctx.out_arg}")))
            if stale or not all(drawn(folder, stem, ctx.lang)
                                for stems in summary.data.get("figures", {}).values()
                                for stem in stems):
                from deltanet.plots.task25 import draw_task25
                draw_task25(records, folder / "figures", ctx.lang)
        except Exception as exc:      # a foreign layout: report the gap, not a traceback
            summary.problem = f"corrupt: {type(exc).__name__}: {exc}"
    return summary, index, records, left_out


def _records(ctx, index):
    """``({experiment: [run records]}, {experiment: [gaps]})`` for the runs the (checked)
    index lists: a run file that is missing, damaged or edited is left out, and its
    experiment's part names it and the command that computes it again."""
    records, left_out = {}, {}
    for name, entry in index.data["experiments"].items():
        command = _run_command(ctx, name, _run_options(entry, sheet=not ctx.run_set))
        for run_id in entry["runs"]:
            path = ctx.out_dir / SUBDIR / "runs" / f"{run_id}.json"
            try:        # integrity-checked: an edited run file is left out
                record = store.load_listed_run(path, name)
            except (OSError, ValueError) as exc:
                if isinstance(exc, FileNotFoundError):
                    what = ctx.rich("t25_run_missing", file=ctx.rel(path), name=name)
                    ctx.damaged[str(path)] = (f"the results index lists run {run_id} of "
                                              f"{name!r}, but {path} is missing; '{command}' "
                                              "computes it again")
                else:
                    problem = str(exc).removesuffix(f"; {store.RECOVER}")
                    what = ctx.rich("t25_run_damaged", file=ctx.rel(path), name=name,
                                    problem=problem.removeprefix(f"{path}: "))
                    ctx.damaged[str(path)] = store.delete_then(exc, f"'{command}' computes it "
                                                                    "again")
                left_out.setdefault(name, []).append(Missing(what, command))
            else:
                records.setdefault(name, []).append(record)
                ctx.runs.append(record)
    return records, left_out


def build(ctx):
    summary, index, records, left_out = _load_summary(ctx)
    if summary.ok and summary.data.get("schema") != SUMMARY_SCHEMA:
        ctx.schema_note(summary.path, summary.data.get("schema"), SUMMARY_SCHEMA,
                        f"deltanet sheet --out {ctx.out_arg}")
    _register(ctx, index, records)
    sections = []
    for sid, label, key, fn, name in PARTS:
        section = Section(id=sid, label=label, title=ctx.rich(key),
                          question=_question(ctx, sid, summary.data if summary.ok else None))
        command, gaps, runs = _run_command(ctx, name), left_out.get(name, []), records.get(name)
        for gap in gaps:
            section.add(gap)
        if gaps and runs:
            section.add(Para(ctx.rich("t25_rest", n=len(runs))))
        experiments = summary.data.get("experiments", {}) if summary.ok else {}
        if index.problem.startswith("corrupt"):
            fill_section(ctx, section, index, command, None)       # the gap naming the index
        elif (gaps and not runs) or (      # (no unchecked numbers beside a gap)
                summary.ok and isinstance(experiments, dict) and name not in experiments):
            statuses = ", ".join(sorted({r["status"] for r in runs or []}))
            if statuses:
                section.add(Missing(ctx.rich("t25_no_epochs", name=name, statuses=statuses),
                                    command))
            elif not gaps:
                section.add(Missing(ctx.rich("t25_not_run", name=name), command))
        else:
            fill_section(ctx, section, summary, command, fn)
        sections.append(section)
    return sections


def _local_time(iso):
    """'2026-11-26T17:25:36+00:00' -> '2026-11-26 17:25' in local time."""
    try:        # (a time without zone is local already)
        return datetime.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _config_runs(ctx, config, quick):
    runs = ctx.rich("cfg_25", sizes=str(list(config["sizes"])),
                    cost=_cost_name(ctx, config["cost"]), eta=Num(config["eta"], "g", 4),
                    lmbda=Num(config["lmbda"], "g", 4), epochs=int(config["epochs"]),
                    m=int(config["mini_batch_size"]), n=Num(config["train_size"], "int", 0),
                    init=config["init"], dtype=config["dtype"])
    if config.get("as_original"):
        runs += ctx.rich("cfg_original")
    if quick:
        runs += ctx.rich("cfg_quick")
        if ctx.text["part_25"] not in ctx.quick:
            ctx.quick.append(ctx.text["part_25"])
    return runs


def _register(ctx, index, records):
    """Rows of the header table (one per experiment variant), versions, CPUs, commands."""
    entries = index.data["experiments"] if index.ok else {}     # (checked by _load_summary)
    commands = {}                   # options -> experiments run with them
    for name, experiment in EXPERIMENTS.items():
        part, runs = experiment.task, records.get(name, [])
        if not runs:
            continue
        entry = entries.get(name, {})
        commands.setdefault(_run_options(entry, not ctx.run_set), []).append(name)
        ctx.sheet.append({"quick": bool(entry.get("quick")),
                          "options": _run_options(dict(entry, quick=False), sheet=True)})
        by_label = {}
        for record in runs:
            by_label.setdefault(record.get("label", name), []).append(record)
        for label, group in by_label.items():
            try:
                config = group[0]["config"]
                seeds = ", ".join(str(r["seed"]) for r in sorted(group, key=lambda r: r["seed"]))
                wall = sum(r["timing"]["wall_seconds"] for r in group)
                written = _local_time(max(r["timing"]["finished"] for r in group))
                name_runs = [("text", part if label == name
                              else f"{part} – {_cost_name(ctx, label)}")]
                ctx.add_experiment(name_runs, _config_runs(ctx, config, entry.get("quick")),
                                   seeds, wall, ctx.out_dir / SUBDIR, written=written)
                ctx.seeds.setdefault(ctx.text["part_25"], seeds)
                for record in group:
                    ctx.check_version(SUBDIR, (record.get("versions") or {}).get("deltanet"))
                    cpus = (record.get("environment") or {}).get("cpu_count")
                    if cpus:
                        ctx.machines[SUBDIR] = cpus
            except (KeyError, TypeError, ValueError, AttributeError):
                ctx.add_experiment([("text", part)], ctx.rich("cfg_unreadable"), "–", None,
                                   ctx.out_dir / SUBDIR)
    ctx.commands.extend(_run_command(ctx, " ".join(names), options)
                        for options, names in commands.items())


def _run_options(entry, sheet=False):
    """The options of ``deltanet run`` that repeat the stored runs (" --seeds 1,2 ...").

    Rebuilt from the stored settings, not taken from the stored command line:
    that is whatever started the runs (often ``deltanet sheet``, or a relative
    ``--out``), not the command for this part and this folder.
    """
    words = []
    seeds = entry.get("seeds") if isinstance(entry.get("seeds"), list) else []
    overrides = entry.get("overrides") if isinstance(entry.get("overrides"), dict) else {}
    if sheet:                       # the sheet takes no overrides but the precision
        overrides = {k: v for k, v in overrides.items() if k == "dtype"}
    if seeds and seeds != [1]:
        words += ["--seeds", ",".join(str(s) for s in seeds)]
    if entry.get("quick"):
        words.append("--quick")
    if entry.get("as_original"):
        words.append("--as-original")
    for key, value in overrides.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        words += [f"--{key.replace('_', '-')}", str(value)]
    return "".join(" " + shlex.quote(w) for w in words)
