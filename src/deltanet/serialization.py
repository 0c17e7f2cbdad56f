"""Networks in network2's JSON layout, and atomic writes.

network2 writes ``{"sizes", "weights" (n_out, n_in) lists, "biases" (n_out, 1),
"cost": class name}``; deltanet writes the same keys (network2 reads its files)
plus a ``deltanet`` entry network2 ignores.
"""

import json
import math
import os
import shlex
import tempfile
from pathlib import Path

import numpy as np

try:
    import orjson       # a faster parser (README, "Speed"); without it json gives the same results
except ImportError:
    orjson = None

from deltanet.costs import file_name, get_cost
from deltanet.limits import read_file
from deltanet.version import __version__

__all__ = ["network_to_dict", "read_network", "atomic_write_bytes", "atomic_write_text",
           "atomic_write_json", "jsonable", "read_json", "command", "sweep_temporaries"]


def atomic_write_bytes(path, data):
    """Write ``data`` to ``path`` so that it is either complete or untouched.

    Written to ``.NAME.deltanet-PID.XXXX.tmp`` beside it, flushed, renamed over
    ``path`` (atomic); the temporary is removed on every failure, and one left by
    a killed process by the next write there. Permissions: 0o666 minus umask.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"cannot write {path}: it is a directory")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: directory {path.parent} does not exist")
    sweep_temporaries(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.deltanet-{os.getpid()}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        mask = os.umask(0)      # the only portable way to read it is to set it
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno is not None:      # name the file
            raise type(exc)(exc.errno, f"cannot write {path}: {exc.strerror}") from None
        raise


def sweep_temporaries(directory):
    """Remove temporaries of :func:`atomic_write_bytes` whose writer has died."""
    for tmp in Path(directory).glob(".*.deltanet-*.tmp"):
        pid = tmp.name.rsplit(".", 3)[-3].removeprefix("deltanet-")
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        pass
    return True


def atomic_write_text(path, text):
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path, obj):
    atomic_write_text(path, json.dumps(obj, indent=1, allow_nan=False) + "\n")


def jsonable(obj):
    """JSON-safe copy: numpy scalars to Python, non-finite floats to None."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (np.ndarray, np.generic)):     # arrays and scalars: Python's numbers
        return jsonable(obj.tolist())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    return obj


def command(*words):
    """``deltanet WORDS`` as messages suggest it: each word quoted for the shell
    (a path with a space or ``$``), so the printed line can be copied as it is."""
    return shlex.join(["deltanet", *map(str, words)])


def read_json(path, schema=None, rerun=""):
    """The JSON in ``path`` (``FileNotFoundError`` if missing, ``ValueError`` if not
    JSON or without ``schema``); ``rerun``: the command that writes it, for messages."""
    path = Path(path)
    hint = f"; run '{rerun}'" if rerun else ""
    if not path.is_file():
        raise FileNotFoundError(f"results file not found: {path}{hint}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}): damaged, or not a deltanet "
                         f"results file{hint}") from None
    found = data.get("schema") if isinstance(data, dict) else type(data).__name__
    if schema is not None and found != schema:
        raise ValueError(f"{path}: schema {found!r}, expected {schema!r}{hint}")
    return data


def network_to_dict(net):
    """network2's JSON layout of ``net`` (plus a ``deltanet`` entry network2 ignores)."""
    return {
        "sizes": list(net.sizes),
        "weights": [W.T.tolist() for W in net.weights],            # (n_out, n_in)
        "biases": [b.reshape(-1, 1).tolist() for b in net.biases],  # (n_out, 1)
        "cost": file_name(net.cost),
        "deltanet": {"version": __version__, "dtype": np.dtype(net.dtype).name},
    }


def malformed(path, what):
    return ValueError(f"{path} is not a network file in network2's layout: {what}")


def read_network(path):
    """``(sizes, cost class, weights (n_in, n_out), biases (n_out,))`` of a network file,
    checked before anything is allocated; a malformed file is a ``ValueError``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"network file not found: {path}")
    raw = read_file(path)
    size = len(raw)
    try:
        data = _loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise malformed(path, f"invalid JSON ({type(exc).__name__}: {str(exc)[:200]})") \
            from None
    if not isinstance(data, dict):
        raise malformed(path, "top level must be an object")
    missing = [k for k in ("sizes", "weights", "biases", "cost") if k not in data]
    if missing:
        raise malformed(path, f"missing keys {missing}")
    sizes = data["sizes"]
    if not isinstance(sizes, list) or len(sizes) < 2 or not all(
            type(s) is int and 1 <= s <= size for s in sizes):
        raise malformed(path, f"sizes must be a list of at least 2 positive integers; "
                              f"got {str(sizes)[:100]}")
    pairs = list(zip(sizes[:-1], sizes[1:]))
    n_params = sum(a * b + b for a, b in pairs)
    if 2 * n_params > size:       # every number takes a digit and a separator
        raise malformed(path, f"sizes {sizes} need {n_params:,} parameters, more than "
                              f"a {size:,}-byte file can hold")
    if not isinstance(data["cost"], str):
        raise malformed(path, f"cost must be a class name; got {str(data['cost'])[:100]!r}")
    try:
        cost = get_cost(data["cost"])
    except (ValueError, TypeError) as exc:
        raise malformed(path, str(exc)) from None
    weights = _arrays(path, "weights", data["weights"], [(b, a) for a, b in pairs])
    biases = _arrays(path, "biases", data["biases"], [(b, 1) for _, b in pairs])
    return sizes, cost, [W.T for W in weights], [b.reshape(-1) for b in biases]


def _loads(raw, depth=32):
    """``json.loads(raw.decode("utf-8"))``, parsed by orjson where that gives the same.

    What orjson refuses (NaN, 1e999 that json reads as inf, lone surrogates, bad UTF-8,
    ...) is left to json, and so is what it reads differently: integers beyond 64 bits
    (floats of magnitude >= 2**63 from orjson, ints from json, which ``_arrays`` refuses)
    and nesting deeper than ``depth`` (json may raise RecursionError up to orjson's 1024).
    """
    if orjson is not None:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
        else:
            if _plain(data, depth):
                return data
    return json.loads(raw.decode("utf-8"))


def _plain(value, depth):
    """Whether ``value`` nests at most ``depth`` deep and holds no float >= 2**63 in size."""
    if isinstance(value, float):
        return abs(value) < 2**63
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return True
    if depth == 0:
        return False
    try:
        return math.hypot(*value) < 2**63       # numbers only: >= the largest magnitude
    except TypeError:
        return all(_plain(v, depth - 1) for v in value)


def _arrays(path, key, values, shapes):
    """``values`` as float64 arrays of ``shapes`` (biases may also be flat)."""
    if not isinstance(values, list) or len(values) != len(shapes):
        raise malformed(path, f"{key} must be a list of {len(shapes)} arrays")
    arrays = []
    for l, (value, shape) in enumerate(zip(values, shapes)):
        try:
            array = np.array(value)
        except (ValueError, TypeError, OverflowError):
            array = None
        if array is None or array.dtype.kind not in "iuf":
            raise malformed(path, f"layer {l + 2}: non-numeric or ragged {key}")
        if array.shape != shape and not (key == "biases" and array.shape == shape[:1]):
            raise malformed(path, f"layer {l + 2}: {key} must have shape {shape}; "
                                  f"got {array.shape}")
        array = array.astype(np.float64, copy=False)
        if not np.isfinite(array).all():
            raise malformed(path, f"layer {l + 2}: {key} contain NaN or infinity")
        arrays.append(array)
    return arrays
