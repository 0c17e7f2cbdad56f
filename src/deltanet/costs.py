"""Cost functions of network2 and the ``COSTS`` registry (names for the CLI,
``save`` and ``load``; :func:`register_cost` adds yours).

A cost is any class with two static methods, as on the exercise sheet: ``fn(a,
y)``, the cost summed over all entries (one sample or rows of samples), and
``delta(z, a, y)``, the output error delta^L = dC/dz^L (BP1). Training calls
``delta`` on a mini-batch ``(m, n_out)``, samples in rows; a class that only
works on network2's columns ``(n_out, 1)`` is detected once (:func:`batched`)
and called per sample.
"""

import inspect

import numpy as np

from deltanet.activations import sigmoid, sigmoid_prime, special

__all__ = ["QuadraticCost", "CrossEntropyCost", "COSTS", "get_cost", "register_cost",
           "cost_name", "file_name", "saved_name", "batched"]


class QuadraticCost:
    """C = 1/2 ||a - y||^2."""

    name = "quadratic"
    network2_name = "QuadraticCost"      # the name network2's JSON files store

    @staticmethod
    def fn(a, y):
        return 0.5 * np.sum(np.square(a - y))

    @staticmethod
    def delta(z, a, y):
        # BP1: dC/da = (a - y), times sigma'(z).
        return (a - y) * sigmoid_prime(z)


class CrossEntropyCost:
    """C = -sum[y ln a + (1 - y) ln(1 - a)], finite for a in {0, 1} by construction:
    ``a`` is clipped to (tiny, 1 - eps/2) of its dtype and ``xlogy`` makes 0 ln 0 = 0.
    """

    name = "cross-entropy"
    network2_name = "CrossEntropyCost"

    @staticmethod
    def fn(a, y):
        a = np.asarray(a)
        dtype = a.dtype if np.issubdtype(a.dtype, np.floating) else np.float64
        finfo = np.finfo(dtype)
        a = np.clip(a, finfo.tiny, 1 - finfo.epsneg)
        xlogy = special().xlogy
        return -np.sum(xlogy(y, a) + xlogy(1 - y, 1 - a))

    @staticmethod
    def delta(z, a, y):
        # BP1 with dC/da = (a - y) / (a (1 - a)): the sigma'(z) cancels.
        return a - y


COSTS = {"quadratic": QuadraticCost, "cross-entropy": CrossEntropyCost}
_BUILT_IN = tuple(COSTS.values())
_ALIASES = {"cross_entropy": "cross-entropy", "crossentropy": "cross-entropy"}


def register_cost(cls, name=None):
    """Add ``cls`` to :data:`COSTS` under ``name`` (default: its class name, which
    saved files store), so that networks with this cost can be loaded. The names of
    the built-in costs stay theirs (``ValueError``)."""
    cls = get_cost(cls)
    name = name or file_name(cls)
    saved_name(cls)                 # the name files store, and the registry's key
    saved_name(cls, name)
    if _by_name(name) is not cls:
        COSTS[name] = cls
    return cls


def saved_name(cost, name=None):
    """The name files store for ``cost`` (:func:`file_name`), or ``ValueError`` if
    ``name`` (default: that name) is a built-in cost's and ``cost`` computes other
    numbers: a file naming it would load as the built-in, not as ``cost``."""
    name = name or file_name(cost)
    known = _by_name(name)
    if known in _BUILT_IN:
        try:
            same = get_cost(cost) is known
        except TypeError:       # methods that need ``self``: not the built-in
            same = False
        if not same:
            raise ValueError(
                f"the cost {cost.__module__}.{cost.__qualname__} is named {name!r} like "
                f"deltanet's built-in {known.name!r} cost but computes other numbers: a "
                "network saved with it would load with the built-in cost. Give your class "
                "a name of its own")
    return file_name(cost)


def _by_name(name):
    for key, cls in COSTS.items():
        if name in (key, file_name(cls)):
            return cls
    return COSTS.get(_ALIASES.get(name))


def _same_numbers(cost, other, shape):
    """True if ``cost`` gives ``other``'s ``delta`` and ``fn`` (to 1e-12) on fixed
    ``(z, a, y)`` of ``shape``; False too if ``cost`` fails on them."""
    rng = np.random.default_rng(0)
    z = rng.uniform(-2, 2, shape)
    a, y = sigmoid(z), rng.uniform(0, 1, shape)
    try:
        delta = np.asarray(cost.delta(z, a, y))
        return bool(delta.shape == z.shape
                    and np.allclose(delta, other.delta(z, a, y), rtol=1e-12)
                    and np.isclose(cost.fn(a, y), other.fn(a, y), rtol=1e-12))
    except Exception:       # any failure on the probe (a shape assert, ...)
        return False


def get_cost(cost):
    """The cost class for a registry name, a cost class or an instance. A class
    named like a registered ``network2_name`` (network2's ``CrossEntropyCost``)
    maps to the registered class if it computes the same numbers; any other with
    ``fn`` and ``delta`` is kept.
    """
    if isinstance(cost, str):
        cls = _by_name(cost)
        if cls is None:
            known = ", ".join(f"{key} ({file_name(c)})"
                              for key, c in COSTS.items())
            raise ValueError(
                f"cost must be one of {known}, or a class with static fn(a, y) and "
                f"delta(z, a, y); got {cost!r}. To load a network with a cost of your "
                "own, call deltanet.costs.register_cost(MyCost) first")
        return cls
    cls = cost if isinstance(cost, type) else type(cost)
    if cls in COSTS.values():
        return cls
    known = _by_name(cls.__name__)
    if (known is not None and cls.__name__ == file_name(known)
            and _same_numbers(cls, known, (3, 1))):
        return known
    if callable(getattr(cls, "fn", None)) and callable(getattr(cls, "delta", None)):
        for method, args in (("fn", ("a", "y")), ("delta", ("z", "a", "y"))):
            try:
                inspect.signature(getattr(cls, method)).bind(*args)
            except TypeError:
                raise TypeError(f"{cls.__name__}.{method} must take ({', '.join(args)}) when "
                                "called on the class: declare it @staticmethod, as network2's "
                                "costs do") from None
            except ValueError:          # no signature to read (a builtin): trust it
                pass
        return cls
    raise TypeError(
        f"cost must be a registry name ({', '.join(COSTS)}) or a class with static methods "
        f"fn(a, y) and delta(z, a, y); got {cost!r}")


def cost_name(cost):
    """The registry name of a cost class (its class name for a custom cost). Names are
    the class's own: a subclass of a built-in cost may compute other numbers."""
    return vars(cost).get("name") or cost.__name__


def file_name(cost):
    """The name saved files store: network2's class name (a custom cost's own)."""
    return vars(cost).get("network2_name") or cost.__name__


_BATCHED = {}


def batched(cost):
    """``cost`` if its ``delta`` and ``fn`` work on a batch of rows, else a per-row
    wrapper: decided once per class on a 2-row probe against per-sample column
    calls. A class with ``takes_rows = True`` is used as is."""
    if cost in COSTS.values() or getattr(cost, "takes_rows", False):
        return cost             # built in, or declared to take a batch of rows
    if cost not in _BATCHED:
        per_row = _PerRow(cost)
        _BATCHED[cost] = cost if _same_numbers(cost, per_row, (2, 3)) else per_row
    return _BATCHED[cost]


class _PerRow:
    """A cost whose methods take one column ``(n_out, 1)``, applied row by row."""

    def __init__(self, cost):
        self.cost, self.name = cost, cost_name(cost)

    def delta(self, z, a, y):
        rows = [np.reshape(self.cost.delta(zi[:, None], ai[:, None], yi[:, None]), -1)
                for zi, ai, yi in zip(z, a, y)]
        bad = next((row for row in rows if row.shape != z.shape[1:]), None)
        if bad is not None:
            raise ValueError(f"{self.name}.delta(z, a, y) must return an array of the shape "
                             f"of z, ({z.shape[1]}, 1) for one sample; got {bad.size} numbers")
        return np.stack(rows)

    def fn(self, a, y):
        return sum(float(self.cost.fn(ai[:, None], yi[:, None])) for ai, yi in zip(a, y))
