"""Figures of task 26 (:data:`FIGURES`, PNG and SVG in ``DIR/gradients/``), drawn
only from the stored ``results.json`` numbers; redraw them without recomputing
with ``deltanet gradients --out DIR --replot``."""

from pathlib import Path

import numpy as np

from deltanet.i18n import Texts
from deltanet.plots import new_figure, style, whole_epochs, write_figure

__all__ = ["plot_gradients", "FIGURES"]

FIGURES = ("a_sigmoid_bound", "b_interval_length", "c_moments", "c_relative_error",
           "c_log_Q", "vanishing", "exploding")

MODEL_ORDER = ("normal", "network", "lognormal")


def _decade_label(y, _pos=None):
    exponent = int(round(np.log10(y))) if y > 0 else 0
    return f"1e{exponent}" if abs(exponent) > 2 else f"{y:g}"


def _log_y(ax):
    """Log y axis, a few decades labelled as plain text like ``1e-5`` (mathtext
    labels made these figures take seconds each)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
    ax.yaxis.set_major_formatter(FuncFormatter(_decade_label))
    ax.yaxis.set_minor_locator(NullLocator())


def plot_gradients(results, out_dir="deltanet-out", lang="en"):
    """Draw every task-26 figure from ``results`` (as written by
    :func:`deltanet.experiments.gradients.run_gradients`) into ``out_dir/gradients/``;
    return the PNG and SVG paths."""
    T = Texts("fig26_", lang)
    parts = {"a": _plot_a, "b": _plot_b, "c": _plot_c, "vanishing": _plot_vanishing,
             "exploding": _plot_exploding}
    missing = [k for k in parts if k not in results]
    if missing:
        raise ValueError(f"results lack the part(s) {', '.join(missing)}; pass the dict "
                         "written by run_gradients")
    with style():           # save_figure makes the folder
        return [path for key, plot in parts.items()
                for path in plot(results[key], T, Path(out_dir) / "gradients")]


def _finish(ax, log=True, legend=None, **settings):
    """Log y axis (``log``), ``ax.set(**settings)``, a light grid, the legend (or none)."""
    if log:
        _log_y(ax)
    ax.set(**settings)
    ax.grid(alpha=0.3)
    if legend is not False:
        ax.legend(**(legend or {}))


def _figure_legend(fig, ax, ncol):
    """``ax``'s legend once for all panels, under the title (inside, it would hide data)."""
    fig.legend(*ax.get_legend_handles_labels(), loc="upper center", ncol=ncol,
               fontsize="small", frameon=False,
               bbox_to_anchor=(0.5, 1 - 0.38 / fig.get_figheight()))


def _plot_a(a, T, target):
    fig = new_figure((6.4, 4.0))
    ax = fig.add_subplot()
    c = a["curve"]
    ax.plot(c["z"], c["sigma"], label=T["sigma"])
    ax.plot(c["z"], c["sigma_prime"], label=T["sigma_prime"])
    ax.axhline(0.25, color="k", ls="--", lw=1, label=T["bound"])
    ax.plot([0], [0.25], "ko", label=T["max"])
    _finish(ax, False, {"loc": "center right"}, xlabel=T["z"], ylabel=T["value"],
            title=T["a_title"], ylim=(-0.02, 1.02))
    return write_figure(fig, target, "a_sigmoid_bound", T.lang, dpi=100)


def _plot_b(b, T, target):
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter
    fig = new_figure((11, 4.2), wspace=0.25)
    ax, ax2 = fig.subplots(1, 2)
    c, m = b["curve"], b["maximum"]
    ax.plot(c["w"], c["L"], label=T["formula"])
    checks = b["root_check"]
    ax.plot([abs(r["w"]) for r in checks], [r["length"] for r in checks], "o", mfc="none",
            label=T["roots"])
    ax.plot([m["w_star"]], [m["L_star"]], "k*", ms=11,
            label=T["L_max"].format(L=m["L_star"], w=m["w_star"]))
    ax.set(xscale="log")
    ticks = [t for t in (4, 5, 7, 10, 20, 50, 100, 200, 500, 1000) if t <= c["w"][-1]]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    _finish(ax, False, {"loc": "upper right"}, xlabel=T["abs_w"], ylabel=T["L"],
            title=T["b_title_L"], ylim=(-0.02, 0.62))          # room for the legend
    g = b["gain_curve"]
    ax2.plot(g["a"], g["gain"], label=T["gain"])
    ax2.axhline(1, color="k", ls="--", lw=1, label=T["one"])
    ax2.axvspan(g["lo"], g["hi"], color="C1", alpha=0.3,
                label=T["interval"].format(L=g["hi"] - g["lo"]))
    ax2.axvspan(0, 1, color="0.5", alpha=0.08, label=T["unit"])
    title = T["b_title_gain"].format(w=g["w"], b=g["b"]).replace("-", "−")    # a real minus
    _finish(ax2, False, {"loc": "upper left", "fontsize": "small"}, xlabel=T["a"],
            ylabel=T["gain"], ylim=(0, 2.2), title=title)
    return write_figure(fig, target, "b_interval_length", T.lang, dpi=100)


def _floats(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _plot_c(c, T, target):
    models = [m for m in MODEL_ORDER if m in c["models"]]
    tables = [c["models"][name]["table"] for name in models]
    k = np.array(c["k"])
    fig = new_figure((4.0 * len(models), 6.6), top=0.95, wspace=0.35, hspace=0.3)
    axes = fig.subplots(2, len(models), squeeze=False)
    for j, (name, t) in enumerate(zip(models, tables)):
        for i, key in enumerate(("mean", "var")):
            ax = axes[i, j]
            ax.plot(k, _floats(t[f"{key}_formula"]), "-", label=T["lognormal_formula"])
            ax.plot(k, _floats(t[f"{key}_exact"]), "--", label=T["exact"])
            ax.plot(k, _floats(t[f"{key}_mc"]), ".", label=T["mc"].format(n=c["n_paths"]))
            _finish(ax, legend=False, xlabel=T["k"], ylabel=T["EQ"] if key == "mean" else T["VarQ"],
                    **({"title": T[f"model_{name}"]} if i == 0 else {}))
    _figure_legend(fig, axes[0, 0], 3)
    fig.suptitle(T["c_title"])
    paths = write_figure(fig, target, "c_moments", T.lang, dpi=100)

    fig = new_figure((11, 4.6), top=0.95, wspace=0.25)
    axes = fig.subplots(1, 2)
    for ax, key in zip(axes, ("mean", "var")):
        for i, (name, t) in enumerate(zip(models, tables)):
            ax.plot(k, np.abs(_floats(t[f"{key}_rel_err_formula_vs_exact"])), "-o", ms=3,
                    color=f"C{i}", label=T[f"model_{name}"])
            if key == "mean":
                ax.plot(k, _floats(t["mean_mc_rel_se"]), ":", color=f"C{i}")
        if key == "mean":                   # one entry for the dotted lines, in any colour
            ax.plot([], [], ":", color="0.4", label=T["mc_se"])
        _finish(ax, legend=False, xlabel=T["k"],
                ylabel=T["relerr_E"] if key == "mean" else T["relerr_Var"])
    _figure_legend(fig, axes[0], 4)
    fig.suptitle(T["relerr_title"])
    paths += write_figure(fig, target, "c_relative_error", T.lang, dpi=100)

    fig = new_figure((4.0 * len(models), 4.0), top=0.7, wspace=0.3)
    for ax, name in zip(fig.subplots(1, len(models), squeeze=False)[0], models):
        model = c["models"][name]
        for i, (kk, h) in enumerate(sorted(model["hist"].items(), key=lambda x: int(x[0]))):
            kk = int(kk)
            edges, density = np.array(h["edges"]), np.array(h["density"])
            ax.stairs(np.where(density > 0, density, np.nan), edges, color=f"C{i}", lw=1.5,
                      label=f"k = {kk}")
            x = np.linspace(edges[0], edges[-1], 300)
            mean, var = kk * model["mu_hat"], kk * model["s2_hat"]
            ax.plot(x, np.exp(-0.5 * (x - mean) ** 2 / var) / np.sqrt(2 * np.pi * var),
                    color=f"C{i}", ls="--", lw=1)
        _log_y(ax)
        ax.set_ylim(1e-6, 50)                      # the legend above the peaks
        ax.set(xlabel=T["lnQ"], ylabel=T["density"], title=T[f"model_{name}"])
        ax.legend(fontsize="small")
    fig.suptitle(T["hist_title"])
    return paths + write_figure(fig, target, "c_log_Q", T.lang, dpi=100)


def _plot_vanishing(v, T, target):
    depths = v["depths"]
    rows = -(-(len(depths) + 1) // 3)       # a panel per depth and one more, 3 per row
    fig = new_figure((4.2 * 3, 3.5 * rows), top=0.95, wspace=0.3, hspace=0.4)
    axes = fig.subplots(rows, 3, squeeze=False).ravel()
    for ax, d in zip(axes, depths):
        h = d["hidden_layers"]
        mean, lo, hi = (np.array(d[key], dtype=float)[:, :h]
                        for key in ("mean_norms", "min_norms", "max_norms"))
        epochs = np.arange(len(mean))
        for l in range(h):
            ax.plot(epochs, mean[:, l], "-o", ms=3, color=f"C{l}", label=T["layer"].format(l=l + 1))
            ax.fill_between(epochs, lo[:, l], hi[:, l], color=f"C{l}", alpha=0.15)
        _finish(ax, legend=False, xlabel=T["epoch"], ylabel=T["norm"],
                title=T["hidden_n"].format(h=h))
        whole_epochs(ax)
    _figure_legend(fig, max(axes[:len(depths)], key=lambda a: len(a.get_lines())), 5)
    ax = axes[len(depths)]
    for i, d in enumerate(depths):
        h = d["hidden_layers"]
        ax.plot(np.arange(1, h + 1), np.array(d["mean_norms"][0][:h], dtype=float), "-o",
                color=f"C{i}", label=T["hidden_n"].format(h=h))
    _finish(ax, legend={"fontsize": "x-small"}, xlabel=T["layer_index"], ylabel=T["norm"],
            title=T["init_title"])
    for ax in axes[len(depths) + 1:]:
        ax.set_visible(False)
    fig.suptitle(T["v_title"].format(seeds=", ".join(map(str, v["seeds"]))))
    return write_figure(fig, target, "vanishing", T.lang, dpi=100)


def _zero_aware_panel(ax, x, rows, labels, floor, T, **settings):
    """One line per row on a log axis; exact zeros drawn as 'x' at ``floor``."""
    zeros, top = any(0 in row for row in rows), max(v for row in rows for v in row if v)
    for i, (y, label) in enumerate(zip(rows, labels)):
        y = _floats(y)
        line, = ax.plot(x, np.where(y > 0, y, np.nan), marker="o", color=f"C{i}", label=label)
        zero = y == 0
        if zero.any():
            ax.plot(np.asarray(x)[zero], np.full(zero.sum(), floor), "x",
                    color=line.get_color(), ms=8)
    _finish(ax, legend={"fontsize": "x-small", "title": T["zero_note"] if zeros else None,
                        "title_fontsize": "x-small"}, xlabel=T["layer_index"], **settings)
    ax.set_xticks(x, [*map(str, x[:-1]), T["output"]])     # as the table: layers 1-5, output
    ax.set_ylim(floor / 10, top * (top / floor) ** 0.4)     # room for the legend above the data


def _plot_exploding(e, T, target):
    fig = new_figure((15, 4.5), top=0.75, wspace=0.25)
    ax, ax2, ax3 = fig.subplots(1, 3)
    layers = np.arange(1, len(e["sizes"]))
    configs = e["configs"]
    rows = [cfg["mean"] for cfg in configs.values()] + e["training"]["norms"]
    floor = 10 ** np.floor(np.log10(min(v for row in rows for v in row if v)) - 1)
    names = ("tuned", "untuned_biases", "input_dependent", "default")
    _zero_aware_panel(ax, layers, [configs[name]["mean"] for name in names],
                      [T[f"cfg_{name}"].format(f=e["factor_per_connection"]) for name in names],
                      floor, T, ylabel=T["norm"], title=T["e_configs"].format(n=e["n_samples"]))

    ch = e["chain"]
    n = np.arange(1, len(ch["norms"]) + 1)
    ax2.plot(n, ch["norms"], "o", ms=8, label=T["chain"])
    ax2.plot(n, ch["norms"][-1] * ch["expected_growth"] ** (len(n) - n), "-",
             label=T["chain_expected"])
    _finish(ax2, legend={"fontsize": "small"}, xlabel=T["layer_all"], ylabel="|∂C/∂bˡ|",
            title=T["chain_title"].format(w=ch["w"]), xticks=n)

    tr = e["training"]
    _zero_aware_panel(ax3, layers, tr["norms"],
                      [T["init"] if i == 0 else T["epoch_n"].format(e=i)
                       for i in range(len(tr["norms"]))],
                      floor, T, ylabel=T["norm"], title=T["train_title"].format(eta=tr["eta"]))
    fig.suptitle(T["e_title"].format(w=e["w"]))
    return write_figure(fig, target, "exploding", T.lang, dpi=100)
