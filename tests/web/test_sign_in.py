"""Login throttling that cannot be raced, keyed per account and per address, with a lock that
says how long it lasts; X-Forwarded-For believed only from configured proxies — on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from sinergi.security.auth import authenticate
from sinergi.security.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT, LOCK, Throttled, address_key
from sinergi.security.users import create_user
from sinergi.store.tables import login_attempts, login_throttle
from tests.web.conftest import SECRET, login_form

GOOD = "rahasia-uji-123"


@pytest.fixture
def accounts(engine: Engine) -> Engine:
    create_user(engine, "admin", "admin", [], [], GOOD)
    create_user(engine, "dppkb", "dppkb", [], [], GOOD)
    return engine


def _checked(engine: Engine, username: str | None = None) -> int:
    """Passwords actually verified (each one is logged in login_attempts)."""
    q = select(func.count()).select_from(login_attempts)
    if username is not None:
        q = q.where(login_attempts.c.username == username)
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def test_forty_parallel_guesses_check_at_most_the_limit(accounts: Engine) -> None:
    """All forty threads start together; a read-then-write throttle let nearly all of them
    verify a password. The atomic reservation lets exactly the limit through."""
    n = 40
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess(i: int) -> None:
        barrier.wait()
        try:
            result = authenticate(accounts, "admin", f"tebakan-{i}", f"10.0.{i}.1")
            outcome = "ok" if result else "wrong"
        except Throttled:
            outcome = "throttled"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert len(outcomes) == n
    assert outcomes.count("wrong") == ACCOUNT_LIMIT
    assert outcomes.count("throttled") == n - ACCOUNT_LIMIT
    assert _checked(accounts, "admin") == ACCOUNT_LIMIT
    # ... and the right password is refused too while the lock lasts.
    with pytest.raises(Throttled):
        authenticate(accounts, "admin", GOOD, "10.9.9.9")


def test_one_account_from_many_addresses_is_locked(accounts: Engine) -> None:
    for i in range(ACCOUNT_LIMIT):
        assert authenticate(accounts, "admin", "salah-sekali", f"192.0.2.{i}") is None
    with pytest.raises(Throttled) as caught:
        authenticate(accounts, "admin", "salah-sekali", "192.0.2.200")
    assert caught.value.minutes == 15
    with pytest.raises(Throttled):
        authenticate(accounts, "admin", GOOD, "198.51.100.7")  # a fresh address, right password
    assert _checked(accounts, "admin") == ACCOUNT_LIMIT
    # Another account is not affected.
    assert authenticate(accounts, "dppkb", GOOD, "192.0.2.1") is not None


def test_one_address_across_many_accounts_is_locked(accounts: Engine) -> None:
    """Password spraying: one guess at each of many names from one address."""
    for i in range(ADDRESS_LIMIT):
        assert authenticate(accounts, f"pegawai{i}", "Musim-Hujan-2026", "203.0.113.5") is None
    with pytest.raises(Throttled):
        authenticate(accounts, "dppkb", GOOD, "203.0.113.5")
    assert _checked(accounts) == ADDRESS_LIMIT
    # The same account from another address is fine: the lock is the address's.
    assert authenticate(accounts, "dppkb", GOOD, "203.0.113.6") is not None


def test_success_resets_the_account_not_the_address(accounts: Engine) -> None:
    ip = "192.0.2.10"
    for _ in range(ACCOUNT_LIMIT - 1):
        assert authenticate(accounts, "admin", "keliru-lagi", ip) is None
    assert authenticate(accounts, "admin", GOOD, ip) is not None
    # The account starts again: another full allowance of mistakes before the lock.
    for _ in range(ACCOUNT_LIMIT):
        assert authenticate(accounts, "admin", "keliru-lagi", ip) is None
    with pytest.raises(Throttled):
        authenticate(accounts, "admin", "keliru-lagi", ip)
    with accounts.connect() as conn:
        failures = conn.execute(
            select(login_throttle.c.failures).where(login_throttle.c.key == address_key(ip))
        ).scalar_one()
    # The address keeps its failures (4 + 5); only the success gave its own slot back.
    assert failures == 2 * ACCOUNT_LIMIT - 1


def test_the_lock_says_how_long_and_ends(accounts: Engine) -> None:
    t0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    for i in range(ACCOUNT_LIMIT):
        assert (
            authenticate(accounts, "admin", "x-salah-x", "192.0.2.1", now=t0 + timedelta(seconds=i))
            is None
        )
    locked_at = t0 + timedelta(minutes=1)
    with pytest.raises(Throttled) as caught:
        authenticate(accounts, "admin", GOOD, "192.0.2.1", now=locked_at)
    assert caught.value.minutes == LOCK.total_seconds() // 60
    with pytest.raises(Throttled) as caught:
        authenticate(accounts, "admin", GOOD, "192.0.2.1", now=locked_at + timedelta(minutes=9))
    assert caught.value.minutes == 6  # attempts during the lock do not extend it
    after = locked_at + LOCK + timedelta(seconds=1)
    assert authenticate(accounts, "admin", GOOD, "192.0.2.1", now=after) is not None


def test_login_page_and_token_endpoint_say_the_minutes(client: TestClient) -> None:
    for _ in range(ACCOUNT_LIMIT):
        assert client.post("/masuk", data=login_form(client, "desa", "x")).status_code == 401
    page = client.post("/masuk", data=login_form(client, "desa", GOOD))
    assert page.status_code == 429
    assert "Tunggu 15 menit" in page.text and page.headers["retry-after"] == "900"
    api = client.post("/api/v1/auth/token", data={"username": "desa", "password": GOOD})
    assert api.status_code == 429 and "Wait 15 minutes" in api.json()["detail"]
    assert 840 <= int(api.headers["retry-after"]) <= 900


def test_the_app_ignores_forwarded_headers(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    """A client that sends a new X-Forwarded-For with every guess is still one address."""
    for i in range(ADDRESS_LIMIT):
        res = client.post(
            "/api/v1/auth/token",
            data={"username": f"tamu{i}", "password": "x"},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        )
        assert res.status_code == 401
    res = client.post(
        "/api/v1/auth/token",
        data={"username": "admin", "password": GOOD},
        headers={"X-Forwarded-For": "198.51.100.250"},
    )
    assert res.status_code == 429
    with app.state.engine.connect() as conn:
        seen = set(conn.execute(select(login_attempts.c.ip)).scalars())
    assert seen == {"testclient"}


# --- `sinergi serve` and its proxy settings --------------------------------------------------------


def test_uvicorn_trusts_forwarded_headers_only_from_configured_proxies() -> None:
    from sinergi.settings import Settings
    from sinergi.web.cli import uvicorn_options

    default = uvicorn_options("127.0.0.1", 8000, 1, Settings().trusted_proxy_list())
    assert default["proxy_headers"] is False and "forwarded_allow_ips" not in default
    behind = uvicorn_options(
        "127.0.0.1", 8000, 1, Settings(trusted_proxies="127.0.0.1, 10.0.0.0/8").trusted_proxy_list()
    )
    assert behind["proxy_headers"] is True
    assert behind["forwarded_allow_ips"] == ["127.0.0.1", "10.0.0.0/8"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve(db_url: str, tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    """Start `sinergi serve` on a free loopback port with the given extra environment."""
    started: list[subprocess.Popen[bytes]] = []

    def start(**env: str) -> str:
        port = _free_port()
        environ = {k: v for k, v in os.environ.items() if not k.startswith("SINERGI_")}
        environ |= {"SINERGI_SECRET_KEY": SECRET.decode(), "SINERGI_DATA_DIR": str(tmp_path), **env}
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "sinergi"),
                "serve",
                "--port",
                str(port),
                "--db",
                db_url,
            ],
            env=environ,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                if httpx.get(f"{base}/masuk", timeout=2).status_code == 200:
                    return base
            except httpx.TransportError:
                time.sleep(0.3)
        raise AssertionError("sinergi serve did not start within 90 s")

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _address_seen(db_url: str, base: str) -> str:
    from sinergi.store.db import ensure_schema

    res = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "siapa", "password": "x"},
        headers={"X-Forwarded-For": "203.0.113.77"},
        timeout=30,
    )
    assert res.status_code == 401
    with ensure_schema(db_url).connect() as conn:
        return (
            conn.execute(select(login_attempts.c.ip).order_by(login_attempts.c.id.desc()))
            .scalars()
            .first()
            or ""
        )


def test_serve_ignores_x_forwarded_for_unless_the_proxy_is_trusted(serve, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert _address_seen(db_url, serve()) == "127.0.0.1"
    assert _address_seen(db_url, serve(SINERGI_TRUSTED_PROXIES="127.0.0.1")) == "203.0.113.77"
