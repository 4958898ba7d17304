"""Programme pages: the catalogue, per programme the optimiser beside the greedy rule and the
budget scenarios (village programmes also the ranking with its components), the allocation of a
family programme's budget (the same plan and save as ``sinergi allocate``), and the beneficiary
list with its workflow (single and bulk status changes, XLSX export)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sinergi.core.display import num
from sinergi.core.rupiah import RupiahError, parse_rupiah
from sinergi.core.statuses import NEXT, REJECT_REASONS, STATUSES
from sinergi.core.values import clean, split_codes
from sinergi.deliver.conflicts import conflicts
from sinergi.deliver.workflow import NotFound, WorkflowError
from sinergi.security.access import in_area, may_list, settable_statuses, status_refusal
from sinergi.security.auth import User
from sinergi.security.workflow import NotAllowed, StatusNotAllowed, change_status_as, check_change
from sinergi.store import audit
from sinergi.store.tables import proposals
from sinergi.targeting.catalogue import sync_catalogue
from sinergi.targeting.families import family_plan, save_proposals
from sinergi.targeting.plan import SCENARIO_SHARES, scenarios, village_plan
from sinergi.targeting.programmes import Programme
from sinergi.web import paging, queries
from sinergi.web.charts import line_chart_svg
from sinergi.web.deps import Ctx, list_download, page_ctx, read_capped
from sinergi.web.limits import MAX_EVIDENCE
from sinergi.web.routes import networks

router = APIRouter(include_in_schema=False)


def _programme(code: str) -> Programme:
    prog = queries.catalogue().get(code)
    if prog is None:
        raise HTTPException(404)
    return prog


@router.get("/program")
def programme_list(ctx: Ctx = Depends(page_ctx)) -> Response:
    run = queries.latest_run(ctx.engine)
    catalogue = queries.catalogue()
    listable = [code for code in catalogue if may_list(ctx.user, code)]
    counts = (
        queries.status_counts(ctx.engine, ctx.user, run["id"] if run else None, listable)
        if listable
        else {}
    )
    rows = [{"p": prog, "counts": counts.get(code)} for code, prog in catalogue.items()]
    return ctx.render("programmes.html", rows=rows, statuses=STATUSES)


def _scenario_chart(ctx: Ctx, prog: Programme, run_id: int) -> str:
    budgets = [prog.budget_rp * s for s in SCENARIO_SHARES]
    frame = scenarios(ctx.engine, run_id, prog, budgets)
    series: dict[str, list[float | None]] = {}
    for method, group in frame.groupby("metode"):
        reached = dict(zip(group["anggaran"], group["keluarga_terjangkau"], strict=True))
        series[ctx.t(f"metode_{method}")] = [clean(reached.get(b)) for b in budgets]
    return line_chart_svg(
        [b / 1e9 for b in budgets],
        series,
        ctx.t("skenario_judul", program=prog.code),
        ctx.t("sumbu_anggaran"),
        ctx.t("sumbu_keluarga"),
        lang=ctx.lang,
    )


def _area_plan(ctx: Ctx, prog: Programme, run_id: int) -> dict[str, Any]:
    """The allocation beside the greedy rule and the budget chart, for any programme; for a
    village programme also the ranking with its components (aggregates only, no names)."""
    key = (prog.code, run_id, ctx.lang)
    if prog.unit == "desa":
        plan: Any = queries.cached(
            ctx.engine,
            ("plan", *key),
            lambda: village_plan(ctx.engine, run_id, prog, lang=ctx.lang),
        )
        table = queries.cached(
            ctx.engine,
            ("plan_rows", *key),
            lambda: [{k: clean(v) for k, v in r.items()} for r in plan.table.to_dict("records")],
        )
        # The ranking is the regency's; an area-limited user sees its own villages' rows of it.
        table = [r for r in table if in_area(ctx.user, r["kode_desa"])]
    else:
        plan = queries.cached(
            ctx.engine,
            ("family_plan", *key),
            lambda: family_plan(ctx.engine, run_id, prog, lang=ctx.lang),
        )
        table = None
    return {
        "plan": plan,
        "table": table,
        "scenario_svg": queries.cached(
            ctx.engine, ("scenario", *key), lambda: _scenario_chart(ctx, prog, run_id)
        ),
    }


def may_allocate(user: User, code: str) -> bool:
    """May ``user`` allocate the budget of the family programme ``code``? An allocation proposes
    families (``usulan``) across the whole regency, so only whoever may propose on the
    programme's list (DPPKB, the administrator, the agency that owns it: `may_list` and the
    role's statuses) and is limited to no area; a village operator, analyst or auditor never."""
    return (
        not user.wilayah and may_list(user, code) and status_refusal(user, code, "usulan") is None
    )


def _page(
    ctx: Ctx,
    code: str,
    status: str,
    kode_desa: str,
    messages: list[str] | None = None,
    allocation: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    prog = _programme(code)
    run = queries.latest_run(ctx.engine)
    area = _area_plan(ctx, prog, run["id"]) if run is not None else None
    listing = None
    if may_list(ctx.user, code):
        listing = _listing(ctx, code, status, kode_desa, run)
    template = "_beneficiaries.html" if ctx.request.headers.get("hx-request") else "programme.html"
    return ctx.render(
        template,
        status_code,
        p=prog,
        area=area,
        listing=listing,
        statuses=STATUSES,
        reasons=REJECT_REASONS,
        status=status,
        kode_desa=kode_desa,
        messages=messages or [],
        next_status=NEXT,
        may_set=settable_statuses(ctx.user, code),
        may_allocate=run is not None and prog.unit == "keluarga" and may_allocate(ctx.user, code),
        allocation=allocation or {},
        networks=networks.networks(ctx, code)
        if prog.unit == "desa" and networks.may_build(ctx.user, code)
        else None,
        network_villages=paging.village_choices(ctx.user, ctx.request.app.state.region)
        if prog.unit == "desa" and networks.may_build(ctx.user, code)
        else [],
    )


def _listing(
    ctx: Ctx, code: str, status: str, kode_desa: str, run: dict[str, Any] | None
) -> dict[str, Any]:
    run_id = run["id"] if run else None
    codes = paging.village_filter(ctx.user, ctx.request.app.state.region, kode_desa)
    query = queries.beneficiaries_query(ctx.user, run_id, code, status or None, codes)
    asked = paging.ask(ctx.request.query_params, list(queries.BENEFICIARY_SORTS), "desa")
    rows, total, asked = paging.sql_page(
        ctx.engine, query, asked, queries.BENEFICIARY_SORTS, proposals.c.id
    )
    clashes = _conflicts(ctx, code)
    for r in rows:
        r["nama_desa"] = queries.region_name(r["kode_desa"])
        r["fid"] = ctx.ids.encode(r["no_kk"])
        r["faktor"] = split_codes(r["faktor"])
        r["konflik"] = clashes.get(r["no_kk"], [])
    ctx.record(
        audit.VIEW,
        "penerima",
        code,
        {
            "status": status or None,
            "kode_desa": list(codes) if codes is not None else None,
            "keluarga": total,
            "halaman": asked.page,
        },
    )
    keep = (("status", status), ("desa", kode_desa))
    return {
        "page": paging.Page(rows, total, asked, f"/program/{code}", keep),
        "total": total,
        "konflik": _conflicted(ctx, query, list(clashes)),
        "counts": queries.status_counts(ctx.engine, ctx.user, run_id, [code])[code],
        "villages": paging.village_choices(ctx.user, ctx.request.app.state.region),
    }


def _conflicted(ctx: Ctx, query: Any, clashing: list[str]) -> int:
    """How many rows of the whole filtered list (not only the page) are in a conflict."""
    if not clashing:
        return 0
    p = proposals.c
    with ctx.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(query.where(p.no_kk.in_(clashing)).subquery())
            ).scalar_one()
        )


def _conflicts(ctx: Ctx, code: str) -> dict[str, list[dict[str, str]]]:
    """No KK → the other side of each conflict involving this programme (a mutually exclusive
    programme, or this one twice), so both agencies see it on their own list."""
    frame = queries.cached(ctx.engine, ("conflicts",), lambda: conflicts(ctx.engine))
    out: dict[str, list[dict[str, str]]] = {}
    for r in frame.itertuples(index=False):
        if code not in (r.program_a, r.program_b):
            continue
        mine_a = r.program_a == code
        status = (
            f"{r.status_a} · {r.status_b}"
            if r.jenis == "ganda"
            else str(r.status_b if mine_a else r.status_a)
        )
        other = {
            "jenis": r.jenis,
            "program": r.program_b if mine_a else r.program_a,
            "instansi": (r.instansi_b if mine_a else r.instansi_a) or "",
            "status": status,
        }
        out.setdefault(r.no_kk, []).append(other)
    return out


@router.get("/program/{code}")
async def programme_page(
    code: str, status: str = "", desa: str = "", ctx: Ctx = Depends(page_ctx)
) -> Response:
    return await run_in_threadpool(_page, ctx, code, status, desa)


def _allocate(ctx: Ctx, code: str, text: str) -> Response:
    """`sinergi allocate` from the programme page: the same plan and save, as the officer, with
    the account of what the period held, what was created and what was passed over."""
    prog = _programme(code)
    if not may_allocate(ctx.user, code):
        raise HTTPException(403)
    if prog.unit != "keluarga":
        raise HTTPException(404)  # a village programme is chosen by its ranking, not allocated
    text = text.strip()
    result: dict[str, Any] = {"anggaran": text}
    try:
        amount = float(parse_rupiah(text)) if text else None
    except RupiahError as exc:
        result["galat"] = exc.message(ctx.lang)
        return _page(ctx, code, "", "", allocation=result, status_code=422)
    run = queries.latest_run(ctx.engine)
    if run is None:
        result["galat"] = ctx.t("belum_ada_penilaian_web")
        return _page(ctx, code, "", "", allocation=result, status_code=409)
    sync_catalogue(ctx.engine)
    plan = family_plan(ctx.engine, run["id"], prog, amount, ctx.lang)
    saved = save_proposals(ctx.engine, prog, run["id"], plan, oleh=ctx.user.username)
    ctx.record(
        audit.CHANGE,
        "alokasi",
        code,
        {
            "periode": prog.period,
            "run_id": run["id"],
            "anggaran": plan.budget,
            "usulan_baru": len(saved.created),
            "usulan_baru_rp": saved.created_rp,
            "berkomitmen": saved.before.committed,
            "terbuka_tetap": saved.before.open,
            "didahului": saved.overtaken,
        },
    )
    result |= {
        "judul": ctx.t("alokasi_ringkasan", program=prog.code, period=prog.period),
        "baris": saved.summary(ctx.lang, plan.skipped()),
        "disimpan": ctx.t(
            "usulan_disimpan",
            n=num(len(saved.created), ctx.lang),
            program=prog.code,
            period=prog.period,
        ),
    }
    return _page(ctx, code, "", "", allocation=result)


@router.post("/program/{code}/alokasi")
async def allocate(code: str, request: Request, ctx: Ctx = Depends(page_ctx)) -> Response:
    form = await request.form()
    text = form.get("anggaran")
    return await run_in_threadpool(_allocate, ctx, code, text if isinstance(text, str) else "")


def _change(ctx: Ctx, code: str, form: dict[str, Any]) -> Response:
    ke = str(form.get("ke", ""))
    bukti = form.get("bukti")
    alasan = str(form.get("alasan_tolak") or "") or None
    catatan = str(form.get("catatan") or "").strip() or None
    messages = []
    try:
        check_change(ctx.user, code, ke)
    except StatusNotAllowed as exc:
        return _page(
            ctx,
            code,
            str(form.get("filter_status", "")),
            str(form.get("filter_desa", "")),
            [ctx.t("wf_web_berhasil", n=0, status=ctx.t(f"status_{ke}")), exc.message(ctx.lang)],
        )
    except NotAllowed:
        raise HTTPException(403) from None
    except NotFound:
        raise HTTPException(404) from None
    for item in form["pilih"]:
        fid, _, versi = str(item).partition(":")
        no_kk = ctx.ids.decode(fid)
        if no_kk is None:
            messages.append(ctx.t("wf_web_tidak_ditemukan"))
            continue
        try:
            change_status_as(
                ctx.engine,
                ctx.user,
                code,
                no_kk,
                ke,
                alasan_tolak=alasan,
                catatan=catatan,
                bukti=bukti,
                versi=int(versi) if versi.isdigit() else None,
                sumber="web",
            )
        except WorkflowError as exc:
            messages.append(exc.message(ctx.lang))
    done = len(form["pilih"]) - len(messages)
    messages.insert(0, ctx.t("wf_web_berhasil", n=done, status=ctx.t(f"status_{ke}")))
    return _page(
        ctx, code, str(form.get("filter_status", "")), str(form.get("filter_desa", "")), messages
    )


@router.post("/program/{code}/status")
async def change(code: str, request: Request, ctx: Ctx = Depends(page_ctx)) -> Response:
    form = await request.form()
    data: dict[str, Any] = {
        k: form.get(k) for k in ("ke", "alasan_tolak", "catatan", "filter_status", "filter_desa")
    }
    data["pilih"] = [v for v in form.getlist("pilih") if isinstance(v, str)]
    # Optional evidence (a photo of the hand-over, a signed list), stored once by its sha256
    # and linked to every change it was sent with.
    upload = form.get("bukti")
    data["bukti"] = None
    if isinstance(upload, UploadFile) and upload.filename:
        content = await read_capped(upload, MAX_EVIDENCE)
        if content:
            data["bukti"] = (upload.filename, content)
    return await run_in_threadpool(_change, ctx, code, data)


def _export(ctx: Ctx, code: str, form: dict[str, str]) -> Response:
    if not may_list(ctx.user, code):
        raise HTTPException(403)
    prog = _programme(code)
    run = queries.latest_run(ctx.engine)
    status, kode_desa = form.get("status", ""), form.get("desa", "")
    codes = paging.village_filter(ctx.user, ctx.request.app.state.region, kode_desa)
    asked = paging.ask(form, list(queries.BENEFICIARY_SORTS), "desa")
    query = paging.sql_order(
        queries.beneficiaries_query(
            ctx.user, run["id"] if run else None, code, status or None, codes
        ),
        asked,
        queries.BENEFICIARY_SORTS,
        proposals.c.id,
    )
    with ctx.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for r in rows:
        r["nama_desa"] = queries.region_name(r["kode_desa"])
    cols = [
        "no_kk",
        "nama_kepala",
        "kode_desa",
        "nama_desa",
        "status",
        "versi",
        "biaya",
        "faktor",
        "alasan",
        "alasan_tolak",
        "periode",
        "updated_by",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    return list_download(
        ctx,
        "penerima",
        f"penerima-{code}.xlsx",
        frame,
        ("about_program", f"{prog.code}: {prog.name} ({prog.agency})"),
        {"about_filter_status": status or "-", "about_filter_desa": kode_desa or "-"},
        asked,
        key=code,
        detail={
            "status": status or None,
            "kode_desa": list(codes) if codes is not None else None,
        },
        sheet="Penerima",
    )


@router.post("/program/{code}/ekspor")
async def export(code: str, request: Request, ctx: Ctx = Depends(page_ctx)) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_export, ctx, code, fields)
