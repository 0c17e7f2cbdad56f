"""Mini-batch stochastic gradient descent with L2 regularization and monitoring.

Update rule for a mini-batch of ``m`` samples out of ``n`` training samples::

    W <- (1 - eta * lmbda / n) W - (eta / m) sum_x nabla_W C_x
    b <- b - (eta / m) sum_x nabla_b C_x

Every epoch shuffles the training set, walks it in consecutive mini-batches
(the last one may be shorter), then evaluates the monitored quantities with one
batched forward pass per data set.
"""

import functools
import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from scipy.linalg import blas
from tqdm.auto import tqdm

from deltanet.activations import sigmoid_prime_from_output
from deltanet.network import check_int, check_number, forward

__all__ = ["sgd", "sgd_step", "History", "TrainingDiverged", "TrainingInterrupted",
           "as_labelled_data"]


# ----------------------------------------------------------------- results --

@dataclass
class History:
    """Per-epoch record of a training run.

    Unpacks like network2's return value::

        evaluation_cost, evaluation_accuracy, training_cost, training_accuracy = history

    Accuracies are counts of correctly classified samples; divide by
    ``n_evaluation`` / ``n_training`` for fractions. Series whose monitor is
    off stay empty.
    """

    evaluation_cost: list = field(default_factory=list)
    evaluation_accuracy: list = field(default_factory=list)
    training_cost: list = field(default_factory=list)
    training_accuracy: list = field(default_factory=list)
    gradient_norms: list = field(default_factory=list)   # per epoch: ||nabla_b^l|| per layer
    initial_gradient_norms: list = field(default_factory=list)
    epoch_seconds: list = field(default_factory=list)
    n_training: int = 0
    n_evaluation: int = 0
    config: dict = field(default_factory=dict)
    epochs_completed: int = 0
    stopped: str = ""          # "", "interrupted" or "diverged"

    def __iter__(self):
        return iter((self.evaluation_cost, self.evaluation_accuracy,
                     self.training_cost, self.training_accuracy))

    def __getitem__(self, index):
        return tuple(self)[index]

    def __len__(self):
        return 4

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


class TrainingDiverged(FloatingPointError):
    """Weights or cost became non-finite; ``.history`` holds the good epochs."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during training; ``.history`` holds the completed epochs."""

    def __init__(self, history):
        super().__init__(f"interrupted after {history.epochs_completed} completed epochs")
        self.history = history


# -------------------------------------------------------------------- data --

class LabelledData:
    """Inputs and integer labels, validated once, converted to floats lazily.

    ``images`` may be raw ``uint8`` pixels (with ``scale``) or floats; rows
    are converted to the network's dtype one chunk at a time, so no second
    full float copy of a large data set is ever held. A small data set that is
    evaluated every epoch (at most ``DENSE_LIMIT`` numbers, e.g. the 10,000
    test images) is converted once, on its first evaluation, and kept for the
    rest of the run: converting it again each epoch cost a fifth of every
    evaluation in the 400-epoch runs of task 25.
    """

    DENSE_LIMIT = 2 ** 23       # numbers: 32 MiB in float32, 64 MiB in float64

    def __init__(self, images, labels, scale, n_classes):
        self.images, self.labels, self.scale = images, labels, scale
        self.n_classes = n_classes
        self._dense = None      # (dtype, all rows converted), for small sets
        self._scratch = None    # conversion buffer reused across chunks and epochs

    def __len__(self):
        return len(self.labels)

    def rows(self, index, dtype, out=None):
        """Rows ``index`` as floats of ``dtype``, written into ``out`` if given.

        Converting into a reused buffer (see :meth:`scratch`) instead of a
        fresh array avoids the page faults of a new 6 MB array per chunk
        (converting 25 chunks of 2,048 MNIST rows: 74 ms -> 21 ms in isolation).
        """
        if self._dense is not None and self._dense[0] == dtype:
            return self._dense[1][index]
        images = self.images[index]
        if out is None:
            if self.scale == 1:
                return np.asarray(images, dtype=dtype)
            return np.multiply(images, dtype(self.scale), dtype=dtype)
        out = out[:len(images)]
        if self.scale == 1:
            np.copyto(out, images, casting="same_kind")
        else:
            np.multiply(images, dtype(self.scale), out=out)
        return out

    def scratch(self, n_rows, dtype):
        """A reusable ``(n_rows, n_features)`` buffer for :meth:`rows`."""
        buffer = self._scratch
        if buffer is None or buffer.dtype != dtype or len(buffer) < n_rows:
            buffer = self._scratch = np.empty((n_rows, self.images.shape[1]), dtype)
        return buffer[:n_rows]

    def targets(self, index, dtype):
        return np.eye(self.n_classes, dtype=dtype)[self.labels[index]]

    def _dense_rows(self, dtype):
        if self.images.size > self.DENSE_LIMIT:
            return None
        if self._dense is None or self._dense[0] != np.dtype(dtype):
            self._dense = None
            self._dense = (np.dtype(dtype), self.rows(slice(None), dtype))
        return self._dense[1]

    def evaluate(self, net, chunk_size=2048, with_cost=True):
        """Summed cost and correct count in one forward pass per chunk."""
        from deltanet.network import feedforward
        total_cost, correct = 0.0, 0
        buffer = None
        if self._dense_rows(net.dtype) is None:
            buffer = self.scratch(min(chunk_size, len(self)), net.dtype)
        for start in range(0, len(self), chunk_size):
            index = slice(start, start + chunk_size)
            a = feedforward(net.weights, net.biases, self.rows(index, net.dtype, buffer))
            if with_cost:
                total_cost += float(net.cost.fn(a, self.targets(index, net.dtype)))
            correct += int(np.count_nonzero(a.argmax(axis=1) == self.labels[index]))
        return total_cost, correct


def _as_label_array(y, n, n_classes, name):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1 and n_classes != 1:
        y = y[:, 0]
    if y.ndim == 1:
        if y.dtype.kind == "f" and np.all(np.mod(y, 1) == 0):
            y = y.astype(np.int64)
        if y.dtype.kind not in "iu":
            raise TypeError(f"{name}: labels must be integers 0..{n_classes - 1} "
                            f"or one-hot rows; got dtype {y.dtype}")
        bad = (y < 0) | (y >= n_classes)
        if bad.any():
            raise ValueError(f"{name}: labels must lie in 0..{n_classes - 1} (the "
                             f"output layer has {n_classes} neurons); got "
                             f"{y[bad][0]!r} at position {int(np.argmax(bad))}")
        return y.astype(np.int64, copy=False)
    if y.ndim == 2:
        if y.shape[1] != n_classes:
            raise ValueError(f"{name}: one-hot labels must have {n_classes} columns "
                             f"(the output layer); got shape {y.shape}")
        is_one_hot = np.all((y == 0) | (y == 1), axis=1) & (y.sum(axis=1) == 1)
        if not is_one_hot.all():
            raise ValueError(f"{name}: label row {int(np.argmin(is_one_hot))} is not "
                             "one-hot (exactly one 1, zeros elsewhere)")
        return y.argmax(axis=1).astype(np.int64)
    raise ValueError(f"{name}: labels must have shape (n,) or (n, {n_classes}); "
                     f"got {y.shape}")


def as_labelled_data(data, net, name="training_data"):
    """Validate ``data`` for ``net`` and wrap it; accepted forms:

    * a :class:`deltanet.datasets.Dataset` (raw pixels with a scale),
    * a pair ``(X, y)`` with ``X`` of shape (n, n_in) and ``y`` integer
      labels (n,) or one-hot (n, n_out),
    * network2's list of pairs ``(x, y)`` with ``x`` of shape (n_in, 1) and
      ``y`` an integer or a one-hot column.
    """
    if isinstance(data, LabelledData):
        return data
    n_in, n_classes = net.sizes[0], net.sizes[-1]
    if hasattr(data, "images") and hasattr(data, "labels"):
        images, labels, scale = data.images, data.labels, getattr(data, "scale", 1.0)
    elif (isinstance(data, tuple) and len(data) == 2
          and isinstance(data[0], np.ndarray) and data[0].ndim == 2):
        images, labels, scale = data[0], data[1], 1.0
    elif isinstance(data, (list, tuple)):
        if len(data) == 0:
            raise ValueError(f"{name} is empty; give at least one sample")
        try:
            xs, ys = zip(*data)
            images = np.stack([np.asarray(x).reshape(-1) for x in xs])
            labels = np.stack([np.asarray(y).reshape(-1) for y in ys])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}: expected a list of (x, y) pairs with x of shape "
                             f"({n_in}, 1) each; could not stack them ({exc})") from None
        scale = 1.0
    else:
        raise TypeError(f"{name} must be a Dataset, a pair (X, y) of arrays or a list "
                        f"of (x, y) pairs; got {type(data).__name__}")
    images = np.asarray(images)
    if images.ndim != 2 or images.shape[0] == 0:
        raise ValueError(f"{name}: inputs must be a non-empty 2-d array (n, {n_in}); "
                         f"got shape {images.shape}")
    if images.shape[1] != n_in:
        raise ValueError(f"{name}: inputs have {images.shape[1]} features but the "
                         f"input layer has {n_in} neurons (sizes[0])")
    if images.dtype.kind not in "iuf":
        raise TypeError(f"{name}: inputs must be numeric; got dtype {images.dtype}")
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise ValueError(f"{name}: inputs contain NaN or infinite values; clean or "
                         "drop those samples first")
    labels = _as_label_array(labels, len(images), n_classes, name)
    if len(labels) != len(images):
        raise ValueError(f"{name}: {len(images)} inputs but {len(labels)} labels")
    return LabelledData(images, labels, scale, n_classes)


# --------------------------------------------------------------- the step --

def sgd_step(weights, biases, cost, X, Y, eta, decay=1.0):
    """One gradient-descent step on the mini-batch ``(X, Y)``, in place.

    The same equations as :func:`deltanet.network.backward` followed by the
    update, walked layer by layer from the output so that no gradient array is
    kept: BP3 and BP4 go straight into ``b`` and ``W``, each together with its
    update in one BLAS call (:func:`_descend_bias`, :func:`_descend`), which
    also applies the factor ``-eta / m``. ``tests/test_core.py`` checks it
    against ``backward`` and against the per-example algorithm.
    """
    zs, activations = forward(weights, biases, X)
    delta = cost.delta(zs[-1], activations[-1], Y)           # BP1   (m, n_L)
    alpha = -eta / len(X)
    for l in range(len(weights) - 1, -1, -1):
        W, delta_l = weights[l], delta                       # (n_in, n_out), (m, n_out)
        if l > 0:                                            # BP2, with W before its update
            delta = delta_l @ W.T                            # (m, n_in)
            delta *= sigmoid_prime_from_output(activations[l])
        _descend_bias(biases[l], delta_l, alpha)             # BP3:  b <- b - (eta/m) sum delta
        _descend(W, activations[l], delta_l, alpha, decay)   # BP4:  W <- decay W - (eta/m) A^T delta


_GEMM = {np.dtype(np.float32): blas.sgemm, np.dtype(np.float64): blas.dgemm}
_GEMV = {np.dtype(np.float32): blas.sgemv, np.dtype(np.float64): blas.dgemv}


def _blas_for(routines, out, a, b):
    """The BLAS routine (from ``routines``, by dtype) that may write into ``out``.

    BLAS writes in place only into a writeable array of its own dtype (the
    wrappers silently work on a copy otherwise), so anything else, including
    complex and read-only arrays, gets None: the NumPy route, which computes
    the same.
    """
    if out.flags.writeable and a.dtype == b.dtype == out.dtype:
        return routines.get(out.dtype)
    return None


def _descend(W, A, delta, alpha, decay):
    """``W <- decay * W + alpha * A^T delta`` in place (BP4 and the update together).

    For float32/float64 weights this is a single BLAS ``gemm`` that writes into
    ``W`` (``C <- alpha op(A) op(B) + beta C``), without the temporary
    ``(n_in, n_out)`` gradient and the two extra passes over ``W`` of
    ``W *= decay; W += alpha * A.T @ delta``: a quarter of the step time for
    ``[784, 30, 10]``. ``W`` in Fortran order (the core's layout) is BLAS's
    own matrix, one in C order is written through its transpose; any other
    layout, dtype or a read-only ``W`` takes the plain NumPy route.
    """
    gemm = _blas_for(_GEMM, W, A, delta)
    if gemm is not None and W.flags.f_contiguous:
        gemm(alpha, A.T, delta.T, decay, W, trans_b=True, overwrite_c=True)
    elif gemm is not None and W.flags.c_contiguous:
        gemm(alpha, delta.T, A.T, decay, W.T, trans_b=True, overwrite_c=True)
    else:
        if decay != 1.0:
            W *= decay                                       # L2 weight decay
        W += alpha * (A.T @ delta)


@functools.lru_cache(maxsize=16)
def _ones(m, dtype):
    """A read-only vector of ``m`` ones (the row sum of BP3 as a product)."""
    ones = np.ones(m, dtype)
    ones.flags.writeable = False
    return ones


def _descend_bias(b, delta, alpha):
    """``b <- b + alpha * sum_rows(delta)`` in place (BP3 and the update together).

    One BLAS ``gemv`` with a vector of ones for float32/float64 (a third of
    the time of ``delta.sum(axis=0)`` and two more small array operations);
    NumPy for the rest.
    """
    gemv = _blas_for(_GEMV, b, delta, delta)
    if gemv is not None and b.flags.c_contiguous:
        gemv(alpha, delta.T, _ones(len(delta), b.dtype), 1.0, b, overwrite_y=True)
    else:
        b += alpha * delta.sum(axis=0)


# --------------------------------------------------------------- the loop --

def sgd(net, training_data, epochs, mini_batch_size, eta, lmbda=0.0,
        evaluation_data=None, monitor_evaluation_cost=False,
        monitor_evaluation_accuracy=False, monitor_training_cost=False,
        monitor_training_accuracy=False, *, monitor_gradient_norms=False,
        gradient_samples=1000, seed=None, progress=False, verbose=False,
        callbacks=(), desc="training"):
    """Train ``net`` in place by mini-batch SGD; return a :class:`History`.

    Parameters follow network2 (``eta`` learning rate, ``lmbda`` L2
    parameter, the four ``monitor_*`` flags). Costs include the L2 term with
    ``n`` = training-set size for every data set. Extra options:

    monitor_gradient_norms : record ||nabla_b^l|| per layer (mean gradient over
        the first ``gradient_samples`` training samples) at the start and
        after every epoch.
    seed : seed or Generator for the shuffling (default: the network's).
    progress : show a tqdm bar over the epochs.
    verbose : print one metric line per epoch.
    callbacks : callables ``f(epoch, history, net)`` run after each epoch.

    Raises
    ------
    TrainingDiverged : weights or a monitored cost became non-finite; the
        network is reset to the last good epoch and ``.history`` kept.
    TrainingInterrupted : Ctrl-C; ``.history`` holds the completed epochs.
    """
    epochs = check_int("epochs", epochs, 0)
    m = check_int("mini_batch_size", mini_batch_size, 1)
    eta = check_number("eta", eta, positive=True)
    lmbda = check_number("lmbda", lmbda, positive=False)
    train = as_labelled_data(training_data, net, "training_data")
    evaluation = None
    if evaluation_data is not None:
        evaluation = as_labelled_data(evaluation_data, net, "evaluation_data")
    elif monitor_evaluation_cost or monitor_evaluation_accuracy:
        raise ValueError("monitor_evaluation_cost/accuracy need evaluation_data")
    _check_trainable(net)
    rng = net.rng if seed is None else np.random.default_rng(seed)

    n = len(train)
    dtype = net.dtype
    history = History(n_training=n, n_evaluation=len(evaluation) if evaluation else 0,
                      config=dict(sizes=list(net.sizes), cost=net.cost.name,
                                  epochs=epochs, mini_batch_size=m, eta=eta, lmbda=lmbda,
                                  dtype=np.dtype(dtype).name))
    decay = 1.0 - eta * lmbda / n
    # Rows converted to floats per chunk: a whole number of mini-batches.
    chunk = max(1, 2048 // m) * m

    def gradient_norms():
        rows = slice(0, min(gradient_samples, n))
        _, nabla_b = net.gradient(train.rows(rows, dtype), train.targets(rows, dtype))
        return [float(np.linalg.norm(nb)) for nb in nabla_b]

    if monitor_gradient_norms:
        history.initial_gradient_norms = gradient_norms()

    good_params = net.get_params()
    bar = tqdm(range(epochs), desc=desc, unit="epoch", disable=not progress,
               leave=False, dynamic_ncols=True)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in bar:
                start_time = time.perf_counter()
                order = rng.permutation(n)
                weights, biases, cost = net.weights, net.biases, net.cost
                for start in range(0, n, chunk):
                    index = order[start:start + chunk]
                    X = train.rows(index, dtype, out=train.scratch(chunk, dtype))
                    Y = train.targets(index, dtype)
                    for s in range(0, len(index), m):
                        sgd_step(weights, biases, cost, X[s:s + m], Y[s:s + m], eta, decay)
                _monitor(net, history, train, evaluation, lmbda, n,
                         monitor_training_cost, monitor_training_accuracy,
                         monitor_evaluation_cost, monitor_evaluation_accuracy)
                if monitor_gradient_norms:
                    history.gradient_norms.append(gradient_norms())
                history.epoch_seconds.append(time.perf_counter() - start_time)
                if not _finite(net, history):
                    _drop_epoch(history)
                    net.weights, net.biases = good_params
                    history.stopped = "diverged"
                    raise TrainingDiverged(
                        f"training diverged in epoch {epoch + 1}: weights or cost became "
                        f"non-finite; try a smaller eta (got {eta}). The network was reset "
                        f"to epoch {epoch}; .history holds the completed epochs.", history)
                history.epochs_completed += 1
                good_params = net.get_params()
                if verbose:
                    tqdm.write(_epoch_line(epoch, history))
                if progress:
                    bar.set_postfix_str(_epoch_postfix(history), refresh=False)
                for callback in callbacks:
                    callback(epoch, history, net)
    except KeyboardInterrupt:
        history.stopped = "interrupted"
        raise TrainingInterrupted(history) from None
    finally:
        bar.close()
    return history


def _check_trainable(net):
    """Parameters assigned by hand must fit ``sizes`` and be writeable: the
    step updates them in place, and a failure half-way through a step would
    leave the network changed."""
    for l, (n_in, n_out) in enumerate(zip(net.sizes[:-1], net.sizes[1:])):
        for name, arrays, shape in (("weights", net.weights, (n_in, n_out)),
                                    ("biases", net.biases, (n_out,))):
            a = arrays[l] if l < len(arrays) else None
            if not isinstance(a, np.ndarray) or a.shape != shape:
                got = getattr(a, "shape", type(a).__name__)
                raise ValueError(f"net.{name}[{l}] must be an array of shape {shape} for "
                                 f"sizes {net.sizes}; got {got}. Use net.set_params(...)")
            if not a.flags.writeable:
                raise ValueError(f"net.{name}[{l}] is read-only, but training updates it "
                                 "in place; assign a writeable copy (np.array(...)) first")
    if len(net.weights) != len(net.sizes) - 1 or len(net.biases) != len(net.sizes) - 1:
        raise ValueError(f"net.weights and net.biases need {len(net.sizes) - 1} arrays each "
                         f"for sizes {net.sizes}; got {len(net.weights)} and {len(net.biases)}")


def _monitor(net, history, train, evaluation, lmbda, n, train_cost, train_acc,
             eval_cost, eval_acc):
    penalty = net.l2_penalty(lmbda, n) if (train_cost or eval_cost) else 0.0
    if train_cost or train_acc:
        cost, correct = train.evaluate(net, with_cost=train_cost)
        if train_cost:
            history.training_cost.append(cost / len(train) + penalty)
        if train_acc:
            history.training_accuracy.append(correct)
    if evaluation is not None and (eval_cost or eval_acc):
        cost, correct = evaluation.evaluate(net, with_cost=eval_cost)
        if eval_cost:
            history.evaluation_cost.append(cost / len(evaluation) + penalty)
        if eval_acc:
            history.evaluation_accuracy.append(correct)


def _finite(net, history):
    costs = history.training_cost[-1:] + history.evaluation_cost[-1:]
    return (all(math.isfinite(c) for c in costs)
            and all(np.isfinite(W).all() and np.isfinite(b).all()
                    for W, b in zip(net.weights, net.biases)))


def _drop_epoch(history):
    for series in (history.evaluation_cost, history.evaluation_accuracy,
                   history.training_cost, history.training_accuracy,
                   history.gradient_norms, history.epoch_seconds):
        del series[history.epochs_completed:]


def _epoch_line(epoch, history):
    parts = [f"Epoch {epoch + 1}"]
    if history.training_cost:
        parts.append(f"training cost {history.training_cost[-1]:.4f}")
    if history.training_accuracy:
        k = history.training_accuracy[-1]
        parts.append(f"training accuracy {k} / {history.n_training} "
                     f"({100 * k / history.n_training:.2f}%)")
    if history.evaluation_cost:
        parts.append(f"evaluation cost {history.evaluation_cost[-1]:.4f}")
    if history.evaluation_accuracy:
        k = history.evaluation_accuracy[-1]
        parts.append(f"evaluation accuracy {k} / {history.n_evaluation} "
                     f"({100 * k / history.n_evaluation:.2f}%)")
    parts.append(f"{history.epoch_seconds[-1]:.2f} s")
    return ", ".join(parts)


def _epoch_postfix(history):
    parts = []
    if history.training_cost:
        parts.append(f"cost={history.training_cost[-1]:.4f}")
    if history.evaluation_accuracy:
        parts.append(f"eval={100 * history.evaluation_accuracy[-1] / history.n_evaluation:.2f}%")
    elif history.training_accuracy:
        parts.append(f"train={100 * history.training_accuracy[-1] / history.n_training:.2f}%")
    return " ".join(parts)
