"""The append-only audit log: who logged in, saw, exported or changed which personal data.

Rows are only ever inserted; the database itself refuses UPDATE and DELETE (migration 0004), so
the log cannot be tidied away by the application or by anyone holding its credentials.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from sinergi.store.audit import record
from sinergi.store.tables import audit_log

__all__ = ["entries", "record", "record_now"]

# Actions written by the web app and the API.
LOGIN, LOGIN_FAILED, LOGOUT = "login", "login_gagal", "keluar"
VIEW, EXPORT, CHANGE, REVEAL = "lihat", "ekspor", "ubah", "tampil_nik"
IMPORT = "impor"


def record_now(
    engine: Engine,
    username: str | None,
    aksi: str,
    objek: str | None = None,
    kunci: str | None = None,
    rincian: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    with engine.begin() as conn:
        record(conn, username, aksi, objek, kunci, rincian, ip)


def entries(
    engine: Engine, username: str | None = None, aksi: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    a = audit_log.c
    q = select(audit_log).order_by(a.id.desc()).limit(limit)
    if username:
        q = q.where(a.username == username)
    if aksi:
        q = q.where(a.aksi == aksi)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
