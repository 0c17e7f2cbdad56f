"""Figures drawn from stored results (matplotlib, Agg backend, PNG and SVG)."""

import io
from pathlib import Path

from deltanet.i18n import check_lang, localize
from deltanet.serialization import atomic_write_bytes

__all__ = ["write_figure", "save_figure", "figure_bytes", "figure_stem", "localize_axes",
           "new_figure", "style", "drawn_by_this_version", "whole_epochs"]


def _stamp():
    """What every figure file names as its maker: this deltanet's version."""
    from deltanet import __version__
    return f"deltanet {__version__}"


def drawn_by_this_version(path):
    """True if the PNG or SVG at ``path`` names this deltanet as its maker (the stamp
    sits in the first bytes of both formats): a figure drawn by another version is
    drawn again where figures are reused (the report)."""
    with open(path, "rb") as file:
        return _stamp().encode() in file.read(4096)


def style():
    """A context manager with the settings every figure is drawn under: titles at a
    fixed height, where matplotlib puts them anyway when no ticks are on top (placing
    them automatically measured each axes' tick labels again, ~10 % of the drawing)."""
    from matplotlib import rc_context
    return rc_context({"axes.titley": 1.0})


def new_figure(figsize, left=0.75, right=0.2, bottom=0.55, top=0.45, wspace=0.3, hspace=0.35):
    """A pyplot-free Figure with fixed margins: ``left``, ``right``, ``bottom`` and
    ``top`` in inches, ``wspace`` and ``hspace`` as in ``subplots_adjust`` (a layout
    engine measures every label again, which cost several times the drawing)."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=figsize)
    w, h = figsize
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h, top=1 - top / h,
                        wspace=wspace, hspace=hspace)
    return fig


def whole_epochs(*axes):
    """Ticks of the x axes (epochs) at whole numbers only."""
    from matplotlib.ticker import MaxNLocator
    for ax in axes:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def figure_stem(folder, name, lang):
    """``folder/name`` for English, ``folder/name.<lang>`` otherwise: the
    languages' figures sit side by side and never overwrite each other."""
    check_lang(lang)
    return Path(folder) / (name if lang == "en" else f"{name}.{lang}")


def localize_axes(ax, lang):
    """Tick labels with the language's separators: every axis keeps its own
    formatter (linear, log, fixed ticks; major and minor), its output localized.
    Labels set as text at fixed ticks (categories) are in the language already."""
    if lang == "en":
        return
    from matplotlib.ticker import (FixedFormatter, FixedLocator, Formatter, FuncFormatter,
                                   NullFormatter)

    class Localized(Formatter):
        def __init__(self, shown):
            self.shown = shown

        def set_locs(self, locs):
            self.shown.set_locs(locs)

        def __call__(self, value, pos=None):
            return localize(self.shown(value, pos), lang)

        def get_offset(self):
            return localize(self.shown.get_offset(), lang)

    for axis in (ax.xaxis, ax.yaxis):
        for which in ("major", "minor"):
            shown = getattr(axis, f"get_{which}_formatter")()
            text = (isinstance(getattr(axis, f"get_{which}_locator")(), FixedLocator)
                    and isinstance(shown, (FixedFormatter, FuncFormatter)))
            if not (text or isinstance(shown, NullFormatter) or hasattr(shown, "shown")):
                getattr(axis, f"set_{which}_formatter")(Localized(shown))


def figure_bytes(fig, fmt, dpi=110):
    """The figure as PNG or SVG bytes, reproducibly: no date, this deltanet's version as
    the maker (:func:`drawn_by_this_version`), SVG text kept as text (small, searchable)."""
    from matplotlib import rc_context
    metadata = {"Software": _stamp()} if fmt == "png" else {"Date": None, "Creator": _stamp()}
    # zlib level 3 instead of 6: 3 % larger files, 40 % less time encoding them
    options = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "deltanet"}):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, **options)
    return buffer.getvalue()


def save_figure(fig, stem, dpi=110):
    """Write ``stem.png`` and ``stem.svg`` atomically; return both paths.
    Redrawing from the same results gives identical files."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_name(f"{stem.name}.{fmt}") for fmt in ("png", "svg")]
    for path in paths:
        atomic_write_bytes(path, figure_bytes(fig, path.suffix[1:], dpi))
    return paths


def write_figure(fig, folder, name, lang, *, dpi=110, localize=True):
    """Save ``fig`` as ``name`` in ``lang`` (:func:`figure_stem`, :func:`save_figure`);
    with ``localize``, every axis gets the language's separators first
    (:func:`localize_axes`). Returns the PNG and SVG paths."""
    if localize:
        for ax in fig.axes:
            for each in (ax, *ax.child_axes):      # insets, e.g. a colorbar beside a map
                localize_axes(each, lang)
    return save_figure(fig, figure_stem(folder, name, lang), dpi=dpi)
