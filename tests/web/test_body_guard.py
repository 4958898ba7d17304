"""State-changing requests are checked before their body is read: no session, no bytes taken;
a body over the route's limit is refused by its Content-Length or cut off as it streams, with a
sentence that names the limit — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sinergi.security.auth import authenticate, start_session
from sinergi.security.users import create_user
from sinergi.web.guard import FORM_LIMIT, FRAMING
from tests.web.conftest import PASSWORD, SECRET, login

MiB = 1024 * 1024
CHUNK = 64 * 1024
# 16 form fields of 4 KiB: Starlette's own per-field (1 MiB) and field-count (1000) limits must
# not be what stops the body.
FIELDS = (b"q=" + b"x" * 4093 + b"&") * 16
# A well-formed multipart upload, so that a server that does read it reads all of it.
PRE = (
    b'--batas\r\nContent-Disposition: form-data; name="berkas"; filename="besar.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\n"
)
POST = b"\r\n--batas--\r\n"


def _body(start: int, n: int, size: int, multipart: bool) -> bytes:
    """Bytes ``start … start+n`` of a body of ``size`` bytes, made up as they are pulled."""
    if not multipart:
        return FIELDS[:n]
    chunk = bytearray(b"x" * n)
    for offset, piece in ((0, PRE), (size - len(POST), POST)):
        for i in range(max(start, offset), min(start + n, offset + len(piece))):
            chunk[i - start] = piece[i - offset]
    return bytes(chunk)


MULTIPART = b"multipart/form-data; boundary=batas"


@pytest.fixture
def web(engine: Engine, db_url: str) -> Iterator[FastAPI]:
    """The app over a fresh database with one admin: no seeded regency needed here."""
    from sinergi.web.app import create_app

    create_user(engine, "admin", "admin", [], [], PASSWORD)
    yield create_app(db_url, secret=SECRET)


def _token(engine: Engine, kind: str) -> str:
    user = authenticate(engine, "admin", PASSWORD, "127.0.0.1")
    assert user is not None
    return start_session(engine, user, kind)[0]


@dataclass
class Exchange:
    """One request driven at the ASGI level, counting every body byte the app pulls."""

    pulled: int = 0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _call(
    app: FastAPI,
    path: str,
    headers: list[tuple[bytes, bytes]],
    size: int,
    declare_length: bool = True,
) -> Exchange:
    out = Exchange()
    multipart = (b"content-type", MULTIPART) in headers
    if declare_length:
        headers = [*headers, (b"content-length", str(size).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = 0

    async def receive() -> dict:
        nonlocal sent
        if sent >= size:
            await asyncio.sleep(3600)  # a client that has nothing more to say
        n = min(CHUNK, size - sent)
        sent += n
        out.pulled += n
        return {
            "type": "http.request",
            "body": _body(sent - n, n, size, multipart),
            "more_body": sent < size,
        }

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            out.status = message["status"]
            out.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            out.body += message.get("body", b"")

    # In a thread of its own: a session's browser tests (Playwright's sync API) may keep an
    # event loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(app(scope, receive, send), 60)).result()
    return out


SIXTY_MB = 60_000_000


@pytest.mark.parametrize("declare_length", [True, False])
def test_an_unauthenticated_upload_is_refused_before_a_byte_is_read(
    web: FastAPI, declare_length: bool
) -> None:
    page = _call(web, "/impor", [(b"content-type", MULTIPART)], SIXTY_MB, declare_length)
    assert (page.pulled, page.status, page.headers.get("location")) == (0, 303, "/masuk")
    htmx = _call(
        web,
        "/impor",
        [(b"content-type", MULTIPART), (b"hx-request", b"true")],
        SIXTY_MB,
        declare_length,
    )
    assert (htmx.pulled, htmx.status, htmx.headers.get("hx-redirect")) == (0, 401, "/masuk")
    stale = _call(
        web,
        "/program/pmt-baznas/status",
        [(b"content-type", MULTIPART), (b"cookie", b"sinergi_sesi=habis")],
        SIXTY_MB,
        declare_length,
    )
    assert (stale.pulled, stale.status) == (0, 303)
    api = _call(
        web,
        "/api/v1/imports/keluarga",
        [(b"content-type", MULTIPART), (b"authorization", b"Bearer palsu")],
        SIXTY_MB,
        declare_length,
    )
    assert (api.pulled, api.status) == (0, 401)
    assert api.headers["www-authenticate"] == "Bearer"
    assert b"not authenticated" in api.body


def test_a_declared_oversize_body_is_refused_before_it_is_read(
    web: FastAPI, engine: Engine
) -> None:
    cookie = (b"cookie", f"sinergi_sesi={_token(engine, 'cookie')}".encode())
    bearer = (b"authorization", f"Bearer {_token(engine, 'bearer')}".encode())
    cases = [
        ("/impor", [cookie], SIXTY_MB, "Berkas terlalu besar: batasnya 50 MiB."),
        (
            "/program/pmt-baznas/status",
            [cookie],
            11 * MiB,
            "Berkas terlalu besar: batasnya 10 MiB.",
        ),
        ("/keluarga/cari", [cookie], 2 * MiB, "Isian formulir terlalu besar: batasnya 1 MiB."),
        ("/masuk", [], 2 * MiB, "Isian formulir terlalu besar: batasnya 1 MiB."),
    ]
    for path, headers, size, sentence in cases:
        res = _call(web, path, [(b"content-type", MULTIPART), *headers], size)
        assert (res.pulled, res.status) == (0, 413), path
        assert sentence in res.body.decode(), path
        assert "content-security-policy" in res.headers  # early answers get the headers too
    api = _call(web, "/api/v1/imports/keluarga", [(b"content-type", MULTIPART), bearer], SIXTY_MB)
    assert (api.pulled, api.status) == (0, 413)
    assert b'"The file is too large: the limit is 50 MiB."' in api.body
    english = _call(
        web,
        "/impor",
        [(b"content-type", MULTIPART), (b"cookie", cookie[1] + b"; lang=en")],
        SIXTY_MB,
    )
    assert "The file is too large: the limit is 50 MiB." in english.body.decode()


def test_a_body_without_length_is_cut_off_at_the_limit(web: FastAPI, engine: Engine) -> None:
    cookie = (b"cookie", f"sinergi_sesi={_token(engine, 'cookie')}".encode())
    res = _call(
        web,
        "/keluarga/cari",
        [(b"content-type", b"application/x-www-form-urlencoded"), cookie],
        8 * MiB,
        declare_length=False,
    )
    assert res.status == 413
    assert "batasnya 1 MiB" in res.body.decode()
    assert FORM_LIMIT < res.pulled <= FORM_LIMIT + FRAMING + CHUNK


def test_through_the_test_client(web: FastAPI) -> None:
    with TestClient(web) as client:
        res = client.post(
            "/impor",
            data={"kind": "keluarga"},
            files={"berkas": ("besar.csv", b"x" * (51 * MiB), "text/csv")},
            follow_redirects=False,
        )
        assert res.status_code == 303 and res.headers["location"] == "/masuk"
        csrf = login(client, "admin")
        res = client.post(
            "/impor",
            data={"kind": "keluarga", "csrf": csrf},
            files={"berkas": ("besar.csv", b"x" * (51 * MiB), "text/csv")},
        )
        assert res.status_code == 413 and "Berkas terlalu besar: batasnya 50 MiB" in res.text
        # A small form still works, and so does signing out.
        res = client.post("/keluar", data={"csrf": csrf}, follow_redirects=False)
        assert res.status_code == 303
        assert (
            client.post("/keluar", data={"csrf": csrf}, follow_redirects=False).headers["location"]
            == "/masuk"
        )
