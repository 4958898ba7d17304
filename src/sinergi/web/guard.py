"""Requests with a body are checked before the body is read.

Starlette parses a multipart form (and spools its files to disk) as soon as a route or a
dependency asks for a form field — before the login check of a page that reads its CSRF token
from the form, so anyone could make the server take in 50 MiB. This pure ASGI middleware looks at
the headers first: a state-changing request without a live session (cookie for pages, bearer
token under /api/) is answered without pulling a single byte of its body, a declared
Content-Length over the route's limit likewise, and a body without Content-Length is counted as
it streams and cut off at the limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sinergi.messages import t
from sinergi.security.auth import SESSION_COOKIE, session_user
from sinergi.security.imports import MAX_UPLOAD
from sinergi.web.deps import lang_of, render
from sinergi.web.routes.programmes import MAX_EVIDENCE

MiB = 1024 * 1024
FORM_LIMIT = 1 * MiB  # every form that carries no file
# Multipart framing (boundaries, part headers, the other fields) on top of the file itself, so a
# file of exactly the limit still fits.
FRAMING = 64 * 1024
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The only state-changing requests that may come without a session: they create one.
SIGN_IN = frozenset({"/masuk", "/api/v1/auth/token"})
_EVIDENCE = re.compile(r"/program/[^/]+/status")


def body_limit(path: str) -> tuple[int, str]:
    """The largest file (or form) a path accepts, and the message code that names it."""
    if path == "/impor" or path == "/api/v1/imports" or path.startswith("/api/v1/imports/"):
        return MAX_UPLOAD, "berkas_terlalu_besar"
    if _EVIDENCE.fullmatch(path):
        return MAX_EVIDENCE, "berkas_terlalu_besar"
    return FORM_LIMIT, "kiriman_terlalu_besar"


def in_words(size: int) -> str:
    return f"{size // MiB} MiB" if size >= MiB else f"{size // 1024} KiB"


def too_large_message(path: str, lang: str) -> str:
    limit, code = body_limit(path)
    return t(code, "en" if lang == "en" else "id", limit=in_words(limit))


def too_large(request: Request) -> Response:
    """413 saying the limit: JSON for the API (in English, like its other errors), a page
    otherwise."""
    path = request.url.path
    if path.startswith("/api/"):
        return JSONResponse({"detail": too_large_message(path, "en")}, status_code=413)
    return render(
        request, "error.html", 413, message=too_large_message(path, lang_of(request)), status=413
    )


def login_required(request: Request) -> Response:
    """Where a page request without a live session goes: the login page (htmx follows
    HX-Redirect instead of swapping a redirect's HTML into the page)."""
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": "/masuk"})
    return RedirectResponse("/masuk", status_code=303)


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


class BodyGuard:
    """Refuses unauthenticated and oversize requests before their body is read."""

    def __init__(
        self, app: ASGIApp, engine: Engine, limit: Callable[[str], tuple[int, str]] = body_limit
    ) -> None:
        self.app, self.engine, self.limit = app, engine, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = scope["path"]
        if path not in SIGN_IN:
            refusal = await self._unauthenticated(request)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        allowed = self.limit(path)[0] + FRAMING
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > allowed):
            response = too_large(request) if declared.isdigit() else Response(status_code=400)
            # The client may still be sending; the server closes the connection afterwards.
            await response(scope, receive, send)
            return
        await self.app(scope, _counting(receive, allowed), send)

    async def _unauthenticated(self, request: Request) -> Response | None:
        api = request.url.path.startswith("/api/")
        token = _bearer(request) if api else request.cookies.get(SESSION_COOKIE)
        kind = "bearer" if api else "cookie"
        live: bool = bool(token) and await run_in_threadpool(self._live, token or "", kind)
        if live:
            return None
        if api:
            return JSONResponse(
                {"detail": "not authenticated"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return login_required(request)

    def _live(self, token: str, kind: str) -> bool:
        return session_user(self.engine, token, kind) is not None


def _counting(receive: Receive, allowed: int) -> Receive:
    """``receive`` that stops a body once more than ``allowed`` bytes have come in. The error
    surfaces where the route reads the body and becomes the same 413 answer."""
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > allowed:
                raise HTTPException(413)
        return message

    return counted
