"""A village's water network: the one answer every page, count and ranking reads.

Two sources describe a village's network: the imported village facts (`village_facts`, the
`desa` source kind: status, households connected, dated by ``tanggal_data``) and the projects
Dinas PU records in Sinergi (`projects`, with `project_events` and `project_households`, dated by
their last change). The newer one wins; a recorded project wins over an imported fact of the same
day or without a date, because the project is what the agency itself entered. A village with
neither has status ``tidak_diketahui``.

`water_networks` returns one row per village that has either, with the source and date of the
answer, so a page can say where its status comes from.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, func, select

from sinergi.store.frames import read_frame
from sinergi.store.tables import project_households, projects, village_facts

UNKNOWN = "tidak_diketahui"
COLUMNS = (
    "kode_desa",
    "status_jaringan",
    "sambungan_rumah",
    "tanggal",
    "sumber",
    "kode_program",
    "periode",
    "biaya_jaringan",
)


def _day(value: object) -> date | None:
    if value is None or (not isinstance(value, date | datetime) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def water_networks(
    conn: Connection, prefix: str | None = None, kode_program: str | None = None
) -> pd.DataFrame:
    """One row per village with a known network (columns `COLUMNS`), sorted by kode_desa.

    `prefix` limits to one region's villages (a regency or kecamatan code); `kode_program` to
    one programme's projects (None: every village project, which today are all water networks:
    only ``air-bersih`` has the unit ``desa``). ``sumber`` is ``proyek`` or ``data_desa``;
    ``kode_program`` and ``periode`` are the recorded project's (None when there is none), also
    when the imported fact is newer and gives the status; ``biaya_jaringan`` is the village
    file's network cost.
    """
    vf, pj = village_facts.c, projects.c
    facts_q = select(
        vf.kode_desa,
        vf.jaringan_air.label("fakta_status"),
        vf.sambungan_rumah.label("fakta_sambungan"),
        vf.tanggal_data.label("fakta_tanggal"),
        vf.biaya_jaringan,
    )
    connected = (
        select(project_households.c.project_id, func.count().label("rumah_tersambung")).group_by(
            project_households.c.project_id
        )
    ).subquery()
    proj_q = select(
        pj.kode_desa,
        pj.kode_program,
        pj.periode,
        pj.status.label("proyek_status"),
        pj.sambungan_rumah.label("proyek_sambungan"),
        func.coalesce(connected.c.rumah_tersambung, 0).label("rumah_tersambung"),
        pj.updated_at.label("proyek_waktu"),
    ).select_from(projects.outerjoin(connected, connected.c.project_id == pj.id))
    if prefix:
        facts_q = facts_q.where(vf.kode_desa.like(prefix + ".%"))
        proj_q = proj_q.where(pj.kode_desa.like(prefix + ".%"))
    if kode_program is not None:
        proj_q = proj_q.where(pj.kode_program == kode_program)
    facts = read_frame(conn, facts_q)
    built = read_frame(conn, proj_q)
    return reconcile(facts, built)


def reconcile(facts: pd.DataFrame, built: pd.DataFrame) -> pd.DataFrame:
    """The decision of `water_networks`, without a database: `facts` has ``kode_desa,
    fakta_status, fakta_sambungan, fakta_tanggal, biaya_jaringan``; `built` has ``kode_desa,
    kode_program, periode, proyek_status, proyek_sambungan, rumah_tersambung, proyek_waktu``
    (at most one project per village: callers that mix programmes keep the newest)."""
    if not built.empty:
        built = (
            built.assign(_t=pd.to_datetime(built["proyek_waktu"], utc=True))
            .sort_values(["kode_desa", "_t"])
            .drop_duplicates("kode_desa", keep="last")
            .drop(columns="_t")
        )
    merged = facts.merge(built, on="kode_desa", how="outer")
    rows = []
    for r in merged.to_dict("records"):
        has_project = isinstance(r.get("proyek_status"), str)
        fact_day = _day(r.get("fakta_tanggal"))
        project_day = _day(r.get("proyek_waktu"))
        project_wins = has_project and (
            fact_day is None
            or not isinstance(r.get("fakta_status"), str)
            or (project_day is not None and project_day >= fact_day)
        )
        if project_wins:
            # The counter an officer typed and the households connected one by one: the larger.
            count = max(_int(r.get("proyek_sambungan")), _int(r.get("rumah_tersambung")))
            status, day, source = r["proyek_status"], project_day, "proyek"
        else:
            count = _int(r.get("fakta_sambungan"))
            status, day, source = r.get("fakta_status") or UNKNOWN, fact_day, "data_desa"
        rows.append(
            {
                "kode_desa": r["kode_desa"],
                "status_jaringan": status,
                "sambungan_rumah": count,
                "tanggal": day,
                "sumber": source,
                "kode_program": r.get("kode_program") if has_project else None,
                "periode": r.get("periode") if has_project else None,
                "biaya_jaringan": None
                if pd.isna(r.get("biaya_jaringan"))
                else int(r["biaya_jaringan"]),
            }
        )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["sambungan_rumah"] = out["sambungan_rumah"].astype("int64")
    return out.sort_values("kode_desa").reset_index(drop=True)


def _int(value: object) -> int:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return 0
    return int(value)  # type: ignore[call-overload]
