"""Log-in, sessions, CSRF, throttling, security headers and the append-only audit log — on
SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from sinergi.security.auth import token_hash
from sinergi.security.throttle import ACCOUNT_LIMIT
from sinergi.store.tables import audit_log, login_attempts, sessions
from tests.web.conftest import PASSWORD, Facts, bearer, login, login_form


def _audit(app, aksi: str) -> list:  # type: ignore[no-untyped-def]
    with app.state.engine.connect() as conn:
        return conn.execute(
            select(audit_log).where(audit_log.c.aksi == aksi).order_by(audit_log.c.id)
        ).all()


def test_login_sets_a_hashed_httponly_session_and_logout_ends_it(app, client: TestClient) -> None:
    res = client.post("/masuk", data=login_form(client, "dppkb", PASSWORD), follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/"
    cookie = res.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    token = client.cookies["sinergi_sesi"]
    with app.state.engine.connect() as conn:
        stored = conn.execute(select(sessions.c.token_hash, sessions.c.kind)).all()
    # Only the sha256 of the token is in the database.
    assert (token_hash(token), "cookie") in [tuple(r) for r in stored]
    assert token not in {r[0] for r in stored}
    page = client.get("/")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    assert client.post("/keluar", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    client.cookies.set("sinergi_sesi", token)  # a stolen copy of the old cookie
    res = client.get("/", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/masuk"
    assert [r.username for r in _audit(app, "login")] == ["dppkb"]
    assert [r.username for r in _audit(app, "keluar")] == ["dppkb"]


def test_secure_cookie_behind_https_proxy(client: TestClient) -> None:
    res = client.post(
        "/masuk",
        data=login_form(client, "admin", PASSWORD),
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in res.headers["set-cookie"]


def test_login_form_needs_its_csrf_token(app, client: TestClient) -> None:
    """A page on another site cannot log a browser in: without the form's token (cookie and
    field agreeing) the form is refused before any password is checked."""
    res = client.post(
        "/masuk", data={"username": "admin", "password": PASSWORD}, follow_redirects=False
    )
    assert res.status_code == 403 and "sinergi_sesi" not in client.cookies
    form = login_form(client, "admin", PASSWORD)
    res = client.post("/masuk", data={**form, "csrf": "tebakan"}, follow_redirects=False)
    assert res.status_code == 403
    assert _audit(app, "login_gagal") == []


def test_wrong_password_is_refused_and_audited(app, client: TestClient) -> None:
    res = client.post("/masuk", data=login_form(client, "admin", "salah"))
    assert res.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in res.text
    failed = _audit(app, "login_gagal")
    assert len(failed) == 1 and failed[0].username is None and failed[0].kunci == "admin"
    assert "salah" not in str(failed[0].rincian)  # the attempted password is never stored


def test_throttling_after_repeated_failures(app, client: TestClient) -> None:
    for _ in range(ACCOUNT_LIMIT):
        assert client.post("/masuk", data=login_form(client, "desa", "x")).status_code == 401
    # Now even the right password is refused, with a sentence saying why and for how long.
    res = client.post("/masuk", data=login_form(client, "desa", PASSWORD))
    assert res.status_code == 429 and "15 menit" in res.text
    res = client.post("/api/v1/auth/token", data={"username": "desa", "password": PASSWORD})
    assert res.status_code == 429
    # Another account from the same address is not affected.
    assert (
        client.post(
            "/masuk", data=login_form(client, "admin", PASSWORD), follow_redirects=False
        ).status_code
        == 303
    )
    with app.state.engine.connect() as conn:
        rows = conn.execute(
            select(login_attempts.c.berhasil).where(login_attempts.c.username == "desa")
        ).all()
    assert [r[0] for r in rows] == [False] * ACCOUNT_LIMIT


def test_csrf_is_required_on_every_state_changing_request(client: TestClient, facts: Facts) -> None:
    csrf = login(client, "admin")
    assert client.post("/keluar", data={}).status_code == 403
    assert client.post("/keluar", data={"csrf": "forged"}).status_code == 403
    assert client.post("/keluarga/cari", data={"q": "a"}).status_code == 403
    assert (
        client.post("/program/pmt-baznas/status", data={"ke": "terverifikasi"}).status_code == 403
    )
    # htmx sends the token as a header instead of a form field.
    res = client.post(
        "/keluarga/cari",
        data={"q": facts.search_name},
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
    )
    assert res.status_code == 200 and facts.search_name in res.text
    assert client.post("/keluar", data={"csrf": csrf}, follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        "/masuk",
        "/",
        "/static/css/app.css",
        "/api/v1/openapi.json",
        "/api/v1/programmes",
        "/tidak-ada",
    ],
)
def test_security_headers_on_every_response(client: TestClient, path: str) -> None:
    login(client, "analis")
    res = client.get(path)
    h = res.headers
    assert "script-src 'self'" in h["content-security-policy"]
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert "unsafe-inline" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    assert "camera=()" in h["permissions-policy"]


def test_pages_have_no_inline_script_or_style(client: TestClient, facts: Facts) -> None:
    login(client, "admin")
    for path in [
        "/",
        "/peta",
        "/keluarga",
        "/program",
        "/program/air-bersih",
        "/program/pmt-baznas",
        f"/desa/{facts.village}",
        "/terlewat",
        "/impor",
        "/audit",
        "/pengguna",
    ]:
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), path
        assert "<style" not in html, path


def test_bearer_tokens_are_stored_hashed(app, client: TestClient) -> None:
    headers = bearer(client, "dppkb")
    token = headers["Authorization"].split()[1]
    with app.state.engine.connect() as conn:
        kinds = (
            conn.execute(select(sessions.c.kind).where(sessions.c.token_hash == token_hash(token)))
            .scalars()
            .all()
        )
    assert kinds == ["bearer"]
    # A bearer token is not a cookie session and vice versa.
    client.cookies.set("sinergi_sesi", token)
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/programmes").status_code == 401
    assert client.get("/api/v1/programmes", headers=headers).status_code == 200
    bad = client.post("/api/v1/auth/token", data={"username": "dppkb", "password": "x"})
    assert bad.status_code == 401


def test_audit_log_refuses_update_and_delete(app, client: TestClient) -> None:
    login(client, "auditor")
    engine = app.state.engine
    with engine.connect() as conn:
        assert conn.execute(select(audit_log.c.id)).first() is not None
    for stmt in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))


def test_a_new_login_sweeps_dead_sessions(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    login(client, "admin")
    client.post("/keluar", data={"csrf": login(client, "dppkb")}, follow_redirects=False)
    with app.state.engine.begin() as conn:
        conn.execute(
            update(sessions)
            .where(sessions.c.revoked.is_(False))
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    login(TestClient(app), "analis")
    with app.state.engine.connect() as conn:
        live = conn.execute(select(sessions.c.revoked, sessions.c.expires_at)).all()
    assert len(live) == 1 and not live[0].revoked
