"""Every list endpoint of the API answers pages: walking them by their ``berikutnya`` links gives
every row once (the total equals the sum of the pages, no row twice, the same rows as one large
page), the page size is capped, a page past the end is empty, and an area-limited account gets
the rows of its area only — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sinergi.web.paging import MAX_PER_PAGE
from tests.web.conftest import PASSWORD, Facts, bearer

# endpoint → the fields that identify a row of it
LISTS = {
    "/api/v1/families?q=": ("no_kk",),
    "/api/v1/assessment/runs": ("id",),
    "/api/v1/coverage?level=desa": ("kode_wilayah",),
    "/api/v1/coverage?level=kecamatan": ("kode_wilayah",),
    "/api/v1/coverage?level=kabupaten": ("kode_wilayah",),
    "/api/v1/programmes": ("kode",),
    "/api/v1/programmes/pmt-baznas/beneficiaries": ("no_kk", "periode"),
    "/api/v1/imports": ("id",),
}


def _get(client: TestClient, url: str, headers: dict[str, str], **params: Any) -> Any:
    # (The TestClient drops the URL's own query when given empty params.)
    res = (
        client.get(url, headers=headers, params=params)
        if params
        else client.get(url, headers=headers)
    )
    assert res.status_code == 200, (url, res.text[:300])
    return res.json()


def _walk(client: TestClient, url: str, headers: dict[str, str], per: int) -> list[Any]:
    """Every page from the first, by the answers' own links; checks each page's envelope."""
    page = _get(client, url, headers, per_halaman=per)
    assert page["halaman"] == 1 and page["per_halaman"] == per and page["sebelumnya"] is None
    pages = [page]
    while page["berikutnya"]:
        following = page["berikutnya"]
        page = _get(client, following, headers)
        assert page["sebelumnya"] and page["halaman"] == pages[-1]["halaman"] + 1
        assert page["total"] == pages[0]["total"]
        pages.append(page)
    assert all(len(p["data"]) == per for p in pages[:-1]) and len(pages[-1]["data"]) <= per
    return pages


@pytest.mark.parametrize("url", list(LISTS))
def test_pages_cover_the_list_once(client: TestClient, url: str) -> None:
    headers = bearer(client, "admin")
    key = LISTS[url]
    whole = _get(client, url, headers, per_halaman=MAX_PER_PAGE)
    per = max(1, min(7, whole["total"] // 3 or 1))
    pages = _walk(client, url, headers, per)
    rows = [r for p in pages for r in p["data"]]
    ids = [tuple(r[k] for k in key) for r in rows]
    assert whole["total"] > 0, url  # the test data fill every list
    assert len(rows) == whole["total"] == sum(len(p["data"]) for p in pages)
    assert len(set(ids)) == len(ids), "a row on two pages"
    if whole["total"] <= MAX_PER_PAGE:
        assert ids == [tuple(r[k] for k in key) for r in whole["data"]]  # one stable order
    beyond = _get(client, url, headers, per_halaman=per, halaman=len(pages) + 1)
    assert beyond["data"] == [] and beyond["berikutnya"] is None
    assert beyond["total"] == whole["total"]


@pytest.mark.parametrize("url", list(LISTS))
def test_page_size_is_capped(client: TestClient, url: str) -> None:
    headers = bearer(client, "admin")
    sep = "&" if "?" in url else "?"
    for bad in (f"per_halaman={MAX_PER_PAGE + 1}", "per_halaman=0", "halaman=0"):
        assert client.get(f"{url}{sep}{bad}", headers=headers).status_code == 422, bad
    assert _get(client, url, headers)["per_halaman"] == 50  # the default page


def test_the_openapi_description_explains_the_pages(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "`halaman`" in spec["info"]["description"]
    assert "per_halaman" in spec["info"]["description"]
    for path in ("/api/v1/families", "/api/v1/coverage", "/api/v1/imports"):
        params = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert params["per_halaman"]["schema"]["maximum"] == MAX_PER_PAGE


def test_an_area_limited_account_gets_its_area_only(
    client: TestClient, app: Any, facts: Facts
) -> None:
    from sinergi.security.users import create_user

    kec = facts.village[:8]
    create_user(app.state.engine, "dppkb.kec", "dppkb", [kec], [], PASSWORD)
    everyone, mine = bearer(client, "admin"), bearer(client, "dppkb.kec")
    for url, code in (
        ("/api/v1/families?q=", "kode_desa"),
        ("/api/v1/coverage?level=desa", "kode_wilayah"),
        ("/api/v1/coverage?level=kecamatan", "kode_wilayah"),
        ("/api/v1/programmes/pmt-baznas/beneficiaries", "kode_desa"),
    ):
        rows = [r for p in _walk(client, url, mine, MAX_PER_PAGE) for r in p["data"]]
        assert rows and all(r[code].startswith(kec) for r in rows), url
        total = _get(client, url, everyone, per_halaman=1)["total"]
        assert len(rows) < total, url  # others exist and are left out
    regency = _get(client, "/api/v1/coverage?level=kabupaten", everyone)["data"][0]
    area = _get(client, "/api/v1/coverage?level=kabupaten", mine)["data"][0]
    kecamatan = _get(client, "/api/v1/coverage?level=kecamatan", mine)["data"]
    assert [r["kode_wilayah"] for r in kecamatan] == [kec]
    assert area["krs"] == kecamatan[0]["krs"] < regency["krs"]
    summary = _get(client, "/api/v1/assessment/runs/1/summary", mine)
    assert [r["kode"] for r in summary["kecamatan"]] == [kec]
