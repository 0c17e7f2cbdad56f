"""One run, same machine, interleaved: one epoch of [784,30,10] on 50k MNIST, mini-batch 10,
eta 0.5, with training + test accuracy, for the BLAS floor, deltanet's ``Network.SGD`` on the
NumPy path (``DELTANET_KERNEL=numpy``), a plain NumPy sketch, ``Network.SGD`` with the
compiled kernel (picked by the dispatch rule) and JAX jit+scan (skipped with a note if JAX is
not installed). Ratios from one run are what carries over between machines (absolute times do not).
Extended from ../shared/bench/side_by_side.py (same BLAS floor, sketch and JAX code).

    OPENBLAS_NUM_THREADS=1 python benchmarks/side_by_side.py [rounds]
    OPENBLAS_NUM_THREADS=1 python benchmarks/side_by_side.py --shapes [--density D] [rounds]
    OPENBLAS_NUM_THREADS=1 python benchmarks/side_by_side.py --evaluate [rounds]
    OPENBLAS_NUM_THREADS=1 python benchmarks/side_by_side.py --against COMMIT [rounds]

Also prints the kernel's first compile (fresh numba cache directory, in a subprocess) and its
load from that cache (a second subprocess). ``--shapes`` instead compares the kernel with the
NumPy path per training shape and then for the monitoring pass (``--evaluate``: only that),
the measurements behind ``deltanet.kernel.use_kernel`` (``--density D``: training only, on
the images with random pixels added until a share ``D`` of the inputs is nonzero). ``--against COMMIT`` times this
kernel against ``src/deltanet/kernel.py`` of another commit (imported from ``git show``),
interleaved, for every shape the dispatch rule gives the kernel: a change to the kernel must
make none of them slower.
"""
import contextlib
import dataclasses
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec

import numpy as np

from deltanet import Network, kernel
from deltanet.datasets import load_mnist

_splits = load_mnist()
TRAIN, TEST = _splits.train, _splits.test
X, Yl, Xt = TRAIN.images, TRAIN.labels, TEST.images
Xf = (X / 256).astype(np.float32)
Xtf = (Xt / 256).astype(np.float32)


def blas_floor():
    """Only the BLAS products an epoch needs: 5000 steps x 5 products + monitoring forward
    of 60k rows."""
    rng = np.random.default_rng(0)
    W1 = np.asfortranarray(rng.standard_normal((784, 30), dtype=np.float32))
    W2 = rng.standard_normal((30, 10), dtype=np.float32)
    x = Xf[:10].copy()
    a1 = np.ones((10, 30), np.float32)
    d2 = np.ones((10, 10), np.float32)
    d1 = np.ones((10, 30), np.float32)
    t = time.perf_counter()
    for k in range(5000):
        x @ W1
        a1 @ W2
        d2 @ W2.T
        W1 -= x.T @ d1
        W2 -= a1.T @ d2
    for A in (Xf, Xtf):
        (A @ W1) @ W2
    return time.perf_counter() - t


def sketch():
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((784, 30), dtype=np.float32) / 28
    b1 = rng.standard_normal(30, dtype=np.float32)
    W2 = rng.standard_normal((30, 10), dtype=np.float32) / 5.5
    b2 = rng.standard_normal(10, dtype=np.float32)
    Y = np.eye(10, dtype=np.float32)[Yl]
    s = np.float32(0.05)
    t = time.perf_counter()
    p = rng.permutation(50000)
    Xs, Ys = Xf[p], Y[p]
    for k in range(0, 50000, 10):
        x, y = Xs[k:k + 10], Ys[k:k + 10]
        a1 = 1 / (1 + np.exp(-(x @ W1 + b1)))
        a2 = 1 / (1 + np.exp(-(a1 @ W2 + b2)))
        d2 = a2 - y
        d1 = (d2 @ W2.T) * a1 * (1 - a1)
        W2 -= s * (a1.T @ d2)
        b2 -= s * d2.sum(0)
        W1 -= s * (x.T @ d1)
        b1 -= s * d1.sum(0)
    for A in (Xf, Xtf):
        np.argmax((1 / (1 + np.exp(-(A @ W1 + b1)))) @ W2 + b2, 1)
    return time.perf_counter() - t


@contextlib.contextmanager
def numpy_path():
    """deltanet with the kernel switched off (``DELTANET_KERNEL=numpy``)."""
    previous = os.environ.get("DELTANET_KERNEL")
    os.environ["DELTANET_KERNEL"] = "numpy"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DELTANET_KERNEL"]
        else:
            os.environ["DELTANET_KERNEL"] = previous


def deltanet_epoch(numpy=False):
    """deltanet's epoch as a user runs it: ``Network.SGD`` (shuffle, one training epoch,
    training and test accuracy), with the kernel (the dispatch rule picks it for this
    shape) or with ``DELTANET_KERNEL=numpy``."""
    net = Network([784, 30, 10], cost="cross-entropy", seed=1, dtype=np.float32)
    with numpy_path() if numpy else contextlib.nullcontext():
        t = time.perf_counter()
        net.SGD(TRAIN, 1, 10, 0.5, evaluation_data=TEST, monitor_evaluation_accuracy=True,
                monitor_training_accuracy=True, progress=False)
        return time.perf_counter() - t


COMPILE = r'''
import time, resource, numpy as np
from deltanet import Network, kernel
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
net = Network([784, 30, 10], seed=1, dtype=np.float32)
images, labels = np.zeros((20, 784), np.uint8), np.zeros(20, np.int64)
t, c = time.perf_counter(), cpu()
kernel.train_epoch(net.weights, net.biases, images, 1 / 256, labels, np.arange(20), 10, 0.5,
                   1.0, "cross-entropy")
kernel.evaluate(net.weights, net.biases, images, 1 / 256, labels, "cross-entropy", False)
print(time.perf_counter() - t, cpu() - c)
'''


def compile_and_load():
    """(wall, CPU) seconds of the first kernel call (numba import and compile into a
    fresh cache) and of the same call in a second process (import and cached load)."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        return [tuple(map(float, subprocess.run([sys.executable, "-c", COMPILE], env=env,
                                                check=True, capture_output=True,
                                                text=True).stdout.split()))
                for _ in range(2)]


JAX = r'''
import numpy as np, time, sys, jax, jax.numpy as jnp
sys.path.insert(0, sys.argv[1]); import side_by_side as S
Xf=jnp.asarray(S.Xf); Y=jnp.eye(10,dtype=jnp.float32)[S.Yl]; Xtf=jnp.asarray(S.Xtf)
def step(p,xy):
    W1,b1,W2,b2=p; x,y=xy
    a1=jax.nn.sigmoid(x@W1+b1); a2=jax.nn.sigmoid(a1@W2+b2)
    d2=a2-y; d1=(d2@W2.T)*a1*(1-a1); s=0.05
    return (W1-s*x.T@d1,b1-s*d1.sum(0),W2-s*a1.T@d2,b2-s*d2.sum(0)),None
@jax.jit
def epoch(p,key):
    perm=jax.random.permutation(key,50000)
    p,_=jax.lax.scan(step,p,(Xf[perm].reshape(5000,10,784),Y[perm].reshape(5000,10,10)))
    acc=[jnp.argmax(jax.nn.sigmoid(A@p[0]+p[1])@p[2],1) for A in (Xf,Xtf)]
    return p,acc
rng=np.random.default_rng(0)
p=tuple(jnp.asarray(a,jnp.float32) for a in (rng.standard_normal((784,30))/28,rng.standard_normal(30),rng.standard_normal((30,10))/5.5,rng.standard_normal(10)))
t=time.perf_counter(); r=epoch(p,jax.random.PRNGKey(0)); jax.block_until_ready(r); c=time.perf_counter()-t
ts=[]
for e in range(3):
    t=time.perf_counter(); r=epoch(p,jax.random.PRNGKey(e+1)); jax.block_until_ready(r); ts.append(time.perf_counter()-t)
print(min(ts), c)
'''


def jax_epoch():
    env = dict(os.environ, JAX_PLATFORMS="cpu",
               XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    out = subprocess.run([sys.executable, "-c", JAX, os.path.dirname(os.path.abspath(__file__))],
                         env=env, capture_output=True, text=True)
    if out.returncode:
        print(out.stderr[-2000:], file=sys.stderr)
        return float("nan")
    return float(out.stdout.split()[-2])


def side_by_side(rounds):
    has_jax = find_spec("jax") is not None
    if not has_jax:
        print("note: JAX is not installed; its column is skipped")
    first, cached = compile_and_load()
    print(f"kernel first compile {first[0]:.2f} s wall, {first[1]:.2f} s CPU (fresh cache); "
          f"cached load {cached[0]:.2f} s wall, {cached[1]:.2f} s CPU")
    deltanet_epoch()                          # load the compiled kernel before timing
    res = {k: [] for k in ("blas", "deltanet", "sketch", "kernel", "jax") if has_jax or k != "jax"}
    for _ in range(rounds):
        res["blas"].append(blas_floor())
        res["deltanet"].append(deltanet_epoch(numpy=True))
        res["sketch"].append(sketch())
        res["kernel"].append(deltanet_epoch())
        if has_jax:
            res["jax"].append(jax_epoch())
    floor = statistics.median(res["blas"])
    medians = {k: statistics.median(v) for k, v in res.items()}
    for k, v in res.items():
        print(f"{k:9s} median {medians[k]:.3f}s  best {min(v):.3f}s  "
              f"x floor {medians[k] / floor:.2f}")
    print(f"kernel / deltanet NumPy path: {medians['kernel'] / medians['deltanet']:.2f}")
    if has_jax:
        print(f"kernel / JAX: {medians['kernel'] / medians['jax']:.2f}")


SHAPES = [((784, 30, 10), 1), ((784, 30, 10), 10), ((784, 30, 10), 25), ((784, 30, 10), 100),
          ((784, 30, 10), 200), ((784, 30, 10), 1000), ((784, 100, 10), 10),
          ((784, 100, 10), 25), ((784, 100, 10), 50), ((784, 300, 10), 10),
          ((784, 300, 10), 50), ((784, 1000, 10), 10), ((784, 100, 30, 10), 10),
          ((784, 30, 30, 30, 30, 10), 10), ((784, 30, 30, 30, 30, 10), 100)]


def compare(rounds, numpy_call, kernel_call):
    """Medians of ``rounds`` interleaved timings: (NumPy path, kernel)."""
    times = ([], [])
    for _ in range(rounds):
        for call, series in ((numpy_call, times[0]), (kernel_call, times[1])):
            t = time.perf_counter()
            call()
            series.append(time.perf_counter() - t)
    return [statistics.median(series) for series in times]


def train_call(net, data, m, module=kernel):
    """One epoch as ``Network.SGD`` runs it: with the data's nonzero inputs, listed once,
    if ``module`` has the sparse first layer."""
    n, nonzeros = len(data.labels), _nonzeros(module, data.images, net.sizes[1])
    return lambda: module.train_epoch(net.weights, net.biases, data.images, data.scale,
                                      data.labels, net.rng.permutation(n), m, 0.1, 1.0,
                                      "cross-entropy", *nonzeros)


def evaluate_call(net, module=kernel):
    nonzeros = _nonzeros(module, Xt, net.sizes[1])
    return lambda: module.evaluate(net.weights, net.biases, Xt, TEST.scale, TEST.labels,
                                   "cross-entropy", True, *nonzeros)


def _nonzeros(module, images, width):
    return (module.nonzeros(images, width),) if hasattr(module, "nonzeros") else ()


def denser(data, share, seed=0):
    """``data`` with random pixels (random values) added until ``share`` of all inputs
    are nonzero: the sparse first layer on inputs denser and more scattered than MNIST's."""
    images = np.array(data.images)
    zero = images == 0
    added = zero & (np.random.default_rng(seed).random(images.shape)
                    < (share - 1 + zero.mean()) / zero.mean())
    images[added] = np.random.default_rng(seed + 1).integers(1, 256, added.sum())
    return dataclasses.replace(data, images=images)


def shapes(rounds, n=10_000, density=None):
    """Training time on ``n`` rows, kernel vs NumPy path, per shape and dtype (``density``:
    on :func:`denser` rows)."""
    data = TRAIN[:n] if density is None else denser(TRAIN[:n], density)
    print(f"share of nonzero inputs: {np.count_nonzero(data.images) / data.images.size:.3f}")
    for dtype in (np.float32, np.float64):
        for sizes, m in SHAPES:
            net = Network(list(sizes), seed=1, dtype=dtype)

            def numpy_call():
                with numpy_path():
                    net.SGD(data, 1, m, 0.1)
            kernel_call = train_call(net, data, m)
            kernel_call()                     # compile or load before timing
            nonzeros = kernel.nonzeros(data.images, sizes[1])
            a, b = compare(rounds, numpy_call, kernel_call)
            print(f"{np.dtype(dtype).name:7s} {str(list(sizes)):18s} m={m:<5d} numpy {a:.3f}s  "
                  f"kernel {b:.3f}s  kernel/numpy {b / a:.2f}  use_kernel="
                  f"{kernel.use_kernel(sizes, m, dtype, sparse=nonzeros is not None)}")


def evaluations(rounds):
    """Monitoring pass over the 10,000 test images (cost and accuracy), kernel vs NumPy."""
    from deltanet.costs import batched
    from deltanet.data import as_data
    for dtype in (np.float32, np.float64):
        for sizes in sorted({sizes for sizes, _ in SHAPES}):
            net = Network(list(sizes), seed=1, dtype=dtype)
            data = as_data(TEST, net.sizes)

            def numpy_call():                 # the NumPy path's monitoring pass
                return data.evaluate(net._feed(), batched(net.cost), dtype)
            kernel_call = evaluate_call(net)
            kernel_call()                     # compile or load before timing
            numpy_call()                      # converts the test set once, as in training
            a, b = compare(rounds, numpy_call, kernel_call)
            print(f"{np.dtype(dtype).name:7s} {str(list(sizes)):24s} evaluate 10k: numpy "
                  f"{1e3 * a:.1f} ms  kernel {1e3 * b:.1f} ms  kernel/numpy {b / a:.2f}  "
                  f"use_kernel={kernel.use_kernel(sizes, None, dtype)}")


def against(commit, rounds, n=10_000):
    """This kernel / the kernel of ``commit`` (medians of interleaved timings) for every
    training shape on ``n`` rows and monitoring pass the dispatch rule sends to the kernel."""
    source = subprocess.run(["git", "show", f"{commit}:src/deltanet/kernel.py"], check=True,
                            capture_output=True, text=True, cwd=os.path.dirname(__file__)).stdout
    path = os.path.join(tempfile.mkdtemp(), "kernel_at_commit.py")   # numba caches by path
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("kernel_at_commit", path)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    data = TRAIN[:n]
    for dtype in (np.float32, np.float64):
        cases = [(sizes, m) for sizes, m in SHAPES if kernel.use_kernel(sizes, m, dtype)]
        cases += [(sizes, None) for sizes in sorted({sizes for sizes, _ in SHAPES})
                  if kernel.use_kernel(sizes, None, dtype)]
        for sizes, m in cases:
            net = Network(list(sizes), seed=1, dtype=dtype)
            calls = [train_call(net, data, m, module) if m else evaluate_call(net, module)
                     for module in (old, kernel)]
            for call in calls:
                call()                        # compile before timing
            a, b = compare(rounds, *calls)
            what = f"m={m:<5d} epoch {n} rows" if m else "evaluate 10k"
            print(f"{np.dtype(dtype).name:7s} {str(list(sizes)):24s} {what:20s} {commit} "
                  f"{1e3 * a:.1f} ms  now {1e3 * b:.1f} ms  now/then {b / a:.3f}")


if __name__ == "__main__":
    def value(option):
        return sys.argv[sys.argv.index(option) + 1] if option in sys.argv else None
    commit, density = value("--against"), value("--density")
    args = [a for a in sys.argv[1:] if not a.startswith("--") and a not in (commit, density)]
    rounds = int(args[0]) if args else 3
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores shared with other processes)")
    if "--shapes" in sys.argv:
        shapes(rounds, density=None if density is None else float(density))
        if density is None:
            evaluations(rounds)
    elif "--against" in sys.argv:
        against(commit, rounds)
    elif "--evaluate" in sys.argv:
        evaluations(rounds)
    else:
        side_by_side(rounds)
    print(f"load average {os.getloadavg()[0]:.2f}")
