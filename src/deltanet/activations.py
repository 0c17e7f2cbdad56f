"""The sigmoid neuron without overflow: :func:`scipy.special.expit` (one ufunc,
never ``exp`` of a large number), imported on first call so ``import deltanet``
stays fast."""

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
    """sigma'(z) = a (1 - a) with a = sigma(z), which the forward pass holds
    (an algebraic identity: it holds for complex ``z`` too)."""
    return a * (1 - a)
