"""Errors injected into the clean source files, each recorded for the ground truth.

Every injection targets one row and triggers exactly one reason code of the importer (see
``sinergi.messages``); no row receives two injections, a duplicated row's original is clean, and
families with a family-level error (No. KK mangled, unknown village) get nothing else. A NIK
changed into another 16-digit NIK never equals a real one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from sinergi.synth._names import variant_of
from sinergi.synth._population import Population
from sinergi.synth._sheets import Injected, Sheet
from sinergi.wilayah import get_wilayah

KELUARGA_RATES = {
    "nik_bukan_16_digit": 0.010,
    "nik_notasi_ilmiah": 0.008,
    "nik_tanggal_tidak_cocok": 0.010,
    "nik_jk_tidak_cocok": 0.008,
    "tanggal_tidak_valid": 0.010,
    "tanggal_masa_depan": 0.006,
    "baris_ganda": 0.010,
}
KELUARGA_FAMILY_RATES = {"kk_notasi_ilmiah": 0.003, "desa_tidak_dikenal": 0.010}
EPPGBM_RATES = {
    "nik_anak_kosong": 0.020,
    "nik_bukan_16_digit": 0.010,
    "nik_notasi_ilmiah": 0.005,
    "nama_wilayah_tidak_dikenal": 0.010,
    "tanggal_tidak_valid": 0.010,
    "tanggal_masa_depan": 0.005,
    "baris_ganda": 0.010,
    "variasi_nama": 0.020,
}
P3KE_RATES = {"desil_tidak_valid": 0.010, "baris_ganda": 0.010, "variasi_nama": 0.015}
# Hamlet and settlement names that are no desa of the regency (the resolver must not match them).
UNKNOWN_DESA = (
    "Kilo Dua Belas",
    "SP Tujuh Trans",
    "Dusun Jengkol Hulu",
    "Simpang Perdau",
    "Gunung Pelangi",
    "Loa Kulu Seberang",
    "Kampung Pinang Merah",
    "Muara Kaman Ilir",
)


class Injector:
    def __init__(self, pop: Population, rng: np.random.Generator) -> None:
        self.pop = pop
        self.rng = rng
        # every real NIK, and every 16-digit NIK already invented, so that none is reused
        self.taken: set[str] = set(pop.persons["nik"])

    # --- helpers ---------------------------------------------------------------------------

    def _pick(self, sheet: Sheet, rate: float, eligible: np.ndarray) -> np.ndarray:
        cand = np.flatnonzero(eligible & ~sheet.used)
        k = min(len(cand), int(round(rate * sheet.n)))
        if k == 0:
            return cand[:0]
        return np.sort(self.rng.choice(cand, k, replace=False))

    def _set(
        self,
        sheet: Sheet,
        row: int | np.integer,
        key: str,
        value: object,
        kode: str,
        tingkat: str = "error",
    ) -> None:
        sheet.cells[key][row] = value
        sheet.used[row] = True
        sheet.injected.append(Injected(int(row), key, kode, tingkat, _text(value)))

    def _born(self, sheet: Sheet, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        days = self.pop.persons["lahir"].to_numpy().astype("datetime64[D]")[sheet.row_pid[rows]]
        months = days.astype("datetime64[M]")
        year = months.astype("datetime64[Y]").astype(np.int64) + 1970
        month = months.astype(np.int64) % 12 + 1
        day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
        return year, month, day

    # --- NIK / KK ----------------------------------------------------------------------------

    def nik_wrong_length(self, sheet: Sheet, key: str, rate: float) -> None:
        values = sheet.cells[key]
        rows = self._pick(sheet, rate, np.array([len(v) == 16 for v in values]))
        for row in rows:
            nik = values[row]
            form = self.rng.integers(0, 3)
            if form == 2 and "0" in nik[6:]:
                pos = 6 + nik[6:].index("0")
                bad = nik[:pos] + "O" + nik[pos + 1 :]
            elif form == 1:
                bad = nik[:10] + nik[9] + nik[10:]
            else:
                bad = nik[:15]
            self._set(sheet, row, key, bad, "nik_bukan_16_digit")

    def scientific(self, sheet: Sheet, key: str, rate: float, kode: str) -> None:
        values = sheet.cells[key]
        rows = self._pick(sheet, rate, np.array([len(v) == 16 for v in values]))
        for row in rows:
            self._set(sheet, row, key, excel_number(values[row], self.rng.random() < 0.5), kode)

    def nik_date_typo(self, sheet: Sheet, rate: float) -> None:
        def other_days(nik: str) -> Iterator[str]:
            dd = int(nik[6:8])
            female = dd > 40
            day = dd - 40 if female else dd
            # another day of the same month that every month has, so the digits stay a date
            for step in self.rng.permutation(np.arange(1, 28)):
                new_day = (day - 1 + int(step)) % 28 + 1
                if new_day != day:
                    yield nik[:6] + f"{new_day + 40 * female:02d}" + nik[8:]

        self._nik_typo(sheet, rate, other_days, "nik_tanggal_tidak_cocok")

    def nik_sex_typo(self, sheet: Sheet, rate: float) -> None:
        def other_sex(nik: str) -> Iterator[str]:
            dd = int(nik[6:8])
            yield nik[:6] + f"{dd - 40 if dd > 40 else dd + 40:02d}" + nik[8:]

        self._nik_typo(sheet, rate, other_sex, "nik_jk_tidak_cocok")

    def _nik_typo(
        self, sheet: Sheet, rate: float, typos: Callable[[str], Iterator[str]], kode: str
    ) -> None:
        """Replace picked NIKs by the first of their ``typos`` that no one has (a warning)."""
        values = sheet.cells["nik"]
        for row in self._pick(sheet, rate, np.ones(sheet.n, dtype=bool)):
            for new in typos(values[row]):
                if new not in self.taken:
                    self.taken.add(new)
                    self._set(sheet, row, "nik", new, kode, "warning")
                    break

    # --- dates -------------------------------------------------------------------------------

    def bad_date(
        self,
        sheet: Sheet,
        key: str,
        rate: float,
        eligible: np.ndarray | None = None,
        when: np.ndarray | None = None,
    ) -> None:
        """Impossible dates: 31/02/yyyy, yyyy-13-dd, 'tgl d'."""
        mask = np.ones(sheet.n, dtype=bool) if eligible is None else eligible
        rows = self._pick(sheet, rate, mask)
        year, _, day = self._date_parts(sheet, rows, when)
        forms = self.rng.integers(0, 3, len(rows))
        for row, y, d, form in zip(rows, year, day, forms, strict=True):
            text = (f"31/02/{y}", f"{y}-13-{d:02d}", f"tgl {d}")[form]
            self._set(sheet, row, key, text, "tanggal_tidak_valid")

    def future_date(
        self, sheet: Sheet, key: str, rate: float, when: np.ndarray | None = None
    ) -> None:
        """A typo in the year that lands in the future (1985 → 2085, 2026 → 2062)."""
        rows = self._pick(sheet, rate, np.ones(sheet.n, dtype=bool))
        year, month, day = self._date_parts(sheet, rows, when)
        for row, y, m, d in zip(rows, year, month, day, strict=True):
            if when is None:
                fy = y + 100 if y + 100 >= 2060 else 2099
            else:
                swapped = int(str(y)[:2] + str(y)[3] + str(y)[2])
                fy = swapped if swapped >= 2060 else 2099
            d = min(d, 28)
            text = f"{d:02d}/{m:02d}/{fy}" if self.rng.random() < 0.6 else f"{fy}-{m:02d}-{d:02d}"
            self._set(sheet, row, key, text, "tanggal_masa_depan")

    def _date_parts(
        self, sheet: Sheet, rows: np.ndarray, when: np.ndarray | None
    ) -> tuple[np.ndarray, ...]:
        if when is None:
            return self._born(sheet, rows)
        days = when[rows].astype("datetime64[D]")
        months = days.astype("datetime64[M]")
        return (
            months.astype("datetime64[Y]").astype(np.int64) + 1970,
            months.astype(np.int64) % 12 + 1,
            (days - months.astype("datetime64[D]")).astype(np.int64) + 1,
        )

    # --- rows and families -------------------------------------------------------------------

    def duplicate(self, sheet: Sheet, key: str, rate: float) -> None:
        rows = self._pick(sheet, rate, np.ones(sheet.n, dtype=bool))
        for row in rows:
            sheet.dup[row] = True
            sheet.used[row] = True
            sheet.injected.append(
                Injected(
                    int(row), key, "baris_ganda", "error", _text(sheet.cells[key][row]), copy=True
                )
            )

    def family_errors(self, sheet: Sheet) -> None:
        """No. KK mangled by Excel, or a non-existent village code, on every row of a family."""
        fids = np.unique(sheet.row_fid)
        order = self.rng.permutation(len(fids))
        n_kk = int(round(KELUARGA_FAMILY_RATES["kk_notasi_ilmiah"] * len(fids)))
        n_desa = int(round(KELUARGA_FAMILY_RATES["desa_tidak_dikenal"] * len(fids)))
        kk_fids = set(fids[order[:n_kk]].tolist())
        desa_fids = fids[order[n_kk : n_kk + n_desa]]
        wilayah = get_wilayah()
        for fid in sorted(kk_fids):
            rows = np.flatnonzero(sheet.row_fid == fid)
            value = excel_number(sheet.cells["no_kk"][rows[0]], self.rng.random() < 0.5)
            for row in rows:
                self._set(sheet, row, "no_kk", value, "kk_notasi_ilmiah")
        for fid in desa_fids:
            rows = np.flatnonzero(sheet.row_fid == fid)
            real = str(sheet.cells["kode_desa"][rows[0]])
            dotted = "." in real
            kec = real.replace(".", "")[:6]
            for _ in range(50):
                code = f"{kec[:2]}.{kec[2:4]}.{kec[4:6]}.2{self.rng.integers(900, 1000):03d}"
                if wilayah.get(code) is None:
                    break
            value = code if dotted else code.replace(".", "")
            for row in rows:
                self._set(sheet, row, "kode_desa", value, "desa_tidak_dikenal")

    def name_variants(self, sheet: Sheet, keys: tuple[str, ...], rate: float) -> None:
        variants: dict[int, tuple[str, str]] = {}
        for key in keys:
            for row, name in enumerate(sheet.cells[key]):
                if row not in variants and name:
                    new = variant_of(name, row)
                    if new is not None:
                        variants[row] = (key, new)
        eligible = np.zeros(sheet.n, dtype=bool)
        eligible[list(variants)] = True
        for row in self._pick(sheet, rate, eligible):
            key, new = variants[int(row)]
            self._set(sheet, row, key, new, "variasi_nama", "none")

    # --- per file kind -----------------------------------------------------------------------

    def keluarga(self, sheet: Sheet) -> None:
        self.family_errors(sheet)
        r = KELUARGA_RATES
        self.nik_wrong_length(sheet, "nik", r["nik_bukan_16_digit"])
        self.scientific(sheet, "nik", r["nik_notasi_ilmiah"], "nik_notasi_ilmiah")
        self.nik_date_typo(sheet, r["nik_tanggal_tidak_cocok"])
        self.nik_sex_typo(sheet, r["nik_jk_tidak_cocok"])
        self.bad_date(sheet, "tanggal_lahir", r["tanggal_tidak_valid"])
        self.future_date(sheet, "tanggal_lahir", r["tanggal_masa_depan"])
        self.duplicate(sheet, "nik", r["baris_ganda"])

    def p3ke(self, sheet: Sheet) -> None:
        r = P3KE_RATES
        rows = self._pick(sheet, r["desil_tidak_valid"], np.ones(sheet.n, dtype=bool))
        for row in rows:
            self._set(sheet, row, "desil", float(self.rng.choice([0, 5])), "desil_tidak_valid")
        self.duplicate(sheet, "no_kk", r["baris_ganda"])
        self.name_variants(sheet, ("nama_kepala",), r["variasi_nama"])

    def eppgbm(self, sheet: Sheet, when: np.ndarray) -> None:
        r = EPPGBM_RATES
        self.region_variants(sheet)
        rows = self._pick(sheet, r["nik_anak_kosong"], np.ones(sheet.n, dtype=bool))
        for row in rows:
            self._set(sheet, row, "nik_anak", "", "nik_anak_kosong", "warning")
        self.nik_wrong_length(sheet, "nik_anak", r["nik_bukan_16_digit"])
        self.scientific(sheet, "nik_anak", r["nik_notasi_ilmiah"], "nik_notasi_ilmiah")
        rows = self._pick(sheet, r["nama_wilayah_tidak_dikenal"], np.ones(sheet.n, dtype=bool))
        for row in rows:
            name = UNKNOWN_DESA[int(self.rng.integers(0, len(UNKNOWN_DESA)))]
            self._set(sheet, row, "nama_desa", name, "nama_wilayah_tidak_dikenal")
        half = self.rng.random(sheet.n) < 0.5
        self.bad_date(sheet, "tanggal_ukur", r["tanggal_tidak_valid"] / 2, half, when)
        self.bad_date(sheet, "tanggal_lahir", r["tanggal_tidak_valid"] / 2, ~half)
        self.future_date(sheet, "tanggal_ukur", r["tanggal_masa_depan"], when)
        self.duplicate(sheet, "nik_anak", r["baris_ganda"])
        self.name_variants(sheet, ("nama_anak", "nama_ortu"), r["variasi_nama"])

    def region_variants(self, sheet: Sheet) -> None:
        """Known spellings that must resolve silently: Kongbeng for Kombeng, names in capitals."""
        kec = sheet.cells["nama_kecamatan"]
        kombeng = np.flatnonzero((kec == "Kombeng") & ~sheet.used)
        for row in kombeng[self.rng.random(len(kombeng)) < 0.5]:
            self._set(sheet, row, "nama_kecamatan", "Kongbeng", "variasi_wilayah", "none")
        rows = self._pick(sheet, 0.01, np.ones(sheet.n, dtype=bool))
        for row in rows:
            self._set(
                sheet,
                row,
                "nama_desa",
                str(sheet.cells["nama_desa"][row]).upper(),
                "variasi_wilayah",
                "none",
            )


def excel_number(digits: str, scientific: bool) -> str:
    """How Excel shows a 16-digit number: '6.40801E+15' (General) or '6408014101900001.0'."""
    if scientific:
        mantissa, exp = f"{float(digits):.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exp):02d}"
    return f"{digits}.0"


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def errors_frame(sheets: list[Sheet]) -> pd.DataFrame:
    """errors.csv: file, sheet, baris (as the spreadsheet shows it), kolom, kode, tingkat, nilai."""
    records = []
    for sheet in sheets:
        baris = sheet.baris()
        for inj in sheet.injected:
            records.append(
                (
                    sheet.path,
                    sheet.sheet if sheet.fmt == "xlsx" else "",
                    int(baris[inj.row]) + (1 if inj.copy else 0),
                    sheet.header_of(inj.key) if inj.key else "",
                    inj.kode,
                    inj.tingkat,
                    inj.nilai,
                )
            )
    frame = pd.DataFrame(
        records, columns=["file", "sheet", "baris", "kolom", "kode", "tingkat", "nilai"]
    )
    return frame.sort_values(["file", "baris", "kolom"], kind="stable").reset_index(drop=True)
