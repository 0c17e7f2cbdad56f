"""Figures of task 25 (:data:`FIGURES`), drawn from stored run records only.

:func:`draw_task25` draws 25a (accuracy per epoch, both costs), 25b and 25c
(training cost and test accuracy from epoch 100 on, accuracies over all
epochs; 25c overlaid with 25b); :func:`draw_sweep` a sweep's final and peak
test accuracy per grid point. With several seeds a line is the mean and a band
spans min to max. Figures use :class:`matplotlib.figure.Figure` (no pyplot
state) and are written atomically as PNG and SVG, in English or German.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from deltanet.experiments.conclusions import group_runs, series_of
from deltanet.experiments.definitions import point_label
from deltanet.i18n import Texts, check_lang, t
from deltanet.plots import style, whole_epochs, write_figure

__all__ = ["draw_task25", "draw_sweep", "FIGURES"]

#: Figure stems per part of the task (files: ``<stem>.png`` and ``<stem>.svg``).
FIGURES = {
    "25a": ("25a_accuracy",),
    "25b": ("25b_training_cost", "25b_test_accuracy", "25b_accuracy"),
    "25c": ("25c_training_cost", "25c_test_accuracy", "25c_accuracy"),
}

#: 25b and 25c differ in grey too, and for red-green blindness (not red and green)
COLORS = {"quadratic": "tab:blue", "cross-entropy": "tab:orange",
          "overfitting": "tab:red", "regularization": "navy"}


# ------------------------------------------------------------- the data --

def band(records, key):
    """``(epochs, mean, low, high)`` over the records' series ``key``.

    Series of unequal length (a partial run) are cut to the shortest.
    """
    series = [np.asarray(series_of(r)[key], float) for r in records]
    n = min(len(s) for s in series)
    stack = np.stack([s[:n] for s in series])
    return np.arange(1, n + 1), stack.mean(axis=0), stack.min(axis=0), stack.max(axis=0)


def _plot(ax, records, key, start, label, color, linestyle="-"):
    epochs, mean, low, high = band(records, key)
    keep = epochs >= start
    ax.plot(epochs[keep], mean[keep], color=color, linestyle=linestyle, linewidth=1.4,
            label=label)
    if len(records) > 1:
        ax.fill_between(epochs[keep], low[keep], high[keep], color=color, alpha=0.18,
                        linewidth=0)


def _new_figure(width=7.5, height=4.6, layout=None):
    """A figure with one axes; fixed margins by default (the constrained-layout
    solver took about 40 % of the drawing time, which counts towards the sheet's 30 s)."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), layout=layout)
    if layout is None:
        fig.subplots_adjust(left=0.125, right=0.975, bottom=0.11, top=0.87)
    return fig, fig.add_subplot()


def _finish(ax, T, title, y_label, n_seeds, **legend):
    """Whole epochs, labels, title, grid; the legend (``**legend``)
    says what line and band mean when there are several seeds."""
    whole_epochs(ax)
    ax.set(xlabel=T["epoch"], ylabel=y_label)
    ax.set_title(title, fontsize=11)
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8.5, title=T["mean_band"].format(n=n_seeds) if n_seeds > 1 else None,
                  title_fontsize=8, **legend)


def _save(fig, fig_dir, name, lang):
    """Write the PNG and SVG (ticks in the language); return the stem."""
    return write_figure(fig, fig_dir, name, lang, dpi=130)[0].with_suffix("")


def _n_seeds(records):
    return len({r["seed"] for r in records})


# ------------------------------------------------------------- figures --

def figure_cost_comparison(records, fig_dir, lang="en"):
    """25a: test (solid) and training (dashed) accuracy of each cost, one figure."""
    T = Texts("fig25_", lang)
    fig, ax = _new_figure(height=5.1)
    fig.subplots_adjust(bottom=0.25, top=0.88)  # room for the legend: no corner is free of curves
    groups = group_runs(records)
    for runs in groups.values():
        config = runs[0]["config"]
        color = COLORS.get(config["cost"])
        name = T["variant"].format(cost=t(f"cost_{config['cost']}", lang), eta=config["eta"])
        _plot(ax, runs, "test_accuracy", 1, f"{name}, {T['test']}", color, "-")
        _plot(ax, runs, "training_accuracy", 1, f"{name}, {T['training']}", color, "--")
    config = records[0]["config"]
    title = T["25a_title"].format(train=config["train_size"], m=config["mini_batch_size"])
    _finish(ax, T, title, T["accuracy"], max(_n_seeds(r) for r in groups.values()),
            loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return [_save(fig, fig_dir, "25a_accuracy", lang)]


def figures_overfitting(base_records, records, fig_dir, start, lang="en"):
    """25b (``base_records`` None) or 25c overlaid with 25b (``base_records``
    may be empty): training cost and test accuracy from ``start`` on, training
    and test accuracy over all epochs."""
    T = Texts("fig25_", lang)
    config = records[0]["config"]
    if base_records is None:
        part, pairs = "25b", [(records, None, COLORS["overfitting"])]
    else:
        part, pairs = "25c", [(records, T["with"].format(lmbda=config["lmbda"]),
                               COLORS["regularization"])]
        if base_records:
            lmbda = base_records[0]["config"]["lmbda"]
            pairs.insert(0, (base_records, T["without"].format(lmbda=lmbda),
                             COLORS["overfitting"]))
    n = max(_n_seeds(r) for r, _, _ in pairs)
    words = dict(start=start, train=config["train_size"], lmbda=config["lmbda"])
    paths = []

    fig, ax = _new_figure()
    for runs, label, color in pairs:
        _plot(ax, runs, "training_cost", start, label or T["cost_line"], color)
    if part == "25c":
        ax.set_yscale("log")    # both curves visible: one falls towards 0, one levels off
    _finish(ax, T, T[f"{part}_cost_title"].format(**words),
            T["training_cost_log" if part == "25c" else "training_cost"], n)
    paths.append(_save(fig, fig_dir, f"{part}_training_cost", lang))

    fig, ax = _new_figure()
    for runs, label, color in pairs:
        _plot(ax, runs, "test_accuracy", start, label or T["test"], color)
        epochs, mean = band(runs, "test_accuracy")[:2]
        i = int(np.argmax(mean))            # the peak, marked
        ax.plot([epochs[i]], [mean[i]], marker="o", color=color, markersize=5,
                label=T["peak"].format(value=float(mean[i]), epoch=int(epochs[i])))
    _finish(ax, T, T[f"{part}_acc_title"].format(**words),
            T["test_accuracy"].format(n=records[0]["history"]["n_evaluation"]), n)
    paths.append(_save(fig, fig_dir, f"{part}_test_accuracy", lang))

    fig, ax = _new_figure()
    for runs, label, color in pairs:
        for key, word, linestyle in (("training_accuracy", "training", "--"),
                                     ("test_accuracy", "test", "-")):
            shown = f"{label}, {T[word]}" if label else T[word]
            _plot(ax, runs, key, 1, shown, color, linestyle)
    _finish(ax, T, T[f"{part}_all_title"], T["accuracy"], n, loc="lower right")
    paths.append(_save(fig, fig_dir, f"{part}_accuracy", lang))
    return paths


def draw_task25(results, fig_dir, lang="en"):
    """Draw every figure the stored ``{experiment: [run records]}`` allow (runs
    without a finished epoch are left out); return ``{part: [stems]}``."""
    from deltanet.experiments.definitions import plot_from_epoch
    check_lang(lang)
    usable = {name: [r for r in records if r["history"]["epochs_completed"] > 0]
              for name, records in results.items()}
    drawn = {}
    with style():
        if usable.get("cost-comparison"):
            drawn["25a"] = figure_cost_comparison(usable["cost-comparison"], fig_dir, lang)
        for name, part in (("overfitting", "25b"), ("regularization", "25c")):
            records = usable.get(name)
            if records:
                start = plot_from_epoch(name, max(r["history"]["epochs_completed"]
                                                  for r in records))
                base = None if name == "overfitting" else usable.get("overfitting") or []
                drawn[part] = figures_overfitting(base, records, fig_dir, start, lang)
    return drawn


def draw_sweep(sweep, stem, lang="en"):
    """A stored sweep record's figure: final and peak test accuracy per grid point
    (mean over the seeds, bars from min to max)."""
    T = Texts("fig25_", lang)
    points = sweep["points"]
    names = [point_label(p["params"], lang) for p in points]
    ticks = list(dict.fromkeys(names))
    labels = list(dict.fromkeys(p["label"] for p in points))
    fig, ax = _new_figure(width=max(6.5, 0.75 * len(ticks) + 3), height=4.8,
                          layout="constrained")
    width = 0.8 / max(1, len(labels))
    for j, label in enumerate(labels):
        color = COLORS.get(label, f"C{j}")
        for key, marker, fill, shift in (("final_test_accuracy", "o", color, -0.2),
                                         ("peak_test_accuracy", "^", "none", 0.2)):
            x, mean, low, high = np.array(
                [(ticks.index(name), p[key]["mean"], p[key]["min"], p[key]["max"])
                 for p, name in zip(points, names)
                 if p["label"] == label and p[key].get("mean") is not None], float).reshape(-1, 4).T
            word = T["final"] if key.startswith("final") else T["best"]
            shown = f"{label}, {word}" if len(labels) > 1 or label != sweep["experiment"] else word
            # lists: matplotlib calls math.isfinite on a first entry, a DeprecationWarning
            # for an array of one number with NumPy < 2.4 (a sweep of one grid point)
            errors = [(mean - low).tolist(), (high - mean).tolist()]
            ax.errorbar(x + (j - (len(labels) - 1) / 2 + shift) * width, mean, yerr=errors,
                        fmt=marker, color=color, mfc=fill, capsize=3, linestyle="none",
                        label=shown)
    tilt = len(ticks) > 4
    ax.set_xticks(range(len(ticks)), ticks, rotation=30 if tilt else 0,
                  ha="right" if tilt else "center", fontsize=8.5)
    ax.set(xlabel=T["grid_point"], ylabel=T["test_accuracy"].format(n=10_000))
    ax.set_title(T["sweep_title"].format(experiment=sweep["experiment"], n=len(sweep["seeds"])),
                 fontsize=11)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8.5)
    return _save(fig, Path(stem).parent, Path(stem).name, lang)
