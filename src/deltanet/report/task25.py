"""Sections of task 25 (training with two costs, overfitting, L2), from ``DIR/task25/``.

Reads ``summary.json`` (per-experiment numbers, per seed aggregated as
mean/std/min/max by :mod:`deltanet.experiments.conclusions`), the results
index ``results.json`` (which runs, seeds and command) and the run files
(config, versions, timings). If ``summary.json`` is missing but the runs
are stored, the summary is recomputed from the runs (no training).
"""

from deltanet.report.document import (Answer, Figure, Missing, Note, Num, Para, Section, Table,
                                      rich)
from deltanet.report.sources import SchemaError, fill_section, find_figure, get, load_json

SUBDIR = "task25"
SUMMARY_SCHEMA = "deltanet.task25.summary/1"
INDEX_SCHEMA = "deltanet.task25.results/1"
KEY = "task25"
EXPERIMENTS = {"25a": "cost-comparison", "25b": "overfitting", "25c": "regularization"}


def group_title(ctx):
    return ctx.t("group_25")


def _run_command(ctx, name):
    return f"deltanet run {name} --out {ctx.out_arg}"


def _plot_command(ctx):
    return f"deltanet plot {ctx.out_arg}"


def _figure(ctx, stem, caption_key, **values):
    return Figure(files=find_figure(ctx.out_dir / SUBDIR / "figures", stem),
                  caption=rich(ctx.t(caption_key), ctx.lang, **values),
                  name=f"{SUBDIR}/figures/{stem}", command=_plot_command(ctx))


def _t(ctx, key, **values):
    return rich(ctx.t(key), ctx.lang, **values)


# --------------------------------------------------------- stored numbers --

def _mean(stat):
    """The value of an aggregated number: its mean, or None if no seed has one."""
    if isinstance(stat, dict):
        if "mean" in stat:
            return stat["mean"]
        if "most_common" in stat:
            return stat["most_common"]
        raise TypeError(f"not an aggregated number: {sorted(stat)}")
    return stat


def _num(stat, kind, digits, key=""):
    """A :class:`Num` for an aggregated number (mean ± std over several seeds)."""
    value = _mean(stat)
    std = stat.get("std") if isinstance(stat, dict) and stat.get("n", 1) > 1 else None
    if kind == "int" and std:                 # a mean epoch over seeds that disagree
        kind, digits = "fixed", 1
    return Num(value, kind, digits, key=key, std=std)


def _epoch(ctx, stat, key=""):
    """An epoch number, or "never" when no seed reached it."""
    if _mean(stat) is None:
        return [("text", ctx.t("never"))]
    return _num(stat, "int", 0, key)


def _cost_name(ctx, label, after_with=False):
    """The cost's name; ``after_with``: the form after "with"/"mit" (German dative)."""
    key = f"cost_with_{label}" if after_with else f"cost_{label}"
    return ctx.t(key) if key in ctx.text else label


def _with(ctx, label):
    return _cost_name(ctx, label, after_with=True)


def _seeds_note(ctx, entry):
    seeds = entry.get("seeds") or []
    if len(seeds) > 1:
        return [Para(_t(ctx, "t25_seeds", n=len(seeds)))]
    return []


def _incomplete(ctx, section, entry, name):
    runs = entry.get("incomplete_runs") or []
    if runs:
        section.add(Note(_t(ctx, "t25_incomplete", n=len(runs), command=_run_command(ctx, name)),
                         "warning"))
        section.complete = False


# ------------------------------------------------------------------- 25a --

def _part_a(ctx, section, summary):
    entry = get(summary, "experiments", "cost-comparison", where="summary.json")
    variants = get(entry, "per_variant", where="summary.json cost-comparison")
    if not isinstance(variants, dict) or not variants:
        raise SchemaError("summary.json cost-comparison: per_variant holds no cost function")
    _incomplete(ctx, section, entry, "cost-comparison")
    for block in _seeds_note(ctx, next(iter(variants.values()))):
        section.add(block)
    header = [_t(ctx, k) for k in ("t25_cost", "t25_eta", "t25_after1", "t25_to90",
                                   "t25_peak", "t25_peak_epoch", "t25_final_test",
                                   "t25_final_train", "t25_gap")]
    rows = []
    for label, v in variants.items():
        k = f"{KEY}/25a/{label}"
        rows.append([[("text", _cost_name(ctx, label))],
                     Num(v["config"]["eta"], "g", 4, key=f"{k}/eta"),
                     _num(v["test_accuracy_after_epoch_1"], "pct", 2, f"{k}/test_accuracy_after_epoch_1"),
                     _epoch(ctx, v["epochs_to_90_percent"], f"{k}/epochs_to_90_percent"),
                     _num(v["peak_test_accuracy"], "pct", 2, f"{k}/peak_test_accuracy"),
                     _num(v["peak_test_epoch"], "int", 0, f"{k}/peak_test_epoch"),
                     _num(v["final_test_accuracy"], "pct", 2, f"{k}/final_test_accuracy"),
                     _num(v["final_training_accuracy"], "pct", 2, f"{k}/final_training_accuracy"),
                     _num(v["final_gap"], "fixed", 2, f"{k}/final_gap")])
    first = next(iter(variants.values()))["config"]
    section.add(Table(header, rows, caption=_t(ctx, "t25a_caption",
                                               n=Num(first["train_size"], "int", 0),
                                               epochs=int(first["epochs"]),
                                               m=int(first["mini_batch_size"]))))
    section.add(_figure(ctx, "25a_accuracy", "fig_25a"))

    labels = list(variants)
    if len(labels) < 2:
        section.add(Missing(_t(ctx, "t25a_one_variant"), _run_command(ctx, "cost-comparison")))
        return
    early = {label: _mean(variants[label]["test_accuracy_after_epoch_1"]) for label in labels}
    ranked = sorted(labels, key=lambda label: early[label], reverse=True)
    fast, slow = ranked[0], ranked[-1]
    v_fast, v_slow = variants[fast], variants[slow]
    sentences = []
    if early[fast] > early[slow]:
        sentences.append(_t(ctx, "t25a_faster", fast=_with(ctx, fast), slow=_with(ctx, slow),
                            acc_fast=_num(v_fast["test_accuracy_after_epoch_1"], "pct", 2),
                            acc_slow=_num(v_slow["test_accuracy_after_epoch_1"], "pct", 2)))
    else:
        sentences.append(_t(ctx, "t25a_tie", acc=_num(v_fast["test_accuracy_after_epoch_1"], "pct", 2)))
    sentences.append(_t(ctx, "t25a_to90", a=_with(ctx, fast), b=_with(ctx, slow),
                        ea=_epoch(ctx, v_fast["epochs_to_90_percent"]),
                        eb=_epoch(ctx, v_slow["epochs_to_90_percent"])))
    final = {label: _mean(variants[label]["final_test_accuracy"]) for label in labels}
    best = max(labels, key=lambda label: final[label])
    other = min(labels, key=lambda label: final[label])
    for label in labels:
        v = variants[label]
        sentences.append(_t(ctx, "t25a_final", cost=_with(ctx, label),
                            final=_num(v["final_test_accuracy"], "pct", 2),
                            peak=_num(v["peak_test_accuracy"], "pct", 2),
                            epoch=_num(v["peak_test_epoch"], "int", 0),
                            train=_num(v["final_training_accuracy"], "pct", 2)))
    if final[best] > final[other]:
        sentences.append(_t(ctx, "t25a_higher", best=_with(ctx, best),
                            lead=Num(final[best] - final[other], "fixed", 2)))
    if all(_mean(variants[label]["final_gap"]) > 0 for label in labels):
        sentences.append(_t(ctx, "t25a_train_above"))
    section.add(Answer(sentences))


# ------------------------------------------------------------------- 25b --

def _part_b(ctx, section, summary):
    s = get(summary, "experiments", "overfitting", where="summary.json")
    _incomplete(ctx, section, s, "overfitting")
    for block in _seeds_note(ctx, s):
        section.add(block)
    k = f"{KEY}/25b"
    start = int(summary["experiments"]["overfitting"].get("plot_from_epoch")
                or _mean(s["window_from_epoch"]))
    rows = [
        (_t(ctx, "t25_epochs"), _num(s["epochs"], "int", 0, f"{k}/epochs")),
        (_t(ctx, "t25_peak"), _num(s["peak_test_accuracy"], "pct", 2, f"{k}/peak_test_accuracy")),
        (_t(ctx, "t25_peak_epoch"), _num(s["peak_test_epoch"], "int", 0, f"{k}/peak_test_epoch")),
        (_t(ctx, "t25_final_test"), _num(s["final_test_accuracy"], "pct", 2, f"{k}/final_test_accuracy")),
        (_t(ctx, "t25_cost_at_peak"), _num(s["training_cost_at_peak"], "sig", 4, f"{k}/training_cost_at_peak")),
        (_t(ctx, "t25_final_cost"), _num(s["final_training_cost"], "sig", 4, f"{k}/final_training_cost")),
        (_t(ctx, "t25_cost_drop"), _num(s["training_cost_drop_after_peak_relative"], "percent", 1,
                                        f"{k}/training_cost_drop_after_peak_relative")),
        (_t(ctx, "t25_final_train"), _num(s["final_training_accuracy"], "pct", 2,
                                          f"{k}/final_training_accuracy")),
        (_t(ctx, "t25_gap"), _num(s["final_gap"], "fixed", 2, f"{k}/final_gap")),
        (_t(ctx, "t25_full"), _epoch(ctx, s["first_epoch_training_100_percent"],
                                     f"{k}/first_epoch_training_100_percent")),
        (_t(ctx, "t25_window", start=start),
         [("num", _num(s["window_test_accuracy_min"], "pct", 2, f"{k}/window_test_accuracy_min")),
          ("text", " – "),
          ("num", _num(s["window_test_accuracy_max"], "pct", 2, f"{k}/window_test_accuracy_max"))]),
    ]
    if "plateau_epoch" in s:
        rows += [
            (_t(ctx, "t25_plateau", tol=_num(s["plateau_tolerance"], "g", 3)),
             _num(s["plateau_epoch"], "int", 0, f"{k}/plateau_epoch")),
            (_t(ctx, "t25_plateau_drop"), _num(s["training_cost_drop_after_plateau_relative"],
                                               "percent", 1,
                                               f"{k}/training_cost_drop_after_plateau_relative")),
        ]
    if "evaluation_cost_min_epoch" in s:
        rows += [
            (_t(ctx, "t25_ecost_min_epoch"), _num(s["evaluation_cost_min_epoch"], "int", 0,
                                                  f"{k}/evaluation_cost_min_epoch")),
            (_t(ctx, "t25_ecost_final"), [
                ("num", _num(s["evaluation_cost_min"], "sig", 4, f"{k}/evaluation_cost_min")),
                ("text", " → "),
                ("num", _num(s["final_evaluation_cost"], "sig", 4, f"{k}/final_evaluation_cost"))]),
        ]
    config = s["config"]
    section.add(Table([_t(ctx, "quantity"), _t(ctx, "value")], [list(r) for r in rows],
                      caption=_t(ctx, "t25b_caption", n=Num(config["train_size"], "int", 0),
                                 eta=Num(config["eta"], "g", 4), init=config["init"],
                                 lmbda=Num(config["lmbda"], "g", 4))))
    section.add(_figure(ctx, "25b_training_cost", "fig_25b_cost", start=start))
    section.add(_figure(ctx, "25b_test_accuracy", "fig_25b_acc", start=start))
    section.add(_figure(ctx, "25b_accuracy", "fig_25b_all"))

    sentences = [
        _t(ctx, "t25b_peak", peak=_num(s["peak_test_accuracy"], "pct", 2),
           epoch=_num(s["peak_test_epoch"], "int", 0), epochs=_num(s["epochs"], "int", 0),
           final=_num(s["final_test_accuracy"], "pct", 2),
           at_peak=_num(s["training_cost_at_peak"], "sig", 4),
           cost=_num(s["final_training_cost"], "sig", 4),
           drop=_num(s["training_cost_drop_after_peak_relative"], "percent", 1)),
        _t(ctx, "t25b_gap", train=_num(s["final_training_accuracy"], "pct", 2),
           gap=_num(s["final_gap"], "fixed", 2), start=start,
           lo=_num(s["window_test_accuracy_min"], "pct", 2),
           hi=_num(s["window_test_accuracy_max"], "pct", 2)),
    ]
    if "plateau_epoch" in s:
        sentences.insert(1, _t(ctx, "t25b_plateau", epoch=_num(s["plateau_epoch"], "int", 0),
                               tol=_num(s["plateau_tolerance"], "g", 3),
                               at=_num(s["training_cost_at_plateau"], "sig", 4),
                               cost=_num(s["final_training_cost"], "sig", 4),
                               drop=_num(s["training_cost_drop_after_plateau_relative"],
                                         "percent", 1)))
    if "evaluation_cost_min_epoch" in s and _mean(s["evaluation_cost_rise_after_min"]) > 0:
        sentences.append(_t(ctx, "t25b_ecost", epoch=_num(s["evaluation_cost_min_epoch"], "int", 0),
                            low=_num(s["evaluation_cost_min"], "sig", 4),
                            final=_num(s["final_evaluation_cost"], "sig", 4)))
    after_peak = _mean(s["epochs_after_peak"]) or 0
    drop = _mean(s["training_cost_drop_after_peak"]) or 0
    if after_peak > 0 and drop > 0:
        onset = s.get("plateau_epoch", s["peak_test_epoch"])
        sentences.append(_t(ctx, "t25b_overfit", epoch=_num(onset, "int", 0),
                            n=Num(config["train_size"], "int", 0)))
    else:
        sentences.append(_t(ctx, "t25b_no_overfit", epochs=_num(s["epochs"], "int", 0)))
    section.add(Answer(sentences))


# ------------------------------------------------------------------- 25c --

COMPARE = (
    ("peak_test_accuracy", "t25_peak", "pct", 2),
    ("peak_test_epoch", "t25_peak_epoch", "int", 0),
    ("final_test_accuracy", "t25_final_test", "pct", 2),
    ("final_training_accuracy", "t25_final_train", "pct", 2),
    ("final_gap", "t25_gap", "fixed", 2),
    ("final_training_cost", "t25_final_cost", "sig", 4),
    ("last_quarter_relative_change", "t25_quarter", "percent", 1),
    ("evaluation_cost_min_epoch", "t25_ecost_min_epoch", "int", 0),
    ("final_evaluation_cost", "t25_ecost_last", "sig", 4),
)


def _part_c(ctx, section, summary):
    experiments = get(summary, "experiments", where="summary.json")
    c = get(experiments, "regularization", where="summary.json")
    b = experiments.get("overfitting")
    _incomplete(ctx, section, c, "regularization")
    for block in _seeds_note(ctx, c):
        section.add(block)
    lmbda_c = c["config"]["lmbda"]
    start = int(c.get("plot_from_epoch") or _mean(c["window_from_epoch"]))
    header = [_t(ctx, "quantity")]
    if b:
        header.append(_t(ctx, "t25c_without", lmbda=Num(b["config"]["lmbda"], "g", 4)))
    header.append(_t(ctx, "t25c_with", lmbda=Num(lmbda_c, "g", 4)))
    if b:
        header.append(_t(ctx, "t25c_diff"))
    rows = []
    for key, label, kind, digits in COMPARE:
        if key not in c or (b and key not in b):
            continue
        row = [_t(ctx, label)]
        if b:
            row.append(_num(b[key], kind, digits, f"{KEY}/25b/{key}"))
        row.append(_num(c[key], kind, digits, f"{KEY}/25c/{key}"))
        if b:
            diff = _mean(c[key]) - _mean(b[key])
            if kind == "percent":      # fractions: the difference in percentage points
                row.append(Num(100 * diff, "fixed", digits, signed=True))
            else:
                row.append(Num(diff, "fixed" if kind in ("pct", "int") else kind,
                               0 if kind == "int" and diff == int(diff) else
                               1 if kind == "int" else digits, signed=True))
        rows.append(row)
    section.add(Table(header, rows))
    section.add(_figure(ctx, "25c_training_cost", "fig_25c_cost", start=start))
    section.add(_figure(ctx, "25c_test_accuracy", "fig_25c_acc", start=start))
    section.add(_figure(ctx, "25c_accuracy", "fig_25c_all"))
    if not b:
        section.add(Missing(_t(ctx, "t25c_no_base"), _run_command(ctx, "overfitting")))
        section.add(Answer([_t(ctx, "t25c_alone", peak=_num(c["peak_test_accuracy"], "pct", 2),
                               final=_num(c["final_test_accuracy"], "pct", 2),
                               gap=_num(c["final_gap"], "fixed", 2))]))
        return
    diff_final = _mean(c["final_test_accuracy"]) - _mean(b["final_test_accuracy"])
    sentences = [_t(ctx, "t25c_acc", lmbda=Num(lmbda_c, "g", 4),
                    peak_c=_num(c["peak_test_accuracy"], "pct", 2),
                    epoch_c=_num(c["peak_test_epoch"], "int", 0),
                    peak_b=_num(b["peak_test_accuracy"], "pct", 2),
                    epoch_b=_num(b["peak_test_epoch"], "int", 0),
                    final_c=_num(c["final_test_accuracy"], "pct", 2),
                    final_b=_num(b["final_test_accuracy"], "pct", 2),
                    diff=Num(diff_final, "fixed", 2, signed=True))]
    gap_c, gap_b = _mean(c["final_gap"]), _mean(b["final_gap"])
    sentences.append(_t(ctx, "t25c_gap_shrinks" if gap_c < gap_b else "t25c_gap_grows",
                        gap_b=_num(b["final_gap"], "fixed", 2), gap_c=_num(c["final_gap"], "fixed", 2)))
    cost_c, cost_b = _mean(c["final_training_cost"]), _mean(b["final_training_cost"])
    sentences.append(_t(ctx, "t25c_cost_higher" if cost_c > cost_b else "t25c_cost_lower",
                        cost_c=_num(c["final_training_cost"], "sig", 4),
                        cost_b=_num(b["final_training_cost"], "sig", 4),
                        q=_num(c["last_quarter_epochs"], "int", 0),
                        rel_c=_num(c["last_quarter_relative_change"], "percent", 1),
                        rel_b=_num(b["last_quarter_relative_change"], "percent", 1),
                        state_c=ctx.t("t25_still" if _mean(c["still_decreasing"]) else "t25_flat"),
                        state_b=ctx.t("t25_still" if _mean(b["still_decreasing"]) else "t25_flat")))
    if "evaluation_cost_rise_after_min" in c and "evaluation_cost_rise_after_min" in b:
        rise_c = _mean(c["evaluation_cost_rise_after_min"])
        sentences.append(_t(ctx, "t25c_ecost" if rise_c > 0 else "t25c_ecost_none",
                            rise_c=_num(c["evaluation_cost_rise_after_min"], "sig", 3),
                            rise_b=_num(b["evaluation_cost_rise_after_min"], "sig", 3)))
    sentences.append(_t(ctx, "t25c_better" if diff_final > 0 else "t25c_not_better"))
    section.add(Answer(sentences))


# ----------------------------------------------------------------- build --

PARTS = [
    ("task-25a", "25 (a)", "t25a", _part_a, "cost-comparison"),
    ("task-25b", "25 (b)", "t25b", _part_b, "overfitting"),
    ("task-25c", "25 (c)", "t25c", _part_c, "regularization"),
]


def _question(ctx, sid, summary):
    """The sheet's question, with the stored settings where they are readable."""
    def entry(name):
        experiments = summary.get("experiments") if isinstance(summary, dict) else None
        value = experiments.get(name) if isinstance(experiments, dict) else None
        return value if isinstance(value, dict) else {}

    def setting(value, default):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return value if number else default

    if sid == "task-25a":
        return _t(ctx, "q25a")
    if sid == "task-25b":
        cfg = entry("overfitting").get("config")
        cfg = cfg if isinstance(cfg, dict) else {}
        return _t(ctx, "q25b", n=setting(cfg.get("train_size"), 1000),
                  epochs=setting(cfg.get("epochs"), 400),
                  start=setting(entry("overfitting").get("plot_from_epoch"), None) or 100)
    cfg = entry("regularization").get("config")
    lmbda = setting(cfg.get("lmbda") if isinstance(cfg, dict) else None, 0.1)
    return _t(ctx, "q25c", lmbda=Num(lmbda, "g", 4))


def _load_summary(ctx):
    """``(Loaded summary, index, records)``; recompute the summary from runs if needed."""
    folder = ctx.out_dir / SUBDIR
    summary = load_json(folder / "summary.json")
    index = load_json(folder / "results.json")
    records = {}
    if index.ok:
        records = _records(ctx, index)
    if summary.ok or not index.ok or not records:
        return summary, index, records
    try:
        from deltanet.experiments.conclusions import summarize_task25
        summary.data = summarize_task25(records, lang=ctx.lang)
        summary.problem = ""
        ctx.notes.append(Note(_t(ctx, "t25_recomputed", file=ctx.rel(summary.path),
                                 command=_plot_command(ctx))))
    except Exception as exc:      # a foreign layout: report the gap, not a traceback
        summary.problem = f"corrupt: {type(exc).__name__}: {exc}"
    return summary, index, records


def _records(ctx, index):
    """``{experiment: [run records]}`` for the runs the index lists (unreadable ones skipped)."""
    records = {}
    experiments = index.data.get("experiments")
    if not isinstance(experiments, dict):
        return records
    for name, entry in experiments.items():
        runs = entry.get("runs") if isinstance(entry, dict) else None
        for run_id in runs if isinstance(runs, list) else []:
            loaded = load_json(ctx.out_dir / SUBDIR / "runs" / f"{run_id}.json")
            if loaded.ok and isinstance(loaded.data.get("history"), dict):
                records.setdefault(name, []).append(loaded.data)
            else:
                ctx.notes.append(Note(_t(ctx, "t25_run_missing", run=run_id, name=name,
                                         problem=loaded.problem or "no history",
                                         command=_run_command(ctx, name)), "warning"))
    return records


def build(ctx):
    summary, index, records = _load_summary(ctx)
    if summary.ok and summary.data.get("lang"):
        ctx.figure_langs[ctx.t("part_25")] = summary.data["lang"]
    if summary.ok and summary.data.get("schema") != SUMMARY_SCHEMA:
        ctx.schema_note(SUBDIR, summary.path, summary.data.get("schema"), SUMMARY_SCHEMA,
                        f"deltanet sheet --out {ctx.out_arg}")
    _register(ctx, index, records)
    sections = []
    for sid, label, key, fn, name in PARTS:
        section = Section(id=sid, label=label, title=rich(ctx.t(key), ctx.lang),
                          question=_question(ctx, sid, summary.data if summary.ok else None))
        experiments = summary.data.get("experiments", {}) if summary.ok else {}
        if summary.ok and isinstance(experiments, dict) and name not in experiments:
            section.add(Missing(_t(ctx, "t25_not_run", name=name), _run_command(ctx, name)))
        else:
            fill_section(ctx, section, summary, _run_command(ctx, name),
                         lambda s, d, fn=fn: fn(ctx, s, d))
        sections.append(section)
    return sections


def _local_time(iso):
    """'2026-11-26T17:25:36+00:00' -> '2026-11-26 17:25' in local time."""
    import datetime
    try:
        stamp = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M")


def _config_runs(ctx, config, quick, as_original):
    runs = _t(ctx, "cfg_25", sizes="[" + ", ".join(str(s) for s in config["sizes"]) + "]",
              cost=_cost_name(ctx, config["cost"]), eta=Num(config["eta"], "g", 4),
              lmbda=Num(config["lmbda"], "g", 4), epochs=int(config["epochs"]),
              m=int(config["mini_batch_size"]), n=Num(config["train_size"], "int", 0),
              init=config["init"], dtype=config["dtype"])
    if as_original:
        runs += _t(ctx, "cfg_original")
    if quick:
        runs += _t(ctx, "cfg_quick")
        if ctx.t("part_25") not in ctx.quick:
            ctx.quick.append(ctx.t("part_25"))
    return runs


def _register(ctx, index, records):
    """Rows of the header table (one per experiment variant), versions, CPUs, commands."""
    entries = index.data.get("experiments", {}) if index.ok else {}
    commands = {}                   # options -> experiments run with them
    for part, name in EXPERIMENTS.items():
        entry = entries.get(name) if isinstance(entries, dict) else None
        runs = records.get(name, [])
        if not runs:
            continue
        entry = entry if isinstance(entry, dict) else {}
        commands.setdefault(_run_options(entry), []).append(name)
        by_label = {}
        for record in runs:
            by_label.setdefault(record.get("label", name), []).append(record)
        for label, group in by_label.items():
            try:
                config = group[0]["config"]
                seeds = ", ".join(str(r["seed"]) for r in sorted(group, key=lambda r: r["seed"]))
                wall = sum(r["timing"]["wall_seconds"] for r in group)
                finished = max(r["timing"]["finished"] for r in group)
                written = _local_time(finished)
                name_runs = [("text", part)]
                if label != name:
                    name_runs.append(("text", f" – {_cost_name(ctx, label)}"))
                ctx.add_experiment(name_runs, _config_runs(ctx, config, entry.get("quick"),
                                                          config.get("as_original")),
                                   seeds, wall, ctx.out_dir / SUBDIR, written=written)
                ctx.seeds.setdefault(ctx.t("part_25"), seeds)
                for record in group:
                    ctx.check_version(SUBDIR, (record.get("versions") or {}).get("deltanet"))
                    cpus = (record.get("environment") or {}).get("cpu_count")
                    if cpus:
                        ctx.machines[SUBDIR] = cpus
            except (KeyError, TypeError, ValueError, AttributeError):
                ctx.add_experiment([("text", part)], _t(ctx, "cfg_unreadable"), "–", None,
                                   ctx.out_dir / SUBDIR)
    ctx.commands.extend(f"deltanet run {' '.join(names)} --out {ctx.out_arg}{options}"
                        for options, names in commands.items())


def _run_options(entry):
    """The options of ``deltanet run`` that repeat the stored runs (" --seeds 1,2 ...").

    Rebuilt from the stored settings, not taken from the stored command line:
    that is whatever started the runs (often ``deltanet sheet``, or a relative
    ``--out``), not the command for this part and this folder.
    """
    import shlex
    words = []
    seeds = entry.get("seeds") if isinstance(entry.get("seeds"), list) else []
    overrides = entry.get("overrides") if isinstance(entry.get("overrides"), dict) else {}
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
