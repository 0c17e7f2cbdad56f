"""The ``deltanet`` command line: one module per command group.

Command modules import the library inside their command functions, so that
``deltanet --help`` loads no NumPy (a test checks ``sys.modules``).
"""
