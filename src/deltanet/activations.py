"""The sigmoid neuron, computed so that it never overflows.

``sigmoid`` is :func:`scipy.special.expit`: one ufunc call, exact in float32 and
float64, free of overflow warnings for every finite ``z`` (it never evaluates
``exp`` of a large positive number). SciPy is imported on the first call, not
with the package: ``import deltanet`` stays fast.
"""

import functools

__all__ = ["sigmoid", "sigmoid_prime", "sigmoid_prime_from_output", "special"]


@functools.cache
def special():
    """:mod:`scipy.special`, imported once, on first use (it takes ~0.3 s)."""
    import scipy.special
    return scipy.special


def sigmoid(z, out=None):
    """sigma(z) = 1 / (1 + exp(-z)), elementwise, dtype preserved."""
    return special().expit(z, out=out)


def sigmoid_prime(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)), always in [0, 1/4]."""
    s = special().expit(z)
    return s * (1 - s)


def sigmoid_prime_from_output(a):
    """sigma'(z) written through a = sigma(z): a (1 - a).

    Backprop uses this form because the forward pass already holds ``a``.
    The identity is algebraic, so it holds for complex ``z`` as well.
    """
    return a * (1 - a)
