"""Authorization matrix: every role × every page and API endpoint, area and programme scoping
(404 outside the scope, by page and by API), NIK masking and reveal — SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sinergi.core.masking import mask_nik
from sinergi.reports.tables import kamus_codes
from sinergi.security.access import FamilyIds, family_clause
from sinergi.security.auth import User
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_families, audit_log, families
from sinergi.targeting.eligibility import parse, to_sql
from sinergi.targeting.programmes import load_programme
from tests.web.conftest import SECRET, Facts, bearer, login

ROLES = ("admin", "dppkb", "baznas", "desa", "analis", "auditor")
IDS = FamilyIds(SECRET)


def _expect(named: int, others: int) -> dict[str, int]:
    return {u: named if u in ("admin", "dppkb", "baznas", "desa") else others for u in ROLES}


def page_matrix(f: Facts) -> list[tuple[str, dict[str, int]]]:
    everyone = dict.fromkeys(ROLES, 200)
    return [
        # `/` is each role's home (`deps.home_for`): the dashboard or a redirect to its work.
        ("/", {u: 303 if u in ("baznas", "desa", "auditor") else 200 for u in ROLES}),
        ("/dasbor", everyone),
        ("/peta", everyone),
        ("/peta/data.json", everyone),
        ("/peta/desa.geojson", everyone),
        (f"/desa/{f.village}", everyone),
        ("/desa/64.08.99.9999", dict.fromkeys(ROLES, 404)),
        ("/keluarga", _expect(200, 403)),
        (f"/keluarga/{IDS.encode(f.in_village)}", _expect(200, 403)),
        (
            f"/keluarga/{IDS.encode(f.outside)}",
            {"admin": 200, "dppkb": 200, "baznas": 404, "desa": 404, "analis": 403, "auditor": 403},
        ),
        ("/keluarga/bukan-id-yang-sah", _expect(404, 403)),
        ("/terlewat", _expect(200, 403)),
        ("/program", everyone),
        ("/program/pmt-baznas", everyone),
        ("/program/air-bersih", everyone),
        ("/program/tidak-ada", dict.fromkeys(ROLES, 404)),
        # A village operator imports its verification findings; another's report is not found.
        (
            "/impor",
            {"admin": 200, "dppkb": 200, "baznas": 200, "desa": 200, "analis": 403, "auditor": 403},
        ),
        (
            "/impor/1/laporan.xlsx",
            {"admin": 200, "dppkb": 200, "baznas": 404, "desa": 404, "analis": 403, "auditor": 403},
        ),
        ("/audit", {u: 200 if u in ("admin", "auditor") else 403 for u in ROLES}),
        ("/pengguna", {u: 200 if u == "admin" else 403 for u in ROLES}),
    ]


def api_matrix(f: Facts) -> list[tuple[str, dict[str, int]]]:
    everyone = dict.fromkeys(ROLES, 200)
    return [
        ("/api/v1/families?q=a", _expect(200, 403)),
        (f"/api/v1/families/{f.in_village}", _expect(200, 403)),
        (
            f"/api/v1/families/{f.outside}",
            {"admin": 200, "dppkb": 200, "baznas": 404, "desa": 404, "analis": 403, "auditor": 403},
        ),
        ("/api/v1/families/0000000000000000", _expect(404, 403)),
        ("/api/v1/assessment/runs", everyone),
        ("/api/v1/assessment/runs/1/summary", everyone),
        ("/api/v1/assessment/runs/99/summary", dict.fromkeys(ROLES, 404)),
        ("/api/v1/coverage?level=kecamatan", everyone),
        ("/api/v1/coverage?level=desa", everyone),
        ("/api/v1/programmes", everyone),
        ("/api/v1/programmes/pmt-baznas/beneficiaries", _expect(200, 403)),
        (
            "/api/v1/programmes/air-bersih/beneficiaries",
            {"admin": 200, "dppkb": 200, "baznas": 403, "desa": 200, "analis": 403, "auditor": 403},
        ),
        (f"/api/v1/villages/{f.village}", everyone),
        ("/api/v1/villages/64.08.99.9999", dict.fromkeys(ROLES, 404)),
        (
            "/api/v1/imports",
            {"admin": 200, "dppkb": 200, "baznas": 200, "desa": 200, "analis": 403, "auditor": 403},
        ),
        (
            "/api/v1/imports/1/report.xlsx",
            {"admin": 200, "dppkb": 200, "baznas": 404, "desa": 404, "analis": 403, "auditor": 403},
        ),
    ]


def test_page_matrix(client: TestClient, facts: Facts) -> None:
    matrix = page_matrix(facts)
    anonymous = {path: client.get(path, follow_redirects=False) for path, _ in matrix}
    for path, res in anonymous.items():
        assert res.status_code == 303 and res.headers["location"] == "/masuk", path
    got, want = {}, {}
    for user in ROLES:
        client.cookies.clear()
        login(client, user)
        for path, expected in matrix:
            got[(user, path)] = client.get(path, follow_redirects=False).status_code
            want[(user, path)] = expected[user]
    assert got == want


def test_api_matrix(client: TestClient, facts: Facts) -> None:
    matrix = api_matrix(facts)
    for path, _ in matrix:
        assert client.get(path).status_code == 401, path
    got, want = {}, {}
    for user in ROLES:
        headers = bearer(client, user)
        for path, expected in matrix:
            got[(user, path)] = client.get(path, headers=headers).status_code
            want[(user, path)] = expected[user]
    assert got == want


# Who may import which kind, by the upload page and by the API (a header-only file: the
# answer is about the door, not the rows). Agency officers load their beneficiary lists and
# the files their programmes name (pmt-baznas names none).
IMPORT_MATRIX = {
    kind: {
        "admin": 200,
        "dppkb": 200,
        "baznas": 200 if kind == "intervensi" else 403,
        "desa": 200 if kind == "verifikasi" else 403,
        "analis": 403,
        "auditor": 403,
    }
    for kind in ("keluarga", "p3ke", "eppgbm", "intervensi", "desa", "verifikasi")
}


def test_import_matrix(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sinergi.ingest.schema import KINDS

    def body(kind: str) -> dict[str, tuple[str, bytes, str]]:
        header = ",".join(c.header for c in KINDS[kind].columns if c.required)
        return {"file": (f"{kind}.csv", f"{header},Kode Desa\n".encode(), "text/csv")}

    for kind in IMPORT_MATRIX:
        assert client.post(f"/api/v1/imports/{kind}", files=body(kind)).status_code == 401
        res = client.post(
            "/impor",
            data={"kind": kind},
            files={"berkas": body(kind)["file"]},
            follow_redirects=False,
        )
        assert res.status_code == 303 and res.headers["location"] == "/masuk"
    got, want = {}, {}
    for user in ROLES:
        client.cookies.clear()
        csrf = login(client, user)
        headers = bearer(client, user)
        for kind, expected in IMPORT_MATRIX.items():
            page = client.post(
                "/impor", data={"kind": kind, "csrf": csrf}, files={"berkas": body(kind)["file"]}
            )
            api = client.post(f"/api/v1/imports/{kind}", files=body(kind), headers=headers)
            got[(user, kind)] = (page.status_code, api.status_code)
            want[(user, kind)] = (expected[user], expected[user])
    assert got == want


def test_named_lists_follow_role_and_area(client: TestClient, facts: Facts) -> None:
    head = facts.search_name
    for user, sees in (("desa", True), ("dppkb", True), ("analis", False), ("auditor", False)):
        client.cookies.clear()
        login(client, user)
        html = client.get(f"/desa/{facts.village}").text
        assert ("Daftar KRS desa" in html) is sees, user
        assert (head in client.get("/program/pmt-baznas").text) is sees, user
    # Another village is outside the village operator's area: not found, like its families.
    client.cookies.clear()
    login(client, "desa")
    other = client.get(f"/desa/{facts.other_village}")
    assert other.status_code == 404 and "Daftar KRS desa" not in other.text


def test_search_is_scoped(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        outside_name = conn.execute(
            select(families.c.nama_kepala).where(families.c.no_kk == facts.outside)
        ).scalar_one()
    csrf = login(client, "desa")
    found = client.post("/keluarga/cari", data={"q": outside_name, "csrf": csrf})
    assert IDS.encode(facts.outside) not in found.text
    found = client.post("/keluarga/cari", data={"q": facts.in_village, "csrf": csrf})
    assert IDS.encode(facts.in_village) in found.text
    api = client.get(
        "/api/v1/families", params={"q": outside_name}, headers=bearer(client, "desa")
    ).json()["data"]
    assert facts.outside not in {r["no_kk"] for r in api}
    api = client.get(
        "/api/v1/families", params={"q": outside_name}, headers=bearer(client, "dppkb")
    ).json()["data"]
    assert facts.outside in {r["no_kk"] for r in api}


def test_nik_is_masked_until_revealed_and_reveal_is_audited(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    from sinergi.store.tables import persons

    with app.state.engine.connect() as conn:
        niks = (
            conn.execute(select(persons.c.nik).where(persons.c.no_kk == facts.in_village))
            .scalars()
            .all()
        )
    assert niks
    fid = IDS.encode(facts.in_village)
    csrf = login(client, "desa")
    page = client.get(f"/keluarga/{fid}").text
    assert all(n not in page for n in niks)
    assert mask_nik(niks[0]) in page
    api = client.get(f"/api/v1/families/{facts.in_village}", headers=bearer(client, "desa")).json()
    assert {m["nik"] for m in api["anggota"]} == {mask_nik(n) for n in niks}
    assert client.post(f"/keluarga/{fid}/nik", data={}).status_code == 403  # no CSRF token
    shown = client.post(f"/keluarga/{fid}/nik", data={"csrf": csrf}).text
    assert all(n in shown for n in niks)
    with app.state.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.username, audit_log.c.kunci).where(audit_log.c.aksi == "tampil_nik")
        ).all()
    assert [tuple(r) for r in rows] == [("desa", facts.in_village)]
    # An agency officer may see the family but never the full NIKs.
    client.cookies.clear()
    csrf = login(client, "baznas")
    assert client.post(f"/keluarga/{fid}/nik", data={"csrf": csrf}).status_code == 403


def test_mask_nik() -> None:
    assert mask_nik("6408014501900012") == "6408••••••••0012"
    assert mask_nik(None) == "" and mask_nik("123") == "•••"


def test_family_ids_are_stable_opaque_and_unforgeable() -> None:
    token = IDS.encode("6408010101200001")
    assert token == IDS.encode("6408010101200001")
    assert "6408010101200001" not in token and IDS.decode(token) == "6408010101200001"
    assert FamilyIds(b"another secret").decode(token) is None
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert IDS.decode(tampered) is None
    assert IDS.decode("!!!") is None and IDS.decode("") is None


def test_family_ids_are_aes_siv_under_a_hkdf_key() -> None:
    """The id is exactly AES-SIV from `cryptography`, keyed by HKDF-SHA256 of the secret, in
    unpadded urlsafe base64: a maintained primitive, not a home-made cipher."""
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=None, info=b"sinergi FamilyIds AES-SIV"
    ).derive(SECRET)
    token = IDS.encode("6408010101200001")
    assert "=" not in token and set(token) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert AESSIV(key).decrypt(raw, [FamilyIds.CONTEXT]) == b"6408010101200001"


def test_tampered_family_ids_are_refused() -> None:
    import base64
    import os

    token = IDS.encode("6408010101200001")
    other = IDS.encode("6408010101200002")
    # Every single-character change, including those that only touch base64's spare bits in
    # the last character (the same bytes spelled differently must not be a second id).
    for i, original in enumerate(token):
        for c in "AEQgw059_-":
            if c != original:
                assert IDS.decode(token[:i] + c + token[i + 1 :]) is None, (i, c)
    for forged in (
        token[:-1],
        token + "A",
        token + "==",
        " " + token,
        token + "\n",
        token[:22] + other[22:],
        other[:22] + token[22:],
        token * 3,
        "A" * 10_000,
        base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="),
    ):
        assert IDS.decode(forged) is None, forged


@pytest.mark.parametrize(
    "code", ["pmt-baznas", "air-bersih", "blt-dd", "kb-tpk", "bedah-rumah", "pmt-dinkes"]
)
def test_eligibility_in_sql_agrees_with_the_programme(app, code: str) -> None:  # type: ignore[no-untyped-def]
    prog = load_programme(code)
    a = assessment_families.c
    with app.state.engine.connect() as conn:
        frame = read_frame(
            conn,
            select(
                a.no_kk,
                a.sasaran,
                a.faktor,
                a.temuan,
                a.krs,
                a.miskin_ekstrem,
                a.jumlah_balita,
                a.jumlah_balita_stunting,
            ).where(a.run_id == 1),
        )
        in_sql = set(
            conn.execute(
                select(a.no_kk).where(a.run_id == 1, to_sql(parse(prog.eligibility)))
            ).scalars()
        )
    assert in_sql == set(frame.loc[prog.eligible(frame), "no_kk"])


def test_agency_scope_is_its_programmes(app, facts: Facts) -> None:  # type: ignore[no-untyped-def]
    officer = User(0, "x", "instansi", (), ("pmt-baznas",))
    nobody = User(0, "y", "instansi", (), ())
    analyst = User(0, "z", "analis", (), ())
    f = families.c
    with app.state.engine.connect() as conn:
        seen = set(
            conn.execute(
                select(f.no_kk).where(family_clause(officer, f.no_kk, f.kode_desa, 1))
            ).scalars()
        )
        frame = read_frame(
            conn, select(assessment_families).where(assessment_families.c.run_id == 1)
        )
        assert not conn.execute(
            select(f.no_kk).where(family_clause(nobody, f.no_kk, f.kode_desa, 1))
        ).first()
        assert not conn.execute(
            select(f.no_kk).where(family_clause(analyst, f.no_kk, f.kode_desa, 1))
        ).first()
    eligible = set(frame.loc[load_programme("pmt-baznas").eligible(frame), "no_kk"])
    assert eligible <= seen and facts.in_village in seen and facts.outside not in seen


UNLINKED = ("anak_tidak_terdaftar", "anak_tidak_terhubung")


def test_dinkes_sees_its_unlinked_children_on_the_missed_list_baznas_does_not(
    client: TestClient, app
) -> None:  # type: ignore[no-untyped-def]
    """The health officer's own e-PPGBM children that link to no family, in its kecamatan, on
    /terlewat and in its export; an agency of other programmes (Baznas, PU, Perkim) sees none."""
    import io

    import openpyxl

    from sinergi.assess.missed import missed
    from sinergi.security.users import create_user
    from sinergi.web.paging import MAX_PER_PAGE
    from tests.web.conftest import PASSWORD

    everyone = missed(app.state.engine, 1, "id")
    unlinked = everyone[everyone["no_kk"].isna() & everyone["kode_alasan"].isin(UNLINKED)]
    assert len(unlinked), "the seeded regency has e-PPGBM children of no registered family"
    child = unlinked.iloc[0]
    kecamatan = child["kode_desa"][:8]
    create_user(app.state.engine, "dinkes", "instansi", [kecamatan], ["pmt-dinkes"], PASSWORD)
    for name, program in (("pu", "air-bersih"), ("perkim", "bedah-rumah")):
        create_user(app.state.engine, name, "instansi", [], [program], PASSWORD)
    ours = unlinked[unlinked["kode_desa"].str.startswith(kecamatan)]
    assert len(ours) < len(unlinked)  # some lie outside its area, and stay hidden from it
    expected = sorted(ours[["kode_alasan", "nama", "kode_desa"]].itertuples(index=False, name=None))

    def exported(csrf: str) -> list[dict[str, object]]:
        res = client.post("/terlewat/ekspor", data={"csrf": csrf, "daftar": "anak"})
        assert res.status_code == 200, res.text
        book = openpyxl.load_workbook(io.BytesIO(res.content))
        sheet = book.worksheets[0]
        header = [kamus_codes(book).get(c.value, c.value) for c in sheet[1]]
        return [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(2)]

    page = {"desa": child["kode_desa"], "a_per": str(MAX_PER_PAGE), "a_urut": "alasan"}
    for user, sees in (("dinkes", True), ("baznas", False), ("pu", False), ("perkim", False)):
        client.cookies.clear()
        csrf = login(client, user)
        html = client.get("/terlewat", params=page).text
        assert (f'<span class="tag">{child["kode_alasan"]}</span>' in html) is sees, user
        assert (child["nama"] in html) is sees, user
        rows = [r for r in exported(csrf) if not r["no_kk"] and r["kode_alasan"] in UNLINKED]
        got = sorted((r["kode_alasan"], r["nama"], r["kode_desa"]) for r in rows)
        assert got == (expected if sees else []), user
