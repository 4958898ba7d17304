"""Reports from the web: ``/laporan/{kind}`` sends the same report as ``sinergi report`` as PDF or
XLSX, within the user's area (another village 403, a role without names 403 for a list of
persons), audited; the pages carry the report buttons only for kinds that exist and the user
may print; and any page prints cleanly (the print stylesheet: no menu, buttons or forms) —
checked with Chromium's own PDF of the dashboard and of a list page, whose first pages are saved
as PNG in test-artifacts/laporan/."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sinergi.reports.kinds import KINDS
from sinergi.store.tables import audit_log
from tests.web.conftest import PASSWORD, SECRET, Facts, login

pytest_plugins = ["tests.web.browser"]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "laporan"


def _musdes(village: str, fmt: str = "pdf", **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, "desa": village, **extra}.items())
    return f"/laporan/musdes?{query}"


def test_a_village_prints_its_own_musdes_sheet_only(
    client: TestClient, facts: Facts, app: Any
) -> None:
    login(client, "desa")
    res = client.get(_musdes(facts.village))
    assert res.status_code == 200, res.text[:300]
    assert res.headers["content-type"] == "application/pdf"
    assert res.content.startswith(b"%PDF")
    assert "laporan-musdes-" in res.headers["content-disposition"]
    assert client.get(_musdes(facts.other_village)).status_code == 403
    assert client.get("/laporan/tidak-ada?format=pdf").status_code == 404
    assert client.get(_musdes(facts.village, "docx")).status_code == 400
    assert client.get(_musdes("64.08.99.9999")).status_code == 404
    with app.state.engine.connect() as conn:
        logged = conn.execute(
            select(audit_log.c.username, audit_log.c.kunci, audit_log.c.rincian).where(
                audit_log.c.objek == "laporan:musdes"
            )
        ).all()
    assert [(r.username, r.kunci) for r in logged] == [("desa", facts.village)]
    assert logged[0].rincian["halaman"] >= 1


def test_roles_without_names_get_no_list_of_persons(client: TestClient, facts: Facts) -> None:
    login(client, "analis")
    assert client.get(_musdes(facts.village)).status_code == 403
    page = client.get(f"/desa/{facts.village}")
    assert "/laporan/musdes" not in page.text


def test_the_xlsx_of_the_same_report(client: TestClient, facts: Facts) -> None:
    login(client, "dppkb")
    res = client.get(_musdes(facts.village, "xlsx", daftar="semua"))
    assert res.status_code == 200, res.text[:300]
    book = openpyxl.load_workbook(io.BytesIO(res.content))
    assert len(book.sheetnames) >= 2


def test_pages_carry_the_buttons_of_existing_kinds(client: TestClient, facts: Facts) -> None:
    login(client, "dppkb")
    home = client.get(f"/desa/{facts.village}/verifikasi").text
    assert re.search(
        r'href="/laporan/musdes\?format=pdf&amp;desa=' + re.escape(facts.village), home
    )
    # Each download names what it holds: the list's own XLSX and the sheet's are told apart.
    assert "Lembar musdes (PDF)" in home and "Lembar musdes (XLSX)" in home
    labels = re.findall(r"<(?:a|button)[^>]*>((?:Unduh XLSX|[^<]*\((?:PDF|XLSX)\)))</", home)
    assert "Unduh XLSX" in labels and len(labels) == len(set(labels)) >= 3, labels
    sheet = client.get(f"/desa/{facts.village}/musdes").text
    assert 'data-report="musdes"' in sheet
    dashboard = client.get("/dasbor").text
    for kind in ("tpps", "rembuk"):
        assert (f'data-report="{kind}"' in dashboard) == (kind in KINDS)
    assert "Laporan TPPS (XLSX)" in dashboard and "Bahan rembuk stunting (XLSX)" in dashboard
    village = client.get(f"/desa/{facts.village}").text
    assert ('data-report="scorecard"' in village) == ("scorecard" in KINDS)


# --- printing any page (the print stylesheet), in Chromium ------------------------------------


@pytest.fixture
def base_url(seeded_sqlite_url: tuple[str, Facts], live_server: Any) -> str:
    from sinergi.web.app import create_app

    return live_server(create_app(seeded_sqlite_url[0], secret=SECRET))


def _printed(page: Page, name: str) -> str:
    """The page printed by Chromium (A4), its first page saved as PNG; the PDF's text."""
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path)]
        + [str(ARTIFACTS / f"{name}-p1")],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    path.unlink()
    return text


def test_any_page_prints_without_menu_or_buttons(
    page: Page, base_url: str, seeded_sqlite_url: tuple[str, Facts], page_errors: list[str]
) -> None:
    facts = seeded_sqlite_url[1]
    page.goto(f"{base_url}/masuk")
    page.fill("input[name=username]", "dppkb")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base_url}/dasbor")
    expect(page.locator("h1")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator(".report-buttons").first).to_be_hidden()
    text = _printed(page, "cetak-dasbor")
    assert "Dasbor" in text or "Kabupaten" in text
    for word in ("Keluar", "Laporan TPPS (PDF)", "Ganti bahasa", "English"):
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    page.emulate_media(media="screen")
    page.goto(f"{base_url}/desa/{facts.village}/verifikasi")
    page.emulate_media(media="print")
    expect(page.locator("form").first).to_be_hidden()
    text = _printed(page, "cetak-daftar-desa")
    assert "Verifikasi keluarga" in text
    for word in ("Keluar", "Terapkan", "Lembar musdes (PDF)", "Unduh XLSX"):
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    assert page_errors == []
