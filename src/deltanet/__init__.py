"""deltanet: fast, exact sigmoid networks for the network2 exercise sheet.

>>> from deltanet import Network, CrossEntropyCost
>>> from deltanet.datasets import load_mnist
>>> train, validation, test = load_mnist()
>>> net = Network([784, 30, 10], cost=CrossEntropyCost, seed=1)
>>> history = net.SGD(train[:1000], epochs=1, mini_batch_size=10, eta=0.5,
...                   evaluation_data=test[:500], monitor_evaluation_accuracy=True)
"""

from deltanet.activations import sigmoid, sigmoid_prime
from deltanet.costs import COSTS, CrossEntropyCost, QuadraticCost, get_cost, register_cost
from deltanet.loop import History, TrainingDiverged, TrainingInterrupted, fit
from deltanet.network import INITIALIZERS, Network, backward, forward, sgd_step
from deltanet.train import sgd
from deltanet.version import __version__

__all__ = [
    "__version__", "sigmoid", "sigmoid_prime", "COSTS", "CrossEntropyCost",
    "QuadraticCost", "get_cost", "register_cost", "INITIALIZERS", "Network", "forward",
    "backward", "sgd_step", "History", "TrainingDiverged", "TrainingInterrupted", "fit",
    "sgd",
]
