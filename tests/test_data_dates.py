"""Data dates: every imported row knows the date its data describe, an older file never undoes a
newer one (its values go to the history, not applied), the roster names the head of family, and
the family page shows each fact's date and source — SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from sinergi.cli import app as cli_app
from sinergi.registry.importer import import_file
from sinergi.security.access import FamilyIds
from sinergi.store.tables import families, import_batches, persons, value_history
from tests.helpers import FAM, KELUARGA_HEADER, KK1, KK2, clean_family, person, write_csv

# The web tests' seeded regency and client (their fixtures live in tests/web/conftest.py, which
# pytest reads only for the tests below tests/web), for the family page and the import answers.
from tests.web.conftest import (
    SECRET,
    Facts,
    api_upload,
    app,
    bearer,
    client,
    facts,
    login,
    seeded,
    seeded_pg,
    seeded_pg_url,
    seeded_sqlite,
    seeded_sqlite_url,
    upload,
)

WEB_FIXTURES = (
    app,
    client,
    facts,
    seeded,
    seeded_pg,
    seeded_pg_url,
    seeded_sqlite,
    seeded_sqlite_url,
)

NEWER, OLDER = date(2026, 8, 1), date(2026, 2, 1)
OLD_WATER = [*FAM[:4], "Sumur Tak Terlindung", *FAM[5:]]
P3KE_HEADER = [
    "No KK",
    "NIK Kepala Keluarga",
    "Nama Kepala Keluarga",
    "Kode Desa",
    "Desil",
    "Penerima PKH",
]


def _roster(fam: list[str] | None = None) -> list[list[str]]:
    """The clean family (Budi Santoso heads KK1), with the family columns ``fam``."""
    rows = clean_family()
    if fam is not None:
        rows = [[*r[:9], *fam] for r in rows]
    return rows


def _family(engine: Any, no_kk: str = KK1) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(families).where(families.c.no_kk == no_kk)).one()


def test_a_data_date_column_dates_each_row(engine, tmp_path: Path) -> None:
    rows = [[*r, "15/06/2026"] for r in _roster()]
    rows[2][-1] = "2026-13-40"  # a bad data date is a row error like any other date
    f = write_csv(tmp_path / "k.csv", [*KELUARGA_HEADER, "Tanggal Pendataan"], rows)
    r = import_file(engine, "keluarga", f, as_of=date(2026, 1, 1))
    assert {(i.baris, i.kolom, i.kode) for i in r.issues} == {
        (4, "Tanggal Pendataan", "tanggal_tidak_valid")
    }
    assert (r.rows_loaded, r.rows_rejected) == (2, 1)
    with engine.connect() as conn:
        dated = set(conn.execute(select(persons.c.tanggal_data)).scalars())
    assert dated == {date(2026, 6, 15)}  # the column wins over --as-of
    assert _family(engine).tanggal_data == date(2026, 6, 15)


def test_as_of_dates_rows_without_their_own_date(engine, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, _roster())
    r = import_file(engine, "keluarga", f, as_of=NEWER)
    assert r.issues == []
    fam = _family(engine)
    assert fam.tanggal_data == NEWER and fam.desil_tanggal_data is None
    with engine.connect() as conn:
        assert conn.execute(select(import_batches.c.as_of)).scalar_one() == NEWER


def test_without_a_date_the_import_date_is_assumed_and_said(engine, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, _roster())
    r = import_file(engine, "keluarga", f, today=date(2026, 9, 3))
    [note] = r.issues
    assert (note.baris, note.kode, note.tingkat) == (None, "tanggal_data_diasumsikan", "warning")
    assert r.rows_warned == 0  # a note about the file, not a warning on each row
    from sinergi.ingest.report import issue_text

    assert "3 baris dianggap menggambarkan keadaan pada tanggal impor, 03/09/2026" in (
        issue_text(note, "id")
    )
    assert "3 rows were taken to describe the import date, 2026-09-03" in issue_text(note, "en")
    assert _family(engine).tanggal_data == date(2026, 9, 3)


def test_an_older_roster_never_undoes_a_newer_one(db_url: str, engine, tmp_path: Path) -> None:
    newer = import_file(
        engine, "keluarga", write_csv(tmp_path / "new.csv", KELUARGA_HEADER, _roster()), as_of=NEWER
    )
    old_rows = _roster(OLD_WATER)
    old_rows[1][7] = "Ya"  # Siti was pregnant in the old file
    old_file = write_csv(tmp_path / "old.csv", KELUARGA_HEADER, old_rows)
    res = CliRunner().invoke(
        cli_app,
        ["import", "keluarga", str(old_file), "--as-of", "2026-02-01", "--db", db_url]
        + ["--laporan", str(tmp_path / "laporan")],
    )
    assert res.exit_code == 0, res.output
    # 1 family + 3 persons, every one older than what is stored: nothing was updated.
    assert "0 baru, 0 diperbarui, 0 tidak berubah" in res.output
    assert "4 baris menggambarkan keadaan yang lebih lama" in res.output
    fam = _family(engine)
    assert (fam.sumber_air, fam.tanggal_data, fam.batch_id) == ("ledeng", NEWER, newer.batch_id)
    with engine.connect() as conn:
        siti = conn.execute(select(persons).where(persons.c.nik == "6408014501900001")).one()
        hist = conn.execute(select(value_history)).all()
        batch = conn.execute(select(import_batches).order_by(import_batches.c.id.desc())).first()
    assert siti.hamil is False
    assert batch is not None and (batch.older, batch.updated, batch.as_of) == (4, 0, OLDER)
    # Nothing is lost: the older values are in the history, marked as not applied.
    kept = {(h.table_name, h.field, h.old_value, h.new_value, h.applied) for h in hist}
    assert kept == {
        ("families", "sumber_air", "ledeng", "sumur_tak_terlindung", False),
        ("persons", "hamil", "0", "1", False),
    }
    assert {(h.old_batch_id, h.new_batch_id) for h in hist} == {(newer.batch_id, batch.id)}
    # The report says it too (baris_lebih_lama), in the reports' own folder.
    assert [p.name.startswith("old.keluarga.") for p in (tmp_path / "laporan").iterdir()] == [True]


def test_a_newer_roster_still_updates(engine, tmp_path: Path) -> None:
    import_file(
        engine,
        "keluarga",
        write_csv(tmp_path / "old.csv", KELUARGA_HEADER, _roster(OLD_WATER)),
        as_of=OLDER,
    )
    r = import_file(
        engine, "keluarga", write_csv(tmp_path / "new.csv", KELUARGA_HEADER, _roster()), as_of=NEWER
    )
    assert (r.counts.updated, r.counts.older, r.counts.unchanged) == (1, 0, 3)
    fam = _family(engine)
    assert (fam.sumber_air, fam.tanggal_data, fam.batch_id) == ("ledeng", NEWER, r.batch_id)
    with engine.connect() as conn:
        hist = conn.execute(select(value_history)).one()
        ahmad = conn.execute(select(persons).where(persons.c.nama == "Ahmad Budi")).one()
    assert (hist.old_value, hist.new_value, hist.applied) == (
        "sumur_tak_terlindung",
        "ledeng",
        True,
    )
    # Same values, newer date: the record's date and source move forward.
    assert (ahmad.tanggal_data, ahmad.batch_id) == (NEWER, r.batch_id)
    # A file of the same date updates as well.
    same = _roster([*FAM[:4], "Sumur Bor", *FAM[5:]])
    r2 = import_file(
        engine, "keluarga", write_csv(tmp_path / "same.csv", KELUARGA_HEADER, same), as_of=NEWER
    )
    assert (r2.counts.updated, r2.counts.older) == (1, 0)
    assert _family(engine).sumber_air == "sumur_bor"


def test_rows_stored_without_a_date_are_updated_by_any_dated_row(engine, tmp_path: Path) -> None:
    import_file(
        engine,
        "keluarga",
        write_csv(tmp_path / "a.csv", KELUARGA_HEADER, _roster(OLD_WATER)),
        as_of=NEWER,
    )
    with engine.begin() as conn:  # as stored before data dates were kept
        conn.execute(families.update().values(tanggal_data=None))
    r = import_file(
        engine, "keluarga", write_csv(tmp_path / "b.csv", KELUARGA_HEADER, _roster()), as_of=OLDER
    )
    assert _family(engine).sumber_air == "ledeng"
    assert r.counts.older == 3  # the persons kept their newer date


def test_the_roster_names_the_head_and_p3ke_only_fills_a_gap(engine, tmp_path: Path) -> None:
    # KK2's roster has no Kepala Keluarga row.
    other = ["64.08.01.2002", *FAM[1:]]
    rows = [
        *_roster(),
        person(KK2, "6408014101850008", "Wati", "P", "01/01/1985", "Istri", fam=other),
    ]
    import_file(
        engine, "keluarga", write_csv(tmp_path / "k.csv", KELUARGA_HEADER, rows), as_of=OLDER
    )
    fam = _family(engine)
    assert (fam.nama_kepala, fam.nik_kepala) == ("Budi Santoso", "6408010101880002")
    assert _family(engine, KK2).nama_kepala is None
    p3ke = [
        [KK1, "6408010101880099", "Budi S.", "64.08.01.2001", "2", "Ya"],
        [KK2, "6408010101700005", "Darto", "64.08.01.2002", "1", "Ya"],
    ]
    import_file(engine, "p3ke", write_csv(tmp_path / "p.csv", P3KE_HEADER, p3ke), as_of=NEWER)
    kk1, kk2 = _family(engine), _family(engine, KK2)
    assert (kk1.nama_kepala, kk1.nik_kepala, kk1.desil) == ("Budi Santoso", "6408010101880002", 2)
    assert (kk2.nama_kepala, kk2.desil_tanggal_data) == ("Darto", NEWER)
    assert kk1.tanggal_data == OLDER  # the welfare fields carry their own date


# --- the web: the family page, the import page and the API ---------------------------------


def _one(app: Any, query: Any) -> Any:
    with app.state.engine.connect() as conn:
        return conn.execute(query).one()


def test_family_page_shows_each_facts_date_and_source(
    client: TestClient, app: Any, facts: Facts
) -> None:
    login(client, "dppkb")
    html = client.get(f"/keluarga/{FamilyIds(SECRET).encode(facts.in_village)}").text
    f, b = families.c, import_batches.c
    fam = _one(app, select(families).where(f.no_kk == facts.in_village))
    roster = _one(app, select(b.file_name).where(b.id == fam.batch_id)).file_name
    assert "Sumber data" in html and fam.tanggal_data is not None
    section = html[html.index('id="sources"') :]
    row = re.search(r'<tr data-group="sumber_roster">(.*?)</tr>', section)
    assert row is not None
    assert fam.tanggal_data.strftime("%d/%m/%Y") in row.group(1)
    assert f"{roster}, baris {fam.baris}" in row.group(1)
    assert '<tr data-group="sumber_p3ke">' in section
    assert "(e-PPGBM)" in section  # the children's measurements, each with its source
    client.cookies.set("lang", "en")
    english = client.get(f"/keluarga/{FamilyIds(SECRET).encode(facts.in_village)}").text
    assert "Data sources" in english and f"{roster}, row {fam.baris}" in english


def test_an_older_upload_keeps_the_stored_values_on_the_page_and_the_api(
    client: TestClient, app: Any, tmp_path: Path
) -> None:
    f = families.c
    no_kk, village = _one(
        app,
        select(f.no_kk, f.kode_desa)
        .where(f.desil_tanggal_data.is_not(None))
        .order_by(f.no_kk)
        .limit(1),
    )
    mine = f.no_kk == no_kk
    before = _one(app, select(f.desil, f.desil_tanggal_data, f.desil_batch_id).where(mine))
    stale = 1 if before.desil != 1 else 2
    path = write_csv(
        tmp_path / "p3ke-lama.csv", P3KE_HEADER, [[no_kk, "", "", village, str(stale), "Tidak"]]
    )
    answer = api_upload(client, "p3ke", path, bearer(client, "admin"), as_of="2020-01-01")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["older"], body["updated"], body["inserted"]) == (1, 0, 0), str(body)
    assert "baris_lebih_lama" in {i["code"] for i in body["issues"]}
    after = _one(app, select(f.desil, f.desil_tanggal_data, f.desil_batch_id).where(mine))
    assert after == before
    csrf = login(client, "admin")
    path2 = write_csv(
        tmp_path / "p3ke-lama-2.csv",
        P3KE_HEADER,
        [[no_kk, "", "", village, str(stale), "Ya"]],
    )
    page = upload(client, csrf, "p3ke", path2, as_of="2020-01-02")
    assert page.status_code == 200
    assert re.search(r'id="older">1 baris menggambarkan keadaan yang lebih lama', page.text)
