"""What an officer does on the pages and through the API: figures, map data, family page,
beneficiary workflow (single, bulk, conflicts), exports, imports with a validation report,
language switch, accounts — SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select

from sinergi.reports.tables import kamus_codes
from sinergi.security.access import FamilyIds
from sinergi.store.tables import assessment_runs, audit_log, proposals, users
from tests.helpers import KELUARGA_HEADER, clean_family, write_csv
from tests.stored import insert_proposal
from tests.web.conftest import (
    SECRET,
    Facts,
    agency_list_with_errors,
    bearer,
    login,
    login_form,
    upload,
)

IDS = FamilyIds(SECRET)


def _audit(app, aksi: str) -> list:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        return conn.execute(
            select(audit_log).where(audit_log.c.aksi == aksi).order_by(audit_log.c.id)
        ).all()


def _proposal(app, no_kk: str) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        row = conn.execute(
            select(proposals.c.status, proposals.c.versi).where(
                proposals.c.kode_program == "pmt-baznas", proposals.c.no_kk == no_kk
            )
        ).one()
    return row.status, row.versi


def test_dashboard_shows_the_run_and_published_figures(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    login(client, "analis")
    with app.state.engine.connect() as conn:
        krs = conn.execute(select(assessment_runs.c.krs)).scalar_one()
    html = client.get("/").text
    shown = re.search(r'data-key="krs">([^<]+)<', html).group(1)
    assert int(shown.replace(".", "")) == krs
    assert "11.973" in html  # the published Kutai Timur KRS figure beside ours
    assert "<svg" in html  # trend chart
    client.cookies.set("lang", "en")
    en = client.get("/").text
    assert "Regency dashboard" in en and "Dasbor kabupaten" not in en


def test_map_data_covers_every_village(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    login(client, "auditor")
    data = client.get("/peta/data.json").json()
    assert len(data["desa"]) == 141
    with app.state.engine.connect() as conn:
        krs = conn.execute(select(assessment_runs.c.krs)).scalar_one()
    assert sum(d["krs"] for d in data["desa"]) == krs
    assert set(data["label"]) == {
        "krs",
        "prevalensi_stunting_pct",
        "konvergensi_pct",
        "jaringan_air",
    }
    shapes = client.get("/peta/desa.geojson")
    assert "max-age" in shapes.headers["cache-control"]
    codes = {f["properties"]["kode"] for f in shapes.json()["features"]}
    assert codes == {d["kode_desa"] for d in data["desa"]}


def test_family_page_explains_the_factors(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    login(client, "dppkb")
    html = client.get(f"/keluarga/{IDS.encode(facts.in_village)}").text
    assert facts.search_name in html
    fired = re.findall(r'data-factor="([a-z_0-9]+)"', html)
    assert fired  # a pmt-baznas beneficiary is KRS: at least one factor fired
    assert "Keluarga berisiko stunting (KRS)" in html
    assert "<svg" in html  # a stunted child's growth chart
    # Each fired factor carries its explanation; the timeline shows the allocation's proposal.
    items = re.findall(r'<li data-factor="[a-z_0-9]+"><strong>[^<]+</strong> — ([^<]+)</li>', html)
    assert len(items) == len(fired)
    assert "Paket PMT Baznas" in html or "pmt-baznas" in html
    assert "→ usulan" in html
    views = _audit(app, "lihat")
    assert any(r.objek == "keluarga" and r.kunci == facts.in_village for r in views)


def test_search_by_name_with_htmx(client: TestClient, facts: Facts) -> None:
    csrf = login(client, "baznas")
    res = client.post(
        "/keluarga/cari",
        data={"q": facts.search_name.split()[0]},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert res.status_code == 200 and "<html" not in res.text  # a fragment for htmx
    assert f"/keluarga/{IDS.encode(facts.in_village)}" in res.text
    assert facts.in_village not in res.text  # the No KK is not in the results' links


def test_village_operator_moves_a_beneficiary_through_the_workflow(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "desa")
    fid = IDS.encode(facts.in_village)
    status, versi = _proposal(app, facts.in_village)
    assert status == "usulan"
    res = client.post(
        "/program/pmt-baznas/status",
        data={"pilih": f"{fid}:{versi}", "ke": "terverifikasi"},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert res.status_code == 200 and "1 penerima diubah ke status Terverifikasi" in res.text
    assert _proposal(app, facts.in_village) == ("terverifikasi", versi + 1)
    # The same form sent again with the version it was rendered with: a conflict, not an
    # overwrite, and the message names who changed it.
    res = client.post(
        "/program/pmt-baznas/status",
        data={"pilih": f"{fid}:{versi}", "ke": "disetujui", "csrf": csrf},
    )
    assert "desa" in res.text and _proposal(app, facts.in_village)[0] == "terverifikasi"
    # A jump the workflow does not allow is refused with its reason.
    res = client.post(
        "/program/pmt-baznas/status",
        data={"pilih": f"{fid}:{versi + 1}", "ke": "tersalurkan", "csrf": csrf},
    )
    assert "0 penerima diubah" in res.text
    assert _proposal(app, facts.in_village)[0] == "terverifikasi"
    changes = _audit(app, "ubah_status")
    assert len(changes) == 1 and changes[0].username == "desa"
    assert changes[0].rincian["lama"]["status"] == "usulan"
    assert changes[0].rincian["baru"]["status"] == "terverifikasi"
    # A family outside the operator's village cannot be moved even with a valid id.
    res = client.post(
        "/program/pmt-baznas/status",
        data={"pilih": f"{IDS.encode(facts.outside)}:1", "ke": "terverifikasi", "csrf": csrf},
    )
    assert "tidak ditemukan dalam wilayah Anda" in res.text


def test_bulk_status_change(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "dppkb")
    with app.state.engine.connect() as conn:
        rows = conn.execute(
            select(proposals.c.no_kk, proposals.c.versi)
            .where(proposals.c.kode_program == "pmt-baznas")
            .order_by(proposals.c.no_kk)
            .limit(3)
        ).all()
    picked = [f"{IDS.encode(r.no_kk)}:{r.versi}" for r in rows]
    res = client.post(
        "/program/pmt-baznas/status",
        data={"pilih": picked, "ke": "ditolak", "alasan_tolak": "pindah", "csrf": csrf},
    )
    assert "3 penerima diubah ke status Ditolak" in res.text
    assert {_proposal(app, r.no_kk)[0] for r in rows} == {"ditolak"}


def test_status_change_with_evidence(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    from sinergi.store.tables import evidence, proposal_events

    csrf = login(client, "desa")
    _, versi = _proposal(app, facts.in_village)
    res = client.post(
        "/program/pmt-baznas/status",
        data={
            "pilih": f"{IDS.encode(facts.in_village)}:{versi}",
            "ke": "terverifikasi",
            "csrf": csrf,
        },
        files={"bukti": ("berita-acara.pdf", b"%PDF-1.4 musdes", "application/pdf")},
    )
    assert "1 penerima diubah" in res.text
    with app.state.engine.connect() as conn:
        stored = conn.execute(
            select(evidence.c.id, evidence.c.nama_berkas, evidence.c.diunggah_oleh)
        ).all()
        linked = (
            conn.execute(
                select(proposal_events.c.evidence_id).where(proposal_events.c.ke == "terverifikasi")
            )
            .scalars()
            .all()
        )
    assert [(s.nama_berkas, s.diunggah_oleh) for s in stored] == [("berita-acara.pdf", "desa")]
    assert linked == [stored[0].id]


def test_export_is_scoped_and_audited(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "desa")
    assert client.post("/program/pmt-baznas/ekspor", data={}).status_code == 403
    res = client.post("/program/pmt-baznas/ekspor", data={"csrf": csrf})
    assert res.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(res.content))
    sheet = book["Penerima"]
    header = [kamus_codes(book).get(c.value, c.value) for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(2)]
    assert rows and {r["kode_desa"] for r in rows} == {facts.village}
    assert facts.in_village in {r["no_kk"] for r in rows}
    exports = _audit(app, "ekspor")
    assert len(exports) == 1 and exports[0].rincian["baris"] == len(rows)


def test_agency_officer_imports_a_file_with_errors_and_downloads_the_report(
    client: TestClient, app, facts: Facts, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "baznas")
    path = agency_list_with_errors(
        tmp_path / "pmt_baznas_maret.csv", facts.in_village, facts.village
    )
    res = upload(client, csrf, "intervensi", path, as_of="2026-03-10")
    assert res.status_code == 200
    assert "Tanggal tidak dikenali" in res.text
    # The good row moved the family along the workflow, as the agency reported.
    assert _proposal(app, facts.in_village)[0] == "terverifikasi"
    link = re.search(r'href="(/impor/(\d+)/laporan\.xlsx)"', res.text)
    assert link
    report = client.get(link.group(1))
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["berkas", "sheet", "baris", "kolom"]
    assert [(r[2].value, r[3].value) for r in sheet.iter_rows(2)] == [(3, "Tanggal")]
    assert [r.aksi for r in _audit(app, "impor")] == ["impor"]
    assert _audit(app, "ekspor")[-1].objek == "laporan_impor"
    # The family registry itself is not an agency officer's to load.
    roster = write_csv(tmp_path / "keluarga.csv", KELUARGA_HEADER, clean_family())
    refused = upload(client, csrf, "keluarga", roster)
    assert refused.status_code == 403
    # The admin can open any officer's report.
    client.cookies.clear()
    login(client, "admin")
    assert client.get(link.group(1)).status_code == 200


def test_language_switch_and_no_open_redirect(client: TestClient) -> None:
    login(client, "analis")
    res = client.get("/bahasa/en", params={"kembali": "/program"}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/program"
    assert client.get("/program").text.count("Programmes") >= 1
    res = client.get("/bahasa/id", params={"kembali": "//evil.example"}, follow_redirects=False)
    assert res.headers["location"] == "/"
    assert "Program" in client.get("/program").text


def test_api_status_change_conflict_and_invalid_transition(
    client: TestClient, facts: Facts, app
) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(client, "baznas")
    url = f"/api/v1/programmes/pmt-baznas/beneficiaries/{facts.in_village}/status"
    _, versi = _proposal(app, facts.in_village)
    res = client.post(url, json={"status": "terverifikasi", "versi": versi}, headers=headers)
    assert res.status_code == 200 and res.json()["versi"] == versi + 1
    res = client.post(url, json={"status": "disetujui", "versi": versi}, headers=headers)
    assert res.status_code == 409
    res = client.post(url, json={"status": "tersalurkan"}, headers=headers)
    assert res.status_code == 422 and "terverifikasi" in res.json()["detail"][0]["msg"]
    res = client.post(
        f"/api/v1/programmes/pmt-baznas/beneficiaries/{facts.outside}/status",
        json={"status": "terverifikasi"},
        headers=headers,
    )
    assert res.status_code == 404
    assert _audit(app, "ubah_status")[0].rincian["sumber"] == "api"


def test_admin_manages_accounts(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    csrf = login(client, "admin")
    res = client.post(
        "/pengguna",
        data={"username": "petugas.pu", "role": "instansi", "program": "air-bersih", "csrf": csrf},
    )
    password = re.search(r'<code class="secret">([^<]+)</code>', res.text).group(1)
    bad = client.post("/pengguna", data={"username": "x", "role": "desa", "csrf": csrf})
    assert bad.status_code == 400 and "kode desa" in bad.text
    with app.state.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == "petugas.pu")).one()
    assert row.password_hash.startswith("$argon2id$") and password not in row.password_hash
    other = TestClient(app)
    login(other, "petugas.pu", password)
    res = client.post(f"/pengguna/{row.id}/aktif", data={"aktif": "0", "csrf": csrf})
    assert res.status_code == 200
    assert other.get("/", follow_redirects=False).status_code == 303  # its session ended
    assert other.post("/masuk", data=login_form(other, "petugas.pu", password)).status_code == 401
    changes = [r for r in _audit(app, "ubah") if r.objek == "pengguna"]
    assert changes[-1].rincian == {"lama": {"aktif": True}, "baru": {"aktif": False}}


def test_audit_page_filters(client: TestClient) -> None:
    login(client, "admin")
    client.cookies.clear()
    login(client, "auditor")
    html = client.get("/audit", params={"pengguna": "admin", "aksi": "login"}).text
    rows = re.findall(r"<tr><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td>", html)
    assert rows and set(rows) == {("admin", "login")}


def test_unexpected_error_gives_a_reference_not_a_traceback(app, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from sinergi.web import queries

    def broken(_engine):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    client = TestClient(app, raise_server_exceptions=False)
    login(client, "analis")
    monkeypatch.setattr(queries, "latest_run", broken)
    res = client.get("/")
    assert res.status_code == 500 and "boom" not in res.text and "Traceback" not in res.text
    ref = re.search(r"rujukan ([0-9a-f]{8})", res.text).group(1)
    assert any(ref in r.getMessage() for r in caplog.records)


def test_family_programme_page_shows_allocation_and_scenarios(client: TestClient) -> None:
    """Aggregates only: an analyst sees the optimiser beside the greedy rule and the budget
    chart of a family programme, but no beneficiary names."""
    login(client, "analis")
    page = client.get("/program/pmt-dinkes")
    assert page.status_code == 200
    html = page.text
    assert "Terjangkau" in html or "terjangkau" in html
    assert html.count("<svg") >= 1 and "<script" not in html.split("</header>")[-1]
    assert 'id="beneficiaries"' not in html  # the named list is not for analysts


def test_conflicts_are_flagged_on_the_programme_list(client: TestClient, facts: Facts, app) -> None:  # type: ignore[no-untyped-def]
    """A family listed twice (two periods, both active) is flagged on the agency's own list."""

    with app.state.engine.begin() as conn:
        row = (
            conn.execute(
                select(proposals).where(
                    proposals.c.kode_program == "pmt-baznas", proposals.c.no_kk == facts.in_village
                )
            )
            .mappings()
            .first()
        )
        assert row is not None
        insert_proposal(
            conn,
            "pmt-baznas",
            facts.in_village,
            row["kode_desa"],
            row["run_id"],
            "disetujui",
            "2025",
            biaya=1,
        )
    login(client, "dppkb")
    html = client.get("/program/pmt-baznas").text
    assert "bentrok dengan program lain" in html
    assert "ganda: pmt-baznas 2025: disetujui · 2026: " in html


def test_agency_officer_moves_only_its_own_programmes(
    client: TestClient, app, facts: Facts, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import INTERVENSI_HEADER

    csrf = login(client, "baznas")  # an officer of pmt-baznas only
    path = write_csv(
        tmp_path / "campur.csv",
        INTERVENSI_HEADER,
        [
            [
                "pmt-baznas",
                facts.in_village,
                "",
                "Penerima",
                facts.village,
                "10/03/2026",
                "Terverifikasi",
                "",
                "",
            ],
            [
                "blt-dd",
                facts.in_village,
                "",
                "Penerima",
                facts.village,
                "10/03/2026",
                "Tersalurkan",
                "3600000",
                "",
            ],
        ],
    )
    res = upload(client, csrf, "intervensi", path)
    assert res.status_code == 200
    assert "bukan milik instansi Anda" in res.text
    assert _proposal(app, facts.in_village)[0] == "terverifikasi"
    with app.state.engine.connect() as conn:
        other = conn.execute(
            select(proposals).where(
                proposals.c.kode_program == "blt-dd", proposals.c.no_kk == facts.in_village
            )
        ).first()
    assert other is None  # the other agency's list is untouched
