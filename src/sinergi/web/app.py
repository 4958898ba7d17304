"""The web application: server-rendered pages (Jinja2 + htmx), the REST API under /api/v1,
static assets served from the package (no CDN: district offices may be offline)."""

from __future__ import annotations

import logging
import os
import secrets
import uuid
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sinergi.messages import t
from sinergi.security.access import FamilyIds, may
from sinergi.settings import get_settings
from sinergi.store.db import ensure_schema
from sinergi.web import format
from sinergi.web.api import PAGING_TEXT
from sinergi.web.deps import LoginRequired, lang_of, render

HERE = Path(__file__).parent
log = logging.getLogger("sinergi.web")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every response; pages default to ``no-store`` because they
    carry personal data, static assets may be cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in names]
                if b"cache-control" not in names:
                    headers.append(
                        (b"cache-control", b"public, max-age=86400" if static else b"no-store")
                    )
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secret() -> bytes:
    """The server secret for opaque family ids: SINERGI_SECRET_KEY, or a random key kept in
    ``<data_dir>/.sinergi-secret`` (created once, readable by the owner only), so ids stay stable
    across restarts and across workers."""
    env = os.environ.get("SINERGI_SECRET_KEY")
    if env:
        return env.encode()
    path = get_settings().data_dir / ".sinergi-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def create_app(db_url: str | None = None, *, secret: bytes | None = None) -> FastAPI:
    settings = get_settings()
    url = db_url or os.environ.get("SINERGI_DATABASE_URL") or settings.database_url
    app = FastAPI(
        title="Sinergi API",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="Registry of families at risk of stunting (KRS). Bearer tokens "
        "from POST /api/v1/auth/token.\n\n" + PAGING_TEXT,
    )
    app.state.engine = ensure_schema(url)
    app.state.ids = FamilyIds(secret or _secret())
    app.state.default_lang = settings.lang
    app.state.region = settings.region
    templates = Jinja2Templates(directory=HERE / "templates")
    format.install(templates.env)
    templates.env.globals["may"] = may  # the menus ask the access rules, not role names
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from sinergi.web import api, guard
    from sinergi.web.routes import (
        admin,
        dashboard,
        families,
        imports,
        linkage,
        login,
        networks,
        programmes,
        reports,
        unlinked,
        village,
    )

    templates.env.globals["verification_menu"] = village.menu
    templates.env.globals["report_links"] = reports.links  # PDF and XLSX buttons of report kinds

    # Added first so it runs inside SecurityHeaders: its early answers get the headers too.
    app.add_middleware(guard.BodyGuard, engine=app.state.engine)
    app.add_middleware(SecurityHeaders)

    for module in (
        login,
        dashboard,
        families,
        programmes,
        networks,
        imports,
        linkage,
        admin,
        unlinked,
        village,
        reports,
    ):
        app.include_router(module.router)
    app.include_router(api.router)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        return guard.login_required(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 413:
            return guard.too_large(request)  # the same sentence, naming the route's limit
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": exc.detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        code = {403: "galat_403", 404: "galat_404"}.get(exc.status_code, "galat_umum")
        if exc.status_code == 403 and exc.detail == "csrf":
            code = "galat_csrf"
        return render(
            request,
            "error.html",
            exc.status_code,
            message=t(code, lang_of(request)),
            status=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        return render(
            request, "error.html", 404, message=t("galat_404", lang_of(request)), status=404
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Logged with a reference the officer can quote; the path is left out because API
        # paths may carry a No KK.
        ref = uuid.uuid4().hex[:8]
        log.error("unexpected error, reference %s", ref, exc_info=exc)
        message = t("galat_500", lang_of(request), ref=ref)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=500)
        return render(request, "error.html", 500, message=message, status=500)

    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (workers > 1 import the app by name)."""
    return create_app()
