"""Every named list — missed, beneficiaries, a village's families, search — is paged, sorted and
filtered by village name on the server, exports exactly what is filtered, and never lets a
filter, sort or export parameter reach outside the user's scope — SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select

from sinergi.reports.tables import kamus_codes
from sinergi.security.access import FamilyIds
from sinergi.store.tables import audit_log, families, proposals
from sinergi.web.paging import MAX_PER_PAGE
from sinergi.wilayah import get_wilayah
from tests.web.conftest import SECRET, Facts, login

IDS = FamilyIds(SECRET)
FID = re.compile(r'href="/keluarga/([A-Za-z0-9_-]+)"')
TOTAL = re.compile(r'data-key="tampil" data-total="(\d+)"')


def _kks(html: str) -> list[str]:
    """The No KKs of the family links of a page, in order."""
    return [IDS.decode(f) or "" for f in FID.findall(html)]


def _totals(html: str) -> list[int]:
    return [int(n) for n in TOTAL.findall(html)]


def _sheet(content: bytes) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [kamus_codes(book).get(c.value, c.value) for c in sheet[1]]
    return [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(2)]


def _beneficiaries(app, village: str | None = None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    p, f = proposals.c, families.c
    query = (
        select(p.no_kk, f.nama_kepala)
        .join(families, f.no_kk == p.no_kk)
        .where(p.kode_program == "pmt-baznas")
        .order_by(f.nama_kepala.desc().nulls_last(), p.id)
    )
    if village:
        query = query.where(p.kode_desa == village)
    with app.state.engine.connect() as conn:
        return [(r.no_kk, r.nama_kepala) for r in conn.execute(query)]


def test_beneficiary_list_pages_sorts_and_filters_by_village_name(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    login(client, "dppkb")
    everyone = _beneficiaries(app)
    assert len(everyone) > 10
    first = client.get("/program/pmt-baznas", params={"urut": "-nama_kepala", "per": 5}).text
    assert f"Menampilkan 1–5 dari {len(everyone):,}".replace(",", ".") in first
    assert _kks(first) == [kk for kk, _ in everyone[:5]]
    second = client.get(
        "/program/pmt-baznas", params={"urut": "-nama_kepala", "per": 5, "halaman": 2}
    ).text
    assert "Menampilkan 6–10 dari" in second
    assert _kks(second) == [kk for kk, _ in everyone[5:10]]
    # The page links keep the order and the filters.
    assert 'href="/program/pmt-baznas?halaman=3&amp;urut=-nama_kepala&amp;per=5"' in second
    name = get_wilayah().name(facts.village)
    in_village = _beneficiaries(app, facts.village)
    page = client.get("/program/pmt-baznas", params={"desa": name, "urut": "-nama_kepala"}).text
    assert _totals(page) == [len(in_village)]
    assert _kks(page) == [kk for kk, _ in in_village]
    assert f'<option value="{name}" selected>' in page
    # The export has every filtered row (not only the page), in the page's order.
    csrf = login(client, "dppkb")
    res = client.post(
        "/program/pmt-baznas/ekspor",
        data={"csrf": csrf, "desa": name, "urut": "-nama_kepala"},
    )
    rows = _sheet(res.content)
    assert [r["no_kk"] for r in rows] == [kk for kk, _ in in_village]
    assert {r["kode_desa"] for r in rows} == {facts.village}
    with app.state.engine.connect() as conn:
        entry = conn.execute(
            select(audit_log).where(audit_log.c.aksi == "ekspor").order_by(audit_log.c.id.desc())
        ).first()
    assert entry is not None and entry.rincian["baris"] == len(in_village)
    assert entry.rincian["kode_desa"] == [facts.village]
    everything = client.post("/program/pmt-baznas/ekspor", data={"csrf": csrf, "per": 5})
    assert len(_sheet(everything.content)) == len(everyone)


def test_page_size_is_capped_and_bad_parameters_fall_back(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    login(client, "dppkb")
    total = len(_beneficiaries(app))
    html = client.get(
        "/program/pmt-baznas",
        params={"per": 10**9, "halaman": "x", "urut": "nama_kepala; DROP TABLE proposals"},
    ).text
    shown = min(total, MAX_PER_PAGE)
    assert len(_kks(html)) == shown
    assert f"Menampilkan 1–{shown:,}".replace(",", ".") in html
    # A page past the end shows the last page.
    last = client.get("/program/pmt-baznas", params={"per": 5, "halaman": 10**9}).text
    assert len(_kks(last)) == (total % 5 or 5)


def test_missed_lists_page_sort_filter_and_export(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "dppkb")
    full = client.get("/terlewat", params={"k_per": MAX_PER_PAGE}).text
    n_families, n_children = _totals(full)
    assert n_families > 5
    page1 = client.get("/terlewat", params={"k_per": 3, "k_urut": "-nama_kepala"}).text
    page2 = client.get(
        "/terlewat", params={"k_per": 3, "k_urut": "-nama_kepala", "k_halaman": 2}
    ).text
    assert f"Menampilkan 4–6 dari {n_families:,}".replace(",", ".") in page2
    # The families' table comes first; the children's list keeps its own first page.
    fam1, fam2 = _kks(page1)[:3], _kks(page2)[:3]
    assert not set(fam1) & set(fam2)
    exported = client.post(
        "/terlewat/ekspor", data={"csrf": csrf, "daftar": "keluarga", "k_urut": "-nama_kepala"}
    )
    rows = _sheet(exported.content)
    assert len(rows) == n_families
    assert [r["no_kk"] for r in rows[:6]] == fam1 + fam2
    names = [r["nama_kepala"] for r in rows if r["nama_kepala"]]
    assert names == sorted(names, reverse=True)
    # Filter by the village's name: only its rows, in the page and in the export.
    name = get_wilayah().name(facts.village)
    village = client.get("/terlewat", params={"desa": name}).text
    n_village = _totals(village)[0]
    assert n_village < n_families
    only = _sheet(
        client.post(
            "/terlewat/ekspor", data={"csrf": csrf, "daftar": "keluarga", "desa": name}
        ).content
    )
    assert len(only) == n_village and {r["kode_desa"] for r in only} <= {facts.village}
    kids = _sheet(client.post("/terlewat/ekspor", data={"csrf": csrf, "daftar": "anak"}).content)
    assert len(kids) == n_children


def test_village_family_list_pages_and_exports(client: TestClient) -> None:
    csrf = login(client, "dppkb")
    busiest = max(client.get("/peta/data.json").json()["desa"], key=lambda d: d["krs"])
    village = busiest["kode_desa"]
    html = client.get(f"/desa/{village}", params={"per": 2}).text
    total = _totals(html)[0]
    assert total == busiest["krs"] > 2 and len(_kks(html)) == 2
    second = client.get(f"/desa/{village}", params={"per": 2, "halaman": 2}).text
    assert "Menampilkan 3–4 dari" in second
    assert not set(_kks(html)) & set(_kks(second))
    rows = _sheet(
        client.post(f"/desa/{village}/ekspor", data={"csrf": csrf, "urut": "nama_kepala"}).content
    )
    assert len(rows) == total and {r["kode_desa"] for r in rows} == {village}
    assert [r["no_kk"] for r in rows[:4]] == _kks(html) + _kks(second)


def test_search_pages_by_post_and_exports(client: TestClient, facts: Facts) -> None:
    csrf = login(client, "dppkb")
    name = get_wilayah().name(facts.village)
    form = {"csrf": csrf, "q": "", "desa": name, "per": "3"}
    first = client.post("/keluarga/cari", data=form, headers={"HX-Request": "true"}).text
    total = _totals(first)[0]
    assert total > 3 and len(_kks(first)) == 3
    second = client.post(
        "/keluarga/cari", data=form | {"halaman": "2"}, headers={"HX-Request": "true"}
    ).text
    assert not set(_kks(first)) & set(_kks(second))
    assert facts.in_village not in second  # No KKs stay out of the page, even in its forms
    rows = _sheet(client.post("/keluarga/ekspor", data=form).content)
    assert len(rows) == total and {r["kode_desa"] for r in rows} == {facts.village}
    assert [r["no_kk"] for r in rows[:6]] == _kks(first) + _kks(second)


def test_filters_sorts_and_exports_stay_inside_the_scope(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    other = get_wilayah().name(facts.other_village)
    csrf = login(client, "desa")
    html = client.get("/program/pmt-baznas", params={"desa": other, "per": 10**6}).text
    assert _totals(html) == [0] and not _kks(html)
    html = client.get("/program/pmt-baznas", params={"desa": facts.other_village}).text
    assert _totals(html) == [0]
    # The village choices are the operator's own villages only.
    choices = re.search(r'<select name="desa">(.*?)</select>', html, re.S)
    assert choices is not None
    own = get_wilayah().name(facts.village)
    assert re.findall(r'<option value="([^"]*)"', choices.group(1)) == ["", own]
    rows = _sheet(
        client.post(
            "/program/pmt-baznas/ekspor", data={"csrf": csrf, "desa": other, "urut": "-desa"}
        ).content
    )
    assert rows == []
    everything = _sheet(
        client.post("/program/pmt-baznas/ekspor", data={"csrf": csrf, "urut": "-desa"}).content
    )
    assert everything and {r["kode_desa"] for r in everything} == {facts.village}
    assert _totals(client.get("/terlewat", params={"desa": other}).text) == [0, 0]
    for daftar in ("keluarga", "anak"):
        got = _sheet(
            client.post(
                "/terlewat/ekspor", data={"csrf": csrf, "daftar": daftar, "desa": other}
            ).content
        )
        assert got == []
    found = client.post("/keluarga/cari", data={"csrf": csrf, "q": "", "desa": other}).text
    assert not _kks(found)
    assert facts.outside not in {
        r["no_kk"]
        for r in _sheet(client.post("/keluarga/ekspor", data={"csrf": csrf, "q": "a"}).content)
    }
    assert (
        client.post(f"/desa/{facts.other_village}/ekspor", data={"csrf": csrf}).status_code == 403
    )
    # An analyst sees no named list at all, whatever it asks for.
    client.cookies.clear()
    csrf = login(client, "analis")
    assert client.post("/terlewat/ekspor", data={"csrf": csrf}).status_code == 403
    assert client.post("/keluarga/ekspor", data={"csrf": csrf, "q": "a"}).status_code == 403
    assert client.post(f"/desa/{facts.village}/ekspor", data={"csrf": csrf}).status_code == 403


def test_missed_children_export_masks_nik_for_agencies(client: TestClient) -> None:
    csrf = login(client, "baznas")
    rows = _sheet(client.post("/terlewat/ekspor", data={"csrf": csrf, "daftar": "anak"}).content)
    masked = [str(r["nik"]) for r in rows if r["nik"]]
    assert masked and all("•" in n for n in masked)
    client.cookies.clear()
    csrf = login(client, "dppkb")
    rows = _sheet(client.post("/terlewat/ekspor", data={"csrf": csrf, "daftar": "anak"}).content)
    niks = [str(r["nik"]) for r in rows if r["nik"]]
    assert niks and not any("•" in n for n in niks)
