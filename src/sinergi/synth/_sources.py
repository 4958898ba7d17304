"""The clean source files: what each system would export for the true population.

Keluarga (one file per kecamatan, a few as XLSX, some with header aliases or an extra column),
P3KE, e-PPGBM (one file per weighing round), agency intervention lists and village facts. Values
are written with the vocabulary labels officers use (``vocab.LABELS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sinergi.ingest.schema import KELUARGA
from sinergi.ingest.vocab import LABELS
from sinergi.synth._dates import d64, dmy_strings
from sinergi.synth._growth import Measurements
from sinergi.synth._population import K_KAWIN, KAWIN, R_HEAD, REL, SAFE_WATER, Population
from sinergi.synth._regions import Villages
from sinergi.synth._sheets import Format, Sheet

# The schema's columns, the village code between the person's and the family's.
KELUARGA_KEYS = [
    *(c.name for c in KELUARGA.columns if c.level == "row"),
    "kode_desa",
    *(c.name for c in KELUARGA.columns if c.level == "family"),
]
# Header aliases used by some kecamatan files, to exercise header matching.
ALIASES_B = {"no_kk": "No. Kartu Keluarga", "hubungan": "SHDK", "jenis_kelamin": "JK"}
ALIASES_C = {
    "no_kk": "Nomor KK",
    "nik": "NIK Anggota",
    "tanggal_lahir": "Tgl Lahir",
    "status_kawin": "Status Perkawinan",
    "kontrasepsi": "Metode KB",
    "kode_desa": "Kode Wilayah",
    "sumber_air": "Sumber Air",
    "jamban": "Fasilitas BAB",
    "rumah_layak": "RLH",
    "lintang": "Latitude",
    "bujur": "Longitude",
}
N_XLSX_KELUARGA = 3


@dataclass
class KecamatanFile:
    kec_kode: str
    fmt: Format
    aliases: dict[str, str]
    extra: bool  # an unknown "Pekerjaan" column
    undotted: bool  # Kode Desa written as ten digits
    date_cells: str  # 'all', 'none' or 'alternate' (XLSX only)
    long_sex: bool  # Laki-laki / Perempuan instead of L / P


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plan_keluarga(villages: Villages, fam: pd.DataFrame) -> list[KecamatanFile]:
    """Which kecamatan files are XLSX (the smallest ones, so writing stays fast) and which use
    header aliases, an extra column, undotted codes or long sex labels."""
    sizes = fam[fam["in_keluarga"]].groupby("kec_kode")["anggota"].sum()
    kec = [k for k, _ in villages.kecamatan]
    by_size = sorted(kec, key=lambda k: (int(sizes.get(k, 0)), k))
    xlsx = by_size[:N_XLSX_KELUARGA]
    csv_by_size = [k for k in by_size if k not in xlsx]
    alias_b = csv_by_size[len(csv_by_size) // 2] if csv_by_size else None
    alias_c = csv_by_size[len(csv_by_size) // 2 + 1] if len(csv_by_size) > 1 else None
    extra = csv_by_size[0] if csv_by_size else None
    plans = []
    for k in kec:
        in_xlsx = k in xlsx
        plans.append(
            KecamatanFile(
                kec_kode=k,
                fmt="xlsx" if in_xlsx else "csv",
                aliases=ALIASES_B if k == alias_b else ALIASES_C if k == alias_c else {},
                extra=k == extra,
                undotted=k == alias_c,
                date_cells=("all", "none", "alternate")[xlsx.index(k) % 3] if in_xlsx else "none",
                long_sex=in_xlsx and xlsx.index(k) == 0,
            )
        )
    return plans


def _label(vocab: str, codes: np.ndarray) -> np.ndarray:
    return pd.Series(codes).map(LABELS[vocab]).fillna("").to_numpy(dtype=object)


def _date_cells(days: np.ndarray, mode: str) -> np.ndarray:
    """dd/mm/yyyy text, Excel date cells, or alternating rows of both."""
    text = dmy_strings(days)
    if mode == "none":
        return text
    cells = np.asarray(days, dtype="datetime64[D]").astype(object)
    if mode == "all":
        return cells
    out = text.copy()
    out[::2] = cells[::2]
    return out


def _fixed(values: np.ndarray, decimals: int) -> np.ndarray:
    return np.char.mod(f"%.{decimals}f", np.asarray(values, dtype=float)).astype(object)


def keluarga_sheets(
    pop: Population, villages: Villages, ref: date, rng: np.random.Generator
) -> list[Sheet]:
    fam, p = pop.families, pop.persons
    reg_rows = fam["in_keluarga"].to_numpy()[p["fid"].to_numpy()]
    kec_names = dict(villages.kecamatan)
    sheets = []
    age_y = (d64(ref) - p["lahir"].to_numpy().astype("datetime64[D]")).astype(np.int64) / 365.2425
    row_kec = fam["kec_kode"].to_numpy()[p["fid"].to_numpy()]
    for plan in plan_keluarga(villages, fam):
        rows = np.flatnonzero(reg_rows & (row_kec == plan.kec_kode))
        sub = p.iloc[rows]
        f = fam.loc[sub["fid"].to_numpy()]
        female = sub["female"].to_numpy()
        married_woman = (
            female & (sub["kawin"].to_numpy() == K_KAWIN) & (age_y[rows] >= 10) & (age_y[rows] < 50)
        )
        hamil = np.where(married_woman, np.where(sub["hamil"].to_numpy(), "Ya", "Tidak"), "")
        if plan.fmt == "xlsx" and plan.date_cells == "alternate":
            hamil = np.where(hamil == "Ya", "Y", np.where(hamil == "Tidak", "T", ""))
        sex = (
            np.where(female, "Perempuan", "Laki-laki")
            if plan.long_sex
            else np.where(female, "P", "L")
        )
        kode = f["kode_desa"].to_numpy()
        if plan.undotted:
            kode = np.char.replace(kode.astype(str), ".", "").astype(object)
        numbers = plan.fmt == "xlsx"
        cells = {
            "no_kk": sub["no_kk"].to_numpy(),
            "nik": sub["nik"].to_numpy(),
            "nama": sub["nama"].to_numpy(),
            "jenis_kelamin": sex.astype(object),
            "tanggal_lahir": _date_cells(
                sub["lahir"].to_numpy(), plan.date_cells if numbers else "none"
            ),
            "hubungan": np.array(REL, dtype=object)[sub["rel"].to_numpy()],
            "status_kawin": np.array(KAWIN, dtype=object)[sub["kawin"].to_numpy()],
            "hamil": hamil.astype(object),
            "kontrasepsi": sub["kontrasepsi"].to_numpy(),
            "ingin_anak": sub["ingin_anak"].to_numpy(),
            "kode_desa": kode,
            **{k: f[k].to_numpy() for k in ("alamat", "dusun", "rt", "rw", "sumber_air", "jamban")},
            "rumah_layak": np.where(f["rumah_layak"].to_numpy(), "Ya", "Tidak").astype(object),
            "lintang": f["lintang"].to_numpy() if numbers else _fixed(f["lintang"], 6),
            "bujur": f["bujur"].to_numpy() if numbers else _fixed(f["bujur"], 6),
        }
        labelled = ("hubungan", "status_kawin", "kontrasepsi", "ingin_anak", "sumber_air", "jamban")
        for key in labelled:
            cells[key] = _label(key, cells[key])
        if not numbers:
            for key in ("lintang", "bujur"):
                cells[key] = np.where(cells[key] == "nan", "", cells[key]).astype(object)
        keys = list(KELUARGA_KEYS)
        headers = [plan.aliases.get(k, _header(k)) for k in keys]
        if plan.extra:
            keys.append("pekerjaan")
            headers.append("Pekerjaan")
            cells["pekerjaan"] = _occupation(sub, age_y[rows], rng)
        name = f"keluarga_{plan.kec_kode.replace('.', '')}_{slug(kec_names[plan.kec_kode])}"
        sheets.append(
            Sheet(
                path=f"keluarga/{name}.{plan.fmt}",
                fmt=plan.fmt,
                keys=keys,
                headers=headers,
                cells=cells,
                sheet="Data Keluarga" if numbers else "",
                row_fid=sub["fid"].to_numpy(),
                row_pid=rows,
            )
        )
    return sheets


def _header(key: str) -> str:
    if key == "kode_desa":
        return "Kode Desa"
    return KELUARGA.column(key).header


def _occupation(p: pd.DataFrame, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(p)
    female = p["female"].to_numpy()
    adult_jobs = np.array(
        [
            "Petani/Pekebun",
            "Karyawan Swasta",
            "Wiraswasta",
            "Buruh Harian Lepas",
            "Nelayan",
            "Pedagang",
            "PNS",
            "Sopir",
            "Karyawan BUMN",
        ],
        dtype=object,
    )
    job = adult_jobs[
        rng.choice(len(adult_jobs), n, p=[0.24, 0.26, 0.16, 0.14, 0.05, 0.07, 0.04, 0.03, 0.01])
    ]
    job = np.where(female & (rng.random(n) < 0.6), "Mengurus Rumah Tangga", job)
    job = np.where(age >= 65, "Tidak Bekerja", job)
    job = np.where(age < 19, np.where(age < 5, "Belum/Tidak Bekerja", "Pelajar/Mahasiswa"), job)
    return job.astype(object)


def p3ke_sheet(pop: Population) -> Sheet:
    fam, p = pop.families, pop.persons
    sel = fam[fam["in_keluarga"] & (fam["desil"] > 0)].sort_values(["kode_desa", "no_kk"])
    h = p.loc[head_rows(p).loc[sel.index].to_numpy()]
    spend = sel["pengeluaran"].to_numpy(dtype=float)
    cells = {
        "no_kk": sel["no_kk"].to_numpy(),
        "nik_kepala": h["nik"].to_numpy(),
        "nama_kepala": h["nama"].to_numpy(),
        "kode_desa": np.char.replace(sel["kode_desa"].to_numpy().astype(str), ".", "").astype(
            object
        ),
        "alamat": sel["alamat"].to_numpy(),
        "desil": sel["desil"].to_numpy().astype(float).astype(object),
        "penerima_pkh": np.where(sel["pkh"].to_numpy(), "Ya", "Tidak").astype(object),
        "penerima_bpnt": np.where(sel["bpnt"].to_numpy(), "Ya", "Tidak").astype(object),
        "pengeluaran_per_kapita": spend.astype(object),
    }
    headers = [
        "No KK",
        "NIK Kepala Keluarga",
        "Nama Kepala Keluarga",
        "Kode Desa",
        "Alamat",
        "Desil",
        "Penerima PKH",
        "Penerima BPNT",
        "Pengeluaran per Kapita",
    ]
    return Sheet(
        path="p3ke/p3ke.xlsx",
        fmt="xlsx",
        keys=list(cells),
        headers=headers,
        cells=cells,
        sheet="P3KE",
        header_row=2,
        row_fid=sel.index.to_numpy(),
        row_pid=h.index.to_numpy(),
    )


def _birth_weight_cells(grams: np.ndarray, pid: np.ndarray) -> np.ndarray:
    """Birth weights as posyandus write them: grams, for one child in ten in kilograms
    (``3.15``); empty when not recorded. (No draw: the sheet's random stream stays as it was.)"""
    in_kg = pid % 10 == 3
    cells = np.full(len(grams), "", dtype=object)
    known = ~np.isnan(grams)
    cells[known & ~in_kg] = [str(int(g)) for g in grams[known & ~in_kg]]
    cells[known & in_kg] = [f"{g / 1000:.2f}" for g in grams[known & in_kg]]
    return cells


def eppgbm_sheets(
    pop: Population, villages: Villages, meas: Measurements, rng: np.random.Generator
) -> list[Sheet]:
    fam, p = pop.families, pop.persons
    sheets = []
    names = p["nama"].to_numpy()
    nik = p["nik"].to_numpy()
    for r, (year, month) in enumerate(meas.rounds):
        label = f"{year:04d}-{month:02d}"
        rows = meas.rows[meas.rows["ronde"] == label].copy()
        pid = rows["pid"].to_numpy()
        fid = p["fid"].to_numpy()[pid]
        f = fam.loc[fid]
        village = f["village"].to_numpy()
        rows["_kec"] = villages.kec_kode[village]
        rows["_desa"] = villages.kode[village]
        rows["_nama"] = names[pid]
        rows = rows.sort_values(["_kec", "_desa", "posyandu", "_nama", "pid"], kind="stable")
        pid = rows["pid"].to_numpy()
        fid = p["fid"].to_numpy()[pid]
        f = fam.loc[fid]
        village = f["village"].to_numpy()
        n = len(rows)
        mother = p["mother"].to_numpy()[pid]
        father = p["father"].to_numpy()[pid]
        parent = np.where(mother >= 0, mother, father)
        has_parent = parent >= 0
        parent_name = np.where(has_parent, names[np.where(has_parent, parent, 0)], "")
        parent_name = np.where(rng.random(n) < 0.03, "", parent_name)
        parent_nik = np.where(
            has_parent & (rng.random(n) < 0.9), nik[np.where(has_parent, parent, 0)], ""
        )
        kk = np.where(rng.random(n) < 0.7, f["no_kk"].to_numpy(), "")
        born = p["lahir"].to_numpy()[pid].astype("datetime64[D]")
        when = rows["tanggal_ukur"].to_numpy().astype("datetime64[D]")
        first_round = r == 0
        cells = {
            "nik_anak": nik[pid],
            "nama_anak": names[pid],
            "jenis_kelamin": np.where(p["female"].to_numpy()[pid], "P", "L").astype(object),
            "tanggal_lahir": _date_cells(born, "all" if first_round else "none"),
            "nama_ortu": parent_name.astype(object),
            "nik_ortu": parent_nik.astype(object),
            "no_kk": kk.astype(object),
            "nama_kecamatan": np.array(
                [dict(villages.kecamatan)[k] for k in villages.kec_kode[village]], dtype=object
            ),
            "nama_desa": villages.nama[village],
            "posyandu": rows["posyandu"].to_numpy(),
            "rt": f["rt"].to_numpy(),
            "rw": f["rw"].to_numpy(),
            "tanggal_ukur": _date_cells(when, "none" if first_round else "all"),
            "berat": rows["berat"].to_numpy().astype(object),
            "tinggi": rows["tinggi"].to_numpy().astype(object),
            "cara_ukur": _label("cara_ukur", rows["cara_ukur"].to_numpy()),
            "lila": rows["lila"].to_numpy().astype(object),
            "edema": np.where(rows["edema"].to_numpy(), "Ya", "Tidak").astype(object),
            "berat_lahir": _birth_weight_cells(rows["berat_lahir"].to_numpy(), pid),
        }
        headers = [
            "NIK",
            "Nama",
            "JK",
            "Tgl Lahir",
            "Nama Ortu",
            "NIK Orang Tua",
            "Nomor KK",
            "Kecamatan",
            "Desa/Kel",
            "Posyandu",
            "RT",
            "RW",
            "Tanggal Pengukuran",
            "Berat",
            "Tinggi",
            "Cara Ukur",
            "LiLA",
            "Edema",
            "BB Lahir",
        ]
        if r == len(meas.rounds) - 1:
            # the export's own z-score column: unknown to the importer, kept as provenance
            cells["zs_tbu"] = np.round(rows["haz"].to_numpy(), 2).astype(object)
            headers.append("ZS TB/U")
        sheets.append(
            Sheet(
                path=f"eppgbm/eppgbm_{label}.xlsx",
                fmt="xlsx",
                keys=list(cells),
                headers=headers,
                cells=cells,
                sheet="Pengukuran",
                row_fid=fid,
                row_pid=pid,
                row_meas=rows.index.to_numpy(),
            )
        )
    return sheets


def village_facts(
    villages: Villages, fam: pd.DataFrame, rng: np.random.Generator, ref: date
) -> pd.DataFrame:
    """One clean-water network status per village; villages with a working network get more
    piped water among their families' safe sources."""
    n = len(villages)
    families = np.bincount(fam["village"].to_numpy(), minlength=n)
    town = villages.kelurahan | villages.capital
    u = rng.random(n)
    p_op = np.where(town, 0.45, 0.10)
    status = np.where(
        u < p_op,
        "beroperasi",
        np.where(
            u < p_op + 0.08, "konstruksi", np.where(u < p_op + 0.20, "perencanaan", "belum_ada")
        ),
    )
    year = np.where(status == "beroperasi", rng.integers(2012, ref.year, n), ref.year)
    connected = np.where(
        status == "beroperasi", np.round(families * rng.uniform(0.2, 0.7, n)), 0
    ).astype(np.int64)
    remote = np.array([villages.profile[k] in ("hulu", "pesisir") for k in villages.kec_kode])
    cost = (
        0.6e9
        + 1.4e9 * families / max(int(families.max()), 1)
        + 0.5e9 * remote
        + rng.uniform(0.0, 0.4e9, n)
    )
    cost = np.clip(np.round(cost, -7), 0.6e9, 3.0e9)
    return pd.DataFrame(
        {
            "kode_desa": villages.kode,
            "jaringan_air": status,
            "tahun": year,
            "sambungan_rumah": connected,
            "biaya_jaringan": cost,
        }
    )


def piped_water(fam: pd.DataFrame, facts: pd.DataFrame, rng: np.random.Generator) -> None:
    """Where a network operates, half the families with a safe source drink piped water."""
    op = facts["jaringan_air"].to_numpy()[fam["village"].to_numpy()] == "beroperasi"
    safe = fam["sumber_air"].isin(SAFE_WATER).to_numpy()
    switch = op & safe & (rng.random(len(fam)) < 0.5)
    fam.loc[switch, "sumber_air"] = "ledeng"


def desa_sheet(facts: pd.DataFrame) -> Sheet:
    cells = {
        "kode_desa": facts["kode_desa"].to_numpy(),
        "jaringan_air": _label("jaringan_air", facts["jaringan_air"].to_numpy()),
        "tahun": facts["tahun"].astype(str).to_numpy().astype(object),
        "sambungan_rumah": facts["sambungan_rumah"].astype(str).to_numpy().astype(object),
        "biaya_jaringan": facts["biaya_jaringan"]
        .astype(np.int64)
        .astype(str)
        .to_numpy()
        .astype(object),
    }
    headers = ["Kode Desa", "Jaringan Air Bersih", "Tahun", "Sambungan Rumah", "Biaya Jaringan"]
    return Sheet(path="desa/desa.csv", fmt="csv", keys=list(cells), headers=headers, cells=cells)


INTERVENSI_HEADERS = [
    "Kode Program",
    "No KK",
    "NIK",
    "Nama",
    "Kode Desa",
    "Tanggal",
    "Status",
    "Nilai",
    "Keterangan",
]


def intervensi_sheets(
    pop: Population,
    cls: pd.DataFrame,
    meas: Measurements,
    ref: date,
    scale: float,
    rng: np.random.Generator,
) -> list[Sheet]:
    fam, p = pop.families, pop.persons
    reg = fam["in_keluarga"].to_numpy()
    heads = head_rows(p)
    ref64 = d64(ref)
    sheets = []

    # Baznas food packages: 10 families per kecamatan, stunted children first, monthly for six
    # months up to the reference month.
    stunted_fam = np.zeros(len(fam), dtype=bool)
    latest = meas.rows[meas.rows["ronde"] == max(r for r in meas.rows["ronde"])]
    stunted_fam[p["fid"].to_numpy()[latest.loc[latest["stunted"], "pid"].to_numpy()]] = True
    desil = fam["desil"].to_numpy()
    priority = (
        3.0 * stunted_fam
        + 1.0 * cls["krs_2024"].to_numpy()
        + 0.5 * (desil == 1)
        + rng.random(len(fam))
    )
    chosen = []
    for kec in sorted(fam["kec_kode"].unique()):
        idx = np.flatnonzero(reg & (fam["kec_kode"].to_numpy() == kec))
        chosen.extend(idx[np.argsort(-priority[idx], kind="stable")[:10]].tolist())
    months = [(ref.year, m) for m in range(max(1, ref.month - 5), ref.month + 1)]
    fids = np.repeat(np.array(chosen, dtype=np.int64), len(months))
    dates = np.tile(np.array([_delivery_day(y, m, ref64) for y, m in months]), len(chosen))
    month_no = np.tile(np.arange(1, len(months) + 1), len(chosen))
    sheets.append(
        _intervensi(
            "pmt-baznas",
            fam,
            p,
            heads,
            fids,
            dates,
            np.full(len(fids), "tersalurkan", dtype=object),
            np.full(len(fids), 1_100_000.0),
            np.array([f"Paket pangan bulan ke-{k}" for k in month_no], dtype=object),
        )
    )

    # BLT Dana Desa: a few thousand poor families, Rp300,000 a month paid per quarter.
    n_blt = max(5, round(3_000 * scale))
    weight = np.select([desil == 1, desil == 2, desil == 3], [6.0, 3.0, 1.0], 0.0) * reg
    blt = _weighted_pick(rng, weight, n_blt)
    quarter = max(1, (ref.month - 1) // 3)
    tahap = ("I (Jan-Mar)", "II (Apr-Jun)", "III (Jul-Sep)", "IV (Okt-Des)")[quarter - 1]
    pay_day = _delivery_day(ref.year, min(3 * quarter + 1, 12), ref64)
    status = np.array(
        ["tersalurkan", "disetujui", "terverifikasi", "usulan", "ditolak"], dtype=object
    )[rng.choice(5, len(blt), p=[0.8, 0.08, 0.05, 0.04, 0.03])]
    sheets.append(
        _intervensi(
            "blt-dd",
            fam,
            p,
            heads,
            blt,
            np.full(len(blt), pay_day),
            status,
            np.full(len(blt), 900_000.0),
            np.full(len(blt), f"Tahap {tahap}", dtype=object),
        )
    )

    # House renovation: a few hundred unliveable houses, the poorest first.
    n_rumah = max(3, round(300 * scale))
    weight = (~fam["rumah_layak"].to_numpy() & reg) * np.select(
        [desil == 1, desil == 2, desil > 0], [4.0, 2.0, 1.0], 0.3
    )
    rumah = _weighted_pick(rng, weight, n_rumah)
    start = np.datetime64(f"{ref.year:04d}-01-02", "D")
    day = start + (rng.random(len(rumah)) * max(int((ref64 - start).astype(int)), 1)).astype(
        "timedelta64[D]"
    )
    status = np.array(
        ["usulan", "terverifikasi", "disetujui", "tersalurkan", "ditolak"], dtype=object
    )[rng.choice(5, len(rumah), p=[0.3, 0.25, 0.2, 0.2, 0.05])]
    value = np.round(rng.uniform(20e6, 25e6, len(rumah)), -5)
    sheets.append(
        _intervensi(
            "bedah-rumah",
            fam,
            p,
            heads,
            rumah,
            day,
            status,
            value,
            np.full(len(rumah), "RTLH - bantuan stimulan", dtype=object),
        )
    )
    return sheets


def _weighted_pick(rng: np.random.Generator, weight: np.ndarray, k: int) -> np.ndarray:
    """Up to ``k`` distinct families drawn with probability proportional to ``weight``."""
    k = min(k, int((weight > 0).sum()))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    return np.sort(rng.choice(len(weight), k, replace=False, p=weight / weight.sum()))


def _delivery_day(year: int, month: int, last: np.datetime64) -> np.datetime64:
    """The first weekday on or after the 10th of the month (not after ``last``)."""
    d = np.busday_offset(np.datetime64(f"{year:04d}-{month:02d}-10", "D"), 0, roll="forward")
    return min(d, last)


def _intervensi(
    program: str,
    fam: pd.DataFrame,
    p: pd.DataFrame,
    heads: pd.Series,
    fids: np.ndarray,
    dates: np.ndarray,
    status: np.ndarray,
    value: np.ndarray,
    note: np.ndarray,
) -> Sheet:
    h = heads.loc[fids].to_numpy()
    cells = {
        "kode_program": np.full(len(fids), program, dtype=object),
        "no_kk": fam["no_kk"].to_numpy()[fids],
        "nik": p["nik"].to_numpy()[h],
        "nama": p["nama"].to_numpy()[h],
        "kode_desa": fam["kode_desa"].to_numpy()[fids],
        "tanggal": np.asarray(dates, dtype="datetime64[D]").astype(object),
        "status": _label("status_intervensi", status),
        "nilai": value.astype(object),
        "keterangan": note,
    }
    return Sheet(
        path=f"intervensi/{program}.xlsx",
        fmt="xlsx",
        keys=list(cells),
        headers=list(INTERVENSI_HEADERS),
        cells=cells,
        sheet=program,
        row_fid=fids,
        row_pid=h,
    )


def head_rows(p: pd.DataFrame) -> pd.Series:
    """Person index (row position) of each family's head, indexed by family."""
    heads = np.flatnonzero(p["rel"].to_numpy() == R_HEAD)
    return pd.Series(heads, index=p["fid"].to_numpy()[heads])
