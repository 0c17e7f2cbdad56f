"""Faults a chaos review of the command line found: concurrent commands on one
output set, interrupted runs shown as if finished, a full disk, a closed pipe,
a damaged sweep file.

Each test reproduces one problem (it failed before the fix); the runs are tiny
(a [784, 10, 10] net on 100 training images for 2-3 epochs).
"""

import errno
import json
import subprocess
import sys
import threading
import time

import pytest

from deltanet.cli.main import main
from deltanet.experiments import runner, sheet, store
from deltanet.experiments.definitions import RunConfig, expand

TINY = {"train_size": 100, "sizes": (784, 10, 10)}
TINY_ARGS = ["--epochs", "2", "--train-size", "100", "--sizes", "784,10,10", "--workers", "0",
             "--quiet"]


def _variant_runs(summary):
    return [r for v in summary["experiments"]["overfitting"]["variants"].values()
            for r in v["runs"]]


def test_two_commands_on_one_set_leave_index_summary_and_table_of_the_same_runs(
        tmp_path, monkeypatch, capsys):
    """'run' A and 'run' B on the same set: B recorded its runs in the index and
    wrote its summary after A had written the index but before A read it back;
    A then printed (and stored) B's numbers as its own, or left a summary.json of
    other runs than the index lists. Now the set is locked from the index to the
    figures: B waits ('waiting for another deltanet process')."""
    options = dict(out=tmp_path, set_name="s", workers=0, progress=False, **TINY)
    real_update = runner.update_index
    other, seen = {}, []

    def update_then_let_b_run(tdir, entries):
        index = real_update(tdir, entries)
        if not other:           # A's update: B runs now, until it ends or waits for A
            thread = other["b"] = threading.Thread(target=lambda: other.update(
                result=sheet.run_experiment("overfitting", epochs=3, **options)))
            thread.start()
            while thread.is_alive() and "waiting for another deltanet process" not in \
                    "".join(seen):
                seen.append(capsys.readouterr().err)
                time.sleep(0.05)
        return index
    monkeypatch.setattr(runner, "update_index", update_then_let_b_run)
    a = sheet.run_experiment("overfitting", epochs=2, **options)
    other["b"].join()
    b = other["result"]
    a_run, = [r["id"] for r in a.records]
    b_run, = [r["id"] for r in b.records]
    assert _variant_runs(a.summary) == [a_run] and _variant_runs(b.summary) == [b_run]
    tdir = tmp_path / "runs" / "s" / "task25"
    index = json.loads((tdir / "results.json").read_text())["experiments"]["overfitting"]
    assert _variant_runs(json.loads((tdir / "summary.json").read_text())) == index["runs"]


def test_plot_names_a_run_that_was_interrupted(tmp_path, capsys):
    """After 'run --force' was killed (or Ctrl-C), the index lists a partial run;
    'plot' printed its table and claims ('peaks in epoch 1 of 1') without a word
    that the run stopped after 1 of 3 epochs."""
    config, = expand("overfitting", dict(TINY, epochs=3), [4])
    path = store.run_path(tmp_path, config)
    record = runner.execute_run(config, path, checkpoint_seconds=0, should_stop=lambda: True)
    assert record["status"] == "partial" and record["history"]["epochs_completed"] == 1
    store.update_index(store.task_dir(tmp_path), {"overfitting": {"runs": [config.run_id()]}})
    assert main(["plot", str(tmp_path)]) == 0
    assert "seed 4, interrupted after 1 of 3 epochs" in capsys.readouterr().out
    assert main(["plot", str(tmp_path), "--lang", "de"]) == 0
    assert "Seed 4, unterbrochen nach 1 von 3 Epochen" in capsys.readouterr().out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_a_full_disk_says_what_to_do_and_the_rerun_keeps_the_runs(tmp_path, capsys,
                                                                    monkeypatch):
    """ENOSPC while the summary was written: 'error: OSError: [Errno 28] cannot write
    ...' with no word on what to do."""
    import deltanet.serialization as ser
    real = ser.os.fsync

    def full_at_summary(fd):
        if "summary.json" in str(ser.os.readlink(f"/proc/self/fd/{fd}")):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)
    monkeypatch.setattr(ser.os, "fsync", full_at_summary)
    argv = ["run", "overfitting", "--out", str(tmp_path), *TINY_ARGS]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "OSError" not in err
    assert "summary.json: No space left on device; free some space" in err
    assert "run the same command again" in err
    monkeypatch.setattr(ser.os, "fsync", real)
    assert main(argv) == 0
    assert "0 trained (0 resumed), 1 reused" in capsys.readouterr().out


def test_a_closed_pipe_ends_quietly(tmp_path):
    """'deltanet list | head -1': 'error: BrokenPipeError' (exit 1), or Python's
    'Exception ignored ... BrokenPipeError' at exit (exit 120)."""
    with subprocess.Popen([sys.executable, "-m", "deltanet.cli.main", "list"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        child.stdout.close()                # the reader is gone before the first line
        err = child.stderr.read().decode()
    assert child.returncode == 141 and err == ""


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    assert main(["sweep", "overfitting", "--grid", "lmbda=0", "--out", str(out), *TINY_ARGS]) == 0
    path, = (out / "runs" / "sweep-overfitting" / "task25" / "sweeps").glob("*.json")
    assert main(["plot", str(path)]) == 0              # the file as written draws
    return path


@pytest.mark.parametrize("edit", [
    lambda stat: stat.update(mean="NaN"),
    lambda stat: stat.update(max=-5),
    lambda stat: stat.update(min=[1]),
])
def test_a_damaged_sweep_file_is_refused_naming_it(sweep_file, tmp_path, capsys, edit):
    """A sweep file with a text, a list or max < mean failed deep in matplotlib
    ("'yerr' must not contain negative values", "TypeError: unsupported operand")
    without naming the file."""
    data = json.loads(sweep_file.read_text())
    path = tmp_path / sweep_file.name
    edit(data["points"][0]["final_test_accuracy"])
    path.write_text(json.dumps(data))
    assert main(["plot", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: point 1" in err and "final_test_accuracy" in err and "Type" not in err


def _ctrl_c_in_epoch_2(monkeypatch):
    """Raise Ctrl-C in the second epoch of the next training (from the per-epoch hook)."""
    real, calls = runner.epoch_postfix, []

    def ctrl_c_in_epoch_2(history):     # runs after every epoch, inside the training
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(history)
    monkeypatch.setattr(runner, "epoch_postfix", ctrl_c_in_epoch_2)
    return real


def test_ctrl_c_of_a_forced_run_says_how_to_resume_it(tmp_path, monkeypatch, capsys):
    """'run --force' stopped by Ctrl-C said 'resumed by the same command'; the same
    command (--force) ignores the checkpoint and trains from scratch again."""
    _ctrl_c_in_epoch_2(monkeypatch)
    argv = ["run", "overfitting", "--out", str(tmp_path), *TINY_ARGS, "--epochs", "3",
            "--checkpoint-seconds", "0"]
    assert main(argv + ["--force"]) == 130
    err = capsys.readouterr().err
    assert "resumed by the same command without --force" in err, err
    assert main(argv) == 0                                  # as the message says
    assert "1 trained (1 resumed)" in capsys.readouterr().out


def test_a_killed_pool_worker_is_reported_as_such():
    """kill -9 of one pool worker (or the out-of-memory killer) printed 'BrokenProcessPool:
    A process in the process pool was terminated abruptly ...' for every run of the pool,
    with no word that the saved epochs are kept (found by hand: the rerun resumed both)."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    from deltanet.experiments import execution
    config, = expand("overfitting", dict(TINY, epochs=3), [6])
    future = Future()
    future.set_exception(BrokenProcessPool("A process in the process pool was terminated"))
    result = runner.BatchResult()
    execution._collect(future, config, result, execution._Bars(False))
    message = result.failed[config.run_id()]
    assert "worker process died" in message and "the same command starts it again" in message


def test_an_index_listing_a_run_twice_is_refused(tmp_path, capsys):
    """An index edited to list one run twice gave a table of 'seeds 1,1' with
    '± 0.00' and claims 'about the mean curve over 2 seeds'."""
    config, = expand("overfitting", dict(TINY, epochs=2), [1])
    runner.execute_run(config, store.run_path(tmp_path, config))
    store.update_index(store.task_dir(tmp_path), {"overfitting": {"runs": [config.run_id()] * 2}})
    assert main(["plot", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "[unique ids]" in err and "delete it to start a new index" in err


@pytest.mark.parametrize("part, content", [
    ("gradients", {"a": {}, "b": "NaN", "c": {}, "vanishing": {}, "exploding": {}}),
    ("complex", {"complete": True, "gradient_check": {}, "task": "NaN", "mnist": {}}),
])
def test_replot_of_an_edited_results_file_names_it(tmp_path, capsys, part, content):
    """'gradients --replot' and 'complex --replot' of a results.json with a text where
    a table was: 'error: TypeError: string indices must be integers', no file named."""
    from deltanet.experiments import complex_task, gradients
    schema = {"gradients": gradients.SCHEMA, "complex": complex_task.SCHEMA}[part]
    path = tmp_path / part / "results.json"
    path.parent.mkdir()
    path.write_text(json.dumps(dict(content, schema=schema)))
    assert main([part, "--replot", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{path} is damaged or was edited" in err, err
    assert f"'deltanet {part} --out {tmp_path}' computes it again" in err


def test_a_file_of_another_deltanet_version_says_so(tmp_path, capsys):
    """An index or run file of a newer layout was 'not a deltanet task-25 results index'
    with the advice to delete it, as if it were foreign."""
    config, = expand("overfitting", dict(TINY, epochs=2), [1])
    path = store.run_path(tmp_path, config)
    runner.execute_run(config, path)
    store.update_index(store.task_dir(tmp_path), {"overfitting": {"runs": [config.run_id()]}})
    tdir = store.task_dir(tmp_path)
    for target, schema in ((path, store.RUN_SCHEMA), (tdir / "results.json", store.INDEX_SCHEMA)):
        data = json.loads(target.read_text())
        data["schema"] = schema.replace("/1", "/2")
        target.write_text(json.dumps(data))
        with pytest.raises(ValueError) as error:        # as 'run', 'sheet', 'plot' read them
            store.load_results(tdir, store.load_index(tdir))
        assert f"found '{data['schema']}': written by another version of deltanet" in \
            str(error.value)
    assert main(["plot", str(path)]) == 2
    assert "written by another version of deltanet" in capsys.readouterr().err


def test_a_set_name_too_long_for_the_file_system_is_exit_2(tmp_path, capsys):
    """'run --name' with 300 characters: 'error: OSError: [Errno 36] File name too long'
    with exit code 1 (a fault of the machine) instead of 2 (the user's to fix)."""
    assert main(["run", "overfitting", "--name", "x" * 300, "--out", str(tmp_path),
                 *TINY_ARGS]) == 2
    err = capsys.readouterr().err
    assert "longer than the 255 bytes file systems take; choose a shorter name" in err
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_that_lands_in_a_garbage_collection_callback_still_stops(
        tmp_path, monkeypatch, capsys):
    """Python reports a KeyboardInterrupt raised inside a weakref callback as "Exception
    ignored" and goes on. A Ctrl-C at such a moment (seen while the sheet drew its
    figures) was lost and printed that report; the CLI delivers it again: exit 130, the
    usual message, no traceback. Other unraisable errors still go to the previous hook."""
    import weakref

    from deltanet.cli import experiments as cli_experiments

    class Thing:
        pass

    def interrupt(ref):
        raise KeyboardInterrupt

    def command(args):
        thing = Thing()
        ref = weakref.ref(thing, interrupt)     # noqa: F841 (kept alive until the del)
        del thing                               # the callback raises; Python goes on
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:      # the Ctrl-C delivered again arrives here
            pass
        return 0
    monkeypatch.setattr(cli_experiments, "cmd_list", command)
    assert main(["list"]) == 130
    err = capsys.readouterr().err
    assert "deltanet list: interrupted" in err and "Exception ignored" not in err, err

    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)

    def fails(args):
        thing = Thing()
        ref = weakref.ref(thing, lambda r: 1 / 0)   # noqa: F841
        del thing
        return 0
    monkeypatch.setattr(cli_experiments, "cmd_list", fails)
    assert main(["list"]) == 0
    assert [type(u.exc_value) for u in seen] == [ZeroDivisionError]
    assert sys.unraisablehook == seen.append        # restored after the command


def test_the_side_process_never_draws_in_a_daemon_thread(monkeypatch):
    """Ctrl-C of the sheet stops the side process with SIGTERM. Its figures were drawn in
    daemon threads, and one stopped by the interpreter's exit inside matplotlib's C++
    code aborted the process ("terminate called without an active exception", 3 of 10
    Ctrl-Cs near the end of a sheet). They are drawn in the main thread now, which
    SIGTERM stops between two Python steps (files are written atomically)."""
    drawn = []

    def compute(part, *args):
        return lambda: drawn.append((part, threading.current_thread().daemon)) or ("", None)
    monkeypatch.setattr(sheet, "_side_compute", compute)
    sheet._run_side_parts(["gradients", "complex"], "unused", "en", True, False)
    assert sorted(drawn) == [("complex", False), ("gradients", False)]


def test_a_stopped_forced_retrain_keeps_the_stored_run(tmp_path, monkeypatch, capsys):
    """'run --force' deleted a complete run before retraining it: a Ctrl-C (or kill -9)
    half-way left only the partial retrain. The stored run now stays, byte for byte,
    until the retrained one replaces it."""
    argv = ["run", "overfitting", "--out", str(tmp_path), *TINY_ARGS, "--epochs", "3",
            "--checkpoint-seconds", "0"]
    assert main(argv) == 0
    path, = (tmp_path / "runs" / "overfitting" / "task25" / "runs").glob("*.json")
    stored = path.read_bytes()
    real = _ctrl_c_in_epoch_2(monkeypatch)
    capsys.readouterr()
    assert main(argv + ["--force"]) == 130
    err = capsys.readouterr().err
    assert f"the stored run(s) {path.stem} stay as they were" in err, err
    assert "resumed" not in err and path.read_bytes() == stored
    monkeypatch.setattr(runner, "epoch_postfix", real)
    assert main(argv) == 0                  # as the message says: used without --force
    assert "0 trained" in capsys.readouterr().out and path.read_bytes() == stored
    config = RunConfig.from_dict(json.loads(stored)["config"])
    record = runner.execute_run(config, path, force=True, checkpoint_seconds=0,
                                should_stop=lambda: True)
    assert record.pop(runner.KEPT) and record == store.load_run(path)
    assert path.read_bytes() == stored
    batch = runner.run_configs([config], tmp_path / "runs" / "overfitting", workers=0,
                               progress=False, force=True)  # a retrain that finishes replaces it
    assert batch.trained == [config.run_id()] and batch.kept == []
    assert store.load_run(path)["timing"] != json.loads(stored)["timing"]


def test_a_finished_forced_retrain_replaces_a_longer_stored_run(tmp_path):
    """A forced retrain that diverged after fewer epochs than the run it replaces is
    stored; otherwise a stored run never goes backwards."""
    config, = expand("overfitting", dict(TINY, epochs=3), [0])
    path = store.run_path(tmp_path, config)
    with store.locked(path):
        complete = runner.execute_run(config)
        store.save_run(path, complete)
        shorter = runner.execute_run(config, checkpoint_seconds=0, should_stop=lambda: True)
        assert shorter["history"]["epochs_completed"] == 1
        with pytest.raises(ValueError, match="never goes backwards"):
            store.save_run(path, shorter)
        store.save_run(path, shorter, replace=True)
    assert store.load_run(path)["history"]["epochs_completed"] == 1
