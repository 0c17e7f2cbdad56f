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
