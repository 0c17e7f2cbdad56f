"""Complex-valued sigmoid networks: Wirtinger backprop on the core's skeleton.

The tutorial task of the sheet: weights ``w^l``, biases ``b^l``, weighted
inputs ``z^l`` and activations ``a^l`` are complex, the activation is the
holomorphic sigmoid ``sigma(z) = 1 / (1 + e^{-z})`` and the cost ``C`` stays
real. With ``delta^l_j = dC/dz^l_j`` read as a Wirtinger derivative
``d/dz = (d/dx - i d/dy) / 2`` the four equations keep their real form:

* BP1  ``delta^L = dC/da^L * sigma'(z^L)`` with ``dC/da^L = conj(a^L - y) / 2``
  for ``C = ||y - a^L||^2 / 2``                         (:class:`ComplexQuadraticCost`)
* BP2  ``delta^l = (delta^{l+1} (W^{l+1})^T) * sigma'(z^l)``, plain transpose
* BP3  ``dC/db^l = delta^l``
* BP4  ``dC/dW^l = (A^{l-1})^T delta^l``

Layout as in :mod:`deltanet.network`: samples in rows, ``Z^l = A^{l-1} W^l + b^l``
with ``W^l = (w^l)^T`` of shape ``(n_in, n_out)``. BP2-BP4 are the core's
:func:`deltanet.network.backward`, unchanged: it uses the plain transpose and
``sigma' = a (1 - a)``, which is the complex derivative of the holomorphic
sigmoid as well. This module adds only what differs:

* :func:`complex_sigmoid`, computed without overflow for complex ``z``
  (``scipy.special.expit`` has no complex loop), and :func:`forward`, the
  core's loop plus the distance of every ``z`` to the sigmoid's poles
  ``i pi (2k + 1)`` and a guard that stops before values blow up;
* BP1 with the Wirtinger derivative of the quadratic cost;
* part (d): since ``C`` is real, ``dC/dRe w = 2 Re(dC/dw)`` and
  ``dC/dIm w = -2 Im(dC/dw)``, packed as ``dC/dRe w + i dC/dIm w = 2 conj(dC/dw)``
  (:func:`real_imag_gradient`); gradient descent in the real coordinates is
  ``w <- w - eta (dC/dRe w + i dC/dIm w) = w - 2 eta conj(dC/dw)``
  (:func:`sgd_step`), exactly the real update when everything is real.

Examples
--------
>>> import numpy as np
>>> net = ComplexNetwork([2, 3, 1], seed=0)
>>> X = np.array([[0.5 + 0.1j, -0.2j]])
>>> net.feedforward(X).shape
(1, 1)
>>> grad_w, grad_b = net.real_gradient(X, [[0.3 + 0.2j]])   # dC/dRe + i dC/dIm
>>> grad_w[0].shape
(2, 3)
"""

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit
from tqdm.auto import tqdm

from deltanet.activations import sigmoid_prime, sigmoid_prime_from_output
from deltanet.costs import get_cost
from deltanet.network import (INITIALIZERS, backward, check_choice, check_int, check_number,
                              check_sizes)
from deltanet.train import History, TrainingDiverged, TrainingInterrupted

__all__ = [
    "ComplexNetwork", "ComplexHistory", "ComplexQuadraticCost", "COMPLEX_COSTS",
    "COMPLEX_DTYPES", "POLE_GUARDS", "PoleError", "PoleWarning",
    "complex_sigmoid", "complex_sigmoid_prime", "pole_distance", "forward",
    "wirtinger_gradient", "real_imag_gradient", "numerical_gradient", "sgd_step",
    "get_complex_cost",
]

COMPLEX_DTYPES = {"complex128": np.complex128, "complex64": np.complex64}
POLE_GUARDS = ("raise", "warn")
DEFAULT_POLE_THRESHOLD = 0.1
DEFAULT_IMAG_SCALE = 0.25


# ------------------------------------------------------------ activation --

def _exp_minus(z):
    """``T = e^{-z}`` with ``Re(-z)`` clipped below overflow (a new array).

    The clip only acts where ``Re z < -(log(max) - 8)`` (about -702 in
    float64, -81 in complex64); there ``|sigma(z)| < 1e-304`` (``1e-35``) and
    the clipped value is off by less than that.
    """
    t = np.negative(z)
    limit = np.log(np.finfo(t.real.dtype).max) - 8
    np.minimum(t.real, limit, out=t.real)
    return np.exp(t, out=t)


def complex_sigmoid(z, out=None):
    """sigma(z) = 1 / (1 + e^{-z}) for real or complex ``z``, elementwise.

    Real input goes to ``scipy.special.expit`` (which has no complex loop).
    For complex ``z`` the formula is evaluated as it stands, with two
    precautions: ``e^{-z}`` never overflows (:func:`_exp_minus`), and
    ``1 / (1 + T)`` is a complex division by Smith's method (no ``|.|^2``
    that could overflow). Both ``1 + T ~ T`` (``Re z << 0``) and
    ``1 + T ~ 1`` (``Re z >> 0``) are rounded with relative error ``eps``,
    so the result has full relative accuracy away from the poles
    ``z = i pi (2k + 1)``, where ``1 + T = 0`` and sigma is infinite
    (see :func:`pole_distance`).
    """
    z = np.asarray(z)
    if z.dtype.kind != "c":
        return expit(z, out=out)
    t = _exp_minus(z)
    t += 1
    return np.divide(1, t, out=t if out is None else out)


def complex_sigmoid_prime(z):
    """The complex derivative sigma'(z) = sigma(z) (1 - sigma(z)).

    Computed as ``(T sigma) sigma`` with ``T = e^{-z}`` (``1 - sigma =
    T sigma``): no cancellation in ``1 - sigma`` and no overflow. Backprop
    itself uses the equal form ``a (1 - a)`` from the stored activations, as
    the real core does.
    """
    z = np.asarray(z)
    if z.dtype.kind != "c":
        return sigmoid_prime(z)
    t = _exp_minus(z)
    a = np.divide(1, t + 1)
    t *= a
    t *= a
    return t


def pole_distance(z):
    """Distance of each ``z`` to the nearest pole ``i pi (2k + 1)`` of sigma.

    For ``z = x + iy``: ``r = y - pi (2k + 1)`` for the nearest ``k`` is
    ``(y mod 2 pi) - pi`` in ``[-pi, pi)`` (``k = floor(y / 2 pi)``), and the
    distance is ``|x + i r| = hypot(x, r)``. Near a pole ``p``, ``sigma(z) ~ 1 / (z - p)``
    and ``sigma'(z) ~ -1 / (z - p)^2``. Real ``z`` are ``hypot(x, pi) >= pi``
    away.
    """
    z = np.asarray(z)
    if z.dtype.kind != "c":
        return np.hypot(z, np.pi)
    r = np.remainder(z.imag, 2 * np.pi)
    r -= np.pi                                   # y - pi (2k + 1), k = floor(y / 2 pi)
    return np.hypot(z.real, r)


class PoleError(ValueError):
    """A weighted input came within ``threshold`` of a pole of the sigmoid.

    Attributes: ``layer`` (the sheet's layer index l of ``z^l``; layer 1 is
    the input layer), ``distance``, ``threshold``, ``z`` (the closest value)
    and, when raised by :meth:`ComplexNetwork.SGD`, ``history``.
    """

    def __init__(self, message, layer, distance, threshold, z):
        super().__init__(message)
        self.layer, self.distance, self.threshold, self.z = layer, distance, threshold, z
        self.history = None


class PoleWarning(RuntimeWarning):
    """Issued instead of :class:`PoleError` when ``pole_guard="warn"``."""


def _pole_alarm(pole_guard, index, n_layers, z, distances, threshold):
    """Raise :class:`PoleError` or warn about the ``z`` closest to a pole."""
    flat = int(np.argmin(distances))
    sample, neuron = np.unravel_index(flat, distances.shape)
    closest = complex(z.flat[flat])
    distance = float(distances.flat[flat])
    layer = index + 2                                    # the sheet's numbering
    k = math.floor(closest.imag / (2 * math.pi))     # nearest pole i pi (2k + 1)
    message = (
        f"sigmoid pole guard: z^{layer} (layer {layer} of {n_layers + 1}, sample "
        f"{int(sample)}, neuron {int(neuron)}) = {closest.real:.4g}{closest.imag:+.4g}i is "
        f"{distance:.3g} from the pole {2 * k + 1}*i*pi of sigma, below "
        f"pole_threshold={threshold:g}; sigma ~ 1/(z - pole) blows up there. Use a "
        "smaller imag_scale (initial imaginary parts) or a smaller eta.")
    if pole_guard == "warn":
        warnings.warn(message, PoleWarning, stacklevel=4)
        return
    raise PoleError(message + " This step changed no parameter; pole_guard='warn' "
                    "continues anyway.", layer, distance, threshold, closest)


# ------------------------------------------------------------ the passes --

def forward(weights, biases, X, *, pole_guard="raise", pole_threshold=DEFAULT_POLE_THRESHOLD):
    """Forward pass of :func:`deltanet.network.forward` for complex networks.

    Returns ``(zs, activations, distances)``: ``zs`` and ``activations`` as in
    the core (``activations[0] = X``), and ``distances[l]``, the smallest
    distance of any entry of ``zs[l]`` to a pole of sigma. Each layer is
    checked *before* sigma is applied: if a distance is below
    ``pole_threshold``, ``pole_guard="raise"`` raises :class:`PoleError`
    (naming the layer, the distance and a remedy), ``"warn"`` warns.
    Nothing is modified, so a step that fails here changes no parameter.
    """
    zs, activations, distances = [], [X], []
    a = X
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = a @ W                                   # (m, n_out)
        z += b
        d = pole_distance(z)                        # (m, n_out)
        distances.append(float(d.min()))
        if distances[-1] < pole_threshold:
            _pole_alarm(pole_guard, l, len(weights), z, d, pole_threshold)
        a = complex_sigmoid(z)
        zs.append(z)
        activations.append(a)
    return zs, activations, distances


class ComplexQuadraticCost:
    """C = 1/2 ||y - a||^2 = 1/2 sum_j (y_j - a_j) conj(y_j - a_j), real for complex a, y.

    As a function of ``a`` and ``conj(a)``, ``C = 1/2 sum (y - a)(conj y - conj a)``,
    so the Wirtinger derivative is ``dC/da_j = -1/2 (conj y_j - conj a_j)
    = 1/2 conj(a_j - y_j)`` -- not ``a - y``: the conjugate and the factor
    1/2 are the two differences to the real case (tutorial part (a)).
    """

    name = "quadratic"

    @staticmethod
    def fn(a, y):
        """The cost summed over all entries (as the core's ``fn``), a real float."""
        d = np.asarray(a - y)
        return 0.5 * float(np.sum(d.real * d.real + d.imag * d.imag))

    @staticmethod
    def derivative(a, y):
        """The Wirtinger derivative dC/da^L = conj(a - y) / 2."""
        return 0.5 * np.conjugate(a - y)

    @staticmethod
    def delta(z, a, y):
        """BP1: delta^L = dC/da^L * sigma'(z^L), with sigma'(z^L) = a (1 - a)."""
        delta = np.conjugate(a - y)                 # (m, n_L)
        delta *= 0.5
        delta *= sigmoid_prime_from_output(a)
        return delta


COMPLEX_COSTS = {"quadratic": ComplexQuadraticCost}


def get_complex_cost(cost):
    """The complex cost class for a name or a (real or complex) cost class.

    Only the quadratic cost is real-valued for complex outputs. The
    cross-entropy ``-sum[y ln a + (1 - y) ln(1 - a)]`` is complex for complex
    ``a = sigma(z)`` (and ``ln`` has a branch cut), so there is nothing to
    minimize: it is refused with a ``ValueError``.
    """
    if cost is ComplexQuadraticCost or isinstance(cost, ComplexQuadraticCost):
        return ComplexQuadraticCost
    if isinstance(cost, str) and cost in COMPLEX_COSTS:
        return COMPLEX_COSTS[cost]
    real = get_cost(cost)            # raises for unknown names and types
    if real.name in COMPLEX_COSTS:
        return COMPLEX_COSTS[real.name]
    raise ValueError(
        f"cost {real.name!r} cannot train a complex network: for complex outputs "
        "a = sigma(z) the cross-entropy -sum[y ln a + (1-y) ln(1-a)] is complex-valued, "
        "so there is nothing to minimize; use cost='quadratic' "
        "(C = 1/2 ||y - a||^2 is real)")


def wirtinger_gradient(weights, biases, X, Y, cost=ComplexQuadraticCost, **guard):
    """Mean Wirtinger gradient ``(dC/dW, dC/db)`` over the samples ``X``.

    BP1 from ``cost.delta``, BP2-BP4 from the core's
    :func:`deltanet.network.backward`; ``guard`` goes to :func:`forward`.
    """
    zs, activations, _ = forward(weights, biases, X, **guard)
    delta = cost.delta(zs[-1], activations[-1], Y)      # BP1  (m, n_L)
    delta /= len(X)
    return backward(weights, activations, delta)        # BP2-BP4


def real_imag_gradient(nabla_w, nabla_b):
    """Part (d): gradients w.r.t. real and imaginary parts, packed as complex arrays.

    For real ``C`` and ``w = u + iv``: ``dC/dw = (dC/du - i dC/dv) / 2`` and
    ``dC/dconj(w) = conj(dC/dw)``, hence ``dC/du = 2 Re(dC/dw)``,
    ``dC/dv = -2 Im(dC/dw)``, i.e. ``dC/du + i dC/dv = 2 conj(dC/dw)``.
    The ``.real`` of each returned array is ``dC/dRe``, the ``.imag`` is
    ``dC/dIm``.
    """
    return ([2 * np.conjugate(nw) for nw in nabla_w],
            [2 * np.conjugate(nb) for nb in nabla_b])


def numerical_gradient(weights, biases, X, Y, cost=ComplexQuadraticCost, h=1e-3):
    """``dC/dRe + i dC/dIm`` of the mean cost by central finite differences.

    Each real and each imaginary part is perturbed separately with the
    fourth-order central stencil
    ``(-C(p+2h) + 8 C(p+h) - 8 C(p-h) + C(p-2h)) / (12 h)`` (error O(h^4);
    with ``h = 1e-3`` about 1e-12 for costs of order one). The reference for
    gradient checks: 8 forward passes per complex parameter, small nets only.
    """
    def cost_of(ws, bs):
        _, activations, _ = forward(ws, bs, X, pole_threshold=0.0)
        return cost.fn(activations[-1], Y) / len(X)

    # complex copies: an imaginary step written into a real array would be dropped
    weights = [np.array(W, dtype=np.result_type(W, np.complex64)) for W in weights]
    biases = [np.array(b, dtype=np.result_type(b, np.complex64)) for b in biases]
    result = []
    for params in (weights, biases):
        grads = []
        for P in params:
            G = np.zeros(P.shape, dtype=np.result_type(P.dtype, np.complex64))
            for index in np.ndindex(P.shape):
                original = P[index]
                for unit in (1, 1j):
                    values = []
                    for step in (2, 1, -1, -2):
                        P[index] = original + step * h * unit
                        values.append(cost_of(weights, biases))
                    P[index] = original
                    G[index] += unit * (-values[0] + 8 * values[1] - 8 * values[2]
                                        + values[3]) / (12 * h)
            grads.append(G)
        result.append(grads)
    return result[0], result[1]


def sgd_step(weights, biases, cost, X, Y, eta, decay=1.0, *, pole_guard="raise",
             pole_threshold=DEFAULT_POLE_THRESHOLD):
    """One gradient-descent step on ``(X, Y)`` in the real coordinates, in place.

    ``w <- decay * w - eta (dC/dRe w + i dC/dIm w) = decay * w - 2 eta conj(dC/dw)``
    with ``C`` the mean cost over the mini-batch (likewise for ``b``, without
    decay). For real parameters and data this is the core's
    :func:`deltanet.train.sgd_step` (same operations). The forward pass runs
    the pole guard first, so a rejected step changes nothing. Returns the
    per-layer pole distances of this mini-batch.
    """
    zs, activations, distances = forward(weights, biases, X, pole_guard=pole_guard,
                                         pole_threshold=pole_threshold)
    delta = cost.delta(zs[-1], activations[-1], Y)      # BP1  (m, n_L)
    delta *= 2 * eta / len(X)       # a real factor: commutes with conj; the 2 of (d)
    nabla_w, nabla_b = backward(weights, activations, delta)   # 2 eta/m * dC/dw
    for W, b, nw, nb in zip(weights, biases, nabla_w, nabla_b):
        if decay != 1.0:
            W *= decay                                 # L2 weight decay
        W -= np.conjugate(nw, out=nw)                  # w - 2 eta conj(dC/dw)
        b -= np.conjugate(nb, out=nb)
    return distances


# ------------------------------------------------------------------- data --

class _Data:
    """Validated inputs and targets; rows converted per chunk.

    ``images`` are real or complex ``(n, n_in)`` (uint8 with a ``scale`` for
    MNIST); targets are either ``labels`` (ints, one-hot targets built per
    chunk, accuracy defined) or a ``(n, n_out)`` array ``Y``.
    """

    def __init__(self, images, scale, labels, Y):
        self.images, self.scale, self.labels, self.Y = images, scale, labels, Y

    def __len__(self):
        return len(self.images)

    def rows(self, index, dtype):
        x = self.images[index]
        real = np.finfo(dtype).dtype                     # float64 for complex128
        dt = dtype if x.dtype.kind == "c" else real
        if self.scale == 1:
            return np.asarray(x, dtype=dt)
        return np.multiply(x, real.type(self.scale), dtype=dt)

    def targets(self, index, dtype, n_out):
        if self.labels is None:
            y = self.Y[index]
            return np.asarray(y, dtype=dtype if y.dtype.kind == "c" else np.finfo(dtype).dtype)
        return np.eye(n_out, dtype=np.finfo(dtype).dtype)[self.labels[index]]


def _check_array(name, value, shape_hint):
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric array {shape_hint}; got {exc}") from None
    if array.dtype.kind not in "iufc":
        raise TypeError(f"{name} must be a numeric (real or complex) array {shape_hint}; "
                        f"got dtype {array.dtype}")
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(f"{name} contains NaN or infinite values (first at index "
                         f"{tuple(int(i) for i in bad)}); clean or drop those samples first")
    return array


def _as_data(data, sizes, name):
    """Validate training or evaluation data for a network with ``sizes``."""
    n_in, n_out = sizes[0], sizes[-1]
    if isinstance(data, _Data):
        return data
    labels = Y = None
    if hasattr(data, "images") and hasattr(data, "labels"):       # a Dataset
        images, labels, scale = data.images, np.asarray(data.labels), float(data.scale)
        if images.dtype.kind == "f" and not np.isfinite(images).all():
            raise ValueError(f"{name}: inputs contain NaN or infinite values; clean or "
                             "drop those samples first")
    elif isinstance(data, tuple) and len(data) == 2:
        images, scale = _check_array(f"{name} inputs", data[0], f"(n, {n_in})"), 1.0
        targets = _check_array(f"{name} targets", data[1], f"(n, {n_out})")
        if targets.ndim == 1 and targets.dtype.kind in "iu":
            labels = targets
        else:
            Y = targets.reshape(-1, 1) if targets.ndim == 1 and n_out == 1 else targets
    else:
        raise TypeError(f"{name} must be a Dataset or a pair (X, Y) of arrays with X of "
                        f"shape (n, {n_in}) and Y targets (n, {n_out}) or integer labels "
                        f"(n,); got {type(data).__name__}")
    if images.ndim != 2 or images.shape[0] == 0 or images.shape[1] != n_in:
        raise ValueError(f"{name}: inputs must have shape (n, {n_in}) with n >= 1 "
                         f"(sizes[0] = {n_in}); got {images.shape}")
    if labels is not None:
        if len(labels) != len(images):
            raise ValueError(f"{name}: {len(images)} inputs but {len(labels)} labels")
        if labels.size and (labels.min() < 0 or labels.max() >= n_out):
            raise ValueError(f"{name}: labels must lie in 0..{n_out - 1} (the output "
                             f"layer has {n_out} neurons); got {labels.min()}..{labels.max()}")
    else:
        if Y.ndim != 2 or Y.shape != (len(images), n_out):
            raise ValueError(f"{name}: targets must have shape ({len(images)}, {n_out}) "
                             f"for {len(images)} inputs and sizes[-1] = {n_out}; "
                             f"got {Y.shape}")
        one_hot = (Y.dtype.kind != "c" and np.all((Y == 0) | (Y == 1))
                   and np.all(Y.sum(axis=1) == 1))
        if one_hot and n_out > 1:
            labels = Y.argmax(axis=1)
    return _Data(images, scale, labels, Y)


# ----------------------------------------------------------------- history --

@dataclass
class ComplexHistory(History):
    """:class:`deltanet.train.History` plus the distances to sigma's poles.

    ``pole_distance[e][l]``: smallest distance of any ``z^{l+2}`` to a pole
    during the mini-batch steps of epoch ``e``; ``initial_pole_distance[l]``:
    the same on the training data before the first step;
    ``near_pole_steps[e]``: how many steps of epoch ``e`` came within
    ``pole_threshold`` of a pole (non-zero only with ``pole_guard="warn"``:
    the default guard stops at the first one).
    """

    pole_distance: list = field(default_factory=list)
    initial_pole_distance: list = field(default_factory=list)
    near_pole_steps: list = field(default_factory=list)
    training_seconds: float = 0.0


# ------------------------------------------------------------------ network --

class ComplexNetwork:
    """A fully connected network with complex weights and the holomorphic sigmoid.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, input first, e.g. ``[784, 15, 10]``.
    cost : "quadratic" (also ``QuadraticCost``)
        The only cost that is real for complex outputs; ``"cross-entropy"``
        raises ``ValueError``.
    init : {"default", "large"}
        Real parts exactly as the core's :data:`deltanet.network.INITIALIZERS`
        (same seed, same real parts); imaginary parts drawn afterwards.
    imag_scale : float >= 0, default 0.25
        Imaginary parts of weights ~ N(0, imag_scale^2 / n_in), of biases
        ~ N(0, imag_scale^2). For real inputs with ``|x_k| <= 1`` the first
        layer's ``Im z`` then has standard deviation at most
        ``imag_scale * sqrt(2)``; complex inputs add ``Re w Im x``, so with
        ``init="default"`` and ``|x_k| <= 1`` it is at most
        ``sqrt(1 + imag_scale^2)`` (for ``imag_scale <= 1``): below the poles
        at ``|Im z| = pi``. ``imag_scale=0`` starts from the real network with
        the same seed.
    seed : int, Generator or None
    dtype : "complex128" (default) or "complex64"
    pole_guard : "raise" (default) or "warn"
        What a forward pass does when some ``z`` comes within
        ``pole_threshold`` of a pole ``i pi (2k + 1)``: raise
        :class:`PoleError` before any parameter changes, or warn.
    pole_threshold : float > 0, default 0.1 (``|sigma| ~ 10`` there)

    Examples
    --------
    >>> net = ComplexNetwork([1, 10, 1], seed=1)
    >>> net.n_real_parameters
    62
    """

    def __init__(self, sizes, cost="quadratic", *, init="default",
                 imag_scale=DEFAULT_IMAG_SCALE, seed=None, dtype="complex128",
                 pole_guard="raise", pole_threshold=DEFAULT_POLE_THRESHOLD):
        self.sizes = check_sizes(sizes)
        self.cost = get_complex_cost(cost)
        key = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
        self.dtype = check_choice("dtype", key, COMPLEX_DTYPES)
        initializer = check_choice("init", init, INITIALIZERS)
        self.imag_scale = check_number("imag_scale", imag_scale, positive=False)
        check_choice("pole_guard", pole_guard, dict.fromkeys(POLE_GUARDS))
        self.pole_guard = pole_guard
        self.pole_threshold = check_number("pole_threshold", pole_threshold, positive=True)
        self.init = init
        self.rng = np.random.default_rng(seed)
        real_w, real_b = initializer(self.sizes, self.rng, np.float64)
        self.weights, self.biases = [], []
        for W, b in zip(real_w, real_b):
            n_in = W.shape[0]
            imag_w = self.rng.standard_normal(W.shape) * (self.imag_scale / np.sqrt(n_in))
            imag_b = self.rng.standard_normal(b.shape) * self.imag_scale
            self.weights.append((W + 1j * imag_w).astype(self.dtype))
            self.biases.append((b + 1j * imag_b).astype(self.dtype))

    def __repr__(self):
        return (f"ComplexNetwork(sizes={self.sizes}, dtype={np.dtype(self.dtype).name!r}, "
                f"pole_guard={self.pole_guard!r})")

    @property
    def n_real_parameters(self):
        """Number of real parameters: 2 per complex weight and bias."""
        return 2 * sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    @property
    def guard(self):
        return {"pole_guard": self.pole_guard, "pole_threshold": self.pole_threshold}

    # -- validation -------------------------------------------------------
    def _inputs(self, X, name="X"):
        X = _check_array(name, X, f"(m, {self.sizes[0]})")
        X = np.atleast_2d(X)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"{name} must have shape (m, {self.sizes[0]}) (sizes[0] = "
                             f"{self.sizes[0]}); got {X.shape}")
        real = np.finfo(self.dtype).dtype
        return X.astype(self.dtype if X.dtype.kind == "c" else real, copy=False)

    def _targets(self, Y, m, name="Y"):
        Y = np.atleast_2d(_check_array(name, Y, f"({m}, {self.sizes[-1]})"))
        if Y.shape != (m, self.sizes[-1]):
            raise ValueError(f"{name} must have shape ({m}, {self.sizes[-1]}) for {m} "
                             f"inputs and sizes[-1] = {self.sizes[-1]}; got {Y.shape}")
        return Y.astype(self.dtype, copy=False)

    # -- evaluation -------------------------------------------------------
    def feedforward(self, X):
        """Output activations ``a^L`` for ``X`` of shape ``(m, n_in)`` (guarded)."""
        _, activations, _ = forward(self.weights, self.biases, self._inputs(X), **self.guard)
        return activations[-1]

    def predict(self, X):
        """Class = argmax_j Re(a_j): the one-hot vector nearest to ``a``.

        ``||e_c - a||^2 = ||a||^2 - 2 Re(a_c) + 1`` is smallest for the
        largest ``Re(a_c)``; for real outputs this is the core's argmax.
        """
        return np.argmax(self.feedforward(X).real, axis=1)

    def evaluate(self, data, chunk_size=4096):
        """``(mean cost, correct count or None, per-layer min pole distance)`` on ``data``.

        ``data`` is a Dataset or a pair ``(X, Y)`` (``Y`` targets or integer
        labels); one batched forward pass per chunk.
        """
        data = _as_data(data, self.sizes, "data")
        return self._evaluate(data, chunk_size)

    def _evaluate(self, data, chunk_size=4096, guard=None):
        guard = self.guard if guard is None else guard
        total, correct = 0.0, 0
        distances = [math.inf] * (len(self.sizes) - 1)
        for start in range(0, len(data), chunk_size):
            index = slice(start, start + chunk_size)
            _, activations, ds = forward(self.weights, self.biases,
                                         data.rows(index, self.dtype), **guard)
            a = activations[-1]
            total += self.cost.fn(a, data.targets(index, self.dtype, self.sizes[-1]))
            if data.labels is not None:
                correct += int(np.count_nonzero(a.real.argmax(axis=1) == data.labels[index]))
            distances = [min(d, e) for d, e in zip(distances, ds)]
        return total / len(data), (correct if data.labels is not None else None), distances

    # -- gradients --------------------------------------------------------
    def gradient(self, X, Y):
        """Mean Wirtinger gradient ``(dC/dW, dC/db)`` (BP1-BP4) over ``(X, Y)``."""
        X = self._inputs(X)
        Y = self._targets(Y, len(X))
        return wirtinger_gradient(self.weights, self.biases, X, Y, self.cost, **self.guard)

    def real_gradient(self, X, Y):
        """``dC/dRe + i dC/dIm`` of the mean cost for every weight and bias (part (d))."""
        return real_imag_gradient(*self.gradient(X, Y))

    # -- training ---------------------------------------------------------
    def step(self, X, Y, eta):
        """One validated SGD step on ``(X, Y)``; returns the pole distances.

        Raises :class:`PoleError` (guard ``"raise"``) before any change.
        """
        X = self._inputs(X)
        Y = self._targets(Y, len(X))
        eta = check_number("eta", eta, positive=True)
        return sgd_step(self.weights, self.biases, self.cost, X, Y, eta, **self.guard)

    def SGD(self, training_data, epochs, mini_batch_size, eta, lmbda=0.0,
            evaluation_data=None, monitor_evaluation_cost=False,
            monitor_evaluation_accuracy=False, monitor_training_cost=False,
            monitor_training_accuracy=False, *, seed=None, progress=False,
            callbacks=(), desc="complex"):
        """Mini-batch SGD in the real coordinates of every weight and bias.

        Update per mini-batch of ``m`` out of ``n`` samples::

            w <- (1 - eta lmbda / n) w - (2 eta / m) sum_x conj(dC_x/dw)
            b <- b - (2 eta / m) sum_x conj(dC_x/db)

        i.e. ``w - eta (dC/dRe w + i dC/dIm w)`` for the mean cost. Data: a
        Dataset, or ``(X, Y)`` with targets ``Y`` (real or complex, shape
        ``(n, n_out)``) or integer labels; accuracy needs labels (or one-hot
        ``Y``). Returns a :class:`ComplexHistory` that also records the
        smallest pole distance per layer and epoch.

        Raises
        ------
        PoleError : a ``z`` came within ``pole_threshold`` of a pole
            (guard ``"raise"``); the network is reset to the end of the last
            completed epoch (the rejected step itself changed nothing) and
            ``.history`` holds the completed epochs.
        TrainingDiverged, TrainingInterrupted : as in :func:`deltanet.train.sgd`.
        """
        epochs = check_int("epochs", epochs, 0)
        m = check_int("mini_batch_size", mini_batch_size, 1)
        eta = check_number("eta", eta, positive=True)
        lmbda = check_number("lmbda", lmbda, positive=False)
        train = _as_data(training_data, self.sizes, "training_data")
        evaluation = None
        if evaluation_data is not None:
            evaluation = _as_data(evaluation_data, self.sizes, "evaluation_data")
        elif monitor_evaluation_cost or monitor_evaluation_accuracy:
            raise ValueError("monitor_evaluation_cost/accuracy need evaluation_data")
        for flag, data, what in ((monitor_training_accuracy, train, "training_data"),
                                 (monitor_evaluation_accuracy, evaluation, "evaluation_data")):
            if flag and data.labels is None:
                raise ValueError(f"monitor accuracy needs class labels: {what} has "
                                 "non-one-hot targets")
        rng = self.rng if seed is None else np.random.default_rng(seed)
        n = len(train)
        history = ComplexHistory(
            n_training=n, n_evaluation=len(evaluation) if evaluation else 0,
            config=dict(sizes=list(self.sizes), cost=self.cost.name, epochs=epochs,
                        mini_batch_size=m, eta=eta, lmbda=lmbda,
                        dtype=np.dtype(self.dtype).name, imag_scale=self.imag_scale,
                        **self.guard))
        decay = 1.0 - eta * lmbda / n
        chunk = max(1, 2048 // m) * m
        threshold = self.pole_threshold
        # "warn": steps are not guarded one by one (that would warn thousands of
        # times); near-pole steps are counted and reported once per epoch.
        guard = self.guard if self.pole_guard == "raise" else {"pole_threshold": 0.0}
        good_params = self.get_params()
        _, _, history.initial_pole_distance = self._evaluate(train, guard=guard)
        bar = tqdm(range(epochs), desc=desc, unit="epoch", disable=not progress,
                   leave=False, dynamic_ncols=True)
        started = time.perf_counter()
        try:
            # Overflow can only happen with pole_guard="warn" (the guard stops
            # before it otherwise); the epoch's finiteness check catches it.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for epoch in bar:
                    start_time = time.perf_counter()
                    closest = [math.inf] * (len(self.sizes) - 1)
                    near = 0
                    order = rng.permutation(n)
                    for start in range(0, n, chunk):
                        index = order[start:start + chunk]
                        X = train.rows(index, self.dtype)
                        Y = train.targets(index, self.dtype, self.sizes[-1])
                        for s in range(0, len(index), m):
                            ds = sgd_step(self.weights, self.biases, self.cost, X[s:s + m],
                                          Y[s:s + m], eta, decay, **guard)
                            closest = [min(c, d) for c, d in zip(closest, ds)]
                            near += min(ds) < threshold
                    history.pole_distance.append(closest)
                    history.near_pole_steps.append(int(near))
                    if near:
                        layer = int(np.argmin(closest))
                        warnings.warn(
                            f"epoch {epoch + 1}: {near} mini-batch steps came within "
                            f"pole_threshold={threshold:g} of a pole of sigma (closest "
                            f"{closest[layer]:.3g}, z^{layer + 2}); use a smaller imag_scale "
                            "or a smaller eta", PoleWarning, stacklevel=2)
                    self._monitor(history, train, evaluation, lmbda, n, guard,
                                  monitor_training_cost, monitor_training_accuracy,
                                  monitor_evaluation_cost, monitor_evaluation_accuracy)
                    history.epoch_seconds.append(time.perf_counter() - start_time)
                    if not self._finite(history):
                        self._reset(history, good_params, "diverged")
                        raise TrainingDiverged(
                            f"training diverged in epoch {epoch + 1}: weights or cost became "
                            f"non-finite; try a smaller eta (got {eta}). The network was reset "
                            f"to epoch {epoch}; .history holds the completed epochs.", history)
                    history.epochs_completed += 1
                    good_params = self.get_params()
                    if progress:
                        bar.set_postfix_str(_postfix(history), refresh=False)
                    for callback in callbacks:
                        callback(epoch, history, self)
        except PoleError as exc:
            self._reset(history, good_params, "pole")
            exc.args = (f"{exc.args[0]} Stopped in epoch {history.epochs_completed + 1}; "
                        f"the network was reset to the end of epoch "
                        f"{history.epochs_completed} and .history holds the completed "
                        "epochs.",)
            exc.history = history
            raise
        except KeyboardInterrupt:
            self._reset(history, good_params, "interrupted")
            raise TrainingInterrupted(history) from None
        finally:
            bar.close()
            history.training_seconds = time.perf_counter() - started
        return history

    def _monitor(self, history, train, evaluation, lmbda, n, guard, train_cost, train_acc,
                 eval_cost, eval_acc):
        penalty = self.l2_penalty(lmbda, n)
        if train_cost or train_acc:
            cost, correct, _ = self._evaluate(train, guard=guard)
            if train_cost:
                history.training_cost.append(cost + penalty)
            if train_acc:
                history.training_accuracy.append(correct)
        if evaluation is not None and (eval_cost or eval_acc):
            cost, correct, _ = self._evaluate(evaluation, guard=guard)
            if eval_cost:
                history.evaluation_cost.append(cost + penalty)
            if eval_acc:
                history.evaluation_accuracy.append(correct)

    def l2_penalty(self, lmbda, n):
        """``0.5 (lmbda / n) sum |w|^2`` (real: ``|w|^2 = Re^2 + Im^2``)."""
        if lmbda == 0:
            return 0.0
        return 0.5 * (lmbda / n) * sum(float(np.vdot(W, W).real) for W in self.weights)

    def _finite(self, history):
        costs = history.training_cost[-1:] + history.evaluation_cost[-1:]
        return (all(math.isfinite(c) for c in costs)
                and all(np.isfinite(W).all() and np.isfinite(b).all()
                        for W, b in zip(self.weights, self.biases)))

    def _reset(self, history, good_params, reason):
        """Back to the last completed epoch; drop the partial epoch's entries."""
        self.weights, self.biases = good_params
        k = history.epochs_completed
        for series in (history.evaluation_cost, history.evaluation_accuracy,
                       history.training_cost, history.training_accuracy,
                       history.pole_distance, history.near_pole_steps,
                       history.epoch_seconds):
            del series[k:]
        history.stopped = reason

    # -- parameters ---------------------------------------------------------
    def get_params(self):
        """A deep copy of ``(weights, biases)``."""
        return [W.copy() for W in self.weights], [b.copy() for b in self.biases]

    def set_params(self, weights, biases):
        """Replace the parameters (checked against ``sizes``; copied, cast)."""
        pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
        if len(weights) != len(pairs) or len(biases) != len(pairs):
            raise ValueError(f"expected {len(pairs)} weight and bias arrays for "
                             f"sizes {self.sizes}; got {len(weights)} and {len(biases)}")
        new_w, new_b = [], []
        for l, ((n_in, n_out), W, b) in enumerate(zip(pairs, weights, biases)):
            W = _check_array(f"weights[{l}]", W, f"({n_in}, {n_out})").astype(self.dtype)
            b = _check_array(f"biases[{l}]", b, f"({n_out},)").astype(self.dtype).reshape(-1)
            if W.shape != (n_in, n_out) or b.shape != (n_out,):
                raise ValueError(f"layer {l + 2}: expected weights {(n_in, n_out)} and "
                                 f"biases {(n_out,)}; got {W.shape} and {b.shape}")
            new_w.append(W)
            new_b.append(b)
        self.weights, self.biases = new_w, new_b


def _postfix(history):
    parts = []
    if history.training_cost:
        parts.append(f"cost={history.training_cost[-1]:.4g}")
    if history.evaluation_accuracy:
        parts.append(f"eval={100 * history.evaluation_accuracy[-1] / history.n_evaluation:.2f}%")
    if history.pole_distance:
        parts.append(f"pole>={min(history.pole_distance[-1]):.3g}")
    return " ".join(parts)
