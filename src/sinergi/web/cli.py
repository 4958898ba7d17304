"""Plain functions behind `sinergi serve` and `sinergi user add` (the Typer wiring is in
sinergi.cli)."""

from __future__ import annotations

from typing import Any

from sinergi.security.users import create_user
from sinergi.settings import get_settings
from sinergi.store.db import ensure_schema


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
    db_url: str,
    username: str,
    role: str,
    wilayah: list[str],
    program: list[str],
    password: str,
    by: str | None = None,
) -> None:
    """Create an account, audited under ``by``; raises sinergi.security.users.UserError (code +
    params) when refused."""
    create_user(ensure_schema(db_url), username, role, wilayah, program, password, by=by)
