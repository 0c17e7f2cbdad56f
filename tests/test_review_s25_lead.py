"""Session 25, the lead: figures drawn by another deltanet are drawn again by the report."""

import shutil

from deltanet import __version__
from deltanet.report import write_report

from test_report import tiny_results_dir

STAMP = f"deltanet {__version__}".encode()


def stamped(path):
    return STAMP in path.read_bytes()[:4096]


def test_the_report_redraws_figures_of_another_version_and_keeps_this_versions(tmp_path):
    """Every PNG and SVG names the deltanet that drew it; ``deltanet report`` draws a
    figure again when its files name another version (it reused them as they were, so a
    fixed figure appeared only after ``--replot``), and keeps this version's as they are."""
    out = tmp_path / "out"
    shutil.copytree(tiny_results_dir(), out)
    older = {out / "gradients" / "a_sigmoid_bound.svg", out / "task25" / "figures" /
             "25b_accuracy.png"}
    kept = out / "complex" / "complex-task.svg"
    original = {path: path.read_bytes() for path in older | {kept}}
    assert all(stamped(path) for path in original)
    for path in older:               # drawn by an older deltanet, and different
        path.write_bytes(original[path].replace(STAMP, b"deltanet 0.0.1", 1) + b"\n")
        assert not stamped(path)
    edited = original[kept].replace(b"</svg>", b"<!-- this version, edited --></svg>")
    kept.write_bytes(edited)

    write_report(out)
    for path in older:
        assert path.read_bytes() == original[path], path    # drawn again, identically
    assert kept.read_bytes() == edited                       # this version's: reused
