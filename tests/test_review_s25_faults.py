"""Faults noticed and left alone in session 24, fixed in session 25 (one test each;
every test failed before its fix).

Runs are tiny (a [784, 10, 10] net on 100 training images, 2 epochs), stored
in-process; the report is built from them as ``deltanet report`` builds it.
"""

import contextlib
import functools
import json
import re
import shutil
from pathlib import Path

import pytest

from deltanet.cli.main import main
from deltanet.experiments import runner, store
from deltanet.experiments.sheet import summarize_and_draw
from deltanet.experiments.definitions import expand
from deltanet.report import build_report
from deltanet.report.document import Missing, Num, Table

TINY = {"train_size": 100, "sizes": (784, 10, 10), "epochs": 2}


@functools.lru_cache(maxsize=None)
def _stored_set(root):
    """A sheet-like set in ``root/out``: 'overfitting' with seeds 1 and 2 (indexed) and
    a sweep set 'sweep-overfitting' with eta 0.25 and 1 (seed 1); trained once."""
    out = Path(root) / "out"
    configs = expand("overfitting", TINY, [1, 2])
    for config in configs:
        runner.execute_run(config, store.run_path(out, config))
    tdir = store.task_dir(out)
    store.update_index(tdir, {"overfitting": {"runs": [c.run_id() for c in configs],
                                              "seeds": [1, 2]}})
    summarize_and_draw(tdir, say=lambda text: None)       # summary.json and figures
    sweep_set = out / "runs" / "sweep-overfitting"
    points = []
    for eta in (0.25, 1.0):
        config, = expand("overfitting", dict(TINY, eta=eta), [1])
        runner.execute_run(config, store.run_path(sweep_set, config))
        points.append({"params": {"eta": eta}, "runs": [config.run_id()]})
    store.write_json(store.task_dir(sweep_set) / "sweeps" / "overfitting-test.json",
                     {"schema": "test", "points": points,
                      "command": f"deltanet sweep overfitting --grid eta=0.25,1 --out {out}"})
    return out


@pytest.fixture
def stored(tmp_path_factory, tmp_path):
    target = tmp_path / "out"
    shutil.copytree(_stored_set(str(tmp_path_factory.getbasetemp() / "s25-set")), target)
    return target


def _nums(blocks):
    """``{key: value}`` of the keyed numbers in a section's tables."""
    return {cell.key: cell.value for block in blocks if isinstance(block, Table)
            for row in block.rows for cell in row if isinstance(cell, Num) and cell.key}


def _damage(path, how):
    if how == "edited":             # a number changed by hand: the SHA-256 no longer fits
        data = json.loads(path.read_text())
        data["history"]["evaluation_accuracy"][0] += 1
        path.write_text(json.dumps(data))
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    else:
        path.unlink()


@pytest.mark.parametrize("how", ["edited", "truncated", "missing"])
def test_a_damaged_task_25_run_is_a_gap_and_the_report_is_written(stored, capsys, how):
    """One damaged run file of task 25 stopped 'deltanet report' (exit 2, no report),
    while a damaged task-26 or complex results.json is a gap with a note. Now the
    report is written; the part of that run names the file and the command that
    computes it again, its numbers come from the other run, and exit 2 says so."""
    index = json.loads((stored / "task25" / "results.json").read_text())
    bad, good = (stored / "task25" / "runs" / f"{i}.json"
                 for i in index["experiments"]["overfitting"]["runs"])
    _damage(bad, how)
    assert main(["report", str(stored)]) == 2
    out, err = capsys.readouterr()
    command = (f"'deltanet sheet --out {stored} --skip gradients,complex,report --seeds 1,2' "
               "computes it again")
    line, = err.splitlines()
    assert line.startswith("deltanet report: error: ") and str(bad) in line, line
    assert line.endswith(command) and "Traceback" not in err
    assert ("delete it, then" in line) == (how != "missing")
    assert f"wrote {stored / 'report.html'}" in out
    assert "incomplete parts: 25 (a), 25 (b), 25 (c), 26 (a)" in out   # (a, c: not run)
    page = (stored / "report.md").read_text()
    assert f"run `task25/runs/{bad.name}` of `overfitting`" in page
    report = build_report(stored)
    section = next(s for s in report.sections if s.label == "25 (b)")
    gap, = [b for b in section.blocks if isinstance(b, Missing)]
    assert bad.name in str(gap.what) and not section.complete
    assert gap.command == command.split("'")[1]
    record = store.load_run(good)
    n_eval = record["history"]["n_evaluation"]
    peak = 100 * max(record["history"]["evaluation_accuracy"]) / n_eval
    assert _nums(section.blocks)["task25/25b/peak_test_accuracy"] == pytest.approx(peak)


def test_a_damaged_index_is_a_gap_of_task_25_and_the_report_is_written(stored, capsys):
    index = stored / "task25" / "results.json"
    index.write_text('{"schema": 1}')
    assert main(["report", str(stored)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"deltanet report: error: {index} is not a deltanet task-25 "
                          "results index") and "delete it to start a new index" in err
    assert (stored / "report.html").is_file()
    assert "incomplete parts: 25 (a), 25 (b), 25 (c)" in out
    report = build_report(stored)       # the stored summary's numbers are not shown unchecked
    assert [_nums(s.blocks) for s in report.sections[:3]] == [{}, {}, {}]
    assert "shown as stored, unchecked" not in (stored / "report.md").read_text()


def _explorer_runs(page):
    data = re.search(r'<script type="application/json" class="dx-data">(.*?)</script>', page)
    return [run["title"] for run in json.loads(data.group(1))["runs"]]


def test_one_unreadable_sweep_run_leaves_only_that_run_out_of_the_explorer(stored, capsys):
    """One unreadable run of a sweep set dropped the whole explorer of the report (with
    the note 'The explorer of the runs is left out: ...'). Now only that run is left
    out, named with the sweep's command; the explorer shows the other runs."""
    sweep = json.loads(next((stored / "runs" / "sweep-overfitting" / "task25" / "sweeps")
                            .glob("*.json")).read_text())
    bad = stored / "runs" / "sweep-overfitting" / "task25" / "runs" / \
        f"{sweep['points'][1]['runs'][0]}.json"
    _damage(bad, "truncated")
    assert main(["report", str(stored)]) == 2
    out, err = capsys.readouterr()
    line, = err.splitlines()
    assert str(bad) in line and line.endswith(f"delete it, then '{sweep['command']}' computes "
                                              "it again")
    page = (stored / "report.html").read_text()
    titles = _explorer_runs(page)
    assert len(titles) == 3 and not any("η = 1," in t for t in titles), titles
    assert sum("η = 0.25," in t for t in titles) == 1
    assert "The explorer shows the other runs, without this file" in page
    assert "incomplete parts: 25 (a), 25 (c), 26 (a)" in out    # 25 (b) is whole


def test_every_damaged_file_is_named_the_same_way_by_report_and_sheet(stored, capsys):
    """A damaged complex/results.json was a gap, but 'deltanet report' said nothing on
    stderr and ended 0, while a damaged task-25 run ended 2: now both are gaps, named
    with the command that computes them again, exit 2; so in the sheet's report step."""
    path = stored / "complex" / "results.json"
    path.parent.mkdir()
    path.write_text("{not json")
    again = f"; 'deltanet complex --out {stored}' computes it again"
    assert main(["report", str(stored)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"deltanet report: error: {path} is damaged or was edited (")
    assert err.endswith(f"{again}\n") and len(err.splitlines()) == 1
    assert main(["sheet", "--out", str(stored), "--skip", "task25,gradients,complex"]) == 2
    assert capsys.readouterr().err == err.replace("deltanet report:", "report:")
    assert (stored / "report.html").is_file()


@pytest.mark.parametrize("argv", [["train", "--lmbda", "0.001", "--epochs", "1"],
                                  ["run", "overfitting", "--lmbda", "0.0001", "--quiet"]])
def test_the_command_line_names_its_own_dtype_option(tmp_path, capsys, argv):
    """A weight decay too small for float32 said "use dtype='float64'" also on the
    command line, where the option is '--dtype float64'; the library keeps its words."""
    from deltanet.network import check_decay
    with pytest.raises(ValueError, match="use dtype='float64' or a larger"):
        check_decay(0.5, 0.0001, 1000, "float32")
    assert main([*argv, "--out" if argv[0] == "run" else "--json",
                 str(tmp_path / ("out" if argv[0] == "run" else "h.json"))]) == 2
    err = capsys.readouterr().err
    assert "; use --dtype float64 or a larger eta*lmbda/n\n" in err and "dtype='" not in err
    assert not any(tmp_path.iterdir())


def test_a_killed_pool_worker_restarts_the_pool_once_and_the_runs_finish_as_uninterrupted(
        tmp_path, capsys):
    """kill -9 of one pool worker ended every run of the pool ('failed: ... a worker process
    died'), exit 1, although each run file says what it keeps. Now the runs the broken
    pool ended start once more in a new pool: the killed run resumes from its checkpoint,
    the other one too, and both end as an uninterrupted run does."""
    import threading
    import time

    import psutil
    configs = expand("overfitting", dict(TINY, epochs=120), [1, 2])
    killed = []

    def kill_a_worker_with_a_checkpoint():
        """Once both workers train a run and both have saved 5 epochs, kill -9 the one
        with fewer."""
        deadline = time.monotonic() + 120
        while not killed and time.monotonic() < deadline:
            saved = {}
            for worker in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.Error, OSError, ValueError):  # (not written yet)
                    lock, = [f.path for f in worker.open_files() if f.path.endswith(".json.lock")]
                    run_file = Path(lock).with_name(Path(lock).name[1:-len(".lock")])
                    saved[worker] = run_file, store.load_run(run_file)["history"][
                        "epochs_completed"]
            if len(saved) == 2 and min(epochs for _, epochs in saved.values()) >= 5:
                worker = min(saved, key=lambda w: saved[w][1])
                worker.kill()
                killed.append(saved[worker][0])
            time.sleep(0.01)
    killer = threading.Thread(target=kill_a_worker_with_a_checkpoint)
    killer.start()
    result = runner.run_configs(configs, tmp_path, workers=2, checkpoint_seconds=0)
    killer.join()
    err = capsys.readouterr().err
    assert killed and not result.failed and not result.interrupted, err
    assert re.search(r"a worker process died \(kill -9, or the out-of-memory killer\): the "
                     r"pool starts again for the [12] run\(s\) it ended, each from its last "
                     r"checkpoint\n", err), err     # (2 unless the other run ended first)
    assert store.load_run(killed[0])["timing"]["resumed_from_epoch"] >= 5
    for config in configs:
        stored, reference = result.records[config.run_id()], runner.execute_run(config)
        assert stored["status"] == "complete" and stored == store.load_run(
            result.paths[config.run_id()])
        for key in ("evaluation_cost", "evaluation_accuracy", "training_cost",
                    "training_accuracy", "gradient_norms", "epochs_completed"):
            assert stored["history"][key] == reference["history"][key], key


def _killed(config, path, resume, **kwargs):
    """A run whose worker dies at once (as by kill -9), in every pool."""
    import os
    import signal
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_pool_is_restarted_once_only(tmp_path):
    """A run whose worker dies again in the new pool fails, saying what its file keeps."""
    from deltanet.experiments import execution
    config, = expand("overfitting", TINY, [1])
    result, lines = execution.BatchResult(), []
    bars = execution._Bars(False)
    bars.write = lines.append
    execution.run_in_pool([(config, tmp_path / "run.json", None)], _killed, result, 1, bars)
    assert lines == [f"{execution.WORKER_DIED}: the pool starts again for the 1 run(s) it "
                     "ended, each from its last checkpoint",
                     f"failed: overfitting seed 1: {execution.WORKER_DIED}; it had saved no "
                     "epoch of this run: the same command starts it again"]
    assert list(result.failed) == [config.run_id()] and not result.records
