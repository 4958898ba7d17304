"""One way every list page is paged, sorted and filtered by village: the missed lists, the
beneficiary lists, a village's families and the search results.

A list is asked for with ``halaman`` (page), ``per`` (rows per page, capped at `MAX_PER_PAGE`),
``urut`` (a sort key from the list's own whitelist, ``-`` in front for descending: a value from
the query string never reaches SQL, it only picks a column the list named) and ``desa`` (a
village by name or code, resolved among the villages of the user's area by
`sinergi.security.access.in_area`). A list read by SQL is counted and paged in the database
(`sql_page`: two queries); a list computed in pandas is paged as a frame (`frame_page`). Every
list's export reads the same query or frame, sorted the same way, without the page.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Select, func, select

from sinergi.security.access import in_area
from sinergi.security.auth import User
from sinergi.wilayah import get_wilayah

PER_PAGE = 50
TOTAL_COLUMN = "jumlah_seluruh_"  # the window count `sql_page` reads beside a page's rows
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000  # far beyond any list; keeps OFFSET arithmetic small

# A sort key → the columns it orders by (SQL columns for `sql_page`, frame columns for
# `frame_page`); the list's unique key is appended so that pages never overlap.
SqlSorts = Mapping[str, Sequence[ColumnElement[Any]]]
FrameSorts = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Ask:
    """What a list was asked for, already checked: the page (1-based, clamped to the last page
    once the total is known), rows per page, a whitelisted sort key and its direction."""

    page: int
    per_page: int
    sort: str
    descending: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def order_label(self) -> str:
        """The order as an export's 'about' sheet writes it: the key, ↓ when descending."""
        return self.sort + (" ↓" if self.descending else "")

    def clamped(self, total: int) -> Ask:
        return replace(self, page=min(self.page, max(1, math.ceil(total / self.per_page))))


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        return default
    return min(max(number, low), high)


def ask(params: Mapping[str, str], sorts: Sequence[str], default: str, prefix: str = "") -> Ask:
    """The list request in ``params`` (a query string or a form); ``prefix`` tells two lists of
    one page apart. An unknown sort key falls back to ``default``; a huge ``per`` is capped."""
    wanted = str(params.get(prefix + "urut") or "")
    descending = wanted.startswith("-")
    key = wanted.removeprefix("-")
    if key not in sorts:
        key, descending = default.removeprefix("-"), default.startswith("-")
    return Ask(
        page=_int(params.get(prefix + "halaman"), 1, 1, MAX_PAGE),
        per_page=_int(params.get(prefix + "per"), PER_PAGE, 1, MAX_PER_PAGE),
        sort=key,
        descending=descending,
    )


@dataclass(frozen=True)
class Page:
    """One page of a list and how to ask for another: ``keep`` holds the filters (and another
    list's paging on the same page) that every link and form of the list carries."""

    rows: list[dict[str, Any]]
    total: int
    ask: Ask
    path: str
    keep: tuple[tuple[str, str], ...] = ()
    prefix: str = ""

    @property
    def page(self) -> int:
        return self.ask.page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.ask.per_page))

    @property
    def first(self) -> int:
        return self.ask.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.ask.offset + self.ask.per_page, self.total)

    def sort_value(self, key: str | None = None) -> str:
        """The ``urut`` value for ``key``: ascending, or descending when the list is already
        sorted ascending by it (a second click turns the order)."""
        if key is None:
            key, down = self.ask.sort, self.ask.descending
        else:
            down = key == self.ask.sort and not self.ask.descending
        return ("-" if down else "") + key

    def fields(self, page: int | None = None, sort: str | None = None) -> list[tuple[str, str]]:
        """The list's parameters for another page (``page``) or another order (``sort``, which
        starts again at page 1), with the filters kept."""
        p = self.prefix
        own = [
            (p + "halaman", str(1 if sort is not None else (page or self.ask.page))),
            (p + "urut", self.sort_value(sort)),
        ]
        if self.ask.per_page != PER_PAGE:
            own.append((p + "per", str(self.ask.per_page)))
        return [(k, v) for k, v in self.keep if v] + own

    def url(self, page: int | None = None, sort: str | None = None) -> str:
        return f"{self.path}?{urlencode(self.fields(page, sort))}"

    def filters(self) -> list[tuple[str, str]]:
        """The filters and order without the page: what the list's export form sends."""
        return [(k, v) for k, v in self.keep if v] + [(self.prefix + "urut", self.sort_value())]


def _ordered(ask: Ask, columns: Sequence[ColumnElement[Any]]) -> list[Any]:
    return [c.desc().nulls_last() if ask.descending else c.asc().nulls_last() for c in columns]


def sql_order(
    query: Select[Any], ask: Ask, sorts: SqlSorts, unique: ColumnElement[Any]
) -> Select[Any]:
    """``query`` ordered as asked, ``unique`` last so that the order is total."""
    return query.order_by(None).order_by(*_ordered(ask, sorts[ask.sort]), unique)


def sql_page(
    engine: Engine,
    query: Select[Any],
    ask: Ask,
    sorts: SqlSorts,
    unique: ColumnElement[Any],
) -> tuple[list[dict[str, Any]], int, Ask]:
    """One page of ``query``: its total and the page's rows (LIMIT/OFFSET), the page clamped to
    the last one. The total comes with the rows (a window count over the same scan: a search
    by name reads the persons once, not twice); only a page past the end counts apart."""
    counted = query.add_columns(func.count().over().label(TOTAL_COLUMN))

    def page(at: Ask) -> list[dict[str, Any]]:
        ordered = sql_order(counted, at, sorts, unique).limit(at.per_page).offset(at.offset)
        return [dict(r._mapping) for r in conn.execute(ordered)]

    with engine.connect() as conn:
        rows = page(ask)
        if rows:
            total = int(rows[0][TOTAL_COLUMN])
        else:
            total = int(
                conn.execute(
                    select(func.count()).select_from(query.order_by(None).subquery())
                ).scalar_one()
            )
            if total and ask.clamped(total) != ask:
                ask = ask.clamped(total)
                rows = page(ask)
    for r in rows:
        del r[TOTAL_COLUMN]
    return rows, total, ask.clamped(total)


# Orders already computed, by the frame they order: a cached list (`queries.cached`) is the same
# object from request to request until the data change, so each of its orders is sorted once.
# The weak reference tells a frame from a later one that happens to get the same id.
_ORDERS: OrderedDict[tuple[Any, ...], tuple[weakref.ref[pd.DataFrame], pd.DataFrame]] = (
    OrderedDict()
)
_ORDERS_KEPT = 16
_orders_lock = threading.Lock()


def frame_order(
    frame: pd.DataFrame, ask: Ask, sorts: FrameSorts, unique: Sequence[str]
) -> pd.DataFrame:
    """``frame`` ordered as asked (missing values last), ``unique`` columns breaking ties. The
    result is shared between requests: callers read it, never change it in place."""
    if frame.empty:
        return frame
    by = [*sorts[ask.sort], *[c for c in unique if c not in sorts[ask.sort]]]
    ascending = [not ask.descending] * len(sorts[ask.sort]) + [True] * (
        len(by) - len(sorts[ask.sort])
    )
    key = (id(frame), tuple(by), tuple(ascending))
    with _orders_lock:
        known = _ORDERS.get(key)
        if known is not None and known[0]() is frame:
            _ORDERS.move_to_end(key)
            return known[1]
    ordered = frame.sort_values(
        by, ascending=ascending, na_position="last", kind="stable", ignore_index=True
    )
    with _orders_lock:
        _ORDERS[key] = (weakref.ref(frame), ordered)
        while len(_ORDERS) > _ORDERS_KEPT:
            _ORDERS.popitem(last=False)
    return ordered


def frame_page(
    frame: pd.DataFrame, ask: Ask, sorts: FrameSorts, unique: Sequence[str]
) -> tuple[pd.DataFrame, int, Ask]:
    """One page of a computed list: its total and the page's rows, the page clamped."""
    ask = ask.clamped(len(frame))
    ordered = frame_order(frame, ask, sorts, unique)
    return ordered.iloc[ask.offset : ask.offset + ask.per_page], len(frame), ask


# --- the village filter --------------------------------------------------------------------------


def village_choices(user: User, region: str) -> list[dict[str, str]]:
    """The villages of ``region`` inside the user's area (`access.in_area`), for the filter's
    list: code, name and kecamatan, by kecamatan and name."""
    w = get_wilayah()
    out = [
        {"kode": v.kode, "nama": v.nama, "kecamatan": w.name(v.kode[:8])}
        for v in w.villages(region)
        if in_area(user, v.kode)
    ]
    return sorted(out, key=lambda v: (v["kecamatan"], v["nama"]))


def village_filter(user: User, region: str, value: str) -> tuple[str, ...] | None:
    """The village codes a ``desa`` filter value names among the user's villages: None without a
    filter; the codes whose name (case ignored) or code is ``value``; nothing (an empty tuple,
    which matches no row) for a village outside the user's area or unknown."""
    value = value.strip()
    if not value:
        return None
    wanted = value.casefold()
    return tuple(
        v["kode"]
        for v in village_choices(user, region)
        if v["kode"] == value or v["nama"].casefold() == wanted
    )
