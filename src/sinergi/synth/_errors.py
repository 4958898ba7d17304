"""Errors and identity noise injected into the clean source files, each recorded for the ground
truth.

Every injection targets one row and triggers exactly one reason code of the importer (see
``sinergi.messages``) or none (``tingkat='none'``); no row receives two injections, a duplicated
row's original is clean, and families with a family-level error (No. KK mangled, unknown village)
get nothing else. A NIK changed into another 16-digit NIK never equals a real one.

*Identity noise* is what a person linkage must see through: it carries a ``gangguan`` code
(``IDENTITY_CODES``). Most of it passes the importer silently (a one-digit NIK typo keeps 16 digits
and the birth date encoded in the NIK); where the importer does notice, the injection's ``kode``
is the importer's reason (a birth date swapped on an e-PPGBM row makes the child's NIK disagree
with it: ``nik_tanggal_tidak_cocok`` on the NIK column) and ``gangguan`` says what was done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import numpy as np
import pandas as pd

from sinergi.ingest.schema import KELUARGA
from sinergi.ingest.vocab import LABELS
from sinergi.synth._dates import dmy_strings
from sinergi.synth._names import nickname, variant_of, with_parent, with_title
from sinergi.synth._population import R_HEAD, R_ISTRI, YEAR, Population
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
# kk_terpisah: a young mother and her under-five child also listed in her parents' KK (in another
# kecamatan's roster, with that KK's number), as when a marriage was never carried over.
KELUARGA_FAMILY_RATES = {
    "kk_notasi_ilmiah": 0.003,
    "desa_tidak_dikenal": 0.010,
    "kk_terpisah": 0.002,
}
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
# Identity noise on e-PPGBM rows (besides the blank NIKs and name variants above). With the
# unreadable and blank NIKs, about 11 % of the rows do not carry the child's true NIK (``test_synth``
# keeps it within 10-20 %; an exact-NIK linkage misses those children).
EPPGBM_IDENTITY_RATES = {
    "nik_salah_ketik": 0.035,  # one digit of the serial mistyped: still 16 digits, still valid
    "nik_tertukar": 0.025,  # two adjacent digits of the serial transposed
    "nik_ibu": 0.015,  # the mother's NIK written in the child's column
    "gelar_nama": 0.010,  # "Ibu" / "Ny." / "Hj." before the mother, bin / binti after the child
    "nama_panggilan": 0.015,  # a nickname: a short form or one given name
    "tanggal_lahir_tertukar": 0.010,  # day and month swapped (both at most 12)
    "tanggal_lahir_meleset": 0.015,  # off by one to five days
    "pindah_desa": 0.015,  # weighed at a posyandu of another village of the kecamatan
}
# Share of the blank-NIK e-PPGBM rows that carry no No. KK and no parent NIK either, so that no
# exact key links them.
TANPA_IDENTITAS_SHARE = 0.5
INTERVENSI_IDENTITY_RATES = {"nik_salah_ketik": 0.020, "nik_tertukar": 0.010, "variasi_nama": 0.020}
#: Every identity-noise code (``gangguan``): those injected here, and ``kembar`` for the rows of a
#: twin (same mother and birth date as another child), which truth/records.csv adds.
IDENTITY_CODES = (
    "nik_kosong",
    "tanpa_identitas",
    *EPPGBM_IDENTITY_RATES,
    "variasi_nama",
    "kk_terpisah",
    "kembar",
)
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
        gangguan: str = "",
    ) -> None:
        sheet.cells[key][row] = value
        sheet.used[row] = True
        sheet.injected.append(
            Injected(int(row), key, kode, tingkat, _text(value), gangguan=gangguan)
        )

    def _each(self, sheet: Sheet, rate: float, change: Callable[[int], Injected | None]) -> None:
        """Offer the free rows in random order to ``change`` (which edits the cells and says
        what it did, or returns None when the row does not qualify) until ``rate`` of the rows
        have changed: only as many rows are judged as it takes."""
        want = int(round(rate * sheet.n))
        if want == 0:
            return
        done = 0
        for row in self.rng.permutation(np.flatnonzero(~sheet.used)):
            inj = change(int(row))
            if inj is None:
                continue
            sheet.used[row] = True
            sheet.injected.append(inj)
            done += 1
            if done == want:
                return

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
        """No. KK mangled by Excel, or a non-existent village code, on every row of a family
        (not on a family that took in split members: their rows already carry their noise)."""
        fids = np.setdiff1d(np.unique(sheet.row_fid), sheet.row_fid[sheet.used])
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
        """A spelling variant of the first of ``keys`` whose name has one (``variant_of``)."""

        def change(row: int) -> Injected | None:
            for key in keys:
                name = sheet.cells[key][row]
                new = variant_of(name, row) if name else None
                if new is not None:
                    sheet.cells[key][row] = new
                    return Injected(row, key, "variasi_nama", "none", new, gangguan="variasi_nama")
            return None

        self._each(sheet, rate, change)

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
            self._set(sheet, row, "nik_anak", "", "nik_anak_kosong", "warning", "nik_kosong")
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
        self.eppgbm_identity(sheet, when)

    # --- identity noise ----------------------------------------------------------------------

    def eppgbm_identity(self, sheet: Sheet, when: np.ndarray) -> None:
        """What makes a posyandu row hard to link to its child: NIK typos, no identity at all,
        the mother's NIK, spelling, titles and nicknames, a wrong birth date, another village."""
        r = EPPGBM_IDENTITY_RATES
        blank = [inj for inj in sheet.injected if inj.gangguan == "nik_kosong"]
        for inj in blank:
            if self.rng.random() < TANPA_IDENTITAS_SHARE:
                sheet.cells["no_kk"][inj.row] = ""
                sheet.cells["nik_ortu"][inj.row] = ""
                inj.gangguan = "tanpa_identitas"
        self.nik_noise(sheet, "nik_anak", r["nik_salah_ketik"], r["nik_tertukar"])
        self.mother_nik(sheet, r["nik_ibu"])
        self.birth_date_noise(sheet, when, r["tanggal_lahir_tertukar"], r["tanggal_lahir_meleset"])
        self.titles(sheet, r["gelar_nama"])
        self.nicknames(sheet, ("nama_anak", "nama_ortu"), r["nama_panggilan"])
        self.moved(sheet, r["pindah_desa"])

    def intervensi(self, sheet: Sheet) -> None:
        r = INTERVENSI_IDENTITY_RATES
        self.nik_noise(sheet, "nik", r["nik_salah_ketik"], r["nik_tertukar"])
        self.name_variants(sheet, ("nama",), r["variasi_nama"])

    def nik_noise(self, sheet: Sheet, key: str, typo_rate: float, swap_rate: float) -> None:
        """A mistyped or two transposed digits in the NIK's serial (digits 13-16), so that the
        number keeps its region and birth date and the importer takes it as it is."""
        values = sheet.cells[key]

        def fresh(row: int, new: str, kode: str) -> Injected | None:
            if new == values[row] or new in self.taken:
                return None
            self.taken.add(new)
            values[row] = new
            return Injected(row, key, kode, "none", new, gangguan=kode)

        def typo(row: int) -> Injected | None:
            nik = str(values[row])
            if len(nik) != 16:
                return None
            pos = 12 + int(self.rng.integers(0, 4))
            digit = str((int(nik[pos]) + int(self.rng.integers(1, 10))) % 10)
            return fresh(row, nik[:pos] + digit + nik[pos + 1 :], "nik_salah_ketik")

        def swap(row: int) -> Injected | None:
            nik = str(values[row])
            pairs = [i for i in range(12, 15) if len(nik) == 16 and nik[i] != nik[i + 1]]
            if not pairs:
                return None
            i = pairs[int(self.rng.integers(0, len(pairs)))]
            return fresh(row, nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :], "nik_tertukar")

        self._each(sheet, typo_rate, typo)
        self._each(sheet, swap_rate, swap)

    def mother_nik(self, sheet: Sheet, rate: float) -> None:
        """The mother's NIK in the child's column (once per mother and file, so that two
        siblings weighed the same day do not become one record). The importer warns that the
        NIK's birth date is not the child's."""
        mother = self.pop.persons["mother"].to_numpy()[sheet.row_pid]
        nik = self.pop.persons["nik"].to_numpy()
        values = sheet.cells["nik_anak"]
        seen: set[int] = set()

        def change(row: int) -> Injected | None:
            m = int(mother[row])
            if m < 0 or m in seen or len(str(values[row])) != 16:
                return None
            seen.add(m)
            values[row] = nik[m]
            return Injected(
                row, "nik_anak", "nik_tanggal_tidak_cocok", "warning", nik[m], gangguan="nik_ibu"
            )

        self._each(sheet, rate, change)

    def birth_date_noise(
        self, sheet: Sheet, when: np.ndarray, swap_rate: float, shift_rate: float
    ) -> None:
        """The child's birth date with day and month swapped, or a few days off; never after
        the weighing. The child's NIK then disagrees with it, which the importer warns about."""
        born = self.pop.persons["lahir"].to_numpy().astype("datetime64[D]")[sheet.row_pid]
        measured = np.asarray(when, dtype="datetime64[D]")
        cells, niks = sheet.cells["tanggal_lahir"], sheet.cells["nik_anak"]

        def write(row: int, new: np.datetime64, code: str) -> Injected | None:
            if new >= measured[row] or new == born[row] or len(str(niks[row])) != 16:
                return None
            if isinstance(cells[row], str):
                cells[row] = dmy_strings(np.array([new]))[0]
            else:
                cells[row] = new.astype(object)
            return Injected(
                row, "nik_anak", "nik_tanggal_tidak_cocok", "warning", niks[row], gangguan=code
            )

        def swap(row: int) -> Injected | None:
            day = born[row].astype(object)
            if not isinstance(day, date) or day.day > 12 or day.day == day.month:
                return None
            swapped = date(day.year, day.day, day.month)
            return write(row, np.datetime64(swapped.isoformat(), "D"), "tanggal_lahir_tertukar")

        def shift(row: int) -> Injected | None:
            days = int(self.rng.integers(1, 6)) * (1 if self.rng.random() < 0.5 else -1)
            return write(row, born[row] + np.timedelta64(days, "D"), "tanggal_lahir_meleset")

        self._each(sheet, swap_rate, swap)
        self._each(sheet, shift_rate, shift)

    def titles(self, sheet: Sheet, rate: float) -> None:
        """A title before the parent's name, or bin / binti and the father's first name after
        a Muslim child's."""
        p = self.pop.persons
        pid = sheet.row_pid
        father = p["father"].to_numpy()[pid]
        mother = p["mother"].to_numpy()[pid]
        christian = self.pop.families["christian"].to_numpy()[p["fid"].to_numpy()[pid]]
        female = p["female"].to_numpy()[pid]
        names = p["nama"].to_numpy()
        parent, child = sheet.cells["nama_ortu"], sheet.cells["nama_anak"]

        def change(row: int) -> Injected | None:
            if row % 2 == 0 and not christian[row] and father[row] >= 0:
                new = with_parent(str(child[row]), bool(female[row]), str(names[father[row]]))
                key = "nama_anak"
            elif parent[row]:
                new = with_title(str(parent[row]), bool(mother[row] >= 0), row // 2)
                key = "nama_ortu"
            else:
                return None
            sheet.cells[key][row] = new
            return Injected(row, key, "gelar_nama", "none", new, gangguan="gelar_nama")

        self._each(sheet, rate, change)

    def nicknames(self, sheet: Sheet, keys: tuple[str, ...], rate: float) -> None:
        def change(row: int) -> Injected | None:
            key = keys[row % len(keys)]
            name = str(sheet.cells[key][row])
            new = nickname(name) if name else None
            if new is None:
                return None
            sheet.cells[key][row] = new
            return Injected(row, key, "nama_panggilan", "none", new, gangguan="nama_panggilan")

        self._each(sheet, rate, change)

    def moved(self, sheet: Sheet, rate: float) -> None:
        """A child weighed at a posyandu of another village of the same kecamatan (the family
        moved, or goes where the mother works): village, posyandu, RT and RW of that place."""
        kec, desa = sheet.cells["nama_kecamatan"], sheet.cells["nama_desa"]
        free = np.flatnonzero(~sheet.used)
        donors = pd.Series(free).groupby(kec[free], sort=False).agg(list).to_dict()

        def change(row: int) -> Injected | None:
            pool = [
                d for d in donors.get(kec[row], []) if desa[d] != desa[row] and not sheet.used[d]
            ]
            if not pool:
                return None
            donor = pool[int(self.rng.integers(0, len(pool)))]
            for key in ("nama_desa", "posyandu", "rt", "rw"):
                sheet.cells[key][row] = sheet.cells[key][donor]
            return Injected(
                row, "nama_desa", "pindah_desa", "none", desa[row], gangguan="pindah_desa"
            )

        self._each(sheet, rate, change)

    def split_families(self, sheets: list[Sheet]) -> None:
        """``kk_terpisah``: a young mother and her youngest under-five child listed again in
        her parents' KK (a family with an older head, in another kecamatan's roster: the same
        NIK twice in one file would be refused), as members (anak, cucu) with that KK's number.
        Only CSV rosters, whose cells are all text alike."""
        p = self.pop.persons
        csv = [s for s in sheets if s.fmt == "csv"]
        if len(csv) < 2:
            return
        rel, mother = p["rel"].to_numpy(), p["mother"].to_numpy()
        born = p["lahir"].to_numpy().astype("datetime64[D]")
        newest = born.max()  # the last birth stands for the reference date
        under5 = (newest - born).astype(np.int64) < 5 * YEAR
        youngest = pd.Series(np.arange(len(p)))[under5 & (mother >= 0)]
        youngest = youngest.groupby(mother[youngest.to_numpy()]).last()
        found = []
        for k, sheet in enumerate(csv):
            in_sheet = sheet.row_pid
            wives = in_sheet[(rel[in_sheet] == R_ISTRI) & np.isin(in_sheet, youngest.index)]
            found += [(k, int(w)) for w in wives]
        n_reg = int(self.pop.families["in_keluarga"].sum())
        want = min(len(found), max(1, int(round(KELUARGA_FAMILY_RATES["kk_terpisah"] * n_reg))))
        chosen = sorted(found[i] for i in self.rng.choice(len(found), want, replace=False))
        age = (newest - born).astype(np.int64) / YEAR
        inserts: dict[int, list[tuple[int, int, int]]] = {}
        for k, wife in chosen:
            others = [j for j in range(len(csv)) if j != k]
            j = others[int(self.rng.integers(0, len(others)))]
            heads = np.flatnonzero((rel[csv[j].row_pid] == R_HEAD) & (age[csv[j].row_pid] >= 45))
            if len(heads) == 0:
                continue
            head_row = int(heads[int(self.rng.integers(0, len(heads)))])
            src = int(np.flatnonzero(csv[k].row_pid == wife)[0])
            kid = int(youngest.loc[wife])
            kid_row = int(np.flatnonzero(csv[k].row_pid == kid)[0])
            inserts.setdefault(j, []).extend([(head_row, k, src), (head_row, k, kid_row)])
        for j, rows in inserts.items():
            self._insert_members(csv[j], rows, csv)

    def _insert_members(
        self, sheet: Sheet, rows: list[tuple[int, int, int]], sources: list[Sheet]
    ) -> None:
        """Insert copies of (source sheet, row) persons after the family of ``head_row``."""
        person_keys = {c.name for c in KELUARGA.columns if c.level == "row"} - {"no_kk"}
        anak, cucu = LABELS["hubungan"]["anak"], LABELS["hubungan"]["cucu"]
        fid = sheet.row_fid
        plan = []
        for head_row, k, src in rows:
            last = int(np.flatnonzero(fid == fid[head_row]).max())
            pid = int(sources[k].row_pid[src])
            child = self.pop.persons["rel"].to_numpy()[pid] != R_ISTRI
            plan.append((last, head_row, k, src, pid, cucu if child else anak))
        plan.sort(key=lambda x: x[0])
        positions = np.array([x[0] + 1 for x in plan])
        new_cells = {}
        for key, col in sheet.cells.items():
            added = []
            for _, head_row, k, src, _, relation in plan:
                source = sources[k].cells
                if key == "hubungan":
                    added.append(relation)
                elif key in person_keys or key == "pekerjaan":
                    added.append(source[key][src] if key in source else "")
                else:
                    added.append(col[head_row])
            new_cells[key] = np.insert(col, positions, np.array(added, dtype=object))
        sheet.cells = new_cells
        sheet.row_fid = np.insert(fid, positions, [fid[x[1]] for x in plan])
        sheet.row_pid = np.insert(sheet.row_pid, positions, [x[4] for x in plan])
        sheet.used = np.insert(sheet.used, positions, True)
        sheet.dup = np.insert(sheet.dup, positions, False)
        at = positions + np.arange(len(positions))
        for row in at:
            kk = str(sheet.cells["no_kk"][row])
            sheet.injected.append(
                Injected(int(row), "no_kk", "kk_terpisah", "none", kk, gangguan="kk_terpisah")
            )

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
    """errors.csv: file, sheet, baris (as the spreadsheet shows it), kolom, kode, tingkat, nilai,
    gangguan (the identity-noise code, empty for a plain data error)."""
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
                    inj.gangguan,
                )
            )
    frame = pd.DataFrame(
        records,
        columns=["file", "sheet", "baris", "kolom", "kode", "tingkat", "nilai", "gangguan"],
    )
    return frame.sort_values(["file", "baris", "kolom"], kind="stable").reset_index(drop=True)
