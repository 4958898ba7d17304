"""The one door every export of a table passes: the CLI's ``--out`` files and the web's
downloads both call `export_as` (or `export_bytes`), which writes the table (`write_table`) and
records who exported what — how many rows, under which file name — in the audit log.

Which rows the user may have is decided where the table is read (the scoped queries); this door
makes sure no table leaves without its audit row.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from sinergi.messages import Lang
from sinergi.reports.tables import write_table
from sinergi.security.auth import User
from sinergi.store import audit


def export_as(
    engine: Engine,
    user: User,
    what: str,
    frame: pd.DataFrame,
    path: Path,
    about: dict[str, object] | None = None,
    lang: Lang = "id",
    *,
    sheet: str = "Data",
    key: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """Write ``frame`` to ``path`` (CSV or XLSX with its 'about' sheet) as ``user`` and record
    the export: ``what`` names the table in the audit log (``objek``), ``key`` the thing it is
    of (a programme, an assessment run), ``detail`` what else the entry should say."""
    write_table(path, frame, sheet, about, lang)
    rincian = {"baris": len(frame), "berkas": path.name} | (detail or {})
    audit.record_now(engine, user.username, audit.EXPORT, what, key, rincian, ip)


def export_bytes(
    engine: Engine,
    user: User,
    what: str,
    frame: pd.DataFrame,
    name: str,
    about: dict[str, object] | None = None,
    lang: Lang = "id",
    **options: Any,
) -> bytes:
    """`export_as` for a download: the file's bytes, named ``name`` in the audit log."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        export_as(engine, user, what, frame, path, about, lang, **options)
        return path.read_bytes()
