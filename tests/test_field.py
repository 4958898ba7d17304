"""Offline field forms: the XLSForm as designed, its choice files scoped and masked, and ODK
Central's export of its submissions importing unchanged — pushed and pulled through pyodk against
a fake Central server on loopback (`tests.fake_odk_central`)."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.field.form import (
    REPEAT_COLUMNS,
    FieldError,
    check,
    definition,
    form_id,
    write_form,
)
from sinergi.ingest.schema import EPPGBM, VERIFIKASI
from sinergi.ingest.validate import map_header
from sinergi.security.auth import User, server_user
from sinergi.security.imports import import_as
from sinergi.store.tables import audit_log, families, measurements, verifications
from tests.fake_odk_central import FakeCentral, export_zip
from tests.helpers import FAM, KELUARGA_HEADER, person, write_csv

runner = CliRunner()

DESA = "64.08.01.2001"
OTHER = "64.08.02.2001"
KK1, KK2, KK3, KK4 = (f"640801010120000{i}" for i in (1, 2, 3, 4))
HEAD1, CHILD1 = "6408010101880002", "6408015005240004"
X = "{http://www.w3.org/2002/xforms}"


def _roster(tmp_path: Path) -> Path:
    """Village DESA: KK1 (a couple, a 6-year-old and a girl under five), KK3 (moved away: left
    out) and KK4; the other village: KK2 with a child under five (never in DESA's files)."""
    other = [OTHER, *FAM[1:]]
    rows = [
        person(KK1, HEAD1, "Budi Santoso", "L", "01/01/1988", "Kepala Keluarga"),
        person(KK1, "6408014501900001", "Siti Aminah", "P", "05/01/1990", "Istri", kb="Suntik"),
        person(KK1, "6408011503200003", "Ahmad Budi", "L", "15/03/2020", "Anak", "Belum Kawin"),
        person(KK1, CHILD1, "Nur Aini", "P", "10/05/2024", "Anak", "Belum Kawin"),
        person(
            KK2, "6408020101850001", "Joko Lain", "L", "01/01/1985", "Kepala Keluarga", fam=other
        ),
        person(
            KK2,
            "6408020101240002",
            "Anak Lain",
            "L",
            "01/01/2024",
            "Anak",
            "Belum Kawin",
            fam=other,
        ),
        person(KK3, "6408010101700001", "Pindahan Lama", "L", "01/01/1970", "Kepala Keluarga"),
        person(KK4, "6408010101750001", "Rahmat Hidayat", "L", "01/01/1975", "Kepala Keluarga"),
    ]
    return write_csv(tmp_path / "keluarga.csv", KELUARGA_HEADER, rows)


def _registry(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = import_as(engine, server_user("tester"), "keluarga", _roster(tmp_path))
    assert result.rows_rejected == 0
    with engine.begin() as conn:
        conn.execute(
            families.update().where(families.c.no_kk == KK3).values(keluar=date(2026, 1, 5))
        )


def _xpath(text: str) -> str:
    """An expression as pyxform writes it, with its doubled spaces made single."""
    return " ".join(text.split())


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the form as designed -----------------------------------------------------------------------


def test_xlsform_converts_to_the_designed_xform() -> None:
    xform, warnings = check(definition(DESA, "Sangatta", "202612010900"))
    assert warnings == []
    root = ET.fromstring(xform)
    binds = {b.get("nodeset"): b.attrib for b in root.iter(f"{X}bind")}
    data = root.find(f".//{X}instance/{X}data")
    assert data is not None and data.get("id") == "verifikasi_6408012001"
    main = [c.tag.removeprefix(X) for c in data if c.tag.removeprefix(X) not in ("ukur", "meta")]
    # The main table's columns are exactly the verifikasi kind's, by their snake_case names.
    assert sorted(main) == sorted(c.name for c in VERIFIKASI.columns)
    repeat = data.find(f"{X}ukur")
    assert repeat is not None
    assert [c.tag.removeprefix(X) for c in repeat] == ["anak", *REPEAT_COLUMNS]
    # Each repeat column is an eppgbm column, and together they hold every required one.
    found, extra = map_header(list(REPEAT_COLUMNS), EPPGBM)
    assert extra == [] and {c.name for c in EPPGBM.columns if c.required} <= set(found)
    assert set(found) | {"kode_desa"} >= {"nik_anak", "no_kk", "berat", "tinggi", "lila"}

    assert (
        _xpath(binds["/data/nik"]["relevant"])
        == "/data/hasil = 'meninggal' or /data/hasil = 'koreksi'"
    )
    assert _xpath(binds["/data/nik"]["required"]) == "/data/hasil = 'meninggal'"
    assert _xpath(binds["/data/kolom"]["relevant"]) == "/data/hasil = 'koreksi'"
    assert "'pindah'" in binds["/data/nilai_baru"]["relevant"]
    assert (
        _xpath(binds["/data/ukur"]["relevant"]) == "/data/hasil = 'ada' or /data/hasil = 'koreksi'"
    )
    assert binds["/data/ukur/berat"]["constraint"] == ". >= 1 and . <= 30"
    assert binds["/data/ukur/tinggi"]["constraint"] == ". >= 40 and . <= 125"
    assert binds["/data/ukur/lila"]["constraint"] == ". >= 8 and . <= 25"
    assert binds["/data/tanggal"]["constraint"] == ". <= today()"
    assert (
        "instance('anak')/root/item[name =  current()/../anak ]/nik"
        in binds["/data/ukur/nik_anak"]["calculate"]
    )
    assert binds["/data/ukur/kode_desa"]["calculate"] == f"'{DESA}'"
    # Today's date as the default of both dates.
    defaults = {s.get("ref"): s.get("value") for s in root.iter(f"{X}setvalue")}
    assert defaults["/data/tanggal"] == "today()" == defaults["/data/ukur/tanggal_ukur"]

    nodesets = " ".join(str(s.get("nodeset")) for s in root.iter(f"{X}itemset"))
    assert "instance('keluarga')/root/item" in nodesets
    assert "instance('anggota')/root/item[no_kk =  /data/no_kk ]" in nodesets
    assert "instance('anak')/root/item[no_kk =  /data/no_kk ]" in nodesets
    assert "tingkat = 'anggota', tingkat = 'keluarga'" in nodesets
    sources = {i.get("id"): i.get("src") for i in root.iter(f"{X}instance") if i.get("src")}
    assert sources == {
        "keluarga": "jr://file-csv/keluarga.csv",
        "anggota": "jr://file-csv/anggota.csv",
        "anak": "jr://file-csv/anak.csv",
    }
    hasil = [
        i.findtext(f"{X}name") for i in root.find(f".//{X}instance[@id='hasil']").iter(f"{X}item")
    ]  # type: ignore[union-attr]
    assert hasil == ["ada", "pindah", "meninggal", "tidak_ditemukan", "koreksi"]
    # Every label is a sentence of the catalogue in both languages (not a bare code).
    assert "lapangan_" not in xform
    # The Indonesian labels come first (the default language), English beside them.
    langs = [tr.get("lang") for tr in root.iter(f"{X}translation")]
    assert langs == ["Bahasa Indonesia (id)", "English (en)"]


def test_a_form_pyxform_refuses_is_refused() -> None:
    sheets = definition(DESA, "Sangatta", "1")
    sheets["survey"][1]["relevant"] = "${tidak_ada} = 'x'"
    with pytest.raises(FieldError) as info:
        check(sheets)
    assert info.value.code == "lapangan_xlsform_salah" and "tidak_ada" in info.value.message("id")


# --- the choice files: scope, masking, audit -----------------------------------------------------


def test_choice_files_hold_the_village_only_masked_and_audited(engine, tmp_path: Path) -> None:
    _registry(engine, tmp_path)
    files = write_form(
        engine, server_user("tester"), "6408012001", tmp_path / "f", date(2026, 12, 1)
    )
    assert files.form.name == "verifikasi_6408012001.xlsx"
    assert [p.name for p in files.attachments] == ["keluarga.csv", "anggota.csv", "anak.csv"]
    fams = _csv(tmp_path / "f" / "keluarga.csv")
    # Only this village's current families: KK2 is elsewhere, KK3 moved away.
    assert [f["name"] for f in fams] == [KK1, KK4]
    assert fams[0]["label"] == "Budi Santoso · RT 001/RW 002"
    members = _csv(tmp_path / "f" / "anggota.csv")
    assert {m["no_kk"] for m in members} == {KK1, KK4} and len(members) == 5
    for m in members:
        assert m["name"] not in m["label"] and "••••" in m["label"]
    children = _csv(tmp_path / "f" / "anak.csv")
    # The 6-year-old is not an under-five; the other village's child is not here.
    assert children == [
        {
            "name": CHILD1,
            "label": "Nur Aini (2 th 6 bl)",
            "no_kk": KK1,
            "nik": CHILD1,
            "nama": "Nur Aini",
            "jk": "P",
            "lahir": "2024-05-10",
        }
    ]
    raw = (tmp_path / "f" / "keluarga.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM: Collect reads the header as written
    with engine.connect() as conn:
        entry = conn.execute(
            select(audit_log).where(audit_log.c.objek == "formulir_lapangan")
        ).one()
    assert entry.aksi == "ekspor" and entry.kunci == DESA and entry.username == "tester"
    assert entry.rincian["keluarga"] == 2 and entry.rincian["anak"] == 1


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        (User(5, "desa1", "desa", (DESA,), ()), True),
        (User(6, "desa2", "desa", (OTHER,), ()), False),
        (User(7, "pu", "instansi", (), ("air-bersih",)), False),
        (User(8, "analis", "analis", (), ()), False),
    ],
)
def test_only_a_role_with_the_villages_names_and_niks_may_write_it(
    sqlite_url: str, tmp_path: Path, user: User, allowed: bool
) -> None:
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(sqlite_url)
    _registry(engine, tmp_path)
    out = tmp_path / "f"
    if allowed:
        assert write_form(engine, user, DESA, out).families == 2
        return
    with pytest.raises(FieldError) as info:
        write_form(engine, user, DESA, out)
    assert info.value.code == "lapangan_tidak_berhak"
    assert not out.exists()


def test_cli_form_and_its_refusals(sqlite_url: str, tmp_path: Path) -> None:
    from sinergi.store.db import ensure_schema

    _registry(ensure_schema(sqlite_url), tmp_path)
    out = tmp_path / "form"
    res = runner.invoke(
        app, ["field", "form", "--desa", DESA, "--out", str(out), "--db", sqlite_url]
    )
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())  # as the terminal's width wrapped it
    assert "verifikasi_6408012001.xlsx" in said and "2 keluarga" in said
    assert (out / "verifikasi_6408012001.xlsx").exists()
    res = runner.invoke(
        app, ["field", "form", "--desa", "64.08.01.9999", "--out", str(out), "--db", sqlite_url]
    )
    assert res.exit_code != 0
    assert "64.08.01.9999" in str(res.exception) and "tidak ada di registri" in str(res.exception)


# --- ODK Central: push, pull, import ------------------------------------------------------------


@pytest.fixture
def central(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeCentral("operator@kutaitimur.go.id", "rahasia-lapangan") as fake:
        config = tmp_path / "pyodk_config.toml"
        config.write_text(
            "[central]\n"
            f'base_url = "{fake.url}"\n'
            'username = "operator@kutaitimur.go.id"\n'
            'password = "rahasia-lapangan"\n'
            "default_project_id = 1\n"
        )
        monkeypatch.setenv("PYODK_CONFIG_FILE", str(config))
        monkeypatch.setenv("PYODK_CACHE_FILE", str(tmp_path / "pyodk_cache.toml"))
        monkeypatch.chdir(tmp_path)
        yield fake


def _submission(children: list[dict[str, str]], **answers: str) -> dict[str, object]:
    """What ODK Collect sends for one visit: the answers, and per re-measured child the values
    the form's calculations read back from anak.csv."""
    ukur = []
    for child in children:
        ukur.append(
            {
                "anak": child["name"],
                "nik_anak": child["nik"],
                "nama_anak": child["nama"],
                "jenis_kelamin": child["jk"],
                "tanggal_lahir": child["lahir"],
                "nomor_kk": answers["no_kk"],
                "kode_desa": DESA,
                "tanggal_ukur": answers["tanggal"],
                "berat": "9.8",
                "tinggi": "80.5",
                "cara_ukur": "berbaring",
                "lila": "13.5",
            }
        )
    return {**answers, "ukur": ukur}


def test_push_pull_and_import_through_a_fake_central(db_url: str, central, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(db_url)
    _registry(engine, tmp_path)
    sent = tmp_path / "kirim"
    res = runner.invoke(app, ["field", "push", "--desa", DESA, "--out", str(sent), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "dibuat dan diterbitkan di proyek 1 dengan 3 lampiran" in res.output
    fid = form_id(DESA)
    form = central.state.forms[fid]
    assert form.published and sorted(form.attachments) == [
        "anak.csv",
        "anggota.csv",
        "keluarga.csv",
    ]
    assert form.attachments["keluarga.csv"] == (sent / "keluarga.csv").read_bytes()
    first = form.version
    # Pushing again publishes a new version of the same form, with its files.
    res = runner.invoke(app, ["field", "push", "--desa", DESA, "--out", str(sent), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "diperbarui" in res.output and form.version != first and len(form.versions) == 2
    assert ("POST", f"/v1/projects/1/forms/{fid}/draft/publish") in central.state.requests

    today = date.today().isoformat()
    children = _csv(sent / "anak.csv")
    form.submissions = [
        _submission(
            children,
            no_kk=KK1,
            hasil="koreksi",
            kolom="RT",
            nilai_baru="003",
            tanggal=today,
            petugas="Kader Ani",
        ),
        _submission([], no_kk=KK4, hasil="pindah", tanggal=today, petugas="Kader Ani"),
    ]
    got = tmp_path / "kiriman"
    res = runner.invoke(
        app, ["field", "pull", "--form", fid, "--out", str(got), "--import", "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    assert "2 kiriman diunduh" in res.output and "1 pengukuran" in res.output
    assert "verifikasi: 2 baris dibaca, 2 dimuat, 0 ditolak" in res.output
    assert "eppgbm: 1 baris dibaca, 1 dimuat, 0 ditolak" in res.output
    with engine.connect() as conn:
        found = {r.no_kk: r for r in conn.execute(select(verifications))}
        fam = {r.no_kk: r for r in conn.execute(select(families))}
        measured = conn.execute(select(measurements)).one()
    assert found[KK1].hasil == "koreksi" and found[KK1].nilai_baru == "003"
    assert found[KK1].petugas == "Kader Ani" and found[KK1].status == "diterapkan"
    assert found[KK1].sumber == found[KK4].sumber == "odk"  # pulled from Central
    assert fam[KK1].rt == "003"
    assert found[KK4].hasil == "pindah" and fam[KK4].keluar == date.today()
    assert (measured.nik_anak, measured.no_kk, measured.kode_desa) == (CHILD1, KK1, DESA)
    assert (measured.berat, measured.tinggi, measured.cara_ukur) == (9.8, 80.5, "berbaring")
    assert measured.tanggal_lahir == date(2024, 5, 10) and measured.jenis_kelamin == "P"
    # The next form leaves the family that moved away.
    res = runner.invoke(
        app, ["field", "form", "--desa", DESA, "--out", str(tmp_path / "n"), "--db", db_url]
    )
    assert [f["name"] for f in _csv(tmp_path / "n" / "keluarga.csv")] == [KK1]
    assert _csv(tmp_path / "n" / "keluarga.csv")[0]["label"].endswith("RT 003/RW 002")


def test_central_export_shape_matches_odk_central() -> None:
    """The fake's export has Central's layout: the main table's own columns around the form's
    fields, the repeat in ``<form>-ukur.csv`` with PARENT_KEY and KEY last."""
    import io
    import zipfile

    from tests.fake_odk_central import FakeForm

    xform, _ = check(definition(DESA, "Sangatta", "1"))
    form = FakeForm(form_id(DESA), "1", "t", xform)
    form.submissions = [{"no_kk": KK1, "hasil": "ada", "ukur": [{"berat": "9"}, {"berat": "10"}]}]
    with zipfile.ZipFile(io.BytesIO(export_zip(form))) as archive:
        main = archive.read(f"{form.xml_form_id}.csv").decode().splitlines()
        repeat = archive.read(f"{form.xml_form_id}-ukur.csv").decode().splitlines()
    assert main[0].startswith("SubmissionDate,no_kk,hasil,nik,kolom,nilai_baru,tanggal,")
    assert ",meta-instanceID,KEY,SubmitterID," in main[0]
    assert repeat[0] == ",".join(["anak", *REPEAT_COLUMNS, "PARENT_KEY", "KEY"])
    assert len(repeat) == 3 and repeat[2].endswith("/ukur[2]")


def test_without_a_central_configuration_a_sentence(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYODK_CONFIG_FILE", str(tmp_path / "tidak-ada.toml"))
    res = runner.invoke(
        app,
        [
            "field",
            "pull",
            "--form",
            "verifikasi_6408012001",
            "--out",
            str(tmp_path),
            "--db",
            sqlite_url,
        ],
    )
    assert res.exit_code != 0
    assert "ODK Central belum diatur" in str(res.exception)
    assert "tidak-ada.toml" in str(res.exception)
    # push stops before writing the village's names anywhere
    res = runner.invoke(
        app, ["field", "push", "--desa", DESA, "--out", str(tmp_path / "k"), "--db", sqlite_url]
    )
    assert res.exit_code != 0 and "ODK Central belum diatur" in str(res.exception)
    assert not (tmp_path / "k").exists()


def test_central_refusing_the_password_is_a_sentence(
    sqlite_url: str, central, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "pyodk_config.toml"
    config.write_text(config.read_text().replace("rahasia-lapangan", "salah"))
    res = runner.invoke(
        app,
        [
            "field",
            "pull",
            "--form",
            "verifikasi_6408012001",
            "--out",
            str(tmp_path),
            "--db",
            sqlite_url,
        ],
    )
    assert res.exit_code != 0
    assert "ODK Central menolak atau tidak menjawab" in str(res.exception)
    assert "salah" not in str(res.exception)


def test_a_family_through_field_verification_to_the_musdes_sheet(
    db_url: str, central, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The village loop closed: the form generated for the village → a visit's submission
    exported by Central (a correction, a move, a child weighed again) imported → the next
    assessment reflects it → the village's musdes sheet shows the result."""
    from fastapi.testclient import TestClient

    from sinergi.security.users import create_user
    from sinergi.store.db import ensure_schema
    from sinergi.store.tables import assessment_children, assessment_families, assessment_runs
    from sinergi.web.app import create_app

    engine = ensure_schema(db_url)
    _registry(engine, tmp_path)
    sent = tmp_path / "formulir"
    res = runner.invoke(app, ["field", "push", "--desa", DESA, "--out", str(sent), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert {f["name"] for f in _csv(sent / "keluarga.csv")} == {KK1, KK4}
    form = central.state.forms[form_id(DESA)]
    child = next(c for c in _csv(sent / "anak.csv") if c["nik"] == CHILD1)
    visit = date.today().isoformat()
    form.submissions = [
        _submission(
            [child], no_kk=KK1, hasil="koreksi", kolom="RT", nilai_baru="007", tanggal=visit
        ),
        _submission([], no_kk=KK4, hasil="pindah", tanggal=visit, petugas="Kader Ani"),
    ]
    got = tmp_path / "kiriman"
    res = runner.invoke(
        app, ["field", "pull", "--form", form.xml_form_id, "--out", str(got), "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    # The export's two tables import unchanged, as an officer would import them by hand.
    for kind, name in (("verifikasi", ""), ("eppgbm", "-ukur")):
        res = runner.invoke(
            app, ["import", kind, str(got / f"{form.xml_form_id}{name}.csv"), "--db", db_url]
        )
        assert res.exit_code == 0 and "0 ditolak" in res.output, res.output

    res = runner.invoke(app, ["assess", "--db", db_url])
    assert res.exit_code == 0, res.output
    with engine.connect() as conn:
        run = conn.execute(
            select(assessment_runs.c.id).order_by(assessment_runs.c.id.desc())
        ).first()
        assert run is not None
        assessed = {
            r.no_kk
            for r in conn.execute(
                select(assessment_families.c.no_kk).where(assessment_families.c.run_id == run.id)
            )
        }
        weighed = conn.execute(
            select(assessment_children.c.tanggal_ukur, assessment_children.c.no_kk).where(
                assessment_children.c.run_id == run.id, assessment_children.c.nik_anak == CHILD1
            )
        ).one()
    assert KK4 not in assessed and KK1 in assessed  # the move leaves the village's lists
    assert weighed == (date.today(), KK1)  # the child weighed on the visit counts

    create_user(engine, "desa_loop", "desa", [DESA], [], "kata-sandi-desa-123")
    with TestClient(create_app(db_url, secret=b"loop-secret-not-for-production")) as client:
        page = client.get("/masuk")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        res = client.post(
            "/masuk",
            data={"username": "desa_loop", "password": "kata-sandi-desa-123", "csrf": csrf},
            follow_redirects=False,
        )
        assert res.headers["location"] == f"/desa/{DESA}/verifikasi"
        sheet = client.get(f"/desa/{DESA}/musdes", params={"daftar": "semua"})
    assert sheet.status_code == 200
    assert "Diterapkan" not in sheet.text and "Ditolak" not in sheet.text
    assert "Budi Santoso" in sheet.text and "Rahmat Hidayat" not in sheet.text
    row = sheet.text.split("Budi Santoso")[1].split("</tr>")[0]
    assert "RT 007" in row and f"Koreksi {date.today():%d/%m/%Y}" in row, row
