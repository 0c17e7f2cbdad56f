"""Problems found in the review of session 24, round 2: do the answers answer the sheet,
truly (one test each; every test failed before its fix).

The claims are checked on generated series; task 26 on a copy of the tiny results
folder of ``test_report`` with its stored numbers changed.
"""

import json
import re
import shutil

import pytest

from deltanet.experiments import conclusions as C
from deltanet.i18n import LANGUAGES, catalogue
from deltanet.report import write_report
from test_report import page_text, section_html, tiny_results_dir


def _series(n, acc, cost):
    return {"test_accuracy": list(acc), "training_accuracy": [90.0] * n,
            "training_cost": list(cost), "evaluation_cost": [1.0] * n}


def test_a_rising_training_cost_is_not_called_a_fall():
    """25b: with a training cost rising after the test accuracy levels off, the
    no-overfitting sentence said "a fall of less than 1.0 %" (0.1 -> 0.69 is no fall)."""
    s = _series(60, [80.0] * 60, [0.1 + 0.01 * i for i in range(60)])
    c = next(c for c in C.overfitting_claims("25b", "overfitting", s, 10) if c.id == "no_overfit")
    assert C.check_claim(c, {"overfitting": s})
    assert "from 0.1000 to 0.6900; it does not fall by at least 1.0 %" in c.text("en")
    assert "von 0,1000 auf 0,6900; sie fallen nicht um mindestens 1,0 %" in c.text("de")
    assert not re.search(r"a fall of less|Rückgang um weniger", c.text("en") + c.text("de"))


def test_a_curve_level_from_epoch_1_names_no_earlier_window():
    """A test accuracy level from the first epoch on was said to level off there "and the
    window starting one epoch earlier does not": there is no such window."""
    s = _series(60, [80.0] * 60, [0.5] * 60)
    claims = C.overfitting_claims("25b", "overfitting", s, 10)
    level = next(c for c in claims if c.id in ("levels_off", "level_throughout"))
    assert level.id == "level_throughout" and level.value("epoch") == 1
    assert C.check_claim(level, {"overfitting": s})
    assert "earlier" not in level.text("en") and "früher" not in level.text("de")
    old = C.Claim("levels_off", "25b", "overfitting", level.values, level.epochs)
    assert not C.check_claim(old, {"overfitting": s})
    # a curve that levels off later keeps the sentence naming the earlier window
    rising = _series(60, [50.0 + i for i in range(10)] + [60.0] * 50, [0.5] * 60)
    later = next(c for c in C.overfitting_claims("25b", "overfitting", rising, 10)
                 if c.id in ("levels_off", "level_throughout"))
    assert later.id == "levels_off" and later.value("epoch") > 1
    assert C.check_claim(later, {"overfitting": rising})


def test_a_cross_entropy_jump_gets_no_quadratic_saturation_reading():
    """25a: a plateau and jump with the cross-entropy cost, its gradient norm measured,
    was explained by "the factor σ′(z^L) with the quadratic cost" (δ^L = a − y here)."""
    x = [50.0] * 5 + [60.0] * 5
    s = dict(_series(10, x, [1.0] * 10), output_gradient_norm=[0.1] * 4 + [1.0] * 6)
    data = {"cost-comparison/cross-entropy": s}
    claims = C.cost_comparison_claims({"cross-entropy": s})
    c = next(c for c in claims if c.id.startswith("jump_gradient"))
    assert c.id == "jump_gradient_other" and C.check_claim(c, data)
    for lang in LANGUAGES:
        assert "a^L − y" in c.text(lang) and "quadrati" not in c.text(lang)
    wrong = C.Claim("jump_gradient", c.part, c.subject, c.values, c.epochs)
    assert not C.check_claim(wrong, data)
    quadratic = C.cost_comparison_claims({"quadratic": s})         # the reading stays there
    assert "jump_gradient" in {c.id for c in quadratic}


def test_comparisons_whose_numbers_print_equal_are_ties():
    """Means over three seeds differ by 1/300 of a point: "learns faster at the start:
    91.20 % ... against 91.20 %" and "the gap ... grows from 2.00 to 2.00 points"."""
    third = 0.01 / 3
    a = _series(3, [91.2 + third, 92.0, 95.0], [1.0] * 3)
    b = _series(3, [91.2, 92.0, 95.0 - third], [1.0] * 3)
    data = {"cost-comparison/quadratic": a, "cost-comparison/cross-entropy": b}
    early = next(c for c in C.cost_comparison_claims({"quadratic": a, "cross-entropy": b})
                 if c.id.startswith("early"))
    assert early.id == "early_tie" and C.check_claim(early, data)
    configs = {k: {"eta": 0.5, "lmbda": lmbda, "epochs": 3, "seeds": [1, 2, 3]}
               for k, lmbda in (("overfitting", 0.0), ("regularization", 0.1))}
    data = {"overfitting": a, "regularization": b}
    gap = next(c for c in C.comparison_claims(data, configs) if c.id.startswith("cmp_gap"))
    assert gap.id == "cmp_gap_same" and C.check_claim(gap, data, configs)
    for wrong in (C.Claim("cmp_gap_grows", gap.part, gap.subject, gap.values),
                  C.Claim("early", early.part, early.subject, {
                      "fast": ("label", "quadratic"), "slow": ("label", "cross-entropy"),
                      "acc_fast": ("pct", a["test_accuracy"][0]),
                      "acc_slow": ("pct", b["test_accuracy"][0])})):
        assert not C.check_claim(wrong, {**data, "cost-comparison/quadratic": a,
                                         "cost-comparison/cross-entropy": b}, configs)


def test_25a_says_what_ends_higher():
    """25a's last answer said "With the quadratic cost the network ends higher, by 0.09
    points" ("Mit quadratischen Kosten endet das Netz höher"): higher in what?"""
    a, b = _series(2, [80.0, 95.3], [1.0] * 2), _series(2, [90.0, 95.21], [1.0] * 2)
    c = next(c for c in C.cost_comparison_claims({"quadratic": a, "cross-entropy": b})
             if c.id == "higher_final")
    assert c.text("en") == "With the quadratic cost the final test accuracy is higher, by " \
                           "0.09 points."
    assert c.text("de") == "Mit quadratischen Kosten ist die Testgenauigkeit am Ende um " \
                           "0,09 Prozentpunkte höher."


def test_the_flat_gradient_answer_names_the_explanation_it_does_not_support():
    """The sheet's own 25a output ends "so the measurement does not support the saturation
    explanation", an explanation no printed sentence gives (it is in the claim for a
    growing norm only)."""
    x = [50.0] * 5 + [60.0] * 5
    s = dict(_series(10, x, [1.0] * 10), output_gradient_norm=[0.1] * 10)
    c = next(c for c in C.cost_comparison_claims({"quadratic": s})
             if c.id.startswith("jump_gradient"))
    assert c.id == "jump_gradient_flat"
    assert "by saturated output neurons (whose error δ^L carries the factor σ′(z^L) ≈ 0" \
        in c.text("en")
    assert "durch gesättigte Ausgabeneuronen (deren Fehler δ^L bei diesen Kosten den " \
           "Faktor σ′(z^L) ≈ 0 enthält)" in c.text("de")


@pytest.mark.parametrize("max_abs_w", [3.31, 5.0])
def test_26b_claims_no_confidence_from_correlated_factors(tmp_path, max_abs_w):
    """26 (b) said "by the rule of three the fraction is below 4.1e-8 with 95 %
    confidence" over 72 million (input, neuron, weight) triples that share a few
    thousand weights: not independent trials. With every |w| < 4 the data prove more:
    no input at all gives a factor >= 1."""
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    path = out / "gradients" / "results.json"
    g = json.loads(path.read_text())
    trained = g["b"]["trained"]
    for net in trained["networks"]:
        net.update(validation_accuracy=0.9, n_at_least_one=0, max_abs_w=max_abs_w)
    trained.update(n_pairs=72_360_000, n_at_least_one=0, fraction=0.0, max_abs_w=max_abs_w,
                   rule_of_three_bound=3 / 72_360_000)
    path.write_text(json.dumps(g))
    for lang, below4 in (("en", "No weight of these networks reaches |w| = 4 (largest 3.31)"),
                         ("de", "Kein Gewicht dieser Netze erreicht |w| = 4 (größtes 3,31)")):
        page = write_report(out, lang=lang).read_text(encoding="utf-8")
        answer = page_text(section_html(page, "task-26b"))
        assert not re.search(r"rule of three|Dreierregel|95 %", answer), answer
        assert (below4 in answer) == (max_abs_w < 4)


def test_german_texts_use_the_sheets_name_of_the_tutorial_task():
    """The sheet says "Tutoraufgabe"; one German message said "Tutoriumsaufgabe"."""
    texts = catalogue("de")
    assert not [k for k, v in texts.items() if "Tutorium" in str(v)]
    assert "Tutoraufgabe" in texts["tut_partial"]
