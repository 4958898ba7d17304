"""Posyandu measurements of under-fives (e-PPGBM) generated from WHO z-scores.

Each child gets a latent height-for-age z (lower in at-risk and poor families, so that about one
in five is stunted) and a weight-for-length/height z ≈ N(-0.4, 1.1); each round adds a little
noise. Length/height and weight are the WHO LMS values at those z-scores, rounded as a posyandu
writes them; the ground truth keeps the z-scores recomputed from the rounded values, which is what
any correct implementation of the WHO standard computes from the file.

Children under 731 days are measured lying, older ones standing; a few are measured the other way,
and then the written value is shifted by WHO's 0.7 cm in reverse so that the standard correction
recovers the true length/height.

Arm circumference (LiLA) is written for most children of 6 months and over, its z following the
weight-for-height z (some under 12.5 cm); a few severely wasted children (below -2.5 SD) have
oedema; most measurements record the child's birth weight (about 6 % under 2,500 g).

Rounds: the two most recent national weighing months (February and August, when nearly every
child comes) and the last ``MONTHLY_SERIES`` months before the reference date, so that the latest
months form a monthly series with two consecutive monthly gains. A monthly round outside the
national months is smaller: about two children in three (``REGULAR_SHARE``) come most months
(``MONTHLY_ATTENDANCE``), the others mostly only in the national months, so a monthly round sees
about two thirds of the children a national round sees (a modelling choice, not calibrated to a
published D/S, the share of under-fives weighed in a month, for Kutai Timur). The e-PPGBM holds
about 1.7 times the rows of the two national rounds alone.
A child's noise around its z-scores drifts from month to month (``MONTHLY_CORRELATION``) instead
of being drawn afresh, and the gain between consecutive monthly weighings is decided in
`_weighing` (a few percent of the children so weighed are 2T).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sinergi.assess.who_tables import LmsTable, load_table, value_at_z
from sinergi.synth import _weighing
from sinergi.synth._dates import completed_months, d64, weekdays_in_month
from sinergi.synth._population import Population
from sinergi.synth._regions import Villages

FLOWERS = (
    "Melati",
    "Mawar",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Cempaka",
    "Teratai",
    "Flamboyan",
    "Seroja",
    "Kamboja",
    "Bougenville",
    "Nusa Indah",
    "Asoka",
    "Matahari",
    "Kemuning",
    "Delima",
    "Srikandi",
    "Harapan Bunda",
)
POSYANDU_MONTHS = (2, 8)  # February and August: the national weighing months
MONTHLY_SERIES = 3  # the last months before the reference date, weighed monthly
MEASURED_SHARE = 0.85  # registered under-fives who come to the posyandu
ATTENDANCE = 0.95  # of those, present at a national round
REGULAR_SHARE = 0.65  # of those, children who come most months …
MONTHLY_ATTENDANCE = (0.9, 0.1)  # … present at another month's round: regular, not regular
# Correlation per month of a child's noise around its z-scores (a month apart the weight-for-
# height z moves by about 0.2, half a year apart by about 0.45).
MONTHLY_CORRELATION = 0.9
HAZ_NOISE, WHZ_NOISE = 0.15, 0.45
WRONG_POSITION = 0.03
# Ages near the 731-day switch from length to height are left out: a one-day difference in how an
# implementation counts the switch would change the corrected value by 0.7 cm.
SWITCH_GAP = (721, 741)
LILA_SHARE = 0.8  # children of 6 months and over whose arm is measured
OEDEMA_AMONG_WHZ_BELOW = -2.5  # oedema only among the severely thin …
OEDEMA_SHARE = 0.15  # … and of them this share
# Birth weight in grams, N(mean, sd): about 6 % under 2,500 g (Indonesia's LBW share, SKI 2023);
# the share of measurements that record it.
BIRTH_WEIGHT_G = (3150.0, 420.0)
BIRTH_WEIGHT_RECORDED = 0.85


@dataclass
class Measurements:
    rows: pd.DataFrame  # one row per measurement
    rounds: list[tuple[int, int]]


def rounds_for(ref: date) -> list[tuple[int, int]]:
    """The posyandu rounds up to ``ref``: the two most recent national weighing months and the
    last ``MONTHLY_SERIES`` months, each with a weekday on or before ``ref``."""
    found: list[tuple[int, int]] = []
    year = ref.year
    last = d64(ref)
    while len(found) < 2 and year > ref.year - 3:
        for month in sorted(POSYANDU_MONTHS, reverse=True):
            if len(found) < 2 and len(weekdays_in_month(year, month, last)) > 0:
                found.append((year, month))
        year -= 1
    monthly: list[tuple[int, int]] = []
    year, month = ref.year, ref.month
    while len(monthly) < MONTHLY_SERIES:
        if len(weekdays_in_month(year, month, last)) > 0:
            monthly.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(set(found) | set(monthly))


def _lms(table: LmsTable, sex: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, ...]:
    idx = np.clip(np.round((x - table.x0) / table.step).astype(np.int64), 0, table.n - 1)
    return table.L[sex, idx], table.M[sex, idx], table.S[sex, idx]


def z_score(
    value: np.ndarray, L: np.ndarray, M: np.ndarray, S: np.ndarray, restricted: bool
) -> np.ndarray:
    """WHO LMS z-score; for weight indicators beyond ±3 the restricted WHO formula."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (np.power(value / M, L) - 1.0) / (L * S)
        if not restricted:
            return z
        sd3p, sd2p = (value_at_z(L, M, S, np.full(np.shape(L), z0)) for z0 in (3.0, 2.0))
        sd3n, sd2n = (value_at_z(L, M, S, np.full(np.shape(L), z0)) for z0 in (-3.0, -2.0))
        z = np.where(z > 3, 3.0 + (value - sd3p) / (sd3p - sd2p), z)
        z = np.where(z < -3, -3.0 + (value - sd3n) / (sd2n - sd3n), z)
    return z


def measure(
    pop: Population, villages: Villages, krs: np.ndarray, rng: np.random.Generator, ref: date
) -> Measurements:
    fam, p = pop.families, pop.persons
    ref64 = d64(ref)
    rounds = rounds_for(ref)
    born = p["lahir"].to_numpy().astype("datetime64[D]")
    fid = p["fid"].to_numpy()

    posyandu, pos_key = _posyandu(fam, villages, rng)

    # Children who come at all, and a child-level height-for-age z.
    start = min(np.datetime64(f"{y:04d}-{m:02d}-01", "D") for y, m in rounds)
    young = born > start - np.timedelta64(5 * 366 + 31, "D")
    registered = fam["in_keluarga"].to_numpy()[fid]
    comes = young & np.where(registered, rng.random(len(p)) < MEASURED_SHARE, True)
    # Twins come to the posyandu together: each takes its first-born co-twin's draws.
    twin = p["twin"].to_numpy()
    follows = np.flatnonzero(twin > np.arange(len(p)))
    together = twin[follows]
    comes[together] = comes[follows]
    poor = np.isin(fam["desil"].to_numpy(), [1, 2])
    mu = -0.98 - 0.40 * krs.astype(float) - 0.22 * poor - 0.08 * fam["v"].to_numpy()
    haz0 = mu[fid] + rng.normal(0.0, 1.0, len(p))
    whz0 = rng.normal(-0.4, 1.0, len(p))
    regular = rng.random(len(p)) < REGULAR_SHARE
    regular[together] = regular[follows]
    p_t = _weighing.t_probability(krs, poor)[fid]
    haz_noise = rng.normal(0.0, HAZ_NOISE, len(p))
    whz_noise = rng.normal(0.0, WHZ_NOISE, len(p))

    parts = []
    for r, (year, month) in enumerate(rounds):
        if r > 0:
            # the noise drifts: correlated with the previous round's by its distance in months
            gap = (year - rounds[r - 1][0]) * 12 + month - rounds[r - 1][1]
            keep = MONTHLY_CORRELATION**gap
            fresh = np.sqrt(1.0 - keep**2)
            haz_noise = keep * haz_noise + fresh * rng.normal(0.0, HAZ_NOISE, len(p))
            whz_noise = keep * whz_noise + fresh * rng.normal(0.0, WHZ_NOISE, len(p))
        days = weekdays_in_month(year, month, ref64)
        # each posyandu meets on one weekday; some children are weighed on another day
        meet = days[rng.integers(0, len(days), int(pos_key.max()) + 1)]
        when = meet[pos_key[fid]]
        other = rng.random(len(p)) < 0.08
        when = np.where(other, days[rng.integers(0, len(days), len(p))], when)
        when[together] = when[follows]
        months = completed_months(born, when)
        age_days = (when - born).astype(np.int64)
        if month in POSYANDU_MONTHS:
            present = rng.random(len(p)) < ATTENDANCE
        else:
            rate = np.where(regular, MONTHLY_ATTENDANCE[0], MONTHLY_ATTENDANCE[1])
            present = rng.random(len(p)) < rate
        present[together] = present[follows]
        ok = (
            comes
            & present
            & (age_days >= 0)
            & (months <= 59)
            & ~((age_days >= SWITCH_GAP[0]) & (age_days < SWITCH_GAP[1]))
        )
        idx = np.flatnonzero(ok)
        parts.append(
            pd.DataFrame(
                {
                    "pid": idx,
                    "ronde": f"{year:04d}-{month:02d}",
                    "tanggal_ukur": when[idx],
                    "umur_hari": age_days[idx],
                    "umur_bulan": months[idx],
                    "haz_draw": np.clip(haz0[idx] + haz_noise[idx], -4.5, 3.5),
                    "whz_draw": np.clip(whz0[idx] + whz_noise[idx], -4.0, 4.0),
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True)
    rows["posyandu"] = posyandu[pos_key[fid[rows["pid"].to_numpy()]]]
    _anthropometry(rows, p, p_t, rng)
    return Measurements(rows, rounds)


def _posyandu(
    fam: pd.DataFrame, villages: Villages, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Posyandu names per village (``Posyandu Melati 1`` …) and each family's posyandu key."""
    village = fam["village"].to_numpy()
    rt = fam["rt"].astype(int).to_numpy()
    families = np.bincount(village, minlength=len(villages))
    max_rt = np.zeros(len(villages), dtype=np.int64)
    np.maximum.at(max_rt, village, rt)
    # about one posyandu per 250 families (Kutai Timur has some five hundred)
    n_pos = np.maximum(1, np.round(families / 250.0)).astype(np.int64)
    pos = (rt - 1) * n_pos[village] // np.maximum(max_rt[village], 1)
    offset = np.concatenate([[0], np.cumsum(n_pos)[:-1]])
    key = offset[village] + pos
    flowers = np.array(FLOWERS, dtype=object)
    pair = np.stack([rng.permutation(len(flowers))[:2] for _ in range(len(villages))])
    names = []
    for v in range(len(villages)):
        for k in range(int(n_pos[v])):
            names.append(f"Posyandu {flowers[pair[v, k % 2]]} {k // 2 + 1}")
    return np.array(names, dtype=object), key


def _anthropometry(
    rows: pd.DataFrame, p: pd.DataFrame, p_t: np.ndarray, rng: np.random.Generator
) -> None:
    pid = rows["pid"].to_numpy()
    sex = p["female"].to_numpy()[pid].astype(np.int64)
    age = rows["umur_hari"].to_numpy()
    lying = age < 731
    lhfa = load_table("lhfa")
    L, M, S = _lms(lhfa, sex, age.astype(float))
    true_len = np.round(value_at_z(L, M, S, rows["haz_draw"].to_numpy()), 1)
    haz = z_score(true_len, L, M, S, restricted=False)
    rows["haz"] = np.round(haz, 6)
    wrong = rng.random(len(rows)) < WRONG_POSITION
    measured_lying = lying ^ wrong
    shift = np.where(wrong, np.where(lying, -0.7, 0.7), 0.0)
    rows["tinggi"] = np.round(true_len + shift, 1)
    rows["cara_ukur"] = np.where(measured_lying, "berbaring", "berdiri")

    # weight from weight-for-length (lying age) or weight-for-height, at the corrected value
    wfl, wfh = load_table("wfl"), load_table("wfh")
    table_lo = np.where(lying, wfl.x0, wfh.x0)
    table_hi = np.where(lying, wfl.x0 + (wfl.n - 1) * wfl.step, wfh.x0 + (wfh.n - 1) * wfh.step)
    inside = (true_len >= table_lo) & (true_len <= table_hi)
    Ll, Ml, Sl = _lms(wfl, sex, true_len)
    Lh, Mh, Sh = _lms(wfh, sex, true_len)
    Lw, Mw, Sw = (np.where(lying, a, b) for a, b in ((Ll, Lh), (Ml, Mh), (Sl, Sh)))
    La, Ma, Sa = _lms(load_table("wfa"), sex, age.astype(float))
    whz = rows["whz_draw"].to_numpy()
    weight = np.where(inside, value_at_z(Lw, Mw, Sw, whz), value_at_z(La, Ma, Sa, whz))
    weight = np.clip(np.round(weight, 1), 0.5, 40.0)
    # the gains between consecutive monthly weighings (N or T, `_weighing`)
    weight = _weighing.monthly_gains(
        pid,
        _weighing.period_of(rows["tanggal_ukur"].to_numpy()),
        rows["umur_bulan"].to_numpy(),
        weight,
        p_t[pid],
        rng,
    )
    weight = np.clip(weight, 0.5, 40.0)
    rows["berat"] = weight
    rows["whz"] = np.where(
        inside, np.round(z_score(weight, Lw, Mw, Sw, restricted=True), 6), np.nan
    )
    rows["stunted"] = haz < -2.0  # from the unrounded z, as the standard computes it

    # Mid-upper arm circumference for most children from six months, its z following the
    # weight-for-height z, so that thin children have thin arms (some under 12.5 cm).
    acfa = load_table("acfa")
    has_lila = (age >= 183) & (rng.random(len(rows)) < LILA_SHARE)
    Lm, Mm, Sm = _lms(acfa, sex, age.astype(float))
    muac_z = 0.6 * whz + 0.8 * rng.normal(0.0, 1.0, len(rows)) - 0.3
    lila = np.round(value_at_z(Lm, Mm, Sm, muac_z.clip(-3.5, 3.5)), 1)
    rows["lila"] = np.where(has_lila, lila, np.nan)
    # Bilateral pitting oedema: a few of the severely wasted (already below -2 SD weight-for-
    # height, so the wasting the truth counts stays as it is).
    rows["edema"] = (whz < OEDEMA_AMONG_WHZ_BELOW) & (rng.random(len(rows)) < OEDEMA_SHARE)
    # Birth weight, one per child (~6 % under 2,500 g), recorded at most measurements.
    born_g = np.clip(
        np.round(rng.normal(BIRTH_WEIGHT_G[0], BIRTH_WEIGHT_G[1], len(p)), -1), 1500, 4800
    )
    recorded = rng.random(len(rows)) < BIRTH_WEIGHT_RECORDED
    rows["berat_lahir"] = np.where(recorded, born_g[pid], np.nan)
    rows.drop(columns=["haz_draw", "whz_draw"], inplace=True)
