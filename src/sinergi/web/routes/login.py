"""Log in, log out, switch language."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sinergi.web import audit
from sinergi.web.auth import SESSION_COOKIE, SESSION_TTL, Throttled, authenticate, end_session
from sinergi.web.auth import start_session as new_session
from sinergi.web.deps import LANG_COOKIE, Ctx, client_ip, page_ctx, render

router = APIRouter(include_in_schema=False)


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or \
        request.headers.get("x-forwarded-proto", "").lower() == "https"


@router.get("/masuk")
async def login_form(request: Request) -> Response:
    return render(request, "login.html")


@router.post("/masuk")
def login(request: Request, username: str = Form(""), password: str = Form("")) -> Response:
    engine = request.app.state.engine
    ip = client_ip(request)
    try:
        user = authenticate(engine, username, password, ip)
    except Throttled:
        audit.record_now(engine, None, audit.LOGIN_FAILED, "pengguna", username[:64],
                         {"alasan": "dibatasi"}, ip)
        return render(request, "login.html", 429, error="login_dibatasi", username=username)
    if user is None:
        audit.record_now(engine, None, audit.LOGIN_FAILED, "pengguna", username[:64], None, ip)
        return render(request, "login.html", 401, error="login_gagal", username=username)
    token, _csrf = new_session(engine, user, "cookie")
    audit.record_now(engine, user.username, audit.LOGIN, "pengguna", user.username, None, ip)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_TTL.total_seconds()),
                        httponly=True, samesite="lax", secure=is_https(request), path="/")
    return response


@router.post("/keluar")
def logout(ctx: Ctx = Depends(page_ctx)) -> Response:
    token = ctx.request.cookies.get(SESSION_COOKIE, "")
    end_session(ctx.engine, token)
    audit.record_now(ctx.engine, ctx.user.username, audit.LOGOUT, "pengguna", ctx.user.username,
                     None, ctx.ip)
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/bahasa/{lang}")
async def switch_language(request: Request, lang: str, kembali: str = "/") -> Response:
    # Only local paths: an open redirect would let a link on another site bounce through us.
    target = kembali if kembali.startswith("/") and not kembali.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, "en" if lang == "en" else "id", max_age=365 * 86400,
                        samesite="lax", secure=is_https(request), path="/")
    return response
