"""Value parsers: one cell's text → a typed value, or the reason code it cannot be one.

Each parser is pure and returns ``Parsed(value, code, params)``: ``code`` is None when the value is
good, else a message code of ``sinergi.messages`` with its format parameters. Missing values
(empty text) are handled by the caller, never here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sinergi.ingest import vocab

EXCEL_EPOCH = date(1899, 12, 30)


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
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.0+)?$")


def date_value(text: str, today: date | None = None) -> Parsed:
    """dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd, '12 Januari 2023' or an Excel serial number."""
    s = text.strip()
    today = today or date.today()
    parts: tuple[int, int, int] | None = None
    if m := _DMY.match(s):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _YMD.match(s):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _WORDS.match(s):
        month = MONTHS.get(m[2].lower())
        if month is None:
            return bad("tanggal_tidak_valid")
        parts = (int(m[3]), month, int(m[1]))
    elif _SERIAL.match(s):
        serial = int(float(s))
        if serial < 1:
            return bad("tanggal_tidak_valid")
        # Excel's serial 60 is the non-existent 29/02/1900; serials above it count from 1899-12-30.
        d = EXCEL_EPOCH + timedelta(days=serial if serial > 60 else serial + 1)
        return _date_range(d, today)
    else:
        return bad("tanggal_tidak_valid")
    try:
        d = date(*parts)
    except ValueError:
        return bad("tanggal_tidak_valid")
    return _date_range(d, today)


def _date_range(d: date, today: date) -> Parsed:
    if d > today:
        return bad("tanggal_masa_depan")
    if d.year < 1900:
        return bad("tanggal_sebelum_1900")
    return Parsed(d)


# --- small categorical values -------------------------------------------------------------------

_SEX = {
    "l": "L",
    "lakilaki": "L",
    "laki": "L",
    "pria": "L",
    "1": "L",
    "m": "L",
    "p": "P",
    "perempuan": "P",
    "wanita": "P",
    "2": "P",
    "f": "P",
    "w": "P",
}
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
    v = _SEX.get(vocab.fold(text))
    return Parsed(v) if v else bad("jk_tidak_valid")


def bool_value(text: str) -> Parsed:
    v = _BOOL.get(vocab.fold(text))
    return Parsed(v) if v is not None else bad("ya_tidak_tidak_valid")


def choice_value(vocabulary: str, text: str) -> Parsed:
    code = vocab.lookup(vocabulary, text)
    if code is None:
        return bad("pilihan_tidak_dikenal", choices=vocab.choices(vocabulary))
    return Parsed(code)


# --- numbers ------------------------------------------------------------------------------------

_RUPIAH = re.compile(r"^(?:rp\.?)?\s*", re.IGNORECASE)


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
    """Rupiah amounts: 'Rp 1.250.000', '1,250,000', '1250000', '1250000.0' → 1250000."""
    s = _RUPIAH.sub("", text.strip()).replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        return bad("angka_tidak_valid")
    if v != v:
        return bad("angka_tidak_valid")
    checked = _in_range(v, low, high)
    return Parsed(round(v)) if checked.ok else checked


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
