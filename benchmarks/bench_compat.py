"""network2 drop-in speed: deltanet.compat.network2 vs the per-example original.

Two course runs, [784, 30, 10], cross-entropy, large initial weights, eta 0.5,
mini-batch 10, all four monitors, evaluation on the 10,000 test images, float64:

1. task 25(c): 400 epochs on the first 1,000 training images, lmbda 0.1;
2. task 25(a): 30 epochs on all 50,000 training images, lmbda 0.

deltanet.compat is timed end to end (``SGD`` including its one-off list-to-
array conversion, printing off). The baseline is ``reference_network2.py``
(network2's algorithm, one sample at a time), timed for a few epochs and
extrapolated linearly to the full run (its epochs all cost the same). Both
start from the same seeds, and the epochs both ran are compared: the
accuracy counts must be identical and the costs equal to 1e-9.

    python benchmarks/bench_compat.py                 # about 4 minutes, 1 BLAS thread
    python benchmarks/bench_compat.py --quick         # about 1 minute, fewer epochs
    python benchmarks/bench_compat.py --per-call      # only the per-call table (~2 minutes)
    python benchmarks/bench_compat.py --per-call --methods load   # only its load row
    python benchmarks/bench_compat.py --self-divergence   # network2 against itself

``--per-call`` times every public method of the drop-in against the reference
on one example and on 10,000 (medians of interleaved repeats in one process),
plus a ``generate_gradient.py``-style workload (the book's script: per-example
``backprop`` over 1,000 images, summed and turned into per-layer norms, then one
``SGD`` epoch, [784, 30, 30, 10]).

``--self-divergence`` shows why no implementation can promise the original's
numbers in chaotic runs: the reference against the same reference that only
adds up each mini-batch's gradients in reverse order (and deltanet.compat
against the reference), step by step for multiple_eta.py's eta = 2.5 and epoch
by epoch for large initial weights on all 50,000 images.

Also prints per-step timings: one mini-batch update and one monitoring pass
over the test set. ``--drift N`` compares run 2 epoch by epoch for N epochs
with the reference and with the reference nudged by one ulp in one initial
weight: with large initial weights on the full data, rounding differences grow
about 10^4-fold per epoch in the original itself, so no implementation that
sums in a different order (or the original on another CPU/BLAS) can match it
beyond about 3 epochs; the 1,000-image run stays at 1e-15 for its 400 epochs.
"""

import argparse
import contextlib
import functools
import io
import math
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
import reference_network2 as reference  # noqa: E402

from deltanet.compat import mnist_loader, network2  # noqa: E402
from deltanet.network import feedforward  # noqa: E402
from deltanet.train import sgd_step  # noqa: E402

SEED = 12345678
MONITORS = dict(monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                monitor_training_cost=True, monitor_training_accuracy=True)


def new_net(module):
    random.seed(SEED)
    np.random.seed(SEED)
    net = module.Network([784, 30, 10], cost=module.CrossEntropyCost)
    net.large_weight_initializer()
    random.seed(SEED)                     # the shuffling starts from the same state
    return net


def time_compat(training, test, epochs, lmbda):
    net = new_net(network2)
    data = list(training)
    start = time.perf_counter()
    result = net.SGD(data, epochs, 10, 0.5, lmbda=lmbda, evaluation_data=test,
                     verbose=False, **MONITORS)
    return time.perf_counter() - start, result


def time_reference(training, test, epochs, lmbda):
    """Seconds per epoch (median over the epochs run) and the four lists."""
    net = new_net(reference)
    data = list(training)
    per_epoch, results = [], ([], [], [], [])
    for _ in range(epochs):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            out = net.SGD(data, 1, 10, 0.5, lmbda=lmbda, evaluation_data=test, **MONITORS)
        per_epoch.append(time.perf_counter() - start)
        for series, values in zip(results, out):
            series.extend(values)
    return per_epoch, results


def agreement(ours, theirs):
    """(identical accuracy counts?, per-epoch max relative cost difference)."""
    k = len(theirs[1])
    same = ours[1][:k] == theirs[1] and ours[3][:k] == theirs[3]
    rel = [max(abs(ours[i][e] - theirs[i][e]) / abs(theirs[i][e]) for i in (0, 2))
           for e in range(k)]
    return same, rel


def drift(training, test, epochs):
    """Run 2's sensitivity: compat vs reference, and reference vs itself nudged.

    The nudged reference differs by one ulp in one initial weight. If its
    numbers drift from the reference as fast as deltanet's do, the drift is
    the dynamics amplifying rounding, not a difference in the algorithm.
    """
    _, ours = time_compat(training, test, epochs, 0.0)
    _, theirs = time_reference(training, test, epochs, 0.0)
    original = reference.Network.large_weight_initializer

    def nudged(self):
        original(self)
        self.weights[0][0, 400] = np.nextafter(self.weights[0][0, 400], np.inf)

    reference.Network.large_weight_initializer = nudged
    try:
        _, theirs_nudged = time_reference(training, test, epochs, 0.0)
    finally:
        reference.Network.large_weight_initializer = original
    return agreement(ours, theirs), agreement(theirs_nudged, theirs)


def per_step(training, test, repeats):
    """Median seconds: one mini-batch of 10; one monitoring pass over the test set."""
    net = new_net(network2)
    X = np.vstack([x.T for x, _ in training[:1000]]).astype(np.float64)
    Y = np.vstack([y.T for _, y in training[:1000]])
    weights, biases, cost = net.core.weights, net.core.biases, net.core.cost
    Xt = np.vstack([x.T for x, _ in test]).astype(np.float64)
    labels = np.array([y for _, y in test])
    Yt = np.eye(10)[labels]

    def ours_step():
        for s in range(0, 1000, 10):
            sgd_step(weights, biases, cost, X[s:s + 10], Y[s:s + 10], 0.5, 1 - 0.5 * 0.1 / 1000)

    def ours_monitor():
        a = feedforward(weights, biases, Xt)
        network2.CrossEntropyCost.sample_costs(a, Yt).sum()
        np.count_nonzero(a.argmax(axis=1) == labels)

    ref = new_net(reference)
    batches = [training[s:s + 10] for s in range(0, 1000, 10)]

    def ref_step():
        for batch in batches:
            ref.update_mini_batch(batch, 0.5, 0.1, 1000)

    def ref_monitor():                    # network2's evaluation monitors: cost + 2 x accuracy
        ref.total_cost(test, 0.1, convert=True)
        ref.accuracy(test)
        ref.accuracy(test)

    def median(f, n):
        times = []
        for _ in range(n):
            start = time.perf_counter()
            f()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return (median(ours_step, repeats) / 100, median(ref_step, max(1, repeats // 2)) / 100,
            median(ours_monitor, repeats), median(ref_monitor, 1))


# ------------------------------------------------------------ per-call table --

def interleaved(ours, theirs, repeats):
    """Median seconds per call of ``ours`` and ``theirs``, called alternately.

    One call of each per round, so both see the same load of the machine;
    as many rounds as fit in about a second (at least ``repeats``, at most 2,001).
    """
    start = time.perf_counter()
    theirs()
    rounds = min(2001, max(repeats, int(1.0 / (time.perf_counter() - start))))
    times = ([], [])
    for _ in range(rounds):
        for f, series in zip((ours, theirs), times):
            start = time.perf_counter()
            f()
            series.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def per_call_cases(training, test, tmp):
    """(method, data, call(module, net)) for the per-call table."""
    x, y = training[0]
    one_train, one_test = training[:1], test[:1]
    many_train = training[:10_000]
    columns = np.hstack([x for x, _ in test])                 # (784, 10000)
    quiet = contextlib.redirect_stdout(io.StringIO())

    def sgd(data, m):
        def call(module, net):
            with quiet:
                net.SGD(data, 1, m, 0.1)
        return call

    def save(module, net):
        net.save(tmp / f"{module.__name__}.json")

    return [
        ("feedforward", "1 column", lambda module, net: net.feedforward(x)),
        ("feedforward", "10,000 columns (784, 10000)",
         lambda module, net: net.feedforward(columns)),
        ("backprop", "1 example", lambda module, net: net.backprop(x, y)),
        ("backprop", "10,000 examples, 1 call each",      # keeping nabla_b, as generate_gradient
         lambda module, net: [net.backprop(a, b)[0] for a, b in many_train]),
        ("update_mini_batch", "1 example",
         lambda module, net: net.update_mini_batch(one_train, 0.1, 0.1, 50_000)),
        ("update_mini_batch", "10,000 examples",
         lambda module, net: net.update_mini_batch(many_train, 0.1, 0.1, 50_000)),
        ("accuracy", "1 example", lambda module, net: net.accuracy(one_test)),
        ("accuracy", "10,000 test images", lambda module, net: net.accuracy(test)),
        ("accuracy", "10,000, new pairs each call",      # nothing cached: converted each time
         lambda module, net: net.accuracy([(x, y) for x, y in test])),
        ("total_cost", "1 example", lambda module, net: net.total_cost(one_test, 0.1, True)),
        ("total_cost", "10,000 test images", lambda module, net: net.total_cost(test, 0.1, True)),
        ("SGD", "1 example, 1 epoch", sgd(list(one_train), 1)),
        ("SGD", "10,000 examples, 1 epoch, m = 10", sgd(list(many_train), 10)),
        ("save", "[784, 30, 10]", save),
        ("load", "[784, 30, 10]",
         lambda module, net: module.load(tmp / f"{module.__name__}.json")),
    ]


def per_call(training, test, repeats, methods=None):
    """Rows (method, data, deltanet.compat s, reference s) of the per-call table
    (only ``methods`` if given)."""
    import tempfile
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        nets = {module: new_net(module) for module in (network2, reference)}
        for module, net in nets.items():           # the files load reads
            net.save(Path(tmp) / f"{module.__name__}.json")
        for method, data, call in per_call_cases(training, test, Path(tmp)):
            if methods and method not in methods:
                continue
            ours, theirs = interleaved(lambda: call(network2, nets[network2]),
                                       lambda: call(reference, nets[reference]), repeats)
            rows.append((method, data, ours, theirs))
            print(f"done: {method}, {data}", file=sys.stderr)
    return rows


def generate_gradient(module, td, epochs):
    """The book's generate_gradient.py (Python 3), ``epochs`` epochs of [784, 30, 30, 10]."""
    def get_average_gradient(net, training_data):
        nabla_b_results = [net.backprop(x, y)[0] for x, y in training_data]
        gradient = functools.reduce(lambda a, b: [x + y for x, y in zip(a, b)], nabla_b_results)
        return [(np.reshape(g, len(g)) / len(training_data)).tolist() for g in gradient]

    def list_norm(values):
        return math.sqrt(sum([v * v for v in values]))

    random.seed(SEED)
    np.random.seed(SEED)
    net = module.Network([784, 30, 30, 10])
    norms = []
    with contextlib.redirect_stdout(io.StringIO()):
        for _ in range(epochs):
            norms.append([list_norm(avg) for avg in get_average_gradient(net, td)[:-1]])
            net.SGD(td, 1, 1000, 0.1, lmbda=5.0)
    return norms


def print_per_call(rows, workload):
    print(f"\nper call: deltanet.compat.network2 vs the per-example reference, [784, 30, 10], "
          "median of interleaved repeats\n")
    print(f"{'method':18} {'data':32} {'deltanet.compat':>16} {'network2 (ref.)':>16} "
          f"{'ratio':>7}")
    for method, data, ours, theirs in rows:
        print(f"{method:18} {data:32} {fmt(ours):>16} {fmt(theirs):>16} {theirs / ours:6.2f}x")
    if workload is None:
        return
    ours, theirs, epochs = workload
    print(f"{'generate_gradient':18} {f'{epochs} epochs, 1,000 images':32} {fmt(ours):>16} "
          f"{fmt(theirs):>16} {theirs / ours:6.2f}x   (target >= 1.5x)")


# ---------------------------------------------------------- self-divergence --

class ReorderedReference(reference.Network):
    """network2 adding up each mini-batch's gradients in reverse order."""

    def update_mini_batch(self, mini_batch, eta, lmbda, n):
        super().update_mini_batch(mini_batch[::-1], eta, lmbda, n)


def max_difference(a, b):
    return max(float(np.max(np.abs(np.asarray(p) - np.asarray(q))))
               for p, q in zip(a.weights + a.biases, b.weights + b.biases))


def self_divergence(training, validation, steps, epochs):
    """Rows for the two chaotic cases: (case, point, |ref - reordered|, |ref - compat|)."""
    rows = []
    # multiple_eta.py: [784, 30, 10], default init, eta 2.5, lmbda 5.0, m = 10.
    classes = (reference.Network, ReorderedReference, network2.Network)
    models = []
    for cls in classes:
        random.seed(SEED)
        np.random.seed(SEED)
        models.append(cls([784, 30, 10]))
    data = list(training)
    random.seed(SEED)
    random.shuffle(data)
    done = 0
    for target in steps:
        for k in range(done, target):
            batch = data[10 * k:10 * k + 10]
            for net in models:
                net.update_mini_batch(batch, 2.5, 5.0, len(data))
        done = target
        rows.append(("eta = 2.5 (multiple_eta.py)", f"after {target} mini-batches",
                     max_difference(models[0], models[1]), max_difference(models[0], models[2])))
    # Large initial weights, all 50,000 images, eta 0.5, lmbda 0 (run 2 above).
    models = []
    for cls in classes:
        random.seed(SEED)
        np.random.seed(SEED)
        models.append(cls([784, 30, 10]))
        models[-1].large_weight_initializer()
    lists = [list(training) for _ in models]
    for epoch in range(epochs):
        counts = []
        for net, data in zip(models, lists):
            random.seed(SEED + epoch)
            with contextlib.redirect_stdout(io.StringIO()):
                net.SGD(data, 1, 10, 0.5)
            counts.append(net.accuracy(validation))
        rows.append(("large weights, 50,000 images", f"after epoch {epoch + 1}",
                     max_difference(models[0], models[1]), max_difference(models[0], models[2]),
                     counts))
        print(f"done: self-divergence epoch {epoch + 1}", file=sys.stderr)
    return rows


def print_self_divergence(rows):
    print("\nnetwork2 against itself: largest |difference| of any weight or bias between the "
          "reference and\nthe reference that sums each mini-batch in reverse order, and "
          "between the reference and deltanet.compat\n")
    print(f"{'case':30} {'point':24} {'ref vs reordered ref':>21} {'ref vs compat':>14}  "
          "validation accuracy (ref, reordered, compat)")
    for case, point, reordered, ours, *counts in rows:
        print(f"{case:30} {point:24} {reordered:21.1e} {ours:14.1e}  "
              f"{', '.join(map(str, counts[0])) if counts else ''}")


def fmt(seconds):
    return f"{seconds:8.2f} s" if seconds >= 1 else f"{seconds * 1e3:7.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="compat repeats per run")
    parser.add_argument("--small-epochs", type=int, default=400,
                        help="compat epochs for run 1 (extrapolated to 400 if fewer)")
    parser.add_argument("--full-epochs", type=int, default=30,
                        help="compat epochs for run 2 (extrapolated to 30 if fewer)")
    parser.add_argument("--reference-small-epochs", type=int, default=3)
    parser.add_argument("--reference-full-epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads (default 1; 0 = the library's default)")
    parser.add_argument("--quick", action="store_true",
                        help="100 + 10 compat epochs, 1 repeat, 2 + 1 reference epochs")
    parser.add_argument("--drift", type=int, default=0, metavar="EPOCHS",
                        help="also compare run 2 epoch by epoch with the reference and with "
                             "the reference nudged by one ulp in one weight (~25 s per epoch)")
    parser.add_argument("--per-call", action="store_true",
                        help="only the per-call table and the generate_gradient workload")
    parser.add_argument("--methods", type=lambda text: text.split(","),
                        help="with --per-call: only these rows (e.g. save,load), no workload")
    parser.add_argument("--gradient-epochs", type=int, default=3,
                        help="epochs of the generate_gradient workload (default 3)")
    parser.add_argument("--self-divergence", action="store_true",
                        help="only network2 against itself (~2 minutes per large-weight epoch)")
    parser.add_argument("--divergence-epochs", type=int, default=2)
    args = parser.parse_args()
    if args.per_call or args.self_divergence:
        training, validation, test = mnist_loader.load_data_wrapper()
        with threadpool_limits(args.threads or None):
            if args.per_call:
                rows = per_call(training, test, 2 * args.repeats + 1, args.methods)
                workload = [[], []]
                for _ in range(0 if args.methods else args.repeats):
                    for module, times in zip((network2, reference), workload):
                        start = time.perf_counter()
                        generate_gradient(module, training[:1000], args.gradient_epochs)
                        times.append(time.perf_counter() - start)
                print_per_call(rows, None if args.methods else (
                    statistics.median(workload[0]), statistics.median(workload[1]),
                    args.gradient_epochs))
            if args.self_divergence:
                print_self_divergence(self_divergence(
                    training, validation, (25, 50, 100, 150, 200, 300, 500),
                    args.divergence_epochs))
        return
    if args.quick:
        args.small_epochs, args.full_epochs, args.repeats = 100, 10, 1
        args.reference_small_epochs, args.reference_full_epochs = 2, 1

    training, _, test = mnist_loader.load_data_wrapper()
    runs = [("1: 400 epochs x 1,000 images, lmbda 0.1", training[:1000], 400,
             args.small_epochs, args.reference_small_epochs, 0.1, 10),
            ("2: 30 epochs x 50,000 images, lmbda 0", training, 30,
             args.full_epochs, args.reference_full_epochs, 0.0, 6)]
    rows = []
    with threadpool_limits(args.threads or None):
        for name, data, epochs, ours_epochs, ref_epochs, lmbda, target in runs:
            ours = []
            for _ in range(args.repeats):
                seconds, result = time_compat(data, test, ours_epochs, lmbda)
                ours.append(seconds * epochs / ours_epochs)
            ref_per_epoch, ref_result = time_reference(data, test, ref_epochs, lmbda)
            same, rel = agreement(result, ref_result)
            rows.append((name, statistics.median(ours), ours_epochs,
                         statistics.median(ref_per_epoch) * epochs, ref_epochs, target,
                         same, rel))
            print(f"done: {name}", file=sys.stderr)
        step, ref_step, monitor, ref_monitor = per_step(training, test, 2 * args.repeats + 1)
        if args.drift:
            drifts = drift(training, test, args.drift)

    threads = args.threads or "library default"
    print(f"\nnetwork2 drop-in vs per-example network2 (float64, BLAS threads: {threads}, "
          f"evaluation on the 10,000 test images, all four monitors)\n")
    print(f"{'run':44} {'deltanet.compat':>16} {'network2 (ref.)':>16} {'speed-up':>9} "
          f"{'target':>7}  agreement on the reference's epochs")
    for name, ours, ours_epochs, ref, ref_epochs, target, same, rel in rows:
        note = "" if ours_epochs == (400 if name.startswith("1") else 30) else \
            f" [compat extrapolated from {ours_epochs} epochs]"
        print(f"{name:44} {fmt(ours):>16} {fmt(ref):>16} {ref / ours:8.1f}x "
              f"{'>= ' + str(target):>6}x  counts {'identical' if same else 'DIFFER'}, "
              f"costs rel {', '.join(f'{r:.0e}' for r in rel)}{note}")
    print(f"\nnetwork2 (ref.): {rows[0][4]} (run 1) and {rows[1][4]} (run 2) epochs timed, "
          "extrapolated linearly; deltanet.compat: median of "
          f"{args.repeats} complete SGD call(s), incl. the list-to-array conversion.\n"
          "Costs rel: per compared epoch, the largest relative difference of the training "
          "and evaluation cost.")
    if args.drift:
        (same, rel), (same_nudged, rel_nudged) = drifts
        print(f"\nrun 2, epoch by epoch (rounding growth of the dynamics):\n"
              f"  deltanet.compat vs network2:                         counts "
              f"{'identical' if same else 'differ'}, costs rel "
              f"{', '.join(f'{r:.0e}' for r in rel)}\n"
              f"  network2 nudged by 1 ulp in one weight vs network2: counts "
              f"{'identical' if same_nudged else 'differ'}, costs rel "
              f"{', '.join(f'{r:.0e}' for r in rel_nudged)}")
    print(f"\nper step{'':36} {'deltanet':>16} {'network2 (ref.)':>16}")
    print(f"{'mini-batch of 10 (update)':44} {fmt(step):>16} {fmt(ref_step):>16} "
          f"{ref_step / step:8.1f}x")
    print(f"{'monitoring the 10,000 test images':44} {fmt(monitor):>16} {fmt(ref_monitor):>16} "
          f"{ref_monitor / monitor:8.1f}x   (one forward pass vs cost + 2 x accuracy)")


if __name__ == "__main__":
    main()
