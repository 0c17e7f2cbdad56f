"""Drop-in replacement for the course's ``mnist_loader.py``.

Serves deltanet's bundled MNIST digits (nothing to download) in the formats
network2 expects; pass ``path`` to read the course's ``mnist.pkl.gz`` instead
(through :func:`deltanet.datasets.load_course_pickle`, which refuses to run
code from the file). The bundled data are split like the course's file:
training = the first 50,000 official training images, validation = the last
10,000, test = the official 10,000; pixels are ``value / 256`` in float32.

>>> from deltanet.compat import mnist_loader
>>> training_data, validation_data, test_data = mnist_loader.load_data_wrapper()
>>> x, y = training_data[0]
>>> x.shape, y.shape, int(validation_data[0][1])
((784, 1), (10, 1), 3)
"""

import numpy as np

from deltanet.datasets import load_course_pickle, load_mnist

__all__ = ["load_data", "load_data_wrapper", "vectorized_result"]


def load_data(path=None):
    """MNIST as ``(training_data, validation_data, test_data)``.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The course's ``mnist.pkl.gz``; default: the data bundled with deltanet.

    Returns
    -------
    tuple of three ``(images, labels)`` pairs
        ``images`` float32 (n, 784) with values ``pixel / 256``, ``labels``
        int64 (n,); n = 50,000, 10,000, 10,000. Fresh, writable arrays.
    """
    splits = load_mnist() if path is None else load_course_pickle(path)
    return tuple((split.features(np.float32), split.labels.copy()) for split in splits)


def load_data_wrapper(path=None):
    """MNIST in network2's formats: ``(training_data, validation_data, test_data)``.

    ``training_data`` is a list of 50,000 pairs ``(x, y)`` with ``x`` the
    image as a float32 column (784, 1) and ``y`` the one-hot float64 column
    (10, 1) of its digit; ``validation_data`` and ``test_data`` are lists of
    10,000 pairs ``(x, label)`` with an integer label. The columns are views
    of one array per split (no per-sample copies). ``path`` as in
    :func:`load_data`.
    """
    (train_x, train_y), (val_x, val_y), (test_x, test_y) = load_data(path)
    training_inputs = _columns(train_x)
    training_results = list(_one_hot(train_y)[:, :, np.newaxis])      # (n, 10, 1)
    training_data = list(zip(training_inputs, training_results))
    validation_data = list(zip(_columns(val_x), val_y))
    test_data = list(zip(_columns(test_x), test_y))
    return training_data, validation_data, test_data


def vectorized_result(j):
    """A (10, 1) column with 1.0 at position ``j`` and zeros elsewhere."""
    e = np.zeros((10, 1))
    e[j] = 1.0
    return e


def _columns(images):
    """(n, d) images as n column views (d, 1)."""
    return list(images.reshape(len(images), images.shape[1], 1))


def _one_hot(labels):
    out = np.zeros((len(labels), 10))
    out[np.arange(len(labels)), labels] = 1.0
    return out
