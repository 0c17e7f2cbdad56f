"""Issue 14 reproduced: hostile inputs and faults against the CLI and the API.

Each test names the item of the issue it reproduces. Subprocesses only where
processes and signals are the point (concurrent runs, kill -9 of a parent);
the rest runs in-process. The fuzz tests at the end drive the CLI parser, the
network loader and the course-pickle reader with generated input.
"""

import datetime
import errno
import gzip
import io
import json
import os
import pickle
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deltanet import Network, limits
from deltanet.cli.main import main
from deltanet.datasets import load_course_pickle, read_idx
from deltanet.experiments import runner, store
from deltanet.experiments.definitions import expand

RUN = [sys.executable, "-m", "deltanet.cli.main", "run", "overfitting", "--seed", "5",
       "--train-size", "100", "--sizes", "784,10,10", "--checkpoint-seconds", "0", "--quiet"]


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def epochs_in(path):
    try:
        return json.loads(path.read_text())["history"]["epochs_completed"]
    except (OSError, ValueError, KeyError):
        return -1


def peak_bytes(function, *args):
    """(exception or None, peak traced memory) of ``function(*args)``."""
    tracemalloc.start()
    try:
        function(*args)
        error = None
    except Exception as exc:            # noqa: BLE001 - returned to the caller to check
        error = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return error, peak


# ------------------------------------------------------------ data loss --

def test_1_concurrent_runs_of_one_config_end_with_one_complete_run(tmp_path):
    out = tmp_path / "cs"
    argv = RUN + ["--epochs", "40", "--out", str(out), "--workers", "1"]
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    config, = expand("overfitting", {"epochs": 40, "train_size": 100, "sizes": (784, 10, 10)},
                     [5])
    path = store.run_path(out / "runs" / "overfitting", config)     # run's own output set
    assert wait_for(lambda: epochs_in(path) >= 2)
    launched = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    second = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert first.poll() is None                 # the two overlap
    seen = []
    while first.poll() is None or second.poll() is None:       # never backwards
        seen.append(epochs_in(path))
        time.sleep(0.02)
    outputs = [p.communicate() for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outputs
    record = store.load_run(path)
    assert record["status"] == "complete" and record["history"]["epochs_completed"] == 40
    valid = [s for s in seen if s >= 0]
    assert all(b >= a for a, b in zip(valid, valid[1:])), valid
    # The stored run is the first process's: the second waited for it (or found
    # it finished) and never trained the run again from scratch.
    assert record["timing"]["started"] <= launched and record["timing"]["resumed_from_epoch"] == 0
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def _children(pid):
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_2_pool_workers_die_with_a_killed_parent_and_stop_writing(tmp_path):
    out = tmp_path / "out"
    argv = RUN + ["--epochs", "100000", "--out", str(out), "--workers", "1"]
    parent = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs = out / "runs" / "overfitting" / "task25" / "runs"      # run's own output set
    assert wait_for(lambda: any(epochs_in(p) >= 2 for p in runs.glob("*.json"))
                    if runs.exists() else False)
    workers = _children(parent.pid)
    assert workers
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert wait_for(lambda: not any(_alive(w) for w in workers), timeout=5), workers
    path, = runs.glob("*.json")
    before = path.read_bytes()
    time.sleep(1.0)
    assert path.read_bytes() == before


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_2_the_sheets_side_process_dies_with_a_killed_parent(tmp_path):
    """``deltanet sheet`` runs task 26 and the complex task in a background
    process while task 25 trains; kill -9 of the sheet takes it along at once
    (left alone, it would compute for many seconds more)."""
    argv = [sys.executable, "-m", "deltanet.cli.main", "sheet", "--quick", "--quiet",
            "--workers", "1", "--skip", "report", "--out", str(tmp_path / "out")]
    parent = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert "background" in parent.stdout.readline()       # started before task 25
    side = _children(parent.pid)
    assert side
    time.sleep(1.5)                       # the child is past its start-up, computing
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    assert wait_for(lambda: not any(_alive(c) for c in side), timeout=3), side


def test_2_the_sheet_ends_quietly(tmp_path):
    """The side process and its short-lived stages exit by themselves once they
    have answered: no 'leaked semaphore' or resource_tracker warning (they came
    from terminating a process that was still unregistering its locks)."""
    from deltanet.experiments.execution import Child
    child = Child(os.getpid)
    assert child.result() != os.getpid()
    child.stop(grace=10.0)
    assert child._process.exitcode == 0             # exited by itself, not terminated
    argv = [sys.executable, "-m", "deltanet.cli.main", "sheet", "--quick", "--quiet",
            "--skip", "report", "--out", str(tmp_path / "out")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for noise in ("Warning", "leaked", "Traceback", "resource_tracker"):
        assert noise not in done.stderr, done.stderr[-2000:]


def test_3_temporaries_of_a_killed_save_are_swept(tmp_path):
    """kill -9 in the middle of a save leaves ``.NAME.deltanet-PID.XXXX.tmp``;
    the next write into that folder removes it (its writer is dead)."""
    child = subprocess.run([sys.executable, "-c", """
import os, sys, tempfile
from pathlib import Path
fd, tmp = tempfile.mkstemp(dir=sys.argv[1], prefix=f".net.json.deltanet-{os.getpid()}.",
                           suffix=".tmp")
os.write(fd, b"x" * 2_000_000)
os.kill(os.getpid(), 9)
""", str(tmp_path)])
    assert child.returncode == -signal.SIGKILL
    assert len(list(tmp_path.glob(".*.tmp"))) == 1
    Network([3, 2], seed=0).save(tmp_path / "net.json")
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


# --------------------------------------------------- silent wrong results --

def _stored_run(out):
    config, = expand("overfitting", {"epochs": 2, "train_size": 60, "sizes": (784, 6, 10)}, [2])
    runner.run_configs([config], out, workers=0, progress=False)
    store.update_index(store.task_dir(out), {"overfitting": {"runs": [config.run_id()]}})
    return store.run_path(out, config)


@pytest.mark.parametrize("edit, rehash, message", [
    (lambda h: h.update(evaluation_accuracy=[3 * a for a in h["evaluation_accuracy"]]),
     False, "SHA-256 does not match its content"),
    (lambda h: h.update(evaluation_accuracy=[a + 10_000 for a in h["evaluation_accuracy"]]),
     True, "evaluation_accuracy is not a list of 2 numbers in 0..10000"),
    (lambda h: h.update(n_evaluation=0), True, "n_evaluation 0 must be a count > 0"),
])
def test_5_edited_run_files_are_refused(tmp_path, capsys, edit, rehash, message):
    path = _stored_run(tmp_path)
    record = json.loads(path.read_text())
    edit(record["history"])
    if rehash:                                  # an editor who also fixes the checksum
        record["sha256"] = store.content_hash(record)
    path.write_text(json.dumps(record))
    for command, way_out in (("plot", "--force"), ("report", "delete it, then")):
        assert main([command, str(tmp_path)]) == 2      # the report reads runs through the store
        err = capsys.readouterr().err
        assert message in err and str(path) in err and way_out in err
        assert "%" not in err and "Traceback" not in err
    assert (tmp_path / "report.html").exists()      # (session 25: with the run as a gap)


# ------------------------------------------------- tracebacks -> exit 2 --

@pytest.mark.parametrize("argv, message", [
    (["train", "--mini-batch-size", "1000000000000"], "would need about"),
    (["train", "--sizes", "784,100000000,10"], "--sizes 784,100000000,10"),
    (["train", "--epochs", "99999999999999999999"], "--epochs must be an integer between 1 and 1,000,000"),
    (["train", "--seed", "-5"], "--seed must be an integer between 0"),
    (["run", "overfitting", "--epochs", "99999999999999999999"], "--epochs must be at most"),
    (["run", "overfitting", "--mini-batch-size", "1000000000000"], "would need about"),
    (["run", "overfitting", "--sizes", "784,100000000,10"], "would need about"),
])
def test_9_huge_sizes_are_refused_before_allocating(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    extra = ["--out", str(out)] if argv[0] == "run" else ["--json", str(tmp_path / "m.json")]
    error, peak = peak_bytes(lambda: pytest.fail("exit 0") if main(
        argv + extra + ["--quiet"]) != 2 else None)
    assert error is None and peak < 50e6
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_9_seed_ranges_are_checked_before_expansion():
    error, peak = peak_bytes(limits.parse_seeds, "0..4294967295")
    assert isinstance(error, ValueError) and "more than 10,000 seeds" in str(error)
    assert peak < 1e6
    assert limits.parse_seeds("3..5,9") == [3, 4, 5, 9]
    with pytest.raises(ValueError, match="--seed must be an integer between 0"):
        limits.parse_seeds("-5", option="--seed")


@pytest.mark.parametrize("option, text, message", [
    ("--seeds", "0..4294967295", "--seeds 0..4294967295: more than 10,000 seeds"),
    ("--seed", "-5", "--seed must be an integer between 0 and 4,294,967,295; got -5"),
])
def test_9_seed_options_are_checked_before_expansion_and_named(tmp_path, capsys, option, text,
                                                               message):
    argv = ["run", "overfitting", option, text, "--out", str(tmp_path / "out"), "--quiet"]
    error, peak = peak_bytes(lambda: pytest.fail("not exit 2") if main(argv) != 2 else None)
    assert error is None and peak < 5e6
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_9_a_gzip_bomb_is_refused_after_the_promised_size(tmp_path):
    header = b"\0\0\x08\x03" + (10).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
    bomb = tmp_path / "train-images-idx3-ubyte.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        f.write(header)
        for _ in range(100):
            f.write(bytes(1 << 20))                 # 100 MiB of zeros in ~100 KiB
    assert bomb.stat().st_size < 1e6
    error, peak = peak_bytes(read_idx, bomb)
    assert isinstance(error, ValueError) and "has trailing bytes" in str(error)
    assert peak < 1e6
    huge = tmp_path / "huge.gz"                     # a header promising 2**96 bytes
    huge.write_bytes(gzip.compress(b"\0\0\x08\x03" + b"\xff\xff\xff\xff" * 3))
    with pytest.raises(ValueError, match="would need about"):
        read_idx(huge)


def test_9_a_full_disk_is_exit_1_with_one_line(tmp_path, capsys, monkeypatch):
    import deltanet.serialization as ser

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(ser.os, "fsync", full)
    out = tmp_path / "out"
    code = main(["run", "overfitting", "--epochs", "1", "--train-size", "60", "--sizes",
                 "784,6,10", "--out", str(out), "--workers", "0", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "cannot write" in err and "No space left on device" in err
    assert not [p for p in out.rglob("*") if p.is_file() and ".lock" not in p.name]


def test_9_run_files_missing_timing_or_versions_are_exit_2(tmp_path, capsys):
    path = _stored_run(tmp_path)
    for key in ("timing", "versions"):
        record = json.loads(path.read_text())
        record.pop(key)
        record["sha256"] = store.content_hash(record)
        path.write_text(json.dumps(record))
        assert main(["plot", str(tmp_path)]) == 2
        assert f"lacks the entry '{key}'" in capsys.readouterr().err


def test_9_replot_of_a_foreign_gradients_file_is_exit_2(tmp_path, capsys):
    (tmp_path / "gradients").mkdir()
    (tmp_path / "gradients" / "results.json").write_text("[]")
    assert main(["gradients", "--out", str(tmp_path), "--replot"]) == 2
    assert "schema 'list', expected" in capsys.readouterr().err


def test_9_ctrl_c_in_gradients_is_130_and_keeps_the_finished_parts(tmp_path, capsys,
                                                                   monkeypatch):
    from deltanet.experiments import gradients

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(gradients, "part_vanishing", interrupted)
    assert main(["gradients", "--out", str(tmp_path), "--quick", "--quiet"]) == 130
    err = capsys.readouterr().err
    partial = tmp_path / "gradients" / "partial.json"
    assert f"the finished parts (a, b) are saved in {partial}" in err
    saved = json.loads(partial.read_text())
    assert saved["status"] == "partial" and saved["a"] and saved["b"]
    assert not (tmp_path / "gradients" / "results.json").exists()


def test_10_a_read_only_runs_folder_fails_before_training(tmp_path, capsys, monkeypatch):
    runs = tmp_path / "out" / "runs" / "overfitting" / "task25" / "runs"    # run's own set
    runs.mkdir(parents=True)
    trained = []
    monkeypatch.setattr(runner, "_run_data", lambda config: trained.append(config))
    real = store.tempfile.TemporaryFile

    def read_only(dir, prefix):         # what a read-only folder answers (even for root)
        if Path(dir) == runs:
            raise PermissionError(errno.EROFS, "Read-only file system")
        return real(dir=dir, prefix=prefix)
    monkeypatch.setattr(store.tempfile, "TemporaryFile", read_only)
    assert main(["run", "overfitting", "--epochs", "1", "--out", str(tmp_path / "out"),
                 "--workers", "0", "--quiet"]) == 2
    assert f"cannot write into {runs}" in capsys.readouterr().err and not trained


MALFORMED = {
    "deep nesting": '{"sizes": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "400-digit integer": '{"sizes": [%s, 10], "weights": [], "biases": [], "cost": "x"}'
                         % ("9" * 400),
    "huge sizes": '{"sizes": [100000, 100000, 100000], "weights": [], "biases": [], '
                  '"cost": "QuadraticCost"}',
    "sizes as string": '{"sizes": "21", "weights": [[[1]]], "biases": [[1]], '
                       '"cost": "QuadraticCost"}',
    "float sizes": '{"sizes": [2.9, 1.2], "weights": [[[1, 2]]], "biases": [[1]], '
                   '"cost": "QuadraticCost"}',
    "string weights": '{"sizes": [2, 1], "weights": [[["1", "2"]]], "biases": [[1]], '
                      '"cost": "QuadraticCost"}',
    "3-D biases": '{"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[[1]]]], '
                  '"cost": "QuadraticCost"}',
    "too large for float32": '{"sizes": [2, 1], "weights": [[[1e300, 2]]], "biases": [[1]], '
                             '"cost": "QuadraticCost"}',
}


@pytest.mark.parametrize("name", MALFORMED)
def test_11_malformed_network_files_are_value_errors(tmp_path, name):
    path = tmp_path / "net.json"
    path.write_text(MALFORMED[name])
    error, peak = peak_bytes(Network.load, path, "float32")
    assert isinstance(error, ValueError) and "not a network file" in str(error), error
    assert peak < 5e6


def _pickle_with_shape(shape, data=b"\0" * 16):
    """A course-style pickle whose arrays claim ``shape`` but hold ``data``."""
    class Fake:
        def __reduce__(self):
            return (np.ndarray.__reduce__(np.empty(0))[0], (np.ndarray, (0,), b"b"),
                    (1, shape, np.dtype("float32"), False, data))
    labels = np.zeros(1, np.int64)
    return pickle.dumps(((Fake(), labels),) * 3, protocol=2)


def test_12_course_pickle_shapes_are_checked_against_the_bytes_first(tmp_path):
    path = tmp_path / "mnist.pkl"
    path.write_bytes(_pickle_with_shape((10**6, 784)))
    assert path.stat().st_size < 1000
    error, peak = peak_bytes(load_course_pickle, path)
    assert isinstance(error, ValueError), error
    assert "needs 3,136,000,000 bytes, the pickle holds 16" in str(error)
    assert peak < 1e6


def test_13_smaller_items(tmp_path, capsys):
    same = str(tmp_path / "x.json")
    assert main(["train", "--save", same, "--json", same, "--quiet"]) == 2
    assert "--save and --json name the same file" in capsys.readouterr().err
    assert main(["run", "overfitting", "--seed", "-5", "--out", str(tmp_path)]) == 2
    assert "seed" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ fuzz --

FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
NUMBERS = st.one_of(st.integers(-10, 10**25).map(str), st.floats().map(str),
                    st.text(alphabet="0123456789,.-e x", max_size=12))


@pytest.fixture
def no_training(monkeypatch):
    """Training replaced by an instant stub: the fuzz is about input checking."""
    from deltanet.train import History

    def stub(self, training_data, epochs, *args, **kwargs):
        return History(n_training=len(training_data), config={"epochs": epochs})
    monkeypatch.setattr(Network, "SGD", stub)


@FUZZ
@given(options=st.dictionaries(
    st.sampled_from(["--sizes", "--epochs", "--mini-batch-size", "--seed", "--train-size",
                     "--eta", "--lmbda", "--dtype", "--cost"]), NUMBERS, max_size=4))
def test_fuzz_train_arguments(tmp_path, capsys, no_training, options):
    out = tmp_path / "fuzz"
    out.mkdir(exist_ok=True)
    for p in out.iterdir():
        p.unlink()
    argv = ["train", "--quiet", "--json", str(out / "m.json")]
    for key, value in options.items():
        argv += [f"{key}={value}"]
    tracemalloc.start()
    try:
        code = main(argv)
    except SystemExit as exc:                       # argparse's own exit 2
        code = exc.code
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "Traceback" not in err and peak < 300e6
    if code == 2:
        assert list(out.iterdir()) == []


@FUZZ
@given(sizes=st.lists(st.one_of(st.integers(-3, 10**6), st.text(max_size=3), st.floats()),
                      max_size=4),
       weights=st.recursive(st.one_of(st.floats(), st.integers(), st.text(max_size=2)),
                             lambda children: st.lists(children, max_size=3), max_leaves=12),
       cost=st.sampled_from(["QuadraticCost", "CrossEntropyCost", "x"]))
def test_fuzz_network_load(tmp_path, sizes, weights, cost):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"sizes": sizes, "weights": weights, "biases": weights,
                                "cost": cost}))
    error, peak = peak_bytes(Network.load, path)
    assert error is None or isinstance(error, ValueError), repr(error)
    assert peak < 5e6


@FUZZ
@given(shape=st.lists(st.integers(0, 10**7), min_size=1, max_size=3),
       data=st.binary(max_size=64), cut=st.integers(0, 400))
def test_fuzz_course_pickle(tmp_path, shape, data, cut):
    raw = _pickle_with_shape(tuple(shape), data)
    path = tmp_path / "p.pkl"
    path.write_bytes(raw[:cut] if cut < len(raw) else raw)
    error, peak = peak_bytes(load_course_pickle, path)
    assert error is None or isinstance(error, ValueError), repr(error)
    assert peak < 5e6
