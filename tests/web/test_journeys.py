"""Officers' journeys in a real browser (Debian's Chromium via Playwright) against the app served
by uvicorn on loopback, on the seeded SQLite regency: log in, find a family and read its factors,
approve a beneficiary, upload a file with errors and download its report, colour the map and
click through to a village, switch language. Every page must run without a console error (a CSP
violation would be one) and without any request leaving the machine."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PASSWORD, SECRET, Facts, agency_list_with_errors

pytest_plugins = ["tests.web.browser"]


@pytest.fixture
def base_url(seeded_sqlite_url: tuple[str, Facts], live_server: Any) -> str:
    from sinergi.web.app import create_app

    return live_server(create_app(seeded_sqlite_url[0], secret=SECRET))


@pytest.fixture
def facts(seeded_sqlite_url: tuple[str, Facts]) -> Facts:
    return seeded_sqlite_url[1]


def _login(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Each role lands on its home (`deps.home_for`): the dashboard, its village, its programme.
    expect(page).to_have_url(
        re.compile(re.escape(base_url) + r"/(desa/[\d.]+/verifikasi|program/[\w-]+)?$")
    )


def test_dashboard_and_language_switch(
    page: Page, base_url: str, page_errors: list[str], shot: Any
) -> None:
    _login(page, base_url, "dppkb")
    expect(page.locator("h1")).to_contain_text("Dasbor kabupaten")
    expect(page.locator(".figure .value[data-key=krs]")).not_to_be_empty()
    expect(page.locator(".chart svg").first).to_be_visible()
    shot("dashboard")
    page.click("a.lang")
    expect(page.locator("h1")).to_contain_text("Regency dashboard")
    expect(page.locator("header.top nav")).to_contain_text("Programmes")
    page.click("a.lang")
    expect(page.locator("h1")).to_contain_text("Dasbor kabupaten")
    assert page_errors == []


def test_find_a_family_by_name_and_read_its_factors(
    page: Page, base_url: str, facts: Facts, page_errors: list[str], shot: Any
) -> None:
    _login(page, base_url, "dppkb")
    page.click("nav >> text=Keluarga")
    page.fill("#q", facts.search_name)
    page.click("form.toolbar button[type=submit]")
    result = page.locator("#results table a", has_text=facts.search_name).first
    expect(result).to_be_visible()
    assert facts.in_village not in page.url
    result.click()
    expect(page.locator("h1")).to_contain_text(facts.search_name)
    factors = page.locator("ul.factors li")
    assert factors.count() >= 1
    expect(factors.first).to_contain_text("—")  # label — explanation with the family's figures
    assert re.search(r"/keluarga/[A-Za-z0-9_-]+$", page.url) and facts.in_village not in page.url
    expect(page.locator("td.nik").first).to_contain_text("••••")
    shot("family")
    assert page_errors == []


def test_village_verifies_and_the_agency_approves(
    page: Page, base_url: str, facts: Facts, page_errors: list[str], shot: Any
) -> None:
    """The musdes verifies (the village operator), the agency approves its own programme."""
    _login(page, base_url, "desa")
    page.goto(f"{base_url}/program/pmt-baznas")
    row = page.locator("table.beneficiaries tbody tr", has_text=facts.search_name).first
    expect(row).to_have_attribute("data-status", "usulan")
    row.locator("button", has_text="Verifikasi").click()
    expect(page.locator("#beneficiaries .notice")).to_contain_text("1 penerima diubah")
    row = page.locator("table.beneficiaries tbody tr", has_text=facts.search_name).first
    expect(row).to_have_attribute("data-status", "terverifikasi")
    expect(row.locator("button", has_text="Setujui")).to_have_count(0)  # not the village's step
    page.context.clear_cookies()
    _login(page, base_url, "baznas")
    page.goto(f"{base_url}/program/pmt-baznas")
    row = page.locator("table.beneficiaries tbody tr", has_text=facts.search_name).first
    row.locator("button", has_text="Setujui").click()
    row = page.locator("table.beneficiaries tbody tr", has_text=facts.search_name).first
    expect(row).to_have_attribute("data-status", "disetujui")
    shot("programme")
    assert page_errors == []


def test_agency_officer_uploads_a_file_with_errors_and_downloads_the_report(
    page: Page, base_url: str, facts: Facts, page_errors: list[str], tmp_path: Path
) -> None:
    upload = agency_list_with_errors(
        tmp_path / "pmt_baznas_maret.csv", facts.in_village, facts.village
    )
    _login(page, base_url, "baznas")
    page.click("nav >> text=Impor")
    page.select_option("select[name=kind]", "intervensi")
    page.set_input_files("input[name=berkas]", str(upload))
    page.fill("input[name=as_of]", "2026-03-10")  # the list's data date (none assumed)
    page.click("form.stack button[type=submit]")
    expect(page.locator("table.issues")).to_contain_text("Tanggal tidak dikenali")
    with page.expect_download() as info:
        page.click("text=Unduh laporan validasi")
    content = Path(info.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [(r[2].value, r[3].value) for r in sheet.iter_rows(min_row=2)] == [(3, "Tanggal")]
    assert page_errors == []


def test_map_colours_villages_and_opens_a_village(
    page: Page, base_url: str, page_errors: list[str], shot: Any
) -> None:
    _login(page, base_url, "analis")
    page.click("nav >> text=Peta")
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    shapes = page.locator("path.leaflet-interactive")
    assert shapes.count() == 141
    classes = dict(
        shapes.evaluate_all(
            "els => els.map(e => [e.getAttribute('data-kode'), e.getAttribute('data-class')])"
        )
    )
    krs = {
        d["kode_desa"]: d["krs"]
        for d in page.evaluate("fetch('/peta/data.json').then(r => r.json())")["desa"]
    }
    # A real choropleth: more KRS families never means a lighter class.
    assert len(set(classes.values())) >= 2
    for a in krs:
        for b in krs:
            if krs[a] > krs[b]:
                assert int(classes[a]) >= int(classes[b]), (a, b)
    expect(page.locator("#legend")).to_contain_text("Jumlah KRS")
    page.select_option("#metric", "jaringan_air")
    expect(page.locator("#map")).to_have_attribute("data-metric", "jaringan_air")
    expect(page.locator("#legend")).to_contain_text("Jaringan air desa")
    water = shapes.evaluate_all("els => els.map(e => e.getAttribute('data-class'))")
    assert (
        set(water) <= {"belum_ada", "perencanaan", "konstruksi", "beroperasi", "tidak_diketahui"}
        and len(set(water)) >= 2
    )
    shot("map")
    shapes.nth(70).dispatch_event("click")
    expect(page).to_have_url(re.compile(r"/desa/64\.08\.\d\d\.\d{4}$"))
    expect(page.locator("h1")).to_contain_text("Desa")
    assert page_errors == []


def test_pages_fit_a_tablet(
    page: Page, base_url: str, facts: Facts, page_errors: list[str]
) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    _login(page, base_url, "admin")
    for path in [
        "/",
        "/peta",
        "/program/air-bersih",
        "/program/pmt-baznas",
        f"/desa/{facts.village}",
        "/impor",
        "/pengguna",
    ]:
        page.goto(f"{base_url}{path}")
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 768, (path, width)
    assert page_errors == []
