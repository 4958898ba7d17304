"""Small source files written by tests, in CSV or XLSX, as an officer would receive them."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

KELUARGA_HEADER = [
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
FAM = [
    "64.08.01.2001",
    "Jl. Poros No. 1",
    "001",
    "002",
    "Ledeng/PAM",
    "Jamban Sendiri dengan Septic Tank",
    "Ya",
]
KK1 = "6408010101200001"
KK2 = "6408010101200002"


def person(
    kk: str,
    nik: str,
    nama: str,
    jk: str,
    lahir: str,
    hub: str,
    kawin: str = "Kawin",
    hamil: str = "",
    kb: str = "",
    fam: list[str] | None = None,
) -> list[str]:
    f = fam or FAM
    return [
        kk,
        nik,
        nama,
        jk,
        lahir,
        hub,
        kawin,
        hamil,
        kb,
        f[0],
        f[1],
        f[2],
        f[3],
        f[4],
        f[5],
        f[6],
    ]


def clean_family() -> list[list[str]]:
    return [
        person(KK1, "6408010101880002", "Budi Santoso", "L", "01/01/1988", "Kepala Keluarga"),
        person(
            KK1,
            "6408014501900001",
            "Siti Aminah",
            "P",
            "05/01/1990",
            "Istri",
            hamil="Tidak",
            kb="Suntik",
        ),
        person(KK1, "6408011503200003", "Ahmad Budi", "L", "15/03/2020", "Anak", "Belum Kawin"),
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    blank_rows: int = 0,
    sheet: str = "Data",
) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    ws.write_row(blank_rows, 0, header)
    for i, row in enumerate(rows, start=blank_rows + 1):
        for j, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(i, j, v)
            elif v is not None:
                ws.write(i, j, v)
    wb.close()
    return path
