"""Problems the lead found or took over in session 24 (one test each; every test failed
before its fix)."""

import numpy as np

from deltanet import Network


class RecordingBar:
    """A progress bar that remembers the postfix it would show at each update."""

    def __init__(self, *args, total=None, initial=0, **kwargs):
        self.n, self.postfix, self.shown = initial, "", []

    def set_postfix_str(self, postfix, refresh=True):
        self.postfix = postfix

    def update(self, n=1):
        self.n += n
        self.shown.append((self.n, self.postfix))

    def write(self, text):
        pass

    def close(self):
        pass


def test_the_training_bar_shows_the_epoch_it_counts(monkeypatch):
    """The bar was updated before its postfix was set: at 2/3 it showed epoch 1's numbers."""
    import deltanet.notebook
    bars = []
    monkeypatch.setattr(deltanet.notebook, "progress_bar",
                        lambda *a, **k: bars.append(RecordingBar(*a, **k)) or bars[-1])
    rng = np.random.default_rng(0)
    X, y = rng.random((40, 4)), rng.integers(0, 3, 40)
    history = Network([4, 5, 3], seed=0).SGD((X, y), 3, 10, 1.0, evaluation_data=(X, y),
                                             monitor_evaluation_accuracy=True, progress=True)
    shown = bars[0].shown
    assert [n for n, _ in shown] == [1, 2, 3]
    for n, postfix in shown:
        assert f"{100 * history.evaluation_accuracy[n - 1] / 40:.2f}" in postfix, (n, postfix)
