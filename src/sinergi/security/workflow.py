"""The one door every beneficiary status change passes: the CLI (the server's administrator),
the programme page and ``POST /api/v1/programmes/{kode}/beneficiaries/{no_kk}/status`` all call
`change_status_as`, which knows who asks.

In order: the programme must exist, the user must see its list (`access.may_list`), the role
must be allowed the new status (`access.status_refusal`), the family must be in the user's
scope (`access.family_clause`; outside it the answer is the same as for a family that does not
exist) — then `deliver.workflow.change_status` checks the step itself and stores it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from sinergi.deliver.workflow import NotFound, WorkflowError, change_status
from sinergi.security.access import family_clause, may_list, status_refusal, unrestricted
from sinergi.security.auth import User
from sinergi.store.tables import assessment_runs, families
from sinergi.targeting.programmes import load_catalogue


class NotAllowed(WorkflowError):
    """The user may not change this programme's beneficiary list at all."""

    code = "wf_daftar_tidak_boleh"


class StatusNotAllowed(NotAllowed):
    """The user may change the list, but not to this status."""

    code = "wf_peran_tidak_boleh"


class OutOfReach(NotFound):
    """A family outside the user's scope: answered as if it were not there."""

    code = "wf_web_tidak_ditemukan"


def check_change(
    user: User, kode_program: str, ke: str, no_kk: str = "-", periode: str | None = None
) -> None:
    """Raise unless ``user`` may set status ``ke`` on the list of ``kode_program``: `NotFound`
    (no such programme), `NotAllowed` (not the user's list) or `StatusNotAllowed`."""
    if kode_program not in load_catalogue():
        raise NotFound(no_kk=no_kk, program=kode_program, period=periode or "-")
    if not may_list(user, kode_program):
        raise NotAllowed()
    refused = status_refusal(user, kode_program, ke)
    if refused is not None:
        raise StatusNotAllowed(refused[0], **refused[1])


def family_in_scope(engine: Engine, user: User, no_kk: str) -> bool:
    """May ``user`` see the family (in the latest assessment's terms, for an agency)?"""
    with engine.connect() as conn:
        run_id = conn.execute(select(func.max(assessment_runs.c.id))).scalar()
        scope = family_clause(user, families.c.no_kk, families.c.kode_desa, run_id)
        found = conn.execute(
            select(families.c.no_kk).where(families.c.no_kk == no_kk, scope)
        ).first()
    return found is not None


def change_status_as(
    engine: Engine,
    user: User,
    kode_program: str,
    no_kk: str,
    ke: str,
    *,
    alasan_tolak: str | None = None,
    catatan: str | None = None,
    bukti: tuple[str, bytes] | None = None,
    versi: int | None = None,
    sumber: str = "cli",
    periode: str | None = None,
) -> dict[str, Any]:
    """Move one beneficiary to status ``ke`` as ``user`` (`change_status`'s answer). Raises
    `NotAllowed`, `StatusNotAllowed`, `OutOfReach` or the workflow's own errors."""
    check_change(user, kode_program, ke, no_kk, periode)
    # Every family of the regency is in an unrestricted user's scope (a list names only
    # registered families), so the query would only repeat change_status's own lookup.
    if not unrestricted(user) and not family_in_scope(engine, user, no_kk):
        raise OutOfReach()
    return change_status(
        engine,
        kode_program,
        no_kk,
        ke,
        oleh=user.username,
        alasan_tolak=alasan_tolak,
        catatan=catatan,
        bukti=bukti,
        versi=versi,
        sumber=sumber,
        periode=periode,
    )
