"""The task-25 results store: ``DIR/task25/runs/<run id>.json`` (one run; the id
hashes its config), ``results.json`` (the index: the runs each experiment's
figures are made from) and ``summary.json``. It guarantees:

* every file is written by one helper, :func:`deltanet.serialization.atomic_write_bytes`
  (complete or untouched; no temporary left behind, even after a kill -9);
* one writer per run, per index and per set from index to figures (:func:`locked`,
  a ``flock`` beside the file, released if its holder dies): a second waits;
* a stored run never goes backwards (:func:`save_run`);
* each run carries a SHA-256 of its content; :func:`check_run_record` checks it
  and every value a figure or table reads, naming the file, the problem and
  the way out (``--force``).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import errno
import hashlib
import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

from deltanet import limits
from deltanet.experiments.definitions import RunConfig
from deltanet.serialization import atomic_write_json, read_json

__all__ = ["RUN_SCHEMA", "INDEX_SCHEMA", "task_dir", "run_path", "check_output_dir", "locked",
           "write_json", "read_json", "save_run", "store_summary", "load_run", "load_listed_run",
           "check_run_record", "is_number", "load_index", "check_index", "update_index",
           "load_results"]

RUN_SCHEMA = "deltanet.task25.run/1"
INDEX_SCHEMA = "deltanet.task25.results/1"
TASK_DIR = "task25"
SERIES = ("evaluation_cost", "evaluation_accuracy", "training_cost", "training_accuracy",
          "epoch_seconds")
RECOVER = ("delete it, or retrain it with --force of the command that trained it (run, sweep "
           "or sheet)")


def delete_then(refusal, again):
    """The refusal of a run file with the way out "delete it, then ``again``" (e.g.
    "'CMD' computes it again") in place of :data:`RECOVER`."""
    return f"{str(refusal).removesuffix(f'; {RECOVER}')}; delete it, then {again}"


# ------------------------------------------------------------------ paths --

def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def task_dir(out_dir):
    """``out_dir/task25``: runs, index, summary and figures of task 25."""
    return Path(out_dir) / TASK_DIR


def run_path(out_dir, config):
    """Where the results of ``config`` live: ``out_dir/task25/runs/<run id>.json``."""
    return task_dir(out_dir) / "runs" / f"{config.run_id()}.json"


def check_output_dir(out_dir, folders=(TASK_DIR, f"{TASK_DIR}/runs", f"{TASK_DIR}/figures")):
    """Check before any work that ``out_dir`` and every folder below it that is written
    to (default: task 25's), or its deepest existing parent, is a directory that accepts
    a file. Nothing is created."""
    out_dir = limits.check_path("--out", Path(out_dir))
    for path in (out_dir, *(out_dir / folder for folder in folders)):
        while not path.exists() and path.parent != path:
            path = path.parent
        if not path.is_dir():
            raise NotADirectoryError(f"--out {out_dir}: {path} is a file, not a directory; "
                                     "give a directory")
        try:
            with tempfile.TemporaryFile(dir=path, prefix=".deltanet-probe-"):
                pass
        except OSError as exc:
            raise PermissionError(f"--out {out_dir}: cannot write into {path} "
                                  f"({exc.strerror or exc}); choose another directory") from None
    return out_dir


# ---------------------------------------------------------------- writing --

@contextlib.contextmanager
def locked(path, should_stop=None):
    """Hold the lock of ``path`` (file ``.NAME.lock`` beside it) for the block;
    wait for another holder (one line on stderr) until ``should_stop()`` is True
    (then ``KeyboardInterrupt``). A folder that takes no file: ``PermissionError``."""
    from filelock import FileLock, Timeout
    path = Path(path)
    lock = FileLock(path.with_name(f".{path.name}.lock"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except Timeout:
        print(f"waiting for another deltanet process that writes {path}", file=sys.stderr)
        while not lock.is_locked:
            if should_stop is not None and should_stop():
                raise KeyboardInterrupt from None
            with contextlib.suppress(Timeout):
                lock.acquire(timeout=0.2)
    except OSError as exc:      # a read-only folder (as root, chmod does not stop a write)
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        raise PermissionError(f"cannot write into {path.parent} ({exc.strerror}); deltanet "
                              "writes the results, figures and lock files there: copy the "
                              "folder to one you can write") from None
    try:
        yield
    finally:
        lock.release()


def write_json(path, record):
    """Write ``record`` atomically to ``path`` (creating its folder); run records
    get their SHA-256 (see :func:`content_hash`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(record, dict) and record.get("schema") == RUN_SCHEMA:
        record["sha256"] = content_hash(record)
    atomic_write_json(path, record)


def save_run(path, record, replace=False):
    """Store a run record (the caller holds :func:`locked` for ``path``); refuse
    one with fewer epochs than the stored run holds, unless ``replace`` (a forced
    retrain that finished, e.g. diverged earlier than the run it replaces)."""
    try:
        stored = json.loads(Path(path).read_text(encoding="utf-8"))["history"]["epochs_completed"]
    except (OSError, ValueError, TypeError, KeyError):
        stored = -1                         # absent or unreadable: nothing to keep
    new = record["history"]["epochs_completed"]
    if not replace and isinstance(stored, int) and stored > new:
        raise ValueError(f"refusing to replace {path} ({stored} epochs) by {new} epochs: a "
                         "stored run never goes backwards; another process trained it further")
    write_json(path, record)


def content_hash(record):
    """SHA-256 of the canonical JSON of ``record`` without its ``sha256`` entry."""
    body = {k: v for k, v in record.items() if k != "sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_summary(tdir, summary):
    """Write ``tdir/summary.json`` (see :mod:`deltanet.experiments` for its keys)."""
    with locked(Path(tdir) / "summary.json"):
        write_json(Path(tdir) / "summary.json", summary)


# ---------------------------------------------------------------- reading --

def _check_schema(data, schema, what):
    """``ValueError`` unless ``data`` is a dict of ``schema``; ``what``: "PATH is not ..."."""
    if not isinstance(data, dict) or data.get("schema") != schema:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        other = str(found).rpartition("/")[0] == schema.rpartition("/")[0]
        raise ValueError(f"{what} (schema {schema!r} expected, found {found!r}"
                         f"{': written by another version of deltanet' if other else ''})")


def load_run(path, *, expect_config=None):
    """Read and check (:func:`check_run_record`) one run file; return its record."""
    try:
        record = read_json(path)
    except ValueError as exc:       # truncated or not JSON: say how to get rid of it
        raise ValueError(f"{exc}; {RECOVER}") from None
    return check_run_record(record, path, expect_config=expect_config)


def check_run_record(record, where="run record", *, expect_config=None):
    """Check a run record's structure, values and SHA-256; return it. Counts lie
    in ``0..n`` with ``n > 0``, every series has one finite value per completed
    epoch, a checkpoint fits the config's layer sizes."""
    def bad(what):
        return ValueError(f"{where}: {what}; {RECOVER}")

    _check_schema(record, RUN_SCHEMA, f"{where} is not a deltanet task-25 run file")
    for key in ("id", "status", "experiment", "label", "seed", "config", "history",
                "versions", "timing"):
        if key not in record:
            raise bad(f"run file lacks the entry {key!r}")
    if record["status"] not in ("complete", "partial", "diverged"):
        raise bad(f"unknown status {record['status']!r}")
    try:
        config = RunConfig.from_dict(record["config"])
    except (TypeError, ValueError, KeyError) as exc:
        raise bad(f"invalid config ({exc})") from None
    if config.run_id() != record["id"]:
        raise bad(f"id {record['id']!r} does not match its config ({config.run_id()}); the "
                  "file was edited or is foreign")
    if expect_config is not None and config != expect_config:
        raise bad("holds another config than expected")
    if (record["experiment"], record["seed"]) != (config.experiment, config.seed):
        raise bad(f"experiment/seed {record['experiment']!r}/{record['seed']!r} disagree with "
                  "its config; the file was edited")
    history = record["history"]
    try:
        n = history["epochs_completed"]
        counts = {"evaluation_accuracy": "n_evaluation", "training_accuracy": "n_training"}
        sizes = {key: history[count] for key, count in counts.items()}
        series = {k: history[k] for k in SERIES}
    except (TypeError, KeyError) as exc:
        raise bad(f"history lacks {exc}") from None
    if not _count(n, config.epochs):
        raise bad(f"epochs_completed {n!r} is not a count in 0..{config.epochs}")
    for key, size in sizes.items():
        if not (_count(size, math.inf) and size > 0):
            raise bad(f"{counts[key]} {size!r} must be a count > 0")
    for key, values in series.items():
        high = sizes.get(key, math.inf)
        if not isinstance(values, list) or len(values) != n or not all(
                is_number(v) and 0 <= v <= high for v in values):
            raise bad(f"{key} is not a list of {n} numbers in 0..{high}")
    if record["status"] == "complete" and n != config.epochs:
        raise bad(f"marked complete with {n} of {config.epochs} epochs")
    if not isinstance(record["versions"], dict) or "deltanet" not in record["versions"] or \
            not isinstance(record["timing"], dict) or \
            not is_number(record["timing"].get("train_seconds")):
        raise bad("versions must name the deltanet version and timing the train_seconds")
    if record.get("sha256") != content_hash(record):
        raise bad("its SHA-256 does not match its content (edited by hand, damaged, or "
                  "written without a checksum)")
    if "checkpoint" in record:
        _check_checkpoint(record["checkpoint"], config, bad)
    return record


def _count(value, high):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= high


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_checkpoint(checkpoint, config, bad):
    try:
        params, state = checkpoint["params"], checkpoint["rng_state"]
        itemsize = {"float32": 4, "float64": 8}[params["dtype"]]
        shapes = [list(s) for s in params["shapes"]]
        size = 3 * len(params["data"]) // 4 - params["data"][-2:].count("=")
    except (TypeError, KeyError, IndexError):
        raise bad("its checkpoint is damaged (params or rng_state missing)") from None
    expected = [s for n_in, n_out in zip(config.sizes[:-1], config.sizes[1:])
                for s in ([n_in, n_out], [n_out])]
    if shapes != expected or size != itemsize * sum(math.prod(s) for s in shapes) or \
            not isinstance(state, dict):
        raise bad("its checkpoint does not fit the layer sizes of its config")


def load_listed_run(path, experiment):
    """:func:`load_run` of a file the index lists under ``experiment``: refused
    (``ValueError``) if it holds another run or a run of another experiment."""
    record = load_run(path)
    if (record["id"], record["experiment"]) != (Path(path).stem, experiment):
        raise ValueError(f"the results index lists run {Path(path).stem} under {experiment!r}, "
                         f"but {path} holds run {record['id']} of {record['experiment']!r}; "
                         "run the experiment again")
    return record


def intact_run(path, config):
    """The run of ``config`` stored at ``path`` if it is intact, else None (absent,
    damaged or another run's; ``path`` None: none)."""
    try:
        return load_run(path, expect_config=config)
    except (OSError, TypeError, ValueError):
        return None


def read_stored(path, config, force=False):
    """The stored record of ``config`` at ``path``, or None if absent or ``force``."""
    if force or not Path(path).exists():
        return None
    return load_run(path, expect_config=config)


def decode_params(checkpoint):
    """``(weights, biases)`` of a checkpoint written by :func:`encode_params`."""
    shapes = checkpoint["shapes"]
    flat = np.frombuffer(base64.b64decode(checkpoint["data"]), checkpoint["dtype"])
    ends = np.cumsum([math.prod(shape) for shape in shapes])[:-1]
    arrays = [part.reshape(shape).copy() for part, shape in zip(np.split(flat, ends), shapes)]
    return arrays[0::2], arrays[1::2]


def encode_params(weights, biases):
    arrays = [a for pair in zip(weights, biases) for a in pair]
    return {"dtype": arrays[0].dtype.name, "shapes": [list(a.shape) for a in arrays],
            "data": base64.b64encode(b"".join(np.ascontiguousarray(a).tobytes()
                                              for a in arrays)).decode("ascii")}


# ------------------------------------------------------------------ index --
# (these take the task folder, ``task_dir(out_dir)``, so copied results can be read too)

def load_index(tdir):
    """The results index ``tdir/results.json`` (an empty index if absent)."""
    path = Path(tdir) / "results.json"
    if not path.exists():
        return {"schema": INDEX_SCHEMA, "experiments": {}}
    return check_index(path)


def check_index(path):
    """Read and check a results index file (``ValueError`` if invalid or foreign,
    saying how to get past it)."""
    try:
        index = read_json(path)
        _check_schema(index, INDEX_SCHEMA, f"{path} is not a deltanet task-25 results index")
        experiments = index.get("experiments")
        if not isinstance(experiments, dict) or not all(
                isinstance(e, dict) and isinstance(e.get("runs"), list)
                and all(isinstance(r, str) for r in e["runs"])
                and len(set(e["runs"])) == len(e["runs"]) for e in experiments.values()):
            raise ValueError(f"{path}: 'experiments' must map names to {{'runs': [unique ids]}}")
    except ValueError as exc:
        raise ValueError(f"{exc}; delete it to start a new index (the run files beside it "
                         "are kept and reused) or choose another --out") from None
    return index


def update_index(tdir, entries):
    """Record ``{experiment: {"runs": [run ids], ...}}`` in the index, replacing
    older entries (read, update and write under the index's lock)."""
    path = Path(tdir) / "results.json"
    with locked(path):
        index = load_index(tdir)
        index["experiments"].update(entries)
        index["updated"] = now()
        write_json(path, index)
    return index


def load_results(tdir, index=None):
    """``{experiment: [run records]}`` for the runs listed in the index of ``tdir``
    (``ValueError`` naming a listed run file that is missing or invalid)."""
    def listed(name, run_id):
        path = Path(tdir) / "runs" / f"{run_id}.json"
        if not path.exists():
            raise ValueError(f"the results index lists run {run_id} of {name!r}, but "
                             f"{path} is missing; run the experiment again")
        return load_listed_run(path, name)

    index = index if index is not None else load_index(tdir)
    return {name: [listed(name, run_id) for run_id in entry["runs"]]
            for name, entry in index["experiments"].items()}
