"""Requests with a body are checked before the body is read.

Starlette parses a multipart form (and spools its files to disk) as soon as a route or a
dependency asks for a form field — before the login check of a page that reads its CSRF token
from the form, so anyone could make the server take in 50 MiB. This pure ASGI middleware looks at
the headers first: a state-changing request without a live session (cookie for pages, bearer
token under /api/) is answered without pulling a single byte of its body, a declared
Content-Length over the route's limit likewise, and a body without Content-Length is counted as
it streams and cut off at the limit. The session it finds is left for the page or API
dependency (`deps.keep_session`), so a request's session is looked up once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sinergi.ingest.limits import megabytes
from sinergi.messages import t
from sinergi.security.auth import SESSION_COOKIE, User, session_user
from sinergi.web.deps import api_lang_of, keep_session, lang_of, render
from sinergi.web.limits import FORM_LIMIT, MAX_EVIDENCE, MAX_UPLOAD

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


def too_large_message(path: str, lang: str) -> str:
    limit, code = body_limit(path)
    return t(code, "en" if lang == "en" else "id", limit=megabytes(limit))


def too_large(request: Request) -> Response:
    """413 saying the limit: JSON for the API (in the language it asks for), a page
    otherwise."""
    path = request.url.path
    if path.startswith("/api/"):
        message = too_large_message(path, api_lang_of(request))
        return JSONResponse({"detail": message}, status_code=413)
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
            refusal = await self._unauthenticated(request, scope)
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

    async def _unauthenticated(self, request: Request, scope: Scope) -> Response | None:
        api = request.url.path.startswith("/api/")
        token = _bearer(request) if api else request.cookies.get(SESSION_COOKIE)
        kind = "bearer" if api else "cookie"
        found = await run_in_threadpool(self._live, token, kind) if token else None
        if found is not None:
            keep_session(scope, kind, found)
            return None
        if api:
            return not_authenticated(request)
        return login_required(request)

    def _live(self, token: str, kind: str) -> tuple[User, str] | None:
        return session_user(self.engine, token, kind)


def not_authenticated(request: Request) -> Response:
    """401 for the API, in the language it asks for (`deps.api_lang_of`)."""
    return JSONResponse(
        {"detail": t("api_belum_masuk", api_lang_of(request))},
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


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
