"""Beneficiary workflow of family programmes: usulan → terverifikasi → disetujui → tersalurkan,
or ditolak with a reason, one change at a time (CLI, web, API).

Every change is checked against the allowed transitions (`check_transition`, a pure decision),
stored with who and when (``proposal_events``), optionally with evidence (a file stored with its
sha256), and audited in the same transaction.

Concurrency: each proposal carries a version number. A change names the version it saw (or the
one read at the start of the change); the UPDATE only succeeds while the row still has that
version. Of two officers changing the same beneficiary at once, one wins and the other gets a
`VersionConflict` naming who changed it — nothing is silently overwritten.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, or_, select, update
from sqlalchemy.exc import OperationalError

from sinergi.core.errors import CodedError
from sinergi.core.statuses import NEXT, REJECT_REASONS, STATUSES
from sinergi.deliver.steps import Step
from sinergi.store.frames import read_frame
from sinergi.store.tables import evidence, proposal_events, proposals


class WorkflowError(CodedError):
    code = "wf_error"


class NotFound(WorkflowError):
    code = "wf_tidak_ditemukan"


class InvalidTransition(WorkflowError):
    code = "wf_transisi_tidak_sah"


class VersionConflict(WorkflowError):
    code = "wf_versi_bentrok"


def check_transition(
    old: str, new: str, alasan_tolak: str | None = None, catatan: str | None = None
) -> None:
    """Raise `InvalidTransition` unless ``old → new`` (with its reason) is allowed."""
    if new not in STATUSES:
        raise InvalidTransition("wf_status_tidak_dikenal", status=new, choices=", ".join(STATUSES))
    if new not in NEXT[old]:
        if not NEXT[old]:
            raise InvalidTransition("wf_status_akhir", old=old, new=new)
        raise InvalidTransition(old=old, new=new, allowed=", ".join(NEXT[old]))
    if new == "ditolak":
        if not alasan_tolak:
            raise InvalidTransition("wf_alasan_wajib", choices=", ".join(REJECT_REASONS))
        if alasan_tolak not in REJECT_REASONS:
            raise InvalidTransition(
                "wf_alasan_tidak_dikenal", reason=alasan_tolak, choices=", ".join(REJECT_REASONS)
            )
        if alasan_tolak == "lainnya" and not (catatan or "").strip():
            raise InvalidTransition("wf_catatan_wajib")


def store_evidence(conn: Connection, file_name: str, content: bytes, oleh: str) -> int:
    """Keep a file once (by sha256) and return its id."""
    digest = hashlib.sha256(content).hexdigest()
    found = conn.execute(select(evidence.c.id).where(evidence.c.sha256 == digest)).scalar()
    if found is not None:
        return int(found)
    return int(
        conn.execute(
            insert(evidence)
            .values(
                sha256=digest,
                nama_berkas=file_name[:300],
                ukuran=len(content),
                isi=content,
                diunggah_oleh=oleh,
                diunggah=datetime.now(UTC),
            )
            .returning(evidence.c.id)
        ).scalar_one()
    )


def _current(
    conn: Connection, kode_program: str, no_kk: str, periode: str | None
) -> dict[str, Any] | None:
    q = select(proposals).where(
        proposals.c.kode_program == kode_program, proposals.c.no_kk == no_kk
    )
    if periode is not None:
        q = q.where(proposals.c.periode == periode)
    row = conn.execute(q.order_by(proposals.c.periode.desc())).mappings().first()
    return dict(row) if row is not None else None


def _conflict(row: dict[str, Any]) -> VersionConflict:
    return VersionConflict(
        by=row.get("updated_by") or "-", status=row["status"], version=row["versi"]
    )


def change_status(
    engine: Engine,
    kode_program: str,
    no_kk: str,
    ke: str,
    *,
    oleh: str,
    alasan_tolak: str | None = None,
    catatan: str | None = None,
    bukti: tuple[str, bytes] | None = None,
    versi: int | None = None,
    sumber: str = "cli",
    periode: str | None = None,
) -> dict[str, Any]:
    """Move one beneficiary to status ``ke``; returns the proposal row plus ``changed``.

    Asking for the status it already has changes nothing (``changed`` False), so repeating a
    change is harmless."""
    try:
        with engine.begin() as conn:
            row = _current(conn, kode_program, no_kk, periode)
            if row is None:
                raise NotFound(no_kk=no_kk, program=kode_program, period=periode or "-")
            if versi is not None and versi != row["versi"]:
                raise _conflict(row)
            if ke == row["status"]:
                return {**row, "dari": row["status"], "changed": False}
            check_transition(row["status"], ke, alasan_tolak, catatan)
            step = Step(row["status"], ke, oleh, catatan)
            evidence_id = store_evidence(conn, bukti[0], bukti[1], oleh) if bukti else None
            values = step.stamp(row["versi"])
            if ke == "ditolak":
                values |= {"alasan_tolak": alasan_tolak, "alasan_tolak_teks": catatan}
            done = conn.execute(
                update(proposals)
                .where(proposals.c.id == row["id"], proposals.c.versi == row["versi"])
                .values(**values)
            )
            if done.rowcount != 1:
                latest = _current(conn, kode_program, no_kk, row["periode"])
                raise _conflict(latest or row)
            step.log(
                conn,
                proposal_events,
                "ubah_status",
                "proposal",
                row["id"],
                {
                    "program": kode_program,
                    "periode": row["periode"],
                    "no_kk": no_kk,
                    "lama": {"status": row["status"], "versi": row["versi"]},
                    "baru": {
                        "status": ke,
                        "versi": row["versi"] + 1,
                        "alasan_tolak": alasan_tolak,
                        "catatan": catatan,
                        "bukti": evidence_id,
                    },
                    "sumber": sumber,
                },
                proposal_id=row["id"],
                alasan_tolak=alasan_tolak,
                evidence_id=evidence_id,
                sumber=sumber,
            )
            return {**row, **values, "dari": row["status"], "changed": True}
    except OperationalError as exc:
        # SQLite: another writer held the database and our snapshot went stale — the same
        # situation as a version conflict, reported the same way.
        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
            raise
        with engine.connect() as conn:
            latest = _current(conn, kode_program, no_kk, periode)
        raise _conflict(latest or {"status": "?", "versi": "?"}) from exc


def beneficiaries(
    engine: Engine,
    kode_program: str,
    prefixes: list[str] | None = None,
    status: str | None = None,
    periode: str | None = None,
) -> pd.DataFrame:
    """The programme's beneficiary list with workflow state, optionally for some areas."""
    c = proposals.c
    q = select(
        c.id,
        c.kode_program,
        c.periode,
        c.no_kk,
        c.kode_desa,
        c.status,
        c.versi,
        c.biaya,
        c.faktor,
        c.alasan,
        c.alasan_tolak,
        c.alasan_tolak_teks,
        c.asal,
        c.updated_at,
        c.updated_by,
    ).where(c.kode_program == kode_program)
    if status is not None:
        q = q.where(c.status == status)
    if periode is not None:
        q = q.where(c.periode == periode)
    if prefixes:
        q = q.where(or_(*[c.kode_desa.startswith(p) for p in prefixes]))
    with engine.connect() as conn:
        return read_frame(conn, q.order_by(c.kode_desa, c.no_kk))
