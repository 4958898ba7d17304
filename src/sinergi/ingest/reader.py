"""Read a CSV or XLSX source file into rows of text, keeping spreadsheet row numbers.

The header is the first non-empty row. Each data row keeps the number the spreadsheet shows
(header on line 1 → first data row is 2), counted the same way for CSV. Cell values become the
text an officer would see: numbers as Excel's General format shows them (so a NIK that Excel
turned into a number reads ``6.40801E+15`` and is reported as such), dates as yyyy-mm-dd.

Nothing in the file is trusted. Its type comes from its bytes, not its name; its size, the sheet's
used range, the parts of the zip and the CSV's encoding are checked against ``ReadLimits`` before
anything large is allocated; and every failure, for any input bytes, is a ``ReadError`` whose code
is a sentence in the message catalogue. Any other exception is a bug of this module: it is not
dressed up as a sentence here but reaches the caller's handler of unexpected errors (a reference
to quote, the details in the log).

XLSX is read by calamine (Rust), which allocates a dense grid over the sheet's used range and keeps
all shared strings in memory, so a 5 KB file with one far cell, or a zip bomb, would abort the
process. Before calamine is called, Python's pass over the file
- hashes it in the same sequential read that fetched its first bytes (the later checks and
  calamine read it again from the page cache);
- reads the zip directory's end record itself and refuses too many members; refuses names that
  differ only in case, encrypted members, a declared unpacked total or a compression ratio above
  the caps;
- streams every part calamine reads (workbook, its relationships, styles, shared strings, the
  chosen sheet) through zlib, checking the CRC and that the real size is the declared one;
- finds the sheet's real used range from the cells present (the ``<dimension>`` tag can lie), with
  a vectorised scan of the sheet XML, or a streaming XML parse in the rare files whose cells are
  not all written ``<c r="…"`` (no position, or a namespace prefix);
- refuses a used range above the row, column, cell or empty-cell caps, and an estimated memory
  above the memory cap.
.xls, .xlsb and .ods (which calamine could read too) are refused with a sentence: their containers
cannot be checked the same way, and formats.md promises CSV and XLSX only. calamine opens the file
by its path (``from_filelike`` would first copy the whole file into memory), and the file's
identity, size and modification time are compared before and after, so calamine reads the bytes
that were checked.

CSV is streamed row by row. UTF-8 (with or without BOM) is tried first, UTF-16 when the file starts
with its BOM (Excel's "Unicode text"), then Windows-1252, then Windows-1252 with its five undefined
bytes read as Latin-1; any encoding but UTF-8 is reported to the officer as a warning. NUL bytes
without a UTF-16 BOM, or a start that is mostly control characters, mean binary content.
"""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import io
import logging
import os
import posixpath
import re
import string
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, Literal
from xml.parsers import expat

import numpy as np
from python_calamine import CalamineSheet, CalamineWorkbook

from sinergi.core.display import Number
from sinergi.core.spreadsheet import column_letters, column_number
from sinergi.ingest.limits import DEFAULT_LIMITS, ReadLimits, megabytes

log = logging.getLogger(__name__)


class ReadError(Exception):
    """The file cannot be read at all; ``code`` is a message code, ``params`` its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ReadNote:
    """Something the officer should know about the whole file (a warning, not a refusal)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class RawTable:
    path: Path
    sheet: str | None  # None for CSV
    header: list[str]
    header_row: int  # spreadsheet row number of the header
    rows: list[list[str]]  # data rows, each as long as the header
    row_numbers: list[int]
    sha256: str
    notes: list[ReadNote] = field(default_factory=list)


def cell_text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(float(value))
    if isinstance(value, datetime):  # before date: a datetime is a date
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _number_text(v: float) -> str:
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if abs(v) >= 1e11:
        # Excel's General format shows 6 significant digits for large numbers.
        mantissa, exp = f"{v:.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E{exp[0]}{int(exp[1:]):02d}"
    return repr(v)


def read_table(
    path: Path, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> RawTable:
    """The file's header and rows, or a ``ReadError`` saying why not."""
    try:
        return _read_table(path, sheet, limits)
    except OSError as exc:
        # The operating system's own words (English, and naming server paths) go to the log;
        # the officer reads a sentence naming the file only.
        log.warning("cannot read %s: %s", path, exc)
        raise ReadError(_os_error_code(exc), path=path.name) from exc


def _os_error_code(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "berkas_tidak_ada"
    if isinstance(exc, PermissionError):
        return "berkas_tanpa_izin"
    if isinstance(exc, IsADirectoryError):
        return "berkas_adalah_folder"
    return "berkas_gagal_dibaca"


# --- file type, by content ----------------------------------------------------------------------

_HEAD_BYTES = 64 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and Excel's encrypted (password) workbooks
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_XLSX_SUFFIXES = (".xlsx", ".xlsm")

Content = Literal["zip", "ole", "text"]


def _content_kind(head: bytes) -> Content:
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    return "text"


def _read_table(path: Path, sheet: str | None, limits: ReadLimits) -> RawTable:
    with path.open("rb") as fh:
        opened = os.fstat(fh.fileno())
        size = opened.st_size
        if size == 0:
            raise ReadError("berkas_nol_bait")
        if size > limits.max_file_bytes:
            raise ReadError(
                "berkas_melebihi_batas",
                size=megabytes(size),
                limit=megabytes(limits.max_file_bytes),
            )
        head = fh.read(_HEAD_BYTES)
        kind = _content_kind(head)
        suffix = path.suffix.lower()
        notes: list[ReadNote] = []
        if kind == "ole":
            raise ReadError("format_xls")
        if kind == "zip":
            if suffix and suffix not in _XLSX_SUFFIXES:
                notes.append(
                    ReadNote("jenis_berkas_tidak_sesuai", {"suffix": suffix, "actual": "XLSX"})
                )
            sha = _sha256_on(fh, head)
            return _read_xlsx(fh, path, opened, sha, sheet, limits, notes)
        if suffix in (*_XLSX_SUFFIXES, ".xls", ".xlsb", ".ods"):
            notes.append(ReadNote("jenis_berkas_tidak_sesuai", {"suffix": suffix, "actual": "CSV"}))
        return _read_csv(fh, path, size, head, limits, notes)


# --- building the table -------------------------------------------------------------------------


@dataclass
class _Table:
    header: list[str]
    header_row: int
    rows: list[list[str]]
    numbers: list[int]


def _collect(records: Iterable[tuple[int, list[str]]]) -> _Table:
    """Header = first non-empty row; data rows padded or cut to its width; empty rows skipped."""
    # Lists of strings hold no reference cycles, but a million of them make the cyclic garbage
    # collector walk the whole table again and again: half the time of reading a large file.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _collect_rows(iter(records))
    finally:
        if enabled:
            gc.enable()


def _collect_rows(it: Iterator[tuple[int, list[str]]]) -> _Table:
    for number, cells in it:
        if any(cells):
            header = list(cells)
            header_row = number
            break
    else:
        raise ReadError("berkas_kosong")
    while header and not header[-1]:
        header.pop()
    width = len(header)
    pad = [""] * width
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, cells in it:
        if not any(cells):
            continue
        if len(cells) != width:
            cells = (cells + pad)[:width]
        rows.append(cells)
        numbers.append(number)
    return _Table(header, header_row, rows, numbers)


class _Shared:
    """One string object for equal cell texts close together in the file.

    A roster repeats most of its cells (sex, relation, village, the family's address on every
    member's row); sharing them cut the memory of a 1,000,000-row table from 1.4 GB to 0.5 GB.
    The memo is emptied when it grows, so unique values (NIKs) do not pile up in it."""

    SIZE = 100_000

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}

    def row(self, cells: list[str]) -> list[str]:
        memo = self.memo
        if len(memo) > self.SIZE:
            memo.clear()
        return list(map(memo.setdefault, cells, cells))


def _sha256_on(fh: IO[bytes], head: bytes) -> str:
    """The file's hash, reading on from ``head`` (its first bytes, just read from ``fh``)."""
    h = hashlib.sha256(head)
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def _cells_params(limits: ReadLimits, row: int, column: int) -> dict[str, object]:
    return {
        "row": Number(row),
        "column": column_letters(column),
        "max_rows": Number(limits.max_rows),
        "max_columns": Number(limits.max_columns),
    }


# --- CSV ----------------------------------------------------------------------------------------

# Characters that text never holds but binary data decoded as text does (C0 and C1 controls other
# than tab, line feed, form feed and carriage return; DEL; and the replacement character).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_BINARY_SHARE = 0.05
_SNIFF_CHARS = 4096  # csv.Sniffer is quadratic in bad cases: give it whole lines, not 64 KiB
_MEMORY_CHECK_EVERY = 4096  # rows
# Memory of a kept CSV cell: a str object (49 bytes and its text) and its slot in the row list.
_CSV_CELL_BYTES = 57
_CSV_ROW_BYTES = 120
_LATIN1_FALLBACK = "sinergi-latin1"


def _latin1(exc: UnicodeError) -> tuple[str, int]:
    # Windows-1252 leaves five bytes undefined; Latin-1 maps them to C1 controls, as browsers do.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_LATIN1_FALLBACK, _latin1)


@dataclass(frozen=True)
class _Encoding:
    codec: str
    errors: str
    label: str  # as the officer reads it in the warning
    skip: int = 0  # bytes of a BOM that the codec does not consume itself


class _HashingReader(io.RawIOBase):
    """Counts and hashes the bytes as the CSV is read, so the file is read once per attempt."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.count = 0
        self.hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.fh.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        self.hash.update(data)
        return n


def _read_csv(
    fh: IO[bytes], path: Path, size: int, head: bytes, limits: ReadLimits, notes: list[ReadNote]
) -> RawTable:
    if head.startswith(_UTF16_BOMS):
        encodings = [_Encoding("utf-16", "strict", "UTF-16")]
    else:
        if b"\x00" in head:
            raise ReadError("berkas_biner")
        skip = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        encodings = [
            _Encoding("utf-8", "strict", "UTF-8", skip),
            _Encoding("cp1252", "strict", "Windows-1252", skip),
            _Encoding("cp1252", _LATIN1_FALLBACK, "Windows-1252/Latin-1", skip),
        ]
    for enc in encodings:
        body = head[enc.skip :]
        if enc.errors == "strict" and not _decodes(body, enc.codec, whole=len(head) == size):
            continue  # the start already shows it is not this encoding
        sample = body.decode(enc.codec, errors="replace" if enc.errors == "strict" else enc.errors)
        if len(_CONTROL.findall(sample)) > _BINARY_SHARE * max(len(sample), 1):
            raise ReadError("berkas_biner")
        dialect = _dialect(sample)
        reader = _HashingReader(fh)
        fh.seek(enc.skip)
        reader.hash.update(head[: enc.skip])
        reader.count = enc.skip
        try:
            table = _collect(_csv_records(reader, enc, dialect, size, limits))
        except UnicodeDecodeError:
            continue  # a later part of the file is not this encoding: start again with the next
        if enc.codec != "utf-8":
            notes.append(ReadNote("penyandian_bukan_utf8", {"encoding": enc.label}))
        return RawTable(
            path,
            None,
            table.header,
            table.header_row,
            table.rows,
            table.numbers,
            reader.hash.hexdigest(),
            notes,
        )
    if encodings[0].codec == "utf-16":
        raise ReadError("penyandian_rusak", encoding=encodings[0].label)
    raise ReadError("berkas_biner")


def _decodes(data: bytes, codec: str, whole: bool) -> bool:
    """Whether ``data`` is valid in ``codec``; a character cut at the end of a partial read is."""
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        cut = exc.reason in ("unexpected end of data", "truncated data")
        return not whole and cut and exc.end == len(data)
    return True


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    cut = sample[:_SNIFF_CHARS]
    if len(sample) > _SNIFF_CHARS and "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    try:
        return csv.Sniffer().sniff(cut, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _csv_records(
    raw: _HashingReader,
    enc: _Encoding,
    dialect: type[csv.Dialect] | csv.Dialect,
    size: int,
    limits: ReadLimits,
) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(
        io.BufferedReader(raw, 1 << 16), encoding=enc.codec, errors=enc.errors, newline=""
    )
    reader = csv.reader(text, dialect)
    max_columns, max_rows, max_cells = limits.max_columns, limits.max_rows, limits.max_cells
    # The csv module refuses a field above its own (process-wide) limit before we can look.
    max_field = min(limits.max_field_chars, csv.field_size_limit())
    number = 0
    cells = 0
    same = _Shared()
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ReadError(
                    "sel_terlalu_panjang", row=Number(number + 1), limit=Number(max_field)
                ) from None
            raise ReadError("csv_tidak_terurai", row=Number(number + 1)) from None
        # Each record is one spreadsheet row; blank lines count as rows too.
        number += 1
        width = len(row)
        if number > max_rows or width > max_columns:
            raise ReadError(
                "sel_di_luar_batas",
                **_cells_params(limits, number, min(width, max_columns + 1) or 1),
            )
        if width and max(map(len, row)) > max_field:
            raise ReadError("sel_terlalu_panjang", row=Number(number), limit=Number(max_field))
        cells += width
        if cells > max_cells:
            raise ReadError(
                "sel_terlalu_banyak",
                row=Number(number),
                column=column_letters(width),
                cells=Number(cells),
                limit=Number(max_cells),
            )
        if number % _MEMORY_CHECK_EVERY == 0:
            _check_csv_memory(raw.count, size, cells, number, limits)
        yield number, same.row(list(map(str.strip, row)))


def _check_csv_memory(read: int, size: int, cells: int, rows: int, limits: ReadLimits) -> None:
    """Extrapolate the memory the whole file will need from the part read so far."""
    so_far = read + cells * _CSV_CELL_BYTES + rows * _CSV_ROW_BYTES
    need = so_far * size // max(read, 1)
    if need > limits.max_memory_bytes:
        raise ReadError(
            "memori_terlalu_besar", need=megabytes(need), limit=megabytes(limits.max_memory_bytes)
        )


# --- XLSX: the zip container --------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD_SIZE = 22
_CD_ENTRY_BYTES = 1024  # a directory entry is ~100 bytes; this bounds what zipfile will load
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP's second name for a member; Rust's zip crate honours it
_READ_BYTES = 256 * 1024
_INFLATE_BYTES = 1024 * 1024
_PARSED_PART_BYTES = 16 * 1024 * 1024  # workbook and relationships are held whole to be parsed
# calamine finds parts with eq_ignore_ascii_case: only A-Z fold, unlike str.lower().
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _ascii_lower(name: str) -> str:
    return name.translate(_ASCII_LOWER)


class _Zip:
    """The members of an XLSX zip, checked against the caps before any is unpacked."""

    def __init__(self, fh: IO[bytes], size: int, limits: ReadLimits) -> None:
        self.fh = fh
        self.limits = limits
        _check_directory_end(fh, size, limits)
        try:
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            ValueError,
            struct.error,
            EOFError,
            NotImplementedError,
            UnicodeDecodeError,
            OSError,
            IndexError,
        ):
            raise ReadError("zip_rusak") from None
        self.members: dict[str, zipfile.ZipInfo] = {}
        declared = 0
        for info in infos:
            key = _ascii_lower(info.filename)
            if key in self.members:
                raise ReadError("zip_rusak")  # two parts calamine cannot tell apart
            self.members[key] = info
            if info.flag_bits & 0x1 or _has_extra(info.extra, _UNICODE_PATH_EXTRA):
                raise ReadError("zip_bagian_tidak_didukung", part=info.filename)
            declared += info.file_size
            if declared > limits.max_uncompressed_bytes:
                raise ReadError(
                    "zip_terlalu_besar_terurai",
                    size=megabytes(declared),
                    limit=megabytes(limits.max_uncompressed_bytes),
                )
            if (
                info.file_size > limits.ratio_floor_bytes
                and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
            ):
                raise ReadError(
                    "zip_rasio",
                    part=info.filename,
                    ratio=Number(info.file_size // max(info.compress_size, 1)),
                    limit=Number(limits.max_compression_ratio),
                )

    def find(self, name: str) -> zipfile.ZipInfo | None:
        return self.members.get(_ascii_lower(name))

    def stream(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes, unpacked piece by piece; damaged or lying members are refused.

        The real size may not exceed the declared one (which the caps were checked against), and
        at the end both it and the CRC must equal what the directory declares."""
        name = info.filename
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ReadError("zip_bagian_tidak_didukung", part=name)
        fh = self.fh
        fh.seek(info.header_offset)
        local = fh.read(30)
        if len(local) != 30 or local[:4] != b"PK\x03\x04":
            raise ReadError("zip_bagian_rusak", part=name)
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        left = info.compress_size
        real = 0
        crc = 0
        while left > 0 and not (inflater is not None and inflater.eof):
            piece = fh.read(min(left, _READ_BYTES))
            if not piece:
                raise ReadError("zip_bagian_rusak", part=name)
            left -= len(piece)
            pending = piece
            while pending:
                if inflater is None:
                    out, pending = pending, b""
                else:
                    try:
                        out = inflater.decompress(pending, _INFLATE_BYTES)
                    except zlib.error:
                        raise ReadError("zip_bagian_rusak", part=name) from None
                    pending = b"" if inflater.eof else inflater.unconsumed_tail
                if not out:
                    continue
                real += len(out)
                if real > info.file_size:
                    raise ReadError("zip_bagian_rusak", part=name)
                crc = zlib.crc32(out, crc)
                yield out
        if (inflater is not None and not inflater.eof) or real != info.file_size or crc != info.CRC:
            raise ReadError("zip_bagian_rusak", part=name)


def _check_directory_end(fh: IO[bytes], size: int, limits: ReadLimits) -> None:
    """Member count and directory size from the end record, before zipfile loads the directory."""
    tail_len = min(size, _EOCD_SIZE + 0xFFFF + 20)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise ReadError("zip_rusak")
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack(
        "<4s4H2LH", tail[at : at + _EOCD_SIZE]
    )
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        # ZIP64: the real numbers are in the zip64 end record that the locator points to.
        loc = at - 20
        if loc < 0 or tail[loc : loc + 4] != _EOCD64_LOCATOR:
            raise ReadError("zip_rusak")
        (offset,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
        if offset + 56 > size:
            raise ReadError("zip_rusak")
        fh.seek(offset)
        record = fh.read(56)
        if len(record) != 56 or record[:4] != b"PK\x06\x06":
            raise ReadError("zip_rusak")
        entries, cd_size = struct.unpack("<QQ", record[32:48])
    if entries > limits.max_zip_members:
        raise ReadError(
            "zip_terlalu_banyak_bagian", count=Number(entries), limit=Number(limits.max_zip_members)
        )
    if cd_size > limits.max_zip_members * _CD_ENTRY_BYTES or cd_size > size:
        raise ReadError("zip_rusak")


def _has_extra(extra: bytes, wanted: int) -> bool:
    i = 0
    while i + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[i : i + 4])
        if tag == wanted:
            return True
        i += 4 + length
    return False


# --- XLSX: the XML parts ------------------------------------------------------------------------

_XML_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")


def _xml_guard(part: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Only UTF-8 XML without a DTD: what Excel writes, and what the byte-level scans read."""
    first = True
    tail = b""
    for chunk in chunks:
        if first:
            first = False
            body = chunk[3:] if chunk.startswith(codecs.BOM_UTF8) else chunk
            if (
                body.startswith(_UTF16_BOMS)
                or body.startswith(b"<\x00")
                or body.startswith(b"\x00<")
            ):
                raise ReadError("xml_tidak_didukung", part=part)
            decl = _XML_DECL.match(body.lstrip())
            if decl and decl.group(1).lower() not in (b"utf-8", b"utf8"):
                raise ReadError("xml_tidak_didukung", part=part)
        if b"<!DOCTYPE" in tail + chunk[:16] or b"<!DOCTYPE" in chunk:
            raise ReadError("xml_tidak_didukung", part=part)
        tail = chunk[-16:]
        yield chunk


def _read_part(zf: _Zip, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > _PARSED_PART_BYTES:
        raise ReadError(
            "zip_terlalu_besar_terurai",
            size=megabytes(info.file_size),
            limit=megabytes(_PARSED_PART_BYTES),
        )
    return b"".join(_xml_guard(info.filename, zf.stream(info)))


_MARKUP = re.compile(rb"<!--|<!\[CDATA\[|<\?")
_MARKUP_END = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}
_START_TAG = re.compile(rb"<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>")
_ATTRIBUTE = re.compile(rb"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _start_tags(xml: bytes, local: bytes) -> Iterator[list[tuple[bytes, bytes]]]:
    """Attributes, raw and in order, of every start tag with this local name (any prefix).

    calamine (quick-xml) matches local names and takes some attribute values raw, so this reads
    the raw bytes rather than an XML parser's unescaped values."""
    for m in _START_TAG.finditer(_without_markup(xml)):
        if m.group(1).rpartition(b":")[2] == local:
            yield [
                (a.group(1), a.group(2) if a.group(2) is not None else a.group(3) or b"")
                for a in _ATTRIBUTE.finditer(m.group(2))
            ]


def _without_markup(xml: bytes) -> bytes:
    """The XML without comments, CDATA and processing instructions, where tags are not tags.

    A loop over str.find rather than one lazy regex, which is quadratic on unclosed comments."""
    kept = []
    at = 0
    while (m := _MARKUP.search(xml, at)) is not None:
        kept.append(xml[at : m.start()])
        end = _MARKUP_END[m.group()]
        close = xml.find(end, m.end())
        if close < 0:
            return b"".join(kept)  # unclosed: calamine's parser stops there too
        at = close + len(end)
    kept.append(xml[at:])
    return b"".join(kept)


def _unescape(raw: bytes) -> str:
    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key.startswith("#x"):
            return chr(int(key[2:], 16))
        if key.startswith("#"):
            return chr(int(key[1:]))
        return _NAMED[key]

    try:
        return _ENTITY.sub(one, raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, OverflowError):
        raise ReadError("zip_rusak") from None


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    paths: tuple[str, ...]  # where calamine may look for it (see _sheet_paths)


def _workbook_sheets(zf: _Zip) -> list[_SheetEntry]:
    rels_info = zf.find("xl/_rels/workbook.xml.rels")
    book_info = zf.find("xl/workbook.xml")
    if rels_info is None or book_info is None:
        raise ReadError("zip_rusak")
    targets: dict[bytes, str] = {}
    for attrs in _start_tags(_read_part(zf, rels_info), b"Relationship"):
        ident, target = None, ""
        for key, value in attrs:
            if key == b"Id":
                ident = value
            elif key == b"Target":
                target = value.decode("utf-8", errors="replace")
        if ident is not None:
            targets[ident] = target
    sheets = []
    for attrs in _start_tags(_read_part(zf, book_info), b"sheet"):
        name = ""
        paths: tuple[str, ...] = ()
        for key, value in attrs:
            if key == b"name":
                name = _unescape(value)
            elif key in (b"r:id", b"relationships:id") and value in targets:
                paths = _sheet_paths(targets[value])
        sheets.append(_SheetEntry(name, paths))
    return sheets


def _sheet_paths(target: str) -> tuple[str, ...]:
    """calamine's rule for a relationship target ('/xl/…' and 'xl/…' kept, else under 'xl/'),
    plus the standard resolution of a relative target, in case a later calamine follows it."""
    if target.startswith("/xl/"):
        rule = target[1:]
    elif target.startswith("xl/"):
        rule = target
    else:
        rule = f"xl/{target}"
    opc = posixpath.normpath(posixpath.join("/xl", target)).lstrip("/")
    return tuple(dict.fromkeys((rule, opc, target.lstrip("/"))))


def _count_stream(
    part: str, chunks: Iterable[bytes], needles: tuple[bytes, ...] = ()
) -> tuple[int, int]:
    """Real bytes of a part and how often the needles occur (across chunk borders too)."""
    size = count = 0
    tails = dict.fromkeys(needles, b"")
    for chunk in _xml_guard(part, chunks):
        size += len(chunk)
        for needle, tail in tails.items():
            # The kept tail is shorter than the needle, so nothing is counted twice.
            joined = tail + chunk
            count += joined.count(needle)
            tails[needle] = joined[-(len(needle) - 1) :]
    return size, count


# --- XLSX: the sheet's real used range ----------------------------------------------------------


@dataclass
class _Extent:
    """The used range from A1 (1-based), the cells present, and the far cells to name."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    row_at: int = 0  # column of the cell on the last row
    column_at: int = 0  # row of the cell in the last column

    def add(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows, self.row_at = row, column
        if column > self.columns:
            self.columns, self.column_at = column, row

    def merge(self, other: _Extent) -> None:
        self.add(other.rows, other.row_at)
        self.add(other.column_at, other.columns)
        self.cells += other.cells


class _SlowPath(Exception):
    """The fast scan met a cell it cannot read by position; the XML parser takes over."""


_PAD = 32
_TAG_END = np.zeros(256, bool)
_TAG_END[[0x20, 0x09, 0x0A, 0x0D, 0x2F, 0x3E]] = True  # whitespace, '/', '>'
_LETTER = np.zeros(256, np.int64)
_LETTER[0x41:0x5B] = np.arange(1, 27)
_LETTER[0x61:0x7B] = np.arange(1, 27)
_IS_DIGIT = np.zeros(256, bool)
_IS_DIGIT[0x30:0x3A] = True
_DIGIT_OR_ZERO = np.full(256, 0x30, np.uint8)
_DIGIT_OR_ZERO[0x30:0x3A] = np.arange(0x30, 0x3A)
_NINE = np.arange(9)
_EIGHT_BEFORE = np.arange(-8, 0)
_NAME_STOP = np.zeros(256, bool)
_NAME_STOP[[0x20, 0x09, 0x0A, 0x0D, 0x3C, 0x3E, 0x2F, 0x21, 0x3F, 0x22, 0x27, 0x3D]] = True
_CELL_REF = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"')
_MAX_TAG = 64 * 1024


def _scan_fast(part: str, chunks: Iterable[bytes], limits: ReadLimits) -> _Extent:
    """Used range of a sheet whose cells are all written ``<c r="A1"…`` (what Excel, LibreOffice,
    openpyxl and xlsxwriter write), vectorised over each unpacked piece of XML.

    A piece is cut after its last complete tag; the rest is carried to the next piece, so no
    cell reference is ever split. Cells written otherwise raise _SlowPath."""
    extent = _Extent()
    carry = b""
    for chunk in _xml_guard(part, chunks):
        buf = carry + chunk
        last = buf.rfind(b"<")
        if last >= 0 and buf.find(b">", last) < 0:
            carry, buf = buf[last:], buf[:last]
            if len(carry) > _MAX_TAG:
                raise ReadError("xml_tidak_didukung", part=part)
        else:
            carry = b""
        _scan_piece(buf, extent, limits)
    if carry:
        _scan_piece(carry, extent, limits)
    return extent


def _scan_piece(buf: bytes, extent: _Extent, limits: ReadLimits) -> None:
    n = len(buf)
    a = np.frombuffer(buf + b"\0" * _PAD, np.uint8)
    lt = np.flatnonzero(a[:n] == 0x3C)
    # A prefixed cell tag (<x:c …>) is a cell to calamine too; the fast path does not read them.
    # (Most pieces of sheet data hold no colon at all, and looking for one byte is cheap.)
    if b":" in buf:
        colons = np.flatnonzero(a[:n] == 0x3A)
        hits = colons[(a[colons + 1] == 0x63) & _TAG_END[a[colons + 2]]]
        before = np.searchsorted(lt, hits) - 1
        hits, opens = hits[before >= 0], lt[before[before >= 0]]
        if len(hits):
            # ":c" ends a tag name when no space, quote, '/' or the like lies between its '<'
            # and the colon (so not in text, attribute values or end tags).
            stops = np.flatnonzero(_NAME_STOP[a[:n]])
            name_end = stops[np.minimum(np.searchsorted(stops, opens + 1), len(stops) - 1)]
            if (name_end > hits).any():
                raise _SlowPath
    tags = lt[a[lt + 1] == 0x63]
    cells = tags[_TAG_END[a[tags + 2]]]
    if not len(cells):
        return
    if not (
        (a[cells + 2] == 0x20)
        & (a[cells + 3] == 0x72)
        & (a[cells + 4] == 0x3D)
        & (a[cells + 5] == 0x22)
    ).all():
        raise _SlowPath
    start = cells + 6
    l0, l1, l2, l3 = (_LETTER[a[start + i]] for i in range(4))
    two = (l0 > 0) & (l1 > 0)
    three = two & (l2 > 0)
    columns = np.where(three, l0 * 676 + l1 * 26 + l2, np.where(two, l0 * 26 + l1, l0))
    first_digit = start + (l0 > 0) + two + three
    digits = _IS_DIGIT[a[first_digit[:, None] + _NINE]]
    length = np.argmin(digits, axis=1)
    # Four letters, no letter, or nine digits and more (all digits: argmin says 0 on a digit):
    # rare, read exactly below.
    odd = (l3 > 0) & three | (l0 == 0) | (length == 0) & digits[:, 0]
    end = first_digit + length
    window = _DIGIT_OR_ZERO[a[end[:, None] + _EIGHT_BEFORE]]
    rows = np.ascontiguousarray(window).view(">u8").ravel()
    extent.cells += len(cells)
    if odd.any():
        for pos in cells[odd]:
            m = _CELL_REF.match(buf, int(pos))
            if m:  # anything else is not a position calamine accepts: it stops with an error
                extent.add(int(m.group(2)), column_number(m.group(1).decode("ascii")))
        rows, columns = rows[~odd], columns[~odd]
    if len(rows):
        # ``rows`` holds each row number as 8 ASCII digits read as one big-endian integer.
        i, j = int(np.argmax(rows)), int(np.argmax(columns))
        extent.add(int(rows[i : i + 1].view(np.uint8).tobytes()), int(columns[i]))
        extent.add(int(rows[j : j + 1].view(np.uint8).tobytes()), int(columns[j]))
    _check_extent(extent, limits)


class _ExpatScan:
    """The used range as calamine computes positions: a cell's own ``r``, or else the column after
    the previous cell on the current row (rows from ``<row r>``, or one after the previous row)."""

    def __init__(self, part: str, limits: ReadLimits) -> None:
        self.part = part
        self.limits = limits
        self.extent = _Extent()
        self.row = 0  # 0-based, as calamine
        self.column = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            r = attrs.get("r")
            if r is not None:
                self.row = _position(r)[0]
        elif local == "c":
            r = attrs.get("r")
            if r is not None:
                row, column = _position(r)
                self.column = column
            else:
                row, column = self.row, self.column
            self.extent.add(row + 1, column + 1)
            self.extent.cells += 1
            if self.extent.cells % 4096 == 0:
                _check_extent(self.extent, self.limits)
                if self.extent.cells > self.limits.max_unusual_cells:
                    raise ReadError(
                        "sel_tidak_baku_terlalu_banyak",
                        part=self.part,
                        limit=Number(self.limits.max_unusual_cells),
                    )

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            self.row += 1
            self.column = 0
        elif local == "c":
            self.column += 1


_POSITION = re.compile(r"([A-Za-z]*)([0-9]+)")


def _position(ref: str) -> tuple[int, int]:
    m = _POSITION.fullmatch(ref.strip())
    if not m:
        raise ReadError("zip_rusak")  # calamine stops on it too
    return int(m.group(2)) - 1, max(column_number(m.group(1)) - 1, 0)


def _scan_slow(part: str, chunks: Iterable[bytes], limits: ReadLimits) -> _Extent:
    scan = _ExpatScan(part, limits)
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    try:
        for chunk in _xml_guard(part, chunks):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise ReadError("zip_bagian_rusak", part=part) from None
    _check_extent(scan.extent, limits)
    return scan.extent


def _check_extent(extent: _Extent, limits: ReadLimits) -> None:
    if extent.rows > limits.max_rows:
        raise ReadError("sel_di_luar_batas", **_cells_params(limits, extent.rows, extent.row_at))
    if extent.columns > limits.max_columns:
        raise ReadError(
            "sel_di_luar_batas", **_cells_params(limits, extent.column_at, extent.columns)
        )
    # Cells written more than once at one place still cost calamine memory each.
    area = max(extent.rows * extent.columns, extent.cells)
    if area > limits.max_cells:
        raise ReadError(
            "sel_terlalu_banyak",
            row=Number(extent.rows),
            column=column_letters(extent.columns),
            cells=Number(area),
            limit=Number(limits.max_cells),
        )


def _check_sparse(extent: _Extent, limits: ReadLimits) -> None:
    area = extent.rows * extent.columns
    empty = area - extent.cells
    if empty > limits.max_empty_cells and empty > 2 * extent.cells:
        raise ReadError(
            "sel_kosong_terlalu_banyak",
            row=Number(extent.rows),
            column=column_letters(extent.columns),
            empty=Number(empty),
            cells=Number(area),
            limit=Number(limits.max_empty_cells),
        )


# --- XLSX: the reading --------------------------------------------------------------------------

# calamine's memory, per cell of the used range (its dense grid of 32-byte values), per cell present
# (the sparse list it builds first, the owned text, the Python str kept in the table), and per
# shared string (a Rust String beside its text).
_GRID_CELL_BYTES = 40
_PRESENT_CELL_BYTES = 130
_SHARED_STRING_BYTES = 48


def _read_xlsx(
    fh: IO[bytes],
    path: Path,
    opened: os.stat_result,
    sha: str,
    sheet: str | None,
    limits: ReadLimits,
    notes: list[ReadNote],
) -> RawTable:
    zf = _Zip(fh, opened.st_size, limits)
    if zf.find("xl/workbook.xml") is None:
        if zf.find("xl/workbook.bin") is not None:
            raise ReadError("format_xlsb")
        if zf.find("content.xml") is not None or zf.find("mimetype") is not None:
            raise ReadError("format_ods")
        raise ReadError("zip_bukan_xlsx")
    if zf.find("content.xml") is not None or zf.find("xl/workbook.bin") is not None:
        raise ReadError("zip_bukan_xlsx")  # two formats in one zip: calamine might pick either
    entries = _workbook_sheets(zf)
    names = [e.name for e in entries]
    if not entries:
        raise ReadError("berkas_kosong")
    if sheet is None:
        chosen = entries[0]
    else:
        found = next((e for e in entries if e.name == sheet), None)
        if found is None:
            raise ReadError("sheet_tidak_ada", sheet=sheet, available=", ".join(names))
        chosen = found

    kept = 0  # bytes of parts calamine keeps in memory whole
    styles = zf.find("xl/styles.xml")
    if styles is not None:
        kept += _count_stream(styles.filename, zf.stream(styles))[0]
    shared = zf.find("xl/sharedStrings.xml")
    strings = 0
    if shared is not None:
        if shared.file_size > limits.max_shared_strings_bytes:
            raise ReadError(
                "teks_bersama_terlalu_besar",
                size=megabytes(shared.file_size),
                limit=megabytes(limits.max_shared_strings_bytes),
            )
        # "<si" opens a string; ":si>" counts a prefixed one twice, which errs on the safe side.
        sst_bytes, strings = _count_stream(shared.filename, zf.stream(shared), (b"<si", b":si>"))
        kept += sst_bytes
    sheet_parts = [info for p in chosen.paths if (info := zf.find(p)) is not None]
    if not sheet_parts:
        raise ReadError("zip_rusak")
    extent = _Extent()
    for info in dict.fromkeys(sheet_parts):
        try:
            part = _scan_fast(info.filename, zf.stream(info), limits)
        except _SlowPath:
            part = _scan_slow(info.filename, zf.stream(info), limits)
        extent.merge(part)
    _check_extent(extent, limits)
    _check_sparse(extent, limits)
    need = (
        extent.rows * extent.columns * _GRID_CELL_BYTES
        + extent.cells * _PRESENT_CELL_BYTES
        + kept
        + strings * _SHARED_STRING_BYTES
    )
    if need > limits.max_memory_bytes:
        raise ReadError(
            "memori_terlalu_besar", need=megabytes(need), limit=megabytes(limits.max_memory_bytes)
        )

    data = _calamine_sheet(path, opened, names, chosen.name)
    table = _collect(_calamine_rows(data, path, extent))
    return RawTable(
        path, chosen.name, table.header, table.header_row, table.rows, table.numbers, sha, notes
    )


# Exceptions that are not calamine's verdict on the file, so never become a sentence.
_NOT_THE_FILE = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def _calamine_refused(path: Path, exc: BaseException) -> ReadError:
    # calamine's own words (English, technical) go to the log; the officer reads a sentence.
    log.warning("calamine cannot read %s: %s: %s", path, type(exc).__name__, exc)
    return ReadError("xlsx_tidak_terbaca")


def _calamine_sheet(
    path: Path, opened: os.stat_result, names: list[str], sheet: str
) -> CalamineSheet:
    """calamine's reading of the checked sheet: by path, so the file must still be the one that
    was checked when calamine has read it (same file, size and modification time)."""
    try:
        wb = CalamineWorkbook.from_path(str(path))
        data = wb.get_sheet_by_name(sheet) if wb.sheet_names == names else None
    except _NOT_THE_FILE:
        raise
    except BaseException as exc:  # calamine raises its own errors, and pyo3's PanicException
        raise _calamine_refused(path, exc) from exc
    now = os.stat(path)
    if _identity(now) != _identity(opened):
        raise ReadError("berkas_berubah_saat_dibaca")
    if data is None:
        # Our reading of the workbook and calamine's differ: the checks may not have looked at
        # the part calamine would read, so it is not read at all.
        log.warning("sheet names differ: %r vs calamine %r", names, wb.sheet_names)
        raise ReadError("zip_rusak")
    return data


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _calamine_rows(
    data: CalamineSheet, path: Path, extent: _Extent
) -> Iterator[tuple[int, list[str]]]:
    text: Callable[[object], str] = cell_text
    same = _Shared()
    first = data.start
    end = data.end
    if end is not None and (end[0] >= extent.rows or end[1] >= extent.columns):
        log.error(
            "calamine's range %s exceeds the scanned %s rows × %s columns of %s",
            end,
            extent.rows,
            extent.columns,
            path,
        )
    # python-calamine 0.9 yields empty rows for those above the used range (not the columns left
    # of it); should a version start at the range instead, its first row is not empty.
    offset = 1
    for i, row in enumerate(_calamine_values(data, path)):
        cells = same.row([v.strip() if type(v) is str else text(v) for v in row])
        if i == 0 and first is not None and first[0] > 0 and any(row):
            offset = first[0] + 1
        yield offset + i, cells


def _calamine_values(data: CalamineSheet, path: Path) -> Iterator[list[Any]]:
    """The sheet's rows as calamine converts them to Python values; only calamine's own failures
    are caught here (the caller's code runs outside this generator)."""
    try:
        yield from data.iter_rows()
    except _NOT_THE_FILE:
        raise
    except BaseException as exc:
        raise _calamine_refused(path, exc) from exc
