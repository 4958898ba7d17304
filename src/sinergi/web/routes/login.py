"""Log in, log out, switch language."""

from __future__ import annotations

import secrets
from typing import Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sinergi.security.auth import (
    SESSION_COOKIE,
    SESSION_TTL,
    authenticate,
    csrf_ok,
    end_session,
)
from sinergi.security.auth import start_session as new_session
from sinergi.security.throttle import Throttled
from sinergi.store import audit
from sinergi.web.deps import LANG_COOKIE, Ctx, client_ip, home_for, page_ctx, render

router = APIRouter(include_in_schema=False)


def is_https(request: Request) -> bool:
    return (
        request.url.scheme == "https"
        or request.headers.get("x-forwarded-proto", "").lower() == "https"
    )


# The login form has no session yet, so its CSRF token is a double-submit one: a random value
# in a strict, HttpOnly cookie and the same value in the form. Another site can make a browser
# post the form, but it cannot read or set the cookie, so it cannot make the two agree.
LOGIN_CSRF_COOKIE = "sinergi_masuk"


def _login_page(request: Request, status: int = 200, **context: object) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", status, login_csrf=token, **context)
    _cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600, "strict", "/masuk")
    return response


def _cookie(
    request: Request,
    response: Response,
    name: str,
    value: str,
    max_age: int,
    same_site: Literal["lax", "strict"] = "lax",
    path: str = "/",
    http_only: bool = True,
) -> None:
    """Every cookie of the app: Secure behind HTTPS, SameSite, HttpOnly unless said."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=http_only,
        samesite=same_site,
        secure=is_https(request),
        path=path,
    )


@router.get("/masuk")
async def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/masuk")
def login(
    request: Request, username: str = Form(""), password: str = Form(""), csrf: str = Form("")
) -> Response:
    engine = request.app.state.engine
    ip = client_ip(request)
    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf or None):
        return _login_page(request, 403, error="login_formulir_kedaluwarsa", username=username)
    try:
        user = authenticate(engine, username, password, ip)
    except Throttled as exc:
        audit.record_now(
            engine, None, audit.LOGIN_FAILED, "pengguna", username[:64], {"alasan": "dibatasi"}, ip
        )
        response = _login_page(
            request,
            429,
            error="masuk_dibatasi",
            error_params={"minutes": exc.minutes},
            username=username,
        )
        response.headers["Retry-After"] = str(exc.minutes * 60)
        return response
    if user is None:
        audit.record_now(engine, None, audit.LOGIN_FAILED, "pengguna", username[:64], None, ip)
        return _login_page(request, 401, error="login_gagal", username=username)
    token, _csrf = new_session(engine, user, "cookie")
    audit.record_now(engine, user.username, audit.LOGIN, "pengguna", user.username, None, ip)
    response = RedirectResponse(home_for(user), status_code=303)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/masuk")
    _cookie(request, response, SESSION_COOKIE, token, int(SESSION_TTL.total_seconds()))
    return response


@router.post("/keluar")
def logout(ctx: Ctx = Depends(page_ctx)) -> Response:
    token = ctx.request.cookies.get(SESSION_COOKIE, "")
    end_session(ctx.engine, token)
    ctx.record(audit.LOGOUT, "pengguna", ctx.user.username)
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/bahasa/{lang}")
async def switch_language(request: Request, lang: str, kembali: str = "/") -> Response:
    # Only local paths: an open redirect would let a link on another site bounce through us.
    target = kembali if kembali.startswith("/") and not kembali.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    # Not HttpOnly: nothing secret, and harmless to read.
    _cookie(
        request, response, LANG_COOKIE, "en" if lang == "en" else "id", 365 * 86400, http_only=False
    )
    return response
