"""The national Parquet layout: the registry as files, the input of every batch job.

A registry extract is a folder::

    <DIR>/schema.json                                   {"schema": "sinergi-registry", "versi": 1, ...}
    <DIR>/<table>/provinsi=<PP>/kabupaten=<PP.KK>/part-<n>.parquet

one sub-folder per table of `TABLES` (``families``, ``persons``, ``measurements``,
``pregnancies``, ``interventions``, ``village_facts``), Hive-partitioned by province (``64``) and
regency (``64.08``) so that a job reads one province or the nation alike and a cluster splits the
work along the partitions. A row's province and regency are those of its village (``kode_desa``);
a person, who has no village of their own, takes the village of their family. An empty table has
its folder with no file (`TABLE_SCHEMAS` gives its columns).

The columns of each table are the registry's own (`sinergi.store.tables`), named and typed the
same, without the import provenance (``batch_id``, ``baris``, ``desil_batch_id``,
``desil_baris``): dates are Arrow ``date32``, text ``string``, whole numbers ``int64`` (``int32``
for ``Integer``/``SmallInteger``), measures ``double``, yes/no ``bool``. ``village_facts``'s JSON
``indikator_lain`` is its JSON text. Keys (``no_kk``, ``nik``, ``kode_desa``) stay text, as the
registry keeps them.

`SCHEMA_VERSION` rises whenever a column is added, removed, renamed or retyped; a job refuses an
extract of another version (`check_version`) rather than misreading it. docs/parquet.md is the
reference for officers and engineers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)

from sinergi.store.tables import (
    families,
    interventions,
    measurements,
    persons,
    pregnancies,
    village_facts,
)

SCHEMA_NAME = "sinergi-registry"
SCHEMA_VERSION = 1
SCHEMA_FILE = "schema.json"
# The Hive partition columns, outermost first: the province code and the regency code (dotted).
PARTITIONS = ("provinsi", "kabupaten")
# Import provenance: where a stored row came from in this office's files, meaningless elsewhere.
PROVENANCE = frozenset({"batch_id", "baris", "desil_batch_id", "desil_baris"})

# The registry tables an extract holds, in the order they are written.
TABLES: dict[str, Table] = {
    t.name: t for t in (families, persons, measurements, pregnancies, interventions, village_facts)
}


def _arrow_type(column_type: object) -> pa.DataType:
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Date):
        return pa.date32()
    if isinstance(column_type, DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(column_type, BigInteger):
        return pa.int64()
    if isinstance(column_type, Integer | SmallInteger):
        return pa.int32()
    if isinstance(column_type, Float):
        return pa.float64()
    if isinstance(column_type, String | Text | JSON):
        return pa.string()
    raise TypeError(f"no Parquet type for {column_type!r}")


def table_schema(table: Table) -> pa.Schema:
    """The Arrow schema of ``table``'s extract (without the partition columns)."""
    return pa.schema(
        [
            pa.field(c.name, _arrow_type(c.type), nullable=True)
            for c in table.columns
            if c.name not in PROVENANCE
        ]
    )


TABLE_SCHEMAS: dict[str, pa.Schema] = {name: table_schema(t) for name, t in TABLES.items()}


def partition_of(kode_desa: str) -> tuple[str, str]:
    """The (provinsi, kabupaten) partition of a village code: ``64.08.01.2001`` → ("64", "64.08")."""
    parts = kode_desa.split(".")
    return parts[0], ".".join(parts[:2])


def write_manifest(folder: Path, **about: object) -> Path:
    """Write ``schema.json`` (name, version, the tables' columns and types, and ``about``:
    the source, the reference date, the row counts)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "schema": SCHEMA_NAME,
        "versi": SCHEMA_VERSION,
        "partisi": list(PARTITIONS),
        "tabel": {
            name: {f.name: str(f.type) for f in schema} for name, schema in TABLE_SCHEMAS.items()
        },
        **about,
    }
    path = folder / SCHEMA_FILE
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


class SchemaMismatch(ValueError):
    """An extract of another layout or version than this release reads."""


def check_version(folder: Path) -> dict:  # type: ignore[type-arg]
    """The manifest of the extract at ``folder``; raises `SchemaMismatch` when it is missing or of
    another schema or version."""
    path = folder / SCHEMA_FILE
    if not path.exists():
        raise SchemaMismatch(f"{path}: missing; not a Sinergi registry extract")
    manifest = json.loads(path.read_text())
    if manifest.get("schema") != SCHEMA_NAME or manifest.get("versi") != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"{path}: {manifest.get('schema')} v{manifest.get('versi')}; "
            f"this release reads {SCHEMA_NAME} v{SCHEMA_VERSION}"
        )
    return manifest  # type: ignore[no-any-return]


def table_glob(folder: Path, table: str) -> str:
    """The glob that reads every partition of ``table`` (DuckDB ``read_parquet``, Spark)."""
    return str(folder / table / "**" / "*.parquet")


def owner_only(folder: Path) -> None:
    """Make ``folder`` and everything in it readable by its owner only (folders 0700, files
    0600): an extract and the batch results hold names and NIKs, and no Sinergi door stands
    between a file and whoever can read it (docs/operations.md)."""
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
