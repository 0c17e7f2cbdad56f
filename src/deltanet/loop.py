"""The one epoch loop that every training in deltanet runs through.

:func:`fit` owns epochs, monitoring, progress bar, callbacks and two stop
rules: **Ctrl-C or any error** mid-epoch puts back the parameters of the last
completed epoch (a network always matches its :class:`History`), and
**divergence** (non-finite weights or cost) does the same and raises
:class:`TrainingDiverged`. The update is a parameter, as in optax: an *epoch
step* ``f(order)`` trains on the rows ``order``; :func:`per_batch` makes one
from a mini-batch step ``step(X, Y)``; the compiled kernel is one itself.
"""

import copyreg
import inspect
import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = ["fit", "per_batch", "History", "TrainingDiverged", "TrainingInterrupted",
           "check_callbacks", "divergence_hint"]


@dataclass
class History:
    """Per-epoch record of a training run; unpacks like network2's result,
    ``evaluation_cost, evaluation_accuracy, training_cost, training_accuracy``.
    Accuracies are counts (divide by ``n_evaluation`` / ``n_training``); series
    whose monitor is off stay empty.
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
    stopped: str = ""          # "", "interrupted", "diverged" or "pole"

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

    def plot(self, **kwargs):
        """The curves as a matplotlib Figure (:func:`deltanet.plots.history.plot_history`)."""
        from deltanet.plots.history import plot_history
        return plot_history(self, **kwargs)

    def _repr_html_(self):
        from deltanet.notebook import history_html
        return history_html(self)

    def drop_unfinished(self):
        """Remove the entries of an epoch that did not complete."""
        for name, value in vars(self).items():
            if isinstance(value, list) and not name.startswith("initial_"):
                del value[self.epochs_completed:]


class PicklableError:
    """Base of errors whose ``__init__`` takes more than the message: pickled with
    their ``args`` and attributes (``history``, ...), not rebuilt by calling
    ``__init__``, so they return intact from worker processes."""

    def __reduce__(self):       # cls.__new__(cls, *args), then the attributes set
        return copyreg.__newobj__, (type(self), *self.args), self.__dict__


class TrainingDiverged(PicklableError, FloatingPointError):
    """Weights or cost became non-finite; ``.history`` holds the good epochs."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


class TrainingInterrupted(PicklableError, KeyboardInterrupt):
    """Ctrl-C during training; ``.history`` holds the completed epochs."""

    def __init__(self, history):
        super().__init__(f"interrupted after {history.epochs_completed} completed epochs")
        self.history = history


def check_callbacks(callbacks):
    """The callbacks as a list, each checked to be callable as ``f(epoch, history, net)``."""
    if callable(callbacks) or not np.iterable(callbacks):
        raise TypeError(f"callbacks must be a list of functions f(epoch, history, net); got "
                        f"{callbacks!r}: for one function f pass callbacks=[f]")
    callbacks = list(callbacks)
    for i, callback in enumerate(callbacks):
        if not callable(callback):
            raise TypeError(f"callbacks[{i}] must be a function f(epoch, history, net); "
                            f"got {callback!r}")
        try:
            inspect.signature(callback).bind(0, None, None)
        except TypeError as exc:
            raise TypeError(f"callbacks[{i}] {callback!r} cannot be called as f(epoch, history, "
                            f"net): {exc}; give it these three parameters") from None
        except ValueError:      # no signature to read (a builtin): trusted
            pass
    return callbacks


def divergence_hint(eta, lmbda, n):
    """What to change after a divergence: lmbda if the weight decay flips sign, else eta."""
    if eta * lmbda / n <= 1:
        return f"try a smaller eta (got {eta})"
    hint = (f"eta * lmbda / n = {eta * lmbda / n:.3g} > 1 makes the weight-decay factor "
            f"1 - eta*lmbda/n negative, so the weights flip sign and grow every step: "
            f"use lmbda < n / eta = {n / eta:.3g} (got lmbda {lmbda})")
    if lmbda <= n:          # lmbda alone would be harmless with eta <= 1
        hint += f", or a smaller eta (got {eta})"
    return hint


def per_batch(step, data, mini_batch_size, dtype):
    """The epoch step that walks ``order`` in mini-batches and calls ``step(X, Y)``."""
    def epoch_step(order):
        for X, Y in data.batches(order, mini_batch_size, dtype):
            step(X, Y)
    return epoch_step


def finite(net, history):
    """True if the last monitored costs and every parameter are finite."""
    costs = history.training_cost[-1:] + history.evaluation_cost[-1:]
    return (all(math.isfinite(c) for c in costs)
            and all(np.isfinite(W).all() and np.isfinite(b).all()
                    for W, b in zip(net.weights, net.biases)))


def fit(net, epochs, epoch_step, order, history, monitor=None, *, callbacks=(),
        progress=False, verbose=False, desc="training", hint="try a smaller eta",
        check_finite=True, stops=None, snapshot=None, quiet=True):
    """Train ``net`` (``weights``, ``biases``, ``get_params()``) for ``epochs``; return ``history``.

    Per epoch: ``epoch_step(order())``, ``monitor(epoch, history)``, the
    finiteness check (``check_finite``; ``hint`` ends its message), then
    ``callbacks`` ``f(epoch, history, net)`` (checked before epoch 1).
    ``stops``: ``{exception type: reason}`` for ``history.stopped`` when such an
    error ends the run (the reset stated); any error gets ``exc.history``. ``snapshot()``
    (default ``net.get_params``) gives what a reset assigns to ``net.weights, net.biases``;
    ``quiet``: NumPy's overflow, invalid and divide warnings off while training.
    """
    callbacks = check_callbacks(callbacks) if callbacks else ()
    snapshot = snapshot or net.get_params
    bar = None
    if progress:
        from deltanet.notebook import progress_bar
        bar = progress_bar(total=epochs, desc=desc, unit="epoch", leave=False, dynamic_ncols=True)
    good_params = snapshot()
    ignore = "ignore" if quiet else None        # None: NumPy's settings unchanged
    try:
        with np.errstate(over=ignore, invalid=ignore, divide=ignore):
            for epoch in range(epochs):
                started = time.perf_counter()
                epoch_step(order())
                if monitor is not None:
                    monitor(epoch, history)
                history.epoch_seconds.append(time.perf_counter() - started)
                if check_finite and not finite(net, history):
                    raise TrainingDiverged(
                        f"training diverged in epoch {epoch + 1}: weights or cost became "
                        f"non-finite; {hint}. The network was reset to epoch {epoch}; "
                        ".history holds the completed epochs.", history)
                params = snapshot()         # first: Ctrl-C during the copy drops this epoch
                history.epochs_completed += 1
                good_params = params
                if verbose:
                    (print if bar is None else bar.write)(epoch_line(epoch, history))
                if bar is not None:     # the postfix first: update() may draw the bar
                    bar.set_postfix_str(epoch_postfix(history), refresh=False)
                    bar.update()
                for callback in callbacks:
                    callback(epoch, history, net)
    except BaseException as exc:
        net.weights, net.biases = good_params
        history.drop_unfinished()
        if isinstance(exc, KeyboardInterrupt):
            history.stopped = "interrupted"
            raise TrainingInterrupted(history) from None
        if isinstance(exc, Exception) and getattr(exc, "history", None) is None:
            exc.history = history           # what was measured up to the failure
        if isinstance(exc, TrainingDiverged):
            history.stopped = "diverged"
        for kind, reason in (stops or {}).items():
            if isinstance(exc, kind):
                history.stopped, exc.history = reason, history
                k = history.epochs_completed
                exc.args = (f"{exc.args[0]} Stopped in epoch {k + 1}; the network was reset "
                            f"to the end of epoch {k} and .history holds the completed "
                            "epochs.",) + exc.args[1:]
        raise
    finally:
        if bar is not None:
            bar.close()
    return history


def epoch_line(epoch, history):
    """``Epoch 3, training cost 0.2345, ..., 1.20 s``: the verbose line."""
    parts = [f"Epoch {epoch + 1}"]
    for what, costs, counts, n in (
            ("training", history.training_cost, history.training_accuracy, history.n_training),
            ("evaluation", history.evaluation_cost, history.evaluation_accuracy,
             history.n_evaluation)):
        if costs:
            parts.append(f"{what} cost {costs[-1]:.4f}")
        if counts:
            parts.append(f"{what} accuracy {counts[-1]} / {n} ({100 * counts[-1] / n:.2f}%)")
    parts.append(f"{history.epoch_seconds[-1]:.2f} s")
    return ", ".join(parts)


def epoch_postfix(history):
    """The progress bar's short metrics."""
    parts = []
    if history.training_cost:
        parts.append(f"cost={history.training_cost[-1]:.4g}")
    if history.evaluation_accuracy:
        parts.append(f"eval={100 * history.evaluation_accuracy[-1] / history.n_evaluation:.2f}%")
    elif history.training_accuracy:
        parts.append(f"train={100 * history.training_accuracy[-1] / history.n_training:.2f}%")
    if getattr(history, "pole_distance", None):
        parts.append(f"pole>={min(history.pole_distance[-1]):.3g}")
    return " ".join(parts)
