"""Plain functions behind `sinergi serve` and `sinergi user …` (the Typer wiring is in
sinergi.cli)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from sinergi.security.users import count_users, create_user, new_password
from sinergi.settings import get_settings
from sinergi.store.db import ensure_schema

# One account per role, scoped to a real kecamatan/village and real programmes of the demo.
DEMO_ACCOUNTS: tuple[tuple[str, str, list[str], list[str]], ...] = (
    ("admin", "admin", [], []),
    ("dppkb", "dppkb", [], []),
    ("baznas", "instansi", [], ["pmt-baznas", "bantuan-tunai-baznas"]),
    ("desa", "desa", ["64.08.04.2001"], []),
    ("analis", "analis", [], []),
    ("auditor", "auditor", [], []),
)


def uvicorn_options(
    host: str, port: int, workers: int, trusted_proxies: list[str]
) -> dict[str, Any]:
    """uvicorn's settings. The access log is off: family API paths carry a No KK. Forwarded
    headers are read only from `trusted_proxies` (SINERGI_TRUSTED_PROXIES); with none, the
    address is the socket's, whatever X-Forwarded-For a client sends."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "workers": workers,
        "access_log": False,
        "proxy_headers": bool(trusted_proxies),
    }
    if trusted_proxies:
        options["forwarded_allow_ips"] = trusted_proxies
    return options


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the web app with uvicorn (options from `uvicorn_options`)."""
    import os

    import uvicorn

    os.environ["SINERGI_DATABASE_URL"] = db_url
    ensure_schema(db_url)
    uvicorn.run(
        "sinergi.web.app:app_from_env",
        factory=True,
        **uvicorn_options(host, port, workers, get_settings().trusted_proxy_list()),
    )


def add_user(
    db_url: str, username: str, role: str, wilayah: list[str], program: list[str], password: str
) -> None:
    """Create an account; raises sinergi.security.users.UserError (code + params) when refused."""
    create_user(ensure_schema(db_url), username, role, wilayah, program, password)


def create_demo_accounts(engine: Engine) -> list[tuple[str, str, str]]:
    """One account per role with a random password, only when no account exists yet.

    Returns (username, role, password) once, for the CLI to print; only argon2 hashes are kept.
    """
    if count_users(engine):
        return []
    created = []
    for username, role, wilayah, program in DEMO_ACCOUNTS:
        password = new_password(username)
        create_user(engine, username, role, wilayah, program, password)
        created.append((username, role, password))
    return created
