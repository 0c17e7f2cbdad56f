"""The one engine: the epoch loop's stop rules for every network, the module
graph, custom costs, and the inputs every entry point refuses."""

import ast
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import deltanet.compat.network2 as network2
import deltanet.complex as complex_module
import deltanet.network as network_module
from deltanet import (CrossEntropyCost, Network, QuadraticCost, TrainingDiverged,
                      TrainingInterrupted)
from deltanet.complex import ComplexNetwork, pole_distance
from deltanet.costs import COSTS, register_cost

SRC = Path(__file__).resolve().parents[1] / "src"


def data(n=40, n_in=4, n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), rng.integers(0, n_out, n)


def params(net):
    return [np.array(p) for p in net.weights + net.biases]


def assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


# ------------------------------------------------- Ctrl-C in every network --

def interrupt_on_call(monkeypatch, module, k):
    """Make ``module.sgd_step`` raise KeyboardInterrupt on its ``k``-th call."""
    real, calls = module.sgd_step, [0]

    def step(*args, **kwargs):
        calls[0] += 1
        if calls[0] == k:
            raise KeyboardInterrupt
        return real(*args, **kwargs)
    monkeypatch.setattr(module, "sgd_step", step)


def test_ctrl_c_mid_epoch_leaves_the_last_completed_epoch_real_and_complex(monkeypatch):
    monkeypatch.setenv("DELTANET_KERNEL", "numpy")     # the kernel's epoch is one call (see
    X, y = data()                                      # test_kernel); 8 NumPy steps per epoch
    Y = 0.5 + 0.2j * np.random.default_rng(1).random((40, 3))
    for make, module, targets in ((lambda: Network([4, 5, 3], seed=3), network_module, y),
                                  (lambda: ComplexNetwork([4, 5, 3], seed=3), complex_module, Y)):
        reference = make()
        reference.SGD((X, targets), 2, 5, 0.5, monitor_training_cost=True)
        net = make()
        with monkeypatch.context() as patch:
            interrupt_on_call(patch, module, 2 * 8 + 3)
            with pytest.raises(TrainingInterrupted) as info:
                net.SGD((X, targets), 5, 5, 0.5, monitor_training_cost=True)
        history = info.value.history
        assert history.epochs_completed == 2 and history.stopped == "interrupted"
        assert len(history.training_cost) == len(history.epoch_seconds) == 2
        assert_same(params(net), params(reference))


def test_ctrl_c_mid_epoch_in_the_network2_drop_in(monkeypatch):
    X, y = data(n_out=10, n_in=6)
    pairs = [(x.reshape(-1, 1), np.eye(10)[c].reshape(-1, 1)) for x, c in zip(X, y)]

    def fresh():
        random.seed(4)
        np.random.seed(4)
        return network2.Network([6, 5, 10])

    reference = fresh()
    reference.SGD(list(pairs), 2, 5, 0.5, verbose=False)
    net = fresh()
    interrupt_on_call(monkeypatch, network2, 2 * 8 + 3)
    with pytest.raises(KeyboardInterrupt):
        net.SGD(list(pairs), 5, 5, 0.5, verbose=False)
    assert_same(params(net), params(reference))


# ------------------------------------------------------- other loop rules --

def test_fit_puts_back_what_snapshot_gave_and_quiet_turns_numpy_warnings_off():
    from deltanet.loop import History, fit

    class Bare:                        # no get_params: the reset must use snapshot()
        weights, biases = ["w0"], ["b0"]

    net = Bare()

    def epoch_step(order):             # a new "epoch" each call; Ctrl-C in the third
        k = int(net.weights[0][1:]) + 1
        if k == 3:
            raise KeyboardInterrupt
        net.weights, net.biases = [f"w{k}"], [f"b{k}"]

    with pytest.raises(TrainingInterrupted) as info:
        fit(net, 5, epoch_step, lambda: None, History(), check_finite=False,
            snapshot=lambda: (list(net.weights), list(net.biases)))
    assert (net.weights, net.biases) == (["w2"], ["b2"])
    assert info.value.history.epochs_completed == 2

    def overflow(order):
        np.float64(1e308) * np.float64(10.0)

    fit(net, 1, overflow, lambda: None, History(), check_finite=False,
        snapshot=lambda: ([], []))                                   # quiet by default
    with pytest.warns(RuntimeWarning, match="overflow"):
        fit(net, 1, overflow, lambda: None, History(), check_finite=False,
            snapshot=lambda: ([], []), quiet=False)


def test_callbacks_are_checked_before_the_first_epoch():
    X, y = data()
    net = Network([4, 3, 3], seed=0)
    before = params(net)
    with pytest.raises(TypeError, match=r"callbacks\[0\] must be a function"):
        net.SGD((X, y), 1, 5, 0.5, callbacks=[1])
    assert_same(params(net), before)


@pytest.mark.parametrize("eta, lmbda, says, not_says", [
    (0.5, 1e6, "lmbda < n / eta", "smaller eta"),
    (1e307, 1.0, "smaller eta", None),
])
def test_divergence_blames_what_caused_it(eta, lmbda, says, not_says):
    X, y = data(n=20)
    net = Network([4, 3, 3], seed=0)
    with pytest.raises(TrainingDiverged) as info:
        net.SGD((X, y), 40, 5, eta, lmbda=lmbda, monitor_training_cost=True)
    message, history = str(info.value), info.value.history
    assert says in message and (not_says is None or not_says not in message)
    assert history.stopped == "diverged"
    assert len(history.training_cost) == history.epochs_completed < 40
    assert all(np.isfinite(p).all() for p in params(net))     # reset to the last good epoch


def test_regression_targets_train_in_the_core():
    """Targets that are not classes (as in the complex task's real network)."""
    rng = np.random.default_rng(2)
    X, Y = rng.random((30, 2)), rng.random((30, 2))
    net = Network([2, 4, 2], cost="quadratic", seed=1)
    history = net.SGD((X, Y), 3, 10, 2.0, evaluation_data=(X, Y),
                      monitor_evaluation_cost=True)
    assert history.evaluation_cost[-1] == pytest.approx(net.evaluate((X, Y))[0], rel=1e-12)
    assert net.evaluate((X, Y))[1] is None
    with pytest.raises(ValueError, match="needs class labels"):
        net.SGD((X, Y), 1, 10, 2.0, monitor_training_accuracy=True)


# ----------------------------------------------------------- bad inputs --

@pytest.mark.parametrize("call", [
    lambda net, X: net.predict(X), lambda net, X: net.feedforward(X),
    lambda net, X: net.evaluate((X, np.zeros(2, int)))])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_inputs_raise(call, bad):
    net = Network([4, 5, 3], seed=0)
    with pytest.raises(ValueError, match="NaN or infinite"):
        call(net, np.full((2, 4), bad))


@pytest.mark.parametrize("kwargs, match", [(dict(chunk_size=-1), "chunk_size"),
                                           (dict(lmbda=float("nan")), "lmbda")])
def test_evaluate_checks_its_options(kwargs, match):
    X, y = data()
    with pytest.raises(ValueError, match=match):
        Network([4, 3, 3], seed=0).evaluate((X, y), **kwargs)


@pytest.mark.parametrize("make", [lambda: Network([4, 3, 3], seed=0),
                                  lambda: ComplexNetwork([4, 3, 3], seed=0)])
def test_non_float_parameters_are_refused_before_any_change(make):
    X, y = data()
    net = make()
    net.weights[1] = np.ones(net.weights[1].shape, dtype=np.int64)
    before = params(net)
    with pytest.raises(ValueError, match=r"net.weights\[1\] has dtype int64"):
        net.SGD((X, y), 1, 5, 0.5)
    assert_same(params(net), before)


def test_pole_distance_is_exact_for_large_imaginary_parts():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    for y in (1.8521354999999996e16, 3.3e9, -7.5e12, 123456.789, 2.0 ** 70):
        exact = mpmath.mpf(y) - mpmath.pi * (2 * mpmath.floor(mpmath.mpf(y) / (2 * mpmath.pi)) + 1)
        got = pole_distance(np.array([0.25 + 1j * y]))[0]
        assert got == pytest.approx(float(mpmath.sqrt(exact ** 2 + 0.0625)), rel=1e-12)
    # the case: a bias that close to a pole is caught by the guard
    net = ComplexNetwork([1, 1], seed=0, imag_scale=0.0)
    net.biases[0][0] = 1j * 1.8521354999999996e16
    with pytest.raises(complex_module.PoleError):
        net.feedforward([[0.0]])
    assert pole_distance(np.array([1e300j]))[0] == 0.0     # cannot be resolved: refused


# ---------------------------------------------------------- custom costs --

class DoubleCrossEntropy(CrossEntropyCost):
    """Twice the cross-entropy's delta: trains like eta * 2."""
    name = network2_name = "DoubleCrossEntropy"

    @staticmethod
    def delta(z, a, y):
        return 2 * (a - y)


class ColumnQuadratic:
    """A student's network2 cost: written for one column, not vectorized."""

    @staticmethod
    def fn(a, y):
        return 0.5 * float(np.dot((a - y).T, a - y)[0, 0])

    @staticmethod
    def delta(z, a, y):
        s = 1 / (1 + np.exp(-z))
        return (a - y) * s * (1 - s) + 0 * np.dot(y.T, y)[0, 0]


def test_a_custom_delta_trains_like_the_built_in_cost(monkeypatch):
    monkeypatch.setenv("DELTANET_KERNEL", "numpy")     # both on the NumPy step: equal bits
    X, y = data()
    double = Network([4, 5, 3], cost=DoubleCrossEntropy, seed=2)
    plain = Network([4, 5, 3], cost=CrossEntropyCost, seed=2)
    assert double.cost is DoubleCrossEntropy
    double.SGD((X, y), 2, 5, 0.25)
    plain.SGD((X, y), 2, 5, 0.5)
    assert_same(params(double), params(plain))


def test_a_non_vectorized_cost_falls_back_to_per_sample_calls():
    X, y = data()
    custom = Network([4, 5, 3], cost=ColumnQuadratic, seed=2)
    builtin = Network([4, 5, 3], cost=QuadraticCost, seed=2)
    h_custom = custom.SGD((X, y), 2, 5, 3.0, monitor_training_cost=True)
    h_builtin = builtin.SGD((X, y), 2, 5, 3.0, monitor_training_cost=True)
    np.testing.assert_allclose(h_custom.training_cost, h_builtin.training_cost, rtol=1e-12)
    for a, b in zip(params(custom), params(builtin)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_save_and_load_of_a_custom_cost(tmp_path):
    net = Network([4, 3], cost=ColumnQuadratic, seed=0)
    path = tmp_path / "net.json"
    net.save(path)
    assert json.loads(path.read_text())["cost"] == "ColumnQuadratic"
    with pytest.raises(ValueError, match="register_cost"):
        Network.load(path)
    try:
        register_cost(ColumnQuadratic)
        loaded = Network.load(path)
        assert loaded.cost is ColumnQuadratic
        assert_same(params(loaded), params(net))
    finally:
        COSTS.pop("ColumnQuadratic", None)


# ----------------------------------------------------------- module graph --

def module_imports(path, package):
    """The deltanet modules ``path`` imports at module level (not inside functions)."""
    name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    found = set()
    body = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while body:
        node = body.pop()
        if isinstance(node, (ast.If, ast.Try)):
            body += node.body + node.orelse + getattr(node, "finalbody", [])
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".")[:len(name.split(".")) - node.level + path.name.endswith(
                    "__init__.py")]
                base = ".".join(parent + ([base] if base else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in package else base
                      for a in node.names}
    return name, {m for m in found if m in package}


def test_the_package_has_no_import_cycle():
    paths = sorted((SRC / "deltanet").rglob("*.py"))
    package = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
               for p in paths}
    graph = dict(module_imports(p, package) for p in paths)
    assert graph["deltanet.network"] >= {"deltanet.loop", "deltanet.data"}    # walked for real
    state = {}

    def visit(module, stack):
        state[module] = "open"
        for target in graph[module]:
            if state.get(target) == "open":
                cycle = stack[stack.index(target):] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, stack + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_help_loads_no_numeric_library():
    """``deltanet --help`` and every command's parser build without NumPy,
    SciPy, matplotlib, numba or tqdm (the command functions import them)."""
    code = ("import sys\nfrom deltanet.cli.main import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('numpy', 'scipy', 'matplotlib', 'numba', 'tqdm')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "usage: deltanet" in out and "sweep" in out
    assert out.split("LOADED")[-1].strip() == "[]"
