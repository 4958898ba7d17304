"""Baznas in the browser: the budget written the Indonesian way, an allocation, one family taken
to delivery with an evidence file, and the evidence opened again from the family's history.
The evidence opens only for whoever may see that beneficiary on that programme's list (scoped,
audited, never run as a page): TestClient on SQLite and PostgreSQL, then the officer's journey in
Debian's Chromium with screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from sinergi.core.rupiah import parse_rupiah
from sinergi.security.access import FamilyIds
from sinergi.store.tables import audit_log, proposal_events
from tests.web.browser import save_shot
from tests.web.conftest import PASSWORD, SECRET, Facts, login

pytest_plugins = ["tests.web.browser"]

IDS = FamilyIds(SECRET)
# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
HTML = b"<html><script>alert('x')</script></html>"


def _add_users(engine: Any, facts: Facts) -> None:
    from sinergi.security.users import create_user

    create_user(engine, "pu", "instansi", [], ["air-bersih"], PASSWORD)
    create_user(engine, "desa.lain", "desa", [facts.other_village], [], PASSWORD)


def _step(
    client: TestClient, csrf: str, no_kk: str, ke: str, file: tuple[str, bytes] | None = None
) -> Any:
    files = {"bukti": (file[0], file[1], "application/octet-stream")} if file else None
    return client.post(
        "/program/pmt-baznas/status",
        data={"csrf": csrf, "ke": ke, "pilih": f"{IDS.encode(no_kk)}:"},
        files=files,
    )


def _evidence_ids(app: Any) -> list[int]:
    with app.state.engine.connect() as conn:
        return [
            int(r[0])
            for r in conn.execute(
                select(proposal_events.c.evidence_id)
                .where(proposal_events.c.evidence_id.is_not(None))
                .order_by(proposal_events.c.id)
            )
        ]


def test_the_budget_field_reads_indonesian_amounts() -> None:
    for text in ("1.200.000.000", "Rp 1,2 M", "1.2e9"):
        assert parse_rupiah(text) == 1_200_000_000, text


def test_evidence_opens_for_those_who_may_see_the_beneficiary(
    client: TestClient, app: Any, facts: Facts
) -> None:
    _add_users(app.state.engine, facts)
    csrf = login(client, "baznas")
    assert _step(client, csrf, facts.in_village, "terverifikasi", ("serah.png", PNG)).is_success
    assert _step(client, csrf, facts.in_village, "disetujui", ("surat.html", HTML)).is_success
    png_id, html_id = _evidence_ids(app)

    shown = client.get(f"/bukti/{png_id}")
    assert shown.status_code == 200 and shown.content == PNG
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith('inline; filename="serah.png"')
    assert "sandbox" in shown.headers["content-security-policy"]
    assert shown.headers["x-content-type-options"] == "nosniff"
    # A page uploaded as evidence is only ever a download.
    page = client.get(f"/bukti/{html_id}")
    assert page.status_code == 200
    assert page.headers["content-type"] == "application/octet-stream"
    assert page.headers["content-disposition"].startswith("attachment;")
    # The family's history links it.
    history = client.get(f"/keluarga/{IDS.encode(facts.in_village)}").text
    assert f'href="/bukti/{png_id}"' in history

    for username in ("desa",):  # the beneficiary's own village
        client.cookies.clear()
        login(client, username)
        assert client.get(f"/bukti/{png_id}").status_code == 200, username
    for username in ("pu", "desa.lain", "analis", "auditor"):
        client.cookies.clear()
        login(client, username)
        assert client.get(f"/bukti/{png_id}").status_code == 404, username
    client.cookies.clear()
    assert client.get(f"/bukti/{png_id}", follow_redirects=False).status_code in (303, 401)
    login(client, "baznas")
    assert client.get("/bukti/999999").status_code == 404
    with app.state.engine.connect() as conn:
        opened = conn.execute(
            select(audit_log.c.username, func.count())
            .where(audit_log.c.objek == "bukti")
            .group_by(audit_log.c.username)
        ).all()
    assert dict(opened) == {"baznas": 2, "desa": 1}


# --- in the browser --------------------------------------------------------------------------


@pytest.fixture
def browser_app(seeded_sqlite_url: tuple[str, Facts], live_server: Any) -> tuple[str, Facts, Any]:
    from sinergi.web.app import create_app

    app = create_app(seeded_sqlite_url[0], secret=SECRET)
    facts = seeded_sqlite_url[1]
    _add_users(app.state.engine, facts)
    return live_server(app), facts, app


def test_baznas_journey_in_the_browser(
    page: Page,
    browser_app: tuple[str, Facts, Any],
    page_errors: list[str],
    shot: Any,
    tmp_path: Any,
) -> None:
    base_url, facts, app = browser_app
    page.goto(f"{base_url}/masuk")
    page.fill("input[name=username]", "baznas")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base_url}/program/pmt-baznas")

    page.fill("input[name=anggaran]", "Rp 1,2 M")
    page.click("#alokasi button[type=submit]")
    expect(page.locator("#alokasi .notice")).to_be_visible()
    expect(page.locator("table.allocation")).to_contain_text("Rp 1.200.000.000")
    shot("baznas-alokasi")

    # One family, step by step to delivery; the hand-over photo goes with the last step.
    name = facts.search_name
    row = page.locator("table.beneficiaries tbody tr", has_text=name).first
    photo = tmp_path / "serah-terima.png"
    photo.write_bytes(PNG)
    for ke in ("terverifikasi", "disetujui", "tersalurkan"):
        row.locator("input[name=pilih]").check()
        page.select_option("#bulk select[name=ke]", ke)
        if ke == "tersalurkan":
            page.set_input_files("#bulk input[name=bukti]", str(photo))
        page.click("#bulk button[type=submit]")
        expect(page.locator("#beneficiaries .notice")).to_contain_text("1")
        row = page.locator("table.beneficiaries tbody tr", has_text=name).first
        expect(row).to_have_attribute("data-status", ke)
    shot("baznas-tersalurkan")

    row.locator(f"a:has-text('{name}')").click()
    link = page.locator("a[href^='/bukti/']").first
    expect(link).to_be_visible()
    shot("baznas-riwayat-bukti")
    href = link.get_attribute("href") or ""
    evidence_id = int(re.sub(r"\D", "", href))
    assert evidence_id in _evidence_ids(app)
    with page.context.expect_page() as opened:
        link.click()
    image = opened.value
    image.wait_for_load_state()
    assert image.url.endswith(href)
    assert save_shot(image, "baznas-bukti").exists()  # the tab the evidence opened in
    answer = page.request.get(f"{base_url}{href}")
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    assert page_errors == []
