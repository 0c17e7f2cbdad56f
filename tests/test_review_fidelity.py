"""Problems found by an adversarial review of the library's numbers ("no silent
wrong number"); one test each, every test failed before its fix."""

import numpy as np
import pytest

from deltanet import Network
from deltanet.datasets import Dataset
from test_engine import data


def test_a_dataset_of_float_values_is_not_divided_by_256():
    # was: Dataset(X, y) used scale 1/256 for any dtype, so features in [0, 1]
    # entered the network as [0, 1/256] without a word
    X, y = data(30, 4, 3)
    assert Dataset(X, y).scale == 1.0
    assert Dataset(X.astype(np.float32), y).scale == 1.0
    np.testing.assert_array_equal(Dataset(X, y).features(np.float64), X)
    pixels = (X * 255).astype(np.uint8)
    assert Dataset(pixels, y).scale == 1 / 256 == Dataset(pixels.astype(np.int64), y).scale
    assert Dataset(X, y, 0.5).scale == 0.5
    a, b = Network([4, 5, 3], seed=1), Network([4, 5, 3], seed=1)
    ha = a.SGD(Dataset(X, y), 2, 7, 0.5, seed=2, evaluation_data=Dataset(X, y),
               monitor_evaluation_cost=True)
    hb = b.SGD((X, y), 2, 7, 0.5, seed=2, evaluation_data=(X, y), monitor_evaluation_cost=True)
    assert ha.evaluation_cost == hb.evaluation_cost
    np.testing.assert_array_equal(a.weights[0], b.weights[0])


@pytest.mark.parametrize("name", ["eta", "lmbda"])
def test_an_integer_beyond_the_floats_is_a_value_error_naming_the_argument(name):
    # was: OverflowError "int too large to convert to float" from deep inside
    X, y = data(10, 4, 3)
    net = Network([4, 3], seed=0)
    arguments = {"eta": 0.5, "lmbda": 0.0, name: 10 ** 400}
    with pytest.raises(ValueError, match=f"{name} must be a finite number"):
        net.SGD((X, y), 1, 5, **arguments)
