"""An area programme's village networks in the browser (Dinas PU), and the evidence files of
workflow steps.

A PU officer opens a village's network from the programme page, records its stage (perencanaan →
konstruksi → beroperasi, with the day and a note; the version the page showed is sent back, so a
change made meanwhile by a colleague is not overwritten) and connects households: the village's
families, searched by the head's name or No KK, a page at a time. Both go through the services
``sinergi project`` uses (`sinergi.deliver.projects`), which write the project's history and the
audit log. Only the officers of the programme (and DPPKB, the administrator) may do this, and only
in their area.

An evidence file (a photo of a hand-over, a signed list) opens for whoever may see a beneficiary
it was sent with, on the list of that programme (`access.may_list`, `family_in_scope`); everyone
else is told it does not exist. It is served as an image or PDF when its bytes say so, otherwise
as a download, never as a page the browser would run; every opening is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import and_, func, or_, select
from starlette.concurrency import run_in_threadpool

from sinergi.core.display import num
from sinergi.deliver.projects import (
    PROJECT_STATUSES,
    ProjectError,
    connect_households,
    set_project,
)
from sinergi.ingest.parsers import date_value
from sinergi.security.access import in_area, may_list
from sinergi.security.auth import User
from sinergi.security.workflow import family_in_scope
from sinergi.store import audit
from sinergi.store.tables import (
    evidence,
    families,
    project_events,
    project_households,
    projects,
    proposal_events,
    proposals,
)
from sinergi.targeting.catalogue import sync_catalogue
from sinergi.targeting.programmes import Programme
from sinergi.web import paging, queries
from sinergi.web.deps import Ctx, page_ctx
from sinergi.wilayah import get_wilayah

router = APIRouter(include_in_schema=False)

FAMILY_SORTS = {
    "nama_kepala": (families.c.nama_kepala,),
    "no_kk": (families.c.no_kk,),
    "rt": (families.c.rw, families.c.rt),
    "tersambung": (project_households.c.tersambung,),
}


def may_build(user: User, code: str) -> bool:
    """May ``user`` record the village projects of programme ``code``? DPPKB and the
    administrator, and the agency officers holding the programme; each within its area."""
    if user.role in ("admin", "dppkb"):
        return True
    return user.role == "instansi" and code in user.program


def _village_programme(ctx: Ctx, code: str, kode_desa: str) -> Programme:
    prog = queries.catalogue().get(code)
    region = get_wilayah().get(kode_desa)
    if prog is None or prog.unit != "desa" or region is None or not region.is_village:
        raise HTTPException(404)
    if not may_build(ctx.user, code) or not in_area(ctx.user, kode_desa):
        raise HTTPException(403)
    return prog


def networks(ctx: Ctx, code: str) -> list[dict[str, Any]]:
    """The programme's recorded projects in the user's area, newest change first, with the
    households connected (for the programme page)."""
    connected = (
        select(project_households.c.project_id, func.count().label("n"))
        .group_by(project_households.c.project_id)
        .subquery()
    )
    pj = projects.c
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(
                pj.kode_desa,
                pj.status,
                pj.sambungan_rumah,
                pj.updated_at,
                pj.updated_by,
                func.coalesce(connected.c.n, 0).label("keluarga"),
            )
            .select_from(projects.outerjoin(connected, connected.c.project_id == pj.id))
            .where(pj.kode_program == code)
            .order_by(pj.updated_at.desc(), pj.kode_desa)
        ).all()
    w = get_wilayah()
    return [
        dict(r._mapping) | {"nama_desa": w.name(r.kode_desa), "kecamatan": w.name(r.kode_desa[:8])}
        for r in rows
        if in_area(ctx.user, r.kode_desa)
    ]


def _network(
    ctx: Ctx,
    code: str,
    kode_desa: str,
    params: dict[str, str],
    messages: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    prog = _village_programme(ctx, code, kode_desa)
    pj = projects.c
    with ctx.engine.connect() as conn:
        project = (
            conn.execute(select(projects).where(pj.kode_program == code, pj.kode_desa == kode_desa))
            .mappings()
            .first()
        )
        history = (
            [
                dict(r)
                for r in conn.execute(
                    select(project_events)
                    .where(project_events.c.project_id == project["id"])
                    .order_by(project_events.c.waktu.desc(), project_events.c.id.desc())
                ).mappings()
            ]
            if project
            else []
        )
    pid = project["id"] if project else -1
    ph, f = project_households.c, families.c
    query = (
        select(f.no_kk, f.nama_kepala, f.dusun, f.rt, f.rw, ph.tersambung)
        .select_from(
            families.outerjoin(project_households, and_(ph.no_kk == f.no_kk, ph.project_id == pid))
        )
        .where(f.kode_desa == kode_desa, f.keluar.is_(None))
    )
    cari = params.get("q", "").strip()[:100]
    if cari:
        digits = "".join(ch for ch in cari if ch.isdigit())
        found = f.nama_kepala.ilike(f"%{cari}%")
        query = query.where(or_(found, f.no_kk.like(digits + "%")) if digits else found)
    asked = paging.ask(params, list(FAMILY_SORTS), "nama_kepala")
    rows, total, asked = paging.sql_page(ctx.engine, query, asked, FAMILY_SORTS, f.no_kk)
    for r in rows:
        r["fid"] = ctx.ids.encode(r["no_kk"])
    with ctx.engine.connect() as conn:
        connected = int(
            conn.execute(
                select(func.count()).select_from(project_households).where(ph.project_id == pid)
            ).scalar_one()
        )
    ctx.record(
        audit.VIEW,
        "jaringan",
        f"{code}:{kode_desa}",
        {"keluarga": total, "halaman": asked.page, "cari": bool(cari)},
    )
    path = f"/program/{code}/jaringan/{kode_desa}"
    return ctx.render(
        "network.html",
        status_code,
        p=prog,
        kode_desa=kode_desa,
        nama_desa=get_wilayah().name(kode_desa),
        project=project,
        history=history,
        connected=connected,
        statuses=PROJECT_STATUSES,
        page=paging.Page(rows, total, asked, path, (("q", cari),)),
        q=cari,
        today=date.today().isoformat(),
        messages=messages or [],
        failed=status_code >= 400,
    )


@router.get("/program/{code}/jaringan")
async def network_choice(code: str, desa: str = "", ctx: Ctx = Depends(page_ctx)) -> Response:
    """The programme page's village chooser: on to that village's network."""
    _village_programme(ctx, code, desa.strip())
    return RedirectResponse(f"/program/{code}/jaringan/{desa.strip()}", status_code=303)


@router.get("/program/{code}/jaringan/{kode_desa}")
async def network_page(
    code: str, kode_desa: str, request: Request, ctx: Ctx = Depends(page_ctx)
) -> Response:
    params = dict(request.query_params)
    return await run_in_threadpool(_network, ctx, code, kode_desa, params)


def _day(text: str, ctx: Ctx) -> tuple[date | None, str | None]:
    """The form's date (empty: today), or the sentence why it is refused."""
    if not text.strip():
        return None, None
    parsed = date_value(text)
    if not parsed.ok:
        return None, ctx.t(str(parsed.code), **parsed.params)
    return parsed.value, None


def _progress(ctx: Ctx, code: str, kode_desa: str, form: dict[str, str]) -> Response:
    _village_programme(ctx, code, kode_desa)
    day, refused = _day(form.get("tanggal", ""), ctx)
    versi = form.get("versi", "")
    if refused is not None:
        return _network(ctx, code, kode_desa, {}, [refused], 422)
    try:
        sync_catalogue(ctx.engine)
        row = set_project(
            ctx.engine,
            code,
            kode_desa,
            form.get("ke", ""),
            oleh=ctx.user.username,
            catatan=form.get("catatan", "").strip()[:1000] or None,
            versi=int(versi) if versi.isdigit() else None,
            tanggal=day,
        )
    except ProjectError as exc:
        return _network(ctx, code, kode_desa, {}, [exc.message(ctx.lang)], 409)
    said = ctx.t(
        "pj_berubah",
        program=code,
        desa=get_wilayah().name(kode_desa),
        status=ctx.t(f"proyek_{row['status']}"),
        households=num(row["sambungan_rumah"], ctx.lang),
    )
    return _network(ctx, code, kode_desa, {}, [said])


@router.post("/program/{code}/jaringan/{kode_desa}/tahap")
async def progress(
    code: str, kode_desa: str, request: Request, ctx: Ctx = Depends(page_ctx)
) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_progress, ctx, code, kode_desa, fields)


def _connect(ctx: Ctx, code: str, kode_desa: str, form: dict[str, Any]) -> Response:
    _village_programme(ctx, code, kode_desa)
    day, refused = _day(str(form.get("tanggal", "")), ctx)
    if refused is not None:
        return _network(ctx, code, kode_desa, {}, [refused], 422)
    chosen = [ctx.ids.decode(fid) for fid in form["pilih"]]
    if not chosen or None in chosen:
        return _network(ctx, code, kode_desa, {}, [ctx.t("pj_pilih_keluarga")], 422)
    try:
        n = connect_households(
            ctx.engine,
            code,
            kode_desa,
            [kk for kk in chosen if kk is not None],
            oleh=ctx.user.username,
            tanggal=day,
            catatan=str(form.get("catatan", "")).strip()[:1000] or None,
        )
    except ProjectError as exc:
        return _network(ctx, code, kode_desa, {}, [exc.message(ctx.lang)], 409)
    said = ctx.t("pj_tersambung", n=num(n, ctx.lang), desa=get_wilayah().name(kode_desa))
    return _network(ctx, code, kode_desa, {}, [said])


@router.post("/program/{code}/jaringan/{kode_desa}/sambung")
async def connect(
    code: str, kode_desa: str, request: Request, ctx: Ctx = Depends(page_ctx)
) -> Response:
    form = await request.form()
    data: dict[str, Any] = {k: form.get(k) for k in ("tanggal", "catatan")}
    data["pilih"] = [v for v in form.getlist("pilih") if isinstance(v, str)]
    return await run_in_threadpool(_connect, ctx, code, kode_desa, data)


# --- evidence ------------------------------------------------------------------------------------

# What a file's first bytes say it is: the only types served for the browser to show.
_SHOWN = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


def shown_type(content: bytes) -> str | None:
    """The image or PDF type ``content`` starts with, or None (then it is only downloaded)."""
    for magic, kind in _SHOWN:
        if content.startswith(magic):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def _evidence(ctx: Ctx, evidence_id: int) -> Response:
    pe, p = proposal_events.c, proposals.c
    with ctx.engine.connect() as conn:
        uses = conn.execute(
            select(p.kode_program, p.no_kk)
            .select_from(proposal_events)
            .join(proposals, p.id == pe.proposal_id)
            .where(pe.evidence_id == evidence_id)
            .distinct()
        ).all()
    # The lists it was sent with that this user may open, and on them a family in reach.
    allowed = [u for u in uses if may_list(ctx.user, u.kode_program)]
    if not any(family_in_scope(ctx.engine, ctx.user, u.no_kk) for u in allowed):
        raise HTTPException(404)  # outside the user's reach it does not exist
    with ctx.engine.connect() as conn:
        row = conn.execute(select(evidence).where(evidence.c.id == evidence_id)).mappings().one()
    ctx.record(
        audit.VIEW,
        "bukti",
        str(evidence_id),
        {"berkas": row["nama_berkas"], "program": sorted({u.kode_program for u in allowed})},
    )
    content = bytes(row["isi"])
    kind = shown_type(content)
    name = quote(row["nama_berkas"], safe="")
    ascii_name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in row["nama_berkas"])
    disposition = "inline" if kind else "attachment"
    return Response(
        content,
        media_type=kind or "application/octet-stream",
        headers={
            "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{name}",
            # Even a file the browser is asked to show runs nothing.
            "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/bukti/{evidence_id}")
async def evidence_file(evidence_id: int, ctx: Ctx = Depends(page_ctx)) -> Response:
    return await run_in_threadpool(_evidence, ctx, evidence_id)
