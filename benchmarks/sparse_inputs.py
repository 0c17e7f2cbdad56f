"""Would the kernel gain from MNIST's zeros? A measured "no" (an experiment, not a feature).

81% of the MNIST pixels are 0, so the first layer of ``[784, 30, 10]`` could touch only the
~150 non-zero inputs of each image instead of all 784: 5x fewer multiply-adds in the layer
that holds 96% of them. This script tries that in one run, interleaved with the dense
kernel (``deltanet.kernel``), on the sheet's workloads:

* the input-sparse forward ``z += x_k w_k`` over the non-zero pixels ``k`` (``w_k`` a row of
  the transposed first layer, padded to a multiple of 8 columns, four pixels per pass),
  on images stored once as CSR (indices, values);
* the input-sparse update ``w_k += alpha x_k delta`` of those rows only (plus, with L2,
  the decay of every weight, as the dense kernel does);
* the layers after the first, BP1 and BP2 are the kernel's own functions.

It prints the medians (seconds) and the ratio sparse / dense for a training epoch on the
50,000 training images (lmbda 0, as in 25a; lmbda 5 on 50,000 images, decay 0.99995) and the
monitoring pass over the 10,000 test images, and how far the parameters are from the
dense kernel's after one epoch.

    OPENBLAS_NUM_THREADS=1 python benchmarks/sparse_inputs.py [rounds]

What it showed (README, "Speed"; three runs, the first under load): 5x fewer multiply-adds buy
7-27%, not 5x: a training epoch 0.85-0.90 of the dense kernel's time (0.93-0.98 with L2,
which still scales every weight), the monitoring pass 0.73-0.93. numba vectorizes the
32-wide ``z += x w_k`` only with ``z`` in memory, so every pass over ``z`` waits for the
previous one's stores, and each pixel's row ``w_k`` is a new cache line; the dense pass
already takes about as long as one BLAS product of the first layer alone (printed last).
For the sheet that is at most ~4 s of task 25's ~23 s of CPU, too little for the 1.8x
A/B target, for a second first-layer code path and 26-69 MB of CSR copies per worker.
The kernel stays dense.
"""
import statistics
import sys
import time

import numpy as np

from deltanet import kernel
from deltanet.datasets import load_mnist

OPTIONS = dict(nogil=True, error_model="numpy", fastmath={"reassoc", "contract", "nsz"})
_forward_layer = _backprop_delta = _descend = None     # the kernel's own, set by _compile()


def csr(data, dtype):
    """``(indptr, indices, values)`` of the non-zero pixels, values scaled into [0, 1)."""
    images = np.asarray(data.images)
    nonzero = images != 0
    indptr = np.concatenate([[0], np.cumsum(nonzero.sum(1))]).astype(np.int64)
    return indptr, np.nonzero(nonzero)[1].astype(np.int32), \
        (images[nonzero] * dtype.type(data.scale)).astype(dtype)


def _first_forward(WT, b, indptr, ind, vals, rows_of, z_out, rows, one):
    """``z_out[i] = sigma(sum over non-zero k of x_k WT[k] + b)`` for the images ``rows_of``."""
    P, n_out = WT.shape[1], b.shape[0]
    for i in range(rows):
        z = z_out[i]
        for j in range(P):
            z[j] = 0
        r = rows_of[i]
        t, end = indptr[r], indptr[r + 1]
        while t + 4 <= end:               # four pixels per pass over z
            x0, x1, x2, x3 = vals[t], vals[t + 1], vals[t + 2], vals[t + 3]
            w0, w1, w2, w3 = WT[ind[t]], WT[ind[t + 1]], WT[ind[t + 2]], WT[ind[t + 3]]
            for j in range(P):
                z[j] += (x0 * w0[j] + x1 * w1[j]) + (x2 * w2[j] + x3 * w3[j])
            t += 4
        while t < end:
            x0, w0 = vals[t], WT[ind[t]]
            for j in range(P):
                z[j] += x0 * w0[j]
            t += 1
        for j in range(n_out):
            z[j] = one / (one + np.exp(-(z[j] + b[j])))


def _first_descend(WT, b, indptr, ind, vals, rows_of, delta, rows, alpha, decay, one):
    """BP3 + BP4 of the first layer, touching only the rows of non-zero pixels."""
    n_in, P = WT.shape
    if decay != one:
        for k in range(n_in):
            for j in range(P):
                WT[k, j] *= decay
    for j in range(b.shape[0]):
        s = one - one
        for i in range(rows):
            s += delta[i, j]
        b[j] += alpha * s
    for i in range(rows):
        d, r = delta[i], rows_of[i]
        for t in range(indptr[r], indptr[r + 1]):
            c, w = alpha * vals[t], WT[ind[t]]
            for j in range(P):
                w[j] += c * d[j]


def _epoch(WT, Ws, bs, indptr, ind, vals, labels, order, m, consts):
    """The kernel's ``_epoch`` (cross-entropy) with the first layer input-sparse."""
    one, alpha_full, alpha_last, decay = consts[0], consts[2], consts[3], consts[4]
    n_layers, n = len(Ws), len(order)
    width = WT.shape[1]
    for l in range(n_layers):
        width = max(width, Ws[l].shape[0])
    A = np.empty((n_layers + 1, min(m, n), width), consts.dtype)
    D = np.empty((2, min(m, n), width), consts.dtype)
    for start in range(0, n, m):
        rows = min(m, n - start)
        alpha = alpha_full if rows == m else alpha_last
        rows_of = order[start:start + rows]
        _first_forward(WT, bs[0], indptr, ind, vals, rows_of, A[1], rows, one)
        for l in range(1, n_layers):
            _forward_layer(Ws[l], bs[l], A[l], A[l + 1], rows, one)
        delta = D[0]
        for i in range(rows):                                       # BP1, cross-entropy
            for j in range(Ws[n_layers - 1].shape[0]):
                a = A[n_layers, i, j]
                delta[i, j] = a - one if j == labels[rows_of[i]] else a
        for l in range(n_layers - 1, 0, -1):
            delta_in = D[(n_layers - l) % 2]
            _backprop_delta(Ws[l], delta, A[l], delta_in, rows, one)
            _descend(Ws[l], bs[l], A[l], delta, rows, alpha, decay, one)
            delta = delta_in
        _first_descend(WT, bs[0], indptr, ind, vals, rows_of, delta, rows, alpha, decay, one)


def _forward_all(WT, Ws, bs, indptr, ind, vals, out, block):
    """Output activations of every image (the monitoring pass without the cost)."""
    n, n_layers, one = len(indptr) - 1, len(Ws), out.dtype.type(1)
    width = WT.shape[1]
    for l in range(n_layers):
        width = max(width, Ws[l].shape[0])
    A = np.empty((n_layers + 1, block, width), out.dtype)
    rows_of = np.arange(n)
    for start in range(0, n, block):
        rows = min(block, n - start)
        _first_forward(WT, bs[0], indptr, ind, vals, rows_of[start:], A[1], rows, one)
        for l in range(1, n_layers):
            _forward_layer(Ws[l], bs[l], A[l], A[l + 1], rows, one)
        out[start:start + rows] = A[n_layers, :rows, :out.shape[1]]


def _compile():
    import numba
    kernel._compile()
    module = globals()
    module.update(_forward_layer=kernel._forward_layer, _backprop_delta=kernel._backprop_delta,
                  _descend=kernel._descend)
    for name in ("_first_forward", "_first_descend", "_epoch", "_forward_all"):
        module[name] = numba.njit(**OPTIONS)(module[name])


def interleaved(rounds, *calls):
    times = [[] for _ in calls]
    for _ in range(rounds):
        for call, series in zip(calls, times):
            started = time.perf_counter()
            call()
            series.append(time.perf_counter() - started)
    return [statistics.median(s) for s in times], statistics.median(
        [b / a for a, b in zip(*times)])


def main(rounds):
    _compile()
    splits = load_mnist()
    train, test = splits.train, splits.test
    dtype, sizes, m, eta = np.dtype(np.float32), [784, 30, 10], 10, 0.5
    P = -(-sizes[1] // 8) * 8
    rng = np.random.default_rng(1)
    W0 = [np.asfortranarray((rng.standard_normal((a, b)) / np.sqrt(a)).astype(dtype))
          for a, b in zip(sizes[:-1], sizes[1:])]
    b0 = [rng.standard_normal(b).astype(dtype) for b in sizes[1:]]
    images, labels = kernel._rows(train.images), kernel._labels(train.labels)
    tr_csr, te_csr = csr(train, dtype), csr(test, dtype)
    density = len(tr_csr[1]) / np.asarray(train.images).size
    extra = sum(a.nbytes for a in tr_csr + te_csr) / 2**20
    print(f"non-zero pixels: {density:.1%} of the training images; CSR copies "
          f"(train + test): {extra:.0f} MB")
    order = rng.permutation(len(images)).astype(np.int64)
    results = {}
    for decay in (1.0, 1 - eta * 5.0 / len(images)):
        consts = np.array([1, train.scale, -eta / m, -eta / m, decay], dtype=dtype)

        def dense():
            Ws, bs = [W.copy(order="F") for W in W0], [b.copy() for b in b0]
            Wv, bv = kernel._book_views(Ws)[0], kernel._book_views(bs)[0]
            kernel._epoch(Wv, bv, images, labels, order, m, consts, 1)
            results["dense"] = Ws + bs

        def sparse():
            Ws, bs = [W.copy(order="F") for W in W0], [b.copy() for b in b0]
            Wv, bv = kernel._book_views(Ws)[0], kernel._book_views(bs)[0]
            WT = np.zeros((sizes[0], P), dtype)
            WT[:, :sizes[1]] = Ws[0]
            _epoch(WT, Wv, bv, *tr_csr, labels, order, m, consts)
            Ws[0][...] = WT[:, :sizes[1]]
            results["sparse"] = Ws + bs
        dense(), sparse()
        (a, b), ratio = interleaved(rounds, dense, sparse)
        gap = max(float(np.abs(x - y).max() / np.abs(x).max())
                  for x, y in zip(results["dense"], results["sparse"]))
        print(f"training epoch, 50,000 images, decay {decay:.5f}: dense kernel {a:.3f} s, "
              f"input-sparse {b:.3f} s, sparse/dense {ratio:.2f} "
              f"(parameters after the epoch within {gap:.1e} relative)")
    Wv, bv = kernel._book_views(W0)[0], kernel._book_views(b0)[0]
    WT = np.zeros((sizes[0], P), dtype)
    WT[:, :sizes[1]] = W0[0]
    out = np.empty((len(test.labels), sizes[-1]), dtype)
    t_images, t_labels = kernel._rows(test.images), kernel._labels(test.labels)
    consts = np.array([1, test.scale, np.finfo(dtype).tiny, 1 - np.finfo(dtype).epsneg], dtype)
    (a, b), ratio = interleaved(
        rounds, lambda: kernel._evaluate(Wv, bv, t_images, t_labels, consts, -1),
        lambda: _forward_all(WT, Wv, bv, *te_csr, out, 64))
    print(f"monitoring pass, 10,000 test images (no cost): dense kernel {1e3 * a:.1f} ms, "
          f"input-sparse {1e3 * b:.1f} ms, sparse/dense {ratio:.2f}")
    X, W = (np.asarray(test.images) * dtype.type(test.scale)).astype(dtype), W0[0].copy()
    (a, b), ratio = interleaved(
        rounds, lambda: kernel._evaluate(Wv, bv, t_images, t_labels, consts, -1), lambda: X @ W)
    print(f"for scale: the BLAS product X W of the first layer alone (float32 X, one thread "
          f"if OPENBLAS_NUM_THREADS=1) {1e3 * b:.1f} ms, whole dense pass {1e3 * a:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
