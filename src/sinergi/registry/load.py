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

import pandas as pd
from sqlalchemy import Connection, Table, bindparam, insert, select, update

from sinergi.store.tables import value_history

CHUNK = 5000


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


def _clean(value: Any) -> Any:
    """A Python value the database driver takes (no NaN, no numpy scalars)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


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
    cols = [table.c[key], *(table.c[f] for f in fields), table.c[batch_col], table.c[row_col]]
    found: list[Any] = []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found.extend(conn.execute(select(*cols).where(table.c[key].in_(chunk))).all())
    existing = pd.DataFrame(found, columns=[key, *fields, "_old_batch", "_old_row"])

    merged = frame.merge(existing, on=key, how="left", suffixes=("", "__old"), indicator=True)
    new = merged[merged["_merge"] == "left_only"]
    old = merged[merged["_merge"] == "both"]

    if not new.empty:
        rows = [
            {
                key: _clean(r[key]),
                **{f: _clean(r[f]) for f in (*fields, *insert_only)},
                batch_col: batch_id,
                row_col: int(r["baris"]),
            }
            for r in new.to_dict("records")
        ]
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(table), rows[start : start + CHUNK])

    changed_rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    if not old.empty:
        diffs = {}
        for f in fields:
            a = old[f].map(norm)
            b = old[f + "__old"].map(norm)
            diffs[f] = (a != b) & ~(a.isna() & b.isna())
        any_diff = pd.DataFrame(diffs).any(axis=1) if diffs else pd.Series(False, index=old.index)
        for idx in old.index[any_diff.to_numpy()]:
            r = old.loc[idx]
            changed_rows.append(
                {"_key": _clean(r[key]), **{f: _clean(r[f]) for f in fields},
                 batch_col: batch_id, row_col: int(r["baris"])}
            )
            for f in fields:
                if diffs[f][idx]:
                    history.append({
                        "table_name": table.name,
                        "record_key": str(r[key]),
                        "field": f,
                        "old_value": norm(r[f + "__old"]),
                        "new_value": norm(r[f]),
                        "old_batch_id": _clean(r["_old_batch"]),
                        "old_baris": _clean(r["_old_row"]),
                        "new_batch_id": batch_id,
                        "new_baris": int(r["baris"]),
                        "changed_at": now,
                    })
    if changed_rows:
        stmt = (
            update(table)
            .where(table.c[key] == bindparam("_key"))
            .values({f: bindparam(f) for f in (*fields, batch_col, row_col)})
        )
        for start in range(0, len(changed_rows), CHUNK):
            conn.execute(stmt, changed_rows[start : start + CHUNK])
    if history:
        for start in range(0, len(history), CHUNK):
            conn.execute(insert(value_history), history[start : start + CHUNK])
    return Counts(len(new), len(changed_rows), len(old) - len(changed_rows))
