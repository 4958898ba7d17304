"""Broken, hostile and very large source files, written at test time and by the benchmark
(benchmarks/hostile_bench.py).

Each corpus entry writes one file and says what a careful reader must answer: a refusal with a
message code, or a good read. Files are built from parts (a tiny zip writer below), so a zip bomb
of 1 GB unpacked costs about a second to write and 1 MB of disk.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

# Re-exported for tests/test_growth_file.py, which imports it from here.
from benchmarks.measured import run_measured as run_measured
from sinergi.ingest.vocab import LABELS
from sinergi.synth._dates import ddmmyy, dmy_strings
from tests.helpers import file_headers

# --- a minimal zip writer: precompressed parts, honest or lying directory ---------------------


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes  # as stored (deflated unless ``stored``)
    crc: int
    size: int  # real unpacked size
    stored: bool = False
    declared_size: int | None = None  # what the directory claims, when it lies


def deflated(name: str, raw: bytes) -> Part:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Part(name, co.compress(raw) + co.flush(), zlib.crc32(raw), len(raw))


def repeated(name: str, head: bytes, block: bytes, times: int, tail: bytes, level: int = 9) -> Part:
    """``head + block * times + tail`` deflated without ever holding it unpacked.

    After a full flush deflate starts afresh, so every copy of ``block`` compresses to the same
    bytes: compress it once and repeat the output."""
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    one = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    last = co.compress(tail) + co.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Part(name, first + one * times + last, crc, len(head) + len(block) * times + len(tail))


def write_zip(path: Path, parts: list[Part]) -> Path:
    local, central = bytearray(), bytearray()
    for p in parts:
        name = p.name.encode()
        method = 0 if p.stored else 8
        declared = p.size if p.declared_size is None else p.declared_size
        offset = len(local)
        local += (
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                0x21,
                p.crc,
                len(p.data),
                declared,
                len(name),
                0,
            )
            + name
            + p.data
        )
        central += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                p.crc,
                len(p.data),
                declared,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), len(local), 0
    )
    path.write_bytes(bytes(local + central + end))
    return path


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1"/><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
SST_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook_parts(sheet: Part | bytes, shared: Part | None = None) -> list[Part]:
    """The parts of a one-sheet XLSX ("Data"), around the given sheet and shared strings."""
    sheet_part = sheet if isinstance(sheet, Part) else deflated("xl/worksheets/sheet1.xml", sheet)
    parts = [
        deflated("[Content_Types].xml", CONTENT_TYPES),
        deflated("_rels/.rels", ROOT_RELS),
        deflated("xl/workbook.xml", WORKBOOK),
        deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet_part,
    ]
    if shared is not None:
        parts.append(shared)
    return parts


def sheet_xml(rows: list[str]) -> bytes:
    return SHEET_HEAD + "".join(rows).encode() + SHEET_TAIL


def inline_row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for col, v in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", values, strict=False)
    )
    return f'<row r="{number}">{cells}</row>'


# --- the corpus ---------------------------------------------------------------------------------

DESA_HEADER = file_headers("desa", omit=("biaya_jaringan",))


def small_xlsx(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, DESA_HEADER)
    ws.write_row(1, 0, ["6408012001", "Beroperasi", "2024", "120"])
    ws.write_row(2, 0, ["64.08.01.2002", "Belum Ada", "", ""])
    wb.close()
    return path


def truncated_zip(folder: Path) -> Path:
    whole = small_xlsx(folder / "whole.xlsx").read_bytes()
    (folder / "whole.xlsx").unlink()
    path = folder / "terpotong.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def zip_bomb(folder: Path, name: str, hidden: bool = False) -> Path:
    """1 MB on disk, 1 GB of shared strings unpacked (deflate's ratio of about 1,000). ``hidden``:
    the directory claims 1 MB unpacked, so the declared ratio is normal and only the real bytes
    tell."""
    block = b"A" * (1 << 20)
    shared = repeated(
        "xl/sharedStrings.xml", SST_HEAD + b"<si><t>", block, 1024, b"</t></si></sst>"
    )
    if hidden:
        shared = dataclasses.replace(shared, declared_size=len(shared.data))
    sheet = sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return write_zip(folder / name, workbook_parts(sheet, shared))


def far_cell(folder: Path, name: str, row: int, column: int) -> Path:
    """A few KB: "Kode Desa" at A1 and one value at (``row``, ``column``), both counted from 0."""
    path = folder / name
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write(0, 0, "Kode Desa")
    ws.write(row, column, "x")
    wb.close()
    return path


def cells_without_position(folder: Path) -> Path:
    """Cells written without ``r``, as some generators do: calamine places them by counting."""
    rows = [
        '<row r="1">'
        + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in DESA_HEADER)
        + "</row>",
        '<row r="2"><c t="inlineStr"><is><t>6408012001</t></is></c>'
        '<c t="inlineStr"><is><t>Beroperasi</t></is></c></row>',
        '<row r="400000"><c/><c/><c/>'
        + "<c/>" * 700
        + '<c t="inlineStr"><is><t>x</t></is></c></row>',
    ]
    return write_zip(folder / "tanpa-posisi.xlsx", workbook_parts(sheet_xml(rows)))


def huge_shared_strings(folder: Path) -> Path:
    """300 MB of shared strings at an ordinary compression ratio (about 60), file about 5 MB."""
    rng = np.random.default_rng(7)
    words = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 8)) for _ in range(1200)]
    unit = "".join(f"<si><t>{w}</t></si>" for w in words).encode()
    block = unit * ((1 << 20) // len(unit))
    shared = repeated("xl/sharedStrings.xml", SST_HEAD, block, 300, b"</sst>", level=1)
    sheet = sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return write_zip(folder / "teks-bersama-besar.xlsx", workbook_parts(sheet, shared))


def xlsx_named_csv(folder: Path) -> Path:
    path = small_xlsx(folder / "sebenarnya-xlsx.csv")
    return path


def csv_named_xlsx(folder: Path) -> Path:
    path = folder / "sebenarnya-csv.xlsx"
    path.write_text(
        "Kode Desa,Jaringan Air Bersih,Tahun\n6408012001,Beroperasi,2024\n", encoding="utf-8"
    )
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "kosong.csv"
    path.write_bytes(b"")
    return path


def binary_junk(folder: Path) -> Path:
    path = folder / "sampah.csv"
    path.write_bytes(np.random.default_rng(3).integers(0, 256, 200_000, np.uint8).tobytes())
    return path


def utf16_csv(folder: Path) -> Path:
    """Excel's "Unicode text": UTF-16 LE with BOM, tab-separated."""
    path = folder / "unicode.txt"
    text = (
        "\r\n".join(
            [
                "\t".join(DESA_HEADER),
                "6408012001\tBeroperasi\t2024\t120",
                "64.08.01.2002\tBelum Ada\t\t",
            ]
        )
        + "\r\n"
    )
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


def cp1252_csv(folder: Path) -> Path:
    """Windows-1252 with an en dash (0x96) and a byte Windows-1252 leaves undefined (0x81)."""
    path = folder / "ansi.csv"
    path.write_bytes(
        b"Kode Desa;Jaringan Air Bersih;Tahun;Catatan\r\n"
        b"6408012001;Beroperasi;2024;Sumur \x96 Pipa \x81 caf\xe9\r\n"
    )
    return path


def long_field_csv(folder: Path) -> Path:
    path = folder / "sel-panjang.csv"
    path.write_text(
        "Kode Desa,Catatan\n6408012001,ok\n6408012002," + "x" * 200_000 + "\n", encoding="utf-8"
    )
    return path


def duplicate_villages_csv(folder: Path, rows: int = 20_000) -> Path:
    """One village code on 20,000 rows with differing values (quadratic in the old validator)."""
    path = folder / "desa-ganda.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(DESA_HEADER)
        for i in range(rows):
            w.writerow(["64.08.01.2001", "Beroperasi", "2024", str(i)])
    return path


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    kind: str  # the file kind to import it as
    refusal: str | None  # the message code of the refusal, or None for a good read
    note: str | None = None  # a file-level warning the officer must see


CORPUS: dict[str, Case] = {
    "terpotong": Case(truncated_zip, "desa", "zip_rusak"),
    "bom_zip": Case(partial(zip_bomb, name="bom-zip.xlsx"), "desa", "zip_rasio"),
    "bom_zip_tersembunyi": Case(
        partial(zip_bomb, name="bom-zip-tersembunyi.xlsx", hidden=True), "desa", "zip_bagian_rusak"
    ),
    # ZZ400000: calamine would allocate a grid of about 9 GB for two cells.
    "sel_jauh": Case(
        partial(far_cell, name="sel-jauh.xlsx", row=399_999, column=701),
        "desa",
        "sel_di_luar_batas",
    ),
    # T1048576: within the row and column caps, but a used range of 21 million empty cells (670 MB
    # of calamine grid) for two values.
    "baris_jauh": Case(
        partial(far_cell, name="baris-jauh.xlsx", row=1_048_575, column=19),
        "desa",
        "sel_kosong_terlalu_banyak",
    ),
    "tanpa_posisi": Case(cells_without_position, "desa", "sel_di_luar_batas"),
    "teks_bersama_besar": Case(huge_shared_strings, "desa", "teks_bersama_terlalu_besar"),
    "xlsx_bernama_csv": Case(xlsx_named_csv, "desa", None, "jenis_berkas_tidak_sesuai"),
    "csv_bernama_xlsx": Case(csv_named_xlsx, "desa", None, "jenis_berkas_tidak_sesuai"),
    "nol_bait": Case(empty_file, "desa", "berkas_nol_bait"),
    "sampah_biner": Case(binary_junk, "desa", "berkas_biner"),
    "utf16": Case(utf16_csv, "desa", None, "penyandian_bukan_utf8"),
    "cp1252": Case(cp1252_csv, "desa", None, "penyandian_bukan_utf8"),
    "sel_panjang": Case(long_field_csv, "desa", "sel_terlalu_panjang"),
    "desa_ganda": Case(duplicate_villages_csv, "desa", None),
}


def build_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: case.build(folder) for name, case in CORPUS.items()}


# --- a valid, large family roster (formats.md §1) -----------------------------------------------

ROSTER_HEADER = [*file_headers("keluarga", omit=("ingin_anak",)), "Pekerjaan"]
_WATER = [
    LABELS["sumber_air"][code]
    for code in (
        "kemasan",
        "ledeng",
        "sumur_bor",
        "sumur_terlindung",
        "sumur_tak_terlindung",
        "mata_air",
        "sungai_danau",
    )
]
_LATRINE = list(LABELS["jamban"].values())
_KB = [
    LABELS["kontrasepsi"][code]
    for code in ("tidak_kb", "iud", "implan", "suntik", "pil", "kondom", "mal")
]
_RELATION = [LABELS["hubungan"][code] for code in ("kepala_keluarga", "istri", "anak")]
_MARRIED, _SINGLE = LABELS["status_kawin"]["kawin"], LABELS["status_kawin"]["belum_kawin"]
_JOBS = ["Petani", "Nelayan", "Pedagang", "Buruh", "PNS", "Wiraswasta", "Belum Bekerja"]
_NAMES = [
    "Budi",
    "Siti",
    "Ahmad",
    "Dewi",
    "Agus",
    "Rina",
    "Joko",
    "Sri",
    "Andi",
    "Nur",
    "Yusuf",
    "Maria",
    "Dedi",
    "Wati",
    "Hendra",
    "Lestari",
    "Rahmat",
    "Aminah",
    "Iwan",
    "Fitri",
    "Bambang",
    "Yuliana",
    "Hasan",
    "Kartini",
    "Imam",
    "Ratna",
    "Slamet",
    "Ayu",
    "Eko",
    "Indah",
    "Rudi",
    "Sari",
    "Herman",
    "Novi",
    "Arif",
    "Dian",
    "Taufik",
    "Wulan",
    "Fajar",
    "Lina",
]


def roster_csv(path: Path, people: int, seed: int = 1) -> Path:
    """A valid keluarga roster of ``people`` rows (families of 1–6), 20 columns, seeded.

    NIKs carry the person's birth date and sex, as real ones do, so the file validates clean."""
    from sinergi.wilayah import get_wilayah

    rng = np.random.default_rng(seed)
    villages = [v.kode for v in get_wilayah().villages("64.08")]
    sizes = rng.integers(1, 7, people)
    families = int(np.searchsorted(np.cumsum(sizes), people)) + 1
    sizes = sizes[:families]
    sizes[-1] -= int(sizes.sum()) - people
    family_of = np.repeat(np.arange(families), sizes)
    member = np.arange(people) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    village = rng.integers(0, len(villages), families)
    today = np.datetime64("2025-06-30")
    head_age = rng.integers(20 * 365, 70 * 365, families)
    born = np.where(
        member == 0,
        today - head_age[family_of],
        np.where(
            member == 1,
            today - head_age[family_of] + rng.integers(-1500, 1500, people),
            today - rng.integers(30, 18 * 365, people),
        ),
    ).astype("datetime64[D]")
    female = np.where(
        member == 0, rng.random(people) < 0.1, np.where(member == 1, True, rng.random(people) < 0.5)
    )
    water = rng.integers(0, len(_WATER), families)
    latrine = rng.integers(0, len(_LATRINE), families)
    house = rng.random(families) < 0.8
    lat = -rng.random(families) + 1.5
    lng = rng.random(families) + 116.5
    # Four names of forty (2.56 million combinations): nearly every person named differently.
    names = rng.integers(0, len(_NAMES), (people, 4))
    kec = np.array([v.replace(".", "")[:6] for v in villages], dtype=object)[village]
    stems = kec[family_of] + ddmmyy(born, female)
    serials = pd.Series(stems).groupby(stems).cumcount().to_numpy() + 1
    born_text = dmy_strings(born)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(ROSTER_HEADER)
        for i in range(people):
            f = int(family_of[i])
            code = villages[int(village[f])]
            m = int(member[i])
            adult = m <= 1
            w.writerow(
                [
                    f"{kec[f]}{f:010d}",
                    f"{stems[i]}{serials[i]:04d}",
                    " ".join(_NAMES[k] for k in names[i]),
                    "P" if female[i] else "L",
                    born_text[i],
                    _RELATION[min(m, 2)],
                    _MARRIED if adult else _SINGLE,
                    ("Tidak" if adult else "") if female[i] else "",
                    _KB[(i + f) % len(_KB)] if m == 1 else "",
                    code,
                    f"Jl. Poros No. {f % 500 + 1}",
                    f"Dusun {f % 7 + 1}",
                    f"{f % 20 + 1:03d}",
                    f"{f % 9 + 1:03d}",
                    _WATER[int(water[f])],
                    _LATRINE[int(latrine[f])],
                    "Ya" if house[f] else "Tidak",
                    f"{lat[f]:.5f}",
                    f"{lng[f]:.5f}",
                    _JOBS[(i * 3) % len(_JOBS)] if adult else "Belum Bekerja",
                ]
            )
    return path
