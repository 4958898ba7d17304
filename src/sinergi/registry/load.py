"""Store validated rows: insert new records, update changed ones and keep what they were.

One generic upsert serves every kind: records are matched on their key, compared field by field,
and only real differences are written, each with a ``value_history`` row naming the batch and
spreadsheet row of the old and the new value. A file loaded twice therefore changes nothing.
Fields a file does not carry are left alone, so a roster without a ``Hamil`` column does not erase
pregnancies recorded by an earlier file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table

from sinergi.core.values import clean
from sinergi.store.bulk import bulk_insert, bulk_update, records
from sinergi.store.dialect import rows_by_keys
from sinergi.store.tables import value_history

HISTORY_COLUMNS = (
    "table_name",
    "record_key",
    "field",
    "old_value",
    "new_value",
    "old_batch_id",
    "old_baris",
    "new_batch_id",
    "new_baris",
    "changed_at",
)


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


def norm(value: Any) -> str | None:
    """One text form per value, so that file values and database values compare equal."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        f = float(value)
        return str(int(f)) if f.is_integer() else repr(f)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def upsert(
    conn: Connection,
    table: Table,
    key: str,
    frame: pd.DataFrame,
    fields: Sequence[str],
    batch_id: int,
    now: datetime,
    provenance: tuple[str, str] = ("batch_id", "baris"),
    insert_only: Sequence[str] = (),
) -> Counts:
    """Upsert ``frame`` (one row per key; column 'baris' = spreadsheet row) into ``table``."""
    if frame.empty:
        return Counts()
    fields = [f for f in fields if f in frame.columns]
    insert_only = [f for f in insert_only if f in frame.columns]
    batch_col, row_col = provenance
    keys = frame[key].tolist()
    stored = [table.c[key], *(table.c[f] for f in fields), table.c[batch_col], table.c[row_col]]
    found = rows_by_keys(conn, stored, table.c[key], keys)
    existing = pd.DataFrame(found, columns=[key, *fields, "_old_batch", "_old_row"])

    merged = frame.merge(existing, on=key, how="left", suffixes=("", "__old"), indicator=True)
    new = merged[merged["_merge"] == "left_only"]
    old = merged[merged["_merge"] == "both"]

    if not new.empty:
        cols = [key, *fields, *insert_only]
        rows = [
            (*values, batch_id, row)
            for values, row in zip(
                records(new, cols), new["baris"].astype(int).tolist(), strict=True
            )
        ]
        bulk_insert(conn, table, [*cols, batch_col, row_col], rows)

    if old.empty or not fields:
        return Counts(len(new), 0, len(old))
    diffs, olds, news = {}, {}, {}
    for f in fields:
        news[f] = old[f].map(norm)
        olds[f] = old[f + "__old"].map(norm)
        diffs[f] = ((news[f] != olds[f]) & ~(news[f].isna() & olds[f].isna())).to_numpy()
    changed_mask = np.logical_or.reduce(list(diffs.values()))
    changed = old[changed_mask]
    if not changed.empty:
        keys = changed[key].tolist()
        rows_n = changed["baris"].astype(int).tolist()
        bulk_update(
            conn,
            table,
            key,
            [*fields, batch_col, row_col],
            [
                (*values, batch_id, row, k)
                for values, row, k in zip(records(changed, fields), rows_n, keys, strict=True)
            ],
        )
        # History keeps values that existed before; a first fill of an empty field has no past
        # (its source is the row's provenance).
        old_batch = changed["_old_batch"].tolist()
        old_row = changed["_old_row"].tolist()
        history: list[tuple[Any, ...]] = []
        for f in fields:
            was = olds[f][changed_mask].tolist()
            now_values = news[f][changed_mask].tolist()
            for i in np.flatnonzero(diffs[f][changed_mask]):
                if was[i] is not None:
                    history.append(
                        (
                            table.name,
                            str(keys[i]),
                            f,
                            was[i],
                            now_values[i],
                            clean(old_batch[i]),
                            clean(old_row[i]),
                            batch_id,
                            rows_n[i],
                            now,
                        )
                    )
        bulk_insert(conn, value_history, HISTORY_COLUMNS, history)
    return Counts(len(new), len(changed), len(old) - len(changed))
