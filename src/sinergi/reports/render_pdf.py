"""Write a `Laporan` as a PDF (ReportLab platypus): A4 in the report's orientation, DejaVu Sans
from matplotlib's bundled fonts (no system fonts needed), a footer on every page with the
report's title, "Halaman X dari Y" and when it was printed.

Every word comes from the report (already in its language) or from the catalogue (``lap_*``);
every table cell is written here by `sinergi.core.display` as its `Kolom.format` says. Plain
cells stay strings (fast: the musdes sheet of a 1,700-family village is one table); only text
longer than its column becomes a wrapped Paragraph, and every text that becomes a Paragraph is
escaped, since ReportLab reads Paragraph text as markup.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sinergi.core import display
from sinergi.messages import Lang, t
from sinergi.reports.document import (
    Angka,
    Bagian,
    Gambar,
    Kolom,
    Laporan,
    Paragraf,
    Tabel,
    TandaTangan,
)

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN = 1.5 * cm
CELL_SIZE = 7.5  # table text size (points)
LEADING = CELL_SIZE + 1.5
CHECK_LEADING = CELL_SIZE + 4  # the tick boxes are drawn larger
PADDING = 2
BOX = "☐"  # an empty box to tick on paper (DejaVu Sans has it)
HEAD_BG = colors.HexColor("#DDEBF7")
STRIPE_BG = colors.HexColor("#F5F8FB")
WARN_BG = colors.HexColor("#FFF4E5")
NUMERIC = ("angka", "desimal", "desimal2", "persen", "rupiah")


@cache
def _fonts() -> None:
    """Register DejaVu Sans and Sans-Bold (once per process) from matplotlib's data folder."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle("biasa", fontName=FONT, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "judul": ParagraphStyle("judul", base, fontName=FONT_BOLD, fontSize=16, leading=20),
        "subjudul": ParagraphStyle("subjudul", base, fontSize=11, leading=14, spaceAfter=8),
        "bagian": ParagraphStyle(
            "bagian",
            base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "tabel": ParagraphStyle(
            "tabel",
            base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "biasa": base,
        "kecil": ParagraphStyle("kecil", base, fontSize=8, leading=10),
        "peringatan": ParagraphStyle(
            "peringatan",
            base,
            backColor=WARN_BG,
            borderColor=colors.HexColor("#E8A33D"),
            borderWidth=0.6,
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=8,
        ),
        "sel": ParagraphStyle(
            "sel", base, fontSize=CELL_SIZE, leading=CELL_SIZE + 1.5, spaceAfter=0
        ),
        "kepala": ParagraphStyle(
            "kepala",
            base,
            fontName=FONT_BOLD,
            fontSize=CELL_SIZE,
            leading=CELL_SIZE + 1.5,
            spaceAfter=0,
        ),
        "angka": ParagraphStyle(
            "angka", base, fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=1
        ),
        "angka_label": ParagraphStyle("angka_label", base, fontSize=7.5, leading=9.5, spaceAfter=0),
    }


def _p(text: str, style: str) -> Paragraph:
    """A Paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), _styles()[style])


def cell_text(value: Any, kolom: Kolom, lang: Lang) -> str:
    """One table cell as the reader sees it (`Kolom.format` via `sinergi.core.display`)."""
    if kolom.format == "centang":
        return BOX
    if value == "":
        return ""  # a column left blank on purpose (a note to write by hand)
    if display.missing(value):
        return display.MISSING
    match kolom.format:
        case "angka":
            return display.num(value, lang)
        case "desimal":
            return display.dec(value, lang, 1)
        case "desimal2":
            return display.dec(value, lang, 2)
        case "persen":
            return display.pct(value, lang)
        case "rupiah":
            return display.rp(value, lang)
        case "tanggal":
            return display.tgl(value, lang) or display.MISSING
    return display.cell(value, lang)


@lru_cache(maxsize=65536)
def _width(word: str) -> float:
    return pdfmetrics.stringWidth(word, FONT, CELL_SIZE)


def wrap(text: str, room: float) -> str:
    """``text`` broken into lines no wider than ``room`` points (at the cell size), as a plain
    string with line breaks: a Table draws such a cell far faster than a Paragraph, and the
    widths of the words, which repeat in every row, are measured once."""
    if "\n" not in text and _width(text) <= room:
        return text
    space = _width(" ")
    lines: list[str] = []
    for part in text.split("\n"):
        line, used = "", 0.0
        for word in part.split(" "):
            w = _width(word)
            while w > room and len(word) > 1:
                # A word wider than the column (a long code) is cut where it must.
                cut = max(1, int(len(word) * room / w))
                if line:
                    lines.append(line)
                    line, used = "", 0.0
                lines.append(word[:cut])
                word = word[cut:]
                w = _width(word)
            if line and used + space + w > room:
                lines.append(line)
                line, used = word, w
            else:
                line, used = (f"{line} {word}", used + space + w) if line else (word, w)
        lines.append(line)
    return "\n".join(lines)


def _widths(kolom: list[Kolom], width: float) -> list[float]:
    total = sum(k.lebar for k in kolom) or 1.0
    return [width * k.lebar / total for k in kolom]


GRID = colors.HexColor("#9AA5B1")
HEAD_STYLE = TableStyle(
    [
        ("BACKGROUND", (0, 0), (-1, -1), HEAD_BG),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


class _PageOfRows(Flowable):
    """One page's part of a long table: the header row (a Table, whose headings wrap as
    Paragraphs) and the body rows drawn straight onto the canvas — stripes, grid, one text
    object for every cell of the page, tick boxes as squares. ReportLab's Table spends a text
    object and a style lookup on each cell, which is where a 3.000-row sheet spent its time."""

    def __init__(self, owner: _PagedTable, start: int, stop: int) -> None:
        super().__init__()
        self.owner, self.start, self.stop = owner, start, stop
        self.ends = owner.total and stop == len(owner.rows) - 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        o = self.owner
        self.width = sum(o.widths)
        self.height = o.head_height(availWidth) + sum(o.heights[1 + self.start : 1 + self.stop])
        return self.width, self.height

    def draw(self) -> None:
        o, canvas = self.owner, self.canv
        head = Table([o.rows[0]], colWidths=o.widths, style=HEAD_STYLE)
        head_h = head.wrap(self.width, self.height)[1]
        head.drawOn(canvas, 0, self.height - head_h)
        xs = [0.0]
        for w in o.widths:
            xs.append(xs[-1] + w)
        rows = o.rows[1 + self.start : 1 + self.stop]
        heights = o.heights[1 + self.start : 1 + self.stop]
        tops, y = [], self.height - head_h
        for h in heights:
            tops.append(y)
            y -= h
        bottom = y
        canvas.saveState()
        canvas.setFillColor(STRIPE_BG)
        for i, (top, h) in enumerate(zip(tops, heights, strict=True)):
            if i % 2:
                canvas.rect(0, top - h, self.width, h, stroke=0, fill=1)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.3)
        canvas.lines(
            [(0, top, self.width, top) for top in tops]
            + [(0, bottom, self.width, bottom)]
            + [(x, tops[0] if tops else bottom, x, bottom) for x in xs]
        )
        if self.ends:
            canvas.setStrokeColor(colors.black)
            canvas.setLineWidth(0.8)
            canvas.line(0, tops[-1], self.width, tops[-1])
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.6)
        side = CELL_SIZE + 1
        boxed = len(rows) - (1 if self.ends else 0)
        for top in tops[:boxed]:
            for c in o.ticks:
                canvas.rect((xs[c] + xs[c + 1] - side) / 2, top - PADDING - side, side, side)
        text = canvas.beginText()
        text.setFillColor(colors.black)
        for r, (row, top) in enumerate(zip(rows, tops, strict=True)):
            font = FONT_BOLD if self.ends and r == len(rows) - 1 else FONT
            text.setFont(font, CELL_SIZE, LEADING)
            for c, cell in enumerate(row):
                if not cell:
                    continue
                for n, line in enumerate(str(cell).split("\n")):
                    baseline = top - PADDING - CELL_SIZE - n * LEADING
                    if c in o.right:
                        x = xs[c + 1] - 3 - pdfmetrics.stringWidth(line, font, CELL_SIZE)
                    else:
                        x = xs[c] + 3
                    text.setTextOrigin(x, baseline)
                    text.textOut(line)
        canvas.drawText(text)
        canvas.restoreState()


class _PagedTable(Flowable):
    """A long table laid out page by page: each split cuts the rows that fit (known from their
    heights) into one page's `_PageOfRows` and keeps the rest as a list, so a 3.000-row table
    costs one part per page instead of ReportLab re-building the remaining rows at every page
    break (quadratic in the pages). Every body row's height is given."""

    def __init__(
        self,
        rows: list[list[Any]],
        heights: list[float],
        widths: list[float],
        ticks: list[int],
        right: set[int],
        total: bool,
    ) -> None:
        super().__init__()
        self.rows, self.heights, self.widths = rows, heights, widths
        self.ticks, self.right, self.total = ticks, right, total
        self._head = 0.0

    def head_height(self, width: float) -> float:
        """The header row's height (its headings wrap), measured once."""
        if not self._head:
            head = Table([self.rows[0]], colWidths=self.widths, style=HEAD_STYLE)
            self._head = head.wrap(width, 10**6)[1]
        return self._head

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = sum(self.widths)
        self.height = self.head_height(availWidth) + sum(self.heights[1:])
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        room = availHeight - self.head_height(availWidth)
        fit, used = 0, 0.0
        for h in self.heights[1:]:
            if used + h > room:
                break
            used += h
            fit += 1
        if fit == 0:
            return []  # not even one row here: the whole table moves to the next page
        n = len(self.rows) - 1
        if fit >= n:
            return [_PageOfRows(self, 0, n)]
        rest = _PagedTable(
            [self.rows[0], *self.rows[1 + fit :]],
            [self.heights[0], *self.heights[1 + fit :]],
            self.widths,
            self.ticks,
            self.right,
            self.total,
        )
        rest._head = self._head
        return [_PageOfRows(self, 0, fit), rest]

    def draw(self) -> None:
        part = _PageOfRows(self, 0, len(self.rows) - 1)
        part.wrap(self.width, self.height)
        part.drawOn(self.canv, 0, 0)


def _table(tabel: Tabel, lang: Lang, width: float, heading: bool = True) -> list[Flowable]:
    """A table's heading (unless ``heading`` is False: the section's heading says it), the
    table (header row repeated on every page) and its note. A table starts on a new page when
    less than 5 cm are left, so that its heading stands above its first rows, not alone at the
    foot of a page (a header row of wrapped headings takes 1,5 cm)."""
    out: list[Flowable] = [CondPageBreak(5 * cm)]
    if tabel.judul and heading:
        out.append(_p(tabel.judul, "tabel"))
    widths = _widths(tabel.kolom, width)
    if tabel.data.empty and tabel.total is None:
        out.append(_p(t("lap_tabel_kosong", lang), "kecil"))
        if tabel.catatan:
            out.append(_p(tabel.catatan, "kecil"))
        return out
    rooms = [w - 7 for w in widths]
    rows: list[list[Any]] = [[_p(k.judul, "kepala") for k in tabel.kolom]]
    columns = [
        tabel.data[k.kode].tolist() if k.kode in tabel.data.columns else [None] * len(tabel.data)
        for k in tabel.kolom
    ]
    # Every body row's height is known from its lines (the cells are plain strings), so the
    # table need not measure its rows again each time it is split over a page.
    lowest = CHECK_LEADING if any(k.format == "centang" for k in tabel.kolom) else LEADING
    heights: list[float] = [0.0]  # the header's: measured (`_PagedTable.head_height`)
    for values in zip(*columns, strict=True):
        row = [
            wrap(cell_text(value, kolom, lang), room)
            for value, kolom, room in zip(values, tabel.kolom, rooms, strict=True)
        ]
        rows.append(row)
        lines = max(cell.count("\n") for cell in row) + 1
        heights.append(max(lines * LEADING, lowest) + 2 * PADDING)
    if tabel.total is not None:
        last = [
            wrap(cell_text(tabel.total[k.kode], k, lang), room) if k.kode in tabel.total else ""
            for k, room in zip(tabel.kolom, rooms, strict=True)
        ]
        rows.append(last)
        heights.append((max(cell.count("\n") for cell in last) + 1) * LEADING + 2 * PADDING)
    ticks = [i for i, kolom in enumerate(tabel.kolom) if kolom.format == "centang"]
    for row in rows[1:]:
        for i in ticks:
            row[i] = ""  # the box is drawn, not typed (`_PageOfRows`)
    right = {i for i, kolom in enumerate(tabel.kolom) if kolom.format in NUMERIC}
    table = _PagedTable(rows, heights, widths, ticks, right, total=tabel.total is not None)
    out.append(table)
    if tabel.catatan:
        out.append(Spacer(1, 2))
        out.append(_p(tabel.catatan, "kecil"))
    out.append(Spacer(1, 6))
    return out


def _figures(angka: Angka, width: float) -> list[Flowable]:
    """Key figures as boxes side by side, four to a row."""
    per_row = 4
    boxes: list[Any] = [
        [_p(value, "angka"), _p(label, "angka_label")] for label, value in angka.isi
    ]
    rows = [boxes[i : i + per_row] for i in range(0, len(boxes), per_row)]
    if not rows:
        return []
    rows[-1] = rows[-1] + [""] * (per_row - len(rows[-1]))
    table = Table(
        rows,
        colWidths=[width / per_row] * per_row,
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F5F8FB")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
    return [table, Spacer(1, 8)]


def _picture(gambar: Gambar) -> list[Flowable]:
    reader = ImageReader(io.BytesIO(gambar.png))
    w, h = reader.getSize()
    width = gambar.lebar_cm * cm
    out: list[Flowable] = []
    if gambar.judul:
        out.append(_p(gambar.judul, "tabel"))
    out.append(Image(io.BytesIO(gambar.png), width=width, height=width * h / w))
    return [*out, Spacer(1, 6)]


def _signatures(ttd: TandaTangan, lang: Lang, width: float) -> list[Flowable]:
    """A place-and-date line and one column per role: the role, room to sign, a name line."""
    n = max(1, len(ttd.peran))
    gap = 2 * cm
    # Signature columns with narrow empty columns between them, so that each line stands alone.
    sign = (width - gap * (n - 1)) / n
    widths = [w for i in range(n) for w in ((sign,) if i == 0 else (gap, sign))]

    def spread(cells: list[Any]) -> list[Any]:
        return [c for i, cell in enumerate(cells) for c in ((cell,) if i == 0 else ("", cell))]

    roles = spread([_p(role, "biasa") for role in ttd.peran])
    names = spread([_p(t("lap_nama_ttd", lang), "kecil") for _ in ttd.peran])
    lines = [("LINEBELOW", (2 * i, 1), (2 * i, 1), 0.6, colors.black) for i in range(n)]
    table = Table(
        [roles, [""] * len(widths), names],
        colWidths=widths,
        rowHeights=[None, 2.2 * cm, None],
        style=TableStyle(
            [
                *lines,
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
        hAlign="LEFT",
    )
    head = [CondPageBreak(5 * cm), Spacer(1, 10)]
    if ttd.tempat_tanggal:
        head.append(_p(ttd.tempat_tanggal, "biasa"))
    return [*head, Spacer(1, 4), table]


def _about(laporan: Laporan, width: float) -> list[Flowable]:
    if not laporan.tentang:
        return []
    rows = [
        [_p(t(k, laporan.lang), "kecil"), _p(display.cell(v, laporan.lang), "kecil")]
        for k, v in laporan.tentang.items()
    ]
    table = Table(
        rows,
        colWidths=[width * 0.28, width * 0.72],
        style=TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#C9D1D9")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        ),
        hAlign="LEFT",
    )
    return [table, Spacer(1, 10)]


def _empty(text: str, width: float) -> list[Flowable]:
    """The clear box a report shows when the registry holds nothing to report."""
    box = Table(
        [[_p(text, "biasa")]],
        colWidths=[width],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#E8A33D")),
                ("BACKGROUND", (0, 0), (-1, -1), WARN_BG),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        ),
    )
    return [box, Spacer(1, 10)]


def _section(bagian: Bagian, lang: Lang, width: float, first: bool) -> list[Flowable]:
    out: list[Flowable] = []
    if bagian.halaman_baru and not first:
        out.append(PageBreak())
    if bagian.judul:
        out.append(CondPageBreak(5 * cm))
        out.append(_p(bagian.judul, "bagian"))
    for blok in bagian.blok:
        if isinstance(blok, Paragraf):
            out.append(_p(blok.teks, blok.gaya))
        elif isinstance(blok, Angka):
            out.extend(_figures(blok, width))
        elif isinstance(blok, Tabel):
            # A table named as its section is not headed twice (the XLSX sheet keeps the name).
            out.extend(_table(blok, lang, width, heading=blok.judul != bagian.judul))
        elif isinstance(blok, Gambar):
            out.extend(_picture(blok))
        elif isinstance(blok, TandaTangan):
            out.extend(_signatures(blok, lang, width))
    return out


def story(laporan: Laporan, width: float) -> list[Flowable]:
    """The flowables of the whole report, in order."""
    out: list[Flowable] = [_p(laporan.judul, "judul")]
    if laporan.subjudul:
        out.append(_p(laporan.subjudul, "subjudul"))
    out.extend(_about(laporan, width))
    if laporan.kosong:
        out.extend(_empty(laporan.kosong, width))
    for i, bagian in enumerate(laporan.bagian):
        out.extend(_section(bagian, laporan.lang, width, first=i == 0))
    return out


def _canvas_class(title: str, lang: Lang, printed: str, pages: list[int]) -> type[Canvas]:
    """A canvas that keeps every page until the end, so that each footer can say how many pages
    the report has ("Halaman 2 dari 7"); the count is left in ``pages``."""

    class Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._kept: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._kept.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._kept)
            for state in self._kept:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            pages.append(total)
            super().save()

        def _footer(self, total: int) -> None:
            w, _ = self._pagesize
            y = MARGIN * 0.55
            self.setStrokeColor(colors.HexColor("#9AA5B1"))
            self.setLineWidth(0.4)
            self.line(MARGIN, y + 9, w - MARGIN, y + 9)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#444444"))
            page = t(
                "lap_halaman",
                lang,
                x=display.num(self._pageNumber, lang),
                y=display.num(total, lang),
            )
            self.drawCentredString(w / 2, y, page)
            when = t("lap_dicetak", lang, waktu=printed)
            self.drawRightString(w - MARGIN, y, when)
            room = w / 2 - MARGIN - pdfmetrics.stringWidth(page, FONT, 7.5) / 2 - 12
            short = title
            while short and pdfmetrics.stringWidth(short, FONT, 7.5) > room:
                short = short[: max(0, len(short) - 4)].rstrip() + "…"
                if len(short) <= 2:
                    break
            self.drawString(MARGIN, y, short)

    return Numbered


def to_pdf(laporan: Laporan, path: Path, printed: datetime | None = None) -> int:
    """Write ``laporan`` to ``path`` as a PDF; the number of pages written."""
    _fonts()
    size = landscape(A4) if laporan.orientasi == "lanskap" else A4
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 0.3 * cm,
        title=laporan.judul,
        subject=laporan.subjudul,
        author="Sinergi",
        creator="Sinergi",
        lang="id-ID" if laporan.lang == "id" else "en",
    )
    when = display.waktu(printed or datetime.now(), laporan.lang, seconds=False)
    pages: list[int] = []
    doc.build(
        story(laporan, doc.width),
        canvasmaker=_canvas_class(laporan.judul, laporan.lang, when, pages),
    )
    return pages[0] if pages else 0
