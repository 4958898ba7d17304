"""The village convergence scorecard (``scorecard``): built from the seeded regency (synthetic
at 1 %, imported and assessed, on SQLite and PostgreSQL) and from an empty registry, in both
languages, rendered to PDF (pdftotext, a PNG of page 1) and XLSX; an indicator the registry does
not hold reads "tidak ada data" / "no data", never 0; a user outside the village is refused."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from sinergi.reports.kinds import ReportError, build_report, write_report
from sinergi.reports.scorecard import build
from sinergi.security.auth import User
from sinergi.store.db import ensure_schema
from sinergi.store.tables import measurements
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
QUARTER = "2026-T3"  # holds the synthetic reference date, 31 Aug 2026
NOT_HELD = ("ibu_anc4", "ibu_ttd", "anak_imunisasi", "ibu_jkn", "anak_jkn", "anak_akta")


@pytest.fixture
def seeded_engine(seeded: tuple[str, Facts]):  # type: ignore[no-untyped-def]  # noqa: F811
    """The seeded regency, and in its facts as ``village`` the village with the most children
    measured (at 1 % a small village may hold no child under two)."""
    engine = ensure_schema(seeded[0])
    m = measurements.c
    with engine.connect() as conn:
        busiest = conn.execute(
            select(m.kode_desa).group_by(m.kode_desa).order_by(func.count().desc()).limit(1)
        ).scalar_one()
    other = next(v for v in (seeded[1].village, seeded[1].other_village) if v != busiest)
    yield engine, replace(seeded[1], village=busiest, other_village=other)
    engine.dispose()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_scorecard_of_a_seeded_village(
    seeded_engine: tuple[Engine, Facts], tmp_path: Path, lang: str
) -> None:
    engine, facts = seeded_engine
    laporan = build_report("scorecard", engine, ADMIN, lang, desa=facts.village, periode=QUARTER)
    assert not laporan.kosong
    tables = laporan.tabel()
    assert len(tables) == 5  # one per service package
    data = pd.concat([table.data for table in tables], ignore_index=True)
    rows = data.set_index("kode")
    assert len(rows) == 25
    # The seeded village has children under two and the quarter holds their weighing.
    children = rows.loc["anak_ukur", "jumlah_sasaran"]
    assert children > 0
    assert 0 < rows.loc["anak_ukur", "tercakup"] <= children
    for code in ("anak_ukur", "anak_air", "ibu_periksa"):
        covered, eligible = rows.loc[code, "tercakup"], rows.loc[code, "jumlah_sasaran"]
        if eligible:
            assert rows.loc[code, "persen"] == pytest.approx(100 * covered / eligible)
    no_data = "tidak ada data" if lang == "id" else "no data"
    for code in NOT_HELD:
        assert rows.loc[code, "tercakup"] is None
        assert rows.loc[code, "persen"] is None
        assert rows.loc[code, "keterangan"] == no_data
    # Aggregates only: the village's family heads are nowhere in the scorecard.
    cells = data.astype(str).to_numpy().ravel().tolist()
    assert facts.search_name not in cells
    # Every word comes from the catalogue (an unknown code would come back as itself).
    assert not [c for c in cells if c.startswith("lap_")]

    pdf = tmp_path / f"scorecard-{lang}.pdf"
    written = write_report(engine, ADMIN, "scorecard", laporan, pdf, {"desa": facts.village})
    assert written.pages >= 1
    text = _text(pdf)
    assert ("Kartu Skor Konvergensi Desa" if lang == "id" else "Village Convergence Scorecard") in (
        text
    )
    jkn = [line for line in text.splitlines() if "JKN" in line]
    assert jkn and all(no_data in line for line in jkn)
    if engine.dialect.name == "sqlite":
        png = _page_one(pdf, f"scorecard-{lang}-p1")
        assert png.stat().st_size > 10_000

    xlsx = pdf.with_suffix(".xlsx")
    write_report(engine, ADMIN, "scorecard", laporan, xlsx, {"desa": facts.village})
    book = openpyxl.load_workbook(xlsx)
    values = [c for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert no_data in values


def test_scorecard_refuses_outside_the_users_village(
    seeded_engine: tuple[Engine, Facts],
) -> None:
    engine, facts = seeded_engine
    own = User(1, "desa", "desa", (facts.village,), ())
    assert build(engine, own, "id", desa=facts.village, periode=QUARTER).tabel()
    with pytest.raises(ReportError) as refused:
        build(engine, own, "id", desa=facts.other_village, periode=QUARTER)
    assert facts.other_village in refused.value.message("id")
    for user in (
        User(2, "desa-tanpa", "desa", (), ()),
        User(3, "auditor", "auditor", (), ()),
        User(4, "kec", "dppkb", (facts.other_village[:8],), ()),
    ):
        if user.wilayah and facts.village.startswith(user.wilayah):
            continue
        with pytest.raises(ReportError):
            build(engine, user, "id", desa=facts.village, periode=QUARTER)
    # Aggregates: an analyst may read any village's scorecard.
    analyst = User(5, "analis", "analis", (), ())
    assert build(engine, analyst, "en", desa=facts.village, periode=QUARTER).tabel()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_empty_registry_says_what_is_missing(engine: Engine, tmp_path: Path, lang: str) -> None:
    village = "64.08.04.2001"
    laporan = build(engine, ADMIN, lang, desa=village, periode=QUARTER)
    assert laporan.kosong
    assert ("impor" if lang == "id" else "import") in laporan.kosong
    data = pd.concat([table.data for table in laporan.tabel()], ignore_index=True)
    assert (data["jumlah_sasaran"] == 0).all()
    # No target and nothing held: no indicator is a percentage, none reads as zero per cent.
    assert all(p is None for p in data["persen"])
    pdf = tmp_path / f"scorecard-{lang}.pdf"
    write_report(engine, ADMIN, "scorecard", laporan, pdf, {"desa": village})
    text = _text(pdf)
    assert laporan.kosong.split(":")[0] in " ".join(text.split())
    assert ("tidak ada data" if lang == "id" else "no data") in text


def test_pdftotext_is_there() -> None:
    # The PDF checks above need poppler-utils (installed by .ci/run); say so plainly if not.
    assert shutil.which("pdftotext") and shutil.which("pdftoppm")
