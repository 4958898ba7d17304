"""Importing every kind of source file into SQLite and PostgreSQL, as the officer would."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sinergi.ingest.report import issue_text
from sinergi.registry.importer import import_file
from sinergi.store.tables import (
    families,
    import_batches,
    import_issues,
    interventions,
    measurements,
    persons,
    value_history,
    village_facts,
)
from tests.helpers import (
    FAM,
    KELUARGA_HEADER,
    KK1,
    KK2,
    clean_family,
    person,
    write_csv,
    write_xlsx,
)


def count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# These files carry no data date, so every report opens with the note that the import date was
# assumed (tests/test_data_dates.py); the tests here look at the rest.
ASSUMED = "tanggal_data_diasumsikan"


def codes(result) -> set[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    return {(i.baris, i.kolom, i.kode) for i in result.issues if i.kode != ASSUMED}


def test_keluarga_good_rows_load_with_provenance(engine, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "kel.csv", KELUARGA_HEADER, clean_family())
    r = import_file(engine, "keluarga", f)
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_rejected) == ("dimuat", 3, 3, 0)
    assert codes(r) == set()
    assert count(engine, families) == 1 and count(engine, persons) == 3
    with engine.connect() as conn:
        siti = conn.execute(select(persons).where(persons.c.nik == "6408014501900001")).one()
        fam = conn.execute(select(families)).one()
        batch = conn.execute(select(import_batches)).one()
    assert siti.tanggal_lahir == date(1990, 1, 5)
    assert (siti.jenis_kelamin, siti.hubungan, siti.kontrasepsi, siti.hamil) == (
        "P",
        "istri",
        "suntik",
        False,
    )
    assert (siti.batch_id, siti.baris) == (batch.id, 3)  # header is row 1
    assert (fam.kode_desa, fam.sumber_air, fam.jamban, fam.rumah_layak, fam.rt) == (
        "64.08.01.2001",
        "ledeng",
        "sendiri_septik",
        True,
        "001",
    )
    assert (batch.file_name, batch.kind, batch.status) == ("kel.csv", "keluarga", "dimuat")


def test_every_bad_row_is_reported_and_the_rest_loads(engine, tmp_path: Path) -> None:
    other = ["64.08.01.2999", "Jl. B", "1", "1", "Sungai/Danau", "Tidak Ada", "Tidak"]
    rows = clean_family() + [
        person(KK1, "6.40801E+15", "Anak Dua", "L", "01/01/2021", "Anak", "Belum Kawin"),
        person(KK1, "640801010121000", "Anak Tiga", "L", "01/01/2021", "Anak", "Belum Kawin"),
        person(KK1, "6408010101210004", "Anak Empat", "X", "31/02/2021", "Anak", "Belum Kawin"),
        person(KK2, "6408010101700005", "Darto", "L", "01/01/1970", "Kepala Keluarga", fam=other),
        person(KK1, "6408010202190006", "Anak Lima", "L", "2099-01-01", "Cucu", "Belum Kawin"),
        person(KK1, "6408019999190007", "Anak Enam", "L", "01/01/2019", "Anak", "Belum Kawin"),
    ]
    f = write_csv(tmp_path / "kel.csv", KELUARGA_HEADER, rows)
    r = import_file(engine, "keluarga", f)
    got = codes(r)
    assert (5, "NIK", "nik_notasi_ilmiah") in got
    assert (6, "NIK", "nik_bukan_16_digit") in got
    assert (7, "Jenis Kelamin", "jk_tidak_valid") in got
    assert (7, "Tanggal Lahir", "tanggal_tidak_valid") in got
    assert (8, "Kode Desa", "desa_tidak_dikenal") in got
    assert (9, "Tanggal Lahir", "tanggal_masa_depan") in got
    # A NIK whose date digits are impossible is still a NIK; the date disagreement is a warning.
    assert (10, "NIK", "nik_tanggal_tidak_cocok") in got
    assert r.rows_rejected == 5 and r.rows_loaded == 4 and r.rows_warned == 1
    assert count(engine, persons) == 4
    with engine.connect() as conn:
        stored = {i.kode for i in conn.execute(select(import_issues)).all()}
    assert {"nik_notasi_ilmiah", "desa_tidak_dikenal"} <= stored
    nilai = next(i.nilai for i in r.issues if i.kode == "nik_notasi_ilmiah")
    assert nilai == "6.40801E+15"  # the value as written


def test_nik_date_and_sex_disagreement_is_a_warning_not_a_rejection(engine, tmp_path) -> None:
    rows = [
        person(KK1, "6408010101880002", "Budi", "L", "02/01/1988", "Kepala Keluarga"),
        person(KK1, "6408010501900001", "Siti", "P", "05/01/1990", "Istri"),
    ]
    r = import_file(engine, "keluarga", write_csv(tmp_path / "k.csv", KELUARGA_HEADER, rows))
    assert codes(r) == {(2, "NIK", "nik_tanggal_tidak_cocok"), (3, "NIK", "nik_jk_tidak_cocok")}
    assert all(i.tingkat == "warning" for i in r.issues)
    assert r.rows_loaded == 2 and r.rows_warned == 2


def test_duplicates_inside_one_file(engine, tmp_path: Path) -> None:
    fam = clean_family()
    twin = person(KK1, "6408011503200003", "Ahmad Lain", "L", "15/03/2020", "Anak", "Belum Kawin")
    rows = [fam[0], fam[0], fam[1], fam[2], twin]
    r = import_file(engine, "keluarga", write_csv(tmp_path / "k.csv", KELUARGA_HEADER, rows))
    got = {(i.baris, i.kode, i.params.get("other_rows")) for i in r.issues}
    assert (3, "baris_ganda", "2") in got  # the copy names the original; the original loads
    assert (5, "nik_ganda", "6") in got and (6, "nik_ganda", "5") in got  # both rows named
    assert count(engine, persons) == 2
    first = next(i for i in r.issues if i.kode == "nik_ganda")
    assert issue_text(first, "id") == (
        "NIK yang sama juga dipakai di baris 6 berkas ini dengan data berbeda."
    )


def test_family_columns_must_agree_between_members(engine, tmp_path: Path) -> None:
    fam = clean_family()
    other = list(FAM)
    other[4] = "Sungai/Danau"
    fam[2] = person(
        KK1, "6408011503200003", "Ahmad Budi", "L", "15/03/2020", "Anak", "Belum Kawin", fam=other
    )
    r = import_file(engine, "keluarga", write_csv(tmp_path / "k.csv", KELUARGA_HEADER, fam))
    assert {(i.baris, i.kolom, i.kode) for i in r.issues} == {
        (n, "Sumber Air Minum", "keluarga_tidak_konsisten") for n in (2, 3, 4)
    }
    assert count(engine, families) == 0
    # The first member names the next and how many more; the others name the first.
    named = {i.baris: (i.params["other_rows"], i.params["more"]) for i in r.issues}
    assert named == {2: ("3", 1), 3: ("2", 0), 4: ("2", 0)}
    text = {i.baris: issue_text(i, "en") for i in r.issues}
    assert "see also row 3 (and 1 more rows)." in text[2] and "see also row 2." in text[3]


def test_a_windows_1252_file_loads_with_a_warning_in_its_report(engine, tmp_path) -> None:
    rows = clean_family()
    rows[1][2] = "Sîti Aminah"
    path = tmp_path / "k.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh).writerows([KELUARGA_HEADER, *rows])
    r = import_file(engine, "keluarga", path)
    assert (r.status, r.rows_loaded, r.rows_warned) == ("dimuat", 3, 0)
    assert [(i.baris, i.kode, i.tingkat) for i in r.issues] == [
        (None, ASSUMED, "warning"),
        (None, "penyandian_bukan_utf8", "warning"),
    ]
    with engine.connect() as conn:
        stored = conn.execute(
            select(import_issues.c.kode, import_issues.c.alasan).where(
                import_issues.c.kode != ASSUMED
            )
        ).one()
        siti = conn.execute(select(persons.c.nama).where(persons.c.nik == rows[1][1])).scalar()
    assert stored.kode == "penyandian_bukan_utf8" and "Windows-1252" in stored.alasan
    assert siti == "Sîti Aminah"


def test_an_unreadable_file_is_refused_with_a_sentence(engine, tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("No KK,NIK\n" + "1," + "x" * 40_000 + "\n", encoding="utf-8")
    r = import_file(engine, "keluarga", path)
    assert r.status == "ditolak" and r.refusal is not None
    assert issue_text(r.refusal, "id") == (
        "Sel di baris 2 berisi lebih dari 32.767 karakter (batas satu sel Excel); berkas ditolak."
    )
    assert count(engine, import_batches) == 0


def test_reimport_changes_nothing_and_a_newer_file_keeps_history(engine, tmp_path) -> None:
    f = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, clean_family())
    first = import_file(engine, "keluarga", f)
    again = import_file(engine, "keluarga", f)
    assert again.status == "sudah" and again.previous_batch == first.batch_id
    assert count(engine, import_batches) == 1
    # Same rows saved under another name, columns reordered: stored, nothing changes.
    rows = [list(reversed(r)) for r in clean_family()]
    copy = write_csv(tmp_path / "k2.csv", list(reversed(KELUARGA_HEADER)), rows)
    second = import_file(engine, "keluarga", copy)
    assert (second.counts.inserted, second.counts.updated, second.counts.unchanged) == (0, 0, 4)
    assert count(engine, value_history) == 0
    # A newer file: the family now has a bored well and Siti is pregnant.
    newer_fam = list(FAM)
    newer_fam[4] = "Sumur Bor"
    rows = [
        person(
            KK1,
            "6408010101880002",
            "Budi Santoso",
            "L",
            "01/01/1988",
            "Kepala Keluarga",
            fam=newer_fam,
        ),
        person(
            KK1,
            "6408014501900001",
            "Siti Aminah",
            "P",
            "05/01/1990",
            "Istri",
            hamil="Ya",
            kb="Suntik",
            fam=newer_fam,
        ),
    ]
    newer = import_file(engine, "keluarga", write_csv(tmp_path / "k3.csv", KELUARGA_HEADER, rows))
    assert (newer.counts.inserted, newer.counts.updated, newer.counts.unchanged) == (0, 2, 1)
    with engine.connect() as conn:
        hist = conn.execute(select(value_history).order_by(value_history.c.field)).all()
        fam = conn.execute(select(families)).one()
    assert fam.sumber_air == "sumur_bor" and fam.batch_id == newer.batch_id
    changes = {(h.table_name, h.record_key, h.field, h.old_value, h.new_value) for h in hist}
    assert changes == {
        ("families", KK1, "sumber_air", "ledeng", "sumur_bor"),
        ("persons", "6408014501900001", "hamil", "0", "1"),
    }
    assert {(h.old_batch_id, h.new_batch_id) for h in hist} == {(first.batch_id, newer.batch_id)}


def test_missing_required_column_refuses_the_whole_file(engine, tmp_path: Path) -> None:
    header = [h for h in KELUARGA_HEADER if h != "NIK"]
    rows = [
        [v for h, v in zip(KELUARGA_HEADER, r, strict=True) if h != "NIK"] for r in clean_family()
    ]
    r = import_file(engine, "keluarga", write_csv(tmp_path / "k.csv", header, rows))
    assert r.status == "ditolak" and r.refusal is not None
    assert (r.refusal.kode, r.refusal.params["column"]) == ("kolom_wajib_hilang", "NIK")
    assert count(engine, persons) == 0 and count(engine, families) == 0


def test_dry_run_stores_nothing(engine, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, clean_family())
    r = import_file(engine, "keluarga", f, dry_run=True)
    assert r.status == "uji" and r.counts.inserted == 4
    assert count(engine, persons) == 0 and count(engine, import_batches) == 0
    assert import_file(engine, "keluarga", f).status == "dimuat"


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows(engine, tmp_path: Path) -> None:
    rows: list[list[object]] = [list(r) for r in clean_family()]
    rows[1][1] = 6408014501900001.0  # Excel turned the NIK into a number
    rows[2][4] = date(2020, 3, 15)  # a real date cell
    f = write_xlsx(tmp_path / "k.xlsx", KELUARGA_HEADER, rows, blank_rows=1)
    r = import_file(engine, "keluarga", f)
    assert codes(r) == {(4, "NIK", "nik_notasi_ilmiah")}  # header on row 2, data from row 3
    with engine.connect() as conn:
        ahmad = conn.execute(select(persons).where(persons.c.nama == "Ahmad Budi")).one()
    assert ahmad.tanggal_lahir == date(2020, 3, 15) and ahmad.baris == 5


P3KE_HEADER = [
    "No KK",
    "NIK Kepala Keluarga",
    "Nama Kepala Keluarga",
    "Kode Desa",
    "Alamat",
    "Desil Kesejahteraan",
    "Penerima PKH",
    "Penerima BPNT",
    "Pengeluaran per Kapita",
]


def test_p3ke_sets_deciles_with_their_own_provenance(engine, tmp_path: Path) -> None:
    import_file(engine, "keluarga", write_csv(tmp_path / "k.csv", KELUARGA_HEADER, clean_family()))
    rows = [
        [
            KK1,
            "6408010101880002",
            "Budi Santoso",
            "6408012001",
            "Jl. Poros",
            "1",
            "Ya",
            "T",
            "Rp 300.000",
        ],
        [KK2, "6408010101700005", "Darto", "64.08.01.2002", "Jl. B", "2", "Tidak", "Ya", ""],
        ["6408010101200009", "", "Tono", "64.08.01.2002", "Jl. C", "5", "", "", ""],
        [KK2, "6408010101700005", "Darto", "64.08.01.2002", "Jl. B", "3", "Tidak", "Ya", ""],
    ]
    r = import_file(
        engine, "p3ke", write_xlsx(tmp_path / "p.xlsx", P3KE_HEADER, rows, blank_rows=1)
    )
    assert codes(r) == {
        (5, "Desil Kesejahteraan", "desil_tidak_valid"),
        (4, "No KK", "kk_ganda"),
        (6, "No KK", "kk_ganda"),
    }
    with engine.connect() as conn:
        fam = conn.execute(select(families).where(families.c.no_kk == KK1)).one()
    assert (fam.desil, fam.penerima_pkh, fam.penerima_bpnt, fam.pengeluaran_per_kapita) == (
        1,
        True,
        False,
        300000,
    )
    assert fam.desil_batch_id == r.batch_id and fam.desil_baris == 3
    assert fam.batch_id != r.batch_id  # the roster fields keep the roster's provenance


EPPGBM_HEADER = [
    "NIK Anak",
    "Nama Anak",
    "JK",
    "Tgl Lahir",
    "Nama Ortu",
    "NIK Orang Tua",
    "Kecamatan",
    "Desa/Kel",
    "Posyandu",
    "RT",
    "RW",
    "Tgl Ukur",
    "BB",
    "TB",
    "Cara Ukur",
    "LiLA",
    "ZS TB/U",
]


def test_eppgbm_resolves_region_names_and_keeps_children_without_nik(engine, tmp_path) -> None:
    rows = [
        [
            "6408011503200003",
            "Ahmad Budi",
            "L",
            "15/03/2020",
            "Siti Aminah",
            "6408014501900001",
            "MUARA ANCALONG",
            "senyiur",
            "Melati 1",
            "1",
            "2",
            "10/02/2023",
            "12,5",
            "88.1",
            "Berdiri",
            "14",
            "-2.1",
        ],
        [
            "",
            "Bayi Tanpa NIK",
            "P",
            "01/06/2022",
            "Rina",
            "6408014501900001",
            "Kongbeng",
            "Kombeng Indah",
            "Mawar",
            "",
            "",
            "10/02/2023",
            "8.2",
            "70",
            "Terlentang",
            "",
            "",
        ],
        [
            "",
            "Anak Lain",
            "P",
            "01/06/2022",
            "Rina",
            "",
            "Muara Ancalong",
            "Desa Atlantis",
            "Mawar",
            "",
            "",
            "10/02/2023",
            "8.2",
            "70",
            "Terlentang",
            "",
            "",
        ],
        [
            "6408015506210004",
            "Anak Tiga",
            "P",
            "15/06/2021",
            "Rina",
            "",
            "Muara Ancalong",
            "Senyiur",
            "Mawar",
            "",
            "",
            "10/02/2021",
            "8.2",
            "70",
            "Terlentang",
            "",
            "",
        ],
    ]
    r = import_file(engine, "eppgbm", write_xlsx(tmp_path / "e.xlsx", EPPGBM_HEADER, rows))
    assert codes(r) == {
        (3, "NIK Anak", "nik_anak_kosong"),
        (4, "NIK Anak", "nik_anak_kosong"),
        (4, "Desa/Kel", "nama_wilayah_tidak_dikenal"),
        (5, "Tgl Ukur", "tanggal_ukur_sebelum_lahir"),
    }
    with engine.connect() as conn:
        rows_db = conn.execute(select(measurements).order_by(measurements.c.baris)).all()
    assert [(m.kode_desa, m.berat, m.tinggi, m.cara_ukur) for m in rows_db] == [
        ("64.08.01.2001", 12.5, 88.1, "berdiri"),
        ("64.08.08.2006", 8.2, 70.0, "berbaring"),
    ]
    assert rows_db[1].nik_anak is None and rows_db[1].record_key.startswith("~")
    assert import_file(engine, "eppgbm", tmp_path / "e.xlsx").status == "sudah"


def test_intervensi_and_desa(engine, tmp_path: Path) -> None:
    header = [
        "Kode Program",
        "No KK",
        "NIK",
        "Nama",
        "Kode Desa",
        "Tanggal",
        "Status",
        "Nilai (Rp)",
        "Keterangan",
    ]
    rows = [
        [
            "pmt-baznas",
            KK1,
            "",
            "Budi",
            "64.08.01.2001",
            "01/03/2026",
            "Tersalurkan",
            "Rp 500.000",
            "",
        ],
        ["blt-dd", "", "", "Tanpa Identitas", "64.08.01.2001", "01/03/2026", "Usulan", "", ""],
        ["blt-dd", KK1, "", "Budi", "64.08.01.2001", "01/03/2026", "Dibatalkan", "", ""],
    ]
    r = import_file(engine, "intervensi", write_csv(tmp_path / "i.csv", header, rows))
    assert codes(r) == {(3, "No KK", "nilai_wajib_kosong"), (4, "Status", "pilihan_tidak_dikenal")}
    assert count(engine, interventions) == 1
    header = [
        "Kode Desa",
        "Jaringan Air Bersih",
        "Tahun",
        "Sambungan Rumah",
        "Biaya Jaringan",
        "Jumlah Posyandu",
    ]
    rows = [
        ["6408012001", "Beroperasi", "2024", "120", "Rp 1.500.000.000", "3"],
        ["64.08.01.2002", "Belum Ada", "", "", "2.000.000.000", ""],
    ]
    r = import_file(engine, "desa", write_csv(tmp_path / "d.csv", header, rows))
    assert codes(r) == set() and r.rows_loaded == 2
    with engine.connect() as conn:
        v = conn.execute(select(village_facts).order_by(village_facts.c.kode_desa)).all()
    assert (v[0].jaringan_air, v[0].sambungan_rumah, v[0].biaya_jaringan, v[0].indikator_lain) == (
        "beroperasi",
        120,
        1_500_000_000,
        {"Jumlah Posyandu": "3"},
    )
    assert v[1].indikator_lain is None and v[1].biaya_jaringan == 2_000_000_000


@pytest.mark.parametrize("kind", ["keluarga", "p3ke", "eppgbm", "intervensi", "desa"])
def test_every_kind_refuses_a_file_without_its_region_or_key(engine, tmp_path, kind) -> None:
    f = write_csv(tmp_path / "x.csv", ["Nama", "Catatan"], [["A", "B"]])
    r = import_file(engine, kind, f)
    assert r.status == "ditolak"
    assert r.refusal is not None and r.refusal.kode in (
        "kolom_wajib_hilang",
        "wilayah_kolom_hilang",
    )
