"""Data sets: the bundled MNIST (:func:`load_mnist`), MNIST-like IDX folders such
as Debian's Fashion-MNIST (:func:`load_idx_dir`, :func:`load_fashion_mnist`) and
the course's ``mnist.pkl.gz``, read safely (:func:`load_course_pickle`). Each
returns :class:`Splits` ``(train, validation, test)`` of :class:`Dataset`."""

from pathlib import Path

from .base import DataIntegrityError, Dataset, Splits
from .course_pickle import load_course_pickle
from .idx import FASHION_MNIST_DIR, load_fashion_mnist, load_idx_dir, read_idx
from .mnist import MNIST_DIR, load_mnist

__all__ = ["Dataset", "Splits", "DataIntegrityError", "load_mnist", "MNIST_DIR", "read_idx",
           "load_idx_dir", "load_fashion_mnist", "FASHION_MNIST_DIR", "load_course_pickle",
           "load_dataset", "DATASETS"]

DATASETS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}


def load_dataset(spec):
    """Load data by name or path: ``"mnist"`` (bundled), ``"fashion-mnist"``,
    a directory of IDX files, or the course's ``mnist.pkl.gz``."""
    if spec in DATASETS:
        return DATASETS[spec]()
    path = Path(spec)
    if path.is_dir():
        return load_idx_dir(path)
    if path.is_file():
        return load_course_pickle(path)
    raise FileNotFoundError(
        f"data {spec!r} is neither a known data set ({', '.join(DATASETS)}) nor an "
        "existing IDX directory or mnist.pkl.gz file")
