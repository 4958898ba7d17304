"""The password policy: wherever a password is set it must be long enough, not blank, not a
pattern or a common password and not the username; the refusal says why in both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from sinergi.messages import t
from sinergi.security.auth import authenticate
from sinergi.security.users import UserError, check_password, create_user, new_password
from tests.web.conftest import PASSWORD, USERS


@pytest.mark.parametrize(
    ("password", "username", "code"),
    [
        ("", "admin", "pengguna_sandi_kosong"),
        (" " * 10, "admin", "pengguna_sandi_kosong"),
        ("\t \u00a0" * 4, "admin", "pengguna_sandi_kosong"),
        ("Pendek-1", "admin", "pengguna_sandi_pendek"),
        ("aaaaaaaaaaaa", "admin", "pengguna_sandi_pola"),
        ("zzzzzzzzzzzzzzzzzzzz", "admin", "pengguna_sandi_pola"),
        ("8765432109876", "admin", "pengguna_sandi_pola"),
        ("abcdefghijkl", "admin", "pengguna_sandi_pola"),
        ("asdfghjkl;zxcv", "admin", "pengguna_sandi_pola"),
        ("1234567890", "admin", "pengguna_sandi_umum"),
        ("password123", "admin", "pengguna_sandi_umum"),
        ("Password1234!", "admin", "pengguna_sandi_umum"),
        ("iloveyou2024", "admin", "pengguna_sandi_umum"),
        ("admin2026!!", "admin", "pengguna_sandi_mirip_nama"),
        ("dppkb-dppkb-2024", "dppkb", "pengguna_sandi_mirip_nama"),
        ("Operator.Sangatta", "operator.sangatta", "pengguna_sandi_mirip_nama"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    password: str, username: str, code: str
) -> None:
    with pytest.raises(UserError) as err:
        check_password(password, username)
    assert err.value.code == code
    indonesian, english = (t(code, lang, **err.value.params) for lang in ("id", "en"))
    assert indonesian != english and "{" not in indonesian + english
    assert "sandi" in indonesian.lower() and "password" in english.lower()


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "kata-sandi-panjang",
        "operator.sangatta1",
        "Sungai Sangatta mengalir ke laut",
        "x" * 5 + "Q7#pL2vz",
        "é" * 3 + "-Kutai-Timur-8!" + "y" * 200,
    ],
)
def test_strong_passwords_pass(password: str) -> None:
    check_password(password, "petugas.baznas")


def test_the_test_accounts_password_passes_for_every_test_account() -> None:
    for username in USERS:
        check_password(PASSWORD, username)


def test_generated_passwords_always_pass() -> None:
    for username in ("", "admin", "a", "operator.sangatta", "desa"):
        for _ in range(200):
            password = new_password(username)
            check_password(password, username)
            assert len(password) >= 16


def test_a_generated_password_that_fails_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import secrets

    draws = iter(["xxadminxxadminxx", "aaaaaaaaaaaaaaaa", "Kp3_vQ9-tLw2ZsXe"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda _n: next(draws))
    assert new_password("admin") == "Kp3_vQ9-tLw2ZsXe"


def test_ten_spaces_are_not_an_admin_password(engine: Engine) -> None:
    with pytest.raises(UserError) as err:
        create_user(engine, "admin", "admin", [], [], " " * 10)
    assert err.value.code == "pengguna_sandi_kosong"
    with pytest.raises(UserError):
        create_user(engine, "admin", "admin", [], [], "admin12345")
    create_user(engine, "admin", "admin", [], [], PASSWORD)
    assert authenticate(engine, "admin", PASSWORD, "127.0.0.1") is not None


def test_user_add_and_user_password_apply_the_policy(db_url: str) -> None:
    from sinergi.cli import app

    runner = CliRunner()
    weak = runner.invoke(
        app, ["user", "add", "analis2", "--role", "analis", "--db", db_url], input="qwertyuiop123\n"
    )
    assert weak.exit_code != 0
    assert "mudah ditebak" in str(weak.exception)
    spaces = runner.invoke(
        app,
        ["user", "add", "analis2", "--role", "analis", "--db", db_url, "--lang", "en"],
        input=" " * 12 + "\n",
    )
    assert spaces.exit_code != 0 and "blank" in str(spaces.exception)
