"""A village's verification work in the web: the village home (/desa/{kode}/verifikasi) lists the
families to verify with their last verification, pages, sorts, filters and exports exactly what
is filtered; the musdes sheet; the family page records a verification through the service
(`sinergi.registry.verify.record_one`), and DPPKB decides waiting ones — every view and write
scoped and audited, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import and_, func, select

from sinergi.core.masking import mask_nik
from sinergi.reports.tables import kamus_codes
from sinergi.security.access import FamilyIds
from sinergi.settings import get_settings
from sinergi.store.tables import (
    assessment_families,
    assessment_runs,
    audit_log,
    families,
    persons,
    verifications,
)
from tests.web.conftest import SECRET, Facts, login

IDS = FamilyIds(SECRET)
FID = re.compile(r'<tr data-kk="([A-Za-z0-9_-]+)"')
TOTAL = re.compile(r'data-key="tampil" data-total="(\d+)"')
TODAY = date.today().isoformat()


def _kks(html: str) -> list[str]:
    return [IDS.decode(f) or "" for f in FID.findall(html)]


def _total(html: str) -> int:
    found = TOTAL.search(html)
    assert found, html[:2000]
    return int(found.group(1))


def _sheet(content: bytes) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [kamus_codes(book).get(c.value, c.value) for c in sheet[1]]
    return [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(2)]


def _village_families(app, village: str, krs_only: bool = True) -> list[str]:  # type: ignore[no-untyped-def]
    f, a = families.c, assessment_families.c
    with app.state.engine.connect() as conn:
        run = conn.execute(select(func.max(assessment_runs.c.id))).scalar_one()
        query = (
            select(f.no_kk)
            .join(assessment_families, and_(a.no_kk == f.no_kk, a.run_id == run))
            .where(f.kode_desa == village)
        )
        if krs_only:
            query = query.where(a.krs.is_(True))
        return [r[0] for r in conn.execute(query)]


def _home(village: str) -> str:
    return f"/desa/{village}/verifikasi"


def test_desa_user_lands_on_its_village_with_its_families(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    login(client, "desa")
    res = client.get("/desa", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == _home(facts.village)
    page = client.get(_home(facts.village))
    assert page.status_code == 200
    krs = _village_families(app, facts.village)
    assert _total(page.text) == len(krs) > 0
    shown = _kks(page.text)
    assert set(shown) <= set(krs) and len(shown) == min(50, len(krs))
    # A village operator verifies with the No KK in hand: whole, not masked.
    assert shown[0] in page.text
    assert "Belum diverifikasi" in page.text
    assert 'href="/desa"' in page.text  # "Desa saya" in the menu
    with app.state.engine.connect() as conn:
        logged = conn.execute(
            select(audit_log.c.kunci).where(
                audit_log.c.username == "desa", audit_log.c.objek == "verifikasi_desa"
            )
        ).all()
    # Signing in landed here (the role's home), then the page was asked for again: two views.
    assert [r.kunci for r in logged] == [facts.village, facts.village]


def test_another_village_is_refused_everywhere(client: TestClient, facts: Facts) -> None:
    csrf = login(client, "desa")
    other = facts.other_village
    assert client.get(_home(other)).status_code == 403
    assert client.get(f"/desa/{other}/musdes").status_code == 403
    res = client.post(f"/desa/{other}/verifikasi/ekspor", data={"csrf": csrf})
    assert res.status_code == 403
    res = client.post(
        f"/keluarga/{IDS.encode(facts.outside)}/verifikasi",
        data={"csrf": csrf, "hasil": "ada", "tanggal": TODAY},
    )
    assert res.status_code == 404
    # Not a village at all, and a missing CSRF token.
    assert client.get(_home("64.08")).status_code == 403
    fid = IDS.encode(facts.in_village)
    res = client.post(f"/keluarga/{fid}/verifikasi", data={"hasil": "ada", "tanggal": TODAY})
    assert res.status_code == 403


def test_roles_without_names_or_verification(client: TestClient, facts: Facts) -> None:
    login(client, "analis")
    assert client.get(_home(facts.village)).status_code == 403
    client.cookies.clear()
    login(client, "baznas")
    page = client.get(_home(facts.village), params={"daftar": "semua", "per": 200})
    assert page.status_code == 200
    shown = _kks(page.text)
    assert facts.in_village in shown
    # The agency officer sees only its programme's families, No KK masked, and no form.
    assert facts.in_village not in page.text and mask_nik(facts.in_village) in page.text
    family = client.get(f"/keluarga/{IDS.encode(facts.in_village)}")
    assert family.status_code == 200 and 'id="form-verifikasi"' not in family.text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', family.text).group(1)  # type: ignore[union-attr]
    res = client.post(
        f"/keluarga/{IDS.encode(facts.in_village)}/verifikasi",
        data={"csrf": csrf, "hasil": "ada", "tanggal": TODAY},
    )
    assert res.status_code == 403


def test_pages_sort_filter_and_export_exactly_what_is_filtered(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "dppkb")
    everyone = _village_families(app, facts.village, krs_only=False)
    params = {"daftar": "semua", "per": 5, "urut": "-no_kk"}
    first = client.get(_home(facts.village), params=params).text
    assert _total(first) == len(everyone)
    assert "Menampilkan 1–5 dari" in first
    pages = [_kks(first)]
    for n in range(2, -(-len(everyone) // 5) + 1):
        pages.append(_kks(client.get(_home(facts.village), params=params | {"halaman": n}).text))
    flat = [k for p in pages for k in p]
    assert flat == sorted(everyone, reverse=True)
    # Filter by an RT the village has: only its families, and the export holds exactly them.
    with app.state.engine.connect() as conn:
        rt, rw = conn.execute(
            select(families.c.rt, families.c.rw)
            .where(families.c.kode_desa == facts.village, families.c.rt.is_not(None))
            .order_by(families.c.no_kk)
            .limit(1)
        ).one()
        wanted = {
            r[0]
            for r in conn.execute(
                select(families.c.no_kk).where(
                    families.c.kode_desa == facts.village,
                    families.c.rt == rt,
                    families.c.rw == rw,
                    families.c.no_kk.in_(everyone),
                )
            )
        }
    filtered = client.get(
        _home(facts.village), params={"daftar": "semua", "rt": rt, "rw": rw, "per": 200}
    ).text
    assert set(_kks(filtered)) == wanted and _total(filtered) == len(wanted)
    res = client.post(
        f"/desa/{facts.village}/verifikasi/ekspor",
        data={"csrf": csrf, "daftar": "semua", "rt": rt, "rw": rw, "urut": "nama_kepala"},
    )
    assert res.status_code == 200
    rows = _sheet(res.content)
    assert {r["no_kk"] for r in rows} == wanted
    assert {(r["rt"], r["rw"]) for r in rows} == {(rt, rw)}
    # An unknown sort key or filter value falls back instead of reaching the query.
    odd = client.get(_home(facts.village), params={"urut": "x;drop", "hasil": "x", "daftar": "x"})
    assert odd.status_code == 200
    with app.state.engine.connect() as conn:
        exported = conn.execute(
            select(audit_log.c.rincian).where(
                audit_log.c.objek == "verifikasi_desa", audit_log.c.aksi == "ekspor"
            )
        ).all()
    assert len(exported) == 1 and exported[0].rincian["baris"] == len(wanted)


def _form(client: TestClient, fid: str) -> str:
    page = client.get(f"/keluarga/{fid}")
    assert page.status_code == 200 and 'id="form-verifikasi"' in page.text
    return page.text


def test_the_family_page_records_a_correction_a_move_and_refuses_with_a_sentence(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "desa")
    no_kk = facts.in_village
    fid = IDS.encode(no_kk)
    _form(client, fid)
    res = client.post(
        f"/keluarga/{fid}/verifikasi",
        data={
            "csrf": csrf,
            "hasil": "koreksi",
            "kolom": "RT",
            "nilai_baru": "17",
            "tanggal": TODAY,
            "petugas": "Kader Uji",
        },
        follow_redirects=False,
    )
    assert res.status_code == 303, res.text[:3000]
    page = client.get(res.headers["location"]).text
    assert "tercatat: Koreksi — Diterapkan" in page
    assert "RT: " in page and "→ 17" in page
    with app.state.engine.connect() as conn:
        assert conn.execute(select(families.c.rt).where(families.c.no_kk == no_kk)).scalar() == "17"
        rec = conn.execute(select(verifications).where(verifications.c.no_kk == no_kk)).one()
    assert (rec.sumber, rec.dicatat_oleh, rec.status, rec.petugas) == (
        "web",
        "desa",
        "diterapkan",
        "Kader Uji",
    )
    # The village list shows the last verification, and its filters find it.
    listed = client.get(_home(facts.village), params={"daftar": "semua", "hasil": "koreksi"})
    assert _kks(listed.text) == [no_kk] and "Kader Uji" in listed.text
    waiting = client.get(_home(facts.village), params={"daftar": "semua", "hasil": "belum"})
    assert no_kk not in _kks(waiting.text)
    latest = client.get(_home(facts.village), params={"daftar": "semua", "urut": "-verifikasi"})
    assert _kks(latest.text)[0] == no_kk
    earliest = client.get(_home(facts.village), params={"daftar": "semua", "urut": "verifikasi"})
    assert _kks(earliest.text)[0] == no_kk  # the only one verified; the others come last
    # A deceased member without the member: the service's sentence, the typed values kept.
    res = client.post(
        f"/keluarga/{fid}/verifikasi",
        data={"csrf": csrf, "hasil": "meninggal", "tanggal": TODAY, "petugas": "Kader Dua"},
    )
    assert res.status_code == 400
    assert 'class="alert"' in res.text and 'value="Kader Dua"' in res.text
    assert "harus menyebut NIK anggota" in res.text
    # A move to another village of the registry, chosen by name in the form (sent as its code).
    res = client.post(
        f"/keluarga/{fid}/verifikasi",
        data={
            "csrf": csrf,
            "hasil": "pindah",
            "desa_baru": facts.other_village,
            "tanggal": TODAY,
        },
        follow_redirects=False,
    )
    assert res.status_code == 303
    # Out of the operator's area now: the answer is the village's list, which says so.
    assert res.headers["location"].startswith(_home(facts.village) + "?tercatat=")
    said = client.get(res.headers["location"]).text
    assert "tercatat: Pindah — Diterapkan" in said and no_kk not in _kks(said)
    with app.state.engine.connect() as conn:
        moved = conn.execute(select(families.c.kode_desa).where(families.c.no_kk == no_kk))
        assert moved.scalar() == facts.other_village
    # The family is out of the operator's village now: its page is no longer the operator's.
    assert client.get(f"/keluarga/{fid}").status_code == 404


def test_a_deceased_member_by_the_form(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "dppkb")
    fid = IDS.encode(facts.in_village)
    with app.state.engine.connect() as conn:
        nik = conn.execute(
            select(persons.c.nik)
            .where(persons.c.no_kk == facts.in_village)
            .order_by(persons.c.tanggal_lahir.desc())
            .limit(1)
        ).scalar_one()
    form = _form(client, fid)
    assert nik not in form and IDS.encode(nik) in form  # the member by reference, never its NIK
    res = client.post(
        f"/keluarga/{fid}/verifikasi",
        data={"csrf": csrf, "hasil": "meninggal", "anggota": IDS.encode(nik), "tanggal": TODAY},
    )
    assert res.status_code == 200 and "Meninggal" in res.text
    with app.state.engine.connect() as conn:
        died = conn.execute(select(persons.c.meninggal).where(persons.c.nik == nik)).scalar()
    assert died == date.today()


@pytest.fixture
def approval(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SINERGI_VERIFIKASI_PERLU_PERSETUJUAN", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("SINERGI_VERIFIKASI_PERLU_PERSETUJUAN")
    get_settings.cache_clear()


def test_dppkb_approves_or_rejects_what_villages_correct(
    approval, client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "desa")
    fid = IDS.encode(facts.in_village)
    with app.state.engine.connect() as conn:
        rt = conn.execute(
            select(families.c.rt).where(families.c.no_kk == facts.in_village)
        ).scalar()
    for column, value in (("RT", "21"), ("RW", "22")):
        res = client.post(
            f"/keluarga/{fid}/verifikasi",
            data={"csrf": csrf, "hasil": "koreksi", "kolom": column, "nilai_baru": value}
            | {"tanggal": TODAY, "catatan": f"{column} {value}"},
        )
        assert res.status_code == 200 and "Menunggu persetujuan DPPKB" in res.text
    assert client.get("/verifikasi").status_code == 403
    client.cookies.clear()
    csrf = login(client, "dppkb")
    page = client.get("/verifikasi")
    assert page.status_code == 200 and 'href="/verifikasi"' in page.text
    ids = [int(i) for i in re.findall(r'<tr data-id="(\d+)"', page.text)]
    assert len(ids) == 2
    with app.state.engine.connect() as conn:
        assert (
            conn.execute(select(families.c.rt).where(families.c.no_kk == facts.in_village)).scalar()
            == rt
        )
    res = client.post(f"/verifikasi/{ids[0]}", data={"csrf": csrf, "putusan": "setujui"})
    assert res.status_code == 200 and "Diterapkan" in res.text
    res = client.post(f"/verifikasi/{ids[1]}", data={"csrf": csrf, "putusan": "tolak"})
    assert res.status_code == 200 and "Ditolak" in res.text
    res = client.post(f"/verifikasi/{ids[1]}", data={"csrf": csrf, "putusan": "setujui"})
    assert 'class="notice"' in res.text  # already decided: said in a sentence
    with app.state.engine.connect() as conn:
        assert (
            conn.execute(select(families.c.rt).where(families.c.no_kk == facts.in_village)).scalar()
            == "21"
        )
        decided = conn.execute(
            select(verifications.c.status, verifications.c.diputuskan_oleh).order_by(
                verifications.c.id
            )
        ).all()
    assert [tuple(r) for r in decided] == [("diterapkan", "dppkb"), ("ditolak", "dppkb")]


def test_the_musdes_sheet(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    from sinergi.security.auth import User
    from sinergi.web.queries import latest_run, missed_children

    run = latest_run(app.state.engine)
    assert run is not None
    everywhere = missed_children(app.state.engine, User(0, "x", "dppkb", (), ()), run["id"], "id")
    # The village with the most case-finding rows, so that the sheet's second part is not empty.
    village = str(everywhere["kode_desa"].value_counts().index[0])
    here = everywhere[everywhere["kode_desa"] == village]
    # Under-fives only not measured lately are counted in a sentence, not listed one by one.
    unmeasured = here["kode_alasan"] == "belum_diukur"
    found = here[~unmeasured]
    assert len(found) > 0 and unmeasured.any()
    login(client, "dppkb")
    res = client.get(f"/desa/{village}/musdes", params={"daftar": "semua"})
    assert res.status_code == 200
    html = res.text
    everyone = _village_families(app, village, krs_only=False)
    assert f"A. Keluarga yang diverifikasi ({len(everyone):,})".replace(",", ".") in html
    for word in ("Ada", "Pindah", "Meninggal", "Koreksi", "Catatan", "Kepala Desa", "Kader / TPK"):
        assert f">{word}<" in html
    assert f"B. Anak dan ibu hamil dari temuan kasus ({len(found):,})".replace(",", ".") in html
    assert html.count('<tr data-kode="') == len(found)
    assert "Selain itu, " + f"{int(unmeasured.sum()):,} balita".replace(",", ".") in html
    # NIKs on paper are masked, whoever prints.
    niks = [n for n in found["nik"].dropna() if len(n) == 16]
    assert niks and all(n not in html and mask_nik(n) in html for n in niks)
    assert run["ruleset_id"] in html and run["ruleset_version"] in html and "data-print" in html
    # The village operator prints only its own village.
    client.cookies.clear()
    login(client, "desa")
    own = client.get(f"/desa/{facts.village}/musdes")
    assert own.status_code == 200 and "Kepala Desa" in own.text
    if village != facts.village:
        assert client.get(f"/desa/{village}/musdes").status_code == 403
