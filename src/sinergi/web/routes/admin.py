"""The audit log (auditor, admin) and account administration (admin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import Response

from sinergi.security.access import ROLES
from sinergi.security.users import (
    UserError,
    create_user,
    get_user,
    list_users,
    new_password,
    reset_password,
    set_active,
)
from sinergi.store import audit
from sinergi.web.deps import Ctx, IdPath, requires

router = APIRouter(include_in_schema=False)
admin_only = requires("users")


@router.get("/audit")
def audit_page(
    pengguna: str = "", aksi: str = "", ctx: Ctx = Depends(requires("audit"))
) -> Response:
    rows = audit.entries(ctx.engine, pengguna or None, aksi or None)
    return ctx.render("audit.html", rows=rows, pengguna=pengguna, aksi=aksi)


def _users_page(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    return ctx.render("users.html", status, users=list_users(ctx.engine), roles=ROLES, **extra)


@router.get("/pengguna")
def users_page(ctx: Ctx = Depends(admin_only)) -> Response:
    return _users_page(ctx)


@router.post("/pengguna")
def add_user(
    username: str = Form(""),
    role: str = Form(""),
    wilayah: str = Form(""),
    program: str = Form(""),
    ctx: Ctx = Depends(admin_only),
) -> Response:
    password = new_password(username.strip())
    regions = [w for w in wilayah.replace(",", " ").split() if w]
    programs = [p for p in program.replace(",", " ").split() if p]
    try:
        create_user(
            ctx.engine,
            username.strip(),
            role,
            regions,
            programs,
            password,
            by=ctx.user.username,
            ip=ctx.ip,
        )
    except UserError as exc:
        return _users_page(ctx, 400, error=ctx.t(exc.code, **exc.params))
    return _users_page(ctx, shown_password=(username, password))


def _target(ctx: Ctx, user_id: int) -> dict:
    target = get_user(ctx.engine, user_id)
    if target is None:
        raise HTTPException(404)
    return target


@router.post("/pengguna/{user_id}/aktif")
def toggle_active(
    user_id: IdPath,
    aktif: str = Form(""),
    ctx: Ctx = Depends(admin_only),
) -> Response:
    target = _target(ctx, user_id)
    active = aktif == "1"
    if target["id"] == ctx.user.id and not active:
        return _users_page(ctx, 400, error=ctx.t("pengguna_tidak_bisa_nonaktif_diri"))
    set_active(ctx.engine, user_id, active, ctx.user.username, ctx.ip)
    return _users_page(ctx)


@router.post("/pengguna/{user_id}/sandi")
def reset(user_id: IdPath, ctx: Ctx = Depends(admin_only)) -> Response:
    target = _target(ctx, user_id)
    password = reset_password(ctx.engine, user_id, ctx.user.username, ctx.ip)
    return _users_page(ctx, shown_password=(target["username"], password))
