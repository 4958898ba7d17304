"""Case finding per person and per family: which signals a child's latest measurement shows, and
the ';'-joined case-finding codes of a family's members at a run's reference date (``temuan``,
stored per family in ``assessment_families`` and read by programme eligibility, e.g.
``'anak_kurus' in temuan``, `sinergi.targeting.eligibility`).

The child signals (domain.md, "Case finding beyond stunting"; Kemenkes, WHO) are decided here
once, for the missed list (`sinergi.assess.missed`, one row per finding) and for ``temuan``
alike (`child_signals`):

* ``anak_berat_kurang``: underweight, BB/U < -2 SD, as the prevalence counts it
  (`sinergi.assess.prevalence`; a child with oedema counts, as WHO counts it severely
  underweight);
* ``anak_2t``: weight gain below the Kemenkes KBM at the last two consecutive monthly weighings
  (``bb_2t``, `sinergi.assess.weighing`);
* ``anak_lila_rendah``: arm circumference (LiLA) < 12.5 cm at 6-59 completed months;
* ``anak_edema``: bilateral pitting oedema at the latest measurement;
* ``anak_bblr``: birth weight < 2,500 g, where recorded;
* ``ukur_ulang``: the latest measurement carries a WHO implausibility flag: measure again.

Each looks at under-fives at the reference date.

A family's ``temuan`` (`FAMILY_CODES`, in this order) holds a code when one of its members
shows it at the reference date:

* ``anak_stunting`` / ``anak_kurus``: an under-five attached to the family
  (``assessment_children.no_kk``) stunted / wasted as the prevalence counts them (so
  ``'anak_stunting' in temuan`` holds exactly when ``jumlah_balita_stunting > 0``);
* the child signals above, of an under-five attached to the family;
* ``ibu_hamil_kek`` / ``ibu_hamil_anemia``: a pregnancy current at the reference date whose
  family is this one, with KEK / anaemia at its latest check-up (`sinergi.assess.pregnancy`:
  `current` and `pregnancy_signals`).

A finding stays in ``temuan`` when a programme has since served it: eligibility asks who needs
the programme, the missed list who is still waiting for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from sinergi.assess.prevalence import (
    stunted_mask,
    under_five_mask,
    underweight_mask,
    wasted_mask,
)
from sinergi.core.ages import DAYS_PER_MONTH
from sinergi.core.codelists import join_bits

# Case-finding thresholds (docs/domain.md: Kemenkes, WHO).
LILA_LOW_CM = 12.5
LILA_AGE_MONTHS = (6, 59)
BBLR_BELOW_G = 2500
# The child signals, in the order the missed list writes their rows.
SIGNALS: tuple[str, ...] = (
    "anak_berat_kurang",
    "anak_2t",
    "anak_lila_rendah",
    "anak_edema",
    "anak_bblr",
    "ukur_ulang",
)
# The pregnancy findings a family's ``temuan`` carries (`sinergi.assess.pregnancy`, which
# decides them; imported there only when needed, as pregnancy.py reads the programme catalogue).
PREGNANCY_CODES: tuple[str, ...] = ("ibu_hamil_kek", "ibu_hamil_anemia")
#: Every code of ``temuan``, in the order it is joined.
FAMILY_CODES: tuple[str, ...] = ("anak_stunting", "anak_kurus", *SIGNALS, *PREGNANCY_CODES)


def child_signals(kids: pd.DataFrame, ref: date) -> dict[str, pd.Series]:
    """For each child signal (`SIGNALS`), which of ``kids`` (rows with the columns of
    ``assessment_children``: ``tanggal_lahir``, ``umur_hari``, ``lila``, ``berat_lahir``,
    ``edema``, ``bb_2t``, ``flags`` and the categories) show it, under five at ``ref``."""
    u5 = under_five_mask(kids, ref)
    months = np.floor(pd.to_numeric(kids["umur_hari"], errors="coerce") / DAYS_PER_MONTH)
    lila = pd.to_numeric(kids["lila"], errors="coerce")
    born_g = pd.to_numeric(kids["berat_lahir"], errors="coerce")
    low, high = LILA_AGE_MONTHS
    return {
        "anak_berat_kurang": underweight_mask(kids, ref),
        "anak_2t": u5 & kids["bb_2t"].eq(True),
        "anak_lila_rendah": u5 & (lila < LILA_LOW_CM) & (months >= low) & (months <= high),
        "anak_edema": u5 & kids["edema"].eq(True),
        "anak_bblr": u5 & (born_g < BBLR_BELOW_G),
        "ukur_ulang": u5 & (kids["flags"].fillna("") != ""),
    }


def child_findings(kids: pd.DataFrame, ref: date) -> dict[str, pd.Series]:
    """Per child of ``kids``, each child code of `FAMILY_CODES`: stunted and wasted as the
    prevalence counts them, then the `child_signals`."""
    return {
        "anak_stunting": stunted_mask(kids, ref),
        "anak_kurus": wasted_mask(kids, ref),
        **child_signals(kids, ref),
    }


def join_codes(no_kk: pd.Series, found: Mapping[str, pd.DataFrame]) -> np.ndarray:
    """For each family of ``no_kk``, the codes of `FAMILY_CODES` (in that order) whose frame in
    ``found`` (code → rows with a ``no_kk``) names the family, joined with ';'; '' for none."""
    bits = np.zeros(len(no_kk), dtype=np.int64)
    families = pd.Index(no_kk)
    for i, code in enumerate(FAMILY_CODES):
        rows = found.get(code)
        if rows is not None and len(rows):
            # Look the (few) finders up among the families, not every family among the finders.
            at = families.get_indexer_for(rows["no_kk"].dropna().unique())
            bits[at[at >= 0]] |= np.int64(1) << i
    return join_bits(bits, FAMILY_CODES)


def family_findings(
    bind: Engine | Connection,
    ref: date,
    no_kk: pd.Series,
    kids: pd.DataFrame,
    women: pd.DataFrame | None = None,
) -> np.ndarray:
    """``temuan`` of each family of ``no_kk`` at ``ref``: its attached children among ``kids``
    (a run's children, `sinergi.assess.run.children_latest`) and the pregnancies current at
    ``ref`` (``women``, `sinergi.assess.pregnancy.current`; else read through ``bind``)."""
    from sinergi.assess.pregnancy import current, pregnancy_signals

    found: dict[str, pd.DataFrame] = {}
    if len(kids):
        attached = kids[kids["no_kk"].notna()]
        families = attached[["no_kk"]]  # all `join_codes` reads of a finding
        for code, mask in child_findings(attached, ref).items():
            found[code] = families[mask.to_numpy(dtype=bool)]
    if women is None:
        women = current(bind, ref)
    if len(women):
        signals = pregnancy_signals(women)
        for code in PREGNANCY_CODES:
            found[code] = women[["no_kk"]][signals[code].to_numpy(dtype=bool)]
    return join_codes(no_kk, found)
