"""examples/sheet.ipynb runs from top to bottom in a Jupyter kernel (nbclient).

Short settings through the notebook's parameter variables (the sheet's
``--quick`` sizes), results into a temporary folder. One extra cell, appended here, checks the progress bar inside the
kernel: a widget with ipywidgets, text without, and no warning either way.
"""

import json
import re
from importlib.util import find_spec
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "sheet.ipynb"

PROGRESS_CHECK = """
import warnings
from deltanet.notebook import progress_bar
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    bar = progress_bar(range(3), desc="check")
    assert list(bar) == [0, 1, 2]
    bar.close()
print("progress:", type(bar).__module__, len(caught))
"""


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebook") / "out"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROGRESS_CHECK))
    env = {"DELTANET_NOTEBOOK_OUT": str(out), "DELTANET_NOTEBOOK_QUICK": "1"}
    with pytest.MonkeyPatch.context() as mp:          # the kernel inherits the environment
        for key, value in env.items():
            mp.setenv(key, value)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(out.parent)}}).execute()
    return nb, out


def outputs(nb, kind):
    """Texts of all outputs: ``kind`` "stdout"/"stderr" streams or a MIME type."""
    found = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream" and o.name == kind:
                found.append(o.text)
            elif kind in o.get("data", {}):
                found.append(o.data[kind])
    return found


def test_notebook_runs_the_sheet_and_shows_its_objects(executed):
    nb, out = executed
    pages = outputs(nb, "text/html")
    assert any("best (epoch)" in p and "<svg" in p for p in pages)          # History
    assert any("<b>Network</b> [784, 30, 10]" in p for p in pages)
    assert any("<b>2 task-25 run(s)</b>" in p for p in pages)               # 25a
    assert len(outputs(nb, "image/png")) >= 3                             # History.plot
    explorer, = [p for p in pages if 'class="deltanet-explorer"' in p]
    data = json.loads(re.search(r'class="dx-data">(.*?)</script>', explorer, re.S)[1])
    assert len(data["runs"]) == 6 and data["controls"][0] == ["0", "0.1", "1", "5"]
    stdout = "".join(outputs(nb, "stdout"))
    for answer in ("25a", "25b", "25c", "Task 26", "Gradient check"):
        assert answer in stdout
    sheet = list((out / "task25" / "runs").glob("*.json"))         # run_sheet's set
    extra = list((out / "runs").glob("lmbda-*/task25/runs/*.json"))    # run_experiment's
    assert len(sheet) == 4 and len(extra) == 2
    assert {json.loads(p.read_text())["config"]["epochs"] for p in sheet + extra} == {3, 40}
    assert 'class="deltanet-explorer"' in (out / "report.html").read_text(encoding="utf-8")
    assert (out / "gradients" / "results.json").is_file()
    assert (out / "complex" / "results.json").is_file()


def test_progress_bar_in_the_kernel_warns_nothing(executed):
    nb, _ = executed
    widget = find_spec("ipywidgets") is not None
    check = nbformat.v4.new_notebook(cells=nb.cells[-1:])       # (its bar writes to stderr)
    sheet = nbformat.v4.new_notebook(cells=nb.cells[:-1])
    assert "".join(outputs(check, "stdout")).split() == [
        "progress:", "tqdm.notebook" if widget else "tqdm.std", "0"]
    assert outputs(sheet, "stderr") == []
