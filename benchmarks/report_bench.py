"""Meeting-ready reports: time to build and render the musdes sheet of the largest village (goal
< 2 s) and, when the kind exists, the TPPS semester report of the whole regency (goal < 10 s).

Each is measured twice on the database given by ``--db`` (an assessed regency, e.g. a copy of
the demo's): the build (`reports.kinds.build_report`: the same queries as the pages) and the
render (`render_pdf.to_pdf`), separately, since the build of a personal list reads the case
finding, which the web app caches between requests: ``cold`` is the first time in the process,
``warm`` the second. The musdes sheet is the KRS list (the default of the page and the CLI); its
part B lists the village's case-finding rows. Alongside: part A alone, and the strongest
alternative in the same run — the same report rendered with ReportLab's own ``LongTable`` for
its tables (``longtable_render_s``). Writes benchmarks/results/report.json.

    .venv/bin/python benchmarks/report_bench.py --db sqlite:////path/to/copy-of-demo.db
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import LongTable, TableStyle
from sqlalchemy import func, select

from sinergi.reports import render_pdf
from sinergi.reports.kinds import KINDS, build_report
from sinergi.reports.render_pdf import to_pdf
from sinergi.security.auth import User
from sinergi.store.db import ensure_schema
from sinergi.store.tables import assessment_families, assessment_runs, families

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "report.json"
ADMIN = User(0, "bench", "admin", (), ())


def _largest_village(engine: Any) -> tuple[str, int]:
    """The village with the most KRS families in the latest run."""
    f, a = families.c, assessment_families.c
    with engine.connect() as conn:
        run = conn.execute(select(func.max(assessment_runs.c.id))).scalar_one()
        code, n = conn.execute(
            select(f.kode_desa, func.count())
            .join(assessment_families, a.no_kk == f.no_kk)
            .where(a.run_id == run, a.krs.is_(True))
            .group_by(f.kode_desa)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    return code, int(n)


def _longtable(table: Any) -> LongTable:
    """The strongest alternative for a long table: ReportLab's own ``LongTable`` (header row
    repeated on every page) with the same rows, widths, heights and style, tick boxes as the
    ☐ glyph (the renderer before the page-by-page table)."""
    r = render_pdf
    rows = [list(row) for row in table.rows]
    for row in rows[1 : len(rows) - (1 if table.total else 0)]:
        for i in table.ticks:
            row[i] = r.BOX
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), r.FONT, r.CELL_SIZE, r.LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), r.HEAD_BG),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, r.STRIPE_BG]),
        ("GRID", (0, 0), (-1, -1), 0.3, r.GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), r.PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), r.PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in table.right]
    style += [("ALIGN", (i, 1), (i, -1), "CENTER") for i in table.ticks]
    if table.total:
        style += [("FONT", (0, -1), (-1, -1), r.FONT_BOLD, r.CELL_SIZE, r.LEADING)]
    return LongTable(
        rows,
        colWidths=table.widths,
        rowHeights=[None, *table.heights[1:]],
        repeatRows=1,
        style=TableStyle(style),
    )


def _render_with_longtables(laporan: Any, path: Path) -> tuple[int, float]:
    """Pages and seconds of the same report rendered with ``LongTable`` for its tables."""
    original = render_pdf.story

    def story(lap: Any, width: float) -> list[Any]:
        return [
            _longtable(f) if isinstance(f, render_pdf._PagedTable) else f
            for f in original(lap, width)
        ]

    render_pdf.story = story  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        pages = to_pdf(laporan, path)
        return pages, time.perf_counter() - started
    finally:
        render_pdf.story = original  # type: ignore[assignment]


def _timed(kind: str, engine: Any, folder: Path, **options: Any) -> dict[str, Any]:
    """Build and render twice: ``cold`` is the first time in this process (the case finding
    read from the database, as the CLI does every time), ``warm`` the second (the web app's
    cached lists, `web.queries.cached`)."""
    runs: list[dict[str, Any]] = []
    for _ in range(2):
        started = time.perf_counter()
        laporan = build_report(kind, engine, ADMIN, "id", **options)
        built = time.perf_counter()
        pages = to_pdf(laporan, folder / f"{kind}.pdf")
        done = time.perf_counter()
        runs.append(
            {
                "build_s": round(built - started, 3),
                "render_s": round(done - built, 3),
                "total_s": round(done - started, 3),
                "pages": pages,
                "rows": [len(t.data) for t in laporan.tabel()],
            }
        )
    best: dict[str, Any] = {"cold": runs[0], "warm": runs[1]}
    pages, seconds = _render_with_longtables(laporan, folder / f"{kind}-longtable.pdf")
    best["longtable_render_s"] = round(seconds, 3)
    best["longtable_pages"] = pages
    # Part A alone (one table, the families): the renderer on the village's list.
    if kind == "musdes":
        laporan.bagian = laporan.bagian[:1]
        started = time.perf_counter()
        best["part_a_pages"] = to_pdf(laporan, folder / "a.pdf")
        best["part_a_render_s"] = round(time.perf_counter() - started, 3)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL of an assessed regency")
    args = parser.parse_args()
    engine = ensure_schema(args.db)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        village, krs = _largest_village(engine)
        results["musdes"] = {"desa": village, "krs": krs} | _timed(
            "musdes", engine, Path(tmp), desa=village
        )
        print(f"musdes {village} ({krs} KRS families): {results['musdes']}")
        if "tpps" in KINDS:
            results["tpps"] = _timed("tpps", engine, Path(tmp))
            print(f"tpps (regency): {results['tpps']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
