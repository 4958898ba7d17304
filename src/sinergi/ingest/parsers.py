"""Value parsers: one cell's text → a typed value, or the reason code it cannot be one.

Each parser is pure and returns ``Parsed(value, code, params)``: ``code`` is None when the value is
good, else a message code of ``sinergi.messages`` with its format parameters. Missing values
(empty text) are handled by the caller, never here.

This is the one home of the value forms of formats.md ("Common value forms") for every stage: the
dates and sex codes that validation reads cell by cell are also read a whole column at a time
(``date_array``, ``sex_codes``) by the import's fast paths and by the growth assessment, with the
same answers.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from sinergi.core.rupiah import RupiahError, parse_rupiah
from sinergi.ingest import vocab


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    code: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code is None


def bad(code: str, **params: Any) -> Parsed:
    return Parsed(None, code, params)


# --- NIK and No. KK -----------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_DIGITS16 = re.compile(r"^\d{16}$")


def identity_number(text: str, prefix: str) -> Parsed:
    """A 16-digit NIK (``prefix='nik'``) or No. KK (``prefix='kk'``), checked for shape only.

    A number that spreadsheet software rewrote (``6.40801E+15``, ``6408014101900001.0``) is an
    error, never repaired: the digits it lost cannot be known.
    """
    s = text.strip().replace(" ", "")
    if s.startswith("'"):
        s = s[1:]
    if _SCIENTIFIC.match(s) or _DECIMAL.match(s):
        return bad(f"{prefix}_notasi_ilmiah")
    if not _DIGITS16.match(s):
        return bad(f"{prefix}_bukan_16_digit", length=len(s))
    return Parsed(s)


@dataclass(frozen=True)
class NikParts:
    region: str  # PPKKCC
    birth_date: date | None  # None when the digits are not a possible date
    sex: str  # 'L' or 'P'
    serial: str
    date_digits: str


def nik_parts(nik: str) -> NikParts:
    """Decode a 16-digit NIK: region, birth date (day + 40 for women), serial.

    The two-digit year is placed in the century that does not put the birth in the future
    relative to today.
    """
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if dd > 40 else "L"
    day = dd - 40 if dd > 40 else dd
    today = date.today()
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born: date | None = date(year, mm, day)
    except ValueError:
        born = None
    if born is not None and born > today:
        born = born.replace(year=born.year - 100)
    return NikParts(nik[:6], born, sex, nik[12:], nik[6:12])


# --- dates --------------------------------------------------------------------------------------
#
# One grammar, read two ways: ``parse_date`` for one cell (validation explains a refusal with
# ``date_value``), ``date_array`` for a whole column at NumPy speed. They must agree on every text;
# tests/test_parsers.py checks that they do on generated texts of every form and on junk.

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
# A time of day after a date, as spreadsheets and exports write it ("10:00", "10.00", "10:00:00.5",
# "10:00 AM", "T10:00:00Z", "10:00 WITA"). It is checked and ignored: only the day counts.
_TIME = (
    r"(?:[ T]\s*(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9](?:[:.][0-5][0-9](?:[.,][0-9]+)?)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?|(?i:wita|wib|wit)))?)?"
)
# Day first always: Indonesia never writes the month first. Digits are ASCII digits only.
_DATE = re.compile(
    rf"([0-9]{{1,2}})[/.\-]([0-9]{{1,2}})[/.\-]([0-9]{{4}}){_TIME}"  # dd/mm/yyyy, dd-mm-yyyy
    rf"|([0-9]{{4}})[/.\-]([0-9]{{1,2}})[/.\-]([0-9]{{1,2}}){_TIME}"  # yyyy-mm-dd, yyyy/mm/dd
    r"|([0-9]{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+([0-9]{4})"  # 12 Januari 2023, 12-Peb-2023
    r"|([0-9]{1,6}(?:\.[0-9]*)?)"  # Excel serial number, its fraction the time of day
)
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_LAST_SERIAL = 2958465  # 9999-12-31
_UNIX_EPOCH = date(1970, 1, 1)
_EXCEL_EPOCH_DAYS = (EXCEL_EPOCH - _UNIX_EPOCH).days
DATE_MIN = date(1900, 1, 1)
_NAT = np.iinfo(np.int64).min  # datetime64's NaT, as an integer
_NO_FIELDS = (-1, 0, 0, math.nan)


def _fields(text: str) -> tuple[int, int, int, float]:
    """(year, month, day, serial) of a text: year -1 unless a day was written, serial NaN unless a
    serial number was; nothing is checked beyond the grammar (an unknown month name is month 0)."""
    m = _DATE.fullmatch(text.strip())
    if m is None:
        return _NO_FIELDS
    g = m.groups()
    if g[0] is not None:
        return int(g[2]), int(g[1]), int(g[0]), math.nan
    if g[3] is not None:
        return int(g[3]), int(g[4]), int(g[5]), math.nan
    if g[6] is not None:
        return int(g[8]), MONTHS.get(g[7].lower(), 0), int(g[6]), math.nan
    return -1, 0, 0, float(g[9])


def _serial_date(serial: float) -> date | None:
    whole = math.floor(serial)
    if not 1 <= whole <= EXCEL_LAST_SERIAL:
        return None
    # Excel's serial 60 is the non-existent 29/02/1900; serials above it count from 1899-12-30.
    return EXCEL_EPOCH + timedelta(days=whole if whole > 60 else whole + 1)


def parse_date(text: str) -> date | None:
    """The date a cell's text writes, or None.

    dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, yyyy/mm/dd (each optionally with a time of
    day), '12 Januari 2023' with Indonesian or English month names, their abbreviations and old
    spellings (Peb, Pebruari, Agt, Nopember), and Excel serial numbers. No range check: see
    ``date_value``."""
    year, month, day, serial = _fields(text)
    if year < 0:
        return None if math.isnan(serial) else _serial_date(serial)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_value(text: str, today: date | None = None) -> Parsed:
    """``parse_date``, refusing a date in the future or before 1900."""
    d = parse_date(text)
    if d is None:
        return bad("tanggal_tidak_valid")
    return _date_range(d, today or date.today())


# A planned date (a wedding) lies ahead, but not this far: beyond it the year was mistyped.
PLAN_YEARS = 3


def planned_date_value(text: str, today: date | None = None) -> Parsed:
    """``parse_date`` for a date that may lie ahead (a planned wedding): refused before 1900 and
    more than ``PLAN_YEARS`` years after today."""
    d = parse_date(text)
    if d is None:
        return bad("tanggal_tidak_valid")
    today = today or date.today()
    if d < DATE_MIN:
        return bad("tanggal_sebelum_1900")
    if d > today + timedelta(days=365 * PLAN_YEARS):
        return bad("tanggal_rencana_terlalu_jauh", years=PLAN_YEARS)
    return Parsed(d)


def _date_range(d: date, today: date) -> Parsed:
    if d > today:
        return bad("tanggal_masa_depan")
    if d < DATE_MIN:
        return bad("tanggal_sebelum_1900")
    return Parsed(d)


def dates_in_range(days: np.ndarray, today: date) -> np.ndarray:
    """The mask of ``date_array`` results that ``date_value`` accepts (known, 1900 to today)."""
    return (days >= np.datetime64(DATE_MIN, "D")) & (days <= np.datetime64(today, "D"))


def date_array(values: Any) -> np.ndarray:
    """A column of dates as ``datetime64[D]``, NaT where a value is missing or not a date.

    Text is read as ``parse_date`` reads it; numbers are Excel serial numbers; datetime64,
    ``datetime.date``, ``datetime.datetime`` and pandas Timestamps are taken as they are (the day
    only). Each distinct text is parsed once, and the checks run over arrays, so a column of a
    million values costs its distinct values and a few passes of NumPy."""
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]")
    if arr.dtype.kind in "iuf":
        return _serial_days(arr.astype(np.float64)).view("datetime64[D]")
    if arr.dtype.kind not in "OUS":
        return np.full(arr.shape, _NAT, np.int64).view("datetime64[D]")
    codes, uniques = pd.factorize(arr.ravel(), use_na_sentinel=True)
    days = np.append(_distinct_days(np.asarray(uniques, dtype=object)), _NAT)
    return days[codes].reshape(arr.shape).view("datetime64[D]")


def _distinct_days(values: np.ndarray) -> np.ndarray:
    out = np.full(len(values), _NAT, np.int64)
    text = np.fromiter((isinstance(v, str) for v in values), bool, len(values))
    if text.any():
        out[text] = _text_days(values[text])
    for i in np.flatnonzero(~text):
        out[i] = _object_day(values[i])
    return out


def _text_days(texts: np.ndarray) -> np.ndarray:
    """Days since 1970 (``_NAT`` where not a date) of distinct texts, each read by the grammar."""
    fields = np.fromiter(
        itertools.chain.from_iterable(map(_fields, texts)), np.float64, 4 * len(texts)
    ).reshape(-1, 4)
    year, month, day = (fields[:, j].astype(np.int64) for j in range(3))
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    after = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    ok &= day <= after - first
    return np.where(ok, first + day - 1, _serial_days(fields[:, 3]))


def _serial_days(serial: np.ndarray) -> np.ndarray:
    """Excel serial numbers as days since 1970 (``_NAT`` where not a serial); see _serial_date."""
    with np.errstate(invalid="ignore"):
        whole = np.floor(serial)
        ok = (whole >= 1) & (whole <= EXCEL_LAST_SERIAL)
    whole = np.where(ok, whole, 0).astype(np.int64)
    return np.where(ok, whole + (whole <= 60) + _EXCEL_EPOCH_DAYS, _NAT)


def _object_day(value: object) -> int:
    """Days since 1970 of a value that is not text (a spreadsheet engine's typed cell)."""
    d: date | None = None
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, datetime):  # pandas Timestamps are datetimes
        d = value.date()
    elif isinstance(value, date):
        d = value
    elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        d = _serial_date(float(value)) if math.isfinite(value) else None
    return _NAT if d is None else (d - _UNIX_EPOCH).days


def map_distinct(
    values: np.ndarray, convert: Callable[[Any], Any], dtype: Any, missing: Any
) -> np.ndarray:
    """``convert`` applied once per distinct value of a column (columns repeat values heavily);
    missing values (None, NaN, NaT) get ``missing``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    known = codes >= 0
    if values.dtype == object and (uniques[codes[known]] != values[known]).any():
        # pandas (2.3) hashes an all-text column as C strings: texts equal up to a NUL
        # character ("\x00" and "\x001") got one code. Python's own hashing tells them apart.
        codes, uniques = _factorize_objects(values)
    table = np.array([convert(u) for u in uniques] + [missing], dtype=dtype)
    return table[codes]


def _factorize_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` by Python's hashing and equality: codes (-1 for a missing value) and the
    distinct values."""
    seen: dict[Any, int] = {}
    codes = np.fromiter(
        (-1 if pd.isna(v) else seen.setdefault(v, len(seen)) for v in values),
        dtype=np.intp,
        count=len(values),
    )
    uniques = np.empty(len(seen), dtype=object)
    uniques[:] = list(seen)
    return codes, uniques


# --- small categorical values -------------------------------------------------------------------

# Sex: L/P, the words for them in Indonesian and English, and the codes 1/2 (also as a number that
# a spreadsheet stored, "1.0"). ``sex_code`` gives the index in SEXES, -1 when unknown.
SEXES = ("L", "P")
_SEX_WORDS: dict[str, int] = {
    # "1" and "2" here are the codes written as text that is not a number but folds to one: "'1"
    # (Excel's text prefix), "(2)". Plain numbers are read by _SEX_NUMBERS first.
    **dict.fromkeys(("l", "lk", "laki", "lakilaki", "pria", "m", "male", "boy", "1"), 0),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "w", "f", "female", "girl", "2"), 1),
}
_SEX_NUMBERS = {1.0: 0, 2.0: 1}


def sex_code(value: object) -> int:
    """0 (L), 1 (P) or -1 (unknown) for a cell's text, or for a number a spreadsheet typed."""
    if isinstance(value, bool | np.bool_):
        return -1
    if isinstance(value, int | float | np.integer | np.floating):
        return _SEX_NUMBERS.get(float(value), -1)
    if not isinstance(value, str):
        return -1
    try:
        return _SEX_NUMBERS.get(float(value), -1)
    except ValueError:
        return _SEX_WORDS.get(vocab.fold(value), -1)


def sex_codes(values: Any) -> np.ndarray:
    """``sex_code`` of a whole column, as int8 (missing values are -1)."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iuf":
        with np.errstate(invalid="ignore"):
            return np.select([arr == 1, arr == 2], [0, 1], -1).astype(np.int8)
    if arr.dtype.kind not in "OUS":
        return np.full(arr.shape, -1, np.int8)
    return map_distinct(arr, sex_code, np.int8, -1)


_BOOL = {
    "ya": True,
    "y": True,
    "1": True,
    "true": True,
    "iya": True,
    "tidak": False,
    "t": False,
    "0": False,
    "false": False,
    "tdk": False,
    "n": False,
}


def sex_value(text: str) -> Parsed:
    code = sex_code(text)
    return Parsed(SEXES[code]) if code >= 0 else bad("jk_tidak_valid")


def bool_value(text: str) -> Parsed:
    v = _BOOL.get(vocab.fold(text))
    return Parsed(v) if v is not None else bad("ya_tidak_tidak_valid")


def choice_value(vocabulary: str, text: str) -> Parsed:
    code = vocab.lookup(vocabulary, text)
    if code is None:
        return bad("pilihan_tidak_dikenal", choices=vocab.choices(vocabulary))
    return Parsed(code)


# --- numbers ------------------------------------------------------------------------------------


def number_value(text: str, low: float | None = None, high: float | None = None) -> Parsed:
    """A decimal number written with a dot or an Indonesian decimal comma ('12,5')."""
    s = text.strip().replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        v = float(s)
    except ValueError:
        return bad("angka_tidak_valid")
    if v != v or v in (float("inf"), float("-inf")):
        return bad("angka_tidak_valid")
    return _in_range(v, low, high)


def money_value(text: str, low: float | None = None, high: float | None = None) -> Parsed:
    """Rupiah amounts ('Rp 1.250.000', '1,250,000', '1250000.0', 'Rp 1,2 M') as
    `sinergi.core.rupiah.parse_rupiah` reads them, the one rupiah parser."""
    try:
        v = parse_rupiah(text)
    except RupiahError as exc:
        # A cell that is no amount keeps the import's long-standing reason code.
        if exc.code == "rupiah_tidak_valid":
            return bad("angka_tidak_valid")
        return bad(exc.code, **exc.params)
    checked = _in_range(v, low, high)
    return Parsed(v) if checked.ok else checked


def int_value(text: str, low: float | None = None, high: float | None = None) -> Parsed:
    p = number_value(text, low, high)
    if not p.ok:
        return p
    if float(p.value) != int(p.value):
        return bad("angka_tidak_valid")
    return Parsed(int(p.value))


def _in_range(v: float, low: float | None, high: float | None) -> Parsed:
    if (low is not None and v < low) or (high is not None and v > high):
        return bad("angka_di_luar_rentang", low=_fmt(low), high=_fmt(high))
    return Parsed(v)


def _fmt(x: float | None) -> str:
    if x is None:
        return "…"
    return f"{x:,.0f}".replace(",", ".") if x == int(x) else str(x)


def desil_value(text: str) -> Parsed:
    p = int_value(text)
    if not p.ok or p.value not in (1, 2, 3, 4):
        return bad("desil_tidak_valid")
    return p


def year_value(text: str) -> Parsed:
    p = int_value(text, 1900, date.today().year + 10)
    return p


def lat_value(text: str) -> Parsed:
    return number_value(text, -11.5, 6.5)


def lng_value(text: str) -> Parsed:
    return number_value(text, 94.0, 141.5)
