"""The children of the health service's own e-PPGBM data that link to no registered family
(``/anak-tanpa-kk``): the latest run's measured children without a No KK, with their posyandu,
village, parent's name, latest measurement and findings — for the roles that may see them
(`access.sees_unlinked_children`: Dinkes, DPPKB, the administrator, a village operator), each
within its area. Paged, sorted and filtered by village as every list (`web.paging`); the XLSX
export passes the one export door and is audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Engine, Select, and_, false, select
from starlette.concurrency import run_in_threadpool

from sinergi.assess.findings import SIGNALS, child_signals
from sinergi.assess.prevalence import stunted_mask, wasted_mask
from sinergi.core.codelists import join_bits
from sinergi.core.masking import mask_nik
from sinergi.core.values import clean
from sinergi.security.access import may, prefix_clause
from sinergi.security.auth import User
from sinergi.store import audit
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_children, measurements
from sinergi.web import paging, queries
from sinergi.web.deps import Ctx, list_download, requires

router = APIRouter(include_in_schema=False)
allowed = requires("unlinked")

#: The findings a row may carry, in the order the page writes them.
FINDINGS: tuple[str, ...] = ("anak_stunting", "anak_kurus", *SIGNALS)
SORTS = {
    "nama": ("nama_anak",),
    "desa": ("nama_desa", "posyandu"),
    "posyandu": ("posyandu",),
    "diukur": ("tanggal_ukur",),
}
KEY = ("child_key",)
COLUMNS = [
    "nama_anak",
    "nik_anak",
    "jenis_kelamin",
    "tanggal_lahir",
    "nama_ortu",
    "kode_desa",
    "nama_desa",
    "posyandu",
    "tanggal_ukur",
    "berat",
    "tinggi",
    "lila",
    "zs_tbu",
    "zs_bbtb",
    "zs_bbu",
    "temuan",
]


def unlinked_query(user: User, run_id: int) -> Select[Any]:
    """The run's measured children attached to no family, in the user's area, with the
    measurement they were assessed on (posyandu, parent's name, weight, height); unordered."""
    c, m = assessment_children.c, measurements.c
    area = prefix_clause(user.wilayah, c.kode_desa)
    if user.role == "desa" and not user.wilayah:
        area = false()  # a village operator without villages sees nothing, not everything
    return (
        select(
            c.child_key,
            c.nik_anak,
            c.nama_anak,
            c.jenis_kelamin,
            c.tanggal_lahir,
            c.kode_desa,
            c.tanggal_ukur,
            c.umur_hari,
            c.zs_tbu,
            c.zs_bbu,
            c.zs_bbtb,
            c.status_tbu,
            c.status_bbu,
            c.status_bbtb,
            c.flags,
            c.edema,
            c.lila,
            c.berat_lahir,
            c.bb_2t,
            m.nama_ortu,
            m.posyandu,
            m.berat,
            m.tinggi,
        )
        .join(measurements, m.id == c.measurement_id)
        .where(and_(c.run_id == run_id, c.no_kk.is_(None), area))
    )


def unlinked_children(engine: Engine, user: User, run: Mapping[str, Any]) -> pd.DataFrame:
    """`unlinked_query` read, with the village's name and each child's findings at the run's
    reference date (``temuan``: codes of `FINDINGS`, joined by ``;``); cached per run, user and
    data version (`queries.cached`): callers never change it in place."""
    key = ("unlinked", int(run["id"]), user.username, user.role, user.wilayah, user.program)
    return queries.cached(engine, key, lambda: _unlinked_children(engine, user, run))


def _unlinked_children(engine: Engine, user: User, run: Mapping[str, Any]) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = read_frame(conn, unlinked_query(user, int(run["id"])))
    if frame.empty:
        return frame.assign(nama_desa=pd.Series(dtype=str), temuan=pd.Series(dtype=str))
    ref: date = run["reference_date"]
    masks = {
        "anak_stunting": stunted_mask(frame, ref),
        "anak_kurus": wasted_mask(frame, ref),
        **child_signals(frame, ref),
    }
    bits = sum(
        masks[code].fillna(False).astype(bool).to_numpy(np.int64) << i
        for i, code in enumerate(FINDINGS)
    )
    frame["temuan"] = join_bits(np.asarray(bits), list(FINDINGS))
    frame["nama_desa"] = frame["kode_desa"].map(queries.region_name)
    return frame


def _listed(ctx: Ctx, params: Mapping[str, str]) -> tuple[pd.DataFrame, tuple[str, ...] | None]:
    """The user's unlinked children of the latest run, filtered by the ``desa`` asked."""
    run = queries.latest_run(ctx.engine)
    if run is None:
        return pd.DataFrame(columns=[*KEY, *COLUMNS]), None
    frame = unlinked_children(ctx.engine, ctx.user, run)
    codes = paging.village_filter(ctx.user, ctx.request.app.state.region, params.get("desa", ""))
    if codes is not None and len(frame):
        frame = frame[frame["kode_desa"].isin(codes)]
    return frame, codes


def _page(ctx: Ctx) -> Response:
    run = queries.latest_run(ctx.engine)
    params = ctx.request.query_params
    desa = params.get("desa", "")
    frame, _ = _listed(ctx, params)
    asked = paging.ask(params, list(SORTS), "desa")
    shown, total, asked = paging.frame_page(frame, asked, SORTS, KEY)
    show_nik = may(ctx.user, "nik")
    rows = [{k: clean(v) for k, v in r.items()} for r in shown.to_dict("records")]
    for r in rows:
        r["nik_tampil"] = (r["nik_anak"] or "") if show_nik else mask_nik(r["nik_anak"])
        r["temuan"] = [k for k in (r.get("temuan") or "").split(";") if k]
    ctx.record(
        audit.VIEW,
        "anak_tanpa_kk",
        str(run["id"]) if run else None,
        {"anak": total, "halaman": asked.page, "kode_desa": desa or None},
    )
    return ctx.render(
        "unlinked.html",
        run=run,
        pg=paging.Page(rows, total, asked, "/anak-tanpa-kk", (("desa", desa),)),
        desa=desa,
        villages=paging.village_choices(ctx.user, ctx.request.app.state.region),
    )


@router.get("/anak-tanpa-kk")
async def unlinked_page(ctx: Ctx = Depends(allowed)) -> Response:
    return await run_in_threadpool(_page, ctx)


def _export(ctx: Ctx, form: dict[str, str]) -> Response:
    run = queries.latest_run(ctx.engine)
    frame, codes = _listed(ctx, form)
    asked = paging.ask(form, list(SORTS), "desa")
    frame = paging.frame_order(frame, asked, SORTS, KEY).reindex(columns=COLUMNS)
    show_nik = may(ctx.user, "nik")
    if not show_nik:
        frame["nik_anak"] = frame["nik_anak"].map(
            lambda v: mask_nik(v) if isinstance(v, str) else v
        )
    return list_download(
        ctx,
        "anak_tanpa_kk",
        "anak-tanpa-kk.xlsx",
        frame,
        ("about_daftar", ctx.t("anak_tanpa_kk_judul")),
        {"about_filter_desa": form.get("desa") or "-"},
        asked,
        key=str(run["id"]) if run else None,
        detail={
            "kode_desa": list(codes) if codes is not None else None,
            "nik_terbuka": show_nik,
        },
    )


@router.post("/anak-tanpa-kk/ekspor")
async def unlinked_export(request: Request, ctx: Ctx = Depends(allowed)) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_export, ctx, fields)
