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
    # the national weighing months (February, August) and a monthly series ending in August
    assert sorted(p.name for p in (out / "eppgbm").iterdir()) == [
        "eppgbm_2026-02.xlsx",
        "eppgbm_2026-06.xlsx",
        "eppgbm_2026-07.xlsx",
        "eppgbm_2026-08.xlsx",
    ]
    assert summary.rounds == ["2026-02", "2026-06", "2026-07", "2026-08"]
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
                # an invented NIK, the mother's, or the child's true NIK beside a wrong birth date
                assert len(e.nilai) == 16
                assert (e.nilai in real_niks) == (e.gangguan != ""), (rel, e.baris)


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
    # the named PUS wife is a married woman aged 10-49 (every couple of the KK is judged; the
    # head's wife is named when there is one)
    wives = persons.set_index("nik").loc[reg.loc[reg["nik_pus"] != "", "nik_pus"]]
    assert (wives["jk"] == "P").all() and (wives["status_kawin"] == "kawin").all()
    assert wives["umur_tahun"].astype(int).between(10, 49).all()
    assert (reg["nik_pus"] != "").equals(reg["sasaran"].str.contains("pus"))


def test_rule_details() -> None:
    from sinergi.synth._rule import classify

    ref = date(2026, 8, 31)

    def born(y: int, m: int, d: int) -> np.datetime64:
        return np.datetime64(date(y, m, d).isoformat(), "D")

    # family 0: wife turns 50 on ref date (no PUS) with a child of exactly 24 months (balita)
    # family 1: wife 35, not pregnant, husband uses MOP; children 23 months apart, the youngest
    # under 24 months (too close)
    rows = [
        (0, R_HEAD, False, born(1970, 1, 1), K_KAWIN, False, ""),
        (0, R_ISTRI, True, born(1976, 8, 31), K_KAWIN, False, ""),
        (0, R_ANAK, False, born(2024, 8, 31), K_BELUM, False, ""),
        (1, R_HEAD, False, born(1988, 1, 1), K_KAWIN, False, "mop"),
        (1, R_ISTRI, True, born(1991, 8, 31), K_KAWIN, False, ""),
        (1, R_ANAK, True, born(2023, 1, 15), K_BELUM, False, ""),
        (1, R_ANAK, True, born(2024, 12, 16), K_BELUM, False, ""),
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
    assert out.loc[1, "sasaran"] == "pus;baduta;balita"
    assert out.loc[1, "faktor"] == (
        "air_minum_tidak_layak;terlalu_tua;terlalu_dekat;rumah_tidak_layak"
    )
    assert out["krs_2021"].tolist() == [False, True]
    assert out["krs_2024"].tolist() == [True, True]
    assert out["miskin_ekstrem"].tolist() == [True, True]


def test_measurements_follow_the_who_tables(synth: tuple[Path, SynthSummary]) -> None:
    out, summary = synth
    children = _truth(out, "children.csv")
    assert 0.02 <= 1 - children["in_keluarga"].astype(int).mean() <= 0.06
    assert 0.005 <= 1 - children["nik_tertulis"].astype(int).mean() <= 0.04
    when = pd.to_datetime(children["tanggal_ukur"])
    born = pd.to_datetime(children["tanggal_lahir"])
    assert (when >= born).all() and (when <= pd.Timestamp(REF)).all()
    assert (when.dt.strftime("%Y-%m") == children["ronde"]).all()
    assert set(children["ronde"]) == set(summary.rounds) and (when.dt.dayofweek < 5).all()
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


# --- monthly weighings, 2T and the child signals ---------------------------------------------


def _latest_rows(children: pd.DataFrame) -> pd.DataFrame:
    """Each true child's latest measurement row of children.csv, by NIK."""
    return children.sort_values(["nik", "tanggal_ukur"]).drop_duplicates("nik", keep="last")


def test_monthly_weighing_series(synth: tuple[Path, SynthSummary]) -> None:
    from sinergi.assess.weighing import two_t

    out, summary = synth
    children = _truth(out, "children.csv")
    # the latest three rounds are three consecutive months (two monthly gains to judge)
    months = [int(r[:4]) * 12 + int(r[5:]) for r in summary.rounds]
    assert months[-3:] == [months[-1] - 2, months[-1] - 1, months[-1]]
    per_round = children.groupby("ronde").size()
    national = per_round[summary.rounds[-1]]
    for ronde in ("2026-06", "2026-07"):  # fewer children than in a national month
        assert 0.5 * national < per_round[ronde] < 0.8 * national, ronde
    assert len(children) <= 2.5 * (per_round["2026-02"] + national)  # the two national rounds
    # one weighing per child and month; weights follow on from month to month
    assert not children.duplicated(["nik", "ronde"]).any()
    w = children.assign(
        berat=children["berat"].astype(float),
        bulan=children["ronde"].map(dict(zip(summary.rounds, months, strict=True))),
    ).sort_values(["nik", "bulan"])
    step = w.groupby("nik")["bulan"].diff().eq(1)
    gain = w.groupby("nik")["berat"].diff()[step]
    assert gain.abs().max() <= 2.0 and gain.median() > 0  # an infant gains about 1 kg a month
    # a few percent of the children weighed in all three months are 2T at the latest
    latest = _latest_rows(children)
    series = w[w["bulan"] >= months[-1] - 2].groupby("nik").size().eq(3)
    full = latest[latest["nik"].isin(series.index[series])]
    assert len(full) > 0.3 * national
    share = (full["bb_2t"] == "1").mean()
    assert 0.01 <= share <= 0.08, share
    assert set(latest.loc[latest["bb_2t"] == "1", "nik"]) <= set(full["nik"])
    # the product's own 2T (ages in days / 30.4375) agrees with the truth (calendar months)
    product = two_t(
        children.rename(columns={"nik": "person"}).assign(berat=children["berat"].astype(float))
    )
    assert product.sum() == (latest["bb_2t"] == "1").sum() > 0
    assert (product.loc[latest["nik"]].to_numpy() == (latest["bb_2t"] == "1").to_numpy()).all()


# Columns whose injected change makes a measurement another child's, or changes its age or date.
IDENTITY_COLUMNS = {"NIK", "Tgl Lahir", "Tanggal Pengukuran"}


def _clean_children(out: Path) -> set[str]:
    """True NIKs of the measured children none of whose e-PPGBM rows was rejected (an injected
    error) or had its NIK, birth date or weighing date changed, in any round. (Name spellings,
    titles and another village leave the child as the importer knows it.)"""
    records = _truth(out, "records.csv")
    errors = _truth(out, "errors.csv")
    eppgbm = records[records["sumber"] == "eppgbm"]
    hits = errors[(errors["tingkat"] == "error") | errors["kolom"].isin(IDENTITY_COLUMNS)]
    touched = set(zip(hits["file"], hits["baris"], strict=True))
    hit = [(f, b) in touched for f, b in zip(eppgbm["berkas"], eppgbm["baris"], strict=True)]
    return set(eppgbm["nik_benar"]) - set(eppgbm.loc[hit, "nik_benar"])


def test_truth_child_signals_match_the_assessment(  # type: ignore[no-untyped-def]
    engine, synth: tuple[Path, SynthSummary]
) -> None:
    """Imported and assessed, every child whose rows are clean has the truth's 2T, oedema and
    birth weight. (A row with an injected error is rejected, and one with identity noise is
    another child for an importer that knows children by the NIK as written: those children
    are left out, not guessed.)"""
    from sqlalchemy import select

    from sinergi.assess.missed import missed
    from sinergi.assess.run import assess
    from sinergi.registry.importer import import_file
    from sinergi.rules import load_ruleset
    from sinergi.store.tables import assessment_children
    from sinergi.synth import source_files

    out, _ = synth
    for kind, path in source_files(out):
        assert import_file(engine, kind, path, as_of=REF).status == "dimuat", path
    run_id = assess(engine, load_ruleset("krs-2024"), REF).run_id
    c = assessment_children.c
    with engine.connect() as conn:
        stored = pd.DataFrame(
            conn.execute(
                select(c.child_key, c.bb_2t, c.edema, c.berat_lahir).where(c.run_id == run_id)
            ).all(),
            columns=["child_key", "bb_2t", "edema", "berat_lahir"],
        ).set_index("child_key")
    children = _truth(out, "children.csv")
    clean = sorted(_clean_children(out))
    assert len(clean) > 0.6 * children["nik"].nunique()
    latest = _latest_rows(children).set_index("nik").loc[clean]
    got = stored.loc[clean]  # every clean child is one assessed child, known by its NIK
    assert (got["bb_2t"].astype(bool) == (latest["bb_2t"] == "1")).all()
    assert got["bb_2t"].astype(bool).sum() >= 3
    assert (got["edema"].astype(bool) == (latest["edema"] == "1")).all()
    # the birth weight: the latest the child's rows recorded (grams or kilograms in the file)
    recorded = children[children["berat_lahir"] != ""]
    born_g = _latest_rows(recorded).set_index("nik")["berat_lahir"].astype(int)
    expected = born_g.reindex(clean)
    assert (got["berat_lahir"].isna() == expected.isna()).all()
    known = expected.notna()
    assert (got.loc[known, "berat_lahir"].astype(int) == expected[known].astype(int)).all()
    assert (expected < 2500).any() and latest["edema"].eq("1").any()
    # the missed list names the clean 2T children still under five, and no other clean child
    listed = missed(engine, run_id, include_cleared=True)
    two_t_listed = set(listed.loc[listed["kode_alasan"] == "anak_2t", "nik"])
    age = _truth(out, "persons.csv").set_index("nik")["umur_bulan"].astype(int)
    under_five = age.loc[latest.index] <= 59
    assert two_t_listed & set(clean) == set(latest.index[(latest["bb_2t"] == "1") & under_five])


# --- identity noise and the truth per record ------------------------------------------------

NOISE_SCALE = 0.05


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SynthSummary]:
    out = tmp_path_factory.mktemp("noisy")
    return out, generate(out, scale=NOISE_SCALE, seed=11, ref_date=REF)


def _cells(out: Path, rel: str, column: str) -> list[str]:
    """One column of a source file, by header, data rows only (row i = spreadsheet row i + 2)."""
    grid = _grid(out / rel)
    header = grid[0]
    return [
        row[header.index(column)] if len(row) > header.index(column) else "" for row in grid[1:]
    ]


def _records_with(records: pd.DataFrame, code: str) -> pd.DataFrame:
    return records[records["gangguan"].str.split(";").map(lambda codes: code in codes)]


def test_every_identity_noise_kind_occurs(noisy: tuple[Path, SynthSummary]) -> None:
    from sinergi.synth._errors import IDENTITY_CODES

    out, summary = noisy
    records = _truth(out, "records.csv")
    errors = _truth(out, "errors.csv")
    seen = set(records["gangguan"].str.split(";").explode()) - {""}
    assert seen == set(IDENTITY_CODES)
    assert set(errors["gangguan"]) - {""} == set(IDENTITY_CODES) - {"kembar"}
    assert summary.identity_noise == {
        k: int(v)
        for k, v in records["gangguan"].str.split(";").explode().value_counts().items()
        if k
    }
    # every noisy row of errors.csv is a noisy row of records.csv (P3KE has no person rows)
    noisy_rows = set(zip(records["berkas"], records["baris"], strict=True))
    marked = errors[(errors["gangguan"] != "") & ~errors["file"].str.startswith("p3ke/")]
    assert set(zip(marked["file"], marked["baris"], strict=True)) <= noisy_rows
    # agency lists carry noise too
    assert (records.loc[records["sumber"] == "intervensi", "gangguan"] != "").any()


def test_a_measurement_row_carries_its_child_s_true_nik_in_most_rows(
    noisy: tuple[Path, SynthSummary],
) -> None:
    out, _ = noisy
    records = _truth(out, "records.csv")
    persons = _truth(out, "persons.csv")
    eppgbm = records[records["sumber"] == "eppgbm"].copy()
    written = {}
    for rel in eppgbm["berkas"].unique():
        for column in ("NIK", "Nomor KK", "NIK Orang Tua", "Tgl Lahir"):
            written[(rel, column)] = _cells(out, rel, column)
    at = eppgbm["baris"].astype(int).to_numpy() - 2
    for column in ("NIK", "Nomor KK", "NIK Orang Tua", "Tgl Lahir"):
        eppgbm[column] = [
            written[(rel, column)][i] for rel, i in zip(eppgbm["berkas"], at, strict=True)
        ]
    # 10-20 % of the rows do not carry the child's true NIK (~11 % at this scale)
    wrong = (eppgbm["NIK"] != eppgbm["nik_benar"]).mean()
    assert 0.10 <= wrong <= 0.20, wrong
    # typo: one digit of the serial; transposition: two adjacent digits of it
    for code, check in (
        ("nik_salah_ketik", lambda a, b: sum(x != y for x, y in zip(a, b, strict=True)) == 1),
        (
            "nik_tertukar",
            lambda a, b: (
                sorted(a[12:]) == sorted(b[12:])
                and sum(x != y for x, y in zip(a, b, strict=True)) == 2
            ),
        ),
    ):
        rows = _records_with(eppgbm, code)
        assert len(rows) > 0, code
        for a, b in zip(rows["NIK"], rows["nik_benar"], strict=True):
            assert len(a) == 16 and a[:12] == b[:12] and check(a, b), (code, a, b)
    # the mother's NIK in the child's column
    mother = persons.set_index("pid")["nik_ibu"]
    rows = _records_with(eppgbm, "nik_ibu")
    assert (rows["NIK"].to_numpy() == mother.loc[rows["pid"]].to_numpy()).all()
    # no NIK, no KK, no parent NIK: nothing exact is left
    rows = _records_with(eppgbm, "tanpa_identitas")
    assert len(rows) > 0
    assert (rows[["NIK", "Nomor KK", "NIK Orang Tua"]] == "").all().all()
    # the birth date: day and month swapped, or a few days off
    born = persons.set_index("pid")["tanggal_lahir"]
    for code in ("tanggal_lahir_tertukar", "tanggal_lahir_meleset"):
        rows = _records_with(eppgbm, code)
        assert len(rows) > 0, code
        true = pd.to_datetime(born.loc[rows["pid"]].to_numpy())
        got = pd.to_datetime(rows["Tgl Lahir"].to_numpy(), format="%d/%m/%Y")
        if code == "tanggal_lahir_tertukar":
            assert (got.day == true.month).all() and (got.month == true.day).all()
        else:
            days = np.abs((got - true).days)
            assert ((days >= 1) & (days <= 5)).all()


def test_moved_children_are_weighed_in_another_village(noisy: tuple[Path, SynthSummary]) -> None:
    from sinergi.wilayah import get_wilayah

    out, _ = noisy
    records = _truth(out, "records.csv")
    persons = _truth(out, "persons.csv").set_index("pid")
    rows = _records_with(records[records["sumber"] == "eppgbm"], "pindah_desa")
    assert len(rows) > 0
    wilayah = get_wilayah()
    for rel, group in rows.groupby("berkas"):
        desa = _cells(out, rel, "Desa/Kel")
        kec = _cells(out, rel, "Kecamatan")
        for r in group.itertuples():
            home = wilayah.get(persons.at[r.pid, "kode_desa"])
            assert home is not None
            written = desa[int(r.baris) - 2]
            assert written.lower() != home.nama.lower(), (rel, r.baris)
            assert kec[int(r.baris) - 2], (rel, r.baris)


def test_names_vary_as_officers_write_them(noisy: tuple[Path, SynthSummary]) -> None:
    from sinergi.synth._names import nickname, variant_of

    assert variant_of("Muhammad Rizky") in {"Muhamad Rizky", "M. Rizky", "Muhammat Rizky"} | {
        "Mohammad Rizky",
        "Moh. Rizky",
    }
    assert variant_of("Rizky Pratama", 1) == "Rizqi Pratama"
    assert variant_of("Nur Aisyah") == "Nur Aisah"  # the listed spelling comes first
    assert variant_of("Nur Wahidah") == "Nurwahidah"
    assert variant_of("Nuraisyah Putri".replace(" Putri", "")) == "Nur Aisyah"
    assert variant_of("Annisa") == "Anisa"
    assert variant_of("Siti Aminah", 1) == "St. Aminah"
    assert nickname("Salsabila Putri") == "Salsa"
    assert nickname("Muhammad Arsyad") == "Arsyad"
    assert nickname("Dimas Saputra") == "Dimas"
    assert nickname("Dimas") is None
    out, _ = noisy
    errors = _truth(out, "errors.csv")
    titled = errors.loc[errors["gangguan"] == "gelar_nama", "nilai"]
    assert titled.str.contains(r" bin | binti |^Ibu |^Ny\. |^Hj\. |^Bapak |^Bpk\. |^H\. ").all()


def test_twins_share_mother_and_birth_date_and_are_both_weighed(
    noisy: tuple[Path, SynthSummary],
) -> None:
    out, _ = noisy
    persons = _truth(out, "persons.csv")
    records = _truth(out, "records.csv")
    with_mother = persons[persons["nik_ibu"] != ""]
    size = with_mother.groupby(["nik_ibu", "tanggal_lahir"])["pid"].transform("size")
    twins = with_mother[size == 2]
    assert (size <= 2).all()
    pairs = twins.groupby(["nik_ibu", "tanggal_lahir"])
    assert 0.004 < pairs.ngroups / with_mother.groupby(["nik_ibu", "tanggal_lahir"]).ngroups < 0.02
    # different first names
    assert (pairs["nama"].agg(lambda n: n.str.split(" ").str[0].nunique()) == 2).all()
    # records mark exactly the twins' rows
    marked = set(_records_with(records, "kembar")["pid"])
    assert marked == set(twins["pid"]) & set(records["pid"])
    # every twin pair of which one child was weighed has both weighed in the same round
    weighed = records[records["sumber"] == "eppgbm"]
    measured = weighed.groupby("berkas")["pid"].agg(set)
    in_eppgbm = [(rel, pids) for rel, pids in measured.items() if set(twins["pid"]) & pids]
    assert in_eppgbm
    for _, group in pairs:
        pair = set(group["pid"])
        for _, pids in in_eppgbm:
            assert len(pair & pids) in (0, 2)


def test_split_families_list_mother_and_child_in_another_kk(
    noisy: tuple[Path, SynthSummary],
) -> None:
    out, _ = noisy
    records = _truth(out, "records.csv")
    roster = records[records["sumber"] == "keluarga"]
    split = _records_with(roster, "kk_terpisah")
    assert 2 <= len(split) <= 0.01 * len(roster)
    persons = _truth(out, "persons.csv").set_index("pid")
    relations = set()
    for rel, group in split.groupby("berkas"):
        grid = _grid(out / rel)
        header = grid[0]
        for r in group.itertuples():
            row = grid[int(r.baris) - 1]
            written_kk = row[[i for i, h in enumerate(header) if "KK" in h or "Kartu" in h][0]]
            assert written_kk != r.no_kk_benar and len(written_kk) == 16
            assert r.nik_benar in row
            relations.add(
                row[[i for i, h in enumerate(header) if "Hubungan" in h or h == "SHDK"][0]]
            )
            # the same person is listed in her own family's roster, in another file
            home = roster[(roster["pid"] == r.pid) & (roster["berkas"] != rel)]
            assert len(home) == 1 and persons.at[r.pid, "no_kk"] == r.no_kk_benar
    assert len(relations) == 2  # the mother as a child of the head, her child as a grandchild


def test_records_name_every_data_row(noisy: tuple[Path, SynthSummary]) -> None:
    out, summary = noisy
    records = _truth(out, "records.csv")
    persons = _truth(out, "persons.csv").set_index("pid")
    data_files = [
        rel for rel in summary.files if rel.split("/")[0] in ("keluarga", "eppgbm", "intervensi")
    ]
    assert set(records["berkas"]) == set(data_files)
    for rel in data_files:
        grid = _grid(out / rel)
        rows = [i + 1 for i, row in enumerate(grid[1:], start=1) if any(row)]
        assert records.loc[records["berkas"] == rel, "baris"].astype(int).tolist() == rows, rel
    assert (records["sumber"] == records["berkas"].str.split("/").str[0]).all()
    assert (persons.loc[records["pid"], "nik"].to_numpy() == records["nik_benar"]).all()
    assert (persons.loc[records["pid"], "no_kk"].to_numpy() == records["no_kk_benar"]).all()


def test_records_agree_with_what_the_importer_stores(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sinergi.registry.importer import import_file
    from sinergi.store.tables import import_batches, import_issues, measurements, persons
    from sinergi.synth import source_files

    out = tmp_path / "set"
    generate(out, scale=0.005, seed=2, ref_date=REF)
    records = _truth(out, "records.csv")
    errors = _truth(out, "errors.csv")
    names = {}
    for kind, path in source_files(out):
        if kind in ("keluarga", "eppgbm", "intervensi"):
            assert import_file(engine, kind, path).status == "dimuat", path
            names[path.name] = path.relative_to(out).as_posix()
    b = import_batches.c
    with engine.connect() as conn:
        stored_persons = conn.execute(
            select(b.file_name, persons.c.baris, persons.c.nik).join(
                import_batches, persons.c.batch_id == b.id
            )
        ).all()
        stored_measurements = conn.execute(
            select(b.file_name, measurements.c.baris, measurements.c.nik_anak).join(
                import_batches, measurements.c.batch_id == b.id
            )
        ).all()
        issues = conn.execute(
            select(b.file_name, import_issues.c.baris).join(
                import_batches, import_issues.c.batch_id == b.id
            )
        ).all()
    truth = records.set_index(["berkas", records["baris"].astype(int)])
    touched = set(zip(errors["file"], errors["baris"].astype(int), strict=True))
    for stored, kind in ((stored_persons, "keluarga"), (stored_measurements, "eppgbm")):
        assert stored
        clean = 0
        for file_name, baris, nik in stored:
            key = (names[file_name], int(baris))
            assert key in truth.index, key
            row = truth.loc[key]
            assert row["sumber"] == kind
            if key not in touched:
                assert nik == row["nik_benar"], key
                clean += 1
        assert clean > 0.7 * len(stored)  # e-PPGBM: ~75 % of the rows carry no injection
    # every row-level issue the importer reported names a data row of the truth
    for file_name, baris in issues:
        if baris is not None:
            assert (names[file_name], int(baris)) in truth.index
