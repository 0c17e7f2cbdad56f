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

Layout as in :mod:`deltanet.network` (samples in rows). BP2-BP4 are the core's
:func:`deltanet.network.backward`, unchanged: it uses the plain transpose and
``sigma' = a (1 - a)``, the complex derivative of the holomorphic sigmoid as
well. This module adds only what differs:

* :func:`complex_sigmoid` without overflow, and :func:`forward`: the core's
  loop plus a guard on the distance of every ``z`` to the poles ``i pi (2k + 1)``;
* BP1 with the Wirtinger derivative of the quadratic cost;
* part (d): since ``C`` is real, ``dC/dRe w = 2 Re(dC/dw)`` and
  ``dC/dIm w = -2 Im(dC/dw)``, packed as ``dC/dRe w + i dC/dIm w = 2 conj(dC/dw)``
  (:func:`real_imag_gradient`); gradient descent in the real coordinates is
  ``w <- w - eta (dC/dRe w + i dC/dIm w) = w - 2 eta conj(dC/dw)``
  (:func:`sgd_step`), exactly the real update when everything is real.
"""

import decimal
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from deltanet.activations import sigmoid, sigmoid_prime, sigmoid_prime_from_output
from deltanet.costs import cost_name, get_cost
from deltanet.limits import check_choice, check_int
from deltanet.loop import History, PicklableError, per_batch
from deltanet.network import BaseNetwork, backward, check_number
from deltanet.network import forward as core_forward

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
    """``T = e^{-z}`` with ``Re(-z)`` clipped below overflow (a new array); the clip
    acts only where ``|sigma(z)| < 1e-304`` (``1e-35`` in complex64)."""
    t = np.negative(z)
    limit = np.log(np.finfo(t.real.dtype).max) - 8
    np.minimum(t.real, limit, out=t.real)
    return np.exp(t, out=t)


def complex_sigmoid(z, out=None):
    """sigma(z) = 1 / (1 + e^{-z}) for real or complex ``z``, elementwise.

    Real input goes to the core's sigmoid (``scipy.special.expit`` has no
    complex loop). For complex ``z``: ``e^{-z}`` never overflows
    (:func:`_exp_minus`) and ``1 / (1 + T)`` is NumPy's complex division
    (Smith's method, no ``|.|^2``), so the result has full relative accuracy
    away from the poles ``i pi (2k + 1)`` (see :func:`pole_distance`).
    """
    z = np.asarray(z)
    if z.dtype.kind != "c":
        return sigmoid(z, out=out)
    t = _exp_minus(z)
    t += 1
    return np.divide(1, t, out=t if out is None else out)


def complex_sigmoid_prime(z):
    """sigma'(z) = sigma (1 - sigma), as ``(T sigma) sigma`` with ``T = e^{-z}``: no
    cancellation in ``1 - sigma``. (Backprop uses ``a (1 - a)``, as the core does.)"""
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
    distance is ``hypot(x, r)``; near a pole ``p``, ``sigma(z) ~ 1 / (z - p)``.
    ``y mod 2 pi`` in floating point is off by ``k`` times the rounding error of
    ``2 pi``, so for ``|y| > 2^16`` it is computed exactly (:func:`_exact_offset`).
    """
    z = np.asarray(z)
    if z.dtype.kind != "c":
        return np.hypot(z, np.pi)
    y = z.imag.astype(np.float64)
    r = np.remainder(y, 2 * np.pi)
    r -= np.pi                                   # y - pi (2k + 1), k = floor(y / 2 pi)
    large = np.abs(y) > 2.0 ** 16
    if large.any():
        r[large] = [_exact_offset(v) for v in y[large]]
    return np.hypot(z.real, r).astype(z.real.dtype)


_PI = decimal.Decimal("3.14159265358979323846264338327950288419716939937510"
                      "58209749445923078164062862089986280348253421170679")


def _exact_offset(y):
    """``y - pi (2k + 1)``, ``k = floor(y / 2 pi)``, exact to double precision for
    ``|y| < 1e80`` (400 digits, 100-digit pi); beyond, 0: the guard refuses."""
    if abs(y) >= 1e80:
        return 0.0
    with decimal.localcontext(decimal.Context(prec=400)):
        k = (decimal.Decimal(y) / (2 * _PI)).to_integral_value(decimal.ROUND_FLOOR)
        return float(decimal.Decimal(y) - (2 * k + 1) * _PI)


class PoleError(PicklableError, ValueError):
    """A weighted input came within ``threshold`` of a pole of the sigmoid;
    ``layer`` (the sheet's index l of ``z^l``, the input layer is 1),
    ``distance``, ``threshold``, ``z`` (the closest value), ``history`` (from SGD).
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
        warnings.warn(message, PoleWarning, stacklevel=6)
        return
    raise PoleError(message + " This step changed no parameter; pole_guard='warn' "
                    "continues anyway.", layer, distance, threshold, closest)


# ------------------------------------------------------------ the passes --

def forward(weights, biases, X, *, pole_guard="raise", pole_threshold=DEFAULT_POLE_THRESHOLD):
    """:func:`deltanet.network.forward` for complex networks: ``(zs, activations,
    distances)``, ``distances[l]`` the smallest distance of ``zs[l]`` to a pole.

    Each layer is checked before sigma is applied: a distance below
    ``pole_threshold`` raises :class:`PoleError` (``pole_guard="raise"``) or
    warns. Nothing is modified, so a step that fails here changes no parameter.
    """
    distances = []

    def guard(l, z):
        d = pole_distance(z)                        # (m, n_out)
        distances.append(float(d.min()))
        if distances[-1] < pole_threshold:
            _pole_alarm(pole_guard, l, len(weights), z, d, pole_threshold)

    zs, activations = core_forward(weights, biases, X, complex_sigmoid, guard)
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
    """The complex cost class for a name or a cost class; only the quadratic cost
    is real for complex outputs (the cross-entropy is refused)."""
    if cost is ComplexQuadraticCost or isinstance(cost, ComplexQuadraticCost):
        return ComplexQuadraticCost
    name = cost_name(get_cost(cost))        # raises for unknown names and types
    if name in COMPLEX_COSTS:
        return COMPLEX_COSTS[name]
    why = ("the cross-entropy -sum[y ln a + (1-y) ln(1-a)] is complex-valued, so there is "
           "nothing to minimize" if name == "cross-entropy" else "deltanet knows no "
           "real-valued complex form of this cost")
    raise ValueError(
        f"cost {name!r} cannot train a complex network: for complex outputs "
        f"a = sigma(z) {why}; use cost='quadratic' "
        "(C = 1/2 ||y - a||^2 is real)")


def wirtinger_gradient(weights, biases, X, Y, cost=ComplexQuadraticCost, **guard):
    """Mean Wirtinger gradient ``(dC/dW, dC/db)`` over ``X``: BP1 from ``cost.delta``,
    BP2-BP4 from the core's :func:`deltanet.network.backward`."""
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

    Real and imaginary parts are perturbed separately, fourth-order stencil
    ``(-C(p+2h) + 8 C(p+h) - 8 C(p-h) + C(p-2h)) / (12 h)`` (error O(h^4)).
    """
    def cost_of(ws, bs):
        _, activations, _ = forward(ws, bs, X, pole_threshold=0.0)
        return cost.fn(activations[-1], Y) / len(X)

    # complex copies: an imaginary step written into a real array would be dropped
    weights = [np.array(W, dtype=np.result_type(W, np.complex64)) for W in weights]
    biases = [np.array(b, dtype=np.result_type(b, np.complex64)) for b in biases]
    grads = [np.zeros_like(P) for P in weights + biases]
    for P, G in zip(weights + biases, grads):
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
    return grads[:len(weights)], grads[len(weights):]


def sgd_step(weights, biases, cost, X, Y, eta, decay=1.0, *, pole_guard="raise",
             pole_threshold=DEFAULT_POLE_THRESHOLD):
    """One gradient-descent step on ``(X, Y)`` in the real coordinates, in place:

    ``w <- decay * w - eta (dC/dRe w + i dC/dIm w) = decay * w - 2 eta conj(dC/dw)``
    for the mean cost (``b`` without decay); the core's step for real data. A
    step the pole guard rejects changes nothing. Returns the pole distances.
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


# ----------------------------------------------------------------- history --

@dataclass
class ComplexHistory(History):
    """:class:`deltanet.loop.History` plus the distances to sigma's poles:
    ``pole_distance[e][l]``, smallest distance of a ``z^{l+2}`` to a pole in the
    steps of epoch ``e``; ``initial_pole_distance``: on the training data before
    the first step; ``near_pole_steps[e]``: steps within ``pole_threshold``
    (only with ``pole_guard="warn"``).
    """

    pole_distance: list = field(default_factory=list)
    initial_pole_distance: list = field(default_factory=list)
    near_pole_steps: list = field(default_factory=list)


# ------------------------------------------------------------------ network --

class ComplexNetwork(BaseNetwork):
    """A fully connected network with complex weights and the holomorphic sigmoid.

    Arguments and ``SGD`` as :class:`deltanet.network.Network` (the real parts are
    the core's for the same ``seed`` and ``init``); ``cost``: only "quadratic" is real
    for complex outputs; ``dtype``: "complex128" or "complex64". ``imag_scale``:
    imaginary parts of weights ~ N(0, imag_scale^2 / n_in), of biases ~ N(0,
    imag_scale^2), drawn after the real parts: for inputs with ``|x_k| <= 1`` the
    first layer's ``Im z`` stays well below the poles at ``|Im z| = pi``; 0 starts
    from the real network. ``pole_guard``: "raise" (:class:`PoleError` before any
    parameter changes when a ``z`` comes within ``pole_threshold`` of a pole,
    default 0.1, ``|sigma| ~ 10`` there) or "warn".
    """

    DTYPES = COMPLEX_DTYPES
    KIND = "c"
    KINDS = "biufc"
    ORDER = "K"
    EVAL_CHUNK = 1024       # a float64 chunk becomes complex128 in the product: 13 MB
    HISTORY = ComplexHistory
    STOPS = {PoleError: "pole"}

    def __init__(self, sizes, cost="quadratic", *, init="default",
                 imag_scale=DEFAULT_IMAG_SCALE, seed=None, dtype="complex128",
                 pole_guard="raise", pole_threshold=DEFAULT_POLE_THRESHOLD):
        self.imag_scale = check_number("imag_scale", imag_scale, positive=False)
        self.pole_guard = check_choice("pole_guard", pole_guard, POLE_GUARDS)
        self.pole_threshold = check_number("pole_threshold", pole_threshold, positive=True)
        super().__init__(sizes, cost, init=init, seed=seed, dtype=dtype)

    _resolve_cost = staticmethod(get_complex_cost)

    def _initial(self, initializer):
        real_w, real_b = initializer(self.sizes, self.rng, np.float64)
        weights, biases = [], []
        for W, b in zip(real_w, real_b):
            n_in = W.shape[0]
            imag_w = self.rng.standard_normal(W.shape) * (self.imag_scale / np.sqrt(n_in))
            imag_b = self.rng.standard_normal(b.shape) * self.imag_scale
            weights.append((W + 1j * imag_w).astype(self.dtype))
            biases.append((b + 1j * imag_b).astype(self.dtype))
        return weights, biases

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

    # -- evaluation -------------------------------------------------------
    def evaluate(self, data, chunk_size=EVAL_CHUNK):
        """``(mean cost, correct count or None, per-layer min pole distance)`` on
        ``data`` (a Dataset or a pair ``(X, Y)``)."""
        chunk_size = check_int("chunk_size", chunk_size, 1)
        distances = [math.inf] * (len(self.sizes) - 1)
        cost, correct = self._data(data, "data").evaluate(self._feed(distances=distances),
                                                          self.cost, self.dtype, chunk_size)
        return cost, correct, distances

    def _feed(self, guard=None, distances=None):
        """A guarded forward pass ``X -> a^L`` that keeps the smallest pole distances."""
        guard = self.guard if guard is None else guard

        def feed(X):
            _, activations, ds = forward(self.weights, self.biases, X, **guard)
            if distances is not None:
                distances[:] = [min(d, e) for d, e in zip(distances, ds)]
            return activations[-1]
        return feed

    def _forward(self, X):
        return forward(self.weights, self.biases, X, **self.guard)[:2]

    # -- gradients --------------------------------------------------------
    def real_gradient(self, X, Y):
        """``dC/dRe + i dC/dIm`` of the mean cost for every weight and bias (part (d))."""
        return real_imag_gradient(*self.gradient(X, Y))

    # -- training ---------------------------------------------------------
    def step(self, X, Y, eta):
        """One validated SGD step on ``(X, Y)``; returns the pole distances."""
        X, Y = self._batch(X, Y)
        eta = check_number("eta", eta, positive=True)
        return sgd_step(self.weights, self.biases, self.cost, X, Y, eta, **self.guard)

    def SGD(self, *args, **kwargs):
        """Mini-batch SGD in the real coordinates of every weight and bias.

        Update per mini-batch of ``m`` out of ``n`` samples::

            w <- (1 - eta lmbda / n) w - (2 eta / m) sum_x conj(dC_x/dw)
            b <- b - (2 eta / m) sum_x conj(dC_x/db)

        Arguments as :meth:`deltanet.network.BaseNetwork.SGD`; targets may be
        complex. Returns a :class:`ComplexHistory`; a :class:`PoleError` stops it
        as :class:`deltanet.loop.TrainingDiverged` does.
        """
        kwargs.setdefault("desc", "complex")
        return super().SGD(*args, **kwargs)

    def _extra_config(self):
        return dict(imag_scale=self.imag_scale, **self.guard)

    def _trainer(self, train, history, m, eta, decay):
        """The Wirtinger step per mini-batch, its pole record, the monitor's pass.
        With ``pole_guard="warn"`` near-pole steps are counted and reported once
        per epoch, not warned one by one."""
        guard = self.guard if self.pole_guard == "raise" else {"pole_threshold": 0.0}
        layers = len(self.sizes) - 1
        initial = [math.inf] * layers
        train.evaluate(self._feed(guard, initial), self.cost, self.dtype, self.EVAL_CHUNK,
                       with_cost=False)
        history.initial_pole_distance = initial
        epoch = {"closest": [math.inf] * layers, "near": 0}

        def step(X, Y):
            ds = sgd_step(self.weights, self.biases, self.cost, X, Y, eta, decay, **guard)
            epoch["closest"] = [min(c, d) for c, d in zip(epoch["closest"], ds)]
            epoch["near"] += min(ds) < self.pole_threshold

        def after_epoch(e, history):
            closest, near = epoch["closest"], int(epoch["near"])
            history.pole_distance.append(closest)
            history.near_pole_steps.append(near)
            epoch.update(closest=[math.inf] * layers, near=0)
            if near:
                layer = int(np.argmin(closest))
                warnings.warn(
                    f"epoch {e + 1}: {near} mini-batch steps came within "
                    f"pole_threshold={self.pole_threshold:g} of a pole of sigma (closest "
                    f"{closest[layer]:.3g}, z^{layer + 2}); use a smaller imag_scale "
                    "or a smaller eta", PoleWarning, stacklevel=6)

        return per_batch(step, train, m, self.dtype), after_epoch, self._feed(guard)
