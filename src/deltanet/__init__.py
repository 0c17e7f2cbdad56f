"""deltanet: fast, exact sigmoid networks for the network2 exercise sheet.

>>> from deltanet import Network, CrossEntropyCost
>>> from deltanet.datasets import load_mnist
>>> train, validation, test = load_mnist()
>>> net = Network([784, 30, 10], cost=CrossEntropyCost, seed=1)
>>> history = net.SGD(train[:1000], epochs=1, mini_batch_size=10, eta=0.5,
...                   evaluation_data=test[:500], monitor_evaluation_accuracy=True)
"""

import importlib

from deltanet.version import __version__

#: Public names and the module each lives in; imported on first use, so that
#: ``import deltanet`` (and ``deltanet --help``) does not load NumPy.
_EXPORTS = {
    "sigmoid": "activations", "sigmoid_prime": "activations", "COSTS": "costs",
    "CrossEntropyCost": "costs", "QuadraticCost": "costs", "get_cost": "costs",
    "register_cost": "costs", "History": "loop", "TrainingDiverged": "loop",
    "TrainingInterrupted": "loop", "fit": "loop", "INITIALIZERS": "network",
    "Network": "network", "backward": "network", "forward": "network", "sgd_step": "network",
    "ParameterError": "network",
    "sgd": "train",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"deltanet.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'deltanet' has no attribute {name!r}")


class Names:
    """The keys of a registry, read when first needed (argparse ``choices``,
    validation): ``Names("costs", "COSTS")`` imports no NumPy until used."""

    def __init__(self, module, registry):
        self.module, self.registry = module, registry

    def __iter__(self):         # ``in`` falls back to it
        return iter(getattr(importlib.import_module(f"deltanet.{self.module}"), self.registry))


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
