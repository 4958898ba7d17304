"""The append-only audit log: who saw, exported or changed what, and when.

Every stage that changes data for a user (the delivery workflow, the web app, the API) writes
here in the same transaction as the change, so a change without its audit row cannot exist.
The database refuses UPDATE and DELETE on the table (triggers in migration 0004)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert

from sinergi.store.tables import audit_log


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
