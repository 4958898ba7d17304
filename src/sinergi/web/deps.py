"""Per-request plumbing shared by the page routes and the API: language, the logged-in user,
CSRF, the audit entry of what a user did, rendering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from fastapi import Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Scope

from sinergi.messages import Lang, t
from sinergi.reports.exports import export_bytes
from sinergi.security.access import FamilyIds, may, sees_health_findings
from sinergi.security.auth import SESSION_COOKIE, User, csrf_ok, session_user
from sinergi.store import audit
from sinergi.web.paging import Ask

LANG_COOKIE = "lang"
# Integer keys are 32-bit on PostgreSQL: a larger id in a path cannot exist (and would overflow).
MAX_ID = 2_147_483_647
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where `guard.BodyGuard` leaves the session it found in ``scope["state"]``, so that the page or
# API dependency does not look the same token up a second time.
SESSION_STATE = "sinergi_session"


class LoginRequired(Exception):
    """Raised by page dependencies; the app answers with a redirect to the login page."""


@dataclass
class Ctx:
    """What a page handler needs: the request, its user and language, and the app's services."""

    request: Request
    user: User
    csrf: str
    lang: Lang

    @property
    def engine(self) -> Engine:
        return self.request.app.state.engine

    @property
    def ids(self) -> FamilyIds:
        return self.request.app.state.ids

    @property
    def ip(self) -> str:
        return client_ip(self.request)

    def t(self, code: str, **kw: object) -> str:
        return t(code, self.lang, **kw)

    def record(
        self, aksi: str, objek: str, kunci: str | None, rincian: dict[str, Any] | None = None
    ) -> None:
        """What the user did (``audit.VIEW``, ``EXPORT``, ``CHANGE`` …), in the audit log."""
        record(self.request, self.user, aksi, objek, kunci, rincian)

    def render(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return render(self.request, name, status_code, user=self.user, csrf=self.csrf, **context)


def lang_of(request: Request) -> Lang:
    value = request.cookies.get(LANG_COOKIE) or request.app.state.default_lang
    return "en" if value == "en" else "id"


def api_lang_of(request: Request) -> Lang:
    """The language of an API answer: the ``lang`` query parameter, else the first language of
    ``Accept-Language`` (by its q-values) that the catalogue speaks, else English (the API's
    documented language)."""
    asked = request.query_params.get("lang")
    if asked == "en":
        return "en"
    if asked == "id":
        return "id"
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.partition(";")
        q = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                q = float(value)
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().lower().split("-")[0]))
    for minus_q, _, primary in sorted(ranked):
        if minus_q < 0 and primary in ("en", "id"):
            return "en" if primary == "en" else "id"
    return "en"


def client_ip(request: Request) -> str:
    # The socket's address: uvicorn replaces it with X-Forwarded-For only when the request
    # comes from a proxy listed in SINERGI_TRUSTED_PROXIES (see web.cli.uvicorn_options).
    return request.client.host if request.client else "-"


def record(
    request: Request,
    user: User,
    aksi: str,
    objek: str,
    kunci: str | None,
    rincian: dict[str, Any] | None = None,
) -> None:
    """What ``user`` did through ``request`` (a page or the API), in the audit log with the
    client's address."""
    audit.record_now(
        request.app.state.engine, user.username, aksi, objek, kunci, rincian, client_ip(request)
    )


def keep_session(scope: Scope, kind: str, found: tuple[User, str]) -> None:
    """Leave the live session found before the body was read for the request's dependency."""
    scope.setdefault("state", {})[SESSION_STATE] = (kind, found)


def live_session(request: Request, token: str | None, kind: str) -> tuple[User, str] | None:
    """The user and CSRF token of the request's live session of this kind ("cookie" for pages,
    "bearer" for the API): as the body guard found it, else looked up now."""
    kept = request.scope.get("state", {}).get(SESSION_STATE)
    if kept is not None and kept[0] == kind:
        return kept[1]
    return session_user(request.app.state.engine, token, kind) if token else None


async def read_capped(upload: UploadFile, limit: int, detail: str | None = None) -> bytes:
    """An uploaded file's bytes, refused with 413 past ``limit`` bytes: at most one byte more is
    read, so no upload can make the server allocate more than the cap."""
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise HTTPException(413, detail)
    return content


def xlsx_download(name: str, content: bytes) -> Response:
    """A workbook sent as a file named ``name``."""
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def list_download(
    ctx: Ctx,
    what: str,
    name: str,
    frame: pd.DataFrame,
    heading: tuple[str, object],
    filters: dict[str, object],
    asked: Ask,
    *,
    key: str | None = None,
    detail: dict[str, object] | None = None,
    sheet: str = "Data",
) -> Response:
    """A list exactly as the page filtered and ordered it, through the export door
    (`reports.exports.export_bytes`: scoped by the caller's query, audited with ``what``, the
    order asked and ``detail``), with its sheet saying what (``heading``: a message code and
    its text), by whom, filtered how (``filters``), in which order and how many rows."""
    content = export_bytes(
        ctx.engine,
        ctx.user,
        what,
        frame,
        name,
        {heading[0]: heading[1], "about_diekspor_oleh": ctx.user.username}
        | filters
        | {"about_urutan": asked.order_label, "about_baris": len(frame)},
        ctx.lang,
        sheet=sheet,
        key=key,
        detail={"urut": asked.sort} | (detail or {}),
        ip=ctx.ip,
    )
    return xlsx_download(name, content)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    context.setdefault("user", None)
    context.setdefault("csrf", "")

    def tr(code: str, **kw: object) -> str:
        return t(code, lang, **kw)

    return request.app.state.templates.TemplateResponse(
        request, name, {"lang": lang, "t": tr, **context}, status_code=status_code
    )


def _session(request: Request) -> tuple[User, str]:
    found = live_session(request, request.cookies.get(SESSION_COOKIE), "cookie")
    if found is None:
        raise LoginRequired
    return found


async def page_ctx(request: Request) -> Ctx:
    """The logged-in user's context; state-changing requests must carry the session's CSRF token
    (form field ``csrf`` or header ``X-CSRF-Token``, which htmx sends)."""
    user, csrf = await run_in_threadpool(_session, request)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        given = request.headers.get("x-csrf-token")
        if not given:
            form = await request.form()
            value = form.get("csrf")
            given = value if isinstance(value, str) else None
        if not csrf_ok(csrf, given):
            raise HTTPException(403, "csrf")
    return Ctx(request, user, csrf, lang_of(request))


# A village code (64.08.04.2001) is 13 characters; shorter codes name a kecamatan or more.
VILLAGE_CODE_LENGTH = 13


def home_for(user: User) -> str:
    """Where a user lands after signing in and at ``/``: the page of its daily work. A village
    operator: its (first) village's families to verify; the health officer (`access.sees_health_findings`, Dinkes):
    its case finding; another agency officer: its (first) programme; the auditor: the audit
    log; DPPKB, the administrator and the analyst (and a village operator of a whole
    kecamatan): the dashboard (``/``)."""
    if user.role == "auditor":
        return "/audit"
    if user.role == "desa":
        villages = [k for k in user.wilayah if len(k) == VILLAGE_CODE_LENGTH]
        return f"/desa/{villages[0]}/verifikasi" if villages else "/"
    if user.role == "instansi":
        if sees_health_findings(user):
            return "/terlewat"
        return f"/program/{user.program[0]}" if user.program else "/program"
    return "/"


def requires(permission: str):  # type: ignore[no-untyped-def]
    """A dependency: the page context, refused with 403 unless the user has ``permission``
    (one of `sinergi.security.access.PERMISSIONS`)."""

    async def check(ctx: Ctx = Depends(page_ctx)) -> Ctx:
        if not may(ctx.user, permission):
            raise HTTPException(403, "role")
        return ctx

    return check
