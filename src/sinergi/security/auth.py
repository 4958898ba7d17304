"""Passwords, sessions, bearer tokens, CSRF and login throttling.

The browser holds a random token; the database holds only its sha256, so a copy of the database
does not let anyone log in. Each session carries its own CSRF token, checked on every state-changing
request. Failed logins are counted per username and IP address in ``login_attempts``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, insert, select, update

from sinergi.store.tables import login_attempts, sessions, users

SESSION_COOKIE = "sinergi_sesi"
SESSION_TTL = timedelta(hours=8)
BEARER_TTL = timedelta(hours=8)
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)

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


class Throttled(Exception):
    """Too many failed logins for this username from this address."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def as_utc(value: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _user(row) -> User:  # type: ignore[no-untyped-def]
    return User(row.id, row.username, row.role, tuple(row.wilayah or ()), tuple(row.program or ()))


def is_throttled(engine: Engine, username: str, ip: str, now: datetime | None = None) -> bool:
    """True when the last 15 minutes hold MAX_FAILURES failures since the last success."""
    now = now or datetime.now(UTC)
    la = login_attempts.c
    with engine.connect() as conn:
        last_ok = conn.execute(select(func.max(la.waktu)).where(
            la.username == username, la.ip == ip, la.berhasil.is_(True))).scalar()
        since = now - FAILURE_WINDOW
        if last_ok is not None and as_utc(last_ok) > since:
            since = as_utc(last_ok)
        failures = conn.execute(select(func.count()).select_from(login_attempts).where(
            la.username == username, la.ip == ip, la.berhasil.is_(False),
            la.waktu > since)).scalar_one()
    return failures >= MAX_FAILURES


def authenticate(engine: Engine, username: str, password: str, ip: str) -> User | None:
    """The active user with this password, or None; every attempt is recorded.

    Raises `Throttled` without checking the password once the limit is reached, so guessing
    stops even for the right password until the window has passed.
    """
    username = username.strip()[:100]
    if is_throttled(engine, username, ip):
        raise Throttled
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    ok = verify_password(row.password_hash if row is not None else _DUMMY_HASH, password)
    ok = ok and row is not None and bool(row.aktif)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(insert(login_attempts).values(username=username, ip=ip[:45], waktu=now,
                                                   berhasil=ok))
        if ok:
            assert row is not None
            conn.execute(update(users).where(users.c.id == row.id).values(last_login=now))
    return _user(row) if ok and row is not None else None


def start_session(engine: Engine, user: User, kind: str = "cookie") -> tuple[str, str]:
    """A new (token, csrf) pair; only the token's sha256 is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    ttl = SESSION_TTL if kind == "cookie" else BEARER_TTL
    with engine.begin() as conn:
        # Sessions that can no longer be used are of no further use: a new log-in sweeps them,
        # so the table holds live sessions only (who logged in when stays in the audit log).
        conn.execute(delete(sessions).where(
            (sessions.c.expires_at < now) | sessions.c.revoked.is_(True)))
        conn.execute(insert(sessions).values(
            token_hash=token_hash(token), user_id=user.id, csrf=csrf, kind=kind,
            created_at=now, expires_at=now + ttl, revoked=False))
    return token, csrf


def session_user(engine: Engine, token: str, kind: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session of this kind, or None."""
    s = sessions.c
    with engine.connect() as conn:
        row = conn.execute(
            select(users, s.csrf, s.expires_at)
            .join(sessions, s.user_id == users.c.id)
            .where(s.token_hash == token_hash(token), s.kind == kind, s.revoked.is_(False),
                   users.c.aktif.is_(True))
        ).first()
    if row is None or as_utc(row.expires_at) <= datetime.now(UTC):
        return None
    return _user(row), row.csrf


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(sessions).where(sessions.c.token_hash == token_hash(token))
                     .values(revoked=True))


def revoke_user_sessions(engine: Engine, user_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(sessions).where(sessions.c.user_id == user_id).values(revoked=True))


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")
