"""The plain functions behind `sinergi serve` / `sinergi user add`: demo accounts are created once
with random passwords stored as argon2 hashes; a refused account says why."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sinergi.demo.run import create_demo_accounts
from sinergi.security.access import ROLES
from sinergi.security.auth import authenticate
from sinergi.security.users import UserError
from sinergi.store.db import ensure_schema
from sinergi.store.tables import users
from sinergi.web.cli import add_user


def test_demo_accounts_once_with_hashed_random_passwords(db_url: str) -> None:
    engine = ensure_schema(db_url)
    created = create_demo_accounts(engine)
    assert {role for _, role, _ in created} == set(ROLES)
    assert len({password for _, _, password in created}) == len(created)
    with engine.connect() as conn:
        hashes = dict(conn.execute(select(users.c.username, users.c.password_hash)).all())
    for username, _, password in created:
        assert hashes[username].startswith("$argon2id$") and password not in hashes[username]
    username, role, password = created[0]
    user = authenticate(engine, username, password, "127.0.0.1")
    assert user is not None and user.role == role
    assert create_demo_accounts(engine) == []  # never again once accounts exist


def test_add_user_checks_role_area_and_programme(db_url: str) -> None:
    add_user(db_url, "operator.sangatta", "desa", ["64.08.04.2001"], [], "kata-sandi-panjang")
    with pytest.raises(UserError) as err:
        add_user(db_url, "x", "desa", ["99.99"], [], "kata-sandi-panjang")
    assert err.value.code == "pengguna_wilayah_tidak_dikenal"
    with pytest.raises(UserError) as err:
        add_user(db_url, "y", "instansi", [], ["tidak-ada"], "kata-sandi-panjang")
    assert err.value.code == "pengguna_program_tidak_dikenal"
    with pytest.raises(UserError) as err:
        add_user(db_url, "z", "root", [], [], "kata-sandi-panjang")
    assert err.value.code == "pengguna_peran_tidak_dikenal"
    with pytest.raises(UserError) as err:
        add_user(db_url, "operator.sangatta", "desa", ["64.08.04.2001"], [], "kata-sandi-panjang")
    assert err.value.code == "pengguna_sudah_ada"


def test_serve_runs_without_an_access_log(monkeypatch, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    # GET /api/v1/families/{no_kk} carries a No KK in its path: no access log may record it.
    import uvicorn

    from sinergi.web.cli import serve

    seen: dict = {}
    monkeypatch.setenv("SINERGI_DATABASE_URL", sqlite_url)  # serve() sets it; restored after
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    serve(sqlite_url, "127.0.0.1", 8123)
    assert seen["access_log"] is False and seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"] == "sinergi.web.app:app_from_env" and seen["factory"] is True


def test_user_add_command_reads_the_password_from_stdin(db_url: str) -> None:
    from typer.testing import CliRunner

    from sinergi.cli import app

    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "user",
            "add",
            "petugas.baznas",
            "--role",
            "instansi",
            "--program",
            "pmt-baznas",
            "--db",
            db_url,
        ],
        input="kata-sandi-rahasia\n",
    )
    assert res.exit_code == 0, res.output
    assert "kata-sandi-rahasia" not in res.output
    engine = ensure_schema(db_url)
    user = authenticate(engine, "petugas.baznas", "kata-sandi-rahasia", "127.0.0.1")
    assert user is not None and user.role == "instansi" and user.program == ("pmt-baznas",)
    short = runner.invoke(
        app, ["user", "add", "b", "--role", "analis", "--db", db_url], input="pendek\n"
    )
    assert short.exit_code != 0 and "10" in str(short.exception)
