"""The tutorial task in numbers: gradient check, a complex task, MNIST.

:func:`run_complex` computes three parts, stores them in ``DIR/complex/results.json``
after each part (``complete`` is False until the last) and draws the figures from the
stored numbers (:func:`deltanet.plots.complex.plot_complex`):

1. ``gradient_check``: Wirtinger backprop (BP1-BP4 + part (d)) against central finite
   differences on Re and Im of every weight and bias, for several architectures with
   complex inputs and targets; plus *controls*, wrong variants (no conjugate in BP1, no
   factor 2 in (d), ``conj`` in BP2's transpose) that the same check must reject.
2. ``task``: fitting the holomorphic ``f(z) = 1/2 + i/2 + (e^{iz} - 1)/4`` on the unit
   disk, complex ``[1, 10, 1]`` against real ``[2, 12, 2]`` (62 real parameters each,
   quadratic cost, the best learning rates of a small grid; see ``docs/complex-backprop.md``).
3. ``mnist``: complex ``[784, 15, 10]`` against real ``[784, 30, 10]`` (23,870 vs 23,860
   real parameters), and the *instability*: the trained real net continued in complex
   parameter space from a 1e-6 imaginary perturbation.

Other keys: ``schema``, ``deltanet_version``, ``numpy_version``, ``config``
(``quick`` plus the parts' settings) and ``timings`` (seconds per part).
"""

import math
import time
import warnings
from pathlib import Path

import numpy as np

from deltanet import __version__
from deltanet.complex import (ComplexHistory, ComplexNetwork, ComplexQuadraticCost,
                              PoleError, PoleWarning, forward, numerical_gradient,
                              real_imag_gradient, wirtinger_gradient)
from deltanet.costs import QuadraticCost
from deltanet.loop import TrainingDiverged
from deltanet.network import Network, backward
from deltanet.serialization import atomic_write_json, command, jsonable, read_json
from deltanet.experiments.execution import SidePart, drawing_figures, side_computing
from deltanet.experiments.store import check_output_dir
from deltanet.i18n import check_lang

__all__ = ["run_complex", "load_complex_results", "format_complex_summary",
           "gradient_check", "side_part", "DEFAULT_CONFIG", "QUICK_CONFIG"]

SCHEMA = "deltanet.complex/1"
TOLERANCE = 1e-6

DEFAULT_CONFIG = {
    "seed": 1,
    "gradient_check": {"architectures": [[3, 4, 2], [2, 5, 4, 3], [1, 10, 1]],
                       "batch_size": 5, "h": 1e-3, "imag_scale": 0.5},
    "task": {"n_train": 500, "n_test": 1000, "epochs": 150, "mini_batch_size": 10,
             "complex_sizes": [1, 10, 1], "real_sizes": [2, 12, 2],
             "complex_eta": 1.0, "real_eta": 16.0, "grid_points": 41},
    "mnist": {"n_train": 5000, "n_test": 10000, "epochs": 5, "mini_batch_size": 10,
              "complex_sizes": [784, 15, 10], "real_sizes": [784, 30, 10],
              "complex_eta": 0.05, "imag_scale": 0.05, "real_eta": 3.0,
              "pole_guard": "warn", "pole_threshold": 0.1,
              "instability_epochs": 3, "instability_eta": 3.0,
              "instability_perturbation": 1e-6},
}

QUICK_CONFIG = {    # a smoke test: the same keys, tiny sizes
    **DEFAULT_CONFIG,
    "gradient_check": {**DEFAULT_CONFIG["gradient_check"], "architectures": [[2, 3, 2]],
                       "batch_size": 3},
    "task": {**DEFAULT_CONFIG["task"], "n_train": 60, "n_test": 50, "epochs": 3,
             "grid_points": 9},
    "mnist": {**DEFAULT_CONFIG["mnist"], "n_train": 200, "n_test": 100, "epochs": 2,
              "instability_epochs": 1},
}

TASK_TARGET = "f(z) = 1/2 + i/2 + (exp(iz) - 1)/4"


def task_target(z):
    """The task's holomorphic target; maps the unit disk into (0, 1) + i (0, 1)."""
    return 0.5 + 0.5j + 0.25 * (np.exp(1j * z) - 1)


# --------------------------------------------------------- gradient check --

def _relative_errors(analytic, reference):
    """``max |g - g_fd| / max |g_fd|`` for the real and the imaginary parts."""
    out = []
    for part in (np.real, np.imag):
        g, r = part(analytic), part(reference)
        scale = np.abs(r).max()
        out.append(float(np.abs(g - r).max() / scale) if scale > 0 else float(np.abs(g).max()))
    return out


def _control_gradients(weights, biases, X, Y):
    """Deliberately wrong gradients that a working check must reject."""
    zs, activations, _ = forward(weights, biases, X)
    a, m = activations[-1], len(X)
    right = ComplexQuadraticCost.delta(zs[-1], a, Y) / m
    no_conj = 0.5 * (a - Y) * a * (1 - a) / m
    grads = backward(weights, activations, right)
    return {
        "bp1_without_conjugate": real_imag_gradient(*backward(weights, activations, no_conj)),
        "d_without_factor_2": [[np.conjugate(g) for g in gs] for gs in grads],
        "d_without_conjugate": [[2 * g for g in gs] for gs in grads],
        "bp2_conjugate_transpose": real_imag_gradient(
            *backward([W.conj() for W in weights], activations, right)),
    }


def gradient_check(architectures, batch_size=5, h=1e-3, imag_scale=0.5, seed=1):
    """Backprop vs finite differences per layer, Re and Im parts separately:
    ``architectures`` (per net its ``layers`` with the errors ``weights_re``,
    ``weights_im``, ``biases_re``, ``biases_im``), ``max_error``, ``passed`` and
    ``controls`` (each wrong variant's largest error: far above tolerance)."""
    rng = np.random.default_rng(seed)
    nets, control_errors = [], {}

    def normal(n):          # (batch_size, n) complex, Re and Im standard normal
        return rng.standard_normal((batch_size, n)) + 1j * rng.standard_normal((batch_size, n))

    for i, sizes in enumerate(architectures):
        net = ComplexNetwork(sizes, seed=seed + i, imag_scale=imag_scale)
        X, Y = normal(sizes[0]), 0.5 * normal(sizes[-1])
        grad_w, grad_b = real_imag_gradient(*wirtinger_gradient(net.weights, net.biases, X, Y))
        fd_w, fd_b = numerical_gradient(net.weights, net.biases, X, Y, h=h)
        layers = []
        for l in range(len(sizes) - 1):
            w_re, w_im = _relative_errors(grad_w[l], fd_w[l])
            b_re, b_im = _relative_errors(grad_b[l], fd_b[l])
            layers.append({"layer": l + 2, "weights_re": w_re, "weights_im": w_im,
                           "biases_re": b_re, "biases_im": b_im})
        nets.append({"sizes": list(sizes), "batch_size": batch_size, "layers": layers,
                     "max": max(max(v for k, v in row.items() if k != "layer")
                                for row in layers)})
        for name, (cw, cb) in _control_gradients(net.weights, net.biases, X, Y).items():
            err = max(max(_relative_errors(g, r)) for g, r in zip(cw + cb, fd_w + fd_b))
            control_errors[name] = max(control_errors.get(name, 0.0), err)
    worst = max((n["max"] for n in nets), default=0.0)
    return {
        "method": "central differences, 4th-order stencil, on Re and Im of every "
                  "weight and bias; error = max|g - g_fd| / max|g_fd| per array",
        "h": h, "tolerance": TOLERANCE, "architectures": nets, "max_error": worst,
        "passed": worst < TOLERANCE,
        "controls": [{"name": k, "max_error": v} for k, v in control_errors.items()],
    }


# ------------------------------------------------------------------- task --

def _disk(n, rng):
    """``n`` points uniform on the unit disk."""
    return np.sqrt(rng.random(n)) * np.exp(2j * np.pi * rng.random(n))


def _as_real(z):
    """Complex column -> two real columns (Re, Im)."""
    return np.column_stack([z.real, z.imag])


def run_task(cfg, seed, progress=False):
    """Complex ``[1, h, 1]`` vs real ``[2, H, 2]`` on the holomorphic target."""
    rng = np.random.default_rng(seed)
    z_train, z_test = _disk(cfg["n_train"], rng), _disk(cfg["n_test"], rng)
    g = np.linspace(-1, 1, cfg["grid_points"])     # |f - a| on a grid (figures mask |z| > 1)
    z_grid = (g[None, :] + 1j * g[:, None]).reshape(-1)
    epochs, m = cfg["epochs"], cfg["mini_batch_size"]
    out = {"target": TASK_TARGET, "region": "unit disk |z| <= 1",
           "n_train": cfg["n_train"], "n_test": cfg["n_test"], "epochs": epochs,
           "mini_batch_size": m, "cost": "quadratic, mean of 1/2 |f(z) - a|^2"}
    grid = {"axis": g.tolist()}
    cnet = ComplexNetwork(cfg["complex_sizes"], seed=seed)
    rnet = Network(cfg["real_sizes"], cost=QuadraticCost, seed=seed)
    nets = {"complex": (cnet, cnet.n_real_parameters, lambda z: z[:, None], lambda a: a[:, 0]),
            "real": (rnet, _n_real(rnet), _as_real, lambda a: a[:, 0] + 1j * a[:, 1])}
    for name, (net, n_real, encode, decode) in nets.items():    # encode z, decode a to z
        started = time.perf_counter()
        history = net.SGD((encode(z_train), encode(task_target(z_train))), epochs, m,
                          cfg[f"{name}_eta"],
                          evaluation_data=(encode(z_test), encode(task_target(z_test))),
                          monitor_evaluation_cost=True, monitor_training_cost=True,
                          seed=seed + 1, progress=progress, desc=f"{name} task")
        test_cost = history.evaluation_cost
        out[name] = {"sizes": net.sizes, "n_real_parameters": n_real,
                     "eta": cfg[f"{name}_eta"], "test_cost": test_cost,
                     "training_cost": history.training_cost, "final_test_cost": test_cost[-1],
                     "final_rms_error": math.sqrt(2 * test_cost[-1]),   # cost: mean |f - a|^2/2
                     "seconds": time.perf_counter() - started}
        if net is cnet:
            out[name].update(imag_scale=net.imag_scale, pole_distance=history.pole_distance)
        error = np.abs(decode(net.feedforward(encode(z_grid))) - task_target(z_grid))
        grid[f"error_{name}"] = error.reshape(len(g), len(g)).tolist()
    out["cost_ratio"] = out["real"]["final_test_cost"] / out["complex"]["final_test_cost"]
    return {**out, "grid": grid}


# ------------------------------------------------------------------ MNIST --

def _train(net, train, epochs, m, eta, test, **kwargs):
    """``(history, stopped, message)`` of complex SGD that may stop at a pole or
    diverge; near-pole steps are counted in the history, not warned."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PoleWarning)
        try:
            return net.SGD(train, epochs, m, eta, evaluation_data=test,
                           monitor_evaluation_accuracy=True, **kwargs), "", ""
        except (PoleError, TrainingDiverged) as exc:
            stopped = "pole" if isinstance(exc, PoleError) else "diverged"
            history = ComplexHistory() if exc.history is None else exc.history
            return history, stopped, str(exc)


def _n_real(net):
    return sum(W.size + b.size for W, b in zip(net.weights, net.biases))


def _complex_mnist(cfg, train, test, seed, progress):
    net = ComplexNetwork(cfg["complex_sizes"], seed=seed, imag_scale=cfg["imag_scale"],
                         pole_guard=cfg["pole_guard"], pole_threshold=cfg["pole_threshold"])
    started = time.perf_counter()
    history, stopped, message = _train(net, train, cfg["epochs"], cfg["mini_batch_size"],
                                       cfg["complex_eta"], test, seed=seed + 1,
                                       progress=progress, desc="complex MNIST")
    return {
        "sizes": net.sizes, "n_real_parameters": net.n_real_parameters,
        "eta": cfg["complex_eta"], "imag_scale": cfg["imag_scale"],
        "pole_guard": cfg["pole_guard"], "pole_threshold": cfg["pole_threshold"],
        "correct": history.evaluation_accuracy,
        "accuracy": [c / len(test) for c in history.evaluation_accuracy],
        "initial_pole_distance": jsonable(history.initial_pole_distance),
        "pole_distance": jsonable(history.pole_distance),
        "near_pole_steps": history.near_pole_steps,
        "steps_per_epoch": math.ceil(len(train) / cfg["mini_batch_size"]),
        "epochs_completed": history.epochs_completed, "stopped": stopped,
        "message": message, "seconds": time.perf_counter() - started}


def _instability(cfg, rnet, train, test, seed, progress):
    """Continue the trained real net in complex parameter space from a tiny Im part."""
    net = ComplexNetwork(rnet.sizes, seed=seed, imag_scale=0.0, pole_guard="warn",
                         pole_threshold=cfg["pole_threshold"])
    rng = np.random.default_rng(seed + 2)
    eps = cfg["instability_perturbation"]
    net.set_params([W + 1j * eps * rng.standard_normal(W.shape) for W in rnet.weights],
                   [b.astype(complex) for b in rnet.biases])
    max_imag = [float(max(np.abs(W.imag).max() for W in net.weights))]
    started = time.perf_counter()

    def record(epoch, history, net):
        max_imag.append(float(max(np.abs(W.imag).max() for W in net.weights)))

    history, stopped, _ = _train(net, train, cfg["instability_epochs"],
                                 cfg["mini_batch_size"], cfg["instability_eta"], test,
                                 seed=seed + 3, progress=progress, desc="instability",
                                 callbacks=[record])
    growth = [b / a for a, b in zip(max_imag[:-1], max_imag[1:]) if a > 0]
    return {
        "sizes": net.sizes, "perturbation": eps, "eta": cfg["instability_eta"],
        "epochs": cfg["instability_epochs"], "max_imag_weight": max_imag,
        "growth_per_epoch": growth,
        "accuracy": [c / len(test) for c in history.evaluation_accuracy],
        "pole_distance": jsonable(history.pole_distance),
        "stopped": stopped, "seconds": time.perf_counter() - started}


def run_mnist(cfg, seed, progress=False):
    """Complex vs real network on an MNIST slice, and the instability measurement."""
    from deltanet.datasets import load_mnist
    splits = load_mnist()
    train, test = splits.train[:cfg["n_train"]], splits.test[:cfg["n_test"]]
    result = {"n_train": len(train), "n_test": len(test), "epochs": cfg["epochs"],
              "mini_batch_size": cfg["mini_batch_size"], "cost": "quadratic",
              "evaluated_on": f"first {len(test)} official test images",
              "prediction": "argmax_j Re(a_j) (the nearest one-hot vector)"}
    result["complex"] = _complex_mnist(cfg, train, test, seed, progress)

    rnet = Network(cfg["real_sizes"], cost=QuadraticCost, seed=seed)
    started = time.perf_counter()
    history = rnet.SGD(train, cfg["epochs"], cfg["mini_batch_size"], cfg["real_eta"],
                       evaluation_data=test, monitor_evaluation_accuracy=True,
                       seed=seed + 1, progress=progress, desc="real MNIST")
    result["real"] = {
        "sizes": rnet.sizes, "n_real_parameters": _n_real(rnet), "eta": cfg["real_eta"],
        "correct": history.evaluation_accuracy,
        "accuracy": [c / len(test) for c in history.evaluation_accuracy],
        "seconds": time.perf_counter() - started}
    result["instability"] = _instability(cfg, rnet, train, test, seed, progress)
    return result


# ----------------------------------------------------------------- runner --

def _gradient_check(cfg, seed, progress):
    return gradient_check(seed=seed, **cfg)


PARTS = ("gradient_check", "task", "mnist")     # computed in this order, each stored


def _compute(results, progress, path):
    """The three parts into ``results``, one after the other (see :func:`side_computing`);
    ``results`` stored at ``path`` after every part (an interrupted run keeps what it
    measured), unless ``path`` holds complete results (stored before, or by another
    process meanwhile): those are never replaced by incomplete ones."""
    cfg, seed = results["config"], results["config"]["seed"]
    with side_computing():
        for name, compute in zip(PARTS, (_gradient_check, run_task, run_mnist)):
            t = time.perf_counter()
            results[name] = compute(cfg[name], seed, progress)
            results["timings"][name] = time.perf_counter() - t
            if (_stored(path) or {}).get("complete") is not True:
                atomic_write_json(path, results)
    return results


def run_complex(out_dir, lang="en", quick=False, progress=True, plot=True, call=None):
    """Compute the tutorial task's numbers into ``out_dir/complex/``, draw the figures
    (``plot``, in ``lang``); ``quick``: tiny sizes (seconds, same keys); ``progress``:
    tqdm bars. ``call(function, *args)`` runs the computing (default: here; the sheet
    runs it in a process of its own). Returns the stored results."""
    check_lang(lang)
    folder = check_output_dir(out_dir, ("complex",)) / "complex"
    cfg = QUICK_CONFIG if quick else DEFAULT_CONFIG
    results = {
        "schema": SCHEMA, "deltanet_version": __version__, "numpy_version": np.__version__,
        "complete": False, "config": {"quick": bool(quick), **cfg}, "timings": {},
    }
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    call = call or (lambda function, *args: function(*args))
    try:
        results = call(_compute, results, progress, folder / "results.json")
    except KeyboardInterrupt:
        raise KeyboardInterrupt(_interrupted(folder / "results.json", out_dir)) from None
    results["timings"]["total"] = time.perf_counter() - started
    results["complete"] = True
    atomic_write_json(folder / "results.json", results)
    if plot:
        from deltanet.plots.complex import plot_complex
        with drawing_figures("complex", out_dir):
            plot_complex(results, out_dir, lang=lang)
    return results


def _interrupted(path, out_dir):
    """What a stopped computing left in ``path``, as the message of its Ctrl-C."""
    stored = _stored(path)
    if stored is None:
        return "interrupted before the first part of the complex task finished; nothing saved"
    replot = command("complex", "--replot", "--out", out_dir)
    if stored.get("complete") is True:
        return (f"interrupted: {path} keeps the complete results saved there before "
                f"('{replot}' shows them); the same command computes them again")
    parts = [name for name in PARTS if name in stored]
    return (f"interrupted: the finished parts ({', '.join(parts)}) are saved in {path} "
            f"('{replot}' shows them); the same command computes all parts again")


def _stored(path):
    """The results of this task stored at ``path``, or None."""
    try:
        return read_json(path, SCHEMA)
    except (OSError, ValueError):
        return None


def load_complex_results(out_dir):
    """Read ``out_dir/complex/results.json`` (checked to be this experiment's)."""
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"--out {str(folder)!r} exists and is not a directory")
    return read_json(folder / "complex" / "results.json", SCHEMA,
                     command("complex", "--out", out_dir))


# ---------------------------------------------------------------- summary --

def format_complex_summary(results, lang="en", out_dir=None):
    """The printed answers: the report's tutorial sections as text (figures from ``out_dir``)."""
    from deltanet.report.text import part_text
    return part_text("complex", results, out_dir, lang)


def _current(results, quick):
    """Complete and computed with the sheet's sizes (``quick`` or not)."""
    return results["complete"] is True and results["config"] == jsonable(
        dict(QUICK_CONFIG if quick else DEFAULT_CONFIG, quick=bool(quick)))


def side_part():
    """The complex task as the sheet and ``deltanet complex`` run it (its current functions)."""
    from deltanet.plots.complex import plot_complex
    return SidePart("complex", SCHEMA, run=run_complex, draw=plot_complex, redraw=plot_complex,
                    load=load_complex_results, current=_current,
                    summary=format_complex_summary)
