"""Drop-in replacement for the course's ``network2.py``, on deltanet's fast core
(README, "The course's scripts": what a script gets, when the numbers are identical).

An adapter, not a second engine: updates are :func:`sgd_step` and data sets are
fed forward by the core, on views of the network's own arrays; only one column
of a float64 network runs network2's own arithmetic (cheaper than conversion).
Attributes are plain, as in network2; methods read the architecture from the
parameters' shapes, and every update builds new lists of new arrays. Lists of
``(x, y)`` columns become arrays (samples in rows) once per ``SGD``; integer labels
are one-hot encoded with ``sizes[-1]`` classes. Where network2 fails or is silently
wrong, bad input raises ``ValueError`` or ``TypeError`` naming the argument and
changes nothing.
"""

import json
import math
import operator
import random
import threading
from collections.abc import MutableSequence, Sequence

import numpy as np

from deltanet import costs as core_costs
from deltanet.activations import sigmoid, sigmoid_prime
from deltanet.datasets.base import describe
from deltanet.loop import History, fit
from deltanet.network import Network as CoreNetwork
from deltanet.network import (ParameterError, backward, check_number, check_sgd, check_sizes,
                              feedforward, forward)
from deltanet.serialization import atomic_write_text, network_to_dict, read_network
from deltanet.train import sgd_step

__all__ = ["Network", "QuadraticCost", "CrossEntropyCost", "load", "vectorized_result",
           "sigmoid", "sigmoid_prime", "VERBOSE"]

VERBOSE = True
"""Print the per-epoch lines of ``SGD`` (set to False to silence every network)."""

_CHUNK_ROWS = 4096   # rows gathered or fed forward at once (bounds temporaries)
_CHUNK_COLUMNS = 512  # columns fed forward at once by feedforward
_CACHED_LISTS = 4    # converted data sets kept for accuracy/total_cost
_F64 = np.dtype(np.float64)
_MEANING = {"x": "sizes[0] inputs", "a": "sizes[0] inputs", "y": "sizes[-1] outputs"}


def vectorized_result(j):
    """A (10, 1) column with 1.0 at position ``j`` and zeros elsewhere."""
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


# -------------------------------------------------------------------- costs --

class QuadraticCost:
    """C = 1/2 ||a - y||^2 for one sample (columns ``a``, ``y``)."""

    @staticmethod
    def fn(a, y):
        return 0.5 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        """Output error delta^L = (a - y) sigma'(z) (BP1)."""
        return (a - y) * sigmoid_prime(z)

    @staticmethod
    def sample_costs(A, Y):
        """``fn`` of every row of ``A`` (n, n_out) against ``Y``: shape (n,)."""
        return 0.5 * np.square(A - Y).sum(axis=1)


class CrossEntropyCost:
    """C = sum(nan_to_num(-y ln a - (1 - y) ln(1 - a))), the original formula
    (``nan_to_num`` makes a saturated output's 0 ln 0 zero, as in network2)."""

    @staticmethod
    def _terms(a, y):
        if 0 < np.min(a, initial=1) and np.max(a, initial=0) < 1:     # all finite: no warnings
            return -y * np.log(a) - (1 - y) * np.log(1 - a)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a))

    @staticmethod
    def fn(a, y):
        return np.sum(CrossEntropyCost._terms(a, y))

    @staticmethod
    def delta(z, a, y):
        """Output error delta^L = a - y (BP1; sigma'(z) cancels)."""
        return a - y

    @staticmethod
    def sample_costs(A, Y):
        return CrossEntropyCost._terms(A, Y).sum(axis=1)


# (network2's class, the core's class) of either.
_PAIRS = {cls: pair for pair in ((QuadraticCost, core_costs.QuadraticCost),
                                 (CrossEntropyCost, core_costs.CrossEntropyCost)) for cls in pair}


class ColumnCost:
    """A cost of your own called on columns, as network2 calls it (one subclass per class
    or instance, named like it: :func:`column_cost`). ``delta`` gets all columns of a
    mini-batch at once if the first mini-batch shows that this equals per-sample calls.
    """

    custom = None       # the user's class or instance
    takes_rows = True   # the core passes rows to this adapter as is (costs.batched)
    batched = None      # None until probed, then whether delta takes (n_out, m)

    @classmethod
    def delta(cls, z, a, y):
        if len(z) == 1 or cls.batched:
            return cls._checked(cls.custom.delta(z.T, a.T, y.T), z.shape[::-1]).T
        columns = np.hstack([cls._checked(cls.custom.delta(*(v[i, :, None] for v in (z, a, y))),
                                          (z.shape[1], 1)) for i in range(len(z))])
        if cls.batched is None:
            try:
                batch = cls._checked(cls.custom.delta(z.T, a.T, y.T), columns.shape)
                cls.batched = bool(np.allclose(batch, columns, rtol=1e-12, atol=0, equal_nan=True))
            except Exception:           # any failure on a batch: per-sample calls
                cls.batched = False
        return columns.T

    @classmethod
    def _checked(cls, delta, shape):
        delta = np.asarray(delta)
        if delta.shape != shape:
            raise ValueError(f"{cls.name}.delta(z, a, y) must return an array of "
                             f"the shape of z {shape}; got shape {delta.shape}")
        return delta

    @classmethod
    def sample_costs(cls, A, Y):
        return np.array([cls.custom.fn(a[:, None], y[:, None]) for a, y in zip(A, Y)],
                        dtype=np.float64)

    @classmethod
    def fn(cls, a, y):
        return cls.sample_costs(np.atleast_2d(a), np.atleast_2d(y)).sum()


_COLUMN_COSTS = {}


def column_cost(custom):
    """The :class:`ColumnCost` subclass for the cost class or instance ``custom``
    (made once; an instance's methods are called bound, as network2 calls them)."""
    if id(custom) not in _COLUMN_COSTS:         # the entry keeps ``custom``, so its id
        cls = custom if isinstance(custom, type) else type(custom)
        _COLUMN_COSTS[id(custom)] = type(cls.__name__, (ColumnCost,), {
            "custom": custom, "name": cls.__name__, "__qualname__": cls.__qualname__,
            "__module__": cls.__module__})
    return _COLUMN_COSTS[id(custom)]


def _resolve_cost(cost):
    """(class with ``sample_costs``, class for the core) for network2's ``cost``."""
    if isinstance(cost, str):
        try:
            cost = core_costs.get_cost(cost)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"cost: {exc}") from None
    cls = cost if isinstance(cost, type) else type(cost)
    if cls in _PAIRS:
        return _PAIRS[cls]
    if issubclass(cls, ColumnCost):
        return cls, cls
    if callable(getattr(cost, "fn", None)) and callable(getattr(cost, "delta", None)):
        adapter = column_cost(cost)
        return adapter, adapter
    raise ValueError(
        f"cost must be network2.QuadraticCost, network2.CrossEntropyCost or a class with "
        f"static methods fn(a, y) and delta(z, a, y) (class or instance); got {cost!r}")


# ------------------------------------------------- one column, book layout --

def _book_backprop(weights, biases, cost, x, y):
    """network2's ``backprop`` of one column on its stored (n_out, n_in) float64 arrays:
    ``(nabla_b, nabla_w)`` in its shapes; ``x`` cast first (np.dot's promotion, faster)."""
    zs, activations = [], [x.astype(_F64, copy=False)]
    for w, b in zip(weights, biases):
        z = np.dot(w, activations[-1])
        z += b
        zs.append(z)
        activations.append(sigmoid(z))
    delta = cost.delta(zs[-1], activations[-1], y)                 # BP1
    nabla_b, nabla_w = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        nabla_b[l], nabla_w[l] = delta, np.dot(delta, activations[l].T)       # BP3, BP4
        if l:
            a = activations[l]
            delta = np.dot(weights[l].T, delta) * (a * (1 - a))    # BP2, sigma' = a (1 - a)
    return nabla_b, nabla_w


# ------------------------------------------------------------------- checks --

def _is_integer_label(y):
    """An int, or a whole-number float such as 3.0 (network2's ``x == y`` counts it)."""
    if isinstance(y, np.ndarray):
        if y.ndim != 0:
            return False
        y = y[()]
    if isinstance(y, (float, np.floating)):
        return math.isfinite(y) and float(y).is_integer()
    return isinstance(y, (int, np.integer)) and not isinstance(y, (bool, np.bool_))


def _describe(value):
    return f"the integer label {int(value)}" if _is_integer_label(value) else describe(value)


def _is_columns(v, size, k=None):
    """True if ``v`` is an array of real numbers, ``size`` rows, ``k`` (or any) columns."""
    return (type(v) is np.ndarray and v.ndim == 2 and v.shape[0] == size
            and (k is None or v.shape[1] == k) and v.dtype.kind in "fiub")


def _column(v, size, name, what, columns=False):
    """``v`` as an array (size, 1) (or (size, k) if ``columns``) of real numbers, else
    the error."""
    if _is_columns(v, size, None if columns else 1):
        return v
    try:
        v = np.asarray(v)
    except ValueError:
        v = None
    if v is None or v.shape != (size, v.shape[1] if columns and v.ndim == 2 else 1):
        hint = f"; use {what}.reshape(-1, 1)" if v is not None and v.shape == (size,) else ""
        raise ValueError(f"{name}: {what} must be a column of shape ({size}, 1) "
                         f"({_MEANING[what]} = {size}); got {_describe(v)}{hint}")
    if v.dtype.kind not in "biuf":
        raise TypeError(f"{name}: {what} must hold real numbers; got dtype {v.dtype}")
    return v


def _number(name, value, positive):
    """``check_number``'s float, or ``value`` as a NumPy float if it is a narrower one
    (float32): network2 computes ``eta / m``, ``1 - eta * (lmbda / n)`` and the L2 term
    in that precision (NumPy's promotion), and so does the drop-in."""
    x = check_number(name, value, positive)
    dtype = getattr(value, "dtype", None)       # NumPy scalars and 0-d arrays
    return dtype.type(value) if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8 else x


def _label_error(name, i, y, n_out, first):
    """The error for the label ``name[i] = y`` of a list whose first label is ``first``."""
    if isinstance(y, (float, np.floating)) and not _is_integer_label(y):
        return ValueError(f"{name}[{i}]: the label {float(y)!r} is not a whole number; labels "
                          f"are the classes 0..{n_out - 1}")
    return ValueError(
        f"{name} mixes label formats: {name}[0] has {first} but {name}[{i}] has "
        f"{_describe(y)}; use integer labels for validation/test data and columns "
        "vectorized_result(j) for training data, not both")


# --------------------------------------------------------------------- data --

_scratch = threading.local()    # .buffer: where chunks of inputs are converted (per thread)


class _Arrays:
    """A list of network2 pairs ``(x, y)`` as float64 arrays, samples in rows, checked;
    ``labels``: the integer labels or ``argmax`` of ``Y``. ``X`` is None until needed
    whole: :meth:`chunks` converts the columns ``xs`` into one reused buffer (a new
    63 MB array costs more in page faults than feeding 10,000 images forward).
    """

    __slots__ = ("X", "Y", "labels", "integer_labels", "xs", "name", "n_in")

    def __init__(self, X, Y, labels, integer_labels, xs, name, n_in):
        self.X, self.Y, self.labels, self.integer_labels = X, Y, labels, integer_labels
        self.xs, self.name, self.n_in = xs, name, n_in

    def __len__(self):
        return len(self.labels)

    def whole(self):
        """Self, with ``X`` converted."""
        if self.X is None:
            self.X = _stack_columns(self.xs, self.n_in, self.name, "x")
        return self

    def chunks(self):
        """``(X, Y, labels)`` of consecutive rows, ``_CHUNK_ROWS`` at a time."""
        if self.X is not None and len(self) <= _CHUNK_ROWS:
            return ((self.X, self.Y, self.labels),)
        return self._chunks()

    def _chunks(self):
        for start in range(0, len(self), _CHUNK_ROWS):
            rows = slice(start, start + _CHUNK_ROWS)
            X = self.X
            if X is None:
                xs = self.xs[rows]
                size = len(xs) * self.n_in
                if getattr(_scratch, "buffer", np.empty(0)).size < size:
                    _scratch.buffer = np.empty(size)
                X = _stack_columns(xs, self.n_in, self.name, "x", _scratch.buffer[:size], start)
            else:
                X = X[rows]
            yield X, self.Y[rows], self.labels[rows]


def _as_arrays(data, name, sizes, whole=True):
    """Check network2-style ``data`` for a net of ``sizes``; return :class:`_Arrays`."""
    n_in, n_out = sizes[0], sizes[-1]
    if type(data) is not list and (isinstance(data, (str, bytes))
                                   or not isinstance(data, Sequence)):
        raise TypeError(f"{name} must be a list of (x, y) pairs; got "
                        f"{type(data).__name__} (wrap it in list(...))")
    n = len(data)
    if n == 0:
        raise ValueError(f"{name} is empty; give at least one (x, y) pair")
    xs, ys = [None] * n, [None] * n
    for i, pair in enumerate(data):
        try:
            xs[i], ys[i] = pair
        except (TypeError, ValueError):
            raise ValueError(f"{name}[{i}] must be a pair (x, y); got "
                             f"{_describe(pair)}") from None
    if n == 1 and _is_columns(xs[0], n_in, 1) and _is_columns(ys[0], n_out, 1):
        X, Y = xs[0].T.astype(_F64), ys[0].T.astype(_F64)       # one sample: two casts
        if _finite(X) and _finite(Y):
            return _Arrays(X, Y, Y.argmax(axis=1), False, xs, name, n_in)
    integer_labels = _is_integer_label(ys[0])
    if integer_labels:
        labels = _integer_labels(ys, name, n_out)
        Y = np.eye(n_out)[labels]
    else:
        if isinstance(ys[0], (float, np.floating)):
            raise _label_error(name, 0, ys[0], n_out, None)
        try:
            Y = _stack_columns(ys, n_out, name, "y")
        except ValueError:
            i = next((i for i, y in enumerate(ys) if _is_integer_label(y)), None)
            if i is not None:
                raise _label_error(name, i, ys[i], n_out, "a target column") from None
            raise
        labels = Y.argmax(axis=1)
    arrays = _Arrays(None, Y, labels, integer_labels, xs, name, n_in)
    return arrays.whole() if whole else arrays


def _stack_columns(columns, size, name, what, out=None, start=0):
    """Columns (size, 1), checked, as float64 rows (n, size) (in the buffer ``out``);
    ``start``: index of the first column in ``name``."""
    shape = (len(columns), size)
    stacked = np.empty(shape) if out is None else out.reshape(shape)
    try:       # one pass, cast to float64 (same_kind); column i is row i of ``stacked``
        np.concatenate(columns, axis=1, out=stacked.T)
    except (TypeError, ValueError):
        for i, c in enumerate(columns):
            _column(c, size, f"{name}[{start + i}]", what)
        raise
    if not _finite(stacked):
        i = start + int(np.argmin(np.isfinite(stacked).all(axis=1)))
        raise ValueError(f"{name}[{i}]: {what} contains NaN or infinity; clean or drop that "
                         "sample")
    return stacked


def _finite(a):
    """True if every entry of ``a`` is finite. A finite sum of squares says so in one quick
    call (NaN and infinities make it NaN or infinite); only an overflow needs the full test."""
    return math.isfinite(np.vdot(a, a)) or bool(np.isfinite(a).all())


def _integer_labels(ys, name, n_out):
    try:
        labels = np.array(ys)
    except ValueError:
        labels = None
    if labels is None or labels.ndim != 1 or labels.dtype.kind not in "iuf" or (
            labels.dtype.kind == "f" and not all(map(_is_integer_label, ys))):
        i = next(i for i, y in enumerate(ys) if not _is_integer_label(y))
        raise _label_error(name, i, ys[i], n_out, "an integer label")
    bad = (labels < 0) | (labels >= n_out)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{i}]: label {labels[i]} is not a class 0..{n_out - 1} "
                         f"(the output layer has {n_out} neurons)")
    return labels.astype(np.int64, copy=False)


_converted = {}     # (id(list), n_in, n_out) -> (the pairs, _Arrays); insertion order = age


def _cached_arrays(data, sizes):
    """:func:`_as_arrays` of ``data`` (any iterable), reused while the same list holds
    the same pairs in the same order (the entry keeps them alive, so ids stay
    unique); inputs are converted whole when a list is seen the second time."""
    if type(data) is not list and not isinstance(data, (Sequence, str, bytes)):
        return _as_arrays(list(data), "data", sizes, False)     # an iterator: used once
    key = (id(data), sizes[0], sizes[-1])
    entry = _converted.get(key)
    if entry is not None and len(entry[0]) == len(data) and all(map(operator.is_, entry[0],
                                                                     data)):
        return entry[1].whole()
    arrays = _as_arrays(data, "data", sizes, False)
    _converted.pop(key, None)
    _converted[key] = (list(data), arrays)
    while len(_converted) > _CACHED_LISTS:
        del _converted[next(iter(_converted))]
    return arrays


# -------------------------------------------------------------- core view --

class _CoreView(CoreNetwork):
    """The core's view of a compat network ``net``: ``weights[l]`` is ``net.weights[l].T``
    (the core's layout), ``biases[l]`` ``net.biases[l]`` as a vector; assigning
    assigns ``net``'s lists. ``rng`` (shuffling in ``core.SGD``) is seeded from
    ``np.random``, the drop-in's source of randomness."""

    def __init__(self, net):            # no initialization: all state is ``net``'s
        self._net = net

    weights = property(lambda self: [w.T for w in self._net.weights],
                       lambda self, ws: setattr(self._net, "weights", [W.T for W in ws]))
    biases = property(lambda self: [b.reshape(-1) for b in self._net.biases],
                      lambda self, bs: setattr(self._net, "biases",
                                               [np.reshape(b, (-1, 1)) for b in bs]))
    sizes = property(lambda self: [self._net.weights[0].shape[1]]
                     + [w.shape[0] for w in self._net.weights])
    cost = property(lambda self: _resolve_cost(self._net.cost)[1])
    dtype = property(lambda self: self._net._layers()[2])
    rng = property(lambda self: np.random.default_rng(np.random.randint(2**32, dtype=np.uint64)))


# ------------------------------------------------------------------ network --

class Network:
    """network2's ``Network([784, 30, 10], cost=CrossEntropyCost)``: same attributes,
    methods and numbers. ``cost``: network2's classes or any class (or instance) with
    static ``fn(a, y)`` and ``delta(z, a, y)``. ``core`` is a
    :class:`deltanet.network.Network` view of the same arrays (samples in rows:
    ``core.weights[l]`` is ``weights[l].T``).

    >>> import random, numpy as np
    >>> random.seed(1); np.random.seed(1)
    >>> net = Network([2, 3, 1], cost=CrossEntropyCost)
    >>> net.feedforward(np.array([[0.0], [1.0]])).shape, net.weights is net.weights
    ((1, 1), True)
    """

    def __init__(self, sizes, cost=CrossEntropyCost):
        check_sizes(sizes)               # before a single random number is drawn
        _resolve_cost(cost)
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.default_weight_initializer()
        self.cost = cost

    def __getstate__(self):             # copies and pickles check their own layers
        return {k: v for k, v in self.__dict__.items() if k != "_checked"}

    def __repr__(self):
        return f"network2.Network({self.sizes}, cost={getattr(self.cost, '__name__', self.cost)})"

    @property
    def core(self):
        """The core's view of this network, checked (see :class:`_CoreView`)."""
        self._layers()
        return _CoreView(self)

    def _layers(self):
        """``(weights, biases, dtype)``: checked views for the core and NumPy's dtype for
        them; kept while the lists hold the same arrays of the same shapes."""
        weights, biases = self.weights, self.biases
        kept = self.__dict__.get("_checked")
        if (kept is not None and kept[0] is weights and kept[1] is biases
                and all(map(operator.is_, kept[2], [*weights, *biases]))
                and kept[3] == [w.shape for w in weights]):
            return kept[4]
        layers = self._check_layers(weights, biases)
        if all(type(p) is np.ndarray for p in (*weights, *biases)) and all(
                b.base is not None for b in layers[1]):        # views only: edits stay visible
            self._keep(weights, biases, layers)
        return layers

    def _keep(self, weights, biases, layers):
        self._checked = (weights, biases, [*weights, *biases], [w.shape for w in weights], layers)
        return layers

    def _check_layers(self, weights, biases):
        for name, value in (("weights", weights), ("biases", biases)):
            if isinstance(value, (np.ndarray, str)) or not isinstance(value, Sequence):
                raise TypeError(f"net.{name} must be a list with one array per layer; got "
                                f"{type(value).__name__}")
        if len(weights) != len(biases) or not weights:
            raise ValueError(f"net.weights and net.biases need one array per layer each; got "
                             f"{len(weights)} and {len(biases)}")
        Ws, bs, n_in = [], [], None
        for l, (w, b) in enumerate(zip(weights, biases)):
            w, b = np.asarray(w), np.asarray(b)
            if w.ndim != 2:
                raise ValueError(f"net.weights[{l}] must be a matrix (n_out, n_in); got shape "
                                 f"{w.shape}")
            if l and w.shape[1] != n_in:
                hint = ("; it looks transposed: network2 stores w^l as (n_out, n_in)"
                        if w.shape[0] == n_in else "")
                raise ValueError(f"net.weights[{l}] must have {n_in} columns (the "
                                 f"{n_in} neurons of layer {l}); got shape {w.shape}{hint}")
            if b.shape != (w.shape[0], 1):
                raise ValueError(f"net.biases[{l}] must have shape ({w.shape[0]}, 1) to fit "
                                 f"net.weights[{l}] {w.shape}; got {b.shape}")
            if w.dtype.kind not in "biuf" or b.dtype.kind not in "biuf":
                raise TypeError(f"net.weights[{l}] and net.biases[{l}] must hold real "
                                f"numbers; got dtypes {w.dtype} and {b.dtype}")
            Ws.append(w.T)
            bs.append(b.reshape(-1))
            n_in = w.shape[0]
        return Ws, bs, np.result_type(np.float32, *Ws, *bs)     # NumPy's, at least float32

    def _detach(self):
        """New lists of new float64 arrays to update in place (arrays read before an
        update keep their values, as in network2); returns their :meth:`_layers`."""
        self.weights = [np.array(w, dtype=np.float64, order="C") for w in self.weights]
        self.biases = [np.array(b, dtype=np.float64, order="C") for b in self.biases]
        return self._keep(self.weights, self.biases, ([w.T for w in self.weights],
                                                      [b.ravel() for b in self.biases],
                                                      _F64))

    # -- initialization -------------------------------------------------
    def default_weight_initializer(self):
        """Weights N(0, 1/n_in), biases N(0, 1) from ``np.random``, biases first."""
        self._initialize(scaled=True)

    def large_weight_initializer(self):
        """Weights and biases N(0, 1), drawn in the same order."""
        self._initialize(scaled=False)

    def _initialize(self, scaled):
        sizes = check_sizes(self.sizes)
        self.biases = [np.random.randn(n_out, 1) for n_out in sizes[1:]]
        self.weights = [np.random.randn(n_out, n_in) / (np.sqrt(n_in) if scaled else 1)
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    # -- evaluation -----------------------------------------------------
    def feedforward(self, a):
        """Output for the input column ``a`` (n_in, 1), or columns (n_in, k)."""
        weights, biases, dtype = self._layers()
        a = _column(a, len(weights[0]), "feedforward", "a", columns=True)
        if a.shape[1] > _CHUNK_COLUMNS:   # cast and multiplied while in cache: ~10% faster
            return np.hstack([self.feedforward(a[:, k:k + _CHUNK_COLUMNS])
                              for k in range(0, a.shape[1], _CHUNK_COLUMNS)])
        if dtype is _F64:                 # the usual call: network2's arithmetic, leaner
            a = a.astype(_F64, copy=False)
            for w, b in zip(self.weights, self.biases):
                a = np.dot(w, a)
                a += b
                sigmoid(a, out=a)
            return a
        a = a.astype(np.promote_types(a.dtype, dtype), copy=False)   # BLAS needs one dtype
        return feedforward(weights, biases, a.T).T                 # (n_out, k)

    def accuracy(self, data, convert=False):
        """Number of samples whose largest output is the right class; ``convert``:
        False for integer labels (test data), True for target columns (training data).
        """
        if hasattr(data, "__len__") and len(data) == 0:     # (an ABC check costs 4 %)
            return 0                    # network2's sum over no samples
        return self._evaluate(data, "accuracy", convert)[1]

    def total_cost(self, data, lmbda, convert=False):
        """Mean cost over ``data`` plus ``0.5*(lmbda/len(data))*sum ||w||^2``; ``convert``:
        False for target columns, True for integer labels (one-hot encoded)."""
        lmbda = _number("lmbda", lmbda, positive=False)
        total, _, data = self._evaluate(data, "total_cost", convert)
        return self._cost_with_penalty(total, data, lmbda)

    def _evaluate(self, data, method, convert):
        layers = self._layers()
        arrays = _cached_arrays(data, (len(layers[0][0]), len(layers[1][-1])))
        # accuracy wants convert=True for target columns, total_cost for integer labels.
        needs = arrays.integer_labels != (method == "accuracy")
        if bool(convert) != needs:
            has = ("integer labels (like validation_data/test_data)" if arrays.integer_labels
                   else "target columns y (n_out, 1) (like training_data)")
            raise ValueError(f"{method}(data, convert={bool(convert)}) does not fit: data "
                             f"has {has}; use convert={needs}")
        return (*self._measure(arrays, method == "total_cost", layers), arrays)

    def _measure(self, data, cost, layers=None):
        """(summed cost, correct count) from one forward pass over ``data``."""
        weights, biases, _ = layers or self._layers()
        sample_costs = cost and _resolve_cost(self.cost)[0].sample_costs
        total, correct = 0.0, 0
        for X, Y, labels in data.chunks():
            a = feedforward(weights, biases, X)                     # (k, n_out)
            if cost:
                total += float(sample_costs(a, Y).sum())
            correct += int(np.count_nonzero(a.argmax(axis=1) == labels))
        return total, correct

    def _cost_with_penalty(self, total, data, lmbda):
        # L2 term with len(data) of the evaluated set, as in network2 (where it
        # is 0.0 for lmbda = 0); ||w||^2 computed as np.linalg.norm(w) ** 2.
        n, penalty = len(data), 0.0
        if lmbda:
            squares = (w.ravel(order="K") for w in self.weights)
            penalty = 0.5 * (lmbda / n) * np.float64(sum(math.sqrt(r @ r) ** 2 for r in squares))
        return np.float64(total / n + penalty)

    # -- training -------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, lmbda=0.0,
            evaluation_data=None, monitor_evaluation_cost=False,
            monitor_evaluation_accuracy=False, monitor_training_cost=False,
            monitor_training_accuracy=False, *, verbose=None):
        """Mini-batch SGD exactly as network2's: each epoch ``random.shuffle``-s the list
        in place, steps on consecutive mini-batches, then monitors. Returns
        ``(evaluation_cost, evaluation_accuracy, training_cost, training_accuracy)``;
        ``verbose`` (default :data:`VERBOSE`) prints the lines."""
        epochs, m, *_ = check_sgd(epochs, mini_batch_size, eta, lmbda)
        eta, lmbda = _number("eta", eta, positive=True), _number("lmbda", lmbda, positive=False)
        if type(training_data) is not list and not isinstance(training_data, MutableSequence):
            raise TypeError(f"training_data must be a list (SGD shuffles it in place, like "
                            f"network2); got {type(training_data).__name__}: pass "
                            "list(training_data)")
        weights, biases, _ = self._layers()
        sizes = (len(weights[0]), len(biases[-1]))
        train = self._labelled(training_data, "training_data", sizes, "SGD")
        evaluation = None
        if monitor_evaluation_cost or monitor_evaluation_accuracy:
            if evaluation_data is None:
                raise ParameterError("monitor_evaluation_cost/monitor_evaluation_accuracy need "
                                     "evaluation_data (e.g. validation_data or test_data)")
            evaluation = _as_arrays(evaluation_data, "evaluation_data", sizes)
            if not evaluation.integer_labels:
                raise ValueError(
                    "evaluation_data has target columns; SGD evaluates it like network2 "
                    "(total_cost(..., convert=True), accuracy(..., convert=False)), which "
                    "needs integer labels like validation_data/test_data")
        verbose = VERBOSE if verbose is None else bool(verbose)
        n = len(training_data)
        row_of = {id(pair): row for row, pair in enumerate(training_data)}
        history = History()
        cost = _resolve_cost(self.cost)[1]
        decay = 1 - eta * (lmbda / n)

        def order():        # the caller's list, shuffled in place, read back as rows
            random.shuffle(training_data)
            return np.fromiter(map(row_of.__getitem__, map(id, training_data)),
                               dtype=np.intp, count=n)

        def epoch_step(order):  # on new arrays: the last epoch's stay as they were
            weights, biases, _ = self._detach()
            for start in range(0, n, m):
                rows = order[start:start + m]
                sgd_step(weights, biases, cost, train.X.take(rows, 0), train.Y.take(rows, 0),
                         eta, decay)

        monitored = (("training", train, monitor_training_cost, monitor_training_accuracy,
                      history.training_cost, history.training_accuracy),
                     ("evaluation", evaluation, monitor_evaluation_cost,
                      monitor_evaluation_accuracy, history.evaluation_cost,
                      history.evaluation_accuracy))

        say = print if verbose else lambda *line: None

        def monitor(j, history):        # network2's order, lines and L2 term
            say("Epoch %s training complete" % j)
            for name, data, with_cost, with_accuracy, costs, counts in monitored:
                if data is None or not (with_cost or with_accuracy):
                    continue
                total, correct = self._measure(data, cost=with_cost)
                if with_cost:
                    costs.append(self._cost_with_penalty(total, data, lmbda))
                    say("Cost on {} data: {}".format(name, costs[-1]))
                if with_accuracy:
                    counts.append(correct)
                    say("Accuracy on {} data: {} / {}".format(name, correct, len(data)))
            say()

        # Like network2: no finiteness check, NumPy's warnings. Ctrl-C puts back the lists
        # of the last completed epoch (deltanet's rule), which epoch_step leaves untouched.
        fit(self, epochs, epoch_step, order, history, monitor, check_finite=False, quiet=False,
            snapshot=lambda: (self.weights, self.biases))
        return tuple(history)

    @staticmethod
    def _labelled(data, name, sizes, method):
        """:func:`_as_arrays` of training data, which need target columns."""
        arrays = _as_arrays(data, name, sizes)
        if arrays.integer_labels:
            raise ValueError(
                f"{name} has integer labels; {method} needs target columns y of shape "
                f"({sizes[-1]}, 1), e.g. vectorized_result(j) (the format of "
                "load_data_wrapper()'s training_data)")
        return arrays

    def update_mini_batch(self, mini_batch, eta, lmbda, n):
        """One step on ``mini_batch`` (pairs): ``w <- (1 - eta*(lmbda/n)) w - (eta/m) sum
        nabla_w``, ``b <- b - (eta/m) sum nabla_b``; ``n``: size of the training set."""
        eta, lmbda = _number("eta", eta, positive=True), _number("lmbda", lmbda, positive=False)
        n = check_number("n", n, positive=True)
        weights, biases, _ = self._layers()
        batch = self._labelled(mini_batch, "mini_batch", (len(weights[0]), len(biases[-1])),
                               "update_mini_batch")
        cost = _resolve_cost(self.cost)[1]
        weights, biases, _ = self._detach()
        sgd_step(weights, biases, cost, batch.X, batch.Y, eta, 1 - eta * (lmbda / n))

    def backprop(self, x, y):
        """Gradient of one sample's cost, ``(nabla_b, nabla_w)`` in network2's shapes."""
        weights, biases, dtype = self._layers()
        n_in, n_out = len(weights[0]), len(biases[-1])
        x = _column(x, n_in, "backprop", "x")
        if _is_integer_label(y):
            raise ValueError(f"backprop needs a target column y of shape ({n_out}, 1), "
                             "e.g. vectorized_result(j); got an integer label")
        y = _column(y, n_out, "backprop", "y")
        cost = _resolve_cost(self.cost)
        if dtype is _F64 and cost[0] in _PAIRS:             # the usual call
            return _book_backprop(self.weights, self.biases, cost[0], x, y)
        X = x.T.astype(np.result_type(dtype, x.dtype, y.dtype), copy=False)     # (1, n_in)
        zs, activations = forward(weights, biases, X)
        delta = cost[1].delta(zs[-1], activations[-1], y.T)                        # BP1 (1, n_L)
        nabla_w, nabla_b = backward(weights, activations, delta)                  # BP2-BP4
        return [nb[:, None] for nb in nabla_b], [nw.T for nw in nabla_w]

    # -- files ----------------------------------------------------------
    def save(self, filename):
        """Write the network as JSON in network2's layout (``cost``: the class name). A
        cost of your own named like network2's but computing other numbers is refused:
        ``load`` (network2's too) would give network2's cost."""
        custom = getattr(self.core.cost, "custom", None)
        if custom is not None:
            core_costs.saved_name(custom if isinstance(custom, type) else type(custom))
        atomic_write_text(filename, json.dumps(network_to_dict(self.core)))


def load(filename):
    """Load a network saved by ``save`` (this module's, network2's or deltanet's).

    The file is checked completely first (:func:`deltanet.serialization.read_network`:
    a known or registered cost, parameters that fit ``sizes`` and are finite).
    Like the original, the network draws initial parameters from ``np.random``
    before they are replaced: the global generator advances as under network2.
    """
    sizes, cost, weights, biases = read_network(filename)
    net = Network(sizes, cost=_PAIRS.get(cost, (cost,))[0])
    net.weights = [W.T for W in weights]
    net.biases = [b.reshape(-1, 1) for b in biases]
    return net
