"""The synthetic regency: deterministic, calibrated, complete, and honest about its errors."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from sinergi.assess.who_tables import load_table
from sinergi.synth import SynthSummary, generate
from sinergi.synth._dates import completed_months
from sinergi.synth._population import K_BELUM, K_KAWIN, R_ANAK, R_HEAD, R_ISTRI

SCALE = 0.02
REF = date(2026, 8, 31)


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("synth")
    return out, generate(out, scale=SCALE, seed=7, ref_date=REF)


def _truth(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "truth" / name, dtype=str, keep_default_na=False)


def _grid(path: Path) -> list[list[str]]:
    """Every row of a file as text, row i of the list being spreadsheet row i + 1."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [[c.strip() for c in row] for row in csv.reader(handle)]
    rows = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    )
    return [[_text(v) for v in row] for row in rows]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def test_same_seed_gives_identical_files(synth: tuple[Path, SynthSummary], tmp_path: Path) -> None:
    out, summary = synth
    again = generate(tmp_path, scale=SCALE, seed=7, ref_date=REF)
    assert again == summary
    for rel in summary.files:
        assert (out / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


def test_another_seed_gives_another_population(
    synth: tuple[Path, SynthSummary], tmp_path: Path
) -> None:
    out, _ = synth
    generate(tmp_path, scale=SCALE, seed=8, ref_date=REF)
    assert (out / "truth/persons.csv").read_bytes() != (tmp_path / "truth/persons.csv").read_bytes()


def test_every_file_kind_is_written(synth: tuple[Path, SynthSummary]) -> None:
    out, summary = synth
    for rel in summary.files:
        assert (out / rel).is_file(), rel
    keluarga = sorted((out / "keluarga").iterdir())
    assert len(keluarga) == 18
    assert sum(p.suffix == ".xlsx" for p in keluarga) >= 3
    assert all(p.name.startswith("keluarga_6408") for p in keluarga)
    assert (out / "p3ke/p3ke.xlsx").is_file()
    assert sorted(p.name for p in (out / "eppgbm").iterdir()) == [
        "eppgbm_2026-02.xlsx",
        "eppgbm_2026-08.xlsx",
    ]
    assert sorted(p.name for p in (out / "intervensi").iterdir()) == [
        "bedah-rumah.xlsx",
        "blt-dd.xlsx",
        "pmt-baznas.xlsx",
    ]
    desa = pd.read_csv(out / "desa/desa.csv", dtype=str)
    assert len(desa) == 141 and desa["Kode Desa"].is_unique
    assert json.loads((out / "truth/summary.json").read_text())["families"] == summary.families
    # P3KE has one empty row above its header
    grid = _grid(out / "p3ke/p3ke.xlsx")
    assert not any(grid[0]) and grid[1][0] == "No KK"


def test_calibration_follows_the_full_scale_ratios(synth: tuple[Path, SynthSummary]) -> None:
    _, s = synth
    assert s.families == round(125_000 * SCALE)
    assert 3.4 < s.persons / s.families < 3.8  # 448,850 / 125,000 = 3.59
    assert 0.07 < s.under_five / s.persons < 0.095
    assert 0.31 < s.target_families / s.families < 0.43  # ≈ 45,000 / 125,000
    assert 0.25 <= s.krs_2024 / s.target_families <= 0.45
    assert s.krs_2021 <= s.krs_2024
    assert 0.15 <= s.stunting_share <= 0.25
    assert 0.08 < s.miskin_ekstrem / s.families < 0.16  # decile 1 (10 %) plus spending


def test_niks_and_kks_are_valid_and_unique(synth: tuple[Path, SynthSummary]) -> None:
    out, _ = synth
    persons = _truth(out, "persons.csv")
    families = _truth(out, "families.csv")
    assert persons["nik"].str.fullmatch(r"\d{16}").all()
    assert persons["nik"].is_unique
    assert families["no_kk"].str.fullmatch(r"\d{16}").all() and families["no_kk"].is_unique
    assert families["no_kk"].str[:4].eq("6408").all()
    assert not set(families["no_kk"]) & set(persons["nik"])
    # the birth date (day + 40 for women) is encoded in digits 7-12
    born = pd.to_datetime(persons["tanggal_lahir"])
    day = born.dt.day + np.where(persons["jk"] == "P", 40, 0)
    expected = (
        day.astype(str).str.zfill(2)
        + born.dt.month.astype(str).str.zfill(2)
        + (born.dt.year % 100).astype(str).str.zfill(2)
    )
    assert (persons["nik"].str[6:12] == expected).all()
    # migrants keep the NIK of their first registration elsewhere in Indonesia
    assert (persons["nik"].str[:4] != "6408").mean() > 0.1


def test_injected_errors_point_at_the_cells_that_hold_them(
    synth: tuple[Path, SynthSummary],
) -> None:
    out, _ = synth
    errors = _truth(out, "errors.csv")
    assert set(errors["tingkat"]) <= {"error", "warning", "none"}
    expected_kinds = {
        "nik_bukan_16_digit",
        "nik_notasi_ilmiah",
        "kk_notasi_ilmiah",
        "nik_tanggal_tidak_cocok",
        "nik_jk_tidak_cocok",
        "desa_tidak_dikenal",
        "nama_wilayah_tidak_dikenal",
        "tanggal_tidak_valid",
        "tanggal_masa_depan",
        "baris_ganda",
        "variasi_nama",
        "desil_tidak_valid",
        "nik_anak_kosong",
    }
    assert expected_kinds <= set(errors["kode"])
    # never two injections on one row (a family-level error repeats on its rows, once each)
    assert not errors.duplicated(["file", "baris"]).any()
    real_niks = set(_truth(out, "persons.csv")["nik"])
    for rel, group in errors.groupby("file"):
        grid = _grid(out / rel)
        header_row = next(i for i, row in enumerate(grid) if any(row))
        header = grid[header_row]
        for e in group.itertuples():
            row = grid[int(e.baris) - 1]
            assert row[header.index(e.kolom)] == e.nilai, (rel, e.baris, e.kolom)
            if e.kode == "baris_ganda":
                assert row == grid[int(e.baris) - 2]
            if e.kode in ("nik_tanggal_tidak_cocok", "nik_jk_tidak_cocok"):
                assert len(e.nilai) == 16 and e.nilai not in real_niks


def test_reference_rule_on_families(synth: tuple[Path, SynthSummary]) -> None:
    out, _ = synth
    persons = _truth(out, "persons.csv")
    families = _truth(out, "families.csv").set_index("no_kk")
    reg = families[families["in_keluarga"] == "1"]
    target = reg["sasaran"] != ""
    assert (reg["target"] == target.astype(int).astype(str)).all()
    assert (reg.loc[~target, "faktor"] == "").all()
    krs21 = reg["faktor"].str.contains(
        "air_minum|jamban|terlalu_muda|terlalu_tua|terlalu_dekat|terlalu_banyak"
    )
    krs24 = krs21 | reg["faktor"].str.contains("tidak_kb_modern|desil_1")
    assert (reg["krs_2021"] == krs21.astype(int).astype(str)).all()
    assert (reg["krs_2024"] == krs24.astype(int).astype(str)).all()
    # every family with a baduta has a member aged 0-23 months
    months = persons["umur_bulan"].astype(int)
    baduta_kk = set(persons.loc[months <= 23, "no_kk"])
    assert set(reg.index[reg["sasaran"].str.contains("baduta")]) == baduta_kk & set(reg.index)
    # the PUS wife is a married woman aged 15-49 who is istri or head
    wives = persons.set_index("nik").loc[reg.loc[reg["nik_pus"] != "", "nik_pus"]]
    assert (wives["jk"] == "P").all() and (wives["status_kawin"] == "kawin").all()
    assert wives["umur_tahun"].astype(int).between(15, 49).all()
    assert wives["hubungan"].isin(["istri", "kepala_keluarga"]).all()


def test_rule_details() -> None:
    from sinergi.synth._rule import classify

    ref = date(2026, 8, 31)

    def born(y: int, m: int, d: int) -> np.datetime64:
        return np.datetime64(date(y, m, d).isoformat(), "D")

    # family 0: wife turns 50 on ref date (no PUS) with a child of exactly 24 months (balita)
    # family 1: wife 35, not pregnant, husband uses MOP; children 23 months apart (too close)
    rows = [
        (0, R_HEAD, False, born(1970, 1, 1), K_KAWIN, False, ""),
        (0, R_ISTRI, True, born(1976, 8, 31), K_KAWIN, False, ""),
        (0, R_ANAK, False, born(2024, 8, 31), K_BELUM, False, ""),
        (1, R_HEAD, False, born(1988, 1, 1), K_KAWIN, False, "mop"),
        (1, R_ISTRI, True, born(1991, 8, 31), K_KAWIN, False, ""),
        (1, R_ANAK, True, born(2019, 1, 15), K_BELUM, False, ""),
        (1, R_ANAK, True, born(2020, 12, 16), K_BELUM, False, ""),
    ]
    persons = pd.DataFrame(
        rows, columns=["fid", "rel", "female", "lahir", "kawin", "hamil", "kontrasepsi"]
    )
    families = pd.DataFrame(
        {
            "sumber_air": ["kemasan", "sungai_danau"],
            "jamban": ["sendiri_septik", "sendiri_septik"],
            "rumah_layak": [True, False],
            "desil": [1, 0],
            "pengeluaran": [np.nan, 300_000.0],
        }
    )
    out = classify(families, persons, ref)
    assert out.loc[0, "sasaran"] == "balita"
    assert out.loc[0, "faktor"] == "desil_1"
    assert out.loc[1, "sasaran"] == "pus"
    assert out.loc[1, "faktor"] == (
        "air_minum_tidak_layak;terlalu_tua;terlalu_dekat;rumah_tidak_layak"
    )
    assert out["krs_2021"].tolist() == [False, True]
    assert out["krs_2024"].tolist() == [True, True]
    assert out["miskin_ekstrem"].tolist() == [True, True]


def test_measurements_follow_the_who_tables(synth: tuple[Path, SynthSummary]) -> None:
    out, _ = synth
    children = _truth(out, "children.csv")
    assert 0.02 <= 1 - children["in_keluarga"].astype(int).mean() <= 0.06
    assert 0.005 <= 1 - children["nik_tertulis"].astype(int).mean() <= 0.04
    when = pd.to_datetime(children["tanggal_ukur"])
    born = pd.to_datetime(children["tanggal_lahir"])
    assert (when >= born).all() and (when <= pd.Timestamp(REF)).all()
    assert when.dt.month.isin([2, 8]).all() and (when.dt.dayofweek < 5).all()
    months = completed_months(
        born.to_numpy().astype("datetime64[D]"), when.to_numpy().astype("datetime64[D]")
    )
    assert (months <= 59).all()
    # the written height, corrected by WHO's 0.7 cm convention, reproduces the true HAZ
    age = children["umur_hari"].astype(int).to_numpy()
    height = children["tinggi"].astype(float).to_numpy()
    lying = children["cara_ukur"].to_numpy() == "berbaring"
    corrected = height + np.where(age < 731, np.where(lying, 0.0, 0.7), np.where(lying, -0.7, 0.0))
    table = load_table("lhfa")
    sex = (children["jk"] == "P").to_numpy().astype(int)
    m, s = table.M[sex, age], table.S[sex, age]
    haz = (corrected / m - 1.0) / s
    assert np.allclose(haz, children["haz"].astype(float), atol=1e-3)
    assert ((haz < -2) == (children["stunted"] == "1")).all()
    assert 0.005 < np.mean(lying != (age < 731)) < 0.08
    weights = children["berat"].astype(float)
    assert weights.between(0.5, 40).all() and pd.Series(height).between(35, 140).all()


def test_unregistered_children_are_absent_from_the_rosters(
    synth: tuple[Path, SynthSummary],
) -> None:
    out, _ = synth
    children = _truth(out, "children.csv")
    unregistered = set(children.loc[children["in_keluarga"] == "0", "nik"])
    assert unregistered
    for path in (out / "keluarga").iterdir():
        niks = {row[1] for row in _grid(path)[1:]}
        assert not niks & unregistered


def test_importer_flags_exactly_the_injected_errors(synth: tuple[Path, SynthSummary]) -> None:
    from sinergi.ingest import reader, validate
    from sinergi.ingest.schema import KINDS

    out, summary = synth
    errors = _truth(out, "errors.csv")
    for rel in summary.files:
        if rel.startswith("truth/"):
            continue
        table = reader.read_table(out / rel)
        result = validate.validate(table, KINDS[rel.split("/")[0]], today=date(2026, 11, 28))
        assert not result.refused, rel
        got = {(i.baris, i.kolom, i.kode, i.tingkat) for i in result.issues}
        mine = errors[errors["file"] == rel]
        want = {
            (int(e.baris), e.kolom, e.kode, e.tingkat)
            for e in mine.itertuples()
            if e.tingkat != "none"
        }
        assert got == want, rel
        silent = {int(e.baris) for e in mine.itertuples() if e.tingkat == "none"}
        assert not {g for g in got if g[0] in silent}, rel
