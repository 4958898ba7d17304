"""Login throttling that parallel requests cannot race.

Each key (an account name, a client address) has one row in ``login_throttle``. An attempt
*reserves* a slot on every key it touches with a single atomic ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` before the password is checked, so forty requests arriving together see forty
different counts and only the first ``limit`` of them are allowed to check a password: a
read-then-write check would let all forty see "4 failures" and all forty go on.

A reservation counts as a failure until the attempt succeeds. A success gives back its slot on
the address (the address counts failures, or an office behind one NAT address would lock itself
out at eight in the morning) and clears the account's count (its owner has proved the password).
Over the limit a key is locked for `LOCK` from that moment; once the lock or the window has
passed the count starts again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, and_, case, delete, literal, or_, update

from sinergi.store.db import as_utc
from sinergi.store.dialect import insert_on_conflict
from sinergi.store.tables import login_throttle

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)


# Failures allowed per window. An account may be guessed at 5 times from anywhere; an address
# may fail 20 times across all accounts (password spraying) — more, because a whole office
# shares one NAT address.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


def account_key(username: str) -> str:
    # Lower-cased so that "Admin" and "admin" share one count whatever the lookup does.
    return f"akun:{username.strip()[:100].lower()}"


def address_key(ip: str) -> str:
    return f"ip:{ip[:45]}"


@dataclass(frozen=True)
class Slot:
    """One key's answer to a reservation."""

    key: str
    failures: int  # reservations in the current window, this one included
    window_start: datetime
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


class Throttled(Exception):
    """Too many failed logins for this account or from this address; the password was not
    checked. ``minutes`` is how long the lock still lasts, rounded up."""

    def __init__(self, until: datetime, now: datetime) -> None:
        super().__init__("throttled")
        self.until = until
        self.minutes = max(1, math.ceil((until - now).total_seconds() / 60))


def _upsert(conn: Connection, key: str, limit: int, now: datetime) -> Slot:
    """Take one slot on ``key`` in one statement and return the row as it now stands."""
    c = login_throttle.c
    locked = and_(c.locked_until.is_not(None), c.locked_until > now)
    # A new window once the old one has passed or a lock has run out.
    fresh = or_(
        c.window_start <= now - WINDOW, and_(c.locked_until.is_not(None), c.locked_until <= now)
    )
    failures = case((locked, c.failures), (fresh, literal(1)), else_=c.failures + 1)
    stmt = insert_on_conflict(conn, login_throttle).values(
        key=key, failures=1, window_start=now, locked_until=None
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[c.key],
        set_={
            "failures": failures,
            "window_start": case((locked, c.window_start), (fresh, now), else_=c.window_start),
            # The attempt that goes over the limit starts the lock; later ones do not extend it,
            # so a lock always ends LOCK after it began.
            "locked_until": case(
                (locked, c.locked_until), (failures > limit, now + LOCK), else_=None
            ),
        },
    ).returning(c.failures, c.window_start, c.locked_until)
    row = conn.execute(stmt).one()
    return Slot(
        key,
        row.failures,
        as_utc(row.window_start),
        None if row.locked_until is None else as_utc(row.locked_until),
    )


def _give_back(conn: Connection, slot: Slot) -> None:
    # Only within the window the slot was taken in: a newer window never owed it anything.
    c = login_throttle.c
    conn.execute(
        update(login_throttle)
        .where(c.key == slot.key, c.window_start == slot.window_start, c.failures > 0)
        .values(failures=c.failures - 1)
    )


@dataclass(frozen=True)
class Reservation:
    account: Slot
    address: Slot


def reserve(engine: Engine, username: str, ip: str, now: datetime) -> Reservation:
    """Take a slot for this account and this address before the password is checked.

    Raises `Throttled` when either key is locked; the other key's slot is then given back, so
    a locked account does not also use up its office's allowance.
    """
    rules = {account_key(username): ACCOUNT_LIMIT, address_key(ip): ADDRESS_LIMIT}
    with engine.begin() as conn:
        # Always the same order (sorted keys), so two attempts can never wait on each other.
        slots = {key: _upsert(conn, key, rules[key], now) for key in sorted(rules)}
        refused = [s for s in slots.values() if s.locked(now)]
        if refused:
            for slot in slots.values():
                if not slot.locked(now):
                    _give_back(conn, slot)
    if refused:
        until = max(s.locked_until for s in refused if s.locked_until is not None)
        raise Throttled(until, now)
    return Reservation(slots[account_key(username)], slots[address_key(ip)])


def succeeded(conn: Connection, reservation: Reservation, now: datetime) -> None:
    """A right password: the account starts again from zero, the address gets its slot back,
    and rows whose window and lock are both over are swept (so names tried at random do not
    pile up)."""
    c = login_throttle.c
    conn.execute(delete(login_throttle).where(c.key == reservation.account.key))
    _give_back(conn, reservation.address)
    conn.execute(
        delete(login_throttle).where(
            c.window_start <= now - WINDOW, or_(c.locked_until.is_(None), c.locked_until <= now)
        )
    )


def clear_account(conn: Connection, username: str) -> None:
    """Lift an account's count and lock (an admin has just set a new password)."""
    conn.execute(delete(login_throttle).where(login_throttle.c.key == account_key(username)))
