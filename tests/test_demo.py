"""The demo's steps (sinergi.demo) on a 1 % synthetic regency: each returns what the CLI prints,
the seeded year goes through the import door, and the same seed gives the same year."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from sinergi.core import display
from sinergi.demo.run import (
    CASE_FINDING,
    DEMO_ACCOUNTS,
    FURTHER_COUPLES,
    YEAR_FIGURES,
    Demo,
    demo_accounts,
)
from sinergi.demo.year import FAMILY_PROGRAMMES, WATER_NETWORKS_OPERATING
from sinergi.monitor.missed import everyone_missed
from sinergi.rules.pasangan import parse_pasangan
from sinergi.security.access import ROLES
from sinergi.store.tables import (
    assessment_families,
    import_batches,
    project_households,
    proposals,
)
from sinergi.targeting.programmes import load_catalogue, load_programme
from tests.pdf import pdf_text


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Demo, list, list[str]]:  # type: ignore[type-arg]
    """Steps 1 and 2, once per test worker (each test may run on any worker)."""
    d = Demo(tmp_path_factory.mktemp("demo"), seed=2, scale=0.01)
    d.reset()
    stages: list[str] = []
    d.synthesise(lambda stage, done, total: stages.append(stage))
    assert stages and d.summary is not None and d.summary.persons > 0
    seen: list[str] = []
    results = d.import_all(lambda name, done, total: seen.append(name))
    return d, results, seen


@pytest.fixture
def demo(imported: tuple[Demo, list, list[str]]) -> Demo:  # type: ignore[type-arg]
    return imported[0]


def test_every_file_imports_through_the_door_with_reports(imported, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    _, results, seen = imported
    assert len(results) == len([n for n in seen if n]) > 10
    assert all(r.status == "dimuat" for r in results)
    assert sum(r.rows_rejected for r in results) > 0  # the synthetic files carry errors
    reports = sorted(p.name for p in demo.reports.iterdir())
    assert reports and all(p.endswith(".laporan.xlsx") for p in reports)
    with demo.engine.connect() as conn:
        ways = set(conn.execute(select(import_batches.c.via, import_batches.c.imported_by)).all())
    assert ways == {("cli", "demo")}


def test_linkage_measured_against_the_truth(demo: Demo) -> None:
    linked = demo.link()
    assert linked.result.records > 0 and linked.result.linked > 0
    # Beside exact-NIK linkage in the same run: the model finds more of the true pairs.
    assert linked.ours.recall > linked.exact.recall
    assert linked.ours.precision > 0.95


def test_registry_assessment_and_water_plan(demo: Demo) -> None:
    registry = demo.registry()
    assert len(registry) == 19  # 18 kecamatan and the total
    assessed = demo.assess()
    assert assessed.reference_date == demo.reference_date
    plan = demo.water_plan(assessed.run_id)
    assert plan.reached >= plan.reached_greedy


def test_published_figures_said_synthetic_with_period_and_source(demo: Demo) -> None:
    """Our figures beside the published ones: the data said to be synthetic (every file of the
    generator carries the marker the importer keeps), each row naming period and kind of source
    on both sides, and none called comparable."""
    assessed = demo.assess()
    total = assessed.per_kecamatan.iloc[-1]
    compared = demo.published(assessed)
    assert compared.synthetic
    assert compared.heading == "Sinergi (data sintetis, 31/08/2026)"
    assert compared.notice and "kalibrasi, bukan validasi" in compared.notice
    assert [r.figure for r in compared.rows] == [
        "krs",
        "prevalensi_stunting",
        "prevalensi_stunting",
        "penduduk",
    ]
    krs, ssgi_2024, ssgi_2022, people = compared.rows
    # Our values are the assessment's, as its per-kecamatan table adds them up.
    assert krs.ours == display.num(int(total["krs"])) != "0"
    assert ssgi_2024.ours == display.pct(float(total["stunting_persen"]))
    assert "dinilai per 31/08/2026 dengan aturan krs-2024" in krs.ours_source
    assert "pendataan keluarga" in krs.ours_source
    assert "Verval KRS BKKBN 2024" in krs.published_source
    assert "e-PPGBM" in ssgi_2024.ours_source and "balita terdaftar" in ssgi_2024.ours_source
    assert "SSGI 2024" in ssgi_2024.published_source
    assert "survei sampel" in ssgi_2024.published_source
    assert "SSGI 2022" in ssgi_2022.published_source
    assert "Kepmendagri" in people.published_source
    assert not any(r.comparable for r in compared.rows)
    assert all(r.note.startswith("Tidak sebanding: data sintetis") for r in compared.rows)
    assert "periode berbeda (2026 dan 2024)" in krs.note
    assert "jenis sumber berbeda" not in krs.note  # a roster beside a roster
    assert "jenis sumber berbeda (sensus posyandu (e-PPGBM) dan survei sampel)" in ssgi_2024.note
    assert "periode berbeda (2026 dan 2022)" in ssgi_2022.note
    english = demo.published(assessed, "en")
    assert english.heading == "Sinergi (synthetic data, 2026-08-31)"
    assert english.rows[1].note.startswith("Not comparable: synthetic data")


def test_case_finding_per_kecamatan_adds_up_to_the_missed_list(demo: Demo) -> None:
    assessed = demo.assess()
    table = demo.case_finding(assessed.run_id)
    assert list(table.columns) == ["kode", "kecamatan", *CASE_FINDING, FURTHER_COUPLES]
    assert table["kecamatan"].iloc[-1] == "Jumlah"
    found = everyone_missed(demo.engine, assessed.run_id)
    total = table.iloc[-1]
    listed = found["kode_alasan"].value_counts().to_dict()
    assert {code: int(total[code]) for code in CASE_FINDING if total[code]} == listed
    assert int(table.iloc[:-1][list(CASE_FINDING)].to_numpy().sum()) == len(found) > 0
    # Per kecamatan, the rows of the list in its villages.
    for row in table.iloc[:-1].itertuples(index=False):
        mine = found[found["kode_desa"].fillna("").str.startswith(row.kode)]
        assert sum(getattr(row, code) for code in CASE_FINDING) == len(mine), row.kode
    # The synthetic regency holds KKs with more than one couple.
    with demo.engine.connect() as conn:
        stored = conn.execute(
            select(assessment_families.c.pasangan).where(
                assessment_families.c.run_id == assessed.run_id
            )
        ).scalars()
        further = sum(max(len(parse_pasangan(text)) - 1, 0) for text in stored)
    assert int(total[FURTHER_COUPLES]) == further > 0


def test_the_seeded_year(demo: Demo) -> None:
    assessed = demo.assess()
    steps: list[str] = []
    year = demo.year(assessed.run_id, steps.append)
    assert steps == ["tahun_alokasi", "tahun_penyaluran", "tahun_air", "tahun_data_baru"]
    r = year.result
    assert r.proposals > 0 and r.status_import.rows_rejected == 0
    assert len(r.villages_operating) == WATER_NETWORKS_OPERATING
    assert set(year.before) == set(YEAR_FIGURES) == set(year.after)
    assert year.after["konvergen"] > year.before["konvergen"]
    assert year.after["krs_tanpa_intervensi"] < year.before["krs_tanpa_intervensi"]
    with demo.engine.connect() as conn:
        programmes = set(conn.execute(select(proposals.c.kode_program).distinct()).scalars())
        households = conn.execute(select(func.count()).select_from(project_households)).scalar()
    assert programmes <= set(FAMILY_PROGRAMMES) and households == r.households_connected


def test_meeting_reports_of_the_demo(demo: Demo) -> None:
    """The demo prints the TPPS semester report and the demo village's musdes sheet."""
    demo.assess()
    written = demo.meeting_reports()
    assert [w.path.name for w in written] == ["tpps.pdf", "musdes.pdf"]
    for w in written:
        assert w.path.parent == demo.reports and w.pages >= 1
        assert w.path.read_bytes().startswith(b"%PDF")
    assert "Tim Percepatan Penurunan Stunting" in pdf_text(written[0].path)
    assert "Kepala Desa" in pdf_text(written[1].path)


def test_accounts_are_made_once(demo: Demo) -> None:
    first = demo.accounts()
    assert {role for _, role, _ in first} == set(ROLES)  # every role has an account
    assert [name for name, _, _ in first] == [name for name, _, _, _ in demo_accounts()]
    assert demo.accounts() == []


def test_every_office_has_an_account_holding_its_programmes() -> None:
    """DPPKB, Dinkes, Dinas PU, Perkim, Baznas, a village and an analyst each sign in with an
    account of their own; an office's account holds exactly the programmes whose file names
    that office as `agency`, and every programme of the catalogue has its office's account."""
    accounts = {name: (role, wilayah, program) for name, role, wilayah, program in demo_accounts()}
    offices = ("dppkb", "dinkes", "pu", "perkim", "baznas", "desa", "analis")
    assert set(accounts) == {"admin", "auditor", *offices}
    assert {role for role, _, _ in accounts.values()} == set(ROLES)
    catalogue = load_catalogue()
    for name, role, _, agency in DEMO_ACCOUNTS:
        own = sorted(c for c, p in catalogue.items() if p.agency == agency)
        assert accounts[name][2] == own, name
        assert role != "instansi" or own, name  # an agency account without programmes sees nothing
    held = {code for _, _, program in accounts.values() for code in program}
    assert held == set(catalogue)
    assert accounts["desa"][1] == ["64.08.04.2001"]  # a real village of Kutai Timur


def test_bedah_rumah_is_perkims() -> None:
    """House renovation (RTLH) is the housing office's programme: the Perkim account holds it and
    the Baznas account does not (issue 14)."""
    prog = load_programme("bedah-rumah")
    assert prog.agency == "Perkim" and "Baznas" not in prog.name
    accounts = {name: program for name, _, _, program in demo_accounts()}
    assert "bedah-rumah" in accounts["perkim"] and "bedah-rumah" not in accounts["baznas"]
    assert accounts["baznas"] == ["bantuan-tunai-baznas", "pmt-baznas"]
    assert accounts["dinkes"] == ["pmt-dinkes"] and accounts["pu"] == ["air-bersih"]


def test_same_seed_same_year(tmp_path: Path) -> None:
    """Reproducible: two demos with one seed give the same figures before and after."""
    figures = []
    for name in ("a", "b"):
        d = Demo(tmp_path / name, seed=4, scale=0.005)
        d.synthesise()
        d.import_all()
        run = d.assess()
        year = d.year(run.run_id)
        figures.append(
            (year.before, year.after, year.result.proposals, year.result.villages_operating)
        )
    assert figures[0] == figures[1]
