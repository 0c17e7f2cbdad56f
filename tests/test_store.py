"""The task-25 results store: checksums, checks on read, never backwards, locks,
atomic writes that leave no temporary behind."""

import errno
import json
import subprocess
import sys

import pytest

from deltanet.experiments import runner, store
from deltanet.experiments.definitions import expand
from deltanet.serialization import atomic_write_json

TINY = {"epochs": 2, "train_size": 60, "sizes": (784, 6, 10)}


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A real run, trained once: (config, path, its bytes)."""
    out = tmp_path_factory.mktemp("store")
    config, = expand("overfitting", TINY, [3])
    path = store.run_path(out, config)
    runner.execute_run(config, path)
    return config, path, path.read_bytes()


@pytest.fixture
def run_file(stored, tmp_path):
    config, path, data = stored
    copy = tmp_path / "task25" / "runs" / path.name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(data)
    return config, copy


def edited(path, edit, rehash=True):
    record = json.loads(path.read_text())
    edit(record)
    if rehash:
        record["sha256"] = store.content_hash(record)
    path.write_text(json.dumps(record))


def test_a_stored_run_carries_the_sha256_of_its_content(run_file):
    config, path = run_file
    record = store.load_run(path, expect_config=config)
    assert record["sha256"] == store.content_hash(record) and len(record["sha256"]) == 64
    # The hash is of the canonical JSON without the hash: an independent recomputation.
    import hashlib
    body = {k: v for k, v in json.loads(path.read_text()).items() if k != "sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(text.encode()).hexdigest() == record["sha256"]


@pytest.mark.parametrize("edit, rehash, message", [
    (lambda r: r["history"]["evaluation_accuracy"].__setitem__(0, 3 * 10_000),
     True, "evaluation_accuracy is not a list of 2 numbers in 0..10000"),
    (lambda r: r["history"].update(n_evaluation=0), True, "n_evaluation 0 must be a count > 0"),
    (lambda r: r["history"]["training_cost"].pop(), True, "training_cost is not a list of 2"),
    (lambda r: r["history"].update(epochs_completed=7), True, "epochs_completed 7 is not"),
    (lambda r: r.pop("timing"), True, "lacks the entry 'timing'"),
    (lambda r: r.pop("versions"), True, "lacks the entry 'versions'"),
    (lambda r: r["timing"].pop("train_seconds"), True, "timing the train_seconds"),
    (lambda r: r["history"]["evaluation_accuracy"].__setitem__(0, 17), False, "SHA-256"),
    (lambda r: r.pop("sha256"), False, "SHA-256"),
])
def test_edited_or_damaged_runs_are_refused_naming_file_and_force(run_file, edit, rehash,
                                                                   message):
    config, path = run_file
    edited(path, edit, rehash)
    with pytest.raises(ValueError) as info:
        store.load_run(path)
    assert message in str(info.value)
    assert str(path) in str(info.value) and "--force" in str(info.value)


def test_a_damaged_checkpoint_is_found_on_read_and_force_retrains(run_file, tmp_path):
    config, path = run_file
    partial = runner.execute_run(config, checkpoint_seconds=0,
                                 should_stop=lambda: True)        # 1 epoch, in memory only
    assert partial["history"]["epochs_completed"] == 1
    store.write_json(path, partial)
    assert "checkpoint" not in partial          # not saved without a path: make one
    record = json.loads(path.read_text())
    record["checkpoint"] = {"params": {"dtype": "float32", "shapes": [[784, 6], [6], [6, 10],
                                                                      [10]], "data": "AAAA"},
                            "rng_state": {}}
    store.write_json(path, record)
    out = path.parents[2]
    with pytest.raises(ValueError, match="checkpoint does not fit.*--force"):
        runner.run_configs([config], out, workers=0, progress=False)
    batch = runner.run_configs([config], out, workers=0, progress=False, force=True)
    assert batch.trained == [config.run_id()]
    assert store.load_run(path)["status"] == "complete"


def test_a_stored_run_never_goes_backwards(run_file):
    config, path = run_file
    record = store.load_run(path)
    shorter = json.loads(json.dumps(record))
    h = shorter["history"]
    for key in store.SERIES:
        h[key] = h[key][:1]
    h["epochs_completed"], shorter["status"] = 1, "partial"
    before = path.read_bytes()
    with pytest.raises(ValueError, match="never goes backwards"):
        store.save_run(path, shorter)
    assert path.read_bytes() == before
    store.save_run(path, record)                     # the same number of epochs is fine


def test_a_run_finished_by_another_process_meanwhile_is_returned_not_retrained(run_file):
    config, path = run_file
    before = path.read_bytes()
    record = runner.execute_run(config, path, resume=None)
    assert record["status"] == "complete" and path.read_bytes() == before


HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1]); lock.acquire(); print("held", flush=True); time.sleep(60)
"""


def test_a_held_run_lock_is_waited_for_and_ctrl_c_stops_the_wait(run_file, capsys):
    config, path = run_file
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK,
                               str(path.with_name(f".{path.name}.lock"))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        calls = []
        record = runner.execute_run(config, path, force=True,
                                    should_stop=lambda: calls.append(1) or len(calls) > 2)
        assert record["status"] == "partial" and record["history"]["epochs_completed"] == 0
        assert "waiting for another deltanet process that writes" in capsys.readouterr().err
        store.load_run(path)                         # untouched: force never got the lock
    finally:
        holder.kill()
        holder.communicate()


def test_failed_write_removes_its_temporary_and_names_the_file(tmp_path, monkeypatch):
    import deltanet.serialization as ser
    path = tmp_path / "r.json"
    atomic_write_json(path, {"a": 1})

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(ser.os, "fsync", full_disk)
    with pytest.raises(OSError, match=f"cannot write {path}: No space left") as info:
        atomic_write_json(path, {"a": 2})
    assert info.value.errno == errno.ENOSPC
    assert json.loads(path.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_temporaries_of_killed_writers_are_swept_by_the_next_write(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".r.json.deltanet-{dead}.abcd1234.tmp"
    live = tmp_path / f".r.json.deltanet-{__import__('os').getpid()}.efgh5678.tmp"
    foreign = tmp_path / f".other.{dead}.abcd1234.tmp"       # not ours: kept
    for p in (stale, live, foreign):
        p.write_bytes(b"x" * 1000)
    atomic_write_json(tmp_path / "r.json", {"a": 1})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [live.name, foreign.name, "r.json"])


def test_output_check_probes_every_folder_that_will_be_written(tmp_path, monkeypatch):
    runs = tmp_path / "out" / "task25" / "runs"
    runs.mkdir(parents=True)
    probed = []
    real = store.tempfile.TemporaryFile

    def probe(dir, prefix):
        probed.append(dir)
        if dir == runs:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(dir=dir, prefix=prefix)
    monkeypatch.setattr(store.tempfile, "TemporaryFile", probe)
    with pytest.raises(PermissionError, match=f"cannot write into {runs}"):
        store.check_output_dir(tmp_path / "out")
    assert probed[:3] == [tmp_path / "out", tmp_path / "out" / "task25", runs]


def test_the_index_update_holds_its_lock(tmp_path, monkeypatch):
    held = []
    real = store.locked

    def spy(path, should_stop=None):
        held.append(path.name)
        return real(path, should_stop)
    monkeypatch.setattr(store, "locked", spy)
    store.update_index(tmp_path, {"overfitting": {"runs": ["a"]}})
    store.update_index(tmp_path, {"regularization": {"runs": ["b"]}})
    assert held == ["results.json", "results.json"]
    assert set(store.load_index(tmp_path)["experiments"]) == {"overfitting", "regularization"}
