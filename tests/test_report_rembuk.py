"""The Rembuk Stunting pack (``rembuk``) and its map: built from the seeded regency (synthetic
at 1 %, imported and assessed, on SQLite and PostgreSQL) and from an empty registry, in both
languages; its ranking, scenarios and optimiser-vs-greedy figures are the targeting functions'
own; rendered to PDF (pdftotext, a PNG of page 1) and XLSX; no person's name in it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from sinergi.reports.document import Gambar
from sinergi.reports.kinds import build_report, write_report
from sinergi.reports.maps import village_map_png
from sinergi.reports.periode import parse_periode, run_in
from sinergi.reports.rembuk import build
from sinergi.security.auth import User
from sinergi.store.db import ensure_schema
from sinergi.store.tables import families, persons
from sinergi.targeting.plan import village_plan
from sinergi.targeting.programmes import load_programme
from sinergi.wilayah import get_wilayah
from tests.pdf import ARTIFACTS
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
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def seeded_engine(seeded: tuple[str, Facts]):  # type: ignore[no-untyped-def]  # noqa: F811
    engine = ensure_schema(seeded[0])
    yield engine, seeded[1]
    engine.dispose()


def test_pack_is_the_targeting_functions_own(
    seeded_engine: tuple[Engine, Facts], tmp_path: Path
) -> None:
    engine, _facts = seeded_engine
    laporan = build_report("rembuk", engine, ADMIN, "id", periode="2026")
    assert not laporan.kosong and laporan.subjudul == "Tahun 2026"
    tables = {table.lembar: table for table in laporan.tabel()}
    ranking = tables["Peringkat air-bersih"].data
    run_id = run_in(engine, parse_periode("2026"))
    assert run_id is not None
    plan = village_plan(engine, run_id, load_programme("air-bersih"), lang="id")
    # The ranking is `sinergi prioritize`'s: the same villages in the same order and scores.
    assert ranking["kode_desa"].tolist() == plan.table["kode_desa"].tolist()
    assert len(ranking) == len(get_wilayah().villages("64.08"))
    pd.testing.assert_series_equal(ranking["skor"], plan.table["skor"], check_names=False)
    versus = tables["Optimal vs greedy"].data.set_index("kode_program")
    assert versus.loc["air-bersih", "terjangkau_optimal"] == plan.reached
    assert versus.loc["air-bersih", "terjangkau_greedy"] == plan.reached_greedy
    assert versus.loc["air-bersih", "anggaran"] == plan.budget
    assert (versus["terjangkau_optimal"] >= versus["terjangkau_greedy"]).all()
    sweep = tables["Skenario"].data
    assert (sweep.groupby("kode_program").size() == 5).all()
    # More money never reaches fewer families (the optimiser).
    for _code, group in sweep.groupby("kode_program"):
        assert group["terjangkau_optimal"].is_monotonic_increasing

    (picture,) = [b for s in laporan.bagian for b in s.blok if isinstance(b, Gambar)]
    assert picture.png.startswith(PNG)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "peta-prioritas.png").write_bytes(picture.png)

    # Aggregates only: no person's name anywhere in the pack's tables.
    with engine.connect() as conn:
        names = set(conn.execute(select(persons.c.nama)).scalars())
        names |= set(conn.execute(select(families.c.nama_kepala)).scalars())
    cells = {str(c) for table in laporan.tabel() for c in table.data.to_numpy().ravel()}
    assert not (cells & (names - {None}))
    # Every word comes from the catalogue (an unknown code would come back as itself).
    assert not [c for c in cells if c.startswith("lap_")]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pack_renders(seeded_engine: tuple[Engine, Facts], tmp_path: Path, lang: str) -> None:
    engine, _facts = seeded_engine
    laporan = build(engine, ADMIN, lang, periode="2026", top=5)
    pdf = tmp_path / f"rembuk-{lang}.pdf"
    written = write_report(engine, ADMIN, "rembuk", laporan, pdf, {"periode": "2026"})
    assert written.pages >= 3
    text = " ".join(_text(pdf).split())
    assert ("Bahan Rembuk Stunting" if lang == "id" else "Rembuk Stunting pack") in text
    first = next(t for t in laporan.tabel() if t.lembar == "Peringkat air-bersih").data.iloc[0]
    assert first["nama_desa"] in text
    if engine.dialect.name == "sqlite":
        assert _page_one(pdf, f"rembuk-{lang}-p1").stat().st_size > 10_000
    xlsx = tmp_path / f"rembuk-{lang}.xlsx"
    write_report(engine, ADMIN, "rembuk", laporan, xlsx, {"periode": "2026"})
    book = openpyxl.load_workbook(xlsx)
    assert {"Skenario", "Optimal vs greedy", "Peringkat air-bersih"} <= set(book.sheetnames)


def test_kecamatan_and_area_limit_the_villages(seeded_engine: tuple[Engine, Facts]) -> None:
    engine, facts = seeded_engine
    kecamatan = facts.village[:8]
    laporan = build(engine, ADMIN, "en", periode="2026", kecamatan=kecamatan)
    ranking = next(t for t in laporan.tabel() if t.lembar == "Peringkat air-bersih").data
    assert len(ranking) and ranking["kode_desa"].str.startswith(kecamatan + ".").all()
    # An account limited to another kecamatan never sees this one's rows.
    other = User(1, "kec", "dppkb", ("64.08.10",), ())
    limited = build(engine, other, "en", periode="2026", kecamatan=kecamatan)
    rows = next(t for t in limited.tabel() if t.lembar == "Peringkat air-bersih").data
    assert rows.empty


@pytest.mark.parametrize("lang", ["id", "en"])
def test_empty_registry_says_what_is_missing(engine: Engine, tmp_path: Path, lang: str) -> None:
    laporan = build(engine, ADMIN, lang)
    assert laporan.kosong and "sinergi assess" in laporan.kosong
    assert not laporan.tabel()
    pdf = tmp_path / f"rembuk-{lang}.pdf"
    write_report(engine, ADMIN, "rembuk", laporan, pdf, {})
    assert "sinergi assess" in " ".join(_text(pdf).split())


def test_map_without_values_or_known_villages() -> None:
    png = village_map_png({}, ["99.99.99.9999"], "Peta", "en")
    assert png.startswith(PNG)
