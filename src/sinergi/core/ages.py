"""Age arithmetic in completed months and years, as the rules and the growth standards count it."""

from __future__ import annotations

import calendar
from datetime import date

# WHO's growth standards count age in days; a month is 365.25 / 12 days (WHO anthro).
DAYS_PER_MONTH = 30.4375
MAX_AGE_DAYS = 1826  # the last whole day with age in months < 60: under five
LYING_BEFORE_DAYS = 731  # length (lying) is the reference below this age, height from it on


def months_before(ref: date, months: int) -> date:
    """The latest birth date of someone aged at least ``months`` completed months at ``ref``
    (the same day of the month, clamped to the month's last day)."""
    y, m = divmod(ref.year * 12 + ref.month - 1 - months, 12)
    return date(y, m + 1, min(ref.day, calendar.monthrange(y, m + 1)[1]))


def years_before(ref: date, years: int) -> date:
    """The latest birth date of someone aged at least ``years`` completed years at ``ref``."""
    return months_before(ref, 12 * years)
