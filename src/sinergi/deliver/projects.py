"""Village projects of area programmes: a water network goes perencanaan → konstruksi →
beroperasi, and households are connected to it once it operates.

A family connected to an operating network has its water need met (monitor counts it), and the
village is no longer offered a network by the priority ranking. The next family-data import that
shows piped water removes the factor itself at the next assessment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, func, insert, select, update

from sinergi.deliver.steps import Step
from sinergi.deliver.workflow import WorkflowError
from sinergi.store import audit
from sinergi.store.dialect import greatest
from sinergi.store.tables import (
    assessment_families,
    assessment_runs,
    families,
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
    versi: int | None = None,
    tanggal: date | None = None,
) -> dict[str, Any]:
    """Create or advance the programme's project in a village; returns the project row.

    `versi` is the version the officer saw (the web form sends it): when the project has moved
    on since, nothing is changed and `ProjectError` ``pj_versi_bentrok`` names who changed it.
    `tanggal` is the day the stage was reached when it is not today (the project's date, which
    `sinergi.registry.water` weighs against the village file's).
    """
    prog = load_programme(kode_program)
    with engine.begin() as conn:
        row = _project(conn, kode_program, kode_desa)
        if versi is not None and versi != (row["versi"] if row else 0):
            raise ProjectError(
                "pj_versi_bentrok",
                by=row["updated_by"] if row else "-",
                status=row["status"] if row else "-",
                version=row["versi"] if row else 0,
            )
        old = row["status"] if row else None
        check_project_step(old, status, kode_desa)
        step = (
            Step(old, status, oleh, catatan)
            if tanggal is None or tanggal == date.today()
            else Step(old, status, oleh, catatan, datetime.combine(tanggal, time(12), UTC))
        )
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
            done = conn.execute(
                update(projects)
                .where(projects.c.id == pid, projects.c.versi == row["versi"])
                .values(**values)
            )
            if done.rowcount != 1:  # changed by someone else between our read and write
                raise ProjectError(
                    "pj_versi_bentrok", by="-", status=row["status"], version=row["versi"]
                )
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
    catatan: str | None = None,
) -> int:
    """Connect families to the village's operating network; ``None`` = every family of the
    village whose newest assessment shows the programme's need. Only families registered in
    the village are connected (`ProjectError` ``pj_keluarga_bukan_desa`` for one named from
    elsewhere). Returns families newly connected (connecting one twice changes nothing); a
    connection is a row of the project's history and dates the project anew."""
    prog = load_programme(kode_program)
    with engine.begin() as conn:
        row = _project(conn, kode_program, kode_desa)
        if row is None:
            raise ProjectError("pj_tidak_ada", program=kode_program, desa=kode_desa)
        if row["status"] != "beroperasi":
            raise ProjectError("pj_belum_beroperasi", status=row["status"])
        needing = no_kks is None
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
        # Only the village's own families, as registered now (one that moved away is not
        # connected here); a family named by the officer from elsewhere is refused.
        named = set(no_kks)
        local = {
            r[0]
            for r in conn.execute(
                select(families.c.no_kk).where(
                    families.c.no_kk.in_(named), families.c.kode_desa == kode_desa
                )
            )
        }
        foreign = sorted(named - local)
        if foreign and not needing:
            raise ProjectError("pj_keluarga_bukan_desa", no_kk=foreign[0], desa=kode_desa)
        no_kks = sorted(local)
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
            now = datetime.now(UTC)
            conn.execute(
                update(projects)
                .where(projects.c.id == row["id"])
                .values(
                    sambungan_rumah=greatest(conn, projects.c.sambungan_rumah, total),
                    updated_at=now,
                    updated_by=oleh,
                )
            )
            # The connection is part of the network's history (and newer than an older
            # village file: `sinergi.registry.water`).
            conn.execute(
                insert(project_events).values(
                    project_id=row["id"],
                    dari=row["status"],
                    ke=row["status"],
                    sambungan_rumah=total,
                    catatan=catatan,
                    oleh=oleh,
                    waktu=now,
                )
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
