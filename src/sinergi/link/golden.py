"""Golden records: one row per person cluster with the value of each field that survives, and a
P3KE family joined to the roster KK it is.

Survivorship, field by field (every cluster's records as `sinergi.link.records` reads them):

- **Family (No KK)**: the roster's membership — the KK of the cluster's roster person; a cluster
  without one keeps the KK its records name (`sinergi.link.run.assign`).
- **NIK, name, birth date, sex**: the roster's when the cluster holds a roster person (the roster
  copies the family card, which the civil registry keeps; a posyandu or an agency writes what it
  heard), else the value of the record with the newest data date.
- **Village**: the newest data date wins (people move; a child weighed at another village's
  posyandu after the roster was written lives there now).
- A tie of data dates goes to the source first in `sinergi.link.PRIORITY` (roster, e-PPGBM,
  agency list, P3KE), then to the record's id, so the same records give the same golden record.
- **Measurements** are never copied: e-PPGBM is the only source of them (the assessment reads a
  cluster's latest measurement, `sinergi.assess.run.children_latest`).
- **Welfare decile**: P3KE is its only source. A P3KE family whose No KK holds no roster member
  but whose head the linkage found in a roster family *is* that family: its decile, PKH, BPNT and
  spending move to the roster KK through the importer's own upsert (`sinergi.registry.load`): an
  older P3KE date never overwrites a newer one and every change goes to ``value_history``. The
  P3KE family keeps its row, marked ``digabung_ke`` (the assessment reads only the roster KK).

``asal`` names, per field, the record whose value survived.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, update

from sinergi.link import AGENCY, P3KE, PRIORITY, ROSTER
from sinergi.registry.load import upsert
from sinergi.store.bulk import bulk_insert
from sinergi.store.bulk import records as tuples
from sinergi.store.frames import read_frame
from sinergi.store.tables import families, golden_persons, interventions, person_links, persons

#: The fields of a golden person taken from the roster when the cluster holds a roster person.
IDENTITY = ("nik", "nama", "tanggal_lahir", "jenis_kelamin")
#: The fields whose newest value wins whatever the source.
NEWEST = ("kode_desa",)
#: The P3KE fields a joined P3KE family gives its roster KK.
WELFARE = ("desil", "penerima_pkh", "penerima_bpnt", "pengeluaran_per_kapita")


def golden(records: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One golden record per cluster from the ``records`` (`records.COLUMNS`) and their
    ``links`` (`run.assign`'s output: record, cluster_id, no_kk)."""
    frame = records.merge(
        links[["record", "cluster_id", "no_kk"]].rename(columns={"no_kk": "kk_cluster"}),
        left_on="unique_id",
        right_on="record",
    )
    rank = {source: k for k, source in enumerate(PRIORITY)}
    frame["_rank"] = frame["sumber"].map(rank).fillna(len(PRIORITY)).astype(int)
    frame["_roster"] = (frame["sumber"] == ROSTER).astype(int)
    frame["_date"] = pd.to_datetime(frame["tanggal_data"], errors="coerce")
    # Newest first, then by source priority, then by id: the first row of a cluster wins.
    newest = frame.sort_values(
        ["cluster_id", "_date", "_rank", "unique_id"],
        ascending=[True, False, True, True],
        na_position="last",
    )
    roster_first = frame.sort_values(
        ["cluster_id", "_roster", "_date", "_rank", "unique_id"],
        ascending=[True, False, False, True, True],
        na_position="last",
    )
    clusters = frame.groupby("cluster_id", sort=True)
    out = pd.DataFrame(
        {
            "no_kk": clusters["kk_cluster"].first(),
            "tanggal_data": clusters["_date"].max().dt.date,
            "sumber": clusters["sumber"].agg(
                lambda s: ";".join(sorted(set(s), key=lambda x: rank.get(x, len(PRIORITY))))
            ),
            "rekaman": clusters.size(),
        }
    )
    origin: dict[str, pd.Series] = {}
    for fields, order in ((IDENTITY, roster_first), (NEWEST, newest)):
        for field in fields:
            held = order[order[field].notna()].drop_duplicates("cluster_id")
            winners = held.set_index("cluster_id")
            out[field] = winners[field].reindex(out.index)
            origin[field] = winners["unique_id"].reindex(out.index)
    out["asal"] = [
        {
            field: (None if pd.isna(origin[field].iat[i]) else origin[field].iat[i])
            for field in origin
        }
        for i in range(len(out))
    ]
    out = out.rename_axis("cluster_id").reset_index()
    out["tanggal_data"] = (
        out["tanggal_data"].astype(object).where(out["tanggal_data"].notna(), None)
    )
    for col in ("no_kk", *IDENTITY, *NEWEST):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[[c.name for c in golden_persons.columns if c.name != "run_id"]]


def store(conn: Connection, records: pd.DataFrame, links: pd.DataFrame, run_id: int) -> int:
    """Replace the golden records with those of ``links``; returns how many."""
    out = golden(records, links)
    out["run_id"] = run_id
    conn.execute(golden_persons.delete())
    columns = list(out.columns)
    bulk_insert(conn, golden_persons, columns, tuples(out, columns))
    return len(out)


def join_p3ke_families(conn: Connection, links: pd.DataFrame) -> int:
    """Give each roster KK the welfare of the P3KE family the linkage found it to be (see the
    module's text) and mark that P3KE family; a P3KE family no longer linked loses its mark.
    Returns how many P3KE families are joined."""
    f = families.c
    joined = links[(links["sumber"] == P3KE) & links["no_kk"].notna()]
    joined = joined[joined["no_kk"] != joined["kunci"]]
    target = dict(zip(joined["kunci"], joined["no_kk"], strict=True))
    marked = read_frame(conn, select(f.no_kk, f.digabung_ke).where(f.digabung_ke.is_not(None)))
    for no_kk, was in zip(marked["no_kk"], marked["digabung_ke"], strict=True):
        if target.get(no_kk) != was:
            conn.execute(update(families).where(f.no_kk == no_kk).values(digabung_ke=None))
    if not target:
        return 0
    sources = read_frame(
        conn,
        select(
            f.no_kk,
            *(f[c] for c in WELFARE),
            f.desil_batch_id,
            f.desil_baris,
            f.desil_tanggal_data,
        ).where(f.no_kk.in_(list(target))),
    )
    sources = sources[sources["desil_batch_id"].notna()]
    now = datetime.now(UTC)
    for batch_id, part in sources.groupby("desil_batch_id"):
        frame = part.assign(
            no_kk=part["no_kk"].map(target),
            baris=part["desil_baris"].fillna(0).astype(int),
            tanggal_data=part["desil_tanggal_data"],
        ).drop_duplicates("no_kk", keep="last")
        upsert(
            conn,
            families,
            "no_kk",
            frame,
            WELFARE,
            int(batch_id),
            now,
            provenance=("desil_batch_id", "desil_baris"),
            dated="desil_tanggal_data",
        )
    for source, roster_kk in target.items():
        conn.execute(update(families).where(f.no_kk == source).values(digabung_ke=roster_kk))
    return len(target)


def intervention_family() -> tuple[Any, Any]:
    """The family an imported agency-list row reached, and the join that finds it: the No KK it
    writes when the registry holds that family (a P3KE family joined to a roster KK counts as
    that KK), else the family of the roster person with the NIK it writes, else the family the
    person linkage found for the person it names (a mistyped NIK, a KK the roster does not
    hold)."""
    i = interventions.c
    known = families.alias("known")
    by_nik = persons.alias("by_nik")
    linked = person_links.alias("linked")
    kk = func.coalesce(known.c.digabung_ke, known.c.no_kk, by_nik.c.no_kk, linked.c.no_kk)
    joined = (
        interventions.outerjoin(known, known.c.no_kk == i.no_kk)
        .outerjoin(by_nik, by_nik.c.nik == i.nik)
        .outerjoin(linked, and_(linked.c.sumber == AGENCY, linked.c.kunci == i.record_key))
    )
    return kk, joined


def may_reach(no_kk: str) -> ColumnElement[bool]:
    """The agency-list rows `intervention_family` may attach to ``no_kk`` (a superset, each
    side an index look-up): written with that KK or a P3KE KK merged into it, naming one of its
    members' NIKs, or linked to it. One family's page filters by it first, so that the
    coalescing join does not run over every agency-list row."""
    i = interventions.c
    return or_(
        i.no_kk == no_kk,
        i.no_kk.in_(select(families.c.no_kk).where(families.c.digabung_ke == no_kk)),
        i.nik.in_(select(persons.c.nik).where(persons.c.no_kk == no_kk)),
        i.record_key.in_(
            select(person_links.c.kunci).where(
                person_links.c.sumber == AGENCY, person_links.c.no_kk == no_kk
            )
        ),
    )
