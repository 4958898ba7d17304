"""Hostile and broken files: every one is answered with a sentence, quickly and in bounded memory.

The corpus (tests/hostile.py) is written at test time. Each file is read in-process (what the
reader answers) and imported through the real CLI in a child process (no traceback, the sentence
in the report, and the child's peak memory under 500 MB).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import os
import sys
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.ingest.limits import ReadLimits
from sinergi.ingest.reader import (
    ReadError,
    _scan_fast,
    column_letters,
    read_table,
)
from sinergi.ingest.report import issue_text
from sinergi.ingest.schema import KINDS
from sinergi.ingest.validate import validate
from sinergi.messages import t
from tests import hostile
from tests.hostile import (
    CORPUS,
    DESA_HEADER,
    SHEET_HEAD,
    SHEET_TAIL,
    Part,
    deflated,
    inline_row,
    run_measured,
    sheet_xml,
    workbook_parts,
    write_zip,
)

SINERGI = Path(sys.executable).with_name("sinergi")
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.build_corpus(tmp_path_factory.mktemp("hostile"))


def refusal(path: Path, **limits: int) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_table(path, limits=ReadLimits(**limits))
    return info.value


def refusal_sheet(path: Path, sheet: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_table(path, sheet)
    return info.value


def sentence(err: ReadError, lang: str = "id") -> str:
    return t(err.code, lang, **err.params)  # type: ignore[arg-type]


# --- the corpus, read in-process ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_corpus_file_is_refused_with_its_sentence_or_read(corpus, name: str) -> None:
    case = CORPUS[name]
    if case.refusal is None:
        table = read_table(corpus[name])
        assert table.rows and table.header[0] == "Kode Desa"
        assert [n.code for n in table.notes] == ([case.note] if case.note else [])
        return
    err = refusal(corpus[name])
    assert err.code == case.refusal
    for lang in ("id", "en"):
        text = sentence(err, lang)
        assert text != err.code and "{" not in text and text.endswith(".")


def test_far_cell_names_the_cell_and_the_limits_in_both_languages(corpus) -> None:
    err = refusal(corpus["sel_jauh"])
    assert sentence(err) == (
        "Berkas berisi sel di baris 400.000 kolom ZZ; batas yang diterima "
        "adalah 1.100.000 baris × 500 kolom."
    )
    assert sentence(err, "en") == (
        "The file has a cell on row 400,000, column ZZ; the accepted "
        "limit is 1,100,000 rows × 500 columns."
    )


def test_zip_bombs_are_refused_before_they_are_unpacked(corpus) -> None:
    err = refusal(corpus["bom_zip"])
    assert (err.params["part"], err.params["ratio"], err.params["limit"]) == (
        "xl/sharedStrings.xml",
        1010,
        200,
    )
    # A directory that understates the size is caught by the real bytes, within the first MB.
    assert refusal(corpus["bom_zip_tersembunyi"]).params["part"] == "xl/sharedStrings.xml"


def test_a_sparse_used_range_is_refused_and_a_stray_cell_named(corpus) -> None:
    err = refusal(corpus["baris_jauh"])
    assert (err.params["row"], err.params["column"]) == (1_048_576, "T")
    assert "20.971.518 dari 20.971.520 sel" in sentence(err)


def test_utf16_csv_from_excel_unicode_text_is_read(corpus) -> None:
    table = read_table(corpus["utf16"])
    assert table.header == DESA_HEADER
    assert table.rows == [
        ["6408012001", "Beroperasi", "2024", "120"],
        ["64.08.01.2002", "Belum Ada", "", ""],
    ]
    assert table.row_numbers == [2, 3]
    assert table.notes[0].params == {"encoding": "UTF-16"}


def test_cp1252_with_an_undefined_byte_is_read_with_a_warning(corpus) -> None:
    table = read_table(corpus["cp1252"])
    assert table.rows == [["6408012001", "Beroperasi", "2024", "Sumur – Pipa \x81 café"]]
    assert table.notes[0].params == {"encoding": "Windows-1252/Latin-1"}
    issue = validate(table, KINDS["desa"]).issues[0]
    assert (issue.baris, issue.kode, issue.tingkat) == (None, "penyandian_bukan_utf8", "warning")
    assert "Windows-1252/Latin-1, bukan UTF-8" in issue_text(issue, "id")


def test_plain_cp1252_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "ansi.csv"
    path.write_bytes("Kode Desa,Catatan\n6408012001,Sumur – café\n".encode("cp1252"))
    table = read_table(path)
    assert table.rows == [["6408012001", "Sumur – café"]]
    assert table.notes[0].params == {"encoding": "Windows-1252"}


def test_utf8_with_and_without_bom_gives_no_warning(tmp_path: Path) -> None:
    for name, bom in (("a.csv", b""), ("b.csv", codecs.BOM_UTF8)):
        path = tmp_path / name
        path.write_bytes(bom + "Kode Desa;Catatan\n6408012001;Sumur – café\n".encode())
        table = read_table(path)
        assert (table.header, table.rows, table.notes) == (
            ["Kode Desa", "Catatan"],
            [["6408012001", "Sumur – café"]],
            [],
        )
        assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_long_fields_are_refused_naming_the_row(corpus, tmp_path: Path) -> None:
    # 200,000 characters: past the csv module's own limit; 40,000: past Excel's cell limit only.
    err = refusal(corpus["sel_panjang"])
    assert (err.params["row"], err.params["limit"]) == (3, 32_767)
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4\n5," + "y" * 40_000 + "\n", encoding="utf-8")
    assert (refusal(path).code, refusal(path).params["row"]) == ("sel_terlalu_panjang", 4)
    assert "baris 4 berisi lebih dari 32.767 karakter" in sentence(refusal(path))


def test_type_comes_from_the_bytes(corpus, tmp_path: Path) -> None:
    assert read_table(corpus["xlsx_bernama_csv"]).sheet == "Data"
    note = read_table(corpus["csv_bernama_xlsx"]).notes[0]
    assert note.params == {"suffix": ".xlsx", "actual": "CSV"}
    ole = tmp_path / "lama.xls"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert refusal(ole).code == "format_xls"
    ods = write_zip(
        tmp_path / "x.ods",
        [
            deflated("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            deflated("content.xml", b"<x/>"),
        ],
    )
    assert refusal(ods).code == "format_ods"
    docx = write_zip(tmp_path / "x.xlsx", [deflated("word/document.xml", b"<x/>")])
    assert refusal(docx).code == "zip_bukan_xlsx"
    text = tmp_path / "nul.csv"
    text.write_bytes(b"a,b\n1,\x002\n")
    assert refusal(text).code == "berkas_biner"


# --- the caps, each hit with small limits -------------------------------------------------------


def test_csv_caps_rows_columns_cells_size_and_memory(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n" + "1,2,3\n" * 50, encoding="utf-8")
    err = refusal(path, max_rows=20)
    assert (err.code, err.params["row"], err.params["max_rows"]) == ("sel_di_luar_batas", 21, 20)
    err = refusal(path, max_columns=2)
    assert (err.code, err.params["row"], err.params["column"]) == ("sel_di_luar_batas", 1, "C")
    assert refusal(path, max_cells=100).code == "sel_terlalu_banyak"
    err = refusal(path, max_file_bytes=100)
    assert (err.code, err.params["limit"]) == ("berkas_melebihi_batas", 1)
    big = tmp_path / "big.csv"
    big.write_text("a,b\n" + "x,y\n" * 20_000, encoding="utf-8")
    err = refusal(big, max_memory_bytes=MiB)
    assert err.code == "memori_terlalu_besar" and err.params["need"] > 1
    assert read_table(big).rows[-1] == ["x", "y"]


def test_xlsx_caps(tmp_path: Path) -> None:
    rows = [inline_row(1, DESA_HEADER)] + [
        inline_row(n, ["6408012001", "Ada", "2024"]) for n in range(2, 60)
    ]
    path = write_zip(tmp_path / "x.xlsx", workbook_parts(sheet_xml(rows)))
    assert len(read_table(path).rows) == 58
    err = refusal(path, max_rows=30)
    assert (err.code, err.params["row"], err.params["column"]) == ("sel_di_luar_batas", 59, "A")
    err = refusal(path, max_columns=3)
    assert (err.code, err.params["column"]) == ("sel_di_luar_batas", "D")
    assert refusal(path, max_cells=100).code == "sel_terlalu_banyak"
    assert refusal(path, max_zip_members=3).code == "zip_terlalu_banyak_bagian"
    assert refusal(path, max_uncompressed_bytes=2_000).code == "zip_terlalu_besar_terurai"
    assert refusal(path, max_compression_ratio=2, ratio_floor_bytes=100).code == "zip_rasio"
    assert refusal(path, max_memory_bytes=10_000).code == "memori_terlalu_besar"
    shared = deflated("xl/sharedStrings.xml", hostile.SST_HEAD + b"<si><t>a</t></si></sst>")
    with_sst = write_zip(tmp_path / "s.xlsx", workbook_parts(sheet_xml(rows), shared))
    err = refusal(with_sst, max_shared_strings_bytes=10)
    assert err.code == "teks_bersama_terlalu_besar"


def test_the_dimension_tag_is_not_trusted(tmp_path: Path) -> None:
    # The sheet says A1, and its only far cell has a prefixed tag: both must be seen through.
    for cell in (
        '<c r="ZZ9"><v>1</v></c>',
        '<x:c r="ZZ9"><x:v>1</x:v></x:c>',
        '<c  r="ZZ9"><v>1</v></c>',
        "<c r='ZZ9'><v>1</v></c>",
    ):
        rows = [inline_row(1, DESA_HEADER), f'<row r="9">{cell}</row>']
        path = write_zip(tmp_path / "d.xlsx", workbook_parts(sheet_xml(rows)))
        err = refusal(path)
        assert (err.code, err.params["row"], err.params["column"]) == ("sel_di_luar_batas", 9, "ZZ")


def test_cells_without_position_are_placed_as_calamine_places_them(tmp_path: Path) -> None:
    rows = [
        '<row r="1">'
        + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in DESA_HEADER)
        + "</row>",
        '<row r="3"><c t="inlineStr"><is><t>6408012001</t></is></c><c/>'
        '<c t="inlineStr"><is><t>2024</t></is></c></row>',
        '<row><c r="B4" t="inlineStr"><is><t>Ada</t></is></c>'
        '<c t="inlineStr"><is><t>1999</t></is></c></row>',
    ]
    table = read_table(write_zip(tmp_path / "p.xlsx", workbook_parts(sheet_xml(rows))))
    assert table.rows == [["6408012001", "", "2024", ""], ["", "Ada", "1999", ""]]
    assert table.row_numbers == [3, 4]


def test_a_large_sheet_written_the_unusual_way_is_refused_before_it_is_slow(tmp_path) -> None:
    rows = ['<row r="1"><c t="inlineStr"><is><t>Kode Desa</t></is></c></row>']
    rows += [f"<row>{'<c><v>1</v></c>' * 10}</row>" for _ in range(1_000)]
    path = write_zip(tmp_path / "x.xlsx", workbook_parts(sheet_xml(rows)))
    assert len(read_table(path).rows) == 1_000
    err = refusal(path, max_unusual_cells=5_000)
    assert (err.code, err.params["part"]) == (
        "sel_tidak_baku_terlalu_banyak",
        "xl/worksheets/sheet1.xml",
    )


def test_a_cell_reference_split_between_two_pieces_is_still_seen(tmp_path: Path) -> None:
    filler = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 5000))
    far = '<row r="9000"><c r="ZZ9000"><v>1</v></c></row>'
    head = SHEET_HEAD + filler.encode()
    data = head + far.encode() + SHEET_TAIL
    ref = data.index(b'<c r="ZZ9000"')
    for cut in range(ref - 1, ref + 14):
        extent = _scan_fast("s", [data[:cut], data[cut:]], ReadLimits(max_columns=16_384))
        assert (extent.rows, extent.columns) == (9000, 702), cut
    # The same through a stored (uncompressed) part, cut by the reader at 256 KiB.
    pad = 256 * 1024 - ref - 4
    data = head + b" " * pad + far.encode() + SHEET_TAIL
    assert data.index(b'<c r="ZZ9000"') < 256 * 1024 < data.index(b'<c r="ZZ9000"') + 10
    stored = Part("xl/worksheets/sheet1.xml", data, zlib.crc32(data), len(data), stored=True)
    assert refusal(write_zip(tmp_path / "s.xlsx", workbook_parts(stored))).params["column"] == "ZZ"


def test_damaged_and_unusual_zips_are_refused(tmp_path: Path) -> None:
    sheet = sheet_xml([inline_row(1, DESA_HEADER)])
    twice = workbook_parts(sheet) + [deflated("XL/Workbook.xml", hostile.WORKBOOK)]
    assert refusal(write_zip(tmp_path / "a.xlsx", twice)).code == "zip_rusak"
    doctype = [
        deflated("xl/workbook.xml", b'<!DOCTYPE x [<!ENTITY a "b">]>' + hostile.WORKBOOK)
        if p.name == "xl/workbook.xml"
        else p
        for p in workbook_parts(sheet)
    ]
    assert refusal(write_zip(tmp_path / "b.xlsx", doctype)).code == "xml_tidak_didukung"
    utf16 = [
        deflated(p.name, hostile.WORKBOOK.decode().encode("utf-16"))
        if p.name == "xl/workbook.xml"
        else p
        for p in workbook_parts(sheet)
    ]
    assert refusal(write_zip(tmp_path / "c.xlsx", utf16)).code == "xml_tidak_didukung"
    good = write_zip(tmp_path / "d.xlsx", workbook_parts(sheet)).read_bytes()
    flipped = bytearray(good)
    flipped[good.index(b"PK\x01\x02") - 10] ^= 0xFF  # inside the last part's data
    (tmp_path / "e.xlsx").write_bytes(bytes(flipped))
    assert refusal(tmp_path / "e.xlsx").code in ("zip_bagian_rusak", "zip_rusak")
    encrypted = bytearray(good)
    at = good.index(b"PK\x01\x02")
    encrypted[at + 8] |= 1  # the encryption flag of the first member in the directory
    (tmp_path / "f.xlsx").write_bytes(bytes(encrypted))
    assert refusal(tmp_path / "f.xlsx").code == "zip_bagian_tidak_didukung"


def test_spreadsheet_rows_keep_their_numbers_when_data_starts_lower_right(tmp_path) -> None:
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(2, 2, ["Kode Desa", "Tahun"])
    ws.write_row(3, 2, ["6408012001", 2024])
    ws.write_row(6, 2, [" 64.08.01.2002 ", 6408014501900001.0])
    wb.close()
    table = read_table(path)
    assert (table.header, table.header_row, table.row_numbers) == (
        ["Kode Desa", "Tahun"],
        3,
        [4, 7],
    )
    assert table.rows == [["6408012001", "2024"], ["64.08.01.2002", "6.40801E+15"]]
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_unknown_sheet_and_a_second_sheet(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Satu").write_row(0, 0, ["a"])
    two = wb.add_worksheet("Dua")
    two.write_row(0, 0, ["Kode Desa"])
    two.write_row(1, 0, ["6408012001"])
    wb.close()
    assert read_table(path, "Dua").rows == [["6408012001"]]
    err = refusal_sheet(path, "Tiga")
    assert (err.code, err.params["available"]) == ("sheet_tidak_ada", "Satu, Dua")


def test_column_letters() -> None:
    assert [column_letters(n) for n in (1, 26, 27, 500, 702, 703, 16_384)] == [
        "A",
        "Z",
        "AA",
        "SF",
        "ZZ",
        "AAA",
        "XFD",
    ]


# --- duplicate keys: linear, and a short message ------------------------------------------------


def test_twenty_thousand_rows_of_one_village_name_one_row_each(corpus) -> None:
    checked = validate(read_table(corpus["desa_ganda"]), KINDS["desa"], today=date(2026, 1, 1))
    issues = [i for i in checked.issues if i.kode == "desa_ganda"]
    assert len(issues) == 20_000 and checked.rejected_rows == 20_000
    first, second, last = issues[0], issues[1], issues[-1]
    assert (first.baris, first.params["other_rows"], first.params["more"]) == (2, "3", 19_998)
    assert issue_text(first, "id") == (
        "Kode desa yang sama juga ada di baris 3 (dan 19.998 baris "
        "lain) berkas ini dengan data berbeda."
    )
    assert "row 3 (and 19,998 more rows)" in issue_text(first, "en")
    assert (second.params["other_rows"], last.params["other_rows"]) == ("2", "2")
    assert issue_text(last, "en") == (
        "The same village code also appears on row 2 of this file with different data."
    )
    # Every row names one other row: the report grows with the rows, not with their square.
    assert max(len(i.params["other_rows"]) for i in issues) == 1


# --- any bytes at all: a table or a ReadError, nothing else -------------------------------------

VALID_CSV = (
    b"Kode Desa,Jaringan Air Bersih,Tahun\n6408012001,Beroperasi,2024\n"
    b'"64.08.01.2002","Belum ""Ada""",\n'
)


def valid_xlsx() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, DESA_HEADER)
    ws.write_row(1, 0, ["6408012001", "Beroperasi", 2024, 120.5])
    ws.write_datetime(2, 0, datetime(2024, 1, 5))
    wb.close()
    return buf.getvalue()


VALID_XLSX = valid_xlsx()
SMALL = ReadLimits(
    max_rows=1_000,
    max_columns=50,
    max_cells=10_000,
    max_memory_bytes=64 * MiB,
    max_uncompressed_bytes=16 * MiB,
    max_shared_strings_bytes=4 * MiB,
)


def read_any(tmp: Path, name: str, data: bytes, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp / name
    path.write_bytes(data)
    caplog.clear()
    try:
        table = read_table(path, limits=SMALL)
    except ReadError as err:
        assert t(err.code, "id", **err.params) != err.code  # a sentence from the catalogue
    else:
        assert all(len(r) == len(table.header) for r in table.rows)
    # The reader's last line of defence (an unexpected exception) logs an error: none may occur.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for at, cut, insert in edits:
        i = at % (len(out) + 1)
        out[i : i + cut] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 1 << 20), st.integers(0, 8), st.binary(max_size=8)),
    min_size=1,
    max_size=6,
)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["x.csv", "x.xlsx", "x"]))
def test_random_bytes_give_a_table_or_a_sentence(
    tmp_path: Path, caplog, data: bytes, name: str
) -> None:
    read_any(tmp_path, name, data, caplog)


@FUZZ
@given(edits=EDITS)
def test_mutated_csv_gives_a_table_or_a_sentence(tmp_path: Path, caplog, edits) -> None:
    read_any(tmp_path, "x.csv", mutate(VALID_CSV, edits), caplog)


@FUZZ
@given(edits=EDITS)
def test_mutated_xlsx_bytes_give_a_table_or_a_sentence(tmp_path: Path, caplog, edits) -> None:
    read_any(tmp_path, "x.xlsx", mutate(VALID_XLSX, edits), caplog)


@FUZZ
@given(
    edits=EDITS,
    part=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/sharedStrings.xml",
        ]
    ),
)
def test_mutated_xml_inside_a_sound_zip_gives_a_table_or_a_sentence(
    tmp_path: Path, caplog, edits, part: str
) -> None:
    # The zip stays valid (right CRCs), so the damage reaches the XML scans and calamine.
    src = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            out.writestr(info.filename, mutate(body, edits) if info.filename == part else body)
    read_any(tmp_path, "x.xlsx", buf.getvalue(), caplog)


# --- the real CLI, in a child process: no traceback, a sentence, bounded memory -----------------


@pytest.mark.parametrize("name", list(CORPUS))
def test_cli_answers_every_corpus_file_in_bounded_memory(
    corpus, name: str, sqlite_url: str, tmp_path: Path
) -> None:
    case = CORPUS[name]
    report = tmp_path / "laporan.csv"
    env = {**os.environ, "SINERGI_LOG": str(tmp_path / "error.log"), "COLUMNS": "200"}
    run = run_measured(
        [
            str(SINERGI),
            "import",
            case.kind,
            str(corpus[name]),
            "--db",
            sqlite_url,
            "--report",
            str(report),
        ],
        tmp_path,
        env,
    )
    assert "Traceback" not in run.output and "kesalahan tak terduga" not in run.output, run.output
    assert run.peak_mib < 500, f"{name}: {run.peak_mib:.0f} MB"
    assert run.exit == (2 if case.refusal else 0), run.output
    with report.open(encoding="utf-8-sig") if report.exists() else io.StringIO("") as fh:
        codes = {row["kode"] for row in csv.DictReader(fh)}
    if case.refusal:
        assert "Berkas ditolak:" in run.output and case.refusal in codes
    if case.note:
        assert case.note in codes
