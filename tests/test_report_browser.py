"""The report in a real browser: headless Chromium loads report.html from disk.

Three runs of Debian's ``chromium`` (each a few seconds):

1. the page as written, with console logging and a screenshot: no console
   message at all (its only script is the explorer's, allowed by its hash in
   the Content-Security-Policy, which turns any attempted network request
   into a console error), and the screenshot is not blank;
2. a copy with a measuring script appended: every figure decoded with a non-zero natural size and a
   non-zero box on the page, every section laid out, a plausible page
   height, no table wider than its column; the numbers come back through
   ``--dump-dom``;
3. print to PDF: each task part starts on a new page.

Skipped, with the reason shown, only where Chromium is not installed.
"""

import html
import json
import re
import shutil
import subprocess

import matplotlib.image
import pytest

from deltanet.report import write_report
from test_report import SECTIONS, tiny_results_dir

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Chromium not installed: apt-get install chromium")

WIDTH, HEIGHT = 1200, 3000
CONSOLE = re.compile(r"CONSOLE[(:]\d+\S*\s+(.*)")

MEASURE = """<script>
window.addEventListener("load", function () {
  var out = {images: [], sections: [], wide_tables: [], errors: window.__errors,
             height: document.documentElement.scrollHeight,
             scroll_width: document.documentElement.scrollWidth,
             inner_width: window.innerWidth};
  Array.prototype.forEach.call(document.images, function (img) {
    var r = img.getBoundingClientRect();
    out.images.push({name: img.getAttribute("data-name"), complete: img.complete,
                     natural_width: img.naturalWidth, natural_height: img.naturalHeight,
                     width: r.width, height: r.height});
  });
  document.querySelectorAll("svg").forEach(function (svg) {
    if (svg.closest(".deltanet-explorer")) return;      // the explorer's panels
    var r = svg.getBoundingClientRect();
    out.images.push({name: "inline svg", complete: true, natural_width: r.width,
                     natural_height: r.height, width: r.width, height: r.height});
  });
  document.querySelectorAll("section.task").forEach(function (s) {
    out.sections.push({id: s.id, height: s.getBoundingClientRect().height});
  });
  document.querySelectorAll(".table-wrap").forEach(function (w) {
    if (w.scrollWidth > w.clientWidth + 1) out.wide_tables.push(w.textContent.slice(0, 60));
  });
  var pre = document.createElement("pre");
  pre.id = "deltanet-measurements";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""

CATCH_ERRORS = """<script>
window.__errors = [];
window.addEventListener("error", function (e) {
  var t = e.target || {};
  window.__errors.push(String(e.message || t.currentSrc || t.src || t.tagName).slice(0, 200));
}, true);
</script>"""


def chromium(profile, *args, timeout=90):
    """Run headless Chromium; return (stdout, console messages)."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-first-run", "--no-default-browser-check", "--disable-extensions",
               "--mute-audio", f"--user-data-dir={profile}", "--enable-logging=stderr",
               "--v=0", f"--window-size={WIDTH},{HEIGHT}", *args]
    proc = subprocess.run(command, capture_output=True, timeout=timeout)
    stderr = proc.stderr.decode("utf-8", "replace")
    console = [m.group(1) for m in map(CONSOLE.search, stderr.splitlines()) if m]
    return proc.stdout.decode("utf-8", "replace"), console


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """report.html in English and in German (German words make wider tables)."""
    out = {}
    for lang in ("en", "de"):
        folder = tmp_path_factory.mktemp(f"browser-{lang}") / "out"
        shutil.copytree(tiny_results_dir(), folder)
        out[lang] = write_report(folder, lang=lang)
    return out


@pytest.fixture
def page(pages):
    return pages["en"]


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    return tmp_path_factory.mktemp("chromium-profile")


def test_page_loads_without_console_errors_and_renders(page, profile, tmp_path):
    shot = tmp_path / "report.png"
    _, console = chromium(profile, "--virtual-time-budget=5000", f"--screenshot={shot}",
                          page.as_uri())
    assert console == []
    image = matplotlib.image.imread(shot)
    assert image.shape[:2] == (HEIGHT, WIDTH)
    gray = image[..., :3].mean(axis=2)
    assert gray.std() > 0.05                        # not blank
    assert 0.02 < (gray < 0.9).mean() < 0.6        # text and figures on a white page
    colour = image[..., :3].max(axis=2) - image[..., :3].min(axis=2)
    assert (colour > 0.3).mean() > 1e-4             # coloured headings, notes, plot lines


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_figure_rendered_and_page_laid_out(lang, pages, profile, tmp_path):
    page = pages[lang]
    source = page.read_text(encoding="utf-8")
    n_figures = source.count("<figure><img")
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">',
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
                   + CATCH_ERRORS, source, count=1)
    assert probe != source
    probe = probe.replace("</body>", MEASURE + "</body>")
    probe_path = page.with_name("report-probe.html")
    probe_path.write_text(probe, encoding="utf-8")
    dom, console = chromium(profile, "--virtual-time-budget=5000", "--dump-dom",
                            probe_path.as_uri())
    assert console == []
    match = re.search(r'<pre id="deltanet-measurements">(.*?)</pre>', dom, re.S)
    assert match, "the measuring script did not run"
    m = json.loads(html.unescape(match.group(1)))
    assert m["errors"] == []
    assert len(m["images"]) == n_figures >= 17
    for image in m["images"]:
        assert image["complete"], image
        assert image["natural_width"] > 100 and image["natural_height"] > 100, image
        assert image["width"] > 100 and image["height"] > 50, image
    assert [s["id"] for s in m["sections"]] == SECTIONS
    assert all(s["height"] > 300 for s in m["sections"]), m["sections"]
    assert 8_000 < m["height"] < 120_000
    assert m["scroll_width"] <= m["inner_width"]
    assert m["wide_tables"] == []


def test_print_starts_every_part_on_a_new_page(page, profile, tmp_path):
    pdf = tmp_path / "report.pdf"
    _, console = chromium(profile, "--virtual-time-budget=5000", "--no-pdf-header-footer",
                          f"--print-to-pdf={pdf}", page.as_uri())
    assert console == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= len(SECTIONS) + 1              # header, then one or more pages per part
    assert pages < 20 * len(SECTIONS)
