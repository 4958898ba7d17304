"""Village projects of area programmes: a water network goes perencanaan → konstruksi →
beroperasi, and households are connected to it once it operates.

A family connected to an operating network has its water need met (monitor counts it), and the
village is no longer offered a network by the priority ranking. The next family-data import that
shows piped water removes the factor itself at the next assessment.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, func, insert, select, update

from sinergi.deliver.steps import Step
from sinergi.deliver.workflow import WorkflowError
from sinergi.store import audit
from sinergi.store.dialect import greatest
from sinergi.store.tables import (
    assessment_families,
    assessment_runs,
    project_events,
    project_households,
    projects,
)
from sinergi.targeting.programmes import load_programme

PROJECT_STATUSES = ("perencanaan", "konstruksi", "beroperasi")


class ProjectError(WorkflowError):
    code = "pj_transisi_tidak_sah"


def _project(conn: Connection, kode_program: str, kode_desa: str) -> RowMapping | None:
    """The programme's project in the village, if any."""
    return (
        conn.execute(
            select(projects).where(
                projects.c.kode_program == kode_program, projects.c.kode_desa == kode_desa
            )
        )
        .mappings()
        .first()
    )


def check_project_step(old: str | None, new: str, desa: str) -> None:
    if new not in PROJECT_STATUSES:
        raise ProjectError(
            "pj_status_tidak_dikenal", status=new, choices=", ".join(PROJECT_STATUSES)
        )
    if old is None:
        return  # a project may be registered at any stage (an existing network, say)
    if PROJECT_STATUSES.index(new) < PROJECT_STATUSES.index(old):
        raise ProjectError(desa=desa, old=old, new=new)


def set_project(
    engine: Engine,
    kode_program: str,
    kode_desa: str,
    status: str,
    *,
    oleh: str,
    sambungan_rumah: int | None = None,
    biaya: int | None = None,
    catatan: str | None = None,
) -> dict[str, Any]:
    """Create or advance the programme's project in a village; returns the project row."""
    prog = load_programme(kode_program)
    with engine.begin() as conn:
        row = _project(conn, kode_program, kode_desa)
        old = row["status"] if row else None
        check_project_step(old, status, kode_desa)
        step = Step(old, status, oleh, catatan)
        if row is None:
            pid = int(
                conn.execute(
                    insert(projects)
                    .values(
                        kode_program=kode_program,
                        kode_desa=kode_desa,
                        periode=prog.period,
                        biaya=biaya,
                        sambungan_rumah=sambungan_rumah or 0,
                        **step.stamp(0),
                    )
                    .returning(projects.c.id)
                ).scalar_one()
            )
        else:
            pid = int(row["id"])
            values = step.stamp(row["versi"])
            if sambungan_rumah is not None:
                values["sambungan_rumah"] = sambungan_rumah
            if biaya is not None:
                values["biaya"] = biaya
            conn.execute(update(projects).where(projects.c.id == pid).values(**values))
        step.log(
            conn,
            project_events,
            "ubah_proyek",
            "project",
            pid,
            {
                "program": kode_program,
                "kode_desa": kode_desa,
                "lama": old,
                "baru": status,
                "sambungan_rumah": sambungan_rumah,
            },
            project_id=pid,
            sambungan_rumah=sambungan_rumah,
        )
        return dict(conn.execute(select(projects).where(projects.c.id == pid)).mappings().one())


def connect_households(
    engine: Engine,
    kode_program: str,
    kode_desa: str,
    no_kks: list[str] | None,
    *,
    oleh: str,
    tanggal: date | None = None,
) -> int:
    """Connect families to the village's operating network; ``None`` = every family of the
    village whose newest assessment shows the programme's need. Returns families newly
    connected (connecting one twice changes nothing)."""
    prog = load_programme(kode_program)
    with engine.begin() as conn:
        row = _project(conn, kode_program, kode_desa)
        if row is None:
            raise ProjectError("pj_tidak_ada", program=kode_program, desa=kode_desa)
        if row["status"] != "beroperasi":
            raise ProjectError("pj_belum_beroperasi", status=row["status"])
        if no_kks is None:
            run_id = conn.execute(select(func.max(assessment_runs.c.id))).scalar()
            af = assessment_families.c
            no_kks = [
                r[0]
                for r in conn.execute(
                    select(af.no_kk).where(
                        af.run_id == run_id,
                        af.kode_desa == kode_desa,
                        af.faktor.contains(prog.need),
                    )
                )
            ]
        already = {
            r[0]
            for r in conn.execute(
                select(project_households.c.no_kk).where(
                    project_households.c.project_id == row["id"]
                )
            )
        }
        fresh = sorted(set(no_kks) - already)
        if fresh:
            conn.execute(
                insert(project_households),
                [
                    {
                        "project_id": row["id"],
                        "no_kk": kk,
                        "tersambung": tanggal or date.today(),
                        "oleh": oleh,
                    }
                    for kk in fresh
                ],
            )
            total = len(already) + len(fresh)
            conn.execute(
                update(projects)
                .where(projects.c.id == row["id"])
                .values(sambungan_rumah=greatest(conn, projects.c.sambungan_rumah, total))
            )
            audit.record(
                conn,
                oleh,
                "sambung_rumah",
                "project",
                str(row["id"]),
                {"program": kode_program, "kode_desa": kode_desa, "keluarga_baru": len(fresh)},
            )
        return len(fresh)
