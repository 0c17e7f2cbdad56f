"""Problems found in the review of session 24 (one test each; every test failed before its fix).

Area: what survives interruption, concurrency and damaged files. Subprocesses
only where signals to a process group are the point; runs are tiny (a
[784, 10, 10] net on 100 training images).
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from deltanet.cli.main import main
from deltanet.experiments import execution, runner
from deltanet.experiments.definitions import expand

TINY = {"train_size": 100, "sizes": (784, 10, 10)}
TINY_ARGS = ["--train-size", "100", "--sizes", "784,10,10", "--quiet"]


def _deltanet_in_own_group(*argv):
    """``deltanet ARGV`` in a session of its own, Ctrl-C not ignored (as in a terminal)."""
    code = ("import signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
            "from deltanet.cli.main import main; sys.exit(main(sys.argv[1:]))")
    return subprocess.Popen([sys.executable, "-c", code, *map(str, argv)],
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_group_sigterm_before_the_first_checkpoint_does_not_say_epochs_are_saved(tmp_path):
    """SIGTERM to the whole process group (a service manager) killed the pool worker
    before it had saved an epoch; the messages said 'the epochs saved so far are kept
    and the same command resumes' and 'the finished epochs are saved and resumed by the
    same command', but there was no run file: the rerun started from scratch."""
    runs = tmp_path / "runs" / "overfitting" / "task25" / "runs"
    child = _deltanet_in_own_group("run", "overfitting", "--out", tmp_path, "--epochs", "400",
                                   "--workers", "1", "--checkpoint-seconds", "3600", *TINY_ARGS)
    deadline = time.monotonic() + 120
    while not any(runs.glob(".*.lock")):        # the worker holds the run: it trains
        assert child.poll() is None and time.monotonic() < deadline, child.communicate()
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGTERM)
    err = child.communicate(timeout=120)[1]
    assert child.returncode == 143, err
    assert not list(runs.glob("*.json"))            # nothing was saved ...
    assert "saved epochs are kept" not in err and "are saved and resumed" not in err, err
    assert "it had saved no epoch of this run: the same command starts it again" in err
    assert "the stopped runs have no epoch saved" in err


def test_a_killed_worker_names_the_epochs_its_file_keeps(tmp_path, capsys):
    """The other side of the test above: a dead worker whose run has a checkpoint says
    how many epochs are kept, and the run counts as saved (the rerun resumes it); one
    whose --force retrain of a stored finished run died says that run stays."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool
    config, = expand("overfitting", dict(TINY, epochs=200), [3])
    result = runner.BatchResult()
    path = result.paths[config.run_id()] = runner.run_path(tmp_path, config)
    should_stop = iter([False, False, True]).__next__      # stopped after epoch 3
    runner.execute_run(config, path, should_stop=should_stop)
    future = Future()
    future.set_exception(BrokenProcessPool("A process in the process pool was terminated"))
    execution._collect(future, config, result, execution._Bars(False))
    assert "its 3 saved epochs are kept and the same command resumes from them" in \
        result.failed[config.run_id()]
    assert result.records[config.run_id()]["history"]["epochs_completed"] == 3
    assert json.loads(path.read_text())["status"] == "partial"
    finished, = expand("overfitting", dict(TINY, epochs=2), [3])    # its --force retrain died
    path = result.paths[finished.run_id()] = runner.run_path(tmp_path, finished)
    runner.execute_run(finished, path)
    execution._collect(future, finished, result, execution._Bars(False))
    assert result.failed[finished.run_id()].endswith("; the stored run stays as it was")
    assert execution.KEPT in result.records[finished.run_id()]


def test_ctrl_c_of_complex_says_what_its_results_file_holds(tmp_path, monkeypatch):
    """Ctrl-C of 'deltanet complex' before its first part finished said 'the finished parts
    are in OUT/complex/results.json (... --replot shows them)': there was no such file and
    --replot failed; with complete results stored before, the 'finished parts' were those
    old results. Now the stop names what the file holds (the CLI prints that message)."""
    from deltanet.experiments import complex_task

    def ctrl_c(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(complex_task, "_gradient_check", ctrl_c)
    with pytest.raises(KeyboardInterrupt, match="before the first part .* nothing saved"):
        complex_task.run_complex(tmp_path, quick=True, progress=False, plot=False)
    assert not (tmp_path / "complex" / "results.json").exists()
    monkeypatch.setattr(complex_task, "_gradient_check", lambda *args: {"passed": True})
    monkeypatch.setattr(complex_task, "run_task", ctrl_c)
    with pytest.raises(KeyboardInterrupt, match=r"finished parts \(gradient_check\) are saved"):
        complex_task.run_complex(tmp_path, quick=True, progress=False, plot=False)
    monkeypatch.setattr(complex_task, "run_task", lambda *args: {})
    monkeypatch.setattr(complex_task, "run_mnist", lambda *args: {})
    complex_task.run_complex(tmp_path, quick=True, progress=False, plot=False)
    monkeypatch.setattr(complex_task, "run_mnist", ctrl_c)
    with pytest.raises(KeyboardInterrupt, match="keeps the complete results saved there before"):
        complex_task.run_complex(tmp_path, quick=True, progress=False, plot=False)
    assert complex_task.load_complex_results(tmp_path)["complete"] is True


def test_the_sheet_names_a_damaged_stored_side_part_and_the_command_that_redoes_it(tmp_path):
    """'deltanet sheet' reuses OUT/gradients/results.json when its settings match; an
    edited or damaged one (a part deleted) failed with 'gradients: error: ValueError:
    results lack the part(s) ...' (for the complex task 'KeyError: 'real''): no file
    named, no way out, and the same command failed again every time."""
    from deltanet.experiments import gradients, sheet
    from deltanet.serialization import atomic_write_json, jsonable
    path = tmp_path / "gradients" / "results.json"
    path.parent.mkdir()
    atomic_write_json(path, {"schema": gradients.SCHEMA, "seeds": list(gradients.DEFAULT_SEEDS),
                             "config": jsonable(dict(gradients.make_config(True), lang="en"))})
    before = path.read_bytes()
    text, error = sheet._side_part("gradients", tmp_path, "en", True, False)
    assert text is None and path.read_bytes() == before
    assert error.startswith(f"{path} is damaged or was edited (ValueError: results lack"), error
    assert error.endswith(f"'deltanet gradients --out {tmp_path} --quick' computes it again")


def test_complete_complex_results_written_meanwhile_are_not_replaced_by_a_partial(
        tmp_path, monkeypatch):
    """Two 'deltanet complex' (or two sheets) on one folder: B decided at its start that
    nothing complete was stored, A then finished; B's next part overwrote A's complete
    results.json with its incomplete one, and a Ctrl-C of B left only that."""
    from deltanet.experiments import complex_task
    path = tmp_path / "complex" / "results.json"

    def other_process_finishes(*args):
        complex_task.atomic_write_json(path, {"schema": complex_task.SCHEMA, "complete": True,
                                              "by": "A"})
        return {}

    def ctrl_c(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(complex_task, "_gradient_check", lambda *args: {"passed": True})
    monkeypatch.setattr(complex_task, "run_task", other_process_finishes)
    monkeypatch.setattr(complex_task, "run_mnist", ctrl_c)
    with pytest.raises(KeyboardInterrupt, match="keeps the complete results saved there"):
        complex_task.run_complex(tmp_path, quick=True, progress=False, plot=False)
    assert complex_task.load_complex_results(tmp_path) == {
        "schema": complex_task.SCHEMA, "complete": True, "by": "A"}


def test_ctrl_c_while_task_26_draws_says_its_results_are_saved(tmp_path, monkeypatch, capsys):
    """Ctrl-C of 'deltanet gradients' while the figures were drawn said 'run the same
    command again to finish', which computes all of task 26 again (minutes), though
    results.json was complete: '--replot' draws the figures in seconds."""
    from deltanet.experiments import gradients
    from deltanet.plots import gradients as plots
    parts = {key: {} for key in ("a", "b", "c", "vanishing", "exploding")}
    monkeypatch.setattr(gradients, "_stage_math", lambda cfg, seeds, progress, done, timing: (
        parts, timing, None))
    monkeypatch.setattr(gradients, "_stage_data", lambda *args: (parts, {}))

    def ctrl_c(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(plots, "plot_gradients", ctrl_c)
    assert main(["gradients", "--quick", "--quiet", "--out", str(tmp_path)]) == 130
    err = capsys.readouterr().err
    assert "the results are saved in" in err and "run the same command again" not in err, err
    assert f"'deltanet gradients --replot --out {tmp_path}' draws the figures" in err
    assert gradients.load_results(tmp_path)["exploding"] == {}


def test_a_full_disk_in_a_pool_worker_says_what_to_do_and_what_is_kept(tmp_path):
    """A full disk while a pool worker saved its run printed 'run ... failed: OSError:
    [Errno 28] cannot write ...: No space left on device': no word of what to do nor
    that the epochs saved before are kept (the serial path and every other command say
    'free some space')."""
    import errno
    from concurrent.futures import Future
    config, = expand("overfitting", dict(TINY, epochs=200), [4])
    result = runner.BatchResult()
    path = result.paths[config.run_id()] = runner.run_path(tmp_path, config)
    runner.execute_run(config, path, should_stop=iter([False, True]).__next__)
    future = Future()
    future.set_exception(OSError(errno.ENOSPC, f"cannot write {path}: No space left on device"))
    execution._collect(future, config, result, execution._Bars(False))
    assert result.failed[config.run_id()] == (
        f"[Errno 28] cannot write {path}: No space left on device (free some space); its 2 "
        "saved epochs are kept and the same command resumes from them")


def test_a_read_only_output_folder_is_one_line_exit_2_in_plot_report_gradients_complex(
        tmp_path, monkeypatch, capsys):
    """On a read-only file system (or for root, where chmod stops no write) 'plot' and
    'report' of a stored set and 'gradients'/'complex' failed with 'OSError: [Errno 30]
    Read-only file system: '.../.task25.lock' (set DELTANET_DEBUG=1 for the traceback)',
    exit 1, as if deltanet had a bug; 'run' and 'sheet' said what to do, exit 2."""
    import errno
    out = tmp_path / "ro"
    (out / "task25").mkdir(parents=True)
    runner.write_json(out / "task25" / "results.json", runner.load_index(out / "task25"))
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):       # what a read-only mount answers
        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | getattr(os, "O_TMPFILE", 0)
        if str(path).startswith(str(out)) and flags & writes:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", read_only)
    for argv in (["plot", out], ["report", out],
                 ["gradients", "--quick", "--quiet", "--out", out],
                 ["complex", "--quick", "--quiet", "--out", out]):
        assert main(list(map(str, argv))) == 2, argv
        err = capsys.readouterr().err
        assert "cannot write into" in err and "Read-only file system" in err, err
        assert "DELTANET_DEBUG" not in err and len(err.strip().splitlines()) == 1, err
