"""Figures of the complex-valued tutorial task, drawn from stored results.

:func:`plot_complex` reads only the results dict of
:func:`deltanet.experiments.complex_task.run_complex` (or the stored
``results.json``; ``deltanet complex --replot`` redraws them) and writes
``complex-gradient-check`` (error per layer and part, tolerance, wrong variants),
``complex-task`` (test cost, error over the unit disk) and ``complex-mnist``
(accuracy, pole distance, growth of imaginary parts) to ``OUT/complex/``.
"""

import textwrap
from pathlib import Path

import numpy as np

from deltanet.i18n import Texts
from deltanet.plots import new_figure, style, whole_epochs, write_figure

__all__ = ["plot_complex", "FIGURES"]

FIGURES = ("complex-gradient-check", "complex-task", "complex-mnist")


def _plain_log_labels(fig):
    """Tick labels like ``1e-06`` instead of mathtext ``10^{-6}`` (faster to draw);
    an axis without a power of ten in view labels its minor ticks instead."""
    from matplotlib.ticker import FuncFormatter, NullFormatter
    plain = FuncFormatter(lambda v, _: f"{v:g}")
    for ax in fig.axes:
        if ax.get_yscale() == "log":
            lo, hi = np.log10(ax.get_ylim())
            ax.yaxis.set_major_formatter(plain)
            ax.yaxis.set_minor_formatter(plain if np.ceil(lo) > hi else NullFormatter())


def _sizes(sizes):
    return "[" + ",".join(str(s) for s in sizes) + "]"


def _net_label(L, key, net):
    return L[key].format(sizes=_sizes(net["sizes"]), n=net["n_real_parameters"], eta=net["eta"])


def _gradient_check(results, L):
    check = results["gradient_check"]
    fig = new_figure((8, 4.2), left=0.86, right=0.15, top=0.36)
    ax = fig.add_subplot()
    parts = (("weights_re", "Re w"), ("weights_im", "Im w"),
             ("biases_re", "Re b"), ("biases_im", "Im b"))
    palette = ["tab:blue", "tab:cyan", "tab:green", "tab:olive"]
    rows = [(net, row) for net in check["architectures"] for row in net["layers"]]
    values = [max(row[key], 1e-17) for _, row in rows for key, _ in parts]
    x = np.arange(len(values))
    ax.bar(x, values, color=palette * len(rows), width=0.85)
    cx = len(values) + 1 + np.arange(len(check["controls"]))
    ax.bar(cx, [c["max_error"] for c in check["controls"]], color="tab:red", width=0.85,
           label=L["controls"])
    ax.axhline(check["tolerance"], color="black", linestyle="--", linewidth=1,
               label=f"{L['tolerance']} {check['tolerance']:g}")
    ax.set_yscale("log")
    ticks = list(x[::4] + 1.5) + list(cx)
    labels = ([f"{_sizes(net['sizes'])} {L['layer']} {row['layer']}" for net, row in rows]
              + [L[f"control_{c['name']}"] for c in check["controls"]])
    ax.set_xticks(ticks, labels, rotation=60, ha="right", fontsize=7)
    # room for the longest label: ~0.0375 in per character, rotated, at this size
    fig.subplots_adjust(bottom=(0.45 + 0.0375 * max(map(len, labels))) / 4.2)
    for (_, label), color in zip(parts, palette):
        ax.bar([np.nan], [np.nan], color=color, label=label)
    ax.set(ylabel=L["check_y"], title=L["check_title"])
    ax.legend(fontsize=7, ncol=3, loc="upper left")
    return fig


def _task(results, L):
    task = results["task"]
    fig = new_figure((13.5, 4.3), left=0.94, right=1.0, bottom=0.59, top=0.68, wspace=0.45)
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.4, 1, 1]})
    fig.suptitle(L["task_title"].format(target=task["target"]))
    ax = axes[0]
    for key, label, color in (("complex", "complex_net", "tab:purple"),
                              ("real", "real_net", "tab:orange")):
        epochs = np.arange(1, len(task[key]["test_cost"]) + 1)
        ax.plot(epochs, task[key]["test_cost"], color=color, label=_net_label(L, label, task[key]))
    ax.set(yscale="log", xlabel=L["epoch"], ylabel=L["test_cost"])
    ax.set_ylim(top=10 * ax.get_ylim()[1])          # a decade of room for the legend
    ax.legend(fontsize=7, loc="upper right")
    g = np.asarray(task["grid"]["axis"])
    Z = g[None, :] + 1j * g[:, None]
    outside = np.abs(Z) >= 1           # the boundary circle itself is hidden too
    maps = [np.ma.masked_where(outside, np.asarray(task["grid"][f"error_{k}"]))
            for k in ("complex", "real")]
    vmax = max(float(m.max()) for m in maps)
    for ax, key, data in zip(axes[1:3], ("complex", "real"), maps):
        image = ax.imshow(data, origin="lower", extent=(g[0], g[-1], g[0], g[-1]),
                          vmin=0, vmax=vmax, cmap="viridis")
        ax.set_title(L["error_map"].format(which=L[key]), fontsize=9)
        ax.set(xlabel=L["re"], ylabel=L["im"])
    # next to the drawn (square) map, not at the end of a grid cell
    fig.colorbar(image, cax=axes[2].inset_axes([1.05, 0, 0.05, 1]), label="|f − a|")
    whole_epochs(axes[0])
    return fig


def _mnist(results, L):
    mnist = results["mnist"]
    c, r, ins = mnist["complex"], mnist["real"], mnist["instability"]
    fig = new_figure((13, 4), left=0.72, right=0.15, bottom=0.59, top=0.68, wspace=0.39)
    axes = fig.subplots(1, 3)
    ax = axes[0]
    for run, label, color in ((c, "complex_net", "tab:purple"), (r, "real_net", "tab:orange")):
        epochs = np.arange(1, len(run["accuracy"]) + 1)
        ax.plot(epochs, [100 * a for a in run["accuracy"]], marker="o", color=color,
                label=textwrap.fill(_net_label(L, label, run), 40))   # fits its panel
    ax.set(ylim=(0, 100), xlabel=L["epoch"], ylabel=L["accuracy"], title=L["acc_title"])
    ax.legend(fontsize=7)

    ax = axes[1]
    for run, label, color in ((c, L["complex_short"].format(eta=c["eta"]), "tab:purple"),
                              (ins, L["instability"].format(eta=ins["eta"]), "tab:green")):
        dist = [min((d for d in ds if d is not None), default=np.nan)
                for ds in run["pole_distance"]]
        epochs = np.arange(1, len(dist) + 1)
        ax.plot(epochs, dist, marker="o", color=color, label=label)
    ax.axhline(c["pole_threshold"], color="black", linestyle="--", linewidth=1,
               label=L["threshold"])
    ax.axhline(np.pi, color="gray", linestyle=":", linewidth=1, label="π")
    ax.set(yscale="log", xlabel=L["epoch"], ylabel=L["pole"], title=L["pole_title"])
    ax.set_ylim(top=12)                  # room for the legend above π
    ax.legend(fontsize=7, loc="upper right")

    ax = axes[2]
    ax.plot(np.arange(len(ins["max_imag_weight"])), ins["max_imag_weight"], marker="o",
            color="tab:green", label=L["instability"].format(eta=ins["eta"]))
    ax.set(yscale="log", xlabel=L["epoch"], ylabel=L["max_imag"],
           title=L["growth_title"].format(eps=ins["perturbation"]))
    ax.legend(fontsize=7)
    fig.suptitle(L["mnist_title"].format(n=mnist["n_train"]))
    whole_epochs(*axes)
    return fig


def plot_complex(results, out_dir, lang="en"):
    """Draw the three figures into ``out_dir/complex/``; return the file paths.

    ``results`` is the dict returned by ``run_complex`` or read by
    ``load_complex_results``; nothing is recomputed. Parts missing from an
    interrupted run are skipped.
    """
    L = Texts("figcx_", lang)
    folder = Path(out_dir) / "complex"
    paths = []
    for name, key, draw in zip(FIGURES, ("gradient_check", "task", "mnist"),
                               (_gradient_check, _task, _mnist)):
        if key in results:          # an interrupted run: draw what was stored
            with style():
                fig = draw(results, L)
                _plain_log_labels(fig)
                paths += write_figure(fig, folder, name, lang)
    return paths
