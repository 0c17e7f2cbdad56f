"""Session 26: the sheet's side parts computed side by side, and what that needs."""

import os
import threading
import time

from deltanet.experiments import execution, sheet


def test_the_side_parts_compute_side_by_side_and_draw_one_at_a_time(monkeypatch):
    """Task 26 and the complex task compute at the same time (neither waits alone on
    one core once task 25 is done); their figures are still drawn one part at a time."""
    both = threading.Barrier(2, timeout=10)     # broken (an error) unless both compute at once
    drawing, overlaps = [], []

    def compute(part, *args):
        both.wait()

        def draw():
            drawing.append(part)
            overlaps.append(len(drawing) > 1)
            threading.Event().wait(0.05)
            drawing.remove(part)
            return part, None
        return draw
    monkeypatch.setattr(sheet, "_side_compute", compute)
    outcomes = sheet._run_side_parts(["gradients", "complex"], "unused", "en", True, False)
    assert outcomes == {"gradients": ("gradients", None), "complex": ("complex", None)}
    assert overlaps == [False, False]


def test_processes_are_spawned_one_thread_at_a_time_and_the_environment_restored():
    """``_spawning`` sets the BLAS variables for a child and puts the environment back;
    two threads doing that at once restored each other's settings (or an empty
    environment) before the lock."""
    before = dict(os.environ)
    inside, errors = [], []
    start = threading.Barrier(2, timeout=10)

    def spawn():
        try:
            start.wait()
            for _ in range(200):
                with execution._spawning():
                    inside.append(1)
                    assert len(inside) == 1 and os.environ.get("OMP_NUM_THREADS") == "1"
                    assert os.environ.get("PATH") == before.get("PATH")
                    inside.pop()
        except Exception as exc:        # noqa: BLE001  (reported below)
            errors.append(exc)
    threads = [threading.Thread(target=spawn) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and dict(os.environ) == before


def _stage(path):
    """A stage process that writes its pid and computes for a minute."""
    path.write_text(str(os.getpid()))
    time.sleep(60)


def _side_process_with_long_stages(folder):
    def compute(part, *args):
        execution.in_child(_stage, folder / part)
        return lambda: ("", None)
    sheet._side_compute = compute           # (in the spawned side process only)
    return sheet._run_side_parts(["gradients", "complex"], "unused", "en", True, False)


def test_sigterm_ends_the_side_process_and_its_stages_at_once(tmp_path):
    """Ctrl-C of the sheet ends its side process with SIGTERM; with the parts computing in
    threads, the process used to wait for its stages to finish (4 s instead of 0.5 s
    after a Ctrl-C 7 s into a sheet)."""
    side = execution.Child(_side_process_with_long_stages, tmp_path)
    pids = [tmp_path / part for part in ("gradients", "complex")]
    deadline = time.monotonic() + 30
    while not all(p.exists() and p.read_text() for p in pids):
        assert time.monotonic() < deadline, "the stages did not start"
        time.sleep(0.05)
    started = time.monotonic()
    side.stop()                                         # SIGTERM, then wait for the exit
    assert time.monotonic() - started < 5
    for pid in (int(p.read_text()) for p in pids):
        for _ in range(50):                             # reaped by the side process
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"stage process {pid} outlived the side process")
