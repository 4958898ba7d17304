"""The linkage review page ("Tinjauan tautan"): the pairs waiting for an officer, each side by
side with how its fields compare, accepted or rejected one by one; a download of the queue.
Every read and decision goes through `sinergi.link.review` (scope, masking, audit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query
from fastapi.responses import Response

from sinergi.link.review import OBJECT, AlreadyDecided, NotFound, decide, pending, waiting_table
from sinergi.reports.exports import export_bytes
from sinergi.store import audit
from sinergi.web.deps import MAX_ID, Ctx, IdPath, requires, xlsx_download

router = APIRouter(include_in_schema=False)
reviewer = requires("review")
PageQuery = Annotated[int, Query(ge=1, le=MAX_ID)]


def _page(ctx: Ctx, page: int, messages: list[str] | None = None, status: int = 200) -> Response:
    queue = pending(ctx.engine, ctx.user, page)
    ctx.record(audit.VIEW, OBJECT, None, {"halaman": queue.page, "pasangan": len(queue.rows)})
    return ctx.render(
        "linkage.html", status, queue=queue, messages=messages or [], error=status >= 400
    )


@router.get("/tautan")
def review_page(halaman: PageQuery = 1, ctx: Ctx = Depends(reviewer)) -> Response:
    return _page(ctx, halaman)


@router.post("/tautan/{pair_id}/keputusan")
def decide_pair(
    pair_id: IdPath,
    keputusan: str = Form(""),
    catatan: str = Form(""),
    halaman: int = Form(1, ge=1, le=MAX_ID),
    ctx: Ctx = Depends(reviewer),
) -> Response:
    if keputusan not in ("terima", "tolak"):
        raise HTTPException(400)
    accept = keputusan == "terima"
    try:
        decide(ctx.engine, ctx.user, pair_id, accept, catatan, ip=ctx.ip)
    except NotFound:
        raise HTTPException(404) from None
    except AlreadyDecided as exc:
        return _page(ctx, halaman, [exc.message(ctx.lang)], 409)
    done = ctx.t("tautan_diterima" if accept else "tautan_ditolak", id=pair_id)
    return _page(ctx, halaman, [done])


@router.post("/tautan/ekspor")
def export(ctx: Ctx = Depends(reviewer)) -> Response:
    frame = waiting_table(ctx.engine, ctx.user)
    about: dict[str, object] = {
        "about_tautan": ctx.t("tautan_judul"),
        "about_diekspor_oleh": ctx.user.username,
        "about_baris": len(frame),
    }
    name = "tinjauan-tautan.xlsx"
    content = export_bytes(
        ctx.engine, ctx.user, OBJECT, frame, name, about, ctx.lang, sheet="Tautan", ip=ctx.ip
    )
    return xlsx_download(name, content)
