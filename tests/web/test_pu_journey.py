"""Dinas PU in the browser: a village's water network recorded stage by stage and households
connected from the programme page, through the services ``sinergi project`` uses (versioned,
audited, scoped by programme and area); afterwards the map, the village's status card and the
ranking agree. TestClient on SQLite and PostgreSQL, then the officer's journey in Debian's
Chromium with screenshots."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from sinergi.store.tables import audit_log, project_events, project_households, projects
from sinergi.targeting.plan import village_plan
from sinergi.targeting.programmes import load_programme
from sinergi.web import queries
from sinergi.wilayah import get_wilayah
from tests.web.conftest import PASSWORD, SECRET, Facts, login

pytest_plugins = ["tests.web.browser"]

FID = re.compile(r'name="pilih" value="([^"]+)"')


def _add_users(engine: Any, facts: Facts) -> None:
    """PU officers of the regency and of another kecamatan than the test village."""
    from sinergi.security.users import create_user

    other = next(
        k.kode for k in get_wilayah().children(facts.village[:5]) if k.kode != facts.village[:8]
    )
    create_user(engine, "pu", "instansi", [], ["air-bersih"], PASSWORD)
    create_user(engine, "pu.lain", "instansi", [other], ["air-bersih"], PASSWORD)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert found
    return found.group(1)


def _agree(app: Any, village: str) -> None:
    """The map (and the village page, which reads the same frame), the ranking and the
    kecamatan summary say the same about every village's network."""
    from sinergi.registry.summary import kecamatan_summary

    engine = app.state.engine
    frame = queries.villages(engine, "64.08").set_index("kode_desa")
    assert frame.loc[village, "jaringan_air"] == "beroperasi"
    run = queries.latest_run(engine)
    assert run is not None
    plan = village_plan(engine, run["id"], load_programme("air-bersih")).table
    row = plan.set_index("kode_desa").loc[village]
    assert row["terpilih"] == 0 and row["status_jaringan"] == "beroperasi"
    operating = set(frame.index[frame["jaringan_air"] == "beroperasi"])
    excluded = set(plan.loc[plan["status_jaringan"] == "beroperasi", "kode_desa"])
    assert operating == excluded
    summary = kecamatan_summary(engine, "64.08")
    assert int(summary.iloc[-1]["air_beroperasi"]) == len(operating)


def test_pu_records_progress_and_connects_households(
    client: TestClient, app: Any, facts: Facts
) -> None:
    _add_users(app.state.engine, facts)
    csrf = login(client, "pu")
    home = client.get("/program/air-bersih")
    assert home.status_code == 200 and 'action="/program/air-bersih/jaringan"' in home.text
    path = f"/program/air-bersih/jaringan/{facts.village}"
    assert client.get(f"/program/air-bersih/jaringan?desa={facts.village}").url.path == path
    page = client.get(path)
    assert page.status_code == 200 and 'name="versi" value="0"' in page.text

    res = client.post(f"{path}/tahap", data={"csrf": csrf, "ke": "konstruksi", "versi": "0"})
    assert res.status_code == 200 and "Konstruksi" in res.text
    # A second officer's page still showed version 0: refused, nothing overwritten.
    stale = client.post(f"{path}/tahap", data={"csrf": csrf, "ke": "beroperasi", "versi": "0"})
    assert stale.status_code == 409 and "baru saja diubah oleh pu" in stale.text
    back = client.post(f"{path}/tahap", data={"csrf": csrf, "ke": "perencanaan", "versi": "1"})
    assert back.status_code == 409  # the stages only go forward
    bad_day = client.post(
        f"{path}/tahap", data={"csrf": csrf, "ke": "beroperasi", "versi": "1", "tanggal": "31/13"}
    )
    assert bad_day.status_code == 422 and "Tanggal tidak dikenali" in bad_day.text
    done = client.post(
        f"{path}/tahap",
        data={
            "csrf": csrf,
            "ke": "beroperasi",
            "versi": "1",
            "tanggal": "01/03/2026",
            "catatan": "Serah terima",
        },
    )
    assert done.status_code == 200 and "Serah terima" in done.text

    fids = FID.findall(done.text)
    assert len(fids) >= 2
    res = client.post(
        f"{path}/sambung", data={"csrf": csrf, "pilih": fids[:2], "tanggal": "05/03/2026"}
    )
    assert res.status_code == 200, res.text[:300]
    assert 'data-key="tersambung">2<' in res.text
    assert len(FID.findall(res.text)) == len(fids) - 2  # connected rows lose their checkbox

    engine = app.state.engine
    with engine.connect() as conn:
        pid = conn.execute(
            select(projects.c.id).where(projects.c.kode_desa == facts.village)
        ).scalar_one()
        assert (
            conn.execute(
                select(func.count()).where(project_households.c.project_id == pid)
            ).scalar_one()
            == 2
        )
        assert (
            conn.execute(
                select(func.count()).where(project_events.c.project_id == pid)
            ).scalar_one()
            == 3
        )
        audited = {
            r.aksi
            for r in conn.execute(select(audit_log.c.aksi).where(audit_log.c.username == "pu"))
        }
    assert {"ubah_proyek", "sambung_rumah", "lihat"} <= audited
    _agree(app, facts.village)

    # The search finds a family by its head's name and by its No KK.
    search = client.get(path, params={"q": facts.search_name[:6]})
    assert 'data-total="' in search.text


@pytest.mark.parametrize("username", ["baznas", "desa", "analis", "pu.lain"])
def test_others_may_not_touch_the_network(
    client: TestClient, app: Any, facts: Facts, username: str
) -> None:
    _add_users(app.state.engine, facts)
    csrf = login(client, username)
    path = f"/program/air-bersih/jaringan/{facts.village}"
    assert client.get(path).status_code == 403
    res = client.post(f"{path}/tahap", data={"csrf": csrf, "ke": "konstruksi", "versi": "0"})
    assert res.status_code == 403
    with app.state.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(projects)).scalar_one() == 0


def test_a_family_programme_has_no_network_page(client: TestClient, app: Any, facts: Facts) -> None:
    login(client, "admin")
    assert client.get(f"/program/pmt-baznas/jaringan/{facts.village}").status_code == 404
    assert client.get("/program/air-bersih/jaringan/99.99.99.9999").status_code == 404
    kecamatan = facts.village[:8]  # a region, but not a village
    assert client.get(f"/program/air-bersih/jaringan/{kecamatan}").status_code == 404


# --- in the browser --------------------------------------------------------------------------


@pytest.fixture
def browser_app(seeded_sqlite_url: tuple[str, Facts], live_server: Any) -> tuple[str, Facts, Any]:
    from sinergi.web.app import create_app

    app = create_app(seeded_sqlite_url[0], secret=SECRET)
    facts = seeded_sqlite_url[1]
    _add_users(app.state.engine, facts)
    return live_server(app), facts, app


def test_pu_journey_in_the_browser(
    page: Page, browser_app: tuple[str, Facts, Any], page_errors: list[str], shot: Any
) -> None:
    base_url, facts, app = browser_app
    page.goto(f"{base_url}/masuk")
    page.fill("input[name=username]", "pu")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base_url}/program/air-bersih")
    page.select_option("#jaringan select[name=desa]", facts.village)
    page.click("#jaringan button[type=submit]")
    expect(page).to_have_url(f"{base_url}/program/air-bersih/jaringan/{facts.village}")
    name = get_wilayah().name(facts.village)
    expect(page.locator("h1")).to_contain_text(name)
    for stage in ("konstruksi", "beroperasi"):
        page.select_option("#tahap select[name=ke]", stage)
        page.fill("#tahap input[name=catatan]", f"Tahap {stage}")
        page.click("#tahap button[type=submit]")
        expect(page.locator("[data-key=status]")).to_have_text(stage.capitalize())
    shot("pu-jaringan-beroperasi")
    boxes = page.locator("#sambung input[name=pilih]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.fill("#sambung input[name=tanggal]", "05/03/2026")
    page.click("#sambung button[type=submit]")
    expect(page.locator("[data-key=tersambung]")).to_have_text("2")
    expect(page.locator("#riwayat")).to_contain_text("Tahap beroperasi")
    shot("pu-sambungan-rumah")

    page.goto(f"{base_url}/program/air-bersih")
    row = page.locator("table.ranking tr", has=page.locator(f'a[href="/desa/{facts.village}"]'))
    expect(row).to_contain_text("sudah beroperasi")
    expect(page.locator("table.networks")).to_contain_text(name)
    shot("pu-peringkat")
    page.goto(f"{base_url}/desa/{facts.village}")
    expect(page.locator("main")).to_contain_text("Beroperasi")
    shot("pu-halaman-desa")
    data = page.request.get(f"{base_url}/peta/data.json").json()
    on_map = {d["kode_desa"] for d in data["desa"] if d["jaringan_air"] == "beroperasi"}
    assert facts.village in on_map
    _agree(app, facts.village)
    assert page_errors == []
