"""compat network2: the snapshot SGD keeps for Ctrl-C, and feedforward in chunks."""

import random

import numpy as np
import pytest

from deltanet.compat import network2
from deltanet.loop import TrainingInterrupted


def _net_and_data():
    random.seed(3)
    np.random.seed(3)
    net = network2.Network([6, 5, 3])
    rng = np.random.default_rng(3)
    data = [(rng.random((6, 1)), network2.vectorized_result(j)[:3]) for j in (0, 1, 2, 1) * 3]
    return net, data


@pytest.mark.parametrize("n, m, call", [(12, 4, 5), (1, 1, 2)])   # 2nd mini-batch of
def test_ctrl_c_in_an_epoch_returns_to_the_last_completed_epoch(monkeypatch, n, m, call):
    net, data = _net_and_data()                                    # epoch 2, or its only one
    data = data[:n]
    before = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    held = net.weights[0]                          # read before training: never written
    net.SGD(list(data), 1, m, 0.5, verbose=False)
    after_one = [w.copy() for w in net.weights], [b.copy() for b in net.biases]

    net, data = _net_and_data()
    data = data[:n]
    held = net.weights[0]
    calls = []
    real_step = network2.sgd_step

    def step(*args):
        calls.append(1)
        if len(calls) == call:
            raise KeyboardInterrupt
        real_step(*args)

    monkeypatch.setattr(network2, "sgd_step", step)
    with pytest.raises(TrainingInterrupted) as info:
        net.SGD(data, 3, m, 0.5, verbose=False)
    assert info.value.history.epochs_completed == 1
    for ours, expected in zip(net.weights + net.biases, after_one[0] + after_one[1]):
        np.testing.assert_array_equal(ours, expected)
    np.testing.assert_array_equal(held, before[0][0])


def test_feedforward_of_many_columns_is_fed_in_chunks_with_the_same_result():
    net, _ = _net_and_data()
    a = np.random.default_rng(4).random((6, 2 * network2._CHUNK_COLUMNS + 3), dtype=np.float32)
    out = net.feedforward(a)
    assert out.shape == (3, a.shape[1]) and out.dtype == np.float64
    expected = a.astype(np.float64)                  # network2's formula, all columns at once
    for w, b in zip(net.weights, net.biases):
        expected = 1 / (1 + np.exp(-(np.dot(w, expected) + b)))
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_a_list_seen_once_is_fed_in_chunks_with_the_numbers_of_the_whole_arrays(monkeypatch):
    monkeypatch.setattr(network2, "_CHUNK_ROWS", 5)
    net, _ = _net_and_data()
    rng = np.random.default_rng(5)
    data = [(rng.random((6, 1), dtype=np.float32), int(j)) for j in rng.integers(0, 3, 13)]
    first = net.accuracy(data), net.total_cost(data, 0.3, convert=True)     # chunks, buffer
    assert network2._converted[(id(data), 6, 3)][1].X is not None           # now whole
    assert (net.accuracy(data), net.total_cost(data, 0.3, convert=True)) == first
    outputs = net.feedforward(np.hstack([x for x, _ in data]))
    assert first[0] == sum(int(k == y) for k, (_, y) in zip(outputs.argmax(axis=0), data))
    bad = list(data)
    bad[11] = (np.full((6, 1), np.nan), 0)                  # in the third chunk
    with pytest.raises(ValueError, match=r"data\[11\]: x contains NaN"):
        net.accuracy(bad)
