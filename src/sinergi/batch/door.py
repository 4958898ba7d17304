"""The door of the batch jobs: who may run a job over an extract, and the audit log that records
every result written.

A batch job reads an extract (`sinergi export parquet`, recorded in its registry's audit log)
and writes a result; ``assess`` and ``missed`` name families and persons (No KK, the wives' NIKs
in ``pasangan``, each missed child's name, NIK and birth date), ``coverage`` and ``prioritize``
hold area figures only. Like every other way in, a job asks the registry who runs it
(`admit`, before any row is read) and records what it wrote in the registry's append-only audit
log (`record`, as an export: ``objek`` `OBJECT`, ``kunci`` the job). A result whose record
cannot be written is removed (`sinergi.batch.cli`): no result without its audit row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from sinergi.batch.engine import result_rows
from sinergi.core.errors import CodedError
from sinergi.security.access import unrestricted
from sinergi.security.auth import User
from sinergi.store import audit

# ``objek`` of the audit log's entry for a batch result.
OBJECT = "hasil_batch"
# The jobs whose results name families and persons: only a user who may see every family
# (as for the extract itself) may run them.
PERSONAL_JOBS = frozenset({"assess", "missed"})


class BatchRefused(CodedError):
    """A batch job the asking user may not run, as a catalogue message."""


class BatchNotRecorded(CodedError):
    """A batch result the audit log could not record (and that was therefore removed), as a
    catalogue message."""


def admit(user: User, job: str) -> None:
    """Raises `BatchRefused` unless ``user`` may run ``job``: a personal job (`PERSONAL_JOBS`)
    needs a user who may see every family (`unrestricted`), an area job any account."""
    if job in PERSONAL_JOBS and not unrestricted(user):
        raise BatchRefused("batch_tidak_boleh", user=user.username, role=user.role, job=job)


def record(
    registry: Engine,
    user: User,
    job: str,
    *,
    engine: str,
    input_dir: Path,
    folder: Path,
    via: str = "cli",
) -> int:
    """Record the batch result written at ``folder`` (``<out>/<job>``) in the registry's audit
    log, in a transaction of its own, and return its rows. A result whose record cannot be
    written is removed, and `BatchNotRecorded` raised."""
    rows = result_rows(folder.parent, job)
    detail = {
        "mesin": engine,
        "ekstrak": str(input_dir.resolve()),  # where it was, whatever the command line said
        "folder": str(folder.resolve()),
        "baris": rows,
        "pribadi": job in PERSONAL_JOBS,
        "via": via,
    }
    try:
        audit.record_now(registry, user.username, audit.EXPORT, OBJECT, job, detail)
    except SQLAlchemyError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        first = str(exc).splitlines()[0]
        raise BatchNotRecorded("batch_audit_gagal", job=job, detail=first) from exc
    return rows
