"""Problems a user hit in the command line and the sheet pipeline (adversarial review).

Each test reproduces one problem found by hand; the runs are tiny (a [784, 10, 10]
net on 100 training images for 2 epochs).
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from deltanet.cli.main import main
from deltanet.experiments import runner, sheet
from deltanet.report import write_report

TINY_ARGS = ["--epochs", "2", "--train-size", "100", "--sizes", "784,10,10", "--workers", "0",
             "--quiet"]


@pytest.fixture(scope="module")
def run_set(tmp_path_factory):
    """``OUT/runs/tiny``: one tiny overfitting run written by ``deltanet run``."""
    out = tmp_path_factory.mktemp("review") / "out"
    assert main(["run", "overfitting", "--out", str(out), "--name", "tiny", *TINY_ARGS]) == 0
    return out / "runs" / "tiny"


@pytest.fixture
def set_copy(run_set, tmp_path):
    target = tmp_path / "set"
    shutil.copytree(run_set, target)
    return target


def _run_file(set_dir):
    return next((set_dir / "task25" / "runs").glob("*.json"))


@pytest.mark.parametrize("name", ["..", "../..", "a/b", "ABSOLUTE", ".", ""])
def test_run_name_must_stay_inside_out_runs(tmp_path, capsys, name):
    """'--name ..' wrote the run's index, summary and figures over the sheet's set."""
    out = tmp_path / "out"
    name = str(tmp_path / "elsewhere") if name == "ABSOLUTE" else name
    assert main(["run", "overfitting", "--out", str(out), "--name", name, *TINY_ARGS]) == 2
    assert "--name" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_explore_epochs_are_checked_before_task25_trains(tmp_path, monkeypatch):
    """'sheet --explore --explore-epochs 0' trained the whole sheet, then failed."""
    def trained(*args, **kwargs):
        raise AssertionError("task 25 trained before the options were checked")
    monkeypatch.setattr(runner, "run_configs", trained)
    with pytest.raises(ValueError, match="explore.epochs"):
        sheet.run_sheet(tmp_path / "out", explore=True, explore_epochs=0, quick=True,
                        workers=0, skip=("gradients", "complex", "report"), progress=False)


def test_a_truncated_run_file_says_how_to_recover(set_copy, capsys):
    path = _run_file(set_copy)
    path.write_bytes(path.read_bytes()[:300])
    assert main(["plot", str(set_copy)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "--force" in err


def test_german_sweep_names_the_figure_it_wrote_and_localizes_the_grid(tmp_path):
    """'sweep --lang de' printed FIGURE.png/.svg but wrote FIGURE.de.png; its
    table showed 'lmbda=0.5' where every other German number has a comma."""
    result = sheet.run_sweep("overfitting", {"lmbda": [0.0, 0.5]}, out=tmp_path, lang="de",
                             workers=0, progress=False, epochs=2, train_size=100,
                             sizes=(784, 10, 10))
    stems = re.findall(r"Abbildung (\S+)\.png/\.svg", result.lines[-1])
    assert stems and all(Path(f"{stems[0]}.{ext}").is_file() for ext in ("png", "svg"))
    assert Path(f"{result.paths['figure']}.png").is_file()
    assert "λ = 0,5" in result.lines[0] and "0.5" not in result.lines[0]
    assert " Overfitting " in result.lines[0]         # the run named as in 'run' tables


def test_claims_over_several_seeds_say_they_are_about_the_mean_curve(tmp_path, set_copy):
    """With --seeds 1,2 'peaks at X %' is the peak of the mean curve while the table
    above it shows the mean of the peaks (another number); nothing said so."""
    result = sheet.run_experiment("overfitting", out=tmp_path, seeds=(1, 2), workers=0,
                                  progress=False, epochs=2, train_size=100,
                                  sizes=(784, 10, 10))
    text = "\n".join(result.lines)
    note = "The statements are about the mean curve over the 2 seeds"
    assert note in text and text.index(note) < text.index("The test accuracy peaks")
    one_seed = sheet.replot(set_copy, echo=None).lines
    assert "The test accuracy peaks" in "\n".join(one_seed)
    assert "mean curve" not in "\n".join(one_seed)


def test_train_output_below_a_file_and_one_epoch(tmp_path, capsys):
    """'--save FILE/net.json' said 'directory FILE does not exist'; '1 epochs in ...'."""
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me")
    assert main(["train", "--epochs", "1", "--save", str(a_file / "net.json")]) == 2
    assert f"{a_file} is a file, not a directory" in capsys.readouterr().err
    assert main(["train", "--epochs", "1", "--train-size", "100", "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("1 epoch in ")


def test_ctrl_c_after_the_runs_names_the_interrupt(tmp_path, monkeypatch, capsys):
    """A Ctrl-C while the figures were drawn printed 'deltanet run: ; every file ...'."""
    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(sheet, "summarize_and_draw", ctrl_c)
    assert main(["run", "overfitting", "--out", str(tmp_path), *TINY_ARGS]) == 130
    assert capsys.readouterr().err.startswith("deltanet run: interrupted; every file")


def test_ctrl_c_while_drawing_leaves_no_summary_of_other_runs(run_set, tmp_path, monkeypatch,
                                                              capsys):
    """Ctrl-C after the index named the new runs but before summary.json was rewritten
    left the old summary: the report then showed the old runs' numbers and answers."""
    out = tmp_path / "out"
    shutil.copytree(run_set, out / "runs" / "tiny")
    tdir = out / "runs" / "tiny" / "task25"

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(sheet, "summarize_and_draw", ctrl_c)
    assert main(["run", "overfitting", "--out", str(out), "--name", "tiny", *TINY_ARGS,
                 "--epochs", "3"]) == 130          # (the last --epochs wins)
    index = json.loads((tdir / "results.json").read_text())
    new_runs = index["experiments"]["overfitting"]["runs"]
    assert new_runs != [_run_file(run_set).stem]
    summary = tdir / "summary.json"
    if summary.exists():
        variants = json.loads(summary.read_text())["experiments"]["overfitting"]["variants"]
        assert [r for v in variants.values() for r in v["runs"]] == new_runs
    write_report(tdir.parent)
    md = (tdir.parent / "report.md").read_text(encoding="utf-8")
    assert " of 3 (final " in md and " of 2 (final " not in md


def test_an_interrupted_complex_run_keeps_the_complete_results_before_it(tmp_path, monkeypatch):
    """'deltanet complex' stopped by Ctrl-C replaced complete results by its partial ones."""
    from deltanet.experiments import complex_task
    stored = tmp_path / "complex" / "results.json"
    stored.parent.mkdir()
    stored.write_text(json.dumps({"schema": complex_task.SCHEMA, "complete": True, "mnist": {}}))
    before = stored.read_bytes()

    def ctrl_c(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(complex_task, "_gradient_check", lambda *args: {"passed": True})
    monkeypatch.setattr(complex_task, "run_task", lambda *args: {})
    monkeypatch.setattr(complex_task, "run_mnist", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        complex_task.run_complex(tmp_path, quick=True, progress=False, plot=False)
    assert stored.read_bytes() == before


def test_a_run_listed_under_another_experiment_is_refused(set_copy, capsys):
    """An index that lists an overfitting run under 'regularization' made 'plot' fail
    with KeyError: 'cost_...' and the report show it as 25c (or 25b with lmbda 0.1)."""
    run_id = _run_file(set_copy).stem
    index = set_copy / "task25" / "results.json"
    data = json.loads(index.read_text())
    data["experiments"]["regularization"] = {"runs": [run_id]}
    index.write_text(json.dumps(data))
    assert main(["plot", str(set_copy)]) == 2
    err = capsys.readouterr().err
    assert f"run {run_id} under 'regularization'" in err and "'overfitting'" in err
    assert main(["report", str(set_copy)]) == 2   # as for any damaged run file
    assert f"run {run_id} under 'regularization'" in capsys.readouterr().err


def test_ctrl_c_in_gradients_does_not_promise_a_resume(tmp_path, monkeypatch, capsys):
    """'deltanet gradients' starts from the beginning; the generic Ctrl-C message
    said 'the same command continues from what was saved'."""
    from deltanet.experiments import gradients

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(gradients, "run_gradients", ctrl_c)
    assert main(["gradients", "--out", str(tmp_path), "--quiet"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("deltanet gradients: interrupted;") and "continues" not in err


@pytest.mark.parametrize("part", ["gradients", "complex"])
def test_plot_of_a_task26_or_complex_file_names_the_command_that_redraws_it(tmp_path, capsys,
                                                                             part):
    path = tmp_path / part / "results.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"schema": f"deltanet.{part}/1"}))
    assert main(["plot", str(path)]) == 2
    assert f"deltanet {part} --replot --out {tmp_path}" in capsys.readouterr().err


def test_a_diverged_run_is_named_in_the_output(tmp_path):
    """With --quiet (and whenever the run was reused) a run that diverged in epoch 1
    left an empty table and no word about it."""
    result = sheet.run_experiment("overfitting", out=tmp_path, eta=1e300, workers=0,
                                  progress=False, epochs=2, train_size=100,
                                  sizes=(784, 10, 10))
    record, = result.records
    assert record["status"] == "diverged"
    assert "overfitting, seed 1, diverged after 0 of 2 epochs" in "\n".join(result.lines)
    write_report(result.paths["set"])          # it said: 'has not been run'
    md = (result.paths["set"] / "report.md").read_text(encoding="utf-8")
    assert "`overfitting` was run, but none of its runs finished an epoch (diverged)" in md
    assert "`overfitting` has not been run" not in md
    sweep = sheet.run_sweep("overfitting", {"eta": [1e300]}, out=tmp_path, workers=0,
                            progress=False, epochs=2, train_size=100, sizes=(784, 10, 10))
    assert "overfitting, seed 1, diverged after 0 of 2 epochs" in "\n".join(sweep.lines)


def test_a_foreign_results_index_says_how_to_get_past_it(run_set, tmp_path, capsys):
    """An index of another layout stopped 'sheet' and 'run' (even with --force) with no
    way out."""
    out = tmp_path / "out"
    shutil.copytree(run_set, out / "runs" / "tiny")
    index = out / "runs" / "tiny" / "task25" / "results.json"
    index.write_text(index.read_text().replace("deltanet.task25.results/1",
                                               "deltanet.task25.results/0"))
    argv = ["run", "overfitting", "--out", str(out), "--name", "tiny", *TINY_ARGS, "--force"]
    assert main(argv) == 2
    assert "delete it to start a new index" in capsys.readouterr().err
    index.unlink()                              # as told: the stored run is reused
    assert main(argv[:-1]) == 0
    assert "0 trained (0 resumed), 1 reused" in capsys.readouterr().out


def test_gradients_takes_the_seed_specs_of_the_other_commands(tmp_path, monkeypatch):
    """'deltanet gradients --seeds 1..3' (the spelling of sheet/run/sweep) was an
    argparse error 'invalid int value'."""
    from deltanet.experiments import gradients
    seen = []
    monkeypatch.setattr(gradients, "run_gradients",
                        lambda out, seeds, **kwargs: seen.append(seeds) or {})
    monkeypatch.setattr(gradients, "format_summary", lambda *args, **kwargs: "")
    for spec, seeds in ((["1..3"], [1, 2, 3]), (["4,6"], [4, 6]), (["0", "1", "2"], [0, 1, 2]),
                        ([], [0, 1, 2])):
        argv = ["gradients", "--out", str(tmp_path)] + (["--seeds", *spec] if spec else [])
        assert main(argv) == 0
        assert seen.pop() == seeds


def test_sheet_quick_explore_is_quick_too(tmp_path, monkeypatch):
    """'sheet --quick --explore' swept 10 runs of 400 epochs (up to 5,000 images):
    --quick, "also passed to the other parts", did not reach the explorer's sweep."""
    calls = []
    monkeypatch.setattr(sheet, "run_sweep", lambda *args, **kwargs: calls.append(kwargs)
                        or sheet.Result())
    skip = ("task25", "gradients", "complex", "report")
    sheet.run_sheet(tmp_path, quick=True, explore=True, skip=skip, progress=False)
    assert calls[-1]["quick"] is True and calls[-1].get("epochs") is None
    sheet.run_sheet(tmp_path, quick=True, explore=True, explore_epochs=7, skip=skip)
    assert calls[-1]["epochs"] == 7
    sheet.run_sheet(tmp_path, explore=True, skip=skip)
    assert calls[-1]["quick"] is False and calls[-1]["epochs"] == sheet.EXPLORE_EPOCHS


def test_ctrl_c_of_runs_that_saved_nothing_does_not_say_saved(tmp_path, monkeypatch, capsys):
    """An --as-original run stopped by Ctrl-C keeps no epoch (network2 has no
    checkpoint), yet the message said 'the finished epochs are saved and resumed'."""
    def stopped(configs, out, **kwargs):
        batch = runner.BatchResult(interrupted=True)
        batch.records[configs[0].run_id()] = {"status": "partial",
                                             "history": {"epochs_completed": 0}}
        return batch
    monkeypatch.setattr(runner, "run_configs", stopped)
    assert main(["run", "overfitting", "--as-original", "--out", str(tmp_path), *TINY_ARGS]) == 130
    err = capsys.readouterr().err
    assert "are saved" not in err and "no epoch saved; the same command starts them again" in err


def test_checkpoint_help_does_not_promise_saved_epochs_for_as_original(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")        # no line breaks inside '--as-original'
    with pytest.raises(SystemExit):
        main(["sheet", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Ctrl-C saves the finished epochs (not of --as-original runs" in text


def test_a_run_finished_by_another_process_meanwhile_counts_as_reused(set_copy, monkeypatch):
    """Two commands on one --out: the second waited for the run, then reused it, but
    said '1 trained, 0 reused'."""
    from deltanet.experiments import store
    from deltanet.experiments.definitions import RunConfig
    record = json.loads(_run_file(set_copy).read_text())
    config = RunConfig.from_dict(record["config"])
    real, calls = store.read_stored, []

    def absent_when_planned(path, config, force=False):   # stored while this one waited
        calls.append(path)
        return None if len(calls) == 1 else real(path, config, force)
    monkeypatch.setattr(store, "read_stored", absent_when_planned)
    batch = runner.run_configs([config], set_copy, workers=0, progress=False)
    assert len(calls) == 2 and batch.trained == [] and batch.reused == [config.run_id()]
    assert batch.records[config.run_id()] == record


def test_sweep_table_shows_one_seeds_peak_epoch_as_a_whole_number():
    """With one seed the peak-epoch column showed '34.0'; with several it is a mean."""
    def point(seeds, epochs):
        return {"params": {"lmbda": 0.0}, "label": "overfitting", "seeds": seeds,
                "final_test_accuracy": {"values": [80.0] * len(seeds)},
                "peak_test_accuracy": {"values": [81.0] * len(seeds)},
                "peak_test_epoch": {"values": epochs}}
    table = sheet.format_sweep({"experiment": "overfitting",
                                "points": [point([1], [34]), point([1, 2], [34, 35])]})
    one, several = table.splitlines()[-2:]
    assert one.endswith(" 34") and several.endswith(" 34.5 ± 0.5"), table
