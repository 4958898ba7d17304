"""Validate a source table against its kind: typed good rows plus every issue, row by row.

Decisions only (no database): the caller stores the good rows and writes the report. Parsing is
done once per distinct value of a column, so a file of half a million rows costs as many parser
calls as it has distinct values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from sinergi.core.display import Number
from sinergi.core.values import clean
from sinergi.ingest import parsers
from sinergi.ingest.reader import RawTable
from sinergi.ingest.schema import (
    CORRECTABLE,
    INTERVENSI,
    KELUARGA,
    REGION_COLUMNS,
    VERIFIKASI,
    Column,
    Kind,
    correction_column,
    fold_header,
)
from sinergi.messages import t
from sinergi.wilayah import RegionNameError, get_wilayah, normalize_code

Severity = Literal["error", "warning"]

FAMILY_COLUMNS = tuple(c.name for c in KELUARGA.columns if c.level == "family")
REGION_FIELDS = ("kode_desa", "nama_kecamatan", "nama_desa")


@dataclass(frozen=True)
class Issue:
    baris: int | None
    kolom: str | None
    nilai: str | None
    kode: str
    tingkat: Severity
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Validated:
    kind: Kind
    table: RawTable
    frame: pd.DataFrame  # good rows: canonical columns, typed, plus 'baris'
    issues: list[Issue]
    rows_read: int
    rejected_rows: int
    warned_rows: int
    extra_columns: list[str]
    refusal: Issue | None = None
    # Unknown columns' values of the good rows, indexed by spreadsheet row number.
    extra_values: pd.DataFrame | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None


# --- header mapping -----------------------------------------------------------------------------


def map_header(header: list[str], kind: Kind) -> tuple[dict[str, int], list[str]]:
    """Canonical column name → index in the file; and the headers that matched nothing."""
    wanted: dict[str, str] = {}
    for col in (*kind.all_columns, *(REGION_COLUMNS if kind.region else ())):
        for name in (col.header, col.name, *col.aliases):
            wanted.setdefault(fold_header(name), col.name)
    found: dict[str, int] = {}
    extra: list[str] = []
    for i, text in enumerate(header):
        name = wanted.get(fold_header(text))
        if name is None:
            if text:
                extra.append(text)
        elif name not in found:
            found[name] = i
    return found, extra


def kind_fit(header: list[str], kind: Kind) -> int:
    """How many cells of ``header`` name one of ``kind``'s own columns; the region and data-date
    columns, which every kind shares, do not count."""
    own = {col.name for col in kind.columns}
    mapping, _ = map_header(header, kind)
    return sum(name in own for name in mapping)


def better_kind(
    header: list[str], kind: Kind, kinds: Iterable[Kind]
) -> tuple[Kind, int, int] | None:
    """The kind of ``kinds`` that ``header`` fits clearly better than ``kind``, with both fits
    (`kind_fit`): every required column of it is present, and it recognises at least twice as
    many cells as ``kind`` and at least three more. None when no kind does (the best one when
    several do)."""
    own = kind_fit(header, kind)
    best: tuple[Kind, int, int] | None = None
    for other in kinds:
        if other.name == kind.name:
            continue
        fit = kind_fit(header, other)
        if fit < max(2 * own, own + 3) or (best is not None and fit <= best[1]):
            continue
        if _check_header(other, map_header(header, other)[0]) is None:
            best = (other, fit, own)
    return best


# --- the validator ------------------------------------------------------------------------------


class _Collector:
    def __init__(self, raw: pd.DataFrame, headers: dict[str, str], numbers: np.ndarray) -> None:
        self.raw = raw
        self.headers = headers
        self.numbers = numbers
        self.issues: list[Issue] = []
        self.error_rows: set[int] = set()
        self.warning_rows: set[int] = set()

    def add(
        self,
        idx: Iterable[int],
        column: str | None,
        code: str,
        severity: Severity = "error",
        params: Callable[[int], dict[str, Any]] | dict[str, Any] | None = None,
    ) -> None:
        for i in idx:
            p = params(i) if callable(params) else (params or {})
            value = self.raw.at[i, column] if column in self.raw.columns else None
            self.issues.append(
                Issue(
                    int(self.numbers[i]),
                    self.headers.get(column or "", column),
                    value,
                    code,
                    severity,
                    p,
                )
            )
            (self.error_rows if severity == "error" else self.warning_rows).add(i)


def validate(
    table: RawTable, kind: Kind, today: date | None = None, regency: str = "64.08"
) -> Validated:
    today = today or date.today()
    mapping, extra = map_header(table.header, kind)
    # What the reader noticed about the whole file (e.g. it was not UTF-8) heads the report.
    notes = [Issue(None, None, None, n.code, "warning", dict(n.params)) for n in table.notes]

    refusal = _check_header(kind, mapping)
    if refusal is not None:
        return Validated(
            kind, table, pd.DataFrame(), [*notes, refusal], len(table.rows), 0, 0, extra, refusal
        )
    if not table.rows:
        refusal = Issue(None, None, None, "berkas_kosong", "error")
        return Validated(kind, table, pd.DataFrame(), [*notes, refusal], 0, 0, 0, extra, refusal)

    arr = np.array(table.rows, dtype=object)
    # Columns are views of ``arr``: a second copy of a million-row table is 160 MB of pointers.
    raw = pd.DataFrame({name: arr[:, i] for name, i in mapping.items()}, copy=False)
    headers = {name: table.header[i] for name, i in mapping.items()}
    numbers = np.asarray(table.row_numbers)
    out = _Collector(raw, headers, numbers)
    out.issues.extend(notes)
    typed = pd.DataFrame(index=raw.index)

    for col in kind.all_columns:
        if col.name in raw.columns:
            typed[col.name] = _parse_column(out, col, today)
    if kind.region:
        typed["kode_desa"] = _parse_region(out, regency)

    checks = _KIND_CHECKS.get(kind.name)
    if checks is not None:
        checks(out, typed, arr)
    if kind.name == VERIFIKASI.name:
        _check_verifikasi(out, typed, arr, today, regency)

    bad = sorted(out.error_rows)
    kept = np.delete(np.arange(len(typed)), bad)  # the table positions of the good rows
    good = typed.drop(index=bad).reset_index(drop=True) if bad else typed
    good.insert(0, "baris", numbers[kept])
    warned = len(out.warning_rows - out.error_rows)
    issues = sorted(out.issues, key=lambda x: (x.baris or 0, x.kolom or ""))
    extra_idx = [i for i, h in enumerate(table.header) if h in extra]
    extra_values = None
    if extra_idx:
        extra_values = pd.DataFrame(
            {table.header[i]: arr[kept, i] for i in extra_idx},
            index=good["baris"].to_numpy(),
        )
    return Validated(
        kind,
        table,
        good,
        issues,
        len(raw),
        len(bad),
        warned,
        extra,
        extra_values=extra_values,
    )


def _check_header(kind: Kind, mapping: dict[str, int]) -> Issue | None:
    for col in kind.columns:
        if col.required and col.name not in mapping:
            return Issue(
                None, col.header, None, "kolom_wajib_hilang", "error", {"column": col.header}
            )
    if kind.one_of and not any(name in mapping for name in kind.one_of):
        header = kind.column(kind.one_of[0]).header
        return Issue(None, header, None, "kolom_wajib_hilang", "error", {"column": header})
    if (
        kind.region
        and "kode_desa" not in mapping
        and not ("nama_kecamatan" in mapping and "nama_desa" in mapping)
    ):
        return Issue(None, "Kode Desa", None, "wilayah_kolom_hilang", "error")
    return None


def _parser(col: Column, today: date) -> Callable[[str], parsers.Parsed]:
    p = col.parser
    if p == "kk":
        return lambda s: _identity(s, "kk")
    if p == "nik":
        return lambda s: _identity(s, "nik")
    if p == "text":
        return parsers.Parsed
    if p == "date":
        return lambda s: parsers.date_value(s, today)
    if p == "date_plan":
        return lambda s: parsers.planned_date_value(s, today)
    if p == "sex":
        return parsers.sex_value
    if p == "bool":
        return parsers.bool_value
    if p == "int":
        return lambda s: parsers.int_value(s, col.low, col.high)
    if p == "money":
        return lambda s: parsers.money_value(s, col.low, col.high)
    if p == "float":
        return lambda s: parsers.number_value(s, col.low, col.high)
    if p == "desil":
        return parsers.desil_value
    if p == "year":
        return parsers.year_value
    if p == "lat":
        return parsers.lat_value
    if p == "lng":
        return parsers.lng_value
    return lambda s: parsers.choice_value(p, s)


def parse_cell(col: Column, text: str, today: date | None = None) -> parsers.Parsed:
    """One cell's value as ``col`` reads it in a file of its kind (the same parser and range):
    for a value that comes alone, e.g. a correction's new value or a web form's field."""
    text = str(text).strip()
    if not text:
        return parsers.bad("nilai_wajib_kosong")
    return _parser(col, today or date.today())(text)


@lru_cache(maxsize=16384)
def _kecamatan_prefix(six_digits: str) -> bool:
    return get_wilayah().is_kecamatan_prefix(six_digits)


def _identity(text: str, prefix: str) -> parsers.Parsed:
    parsed = parsers.identity_number(text, prefix)
    if parsed.ok and not _kecamatan_prefix(parsed.value[:6]):
        return parsers.bad(f"{prefix}_wilayah_tidak_dikenal", prefix=parsed.value[:6])
    return parsed


def _parse_column(out: _Collector, col: Column, today: date) -> pd.Series:
    s = out.raw[col.name]
    empty = s == ""
    if col.required:
        out.add(np.flatnonzero(empty.to_numpy()), col.name, "nilai_wajib_kosong")
    if col.parser == "text":
        return s.where(~empty, None)
    uniques = pd.unique(s[~empty])
    fast = _FAST.get(col.parser)
    values: dict[str, Any] = fast(uniques, col, today) if fast else {}
    parse = _parser(col, today)
    failed: dict[str, parsers.Parsed] = {}
    for u in uniques:
        if u in values:
            continue
        r = parse(u)
        if r.code is None:
            values[u] = r.value
        else:
            failed[u] = r
            values[u] = None
    if failed:
        # Rows are found once for all failed values, not by one scan of the column per value.
        for i in np.flatnonzero(s.isin(failed.keys()).to_numpy()):
            r = failed[s.iat[i]]
            out.add([int(i)], col.name, r.code or "", "error", r.params)
    return s.map(values).where(~empty, None)


# Column-wise fast paths for the common, valid forms of the large columns. Whatever a fast path
# does not accept is left to the value parser, which explains it; so both give the same answer.


def _dates_fast(uniques: np.ndarray, col: Column, today: date) -> dict[str, Any]:
    """Every date form ``date_value`` reads, within 1900..today, read column-wise."""
    days = parsers.date_array(uniques)
    good = parsers.dates_in_range(days, today)
    return dict(zip(uniques[good].tolist(), days[good].astype(object).tolist(), strict=True))


def _identity_fast(uniques: np.ndarray, col: Column, today: date) -> dict[str, Any]:
    """Exactly 16 digits whose first six are a real kecamatan."""
    texts = pd.Series(uniques, dtype=object)
    digits = texts[texts.str.fullmatch(r"\d{16}")]
    known = digits.str[:6].map(_kecamatan_prefix).astype(bool)
    good = digits[known]
    return dict(zip(good, good, strict=True))


def _numbers_fast(uniques: np.ndarray, col: Column, today: date) -> dict[str, Any]:
    """Plain decimal numbers (dot decimal) inside the column's range."""
    limits = {"lat": (-11.5, 6.5), "lng": (94.0, 141.5)}
    low, high = limits.get(col.parser, (col.low, col.high))
    texts = pd.Series(uniques, dtype=object)
    plain = texts[texts.str.fullmatch(r"-?\d+(?:\.\d+)?")]
    values = pd.to_numeric(plain, errors="coerce")
    good = values.notna()
    if low is not None:
        good &= values >= low
    if high is not None:
        good &= values <= high
    return dict(zip(plain[good], values[good].astype(float), strict=True))


_FAST: dict[str, Callable[[np.ndarray, Column, date], dict[str, Any]]] = {
    "date": _dates_fast,
    "nik": _identity_fast,
    "kk": _identity_fast,
    "float": _numbers_fast,
    "lat": _numbers_fast,
    "lng": _numbers_fast,
}


def _parse_region(out: _Collector, regency: str) -> pd.Series:
    w = get_wilayah()
    raw = out.raw
    if "kode_desa" in raw.columns and (raw["kode_desa"] != "").any():
        s = raw["kode_desa"]
        empty = s == ""
        out.add(np.flatnonzero(empty.to_numpy()), "kode_desa", "nilai_wajib_kosong")
        codes: dict[str, str | None] = {}
        failed: dict[str, tuple[str, dict[str, Any]]] = {}
        for u in pd.unique(s[~empty]):
            code = normalize_code(u)
            region = w.get(code) if code else None
            codes[u] = None
            if region is None:
                failed[u] = ("desa_tidak_dikenal", {"code": u})
            elif region.tingkat != "desa_kelurahan":
                failed[u] = ("desa_bukan_desa", {"code": u})
            else:
                codes[u] = region.kode
        for i in np.flatnonzero(s.isin(failed.keys()).to_numpy()):
            reason, params = failed[s.iat[i]]
            out.add([int(i)], "kode_desa", reason, params=params)
        return s.map(codes).where(~empty, None)
    return _parse_region_names(out, regency)


def _parse_region_names(out: _Collector, regency: str) -> pd.Series:
    """Kecamatan + desa names resolved within the regency (each distinct pair once)."""
    w = get_wilayah()
    kec, desa = out.raw["nama_kecamatan"], out.raw["nama_desa"]
    pairs = kec + "\x1f" + desa
    result: dict[str, str | None] = {}
    failed: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for u in pd.unique(pairs):
        k, d = u.split("\x1f")
        result[u] = None
        if not k or not d:
            failed[u] = ("nama_kecamatan" if not k else "nama_desa", "nilai_wajib_kosong", {})
            continue
        try:
            kec_code = w.resolve(k, regency)
        except RegionNameError as exc:
            failed[u] = ("nama_kecamatan", exc.code, _name_params(exc))
            continue
        try:
            result[u] = w.resolve(d, kec_code)
        except RegionNameError as exc:
            failed[u] = ("nama_desa", exc.code, _name_params(exc))
    for i in np.flatnonzero(pairs.isin(failed.keys()).to_numpy()):
        column, reason, params = failed[pairs.iat[i]]
        out.add([int(i)], column, reason, params=params)
    return pairs.map(result)


def _name_params(exc: RegionNameError) -> dict[str, Any]:
    return exc.message_kwargs("id")


# --- checks across columns and rows, per kind ---------------------------------------------------


class _MoreRows(Number):
    """How many more rows share a key: written into the message as a phrase in the language of
    the format spec (``{more:id}``), and only when there are any."""

    def __format__(self, spec: str) -> str:
        return t("dan_baris_lain", "id" if spec == "id" else "en", n=Number(self)) if self else ""


def _other_rows(out: _Collector, groups: pd.Series) -> Callable[[int], dict[str, Any]]:
    """For each row of a group of rows sharing a key: the other row it names in its message.

    Every later row names the first row of its group; the first row names the next one and how
    many more there are. Linear in the rows (naming all others made 20,000 rows of one village
    code cost 5.5 GB)."""
    positions = groups.index.to_numpy()
    codes, _ = pd.factorize(groups)
    order = np.argsort(codes, kind="stable")  # grouped, file order kept inside each group
    ordered = codes[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, sizes)
    first = np.repeat(positions[order[starts]], sizes)
    second = np.repeat(positions[order[np.minimum(starts + 1, len(order) - 1)]], sizes)
    named = np.where(rank == 0, second, first)
    more = np.where(rank == 0, np.repeat(sizes, sizes) - 2, 0)
    numbers = out.numbers
    table = {
        int(i): {"other_rows": str(int(numbers[n])), "more": _MoreRows(m)}
        for i, n, m in zip(positions[order], named, more, strict=True)
    }
    return table.__getitem__


def _exact_copies(out: _Collector, arr: np.ndarray, key: str) -> pd.Series:
    """Mark exact copies of an earlier row (all cells equal); returns the mask of copies.

    Rows are compared by a 64-bit hash of their cells (joining a million rows into strings
    cost 250 MB), and a row is only called a copy once its cells are seen to be equal."""
    hashes = pd.util.hash_pandas_object(pd.DataFrame(arr, copy=False), index=False)
    candidates = hashes.duplicated(keep="first").to_numpy()
    copies = np.zeros(len(arr), bool)
    if candidates.any():
        values = hashes.to_numpy()
        firsts = np.flatnonzero(~candidates)
        # Distinct rows seen per hash (more than one only if two rows' hashes collide).
        seen = {h: [j] for h, j in zip(values[firsts].tolist(), firsts.tolist(), strict=True)}
        named: dict[int, int] = {}
        for i in np.flatnonzero(candidates).tolist():
            rows = seen[int(values[i])]
            j = next((j for j in rows if (arr[i] == arr[j]).all()), None)
            if j is None:
                rows.append(i)
            else:
                copies[i] = True
                named[i] = j
        if named:
            out.add(
                list(named),
                key,
                "baris_ganda",
                params=lambda i: {"other_rows": str(int(out.numbers[named[i]]))},
            )
    return pd.Series(copies, index=out.raw.index)


def _same_key(out: _Collector, typed: pd.DataFrame, copies: pd.Series, key: str, code: str) -> None:
    k = typed[key]
    live = k.notna() & ~copies
    dup = live & k.where(live).duplicated(keep=False)
    if dup.any():
        groups = k[dup]
        out.add(groups.index, key, code, params=_other_rows(out, groups))


def _nik_agreement(out: _Collector, typed: pd.DataFrame, nik: str) -> None:
    """Birth date and sex encoded in the NIK against the columns: warnings, since real NIKs err."""
    ok = typed[nik].notna() & typed["tanggal_lahir"].notna() & typed["jenis_kelamin"].notna()
    if not ok.any():
        return
    n = typed.loc[ok, nik].astype(str)
    dd = n.str[6:8].astype(int)
    nik_sex = np.where(dd > 40, "P", "L")
    day = np.where(dd > 40, dd - 40, dd)
    mm = n.str[8:10].astype(int).to_numpy()
    yy = n.str[10:12].astype(int).to_numpy()
    born = pd.to_datetime(typed.loc[ok, "tanggal_lahir"])
    date_bad = (
        (day != born.dt.day.to_numpy())
        | (mm != born.dt.month.to_numpy())
        | (yy != (born.dt.year % 100).to_numpy())
    )
    sex = typed.loc[ok, "jenis_kelamin"].to_numpy()
    sex_bad = ~date_bad & (nik_sex != sex)
    index = n.index.to_numpy()
    for i in index[date_bad]:
        v = typed.at[i, nik]
        out.add(
            [i],
            nik,
            "nik_tanggal_tidak_cocok",
            "warning",
            {
                "nik_date": f"{v[6:8]}-{v[8:10]}-{v[10:12]}",
                "birth_date": typed.at[i, "tanggal_lahir"].strftime("%d-%m-%Y"),
            },
        )
    for i in index[sex_bad]:
        out.add(
            [i],
            nik,
            "nik_jk_tidak_cocok",
            "warning",
            {
                "nik_sex": "P" if int(typed.at[i, nik][6:8]) > 40 else "L",
                "sex": typed.at[i, "jenis_kelamin"],
            },
        )


def _check_keluarga(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    copies = _exact_copies(out, arr, "nik")
    _same_key(out, typed, copies, "nik", "nik_ganda")
    _nik_agreement(out, typed, "nik")
    if "hamil" in typed.columns:
        preg_male = (typed["hamil"] == True) & (typed["jenis_kelamin"] == "L")  # noqa: E712
        out.add(np.flatnonzero(preg_male.to_numpy()), "hamil", "hamil_bukan_perempuan", "warning")
    # Family-level columns must agree between the rows of one KK (exact copies aside).
    family_cols = [c for c in (*FAMILY_COLUMNS, *REGION_FIELDS) if c in out.raw.columns]
    live = typed["no_kk"].notna() & ~copies
    if not family_cols or not live.any():
        return
    raw = out.raw.loc[live, family_cols].copy()
    raw["_kk"] = typed.loc[live, "no_kk"]
    counts = raw.groupby("_kk", sort=False)[family_cols].nunique()
    bad = counts[(counts > 1).any(axis=1)]
    if bad.empty:
        return
    first_col = (bad > 1).idxmax(axis=1)
    rows = raw[raw["_kk"].isin(bad.index)]
    params = _other_rows(out, rows["_kk"])
    for i in rows.index:
        out.add([i], first_col[rows.at[i, "_kk"]], "keluarga_tidak_konsisten", params=params)


def _check_p3ke(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    copies = _exact_copies(out, arr, "no_kk")
    _same_key(out, typed, copies, "no_kk", "kk_ganda")


def _check_eppgbm(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    copies = _exact_copies(out, arr, "nik_anak")
    if "nik_anak" in typed.columns:
        empty = out.raw["nik_anak"] == ""
        out.add(
            np.flatnonzero((empty & ~copies).to_numpy()), "nik_anak", "nik_anak_kosong", "warning"
        )
        _nik_agreement(out, typed, "nik_anak")
    both = typed["tanggal_ukur"].notna() & typed["tanggal_lahir"].notna()
    before = both & (
        pd.to_datetime(typed["tanggal_ukur"].where(both))
        < pd.to_datetime(typed["tanggal_lahir"].where(both))
    )
    out.add(np.flatnonzero(before.to_numpy()), "tanggal_ukur", "tanggal_ukur_sebelum_lahir")
    if "berat_lahir" in typed.columns:
        _birth_weight(out, typed)
    # A measurement needs a weight or a height; report it on whichever column the file has.
    present = [c for c in ("berat", "tinggi") if c in out.raw.columns]
    if present:
        none = np.logical_and.reduce([(out.raw[c] == "").to_numpy() for c in present])
        out.add(np.flatnonzero(none), present[0], "nilai_wajib_kosong")


# A birth weight outside these grams is implausible: reported and not stored.
BIRTH_WEIGHT_PLAUSIBLE_G = (500, 6000)


def _birth_weight(out: _Collector, typed: pd.DataFrame) -> None:
    """Birth weight as whole grams: a value under 10 was written in kilograms (2.8 = 2,800 g).
    An implausible weight is a warning on its row, and the value is left out."""
    kg = pd.to_numeric(typed["berat_lahir"], errors="coerce")
    grams = kg.where(kg >= 10, kg * 1000).round()
    low, high = BIRTH_WEIGHT_PLAUSIBLE_G
    implausible = grams.notna() & ((grams < low) | (grams > high))
    out.add(
        np.flatnonzero(implausible.to_numpy()),
        "berat_lahir",
        "berat_lahir_tidak_wajar",
        "warning",
        {"low": low, "high": high},
    )
    keep = (grams.notna() & ~implausible).to_numpy()
    values = [int(g) if k else None for g, k in zip(grams.to_numpy(), keep, strict=True)]
    typed["berat_lahir"] = pd.Series(values, index=typed.index, dtype=object)


def _check_intervensi(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    _exact_copies(out, arr, "no_kk")
    # A beneficiary is named by No. KK or NIK; the header check made sure one column exists.
    present = [c for c in INTERVENSI.one_of if c in out.raw.columns]
    neither = np.logical_and.reduce([(out.raw[c] == "").to_numpy() for c in present])
    out.add(np.flatnonzero(neither), present[0], "nilai_wajib_kosong")


def _check_desa(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    copies = _exact_copies(out, arr, "kode_desa")
    _same_key(out, typed, copies, "kode_desa", "desa_ganda")


def new_village(text: str, regency: str) -> tuple[str | None, str | None]:
    """Where a ``pindah`` row says the family went: ``(code, None)`` for a village of the
    regency (by code, or by name within the regency), ``(None, code)`` for a village elsewhere
    in Indonesia given by its code (the family leaves the registry); ValueError when the text
    names no village."""
    w = get_wilayah()
    code = normalize_code(text)
    if code is not None:
        region = w.get(code)
        if region is None or region.tingkat != "desa_kelurahan":
            raise ValueError(text)
        return (code, None) if code.startswith(regency + ".") else (None, code)
    try:
        return w.resolve(text, regency, "desa_kelurahan"), None
    except RegionNameError as exc:
        raise ValueError(text) from exc


def _check_verifikasi(
    out: _Collector, typed: pd.DataFrame, arr: np.ndarray, today: date, regency: str
) -> None:
    """What a finding needs besides its own cells: a member for ``meninggal``; a known roster
    column and a value its parser accepts for ``koreksi``; a village for ``pindah`` when one is
    named. Adds ``kolom_kode`` (the roster field), ``nilai_terbaca`` (the parsed value),
    ``desa_baru`` and ``desa_luar`` (the new village, inside or outside the regency)."""
    _exact_copies(out, arr, "no_kk")
    none = pd.Series(None, index=typed.index, dtype=object)
    for name in ("nik", "kolom", "nilai_baru", "petugas", "catatan"):
        if name not in typed.columns:
            typed[name] = none
    # The finding's date is the date its data describe, unless the file gives one.
    dated = typed["tanggal_data"] if "tanggal_data" in typed.columns else none
    typed["tanggal_data"] = dated.where(dated.notna(), typed["tanggal"])
    field, value, inside, outside = none.copy(), none.copy(), none.copy(), none.copy()
    for i, hasil in typed["hasil"].items():
        if i in out.error_rows:
            continue  # one reason per row: its own cells were refused already
        nik, kolom, baru = (clean(typed.at[i, c]) for c in ("nik", "kolom", "nilai_baru"))
        if hasil == "meninggal" and nik is None:
            out.add([i], "nik" if "nik" in out.raw.columns else "hasil", "verifikasi_perlu_nik")
        elif hasil == "koreksi":
            if kolom is None:
                column = "kolom" if "kolom" in out.raw.columns else "hasil"
                out.add([i], column, "verifikasi_koreksi_tanpa_kolom")
                continue
            col = correction_column(kolom)
            if col is None:
                params = {"column": kolom, "choices": ", ".join(c.header for c in CORRECTABLE)}
                out.add([i], "kolom", "verifikasi_kolom_tidak_dikenal", params=params)
                continue
            if col.level == "row" and nik is None:
                out.add(
                    [i],
                    "nik" if "nik" in out.raw.columns else "kolom",
                    "verifikasi_koreksi_perlu_nik",
                    params={"column": col.header},
                )
                continue
            if baru is None and not col.required:
                parsed = parsers.Parsed(None)  # an optional value may be erased
            else:
                parsed = parse_cell(col, baru or "", today)
            if parsed.code is not None:
                column = "nilai_baru" if "nilai_baru" in out.raw.columns else "kolom"
                params = {"column": col.header, "reason": _Reason(parsed)}
                out.add([i], column, "verifikasi_nilai_salah", params=params)
                continue
            field[i], value[i] = col.name, parsed.value
        elif hasil == "pindah" and baru is not None:
            try:
                inside[i], outside[i] = new_village(baru, regency)
            except ValueError:
                out.add([i], "nilai_baru", "verifikasi_desa_baru_tidak_dikenal")
    typed["kolom_kode"], typed["nilai_terbaca"] = field, value
    typed["desa_baru"], typed["desa_luar"] = inside, outside


class _Reason:
    """A parser's refusal inside another sentence, in the language of the format spec
    (``{reason:id}``, ``{reason:en}``)."""

    def __init__(self, parsed: parsers.Parsed) -> None:
        self.code, self.params = parsed.code or "", parsed.params

    def __format__(self, spec: str) -> str:
        return t(self.code, "id" if spec == "id" else "en", **self.params)


# Pregnancy dates by Naegele's rule: the expected delivery is 280 days (40 weeks) after the first
# day of the last period (HPHT); a pregnancy is not followed past 45 weeks.
GESTATION_DAYS = 280
MAX_GESTATION_WEEKS = 45


def pregnancy_dates(checkup: pd.Series, hpht: pd.Series, weeks: pd.Series) -> pd.DataFrame:
    """Per row: ``hpht`` (as written, else the check-up date − weeks × 7 days), ``hpht_dihitung``
    (whether it was derived) and ``taksiran_persalinan`` (HPHT + 280 days), dates as
    ``datetime.date`` (None where neither HPHT nor weeks are known)."""
    given = pd.to_datetime(hpht)
    derived = pd.to_datetime(checkup) - pd.to_timedelta(pd.to_numeric(weeks) * 7, unit="D")
    first = given.where(given.notna(), derived)
    due = first + pd.Timedelta(days=GESTATION_DAYS)

    def days(values: pd.Series) -> pd.Series:
        return values.dt.date.astype(object).where(values.notna(), None)

    return pd.DataFrame(
        {
            "hpht": days(first),
            "hpht_dihitung": given.isna() & derived.notna(),
            "taksiran_persalinan": days(due),
        },
        index=checkup.index,
    )


def _check_ibu_hamil(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    _exact_copies(out, arr, "nik")
    nik = typed["nik"].dropna().astype(str)
    # A NIK encodes a woman's birth day + 40: a lower day says the NIK is a man's (or mistyped).
    male = nik[nik.str[6:8].astype(int) <= 40]
    out.add(male.index, "nik", "nik_bukan_perempuan", "warning")
    none = pd.Series(None, index=typed.index, dtype=object)
    hpht = typed["hpht"] if "hpht" in typed.columns else none
    weeks = typed["usia_kehamilan"] if "usia_kehamilan" in typed.columns else none
    # A check-up needs HPHT or the weeks; report it on whichever column the file has.
    present = [c for c in ("hpht", "usia_kehamilan") if c in out.raw.columns]
    neither = np.logical_and.reduce([(out.raw[c] == "").to_numpy() for c in present])
    out.add(np.flatnonzero(neither), present[0], "nilai_wajib_kosong")
    checkup = pd.to_datetime(typed["tanggal_periksa"])
    given = pd.to_datetime(hpht)
    after = given.notna() & checkup.notna() & (given > checkup)
    out.add(np.flatnonzero(after.to_numpy()), "hpht", "hpht_setelah_periksa")
    limit = pd.Timedelta(weeks=MAX_GESTATION_WEEKS)
    too_old = given.notna() & checkup.notna() & (checkup - given > limit)
    out.add(
        np.flatnonzero(too_old.to_numpy()),
        "hpht",
        "hpht_terlalu_lama",
        "error",
        {"weeks": MAX_GESTATION_WEEKS},
    )
    dates = pregnancy_dates(typed["tanggal_periksa"], hpht, weeks)
    for column in dates.columns:
        typed[column] = dates[column]


def _check_catin(out: _Collector, typed: pd.DataFrame, arr: np.ndarray) -> None:
    _exact_copies(out, arr, "nik")
    _nik_agreement(out, typed, "nik")
    both = typed["tanggal_periksa"].notna() & typed["tanggal_lahir"].notna()
    before = both & (
        pd.to_datetime(typed["tanggal_periksa"].where(both))
        < pd.to_datetime(typed["tanggal_lahir"].where(both))
    )
    out.add(np.flatnonzero(before.to_numpy()), "tanggal_periksa", "tanggal_periksa_sebelum_lahir")
    if "tinggi" in typed.columns and "berat" in typed.columns:
        metres = pd.to_numeric(typed["tinggi"]) / 100
        computed = (pd.to_numeric(typed["berat"]) / metres**2).round(1)
        given = pd.to_numeric(typed["imt"]) if "imt" in typed.columns else computed * np.nan
        typed["imt"] = (
            given.where(given.notna(), computed)
            .astype(object)
            .where(given.notna() | computed.notna(), None)
        )


_KIND_CHECKS: dict[str, Callable[[_Collector, pd.DataFrame, np.ndarray], None]] = {
    "keluarga": _check_keluarga,
    "p3ke": _check_p3ke,
    "eppgbm": _check_eppgbm,
    "intervensi": _check_intervensi,
    "desa": _check_desa,
    "ibu_hamil": _check_ibu_hamil,
    "catin": _check_catin,
}
