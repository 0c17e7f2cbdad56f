"""The sigmoid network: parameters, initializers, forward pass and backprop.

Convention: **samples in rows.** The book writes one sample as a column vector,
``a^l = sigma(w^l a^{l-1} + b^l)`` with ``w^l`` of shape ``(n_out, n_in)``.
Here a mini-batch of ``m`` samples is a matrix ``A`` of shape ``(m, n)``, one
sample per row, and a layer is ``Z^l = A^{l-1} W^l + b^l`` with
``W^l = (w^l)^T`` of shape ``(n_in, n_out)`` and ``b^l`` of shape ``(n_out,)``.
Row ``x`` of ``A`` is the book's column ``a`` transposed, so every equation
below is the book's, transposed. In memory ``W^l`` *is* the book's ``w^l``:
the ``(n_in, n_out)`` array is stored in Fortran order, which is ``w^l`` row by
row. BLAS then reads the first layer's 784-long rows of ``w^l`` contiguously,
which makes ``A @ W`` for a mini-batch about twice as fast as with
``(n_in, n_out)`` rows (``benchmarks/bench_core.py`` prints the step time).

Backpropagation over a mini-batch (the four equations of the sheet):

* BP1  ``delta^L = dC/da^L * sigma'(z^L)``   (computed by ``cost.delta``)
* BP2  ``delta^l = (delta^{l+1} (W^{l+1})^T) * sigma'(z^l)``
* BP3  ``dC/db^l = sum over the batch of delta^l``
* BP4  ``dC/dW^l = (A^{l-1})^T delta^l``

:func:`forward` and :func:`backward` are pure functions of the parameters, so a
gradient check, a per-layer gradient probe or the complex-valued network
(:mod:`deltanet.complex`) is one call on the same code.
"""

import numpy as np

from deltanet.activations import sigmoid, sigmoid_prime_from_output
from deltanet.costs import get_cost

__all__ = ["Network", "forward", "backward", "feedforward", "INITIALIZERS", "book_layout"]

DTYPES = {"float32": np.float32, "float64": np.float64}


# ---------------------------------------------------------------- pure math --

def feedforward(weights, biases, X):
    """Output activations ``A^L`` for inputs ``X`` of shape ``(m, n_in)``."""
    a = X
    for W, b in zip(weights, biases):
        z = a @ W                                   # (m, n_out)
        z += b
        a = sigmoid(z, out=z)
    return a


def forward(weights, biases, X):
    """Forward pass keeping what backprop needs.

    Returns ``(zs, activations)``: ``zs[l]`` is the weighted input of layer
    ``l + 1`` and ``activations[0] = X``, ``activations[l + 1] = sigma(zs[l])``.
    """
    zs, activations = [], [X]
    a = X
    for W, b in zip(weights, biases):
        z = a @ W                                   # (m, n_out)
        z += b
        a = sigmoid(z)
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
        nabla_w[l] = activations[l].T @ delta                # BP4  (n_in, n_out)
        if l > 0:
            delta = delta @ weights[l].T                     # BP2  (m, n_in)
            delta *= sigmoid_prime_from_output(activations[l])
    return nabla_w, nabla_b


# ------------------------------------------------------------ initializers --

def book_layout(W, dtype=None):
    """A copy of ``W`` (n_in, n_out) in the core's memory layout (Fortran order)."""
    return np.array(W, dtype=dtype, order="F")


def default_initializer(sizes, rng, dtype):
    """Weights N(0, 1/n_in), biases N(0, 1): neurons start unsaturated."""
    weights = [rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal(n_out) for n_out in sizes[1:]]
    return [book_layout(w, dtype) for w in weights], [b.astype(dtype) for b in biases]


def large_initializer(sizes, rng, dtype):
    """Weights and biases N(0, 1), as in the book's chapter 1 network."""
    weights = [rng.standard_normal((n_in, n_out))
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal(n_out) for n_out in sizes[1:]]
    return [book_layout(w, dtype) for w in weights], [b.astype(dtype) for b in biases]


INITIALIZERS = {"default": default_initializer, "large": large_initializer}


# ------------------------------------------------------------------ checks --

def check_int(name, value, minimum):
    """``value`` as an int if it is an integer >= ``minimum``, else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_number(name, value, positive):
    """``value`` as a float if finite and > 0 (``positive``) or >= 0, else ``ValueError``."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = np.nan
    if isinstance(value, bool) or not np.isfinite(x) or (x <= 0 if positive else x < 0):
        raise ValueError(f"{name} must be a finite number {'> 0' if positive else '>= 0'}; "
                         f"got {value!r}")
    return x


def check_sizes(sizes):
    try:
        sizes = [int(s) for s in sizes]
        ok = len(sizes) >= 2 and all(s >= 1 for s in sizes)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            "sizes must list at least 2 layer widths, each a positive integer "
            f"(e.g. [784, 30, 10]); got {sizes!r}")
    return sizes


def check_dtype(dtype):
    key = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    if key not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}; got {dtype!r}")
    return DTYPES[key]


def check_choice(name, value, registry):
    if value not in registry:
        raise ValueError(f"{name} must be one of {', '.join(registry)}; got {value!r}")
    return registry[value]


# ------------------------------------------------------------------ network --

class Network:
    """A fully connected sigmoid network.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, input first, e.g. ``[784, 30, 10]``.
    cost : QuadraticCost, CrossEntropyCost or registry name
    init : {"default", "large"}
        ``"default"``: weights N(0, 1/n_in), biases N(0, 1);
        ``"large"``: weights N(0, 1).
    seed : int, numpy.random.Generator or None
        Source of the initial parameters and, unless ``SGD`` gets its own
        seed, of the shuffling: the same seed gives the identical run.
    dtype : "float64" (default, exact) or "float32" (fast)

    Attributes
    ----------
    weights : list of arrays (n_in, n_out)   (the book's w^l transposed; stored
        in Fortran order, i.e. the memory of w^l; any layout assigned still works)
    biases : list of arrays (n_out,)

    Examples
    --------
    >>> net = Network([2, 3, 1], seed=0)
    >>> net.feedforward([[0.0, 1.0]]).shape
    (1, 1)
    """

    def __init__(self, sizes, cost="cross-entropy", *, init="default", seed=None,
                 dtype="float64"):
        self.sizes = check_sizes(sizes)
        self.cost = get_cost(cost)
        self.dtype = check_dtype(dtype)
        initializer = check_choice("init", init, INITIALIZERS)
        self.rng = np.random.default_rng(seed)
        self.init = init
        self.weights, self.biases = initializer(self.sizes, self.rng, self.dtype)

    @property
    def num_layers(self):
        return len(self.sizes)

    def __repr__(self):
        return (f"Network(sizes={self.sizes}, cost={self.cost.name!r}, "
                f"dtype={np.dtype(self.dtype).name!r})")

    # -- evaluation -----------------------------------------------------
    def feedforward(self, X):
        """Output activations for ``X`` of shape ``(m, n_in)`` (or one sample)."""
        X = np.asarray(X, dtype=self.dtype)
        return feedforward(self.weights, self.biases, np.atleast_2d(X))

    def predict(self, X):
        """Predicted class (argmax of the output layer) for each row of ``X``."""
        return np.argmax(self.feedforward(X), axis=1)

    def evaluate(self, data, lmbda=0.0, n_train=None, chunk_size=10_000):
        """Mean cost and number of correct classifications on ``data``.

        One batched forward pass serves both numbers. The cost includes the L2
        term ``0.5 * (lmbda / n_train) * sum ||w||^2``, with ``n_train`` the
        training-set size (default: ``len(data)``).
        """
        from deltanet.train import as_labelled_data  # shared validation
        data = as_labelled_data(data, self, "data")
        cost, correct = data.evaluate(self, chunk_size)
        n_train = len(data) if n_train is None else n_train
        return cost / len(data) + self.l2_penalty(lmbda, n_train), correct

    def l2_penalty(self, lmbda, n):
        if lmbda == 0:
            return 0.0
        return 0.5 * (lmbda / n) * sum(float(np.vdot(W, W).real) for W in self.weights)

    def gradient(self, X, Y):
        """Mean gradient of the cost over the samples ``X`` with targets ``Y``.

        Returns ``(nabla_w, nabla_b)`` (without L2 term); used by gradient
        checks and by the per-layer gradient monitor.
        """
        X = np.asarray(X, dtype=self.dtype)
        Y = np.asarray(Y, dtype=self.dtype)
        zs, activations = forward(self.weights, self.biases, X)
        delta = self.cost.delta(zs[-1], activations[-1], Y)       # BP1
        delta /= len(X)
        return backward(self.weights, activations, delta)

    # -- training --------------------------------------------------------
    def SGD(self, training_data, epochs, mini_batch_size, eta, lmbda=0.0,
            evaluation_data=None, monitor_evaluation_cost=False,
            monitor_evaluation_accuracy=False, monitor_training_cost=False,
            monitor_training_accuracy=False, **options):
        """Mini-batch stochastic gradient descent; see :func:`deltanet.train.sgd`."""
        from deltanet.train import sgd
        return sgd(self, training_data, epochs, mini_batch_size, eta, lmbda=lmbda,
                   evaluation_data=evaluation_data,
                   monitor_evaluation_cost=monitor_evaluation_cost,
                   monitor_evaluation_accuracy=monitor_evaluation_accuracy,
                   monitor_training_cost=monitor_training_cost,
                   monitor_training_accuracy=monitor_training_accuracy, **options)

    # -- parameters ---------------------------------------------------------
    def get_params(self):
        """A deep copy of ``(weights, biases)``."""
        return [W.copy(order="K") for W in self.weights], [b.copy() for b in self.biases]

    def set_params(self, weights, biases):
        """Replace the parameters (checked against ``sizes``; copied, cast)."""
        pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
        if len(weights) != len(pairs) or len(biases) != len(pairs):
            raise ValueError(f"expected {len(pairs)} weight and bias arrays for "
                             f"sizes {self.sizes}; got {len(weights)} and {len(biases)}")
        new_w, new_b = [], []
        for l, ((n_in, n_out), W, b) in enumerate(zip(pairs, weights, biases)):
            W = book_layout(W, self.dtype)
            b = np.array(b, dtype=self.dtype).reshape(-1)
            if W.shape != (n_in, n_out) or b.shape != (n_out,):
                raise ValueError(f"layer {l + 1}: expected weights {(n_in, n_out)} and "
                                 f"biases {(n_out,)}; got {W.shape} and {b.shape}")
            new_w.append(W)
            new_b.append(b)
        self.weights, self.biases = new_w, new_b

    def save(self, path):
        """Write the network as JSON in network2's layout (atomically)."""
        from deltanet.serialization import save_network
        save_network(self, path)

    @classmethod
    def load(cls, path, dtype="float64"):
        """Read a network saved by :meth:`save` or by network2's ``save``."""
        from deltanet.serialization import load_network
        return load_network(path, dtype=dtype)
