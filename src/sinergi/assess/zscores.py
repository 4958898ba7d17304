"""WHO Child Growth Standards (2006) z-scores for children under five, vectorised with NumPy.

The LMS method over the bundled day-by-day / 0.1 cm WHO tables, following WHO's own R package
``anthro`` (WorldHealthOrg/anthro, the engine of the WHO Anthro software) rule by rule:

* Age is an integer number of days, measurement date minus birth date. Only children under 60
  months are scored: age in months = days / 30.4375 < 60, i.e. day 0 to day 1826.
* Length (lying) is the reference under 731 days, height (standing) from 731 days. A child measured
  standing under 731 days gets +0.7 cm, a child measured lying from 731 days gets -0.7 cm. WHO
  treats "standing" before 9 months (days / 30.4375 < 9, i.e. day 0-273) as an implausible position
  and ignores it: that length is used as recorded. An unknown position takes the age default (no
  correction). The corrected length is used for length/height-for-age, for the choice of table and
  for BMI.
* Weight-for-length (table 45-110 cm) under 731 days, weight-for-height (65-120 cm) from 731 days;
  when the age is unknown the recorded position decides, and without a position a length under 87 cm
  counts as lying. Lengths between two 0.1 cm rows interpolate L, M and S linearly. WHO only scores
  weights of 0.9-58 kg here.
* z = ((y / M)^L - 1) / (L * S). Weight-based indicators (weight-for-age, weight-for-length/height,
  BMI-for-age, arm circumference-for-age) restrict the tails: beyond +3 the distance from the +3 SD
  line is counted in units of (SD3 - SD2), below -3 in units of (SD-2 - SD-3). Length/height-for-age
  is not restricted (its L is 1, so it would make no difference).
* Flags (WHO implausible values; the z is still returned): |HAZ| > 6, WAZ < -6 or > 5, |WHZ| > 5,
  |BAZ| > 5, |MUAC-z| > 5.
* Missing dates: like WHO, weight-for-length/height is still scored (table by the recorded position,
  else by the 87 cm rule) and the age-based indicators are not. A measurement date before the birth
  date is a data error: nothing is scored.

One deliberate difference from WHO's R code: its range check of the corrected length runs on raw
binary floating point, so a child measured lying at 65.7 cm after 24 months (65.7 - 0.7 =
64.99999999999999) falls off the weight-for-height table there; here it is scored at 65.0 cm.

Rounding, as WHO Anthro does: WHO's R code rounds every z with base R ``round(z, digits = 2)``
(``apply_zscore_and_growthstandards`` in ``R/z-score-helper.R``; ``z_precision = 2L`` in later
versions) *before* ``flag_zscore`` compares it with the flag limits, and its categories and
prevalences read that rounded z. Here too every flag and category is decided on z rounded to
``DECIDE_DECIMALS`` (2) decimals: z = -2.004 is -2.00, not stunted; -2.006 is -2.01, stunted.
Base R (>= 4.0) rounds to the 2-decimal number nearest to the double it is given, an exact tie
to the even neighbour; -2.005 is stored as -2.00499999999999989..., so R (and this module) give
-2.00 (not stunted), not -2.01. ``who_round`` does the same: NumPy's ``rint(x * 100) / 100``,
with the rare values whose ``x * 100`` lands within 1e-9 of a half decided again by Python's
correctly rounded ``round``. The z returned keeps full precision unless ``decimals`` is given
(the assessment run stores the 2-decimal z it decided on).

Oedema (bilateral pitting oedema, ``oedema`` true): as WHO Anthro, the weight-based z-scores
(weight-for-age, weight-for-length/height, BMI-for-age) are not computed (NaN, not flagged,
reason ``edema``), and the child counts as severely affected in their categories (WHO's
prevalence uses z = -3.1 for them): ``status_bbu`` "sangat_kurang", ``status_bbtb`` and
``status_imtu`` "gizi_buruk". Length/height-for-age and arm circumference are scored as usual.
An age known to be negative or over 60 months gets no category, as without oedema.

Categories follow Permenkes No. 2 Tahun 2020 (Standar Antropometri Anak), whose table reads
"< -3 SD", "-3 SD sd < -2 SD", "-2 SD sd +1 SD", "> +1 SD sd +2 SD", "> +2 SD sd +3 SD", "> +3 SD":
every lower boundary belongs to the milder category on the low side (z = -2 is normal, z = -3 is
stunted, not severely), every upper boundary to the category below it (z = +1 is normal for
BB/U, BB/TB and IMT/U; z = +3 is normal for TB/U and "gizi lebih" for BB/TB).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from sinergi.assess.growth_input import (
    Children,
    broadcast,
    children,
    common_length,
    numbers,
    parse_dates,
)
from sinergi.assess.who_tables import load_table
from sinergi.core.ages import DAYS_PER_MONTH, LYING_BEFORE_DAYS, MAX_AGE_DAYS
from sinergi.core.growth import CUTS

__all__ = [
    "DECIDE_DECIMALS",
    "FLAG_LIMITS",
    "MAIN_INDICATORS",
    "REASONS",
    "classify_zscores",
    "compute_zscores",
    "compute_zscores_age",
    "who_round",
]

LENHEI_CORRECTION_CM = 0.7
STANDING_PLAUSIBLE_FROM_MONTHS = 9.0
ACFA_MIN_AGE_DAYS = 91
WFL_RANGE_CM = (45.0, 110.0)
WFH_RANGE_CM = (65.0, 120.0)
WFLH_WEIGHT_RANGE_KG = (0.9, 58.0)
UNKNOWN_AGE_LYING_BELOW_CM = 87.0
# A length like 65.7 - 0.7 lands a hair below 65.0 in binary floating point; a recorded value must
# not fall off a table edge because of that, so the range checks allow this much slack.
_EDGE_EPS = 1e-9

# indicator -> (lower limit, upper limit) of a plausible z; outside is flagged.
FLAG_LIMITS: dict[str, tuple[float, float]] = {
    "tbu": (-6.0, 6.0),
    "bbu": (-6.0, 5.0),
    "bbtb": (-5.0, 5.0),
    "imtu": (-5.0, 5.0),
    "lila": (-5.0, 5.0),
}


# Reason codes of the ``alasan`` column, in the order they are listed.
REASONS: tuple[str, ...] = (
    "jk_tidak_valid",
    "tgl_lahir_tidak_valid",
    "tgl_ukur_tidak_valid",
    "umur_kosong",
    "umur_negatif",
    "umur_lebih_60_bulan",
    "berat_kosong",
    "berat_tidak_positif",
    "tinggi_kosong",
    "tinggi_tidak_positif",
    "berat_di_luar_batas_bbtb",
    "tinggi_di_luar_tabel_bbtb",
    "lila_tidak_positif",
    "umur_kurang_91_hari_lila",
    "edema",
)
_BIT = {code: np.int32(1 << i) for i, code in enumerate(REASONS)}

MAIN_INDICATORS = ("tbu", "bbu", "bbtb", "imtu")
# Weight-based indicators: not computed for a child with oedema, which counts as severe in them.
OEDEMA_SEVERE: dict[str, str] = {"bbu": "sangat_kurang", "bbtb": "gizi_buruk", "imtu": "gizi_buruk"}
# WHO Anthro rounds z to this many decimals before flags and categories.
DECIDE_DECIMALS = 2


# --------------------------------------------------------------------------------------------
# Tables as flat arrays: row (sex, i) of an indicator is element sex * n + i.


@dataclass(frozen=True)
class _Flat:
    L: np.ndarray
    M: np.ndarray
    S: np.ndarray
    n: int
    x0: float
    unit_l: bool  # L == 1 everywhere: the z is linear and needs no power


@cache
def _flat(indicator: str) -> _Flat:
    t = load_table(indicator)
    if not np.all(t.L != 0):
        raise ValueError(f"WHO table {indicator} has L = 0; the Box-Cox limit is not expected here")
    return _Flat(
        np.ascontiguousarray(t.L.ravel()),
        np.ascontiguousarray(t.M.ravel()),
        np.ascontiguousarray(t.S.ravel()),
        t.n,
        t.x0,
        bool(np.all(t.L == 1.0)),
    )


@cache
def _flat_wflh() -> tuple[_Flat, _Flat, np.ndarray, np.ndarray, np.ndarray]:
    """Weight-for-length then weight-for-height, concatenated so one gather serves both."""
    wfl, wfh = _flat("wfl"), _flat("wfh")
    return (
        wfl,
        wfh,
        np.concatenate([wfl.L, wfh.L]),
        np.concatenate([wfl.M, wfh.M]),
        np.concatenate([wfl.S, wfh.S]),
    )


def _sd_lines(
    L: np.ndarray, M: np.ndarray, S: np.ndarray, outer: float, inner: float
) -> tuple[np.ndarray, np.ndarray]:
    """The measurements on two SD lines, M * (1 + L*S*z)^(1/L) (L is never 0 in these tables)."""
    ls, inv = L * S, 1.0 / L
    return M * np.power(1.0 + ls * outer, inv), M * np.power(1.0 + ls * inner, inv)


def _lms_z(
    y: np.ndarray, L: np.ndarray, M: np.ndarray, S: np.ndarray, restricted: bool
) -> np.ndarray:
    """WHO LMS z; with ``restricted`` the tails beyond +-3 are measured in SD23 units."""
    z = (np.power(y / M, L) - 1.0) / (L * S)
    if not restricted:
        return z
    hi = np.flatnonzero(z > 3.0)
    if hi.size:
        sd3, sd2 = _sd_lines(L[hi], M[hi], S[hi], 3.0, 2.0)
        z[hi] = 3.0 + (y[hi] - sd3) / (sd3 - sd2)
    lo = np.flatnonzero(z < -3.0)
    if lo.size:
        sd3, sd2 = _sd_lines(L[lo], M[lo], S[lo], -3.0, -2.0)
        z[lo] = -3.0 + (y[lo] - sd3) / (sd2 - sd3)
    return z


def _age_indicator(
    indicator: str,
    sex: np.ndarray,
    age: np.ndarray,
    y: np.ndarray,
    valid: np.ndarray,
    restricted: bool,
) -> np.ndarray:
    t = _flat(indicator)
    x0 = int(t.x0)
    valid = valid & (age >= x0) & (age <= x0 + t.n - 1)
    idx = sex * t.n + (age - x0)
    np.copyto(idx, 0, where=~valid)
    M, S = t.M[idx], t.S[idx]
    # With L == 1 the power is the identity: skip it.
    linear = t.unit_l and not restricted
    z = (y / M - 1.0) / S if linear else _lms_z(y, t.L[idx], M, S, restricted)
    np.copyto(z, np.nan, where=~valid)
    return z


# --------------------------------------------------------------------------------------------
# Scoring.


def classify_zscores(indicator: str, z: Any) -> pd.Categorical:
    """Permenkes 2/2020 category codes of z-scores (``tbu``, ``bbu``, ``bbtb`` or ``imtu``)."""
    categories, lower, upper = CUTS[indicator]
    z = np.asarray(z, dtype=np.float64)
    codes = np.zeros(z.shape, dtype=np.int8)
    for cut in lower:
        codes += z >= cut
    for cut in upper:
        codes += z > cut
    codes[np.isnan(z)] = -1
    return pd.Categorical.from_codes(codes, categories=list(categories), ordered=True)


def who_round(z: Any, decimals: int = DECIDE_DECIMALS) -> np.ndarray:
    """z rounded as base R's ``round(z, decimals)`` (R >= 4.0): the ``decimals``-digit number
    nearest to the double given, an exact tie to the even neighbour; NaN stays NaN."""
    z = np.asarray(z, dtype=np.float64)
    scale = 10.0**decimals
    scaled = z * scale
    out = np.rint(scaled) / scale
    # Where z * scale lands next to a half, its own rounding error may decide: ask Python's
    # correctly rounded round() for those few values.
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-9  # NaN compares False
    for i in np.flatnonzero(near_half):
        out.flat[i] = round(float(z.flat[i]), decimals)
    return out


def _reason_column(bits: np.ndarray) -> pd.Categorical:
    # Only the combinations that occur get a category: counted, not sorted, so it stays O(n).
    present = np.flatnonzero(np.bincount(bits, minlength=1))
    if present.size == 0:
        return pd.Categorical.from_codes(np.zeros(0, dtype=np.int8), categories=[""])
    lookup = np.zeros(int(present[-1]) + 1, dtype=np.int32)
    lookup[present] = np.arange(present.size, dtype=np.int32)
    categories = [
        ";".join(code for i, code in enumerate(REASONS) if (int(b) >> i) & 1) for b in present
    ]
    return pd.Categorical.from_codes(lookup[bits], categories=categories)


def _flag(bits: np.ndarray, mask: np.ndarray, code: str) -> None:
    np.bitwise_or(bits, _BIT[code], out=bits, where=mask)


def _score(
    sex: np.ndarray,
    age: np.ndarray,
    weight: np.ndarray,
    height: np.ndarray,
    position: np.ndarray,
    muac: np.ndarray | None,
    oedema: np.ndarray,
    bits: np.ndarray,
    decimals: int | None,
) -> pd.DataFrame:
    """The engine: codes and numbers in, one row of results per child out. ``age`` is in whole
    days as float64 (NaN unknown); ``bits`` already holds the reasons found while reading dates.

    Invalid rows are computed with harmless stand-in indices and blanked at the end: masks and
    in-place copies instead of branches keep every step a single pass over the arrays."""
    n = len(age)
    _flag(bits, sex < 0, "jk_tidak_valid")
    known_age = age >= 0  # NaN compares False
    _flag(bits, age < 0, "umur_negatif")
    over_age = age > MAX_AGE_DAYS
    _flag(bits, over_age, "umur_lebih_60_bulan")
    age_ok = known_age & ~over_age
    sex_ok = sex >= 0
    sx = np.maximum(sex, 0).astype(np.intp)
    ai = np.zeros(n, dtype=np.intp)
    np.copyto(ai, age, casting="unsafe", where=age_ok)

    _flag(bits, np.isnan(weight), "berat_kosong")
    _flag(bits, weight <= 0, "berat_tidak_positif")
    _flag(bits, np.isnan(height), "tinggi_kosong")
    _flag(bits, height <= 0, "tinggi_tidak_positif")
    w_ok = weight > 0

    # WHO ignores "standing" before 9 months: such a length is taken as lying, as recorded.
    too_young_to_stand = known_age & (age / DAYS_PER_MONTH < STANDING_PLAUSIBLE_FROM_MONTHS)
    standing = (position == 1) & ~too_young_to_stand
    lying = position == 0
    lying_age = known_age & (age < LYING_BEFORE_DAYS)
    standing_age = known_age & (age >= LYING_BEFORE_DAYS)
    # x + 0.7 * True and x - 0.7 * True are bit-identical to WHO's lenhei + 0.7 and lenhei - 0.7.
    clen = height + LENHEI_CORRECTION_CM * (lying_age & standing)
    clen -= LENHEI_CORRECTION_CM * (standing_age & lying)
    # A sub-0.7 cm "length" corrected to <= 0 is as unusable as a non-positive one.
    h_ok = (height > 0) & (clen > 0)
    _flag(bits, (height > 0) & ~h_ok, "tinggi_tidak_positif")
    bmi = weight / np.square(clen / 100.0)

    base = sex_ok & age_ok
    z: dict[str, np.ndarray] = {
        "tbu": _age_indicator("lhfa", sx, ai, clen, base & h_ok, restricted=False),
        "bbu": _age_indicator("wfa", sx, ai, weight, base & w_ok, restricted=True),
    }

    # Weight-for-length/height: age decides the table; without an age the recorded position,
    # without both the 87 cm rule (WHO anthro).
    unknown_position = ~standing & ~lying
    use_h = standing_age | (
        ~known_age & (standing | (unknown_position & (clen >= UNKNOWN_AGE_LYING_BELOW_CM)))
    )
    wfl, wfh, tl, tm, ts = _flat_wflh()
    lo = WFL_RANGE_CM[0] + (WFH_RANGE_CM[0] - WFL_RANGE_CM[0]) * use_h
    hi = WFL_RANGE_CM[1] + (WFH_RANGE_CM[1] - WFL_RANGE_CM[1]) * use_h
    in_table = (clen >= lo - _EDGE_EPS) & (clen <= hi + _EDGE_EPS)
    weight_in = (weight >= WFLH_WEIGHT_RANGE_KG[0]) & (weight <= WFLH_WEIGHT_RANGE_KG[1])
    _flag(bits, h_ok & ~in_table, "tinggi_di_luar_tabel_bbtb")
    _flag(bits, w_ok & ~weight_in, "berat_di_luar_batas_bbtb")
    valid = sex_ok & w_ok & h_ok & in_table & weight_in & ~over_age & ~(age < 0)
    last = wfl.n - 1 + (wfh.n - wfl.n) * use_h  # last row index of the table in use
    start = sx * wfl.n + use_h * (2 * wfl.n + sx * (wfh.n - wfl.n))
    pos = (clen - lo) * 10.0  # tenths of a cm above the table start
    np.copyto(pos, 0.0, where=~valid)
    i0 = np.minimum(np.maximum(np.floor(pos), 0.0), last)
    frac = np.minimum(np.maximum(pos - i0, 0.0), 1.0)
    j0 = start + i0.astype(np.intp)
    j1 = np.minimum(j0 + 1, start + last)
    L = tl[j0] + frac * (tl[j1] - tl[j0])
    M = tm[j0] + frac * (tm[j1] - tm[j0])
    S = ts[j0] + frac * (ts[j1] - ts[j0])
    zw = _lms_z(weight, L, M, S, restricted=True)
    np.copyto(zw, np.nan, where=~valid)
    z["bbtb"] = zw

    z["imtu"] = _age_indicator("bmi", sx, ai, bmi, base & w_ok & h_ok, restricted=True)

    if muac is not None:
        _flag(bits, muac <= 0, "lila_tidak_positif")
        young = age_ok & (age < ACFA_MIN_AGE_DAYS) & ~np.isnan(muac)
        _flag(bits, young, "umur_kurang_91_hari_lila")
        z["lila"] = _age_indicator("acfa", sx, ai, muac, base & (muac > 0), restricted=True)

    # Oedema: no weight-based z (WHO Anthro); the child counts as severe in those indicators.
    has_oedema = oedema & ~over_age & ~(age < 0)
    _flag(bits, has_oedema, "edema")
    for key in OEDEMA_SEVERE:
        np.copyto(z[key], np.nan, where=has_oedema)
    # Flags and categories are decided on z rounded as WHO Anthro rounds it.
    decided = {k: who_round(v) for k, v in z.items()}
    if decimals is not None:
        z = (
            decided
            if decimals == DECIDE_DECIMALS
            else {k: who_round(v, decimals) for k, v in z.items()}
        )

    # The float columns are written into one 2-D block so that pandas takes it without copying.
    float_names = ["tinggi_koreksi", "imt", *(f"zs_{key}" for key in z)]
    block = np.empty((len(float_names), n))
    block[0] = clen
    np.copyto(block[0], np.nan, where=~h_ok)
    block[1] = bmi
    np.copyto(block[1], np.nan, where=~(w_ok & h_ok))
    for row, values in enumerate(z.values(), start=2):
        block[row] = values
    frame = pd.DataFrame(block.T, columns=float_names, copy=False)
    no_age = np.isnan(age)
    int_age = np.zeros(n, dtype=np.int64)
    np.copyto(int_age, age, casting="unsafe", where=~no_age)
    frame.insert(0, "umur_hari", pd.arrays.IntegerArray(int_age, no_age))
    extra: dict[str, Any] = {}
    for key, values in decided.items():
        low, high = FLAG_LIMITS[key]
        extra[f"flag_{key}"] = (values < low) | (values > high)
    for key in MAIN_INDICATORS:
        status = classify_zscores(key, decided[key])
        if key in OEDEMA_SEVERE and has_oedema.any():
            codes = status.codes.copy()
            codes[has_oedema] = list(status.categories).index(OEDEMA_SEVERE[key])
            status = pd.Categorical.from_codes(codes, dtype=status.dtype)
        extra[f"status_{key}"] = status
    extra["alasan"] = _reason_column(bits)
    return pd.concat([frame, pd.DataFrame(extra, copy=False)], axis=1, copy=False)


def compute_zscores_age(
    sex: Any,
    age_days: Any,
    weight_kg: Any,
    height_cm: Any,
    position: Any = None,
    muac_cm: Any = None,
    *,
    oedema: Any = None,
    decimals: int | None = None,
) -> pd.DataFrame:
    """Like :func:`compute_zscores` with the age already in days (fractions round half up, as
    WHO anthro does before looking a day up)."""
    n = common_length(sex, age_days, weight_kg, height_cm, position, muac_cm, oedema)
    age = numbers(broadcast(age_days, n))
    age = np.floor(age + 0.5)
    bits = np.zeros(n, dtype=np.int32)
    _flag(bits, np.isnan(age), "umur_kosong")
    kids = children(sex, weight_kg, height_cm, position, muac_cm, n, oedema)
    return _finish(kids, age, bits, decimals)


def compute_zscores(
    sex: Any,
    birth_date: Any,
    measure_date: Any,
    weight_kg: Any,
    height_cm: Any,
    position: Any = None,
    muac_cm: Any = None,
    *,
    oedema: Any = None,
    decimals: int | None = None,
) -> pd.DataFrame:
    """WHO 2006 z-scores, flags and Permenkes 2/2020 categories for many children at once.

    Every argument is an array-like of one value per child (a scalar is repeated): ``sex`` as
    L/P, M/F or 1/2; dates as datetime64, Timestamps, ``datetime.date`` or text (see
    :func:`parse_dates`); weight in kg, length/height in cm; ``position`` berdiri/berbaring or H/L
    (missing or unknown: the age default); ``muac_cm`` optional; ``oedema`` optional, yes/no as
    every source file writes it (missing: no oedema, as WHO Anthro).

    Returns one row per child (RangeIndex, input order): ``umur_hari``, ``tinggi_koreksi`` (the
    length after the 0.7 cm correction), ``imt``, ``zs_tbu``, ``zs_bbu``, ``zs_bbtb``, ``zs_imtu``
    (and ``zs_lila`` when MUAC is given), ``flag_*`` (WHO implausible), ``status_tbu``,
    ``status_bbu``, ``status_bbtb``, ``status_imtu`` (ordered categoricals, missing when not
    scored) and ``alasan``: the reason codes (see ``REASONS``), joined by ';', of every indicator
    that could not be scored, empty when all were (``edema`` for a child with oedema). Flags and
    categories are decided on z rounded to 2 decimals (WHO Anthro); the z returned keeps full
    precision unless ``decimals`` is given. Never raises on a bad row. A flagged z still
    gets its category (Permenkes knows no implausibility); counts of stunted children, as WHO's
    prevalence estimates do, should leave flagged rows out (``GrowthSummary`` does).
    """
    n = common_length(
        sex, birth_date, measure_date, weight_kg, height_cm, position, muac_cm, oedema
    )
    born = parse_dates(broadcast(birth_date, n))
    measured = parse_dates(broadcast(measure_date, n))
    bits = np.zeros(n, dtype=np.int32)
    _flag(bits, np.isnat(born), "tgl_lahir_tidak_valid")
    _flag(bits, np.isnat(measured), "tgl_ukur_tidak_valid")
    age = (measured.astype(np.int64) - born.astype(np.int64)).astype(np.float64)
    age[np.isnat(born) | np.isnat(measured)] = np.nan
    kids = children(sex, weight_kg, height_cm, position, muac_cm, n, oedema)
    return _finish(kids, age, bits, decimals)


def _finish(
    kids: Children, age: np.ndarray, bits: np.ndarray, decimals: int | None
) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return _score(
            kids.sex,
            age,
            kids.weight,
            kids.height,
            kids.position,
            kids.muac,
            kids.oedema,
            bits,
            decimals,
        )
