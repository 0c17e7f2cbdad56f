"""Learning curves of one training run: the four monitored series of a History
(:func:`history_series`), drawn by :func:`plot_history` (``history.plot(start=99,
lang="de")``; matplotlib is imported only when drawing).
"""

from deltanet.i18n import check_lang, t
from deltanet.limits import check_int
from deltanet.plots import whole_epochs

__all__ = ["history_series", "plot_history", "SERIES"]

#: The monitored series, in the order of network2's return value.
SERIES = ("evaluation_cost", "evaluation_accuracy", "training_cost", "training_accuracy")


def _field(history, key):
    return history[key] if isinstance(history, dict) else getattr(history, key)


def history_series(history):
    """``{name: list of floats}`` for the four monitored series, accuracies in percent.

    ``history``: a :class:`~deltanet.train.History` or its dict. Accuracies
    are stored as counts of correct samples and divided by ``n_training`` /
    ``n_evaluation`` here; a series whose monitor was off stays empty.
    """
    out = {}
    for key in SERIES:
        values = [float(v) for v in _field(history, key)]
        if key.endswith("accuracy") and values:
            n = _field(history, "n_" + key.split("_")[0])
            if not n:
                raise ValueError(f"history has {key} but {'n_' + key.split('_')[0]} = {n}; "
                                 "cannot turn counts into percent")
            values = [100.0 * v / n for v in values]
        out[key] = values
    return out


def plot_history(history, *, start=0, stop=None, lang="en"):
    """The learning curves of ``history`` as a :class:`matplotlib.figure.Figure`.

    A cost panel (training and evaluation cost) and an accuracy panel (training
    and evaluation accuracy in percent); a panel whose series are all empty is
    left out. ``start``/``stop`` select epochs like a slice of the series:
    ``series[start:stop]``, drawn at epochs ``start + 1 .. stop`` (epochs count
    from 1), so ``start=99`` shows the sheet's "from epoch 100 on".
    """
    check_lang(lang)
    shown = " (epochs shown are start+1 .. stop)"
    check_int("start", start, 0, hint=shown)
    if stop is not None and check_int("stop", stop, 0, hint=shown) <= start:
        raise ValueError(f"stop must be > start; got start={start}, stop={stop}")
    series = history_series(history)
    panels = [(kind, [k for k in ("training_" + kind, "evaluation_" + kind) if series[k]])
              for kind in ("cost", "accuracy")]
    panels = [(kind, keys) for kind, keys in panels if keys]
    if not panels:
        raise ValueError("the history has no monitored series; train with "
                         "monitor_*=True to record some")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(5.2 * len(panels), 3.8), layout="constrained")
    colors = {"training": "tab:blue", "evaluation": "tab:orange"}
    for ax, (kind, keys) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        for key in keys:
            data = key.split("_")[0]
            values = series[key][start:stop]
            epochs = range(start + 1, start + 1 + len(values))
            ax.plot(epochs, values, color=colors[data], linewidth=1.4,
                    label=t("hist_" + data, lang, n=_field(history, "n_" + data)))
        ax.set(xlabel=t("hist_epoch", lang), ylabel=t("hist_" + kind, lang),
               title=t(f"hist_{kind}_title", lang))
        whole_epochs(ax)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    return fig
