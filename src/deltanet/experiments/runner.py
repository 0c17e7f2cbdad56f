"""Running task-25 runs: a results store, resume, and a pool over all cores.

One run (a :class:`~deltanet.experiments.definitions.RunConfig`) is stored in
``DIR/task25/runs/<run id>.json`` (the id is a hash of the config, see
:meth:`RunConfig.run_id`). The file holds the full config, the versions of
deltanet, NumPy and Python, timings, every per-epoch series
(:meth:`deltanet.train.History.to_dict`) and ``status``:

* ``"complete"``: all epochs done; the same config is never trained again
  (unless ``force=True``);
* ``"partial"``: written while the run trains (at most every
  ``checkpoint_seconds``, and always when it is stopped) with a
  ``checkpoint`` = the network's parameters and the state of the run's own
  random generator after the last finished epoch. The next invocation resumes
  from there, and the resumed run is bit-for-bit the run that was never
  interrupted (same shuffles, same float32/float64 arithmetic);
* ``"diverged"``: training stopped on a non-finite cost; kept as measured
  (retraining would diverge again; ``force=True`` retries).

Every file is written atomically (:func:`deltanet.serialization.atomic_write_json`),
so a crash or Ctrl-C leaves either the previous or the new version.

:func:`run_configs` runs many configs: finished ones are read back, the others
go to a :class:`concurrent.futures.ProcessPoolExecutor` with one worker per
core (each worker limited to one BLAS thread: two runs on two cores beat one
run on two threads for these small matrices), or to a Dask cluster
(``scheduler=ADDRESS``, needs the optional ``dask`` extra). Workers report
finished epochs through a queue; the parent draws one progress bar per running
run. Ctrl-C stops every run after its current epoch, saves it as partial and
returns; nothing finished is lost.

Runs marked ``as_original`` go through :mod:`deltanet.compat.network2` (the
course's code semantics: ``random``/``np.random`` seeded, per-epoch shuffling
with Python's ``random.shuffle``). Its random state is not checkpointed, so an
interrupted as-original run is retrained from scratch on the next invocation.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import functools
import io
import json
import math
import multiprocessing
import os
import platform
import signal
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from deltanet import __version__
from deltanet.experiments.definitions import RunConfig

__all__ = ["run_configs", "execute_run", "load_run", "load_results", "check_output_dir",
           "task_dir", "run_path", "BatchResult", "RUN_SCHEMA", "INDEX_SCHEMA",
           "update_index", "load_index", "check_index", "check_run_record", "store_summary",
           "write_json", "one_blas_thread", "DEFAULT_CHECKPOINT_SECONDS"]

RUN_SCHEMA = "deltanet.task25.run/1"
INDEX_SCHEMA = "deltanet.task25.results/1"
TASK_DIR = "task25"
DEFAULT_CHECKPOINT_SECONDS = 1.0
SCHEDULER_TIMEOUT = "10s"          # connecting to a Dask scheduler
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                         "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


# --------------------------------------------------------------- the store --

def task_dir(out_dir):
    """``out_dir/task25``: runs, index, summary and figures of task 25."""
    return Path(out_dir) / TASK_DIR


def run_path(out_dir, config):
    """Where the results of ``config`` live: ``out_dir/task25/runs/<run id>.json``."""
    return task_dir(out_dir) / "runs" / f"{config.run_id()}.json"


def check_output_dir(out_dir, option="--out"):
    """Check before any work that ``out_dir`` can hold task 25's results.

    ``out_dir`` (and its ``task25``/``runs`` subfolders) must be directories
    where they exist, and the deepest existing one must accept a file (probed
    with a temporary file that is removed at once, so the check works for
    root and read-only file systems too). Nothing is created.
    """
    out_dir = Path(out_dir)
    chain = [out_dir, out_dir / TASK_DIR, out_dir / TASK_DIR / "runs",
             out_dir / TASK_DIR / "figures"]
    for path in chain:
        if path.exists() and not path.is_dir():
            raise NotADirectoryError(f"{option} {out_dir}: {path} is a file, not a directory; "
                                     "give a directory")
    existing = out_dir
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    for path in reversed(chain):
        if path.is_dir():
            existing = path
            break
    if not existing.is_dir():
        raise NotADirectoryError(f"{option} {out_dir}: {existing} is a file, not a directory")
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".deltanet-probe-"):
            pass
    except OSError as exc:
        raise PermissionError(f"{option} {out_dir}: cannot write into {existing} "
                              f"({exc.strerror or exc}); choose another directory") from None
    return out_dir


def _versions():
    info = {"deltanet": __version__, "numpy": np.__version__,
            "python": platform.python_version(), "platform": platform.platform()}
    return info


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def load_run(path, *, expect_config=None):
    """Read and check one run file; return its record (a dict).

    Raises ``ValueError`` (naming the file and what is wrong) for invalid JSON,
    a foreign file (no or another ``schema``), missing keys or series whose
    lengths disagree with ``epochs_completed``; ``FileNotFoundError`` if absent.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"results file not found: {path}")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); not a deltanet results file") \
            from None
    return check_run_record(record, path, expect_config=expect_config)


def check_run_record(record, where="run record", *, expect_config=None):
    if not isinstance(record, dict) or record.get("schema") != RUN_SCHEMA:
        found = record.get("schema") if isinstance(record, dict) else type(record).__name__
        raise ValueError(f"{where} is not a deltanet task-25 run file (schema {RUN_SCHEMA!r} "
                         f"expected, found {found!r})")
    for key in ("id", "status", "experiment", "label", "seed", "config", "history",
                "versions", "timing"):
        if key not in record:
            raise ValueError(f"{where}: run file lacks the entry {key!r}")
    if record["status"] not in ("complete", "partial", "diverged"):
        raise ValueError(f"{where}: unknown status {record['status']!r}")
    try:
        config = RunConfig.from_dict(record["config"])
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"{where}: invalid config ({exc})") from None
    if config.run_id() != record["id"]:
        raise ValueError(f"{where}: id {record['id']!r} does not match its config "
                         f"({config.run_id()}); the file was edited or is foreign")
    if expect_config is not None and config != expect_config:
        raise ValueError(f"{where}: holds another config than expected")
    if (record["experiment"], record["seed"]) != (config.experiment, config.seed):
        raise ValueError(f"{where}: experiment/seed {record['experiment']!r}/{record['seed']!r} "
                         f"disagree with its config; the file was edited")
    history = record["history"]
    try:
        n = history["epochs_completed"]
        history["n_training"], history["n_evaluation"]      # needed by every summary
        series = [history[k] for k in ("evaluation_cost", "evaluation_accuracy",
                                       "training_cost", "training_accuracy", "epoch_seconds")]
    except (TypeError, KeyError) as exc:
        raise ValueError(f"{where}: history lacks {exc}") from None
    for values in series:
        if not isinstance(values, list) or len(values) != n or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                for v in values):
            raise ValueError(f"{where}: a per-epoch series is not a list of {n} finite numbers")
    if record["status"] == "complete" and n != config.epochs:
        raise ValueError(f"{where}: marked complete with {n} of {config.epochs} epochs")
    return record


def _read_existing(path, config):
    """``(record, note)`` for the stored run at ``path``; record None if unusable."""
    if not path.exists():
        return None, ""
    try:
        return load_run(path, expect_config=config), ""
    except (ValueError, OSError) as exc:
        return None, f"ignoring unreadable results file ({exc}); the run is retrained"


# ------------------------------------------------------------- checkpoints --

def _encode_params(weights, biases):
    arrays = [a for pair in zip(weights, biases) for a in pair]
    return {"dtype": arrays[0].dtype.name, "shapes": [list(a.shape) for a in arrays],
            "data": base64.b64encode(b"".join(np.ascontiguousarray(a).tobytes()
                                              for a in arrays)).decode("ascii")}


def _decode_params(checkpoint):
    dtype = np.dtype(checkpoint["dtype"])
    raw = base64.b64decode(checkpoint["data"])
    arrays, offset = [], 0
    for shape in checkpoint["shapes"]:
        count = int(np.prod(shape))
        arrays.append(np.frombuffer(raw, dtype, count, offset).reshape(shape).copy())
        offset += count * dtype.itemsize
    if offset != len(raw):
        raise ValueError("checkpoint parameters have the wrong size")
    return arrays[0::2], arrays[1::2]


# ------------------------------------------------------------------- data --

@functools.lru_cache(maxsize=2)
def _features(split, rows, dtype):
    """Float inputs of ``load_mnist().<split>[:rows]`` (cached per process).

    Converted once per process: the monitors then read the float rows
    directly instead of converting the uint8 pixels in every epoch.
    """
    from deltanet.datasets import load_mnist
    data = getattr(load_mnist(), split)[:rows]
    X = data.features(np.dtype(dtype))
    X.setflags(write=False)
    return X, data.labels


def _run_data(config):
    train = _features("train", config.train_size, config.dtype)
    evaluation = _features(config.evaluation, None, config.dtype)
    if len(train[0]) != config.train_size:
        raise ValueError(f"train_size {config.train_size} exceeds the {len(train[0])} "
                         "training images")
    return train, evaluation


# --------------------------------------------------------------- one run --

SERIES = ("evaluation_cost", "evaluation_accuracy", "training_cost", "training_accuracy",
          "gradient_norms", "epoch_seconds")


def _merge(previous, current, epochs, count=None):
    """One History of the epochs before a resume and the first ``count`` after it.

    Lists are sliced (shallow copies), never deep-copied: this runs after
    every epoch, and ``History.to_dict`` (``dataclasses.asdict``) would make
    that quadratic in the number of epochs.
    """
    from deltanet.train import History
    count = current.epochs_completed if count is None else count
    fields = {key: list(getattr(current, key)[:count]) for key in SERIES}
    done = count
    initial = list(current.initial_gradient_norms)
    if previous is not None:
        for key in SERIES:
            fields[key] = list(getattr(previous, key)) + fields[key]
        done += previous.epochs_completed
        initial = list(previous.initial_gradient_norms)
    return History(**fields, initial_gradient_norms=initial, n_training=current.n_training,
                   n_evaluation=current.n_evaluation, config=dict(current.config, epochs=epochs),
                   epochs_completed=done, stopped=current.stopped)


def _history_dict(history):
    """``History.to_dict()`` without the deep copy (the record is serialized at once)."""
    return {f: getattr(history, f) for f in history.__dataclass_fields__}


def _new_record(config, history, status, *, started, wall, resumed_from, note=""):
    record = {
        "schema": RUN_SCHEMA,
        "id": config.run_id(),
        "status": status,
        "experiment": config.experiment,
        "label": config.label,
        "seed": config.seed,
        "config": config.to_dict(),
        "versions": _versions(),
        "environment": {"cpu_count": os.cpu_count(), "blas_threads": _blas_threads()},
        "timing": {"started": started, "finished": _now(), "wall_seconds": wall,
                   "train_seconds": float(sum(history.epoch_seconds)),
                   "resumed_from_epoch": resumed_from},
        "history": _history_dict(history),
    }
    if note:
        record["note"] = note
    return record


def _blas_threads():
    threads = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(threads) if threads else None


def _usable_checkpoint(resume, config):
    if not resume or resume.get("status") != "partial" or "checkpoint" not in resume:
        return None
    if resume.get("config") != config.to_dict() or config.as_original:
        return None
    return resume


def execute_run(config, path=None, resume=None, *, checkpoint_seconds=DEFAULT_CHECKPOINT_SECONDS,
                callbacks=(), progress=None, should_stop=None):
    """Train one run and return its record; write it to ``path`` if given.

    Parameters
    ----------
    config : RunConfig or its ``to_dict()``
    path : path-like, optional
        Results file. Partial records go there while the run trains (at most
        every ``checkpoint_seconds``; 0 = after every epoch) and when it is
        stopped; the final record at the end.
    resume : dict, optional
        A stored ``"partial"`` record of the same config: training continues
        after its last epoch from its checkpoint (parameters and generator
        state), giving the identical numbers of an uninterrupted run.
    callbacks : callables ``f(epoch, history, net)`` after each epoch.
    progress : callable ``f(epochs_done, postfix)`` after each epoch (epochs of the
        whole run so far, a short metrics text).
    should_stop : callable ``() -> bool`` checked after each epoch; True stops
        the run there (saved as partial).

    Returns
    -------
    dict : the record (``status`` "complete", "partial" or "diverged").
        A Ctrl-C in this process is saved the same way (status "partial").
    """
    if not isinstance(config, RunConfig):
        config = RunConfig.from_dict(config)
    with one_blas_thread():
        if config.as_original:
            return _execute_original(config, path, progress=progress)
        return _execute(config, path, resume, checkpoint_seconds, callbacks, progress,
                        should_stop)


def _execute(config, path, resume, checkpoint_seconds, callbacks, progress, should_stop):
    from deltanet.network import Network
    from deltanet.train import History, TrainingDiverged, TrainingInterrupted, sgd

    started, t0 = _now(), time.perf_counter()
    train, evaluation = _run_data(config)
    net = Network(config.sizes, cost=config.cost, init=config.init, seed=config.seed,
                  dtype=config.dtype)
    previous, resumed_from = None, 0
    resume = _usable_checkpoint(resume, config)
    if resume is not None:
        weights, biases = _decode_params(resume["checkpoint"]["params"])
        net.set_params(weights, biases)
        net.rng.bit_generator.state = resume["checkpoint"]["rng_state"]
        previous = History.from_dict(resume["history"])
        resumed_from = previous.epochs_completed
    # What a partial record is made of: the last finished epoch's parameters and
    # generator state, and the live History (sliced to ``count`` when written).
    snapshot = {"history": None, "count": 0, "params": net.get_params(),
                "rng_state": net.rng.bit_generator.state, "written": time.monotonic()}

    def finished_history():
        if snapshot["history"] is None:
            return previous
        return _merge(previous, snapshot["history"], config.epochs, snapshot["count"])

    def write_partial():
        history = finished_history()
        if path is None or history is None or history.epochs_completed == 0:
            return None
        record = _new_record(config, history, "partial", started=started,
                             wall=time.perf_counter() - t0, resumed_from=resumed_from)
        record["checkpoint"] = {"params": _encode_params(*snapshot["params"]),
                                "rng_state": snapshot["rng_state"]}
        write_json(path, record)
        snapshot["written"] = time.monotonic()
        return record

    def checkpoint(epoch, history, net):
        snapshot.update(history=history, count=history.epochs_completed,
                        params=net.get_params(), rng_state=net.rng.bit_generator.state)
        done = resumed_from + history.epochs_completed
        if progress is not None:
            progress(done, epoch_postfix(history))
        stop = should_stop is not None and should_stop()
        if done < config.epochs and (
                stop or time.monotonic() - snapshot["written"] >= checkpoint_seconds):
            write_partial()
        if stop and done < config.epochs:
            raise KeyboardInterrupt

    remaining = config.epochs - resumed_from
    status, note = "complete", ""
    try:
        if remaining > 0:
            history = sgd(net, train, remaining, config.mini_batch_size, config.eta,
                          lmbda=config.lmbda, evaluation_data=evaluation,
                          monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                          monitor_training_cost=True, monitor_training_accuracy=True,
                          callbacks=[checkpoint, *callbacks])
            history = _merge(previous, history, config.epochs)
        else:
            history = previous
    except TrainingInterrupted:
        record = write_partial()
        if record is None:      # stopped before the first epoch: nothing to keep
            history = finished_history() or History(config={"epochs": config.epochs})
            record = _new_record(config, history, "partial", started=started,
                                 wall=time.perf_counter() - t0, resumed_from=resumed_from)
        return record
    except TrainingDiverged as exc:
        history = _merge(previous, exc.history, config.epochs)
        status, note = "diverged", str(exc)
    record = _new_record(config, history, status, started=started,
                         wall=time.perf_counter() - t0, resumed_from=resumed_from, note=note)
    if path is not None:
        write_json(path, record)
    return record


def write_json(path, record):
    """Write ``record`` atomically to ``path`` (creating its folder)."""
    from deltanet.serialization import atomic_write_json
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, record)


def store_summary(tdir, summary):
    """Write ``tdir/summary.json`` (see :mod:`deltanet.experiments` for its keys)."""
    write_json(Path(tdir) / "summary.json", summary)


def _execute_original(config, path, progress=None):
    """One run through the network2-compatible API (exact course semantics).

    ``random.seed(s); np.random.seed(s)``; ``Network(sizes, cost=...)``; the
    large initializer if ``init == "large"``; ``SGD`` on lists of column-vector
    pairs with all four monitors, evaluated on the test set. Its own per-epoch
    lines go to a buffer, not the terminal.
    """
    import random

    from deltanet.compat import network2
    from deltanet.train import History

    started, t0 = _now(), time.perf_counter()
    try:    # a Ctrl-C while the data are prepared (seconds for 50,000 images) stops it too
        (X, y), (Xe, ye) = _run_data(config)
        eye = np.eye(config.sizes[-1])
        training_data = [(x.reshape(-1, 1), eye[label].reshape(-1, 1))
                         for x, label in zip(X, y)]
        evaluation_data = [(x.reshape(-1, 1), int(label)) for x, label in zip(Xe, ye)]
        cost = {"quadratic": network2.QuadraticCost,
                "cross-entropy": network2.CrossEntropyCost}[config.cost]
        random.seed(config.seed)
        np.random.seed(config.seed)
        net = network2.Network(list(config.sizes), cost=cost)
        if config.init == "large":      # the constructor already drew the default init
            net.large_weight_initializer()
        epoch_start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            result = net.SGD(training_data, config.epochs, config.mini_batch_size, config.eta,
                             lmbda=config.lmbda, evaluation_data=evaluation_data,
                             monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                             monitor_training_cost=True, monitor_training_accuracy=True)
    except KeyboardInterrupt:   # network2 keeps nothing per epoch: retrained next time
        return _new_record(config, History(config={"epochs": config.epochs}), "partial",
                           started=started, wall=time.perf_counter() - t0, resumed_from=0)
    seconds = time.perf_counter() - epoch_start
    evaluation_cost, evaluation_accuracy, training_cost, training_accuracy = (
        [float(v) if isinstance(v, (float, np.floating)) else int(v) for v in series]
        for series in result)
    history = History(evaluation_cost=evaluation_cost, evaluation_accuracy=evaluation_accuracy,
                      training_cost=training_cost, training_accuracy=training_accuracy,
                      epoch_seconds=[seconds / config.epochs] * config.epochs,
                      n_training=len(training_data), n_evaluation=len(evaluation_data),
                      config=dict(sizes=list(config.sizes), cost=config.cost,
                                  epochs=config.epochs, mini_batch_size=config.mini_batch_size,
                                  eta=config.eta, lmbda=config.lmbda, dtype="float64",
                                  semantics="deltanet.compat.network2"),
                      epochs_completed=config.epochs)
    if progress is not None:
        progress(history.epochs_completed, epoch_postfix(history))
    record = _new_record(config, history, "complete", started=started,
                         wall=time.perf_counter() - t0, resumed_from=0,
                         note="trained through deltanet.compat.network2; epoch_seconds is "
                              "the run's mean (network2 does not time single epochs)")
    if path is not None:
        write_json(path, record)
    return record


# ------------------------------------------------------------ worker side --

_worker_queue = None
_worker_stop = None


def _init_worker(queue, stop):
    """Pool worker start-up: one BLAS thread, Ctrl-C handled by the parent."""
    global _worker_queue, _worker_stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for variable in BLAS_THREAD_VARIABLES:
        os.environ[variable] = "1"
    threadpool_limits(1)        # NumPy may already be loaded (fork): limit it directly
    _worker_queue, _worker_stop = queue, stop


def _pool_task(config_dict, path, resume, checkpoint_seconds):
    if _worker_stop is not None and _worker_stop.is_set():
        return None     # queued before Ctrl-C (too late to cancel): do not start it
    config = RunConfig.from_dict(config_dict)
    run_id = config.run_id()
    queue = _worker_queue
    if queue is not None:
        done = resume["history"]["epochs_completed"] if _usable_checkpoint(resume, config) else 0
        queue.put(("start", run_id, done))

    def progress(done, postfix):
        if queue is not None:
            queue.put(("epoch", run_id, done, postfix))

    if config.as_original:
        # network2's SGD has no per-epoch hook to check the stop flag: let the
        # terminal's Ctrl-C interrupt it directly.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return execute_run(config, path, resume, checkpoint_seconds=checkpoint_seconds,
                           progress=progress,
                           should_stop=_worker_stop.is_set if _worker_stop else None)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if queue is not None:
            queue.put(("end", run_id))


def epoch_postfix(history):
    """Short metrics of the last epoch for a progress bar."""
    parts = []
    if history.evaluation_accuracy and history.n_evaluation:
        parts.append(f"test {100 * history.evaluation_accuracy[-1] / history.n_evaluation:.2f}%")
    if history.training_accuracy and history.n_training:
        parts.append(f"train {100 * history.training_accuracy[-1] / history.n_training:.2f}%")
    if history.training_cost:
        parts.append(f"cost {history.training_cost[-1]:.4f}")
    return " ".join(parts)


@contextlib.contextmanager
def _single_blas_thread_environment():
    """Set the BLAS thread variables to 1 while worker processes are spawned.

    Spawned workers import NumPy afresh and read these at import; the parent's
    own, already loaded BLAS is not affected. Restored afterwards.
    """
    saved = {v: os.environ.get(v) for v in BLAS_THREAD_VARIABLES}
    os.environ.update({v: "1" for v in BLAS_THREAD_VARIABLES})
    try:
        yield
    finally:
        for variable, value in saved.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value


@contextlib.contextmanager
def _sigint_ignored():
    """Ignore Ctrl-C in this process for the block; spawned children inherit it.

    A Ctrl-C in the block itself (spawning takes milliseconds) is lost. Off
    the main thread, where Python handles no signals, nothing is changed.
    """
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:          # not the main thread
        yield
        return
    try:
        yield
    finally:                    # None: a handler not set from Python
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


# ------------------------------------------------------------ parent side --

@dataclass
class BatchResult:
    """What :func:`run_configs` did: records by run id, and how each was obtained."""

    records: dict = field(default_factory=dict)      # run id -> record (stored form)
    paths: dict = field(default_factory=dict)        # run id -> Path
    trained: list = field(default_factory=list)      # run ids trained (fully or resumed)
    resumed: list = field(default_factory=list)      # run ids continued from a checkpoint
    restarted: list = field(default_factory=list)    # partial runs retrained from scratch
    reused: list = field(default_factory=list)       # complete runs read back, not retrained
    failed: dict = field(default_factory=dict)       # run id -> error message
    interrupted: bool = False
    wall_seconds: float = 0.0

    def record_list(self, configs):
        """Records of ``configs`` in their order (missing ones skipped)."""
        return [self.records[c.run_id()] for c in configs if c.run_id() in self.records]


def estimated_cost(config):
    """Relative work of a run (for longest-first scheduling): rows touched."""
    return config.epochs * (4 * config.train_size + 10_000)


def run_configs(configs, out_dir, *, workers=None, scheduler=None, force=False, progress=True,
                checkpoint_seconds=DEFAULT_CHECKPOINT_SECONDS, log=None):
    """Run ``configs`` (skipping stored complete runs); return a :class:`BatchResult`.

    Parameters
    ----------
    configs : list of RunConfig
    out_dir : path-like
        Results root; runs go to ``out_dir/task25/runs/``.
    workers : int, optional
        Local worker processes (default ``os.cpu_count()``, at most one per
        run). ``0`` runs everything in this process, one after the other.
    scheduler : str or dask.distributed.Client, optional
        Address of a Dask scheduler (or a client): runs are submitted there
        instead. The workers must see ``out_dir`` (shared file system) for
        checkpoints; final records are also written here.
    force : bool
        Retrain even complete runs; ignore checkpoints.
    progress : bool
        Progress bars (a terminal) or one line per finished run (a log).
    checkpoint_seconds : float
        Least time between two partial writes of a run (0: every epoch).
    log : callable(str), optional
        Where messages go (default: standard error).
    """
    log = log or (lambda message: print(message, file=sys.stderr))
    started = time.perf_counter()
    unique = {}
    for config in configs:
        unique.setdefault(config.run_id(), config)
    check_output_dir(out_dir)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 0):
        raise ValueError(f"workers must be an integer >= 0; got {workers!r}")
    client = _dask_client(scheduler) if scheduler is not None else None
    result = BatchResult()
    jobs = []
    for run_id, config in unique.items():
        path = run_path(out_dir, config)
        result.paths[run_id] = path
        record, note = _read_existing(path, config)
        if note:
            log(f"{path}: {note}")
        if record is not None and record["status"] in ("complete", "diverged") and not force:
            result.records[run_id] = record
            result.reused.append(run_id)
            continue
        resume = None
        if record is not None and record["status"] == "partial" and not force:
            resume = record
            if _usable_checkpoint(resume, config):
                result.resumed.append(run_id)
            else:
                result.restarted.append(run_id)
        jobs.append((config, path, resume))
    jobs.sort(key=lambda job: -estimated_cost(job[0]))
    run_paths = {c.run_id(): p for c, p, _ in jobs}
    for config, path, _ in jobs:
        path.parent.mkdir(parents=True, exist_ok=True)
    if result.restarted:
        log(f"{len(result.restarted)} partial run(s) without a usable checkpoint are "
            "retrained from scratch")
    try:
        if not jobs:
            pass
        elif client is not None:
            _run_on_dask(client, jobs, result, checkpoint_seconds, progress, log)
        elif workers == 0:
            _run_here(jobs, result, checkpoint_seconds, progress, log)
        else:
            n = min(workers or os.cpu_count() or 1, len(jobs))
            _run_in_pool(jobs, result, n, checkpoint_seconds, progress, log)
    finally:
        if client is not None and not isinstance(scheduler, _client_class()):
            client.close()
    for run_id in result.records:
        if run_id in run_paths and result.records[run_id]["status"] != "partial":
            result.trained.append(run_id)
    result.wall_seconds = time.perf_counter() - started
    return result


def _describe(config):
    name = config.experiment
    if config.label != config.experiment:
        name += f" {config.label}"
    return f"{name} seed {config.seed}"


def _finished_line(config, record):
    h = record["history"]
    acc = (f", final test accuracy {100 * h['evaluation_accuracy'][-1] / h['n_evaluation']:.2f}%"
           if h["evaluation_accuracy"] else "")
    return (f"{record['status']}: {_describe(config)}: {h['epochs_completed']}/{config.epochs} "
            f"epochs{acc} ({record['timing']['wall_seconds']:.1f} s)")


def one_blas_thread():
    """Limit this process's BLAS to one thread (a context manager).

    Every run trains inside it: matrices this small run faster on one thread,
    and float sums depend on how a product is split across threads, so one
    thread everywhere keeps runs bit-for-bit reproducible across the serial
    mode, pool workers and resumes (pool workers also get
    ``OPENBLAS_NUM_THREADS=1`` at start-up). On a busy 2-core machine a second
    BLAS thread's spin-waiting made small-layer runs 2-5x slower.
    """
    return threadpool_limits(1, user_api="blas")


def _run_here(jobs, result, checkpoint_seconds, progress, log):
    bars = _Bars(progress)
    try:
        for config, path, resume in jobs:
            run_id = config.run_id()
            done = resume["history"]["epochs_completed"] if _usable_checkpoint(resume, config) else 0
            bars.start(run_id, config, done)
            record = execute_run(
                config, path, resume, checkpoint_seconds=checkpoint_seconds,
                progress=lambda done, postfix, run_id=run_id: bars.epoch(run_id, done, postfix))
            bars.end(run_id)
            result.records[run_id] = record
            if record["status"] == "partial":
                result.interrupted = True
                return
            bars.finished(_finished_line(config, record))
    except KeyboardInterrupt:   # outside an epoch (data loading, between runs): nothing to save
        result.interrupted = True
    finally:
        bars.close()


def _run_in_pool(jobs, result, n_workers, checkpoint_seconds, progress, log):
    context = multiprocessing.get_context("spawn")
    queue, stop = context.Queue(), context.Event()
    configs = {c.run_id(): c for c, _, _ in jobs}
    bars = _Bars(progress, configs)
    # Workers are spawned during the submits (one per submit up to n_workers):
    # they must see the one-thread variables when they start and import NumPy,
    # and start with Ctrl-C ignored (a Ctrl-C while they import would kill one
    # and break the pool; the parent stops them through ``stop``).
    with _single_blas_thread_environment(), _sigint_ignored():
        executor = ProcessPoolExecutor(n_workers, mp_context=context, initializer=_init_worker,
                                       initargs=(queue, stop))
        futures, abandon = {}, False
        for config, path, resume in jobs:
            future = executor.submit(_pool_task, config.to_dict(), str(path), resume,
                                     checkpoint_seconds)
            futures[future] = config
    try:
        pending = set(futures)
        while pending:
            try:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                bars.drain(queue)
                for future in done:
                    _collect(future, futures[future], result, bars)
            except KeyboardInterrupt:
                if stop.is_set():           # second Ctrl-C: stop waiting
                    abandon = True
                    raise
                stop.set()
                result.interrupted = True
                for future in pending:
                    future.cancel()
                bars.write("interrupted: stopping after the current epoch of each running "
                           "run and saving it (Ctrl-C again to abandon the wait)")
        bars.drain(queue)
    finally:
        executor.shutdown(wait=not abandon, cancel_futures=True)
        bars.close()
        queue.close()


def _collect(future, config, result, bars):
    run_id = config.run_id()
    if future.cancelled():
        return
    try:
        record = future.result()
    except Exception as exc:                     # a bug or a broken worker: report it
        result.failed[run_id] = f"{type(exc).__name__}: {exc}"
        bars.write(f"failed: {_describe(config)}: {result.failed[run_id]}")
        return
    if record is None:                           # not started: stopped before its turn
        return
    result.records[run_id] = record
    if record["status"] == "partial":
        result.interrupted = True
        done = record["history"]["epochs_completed"]
        bars.write(f"saved partial: {_describe(config)} after {done} epochs" if done else
                   f"stopped: {_describe(config)} before its first epoch ended (nothing saved)")
    else:
        bars.finished(_finished_line(config, record))


def _client_class():
    try:
        from distributed import Client
    except ImportError:
        return type(None)
    return Client


def _dask_client(scheduler):
    try:
        from distributed import Client
    except ImportError:
        raise ValueError("--scheduler needs dask.distributed, an optional extra of deltanet: "
                         "pip install 'deltanet[dask]'") from None
    if isinstance(scheduler, Client):
        return scheduler
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ValueError(f"scheduler must be an address like tcp://host:8786; got {scheduler!r}")
    try:
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ValueError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler "
                         f"({exc})") from None


def _run_on_dask(client, jobs, result, checkpoint_seconds, progress, log):
    from distributed import as_completed
    configs = {}
    futures = []
    for config, path, resume in jobs:
        future = client.submit(execute_run, config.to_dict(), str(path), resume,
                               checkpoint_seconds=checkpoint_seconds, pure=False,
                               key=f"deltanet-run-{config.run_id()}-{os.urandom(4).hex()}")
        configs[future.key] = (config, path)
        futures.append(future)
    bars = _Bars(progress)
    total = bars.overall(len(futures), "runs on the Dask cluster")
    try:
        for future in as_completed(futures):
            config, path = configs[future.key]
            run_id = config.run_id()
            try:
                record = future.result()
            except Exception as exc:
                result.failed[run_id] = f"{type(exc).__name__}: {exc}"
                bars.write(f"failed: {_describe(config)}: {result.failed[run_id]}")
                continue
            stored, _ = _read_existing(path, config)
            if stored is None or stored["status"] != record["status"]:
                write_json(path, record)      # workers without our file system
            result.records[run_id] = record
            bars.finished(_finished_line(config, record))
            if total is not None:
                total.update()
    except KeyboardInterrupt:
        client.cancel(futures)
        result.interrupted = True
        bars.write("interrupted: pending runs cancelled; runs already on the cluster "
                   "keep writing their own checkpoints")
    finally:
        bars.close()


class _Bars:
    """Progress display in the parent: one tqdm bar per running run.

    On a terminal each running run gets its own line (a slot, reused when the
    run ends), so parallel runs stay readable; elsewhere (a log file, a pipe)
    one line is printed per finished run. ``enabled=False`` prints nothing.
    """

    def __init__(self, enabled, configs=None):
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()
        self.configs = configs or {}
        self.bars, self.slots = {}, {}
        self.totals = []

    def overall(self, total, desc):
        if not self.tty:
            return None
        from tqdm.auto import tqdm
        bar = tqdm(total=total, desc=desc, unit="run", position=0, leave=False,
                   dynamic_ncols=True)
        self.totals.append(bar)
        return bar

    def start(self, run_id, config, done):
        if not self.tty:
            return
        from tqdm.auto import tqdm
        config = config or self.configs.get(run_id)
        slot = min(set(range(len(self.slots) + 1)) - set(self.slots.values()))
        self.slots[run_id] = slot
        desc = f"{config.experiment}"
        if config.label != config.experiment:
            desc += f" {config.label}"
        desc += f" s{config.seed}"
        self.bars[run_id] = tqdm(total=config.epochs, initial=done, desc=desc, unit="epoch",
                                 position=slot, leave=False, dynamic_ncols=True)

    def epoch(self, run_id, completed, postfix):
        bar = self.bars.get(run_id)
        if bar is not None:
            bar.update(completed - bar.n)
            bar.set_postfix_str(postfix, refresh=False)

    def end(self, run_id):
        bar = self.bars.pop(run_id, None)
        self.slots.pop(run_id, None)
        if bar is not None:
            bar.close()

    def drain(self, queue):
        while True:
            try:
                message = queue.get_nowait()
            except Empty:
                return
            except (OSError, ValueError, EOFError):
                return
            kind, run_id = message[0], message[1]
            if kind == "start":
                self.start(run_id, None, message[2])
            elif kind == "epoch":
                self.epoch(run_id, message[2], message[3])
            else:
                self.end(run_id)

    def finished(self, line):
        if self.enabled:
            self.write(line)

    def write(self, line):
        if not self.enabled:
            return
        if self.tty:
            from tqdm.auto import tqdm
            tqdm.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self):
        for run_id in list(self.bars):
            self.end(run_id)
        for bar in self.totals:
            bar.close()


# ------------------------------------------------------------------ index --
#
# The functions below take the task folder (``task_dir(out_dir)``), so stored
# results can also be read where they were copied to.

def load_index(tdir):
    """The results index ``tdir/results.json`` (an empty index if absent)."""
    path = Path(tdir) / "results.json"
    if not path.exists():
        return {"schema": INDEX_SCHEMA, "experiments": {}}
    return check_index(path)


def check_index(path):
    """Read and check a results index file (``ValueError`` if invalid or foreign)."""
    try:
        index = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); not a deltanet results file") \
            from None
    if not isinstance(index, dict) or index.get("schema") != INDEX_SCHEMA:
        found = index.get("schema") if isinstance(index, dict) else type(index).__name__
        raise ValueError(f"{path} is not a deltanet task-25 results index (schema "
                         f"{INDEX_SCHEMA!r} expected, found {found!r})")
    experiments = index.get("experiments")
    if not isinstance(experiments, dict) or not all(
            isinstance(e, dict) and isinstance(e.get("runs"), list)
            and all(isinstance(r, str) for r in e["runs"]) for e in experiments.values()):
        raise ValueError(f"{path}: 'experiments' must map names to {{'runs': [run ids]}}")
    return index


def update_index(tdir, entries):
    """Record the runs of each experiment just run (replacing older entries).

    ``entries``: ``{experiment: {"runs": [run ids], ...}}``. The index lists,
    per experiment, the runs its figures and summary are made from.
    """
    index = load_index(tdir)
    index["experiments"].update(entries)
    index["updated"] = _now()
    write_json(Path(tdir) / "results.json", index)
    return index


def load_results(tdir, index=None):
    """``{experiment: [run records]}`` for the runs listed in the index of ``tdir``.

    Raises ``ValueError`` naming a listed run file that is missing or invalid.
    """
    index = index if index is not None else load_index(tdir)
    runs_dir = Path(tdir) / "runs"
    results = {}
    for name, entry in index["experiments"].items():
        records = []
        for run_id in entry["runs"]:
            path = runs_dir / f"{run_id}.json"
            if not path.exists():
                raise ValueError(f"the results index lists run {run_id} of {name!r}, but "
                                 f"{path} is missing; run the experiment again")
            records.append(load_run(path))
        results[name] = records
    return results
