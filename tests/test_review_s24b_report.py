"""Problems found in the review of session 24 (one test each; every test failed before its fix).

Area: report.html, report.md and the explorer as a student opens them, in a
real browser (headless Chromium, skipped only where it is not installed) and,
for each fix, without one. The results are the tiny real ones of
``test_report.tiny_results_dir``.
"""

import html
import json
import re
import shutil

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from deltanet.report import write_report
from test_report import tiny_results_dir
from test_report_browser import CHROMIUM, chromium
from test_review_readers import _drawn, _hidden_under_legends


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The English report of a copy of the tiny results (the German one would draw
    every German figure: 15 s; the page's structure does not depend on the language)."""
    folder = tmp_path_factory.mktemp("s24b") / "out"
    shutil.copytree(tiny_results_dir(), folder)
    return write_report(folder)


def test_every_link_of_the_page_has_its_target_and_the_contents_list_the_explorer(page):
    """The explorer section had no id and no line in the table of contents: a reader
    of the contents did not learn it existed, and it could not be linked."""
    source = page.read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', source)
    assert len(ids) == len(set(ids))
    links = re.findall(r'href="#([^"]+)"', source)
    assert set(links) <= set(ids)
    assert re.search(r'<section class="deltanet-explorer" id="explorer">', source)
    toc = re.search(r'<nav class="toc">(.*?)</nav>', source, re.S)[1]
    entries = re.findall(r'href="#([^"]+)"', toc)
    assert entries.index("explorer") == entries.index("task-25c") + 1    # where it stands
    assert '<a href="#explorer">Explore the runs</a>' in toc


def test_table_captions_stand_outside_the_scrolling_box(page):
    """A <caption> is as wide as its table: at a narrow window the wide tables scroll
    and their captions were cut at the window's edge mid-sentence ("... Mini-Batch 10;"
    then "Trainingsbildern.")."""
    source = page.read_text(encoding="utf-8")
    assert "<caption" not in source
    wraps = source.count('<div class="table-wrap">')
    captions = re.findall(r'<p class="caption">(.*?)</p>\s*<div class="table-wrap">', source,
                          re.S)
    assert 10 <= len(captions) <= wraps
    assert any("mini-batch 10; accuracies on the test images" in c for c in captions)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_legend_of_25a_hides_no_curve(monkeypatch, tmp_path, lang):
    """25a's legend was pinned to the lower right: with the quick sizes the quadratic
    cost's test curve ran under it (in German, with 'best', it still hid a curve)."""
    from deltanet.experiments import runner
    from deltanet.plots.task25 import draw_task25
    results = runner.load_results(runner.task_dir(tiny_results_dir()))
    figures = _drawn(monkeypatch, lambda: draw_task25(results, tmp_path, lang))
    assert len(figures) == 7
    for name, fig in figures.items():
        assert not _hidden_under_legends(fig), name
        box, page = fig.axes[0].get_legend().get_window_extent(), fig.bbox
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0, name  # not cut


NARROW = """<script>
window.addEventListener("load", function () {
  var W = window.innerWidth, out = {width: W, cut: [], toc: []};
  document.querySelectorAll("p, h1, h2, h3, li, dt, dd, figure, .note, .answer").forEach(function (el) {
    if (el.closest(".table-wrap") || el.closest("pre")) return;
    if (el.getBoundingClientRect().right > W + 1) out.cut.push(el.textContent.slice(0, 60));
  });
  document.querySelectorAll("nav.toc li").forEach(function (li) {
    out.toc.push(Math.round(li.getBoundingClientRect().left));
  });
  out.scroll_width = document.documentElement.scrollWidth;
  var pre = document.createElement("pre");
  pre.id = "deltanet-measurements";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed: apt-get install chromium")
@pytest.mark.parametrize("width", [500, 1200])
def test_a_narrow_window_cuts_no_text_and_lists_the_contents_in_one_column(
        page, tmp_path, width):
    """At 500 px the contents' two columns put the numbers 8.-12. on top of the
    first column's words ("Intervalllänge für|11."), and the captions of the wide
    tables were cut (see above). Headless Chromium's narrowest window is 500 px."""
    source = page.read_text(encoding="utf-8")
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "",
                   source, count=1).replace("</body>", NARROW + "</body>")
    path = page.with_name(f"narrow-{width}.html")
    path.write_text(probe, encoding="utf-8")
    dom, console = chromium(tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom",
                            f"--window-size={width},2000", path.as_uri())
    assert console == []
    m = json.loads(html.unescape(re.search(r'<pre id="deltanet-measurements">(.*?)</pre>',
                                           dom, re.S)[1]))
    assert m["width"] == width
    assert m["cut"] == [] and m["scroll_width"] <= width
    columns = len(set(m["toc"]))
    assert len(m["toc"]) == 13 and columns == (1 if width < 700 else 2)


@pytest.fixture(scope="module")
def side_figures(tmp_path_factory):
    """``{name: figure}``: task 26's and the tutorial's German figures (the wider
    words), drawn once."""
    from deltanet.plots.complex import plot_complex
    from deltanet.plots.gradients import plot_gradients
    results = {name: json.loads((tiny_results_dir() / name / "results.json").read_text())
               for name in ("gradients", "complex")}
    folder, out = tmp_path_factory.mktemp("side-figures"), {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        out = _drawn(monkeypatch, lambda: (plot_gradients(results["gradients"], folder, "de"),
                                           plot_complex(results["complex"], folder, "de")))
    for fig in out.values():
        FigureCanvasAgg(fig)                 # pyplot's close() leaves a bare canvas
        fig.canvas.draw()
    return out


def test_every_legend_of_task26_and_the_tutorial_fits_inside_its_panel(side_figures):
    """The German MNIST accuracy legend ("komplexes Netz [784,15,10] (23.870 reelle
    Parameter, η = 0,05)") was wider than its panel and covered the y tick "100"."""
    assert len(side_figures) == 10
    for name, fig in side_figures.items():
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            if ax.get_legend():
                box, panel = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
                assert panel.x0 - 0.5 <= box.x0 and box.x1 <= panel.x1 + 0.5, name
                assert panel.y0 - 0.5 <= box.y0 and box.y1 <= panel.y1 + 0.5, name


def test_the_complex_task_figure_ticks_whole_epochs_and_writes_a_real_minus(side_figures):
    """The cost panel of the complex task ticked epochs 1.0, 1.5, 2.0, 2.5, 3.0 (in
    German 1,0, 1,5, ...), and its colour bar read "|f - a|" with a hyphen where the
    titles beside it write "|f(z) − a(z)|"."""
    fig = side_figures["complex-task.de"]
    epochs = fig.axes[0].get_xticks()
    lo, hi = fig.axes[0].get_xlim()
    shown = [e for e in epochs if lo <= e <= hi]
    assert len(shown) >= 2 and all(e == int(e) for e in shown), shown
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "|f − a|" in texts and "|f - a|" not in texts
