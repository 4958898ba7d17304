"""Meeting-ready reports from the web: ``GET /laporan/{kind}?format=pdf|xlsx&desa=&kecamatan=
&periode=&dusun=`` builds the same `Laporan` as ``sinergi report`` (`reports.kinds`) and sends it
through the same door (`kinds.report_bytes`: written, then recorded in the audit log).

Who may print what is decided before anything is read (`kinds.area_allowed`): a village's people
(musdes, kasus) only for roles that see names and only within the user's area; a village or
kecamatan outside the user's area is refused (403); aggregate kinds for every signed-in role,
each limited to the user's area by the kind itself. `links` gives the pages their PDF and XLSX
buttons, only for kinds that exist and the user may print.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sinergi.reports import kinds
from sinergi.reports.periode import PeriodeError, parse_periode
from sinergi.security.auth import User
from sinergi.web import queries
from sinergi.web.deps import VILLAGE_CODE_LENGTH, XLSX, Ctx, page_ctx

router = APIRouter(include_in_schema=False)

KECAMATAN_CODE_LENGTH = 8
MEDIA = {"pdf": "application/pdf", "xlsx": XLSX}
# Options passed through to the kind besides the area and period (the musdes list's filter).
EXTRA = ("dusun", "daftar")


def links(user: User | None, kind: str, **params: Any) -> dict[str, str]:
    """The report's PDF and XLSX links for a page (format → URL), or none when the kind does
    not exist or ``user`` may not print it for the area in ``params``."""
    if user is None or kind not in kinds.KINDS:
        return {}
    area = params.get("desa") or params.get("kecamatan") or None
    if not kinds.area_allowed(user, kind, area):
        return {}
    given = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    return {
        fmt: f"/laporan/{kind}?" + urlencode([("format", fmt), *given]) for fmt in ("pdf", "xlsx")
    }


def _region(code: str, length: int) -> str:
    """A village or kecamatan code of the registry's regions; 404 for anything else."""
    if len(code) != length or queries.region_name(code) == code:
        raise HTTPException(404)
    return code


def _report(ctx: Ctx, kind: str) -> Response:
    if kind not in kinds.KINDS:
        raise HTTPException(404)
    params = ctx.request.query_params
    fmt = params.get("format", "pdf")
    if fmt not in MEDIA:
        raise HTTPException(400, ctx.t("lap_format_tidak_dikenal", name=fmt))
    desa = params.get("desa", "").strip()
    kecamatan = params.get("kecamatan", "").strip()
    options: dict[str, Any] = {
        "desa": _region(desa, VILLAGE_CODE_LENGTH) if desa else None,
        "kecamatan": _region(kecamatan, KECAMATAN_CODE_LENGTH) if kecamatan else None,
    }
    try:
        periode = params.get("periode", "").strip()
        options["periode"] = parse_periode(periode).kode if periode else None
    except PeriodeError as exc:
        raise HTTPException(400, ctx.t("lap_periode_salah", text=periode)) from exc
    options |= {k: params.get(k, "").strip()[:100] or None for k in EXTRA}
    if not kinds.area_allowed(ctx.user, kind, options["desa"] or options["kecamatan"]):
        raise HTTPException(403)
    try:
        laporan = kinds.build_report(kind, ctx.engine, ctx.user, ctx.lang, **options)
    except kinds.ReportError as exc:
        status = 403 if exc.code == "lap_di_luar_wilayah" else 400
        raise HTTPException(status, exc.message(ctx.lang)) from exc
    area = options["desa"] or options["kecamatan"] or options["periode"] or "kabupaten"
    name = f"laporan-{kind}-{str(area).replace('.', '')}.{fmt}"
    content, _ = kinds.report_bytes(ctx.engine, ctx.user, kind, laporan, name, options, ip=ctx.ip)
    # A PDF opens in the browser's viewer (to print); a workbook is saved.
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@router.get("/laporan/{kind}")
async def report(kind: str, ctx: Ctx = Depends(page_ctx)) -> Response:
    return await run_in_threadpool(_report, ctx, kind)
