"""Store validated rows: insert new records, update changed ones and keep what they were.

One generic upsert serves every kind: records are matched on their key, compared field by field,
and only real differences are written, each with a ``value_history`` row naming the batch and
spreadsheet row of the old and the new value. A file loaded twice therefore changes nothing.
Fields a file does not carry are left alone, so a roster without a ``Hamil`` column does not erase
pregnancies recorded by an earlier file.

Every row carries the date its data describe (``tanggal_data``) and the stored record keeps the
date of the values it holds. A row older than the stored record never overwrites it: each of its
values that differ is kept in ``value_history`` with ``applied`` false, and the row is counted as
``older``. A row of the same or a newer date updates as usual (a newer row with the same values
moves only the record's date and provenance forward); a record stored without a date is updated
by any row. The dates are compared column-wise for the whole batch.
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
    "applied",
)
DATE = "tanggal_data"  # the frame's column with each row's data date


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # rows older than the stored record: stored values kept

    def __iadd__(self, other: Counts) -> Counts:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.older += other.older
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
    dated: str | None = None,
) -> Counts:
    """Upsert ``frame`` (one row per key; column 'baris' = spreadsheet row) into ``table``.

    ``dated`` names the table's data-date column of these fields (e.g. ``tanggal_data``); the
    frame's ``tanggal_data`` column then gives each row's date, and older rows are kept out."""
    if frame.empty:
        return Counts()
    fields = [f for f in fields if f in frame.columns]
    insert_only = [f for f in insert_only if f in frame.columns]
    batch_col, row_col = provenance
    dates = [dated] if dated else []
    keys = frame[key].tolist()
    stored = [
        table.c[key],
        *(table.c[f] for f in fields),
        table.c[batch_col],
        table.c[row_col],
        *(table.c[d] for d in dates),
    ]
    found = rows_by_keys(conn, stored, table.c[key], keys)
    existing = pd.DataFrame(
        found, columns=[key, *fields, "_old_batch", "_old_row", *("_old_date" for _ in dates)]
    )
    if dated:
        frame = frame.assign(_row_date=frame[DATE])

    merged = frame.merge(existing, on=key, how="left", suffixes=("", "__old"), indicator=True)
    new = merged[merged["_merge"] == "left_only"]
    old = merged[merged["_merge"] == "both"]

    if not new.empty:
        cols = [key, *fields, *insert_only]
        rows = [
            (*values, batch_id, row)
            for values, row in zip(
                records(new, [*cols, *("_row_date" for _ in dates)]),
                new["baris"].astype(int).tolist(),
                strict=True,
            )
        ]
        bulk_insert(conn, table, [*cols, *dates, batch_col, row_col], rows)

    if old.empty or not fields:
        return Counts(len(new), 0, len(old))
    diffs, olds, news = {}, {}, {}
    for f in fields:
        news[f] = old[f].map(norm)
        olds[f] = old[f + "__old"].map(norm)
        diffs[f] = ((news[f] != olds[f]) & ~(news[f].isna() & olds[f].isna())).to_numpy()
    differs = np.logical_or.reduce(list(diffs.values()))
    older = np.zeros(len(old), bool)
    moves_date = np.zeros(len(old), bool)
    if dated:
        row_date = pd.to_datetime(old["_row_date"])
        stored_date = pd.to_datetime(old["_old_date"])
        # NaT compares false: an undated stored record is never newer than a row.
        older = (row_date < stored_date).to_numpy()
        moves_date = ((row_date > stored_date) | (stored_date.isna() & row_date.notna())).to_numpy()
    changed_mask = differs & ~older
    write_mask = changed_mask | (moves_date & ~older)
    if write_mask.any():
        written = old[write_mask]
        bulk_update(
            conn,
            table,
            key,
            [*fields, *dates, batch_col, row_col],
            [
                (*values, batch_id, row, k)
                for values, row, k in zip(
                    records(written, [*fields, *("_row_date" for _ in dates)]),
                    written["baris"].astype(int).tolist(),
                    written[key].tolist(),
                    strict=True,
                )
            ],
        )
    # Applied changes keep the values that existed before (a first fill of an empty field has no
    # past: its source is the row's provenance); an older row keeps every value it offered.
    history = _history(
        table, key, old, fields, diffs, olds, news, changed_mask, True, batch_id, now
    )
    history += _history(table, key, old, fields, diffs, olds, news, older, False, batch_id, now)
    bulk_insert(conn, value_history, HISTORY_COLUMNS, history)
    n_changed, n_older = int(changed_mask.sum()), int(older.sum())
    return Counts(len(new), n_changed, len(old) - n_changed - n_older, n_older)


def _history(
    table: Table,
    key: str,
    old: pd.DataFrame,
    fields: Sequence[str],
    diffs: dict[str, np.ndarray],
    olds: dict[str, pd.Series],
    news: dict[str, pd.Series],
    mask: np.ndarray,
    applied: bool,
    batch_id: int,
    now: datetime,
) -> list[tuple[Any, ...]]:
    """``value_history`` rows for the differing fields of the rows in ``mask``."""
    if not mask.any():
        return []
    keys = old[key][mask].tolist()
    rows_n = old["baris"][mask].astype(int).tolist()
    old_batch = old["_old_batch"][mask].tolist()
    old_row = old["_old_row"][mask].tolist()
    history: list[tuple[Any, ...]] = []
    for f in fields:
        was = olds[f][mask].tolist()
        offered = news[f][mask].tolist()
        for i in np.flatnonzero(diffs[f][mask]):
            if was[i] is not None or not applied:
                history.append(
                    (
                        table.name,
                        str(keys[i]),
                        f,
                        was[i],
                        offered[i],
                        clean(old_batch[i]),
                        clean(old_row[i]),
                        batch_id,
                        rows_n[i],
                        now,
                        applied,
                    )
                )
    return history
