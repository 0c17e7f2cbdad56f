"""Problems a library user hit in a review of the core API (one test each; every
test failed before its fix)."""

import random

import numpy as np
import pytest

import deltanet
from deltanet import Network
from deltanet.compat import network2
from deltanet.complex import ComplexNetwork
from test_compat import RefCrossEntropy
from test_engine import data as engine_data
from test_engine import params


def data(n=20, n_in=4, n_out=3, seed=0):
    return engine_data(n, n_in, n_out, seed)


def assert_unchanged(net, before):
    for a, b in zip(params(net), before, strict=True):
        np.testing.assert_array_equal(a, b)


def columns(n, n_in=4, n_out=3, seed=0):
    X, y = data(n, n_in, n_out, seed)
    return [(x[:, None], np.eye(n_out)[j][:, None]) for x, j in zip(X, y)]


# ------------------------------------------------------------------ sizes --

@pytest.mark.parametrize("sizes", [[4.5, 3], [4.0, 3], "43", [True, 3], ["4", "3"]])
@pytest.mark.parametrize("make", [Network, ComplexNetwork, network2.Network])
def test_sizes_that_are_not_integers_are_refused_not_truncated(make, sizes):
    # was: [4.5, 3] built a [4, 3] network and "43" one with 4 inputs and 3 outputs
    state = np.random.get_state()
    with pytest.raises(ValueError, match="sizes") as caught:
        make(sizes)
    assert isinstance(caught.value, TypeError)         # what network2 raises (randn(4.0, 1))
    assert isinstance(caught.value, deltanet.ParameterError)
    assert np.random.get_state()[1].tolist() == state[1].tolist()


def test_integer_sizes_of_any_integer_type_still_work():
    assert Network(np.array([4, 5, 3])).sizes == [4, 5, 3]
    assert Network((np.int32(4), 3)).sizes == [4, 3]


# ------------------------------------------------------- parameters, seeds --

def test_set_params_refuses_values_a_float32_network_cannot_hold():
    net = Network([4, 5, 3], seed=0, dtype="float32")
    before = params(net)
    weights = [np.full((4, 5), 1e300), np.zeros((5, 3))]
    with pytest.raises(ValueError, match=r"weights\[0\].*float32.*float64"):
        net.set_params(weights, net.biases)            # was: inf weights and a RuntimeWarning
    assert_unchanged(net, before)


@pytest.mark.parametrize("make, huge", [
    (lambda: Network([4, 3, 3], seed=0, dtype="float32"), 1e39),
    (lambda: ComplexNetwork([4, 3, 3], seed=0, dtype="complex64"), 1e39j),
])
def test_inputs_a_float32_network_cannot_hold_are_refused_not_made_inf(make, huge):
    from deltanet.datasets import Dataset
    net = make()
    before = params(net)
    X, y = data(4)
    X = X.astype(type(huge))
    X[1, 2] = huge
    with pytest.raises(ValueError, match=r"X: 1e\+39.*beyond the largest float32.*use dtype="):
        net.feedforward(X)
    with pytest.raises(ValueError, match="training_data inputs: 1e"):
        net.SGD((X, y), 1, 2, 0.1)
    with pytest.raises(ValueError, match="data inputs: -1e"):
        net.evaluate((-X, y))
    pixels = Dataset(np.full((4, 4), 255, np.uint8), y, scale=1e37)    # 2.55e39 after scaling
    with pytest.raises(ValueError, match=r"training_data inputs: 2.55e\+39"):
        net.SGD(pixels, 1, 2, 0.1)
    Y = np.eye(3)[y]
    Y[0, 0] = 4e38
    with pytest.raises(ValueError, match=r"Y: 4e\+38"):
        net.gradient(X[:, :] * 0, Y)
    assert_unchanged(net, before)
    X[1, 2] = np.finfo(np.float32).max      # the largest float32 itself fits
    assert np.isfinite(net.feedforward(X)).all()


def test_float64_networks_take_inputs_beyond_float32():
    X, y = data(4)
    X[1, 2] = 1e300
    net = Network([4, 3, 3], seed=0)
    assert np.isfinite(net.feedforward(X)).all()
    net.SGD((X, y), 1, 2, 0.1)


@pytest.mark.parametrize("seed", [-1, "x", 1.5])
def test_a_bad_seed_names_the_parameter(seed):
    with pytest.raises(ValueError, match="seed"):
        Network([4, 3], seed=seed)
    X, y = data()
    net = Network([4, 5, 3], seed=0)
    before = params(net)
    with pytest.raises(ValueError, match="seed"):
        net.SGD((X, y), 1, 5, 0.5, seed=seed)
    assert_unchanged(net, before)


# ---------------------------------------------------------------- options --

def test_a_single_callback_function_gets_a_clear_error():
    X, y = data()
    net = Network([4, 5, 3], seed=0)
    before = params(net)
    with pytest.raises(TypeError, match=r"callbacks must be a list.*\[f\]"):
        net.SGD((X, y), 2, 5, 0.5, callbacks=lambda epoch, history, net: None)
    assert_unchanged(net, before)


@pytest.mark.parametrize("samples", [0, -5, 2.5])
def test_gradient_samples_is_checked(samples):
    # was: 0 recorded norms 0.0, -5 the norms of all but 5 samples, 2.5 a TypeError from slicing
    X, y = data()
    net = Network([4, 5, 3], seed=0)
    before = params(net)
    with pytest.raises(ValueError, match="gradient_samples"):
        net.SGD((X, y), 1, 5, 0.5, monitor_gradient_norms=True, gradient_samples=samples)
    assert_unchanged(net, before)


def test_the_gradient_or_step_of_no_samples_is_an_error_not_zero():
    # was: a zero gradient; for ComplexNetwork.step numpy's "zero-size array to reduction"
    for net in (Network([4, 5, 3], seed=0), ComplexNetwork([4, 5, 3], seed=0)):
        with pytest.raises(ValueError, match="at least one sample"):
            net.gradient(np.zeros((0, 4)), np.zeros((0, 3)))
    with pytest.raises(ValueError, match="at least one sample"):
        net.step(np.zeros((0, 4)), np.zeros((0, 3)), 0.5)


@pytest.mark.parametrize("value", ["0.5", None, 1j, [0.5]])
def test_eta_must_be_a_number_not_a_string(value):
    X, y = data()
    net = Network([4, 5, 3], seed=0)
    with pytest.raises(TypeError, match="eta"):       # network2: "0.5" / 10 is a TypeError
        net.SGD((X, y), 1, 5, value)


# --------------------------------------------------------- network2 drop-in --

def test_network2_exception_types_for_arguments_of_the_wrong_type(monkeypatch):
    """network2 raises TypeError for these (range(2.5), iterating None); so does the
    drop-in, which still raises ValueError as deltanet always did, before any step."""
    monkeypatch.setattr(network2, "VERBOSE", False)
    train = columns(10)
    net = network2.Network([4, 5, 3])
    for kwargs in (dict(epochs=2.5), dict(mini_batch_size=5.0),
                   dict(monitor_evaluation_accuracy=True, evaluation_data=None)):
        arguments = dict(epochs=1, mini_batch_size=5, eta=0.5) | kwargs
        weights = [w.copy() for w in net.weights]
        with pytest.raises(TypeError) as caught:
            net.SGD(train, **arguments)
        assert isinstance(caught.value, ValueError)
        for w, w0 in zip(net.weights, weights):
            np.testing.assert_array_equal(w, w0)


def test_network2_accuracy_of_no_samples_is_zero():
    net = network2.Network([4, 5, 3])
    assert net.accuracy([]) == 0                       # network2: sum of no results
    assert net.accuracy([], convert=True) == 0


def test_network2_sgd_with_a_float32_eta_rounds_like_network2(monkeypatch):
    """network2 computes ``eta / m`` and ``1 - eta * (lmbda / n)`` with NumPy's
    promotion: a float32 eta gives float32 factors. The drop-in uses the same
    numbers (was: float64 factors, parameters 1e-9 apart after one epoch)."""
    monkeypatch.setattr(network2, "VERBOSE", False)
    eta, lmbda = np.float32(0.7), 3.0
    random.seed(3)
    np.random.seed(3)
    net = network2.Network([4, 5, 3])
    expected = [w.copy() for w in net.weights], [b.copy() for b in net.biases]
    train = columns(10)
    reference_train = list(train)
    random.seed(4)
    net.SGD(train, 1, 3, eta, lmbda)
    random.seed(4)
    random.shuffle(reference_train)
    n = len(reference_train)
    for k in range(0, n, 3):                           # network2's update, one sample at a time
        batch = reference_train[k:k + 3]
        grads = [net_grad for net_grad in (backprop(expected, x, y) for x, y in batch)]
        sum_b = [sum(g[0][l] for g in grads) for l in range(2)]
        sum_w = [sum(g[1][l] for g in grads) for l in range(2)]
        expected = ([(1 - eta * (lmbda / n)) * w - (eta / len(batch)) * s
                     for w, s in zip(expected[0], sum_w)],
                    [b - (eta / len(batch)) * s for b, s in zip(expected[1], sum_b)])
    for got, want in zip(net.weights + net.biases, expected[0] + expected[1]):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def backprop(params, x, y):
    """network2's backprop of one column for the cross-entropy cost."""
    weights, biases = params
    activations, zs = [x], []
    for w, b in zip(weights, biases):
        zs.append(w @ activations[-1] + b)
        activations.append(1 / (1 + np.exp(-zs[-1])))
    delta = activations[-1] - y
    grad_b, grad_w = [None] * 2, [None] * 2
    for l in (1, 0):
        grad_b[l], grad_w[l] = delta, delta @ activations[l].T
        if l:
            a = activations[l]
            delta = (weights[l].T @ delta) * (a * (1 - a))
    return grad_b, grad_w


# ------------------------------------------------------------ data, costs --

def test_integer_targets_of_a_one_neuron_output_are_targets():
    # was: "labels must lie in 0..0", while the same numbers as a column (n, 1) trained
    X, y = data(n_out=2)
    nets = [Network([4, 3, 1], cost="quadratic", seed=0) for _ in range(3)]
    for net, targets in zip(nets, (y, y.astype(float), y[:, None])):
        net.SGD((X, targets), 2, 5, 0.5, seed=1)
    for net in nets[:2]:
        for a, b in zip(params(net), params(nets[2])):
            np.testing.assert_array_equal(a, b)


class ColumnQuadratic:
    """A cost written for network2's columns only, as course code may be."""

    @staticmethod
    def fn(a, y):
        assert a.shape[1] == 1, "one sample at a time"
        return 0.5 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        assert a.shape[1] == 1, "one sample at a time"
        return (a - y) * a * (1 - a)


def test_a_column_cost_that_asserts_its_shape_is_called_per_sample():
    # was: the AssertionError of the 2-row probe escaped from Network.SGD
    X, y = data()
    net, reference = (Network([4, 5, 3], cost=cost, seed=0)
                      for cost in (ColumnQuadratic, "quadratic"))
    history = net.SGD((X, y), 2, 5, 0.5, seed=1, monitor_training_cost=True)
    expected = reference.SGD((X, y), 2, 5, 0.5, seed=1, monitor_training_cost=True)
    np.testing.assert_allclose(history.training_cost, expected.training_cost, rtol=1e-12)
    for a, b in zip(params(net), params(reference)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


class WrongShape:
    @staticmethod
    def fn(a, y):
        return 0.0

    @staticmethod
    def delta(z, a, y):
        return np.zeros(len(z) + 1)


def test_a_cost_whose_delta_has_the_wrong_shape_is_named_and_changes_nothing():
    # was: a matmul error from deep inside backprop
    X, y = data()
    net = Network([4, 5, 3], cost=WrongShape, seed=0)
    before = params(net)
    with pytest.raises(ValueError, match=r"WrongShape.delta\(z, a, y\) must return"):
        net.SGD((X, y), 1, 5, 0.5)
    assert_unchanged(net, before)


def test_the_notebook_display_of_a_network_with_a_cost_of_ones_own():
    # was: AttributeError: type object 'WrongShape' has no attribute 'name'
    assert "cost WrongShape" in Network([4, 3], cost=WrongShape)._repr_html_()


@pytest.mark.parametrize("sizes", [[4, 5, 3], [6, 5, 3], [8, 5, 10]])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prepared_data_of_another_shape_is_refused(sizes, dtype):
    # was: trained on garbage (the kernel read past the rows: memory not the data's)
    from deltanet.data import as_data
    X, y = data(n_in=6, n_out=10)
    prepared = as_data((X, y), [6, 5, 10])
    net = Network(sizes, seed=0, dtype=dtype)
    before = params(net)
    with pytest.raises(ValueError, match="training_data.*prepared for 6 inputs and 10 outputs"):
        net.SGD(prepared, 1, 5, 0.5)
    with pytest.raises(ValueError, match="data"):
        net.evaluate(prepared)
    assert_unchanged(net, before)


def test_prepared_complex_data_is_refused_by_a_real_network():
    from deltanet.data import as_data
    X, y = data()
    prepared = as_data((X + 0.5j, y), [4, 5, 3], complex_ok=True)
    with pytest.raises(TypeError, match="complex"):
        Network([4, 5, 3], seed=0).SGD(prepared, 1, 5, 0.5)


def kernel_case(n_in=4):
    net = Network([4, 5, 3], seed=0)
    X, y = data(n=10, n_in=n_in)
    return net, X, y


@pytest.mark.parametrize("case, match", [
    (lambda net, X, y: (X[:, :3], y, np.arange(10)), r"images.*\(n, 4\).*\(10, 3\)"),
    (lambda net, X, y: (X, y[:9], np.arange(10)), "labels"),
    (lambda net, X, y: (X, y + 3, np.arange(10)), "labels"),
    (lambda net, X, y: (X, y, np.arange(10) + 5), "order"),
    (lambda net, X, y: (X, y, -np.arange(10) - 1), "order")])
def test_the_kernel_refuses_inputs_it_would_read_past(case, match):
    # was: reads and writes outside the arrays (numba checks no bounds): garbage or a crash
    from deltanet import kernel
    net, X, y = kernel_case()
    images, labels, order = case(net, X, y)
    before = params(net)
    with pytest.raises(ValueError, match=match):
        kernel.train_epoch(net.weights, net.biases, images, 1.0, labels, order, 5, 0.5, 1.0,
                           "cross-entropy")
    if "order" not in match:
        with pytest.raises(ValueError, match=match):
            kernel.evaluate(net.weights, net.biases, images, 1.0, labels, "cross-entropy")
    assert_unchanged(net, before)


def test_the_kernel_refuses_layers_that_do_not_chain():
    from deltanet import kernel
    net, X, y = kernel_case()
    with pytest.raises(ValueError, match="layers"):
        kernel.evaluate([net.weights[0], net.weights[1][:4]], net.biases, X, 1.0, y,
                        "quadratic")
    with pytest.raises(ValueError, match="layers"):
        kernel.evaluate(net.weights, [net.biases[0][:4], net.biases[1]], X, 1.0, y,
                        "quadratic")


def test_load_blames_a_bad_dtype_argument_not_the_file(tmp_path):
    path = tmp_path / "net.json"
    Network([4, 5, 3], seed=0).save(path)
    with pytest.raises(ValueError, match="dtype must be one of") as caught:
        Network.load(path, dtype="float16")
    assert "not a network file" not in str(caught.value)


def test_the_core_view_of_a_network2_network_trains(monkeypatch):
    # was: AttributeError: '_CoreView' object has no attribute 'rng'
    X, y = data()
    results = []
    for _ in range(2):
        np.random.seed(5)                              # the drop-in's randomness: np.random
        net = network2.Network([4, 5, 3])
        before = net.core.evaluate((X, y))[0]
        history = net.core.SGD((X, y), 2, 5, 0.5, monitor_training_cost=True)
        assert history.training_cost[-1] < before
        assert net.core.evaluate((X, y))[0] == history.training_cost[-1]
        results.append([w.copy() for w in net.weights])
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_gain_fractions_name_inputs_of_the_wrong_width():
    # was: numpy's "shapes (6,3) and (4,5) not aligned" from inside the forward pass
    from deltanet import stability
    net = Network([4, 5, 3], seed=0)
    X, _ = data(n=6, n_in=3)
    for probe in (lambda: stability.gain_fractions(net.weights, net.biases, X),
                  lambda: stability.gain_population(net.weights, net.biases, X, [1])):
        with pytest.raises(ValueError, match=r"X must have shape \(m, 4\).*\(6, 3\)"):
            probe()


def test_training_errors_survive_pickling(monkeypatch):
    """As they do on their way back from a worker process (multiprocessing, Dask);
    was: TypeError: __init__() missing 1 required positional argument: 'history'."""
    import pickle

    from deltanet import TrainingDiverged, TrainingInterrupted
    from deltanet.complex import PoleError
    X, y = data()
    errors = []
    for net, kwargs in ((Network([4, 5, 3], seed=0), dict(lmbda=1e12)),
                        (ComplexNetwork([4, 5, 3], seed=0, imag_scale=40.0), {})):
        try:
            net.SGD((X, y), 10, 5, 0.5, monitor_training_cost=True, **kwargs)
        except (TrainingDiverged, PoleError) as exc:
            errors.append(exc)
    errors.append(TrainingInterrupted(errors[0].history))
    assert [type(e) for e in errors] == [TrainingDiverged, PoleError, TrainingInterrupted]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert copy.history == error.history
    assert pickle.loads(pickle.dumps(errors[1])).layer == errors[1].layer


def test_stability_helpers_name_bad_arguments():
    # was: IndexError, "'float' object cannot be interpreted as an integer",
    # "math domain error" and numpy's "high <= 0"
    from deltanet import stability
    rng = np.random.default_rng(0)
    for call, match in ((lambda: stability.exploding_parameters([1]), "sizes"),
                        (lambda: stability.exploding_parameters([1, 2.5, 1]), "sizes"),
                        (lambda: stability.draw_log_q_lognormal(rng, (2,), 0.0, -1.0), "s2"),
                        (lambda: stability.draw_log_q_population(rng, (2,), np.array([])),
                         "log_q")):
        with pytest.raises(ValueError, match=match):
            call()


@pytest.mark.parametrize("chunk_size", [0, -5, 2.5, "x"])
def test_complex_evaluate_checks_chunk_size_like_network_evaluate(chunk_size):
    # was: 0 and -5 silently 1, 2.5 silently 2, "x" a ValueError from int()
    X, y = data()
    for net in (Network([4, 5, 3], seed=0), ComplexNetwork([4, 5, 3], seed=0)):
        with pytest.raises(ValueError, match="chunk_size"):
            net.evaluate((X, y), chunk_size=chunk_size)


def test_an_error_in_a_callback_keeps_the_history_of_the_completed_epochs():
    # was: the history of the completed epochs was lost with the exception
    class EarlyStop(Exception):
        pass

    def stop_after_two(epoch, history, net):
        if epoch == 1:
            raise EarlyStop("enough")

    X, y = data()
    net, reference = Network([4, 5, 3], seed=0), Network([4, 5, 3], seed=0)
    expected = reference.SGD((X, y), 2, 5, 0.5, seed=1, monitor_training_cost=True)
    with pytest.raises(EarlyStop) as caught:
        net.SGD((X, y), 5, 5, 0.5, seed=1, monitor_training_cost=True, callbacks=[stop_after_two])
    history = caught.value.history
    assert history.epochs_completed == 2 and history.training_cost == expected.training_cost
    for a, b in zip(params(net), params(reference)):
        np.testing.assert_array_equal(a, b)


def test_a_mini_batch_larger_than_the_data_is_one_batch_not_a_huge_buffer():
    # was: MemoryError "Unable to allocate 29.1 TiB" (a buffer of mini_batch_size rows)
    X, y = data()
    net, reference = Network([4, 5, 3], seed=0), Network([4, 5, 3], seed=0)
    from deltanet import kernel
    net.SGD((X, y), 2, 10**12, 0.5, seed=1)
    with kernel.switched_off():                        # the path mini-batches of 10**12 take
        reference.SGD((X, y), 2, len(X), 0.5, seed=1)
    for a, b in zip(params(net), params(reference)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make", [lambda: Network([4, 5, 3], seed=0),
                                  lambda: ComplexNetwork([4, 5, 3], seed=0)])
def test_a_misspelt_sgd_option_is_named_with_the_options_there_are(make):
    # was: "Network._trainer() got an unexpected keyword argument ..." (a private method)
    X, y = data()
    net = make()
    with pytest.raises(TypeError, match=r"^\w*Network.SGD\(\) got an unexpected keyword "
                                        r"argument 'monitor_evaluation_acuracy'"):
        net.SGD((X, y), 1, 5, 0.5, monitor_evaluation_acuracy=True)


def test_a_cost_of_ones_own_named_like_network2s_is_not_swapped_for_the_built_in():
    # was: any class named QuadraticCost became deltanet's, whatever its formulas
    import deltanet.costs as costs

    class QuadraticCost:                               # a student's weighted variant
        @staticmethod
        def fn(a, y):
            return 2.0 * np.sum((a - y) ** 2)

        @staticmethod
        def delta(z, a, y):
            return 4.0 * (a - y) * a * (1 - a)

    # network2's own formulas under network2's name
    CrossEntropyCost = type("CrossEntropyCost", (RefCrossEntropy,), {})

    assert costs.get_cost(QuadraticCost) is QuadraticCost
    assert costs.get_cost(CrossEntropyCost) is costs.CrossEntropyCost
    X, y = data()
    net = Network([4, 5, 3], cost=QuadraticCost, seed=0)
    targets = np.eye(3)[y]
    expected = 2.0 * np.sum((net.feedforward(X) - targets) ** 2) / len(X)
    assert net.evaluate((X, y))[0] == pytest.approx(expected, rel=1e-12)


class InstanceQuadratic:
    """A cost with instance methods, given as an instance (network2 calls them bound)."""

    def fn(self, a, y):
        return network2.QuadraticCost.fn(a, y)

    def delta(self, z, a, y):
        return network2.QuadraticCost.delta(z, a, y)


def test_network2_takes_a_cost_instance_with_instance_methods_like_network2(monkeypatch):
    # was: TypeError: InstanceQuadratic.delta() missing 1 required positional argument
    monkeypatch.setattr(network2, "VERBOSE", False)
    results = []
    for cost in (InstanceQuadratic(), network2.QuadraticCost):
        random.seed(2)
        np.random.seed(2)
        net = network2.Network([4, 5, 3], cost=cost)
        history = net.SGD(columns(20), 2, 5, 0.5, monitor_training_cost=True)
        results.append((history[2], net.weights + net.biases))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    for a, b in zip(results[0][1], results[1][1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_a_core_cost_with_instance_methods_is_refused_with_the_fix():
    # was: the same TypeError from inside the first training step
    with pytest.raises(TypeError, match=r"InstanceQuadratic.fn.*@staticmethod"):
        Network([4, 5, 3], cost=InstanceQuadratic())


def test_ctrl_c_while_an_epoch_is_being_saved_leaves_network_and_history_agreeing():
    # was: Ctrl-C during the copy of the parameters after epoch 1 left a history of 1
    # epoch with the parameters from before it
    X, y = data()
    net = Network([4, 5, 3], seed=0)
    before = params(net)
    real, calls = net.get_params, [0]

    def get_params():
        calls[0] += 1
        if calls[0] == 2:                              # the copy after epoch 1
            raise KeyboardInterrupt
        return real()

    net.get_params = get_params
    with pytest.raises(KeyboardInterrupt) as caught:
        net.SGD((X, y), 3, 5, 0.5, monitor_training_cost=True)
    assert caught.value.history.epochs_completed == 0
    assert caught.value.history.training_cost == []
    assert_unchanged(net, before)


def test_network2_counts_whole_number_float_labels_as_network2_does():
    rng = np.random.default_rng(0)
    net = network2.Network([4, 5, 3])
    xs = [rng.random((4, 1)) for _ in range(40)]
    labels = rng.integers(0, 3, 40)
    expected = sum(int(np.argmax(net.feedforward(x)) == y) for x, y in zip(xs, labels))
    for convert in (float, np.float64, lambda j: np.array(float(j)), int):
        data = [(x, convert(j)) for x, j in zip(xs, labels)]
        assert net.accuracy(data) == expected      # network2: int(x == y), 3 == 3.0
        assert net.total_cost(data, 0.0, convert=True) == pytest.approx(
            net.total_cost([(x, int(j)) for x, j in zip(xs, labels)], 0.0, convert=True))
    with pytest.raises(ValueError, match=r"data\[0\]: the label 2.5 is not a whole number"):
        net.accuracy([(xs[0], 2.5)] + [(x, 1.0) for x in xs[1:]])
    with pytest.raises(ValueError, match=r"data\[1\]: the label 2.5 is not a whole number"):
        net.accuracy([(xs[0], 1.0), (xs[1], 2.5)])
