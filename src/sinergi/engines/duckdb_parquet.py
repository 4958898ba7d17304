"""Batch evaluation on DuckDB over Parquet: the same compiled rule set, away from the app database.

The registry tables are written to Parquet (or Parquet files of the same columns are given, e.g.
a national extract) and DuckDB evaluates the Ibis expression the app database would. Dated
pregnancies are read from ``pregnancies.parquet`` beside the persons file; without it there are
none.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine, select

from sinergi.assess.run import evaluate_families
from sinergi.rules import RuleSet
from sinergi.rules.compile import FAMILY_COLUMNS, PERSON_COLUMNS, PREGNANCY_COLUMNS
from sinergi.store.tables import families, persons, pregnancies

PREGNANCIES_FILE = "pregnancies.parquet"


def export_parquet(engine: Engine, folder: Path) -> tuple[Path, Path]:
    """Write the columns the rules read from the registry to families/persons Parquet files (and
    the dated pregnancies to ``pregnancies.parquet`` beside them); returns the first two paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for table, cols in (
        (families, FAMILY_COLUMNS),
        (persons, PERSON_COLUMNS),
        (pregnancies, PREGNANCY_COLUMNS),
    ):
        with engine.connect() as conn:
            frame = pd.DataFrame(
                conn.execute(select(*(table.c[c] for c in cols))).all(), columns=list(cols)
            )
        path = folder / f"{table.name}.parquet"
        if table is pregnancies and frame.empty:
            path.unlink(missing_ok=True)  # none: a file left from an earlier export must go
            continue
        types = {}
        for col in ("tanggal_lahir", "tanggal_data", "hpht", "taksiran_persalinan"):
            if col in frame:
                frame[col] = [d if isinstance(d, date) else None for d in frame[col]]
                types[col] = pa.date32()  # typed even when every value is missing
        if "ingin_anak" in frame:
            types["ingin_anak"] = pa.string()
        for col in ("rumah_layak", "hamil"):
            if col in frame:
                frame[col] = frame[col].astype("boolean")
        for col in ("desil", "pengeluaran_per_kapita"):
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        schema = pa.Schema.from_pandas(frame, preserve_index=False)
        for col, kind in types.items():
            schema = schema.set(schema.get_field_index(col), pa.field(col, kind))
        frame.to_parquet(path, index=False, schema=schema)
        out.append(path)
    return out[0], out[1]


def evaluate_parquet(
    families_path: Path, persons_path: Path, rs: RuleSet, ref: date, threads: int | None = None
) -> pd.DataFrame:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    con.read_parquet(families_path, table_name="families")
    con.read_parquet(persons_path, table_name="persons")
    dated = _pregnancies_beside(persons_path)
    if dated is not None:
        con.read_parquet(dated, table_name="pregnancies")
    return evaluate_families(
        con,
        rs,
        ref,
        pregnancies_name=None if dated is None else "pregnancies",
        integer_keys=True,
    )


def _pregnancies_beside(persons_path: Path) -> Path | None:
    path = persons_path.parent / PREGNANCIES_FILE
    return path if path.exists() else None


def assess_parquet_to_parquet(
    families_path: Path,
    persons_path: Path,
    rs: RuleSet,
    ref: date,
    out: Path,
    memory_limit: str = "3GB",
    threads: int = 2,
    temp_dir: Path | None = None,
) -> dict[str, int]:
    """National-scale run: DuckDB streams the classification to Parquet (one row per family,
    boolean sasaran/factor columns) within a memory cap, spilling to disk when it must, and
    returns the headline counts."""
    from sinergi.rules.compile import compile_assessment

    con = ibis.duckdb.connect(
        threads=threads,
        memory_limit=memory_limit,
        temp_directory=str(temp_dir or out.parent / "duckdb_tmp"),
        preserve_insertion_order=False,
    )
    con.raw_sql("SET enable_progress_bar = false")
    fam = con.read_parquet(families_path, table_name="families")
    per = con.read_parquet(persons_path, table_name="persons")
    dated = _pregnancies_beside(persons_path)
    preg = con.read_parquet(dated, table_name="pregnancies") if dated is not None else None
    expr = compile_assessment(fam, per, rs, ref, pregnancies=preg)
    con.to_parquet(expr, out)
    result = con.read_parquet(out, table_name="result")
    counts = result.aggregate(
        families=result.count(),
        target=result.sasaran_any.sum(),
        krs=result.krs.sum(),
        miskin_ekstrem=result.miskin_ekstrem.sum(),
    ).execute()
    return {k: int(v) for k, v in counts.iloc[0].items()}
