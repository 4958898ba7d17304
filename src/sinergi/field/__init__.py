"""Offline field forms for ODK Collect / KoboToolbox: the village's verification of its families
and a re-measurement of their under-fives, filled on a phone without a connection.

- `sinergi.field.form`: the XLSForm (built from a Python definition, checked by `pyxform`) and the
  choice files beside it (the village's families, members and under-fives), scoped to the user
  and recorded in the audit log like every export.
- `sinergi.field.central`: publish the form to an ODK Central project and download its
  submissions (through `pyodk`), the main table and the re-measurement repeat as two CSVs that
  import unchanged with ``sinergi import verifikasi`` and ``sinergi import eppgbm``.
- `sinergi.field.cli`: ``sinergi field form | push | pull``.
"""
