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

WHO's R code rounds every z to 2 decimals before flagging. Here z keeps full precision (``decimals``
reproduces the rounding when a result must match WHO Anthro output digit for digit); the categories
are decided on the z as returned.

Categories follow Permenkes No. 2 Tahun 2020 (Standar Antropometri Anak), whose table reads
"< -3 SD", "-3 SD sd < -2 SD", "-2 SD sd +1 SD", "> +1 SD sd +2 SD", "> +2 SD sd +3 SD", "> +3 SD":
every lower boundary belongs to the milder category on the low side (z = -2 is normal, z = -3 is
stunted, not severely), every upper boundary to the category below it (z = +1 is normal for
BB/U, BB/TB and IMT/U; z = +3 is normal for TB/U and "gizi lebih" for BB/TB).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sinergi import messages
from sinergi.assess.who_tables import load_table
from sinergi.core.growth import CATEGORIES, CUTS, STUNTED
from sinergi.core.spreadsheet import XLSX_OPTIONS, neutralise_frame
from sinergi.ingest.schema import EPPGBM, fold_header
from sinergi.settings import get_settings

__all__ = [
    "CATEGORIES",
    "FLAG_LIMITS",
    "GrowthFileError",
    "GrowthSummary",
    "REASONS",
    "classify_zscores",
    "compute_zscores",
    "compute_zscores_age",
    "parse_dates",
    "read_measurements",
    "score_file",
]

DAYS_PER_MONTH = 30.4375  # WHO anthro: 365.25 / 12
MAX_AGE_DAYS = 1826  # last whole day with age in months < 60
LYING_BEFORE_DAYS = 731  # length (lying) is the reference below this age, height from it on
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
)
_BIT = {code: np.int32(1 << i) for i, code in enumerate(REASONS)}

MAIN_INDICATORS = ("tbu", "bbu", "bbtb", "imtu")


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
# Input normalisation (array-likes of any reasonable kind -> NumPy arrays).


def _array(values: Any) -> np.ndarray:
    if isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        if isinstance(values, pd.Series | pd.Index) and isinstance(
            values.dtype, pd.DatetimeTZDtype
        ):
            values = (
                values.dt.tz_localize(None)
                if isinstance(values, pd.Series)
                else values.tz_localize(None)
            )
        return np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
    return np.asarray(values)


def _broadcast(values: Any, n: int) -> np.ndarray:
    arr = _array(values)
    if arr.ndim == 0:
        return np.full(n, arr.item(), dtype=arr.dtype if arr.dtype.kind != "U" else object)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"expected {n} values, got shape {arr.shape}")
    return arr


def _length(*values: Any) -> int:
    sizes = {len(a) for a in (_array(v) for v in values if v is not None) if a.ndim == 1}
    if len(sizes) > 1:
        raise ValueError(f"inputs have different lengths: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def _map_uniques(arr: np.ndarray, convert: Any, dtype: Any, missing: Any) -> np.ndarray:
    """Apply a per-value ``convert`` once per distinct value (columns repeat values heavily)."""
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    table = np.array([convert(u) for u in uniques] + [missing], dtype=dtype)
    return table[codes]


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


_SEX_WORDS: dict[str, int] = {
    **dict.fromkeys(("l", "lk", "laki", "lakilaki", "pria", "m", "male", "boy", "1"), 0),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "f", "female", "girl", "2"), 1),
}


def _sex_of(value: Any) -> int:
    if isinstance(value, bool | np.bool_):
        return -1
    if isinstance(value, int | float | np.number):
        return {1.0: 0, 2.0: 1}.get(float(value), -1)
    text = str(value).strip()
    try:  # "1.0" from a spreadsheet that stored the code as a number
        return {1.0: 0, 2.0: 1}.get(float(text), -1)
    except ValueError:
        return _SEX_WORDS.get(_fold(text), -1)


def _sex_codes(values: np.ndarray) -> np.ndarray:
    """0 = boy, 1 = girl, -1 = unknown. Accepts L/P, M/F, 1/2 and the words for them."""
    if values.dtype.kind in "biuf":
        with np.errstate(invalid="ignore"):
            return np.select([values == 1, values == 2], [0, 1], -1).astype(np.int8)
    return _map_uniques(values, _sex_of, np.int8, -1)


_POSITION_WORDS: dict[str, int] = {
    **dict.fromkeys(
        [
            "l",
            "berbaring",
            "terlentang",
            "telentang",
            "panjangbadan",
            "pb",
            "lying",
            "recumbent",
            "length",
        ],
        0,
    ),
    **dict.fromkeys(["h", "berdiri", "tinggibadan", "tb", "standing", "height"], 1),
}


def _position_codes(values: np.ndarray) -> np.ndarray:
    """0 = lying (L), 1 = standing (H), -1 = unknown (the age default applies)."""
    return _map_uniques(values, lambda v: _POSITION_WORDS.get(_fold(str(v)), -1), np.int8, -1)


def _float_of(value: Any) -> float:
    if isinstance(value, bool | np.bool_):
        return np.nan
    if isinstance(value, int | float | np.number):
        return float(value)
    text = str(value).strip().replace(",", ".")  # Indonesian spreadsheets write "12,5"
    try:
        return float(text) if text else np.nan
    except ValueError:
        return np.nan


def _floats(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    return _map_uniques(values, _float_of, np.float64, np.nan)


_MONTH_NAMES = (
    "januari februari maret april mei juni juli agustus september oktober november desember",
    "january february march april may june july august september october november december",
)
# Full names and their three-letter forms (Jan, Agu, Okt, Des ...) plus common variants.
_MONTHS: dict[str, int] = {
    **{
        form: i + 1
        for names in _MONTH_NAMES
        for i, name in enumerate(names.split())
        for form in (name, name[:3])
    },
    **{"pebruari": 2, "agt": 8, "ags": 8, "nop": 11, "sept": 9},
}
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T].*)?$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T].*)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_SERIAL = re.compile(r"^\d{1,6}(?:\.0*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 in Excel's (leap-bug) 1900 system
_EXCEL_EPOCH_DAYS = (_EXCEL_EPOCH - dt.date(1970, 1, 1)).days


def _excel_serial(value: float) -> dt.date | None:
    if not np.isfinite(value) or value < 1 or value >= 2958466:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def _date_of(value: Any) -> np.datetime64:
    date: dt.date | None = None
    if isinstance(value, pd.Timestamp | dt.datetime):
        date = value.date() if not pd.isna(value) else None
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, np.datetime64):
        return value.astype("datetime64[D]")
    elif isinstance(value, bool | np.bool_):
        date = None
    elif isinstance(value, int | float | np.number):
        date = _excel_serial(float(value))
    elif isinstance(value, str):
        text = value.strip()
        try:
            if m := _DMY.match(text):
                date = dt.date(int(m[3]), int(m[2]), int(m[1]))
            elif m := _YMD.match(text):
                date = dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif (m := _D_MONTH_Y.match(text)) and m[2].lower() in _MONTHS:
                date = dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
            elif _SERIAL.match(text):
                date = _excel_serial(float(text))
        except ValueError:  # 31/02/2023 and the like
            date = None
    return np.datetime64(date, "D") if date is not None else np.datetime64("NaT", "D")


def parse_dates(values: Any) -> np.ndarray:
    """Dates as ``datetime64[D]`` (NaT when missing or unreadable).

    Accepts datetime64 arrays, pandas Timestamps, ``datetime.date``, Excel serial numbers and the
    text forms officers type: ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``yyyy-mm-dd`` (optionally with a time)
    and ``12 Januari 2023``. Day-first always: Indonesia never writes month-first.
    """
    arr = _array(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]")
    if arr.dtype.kind in "iuf":
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(arr) & (arr >= 1) & (arr < 2958466)
        days = np.where(ok, arr, 0).astype(np.int64) + _EXCEL_EPOCH_DAYS
        out = days.astype("datetime64[D]")
        out[~ok] = np.datetime64("NaT")
        return out
    return _map_uniques(arr, _date_of, "datetime64[D]", np.datetime64("NaT", "D"))


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

    if decimals is not None:
        z = {k: np.round(v, decimals) for k, v in z.items()}

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
    for key, values in z.items():
        low, high = FLAG_LIMITS[key]
        extra[f"flag_{key}"] = (values < low) | (values > high)
    for key in MAIN_INDICATORS:
        extra[f"status_{key}"] = classify_zscores(key, z[key])
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
    decimals: int | None = None,
) -> pd.DataFrame:
    """Like :func:`compute_zscores` with the age already in days (fractions round half up, as
    WHO anthro does before looking a day up)."""
    n = _length(sex, age_days, weight_kg, height_cm, position, muac_cm)
    age = _floats(_broadcast(age_days, n))
    age = np.floor(age + 0.5)
    bits = np.zeros(n, dtype=np.int32)
    _flag(bits, np.isnan(age), "umur_kosong")
    return _finish(sex, age, weight_kg, height_cm, position, muac_cm, bits, n, decimals)


def compute_zscores(
    sex: Any,
    birth_date: Any,
    measure_date: Any,
    weight_kg: Any,
    height_cm: Any,
    position: Any = None,
    muac_cm: Any = None,
    *,
    decimals: int | None = None,
) -> pd.DataFrame:
    """WHO 2006 z-scores, flags and Permenkes 2/2020 categories for many children at once.

    Every argument is an array-like of one value per child (a scalar is repeated): ``sex`` as
    L/P, M/F or 1/2; dates as datetime64, Timestamps, ``datetime.date`` or text (see
    :func:`parse_dates`); weight in kg, length/height in cm; ``position`` berdiri/berbaring or H/L
    (missing or unknown: the age default); ``muac_cm`` optional.

    Returns one row per child (RangeIndex, input order): ``umur_hari``, ``tinggi_koreksi`` (the
    length after the 0.7 cm correction), ``imt``, ``zs_tbu``, ``zs_bbu``, ``zs_bbtb``, ``zs_imtu``
    (and ``zs_lila`` when MUAC is given), ``flag_*`` (WHO implausible), ``status_tbu``,
    ``status_bbu``, ``status_bbtb``, ``status_imtu`` (ordered categoricals, missing when not
    scored) and ``alasan``: the reason codes (see ``REASONS``), joined by ';', of every indicator
    that could not be scored, empty when all were. Never raises on a bad row. A flagged z still
    gets its category (Permenkes knows no implausibility); counts of stunted children, as WHO's
    prevalence estimates do, should leave flagged rows out (``GrowthSummary`` does).
    """
    n = _length(sex, birth_date, measure_date, weight_kg, height_cm, position, muac_cm)
    born = parse_dates(_broadcast(birth_date, n))
    measured = parse_dates(_broadcast(measure_date, n))
    bits = np.zeros(n, dtype=np.int32)
    _flag(bits, np.isnat(born), "tgl_lahir_tidak_valid")
    _flag(bits, np.isnat(measured), "tgl_ukur_tidak_valid")
    age = (measured.astype(np.int64) - born.astype(np.int64)).astype(np.float64)
    age[np.isnat(born) | np.isnat(measured)] = np.nan
    return _finish(sex, age, weight_kg, height_cm, position, muac_cm, bits, n, decimals)


def _finish(
    sex: Any,
    age: np.ndarray,
    weight_kg: Any,
    height_cm: Any,
    position: Any,
    muac_cm: Any,
    bits: np.ndarray,
    n: int,
    decimals: int | None,
) -> pd.DataFrame:
    positions = (
        np.full(n, -1, dtype=np.int8)
        if position is None
        else _position_codes(_broadcast(position, n))
    )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return _score(
            _sex_codes(_broadcast(sex, n)),
            age,
            _floats(_broadcast(weight_kg, n)),
            _floats(_broadcast(height_cm, n)),
            positions,
            None if muac_cm is None else _floats(_broadcast(muac_cm, n)),
            bits,
            decimals,
        )


# --------------------------------------------------------------------------------------------
# Files.

# canonical field -> header spellings (folded before comparison). The e-PPGBM export headers and
# the short names of the CLI's own template.
FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "jk": ("jk", "Jenis Kelamin", "L/P", "Kelamin", "JK (L/P)", "Sex"),
    "tgl_lahir": (
        "tgl_lahir",
        "Tanggal Lahir",
        "Tgl. Lahir",
        "Tgl Lahir Anak",
        "Tanggal Lahir Anak",
    ),
    "tgl_ukur": (
        "tgl_ukur",
        "Tanggal Pengukuran",
        "Tanggal Ukur",
        "Tgl Pengukuran",
        "Tgl. Ukur",
        "Tanggal Penimbangan",
        "Tgl Penimbangan",
    ),
    "berat": ("berat", "BB", "Berat Badan", "BB (kg)", "Berat (kg)", "Berat Badan (kg)"),
    "tinggi": (
        "tinggi",
        "TB",
        "PB",
        "Tinggi Badan",
        "Panjang Badan",
        "TB/PB",
        "PB/TB",
        "TB (cm)",
        "PB (cm)",
        "Tinggi (cm)",
        "Tinggi Badan (cm)",
        "Panjang/Tinggi",
    ),
    "cara_ukur": ("cara_ukur", "Cara Ukur", "Cara Pengukuran", "Posisi Ukur"),
    "lila": ("lila", "LiLA", "LILA (cm)", "Lingkar Lengan Atas", "LiLA (cm)"),
}
# The e-PPGBM source kind of the ingest schema knows more spellings; they are accepted too.
_SCHEMA_NAMES = {
    "jk": "jenis_kelamin",
    "tgl_lahir": "tanggal_lahir",
    "tgl_ukur": "tanggal_ukur",
    "berat": "berat",
    "tinggi": "tinggi",
    "cara_ukur": "cara_ukur",
    "lila": "lila",
}
_REQUIRED = ("jk", "tgl_lahir", "tgl_ukur")


def _header_spellings(field: str) -> tuple[str, ...]:
    try:
        col = EPPGBM.column(_SCHEMA_NAMES[field])
    except KeyError:
        return FILE_COLUMNS[field]
    return (*FILE_COLUMNS[field], col.name, col.header, *col.aliases)


class GrowthFileError(ValueError):
    """A file that cannot be scored as a whole (unreadable, or a required column is missing)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _message(code: str, **params: object) -> str:
    return messages.t(code, get_settings().lang, **params)


@dataclass(frozen=True)
class GrowthSummary:
    """What ``sinergi anthro`` reports. ``scored + partial + not_scored == rows``."""

    rows: int
    scored: int  # all four indicators computed
    partial: int  # some computed, some not (see alasan)
    not_scored: int  # none computed
    stunted: int  # status_tbu pendek or sangat_pendek, implausible HAZ (flag_tbu) excluded
    severely_stunted: int
    implausible: int  # rows with at least one WHO flag

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


def _csv_delimiter(path: Path, encoding: str) -> str:
    with path.open("r", encoding=encoding, newline="") as fh:
        for line in fh:
            if line.strip():
                try:
                    return csv.Sniffer().sniff(line, delimiters=",;\t|").delimiter
                except csv.Error:
                    return ","
    return ","


def read_measurements(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """The table of a CSV or XLSX file, header on its first non-empty row, empty rows dropped.

    CSV cells stay text (written back exactly as read); XLSX cells keep their types.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _EXCEL_SUFFIXES + _TEXT_SUFFIXES:
        raise GrowthFileError(
            "berkas_tidak_terbaca",
            _message("berkas_tidak_terbaca", detail=f"{path.name}: CSV/XLSX"),
        )
    try:
        if suffix in _EXCEL_SUFFIXES:
            raw = pd.read_excel(
                path, engine="calamine", sheet_name=0 if sheet is None else sheet, header=None
            )
        else:
            encoding = "utf-8-sig"
            try:
                path.read_bytes().decode(encoding)
            except UnicodeDecodeError:
                encoding = "cp1252"
            raw = pd.read_csv(
                path,
                sep=_csv_delimiter(path, encoding),
                header=None,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                skip_blank_lines=True,
            )
            raw = raw.replace("", np.nan)
    except pd.errors.EmptyDataError as exc:
        raise GrowthFileError("berkas_kosong", _message("berkas_kosong")) from exc
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise GrowthFileError(
            "berkas_tidak_terbaca", _message("berkas_tidak_terbaca", detail=str(exc))
        ) from exc
    raw = raw.dropna(how="all")
    if raw.empty:
        raise GrowthFileError("berkas_kosong", _message("berkas_kosong"))
    header = [
        str(v).strip() if not pd.isna(v) else f"kolom_{j + 1}" for j, v in enumerate(raw.iloc[0])
    ]
    seen: dict[str, int] = {}
    for j, name in enumerate(header):  # duplicate headers would collide when written back
        if name in seen:
            seen[name] += 1
            header[j] = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
    table = raw.iloc[1:].reset_index(drop=True)
    table.columns = header
    if table.empty:
        raise GrowthFileError("berkas_kosong", _message("berkas_kosong"))
    return table.infer_objects() if suffix in _EXCEL_SUFFIXES else table


def _find_columns(columns: Sequence[str]) -> dict[str, str]:
    folded: dict[str, str] = {}
    for col in columns:
        folded.setdefault(fold_header(col), col)
    found: dict[str, str] = {}
    for field in FILE_COLUMNS:
        for name in _header_spellings(field):
            match = folded.get(fold_header(name))
            if match is not None:
                found[field] = match
                break
    return found


def score_file(
    in_path: str | Path, out_path: str | Path, *, sheet: str | int | None = None
) -> GrowthSummary:
    """Read measurements (CSV/XLSX), write them back with the z-score columns appended.

    Columns are found by header (case, spaces, dots, slashes, underscores, hyphens ignored): ``jk``,
    ``tgl_lahir``, ``tgl_ukur`` are required, ``berat`` and/or ``tinggi``, optional ``cara_ukur``
    and ``lila``; the e-PPGBM export headers work as they are. The output format follows the
    extension of ``out_path`` (``.csv`` or ``.xlsx``).
    """
    out_path = Path(out_path)
    if out_path.suffix.lower() not in (".csv", ".xlsx"):
        raise GrowthFileError(
            "berkas_tidak_terbaca",
            _message("berkas_tidak_terbaca", detail=f"{out_path.name}: .csv/.xlsx"),
        )
    table = read_measurements(in_path, sheet)
    cols = _find_columns(list(table.columns))
    for field in _REQUIRED:
        if field not in cols:
            raise GrowthFileError(
                "kolom_wajib_hilang", _message("kolom_wajib_hilang", column=FILE_COLUMNS[field][1])
            )
    if "berat" not in cols and "tinggi" not in cols:
        raise GrowthFileError(
            "kolom_wajib_hilang", _message("kolom_wajib_hilang", column="Berat / Tinggi")
        )

    def column(field: str) -> Any:
        return table[cols[field]].to_numpy() if field in cols else np.nan

    result = compute_zscores(
        column("jk"),
        column("tgl_lahir"),
        column("tgl_ukur"),
        column("berat"),
        column("tinggi"),
        column("cara_ukur") if "cara_ukur" in cols else None,
        column("lila") if "lila" in cols else None,
    )
    kept = table.drop(columns=[c for c in result.columns if c in table.columns])
    out = pd.concat([kept, result], axis=1)
    if out_path.suffix.lower() == ".csv":
        neutralise_frame(out).to_csv(out_path, index=False, encoding="utf-8-sig")
    else:
        for col in out.columns:  # write categoricals as plain text cells
            if isinstance(out[col].dtype, pd.CategoricalDtype):
                out[col] = out[col].astype(object).where(out[col].notna(), "")
        out.to_excel(
            out_path,
            index=False,
            engine="xlsxwriter",
            sheet_name="z-score",
            engine_kwargs={"options": XLSX_OPTIONS},
        )
    return _summarise(result)


def _summarise(result: pd.DataFrame) -> GrowthSummary:
    zs = result[[f"zs_{k}" for k in MAIN_INDICATORS]].notna().to_numpy()
    n_scored = zs.sum(axis=1)
    flags = result[[c for c in result.columns if c.startswith("flag_")]].to_numpy().any(axis=1)
    tbu = result["status_tbu"]
    plausible = ~result["flag_tbu"].to_numpy()
    return GrowthSummary(
        rows=len(result),
        scored=int((n_scored == len(MAIN_INDICATORS)).sum()),
        partial=int(((n_scored > 0) & (n_scored < len(MAIN_INDICATORS))).sum()),
        not_scored=int((n_scored == 0).sum()),
        stunted=int((tbu.isin(STUNTED).to_numpy() & plausible).sum()),
        severely_stunted=int(((tbu == "sangat_pendek").to_numpy() & plausible).sum()),
        implausible=int(flags.sum()),
    )
