"""Upload an officer's file, import it in the request through the import door
(`sinergi.security.imports`), show the validation report and offer it as XLSX. The report is
rebuilt from ``import_issues`` so it can be downloaded again later; a user sees only the batches
`access.batch_clause` allows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sinergi.core.display import Number
from sinergi.ingest.report import issue_text
from sinergi.ingest.schema import KINDS
from sinergi.messages import t
from sinergi.security import imports as door
from sinergi.security.access import importable_kinds
from sinergi.web.deps import Ctx, IdPath, read_capped, requires, xlsx_download
from sinergi.web.limits import MAX_UPLOAD

router = APIRouter(include_in_schema=False)
importer = requires("import")
SHOWN_ISSUES = 300


def _batches(ctx: Ctx) -> list[dict[str, Any]]:
    return door.visible_batches(ctx.engine, ctx.user)


@router.get("/impor")
def import_page(ctx: Ctx = Depends(importer)) -> Response:
    return ctx.render("imports.html", kinds=importable_kinds(ctx.user), batches=_batches(ctx))


def _run(ctx: Ctx, kind: str, name: str, content: bytes, as_of_text: str) -> Response:
    def page_error(status: int, message: str) -> Response:
        return ctx.render(
            "imports.html",
            status,
            kinds=importable_kinds(ctx.user),
            batches=_batches(ctx),
            error=message,
        )

    try:
        as_of = door.parse_as_of(as_of_text)
    except ValueError:
        return page_error(400, t("impor_tanggal_data_salah", ctx.lang, value=as_of_text))
    try:
        result = door.import_upload(ctx.engine, ctx.user, kind, name, content, as_of, "web", ctx.ip)
    except door.ImportNotAllowed as exc:
        return page_error(403 if kind in KINDS else 400, t(exc.code, ctx.lang, **exc.params))
    issues = [
        {
            "baris": i.baris,
            "kolom": i.kolom,
            "nilai": i.nilai,
            "kode": i.kode,
            "tingkat": i.tingkat,
            "alasan": issue_text(i, ctx.lang),
        }
        for i in result.issues[:SHOWN_ISSUES]
    ]
    refusal = issue_text(result.refusal, ctx.lang) if result.refusal is not None else None
    return ctx.render(
        "imports.html",
        kinds=importable_kinds(ctx.user),
        batches=_batches(ctx),
        result=result,
        issues=issues,
        n_issues=len(result.issues),
        refusal=refusal,
        file_name=result.path.name,
        older=t("baris_lebih_lama", ctx.lang, n=Number(result.counts.older))
        if result.counts.older
        else None,
    )


@router.post("/impor")
async def upload(
    kind: str = Form(...),
    berkas: UploadFile = File(...),
    as_of: str = Form(""),
    ctx: Ctx = Depends(importer),
) -> Response:
    content = await read_capped(berkas, MAX_UPLOAD)
    return await run_in_threadpool(_run, ctx, kind, berkas.filename or "", content, as_of)


def _report(ctx: Ctx, batch_id: int) -> Response:
    found = door.report_file(ctx.engine, ctx.user, batch_id, ctx.ip)
    if found is None:
        raise HTTPException(404)
    return xlsx_download(*found)


@router.get("/impor/{batch_id}/laporan.xlsx")
async def report(batch_id: IdPath, ctx: Ctx = Depends(importer)) -> Response:
    return await run_in_threadpool(_report, ctx, batch_id)
