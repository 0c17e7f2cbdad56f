"""Training and evaluation data for every network: one adapter, validated once.

:func:`as_data` turns a :class:`deltanet.datasets.Dataset` (``uint8`` pixels
and a ``scale``), a pair ``(X, Y)`` or network2's list of ``(x, y)`` columns
into a :class:`Data`. Targets are class labels (also given as one-hot rows;
accuracy is defined) or any real or complex values ``(n, n_out)``.
"""

import threading

import numpy as np

__all__ = ["Data", "as_data", "check_array", "check_fits", "check_labels", "CHUNK_ROWS"]

CHUNK_ROWS = 2048       # rows converted at once for the steps and for monitoring
WIDER = {"float32": "float64", "complex64": "complex128"}      # the hint for numbers too large


def check_array(name, value, shape_hint, kinds="iufc"):
    """``value`` as an array of a numeric kind in ``kinds``, finite, else an error."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric array {shape_hint}; got {exc}") from None
    if array.dtype.kind not in kinds:
        what = "real or complex" if "c" in kinds else "real"
        raise TypeError(f"{name} must be a numeric ({what}) array {shape_hint}; "
                        f"got dtype {array.dtype}")
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(f"{name} contains NaN or infinite values (first at index "
                         f"{tuple(int(i) for i in bad)}); clean or drop those samples first")
    return array


def real_dtype(dtype):
    """float64 for complex128 and float64, float32 for complex64 and float32."""
    return np.finfo(dtype).dtype


def check_fits(name, array, dtype, scale=1.0):
    """``ValueError`` if ``array * scale``, computed as the networks convert it (cast to
    ``dtype``'s real type, then scaled), would hold an inf: e.g. 1e39 in a float32
    network. Two passes (the extremes), no copy."""
    target = real_dtype(dtype)
    if array.size == 0 or array.dtype.kind not in "biufc" or (
            array.dtype.kind == "f" and array.dtype.itemsize <= target.itemsize and scale == 1):
        return
    parts = (array.real, array.imag) if array.dtype.kind == "c" else (array,)
    extremes = np.array([f(p) for p in parts for f in (np.max, np.min)], dtype=np.float64)
    with np.errstate(over="ignore"):
        converted = np.multiply(extremes.astype(target), target.type(scale), dtype=target)
    if not np.isfinite(converted).all():
        worst = extremes[np.argmax(np.abs(extremes))] * scale
        wider = WIDER.get(np.dtype(dtype).name)
        raise ValueError(f"{name}: {worst:.3g} is beyond the largest {target.name} "
                         f"({np.finfo(target).max:.3g}) this network computes with; use "
                         f"{f'dtype={wider!r} or ' if wider else ''}scale the values down")


class Data:
    """Inputs ``images * scale`` (n, n_in) with ``labels`` (n,) or targets ``Y`` (n, n_out).

    A small set (at most ``DENSE_LIMIT`` numbers, e.g. the 10,000 test images)
    is converted once and kept for evaluation (a fifth of every evaluation in
    task 25's 400-epoch runs); larger sets are converted per chunk into one
    reused buffer per thread (no page faults of a fresh array per chunk), so
    threads may train and evaluate networks on one ``Data`` at once.
    """

    DENSE_LIMIT = 2 ** 23       # numbers: 32 MiB in float32, 64 MiB in float64

    def __init__(self, images, scale, n_out, labels=None, Y=None):
        self.images, self.scale, self.n_out = images, scale, n_out
        self.labels, self.Y = labels, Y
        self._dense = None      # (dtype, all rows converted), for small sets
        self._scratch = threading.local()   # .buffer: reused across chunks and epochs
        self._kept = {}         # kept(name): results computed once from the images

    def __getstate__(self):     # pickled without the caches
        return {**vars(self), "_dense": None, "_scratch": None, "_kept": {}}

    def __setstate__(self, state):
        vars(self).update(state, _scratch=threading.local())

    def __len__(self):
        return len(self.images)

    def input_dtype(self, dtype):
        """Real inputs stay real in a complex network (``W`` is complex)."""
        return np.dtype(dtype) if self.images.dtype.kind == "c" else real_dtype(dtype)

    def rows(self, index, dtype, out=None):
        """Rows ``index`` as numbers of ``dtype``, written into ``out`` if given."""
        dtype, dense = self.input_dtype(dtype), self._dense     # read once: other threads
        if dense is not None and dense[0] == dtype:
            return dense[1][index]
        images = self.images[index]
        if out is not None:
            out = out[:len(images)]
        if self.scale != 1:         # cast, then scaled (as check_fits assumes), on either path
            return np.multiply(images, dtype.type(self.scale), out=out, dtype=dtype)
        if out is None:
            return np.asarray(images, dtype=dtype)
        np.copyto(out, images, casting="same_kind")
        return out

    def scratch(self, n_rows, dtype):
        """A reusable ``(n_rows, n_in)`` buffer for :meth:`rows`."""
        dtype, buffer = self.input_dtype(dtype), getattr(self._scratch, "buffer", None)
        if buffer is None or buffer.dtype != dtype or len(buffer) < n_rows:
            buffer = self._scratch.buffer = np.empty((n_rows, self.images.shape[1]), dtype)
        return buffer[:n_rows]

    def kept(self, name, compute):
        """``compute(images)``, computed on the first call for ``name`` and kept (the
        images must not change while this ``Data`` is in use)."""
        if name not in self._kept:
            self._kept[name] = compute(self.images)
        return self._kept[name]

    def targets(self, index, dtype):
        if self.Y is None:
            return np.eye(self.n_out, dtype=real_dtype(dtype))[self.labels[index]]
        y = self.Y[index]
        return np.asarray(y, dtype=dtype if y.dtype.kind == "c" else real_dtype(dtype))

    def dense(self, dtype):
        """All rows converted (kept), or None for a set too large to hold twice and
        for complex networks (their products cost far more than the conversion)."""
        if self.images.size > self.DENSE_LIMIT or np.dtype(dtype).kind == "c":
            return None
        dense = self._dense
        if dense is None or dense[0] != self.input_dtype(dtype):
            self._dense = None              # the old copy goes before the new one is made
            dense = self._dense = (self.input_dtype(dtype), self.rows(slice(None), dtype))
        return dense[1]

    def batches(self, order, m, dtype):
        """Mini-batches ``(X, Y)`` of ``m`` rows in the given ``order``.

        Rows are gathered and converted a chunk of whole mini-batches at a
        time; the last mini-batch may be shorter.
        """
        chunk = min(max(1, CHUNK_ROWS // m) * m, len(order))   # m may exceed the data
        for start in range(0, len(order), chunk):
            index = order[start:start + chunk]
            X = self.rows(index, dtype, out=self.scratch(chunk, dtype))
            Y = self.targets(index, dtype)
            for s in range(0, len(index), m):
                yield X[s:s + m], Y[s:s + m]

    def evaluate(self, feed, cost, dtype, chunk_size=CHUNK_ROWS, with_cost=True):
        """``(mean cost, correct count)``: one forward pass ``feed(X)`` per chunk.

        The count is None without labels; a prediction is the argmax of the
        (real part of the) output.
        """
        chunk_size = max(1, int(chunk_size))
        buffer = None
        if self.dense(dtype) is None:
            buffer = self.scratch(min(chunk_size, len(self)), dtype)
        total, correct = 0.0, 0
        for start in range(0, len(self), chunk_size):
            index = slice(start, start + chunk_size)
            a = feed(self.rows(index, dtype, buffer))
            if with_cost:
                total += float(cost.fn(a, self.targets(index, dtype)))
            if self.labels is not None:
                correct += int(np.count_nonzero(a.real.argmax(axis=1) == self.labels[index]))
        return total / len(self), (None if self.labels is None else correct)


def check_labels(y, n_out, name):
    """Class labels ``y`` (n,) as int64, each in ``0..n_out-1`` (whole floats too), else
    the error."""
    if y.dtype.kind == "f" and n_out > 1 and np.all(np.mod(y, 1) == 0):
        y = y.astype(np.int64)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{name}: labels must be integers 0..{n_out - 1} or target rows "
                        f"({n_out} columns); got dtype {y.dtype}")
    bad = (y < 0) | (y >= n_out)
    if bad.any():
        raise ValueError(f"{name}: labels must lie in 0..{n_out - 1} (the output layer has "
                         f"{n_out} neurons); got {y[bad][0].item()!r} at position "
                         f"{int(np.argmax(bad))}")
    return y.astype(np.int64, copy=False)


def _ndim(value):
    """``np.ndim(value)``, None for a ragged sequence (such as a pair ``(x, y)``)."""
    try:
        return np.ndim(value)
    except ValueError:
        return None


def _pairs(data, name, n_in):
    if len(data) == 0:
        raise ValueError(f"{name} is empty; give at least one sample")
    try:
        xs, ys = zip(*data)
        return (np.stack([np.asarray(x).reshape(-1) for x in xs]),
                np.stack([np.asarray(y).reshape(-1) for y in ys]))
    except (TypeError, ValueError) as exc:
        hint = ("; for two arrays X and Y pass the tuple (X, Y), not a list"
                if len(data) == 2 and _ndim(data[0]) == 2 else "")
        raise ValueError(f"{name}: expected a list of (x, y) pairs with x of shape "
                         f"({n_in}, 1) each; could not stack them ({exc}){hint}") from None


def as_data(data, sizes, name="training_data", complex_ok=False):
    """Validate ``data`` for a network with layer widths ``sizes``; return :class:`Data`.

    Accepted: a Dataset; a pair ``(X, Y)`` with ``X`` (n, n_in) and ``Y``
    integer labels (n,), one-hot rows or target values (n, n_out) (for one output
    neuron, ``Y`` of shape (n,) holds targets: argmax has no classes); network2's
    list of ``(x, y)`` pairs. Complex inputs and targets only if ``complex_ok``.
    """
    n_in, n_out = sizes[0], sizes[-1]
    kinds = "biufc" if complex_ok else "biuf"       # the networks' KINDS: bools are 0 and 1
    if isinstance(data, Data):                  # prepared: checked then, for its sizes
        if data.images.shape[1] != n_in or data.n_out != n_out:
            raise ValueError(f"{name} was prepared for {data.images.shape[1]} inputs and "
                             f"{data.n_out} outputs, but the network has {n_in} and {n_out} "
                             "(sizes[0], sizes[-1]); prepare it for this network")
        if not complex_ok and (np.iscomplexobj(data.images) or np.iscomplexobj(data.Y)):
            raise TypeError(f"{name} holds complex numbers; only a ComplexNetwork takes them")
        return data
    scale = 1.0
    if hasattr(data, "images") and hasattr(data, "labels"):
        images, targets, scale = data.images, data.labels, float(getattr(data, "scale", 1.0))
    elif isinstance(data, tuple) and len(data) == 2 and _ndim(data[0]) == 2:
        images, targets = data
    elif isinstance(data, (list, tuple)):
        images, targets = _pairs(data, name, n_in)
    else:
        raise TypeError(f"{name} must be a Dataset, a pair (X, Y) of arrays or a list of "
                        f"(x, y) pairs, with X of shape (n, {n_in}) and Y integer labels "
                        f"(n,) or targets (n, {n_out}); got {type(data).__name__}")
    images = check_array(f"{name} inputs", images, f"(n, {n_in})", kinds)
    if images.ndim != 2 or images.shape[0] == 0:
        raise ValueError(f"{name}: inputs must be a non-empty 2-d array (n, {n_in}); "
                         f"got shape {images.shape}")
    if images.shape[1] != n_in:
        raise ValueError(f"{name}: inputs must have shape (n, {n_in}): they have "
                         f"{images.shape[1]} features but the input layer has {n_in} "
                         f"neurons (sizes[0]); got shape {images.shape}")
    y = check_array(f"{name} targets", targets, f"(n, {n_out})", kinds)
    if y.ndim == 2 and y.shape[1] == 1 and n_out != 1:
        y = y[:, 0]                                      # a column of labels
    labels = Y = None
    if y.ndim == 1 and n_out > 1:
        labels = check_labels(y, n_out, name)
        if len(labels) != len(images):
            raise ValueError(f"{name}: {len(images)} inputs but {len(labels)} labels")
    elif y.ndim <= 2:
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if Y.shape != (len(images), n_out):
            raise ValueError(f"{name}: targets must have shape ({len(images)}, {n_out}), "
                             f"i.e. {n_out} columns for the {n_out} output neurons, one row "
                             f"per input; got {Y.shape}")
        if (Y.dtype.kind != "c" and n_out > 1 and np.all((Y == 0) | (Y == 1))
                and np.all(Y.sum(axis=1) == 1)):
            labels, Y = Y.argmax(axis=1), None           # one-hot rows: class labels
    else:
        raise ValueError(f"{name}: targets must have shape (n,) or (n, {n_out}); "
                         f"got {y.shape}")
    return Data(images, scale, n_out, labels, Y)
