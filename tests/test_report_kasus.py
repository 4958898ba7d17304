"""The case list for an Audit Kasus Stunting (``kasus``): built from the seeded regency
(synthetic at 1 %, imported and assessed, on SQLite and PostgreSQL) for the village with the most
findings and for its kecamatan, in both languages, rendered to PDF (pdftotext, a PNG of page 1)
and XLSX and audited; the same findings as ``sinergi missed``; NIKs masked for a role that may not
see them whole; an empty registry and a village without cases say so; a user outside the area,
a role without names and an unknown code are refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select

from sinergi.messages import t
from sinergi.reports.kinds import ReportError, build_report, write_report
from sinergi.security.auth import User
from sinergi.store.db import ensure_schema
from sinergi.store.tables import audit_log
from sinergi.web import queries
from sinergi.wilayah import get_wilayah
from tests.conftest import copy_sqlite
from tests.pdf import first_page_png as _page_one
from tests.pdf import pdf_text as _text
from tests.web.conftest import (  # noqa: F401  (the seeded regency's fixtures)
    Facts,
    seeded,
    seeded_pg,
    seeded_pg_url,
    seeded_sqlite,
    seeded_sqlite_url,
)

ADMIN = User(0, "uji", "admin", (), ())
CASE_KINDS = ("anak_terlewat", "belum_diukur", "ibu_hamil")


def _listed(engine: Engine, run_id: int) -> dict[str, set[str]]:
    """Per village: the case-finding codes of its children and pregnant women other than
    'not measured lately' (what the report lists), as the missed list has them."""
    found = queries.missed_children(engine, ADMIN, run_id, "id", include_cleared=True)
    found = found[found["jenis"].isin(CASE_KINDS) & (found["kode_alasan"] != "belum_diukur")]
    return {k: set(g["kode_alasan"]) for k, g in found.groupby("kode_desa")}


@pytest.fixture
def seeded_engine(seeded: tuple[str, Facts]):  # type: ignore[no-untyped-def]  # noqa: F811
    """The seeded regency, and in its facts as ``village`` the village with the most cases and
    as ``other_village`` one of another kecamatan."""
    engine = ensure_schema(seeded[0])
    run = queries.latest_run(engine)
    assert run is not None
    per_village = _listed(engine, run["id"])
    busiest = max(per_village, key=lambda k: (len(per_village[k]), k))
    other = next(v for v in sorted(per_village) if v[:8] != busiest[:8])
    yield engine, replace(seeded[1], village=busiest, other_village=other)
    engine.dispose()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_kasus_of_a_seeded_village(
    seeded_engine: tuple[Engine, Facts], tmp_path: Path, lang: str
) -> None:
    engine, facts = seeded_engine
    laporan = build_report("kasus", engine, ADMIN, lang, desa=facts.village)
    assert not laporan.kosong and laporan.orientasi == "lanskap"
    codes, cases, history, deliveries = laporan.tabel()
    run = queries.latest_run(engine)
    assert run is not None
    expected = _listed(engine, run["id"])[facts.village]
    # Every finding of the missed list for this village is in the case list, and only they.
    listed = {line.split(":")[0] for text in cases.data["temuan"] for line in text.splitlines()} - {
        "belum_diukur"
    }
    assert listed == expected
    assert set(codes.data["kode_alasan"]) - {"belum_diukur"} == expected
    assert cases.data["no"].tolist() == list(range(1, len(cases.data) + 1))
    # The admin sees NIKs whole (as the missed list's export); no raw columns leave the report.
    assert {k.kode for k in cases.kolom} == set(cases.data.columns)
    niks = cases.data["nik"].dropna()
    assert len(niks) and all(len(n) == 16 and n.isdigit() for n in niks)
    # Measurement history: every measured child case has its measurements, scored.
    children = set(cases.data.loc[cases.data["kategori"] == t("lap_kasus_anak", lang), "no"])
    assert set(history.data["no"]) & children
    scored = history.data.dropna(subset=["zs_tbu"])
    assert len(scored) and scored["zs_tbu"].between(-8, 8).all()
    assert (history.data["tanggal_ukur"].notna()).all()
    assert {"kasus", "no_kk", "waktu", "program", "kejadian"} <= set(deliveries.data.columns)

    pdf = tmp_path / f"kasus-{lang}.pdf"
    written = write_report(engine, ADMIN, "kasus", laporan, pdf, {"desa": facts.village})
    assert written.pages >= 2
    text = _text(pdf)
    title = "Daftar kasus untuk Audit Kasus Stunting" if lang == "id" else "Case list for"
    assert title in text and get_wilayah().name(facts.village) in text
    assert "HAZ" in text and "WHZ" in text
    if engine.dialect.name == "sqlite":
        png = _page_one(pdf, f"kasus-{lang}-p1")
        assert png.stat().st_size > 10_000

    xlsx = pdf.with_suffix(".xlsx")
    write_report(engine, ADMIN, "kasus", laporan, xlsx, {"desa": facts.village})
    book = openpyxl.load_workbook(xlsx)
    sheets = {"id": ["Kasus", "Pengukuran", "Intervensi"], "en": ["Cases", "Measurements"]}
    assert set(sheets[lang]) <= set(book.sheetnames)
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.objek, audit_log.c.kunci, audit_log.c.rincian).where(
                audit_log.c.objek == "laporan:kasus"
            )
        ).all()
    assert [(r.kunci, r.rincian["format"]) for r in rows] == [
        (facts.village, "pdf"),
        (facts.village, "xlsx"),
    ]


def test_kasus_of_a_kecamatan_masks_for_the_role(seeded_engine: tuple[Engine, Facts]) -> None:
    engine, facts = seeded_engine
    kecamatan = facts.village[:8]
    whole = build_report("kasus", engine, ADMIN, "id", kecamatan=kecamatan)
    village = build_report("kasus", engine, ADMIN, "id", desa=facts.village)
    assert len(whole.tabel()[1].data) >= len(village.tabel()[1].data) > 0
    assert whole.subjudul.startswith("Kecamatan")
    # A health officer of the kecamatan: every finding of its area, NIKs and No KKs masked.
    dinkes = User(7, "dinkes", "instansi", (kecamatan,), ("pmt-dinkes",))
    masked = build_report("kasus", engine, dinkes, "id", kecamatan=kecamatan)
    cases = masked.tabel()[1].data
    assert len(cases) and all("•" in n for n in cases["nik"].dropna())
    assert all("•" in n for n in cases["no_kk"].dropna())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_kasus_of_an_empty_registry_and_an_area_without_cases(
    sqlite_template: Path, seeded_engine: tuple[Engine, Facts], tmp_path: Path, lang: str
) -> None:
    # (not the sqlite_url fixture: the seeded copy lies at that same path)
    empty = ensure_schema(copy_sqlite(sqlite_template, tmp_path / "kosong.db"))
    village = seeded_engine[1].village
    laporan = build_report("kasus", empty, ADMIN, lang, desa=village)
    assert laporan.kosong and not laporan.tabel()
    assert ("Belum ada penilaian" if lang == "id" else "No assessment yet") in laporan.kosong
    pdf = tmp_path / "kosong.pdf"
    write_report(empty, ADMIN, "kasus", laporan, pdf, {"desa": village})
    assert "sinergi assess" in _text(pdf)
    write_report(empty, ADMIN, "kasus", laporan, pdf.with_suffix(".xlsx"), {"desa": village})

    engine = seeded_engine[0]
    run = queries.latest_run(engine)
    assert run is not None
    with_cases = _listed(engine, run["id"])
    quiet = next(r.kode for r in get_wilayah().villages("64.08") if r.kode not in with_cases)
    laporan = build_report("kasus", engine, ADMIN, lang, desa=quiet)
    assert laporan.kosong and not laporan.tabel()
    assert get_wilayah().name(quiet) in laporan.kosong
    write_report(engine, ADMIN, "kasus", laporan, tmp_path / "tanpa.pdf", {"desa": quiet})


def test_kasus_refuses_outside_the_users_area(seeded_engine: tuple[Engine, Facts]) -> None:
    engine, facts = seeded_engine
    own = User(1, "desa", "desa", (facts.village,), ())
    assert build_report("kasus", engine, own, "id", desa=facts.village).tabel()
    with pytest.raises(ReportError) as refused:
        build_report("kasus", engine, own, "id", desa=facts.other_village)
    assert facts.other_village in refused.value.message("id")
    with pytest.raises(ReportError):  # its village's kecamatan is more than its village
        build_report("kasus", engine, own, "id", kecamatan=facts.village[:8])
    for user in (
        User(2, "desa-tanpa", "desa", (), ()),
        User(3, "analis", "analis", (), ()),  # aggregates only: no names
        User(4, "auditor", "auditor", (), ()),
        User(5, "kec", "dppkb", (facts.other_village[:8],), ()),
    ):
        with pytest.raises(ReportError):
            build_report("kasus", engine, user, "en", desa=facts.village)
    for bad in ({"desa": "64.08.99.9999"}, {"kecamatan": "64.08"}, {}):
        with pytest.raises(ReportError):
            build_report("kasus", engine, ADMIN, "id", **bad)
