"""The registry of one Sinergi database as the national Parquet layout (`sinergi.store.parquet_layout`):
``sinergi export parquet``, the input of every batch job.

Every table of `TABLES` is written with exactly the columns and types of `TABLE_SCHEMAS`,
Hive-partitioned by the province and regency of the row's village. The rows are the registry's
current rows as stored: merged P3KE families (``digabung_ke``), families moved away (``keluar``)
and deceased members (``meninggal``) stay in, since the batch jobs leave them out the way the app
does and a copy that dropped them here would be a second rule.

Why it reads the way it does:

- A table is read in chunks of about `CHUNK_ROWS` rows (persons counted as their families × 4),
  each a range of village codes inside one regency, so that memory holds a chunk or two whatever
  the registry's size and every row of a chunk falls in the same partition. The store's Arrow
  readers read the chunks (`sinergi.store.arrow.start_reads`: on a SQLite file a worker process
  moves whole columns in C, about five times faster than Python's row objects for the 430,000
  persons of a regency, and reads the next chunks while this process writes the current one;
  small chunks share a worker, whose start costs a few tenths of a second). ``village_facts`` (one row per village) is read
  here, since its JSON column must come as the stored text rather than as Python objects.
- A person has no village of their own and takes the village of their family; an intervention
  without a village takes its family's (by No KK, else by the member's NIK). An intervention for
  which neither is known is kept, in Hive's partition for a missing value
  (``__HIVE_DEFAULT_PARTITION__``), which DuckDB and Spark read as NULL.
- The extract is written to a folder beside ``out`` and swapped in when complete: a failed export
  leaves the previous extract as it was, a finished one leaves nothing of it.
- The whole registry is personal data for a whole area: only a user who may see every family
  (`sinergi.security.access.unrestricted`) may take it, and each export is recorded in the audit
  log (folder, rows per table) before it is swapped in, as `sinergi.reports.exports` records
  every exported table.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
from sqlalchemy import JSON, ColumnElement, Engine, Table, Text, cast, func, select

from sinergi.core.errors import CodedError
from sinergi.security.access import unrestricted
from sinergi.security.auth import User
from sinergi.store import audit
from sinergi.store.arrow import Reads, start_reads
from sinergi.store.parquet_layout import (
    PARTITIONS,
    SCHEMA_FILE,
    SCHEMA_NAME,
    TABLE_SCHEMAS,
    TABLES,
    owner_only,
    partition_of,
    write_manifest,
)
from sinergi.store.tables import families, interventions, persons

# Rows per chunk (and per read): ~60 MB of Arrow for persons; a regency's table is one chunk.
CHUNK_ROWS = 500_000
# Persons are chunked along their families' villages, counted in families: a KK holds about
# 3.6 members (PK 2021), so this many families' members stay near `CHUNK_ROWS`.
MEMBERS_PER_FAMILY = 4
# ``objek`` of the audit log's entry for an extract.
OBJECT = "registri_parquet"

PARTITION_SCHEMA = pa.schema([pa.field(p, pa.string()) for p in PARTITIONS])

# A progress report: (table, rows written, rows in the table).
Progress = Callable[[str, int, int], None]


class ExportError(CodedError):
    """An extract that is not written, as a catalogue message."""


@dataclass(frozen=True)
class Extract:
    """A written extract: its folder, the rows of each table, when it was written."""

    folder: Path
    rows: dict[str, int]
    written: datetime


@dataclass(frozen=True)
class _Chunk:
    """Rows of a table whose village lies in ``low``..``high`` (one regency: ``partition``);
    ``partition`` None: the rows whose village is unknown."""

    partition: tuple[str, str] | None
    low: str | None
    high: str | None
    rows: int


def _family_village(no_kk: ColumnElement[str]) -> ColumnElement[str]:
    return select(families.c.kode_desa).where(families.c.no_kk == no_kk).scalar_subquery()


def village(table: Table) -> ColumnElement[str]:
    """The village that decides a row's partition: its own, a person's family's, and for an
    intervention without one its family's (by No KK, else by the member's NIK)."""
    if table is persons:
        return _family_village(persons.c.no_kk)
    if table is interventions:
        member_kk = (
            select(persons.c.no_kk)
            .where(persons.c.nik == interventions.c.nik)
            .correlate(interventions)
            .scalar_subquery()
        )
        return func.coalesce(
            interventions.c.kode_desa,
            _family_village(interventions.c.no_kk),
            select(families.c.kode_desa)
            .where(families.c.no_kk == member_kk)
            .correlate(interventions)
            .scalar_subquery(),
        )
    return table.c.kode_desa  # type: ignore[no-any-return]


def plan(counts: Sequence[tuple[str | None, int]], limit: int) -> list[_Chunk]:
    """Chunks over ``(village, rows)`` sorted by village: consecutive villages of one regency
    while their rows stay within ``limit`` (a village is never split); rows without a village
    are a chunk of their own."""
    chunks: list[_Chunk] = []
    for code, n in counts:
        if code is None:
            chunks.append(_Chunk(None, None, None, n))
            continue
        part = partition_of(code)
        last = chunks[-1] if chunks else None
        if last is not None and last.partition == part and last.rows + n <= limit:
            chunks[-1] = replace(last, high=code, rows=last.rows + n)
        else:
            chunks.append(_Chunk(part, code, code, n))
    return chunks


def _village_counts(engine: Engine, table: Table) -> list[tuple[str | None, int]]:
    rows = select(village(table).label("desa")).subquery()
    query = select(rows.c.desa, func.count()).group_by(rows.c.desa)
    with engine.connect() as conn:
        found = [(code, int(n)) for code, n in conn.execute(query)]
    # Sorted here, the unknown village first: the databases place NULL differently.
    return sorted(found, key=lambda item: (item[0] is not None, item[0] or ""))


def _chunks(engine: Engine, table: Table) -> tuple[list[_Chunk], int]:
    """The chunks of ``table`` and its row count."""
    if table is persons:
        members = [(code, n * MEMBERS_PER_FAMILY) for code, n in _village_counts(engine, families)]
        with engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(persons)).scalar_one())
        return plan(members, CHUNK_ROWS), total
    chunks = plan(_village_counts(engine, table), CHUNK_ROWS)
    return chunks, sum(c.rows for c in chunks)


def _where(table: Table, chunk: _Chunk, alone: bool) -> ColumnElement[bool] | None:
    """The rows of ``chunk``; none needed when it is the table's only chunk (every row in it)."""
    if alone and chunk.partition is not None:
        return None
    v = village(table)
    if chunk.partition is None:
        return v.is_(None)
    return v.between(chunk.low, chunk.high)


def _has_json(table: Table) -> bool:
    return any(isinstance(c.type, JSON) for c in table.columns)


def _read_with_json(engine: Engine, table: Table, where: ColumnElement[bool] | None) -> pa.Table:
    """A small table holding a JSON column, its JSON as the stored text."""
    schema = TABLE_SCHEMAS[table.name]
    columns = [
        cast(table.c[f.name], Text).label(f.name)
        if isinstance(table.c[f.name].type, JSON)
        else table.c[f.name]
        for f in schema
    ]
    query = select(*columns) if where is None else select(*columns).where(where)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    values = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table(
        [pa.array(list(v), type=f.type) for v, f in zip(values, schema, strict=True)],
        schema=schema,
    )


@dataclass(frozen=True)
class _Part:
    """One read: a chunk of a table."""

    table: Table
    chunk: _Chunk
    where: ColumnElement[bool] | None


class _ReadAhead:
    """Reads the parts in order, consecutive parts together while their rows stay within
    `CHUNK_ROWS` (on a SQLite file one worker process per group: a regency's small tables cost
    one process start, not one each), and starts the next group when one is taken, so that it
    is read while this one is written."""

    def __init__(self, engine: Engine, parts: Sequence[_Part]) -> None:
        self.engine = engine
        self.parts = parts
        self.groups: list[list[int]] = []
        rows = 0
        for i, part in enumerate(parts):
            # A table with a JSON column is read here, not by a worker: a group of its own.
            alone = _has_json(part.table) or (i > 0 and _has_json(parts[i - 1].table))
            if self.groups and not alone and rows + part.chunk.rows <= CHUNK_ROWS:
                self.groups[-1].append(i)
                rows += part.chunk.rows
            else:
                self.groups.append([i])
                rows = part.chunk.rows
        self.group_of = {i: g for g, members in enumerate(self.groups) for i in members}
        self.reading: dict[int, Reads] = {}
        self.ready: dict[int, pa.Table] = {}

    def _start(self, g: int) -> None:
        if g >= len(self.groups) or g in self.reading:
            return
        parts = [self.parts[i] for i in self.groups[g]]
        if not _has_json(parts[0].table):
            specs = [(p.table, TABLE_SCHEMAS[p.table.name].names, p.where) for p in parts]
            self.reading[g] = start_reads(self.engine, specs)

    def take(self, i: int) -> pa.Table:
        """Part ``i``'s rows (each part is taken once)."""
        if i not in self.ready:
            g = self.group_of[i]
            self._start(g)
            members = self.groups[g]
            reads = self.reading.pop(g, None)
            if reads is None:
                found = [
                    _read_with_json(self.engine, self.parts[m].table, self.parts[m].where)
                    for m in members
                ]
            else:
                found = reads.result()
            self.ready.update(zip(members, found, strict=True))
            self._start(g + 1)
        return self.ready.pop(i)

    def close(self) -> None:
        """Wait for reads still under way (after a failed write), so no worker outlives us."""
        for reads in self.reading.values():
            reads.result()
        self.reading.clear()


def _partitioned(data: pa.Table, schema: pa.Schema, chunk: _Chunk) -> pa.Table:
    """``data`` typed as the extract declares, with its partition's columns."""
    data = data.cast(schema)
    n = len(data)
    for name, value in zip(PARTITIONS, chunk.partition or (None, None), strict=True):
        data = data.append_column(name, pa.repeat(pa.scalar(value, pa.string()), n))
    return data


def _write_table(
    reader: _ReadAhead,
    parts: list[int],
    table: Table,
    total: int,
    folder: Path,
    progress: Progress | None,
) -> int:
    """Write ``table``'s parts (indices into ``reader``) under ``folder``; returns its rows."""
    schema = TABLE_SCHEMAS[table.name]
    out = folder / table.name
    out.mkdir(parents=True)  # an empty table keeps its folder (`sinergi.store.parquet_layout`)
    written = 0
    if progress is not None:
        progress(table.name, 0, total)

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal written
        for i in parts:
            data = _partitioned(reader.take(i), schema, reader.parts[i].chunk)
            yield from data.to_batches()
            written += len(data)
            if progress is not None:
                progress(table.name, written, total)

    if parts:
        ds.write_dataset(
            batches(),
            out,
            schema=pa.unify_schemas([schema, PARTITION_SCHEMA]),
            format="parquet",
            partitioning=ds.partitioning(PARTITION_SCHEMA, flavor="hive"),
            basename_template="part-{i}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )
    return written


def _write_tables(engine: Engine, folder: Path, progress: Progress | None) -> dict[str, int]:
    """Write every table of `TABLES` under ``folder``; returns the rows of each."""
    planned = {name: _chunks(engine, table) for name, table in TABLES.items()}
    parts: list[_Part] = []
    of_table: dict[str, list[int]] = {}
    for name, (chunks, _) in planned.items():
        table = TABLES[name]
        of_table[name] = list(range(len(parts), len(parts) + len(chunks)))
        parts += [_Part(table, c, _where(table, c, len(chunks) == 1)) for c in chunks]
    reader = _ReadAhead(engine, parts)
    try:
        return {
            name: _write_table(reader, of_table[name], TABLES[name], total, folder, progress)
            for name, (_, total) in planned.items()
        }
    finally:
        reader.close()


def _is_extract(folder: Path) -> bool:
    """Whether ``folder`` holds a registry extract (of any version) that may be replaced."""
    try:
        manifest = json.loads((folder / SCHEMA_FILE).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("schema") == SCHEMA_NAME


def _check_target(out: Path) -> None:
    """Refuse to replace anything but an empty folder or an earlier extract: the swap deletes
    what was there."""
    if not out.exists():
        return
    if out.is_dir() and (not any(out.iterdir()) or _is_extract(out)):
        return
    raise ExportError("parquet_bukan_ekstrak", path=out)


def _swap(staged: Path, out: Path) -> None:
    """Put the finished extract at ``out`` in place of the previous one, if any (its owner's
    only: `owner_only`)."""
    owner_only(staged)
    old = out.with_name(f".{out.name}.lama-{uuid.uuid4().hex[:8]}")
    if out.exists():
        out.rename(old)
    try:
        staged.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def export_registry(
    engine: Engine,
    out: Path,
    user: User,
    progress: Progress | None = None,
    via: str = "cli",
) -> Extract:
    """Write the registry of ``engine`` as an extract at ``out`` for ``user`` (replacing an
    earlier extract there), record it in the audit log, and return what was written.

    Raises `ExportError` when ``user`` may not take the whole registry, when ``out`` holds
    something other than an extract, or when the registry holds no family (an empty extract
    would replace a good one, e.g. after a mistyped ``--db``)."""
    if not unrestricted(user):
        raise ExportError("parquet_tidak_boleh", user=user.username, role=user.role)
    out = out.resolve()
    _check_target(out)
    with engine.connect() as conn:
        if conn.execute(select(families.c.no_kk).limit(1)).first() is None:
            raise ExportError("parquet_registri_kosong")
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(f".{out.name}.ditulis-{uuid.uuid4().hex[:8]}")
    try:
        rows = _write_tables(engine, staged, progress)
        written = datetime.now(UTC)
        write_manifest(staged, sumber=engine.dialect.name, ditulis=written.isoformat(), baris=rows)
        audit.record_now(
            engine,
            user.username,
            audit.EXPORT,
            OBJECT,
            None,
            {"folder": str(out), "baris": rows, "via": via},
        )
        _swap(staged, out)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return Extract(out, rows, written)
