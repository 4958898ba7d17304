"""Plain functions behind `sinergi serve` and `sinergi user add` (the Typer wiring is in
sinergi.cli)."""

from __future__ import annotations

from sqlalchemy import Engine

from sinergi.security.users import count_users, create_user, new_password
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


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the web app with uvicorn. The access log is off: family API paths carry a No KK."""
    import os

    import uvicorn

    os.environ["SINERGI_DATABASE_URL"] = db_url
    ensure_schema(db_url)
    uvicorn.run("sinergi.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, access_log=False, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1")


def add_user(db_url: str, username: str, role: str, wilayah: list[str], program: list[str],
             password: str) -> None:
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
        password = new_password()
        create_user(engine, username, role, wilayah, program, password)
        created.append((username, role, password))
    return created
