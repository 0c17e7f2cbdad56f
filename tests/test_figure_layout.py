"""Figures drawn cheaply but unchanged: fixed margins that hold every label, fixed
title heights that match matplotlib's own placement, few stage processes."""

import json
import subprocess
import sys
from contextlib import nullcontext

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import deltanet.plots
from test_report import tiny_results_dir


def _side_figures(monkeypatch, lang, parts=("complex",)):
    """``{name: figure}`` of the task-26 and complex-task figures of the quick results
    (nothing saved)."""
    from deltanet.plots.complex import plot_complex
    from deltanet.plots.gradients import plot_gradients
    figures = {}

    def keep(fig, stem, dpi=110):
        figures[stem.name] = fig
        return []
    monkeypatch.setattr(deltanet.plots, "save_figure", keep)
    for part, plot in (("gradients", plot_gradients), ("complex", plot_complex)):
        if part in parts:
            plot(json.loads((tiny_results_dir() / part / "results.json").read_text()), "unused",
                 lang)
    return figures


@pytest.mark.parametrize("lang", ["en", "de"])
def test_fixed_margins_of_the_complex_figures_hold_every_label(monkeypatch, lang):
    """Without tight_layout no text may leave the figure, and no axis label or tick
    label may reach into a neighbouring panel."""
    figures = _side_figures(monkeypatch, lang)
    assert len(figures) == 3
    for name, fig in figures.items():
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        drawn = fig.get_tightbbox(renderer)          # inches, of everything drawn
        width, height = fig.get_size_inches()
        assert (drawn.x0 >= 0 and drawn.y0 >= 0 and drawn.x1 <= width
                and drawn.y1 <= height), (name, drawn.bounds, (width, height))
        for ax in fig.axes:
            axis = ax.yaxis.get_tightbbox(renderer)    # its tick labels and label
            assert axis.width > 0, name
            for other in fig.axes:
                assert other is ax or not axis.overlaps(other.get_window_extent(renderer)), (
                    name, ax.get_ylabel(), other.get_title())


def test_drawing_without_saving_makes_no_folder(monkeypatch, tmp_path):
    """Only saving a figure makes its folder: these tests keep the figures unsaved, and
    used to leave an empty ``unused/gradients`` in the working directory."""
    monkeypatch.chdir(tmp_path)
    _side_figures(monkeypatch, "en", ("gradients",))
    assert not (tmp_path / "unused").exists()


def test_fixed_title_heights_draw_what_automatic_placement_draws(monkeypatch):
    """plots.style() fixes every title at the axes' top (matplotlib otherwise measures
    all tick labels again per title): the pictures are the same pixel for pixel."""
    from deltanet.plots import complex as complex_plots
    from deltanet.plots import figure_bytes
    from deltanet.plots import gradients as gradient_plots
    parts = ("gradients", "complex")
    fixed = _side_figures(monkeypatch, "en", parts)
    for module in (complex_plots, gradient_plots):
        monkeypatch.setattr(module, "style", nullcontext)
    automatic = _side_figures(monkeypatch, "en", parts)
    assert len(fixed) == len(automatic) == 10
    for name, fig in fixed.items():
        assert figure_bytes(fig, "png", dpi=60) == figure_bytes(automatic[name], "png", dpi=60), \
            name


def test_the_complex_task_computes_in_one_stage_process(tmp_path):
    """The sheet runs each ``call`` in a process of its own: the three parts of the
    complex task share one (a process start and the imports cost ~0.2 s each)."""
    from deltanet.experiments.complex_task import run_complex
    calls = []

    def call(function, *args):
        calls.append(function.__name__)
        return function(*args)
    results = run_complex(tmp_path, quick=True, progress=False, plot=False, call=call)
    assert len(calls) == 1
    assert results["complete"] and {"gradient_check", "task", "mnist"} <= set(results)
    stored = json.loads((tmp_path / "complex" / "results.json").read_text())
    assert stored["complete"] and stored["task"]["real"]["test_cost"] == \
        results["task"]["real"]["test_cost"]


def test_task26_loads_scipy_optimize_and_integrate_only_for_its_mathematics():
    """Importing task 26 (the side process, the data stage) loads neither (~0.3 s)."""
    code = ("import sys, deltanet.experiments.gradients, deltanet.plots.gradients; "
            "print(sorted(m for m in ('scipy.optimize', 'scipy.integrate') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_colorbar_of_the_complex_task_sits_at_its_map_with_german_numbers(monkeypatch):
    """The colorbar is an inset of the second map (next to the drawn square, not at the
    end of a wide grid cell), and insets get the language's separators too."""
    fig = _side_figures(monkeypatch, "de")["complex-task.de"]
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    error_map = fig.axes[2]
    [colorbar] = error_map.child_axes
    gap = colorbar.get_window_extent(renderer).x0 - error_map.get_window_extent(renderer).x1
    assert 0 < gap < 0.2 * fig.dpi, gap
    ticks = [t.get_text() for t in colorbar.yaxis.get_ticklabels() if t.get_text()]
    assert ticks and all("," in t and "." not in t for t in ticks if t != "0"), ticks
