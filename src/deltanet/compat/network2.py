"""Drop-in replacement for the course's ``network2.py``, on deltanet's fast core.

Change one line of a course script::

    from deltanet.compat import network2, mnist_loader   # was: import network2, mnist_loader

and it runs unchanged, with the same numbers as the original under the same
seeds (same accuracy counts every epoch, costs equal to about 1e-13) and many
times faster. This module is an adapter, not a second engine: a
:class:`Network` holds a :class:`deltanet.network.Network` (float64) and
delegates every forward pass, backprop and update to
:func:`deltanet.network.forward`, :func:`deltanet.network.backward`,
:func:`deltanet.network.feedforward` and :func:`deltanet.train.sgd_step`.

What is reproduced exactly
--------------------------
* Initialization from NumPy's legacy global generator in the original order:
  all biases ``np.random.randn(n_out, 1)``, then all weights
  ``np.random.randn(n_out, n_in) / sqrt(n_in)`` (without the division for
  :meth:`Network.large_weight_initializer`).
* ``SGD`` shuffles the caller's list in place with ``random.shuffle`` every
  epoch and walks it in consecutive slices of ``mini_batch_size``; the update
  is ``w <- (1 - eta*lmbda/n) w - (eta/m) sum nabla_w``,
  ``b <- b - (eta/m) sum nabla_b`` with ``n = len(training_data)``.
* ``total_cost`` adds ``0.5*(lmbda/len(data))*sum ||w||^2`` with ``len(data)``
  of the evaluated set (the original's choice; deltanet's own ``SGD`` uses the
  training-set size), and the costs are the original formulas, including
  ``nan_to_num`` in the cross-entropy.
* The printed lines of ``SGD`` (silence them with ``network2.VERBOSE = False``
  or ``SGD(..., verbose=False)``) and the four returned lists.

How it is fast
--------------
``SGD`` converts the list of ``(x, y)`` columns to two arrays once per call
(samples in rows, float64). After each in-place ``random.shuffle`` of the
caller's list the epoch's order is read back through a dict ``id(pair) ->
row`` built once, and the mini-batches are slices of the reordered rows: one
matrix product per layer per mini-batch instead of one per sample. Monitoring
feeds each data set forward once and takes its cost and its accuracy from the
same outputs (the original feeds the evaluation data forward three times).

Differences from the original (all where the original fails or is silently
wrong): bad input raises ``ValueError``/``TypeError`` that names the argument,
what was received and what is allowed, and leaves the network, the list and
both random generators untouched; ``sigmoid`` is the overflow-free
:func:`scipy.special.expit` (equal to ``1/(1+exp(-z))`` wherever that does not
overflow); ``net.weights = ws`` stores copies, so later in-place edits of
``ws`` do not reach the network; ``save`` also works when ``cost`` is an
instance; ``load`` accepts only the two cost names instead of looking up any
name in the module; integer labels are one-hot encoded with ``sizes[-1]``
classes (network2's ``vectorized_result`` always makes 10).
"""

import random
from collections.abc import MutableSequence, Sequence

import numpy as np

from deltanet.activations import sigmoid as _stable_sigmoid
from deltanet.costs import batched, get_cost
from deltanet.data import Data
from deltanet.loop import History, fit, per_batch
from deltanet.network import Network as CoreNetwork
from deltanet.network import backward, book_layout, check_int, check_number, feedforward, forward
from deltanet.train import sgd_step

__all__ = ["Network", "QuadraticCost", "CrossEntropyCost", "load", "vectorized_result",
           "sigmoid", "sigmoid_prime", "VERBOSE"]

VERBOSE = True
"""Print the per-epoch lines of ``SGD`` (set to False to silence every network)."""

_CHUNK_ROWS = 4096   # rows gathered or fed forward at once (bounds temporaries)


# ---------------------------------------------------------------- functions --

def sigmoid(z):
    """The sigmoid function 1 / (1 + exp(-z)), without overflow warnings."""
    return _stable_sigmoid(z)


def sigmoid_prime(z):
    """Derivative of the sigmoid function, sigma(z) (1 - sigma(z))."""
    s = _stable_sigmoid(z)
    return s * (1 - s)


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
    """C = sum(nan_to_num(-y ln a - (1 - y) ln(1 - a))), the original formula.

    ``nan_to_num`` turns the ``0 * log(0)`` of a saturated output into 0 and
    an infinite cost into the largest float, exactly as in network2; the
    logarithms of 0 are taken under ``np.errstate`` so that they do not warn.
    """

    @staticmethod
    def fn(a, y):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.sum(np.nan_to_num(-y * np.log(a) - (1 - y) * np.log(1 - a)))

    @staticmethod
    def delta(z, a, y):
        """Output error delta^L = a - y (BP1; sigma'(z) cancels)."""
        return a - y

    @staticmethod
    def sample_costs(A, Y):
        """``fn`` of every row of ``A`` (n, n_out) against ``Y``: shape (n,)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.nan_to_num(-Y * np.log(A) - (1 - Y) * np.log(1 - A)).sum(axis=1)


# network2's class for each entry of deltanet's COSTS registry.
_COMPAT_COSTS = {"quadratic": QuadraticCost, "cross-entropy": CrossEntropyCost}


def _resolve_cost(cost):
    """(network2 cost class, deltanet cost class) for ``cost``; checks it."""
    try:
        core_cost = get_cost(cost)
    except (TypeError, ValueError):
        raise ValueError(
            f"cost must be network2.QuadraticCost or network2.CrossEntropyCost (the "
            f"class or an instance); got {cost!r}. deltanet's network2 supports only "
            "these two costs") from None
    return _COMPAT_COSTS[core_cost.name], core_cost


# ------------------------------------------------------------------- checks --

def _is_integer_label(y):
    if isinstance(y, (bool, np.bool_)):
        return False
    if isinstance(y, (int, np.integer)):
        return True
    return isinstance(y, np.ndarray) and y.ndim == 0 and y.dtype.kind in "iu"


def _shape_of(value):
    try:
        return np.shape(value)
    except ValueError:
        return "ragged"


def _describe(value):
    if _is_integer_label(value):
        return f"the integer label {int(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


# --------------------------------------------------------------------- data --

class _Arrays:
    """A list of network2 pairs ``(x, y)`` as arrays, checked once.

    ``X`` (n, n_in) and ``Y`` (n, n_out) are float64 with samples in rows;
    ``labels`` (n,) are the classes (the integer labels, or ``argmax`` of the
    target columns); ``integer_labels`` tells which format the list used.
    """

    __slots__ = ("X", "Y", "labels", "integer_labels")

    def __init__(self, X, Y, labels, integer_labels):
        self.X, self.Y, self.labels, self.integer_labels = X, Y, labels, integer_labels

    def __len__(self):
        return len(self.labels)


def _as_arrays(data, name, sizes):
    """Check network2-style ``data`` for a net of ``sizes``; return :class:`_Arrays`."""
    n_in, n_out = sizes[0], sizes[-1]
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
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
    X = _stack_columns(xs, f"{name}", "x", n_in, "sizes[0] inputs")
    if _is_integer_label(ys[0]):
        labels = _integer_labels(ys, name, n_out)
        Y = np.zeros((n, n_out))
        Y[np.arange(n), labels] = 1.0
        return _Arrays(X, Y, labels, True)
    for i, y in enumerate(ys):
        if _is_integer_label(y):
            raise ValueError(
                f"{name} mixes label formats: {name}[0] has a target column but {name}[{i}] "
                f"has {_describe(y)}; use integer labels for validation/test data and "
                "columns vectorized_result(j) for training data, not both")
    Y = _stack_columns(ys, name, "y", n_out, "sizes[-1] outputs")
    return _Arrays(X, Y, Y.argmax(axis=1), False)


def _stack_columns(columns, name, what, size, meaning):
    """Stack columns of shape (size, 1) into float64 rows (n, size)."""
    expected = (size, 1)
    stacked = np.empty((len(columns),) + expected)
    try:
        np.stack(columns, out=stacked)           # one pass, cast to float64 (same_kind)
    except (TypeError, ValueError):
        for i, c in enumerate(columns):
            shape = _shape_of(c)
            if shape != expected:
                hint = f"; use {what}.reshape(-1, 1)" if shape == (size,) else ""
                raise ValueError(
                    f"{name}[{i}]: {what} must be a column of shape {expected} "
                    f"({meaning} = {size}); got {_describe(c)}{hint}") from None
            if np.asarray(c).dtype.kind not in "biuf":
                raise TypeError(f"{name}[{i}]: {what} must hold real numbers; got dtype "
                                f"{np.asarray(c).dtype}") from None
        raise
    stacked = stacked.reshape(len(columns), size)
    finite = np.isfinite(stacked).all(axis=1)
    if not finite.all():
        raise ValueError(f"{name}[{int(np.argmin(finite))}]: {what} contains NaN or "
                         "infinity; clean or drop that sample")
    return stacked


def _integer_labels(ys, name, n_out):
    try:
        labels = np.array(ys)
    except ValueError:
        labels = None
    if labels is None or labels.ndim != 1 or labels.dtype.kind not in "iu":
        i, y = next((i, y) for i, y in enumerate(ys) if not _is_integer_label(y))
        raise ValueError(
            f"{name} mixes label formats: {name}[0] has an integer label but {name}[{i}] "
            f"has {_describe(y)}; use integer labels for validation/test data and columns "
            "vectorized_result(j) for training data, not both")
    bad = (labels < 0) | (labels >= n_out)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{i}]: label {labels[i]} is not a class 0..{n_out - 1} "
                         f"(the output layer has {n_out} neurons)")
    return labels.astype(np.int64, copy=False)


def _check_convert(data, method, convert, name="data"):
    """Refuse a ``convert`` flag that does not fit the label format of ``data``."""
    # accuracy wants convert=True for target columns, total_cost for integer labels.
    needs = (not data.integer_labels) if method == "accuracy" else data.integer_labels
    if bool(convert) != needs:
        has = ("integer labels (like validation_data/test_data)" if data.integer_labels
               else "target columns y (n_out, 1) (like training_data)")
        raise ValueError(f"{method}({name}, convert={bool(convert)}) does not fit: {name} has "
                         f"{has}; use convert={needs}")


# ---------------------------------------------------------- parameter lists --

class _LayerList(list):
    """network2's list of per-layer arrays; item assignment reaches the network.

    The items are views of the network's parameters, so in-place edits
    (``net.weights[0][2, 3] = 0.5``) take effect; ``net.weights[1] = w`` and
    ``net.weights = [...]`` go through the checked setter. The number of
    layers is fixed, so methods that change the length are refused. Copies
    (``copy.deepcopy``, pickling, ``list(...)``, slicing) are plain lists.
    """

    __slots__ = ("_net", "_attr")

    def __init__(self, arrays, net, attr):
        super().__init__(arrays)
        self._net, self._attr = net, attr

    def __setitem__(self, index, value):
        items = list(self)
        items[index] = value
        setattr(self._net, self._attr, items)          # checked; no change on error
        list.__setitem__(self, slice(None), getattr(self._net, self._attr))

    def _fixed_length(self, *args, **kwargs):
        raise TypeError(f"net.{self._attr} has one array per layer ({len(self)}), fixed by "
                        f"sizes; assign a whole list instead: net.{self._attr} = [...]")

    append = extend = insert = pop = remove = clear = sort = reverse = _fixed_length
    __delitem__ = __iadd__ = __imul__ = _fixed_length

    def __reduce_ex__(self, protocol):
        return list, (list(self),)


# ------------------------------------------------------------------ network --

class Network:
    """network2's ``Network`` with the same attributes, methods and numbers.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, input first, e.g. ``[784, 30, 10]``.
    cost : QuadraticCost or CrossEntropyCost, the class or an instance
        (deltanet's cost classes and registry names are accepted too).

    Attributes
    ----------
    num_layers, sizes
    weights : list of arrays (n_out, n_in), the book's w^l
    biases : list of arrays (n_out, 1)
    cost : the cost as given
    core : the :class:`deltanet.network.Network` that holds the parameters
        (float64, samples in rows: ``core.weights[l]`` is ``weights[l].T``).

    ``weights`` and ``biases`` are views of ``core``'s arrays: reading,
    editing in place and assigning all act on the network. Assigning copies
    the given arrays (in C order, so the arithmetic does not depend on how
    the parameters were set). As in the original, training replaces the
    arrays, so arrays read before ``SGD`` keep their old values.

    Examples
    --------
    >>> import random, numpy as np
    >>> random.seed(1); np.random.seed(1)
    >>> net = Network([2, 3, 1], cost=CrossEntropyCost)
    >>> net.feedforward(np.array([[0.0], [1.0]])).shape
    (1, 1)
    """

    def __init__(self, sizes, cost=CrossEntropyCost):
        compat_cost, core_cost = _resolve_cost(cost)
        # Checks sizes before a single random number is drawn.
        self._core = CoreNetwork(sizes, cost=core_cost, seed=0, dtype="float64")
        self._cost, self._compat_cost = cost, compat_cost
        if isinstance(cost, str):
            self._cost = compat_cost
        self.default_weight_initializer()

    def __repr__(self):
        return f"network2.Network({self.sizes}, cost={self._compat_cost.__name__})"

    # -- attributes -----------------------------------------------------
    @property
    def core(self):
        return self._core

    @property
    def sizes(self):
        return list(self._core.sizes)

    @property
    def num_layers(self):
        return len(self._core.sizes)

    @property
    def cost(self):
        return self._cost

    @cost.setter
    def cost(self, cost):
        compat_cost, core_cost = _resolve_cost(cost)
        self._cost = compat_cost if isinstance(cost, str) else cost
        self._compat_cost = compat_cost
        self._core.cost = core_cost

    @property
    def weights(self):
        return _LayerList([W.T for W in self._core.weights], self, "weights")

    @weights.setter
    def weights(self, weights):
        shapes = [(n_out, n_in) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        arrays = self._checked_layers("weights", weights, shapes)
        self._core.weights = [book_layout(w.T) for w in arrays]   # (n_in, n_out) view of w

    @property
    def biases(self):
        return _LayerList([b.reshape(-1, 1) for b in self._core.biases], self, "biases")

    @biases.setter
    def biases(self, biases):
        shapes = [(n_out, 1) for n_out in self.sizes[1:]]
        arrays = self._checked_layers("biases", biases, shapes)
        self._core.biases = [b.reshape(-1).copy() for b in arrays]

    def _checked_layers(self, name, arrays, shapes):
        if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
            raise TypeError(f"net.{name} must be a list with one array per layer; got "
                            f"{type(arrays).__name__}")
        if len(arrays) != len(shapes):
            raise ValueError(f"net.{name} needs {len(shapes)} arrays for sizes {self.sizes}; "
                             f"got {len(arrays)}")
        checked = []
        for l, (array, shape) in enumerate(zip(arrays, shapes)):
            try:
                array = np.asarray(array, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"net.{name}[{l}] must be an array of real numbers ({exc})") \
                    from None
            if array.shape != shape:
                hint = ("; it looks transposed: network2 stores w^l as (n_out, n_in)"
                        if array.shape == shape[::-1] and name == "weights" else "")
                raise ValueError(f"net.{name}[{l}] must have shape {shape} for sizes "
                                 f"{self.sizes}; got {array.shape}{hint}")
            checked.append(array)
        return checked

    def _detach(self):
        """Give training fresh parameter arrays, as network2's updates do.

        Arrays the caller read before keep their values: in the original each
        update builds new arrays.
        """
        self._core.weights = [W.copy(order="K") for W in self._core.weights]
        self._core.biases = [b.copy() for b in self._core.biases]

    # -- initialization -------------------------------------------------
    def default_weight_initializer(self):
        """Weights N(0, 1/n_in), biases N(0, 1), from np.random (legacy).

        All biases are drawn first, then all weights, as in network2.
        """
        sizes = self.sizes
        biases = [np.random.randn(n_out, 1) for n_out in sizes[1:]]
        weights = [np.random.randn(n_out, n_in) / np.sqrt(n_in)
                   for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self._set_initial(weights, biases)

    def large_weight_initializer(self):
        """Weights and biases N(0, 1), drawn in the same order."""
        sizes = self.sizes
        biases = [np.random.randn(n_out, 1) for n_out in sizes[1:]]
        weights = [np.random.randn(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self._set_initial(weights, biases)

    def _set_initial(self, weights, biases):
        self._core.weights = [book_layout(w.T) for w in weights]
        self._core.biases = [b.reshape(-1) for b in biases]

    # -- evaluation -----------------------------------------------------
    def feedforward(self, a):
        """Output for the input column ``a`` of shape (n_in, 1).

        A matrix (n_in, k) of k columns gives the k outputs (n_out, k).
        """
        a = np.asarray(a)
        n_in = self._core.sizes[0]
        if a.ndim != 2 or a.shape[0] != n_in:
            hint = "; use a.reshape(-1, 1)" if a.shape == (n_in,) else ""
            raise ValueError(f"feedforward: a must be a column of shape ({n_in}, 1) "
                             f"(sizes[0] = {n_in}); got shape {a.shape}{hint}")
        if a.dtype.kind not in "biuf":
            raise TypeError(f"feedforward: a must hold real numbers; got dtype {a.dtype}")
        X = a.T.astype(np.float64)                       # (k, n_in), samples in rows
        return feedforward(self._core.weights, self._core.biases, X).T   # (n_out, k)

    def accuracy(self, data, convert=False):
        """Number of samples whose largest output is the right class.

        ``convert=False`` for integer labels (validation/test data),
        ``convert=True`` for target columns (training data); the other flag
        raises ``ValueError`` instead of returning a wrong count.
        """
        arrays = _as_arrays(data, "data", self._core.sizes)
        _check_convert(arrays, "accuracy", convert)
        return self._measure(arrays, cost=False)[1]

    def total_cost(self, data, lmbda, convert=False):
        """Mean cost over ``data`` plus ``0.5*(lmbda/len(data))*sum ||w||^2``.

        ``convert=False`` for target columns (training data), ``convert=True``
        for integer labels (validation/test data), which are one-hot encoded.
        """
        lmbda = check_number("lmbda", lmbda, positive=False)
        arrays = _as_arrays(data, "data", self._core.sizes)
        _check_convert(arrays, "total_cost", convert)
        return self._cost_with_penalty(self._measure(arrays, cost=True)[0], arrays, lmbda)

    def _measure(self, data, cost):
        """(summed cost, correct count) from one forward pass over ``data``."""
        weights, biases = self._core.weights, self._core.biases
        total, correct = 0.0, 0
        for start in range(0, len(data), _CHUNK_ROWS):
            rows = slice(start, start + _CHUNK_ROWS)
            a = feedforward(weights, biases, data.X[rows])          # (k, n_out)
            if cost:
                total += float(self._compat_cost.sample_costs(a, data.Y[rows]).sum())
            correct += int(np.count_nonzero(a.argmax(axis=1) == data.labels[rows]))
        return total, correct

    def _cost_with_penalty(self, total, data, lmbda):
        # L2 term with len(data) of the evaluated set, as in network2.
        n = len(data)
        penalty = 0.5 * (lmbda / n) * sum(np.linalg.norm(W) ** 2 for W in self._core.weights)
        return np.float64(total / n + penalty)

    # -- training -------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, lmbda=0.0,
            evaluation_data=None, monitor_evaluation_cost=False,
            monitor_evaluation_accuracy=False, monitor_training_cost=False,
            monitor_training_accuracy=False, *, verbose=None):
        """Mini-batch stochastic gradient descent, exactly as network2's ``SGD``.

        Each epoch shuffles ``training_data`` in place with ``random.shuffle``,
        updates on consecutive mini-batches of ``mini_batch_size`` (the last
        may be shorter), then monitors in the order training cost, training
        accuracy, evaluation cost, evaluation accuracy.

        Parameters
        ----------
        training_data : list of (x (n_in, 1), y (n_out, 1)) pairs (shuffled in place)
        epochs, mini_batch_size : int
        eta : float, learning rate
        lmbda : float, L2 regularization parameter
        evaluation_data : list of (x (n_in, 1), int label) pairs, optional
        monitor_* : bool
        verbose : bool, optional (keyword only, not in network2)
            Print the per-epoch lines; default :data:`VERBOSE`.

        Returns
        -------
        (evaluation_cost, evaluation_accuracy, training_cost, training_accuracy)
            Per-epoch lists; a list is empty when its flag is off.
        """
        epochs = check_int("epochs", epochs, 0)
        m = check_int("mini_batch_size", mini_batch_size, 1)
        eta = check_number("eta", eta, positive=True)
        lmbda = check_number("lmbda", lmbda, positive=False)
        if not isinstance(training_data, MutableSequence):
            raise TypeError(f"training_data must be a list (SGD shuffles it in place, like "
                            f"network2); got {type(training_data).__name__}: pass "
                            "list(training_data)")
        train = _as_arrays(training_data, "training_data", self._core.sizes)
        if train.integer_labels:
            raise ValueError(
                "training_data has integer labels; SGD needs target columns y of shape "
                f"({self._core.sizes[-1]}, 1), e.g. vectorized_result(j) (the format of "
                "load_data_wrapper()'s training_data)")
        evaluation = None
        if monitor_evaluation_cost or monitor_evaluation_accuracy:
            if evaluation_data is None:
                raise ValueError("monitor_evaluation_cost/monitor_evaluation_accuracy need "
                                 "evaluation_data (e.g. validation_data or test_data)")
            evaluation = _as_arrays(evaluation_data, "evaluation_data", self._core.sizes)
            if not evaluation.integer_labels:
                raise ValueError(
                    "evaluation_data has target columns; SGD evaluates it like network2 "
                    "(total_cost(..., convert=True), accuracy(..., convert=False)), which "
                    "needs integer labels like validation_data/test_data")
        verbose = VERBOSE if verbose is None else bool(verbose)

        n = len(training_data)
        row_of = {id(pair): row for row, pair in enumerate(training_data)}
        history = History()
        if epochs:
            self._detach()
        core, cost = self._core, batched(self._core.cost)
        decay = 1 - eta * (lmbda / n)

        def step(X, Y):
            sgd_step(core.weights, core.biases, cost, X, Y, eta, decay)

        def order():        # the caller's list, shuffled in place, read back as rows
            random.shuffle(training_data)
            return np.fromiter(map(row_of.__getitem__, map(id, training_data)),
                               dtype=np.intp, count=n)

        monitored = (("training", train, monitor_training_cost, monitor_training_accuracy,
                      history.training_cost, history.training_accuracy),
                     ("evaluation", evaluation, monitor_evaluation_cost,
                      monitor_evaluation_accuracy, history.evaluation_cost,
                      history.evaluation_accuracy))

        def monitor(j, history):        # network2's order, lines and L2 term
            if verbose:
                print("Epoch %s training complete" % j)
            for name, data, with_cost, with_accuracy, costs, counts in monitored:
                if data is None or not (with_cost or with_accuracy):
                    continue
                total, correct = self._measure(data, cost=with_cost)
                if with_cost:
                    costs.append(self._cost_with_penalty(total, data, lmbda))
                    if verbose:
                        print("Cost on {} data: {}".format(name, costs[-1]))
                if with_accuracy:
                    counts.append(correct)
                    if verbose:
                        print("Accuracy on {} data: {} / {}".format(name, correct, len(data)))
            if verbose:
                print()

        data = Data(train.X, 1.0, core.sizes[-1], Y=train.Y)
        # network2 trains on through NaN: no finiteness check. Ctrl-C keeps the
        # parameters of the last completed epoch (deltanet's rule).
        fit(core, epochs, per_batch(step, data, m, np.float64), order, history, monitor,
            check_finite=False)
        return tuple(history)

    def update_mini_batch(self, mini_batch, eta, lmbda, n):
        """One gradient-descent step on ``mini_batch`` (a list of (x, y) pairs).

        ``w <- (1 - eta*(lmbda/n)) w - (eta/len(mini_batch)) sum nabla_w``,
        ``b <- b - (eta/len(mini_batch)) sum nabla_b``; ``n`` is the size of
        the whole training set.
        """
        eta = check_number("eta", eta, positive=True)
        lmbda = check_number("lmbda", lmbda, positive=False)
        n = check_number("n", n, positive=True)
        batch = _as_arrays(mini_batch, "mini_batch", self._core.sizes)
        if batch.integer_labels:
            raise ValueError("mini_batch has integer labels; update_mini_batch needs target "
                             "columns y (n_out, 1), e.g. vectorized_result(j)")
        self._detach()
        sgd_step(self._core.weights, self._core.biases, self._core.cost, batch.X, batch.Y,
                 eta, 1 - eta * (lmbda / n))

    def backprop(self, x, y):
        """Gradient of the cost of one sample: ``(nabla_b, nabla_w)``.

        Lists in network2's shapes, (n_out, 1) and (n_out, n_in) per layer.
        """
        sample = _as_arrays([(x, y)], "(x, y)", self._core.sizes)
        if sample.integer_labels:
            raise ValueError("backprop needs a target column y of shape "
                             f"({self._core.sizes[-1]}, 1), e.g. vectorized_result(j); "
                             "got an integer label")
        zs, activations = forward(self._core.weights, self._core.biases, sample.X)
        delta = self._core.cost.delta(zs[-1], activations[-1], sample.Y)     # BP1 (1, n_L)
        nabla_w, nabla_b = backward(self._core.weights, activations, delta)   # BP2-BP4
        return ([nb.reshape(-1, 1) for nb in nabla_b],
                [np.ascontiguousarray(nw.T) for nw in nabla_w])

    # -- files ----------------------------------------------------------
    def save(self, filename):
        """Write the network as JSON in network2's layout (atomically)."""
        self._core.save(filename)


def load(filename):
    """Load a network saved by ``save`` (this module's, network2's or deltanet's).

    The file is checked completely first; an unknown cost name raises
    ``ValueError``. Like the original, the new network draws its initial
    parameters from ``np.random`` before they are replaced, so the global
    generator advances exactly as it would under network2.
    """
    stored = CoreNetwork.load(filename)
    net = Network(stored.sizes, cost=_COMPAT_COSTS[stored.cost.name])
    net.weights = [W.T for W in stored.weights]
    net.biases = [b.reshape(-1, 1) for b in stored.biases]
    return net
