"""Conclusions of task 25, computed from the stored per-epoch series.

Two layers:

* **pure functions on series** (lists of numbers, one per epoch; accuracies in
  percent, epochs counted from 1): :func:`learning_curve` (25a),
  :func:`compare_costs` (25a), :func:`overfitting` (25b),
  :func:`regularization_effect` (25c), plus the helpers :func:`peak`,
  :func:`first_epoch_at_least` and :func:`trend`. They know nothing about files
  and are tested on synthetic series with known answers.
* :func:`summarize_task25` turns stored run records into the ``summary.json``
  structure (every number per seed and as mean/std/min/max over the seeds),
  and :func:`conclusion_text` writes the answers (English or German) from
  those numbers: which cost is faster is decided by the data, and every
  sentence carries the measured values.

Example
-------
>>> o = overfitting(training_cost=[1.0, 0.5, 0.3, 0.2], test_accuracy=[80, 85, 84, 84],
...                 training_accuracy=[85, 95, 99, 100], evaluation_cost=[0.9, 0.8, 0.85, 0.9])
>>> o["peak_test_epoch"], o["training_cost_drop_after_peak"], o["final_gap"]
(2, 0.3, 16.0)
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

import numpy as np

__all__ = ["percent", "peak", "first_epoch_at_least", "trend", "learning_curve",
           "compare_costs", "overfitting", "regularization_effect", "aggregate",
           "series_of", "summarize_task25", "conclusion_text", "SUMMARY_SCHEMA",
           "DECREASING_THRESHOLD", "summarize_sweep", "SWEEP_SCHEMA"]

SUMMARY_SCHEMA = "deltanet.task25.summary/1"

DECREASING_THRESHOLD = 0.01
"""A cost "still decreases" if it fell by more than this fraction over the
last quarter of the epochs."""

ACCURACY_THRESHOLDS = (90, 95)


# ------------------------------------------------------------- primitives --

def percent(counts, n):
    """Accuracy counts -> percent of ``n`` samples (a float list)."""
    return [100.0 * c / n for c in counts]


def _as_list(values, name):
    values = [float(v) for v in values]
    if not values:
        raise ValueError(f"{name} is empty; need at least one epoch")
    return values


def peak(values):
    """``(largest value, its first epoch)``, epochs counted from 1."""
    values = _as_list(values, "values")
    best = max(values)
    return best, values.index(best) + 1


def first_epoch_at_least(values, threshold):
    """First epoch (from 1) with ``value >= threshold``, or None if never."""
    for epoch, value in enumerate(values, start=1):
        if value >= threshold:
            return epoch
    return None


def trend(values, window):
    """How a series changed over its last ``window`` epochs.

    Returns ``start`` (value ``window`` epochs before the end, or the first),
    ``end``, ``change = end - start``, ``relative_change = change / |start|``
    and ``slope`` (least-squares slope per epoch over those epochs).
    """
    values = _as_list(values, "values")
    window = max(1, min(int(window), len(values) - 1)) if len(values) > 1 else 1
    tail = values[-window - 1:]
    start, end = tail[0], tail[-1]
    slope = float(np.polyfit(np.arange(len(tail)), tail, 1)[0]) if len(tail) > 1 else 0.0
    relative = (end - start) / abs(start) if start != 0 else 0.0
    return {"window": window, "start": start, "end": end, "change": end - start,
            "relative_change": relative, "slope": slope}


# --------------------------------------------------------------- 25a ----

def learning_curve(test_accuracy, training_accuracy=None, thresholds=ACCURACY_THRESHOLDS):
    """Early and late accuracy of one run (accuracies in percent).

    Keys: ``test_accuracy_after_epoch_1``, ``epochs_to_<t>_percent`` (first
    epoch with test accuracy >= t, None if never), ``final_test_accuracy``,
    ``peak_test_accuracy``, ``peak_test_epoch``, and if ``training_accuracy``
    is given ``training_accuracy_after_epoch_1``, ``final_training_accuracy``,
    ``final_gap`` (training - test, percentage points).
    """
    test = _as_list(test_accuracy, "test_accuracy")
    best, best_epoch = peak(test)
    out = {"epochs": len(test), "test_accuracy_after_epoch_1": test[0]}
    for t in thresholds:
        out[f"epochs_to_{t:g}_percent"] = first_epoch_at_least(test, t)
    out.update(final_test_accuracy=test[-1], peak_test_accuracy=best, peak_test_epoch=best_epoch)
    if training_accuracy is not None:
        train = _as_list(training_accuracy, "training_accuracy")
        out.update(training_accuracy_after_epoch_1=train[0], final_training_accuracy=train[-1],
                   final_gap=train[-1] - test[-1])
    return out


def _winner(values, larger_is_better=True):
    """Key with the best value; None on a tie or if any value is None."""
    if len(values) < 2 or any(v is None for v in values.values()):
        present = {k: v for k, v in values.items() if v is not None}
        if len(present) == 1 and len(values) >= 2:
            return next(iter(present))        # the only one that got there
        return None
    ranked = sorted(values.items(), key=lambda kv: kv[1], reverse=larger_is_better)
    if ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def compare_costs(curves, threshold=ACCURACY_THRESHOLDS[0]):
    """Which cost learns faster early and which ends higher (25a).

    ``curves``: ``{label: learning_curve(...)}`` (means over seeds are fine).
    Returns ``faster_early`` (higher test accuracy after epoch 1),
    ``first_to_<t>_percent`` (fewest epochs to reach t %; None on a tie or if
    none does), ``higher_final``, ``higher_peak`` (labels or None on a tie)
    and ``after_epoch_1_lead``, ``final_lead``, ``peak_lead``: the winner's
    margin in percentage points (0 on a tie).
    """
    def lead(key):
        values = sorted((c[key] for c in curves.values()), reverse=True)
        return values[0] - values[1] if len(values) > 1 else 0.0

    key = f"epochs_to_{threshold:g}_percent"
    return {
        "faster_early": _winner({k: c["test_accuracy_after_epoch_1"] for k, c in curves.items()}),
        "after_epoch_1_lead": lead("test_accuracy_after_epoch_1"),
        f"first_to_{threshold:g}_percent": _winner({k: c[key] for k, c in curves.items()},
                                                    larger_is_better=False),
        "higher_final": _winner({k: c["final_test_accuracy"] for k, c in curves.items()}),
        "final_lead": lead("final_test_accuracy"),
        "higher_peak": _winner({k: c["peak_test_accuracy"] for k, c in curves.items()}),
        "peak_lead": lead("peak_test_accuracy"),
    }


# --------------------------------------------------------------- 25b ----

PLATEAU_TOLERANCE = 0.5
"""Percentage points below the peak that count as "on the plateau" (25b)."""


def overfitting(training_cost, test_accuracy, training_accuracy, evaluation_cost=None,
                from_epoch=1, tolerance=PLATEAU_TOLERANCE):
    """Where overfitting shows in one run (25b); accuracies in percent.

    Keys: ``peak_test_accuracy``/``peak_test_epoch`` (first epoch of the
    maximum); ``training_cost_at_peak``, ``final_training_cost``,
    ``training_cost_drop_after_peak`` (= at peak - final) and its
    ``..._relative`` fraction; ``epochs_after_peak``;
    ``test_accuracy_change_after_peak`` (final - peak, <= 0);
    ``final_test_accuracy``, ``final_training_accuracy``, ``final_gap`` and
    ``gap_at_peak`` (training - test, points); ``plateau_epoch``: the first
    epoch with test accuracy within ``tolerance`` points of the peak (a peak
    epoch alone is fragile on a flat, noisy plateau), ``epochs_after_plateau``,
    ``training_cost_at_plateau`` and ``training_cost_drop_after_plateau_relative``
    (fraction of the cost at the plateau epoch that is still lost by the end);
    ``first_epoch_training_100_percent``
    (None if never); for the sheet's window from ``from_epoch`` on:
    ``window_test_accuracy_mean/min/max`` and ``window_training_cost_relative_change``;
    with ``evaluation_cost``: ``evaluation_cost_min_epoch``, ``evaluation_cost_min``,
    ``final_evaluation_cost``, ``evaluation_cost_rise_after_min``.
    """
    cost = _as_list(training_cost, "training_cost")
    test = _as_list(test_accuracy, "test_accuracy")
    train = _as_list(training_accuracy, "training_accuracy")
    if not len(cost) == len(test) == len(train):
        raise ValueError(f"series lengths differ: training_cost {len(cost)}, "
                         f"test_accuracy {len(test)}, training_accuracy {len(train)}")
    best, best_epoch = peak(test)
    at_peak = cost[best_epoch - 1]
    plateau = first_epoch_at_least(test, best - tolerance)
    at_plateau = cost[plateau - 1]
    start = max(1, min(int(from_epoch), len(test)))
    window_test, window_cost = test[start - 1:], cost[start - 1:]
    out = {
        "epochs": len(test),
        "peak_test_accuracy": best, "peak_test_epoch": best_epoch,
        "epochs_after_peak": len(test) - best_epoch,
        "training_cost_at_peak": at_peak, "final_training_cost": cost[-1],
        "training_cost_drop_after_peak": at_peak - cost[-1],
        "training_cost_drop_after_peak_relative": (at_peak - cost[-1]) / at_peak if at_peak else 0.0,
        "plateau_tolerance": tolerance, "plateau_epoch": plateau,
        "epochs_after_plateau": len(test) - plateau,
        "training_cost_at_plateau": at_plateau,
        "training_cost_drop_after_plateau_relative":
            (at_plateau - cost[-1]) / at_plateau if at_plateau else 0.0,
        "final_test_accuracy": test[-1], "test_accuracy_change_after_peak": test[-1] - best,
        "final_training_accuracy": train[-1],
        "final_gap": train[-1] - test[-1], "gap_at_peak": train[best_epoch - 1] - best,
        "first_epoch_training_100_percent": first_epoch_at_least(train, 100.0),
        "window_from_epoch": start,
        "window_test_accuracy_mean": statistics.fmean(window_test),
        "window_test_accuracy_min": min(window_test),
        "window_test_accuracy_max": max(window_test),
        "window_training_cost_relative_change":
            (window_cost[-1] - window_cost[0]) / abs(window_cost[0]) if window_cost[0] else 0.0,
    }
    if evaluation_cost is not None and len(evaluation_cost):
        ecost = _as_list(evaluation_cost, "evaluation_cost")
        low = min(ecost)
        out.update(evaluation_cost_min=low, evaluation_cost_min_epoch=ecost.index(low) + 1,
                   final_evaluation_cost=ecost[-1], evaluation_cost_rise_after_min=ecost[-1] - low)
    return out


# --------------------------------------------------------------- 25c ----

def cost_tail(training_cost, threshold=DECREASING_THRESHOLD):
    """The training cost over the last quarter of the epochs (25c's question).

    ``final_training_cost``, ``last_quarter_relative_change`` (fraction; < 0
    falls), ``last_quarter_slope`` (per epoch) and ``still_decreasing``
    (it fell by more than ``threshold`` over that quarter).
    """
    cost = _as_list(training_cost, "training_cost")
    t = trend(cost, max(1, len(cost) // 4))
    return {"final_training_cost": cost[-1], "last_quarter_epochs": t["window"],
            "last_quarter_relative_change": t["relative_change"],
            "last_quarter_slope": t["slope"],
            "still_decreasing": bool(t["relative_change"] < -threshold)}


def regularization_effect(without, with_l2):
    """Compare 25b (``without``) and 25c (``with_l2``), each a dict of
    :func:`overfitting` merged with :func:`cost_tail` numbers.

    Returns for each compared key ``{"without": x, "with": y, "difference": y - x}``
    (booleans without a difference): peak and final test accuracy, the epoch
    of the peak, the final gap, the final training cost, the last-quarter
    change of the training cost and whether it still decreases.
    """
    keys = ["peak_test_accuracy", "peak_test_epoch", "final_test_accuracy", "final_gap",
            "final_training_accuracy", "final_training_cost", "last_quarter_relative_change",
            "still_decreasing"]
    out = {}
    for key in keys:
        a, b = without.get(key), with_l2.get(key)
        entry = {"without": a, "with": b}
        if isinstance(a, (int, float)) and not isinstance(a, bool) and b is not None:
            entry["difference"] = b - a
        out[key] = entry
    return out


# --------------------------------------------------------------- seeds ----

def aggregate(per_seed):
    """Combine a list of per-seed dicts with equal keys.

    Numbers become ``{"mean", "std" (population, 0 for one seed), "min", "max",
    "n", "values"}`` (None values are left out of the statistics and counted in
    ``"missing"``); booleans and strings ``{"values", "most_common", "count"}``;
    nested dicts are combined recursively.
    """
    if not per_seed:
        return {}
    out = {}
    for key in per_seed[0]:
        values = [d.get(key) for d in per_seed]
        present = [v for v in values if v is not None]
        if any(isinstance(v, dict) for v in present):
            out[key] = aggregate([v for v in values if isinstance(v, dict)])
        elif present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                             for v in present):
            out[key] = {"mean": statistics.fmean(present),
                        "std": statistics.pstdev(present) if len(present) > 1 else 0.0,
                        "min": min(present), "max": max(present), "n": len(present),
                        "values": values, "missing": len(values) - len(present)}
        else:
            counts = Counter(present)
            common = counts.most_common(1)[0] if counts else (None, 0)
            out[key] = {"values": values, "most_common": common[0], "count": common[1]}
    return out


def _mean(stat):
    """The mean of an aggregated number (None if no seed had a value)."""
    if isinstance(stat, dict) and "mean" in stat:
        return stat["mean"]
    if isinstance(stat, dict) and "most_common" in stat:
        return stat["most_common"]
    return stat


def _means(stats):
    return {k: _mean(v) for k, v in stats.items()}


# ------------------------------------------------------------- summaries --

def series_of(record):
    """Per-epoch series of a stored run, accuracies in percent.

    ``{"test_accuracy", "training_accuracy", "training_cost", "evaluation_cost"}``.
    """
    h = record["history"]
    return {"test_accuracy": percent(h["evaluation_accuracy"], h["n_evaluation"] or 1),
            "training_accuracy": percent(h["training_accuracy"], h["n_training"] or 1),
            "training_cost": list(h["training_cost"]),
            "evaluation_cost": list(h["evaluation_cost"])}


def _group(records):
    groups = {}
    for record in records:
        groups.setdefault(record["label"], []).append(record)
    for group in groups.values():
        group.sort(key=lambda r: r["seed"])
    return groups


def _config_summary(record):
    config = dict(record["config"])
    config.pop("seed", None)
    return config


def _usable(records):
    return [r for r in records if r["history"]["epochs_completed"] > 0]


def summarize_cost_comparison(records):
    groups = _group(_usable(records))
    per_variant, curves_mean = {}, {}
    for label, runs in groups.items():
        per_seed = [learning_curve(series_of(r)["test_accuracy"],
                                   series_of(r)["training_accuracy"]) for r in runs]
        per_variant[label] = {"config": _config_summary(runs[0]),
                              "seeds": [r["seed"] for r in runs],
                              "runs": [r["id"] for r in runs],
                              "statuses": [r["status"] for r in runs],
                              **aggregate(per_seed)}
        curves_mean[label] = _means(aggregate(per_seed))
    comparison = compare_costs(curves_mean) if len(curves_mean) >= 2 else {}
    if len(groups) >= 2:
        # How many seeds agree on the early winner (pairs by seed).
        seeds = set.intersection(*(set(r["seed"] for r in runs) for runs in groups.values()))
        agree = 0
        for seed in seeds:
            first = {label: series_of(next(r for r in runs if r["seed"] == seed))
                     ["test_accuracy"][0] for label, runs in groups.items()}
            if _winner(first) == comparison.get("faster_early"):
                agree += 1
        comparison["faster_early_seeds_agreeing"] = agree
        comparison["paired_seeds"] = len(seeds)
    return {"per_variant": per_variant, "comparison": comparison}


def _overfitting_per_seed(runs, from_epoch):
    out = []
    for r in runs:
        s = series_of(r)
        values = overfitting(s["training_cost"], s["test_accuracy"], s["training_accuracy"],
                             s["evaluation_cost"], from_epoch=from_epoch)
        values.update({k: v for k, v in cost_tail(s["training_cost"]).items()
                       if k != "final_training_cost"})
        out.append(values)
    return out


def summarize_overfitting(records, from_epoch):
    runs = sorted(_usable(records), key=lambda r: r["seed"])
    if not runs:
        return {}
    per_seed = _overfitting_per_seed(runs, from_epoch)
    return {"config": _config_summary(runs[0]), "seeds": [r["seed"] for r in runs],
            "runs": [r["id"] for r in runs], "statuses": [r["status"] for r in runs],
            **aggregate(per_seed)}


def summarize_regularization(records, base_records, from_epoch):
    summary = summarize_overfitting(records, from_epoch)
    if not summary:
        return {}
    base = summarize_overfitting(base_records, from_epoch) if base_records else {}
    if base:
        summary["versus_overfitting"] = regularization_effect(_means(base), _means(summary))
        summary["versus_overfitting"]["same_setup_except_lmbda"] = (
            {k: v for k, v in base["config"].items() if k not in ("lmbda", "experiment")}
            == {k: v for k, v in summary["config"].items() if k not in ("lmbda", "experiment")})
    return summary


def summarize_task25(results, *, lang="en"):
    """The ``summary.json`` structure from ``{experiment: [run records]}``.

    See the module docstring of :mod:`deltanet.experiments` for the schema.
    """
    from deltanet.experiments.definitions import EXPERIMENTS, plot_from_epoch
    experiments = {}
    for name, records in results.items():
        if not records or name not in EXPERIMENTS:
            continue
        epochs = max(r["config"]["epochs"] for r in records)
        start = plot_from_epoch(name, epochs)
        if name == "cost-comparison":
            body = summarize_cost_comparison(records)
        elif name == "overfitting":
            body = summarize_overfitting(records, start)
        else:
            body = summarize_regularization(records, results.get("overfitting"), start)
        if not body:
            continue
        experiments[name] = {"task": EXPERIMENTS[name].task,
                             "title": EXPERIMENTS[name].title[lang],
                             "plot_from_epoch": start,
                             "incomplete_runs": sorted(r["id"] for r in records
                                                       if r["status"] != "complete"),
                             **body}
    summary = {"schema": SUMMARY_SCHEMA, "lang": lang, "units": {
        "accuracy": "percent of the data set", "cost": "mean cost per sample incl. L2 term",
        "epoch": "1-based", "gap": "percentage points (training - test)"},
        "decreasing_threshold": DECREASING_THRESHOLD, "experiments": experiments}
    summary["conclusions"] = conclusion_text(summary, lang)
    return summary


# ------------------------------------------------------------------ text --

def _fmt(stat, digits=2, unit=""):
    """'95.12 %' for one seed, '95.12 ± 0.10 %' (mean ± std) for several."""
    if stat is None:
        return "-"
    if isinstance(stat, dict):
        if stat.get("mean") is None:
            return "-"
        text = f"{stat['mean']:.{digits}f}"
        if stat.get("n", 1) > 1:
            text += f" ± {stat['std']:.{digits}f}"
    else:
        text = f"{stat:.{digits}f}"
    return text + unit


def _epoch(stat, never):
    if isinstance(stat, dict):
        if stat.get("mean") is None:
            return never
        if stat.get("n", 1) > 1 and stat["min"] != stat["max"]:
            return f"{stat['mean']:.1f} ({stat['min']:g}-{stat['max']:g})"
        return f"{stat['mean']:g}"
    return never if stat is None else f"{stat:g}"


TEXT = {
    "en": {
        "faster": ("The {fast} cost learns faster early: {fast_acc} test accuracy after "
                   "epoch 1 vs {slow_acc} with the {slow} cost{reach}."),
        "tie_early": "Both costs reach the same test accuracy after epoch 1 ({fast_acc}){reach}.",
        "reach_both": "; 90 % test accuracy after {a} ({a_label}) vs {b} ({b_label}) epochs",
        "reach_one": "; 90 % test accuracy after {a} epochs with {a_label}, not within {n} with {b_label}",
        "reach_none": "; neither reaches 90 % test accuracy within {n} epochs",
        "seeds_agree": " ({k} of {n} seeds agree.)",
        "final": ("Final test accuracy: {a} {a_final} (peak {a_peak} at epoch {a_epoch}), "
                  "{b} {b_final} (peak {b_peak} at epoch {b_epoch}); training accuracy "
                  "{a_train} and {b_train}."),
        "peak": ("Test accuracy peaks at {peak} in epoch {epoch} of {epochs} (final "
                 "{final}) and stays within {tol} points of the peak from epoch {plateau} on; "
                 "from there to the end the training cost still falls by {drop_rel}, from "
                 "{at_plateau} to {final_cost}."),
        "gap": ("Training accuracy reaches {train} ({full}); the gap to the test accuracy is "
                "{gap} points at the end. From epoch {start} on the test accuracy only moves "
                "between {wmin} and {wmax}."),
        "full_at": "100 % from epoch {epoch} on",
        "full_never": "never 100 %",
        "ecost": ("The test cost is lowest in epoch {epoch} ({low}) and rises by {rise} "
                  "to {final} by the end."),
        "overfit": ("Overfitting shows from about epoch {epoch} on: the training cost keeps "
                    "falling and the training accuracy approaches 100 %, but the test "
                    "accuracy no longer improves{rising}."),
        "rising": " (and the test cost has been rising since epoch {epoch})",
        "no_overfit": ("No overfitting is visible within {epochs} epochs: the test accuracy "
                       "still improves while the training cost falls."),
        "reg_acc": ("With lmbda = {lmbda} the test accuracy peaks at {peak_c} (epoch {epoch_c}) "
                    "vs {peak_b} (epoch {epoch_b}) without; final {final_c} vs {final_b} "
                    "({diff} points)."),
        "reg_gap": "The training-test gap at the end shrinks from {gap_b} to {gap_c} points.",
        "reg_gap_grows": "The training-test gap at the end changes from {gap_b} to {gap_c} points.",
        "reg_cost": ("The training cost (incl. the L2 term) ends at {cost_c} instead of "
                     "{cost_b}; over the last {quarter} epochs it changes by {rel_c} "
                     "({state_c}) vs {rel_b} without regularization ({state_b})."),
        "still": "still decreasing",
        "flat": "levelled off",
        "no_base": "(Run 'overfitting' too for the comparison with 25b.)",
    },
    "de": {
        "faster": ("Mit der Kostenfunktion {fast} lernt das Netz anfangs schneller: "
                   "{fast_acc} Testgenauigkeit nach Epoche 1 gegenüber {slow_acc} mit "
                   "{slow}{reach}."),
        "tie_early": ("Beide Kostenfunktionen erreichen nach Epoche 1 dieselbe "
                      "Testgenauigkeit ({fast_acc}){reach}."),
        "reach_both": "; 90 % Testgenauigkeit nach {a} ({a_label}) bzw. {b} ({b_label}) Epochen",
        "reach_one": ("; 90 % Testgenauigkeit nach {a} Epochen mit {a_label}, mit {b_label} "
                      "nicht innerhalb von {n}"),
        "reach_none": "; keine erreicht 90 % Testgenauigkeit innerhalb von {n} Epochen",
        "seeds_agree": " ({k} von {n} Startwerten stimmen überein.)",
        "final": ("Testgenauigkeit am Ende: {a} {a_final} (Maximum {a_peak} in Epoche "
                  "{a_epoch}), {b} {b_final} (Maximum {b_peak} in Epoche {b_epoch}); "
                  "Trainingsgenauigkeit {a_train} bzw. {b_train}."),
        "peak": ("Die Testgenauigkeit erreicht ihr Maximum {peak} in Epoche {epoch} von "
                 "{epochs} (am Ende {final}) und liegt ab Epoche {plateau} höchstens {tol} "
                 "Prozentpunkte darunter; von dort bis zum Ende fallen die Trainingskosten "
                 "noch um {drop_rel}, von {at_plateau} auf {final_cost}."),
        "gap": ("Die Trainingsgenauigkeit erreicht {train} ({full}); der Abstand zur "
                "Testgenauigkeit beträgt am Ende {gap} Prozentpunkte. Ab Epoche {start} "
                "schwankt die Testgenauigkeit nur noch zwischen {wmin} und {wmax}."),
        "full_at": "100 % ab Epoche {epoch}",
        "full_never": "nie 100 %",
        "ecost": ("Die Kosten auf den Testdaten sind in Epoche {epoch} am kleinsten ({low}) "
                  "und steigen bis zum Ende um {rise} auf {final}."),
        "overfit": ("Overfitting zeigt sich etwa ab Epoche {epoch}: die Trainingskosten "
                    "fallen weiter und die Trainingsgenauigkeit nähert sich 100 %, aber die "
                    "Testgenauigkeit verbessert sich nicht mehr{rising}."),
        "rising": " (und die Kosten auf den Testdaten steigen schon seit Epoche {epoch})",
        "no_overfit": ("In {epochs} Epochen ist kein Overfitting zu sehen: die "
                       "Testgenauigkeit verbessert sich noch, während die Trainingskosten "
                       "fallen."),
        "reg_acc": ("Mit lmbda = {lmbda} erreicht die Testgenauigkeit maximal {peak_c} "
                    "(Epoche {epoch_c}) gegenüber {peak_b} (Epoche {epoch_b}) ohne; am Ende "
                    "{final_c} gegenüber {final_b} ({diff} Prozentpunkte)."),
        "reg_gap": ("Der Abstand zwischen Trainings- und Testgenauigkeit am Ende sinkt von "
                    "{gap_b} auf {gap_c} Prozentpunkte."),
        "reg_gap_grows": ("Der Abstand zwischen Trainings- und Testgenauigkeit am Ende ändert "
                          "sich von {gap_b} auf {gap_c} Prozentpunkte."),
        "reg_cost": ("Die Trainingskosten (mit L2-Term) enden bei {cost_c} statt {cost_b}; "
                     "in den letzten {quarter} Epochen ändern sie sich um {rel_c} "
                     "({state_c}) gegenüber {rel_b} ohne Regularisierung ({state_b})."),
        "still": "fallen noch",
        "flat": "flachen ab",
        "no_base": "(Für den Vergleich mit 25b auch 'overfitting' laufen lassen.)",
    },
}


def _pct(stat):
    return _fmt(stat, 2, " %")


def _rel(stat):
    if isinstance(stat, dict):
        stat = dict(stat, mean=100 * stat["mean"], std=100 * stat["std"]) \
            if stat.get("mean") is not None else stat
    elif stat is not None:
        stat = 100 * stat
    return _fmt(stat, 1, " %")


def conclusion_text(summary, lang="en"):
    """Answers to 25a-c in ``lang`` ("en" or "de"), built from the numbers.

    Returns ``{"25a": [sentences], "25b": [...], "25c": [...]}`` for the parts
    present in ``summary["experiments"]``.
    """
    if lang not in TEXT:
        raise ValueError(f"lang must be one of {', '.join(TEXT)}; got {lang!r}")
    t = TEXT[lang]
    experiments = summary["experiments"]
    out = {}
    a = experiments.get("cost-comparison")
    if a and len(a["per_variant"]) >= 2:
        comparison = a["comparison"]
        labels = list(a["per_variant"])
        fast = comparison.get("faster_early") or labels[-1]
        slow = next(label for label in labels if label != fast)
        pf, ps = a["per_variant"][fast], a["per_variant"][slow]
        words = dict(fast=fast, slow=slow, fast_acc=_pct(pf["test_accuracy_after_epoch_1"]),
                     slow_acc=_pct(ps["test_accuracy_after_epoch_1"]),
                     reach=_reach_clause(t, fast, pf, slow, ps))
        first = (t["faster"] if comparison.get("faster_early") else t["tie_early"]).format(**words)
        first = first[0].upper() + first[1:]
        if comparison.get("paired_seeds", 0) > 1:
            first += t["seeds_agree"].format(k=comparison["faster_early_seeds_agreeing"],
                                             n=comparison["paired_seeds"])
        x, y = a["per_variant"][labels[0]], a["per_variant"][labels[1]]
        out["25a"] = [first, t["final"].format(
            a=labels[0], b=labels[1], a_final=_pct(x["final_test_accuracy"]),
            b_final=_pct(y["final_test_accuracy"]), a_peak=_pct(x["peak_test_accuracy"]),
            b_peak=_pct(y["peak_test_accuracy"]), a_epoch=_epoch(x["peak_test_epoch"], "-"),
            b_epoch=_epoch(y["peak_test_epoch"], "-"),
            a_train=_pct(x["final_training_accuracy"]),
            b_train=_pct(y["final_training_accuracy"]))]
    b = experiments.get("overfitting")
    if b:
        out["25b"] = _overfitting_text(b, t)
    c = experiments.get("regularization")
    if c:
        lines = _overfitting_text(c, t)[:1]
        versus = c.get("versus_overfitting")
        if versus and b:
            lines = [t["reg_acc"].format(
                lmbda=f"{c['config']['lmbda']:g}", peak_c=_pct(c["peak_test_accuracy"]),
                epoch_c=_epoch(c["peak_test_epoch"], "-"), peak_b=_pct(b["peak_test_accuracy"]),
                epoch_b=_epoch(b["peak_test_epoch"], "-"), final_c=_pct(c["final_test_accuracy"]),
                final_b=_pct(b["final_test_accuracy"]),
                diff=f"{versus['final_test_accuracy']['difference']:+.2f}")]
            shrinks = versus["final_gap"].get("difference", 0) < 0
            lines.append(t["reg_gap" if shrinks else "reg_gap_grows"].format(
                gap_b=_fmt(b["final_gap"]), gap_c=_fmt(c["final_gap"])))
            lines.append(t["reg_cost"].format(
                cost_c=_fmt(c["final_training_cost"], 4), cost_b=_fmt(b["final_training_cost"], 4),
                quarter=_epoch(c["last_quarter_epochs"], "-"),
                rel_c=_rel(c["last_quarter_relative_change"]),
                rel_b=_rel(b["last_quarter_relative_change"]),
                state_c=t["still"] if _mean(c["still_decreasing"]) else t["flat"],
                state_b=t["still"] if _mean(b["still_decreasing"]) else t["flat"]))
        else:
            lines.append(t["no_base"])
        out["25c"] = lines
    if lang == "de":            # decimal comma
        out = {part: [re.sub(r"(\d)\.(\d)", r"\1,\2", line) for line in lines]
               for part, lines in out.items()}
    return out


def _reach_clause(t, a_label, a, b_label, b):
    """'; 90 % after x vs y epochs' with the cases where a run never gets there."""
    n = _epoch(a["epochs"], "-")
    a90, b90 = _mean(a["epochs_to_90_percent"]), _mean(b["epochs_to_90_percent"])
    if a90 is None and b90 is None:
        return t["reach_none"].format(n=n)
    if a90 is None or b90 is None:
        if a90 is None:
            a_label, a, b_label, b = b_label, b, a_label, a
        return t["reach_one"].format(a=_epoch(a["epochs_to_90_percent"], "-"), a_label=a_label,
                                     b_label=b_label, n=n)
    return t["reach_both"].format(a=_epoch(a["epochs_to_90_percent"], "-"), a_label=a_label,
                                  b=_epoch(b["epochs_to_90_percent"], "-"), b_label=b_label)


def _overfitting_text(s, t):
    full = s["first_epoch_training_100_percent"]
    full_text = (t["full_at"].format(epoch=_epoch(full, "-"))
                 if _mean(full) is not None else t["full_never"])
    lines = [
        t["peak"].format(peak=_pct(s["peak_test_accuracy"]),
                         epoch=_epoch(s["peak_test_epoch"], "-"),
                         epochs=_epoch(s["epochs"], "-"),
                         final=_pct(s["final_test_accuracy"]),
                         tol=f"{_mean(s['plateau_tolerance']):g}",
                         plateau=_epoch(s["plateau_epoch"], "-"),
                         drop_rel=_rel(s["training_cost_drop_after_plateau_relative"]),
                         at_plateau=_fmt(s["training_cost_at_plateau"], 4),
                         final_cost=_fmt(s["final_training_cost"], 4)),
        t["gap"].format(train=_pct(s["final_training_accuracy"]), full=full_text,
                        gap=_fmt(s["final_gap"]), start=_epoch(s["window_from_epoch"], "-"),
                        wmin=_pct(s["window_test_accuracy_min"]),
                        wmax=_pct(s["window_test_accuracy_max"])),
    ]
    if "evaluation_cost_min_epoch" in s:
        lines.append(t["ecost"].format(epoch=_epoch(s["evaluation_cost_min_epoch"], "-"),
                                       low=_fmt(s["evaluation_cost_min"], 4),
                                       rise=_fmt(s["evaluation_cost_rise_after_min"], 4),
                                       final=_fmt(s["final_evaluation_cost"], 4)))
    if (_mean(s["epochs_after_plateau"]) > 0
            and _mean(s["training_cost_drop_after_plateau_relative"]) > 0):
        rising = ""
        if _mean(s.get("evaluation_cost_rise_after_min")):
            rising = t["rising"].format(epoch=_epoch(s["evaluation_cost_min_epoch"], "-"))
        lines.append(t["overfit"].format(epoch=_epoch(s["plateau_epoch"], "-"), rising=rising))
    else:
        lines.append(t["no_overfit"].format(epochs=_epoch(s["epochs"], "-")))
    return lines


# ------------------------------------------------------------------ sweeps --

SWEEP_SCHEMA = "deltanet.task25.sweep/1"


def summarize_sweep(experiment, grid, seeds, points):
    """A sweep's record from its grid points.

    ``points``: list of ``(params, label, [run records])`` (one entry per grid
    point and variant). Each point gets ``final_test_accuracy``,
    ``peak_test_accuracy`` and ``peak_test_epoch`` aggregated over its seeds.
    """
    out = []
    for params, label, records in points:
        usable = [r for r in records if r["history"]["epochs_completed"] > 0]
        per_seed = []
        for r in usable:
            curve = learning_curve(series_of(r)["test_accuracy"])
            per_seed.append({k: curve[k] for k in ("final_test_accuracy", "peak_test_accuracy",
                                                   "peak_test_epoch")})
        stats = aggregate(per_seed) if per_seed else {
            k: {"mean": None, "n": 0, "values": []}
            for k in ("final_test_accuracy", "peak_test_accuracy", "peak_test_epoch")}
        out.append({"params": params, "label": label, "runs": [r["id"] for r in records],
                    "seeds": [r["seed"] for r in records],
                    "statuses": [r["status"] for r in records], **stats})
    return {"schema": SWEEP_SCHEMA, "experiment": experiment, "grid": grid,
            "seeds": list(seeds), "points": out}
