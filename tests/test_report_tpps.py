"""The TPPS semester report (``tpps``) and the dashboard's village table: built from the seeded
regency (synthetic at 1 %, imported and assessed, on SQLite and PostgreSQL) and from an empty
registry, in both languages; its totals equal the assessment export's rows summed and the
dashboard's figures (one definition); rendered to PDF (pdftotext finds the headline numbers
written the Indonesian way, a PNG of page 1 is kept) and XLSX; no name of a family reaches it."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from sinergi.assess.run import assess
from sinergi.assess.summary import assessment_table
from sinergi.core import display
from sinergi.messages import t
from sinergi.reports.document import Angka, Laporan, Tabel
from sinergi.reports.kinds import KINDS, build_report, write_report
from sinergi.reports.tables import heading
from sinergi.reports.tpps import TppsError, build
from sinergi.rules import load_ruleset
from sinergi.security.auth import User
from sinergi.store.db import ensure_schema
from sinergi.store.tables import assessment_runs, families
from sinergi.web.routes.dashboard import VILLAGE_TABLE_COLUMNS
from tests.pdf import first_page_png as _page_one
from tests.pdf import pdf_text as _text
from tests.web.conftest import (  # noqa: F401  (the seeded regency's fixtures)
    Facts,
    login,
    running_app,
    seeded,
    seeded_pg,
    seeded_pg_url,
    seeded_sqlite,
    seeded_sqlite_url,
)

ADMIN = User(0, "uji", "admin", (), ())
SEMESTER = "2026-S2"  # holds the synthetic reference date, 31 Aug 2026
NEXT_REF = date(2027, 2, 28)  # a second assessment, six months on (semester 2027-S1)


def _table(lap: Laporan, heading: str) -> Tabel:
    found = [tb for tb in lap.tabel() if tb.judul == heading]
    assert found, [tb.judul for tb in lap.tabel()]
    return found[0]


def _figures(lap: Laporan) -> dict[str, str]:
    first = next(b for b in lap.bagian[0].blok if isinstance(b, Angka))
    return dict(first.isi)


@pytest.fixture
def seeded_engine(seeded: tuple[str, Facts]):  # type: ignore[no-untyped-def]  # noqa: F811
    engine = ensure_schema(seeded[0])
    yield engine
    engine.dispose()


def _report_totals(lap: Laporan, lang: str = "id") -> dict[str, Any]:
    """The report's regency figures as the reader sees them and its table totals."""
    convergence = _table(lap, t("lap_tpps_konvergensi", lang))
    growth = _table(lap, t("lap_tpps_gizi", lang)).data.set_index("indikator")
    stunting = growth.loc[t("lap_tpps_stunting", lang)]
    return {
        "figures": _figures(lap),
        "krs": convergence.total["krs"] if convergence.total else None,
        "per_kecamatan_krs": int(convergence.data["krs"].sum()),
        "diukur": int(stunting["diukur"]),
        "stunting": int(stunting["kasus"]),
        "prevalensi": float(stunting["prevalensi"]),
    }


def test_tpps_totals_are_the_export_and_the_dashboard(
    seeded_engine: Engine,
    seeded: tuple[str, Facts],  # noqa: F811
    tmp_path: Path,
) -> None:
    """One definition: the report's families, target families, KRS, extreme poor and stunted
    children are the assessment export's rows summed, and the dashboard shows the same."""
    lap = build_report("tpps", seeded_engine, ADMIN, "id", periode=SEMESTER)
    assert not lap.kosong and lap.orientasi == "lanskap"
    got = _report_totals(lap)
    figures = got["figures"]
    with seeded_engine.connect() as conn:
        run_id = conn.execute(select(assessment_runs.c.id)).scalar_one()
    export = assessment_table(seeded_engine, run_id)  # `sinergi export assessment`
    assert figures[t("keluarga")] == display.num(len(export))
    assert figures[t("lap_tpps_kol_keluarga_sasaran")] == display.num(
        int((export["sasaran"] != "").sum())
    )
    assert got["krs"] == int(export["krs"].sum()) == got["per_kecamatan_krs"]
    assert figures[t("krs_panjang")] == display.num(int(export["krs"].sum()))
    assert figures[t("miskin_ekstrem")] == display.num(int(export["miskin_ekstrem"].sum()))
    # Children counted per family are the stunted children with a family in the registry.
    assert got["stunting"] >= int(export["jumlah_balita_stunting"].sum()) > 0

    # The dashboard, rendered for the administrator, shows the same figures.
    app = next(running_app(seeded[0]))
    try:
        with TestClient(app) as client:
            login(client, "admin")
            page = client.get("/dasbor").text
    finally:
        app.state.engine.dispose()

    def shown(key: str) -> str:
        found = re.search(rf'data-key="{key}">([^<]+)<', page)
        assert found, key
        return found.group(1).strip()

    assert shown("keluarga") == figures[t("keluarga")]
    assert shown("krs") == figures[t("krs_panjang")]
    assert shown("miskin_ekstrem") == figures[t("miskin_ekstrem")]
    assert shown("stunting") == display.pct(got["prevalensi"])
    assert figures[t("prevalensi_stunting")].startswith(shown("stunting"))
    assert shown("konvergensi") == figures[t("konvergensi")]

    # The same report through the one door, as PDF: the headline numbers the Indonesian way.
    pdf = tmp_path / "tpps.pdf"
    done = write_report(seeded_engine, ADMIN, "tpps", lap, pdf, {"periode": SEMESTER})
    assert done.pages > 2
    text = _text(pdf)
    for value in (
        figures[t("keluarga")],
        figures[t("krs_panjang")],
        display.pct(got["prevalensi"]),
    ):
        assert value in text, value


def test_tpps_with_the_previous_semester_in_both_languages(
    seeded_sqlite_url: tuple[str, Facts],  # noqa: F811
    tmp_path: Path,
) -> None:
    """A second assessment six months on: the report of its semester says the change since the
    semester before, a page per kecamatan; PDF and XLSX in both languages; no family's name."""
    engine = ensure_schema(seeded_sqlite_url[0])
    assess(engine, load_ruleset("krs-2024"), NEXT_REF)
    with engine.connect() as conn:
        heads = [
            r[0]
            for r in conn.execute(
                select(families.c.nama_kepala)
                .where(families.c.nama_kepala.is_not(None))
                .order_by(families.c.no_kk)
                .limit(200)
            )
        ]
    for lang in ("id", "en"):
        lap = build(engine, ADMIN, lang)  # the semester of the latest run: 2027-S1
        assert lap.subjudul.endswith("Semester I 2027" if lang == "id" else "Semester 1, 2027")
        before = "Semester II 2026" if lang == "id" else "Semester 2, 2026"
        change = _table(lap, t("lap_tpps_perubahan", lang, periode=before))
        assert change.total is not None
        assert change.total["perubahan_krs"] == change.total["krs"] - change.total["krs_sebelumnya"]
        pages = [s for s in lap.bagian if s.halaman_baru]
        assert len(pages) == len(_table(lap, t("lap_tpps_konvergensi", lang)).data) > 1
        # every heading comes from the catalogue, in the report's language
        for tabel in lap.tabel():
            assert all(not k.judul.startswith("lap_tpps_") for k in tabel.kolom), tabel.judul
        pdf = tmp_path / f"tpps-{lang}.pdf"
        write_report(engine, ADMIN, "tpps", lap, pdf)
        text = _text(pdf)
        assert t("lap_tpps_judul", lang) in text
        krs = _figures(lap)[t("krs_panjang", lang)]
        assert krs in text
        if lang == "id":
            assert re.search(r"\d+,\d % – \d+,\d %", text), "the interval the Indonesian way"
        flat = " ".join(text.split())
        assert not [name for name in heads if " " in name and name in flat]
        png = _page_one(pdf, f"tpps-{lang}-p1")
        assert png.stat().st_size > 10_000
        xlsx = tmp_path / f"tpps-{lang}.xlsx"
        write_report(engine, ADMIN, "tpps", lap, xlsx)
        book = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True)
        assert len(book.sheetnames) >= len(lap.tabel())
    engine.dispose()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tpps_of_an_empty_registry_says_what_is_missing(
    sqlite_url: str, tmp_path: Path, lang: str
) -> None:
    engine = ensure_schema(sqlite_url)
    lap = build(engine, ADMIN, lang)  # type: ignore[arg-type]
    assert lap.kosong == t("lap_tpps_tanpa_penilaian", lang)  # type: ignore[arg-type]
    assert lap.tabel() == []
    pdf = tmp_path / "kosong.pdf"
    write_report(engine, ADMIN, "tpps", lap, pdf)
    assert "sinergi assess" in _text(pdf)
    # a semester without an assessment is named as such
    lap = build(engine, ADMIN, lang, periode="2026-S1")  # type: ignore[arg-type]
    assert ("Semester I 2026" if lang == "id" else "Semester 1, 2026") in lap.kosong
    engine.dispose()


def test_tpps_is_scoped_like_the_dashboard(seeded_sqlite_url: tuple[str, Facts]) -> None:  # noqa: F811
    """An account limited to a kecamatan reports that kecamatan only; another kecamatan is
    refused; a quarter is not a semester."""
    engine = ensure_schema(seeded_sqlite_url[0])
    village = seeded_sqlite_url[1].village
    kec = village[:8]
    officer = User(0, "camat", "analis", (kec,), ())
    lap = build(engine, officer, "id", periode=SEMESTER)
    rows = _table(lap, t("lap_tpps_konvergensi")).data
    assert len(rows) == 1 and rows.iloc[0]["nama_wilayah"] in lap.subjudul
    other = "64.08.99" if kec != "64.08.99" else "64.08.01"
    with pytest.raises(TppsError):
        build(engine, officer, "id", kecamatan=other, periode=SEMESTER)
    with pytest.raises(TppsError):
        build(engine, ADMIN, "id", periode="2026-T3")
    assert "tpps" in KINDS
    engine.dispose()


def test_dashboard_village_table(
    seeded: tuple[str, Facts],  # noqa: F811
) -> None:
    """Sortable and paged, filtered by kecamatan, exported as XLSX; a village account sees its
    own village only."""
    app = next(running_app(seeded[0]))
    try:
        with TestClient(app) as client:
            csrf = login(client, "admin")
            page = client.get("/dasbor", params={"urut": "-krs", "per": "5"}).text
            assert 'data-key="tabel_desa"' in page
            codes = re.findall(r'<tr data-desa="([\d.]+)">', page)
            assert len(codes) == 5
            krs = [
                int(v.replace(".", ""))
                for v in re.findall(
                    r'<tr data-desa="[\d.]+"><td><a [^>]+>[^<]+</a></td><td>[^<]*</td>'
                    r'<td class="num">([\d.]+)</td>',
                    page,
                )
            ]
            assert krs == sorted(krs, reverse=True) and len(krs) == 5
            kec = codes[0][:8]
            page = client.get("/dasbor", params={"kecamatan": kec, "per": "200"}).text
            inside = re.findall(r'<tr data-desa="([\d.]+)">', page)
            assert inside and all(c.startswith(kec + ".") for c in inside)
            res = client.post(
                "/dasbor/desa/ekspor", data={"csrf": csrf, "kecamatan": kec, "urut": "-krs"}
            )
            assert res.status_code == 200
            book = openpyxl.load_workbook(io.BytesIO(res.content), read_only=True)
            rows = list(book.worksheets[0].iter_rows(values_only=True))
            assert len(rows) - 1 == len(inside)
            assert rows[0] == tuple(heading(c) for c in VILLAGE_TABLE_COLUMNS)
            assert "perubahan_stunting_pp" not in rows[0]
        with TestClient(app) as client:
            login(client, "desa")
            page = client.get("/dasbor").text
            assert re.findall(r'<tr data-desa="([\d.]+)">', page) == [seeded[1].village]
    finally:
        app.state.engine.dispose()
