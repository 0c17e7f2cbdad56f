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

from deltanet.report import write_report
from test_report import tiny_results_dir
from test_report_browser import CHROMIUM, chromium
from test_review_readers import _drawn, _hidden_under_legends


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = {}
    for lang in ("en", "de"):
        folder = tmp_path_factory.mktemp(f"s24b-{lang}") / "out"
        shutil.copytree(tiny_results_dir(), folder)
        out[lang] = write_report(folder, lang=lang)
    return out


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_link_of_the_page_has_its_target_and_the_contents_list_the_explorer(pages, lang):
    """The explorer section had no id and no line in the table of contents: a reader
    of the contents did not learn it existed, and it could not be linked."""
    page = pages[lang].read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    links = re.findall(r'href="#([^"]+)"', page)
    assert set(links) <= set(ids)
    assert re.search(r'<section class="deltanet-explorer" id="explorer">', page)
    toc = re.search(r'<nav class="toc">(.*?)</nav>', page, re.S)[1]
    entries = re.findall(r'href="#([^"]+)"', toc)
    assert entries.index("explorer") == entries.index("task-25c") + 1    # where it stands
    title = {"en": "Explore the runs", "de": "Die Läufe erkunden"}[lang]
    assert f'<a href="#explorer">{title}</a>' in toc


def test_table_captions_stand_outside_the_scrolling_box(pages):
    """A <caption> is as wide as its table: at a narrow window the wide tables scroll
    and their captions were cut at the window's edge mid-sentence ("... Mini-Batch 10;"
    then "Trainingsbildern.")."""
    page = pages["de"].read_text(encoding="utf-8")
    assert "<caption" not in page
    wraps = page.count('<div class="table-wrap">')
    captions = re.findall(r'<p class="caption">(.*?)</p>\s*<div class="table-wrap">', page, re.S)
    assert 10 <= len(captions) <= wraps
    assert any("Mini-Batch 10; Genauigkeiten auf den Testbildern" in c for c in captions)


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
        pages, tmp_path, width):
    """At 500 px the contents' two columns put the numbers 8.-12. on top of the
    first column's words ("Intervalllänge für|11."), and the captions of the wide
    tables were cut (see above). Headless Chromium's narrowest window is 500 px."""
    source = pages["de"].read_text(encoding="utf-8")
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "",
                   source, count=1).replace("</body>", NARROW + "</body>")
    path = pages["de"].with_name(f"narrow-{width}.html")
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
