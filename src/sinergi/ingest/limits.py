"""How much of a source file the reader accepts: every cap in one place, checked before allocating.

The defaults let a valid roster of 1,000,000 people (about 20 columns, as CSV) import, and refuse a
small hostile file (a far-away cell, a zip bomb, a huge field) within seconds and a few hundred MB
of memory.

Who passes what: ``read_table`` takes a ``ReadLimits`` and ``registry.importer.import_file`` hands
its own ``limits`` to it. The command line (files on the server's disk) and ``sinergi anthro`` use
``DEFAULT_LIMITS``; the import door passes ``ReadLimits(max_file_bytes=MAX_UPLOAD)`` for files
that came over the web page or the API (``web.limits.MAX_UPLOAD``), the other caps as here;
tests pass smaller caps to hit each one cheaply.

Why these numbers:
- calamine (the XLSX engine) builds a dense grid over the used range of the sheet, about 32 bytes a
  cell, and keeps every shared string in memory; so the used range, the empty part of it and the
  shared strings are capped before calamine sees the file.
- 1,100,000 rows covers a sheet's 1,048,576 rows and a 1,000,000-row CSV; 500 columns is 25 times the
  widest source in formats.md; 32,767 characters is Excel's own cell limit.
- a deflated spreadsheet part expands 5–20 times, a very repetitive one up to about 100 times;
  deflate itself cannot exceed about 1,030 times, which is what zip bombs use.
"""

from __future__ import annotations

from dataclasses import dataclass

from sinergi.core.display import Number

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    # The file as stored: CSV bytes, or XLSX (compressed) bytes.
    max_file_bytes: int = 512 * MIB
    # XLSX: real bytes of the parts calamine reads, and the declared size of all parts together.
    max_uncompressed_bytes: int = 2048 * MIB
    # XLSX: a part larger than ``ratio_floor_bytes`` may expand at most this many times.
    max_compression_ratio: int = 200
    ratio_floor_bytes: int = 1 * MIB
    # XLSX: entries in the zip directory (an XLSX from Excel has about a dozen).
    max_zip_members: int = 10_000
    # XLSX: xl/sharedStrings.xml, which calamine holds in memory whole.
    max_shared_strings_bytes: int = 256 * MIB
    # The used range of the sheet (XLSX) or the grid of rows × columns (CSV).
    max_rows: int = 1_100_000
    max_columns: int = 500
    max_cells: int = 25_000_000
    # XLSX: empty cells inside the used range, allowed beyond this number only while at least a
    # third of the range is filled (one stray far cell makes a huge, empty grid).
    max_empty_cells: int = 2_000_000
    # XLSX: cells of a sheet not written the usual way (``<c r="A1"``; e.g. without positions),
    # which a streaming XML parser reads at a few microseconds each instead of a vectorised scan.
    max_unusual_cells: int = 2_000_000
    # Characters in one cell.
    max_field_chars: int = 32_767
    # The reader's estimated peak memory (calamine's grid and strings, the rows kept in Python).
    max_memory_bytes: int = 2048 * MIB


DEFAULT_LIMITS = ReadLimits()


def megabytes(n: int) -> Number:
    """Bytes as whole MB for a message, rounded up so that a cap is never shown smaller than it is."""
    return Number(-(-n // MIB))
