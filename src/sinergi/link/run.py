"""`sinergi link`: every e-PPGBM child joined to the roster person it is, and every person to one
cluster with all its source records.

Order of evidence, strongest first — a weaker one never undoes a stronger one:

1. exact identity: an e-PPGBM record whose NIK is a roster NIK (unless the birth date or the sex
   conflict: then it is the mother's NIK in the child's column, or a typo, and the model
   decides), and e-PPGBM records of one NIK among themselves;
2. an officer's decision (`sinergi.link.review`): accepted pairs join, rejected pairs never do;
3. the model's pairs at or above ``threshold``, strongest first, unless the birth dates or sexes
   conflict, or two different NIKs are not made up for by closely agreeing names and mothers
   (those wait for an officer, as do pairs between the two thresholds).

A cluster never holds two roster persons (each roster NIK is a person of its own): a link that
would join two is not made. Its family is its roster person's KK, else the KK the e-PPGBM
records name themselves (their own KK, their parent's).

Incremental by default: only records that are new or whose compared values changed are scored,
against everything (`Linker.inference.predict_between` / `predict_within`); pairs already stored
keep their status. ``full`` scores all pairs again (officers' decisions are kept). The model is
estimated by EM when there are enough records (``MIN_TRAIN``) and no model is stored yet, or when
asked; otherwise the stored parameters, else the bundled ones, are used — so a village-sized
file links as well as the regency does.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update

from sinergi.core.values import clean
from sinergi.link import AGENCY, EPPGBM, P3KE, PREGNANCY, ROSTER, golden
from sinergi.link import model as lm
from sinergi.link.records import all_records, records_of
from sinergi.store.bulk import bulk_insert
from sinergi.store.bulk import records as tuples
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    families,
    golden_persons,
    link_pairs,
    link_runs,
    person_links,
    persons,
)

THRESHOLD = 0.95
REVIEW_THRESHOLD = 0.50
MIN_TRAIN = 5000
#: Comparison columns shown to an officer, side by side.
SHOWN = ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_desa", "nama_ibu", "nik_ibu")
#: The sources that write no birth date, sex or mother.
UNDATED = (AGENCY, P3KE, PREGNANCY)
#: The model's comparison of a shown field, where its name differs (`link.model`).
COMPARED = {"nama": "rapat", "nama_ibu": "ibu_rapat"}


@dataclass
class LinkResult:
    run_id: int
    records: int
    new_records: int
    pairs: int
    linked: int
    review: int
    trained: bool
    seconds: float


def digest(records: pd.DataFrame) -> pd.Series:
    cols = ["nik", "rapat", "tanggal_lahir", "jenis_kelamin", "kode_desa", "ibu_rapat", "nik_ibu"]
    joined = records[cols].astype(str).agg("|".join, axis=1)
    return joined.map(lambda s: hashlib.md5(s.encode(), usedforsecurity=False).hexdigest())


def stored_model(engine: Engine) -> dict[str, Any] | None:
    with engine.connect() as conn:
        text = conn.execute(
            select(link_runs.c.model).order_by(link_runs.c.id.desc()).limit(1)
        ).scalar()
    return json.loads(text) if text else None


def score(
    records: pd.DataFrame,
    model: dict[str, Any] | None,
    new: pd.Series | None,
    review_threshold: float,
    train: bool,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Scored pairs at or above ``review_threshold`` (all pairs, or those touching a ``new``
    record) and the model used (estimated here when ``train``)."""
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        con.execute("SET enable_progress_bar = false")
        frame = lm.frame(records)
        con.register("records_df", frame)
        con.execute("CREATE TABLE records AS SELECT * FROM records_df")
        if train:
            # Estimated on the dated sources only: an agency list repeats one person on many
            # rows with no birth date, which would teach the model little but weigh much.
            con.execute(
                "CREATE TABLE dated AS SELECT * FROM records_df WHERE sumber IN (?, ?)",
                [ROSTER, EPPGBM],
            )
            model = lm.train(lm.linker(con, "dated", None))
        assert model is not None
        linker = lm.linker(con, "records", model)
        if new is None:
            pairs = linker.inference.predict(threshold_match_probability=review_threshold)
        else:
            fresh = frame[new.to_numpy()]
            old = frame[~new.to_numpy()]
            db = linker._db_api  # the linker's own connection: the frames must live beside it
            left = db.register(old, table_name="old_records")
            right = db.register(fresh, table_name="new_records")
            between = linker.inference.predict_between(
                left, right, threshold_match_probability=review_threshold
            ).as_pandas_dataframe()
            within = linker.inference.predict_within(
                right, threshold_match_probability=review_threshold
            ).as_pandas_dataframe()
            out = pd.concat([between, within], ignore_index=True)
            return oriented(out), model
        return oriented(pairs.as_pandas_dataframe()), model
    finally:
        con.close()


def oriented(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair once, its two ids in sorted order (so a pair has one key, whichever side found
    it)."""
    if pairs.empty:
        return pairs
    swap = pairs["unique_id_l"] > pairs["unique_id_r"]
    for col in list(pairs.columns):
        if col.endswith("_l") and col[:-2] + "_r" in pairs.columns:
            other = col[:-2] + "_r"
            left, right = pairs[col].copy(), pairs[other].copy()
            pairs.loc[swap, col] = right[swap]
            pairs.loc[swap, other] = left[swap]
    return pairs.drop_duplicates(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def _conflict(pairs: pd.DataFrame) -> pd.Series:
    """Birth dates or sexes that disagree (the lowest level of either comparison)."""
    return (pairs["gamma_tanggal_lahir"] == 0) | (pairs["gamma_jenis_kelamin"] == 0)


def _other_nik(pairs: pd.DataFrame) -> pd.Series:
    """Two NIKs that differ, where the rest does not make up for it.

    Children born on one day in one kecamatan have NIKs one serial digit apart, so a NIK one
    edit away is no evidence on its own. Two different NIKs link without an officer only when
    the names agree closely (equal, or Jaro-Winkler ≥ 0.92) and so does the mother (her name as
    closely, or her NIK) — or, for a NIK one edit away, when name, birth date, sex and village
    are all equal (the roster's mother is the KK's wife, who for a grandchild is the
    grandmother, so the mother may rightly differ), or when birth date and the mother's NIK are
    equal and one name begins with the other (a name written short). Twins share mother and
    birth date but not their first name, so they stay apart."""
    differ = pairs["gamma_nik"].isin((0, 1))
    name = pairs["gamma_rapat"] >= 3
    mother = _mother_agrees(pairs)
    typo_only = (
        (pairs["gamma_nik"] == 1)
        & (pairs["gamma_rapat"] == lm.top_levels()["rapat"])
        & (pairs["gamma_tanggal_lahir"] == lm.top_levels()["tanggal_lahir"])
        & (pairs["gamma_jenis_kelamin"] == 1)
        & (pairs["gamma_kode_desa"] == 1)
    )
    # A nickname or a name written short beside the same mother's NIK and birth date.
    same_mother = (
        (pairs["gamma_nik"] == 1)
        & (pairs["gamma_rapat"] >= 2)
        & (pairs["gamma_tanggal_lahir"] == lm.top_levels()["tanggal_lahir"])
        & (pairs["gamma_nik_ibu"] == 1)
    )
    return differ & ~((name & mother) | typo_only | same_mother)


def _named_in_family(pairs: pd.DataFrame) -> pd.Series:
    """An agency, pregnancy or P3KE record (which write no birth date) and a record of the No KK
    it writes, whose names agree closely (equal, Jaro-Winkler ≥ 0.92) and whose NIKs are one edit
    apart or one is missing: the person the source meant in the family it named."""
    if "no_kk_l" not in pairs.columns:
        return pd.Series(False, index=pairs.index)
    undated = pairs["sumber_l"].isin(UNDATED) | pairs["sumber_r"].isin(UNDATED)
    same_kk = pairs["no_kk_l"].notna() & (pairs["no_kk_l"] == pairs["no_kk_r"])
    return undated & same_kk & (pairs["gamma_rapat"] >= 3) & pairs["gamma_nik"].isin((-1, 1))


def _mother_agrees(pairs: pd.DataFrame) -> pd.Series:
    return (pairs["gamma_ibu_rapat"] >= 3) | (pairs["gamma_nik_ibu"] == 1)


def implausible(pairs: pd.DataFrame) -> pd.Series:
    """Pairs not worth an officer's time: different names, NIKs that are not equal (one serial
    digit apart is the rule for children born on one day in one kecamatan) and no mother in
    common — two children, however high the birth date and village lift the probability; and
    an e-PPGBM child beside an ANC pregnancy."""
    different = (
        (pairs["gamma_rapat"] == 0) & pairs["gamma_nik"].isin((0, 1)) & ~_mother_agrees(pairs)
    )
    if "sumber_l" not in pairs.columns:
        return different
    # A posyandu's under-five and a pregnant woman are never one person (the child's row may
    # carry its mother's NIK).
    sources = pairs["sumber_l"] + ":" + pairs["sumber_r"]
    child_and_woman = sources.isin((f"{EPPGBM}:{PREGNANCY}", f"{PREGNANCY}:{EPPGBM}"))
    return different | child_and_woman


def twins_of(pairs: pd.DataFrame, records: pd.DataFrame) -> pd.Series:
    """Twins: the same birth date and mother, NIKs that are not equal, and different first
    names (a shared family name makes the whole names look alike). Two children: never linked
    and not put before an officer."""
    first = records.set_index("unique_id")["depan"]
    depan_l = pairs["unique_id_l"].map(first)
    depan_r = pairs["unique_id_r"].map(first)
    return (
        depan_l.notna()
        & depan_r.notna()
        & (depan_l != depan_r)
        & ~_starts(depan_l, depan_r)
        & (pairs["gamma_tanggal_lahir"] == lm.top_levels()["tanggal_lahir"])
        & _mother_agrees(pairs)
        & pairs["gamma_nik"].isin((0, 1))
        & (pairs["gamma_rapat"] < 3)
    )


def _starts(a: pd.Series, b: pd.Series) -> pd.Series:
    """One first name the beginning of the other (Nur / Nuraisyah)."""
    return pd.Series(
        [
            x.startswith(y) or y.startswith(x)
            for x, y in zip(a.fillna(""), b.fillna(""), strict=True)
        ],
        index=a.index,
    )


def statuses(pairs: pd.DataFrame, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Per scored pair: ``otomatis`` (links on its own) or ``menunggu`` (an officer decides),
    and why it waits (``konflik``, ``nik_berbeda``, ``di_antara_ambang``)."""
    conflict = _conflict(pairs)
    named = _named_in_family(pairs)
    other_nik = _other_nik(pairs) & ~named
    auto = ((pairs["match_probability"] >= threshold) | named) & ~conflict & ~other_nik
    status = np.where(auto, "otomatis", "menunggu")
    alasan = np.select(
        [auto, conflict, other_nik],
        [np.array(None, dtype=object), "konflik", "nik_berbeda"],
        default=np.array("di_antara_ambang", dtype=object),
    )
    return status, alasan


def _fields(pairs: pd.DataFrame, records: pd.DataFrame) -> list[dict[str, Any]]:
    """Per pair, the values both records hold and how they compare, for the review page."""
    shown = records.set_index("unique_id")[list(SHOWN)]
    columns = []
    for field in SHOWN:
        left = [_plain(x) for x in shown[field].reindex(pairs["unique_id_l"]).tolist()]
        right = [_plain(x) for x in shown[field].reindex(pairs["unique_id_r"]).tolist()]
        levels = pairs["gamma_" + COMPARED.get(field, field)].astype(int).tolist()
        columns.append(
            [{"l": a, "r": b, "tingkat": g} for a, b, g in zip(left, right, levels, strict=True)]
        )
    return [dict(zip(SHOWN, row, strict=True)) for row in zip(*columns, strict=True)]


def _plain(value: Any) -> Any:
    """A value for the pair's JSON: `clean`, dates as ISO text, the rest as text."""
    value = clean(value)
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def link(
    engine: Engine,
    *,
    threshold: float = THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    full: bool = False,
    train: bool | None = None,
    oleh: str | None = None,
) -> LinkResult:
    """Link the stored records (see the module's text) and store the clusters."""
    t0 = time.perf_counter()
    records = all_records(engine)
    records["digest"] = digest(records) if not records.empty else pd.Series(dtype=object)
    with engine.connect() as conn:
        known = read_frame(conn, select(person_links.c.record, person_links.c.digest))
    previous = stored_model(engine)
    incremental = not full and previous is not None and not known.empty
    if incremental:
        seen = dict(zip(known["record"], known["digest"], strict=True))
        new = records["unique_id"].map(seen) != records["digest"]
    else:
        new = pd.Series(True, index=records.index)
    if train is None:
        train = previous is None and len(records) >= MIN_TRAIN
    model = previous if previous is not None else lm.default_model()
    pairs = pd.DataFrame()
    if len(records) > 1 and bool(new.any()):
        pairs, model = score(
            records, model, new if incremental else None, review_threshold, bool(train)
        )
    now = datetime.now(UTC)
    with engine.begin() as conn:
        key = conn.execute(
            insert(link_runs).values(
                created_at=now,
                full=not incremental,
                trained=bool(train),
                model=json.dumps(model),
                threshold=threshold,
                review_threshold=review_threshold,
                records=len(records),
                new_records=int(new.sum()),
                pairs=len(pairs),
                linked=0,
                review=0,
                seconds=None,
                oleh=oleh,
            )
        ).inserted_primary_key
        run_id = int(key[0]) if key is not None else 0
        _store_pairs(conn, pairs, records, threshold, run_id, replace=not incremental)
    linked, review = cluster(engine, run_id, records)
    seconds = time.perf_counter() - t0
    with engine.begin() as conn:
        conn.execute(
            update(link_runs)
            .where(link_runs.c.id == run_id)
            .values(linked=linked, review=review, seconds=seconds)
        )
    return LinkResult(
        run_id, len(records), int(new.sum()), len(pairs), linked, review, bool(train), seconds
    )


def _store_pairs(
    conn: Any,
    pairs: pd.DataFrame,
    records: pd.DataFrame,
    threshold: float,
    run_id: int,
    replace: bool,
) -> None:
    """New scored pairs; a pair already stored keeps an officer's decision. ``replace``: the
    model's own earlier pairs go (they are all scored again)."""
    lp = link_pairs.c
    if replace:
        conn.execute(delete(link_pairs).where(lp.status.in_(("otomatis", "menunggu"))))
    decided = read_frame(conn, select(lp.record_l, lp.record_r))
    if pairs.empty:
        return
    have = set(zip(decided["record_l"], decided["record_r"], strict=True))
    keys = list(zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True))
    fresh = pairs[[k not in have for k in keys]]
    fresh = fresh[~implausible(fresh) & ~twins_of(fresh, records)].reset_index(drop=True)
    if fresh.empty:
        return
    status, alasan = statuses(fresh, threshold)
    village = records.set_index("unique_id")["kode_desa"]
    # The pair's scope is the village of its record that is no roster person.
    other_side = np.where(
        fresh["unique_id_l"].str.startswith(ROSTER + ":"),
        fresh["unique_id_r"],
        fresh["unique_id_l"],
    )
    rows = pd.DataFrame(
        {
            "record_l": fresh["unique_id_l"],
            "record_r": fresh["unique_id_r"],
            "probability": fresh["match_probability"].astype(float),
            "match_weight": fresh["match_weight"].astype(float),
            "fields": _fields(fresh, records),
            "kode_desa": village.reindex(other_side).to_numpy(),
            "status": status,
            "alasan": alasan,
            "run_id": run_id,
        }
    )
    bulk_insert(conn, link_pairs, list(rows.columns), tuples(rows, list(rows.columns)))


class _Clusters:
    """Union-find that keeps at most one roster person per cluster and never joins a rejected
    pair."""

    def __init__(self, ids: list[str], roster: set[str], apart: set[tuple[str, str]]) -> None:
        self.parent = {i: i for i in ids}
        self.members: dict[str, set[str]] = {i: {i} for i in ids}
        self.roster = {i: (i if i in roster else None) for i in ids}
        self.apart = apart

    def find(self, i: str) -> str:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.roster[ra] is not None and self.roster[rb] is not None:
            return False
        small, large = sorted((ra, rb), key=lambda r: len(self.members[r]))
        if self.apart and any(
            (min(x, y), max(x, y)) in self.apart
            for x in self.members[small]
            for y in self.members[large]
        ):
            return False
        self.parent[small] = large
        self.members[large] |= self.members.pop(small)
        self.roster[large] = self.roster[large] or self.roster[small]
        return True


def cluster(engine: Engine, run_id: int, records: pd.DataFrame | None = None) -> tuple[int, int]:
    """Rebuild every record's cluster from the evidence (see the module's text) and store it;
    returns (e-PPGBM records linked to a roster person, pairs waiting for review)."""
    if records is None:
        # After an officer's decision: the records as stored, without the names' normal forms
        # (clustering does not compare names); each keeps the digest it was scored with, and
        # one imported since the last link has none, so the next link scores it.
        records = all_records(engine, names=False)
        with engine.connect() as conn:
            known = read_frame(conn, select(person_links.c.record, person_links.c.digest))
        scored = pd.Series(known["digest"].to_numpy(), index=known["record"].to_numpy())
        records["digest"] = records["unique_id"].map(scored).fillna("")
    lp = link_pairs.c
    with engine.connect() as conn:
        pairs = read_frame(conn, select(lp.record_l, lp.record_r, lp.probability, lp.status))
        kk_known = set(read_frame(conn, select(families.c.no_kk))["no_kk"])
        parent_nik = records.loc[records["sumber"] == EPPGBM, "nik_ibu"].dropna().unique().tolist()
        parent_kk = (
            read_frame(
                conn,
                select(persons.c.nik, persons.c.no_kk).where(persons.c.nik.in_(parent_nik)),
            )
            .set_index("nik")["no_kk"]
            .to_dict()
            if parent_nik
            else {}
        )
    out = assign(records, pairs, kk_known, parent_kk)
    out["run_id"] = run_id
    with engine.begin() as conn:
        conn.execute(delete(person_links))
        bulk_insert(conn, person_links, list(out.columns), tuples(out, list(out.columns)))
        golden.store(conn, records, out, run_id)
        golden.join_p3ke_families(conn, out)
        review = conn.execute(
            select(func.count()).select_from(link_pairs).where(lp.status == "menunggu")
        ).scalar_one()
    linked = int(((out["sumber"] == EPPGBM) & out["nik"].notna()).sum())
    return linked, int(review)


def apply_decision(
    engine: Engine, record_l: str, record_r: str, accepted: bool, run_id: int
) -> None:
    """An officer's decision on one pair, applied to the stored clusters.

    Rebuilding every cluster (`cluster`) reads every record; a decision mostly needs less. A
    rejected pair whose records are in two clusters changes nothing (it is kept, and no later
    link joins it). An accepted pair joins its two clusters at once unless that would put two
    roster persons or a rejected pair in one cluster (as `assign` refuses), and only the joined
    cluster's golden record is rebuilt. A rejected pair inside one cluster, or a record not yet
    clustered, rebuilds all.
    """
    pl = person_links.c
    with engine.begin() as conn:
        ends = read_frame(conn, select(person_links).where(pl.record.in_((record_l, record_r))))
        if len(ends) == 2:
            side = ends.set_index("record")["cluster_id"]
            apart = side[record_l] != side[record_r]
            if apart and accepted:
                _join(conn, engine, [side[record_l], side[record_r]], (record_l, record_r), run_id)
            if apart or accepted:
                return
    cluster(engine, run_id)


def _join(
    conn: Any, engine: Engine, clusters: list[str], pair: tuple[str, str], run_id: int
) -> None:
    """Join two clusters on an officer's acceptance of ``pair`` (see `apply_decision`)."""
    pl, lp = person_links.c, link_pairs.c
    members = read_frame(conn, select(person_links).where(pl.cluster_id.in_(clusters)))
    roster = members[members["sumber"] == ROSTER]
    ids = members["record"].tolist()
    rejected = read_frame(
        conn,
        select(lp.record_l, lp.record_r).where(
            lp.status == "ditolak", lp.record_l.in_(ids), lp.record_r.in_(ids)
        ),
    )
    side = members.set_index("record")["cluster_id"]
    if len(roster) > 1 or (rejected["record_l"].map(side) != rejected["record_r"].map(side)).any():
        return  # the acceptance is kept; these clusters cannot be one person
    keep = roster["record"].iat[0] if len(roster) else min(clusters)
    if len(roster):
        nik, no_kk = roster["kunci"].iat[0], roster["no_kk"].iat[0]
    else:
        kks = members.sort_values("record")["no_kk"]
        nik, no_kk = None, next((kk for kk in kks if isinstance(kk, str)), None)
    conn.execute(
        update(person_links)
        .where(pl.cluster_id.in_(clusters))
        .values(cluster_id=keep, nik=nik, no_kk=no_kk)
    )
    p = conn.execute(
        select(lp.probability).where(lp.record_l == min(pair), lp.record_r == max(pair))
    ).scalar()
    conn.execute(
        update(person_links)
        .where(pl.record.in_(pair), pl.sumber != ROSTER, pl.decided_by == "sendiri")
        .values(decided_by="petugas", probability=p)
    )
    links = read_frame(conn, select(person_links).where(pl.cluster_id == keep))
    conn.execute(golden_persons.delete().where(golden_persons.c.cluster_id.in_(clusters)))
    out = golden.golden(records_of(engine, links["record"].tolist()), links)
    out["run_id"] = run_id
    bulk_insert(conn, golden_persons, list(out.columns), tuples(out, list(out.columns)))
    if (links["sumber"] == P3KE).any():
        every = read_frame(conn, select(person_links).where(pl.sumber == P3KE))
        golden.join_p3ke_families(conn, every)


def assign(
    records: pd.DataFrame,
    pairs: pd.DataFrame,
    kk_known: set[str],
    parent_kk: dict[str, str],
) -> pd.DataFrame:
    """Every record's cluster, its roster NIK and family, and what decided it, from the
    ``pairs`` (record_l, record_r, probability, status) and the exact identities.

    The evidence is one list of edges in order of strength. Most groups of joined records hold
    at most one roster person and no rejected pair: they are found at once, as the connected
    components of the edges (vectorised, `_components`). Only the others are joined edge by
    edge, strongest first, so that no cluster holds two roster persons or a rejected pair."""
    ids = records["unique_id"].to_numpy(dtype=object)
    n = len(ids)
    index = pd.Index(ids)
    is_roster = (records["sumber"] == ROSTER).to_numpy()
    edges = _edges(records, is_roster, pairs, index)
    u = index.get_indexer(edges["a"])
    v = index.get_indexer(edges["b"])
    labels = _components(n, u, v)

    rejected = pairs[pairs["status"] == "ditolak"]
    ru, rv = index.get_indexer(rejected["record_l"]), index.get_indexer(rejected["record_r"])
    known = (ru >= 0) & (rv >= 0)
    ru, rv = ru[known], rv[known]
    rosters = np.bincount(labels, weights=is_roster.astype(float), minlength=n)
    tangled = set(np.flatnonzero(rosters > 1).tolist())
    tangled |= set(labels[ru][labels[ru] == labels[rv]].tolist())

    how = _first_edges(edges, labels[u], is_roster[u], is_roster[v], tangled)
    if tangled:
        members = np.flatnonzero(np.isin(labels, list(tangled)))
        apart = {(min(a, b), max(a, b)) for a, b in zip(ids[ru], ids[rv], strict=True)}
        uf = _Clusters(ids[members].tolist(), set(ids[members][is_roster[members]]), apart)
        inside = edges[np.isin(labels[u], list(tangled))]
        for a, b, kind, p in zip(inside["a"], inside["b"], inside["how"], inside["p"], strict=True):
            if uf.join(a, b) and kind is not None:
                for uid in (a, b):
                    if not uid.startswith(ROSTER) and uid not in how:
                        how[uid] = (kind, None if pd.isna(p) else float(p))
        # Each tangled component splits into the union-find's clusters: fresh labels past n.
        roots = {r: n + k for k, r in enumerate(sorted({uf.find(i) for i in ids[members]}))}
        labels = labels.copy()
        labels[members] = [roots[uf.find(i)] for i in ids[members]]

    frame = pd.DataFrame({"label": labels, "id": ids, "roster": is_roster})
    roster_of = frame[frame["roster"]].drop_duplicates("label").set_index("label")["id"]
    first_id = frame.sort_values("id").drop_duplicates("label").set_index("label")["id"]
    label = pd.Series(labels, index=records.index)
    roster_id = label.map(roster_of)
    cluster_id = roster_id.fillna(label.map(first_id))
    person_nik = pd.Series(records["nik"].to_numpy(), index=ids)
    person_kk = pd.Series(records["no_kk"].to_numpy(), index=ids)
    own_kk = records["no_kk"].where(records["no_kk"].isin(kk_known))
    own_kk = own_kk.fillna(records["nik_ibu"].map(parent_kk)).astype(object)
    first_kk = own_kk.groupby(labels).first()
    out = pd.DataFrame(
        {
            "record": records["unique_id"],
            "sumber": records["sumber"],
            "kunci": records["unique_id"].str.split(":", n=1).str[1],
            "cluster_id": cluster_id,
            "nik": roster_id.map(person_nik),
            "no_kk": roster_id.map(person_kk).fillna(label.map(first_kk)),
            "probability": records["unique_id"].map({u_: h[1] for u_, h in how.items()}),
            "decided_by": [
                how[u_][0] if u_ in how else ("nik" if r else "sendiri")
                for u_, r in zip(ids, is_roster, strict=True)
            ],
            "digest": records["digest"],
        }
    )
    for col in ("no_kk", "nik", "probability"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _edges(
    records: pd.DataFrame, is_roster: np.ndarray, pairs: pd.DataFrame, index: pd.Index
) -> pd.DataFrame:
    """The evidence as edges (a, b, how, p), strongest first: exact NIK to a roster person
    (when birth date and sex agree), one NIK among the records of one source, officers'
    acceptances, the model's links by probability."""
    kids = records[~is_roster]
    same = kids[["unique_id", "nik", "tanggal_lahir", "jenis_kelamin"]].merge(
        records.loc[is_roster, ["unique_id", "nik", "tanggal_lahir", "jenis_kelamin"]],
        on="nik",
        suffixes=("", "_p"),
    )
    sex = same["jenis_kelamin"]
    agrees = _agrees(same["tanggal_lahir"], same["tanggal_lahir_p"]) & (
        sex.isna() | (sex == same["jenis_kelamin_p"])
    )
    exact = pd.DataFrame(
        {"a": same["unique_id"][agrees], "b": same["unique_id_p"][agrees], "how": "nik"}
    )
    # One NIK within one source: the rows of one child, or of one person on agency lists. Across
    # sources a NIK joins through the roster person (above) or the model: an e-PPGBM child may
    # carry its mother's NIK.
    with_nik = kids[kids["nik"].notna()].sort_values(["sumber", "nik", "unique_id"])
    one_nik = with_nik["nik"].eq(with_nik["nik"].shift()) & with_nik["sumber"].eq(
        with_nik["sumber"].shift()
    )
    siblings = pd.DataFrame(
        {"a": with_nik["unique_id"].shift()[one_nik], "b": with_nik["unique_id"][one_nik]}
    )
    siblings["how"] = None
    chosen = pairs[pairs["status"].isin(("diterima", "otomatis"))]
    chosen = chosen[
        (index.get_indexer(chosen["record_l"]) >= 0) & (index.get_indexer(chosen["record_r"]) >= 0)
    ]
    # Equal probabilities are common (a probability is a product of level weights): the records'
    # ids break the tie, so the clusters do not depend on the order the engine listed the pairs.
    chosen = chosen.assign(rank=(chosen["status"] == "otomatis").astype(int)).sort_values(
        ["rank", "probability", "record_l", "record_r"], ascending=[True, False, True, True]
    )
    model = pd.DataFrame(
        {
            "a": chosen["record_l"],
            "b": chosen["record_r"],
            "how": np.where(chosen["status"] == "diterima", "petugas", "model"),
            "p": chosen["probability"].astype(float),
        }
    )
    edges = pd.concat([exact, siblings, model], ignore_index=True)
    edges["how"] = edges["how"].astype(object).where(edges["how"].notna(), None)
    return edges


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected components of the graph with edges ``u``–``v`` over ``n`` nodes: each node's
    smallest node number in its component (hooking and pointer jumping, vectorised)."""
    labels = np.arange(n)
    if len(u) == 0:
        return labels
    while True:
        lu, lv = labels[u], labels[v]
        low = np.minimum(lu, lv)
        hooked = labels.copy()
        np.minimum.at(hooked, lu, low)
        np.minimum.at(hooked, lv, low)
        while True:
            jumped = hooked[hooked]
            if np.array_equal(jumped, hooked):
                break
            hooked = jumped
        if np.array_equal(hooked, labels):
            return labels
        labels = hooked


def _first_edges(
    edges: pd.DataFrame,
    component: np.ndarray,
    roster_a: np.ndarray,
    roster_b: np.ndarray,
    tangled: set[int],
) -> dict[str, tuple[str, float | None]]:
    """For each e-PPGBM record outside the tangled components: the strongest edge that joined
    it (how, probability)."""
    keep = edges["how"].notna().to_numpy() & ~np.isin(component, list(tangled))
    ends = pd.concat(
        [
            pd.DataFrame({"uid": edges["a"], "order": edges.index, "roster": roster_a}),
            pd.DataFrame({"uid": edges["b"], "order": edges.index, "roster": roster_b}),
        ]
    )
    ends = ends[np.concatenate([keep, keep]) & ~ends["roster"].to_numpy()]
    ends = ends.sort_values("order", kind="stable").drop_duplicates("uid")
    kinds = edges["how"].to_numpy()[ends["order"].to_numpy()]
    probs = edges["p"].to_numpy()[ends["order"].to_numpy()]
    return {
        uid: (kind, None if pd.isna(p) else float(p))
        for uid, kind, p in zip(ends["uid"], kinds, probs, strict=True)
    }


def _agrees(a: pd.Series, b: pd.Series) -> pd.Series:
    """Birth dates that do not conflict: equal, day and month swapped, within 7 days, or one
    missing."""
    a, b = pd.to_datetime(a), pd.to_datetime(b)
    near = (a - b).abs() <= pd.Timedelta(days=7)
    swapped = (a.dt.year == b.dt.year) & (a.dt.month == b.dt.day) & (a.dt.day == b.dt.month)
    return a.isna() | b.isna() | near | swapped
