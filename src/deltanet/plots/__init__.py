"""Figures drawn from stored results (matplotlib, Agg backend, PNG and SVG)."""
