"""Sessions and API tokens can be listed and revoked (one, or all of an account's), each
revocation is audited, and a password change ends every session and token — on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from sinergi.cli import app as cli
from sinergi.security.auth import authenticate, session_user, start_session, token_hash
from sinergi.security.users import (
    UserError,
    create_user,
    list_tokens,
    reset_password,
    revoke_token,
    revoke_user_tokens,
    set_active,
)
from sinergi.store.tables import audit_log, sessions
from tests.web.conftest import PASSWORD

NEW = "Sungai-Bengalon-pasang-7"


@pytest.fixture
def people(engine: Engine) -> Engine:
    create_user(engine, "dppkb", "dppkb", [], [], PASSWORD)
    create_user(engine, "analis", "analis", [], [], PASSWORD)
    return engine


def _login(engine: Engine, username: str, kind: str) -> str:
    user = authenticate(engine, username, PASSWORD, "127.0.0.1")
    assert user is not None
    return start_session(engine, user, kind)[0]


def _revocations(engine: Engine) -> list[tuple[str | None, str | None, dict]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(audit_log.c.username, audit_log.c.kunci, audit_log.c.rincian)
                .where(audit_log.c.aksi == "cabut_sesi")
                .order_by(audit_log.c.id)
            )
        ]


def test_tokens_are_listed_and_one_is_revoked(people: Engine) -> None:
    api1, api2 = _login(people, "dppkb", "bearer"), _login(people, "dppkb", "bearer")
    web = _login(people, "analis", "cookie")
    listed = list_tokens(people)
    assert {(tk.username, tk.kind) for tk in listed} == {
        ("dppkb", "bearer"),
        ("analis", "cookie"),
    } and len(listed) == 3
    now = datetime.now(UTC)
    assert all(tk.state(now) == "aktif" and tk.expires_at > now for tk in listed)
    # The id is a prefix of the stored sha256, not of the token itself.
    target = next(tk for tk in listed if token_hash(api1).startswith(tk.id))
    assert target.id not in api1
    assert [tk.id for tk in list_tokens(people, "analis")] == [token_hash(web)[:12]]

    revoked = revoke_token(people, target.id[:8], by="admin.server")
    assert revoked.revoked and revoked.username == "dppkb"
    assert session_user(people, api1, "bearer") is None
    assert session_user(people, api2, "bearer") is not None
    assert session_user(people, web, "cookie") is not None
    assert _revocations(people) == [
        (
            "admin.server",
            target.id,
            {"pengguna": "dppkb", "jenis": "bearer", "sudah_dicabut": False},
        )
    ]
    states = {tk.id: tk.state(datetime.now(UTC)) for tk in list_tokens(people)}
    assert states[target.id] == "dicabut"


def test_unknown_short_and_ambiguous_ids_are_refused(people: Engine) -> None:
    _login(people, "dppkb", "bearer")
    with pytest.raises(UserError) as err:
        revoke_token(people, "abc")
    assert err.value.code == "token_id_tidak_sah"
    with pytest.raises(UserError) as err:
        revoke_token(people, "%%%%%%%%")
    assert err.value.code == "token_id_tidak_sah"
    _login(people, "analis", "bearer")
    # Two sessions whose ids share a prefix: the prefix names neither; no id starts with 0000.
    with people.begin() as conn:
        hashes = conn.execute(select(sessions.c.token_hash)).scalars().all()
        for i, digest in enumerate(hashes):
            conn.execute(
                update(sessions)
                .where(sessions.c.token_hash == digest)
                .values(token_hash=f"abcdef0{i}" + digest[8:])
            )
    with pytest.raises(UserError) as err:
        revoke_token(people, "000000000000")
    assert err.value.code == "token_tidak_ditemukan"
    with pytest.raises(UserError) as err:
        revoke_token(people, "abcdef0")
    assert err.value.code == "token_ambigu"


def test_all_of_an_accounts_tokens_are_revoked(people: Engine) -> None:
    mine = [_login(people, "dppkb", "bearer"), _login(people, "dppkb", "cookie")]
    theirs = _login(people, "analis", "bearer")
    assert revoke_user_tokens(people, "dppkb", by="admin.server") == 2
    assert session_user(people, mine[0], "bearer") is None
    assert session_user(people, mine[1], "cookie") is None
    assert session_user(people, theirs, "bearer") is not None
    assert _revocations(people)[-1][2] == {"sesi": 2, "alasan": "dicabut"}
    with pytest.raises(UserError) as err:
        revoke_user_tokens(people, "tidak.ada")
    assert err.value.code == "pengguna_tidak_ditemukan"


def test_password_change_and_reset_and_deactivation_end_everything(people: Engine) -> None:
    token = _login(people, "dppkb", "bearer")
    with people.connect() as conn:
        user_id = conn.execute(select(sessions.c.user_id)).scalar_one()
    reset_password(people, user_id, by="admin")
    assert session_user(people, token, "bearer") is None
    token = start_session(people, authenticate(people, "analis", PASSWORD, "::1"), "bearer")[0]
    with people.connect() as conn:
        analis_id = conn.execute(
            select(sessions.c.user_id).where(sessions.c.token_hash == token_hash(token))
        ).scalar_one()
    set_active(people, analis_id, False, by="admin")
    assert session_user(people, token, "bearer") is None
    reasons = [r[2]["alasan"] for r in _revocations(people)]
    assert reasons == ["sandi_diatur_ulang", "nonaktif"]


def test_last_use_is_recorded(people: Engine) -> None:
    token = _login(people, "dppkb", "bearer")
    assert list_tokens(people)[0].last_used_at is None
    session_user(people, token, "bearer")
    first = list_tokens(people)[0].last_used_at
    assert first is not None and datetime.now(UTC) - first < timedelta(minutes=1)


def test_cli_tokens_revoke_and_password(db_url: str, people: Engine) -> None:
    runner = CliRunner()
    api = _login(people, "dppkb", "bearer")
    web = _login(people, "dppkb", "cookie")
    _login(people, "analis", "bearer")

    shown = runner.invoke(cli, ["user", "tokens", "dppkb", "--db", db_url])
    assert shown.exit_code == 0, shown.output
    assert token_hash(api)[:12] in shown.output and token_hash(web)[:12] in shown.output
    assert "Token API" in shown.output and "Sesi peramban" in shown.output
    assert "aktif" in shown.output and "analis" not in shown.output
    assert api not in shown.output  # never the token itself

    one = runner.invoke(
        cli, ["user", "revoke", token_hash(api)[:8], "--db", db_url, "--oleh", "admin.server"]
    )
    assert one.exit_code == 0, one.output
    assert "dicabut" in one.output and session_user(people, api, "bearer") is None
    both = runner.invoke(cli, ["user", "revoke", "--db", db_url])
    assert both.exit_code != 0 and "TOKEN_ID" in str(both.exception)

    weak = runner.invoke(cli, ["user", "password", "dppkb", "--db", db_url], input="dppkb2026!\n")
    assert weak.exit_code != 0 and "nama pengguna" in str(weak.exception)
    assert session_user(people, web, "cookie") is not None  # nothing changed

    changed = runner.invoke(
        cli,
        ["user", "password", "dppkb", "--db", db_url, "--lang", "en", "--oleh", "admin.server"],
        input=NEW + "\n",
    )
    assert changed.exit_code == 0, changed.output
    assert "1 live sessions and API tokens were revoked" in changed.output
    assert NEW not in changed.output
    assert session_user(people, web, "cookie") is None
    assert authenticate(people, "dppkb", PASSWORD, "127.0.0.1") is None
    assert authenticate(people, "dppkb", NEW, "127.0.0.1") is not None
    with people.connect() as conn:
        change = conn.execute(
            select(audit_log.c.username, audit_log.c.rincian).where(audit_log.c.aksi == "ubah")
        ).one()
    assert tuple(change) == ("admin.server", {"sandi": "diganti"})

    everything = runner.invoke(cli, ["user", "revoke", "--user", "analis", "--db", db_url])
    assert everything.exit_code == 0 and "1 sesi" in everything.output
    gone = runner.invoke(cli, ["user", "tokens", "nobody", "--db", db_url])
    assert gone.exit_code != 0 and "nobody" in str(gone.exception)


def test_a_password_change_lifts_the_login_lock(people: Engine) -> None:
    from sinergi.security.throttle import ACCOUNT_LIMIT, Throttled
    from sinergi.security.users import set_password

    for _ in range(ACCOUNT_LIMIT):
        assert authenticate(people, "analis", "bukan-ini", "192.0.2.3") is None
    with pytest.raises(Throttled):
        authenticate(people, "analis", PASSWORD, "192.0.2.3")
    set_password(people, "analis", NEW, by="admin")
    assert authenticate(people, "analis", NEW, "192.0.2.3") is not None
