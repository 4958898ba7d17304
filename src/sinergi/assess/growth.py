"""Growth assessment of children under five: the public names, from the three modules that do it.

- ``sinergi.assess.zscores``: the WHO 2006 LMS z-scores, WHO flags and Permenkes 2/2020
  categories (``compute_zscores``, ``compute_zscores_age``, ``classify_zscores``);
- ``sinergi.assess.growth_input``: the input clean-up, raw columns to typed arrays, reading dates
  and sex with ingest's parsers (``parse_dates``);
- ``sinergi.assess.growth_file``: ``sinergi anthro``, a measurement file in and the same file
  with its z-scores out, read through ingest's bounded reader (``score_file``).
"""

from __future__ import annotations

from sinergi.assess.growth_file import (
    FILE_COLUMNS,
    GrowthFileError,
    GrowthSummary,
    read_measurements,
    score_file,
)
from sinergi.assess.growth_input import parse_dates
from sinergi.assess.zscores import (
    CATEGORIES,
    FLAG_LIMITS,
    REASONS,
    classify_zscores,
    compute_zscores,
    compute_zscores_age,
)

__all__ = [
    "CATEGORIES",
    "FILE_COLUMNS",
    "FLAG_LIMITS",
    "REASONS",
    "GrowthFileError",
    "GrowthSummary",
    "classify_zscores",
    "compute_zscores",
    "compute_zscores_age",
    "parse_dates",
    "read_measurements",
    "score_file",
]
