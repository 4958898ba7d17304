"""The synthetic regency as the batch and benchmark tests set it up: imported, with the families
the rules leave out (P3KE families the linkage merged into a roster KK, a family moved away)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select, update

from sinergi.store.tables import families, interventions, persons
from tests.conftest import SYNTH_REF


def import_regency(engine: Engine, synth: Path) -> Engine:
    """Every source file of the synthetic regency at ``synth`` imported into ``engine``."""
    from sinergi.registry.importer import import_file
    from sinergi.synth import source_files

    for kind, file in source_files(synth):
        assert import_file(engine, kind, file, as_of=SYNTH_REF).status == "dimuat"
    return engine


def merge_p3ke(conn: Connection, n: int) -> int:
    """``n`` families without members (P3KE-only) merged into a roster KK as the linkage does
    (`sinergi.link.golden`); returns how many were merged."""
    members = select(persons.c.no_kk).distinct()
    alone = list(
        conn.execute(
            select(families.c.no_kk).where(families.c.no_kk.not_in(members)).limit(n)
        ).scalars()
    )
    roster_kk = conn.execute(select(func.min(persons.c.no_kk))).scalar_one()
    merged = conn.execute(
        update(families).where(families.c.no_kk.in_(alone)).values(digabung_ke=roster_kk)
    )
    return merged.rowcount


def mistype_kk(conn: Connection, n: int) -> list[str]:
    """``n`` agency-list rows, each its family's only one, given a No KK the registry does not
    hold (a typing slip) while their NIK stays a roster member's: the app finds their family by
    that NIK (`sinergi.link.golden.intervention_family`). Returns those families' No KKs."""
    i = interventions.c
    once = select(i.no_kk).group_by(i.no_kk).having(func.count() == 1)
    rows = conn.execute(
        select(i.id, i.no_kk)
        .join(persons, (persons.c.nik == i.nik) & (persons.c.no_kk == i.no_kk))
        .where(i.no_kk.in_(once))
        .order_by(i.id)
        .limit(n)
    ).all()
    for row_id, _ in rows:
        conn.execute(update(interventions).where(i.id == row_id).values(no_kk=f"99{row_id:014d}"))
    return [kk for _, kk in rows]


def move_away(conn: Connection) -> None:
    """The roster's last KK moved away (a village verification's ``keluar``)."""
    moved = conn.execute(select(func.max(persons.c.no_kk))).scalar_one()
    conn.execute(update(families).where(families.c.no_kk == moved).values(keluar=date(2026, 5, 1)))


def decease(conn: Connection, nik: str) -> None:
    conn.execute(update(persons).where(persons.c.nik == nik).values(meninggal=date(2026, 6, 1)))
