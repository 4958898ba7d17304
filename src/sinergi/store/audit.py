"""The append-only audit log: who saw, exported or changed what, and when.

Every stage that changes data for a user (the delivery workflow, the web app, the API) writes
here in the same transaction as the change, so a change without its audit row cannot exist.
The database refuses UPDATE, DELETE, TRUNCATE and an INSERT over an existing id (triggers and
revoked privileges, migrations 0004 and 0005)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from sinergi.store.tables import audit_log

# The action words of the log (``aksi``), one home for every writer: the CLI, the web app, the
# API and the stages that change data for a user.
LOGIN, LOGIN_FAILED, LOGOUT = "login", "login_gagal", "keluar"
VIEW, EXPORT, CHANGE, REVEAL = "lihat", "ekspor", "ubah", "tampil_nik"
IMPORT = "impor"
# Accounts: a new account (its own word, so that "ubah" lists changes to existing accounts), and
# an ended session or API token.
CREATE, REVOKE = "buat", "cabut_sesi"
# The delivery workflow (`sinergi.deliver`): one beneficiary's status, an uploaded list's status
# changes, a village project's stage, households connected to a village project.
STATUS_CHANGE, BULK_STATUS_CHANGE = "ubah_status", "ubah_status_massal"
PROJECT_CHANGE, CONNECT = "ubah_proyek", "sambung_rumah"


def record(
    conn: Connection,
    username: str | None,
    aksi: str,
    objek: str | None = None,
    kunci: str | None = None,
    rincian: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    conn.execute(
        insert(audit_log).values(
            waktu=datetime.now(UTC),
            username=username,
            aksi=aksi,
            objek=objek,
            kunci=None if kunci is None else str(kunci)[:64],
            rincian=rincian,
            ip=ip,
        )
    )


def record_now(engine: Engine, *args: Any, **kwargs: Any) -> None:
    """`record` (same arguments after the engine) in a transaction of its own: for views and
    exports, which change nothing else."""
    with engine.begin() as conn:
        record(conn, *args, **kwargs)


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
