"""Figures drawn from stored results (matplotlib, Agg backend, PNG and SVG)."""

import io
from pathlib import Path

from deltanet.i18n import check_lang, localize
from deltanet.serialization import atomic_write_bytes

__all__ = ["save_figure", "figure_stem", "localize_axes"]


def figure_stem(folder, name, lang):
    """``folder/name`` for English, ``folder/name.<lang>`` otherwise: the
    languages' figures sit side by side and never overwrite each other."""
    check_lang(lang)
    return Path(folder) / (name if lang == "en" else f"{name}.{lang}")


def localize_axes(ax, lang, x=True, y=True):
    """Tick labels with the language's decimal separator (linear axes only)."""
    if lang == "en":
        return
    from matplotlib.ticker import FuncFormatter
    formatter = FuncFormatter(lambda value, _pos: localize(f"{value:g}", lang).replace("-", "\u2212"))
    for axis, wanted in ((ax.xaxis, x), (ax.yaxis, y)):
        if wanted and axis.get_scale() == "linear":
            axis.set_major_formatter(formatter)


def save_figure(fig, stem, dpi=110):
    """Write ``stem.png`` and ``stem.svg`` atomically; return both paths.

    SVG text stays text (small, searchable) and carries no date, so redrawing
    from the same results gives identical files.
    """
    from matplotlib import rc_context
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None})):
        buffer = io.BytesIO()
        with rc_context({"svg.fonttype": "none", "svg.hashsalt": "deltanet"}):
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
        path = stem.with_name(f"{stem.name}.{fmt}")
        atomic_write_bytes(path, buffer.getvalue())
        paths.append(path)
    return paths
