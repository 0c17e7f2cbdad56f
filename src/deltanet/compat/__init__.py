"""Drop-ins for the course's network2 material, running on deltanet's core.

Change the import line of a course script and nothing else::

    from deltanet.compat import network2, mnist_loader

:mod:`deltanet.compat.network2` reproduces ``network2.py`` (same API, same
numbers under the same seeds, many times faster); :mod:`deltanet.compat.mnist_loader`
serves the bundled MNIST digits (or the course's ``mnist.pkl.gz``) in the
formats of ``mnist_loader.py``.
"""

from deltanet.compat import mnist_loader, network2

__all__ = ["network2", "mnist_loader"]
