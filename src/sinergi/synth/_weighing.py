"""Monthly posyandu weighings: the gain between two monthly rounds, and 2T as the truth knows it.

Buku KIA reads a child's weight against the previous month's: **N** (naik) when it rose by at
least the Kemenkes minimum gain (KBM) of the child's age, **T** when it rose less, stayed or fell;
**2T** is T at two consecutive monthly weighings. The KBM table is read from
`sinergi.assess.weighing` as data; everything else here is the generator's own code path.

Going back from a child's latest weighing, each gain between two weighings in consecutive calendar
months is decided first and the earlier weight follows from the later one:

* **T** with probability ``P_T`` (higher in families at risk and in poor families): the weight
  fell by 200 or 100 g, stayed, or rose by 100 g (``T_GAINS_KG``), all below any KBM (≥ 200 g);
* **N** otherwise: the earlier weight is the child's own weight-for-height weight for that month
  (its z path, the WHO LMS tables) unless that leaves a gain below the KBM, in which case it is
  lowered until the gain reaches it. The latest weighing keeps its weight, so the latest round's
  figures (wasting, underweight) are those of the child's z path.

Why these figures: a month without gain is common (an illness, a scale read to 100 g), so about
one judged month in five or six is T here; two in a row are rarer. With independent months the
share of children weighed in three consecutive months who are 2T is about ``P_T`` squared: about
4 % in the synthetic regency (2 % outside families at risk and poor families, 9 % in poor families
at risk). These are modelling choices, not a calibration to a published 2T figure (none was
found for Kutai Timur).

The truth counts age in completed calendar months; WHO counts a month as 30.4375 days, and the two
counts differ by at most one month. Each generated gain is kept clear of the KBM of the ages one
month either side (an N gain reaches the largest of them, a T gain is judged only from 2 to 58
months), so that either count gives the same N or T.
"""

from __future__ import annotations

import numpy as np

from sinergi.assess.weighing import KBM_G
from sinergi.synth._dates import ymd

P_T = (0.14, 0.10, 0.06)  # a judged month is T: base, + family at risk (KRS), + decile 1-2
T_GAINS_KG = (-0.2, -0.1, 0.0, 0.1)
T_GAINS_P = (0.10, 0.25, 0.35, 0.30)
T_AGES = (2, 58)  # completed months at the later weighing where a T may be generated


def t_probability(krs: np.ndarray, poor: np.ndarray) -> np.ndarray:
    """Each family's chance that a judged month of its child is T."""
    base, at_risk, poorer = P_T
    return base + at_risk * np.asarray(krs, dtype=float) + poorer * np.asarray(poor, dtype=float)


def _kbm(months: np.ndarray) -> np.ndarray:
    """KBM (g) by completed months; NaN where no gain is judged (age 0, 60 months and over)."""
    months = np.asarray(months, dtype=np.int64)
    ok = (months >= 1) & (months < len(KBM_G))
    return np.where(ok, KBM_G[np.where(ok, months, 0)], np.nan)


def _order(pid: np.ndarray, period: np.ndarray) -> np.ndarray:
    return np.lexsort((period, pid))


def period_of(when: np.ndarray) -> np.ndarray:
    """Calendar month number (year * 12 + month) of each date."""
    year, month, _ = ymd(np.asarray(when, dtype="datetime64[D]"))
    return year * 12 + month


def monthly_gains(
    pid: np.ndarray,
    period: np.ndarray,
    months: np.ndarray,
    weight: np.ndarray,
    p_t: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The weights (kg, 0.1 kg) with each gain between consecutive monthly weighings decided.

    One row per weighing: the child ``pid``, the calendar ``period`` (`period_of`), the age in
    completed ``months``, the child's z-path ``weight`` and the chance ``p_t`` that a judged
    month is T. At most one weighing per child and month."""
    order = _order(pid, period)
    pid_s, period_s, months_s = pid[order], period[order], months[order]
    w = np.asarray(weight, dtype=float)[order].copy()
    n = len(w)
    if n == 0:
        return w
    # position from each child's latest weighing (0 = latest)
    last = np.r_[pid_s[1:] != pid_s[:-1], True]
    ends = np.flatnonzero(last)
    end_of = np.repeat(ends, np.diff(np.r_[-1, ends]))
    back = end_of - np.arange(n)
    lo_age, hi_age = T_AGES
    around = np.stack([_kbm(months_s + k) for k in (-1, 0, 1)])
    highest = np.where(np.isnan(around), 0.0, around).max(axis=0)
    chance = np.asarray(p_t, dtype=float)[order]
    draw = rng.random(n)
    t_gain = np.asarray(T_GAINS_KG)[rng.choice(len(T_GAINS_KG), n, p=T_GAINS_P)]
    for step in range(1, int(back.max()) + 1):
        prev = np.flatnonzero(back == step)
        later = prev + 1
        judged = period_s[later] - period_s[prev] == 1
        prev, later = prev[judged], later[judged]
        t = (
            (draw[later] < chance[later])
            & (months_s[later] >= lo_age)
            & (months_s[later] <= hi_age)
        )
        reach = np.round(w[later] - highest[later] / 1000.0, 1)
        w[prev] = np.where(t, np.round(w[later] - t_gain[later], 1), np.minimum(w[prev], reach))
    out = np.empty(n)
    out[order] = w
    return out


def two_t_at(
    pid: np.ndarray, period: np.ndarray, months: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Whether the child is 2T at each weighing: this weighing and the one before it each fall in
    the calendar month after the previous one, with a gain below the KBM of the age at the later
    weighing (age 0 and 60 months and over are not judged). At most one weighing per child and
    month; a child's latest weighing says whether the child is 2T."""
    order = _order(pid, period)
    pid_s, period_s = pid[order], period[order]
    w = np.asarray(weight, dtype=float)[order]
    n = len(w)
    t = np.zeros(n, dtype=bool)
    if n > 1:
        gain_g = np.round((w[1:] - w[:-1]) * 1000.0)
        with np.errstate(invalid="ignore"):
            below = gain_g < _kbm(months[order][1:])
        t[1:] = (pid_s[1:] == pid_s[:-1]) & (period_s[1:] - period_s[:-1] == 1) & below
    two = np.zeros(n, dtype=bool)
    two[1:] = t[1:] & t[:-1]
    out = np.empty(n, dtype=bool)
    out[order] = two
    return out
