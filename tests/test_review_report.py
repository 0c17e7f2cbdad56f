"""Review of the rendered output: every shown sentence true of its numbers."""

import math
import re

from deltanet.loop import History


def _row(page, series):
    row = page.split(f"<td>{series}</td>")[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


def test_history_html_best_skips_nan_and_says_none_when_all_nan():
    h = History(training_cost=[math.nan, 0.5, 0.3, math.nan], evaluation_accuracy=[5, 7, 6, 4],
                n_training=10, n_evaluation=10, epochs_completed=4)
    page = h._repr_html_()
    assert _row(page, "training cost")[2] == "0.3 (epoch 3)"
    assert _row(page, "evaluation accuracy")[2] == "70.00 % (epoch 2)"
    nan_only = History(training_cost=[math.nan, math.nan], n_training=10, epochs_completed=2)
    assert _row(nan_only._repr_html_(), "training cost")[2] == "-"


def test_history_html_says_1_epoch_in_the_singular():
    h = History(training_cost=[0.5], n_training=1, epochs_completed=1)
    assert "1 epoch, 1 training / 0 evaluation samples" in h._repr_html_()


def test_explorer_epoch_axis_has_whole_localized_epochs():
    from deltanet.report.explorer import _panel, _ticks
    text = {"epoch": "Epoche"}
    for epochs in (2, 3, 7, 40, 1500):
        svg = _panel([("training", [50.0] * epochs)], epochs, (0, 100), False, "A", text, "de")
        labels = re.findall(r'<text [^>]*y="226"[^>]*>([^<]*)</text>', svg)
        assert labels and all(re.fullmatch(r"\d{1,3}(\.\d{3})*", l)
                                                    for l in labels), labels
        assert int(labels[-1].replace(".", "")) <= epochs


def _x_labels(ax):
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]


def test_epoch_axes_of_figures_show_whole_epochs():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from deltanet.plots.history import plot_history
    from deltanet.i18n import Texts
    from deltanet.plots.task25 import _finish, _new_figure
    fig, ax = _new_figure()
    FigureCanvasAgg(fig)
    ax.plot([1, 2, 3], [70.0, 75.0, 80.0])
    _finish(ax, Texts("fig25_", "de"), "title", "accuracy", 1)
    h = History(training_cost=[0.5, 0.4, 0.3], n_training=10, epochs_completed=3)
    history_axes = plot_history(h).axes
    FigureCanvasAgg(history_axes[0].figure)
    for labels in (_x_labels(ax), _x_labels(history_axes[0])):
        assert labels and all(re.fullmatch(r"[0-9]+", l) for l in labels), labels


def test_log_axes_of_german_figures_get_decimal_commas():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from deltanet.plots import localize_axes
    from deltanet.plots.gradients import _log_y
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0.3, 0.02, 0.0004])
    _log_y(ax)
    localize_axes(ax, "de")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "0,1" in labels and "0,01" in labels and not any("." in l for l in labels), labels


def test_vanishing_figure_ticks_whole_epochs(tmp_path):
    from deltanet.i18n import Texts
    from deltanet.plots.gradients import _plot_vanishing
    norms = [[0.3], [0.03], [0.012]]
    depth = {"hidden_layers": 1, "mean_norms": norms, "min_norms": norms, "max_norms": norms}
    paths = _plot_vanishing({"depths": [depth], "seeds": [0]}, Texts("fig26_", "de"), tmp_path)
    svg = next(p for p in paths if p.suffix == ".svg").read_text()
    shown = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert "2" in shown and not {"0,5", "1,5"} & set(shown), shown


def test_texts_choose_singular_or_plural_by_n_and_localize_numbers():
    from deltanet.i18n import Texts
    title = Texts("fig25_", "de")["sweep_title"]
    assert "(Mittel über 1 Seed," in title.format(experiment="x", n=1)
    assert "(Mittel über 2 Seeds," in title.format(experiment="x", n=2)
    assert Texts("fig25_", "de")["test_accuracy"].format(n=10_000).endswith("10.000 Testbildern)")


def test_complex_log_axis_within_one_decade_still_has_labels():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from deltanet.plots.complex import _plain_log_labels
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [4.0e-6, 5.0e-6])            # the growth of Im w in the quick run
    ax.set_yscale("log")
    _plain_log_labels(fig)
    fig.canvas.draw()
    lo, hi = ax.get_ylim()
    shown = [t.get_text() for t in ax.get_yticklabels(minor=False) + ax.get_yticklabels(minor=True)
             if t.get_text() and lo <= t.get_position()[1] <= hi]
    assert shown, "no y label in view"


def test_figures_name_the_gradient_norm_as_the_report_does():
    # the report's tables and captions say ‖∂C/∂b^ℓ‖; the figure labels must not
    # introduce another symbol for the same quantity
    from deltanet.i18n import LANGUAGES, catalogue
    for lang in LANGUAGES:
        assert not [k for k, v in catalogue(lang).items() if "∇" in str(v)], lang


def test_explorer_names_eta_and_lambda_with_the_reports_symbols():
    from deltanet.report.explorer import explorer_section
    history = {"evaluation_accuracy": [50, 60], "training_accuracy": [55, 70],
               "evaluation_cost": [1.0, 0.8], "training_cost": [0.9, 0.5],
               "n_evaluation": 100, "n_training": 100, "epochs_completed": 2}
    config = {"experiment": "overfitting", "cost": "cross-entropy", "eta": 0.5, "lmbda": 0.1,
              "epochs": 2, "mini_batch_size": 10, "train_size": 1000, "init": "large",
              "seed": 1, "dtype": "float32", "sizes": [784, 30, 10]}
    record = {"id": "r", "experiment": "overfitting", "label": "overfitting", "status": "complete",
              "seed": 1, "config": config, "history": history}
    for lang in ("en", "de"):
        section = explorer_section([record], lang=lang)
        assert "<label>λ (L2) " in section and "<label>η " in section, lang
        assert "λ = 0" in section and "η = 0" in section and "lmbda =" not in section, lang


def test_explorer_says_1_epoch_in_the_singular():
    from deltanet.report.explorer import explorer_section
    history = {"evaluation_accuracy": [50], "training_accuracy": [55], "evaluation_cost": [1.0],
               "training_cost": [0.9], "n_evaluation": 100, "n_training": 100,
               "epochs_completed": 1}
    config = {"experiment": "overfitting", "cost": "cross-entropy", "eta": 0.5, "lmbda": 0.0,
              "epochs": 1, "mini_batch_size": 10, "train_size": 100, "init": "large",
              "seed": 1, "dtype": "float32", "sizes": [784, 30, 10]}
    record = {"id": "r", "experiment": "overfitting", "label": "overfitting", "status": "complete",
              "seed": 1, "config": config, "history": history}
    assert "1 of 1 epoch, status complete" in explorer_section([record])
    assert "1 von 1 Epoche, Status" in explorer_section([record], lang="de")
