"""Training in one import: the fused step :func:`deltanet.network.sgd_step`, the
epoch loop :func:`deltanet.loop.fit`, the data adapter :func:`deltanet.data.as_data`;
:func:`sgd` is ``net.SGD`` as a function."""

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
    """``net.SGD(*args, **kwargs)`` (:meth:`deltanet.network.BaseNetwork.SGD`)."""
    return net.SGD(*args, **kwargs)
