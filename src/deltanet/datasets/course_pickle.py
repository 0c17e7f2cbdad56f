"""Safe reader for the course's ``mnist.pkl.gz`` (network2 material).

The file is a gzip'd pickle (protocol 2, written by Python 2) of
``(training, validation, test)``, each ``(float32 images (n, 784), int64
labels (n,))``. Unpickling normally runs whatever callables the file names;
:class:`_NumpyOnlyUnpickler` only resolves the few names that numpy arrays
need and refuses everything else before anything is called.
"""

from __future__ import annotations

import io
import math
import pickle
from pathlib import Path

import numpy as np

from ..limits import MAX_FILE_BYTES, read_file
from .base import Dataset, Splits, describe, readonly
from .idx import _gunzip

__all__ = ["load_course_pickle", "UnsafePickleError"]


class UnsafePickleError(pickle.UnpicklingError, ValueError):
    """The pickle names a callable other than what numpy arrays need."""


def _latin1_encode(text, encoding="utf-8", errors="strict"):
    """Stand-in for ``_codecs.encode``: Python 3 protocol-2 pickles store bytes
    as ``_codecs.encode(str, "latin1")``. Only that use is allowed."""
    if encoding not in ("latin1", "latin-1") or not isinstance(text, str):
        raise UnsafePickleError(f"refusing _codecs.encode({type(text).__name__}, "
                                f"{encoding!r}): only latin1 byte strings are allowed")
    return text.encode("latin1", errors)


def _numpy_dtype(*args):
    """``numpy.dtype`` without object dtypes (they could hold any pickled object)."""
    dtype = np.dtype(*args)
    if dtype.hasobject:
        raise UnsafePickleError(f"refusing numpy dtype {dtype}: object arrays are not allowed")
    return dtype


class _CheckedArray(np.ndarray):
    """What the pickle's arrays are rebuilt as: their data size is checked
    against the shape before the array is allocated."""

    def __setstate__(self, state):
        shape, dtype, data = state[-4], state[-3], state[-1]
        need = math.prod(shape) * np.dtype(dtype).itemsize
        if not isinstance(data, (bytes, str)) or len(data) != need:
            raise ValueError(f"an array of shape {tuple(shape)} and dtype {dtype} needs "
                             f"{need:,} bytes, the pickle holds {len(data):,}")
        super().__setstate__(state)


def _reconstruct(cls, shape, dtype):
    """``numpy``'s ``_reconstruct`` for an empty array (all that pickles hold)."""
    if cls is not np.ndarray or math.prod(shape) != 0:
        raise UnsafePickleError(f"refusing _reconstruct({cls!r}, {shape!r}): numpy pickles "
                                "rebuild an empty ndarray")
    return np.ndarray.__new__(_CheckedArray, shape, dtype)


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickler that resolves only the globals needed to rebuild numpy arrays."""

    _allowed = {("numpy", "ndarray"): np.ndarray, ("numpy", "dtype"): _numpy_dtype,
                ("_codecs", "encode"): _latin1_encode}
    for core in ("numpy.core", "numpy._core"):      # numpy 1.x and 2.x; _frombuffer: protocol 5
        _allowed[f"{core}.multiarray", "_reconstruct"] = _reconstruct
        _allowed[f"{core}.numeric", "_frombuffer"] = np.ndarray.__reduce_ex__(np.empty(1), 5)[0]
    del core

    def __init__(self, file, source):
        super().__init__(file, encoding="latin1")
        self._source = source

    def find_class(self, module, name):
        try:
            return self._allowed[module, name]
        except KeyError:
            raise UnsafePickleError(f"refusing to load {module}.{name} from {self._source}: "
                                    "only numpy arrays are allowed") from None


def load_course_pickle(path) -> Splits:
    """Read-only :class:`Splits` of the course's ``mnist.pkl.gz`` (gzip'd or plain), read
    without running code from it: float32 ``(n, d)`` images (``scale = 1.0``), ``int64``
    labels. :class:`UnsafePickleError` (also a ``ValueError``) before anything is run if
    the pickle names anything but numpy arrays; ``ValueError`` if the file is corrupt
    or not three (images, labels) splits with matching shapes and labels >= 0."""
    path = Path(path)
    try:
        raw = read_file(path)
    except FileNotFoundError:
        raise FileNotFoundError(f"course pickle {path} does not exist; pass the path of "
                                "mnist.pkl.gz from the course's network2 material") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"course pickle {path} is a directory; pass the path of "
                                "the file mnist.pkl.gz in it") from None
    raw = _gunzip(raw, path, limit=MAX_FILE_BYTES)
    try:
        content = _NumpyOnlyUnpickler(io.BytesIO(raw), path).load()
    except UnsafePickleError:
        raise
    except Exception as exc:  # any malformed pickle: report it as a bad file
        raise ValueError(f"{path}: not a readable pickle ({type(exc).__name__}: {exc}); "
                         "get a fresh copy of mnist.pkl.gz") from exc
    return Splits(*_validate(content, path))


def _validate(content, path) -> list[Dataset]:
    """Check the (training, validation, test) structure and build Datasets."""
    if not isinstance(content, (tuple, list)) or len(content) != 3:
        raise ValueError(f"{path}: expected a tuple (training, validation, test), got "
                         f"{describe(content)}")
    datasets = []
    for split, label, part in zip(Splits._fields, ("training", "validation", "test"), content):
        where = f"{path}: {label} split"
        if not isinstance(part, (tuple, list)) or len(part) != 2:
            raise ValueError(f"{where}: expected a pair (images, labels), got {describe(part)}")
        images, labels = part
        if not isinstance(images, np.ndarray) or images.ndim != 2 or images.dtype.kind != "f":
            raise ValueError(f"{where}: images must be a 2-D float array, got {describe(images)}")
        if not isinstance(labels, np.ndarray) or labels.ndim != 1 or labels.dtype.kind not in "iu":
            raise ValueError(f"{where}: labels must be a 1-D integer array, got "
                             f"{describe(labels)}")
        if len(images) != len(labels):
            raise ValueError(f"{where}: {len(images)} images but {len(labels)} labels")
        if len(labels) and labels.min() < 0:
            raise ValueError(f"{where}: labels must be >= 0, found {labels.min()}")
        if datasets and images.shape[1] != datasets[0].n_features:
            raise ValueError(f"{where}: images have {images.shape[1]} features but the "
                             f"training images have {datasets[0].n_features}")
        images = np.asarray(images).astype(np.float32, copy=False)
        if not np.isfinite(images).all():
            raise ValueError(f"{where}: images hold NaN, infinity or values beyond float32's "
                             f"range (+-{np.finfo(np.float32).max:.3g})")
        labels = np.asarray(labels).astype(np.int64, copy=False)
        readonly(images, labels)
        datasets.append(Dataset(images, labels, scale=1.0, name=f"course-{split}"))
    return datasets
