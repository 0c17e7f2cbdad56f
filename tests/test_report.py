"""The sheet report (HTML + Markdown) built from tiny real results of every part.

The results come from the other commands' quick modes (run once per session,
in parallel subprocesses, see :func:`tiny_results_dir`); the report's numbers
are checked against values computed here, independently, from the raw stored
series (not from the summaries the report reads).
"""

import atexit
import base64
import functools
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from deltanet import __version__
from deltanet.cli.main import COMMAND_MODULES, main
from deltanet.report import build_report, write_report
from deltanet.report.document import Num, TemplateError, format_number, rich
from deltanet.i18n import LANGUAGES, catalogue

TEXT = {lang: catalogue(lang) for lang in LANGUAGES}

SECTIONS = ["task-25a", "task-25b", "task-25c", "task-26a", "task-26b", "task-26c",
            "task-26-measured", "tut-a", "tut-b", "tut-c", "tut-d", "tut-use"]
SECTIONS_WITH_FIGURES = ["task-25a", "task-25b", "task-25c", "task-26a", "task-26b", "task-26c",
                         "task-26-measured", "tut-c", "tut-use"]

PRODUCERS = {
    "task25": ["run", "cost-comparison", "overfitting", "regularization", "--quick",
               "--epochs", "3", "--train-size", "200", "--quiet", "--workers", "0",
               "--name", "sheet"],
    "gradients": ["gradients", "--quick", "--quiet"],
    "complex": ["complex", "--quick", "--quiet"],
}


@functools.lru_cache(maxsize=None)
def tiny_results_dir():
    """A results folder written by the real commands in quick mode (once per session).

    The three parts run in parallel subprocesses (about 10 s in all); the
    folder is removed when the test session ends. Shared with
    ``test_report_browser.py``.
    """
    root = Path(tempfile.mkdtemp(prefix="deltanet-report-test-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    out = root / "out"
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    procs = {name: subprocess.Popen([sys.executable, "-m", "deltanet.cli.main", *argv[:1],
                                     "--out", str(out), *argv[1:]],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for name, argv in PRODUCERS.items()}
    for name, proc in procs.items():
        _, stderr = proc.communicate(timeout=300)
        if name == "task25":        # 'run' writes a set of its own: use it as the sheet's
            shutil.move(out / "runs" / "sheet" / "task25", out / "task25")
        stored = out / name / ("summary.json" if name == "task25" else "results.json")
        if not stored.is_file():
            raise RuntimeError(f"producing the {name} results failed (exit {proc.returncode}):\n"
                               f"{stderr.decode()[-3000:]}")
    return out


@pytest.fixture(scope="module")
def results():
    return tiny_results_dir()


@pytest.fixture
def results_copy(results, tmp_path):
    """A private copy to damage."""
    target = tmp_path / "out"
    shutil.copytree(results, target)
    for name in ("report.html", "report.md"):
        (target / name).unlink(missing_ok=True)
    return target


@pytest.fixture(scope="module")
def report_en(results, tmp_path_factory):
    out = tmp_path_factory.mktemp("en") / "out"
    shutil.copytree(results, out)
    path = write_report(out)
    return out, path.read_text(encoding="utf-8"), (out / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report_de(results, tmp_path_factory):
    out = tmp_path_factory.mktemp("de") / "out"
    shutil.copytree(results, out)
    path = write_report(out, lang="de")
    assert path.name == "report.de.html" and not (out / "report.html").exists()
    return out, path.read_text(encoding="utf-8"), (out / "report.de.md").read_text(encoding="utf-8")


# ----------------------------------------------------------------- parsing --

NUM = re.compile(r'<(span|td) class="num" data-value="([^"]*)" data-kind="([^"]*)"'
                 r'(?: data-key="([^"]*)")?>(.*?)</\1>', re.S)


def numbers(page):
    """``[(key, stored value, kind, shown inner HTML)]`` for every number on the page."""
    out = []
    for _, value, kind, key, inner in NUM.findall(page):
        value = html.unescape(value)
        out.append((html.unescape(key), None if value == "None" else float(value), kind, inner))
    return out


def keyed(page):
    found = {}
    for key, value, kind, inner in numbers(page):
        if key:
            found.setdefault(key, (value, kind, inner))
    return found


def shown_value(inner, kind, lang):
    """Parse a number as shown ("1,234.5 %", "3.2 × 10<sup>−7</sup>", German) back."""
    text = html.unescape(re.sub(r"</?sup>", "|", inner)).replace("\u00a0", " ")
    text = text.split("±")[0].replace("−", "-").replace("%", "").strip()
    if kind == "seconds":
        text = text.removesuffix(" s")
    exponent = 0
    match = re.fullmatch(r"(.*?)\s*×\s*10\|([-\d]+)\|", text)
    if match:
        text, exponent = match.group(1), int(match.group(2))
    if lang == "de":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    text = text.lstrip("+")
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = float(text) * 10.0 ** exponent
    if kind == "percent":
        value /= 100
        decimals += 2
    return value, 0.5 * 10.0 ** (exponent - decimals)


def section_ids(page):
    return dict(re.findall(r'<section class="task" id="([^"]+)" data-complete="(true|false)">',
                           page))


def section_html(page, sid):
    match = re.search(rf'<section class="task" id="{sid}".*?</section>', page, re.S)
    assert match, f"section {sid} not found"
    return match.group(0)


# ------------------------------------------------ independent references --

def references(out):
    """Key -> value computed here from the raw stored series and parameters."""
    ref = {}
    runs = [json.loads(p.read_text()) for p in sorted((out / "task25" / "runs").glob("*.json"))]
    part = {"cost-comparison": "25a", "overfitting": "25b", "regularization": "25c"}
    for run in runs:
        h = run["history"]
        ea, ta, tc = h["evaluation_accuracy"], h["training_accuracy"], h["training_cost"]
        test = [100 * a / h["n_evaluation"] for a in ea]
        train = [100 * a / h["n_training"] for a in ta]
        best = int(np.argmax(test))
        prefix = f"task25/{part[run['experiment']]}"
        if run["experiment"] == "cost-comparison":
            prefix += f"/{run['label']}"
            ref[f"{prefix}/test_accuracy_after_epoch_1"] = test[0]
        ref[f"{prefix}/peak_test_accuracy"] = test[best]
        ref[f"{prefix}/peak_test_epoch"] = best + 1
        ref[f"{prefix}/final_test_accuracy"] = test[-1]
        ref[f"{prefix}/final_training_accuracy"] = train[-1]
        ref[f"{prefix}/final_gap"] = train[-1] - test[-1]
        if run["experiment"] != "cost-comparison":
            ref[f"{prefix}/final_training_cost"] = tc[-1]
            if run["experiment"] == "overfitting":
                ref[f"{prefix}/epochs"] = len(tc)

    g = json.loads((out / "gradients" / "results.json").read_text())
    ref["gradients/a/numeric/max"] = 0.25
    w = np.linspace(4, 60, 200_001)
    L = (2 / w) * np.log((w / 2) * (1 + np.sqrt(1 - 4 / w)) - 1)
    ref["gradients/b/maximum/L_star"] = float(L.max())
    ref["gradients/b/maximum/w_star"] = float(w[np.argmax(L)])
    trained = [n for n in g["b"]["trained"]["networks"] if n["validation_accuracy"] >= 0.5]
    if trained:                     # only networks that learned are 26(b) evidence
        ref["gradients/b/trained/n_pairs"] = sum(n["n_pairs"] for n in trained)
        ref["gradients/b/trained/n_at_least_one"] = sum(n["n_at_least_one"] for n in trained)
    for depth in g["vanishing"]["depths"]:
        h = depth["hidden_layers"]
        norms = np.array([s["norms"] for s in depth["per_seed"]])       # (seeds, epochs+1, layers)
        for layer in range(h + 1):
            ref[f"gradients/vanishing/h{h}/init/{layer}"] = float(norms[:, 0, layer].mean())
            ref[f"gradients/vanishing/h{h}/final/{layer}"] = float(norms[:, -1, layer].mean())
    for name in ("normal", "network"):
        t = g["c"]["models"][name]["table"]
        k = g["c"]["k"][-1]
        ref[f"gradients/c/{name}/k{k}/mean_formula"] = math.exp(k * t["mu"] + k * t["s2"] / 2)
        ref[f"gradients/c/{name}/k{k}/mean_exact"] = t["m1"] ** k

    c = json.loads((out / "complex" / "results.json").read_text())
    check = c["gradient_check"]
    errors = [row[p] for arch in check["architectures"] for row in arch["layers"]
              for p in ("weights_re", "weights_im", "biases_re", "biases_im")]
    ref["complex/gradient_check/max_error"] = max(errors)
    for control in check["controls"]:
        ref[f"complex/gradient_check/controls/{control['name']}"] = control["max_error"]
    for net in ("complex", "real"):
        correct, n = c["mnist"][net]["correct"], c["mnist"]["n_test"]
        ref[f"complex/mnist/{net}/final_accuracy"] = correct[-1] / n
        ref[f"complex/mnist/{net}/best_accuracy"] = max(correct) / n
        ref[f"complex/task/{net}/final_test_cost"] = c["task"][net]["test_cost"][-1]
    return ref


TOLERANCE = {"gradients/b/maximum/L_star": 1e-9, "gradients/b/maximum/w_star": 1e-3}


# -------------------------------------------------------------- unit tests --

@pytest.mark.parametrize("value, kind, digits, lang, expected", [
    (0.9512, "percent", 2, "en", "95.12\u00a0%"),
    (0.9512, "percent", 2, "de", "95,12\u00a0%"),
    (12345.678, "fixed", 1, "en", "12,345.7"),
    (12345.678, "fixed", 1, "de", "12.345,7"),
    (50000, "int", 0, "de", "50.000"),
    (-0.25, "fixed", 2, "en", "\u22120.25"),
    (0.5, "g", 4, "de", "0,5"),
    (3.0, "g", 4, "en", "3"),
    (0.0123456, "sig", 3, "en", "0.0123"),
    (0.0, "sig", 3, "en", "0"),
    (95.5, "pct", 1, "en", "95.5\u00a0%"),
])
def test_format_number(value, kind, digits, lang, expected):
    assert "".join(v for _, v in format_number(value, kind, digits, lang)) == expected


def test_format_number_scientific_uses_a_superscript():
    assert format_number(3.2e-10, "sci", 2, "de") == [("text", "3,2\u00a0×\u00a010"),
                                                       ("sup", "\u221210")]
    assert Num(2.0, "fixed", 1, std=0.25).runs("en") == [("text", "2.0"), ("text", "\u00a0±\u00a0"),
                                                          ("text", "0.2")]


def test_rich_markup_is_read_from_templates_only():
    runs = rich("δ^{ℓ} = {x} in **BP^{2}** `cmd {y}`", "en", x="^{not markup} <b>", y=Num(1.5))
    assert rich("{lang} {template}", "de", lang="a", template="b") == [("text", "a b")]
    assert runs[0] == ("text", "δ") and runs[1] == ("sup", "ℓ")
    assert ("text", " = ^{not markup} <b> in ") in runs
    assert ("strong", [("text", "BP"), ("sup", "2")]) in runs
    assert ("code", "cmd 1.50") in runs
    with pytest.raises(TemplateError, match="missing"):
        rich("{missing}", "en")


def test_text_tables_have_the_same_keys_and_placeholders():
    placeholder = re.compile(r"\{([A-Za-z_]\w*)(?:[:!][^{}]*)?\}", re.ASCII)
    assert TEXT["en"].keys() == TEXT["de"].keys()
    for key, en in TEXT["en"].items():
        de = TEXT["de"][key]
        forms = [(en, de)] if isinstance(en, str) else list(zip(en, de))   # plurals
        assert isinstance(de, type(en)) and len(forms) in (1, 2), key
        for en_form, de_form in forms:
            assert set(placeholder.findall(en_form)) == set(placeholder.findall(de_form)), key
            assert en_form.count("**") % 2 == 0 and de_form.count("**") % 2 == 0, key


def test_bad_lang_is_rejected(results):
    with pytest.raises(ValueError, match="lang must be one of 'en', 'de'; got 'fr'"):
        build_report(results, lang="fr")


# ------------------------------------------------------- the real report --

def test_every_section_present_and_complete(report_en):
    out, page, _ = report_en
    assert section_ids(page) == {sid: "true" for sid in SECTIONS}
    for sid in SECTIONS:
        body = section_html(page, sid)
        assert 'class="question"' in body, sid
        assert 'class="answer"' in body, sid
        assert "<table" in body, sid
        assert 'class="missing' not in body, sid
        if sid in SECTIONS_WITH_FIGURES:
            assert "<figure><img" in body, sid
    # header: date, version, seeds, cpus, commands, one row per experiment
    assert f"deltanet {__version__}" in page and "CPU cores" in page
    assert "Seeds" in page and "Wall time" in page
    assert f"deltanet sheet --out {out}" in page
    assert f"deltanet gradients --out {out}" in page and f"deltanet complex --out {out}" in page
    experiments = re.search(r'<table class="experiments">.*?</table>', page, re.S).group(0)
    assert experiments.count("<tr>") == 1 + 6       # header + 4 task-25 runs + 26 + tutorial
    assert experiments.count("quick mode") == 6
    assert 'class="note warning"' in page           # the quick-mode note


def test_numbers_equal_the_stored_results(report_en):
    out, page, _ = report_en
    found = keyed(page)
    ref = references(out)
    assert len(ref) > 40
    for key, expected in ref.items():
        assert key in found, f"{key} not in the report"
        value, kind, inner = found[key]
        tol = TOLERANCE.get(key, 1e-12)
        assert value == pytest.approx(expected, rel=tol, abs=1e-300), key
        shown, resolution = shown_value(inner, kind, "en")
        assert abs(shown - expected) <= resolution * 1.0001 + abs(expected) * tol, (key, inner)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_shown_number_matches_its_stored_value(lang, report_en, report_de):
    _, page, _ = report_en if lang == "en" else report_de
    checked = 0
    for key, value, kind, inner in numbers(page):
        if value is None or not math.isfinite(value):
            continue
        if kind == "seconds" and value >= 120:         # "2 min 5 s"
            continue
        shown, resolution = shown_value(inner, kind, lang)
        assert abs(shown - value) <= resolution * 1.0001, (key, value, inner)
        checked += 1
    assert checked > 150


def test_answers_use_the_data(report_en):
    out, page, _ = report_en
    ref = references(out)
    answer_25b = re.search(r'<div class="answer">.*?</div>', section_html(page, "task-25b"),
                           re.S).group(0)
    peak_epoch = ref["task25/25b/peak_test_epoch"]
    assert f"in epoch {peak_epoch} of {ref['task25/25b/epochs']}" in html.unescape(
        re.sub(r"<[^>]+>", "", answer_25b))
    answer_26b = page_text(section_html(page, "task-26b"))
    trained = json.loads((out / "gradients" / "results.json").read_text())["b"]["trained"]
    if trained["n_pairs"]:
        verdict = "Likely? No" if trained["fraction"] < 1e-3 else "Likely? Rarely"
    else:
        verdict = "No network reached the threshold"
    assert verdict in answer_26b and "Only networks that learned count" in answer_26b


def test_questions_state_the_stored_settings(report_en):
    """The 25b/25c questions quote the runs' own settings (here a quick run of
    3 epochs on 200 images), not the sheet's defaults."""
    out, page, _ = report_en
    summary = json.loads((out / "task25" / "summary.json").read_text())["experiments"]
    config = summary["overfitting"]["variants"]["overfitting"]["config"]
    assert (config["train_size"], config["epochs"]) == (200, 3)
    question = page_text(section_html(page, "task-25b")).split("Answer")[0]
    assert "first 200 training images for 3 epochs" in question
    assert "1,000" not in question and "400" not in question


def test_answers_follow_the_data(results_copy):
    """Change stored numbers so that each answer of task 26 and the tutorial must
    take its other branch."""
    path = results_copy / "gradients" / "results.json"
    g = json.loads(path.read_text())
    for net in g["b"]["trained"]["networks"]:
        net["validation_accuracy"] = 0.9
    g["b"]["trained"].update(fraction=0.01, n_pairs=100, n_at_least_one=1)
    path.write_text(json.dumps(g))
    path = results_copy / "complex" / "results.json"
    cx = json.loads(path.read_text())
    cx["task"]["cost_ratio"] = 0.5
    cx["mnist"]["complex"]["accuracy"][-1] = cx["mnist"]["real"]["accuracy"][-1] + 0.01
    path.write_text(json.dumps(cx))
    page = write_report(results_copy).read_text(encoding="utf-8")
    assert section_ids(page) == {sid: "true" for sid in SECTIONS}
    text = page_text(page)
    for sentence in ("Likely? Rarely", "2.00 times higher", "the complex one is ahead",
                     "all of them did"):
        assert sentence in text, sentence


def test_answers_are_the_stored_claims_in_the_reports_language(results_copy):
    """The report renders the claims of summary.json (the same objects the CLI
    prints), in its own language; a stored claim its runs do not support is not shown."""
    from deltanet.experiments.conclusions import Claim
    path = results_copy / "task25" / "summary.json"
    summary = json.loads(path.read_text())
    claims = [Claim.from_dict(d) for d in summary["claims"]]
    for lang, name in (("en", "report.html"), ("de", "report.de.html")):
        text = " ".join(page_text(write_report(results_copy, lang=lang)
                                  .read_text(encoding="utf-8")).split())
        for claim in claims:
            assert " ".join(claim.text(lang).split()) in text, (lang, claim.id)
    peak = next(d for d in summary["claims"] if d["id"] == "peak" and d["part"] == "25b")
    original = Claim.from_dict(peak).text("en")
    peak["values"]["epoch"][1] = 9999
    path.write_text(json.dumps(summary))
    text = " ".join(page_text(write_report(results_copy).read_text("utf-8")).split())
    assert "in epoch 9,999 of" not in text and " ".join(original.split()) in text


def assert_only_the_explorers_scripts(page):
    """The page's scripts are the explorer's data block and its script (allowed by
    its hash in the CSP), nothing else."""
    from deltanet.report.explorer import SCRIPT, script_hash
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S | re.I)
    assert page.lower().count("<script") == len(scripts) == 2
    assert scripts[0][0] == ' type="application/json" class="dx-data"' and scripts[1] == ("", SCRIPT)
    assert html.escape(f"script-src {script_hash()}") in page


def test_page_is_self_contained(report_en):
    out, page, md = report_en
    attributes = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page)
    assert attributes, "no src/href at all?"
    for value in attributes:
        assert not re.match(r"(?i)\s*(https?:|//|ftp:|file:)", value), value
        assert value.startswith(("data:image/", "#")), value
    assert "@import" not in page and "url(" not in page
    assert "<link" not in page.lower()
    assert_only_the_explorers_scripts(page)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert html.unescape(csp.group(1)).startswith("default-src 'none'; img-src data:;")
    images = re.findall(r'<img src="data:(image/[^;]+);base64,([^"]+)"', page)
    assert len(images) == page.count("<figure><img")
    for mime, data in images:
        raw = base64.b64decode(data)
        if mime == "image/svg+xml":
            svg = raw.decode("utf-8")
            assert "<svg" in svg
            assert not re.search(r'(?:xlink:)?href="(?!#|data:image/)', svg), "external reference"
        else:
            assert mime == "image/png" and raw[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r"\]\((?:https?:)?//", md)


def test_german_report(report_de):
    out, page, md = report_de
    assert '<html lang="de">' in page
    for word in ("Frage", "Antwort aus den Daten", "Was gerechnet wurde", "Inhalt",
                 "Overfitting", "L2-Regularisierung", "Intervalllänge für |w| ≥ 4",
                 "BP1 für komplexwertige Netze", "Bericht erstellt", "Startwerte (Seeds)"):
        assert word in html.unescape(page), word
    for english in ("Answer from the data", "Question:", "What was run", "Contents",
                    "learns faster", "Report generated"):
        assert english not in page, english
    assert section_ids(page) == {sid: "true" for sid in SECTIONS}
    found = keyed(page)
    peak = found["task25/25b/peak_test_accuracy"][2]
    assert re.fullmatch(r"\d+,\d\d\u00a0%", peak), peak          # decimal comma
    assert "## 25 (a) – Quadratische vs. Kreuzentropie-Kosten" in md
    # the figures are drawn in German, next to the English ones
    assert "task25/figures/25a_accuracy.de.png" in md and not (out / "report.md").exists()


def test_markdown_report(report_en):
    out, page, md = report_en
    for sid, label in zip(SECTIONS, ["25 (a)", "25 (b)", "25 (c)", "26 (a)", "26 (b)",
                                     "26 (c)", "26 +", "T (a)", "T (b)", "T (c)", "T (d)",
                                     "T +"]):
        assert f'<a id="{sid}"></a>' in md and f"## {label} – " in md
    links = re.findall(r"!\[(?:\\.|[^\]\\])*\]\(([^)]+)\)", md)
    assert len(links) == page.count("<figure><img")
    for link in links:
        assert (out / link).is_file(), link
    found = keyed(page)
    for key in ("task25/25b/peak_test_accuracy", "gradients/b/maximum/L_star",
                "complex/gradient_check/max_error"):
        assert found[key][2] in md, key
    assert "**Answer from the data**" in md and "http" not in md


# ------------------------------------------------------------ bad input --

def test_missing_part_is_marked_with_its_command(results_copy):
    shutil.rmtree(results_copy / "gradients")
    page = write_report(results_copy).read_text(encoding="utf-8")
    status = section_ids(page)
    assert set(status) == set(SECTIONS)
    for sid in ("task-26a", "task-26b", "task-26c", "task-26-measured"):
        assert status[sid] == "false"
        body = html.unescape(section_html(page, sid))
        assert "results file gradients/results.json not found" in re.sub(r"<[^>]+>", "", body)
        assert f"<code>deltanet gradients --out {results_copy}</code>" in body
    assert all(status[sid] == "true" for sid in SECTIONS if not sid.startswith("task-26"))
    assert "Incomplete: 26 (a), 26 (b), 26 (c), 26 +" in html.unescape(page)
    md = (results_copy / "report.md").read_text(encoding="utf-8")
    assert f"`deltanet gradients --out {results_copy}`" in md and "(incomplete)" in md


def test_missing_figure_and_missing_experiment(results_copy):
    for ext in ("png", "svg"):
        (results_copy / "complex" / f"complex-task.{ext}").unlink()
    _edit(results_copy / "complex" / "results.json", lambda c: c.update(schema="other/1"))
    _edit(results_copy / "task25" / "results.json",       # the summary is recomputed
          lambda index: index["experiments"].pop("regularization"))
    page = html.unescape(write_report(results_copy).read_text(encoding="utf-8"))
    status = section_ids(page)
    assert status["tut-use"] == "false" and status["task-25c"] == "false"
    assert status["task-25a"] == "true" and status["tut-a"] == "true"
    body = section_html(page, "tut-use")
    assert "Figure missing:" in body and "complex/complex-task" in body
    assert f"deltanet complex --out {results_copy} --replot" in body
    body = section_html(page, "task-25c")
    assert "regularization" in body
    assert f"deltanet sheet --out {results_copy} --skip gradients,complex,report" in body


def test_missing_summary_is_recomputed_from_the_runs(results_copy, report_en):
    (results_copy / "task25" / "summary.json").unlink()
    page = write_report(results_copy).read_text(encoding="utf-8")
    assert section_ids(page) == {sid: "true" for sid in SECTIONS}
    assert "were recomputed from the stored runs" in page
    ref = references(results_copy)
    found = keyed(page)
    for key in ("task25/25b/peak_test_accuracy", "task25/25c/final_training_cost"):
        assert found[key][0] == pytest.approx(ref[key], rel=1e-12)


def test_corrupt_foreign_and_old_results(results_copy):
    (results_copy / "complex" / "results.json").write_text("{not json")
    path = results_copy / "gradients" / "results.json"
    data = json.loads(path.read_text())
    data["versions"]["deltanet"] = "0.0.1"
    del data["c"]
    path.write_text(json.dumps(data))
    page = html.unescape(write_report(results_copy).read_text(encoding="utf-8"))
    text = re.sub(r"<[^>]+>", "", page)
    status = section_ids(page)
    assert [sid for sid, ok in status.items() if ok == "false"] == [
        "task-26c", "tut-a", "tut-b", "tut-c", "tut-d", "tut-use"]
    assert "results file complex/results.json cannot be read" in text
    assert "results file gradients/results.json lacks what this part needs (c: no entry c)" in text
    assert (f"The results in gradients were written by deltanet 0.0.1; this report is from "
            f"deltanet {__version__}") in text
    # the readable parts of the old file are still reported
    assert status["task-26a"] == "true" and status["task-26b"] == "true"


def test_a_results_file_nested_too_deep_is_a_gap_not_a_crash(results_copy):
    (results_copy / "complex" / "results.json").write_text("[" * 100_000)
    page = html.unescape(write_report(results_copy).read_text(encoding="utf-8"))
    assert "results file complex/results.json cannot be read" in re.sub(r"<[^>]+>", "", page)
    assert section_ids(page)["task-26a"] == "true" and section_ids(page)["tut-a"] == "false"


def test_a_versions_entry_of_another_layout_is_no_crash(results_copy):
    path = results_copy / "gradients" / "results.json"
    data = json.loads(path.read_text())
    data["versions"] = "0.0.1"
    path.write_text(json.dumps(data))
    page = write_report(results_copy).read_text(encoding="utf-8")
    assert section_ids(page)["task-26a"] == "true"


def test_several_seeds_show_mean_and_spread(results_copy):
    path = results_copy / "task25" / "summary.json"
    summary = json.loads(path.read_text())
    entry = summary["experiments"]["overfitting"]["variants"]["overfitting"]
    entry["seeds"] = [1, 2]
    entry["peak_test_accuracy"] = {"mean": 80.125, "std": 0.5, "min": 79.625, "max": 80.625,
                                   "n": 2, "values": [79.625, 80.625], "missing": 0}
    entry["peak_test_epoch"] = {"mean": 30.5, "std": 1.5, "min": 29, "max": 32, "n": 2,
                                "values": [29, 32], "missing": 0}
    path.write_text(json.dumps(summary))
    (path.parent / "results.json").unlink()     # without runs to check it against
    page = write_report(results_copy).read_text(encoding="utf-8")
    body = section_html(page, "task-25b")
    assert "Mean ± standard deviation over 2 seeds." in body
    assert "No stored runs to check <code>task25/summary.json</code> against" in page
    found = keyed(body)
    assert found["task25/25b/peak_test_accuracy"][0] == 80.125
    assert found["task25/25b/peak_test_accuracy"][2] == "80.12\u00a0±\u00a00.50\u00a0%"
    assert found["task25/25b/peak_test_epoch"][2] == "30.5\u00a0±\u00a01.5"


def test_stored_text_is_escaped(results_copy):
    path = results_copy / "complex" / "results.json"
    data = json.loads(path.read_text())
    data["task"]["target"] = '<script>alert("x")</script> & <img src=http://evil>'
    path.write_text(json.dumps(data))
    page = write_report(results_copy).read_text(encoding="utf-8")
    assert "<img src=http" not in page
    assert_only_the_explorers_scripts(page)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
    md = (results_copy / "report.md").read_text(encoding="utf-8")
    assert "`<script>alert(\"x\")</script> & <img src=http://evil>`" in md  # a code span


def test_missing_results_dir_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "no-such-dir"
    with pytest.raises(FileNotFoundError, match=re.escape(f"results directory '{missing}' does "
                                                          "not exist")):
        write_report(missing)
    assert main(["report", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("deltanet report: error: results directory") and "deltanet sheet" in err
    assert not missing.exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="is not a directory"):
        write_report(tmp_path / "file")


def test_empty_results_dir_gives_a_report_of_gaps(tmp_path):
    page = write_report(tmp_path).read_text(encoding="utf-8")
    assert section_ids(page) == {sid: "false" for sid in SECTIONS}
    for command in ("deltanet sheet", "deltanet gradients", "deltanet complex"):
        assert f"{command} --out {tmp_path}" in page


def test_cli_report(results_copy, capsys):
    assert "report" in COMMAND_MODULES
    assert main(["report", str(results_copy), "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert f"{results_copy / 'report.de.html'} und" in out
    assert '<html lang="de">' in (results_copy / "report.de.html").read_text(encoding="utf-8")
    assert (results_copy / "report.de.md").read_text(encoding="utf-8").startswith("# Übungsblatt")
    assert not (results_copy / "report.html").exists()


# ------------------------------------------------------------ review fixes --

def page_text(page):
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_foreign_layouts_become_gaps_not_crashes(results_copy):
    """Wrong types where the report expects objects or numbers: marked gaps, no traceback."""
    _edit(results_copy / "task25" / "summary.json",
          lambda s: s["experiments"].update({"overfitting": [],
                                             "cost-comparison": {**s["experiments"]["cost-comparison"],
                                                                 "variants": {}}}))
    (results_copy / "task25" / "results.json").unlink()    # or it would be recomputed
    _edit(results_copy / "gradients" / "results.json",
          lambda g: g["exploding"]["configs"]["tuned"].update(mean=[]))
    _edit(results_copy / "complex" / "results.json",
          lambda c: (c["gradient_check"].update(tolerance="x"),
                     c["mnist"].update(instability="x")))
    page = write_report(results_copy).read_text(encoding="utf-8")
    status = section_ids(page)
    assert [sid for sid, ok in status.items() if ok == "false"] == [
        "task-25a", "task-25b", "task-25c", "task-26-measured",
        "tut-a", "tut-b", "tut-c", "tut-d", "tut-use"]
    text = page_text(page)
    assert "summary.json cost-comparison: no variants" in text
    assert "exploding/configs/tuned/mean has 0 values" in text
    assert "value must be a number, got str 'x'" in text
    assert (results_copy / "report.md").is_file()
    # a summary whose experiments are not an object at all
    _edit(results_copy / "task25" / "summary.json", lambda s: s.update(experiments=[]))
    page = write_report(results_copy).read_text(encoding="utf-8")
    assert all(section_ids(page)[sid] == "false" for sid in ("task-25a", "task-25b", "task-25c"))


def test_an_index_of_a_foreign_layout_is_refused(results_copy):
    """(Session 25: the report is written, task 25's parts are gaps naming the index.)"""
    _edit(results_copy / "task25" / "results.json",
          lambda s: s["experiments"]["regularization"].update(runs=None))
    report = build_report(results_copy)
    problem, = report.damaged
    assert "delete it to start a new index" in problem
    assert [s.complete for s in report.sections[:3]] == [False] * 3


def test_german_wording(report_de):
    out, page, md = report_de
    text = page_text(page)
    assert "mit quadratische Kosten" not in text.replace("Mit ", "mit ")
    assert "mit quadratischen Kosten" in text.replace("Mit ", "mit ")
    assert "um den Faktor" in text                          # growth per layer is a factor
    g = json.loads((out / "gradients" / "results.json").read_text())
    ws = "; ".join(format_number(x["w"], "g", 6, "de")[0][1] for x in g["b"]["below_4"])
    assert f"Leer für |w| = {ws} (< 4)" in text
    assert any("," in format_number(x["w"], "g", 6, "de")[0][1] for x in g["b"]["below_4"])
    assert "Schritten kamen" not in text


def test_reproduce_commands_name_this_folder(report_en):
    out, page, _ = report_en
    block = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", page, re.S).group(1))
    lines = block.splitlines()
    # the sheet's set is refilled by the sheet (a 'deltanet run' would write its own set)
    assert not [line for line in lines if line.startswith("deltanet run ")], lines
    assert [line for line in lines if line.startswith("deltanet sheet")] == [
        f"deltanet sheet --out {out} --quick",      # (every part was stored in quick mode)
        f"deltanet sheet --out {out} --skip gradients,complex,report --quick"]


def test_commands_of_a_run_set_name_the_set(results_copy):
    root = results_copy.parent / "root"
    (root / "runs").mkdir(parents=True)
    shutil.copytree(results_copy, root / "runs" / "mine")
    page = html.unescape(write_report(root / "runs" / "mine").read_text(encoding="utf-8"))
    line = next(line for line in page.splitlines() if "deltanet run " in line)
    assert (f"deltanet run cost-comparison overfitting regularization --out {root} --name mine "
            "--quick") in line and "--epochs 3" in line and "--train-size 200" in line
    # "reproduce everything" is this set's own commands: the sheet would fill the folder
    # with other runs (its defaults, task 26, the tutorial task)
    block = re.search(r"<pre><code>(.*?)</code></pre>", page, re.S).group(1)
    assert "deltanet sheet" not in block and "deltanet run " in block, block
    # nor does the quick-mode note send the reader to the sheet: this set's commands do it
    note = next(line for line in page.splitlines() if "Quick-mode results" in line)
    assert "deltanet sheet" not in note and "without <code>--quick</code>" in note, note


def test_comparison_only_between_runs_that_differ_in_lambda_alone(results_copy):
    from deltanet.experiments.conclusions import summarize_task25
    from deltanet.experiments.runner import load_results
    tdir = results_copy / "task25"
    results = load_results(tdir)
    results["regularization"][0]["config"]["eta"] = 0.25      # another setup, not only λ
    _edit(tdir / "summary.json", lambda s: s.update(summarize_task25(results)))
    (tdir / "results.json").unlink()        # without runs to check it against
    body = page_text(section_html(write_report(results_copy).read_text("utf-8"), "task-25c"))
    assert "25c is not compared with 25b: the runs differ not only in λ but also in eta" in body
    assert "λ = 0 (25b)" not in body


def test_what_was_run_states_the_grid_of_26a_as_measured(report_en):
    out, _, markdown = report_en
    data = json.loads((out / "gradients" / "results.json").read_text())
    measured = data["a"]["numeric"]["n_points"]
    row = next(line for line in markdown.splitlines() if line.startswith("| Task 26"))
    assert f"(a) {measured:,} grid points" in row
    assert f"| Grid points | {measured:,} |" in markdown


def test_control_of_26c_does_not_call_a_large_difference_agreement(report_en, report_de):
    # the log-normal control's formula-vs-exact difference comes from estimating mu and
    # s^2 and can be large at k = 30 (0.64 with 2,000 paths): state it, do not call it agreement
    for markdown, agree in ((report_en[2], "moments agree"), (report_de[2], "stimmen überein")):
        line = next(l for l in markdown.splitlines() if "log-normal" in l and "q:" in l)
        assert agree not in line.split("Monte Carlo")[0], line


def test_quick_note_of_a_german_report_names_the_german_sheet(report_de):
    out, _, md = report_de
    note = next(line for line in md.splitlines() if "Schnellmodus (Kurztests" in line)
    assert f"`deltanet sheet --out {out} --lang de`" in note, note
