"""Family search, the family page (members, factors, growth, timeline), NIK reveal, and the
families that slipped through. Searches are POSTed so that names and No KKs never appear in a URL;
family pages are addressed by an opaque id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sinergi.core.masking import mask_nik
from sinergi.core.values import clean, split_codes
from sinergi.deliver.story import family_story
from sinergi.security.access import may
from sinergi.store import audit
from sinergi.web import queries
from sinergi.web.charts import growth_chart_svg
from sinergi.web.deps import Ctx, requires

router = APIRouter(include_in_schema=False)
named = requires("names")


@router.get("/keluarga")
async def search_page(ctx: Ctx = Depends(named)) -> Response:
    return ctx.render("search.html")


def _search(ctx: Ctx, q: str, kode_desa: str) -> Response:
    run = queries.latest_run(ctx.engine)
    rows = (
        queries.search_families(
            ctx.engine, ctx.user, run["id"] if run else None, q, kode_desa or None
        )
        if (q.strip() or kode_desa)
        else []
    )
    for r in rows:
        r["fid"] = ctx.ids.encode(r["no_kk"])
    if rows:
        ctx.record(audit.VIEW, "pencarian", None, {"hasil": len(rows)})
    template = "_search_results.html" if ctx.request.headers.get("hx-request") else "search.html"
    return ctx.render(template, rows=rows, searched=True, q=q)


@router.post("/keluarga/cari")
async def search(
    q: str = Form(""), kode_desa: str = Form(""), ctx: Ctx = Depends(named)
) -> Response:
    return await run_in_threadpool(_search, ctx, q, kode_desa)


def _story(ctx: Ctx, no_kk: str) -> dict[str, Any]:
    """Factor explanations, current programme statuses and the intervention timeline."""
    story = family_story(ctx.engine, no_kk, ctx.lang) or {}
    factors = (story.get("penilaian") or {}).get("faktor", [])
    return {
        "explanations": {f["kode"]: f["penjelasan"] for f in factors},
        "timeline": story.get("riwayat", []),
        "current": story.get("program", []),
    }


def _family(ctx: Ctx, fid: str, reveal: bool) -> Response:
    no_kk = ctx.ids.decode(fid)
    run = queries.latest_run(ctx.engine)
    detail = (
        queries.family_detail(ctx.engine, ctx.user, run["id"] if run else None, no_kk)
        if no_kk
        else None
    )
    if detail is None or no_kk is None:
        raise HTTPException(404)
    show_nik = reveal and may(ctx.user, "nik")
    ctx.record(audit.REVEAL if show_nik else audit.VIEW, "keluarga", no_kk)
    for m in detail["members"]:
        m["nik_tampil"] = m["nik"] if show_nik else mask_nik(m["nik"])
    if detail["family"].get("nik_kepala"):
        nik = detail["family"]["nik_kepala"]
        detail["family"]["nik_kepala_tampil"] = nik if show_nik else mask_nik(nik)
    for k in detail["children"]:
        k["nik_tampil"] = (k["nik_anak"] or "") if show_nik else mask_nik(k["nik_anak"])
        sex = k["jenis_kelamin"] if k["jenis_kelamin"] in ("L", "P") else None
        k["chart_tbu"] = (
            growth_chart_svg(sex, "tbu", k["tinggi"], ctx.lang) if sex and k["tinggi"] else None
        )
        k["chart_bbu"] = (
            growth_chart_svg(sex, "bbu", k["berat"], ctx.lang) if sex and k["berat"] else None
        )
        for z in ("zs_tbu", "zs_bbu", "zs_bbtb"):
            k[z] = clean(k[z])
    return ctx.render(
        "family.html",
        d=detail,
        fid=fid,
        show_nik=show_nik,
        may_reveal=may(ctx.user, "nik"),
        **_story(ctx, no_kk),
    )


@router.get("/keluarga/{fid}")
async def family_page(fid: str, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_family, ctx, fid, False)


@router.post("/keluarga/{fid}/nik")
async def reveal_nik(fid: str, ctx: Ctx = Depends(requires("nik"))) -> Response:
    return await run_in_threadpool(_family, ctx, fid, True)


def _missed(ctx: Ctx) -> Response:
    run = queries.latest_run(ctx.engine)
    if run is None:
        return ctx.render("missed.html", run=None)
    fam = queries.missed_families(ctx.engine, ctx.user, run["id"])
    # Findings a delivered programme has cleared are hidden unless asked for (?semua=1).
    show_all = ctx.request.query_params.get("semua") == "1"
    kids = queries.missed_children(ctx.engine, ctx.user, run["id"], ctx.lang, show_all)
    fam_rows = [{k: clean(v) for k, v in r.items()} for r in fam.head(500).to_dict("records")]
    kid_rows = [{k: clean(v) for k, v in r.items()} for r in kids.head(500).to_dict("records")]
    for r in fam_rows + kid_rows:
        r["fid"] = ctx.ids.encode(r["no_kk"]) if r.get("no_kk") else None
        r["faktor"] = split_codes(r.get("faktor"))
        r["nama_desa"] = queries.region_name(r["kode_desa"])
    ctx.record(audit.VIEW, "terlewat", str(run["id"]), {"keluarga": len(fam), "anak": len(kids)})
    return ctx.render(
        "missed.html",
        run=run,
        families=fam_rows,
        children=kid_rows,
        n_families=len(fam),
        n_children=int(kids["ditangani_oleh"].isna().sum()) if len(kids) else 0,
        show_all=show_all,
    )


@router.get("/terlewat")
async def missed_page(ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_missed, ctx)
