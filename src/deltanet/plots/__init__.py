"""Figures drawn from stored results (matplotlib, Agg backend, PNG and SVG)."""

import io
from pathlib import Path

from deltanet.serialization import atomic_write_bytes

__all__ = ["save_figure"]


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
