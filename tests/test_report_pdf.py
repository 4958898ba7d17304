"""The PDF renderer and the musdes report: a village's sheet rendered to PDF lists its families
(head's name, No KK masked as the role requires), the check columns and the signature roles, in
both languages; an empty village says so; the web's musdes page and the report list the same
families; every render is audited; `sinergi report` writes the file — on SQLite and PostgreSQL
(the seeded regency of the web tests). A PNG of each first page goes to test-artifacts/laporan/.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sinergi.cli import app as cli_app
from sinergi.core.masking import mask_nik
from sinergi.reports.document import (
    Angka,
    Bagian,
    Kolom,
    Laporan,
    Paragraf,
    Tabel,
    TandaTangan,
)
from sinergi.reports.kinds import KINDS, ReportError, build_report, write_report
from sinergi.reports.musdes import asked_filters, sheet
from sinergi.reports.render_pdf import to_pdf, wrap
from sinergi.security.auth import User
from sinergi.store.db import ensure_schema
from sinergi.store.tables import audit_log, families
from sinergi.web.queries import latest_run
from tests import pdf as tests_pdf
from tests.pdf import pdf_text
from tests.web.conftest import (  # noqa: F401 (fixtures)
    Facts,
    seeded_pg,
    seeded_pg_url,
    seeded_sqlite,
    seeded_sqlite_url,
)

ADMIN = User(0, "admin-uji", "admin", (), ())
runner = CliRunner()


def first_page_png(path: Path, name: str) -> Path:
    """The first page as test-artifacts/laporan/<name>.png (a page worth looking at)."""
    png = tests_pdf.first_page_png(path, name, dpi=70)
    assert png.stat().st_size > 5_000
    return png


@pytest.fixture(params=["sqlite", "postgresql"])
def regency(request: pytest.FixtureRequest) -> tuple[str, Facts]:
    """A copy of the web tests' seeded regency, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"seeded_{'sqlite' if request.param == 'sqlite' else 'pg'}_url")


def _engine(regency: tuple[str, Facts]):  # type: ignore[no-untyped-def]
    return ensure_schema(regency[0])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_musdes_sheet_as_pdf(regency: tuple[str, Facts], tmp_path: Path, lang: str) -> None:
    engine = _engine(regency)
    facts = regency[1]
    # Printed by an agency's officer: names yes, No KK masked (its role may not see NIKs).
    officer = User(0, "petugas-uji", "instansi", (), ("pmt-baznas",))
    laporan = build_report("musdes", engine, ADMIN, lang, desa=facts.village, daftar="semua")  # type: ignore[arg-type]
    part_a = laporan.tabel()[0].data
    assert len(part_a) > 0 and not laporan.kosong
    out = tmp_path / f"musdes-{lang}.pdf"
    done = write_report(engine, ADMIN, "musdes", laporan, out, {"desa": facts.village})
    assert done.pages >= 1 and out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    heads = [n for n in part_a["nama_kepala"].dropna() if n][:5]
    assert heads and all(h in text for h in heads)
    # The administrator prints whole No KKs.
    assert part_a["no_kk"].iloc[0] in text
    words = (
        ("Ada", "Pindah", "Meninggal", "Koreksi", "Catatan", "Kepala Desa", "Kader / TPK")
        if lang == "id"
        else ("Confirmed", "Moved", "Deceased", "Correction", "Note", "Village head", "Cadre")
    )
    for word in words:
        assert word in text, word
    assert ("Halaman 1 dari" if lang == "id" else "Page 1 of") in text
    first_page_png(out, f"musdes-{lang}-p1")

    masked = build_report("musdes", engine, officer, lang, desa=facts.village, daftar="semua")  # type: ignore[arg-type]
    out_masked = tmp_path / f"musdes-{lang}-masked.pdf"
    write_report(engine, officer, "musdes", masked, out_masked, {"desa": facts.village})
    text = pdf_text(out_masked)
    shown = masked.tabel()[0].data["no_kk"].tolist()
    with engine.connect() as conn:
        whole = {
            r[0]
            for r in conn.execute(
                select(families.c.no_kk).where(families.c.kode_desa == facts.village)
            )
        }
    assert mask_nik(facts.in_village) in shown and all(k not in whole for k in shown)
    assert shown[0] in text and not any(k in text for k in whole)
    # Every render is in the audit log, by whom, of which village, how many pages.
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.username, audit_log.c.kunci, audit_log.c.rincian).where(
                audit_log.c.objek == "laporan:musdes"
            )
        ).all()
    assert {(r.username, r.kunci) for r in rows} == {
        ("admin-uji", facts.village),
        ("petugas-uji", facts.village),
    }
    assert all(r.rincian["halaman"] >= 1 and r.rincian["format"] == "pdf" for r in rows)
    engine.dispose()


def test_the_web_sheet_and_the_report_list_the_same_families(
    regency: tuple[str, Facts],
) -> None:
    """One definition: the page's families (`reports.musdes.sheet`, which the web route calls)
    are the report's part A, in the same order."""
    from fastapi.testclient import TestClient

    from tests.web.conftest import login, running_app

    facts = regency[1]
    gen = running_app(regency[0])
    application = next(gen)
    with TestClient(application) as client:
        login(client, "dppkb")
        html = client.get(f"/desa/{facts.village}/musdes", params={"daftar": "semua"}).text
    dppkb = User(0, "dppkb", "dppkb", (), ())
    engine = application.state.engine
    laporan = build_report("musdes", engine, dppkb, "id", desa=facts.village, daftar="semua")
    part_a = laporan.tabel()[0].data
    run = latest_run(engine)
    assert run is not None
    data = sheet(engine, dppkb, run["id"], facts.village, "id", asked_filters({"daftar": "semua"}))
    assert list(data.keluarga["nama_kepala"]) == list(part_a["nama_kepala"])
    # The page shows the same No KKs (dppkb sees them whole), in the same order.
    positions = [html.index(f">{kk}<") for kk in data.keluarga["no_kk"]]
    assert positions == sorted(positions) and len(positions) == len(part_a) > 0
    count = f"{len(part_a):,}".replace(",", ".")
    assert f"A. Keluarga yang diverifikasi ({count})" in html
    with pytest.raises(StopIteration):
        next(gen)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_empty_dusun_says_so(regency: tuple[str, Facts], tmp_path: Path, lang: str) -> None:
    engine = _engine(regency)
    village = regency[1].village
    laporan = build_report("musdes", engine, ADMIN, lang, desa=village, dusun="Tiada")  # type: ignore[arg-type]
    assert laporan.kosong and all(t.data.empty for t in laporan.tabel())
    out = tmp_path / "kosong.pdf"
    write_report(engine, ADMIN, "musdes", laporan, out, {"desa": village, "dusun": "Tiada"})
    text = " ".join(pdf_text(out).split())
    assert ("tidak ada yang perlu diverifikasi" if lang == "id" else "nothing to verify") in text
    assert "Tiada" in text
    first_page_png(out, f"musdes-kosong-{lang}-p1")
    engine.dispose()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_empty_registry_says_what_is_missing(db_url: str, tmp_path: Path, lang: str) -> None:
    engine = ensure_schema(db_url)
    laporan = build_report("musdes", engine, ADMIN, lang, desa="64.08.01.2001")  # type: ignore[arg-type]
    assert laporan.kosong and laporan.tabel() == []
    out = tmp_path / "baru.pdf"
    write_report(engine, ADMIN, "musdes", laporan, out, {"desa": "64.08.01.2001"})
    text = " ".join(pdf_text(out).split())
    assert "sinergi assess" in text
    engine.dispose()


def test_sinergi_report_on_the_command_line(regency: tuple[str, Facts], tmp_path: Path) -> None:
    url, facts = regency
    out = tmp_path / "musdes.pdf"
    res = runner.invoke(
        cli_app,
        ["report", "musdes", "--desa", facts.village, "--out", str(out), "--db", url],
    )
    assert res.exit_code == 0, res.output
    assert "Laporan ditulis" in res.output and "halaman" in res.output
    assert out.read_bytes().startswith(b"%PDF")
    for args, words in (
        (["report", "nope", "--out", str(out)], "tidak dikenal"),
        (["report", "musdes", "--out", str(out)], "--desa"),
        (["report", "musdes", "--desa", facts.village, "--out", str(tmp_path / "x.doc")], ".pdf"),
        (["report", "tpps", "--periode", "2026-S3", "--out", str(out)], "2026-S1"),
    ):
        res = runner.invoke(cli_app, [*args, "--db", url])
        assert res.exit_code != 0
        message = str(res.exception) if res.exception else res.output
        assert words in message, (args, message)


def test_unknown_kind_names_the_kinds() -> None:
    with pytest.raises(ReportError) as caught:
        build_report("nope", None, ADMIN, "en")  # type: ignore[arg-type]
    assert all(kind in caught.value.message("en") for kind in KINDS)


# --- the renderer alone: every block, escaping, page footers ---------------------------------


def _everything(lang: str, rows: int) -> Laporan:
    frame = pd.DataFrame(
        {
            "nama": [f"Keluarga <b>&{i}</b> " + "panjang " * (i % 7) for i in range(rows)],
            "jumlah": list(range(rows)),
            "persen": [i / 3 for i in range(rows)],
            "rp": [1_500_000 * i for i in range(rows)],
            "tanggal": [date(2026, 8, 31)] * rows,
            "kosong": [None] * rows,
        }
    )
    kolom = [
        Kolom("nama", "Nama", "teks", 2.5),
        Kolom("jumlah", "Jumlah", "angka"),
        Kolom("persen", "Persen", "persen"),
        Kolom("rp", "Rupiah", "rupiah", 1.5),
        Kolom("tanggal", "Tanggal", "tanggal"),
        Kolom("kosong", "Kosong"),
        Kolom("cek", "Cek", "centang", 0.5),
    ]
    return Laporan(
        jenis="uji",
        judul="Laporan uji <script> & co",
        subjudul="Sub",
        lang=lang,  # type: ignore[arg-type]
        tentang={"about_tanggal_acuan": date(2026, 8, 31), "about_krs": 1234},
        bagian=[
            Bagian(
                "Satu",
                [
                    Paragraf("Teks <i>bukan markup</i> & tanda"),
                    Angka([("KRS", "20.815"), ("Stunting", "21,8 %")]),
                    Tabel("Tabel A", kolom, frame, catatan="catatan", total={"jumlah": 12345}),
                ],
            ),
            Bagian("Dua", [TandaTangan(["Kepala Desa", "Kader / TPK"], "Desa, tanggal")], True),
        ],
    )


def test_every_block_renders_escaped_with_page_numbers(tmp_path: Path) -> None:
    out = tmp_path / "semua.pdf"
    pages = to_pdf(_everything("id", 120), out)
    text = pdf_text(out)
    assert pages >= 3
    assert "Laporan uji <script> & co" in text and "Teks <i>bukan markup</i> & tanda" in text
    assert f"Halaman {pages} dari {pages}" in text
    assert "Rp 1.500.000" in text and "12.345" in text and "31/08/2026" in text
    # The header row repeats on every page of the table.
    assert text.count("Rupiah") >= 2
    en = tmp_path / "en.pdf"
    to_pdf(_everything("en", 3), en)
    text = pdf_text(en)
    assert "Page 1 of" in text and "Rp 3,000,000" in text and "2026-08-31" in text


def test_long_text_wraps_within_its_column() -> None:
    assert wrap("pendek", 100) == "pendek"
    lines = wrap("kata " * 40, 80).split("\n")
    assert len(lines) > 3
    assert "\n" in wrap("x" * 200, 50)  # a word wider than the column is cut


def test_a_large_sheet_renders_quickly(tmp_path: Path) -> None:
    """1,700 families as a musdes part A: loose bound (the measured figure is in
    benchmarks/report_bench.py)."""
    frame = pd.DataFrame(
        {
            "no": range(1, 1701),
            "nama": ["Nama Kepala Keluarga Panjang"] * 1700,
            "kk": ["6408••••••••0012"] * 1700,
            "faktor": ["Istri terlalu muda; Jamban tidak layak · Anak stunting"] * 1700,
        }
    )
    kolom = [Kolom("no", "No", "angka", 0.4), Kolom("nama", "Nama", "teks", 1.6)]
    kolom += [Kolom("kk", "No KK", "teks", 1.4), Kolom("faktor", "Faktor", "teks", 2.4)]
    kolom += [Kolom(c, c, "centang", 0.7) for c in ("a", "b", "c", "d")]
    laporan = Laporan("musdes", "Besar", "", "id", [Bagian("A", [Tabel("", kolom, frame)])])
    started = time.perf_counter()
    pages = to_pdf(laporan, tmp_path / "besar.pdf")
    assert pages > 20 and time.perf_counter() - started < 30
