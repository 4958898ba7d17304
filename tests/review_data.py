"""Two families and their children as the posyandu wrote them — each child with one wrong NIK
digit and its name spelled another way — imported through the door and linked with thresholds
that send both pairs to the review queue: for the review tests of the module, the CLI and the
page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from sinergi.link.run import link
from sinergi.registry.importer import import_file
from sinergi.store.tables import link_pairs
from tests.helpers import person, write_csv

KELUARGA = [
    "No KK",
    "NIK",
    "Nama",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Hubungan Keluarga",
    "Status Kawin",
    "Hamil",
    "Alat Kontrasepsi",
    "Kode Desa",
    "Alamat",
    "RT",
    "RW",
    "Sumber Air Minum",
    "Jamban",
    "Rumah Layak Huni",
]
EPPGBM = [
    "NIK",
    "Nama",
    "JK",
    "Tgl Lahir",
    "Nama Ortu",
    "NIK Orang Tua",
    "Nomor KK",
    "Kode Desa",
    "Posyandu",
    "Tanggal Pengukuran",
    "Berat",
    "Tinggi",
    "Cara Ukur",
]
VILLAGE_A, VILLAGE_B = "64.08.01.2001", "64.08.01.2002"
KK_A, KK_B = "6408010101200001", "6408010101200002"
CHILD_A, POSYANDU_A = "6408011503240003", "6408011503240008"  # the last digit mistyped
CHILD_B, POSYANDU_B = "6408014506240005", "6408014506240009"
HOUSE = ["Jl. Poros 1", "001", "002", "Ledeng/PAM", "Jamban Sendiri dengan Septic Tank", "Ya"]


@dataclass(frozen=True)
class Queue:
    pair_a: int  # the child of village A (the Dinkes officer's area)
    pair_b: int  # the child of village B (outside it)


def eppgbm_id(nik: str) -> str:
    return f"eppgbm:{nik}"


def roster_id(nik: str) -> str:
    return f"keluarga:{nik}"


def queued(engine: Engine, tmp_path: Path) -> Queue:
    """Import the two families and their e-PPGBM children, link with every model pair waiting
    for an officer (threshold 1), and return the two waiting pairs."""
    a, b = [VILLAGE_A, *HOUSE], [VILLAGE_B, *HOUSE]
    rows = [
        person(
            KK_A, "6408010101880002", "Budi Santoso", "L", "01/01/1988", "Kepala Keluarga", fam=a
        ),
        person(KK_A, "6408014501900001", "Siti Aminah", "P", "05/01/1990", "Istri", fam=a),
        person(KK_A, CHILD_A, "Muhammad Rizky", "L", "15/03/2024", "Anak", "Belum Kawin", fam=a),
        person(
            KK_B, "6408010101850001", "Joko Susilo", "L", "01/01/1985", "Kepala Keluarga", fam=b
        ),
        person(KK_B, "6408014502880002", "Dewi Lestari", "P", "05/02/1988", "Istri", fam=b),
        person(KK_B, CHILD_B, "Nur Aisyah", "P", "05/06/2024", "Anak", "Belum Kawin", fam=b),
    ]
    roster = write_csv(tmp_path / "keluarga.csv", KELUARGA, rows)
    assert import_file(engine, "keluarga", roster).status == "dimuat"
    kids = [
        [POSYANDU_A, "Muhamad Rizki", "L", "15/03/2024", "Siti Aminah", "", "", VILLAGE_A]
        + ["Melati", "10/02/2026", "10,5", "80,1", "Berdiri"],
        [POSYANDU_B, "Nuraisyah", "P", "05/06/2024", "Dewi Lestari", "", "", VILLAGE_B]
        + ["Mawar", "10/02/2026", "9,5", "76,0", "Berdiri"],
    ]
    measured = write_csv(tmp_path / "eppgbm.csv", EPPGBM, kids)
    assert import_file(engine, "eppgbm", measured).status == "dimuat"
    result = link(engine, threshold=1.0, review_threshold=0.01, train=False)
    assert result.review == 2
    lp = link_pairs.c
    with engine.connect() as conn:
        ids = dict(conn.execute(select(lp.record_l, lp.id).where(lp.status == "menunggu")).all())
    return Queue(ids[eppgbm_id(POSYANDU_A)], ids[eppgbm_id(POSYANDU_B)])
