"""The interactive explorer (deltanet.report.explorer), learning-curve figures
(deltanet.plots.history) and the notebook reprs (deltanet.notebook).

The explorer is driven in headless Chromium: a page with the section for
four synthetic runs and a driver script that moves the sliders; the drawn
curves are read back from the DOM and turned back into numbers with the axis
ranges the SVG states, then compared with the series of the run that should
now be selected. The page's Content-Security-Policy allows only the two
scripts by hash (no network, no other script).
"""

import hashlib
import base64
import html
import json
import math
import re
import shutil

import numpy as np
import pytest

from deltanet import Network
from deltanet.datasets import load_mnist
from deltanet.notebook import history_html, network_html, progress_bar, results_html
from deltanet.plots.history import history_series, plot_history
from deltanet.experiments import runner
from deltanet.report.explorer import explorer_section, facts, script_hash, stored_records
from test_report import tiny_results_dir
from test_report_browser import CHROMIUM, chromium

# (lmbda, eta, train_size, seed, epochs)
RUNS = [(0.0, 0.5, 1000, 1, 30), (0.1, 0.5, 1000, 1, 30), (0.1, 0.5, 1000, 2, 30),
        (5.0, 3.0, 5000, 1, 20), (0.0, 0.5, 1000, 2, 30)]


def synthetic_record(i, lmbda, eta, train_size, seed, epochs):
    """A stored-run-like record with distinct, known curves (counts, like the store)."""
    e = np.arange(1, epochs + 1)
    test = 0.80 + 0.1 * (1 - np.exp(-e / (3 + i))) - 0.002 * i * np.maximum(e - 10, 0)
    train = np.minimum(1.0, test + 0.004 * e * (1 + i))
    history = {"evaluation_accuracy": [int(v) for v in np.round(test * 10_000)],
               "training_accuracy": [int(v) for v in np.round(train * train_size)],
               "training_cost": list(0.5 / e ** (0.5 + 0.2 * i)),
               "evaluation_cost": list(0.3 + 0.01 * i * e),
               "n_training": train_size, "n_evaluation": 10_000, "epochs_completed": epochs,
               "gradient_norms": [], "epoch_seconds": [], "stopped": ""}
    config = {"experiment": "overfitting", "cost": "cross-entropy", "eta": eta,
              "lmbda": lmbda, "epochs": epochs, "mini_batch_size": 10,
              "train_size": train_size, "init": "large", "seed": seed, "dtype": "float32",
              "sizes": [784, 30, 10]}
    return {"id": f"run{i}", "status": "complete", "experiment": "overfitting",
            "label": "overfitting", "seed": seed, "config": config, "history": history}


@pytest.fixture(scope="module")
def records():
    return [synthetic_record(i, *run) for i, run in enumerate(RUNS)]


def csp_hash(script):
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def curve(panel, kind):
    """The numbers a drawn path stands for: invert the panel's stated axes."""
    x0, x1 = map(float, panel["x"].split())
    y0, y1 = map(float, panel["y"].split())
    left, top, width, height = map(float, panel["box"].split())
    points = [tuple(map(float, p.split(","))) for p in panel[kind][1:].split("L")]
    epochs = [x0 + (px - left) / width * (x1 - x0) for px, _ in points]
    values = [y0 + (1 - (py - top) / height) * (y1 - y0) for _, py in points]
    if panel["log"] == "1":
        values = [10 ** v for v in values]
    return epochs, values


def assert_shows(state, record):
    """The two panels show ``record``'s four series (to the SVG's 0.1 px)."""
    series = history_series(record["history"])
    accuracy, cost = state["panels"]
    for panel, kind, key in [(accuracy, "training", "training_accuracy"),
                             (accuracy, "evaluation", "evaluation_accuracy"),
                             (cost, "training", "training_cost"),
                             (cost, "evaluation", "evaluation_cost")]:
        epochs, values = curve(panel, kind)
        assert np.allclose(epochs, np.arange(1, len(series[key]) + 1), atol=0.1)
        if panel is accuracy:                                # linear axis: percent
            np.testing.assert_allclose(values, series[key], rtol=0, atol=0.02)
        else:                                                # log axis: relative
            np.testing.assert_allclose(values, series[key], rtol=0.01)


DRIVER = """
window.addEventListener("load", function () {
  var section = document.querySelector("section.deltanet-explorer");
  function path(svg, kind) { var p = svg.querySelector("path.dx-" + kind); return p && p.getAttribute("d"); }
  function state() {
    return {run: section.getAttribute("data-run"), hidden: section.querySelector("form").hidden,
            title: section.querySelector(".dx-title").textContent,
            facts: section.querySelector(".dx-facts").textContent,
            controls: Array.prototype.map.call(section.querySelectorAll("form [name]"),
                                               function (i) { return i.value; }),
            outputs: Array.prototype.map.call(section.querySelectorAll("form output"),
                                              function (o) { return o.textContent; }),
            panels: Array.prototype.map.call(section.querySelectorAll(".dx-figure svg"), function (svg) {
              return {x: svg.dataset.x, y: svg.dataset.y, log: svg.dataset.log, box: svg.dataset.box,
                      training: path(svg, "training"), evaluation: path(svg, "evaluation")};
            })};
  }
  var states = [state()];
  MOVES.forEach(function (move) {
    var input = section.querySelector("[name=" + move[0] + "]");
    input.value = String(move[1]);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    states.push(state());
  });
  var pre = document.createElement("pre");
  pre.id = "states";
  pre.textContent = JSON.stringify(states);
  document.body.appendChild(pre);
});
"""


def page(section, driver=""):
    sources = " ".join([script_hash()] + ([csp_hash(driver)] if driver else []))
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src {sources}"
    script = f"<script>{driver}</script>" if driver else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv='
            f'"Content-Security-Policy" content="{csp}"><title>explorer</title></head>'
            f"<body>{section}{script}</body></html>")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed: apt-get install chromium")
def test_moving_a_slider_draws_the_selected_run(records, tmp_path):
    # sliders: lmbda values 0, 0.1, 5; seed values 1, 2 (indices into the sorted values)
    moves = [("lmbda", 2), ("lmbda", 1), ("seed", 1), ("lmbda", 0)]
    driver = DRIVER.replace("MOVES", json.dumps(moves))
    path = tmp_path / "explorer.html"
    path.write_text(page(explorer_section(records), driver), encoding="utf-8")
    dom, console = chromium(tmp_path / "profile", "--virtual-time-budget=3000", "--dump-dom",
                            path.as_uri())
    assert console == []
    states = json.loads(html.unescape(re.search(r'<pre id="states">(.*?)</pre>', dom, re.S)[1]))
    # lmbda 5 exists only in run 3; back to 0.1 keeps seed 1 (run 1, not run 2);
    # seed 2 with lmbda 0.1 is run 2; lmbda 0 then keeps seed 2 (run 4, not run 0)
    expected = [0, 3, 1, 2, 4]
    assert [int(s["run"]) for s in states] == expected
    for state, i in zip(states, expected):
        lmbda, eta, train_size, seed, _ = RUNS[i]
        assert not state["hidden"]
        assert state["outputs"] == [f"{lmbda:g}", f"{eta:g}", f"{train_size:,}", str(seed)]
        assert_shows(state, records[i])
        f = facts(history_series(records[i]["history"]))
        assert f"{f['peak_test_accuracy']:.2f} % in epoch {f['peak_test_epoch']}" in state["facts"]
        assert f"{f['final_gap']:.2f} points" in state["facts"]
    assert states[1]["panels"][0]["x"] == "1 20" and states[2]["panels"][0]["x"] == "1 30"


def test_without_javascript_the_first_run_is_drawn_statically(records):
    section = explorer_section(records + [records[2]])       # a duplicate is dropped
    assert "<noscript>" in section and '<form class="dx-controls" hidden>' in section
    static = section[:section.index('<script type="application/json"')]
    panels = []
    for svg in re.findall(r"<svg .*?</svg>", static, re.S):
        attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', svg[:svg.index(">")]))
        attrs.update(re.findall(r'<path class="dx-(\w+)" d="([^"]*)"', svg))
        panels.append(attrs)
    assert len(panels) == 2
    assert_shows({"panels": panels}, records[0])
    data = json.loads(re.search(r'<script type="application/json" class="dx-data">(.*?)</script>',
                                section, re.S)[1])
    assert len(data["runs"]) == len(RUNS)
    assert "<" not in section[section.index('class="dx-data">') + 16:section.index("</script>")]
    assert data["controls"][:4] == [["0", "0.1", "5"], ["0.5", "3"], ["1,000", "5,000"], ["1", "2"]]
    assert "Lücke Training-Test am Ende" in explorer_section(records, lang="de")
    with pytest.raises(ValueError, match="at least one run"):
        explorer_section([dict(records[0], history=dict(records[0]["history"], epochs_completed=0))])


def test_stored_records_reads_the_index_and_the_sweeps(tmp_path):
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    tdir = runner.task_dir(out)
    indexed = [r["id"] for rs in runner.load_results(tdir).values() for r in rs]
    swept = indexed[-2:]
    (tdir / "sweeps").mkdir()
    (tdir / "sweeps" / "overfitting-0.json").write_text(json.dumps(
        {"experiment": "overfitting", "points": [{"params": {}, "runs": swept}]}))
    records = stored_records(out)
    assert [r["id"] for r in records] == indexed + swept
    data = json.loads(re.search(r'class="dx-data">(.*?)</script>',
                                explorer_section(records), re.S)[1])
    assert len(data["runs"]) == len(set(indexed)) >= 4


def test_facts_are_computed_from_the_series():
    series = {"evaluation_accuracy": [80.0, 91.0, 91.0, 88.0], "training_accuracy": [82, 95, 99, 100.0],
              "training_cost": [], "evaluation_cost": []}
    assert facts(series) == {"peak_test_accuracy": 91.0, "peak_test_epoch": 2,
                             "final_test_accuracy": 88.0, "final_training_accuracy": 100.0,
                             "final_gap": 12.0}
    assert set(facts({**series, "training_accuracy": []}).values()) >= {None}


# ------------------------------------------------------------ plot_history --

@pytest.fixture(scope="module")
def trained():
    train, _, test = load_mnist()
    net = Network([784, 10, 10], seed=3)
    history = net.SGD(train[:200], 4, 10, 0.5, evaluation_data=test[:300],
                      monitor_evaluation_accuracy=True, monitor_training_cost=True,
                      monitor_training_accuracy=True)
    return net, history


def test_plot_history_draws_the_monitored_series_in_percent(trained):
    _, history = trained
    fig = plot_history(history)
    cost, accuracy = fig.axes
    (line,) = cost.get_lines()                               # evaluation cost was off
    assert list(line.get_xdata()) == [1, 2, 3, 4]
    assert np.allclose(line.get_ydata(), history.training_cost)
    lines = {l.get_label(): l for l in accuracy.get_lines()}
    assert set(lines) == {"training data (200 samples)", "evaluation data (300 samples)"}
    assert np.allclose(lines["evaluation data (300 samples)"].get_ydata(),
                       np.array(history.evaluation_accuracy) / 3)
    assert np.allclose(lines["training data (200 samples)"].get_ydata(),
                       np.array(history.training_accuracy) / 2)


def test_plot_history_epoch_range_and_dict_and_german(trained):
    _, history = trained
    fig = plot_history(history.to_dict(), start=1, stop=3, lang="de")
    assert fig.axes[1].get_ylabel() == "Genauigkeit (%)"
    for ax in fig.axes:
        for line in ax.get_lines():
            assert list(line.get_xdata()) == [2, 3]
    assert np.allclose(fig.axes[0].get_lines()[0].get_ydata(), history.training_cost[1:3])
    accuracy_only = dict(history.to_dict(), training_cost=[])
    assert [ax.get_ylabel() for ax in plot_history(accuracy_only).axes] == ["Accuracy (%)"]
    with pytest.raises(ValueError, match="stop must be > start"):
        plot_history(history, start=3, stop=3)
    with pytest.raises(ValueError, match="no monitored series"):
        plot_history(dict(history.to_dict(), training_cost=[], training_accuracy=[],
                          evaluation_accuracy=[]))



def test_german_history_labels_come_from_the_catalogue_with_german_numbers(trained):
    _, history = trained
    fig = plot_history(dict(history.to_dict(), n_evaluation=10000), lang="de")
    labels = {line.get_label() for line in fig.axes[1].get_lines()}
    assert labels == {"Trainingsdaten (200 Beispiele)", "Evaluationsdaten (10.000 Beispiele)"}
    assert [ax.get_title() for ax in fig.axes] == ["Kosten", "Genauigkeit"]


def test_write_figure_writes_png_and_svg_reproducibly_and_localizes_ticks(tmp_path):
    from matplotlib.figure import Figure
    from deltanet.plots import write_figure

    def draw():
        fig = Figure()
        ax = fig.add_subplot()
        ax.plot([0.5, 1.5], [0.25, 0.75])
        return fig

    fig = draw()
    paths = write_figure(fig, tmp_path / "sub", "curve", "de", dpi=50)
    assert paths == [tmp_path / "sub" / "curve.de.png", tmp_path / "sub" / "curve.de.svg"]
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert "0,3" in shown and not any("." in label for label in shown), shown   # as drawn
    again = write_figure(draw(), tmp_path / "again", "curve", "de", dpi=50)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    plain = draw()
    write_figure(plain, tmp_path, "curve", "de", localize=False)
    assert "0.3" in [t.get_text() for t in plain.axes[0].get_yticklabels()]
    assert write_figure(draw(), tmp_path, "curve", "en")[1] == tmp_path / "curve.svg"


# ---------------------------------------------------------------- reprs --

def test_history_html_states_first_last_and_best(trained):
    _, history = trained
    page = history_html(history)
    acc = np.array(history.evaluation_accuracy) / 3
    best = int(np.argmax(acc))
    assert f"{acc[0]:.2f} %" in page and f"{acc[-1]:.2f} %" in page
    assert f"{acc[best]:.2f} % (epoch {best + 1})" in page
    assert f"{min(history.training_cost):.4g} (epoch {int(np.argmin(history.training_cost)) + 1})" in page
    assert page.count("<svg") == 1 and "evaluation cost" not in page
    assert "4 epochs, 200 training / 300 evaluation samples" in page


def test_network_html_counts_parameters_and_describes_layers(trained):
    net, _ = trained
    page = network_html(net)
    assert "[784, 10, 10]" in page and "7,960 parameters" in page and "float64" in page
    assert f"{net.weights[1].std():.3g}" in page and "784 x 10" in page


def test_results_html_has_one_row_per_run(records):
    page = results_html({"overfitting": records})
    assert page.count("<tr>") == 1 + len(records) and page.count("<svg") == 1
    f = facts(history_series(records[3]["history"]))
    assert f"{f['peak_test_accuracy']:.2f} % ({f['peak_test_epoch']})" in page
    assert "20/20" in page and "5,000" in page
    unmonitored = dict(records[0], history=dict(records[0]["history"], training_accuracy=[]))
    row = results_html([unmonitored]).split("<tbody>")[1]
    assert row.count("<td>-</td>") == 2                      # final training acc. and gap


def test_progress_bar_is_text_outside_a_kernel(capsys):
    bar = progress_bar(range(3), desc="epochs", leave=False)
    assert list(bar) == [0, 1, 2]
    assert type(bar).__module__ == "tqdm.std"


def test_history_and_networks_display_themselves(trained):
    from deltanet.complex import ComplexNetwork
    net, history = trained
    assert history._repr_html_() == history_html(history)
    assert net._repr_html_() == network_html(net)
    assert "<b>ComplexNetwork</b> [3, 2, 1]" in ComplexNetwork([3, 2, 1], seed=0)._repr_html_()
    fig, reference = history.plot(start=1, lang="de"), plot_history(history, start=1, lang="de")
    assert [ax.get_ylabel() for ax in fig.axes] == [ax.get_ylabel() for ax in reference.axes]
    for ax, ref in zip(fig.axes, reference.axes):
        for line, ref_line in zip(ax.get_lines(), ref.get_lines(), strict=True):
            assert list(line.get_xdata()) == list(ref_line.get_xdata()) == [2, 3, 4]
            assert np.array_equal(line.get_ydata(), ref_line.get_ydata())


def test_the_explorer_states_the_claims_of_each_run(records):
    from deltanet.experiments.conclusions import derive_claims
    data = json.loads(re.search(r'class="dx-data">(.*?)</script>',
                                explorer_section(records, lang="de"), re.S)[1])
    for record, run in zip(records, data["runs"]):
        claims, _, _ = derive_claims({"overfitting": [record]})
        assert claims
        for claim in claims:
            assert html.escape(claim.text("de")) in run["facts"]


def test_sheet_explore_sweeps_into_its_own_set_and_the_report_shows_it(tmp_path):
    from deltanet.experiments.sheet import run_sheet
    out = tmp_path / "out"
    result = run_sheet(out, skip=("task25", "gradients", "complex"), explore=True,
                       explore_epochs=2, explore_grid={"lmbda": [0.0, 1.0], "train_size": [100]},
                       workers=0, progress=False)
    assert result.code == 0
    sweep = json.loads(result.paths["explore"].read_text())
    assert result.paths["explore"].parent == out / "runs" / "sweep-overfitting" / "task25" / "sweeps"
    assert [p["params"] for p in sweep["points"]] == [{"lmbda": 0.0, "train_size": 100},
                                                       {"lmbda": 1.0, "train_size": 100}]
    assert not (out / "task25").exists()                   # the sheet's own set is untouched
    page = (out / "report.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'class="dx-data">(.*?)</script>', page, re.S)[1])
    assert data["controls"][0] == ["0", "1"] and len(data["runs"]) == 2
    assert "deltanet-explorer" not in (out / "report.md").read_text(encoding="utf-8")
    assert html.escape(f"script-src {script_hash()}") in page     # the CSP allows the explorer


def test_the_german_explorer_writes_german_numbers_and_words(records):
    """Decimal comma and German thousands separator in facts, titles, sliders and
    tick labels; the run's status in German."""
    import re
    section = explorer_section(records, lang="de")
    english = explorer_section(records, lang="en")
    assert re.search(r"\d\.\d\d %", english) and not re.search(r"\d\.\d\d %", section)
    assert re.search(r"\d,\d\d %", section)
    assert "Status vollständig" in section and "complete" not in section
    sizes = {r["config"]["train_size"] for r in records if r["config"]["train_size"] >= 1000}
    for n in sizes:
        assert f"{n:,}".replace(",", ".") in section and f"{n:,} " not in section
