"""Open a registry extract (`sinergi.store.parquet_layout`) on DuckDB or Spark and write a job's result.

Every batch job is one Ibis expression over the extract's tables, so the same rule sets and
programme definitions run on DuckDB on one machine or on Spark on a cluster. Where the app builds
a column in Python (codes joined from bits, couples as text), the job hands the SAME Python
function to `write_result` as ``finish``: DuckDB streams the expression's result through it in
Arrow batches, Spark applies it per partition (``mapInPandas``) on its executors.

A result is a folder ``<OUT>/<job>/provinsi=<PP>/part-*.parquet``, written beside the old one and
renamed into place, so that a reader never sees half a result and a failed run leaves the
previous one.

On DuckDB a national job computes its families in waves of whole provinces (`by_province`:
one expression per wave, written or kept one after another), each wave as many families as
``--memory-limit`` holds (`wave_families`): the whole nation (95 M families) in one query ran
out of 16 GB after spilling 20 GB (benchmarks/national_bench.py). Spark partitions the work by
itself and gets one expression.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from sinergi.store.parquet_layout import (
    PARTITIONS,
    TABLE_SCHEMAS,
    TABLES,
    check_version,
    owner_only,
    table_glob,
)

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")
# The partition column of every result: the province code, text as in the extract.
RESULT_PARTITION = "provinsi"
# A job's Python step sees the rows in batches of at most this many (DuckDB streaming).
FINISH_BATCH_ROWS = 250_000

Finish = Callable[[pd.DataFrame], pd.DataFrame]
# A query's rows as a step is given them: a frame, or Arrow (`per_province`'s ``arrow``).
Rows: TypeAlias = pd.DataFrame | pa.Table
# Told how far a job is (`Extract.progress`): what it counts (``provinsi``: provinces stepped,
# ``gelombang``: waves of provinces written), how many are done, of how many.
ProgressHook = Callable[[str, int, int], None]
WAVES = "gelombang"
PROGRESS_UNITS = (WAVES, RESULT_PARTITION)


class UnknownEngine(ValueError):
    """An engine other than `ENGINES`."""


class BadMemoryLimit(ValueError):
    """A memory limit that is not an amount with a unit (``16GB``, ``512MB``)."""


@dataclass
class Extract:
    """A registry extract opened for batch jobs: the Ibis backend, one table per `TABLES` (with
    the partition columns ``provinsi`` and ``kabupaten`` as text), and the manifest."""

    engine: Engine
    con: Any
    tables: dict[str, ir.Table]
    manifest: dict[str, Any]
    folder: Path
    spark: Any = None
    views: list[str] = field(default_factory=list)
    # How many families one DuckDB query may assess (`by_province`), from --memory-limit.
    wave_families: int = 0
    # DuckDB: the memory limit and spill folder it was opened with (`per_province`'s worker
    # processes open it again, each with its share).
    memory_limit: str = ""
    temp_dir: Path | None = None
    # DuckDB: the results this run wrote and reads again (`result_table`), by view name: their
    # folder and columns (`per_province` reads them a province at a time, as the extract).
    results: dict[str, tuple[Path, pa.Schema]] = field(default_factory=dict)
    # Told after each province a step finished and each wave written (DuckDB; the command
    # line's progress bar). Spark shows its own in its UI.
    progress: ProgressHook | None = None

    def advance(self, unit: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(unit, done, total)


def _with_partitions(schema: pa.Schema) -> pa.Schema:
    for name in PARTITIONS:
        schema = schema.append(pa.field(name, pa.string()))
    return schema


def _has_files(folder: Path) -> bool:
    """Whether any Parquet file lies under ``folder`` (a table or result of no rows has none)."""
    return any(folder.rglob("*.parquet"))


def _spark_memory(limit: str) -> str:
    """DuckDB's '16GB' as the JVM's '16g' (Spark takes k, m, g, t)."""
    found = re.fullmatch(r"\s*(\d+)\s*([kmgt])i?b?\s*", limit.lower())
    if found is None:
        raise BadMemoryLimit(limit)
    return f"{found[1]}{found[2]}"


# Families one DuckDB query assesses per GiB of --memory-limit. Measured (national_bench.py,
# one query over the nation): 9.9 M families peaked at 6.3 GiB, 30 M at 15.5 GiB, 95 M ran out
# of 16 GB; one million per GiB keeps a wave at about two thirds of the limit.
FAMILIES_PER_GIB = 1_000_000


def _bytes(limit: str) -> int:
    """``16GB`` (or ``16g``, ``16GiB``) in bytes, binary units as DuckDB reads them."""
    size = _spark_memory(limit)
    return int(size[:-1]) * {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}[size[-1]]


def wave_families(limit: str) -> int:
    """The families one query may assess within ``limit`` (`FAMILIES_PER_GIB`)."""
    return max(1, int(_bytes(limit) / 2**30 * FAMILIES_PER_GIB))


def open_extract(
    engine: str,
    input_dir: Path,
    *,
    master: str | None = None,
    memory_limit: str = "16GB",
    threads: int | None = None,
    temp_dir: Path | None = None,
    provinces: list[str] | None = None,
) -> Extract:
    """The extract at ``input_dir`` opened on ``engine`` (``duckdb`` or ``spark``); only
    ``provinces`` when given. Raises `SchemaMismatch` for a folder of another layout or version,
    `UnknownEngine` for an engine it does not know, `BadMemoryLimit` for a limit without a
    unit."""
    if engine not in ENGINES:
        raise UnknownEngine(engine)
    spark_memory = _spark_memory(memory_limit)
    manifest = check_version(input_dir)
    if engine == "duckdb":
        extract = _open_duckdb(input_dir, memory_limit, threads, temp_dir)
        extract.wave_families = wave_families(memory_limit)
        extract.memory_limit, extract.temp_dir = memory_limit, temp_dir
    else:
        extract = _open_spark(input_dir, master, spark_memory, temp_dir)
    extract.manifest = manifest
    if provinces:
        extract.tables = {
            name: t.filter(t.provinsi.isin(list(provinces))) for name, t in extract.tables.items()
        }
    return extract


def _open_duckdb(
    folder: Path, memory_limit: str, threads: int | None, temp_dir: Path | None
) -> Extract:
    config: dict[str, Any] = {"memory_limit": memory_limit, "preserve_insertion_order": False}
    if threads:
        config["threads"] = threads
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    con = ibis.duckdb.connect(**config)
    con.raw_sql("SET enable_progress_bar = false")
    tables = {
        name: _duckdb_view(con, name, folder / name, _with_partitions(TABLE_SCHEMAS[name]))
        for name in TABLES
    }
    return Extract("duckdb", con, tables, {}, folder)


def _duckdb_view(
    con: Any, view: str, folder: Path, schema: pa.Schema, partitions: Sequence[str] = PARTITIONS
) -> ir.Table:
    """DuckDB's view ``view`` over the Parquet files under ``folder`` (`_parquet_view`); a
    folder without any (a table the registry had no rows of): ``schema``'s columns, no rows.
    (Ibis 12's create_table from Arrow emits a statement DuckDB 2 refuses.)"""
    if _has_files(folder):
        con.raw_sql(_parquet_view(view, str(folder / "**" / "*.parquet"), partitions))
    else:
        con.con.register(view, schema.empty_table())
    return con.table(view)


def _spark_view(spark: Any, view: str, folder: Path, schema: pa.Schema) -> None:
    """Spark's temporary view ``view`` over the Parquet files under ``folder`` (partition
    columns from the folders' names); ``schema``'s columns and no rows when it has none."""
    from pyspark.sql.pandas.types import from_arrow_schema

    if _has_files(folder):
        df = spark.read.option("basePath", str(folder)).parquet(str(folder))
    else:
        df = spark.createDataFrame([], from_arrow_schema(schema))
    df.createOrReplaceTempView(view)


def _parquet_view(view: str, glob: str, partitions: Sequence[str] = PARTITIONS) -> str:
    """DuckDB's view ``view`` over the Parquet files ``glob`` finds, the ``partitions`` columns
    read from their folders' names as text ('64' is a code, not a number)."""
    hive_types = "{" + ", ".join(f"'{p}': 'VARCHAR'" for p in partitions) + "}"
    glob = glob.replace("'", "''")
    return (
        f"CREATE OR REPLACE VIEW \"{view}\" AS SELECT * FROM read_parquet('{glob}', "
        f"hive_partitioning = true, hive_types = {hive_types}, union_by_name = true)"
    )


def _province_view_sql(
    extract: Extract, name: str, province: str, view: str | None = None
) -> tuple[str, str]:
    """The view of table ``name`` (an extract table, or a result this run wrote,
    `Extract.results`) that reads the files of one province only (named ``view``, by default
    after the table and the province), and the statement that creates it. Planning a query over
    the whole table's view lists and opens every file of the extract (a second per query at 514
    regencies); a province's folder holds its own. An extract table without files of that
    province: the whole table's view, filtered; a result without: no rows (it is partitioned by
    province alone)."""
    view = view or f"{name}__{RESULT_PARTITION}_{province}"
    part = f"{RESULT_PARTITION}={province}"
    if name in extract.results:
        folder, schema = extract.results[name]
        if _has_files(folder / part):
            glob = str(folder / part / "**" / "*.parquet")
            return view, _parquet_view(view, glob, (RESULT_PARTITION,))
        return view, _empty_view_sql(view, schema)
    if _has_files(extract.folder / name / part):
        return view, _parquet_view(view, table_glob(extract.folder / name, part))
    code = province.replace("'", "''")
    where = f"{RESULT_PARTITION} = '{code}'"
    return view, f'CREATE OR REPLACE VIEW "{view}" AS SELECT * FROM "{name}" WHERE {where}'


def _empty_view_sql(view: str, schema: pa.Schema) -> str:
    """The statement that creates DuckDB's view ``view`` of ``schema``'s columns and no rows
    (types as Ibis maps them)."""
    from ibis.backends.sql.datatypes import DuckDBType

    columns = ", ".join(
        f'CAST(NULL AS {DuckDBType.from_ibis(kind).sql("duckdb")}) AS "{name}"'
        for name, kind in ibis.Schema.from_pyarrow(schema).items()
    )
    return f'CREATE OR REPLACE VIEW "{view}" AS SELECT {columns} WHERE false'


def _open_spark(folder: Path, master: str | None, memory: str, temp_dir: Path | None) -> Extract:

    from sinergi.batch.spark import session, spark_backend

    spark = session(master, memory, temp_dir=temp_dir)
    spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    con = spark_backend(spark)
    token = uuid.uuid4().hex[:8]
    tables: dict[str, ir.Table] = {}
    views = []
    for name in TABLES:
        view = f"sinergi_{token}_{name}"
        _spark_view(spark, view, folder / name, _with_partitions(TABLE_SCHEMAS[name]))
        views.append(view)
        tables[name] = con.table(view)
    return Extract("spark", con, tables, {}, folder, spark=spark, views=views)


def close_extract(extract: Extract) -> None:
    """Let go of the extract's views (Spark) or connection (DuckDB); a Spark session lives on
    for the next job of the process."""
    if extract.engine == "spark":
        for view in extract.views:
            extract.spark.catalog.dropTempView(view)
    else:
        extract.con.disconnect()


def _replace(tmp: Path, final: Path) -> None:
    """Put ``tmp`` where ``final`` is, the old result moved aside first and removed after."""
    owner_only(tmp)  # personal data: the owner's only (`sinergi.store.parquet_layout`)
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    if old.exists():
        shutil.rmtree(old)


def province_families(extract: Extract) -> list[tuple[str | None, int]]:
    """The extract's families per province (None: rows without one), in the provinces' order."""
    f = extract.tables["families"]
    counts = fetch(extract, f.group_by(RESULT_PARTITION).aggregate(n=f.count()))
    return sorted(
        ((None if c is None or c != c else str(c), int(n)) for c, n in counts.itertuples(False)),
        key=lambda r: (r[0] is None, r[0] or ""),
    )


def waves(extract: Extract) -> list[list[str | None]]:
    """The provinces of the extract's families (None: rows without one) in order, grouped into
    waves of at most `Extract.wave_families` families (a larger province is a wave alone)."""
    out: list[list[str | None]] = []
    size = 0
    for code, n in province_families(extract):
        if out and size + n <= extract.wave_families:
            out[-1].append(code)
            size += n
        else:
            out.append([code])
            size = n
    return out


def _in(table: ir.Table, codes: list[str | None]) -> ir.Table:
    known = [c for c in codes if c is not None]
    keep = table.provinsi.isin(known)
    return table.filter(keep | table.provinsi.isnull() if None in codes else keep)


def by_province(
    extract: Extract, build: Callable[[ir.Table, ir.Table], ir.Table]
) -> list[ir.Table]:
    """``build(families, persons)`` for one wave of provinces at a time on DuckDB (`waves`: a
    family's members are partitioned with it, `sinergi.batch.export.village`; the job's other
    tables stay whole), so that one query's per-family aggregates fit within the memory limit;
    on Spark, or for one wave, once over the whole extract."""
    f, p = extract.tables["families"], extract.tables["persons"]
    groups = waves(extract) if extract.engine == "duckdb" else []
    if len(groups) <= 1:
        return [build(f, p)]
    return [build(_in(f, codes), _in(p, codes)) for codes in groups]


Result: TypeAlias = ir.Table | Sequence[ir.Table] | pd.DataFrame


def _parts(result: ir.Table | Sequence[ir.Table]) -> list[ir.Table]:
    return [result] if isinstance(result, ir.Table) else list(result)


def write_result(
    extract: Extract,
    result: Result,
    out_dir: Path,
    job: str,
    *,
    finish: Finish | None = None,
    schema: pa.Schema | None = None,
) -> Path:
    """Write ``result`` (an expression over the extract, expressions of distinct provinces
    written one after another, `by_province`, or a frame computed on the driver) with a
    ``provinsi`` column to ``<out_dir>/<job>/provinsi=<PP>/part-*.parquet`` and return that
    folder. ``finish``: a Python step applied to the rows in batches (Spark: per partition, on the
    executors) whose output has the columns of ``schema``, ``provinsi`` among them; a frame is
    written with ``schema`` when given."""
    with _result_folder(out_dir, job) as tmp:
        if isinstance(result, pd.DataFrame):
            # Computed on the driver already (a few rows per area): written as it is, by Arrow,
            # so that both engines write the same values (NaN is NULL).
            frame = finish(result) if finish is not None else result
            _write_batches(pa.Table.from_pandas(frame, schema, preserve_index=False), tmp)
        elif extract.engine == "duckdb":
            parts = _parts(result)
            for done, part in enumerate(parts, 1):
                _write_duckdb(extract, part, tmp, finish, schema)
                extract.advance(WAVES, done, len(parts))
        else:
            parts = _parts(result)
            _write_spark(
                extract, ibis.union(*parts) if len(parts) > 1 else parts[0], tmp, finish, schema
            )
    return out_dir / job


@contextmanager
def _result_folder(out_dir: Path, job: str) -> Iterator[Path]:
    """A new folder to write ``<out_dir>/<job>`` into, put in the old one's place when the
    writing ends without an error (`_replace`) and removed when it fails."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".{job}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        yield tmp
        tmp.mkdir(exist_ok=True)  # a result of no rows is an empty folder
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _replace(tmp, out_dir / job)


def _finished_batches(
    batches: Iterator[pa.RecordBatch], finish: Finish, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        frame = finish(batch.to_pandas())
        yield from pa.Table.from_pandas(frame, schema=schema, preserve_index=False).to_batches()


def _write_batches(data: pa.Table | pa.RecordBatchReader, tmp: Path) -> None:
    """``data`` written into the result folder ``tmp``, a folder per province, in its order
    (Arrow writes a large table's batches on several threads, in any order, unless told)."""
    ds.write_dataset(
        data,
        tmp,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([pa.field(RESULT_PARTITION, pa.string())]), flavor="hive"
        ),
        basename_template="part-{i}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        preserve_order=True,
    )


def _write_duckdb(
    extract: Extract, result: ir.Table, tmp: Path, finish: Finish | None, schema: pa.Schema | None
) -> None:
    con = extract.con
    sql = str(ibis.to_sql(result, dialect="duckdb"))
    if finish is not None:
        if schema is None:
            raise ValueError("finish needs the schema of its output")
        # DuckDB's own streaming reader (Ibis 12's batches call an API DuckDB 2 dropped).
        reader = con.con.sql(sql).to_arrow_reader(FINISH_BATCH_ROWS)
        _write_batches(
            pa.RecordBatchReader.from_batches(schema, _finished_batches(reader, finish, schema)),
            tmp,
        )
        return
    target = str(tmp).replace("'", "''")
    con.raw_sql(
        f"COPY ({sql}) TO '{target}' (FORMAT parquet, PARTITION_BY ({RESULT_PARTITION}), "
        "FILENAME_PATTERN 'part-{i}', OVERWRITE_OR_IGNORE true)"
    )


def _write_spark(
    extract: Extract, result: ir.Table, tmp: Path, finish: Finish | None, schema: pa.Schema | None
) -> None:
    from pyspark.sql.pandas.types import from_arrow_schema

    df = extract.spark.sql(extract.con.compile(result))
    if finish is not None:
        if schema is None:
            raise ValueError("finish needs the schema of its output")
        step = finish

        def run(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for frame in frames:
                yield step(frame)

        df = df.mapInPandas(run, from_arrow_schema(schema))
    df.write.mode("overwrite").partitionBy(RESULT_PARTITION).parquet(str(tmp))


def read_result(
    out_dir: Path,
    job: str,
    columns: Sequence[str] | None = None,
    where: pc.Expression | None = None,
) -> pd.DataFrame:
    """A written result as one frame (``provinsi`` as text), for summaries and tests: only
    ``columns`` (all when None) of the rows matching ``where`` (an Arrow dataset filter, e.g.
    ``pc.field("terpilih") == 1``), read from the files without loading the rest."""
    folder = out_dir / job
    files = sorted(folder.rglob("*.parquet"))
    if not files:
        return pd.DataFrame(columns=list(columns or []))
    dataset = ds.dataset(
        folder,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([pa.field(RESULT_PARTITION, pa.string())]), flavor="hive"
        ),
    )
    cols = list(columns) if columns is not None else None
    return dataset.to_table(columns=cols, filter=where).to_pandas()


def result_table(extract: Extract, out_dir: Path, job: str, schema: pa.Schema) -> ir.Table:
    """A result written by this run (``<out_dir>/<job>``, columns ``schema``) as a table of the
    extract's engine, for a later job of the same run to read instead of computing it again
    (`sinergi.batch.monitor`); no rows when the result has none."""
    view = f"sinergi_{uuid.uuid4().hex[:8]}_{job}"
    if extract.engine == "duckdb":
        extract.results[view] = (out_dir / job, schema)
        return _duckdb_view(extract.con, view, out_dir / job, schema, (RESULT_PARTITION,))
    _spark_view(extract.spark, view, out_dir / job, schema)
    extract.views.append(view)
    return extract.con.table(view)


def result_rows(out_dir: Path, job: str) -> int:
    """How many rows a written result holds, from the Parquet footers (nothing is loaded: a
    national result has a hundred million rows)."""
    folder = out_dir / job
    if not _has_files(folder):
        return 0
    return int(ds.dataset(folder, format="parquet").count_rows())


def fetch(extract: Extract, expr: ir.Table) -> pd.DataFrame:
    """A (small) expression's rows as a frame, computed by the extract's engine."""
    if extract.engine == "duckdb":
        return _duckdb_rows(extract, str(ibis.to_sql(expr, dialect="duckdb")))
    return extract.spark.sql(extract.con.compile(expr)).toPandas()


def _duckdb_rows(extract: Extract, sql: str) -> pd.DataFrame:
    """The rows of a DuckDB query, fetched as Arrow, as a frame."""
    return _duckdb_arrow(extract, sql).to_pandas()


def _duckdb_arrow(extract: Extract, sql: str) -> pa.Table:
    """The rows of a DuckDB query as Arrow."""
    return extract.con.con.sql(sql).to_arrow_table()


def _step_rows(extract: Extract, sql: str, arrow: bool) -> Rows:
    """A query's rows for a step of `per_province`: a frame, or Arrow with ``arrow``."""
    return _duckdb_arrow(extract, sql) if arrow else _duckdb_rows(extract, sql)


def _read_ahead(read: Callable[[str], T], keys: Sequence[str]) -> Iterator[T]:
    """``read(key)`` for each key in turn, the next one read in a thread while the caller works
    on this one (DuckDB reads on its own threads, without the GIL; the connection serves one of
    them at a time). Two keys' reads are held at most."""
    with ThreadPoolExecutor(max_workers=1) as reader:
        pending = None
        for key in keys:
            following = reader.submit(read, key)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


Only: TypeAlias = Callable[[ir.Table], ir.Table]
T = TypeVar("T")


def write_per_province(
    extract: Extract,
    build: Callable[[Only], tuple[ir.Table, ir.Table]],
    step: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    schema: pa.Schema,
    out_dir: Path,
    job: str,
    workers: int = 1,
    arrow: bool = False,
) -> Path:
    """`per_province`'s output written as the result ``<out_dir>/<job>`` (as `write_result`)
    and that folder returned (``arrow`` as there). On DuckDB each province's rows are written
    as soon as they are stepped, by the process that stepped them: nothing of the nation is
    gathered in one frame (95 M families: 12.8 M rows of ``batch missed``)."""
    with _result_folder(out_dir, job) as tmp:
        per_province(extract, build, step, schema, workers, into=tmp, arrow=arrow)
    return out_dir / job


def per_province(
    extract: Extract,
    build: Callable[[Only], tuple[ir.Table, ir.Table]],
    step: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    schema: pa.Schema,
    workers: int = 1,
    into: Path | None = None,
    arrow: bool = False,
) -> pd.DataFrame:
    """``step`` (a Python function of two frames) applied to the rows of one province at a time
    of the two expressions ``build(only)`` returns (both with ``provinsi``), its outputs (columns
    ``schema``) joined in the provinces' order. ``build`` passes every table it reads through
    ``only`` before its joins: on DuckDB ``only`` keeps one province's rows, so that each
    province reads its own partitions (a family's members are partitioned with it). On DuckDB
    the provinces' rows are fetched as Arrow in turn, the next while ``step`` works on this one;
    with ``workers`` > 1 (expressions over the extract's own tables only, and a picklable
    ``step``), that many processes each read and step whole provinces, the largest first, each
    with its share of the memory limit and of the cores (`_province_pool`). On Spark ``only``
    keeps every row, the two results are co-grouped by province and ``step`` runs on the
    executors (``applyInPandas``). A province the first has no rows of is left out. With
    ``into`` (`write_per_province`) the outputs are written there, a folder per province
    (`_write_batches`), and the frame returned is empty. With ``arrow`` the step is given
    DuckDB's rows as Arrow tables, to convert them itself (Spark still gives it frames)."""
    if extract.engine == "duckdb":
        families = {p: n for p, n in province_families(extract) if p is not None}
        provinces = list(families)

        own = {id(table): name for name, table in extract.tables.items()}

        def source(table: ir.Table) -> str | None:
            """The view name of an extract table or of a result this run wrote (read a
            province at a time, `_province_view_sql`); None for anything else."""
            name = own.get(id(table))
            op = table.op()
            if name is None and isinstance(op, ops.DatabaseTable) and op.name in extract.results:
                name = op.name
            return name

        def exprs(p: str) -> tuple[ir.Table, ir.Table]:
            """``build`` for province ``p``: an extract table read from the province's own
            files (`_province_view_sql`), anything else filtered."""

            def only(table: ir.Table) -> ir.Table:
                name = source(table)
                if name is None:
                    return table.filter(table[RESULT_PARTITION] == p)
                view, create = _province_view_sql(extract, name, p)
                extract.con.raw_sql(create)
                return extract.con.table(view)

            return build(only)

        if workers > 1 and provinces:
            # The two queries are planned once, over views of "the province" (one view per
            # extract table read, named after the table); each province's step first points
            # them at its own files (planning and compiling the expressions took about a second
            # per province, in this process, while the workers waited).
            read: dict[str, str] = {}

            def current(table: ir.Table) -> ir.Table:
                name = source(table)
                if name is None:
                    raise ValueError(
                        "a step in worker processes reads the extract's tables and the run's "
                        "results only"
                    )
                view = f"{name}__{RESULT_PARTITION}"
                if name not in read:
                    read[name] = view
                    extract.con.raw_sql(_province_view_sql(extract, name, provinces[0], view)[1])
                return extract.con.table(view)

            left, right = build(current)
            left_sql = str(ibis.to_sql(left, dialect="duckdb"))
            right_sql = str(ibis.to_sql(right, dialect="duckdb"))

            def sql(p: str) -> tuple[list[str], str, str]:
                views = [_province_view_sql(extract, n, p, v)[1] for n, v in read.items()]
                return views, left_sql, right_sql

            done = _province_pool(extract, families, sql, step, schema, workers, into, arrow)
            parts = [part for p in provinces if (part := done.get(p)) is not None]
        else:

            def rows_of(p: str) -> tuple[Rows, Rows]:
                left, right = (str(ibis.to_sql(e, dialect="duckdb")) for e in exprs(p))
                return _step_rows(extract, left, arrow), _step_rows(extract, right, arrow)

            parts = []
            for stepped, (a, b) in enumerate(_read_ahead(rows_of, provinces), 1):
                if len(a):
                    parts.append(_kept(step(a, b), schema, into))
                extract.advance(RESULT_PARTITION, stepped, len(provinces))
        return _joined(parts, schema)
    from pyspark.sql.pandas.types import from_arrow_schema

    spark, con = extract.spark, extract.con
    left, right = build(lambda table: table)
    left_df = spark.sql(con.compile(left)).groupBy(RESULT_PARTITION)
    right_rows = spark.sql(con.compile(right))
    # Columns of their own: the two may read the same table (a result this run wrote), whose
    # columns Spark would otherwise find on both sides of the co-group and call ambiguous.
    right_rows = right_rows.select(*(right_rows[c].alias(c) for c in right_rows.columns))
    right_df = right_rows.groupBy(RESULT_PARTITION)

    def apply(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
        if a.empty:
            return schema.empty_table().to_pandas()
        return step(a, b)

    out = left_df.cogroup(right_df).applyInPandas(apply, from_arrow_schema(schema))
    return _joined([_kept(out.toPandas(), schema, into)], schema)


def _kept(frame: pd.DataFrame, schema: pa.Schema, into: Path | None) -> pd.DataFrame:
    """A step's output as `per_province` keeps it: itself, or written into ``into`` (Arrow, so
    that both engines write the same values) and nothing kept."""
    if into is None or not len(frame):
        return frame
    _write_batches(pa.Table.from_pandas(frame, schema, preserve_index=False), into)
    return frame.iloc[:0]


def _joined(parts: list[pd.DataFrame], schema: pa.Schema) -> pd.DataFrame:
    parts = [part for part in parts if len(part)]
    if not parts:
        return schema.empty_table().to_pandas()
    return pd.concat(parts, ignore_index=True)


def step_workers() -> int:
    """Processes for a per-province Python step on DuckDB (`per_province`): one per core, at most
    four (each holds a whole province's frames at once: Jawa Barat's 17 M families take
    gigabytes)."""
    return max(1, min(os.cpu_count() or 1, 4))


# glibc's malloc in the `_province_pool` processes: every array from the heap, none from a
# mapping of its own, and freed memory kept there for the next array (given back once a
# province is done, `_give_back_memory`). A province's step allocates and frees columns of
# millions of rows one after another; each fresh mapping's pages are faulted in one by one,
# which cost Jawa Barat's step at 95 M families 17-29 s of system time against 9-10 s so
# (57-66 s against 47-49 s in all; benchmarks/national_bench.py). Read when a process starts.
WORKER_MALLOC = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(2**40)}


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """``values`` in the environment of the processes started meanwhile; a variable already
    set is left as it is (an operator's own tuning wins)."""
    added = {k: v for k, v in values.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def _give_back_memory() -> None:
    """The freed heap returned to the system (glibc's ``malloc_trim``; nothing where the C
    library has none), so that a worker holds only what its next province needs."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, looked up once per process (None without glibc)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


# The extract a `_province_pool` worker process opened (`_open_worker`).
_WORKER_EXTRACT: Extract | None = None


def _province_pool(
    extract: Extract,
    families: dict[str, int],
    sql: Callable[[str], tuple[list[str], str, str]],
    step: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    schema: pa.Schema,
    workers: int,
    into: Path | None = None,
    arrow: bool = False,
) -> dict[str, pd.DataFrame | None]:
    """Each province's two queries (``sql``: the views they read beyond the extract's own, and
    DuckDB SQL over them, planned here) read and stepped in up to ``workers`` new processes;
    their results by province (with ``into``, written there by the worker, `_write_batches`,
    and None). The largest province waiting starts first, as long as the
    families in flight stay within what the memory limit holds (`Extract.wave_families`, as for
    the assessment's waves): a larger province runs alone, and then has every core and the whole
    memory limit (``alone``)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    workers = max(1, min(workers, len(families)))
    share = max(1, _bytes(extract.memory_limit) // workers // 2**20)
    threads = max(1, (os.cpu_count() or 1) // workers)
    how = (extract.folder, f"{share}MB", threads, extract.temp_dir)
    # What a province that runs alone may use: nothing else starts beside it.
    alone = (extract.memory_limit, os.cpu_count() or 1)
    waiting = sorted(families, key=lambda p: (-families[p], p))
    running: dict[Future[pa.Table | None], str] = {}
    done: dict[str, pd.DataFrame | None] = {}
    # The workers start fresh interpreters (spawn: DuckDB's threads do not survive a fork), which
    # import the caller's main module: a script must guard its work by ``__name__``.
    pool_of = ProcessPoolExecutor(
        workers, multiprocessing.get_context("spawn"), initializer=_open_worker, initargs=how
    )
    # (Processes are started as provinces are submitted: the environment holds until the end.)
    with _environment(WORKER_MALLOC), pool_of as pool:
        while waiting or running:
            held = sum(families[p] for p in running.values())
            for p in list(waiting):
                if len(running) >= workers:
                    break
                if running and held + families[p] > extract.wave_families:
                    continue
                whole = alone if families[p] >= extract.wave_families else None
                job = pool.submit(_step_province, sql(p), step, schema, whole, into, arrow)
                running[job] = p
                held += families[p]
                waiting.remove(p)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for job in finished:
                rows = job.result()
                done[running.pop(job)] = None if rows is None else rows.to_pandas()
                extract.advance(RESULT_PARTITION, len(done), len(families))
    return done


# The memory limit and threads a `_province_pool` worker process opened its extract with.
_WORKER_SHARE: tuple[str, int] | None = None


def _open_worker(folder: Path, memory_limit: str, threads: int, temp_dir: Path | None) -> None:
    """A `_province_pool` process: the extract opened on DuckDB once, spilling to a folder of
    its own inside the job's."""
    global _WORKER_EXTRACT, _WORKER_SHARE
    _WORKER_SHARE = (memory_limit, threads)
    spill = None
    if temp_dir is not None:
        spill = temp_dir / f"proses-{os.getpid()}"
        spill.mkdir(mode=0o700, exist_ok=True)
    _WORKER_EXTRACT = _open_duckdb(folder, memory_limit, threads, spill)


def _step_province(
    queries: tuple[list[str], str, str],
    step: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    schema: pa.Schema,
    alone: tuple[str, int] | None = None,
    into: Path | None = None,
    arrow: bool = False,
) -> pa.Table | None:
    """One province in a worker: its two queries' rows, stepped; Arrow back to the parent (no
    Python objects pickled row by row), or written into ``into`` and None. None when the first
    query has no rows. ``alone``: the memory limit and threads of a province no other runs
    beside (the worker's share when None)."""
    assert _WORKER_EXTRACT is not None and _WORKER_SHARE is not None
    memory, threads = alone or _WORKER_SHARE
    views, *selects = queries
    settings = f"SET memory_limit = '{memory}'; SET threads = {threads}"
    _WORKER_EXTRACT.con.raw_sql("; ".join([settings, *views]))
    try:
        left, right = (_step_rows(_WORKER_EXTRACT, q, arrow) for q in selects)
        if not len(left):
            return None
        rows = pa.Table.from_pandas(step(left, right), schema=schema, preserve_index=False)
        if into is None:
            return rows
        if rows.num_rows:
            _write_batches(rows, into)
        return None
    finally:
        _give_back_memory()


def materialize(extract: Extract, expr: ir.Table | Sequence[ir.Table], name: str) -> ir.Table:
    """``expr`` (or the rows of several, `by_province`) computed once and kept for the job's
    several reads of it (Spark would otherwise recompute the whole plan for each): a DuckDB
    temporary table (spilled to the temporary directory beyond the memory limit), a persisted
    Spark view (memory, then disk)."""
    view = f"sinergi_{uuid.uuid4().hex[:8]}_{name}"
    parts = _parts(expr)
    if extract.engine == "duckdb":
        kept = extract.con.create_table(view, parts[0], temp=True)
        for part in parts[1:]:
            extract.con.raw_sql(f'INSERT INTO "{view}" {ibis.to_sql(part, dialect="duckdb")}')
        return kept
    from pyspark import StorageLevel

    whole = ibis.union(*parts) if len(parts) > 1 else parts[0]
    df = extract.spark.sql(extract.con.compile(whole)).persist(StorageLevel.MEMORY_AND_DISK)
    df.createOrReplaceTempView(view)
    extract.views.append(view)
    return extract.con.table(view)
