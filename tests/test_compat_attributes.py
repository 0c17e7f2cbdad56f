"""network2's attributes are plain attributes in deltanet.compat.network2.

Each test does the same to a compat network and to ``Reference`` (network2's
algorithm, from ``test_compat``) and compares what they compute afterwards.
"""

import copy
import pickle
import random

import numpy as np
import pytest
from test_compat import (Reference, RefCrossEntropy, assert_params_close, both_nets,  # noqa: F401
                         mnist)

from deltanet.compat import network2


def test_lists_keep_their_identity_and_behave_like_lists(mnist):
    training, _ = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    x = training[0][0]
    assert net.weights is net.weights and net.biases is net.biases
    assert type(net.weights) is list and type(net.biases) is list
    w = net.weights[0]
    w[2, 3] = 0.7                                         # in-place edit reaches the network
    ref.weights[0][2, 3] = 0.7
    np.testing.assert_allclose(net.feedforward(x), ref.feedforward(x), rtol=1e-12)
    # A third layer appended to both lists, as a script would grow the network.
    for model in (net, ref):
        model.weights.append(np.full((4, 10), 0.1))
        model.biases.append(np.zeros((4, 1)))
    assert net.feedforward(x).shape == (4, 1)
    np.testing.assert_allclose(net.feedforward(x), ref.feedforward(x), rtol=1e-12)
    y = np.eye(4)[[2]].T
    for ours, theirs in zip(sum(net.backprop(x, y), []), sum(ref.backprop(x, y), [])):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)
    ws = [np.ones((30, 784)) * 0.01, np.ones((10, 30))]
    net.weights = ws                                      # stored as given, not copied
    assert net.weights is ws
    net.weights[1] *= -1                                  # in place, as on network2's list
    ref.weights, ref.biases = [w.copy() for w in ws], ref.biases[:2]
    net.biases = net.biases[:2]
    np.testing.assert_allclose(net.feedforward(x), ref.feedforward(x), rtol=1e-12)


def test_assigning_sizes_then_initializing_builds_that_network():
    random.seed(0)
    np.random.seed(4)
    net = network2.Network([6, 5, 2])
    net.sizes = [3, 8, 7, 4]
    net.num_layers = 4
    np.random.seed(9)
    net.large_weight_initializer()
    ref = Reference([3, 8, 7, 4], RefCrossEntropy)
    np.random.seed(9)
    ref.init(scale=False)
    assert net.sizes == [3, 8, 7, 4] and net.num_layers == 4
    for a, b in zip(net.weights + net.biases, ref.weights + ref.biases):
        np.testing.assert_array_equal(a, b)
    x = np.linspace(0, 1, 3).reshape(3, 1)
    np.testing.assert_allclose(net.feedforward(x), ref.feedforward(x), rtol=1e-12)
    # num_layers is only a record (as network2 reads it, a stale value would
    # break backprop there); here every method reads the layers of weights.
    net.num_layers = 2
    y = np.eye(4)[[1]].T
    np.testing.assert_allclose(net.backprop(x, y)[1][0], ref.backprop(x, y)[1][0], rtol=1e-10)
    with pytest.raises(ValueError, match="sizes"):
        net.sizes = [3, 0]
        net.default_weight_initializer()


def test_float32_parameters_stay_float32_until_training(mnist):
    training, _ = mnist
    ref, net = both_nets([784, 30, 10], "QuadraticCost")
    w32 = [w.astype(np.float32) for w in net.weights]
    b32 = [b.astype(np.float32) for b in net.biases]
    net.weights, net.biases = w32, b32
    ref.weights, ref.biases = [w.copy() for w in w32], [b.copy() for b in b32]
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)
    x, y = training[3]                                    # x is float32, y float64
    ours, theirs = net.feedforward(x), ref.feedforward(x)
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    assert net.feedforward(x.astype(np.float64)).dtype == np.float64
    grads, ref_grads = sum(net.backprop(x, y), []), sum(ref.backprop(x, y), [])
    for ours, theirs in zip(grads, ref_grads):
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-7)
    kept = w32[0].copy()
    ref.update_mini_batch(training[:5], 3.0, 0.0, 100)    # network2 builds float64 arrays
    net.update_mini_batch(training[:5], 3.0, 0.0, 100)
    assert all(w.dtype == np.float64 for w in net.weights + net.biases)
    assert_params_close(net, ref, rtol=1e-5, atol=1e-7)
    assert net.weights is not w32 and np.array_equal(w32[0], kept)   # new list, new arrays


def test_accuracy_and_total_cost_take_iterators(mnist):
    training, evaluation = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    xs, ys = zip(*evaluation)
    expected = ref.accuracy(evaluation)
    assert net.accuracy(zip(xs, ys)) == expected
    assert net.accuracy(pair for pair in evaluation) == expected
    assert net.accuracy(tuple(evaluation)) == expected
    cost = ref.total_cost(evaluation, 0.2, convert=True)
    assert net.total_cost(iter(evaluation), 0.2, convert=True) == pytest.approx(cost, rel=1e-9)
    with pytest.raises(TypeError, match=r"list\(training_data\)"):
        net.SGD(iter(training[:10]), 1, 5, 0.5)          # SGD shuffles: a list, as in network2


def test_converted_data_are_reused_while_the_list_is_unchanged(mnist, monkeypatch):
    training, evaluation = mnist
    ref, net = both_nets([784, 30, 10], "CrossEntropyCost")
    conversions = []
    convert = network2._as_arrays
    monkeypatch.setattr(network2, "_as_arrays",
                        lambda data, *args: conversions.append(len(data)) or convert(data, *args))
    data = list(evaluation)
    for _ in range(3):
        assert net.accuracy(data) == ref.accuracy(data)
    assert net.total_cost(data, 0.0, convert=True) == pytest.approx(
        ref.total_cost(data, 0.0, convert=True), rel=1e-9)
    assert conversions == [100]                            # converted once
    # Every change of the list is noticed: replaced, appended, reordered pairs.
    data[5] = (data[5][0], (data[5][1] + 1) % 10)
    data.append(evaluation[0])
    data.reverse()
    for model in (net, ref):
        model.weights[1][:, :] *= 0.5
    assert net.accuracy(data) == ref.accuracy(data)
    assert net.total_cost(data, 0.1, convert=True) == pytest.approx(
        ref.total_cost(data, 0.1, convert=True), rel=1e-9)
    assert conversions == [100, 101]


def test_copies_are_independent_networks():
    random.seed(0)
    np.random.seed(0)
    net = network2.Network([3, 4, 2])
    x = np.linspace(-1, 1, 3).reshape(3, 1)
    before = net.feedforward(x)
    twin = copy.deepcopy(net)
    twin.weights[0][:] = 0.0                              # edits reach the copy only
    np.testing.assert_array_equal(net.feedforward(x), before)
    expected = network2.sigmoid(twin.weights[1] @ network2.sigmoid(twin.biases[0])
                                + twin.biases[1])
    np.testing.assert_allclose(twin.feedforward(x), expected, rtol=1e-15)
    restored = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(restored.feedforward(x), before)
