"""No upload widens anyone's reach (issue 10, findings 1 and 2): the web upload, the API and the
CLI import pass one door that knows who imports — SQLite and PostgreSQL.

Each test plays the attack that was found and checks that nothing changed and that the answer
does not tell the uploader which numbers exist."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import and_, func, select

from sinergi.store.tables import (
    assessment_families,
    families,
    import_batches,
    interventions,
    persons,
    proposals,
)
from tests.helpers import KELUARGA_HEADER, person, write_csv
from tests.web.conftest import (
    INTERVENSI_HEADER,
    PASSWORD,
    Facts,
    api_upload,
    bearer,
    login,
    upload,
)

OUT_OF_REACH = "di luar jangkauan akun Anda"
NOBODY_KK = "6408010101999999"  # a well-formed No KK that no family has


def _add_user(app: Any, name: str, role: str, wilayah: list[str], program: list[str]) -> None:
    from sinergi.security.users import create_user

    create_user(app.state.engine, name, role, wilayah, program, PASSWORD)


def _one(app: Any, query: Any) -> Any:
    with app.state.engine.connect() as conn:
        return conn.execute(query).first()


def _list_row(
    kk: str,
    village: str,
    status: str = "Terverifikasi",
    program: str = "pmt-baznas",
    nik: str = "",
    keterangan: str = "",
) -> list[str]:
    return [program, kk, nik, "Penerima", village, "10/03/2026", status, "", keterangan]


def _reasons(html: str) -> list[str]:
    return re.findall(
        r'<tr class="sev-error">.*?</td><td>[^<]*</td><td>[^<]*</td>'
        r"<td>[^<]*</td><td>([^<]*)</td></tr>",
        html,
    )


def test_agency_list_cannot_reach_a_family_outside_its_scope(
    client: TestClient, app: Any, facts: Facts, tmp_path: Path
) -> None:
    """By No KK, by a member's NIK alone, or naming a KK nobody has: the same sentence, no list
    entry, no stored record, and the family stays a 404 for the agency."""
    with app.state.engine.connect() as conn:
        child_nik = (
            conn.execute(select(persons.c.nik).where(persons.c.no_kk == facts.outside))
            .scalars()
            .first()
        )
    assert child_nik
    csrf = login(client, "baznas")
    path = write_csv(
        tmp_path / "daftar.csv",
        INTERVENSI_HEADER,
        [
            _list_row(facts.outside, facts.other_village, "Tersalurkan"),
            _list_row("", facts.other_village, "Usulan", nik=child_nik),
            _list_row(NOBODY_KK, facts.other_village, "Usulan"),
        ],
    )
    res = upload(client, csrf, "intervensi", path)
    assert res.status_code == 200
    reasons = _reasons(res.text)
    assert len(reasons) == 3 and len(set(reasons)) == 1 and OUT_OF_REACH in reasons[0]
    assert _one(app, select(proposals.c.id).where(proposals.c.no_kk == facts.outside)) is None
    assert (
        _one(
            app,
            select(interventions.c.id).where(interventions.c.no_kk.in_([facts.outside, NOBODY_KK])),
        )
        is None
    )
    assert (
        client.get(
            f"/api/v1/families/{facts.outside}", headers=bearer(client, "baznas")
        ).status_code
        == 404
    )


def test_api_import_is_the_same_door(
    client: TestClient, app: Any, facts: Facts, tmp_path: Path
) -> None:
    headers = bearer(client, "baznas")
    path = write_csv(
        tmp_path / "api.csv",
        INTERVENSI_HEADER,
        [
            _list_row(facts.outside, facts.other_village, "Usulan"),
            _list_row(facts.in_village, facts.village, "Terverifikasi"),
        ],
    )
    res = api_upload(client, "intervensi", path, headers, as_of="2026-03-10")
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["rows_read"], body["rows_loaded"], body["rows_rejected"]) == (2, 1, 1)
    assert [(i["row"], i["code"]) for i in body["issues"]] == [(2, "impor_di_luar_jangkauan")]
    assert body["as_of"] == "2026-03-10"
    assert (
        _one(
            app,
            select(proposals.c.status).where(
                proposals.c.kode_program == "pmt-baznas", proposals.c.no_kk == facts.in_village
            ),
        ).status
        == "terverifikasi"
    )
    batch = _one(app, select(import_batches).where(import_batches.c.id == body["batch_id"]))
    assert (str(batch.as_of), batch.via, batch.imported_by) == ("2026-03-10", "api", "baznas")
    # The report and the import list are the uploader's.
    assert client.get(body["report"], headers=headers).status_code == 200
    assert [b["id"] for b in client.get("/api/v1/imports", headers=headers).json()["data"]] == [
        body["batch_id"]
    ]
    # A kind the role may not import, and a role that imports nothing.
    assert api_upload(client, "keluarga", path, headers).status_code == 403
    assert api_upload(client, "intervensi", path, bearer(client, "analis")).status_code == 403
    assert api_upload(client, "intervensi", path).status_code == 401


def test_new_beneficiary_enters_as_usulan_only(
    client: TestClient, app: Any, tmp_path: Path
) -> None:
    """A family eligible for the agency's programme may join its list, but as a proposal: a row
    that puts it straight at Tersalurkan is refused; dated rows may carry it step by step."""
    _add_user(app, "tunai", "instansi", [], ["bantuan-tunai-baznas"])
    a = assessment_families.c
    with app.state.engine.connect() as conn:
        kks = conn.execute(
            select(a.no_kk, a.kode_desa)
            .where(a.miskin_ekstrem.is_(True))
            .order_by(a.no_kk)
            .limit(2)
        ).all()
    (kk1, v1), (kk2, v2) = kks
    csrf = login(client, "tunai")
    path = write_csv(
        tmp_path / "tunai.csv",
        INTERVENSI_HEADER,
        [
            _list_row(kk1, v1, "Tersalurkan", "bantuan-tunai-baznas"),
            _list_row(kk2, v2, "Usulan", "bantuan-tunai-baznas"),
            [
                "bantuan-tunai-baznas",
                kk2,
                "",
                "Penerima",
                v2,
                "11/03/2026",
                "Terverifikasi",
                "",
                "",
            ],
        ],
    )
    res = upload(client, csrf, "intervensi", path)
    assert "baris pertamanya harus berstatus Usulan" in res.text
    status = {
        r.no_kk: r.status
        for r in _all(
            app,
            select(proposals.c.no_kk, proposals.c.status).where(
                proposals.c.kode_program == "bantuan-tunai-baznas"
            ),
        )
    }
    assert status == {kk2: "terverifikasi"}


def _all(app: Any, query: Any) -> list[Any]:
    with app.state.engine.connect() as conn:
        return conn.execute(query).all()


def _family_elsewhere(app: Any, kecamatan: str) -> tuple[str, str, list[str]]:
    """A family of two or more members in another kecamatan: (No KK, village, NIKs)."""
    with app.state.engine.connect() as conn:
        kk, village = conn.execute(
            select(families.c.no_kk, families.c.kode_desa)
            .join(persons, persons.c.no_kk == families.c.no_kk)
            .where(~families.c.kode_desa.startswith(kecamatan))
            .group_by(families.c.no_kk, families.c.kode_desa)
            .having(func.count() >= 2)
            .order_by(families.c.no_kk)
            .limit(1)
        ).one()
        niks = list(
            conn.execute(
                select(persons.c.nik).where(persons.c.no_kk == kk).order_by(persons.c.nik)
            ).scalars()
        )
    return kk, village, niks


def test_area_limited_dppkb_cannot_move_or_rewrite_another_area(
    client: TestClient, app: Any, facts: Facts, tmp_path: Path
) -> None:
    kecamatan = facts.village[:8]
    _add_user(app, "dppkb_kec", "dppkb", [kecamatan], [])
    kk, village, (nik, nik2, *_) = _family_elsewhere(app, kecamatan)
    fam = ["", "Jl. Baru 1", "001", "001", "Ledeng/PAM", "Jamban Sendiri dengan Septic Tank", "Ya"]
    inside = [facts.village, *fam[1:]]
    outside = [village, *fam[1:]]
    prefix = facts.village.replace(".", "")[:6]
    new_kk, new_kk2 = prefix + "0101990001", prefix + "0101990002"
    rows = [
        # another kecamatan's family moved into the area (or its address rewritten)
        person(kk, nik, "Pindah Paksa", "L", "01/01/1980", "Kepala Keluarga", fam=inside),
        # a new family registered in a village outside the area
        person(
            new_kk2,
            prefix + "0101829001",
            "Warga Luar",
            "L",
            "01/01/1982",
            "Kepala Keluarga",
            fam=outside,
        ),
        # another area's person moved into a family of the area
        person(new_kk, nik2, "Curi NIK", "L", "01/01/1980", "Anak", fam=inside),
        # a good row: a new family of the area
        person(
            new_kk,
            prefix + "0101810002",
            "Warga Baru",
            "L",
            "01/01/1981",
            "Kepala Keluarga",
            fam=inside,
        ),
    ]
    before = _one(app, select(families).where(families.c.no_kk == kk))
    csrf = login(client, "dppkb_kec")
    res = upload(client, csrf, "keluarga", write_csv(tmp_path / "kk.csv", KELUARGA_HEADER, rows))
    assert res.status_code == 200
    assert res.text.count(OUT_OF_REACH) >= 3
    after = _one(app, select(families).where(families.c.no_kk == kk))
    assert (after.kode_desa, after.alamat) == (before.kode_desa, before.alamat)
    assert _one(app, select(persons.c.no_kk).where(persons.c.nik == nik)).no_kk == kk
    assert _one(app, select(persons.c.no_kk).where(persons.c.nik == nik2)).no_kk == kk
    assert _one(app, select(families.c.no_kk).where(families.c.no_kk == new_kk2)) is None
    assert (
        _one(app, select(families.c.kode_desa).where(families.c.no_kk == new_kk)).kode_desa
        == facts.village
    )  # the good row loaded
    # Rejecting another area's beneficiary through a list.
    p = proposals.c
    theirs = _one(
        app,
        select(p.no_kk, p.kode_desa, p.status).where(
            p.kode_program == "pmt-baznas", ~p.kode_desa.startswith(kecamatan)
        ),
    )
    if theirs is not None:
        res = upload(
            client,
            csrf,
            "intervensi",
            write_csv(
                tmp_path / "tolak.csv",
                INTERVENSI_HEADER,
                [_list_row(theirs.no_kk, theirs.kode_desa, "Ditolak", keterangan="pindah")],
            ),
        )
        assert OUT_OF_REACH in res.text
        assert (
            _one(
                app, select(p.status).where(p.kode_program == "pmt-baznas", p.no_kk == theirs.no_kk)
            ).status
            == theirs.status
        )
    # Other offices' batches and reports stay out of sight.
    html = client.get("/impor").text
    shown = set(re.findall(r'href="/impor/(\d+)/laporan\.xlsx"', html))
    with app.state.engine.connect() as conn:
        mine = {
            str(i)
            for i in conn.execute(
                select(import_batches.c.id).where(import_batches.c.imported_by == "dppkb_kec")
            ).scalars()
        }
    assert shown == mine and "1" not in shown
    assert client.get("/impor/1/laporan.xlsx").status_code == 404


def test_village_facts_only_from_public_works_within_its_area(
    client: TestClient, app: Any, facts: Facts, tmp_path: Path
) -> None:
    from sinergi.store.tables import village_facts

    header = ["Kode Desa", "Jaringan Air Bersih", "Tahun", "Sambungan Rumah"]
    _, elsewhere, _ = _family_elsewhere(app, facts.village[:8])
    before = _one(app, select(village_facts).where(village_facts.c.kode_desa == elsewhere))
    path = write_csv(
        tmp_path / "desa.csv",
        header,
        [
            [facts.village, "Beroperasi", "2026", "10"],
            [elsewhere, "Beroperasi", "2026", "99"],
        ],
    )
    csrf = login(client, "baznas")
    assert upload(client, csrf, "desa", path).status_code == 403  # not Baznas's file
    _add_user(app, "pu_kec", "instansi", [facts.village[:8]], ["air-bersih"])
    client.cookies.clear()
    csrf = login(client, "pu_kec")
    res = upload(client, csrf, "desa", path)
    assert res.status_code == 200 and OUT_OF_REACH in res.text
    after = _one(app, select(village_facts).where(village_facts.c.kode_desa == elsewhere))
    assert after == before
    mine = _one(app, select(village_facts).where(village_facts.c.kode_desa == facts.village))
    assert (mine.jaringan_air, mine.sambungan_rumah) == ("beroperasi", 10)


def test_cli_import_is_the_administrators_and_loads_what_a_narrower_user_could_not(
    client: TestClient, app: Any, facts: Facts, tmp_path: Path, seeded: Any
) -> None:
    """The same file: refused rows for an area-limited officer, loaded by the administrator's
    CLI afterwards (“already imported” is per importer), with the data date recorded."""
    kecamatan = facts.village[:8]
    _add_user(app, "dppkb_kec", "dppkb", [kecamatan], [])
    kk, village, (nik, *_) = _family_elsewhere(app, kecamatan)
    fam = [
        village,
        "Jl. Lama 9",
        "002",
        "003",
        "Ledeng/PAM",
        "Jamban Sendiri dengan Septic Tank",
        "Ya",
    ]
    path = write_csv(
        tmp_path / "luar.csv",
        KELUARGA_HEADER,
        [person(kk, nik, "Nama Benar", "L", "01/01/1980", "Kepala Keluarga", fam=fam)],
    )
    csrf = login(client, "dppkb_kec")
    assert OUT_OF_REACH in upload(client, csrf, "keluarga", path).text
    # Dated today: the seeded roster was imported today, and an older file would keep its values.
    today = date.today().isoformat()
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "sinergi"),
            "import",
            "keluarga",
            str(path),
            "--as-of",
            today,
            "--db",
            seeded[0],
            "--laporan",
            str(tmp_path / "laporan"),
        ],
        capture_output=True,
        text=True,
        env={"SINERGI_USER": "admin-server", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "sudah pernah" not in done.stdout, done.stdout
    assert _one(app, select(families.c.alamat).where(families.c.no_kk == kk)).alamat == "Jl. Lama 9"
    batch = _one(app, select(import_batches).where(import_batches.c.imported_by == "admin-server"))
    assert (str(batch.as_of), batch.via) == (today, "cli")


def test_roles_set_only_their_statuses(client: TestClient, app: Any, facts: Facts) -> None:
    """A village operator verifies or rejects; approving is not its step (page and API)."""
    from sinergi.security.access import FamilyIds
    from tests.web.conftest import SECRET

    fid = FamilyIds(SECRET).encode(facts.in_village)
    csrf = login(client, "desa")
    before = _one(
        app,
        select(proposals.c.status, proposals.c.versi).where(
            proposals.c.kode_program == "pmt-baznas", proposals.c.no_kk == facts.in_village
        ),
    )
    res = client.post(
        "/program/pmt-baznas/status",
        data={"csrf": csrf, "pilih": f"{fid}:{before.versi}", "ke": "disetujui"},
    )
    assert "tidak boleh mengubah status" in res.text
    res = client.post(
        f"/api/v1/programmes/pmt-baznas/beneficiaries/{facts.in_village}/status",
        headers=bearer(client, "desa"),
        json={"status": "disetujui"},
    )
    assert res.status_code == 403
    after = _one(
        app,
        select(proposals.c.status, proposals.c.versi).where(
            proposals.c.kode_program == "pmt-baznas", proposals.c.no_kk == facts.in_village
        ),
    )
    assert tuple(after) == tuple(before)
    with app.state.engine.connect() as conn:
        assert (
            conn.execute(
                select(func.count())
                .select_from(proposals)
                .where(and_(proposals.c.status == "disetujui", proposals.c.updated_by == "desa"))
            ).scalar()
            == 0
        )
