"""The report kinds and the one door every report leaves by.

`KINDS` maps a kind to its build function (``build(engine, user, lang, *, desa, kecamatan,
periode, **options) -> Laporan``), each imported when first asked for, so that a kind's
dependencies load only when it is printed. `build_report` builds one; `write_report` writes it as
PDF or XLSX (by the file's extension) and records the render in the audit log as every export
is (``laporan:<kind>``, the options, pages or rows). The CLI's ``sinergi report`` and the web's
``/laporan/<kind>`` both go through here; which area the user may print is the caller's check
(`area_allowed`), made before anything is read.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sinergi.core.errors import CodedError
from sinergi.messages import Lang
from sinergi.reports.document import Laporan
from sinergi.security.access import in_area
from sinergi.security.auth import User
from sinergi.store import audit


def _lazy(module: str) -> Callable[..., Laporan]:
    """The ``build`` function of ``module``, imported on first use."""

    def build(*args: Any, **kwargs: Any) -> Laporan:
        found: Callable[..., Laporan] = importlib.import_module(module).build
        return found(*args, **kwargs)

    build.__doc__ = f"{module}.build"
    return build


#: kind → build function. A kind adds one line here.
KINDS: dict[str, Callable[..., Laporan]] = {
    "musdes": _lazy("sinergi.reports.musdes"),
    "kasus": _lazy("sinergi.reports.kasus"),
    "rembuk": _lazy("sinergi.reports.rembuk"),
    "scorecard": _lazy("sinergi.reports.scorecard"),
    "tpps": _lazy("sinergi.reports.tpps"),
}
#: Kinds of named persons (a village's or an area's people): printed only within the user's
#: area and by roles that see names; the others are aggregates.
PERSONAL = frozenset({"musdes", "kasus"})
#: Kinds for one village: ``desa`` is required.
ONE_VILLAGE = frozenset({"musdes", "scorecard"})
FORMATS = (".pdf", ".xlsx")


class ReportError(CodedError, ValueError):
    """A report asked for wrongly: an unknown kind or format, a village missing."""


@dataclass(frozen=True)
class Written:
    """What `write_report` wrote: the path, its pages (PDF) or table rows (XLSX), seconds."""

    path: Path
    pages: int
    rows: int
    seconds: float


def build_report(kind: str, engine: Engine, user: User, lang: Lang, **options: Any) -> Laporan:
    """Build report ``kind`` (a key of `KINDS`) with the options given (``desa``,
    ``kecamatan``, ``periode``, ``dusun`` …; None values are left out)."""
    if kind not in KINDS:
        raise ReportError("lap_jenis_tidak_dikenal", kind=kind, kinds=", ".join(sorted(KINDS)))
    if kind in ONE_VILLAGE and not options.get("desa"):
        raise ReportError("lap_desa_wajib", kind=kind)
    given = {k: v for k, v in options.items() if v not in (None, "")}
    return KINDS[kind](engine, user, lang, **given)


def area_allowed(user: User, kind: str, area: str | None) -> bool:
    """May ``user`` print ``kind`` for ``area`` (a village or kecamatan code, None for the
    regency)? Personal kinds need a role that sees names; an area asked for must be within the
    user's (a village account only its village, a kecamatan account only its kecamatan); the
    regency's personal reports only for users without an area limit."""
    from sinergi.security.access import can_see_names

    if kind in PERSONAL and not can_see_names(user):
        return False
    if area is None:
        # The regency: an aggregate kind limits itself to the user's own area.
        return kind not in PERSONAL or not user.wilayah
    return in_area(user, area)


def check_format(path: Path) -> str:
    """``pdf`` or ``xlsx`` from the file's extension; anything else is refused."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ReportError("lap_format_tidak_dikenal", name=path.name)
    return suffix[1:]


def write_report(
    engine: Engine,
    user: User,
    kind: str,
    laporan: Laporan,
    path: Path,
    options: dict[str, Any] | None = None,
    ip: str | None = None,
) -> Written:
    """Write ``laporan`` to ``path`` (PDF or XLSX by its extension) and record the render in
    the audit log (``laporan:<kind>``, keyed by the village, kecamatan or period printed)."""
    fmt = check_format(path)
    started = time.perf_counter()
    rows = sum(len(tabel.data) for tabel in laporan.tabel())
    pages = 0
    if fmt == "pdf":
        from sinergi.reports.render_pdf import to_pdf

        pages = to_pdf(laporan, path)
    else:
        from sinergi.reports.render_xlsx import to_xlsx

        to_xlsx(laporan, path)
    seconds = time.perf_counter() - started
    given = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    key = given.get("desa") or given.get("kecamatan") or given.get("periode")
    detail = given | {"berkas": path.name, "format": fmt, "baris": rows, "bahasa": laporan.lang}
    if fmt == "pdf":
        detail["halaman"] = pages
    if laporan.kosong:
        detail["kosong"] = True
    audit.record_now(
        engine,
        user.username,
        audit.EXPORT,
        f"laporan:{kind}",
        str(key) if key else None,
        detail,
        ip,
    )
    return Written(path, pages, rows, seconds)


def report_bytes(
    engine: Engine,
    user: User,
    kind: str,
    laporan: Laporan,
    name: str,
    options: dict[str, Any] | None = None,
    ip: str | None = None,
) -> tuple[bytes, Written]:
    """`write_report` for a download: the file's bytes, named ``name`` in the audit log."""
    with tempfile.TemporaryDirectory() as tmp:
        done = write_report(engine, user, kind, laporan, Path(tmp) / name, options, ip)
        return done.path.read_bytes(), done
