"""Upload an officer's file, import it in the request, show the validation report and offer it
as XLSX. The report is rebuilt from ``import_issues`` so it can be downloaded again later."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from sqlalchemy import Connection, select
from starlette.concurrency import run_in_threadpool

from sinergi.deliver.bulk import Applied, apply_intervention_rows
from sinergi.ingest.report import HEADERS
from sinergi.ingest.schema import KINDS
from sinergi.ingest.validate import Issue
from sinergi.registry.importer import ApplyHook, ImportResult, import_file
from sinergi.reports import write_table
from sinergi.security.access import IMPORTERS
from sinergi.security.auth import User
from sinergi.store.tables import import_batches, import_issues
from sinergi.web import audit
from sinergi.web.deps import MAX_ID, Ctx, roles
from sinergi.web.texts import t

router = APIRouter(include_in_schema=False)
importer = roles(*IMPORTERS)
MAX_UPLOAD = 50 * 1024 * 1024
# Agency officers load their own lists (beneficiaries, posyandu measurements, village water
# facts); the family registry itself (rosters, P3KE deciles) is DPPKB's.
AGENCY_KINDS = ("intervensi", "eppgbm", "desa")


def allowed_kinds(user: User) -> list[str]:
    return [k for k in KINDS if user.role != "instansi" or k in AGENCY_KINDS]
SHOWN_ISSUES = 300


def _visible(user: User):  # type: ignore[no-untyped-def]
    """Agency officers see their own imports; admin and DPPKB see all."""
    if user.role == "instansi":
        return import_batches.c.imported_by == user.username
    return import_batches.c.id.is_not(None)


def _batches(ctx: Ctx) -> list[dict[str, Any]]:
    b = import_batches.c
    with ctx.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(
            select(b.id, b.kind, b.file_name, b.status, b.started_at, b.rows_read, b.rows_loaded,
                   b.rows_rejected, b.rows_warned, b.imported_by)
            .where(_visible(ctx.user)).order_by(b.id.desc()).limit(30))]


@router.get("/impor")
def import_page(ctx: Ctx = Depends(importer)) -> Response:
    return ctx.render("imports.html", kinds=allowed_kinds(ctx.user), batches=_batches(ctx))


def _safe_name(name: str) -> str:
    base = Path(name or "berkas").name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:120] or "berkas"


def _own_programmes_only(user: User) -> ApplyHook:
    """The workflow hook for this user's uploads: an agency officer moves only the
    beneficiaries of its own programmes; a row for another agency's programme is refused."""
    if user.role != "instansi":
        return apply_intervention_rows

    def apply(conn: Connection, frame: pd.DataFrame, batch_id: int, oleh: str | None) -> Applied:
        foreign = frame[~frame["kode_program"].isin(user.program)]
        outcome = apply_intervention_rows(conn, frame[frame["kode_program"].isin(user.program)],
                                          batch_id, oleh)
        for r in foreign.itertuples(index=False):
            outcome.issues.append(Issue(int(r.baris), "Kode Program", r.kode_program,
                                        "impor_program_instansi_lain", "error",
                                        {"program": r.kode_program}))
            outcome.rejected_rows.add(int(r.baris))
        return outcome

    return apply


def _run(ctx: Ctx, kind: str, name: str, content: bytes) -> Response:
    if kind in KINDS and kind not in allowed_kinds(ctx.user):
        raise HTTPException(403)
    if kind not in KINDS:
        return ctx.render("imports.html", 400, kinds=allowed_kinds(ctx.user),
                          batches=_batches(ctx), error=t("jenis_tidak_dikenal", ctx.lang, kind=kind,
                                  choices=", ".join(KINDS)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(content)
        result: ImportResult = import_file(
            ctx.engine, kind, path, regency=ctx.request.app.state.region,
            user=ctx.user.username,
            apply=_own_programmes_only(ctx.user) if kind == "intervensi" else None)
    audit.record_now(ctx.engine, ctx.user.username, audit.IMPORT, "impor",
                     str(result.batch_id or result.previous_batch or ""),
                     {"jenis": kind, "berkas": path.name, "status": result.status,
                      "dibaca": result.rows_read, "dimuat": result.rows_loaded,
                      "ditolak": result.rows_rejected}, ctx.ip)
    issues = [{"baris": i.baris, "kolom": i.kolom, "nilai": i.nilai, "kode": i.kode,
               "tingkat": i.tingkat, "alasan": t(i.kode, ctx.lang, **i.params)}
              for i in result.issues[:SHOWN_ISSUES]]
    refusal = t(result.refusal.kode, ctx.lang, **result.refusal.params) \
        if result.refusal is not None else None
    return ctx.render("imports.html", kinds=allowed_kinds(ctx.user), batches=_batches(ctx),
                      result=result, issues=issues, n_issues=len(result.issues), refusal=refusal,
                      file_name=path.name)


@router.post("/impor")
async def upload(kind: str = Form(...), berkas: UploadFile = File(...),
                 ctx: Ctx = Depends(importer)) -> Response:
    content = await berkas.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise HTTPException(413)
    return await run_in_threadpool(_run, ctx, kind, berkas.filename or "", content)


def _report(ctx: Ctx, batch_id: int) -> Response:
    b, i = import_batches.c, import_issues.c
    with ctx.engine.connect() as conn:
        batch = conn.execute(select(import_batches).where(b.id == batch_id,
                                                          _visible(ctx.user))).first()
        if batch is None:
            raise HTTPException(404)
        rows = conn.execute(select(i.baris, i.kolom, i.nilai, i.tingkat, i.alasan, i.kode)
                            .where(i.batch_id == batch_id).order_by(i.id)).all()
    frame = pd.DataFrame(
        [[batch.file_name, batch.sheet or "", r.baris, r.kolom or "", r.nilai or "",
          t(f"severity_{r.tingkat}", "id"), r.alasan, r.kode] for r in rows],
        columns=HEADERS["id"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "laporan.xlsx"
        write_table(path, frame, "Laporan", {"Berkas": batch.file_name,
                                             "Jenis": batch.kind, "Status": batch.status,
                                             "Batch": batch.id})
        content = path.read_bytes()
    audit.record_now(ctx.engine, ctx.user.username, audit.EXPORT, "laporan_impor",
                     str(batch_id), {"baris": len(frame)}, ctx.ip)
    stem = Path(batch.file_name).stem
    return Response(content, media_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_safe_name(stem)}.laporan.xlsx"'})


@router.get("/impor/{batch_id}/laporan.xlsx")
async def report(batch_id: Annotated[int, PathParam(ge=1, le=MAX_ID)],
                 ctx: Ctx = Depends(importer)) -> Response:
    return await run_in_threadpool(_report, ctx, batch_id)
