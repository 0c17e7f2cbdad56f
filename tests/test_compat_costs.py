"""Custom cost classes in deltanet.compat.network2, against the per-example reference.

network2 accepts any class with static ``fn(a, y)`` and ``delta(z, a, y)`` and
calls them on one column (n_out, 1) at a time; ``Reference`` (from
``test_compat``) does exactly that. The compat network must give the same
numbers, whether the class works on a batch of columns or only on one.
"""

import json
import random

import numpy as np
import pytest
from test_compat import (Reference, assert_close, assert_params_close, mnist,  # noqa: F401
                         ref_sigmoid_prime)

from deltanet.compat import network2


class HalfQuadratic(network2.QuadraticCost):
    """A subclass of network2's cost: half of the quadratic cost."""

    @staticmethod
    def fn(a, y):
        return 0.25 * np.linalg.norm(a - y) ** 2

    @staticmethod
    def delta(z, a, y):
        return 0.5 * (a - y) * ref_sigmoid_prime(z)


class QuarticCost:
    """Unrelated to network2's classes; written for columns, works on batches too."""

    @staticmethod
    def fn(a, y):
        return 0.25 * np.sum((a - y) ** 4)

    @staticmethod
    def delta(z, a, y):
        return (a - y) ** 3 * ref_sigmoid_prime(z)


class DistanceCost:
    """C = ||a - y||: its delta needs the whole column, so a batch of columns is wrong."""

    @staticmethod
    def fn(a, y):
        return np.linalg.norm(a - y)

    @staticmethod
    def delta(z, a, y):
        return (a - y) / np.linalg.norm(a - y) * ref_sigmoid_prime(z)


class DoubleCrossEntropy:
    """The cross-entropy's fn with twice its delta: the same steps as 2 * eta."""

    fn = staticmethod(network2.CrossEntropyCost.fn)

    @staticmethod
    def delta(z, a, y):
        return 2 * (a - y)


def nets(sizes, cost, seed=5):
    random.seed(seed)
    np.random.seed(seed)
    ref = Reference(sizes, cost)
    np.random.seed(seed)
    return ref, network2.Network(sizes, cost=cost)


@pytest.fixture(scope="module")
def small(mnist):
    training, evaluation = mnist
    return training[:120], evaluation[:60]


@pytest.mark.parametrize("cost, batched", [(HalfQuadratic, True), (QuarticCost, True),
                                           (DistanceCost, False)])
def test_custom_cost_trains_like_the_reference(small, cost, batched, capsys):
    training, evaluation = small
    ref, net = nets([784, 20, 10], cost)
    ref_list, our_list = list(training), list(training)
    random.seed(3)
    (ec, ea, tc, ta), _ = ref.sgd(ref_list, 2, 10, 2.0, 0.3, evaluation)
    random.seed(3)
    ours = net.SGD(our_list, 2, 10, 2.0, lmbda=0.3, evaluation_data=evaluation,
                   monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                   monitor_training_cost=True, monitor_training_accuracy=True)
    capsys.readouterr()
    assert ours[1] == ea and ours[3] == ta
    assert_close(ours[0], ec)
    assert_close(ours[2], tc)
    assert_params_close(net, ref)
    assert [id(p) for p in our_list] == [id(p) for p in ref_list]
    # The first mini-batch decided once how to call the class.
    assert network2.column_cost(cost).batched is batched
    x, y = training[7]
    for ours, theirs in zip(sum(net.backprop(x, y), []), sum(ref.backprop(x, y), [])):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)
    assert_close(net.total_cost(evaluation, 0.3, convert=True),
                 ref.total_cost(evaluation, 0.3, convert=True))
    ref.update_mini_batch(training[:9], 1.5, 0.2, 1000)
    net.update_mini_batch(training[:9], 1.5, 0.2, 1000)
    assert_params_close(net, ref)


def test_twice_the_delta_is_twice_eta(small, capsys):
    training, _ = small
    _, doubled = nets([784, 20, 10], DoubleCrossEntropy)
    _, plain = nets([784, 20, 10], network2.CrossEntropyCost)
    random.seed(1)
    doubled.SGD(list(training), 2, 10, 0.25)
    random.seed(1)
    plain.SGD(list(training), 2, 10, 0.5)
    capsys.readouterr()
    # Doubling is exact in floating point, so the two runs agree bit for bit.
    for a, b in zip(doubled.weights + doubled.biases, plain.weights + plain.biases):
        np.testing.assert_array_equal(a, b)


def test_an_instance_and_a_cost_assigned_later_work(small):
    training, _ = small
    ref, net = nets([784, 20, 10], QuarticCost)
    net.cost = DistanceCost()                        # network2 takes instances too
    ref.cost = DistanceCost
    x, y = training[0]
    np.testing.assert_allclose(net.backprop(x, y)[1][0], ref.backprop(x, y)[1][0], rtol=1e-10)


def test_custom_cost_is_saved_by_name_and_load_says_what_to_do(tmp_path, small):
    _, net = nets([784, 20, 10], QuarticCost)
    path = tmp_path / "net.json"
    net.save(path)
    data = json.loads(path.read_text())
    assert data["cost"] == "QuarticCost"                  # network2 writes cost.__name__
    np.testing.assert_array_equal(np.array(data["weights"][1]), net.weights[1])
    with pytest.raises(ValueError, match="QuarticCost"):
        network2.load(path)


def test_unusable_costs_are_refused():
    class NoDelta:
        @staticmethod
        def fn(a, y):
            return 0.0

    with pytest.raises(ValueError, match="static methods fn.*NoDelta"):
        network2.Network([3, 2], cost=NoDelta)

    class WrongShape:
        fn = staticmethod(network2.QuadraticCost.fn)

        @staticmethod
        def delta(z, a, y):
            return np.sum(a - y)

    net = network2.Network([3, 2], cost=WrongShape)
    with pytest.raises(ValueError, match=r"WrongShape.delta.*shape of z \(2, 1\)"):
        net.backprop(np.ones((3, 1)), np.ones((2, 1)))
