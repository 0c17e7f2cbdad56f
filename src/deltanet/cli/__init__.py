"""The ``deltanet`` command line: one module per command group."""
