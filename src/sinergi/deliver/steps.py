"""One step of a versioned record — a beneficiary's proposal or a village project: from which
status to which, by whom, when and why.

Both records take a step the same way: the row gets the new status, the next version and who
changed it when (`Step.stamp`); the record's event table gets a row and the audit log an entry
(`Step.log`), in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert

from sinergi.store import audit


@dataclass(frozen=True)
class Step:
    dari: str | None
    ke: str
    oleh: str
    catatan: str | None = None
    waktu: datetime = field(default_factory=lambda: datetime.now(UTC))

    def stamp(self, versi: int) -> dict[str, Any]:
        """The columns the step sets on a record that had version ``versi`` (0 for a new one)."""
        return {
            "status": self.ke,
            "versi": versi + 1,
            "updated_at": self.waktu,
            "updated_by": self.oleh,
        }

    def log(
        self,
        conn: Connection,
        events: Table,
        action: str,
        target: str,
        key: int,
        detail: dict[str, Any],
        **record: Any,
    ) -> None:
        """The step's row in ``events`` (``record``: the record's own columns there) and its
        audit entry (``action`` on ``target`` ``key``, with ``detail``)."""
        conn.execute(
            insert(events).values(
                dari=self.dari,
                ke=self.ke,
                catatan=self.catatan,
                oleh=self.oleh,
                waktu=self.waktu,
                **record,
            )
        )
        audit.record(conn, self.oleh, action, target, str(key), detail)
