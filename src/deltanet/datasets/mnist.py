"""The MNIST digits bundled with the package, split the way the course does.

The four official IDX files live in ``data/mnist/`` next to this module
(CC BY-SA 3.0, Y. LeCun, C. Cortes, C. J. C. Burges; see the README there).
On the first load each file is checked against ``SHA256SUMS``.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from .base import DataIntegrityError, Dataset, Splits
from .idx import _parse_idx

__all__ = ["MNIST_DIR", "load_mnist"]

MNIST_DIR = Path(__file__).resolve().parent / "data" / "mnist"
"""The folder of the vendored MNIST files."""

N_TRAIN = 50_000
"""The first ``N_TRAIN`` official training images are the training split;
the remaining 10,000 are the validation split."""

#: key -> (file name, expected array shape)
_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", (60_000, 28, 28)),
    "train_labels": ("train-labels-idx1-ubyte.gz", (60_000,)),
    "test_images": ("t10k-images-idx3-ubyte.gz", (10_000, 28, 28)),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", (10_000,)),
}

_REINSTALL = (
    "the package's bundled MNIST data is damaged; reinstall the package "
    "(pip install --force-reinstall deltanet, or restore the file from git)"
)

_cache: Splits | None = None
_lock = threading.Lock()


def load_mnist() -> Splits:
    """Return the bundled MNIST digits as train/validation/test splits.

    Returns
    -------
    Splits
        ``train``: the first 50,000 official training images; ``validation``:
        the last 10,000; ``test``: the official 10,000 test images. Images are
        ``uint8`` ``(n, 784)`` with ``scale = 1/256`` (largest feature
        0.99609375, as in the course's ``mnist.pkl.gz``), labels ``int64``.
        Train and validation are views of one array.

    Notes
    -----
    The first call verifies the files' SHA-256 sums and decodes them (well
    under a second); later calls return the same cached object. All arrays
    are read-only so the cache cannot be modified; use
    :meth:`Dataset.features` for a writable float copy.

    Raises
    ------
    DataIntegrityError
        If a bundled file is missing, modified, truncated or corrupt.
    """
    global _cache
    with _lock:
        if _cache is None:
            _cache = _load_mnist_from(MNIST_DIR)
        return _cache


def _load_mnist_from(directory) -> Splits:
    """Verify and load the four MNIST files in `directory`; not cached."""
    directory = Path(directory)
    checksums = _read_checksums(directory / "SHA256SUMS")
    # Verify every file before decoding any of them.
    raws = {key: _read_verified(directory / name, checksums) for key, (name, _) in _FILES.items()}
    arrays = {}
    for key, (filename, shape) in _FILES.items():
        path, raw = directory / filename, raws.pop(key)
        try:
            array = _parse_idx(raw, path)
        except ValueError as exc:
            raise DataIntegrityError(f"{exc}; {_REINSTALL}") from exc
        if array.shape != shape or array.dtype != np.uint8:
            raise DataIntegrityError(
                f"{path}: expected {shape} uint8, found {array.shape} {array.dtype}; {_REINSTALL}"
            )
        arrays[key] = array

    train_images = arrays["train_images"].reshape(60_000, 784)
    test_images = arrays["test_images"].reshape(10_000, 784)
    train_labels = _readonly(arrays["train_labels"].astype(np.int64))
    test_labels = _readonly(arrays["test_labels"].astype(np.int64))
    scale = 1 / 256
    return Splits(
        Dataset(train_images[:N_TRAIN], train_labels[:N_TRAIN], scale, "mnist-train"),
        Dataset(train_images[N_TRAIN:], train_labels[N_TRAIN:], scale, "mnist-validation"),
        Dataset(test_images, test_labels, scale, "mnist-test"),
    )


def _read_checksums(path: Path) -> dict[str, str]:
    """Parse a ``sha256sum`` listing into {file name: hex digest}."""
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(
            f"{path}: cannot read the checksum list ({exc}); {_REINSTALL}"
        ) from exc
    checksums = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.strip().lstrip("*")
        if len(digest) != 64 or not name:
            raise DataIntegrityError(
                f"{path}, line {number}: {line!r} is not '<sha256>  <file>'; {_REINSTALL}"
            )
        checksums[name] = digest.lower()
    return checksums


def _read_verified(path: Path, checksums: dict[str, str]) -> bytes:
    """Read `path` and check its SHA-256 against `checksums`."""
    expected = checksums.get(path.name)
    if expected is None:
        raise DataIntegrityError(
            f"{path.parent / 'SHA256SUMS'} has no entry for {path.name}; {_REINSTALL}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataIntegrityError(f"{path}: cannot read the file ({exc}); {_REINSTALL}") from exc
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected:
        raise DataIntegrityError(
            f"{path}: SHA-256 is {actual}, but SHA256SUMS lists {expected} "
            f"(file modified, truncated or corrupt); {_REINSTALL}"
        )
    return raw


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
