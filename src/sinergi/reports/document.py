"""A meeting-ready report as data: what every report kind builds and every renderer reads.

A report kind (``musdes``, ``tpps``, ``scorecard``, ``rembuk``, ``kasus``) gathers its figures
from the same functions as the pages and exports and returns a `Laporan`; the renderers
(`sinergi.reports.render`) write it as PDF or as an XLSX for people, and the web shows the same
`Laporan` as a printable page. A kind therefore never formats a number or draws a page itself:
tables keep machine values (whole numbers, floats, dates, text) with a `Kolom` saying how each
column is read, and the renderer writes them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from sinergi.messages import Lang

#: How a column's values are written: ``teks`` as they are; ``angka`` whole numbers with
#: separators; ``desimal`` one decimal (two in a spreadsheet); ``desimal2`` two (z-scores, which
#: are decided on two decimals); ``persen`` a percentage already times 100 (20,6 %);
#: ``rupiah``; ``tanggal``; ``centang`` an empty box to tick on paper.
Format = Literal["teks", "angka", "desimal", "desimal2", "persen", "rupiah", "tanggal", "centang"]


@dataclass(frozen=True)
class Kolom:
    """One column of a `Tabel`: ``kode`` the frame's column (the machine name, which the XLSX's
    'Kamus' sheet lists), ``judul`` the heading in the report's language, ``format`` how values
    are written, ``lebar`` a relative width for the PDF (1 = normal)."""

    kode: str
    judul: str
    format: Format = "teks"
    lebar: float = 1.0
    keterangan: str = ""


@dataclass
class Tabel:
    """A table: the frame's rows under the given columns (in that order). ``judul`` is its
    heading (kept on the page with the table's first rows); ``catatan`` a line under it; ``total``
    an optional last row (column code → value) printed in bold; ``lembar`` the XLSX sheet name it
    gets (default: the heading, shortened)."""

    judul: str
    kolom: list[Kolom]
    data: pd.DataFrame
    catatan: str = ""
    total: dict[str, object] | None = None
    lembar: str | None = None


@dataclass
class Paragraf:
    """A paragraph of text (plain; the renderer escapes it)."""

    teks: str
    gaya: Literal["biasa", "kecil", "peringatan"] = "biasa"


@dataclass
class Angka:
    """Key figures shown side by side (label → value, already in the report's words: the kind
    formats these with `sinergi.core.display` because they are sentences, not table cells)."""

    isi: list[tuple[str, str]]


@dataclass
class Gambar:
    """A picture (PNG bytes: a map or a chart drawn with matplotlib) ``lebar_cm`` wide."""

    png: bytes
    judul: str = ""
    lebar_cm: float = 16.0


@dataclass
class TandaTangan:
    """A signature block: a place-and-date line and one column per role (e.g. Kepala Desa,
    Kader / TPK), each with room to sign and a name line."""

    peran: list[str]
    tempat_tanggal: str = ""


Blok = Paragraf | Angka | Tabel | Gambar | TandaTangan


@dataclass
class Bagian:
    """A section: a heading and its blocks; ``halaman_baru`` starts it on a new page (a page
    per kecamatan in the TPPS report)."""

    judul: str
    blok: list[Blok] = field(default_factory=list)
    halaman_baru: bool = False


@dataclass
class Laporan:
    """A whole report. ``tentang`` (message code → value, as the 'about' sheet of every export)
    says what, when, for whom, which rule set and which data dates; the PDF prints it under the
    title and the XLSX as its 'Keterangan' sheet. ``kosong`` is set when the registry holds
    nothing to report for the asked area or period: the report then says what is missing
    instead of printing zeros."""

    jenis: str
    judul: str
    subjudul: str
    lang: Lang
    bagian: list[Bagian]
    tentang: dict[str, object] = field(default_factory=dict)
    orientasi: Literal["potret", "lanskap"] = "potret"
    kosong: str = ""

    def tabel(self) -> list[Tabel]:
        """Every table of the report in order (the XLSX writes one sheet per table)."""
        return [b for s in self.bagian for b in s.blok if isinstance(b, Tabel)]
