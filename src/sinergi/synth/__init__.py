"""A seeded synthetic population of a regency, written as the source files officers receive,
with the ground truth to test the product against.

``generate(out, region="64.08", seed=1, scale=1.0)`` writes, under ``out``::

    keluarga/keluarga_<kec>_<slug>.csv|xlsx   family rosters, one per kecamatan (one row per person)
    p3ke/p3ke.xlsx                            welfare deciles (header on row 2)
    eppgbm/eppgbm_<yyyy-mm>.xlsx              posyandu measurements, one per weighing round
                                              (national Feb/Aug and the last months' monthly
                                              rounds, see _growth)
    ibu_hamil/ibu_hamil.xlsx                  pregnant women's ANC check-ups (see _pregnancies)
    catin/catin.csv                           engaged couples' screenings
    intervensi/<program>.xlsx                 pmt-baznas, blt-dd, bedah-rumah
    desa/desa.csv                             village clean-water facts
    truth/persons.csv, families.csv, children.csv, errors.csv, records.csv, pregnancies.csv,
          summary.json

``truth/children.csv`` has one row per generated measurement (before errors were injected): the
child's true identity, the round, the values written and the truth derived from them: ``haz``,
``whz``, ``stunted``, ``edema`` (bilateral pitting oedema, 0/1), ``berat_lahir`` (the birth
weight in grams the row records, empty when it records none) and ``bb_2t`` (1 when the child is
2T at this weighing: the gains into this month and the month before were both below the
Kemenkes KBM, computed from the generated weights in `_weighing`; a child's latest row says
whether it is 2T).

``truth/records.csv`` names the true person behind every data row of the keluarga, eppgbm and
intervensi files: ``berkas`` (the file, as in ``source_files``), ``baris`` (the spreadsheet row, as
the importer numbers it in ``import_issues.baris``, ``persons.baris`` and ``measurements.baris``;
an inserted duplicate is a row of its own), ``sumber`` (the kind), ``pid`` (the ``pid`` of
persons.csv), ``nik_benar``, ``no_kk_benar`` (the person's true NIK and family KK) and ``gangguan``
(';'-joined identity-noise codes of the row, ``_errors.IDENTITY_CODES``; ``kembar`` marks a
twin). errors.csv carries the same codes in its ``gangguan`` column, one injection per row.

At scale 1 for Kutai Timur (64.08): about 448,000 people in 125,000 families over the 141 villages,
≈ 8 % under five, ≈ 45,000 target families and ≈ 15,500 families at risk of stunting (krs-2024)
by the reference rule of ``_rule``. Same seed, scale and ref_date give byte-identical CSV files
and identical XLSX cells (the XLSX creation time is fixed to ref_date).

Calibration note: a census-like age pyramid would make about 64 % of families targets (like the
national 63 %); reaching the requested 36 % (45,000 of 125,000) needs fewer couples with a wife
aged 35-49, so the pyramid is thin at 35-49 and heavy at 50-64. The household mix is in
``_population.TEMPLATE_P``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from sinergi.rules.ruleset import FACTOR_CODES, SASARAN_CODES
from sinergi.synth import _errors, _growth, _population, _pregnancies, _rule, _sources, _weighing
from sinergi.synth._dates import completed_months, d64, iso_strings
from sinergi.synth._regions import load_villages
from sinergi.synth._sheets import Sheet, mark_synthetic, write

__all__ = ["SOURCE_ORDER", "Progress", "SynthSummary", "generate", "source_files"]

# The kinds of a synthetic set in load order: villages, rosters, welfare, measurements, lists.
SOURCE_ORDER = ("desa", "keluarga", "p3ke", "eppgbm", "ibu_hamil", "catin", "intervensi")

Progress = Callable[[str, int, int], None]


@dataclass
class SynthSummary:
    region: str
    region_name: str
    seed: int
    scale: float
    ref_date: str
    persons: int  # people in the family rosters
    families: int  # families (KK) in the family rosters
    unregistered_families: int  # families of measured children absent from the rosters
    under_five: int  # roster people aged 0-59 completed months at ref_date
    target_families: int
    krs_2021: int
    krs_2024: int
    miskin_ekstrem: int
    sasaran: dict[str, int]
    factors: dict[str, int]
    measured_children: int  # distinct children in the e-PPGBM files
    measurements: int  # e-PPGBM rows before injected duplicates
    stunting_share: float  # stunted share of the children measured in the latest round
    rounds: list[str]
    errors: dict[str, int]  # injected issues by reason code
    files: list[str] = field(default_factory=list)
    # rows of truth/records.csv by identity-noise code (a twin's rows count as ``kembar``)
    identity_noise: dict[str, int] = field(default_factory=dict)


def generate(
    out: Path,
    region: str = "64.08",
    seed: int = 1,
    scale: float = 1.0,
    ref_date: date = date(2026, 8, 31),
    progress: Progress | None = None,
) -> SynthSummary:
    """Write a synthetic regency under ``out`` and return (and save) its summary."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out)
    report = progress or (lambda stage, done, total: None)
    streams = np.random.default_rng(seed).spawn(6)
    villages = load_villages(region)

    report("penduduk", 0, 1)
    pop = _population.build(villages, streams[0], scale, ref_date)
    facts = _sources.village_facts(villages, pop.families, streams[1], ref_date)
    _sources.piped_water(pop.families, facts, streams[1])
    cls = _rule.classify(pop.families, pop.persons, ref_date)
    report("penduduk", 1, 1)

    report("pengukuran", 0, 1)
    meas = _growth.measure(pop, villages, cls["krs_2024"].to_numpy(), streams[2], ref_date)
    report("pengukuran", 1, 1)

    report("berkas", 0, 1)
    keluarga = _sources.keluarga_sheets(pop, villages, ref_date, streams[3])
    p3ke = _sources.p3ke_sheet(pop)
    eppgbm = _sources.eppgbm_sheets(pop, villages, meas, streams[3])
    intervensi = _sources.intervensi_sheets(pop, cls, meas, ref_date, scale, streams[3])
    desa = _sources.desa_sheet(facts)

    injector = _errors.Injector(pop, streams[4])
    injector.split_families(keluarga)
    for sheet in keluarga:
        injector.keluarga(sheet)
    injector.p3ke(p3ke)
    for sheet in eppgbm:
        injector.eppgbm(sheet, meas.rows["tanggal_ukur"].to_numpy()[sheet.row_meas])
    for sheet in intervensi:
        injector.intervensi(sheet)
    rng = np.random.default_rng([seed, 13])  # its own stream: the other files stay as they were
    pregnant, pregnancies = _pregnancies.pregnancy_sheets(pop, ref_date, rng)
    sheets: list[Sheet] = [*keluarga, p3ke, *eppgbm, *pregnant, *intervensi, desa]
    for sheet in sheets:
        mark_synthetic(sheet)
    report("berkas", 1, 1)

    created = datetime(ref_date.year, ref_date.month, ref_date.day)
    files: list[str] = []
    for i, sheet in enumerate(sheets):
        report("tulis", i, len(sheets))
        write(sheet, out, created)
        files.append(sheet.path)
    report("tulis", len(sheets), len(sheets))

    report("kebenaran", 0, 1)
    errors = _errors.errors_frame(sheets)
    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    _csv(errors, truth / "errors.csv")
    _csv_plain(_persons_truth(pop, ref_date), truth / "persons.csv")
    _csv(_families_truth(pop, cls, [*keluarga, p3ke]), truth / "families.csv")
    children = _children_truth(pop, meas, eppgbm)
    _csv(children, truth / "children.csv")
    _csv(pregnancies, truth / "pregnancies.csv")
    records = _records_truth(pop, [*keluarga, *eppgbm, *intervensi])
    _csv_plain(records, truth / "records.csv")
    files += [
        f"truth/{name}"
        for name in (
            "errors.csv",
            "persons.csv",
            "families.csv",
            "children.csv",
            "records.csv",
            "pregnancies.csv",
            "summary.json",
        )
    ]

    summary = _summary(
        region,
        villages.regency_name,
        seed,
        scale,
        ref_date,
        pop,
        cls,
        meas,
        children,
        errors,
        files,
    )
    codes = records["gangguan"].str.split(";").explode()
    summary.identity_noise = {
        k: int(v) for k, v in sorted(codes[codes != ""].value_counts().items())
    }
    (truth / "summary.json").write_text(
        json.dumps(asdict(summary), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    report("kebenaran", 1, 1)
    return summary


def source_files(folder: Path) -> list[tuple[str, Path]]:
    """A synthetic set's files in load order, as (kind, path); validation reports written
    beside them (``*.laporan.*``) are left out."""
    files: list[tuple[str, Path]] = []
    for kind in SOURCE_ORDER:
        sub = folder / kind
        if sub.is_dir():
            files += [
                (kind, p)
                for p in sorted(sub.iterdir())
                if p.suffix.lower() in (".csv", ".xlsx") and ".laporan" not in p.name
            ]
    return files


def _csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def _csv_plain(frame: pd.DataFrame, path: Path) -> None:
    """``_csv`` for a large frame of text and integers that need no quoting (Arrow's writer, a
    few times faster; it refuses a value that would need quotes)."""
    with path.open("wb") as handle:
        handle.write((",".join(frame.columns) + "\n").encode("utf-8"))
        pa_csv.write_csv(
            pa.Table.from_pandas(frame, preserve_index=False),
            handle,
            pa_csv.WriteOptions(include_header=False, quoting_style="none"),
        )


def _flag(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=bool).astype(np.int64)


def _persons_truth(pop: _population.Population, ref: date) -> pd.DataFrame:
    p, fam = pop.persons, pop.families
    born = p["lahir"].to_numpy().astype("datetime64[D]")
    months = completed_months(born, d64(ref))
    nik = p["nik"].to_numpy()
    mother, father = p["mother"].to_numpy(), p["father"].to_numpy()
    return pd.DataFrame(
        {
            "nik": nik,
            "no_kk": p["no_kk"].to_numpy(),
            "nama": p["nama"].to_numpy(),
            "jk": np.where(p["female"].to_numpy(), "P", "L"),
            "tanggal_lahir": iso_strings(born),
            "hubungan": np.array(_population.REL, dtype=object)[p["rel"].to_numpy()],
            "status_kawin": np.array(_population.KAWIN, dtype=object)[p["kawin"].to_numpy()],
            "hamil": _flag(p["hamil"].to_numpy()),
            "kontrasepsi": p["kontrasepsi"].to_numpy(),
            "kode_desa": p["kode_desa"].to_numpy(),
            "umur_tahun": months // 12,
            "umur_bulan": months,
            "nik_ibu": np.where(mother >= 0, nik[np.maximum(mother, 0)], ""),
            "nik_ayah": np.where(father >= 0, nik[np.maximum(father, 0)], ""),
            "in_keluarga": _flag(fam["in_keluarga"].to_numpy()[p["fid"].to_numpy()]),
            "pid": np.arange(len(p)),
        }
    )


def _errors_by_family(sheets: list[Sheet], person_fid: np.ndarray, n: int) -> np.ndarray:
    """';'-joined codes of the rejecting errors injected on a family's roster or P3KE rows
    (an inserted duplicate rejects only the copy, so it does not count), and ``kk_terpisah`` on
    both families of a split (the registry then holds the members in either KK, not both)."""
    codes: list[set[str]] = [set() for _ in range(n)]
    for sheet in sheets:
        for inj in sheet.injected:
            if inj.tingkat == "error" and not inj.copy:
                codes[int(sheet.row_fid[inj.row])].add(inj.kode)
            elif inj.kode == "kk_terpisah":
                codes[int(sheet.row_fid[inj.row])].add(inj.kode)
                codes[int(person_fid[sheet.row_pid[inj.row]])].add(inj.kode)
    return np.array([";".join(sorted(c)) for c in codes], dtype=object)


def _families_truth(
    pop: _population.Population, cls: pd.DataFrame, sheets: list[Sheet]
) -> pd.DataFrame:
    fam, p = pop.families, pop.persons
    heads = _sources.head_rows(p).reindex(np.arange(len(fam))).to_numpy()
    nik = p["nik"].to_numpy()
    wife = cls["pus_pid"].to_numpy()
    spend = fam["pengeluaran"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "no_kk": fam["no_kk"].to_numpy(),
            "kode_desa": fam["kode_desa"].to_numpy(),
            "nik_kepala": nik[heads],
            "nama_kepala": p["nama"].to_numpy()[heads],
            "anggota": fam["anggota"].to_numpy(),
            "in_keluarga": _flag(fam["in_keluarga"].to_numpy()),
            "sasaran": cls["sasaran"].to_numpy(),
            "faktor": cls["faktor"].to_numpy(),
            "target": _flag(cls["target"].to_numpy()),
            "krs_2021": _flag(cls["krs_2021"].to_numpy()),
            "krs_2024": _flag(cls["krs_2024"].to_numpy()),
            "miskin_ekstrem": _flag(cls["miskin_ekstrem"].to_numpy()),
            "desil": fam["desil"].to_numpy(),
            "pengeluaran_per_kapita": np.where(
                np.isnan(spend), "", np.nan_to_num(spend).astype(np.int64).astype(str)
            ),
            "sumber_air": fam["sumber_air"].to_numpy(),
            "jamban": fam["jamban"].to_numpy(),
            "rumah_layak": _flag(fam["rumah_layak"].to_numpy()),
            "nik_pus": np.where(wife >= 0, nik[np.maximum(wife, 0)], ""),
            "galat": _errors_by_family(sheets, p["fid"].to_numpy(), len(fam)),
        }
    )


def _records_truth(pop: _population.Population, sheets: list[Sheet]) -> pd.DataFrame:
    """records.csv: the true person behind every written data row (copies included)."""
    p = pop.persons
    nik, kk, twin = p["nik"].to_numpy(), p["no_kk"].to_numpy(), p["twin"].to_numpy()
    parts = []
    for sheet in sheets:
        codes = np.full(sheet.n, "", dtype=object)
        for inj in sheet.injected:
            if inj.gangguan:
                codes[inj.row] = inj.gangguan
        order = sheet.order()
        pid = sheet.row_pid[order]
        gangguan = pd.Series(codes[order])
        is_twin = twin[pid] >= 0
        gangguan[is_twin] = (gangguan[is_twin] + ";kembar").str.lstrip(";")
        parts.append(
            pd.DataFrame(
                {
                    "berkas": sheet.path,
                    "baris": sheet.header_row + 1 + np.arange(len(order)),
                    "sumber": sheet.path.split("/", 1)[0],
                    "pid": pid,
                    "nik_benar": nik[pid],
                    "no_kk_benar": kk[pid],
                    "gangguan": gangguan.to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _children_truth(
    pop: _population.Population, meas: _growth.Measurements, eppgbm: list[Sheet]
) -> pd.DataFrame:
    p, fam = pop.persons, pop.families
    rows = meas.rows
    file = np.empty(len(rows), dtype=object)
    baris = np.zeros(len(rows), dtype=np.int64)
    written_nik = np.zeros(len(rows), dtype=np.int64)
    galat = np.full(len(rows), "", dtype=object)
    for sheet in eppgbm:
        idx = sheet.row_meas
        file[idx] = sheet.path
        baris[idx] = sheet.baris()
        written_nik[idx] = np.array([len(v) > 0 for v in sheet.cells["nik_anak"]])
        for inj in sheet.injected:
            if inj.tingkat == "error" and not inj.copy:
                galat[idx[inj.row]] = inj.kode
    pid = rows["pid"].to_numpy()
    born = p["lahir"].to_numpy().astype("datetime64[D]")[pid]
    # 2T at each weighing, from the generated weights (`_weighing.two_t_at`)
    two_t = _weighing.two_t_at(
        pid,
        _weighing.period_of(rows["tanggal_ukur"].to_numpy()),
        rows["umur_bulan"].to_numpy(),
        rows["berat"].to_numpy(),
    )
    grams = rows["berat_lahir"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "nik": p["nik"].to_numpy()[pid],
            "nik_tertulis": written_nik,
            "no_kk": p["no_kk"].to_numpy()[pid],
            "nama": p["nama"].to_numpy()[pid],
            "jk": np.where(p["female"].to_numpy()[pid], "P", "L"),
            "tanggal_lahir": iso_strings(born),
            "in_keluarga": _flag(fam["in_keluarga"].to_numpy()[p["fid"].to_numpy()[pid]]),
            "ronde": rows["ronde"].to_numpy(),
            "file": file,
            "baris": baris,
            "tanggal_ukur": iso_strings(rows["tanggal_ukur"].to_numpy()),
            **{
                k: rows[k].to_numpy()
                for k in (
                    "umur_hari",
                    "umur_bulan",
                    "cara_ukur",
                    "tinggi",
                    "berat",
                    "lila",
                    "haz",
                    "whz",
                )
            },
            "stunted": _flag(rows["stunted"].to_numpy()),
            "edema": _flag(rows["edema"].to_numpy()),
            "berat_lahir": np.where(
                np.isnan(grams), "", np.nan_to_num(grams).astype(np.int64).astype(str)
            ),
            "bb_2t": _flag(two_t),
            "galat": galat,
        }
    )
    return frame.sort_values(["file", "baris"], kind="stable").reset_index(drop=True)


def _summary(
    region: str,
    region_name: str,
    seed: int,
    scale: float,
    ref: date,
    pop: _population.Population,
    cls: pd.DataFrame,
    meas: _growth.Measurements,
    children: pd.DataFrame,
    errors: pd.DataFrame,
    files: list[str],
) -> SynthSummary:
    fam, p = pop.families, pop.persons
    reg = fam["in_keluarga"].to_numpy()
    reg_people = reg[p["fid"].to_numpy()]
    months = completed_months(p["lahir"].to_numpy().astype("datetime64[D]"), d64(ref))
    c = cls[reg]
    year, month = meas.rounds[-1]
    latest = children[children["ronde"] == f"{year:04d}-{month:02d}"]
    return SynthSummary(
        region=region,
        region_name=region_name,
        seed=seed,
        scale=scale,
        ref_date=ref.isoformat(),
        persons=int(reg_people.sum()),
        families=int(reg.sum()),
        unregistered_families=int((~reg).sum()),
        under_five=int((reg_people & (months <= 59)).sum()),
        target_families=int(c["target"].sum()),
        krs_2021=int(c["krs_2021"].sum()),
        krs_2024=int(c["krs_2024"].sum()),
        miskin_ekstrem=int(c["miskin_ekstrem"].sum()),
        sasaran={k: int(c[k].sum()) for k in SASARAN_CODES},
        factors={k: int(c[k].sum()) for k in FACTOR_CODES},
        measured_children=int(meas.rows["pid"].nunique()),
        measurements=len(meas.rows),
        stunting_share=round(float(latest["stunted"].mean()) if len(latest) else 0.0, 4),
        rounds=[f"{y:04d}-{m:02d}" for y, m in meas.rounds],
        errors={k: int(v) for k, v in sorted(errors["kode"].value_counts().items())},
        files=files,
    )
