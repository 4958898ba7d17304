"""Regency dashboard, village map and village pages: aggregates every role may see, and the
named list of a village's at-risk families for roles and areas that allow it."""

from __future__ import annotations

import json
from functools import partial

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sinergi.assess.summary import compare_published
from sinergi.core.values import clean, split_codes
from sinergi.security.access import can_see_names, in_area, region_allowed
from sinergi.store import audit
from sinergi.store.frames import read_frame
from sinergi.store.tables import families
from sinergi.targeting.plan import VillagePlan, village_plan
from sinergi.web import paging, queries
from sinergi.web.charts import line_chart_svg
from sinergi.web.deps import Ctx, home_for, list_download, page_ctx
from sinergi.web.geo import village_geojson, village_geojson_bytes

router = APIRouter(include_in_schema=False)
MAP_METRICS = ("krs", "prevalensi_stunting_pct", "konvergensi_pct", "jaringan_air")


def _trend_chart(ctx: Ctx) -> str | None:
    frame = queries.trend(ctx.engine, ctx.user.wilayah)
    if frame.empty:
        return None
    labels = [f"#{r.run_id} {r.tanggal}" for r in frame.itertuples()]
    return line_chart_svg(
        labels,
        {
            ctx.t("krs"): [int(v) for v in frame["krs"]],
            ctx.t("miskin_ekstrem"): [int(v) for v in frame["miskin_ekstrem"]],
        },
        ctx.t("tren_judul"),
        ctx.t("penilaian"),
        ctx.t("keluarga"),
        lang=ctx.lang,
    )


def _stunting_chart(ctx: Ctx) -> str | None:
    frame = queries.trend(ctx.engine, ctx.user.wilayah)
    if frame.empty or frame["prevalensi"].isna().all():
        return None
    labels = [f"#{r.run_id} {r.tanggal}" for r in frame.itertuples()]
    return line_chart_svg(
        labels,
        {
            ctx.t("prevalensi_stunting"): [
                None if pd.isna(v) else float(v) for v in frame["prevalensi"]
            ]
        },
        ctx.t("tren_stunting_judul"),
        ctx.t("penilaian"),
        "%",
        lang=ctx.lang,
    )


#: Sort keys of the dashboard's village table (`paging`): the frame columns each orders by.
VILLAGE_TABLE_SORTS = {
    "desa": ("nama_desa",),
    "kecamatan": ("kecamatan", "nama_desa"),
    "krs": ("krs",),
    "perubahan_krs": ("perubahan_krs",),
    "stunting": ("prevalensi_stunting_pct",),
    "perubahan_stunting": ("perubahan_stunting_pp",),
    "cakupan_ukur": ("cakupan_ukur_pct",),
    "konvergensi_dilayani": ("konvergensi_dilayani_pct",),
    "konvergensi": ("konvergensi_pct",),
    "jaringan_air": ("jaringan_air",),
}
VILLAGE_TABLE_COLUMNS = [
    "kode_desa",
    "nama_desa",
    "kecamatan",
    "keluarga",
    "krs",
    "krs_sebelumnya",
    "perubahan_krs",
    "balita_diukur",
    "balita_stunting",
    "prevalensi_stunting_pct",
    "ci95_bawah_pct",
    "ci95_atas_pct",
    "prevalensi_sebelumnya_pct",
    "perubahan_stunting_pp",
    "balita_terdaftar",
    "balita_terukur",
    "cakupan_ukur_pct",
    "konvergensi_dilayani_pct",
    "konvergensi_pct",
    "jaringan_air",
]
_NUMERIC = (
    "perubahan_krs",
    "prevalensi_stunting_pct",
    "prevalensi_sebelumnya_pct",
    "cakupan_ukur_pct",
    "konvergensi_dilayani_pct",
    "konvergensi_pct",
)


def stunting_change(now: object, before: object) -> float | None:
    """Change in stunting prevalence in percentage points; None when either is unknown."""
    a, b = clean(now), clean(before)
    return None if a is None or b is None else float(a) - float(b)  # type: ignore[arg-type]


def _village_table(
    ctx: Ctx, params: dict[str, str]
) -> tuple[pd.DataFrame, str, list[tuple[str, str]]]:
    """The villages of the user's area (`queries.villages`: the figures of the map and the
    village pages, the change since the previous run from `coverage`), of one kecamatan when
    ``kecamatan`` names one of them; with the kecamatan to choose from (code, name)."""
    frame = queries.villages(ctx.engine, ctx.request.app.state.region)
    frame = frame[frame["kode_desa"].map(lambda k: in_area(ctx.user, k))]
    choices = sorted(
        {(k, queries.region_name(k)) for k in frame["kode_kecamatan"]}, key=lambda c: c[1]
    )
    chosen = str(params.get("kecamatan") or "").strip()
    if chosen not in {k for k, _ in choices}:
        chosen = ""
    if chosen:
        frame = frame[frame["kode_kecamatan"] == chosen]
    frame = frame.assign(
        **{c: pd.to_numeric(frame[c], errors="coerce") for c in _NUMERIC},
    )
    frame["perubahan_stunting_pp"] = (
        frame["prevalensi_stunting_pct"] - frame["prevalensi_sebelumnya_pct"]
    )
    frame["jaringan_air"] = [ctx.t(f"air_{s}") for s in frame["jaringan_air"]]
    return frame.reindex(columns=VILLAGE_TABLE_COLUMNS), chosen, choices


def _dashboard(ctx: Ctx) -> Response:
    region = ctx.request.app.state.region
    run = queries.latest_run(ctx.engine)
    if run is None:
        return ctx.render("dashboard.html", run=None)
    params = dict(ctx.request.query_params)
    villages, chosen, choices = _village_table(ctx, params)
    asked = paging.ask(params, list(VILLAGE_TABLE_SORTS), "kecamatan")
    shown, n_villages, asked = paging.frame_page(
        villages, asked, VILLAGE_TABLE_SORTS, ["kode_desa"]
    )
    village_page = paging.Page(
        [{k: clean(v) for k, v in r.items()} for r in shown.to_dict("records")],
        n_villages,
        asked,
        "/dasbor",
        keep=(("kecamatan", chosen),),
    )
    # An area-limited user (a kecamatan, its villages) sees the figures of its area only, and
    # no comparison with the regency's published figures.
    area = ctx.user.wilayah
    totals = queries.regency_totals(ctx.engine, region, run["id"], area)
    totals = {k: clean(v) for k, v in totals.items()}
    kec = queries.kecamatan_table(ctx.engine, region, run["id"], area)
    rows = [
        {k: clean(v) for k, v in r.items()}
        | {
            "perubahan_stunting_pp": stunting_change(
                r["prevalensi_stunting_pct"], r["prevalensi_sebelumnya_pct"]
            )
        }
        for r in kec.to_dict("records")
    ]
    charts = queries.cached(
        ctx.engine,
        ("dashboard_charts", ctx.lang, area),
        lambda: (_trend_chart(ctx), _stunting_chart(ctx)),
    )
    comparison = (
        None
        if area
        else queries.cached(
            ctx.engine,
            ("published", run["id"], ctx.lang),
            lambda: compare_published(ctx.engine, run["id"], ctx.lang),
        )
    )
    return ctx.render(
        "dashboard.html",
        run=run,
        totals=totals,
        kecamatan=rows,
        trend_svg=charts[0],
        stunting_svg=charts[1],
        comparison=comparison,
        region_name=", ".join(queries.region_name(k) for k in area or (region,)),
        area_limited=bool(area),
        villages=village_page,
        kecamatan_choices=choices,
        kecamatan_chosen=chosen,
        # the run the change is counted from (`coverage`: the newest run older than this one)
        previous_run=max(
            (r["id"] for r in queries.runs(ctx.engine) if r["id"] < run["id"]), default=None
        ),
    )


def _village_table_export(ctx: Ctx, form: dict[str, str]) -> Response:
    if queries.latest_run(ctx.engine) is None:
        raise HTTPException(404)
    frame, chosen, _ = _village_table(ctx, form)
    asked = paging.ask(form, list(VILLAGE_TABLE_SORTS), "kecamatan")
    ordered = paging.frame_order(frame, asked, VILLAGE_TABLE_SORTS, ["kode_desa"])
    return list_download(
        ctx,
        "dasbor_desa",
        f"desa-dasbor{'-' + chosen if chosen else ''}.xlsx",
        ordered,
        ("dasbor_desa_about", ctx.t("dasbor_desa_judul")),
        {"dasbor_desa_filter_kecamatan": queries.region_name(chosen) if chosen else "—"},
        asked,
        key=chosen or None,
    )


@router.post("/dasbor/desa/ekspor")
async def village_table_export(request: Request, ctx: Ctx = Depends(page_ctx)) -> Response:
    """The dashboard's village table as XLSX, filtered and ordered as the page showed it."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_village_table_export, ctx, fields)


@router.get("/")
def home(ctx: Ctx = Depends(page_ctx)) -> Response:
    """The user's home (`deps.home_for`): the dashboard, or a redirect to the page of its work."""
    target = home_for(ctx.user)
    return _dashboard(ctx) if target == "/" else RedirectResponse(target, status_code=303)


@router.get("/dasbor")
def dashboard(ctx: Ctx = Depends(page_ctx)) -> Response:
    return _dashboard(ctx)


@router.get("/peta")
async def map_page(ctx: Ctx = Depends(page_ctx)) -> Response:
    return ctx.render("map.html", metrics=MAP_METRICS)


def _area_shapes(area: tuple[str, ...]) -> bytes:
    """The village boundaries inside ``area`` (a user's wilayah): its map shows its area."""
    shapes = village_geojson()
    shapes["features"] = [f for f in shapes["features"] if in_area(area, f["properties"]["kode"])]
    return json.dumps(shapes, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@router.get("/peta/desa.geojson")
async def village_shapes(ctx: Ctx = Depends(page_ctx)) -> Response:
    area = ctx.user.wilayah
    # Boundaries never change within a release: let the browser keep them for a day.
    return Response(
        _area_shapes(area) if area else village_geojson_bytes(),
        media_type="application/geo+json",
        headers={"Cache-Control": "private, max-age=86400"},
    )


@router.get("/peta/data.json")
def map_data(ctx: Ctx = Depends(page_ctx)) -> Response:
    frame = queries.villages(ctx.engine, ctx.request.app.state.region)
    frame = frame[frame["kode_desa"].map(lambda k: in_area(ctx.user, k))]
    cols = [
        "kode_desa",
        "nama_desa",
        "kecamatan",
        "keluarga",
        "krs",
        "miskin_ekstrem",
        "prevalensi_stunting_pct",
        "balita_diukur",
        "konvergensi_pct",
        "jaringan_air",
    ]
    rows = [{k: clean(v) for k, v in r.items()} for r in frame[cols].to_dict("records")]
    labels = {m: ctx.t(f"metrik_{m}") for m in MAP_METRICS}
    water = {s: ctx.t(f"air_{s}") for s in frame["jaringan_air"].unique()}
    return JSONResponse(
        {"desa": rows, "label": labels, "air": water, "tanpa_data": ctx.t("tanpa_data")}
    )


def _plans(ctx: Ctx, run_id: int) -> dict[str, VillagePlan]:
    out = {}
    for code, prog in queries.catalogue().items():
        if prog.unit == "desa":
            out[code] = queries.cached(
                ctx.engine,
                ("plan", code, run_id, ctx.lang),
                partial(village_plan, ctx.engine, run_id, prog, lang=ctx.lang),
            )
    return out


def _village(ctx: Ctx, kode_desa: str) -> Response:
    frame = queries.villages(ctx.engine, ctx.request.app.state.region)
    match = frame[frame["kode_desa"] == kode_desa]
    if match.empty or not in_area(ctx.user, kode_desa):
        raise HTTPException(404)  # a village outside the user's area is not found
    row = {k: clean(v) for k, v in match.iloc[0].to_dict().items()}
    run = queries.latest_run(ctx.engine)
    area_plans = []
    if run is not None:
        for code, plan in _plans(ctx, run["id"]).items():
            hit = plan.table[plan.table["kode_desa"] == kode_desa]
            if not hit.empty:
                r = hit.iloc[0]
                area_plans.append(
                    {
                        "kode_program": code,
                        "peringkat": int(r["peringkat"]),
                        "dari": len(plan.table),
                        "terpilih": bool(r["terpilih"]),
                        "alasan": r["alasan"],
                    }
                )
    named = None
    if run is not None and can_see_names(ctx.user) and region_allowed(ctx.user, kode_desa):
        asked = paging.ask(ctx.request.query_params, list(queries.VILLAGE_SORTS), "nama_kepala")
        rows, total, asked = paging.sql_page(
            ctx.engine,
            queries.village_families_query(ctx.user, run["id"], kode_desa),
            asked,
            queries.VILLAGE_SORTS,
            families.c.no_kk,
        )
        ctx.record(audit.VIEW, "daftar_desa", kode_desa, {"keluarga": total, "halaman": asked.page})
        for r in rows:
            r["fid"] = ctx.ids.encode(r["no_kk"])
            r["faktor"] = split_codes(r["faktor"])
        named = paging.Page(rows, total, asked, f"/desa/{kode_desa}")
    return ctx.render(
        "village.html",
        v=row,
        needs=queries.factor_needs(row),
        programmes=queries.village_programmes(ctx.engine, kode_desa),
        area_plans=area_plans,
        named=named,
        run=run,
    )


@router.get("/desa/{kode_desa}")
async def village(kode_desa: str, ctx: Ctx = Depends(page_ctx)) -> Response:
    return await run_in_threadpool(_village, ctx, kode_desa)


VILLAGE_COLUMNS = [
    "no_kk",
    "nama_kepala",
    "kode_desa",
    "nama_desa",
    "alamat",
    "rt",
    "rw",
    "faktor",
    "miskin_ekstrem",
    "jumlah_balita_stunting",
]


def _village_export(ctx: Ctx, kode_desa: str, form: dict[str, str]) -> Response:
    run = queries.latest_run(ctx.engine)
    if not region_allowed(ctx.user, kode_desa):
        raise HTTPException(403)
    if run is None or queries.region_name(kode_desa) == kode_desa:
        raise HTTPException(404)
    asked = paging.ask(form, list(queries.VILLAGE_SORTS), "nama_kepala")
    query = paging.sql_order(
        queries.village_families_query(ctx.user, run["id"], kode_desa),
        asked,
        queries.VILLAGE_SORTS,
        families.c.no_kk,
    )
    with ctx.engine.connect() as conn:
        frame = read_frame(conn, query)
    frame["nama_desa"] = queries.region_name(kode_desa)
    frame = frame.reindex(columns=VILLAGE_COLUMNS)
    return list_download(
        ctx,
        "daftar_desa",
        f"krs-desa-{kode_desa}.xlsx",
        frame,
        ("about_daftar", ctx.t("daftar_krs_desa")),
        {"about_filter_desa": f"{kode_desa} {queries.region_name(kode_desa)}"},
        asked,
        key=kode_desa,
    )


@router.post("/desa/{kode_desa}/ekspor")
async def village_export(
    kode_desa: str, request: Request, ctx: Ctx = Depends(page_ctx)
) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_village_export, ctx, kode_desa, fields)
