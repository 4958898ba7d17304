"""The health officer (Dinkes) and its children without a family: where each role lands after
signing in (`deps.home_for`), the ``/anak-tanpa-kk`` list (scoped, paged, filtered by village
name, exported and audited) through the TestClient on SQLite and PostgreSQL, and the officer's
journey in Debian's Chromium with screenshots."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from sinergi.reports.tables import kamus_codes
from sinergi.security.auth import User
from sinergi.store.tables import assessment_children, audit_log
from sinergi.web.deps import home_for
from tests.web.conftest import PASSWORD, SECRET, Facts, login, login_form

pytest_plugins = ["tests.web.browser"]


def _add_users(engine: Any, facts: Facts) -> None:
    """A Dinkes officer of the regency, one of the kecamatan of the test village, and a village
    operator of a whole kecamatan."""
    from sinergi.security.users import create_user

    kec = facts.village[:8]
    create_user(engine, "dinkes", "instansi", [], ["pmt-dinkes"], PASSWORD)
    create_user(engine, "dinkes.kec", "instansi", [kec], ["pmt-dinkes"], PASSWORD)
    create_user(engine, "pu", "instansi", [], ["air-bersih"], PASSWORD)


def _unlinked(engine: Any) -> list[tuple[str, str]]:
    """(child key, village) of the latest run's children attached to no family."""
    c = assessment_children.c
    with engine.connect() as conn:
        run = conn.execute(select(func.max(c.run_id))).scalar_one()
        return [
            (r.child_key, r.kode_desa)
            for r in conn.execute(
                select(c.child_key, c.kode_desa).where(c.run_id == run, c.no_kk.is_(None))
            )
        ]


def test_home_for_each_role() -> None:
    def user(role: str, wilayah: tuple[str, ...] = (), program: tuple[str, ...] = ()) -> User:
        return User(1, "u", role, wilayah, program)

    assert home_for(user("admin")) == "/"
    assert home_for(user("dppkb", ("64.08.05",))) == "/"
    assert home_for(user("analis")) == "/"
    assert home_for(user("auditor")) == "/audit"
    assert (
        home_for(user("desa", ("64.08.04.2001", "64.08.04.2002")))
        == "/desa/64.08.04.2001/verifikasi"
    )
    assert home_for(user("desa", ("64.08.04",))) == "/"  # a whole kecamatan: its dashboard
    assert home_for(user("instansi", (), ("bedah-rumah", "jamban-sehat"))) == "/program/bedah-rumah"
    assert home_for(user("instansi", (), ("pmt-dinkes",))) == "/terlewat"
    assert home_for(user("instansi")) == "/program"


def test_sign_in_lands_on_the_home_of_the_role(client: TestClient, app: Any, facts: Facts) -> None:
    _add_users(app.state.engine, facts)
    expected = {
        "admin": "/",
        "dppkb": "/",
        "analis": "/",
        "auditor": "/audit",
        "desa": f"/desa/{facts.village}/verifikasi",
        "baznas": "/program/pmt-baznas",
        "pu": "/program/air-bersih",
        "dinkes": "/terlewat",
    }
    for username, target in expected.items():
        client.cookies.clear()
        res = client.post(
            "/masuk", data=login_form(client, username, PASSWORD), follow_redirects=False
        )
        assert res.status_code == 303 and res.headers["location"] == target, username
        home = client.get("/", follow_redirects=False)
        if target == "/":
            assert home.status_code == 200 and 'data-key="krs"' in home.text, username
        else:
            assert home.status_code == 303 and home.headers["location"] == target, username
            assert client.get(target).status_code == 200, username
        # The dashboard stays one click away for everyone.
        assert client.get("/dasbor").status_code == 200, username


def test_dinkes_sees_its_unlinked_children_in_its_area(
    client: TestClient, app: Any, facts: Facts
) -> None:
    engine = app.state.engine
    _add_users(engine, facts)
    every = _unlinked(engine)
    kec = facts.village[:8]
    assert every and any(k.startswith(kec) for _, k in every)
    assert any(not k.startswith(kec) for _, k in every)  # the test proves the scope

    login(client, "dinkes")
    first = client.get("/anak-tanpa-kk?per=200")
    assert first.status_code == 200
    assert f'data-total="{len(every)}"' in first.text
    assert 'href="/anak-tanpa-kk"' in first.text  # in the menu of its role

    client.cookies.clear()
    login(client, "dinkes.kec")
    page = client.get("/anak-tanpa-kk?per=200")
    mine = [k for _, k in every if k.startswith(kec)]
    assert f'data-total="{len(mine)}"' in page.text
    from sinergi.wilayah import get_wilayah

    w = get_wilayah()
    others = {w.name(k) for _, k in every if not k.startswith(kec)} - {w.name(k) for k in mine}
    rows = re.findall(r"<tbody>(.*?)</tbody>", page.text, re.S)[0]
    assert not [name for name in others if f"<td>{name}</td>" in rows]

    # Filter by a village's name, as the list does; an out-of-area village gives nothing.
    village = mine[0]
    name = w.name(village)
    filtered = client.get("/anak-tanpa-kk", params={"desa": name.lower(), "per": "200"})
    n_village = sum(
        1 for k in mine if w.name(k).casefold() == name.casefold() and k.startswith(kec)
    )
    assert f'data-total="{n_village}"' in filtered.text
    outside = next(k for _, k in every if not k.startswith(kec))
    refused = client.get("/anak-tanpa-kk", params={"desa": w.name(outside)})
    if w.name(outside).casefold() not in {w.name(k).casefold() for k in mine}:
        assert 'data-total="0"' in refused.text

    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    res = client.post("/anak-tanpa-kk/ekspor", data={"csrf": csrf, "desa": name, "urut": "-nama"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/vnd")
    book = openpyxl.load_workbook(io.BytesIO(res.content))
    sheet = book.worksheets[0]
    header = [kamus_codes(book).get(c.value, c.value) for c in next(sheet.iter_rows(max_row=1))]
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(body) == n_village
    assert {r[header.index("kode_desa")] for r in body} <= set(mine)
    names = [r[header.index("nama_anak")] for r in body]
    assert names == sorted(names, reverse=True) or len(set(names)) < len(names)
    niks = [r[header.index("nik_anak")] for r in body if r[header.index("nik_anak")]]
    assert all("•" in nik for nik in niks)  # an agency officer sees NIKs masked
    with engine.connect() as conn:
        audited = conn.execute(
            select(audit_log.c.aksi, audit_log.c.objek).where(
                audit_log.c.username == "dinkes.kec", audit_log.c.objek == "anak_tanpa_kk"
            )
        ).all()
    assert {a for a, _ in audited} >= {"lihat", "ekspor"}


@pytest.mark.parametrize("username", ["pu", "analis", "auditor", "baznas"])
def test_other_roles_do_not_see_unlinked_children(
    client: TestClient, app: Any, facts: Facts, username: str
) -> None:
    _add_users(app.state.engine, facts)
    csrf = login(client, username)
    assert client.get("/anak-tanpa-kk").status_code == 403
    assert client.post("/anak-tanpa-kk/ekspor", data={"csrf": csrf}).status_code == 403
    assert 'href="/anak-tanpa-kk"' not in client.get("/dasbor").text


# --- in the browser --------------------------------------------------------------------------


@pytest.fixture
def browser_app(seeded_sqlite_url: tuple[str, Facts], live_server: Any) -> tuple[str, Facts]:
    from sinergi.security.users import create_user
    from sinergi.web.app import create_app

    app = create_app(seeded_sqlite_url[0], secret=SECRET)
    facts = seeded_sqlite_url[1]
    _add_users(app.state.engine, facts)
    create_user(app.state.engine, "dppkb.kec", "dppkb", [facts.village[:8]], [], PASSWORD)
    return live_server(app), facts


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_dinkes_officer_finds_and_exports_unlinked_children(
    page: Page, browser_app: tuple[str, Facts], page_errors: list[str], shot: Any
) -> None:
    base_url, facts = browser_app
    _sign_in(page, base_url, "dinkes")
    expect(page).to_have_url(f"{base_url}/terlewat")  # its home: case finding
    shot("dinkes-home")
    page.click("nav >> text=Anak tanpa KK")
    expect(page).to_have_url(f"{base_url}/anak-tanpa-kk")
    expect(page.locator("h1")).to_contain_text("tanpa keluarga terdaftar")
    total = int(page.locator("[data-key=tampil]").get_attribute("data-total") or "0")
    assert total > 0
    shot("dinkes-anak-tanpa-kk-semua")
    # The village of the first child listed (the filter takes the village's name).
    chosen = page.locator("#anak-tanpa-kk tbody tr").first.locator("td").nth(4).inner_text()
    page.select_option("select[name=desa]", chosen)
    page.click("form.toolbar button[type=submit]")
    expect(page).to_have_url(re.compile(r"/anak-tanpa-kk\?desa="))
    filtered = int(page.locator("[data-key=tampil]").get_attribute("data-total") or "0")
    assert 0 < filtered <= total
    cells = page.locator("#anak-tanpa-kk tbody tr td:nth-child(5)").all_inner_texts()
    assert cells and set(cells) == {chosen}
    shot("dinkes-anak-tanpa-kk-desa")
    with page.expect_download() as info:
        page.click("text=Unduh XLSX")
    content = info.value.path().read_bytes()
    assert info.value.suggested_filename == "anak-tanpa-kk.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.max_row - 1 == filtered
    assert page_errors == []


def test_kecamatan_user_dashboard_shows_its_kecamatan(
    page: Page, browser_app: tuple[str, Facts], page_errors: list[str], shot: Any
) -> None:
    base_url, facts = browser_app
    _sign_in(page, base_url, "dppkb.kec")
    expect(page).to_have_url(f"{base_url}/")
    from sinergi.wilayah import get_wilayah

    w = get_wilayah()
    kec = facts.village[:8]
    expect(page.locator("main")).to_contain_text(w.name(kec))
    other = next(k.kode for k in w.children(kec[:5]) if k.kode != kec)
    expect(page.locator("main table").first).not_to_contain_text(w.name(other))
    shot("kecamatan-dasbor")
    assert page_errors == []
