"""Follow-ups of the faults review: quoted commands in hints, a killed side stage,
SIGTERM, the sweep table's grid labels, over-long names, and task 26 and the
complex task reused by a second sheet.

Each test can fail on the code before its fix; runs are tiny (a [784, 10, 10] net
on 100 training images).
"""

import json
import shlex
import signal
import subprocess
import sys
import time

import pytest

from deltanet.cli.main import main
from deltanet.experiments import sheet

TINY_ARGS = ["--train-size", "100", "--sizes", "784,10,10", "--quiet"]


def test_hints_quote_paths_for_the_shell(tmp_path, capsys, monkeypatch):
    """'gradients --replot' of a damaged file suggested 'deltanet gradients --out
    /tmp/a b' (two words for one path); 'plot' of a task-26 file likewise; and the
    command a run set records (shown in the report's 'reproduce' list)."""
    from deltanet.experiments import gradients
    out = tmp_path / "my results $HOME"
    path = out / "gradients" / "results.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"schema": gradients.SCHEMA, "a": {}, "b": "NaN", "c": {},
                                "vanishing": {}, "exploding": {}}))
    assert main(["gradients", "--replot", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    command = err[err.index("'deltanet ") + 1:err.rindex("' computes it again")]
    assert shlex.split(command) == ["deltanet", "gradients", "--out", str(out)], err
    assert main(["plot", str(path)]) == 2
    err = capsys.readouterr().err
    command = err[err.index("'deltanet ") + 1:err.rindex("' redraws it")]
    assert shlex.split(command) == ["deltanet", "gradients", "--replot", "--out", str(out)]
    from deltanet.experiments import complex_task

    def ctrl_c(*args, **kwargs):     # as run_complex says it, naming what the file holds
        raise KeyboardInterrupt(complex_task._interrupted(out / "complex" / "results.json",
                                                          out))
    monkeypatch.setattr(complex_task, "run_complex", ctrl_c)    # it named no --out at all
    assert main(["complex", "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert err == ("deltanet complex: interrupted before the first part of the complex task "
                   "finished; nothing saved\n"), err
    argv = ["run", "overfitting", "--out", str(out), "--epochs", "1"]
    monkeypatch.setattr(sys, "argv", ["deltanet", *argv])       # as the index records it
    entry = sheet._entries(["overfitting"], [1], {}, False, False)["overfitting"]
    assert shlex.split(entry["command"]) == ["deltanet", *argv]


def test_a_killed_side_stage_names_the_signal_and_what_to_do(tmp_path):
    """kill -9 (or the OOM killer) of a stage process of 'deltanet sheet' printed
    'gradients: error: ChildError: the process deltanet-child stopped (exit code -9)'."""
    from deltanet.experiments.execution import in_child

    def killed_stage(function, *args):          # the stage process dies of SIGKILL
        return in_child(signal.raise_signal, signal.SIGKILL)
    text, error = sheet._side_part("complex", tmp_path, "en", True, False, call=killed_stage)
    assert text is None and "ChildError" not in error and "exit code" not in error
    assert "was killed (SIGKILL: kill -9, or the out-of-memory killer)" in error
    assert "the same command computes it again" in error


def test_sigterm_saves_like_ctrl_c_and_the_rerun_resumes(tmp_path, capsys):
    """'kill PID' of a running 'deltanet run' exited 143 at once, without a word and
    without saving the epochs since the last checkpoint; now it stops as Ctrl-C does
    (here on the process pool: the worker saves its epoch), exit 143."""
    out = tmp_path / "out"
    argv = ["run", "overfitting", "--out", str(out), "--epochs", "100", *TINY_ARGS,
            "--checkpoint-seconds", "0"]
    runs = out / "runs" / "overfitting" / "task25" / "runs"
    with subprocess.Popen([sys.executable, "-m", "deltanet.cli.main", *argv, "--workers", "1"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        deadline = time.monotonic() + 120
        while not (runs.is_dir() and any(runs.glob("*.json"))):   # epoch 1 is saved
            assert child.poll() is None and time.monotonic() < deadline, child.stderr.read()
            time.sleep(0.02)
        child.send_signal(signal.SIGTERM)
        err = child.communicate(timeout=120)[1]
    assert child.returncode == 143, err
    assert "interrupted: the finished epochs are saved and resumed by the same command" in err
    saved = json.loads(next(runs.glob("*.json")).read_text())
    done = saved["history"]["epochs_completed"]
    assert saved["status"] == "partial" and 1 <= done < 100
    assert main(argv + ["--workers", "0"]) == 0
    assert "1 trained (1 resumed)" in capsys.readouterr().out
    record = json.loads(next(runs.glob("*.json")).read_text())
    assert record["status"] == "complete" and record["timing"]["resumed_from_epoch"] == done


@pytest.mark.parametrize("lang, expected", [("en", "η = 0.5, λ = 0"), ("de", "η = 0,5, λ = 0")])
def test_sweep_table_names_grid_points_as_the_figure_does(tmp_path, monkeypatch, lang,
                                                         expected):
    """The table printed 'eta=0.5, lmbda=0.0' ('eta=0,5, lmbda=0,0'), the figure
    'η = 0.5, λ = 0' ('η = 0,5, λ = 0')."""
    from matplotlib.axis import Axis, XAxis
    ticks, real = [], Axis.set_ticklabels   # called by set_xticks(..., labels) and set_xticklabels
    monkeypatch.setattr(Axis, "set_ticklabels", lambda axis, labels, **kw: (
        isinstance(axis, XAxis) and ticks.extend(labels)) or real(axis, labels, **kw))
    result = sheet.run_sweep("overfitting", {"eta": [0.5], "lmbda": [0.0]}, out=tmp_path,
                             lang=lang, workers=0, progress=False, epochs=1, train_size=100,
                             sizes=(784, 10, 10))
    assert ticks == [expected]
    rows = result.lines[0].splitlines()
    assert rows[2].startswith(expected + "  "), rows


@pytest.mark.parametrize("argv", [
    ["train", "--epochs", "1", "--save", "N" * 256 + ".json"],
    ["train", "--epochs", "1", "--json", "M" * 300],
    ["gradients", "--quick", "--out", "G" * 256],
    ["complex", "--quick", "--out", "C" * 256],
])
def test_names_too_long_for_the_file_system_are_exit_2_before_any_work(tmp_path, capsys,
                                                                         monkeypatch, argv):
    """'train --save', 'gradients --out', 'complex --out' with a 256-byte name trained
    or computed, then failed with exit 1: 'OSError: [Errno 36] File name too long'."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "longer than the 255 bytes file systems take; choose a shorter name" in err
    assert "Errno" not in err and list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def side_parts(tmp_path_factory):
    """A folder where 'deltanet sheet --quick' computed task 26 and the complex task."""
    out = tmp_path_factory.mktemp("sheet") / "out"
    result = sheet.run_sheet(out, quick=True, skip=("task25", "report"), progress=False)
    assert result.code == 0
    return out


def test_a_second_sheet_reuses_task26_and_the_complex_task(side_parts, monkeypatch):
    """A second 'deltanet sheet' in the same folder (here in German) computed task 26
    and the complex task again (~20 s) and rewrote their results; now it reuses
    them, draws the German figures, and --force computes them again."""
    from deltanet.experiments import complex_task, gradients
    files = {part: side_parts / part / "results.json" for part in sheet.SIDE_PARTS}
    before = {part: path.read_bytes() for part, path in files.items()}
    calls = []

    def computed(out, **kwargs):
        calls.append(kwargs)
        raise RuntimeError("computed again")
    monkeypatch.setattr(gradients, "run_gradients", computed)
    monkeypatch.setattr(complex_task, "run_complex", computed)
    result = sheet.run_sheet(side_parts, lang="de", quick=True, skip=("task25", "report"),
                             progress=False)
    assert result.code == 0 and calls == []
    assert {part: path.read_bytes() for part, path in files.items()} == before
    text = "\n".join(result.lines)
    assert text.count("(Ergebnisse aus ") == 2 and "wiederverwendet; --force" in text
    assert (side_parts / "gradients" / "vanishing.de.svg").is_file(), \
        sorted(p.name for p in (side_parts / "gradients").iterdir())
    assert list((side_parts / "complex").glob("*.de.svg"))
    assert sheet.side_part("gradients").stored(side_parts, quick=False) is None  # other sizes
    assert sheet.side_part("complex").stored(side_parts, quick=False) is None
    result = sheet.run_sheet(side_parts, quick=True, skip=("task25", "report"), force=True,
                             progress=False)
    assert result.code == 1 and len(calls) == 2


def test_a_dead_worker_after_a_stop_is_not_said_to_have_saved_nothing(tmp_path, monkeypatch,
                                                                     capsys):
    """SIGTERM to the whole process group (a service manager) kills the pool worker too:
    after 'a worker process died ...; the epochs saved so far are kept' the next line
    said 'the stopped runs have no epoch saved; the same command starts them again'."""
    from deltanet.experiments import execution, runner

    def stopped(configs, out, **kwargs):      # the dead worker's run had saved 2 epochs
        return runner.BatchResult(interrupted=True,
                                  failed={configs[0].run_id(): execution.WORKER_DIED},
                                  records={configs[0].run_id(): {
                                      "status": "partial", "history": {"epochs_completed": 2}}})
    monkeypatch.setattr(runner, "run_configs", stopped)
    assert main(["run", "overfitting", "--out", str(tmp_path), *TINY_ARGS]) == 130
    err = capsys.readouterr().err
    assert "no epoch saved" not in err and "the finished epochs are saved and resumed" in err
