"""Speed of ``deltanet sheet`` for task 25, against the per-example network2.

Task 25 = 25a (quadratic eta 3 and cross-entropy eta 0.5, 30 epochs on 50,000
images) + 25b and 25c (400 epochs on 1,000 images, lmbda 0 and 0.1), all four
monitors on, evaluated on the 10,000 test images after every epoch. Target:
<= 30 s wall on the 2-core development machine, using both cores.

    python benchmarks/bench_sheet.py                 # sheet + reference + profile
    python benchmarks/bench_sheet.py --no-reference  # only the sheet
    python benchmarks/bench_sheet.py --ab --repeats 3 --no-reference --no-profile
                                                     # kernel vs NumPy path, interleaved
    python benchmarks/bench_sheet.py --whole --ab    # the whole sheet on both paths: its
                                                     # parts, processes (peak RSS, CPU)
    python benchmarks/bench_sheet.py --side 3        # the side process alone (task 26 +
                                                     # complex task): peak RSS, times
    python benchmarks/bench_sheet.py --side 3 --against 1dd906c
                                                     # the same for that commit's src and
                                                     # this checkout, alternating
    python benchmarks/bench_sheet.py --figures deltanet-out --repeats 3
                                                     # CPU of redrawing the figures
    python benchmarks/bench_sheet.py --against fe4046f --repeats 3
                                                     # the whole sheet of an older commit
                                                     # against this checkout, alternating

1. ``deltanet sheet --skip gradients,complex,report --force --quiet`` in a
   fresh folder, as a subprocess: wall time, CPU time of all its processes
   (so CPU / wall = cores in use) and the per-run times from the records.
2. The per-example algorithm of the original network2
   (``benchmarks/reference_network2.py``, one BLAS thread, float64): the time
   of one mini-batch update (mean of 300) and of one sample of each monitor
   (2,000 samples each), assembled into the epochs of task 25 with all four
   monitors (and the original's second evaluation of the test accuracy for
   its print), checked against one real 25b epoch of the reference.
3. Where deltanet's time goes (one BLAS thread, in this process), on the
   kernel and on the NumPy path: a training epoch, the monitoring passes, and
   the predicted CPU seconds of task 25 built from them.

``--numpy`` runs the sheet with ``DELTANET_KERNEL=numpy`` (the NumPy path
instead of the compiled kernel); ``--ab`` runs both, alternating, and prints
the ratio of the best walls and the peak resident memory of each.

The machine load (``os.getloadavg``) is printed before and after: other
processes on the two cores slow every number down.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"          # before NumPy: this process uses one BLAS thread

import argparse                           # noqa: E402
import contextlib                         # noqa: E402
import io                                 # noqa: E402
import json                               # noqa: E402
import re                                 # noqa: E402
import random                             # noqa: E402
import resource                           # noqa: E402
import subprocess                         # noqa: E402
import sys                                # noqa: E402
import tempfile                           # noqa: E402
import time                               # noqa: E402
import timeit                             # noqa: E402
from pathlib import Path                  # noqa: E402

import numpy as np                        # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import reference_network2 as reference   # noqa: E402

from deltanet import Network             # noqa: E402
from deltanet.datasets import load_mnist  # noqa: E402


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Runs the command given as arguments and prints the peak resident memory (MB) of
# it and its waited-for descendants, so each sheet run gets its own figure.
PEAK_RSS = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")


def time_sheet(workers=None, numpy_path=False):
    """Run the sheet (task 25 only) in a fresh folder; return timings, records and
    peak RSS in MB. ``numpy_path``: with ``DELTANET_KERNEL=numpy``."""
    env = dict(os.environ)
    env.pop("DELTANET_KERNEL", None)
    if numpy_path:
        env["DELTANET_KERNEL"] = "numpy"
    with tempfile.TemporaryDirectory(prefix="bench-sheet-") as out:
        command = [sys.executable, "-m", "deltanet.cli.main", "sheet", "--skip",
                   "gradients,complex,report", "--out", out, "--force", "--quiet"]
        if workers is not None:
            command += ["--workers", str(workers)]
        cpu0, start = children_cpu(), time.perf_counter()
        peak = subprocess.run([sys.executable, "-c", PEAK_RSS, *command], check=True, env=env,
                              capture_output=True, text=True).stdout
        wall, cpu = time.perf_counter() - start, children_cpu() - cpu0
        records = [json.loads(p.read_text()) for p in Path(out, "task25", "runs").glob("*.json")]
    return wall, cpu, records, float(peak)


# ------------------------------------------------------------ reference --

def reference_epoch(cost, train_pairs, test_pairs, lmbda=0.0, eta=0.5, init="default"):
    """Seconds of one epoch of the per-example network2 SGD, all four monitors."""
    random.seed(1)
    np.random.seed(1)
    net = reference.Network([784, 30, 10], cost=cost)
    if init == "large":
        net.large_weight_initializer()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        net.SGD(list(train_pairs), 1, 10, eta, lmbda=lmbda, evaluation_data=test_pairs,
                monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                monitor_training_cost=True, monitor_training_accuracy=True)
    return time.perf_counter() - start


def unit_costs(cost, eta, train_pairs, test_pairs, init, repeats=3):
    """Per-call costs of the per-example network2 (best of ``repeats``): one
    mini-batch update, and one sample of each monitor (total_cost / accuracy
    on training and test data)."""
    random.seed(1)
    np.random.seed(1)
    net = reference.Network([784, 30, 10], cost=cost)
    if init == "large":
        net.large_weight_initializer()
    batches = [train_pairs[k:k + 10] for k in range(0, 3000, 10)]

    def best(call, count):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) / count)
        return min(times)

    def updates():
        for batch in batches:
            net.update_mini_batch(batch, eta, 0.0, 50_000)

    per_batch = best(updates, len(batches))
    sample_train, sample_test = train_pairs[:2000], test_pairs[:2000]
    timings = {
        "train_cost": best(lambda: net.total_cost(sample_train, 0.0), 2000),
        "train_accuracy": best(lambda: net.accuracy(sample_train, convert=True), 2000),
        "test_cost": best(lambda: net.total_cost(sample_test, 0.0, convert=True), 2000),
        "test_accuracy": best(lambda: net.accuracy(sample_test), 2000),
    }
    return per_batch, timings


def predicted_epoch(per_batch, t, n_train, n_test):
    """network2's SGD epoch: the updates, then the four monitors (the test
    accuracy is evaluated twice, once for the list and once for the print)."""
    return (n_train / 10 * per_batch + n_train * (t["train_cost"] + t["train_accuracy"])
            + n_test * (t["test_cost"] + 2 * t["test_accuracy"]))


def time_reference():
    train, _, test = load_mnist()
    X, Xt = train.features(np.float64), test.features(np.float64)
    eye = np.eye(10)
    train_pairs = [(x.reshape(-1, 1), eye[y].reshape(-1, 1)) for x, y in zip(X, train.labels)]
    test_pairs = [(x.reshape(-1, 1), int(y)) for x, y in zip(Xt, test.labels)]
    estimate, units = {}, {}
    for name, cost, eta, init, epochs, n_train in (
            ("25a quadratic", reference.QuadraticCost, 3.0, "large", 30, 50_000),
            ("25a cross-entropy", reference.CrossEntropyCost, 0.5, "large", 30, 50_000),
            ("25b", reference.CrossEntropyCost, 0.5, "large", 400, 1000),
            ("25c", reference.CrossEntropyCost, 0.5, "large", 400, 1000)):
        key = (cost, eta, init)
        if key not in units:
            units[key] = unit_costs(cost, eta, train_pairs, test_pairs, init)
        per_batch, t = units[key]
        epoch = predicted_epoch(per_batch, t, n_train, 10_000)
        estimate[name] = epochs * epoch
        print(f"  reference {name}: mini-batch update {1e3 * per_batch:.2f} ms, monitors "
              f"{1e6 * sum(t.values()):.0f} us per sample -> epoch {epoch:.2f} s x {epochs}")
    measured = reference_epoch(reference.CrossEntropyCost, train_pairs[:1000], test_pairs,
                               init="large")
    print(f"  check: one real 25b epoch of the reference took {measured:.2f} s "
          f"(predicted {estimate['25b'] / 400:.2f} s)")
    return estimate


# ------------------------------------------------------------ profile --

def profile():
    """Unit costs of deltanet's epoch (one BLAS thread, float32, [784, 30, 10]) on the
    kernel and the NumPy path, and the task-25 time predicted from them."""
    train, _, test = load_mnist()
    net = Network([784, 30, 10], cost="cross-entropy", seed=1, dtype="float32", init="large")
    full, small, test_data = (net._data(d, "data") for d in (train, train[:1000], test))

    def best(call, number):
        return min(timeit.repeat(call, number=number, repeat=3)) / number

    def measure(data):
        return lambda: net._measure(data, net._feed(), True, net.EVAL_CHUNK)

    totals = {}
    for path in ("kernel", "numpy"):
        os.environ["DELTANET_KERNEL"] = path              # read on every call
        net.SGD(small, 1, 10, 0.5)                        # compile or load the kernel
        train_a = best(lambda: net.SGD(full, 1, 10, 0.5), 1)
        train_b = best(lambda: net.SGD(small, 1, 10, 0.5), 5)
        eval_test, eval_train, eval_small = (best(measure(d), n) for d, n in
                                             ((test_data, 10), (full, 3), (small, 50)))
        a_epoch = train_a + eval_train + eval_test
        b_epoch = train_b + eval_small + eval_test
        totals[path] = 2 * 30 * a_epoch + 2 * 400 * b_epoch
        print(f"  {path:6}: training epoch on 50,000 images {1e3 * train_a:.0f} ms, on 1,000 "
              f"{1e3 * train_b:.1f} ms; monitoring pass over 10,000 test images "
              f"{1e3 * eval_test:.1f} ms, 50,000 training images {1e3 * eval_train:.1f} ms, "
              f"1,000: {1e3 * eval_small:.2f} ms")
        print(f"          25a epoch {a_epoch:.3f} s x 30, 25b/25c epoch {1e3 * b_epoch:.1f} ms "
              f"x 400 ({100 * eval_test / b_epoch:.0f} % in the test-set pass) -> task 25 "
              f"{totals[path]:.1f} s CPU, >= {totals[path] / 2:.1f} s wall on 2 cores")
    os.environ.pop("DELTANET_KERNEL")
    ratio = totals["numpy"] / totals["kernel"]
    print(f"  predicted task-25 CPU, NumPy path / kernel: {ratio:.2f}x")


# -------------------------------------------------------- whole sheet --

def whole_sheet(numpy_path=False, quick=False, interval=0.1):
    """Run the whole ``deltanet sheet`` once; print a profile of its parts and processes.

    The parts come from the time each printed line arrived (output unbuffered);
    the processes (parent, task-25 pool workers, the side process that runs
    task 26 and the complex task) from sampling the process tree with psutil
    every ``interval`` seconds: peak RSS and CPU seconds of each.
    """
    import psutil
    import threading

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("DELTANET_KERNEL", None)
    if numpy_path:
        env["DELTANET_KERNEL"] = "numpy"
    with tempfile.TemporaryDirectory(prefix="bench-sheet-") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "deltanet.cli.main", "sheet", "--out",
                                    out, "--force", "--quiet"] + ["--quick"] * quick,
                                   env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(
            (time.perf_counter() - start, line.rstrip()) for line in process.stdout))
        reader.start()
        stats = {}           # pid -> [create time, role, peak RSS, CPU seconds, last seen]
        root = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                break
            for p in tree:
                try:
                    with p.oneshot():
                        rss, cpu = p.memory_info().rss, sum(p.cpu_times()[:2])
                        entry = stats.setdefault(p.pid, [p.create_time(), _role(p, root), 0, 0,
                                                         0])
                except psutil.Error:
                    continue
                entry[2], entry[3] = max(entry[2], rss), cpu
                entry[4] = time.perf_counter() - start
            time.sleep(interval)
        reader.join()
        wall = time.perf_counter() - start
    _print_parts(lines, wall)
    children = sorted((e for pid, e in stats.items() if pid != process.pid), key=lambda e: e[0])
    workers = [e for e in children if e[1] == "worker"]
    if workers:                                  # spawned first: the side process
        workers[0][1] = "side process (task 26, complex task)"
    print(f"  {'process':40} {'peak RSS':>9} {'CPU':>8} {'lifetime until':>15}")
    for create, role, rss, cpu, seen in [stats[process.pid]] + children:
        print(f"  {role:40} {rss / 2**20:7.0f} MB {cpu:6.1f} s {seen:13.1f} s")
    return wall


def against(rev, repeats):
    """The whole ``deltanet sheet`` of commit ``rev`` (installed from ``git archive`` into
    a fresh virtual environment) and of this checkout, alternating, each run in a fresh
    folder with the same environment; prints the walls, their medians and the ratio."""
    import statistics
    with tempfile.TemporaryDirectory(prefix="bench-against-") as tmp:
        src, venv = Path(tmp, "src"), Path(tmp, "venv")
        src.mkdir()
        _archive(rev, src)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        print(f"installing {rev} into a fresh virtual environment ...", flush=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(src)],
                       check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ)
        env.pop("DELTANET_KERNEL", None)
        commands = {rev: [str(venv / "bin" / "deltanet")],
                    "this checkout": [sys.executable, "-m", "deltanet.cli.main"]}
        walls = {name: [] for name in commands}
        for round_ in range(repeats):
            for side, (name, command) in enumerate(commands.items()):
                out = Path(tmp, f"out-{round_}-{side}")
                start = time.perf_counter()
                subprocess.run(command + ["sheet", "--out", str(out), "--quiet"], check=True,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                walls[name].append(time.perf_counter() - start)
                print(f"  {name}: deltanet sheet {walls[name][-1]:.1f} s", flush=True)
    medians = {name: statistics.median(w) for name, w in walls.items()}
    print(f"A/B whole sheet: {rev} {medians[rev]:.1f} s / this checkout "
          f"{medians['this checkout']:.1f} s = {medians[rev] / medians['this checkout']:.2f}x "
          f"(medians of {repeats})")


SIDE_CODE = """
import json, resource, sys, threading, time
import psutil
started = time.perf_counter()
from deltanet.experiments import execution, sheet
seconds, side_compute, peaks, stages, watching = {}, sheet._side_compute, {}, [], [0.0]
def timed(part, *args, **kwargs):         # from its computing to its text (they overlap)
    t = time.perf_counter()
    rest = side_compute(part, *args, **kwargs)
    def finish():
        text, error = rest()
        assert error is None, error
        seconds[part] = time.perf_counter() - t
        return text, error
    return finish
def watch():                              # peak RSS of each short-lived stage process
    me = psutil.Process()
    while True:
        for child in me.children():
            try:
                if child.pid not in peaks and "resource_tracker" in " ".join(child.cmdline()):
                    peaks[child.pid] = None
                if peaks.get(child.pid, 0) is not None:
                    rss, cpu = child.memory_info().rss, sum(child.cpu_times()[:2])
                    peaks[child.pid] = (max(peaks.get(child.pid, (0,))[0], rss), cpu)
            except psutil.Error:
                pass
        watching[0] = time.thread_time()  # this thread's CPU: not the sheet's
        time.sleep(0.02)
in_child = execution.in_child
def named(function, *args):
    stages.append(getattr(args[0], "__name__", function.__name__).strip("_"))
    return in_child(function, *args)
execution.in_child, sheet._side_compute = named, timed
threading.Thread(target=watch, daemon=True).start()
sheet._run_side_parts(sheet.SIDE_PARTS, sys.argv[1], "en", False, True)
usage = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "wall": time.perf_counter() - started,
                  "cpu": usage.ru_utime + usage.ru_stime - watching[0], "watcher": watching[0],
                  "peak_mb": usage.ru_maxrss / 1024,
                  "cpu_stages": children.ru_utime + children.ru_stime,
                  "stages": dict(zip(stages, [(p[0] / 2**20, p[1])
                                              for p in peaks.values() if p]))}))
"""


def side_process(repeats, rev=None):
    """The sheet's side process alone (task 26 and the complex task as the sheet runs
    them: each computing stage in a short-lived process): wall and CPU of all its
    processes, peak RSS of the side process itself (``ru_maxrss``) and of each stage.
    The side process's CPU leaves out the thread that watches the stages (~2 s).
    With ``rev``: that commit's ``src`` (from ``git archive``, first on ``PYTHONPATH``)
    and this checkout alternate, and the medians of both are compared."""
    with tempfile.TemporaryDirectory(prefix="bench-side-") as tmp:
        sources = {"this checkout": None}
        if rev:
            sources = {rev: _archive(rev, Path(tmp), "src") / "src", **sources}
        runs = {name: [] for name in sources}
        for _ in range(repeats):
            for name, src in sources.items():
                env = dict(os.environ, **({"PYTHONPATH": str(src)} if src else {}))
                with tempfile.TemporaryDirectory(prefix="out-", dir=tmp) as out:
                    done = subprocess.run([sys.executable, "-c", SIDE_CODE, out], check=True,
                                          capture_output=True, text=True, env=env)
                run = json.loads(done.stdout.splitlines()[-1])
                runs[name].append(run)
                print(f"  {name}: task 26 {run['seconds']['gradients']:5.1f} s, complex task "
                      f"{run['seconds']['complex']:5.1f} s, wall {run['wall']:5.1f} s, CPU "
                      f"{run['cpu']:5.1f} s (watcher {run['watcher']:.1f} s left out) + "
                      f"{run['cpu_stages']:5.1f} s in the stages, peak "
                      f"RSS {run['peak_mb']:4.0f} MB; stages (peak RSS, CPU): "
                      + ", ".join(f"{k} {v[0]:.0f} MB {v[1]:.1f} s"
                                  for k, v in run["stages"].items())
                      + f" (load {os.getloadavg()[0]:.1f})", flush=True)
    cpu = {}
    for name, rs in runs.items():
        cpu[name] = np.median([r["cpu"] + r["cpu_stages"] for r in rs])
        print(f"  {name}, median of {repeats}: wall {np.median([r['wall'] for r in rs]):.1f} s, "
              f"CPU {cpu[name]:.1f} s (side process {np.median([r['cpu'] for r in rs]):.1f} s, "
              f"stages {np.median([r['cpu_stages'] for r in rs]):.1f} s), peak RSS "
              f"{np.median([r['peak_mb'] for r in rs]):.0f} MB, largest stage "
              f"{np.median([max(v[0] for v in r['stages'].values()) for r in rs]):.0f} MB")
    if rev:
        print(f"A/B side chain CPU: {rev} {cpu[rev]:.1f} s / this checkout "
              f"{cpu['this checkout']:.1f} s = {cpu[rev] / cpu['this checkout']:.2f}x")


def _archive(rev, folder, *paths):
    """Commit ``rev`` (only ``paths`` if given) extracted into ``folder``; returns it."""
    root = Path(__file__).resolve().parent.parent
    if subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet",
                       f"{rev}^{{commit}}"], capture_output=True).returncode:
        sys.exit(f"--against: {rev!r} is not a commit of {root} (see 'git log --oneline')")
    archive = subprocess.run(["git", "-C", str(root), "archive", rev, *paths], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


FIGURES_CODE = """
import sys, tempfile, time
started = time.process_time()
from deltanet.experiments import complex_task, gradients, runner
from deltanet.plots.complex import plot_complex
from deltanet.plots.gradients import plot_gradients
from deltanet.plots.task25 import draw_task25
src, cpu = sys.argv[1], {"imports": time.process_time() - started}
tdir = src + "/task25"
with tempfile.TemporaryDirectory() as out:
    for part, draw in (("task 25", lambda: draw_task25(runner.load_results(
                           tdir, runner.load_index(tdir)), out)),
                       ("task 26", lambda: plot_gradients(gradients.load_results(src), out)),
                       ("complex task", lambda: plot_complex(
                           complex_task.load_complex_results(src), out))):
        t = time.process_time()
        draw()
        cpu[part] = time.process_time() - t
print(", ".join(f"{k} {v:.2f} s" for k, v in cpu.items()))
"""


def figures(folder, repeats):
    """CPU seconds of drawing the sheet's figures (PNG and SVG) from the stored results
    in ``folder`` (a finished sheet's output), each run in a fresh process: the
    imports, then task 25's, task 26's and the complex task's figures."""
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-c", FIGURES_CODE, str(folder)], check=True,
                              capture_output=True, text=True)
        print(f"  figures, CPU: {done.stdout.strip()} (load {os.getloadavg()[0]:.1f})")


def _role(p, root):
    if p.pid == root.pid:
        return "parent (deltanet sheet)"
    command = " ".join(p.cmdline())
    if "resource_tracker" in command:
        return "resource tracker"
    return "worker" if p.ppid() == root.pid else "  side stage (short-lived)"


def _print_parts(lines, wall):
    """Wall time between the lines that mark the sheet's parts."""
    def first(predicate, after=0.0):
        return next((t for t, text in lines if t >= after and predicate(text)), None)

    header25 = first(lambda text: text.startswith("== "))
    runs = next((text for _, text in lines if re.match(r"\d+ runs?: ", text)), "")
    training = float(re.search(r"; ([\d.]+) s$", runs).group(1)) if runs else None
    done25 = first(lambda text: " finished in " in text, header25)
    header26 = first(lambda text: text.startswith("== "), done25)
    report = first(lambda text: text.startswith("== ") and "eport" in text, header26)
    written = first(lambda text: text.startswith("report: "), report)
    trained = header25 + training if training is not None and header25 is not None else None
    marks = [("process start-up, imports, side process spawned", 0.0, header25),
             ("task 25: training (4 runs on the worker pool)", header25, trained),
             ("task 25: pool start/stop, summary, figures", trained, done25),
             ("waiting for task 26 + complex task (side process)", done25, header26),
             ("task 26 and complex task summaries printed", header26, report),
             ("report (HTML + Markdown)", report, written),
             ("exit", written, wall)]
    print(f"  {'part of deltanet sheet':52} {'wall':>7}")
    for name, a, b in marks:
        if a is not None and b is not None:
            print(f"  {name:52} {b - a:6.1f} s")
    print(f"  {'total':52} {wall:6.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="sheet runs (best is reported)")
    parser.add_argument("--workers", type=int, default=None,
                        help="passed to 'deltanet sheet --workers' (default: one per core)")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the per-example network2 timing")
    parser.add_argument("--no-profile", action="store_true", help="skip the unit costs")
    parser.add_argument("--numpy", action="store_true",
                        help="run the sheet on the NumPy path (DELTANET_KERNEL=numpy)")
    parser.add_argument("--ab", action="store_true",
                        help="alternate kernel and NumPy-path runs and print the ratio")
    parser.add_argument("--whole", action="store_true",
                        help="profile the whole sheet (all parts; parts and processes), with "
                             "--ab on both paths, then stop")
    parser.add_argument("--quick", action="store_true",
                        help="with --whole: 'deltanet sheet --quick' (checks this script)")
    parser.add_argument("--side", type=int, metavar="N", default=0,
                        help="only the side process (task 26, complex task), N runs")
    parser.add_argument("--figures", metavar="DIR",
                        help="CPU of redrawing the figures of the sheet output DIR, "
                             "--repeats fresh processes, then stop")
    parser.add_argument("--against", metavar="REV",
                        help="the whole sheet of git commit REV against this checkout, "
                             "alternating --repeats times, then stop; with --side: the "
                             "side process of REV's src against this checkout's")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    if args.side:
        side_process(args.side, args.against)
        print(f"load average now {os.getloadavg()[0]:.2f}")
        return
    if args.against:
        against(args.against, args.repeats)
        print(f"load average now {os.getloadavg()[0]:.2f}")
        return
    if args.figures:
        figures(args.figures, args.repeats)
        return
    if args.whole:
        walls = {}
        for numpy_path in ([False, True] if args.ab else [args.numpy]):
            print(f"whole deltanet sheet, {'NumPy path' if numpy_path else 'kernel'}:")
            walls[numpy_path] = whole_sheet(numpy_path, args.quick)
        if not args.no_profile:
            print("where task 25's time goes (1 BLAS thread, in this process):")
            profile()
        if args.ab:
            print(f"A/B whole sheet: NumPy path {walls[True]:.1f} s / kernel "
                  f"{walls[False]:.1f} s = {walls[True] / walls[False]:.2f}x")
        print(f"load average now {os.getloadavg()[0]:.2f}")
        return
    paths = [False, True] if args.ab else [args.numpy]
    best = {}
    for _ in range(args.repeats):
        for numpy_path in paths:
            wall, cpu, records, peak = time_sheet(args.workers, numpy_path)
            print(f"deltanet sheet (task 25, {'NumPy path' if numpy_path else 'kernel'}): "
                  f"wall {wall:.1f} s, CPU {cpu:.1f} s (= {cpu / wall:.2f} cores busy on "
                  f"average), peak RSS {peak:.0f} MB")
            if numpy_path not in best or wall < best[numpy_path][0]:
                best[numpy_path] = (wall, cpu, records)
    if args.ab:
        print(f"A/B (best walls): NumPy path {best[True][0]:.1f} s / kernel "
              f"{best[False][0]:.1f} s = {best[True][0] / best[False][0]:.2f}x")
    wall, cpu, records = best[paths[0]]
    for r in sorted(records, key=lambda r: r["experiment"]):
        h = r["history"]
        print(f"  {r['experiment']:<16} {r['label']:<14} {h['epochs_completed']:>3} epochs: "
              f"train {r['timing']['train_seconds']:5.1f} s, run {r['timing']['wall_seconds']:5.1f}"
              f" s (mean epoch {1e3 * np.mean(h['epoch_seconds']):.1f} ms), BLAS threads "
              f"{r['environment']['blas_threads']}")
    if not args.no_profile:
        print("where the time goes (deltanet, 1 BLAS thread, in this process):")
        profile()
    if not args.no_reference:
        print("per-example network2 (reference_network2.py, float64, 1 BLAS thread):")
        estimate = time_reference()
        total = sum(estimate.values())
        print(f"reference total for task 25: {total:.0f} s = {total / 60:.1f} min "
              f"(serial, one core)")
        print(f"speed-up of 'deltanet sheet' (task 25): {total / wall:.1f}x "
              f"({total:.0f} s -> {wall:.1f} s wall)")
    print(f"target: <= 30 s wall -> {'met' if wall <= 30 else 'MISSED'} ({wall:.1f} s); "
          f"load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
