"""Review of the answers: a claim with L2 says only what its series show, 25c compares
the course of 25b and 25c, and the report never shows a summary its runs contradict."""

import json
import shutil

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deltanet.experiments import conclusions as C, store
from deltanet.experiments.definitions import expand
from test_claims import _assert_holds, _records
from test_report import page_text, tiny_results_dir

BETTER_FIT = {"en": "the network fits the training images ever better",
              "de": "das Netz passt sich den Trainingsbildern immer besser an"}
QUALIFIED = {"en": "the series cannot separate a better fit to the training images from "
                   "shrinking weights",
             "de": "die Reihe kann eine bessere Anpassung an die Trainingsbilder nicht von "
                   "kleiner werdenden Gewichten unterscheiden"}


def _levelling(n, low, high, rate=8.0):
    """Test accuracy that rises and levels off; a training cost that keeps falling."""
    x = np.linspace(0, 1, n)
    acc = np.round(low + (high - low) * (1 - np.exp(-rate * x)), 2).tolist()
    return {"test_accuracy": acc, "training_accuracy": [min(100.0, a + 10) for a in acc],
            "training_cost": (1.0 - 0.5 * x).tolist(),
            "evaluation_cost": (1 + (x - 0.3) ** 2).tolist()}


@pytest.mark.parametrize("lmbda", [0.0, 0.1, 5.0])
def test_overfitting_sentence_with_l2_says_only_what_the_series_show(lmbda):
    s = _levelling(80, 60.0, 80.0)
    claims = C.overfitting_claims("25c", "regularization", s, 10, lmbda)
    data, configs = {"regularization": s}, {"regularization": {"lmbda": lmbda}}
    ids = _assert_holds(claims, data, configs)
    assert ids & {"overfits", "overfits_l2"} == {"overfits_l2" if lmbda else "overfits"}
    claim = next(c for c in claims if c.id.startswith("overfits"))
    for lang in ("en", "de"):
        text = claim.text(lang)
        assert (BETTER_FIT[lang] in text) == (not lmbda)
        assert (QUALIFIED[lang] in text) == bool(lmbda)
    # the checker knows which variant applies: the other run's lambda refutes it
    other = {"regularization": {"lmbda": 0.0 if lmbda else 0.1}}
    assert not C.check_claim(claim, data, other)


def test_the_runs_lambda_reaches_the_claims():
    claims, data, configs = C.derive_claims(_records())
    ids = {(c.part, c.id) for c in claims}
    assert configs["regularization"]["lmbda"] == 0.1 and configs["overfitting"]["lmbda"] == 0.0
    assert {("25b", "overfits"), ("25c", "overfits_l2")} <= ids
    assert ("25c", "overfits") not in ids and ("25b", "overfits_l2") not in ids


def test_course_comparison_on_the_sheet_series():
    claims, data, configs = C.derive_claims(_records())
    by_id = {c.id: c for c in claims if c.part == "25c"}
    level, cost = by_id["cmp_level"], by_id["cmp_test_cost"]
    assert (level.value("without"), level.value("with")) == (192, 321)
    assert level.value("peak_without") == max(data["overfitting"]["test_accuracy"]) == 82.40
    assert level.value("peak_with") == max(data["regularization"]["test_accuracy"]) == 87.72
    assert (cost.value("min_without"), cost.value("trend_without")) == (14, "test_cost_rises")
    assert (cost.value("min_with"), cost.value("trend_with")) == (397, "test_cost_late")
    _assert_holds([level, cost], data, configs)
    assert "from epoch 192 on without regularization and from epoch 321 on with λ = 0.1" \
        in level.text("en")
    assert "ohne Regularisierung ab Epoche 192 ab, mit λ = 0,1 ab Epoche 321" in level.text("de")
    assert "rises after it" in cost.text("en") and "steigen danach an" in cost.text("de")
    # each number is checked: moved by one, or another trend, the claim no longer holds
    for claim, name, value in ((level, "without", 191), (level, "with", 322),
                               (level, "peak_with", 87.49), (cost, "min_with", 396),
                               (cost, "trend_without", "test_cost_flat"),
                               (cost, "trend_with", "test_cost_rises")):
        kind = claim.values[name][0]
        values = dict(claim.values, **{name: (kind, value)})
        moved = C.Claim(claim.id, claim.part, claim.subject, values)
        assert not C.check_claim(moved, data, configs), (claim.id, name)


@settings(max_examples=60, deadline=None)
@given(st.integers(40, 90), st.integers(40, 90), st.floats(2, 30), st.floats(2, 30),
       st.floats(0.05, 1.0))
def test_course_comparison_holds_on_generated_series(nb, nc, rate_b, rate_c, shift):
    b, c = _levelling(nb, 50.0, 80.0, rate_b), _levelling(nc, 55.0, 85.0, rate_c)
    c["evaluation_cost"] = (1 + (np.linspace(0, 1, nc) - shift) ** 2).tolist()
    configs = {"overfitting": {"lmbda": 0.0, "seeds": [1]},
               "regularization": {"lmbda": 0.1, "seeds": [1]}}
    data = {"overfitting": b, "regularization": c}
    claims = C.comparison_claims(data, configs)
    ids = _assert_holds(claims, data, configs)
    assert "cmp_test_cost" in ids
    assert ("cmp_level" in ids) == all(C._level_epoch(s["test_accuracy"]) for s in (b, c))


# ---------------------------------------------------------------- report --

@pytest.fixture
def results_copy(tmp_path):
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    return out


def _page(out, lang="en"):
    from deltanet.report import write_report
    return page_text(write_report(out, lang=lang).read_text(encoding="utf-8"))


def test_an_edited_summary_is_recomputed_from_the_runs(results_copy):
    from deltanet.report.document import Num, plain_text
    path = results_copy / "task25" / "summary.json"
    assert "did not match the stored runs" not in _page(results_copy)    # as stored: kept
    summary = json.loads(path.read_text())
    peak = next(c for c in summary["claims"] if c["part"] == "25b" and c["id"] == "peak")
    peak["values"]["peak"][1] = 99.99
    summary["experiments"]["overfitting"]["variants"]["overfitting"]["final_gap"]["mean"] = 77.7
    path.write_text(json.dumps(summary))
    index = json.loads((results_copy / "task25" / "results.json").read_text())
    run, = index["experiments"]["overfitting"]["runs"]
    record = store.load_run(results_copy / "task25" / "runs" / f"{run}.json")
    runs_peak = max(C.series_of(record)["test_accuracy"])
    text = _page(results_copy)
    assert "did not match the stored runs" in text
    assert plain_text([("num", Num(runs_peak, "pct", 2))], "en") in text
    assert "99.99" not in text and "77.70" not in text


def test_report_refuses_an_index_listing_a_run_twice(tmp_path, capsys):
    from deltanet.cli.main import main
    config, = expand("overfitting", {"train_size": 100, "sizes": (784, 10, 10), "epochs": 2}, [1])
    from deltanet.experiments import runner
    runner.execute_run(config, store.run_path(tmp_path, config))
    store.update_index(store.task_dir(tmp_path), {"overfitting": {"runs": [config.run_id()] * 2}})
    assert main(["report", str(tmp_path)]) == 2
    report_err = capsys.readouterr().err
    assert main(["plot", str(tmp_path)]) == 2
    assert report_err.replace("deltanet report:", "deltanet plot:") == capsys.readouterr().err
    assert "[unique ids]" in report_err and "delete it to start a new index" in report_err


def test_report_reads_index_and_summary_under_the_sets_lock(results_copy, monkeypatch):
    from filelock import FileLock, Timeout
    import deltanet.report.task25 as task25
    held = []
    real = task25.summarize_task25

    def spy(*args, **kwargs):       # another process cannot take the set's lock now
        try:
            FileLock(results_copy / ".task25.lock").acquire(timeout=0)
            held.append(False)
        except Timeout:
            held.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(task25, "summarize_task25", spy)
    _page(results_copy)
    assert held == [True]
