"""Vectorised calendar arithmetic on numpy ``datetime64[D]`` arrays."""

from __future__ import annotations

from datetime import date

import numpy as np

DAY = np.timedelta64(1, "D")


def d64(value: date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day (1-31) of each date."""
    days = np.asarray(days, dtype="datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def completed_months(born: np.ndarray, at: np.ndarray | np.datetime64) -> np.ndarray:
    """Whole calendar months from ``born`` to ``at`` (a month is complete on the same day number).

    The usual completed-age rule: 2024-01-31 → 2024-02-29 is 0 months, → 2024-03-31 is 2.
    Completed years are ``completed_months // 12``.
    """
    by, bm, bd = ymd(born)
    ay, am, ad = ymd(np.broadcast_to(np.asarray(at, dtype="datetime64[D]"), np.shape(born)))
    return (ay - by) * 12 + (am - bm) - (ad < bd).astype(np.int64)


def dmy_strings(days: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy text of each date (object array)."""
    y, m, d = ymd(days)
    return np.char.add(
        np.char.add(
            np.char.add(np.char.zfill(d.astype(str), 2), "/"),
            np.char.add(np.char.zfill(m.astype(str), 2), "/"),
        ),
        y.astype(str),
    ).astype(object)


def iso_strings(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(np.asarray(days, dtype="datetime64[D]"), unit="D").astype(object)


def ddmmyy(days: np.ndarray, female: np.ndarray) -> np.ndarray:
    """The six NIK birth-date digits: day (+40 for women), month, two-digit year."""
    y, m, d = ymd(days)
    d = d + 40 * np.asarray(female, dtype=np.int64)
    return np.char.add(
        np.char.add(np.char.zfill(d.astype(str), 2), np.char.zfill(m.astype(str), 2)),
        np.char.zfill((y % 100).astype(str), 2),
    ).astype(object)


def weekdays_in_month(year: int, month: int, last: np.datetime64) -> np.ndarray:
    """Monday-Friday dates of a month, not after ``last``."""
    start = np.datetime64(f"{year:04d}-{month:02d}-01", "D")
    end = (np.datetime64(f"{year:04d}-{month:02d}", "M") + 1).astype("datetime64[D]")
    days = np.arange(start, min(end, last + DAY), DAY)
    return days[np.is_busday(days)]
