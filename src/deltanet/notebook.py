"""Rich display in Jupyter: HTML for a History, a Network and task-25 results.

Each function returns an HTML string (a small table and, where there are
curves, an inline SVG figure), so it also works outside a notebook::

    from IPython.display import HTML
    HTML(history_html(history))

:func:`progress_bar` makes a tqdm bar that is a widget in a Jupyter kernel
with ipywidgets installed and a text bar everywhere else.
"""

import html
import sys
from importlib.util import find_spec

import numpy as np

from deltanet.costs import cost_name
from deltanet.plots.history import history_series, plot_history

__all__ = ["history_html", "network_html", "results_html", "progress_bar", "figure_svg"]


def widgets():
    """True in a Jupyter kernel that can show ipywidgets (progress bars as widgets)."""
    return "ipykernel.zmqshell" in sys.modules and find_spec("ipywidgets") is not None


def progress_bar(*args, **kwargs):
    """A tqdm progress bar (same arguments as ``tqdm.tqdm``).

    In a Jupyter kernel with ipywidgets: the notebook widget; anywhere else,
    and in a kernel without ipywidgets: the text bar. ``tqdm.auto`` makes the
    same choice but, without ipywidgets, warns "IProgress not found" first.
    """
    if widgets():
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(*args, **kwargs)


def figure_svg(fig):
    """The figure as inline SVG markup (text kept as text; no XML prologue)."""
    from deltanet.plots import figure_bytes
    text = figure_bytes(fig, "svg", dpi="figure").decode("utf-8")
    return text[text.index("<svg"):]


def _table(header, rows):
    cells = lambda tag, row: "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row)
    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>{body}</tbody></table>"


def _shown(value, pattern):
    return "-" if value is None else pattern.format(value)


def history_html(history):
    """First, last and best value of each monitored series, and the curves.

    ``history``: a :class:`deltanet.train.History` or its dict. Best is the
    lowest cost or the highest accuracy (epochs count from 1).
    """
    h = history if isinstance(history, dict) else history.to_dict()
    rows = []
    for key, values in history_series(h).items():
        if values:
            sign = -1 if key.endswith("accuracy") else 1        # the best is the lowest cost
            shown = ("{:.4g}" if sign == 1 else "{:.2f} %").format
            best = int(np.argmin(np.where(np.isnan(values), np.inf, sign * np.asarray(values))))
            rows.append((key.replace("_", " "), shown(values[0]), shown(values[-1]),
                         "-" if np.isnan(values[best])
                         else f"{shown(values[best])} (epoch {best + 1})"))
    planned = (h.get("config") or {}).get("epochs")
    head = (f"<p><b>History</b>: {h['epochs_completed']}{f' of {planned}' if planned else ''} "
            f"epoch{'' if (planned or h['epochs_completed']) == 1 else 's'}, "
            f"{h['n_training']:,} training / {h['n_evaluation']:,} evaluation samples"
            f"{'; stopped: ' + html.escape(h['stopped']) if h.get('stopped') else ''}</p>")
    if not rows:
        return f"<div class='deltanet-history'>{head}<p>no monitored series</p></div>"
    table = _table(("series", "first", "last", "best (epoch)"), rows)
    return f"<div class='deltanet-history'>{head}{table}{figure_svg(plot_history(history))}</div>"


def network_html(net):
    """Sizes, cost, dtype, parameter count and per-layer weight statistics."""
    count = sum(W.size + b.size for W, b in zip(net.weights, net.biases))
    head = (f"<p><b>{type(net).__name__}</b> {html.escape(str(list(net.sizes)))}: cost "
            f"{html.escape(cost_name(net.cost))}, dtype {np.dtype(net.dtype).name}, "
            f"init {html.escape(str(getattr(net, 'init', '?')))}, {count:,} parameters</p>")
    rows = [(l, f"{W.shape[0]} x {W.shape[1]}", *(f"{x:.3g}" for x in (
                W.mean(), W.std(), np.abs(W).max(), b.mean(), b.std())))
            for l, (W, b) in enumerate(zip(net.weights, net.biases), start=2)]
    table = _table(("layer", "weights (n_in x n_out)", "w mean", "w std", "max |w|",
                    "b mean", "b std"), rows)
    return f"<div class='deltanet-network'>{head}{table}</div>"


def results_html(results):
    """One row per stored task-25 run and a figure of their test accuracy.

    ``results``: run records (dicts as in ``DIR/task25/runs/<id>.json``), as a
    list or as ``{experiment: [records]}`` (:func:`deltanet.experiments.runner.load_results`).
    """
    from deltanet.report.explorer import facts
    from matplotlib.figure import Figure
    records = ([r for rs in results.values() for r in rs] if isinstance(results, dict)
               else list(results))
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.add_subplot(xlabel="Epoch", ylabel="Test accuracy (%)")
    rows = []
    for r in records:
        c, series = r["config"], history_series(r["history"])
        f = facts(series)
        peak = "-" if f["peak_test_epoch"] is None else (
            f"{f['peak_test_accuracy']:.2f} % ({f['peak_test_epoch']})")
        rows.append((r["experiment"], r["label"], c["seed"], f"{c['eta']:g}", f"{c['lmbda']:g}",
                     f"{c['train_size']:,}", f"{r['history']['epochs_completed']}/{c['epochs']}",
                     r["status"], _shown(f["final_test_accuracy"], "{:.2f} %"), peak,
                     _shown(f["final_training_accuracy"], "{:.2f} %"),
                     _shown(f["final_gap"], "{:.2f}")))
        test = series["evaluation_accuracy"]
        ax.plot(range(1, len(test) + 1), test, linewidth=1.2,
                label=f"{r['label']}, lmbda {c['lmbda']:g}, {c['train_size']:,} images, "
                      f"seed {c['seed']}")
    if 0 < len(records) <= 10:
        ax.legend(fontsize=7)
    ax.grid(True, alpha=0.3)
    table = _table(("experiment", "label", "seed", "eta", "lmbda", "train size", "epochs",
                    "status", "final test acc.", "peak test acc. (epoch)",
                    "final training acc.", "final gap (points)"), rows)
    return (f"<div class='deltanet-results'><p><b>{len(records)} task-25 run(s)</b></p>"
            f"{table}{figure_svg(fig) if records else ''}</div>")
