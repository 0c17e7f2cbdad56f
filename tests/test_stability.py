"""Task 26 (deltanet.stability, deltanet gradients) against independent references.

References used: SymPy's exact arithmetic, the sheet's formula typed in
literally, dense grids, scipy.stats.lognorm, Monte Carlo within its standard
error, brute-force enumeration, and central finite differences of the cost.
"""

import json
import math

import numpy as np
import pytest
from scipy import stats

from deltanet import stability as st
from deltanet.cli.main import main
from deltanet.experiments.gradients import format_summary, load_results
from deltanet.network import Network
from deltanet.train import sgd


def sheet_formula(w):
    """The sheet's expression, typed in literally (not the log1p form of the library)."""
    w = abs(w)
    return 2 / w * math.log(w / 2 * (1 + math.sqrt(1 - 4 / w)) - 1)


# ------------------------------------------------------------------- (a) --

def test_sympy_derivation_gives_one_quarter_at_zero():
    import sympy as sp
    d = st.sigmoid_prime_bound_derivation()
    assert sp.Rational(d["maximum"]) == sp.Rational(1, 4)
    assert sp.Rational(d["maximum_sympy_maximum"]) == sp.Rational(1, 4)
    assert d["maximum_value"] == 0.25
    assert d["identity_holds"] and d["sigma_increasing"] and d["positive_on_open_interval"]
    assert d["p_stationary"] == "1/2" and d["argmax_z"] == "0"
    assert d["second_derivative"] == "-2"
    assert d["sigma_limits"] == ["0", "1"] and d["sigma_prime_limits"] == ["0", "0"]
    keys = [s["key"] for s in d["steps"]]
    assert keys[0] == "sigma" and keys[-1] == "conclusion" and len(keys) == len(set(keys))


def test_dense_grid_bound_holds_up_to_1e3_without_warnings():
    # pytest turns warnings into errors; the function also raises on FP errors itself
    n = st.check_sigmoid_prime_bound(1e3, 200_001)
    assert n["bound_holds"] and n["max_equals_quarter"]
    assert n["max"] == 0.25 and n["argmax_z"] == 0.0 and n["min"] == 0.0
    assert n["max_abs_diff_accurate_form"] < 1e-15
    # independent: sigma' at the extreme is below the smallest float, i.e. 0
    assert n["value_at_z_max"] == 0.0 and math.exp(-1000) == 0.0


def test_log_sigmoid_prime_is_exact_and_finite_far_out():
    z = np.array([-1e3, -40.0, -3.0, 0.0, 2.5, 40.0, 1e3])
    got = st.log_sigmoid_prime(z)
    moderate = np.abs(z) < 30
    s = 1 / (1 + np.exp(-z[moderate]))
    np.testing.assert_allclose(got[moderate], np.log(s * (1 - s)), rtol=1e-13)
    # far out: ln sigma'(z) = -|z| - 2 ln(1 + e^-|z|) -> -|z| - 2 e^-|z|
    far = ~moderate
    np.testing.assert_allclose(got[far], -np.abs(z[far]) - 2 * np.exp(-np.abs(z[far])),
                               rtol=1e-15)
    assert st.log_sigmoid_prime(0.0) == -math.log(4)


# ------------------------------------------------------------------- (b) --

def test_interval_length_equals_the_sheets_formula():
    for w in [4.01, 4.5, 6.0, 6.894151, 10.0, 77.0, 1e3, 1e6, -5.0]:
        assert st.interval_length(w) == pytest.approx(sheet_formula(w), rel=1e-12)
    assert st.interval_length(4.0) == 0.0
    np.testing.assert_allclose(st.interval_length(np.array([5.0, -5.0])),
                               [sheet_formula(5.0)] * 2, rtol=1e-13)


@pytest.mark.parametrize("w", [4 + 1e-14, 4 + 1e-12, 4 + 1e-9, 4 + 1e-6, 4.001, 5.0, 1e6])
def test_interval_length_is_accurate_near_four_against_mpmath(w):
    # 1 - 4/|w| cancels near |w| = 4 (1e-10 relative error at 4 + 1e-9); (|w| - 4)/|w| not
    import mpmath
    mpmath.mp.dps = 50
    W = mpmath.mpf(w)
    ref = 2 / W * mpmath.log(W / 2 * (1 + mpmath.sqrt(1 - 4 / W)) - 1)
    assert abs(st.interval_length(w) - float(ref)) <= 1e-15 * float(ref)


def test_maximum_is_stable_to_the_stated_six_digits():
    m = st.interval_length_maximum()
    assert m["agreeing_significant_digits"]["w"] >= 6
    assert m["agreeing_significant_digits"]["L"] >= 6
    assert f"{m['w_star']:.6g}" == "6.89415" and f"{m['L_star']:.6g}" == "0.447743"
    # other bracket and tolerance: the same six digits
    other = st.interval_length_maximum(bounds=(4.5, 30.0), xatol=1e-9)
    for method in other["methods"].values():
        assert f"{method['w']:.6g}" == "6.89415" and f"{method['L']:.6g}" == "0.447743"
    # independent reference: brute-force grid of the literal formula
    grid = np.linspace(6.8, 7.0, 200_001)
    values = np.array([sheet_formula(w) for w in grid[::100]])   # coarse first
    i = int(np.argmax(values)) * 100
    fine = grid[max(i - 100, 0):i + 101]
    fine_values = np.array([sheet_formula(w) for w in fine])
    assert abs(fine[np.argmax(fine_values)] - m["w_star"]) < 2e-6
    assert fine_values.max() == pytest.approx(m["L_star"], rel=1e-10)
    assert m["L_star"] == pytest.approx(sheet_formula(m["w_star"]), rel=1e-13)


@pytest.mark.parametrize("abs_w", [4.001, 4.2, 5.0, 6.894151, 12.0, 40.0, 250.0, 1e4])
@pytest.mark.parametrize("b", [-4.0, 0.0, 1.7])
@pytest.mark.parametrize("sign", [1, -1])
def test_root_found_interval_matches_formula(abs_w, b, sign):
    w = sign * abs_w
    found = st.find_gain_interval(w, b)
    assert found.is_interval
    assert found.length == pytest.approx(sheet_formula(w), rel=1e-9)
    assert 0.5 * (found.lo + found.hi) == pytest.approx(-b / w, abs=1e-12)
    lo, hi = st.gain_interval(w, b)
    assert (found.lo, found.hi) == (pytest.approx(lo, abs=1e-11), pytest.approx(hi, abs=1e-11))
    # the defining property, checked directly just inside and outside the ends
    eps = 1e-6 * found.length
    gain = lambda a: abs(w) * float(np.exp(st.log_sigmoid_prime(w * a + b)))  # noqa: E731
    assert gain(found.lo + eps) > 1 > gain(found.lo - eps)
    assert gain(found.hi - eps) > 1 > gain(found.hi + eps)


@pytest.mark.parametrize("w", [0.0, 1.0, -3.0, 3.999])
def test_numeric_interval_is_empty_below_four(w):
    found = st.find_gain_interval(w, 0.4)
    assert found.lo is None and found.length == 0.0 and found.is_interval
    assert found.peak_gain == pytest.approx(abs(w) / 4, rel=1e-9)


def test_uniform_hit_probability():
    m = st.interval_length_maximum()
    w = m["w_star"]
    assert st.uniform_hit_probability(w, -w / 2) == pytest.approx(m["L_star"], rel=1e-12)
    assert st.uniform_hit_probability(w, -w * 3) == 0.0            # centre at 3
    assert st.uniform_hit_probability(w, 0.0) == pytest.approx(m["L_star"] / 2, rel=1e-12)
    # random bias, against Monte Carlo over b ~ N(0, 1)
    rng = np.random.default_rng(1)
    b = rng.standard_normal(200_000)
    mc = np.mean(st.uniform_hit_probability(w, b))
    assert st.uniform_hit_probability_random_bias(w) == pytest.approx(mc, abs=2e-3)


def test_gain_fractions_match_brute_force():
    rng = np.random.default_rng(3)
    sizes = [7, 6, 5, 4]
    weights = [rng.normal(0, 4, (n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(0, 1, n) for n in sizes[1:]]
    X = rng.random((40, sizes[0]))
    got = st.gain_fractions(weights, biases, X)
    a = X
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = a @ W + b                                                   # (m, n_out)
        s = 1 / (1 + np.exp(-z))
        q = np.abs(W)[None, :, :] * (s * (1 - s))[:, None, :]           # (m, n_in, n_out)
        assert got[l]["n_pairs"] == q.size
        assert got[l]["n_at_least_one"] == int(np.sum(q >= 1)) > 0
        assert got[l]["n_neuron_input_any"] == int(np.sum(q.max(axis=1) >= 1))
        assert got[l]["max_gain"] == pytest.approx(q.max(), rel=1e-12)
        assert got[l]["fraction_abs_w_ge_4"] == np.mean(np.abs(W) >= 4)
        log_q = st.gain_population(weights, biases, X, [l + 1])
        # rtol: the reference s (1 - s) loses digits to cancellation where s ~ 1
        np.testing.assert_allclose(np.sort(np.exp(log_q)), np.sort(q.ravel()), rtol=1e-9)
        a = s


# ------------------------------------------------------------------- (c) --

@pytest.mark.parametrize("mu, s2", [(-1.0, 0.3), (0.2, 1.5), (-2.25, 1.32), (0.5, 0.0)])
def test_lognormal_moments_equal_scipy_lognorm(mu, s2):
    k = np.arange(1, 31)
    mean, var = st.lognormal_product_moments(mu, s2, k)
    for kk, m, v in zip(k, mean, var):
        if s2 == 0:
            assert m == pytest.approx(math.exp(kk * mu), rel=1e-13) and v == 0
            continue
        ref = stats.lognorm(s=math.sqrt(kk * s2), scale=math.exp(kk * mu))
        assert m == pytest.approx(ref.mean(), rel=1e-12)
        assert v == pytest.approx(ref.var(), rel=1e-10)


def test_moments_without_spurious_nan_or_zero_at_extreme_parameters():
    """Var[Q] where its factors over/underflow but the product does not (mpmath reference)."""
    import mpmath
    mpmath.mp.dps = 50

    def lognormal_var(mu, s2, k):
        return (mpmath.exp(k * s2) - 1) * mpmath.exp(2 * k * mu + k * s2)

    for mu, s2, k in [(-800.0, 800.0, 1), (-300.0, 400.0, 2), (-2.25, 1.32, 30)]:
        with np.errstate(invalid="raise", divide="raise", over="raise"):
            mean, var = st.lognormal_product_moments(mu, s2, k)
        assert var == pytest.approx(float(lognormal_var(mu, s2, k)), rel=1e-12)
        assert mean == pytest.approx(float(mpmath.exp(k * mu + k * s2 / 2)), rel=1e-12)
    assert st.lognormal_product_moments(-400.0, 800.0, 1)[1] == math.inf   # truly > max
    # i.i.d.: m1^(2k) underflows alone, m2^k - m1^(2k) does not
    for m1, m2, k in [(1e-200, 1e-100, 1), (1e-200, 1e-100, 2), (0.3, 0.2, 30)]:
        with np.errstate(invalid="raise", divide="raise", over="raise"):
            mean, var = st.iid_product_moments(m1, m2, k)
        ref = mpmath.mpf(m2) ** k - mpmath.mpf(m1) ** (2 * k)
        assert var == pytest.approx(float(ref), rel=1e-12)
    # Var/E^2 = (m2/m1^2)^k - 1 is finite even where E[Q]^2 and Var[Q] underflow
    with np.errstate(invalid="raise", divide="raise", over="raise"):
        paths = st.paths_for_relative_error(0.01, 0.001, 200, rel=0.1)
    assert paths == pytest.approx(float((mpmath.mpf(10) ** 200 - 1) / mpmath.mpf("0.01")),
                                  rel=1e-12)


def test_lognormal_moments_match_monte_carlo_for_exactly_lognormal_q():
    mu, s2, n = -0.8, 0.2, 200_000
    rng = np.random.default_rng(7)
    sim = st.simulate_products(lambda r, shape: st.draw_log_q_lognormal(r, shape, mu, s2),
                               6, n, rng)
    k = np.arange(1, 7)
    mean, var = st.lognormal_product_moments(mu, s2, k)
    se = np.sqrt(var / n)
    z = (np.array(sim["mean"]) - mean) / se
    assert np.all(np.abs(z) < 4), z
    # the test has power: dropping the 1/2 in exp(k mu + k s^2/2) is rejected
    wrong = np.exp(k * mu + k * s2)
    assert np.any(np.abs(np.array(sim["mean"]) - wrong) / se > 10)
    # variance: relative error of a sample variance ~ sqrt(kurtosis / n); loose bound
    np.testing.assert_allclose(sim["var"][:3], var[:3], rtol=0.05)
    # ln Q_k ~ N(k mu, k s^2)
    assert np.all(np.abs(np.array(sim["mean_log"]) - k * mu) < 5 * np.sqrt(k * s2 / n))
    assert sim["mu_hat"] == pytest.approx(mu, abs=5 * math.sqrt(s2 / (6 * n)))


def test_exact_moments_of_the_normal_model_against_monte_carlo():
    exact = st.normal_model_moments()
    assert exact["E_log_abs_w"] == pytest.approx(-(0.5772156649015329 + math.log(2)) / 2)
    rng = np.random.default_rng(11)
    n = 1_000_000
    log_q = st.draw_log_q_normal_model(rng, n)
    q = np.exp(log_q)
    assert np.mean(q) == pytest.approx(exact["m1"], abs=4 * np.std(q) / math.sqrt(n))
    assert np.mean(q * q) == pytest.approx(exact["m2"], abs=4 * np.std(q * q) / math.sqrt(n))
    assert np.mean(log_q) == pytest.approx(exact["mu"], abs=4 * np.std(log_q) / math.sqrt(n))
    assert np.var(log_q) == pytest.approx(exact["s2"], rel=0.01)
    # exact i.i.d. product moments vs direct products of independent draws, k = 3
    q3 = np.exp(st.draw_log_q_normal_model(rng, (n, 3)).sum(axis=1))
    mean3, var3 = st.iid_product_moments(exact["m1"], exact["m2"], 3)
    assert np.mean(q3) == pytest.approx(mean3, abs=4 * math.sqrt(var3 / n))


def test_compare_product_moments_table():
    rng = np.random.default_rng(5)
    sim = st.simulate_products(lambda r, s: st.draw_log_q_lognormal(r, s, -1.0, 0.5), 4, 5000,
                               rng)
    t = st.compare_product_moments(sim, math.exp(-0.75), math.exp(-2 + 1.0), mu=-1.0, s2=0.5)
    np.testing.assert_allclose(t["mean_formula"], t["mean_exact"], rtol=1e-12)
    np.testing.assert_allclose(t["var_formula"], t["var_exact"], rtol=1e-10)
    assert t["paths_for_10pct"][0] == pytest.approx(100 * math.expm1(0.5), rel=1e-10)
    np.testing.assert_allclose(
        st.paths_for_relative_error(math.exp(-0.75), math.exp(-1.0), np.arange(1, 5)),
        t["paths_for_10pct"], rtol=1e-10)


# --------------------------------------------------------- gradient probes --

def test_layer_gradient_norms_equal_backprop_monitor_and_finite_differences():
    rng = np.random.default_rng(2)
    sizes = [5, 4, 4, 3]
    X = rng.random((9, 5))
    labels = rng.integers(0, 3, 9)
    Y = np.eye(3)[labels]
    net = Network(sizes, seed=4)
    probe = st.layer_gradient_norms(net, X, Y)
    # the core's SGD monitor (epochs=0: only the initial norms)
    history = sgd(net, (X, labels), 0, 3, 0.1, monitor_gradient_norms=True,
                  gradient_samples=9)
    np.testing.assert_allclose(probe, history.initial_gradient_norms, rtol=1e-14)
    # independent: central differences of the mean cost w.r.t. every bias
    def cost():
        return net.cost.fn(net.feedforward(X), Y) / len(X)
    h = 1e-6
    for l, b in enumerate(net.biases):
        grad = np.empty_like(b)
        for j in range(len(b)):
            b[j] += h
            up = cost()
            b[j] -= 2 * h
            down = cost()
            b[j] += h
            grad[j] = (up - down) / (2 * h)
        assert probe[l] == pytest.approx(np.linalg.norm(grad), rel=1e-7)


def test_exploding_configurations_make_each_factor_w_over_4():
    sizes, weights, biases = st.exploding_chain(5, 100.0, 0.5)
    net = Network(sizes, seed=0)
    net.set_params(weights, biases)
    norms = st.layer_gradient_norms(net, np.array([[0.5]]), np.array([[0.0]]))
    np.testing.assert_allclose(np.array(norms[:-1]) / np.array(norms[1:]), 25.0, rtol=1e-12)
    assert norms[-1] == pytest.approx(0.5)      # delta^L = a - y = 1/2 - 0

    sizes = [8, 5, 5, 5, 3]      # odd widths: with b = 0, z = 50 * (odd sum of signs) != 0
    weights, biases = st.exploding_parameters(sizes, 100.0, rng=1)
    X = np.random.default_rng(0).random((20, 8))
    fractions = st.gain_fractions(weights, biases, X)
    assert fractions[0]["n_at_least_one"] == 0                     # W^1 = 0
    for f in fractions[1:]:
        assert f["fraction"] == 1.0 and f["max_gain"] == pytest.approx(25.0)
    net = Network(sizes, seed=0)
    net.set_params(weights, biases)
    norms = st.layer_gradient_norms(net, X, np.eye(3)[np.arange(20) % 3])
    assert all(a > 10 * b for a, b in zip(norms[:-1], norms[1:]))    # grows toward input
    untuned = st.exploding_parameters(sizes, 100.0, rng=1, tune_biases=False)
    net.set_params(*untuned)
    assert st.layer_gradient_norms(net, X, np.eye(3)[np.arange(20) % 3])[0] < norms[0] * 1e-12


# --------------------------------------------------------------- bad input --

@pytest.mark.parametrize("call, message", [
    (lambda: st.interval_length(3.5), "|w| = 3.5"),
    (lambda: st.interval_length(3.5), "empty"),
    (lambda: st.interval_length([5.0, -2.0]), "only for |w| >= 4"),
    (lambda: st.interval_length(float("nan")), "w must be finite"),
    (lambda: st.interval_length(float("inf")), "w must be finite"),
    (lambda: st.gain_interval(2.0, 0.0), "empty"),
    (lambda: st.gain_interval(5.0, float("nan")), "b must be finite"),
    (lambda: st.find_gain_interval(float("inf"), 0.0), "w must be finite"),
    (lambda: st.lognormal_product_moments(0.0, 1.0, 0), "k (the number of factors"),
    (lambda: st.lognormal_product_moments(0.0, 1.0, 0), "must be >= 1; got 0"),
    (lambda: st.lognormal_product_moments(0.0, 1.0, 2.5), "whole number"),
    (lambda: st.lognormal_product_moments(0.0, 1.0, True), "integer >= 1"),
    (lambda: st.lognormal_product_moments(0.0, -0.1, 3), "s2 is a variance and must be >= 0"),
    (lambda: st.lognormal_product_moments(float("nan"), 1.0, 3), "mu must be finite"),
    (lambda: st.lognormal_product_moments(0.0, float("inf"), 3), "s2 must be finite"),
    (lambda: st.iid_product_moments(0.1, 0.001, 2), "m2 = E[q^2] must be >= m1^2"),
    (lambda: st.iid_product_moments(-0.1, 0.1, 2), "m1 = E[q] must be > 0"),
    (lambda: st.log_moments([1.0, float("-inf")]), "log_q must be finite"),
    (lambda: st.check_sigmoid_prime_bound(1e3, 10), "odd integer"),
    (lambda: st.interval_length_maximum(bounds=(3.0, 10.0)), "4 <= lower < upper"),
    (lambda: st.gain_population([np.zeros((2, 2))], [np.zeros(2)], np.ones((1, 2)), [1]),
     "4 weights equal to 0"),
])
def test_bad_input_raises_clear_value_error(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_bad_type_raises_type_error():
    with pytest.raises(TypeError, match="w must be a real number"):
        st.interval_length("six")


# --------------------------------------------------------- runner and CLI --

def test_gradients_command_quick_writes_json_figures_and_summary(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["gradients", "--out", str(out), "--quick", "--seeds", "3", "4", "--quiet"])
    captured = capsys.readouterr()      # --quiet: no progress bar, but the answers
    assert code == 0 and captured.err == ""
    assert captured.out == format_summary(load_results(out), "en", out_dir=out) + "\n"
    target = out / "gradients"
    results = json.loads((target / "results.json").read_text())
    for key in ("config", "seeds", "a", "b", "c", "vanishing", "exploding"):
        assert key in results
    assert results["seeds"] == [3, 4] and results["config"]["quick"] is True
    for name in ("a_sigmoid_bound", "b_interval_length", "c_moments", "c_relative_error",
                 "c_log_Q", "vanishing", "exploding"):
        assert (target / f"{name}.png").stat().st_size > 0
        assert (target / f"{name}.svg").stat().st_size > 0
    assert sorted(results["figures"]) == sorted(p.name for p in target.iterdir()
                                                if p.suffix in (".png", ".svg"))
    # the stored norms are backprop's, not typed in: recompute one at initialization
    from deltanet.datasets import load_mnist
    depth = results["vanishing"]["depths"][2]
    cfg = results["config"]["vanishing"]
    net = Network(depth["sizes"], seed=3)
    train = load_mnist().train[:cfg["gradient_samples"]]
    norms = st.layer_gradient_norms(net, train.features(np.float64), train.one_hot())
    np.testing.assert_allclose(depth["per_seed"][0]["norms"][0], norms, rtol=1e-12)
    assert len(depth["per_seed"][0]["norms"]) == cfg["epochs"] + 1
    # stored answers of (b) equal the library's
    assert results["b"]["maximum"]["w_star"] == st.interval_length_maximum()["w_star"]
    assert results["b"]["root_check_max_rel_error"] < 1e-9

    # redraw from the JSON in German; the summary is printed
    (target / "vanishing.png").unlink()
    assert main(["gradients", "--out", str(out), "--replot", "--lang", "de"]) == 0
    text = capsys.readouterr().out
    assert "Wahrscheinlich?" in text and "Aufgabe 26" in text
    assert "6,894151" in text and "0,4477432" in text             # German decimal comma
    assert (target / "vanishing.de.png").is_file() and not (target / "vanishing.png").exists()


def test_gradients_command_errors(tmp_path, capsys):
    assert main(["gradients", "--out", str(tmp_path), "--plot-only"]) == 2  # the same option
    assert "results file not found" in capsys.readouterr().err
    assert main(["gradients", "--out", str(tmp_path), "--seeds", "1", "1", "--quick"]) == 2
    assert "seeds: [1, 1] repeats a seed" in capsys.readouterr().err


def test_summary_in_both_languages_from_stored_numbers(tmp_path):
    from deltanet.experiments.gradients import format_summary, run_gradients
    results = run_gradients(tmp_path, seeds=(0,), quick=True, progress=False, plot=False)
    en, de = format_summary(results, "en"), format_summary(results, "de")
    assert "Likely? No" in en and "Wahrscheinlich? Nein" in de
    # the exponent stays whole in plain text: e^(kμ + ks²/2), not e^kμ + ks²/2
    assert "E[Q^ℓ] = e^(kμ + ks²/2)" in en and "E[Q^ℓ] = e^(kμ + ks²/2)" in de
    with pytest.raises(ValueError, match="lang must be one of 'en', 'de'"):
        format_summary(results, "fr")


@pytest.mark.parametrize("hist_k, message", [([0], "hist_k entries must be an integer >= 1"),
                                             ([2, 5], "hist_k must lie in 1..k_max = 4"),
                                             ([1.5], "hist_k entries must be an integer")])
def test_simulate_products_refuses_histograms_it_cannot_draw(hist_k, message):
    """A k outside 1..k_max was skipped without a word (no histogram, no error)."""
    def draw(r, s):
        return st.draw_log_q_lognormal(r, s, -1.0, 0.5)
    with pytest.raises(ValueError, match=message):
        st.simulate_products(draw, 4, 100, np.random.default_rng(0), hist_k=hist_k)
    sim = st.simulate_products(draw, 4, 100, np.random.default_rng(0), hist_k=[1, 4])
    assert sorted(sim["hist"]) == [1, 4]


@pytest.mark.parametrize("call", [lambda z: st.log_sigmoid_prime(z), lambda w: st.interval_length(w)])
def test_complex_arrays_are_refused_not_cut_to_their_real_part(call):
    """A complex array lost its imaginary part with only a ComplexWarning."""
    with pytest.raises(TypeError, match="must be real; got complex values"):
        call(np.array([5.0 + 1.0j, 6.0]))
