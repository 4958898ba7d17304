"""Accounts: create, list, deactivate, set or reset a password, list and revoke sessions and API
tokens. Roles and scopes are checked here so a typo in a region or programme code is refused
instead of silently granting nothing (or all); passwords are checked here wherever they are set.

Every change is audited here, in its own transaction, under ``by`` (who made it: the web
administrator, or the server's administrator on the command line) — so the CLI, the admin page
and any later way in cannot change an account without its audit row."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update
from zxcvbn import zxcvbn

from sinergi.security import throttle
from sinergi.security.access import ROLES
from sinergi.security.auth import hash_password, revoke_user_sessions
from sinergi.store import audit
from sinergi.store.db import as_utc
from sinergi.store.tables import sessions, users
from sinergi.targeting.programmes import available_programmes
from sinergi.wilayah import get_wilayah, normalize_code

MIN_PASSWORD = 10
# zxcvbn scores 0-4; 3 means about 10^8 guesses or more ("safely unguessable" to an online
# attacker, some protection if the hashes leak), the usual floor.
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); the first 72 characters decide.
ZXCVBN_MAX = 72


class UserError(ValueError):
    """A refused account change; ``code`` and ``params`` go through the message catalogue."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _regions(codes: list[str]) -> list[str]:
    out = []
    w = get_wilayah()
    for raw in codes:
        code = normalize_code(raw.strip())
        if code is None or code not in w:
            raise UserError("pengguna_wilayah_tidak_dikenal", region=raw)
        out.append(code)
    return out


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def check_password(password: str, username: str) -> None:
    """Refuse a password that is blank, short, close to the username or easy to guess, saying
    why (zxcvbn's own feedback is English only, so the reason is ours)."""
    if not password.strip():
        raise UserError("pengguna_sandi_kosong")
    if len(password) < MIN_PASSWORD:
        raise UserError("pengguna_sandi_pendek", n=MIN_PASSWORD)
    name, plain = _letters(username), _letters(password)
    # The username with a suffix ("admin2026!") is the first guess against an account.
    if len(name) >= 3 and (name in plain or (len(plain) >= 3 and plain in name)):
        raise UserError("pengguna_sandi_mirip_nama", username=username)
    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=[username, "sinergi", "kutai", "timur"])
    if result["score"] >= MIN_SCORE:
        return
    patterns = {m["pattern"] for m in result["sequence"]}
    if patterns <= {"repeat", "sequence", "spatial"}:
        raise UserError("pengguna_sandi_pola")
    if "dictionary" in patterns:
        raise UserError("pengguna_sandi_umum")
    raise UserError("pengguna_sandi_lemah")


def check_new_user(
    username: str, role: str, wilayah: list[str], program: list[str], password: str
) -> tuple[list[str], list[str]]:
    if (
        not username
        or len(username) > 100
        or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise UserError("pengguna_nama_tidak_sah")
    if role not in ROLES:
        raise UserError("pengguna_peran_tidak_dikenal", role=role, choices=", ".join(ROLES))
    check_password(password, username)
    regions = _regions(wilayah)
    if role == "desa" and not regions:
        raise UserError("pengguna_desa_tanpa_wilayah")
    known = set(available_programmes())
    unknown = [p for p in program if p not in known]
    if unknown:
        raise UserError("pengguna_program_tidak_dikenal", codes=", ".join(unknown))
    if role == "instansi" and not program:
        raise UserError("pengguna_instansi_tanpa_program")
    return regions, program


def create_user(
    engine: Engine,
    username: str,
    role: str,
    wilayah: list[str],
    program: list[str],
    password: str,
    by: str | None = None,
    ip: str | None = None,
) -> int:
    regions, programs = check_new_user(username, role, wilayah, program, password)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UserError("pengguna_sudah_ada", username=username)
        user_id = int(
            conn.execute(
                insert(users)
                .values(
                    username=username,
                    password_hash=hash_password(password),
                    role=role,
                    wilayah=regions,
                    program=programs,
                    aktif=True,
                    created_at=datetime.now(UTC),
                )
                .returning(users.c.id)
            ).scalar_one()
        )
        new = {"username": username, "role": role, "wilayah": regions, "program": programs}
        audit.record(conn, by, audit.CREATE, "pengguna", str(user_id), {"baru": new}, ip)
    return user_id


def list_users(engine: Engine) -> list[dict[str, Any]]:
    cols = [
        users.c.id,
        users.c.username,
        users.c.role,
        users.c.wilayah,
        users.c.program,
        users.c.aktif,
        users.c.created_at,
        users.c.last_login,
    ]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(*cols).order_by(users.c.username))]


def get_user(engine: Engine, user_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(users.c.id, users.c.username, users.c.role, users.c.aktif).where(
                users.c.id == user_id
            )
        ).first()
    return dict(row._mapping) if row else None


def _revoke_all(conn: Connection, user_id: int, by: str | None, reason: str, ip: str | None) -> int:
    n = revoke_user_sessions(conn, user_id)
    if n:
        audit.record(
            conn, by, audit.REVOKE, "pengguna", str(user_id), {"sesi": n, "alasan": reason}, ip
        )
    return n


def set_active(
    engine: Engine, user_id: int, active: bool, by: str | None = None, ip: str | None = None
) -> None:
    with engine.begin() as conn:
        was = conn.execute(select(users.c.aktif).where(users.c.id == user_id)).scalar_one()
        conn.execute(update(users).where(users.c.id == user_id).values(aktif=active))
        detail = {"lama": {"aktif": bool(was)}, "baru": {"aktif": active}}
        audit.record(conn, by, audit.CHANGE, "pengguna", str(user_id), detail, ip)
        if not active:
            _revoke_all(conn, user_id, by, "nonaktif", ip)


def reset_password(
    engine: Engine, user_id: int, by: str | None = None, ip: str | None = None
) -> str:
    """A new random password (shown once to the admin); every session and token of the user
    ends."""
    with engine.begin() as conn:
        username = conn.execute(select(users.c.username).where(users.c.id == user_id)).scalar_one()
        password = new_password(username)
        conn.execute(
            update(users).where(users.c.id == user_id).values(password_hash=hash_password(password))
        )
        detail = {"sandi": "diatur_ulang"}
        audit.record(conn, by, audit.CHANGE, "pengguna", str(user_id), detail, ip)
        _revoke_all(conn, user_id, by, "sandi_diatur_ulang", ip)
        throttle.clear_account(conn, username)
    return password


def set_password(
    engine: Engine, username: str, password: str, by: str | None = None, ip: str | None = None
) -> int:
    """Give an account a password of its owner's choosing (checked like any other); every
    session and API token of the account ends and its login lock is lifted. Returns how many
    live sessions and tokens were ended."""
    user_id = _user_id(engine, username)
    check_password(password, username)
    with engine.begin() as conn:
        conn.execute(
            update(users).where(users.c.id == user_id).values(password_hash=hash_password(password))
        )
        detail = {"sandi": "diganti"}
        audit.record(conn, by, audit.CHANGE, "pengguna", str(user_id), detail, ip)
        n = _revoke_all(conn, user_id, by, "sandi_diganti", ip)
        throttle.clear_account(conn, username)
    return n


def new_password(username: str = "") -> str:
    """A random password that the policy accepts (drawn again in the rare case it does not,
    e.g. when it happens to contain the username)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password(password, username)
        except UserError:
            continue
        return password


def _user_id(engine: Engine, username: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
    if found is None:
        raise UserError("pengguna_tidak_ditemukan", username=username)
    return int(found)


# --- sessions and API tokens --------------------------------------------------------------------
# A session is known by a prefix of its token's sha256: enough to name it, useless to log in with.
TOKEN_ID = 12
MIN_TOKEN_ID = 6


@dataclass(frozen=True)
class TokenInfo:
    id: str
    username: str
    kind: str  # cookie (a browser session) | bearer (an API token)
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked: bool

    def state(self, now: datetime) -> str:
        """aktif | kedaluwarsa | dicabut (message codes ``token_<state>``)."""
        if self.revoked:
            return "dicabut"
        return "aktif" if self.expires_at > now else "kedaluwarsa"


_TOKENS = select(
    sessions.c.token_hash,
    users.c.username,
    sessions.c.kind,
    sessions.c.created_at,
    sessions.c.expires_at,
    sessions.c.last_used_at,
    sessions.c.revoked,
).join(users, users.c.id == sessions.c.user_id)


def _token(r: Row[Any, Any, Any, Any, Any, Any, Any]) -> TokenInfo:
    return TokenInfo(
        r.token_hash[:TOKEN_ID],
        r.username,
        r.kind,
        as_utc(r.created_at),
        as_utc(r.expires_at),
        None if r.last_used_at is None else as_utc(r.last_used_at),
        bool(r.revoked),
    )


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    """Sessions and API tokens, newest first (ended ones stay until the next log-in sweeps
    them)."""
    q = _TOKENS.order_by(sessions.c.created_at.desc(), sessions.c.token_hash)
    if username is not None:
        _user_id(engine, username)
        q = q.where(users.c.username == username)
    with engine.connect() as conn:
        return [_token(r) for r in conn.execute(q)]


def revoke_token(
    engine: Engine, token_id: str, by: str | None = None, ip: str | None = None
) -> TokenInfo:
    """End the one session or API token whose id starts with ``token_id``."""
    prefix = token_id.strip().lower()
    if len(prefix) < MIN_TOKEN_ID or not re.fullmatch(r"[0-9a-f]+", prefix):
        raise UserError("token_id_tidak_sah", n=MIN_TOKEN_ID)
    s = sessions.c
    with engine.begin() as conn:
        rows = conn.execute(_TOKENS.where(s.token_hash.like(prefix + "%")).limit(2)).all()
        if not rows:
            raise UserError("token_tidak_ditemukan", id=token_id)
        if len(rows) > 1:
            raise UserError("token_ambigu", id=token_id)
        token = _token(rows[0])
        conn.execute(
            update(sessions).where(s.token_hash == rows[0].token_hash).values(revoked=True)
        )
        audit.record(
            conn,
            by,
            audit.REVOKE,
            "sesi",
            token.id,
            {"pengguna": token.username, "jenis": token.kind, "sudah_dicabut": token.revoked},
            ip,
        )
    return replace(token, revoked=True)


def revoke_user_tokens(
    engine: Engine, username: str, by: str | None = None, ip: str | None = None
) -> int:
    """End every session and API token of an account; how many were live."""
    user_id = _user_id(engine, username)
    with engine.begin() as conn:
        return _revoke_all(conn, user_id, by, "dicabut", ip)


def count_users(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())
