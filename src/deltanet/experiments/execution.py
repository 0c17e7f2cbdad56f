"""Running task-25 runs serially, on a local process pool or on Dask, any
function in a child process (:class:`Child`, :func:`in_child`), and what the
sheet's side parts share (:class:`SidePart`, :func:`side_computing`).

Each ``run_*`` takes ``jobs`` (``(config, path, resume)`` triples) and ``run``,
a picklable ``run(config, path, resume, progress=..., should_stop=...) ->
record``, and fills a :class:`BatchResult`. The pool has one worker per core on
one BLAS thread each; the parent draws a progress bar per running run. Ctrl-C
stops every run after its current epoch (saved as partial); a second Ctrl-C
stops waiting. Children die with their parent (Linux: ``PR_SET_PDEATHSIG``;
elsewhere a watchdog thread within half a second).
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Callable

from threadpoolctl import threadpool_limits

from deltanet import kernel
from deltanet.experiments import store
from deltanet.serialization import command

SCHEDULER_TIMEOUT = "10s"          # connecting to a Dask scheduler
WORKER_DIED = "a worker process died (kill -9, or the out-of-memory killer)"
FULL_DISK = (errno.ENOSPC, errno.EDQUOT)
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                         "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
KEPT = "kept"   # marks a stored finished run that came back because its --force retrain stopped


def stopped(record):
    """True for a run stopped before its last epoch (a partial one, or a kept one)."""
    return record["status"] == "partial" or KEPT in record


@dataclass
class BatchResult:
    """What ``runner.run_configs`` did: records by run id, how each was obtained."""

    records: dict = field(default_factory=dict)      # run id -> record (stored form)
    paths: dict = field(default_factory=dict)        # run id -> Path
    trained: list = field(default_factory=list)      # run ids trained (fully or resumed)
    resumed: list = field(default_factory=list)      # run ids continued from a checkpoint
    restarted: list = field(default_factory=list)    # partial runs retrained from scratch
    reused: list = field(default_factory=list)       # complete runs read back, not retrained
    kept: list = field(default_factory=list)         # finished runs kept: --force retrain stopped
    failed: dict = field(default_factory=dict)       # run id -> error message
    interrupted: bool = False
    wall_seconds: float = 0.0

    def record_list(self, configs):
        """Records of ``configs`` in their order (missing ones skipped)."""
        return [self.records[c.run_id()] for c in configs if c.run_id() in self.records]


@contextlib.contextmanager
def drawing_figures(part, out_dir):
    """A Ctrl-C in the block (drawing the figures of the stored ``out_dir/part/results.json``)
    says that the results are saved and which command draws the figures."""
    try:
        yield
    except KeyboardInterrupt:
        raise KeyboardInterrupt(
            f"interrupted while drawing the figures: the results are saved in "
            f"{Path(out_dir) / part / 'results.json'}; "
            f"'{command(part, '--replot', '--out', out_dir)}' draws the figures") from None


def one_blas_thread():
    """Limit this process's BLAS to one thread (a context manager): faster for
    matrices this small, and runs stay bit-for-bit reproducible across the
    serial mode, pool workers and resumes (float sums depend on the split)."""
    return threadpool_limits(1, user_api="blas")


@contextlib.contextmanager
def side_computing():
    """How a side part computes: on one BLAS thread and the NumPy path (the compiled
    kernel would bring numba's 100 MB into the process)."""
    with one_blas_thread(), kernel.switched_off():
        yield


@dataclass(frozen=True)
class SidePart:
    """A side part of the sheet (task 26, the complex task) as the sheet and its own command
    run it: ``run(out, lang=, quick=, progress=, plot=, call=)`` computes and stores
    ``out/<name>/results.json`` (of ``schema``), ``draw(results, out, lang=)`` draws the
    figures of results just computed, ``redraw`` those of stored ones, ``load(out)`` reads
    them, ``current(results, quick)`` says whether they were computed with the sheet's
    settings and ``summary(results, lang, out_dir=)`` is the printed answers."""

    name: str
    schema: str
    run: Callable
    draw: Callable
    redraw: Callable
    load: Callable
    current: Callable
    summary: Callable

    def stored(self, out, quick):
        """The stored results if complete and computed with the sheet's settings, else None."""
        try:
            results = self.load(out)
            return results if self.current(results, quick) else None
        except (OSError, ValueError, LookupError, TypeError):   # missing, damaged: computed
            return None

    def damaged(self, out, exc, *options):
        """What to say of the stored results that drawing or printing stumbled on (``exc``)."""
        return (f"{Path(out) / self.name / 'results.json'} is damaged or was edited "
                f"({type(exc).__name__}: {exc}); '{command(self.name, '--out', out, *options)}' "
                "computes it again")

    @staticmethod
    def passed(results):
        """False for results with a failed gradient check (the complex task's)."""
        return results.get("gradient_check", {}).get("passed", True)


def die_with_parent(parent_pid):
    """Make this child process exit when ``parent_pid`` does (the kernel's SIGKILL at
    the parent's death on Linux, a watchdog thread everywhere) and leave Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)
    if os.getppid() != parent_pid:          # died before the kernel was told
        os._exit(1)
    threading.Thread(target=watch, name="deltanet-parent-watchdog", daemon=True).start()


class ChildError(RuntimeError):
    """A :class:`Child` process ended without an answer (killed, or crashed)."""


class Child:
    """``function(*args)`` in a spawned process that dies with this one and leaves
    Ctrl-C to it (SIGTERM, from :meth:`stop`, exits through Python's clean-up).
    :meth:`result` waits for the return value or re-raises the child's exception."""

    def __init__(self, function, *args, name="deltanet-child"):
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(target=_child_main, name=name,
                                        args=(function, args, child_conn, os.getpid()))
        with _spawning():
            self._process.start()
        child_conn.close()

    def result(self):
        try:
            ok, value = self._conn.recv()
        except EOFError:
            self._process.join()
            code = self._process.exitcode
            how = next((f"was killed ({s.name}" for s in signal.Signals if s == -code),
                       f"stopped (exit code {code}") + (
                ": kill -9, or the out-of-memory killer" if code == -signal.SIGKILL else "")
            raise ChildError(f"the process {self._process.name} {how}); the files written before "
                             "are complete and the same command computes it again") from None
        if ok:
            return value
        raise value

    def stop(self, grace=0.0):
        """End the process: wait up to ``grace`` seconds for it to exit by itself
        (after :meth:`result` it is only finishing Python's clean-up, which
        unregisters its semaphores), then terminate it."""
        self._process.join(grace)
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _child_main(function, args, conn, parent_pid):
    die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        outcome = (True, function(*args))
    except Exception as exc:
        outcome = (False, exc)
    try:
        conn.send(outcome)
    except Exception:                            # an exception that does not pickle
        conn.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    conn.close()


def in_child(function, *args):
    """``function(*args)`` in a short-lived :class:`Child`: the memory it used is
    returned to the system when it ends."""
    child = Child(function, *args)
    try:
        result = child.result()
    except BaseException:                # an error, a dead child or Ctrl-C: end it now
        child.stop()
        raise
    child.stop(grace=10.0)               # it has answered and is only exiting
    return result


# ------------------------------------------------------------ worker side --

_worker_queue = None
_worker_stop = None


def _init_worker(queue, stop, parent_pid):
    """Pool worker start-up: dies with the parent, one BLAS thread, Ctrl-C
    left to the parent (which stops workers through ``stop``)."""
    global _worker_queue, _worker_stop
    die_with_parent(parent_pid)
    threadpool_limits(1)        # NumPy may already be loaded: limit it directly
    _worker_queue, _worker_stop = queue, stop


def _pool_task(run, config, path, resume):
    if _worker_stop.is_set():
        return None     # queued before Ctrl-C (too late to cancel): do not start it
    run_id = config.run_id()
    done = resume["history"]["epochs_completed"] if resume else 0
    _worker_queue.put(("start", run_id, done, config))
    if config.as_original:
        # network2's SGD has no per-epoch hook to check the stop flag: let the
        # terminal's Ctrl-C interrupt it directly.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run(config, path, resume, should_stop=_worker_stop.is_set,
                   progress=lambda done, postfix: _worker_queue.put(
                       ("epoch", run_id, done, postfix)))
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _worker_queue.put(("end", run_id))


# ------------------------------------------------------------ parent side --

def run_serial(jobs, run, result, bars):
    """Run the jobs one after the other in this process."""
    try:
        for config, path, resume in jobs:
            run_id = config.run_id()
            bars.start(run_id, resume["history"]["epochs_completed"] if resume else 0, config)
            record = run(config, path, resume, progress=lambda done, postfix, run_id=run_id:
                         bars.epoch(run_id, done, postfix))
            bars.end(run_id)
            result.records[run_id] = record
            if stopped(record):
                result.interrupted = True
                return
            bars.write(finished_line(config, record))
    except KeyboardInterrupt:   # outside an epoch (data loading, between runs): nothing to save
        result.interrupted = True


@contextlib.contextmanager
def _spawning():
    """While workers are spawned: BLAS variables at 1 (read when a worker imports
    NumPy) and Ctrl-C ignored (inherited: a Ctrl-C while a worker imports would
    kill it and break the pool). Restored afterwards; one thread at a time (the side
    parts spawn their stages from two threads)."""
    with _SPAWNING:
        saved = dict(os.environ)
        os.environ.update({v: "1" for v in BLAS_THREAD_VARIABLES})
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)
            if main:
                signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


_SPAWNING = threading.Lock()


def run_in_pool(jobs, run, result, n_workers, bars):
    """Run the jobs on ``n_workers`` spawned processes. A worker that dies (kill -9, the
    out-of-memory killer) breaks the pool and ends the runs of the others too; those
    runs start once more in a new pool, each resuming from its last checkpoint (a
    second death fails them, saying what each run file keeps)."""
    broken = []
    _run_pool(jobs, run, result, n_workers, bars, broken)
    if broken and not result.interrupted:
        bars.write(f"{WORKER_DIED}: the pool starts again for the {len(broken)} run(s) it "
                   "ended, each from its last checkpoint")
        _run_pool([job for _, job in broken], run, result, min(n_workers, len(broken)), bars)
    else:                       # stopped meanwhile: say what their files keep
        for future, (config, _, _) in broken:
            _collect(future, config, result, bars)


def _run_pool(jobs, run, result, n_workers, bars, broken=None):
    """One pool for ``jobs``; with ``broken`` (a list), the ``(future, job)`` of the runs a
    dead worker ended go there instead of into ``result.failed``."""
    context = multiprocessing.get_context("spawn")
    queue, stop = context.Queue(), context.Event()      # new ones: a killed worker may
    executor, abandon = None, False                     # have held their locks
    try:
        with _spawning():           # workers are spawned in the submits
            executor = ProcessPoolExecutor(n_workers, mp_context=context,
                                           initializer=_init_worker,
                                           initargs=(queue, stop, os.getpid()))
            futures = {executor.submit(_pool_task, run, *job): job for job in jobs}
        pending = set(futures)
        while pending:
            try:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                bars.drain(queue)
                for future in done:
                    config = futures[future][0]
                    if broken is not None and not future.cancelled() and isinstance(
                            future.exception(), BrokenProcessPool):
                        bars.end(config.run_id())
                        broken.append((future, futures[future]))
                    else:
                        _collect(future, config, result, bars)
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
        if executor is not None:
            executor.shutdown(wait=not abandon, cancel_futures=True)
        queue.close()


def _collect(future, config, result, bars):
    """Record the outcome of a finished future (a pool's or Dask's)."""
    run_id = config.run_id()
    if future.cancelled():
        return
    try:
        record = future.result()
    except Exception as exc:                     # a bug or a killed worker: report it
        cause = WORKER_DIED if isinstance(exc, BrokenProcessPool) else \
            f"{exc} (free some space)" if getattr(exc, "errno", None) in FULL_DISK else \
            f"{exc}" if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        result.failed[run_id] = f"{cause}; {_kept_of_failed(config, result)}"
        bars.write(f"failed: {describe(config)}: {result.failed[run_id]}")
        return
    if record is None:                           # not started: stopped before its turn
        return
    result.records[run_id] = record
    if stopped(record):
        result.interrupted = True
        done = record["history"]["epochs_completed"]
        bars.write(f"stopped: {describe(config)}; the stored run stays as it was" if KEPT in record
                   else f"saved partial: {describe(config)} after {done} epochs" if done else
                   f"stopped: {describe(config)} before its first epoch ended (nothing saved)")
    else:
        bars.write(finished_line(config, record))


def _kept_of_failed(config, result):
    """Record what the stored file of a failed run (its worker died, the disk is full, ...)
    holds; say it."""
    run_id = config.run_id()
    stored = store.intact_run(result.paths.get(run_id), config)
    epochs = stored["history"]["epochs_completed"] if stored else 0
    if stored and stored["status"] != "partial":     # its --force retrain failed
        result.records[run_id] = dict(stored, **{KEPT: True})
        return "the stored run stays as it was"
    if not epochs:
        return "it had saved no epoch of this run: the same command starts it again"
    result.records[run_id] = stored
    return f"its {epochs} saved epochs are kept and the same command resumes from them"


def dask_client(scheduler):
    """A ``distributed.Client`` for ``scheduler`` (an address or a client)."""
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


def run_on_dask(client, jobs, run, result, bars):
    """Submit the jobs to a Dask cluster; collect their records as they finish."""
    from distributed import as_completed
    futures = {client.submit(run, config, str(path), resume, pure=False,
                             key=f"deltanet-run-{config.run_id()}-{os.urandom(4).hex()}"): config
               for config, path, resume in jobs}
    try:
        for future in as_completed(list(futures)):
            _collect(future, futures[future], result, bars)
    except KeyboardInterrupt:
        client.cancel(list(futures))
        result.interrupted = True
        bars.write("interrupted: pending runs cancelled; runs already on the cluster "
                   "keep writing their own checkpoints")


def describe(config):
    label = "" if config.label == config.experiment else f" {config.label}"
    return f"{config.experiment}{label} seed {config.seed}"


def finished_line(config, record):
    h = record["history"]
    acc = (f", final test accuracy {100 * h['evaluation_accuracy'][-1] / h['n_evaluation']:.2f}%"
           if h["evaluation_accuracy"] else "")
    return (f"{record['status']}: {describe(config)}: {h['epochs_completed']}/{config.epochs} "
            f"epochs{acc} ({record['timing']['wall_seconds']:.1f} s)")


class _Bars:
    """Progress in the parent: on a terminal one tqdm bar per running run (its
    line reused when the run ends), elsewhere one line per finished run;
    ``enabled=False`` prints nothing."""

    def __init__(self, enabled):
        self.enabled = enabled
        from deltanet.notebook import widgets
        self.tty = enabled and (sys.stderr.isatty() or widgets())
        self.bars, self.slots = {}, {}

    def start(self, run_id, done, config):
        if not self.tty:
            return
        from deltanet.notebook import progress_bar
        slot = min(set(range(len(self.slots) + 1)) - set(self.slots.values()))
        self.slots[run_id] = slot
        self.bars[run_id] = progress_bar(total=config.epochs, initial=done, desc=describe(config),
                                 unit="epoch", position=slot, leave=False, dynamic_ncols=True)

    def epoch(self, run_id, completed, postfix):
        bar = self.bars.get(run_id)
        if bar is not None:     # the postfix first: update() may draw the bar
            bar.set_postfix_str(postfix, refresh=False)
            bar.update(completed - bar.n)

    def end(self, run_id):
        bar = self.bars.pop(run_id, None)
        self.slots.pop(run_id, None)
        if bar is not None:
            bar.close()

    def drain(self, queue):
        while True:
            try:
                kind, run_id, *rest = queue.get_nowait()
            except (Empty, OSError, ValueError, EOFError):
                return
            getattr(self, kind)(run_id, *rest)

    def write(self, line):
        if not self.enabled:
            return
        if self.tty:
            from tqdm import tqdm
            tqdm.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self):
        for run_id in list(self.bars):
            self.end(run_id)
