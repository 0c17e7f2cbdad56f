"""Cost functions of network2 and the ``COSTS`` registry.

Each cost is a class with two static methods, as on the exercise sheet:

* ``fn(a, y)``: the cost summed over all entries of ``a`` (one sample or a
  batch of samples in rows); divide by the number of samples for the mean.
* ``delta(z, a, y)``: the output error delta^L = dC/dz^L (equation BP1).
"""

import numpy as np
from scipy.special import xlogy

from deltanet.activations import sigmoid_prime

__all__ = ["QuadraticCost", "CrossEntropyCost", "COSTS", "get_cost", "cost_name"]


class QuadraticCost:
    """C = 1/2 ||a - y||^2."""

    name = "quadratic"

    @staticmethod
    def fn(a, y):
        return 0.5 * np.sum(np.square(a - y))

    @staticmethod
    def delta(z, a, y):
        # BP1: dC/da = (a - y), times sigma'(z).
        return (a - y) * sigmoid_prime(z)


class CrossEntropyCost:
    """C = -sum[y ln a + (1 - y) ln(1 - a)].

    Finite for a in {0, 1} by construction: ``a`` is clipped to the open
    interval (tiny, 1 - eps/2) of its dtype and ``xlogy`` makes 0 ln 0 = 0,
    so no ``nan_to_num`` is needed afterwards.
    """

    name = "cross-entropy"

    @staticmethod
    def fn(a, y):
        a = np.asarray(a)
        dtype = a.dtype if np.issubdtype(a.dtype, np.floating) else np.float64
        finfo = np.finfo(dtype)
        a = np.clip(a, finfo.tiny, 1 - finfo.epsneg)
        return -np.sum(xlogy(y, a) + xlogy(1 - y, 1 - a))

    @staticmethod
    def delta(z, a, y):
        # BP1 with dC/da = (a - y) / (a (1 - a)): the sigma'(z) cancels.
        return a - y


COSTS = {"quadratic": QuadraticCost, "cross-entropy": CrossEntropyCost}
# Names under which other code refers to the same classes (network2's JSON
# stores the class name; command lines like underscores).
_ALIASES = {
    "QuadraticCost": "quadratic",
    "CrossEntropyCost": "cross-entropy",
    "cross_entropy": "cross-entropy",
    "crossentropy": "cross-entropy",
}


def get_cost(cost):
    """Return the cost class for a registry name, a cost class or an instance.

    Classes that merely have the same name are accepted too (for example
    network2's own ``CrossEntropyCost``), mapped to deltanet's class.
    """
    if isinstance(cost, str):
        key = _ALIASES.get(cost, cost)
        if key not in COSTS:
            allowed = ", ".join(sorted(set(COSTS) | set(_ALIASES)))
            raise ValueError(f"cost must be one of {allowed}; got {cost!r}")
        return COSTS[key]
    cls = cost if isinstance(cost, type) else type(cost)
    if cls in COSTS.values():
        return cls
    if cls.__name__ in _ALIASES:
        return COSTS[_ALIASES[cls.__name__]]
    raise TypeError(
        f"cost must be a registry name ({', '.join(COSTS)}) or one of "
        f"QuadraticCost, CrossEntropyCost; got {cost!r}"
    )


def cost_name(cost):
    """The registry key of a cost class, e.g. ``'cross-entropy'``."""
    return get_cost(cost).name
