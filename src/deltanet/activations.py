"""The sigmoid neuron, computed so that it never overflows.

``sigmoid`` is :func:`scipy.special.expit`: one ufunc call, exact in float32 and
float64, free of overflow warnings for every finite ``z`` (it never evaluates
``exp`` of a large positive number).
"""

from scipy.special import expit

__all__ = ["sigmoid", "sigmoid_prime", "sigmoid_prime_from_output", "ACTIVATIONS"]


def sigmoid(z, out=None):
    """sigma(z) = 1 / (1 + exp(-z)), elementwise, dtype preserved."""
    return expit(z, out=out)


def sigmoid_prime(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)), always in [0, 1/4]."""
    s = expit(z)
    return s * (1 - s)


def sigmoid_prime_from_output(a):
    """sigma'(z) written through a = sigma(z): a (1 - a).

    Backprop uses this form because the forward pass already holds ``a``.
    The identity is algebraic, so it holds for complex ``z`` as well.
    """
    return a * (1 - a)


ACTIVATIONS = {"sigmoid": (sigmoid, sigmoid_prime)}
