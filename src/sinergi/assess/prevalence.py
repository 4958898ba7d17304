"""Who counts: the measured population of an assessment run, and the prevalence of stunting,
wasting and underweight in it. Every stage that counts children (the run's totals and per-family
counts, the kecamatan summary, the missed-children list, coverage, the village priority index,
the dashboard) asks here, so that all of them count the same children.

A child of a run (one row of ``assessment_children``: its latest measurement up to the run's
reference date) is *measured* for an indicator (``tbu``, ``bbtb`` or ``bbu``) when

1. it is under five at the reference date: fewer than 60 completed months, i.e. born after
   ``core.ages.months_before(ref, 60)``;
2. that latest measurement lies within ``WINDOW_MONTHS`` months before the reference date
   (on or after ``months_before(ref, WINDOW_MONTHS)``);
3. the indicator has a category (``status_tbu``, ``status_bbtb``, ``status_bbu``) and its z-score
   is not flagged implausible by WHO (the indicator is not in the code list ``flags``, see
   ``core.codelists``). WHO leaves flagged z-scores out of prevalence; the child is to be
   measured again.

Measured for TB/U, it is *stunted* when its category is in ``core.growth.STUNTED``; measured for
BB/TB, *wasted* (``WASTED``); measured for BB/U, *underweight* (``UNDERWEIGHT``). Prevalence is
the affected over the measured, with a 95 % Wilson score interval.

Two back ends, one definition: SQLAlchemy conditions on the columns of ``assessment_children``
(``measured(c, ref)``, ``stunted(c, ref)`` …, to be counted with ``tally``), and pandas masks over
a frame of the same columns (``measured_mask(frame, ref)`` …). A test holds them to each other.

**Measurement coverage** says how far a prevalence of the measured speaks for the children: of the
under-fives *registered* in the roster (``persons`` of the run's families, under five at the
reference date), how many were *measured recently* (a child of the run, found by the person's NIK
or by family card, birth date and sex, whose latest measurement lies within
``RECENT_MONTHS`` months before the reference date). ``recently_measured_mask`` decides it for
the missed list (``belum_diukur``: registered and not measured recently) and
``assess.summary.measurement_coverage`` counts it per village, kecamatan or regency for every
table that shows a prevalence.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sqlalchemy import and_, case, func, true
from sqlalchemy.sql.elements import ColumnElement

from sinergi.core.ages import months_before
from sinergi.core.codelists import has_code, has_code_mask
from sinergi.core.growth import STUNTED, UNDERWEIGHT, WASTED

UNDER_FIVE_MONTHS = 60
# No window: a child counts with its latest measurement however old it is, as every figure
# published so far (dashboard, coverage, kecamatan summary, the per-family counts the KRS and
# programme rules read) has counted. A child not weighed for months is reported as such
# (``assess.missed``: ``belum_diukur``), not dropped from the prevalence. Set a number of months
# here, and every stage follows (the window conditions read it at each call).
WINDOW_MONTHS: int | None = None
# indicator → the categories that count as affected
AFFECTED: dict[str, tuple[str, ...]] = {"tbu": STUNTED, "bbtb": WASTED, "bbu": UNDERWEIGHT}
Z95 = 1.959963984540054  # standard normal quantile 0.975
# A registered under-five counts as measured recently when weighed within this many months.
RECENT_MONTHS = 3
# Region code prefix length per level (``64.08.01.2001``).
LEVEL_CODE_LENGTH = {"desa": 13, "kecamatan": 8, "kabupaten": 5}


def _check(indicator: str) -> tuple[str, ...]:
    try:
        return AFFECTED[indicator]
    except KeyError:
        raise ValueError(
            f"indicator must be one of {', '.join(AFFECTED)}, got '{indicator}'"
        ) from None


# --------------------------------------------------------------------------- SQL


def under_five(c: Any, ref: date) -> ColumnElement[bool]:
    """``c``: columns with a ``tanggal_lahir`` (``assessment_children.c``, an alias's, or
    ``persons.c``)."""
    return c.tanggal_lahir > months_before(ref, UNDER_FIVE_MONTHS)


def in_window(c: Any, ref: date) -> ColumnElement[bool]:
    if WINDOW_MONTHS is None:
        return true()
    return c.tanggal_ukur >= months_before(ref, WINDOW_MONTHS)


def plausible(c: Any, indicator: str = "tbu") -> ColumnElement[bool]:
    """The indicator has a category and its z-score is not flagged."""
    _check(indicator)
    return and_(c[f"status_{indicator}"].is_not(None), ~has_code(c.flags, indicator))


def measured(c: Any, ref: date, indicator: str = "tbu") -> ColumnElement[bool]:
    return and_(under_five(c, ref), in_window(c, ref), plausible(c, indicator))


def affected(c: Any, ref: date, indicator: str) -> ColumnElement[bool]:
    return and_(measured(c, ref, indicator), c[f"status_{indicator}"].in_(_check(indicator)))


def stunted(c: Any, ref: date) -> ColumnElement[bool]:
    return affected(c, ref, "tbu")


def wasted(c: Any, ref: date) -> ColumnElement[bool]:
    return affected(c, ref, "bbtb")


def underweight(c: Any, ref: date) -> ColumnElement[bool]:
    return affected(c, ref, "bbu")


def tally(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    """An aggregate: how many rows meet ``condition`` (0, not NULL, over no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --------------------------------------------------------------------------- pandas


def under_five_mask(kids: pd.DataFrame, ref: date) -> pd.Series:
    """``kids``: a frame with the columns of ``assessment_children`` the condition reads."""
    born = pd.to_datetime(kids["tanggal_lahir"])
    return born > pd.Timestamp(months_before(ref, UNDER_FIVE_MONTHS))


def in_window_mask(kids: pd.DataFrame, ref: date) -> pd.Series:
    if WINDOW_MONTHS is None:
        return pd.Series(True, index=kids.index)
    return pd.to_datetime(kids["tanggal_ukur"]) >= pd.Timestamp(months_before(ref, WINDOW_MONTHS))


def plausible_mask(kids: pd.DataFrame, indicator: str = "tbu") -> pd.Series:
    _check(indicator)
    flagged = pd.Series(has_code_mask(kids["flags"], indicator), index=kids.index)
    return kids[f"status_{indicator}"].notna() & ~flagged


def measured_mask(kids: pd.DataFrame, ref: date, indicator: str = "tbu") -> pd.Series:
    return under_five_mask(kids, ref) & in_window_mask(kids, ref) & plausible_mask(kids, indicator)


def affected_mask(kids: pd.DataFrame, ref: date, indicator: str) -> pd.Series:
    categories = _check(indicator)
    return measured_mask(kids, ref, indicator) & kids[f"status_{indicator}"].isin(categories)


def stunted_mask(kids: pd.DataFrame, ref: date) -> pd.Series:
    return affected_mask(kids, ref, "tbu")


def wasted_mask(kids: pd.DataFrame, ref: date) -> pd.Series:
    return affected_mask(kids, ref, "bbtb")


def underweight_mask(kids: pd.DataFrame, ref: date) -> pd.Series:
    return affected_mask(kids, ref, "bbu")


# --------------------------------------------------------------------------- prevalence


class Prevalence(NamedTuple):
    """Percentages, element by element; NaN where the denominator is 0."""

    pct: np.ndarray
    low_pct: np.ndarray  # 95 % Wilson score interval
    high_pct: np.ndarray


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval as fractions, clipped to 0..1; NaN where n = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z2 = z * z
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def prevalence(numerator: ArrayLike, denominator: ArrayLike, z: float = Z95) -> Prevalence:
    """Affected over measured in percent, with its 95 % Wilson score interval (numbers or
    arrays of counts)."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    low, high = _wilson(x, n, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(n > 0, 100.0 * x / np.where(n > 0, n, 1.0), np.nan)
    return Prevalence(pct, 100.0 * low, 100.0 * high)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of one proportion, as fractions; None when n = 0."""
    if n <= 0:
        return None
    low, high = _wilson(np.asarray(float(successes)), np.asarray(float(n)), z)
    return float(low), float(high)


def percent(numerator: int, denominator: int) -> float | None:
    """One prevalence in percent; None when nobody was measured."""
    value = float(prevalence(numerator, denominator).pct)
    return None if math.isnan(value) else value


# --------------------------------------------------------------------------- measurement coverage


def recently_measured_mask(
    under5: pd.DataFrame, kids: pd.DataFrame, ref: date, months: int = RECENT_MONTHS
) -> np.ndarray:
    """For each registered under-five (``under5``: ``nik``, ``no_kk``, ``tanggal_lahir``,
    ``jenis_kelamin``), whether a child of the run (``kids``: ``nik_anak``, ``no_kk``,
    ``tanggal_lahir``, ``jenis_kelamin``, ``tanggal_ukur``) is that person, by NIK or by family
    card, birth date and sex, with its latest measurement on or after ``months`` months before
    ``ref``."""
    if under5.empty or kids.empty:
        return np.zeros(len(under5), dtype=bool)
    recent = kids[pd.to_datetime(kids["tanggal_ukur"]) >= pd.Timestamp(months_before(ref, months))]
    by_nik = under5["nik"].isin(recent["nik_anak"].dropna().unique()).to_numpy()
    theirs = recent[["no_kk", "tanggal_lahir", "jenis_kelamin"]].dropna()
    return by_nik | _same_child(under5, theirs)


def _same_child(rows: pd.DataFrame, theirs: pd.DataFrame) -> np.ndarray:
    """For each of ``rows`` whether one of ``theirs`` has its family card, birth day and sex (a
    row missing any of them matches none). The three are coded as one integer per row (codes
    of both sides together, whole days): a million rows' tuples of Python objects cost seconds
    to build and hash."""
    both = pd.concat([rows[["no_kk", "tanggal_lahir", "jenis_kelamin"]], theirs], ignore_index=True)
    kk, _ = pd.factorize(both["no_kk"])
    sex, sexes = pd.factorize(both["jenis_kelamin"])
    day = pd.to_datetime(both["tanggal_lahir"]).to_numpy("datetime64[D]")
    known = (kk >= 0) & (sex >= 0) & ~np.isnat(day)
    first = day[known].astype(np.int64).min() if known.any() else 0
    days = np.where(known, day.astype(np.int64), first)
    # Card, sex and day as one key: card codes are fewer than the rows, sexes and days few.
    span = int(days[known].max() - first) + 1 if known.any() else 1
    card = kk.astype(np.int64) * (len(sexes) + 1) + sex
    if (len(both) + 1) * (len(sexes) + 1) * span >= 2**62:
        card, _ = pd.factorize(card)  # a wider span than any birth dates hold
    key = np.where(known, card.astype(np.int64) * span + (days - first), -1)
    n = len(rows)
    # Looked up in a hash table (NumPy's isin sorts both sides: seconds for millions).
    return known[:n] & pd.Series(key[:n]).isin(key[n:][known[n:]]).to_numpy()


def percent_array(numerator: ArrayLike, denominator: ArrayLike) -> np.ndarray:
    """Shares in percent, element by element; NaN where the denominator is 0."""
    return prevalence(numerator, denominator).pct
