"""How good the linkage is, against the synthetic set's ground truth: pairwise precision and
recall of the person clusters, beside exact-NIK linkage of the same records.

A pair is two records in one cluster; it is right when both records are the same true person.
Precision: right pairs among the pairs formed; recall: right pairs among the pairs that should
have been formed. The truth of a record is the person behind its file row
(``truth/records.csv``), for roster, e-PPGBM and agency-list records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.link import AGENCY, EPPGBM, ROSTER
from sinergi.link.records import child_key
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    import_batches,
    interventions,
    measurements,
    person_links,
    persons,
)


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    pairs: int
    true_pairs: int


def truth_of_records(engine: Engine, truth_dir: Path) -> pd.DataFrame:
    """``record`` → ``benar`` (the true person) for every linked record the truth knows: the
    synthetic set's ``truth/records.csv`` names the person behind every file row, and the store
    knows the file and row of every roster person and measurement."""
    truth = pd.read_csv(
        truth_dir / "records.csv", dtype=str, usecols=["berkas", "baris", "sumber", "pid"]
    )
    truth["berkas"] = truth["berkas"].str.rsplit("/", n=1).str[-1]
    truth = truth.drop_duplicates(["berkas", "baris"])
    m, p, b, i = measurements.c, persons.c, import_batches.c, interventions.c
    with engine.connect() as conn:
        kids = read_frame(
            conn,
            select(m.record_key, m.baris, b.file_name).join(import_batches, b.id == m.batch_id),
        )
        people = read_frame(
            conn, select(p.nik, p.baris, b.file_name).join(import_batches, b.id == p.batch_id)
        )
        agency = read_frame(
            conn,
            select(i.record_key, i.baris, b.file_name).join(import_batches, b.id == i.batch_id),
        )
    kids["record"] = EPPGBM + ":" + child_key(kids["record_key"])
    people["record"] = ROSTER + ":" + people["nik"]
    agency["record"] = AGENCY + ":" + agency["record_key"]
    cols = ["record", "baris", "file_name"]
    rows = pd.concat([kids[cols], people[cols], agency[cols]])
    rows["baris"] = rows["baris"].astype(int).astype(str)
    rows = rows.merge(
        truth, left_on=["file_name", "baris"], right_on=["berkas", "baris"], how="inner"
    )
    benar = rows.groupby("record")["pid"].agg(lambda s: s.mode().iat[0]).rename("benar")
    return benar.rename_axis("record").reset_index()


def pairwise(clusters: pd.Series, truth: pd.Series) -> Quality:
    """Pairwise precision and recall of ``clusters`` (record → cluster) against ``truth``
    (record → true person), over the records both know."""
    frame = pd.DataFrame({"c": clusters, "t": truth}).dropna()

    def pairs(sizes: pd.Series) -> int:
        return int((sizes * (sizes - 1) // 2).sum())

    formed = pairs(frame.groupby("c").size())
    right = pairs(frame.groupby(["c", "t"]).size())
    should = pairs(frame.groupby("t").size())
    return Quality(
        precision=right / formed if formed else 1.0,
        recall=right / should if should else 1.0,
        pairs=formed,
        true_pairs=should,
    )


def exact_clusters(engine: Engine) -> pd.Series:
    """Exact-NIK linkage of the same records: an e-PPGBM child or an agency-list row joins the
    roster person (or the other records) with the NIK it carries; one without NIK stays alone."""
    with engine.connect() as conn:
        links = read_frame(conn, select(person_links.c.record, person_links.c.sumber))
        m = measurements.c
        niks = read_frame(conn, select(m.record_key, m.nik_anak))
        i = interventions.c
        agency = read_frame(conn, select(i.record_key, i.nik.label("nik_anak")))
    niks["record"] = EPPGBM + ":" + child_key(niks["record_key"])
    agency["record"] = AGENCY + ":" + agency["record_key"]
    niks = pd.concat([niks, agency], ignore_index=True)
    nik = niks.dropna(subset=["nik_anak"]).drop_duplicates("record").set_index("record")["nik_anak"]
    ids = links["record"]
    own = ids.str.split(":", n=1).str[1].where(links["sumber"] == ROSTER)
    key = own.fillna(ids.map(nik)).fillna(ids)
    return pd.Series(key.to_numpy(), index=ids.to_numpy())


def evaluate(engine: Engine, truth_dir: Path) -> tuple[Quality, Quality]:
    """(the stored clusters, exact-NIK linkage), both against the truth."""
    truth = truth_of_records(engine, truth_dir).set_index("record")["benar"]
    with engine.connect() as conn:
        links = read_frame(conn, select(person_links.c.record, person_links.c.cluster_id))
    ours = pd.Series(links["cluster_id"].to_numpy(), index=links["record"].to_numpy())
    return pairwise(ours, truth), pairwise(exact_clusters(engine), truth)
