"""The sigmoid network: parameters, initializers, forward pass and backprop.

Convention: **samples in rows.** The book writes one sample as a column vector,
``a^l = sigma(w^l a^{l-1} + b^l)`` with ``w^l`` of shape ``(n_out, n_in)``.
Here a mini-batch of ``m`` samples is a matrix ``A`` of shape ``(m, n)``, one
sample per row, and a layer is ``Z^l = A^{l-1} W^l + b^l`` with
``W^l = (w^l)^T`` of shape ``(n_in, n_out)`` and ``b^l`` of shape ``(n_out,)``.
Row ``x`` of ``A`` is the book's column ``a`` transposed, so every equation
below is the book's, transposed. In memory ``W^l`` *is* the book's ``w^l``:
the ``(n_in, n_out)`` array is stored in Fortran order, which is ``w^l`` row by
row. BLAS then reads the first layer's 784-long rows of ``w^l`` contiguously:
``A @ W`` for a mini-batch about twice as fast (``benchmarks/bench_core.py``).

Backpropagation over a mini-batch (the four equations of the sheet):

* BP1  ``delta^L = dC/da^L * sigma'(z^L)``   (computed by ``cost.delta``)
* BP2  ``delta^l = (delta^{l+1} (W^{l+1})^T) * sigma'(z^l)``
* BP3  ``dC/db^l = sum over the batch of delta^l``
* BP4  ``dC/dW^l = (A^{l-1})^T delta^l``

:func:`forward` and :func:`backward` are pure functions of the parameters, so a
gradient check, a per-layer probe or the complex network (:mod:`deltanet.complex`)
is one call on the same code; :func:`sgd_step` fuses them with the update (the
step ``Network.SGD`` hands to :func:`deltanet.loop.fit` where the kernel does not).

Layers are numbered as on the sheet: layer 1 is the input layer, so
``weights[0]`` is ``w^2``, the weights into the first hidden layer.
"""

import functools
import inspect
import math

import numpy as np

from deltanet import kernel
from deltanet.activations import sigmoid, sigmoid_prime_from_output
from deltanet.costs import COSTS, batched, cost_name, get_cost, saved_name
from deltanet.data import WIDER, as_data, check_array, check_fits, check_labels, real_dtype
from deltanet.limits import ParameterError, check_choice, check_int, is_integer
from deltanet.loop import History, divergence_hint, fit, per_batch
from deltanet.serialization import atomic_write_json, malformed, network_to_dict, read_network

__all__ = ["Network", "BaseNetwork", "forward", "backward", "feedforward", "sgd_step",
           "INITIALIZERS", "ParameterError"]

DTYPES = {"float32": np.float32, "float64": np.float64}


# ---------------------------------------------------------------- pure math --

def feedforward(weights, biases, X):
    """Output activations ``A^L`` for inputs ``X`` of shape ``(m, n_in)``."""
    a = X
    for W, b in zip(weights, biases):
        z = np.dot(a, W)                            # (m, n_out); np.dot: see backward
        z += b
        a = sigmoid(z, out=z)
    return a


def forward(weights, biases, X, sigma=sigmoid, inspect=None):
    """Forward pass keeping what backprop needs.

    Returns ``(zs, activations)``: ``zs[l]`` is the weighted input of layer
    ``l + 2`` and ``activations[0] = X``, ``activations[l + 1] = sigma(zs[l])``.
    The complex network passes its own ``sigma`` and an ``inspect(l, z)``
    that sees each ``z`` before the activation (its pole guard).
    """
    zs, activations = [], [X]
    a = X
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = np.dot(a, W)                            # (m, n_out)
        z += b
        if inspect is not None:
            inspect(l, z)
        a = sigma(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def backward(weights, activations, delta):
    """Backpropagate the output error ``delta = dC/dz^L`` (BP1, shape (m, n_L)).

    Returns ``(nabla_w, nabla_b)``: gradients summed over the ``m`` samples,
    with the shapes of ``weights`` and ``biases``. The result is linear in
    ``delta``, so a caller may pre-scale ``delta`` (the SGD step folds
    ``eta / m`` into it). The same code serves complex-valued networks: BP2
    uses the plain transpose, and ``sigma' = a (1 - a)`` holds for complex z.
    """
    n_layers = len(weights)
    nabla_w = [None] * n_layers
    nabla_b = [None] * n_layers
    for l in range(n_layers - 1, -1, -1):
        nabla_b[l] = delta.sum(axis=0)                       # BP3  (n_out,)
        nabla_w[l] = np.dot(activations[l].T, delta)         # BP4 (n_in, n_out), BLAS at m=1
        if l > 0:
            delta = np.dot(delta, weights[l].T)              # BP2  (m, n_in)
            delta *= sigmoid_prime_from_output(activations[l])
    return nabla_w, nabla_b


# ----------------------------------------------------------- the fused step --

def sgd_step(weights, biases, cost, X, Y, eta, decay=1.0):
    """One gradient-descent step on the mini-batch ``(X, Y)``, in place.

    :func:`backward`'s equations walked from the output with the update: BP3
    and BP4 go straight into ``b`` and ``W`` with the factor ``-eta / m``, one
    BLAS call each (:func:`_descend_bias`, :func:`_descend`), keeping no gradient.
    """
    zs, activations = forward(weights, biases, X)
    delta = cost.delta(zs[-1], activations[-1], Y)           # BP1   (m, n_L)
    alpha = -eta / len(X)
    for l in range(len(weights) - 1, -1, -1):
        W, delta_l = weights[l], delta                       # (n_in, n_out), (m, n_out)
        if l > 0:                                            # BP2, with W before its update
            delta = delta_l @ W.T                            # (m, n_in)
            delta *= sigmoid_prime_from_output(activations[l])
        _descend_bias(biases[l], delta_l, alpha)             # BP3:  b <- b - (eta/m) sum delta
        _descend(W, activations[l], delta_l, alpha, decay)   # BP4:  W <- decay W - (eta/m) A^T delta


_GEMM, _GEMV = {}, {}       # BLAS routines by dtype, filled on the first step


def _blas_for(routines, out, a, b):
    """The BLAS routine that may write into ``out``, else None: only a writeable array
    of its dtype (SciPy's wrappers silently work on a copy otherwise; complex takes NumPy)."""
    if not routines:
        from scipy.linalg import blas
        _GEMM.update({np.dtype(np.float32): blas.sgemm, np.dtype(np.float64): blas.dgemm})
        _GEMV.update({np.dtype(np.float32): blas.sgemv, np.dtype(np.float64): blas.dgemv})
    if out.flags.writeable and a.dtype == b.dtype == out.dtype:
        return routines.get(out.dtype)
    return None


def _descend(W, A, delta, alpha, decay):
    """``W <- decay * W + alpha * A^T delta`` in place (BP4 and the update together): one
    BLAS ``gemm`` into ``W`` (or its transpose), no temporary gradient (a quarter of the
    step time for [784, 30, 10])."""
    gemm = _blas_for(_GEMM, W, A, delta)
    if gemm is not None and W.flags.f_contiguous:
        gemm(alpha, A.T, delta.T, decay, W, trans_b=True, overwrite_c=True)
    elif gemm is not None and W.flags.c_contiguous:
        gemm(alpha, delta.T, A.T, decay, W.T, trans_b=True, overwrite_c=True)
    else:
        if decay != 1.0:
            W *= decay                                       # L2 weight decay
        W += alpha * (A.T @ delta)


@functools.lru_cache(maxsize=16)
def _ones(m, dtype):
    """A read-only vector of ``m`` ones (the row sum of BP3 as a product)."""
    ones = np.ones(m, dtype)
    ones.flags.writeable = False
    return ones


def _descend_bias(b, delta, alpha):
    """``b <- b + alpha * sum_rows(delta)`` in place: one BLAS ``gemv`` with ones
    (a third of NumPy's time)."""
    gemv = _blas_for(_GEMV, b, delta, delta)
    if gemv is not None and b.flags.c_contiguous:
        gemv(alpha, delta.T, _ones(len(delta), b.dtype), 1.0, b, overwrite_y=True)
    else:
        b += alpha * delta.sum(axis=0)


# ------------------------------------------------------------ initializers --

def default_initializer(sizes, rng, dtype, scaled=True):
    """Weights N(0, 1/n_in), biases N(0, 1); unless ``scaled`` ("large"), weights
    N(0, 1) as in the book's chapter 1 network."""
    weights = [rng.standard_normal((n_in, n_out)) / (np.sqrt(n_in) if scaled else 1)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal(n_out) for n_out in sizes[1:]]
    return [np.array(w, dtype, order="F") for w in weights], [b.astype(dtype) for b in biases]


INITIALIZERS = {"default": default_initializer,
                "large": functools.partial(default_initializer, scaled=False)}


# ------------------------------------------------------------------ checks --

def check_number(name, value, positive):
    """``value`` as a float if a finite real number > 0 (``positive``) or >= 0, else
    the error (strings are refused, not parsed)."""
    allowed = "a finite number > 0" if positive else "a finite number >= 0"
    try:        # Python's float and int (the usual case) without NumPy calls
        if type(value) is not float and type(value) is not int and (
                isinstance(value, (str, bytes, bool, np.bool_)) or np.iscomplexobj(value)
                or np.ndim(value)):
            raise TypeError
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be {allowed}; got {value!r}") from None
    except OverflowError:       # an int beyond the floats, such as 10**400
        x = math.inf
    if not math.isfinite(x) or (x <= 0 if positive else x < 0):
        raise ValueError(f"{name} must be {allowed}; got {value!r}")
    return x


def check_sgd(epochs, mini_batch_size, eta, lmbda):
    """``(epochs, mini_batch_size, eta, lmbda)`` of an ``SGD`` call, checked."""
    return (check_int("epochs", epochs, 0), check_int("mini_batch_size", mini_batch_size, 1),
            check_number("eta", eta, positive=True), check_number("lmbda", lmbda, positive=False))


def check_decay(eta, lmbda, n, dtype):
    """The weight-decay factor ``1 - eta * lmbda / n``, or ``ValueError`` if a network of
    ``dtype`` would store it more than 10 % of ``eta * lmbda / n`` off (float32 resolves
    numbers near 1 only in steps of 6e-8: lmbda 0.001 on 50,000 images would act as 0)."""
    shrink = eta * lmbda / n
    real = real_dtype(dtype)
    stored = float(real.type(1.0 - shrink))
    if abs((1.0 - stored) - shrink) > 0.1 * shrink:
        wider = WIDER.get(np.dtype(dtype).name)
        raise ValueError(
            f"lmbda={lmbda:g}: a {np.dtype(dtype).name} network stores the weight-decay factor "
            f"1 - eta*lmbda/n = 1 - {shrink:.3g} as {stored!r} ({real.name} steps near 1 are "
            f"{np.finfo(real).epsneg:.2g}), so lmbda would act as {(1.0 - stored) * n / eta:.3g}"
            f"; use {f'dtype={wider!r} or ' if wider else ''}a larger eta*lmbda/n")
    return 1.0 - shrink


def check_sizes(sizes):
    """``sizes`` as a list of ints: at least 2 widths, each an integer >= 1."""
    message = ("sizes must list at least 2 layer widths, each a positive integer "
               f"(e.g. [784, 30, 10]); got {sizes!r}")
    if isinstance(sizes, (str, bytes)) or not np.iterable(sizes) or not all(
            map(is_integer, sizes)):
        raise ParameterError(message)
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(message)
    return sizes


def check_seed(seed):
    """``np.random.default_rng(seed)``, or the error naming ``seed``."""
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise ParameterError("seed must be None, an integer >= 0, a sequence of them or a "
                             f"numpy Generator; got {seed!r}") from None


# ------------------------------------------------------------- parameters --

class BaseNetwork:
    """What the real and the complex network share (sizes, parameters and their
    checks, L2 term, evaluation, ``SGD``). Subclasses set ``DTYPES``, ``KIND``,
    :meth:`_initial`, :meth:`_feed` (evaluation's forward pass), :meth:`_trainer`.
    """

    DTYPES = DTYPES
    KIND = "f"              # the numpy kind of parameters and what training writes
    KINDS = "biuf"          # the kinds of numbers accepted as inputs and parameters
    ORDER = "F"             # memory layout of assigned weights (the module docstring)
    EVAL_CHUNK = 2048       # rows per forward pass when monitoring
    HISTORY = History
    STOPS = {}              # errors fit() records in history.stopped, with the reason

    def __init__(self, sizes, cost="cross-entropy", *, init="default", seed=None,
                 dtype="float64"):
        self.sizes = check_sizes(sizes)
        self.cost = self._resolve_cost(cost)
        key = dtype if isinstance(dtype, str) else np.dtype(dtype).name
        self.dtype = self.DTYPES[check_choice("dtype", key, self.DTYPES)]
        initializer = INITIALIZERS[check_choice("init", init, INITIALIZERS)]
        self.rng = check_seed(seed)
        self.init = init
        self.weights, self.biases = self._initial(initializer)

    _resolve_cost = staticmethod(get_cost)

    def _initial(self, initializer):
        return initializer(self.sizes, self.rng, self.dtype)

    @property
    def num_layers(self):
        return len(self.sizes)

    def _shapes(self):
        """``(l, (n_in, n_out))`` per weight matrix; ``weights[l]`` is ``w^{l+2}``."""
        return enumerate(zip(self.sizes[:-1], self.sizes[1:]))

    def _repr_html_(self):
        from deltanet.notebook import network_html
        return network_html(self)

    def get_params(self):
        """A deep copy of ``(weights, biases)`` (memory layout kept)."""
        return [W.copy(order="K") for W in self.weights], [b.copy() for b in self.biases]

    def set_params(self, weights, biases):
        """Replace the parameters (checked against ``sizes``; copied, cast)."""
        self._check_count(weights, biases, "weights and biases")
        new_w, new_b = [], []
        for l, (n_in, n_out) in self._shapes():
            W = check_array(f"weights[{l}]", weights[l], f"({n_in}, {n_out})", self.KINDS)
            b = check_array(f"biases[{l}]", biases[l], f"({n_out},)", self.KINDS)
            check_fits(f"weights[{l}]", W, self.dtype)
            check_fits(f"biases[{l}]", b, self.dtype)
            W = np.array(W, dtype=self.dtype, order=self.ORDER)
            b = np.array(b, dtype=self.dtype).reshape(-1)
            if W.shape != (n_in, n_out) or b.shape != (n_out,):
                raise ValueError(f"layer {l + 2}: expected weights w^{l + 2} {(n_in, n_out)} "
                                 f"and biases b^{l + 2} {(n_out,)}; got {W.shape} and "
                                 f"{b.shape}")
            new_w.append(W)
            new_b.append(b)
        self.weights, self.biases = new_w, new_b

    def _check_count(self, weights, biases, what):
        n = len(self.sizes) - 1
        if len(weights) != n or len(biases) != n:
            raise ValueError(f"{what} need {n} arrays each for sizes {self.sizes}; "
                             f"got {len(weights)} and {len(biases)}")

    def check_trainable(self):
        """Parameters assigned by hand must fit ``sizes``, be writeable and of the
        network's kind: the step updates them in place."""
        self._check_count(self.weights, self.biases, "net.weights and net.biases")
        for l, (n_in, n_out) in self._shapes():
            for name, a, shape in (("weights", self.weights[l], (n_in, n_out)),
                                   ("biases", self.biases[l], (n_out,))):
                if not isinstance(a, np.ndarray) or a.shape != shape:
                    got = getattr(a, "shape", type(a).__name__)
                    raise ValueError(f"net.{name}[{l}] must be an array of shape {shape} for "
                                     f"sizes {self.sizes}; got {got}. Use net.set_params(...)")
                if a.dtype.kind != self.KIND:
                    raise ValueError(f"net.{name}[{l}] has dtype {a.dtype}, but training "
                                     f"updates it in place with {np.dtype(self.dtype).name} "
                                     "numbers; assign np.asarray(..., dtype=net.dtype) or use "
                                     "net.set_params(...)")
                if not a.flags.writeable:
                    raise ValueError(f"net.{name}[{l}] is read-only, but training updates it "
                                     "in place; assign a writeable copy (np.array(...)) first")

    def l2_penalty(self, lmbda, n):
        """``0.5 (lmbda / n) sum ||w||^2`` (for complex w: ``|w|^2 = Re^2 + Im^2``)."""
        if lmbda == 0:
            return 0.0
        return 0.5 * (lmbda / n) * sum(float(np.vdot(W, W).real) for W in self.weights)

    def _inputs(self, X):
        """``X`` checked (numeric, finite, ``(m, n_in)``) and cast for a forward pass."""
        X = np.atleast_2d(check_array("X", X, f"(m, {self.sizes[0]})", self.KINDS))
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (m, {self.sizes[0]}) (sizes[0] = "
                             f"{self.sizes[0]}); got {X.shape}")
        check_fits("X", X, self.dtype)
        return X.astype(self.dtype if X.dtype.kind == "c" else np.finfo(self.dtype).dtype,
                        copy=False)

    def _batch(self, X, Y):
        """``(X, Y)`` checked and cast for a gradient or a step, a mean over the ``m >= 1``
        samples: ``Y`` targets (m, n_out) or ``m`` class labels."""
        X = self._inputs(X)
        m = len(X)
        if m == 0:
            raise ValueError("a gradient or a step is a mean over samples: give at least one "
                             "sample; got X with 0 rows")
        n_out = self.sizes[-1]
        given = check_array("Y", Y, f"({m}, {n_out})", self.KINDS)
        if given.ndim == 1 and n_out > 1 and len(given) == m:    # class labels, as in SGD
            given = np.eye(n_out)[check_labels(given, n_out, "Y")]
        Y = np.atleast_2d(given)
        if Y.shape != (m, n_out):
            raise ValueError(f"Y must have shape ({m}, {n_out}) for {m} inputs and "
                             f"sizes[-1] = {n_out}, or be {m} class labels; got {given.shape}")
        check_fits("Y", Y, self.dtype)
        return X, Y.astype(self.dtype, copy=False)

    def feedforward(self, X):
        """Output activations ``a^L`` for ``X`` (m, n_in) (or one sample)."""
        return self._feed()(self._inputs(X))

    def predict(self, X):
        """Class = argmax_j Re(a_j): the one-hot vector nearest to ``a``, since
        ``||e_c - a||^2 = ||a||^2 - 2 Re(a_c) + 1``. A network with one output neuron
        has no classes (``ValueError``), as ``evaluate`` counts none for it."""
        if self.sizes[-1] == 1:
            raise ValueError("predict needs 2 or more output neurons (classes); with one, "
                             "argmax is always 0: threshold net.feedforward(X) instead, "
                             "e.g. net.feedforward(X)[:, 0] > 0.5")
        return np.argmax(self.feedforward(X).real, axis=1)

    def gradient(self, X, Y):
        """Mean gradient ``(nabla_w, nabla_b)`` over ``(X, Y)`` without L2 term, ``Y`` targets
        (m, n_out) or class labels (m,) (BP1 from the cost, BP2-BP4 from :func:`backward`;
        Wirtinger derivatives if complex)."""
        X, Y = self._batch(X, Y)
        zs, activations = self._forward(X)
        delta = batched(self.cost).delta(zs[-1], activations[-1], Y)     # BP1
        delta /= len(X)
        return backward(self.weights, activations, delta)

    def _data(self, data, name):
        data = as_data(data, self.sizes, name, complex_ok="c" in self.KINDS)
        check_fits(f"{name} inputs", data.images, self.dtype, data.scale)
        if data.Y is not None:
            check_fits(f"{name} targets", data.Y, self.dtype)
        return data

    # -- training --------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, lmbda=0.0,
            evaluation_data=None, monitor_evaluation_cost=False,
            monitor_evaluation_accuracy=False, monitor_training_cost=False,
            monitor_training_accuracy=False, *, seed=None, progress=False, verbose=False,
            callbacks=(), desc="training", **options):
        """Mini-batch SGD in place, ``W <- (1 - eta lmbda / n) W - (eta / m) sum nabla_W``;
        returns a :class:`History`.

        Each epoch shuffles (``seed``, default the network's generator), walks
        mini-batches (the last may be shorter) and evaluates the monitored sets
        (costs with the L2 term, ``n`` = training-set size). Data: a Dataset,
        ``(X, Y)`` (labels, one-hot rows or targets) or network2's pairs.
        ``progress``: a tqdm bar; ``verbose``: a line per epoch; ``callbacks``:
        ``f(epoch, history, net)``. :class:`Network` also takes
        ``monitor_gradient_norms`` and ``gradient_samples``. Raises
        :class:`TrainingDiverged` or, on Ctrl-C, :class:`TrainingInterrupted`;
        these and any other error (a callback's) leave the last completed epoch's
        parameters and carry ``.history``.
        """
        epochs, m, eta, lmbda = check_sgd(epochs, mini_batch_size, eta, lmbda)
        extra = list(inspect.signature(self._trainer).parameters)[5:]   # after train, ..., decay
        for name in options:
            if name not in extra:
                also = f"; it also takes {', '.join(extra)}" if extra else ""
                raise TypeError(f"{type(self).__name__}.SGD() got an unexpected keyword "
                                f"argument {name!r}{also}")
        train = self._data(training_data, "training_data")
        evaluation = None
        if evaluation_data is not None:
            evaluation = self._data(evaluation_data, "evaluation_data")
        elif monitor_evaluation_cost or monitor_evaluation_accuracy:
            raise ValueError("monitor_evaluation_cost/accuracy need evaluation_data")
        monitored = {"training": (train, monitor_training_cost, monitor_training_accuracy),
                     "evaluation": (evaluation, monitor_evaluation_cost,
                                    monitor_evaluation_accuracy)}
        for what, (data, _, with_accuracy) in monitored.items():
            if with_accuracy and data.labels is None:
                raise ValueError(f"monitor accuracy needs class labels: {what}_data has "
                                 "targets that are not one-hot")
        self.check_trainable()
        rng = self.rng if seed is None else check_seed(seed)
        n = len(train)
        history = self.HISTORY(
            n_training=n, n_evaluation=len(evaluation) if evaluation else 0,
            config=dict(sizes=list(self.sizes), cost=cost_name(self.cost), epochs=epochs,
                        mini_batch_size=m, eta=eta, lmbda=lmbda,
                        dtype=np.dtype(self.dtype).name, **self._extra_config()))
        decay = check_decay(eta, lmbda, n, self.dtype)
        epoch_step, after_epoch, feed = self._trainer(train, history, m, eta, decay, **options)

        def monitor(epoch, history):
            if after_epoch is not None:
                after_epoch(epoch, history)
            penalty = self.l2_penalty(lmbda, n)
            for what, (data, with_cost, with_accuracy) in monitored.items():
                if data is not None and (with_cost or with_accuracy):
                    mean, correct = self._measure(data, feed, with_cost, self.EVAL_CHUNK,
                                                  every_epoch=True)
                    if with_cost:
                        getattr(history, f"{what}_cost").append(mean + penalty)
                    if with_accuracy:
                        getattr(history, f"{what}_accuracy").append(correct)

        return fit(self, epochs, epoch_step, lambda: rng.permutation(n), history, monitor,
                   callbacks=callbacks, progress=progress, verbose=verbose, desc=desc,
                   hint=divergence_hint(eta, lmbda, n), stops=self.STOPS)

    def _extra_config(self):
        return {}

    def _measure(self, data, feed, with_cost, chunk_size, every_epoch=False):
        """``(mean cost, correct count)`` on ``data``: ``feed(X)`` per chunk of rows."""
        return data.evaluate(feed, batched(self.cost), self.dtype, chunk_size, with_cost)


# ------------------------------------------------------------------ network --

class Network(BaseNetwork):
    """A fully connected sigmoid network.

    ``sizes``: neurons per layer, input first (``[784, 30, 10]``); ``cost``: a
    registry name, a cost class or any class with static ``fn(a, y)`` and
    ``delta(z, a, y)`` (:mod:`deltanet.costs`); ``init``: ``"default"`` (weights
    N(0, 1/n_in)) or ``"large"`` (N(0, 1)); ``seed``: the initial parameters and,
    unless ``SGD`` gets its own, the shuffling; ``dtype``: ``"float64"`` (exact)
    or ``"float32"`` (fast). ``weights[l]`` is (n_in, n_out), the book's ``w^l``
    transposed (its memory: Fortran order); ``biases[l]`` is (n_out,).

    Training and monitoring run the compiled kernel (:mod:`deltanet.kernel`)
    for a built-in cost, labelled data, parameters of the network's dtype and
    where ``kernel.use_kernel(sizes, m, dtype)`` says it is faster; everything
    else runs :func:`sgd_step`, the reference the kernel is tested against.

    >>> net = Network([2, 3, 1], seed=0)
    >>> net.feedforward([[0.0, 1.0]]).shape
    (1, 1)
    """

    def __repr__(self):
        return (f"Network(sizes={self.sizes}, cost={cost_name(self.cost)!r}, "
                f"dtype={np.dtype(self.dtype).name!r})")

    # -- evaluation -----------------------------------------------------
    def evaluate(self, data, lmbda=0.0, n_train=None, chunk_size=10_000):
        """``(mean cost + 0.5 (lmbda / n_train) sum ||w||^2, correct count)`` on ``data``
        from one forward pass; ``n_train`` defaults to ``len(data)``, the count is
        None for targets that are not class labels."""
        lmbda = check_number("lmbda", lmbda, positive=False)
        chunk_size = check_int("chunk_size", chunk_size, 1)
        data = self._data(data, "data")
        n_train = len(data) if n_train is None else check_int("n_train", n_train, 1)
        cost, correct = self._measure(data, self._feed(), True, chunk_size)
        return cost + self.l2_penalty(lmbda, n_train), correct

    def _kernel_cost(self, data, mini_batch_size):
        """The cost's name if the kernel does this job (``mini_batch_size=None``:
        monitoring), else None. The inputs' nonzeros are listed only where the rule
        needs them (``kernel.use_kernel(..., sparse=True)``)."""
        name = getattr(self.cost, "name", None)
        rule = functools.partial(kernel.use_kernel, self.sizes, mini_batch_size, self.dtype)
        if (name in kernel.COST_CODES and COSTS.get(name) is self.cost
                and data.labels is not None
                and all(a.dtype == self.dtype for a in self.weights + self.biases)
                and (rule() or rule(sparse=True) and self._nonzeros(data) is not None)):
            return name
        return None

    def _measure(self, data, feed, with_cost, chunk_size, every_epoch=False):
        name = self._kernel_cost(data, None)
        if name is None:
            return super()._measure(data, feed, with_cost, chunk_size)
        total, correct = kernel.evaluate(self.weights, self.biases, data.images, data.scale,
                                         data.labels, name, with_cost,
                                         self._nonzeros(data) if every_epoch else None)
        return total / len(data), correct

    def _nonzeros(self, data):
        """The nonzero inputs of a set trained on or measured every epoch, found once
        (:func:`deltanet.kernel.nonzeros`), if the kernel's sparse first layer pays."""
        width = self.sizes[1]
        return data.kept(f"nonzeros {width}", lambda images: kernel.nonzeros(images, width))

    def _feed(self):
        return lambda X: feedforward(self.weights, self.biases, X)

    def _forward(self, X):
        return forward(self.weights, self.biases, X)

    # -- training --------------------------------------------------------
    def _trainer(self, train, history, m, eta, decay, monitor_gradient_norms=False,
                 gradient_samples=1000):
        """The epoch step (kernel or :func:`sgd_step`), the gradient-norm monitor and
        the forward pass for monitoring."""
        gradient_samples = check_int("gradient_samples", gradient_samples, 1)

        def epoch_step(order):      # per epoch: a callback may assign parameters or a cost
            name = self._kernel_cost(train, m)
            if name is None:
                cost = batched(self.cost)
                return per_batch(lambda X, Y: sgd_step(self.weights, self.biases, cost, X, Y,
                                                       eta, decay), train, m, self.dtype)(order)
            kernel.train_epoch(self.weights, self.biases, train.images, train.scale,
                               train.labels, order, m, eta, decay, name, self._nonzeros(train))

        def norms():
            rows = slice(gradient_samples)
            _, nabla_b = self.gradient(train.rows(rows, self.dtype),
                                       train.targets(rows, self.dtype))
            return [float(np.linalg.norm(nb)) for nb in nabla_b]

        def after_epoch(epoch, history):
            history.gradient_norms.append(norms())

        if monitor_gradient_norms:
            history.initial_gradient_norms = norms()
        return epoch_step, (after_epoch if monitor_gradient_norms else None), self._feed()

    # -- files ------------------------------------------------------------
    def save(self, path):
        """Write the network as JSON in network2's layout (atomically); a cost of your
        own named like a built-in one is refused (:func:`deltanet.costs.saved_name`)."""
        saved_name(self.cost)
        atomic_write_json(path, network_to_dict(self))

    @classmethod
    def load(cls, path, dtype="float64"):
        """Read a network saved by :meth:`save` or network2's ``save`` (a cost of your
        own must be registered first: :func:`deltanet.costs.register_cost`)."""
        sizes, cost, weights, biases = read_network(path)      # checked: sizes, cost, shapes
        net = cls(sizes, cost=cost, dtype=dtype, seed=0)
        try:
            net.set_params(weights, biases)
        except ValueError as exc:                               # too large for float32
            raise malformed(path, str(exc)) from None
        return net
