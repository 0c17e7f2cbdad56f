"""The ``deltanet`` command line: one module per command group.

Command modules import the library inside their command functions, so that
``deltanet --help`` loads no NumPy (a test checks ``sys.modules``).
"""

import contextlib
from pathlib import Path


@contextlib.contextmanager
def reading_results(out, part, replot=True):
    """With ``replot``: what drawing and printing a damaged or edited ``out/part/results.json``
    raises (a missing key, a text for a number) becomes a ``ValueError`` naming the file."""
    try:
        yield
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        if not replot:
            raise
        raise ValueError(f"{Path(out) / part / 'results.json'} is damaged or was edited "
                         f"({type(exc).__name__}: {exc}); 'deltanet {part} --out {out}' "
                         "computes it again") from None
