"""Village verification as data (`sinergi.registry.verify`): a ``verifikasi`` file and single
findings, on SQLite and PostgreSQL — what the next assessment shows, corrections with their
source, re-imports that change nothing, bad rows, the approval step and the village's reach."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from sinergi.assess.run import assess
from sinergi.registry import verify
from sinergi.registry.importer import import_file
from sinergi.registry.verify import Verification, VerificationError
from sinergi.rules import load_ruleset
from sinergi.security.auth import User, server_user
from sinergi.security.imports import import_as
from sinergi.settings import get_settings
from sinergi.store.tables import (
    assessment_families,
    audit_log,
    families,
    persons,
    value_history,
    verifications,
)
from tests.helpers import FAM, KELUARGA_HEADER, person, write_csv, write_xlsx

REF = date(2026, 8, 31)
ROSTER_DATE = date(2026, 6, 1)
SENYIUR, KELINJAU_ILIR = "64.08.01.2001", "64.08.01.2002"
KK1, KK2, KK3, KK4 = (f"64080101012000{n:02d}" for n in (11, 12, 13, 14))
BABY = "6408011001250003"  # born 10-01-2025: a baduta at the reference date
SITI = "6408014501900002"
OTHER_FAM = [KELINJAU_ILIR, *FAM[1:]]
HEADER = ["No KK", "NIK", "Hasil", "Kolom", "Nilai Baru", "Tanggal", "Petugas", "Catatan"]
ADMIN = server_user("admin")
DESA = User(7, "op_senyiur", "desa", (SENYIUR,), ())
DPPKB = User(8, "dppkb", "dppkb", (), ())


def roster() -> list[list[str]]:
    """Three families of Senyiur (one with a baby) and one of Kelinjau Ilir."""
    return [
        person(KK1, "6408010101880001", "Budi Santoso", "L", "01/01/1988", "Kepala Keluarga"),
        person(KK1, SITI, "Siti Aminah", "P", "05/01/1990", "Istri", kb="Suntik"),
        person(KK1, BABY, "Adik Budi", "L", "10/01/2025", "Anak", "Belum Kawin"),
        person(KK2, "6408010202850001", "Joko", "L", "02/02/1985", "Kepala Keluarga"),
        person(KK2, "6408014303950002", "Rina", "P", "03/03/1995", "Istri", hamil="Ya"),
        person(KK3, "6408010404800001", "Slamet", "L", "04/04/1980", "Kepala Keluarga"),
        person(
            KK4, "6408010505820001", "Darto", "L", "05/05/1982", "Kepala Keluarga", fam=OTHER_FAM
        ),
    ]


@pytest.fixture
def registry(engine: Engine, tmp_path: Path) -> Engine:
    f = write_csv(tmp_path / "keluarga.csv", KELUARGA_HEADER, roster())
    assert import_file(engine, "keluarga", f, as_of=ROSTER_DATE).status == "dimuat"
    return engine


@pytest.fixture
def approval(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SINERGI_VERIFIKASI_PERLU_PERSETUJUAN", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("SINERGI_VERIFIKASI_PERLU_PERSETUJUAN")
    get_settings.cache_clear()


GOOD = [
    [KK1, BABY, "Meninggal Dunia", "", "", "01/07/2026", "Kader Ani", "sakit"],
    [KK1, "", "Koreksi", "RT", "005", "02/07/2026", "Kader Ani", ""],
    [KK1, SITI, "koreksi", "Tanggal Lahir", "06-01-1990", "02/07/2026", "Kader Ani", ""],
    [KK2, "", "Pindah", "", "Kelinjau Ilir", "03/07/2026", "Kader Ani", ""],
    [KK3, "", "pindah", "", "", "03/07/2026", "", "ke Samarinda"],
    [KK4, "", "Ada", "", "", "04/07/2026", "Kader Ani", ""],
]
BAD = [
    ["6408010101209999", "", "Ada", "", "", "04/07/2026", "", ""],  # unknown KK
    [KK2, SITI, "Tidak Ditemukan", "", "", "04/07/2026", "", ""],  # not a member of KK2
    [KK3, "", "Meninggal", "", "", "04/07/2026", "", ""],  # deceased without NIK
    [KK3, "", "Koreksi", "Warna Rumah", "Biru", "04/07/2026", "", ""],  # unknown column
    [KK1, SITI, "Koreksi", "Tanggal Lahir", "31/02/1990", "04/07/2026", "", ""],  # bad date
    [KK3, "", "Pindah", "", "Desa Antah Berantah", "04/07/2026", "", ""],  # unknown village
    [KK3, "", "Koreksi", "", "", "04/07/2026", "", ""],  # correction without column
    [KK3, "", "Hilang", "", "", "04/07/2026", "", ""],  # unknown result
]


def _families(engine: Engine, run_id: int) -> dict[str, tuple[str, str]]:
    af = assessment_families.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(af.no_kk, af.kode_desa, af.sasaran).where(af.run_id == run_id)
        ).all()
    return {r.no_kk: (r.kode_desa, r.sasaran) for r in rows}


def _count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_verification_file_changes_the_next_assessment(registry: Engine, tmp_path: Path) -> None:
    rs = load_ruleset("krs-2024")
    before = _families(registry, assess(registry, rs, REF).run_id)
    assert "baduta" in before[KK1][1] and before[KK2][0] == SENYIUR and KK3 in before

    f = write_csv(tmp_path / "verifikasi.csv", HEADER, GOOD + BAD)
    r = import_as(registry, ADMIN, "verifikasi", f)
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_rejected) == ("dimuat", 14, 6, 8)
    assert r.counts.inserted == 6
    errors = {(i.baris, i.kolom, i.kode) for i in r.issues if i.tingkat == "error"}
    assert errors == {
        (8, "No KK", "verifikasi_kk_tidak_dikenal"),
        (9, "NIK", "verifikasi_nik_bukan_anggota"),
        (10, "NIK", "verifikasi_perlu_nik"),
        (11, "Kolom", "verifikasi_kolom_tidak_dikenal"),
        (12, "Nilai Baru", "verifikasi_nilai_salah"),
        (13, "Nilai Baru", "verifikasi_desa_baru_tidak_dikenal"),
        (14, "Kolom", "verifikasi_koreksi_tanpa_kolom"),
        (15, "Hasil", "pilihan_tidak_dikenal"),
    }
    values = {i.baris: i.nilai for i in r.issues}
    assert values[11] == "Warna Rumah" and values[12] == "31/02/1990"

    after = _families(registry, assess(registry, rs, REF).run_id)
    # The deceased baby no longer makes KK1 a baduta family; KK2 is counted in its new village;
    # KK3 moved out of the regency and leaves every list.
    assert "baduta" not in after[KK1][1] and "balita" not in after[KK1][1]
    assert after[KK2][0] == KELINJAU_ILIR
    assert KK3 not in after and after[KK4][0] == KELINJAU_ILIR

    with registry.connect() as conn:
        fam1 = conn.execute(select(families).where(families.c.no_kk == KK1)).one()
        siti = conn.execute(select(persons).where(persons.c.nik == SITI)).one()
        baby = conn.execute(select(persons.c.meninggal).where(persons.c.nik == BABY)).scalar()
        keluar = conn.execute(select(families.c.keluar).where(families.c.no_kk == KK3)).scalar()
        rt_history = conn.execute(
            select(value_history).where(
                value_history.c.record_key == KK1, value_history.c.field == "rt"
            )
        ).one()
        moved = conn.execute(
            select(value_history).where(
                value_history.c.record_key == KK2, value_history.c.field == "kode_desa"
            )
        ).one()
        records = {(v.no_kk, v.hasil, v.kolom): v for v in conn.execute(select(verifications))}
    assert fam1.rt == "005" and fam1.tanggal_data == date(2026, 7, 2)
    assert (fam1.batch_id, fam1.baris) == (r.batch_id, 3)  # the correction is the source
    assert siti.tanggal_lahir == date(1990, 1, 6)
    assert baby == date(2026, 7, 1) and keluar == date(2026, 7, 3)
    assert (rt_history.old_value, rt_history.new_value, rt_history.applied) == ("001", "005", True)
    assert (rt_history.new_batch_id, rt_history.new_baris) == (r.batch_id, 3)
    assert (moved.old_value, moved.new_value) == (SENYIUR, KELINJAU_ILIR)
    rt = records[(KK1, "koreksi", "RT")]
    assert (rt.nilai_lama, rt.nilai_baru, rt.status, rt.sumber) == (
        "001",
        "005",
        "diterapkan",
        "impor",
    )
    assert rt.dicatat_oleh == "admin" and rt.kode_desa == SENYIUR
    assert records[(KK2, "pindah", None)].nilai_baru == KELINJAU_ILIR
    assert records[(KK2, "pindah", None)].nilai_lama == SENYIUR

    with registry.connect() as conn:
        last = verify.last_verifications(conn, [KK1, KK2, KK3, KK4, "6408010101209999"])
        kk1_history = verify.history(conn, KK1)
    assert set(last) == {KK1, KK2, KK3, KK4}
    assert (last[KK1].hasil, last[KK1].tanggal) == ("koreksi", date(2026, 7, 2))
    assert last[KK4].petugas == "Kader Ani" and last[KK4].hasil == "ada"
    assert [h["hasil"] for h in kk1_history] == ["koreksi", "koreksi", "meninggal"]


def test_reimport_is_harmless_and_roster_does_not_revive(registry: Engine, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "verifikasi.csv", HEADER, GOOD)
    first = import_as(registry, ADMIN, "verifikasi", f)
    assert first.counts.inserted == 6
    n_history, n_records = _count(registry, value_history), _count(registry, verifications)

    assert import_as(registry, ADMIN, "verifikasi", f).status == "sudah"
    # The same findings in another file (XLSX, the snake_case names field forms export).
    snake = ["no_kk", "nik", "hasil", "kolom", "nilai_baru", "tanggal", "petugas", "catatan"]
    x = write_xlsx(tmp_path / "odk.xlsx", snake, GOOD)
    again = import_as(registry, ADMIN, "verifikasi", x)
    assert (again.status, again.rows_loaded, again.counts.inserted) == ("dimuat", 6, 0)
    assert again.counts.unchanged == 6
    assert _count(registry, value_history) == n_history
    assert _count(registry, verifications) == n_records

    # A roster loaded later (data of 15 June) still lists the deceased baby and KK2 in Senyiur:
    # the baby stays deceased, KK2 stays in its new village (the move of 3 July is newer) and
    # KK3 stays moved out.
    newer = write_csv(tmp_path / "keluarga2.csv", KELUARGA_HEADER, roster())
    import_file(registry, "keluarga", newer, as_of=date(2026, 6, 15))
    with registry.connect() as conn:
        baby = conn.execute(select(persons.c.meninggal).where(persons.c.nik == BABY)).scalar()
        kk2 = conn.execute(select(families.c.kode_desa).where(families.c.no_kk == KK2)).scalar()
        keluar = conn.execute(select(families.c.keluar).where(families.c.no_kk == KK3)).scalar()
    assert baby == date(2026, 7, 1)
    assert kk2 == KELINJAU_ILIR
    assert keluar == date(2026, 7, 3)
    run = assess(registry, load_ruleset("krs-2024"), REF)
    assert "baduta" not in _families(registry, run.run_id)[KK1][1]


def test_an_older_correction_is_kept_not_applied(registry: Engine) -> None:
    old = Verification(KK1, "koreksi", date(2026, 5, 1), kolom="RW", nilai_baru="009")
    recorded = verify.record_one(registry, ADMIN, old)
    assert recorded.status == "ditolak"
    with registry.connect() as conn:
        rw = conn.execute(select(families.c.rw).where(families.c.no_kk == KK1)).scalar()
        kept = conn.execute(
            select(value_history.c.new_value, value_history.c.applied).where(
                value_history.c.record_key == KK1, value_history.c.field == "rw"
            )
        ).one()
    assert rw == "002" and tuple(kept) == ("009", False)


def test_record_one_validates_like_the_importer(registry: Engine) -> None:
    cases = [
        (Verification(KK1, "hilang", date(2026, 7, 1)), "pilihan_tidak_dikenal"),
        (Verification(KK1, "koreksi", date(2026, 7, 1)), "verifikasi_koreksi_tanpa_kolom"),
        (
            Verification(KK1, "koreksi", date(2026, 7, 1), kolom="Jamban", nilai_baru="Emas"),
            "verifikasi_nilai_salah",
        ),
        (
            Verification(KK1, "koreksi", date(2026, 7, 1), kolom="Nama", nilai_baru="X"),
            "verifikasi_koreksi_perlu_nik",
        ),
        (Verification(KK1, "meninggal", date(2026, 7, 1)), "verifikasi_perlu_nik"),
        (Verification(KK1, "ada", date(2030, 1, 1)), "tanggal_masa_depan"),
        (Verification("6408010101209999", "ada", date(2026, 7, 1)), "verifikasi_kk_tidak_dikenal"),
        (Verification(KK2, "ada", date(2026, 7, 1), nik=SITI), "verifikasi_nik_bukan_anggota"),
        (Verification("12345", "ada", date(2026, 7, 1)), None),
    ]
    for v, code in cases:
        with pytest.raises(VerificationError) as caught:
            verify.record_one(registry, ADMIN, v, today=REF)
        if code is not None:
            assert caught.value.code == code, v
        assert caught.value.message("id") != caught.value.code
    assert _count(registry, verifications) == 0

    good = Verification(KK1, "Koreksi", date(2026, 7, 1), kolom="Jamban", nilai_baru="Cubluk")
    recorded = verify.record_one(registry, ADMIN, good, sumber="odk")
    assert (recorded.status, recorded.new) == ("diterapkan", True)
    with registry.connect() as conn:
        jamban = conn.execute(select(families.c.jamban).where(families.c.no_kk == KK1)).scalar()
        rec = conn.execute(select(verifications)).one()
        audited = conn.execute(
            select(audit_log.c.objek, audit_log.c.kunci).where(audit_log.c.objek == "verifikasi")
        ).all()
    assert jamban == "tanpa_septik"
    assert (rec.kolom, rec.nilai_lama, rec.nilai_baru, rec.sumber) == (
        "Jamban",
        "sendiri_septik",
        "tanpa_septik",
        "odk",
    )
    assert audited == [("verifikasi", str(recorded.id))]
    # The same finding again is the same record.
    assert verify.record_one(registry, ADMIN, good) == verify.Recorded(
        recorded.id, "diterapkan", False
    )


def test_a_village_verifies_only_its_own_families(registry: Engine, tmp_path: Path) -> None:
    mine = verify.record_one(registry, DESA, Verification(KK1, "ada", date(2026, 7, 1)))
    assert mine.status == "diterapkan"
    for kk in (KK4, "6408010101209999"):  # another village's family, and an unknown one alike
        with pytest.raises(VerificationError) as caught:
            verify.record_one(registry, DESA, Verification(kk, "ada", date(2026, 7, 1)))
        assert caught.value.code == "impor_di_luar_jangkauan"
    analyst = User(9, "analis", "analis", (), ())
    with pytest.raises(VerificationError):
        verify.record_one(registry, analyst, Verification(KK1, "ada", date(2026, 7, 1)))

    # An area-limited DPPKB officer's file: the other village's row is rejected, nothing lost.
    officer = User(10, "dppkb_senyiur", "dppkb", (SENYIUR,), ())
    rows = [
        [KK4, "", "Pindah", "", "", "04/07/2026", "", ""],
        [KK2, "", "Ada", "", "", "04/07/2026", "", ""],
    ]
    r = import_as(registry, officer, "verifikasi", write_csv(tmp_path / "v.csv", HEADER, rows))
    assert (r.rows_loaded, r.rows_rejected) == (1, 1)
    assert [(i.baris, i.kode) for i in r.issues] == [(2, "impor_di_luar_jangkauan")]
    with registry.connect() as conn:
        keluar = conn.execute(select(families.c.keluar).where(families.c.no_kk == KK4)).scalar()
        listed = verify.listed(conn, DESA)
    assert keluar is None
    assert {x["no_kk"] for x in listed} == {KK1, KK2}


def test_approval_waits_then_applies_or_rejects(registry: Engine, approval: None) -> None:
    fix = Verification(KK1, "koreksi", date(2026, 7, 1), kolom="RT", nilai_baru="007")
    move = Verification(KK2, "pindah", date(2026, 7, 1), nilai_baru=KELINJAU_ILIR)
    seen = Verification(KK3, "ada", date(2026, 7, 1))
    waiting = verify.record_one(registry, DESA, fix)
    moving = verify.record_one(registry, DESA, move)
    assert (waiting.status, moving.status) == ("menunggu", "menunggu")
    assert verify.record_one(registry, DESA, seen).status == "diterapkan"
    # A correction by DPPKB itself does not wait.
    rw = Verification(KK1, "koreksi", date(2026, 7, 1), kolom="RW", nilai_baru="003")
    assert verify.record_one(registry, DPPKB, rw).status == "diterapkan"

    def state() -> tuple[str, str]:
        with registry.connect() as conn:
            rt = conn.execute(select(families.c.rt).where(families.c.no_kk == KK1)).scalar()
            desa = conn.execute(
                select(families.c.kode_desa).where(families.c.no_kk == KK2)
            ).scalar()
        return rt, desa

    assert state() == ("001", SENYIUR)
    with registry.connect() as conn:
        assert {p["id"] for p in verify.pending(conn, DPPKB)} == {waiting.id, moving.id}
        assert {p["id"] for p in verify.pending(conn, DESA)} == {waiting.id, moving.id}
    with pytest.raises(VerificationError) as caught:
        verify.decide(registry, DESA, waiting.id, True)
    assert caught.value.code == "verifikasi_tidak_boleh_memutuskan"

    assert verify.decide(registry, DPPKB, waiting.id, True).status == "diterapkan"
    assert verify.decide(registry, DPPKB, moving.id, False).status == "ditolak"
    assert state() == ("007", SENYIUR)
    with pytest.raises(VerificationError) as caught:
        verify.decide(registry, DPPKB, moving.id, True)
    assert caught.value.code == "verifikasi_sudah_diputuskan"
    with registry.connect() as conn:
        rec = conn.execute(select(verifications).where(verifications.c.id == waiting.id)).one()
        assert verify.pending(conn, DPPKB) == []
    assert (rec.diputuskan_oleh, rec.nilai_lama, rec.dicatat_oleh) == (
        "dppkb",
        "001",
        DESA.username,
    )
    assert rec.diputuskan is not None


def test_cli_lists_approves_and_rejects(registry: Engine, db_url: str, approval: None) -> None:
    from typer.testing import CliRunner

    from sinergi.cli import UserError, app

    runner = CliRunner()
    fix = Verification(KK1, "koreksi", date(2026, 7, 1), kolom="RT", nilai_baru="007")
    move = Verification(KK2, "pindah", date(2026, 7, 1), nilai_baru="Kelinjau Ilir")
    waiting, moving = (verify.record_one(registry, DESA, v) for v in (fix, move))
    listed = runner.invoke(app, ["verifikasi", "daftar", "--status", "menunggu", "--db", db_url])
    assert listed.exit_code == 0, listed.output
    assert "Koreksi" in listed.output and "Pindah" in listed.output
    assert SITI not in listed.output  # NIKs are masked
    ok = runner.invoke(app, ["verifikasi", "setujui", str(waiting.id), "--db", db_url])
    assert ok.exit_code == 0 and "disetujui" in ok.output
    no = runner.invoke(app, ["verifikasi", "tolak", str(moving.id), "--db", db_url])
    assert no.exit_code == 0 and "ditolak" in no.output
    again = runner.invoke(app, ["verifikasi", "tolak", str(waiting.id), "--db", db_url])
    assert isinstance(again.exception, UserError) and "tidak sedang menunggu" in str(
        again.exception
    )
    empty = runner.invoke(app, ["verifikasi", "daftar", "--status", "menunggu", "--db", db_url])
    assert "Tidak ada verifikasi." in empty.output
    with registry.connect() as conn:
        rt = conn.execute(select(families.c.rt).where(families.c.no_kk == KK1)).scalar()
        desa = conn.execute(select(families.c.kode_desa).where(families.c.no_kk == KK2)).scalar()
    assert (rt, desa) == ("007", SENYIUR)
