"""Batch evaluation on DuckDB over Parquet: the same compiled rule set, away from the app database.

The registry tables are written to Parquet (or Parquet files of the same columns are given, e.g.
a national extract) and DuckDB evaluates the Ibis expression the app database would.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pandas as pd
from sqlalchemy import Engine, select

from sinergi.assess.run import evaluate_families
from sinergi.rules import RuleSet
from sinergi.rules.compile import FAMILY_COLUMNS, PERSON_COLUMNS
from sinergi.store.tables import families, persons


def export_parquet(engine: Engine, folder: Path) -> tuple[Path, Path]:
    """Write the columns the rules read from the registry to families/persons Parquet files."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for table, cols in ((families, FAMILY_COLUMNS), (persons, PERSON_COLUMNS)):
        with engine.connect() as conn:
            frame = pd.DataFrame(
                conn.execute(select(*(table.c[c] for c in cols))).all(), columns=list(cols)
            )
        if "tanggal_lahir" in frame:
            frame["tanggal_lahir"] = pd.to_datetime(frame["tanggal_lahir"]).dt.date
        for col in ("rumah_layak", "hamil"):
            if col in frame:
                frame[col] = frame[col].astype("boolean")
        for col in ("desil", "pengeluaran_per_kapita"):
            if col in frame:
                frame[col] = frame[col].astype("Int64")
        path = folder / f"{table.name}.parquet"
        frame.to_parquet(path, index=False)
        out.append(path)
    return out[0], out[1]


def evaluate_parquet(
    families_path: Path, persons_path: Path, rs: RuleSet, ref: date, threads: int | None = None
) -> pd.DataFrame:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    con.read_parquet(families_path, table_name="families")
    con.read_parquet(persons_path, table_name="persons")
    return evaluate_families(con, rs, ref)


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
    expr = compile_assessment(fam, per, rs, ref)
    con.to_parquet(expr, out)
    result = con.read_parquet(out, table_name="result")
    counts = result.aggregate(
        families=result.count(),
        target=result.sasaran_any.sum(),
        krs=result.krs.sum(),
        miskin_ekstrem=result.miskin_ekstrem.sum(),
    ).execute()
    return {k: int(v) for k, v in counts.iloc[0].items()}
