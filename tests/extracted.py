"""The rule set evaluated as ``sinergi batch assess`` evaluates it: the registry exported as an
extract (`sinergi.batch.export.export_registry`) and DuckDB over its Parquet files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from sinergi.batch.engine import RESULT_PARTITION, close_extract, fetch, open_extract
from sinergi.batch.export import export_registry
from sinergi.batch.jobs import assessed_table
from sinergi.rules import RuleSet
from sinergi.security.auth import server_user


def extract_of(engine: Engine, folder: Path) -> Path:
    """The registry of ``engine`` as `sinergi export parquet` writes it to ``folder``."""
    export_registry(engine, folder, server_user(None), via="cli")
    return folder


def batch_families(folder: Path, rs: RuleSet, ref: date) -> pd.DataFrame:
    """The batch job's assessment of the extract at ``folder``, in the rows and order of
    `sinergi.assess.run.evaluate_families` (one row per family, by No. KK)."""
    extract = open_extract("duckdb", folder, memory_limit="1GB", threads=2)
    try:
        rows = fetch(extract, assessed_table(extract, rs, ref).drop(RESULT_PARTITION))
    finally:
        close_extract(extract)
    return rows.sort_values("no_kk").reset_index(drop=True)
