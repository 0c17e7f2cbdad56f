"""Task-25 runs: one with resume (:func:`execute_run`), many at once (:func:`run_configs`).

A stored run's ``status`` is ``"complete"`` (never trained again unless
``force``), ``"partial"`` (written while it trains and when it is stopped,
with a ``checkpoint``: parameters and generator state after the last finished
epoch; the next invocation resumes bit for bit) or ``"diverged"`` (stopped on
a non-finite cost, kept as measured). ``as_original`` runs go through
:mod:`deltanet.compat.network2`; its random state is not checkpointed, so an
interrupted one is retrained from scratch. This module is also the facade of
:mod:`~deltanet.experiments.store` and :mod:`~deltanet.experiments.execution`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from deltanet import __version__, limits
from deltanet.costs import get_cost
from deltanet.loop import epoch_postfix
from deltanet.experiments import execution, store
from deltanet.experiments.definitions import RunConfig
from deltanet.experiments.execution import BatchResult, one_blas_thread
from deltanet.experiments.store import *  # noqa: F401,F403 (this module is their facade)
from deltanet.experiments.store import RUN_SCHEMA, check_output_dir, run_path

__all__ = ["run_configs", "execute_run", "BatchResult", "one_blas_thread",
           "DEFAULT_CHECKPOINT_SECONDS", *store.__all__]

DEFAULT_CHECKPOINT_SECONDS = 1.0
FINISHED_ELSEWHERE = "finished_elsewhere"   # key of a run another process completed meanwhile
KEPT = execution.KEPT
SERIES = store.SERIES + ("gradient_norms",)


# ------------------------------------------------------------------- data --

@functools.lru_cache(maxsize=2)
def _run_data(config):
    """The run's training and evaluation Datasets (uint8 pixels and a scale: a
    float copy of the 50,000 training images would add 157 MB to every worker)."""
    from deltanet.datasets import load_mnist
    splits = load_mnist()
    train = splits.train[:config.train_size]
    if len(train) != config.train_size:
        raise ValueError(f"train_size {config.train_size} exceeds the {len(train)} "
                         "training images")
    return train, getattr(splits, config.evaluation)


# --------------------------------------------------------------- one run --

def _merge(previous, current, epochs, count=None):
    """One History of the epochs before a resume and the first ``count`` after it
    (lists sliced, not deep-copied: this runs after every epoch)."""
    from deltanet.train import History
    count = current.epochs_completed if count is None else count
    before = History() if previous is None else previous
    fields = {key: list(getattr(before, key)) + list(getattr(current, key)[:count])
              for key in SERIES}
    initial = list((current if previous is None else previous).initial_gradient_norms)
    return History(**fields, initial_gradient_norms=initial, n_training=current.n_training,
                   n_evaluation=current.n_evaluation, config=dict(current.config, epochs=epochs),
                   epochs_completed=before.epochs_completed + count, stopped=current.stopped)


def _new_record(config, history, status, *, started, t0, resumed_from=0, note=""):
    from threadpoolctl import threadpool_info
    blas = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    return {
        "schema": RUN_SCHEMA, "id": config.run_id(), "status": status,
        "experiment": config.experiment, "label": config.label, "seed": config.seed,
        "config": config.to_dict(),
        "versions": {"deltanet": __version__, "numpy": np.__version__,
                     "python": platform.python_version(), "platform": platform.platform()},
        "environment": {"cpu_count": os.cpu_count(), "blas_threads": max(blas, default=None)},
        "timing": {"started": started, "finished": store.now(),
                   "wall_seconds": time.perf_counter() - t0,
                   "train_seconds": float(sum(history.epoch_seconds)),
                   "resumed_from_epoch": resumed_from},
        # History.to_dict() without its deep copy (the record is serialized at once)
        "history": {f: getattr(history, f) for f in history.__dataclass_fields__},
        **({"note": note} if note else {}),
    }


def _usable_checkpoint(resume, config):
    usable = (resume and resume.get("status") == "partial" and "checkpoint" in resume
              and resume.get("config") == config.to_dict() and not config.as_original)
    return resume if usable else None


def execute_run(config, path=None, resume=None, *, force=False,
                checkpoint_seconds=DEFAULT_CHECKPOINT_SECONDS, callbacks=(), progress=None,
                should_stop=None):
    """Train one run and return its record; store it at ``path`` if given.

    ``path`` is locked while the run trains (a second process waits, then
    returns or resumes the run). Partial records go there at most every
    ``checkpoint_seconds`` (0: every epoch) and when the run is stopped
    (Ctrl-C, or ``should_stop()`` True after an epoch or while waiting for the
    lock). ``resume``: a partial record to continue from (the one at ``path``
    wins). ``force``: retrain from scratch; a finished run stored at ``path`` stays
    there until the retrained one replaces it (no checkpoints meanwhile), so a
    stopped retrain loses nothing stored: it comes back as that run, marked
    ``KEPT: True``. ``callbacks``: ``f(epoch, history, net)`` and ``progress``:
    ``f(epochs_done, postfix)`` after each epoch. A run another process finished
    meanwhile comes back marked ``FINISHED_ELSEWHERE: True``.
    """
    if not isinstance(config, RunConfig):
        config = RunConfig.from_dict(config)
    kept = None
    with contextlib.ExitStack() as stack, one_blas_thread():
        if path is not None:
            try:
                stack.enter_context(store.locked(path, should_stop))
            except KeyboardInterrupt:       # stopped while another process held the run
                return _new_record(config, _empty(config), "partial", started=store.now(),
                                   t0=time.perf_counter())
            kept = store.intact_run(path, config) if force else None
            if force and (kept is None or kept["status"] == "partial"):
                kept = None
                Path(path).unlink(missing_ok=True)      # a partial or damaged file
            stored = None if force else store.read_stored(path, config)
            if stored is not None and stored["status"] != "partial":
                return dict(stored, **{FINISHED_ELSEWHERE: True})
            resume = stored or resume
        if config.as_original:
            record = _execute_original(config, progress)
        else:
            record = _execute(config, path, resume, checkpoint_seconds, callbacks, progress,
                              should_stop, checkpoints=kept is None)
        if record["status"] == "partial":       # saved by _execute as it trained, if at all
            return dict(kept, **{KEPT: True}) if kept else record
        if path is not None:
            store.save_run(path, record, replace=kept is not None)
        return record


def _empty(config):
    from deltanet.train import History
    return History(config={"epochs": config.epochs})


def _execute(config, path, resume, checkpoint_seconds, callbacks, progress, should_stop,
             checkpoints=True):
    from deltanet.network import Network
    from deltanet.train import History, TrainingDiverged, TrainingInterrupted, sgd

    started, t0 = store.now(), time.perf_counter()
    train, evaluation = _run_data(config)
    net = Network(config.sizes, cost=config.cost, init=config.init, seed=config.seed,
                  dtype=config.dtype)
    previous, resumed_from = None, 0
    resume = _usable_checkpoint(resume, config)
    if resume is not None:
        net.set_params(*store.decode_params(resume["checkpoint"]["params"]))
        net.rng.bit_generator.state = resume["checkpoint"]["rng_state"]
        previous = History.from_dict(resume["history"])
        resumed_from = previous.epochs_completed
    new_record = functools.partial(_new_record, config, started=started, t0=t0,
                                   resumed_from=resumed_from)
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
        if path is None or not checkpoints or history is None or history.epochs_completed == 0:
            return None
        record = new_record(history, "partial")
        record["checkpoint"] = {"params": store.encode_params(*snapshot["params"]),
                                "rng_state": snapshot["rng_state"]}
        store.save_run(path, record)
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
    try:
        history = previous
        if remaining > 0:
            history = sgd(net, train, remaining, config.mini_batch_size, config.eta,
                          lmbda=config.lmbda, evaluation_data=evaluation,
                          monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                          monitor_training_cost=True, monitor_training_accuracy=True,
                          monitor_gradient_norms=config.monitor_gradient_norms,
                          gradient_samples=1000, callbacks=[checkpoint, *callbacks])
            history = _merge(previous, history, config.epochs)
    except TrainingInterrupted:     # (write_partial: None before the first epoch)
        return write_partial() or new_record(finished_history() or _empty(config), "partial")
    except TrainingDiverged as exc:
        return new_record(_merge(previous, exc.history, config.epochs), "diverged", note=str(exc))
    return new_record(history, "complete")


def _execute_original(config, progress=None):
    """One run through network2's API, seeded like the course (``random`` and
    ``np.random``), on column-vector pairs; its per-epoch lines are discarded."""
    import random

    from deltanet.compat import network2
    from deltanet.train import History

    started, t0 = store.now(), time.perf_counter()
    try:    # a Ctrl-C while the data are prepared (seconds for 50,000 images) stops it too
        train, evaluation = _run_data(config)
        eye = np.eye(config.sizes[-1])
        training_data = [(x.reshape(-1, 1), eye[label].reshape(-1, 1))
                         for x, label in zip(train.features(np.float64), train.labels)]
        evaluation_data = [(x.reshape(-1, 1), int(label)) for x, label in
                           zip(evaluation.features(np.float64), evaluation.labels)]
        cost = getattr(network2, get_cost(config.cost).network2_name)
        random.seed(config.seed)
        np.random.seed(config.seed)
        net = network2.Network(list(config.sizes), cost=cost)
        if config.init == "large":      # the constructor already drew the default init
            net.large_weight_initializer()
        epoch_start = time.perf_counter()
        result = net.SGD(training_data, config.epochs, config.mini_batch_size, config.eta,
                         lmbda=config.lmbda, evaluation_data=evaluation_data,
                         monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                         monitor_training_cost=True, monitor_training_accuracy=True,
                         verbose=False)
    except KeyboardInterrupt:   # network2 keeps nothing per epoch: retrained next time
        return _new_record(config, _empty(config), "partial", started=started, t0=t0)
    seconds = time.perf_counter() - epoch_start
    series = {key: [float(v) if isinstance(v, (float, np.floating)) else int(v) for v in values]
              for key, values in zip(SERIES, result)}     # network2's four, in its order
    history = History(**series, epoch_seconds=[seconds / config.epochs] * config.epochs,
                      n_training=len(training_data), n_evaluation=len(evaluation_data),
                      config=dict(sizes=list(config.sizes), cost=config.cost,
                                  epochs=config.epochs, mini_batch_size=config.mini_batch_size,
                                  eta=config.eta, lmbda=config.lmbda, dtype="float64",
                                  semantics="deltanet.compat.network2"),
                      epochs_completed=config.epochs)
    if progress is not None:
        progress(history.epochs_completed, epoch_postfix(history))
    return _new_record(config, history, "complete", started=started, t0=t0,
                       note="trained through deltanet.compat.network2; epoch_seconds is "
                            "the run's mean (network2 does not time single epochs)")


# -------------------------------------------------------------- many runs --

def run_configs(configs, out_dir, *, workers=None, scheduler=None, force=False, progress=True,
                checkpoint_seconds=DEFAULT_CHECKPOINT_SECONDS):
    """Run ``configs`` into ``out_dir/task25/runs/`` (skipping stored complete runs);
    return a :class:`BatchResult`. Every check (folders writable, sizes within
    memory, stored files intact) happens before the first run starts.

    ``workers``: local processes (default one per core, at most one per run;
    0: serially in this process). ``scheduler``: a Dask scheduler address or
    client instead (checkpoints need ``out_dir`` on a shared file system; final
    records are also written here). ``force``: retrain complete runs, ignore
    checkpoints and damaged files. ``progress``: bars on a terminal, else one
    line per finished run (on stderr).
    """
    started = time.perf_counter()
    unique = {}
    for config in configs:
        unique.setdefault(config.run_id(), config)
    check_output_dir(out_dir)
    if workers is not None:
        limits.check_int("workers", workers, 0, 4096)
    for config in unique.values():
        limits.check_training(config.sizes, config.mini_batch_size, config.epochs,
                              np.dtype(config.dtype).itemsize)
    result, jobs = BatchResult(), []
    for run_id, config in unique.items():
        path = result.paths[run_id] = run_path(out_dir, config)
        record = store.read_stored(path, config, force)
        if record is not None and record["status"] != "partial":
            result.records[run_id] = record
            result.reused.append(run_id)
            continue
        if record is not None:
            (result.resumed if _usable_checkpoint(record, config) else result.restarted
             ).append(run_id)
        jobs.append((config, path, record))
    if result.restarted:
        print(f"{len(result.restarted)} partial run(s) without a usable checkpoint are "
              "retrained from scratch", file=sys.stderr)
    # longest first: a run's work is about the rows it touches
    jobs.sort(key=lambda job: -job[0].epochs * (4 * job[0].train_size + 10_000))
    run = functools.partial(execute_run, force=force, checkpoint_seconds=checkpoint_seconds)
    client = execution.dask_client(scheduler) if scheduler is not None and jobs else None
    bars = execution._Bars(progress)
    try:
        if client is not None:
            execution.run_on_dask(client, jobs, run, result, bars)
            for config, path, _ in jobs:        # workers without our file system
                record = result.records.get(config.run_id())
                if record is not None and FINISHED_ELSEWHERE not in record \
                        and KEPT not in record:
                    with store.locked(path):
                        if force or not path.exists():
                            store.save_run(path, record, replace=force)
        elif workers == 0:
            execution.run_serial(jobs, run, result, bars)
        elif jobs:
            n = min(workers or os.cpu_count() or 1, len(jobs))
            execution.run_in_pool(jobs, run, result, n, bars)
    finally:
        bars.close()
        if client is not None and client is not scheduler:
            client.close()
    for run_id, record in result.records.items():
        if record.pop(FINISHED_ELSEWHERE, False):       # waited for it, then read it back
            result.reused.append(run_id)
        if record.pop(KEPT, False):
            result.kept.append(run_id)
    result.resumed = [run_id for run_id in result.resumed if run_id not in result.reused]
    result.trained = [config.run_id() for config, _, _ in jobs
                      if config.run_id() not in result.reused + result.kept
                      and result.records.get(config.run_id(), {}).get("status")
                      in ("complete", "diverged")]
    result.wall_seconds = time.perf_counter() - started
    return result
