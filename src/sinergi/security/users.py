"""Accounts: create, list, deactivate, reset password. Roles and scopes are checked here so a
typo in a region or programme code is refused instead of silently granting nothing (or all)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from sinergi.security.access import ROLES
from sinergi.security.auth import hash_password, revoke_user_sessions
from sinergi.store.tables import users
from sinergi.target.programmes import available_programmes
from sinergi.wilayah import get_wilayah, normalize_code

MIN_PASSWORD = 10


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


def check_new_user(username: str, role: str, wilayah: list[str], program: list[str],
                   password: str) -> tuple[list[str], list[str]]:
    if not username or len(username) > 100 or not username.replace(".", "").replace(
            "_", "").replace("-", "").isalnum():
        raise UserError("pengguna_nama_tidak_sah")
    if role not in ROLES:
        raise UserError("pengguna_peran_tidak_dikenal", role=role, choices=", ".join(ROLES))
    if len(password) < MIN_PASSWORD:
        raise UserError("pengguna_sandi_pendek", n=MIN_PASSWORD)
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


def create_user(engine: Engine, username: str, role: str, wilayah: list[str],
                program: list[str], password: str) -> int:
    regions, programs = check_new_user(username, role, wilayah, program, password)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UserError("pengguna_sudah_ada", username=username)
        return int(conn.execute(insert(users).values(
            username=username, password_hash=hash_password(password), role=role,
            wilayah=regions, program=programs, aktif=True, created_at=datetime.now(UTC),
        ).returning(users.c.id)).scalar_one())


def list_users(engine: Engine) -> list[dict[str, Any]]:
    cols = [users.c.id, users.c.username, users.c.role, users.c.wilayah, users.c.program,
            users.c.aktif, users.c.created_at, users.c.last_login]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(*cols).order_by(users.c.username))]


def get_user(engine: Engine, user_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(users.c.id, users.c.username, users.c.role, users.c.aktif)
                           .where(users.c.id == user_id)).first()
    return dict(row._mapping) if row else None


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id).values(aktif=active))
    if not active:
        revoke_user_sessions(engine, user_id)


def reset_password(engine: Engine, user_id: int) -> str:
    """A new random password (shown once to the admin); every session of the user ends."""
    password = new_password()
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == user_id)
                     .values(password_hash=hash_password(password)))
    revoke_user_sessions(engine, user_id)
    return password


def new_password() -> str:
    return secrets.token_urlsafe(12)


def count_users(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())
