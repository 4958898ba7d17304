"""Person linkage as a batch job over Parquet: the app's Splink model (`sinergi.link.model`) run
on DuckDB (one machine) or on Apache Spark (``SparkAPI``: local mode, or a cluster for a
province), with the app's decisions (`sinergi.link.run`) on the scored pairs.

Only the scoring runs on the engine: the candidate pairs (the model's blocking rules), the
comparisons and the stored m/u parameters are the app's; nothing is estimated here — the app
estimates a model only for a registry that has none (``sinergi link``), and a batch scores with
the model it is given (the registry's latest, else the bundled one). Spark is handed the same
settings compiled for its dialect (Splink generates each level's SQL from the same comparison
objects; the names' similarity functions come from Splink's own Scala jar), with the model's
parameters laid on level by level.

The decisions that follow are pandas code on the driver, shared by both engines: pairs not worth
an officer's time (`run.implausible`, twins) go, each remaining pair gets its status
(`run.statuses`: ``otomatis`` or ``menunggu`` and why), and the clusters are built as the app
builds them (`run.assign`: exact NIK first, then the model's links strongest first, never two
roster persons in one cluster). The pairs are of the order of the records, so a province (a few
million records) clusters on one driver; the scoring is what grows with the blocking.

Input: the records as `records_table` writes them (one file or a folder of files): the model's
columns (`sinergi.link.model.frame`). Output in ``out_dir``: ``pairs.parquet`` (every kept pair
at or above the review threshold, its probability, comparison levels, status and reason) and
``clusters.parquet`` (every record's cluster, its roster NIK and family, and what decided it).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sinergi.batch.engine import ENGINES, Engine, UnknownEngine
from sinergi.link import ROSTER
from sinergi.link import model as lm
from sinergi.link.run import (
    REVIEW_THRESHOLD,
    THRESHOLD,
    assign,
    implausible,
    oriented,
    statuses,
    twins_of,
)

#: The records' Parquet columns: the model's input as `sinergi.link.model.frame` makes it.
RECORD_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("sumber", pa.string()),
        ("no_kk", pa.string()),
        ("nik", pa.string()),
        ("rapat", pa.string()),
        ("depan", pa.string()),
        ("tanggal_lahir", pa.date32()),
        ("jenis_kelamin", pa.string()),
        ("kode_desa", pa.string()),
        ("ibu_rapat", pa.string()),
        ("nik_ibu", pa.string()),
        ("tahun_lahir", pa.int32()),
    ]
)
#: What the decisions read of a scored pair.
_PAIR_COLUMNS = (
    "unique_id_l",
    "unique_id_r",
    "match_probability",
    "match_weight",
    *(f"gamma_{name}" for name in lm.top_levels()),
    "sumber_l",
    "sumber_r",
    "no_kk_l",
    "no_kk_r",
)
#: What the decisions read of a record.
_RECORD_COLUMNS = (
    "unique_id",
    "sumber",
    "nik",
    "depan",
    "tanggal_lahir",
    "jenis_kelamin",
    "kode_desa",
    "no_kk",
    "nik_ibu",
)


@dataclass(frozen=True)
class LinkSummary:
    engine: str
    records: int
    scored: int  # pairs at or above the review threshold, as the engine scored them
    pairs: int  # of which kept (neither implausible nor twins)
    automatic: int  # of which link on their own (``otomatis``)
    clusters: int
    linked: int  # non-roster records in a cluster with a roster person
    score_seconds: float
    cluster_seconds: float


def records_table(records: pd.DataFrame) -> pa.Table:
    """The records (`sinergi.link.records.COLUMNS`, names normalised) as the batch reads them."""
    frame = lm.frame(records)
    return pa.Table.from_pandas(
        frame[RECORD_SCHEMA.names], schema=RECORD_SCHEMA, preserve_index=False
    )


def link_records(
    engine: Engine,
    records_parquet: Path,
    out_dir: Path,
    *,
    threshold: float = THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    model: dict[str, Any] | None = None,
    master: str | None = None,
    memory: str = "4g",
    partitions: int | None = None,
) -> LinkSummary:
    """Score the records with ``model`` (the bundled one when None) on ``engine``, keep and judge
    the pairs at or above ``review_threshold`` as the app does, cluster, and write both to
    ``out_dir``. ``master``/``memory``/``partitions``: Spark's master URL, the memory of the
    driver (Spark) or of the database (DuckDB), and the partitions Spark repartitions to."""
    if engine not in ENGINES:
        raise UnknownEngine(engine)  # `sinergi batch` words it (batch_mesin_tidak_dikenal)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = out_dir / "_work"
    work.mkdir(exist_ok=True)  # DuckDB creates its spill folder, but not the folder above it
    scored = work / "scored"
    params = model if model is not None else lm.default_model()
    t0 = time.perf_counter()
    if engine == "duckdb":
        _score_duckdb(records_parquet, scored, params, review_threshold, memory, work)
    else:
        _score_spark(
            records_parquet, scored, params, review_threshold, master, memory, partitions, work
        )
    score_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    pairs = oriented(pq.read_table(scored, columns=list(_PAIR_COLUMNS)).to_pandas())
    records = _read_records(records_parquet)
    summary = _decide(engine, records, pairs, threshold, out_dir)
    shutil.rmtree(work, ignore_errors=True)
    return LinkSummary(
        **{**summary, "score_seconds": score_seconds, "cluster_seconds": time.perf_counter() - t1}
    )


def _parquet_files(path: Path) -> list[str]:
    return [str(path)] if path.is_file() else sorted(str(p) for p in path.rglob("*.parquet"))


def _read_records(path: Path) -> pd.DataFrame:
    files = _parquet_files(path)
    table = pa.concat_tables(pq.read_table(f, columns=list(_RECORD_COLUMNS)) for f in files)
    return table.to_pandas()


def _score_duckdb(
    records_parquet: Path,
    scored: Path,
    model: dict[str, Any],
    review_threshold: float,
    memory: str,
    work: Path,
) -> None:
    """The app's linker (`sinergi.link.model.linker`) over the Parquet records."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = '{_duckdb_memory(memory)}'")
        con.execute(f"SET temp_directory = '{work / 'duckdb'}'")
        con.execute(
            "CREATE TABLE records AS SELECT * FROM read_parquet(?)",
            [_parquet_files(records_parquet)],
        )
        pairs = lm.linker(con, "records", model).inference.predict(
            threshold_match_probability=review_threshold
        )
        scored.mkdir(parents=True, exist_ok=True)
        columns = ", ".join(_PAIR_COLUMNS)
        con.execute(
            f"COPY (SELECT {columns} FROM {pairs.physical_name}) "
            f"TO '{scored / 'part-0.parquet'}' (FORMAT parquet)"
        )
    finally:
        con.close()


def _duckdb_memory(memory: str) -> str:
    """Spark's ``4g`` as DuckDB's ``4GB`` (one memory option for both engines)."""
    text = memory.strip().upper()
    return text + "B" if text[-1:] in "KMGT" else text


def _score_spark(
    records_parquet: Path,
    scored: Path,
    model: dict[str, Any],
    review_threshold: float,
    master: str | None,
    memory: str,
    partitions: int | None,
    work: Path,
) -> None:
    """The same settings compiled for Spark (`spark_settings`), scored with ``SparkAPI``."""
    from splink import Linker, SparkAPI
    from splink.backends.spark import similarity_jar_location

    from sinergi.batch.spark import session

    # Spark's own scratch space stays Spark's (``spark.local.dir``): the session may outlive
    # this job's work folder.
    spark = session(master, memory, app_name="sinergi-link")
    # Splink's Scala similarity functions (Jaro-Winkler, Damerau-Levenshtein) for SQL.
    spark.sql(f"ADD JAR {similarity_jar_location()}")
    spark.sparkContext.setCheckpointDir(str(work / "checkpoints"))
    db = SparkAPI(
        spark_session=spark,
        break_lineage_method="parquet",
        num_partitions_on_repartition=partitions,
    )
    records = spark.read.parquet(*_parquet_files(records_parquet))
    linker = Linker(db.register(records), spark_settings(model), log_level="ERROR")
    pairs = linker.inference.predict(threshold_match_probability=review_threshold)
    pairs.as_spark_dataframe().select(*_PAIR_COLUMNS).write.mode("overwrite").parquet(str(scored))


def spark_settings(model: dict[str, Any]) -> dict[str, Any]:
    """The app's settings (`sinergi.link.model.settings`) in Spark's dialect with ``model``'s
    parameters: the prior, and each level's m and u, matched by comparison and level order
    (both come from `sinergi.link.model.comparisons`, so their levels correspond)."""
    settings = lm.settings().get_settings("spark").as_dict()
    settings["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    stored = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = stored[name]["comparison_levels"]
        if len(levels) != len(comparison["comparison_levels"]):
            raise ValueError(f"the model's comparison {name!r} has other levels than the app's")
        for level, source in zip(comparison["comparison_levels"], levels, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in source:
                    level[key] = source[key]
    return settings


def _decide(
    engine: str, records: pd.DataFrame, scored: pd.DataFrame, threshold: float, out_dir: Path
) -> dict[str, Any]:
    """The app's decisions on the scored pairs (see the module's text); writes pairs and
    clusters."""
    kept = scored[~implausible(scored) & ~twins_of(scored, records)].reset_index(drop=True)
    status, alasan = statuses(kept, threshold)
    kept["status"], kept["alasan"] = status, alasan
    kept.to_parquet(out_dir / "pairs.parquet", index=False)
    edges = pd.DataFrame(
        {
            "record_l": kept["unique_id_l"],
            "record_r": kept["unique_id_r"],
            "probability": kept["match_probability"],
            "status": kept["status"],
        }
    )
    roster = records[records["sumber"] == ROSTER]
    parent_kk = dict(zip(roster["nik"], roster["no_kk"], strict=True))
    records = records.assign(digest="")
    clusters = assign(records, edges, set(roster["no_kk"].dropna()), parent_kk)
    clusters = clusters.drop(columns="digest")
    clusters.to_parquet(out_dir / "clusters.parquet", index=False)
    linked = clusters["sumber"].ne(ROSTER) & clusters["nik"].notna()
    return {
        "engine": engine,
        "records": len(records),
        "scored": len(scored),
        "pairs": len(kept),
        "automatic": int((status == "otomatis").sum()),
        "clusters": int(clusters["cluster_id"].nunique()),
        "linked": int(linked.sum()),
    }
