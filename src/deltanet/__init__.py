"""deltanet: fast, exact sigmoid networks for the network2 exercise sheet.

>>> from deltanet import Network, CrossEntropyCost
>>> from deltanet.datasets import load_mnist
>>> train, validation, test = load_mnist()
>>> net = Network([784, 30, 10], cost=CrossEntropyCost, seed=1)
>>> history = net.SGD(train[:1000], epochs=1, mini_batch_size=10, eta=0.5,
...                   evaluation_data=test[:500], monitor_evaluation_accuracy=True)
"""

__version__ = "0.1.0"

from deltanet.activations import sigmoid, sigmoid_prime
from deltanet.costs import COSTS, CrossEntropyCost, QuadraticCost, get_cost
from deltanet.network import INITIALIZERS, Network, backward, forward
from deltanet.train import History, TrainingDiverged, TrainingInterrupted, sgd

__all__ = [
    "__version__", "sigmoid", "sigmoid_prime", "COSTS", "CrossEntropyCost",
    "QuadraticCost", "get_cost", "INITIALIZERS", "Network", "forward", "backward",
    "History", "TrainingDiverged", "TrainingInterrupted", "sgd",
]
