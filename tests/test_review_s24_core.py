"""Problems found in the review of session 24 (one test each; every test failed before its fix)."""

import threading

import numpy as np
import pytest

from deltanet.costs import QuadraticCost
from deltanet.data import Data, as_data


def test_threads_sharing_prepared_data_each_read_their_own_rows(monkeypatch):
    # A prepared Data (deltanet.data.as_data) converted every chunk into ONE buffer, so
    # two threads evaluating or training on it read each other's rows: Network.evaluate
    # from two threads gave other costs and counts, silently. Forced interleaving:
    # thread A converts rows 0..9 and waits inside feed until thread B has converted
    # rows 10..19 as well; A must still compute on rows 0..9.
    monkeypatch.setattr(Data, "DENSE_LIMIT", 0)             # a set converted per chunk
    rng = np.random.default_rng(0)
    data = as_data((rng.random((20, 3)), rng.integers(0, 3, 20)), [3, 3])
    expected = data.evaluate(lambda X: X.copy(), QuadraticCost, np.float64, 10)
    both_converted = threading.Barrier(2, timeout=10)
    seen = {}

    def feed_a(X):
        if not seen.setdefault("a", 0):
            both_converted.wait()                           # A holds rows 0..9 in X
        seen["a"] += 1
        return X.copy()

    def feed_b(X):
        seen["b"] = seen.get("b", 0) + 1
        if seen["b"] == 2:                                   # B has converted rows 10..19
            both_converted.wait()
        return X.copy()

    results = {}
    threads = [threading.Thread(target=lambda: results.__setitem__("a", data.evaluate(
                   feed_a, QuadraticCost, np.float64, 10))),
               threading.Thread(target=lambda: results.__setitem__("b", data.evaluate(
                   feed_b, QuadraticCost, np.float64, 10)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"a": expected, "b": expected}
