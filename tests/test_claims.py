"""Claims are true of the data: checkers on random and adversarial series, the
issue's regression cases on the real stored series, output sets that never
collide, and German output without English words.

``tests/data/sheet_series.json`` holds the series of one real ``deltanet sheet``
(seed 1, float32, OpenBLAS; see its runs' configs) and task 26's trained networks.
"""

import contextlib
import hashlib
import html
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deltanet.experiments import conclusions as C
from deltanet.experiments.gradients import learned_evidence
from deltanet.i18n import LANGUAGES, t
from deltanet.report.document import Num, plain_text

DATA = json.loads((Path(__file__).parent / "data" / "sheet_series.json").read_text())
LANGS = LANGUAGES


# ------------------------------------------------------------ generators --

SHAPES = ("random", "flat", "rising", "falling", "plateau_jump", "rise_then_flat", "steps")


def _shape(kind, n, rng, low, high):
    x = np.linspace(0, 1, n)
    if kind == "random":
        y = rng.uniform(low, high, n)
    elif kind == "flat":
        y = np.full(n, (low + high) / 2)
    elif kind == "rising":
        y = low + (high - low) * x
    elif kind == "falling":
        y = high - (high - low) * x
    elif kind == "plateau_jump":
        cut = rng.integers(0, n) if n > 1 else 0
        y = np.where(np.arange(n) < cut, low, high) + rng.uniform(-0.6, 0.6, n)
    elif kind == "rise_then_flat":
        y = low + (high - low) * (1 - np.exp(-8 * x)) + rng.normal(0, 0.05, n)
    else:
        y = low + np.floor(4 * x) * (high - low) / 4
    return y


@st.composite
def runs(draw, max_len=90):
    """One run's series: shaped with noise, or raw values from a small set (ties)."""
    n = draw(st.integers(1, max_len))
    if draw(st.booleans()):
        values = st.sampled_from([80.0, 80.5, 81.0, 82.4, 81.9, 100.0])
        acc = draw(st.lists(values, min_size=n, max_size=n))
        train = draw(st.lists(values, min_size=n, max_size=n))
        cost = draw(st.lists(st.sampled_from([0.5, 0.1808, 0.18081, 0.01, 0.0]),
                             min_size=n, max_size=n))
        ecost = draw(st.lists(st.sampled_from([1.2, 1.2001, 1.3, 0.9]), min_size=n, max_size=n))
    else:
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        low, high = sorted(draw(st.tuples(st.floats(0, 100), st.floats(0, 100))))
        acc = np.clip(_shape(draw(st.sampled_from(SHAPES)), n, rng, low, high), 0, 100)
        train = np.clip(acc + rng.uniform(0, 20, n), 0, 100)
        cost = np.abs(_shape(draw(st.sampled_from(SHAPES)), n, rng, 0.001, 2.0))
        ecost = np.abs(_shape(draw(st.sampled_from(SHAPES)), n, rng, 0.5, 2.0))
        acc, train = np.round(acc, 2).tolist(), np.round(train, 2).tolist()
        cost, ecost = cost.tolist(), ecost.tolist()
    return {"test_accuracy": acc, "training_accuracy": train, "training_cost": cost,
            "evaluation_cost": ecost}


def _shown(kind, value, lang):
    return plain_text([("num", Num(value, *C.KINDS[kind]))], lang).replace("\u00a0", " ")


def _assert_holds(claims, data, configs=None):
    for claim in claims:
        assert C.check_claim(claim, data, configs), claim
        for lang in LANGS:
            text = claim.text(lang)
            for name, (kind, value) in claim.values.items():
                shown = (t(f"cost_with_{value}", lang) if kind == "label" else
                         t(f"phrase_{value}", lang) if kind == "phrase" else str(value)
                         if kind == "text" else _shown(kind, value, lang))
                assert shown in text, (claim, lang, name, text)
    return {c.id for c in claims}


# --------------------------------------------------------- property tests --

@settings(max_examples=200, deadline=None)
@given(runs(), st.integers(1, 100), st.sampled_from([0.0, 0.1]))
def test_overfitting_claims_hold_on_any_series(s, start, lmbda):
    claims = C.overfitting_claims("25b", "overfitting", s, start, lmbda)
    ids = _assert_holds(claims, {"overfitting": s}, {"overfitting": {"lmbda": lmbda}})
    assert {"peak"} <= ids and len(ids & {"stays_within", "ends_below"}) == 1
    assert not ids & ({"overfits"} if lmbda else {"overfits_l2"})


@settings(max_examples=200, deadline=None)
@given(runs(max_len=40), runs(max_len=40), st.booleans())
def test_cost_comparison_claims_hold_on_any_series(a, b, with_gradients):
    if with_gradients:
        a = dict(a, output_gradient_norm=np.linspace(0.01, 1, len(a["test_accuracy"]))[::-1].tolist())
    curves = {"quadratic": a, "cross-entropy": b}
    claims = C.cost_comparison_claims(curves)
    data = {f"cost-comparison/{k}": v for k, v in curves.items()}
    ids = _assert_holds(claims, data)
    assert len(ids & {"early", "early_tie"}) == 1 and "final" in ids


@settings(max_examples=200, deadline=None)
@given(runs(max_len=60), runs(max_len=60), st.sampled_from(["same", "epochs", "seeds"]))
def test_comparison_claims_hold_and_refuse_unequal_setups(b, c, differ):
    configs = {"overfitting": {"eta": 0.5, "lmbda": 0.0, "epochs": 30, "seeds": [1]},
               "regularization": {"eta": 0.5, "lmbda": 0.1, "epochs": 30, "seeds": [1]}}
    if differ != "same":
        configs["regularization"][differ] = [2] if differ == "seeds" else 20
    data = {"overfitting": b, "regularization": c}
    ids = _assert_holds(C.comparison_claims(data, configs), data, configs)
    assert (ids == {"cmp_refused"}) == (differ != "same")
    assert differ != "same" or "cmp_test_cost" in ids


def test_checkers_reject_altered_claims():
    """A checker can fail: move a claim's epoch by one and it no longer holds."""
    claims, data, configs = C.derive_claims(_records())
    altered = 0
    for claim in claims:
        kind, epoch = claim.values.get("epoch", (None, None))
        if kind == "epoch" and claim.id in ("peak", "stays_within", "levels_off", "jump",
                                            "reach", "train_full", "test_cost_rises"):
            for shift in (-1, 1):
                values = dict(claim.values, epoch=("epoch", epoch + shift))
                moved = C.Claim(claim.id, claim.part, claim.subject, values, claim.epochs)
                if 1 <= epoch + shift:
                    assert not C.check_claim(moved, data, configs), moved
                    altered += 1
    assert altered >= 10


# ------------------------------------------------- the seven cases --

def _records(epochs=None):
    out = {}
    for key, v in DATA.items():
        if key.startswith("gradients"):
            continue
        name, _, label = key.partition("/")
        history = dict(v["history"])
        if epochs:
            history = {k: (val[:epochs] if isinstance(val, list) else val)
                       for k, val in history.items()}
            history["epochs_completed"] = epochs
        config = dict(v["config"], epochs=epochs or v["config"]["epochs"])
        out.setdefault(name, []).append({"id": key, "label": label or name, "seed": 1,
                                         "status": "complete", "config": config,
                                         "history": history})
    return out


@pytest.fixture(scope="module")
def real():
    claims, data, configs = C.derive_claims(_records())
    assert all(C.check_claim(c, data, configs) for c in claims)
    return {(c.part, c.id, c.subject): c for c in claims}, data


def test_stays_within_is_where_it_stays_not_where_it_first_gets_there(real):
    claims, data = real
    x = data["overfitting"]["test_accuracy"]
    c = claims[("25b", "stays_within", "overfitting")]
    assert x[104] < max(x) - 0.5 and c.value("epoch") == 183          # not 104
    assert "From epoch 183 on every epoch lies within 0.5 points" in c.text("en")


def test_improvement_after_epoch_100_is_stated_not_denied(real):
    claims, data = real
    c = claims[("25b", "rises_after", "overfitting")]
    assert (c.value("start"), c.value("epoch")) == (100, 388)
    assert c.value("rise") == pytest.approx(82.40 - 81.76)
    assert "stall" not in t("fig25_25b_all_title", "en")
    texts = " ".join(c.text("en") for c in claims.values())
    assert "no longer improves" not in texts


def test_falls_only_when_the_numbers_shown_differ():
    s = {"test_accuracy": [50.0] * 60, "training_accuracy": [60.0] * 60,
         "training_cost": [0.18081 - 1e-7 * i for i in range(60)], "evaluation_cost": [1.0] * 60}
    ids = {c.id for c in C.overfitting_claims("25b", "overfitting", s, 10)}
    assert "no_overfit" in ids and "overfits" not in ids


def test_chance_level_networks_are_not_26b_evidence():
    nets = [dict(n, n_inputs=100, max_gain=0.1, max_abs_w=1.0)
            for n in DATA["gradients/b/networks"]]
    evidence = learned_evidence(nets)
    assert evidence["excluded"] == ["deep-3", "deep-4", "deep-5"]      # 19.8 %, 10 %, 10 %
    assert evidence["n_pairs"] == sum(n["n_pairs"] for n in nets[:3])


def test_quadratic_plateau_and_jump_at_epoch_17(real):
    claims, _ = real
    c = claims[("25a", "jump", "cost-comparison/quadratic")]
    assert (c.value("start"), c.value("end"), c.value("epoch")) == (5, 16, 17)
    assert c.value("after") == pytest.approx(94.66)
    assert ("25a", "no_jump", "cost-comparison/cross-entropy") in claims


def test_jump_explanation_rests_on_the_logged_output_gradient():
    """With per-epoch gradient norms in the history (the core's gradient monitor),
    the 25a jump claim is followed by the measured output-layer norm."""
    results = _records()
    quadratic = next(r for r in results["cost-comparison"] if r["label"] == "quadratic")
    norms = [[1.0, 0.02]] * 14 + [[1.0, 0.5]] * 16          # rises in epoch 15, before the jump
    quadratic["history"]["gradient_norms"] = norms
    claims, data, configs = C.derive_claims(results)
    c = next(c for c in claims if c.id.startswith("jump_gradient"))
    assert c.id == "jump_gradient" and (c.value("start"), c.value("end")) == (5, 15)
    assert c.value("at") == 0.5 and c.value("before") == pytest.approx((10 * 0.02 + 0.5) / 11)
    assert C.check_claim(c, data, configs)
    quadratic["history"]["gradient_norms"] = [[1.0, 0.02]] * 30
    claims, data, configs = C.derive_claims(results)
    assert "jump_gradient_flat" in {c.id for c in claims}


def test_twenty_epochs_make_no_overfitting_verdict():
    """20 epochs (the issue's ``run overfitting --epochs 20``): the level-off and
    overfitting statements are left out as unsupported, not forced either way."""
    claims, data, configs = C.derive_claims(_records(epochs=20))
    ids = {c.id for c in claims if c.part == "25b"}
    assert "level_unknown" in ids and not ids & {"overfits", "no_overfit"}
    assert all(C.check_claim(c, data, configs) for c in claims)


# ------------------------------------------- one tiny German sheet, shared --

ENGLISH = ["quadratic", "cross-entropy", "figures", "figure", "done", "task", "epoch", "epochs",
           "accuracy", "cost", "the", "with", "without", "and", "peak", "final", "network",
           "trained", "layer", "layers", "validation", "independent", "seed"]
ENGLISH_RE = re.compile(r"(?<![\w/.-])(" + "|".join(ENGLISH) + r")(?!\w)", re.I)


def _files(root):
    return {p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sheet_de(tmp_path_factory):
    from deltanet.cli.main import main
    out = tmp_path_factory.mktemp("sheet") / "out"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert main(["sheet", "--quick", "--lang", "de", "--out", str(out), "--quiet"]) == 0
    return out, stdout.getvalue()


def _without_paths(text):
    return " ".join(w for w in text.split() if "/" not in w and "`" not in w)


def test_german_sheet_has_no_english_words(sheet_de):
    out, stdout = sheet_de
    page = (out / "report.de.html").read_text(encoding="utf-8")
    page = re.sub(r"<(code|pre|style|script)\b.*?</\1>", " ", page, flags=re.S)
    markdown = re.sub(r"`[^`]*`|\]\([^)]*\)", " ", (out / "report.de.md").read_text("utf-8"))
    svgs = sorted(out.rglob("*.de.svg"))
    assert len(svgs) == 17 and not (out / "report.html").exists()
    texts = {"stdout": stdout, "report.de.html": html.unescape(re.sub(r"<[^>]+>", " ", page)),
             "report.de.md": markdown}
    for svg in svgs:
        texts[svg.name] = " ".join(html.unescape(m) for m in re.findall(
            r"<text[^>]*>(.*?)</text>", svg.read_text(encoding="utf-8"), flags=re.S))
        assert texts[svg.name].strip(), svg
    for name, text in texts.items():
        found = sorted({m.group(0) for m in ENGLISH_RE.finditer(_without_paths(text))})
        assert not found, (name, found)
    assert "82.4" not in stdout and re.search(r"\d,\d\d %", stdout)       # decimal comma


def test_cli_summary_and_report_say_the_same(sheet_de):
    from deltanet.report import build_report
    from deltanet.report.document import Answer
    out, stdout = sheet_de
    summary = json.loads((out / "task25" / "summary.json").read_text())
    report = build_report(out, lang="de")
    answers = [plain_text(runs, "de").replace("\u00a0", " ") for section in report.sections
               if section.id.startswith("task-25") for block in section.blocks
               if isinstance(block, Answer) for runs in block.sentences]
    texts = [C.Claim.from_dict(d).text("de") for d in summary["claims"]]
    assert answers == texts and "cmp_test_cost" in {d["id"] for d in summary["claims"]}
    for text in texts:
        assert f"  - {text}" in stdout
    assert summary["conclusions"]["25b"] == [C.Claim.from_dict(d).text("de")
                                             for d in summary["claims"] if d["part"] == "25b"]
    # task 26 and the tutorial: the sheet prints the report's own sections
    side = [s for s in report.sections if not s.id.startswith("task-25")]
    assert len(side) == 9
    for section in side:
        assert f"{section.label} – {plain_text(section.title, 'de')}" in stdout
        for block in section.blocks:
            if isinstance(block, Answer):
                for runs in block.sentences:
                    assert f"  - {plain_text(runs, 'de')}\n" in stdout


def test_run_never_modifies_the_sheet_and_languages_sit_side_by_side(sheet_de):
    from deltanet.cli.main import main
    from deltanet.report import write_report
    out, _ = sheet_de
    before = _files(out)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["run", "overfitting", "--epochs", "20", "--train-size", "300", "--out",
                     str(out), "--quiet"]) == 0
    after = _files(out)
    assert {k: after[k] for k in before} == before
    assert all(p.parts[0] == "runs" for p in set(after) - set(before))
    run_summary = json.loads((out / "runs" / "overfitting" / "task25" / "summary.json")
                             .read_text())
    assert run_summary["experiments"]["overfitting"]["variants"]["overfitting"]["epochs"][
        "mean"] == 20
    english = write_report(out, lang="en")                # draws English figures if missing
    assert english.name == "report.html" and (out / "task25/figures/25a_accuracy.svg").is_file()
    assert {k: v for k, v in _files(out).items() if k in before} == before
