"""The core against independent references: finite differences, the
per-example algorithm, and the behaviour promised for bad input."""

import json

import numpy as np
import pytest

from deltanet import (CrossEntropyCost, Network, QuadraticCost, TrainingDiverged,
                      TrainingInterrupted, sigmoid, sigmoid_prime)
from deltanet.costs import get_cost
from deltanet.datasets import load_mnist
from deltanet.network import backward, forward
from deltanet.train import sgd_step

COSTS = [QuadraticCost, CrossEntropyCost]
ARCHITECTURES = [[4, 3], [5, 4, 3], [6, 5, 4, 4, 3, 3]]  # up to 4 hidden layers


def random_problem(sizes, n=7, seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    X = rng.random((n, sizes[0]))
    labels = rng.integers(0, sizes[-1], n)
    return X, labels


# ------------------------------------------------------------ activations --

def test_sigmoid_never_overflows_and_stays_in_range():
    for dtype in (np.float32, np.float64):
        big = np.finfo(dtype).max
        z = np.concatenate([np.linspace(-1e3, 1e3, 20001), [-big, big]]).astype(dtype)
        s = sigmoid(z)          # warnings are errors in this suite
        assert s.dtype == dtype
        assert np.all((s >= 0) & (s <= 1))
        sp = sigmoid_prime(z)
        assert np.all((sp >= 0) & (sp <= 0.25))
    assert sigmoid(np.float64(0.0)) == 0.5


def test_cross_entropy_is_finite_at_saturation():
    a = np.array([[0.0, 1.0, 0.0, 1.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    c = CrossEntropyCost.fn(a, y)
    assert np.isfinite(c) and c > 30          # wrong and saturated: large, not inf
    assert CrossEntropyCost.fn(a[:, :2], y[:, :2]) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("name", ["quadratic", "cross-entropy", "CrossEntropyCost"])
def test_cost_registry(name):
    assert get_cost(name) in (QuadraticCost, CrossEntropyCost)
    with pytest.raises(ValueError, match="cost must be one of"):
        get_cost("hinge")


# ----------------------------------------------------- finite differences --

@pytest.mark.parametrize("sizes", ARCHITECTURES)
@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("lmbda", [0.0, 0.7])
def test_backprop_matches_central_finite_differences(sizes, cost, lmbda):
    X, labels = random_problem(sizes)
    net = Network(sizes, cost=cost, seed=3, init="large")
    n_train = 20       # the L2 term uses the training-set size
    Y = np.eye(sizes[-1])[labels]
    nabla_w, nabla_b = net.gradient(X, Y)
    nabla_w = [nw + (lmbda / n_train) * W for nw, W in zip(nabla_w, net.weights)]

    def cost_value():
        return net.evaluate((X, labels), lmbda=lmbda, n_train=n_train)[0]

    h = 1e-6
    for params, grads in ((net.weights, nabla_w), (net.biases, nabla_b)):
        for P, G in zip(params, grads):
            numeric = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + h
                up = cost_value()
                P[idx] = old - h
                down = cost_value()
                P[idx] = old
                numeric[idx] = (up - down) / (2 * h)
            np.testing.assert_allclose(G, numeric, rtol=1e-6, atol=1e-9)


# --------------------------------------------- per-example reference loop --

def per_example_backprop(weights, biases, cost, x, y):
    """The book's backprop for one column-vector sample, written from scratch."""
    ws = [W.T for W in weights]                  # book's (n_out, n_in)
    bs = [b.reshape(-1, 1) for b in biases]
    activation, activations, zs = x, [x], []
    for w, b in zip(ws, bs):
        z = w @ activation + b
        zs.append(z)
        activation = 1 / (1 + np.exp(-z))
        activations.append(activation)
    if cost is CrossEntropyCost:
        delta = activations[-1] - y
    else:
        s = activations[-1]
        delta = (s - y) * s * (1 - s)
    nabla_b = [None] * len(ws)
    nabla_w = [None] * len(ws)
    nabla_b[-1], nabla_w[-1] = delta, delta @ activations[-2].T
    for l in range(2, len(ws) + 1):
        s = activations[-l]
        delta = (ws[-l + 1].T @ delta) * s * (1 - s)
        nabla_b[-l], nabla_w[-l] = delta, delta @ activations[-l - 1].T
    return nabla_w, nabla_b


@pytest.mark.parametrize("cost", COSTS)
@pytest.mark.parametrize("sizes", [[5, 4, 3], [6, 5, 4, 3]])
def test_vectorized_step_equals_sum_of_per_example_updates(cost, sizes):
    rng = np.random.default_rng(1)
    m, n, eta, lmbda = 6, 50, 0.8, 0.3
    X = rng.random((m, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], m)]
    net = Network(sizes, cost=cost, seed=2)
    ws, bs = net.get_params()
    sum_w = [np.zeros((W.shape[1], W.shape[0])) for W in ws]
    sum_b = [np.zeros((b.size, 1)) for b in bs]
    for x, y in zip(X, Y):
        nw, nb = per_example_backprop(ws, bs, cost, x.reshape(-1, 1), y.reshape(-1, 1))
        sum_w = [s + d for s, d in zip(sum_w, nw)]
        sum_b = [s + d for s, d in zip(sum_b, nb)]
    expected_w = [(1 - eta * lmbda / n) * W - (eta / m) * s.T for W, s in zip(ws, sum_w)]
    expected_b = [b - (eta / m) * s.ravel() for b, s in zip(bs, sum_b)]
    sgd_step(net.weights, net.biases, cost, X, Y, eta, decay=1 - eta * lmbda / n)
    for got, want in zip(net.weights + net.biases, expected_w + expected_b):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def strided_copy(a):
    """``a`` as a non-contiguous view (every other element of a larger array)."""
    big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
    view = big[..., ::2]
    view[...] = a
    return view


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layout", ["fortran", "c", "strided"])
def test_fused_update_equals_backward_then_update(dtype, layout):
    """sgd_step (BLAS gemm/gemv into W and b, or the NumPy fallback) == backward + update."""
    sizes, m, eta, decay = [7, 5, 4, 3], 8, 0.7, 0.99
    rng = np.random.default_rng(3)
    X = rng.random((m, sizes[0])).astype(dtype)
    Y = np.eye(sizes[-1], dtype=dtype)[rng.integers(0, sizes[-1], m)]
    net = Network(sizes, cost="quadratic", seed=4, dtype=dtype)
    assert all(W.flags.f_contiguous for W in net.weights)       # the core's layout
    if layout == "c":                       # user-assigned C arrays: gemm on W.T
        net.weights = [np.ascontiguousarray(W) for W in net.weights]
    elif layout == "strided":               # user-assigned views: the NumPy route
        net.weights = [strided_copy(W) for W in net.weights]
        net.biases = [strided_copy(b) for b in net.biases]
    ws, bs = net.get_params()
    zs, acts = forward(ws, bs, X)
    nw, nb = backward(ws, acts, QuadraticCost.delta(zs[-1], acts[-1], Y))
    params_before = [id(p) for p in net.weights + net.biases]
    sgd_step(net.weights, net.biases, QuadraticCost, X, Y, eta, decay)
    assert [id(p) for p in net.weights + net.biases] == params_before   # updated in place
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-13, atol=1e-15)
    for W, W0, g in zip(net.weights, ws, nw):
        np.testing.assert_allclose(W, decay * W0 - eta / m * g, **tol)
        assert W.dtype == np.dtype(dtype)
    for b, b0, g in zip(net.biases, bs, nb):
        np.testing.assert_allclose(b, b0 - eta / m * g, **tol)


@pytest.mark.parametrize("order", ["F", "C"])
def test_fused_update_never_writes_into_a_read_only_array(order):
    from deltanet.network import _descend, _descend_bias
    W = np.ones((4, 3), order=order)
    b = np.ones(3)
    W.flags.writeable = b.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        _descend(W, np.ones((2, 4)), np.ones((2, 3)), -1.0, 0.5)
    with pytest.raises(ValueError, match="read-only"):
        _descend_bias(b, np.ones((2, 3)), -1.0)
    np.testing.assert_array_equal(W, 1.0)
    np.testing.assert_array_equal(b, 1.0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fused_update_with_mixed_dtypes_takes_numpy_and_still_updates(dtype):
    """BLAS would silently update a converted copy; the step must not."""
    from deltanet.network import _descend, _descend_bias
    W, b = np.ones((4, 3), dtype, order="F"), np.ones(3, dtype)
    A, delta = np.ones((2, 4), np.float64), np.ones((2, 3), np.float32)
    _descend(W, A, delta, -0.25, 1.0)
    _descend_bias(b, delta, -0.25)
    np.testing.assert_array_equal(W, 0.5)
    np.testing.assert_array_equal(b, 0.5)


def test_backward_returns_batch_sums():
    sizes = [3, 4, 2]
    X, labels = random_problem(sizes, n=5)
    net = Network(sizes, seed=0)
    Y = np.eye(2)[labels]
    zs, acts = forward(net.weights, net.biases, X)
    nw, nb = backward(net.weights, acts, CrossEntropyCost.delta(zs[-1], acts[-1], Y))
    mean_w, mean_b = net.gradient(X, Y)
    np.testing.assert_allclose(nw[0] / 5, mean_w[0])
    np.testing.assert_allclose(nb[1] / 5, mean_b[1])


# ---------------------------------------------------------- real training --

@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


def test_short_mnist_run_learns(mnist):
    net = Network([784, 30, 10], seed=1, dtype="float32")
    history = net.SGD(mnist.train[:5000], 2, 10, 0.5, evaluation_data=mnist.test[:2000],
                      monitor_evaluation_accuracy=True, monitor_training_cost=True)
    assert len(history.evaluation_accuracy) == 2 and len(history.training_cost) == 2
    assert history.evaluation_accuracy[-1] / 2000 >= 0.85
    assert history.training_cost[1] < history.training_cost[0]
    assert all(W.dtype == np.float32 for W in net.weights + net.biases)
    # the four network2 lists unpack from the result
    ec, ea, tc, ta = history
    assert ec == [] and ta == [] and ea == history.evaluation_accuracy


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_seed_gives_identical_run(mnist, dtype):
    runs = []
    for _ in range(2):
        net = Network([784, 10, 10], seed=7, dtype=dtype)
        h = net.SGD(mnist.train[:300], 2, 7, 0.5, lmbda=0.1, evaluation_data=mnist.test[:100],
                    monitor_evaluation_cost=True, monitor_training_accuracy=True)
        runs.append((net.weights[0].copy(), h.evaluation_cost, h.training_accuracy))
        assert net.weights[0].dtype == np.dtype(dtype)
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1:] == runs[1][1:]


def test_accepts_arrays_one_hot_and_network2_lists(mnist):
    data = mnist.train[:40]
    X, labels = data.features(np.float64), data.labels
    one_hot = np.eye(10)[labels]
    pairs = [(x.reshape(-1, 1), y.reshape(-1, 1)) for x, y in zip(X, one_hot)]
    results = []
    for form in (data, (X, labels), (X, one_hot), pairs):
        net = Network([784, 5, 10], seed=3)
        h = net.SGD(form, 1, 8, 0.5, seed=4, monitor_training_cost=True)
        results.append(h.training_cost[0])
    np.testing.assert_allclose(results, results[0], rtol=1e-12)


def test_gradient_norm_monitor_equals_backprop(mnist):
    net = Network([784, 8, 8, 10], seed=0)
    h = net.SGD(mnist.train[:200], 1, 10, 0.1, monitor_gradient_norms=True,
                gradient_samples=100)
    data = mnist.train[:100]
    _, nabla_b = net.gradient(data.features(np.float64), data.one_hot(np.float64))
    np.testing.assert_allclose(h.gradient_norms[-1], [np.linalg.norm(b) for b in nabla_b])
    assert len(h.initial_gradient_norms) == 3


# ------------------------------------------------------------- save/load --

def test_save_load_round_trip(tmp_path):
    net = Network([6, 4, 3], cost="quadratic", seed=5)
    path = tmp_path / "net.json"
    net.save(path)
    data = json.loads(path.read_text())
    assert data["cost"] == "QuadraticCost"
    assert np.array(data["weights"][0]).shape == (4, 6)       # network2's (n_out, n_in)
    assert np.array(data["biases"][0]).shape == (4, 1)
    loaded = Network.load(path)
    assert loaded.cost is QuadraticCost and loaded.sizes == [6, 4, 3]
    for a, b in zip(net.weights + net.biases, loaded.weights + loaded.biases):
        np.testing.assert_array_equal(a, b)


def test_load_reads_a_network2_file(tmp_path):
    rng = np.random.RandomState(0)
    w = [rng.randn(3, 4), rng.randn(2, 3)]
    b = [rng.randn(3, 1), rng.randn(2, 1)]
    path = tmp_path / "orig.json"
    path.write_text(json.dumps({"sizes": [4, 3, 2], "weights": [x.tolist() for x in w],
                                "biases": [x.tolist() for x in b], "cost": "CrossEntropyCost"}))
    net = Network.load(path)
    x = rng.rand(4, 1)
    a = x
    for wi, bi in zip(w, b):
        a = 1 / (1 + np.exp(-(wi @ a + bi)))
    np.testing.assert_allclose(net.feedforward(x.T), a.T, rtol=1e-14)


@pytest.mark.parametrize("content, match", [
    ("not json", "invalid JSON"),
    ("[]", "top level"),
    ('{"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0]]]}', "missing keys"),
    ('{"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0]]], "cost": "Hinge"}', "cost"),
    ('{"sizes": [3, 1], "weights": [[[1, 2]]], "biases": [[[0]]], "cost": "QuadraticCost"}',
     "layer 2"),
    ('{"sizes": [2], "weights": [], "biases": [], "cost": "QuadraticCost"}', "sizes"),
    ('{"sizes": [2, 1], "weights": [[["a", 2]]], "biases": [[[0]]], "cost": "QuadraticCost"}',
     "non-numeric"),
])
def test_load_rejects_malformed_files(tmp_path, content, match):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=match):
        Network.load(path)


def test_save_is_atomic(tmp_path, monkeypatch):
    net = Network([3, 2], seed=0)
    path = tmp_path / "net.json"
    net.save(path)
    before = path.read_text()
    import deltanet.serialization as ser

    def broken_dumps(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(ser.json, "dumps", broken_dumps)
    with pytest.raises(RuntimeError):
        Network([3, 2], seed=1).save(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    import deltanet.serialization as ser
    path = tmp_path / "net.json"
    Network([3, 2], seed=0).save(path)
    before = path.read_text()

    def broken_replace(src, dst):
        raise OSError("simulated crash before the rename")
    monkeypatch.setattr(ser.os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated crash"):
        Network([3, 2], seed=1).save(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


def test_written_files_get_normal_permissions(tmp_path):
    import os
    old = os.umask(0o022)
    try:
        Network([3, 2], seed=0).save(tmp_path / "net.json")
    finally:
        os.umask(old)
    assert (tmp_path / "net.json").stat().st_mode & 0o777 == 0o644


# ----------------------------------------------------------- bad input --

def small_data():
    rng = np.random.default_rng(0)
    return rng.random((20, 4)), rng.integers(0, 3, 20)


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(eta=0), ValueError, "eta must be a finite number > 0; got 0"),
    (dict(eta=-0.5), ValueError, "eta must be a finite number > 0; got -0.5"),
    (dict(eta=float("nan")), ValueError, "eta"),
    (dict(eta=float("inf")), ValueError, "eta"),
    (dict(mini_batch_size=0), ValueError, "mini_batch_size must be an integer >= 1"),
    (dict(mini_batch_size=2.5), ValueError, "mini_batch_size"),
    (dict(epochs=-1), ValueError, "epochs must be an integer >= 0"),
    (dict(lmbda=-0.1), ValueError, "lmbda must be a finite number >= 0"),
    (dict(monitor_evaluation_accuracy=True), ValueError, "need evaluation_data"),
])
def test_bad_hyperparameters_change_nothing(kwargs, exc, match):
    X, y = small_data()
    net = Network([4, 3, 3], seed=0)
    before = net.get_params()
    args = dict(epochs=1, mini_batch_size=5, eta=0.5) | kwargs
    with pytest.raises(exc, match=match):
        net.SGD((X, y), **args)
    for a, b in zip(before[0] + before[1], net.weights + net.biases):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make, match", [
    (lambda X, y: (X[:, :3], y), "3 features but the input layer has 4"),
    (lambda X, y: (X, y + 3), r"labels must lie in 0\.\.2"),
    (lambda X, y: (X, y[:-1]), "20 inputs but 19 labels"),
    (lambda X, y: (np.where(X > 0.9, np.nan, X), y), "NaN or infinite"),
    (lambda X, y: (X[:0], y[:0]), "non-empty"),
    (lambda X, y: [], "empty"),
    (lambda X, y: (X, np.eye(3)[y][:, :, None]), r"targets must have shape \(n,\) or"),
    (lambda X, y: (X, np.eye(4)[y]), "3 columns"),
    (lambda X, y: "mnist", "must be a Dataset"),
])
def test_bad_data_is_rejected_before_training(make, match):
    X, y = small_data()
    net = Network([4, 3, 3], seed=0)
    before = net.get_params()
    with pytest.raises((ValueError, TypeError), match=match):
        net.SGD(make(X, y), 1, 5, 0.5)
    np.testing.assert_array_equal(before[0][0], net.weights[0])


@pytest.mark.parametrize("sizes", [[784], [], [784, 0, 10], [784, -3], [784, "x"], None])
def test_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes must list at least 2 layer widths"):
        Network(sizes)


def test_unknown_cost_init_dtype():
    with pytest.raises(ValueError, match="cost must be one of"):
        Network([2, 1], cost="hinge")
    with pytest.raises(ValueError, match="init must be one of default, large"):
        Network([2, 1], init="xavier")
    with pytest.raises(ValueError, match="dtype must be one of float32, float64"):
        Network([2, 1], dtype="int8")


def test_divergence_stops_with_history_and_resets_network():
    X, y = small_data()
    net = Network([4, 3, 3], seed=0)
    h0 = net.SGD((X, y), 1, 5, 0.5, monitor_training_cost=True)   # one good epoch
    good = net.get_params()
    with pytest.raises(TrainingDiverged, match="diverged in epoch 1.*smaller eta") as info:
        net.SGD((X, y), 3, 5, 1e307, lmbda=1.0, monitor_training_cost=True)
    assert info.value.history.epochs_completed == 0
    assert info.value.history.training_cost == []
    np.testing.assert_array_equal(good[0][0], net.weights[0])
    assert len(h0.training_cost) == 1


def test_interrupt_keeps_completed_epochs():
    X, y = small_data()
    net = Network([4, 3, 3], seed=0)

    def stop_after_two(epoch, history, net):
        if epoch == 1:
            raise KeyboardInterrupt
    with pytest.raises(TrainingInterrupted) as info:
        net.SGD((X, y), 5, 5, 0.5, monitor_training_accuracy=True, callbacks=[stop_after_two])
    assert info.value.history.epochs_completed == 2
    assert len(info.value.history.training_accuracy) == 2


def test_small_sets_converted_once_give_the_same_run(monkeypatch):
    """The dense cache of small data sets changes speed, not numbers."""
    from deltanet.train import LabelledData
    data = load_mnist()
    train, test = data.train[:300], data.test[:400]

    def run():
        net = Network([784, 12, 10], seed=3, dtype="float32")
        history = net.SGD(train, 3, 10, 0.5, lmbda=0.1, evaluation_data=test,
                          monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                          monitor_training_cost=True, monitor_training_accuracy=True)
        return net, history

    cached_net, cached = run()
    monkeypatch.setattr(LabelledData, "DENSE_LIMIT", 0)       # every chunk converted anew
    chunked_net, chunked = run()
    assert tuple(cached) == tuple(chunked)
    for a, b in zip(cached_net.weights + cached_net.biases,
                    chunked_net.weights + chunked_net.biases):
        np.testing.assert_array_equal(a, b)


def test_float_images_with_a_scale_are_converted_alike_whole_and_in_chunks():
    """float64 images with a scale in a float32 network: the copy kept for evaluation and
    the reused chunks (training, large sets) hold the same numbers (cast, then scaled)."""
    from deltanet.data import Data
    rng = np.random.default_rng(0)
    data = Data(rng.random((50, 7)), 0.1, 3, labels=rng.integers(0, 3, 50))
    whole = data.rows(slice(None), np.float32)
    chunks = data.rows(slice(None), np.float32, out=data.scratch(50, np.float32))
    np.testing.assert_array_equal(whole, chunks)


@pytest.mark.parametrize("spoil, match", [
    (lambda net: net.weights[1].setflags(write=False), r"net.weights\[1\] is read-only"),
    (lambda net: net.biases[0].setflags(write=False), r"net.biases\[0\] is read-only"),
    (lambda net: net.weights.__setitem__(0, np.ones((3, 4))),
     r"net.weights\[0\] must be an array of shape \(4, 3\).*got \(3, 4\)"),
    (lambda net: net.biases.__setitem__(1, [0.0, 0.0, 0.0]), r"net.biases\[1\] must be an array"),
    (lambda net: net.weights.append(np.ones((3, 3))), "need 2 arrays each"),
])
def test_parameters_assigned_by_hand_are_checked_before_training(spoil, match):
    """A read-only or misshapen parameter fails before the first step, not half-way."""
    X, y = small_data()
    net = Network([4, 3, 3], seed=0)
    spoil(net)
    before = [np.array(p, copy=True) for p in net.weights + net.biases]
    with pytest.raises(ValueError, match=match):
        net.SGD((X, y), 1, 5, 0.5)
    for p, p0 in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, p0)
