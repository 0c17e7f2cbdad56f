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

from .base import DataIntegrityError, Splits
from .idx import _IDX_FILES, _parse_idx, _splits

__all__ = ["MNIST_DIR", "load_mnist"]

MNIST_DIR = Path(__file__).resolve().parent / "data" / "mnist"
"""The folder of the vendored MNIST files."""

N_TRAIN = 50_000
"""The first ``N_TRAIN`` official training images are the training split;
the remaining 10,000 are the validation split."""

_N_IMAGES = {"train": 60_000, "test": 10_000}

_REINSTALL = ("the package's bundled MNIST data is damaged; reinstall the package "
              "(pip install --force-reinstall deltanet, or restore the file from git)")

_cache: Splits | None = None
_lock = threading.Lock()


def load_mnist() -> Splits:
    """The bundled MNIST digits: ``train`` the first 50,000 official training images,
    ``validation`` the last 10,000, ``test`` the official 10,000; ``uint8`` images
    ``(n, 784)`` with ``scale = 1/256`` (as in the course's ``mnist.pkl.gz``), ``int64``
    labels. The first call verifies the SHA-256 sums and decodes the files; later calls
    return the same object, whose arrays are read-only (:meth:`Dataset.features` gives a
    writable float copy). ``DataIntegrityError`` if a bundled file is missing, modified
    or corrupt."""
    global _cache
    with _lock:
        if _cache is None:
            _cache = _load_mnist_from(MNIST_DIR)
        return _cache


def _load_mnist_from(directory) -> Splits:
    """Verify and load the four MNIST files in `directory`; not cached."""
    directory = Path(directory)
    checksums = _read_checksums(directory / "SHA256SUMS")
    paths = {key: directory / f"{stem}.gz" for key, stem in _IDX_FILES.items()}
    # Verify every file before decoding any of them.
    raws = {key: _read_verified(path, checksums) for key, path in paths.items()}
    arrays = {}
    for (split, kind), path in paths.items():
        shape = (_N_IMAGES[split], 28, 28) if kind == "images" else (_N_IMAGES[split],)
        try:
            array = _parse_idx(raws.pop((split, kind)), path)
        except ValueError as exc:
            raise DataIntegrityError(f"{exc}; {_REINSTALL}") from exc
        if array.shape != shape or array.dtype != np.uint8:
            raise DataIntegrityError(f"{path}: expected {shape} uint8, found {array.shape} "
                                     f"{array.dtype}; {_REINSTALL}")
        arrays[split, kind] = array
    return _splits(arrays, paths, "mnist", _N_IMAGES["train"] - N_TRAIN, directory)


def _read_checksums(path: Path) -> dict[str, str]:
    """Parse a ``sha256sum`` listing into {file name: hex digest}."""
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataIntegrityError(f"{path}: cannot read the checksum list ({exc}); "
                                 f"{_REINSTALL}") from exc
    checksums = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.strip().lstrip("*")
        if len(digest) != 64 or not name:
            raise DataIntegrityError(f"{path}, line {number}: {line!r} is not "
                                     f"'<sha256>  <file>'; {_REINSTALL}")
        checksums[name] = digest.lower()
    return checksums


def _read_verified(path: Path, checksums: dict[str, str]) -> bytes:
    """Read `path` and check its SHA-256 against `checksums`."""
    expected = checksums.get(path.name)
    if expected is None:
        raise DataIntegrityError(f"{path.parent / 'SHA256SUMS'} has no entry for {path.name}; "
                                 f"{_REINSTALL}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataIntegrityError(f"{path}: cannot read the file ({exc}); {_REINSTALL}") from exc
    actual = hashlib.sha256(raw).hexdigest()
    if actual != expected:
        raise DataIntegrityError(f"{path}: SHA-256 is {actual}, but SHA256SUMS lists "
                                 f"{expected} (file modified, truncated or corrupt); {_REINSTALL}")
    return raw
