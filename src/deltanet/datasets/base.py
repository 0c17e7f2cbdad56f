"""Containers shared by all data loaders: :class:`Dataset` and :class:`Splits`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = ["Dataset", "Splits", "DataIntegrityError"]


class DataIntegrityError(ValueError):
    """A data file shipped with the package is missing, modified or corrupt."""


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Images and labels of one split, kept in their stored (compact) form.

    ``images``: ``(n, d)`` array, ``uint8`` raw pixels (bundled MNIST) or
    floats (the course pickle); ``labels``: ``(n,)`` integer classes
    ``0 .. n_classes-1`` (stored as ``int64``); the model's input is
    ``images * scale`` (default: 1/256 for integer pixels, 1.0 for float images);
    ``name`` is shown in messages.

    Construction checks shapes and dtypes only (O(1)), so slicing a dataset
    into mini-batches stays cheap. Equality is identity.
    """

    images: np.ndarray
    labels: np.ndarray
    scale: float | None = None
    name: str = ""

    def __post_init__(self) -> None:
        images, labels = self.images, self.labels
        label = f"Dataset {self.name!r}" if self.name else "Dataset"
        if not isinstance(images, np.ndarray) or images.ndim != 2:
            raise ValueError(f"{label}: images must be a 2-D numpy array (n, d), got "
                             f"{describe(images)}; reshape it, e.g. "
                             "images.reshape(len(images), -1)")
        if not isinstance(labels, np.ndarray) or labels.ndim != 1:
            raise ValueError(f"{label}: labels must be a 1-D numpy array (n,), got "
                             f"{describe(labels)}")
        if labels.dtype.kind not in "iu":
            raise ValueError(f"{label}: labels must have an integer dtype, got {labels.dtype}; "
                             "convert class indices with labels.astype(np.int64)")
        object.__setattr__(self, "labels", labels.astype(np.int64, copy=False))
        if images.shape[0] != labels.shape[0]:
            raise ValueError(f"{label}: images has {images.shape[0]} rows but labels has "
                             f"{labels.shape[0]} entries; they must describe the same examples")
        if images.dtype.kind not in "uif":
            raise ValueError(f"{label}: images must have an integer or float dtype, "
                             f"got {images.dtype}")
        default = 1 / 256 if images.dtype.kind in "iu" else 1.0     # integer pixels, or floats
        scale = default if self.scale is None else float(self.scale)
        if not (math.isfinite(scale) and scale > 0):
            raise ValueError(f"{label}: scale must be a positive finite number, got "
                             f"{self.scale!r} (use 1/256 for uint8 pixels, 1.0 for float images)")
        object.__setattr__(self, "scale", scale)

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def __repr__(self) -> str:
        return (f"Dataset(name={self.name!r}, n={len(self)}, n_features={self.n_features}, "
                f"images={self.images.dtype}, scale={self.scale!r})")

    @property
    def n_features(self) -> int:
        """Number of features per example, ``d``."""
        return int(self.images.shape[1])

    def features(self, dtype=np.float32, rows=None) -> np.ndarray:
        """The model inputs ``images[rows] * scale`` as a new float (or complex) array.

        ``rows``: a slice, an index or boolean array, or None for all examples.
        One ufunc call, never cached: each call returns a fresh, writable array.
        """
        dtype = np.dtype(dtype)
        if dtype.kind not in "fc":
            raise ValueError(f"features(dtype={dtype}): dtype must be a float or complex "
                             "dtype, e.g. np.float32 or np.float64")
        source = self.images if rows is None else self.images[_check_rows(rows)]
        return np.multiply(source, dtype.type(self.scale), dtype=dtype)

    def __getitem__(self, rows) -> "Dataset":
        """Select examples: a slice gives views (no copy), an index array a copy."""
        rows = _check_rows(rows)
        return Dataset(self.images[rows], self.labels[rows], self.scale, self.name)

    def one_hot(self, dtype=np.float64, n_classes: int = 10) -> np.ndarray:
        """Return the labels as an ``(n, n_classes)`` one-hot array of `dtype`."""
        n_classes = int(n_classes)
        labels = self.labels
        if len(labels) and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"one_hot(n_classes={n_classes}): labels of {self.name or 'this dataset'} "
                f"range over {labels.min()}..{labels.max()}; pass n_classes > {labels.max()}")
        return np.eye(n_classes, dtype=dtype)[labels]


class Splits(NamedTuple):
    """The three splits of a data set."""

    train: Dataset
    validation: Dataset
    test: Dataset


def _check_rows(rows):
    """Refuse a single integer index, which would drop the example axis."""
    if isinstance(rows, (int, np.integer)):
        raise TypeError(f"Dataset rows must be a slice or an index array, got the integer "
                        f"{rows}; use dataset[{rows}:{rows} + 1] for a single example")
    return rows


def describe(value) -> str:
    """What ``value`` is, for error messages: type, shape and dtype, or length."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__}"


def readonly(*arrays):
    """Mark ``arrays`` read-only (cached data must not change); returns the first."""
    for array in arrays:
        array.flags.writeable = False
    return arrays[0]
