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
from sinergi.store.tables import families, persons

FAMILY_COLUMNS = ("no_kk", "kode_desa", "sumber_air", "jamban", "rumah_layak", "desil",
                  "pengeluaran_per_kapita")
PERSON_COLUMNS = ("nik", "no_kk", "jenis_kelamin", "tanggal_lahir", "hubungan", "status_kawin",
                  "hamil", "kontrasepsi")


def export_parquet(engine: Engine, folder: Path) -> tuple[Path, Path]:
    """Write the columns the rules read from the registry to families/persons Parquet files."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for table, cols in ((families, FAMILY_COLUMNS), (persons, PERSON_COLUMNS)):
        with engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(select(*(table.c[c] for c in cols))).all(),
                                 columns=list(cols))
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


def evaluate_parquet(families_path: Path, persons_path: Path, rs: RuleSet, ref: date,
                     threads: int | None = None) -> pd.DataFrame:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    con.read_parquet(families_path, table_name="families")
    con.read_parquet(persons_path, table_name="persons")
    return evaluate_families(con, rs, ref)
