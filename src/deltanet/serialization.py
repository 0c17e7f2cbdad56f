"""Saving and loading networks in network2's JSON layout, and atomic writes.

network2 writes ``{"sizes": [...], "weights": [w.tolist()], "biases":
[b.tolist()], "cost": "CrossEntropyCost"}`` with ``w`` of shape (n_out, n_in)
and ``b`` of shape (n_out, 1). deltanet writes the same keys (so the original
``network2.load`` reads our files) plus a ``deltanet`` entry it ignores.
"""

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from deltanet.costs import get_cost
from deltanet.version import __version__

__all__ = ["network_to_dict", "read_network", "atomic_write_bytes", "atomic_write_text",
           "atomic_write_json"]


def atomic_write_bytes(path, data):
    """Write ``data`` to ``path`` so that it is either complete or untouched.

    The bytes go to a temporary file in the same directory, are flushed to
    disk, then renamed over ``path`` (``os.replace`` is atomic on POSIX and
    Windows): a crash leaves the old file, never a half-written one. The file
    gets the usual permissions (0o666 minus the umask), not the temporary
    file's private 0o600.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"cannot write {path}: it is a directory")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: directory {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path, text):
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _umask():
    mask = os.umask(0)      # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def atomic_write_json(path, obj):
    atomic_write_text(path, json.dumps(obj, indent=1, allow_nan=False) + "\n")


def network_to_dict(net):
    """network2's JSON layout of ``net`` (plus a ``deltanet`` entry network2 ignores)."""
    return {
        "sizes": list(net.sizes),
        "weights": [W.T.tolist() for W in net.weights],            # (n_out, n_in)
        "biases": [b.reshape(-1, 1).tolist() for b in net.biases],  # (n_out, 1)
        "cost": getattr(net.cost, "network2_name", net.cost.__name__),
        "deltanet": {"version": __version__, "dtype": np.dtype(net.dtype).name},
    }


def malformed(path, what):
    return ValueError(f"{path} is not a network file in network2's layout: {what}")


def read_network(path):
    """``(sizes, cost class, weights (n_in, n_out), biases (n_out, 1))`` of a network file.

    Checks the JSON, the keys, the cost name and the numbers; the shapes
    against ``sizes`` are checked by :meth:`deltanet.network.Network.load`.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"network file not found: {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise malformed(path, f"invalid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise malformed(path, "top level must be an object")
    missing = [k for k in ("sizes", "weights", "biases", "cost") if k not in data]
    if missing:
        raise malformed(path, f"missing keys {missing}")
    if not isinstance(data["cost"], str):
        raise malformed(path, f"cost must be a class name; got {data['cost']!r}")
    try:
        cost = get_cost(data["cost"])
    except ValueError as exc:
        raise malformed(path, str(exc)) from None
    weights, biases = data["weights"], data["biases"]
    if not isinstance(weights, list) or not isinstance(biases, list):
        raise malformed(path, "weights and biases must be lists of matrices")
    try:
        w_arrays = [np.array(w, dtype=np.float64).T for w in weights]
        b_arrays = [np.array(b, dtype=np.float64) for b in biases]
    except (TypeError, ValueError) as exc:
        raise malformed(path, f"non-numeric or ragged parameters ({exc})") from None
    for array in w_arrays + b_arrays:
        if not np.isfinite(array).all():
            raise malformed(path, "parameters contain NaN or infinity")
    for l, b in enumerate(b_arrays):
        if b.ndim == 2 and b.shape[1] != 1:
            raise malformed(path, f"biases[{l}] must be a column (n_out, 1); got {b.shape}")
    return data["sizes"], cost, w_arrays, b_arrays
