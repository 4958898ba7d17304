"""Assessment runs: classify every family of the registry and score every measured child.

A run records the rule-set version and digest, the reference date and its counts, and keeps one
row per family (sasaran, fired factors, KRS, extreme poverty) and one per measured child (latest
measurement, z-scores, the family it was attached to). Earlier runs stay, so two semesters can
be compared. The family rules are evaluated by the database itself through Ibis.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime

import ibis
import ibis.backends.duckdb  # noqa: F401  (imported with the module, not at the first run)
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, Table, and_
from sqlalchemy.sql.elements import ColumnElement

from sinergi.assess.findings import family_findings
from sinergi.assess.pregnancy import current
from sinergi.assess.prevalence import measured_mask, stunted_mask, under_five_mask
from sinergi.assess.summary import stored_run
from sinergi.assess.weighing import two_t
from sinergi.assess.zscores import DECIDE_DECIMALS, compute_zscores
from sinergi.core.codelists import SEPARATOR, code_list, join_bits
from sinergi.core.keys import sorted_codes_of
from sinergi.link import EPPGBM
from sinergi.link.records import child_key
from sinergi.rules import SASARAN_CODES, RuleSet
from sinergi.rules.compile import (
    FAMILY_COLUMNS,
    PERSON_COLUMNS,
    PREGNANCY_COLUMNS,
    compile_assessment,
)
from sinergi.store.arrow import (
    Reads,
    RowsWrite,
    arrow_type,
    begin_write,
    read_arrow,
    read_arrow_by_keys,
    start_reads,
    with_keys,
)
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    assessment_runs,
    families,
    measurements,
    person_links,
    persons,
    pregnancies,
)

# The tables the family rules read, with the columns they read (`sinergi.rules.compile`).
RULE_TABLES = (
    (families, FAMILY_COLUMNS),
    (persons, PERSON_COLUMNS),
    (pregnancies, PREGNANCY_COLUMNS),
)


# The measurement columns a run reads (``id`` becomes ``measurement_id``).
MEASUREMENT_COLUMNS = (
    "id",
    "record_key",
    "nik_anak",
    "nama_anak",
    "jenis_kelamin",
    "tanggal_lahir",
    "nik_ortu",
    "no_kk",
    "kode_desa",
    "tanggal_ukur",
    "berat",
    "tinggi",
    "cara_ukur",
    "lila",
    "edema",
    "berat_lahir",
)


def _current(table: Table) -> ColumnElement[bool] | None:
    """The rows of ``table`` the rules look at: not a P3KE family merged into a roster KK
    (``digabung_ke``), not a family a village found moved away (``keluar``), not a member it
    found deceased (``meninggal``); `evaluate_families` applies the same where the data lives."""
    if table is families:
        return and_(families.c.digabung_ke.is_(None), families.c.keluar.is_(None))
    if table is persons:
        return persons.c.meninggal.is_(None)
    return None


# What `children_latest` reads besides the persons: the measurements up to the reference date,
# the registered KKs and the e-PPGBM records' person links (tables 4, 5 and 6 of `registry_reads`).
LINK_COLUMNS = ("kunci", "cluster_id", "no_kk")

# Places of `registry_reads`' tables: the rules' (`RULE_TABLES`), then the children's.
RULE_PLACES = tuple(range(len(RULE_TABLES)))
PERSONS_PLACE = 1
MEASURED_PLACE, KKS_PLACE, LINKS_PLACE = 3, 4, 5


def registry_reads(
    engine: Engine, ref: date | None = None, then_write: bool = False
) -> Reads | None:
    """Start reading the columns the rules read (`RULE_TABLES`) for `rules_backend` and, with
    ``ref``, what `children_latest` reads (the measurements up to ``ref``, the registered KKs
    and the e-PPGBM person links, tables 4 to 6); None where the database evaluates the rules
    itself (PostgreSQL). ``then_write``: the reader then writes the run (`start_reads`)."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    specs: list[tuple[Table, Sequence[str], ColumnElement[bool] | None]] = [
        (table, cols, _current(table)) for table, cols in RULE_TABLES
    ]
    if ref is not None:
        specs += [
            (measurements, MEASUREMENT_COLUMNS, measurements.c.tanggal_ukur <= ref),
            (families, ("no_kk",), None),
            (person_links, LINK_COLUMNS, person_links.c.sumber == EPPGBM),
        ]
        # The children's measurements first: they are scored while the persons are read.
        first = (MEASURED_PLACE, LINKS_PLACE, KKS_PLACE, PERSONS_PLACE)
        return start_reads(engine, specs, then_write=then_write, first=first)
    return start_reads(engine, specs, then_write=then_write)


def _empty_rules_backend() -> ibis.BaseBackend:
    """An in-process DuckDB holding the tables the rules read (`RULE_TABLES`) with their columns
    and types but no rows: the rule set compiles against it while the rows are still being read
    (`assess`), and the rows are registered under the same names before the query runs."""
    con = ibis.duckdb.connect()
    for table, cols in RULE_TABLES:
        schema = pa.schema([(c, arrow_type(table, c)) for c in cols])
        con.con.register(table.name, schema.empty_table())
    return con


def rules_backend(engine: Engine, reads: Reads | None = None) -> ibis.BaseBackend:
    """The Ibis backend that evaluates the rule set over the registry of ``engine``.

    On PostgreSQL the server evaluates it where the data lives. On SQLite the columns the rules
    read are loaded once as Arrow (`sinergi.store.arrow`) into an in-process DuckDB, which runs the
    same compiled expression: SQLite executes the per-family aggregates row by row, several
    times slower than reading the columns and letting DuckDB's vectorised, multi-threaded engine
    evaluate them (``benchmarks/assess_bench.py`` measures both). The P3KE families the linkage
    merged into a roster KK (``digabung_ke``) are left out, as `evaluate_families` does in SQL.
    ``reads``: the reads `registry_reads` started (else they are made here).
    """
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return ibis.postgres.connect(
            host=url.host or "localhost",
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            database=url.database,
        )
    tables = (reads or registry_reads(engine) or Reads([])).result(RULE_PLACES)
    con = ibis.duckdb.connect()
    _register_rule_tables(con, tables)
    return con


def _register_rule_tables(con: ibis.BaseBackend, tables: Sequence[pa.Table]) -> None:
    for (table, _), data in zip(RULE_TABLES, tables, strict=True):
        con.con.register(table.name, data)  # type: ignore[attr-defined]


def current_families(
    families_t: ibis.Table, persons_t: ibis.Table
) -> tuple[ibis.Table, ibis.Table]:
    """The families and persons the rules look at, filtered where the data lives as `_current`
    filters the reads: no P3KE family merged into a roster KK, no family moved away, no deceased
    member (a table without the column has none of them)."""
    if "digabung_ke" in families_t.columns:
        # A P3KE family the linkage found to be a roster KK is that KK (`sinergi.link.golden`).
        families_t = families_t.filter(families_t.digabung_ke.isnull())
    if "keluar" in families_t.columns:
        # A family a village verification found moved away leaves every list (`_current`).
        families_t = families_t.filter(families_t.keluar.isnull())
    if "meninggal" in persons_t.columns:
        persons_t = persons_t.filter(persons_t.meninggal.isnull())
    return families_t, persons_t


def assessed_families(
    families_t: ibis.Table,
    persons_t: ibis.Table,
    pregnancies_t: ibis.Table | None,
    rs: RuleSet,
    ref: date,
    integer_keys: bool = False,
    carry: tuple[str, ...] = (),
    pasangan: bool = True,
) -> ibis.Table:
    """The rule set's expression over the current families (`current_families`), one row per
    family as the run stores it, every text written by the database: ``no_kk``, ``kode_desa``,
    ``sasaran`` and ``faktor`` (codes joined with ';', `sinergi.core.codelists.code_list`),
    ``pasangan`` (`sinergi.rules.pasangan`; NULL without ``pasangan``, for an engine with no
    list aggregate such as SQLite), ``krs``, ``miskin_ekstrem``, then the ``carry`` columns of
    the families."""
    families_t, persons_t = current_families(families_t, persons_t)
    expr = compile_assessment(
        families_t,
        persons_t,
        rs,
        ref,
        integer_keys=integer_keys,
        pregnancies=pregnancies_t,
        pasangan=pasangan,
        carry=carry,
    )
    return expr.select(
        "no_kk",
        "kode_desa",
        sasaran=code_list([(c, expr[f"s_{c}"]) for c in SASARAN_CODES]),
        faktor=code_list([(c, expr[f"f_{c}"]) for c in rs.enabled_factors]),
        pasangan=expr.pasangan if pasangan else ibis.null("string"),
        krs=expr.krs,
        miskin_ekstrem=expr.miskin_ekstrem,
        **{c: expr[c] for c in carry},
    )


def evaluate_families(
    con: ibis.BaseBackend,
    rs: RuleSet,
    ref: date,
    families_name: str = "families",
    persons_name: str = "persons",
    pregnancies_name: str | None = "pregnancies",
    integer_keys: bool = False,
    pasangan: bool = True,
) -> pd.DataFrame:
    """The rule set evaluated where the data lives; one row per family, sorted by No. KK.

    The database writes the rows as the run stores them (`assessed_families`). The dated
    pregnancies are read from ``pregnancies_name`` (None: there are none). ``integer_keys``: the
    KKs are 16 validated digits (national Parquet), keyed as integers (`compile_assessment`); the
    registry keeps text keys, since the importer keeps a family whose KK is not 16 digits.
    """
    pregnancies = con.table(pregnancies_name) if pregnancies_name is not None else None
    rows = assessed_families(
        con.table(families_name),
        con.table(persons_name),
        pregnancies,
        rs,
        ref,
        integer_keys=integer_keys,
        pasangan=pasangan,
    )
    out = rows.execute()
    out["no_kk"] = out["no_kk"].astype(str)
    return out.sort_values("no_kk").reset_index(drop=True)


def _join_flags(df: pd.DataFrame, cols: list[str], names: list[str]) -> np.ndarray:
    bits = np.zeros(len(df), dtype=np.int64)
    for i, col in enumerate(cols):
        bits |= df[col].fillna(False).astype(bool).to_numpy().astype(np.int64) << i
    return join_bits(bits, names)


def children_latest(engine: Engine, ref: date, reads: Reads | None = None) -> pd.DataFrame:
    """Each measured child's latest measurement up to ``ref``, scored and attached to a family.

    A child is attached by the family card number on the measurement, then by the parent's NIK,
    then by the child's own NIK found in the registry, then by the person linkage
    (`sinergi.link`: the family of the roster person the child was linked to); a child attached
    by none is a finding. Records the linkage found to be one child (one with a NIK, one
    without) are one child here: its latest measurement counts.
    Over-fives are kept (their families' pages show them); ``under5_at_ref``, ``measured`` and
    ``stunted`` say whether the child counts in the run's figures (`sinergi.assess.prevalence`).
    Oedema and arm circumference come from the latest measurement, the birth weight from the
    latest measurement that recorded one, ``bb_2t`` from the monthly weighings; z-scores are
    stored rounded to 2 decimals, as WHO Anthro decides on them.

    ``reads``: `registry_reads` started with ``ref`` (the persons, measurements and KKs come from
    them); else they are read here.
    """
    if reads is not None:
        measured, linked = reads.result((MEASURED_PLACE, LINKS_PLACE))
    else:
        m = measurements.c
        measured = read_arrow(engine, measurements, MEASUREMENT_COLUMNS, m.tanggal_ukur <= ref)
        linked = read_arrow(engine, person_links, LINK_COLUMNS, person_links.c.sumber == EPPGBM)
    rows = measured.to_pandas().rename(columns={"id": "measurement_id"})
    links = linked.to_pandas()
    # Scored while the worker still reads the persons; attached once they are read.
    latest = latest_children(rows, links, ref)
    if latest.empty:
        return latest
    # Only the persons a measurement names (parent or child).
    wanted = pd.unique(pd.concat([latest["nik_ortu"], latest["nik_anak"]]).dropna()).tolist()
    if reads is not None:
        roster, kks = reads.result((PERSONS_PLACE, KKS_PLACE))
        named = with_keys(roster.select(["nik", "no_kk"]), "nik", wanted)
    else:
        kks = read_arrow(engine, families, ["no_kk"])
        named = read_arrow_by_keys(engine, persons, ["nik", "no_kk"], "nik", wanted)
    person_kk = named.to_pandas().set_index("nik")["no_kk"]
    return attach_children(latest, person_kk, pd.Index(kks.column(0).to_pandas()), links)


def score_children(
    rows: pd.DataFrame,
    person_kk: pd.Series,
    kk_known: pd.Index,
    linked: pd.DataFrame,
    ref: date,
) -> pd.DataFrame:
    """The pure part of `children_latest`, so that a batch job scores an extract's children by
    the same code: ``rows`` the measurements up to ``ref`` (`MEASUREMENT_COLUMNS`, ``id`` as
    ``measurement_id``), ``person_kk`` the No KK of a person's NIK, ``kk_known`` the registered
    KKs, ``linked`` the e-PPGBM records' person links (`LINK_COLUMNS`; none in an extract)."""
    latest = latest_children(rows, linked, ref)
    if latest.empty:
        return latest
    return attach_children(latest, person_kk, kk_known, linked)


def latest_children(rows: pd.DataFrame, linked: pd.DataFrame, ref: date) -> pd.DataFrame:
    """Each child's latest measurement of ``rows`` (see `score_children`), scored: z-scores,
    categories, flags, the birth weight, 2T and who counts at ``ref``; not yet attached to a
    family (`attach_children`)."""
    if rows.empty:
        return rows
    links = linked.set_index("kunci")
    rows["child_key"] = child_key(rows["record_key"])
    # One child per person cluster: the records the linkage joined share their latest measurement.
    rows["person"] = rows["child_key"].map(links["cluster_id"]).fillna(rows["child_key"])
    # Each person's measurements by date then id, ordered on integer keys (the rows themselves
    # are not reordered: only the latest are taken).
    person = sorted_codes_of(rows["person"])
    measured = pd.to_datetime(rows["tanggal_ukur"]).to_numpy("datetime64[D]").astype(np.int64)
    order = np.lexsort((rows["measurement_id"].to_numpy(np.int64), measured, person))
    by_person = person[order]
    last = np.r_[by_person[1:] != by_person[:-1], True]
    latest = rows.take(order[last]).reset_index(drop=True).drop(columns="person")
    # Case-finding signals beyond the latest row: the birth weight recorded last at any
    # measurement, and 2T over the monthly weighings (`sinergi.assess.weighing`); each person
    # by its integer code, in the order above.
    weighed = rows[["tanggal_lahir", "tanggal_ukur", "berat", "berat_lahir"]].take(order)
    weighed.insert(0, "person", by_person)
    born_g = weighed.dropna(subset=["berat_lahir"]).drop_duplicates("person", keep="last")
    theirs = pd.Series(by_person[last])
    latest["berat_lahir"] = theirs.map(born_g.set_index("person")["berat_lahir"]).to_numpy()
    latest["bb_2t"] = theirs.map(two_t(weighed)).eq(True).to_numpy()

    z = compute_zscores(
        latest["jenis_kelamin"],
        latest["tanggal_lahir"],
        latest["tanggal_ukur"],
        latest["berat"],
        latest["tinggi"],
        latest["cara_ukur"],
        oedema=latest["edema"],
        decimals=DECIDE_DECIMALS,  # the z stored is the z the categories were decided on
    )
    for col in ("umur_hari", "zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu"):
        latest[col] = z[col].to_numpy()
    for col in ("status_tbu", "status_bbu", "status_bbtb"):
        latest[col] = z[col].astype(object).where(z[col].notna(), None).to_numpy()
    flag_cols = [c for c in z.columns if c.startswith("flag_")]
    latest["flags"] = _join_flags(z, flag_cols, [c[5:] for c in flag_cols])
    latest["alasan"] = z["alasan"].astype(str).replace({"nan": ""}).to_numpy()
    # Who counts, as every later reader of the stored run counts (assess.prevalence).
    latest["under5_at_ref"] = under_five_mask(latest, ref).to_numpy()
    latest["measured"] = measured_mask(latest, ref).to_numpy()
    latest["stunted"] = stunted_mask(latest, ref).to_numpy()
    return latest


def attach_children(
    latest: pd.DataFrame, person_kk: pd.Series, kk_known: pd.Index, linked: pd.DataFrame
) -> pd.DataFrame:
    """`latest_children` with each child's family: ``no_kk`` and ``attached_by`` (see
    `children_latest`)."""
    links = linked.set_index("kunci")
    kk = latest["no_kk"].where(latest["no_kk"].isin(kk_known))
    by_parent = latest["nik_ortu"].map(person_kk)
    by_child = latest["nik_anak"].map(person_kk)
    by_link = latest["child_key"].map(links["no_kk"]).where(lambda k: k.isin(kk_known))
    latest["attached_by"] = np.select(
        [kk.notna(), by_parent.notna(), by_child.notna(), by_link.notna()],
        np.array(["kk", "nik_ortu", "nik_anak", "tautan"], dtype=object),
        default=np.array(None, dtype=object),
    )
    latest["no_kk"] = kk.fillna(by_parent).fillna(by_child).fillna(by_link)
    return latest


# What a run adds to each family from its children and pregnancies (`family_extras`), and the
# value of a family without any.
EXTRA_COLUMNS = {"jumlah_balita": 0, "jumlah_balita_stunting": 0, "temuan": ""}
EXTRAS_SCHEMA = pa.schema(
    [("no_kk", pa.string())]
    + [(c, pa.int64() if isinstance(v, int) else pa.string()) for c, v in EXTRA_COLUMNS.items()]
)


def family_extras(
    kids: pd.DataFrame, women: pd.DataFrame, engine: Engine, ref: date
) -> pd.DataFrame:
    """Per family that has an attached child or a current pregnancy (``no_kk``): its under-fives
    and stunted under-fives counted from the run's children, and its case-finding codes
    (``temuan``, `family_findings`); every other family has `EXTRA_COLUMNS`' values."""
    attached = kids[kids["no_kk"].notna()] if len(kids) else kids
    named = [attached["no_kk"]] if len(attached) else []
    if len(women):
        named.append(women["no_kk"].dropna())
    at, keys = pd.factorize(pd.concat(named)) if named else (np.array([], np.int64), [])
    extra = pd.DataFrame({"no_kk": pd.Series(keys, dtype=object)})
    kid_at = at[: len(attached)]
    under5 = attached["under5_at_ref"].to_numpy(bool) if len(attached) else np.array([], bool)
    stunted = under5 & (attached["stunted"].to_numpy(bool) if len(attached) else under5)
    for col, counted in (("jumlah_balita", under5), ("jumlah_balita_stunting", stunted)):
        extra[col] = np.bincount(kid_at[counted], minlength=len(keys)).astype(np.int64)
    extra["temuan"] = family_findings(engine, ref, extra["no_kk"], kids, women)
    return extra


def _joined_extras(rows: pa.Table, extra: pd.DataFrame) -> pa.Table:
    """The rule set's Arrow rows (their order kept) with `EXTRA_COLUMNS` from ``extra``
    (`family_extras`): the run's families as the store's columns, never turned into Python
    objects."""
    ext = pa.Table.from_pandas(extra, EXTRAS_SCHEMA, preserve_index=False)
    at = pc.index_in(rows["no_kk"], value_set=ext["no_kk"])
    for col, none in EXTRA_COLUMNS.items():
        rows = rows.append_column(col, pc.fill_null(ext[col].take(at), none))
    return rows


@dataclass
class RunResult:
    """A stored run: its id, its families (`families`, as stored), scored children, counts."""

    run_id: int
    rows: pa.Table | pd.DataFrame
    children: pd.DataFrame
    counts: dict[str, float]
    seconds: float

    @property
    def families(self) -> pd.DataFrame:
        if isinstance(self.rows, pa.Table):
            self.rows = self.rows.to_pandas()
        return self.rows


def _family_counts(fam: pa.Table, rs: RuleSet) -> tuple[dict[str, float], dict[str, int]]:
    """The run's family counts and, per factor and sasaran code, its families."""
    counts: dict[str, float] = {
        "families": fam.num_rows,
        "target": int(pc.sum(pc.not_equal(fam["sasaran"], "")).as_py() or 0),
        "krs": int(pc.sum(fam["krs"].cast(pa.int64())).as_py() or 0),
        "miskin_ekstrem": int(pc.sum(fam["miskin_ekstrem"].cast(pa.int64())).as_py() or 0),
    }
    detail = {f"faktor:{c}": 0 for c in rs.enabled_factors} | {
        f"sasaran:{c}": 0 for c in SASARAN_CODES
    }
    for column, prefix in (("faktor", "faktor:"), ("sasaran", "sasaran:")):
        # Few distinct combinations: count them, then their codes.
        for pair in pc.value_counts(fam[column]).to_pylist():
            for code in filter(None, str(pair["values"]).split(SEPARATOR)):
                key = f"{prefix}{code}"
                detail[key] = detail.get(key, 0) + int(pair["counts"])
    return counts, detail


def assess(engine: Engine, rs: RuleSet, ref: date) -> RunResult:
    t0 = time.perf_counter()
    # On SQLite a worker process reads the registry's columns, the children's first: this process
    # scores the children while a thread compiles the rule set against tables of the same columns
    # and no rows and has DuckDB evaluate it once the rows are read. The worker starts writing the
    # children (in the run's transaction) while DuckDB joins each family's figures from its
    # children and pregnancies, then writes the families' Arrow rows and commits.
    reads = registry_reads(engine, ref, then_write=True)
    write: RowsWrite | None = None
    try:
        if reads is None:
            kids = children_latest(engine, ref)
            write = _begin_run(engine, rs, ref, kids, None)
            extra = family_extras(kids, current(engine, ref), engine, ref)
            assessed = evaluate_families(rules_backend(engine), rs, ref)
            fam = _joined_extras(pa.Table.from_pandas(assessed, preserve_index=False), extra)
        else:
            sqlite_reads = reads

            def compiled() -> tuple[ibis.BaseBackend, str]:
                con = _empty_rules_backend()
                query = assessed_families(
                    con.table("families"), con.table("persons"), con.table("pregnancies"), rs, ref
                ).order_by("no_kk")
                return con, con.compile(query)

            def evaluate(con: ibis.BaseBackend, sql: str) -> pa.Table:
                _register_rule_tables(con, sqlite_reads.result(RULE_PLACES))
                return con.con.sql(sql).to_arrow_table()  # type: ignore[attr-defined]

            # One thread, in turn: compile the rule set, read the current pregnancies (while the
            # worker still reads the rules' tables), have DuckDB evaluate once they are in.
            with ThreadPoolExecutor(1) as pool:
                query = pool.submit(compiled)
                women = pool.submit(current, engine, ref)
                rules = pool.submit(lambda: evaluate(*query.result()))
                kids = children_latest(engine, ref, reads)
                write = _begin_run(engine, rs, ref, kids, reads)
                extra = family_extras(kids, women.result(), engine, ref)
            fam = _joined_extras(rules.result(), extra)
        counts, detail = _family_counts(fam, rs)
        seconds = time.perf_counter() - t0
        write.finish({"seconds": seconds, "counts": detail, **counts}, [(assessment_families, fam)])
    except BaseException:
        if write is not None:
            write.abort()
        if reads is not None:
            reads.close()
        raise
    counts |= _children_counts(kids)
    counts["seconds"] = round(time.perf_counter() - t0, 2)
    return RunResult(write.id, fam, kids, counts, time.perf_counter() - t0)


def _children_counts(kids: pd.DataFrame) -> dict[str, float]:
    return {
        "children_measured": int(kids["measured"].sum()) if len(kids) else 0,
        "children_stunted": int(kids["stunted"].sum()) if len(kids) else 0,
        "children_unattached": int(kids["no_kk"].isna().sum()) if len(kids) else 0,
    }


def _begin_run(
    engine: Engine, rs: RuleSet, ref: date, kids: pd.DataFrame, reads: Reads | None
) -> RowsWrite:
    """The run's row and its children, in a transaction the families' rows finish (the family
    counts are set then: until the commit nobody sees the run)."""
    return begin_write(
        engine,
        assessment_runs,
        {
            "ruleset_id": rs.id,
            "ruleset_version": rs.version,
            "ruleset_digest": rs.digest,
            "reference_date": ref,
            "created_at": datetime.now(UTC),
            "engine": engine.dialect.name,
            "families": 0,
            "target": 0,
            "krs": 0,
            "miskin_ekstrem": 0,
            **_children_counts(kids),
        },
        # In No KK order: the children's No KK index, the one that grows most, is written in
        # order (about half the time of the children's order, benchmarks/assess_bench.py).
        [(assessment_children, kids.sort_values("no_kk", kind="stable"))],
        reads=reads,
    )


def latest_run_id(engine: Engine) -> int | None:
    """The newest stored run's id, None before the first run."""
    with engine.connect() as conn:
        run = stored_run(conn)
    return None if run is None else run.id
