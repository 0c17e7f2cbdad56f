"""Complex-valued networks (the tutorial task) against independent references.

References used here, none of them the code under test: a naive forward pass
written out below (``1 / (1 + exp(-z))``), mpmath at 40 digits, central finite
differences on real and imaginary parts separately (combined into Wirtinger
derivatives ``d/dz = (d/dx - i d/dy) / 2`` only where a test says so), brute
force over the poles, and the real core network.
"""

import json
import re
from pathlib import Path

import mpmath
import numpy as np
import pytest

from deltanet import Network, QuadraticCost, sigmoid
from deltanet.cli.main import main
from deltanet.complex import (ComplexNetwork, ComplexQuadraticCost, PoleError,
                              PoleWarning, complex_sigmoid, complex_sigmoid_prime,
                              forward, numerical_gradient, pole_distance,
                              real_imag_gradient, sgd_step, wirtinger_gradient)
from deltanet.costs import CrossEntropyCost
from deltanet.datasets import load_mnist
from deltanet.network import backward
from deltanet.train import sgd_step as real_sgd_step

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURES = [[1, 1, 1], [3, 4, 2], [2, 5, 4, 3], [4, 3, 3, 2, 2]]


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def naive_cost(weights, biases, X, Y):
    """Mean of 1/2 ||y - a||^2, written out (the finite-difference reference)."""
    a = X
    for W, b in zip(weights, biases):
        a = naive_sigmoid(a @ W + b)
    d = Y - a
    return 0.5 * float(np.sum(d * np.conj(d)).real) / len(X)


def central(f, h=1e-3):
    """Fourth-order central difference of the real function f(t) at t = 0."""
    return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)


def partials(f, shape):
    """Real partials dF/dRe and dF/dIm of f(delta) (delta: complex array of ``shape``)."""
    d_re = np.zeros(shape)
    d_im = np.zeros(shape)
    for index in np.ndindex(shape):
        for unit, out in ((1.0, d_re), (1j, d_im)):
            def g(t, index=index, unit=unit):
                delta = np.zeros(shape, dtype=complex)
                delta[index] = t * unit
                return f(delta)
            out[index] = central(g)
    return d_re, d_im


def wirtinger(f, shape):
    """Wirtinger derivative dF/dz = (dF/dx - i dF/dy) / 2 from real partials."""
    d_re, d_im = partials(f, shape)
    return 0.5 * (d_re - 1j * d_im)


def random_complex(rng, shape, scale=1.0):
    return scale * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))


def assert_gradient_close(g, reference, what):
    """Every entry: |g - ref| <= 1e-6 |ref| (+ 1e-12 for entries that are ~0)."""
    err = np.abs(g - reference)
    bound = 1e-6 * np.abs(reference) + 1e-12
    assert np.all(err <= bound), (
        f"{what}: max relative error {np.max(err / (np.abs(reference) + 1e-300)):.2e}")


# -------------------------------------------------------------- activation --

def test_complex_sigmoid_matches_mpmath_without_overflow():
    rng = np.random.default_rng(0)
    z = np.concatenate([random_complex(rng, 200, 3.0),
                        [-30 + 0.1j, 30 - 2j, -700 + 1j, 700 + 1j, -1e4 + 2j, 1e4 - 3j,
                         50 + 1e5j, 0.2 + 3.0j, -0.3 - 3.3j]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = complex_sigmoid(z)
        sp = complex_sigmoid_prime(z)
        s64 = complex_sigmoid(z.astype(np.complex64))
    assert s.dtype == np.complex128 and s64.dtype == np.complex64
    mpmath.mp.dps = 40
    for k, v in enumerate(z):
        e = mpmath.exp(-mpmath.mpc(v.real, v.imag))
        ref, ref_p = 1 / (1 + e), e / (1 + e) ** 2
        if abs(ref) > 1e-300:
            assert abs(complex(s[k]) - complex(ref)) <= 1e-14 * abs(ref), v
        if abs(ref_p) > 1e-300:
            assert abs(complex(sp[k]) - complex(ref_p)) <= 1e-14 * abs(ref_p), v
        if abs(ref) > 1e-30 and abs(v.real) < 80:
            assert abs(complex(s64[k]) - complex(ref)) <= 2e-6 * abs(ref), v
    # the core's real sigmoid for real input
    x = np.linspace(-50, 50, 11)
    np.testing.assert_array_equal(complex_sigmoid(x), sigmoid(x))


def test_sigmoid_is_holomorphic_with_derivative_a_times_one_minus_a():
    """Cauchy-Riemann (dsigma/dconj(z) = 0) and sigma' = a (1 - a), by finite differences."""
    rng = np.random.default_rng(1)
    z = random_complex(rng, 50, 1.5)
    d_dx = central(lambda t: naive_sigmoid(z + t))
    d_dy = central(lambda t: naive_sigmoid(z + 1j * t))
    d_dz = 0.5 * (d_dx - 1j * d_dy)
    d_dzbar = 0.5 * (d_dx + 1j * d_dy)
    a = complex_sigmoid(z)
    np.testing.assert_allclose(d_dz, a * (1 - a), rtol=1e-9)
    np.testing.assert_allclose(complex_sigmoid_prime(z), a * (1 - a), rtol=1e-13)
    assert np.abs(d_dzbar).max() < 1e-9 * np.abs(d_dz).max()


def test_pole_distance_against_brute_force():
    rng = np.random.default_rng(2)
    z = np.concatenate([random_complex(rng, 300, 8.0),
                        [0j, np.pi * 1j, -np.pi * 1j, 3j * np.pi + 0.1, 2 * np.pi * 1j]])
    poles = 1j * np.pi * (2 * np.arange(-20, 21) + 1)
    brute = np.abs(z[:, None] - poles[None, :]).min(axis=1)
    np.testing.assert_allclose(pole_distance(z), brute, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(pole_distance(np.array([0.0, 2.0])), np.hypot([0, 2], np.pi))


# ------------------------------------------------------ finite differences --

@pytest.mark.parametrize("sizes", ARCHITECTURES)
@pytest.mark.parametrize("inputs", ["complex", "real"])
def test_gradient_matches_finite_differences_on_re_and_im(sizes, inputs):
    """Part (d): backprop's dC/dRe + i dC/dIm for every weight and bias vs finite
    differences of the naive cost, real and imaginary parts perturbed separately."""
    rng = np.random.default_rng(sum(sizes))
    net = ComplexNetwork(sizes, seed=len(sizes), imag_scale=0.5)
    X = random_complex(rng, (5, sizes[0]))
    if inputs == "real":
        X = X.real
    Y = random_complex(rng, (5, sizes[-1]), 0.5)
    grad_w, grad_b = net.real_gradient(X, Y)
    for params, grads, name in ((net.weights, grad_w, "w"), (net.biases, grad_b, "b")):
        for l, (P, G) in enumerate(zip(params, grads)):
            def cost(delta, l=l, params=params):
                shifted = [p + (delta if k == l else 0) for k, p in enumerate(params)]
                if params is net.weights:
                    return naive_cost(shifted, net.biases, X, Y)
                return naive_cost(net.weights, shifted, X, Y)
            d_re, d_im = partials(cost, P.shape)
            assert_gradient_close(G.real, d_re, f"dC/dRe {name}^{l + 2}")
            assert_gradient_close(G.imag, d_im, f"dC/dIm {name}^{l + 2}")


def test_sgd_step_descends_along_the_real_and_imaginary_partials():
    """w <- w - eta (dC/dRe w + i dC/dIm w), with the partials from finite differences."""
    rng = np.random.default_rng(5)
    net = ComplexNetwork([2, 4, 3], seed=5, imag_scale=0.5)
    X, Y = random_complex(rng, (6, 2)), random_complex(rng, (6, 3), 0.5)
    before_w, before_b = net.get_params()
    eta = 0.3
    net.step(X, Y, eta)
    for l in range(2):
        d_re, d_im = partials(lambda d, l=l: naive_cost(
            [w + (d if k == l else 0) for k, w in enumerate(before_w)], before_b, X, Y),
            before_w[l].shape)
        np.testing.assert_allclose(net.weights[l], before_w[l] - eta * (d_re + 1j * d_im),
                                   rtol=1e-9, atol=1e-12)
        d_re, d_im = partials(lambda d, l=l: naive_cost(
            before_w, [b + (d if k == l else 0) for k, b in enumerate(before_b)], X, Y),
            before_b[l].shape)
        np.testing.assert_allclose(net.biases[l], before_b[l] - eta * (d_re + 1j * d_im),
                                   rtol=1e-9, atol=1e-12)
    # a small step lowers the cost by about eta * ||grad||^2
    assert naive_cost(net.weights, net.biases, X, Y) < naive_cost(before_w, before_b, X, Y)


def test_numerical_gradient_helper_agrees_with_independent_differences():
    rng = np.random.default_rng(3)
    net = ComplexNetwork([2, 3, 2], seed=3, imag_scale=0.5)
    X, Y = random_complex(rng, (4, 2)), random_complex(rng, (4, 2), 0.5)
    fd_w, fd_b = numerical_gradient(net.weights, net.biases, X, Y)
    d_re, d_im = partials(lambda d: naive_cost([net.weights[0] + d, net.weights[1]],
                                               net.biases, X, Y), (2, 3))
    np.testing.assert_allclose(fd_w[0], d_re + 1j * d_im, rtol=1e-9, atol=1e-13)


def test_numerical_gradient_perturbs_the_imaginary_part_of_real_arrays():
    """Real (float64) parameters with complex data: dC/dIm w is not 0."""
    rng = np.random.default_rng(9)
    net = ComplexNetwork([2, 3, 2], seed=9, imag_scale=0.0)
    real_w = [W.real.copy() for W in net.weights]
    real_b = [b.real.copy() for b in net.biases]
    X, Y = random_complex(rng, (4, 2)), random_complex(rng, (4, 2), 0.5)
    fd_w, fd_b = numerical_gradient(real_w, real_b, X, Y)
    d_re, d_im = partials(lambda d: naive_cost([real_w[0] + d, real_w[1]], real_b, X, Y),
                          (2, 3))
    assert np.abs(d_im).max() > 1e-3
    np.testing.assert_allclose(fd_w[0], d_re + 1j * d_im, rtol=1e-9, atol=1e-13)
    assert real_w[0].dtype == np.float64            # the caller's arrays are untouched
    np.testing.assert_array_equal(real_w[0], net.weights[0].real)


# ------------------------------------------------------ BP1-BP4 one by one --

def split_cost(weights, biases, y, l, z_l):
    """C = 1/2 ||y - a^L||^2 computed from z^l on (l = 0: first weight layer)."""
    a = naive_sigmoid(z_l)
    for W, b in zip(weights[l + 1:], biases[l + 1:]):
        a = naive_sigmoid(a @ W + b)
    d = y - a
    return 0.5 * float(np.sum(d * np.conj(d)).real)


@pytest.mark.parametrize("sizes", [[3, 4, 2], [2, 5, 4, 3]])
def test_bp1_to_bp4_term_by_term_with_wirtinger_finite_differences(sizes):
    """Each equation checked on finite-difference quantities, one sample.

    delta^l_FD = dC/dz^l is obtained by perturbing z^l itself (the forward pass
    split at layer l), so BP1-BP4 and the code's deltas are compared with
    numbers that know nothing of backprop.
    """
    rng = np.random.default_rng(len(sizes))
    net = ComplexNetwork(sizes, seed=7, imag_scale=0.5)
    W, b = net.weights, net.biases
    x = random_complex(rng, (1, sizes[0]))
    y = random_complex(rng, (1, sizes[-1]), 0.5)
    zs, activations, _ = forward(W, b, x)
    L = len(W) - 1

    # (a) dC/da^L for C = 1/2 ||y - a||^2 is conj(a - y)/2 -- not a - y
    a_L = activations[-1]
    dC_da = wirtinger(lambda d: 0.5 * float(np.sum(np.abs(y - (a_L + d)) ** 2)), a_L.shape)
    np.testing.assert_allclose(ComplexQuadraticCost.derivative(a_L, y), dC_da, rtol=1e-9)
    assert not np.allclose(a_L - y, dC_da, rtol=1e-3)
    assert not np.allclose(0.5 * (a_L - y), dC_da, rtol=1e-3)

    delta_fd = [wirtinger(lambda d, l=l: split_cost(W, b, y, l, zs[l] + d), zs[l].shape)
                for l in range(len(W))]
    # BP1: delta^L = dC/da^L * sigma'(z^L), all three from finite differences / naive
    sigma_prime_L = central(lambda t: naive_sigmoid(zs[-1] + t))
    np.testing.assert_allclose(delta_fd[L], dC_da * sigma_prime_L, rtol=1e-8)
    np.testing.assert_allclose(ComplexQuadraticCost.delta(zs[-1], a_L, y), delta_fd[L],
                               rtol=1e-8)

    # BP2: delta^l = sigma'(z^l) * (delta^{l+1} W^T) -- plain transpose, no conjugate
    for l in range(L):
        sigma_prime = central(lambda t, l=l: naive_sigmoid(zs[l] + t))
        rhs = sigma_prime * (delta_fd[l + 1] @ W[l + 1].T)
        np.testing.assert_allclose(delta_fd[l], rhs, rtol=1e-7)
        wrong = sigma_prime * (delta_fd[l + 1] @ W[l + 1].conj().T)
        assert not np.allclose(delta_fd[l], wrong, rtol=1e-3)

    # the code's deltas: with one sample, backward's nabla_b^l is delta^l (BP3)
    _, nabla_b = backward(W, activations, ComplexQuadraticCost.delta(zs[-1], a_L, y))
    for l in range(len(W)):
        np.testing.assert_allclose(nabla_b[l], delta_fd[l][0], rtol=1e-7)

    for l in range(len(W)):
        # BP3: dC/db^l (Wirtinger, from finite differences in b) = delta^l
        dC_db = wirtinger(lambda d, l=l: naive_cost(
            W, [bb + (d if k == l else 0) for k, bb in enumerate(b)], x, y), b[l].shape)
        np.testing.assert_allclose(dC_db, delta_fd[l][0], rtol=1e-7)
        # BP4: dC/dw^l_jk = a^{l-1}_k delta^l_j  (samples in rows: outer(a, delta))
        d_re, d_im = partials(lambda d, l=l: naive_cost(
            [ww + (d if k == l else 0) for k, ww in enumerate(W)], b, x, y), W[l].shape)
        dC_dw = 0.5 * (d_re - 1j * d_im)
        np.testing.assert_allclose(dC_dw, activations[l].T @ delta_fd[l], rtol=1e-7)
        # (d): dC/dRe w = 2 Re(dC/dw), dC/dIm w = -2 Im(dC/dw)
        packed_w, _ = real_imag_gradient([dC_dw], [dC_db])
        np.testing.assert_allclose(packed_w[0].real, d_re, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(packed_w[0].imag, d_im, rtol=1e-12, atol=1e-15)
        assert not np.allclose(2 * dC_dw.real, -d_im, rtol=1e-3)


# ---------------------------------------------------- the real special case --

@pytest.mark.parametrize("sizes", [[3, 4, 2], [4, 5, 3, 2]])
def test_real_case_equals_the_real_network(sizes):
    rng = np.random.default_rng(4)
    real = Network(sizes, cost=QuadraticCost, seed=11)
    cnet = ComplexNetwork(sizes, seed=11, imag_scale=0.0)
    for Wc, Wr in zip(cnet.weights + cnet.biases, real.weights + real.biases):
        np.testing.assert_array_equal(Wc.real, Wr)       # same seed, same real parts
        assert not Wc.imag.any()
    X, Y = rng.random((6, sizes[0])), rng.random((6, sizes[-1]))
    grad_w, grad_b = cnet.real_gradient(X, Y)
    nabla_w, nabla_b = real.gradient(X, Y)
    for g, n in zip(grad_w + grad_b, nabla_w + nabla_b):
        np.testing.assert_allclose(g.real, n, rtol=1e-12, atol=1e-17)
        assert not g.imag.any()
    # one SGD step with L2 decay: equal within rounding (the core fuses BP4 and
    # the update into one BLAS call, the complex step does them separately)
    ws, bs = real.get_params()
    ws64, bs64 = real.get_params()
    real_sgd_step(ws, bs, QuadraticCost, X, Y, 3.0, 0.99)
    sgd_step(ws64, bs64, ComplexQuadraticCost, X, Y, 3.0, 0.99)
    for got, want in zip(ws64 + bs64, ws + bs):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-16)
    wc, bc = cnet.get_params()
    sgd_step(wc, bc, ComplexQuadraticCost, X, Y, 3.0, 0.99)
    for got, want in zip(wc + bc, ws + bs):
        np.testing.assert_allclose(got.real, want, rtol=1e-13, atol=1e-16)
        assert not got.imag.any()


def test_real_case_sgd_epochs_equal_the_core_on_mnist():
    train = load_mnist().train[:300]
    test = load_mnist().test[:200]
    real = Network([784, 12, 10], cost="quadratic", seed=5)
    cnet = ComplexNetwork([784, 12, 10], seed=5, imag_scale=0.0)
    h_real = real.SGD(train, 2, 10, 3.0, evaluation_data=test,
                      monitor_evaluation_accuracy=True, seed=9)
    h_cplx = cnet.SGD(train, 2, 10, 3.0, evaluation_data=test,
                      monitor_evaluation_accuracy=True, seed=9)
    assert h_cplx.evaluation_accuracy == h_real.evaluation_accuracy
    for Wc, Wr in zip(cnet.weights, real.weights):
        np.testing.assert_allclose(Wc.real, Wr, rtol=1e-10, atol=1e-13)
        assert not Wc.imag.any()
    np.testing.assert_array_equal(cnet.predict(test.features(np.float64)),
                                  real.predict(test.features(np.float64)))


# ------------------------------------------------------------------ poles --

def net_near_pole(layer, distance=0.01, **options):
    """A [2, 3, 2] net whose z^layer for input 0 sits ``distance`` from i pi."""
    net = ComplexNetwork([2, 3, 2], seed=0, **options)
    if layer == 2:
        net.biases[0][1] = distance + 1j * np.pi
    else:                        # z^3 = a^2 W^3 + b^3 with a^2 = sigma(b^2) for x = 0
        a2 = complex_sigmoid(net.biases[0])
        net.biases[1][0] = distance + 1j * np.pi - a2 @ net.weights[1][:, 0]
    return net


@pytest.mark.parametrize("layer", [2, 3])
def test_pole_guard_raises_before_any_change(layer):
    net = net_near_pole(layer)
    before = net.get_params()
    X, Y = np.zeros((1, 2)), np.full((1, 2), 0.5 + 0j)
    for call in (lambda: net.step(X, Y, 0.5), lambda: net.feedforward(X),
                 lambda: net.gradient(X, Y)):
        with pytest.raises(PoleError, match=rf"z\^{layer} .*imag_scale.*eta") as info:
            call()
        assert info.value.layer == layer
        assert info.value.distance == pytest.approx(0.01, rel=1e-6)
        assert isinstance(info.value, ValueError)
    for got, want in zip(net.get_params()[0] + net.get_params()[1], before[0] + before[1]):
        np.testing.assert_array_equal(got, want)


def test_pole_guard_warn_mode_and_threshold():
    net = net_near_pole(2, pole_guard="warn")
    X, Y = np.zeros((1, 2)), np.full((1, 2), 0.5 + 0j)
    with pytest.warns(PoleWarning, match="0.01"):
        net.step(X, Y, 0.1)
    quiet = net_near_pole(2, pole_threshold=0.005)       # 0.01 > threshold: no alarm
    quiet.step(X, Y, 0.1)


def test_sgd_stops_at_a_pole_and_resets_to_the_last_epoch():
    rng = np.random.default_rng(6)
    X = random_complex(rng, (20, 2), 0.5)
    Y = 0.5 + random_complex(rng, (20, 2), 0.1)
    net = ComplexNetwork([2, 3, 2], seed=1)
    snapshot = {}

    def push_to_pole(epoch, history, net):          # after epoch 1: move z^2 onto a pole
        snapshot["params"] = net.get_params()
        net.weights[0][:] = 0
        net.biases[0][0] = 0.001 + 1j * np.pi

    with pytest.raises(PoleError, match="reset to the end of epoch 1") as info:
        net.SGD((X, Y), 5, 4, 0.5, monitor_training_cost=True, callbacks=[push_to_pole])
    history = info.value.history
    assert history.epochs_completed == 1 and history.stopped == "pole"
    assert len(history.training_cost) == len(history.pole_distance) == 1
    for got, want in zip(net.weights + net.biases,
                         snapshot["params"][0] + snapshot["params"][1]):
        np.testing.assert_array_equal(got, want)


def test_history_records_pole_distances_and_init_keeps_im_z_small():
    splits = load_mnist()
    train, test = splits.train[:200], splits.test[:100]
    net = ComplexNetwork([784, 15, 10], seed=2)          # default imag_scale
    X = train.features(np.float64)
    zs, _, _ = forward(net.weights, net.biases, X)
    assert np.abs(zs[0].imag).max() < np.pi / 2           # well below the poles at start
    brute = [float(pole_distance(z).min()) for z in zs]
    history = net.SGD(train, 2, 10, 0.05, evaluation_data=test,
                      monitor_evaluation_accuracy=True, seed=3)
    np.testing.assert_allclose(history.initial_pole_distance, brute, rtol=1e-12)
    assert len(history.pole_distance) == 2 and all(len(d) == 2 for d in history.pole_distance)
    assert all(0 < d < 2 * np.pi for ds in history.pole_distance for d in ds)
    assert history.near_pole_steps == [0, 0]
    assert json.loads(json.dumps(history.to_dict()))["pole_distance"] == history.pole_distance


def test_init_imaginary_spread_of_the_first_layer():
    """Std of Im z^2 at initialization: <= imag_scale sqrt(2) for real |x| <= 1, but
    complex inputs add Re w Im x: up to sqrt(1 + imag_scale^2) (default init)."""
    s, n_in, nets = 0.25, 40, 300
    x_real = np.ones((1, n_in))                                   # the worst real case
    x_imag = np.full((1, n_in), 1j)                               # the worst complex case
    im_real, im_cplx = [], []
    for seed in range(nets):
        net = ComplexNetwork([n_in, 25], seed=seed, imag_scale=s)
        W, b = net.weights[0], net.biases[0]
        im_real.append((x_real @ W + b).imag)
        im_cplx.append((x_imag @ W + b).imag)
    std_real = np.concatenate(im_real, axis=None).std()
    std_cplx = np.concatenate(im_cplx, axis=None).std()
    n = nets * 25                                                 # samples per estimate
    assert std_real == pytest.approx(s * np.sqrt(2), rel=5 / np.sqrt(n))
    assert std_cplx == pytest.approx(np.sqrt(1 + s ** 2), rel=5 / np.sqrt(n))
    assert std_cplx > 2 * s * np.sqrt(2)            # the real-input bound does not apply


def test_complex64_is_preserved_through_a_step():
    net = ComplexNetwork([3, 4, 2], seed=0, dtype="complex64")
    rng = np.random.default_rng(0)
    net.step(random_complex(rng, (5, 3)), random_complex(rng, (5, 2), 0.3), 0.5)
    assert all(p.dtype == np.complex64 for p in net.weights + net.biases)


# -------------------------------------------------------------- bad input --

def test_bad_input_gives_clear_errors_and_leaves_the_network_unchanged():
    net = ComplexNetwork([3, 4, 2], seed=0)
    before = net.get_params()
    X, Y = np.ones((5, 3), dtype=complex), np.full((5, 2), 0.5 + 0.1j)
    bad_X = X.copy()
    bad_X[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite.*index \\(2, 1\\)"):
        net.step(bad_X, Y, 0.5)
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.step(X, np.full((5, 2), np.inf), 0.5)
    with pytest.raises(ValueError, match=r"X must have shape \(m, 3\)"):
        net.step(np.ones((5, 4)), Y, 0.5)
    with pytest.raises(ValueError, match=r"Y must have shape \(5, 2\)"):
        net.step(X, np.ones((4, 2)), 0.5)
    with pytest.raises(ValueError, match="eta must be a finite number > 0"):
        net.step(X, Y, -1.0)
    with pytest.raises(ValueError, match="targets must have shape"):
        net.SGD((X, np.ones((5, 3))), 1, 2, 0.5)
    with pytest.raises(ValueError, match="inputs must have shape"):
        net.SGD((np.ones((5, 2)), Y), 1, 2, 0.5)
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.SGD((bad_X, Y), 1, 2, 0.5)
    with pytest.raises(TypeError, match="numeric"):
        net.step(np.array([["a", "b", "c"]]), Y[:1], 0.5)
    with pytest.raises(ValueError, match="monitor accuracy needs class labels"):
        net.SGD((X, Y), 1, 2, 0.5, monitor_training_accuracy=True)
    for got, want in zip(net.weights + net.biases, before[0] + before[1]):
        np.testing.assert_array_equal(got, want)
    for cost in ("cross-entropy", CrossEntropyCost, CrossEntropyCost()):
        with pytest.raises(ValueError, match="complex-valued.*cost='quadratic'"):
            ComplexNetwork([3, 2], cost=cost)
    assert ComplexNetwork([3, 2], cost=QuadraticCost).cost is ComplexQuadraticCost
    for kwargs, match in (({"dtype": "float64"}, "dtype must be one of complex128"),
                          ({"pole_guard": "ignore"}, "pole_guard must be one of raise"),
                          ({"pole_threshold": 0}, "pole_threshold must be"),
                          ({"imag_scale": -1}, "imag_scale must be"),
                          ({"init": "huge"}, "init must be one of")):
        with pytest.raises(ValueError, match=match):
            ComplexNetwork([3, 2], **kwargs)
    with pytest.raises(ValueError, match="sizes must list"):
        ComplexNetwork([3])


def test_wirtinger_gradient_is_the_mean_over_samples():
    """backward sums over the batch; the public gradient divides by m once."""
    rng = np.random.default_rng(8)
    net = ComplexNetwork([2, 3, 2], seed=4)
    X, Y = random_complex(rng, (6, 2)), random_complex(rng, (6, 2), 0.4)
    whole = wirtinger_gradient(net.weights, net.biases, X, Y)
    per_sample = [wirtinger_gradient(net.weights, net.biases, X[i:i + 1], Y[i:i + 1])
                  for i in range(6)]
    for k in range(2):
        for l in range(2):
            mean = sum(g[k][l] for g in per_sample) / 6
            np.testing.assert_allclose(whole[k][l], mean, rtol=1e-12)


# ---------------------------------------------------- experiment and CLI --

@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    from deltanet.experiments.complex_task import run_complex
    out = tmp_path_factory.mktemp("complex-out")
    return out, run_complex(out, quick=True, progress=False)


def test_run_complex_stores_results_and_figures(quick_results):
    from deltanet.experiments.complex_task import load_complex_results
    from deltanet.plots.complex import FIGURES, plot_complex
    out, results = quick_results
    stored = load_complex_results(out)
    assert stored == json.loads(json.dumps(results))
    assert {"gradient_check", "task", "mnist", "config", "timings"} <= set(stored)
    check = stored["gradient_check"]
    assert check["passed"] and check["max_error"] < 1e-6
    assert all(c["max_error"] > 0.1 for c in check["controls"])   # wrong variants fail
    assert len(stored["task"]["complex"]["test_cost"]) == stored["config"]["task"]["epochs"]
    assert stored["task"]["complex"]["n_real_parameters"] == \
        stored["task"]["real"]["n_real_parameters"] == 62
    m = stored["mnist"]
    assert len(m["complex"]["accuracy"]) == len(m["complex"]["pole_distance"]) == \
        m["complex"]["epochs_completed"]
    assert abs(m["complex"]["n_real_parameters"] - m["real"]["n_real_parameters"]) <= 10
    for name in FIGURES:
        for ext in ("png", "svg"):
            assert (out / "complex" / f"{name}.{ext}").stat().st_size > 1000
    (out / "complex" / "complex-task.png").unlink()
    plot_complex(stored, out, lang="de")                  # redrawn from the JSON alone
    assert (out / "complex" / "complex-task.de.png").exists()


def test_cli_complex_plot_only_and_errors(quick_results, tmp_path, capsys):
    out, _ = quick_results
    assert main(["complex", "--out", str(out), "--plot-only", "--lang", "de"]) == 0
    printed = capsys.readouterr().out
    assert "Gradientenprüfung" in printed and "Re w" in printed and "MNIST" in printed
    assert main(["complex", "--out", str(tmp_path), "--replot"]) == 2      # the same option
    assert "results file not found" in capsys.readouterr().err
    (tmp_path / "complex").mkdir()
    (tmp_path / "complex" / "results.json").write_text("{\"schema\": \"other\"}")
    assert main(["complex", "--out", str(tmp_path), "--plot-only"]) == 2
    assert "schema 'other', expected 'deltanet.complex/1'" in capsys.readouterr().err
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main(["complex", "--out", str(a_file), "--quick", "--quiet"]) == 2


# ------------------------------------------------------------------- docs --

def test_derivation_document_points_to_existing_code_and_tests():
    """Every ``path:line`` link in docs/complex-backprop.md shows the quoted code,
    and every test it names exists in this file."""
    doc = (ROOT / "docs" / "complex-backprop.md").read_text(encoding="utf-8")
    links = re.findall(r"\[`([\w/.]+):(\d+)`\]\([^)]*\)\s*`([^`]+)`", doc)
    assert len(links) >= 8
    for path, line, snippet in links:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        assert snippet.strip() in lines[int(line) - 1], (path, line, snippet)
    here = Path(__file__).read_text(encoding="utf-8")
    tests = set(re.findall(r"`(test_\w+)`", doc))
    assert len(tests) >= 5
    for name in tests:
        assert f"def {name}(" in here, name


def test_interrupted_run_keeps_the_finished_parts(tmp_path, monkeypatch):
    from deltanet.experiments import complex_task
    from deltanet.plots.complex import plot_complex

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(complex_task, "run_mnist", interrupted)
    with pytest.raises(KeyboardInterrupt):
        complex_task.run_complex(tmp_path, quick=True, progress=False)
    stored = complex_task.load_complex_results(tmp_path)
    assert stored["complete"] is False and "mnist" not in stored
    assert stored["gradient_check"]["passed"] and len(stored["task"]["real"]["test_cost"]) == 3
    assert "Incomplete run" in complex_task.format_complex_summary(stored)
    paths = plot_complex(stored, tmp_path)
    assert sorted(p.stem for p in paths) == ["complex-gradient-check"] * 2 + ["complex-task"] * 2


def test_complex_evaluation_is_the_same_in_any_chunk_size():
    """The monitored counts and pole distances do not depend on the chunking
    (EVAL_CHUNK) nor on whether the converted inputs are kept."""
    test = load_mnist().test[:2500]
    net = ComplexNetwork([784, 15, 10], seed=3, imag_scale=0.05)
    cost, correct, distances = net.evaluate(test, chunk_size=len(test))
    for chunk in (net.EVAL_CHUNK, 999):
        c, n, d = net.evaluate(test, chunk_size=chunk)
        assert n == correct and d == distances
        assert c == pytest.approx(cost, rel=1e-12)


def test_a_cost_of_your_own_is_refused_naming_it():
    """A custom cost class (no ``name``) was an AttributeError; now the ValueError
    that says which cost and what to use, with the cross-entropy's reason unchanged."""
    class MyCost:
        @staticmethod
        def fn(a, y):
            return 0.5 * float(np.sum(np.abs(a - y) ** 2))

        @staticmethod
        def delta(z, a, y):
            return a - y

    with pytest.raises(ValueError, match="cost 'MyCost' cannot train a complex network.*"
                                         "use cost='quadratic'"):
        ComplexNetwork([3, 2], cost=MyCost)
    with pytest.raises(ValueError, match="the cross-entropy -sum.*is complex-valued, so "
                                         "there is nothing to minimize; use cost='quadratic'"):
        ComplexNetwork([3, 2], cost="cross-entropy")
