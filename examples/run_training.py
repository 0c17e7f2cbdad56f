"""run_training.py -- the course's training script, running on deltanet.

Exercise sheet, task 25 (c): [784, 30, 10] network with the cross-entropy cost
and large initial weights, trained for 400 epochs on the first 1,000 training
images with L2 regularization (lmbda = 0.1), monitored on the 10,000 test
images. Only the import line differs from the course's script; the printed
numbers are network2's. Takes about half a minute (network2: about 6 minutes).

    python examples/run_training.py
"""

import random

import numpy as np

from deltanet.compat import mnist_loader, network2   # course: import mnist_loader, network2

if __name__ == "__main__":
    random.seed(12345678)
    np.random.seed(12345678)

    training_data, validation_data, test_data = mnist_loader.load_data_wrapper()

    net = network2.Network([784, 30, 10], cost=network2.CrossEntropyCost())
    net.large_weight_initializer()
    test_cost, test_accuracy, training_cost, training_accuracy = net.SGD(
        training_data[:1000], 400, 10, 0.5,
        evaluation_data=test_data, lmbda=0.1,
        monitor_evaluation_cost=True,
        monitor_evaluation_accuracy=True,
        monitor_training_cost=True,
        monitor_training_accuracy=True)
