"""The village operator's verification in a real browser (Debian's Chromium via Playwright) on the
seeded SQLite regency: signs in and lands on its village, opens the verification list, filters by
RT, opens a family and records a correction, moves another family to a village chosen by name,
sees the last-verification column change, and prints the musdes sheet (print media, PDF).
Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser import SCREENSHOT_DIR
from tests.web.conftest import PASSWORD, SECRET, Facts

pytest_plugins = ["tests.web.browser"]


@pytest.fixture
def base_url(seeded_sqlite_url: tuple[str, Facts], live_server: Any) -> str:
    from sinergi.web.app import create_app

    return live_server(create_app(seeded_sqlite_url[0], secret=SECRET))


@pytest.fixture
def facts(seeded_sqlite_url: tuple[str, Facts]) -> Facts:
    return seeded_sqlite_url[1]


def _record(page: Page, hasil: str, **fields: str) -> None:
    """Fill and send the family page's verification form."""
    form = page.locator("#form-verifikasi")
    form.locator("select[name=hasil]").select_option(hasil)
    for name, value in fields.items():
        target = form.locator(f"[name={name}]")
        if name == "desa_baru":  # a village is chosen by its name
            target.select_option(label=value)
        elif target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    form.locator("button[type=submit]").click()


def test_village_operator_verifies_its_families_and_prints_the_musdes_sheet(
    page: Page, base_url: str, facts: Facts, page_errors: list[str], shot: Any
) -> None:
    page.goto(f"{base_url}/masuk")
    page.fill("input[name=username]", "desa")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(f"/desa/{facts.village}")))
    if "/verifikasi" not in page.url:  # the village page: its verification list is one click on
        page.click("#buka-verifikasi")
    expect(page.locator("h1")).to_contain_text("Verifikasi keluarga")
    expect(page.locator("header.top nav")).to_contain_text("Desa saya")
    shot("desa-home")

    # All families of one RT.
    page.select_option("#saring select[name=daftar]", "semua")
    rt = page.locator("#saring select[name=rt] option").nth(1).get_attribute("value")
    assert rt
    page.select_option("#saring select[name=rt]", rt)
    page.click("#saring button[type=submit]")
    rows = page.locator("#keluarga-verifikasi tbody tr")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        expect(rows.nth(i).locator("td").nth(2)).to_contain_text(f"RT {rt}")
    list_url = page.url
    first_name = rows.first.locator("td a").first.inner_text()
    shot("desa-rt")

    # A correction of the first family's RW.
    rows.first.locator("td a").first.click()
    expect(page.locator("h1")).to_contain_text(first_name)
    _record(page, "koreksi", kolom="RW", nilai_baru="9", petugas="Kader Melati")
    expect(page.locator("[data-key=verif-pesan]")).to_contain_text("tercatat: Koreksi")
    expect(page.locator("#riwayat-verifikasi")).to_contain_text("→ 9")
    page.locator("#verifikasi").scroll_into_view_if_needed()
    shot("desa-koreksi")

    # Back on the list: the last verification is there.
    page.goto(list_url)
    row = page.locator("#keluarga-verifikasi tbody tr", has_text=first_name).first
    expect(row.locator("[data-key=verifikasi]")).to_contain_text("Koreksi")
    expect(row.locator("[data-key=verifikasi]")).to_contain_text("Kader Melati")

    # A move of another family (of the whole village) to a village chosen by name: the family
    # leaves the operator's area, so the answer is the village's list, which no longer has it.
    page.goto(f"{base_url}/desa/{facts.village}/verifikasi?daftar=semua&urut=-nama_kepala")
    other = page.locator("#keluarga-verifikasi tbody tr").first
    second_fid = other.get_attribute("data-kk")
    other.locator("td a").first.click()
    target = page.locator("select[name=desa_baru] option").nth(1).inner_text()
    _record(page, "pindah", desa_baru=target, petugas="Kader Melati")
    expect(page).to_have_url(re.compile(re.escape(f"/desa/{facts.village}/verifikasi")))
    expect(page.locator("[data-key=verif-pesan]")).to_contain_text("tercatat: Pindah")
    expect(page.locator("[data-key=verif-pesan]")).to_contain_text("di luar wilayah Anda")
    shot("desa-pindah")
    page.goto(list_url)
    expect(page.locator(f'#keluarga-verifikasi tr[data-kk="{second_fid}"]')).to_have_count(0)
    page.select_option("#saring select[name=hasil]", "koreksi")
    page.click("#saring button[type=submit]")
    expect(page.locator("#keluarga-verifikasi tbody tr")).to_have_count(1)
    shot("desa-setelah")

    # The musdes sheet, as printed.
    page.select_option("#saring select[name=hasil]", "")
    page.click("#saring button[type=submit]")
    page.click("#musdes")
    expect(page.locator("h1")).to_contain_text("musdes")
    expect(page.locator("#musdes-ttd")).to_contain_text("Kepala Desa")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    shot("musdes-print")
    pdf = page.pdf(landscape=True, format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    (SCREENSHOT_DIR / "musdes-print.pdf").write_bytes(pdf)
    assert page_errors == []
