"""Sinergi: one shared, explainable registry of families at risk of stunting and extreme poverty."""

__version__ = "0.1.0"
