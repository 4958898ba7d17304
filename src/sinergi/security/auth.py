"""Passwords, sessions, bearer tokens, CSRF and login throttling.

The browser holds a random token; the database holds only its sha256, so a copy of the database
does not let anyone log in. Each session carries its own CSRF token, checked on every state-changing
request. Failed logins are throttled per account and per address (`sinergi.security.throttle`)
before any password is checked; every checked attempt is logged in ``login_attempts``.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, insert, select, update

from sinergi.security import throttle
from sinergi.store.db import as_utc
from sinergi.store.tables import login_attempts, sessions, users

SESSION_COOKIE = "sinergi_sesi"
SESSION_TTL = timedelta(hours=8)
BEARER_TTL = timedelta(hours=8)
# `last_used_at` is written at most this often per session, so reading pages does not turn
# into a write per request.
LAST_USED_STEP = timedelta(minutes=5)

_hasher = PasswordHasher()
# Verified against when the username does not exist, so that an unknown name takes as long as a
# wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    wilayah: tuple[str, ...]
    program: tuple[str, ...]


def server_user(username: str | None = None) -> User:
    """Who works on the server's command line: its administrator, named by ``username``, else
    SINERGI_USER, else the login name; no area limit. Imports, changes and views from the CLI
    are recorded under this name."""
    name = username or os.environ.get("SINERGI_USER") or getpass.getuser()
    return User(0, name, "admin", (), ())


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row) -> User:  # type: ignore[no-untyped-def]
    return User(row.id, row.username, row.role, tuple(row.wilayah or ()), tuple(row.program or ()))


def authenticate(
    engine: Engine, username: str, password: str, ip: str, now: datetime | None = None
) -> User | None:
    """The active user with this password, or None; every checked attempt is recorded.

    Raises `throttle.Throttled` without checking the password when the account or the address is over
    its limit, so guessing stops even for the right password until the lock has passed. The
    slot is taken before the (slow) password check, so parallel attempts cannot all slip in.
    """
    username = username.strip()[:100]
    now = now or datetime.now(UTC)
    reservation = throttle.reserve(engine, username, ip, now)
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    ok = verify_password(row.password_hash if row is not None else _DUMMY_HASH, password)
    ok = ok and row is not None and bool(row.aktif)
    with engine.begin() as conn:
        conn.execute(
            insert(login_attempts).values(username=username, ip=ip[:45], waktu=now, berhasil=ok)
        )
        if ok:
            assert row is not None
            conn.execute(update(users).where(users.c.id == row.id).values(last_login=now))
            throttle.succeeded(conn, reservation, now)
    return _user(row) if ok and row is not None else None


def start_session(engine: Engine, user: User, kind: str = "cookie") -> tuple[str, str]:
    """A new (token, csrf) pair; only the token's sha256 is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    ttl = SESSION_TTL if kind == "cookie" else BEARER_TTL
    with engine.begin() as conn:
        # Sessions that can no longer be used are of no further use: a new log-in sweeps them,
        # so the table holds live sessions only (who logged in when stays in the audit log).
        conn.execute(
            delete(sessions).where((sessions.c.expires_at < now) | sessions.c.revoked.is_(True))
        )
        conn.execute(
            insert(sessions).values(
                token_hash=token_hash(token),
                user_id=user.id,
                csrf=csrf,
                kind=kind,
                created_at=now,
                expires_at=now + ttl,
                revoked=False,
            )
        )
    return token, csrf


def session_user(engine: Engine, token: str, kind: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session of this kind, or None."""
    s = sessions.c
    digest = token_hash(token)
    with engine.connect() as conn:
        row = conn.execute(
            select(users, s.csrf, s.expires_at, s.last_used_at)
            .join(sessions, s.user_id == users.c.id)
            .where(
                s.token_hash == digest,
                s.kind == kind,
                s.revoked.is_(False),
                users.c.aktif.is_(True),
            )
        ).first()
    now = datetime.now(UTC)
    if row is None or as_utc(row.expires_at) <= now:
        return None
    if row.last_used_at is None or as_utc(row.last_used_at) <= now - LAST_USED_STEP:
        with engine.begin() as conn:
            conn.execute(update(sessions).where(s.token_hash == digest).values(last_used_at=now))
    return _user(row), row.csrf


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(sessions).where(sessions.c.token_hash == token_hash(token)).values(revoked=True)
        )


def revoke_user_sessions(conn: Connection, user_id: int) -> int:
    """End every session and API token of a user; the number that were still live."""
    s = sessions.c
    return conn.execute(
        update(sessions).where(s.user_id == user_id, s.revoked.is_(False)).values(revoked=True)
    ).rowcount


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")
