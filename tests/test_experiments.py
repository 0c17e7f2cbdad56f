"""Task 25 experiments: definitions, results store, resume, conclusions, figures,
sweeps on a Dask LocalCluster, and the commands' handling of bad input.

Runs are tiny (a [784, 10, 10] net, a few hundred training images, a few
epochs); the evaluation is always the full 10,000-image test set.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from deltanet import Network, sgd
from deltanet.cli.main import main
from deltanet.datasets import load_mnist
from deltanet.experiments import conclusions as C
from deltanet.experiments import execution, runner
from deltanet.experiments.definitions import (DEFAULT_SEED, EXPERIMENTS, RunConfig, expand,
                                              grid_points, parse_grid, parse_seeds,
                                              plot_from_epoch)
from deltanet.plots.task25 import FIGURES

TINY = {"epochs": 3, "train_size": 200, "sizes": (784, 10, 10)}
TINY_ARGS = ["--epochs", "3", "--train-size", "200", "--sizes", "784,10,10"]


def tiny(name, seeds=(1,), **more):
    return expand(name, {**TINY, **more}, seeds)


def reference_history(config):
    """The same run straight through the core (Network + sgd), no runner."""
    train, _, test = load_mnist()
    net = Network(config.sizes, cost=config.cost, init=config.init, seed=config.seed,
                  dtype=config.dtype)
    return sgd(net, train[:config.train_size], config.epochs, config.mini_batch_size,
               config.eta, lmbda=config.lmbda, evaluation_data=test,
               monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
               monitor_training_cost=True, monitor_training_accuracy=True)


def snapshot(directory):
    """{relative path: bytes} of every file below ``directory`` but the (empty) lock
    files a command leaves: ``.NAME.lock``, taken before anything is read."""
    directory = Path(directory)
    return {p.relative_to(directory): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and not (p.name.endswith(".lock") and p.stat().st_size == 0)}


# ------------------------------------------------------------ definitions --

def test_defaults_are_the_sheets():
    a = expand("cost-comparison")
    assert [(c.cost, c.eta) for c in a] == [("quadratic", 3.0), ("cross-entropy", 0.5)]
    assert {(c.epochs, c.train_size, c.mini_batch_size, c.sizes, c.lmbda) for c in a} == {
        (30, 50_000, 10, (784, 30, 10), 0.0)}
    b, = expand("overfitting")
    assert (b.cost, b.eta, b.lmbda, b.epochs, b.train_size, b.init) == (
        "cross-entropy", 0.5, 0.0, 400, 1000, "large")
    c, = expand("regularization")
    assert (c.lmbda, c.epochs, c.train_size, c.init) == (0.1, 400, 1000, "large")
    assert {x.seed for x in a + [b, c]} == {DEFAULT_SEED} == {1}
    assert plot_from_epoch("overfitting", 400) == 100


def test_run_id_is_stable_and_covers_every_field():
    config = tiny("overfitting")[0]
    again = RunConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config and again.run_id() == config.run_id()
    assert again.label == config.label == "overfitting"
    ids = {config.run_id()}
    for field, value in [("seed", 2), ("eta", 0.25), ("lmbda", 0.5), ("epochs", 4),
                         ("mini_batch_size", 5), ("train_size", 201), ("init", "default"),
                         ("dtype", "float64"), ("cost", "quadratic"), ("as_original", True),
                         ("experiment", "regularization")]:
        ids.add(RunConfig.from_dict({**config.to_dict(), field: value}).run_id())
    assert len(ids) == 12


def test_overrides_seeds_and_grid_parsing():
    configs = expand("cost-comparison", {"eta": 1.0, "epochs": 2}, seeds=[3, 4])
    assert [(c.label, c.seed, c.eta, c.epochs) for c in configs] == [
        ("quadratic", 3, 1.0, 2), ("quadratic", 4, 1.0, 2),
        ("cross-entropy", 3, 1.0, 2), ("cross-entropy", 4, 1.0, 2)]
    assert expand("overfitting", quick=True)[0].epochs == EXPERIMENTS["overfitting"].quick["epochs"]
    assert expand("overfitting", as_original=True)[0].dtype == "float64"
    assert parse_seeds("1..5") == [1, 2, 3, 4, 5]
    assert parse_seeds("1,2,3") == [1, 2, 3] and parse_seeds("7") == [7]
    grid = parse_grid(["eta=0.1,0.5,1", "lmbda=0,0.1", "mini-batch-size=5"])
    assert grid == {"eta": [0.1, 0.5, 1.0], "lmbda": [0.0, 0.1], "mini_batch_size": [5]}
    points = grid_points(grid)
    assert len(points) == 6 and points[1] == {"eta": 0.1, "lmbda": 0.1, "mini_batch_size": 5}


@pytest.mark.parametrize("call, message", [
    (lambda: expand("overfit"), "unknown experiment 'overfit'"),
    (lambda: expand("overfitting", {"epochs": -3}), "epochs must be an integer >= 1; got -3"),
    (lambda: expand("overfitting", {"train_size": 60_000}),
     "train_size must be an integer between 1 and 50,000; got 60000 (the MNIST "
     "training split has 50,000 images)"),
    (lambda: expand("overfitting", {"eta": 0}), "eta must be a finite number > 0"),
    (lambda: expand("overfitting", {"lmbda": -1}), "lmbda must be a finite number >= 0"),
    (lambda: expand("overfitting", {"init": "huge"}), "init must be one of default, large"),
    (lambda: expand("overfitting", {"momentum": 0.9}), "unknown parameter 'momentum'"),
    (lambda: expand("overfitting", {"sizes": (100, 10)}), "sizes must start with 784"),
    (lambda: expand("overfitting", seeds=[1, 1]), "repeats a seed"),
    # 25a's two runs differ in cost: overriding it would merge them as if seeds of one
    (lambda: expand("cost-comparison", {"cost": "quadratic"}), "could not be told apart"),
    (lambda: parse_seeds("1..x"), "seeds: cannot parse '1..x'"),
    (lambda: parse_seeds("5..1"), "range '5..1' is empty"),
    (lambda: parse_grid(["speed=1,2"]), "unknown grid key 'speed'"),
    (lambda: parse_grid(["eta=0.1,abc"]), "eta: cannot parse 'abc' as a number"),
    (lambda: parse_grid(["eta"]), "must look like KEY=V1,V2"),
])
def test_bad_definitions_name_the_problem(call, message):
    with pytest.raises(ValueError, match=None) as info:
        call()
    assert message in str(info.value)


# ------------------------------------------------------------ the store --

def test_stored_run_has_every_series_and_matches_the_core(tmp_path):
    configs = tiny("cost-comparison")
    batch = runner.run_configs(configs, tmp_path, workers=0, progress=False)
    assert sorted(batch.trained) == sorted(c.run_id() for c in configs)
    for config in configs:
        path = runner.run_path(tmp_path, config)
        assert path == tmp_path / "task25" / "runs" / f"{config.run_id()}.json"
        record = runner.load_run(path)
        assert record["status"] == "complete" and "checkpoint" not in record
        assert record["config"] == config.to_dict() and record["seed"] == 1
        assert record["versions"]["numpy"] == np.__version__
        h = record["history"]
        for key in ("evaluation_cost", "evaluation_accuracy", "training_cost",
                    "training_accuracy", "epoch_seconds"):
            assert len(h[key]) == config.epochs == h["epochs_completed"]
        assert (h["n_training"], h["n_evaluation"]) == (200, 10_000)
        ref = reference_history(config)
        assert h["evaluation_accuracy"] == ref.evaluation_accuracy
        assert h["training_accuracy"] == ref.training_accuracy
        np.testing.assert_allclose(h["training_cost"], ref.training_cost, rtol=1e-6)
        np.testing.assert_allclose(h["evaluation_cost"], ref.evaluation_cost, rtol=1e-6)


def test_complete_runs_are_not_retrained_and_force_reproduces_them(tmp_path):
    configs = tiny("overfitting", seeds=(1, 2))
    runner.run_configs(configs, tmp_path, workers=0, progress=False)
    before = snapshot(tmp_path)
    again = runner.run_configs(configs, tmp_path, workers=0, progress=False)
    assert again.trained == [] and sorted(again.reused) == sorted(c.run_id() for c in configs)
    assert snapshot(tmp_path) == before                    # nothing rewritten
    forced = runner.run_configs(configs[:1], tmp_path, workers=0, progress=False, force=True)
    assert forced.trained == [configs[0].run_id()]
    old = json.loads(before[Path("task25/runs") / f"{configs[0].run_id()}.json"])
    new = runner.load_run(runner.run_path(tmp_path, configs[0]))
    for key in ("evaluation_accuracy", "training_accuracy", "training_cost"):
        assert new["history"][key] == old["history"][key]        # same seed, same numbers


def test_resume_after_interrupt_continues_bit_for_bit(tmp_path):
    config, = tiny("overfitting", epochs=5)
    path = runner.run_path(tmp_path / "a", config)

    def interrupt_after_two(epoch, history, net):
        if history.epochs_completed == 2:
            raise KeyboardInterrupt

    record = runner.execute_run(config, path, checkpoint_seconds=60,
                                callbacks=[interrupt_after_two])
    assert record["status"] == "partial"
    stored = runner.load_run(path)                 # saved on the interrupt, not by the timer
    assert stored["status"] == "partial" and stored["history"]["epochs_completed"] == 2
    assert {"params", "rng_state"} <= set(stored["checkpoint"])
    batch = runner.run_configs([config], tmp_path / "a", workers=0, progress=False)
    assert batch.resumed == [config.run_id()] and batch.trained == [config.run_id()]
    resumed = runner.load_run(path)
    assert resumed["status"] == "complete" and resumed["timing"]["resumed_from_epoch"] == 2
    assert "checkpoint" not in resumed
    # Never interrupted, run the same way (same BLAS thread count: float sums
    # depend on how the matrix products are split).
    batch = runner.run_configs([config], tmp_path / "b", workers=0, progress=False)
    whole = batch.records[config.run_id()]
    for key in ("evaluation_cost", "evaluation_accuracy", "training_cost", "training_accuracy"):
        assert resumed["history"][key] == whole["history"][key], key
    assert len(resumed["history"]["epoch_seconds"]) == 5


def test_partial_file_without_checkpoint_is_retrained_from_scratch(tmp_path):
    config, = tiny("regularization")
    whole = runner.execute_run(config)
    partial = dict(whole, status="partial")
    partial["history"] = {**whole["history"], "epochs_completed": 1,
                          **{k: whole["history"][k][:1] for k in (
                              "evaluation_cost", "evaluation_accuracy", "training_cost",
                              "training_accuracy", "epoch_seconds")}}
    runner.write_json(runner.run_path(tmp_path, config), partial)
    batch = runner.run_configs([config], tmp_path, workers=0, progress=False)
    assert batch.restarted == [config.run_id()] and batch.resumed == []
    record = runner.load_run(runner.run_path(tmp_path, config))
    assert record["status"] == "complete"
    assert record["history"]["evaluation_accuracy"] == whole["history"]["evaluation_accuracy"]


def test_as_original_reproduces_the_per_example_network2(tmp_path):
    """--as-original goes through deltanet.compat.network2; its numbers must be
    those of the per-example algorithm (benchmarks/reference_network2.py)."""
    import contextlib
    import importlib.util
    import io
    import random
    spec = importlib.util.spec_from_file_location(
        "reference_network2", Path(__file__).parent.parent / "benchmarks" / "reference_network2.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    config, = expand("overfitting", {"epochs": 2, "train_size": 60, "sizes": (784, 8, 10)},
                     [3], as_original=True)
    record = runner.execute_run(config, runner.run_path(tmp_path, config))
    assert record["status"] == "complete" and record["config"]["as_original"]
    train, _, test = load_mnist()
    X, Xt = train.features(np.float64)[:60], test.features(np.float64)
    pairs = [(x.reshape(-1, 1), np.eye(10)[y].reshape(-1, 1)) for x, y in zip(X, train.labels)]
    test_pairs = [(x.reshape(-1, 1), int(y)) for x, y in zip(Xt, test.labels)]
    random.seed(3)
    np.random.seed(3)
    net = reference.Network([784, 8, 10], cost=reference.CrossEntropyCost)
    net.large_weight_initializer()
    with contextlib.redirect_stdout(io.StringIO()):
        ec, ea, tc, ta = net.SGD(pairs, 2, 10, 0.5, lmbda=0.0, evaluation_data=test_pairs,
                                 monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
                                 monitor_training_cost=True, monitor_training_accuracy=True)
    h = record["history"]
    assert h["evaluation_accuracy"] == ea and h["training_accuracy"] == ta
    np.testing.assert_allclose(h["training_cost"], tc, rtol=1e-9)
    np.testing.assert_allclose(h["evaluation_cost"], ec, rtol=1e-9)


def test_pool_runs_on_separate_processes_with_one_blas_thread(tmp_path, monkeypatch):
    spawned_with = []

    class Recording(execution.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):      # workers are spawned in the submits
            spawned_with.append(signal.getsignal(signal.SIGINT))
            return super().submit(*args, **kwargs)
    monkeypatch.setattr(execution, "ProcessPoolExecutor", Recording)
    handler = signal.getsignal(signal.SIGINT)
    configs = tiny("cost-comparison", epochs=2)
    batch = runner.run_configs(configs, tmp_path, workers=2, progress=False)
    assert sorted(batch.trained) == sorted(c.run_id() for c in configs)
    # Workers inherit an ignored Ctrl-C from their start: one pressed while they
    # still import NumPy must not kill them (BrokenProcessPool, every run "failed").
    assert spawned_with == [signal.SIG_IGN] * 2
    assert signal.getsignal(signal.SIGINT) is handler
    for config in configs:
        record = batch.records[config.run_id()]
        assert record["environment"]["blas_threads"] in (1, "1")
        ref = reference_history(config)
        assert record["history"]["evaluation_accuracy"] == ref.evaluation_accuracy
        np.testing.assert_allclose(record["history"]["training_cost"], ref.training_cost,
                                   rtol=1e-6)


def test_ctrl_c_keeps_finished_epochs_and_the_next_run_resumes(tmp_path):
    out = tmp_path / "out"
    argv = ["run", "overfitting", "--epochs", "200", "--train-size", "100",
            "--sizes", "784,10,10", "--out", str(out), "--workers", "1",
            "--checkpoint-seconds", "0", "--quiet"]
    proc = subprocess.Popen([sys.executable, "-m", "deltanet.cli.main", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    runs = out / "runs" / "overfitting" / "task25" / "runs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        files = list(runs.glob("*.json")) if runs.exists() else []
        try:
            if files and json.loads(files[0].read_text())["history"]["epochs_completed"] >= 3:
                break
        except (json.JSONDecodeError, OSError):
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    record = json.loads(files[0].read_text())
    assert record["status"] == "partial" and "checkpoint" in record
    done = record["history"]["epochs_completed"]
    assert 3 <= done < 200
    assert len(record["history"]["training_cost"]) == done
    assert not (out / "runs" / "overfitting" / "task25" / "results.json").exists()
    resume = [a if a != "1" or argv[i - 1] != "--workers" else "0" for i, a in enumerate(argv)]
    assert main(resume) == 0
    final = json.loads(files[0].read_text())
    assert final["status"] == "complete" and final["timing"]["resumed_from_epoch"] == done
    assert final["history"]["training_cost"][:done] == record["history"]["training_cost"]


def test_ctrl_c_outside_an_epoch_is_an_interrupt_not_a_crash(tmp_path, monkeypatch, capsys):
    configs = tiny("overfitting", seeds=(1, 2))
    runner.run_configs(configs[:1], tmp_path, workers=0, progress=False)

    def ctrl_c(config):                         # Ctrl-C while a run loads its data
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "_run_data", ctrl_c)
    batch = runner.run_configs(configs, tmp_path, workers=0, progress=False)
    assert batch.interrupted and batch.reused == [configs[0].run_id()]
    assert configs[1].run_id() not in batch.records
    original, = expand("overfitting", TINY, as_original=True)
    path = runner.run_path(tmp_path, original)
    record = runner.execute_run(original, path)
    assert record["status"] == "partial" and not path.exists()
    # In the pool the parent reports it as stopped, not as saved.
    from concurrent.futures import Future
    future = Future()
    future.set_result(record)
    result = runner.BatchResult()
    execution._collect(future, original, result, execution._Bars(True))
    assert result.interrupted
    assert "before its first epoch ended (nothing saved)" in capsys.readouterr().err


def test_second_ctrl_c_exits_130_with_a_message(tmp_path, monkeypatch, capsys):
    def abandoned(*args, **kwargs):            # the pool re-raises a second Ctrl-C
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "run_configs", abandoned)
    out = str(tmp_path / "out")
    assert main(["run", "overfitting", *TINY_ARGS, "--out", out, "--quiet"]) == 130
    assert main(["sweep", "overfitting", "--grid", "eta=1,2", *TINY_ARGS, "--out", out,
                 "--quiet"]) == 130
    err = capsys.readouterr().err
    assert err.count("interrupted: finished runs and the epochs saved so far are kept") == 2


def test_a_broken_index_is_refused_before_training(tmp_path, capsys):
    out = tmp_path / "out"
    tdir = out / "runs" / "overfitting" / "task25"
    tdir.mkdir(parents=True)
    (tdir / "results.json").write_text("{broken")
    assert main(["run", "overfitting", *TINY_ARGS, "--out", str(out), "--workers", "0",
                 "--quiet"]) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    assert not (tdir / "runs").exists()


# ------------------------------------------------------------ conclusions --

def test_run_numbers_on_a_synthetic_run():
    epochs = np.arange(1, 201)
    test = np.minimum(60 + epochs * 0.25, 80.0)          # 80 % from epoch 80 on
    test[149] = 80.3                                       # the peak: epoch 150
    train = np.minimum(70 + epochs * 0.5, 100.0)           # 100 % from epoch 60 on
    cost = 2.0 / epochs                                    # keeps falling
    ecost = 1.0 + (epochs - 30.0) ** 2 / 1e4               # lowest at epoch 30
    o = C.run_numbers({"test_accuracy": list(test), "training_accuracy": list(train),
                       "training_cost": list(cost), "evaluation_cost": list(ecost)})
    assert (o["peak_test_accuracy"], o["peak_test_epoch"]) == (80.3, 150)
    assert o["epochs_to_90_percent"] is None and o["test_accuracy_after_epoch_1"] == 60.25
    assert o["final_gap"] == pytest.approx(20.0) and o["first_epoch_training_100_percent"] == 60
    assert o["evaluation_cost_min_epoch"] == 30
    assert o["last_quarter_epochs"] == 50
    assert o["last_quarter_relative_change"] == pytest.approx(150 / 200 - 1)


def test_aggregate_over_seeds():
    stats = C.aggregate([{"x": 1.0, "e": None, "w": "a"}, {"x": 3.0, "e": 4, "w": "a"}])
    assert stats["x"]["mean"] == 2.0 and stats["x"]["std"] == 1.0
    assert (stats["x"]["min"], stats["x"]["max"], stats["x"]["n"]) == (1.0, 3.0, 2)
    assert stats["e"]["mean"] == 4 and stats["e"]["missing"] == 1
    assert stats["w"]["most_common"] == "a" and stats["w"]["count"] == 2


def fake_record(experiment, label, seed, test, train, cost, ecost=None, lmbda=0.0, cost_name=None):
    n = len(test)
    config = expand(experiment, {"epochs": n, "lmbda": lmbda}, [seed])
    config = next(c for c in config if c.label == label)
    return {"schema": runner.RUN_SCHEMA, "id": config.run_id(), "status": "complete",
            "experiment": experiment, "label": label, "seed": seed, "config": config.to_dict(),
            "versions": {"deltanet": "0", "numpy": "0"}, "timing": {"train_seconds": 1.0},
            "history": {"evaluation_accuracy": [v * 100 for v in test],
                        "training_accuracy": [v * 10 for v in train],
                        "training_cost": list(cost), "evaluation_cost": list(ecost or cost),
                        "epoch_seconds": [0.1] * n, "n_training": 1000, "n_evaluation": 10_000,
                        "epochs_completed": n, "gradient_norms": [],
                        "initial_gradient_norms": [], "config": {}, "stopped": ""}}


def synthetic_results():
    q = fake_record("cost-comparison", "quadratic", 1, [85, 89, 91, 93], [86, 90, 92, 95],
                    [0.1, 0.08, 0.06, 0.05])
    x = fake_record("cost-comparison", "cross-entropy", 1, [91, 92, 93, 94], [92, 94, 96, 97],
                    [0.4, 0.3, 0.2, 0.1])
    epochs = np.arange(1, 9)
    b = fake_record("overfitting", "overfitting", 1, [70, 75, 80, 82, 81.8, 81.9, 82, 81.9],
                    [80, 90, 98, 100, 100, 100, 100, 100], 1.0 / epochs,
                    ecost=list(1 + (epochs - 3) ** 2 / 10))
    c = fake_record("regularization", "regularization", 1, [70, 76, 82, 84, 85, 86, 87, 87.5],
                    [80, 90, 97, 98, 99, 99, 99, 99.5], 0.5 + 0.5 / epochs ** 2, lmbda=0.1)
    return {"cost-comparison": [q, x], "overfitting": [b], "regularization": [c]}


def test_summary_and_claims_follow_the_data():
    summary = C.summarize_task25(synthetic_results())
    a = summary["experiments"]["cost-comparison"]["variants"]
    assert a["quadratic"]["epochs_to_90_percent"]["mean"] == 3
    assert a["cross-entropy"]["test_accuracy_after_epoch_1"]["mean"] == 91
    b = summary["experiments"]["overfitting"]["variants"]["overfitting"]
    assert b["peak_test_epoch"]["mean"] == 4 and b["first_epoch_training_100_percent"]["mean"] == 4
    assert b["evaluation_cost_min_epoch"]["mean"] == 3
    text = summary["conclusions"]
    assert text["25a"][0].startswith("With the cross-entropy cost the network learns faster at "
                                     "the start: 91.00 % test accuracy after epoch 1")
    assert "the test accuracy first reaches 90 % in epoch 3" in " ".join(text["25a"])
    assert "From epoch 4 on every epoch lies within 0.5 points of the peak" in text["25b"][1]
    assert "(+5.6 points)" in " ".join(text["25c"])
    assert [c["id"] for c in summary["claims"] if c["part"] == "25c"][-3:] == [
        "cmp_final", "cmp_gap_shrinks", "cmp_cost"]
    # Swap the first epochs: the text must name the other cost.
    swapped = synthetic_results()
    swapped["cost-comparison"][0]["history"]["evaluation_accuracy"][0] = 9500
    text = C.summarize_task25(swapped)["conclusions"]
    assert text["25a"][0].startswith("With the quadratic cost the network learns faster at "
                                     "the start: 95.00 %")
    german = C.summarize_task25(synthetic_results(), lang="de")["conclusions"]
    assert german["25a"][0].startswith("Mit Kreuzentropie-Kosten lernt das Netz anfangs "
                                       "schneller: 91,00 %")


# ------------------------------------------------------------ figures --

def write_results(tmp_path, results):
    tdir = runner.task_dir(tmp_path)
    for records in results.values():
        for r in records:
            runner.write_json(tdir / "runs" / f"{r['id']}.json", r)
    runner.update_index(tdir, {name: {"runs": [r["id"] for r in records]}
                               for name, records in results.items()})
    return tdir


def test_plot_redraws_everything_from_stored_results(tmp_path, capsys):
    tdir = write_results(tmp_path, synthetic_results())
    runs_before = snapshot(tdir / "runs")
    assert main(["plot", str(tmp_path), "--lang", "de"]) == 0
    for stems in FIGURES.values():
        for stem in stems:
            for ext in ("png", "svg"):
                assert (tdir / "figures" / f"{stem}.de.{ext}").stat().st_size > 1000
    svg = (tdir / "figures" / "25b_training_cost.de.svg").read_text()
    assert "Epoche" in svg and "Trainingskosten" in svg
    summary = json.loads((tdir / "summary.json").read_text())
    assert summary["schema"] == C.SUMMARY_SCHEMA and summary["lang"] == "de"
    assert summary["figures"]["25c"] == ["figures/25c_training_cost", "figures/25c_test_accuracy",
                                         "figures/25c_accuracy"]
    assert "Die Testgenauigkeit erreicht ihr Maximum" in capsys.readouterr().out
    assert snapshot(tdir / "runs") == runs_before
    # A single run file redraws its experiment's figures from that run alone, in
    # a folder of its own: the figures of the summary and the report stay.
    figures = {p.name: p.read_bytes() for p in (tdir / "figures").glob("*.*")}
    run = synthetic_results()["cost-comparison"][0]
    assert main(["plot", str(tdir / "runs" / f"{run['id']}.json")]) == 0
    assert {p.name: p.read_bytes() for p in (tdir / "figures").glob("*.*")} == figures
    assert (tdir / "figures" / "runs" / run["id"] / "25a_accuracy.png").stat().st_size > 1000


def test_several_seeds_give_bands_and_mean_std(tmp_path, capsys):
    results = {"overfitting": [
        fake_record("overfitting", "overfitting", s, [70 + s, 75, 80 + s], [80, 90, 100],
                    [1.0, 0.5, 0.2]) for s in (1, 2, 3)]}
    write_results(tmp_path, results)
    assert main(["plot", str(tmp_path / "task25" / "results.json")]) == 0
    summary = json.loads((tmp_path / "task25" / "summary.json").read_text())
    final = summary["experiments"]["overfitting"]["variants"]["overfitting"]["final_test_accuracy"]
    assert final["mean"] == 82 and final["std"] == pytest.approx(np.std([81, 82, 83]))
    assert final["values"] == [81, 82, 83]
    out = capsys.readouterr().out
    assert "82.00 ± 0.82 %" in out
    svg = (tmp_path / "task25" / "figures" / "25b_accuracy.svg").read_text()
    assert "mean of 3 seeds" in svg


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid JSON"),
    ('{"sizes": [784, 30, 10], "weights": []}', "not a deltanet task-25 results file"),
    ('[1, 2, 3]', "not a deltanet task-25 results file"),
    ('{"schema": "deltanet.task25.run/1", "id": "x"}', "run file lacks the entry"),
])
def test_plot_refuses_corrupt_or_foreign_files(tmp_path, capsys, content, message):
    write_results(tmp_path, synthetic_results())
    bad = tmp_path / "task25" / "runs" / "bad.json"
    bad.write_text(content)
    before = snapshot(tmp_path)
    assert main(["plot", str(bad)]) == 2
    assert message in capsys.readouterr().err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.pop("label"), "run file lacks the entry 'label'"),
    (lambda r: r.pop("timing"), "run file lacks the entry 'timing'"),
    (lambda r: r["history"].pop("n_evaluation"), "history lacks 'n_evaluation'"),
    (lambda r: r.update(seed=7), "disagree with its config"),
])
def test_plot_refuses_a_run_file_missing_what_the_figures_need(tmp_path, capsys, edit,
                                                                message):
    record = synthetic_results()["overfitting"][0]
    edit(record)
    path = tmp_path / "run.json"
    path.write_text(json.dumps(record))
    assert main(["plot", str(path)]) == 2            # not a KeyError traceback
    assert message in capsys.readouterr().err
    assert not (tmp_path / "figures").exists()


def test_plot_refuses_a_corrupt_listed_run_before_drawing_anything(tmp_path, capsys):
    tdir = write_results(tmp_path, synthetic_results())
    run_file = sorted((tdir / "runs").glob("*.json"))[-1]
    run_file.write_text(run_file.read_text()[:-40])
    before = snapshot(tmp_path)
    assert main(["plot", str(tmp_path)]) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    assert snapshot(tmp_path) == before
    assert main(["plot", str(tmp_path / "nowhere")]) == 2
    assert "results file not found" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["plot", str(tmp_path / "empty")]) == 2
    assert "no task-25 results here" in capsys.readouterr().err


# ------------------------------------------------------------ commands --

def test_run_command_end_to_end(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["run", "overfitting", "regularization", *TINY_ARGS, "--out", str(out),
            "--workers", "0", "--quiet", "--seeds", "1,2"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "\n25b:\n" in text and "\n25c:\n" in text and "With λ = 0.1" in text
    tdir = out / "runs" / "overfitting+regularization" / "task25"
    index = runner.load_index(tdir)
    assert [len(index["experiments"][n]["runs"]) for n in ("overfitting", "regularization")] == [2, 2]
    assert {p.stem for p in (tdir / "figures").glob("*.png")} == set(
        FIGURES["25b"] + FIGURES["25c"])
    assert main(argv) == 0
    assert "0 trained (0 resumed), 4 reused" in capsys.readouterr().out


def _quick_task25(monkeypatch):
    monkeypatch.setitem(EXPERIMENTS, "cost-comparison", EXPERIMENTS["cost-comparison"].__class__(
        **{**EXPERIMENTS["cost-comparison"].__dict__,
           "quick": {"epochs": 2, "train_size": 300, "sizes": (784, 10, 10)}}))
    for name in ("overfitting", "regularization"):
        monkeypatch.setitem(EXPERIMENTS, name, EXPERIMENTS[name].__class__(
            **{**EXPERIMENTS[name].__dict__,
               "quick": {"epochs": 4, "train_size": 100, "sizes": (784, 10, 10)}}))


def test_sheet_serial_runs_every_part_and_reports_a_failing_one(tmp_path, capsys, monkeypatch):
    from deltanet.experiments import sheet
    calls = []

    def fake_side_part(part, out, lang, quick, progress, force):
        calls.append((part, out, lang, quick, force))
        return (f"summary of {part}", None) if part == "gradients" else (None, "Boom: broken")
    monkeypatch.setattr(sheet, "_side_part", fake_side_part)
    _quick_task25(monkeypatch)
    out = tmp_path / "out"
    code = main(["sheet", "--quick", "--out", str(out), "--skip", "report", "--quiet",
                 "--workers", "0", "--lang", "de"])
    captured = capsys.readouterr()
    assert code == 1, captured.out                        # the failing part counts
    assert calls == [("gradients", str(out), "de", True, False),
                     ("complex", str(out), "de", True, False)]
    after = captured.out.split("Aufgabe 25 fertig")[1]
    assert "summary of gradients" in after and "== Tutoraufgabe" in after
    assert "complex: error: Boom: broken" in captured.err
    assert "report" not in after
    summary = json.loads((out / "task25" / "summary.json").read_text())
    assert set(summary["experiments"]) == set(EXPERIMENTS)
    assert all(p for p in summary["figures"].values())


def test_sheet_runs_task26_and_complex_alongside_task25(tmp_path, capsys, monkeypatch):
    """Default mode: the two side parts run (for real, --quick) in a background process."""
    _quick_task25(monkeypatch)
    out = tmp_path / "out"
    code = main(["sheet", "--quick", "--out", str(out), "--skip", "report", "--quiet",
                 "--workers", "1"])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "run alongside in the background" in text
    after = text.split("task 25 finished")[1]
    assert after.index("== task 26") < after.index("== tutorial task")
    gradients = json.loads((out / "gradients" / "results.json").read_text())
    complex_results = json.loads((out / "complex" / "results.json").read_text())
    assert gradients["config"]["quick"] is True
    assert complex_results["gradient_check"]["passed"] is True
    # the printed answers are the stored numbers
    assert re.search(rf"Maximum length L\*\s+{gradients['b']['maximum']['L_star']:.7f}\n", after)


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in EXPERIMENTS) and "seed: 1" in out
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    # every experiment starts from the large initializer; --init must not claim otherwise
    assert "large: N(0, 1) weights (the experiments' default" in " ".join(
        capsys.readouterr().out.split())


@pytest.mark.parametrize("argv, message", [
    (["run", "nonexistent"], "unknown experiment 'nonexistent'"),
    (["run", "overfitting", "--epochs", "-5"], "epochs must be an integer >= 1; got -5"),
    (["run", "overfitting", "--epochs", "many"], "epochs: cannot parse 'many' as an integer"),
    (["run", "overfitting", "--train-size", "50001"],
     "train_size must be an integer between 1 and 50,000; got 50001 (the MNIST"),
    (["run", "overfitting", "--seeds", "3..1"], "--seeds: the range '3..1' is empty"),
    (["sweep", "overfitting", "--grid", "gamma=1,2"], "unknown grid key 'gamma'"),
    (["sweep", "overfitting", "--grid", "eta=1,x"], "eta: cannot parse 'x' as a number"),
    (["sweep", "overfitting", "--grid", "eta=1", "--eta", "2"], "given both as an override"),
    (["sheet", "--skip", "everything"], "skip: unknown part(s) everything"),
    (["run", "overfitting", "--workers", "-1"], "workers must be an integer between 0 and 4,096"),
])
def test_bad_input_exits_2_before_anything_is_written(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    assert main(argv + ["--out", str(out), "--quiet"]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_output_dir_that_is_a_file_or_not_writable(tmp_path, capsys):
    a_file = tmp_path / "results"
    a_file.write_text("keep me")
    assert main(["run", "overfitting", *TINY_ARGS, "--out", str(a_file), "--quiet"]) == 2
    assert "is a file, not a directory" in capsys.readouterr().err
    assert a_file.read_text() == "keep me"
    assert main(["run", "overfitting", *TINY_ARGS, "--out", str(a_file / "sub"), "--quiet"]) == 2
    assert "is a file" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        writable = os.access(locked, os.W_OK)       # root may write anyway
        code = main(["run", "overfitting", *TINY_ARGS, "--out", str(locked / "o"), "--quiet"])
        if writable:
            assert code == 0
        else:
            assert code == 2 and "cannot write into" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)
    assert main(["run", "overfitting", *TINY_ARGS, "--out", "/proc/deltanet-out",
                 "--quiet"]) == 2
    assert "cannot write into /proc" in capsys.readouterr().err


# ------------------------------------------------------------ sweeps --

def test_sweep_on_a_dask_local_cluster(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")     # the 'dask' extra (in [test])
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        code = main(["sweep", "overfitting", "--grid", "eta=0.5,2", "lmbda=0,1",
                     "--seeds", "1..2", "--epochs", "2", "--train-size", "100",
                     "--sizes", "784,10,10", "--out", str(out), "--quiet",
                     "--scheduler", cluster.scheduler_address])
    assert code == 0, capsys.readouterr().err
    tdir = out / "runs" / "sweep-overfitting" / "task25"
    sweeps = list((tdir / "sweeps").glob("overfitting-*.json"))
    assert len(sweeps) == 1
    sweep = json.loads(sweeps[0].read_text())
    assert [p["params"] for p in sweep["points"]] == [
        {"eta": 0.5, "lmbda": 0.0}, {"eta": 0.5, "lmbda": 1.0},
        {"eta": 2.0, "lmbda": 0.0}, {"eta": 2.0, "lmbda": 1.0}]
    assert len(list((tdir / "runs").glob("*.json"))) == 8
    assert sweeps[0].with_suffix(".png").stat().st_size > 1000
    # Independent check of one grid point: the same runs straight through the core.
    point = sweep["points"][2]
    finals = []
    for seed in (1, 2):
        config, = expand("overfitting", {"epochs": 2, "train_size": 100,
                                         "sizes": (784, 10, 10), "eta": 2.0, "lmbda": 0.0},
                         [seed])
        finals.append(reference_history(config).evaluation_accuracy[-1] / 100)
    assert point["final_test_accuracy"]["values"] == finals
    assert point["final_test_accuracy"]["mean"] == pytest.approx(np.mean(finals))
    # Redrawing the sweep needs no cluster; a second sweep reuses every run.
    assert main(["plot", str(sweeps[0])]) == 0
    assert main(["sweep", "overfitting", "--grid", "eta=0.5,2", "lmbda=0,1", "--seeds", "1..2",
                 "--epochs", "2", "--train-size", "100", "--sizes", "784,10,10",
                 "--out", str(out), "--quiet", "--workers", "0"]) == 0
    assert "0 trained, 8 reused" in capsys.readouterr().out


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(execution, "SCHEDULER_TIMEOUT", "0.5s")
    code = main(["sweep", "overfitting", "--grid", "eta=1", "--epochs", "1", "--out",
                 str(tmp_path / "o"), "--quiet", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "cannot connect to a Dask scheduler" in capsys.readouterr().err
