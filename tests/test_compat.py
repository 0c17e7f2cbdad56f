"""deltanet.compat.network2 / mnist_loader against a per-example network2 reference.

``Reference`` below is written from network2's rules (one column vector at a
time, NumPy's legacy generator for the initial parameters, Python's
``random.shuffle`` of the training list in place every epoch); it shares no
code with deltanet. The compat module must give the same accuracy counts at
every epoch, costs equal to 1e-9 relative, the same final parameters, the same
order of the caller's list and the same state of both random generators.
"""

import copy
import gzip
import json
import pickle
import random
import runpy
from pathlib import Path

import numpy as np
import pytest

from deltanet.compat import mnist_loader, network2
from deltanet.datasets import load_mnist
from deltanet.network import Network as CoreNetwork

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "run_training.py"


# ------------------------------------------------------ per-example reference --

def ref_sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def ref_sigmoid_prime(z):
    return ref_sigmoid(z) * (1 - ref_sigmoid(z))


def ref_one_hot(j):
    column = np.zeros((10, 1))
    column[j] = 1.0
    return column


class RefQuadratic:
    @staticmethod
    def fn(a, y):
        return 0.5 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        return (a - y) * ref_sigmoid_prime(z)


class RefCrossEntropy:
    @staticmethod
    def fn(a, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sum(np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        return a - y


REF_COSTS = {"QuadraticCost": RefQuadratic, "CrossEntropyCost": RefCrossEntropy}


class Reference:
    """network2's algorithm, one sample (column) at a time."""

    def __init__(self, sizes, cost):
        self.sizes, self.cost = list(sizes), cost
        self.init(scale=True)

    def init(self, scale):
        pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
        self.biases = [np.random.randn(n_out, 1) for _, n_out in pairs]
        self.weights = [np.random.randn(n_out, n_in) / (np.sqrt(n_in) if scale else 1)
                        for n_in, n_out in pairs]

    def feedforward(self, a):
        for w, b in zip(self.weights, self.biases):
            a = ref_sigmoid(np.dot(w, a) + b)
        return a

    def backprop(self, x, y):
        activations, zs = [x], []
        for w, b in zip(self.weights, self.biases):
            zs.append(np.dot(w, activations[-1]) + b)
            activations.append(ref_sigmoid(zs[-1]))
        delta = self.cost.delta(zs[-1], activations[-1], y)
        grad_b, grad_w = [None] * len(self.weights), [None] * len(self.weights)
        for l in range(len(self.weights) - 1, -1, -1):
            grad_b[l] = delta
            grad_w[l] = np.dot(delta, activations[l].T)
            if l > 0:
                delta = np.dot(self.weights[l].T, delta) * ref_sigmoid_prime(zs[l - 1])
        return grad_b, grad_w

    def update_mini_batch(self, batch, eta, lmbda, n):
        sum_b = [np.zeros(b.shape) for b in self.biases]
        sum_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in batch:
            grad_b, grad_w = self.backprop(x, y)
            sum_b = [s + g for s, g in zip(sum_b, grad_b)]
            sum_w = [s + g for s, g in zip(sum_w, grad_w)]
        self.weights = [(1 - eta * (lmbda / n)) * w - (eta / len(batch)) * s
                        for w, s in zip(self.weights, sum_w)]
        self.biases = [b - (eta / len(batch)) * s for b, s in zip(self.biases, sum_b)]

    def accuracy(self, data, convert=False):
        return sum(int(np.argmax(self.feedforward(x)) == (np.argmax(y) if convert else y))
                   for x, y in data)

    def total_cost(self, data, lmbda, convert=False):
        cost = 0.0
        for x, y in data:
            cost += self.cost.fn(self.feedforward(x), ref_one_hot(y) if convert else y) / len(data)
        return cost + 0.5 * (lmbda / len(data)) * sum(np.linalg.norm(w) ** 2
                                                       for w in self.weights)

    def sgd(self, training_data, epochs, m, eta, lmbda, evaluation_data):
        n = len(training_data)
        lines, ec, ea, tc, ta = [], [], [], [], []
        for j in range(epochs):
            random.shuffle(training_data)
            for k in range(0, n, m):
                self.update_mini_batch(training_data[k:k + m], eta, lmbda, n)
            lines.append(f"Epoch {j} training complete")
            tc.append(self.total_cost(training_data, lmbda))
            lines.append(f"Cost on training data: {tc[-1]}")
            ta.append(self.accuracy(training_data, convert=True))
            lines.append(f"Accuracy on training data: {ta[-1]} / {n}")
            ec.append(self.total_cost(evaluation_data, lmbda, convert=True))
            lines.append(f"Cost on evaluation data: {ec[-1]}")
            ea.append(self.accuracy(evaluation_data))
            lines.append(f"Accuracy on evaluation data: {ea[-1]} / {len(evaluation_data)}")
            lines.append("")
        return (ec, ea, tc, ta), lines


# ----------------------------------------------------------------- fixtures --

@pytest.fixture(scope="module")
def mnist():
    """300 training pairs (float32 columns, one-hot), 100 validation pairs (int labels)."""
    train, validation, _ = load_mnist()
    X, Xv = train.features(np.float32, rows=slice(0, 300)), validation.features(
        np.float32, rows=slice(0, 100))
    training = [(x.reshape(784, 1), ref_one_hot(y)) for x, y in zip(X, train.labels[:300])]
    evaluation = [(x.reshape(784, 1), y) for x, y in zip(Xv, validation.labels[:100])]
    return training, evaluation


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setattr(network2, "VERBOSE", False)


def both_nets(sizes, cost_name, seed=7, large=False):
    random.seed(seed)
    np.random.seed(seed)
    ref = Reference(sizes, REF_COSTS[cost_name])
    if large:
        ref.init(scale=False)
    ref_states = random.getstate(), np.random.get_state()
    random.seed(seed)
    np.random.seed(seed)
    net = network2.Network(sizes, cost=getattr(network2, cost_name))
    if large:
        net.large_weight_initializer()
    assert_states_equal(ref_states, (random.getstate(), np.random.get_state()))
    return ref, net


def assert_states_equal(a, b):
    assert a[0] == b[0]
    for x, y in zip(a[1], b[1]):
        assert np.array_equal(x, y)


def assert_close(actual, expected, rtol=1e-9):
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=0)


def assert_params_close(net, ref, rtol=1e-9, atol=1e-12):
    for w, rw in zip(net.weights, ref.weights):
        assert w.shape == rw.shape
        np.testing.assert_allclose(w, rw, rtol=rtol, atol=atol)
    for b, rb in zip(net.biases, ref.biases):
        assert b.shape == rb.shape
        np.testing.assert_allclose(b, rb, rtol=rtol, atol=atol)


def snapshot(net, data=None):
    return ([w.copy() for w in net.weights], [b.copy() for b in net.biases],
            None if data is None else [id(p) for p in data],
            random.getstate(), np.random.get_state())


def assert_unchanged(net, before, data=None):
    weights, biases, order, py_state, np_state = before
    for w, w0 in zip(net.weights, weights):
        assert np.array_equal(w, w0)
    for b, b0 in zip(net.biases, biases):
        assert np.array_equal(b, b0)
    if data is not None:
        assert [id(p) for p in data] == order
    assert_states_equal((py_state, np_state), (random.getstate(), np.random.get_state()))


# ------------------------------------------------------- SGD, epoch by epoch --

CASES = [  # sizes, cost, lmbda, mini_batch_size, large initial weights, rows per chunk
    ([784, 30, 10], "CrossEntropyCost", 0.0, 10, False, None),
    ([784, 30, 10], "CrossEntropyCost", 0.5, 7, False, 64),
    ([784, 30, 10], "QuadraticCost", 0.0, 13, False, 40),
    ([784, 30, 10], "QuadraticCost", 1.0, 10, True, None),
    ([784, 10], "CrossEntropyCost", 0.2, 9, False, None),
    ([784, 10], "QuadraticCost", 0.5, 16, False, 50),
    ([784, 20, 15, 10], "CrossEntropyCost", 0.3, 11, True, None),
    ([784, 20, 15, 10], "QuadraticCost", 0.0, 7, False, None),
    ([784, 30, 10], "CrossEntropyCost", 0.1, 199, False, None),   # last batch: 1 sample
]


@pytest.mark.parametrize("sizes, cost, lmbda, m, large, chunk_rows", CASES)
def test_sgd_matches_per_example_reference(mnist, capsys, monkeypatch, sizes, cost, lmbda, m,
                                           large, chunk_rows):
    training, evaluation = mnist
    if chunk_rows:   # exercise the chunked gathers and forward passes on small data
        monkeypatch.setattr(network2, "_CHUNK_ROWS", chunk_rows)
    eta = 3.0 if cost == "QuadraticCost" else 0.5
    ref, net = both_nets(sizes, cost, large=large)
    ref_list, our_list = training[:200], training[:200]
    assert ref_list is not our_list
    random.seed(11)
    (ref_ec, ref_ea, ref_tc, ref_ta), ref_lines = ref.sgd(ref_list, 3, m, eta, lmbda, evaluation)
    ref_state = random.getstate()

    random.seed(11)
    result = net.SGD(our_list, 3, m, eta, lmbda=lmbda, evaluation_data=evaluation,
                     monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                     monitor_training_cost=True, monitor_training_accuracy=True)
    ec, ea, tc, ta = result
    assert isinstance(result, tuple) and len(result) == 4
    assert ta == ref_ta and ea == ref_ea                    # identical counts, every epoch
    assert all(type(k) is int for k in ta + ea)
    assert_close(tc, ref_tc)
    assert_close(ec, ref_ec)
    assert_params_close(net, ref)
    # The caller's list was shuffled in place, exactly like the reference's...
    assert [id(p) for p in our_list] == [id(p) for p in ref_list]
    assert [id(p) for p in our_list] != [id(p) for p in training[:200]]
    # ...with the same random numbers, so the generator ends in the same state.
    assert random.getstate() == ref_state
    # The printed lines are the original's, number for number.
    printed = capsys.readouterr().out.split("\n")
    assert printed[-1] == ""
    assert len(printed[:-1]) == len(ref_lines)
    for ours, theirs in zip(printed, ref_lines):
        if theirs.startswith("Cost"):
            head, value = ours.rsplit(": ", 1)
            assert head == theirs.rsplit(": ", 1)[0]
            assert_close(float(value), float(theirs.rsplit(": ", 1)[1]))
        else:
            assert ours == theirs


@pytest.mark.parametrize("x_dtype", [np.float32, np.float64])
def test_sgd_on_a_one_pair_list_matches_per_example_reference(mnist, quiet, x_dtype):
    training, evaluation = mnist
    x, y = training[5]
    pair = (x.astype(x_dtype), y)
    # The one-pair conversion (two casts) gives the rows the generic stacking gives.
    arrays = network2._as_arrays([pair], "data", (784, 10))
    assert np.array_equal(arrays.X, network2._stack_columns([pair[0]], 784, "data", "x"))
    assert np.array_equal(arrays.Y, network2._stack_columns([y], 10, "data", "y"))
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost", large=True)
    held, before = net.weights[0], net.weights[0].copy()
    random.seed(3)
    (ref_ec, ref_ea, ref_tc, ref_ta), _ = ref.sgd([pair], 3, 1, 0.5, 0.2, evaluation)
    random.seed(3)
    ec, ea, tc, ta = net.SGD([pair], 3, 1, 0.5, lmbda=0.2, evaluation_data=evaluation,
                             monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                             monitor_training_cost=True, monitor_training_accuracy=True)
    assert ta == ref_ta and ea == ref_ea
    assert_close(tc, ref_tc)
    assert_close(ec, ref_ec)
    assert_params_close(net, ref, rtol=1e-12, atol=1e-15)
    assert np.array_equal(held, before) and net.weights[0] is not held


ONE_PAIR_BAD = {
    "NaN in x": (lambda x, y: (np.where(np.arange(784)[:, None] == 3, np.nan, x), y),
                 ValueError, r"training_data\[0\]: x contains NaN"),
    "infinity in y": (lambda x, y: (x, np.where(y == 1, np.inf, y)), ValueError,
                      r"training_data\[0\]: y contains NaN or infinity"),
    "flat x": (lambda x, y: (x.ravel(), y), ValueError,
               r"training_data\[0\]: x must be.*reshape"),
    "integer label": (lambda x, y: (x, 4), ValueError, "training_data has integer labels"),
    "complex x": (lambda x, y: (x + 0j, y), TypeError, r"training_data\[0\]: x must hold real"),
}


@pytest.mark.parametrize("case", ONE_PAIR_BAD)
def test_a_bad_one_pair_list_is_refused_like_a_long_one(mnist, quiet, case):
    training, _ = mnist
    make, error, message = ONE_PAIR_BAD[case]
    _, net = both_nets([784, 30, 10], "CrossEntropyCost")
    data = [make(*training[0])]
    before = snapshot(net, data)
    with pytest.raises(error, match=message):
        net.SGD(data, 2, 1, 0.5)
    assert_unchanged(net, before, data)


def test_sgd_monitors_only_what_is_asked_and_can_be_silenced(mnist, capsys, monkeypatch):
    training, evaluation = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    data = training[:50]
    ec, ea, tc, ta = net.SGD(data, 2, 10, 0.5, evaluation_data=evaluation,
                             monitor_evaluation_accuracy=True, verbose=False)
    assert ec == [] and tc == [] and ta == [] and len(ea) == 2
    assert capsys.readouterr().out == ""
    monkeypatch.setattr(network2, "VERBOSE", False)
    net.SGD(data, 1, 10, 0.5, monitor_training_cost=True)
    assert capsys.readouterr().out == ""
    net.SGD(data, 1, 10, 0.5, monitor_training_accuracy=True, verbose=True)
    assert capsys.readouterr().out == (
        f"Epoch 0 training complete\nAccuracy on training data: "
        f"{net.accuracy(data, convert=True)} / 50\n\n")


def test_zero_epochs_change_nothing(mnist, quiet):
    training, evaluation = mnist
    _, net = both_nets([784, 30, 10], "CrossEntropyCost")
    data = training[:30]
    before = snapshot(net, data)
    assert net.SGD(data, 0, 10, 0.5, evaluation_data=evaluation,
                   monitor_evaluation_accuracy=True) == ([], [], [], [])
    assert_unchanged(net, before, data)


# ------------------------------------------------------ pieces of network2 --

@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("sizes", [[784, 30, 10], [5, 4, 3, 2]])
def test_initializers_draw_like_network2(sizes, large):
    ref, net = both_nets(sizes, "CrossEntropyCost", seed=3, large=large)
    for w, rw in zip(net.weights, ref.weights):
        assert w.shape == rw.shape and np.array_equal(w, rw)      # bit for bit
    for b, rb in zip(net.biases, ref.biases):
        assert b.shape == rb.shape and np.array_equal(b, rb)
    assert net.num_layers == len(sizes) and net.sizes == sizes
    # The core network holds the same numbers, samples in rows.
    for W, w in zip(net.core.weights, ref.weights):
        assert W.shape == w.T.shape and np.array_equal(W, w.T)


@pytest.mark.parametrize("cost", ["CrossEntropyCost", "QuadraticCost"])
@pytest.mark.parametrize("sizes", [[784, 30, 10], [784, 20, 15, 10]])
def test_backprop_matches_reference(mnist, sizes, cost):
    training, _ = mnist
    ref, net = both_nets(sizes, cost)
    for x, y in training[:3]:
        nabla_b, nabla_w = net.backprop(x, y)
        ref_b, ref_w = ref.backprop(x, y)
        assert [b.shape for b in nabla_b] == [(n, 1) for n in sizes[1:]]
        assert [w.shape for w in nabla_w] == [(o, i) for i, o in zip(sizes[:-1], sizes[1:])]
        for ours, theirs in zip(nabla_b + nabla_w, ref_b + ref_w):
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("cost", ["CrossEntropyCost", "QuadraticCost"])
def test_backprop_matches_finite_differences(cost):
    rng = np.random.default_rng(0)
    random.seed(0)
    np.random.seed(0)
    net = network2.Network([4, 5, 3], cost=getattr(network2, cost))
    x, y = rng.random((4, 1)), np.array([[0.0], [1.0], [0.0]])
    nabla_b, nabla_w = net.backprop(x, y)
    cost_fn = getattr(network2, cost).fn
    h = 1e-6
    for l in range(2):
        for i, j in [(0, 0), (1, 2), (2, 3)]:
            w = net.weights[l]
            old = w[i, j]
            w[i, j] = old + h                         # in-place edits reach the network
            up = cost_fn(net.feedforward(x), y)
            w[i, j] = old - h
            down = cost_fn(net.feedforward(x), y)
            w[i, j] = old
            assert nabla_w[l][i, j] == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-9)


def test_update_mini_batch_matches_reference(mnist):
    training, _ = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    batch = training[:7]
    ref.update_mini_batch(batch, 0.5, 2.0, 1000)
    net.update_mini_batch(batch, 0.5, 2.0, 1000)
    assert_params_close(net, ref, rtol=1e-12, atol=1e-15)


def test_feedforward_on_a_column_and_on_columns(mnist):
    training, _ = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    x = training[0][0]
    out = net.feedforward(x)
    assert out.shape == (10, 1) and out.dtype == np.float64
    np.testing.assert_allclose(out, ref.feedforward(x), rtol=1e-12)
    X = np.hstack([p[0] for p in training[:4]])                  # (784, 4)
    np.testing.assert_allclose(net.feedforward(X), ref.feedforward(X), rtol=1e-12)
    with pytest.raises(ValueError, match=r"shape \(784, 1\).*reshape\(-1, 1\)"):
        net.feedforward(x.ravel())


def test_accuracy_and_total_cost_match_reference(mnist):
    training, evaluation = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    train = training[:120]
    assert net.accuracy(evaluation) == ref.accuracy(evaluation)
    assert net.accuracy(train, convert=True) == ref.accuracy(train, convert=True)
    # L2 term with len(data) of the evaluated set, not of the training set.
    assert_close(net.total_cost(train, 0.7), ref.total_cost(train, 0.7))
    assert_close(net.total_cost(evaluation, 0.7, convert=True),
                 ref.total_cost(evaluation, 0.7, convert=True))
    assert isinstance(net.total_cost(evaluation, 0.0, True), np.float64)


@pytest.mark.parametrize("method, which, convert, right", [
    ("accuracy", "evaluation", True, "convert=False"),
    ("accuracy", "training", False, "convert=True"),
    ("total_cost", "evaluation", False, "convert=True"),
    ("total_cost", "training", True, "convert=False"),
])
def test_wrong_convert_flag_is_an_error_not_a_wrong_count(mnist, method, which, convert,
                                                          right):
    training, evaluation = mnist
    _, net = both_nets([784, 30, 10], "CrossEntropyCost")
    data = evaluation if which == "evaluation" else training[:20]
    args = (data, 0.1) if method == "total_cost" else (data,)
    with pytest.raises(ValueError, match=f"use {right}"):
        getattr(net, method)(*args, convert=convert)


def test_costs_are_the_original_formulas():
    a = np.array([[0.2], [1.0], [0.0], [0.7]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    # Saturated outputs: 0*log(0) -> 0 and log(0) -> the largest float, no warning.
    expected = -np.log(0.8) + np.finfo(float).max - np.log(0.3)
    assert network2.CrossEntropyCost.fn(a, y) == pytest.approx(expected)
    assert np.isfinite(network2.CrossEntropyCost.sample_costs(a.T, y.T)).all()
    b = np.array([[0.2], [0.9], [0.4], [0.7]])
    assert network2.QuadraticCost.fn(b, y) == pytest.approx(0.5 * np.sum((b - y) ** 2))
    z = np.array([[0.3], [-2.0], [1.0], [4.0]])
    np.testing.assert_allclose(network2.QuadraticCost.delta(z, b, y),
                               (b - y) * ref_sigmoid_prime(z))
    np.testing.assert_array_equal(network2.CrossEntropyCost.delta(z, b, y), b - y)
    np.testing.assert_allclose(network2.sigmoid(z), ref_sigmoid(z), rtol=1e-15)
    assert network2.sigmoid(-800.0) == 0.0                      # no overflow warning
    np.testing.assert_array_equal(network2.vectorized_result(3), ref_one_hot(3))


# ----------------------------------------------------- parameter attributes --

def test_weights_and_biases_are_live_and_assignable(mnist, quiet):
    training, _ = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    x = training[0][0]
    # In-place edits of the returned arrays take effect.
    net.weights[1][3, 4] += 2.0
    net.biases[0][5, 0] -= 1.0
    ref.weights[1][3, 4] += 2.0
    ref.biases[0][5, 0] -= 1.0
    np.testing.assert_allclose(net.feedforward(x), ref.feedforward(x), rtol=1e-12)
    assert net.core.weights[1][4, 3] == ref.weights[1][3, 4]
    # Assigning a whole list and a single layer takes effect.
    new_w = [np.full((30, 784), 0.01), np.full((10, 30), -0.02)]
    net.weights = new_w
    ref.weights = [w.copy() for w in new_w]
    net.biases[1] = np.arange(10.0).reshape(10, 1)
    ref.biases[1] = np.arange(10.0).reshape(10, 1)
    net.biases[1] += 0.5                                    # augmented item assignment
    ref.biases[1] += 0.5
    np.testing.assert_allclose(net.feedforward(x), ref.feedforward(x), rtol=1e-12)
    assert np.array_equal(net.biases[1], ref.biases[1])
    # As in network2, training builds new arrays: arrays read before keep their values.
    before = net.weights[0]
    kept = before.copy()
    net.SGD(training[:20], 1, 10, 0.5)
    assert np.array_equal(before, kept) and not np.array_equal(net.weights[0], kept)
    assert new_w[0].min() == new_w[0].max() == 0.01          # the caller's arrays too
    # Copies are plain lists.
    assert type(copy.deepcopy(net.weights)) is list


def test_bad_parameters_are_refused_when_used_and_change_nothing(mnist, quiet):
    training, _ = mnist
    _, net = both_nets([784, 4, 3], "CrossEntropyCost")
    data = [(x, y[:3]) for x, y in training[:20]]
    good_w, good_b = net.weights, net.biases
    before = snapshot(net, data)
    net.weights = [good_w[0], np.zeros((4, 3))]                  # plain assignment: stored
    with pytest.raises(ValueError, match=r"weights\[1\] must have 4 columns.*transposed"):
        net.feedforward(training[0][0])
    with pytest.raises(ValueError, match=r"weights\[1\] must have 4 columns"):
        net.SGD(data, 1, 10, 0.5)
    net.weights = good_w
    net.biases = [good_b[0]]
    with pytest.raises(ValueError, match="one array per layer each; got 2 and 1"):
        net.update_mini_batch(data[:3], 0.5, 0.0, 100)
    net.biases = [good_b[0], np.zeros(3)]
    with pytest.raises(ValueError, match=r"biases\[1\] must have shape \(3, 1\)"):
        net.backprop(*data[0])
    net.biases = good_b
    net.cost = "LogLikelihood"
    with pytest.raises(ValueError, match="LogLikelihood"):
        net.total_cost(data, 0.0)
    net.cost = network2.CrossEntropyCost
    assert net.weights is good_w and net.biases is good_b
    assert_unchanged(net, before, data)


# ---------------------------------------------------------------- save/load --

def test_save_and_load_in_both_apis(tmp_path, mnist):
    training, _ = mnist
    _, net = both_nets([784, 30, 10], "QuadraticCost")
    net.cost = network2.QuadraticCost()                   # an instance, as the book passes
    path = tmp_path / "net.json"
    net.save(path)
    data = json.loads(path.read_text())
    assert data["cost"] == "QuadraticCost" and data["sizes"] == [784, 30, 10]
    assert np.array(data["weights"][0]).shape == (30, 784)
    assert np.array(data["biases"][1]).shape == (10, 1)

    np.random.seed(5)
    loaded = network2.load(path)
    after_ours = np.random.get_state()
    np.random.seed(5)
    Reference([784, 30, 10], RefQuadratic)                # network2.load builds a Network first
    assert_states_equal((0, after_ours), (0, np.random.get_state()))
    assert loaded.cost is network2.QuadraticCost
    for a, b in zip(loaded.weights + loaded.biases, net.weights + net.biases):
        assert np.array_equal(a, b)
    x = training[0][0]
    assert np.array_equal(loaded.feedforward(x), net.feedforward(x))

    core = CoreNetwork.load(path)                          # deltanet's own API
    assert core.cost.name == "quadratic"
    for W, w in zip(core.weights, net.weights):
        assert np.array_equal(W, w.T)
    np.testing.assert_allclose(core.feedforward(x.T).T, net.feedforward(x), rtol=1e-12)


def test_load_reads_a_file_in_the_original_layout(tmp_path):
    ref, _ = both_nets([5, 4, 3], "CrossEntropyCost")
    path = tmp_path / "original.json"
    path.write_text(json.dumps({"sizes": ref.sizes,
                                "weights": [w.tolist() for w in ref.weights],
                                "biases": [b.tolist() for b in ref.biases],
                                "cost": "CrossEntropyCost"}))
    net = network2.load(path)
    assert net.cost is network2.CrossEntropyCost
    for a, b in zip(net.weights + net.biases, ref.weights + ref.biases):
        assert np.array_equal(a, b)


def test_load_reads_every_number_bit_for_bit_and_refuses_ragged_layers(tmp_path):
    weights = [[1, -0.0, 2.5e-300], [0.1, 7, -1.7976931348623157e308]]
    biases = [[0.30000000000000004], [-3]]
    text = json.dumps({"sizes": [3, 2], "weights": [weights], "biases": [biases],
                       "cost": "QuadraticCost"})
    path = tmp_path / "net.json"
    path.write_text(text)
    net = network2.load(path)
    for ours, numbers in ((net.weights[0], weights), (net.biases[0], biases)):
        expected = np.array([[float(v) for v in row] for row in numbers])   # Python's parse
        assert ours.dtype == np.float64 and ours.tobytes() == expected.tobytes()
    for bad in ([[1, 2, 3], [4, 5]], [["1", 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, None]]):
        path.write_text(text.replace(json.dumps([weights]), json.dumps([bad])))
        with pytest.raises(ValueError, match="layer 2: (non-numeric or ragged|weights contain)"):
            network2.load(path)


def test_load_refuses_unknown_cost_names(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"sizes": [2, 1], "weights": [[[0.5, 0.5]]],
                                "biases": [[[0.0]]], "cost": "Network"}))
    state = np.random.get_state()
    with pytest.raises(ValueError,
                       match=r"'Network'.*CrossEntropyCost|CrossEntropyCost.*'Network'"):
        network2.load(path)
    assert_states_equal((0, state), (0, np.random.get_state()))


# ------------------------------------------------------------------ bad input --

def _nan_x(pair):
    x = pair[0].astype(np.float64)
    x[3, 0] = np.nan
    return (x, pair[1])


BAD_SGD_CALLS = {
    "x not a column": (lambda t, e: ([*t[:5], (t[5][0].ravel(), t[5][1]), *t[6:]], {}),
                       ValueError, r"training_data\[5\]: x must be a column.*reshape"),
    "x wrong width": (lambda t, e: ([*t[:2], (t[2][0][:783], t[2][1]), *t[3:]], {}),
                      ValueError, r"training_data\[2\].*\(784, 1\)"),
    "y wrong shape": (lambda t, e: ([*t[:4], (t[4][0], t[4][1][:9]), *t[5:]], {}),
                      ValueError, r"training_data\[4\]: y must be a column of shape \(10, 1\)"),
    "mixed labels": (lambda t, e: ([*t[:3], (t[3][0], 7), *t[4:]], {}),
                     ValueError, r"mixes label formats.*training_data\[3\]"),
    "not a pair": (lambda t, e: ([*t[:1], (t[1][0],), *t[2:]], {}),
                   ValueError, r"training_data\[1\] must be a pair"),
    "NaN input": (lambda t, e: ([*t[:6], _nan_x(t[6]), *t[7:]], {}),
                  ValueError, r"training_data\[6\]: x contains NaN"),
    "integer labels for training": (lambda t, e: (list(e[:20]), {}),
                                    ValueError, "training_data has integer labels"),
    "one-hot evaluation data": (lambda t, e: (t, {"evaluation_data": t,
                                                  "monitor_evaluation_accuracy": True}),
                                ValueError, "needs integer labels"),
    "evaluation label out of range": (lambda t, e: (t, {
        "evaluation_data": [*e[:2], (e[2][0], 12)], "monitor_evaluation_cost": True}),
        ValueError, r"evaluation_data\[2\]: label 12 is not a class 0..9"),
    "monitor without evaluation_data": (lambda t, e: (t, {"monitor_evaluation_cost": True}),
                                        ValueError, "need evaluation_data"),
    "tuple training data": (lambda t, e: (tuple(t), {}), TypeError, r"list\(training_data\)"),
    "eta zero": (lambda t, e: (t, {"eta": 0}), ValueError, "eta must be a finite number > 0"),
    "negative lmbda": (lambda t, e: (t, {"lmbda": -0.1}), ValueError, "lmbda must be"),
    "mini_batch_size zero": (lambda t, e: (t, {"mini_batch_size": 0}), ValueError,
                             "mini_batch_size must be an integer >= 1"),
    "fractional epochs": (lambda t, e: (t, {"epochs": 2.5}), ValueError,
                          "epochs must be an integer"),
}


@pytest.mark.parametrize("case", BAD_SGD_CALLS)
def test_bad_sgd_input_raises_and_changes_nothing(mnist, quiet, case):
    training, evaluation = mnist
    make, error, message = BAD_SGD_CALLS[case]
    _, net = both_nets([784, 30, 10], "CrossEntropyCost")
    data, options = make(training[:30], evaluation)
    arguments = {"epochs": 2, "mini_batch_size": 10, "eta": 0.5}
    arguments.update(options)
    before = snapshot(net, data if isinstance(data, list) else None)
    with pytest.raises(error, match=message):
        net.SGD(data, **arguments)
    assert_unchanged(net, before, data if isinstance(data, list) else None)


def test_bad_network_arguments_draw_no_random_numbers():
    class LogLikelihoodCost:
        pass

    np.random.seed(1)
    state = np.random.get_state()
    with pytest.raises(ValueError, match="static methods fn.*LogLikelihoodCost"):
        network2.Network([784, 30, 10], cost=LogLikelihoodCost)
    with pytest.raises(ValueError, match="sizes"):
        network2.Network([784, 0, 10])
    assert_states_equal((0, state), (0, np.random.get_state()))


def test_update_mini_batch_and_backprop_refuse_integer_labels(mnist):
    _, evaluation = mnist
    _, net = both_nets([784, 30, 10], "CrossEntropyCost")
    before = snapshot(net)
    with pytest.raises(ValueError, match="target columns"):
        net.update_mini_batch(evaluation[:5], 0.5, 0.0, 100)
    with pytest.raises(ValueError, match="target column"):
        net.backprop(*evaluation[0])
    assert_unchanged(net, before)


# --------------------------------------------------------------- mnist_loader --

def test_load_data_is_the_bundled_mnist():
    (tx, ty), (vx, vy), (sx, sy) = mnist_loader.load_data()
    train, validation, test = load_mnist()
    assert [len(ty), len(vy), len(sy)] == [50_000, 10_000, 10_000]
    for X, y, split in [(tx, ty, train), (vx, vy, validation), (sx, sy, test)]:
        assert X.dtype == np.float32 and X.shape == (len(split), 784)
        assert y.dtype == np.int64 and np.array_equal(y, split.labels)
    np.testing.assert_array_equal(tx[:100], train.images[:100] / 256)
    assert tx.max() == np.float32(255 / 256)


def test_load_data_wrapper_formats():
    training, validation, test = mnist_loader.load_data_wrapper()
    train, _, _ = load_mnist()
    assert [len(training), len(validation), len(test)] == [50_000, 10_000, 10_000]
    x, y = training[123]
    assert x.shape == (784, 1) and x.dtype == np.float32 and y.shape == (10, 1)
    np.testing.assert_array_equal(y, ref_one_hot(train.labels[123]))
    np.testing.assert_array_equal(x.ravel(), train.images[123] / 256)
    x, label = validation[0]
    assert x.shape == (784, 1) and isinstance(label, np.integer)


def test_loader_reads_the_course_pickle(tmp_path):
    rng = np.random.default_rng(0)
    splits = tuple((rng.random((n, 784)).astype(np.float32), rng.integers(0, 10, n))
                   for n in (6, 3, 4))
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(splits, f, protocol=2)
    loaded = mnist_loader.load_data(path)
    for (X, y), (X0, y0) in zip(loaded, splits):
        assert np.array_equal(X, X0) and np.array_equal(y, y0) and y.dtype == np.int64
    training, validation, test = mnist_loader.load_data_wrapper(path)
    assert [len(training), len(validation), len(test)] == [6, 3, 4]
    np.testing.assert_array_equal(training[2][1], ref_one_hot(splits[0][1][2]))
    assert test[3][1] == splits[2][1][3]


# ------------------------------------------------------------ course script --

def test_course_script_runs_unchanged(mnist, monkeypatch, quiet):
    training, evaluation = mnist
    small = (list(training[:40]), list(evaluation[:10]), list(evaluation[10:30]))
    monkeypatch.setattr(mnist_loader, "load_data_wrapper", lambda: small)
    result = runpy.run_path(str(EXAMPLE), run_name="__main__")
    for name in ("test_cost", "test_accuracy", "training_cost", "training_accuracy"):
        assert len(result[name]) == 400
    assert all(0 <= k <= 20 for k in result["test_accuracy"])
    assert all(0 <= k <= 40 for k in result["training_accuracy"])
