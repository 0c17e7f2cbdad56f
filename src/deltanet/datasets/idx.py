"""Reader for the IDX format of MNIST-like data sets (raw or gzip-compressed).

An IDX file is a big-endian header -- two zero bytes, a dtype code, the number
of dimensions ``ndim``, then ``ndim`` unsigned 32-bit sizes -- followed by the
data in C order.
"""

from __future__ import annotations

import math
import struct
import threading
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..limits import check_memory, read_file
from .base import Dataset, Splits, readonly

__all__ = ["read_idx", "load_idx_dir", "load_fashion_mnist", "FASHION_MNIST_DIR"]

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
"""Where Debian's ``dataset-fashion-mnist`` package installs its files."""

_FASHION_HINT = "install it with: apt-get install dataset-fashion-mnist"
_FASHION_REINSTALL_HINT = "reinstall it with: apt-get install --reinstall dataset-fashion-mnist"

#: dtype code (third magic byte) -> dtype of the stored, big-endian data.
_DTYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
           0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}

_GZIP_MAGIC = b"\x1f\x8b"

#: The four files of an MNIST-like directory: (split, kind) -> file name stem.
_IDX_FILES = {("train", "images"): "train-images-idx3-ubyte",
              ("train", "labels"): "train-labels-idx1-ubyte",
              ("test", "images"): "t10k-images-idx3-ubyte",
              ("test", "labels"): "t10k-labels-idx1-ubyte"}


def read_idx(path) -> np.ndarray:
    """One IDX file, gzip-compressed or raw, as a read-only array of the header's shape in
    native byte order (``uint8`` for MNIST). ``FileNotFoundError`` if it does not exist;
    ``ValueError`` naming the file if its gzip stream or its header is bad or the data
    size does not match the header."""
    path = Path(path)
    return _parse_idx(read_file(path), path)


def _gunzip(raw: bytes, source, limit=None) -> bytes:
    """Decompress `raw` if it is gzip data, no further than `limit` bytes or (by
    default) than its IDX header promises, plus one byte so that trailing data is
    noticed: a gzip bomb is refused early. Errors name `source`."""
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    stream, data, pending, expected = zlib.decompressobj(wbits=31), bytearray(), raw, limit

    def upto(total):
        nonlocal data, pending
        while len(data) < total and not stream.eof:
            chunk = stream.decompress(pending, min(total - len(data), 2 ** 20))
            pending = stream.unconsumed_tail
            if not chunk:
                break
            data += chunk           # 1 MiB at a time, in place: no second copy of the images

    try:
        upto(4 if limit is None else limit + 1)
        if limit is None and len(data) == 4 and data[:2] == b"\0\0" and data[2] in _DTYPES:
            upto(4 + 4 * data[3])
            if len(data) == 4 + 4 * data[3]:
                expected = len(data) + math.prod(struct.unpack(f">{data[3]}I", data[4:])) \
                    * _DTYPES[data[2]].itemsize
                check_memory(f"{source} (its header promises {expected:,} bytes)", expected)
                upto(expected + 1)
    except zlib.error as exc:
        raise ValueError(f"{source}: corrupt or truncated gzip data ({exc}); replace the "
                         "file with an intact copy") from exc
    if limit is not None and len(data) > limit:
        raise ValueError(f"{source}: the gzip data unpacks to more than {limit:,} bytes")
    if expected is not None and not stream.eof and len(data) <= expected:
        raise ValueError(f"{source}: corrupt or truncated gzip data (the stream ends early); "
                         "replace the file with an intact copy")
    return data


def _parse_idx(raw: bytes, source) -> np.ndarray:
    """Parse the bytes of an IDX file (see :func:`read_idx`); errors name `source`."""
    data = _gunzip(raw, source)
    if len(data) < 4:
        raise ValueError(f"{source}: {len(data)} bytes is too short for an IDX file (the "
                         "magic number alone takes 4); the file is truncated or not IDX")
    code, ndim = data[2], data[3]
    if data[:2] != b"\0\0" or code not in _DTYPES or ndim == 0:
        raise ValueError(
            f"{source}: magic number 0x{int.from_bytes(data[:4], 'big'):08x} is not an IDX "
            "header (expected 0x0000TTNN with dtype code TT in "
            f"{', '.join(f'0x{c:02x}' for c in _DTYPES)} and NN >= 1 dimensions, "
            "e.g. 0x00000803 for images, 0x00000801 for labels); is this an IDX file?")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{source}: truncated header: {ndim} dimensions need {header} "
                         f"bytes, the file has {len(data)}")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    dtype = _DTYPES[code]
    count = math.prod(dims)
    expected, actual = count * dtype.itemsize, len(data) - header
    if actual != expected:
        problem = "truncated" if actual < expected else "has trailing bytes"
        raise ValueError(f"{source}: {problem}: the header says shape {dims} of {dtype.name} "
                         f"({expected} bytes of data), but {actual} bytes follow it")
    array = np.frombuffer(data, dtype=dtype, count=count, offset=header).reshape(dims)
    return readonly(array if array.dtype.isnative else array.astype(dtype.newbyteorder("=")))


def _find_idx_file(directory: Path, stem: str, hint: str) -> Path:
    for candidate in (directory / f"{stem}.gz", directory / stem):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"{directory}: neither {stem}.gz nor {stem} found; an IDX directory needs "
        f"the four files {', '.join(s + '[.gz]' for s in _IDX_FILES.values())}{hint}")


def _as_dataset(arrays, paths, split: str, name: str) -> Dataset:
    images, labels = arrays[split, "images"], arrays[split, "labels"]
    image_path, label_path = paths[split, "images"], paths[split, "labels"]
    if images.ndim < 2:
        raise ValueError(f"{image_path}: images must have at least 2 dimensions (n, ...), "
                         f"got shape {images.shape}; is this a labels file?")
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"{label_path}: labels must be a 1-D integer array, got shape "
                         f"{labels.shape} of {labels.dtype}; is this an images file?")
    if len(images) != len(labels):
        raise ValueError(f"{image_path} has {len(images)} images but {label_path} has "
                         f"{len(labels)} labels; the files do not belong together")
    if images.dtype != np.uint8 and images.dtype.kind != "f":
        raise ValueError(f"{image_path}: images of dtype {images.dtype} are not supported; "
                         "expected uint8 pixels or floats")
    return Dataset(images.reshape(len(images), -1), readonly(labels.astype(np.int64)), name=name)


def load_idx_dir(path, validation_size: int = 10000, name: str | None = None) -> Splits:
    """Read-only :class:`Splits` of a directory with the four files of :data:`_IDX_FILES`
    (each raw or ``.gz``, preferred): images ``(n, rows*cols)``, labels ``int64``;
    validation: the last `validation_size` training examples (a view); `name` (default:
    the directory's) prefixes the splits' names. ``FileNotFoundError`` if a file is
    missing, ``ValueError`` on corrupt files or files that do not fit together."""
    directory = Path(path)
    try:
        fashion = directory.absolute() == FASHION_MNIST_DIR
    except OSError:
        fashion = False
    if not directory.is_dir():
        advice = _FASHION_HINT if fashion else "pass the folder that holds the four IDX files"
        raise FileNotFoundError(f"IDX data directory {directory} does not exist; {advice}")
    hint = f"; {_FASHION_REINSTALL_HINT}" if fashion else ""
    paths = {key: _find_idx_file(directory, stem, hint) for key, stem in _IDX_FILES.items()}
    arrays = {key: read_idx(file) for key, file in paths.items()}
    return _splits(arrays, paths, directory.name if name is None else name, validation_size,
                   directory)


def _splits(arrays, paths, name, validation_size, directory) -> Splits:
    """Train, validation (the last `validation_size` training examples) and test
    from the four IDX arrays, keyed like :data:`_IDX_FILES`."""
    train, test = (_as_dataset(arrays, paths, split, f"{name}-{split}")
                   for split in ("train", "test"))
    if train.n_features != test.n_features:
        raise ValueError(f"{directory}: training images have {train.n_features} pixels but "
                         f"test images have {test.n_features}; the files do not belong together")
    n = len(train)
    if isinstance(validation_size, bool) or not isinstance(validation_size, (int, np.integer)):
        raise TypeError(f"validation_size must be an int, got {validation_size!r} "
                        f"({type(validation_size).__name__})")
    if not 0 <= validation_size < n:
        raise ValueError(f"validation_size={validation_size} must be in 0..{n - 1}: "
                         f"{directory} has {n} training examples and at least one must "
                         "stay in train")
    n_train = n - int(validation_size)
    return Splits(train[:n_train], replace(train[n_train:], name=f"{name}-validation"), test)


_fashion_cache: Splits | None = None
_fashion_lock = threading.Lock()


def load_fashion_mnist() -> Splits:
    """Fashion-MNIST from :data:`FASHION_MNIST_DIR` (Debian's package), split as
    :func:`deltanet.datasets.load_mnist`, cached; ``FileNotFoundError`` saying how
    to install the package if it is not installed."""
    global _fashion_cache
    with _fashion_lock:
        if _fashion_cache is None:
            _fashion_cache = load_idx_dir(FASHION_MNIST_DIR, name="fashion-mnist")
        return _fashion_cache
