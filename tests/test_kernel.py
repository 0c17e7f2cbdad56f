"""The compiled kernel against the NumPy reference: ``sgd_step`` looped over the
same mini-batches, and ``feedforward`` + ``cost.fn`` + ``argmax`` for evaluation.

Every case compiles a numba specialisation (dtype, number of layers, image
dtype), so the cases are chosen to cover them with few compilations.
"""

import os
import signal

import numpy as np
import pytest

from deltanet import Network, TrainingDiverged, TrainingInterrupted, kernel, network
from deltanet.costs import CrossEntropyCost
from deltanet.data import Data
from deltanet.network import feedforward
from deltanet.train import sgd_step

TOLERANCE = {np.float64: 1e-12, np.float32: 1e-5}


def problem(sizes, images_dtype, n=253, seed=0):
    """``n`` random rows (uint8 pixels with scale 1/256, or floats with scale 1)."""
    rng = np.random.default_rng(seed)
    if images_dtype == np.uint8:
        return rng.integers(0, 256, (n, sizes[0]), dtype=np.uint8), 1 / 256, \
            rng.integers(0, sizes[-1], n)
    return rng.random((n, sizes[0])).astype(images_dtype), 1.0, rng.integers(0, sizes[-1], n)


def reference_epoch(net, images, scale, labels, order, m, eta, decay):
    """The NumPy path: ``sgd_step`` per mini-batch, inputs converted as in training."""
    dtype = net.dtype
    X = np.multiply(images, dtype(scale), dtype=dtype)
    Y = np.eye(net.sizes[-1], dtype=dtype)[labels]
    for s in range(0, len(order), m):
        rows = order[s:s + m]
        sgd_step(net.weights, net.biases, net.cost, X[rows], Y[rows], eta, decay)


def assert_close(actual, expected, rtol):
    for a, e in zip(actual, expected):
        assert a.dtype == e.dtype
        np.testing.assert_allclose(a, e, rtol=rtol, atol=rtol * np.abs(e).max())


CASES = [   # (sizes, dtype, images dtype): 2-4 weight layers, both dtypes, pixels and floats
    ([20, 9, 5], np.float64, np.uint8),
    ([20, 9, 7, 5], np.float64, np.float64),
    ([20, 9, 8, 7, 5], np.float64, np.uint8),
    ([20, 9, 5], np.float32, np.uint8),
]


@pytest.mark.parametrize("sizes, dtype, images_dtype", CASES)
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_epoch_equals_sgd_step_loop(sizes, dtype, images_dtype, cost):
    assert_epoch_equals_sgd_step_loop(sizes, dtype, cost, *problem(sizes, images_dtype))


def assert_epoch_equals_sgd_step_loop(sizes, dtype, cost, images, scale, labels,
                                      nonzeros=None):
    """One kernel epoch against ``reference_epoch``; returns the reference network."""
    net = Network(sizes, cost=cost, seed=3, dtype=dtype, init="large")
    kernel_net = Network(sizes, cost=cost, seed=3, dtype=dtype, init="large")
    order = np.random.default_rng(1).permutation(len(labels))
    m, eta, lmbda = 10, 0.5, 2.0                       # 253 rows: last mini-batch has 3
    decay = 1 - eta * lmbda / len(labels)
    start = [p.copy() for p in net.weights + net.biases]
    reference_epoch(net, images, scale, labels, order, m, eta, decay)
    kernel.train_epoch(kernel_net.weights, kernel_net.biases, images, scale, labels, order,
                       m, eta, decay, cost, nonzeros)
    expected = net.weights + net.biases
    assert_close(kernel_net.weights + kernel_net.biases, expected, TOLERANCE[dtype])
    assert all(W.flags.f_contiguous for W in kernel_net.weights)
    # the comparison means something: one epoch moved every array well beyond the tolerance
    assert all(np.abs(e - s).max() > 1e3 * TOLERANCE[dtype] * np.abs(e).max()
               for e, s in zip(expected, start))
    return net


def test_images_of_a_dtype_numba_lacks_are_converted_exactly():
    sizes = [20, 9, 7, 5]
    images, scale, labels = problem(sizes, np.float64)
    images = images.astype(np.float16)
    net, kernel_net = (Network(sizes, seed=8) for _ in range(2))
    order = np.arange(len(labels))
    reference_epoch(net, images, scale, labels, order, 10, 0.5, 1.0)
    kernel.train_epoch(kernel_net.weights, kernel_net.biases, images, scale, labels, order,
                       10, 0.5, 1.0, "cross-entropy")
    assert_close(kernel_net.weights + kernel_net.biases, net.weights + net.biases, 1e-12)


def test_epoch_updates_weights_in_any_layout_in_place():
    sizes = [20, 9, 5]
    images, scale, labels = problem(sizes, np.uint8)
    net = Network(sizes, cost="quadratic", seed=2)
    c_ordered = Network(sizes, cost="quadratic", seed=2)
    c_ordered.weights = [np.ascontiguousarray(W) for W in c_ordered.weights]
    order = np.arange(len(labels))[::-1]
    for n in (net, c_ordered):
        kernel.train_epoch(n.weights, n.biases, images, scale, labels, order, 7, 3.0, 1.0,
                           "quadratic")
    assert c_ordered.weights[0].flags.c_contiguous
    assert_close(c_ordered.weights + c_ordered.biases, net.weights + net.biases, 1e-15)


@pytest.mark.parametrize("sizes, dtype, images_dtype", CASES[:2] + CASES[3:])
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_evaluate_equals_feedforward_cost_and_argmax(sizes, dtype, images_dtype, cost):
    images, scale, labels = problem(sizes, images_dtype, n=300)
    net = Network(sizes, cost=cost, seed=4, dtype=dtype, init="large")
    a = feedforward(net.weights, net.biases, np.multiply(images, dtype(scale), dtype=dtype))
    expected_cost = float(net.cost.fn(a, np.eye(sizes[-1], dtype=dtype)[labels]))
    expected_correct = int(np.count_nonzero(a.argmax(axis=1) == labels))
    assert 0 < expected_correct < len(labels)
    cost_, correct = kernel.evaluate(net.weights, net.biases, images, scale, labels, cost, True)
    assert correct == expected_correct
    assert cost_ == pytest.approx(expected_cost, rel=TOLERANCE[dtype])
    assert kernel.evaluate(net.weights, net.biases, images, scale, labels, cost,
                           False) == (0.0, expected_correct)


def test_cross_entropy_of_saturated_outputs_is_finite_as_in_numpy():
    sizes = [20, 9, 5]
    images, scale, labels = problem(sizes, np.uint8, n=50)
    net = Network(sizes, seed=5)
    net.weights[-1] *= 1e4                          # outputs exactly 0 or 1
    a = feedforward(net.weights, net.biases, images * scale)
    expected = float(net.cost.fn(a, np.eye(5)[labels]))
    assert np.isin(a, (0.0, 1.0)).any() and np.isfinite(expected)
    cost, _ = kernel.evaluate(net.weights, net.biases, images, scale, labels,
                              "cross-entropy", True)
    assert cost == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_outputs_are_counted_as_numpy_argmax_counts_them(dtype):
    sizes = [20, 9, 5]
    images, scale, labels = problem(sizes, np.uint8, n=200)
    net = Network(sizes, seed=6, dtype=dtype)
    net.biases[-1][[1, 3]] = np.nan                 # outputs 1 and 3 NaN for every sample
    a = feedforward(net.weights, net.biases, np.multiply(images, dtype(scale), dtype=dtype))
    expected = int(np.count_nonzero(a.argmax(axis=1) == labels))   # argmax: the first NaN, 1
    assert expected == np.count_nonzero(labels == 1) > 0
    assert kernel.evaluate(net.weights, net.biases, images, scale, labels, "quadratic",
                           False)[1] == expected
    net.biases[-1][1] = 0.0                         # only output 3 NaN, after finite ones
    a = feedforward(net.weights, net.biases, np.multiply(images, dtype(scale), dtype=dtype))
    expected = int(np.count_nonzero(a.argmax(axis=1) == labels))
    assert expected == np.count_nonzero(labels == 3)
    assert kernel.evaluate(net.weights, net.biases, images, scale, labels, "quadratic",
                           False)[1] == expected


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_same_inputs_give_bit_identical_runs(dtype):
    sizes = [20, 9, 5]
    images, scale, labels = problem(sizes, np.uint8)
    results = []
    for _ in range(2):
        net = Network(sizes, seed=6, dtype=dtype)
        order = np.random.default_rng(7).permutation(len(labels))
        kernel.train_epoch(net.weights, net.biases, images, scale, labels, order, 10, 0.5,
                           0.999, "cross-entropy")
        results.append([p.tobytes() for p in net.weights + net.biases])
    assert results[0] == results[1]


def test_dispatch_rule_and_environment_variable(monkeypatch):
    monkeypatch.delenv("DELTANET_KERNEL", raising=False)
    assert kernel.available()
    assert kernel.use_kernel([784, 30, 10], 10, np.float32)
    assert kernel.use_kernel([784, 30, 10], None, np.float64)
    assert not kernel.use_kernel([784, 30, 10], 1000, np.float32)   # BLAS is faster there
    assert not kernel.use_kernel([784, 30, 10], 10, np.complex128)
    # inputs with nonzeros: the sparse first layer beats BLAS up to m * width = 6,000 / 3,000
    assert kernel.use_kernel([784, 30, 10], 200, np.float32, sparse=True)
    assert not kernel.use_kernel([784, 30, 10], 201, np.float32, sparse=True)
    assert kernel.use_kernel([784, 30, 10], 100, np.float64, sparse=True)
    assert not kernel.use_kernel([784, 30, 10], 100, np.float64)
    assert not kernel.use_kernel([784, 300, 10], 25, np.float64, sparse=True)
    assert not kernel.use_kernel([784, 300, 10], None, np.float64, sparse=True)
    monkeypatch.setenv("DELTANET_KERNEL", "numpy")
    assert not kernel.use_kernel([784, 30, 10], 100, np.float64, sparse=True)
    assert not kernel.available()
    assert not kernel.use_kernel([784, 30, 10], 10, np.float32)



# ------------------------------------------------- Network.SGD's dispatch --

def spy(monkeypatch):
    """Count the calls of the kernel's two entry points and of the NumPy step."""
    calls = {}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return function(*args, **kwargs)
        return wrapper

    for name in ("train_epoch", "evaluate"):
        monkeypatch.setattr(kernel, name, counted(name, getattr(kernel, name)))
    monkeypatch.setattr(network, "sgd_step", counted("sgd_step", network.sgd_step))
    return calls


def sgd_run(sizes, dtype, cost, data, m=10, **monitors):
    net = Network(sizes, cost=cost, seed=3, dtype=dtype)
    history = net.SGD(data, 1, m, 0.5, lmbda=2.0, seed=1, **monitors)
    return net, history


MONITORS = dict(monitor_training_cost=True, monitor_training_accuracy=True)


@pytest.mark.parametrize("sizes, dtype, images_dtype", CASES)
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_network_sgd_with_kernel_equals_numpy_path(sizes, dtype, images_dtype, cost,
                                                   monkeypatch):
    images, scale, labels = problem(sizes, images_dtype)  # 253 rows: last mini-batch 3
    data = Data(images, scale, sizes[-1], labels)
    monkeypatch.setenv("DELTANET_KERNEL", "numpy")
    expected, numpy_history = sgd_run(sizes, dtype, cost, data, **MONITORS)
    monkeypatch.delenv("DELTANET_KERNEL")
    calls = spy(monkeypatch)
    net, history = sgd_run(sizes, dtype, cost, data, **MONITORS)
    assert calls == {"train_epoch": 1, "evaluate": 1}     # one pass: cost and accuracy
    assert_close(net.weights + net.biases, expected.weights + expected.biases,
                 TOLERANCE[dtype])
    assert history.training_cost == pytest.approx(numpy_history.training_cost,
                                                  rel=TOLERANCE[dtype])
    assert history.training_accuracy == numpy_history.training_accuracy
    initial = Network(sizes, cost=cost, seed=3, dtype=dtype)
    assert all(np.abs(e - s).max() > 1e3 * TOLERANCE[dtype] * np.abs(e).max()
               for e, s in zip(expected.weights, initial.weights))


class MyCrossEntropy(CrossEntropyCost):
    """A custom cost that computes what the built-in one computes."""


@pytest.mark.parametrize("change, trains, evaluates", [
    ({}, "kernel", "kernel"),
    ({"env": "numpy"}, "numpy", "numpy"),
    ({"cost": MyCrossEntropy}, "numpy", "numpy"),            # not in deltanet.costs.COSTS
    ({"targets": True}, "numpy", "numpy"),                   # targets that are not labels
    ({"m": 30}, "numpy", "kernel"),                          # float64: m <= 25 only
    ({"sizes": [20, 120, 5]}, "numpy", "numpy"),             # m * width > 1,000; width > 30
])
def test_network_sgd_dispatches_as_the_rule_says(change, trains, evaluates, monkeypatch):
    sizes = change.get("sizes", [20, 9, 5])
    images, scale, labels = problem(sizes, np.uint8, n=60)
    if change.get("targets"):
        data = (images * scale, np.eye(sizes[-1])[labels] * 0.5)
        monitors = dict(monitor_training_cost=True)
    else:
        data, monitors = Data(images, scale, sizes[-1], labels), MONITORS
    monkeypatch.setenv("DELTANET_KERNEL", change.get("env", "numba"))
    calls = spy(monkeypatch)
    sgd_run(sizes, np.float64, change.get("cost", "cross-entropy"), data,
            m=change.get("m", 10), **monitors)
    assert ("train_epoch" in calls, "sgd_step" in calls) == (trains == "kernel",
                                                             trains == "numpy")
    assert ("evaluate" in calls) == (evaluates == "kernel")


def test_ctrl_c_during_a_kernel_epoch_keeps_the_last_completed_epoch(monkeypatch):
    """A KeyboardInterrupt during a numba call arrives when the call returns, after
    the kernel changed the parameters: the loop must still restore epoch 1."""
    sizes = [20, 9, 5]
    images, scale, labels = problem(sizes, np.uint8)
    data = Data(images, scale, sizes[-1], labels)
    one_epoch = Network(sizes, seed=3)
    one_epoch.SGD(data, 1, 10, 0.5, seed=1)
    train_epoch, epochs = kernel.train_epoch, []

    def interrupted_in_epoch_2(weights, *args):
        train_epoch(weights, *args)
        epochs.append(weights[0].copy())
        if len(epochs) == 2:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(kernel, "train_epoch", interrupted_in_epoch_2)
    net = Network(sizes, seed=3)
    with pytest.raises(TrainingInterrupted) as caught:
        net.SGD(data, 3, 10, 0.5, seed=1)
    assert caught.value.history.epochs_completed == 1
    assert not np.array_equal(epochs[1], epochs[0])        # epoch 2 had changed them
    for a, e in zip(net.weights + net.biases, one_epoch.weights + one_epoch.biases):
        assert a.tobytes() == e.tobytes()


def test_a_diverging_kernel_run_shows_its_nans(monkeypatch):
    sizes = [20, 9, 5]
    images, scale, labels = problem(sizes, np.uint8)
    calls = spy(monkeypatch)
    net = Network(sizes, seed=3, dtype=np.float32)
    start = net.get_params()
    with pytest.raises(TrainingDiverged, match="epoch 1: weights or cost became non-finite"):
        net.SGD(Data(images, scale, sizes[-1], labels), 2, 10, 1.0, lmbda=1e6 * len(labels),
                seed=1)                             # decay factor -1e6: overflow, inf - inf
    assert calls == {"train_epoch": 1}
    for a, e in zip(net.weights + net.biases, start[0] + start[1]):
        assert a.tobytes() == e.tobytes()


def test_switched_off_blocks_use_the_numpy_path_and_nest(monkeypatch):
    monkeypatch.delenv("DELTANET_KERNEL", raising=False)
    on = kernel.available()
    with kernel.switched_off():
        assert not kernel.available()
        assert not kernel.use_kernel([784, 30, 10], 10, np.float32)
        with pytest.raises(ValueError):
            with kernel.switched_off():
                raise ValueError
        assert not kernel.available()              # the inner block's exit keeps it off
    assert kernel.available() == on


def test_two_threads_in_a_fresh_process_compile_the_kernel_once():
    """Both threads saw the kernel uncompiled; the second then wrapped the first's
    numba functions again ("A jit decorator was called on an already jitted
    function"), e.g. two networks training on a threaded Dask worker."""
    import subprocess
    import sys
    code = """
import threading
import time
import numba
import numba.np.arraymath            # imported here: the threads' steps take equal time
import numpy as np
from deltanet import Network, kernel
jit = numba.njit
def slow_jit(*args, **kwargs):       # widen the window between check and replacement
    time.sleep(0.05)
    return jit(*args, **kwargs)
numba.njit = slow_jit
barrier, errors = threading.Barrier(2), []
def compile_(lag):
    barrier.wait()
    time.sleep(lag)                  # the second thread reads a name after the first wrote
    try:
        kernel._compile()
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=compile_, args=(lag,)) for lag in (0.0, 0.02)]
[t.start() for t in threads]
[t.join() for t in threads]
rng = np.random.default_rng(0)
Network([12, 5, 3], seed=1).SGD((rng.random((40, 12)), rng.integers(0, 3, 40)), 1, 10, 0.5)
print(errors)
"""
    env = {k: v for k, v in os.environ.items() if k != "DELTANET_KERNEL"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.parametrize("call", ["train_epoch", "evaluate"])
def test_both_entry_points_refuse_what_the_kernels_would_misread(call):
    """One input check serves train_epoch and evaluate: dtypes, layers that chain,
    labels in range, refused before anything is compiled or written."""
    rng = np.random.default_rng(0)
    Ws = [np.asfortranarray(rng.standard_normal(s)) for s in ((4, 3), (3, 2))]
    bs = [np.zeros(3), np.zeros(2)]
    images, labels = np.zeros((5, 4), np.uint8), np.zeros(5, np.int64)

    def run(Ws, bs, labels=labels):
        if call == "train_epoch":
            kernel.train_epoch(Ws, bs, images, 1.0, labels, np.arange(5), 2, 0.1, 1.0,
                               "quadratic")
        else:
            kernel.evaluate(Ws, bs, images, 1.0, labels, "quadratic")

    with pytest.raises(TypeError, match="float32 or float64; got weights of float16"):
        run([W.astype(np.float16) for W in Ws], bs)
    with pytest.raises(TypeError, match="share one dtype"):
        run(Ws, [bs[0], bs[1].astype(np.float32)])
    with pytest.raises(ValueError, match="layers do not chain: weights\\[1\\] \\(2, 3\\)"):
        run([Ws[0], Ws[1].T], bs)
    with pytest.raises(ValueError, match="labels must be 5 integers in 0..1"):
        run(Ws, bs, labels=np.full(5, 2))


# ---------------------------------------------- the sparse first layer --

def sparse_problem(sizes, images_dtype, n=253, density=0.15, seed=0):
    """``problem`` with most inputs 0, as in MNIST (81% of its pixels)."""
    images, scale, labels = problem(sizes, images_dtype, n, seed)
    images[np.random.default_rng(seed + 1).random(images.shape) >= density] = 0
    return images, scale, labels


SPARSE_CASES = [   # a first layer of 1, 2 vectors of LANES sums; rows 512 bytes apart; floats
    ([20, 30, 5], np.float32, np.uint8),
    ([20, 40, 9, 5], np.float64, np.uint8),
    ([20, 64, 5], np.float64, np.float64),
    ([20, 24, 8, 7, 5], np.float32, np.float32),
]


@pytest.mark.parametrize("sizes, dtype, images_dtype", SPARSE_CASES)
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_sparse_first_layer_epoch_equals_sgd_step_loop(sizes, dtype, images_dtype, cost):
    images, scale, labels = sparse_problem(sizes, images_dtype)
    nonzeros = kernel.nonzeros(images, sizes[1])
    _, WT, _ = kernel._first_layer(np.zeros((sizes[0], sizes[1]), dtype), images, nonzeros)
    assert len(WT) == sizes[0]                       # the sparse layer, not the dense one
    net = assert_epoch_equals_sgd_step_loop(sizes, dtype, cost, images, scale, labels, nonzeros)
    # evaluation from the same nonzeros: the cost and argmax of feedforward
    a = feedforward(net.weights, net.biases, np.multiply(images, dtype(scale), dtype=dtype))
    expected_cost = float(net.cost.fn(a, np.eye(sizes[-1], dtype=dtype)[labels]))
    cost_, correct = kernel.evaluate(net.weights, net.biases, images, scale, labels, cost,
                                     True, nonzeros)
    assert correct == int(np.count_nonzero(a.argmax(axis=1) == labels))
    assert cost_ == pytest.approx(expected_cost, rel=TOLERANCE[dtype])


def test_nonzeros_lists_each_rows_nonzero_inputs_or_none_for_dense_inputs():
    images, _, _ = sparse_problem([30, 24, 5], np.uint8, n=40, density=0.2)
    images[7] = 0                                    # a row without any nonzero input
    found = kernel.nonzeros(images, 24)
    indptr, idx = found.indptr, found.idx
    assert found.shape == images.shape and not idx.flags.writeable
    rows, columns = np.nonzero(images)
    assert np.array_equal(indptr, np.searchsorted(rows, np.arange(len(images) + 1)))
    assert np.array_equal(idx, columns) and indptr[8] == indptr[7]
    assert kernel.nonzeros(problem([30, 24, 5], np.uint8, n=40)[0], 24) is None   # 99% nonzero
    # the rule: share of nonzeros x padding to whole vectors of 32 <= 0.3
    share = np.count_nonzero(images) / images.size
    assert 0.15 < share < 0.25
    assert kernel.nonzeros(images, 10) is None          # 10 of 32 lanes used: share x 3.2
    assert kernel.nonzeros(images, 33) is None          # 33 of 64: share x 1.94
    assert kernel.nonzeros(images, 64) is not None
    with pytest.raises(ValueError, match="nonzeros"):
        kernel.evaluate([np.zeros((30, 24)), np.zeros((24, 5))], [np.zeros(24), np.zeros(5)],
                        images[1:], 1.0, np.zeros(39, int), "quadratic", True,
                        kernel.nonzeros(images, 24))
    with pytest.raises(ValueError, match="nonzeros"):      # only what kernel.nonzeros made
        kernel.evaluate([np.zeros((30, 24)), np.zeros((24, 5))], [np.zeros(24), np.zeros(5)],
                        images, 1.0, np.zeros(40, int), "quadratic", True,
                        (found.indptr, found.idx))


@pytest.mark.parametrize("m", [10, 100])    # 100: only for inputs with nonzeros
def test_network_sgd_on_sparse_inputs_equals_the_numpy_path(m, monkeypatch):
    """Training and monitoring of the sparse first layer, as Network.SGD runs them."""
    sizes = [20, 30, 5]                 # the kernel trains and monitors in float64
    images, scale, labels = sparse_problem(sizes, np.uint8, n=250)
    assert kernel.use_kernel(sizes, m, np.float64, sparse=True)
    assert kernel.use_kernel(sizes, m, np.float64) == (m == 10)
    data = (images * scale, labels)
    histories, params = [], []
    for path in ("kernel", "numpy"):
        monkeypatch.setenv("DELTANET_KERNEL", path)
        calls = spy(monkeypatch)
        net = Network(sizes, seed=6)
        histories.append(net.SGD(data, 3, m, 0.5, lmbda=1.0, evaluation_data=data,
                                 monitor_evaluation_cost=True,
                                 monitor_evaluation_accuracy=True, seed=2))
        params.append(net.weights + net.biases)
        assert ("train_epoch" in calls) == (path == "kernel") != ("sgd_step" in calls)
    dense = (np.random.default_rng(3).random(images.shape), labels)     # no nonzeros: NumPy
    monkeypatch.setenv("DELTANET_KERNEL", "kernel")
    calls = spy(monkeypatch)
    Network(sizes, seed=6).SGD(dense, 1, m, 0.5, seed=2)
    assert ("train_epoch" in calls) == (m == 10)
    assert_close(params[0], params[1], 1e-12)
    assert histories[0].evaluation_accuracy == histories[1].evaluation_accuracy
    np.testing.assert_allclose(histories[0].evaluation_cost, histories[1].evaluation_cost,
                               rtol=1e-12)
