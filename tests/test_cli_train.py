"""`deltanet train` and the entry point: output, exit codes, bad input."""

import json
import subprocess
import sys

import pytest

from deltanet import __version__
from deltanet.cli.main import main
from deltanet.network import Network


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    out = capsys.readouterr().out
    assert "--mini-batch-size" in out and "learning rate" in out


def test_train_writes_metrics_and_network(tmp_path, capsys):
    metrics, net_file = tmp_path / "m.json", tmp_path / "net.json"
    code = main(["train", "--epochs", "2", "--train-size", "500", "--sizes", "784,12,10",
                 "--json", str(metrics), "--save", str(net_file), "--quiet"])
    assert code == 0
    record = json.loads(metrics.read_text())
    history = record["history"]
    assert history["epochs_completed"] == 2
    assert len(history["evaluation_accuracy"]) == 2 and len(history["training_cost"]) == 2
    assert record["config"]["sizes"] == [784, 12, 10]
    assert Network.load(net_file).sizes == [784, 12, 10]
    assert "final test accuracy" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--eta", "-1"], "eta must be a finite number > 0; got -1.0"),
    (["--epochs", "-2"], "--epochs must be an integer between 1 and"),
    (["--epochs", "0"], "--epochs must be an integer between 1 and"),   # was silent, exit 0
    (["--train-size", "60000"], "--train-size must be between 1 and 50000"),
    (["--sizes", "784"], "sizes must list at least 2 layer widths"),
    (["--sizes", "100,10"], "input layer has 100 neurons"),
    (["--data", "/nonexistent/dir"], "neither a known data set"),
    (["--json", "/nonexistent/dir/m.json"], "does not exist"),
])
def test_bad_input_exits_2_with_message(argv, message, capsys, tmp_path):
    code = main(["train", "--epochs", "1", "--train-size", "100", "--quiet"] + argv)
    assert code == 2
    assert message in capsys.readouterr().err


def test_unknown_cost_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--cost", "hinge"])
    assert info.value.code == 2
    assert "invalid choice: 'hinge'" in capsys.readouterr().err


def test_console_script_entry_point():
    out = subprocess.run([sys.executable, "-m", "deltanet.cli.main", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "train" in out


def test_ctrl_c_keeps_completed_epochs_and_saves_exactly_their_network(tmp_path):
    import signal
    import time

    import numpy as np

    from deltanet.datasets import load_mnist
    metrics, saved = tmp_path / "m.json", tmp_path / "net.json"
    proc = subprocess.Popen([sys.executable, "-m", "deltanet.cli.main", "train", "--epochs",
                             "10000", "--train-size", "200", "--sizes", "784,5,10",
                             "--json", str(metrics), "--save", str(saved), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if metrics.exists() and json.loads(metrics.read_text())["history"]["epochs_completed"] >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    history = json.loads(metrics.read_text())["history"]
    assert history["stopped"] == "interrupted"
    assert history["epochs_completed"] >= 2
    assert len(history["evaluation_accuracy"]) == history["epochs_completed"]
    assert "interrupted: kept" in err
    # --save wrote the network of the last completed epoch, bit for bit
    reference = Network([784, 5, 10], seed=1, dtype="float32")
    reference.SGD(load_mnist().train[:200], history["epochs_completed"], 10, 0.5)
    loaded = Network.load(saved)
    for got, want in zip(loaded.weights + loaded.biases, reference.weights + reference.biases):
        np.testing.assert_array_equal(got, want.astype(np.float64))
