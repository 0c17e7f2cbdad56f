"""A compiled epoch kernel (numba) for the real sigmoid network and the built-in costs.

One call trains a whole epoch of mini-batch SGD (forward, BP1-BP4 and the L2
update of every mini-batch), another evaluates a data set (summed cost and
correct count): exactly what :func:`deltanet.train.sgd_step` and the NumPy
monitoring compute, without a Python call per mini-batch (on ``[784, 30, 10]``
with 10 samples the NumPy calls' overhead, not the arithmetic, is the cost).

The loops are blocked over the mini-batch: a row ``w^l_j`` of the book's
``w^l`` (the memory of the core's Fortran-ordered ``W^l``) is read once per
block of 4 samples and stays in the L1 cache. ``fastmath`` allows only
reassociation and contraction (no approximate ``exp``/``log``, NaNs kept).

The first layer reads only the nonzero inputs (81% of MNIST's pixels are 0)
when their share, times the padding of the layer's neurons to whole vectors of
``LANES`` (32/30 for 30 neurons), is at most ``SPARSE_DENSITY``: :func:`nonzeros`
lists them once per data set, the
forward pass adds ``x_k`` times row ``k`` of ``w^1``'s transpose for each nonzero
``x_k`` (:func:`_sparse_layer`) and the update changes only those rows, besides
the L2 decay (:func:`_sparse_descend`). Both do it ``LANES`` numbers at a time in
vector registers (:func:`_sparse_ir`, the one piece written in LLVM IR: numba
keeps such sums in memory and waits for each store). The sums are added in
another order than the dense layer's, so results differ from it in the last bits.

Nothing is compiled before the first call; numba then compiles the functions
after ``_compile`` (which replaces them in this module, so they call each
other compiled) into its on-disk cache, and later processes load them.
"""

import functools
import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec

import numpy as np

__all__ = ["available", "use_kernel", "switched_off", "train_epoch", "evaluate", "nonzeros",
           "Nonzeros"]

COST_CODES = {"quadratic": 0, "cross-entropy": 1}
LANES = 32              # first-layer sums per vector of the sparse pass (_sparse_sums)
SPARSE_DENSITY = 0.3    # the sparse first layer if (nonzero share) x (padding) is at most this
_COMPILED = False
_COMPILE_LOCK = threading.Lock()
_switched_off = 0       # depth of nested switched_off() blocks


def available():
    """True if numba is installed, ``DELTANET_KERNEL`` is not ``numpy`` and no
    :func:`switched_off` block is running."""
    if _switched_off or os.environ.get("DELTANET_KERNEL", "").strip().lower() == "numpy":
        return False
    return _numba_installed()


@functools.cache
def _numba_installed():         # looked up once: find_spec takes ~0.1 ms before the import
    return find_spec("numba") is not None


@contextmanager
def switched_off():
    """Every network on the NumPy path inside the block (numba is not even imported)."""
    global _switched_off
    _switched_off += 1
    try:
        yield
    finally:
        _switched_off -= 1


# use_kernel's limits per dtype: training (largest m, largest m * width), monitoring (width)
_TRAIN_LIMITS = {np.dtype(np.float32): (32, 10_000), np.dtype(np.float64): (25, 1_000)}
_SPARSE_WORK = {np.dtype(np.float32): 6_000, np.dtype(np.float64): 3_000}   # largest m * width
_EVALUATE_WIDTH = {np.dtype(np.float32): 100, np.dtype(np.float64): 30}


def use_kernel(sizes, mini_batch_size, dtype, sparse=False):
    """The dispatch rule: True where the kernel is faster than NumPy + BLAS.

    ``mini_batch_size=None`` asks about the monitoring pass (:func:`evaluate`),
    otherwise about training (:func:`train_epoch`). With ``width`` the widest
    layer after the input:

    * training: float32 if ``m <= 32`` and ``m * width <= 10,000``; float64 if
      ``m <= 25`` and ``m * width <= 1,000``; with ``sparse`` (the inputs have
      :func:`nonzeros`, so the first layer reads only those) also whenever
      ``m * width <= 6,000`` (float32) or ``3,000`` (float64);
    * monitoring: float32 if ``width <= 100``, float64 if ``width <= 30``;
    * never for other dtypes (complex networks), without numba, or with
      ``DELTANET_KERNEL=numpy`` (read on every call). Custom costs must be
      checked by the caller (``cost.name in COST_CODES``).

    NumPy calls cost microseconds each whatever the size, while BLAS computes
    large products faster than these loops: the limits are where the kernel
    was faster, measured with ``benchmarks/side_by_side.py --shapes`` (the
    table is in the README's Speed section).
    """
    dtype = np.dtype(dtype)
    if dtype not in _EVALUATE_WIDTH or not available():
        return False
    width = max(sizes[1:])
    if mini_batch_size is None:
        return width <= _EVALUATE_WIDTH[dtype]
    max_batch, max_work = _TRAIN_LIMITS[dtype]
    return (mini_batch_size <= max_batch and mini_batch_size * width <= max_work
            or sparse and mini_batch_size * width <= _SPARSE_WORK[dtype])


def _check_inputs(weights, biases, images, labels, order=None):
    """The parameters' common dtype (float32 or float64, else ``TypeError``);
    ``ValueError`` for arrays the kernels would read or write past (numba checks
    no bounds): layers that do not chain, images of another width, labels or rows
    out of range. O(1) per layer plus one pass over ``labels`` and ``order``."""
    dtype = weights[0].dtype
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"the kernel computes in float32 or float64; got weights of {dtype}")
    width = weights[0].shape[0]                          # of the layer before weights[l]
    for l, (W, b) in enumerate(zip(weights, biases, strict=True)):
        if W.dtype != dtype or b.dtype != dtype:
            raise TypeError("all weights and biases must share one dtype for the kernel")
        if W.ndim != 2 or W.shape[0] != width or b.shape != W.shape[1:]:
            raise ValueError(f"layers do not chain: weights[{l}] {W.shape}, biases[{l}] "
                             f"{b.shape} after a layer of {width}")
        width = W.shape[1]
    if np.ndim(images) != 2 or np.shape(images)[1] != weights[0].shape[0]:
        raise ValueError(f"images must have shape (n, {weights[0].shape[0]}); got "
                         f"{np.shape(images)}")
    if np.shape(labels) != (len(images),) or len(labels) and not (
            0 <= np.min(labels) and np.max(labels) < width):
        raise ValueError(f"labels must be {len(images)} integers in 0..{width - 1}")
    if order is not None and len(order) and not (
            0 <= np.min(order) and np.max(order) < len(images)):
        raise ValueError(f"order must hold row numbers in 0..{len(images) - 1}")
    return dtype


def _book_views(arrays):
    """The book's ``w^l`` (C-ordered (n_out, n_in) views of the core's F-ordered
    ``W^l``) and contiguous biases, plus a function that writes back copies the
    kernel had to make for arrays in another layout."""
    views, copies = [], []
    for a in arrays:
        v = a.T if a.ndim == 2 else a
        if not v.flags.c_contiguous:
            c = np.ascontiguousarray(v)
            copies.append((v, c))
            v = c
        views.append(v)

    def write_back():
        for original, copy in copies:
            original[...] = copy
    return tuple(views), write_back


def train_epoch(weights, biases, images, scale, labels, order, mini_batch_size, eta,
                decay, cost_name, nonzeros=None):
    """One epoch of mini-batch SGD on ``weights`` and ``biases``, in place.

    The mini-batches are ``order[s:s + m]`` for ``s = 0, m, 2m, ...`` (the last
    one may be shorter); each step is :func:`deltanet.train.sgd_step` with
    ``X = images[rows] * scale`` and ``Y`` the one-hot ``labels[rows]``::

        delta^L = a - y  (cross-entropy)  or  (a - y) a (1 - a)  (quadratic)
        delta^l = (delta^{l+1} w^{l+1}) * a^l (1 - a^l)       (old w^{l+1})
        b^l <- b^l - (eta / m) sum_x delta^l
        W^l <- decay * W^l - (eta / m) (A^{l-1})^T delta^l

    ``weights``: (n_in, n_out) arrays (any layout; Fortran order is used
    without copies), float32 or float64, which is the dtype of the arithmetic.
    ``images``: (n, n_in) uint8 or float rows; ``labels``: (n,) integers;
    ``nonzeros``: the images' :func:`nonzeros` (then the first layer adds and
    changes only what the nonzero inputs touch), or None.
    """
    dtype = _check_inputs(weights, biases, images, labels, order)
    if cost_name not in COST_CODES:
        raise ValueError(f"the kernel knows the costs {', '.join(COST_CODES)}; got {cost_name!r}")
    m = int(mini_batch_size)
    order = np.ascontiguousarray(order, dtype=np.int64)
    last = len(order) % m or m
    consts = np.array([1, scale, -eta / m, -eta / last, decay], dtype=dtype)
    (Ws, write_back_w), (bs, write_back_b) = _book_views(weights), _book_views(biases)
    images, WT, nonzeros = _first_layer(weights[0], images, nonzeros)
    _compile()
    _epoch(Ws, bs, images, _labels(labels), order, m, consts, COST_CODES[cost_name], WT,
           *nonzeros)
    write_back_w()
    write_back_b()
    if len(WT):
        weights[0][...] = WT[:, :weights[0].shape[1]]


def evaluate(weights, biases, images, scale, labels, cost_name, with_cost=True,
             nonzeros=None):
    """``(summed cost, correct count)`` of one forward pass over all rows.

    The cost is ``cost.fn`` of :mod:`deltanet.costs` summed over the samples
    (cross-entropy with ``a`` clipped into [tiny, 1 - epsneg] of the dtype and
    0 ln 0 = 0); a sample is correct if the argmax of its output is its label
    (NumPy's argmax: a NaN output counts as the largest). ``nonzeros``: the
    images' :func:`nonzeros` (then the first layer adds only those), or None.
    """
    dtype = _check_inputs(weights, biases, images, labels)
    finfo = np.finfo(dtype)
    consts = np.array([1, scale, finfo.tiny, 1 - finfo.epsneg], dtype=dtype)
    (Ws, _), (bs, _) = _book_views(weights), _book_views(biases)
    images, WT, nonzeros = _first_layer(weights[0], images, nonzeros)
    _compile()
    cost, correct = _evaluate(Ws, bs, images, _labels(labels), consts,
                              COST_CODES[cost_name] if with_cost else -1, WT, *nonzeros,
                              np.arange(len(images)))
    return float(cost), int(correct)


def _first_layer(W, images, nonzeros):
    """The kernels' arguments for the first layer: ``images``, ``W`` transposed
    into rows padded to whole vectors for the sparse layer (``nonzeros`` given; no
    rows for the dense layer), and the ``nonzeros`` (empty arrays of the same types
    for the dense layer: one compilation serves both)."""
    images = _rows(images)
    width = _padded(W.shape[1])
    stride = width + LANES * (width * W.itemsize % 512 == 0)  # rows 2^k bytes apart would
    WT = np.zeros((W.shape[0] if nonzeros else 0, stride), W.dtype)[:, :width]  # share cache sets
    if nonzeros is None:
        return images, WT, (_read_only(np.zeros(1, np.int64)), _read_only(np.zeros(0, np.uint16)))
    if not isinstance(nonzeros, Nonzeros) or nonzeros.shape != images.shape:
        raise ValueError("nonzeros must be kernel.nonzeros(images, width) of these images")
    WT[:, :W.shape[1]] = W                          # row k: what input k adds to each z
    return images, WT, (nonzeros.indptr, nonzeros.idx)


@dataclass(frozen=True, eq=False)
class Nonzeros:
    """Where images of ``shape`` are not 0: row ``i``'s nonzero inputs are
    ``idx[indptr[i]:indptr[i + 1]]`` (read-only arrays, made by :func:`nonzeros`
    only: the kernels read the images at these places without bounds checks)."""
    indptr: np.ndarray
    idx: np.ndarray
    shape: tuple


def nonzeros(images, width):
    """The :class:`Nonzeros` of ``images`` (n, n_in) for a first layer of ``width``
    neurons, or None if the sparse layer would not pay: their share times ``width``
    padded to whole vectors over ``width`` above ``SPARSE_DENSITY``. Computed once per
    data set and kept by :meth:`deltanet.data.Data.kept`."""
    images = _rows(images)
    if images.ndim != 2 or not 0 < images.shape[1] <= 2 ** 16:
        raise ValueError(f"images must have shape (n, n_in), n_in <= 65536; got {images.shape}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be the first layer's number of neurons; got {width!r}")
    count = np.count_nonzero(images)
    if count * _padded(width) > SPARSE_DENSITY * images.size * width:
        return None
    _compile()
    found = np.empty(len(images) + 1, np.int64), np.empty(count, np.uint16)
    _nonzeros(images, *found)
    return Nonzeros(*(_read_only(a) for a in found), images.shape)


def _padded(width):
    return -(-width // LANES) * LANES


def _rows(images):
    """``images`` as a C-ordered array of a dtype numba computes with (bools are read
    as uint8; float16 and the like become float64, which converts each of them exactly)."""
    images = np.asarray(images)
    if images.dtype == np.bool_:
        images = images.view(np.uint8)                  # the same 0 and 1, no copy
    elif images.dtype.kind not in "iu" and images.dtype not in (np.float32, np.float64):
        images = images.astype(np.float64)
    return _read_only(np.ascontiguousarray(images))


def _labels(labels):
    return _read_only(np.ascontiguousarray(labels, dtype=np.int64))


def _read_only(array):
    """A read-only view of ``array``. numba compiles read-only and writeable
    arrays separately, and the bundled MNIST arrays are read-only: the same
    type for every caller means one compilation and one cache entry."""
    view = array.view()
    view.flags.writeable = False
    return view


# ----------------------------------------------------------- the kernels --

def _compile():
    """Replace the kernels below by their numba versions (once per process; a second
    thread waits for the first instead of wrapping the compiled functions again)."""
    global _COMPILED
    if _COMPILED:
        return
    with _COMPILE_LOCK:
        if not _COMPILED:
            _jit_kernels()
            _COMPILED = True


def _jit_kernels():
    import numba
    # Compiling imports numba's NumPy registry, which imports scipy.linalg (0.2-0.3 s,
    # 12 MB) only to know whether np.dot and the like can call BLAS. The kernels use no
    # BLAS: that import is made to fail once (numba then compiles np.correlate and
    # np.convolve with plain loops in this process; np.dot still finds scipy).
    blocked = "scipy.linalg" not in sys.modules
    if blocked:
        sys.modules["scipy.linalg"] = None
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        if blocked:
            del sys.modules["scipy.linalg"]
    options = dict(nogil=True, error_model="numpy", fastmath={"reassoc", "contract", "nsz"})
    module = globals()
    module["_sparse_sums"] = numba.extending.intrinsic(_sparse_ir(scatter=False))
    module["_sparse_scatter"] = numba.extending.intrinsic(_sparse_ir(scatter=True))
    names = ("_forward_layer", "_sigmoid", "_sparse_layer", "_sparse_descend", "_descend",
             "_backprop_delta", "_epoch", "_evaluate", "_nonzeros")
    try:
        compiled = {name: numba.njit(cache=True, **options)(module[name]) for name in names}
    except RuntimeError:    # no writable cache directory at all: compile in every process
        compiled = {name: numba.njit(**options)(module[name]) for name in names}
    module.update(compiled)


def _forward_layer(W, b, a_in, a_out, rows, one):
    """``a_out[i] = sigma(a_in[i] @ w^T + b)`` for the first ``rows`` samples, in
    blocks of 2 neurons x 4 samples sharing their loads (1.5x faster than one
    neuron at a time; an odd last neuron is computed twice)."""
    n_out, n_in = W.shape
    zero = one - one
    tail = rows - rows % 4
    for j in range(0, n_out, 2):
        j1 = min(j + 1, n_out - 1)
        w, v = W[j], W[j1]
        for i in range(0, tail, 4):
            x0, x1, x2, x3 = a_in[i], a_in[i + 1], a_in[i + 2], a_in[i + 3]
            z0 = z1 = z2 = z3 = y0 = y1 = y2 = y3 = zero
            for k in range(n_in):
                z0 += w[k] * x0[k]
                z1 += w[k] * x1[k]
                z2 += w[k] * x2[k]
                z3 += w[k] * x3[k]
                y0 += v[k] * x0[k]
                y1 += v[k] * x1[k]
                y2 += v[k] * x2[k]
                y3 += v[k] * x3[k]
            a_out[i, j], a_out[i + 1, j], a_out[i + 2, j], a_out[i + 3, j] = z0, z1, z2, z3
            a_out[i, j1], a_out[i + 1, j1], a_out[i + 2, j1], a_out[i + 3, j1] = y0, y1, y2, y3
        for i in range(tail, rows):
            x0 = a_in[i]
            z0 = y0 = zero
            for k in range(n_in):
                z0 += w[k] * x0[k]
                y0 += v[k] * x0[k]
            a_out[i, j], a_out[i, j1] = z0, y0
    _sigmoid(b, a_out, rows, one)


def _sigmoid(b, a_out, rows, one):
    """``a_out[i] = sigma(a_out[i] + b)`` for the first ``rows`` samples."""
    for i in range(rows):
        for j in range(len(b)):
            a_out[i, j] = one / (one + np.exp(-(a_out[i, j] + b[j])))


def _sparse_layer(WT, b, indptr, idx, images, scale, samples, a_out, one):
    """The first layer from the nonzero inputs: ``a_out[i] = sigma(x W + b)`` for
    the images ``samples[i]``, ``LANES`` sums at a time."""
    for i in range(len(samples)):
        first, stop = indptr[samples[i]], indptr[samples[i] + 1]
        for col in range(0, WT.shape[1], LANES):
            _sparse_sums(WT, idx, images[samples[i]], scale, first, stop, a_out[i], col)
    _sigmoid(b, a_out, len(samples), one)


def _sparse_descend(WT, b, indptr, idx, images, scale, samples, delta, c, alpha, decay, one):
    """:func:`_descend` for the first layer from the nonzero inputs:
    ``b += alpha sum delta`` and ``w <- decay w + alpha delta^T x``, row ``k`` of
    ``WT`` (input ``k``) changed only where ``x_k`` is not 0 (besides the decay)."""
    zero = one - one
    if decay != one:
        for k in range(WT.shape[0]):
            w = WT[k]
            for j in range(len(b)):
                w[j] *= decay
    for j in range(len(b)):
        s = zero
        for i in range(len(samples)):
            s += delta[i, j]
        b[j] += alpha * s
    for i in range(len(samples)):
        for j in range(len(c)):
            c[j] = alpha * delta[i, j] if j < len(b) else zero
        first, stop = indptr[samples[i]], indptr[samples[i] + 1]
        for col in range(0, WT.shape[1], LANES):
            _sparse_scatter(WT, idx, images[samples[i]], scale, first, stop, c, col)


def _sparse_sums(WT, idx, image, scale, first, stop, out, col):
    """``out[col:col + LANES] = sum of x_k WT[k, col:col + LANES]`` over the inputs
    ``k = idx[first:stop]``, ``x_k = image[k] * scale`` (compiled by :func:`_sparse_ir`)."""
    k = idx[first:stop]
    out[col:col + LANES] = image[k] * scale @ WT[k, col:col + LANES]


def _sparse_scatter(WT, idx, image, scale, first, stop, c, col):
    """``WT[k, col:col + LANES] += x_k c[col:col + LANES]`` for the inputs
    ``k = idx[first:stop]``, ``x_k = image[k] * scale`` (compiled by :func:`_sparse_ir`)."""
    for k in idx[first:stop]:
        WT[k, col:col + LANES] += image[k] * scale * c[col:col + LANES]


def _sparse_ir(scatter):
    """:func:`_sparse_sums` (``scatter=False``) or :func:`_sparse_scatter` as a
    numba intrinsic: one loop over ``p`` whose ``LANES`` numbers (the sums, or
    ``c``) are one LLVM vector in registers, one ``llvm.fma`` per input."""
    from llvmlite import ir
    from numba.core import cgutils, types

    def intrinsic(typingctx, WT, idx, image, scale, first, stop, vec, col):
        def codegen(context, builder, signature, args):
            wt, ix, im, vc = (context.make_array(signature.args[n])(context, builder, args[n])
                              for n in (0, 1, 2, 6))
            first_, stop_, col_ = (context.cast(builder, args[n], signature.args[n],
                                                types.int64) for n in (4, 5, 7))
            x_scale = context.cast(builder, args[3], signature.args[3], WT.dtype)
            i64, size = ir.IntType(64), WT.dtype.bitwidth // 8     # unaligned vectors
            vector = ir.VectorType(context.get_value_type(WT.dtype), LANES)
            fma = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(vector, [vector] * 3),
                f"llvm.fma.v{LANES}f{WT.dtype.bitwidth}")

            def at(array, index):       # the LANES numbers at array.data[index]
                return builder.bitcast(builder.gep(array.data, [index]), vector.as_pointer())

            start = builder.block
            test, body, done = (builder.append_basic_block(f"sparse.{n}")
                                for n in ("test", "body", "done"))
            c = builder.load(at(vc, col_), align=size) if scatter else None
            builder.branch(test)
            builder.position_at_end(test)
            p = builder.phi(i64)
            p.add_incoming(first_, start)
            if not scatter:
                sums = builder.phi(vector)
                sums.add_incoming(ir.Constant(vector, [0.0] * LANES), start)
            builder.cbranch(builder.icmp_signed("<", p, stop_), body, done)
            builder.position_at_end(body)
            k = builder.zext(builder.load(builder.gep(ix.data, [p])), i64)
            x = context.cast(builder, builder.load(builder.gep(im.data, [k])), image.dtype,
                             WT.dtype)
            x = builder.fmul(x, x_scale)                      # as the dense pass scales
            xs = builder.shuffle_vector(
                builder.insert_element(ir.Constant(vector, ir.Undefined), x, i64(0)),
                ir.Constant(vector, ir.Undefined),
                ir.Constant(ir.VectorType(ir.IntType(32), LANES), [0] * LANES))
            row_stride = builder.sdiv(builder.extract_value(wt.strides, 0), i64(size))
            row = at(wt, builder.add(builder.mul(k, row_stride), col_))
            w = builder.load(row, align=size)
            if scatter:
                builder.store(builder.call(fma, [xs, c, w]), row, align=size)
            else:
                sums.add_incoming(builder.call(fma, [xs, w, sums]), body)
            p.add_incoming(builder.add(p, i64(1)), body)
            builder.branch(test)
            builder.position_at_end(done)
            if not scatter:
                builder.store(sums, at(vc, col_), align=size)
            return context.get_dummy_value()

        return types.void(WT, idx, image, scale, first, stop, vec, col), codegen
    return intrinsic


def _backprop_delta(W, delta, a, delta_in, rows, one):
    """BP2: ``delta_in = (delta w) * a (1 - a)`` for the first ``rows`` samples."""
    n_out, n_in = W.shape
    zero = one - one
    for i in range(rows):
        d = delta_in[i]
        for k in range(n_in):
            d[k] = zero
        for j in range(n_out):
            c = delta[i, j]
            w = W[j]
            for k in range(n_in):
                d[k] += c * w[k]
        x = a[i]
        for k in range(n_in):
            d[k] *= x[k] * (one - x[k])


def _descend(W, b, a_in, delta, rows, alpha, decay, one):
    """BP3 + BP4 with the update: ``b += alpha sum delta``, ``w <- decay w + alpha delta^T a_in``
    (four samples added to each load of ``w[k]``)."""
    n_out, n_in = W.shape
    zero = one - one
    for j in range(n_out):
        w = W[j]
        if decay != one:
            for k in range(n_in):
                w[k] *= decay
        s = zero
        for i in range(rows):
            s += delta[i, j]
        b[j] += alpha * s
        for i in range(0, rows - 3, 4):
            x0, x1, x2, x3 = a_in[i], a_in[i + 1], a_in[i + 2], a_in[i + 3]
            c0, c1 = alpha * delta[i, j], alpha * delta[i + 1, j]
            c2, c3 = alpha * delta[i + 2, j], alpha * delta[i + 3, j]
            for k in range(n_in):
                w[k] += c0 * x0[k] + c1 * x1[k] + c2 * x2[k] + c3 * x3[k]
        for i in range(rows - rows % 4, rows):
            c0, x0 = alpha * delta[i, j], a_in[i]
            for k in range(n_in):
                w[k] += c0 * x0[k]


def _epoch(Ws, bs, images, labels, order, m, consts, cost_code, WT, indptr, idx):
    one, scale, alpha_full, alpha_last = consts[0], consts[1], consts[2], consts[3]
    decay = consts[4]
    n_layers = len(Ws)
    width = max(Ws[0].shape[1], WT.shape[1])
    for l in range(n_layers):
        width = max(width, Ws[l].shape[0])
    n, n_in = len(order), Ws[0].shape[1]
    sparse = len(WT) > 0            # the first layer from the nonzero inputs: WT = w^1 ^T
    A = np.empty((n_layers + 1, min(m, n), width), consts.dtype)  # activations a^0 .. a^L
    D = np.empty((3, max(min(m, n), 1), width), consts.dtype)     # delta^l, delta^{l-1}
    c = D[2, 0, :WT.shape[1]]                          # alpha delta of one sample (sparse)
    for start in range(0, n, m):
        rows = min(m, n - start)
        samples = order[start:start + rows]
        alpha = alpha_full if rows == m else alpha_last
        if sparse:
            _sparse_layer(WT, bs[0], indptr, idx, images, scale, samples, A[1], one)
        else:
            for i in range(rows):                            # X = images[rows] * scale
                image, x = images[samples[i]], A[0, i]
                for k in range(n_in):
                    x[k] = image[k] * scale
        for l in range(1 if sparse else 0, n_layers):
            _forward_layer(Ws[l], bs[l], A[l], A[l + 1], rows, one)
        out = A[n_layers]
        delta = D[0]
        for i in range(rows):                                # BP1
            label = labels[samples[i]]
            for j in range(Ws[n_layers - 1].shape[0]):
                a = out[i, j]
                d = a - one if j == label else a
                delta[i, j] = d if cost_code == 1 else d * (a * (one - a))
        for l in range(n_layers - 1, -1, -1):
            delta_in = D[(n_layers - l) % 2]
            if l > 0:                                        # BP2 with w^l before its update
                _backprop_delta(Ws[l], delta, A[l], delta_in, rows, one)
            if l == 0 and sparse:
                _sparse_descend(WT, bs[0], indptr, idx, images, scale, samples, delta, c,
                                alpha, decay, one)
            else:
                _descend(Ws[l], bs[l], A[l], delta, rows, alpha, decay, one)
            delta = delta_in


def _nonzeros(images, indptr, idx):
    p = 0
    for i in range(len(images)):
        indptr[i] = p
        image = images[i]
        for k in range(len(image)):
            if image[k] != 0:
                idx[p] = k
                p += 1
    indptr[len(images)] = p


def _evaluate(Ws, bs, images, labels, consts, cost_code, WT, indptr, idx, everyone, block=64):
    one, scale, tiny, top = consts[0], consts[1], consts[2], consts[3]
    n_layers = len(Ws)
    width = max(Ws[0].shape[1], WT.shape[1])
    for l in range(n_layers):
        width = max(width, Ws[l].shape[0])
    A = np.empty((n_layers + 1, block, width), consts.dtype)
    n, n_in = len(labels), Ws[0].shape[1]
    n_out = Ws[n_layers - 1].shape[0]
    sparse = len(WT) > 0            # the first layer from the nonzero inputs (indptr, ...)
    cost, correct = 0.0, 0
    for start in range(0, n, block):
        rows = min(block, n - start)
        if sparse:
            _sparse_layer(WT, bs[0], indptr, idx, images, scale, everyone[start:start + rows],
                          A[1], one)
        else:
            for i in range(rows):
                image, x = images[start + i], A[0, i]
                for k in range(n_in):
                    x[k] = image[k] * scale
        for l in range(1 if sparse else 0, n_layers):
            _forward_layer(Ws[l], bs[l], A[l], A[l + 1], rows, one)
        for i in range(rows):
            a, label = A[n_layers, i], labels[start + i]
            best = 0
            for j in range(n_out):      # NumPy's argmax: the first NaN, else the first maximum
                if a[j] > a[best] or (a[j] != a[j] and a[best] == a[best]):
                    best = j
                if cost_code == 0:
                    d = a[j] - one if j == label else a[j]
                    cost += 0.5 * (d * d)
                elif cost_code == 1:
                    p = min(max(a[j], tiny), top)
                    cost -= np.log(p) if j == label else np.log(one - p)
            correct += best == label
    return cost, correct
