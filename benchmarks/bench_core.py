"""Core speed: one epoch of [784, 30, 10] on the full 50,000 images.

Mini-batch 10, cross-entropy, eta 0.5, float32, one BLAS thread, with training-
and test-accuracy monitoring after the epoch. The baseline is the per-example
algorithm of the original network2 (``reference_network2.py``), timed in the
same process on a slice and extrapolated to the full epoch (the original at
full size takes minutes per repeat).

    python benchmarks/bench_core.py [--repeats 5] [--reference-batches 300]

Also reports the peak resident memory of ``deltanet train`` on the full data
(one epoch, in a subprocess).
"""

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
import reference_network2 as reference  # noqa: E402

from deltanet import Network  # noqa: E402
from deltanet.datasets import load_mnist  # noqa: E402


def deltanet_epoch(train, test, r):
    """Seconds for one epoch with the benchmark's monitoring, and without any."""
    net = Network([784, 30, 10], cost="cross-entropy", seed=r, dtype="float32")
    start = time.perf_counter()
    net.SGD(train, 1, 10, 0.5, evaluation_data=test,
            monitor_training_accuracy=True, monitor_evaluation_accuracy=True)
    monitored = time.perf_counter() - start
    start = time.perf_counter()
    net.SGD(train, 1, 10, 0.5)
    return monitored, time.perf_counter() - start


def reference_timer(train, test, n_batches):
    """Per-example network2: a function that returns one full epoch's seconds,
    extrapolated from ``n_batches`` mini-batch updates and 4,000 monitored samples."""
    X = train.features(np.float64)
    pairs = [(x.reshape(-1, 1), np.eye(10)[y].reshape(-1, 1)) for x, y in
             zip(X[:10 * n_batches], train.labels[:10 * n_batches])]
    Xt = test.features(np.float64)
    test_pairs = [(x.reshape(-1, 1), int(y)) for x, y in zip(Xt[:2000], test.labels[:2000])]
    train_acc_pairs = [(x.reshape(-1, 1), np.eye(10)[y].reshape(-1, 1))
                       for x, y in zip(X[:2000], train.labels[:2000])]

    def epoch_seconds(r):
        random.seed(r)
        np.random.seed(r)
        net = reference.Network([784, 30, 10], cost=reference.CrossEntropyCost)
        start = time.perf_counter()
        for k in range(n_batches):
            net.update_mini_batch(pairs[10 * k:10 * k + 10], 0.5, 0.0, len(train))
        per_batch = (time.perf_counter() - start) / n_batches
        start = time.perf_counter()
        net.accuracy(train_acc_pairs, convert=True)
        net.accuracy(test_pairs)
        per_sample = (time.perf_counter() - start) / 4000
        return per_batch * len(train) / 10 + per_sample * (len(train) + len(test))
    return epoch_seconds


def step_floor():
    """Microseconds of one mini-batch step against its two BLAS products alone.

    The products are the first layer's forward pass ``X @ W1`` and BP4 fused
    with the update (one ``gemm`` into ``W1``); everything else in the step is
    small NumPy calls. Shows how close ``sgd_step`` is to what BLAS needs.
    """
    import timeit
    from scipy.linalg.blas import sgemm
    from deltanet.train import sgd_step
    rng = np.random.default_rng(0)
    X = rng.random((10, 784), dtype=np.float32)
    Y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 10)]
    net = Network([784, 30, 10], cost="cross-entropy", seed=0, dtype="float32")
    W1 = net.weights[0]
    delta1 = np.full((10, 30), 1e-6, dtype=np.float32)

    def blas_only():
        X @ W1
        sgemm(-1.0, X.T, delta1.T, 1.0, W1, trans_b=True, overwrite_c=True)

    def best(f):
        return 1e6 * min(timeit.repeat(f, number=5000, repeat=7)) / 5000
    return (best(lambda: sgd_step(net.weights, net.biases, net.cost, X, Y, 0.5)),
            best(blas_only))


def peak_memory_of_train():
    subprocess.run([sys.executable, "-m", "deltanet.cli.main", "train", "--epochs", "1",
                    "--quiet"], check=True, stdout=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reference-batches", type=int, default=300,
                        help="mini-batches timed for the per-example reference")
    args = parser.parse_args()
    # Measured first: a child forked from a big parent would count the
    # parent's pages in its peak RSS.
    peak_rss = peak_memory_of_train()
    train, _, test = load_mnist()
    reference_epoch = reference_timer(train, test, args.reference_batches)
    ours, bare, ref, ratios = [], [], [], []
    with threadpool_limits(1):
        for r in range(args.repeats):       # interleaved: load changes hit both alike
            monitored, plain = deltanet_epoch(train, test, r)
            ref.append(reference_epoch(r))
            ours.append(monitored)
            bare.append(plain)
            ratios.append(ref[-1] / monitored)
    med, ref_med = statistics.median(ours), statistics.median(ref)
    print(f"deltanet   epoch + monitoring, float32, 1 thread: median {med:.3f} s "
          f"(min {min(ours):.3f}, max {max(ours):.3f}, {len(ours)} repeats)")
    print(f"           of which training (5,000 steps, no monitoring): median "
          f"{statistics.median(bare):.3f} s (min {min(bare):.3f}), monitoring 60,000 rows: "
          f"{med - statistics.median(bare):.3f} s")
    print(f"reference  per-example network2 (float64), extrapolated from "
          f"{args.reference_batches} mini-batches: median {ref_med:.2f} s")
    print(f"speed-up   median {statistics.median(ratios):.1f}x over {len(ratios)} interleaved "
          f"pairs (min {min(ratios):.1f}x, max {max(ratios):.1f}x); targets >= 12x and "
          f"<= 0.25 s per epoch")
    with threadpool_limits(1):
        step, floor = step_floor()
    print(f"step       one mini-batch step {step:.1f} us (best of 7 x 5,000), of which its two "
          f"BLAS products alone take {floor:.1f} us")
    print(f"peak RSS of 'deltanet train --epochs 1' on the full data: "
          f"{peak_rss:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
