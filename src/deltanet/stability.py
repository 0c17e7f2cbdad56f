"""Task 26, unstable gradients: the math, and probes of real networks.

Pure functions; :mod:`deltanet.experiments.gradients` runs them and stores the
numbers (answers: ``docs/task26.md``). For one neuron per layer BP2 gives

    delta^l = sigma'(z^l) w^{l+1} sigma'(z^{l+1}) ... sigma'(z^L) dC/da^L,

so ``|delta^l|`` carries the product ``Q^l = q^{l+1} ... q^L`` of the factors
``q = |w sigma'(z)|`` with ``z = w a + b``: (a) bounds sigma', (b) asks when
``q >= 1``, (c) models ``Q``. Layer indices ``l`` are 1-based as in the book;
arrays follow the core's ``Z^l = A^{l-1} W^l + b^l``, ``W^l`` of shape ``(n_in, n_out)``.
"""

import math
import warnings
from typing import NamedTuple

import numpy as np

from deltanet.activations import sigmoid_prime
from deltanet.network import check_sizes, forward

__all__ = [
    "log_sigmoid_prime", "sigmoid_prime_bound_derivation", "check_sigmoid_prime_bound",
    "interval_length", "gain_interval", "find_gain_interval", "NumericInterval",
    "interval_length_maximum", "interval_derivation", "uniform_hit_probability",
    "uniform_hit_probability_random_bias", "gain_fractions", "gain_population",
    "lognormal_product_moments", "iid_product_moments", "log_moments", "normal_model_moments",
    "draw_log_q_normal_model", "draw_log_q_lognormal", "draw_log_q_population",
    "simulate_products", "compare_product_moments", "paths_for_relative_error",
    "layer_gradient_norms", "exploding_parameters", "exploding_chain", "SHEET_FORMULA",
]

SHEET_FORMULA = "L(|w|) = (2/|w|) ln( (|w|/2) (1 + sqrt(1 - 4/|w|)) - 1 )"


# ------------------------------------------------------------- validation --

def _real(name, value):
    """Complex refused: a cast to float64 would drop the imaginary part with only a warning."""
    if np.iscomplexobj(value):
        raise TypeError(f"{name} must be real; got complex values (take .real or abs() "
                        "first if that is what you mean)")


def _finite(name, value, scalar=True):
    """``value`` as a float (``scalar``) or a float64 array; NaN and inf refused."""
    _real(name, value)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or an array of real numbers; "
                        f"got {value!r}") from None
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got {arr[~np.isfinite(arr)].flat[0].item()!r}")
    if scalar and arr.ndim != 0:
        raise ValueError(f"{name} must be a single number; got an array of shape {arr.shape}")
    return float(arr) if scalar else arr


def _positive(name, value, strict=True):
    """A finite number ``> 0``; ``strict=False``: a variance, ``>= 0``."""
    x = _finite(name, value)
    if x < 0 or (strict and x == 0):
        what = "must be > 0" if strict else "is a variance and must be >= 0"
        raise ValueError(f"{name} {what}; got {x!r}")
    return x


def _integer(name, value, minimum, odd=False):
    """An int ``>= minimum``; ``odd``: also odd, so that a symmetric grid holds ``z = 0``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum \
            or (odd and value % 2 == 0):
        what, hint = ("an odd integer", " (so z = 0 is on the grid)") if odd else ("an integer", "")
        raise ValueError(f"{name} must be {what} >= {minimum}{hint}; got {value!r}")
    return int(value)


def _check_k(k):
    """``k`` (the number of factors, ``L - l``): whole numbers >= 1, as float64."""
    arr = np.asarray(k)
    what = "k (the number of factors L - l) must be"
    if arr.dtype.kind not in "iuf" or arr.size == 0:          # (bool is kind "b")
        raise ValueError(f"{what} an integer >= 1 or an array of them; got {k!r}")
    if arr.dtype.kind == "f" and not (np.isfinite(arr).all() and np.all(arr == np.round(arr))):
        raise ValueError(f"{what} a whole number >= 1; got {k!r}")
    if np.any(arr < 1):
        raise ValueError(f"{what} >= 1; got {arr[arr < 1].flat[0].item()!r} (k = 0 would "
                         "be an empty product)")
    return arr.astype(np.int64).astype(np.float64)


def _scalar_or_array(arr):
    return float(arr) if np.ndim(arr) == 0 else arr


# --------------------------------------------------------- (a) sigma' bound --

def log_sigmoid_prime(z):
    """ln sigma'(z) = -|z| - 2 ln(1 + exp(-|z|)), exact and finite for all real z.

    ``sigma'(z) = sigma(z) sigma(-z)`` is symmetric; writing it through
    ``|z|`` never exponentiates a positive number, so there is no overflow and
    no ``log(0)`` where ``sigma(z) (1 - sigma(z))`` would round to 0.
    """
    _real("z", z)
    z = np.abs(np.asarray(z, dtype=np.float64))
    tail = np.log1p(np.exp(-z))
    tail *= 2.0                    # in place: the Monte Carlo calls this on 3e6 numbers
    out = -z
    out -= tail
    return _scalar_or_array(out)


def _sigma_prime(z):
    """sigma'(z) with full relative accuracy (underflows to 0 only for |z| > 745)."""
    return np.exp(log_sigmoid_prime(z))


def sigmoid_prime_bound_derivation():
    """Prove ``0 <= sigma'(z) <= 1/4`` with SymPy: ``steps`` (``{"key", "result"}``,
    the texts are the caller's) and each result on its own, as strings.

    >>> sigmoid_prime_bound_derivation()["maximum"]
    '1/4'
    """
    import sympy as sp
    from sympy.calculus.util import maximum

    z = sp.Symbol("z", real=True)
    p = sp.Symbol("p", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    dsigma = sp.diff(sigma, z)
    # a rational identity in e^{-z}: ``cancel`` proves it (``simplify`` tries far more)
    residual = sp.cancel(dsigma - sigma * (1 - sigma))
    sigma_limits = (sp.limit(sigma, z, -sp.oo), sp.limit(sigma, z, sp.oo))
    f = p * (1 - p)
    df = sp.diff(f, p)
    stationary = sp.solve(sp.Eq(df, 0), p)[0]
    d2f = sp.diff(f, p, 2)
    f_max = f.subs(p, stationary)
    f_max_interval = maximum(f, p, sp.Interval.open(0, 1))
    argmax_z = sp.solve(sp.Eq(sigma, stationary), z)[0]
    positive_set = sp.solve_univariate_inequality(f > 0, p, relational=False)
    dsigma_limits = (sp.limit(dsigma, z, -sp.oo), sp.limit(dsigma, z, sp.oo))
    steps = {
        "sigma": sp.sstr(sigma),
        "derivative": sp.sstr(dsigma),
        "identity": "sigma'(z) - sigma(z) (1 - sigma(z)) = " + sp.sstr(residual),
        "range": f"lim_(z->-oo) sigma = {sigma_limits[0]}, "
                 f"lim_(z->+oo) sigma = {sigma_limits[1]}",
        "stationary": f"d/dp p(1-p) = {sp.sstr(df)} = 0  =>  p = {sp.sstr(stationary)}; "
                      f"d2/dp2 = {sp.sstr(d2f)}",
        "maximum": f"max_(0<p<1) p(1-p) = {sp.sstr(f_max)} (sympy.maximum: "
                   f"{sp.sstr(f_max_interval)}); sigma(z) = {sp.sstr(stationary)} <=> z = "
                   f"{sp.sstr(argmax_z)}",
        "positive": f"{{p : p(1-p) > 0}} = {sp.sstr(positive_set)}",
        "limits": f"lim_(z->-oo) sigma'(z) = {dsigma_limits[0]}, "
                  f"lim_(z->+oo) sigma'(z) = {dsigma_limits[1]}",
        "conclusion": "0 <= sigma'(z) <= 1/4 (z in R), sigma'(z) = 1/4 <=> z = 0",
    }
    return {
        "steps": [{"key": key, "result": result} for key, result in steps.items()],
        "derivative": sp.sstr(dsigma), "identity_holds": bool(residual == 0),
        "sigma_increasing": bool(sp.is_strictly_increasing(sigma, sp.Reals)),
        "p_stationary": sp.sstr(stationary), "second_derivative": sp.sstr(d2f),
        "maximum": sp.sstr(f_max), "maximum_sympy_maximum": sp.sstr(f_max_interval),
        "maximum_value": float(f_max), "argmax_z": sp.sstr(argmax_z),
        "sigma_limits": [sp.sstr(v) for v in sigma_limits],
        "sigma_prime_limits": [sp.sstr(v) for v in dsigma_limits],
        "positive_on_open_interval": bool(positive_set.is_superset(sp.Interval.open(0, 1))),
    }


def check_sigmoid_prime_bound(z_max=1e3, n_points=2_000_001):
    """Evaluate the core's ``sigmoid_prime`` on a dense grid of ``[-z_max, z_max]``
    (with ``z = 0``, plus a log grid from ``|z| = 1e-8``), floating-point warnings
    as errors: ``min``, ``max``, ``argmax_z``, ``bound_holds`` (float64 and
    float32), ``max_abs_diff_accurate_form`` (vs ``exp(log_sigmoid_prime)``), ...
    """
    z_max, n_points = _positive("z_max", z_max), _integer("n_points", n_points, 3, odd=True)
    ticks = np.logspace(-8, np.log10(z_max), 2001)
    z = np.concatenate([np.linspace(-z_max, z_max, n_points), -ticks, ticks])
    chunks = []               # a chunk at a time: the same numbers, 1/8 of the memory
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            for start in range(0, z.size, 2 ** 18):
                part = z[start:start + 2 ** 18]
                sp64, sp32 = sigmoid_prime(part), sigmoid_prime(part.astype(np.float32))
                chunks.append((sp64.min(), sp64.max(), start + np.argmax(sp64),
                               all(np.all((s >= 0) & (s <= 0.25)) for s in (sp64, sp32)),
                               np.max(np.abs(sp64 - _sigma_prime(part))), sp32.max()))
    low, high, argmax, holds, diff, high32 = zip(*chunks)
    top = int(np.argmax(high))                     # the first chunk holding the maximum
    return {
        "n_points": int(z.size), "z_max": z_max, "min": float(min(low)),
        "max": float(high[top]), "argmax_z": float(z[argmax[top]]),
        "bound_holds": bool(all(holds)), "max_equals_quarter": bool(high[top] == 0.25),
        "max_abs_diff_accurate_form": float(max(diff)),
        "value_at_z_max": float(sigmoid_prime(np.float64(z_max))),
        "float32_max": float(max(high32)), "floating_point_warnings": 0,
    }


# ----------------------------------------------------- (b) interval length --

def interval_length(w):
    """Length of ``{a : |w sigma'(w a + b)| >= 1}`` (the sheet's formula), any ``b``.

    ``L(|w|) = (2/|w|) ln((|w|/2)(1 + r) - 1)`` with ``r = sqrt(1 - 4/|w|)``,
    evaluated as ``(2/|w|) log1p((|w|/2) r (1 + r))`` with ``r = sqrt((|w| - 4)/|w|)``
    (the same number, since ``r^2 = 1 - 4/|w|``, but accurate near ``|w| = 4``
    where L -> 0: neither the logarithm nor ``1 - 4/|w|`` cancels).
    ``ValueError`` for ``|w| < 4`` (the interval is empty) or non-finite ``w``.

    >>> round(interval_length(6.894151), 6)
    0.447743
    """
    abs_w = np.abs(_finite("w", w, scalar=False))
    if np.any(abs_w < 4):
        raise ValueError(
            f"w: the interval exists only for |w| >= 4; got |w| = {float(abs_w[abs_w < 4][0])!r}"
            ". For |w| < 4 the set {a : |w sigma'(w a + b)| >= 1} is empty, because "
            "|w sigma'(z)| <= |w|/4 < 1 for every z.")
    r = np.sqrt((abs_w - 4.0) / abs_w)     # = sqrt(1 - 4/|w|); |w| - 4 is exact near 4
    return _scalar_or_array((2.0 / abs_w) * np.log1p(0.5 * abs_w * r * (1.0 + r)))


def gain_interval(w, b):
    """The interval ``[lo, hi]`` of ``a`` with ``|w sigma'(w a + b)| >= 1`` (closed form).

    ``sigma'(z) >= 1/|w|`` holds for ``|z| <= c`` with
    ``c = ln((1 + r)/(1 - r)) = (|w|/2) L(|w|)``, so ``a`` lies in
    ``[(-c - b)/w, (c - b)/w]`` (sorted): centred at ``-b/w`` -- at the origin
    only for ``b = 0`` -- with length ``L(|w|)``.
    """
    half = 0.5 * interval_length(w)
    centre = -_finite("b", b, scalar=False) / _finite("w", w, scalar=False)
    return _scalar_or_array(centre - half), _scalar_or_array(centre + half)


class NumericInterval(NamedTuple):
    """The set ``{a : |w sigma'(w a + b)| >= 1}`` found by root finding."""

    lo: float | None        # None if the set is empty
    hi: float | None
    length: float
    peak: float             # where |w sigma'(w a + b)| is largest (numerically)
    peak_gain: float        # its value there
    is_interval: bool       # the grid agrees: >= 1 exactly between lo and hi


def find_gain_interval(w, b, *, n_grid=4001, z_margin=40.0):
    """Find ``{a : |w sigma'(w a + b)| >= 1}`` numerically, without the formula, for
    any real ``w`` (for ``|w| < 4`` the set is empty).

    1. ``g(a) = |w| sigma'(w a + b) - 1`` on a grid wide enough that ``g < 0``
       outside it: ``|w| sigma'(z) < |w| e^{-|z|} < e^{-z_margin}`` for
       ``|w a + b| > ln|w| + z_margin``.
    2. Maximize ``g`` (grid, then ``minimize_scalar``); if ``max g >= 0``,
       ``brentq`` each root between the peak and the nearest grid point with ``g < 0``.
    3. Check on the grid that ``g >= 0`` holds exactly between the two roots.
    """
    w, b = _finite("w", w), _finite("b", b)
    n_grid = _integer("n_grid", n_grid, 11)
    abs_w = abs(w)
    if w == 0:
        return NumericInterval(None, None, 0.0, 0.0, 0.0, True)

    from scipy import optimize     # here: only the math stage needs it (0.3 s to import)

    def g(a):
        return abs_w * _sigma_prime(w * a + b) - 1.0

    z_span = math.log(max(abs_w, 1.0)) + float(z_margin)
    ends = sorted(((-z_span - b) / w, (z_span - b) / w))
    a = np.linspace(ends[0], ends[1], n_grid)
    ga = g(a)
    i = int(np.argmax(ga))
    bracket = (a[max(i - 1, 0)], a[min(i + 1, n_grid - 1)])
    res = optimize.minimize_scalar(lambda x: -g(x), bounds=bracket, method="bounded",
                                   options={"xatol": 1e-14})
    peak, peak_g = float(a[i]), float(ga[i])
    if -res.fun >= ga[i]:
        peak, peak_g = float(res.x), float(g(res.x))
    if peak_g < 0:
        return NumericInterval(None, None, 0.0, peak, peak_g + 1.0, bool(np.all(ga < 0)))
    outside_left = np.nonzero((a < peak) & (ga < 0))[0]
    outside_right = np.nonzero((a > peak) & (ga < 0))[0]
    if len(outside_left) == 0 or len(outside_right) == 0:
        raise RuntimeError("find_gain_interval: the set reaches the end of the grid; "
                           "increase z_margin")
    lo = hi = peak
    if peak_g != 0:
        tol = {"xtol": 1e-300, "rtol": 4 * np.finfo(float).eps, "maxiter": 500}
        lo = optimize.brentq(g, a[outside_left[-1]], peak, **tol)
        hi = optimize.brentq(g, peak, a[outside_right[0]], **tol)
    inside = (a > lo) & (a < hi)
    outside = (a < lo) | (a > hi)
    is_interval = bool(np.all(ga[inside] >= -1e-12) and np.all(ga[outside] <= 1e-12))
    return NumericInterval(float(lo), float(hi), float(hi - lo), peak, peak_g + 1.0, is_interval)


def interval_length_maximum(bounds=(4.0, 100.0), xatol=1e-12):
    """The maximum of ``L(|w|)`` and where it occurs, by three independent routes.

    * ``bounded``: ``scipy.optimize.minimize_scalar(-L, method="bounded")`` on
      the sheet's formula (no derivative used);
    * ``stationarity``: ``L = (4/|w|) artanh(r)`` with ``r = sqrt(1 - 4/|w|)``
      gives ``dL/d|w| = (2/|w|^2) (1/r - 2 artanh r)``, so the maximum solves
      ``2 r artanh(r) = 1`` (``scipy.optimize.brentq``); then
      ``|w| = 4/(1 - r^2)`` and ``L = (1 - r^2)/(2 r)``;
    * ``sympy``: ``sympy.nsolve`` of the symbolic derivative of the sheet's
      formula with 30 significant digits.

    ``w_star`` and ``L_star`` are from ``stationarity``.
    """
    lo, hi = _finite("bounds[0]", bounds[0]), _finite("bounds[1]", bounds[1])
    if not 4 <= lo < hi:
        raise ValueError(f"bounds must satisfy 4 <= lower < upper; got {bounds!r}")
    import sympy as sp
    from scipy import optimize

    res = optimize.minimize_scalar(lambda x: -interval_length(x), bounds=(lo, hi),
                                   method="bounded", options={"xatol": xatol})
    r_star = optimize.brentq(lambda r: 2 * r * np.arctanh(r) - 1, 0.1, 0.99,
                             xtol=1e-300, rtol=4 * np.finfo(float).eps)
    w_star = 4.0 / (1.0 - r_star ** 2)
    if not lo < w_star < hi:                    # else "bounded" finds an endpoint
        raise ValueError(f"bounds must contain |w| = {w_star:.6g}, where L(|w|) is largest; "
                         f"got {bounds!r}")
    x = sp.Symbol("w", positive=True)
    sheet = 2 / x * sp.log(x / 2 * (1 + sp.sqrt(1 - 4 / x)) - 1)
    w_sym = sp.nsolve(sp.diff(sheet, x), x, float(res.x), prec=30)
    methods = {"bounded": (float(res.x), float(-res.fun)),
               "stationarity": (w_star, (1.0 - r_star ** 2) / (2.0 * r_star)),
               "sympy": (float(w_sym), float(sheet.subs(x, w_sym).evalf(30)))}

    def digits(values):
        spread = max(abs(v - values[0]) for v in values) / abs(values[0])
        return 16 if spread == 0 else int(math.floor(-math.log10(spread)))

    return {
        "w_star": methods["stationarity"][0], "L_star": methods["stationarity"][1],
        "r_star": float(r_star), "methods": {k: {"w": v[0], "L": v[1]} for k, v in methods.items()},
        "agreeing_significant_digits": {"w": digits([v[0] for v in methods.values()]),
                                        "L": digits([v[1] for v in methods.values()])},
        "bounds": [lo, hi], "xatol": float(xatol),
    }


def interval_derivation():
    """SymPy: solve ``|w| sigma'(z) >= 1`` and compare with the sheet's length.

    ``p(1-p) = 1/|w|`` at ``p = (1 +- r)/2``; ``z = ln(p/(1-p))`` gives
    ``|z| <= ln((1+r)/(1-r))``; ``a = (z - b)/w``. ``identity_holds``: the
    length ``2 ln((1+r)/(1-r)) / |w|`` is the sheet's formula.
    """
    import sympy as sp

    w = sp.Symbol("|w|", positive=True)
    p = sp.Symbol("p", positive=True)
    roots = sorted(sp.solve(sp.Eq(p * (1 - p), 1 / w), p), key=sp.default_sort_key)
    r = sp.sqrt(1 - 4 / w)
    identity = sp.cancel((1 + r) / (1 - r) - (w / 2 * (1 + r) - 1)) == 0
    steps = {
        "p_roots": "p(1-p) = 1/|w|  =>  p = " + ", ".join(sp.sstr(v) for v in roots),
        "z_interval": f"|z| <= {sp.sstr(sp.log((1 + r) / (1 - r)))},  r = sqrt(1 - 4/|w|)",
        "a_interval": "a in [(-c - b)/w, (c - b)/w]: centre -b/w, length 2c/|w|",
        "identity": f"(1+r)/(1-r) = (|w|/2)(1+r) - 1: {identity}",
    }
    return {"steps": [{"key": key, "result": result} for key, result in steps.items()],
            "identity_holds": bool(identity), "centre": "-b/w"}


def uniform_hit_probability(w, b):
    """P(a in the gain interval) for ``a ~ Uniform(0, 1)``: the overlap length
    (``L(|w|)`` when the centre ``-b/w`` lies in ``[L/2, 1 - L/2]``)."""
    lo, hi = gain_interval(w, b)
    return _scalar_or_array(np.clip(np.minimum(hi, 1.0) - np.maximum(lo, 0.0), 0.0, None))


def uniform_hit_probability_random_bias(w, bias_std=1.0):
    """``E_b[P(a in interval)]`` for ``a ~ U(0, 1)`` and ``b ~ N(0, bias_std^2)``
    (the default initialization's biases), by ``scipy.integrate.quad``."""
    w = abs(_finite("w", w))                  # -b/w has the same law for +-w
    half = 0.5 * interval_length(w)           # (|w| >= 4 checked)
    bias_std = _positive("bias_std", bias_std)

    def integrand(t):           # t = b / bias_std ~ N(0, 1)
        return uniform_hit_probability(w, bias_std * t) * math.exp(-0.5 * t * t) \
            / math.sqrt(2 * math.pi)

    # The overlap is nonzero only for centres -b/w within L/2 of (0, 1); beyond 40
    # standard deviations the density is below 1e-347 (so a narrow bell is not missed).
    lo, hi = (np.clip(np.array([-w * (1 + half), w * half]) / bias_std, -40.0, 40.0))
    kinks = [t for t in (-w * half / bias_std, -w * (1 - half) / bias_std) if lo < t < hi]
    from scipy import integrate
    value, _ = integrate.quad(integrand, lo, hi, points=kinks or None, limit=200)
    return float(value)


def _forward64(weights, biases, X):
    """The ``z^l`` of every layer, in float64."""
    X, n_in = _finite("X", X, scalar=False), np.shape(weights[0])[0]
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"X must have shape (m, {n_in}), one input per row; got {X.shape}")
    return forward([np.asarray(W, dtype=np.float64) for W in weights],
                   [np.asarray(b, dtype=np.float64) for b in biases], X)[0]


def gain_fractions(weights, biases, X):
    """How often is a factor ``|w sigma'(z)| >= 1`` in a real network?

    For layer ``l``, input ``x`` (a row of ``X``), neuron ``j`` and incoming
    connection ``k`` the factor is ``|W^l[k, j]| sigma'(z^l_j(x))``. Counted
    without forming the ``m * n_in * n_out`` products: per neuron, the
    sorted ``ln|W[:, j]|`` are compared with the thresholds ``-ln sigma'(z_j(x))``.

    Per layer: ``n_at_least_one`` of ``n_pairs`` (input, neuron, connection);
    ``n_neuron_input_any``: (input, neuron) with some factor ``>= 1``;
    ``median_gain`` of ``median_k |W_kj| sigma'(z_j)``.
    """
    out = []
    for l, (W, z) in enumerate(zip(weights, _forward64(weights, biases, X)), start=1):
        abs_W = np.abs(np.asarray(W, dtype=np.float64))          # (n_in, n_out)
        log_sp = log_sigmoid_prime(z)                            # (m, n_out)
        sp = np.exp(log_sp)
        # |w| sigma' >= 1  <=>  ln|w| >= -ln sigma'  (no 1/sigma' overflow)
        with np.errstate(divide="ignore"):
            sorted_log_W = np.sort(np.log(abs_W), axis=0)        # ln 0 = -inf: never counted
        n_in, n_out = abs_W.shape
        count = n_in - np.stack([np.searchsorted(sorted_log_W[:, j], -log_sp[:, j])
                                 for j in range(n_out)], axis=1)             # (m, n_out)
        max_w = abs_W.max(axis=0)                                # (n_out,)
        n_pairs = int(sp.size * n_in)
        out.append({
            "layer": l, "n_in": int(n_in), "n_out": int(n_out), "n_inputs": int(sp.shape[0]),
            "n_pairs": n_pairs, "n_at_least_one": int(count.sum()),
            "fraction": float(count.sum() / n_pairs),
            "n_neuron_input_pairs": int(sp.size),
            "n_neuron_input_any": int(np.count_nonzero(count)),
            "fraction_neuron_input_any": float(np.count_nonzero(count) / sp.size),
            "max_gain": float(np.max(max_w * sp.max(axis=0))),
            "median_gain": float(np.median(np.median(abs_W, axis=0) * sp)),
            "fraction_abs_w_ge_4": float(np.mean(abs_W >= 4)), "max_abs_w": float(max_w.max()),
        })
    return out


def gain_population(weights, biases, X, layers):
    """``ln q = ln|w| + ln sigma'(z)`` for all factors ``q = |W^l[k, j]| sigma'(z^l_j(x))``
    of the given layers, as one flat float64 array; a weight equal to 0 (``ln q =
    -inf``) is a ``ValueError``."""
    zs = _forward64(weights, biases, X)
    parts = []
    for l in layers:
        if not 1 <= l <= len(weights):
            raise ValueError(f"layers must be in 1..{len(weights)}; got {l!r}")
        abs_W = np.abs(np.asarray(weights[l - 1], dtype=np.float64))  # (n_in, n_out)
        if np.any(abs_W == 0):
            raise ValueError(f"layer {l} has {int(np.sum(abs_W == 0))} weights equal to 0; "
                             "ln q would be -inf")
        log_sp = log_sigmoid_prime(zs[l - 1])                         # (m, n_out)
        parts.append((np.log(abs_W)[None, :, :] + log_sp[:, None, :]).ravel())
    return np.concatenate(parts)


# ------------------------------------------------- (c) the product Q of q --

def lognormal_product_moments(mu, s2, k):
    """Mean and variance of ``Q = q_1 ... q_k`` if ``ln Q ~ N(k mu, k s2)``.

    ``E[Q] = exp(k mu + k s2 / 2)``, ``Var[Q] = (exp(k s2) - 1) exp(2 k mu + k s2)``:
    the log-normal moments with parameters ``(k mu, k s2)``, since the mean
    and the variance of a sum of ``k`` independent ``ln q`` add up.
    ``mu, s2``: mean and variance (>= 0) of ``ln q``; ``k``: the number of
    factors ``L - l`` (int >= 1 or an array of them; the results are alike).

    >>> lognormal_product_moments(0.0, 0.0, 3)
    (1.0, 0.0)
    """
    mu = _finite("mu", mu)
    s2 = _positive("s2", s2, strict=False)
    k = _check_k(k)
    with np.errstate(over="ignore", divide="ignore"):
        mean = np.exp(k * mu + 0.5 * k * s2)
        # ln Var = 2 k mu + 2 k s2 + ln(1 - e^{-k s2}): overflows or underflows only
        # where Var itself does (the product of its two factors can give inf * 0)
        var = np.exp(2 * k * mu + 2 * k * s2 + np.log(-np.expm1(-k * s2)))
    return _scalar_or_array(mean), _scalar_or_array(var)


def iid_product_moments(m1, m2, k):
    """Exact mean and variance of a product of ``k`` i.i.d. factors.

    ``E[Q] = m1^k`` and ``Var[Q] = m2^k - m1^{2k} = m1^{2k} (exp(k ln(m2/m1^2)) - 1)``
    with ``m1 = E[q] > 0``, ``m2 = E[q^2] >= m1^2``: no distributional
    assumption, so this is the reference for the log-normal formula.
    """
    m1, m2 = _finite("m1", m1), _finite("m2", m2)
    if m1 <= 0:
        raise ValueError(f"m1 = E[q] must be > 0; got {m1!r}")
    if m2 < m1 * m1 * (1 - 1e-12):
        raise ValueError(f"m2 = E[q^2] must be >= m1^2 = {m1 * m1!r} (a variance is "
                         f">= 0); got {m2!r}")
    k = _check_k(k)
    with np.errstate(over="ignore", divide="ignore"):
        mean = np.exp(k * math.log(m1))
        # ln Var = k ln m2 + ln(1 - (m1^2/m2)^k): no m1^{2k} that underflows alone
        var = np.exp(k * math.log(m2) + np.log(-np.expm1(-k * _log_moment_ratio(m1, m2))))
    return _scalar_or_array(mean), _scalar_or_array(var)


def _log_moment_ratio(m1, m2):
    """``ln(m2 / m1^2) >= 0``, so that ``Var[Q] / E[Q]^2 = expm1(k ln(m2/m1^2))``."""
    return max(math.log(m2) - 2 * math.log(m1), 0.0)


def _relative_variance(m1, m2, k):
    """``Var[Q] / E[Q]^2 = (m2/m1^2)^k - 1`` for float64 ``k``."""
    with np.errstate(over="ignore"):
        return np.expm1(k * _log_moment_ratio(float(m1), float(m2)))


def paths_for_relative_error(m1, m2, k, rel=0.1):
    """Monte Carlo paths needed so that the sample mean of ``Q`` has relative
    standard error ``rel``: ``n = (Var[Q] / E[Q]^2) / rel^2 = ((m2/m1^2)^k - 1) / rel^2``."""
    iid_product_moments(m1, m2, k)                     # validates m1, m2, k
    rel = _positive("rel", rel)
    return _scalar_or_array(_relative_variance(m1, m2, _check_k(k)) / rel ** 2)


def log_moments(log_q):
    """``(mu, s^2)``: sample mean and variance (ddof=1) of ``ln q``."""
    log_q = _finite("log_q", log_q, scalar=False).ravel()
    if log_q.size < 2:
        raise ValueError(f"log_q needs at least 2 values; got {log_q.size}")
    return float(log_q.mean()), float(log_q.var(ddof=1))


def normal_model_moments():
    """Exact moments of ``q = |w sigma'(z)|`` for independent ``w, z ~ N(0, 1)``.

    ``E|w| = sqrt(2/pi)``, ``E w^2 = 1``, ``E ln|w| = -(gamma + ln 2)/2``,
    ``Var ln|w| = pi^2/8``; the ``sigma'(z)`` moments by ``quad`` against the
    normal density. ``m1 = E q``, ``m2 = E q^2``, ``mu = E ln q``, ``s2 = Var ln q``.
    """
    from scipy import integrate

    def expect(f, power):                        # E[f(z)^power], z ~ N(0, 1)
        value, _ = integrate.quad(lambda z: float(f(z)) ** power * math.exp(-0.5 * z * z),
                                  -np.inf, np.inf, epsabs=0, epsrel=1e-13, limit=200)
        return value / math.sqrt(2 * math.pi)

    e_sp, e_sp2, e_lsp, e_lsp2 = (expect(f, power) for f in (_sigma_prime, log_sigmoid_prime)
                                  for power in (1, 2))
    e_log_w = -(np.euler_gamma + math.log(2)) / 2
    var_log_w = math.pi ** 2 / 8
    return {
        "m1": math.sqrt(2 / math.pi) * e_sp, "m2": 1.0 * e_sp2, "mu": e_log_w + e_lsp,
        "s2": var_log_w + (e_lsp2 - e_lsp ** 2), "E_abs_w": math.sqrt(2 / math.pi),
        "E_log_abs_w": e_log_w, "Var_log_abs_w": var_log_w, "E_sigma_prime": e_sp,
        "E_sigma_prime_sq": e_sp2, "E_log_sigma_prime": e_lsp,
        "Var_log_sigma_prime": e_lsp2 - e_lsp ** 2,
    }


def draw_log_q_normal_model(rng, shape):
    """``ln q = ln|w| + ln sigma'(z)`` with independent ``w, z ~ N(0, 1)``."""
    w = rng.standard_normal(shape)
    w[w == 0] = np.finfo(float).tiny                 # probability 0; keeps ln finite
    log_q = np.log(np.abs(w, out=w), out=w)          # in place: one array of shape less
    log_q += log_sigmoid_prime(rng.standard_normal(shape))
    return log_q


def draw_log_q_lognormal(rng, shape, mu, s2):
    """``ln q ~ N(mu, s2)``: q exactly log-normal (the formula is then exact)."""
    return rng.normal(_finite("mu", mu), math.sqrt(_positive("s2", s2, strict=False)),
                      size=shape)


def draw_log_q_population(rng, shape, log_q):
    """i.i.d. draws (with replacement) from a fixed population of ``ln q``."""
    if len(log_q) == 0:
        raise ValueError("log_q must hold at least one value to draw from; got none")
    return log_q[rng.integers(0, len(log_q), size=shape)]


def simulate_products(draw_log_q, k_max, n_paths, rng, *, hist_k=(), hist_bins=60):
    """Monte Carlo of ``Q_k = q_1 ... q_k`` for ``k = 1 .. k_max`` along ``n_paths`` paths.

    ``draw_log_q(rng, shape)`` draws ``ln q`` (e.g. :func:`draw_log_q_normal_model`);
    ``hist_k``: the ``k`` whose histogram of ``ln Q_k`` is returned. Returns lists
    over ``k`` (``mean``, ``var`` with ddof=1, ``median``, ``mean_log``,
    ``var_log``), ``mu_hat``, ``s2_hat`` (of all ``n_paths * k_max`` draws of
    ``ln q``) and ``hist`` ``{k: {"edges", "density"}}``.
    """
    k_max = int(_check_k(k_max))
    n_paths = _integer("n_paths", n_paths, 2)
    hist_k = [_integer("hist_k entries", k, 1) for k in hist_k]
    if any(k > k_max for k in hist_k):
        raise ValueError(f"hist_k must lie in 1..k_max = {k_max}; got {hist_k}")
    log_q = draw_log_q(rng, (n_paths, k_max))                 # (n_paths, k_max)
    if not np.isfinite(log_q).all():
        raise ValueError("draw_log_q returned non-finite values")
    mu_hat, s2_hat = log_moments(log_q)
    log_Q = np.cumsum(log_q, axis=1)                          # (n_paths, k_max)
    del log_q                     # at most two arrays of this shape alive (peak memory)
    hist = {}
    for k in hist_k:
        density, edges = np.histogram(log_Q[:, k - 1], bins=hist_bins, density=True)
        hist[k] = {"edges": edges.tolist(), "density": density.tolist()}
    mean, var = [], []
    for j in range(0, k_max, 8):          # Q = exp(ln Q) a few columns at a time (memory)
        Q = np.exp(log_Q[:, j:j + 8])
        mean += Q.mean(axis=0).tolist()
        var += Q.var(axis=0, ddof=1).tolist()
    return {
        "k": list(range(1, k_max + 1)), "n_paths": n_paths, "mean": mean, "var": var,
        "median": np.exp(np.median(log_Q, axis=0)).tolist(),
        "mean_log": log_Q.mean(axis=0).tolist(), "var_log": log_Q.var(axis=0, ddof=1).tolist(),
        "mu_hat": mu_hat, "s2_hat": s2_hat, "hist": hist,
    }


def compare_product_moments(sim, m1, m2, mu=None, s2=None):
    """Table over k: the log-normal formula against exact moments and Monte Carlo.

    ``mu, s2`` for the formula default to the simulation's estimates
    ``sim["mu_hat"], sim["s2_hat"]``. Relative errors are ``(x - ref) / ref``.
    ``mean_mc_rel_se`` is the relative standard error of the Monte Carlo mean,
    ``sqrt(Var[Q] / n) / E[Q]`` from the exact moments, and ``paths_for_10pct``
    the number of paths needed to bring it to 10 %.
    """
    mu = sim["mu_hat"] if mu is None else _finite("mu", mu)
    s2 = sim["s2_hat"] if s2 is None else _positive("s2", s2, strict=False)
    k = np.asarray(sim["k"])
    n = sim["n_paths"]
    mean_f, var_f = lognormal_product_moments(mu, s2, k)
    mean_x, var_x = iid_product_moments(m1, m2, k)
    mean_mc, var_mc = np.asarray(sim["mean"]), np.asarray(sim["var"])
    median_f, median_mc = np.exp(k * mu), np.asarray(sim["median"])

    def rel(x, ref):
        return ((x - ref) / ref).tolist()

    rel_var = _relative_variance(m1, m2, k)                 # Var/E^2, exact
    out = {"k": k.tolist(), "mu": mu, "s2": s2, "m1": float(m1), "m2": float(m2), "n_paths": n}
    for name, formula, exact, mc in (("mean", mean_f, mean_x, mean_mc),
                                     ("var", var_f, var_x, var_mc)):
        out.update({f"{name}_formula": formula.tolist(), f"{name}_exact": exact.tolist(),
                    f"{name}_mc": mc.tolist(),
                    f"{name}_rel_err_formula_vs_exact": rel(formula, exact),
                    f"{name}_rel_err_formula_vs_mc": rel(formula, mc),
                    f"{name}_rel_err_mc_vs_exact": rel(mc, exact)})
    return {**out, "median_formula": median_f.tolist(), "median_mc": median_mc.tolist(),
            "median_rel_err_formula_vs_mc": rel(median_f, median_mc),
            "mean_mc_rel_se": np.sqrt(rel_var / n).tolist(),
            "paths_for_10pct": (rel_var / 0.01).tolist()}


# ------------------------------------------------------ gradient probes --

def layer_gradient_norms(net, X, Y):
    """``||nabla_b^l||`` per layer of the mean gradient over ``(X, Y)``, the book's
    "speed of learning" (the numbers ``sgd(..., monitor_gradient_norms=True)`` records)."""
    _, nabla_b = net.gradient(X, Y)
    return [float(np.linalg.norm(nb)) for nb in nabla_b]


def exploding_parameters(sizes, w=100.0, rng=None, tune_biases=True):
    """Weights and biases that make every factor ``|w sigma'(z)|`` equal ``|w|/4``.

    Layer 1: ``W^1 = 0``, ``b^1 = 0``, so ``a^1 = sigma(0) = 1/2`` for every
    input. Layers ``l >= 2``: ``W^l = +-w`` (random signs) and
    ``b^l_j = -(1/2) sum_k W^l_kj``, so ``z^l = 0``, ``sigma'(z^l) = 1/4`` and
    ``||nabla_b^l|| ~ (|w|/4) sqrt(n_l) ||nabla_b^{l+1}||``: the gradient grows
    toward the input. ``tune_biases=False`` keeps ``b = 0``: then ``|z^l| ~
    (|w|/2) sqrt(n_{l-1})`` and ``sigma'`` collapses -- the factors are tiny again.
    """
    w, sizes = _finite("w", w), check_sizes(sizes)
    rng = np.random.default_rng(rng)
    weights, biases = [np.zeros((sizes[0], sizes[1]))], [np.zeros(sizes[1])]
    for n_in, n_out in zip(sizes[1:-1], sizes[2:]):
        W = w * rng.choice([-1.0, 1.0], size=(n_in, n_out))        # (n_in, n_out)
        weights.append(W)
        biases.append(-0.5 * W.sum(axis=0) if tune_biases else np.zeros(n_out))
    return weights, biases


def exploding_chain(n_layers=5, w=100.0, x=0.5):
    """The book's chain of single neurons with ``w^l = w`` and ``z^l = 0``.

    ``b^1 = -w x`` for the input ``x`` and ``b^l = -w/2`` for ``l >= 2``
    (since ``a^{l-1} = sigma(0) = 1/2``): every factor is ``|w|/4``.
    Returns ``(sizes, weights, biases)`` for :class:`deltanet.network.Network`.
    """
    w, x = _finite("w", w), _finite("x", x)
    n_layers = _integer("n_layers", n_layers, 1)
    weights = [np.full((1, 1), w) for _ in range(n_layers)]
    biases = [np.full(1, -w * x)] + [np.full(1, -w / 2) for _ in range(n_layers - 1)]
    return [1] * (n_layers + 1), weights, biases
