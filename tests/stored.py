"""Rows written straight into the store, as a stage would have written them: a stored assessment
run and its scored children, a proposal; for tests that start from there rather than from source
files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert

from sinergi.store.tables import assessment_children, assessment_runs, measurements, proposals


def run_row(ref: date, **values: Any) -> dict[str, Any]:
    """An ``assessment_runs`` row at reference date ``ref``: its figures 0 and its counts empty
    unless ``values`` gives them (or an ``id``)."""
    return {
        "ruleset_id": "krs-2024",
        "ruleset_version": "2024.1",
        "ruleset_digest": "0" * 64,
        "reference_date": ref,
        "created_at": datetime(2026, 9, 1, tzinfo=UTC),
        "engine": "test",
        "families": 0,
        "target": 0,
        "krs": 0,
        "miskin_ekstrem": 0,
        "children_measured": 0,
        "children_stunted": 0,
        "children_unattached": 0,
        "counts": {},
    } | values


def insert_run(conn: Connection, ref: date, **values: Any) -> int:
    """A stored run (`run_row`); returns its id."""
    row = run_row(ref, **values)
    return int(
        conn.execute(
            insert(assessment_runs).values(**row).returning(assessment_runs.c.id)
        ).scalar_one()
    )


def insert_child(
    conn: Connection,
    run_id: int,
    key: str,
    born: date,
    desa: str,
    measured: date,
    *,
    name: str | None = None,
    record_key: str | None = None,
    weighed: dict[str, float] | None = None,
    **scores: Any,
) -> None:
    """A boy measured in ``desa`` on ``measured`` (``weighed``: his weight and height) and his
    row in run ``run_id`` with ``scores`` (categories, flags). ``name`` and the measurement's
    ``record_key`` default to ``key``."""
    name = name or key
    measurement_id = conn.execute(
        insert(measurements)
        .values(
            record_key=record_key or key,
            nama_anak=name,
            jenis_kelamin="L",
            tanggal_lahir=born,
            kode_desa=desa,
            tanggal_ukur=measured,
            **(weighed or {}),
        )
        .returning(measurements.c.id)
    ).scalar_one()
    conn.execute(
        insert(assessment_children).values(
            run_id=run_id,
            child_key=key,
            measurement_id=measurement_id,
            nama_anak=name,
            jenis_kelamin="L",
            tanggal_lahir=born,
            kode_desa=desa,
            tanggal_ukur=measured,
            **scores,
        )
    )


def insert_proposal(
    conn: Connection,
    program: str,
    no_kk: str,
    desa: str,
    run_id: int,
    status: str = "usulan",
    periode: str = "2026",
    **values: Any,
) -> None:
    """A family on a programme's list with ``status``, costing 1.000 and naming no factor unless
    ``values`` say otherwise."""
    row = {
        "kode_program": program,
        "periode": periode,
        "no_kk": no_kk,
        "kode_desa": desa,
        "run_id": run_id,
        "status": status,
        "biaya": 1000,
        "faktor": "",
        "alasan": "uji",
        "created_at": datetime.now(UTC),
    } | values
    conn.execute(insert(proposals).values(**row))
