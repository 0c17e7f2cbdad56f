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


def test_run_and_sweep_refuse_an_l2_term_float32_cannot_apply_before_any_work(tmp_path,
                                                                             capsys):
    """'run' and 'sweep' failed in the pool ('failed: ValueError ...', exit 1) for a
    lmbda the float32 runs cannot apply; now exit 2 before anything is written."""
    from deltanet.cli.main import main
    out = tmp_path / "out"
    for argv in (["run", "overfitting", "--lmbda", "0.0001"],
                 ["sweep", "overfitting", "--grid", "lmbda=0,0.0001"]):
        assert main([*argv, "--out", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "lmbda would act as 0.000119" in err, err
        assert "use --dtype float64" in err and not out.exists()
    assert main(["run", "overfitting", "--lmbda", "0.0001", "--dtype", "float64", "--epochs",
                 "1", "--train-size", "20", "--sizes", "784,5,10", "--workers", "0",
                 "--out", str(out), "--quiet"]) == 0


def test_a_ctrl_c_while_the_command_line_starts_is_one_line_and_exit_130(monkeypatch,
                                                                          capsys):
    """A Ctrl-C in the first tenth of a second (imports, building the parser) printed a
    Python traceback; the console script is now deltanet.__main__:main."""
    import sys
    from pathlib import Path

    import deltanet.__main__ as entry
    import deltanet.cli.main as cli_main
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    assert '\ndeltanet = "deltanet.__main__:main"\n' in pyproject   # (no tomllib on 3.10)

    class CtrlCOnImport:            # a finder that is 'interrupted' importing the CLI
        def find_spec(self, name, path=None, target=None):
            if name == "deltanet.cli.main":
                raise KeyboardInterrupt
    monkeypatch.delitem(sys.modules, "deltanet.cli.main")
    monkeypatch.setattr(sys, "meta_path", [CtrlCOnImport(), *sys.meta_path])
    assert entry.main() == 130
    assert capsys.readouterr().err == ("deltanet: interrupted while starting; nothing was "
                                      "written\n")
    monkeypatch.undo()

    def ctrl_c():
        raise KeyboardInterrupt
    monkeypatch.setattr(cli_main, "build_parser", ctrl_c)
    assert entry.main() == 130 and "interrupted while starting" in capsys.readouterr().err


def test_the_bars_of_the_runs_show_the_epoch_they_count(monkeypatch):
    """The parent's bar per run was updated before its postfix was set (one epoch late)."""
    import deltanet.notebook
    from deltanet.experiments import execution
    from deltanet.experiments.definitions import expand
    bars = []
    monkeypatch.setattr(deltanet.notebook, "progress_bar",
                        lambda *a, **k: bars.append(RecordingBar(*a, **k)) or bars[-1])
    config, = expand("overfitting", {"epochs": 3}, [0])
    progress = execution._Bars(True)
    progress.tty = True
    progress.start(config.run_id(), 0, config)
    for epoch in (1, 2, 3):
        progress.epoch(config.run_id(), epoch, f"eval={epoch}")
    assert bars[0].shown == [(1, "eval=1"), (2, "eval=2"), (3, "eval=3")]


def test_plot_of_a_folder_with_only_run_sets_names_them(tmp_path, capsys):
    """'deltanet plot OUT' where only 'deltanet run' had written said "run 'deltanet
    sheet' or 'deltanet run' first", but 'run' never writes OUT/task25."""
    from deltanet.cli.main import main
    out = tmp_path / "out"
    assert main(["run", "overfitting", "--out", str(out), "--epochs", "1", "--train-size",
                 "20", "--sizes", "784,5,10", "--workers", "0", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["plot", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"'deltanet plot {out / 'runs' / 'overfitting'}'" in err and "first" not in err, err
    assert main(["plot", str(out / "runs" / "overfitting")]) == 0


def test_the_sweep_table_says_its_cells_are_mean_and_std(tmp_path, capsys):
    """The sweep table showed 'x ± y' for several seeds without saying what they are
    (its figure's bars are the minimum to maximum)."""
    from deltanet.cli.main import main
    tiny = ["--epochs", "1", "--train-size", "20", "--sizes", "784,5,10", "--workers", "0",
            "--quiet", "--grid", "eta=0.5,1"]
    for lang, note in (("en", "mean ± standard deviation"), ("de", "Mittelwert ± Standard")):
        assert main(["sweep", "overfitting", "--out", str(tmp_path / lang), "--seeds", "1,2",
                     "--lang", lang, *tiny]) == 0
        out = capsys.readouterr().out
        assert note in out and " ± " in out
    assert main(["sweep", "overfitting", "--out", str(tmp_path / "one"), *tiny]) == 0
    assert "±" not in capsys.readouterr().out
