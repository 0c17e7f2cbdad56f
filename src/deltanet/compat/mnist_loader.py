"""Drop-in replacement for the course's ``mnist_loader.py``.

Serves deltanet's bundled MNIST digits (nothing to download) in network2's
formats, or with ``path`` the course's ``mnist.pkl.gz`` (read by
:func:`deltanet.datasets.load_course_pickle`, which runs no code from the file).
Split like the course's file: training = the first 50,000 official training
images, validation = the last 10,000, test = the official 10,000; pixels are
``value / 256`` in float32.

>>> from deltanet.compat import mnist_loader
>>> training_data, validation_data, test_data = mnist_loader.load_data_wrapper()
>>> x, y = training_data[0]
>>> x.shape, y.shape, int(validation_data[0][1])
((784, 1), (10, 1), 3)
"""

import numpy as np

from deltanet.compat.network2 import vectorized_result
from deltanet.datasets import load_course_pickle, load_mnist

__all__ = ["load_data", "load_data_wrapper", "vectorized_result"]


def load_data(path=None):
    """MNIST as ``(training_data, validation_data, test_data)``, each a pair of fresh
    arrays ``(images float32 (n, 784) = pixel / 256, labels int64 (n,))``.
    ``path``: the course's ``mnist.pkl.gz``; default: the data bundled with deltanet.
    """
    splits = load_mnist() if path is None else load_course_pickle(path)
    return tuple((split.features(np.float32), split.labels.copy()) for split in splits)


def load_data_wrapper(path=None):
    """MNIST in network2's formats: ``training_data`` 50,000 pairs ``(x, y)``, ``x`` a
    float32 column (784, 1), ``y`` the one-hot float64 column (10, 1); ``validation_data``
    and ``test_data`` 10,000 pairs ``(x, integer label)``; ``path`` as in :func:`load_data`.
    """
    (train_x, train_y), (val_x, val_y), (test_x, test_y) = load_data(path)
    one_hot = np.eye(10)[train_y, :, None]
    train_x, val_x, test_x = (x.reshape(len(x), -1, 1) for x in (train_x, val_x, test_x))
    return list(zip(train_x, one_hot)), list(zip(val_x, val_y)), list(zip(test_x, test_y))
