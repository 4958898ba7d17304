"""A village's verification work: the families of the latest assessment to verify (``/desa/{kode}
/verifikasi``: filters, sorting, pages, XLSX), the printable musdes sheet (``/desa/{kode}/musdes``),
the per-family verification form's choices and its record (the family page posts it, see
`sinergi.web.routes.families`), and DPPKB's approval of waiting records (``/verifikasi``).

Every record goes through `sinergi.registry.verify.record_one` (validation, scope, application,
audit); the last verification of each family is `verify.last_verifications`. A village outside
the user's area is refused (403) before anything is read.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sinergi.core.errors import CodedError
from sinergi.core.masking import mask_nik
from sinergi.core.values import clean, split_codes
from sinergi.registry import verify
from sinergi.reports import musdes
from sinergi.reports.musdes import FILTERS, NOT_YET, VERIFY_KEY, VERIFY_SORTS
from sinergi.security.access import may, region_allowed
from sinergi.security.auth import User
from sinergi.store import audit
from sinergi.web import paging, queries
from sinergi.web.deps import (
    VILLAGE_CODE_LENGTH,
    Ctx,
    IdPath,
    list_download,
    requires,
)
from sinergi.wilayah import get_wilayah

router = APIRouter(include_in_schema=False)
named = requires("names")

VERIFY_COLUMNS = [
    "no_kk",
    "nama_kepala",
    "kode_desa",
    "nama_desa",
    "dusun",
    "rt",
    "rw",
    "alamat",
    "faktor",
    "temuan",
    "krs",
    "miskin_ekstrem",
    "verifikasi_hasil",
    "verifikasi_tanggal",
    "verifikasi_petugas",
    "verifikasi_status",
]


def may_verify(user: User, kode_desa: str) -> bool:
    """May ``user`` record a verification of a family of ``kode_desa`` (`verify.may_record`,
    within the user's area); `verify.record_one` decides again, with the family itself."""
    return verify.may_record(user) and region_allowed(user, kode_desa)


def menu(user: User) -> list[tuple[str, str]]:
    """The menu's entries for verification work (link, message code): a village operator's own
    village; the approvals for DPPKB and the administrator when corrections wait for them."""
    entries = []
    if own_village(user):
        entries.append(("/desa", "nav_desa_saya"))
    if user.role in verify.DECIDERS and verify.approval_required():
        entries.append(("/verifikasi", "nav_verifikasi"))
    return entries


def own_village(user: User) -> str | None:
    """The (first) village of a village operator, or None."""
    villages = [k for k in user.wilayah if len(k) == VILLAGE_CODE_LENGTH]
    return villages[0] if user.role == "desa" and villages else None


def _village_or_refuse(ctx: Ctx, kode_desa: str) -> dict[str, Any]:
    """The run and the village's names, refused with 403 outside the user's area and 404 for a
    code that names no village or without an assessment."""
    if not region_allowed(ctx.user, kode_desa):
        raise HTTPException(403)
    name = queries.region_name(kode_desa)
    run = queries.latest_run(ctx.engine)
    if run is None or name == kode_desa or len(kode_desa) != VILLAGE_CODE_LENGTH:
        raise HTTPException(404)
    return {
        "run": run,
        "kode_desa": kode_desa,
        "nama_desa": name,
        "kecamatan": queries.region_name(kode_desa[:8]),
    }


def _asked_filters(params: Any) -> dict[str, str]:
    return musdes.asked_filters(params)


def _listed(ctx: Ctx, v: dict[str, Any], filters: dict[str, str]) -> pd.DataFrame:
    """The village's families as filtered, each with its last verification (``v_*`` columns):
    `reports.musdes.families_to_verify`, which the musdes report reads too."""
    return musdes.families_to_verify(ctx.engine, ctx.user, v["run"]["id"], v["kode_desa"], filters)


def _rows(ctx: Ctx, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A page's rows for the template: opaque ids, No KK masked unless the role sees NIKs."""
    whole = may(ctx.user, "nik")
    rows = [{k: clean(v) for k, v in r.items()} for r in frame.to_dict("records")]
    for r in rows:
        r["fid"] = ctx.ids.encode(r["no_kk"])
        r["no_kk_tampil"] = r["no_kk"] if whole else mask_nik(r["no_kk"])
        r["faktor"] = split_codes(r["faktor"])
        r["temuan"] = split_codes(r["temuan"])
    return rows


def _home(ctx: Ctx, kode_desa: str) -> Response:
    if queries.latest_run(ctx.engine) is None and region_allowed(ctx.user, kode_desa):
        # Nothing assessed yet (a new registry): the village's own page says so.
        return RedirectResponse(f"/desa/{kode_desa}", status_code=303)
    v = _village_or_refuse(ctx, kode_desa)
    params = ctx.request.query_params
    filters = _asked_filters(params)
    frame = _listed(ctx, v, filters)
    asked = paging.ask(params, list(VERIFY_SORTS), "alamat")
    shown, total, asked = paging.frame_page(frame, asked, VERIFY_SORTS, VERIFY_KEY)
    page = paging.Page(
        _rows(ctx, shown),
        total,
        asked,
        f"/desa/{kode_desa}/verifikasi",
        tuple((k, filters[k]) for k in FILTERS if k != "daftar" or filters[k] != "krs"),
    )
    ctx.record(
        audit.VIEW,
        "verifikasi_desa",
        kode_desa,
        {"keluarga": total, "halaman": asked.page} | {k: filters[k] or None for k in FILTERS},
    )
    done = params.get("tercatat", "")
    recorded = (
        queries.verification_in_village(ctx.engine, int(done), kode_desa)
        if done.isdigit() and len(done) < 10
        else None
    )
    return ctx.render(
        "desa.html",
        v=v,
        recorded=recorded,
        pg=page,
        filters=filters,
        places=queries.village_places(ctx.engine, ctx.user, kode_desa),
        scopes=queries.VERIFY_SCOPES,
        hasil=verify.HASIL,
        not_yet=NOT_YET,
        musdes_url=f"/desa/{kode_desa}/musdes?" + urlencode(page.filters()),
        may_verify=may_verify(ctx.user, kode_desa),
    )


@router.get("/desa")
async def my_village(ctx: Ctx = Depends(named)) -> Response:
    """A village operator's own village; everyone else chooses a village on the map."""
    kode = own_village(ctx.user)
    return RedirectResponse(f"/desa/{kode}/verifikasi" if kode else "/peta", status_code=303)


@router.get("/desa/{kode_desa}/verifikasi")
async def village_home(kode_desa: str, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_home, ctx, kode_desa)


def _export(ctx: Ctx, kode_desa: str, form: dict[str, str]) -> Response:
    v = _village_or_refuse(ctx, kode_desa)
    filters = _asked_filters(form)
    asked = paging.ask(form, list(VERIFY_SORTS), "alamat")
    frame = paging.frame_order(_listed(ctx, v, filters), asked, VERIFY_SORTS, VERIFY_KEY)
    frame = frame.rename(
        columns={
            "v_hasil": "verifikasi_hasil",
            "v_tanggal": "verifikasi_tanggal",
            "v_petugas": "verifikasi_petugas",
            "v_status": "verifikasi_status",
        }
    )
    frame["nama_desa"] = v["nama_desa"]
    frame = frame.reindex(columns=VERIFY_COLUMNS)
    whole = may(ctx.user, "nik")
    if not whole:
        frame["no_kk"] = frame["no_kk"].map(mask_nik)
    return list_download(
        ctx,
        "verifikasi_desa",
        f"verifikasi-desa-{kode_desa}.xlsx",
        frame,
        ("about_daftar", ctx.t("verif_judul", desa=v["nama_desa"])),
        {"about_filter_desa": f"{kode_desa} {v['nama_desa']}"},
        asked,
        key=kode_desa,
        detail={"no_kk_terbuka": whole} | {k: filters[k] or None for k in FILTERS},
    )


@router.post("/desa/{kode_desa}/verifikasi/ekspor")
async def village_export(kode_desa: str, request: Request, ctx: Ctx = Depends(named)) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_export, ctx, kode_desa, fields)


def _musdes(ctx: Ctx, kode_desa: str) -> Response:
    v = _village_or_refuse(ctx, kode_desa)
    params = ctx.request.query_params
    filters = _asked_filters(params)
    asked = paging.ask(params, list(VERIFY_SORTS), "alamat")
    # The same sheet as the musdes report (`reports.musdes.sheet`): page and PDF agree.
    data = musdes.sheet(ctx.engine, ctx.user, v["run"]["id"], kode_desa, ctx.lang, filters, asked)
    frame = data.keluarga
    people = [{k: clean(x) for k, x in r.items()} for r in data.temuan.to_dict("records")]
    for p in people:
        p["nik_tampil"] = mask_nik(p["nik"]) if p.get("nik") else ""
    ctx.record(
        audit.VIEW,
        "musdes",
        kode_desa,
        {"keluarga": len(frame), "temuan": len(people)} | {k: filters[k] or None for k in FILTERS},
    )
    return ctx.render(
        "musdes.html",
        v=v,
        rows=_rows(ctx, frame),
        people=people,
        belum_diukur=data.belum_diukur,
        filters=filters,
        today=date.today(),
        back_url=f"/desa/{kode_desa}/verifikasi?"
        + urlencode([(k, filters[k]) for k in FILTERS if filters[k]]),
    )


@router.get("/desa/{kode_desa}/musdes")
async def musdes_sheet(kode_desa: str, ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_musdes, ctx, kode_desa)


def village_label(kode: str) -> str:
    """A village as an officer reads it: its name and kecamatan (a code outside the registry's
    regions as it is)."""
    name = queries.region_name(kode)
    return kode if name == kode else f"{name}, {queries.region_name(kode[:8])}"


# --- the family page's verification form --------------------------------------------------------


def form_choices(ctx: Ctx, family: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """What the family page needs for its verification form and history: whether the user may
    record one, the results, the correctable columns by kind, the members, the villages a family
    may move to (by name) and the family's verification history."""
    with ctx.engine.connect() as conn:
        history = verify.history(conn, family["no_kk"])
    for h in history:
        if h["hasil"] == "pindah" and h["nilai_baru"]:
            h["desa_baru_nama"] = village_label(h["nilai_baru"])
    allowed = may_verify(ctx.user, family["kode_desa"])
    w = get_wilayah()
    villages = (
        sorted(
            (
                {"kode": r.kode, "nama": r.nama, "kecamatan": w.name(r.kode[:8])}
                for r in w.villages(ctx.request.app.state.region)
                if r.kode != family["kode_desa"]
            ),
            key=lambda r: (r["nama"], r["kecamatan"]),
        )
        if allowed
        else []
    )
    columns = verify.correctable_columns()
    return {
        "may_verify": allowed,
        "hasil": verify.HASIL,
        "columns_family": [name for name, kind in columns if kind == "keluarga"],
        "columns_member": [name for name, kind in columns if kind == "anggota"],
        # A member is sent as an opaque reference: the page never carries a NIK unmasked.
        "verify_members": [
            {"ref": ctx.ids.encode(m["nik"]), "nama": m["nama"], "nik_tampil": mask_nik(m["nik"])}
            for m in members
        ],
        "verify_villages": villages,
        "verify_history": history,
        "today": date.today(),
    }


def record_from_form(ctx: Ctx, no_kk: str, form: dict[str, str]) -> tuple[Any, str | None]:
    """Record the family page's verification form through `verify.record_one` (sumber web):
    the outcome, or None and the service's sentence when it refuses the record."""
    try:
        when = date.fromisoformat(form.get("tanggal", "").strip())
    except ValueError:
        return None, ctx.t("verif_tanggal_salah", value=form.get("tanggal", ""))
    hasil = form.get("hasil", "")
    record = verify.Verification(
        no_kk=no_kk,
        hasil=hasil,
        tanggal=when,
        nik=ctx.ids.decode(form.get("anggota", "").strip()) if form.get("anggota") else None,
        kolom=form.get("kolom", "").strip() or None,
        nilai_baru=(
            form.get("desa_baru", "").strip() if hasil == "pindah" else form.get("nilai_baru", "")
        ).strip()
        or None,
        petugas=form.get("petugas", "").strip() or None,
        catatan=form.get("catatan", "").strip() or None,
    )
    try:
        return verify.record_one(ctx.engine, ctx.user, record, sumber="web", ip=ctx.ip), None
    except CodedError as exc:
        return None, exc.message(ctx.lang)


# --- DPPKB: waiting records ------------------------------------------------------------------------


def _approvals(ctx: Ctx, message: str | None = None) -> Response:
    if ctx.user.role not in verify.DECIDERS:
        raise HTTPException(403)
    with ctx.engine.connect() as conn:
        rows = verify.pending(conn, ctx.user)
    for row in rows:
        row["fid"] = ctx.ids.encode(row["no_kk"])
        row["nama_desa"] = queries.region_name(row["kode_desa"])
        row["nilai_baru_tampil"] = (
            village_label(row["nilai_baru"])
            if row["hasil"] == "pindah" and row["nilai_baru"]
            else row["nilai_baru"]
        )
    ctx.record(audit.VIEW, "verifikasi_menunggu", None, {"baris": len(rows)})
    return ctx.render(
        "verifikasi.html", rows=rows, message=message, required=verify.approval_required()
    )


@router.get("/verifikasi")
async def approvals(ctx: Ctx = Depends(named)) -> Response:
    return await run_in_threadpool(_approvals, ctx)


def _decide(ctx: Ctx, record_id: int, approve: bool) -> Response:
    if ctx.user.role not in verify.DECIDERS:
        raise HTTPException(403)
    try:
        done = verify.decide(ctx.engine, ctx.user, record_id, approve, ip=ctx.ip)
    except CodedError as exc:
        return _approvals(ctx, exc.message(ctx.lang))
    return _approvals(
        ctx,
        ctx.t("verif_diputuskan", id=record_id, status=ctx.t(f"status_verifikasi_{done.status}")),
    )


@router.post("/verifikasi/{record_id}")
async def decide(record_id: IdPath, request: Request, ctx: Ctx = Depends(named)) -> Response:
    form = await request.form()
    approve = form.get("putusan") == "setujui"
    return await run_in_threadpool(_decide, ctx, record_id, approve)
