"""Family search, the family page (members, factors, growth, timeline), NIK reveal, and the
families that slipped through. Searches are POSTed so that names and No KKs never appear in a URL;
family pages are addressed by an opaque id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sinergi.assess.clearing import still_missed
from sinergi.assess.missed import MISSED_COLUMNS
from sinergi.core.masking import mask_nik
from sinergi.core.values import clean, split_codes
from sinergi.deliver.story import family_story
from sinergi.security.access import may
from sinergi.store import audit
from sinergi.store.tables import families
from sinergi.web import paging, queries
from sinergi.web.charts import growth_chart_svg
from sinergi.web.deps import Ctx, list_download, requires
from sinergi.web.routes import village

router = APIRouter(include_in_schema=False)
named = requires("names")


@router.get("/keluarga")
async def search_page(ctx: Ctx = Depends(named)) -> Response:
    villages = paging.village_choices(ctx.user, ctx.request.app.state.region)
    return ctx.render("search.html", villages=villages)


def _search_ask(ctx: Ctx, form: dict[str, str]) -> tuple[str, str, tuple[str, ...] | None]:
    """The search form's words, village filter as sent and the village codes it names."""
    desa = form.get("desa", "")
    codes = paging.village_filter(ctx.user, ctx.request.app.state.region, desa)
    return form.get("q", ""), desa, codes


def _search(ctx: Ctx, form: dict[str, str]) -> Response:
    run = queries.latest_run(ctx.engine)
    q, desa, codes = _search_ask(ctx, form)
    asked = paging.ask(form, list(queries.SEARCH_SORTS), "nama_kepala")
    rows: list[dict[str, Any]] = []
    total = 0
    if q.strip() or desa:
        query = queries.search_query(ctx.user, run["id"] if run else None, q, codes)
        rows, total, asked = paging.sql_page(
            ctx.engine, query, asked, queries.SEARCH_SORTS, families.c.no_kk
        )
    for r in queries.named_rows(rows):
        r["fid"] = ctx.ids.encode(r["no_kk"])
    if rows:
        ctx.record(audit.VIEW, "pencarian", None, {"hasil": total, "halaman": asked.page})
    page = paging.Page(rows, total, asked, "/keluarga/cari", (("q", q), ("desa", desa)))
    template = "_search_results.html" if ctx.request.headers.get("hx-request") else "search.html"
    return ctx.render(
        template,
        pg=page,
        searched=True,
        q=q,
        desa=desa,
        villages=paging.village_choices(ctx.user, ctx.request.app.state.region),
    )


@router.post("/keluarga/cari")
async def search(request: Request, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_search, ctx, await _form(request))


async def _form(request: Request) -> dict[str, str]:
    """A list's form fields (search words, filters, page, order) as text."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _search_export(ctx: Ctx, form: dict[str, str]) -> Response:
    run = queries.latest_run(ctx.engine)
    q, desa, codes = _search_ask(ctx, form)
    asked = paging.ask(form, list(queries.SEARCH_SORTS), "nama_kepala")
    rows: list[dict[str, Any]] = []
    if q.strip() or desa:
        query = queries.search_query(ctx.user, run["id"] if run else None, q, codes)
        with ctx.engine.connect() as conn:
            ordered = paging.sql_order(query, asked, queries.SEARCH_SORTS, families.c.no_kk)
            rows = [dict(r._mapping) for r in conn.execute(ordered)]
    frame = pd.DataFrame(queries.named_rows(rows), columns=SEARCH_COLUMNS)
    frame["faktor"] = frame["faktor"].map(lambda v: ";".join(v) if isinstance(v, list) else v)
    return list_download(
        ctx,
        "pencarian",
        "hasil-pencarian.xlsx",
        frame,
        ("about_daftar", ctx.t("cari_judul")),
        {"about_filter_desa": desa or "-"},
        asked,
        detail={"kode_desa": list(codes) if codes is not None else None},
    )


SEARCH_COLUMNS = [
    "no_kk",
    "nama_kepala",
    "kode_desa",
    "nama_desa",
    "alamat",
    "rt",
    "rw",
    "krs",
    "miskin_ekstrem",
    "faktor",
]


@router.post("/keluarga/ekspor")
async def search_export(request: Request, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_search_export, ctx, await _form(request))


def _story(ctx: Ctx, no_kk: str) -> dict[str, Any]:
    """Factor explanations, current programme statuses and the intervention timeline."""
    story = family_story(ctx.engine, no_kk, ctx.lang) or {}
    factors = (story.get("penilaian") or {}).get("faktor", [])
    return {
        "explanations": {f["kode"]: f["penjelasan"] for f in factors},
        "timeline": story.get("riwayat", []),
        "current": story.get("program", []),
    }


def _family(
    ctx: Ctx,
    fid: str,
    reveal: bool,
    verify_form: dict[str, str] | None = None,
    verify_message: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The family page; after a verification was sent, ``verify_form`` holds what was typed and
    ``verify_message`` (kind ``notice`` or ``alert``, sentence) what became of it."""
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
        status_code,
        d=detail,
        fid=fid,
        show_nik=show_nik,
        may_reveal=may(ctx.user, "nik"),
        vf=verify_form or {},
        verify_message=verify_message,
        **_story(ctx, no_kk),
        **village.form_choices(ctx, detail["family"], detail["members"]),
    )


@router.get("/keluarga/{fid}")
async def family_page(fid: str, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_family, ctx, fid, False)


@router.post("/keluarga/{fid}/nik")
async def reveal_nik(fid: str, ctx: Ctx = Depends(requires("nik"))) -> Response:
    return await run_in_threadpool(_family, ctx, fid, True)


def _verify(ctx: Ctx, fid: str, form: dict[str, str]) -> Response:
    """A verification from the family page (`village.record_from_form`): the page again, with
    the record's outcome, or the service's sentence and what was typed."""
    no_kk = ctx.ids.decode(fid)
    run = queries.latest_run(ctx.engine)
    detail = (
        queries.family_detail(ctx.engine, ctx.user, run["id"] if run else None, no_kk)
        if no_kk
        else None
    )
    if detail is None or no_kk is None:
        raise HTTPException(404)
    if not village.may_verify(ctx.user, detail["family"]["kode_desa"]):
        raise HTTPException(403)
    outcome, error = village.record_from_form(ctx, no_kk, form)
    if error is not None:
        return _family(ctx, fid, False, form, ("alert", error), 400)
    if queries.family_detail(ctx.engine, ctx.user, None, no_kk) is None:
        # Moved out of the user's area: the village's list says what became of it.
        old = detail["family"]["kode_desa"]
        return RedirectResponse(f"/desa/{old}/verifikasi?tercatat={outcome.id}", status_code=303)
    return RedirectResponse(f"/keluarga/{fid}?tercatat={outcome.id}#verifikasi", status_code=303)


@router.post("/keluarga/{fid}/verifikasi")
async def verify_family(fid: str, request: Request, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_verify, ctx, fid, await _form(request))


# Sort keys of the missed lists (frame columns), and the columns that make the order total.
MISSED_FAMILY_SORTS = {
    "nama_kepala": ("nama_kepala",),
    "desa": ("kode_desa",),
    "miskin_ekstrem": ("miskin_ekstrem",),
}
MISSED_CHILD_SORTS = {
    "nama": ("nama",),
    "desa": ("kode_desa",),
    "alasan": ("kode_alasan",),
    "diukur": ("tanggal_ukur_terakhir",),
}
FAMILY_KEY = ("no_kk",)
CHILD_KEY = ("kode_desa", "no_kk", "nik", "nama", "kode_alasan")
FAMILY_COLUMNS = [
    "no_kk",
    "nama_kepala",
    "kode_desa",
    "nama_desa",
    "faktor",
    "sasaran",
    "miskin_ekstrem",
]


def _missed_lists(
    ctx: Ctx, run_id: int, params: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[str, ...] | None]:
    """The missed families and children of the user's scope, filtered by the ``desa`` asked."""
    fam = queries.missed_families(ctx.engine, ctx.user, run_id)
    # Findings a delivered programme has cleared are hidden unless asked for (?semua=1).
    show_all = params.get("semua") == "1"
    kids = queries.missed_children(ctx.engine, ctx.user, run_id, ctx.lang, show_all)
    codes = paging.village_filter(ctx.user, ctx.request.app.state.region, params.get("desa", ""))
    if codes is not None:
        fam = fam[fam["kode_desa"].isin(codes)] if len(fam) else fam
        kids = kids[kids["kode_desa"].isin(codes)] if len(kids) else kids
    return fam, kids, codes


def _missed(ctx: Ctx) -> Response:
    run = queries.latest_run(ctx.engine)
    if run is None:
        return ctx.render("missed.html", run=None)
    params = ctx.request.query_params
    show_all = params.get("semua") == "1"
    desa = params.get("desa", "")
    fam, kids, _ = _missed_lists(ctx, run["id"], params)
    keep = (("desa", desa), ("semua", "1" if show_all else ""))
    pages = []
    for frame, sorts, unique, prefix, default in (
        (fam, MISSED_FAMILY_SORTS, FAMILY_KEY, "k_", "desa"),
        (kids, MISSED_CHILD_SORTS, CHILD_KEY, "a_", "desa"),
    ):
        asked = paging.ask(params, list(sorts), default, prefix)
        shown, total, asked = paging.frame_page(frame, asked, sorts, unique)
        rows = [{k: clean(v) for k, v in r.items()} for r in shown.to_dict("records")]
        for r in rows:
            r["fid"] = ctx.ids.encode(r["no_kk"]) if r.get("no_kk") else None
            r["faktor"] = split_codes(r.get("faktor"))
            r["nama_desa"] = queries.region_name(r["kode_desa"])
        pages.append((rows, total, asked, prefix))
    # Each list's links keep the filters and the other list's page and order.
    both = [
        paging.Page(rows, total, asked, "/terlewat", keep, prefix)
        for rows, total, asked, prefix in pages
    ]
    families_page = replace(both[0], keep=keep + tuple(both[1].fields()))
    children_page = replace(both[1], keep=keep + tuple(both[0].fields()))
    ctx.record(
        audit.VIEW,
        "terlewat",
        str(run["id"]),
        {"keluarga": len(fam), "anak": len(kids), "kode_desa": desa or None},
    )
    return ctx.render(
        "missed.html",
        run=run,
        families=families_page,
        children=children_page,
        n_families=len(fam),
        n_children=len(still_missed(kids)) if len(kids) else 0,
        show_all=show_all,
        toggle_url="/terlewat?"
        + urlencode([(k, v) for k, v in (("desa", desa), ("semua", "" if show_all else "1")) if v]),
        desa=desa,
        villages=paging.village_choices(ctx.user, ctx.request.app.state.region),
    )


@router.get("/terlewat")
async def missed_page(ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_missed, ctx)


def _missed_export(ctx: Ctx, form: dict[str, str]) -> Response:
    run = queries.latest_run(ctx.engine)
    if run is None:
        raise HTTPException(404)
    fam, kids, codes = _missed_lists(ctx, run["id"], form)
    children = form.get("daftar") == "anak"
    if children:
        asked = paging.ask(form, list(MISSED_CHILD_SORTS), "desa", "a_")
        frame = paging.frame_order(kids, asked, MISSED_CHILD_SORTS, CHILD_KEY)
        frame = frame.reindex(columns=list(MISSED_COLUMNS))
        show_nik = may(ctx.user, "nik")
        if not show_nik:
            frame["nik"] = frame["nik"].map(lambda v: mask_nik(v) if isinstance(v, str) else v)
        title, name, what = "terlewat_anak_judul", "terlewat-anak.xlsx", "terlewat_anak"
    else:
        asked = paging.ask(form, list(MISSED_FAMILY_SORTS), "desa", "k_")
        frame = paging.frame_order(fam, asked, MISSED_FAMILY_SORTS, FAMILY_KEY)
        frame = frame.reindex(columns=FAMILY_COLUMNS)
        frame["nama_desa"] = frame["kode_desa"].map(queries.region_name)
        show_nik = False
        title, name, what = "terlewat_keluarga_judul", "terlewat-keluarga.xlsx", "terlewat"
    return list_download(
        ctx,
        what,
        name,
        frame,
        ("about_daftar", ctx.t(title)),
        {"about_filter_desa": form.get("desa") or "-"},
        asked,
        key=str(run["id"]),
        detail={
            "kode_desa": list(codes) if codes is not None else None,
            "nik_terbuka": show_nik,
        },
    )


@router.post("/terlewat/ekspor")
async def missed_export(request: Request, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_missed_export, ctx, await _form(request))
