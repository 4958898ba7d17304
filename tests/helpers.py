"""Small source files written by tests, in CSV or XLSX, as an officer would receive them."""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from pathlib import Path

import xlsxwriter

from sinergi.ingest.schema import KINDS, REGION_COLUMNS

# The field before which formats.md places the region column (Kode Desa) in each kind's header.
_REGION_BEFORE = {
    "keluarga": "alamat",
    "p3ke": "alamat",
    "eppgbm": "posyandu",
    "intervensi": "tanggal",
    "desa": "jaringan_air",
}


def file_headers(
    kind: str, omit: Collection[str] = (), names: Mapping[str, str] | None = None
) -> list[str]:
    """The header of a ``kind`` file in the order formats.md gives: each column's header as the
    schema writes it, Kode Desa in its place; without the fields in ``omit``, and with ``names``
    (field → text, e.g. an alias) where the file writes a header another way."""
    region = REGION_COLUMNS[0]
    columns = []
    for col in KINDS[kind].columns:
        if col.name == _REGION_BEFORE[kind]:
            columns.append(region)
        columns.append(col)
    names = names or {}
    return [names.get(c.name, c.header) for c in columns if c.name not in omit]


# A roster without the optional Dusun, wish for a child and coordinates; ``person`` writes its
# rows.
KELUARGA_HEADER = file_headers("keluarga", omit=("ingin_anak", "dusun", "lintang", "bujur"))
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


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    """The values exactly as given (unlike ``core.spreadsheet.write_csv``, which neutralises text a
    spreadsheet would run: tests write such text on purpose), without a BOM unless the encoding
    writes one."""
    with path.open("w", encoding=encoding, newline="") as fh:
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
