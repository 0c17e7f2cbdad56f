"""Training: mini-batch SGD for :class:`deltanet.network.Network`.

The pieces live where they belong and meet here: the fused step
:func:`deltanet.network.sgd_step`, the one epoch loop
:func:`deltanet.loop.fit` with :class:`History`, and the data adapter
:func:`deltanet.data.as_data`. :func:`sgd` is ``net.SGD`` as a function.
"""

from deltanet.data import Data, as_data
from deltanet.loop import History, TrainingDiverged, TrainingInterrupted, fit, per_batch
from deltanet.network import sgd_step

__all__ = ["sgd", "sgd_step", "fit", "per_batch", "History", "TrainingDiverged",
           "TrainingInterrupted", "as_labelled_data", "LabelledData"]

LabelledData = Data             # the names of deltanet 0.1


def as_labelled_data(data, net, name="training_data"):
    """:func:`deltanet.data.as_data` for ``net``'s sizes (the name of deltanet 0.1)."""
    return as_data(data, net.sizes, name)


def sgd(net, *args, **kwargs):
    """Train ``net`` in place by mini-batch SGD: ``net.SGD(*args, **kwargs)``.

    See :meth:`deltanet.network.BaseNetwork.SGD`; returns a :class:`History`.
    """
    return net.SGD(*args, **kwargs)
