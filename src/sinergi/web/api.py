"""REST API /api/v1: the same services and the same scoping as the pages, bearer tokens.

Tokens come from the OAuth2 password flow and are stored like session cookies (sha256 only,
``kind = 'bearer'``). ``GET /families/{no_kk}`` carries a No KK in its path, as the issue requires;
the server runs without an access log so the path is never written to a log file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sinergi.assess.summary import kecamatan_assessment
from sinergi.core.masking import mask_nik
from sinergi.core.values import clean, split_codes
from sinergi.deliver.workflow import InvalidTransition, NotFound, VersionConflict
from sinergi.ingest.schema import KINDS
from sinergi.messages import t
from sinergi.security.access import can_see_names, may_import, may_list
from sinergi.security.auth import (
    User,
    as_utc,
    authenticate,
    start_session,
)
from sinergi.security.imports import (
    ImportNotAllowed,
    import_upload,
    parse_as_of,
    report_file,
    visible_batches,
)
from sinergi.security.throttle import Throttled
from sinergi.security.workflow import NotAllowed, StatusNotAllowed, change_status_as
from sinergi.store import audit
from sinergi.web import queries
from sinergi.web.deps import (
    XLSX,
    IdPath,
    api_lang_of,
    client_ip,
    live_session,
    read_capped,
    record,
    xlsx_download,
)
from sinergi.web.limits import MAX_UPLOAD

router = APIRouter(prefix="/api/v1", tags=["api"])
M = TypeVar("M", bound=BaseModel)
oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


class Error(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Error},
    403: {"model": Error},
    404: {"model": Error},
}


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class Member(BaseModel):
    nik: str = Field(description="masked: first 4 and last 4 digits")
    nama: str
    jenis_kelamin: str
    tanggal_lahir: date
    hubungan: str


class FamilySummary(BaseModel):
    no_kk: str
    kode_desa: str
    nama_desa: str
    nama_kepala: str | None
    krs: bool | None
    miskin_ekstrem: bool | None
    faktor: list[str]


class Family(FamilySummary):
    alamat: str | None
    rt: str | None
    rw: str | None
    sasaran: list[str]
    anggota: list[Member]


class Run(BaseModel):
    id: int
    ruleset_id: str
    ruleset_version: str
    reference_date: date
    created_at: datetime
    families: int
    target: int
    krs: int
    miskin_ekstrem: int
    children_measured: int
    children_stunted: int


class KecamatanRow(BaseModel):
    kode: str
    kecamatan: str
    keluarga: int
    sasaran: int
    krs: int
    miskin_ekstrem: int
    anak_diukur: int | None = None
    stunting: int | None = None
    stunting_persen: float | None = None


class RunSummary(BaseModel):
    run: Run
    kecamatan: list[KecamatanRow]


class CoverageRow(BaseModel):
    kode_wilayah: str
    nama_wilayah: str | None
    keluarga: int
    krs: int
    miskin_ekstrem: int
    konvergen: int
    konvergensi_pct: float | None
    krs_tanpa_intervensi: int
    balita_diukur: int
    balita_stunting: int
    prevalensi_stunting_pct: float | None
    ci95_bawah_pct: float | None
    ci95_atas_pct: float | None


class Programme(BaseModel):
    kode: str
    instansi: str
    nama: str
    satuan: str
    kebutuhan: str
    syarat: str
    biaya_satuan: int | None
    anggaran: int
    periode: str
    label_biaya: str


class Beneficiary(BaseModel):
    no_kk: str
    nama_kepala: str | None
    kode_desa: str
    status: str
    versi: int
    biaya: int
    faktor: list[str]
    periode: str


class StatusChange(BaseModel):
    status: str
    alasan_tolak: str | None = None
    catatan: str | None = None
    versi: int | None = None


class StatusResult(BaseModel):
    kode_program: str
    no_kk: str
    status: str
    versi: int
    changed: bool


class FactorNeed(BaseModel):
    faktor: str
    perlu: int
    dilayani: int  # served: a delivery or a planned connection reached the family
    terpenuhi: int  # resolved: a resolving delivery or a working connection
    proses: int


class Village(BaseModel):
    kode_desa: str
    nama_desa: str
    kecamatan: str
    jaringan_air: str
    keluarga: int
    krs: int
    miskin_ekstrem: int
    balita_diukur: int
    balita_stunting: int
    prevalensi_stunting_pct: float | None
    konvergensi_pct: float | None
    konvergensi_dilayani_pct: float | None
    kebutuhan: list[FactorNeed]


def api_user(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> User:
    found = live_session(request, token, "bearer")
    if found is None:
        message = t("api_belum_masuk", api_lang_of(request))
        raise HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})
    return found[0]


ApiUser = Annotated[User, Depends(api_user)]


def _answer(model: type[M], row: Mapping[str, Any], **computed: Any) -> M:
    """An answer from a query row: each field the row's value of that name (`clean`: a missing
    one None), unless ``computed`` gives it."""
    fields = {k: clean(row.get(k)) for k in model.model_fields if k not in computed}
    return model(**fields, **computed)


def _record_view(
    request: Request, user: User, objek: str, kunci: str | None, detail: dict[str, Any]
) -> None:
    """A view through the API, in the audit log."""
    record(request, user, audit.VIEW, objek, kunci, detail)


def _named(user: User) -> None:
    if not can_see_names(user):
        raise HTTPException(403, "this role sees aggregates only")


def _run_id(request: Request) -> int | None:
    run = queries.latest_run(request.app.state.engine)
    return run["id"] if run else None


@router.post(
    "/auth/token", response_model=Token, responses={401: {"model": Error}, 429: {"model": Error}}
)
def token(
    request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Token:
    engine = request.app.state.engine
    ip = client_ip(request)
    try:
        user = authenticate(engine, username, password, ip)
    except Throttled as exc:
        audit.record_now(
            engine, None, audit.LOGIN_FAILED, "api", username[:64], {"alasan": "dibatasi"}, ip
        )
        raise HTTPException(
            429,
            t("masuk_dibatasi", "en", minutes=exc.minutes),
            headers={"Retry-After": str(exc.minutes * 60)},
        ) from None
    if user is None:
        audit.record_now(engine, None, audit.LOGIN_FAILED, "api", username[:64], None, ip)
        raise HTTPException(
            401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"}
        )
    value, _ = start_session(engine, user, "bearer")
    audit.record_now(engine, user.username, audit.LOGIN, "api", user.username, None, ip)
    return Token(access_token=value)


@router.get("/families", response_model=list[FamilySummary], responses=ERRORS)
def families(
    request: Request,
    user: ApiUser,
    q: str = "",
    kode_desa: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FamilySummary]:
    _named(user)
    rows = queries.search_families(
        request.app.state.engine, user, _run_id(request), q, kode_desa, limit
    )
    _record_view(request, user, "api_keluarga", None, {"hasil": len(rows), "kode_desa": kode_desa})
    return [
        _answer(
            FamilySummary,
            r,
            krs=None if r["krs"] is None else bool(r["krs"]),
            miskin_ekstrem=None if r["miskin_ekstrem"] is None else bool(r["miskin_ekstrem"]),
        )
        for r in rows
    ]


@router.get("/families/{no_kk}", response_model=Family, responses=ERRORS)
def family(request: Request, no_kk: str, user: ApiUser) -> Family:
    _named(user)
    engine = request.app.state.engine
    d = queries.family_detail(engine, user, _run_id(request), no_kk)
    if d is None:
        raise HTTPException(404, "not found")
    _record_view(request, user, "keluarga", no_kk, {"via": "api"})
    a = d["assessment"]
    return _answer(
        Family,
        d["family"],
        krs=bool(a["krs"]) if a else None,
        miskin_ekstrem=bool(a["miskin_ekstrem"]) if a else None,
        faktor=d["factors"],
        sasaran=d["sasaran"],
        anggota=[_answer(Member, m, nik=mask_nik(m["nik"])) for m in d["members"]],
    )


def _run_model(r: dict[str, Any]) -> Run:
    return _answer(Run, r, created_at=as_utc(r["created_at"]))


@router.get("/assessment/runs", response_model=list[Run], responses=ERRORS)
def assessment_runs(request: Request, user: ApiUser) -> list[Run]:
    return [_run_model(r) for r in queries.runs(request.app.state.engine)]


@router.get("/assessment/runs/{run_id}/summary", response_model=RunSummary, responses=ERRORS)
def run_summary(request: Request, run_id: IdPath, user: ApiUser) -> RunSummary:
    engine = request.app.state.engine
    run = queries.get_run(engine, run_id)
    if run is None:
        raise HTTPException(404, "not found")
    version = queries.data_version(engine)
    frame = queries._cached(
        ("kec_assessment", run_id, version), lambda: kecamatan_assessment(engine, run_id)
    )
    rows = [_answer(KecamatanRow, r) for r in frame.to_dict("records")]
    return RunSummary(run=_run_model(run), kecamatan=rows)


@router.get("/coverage", response_model=list[CoverageRow], responses=ERRORS)
def coverage(
    request: Request, user: ApiUser, level: Literal["desa", "kecamatan", "kabupaten"] = "kecamatan"
) -> list[CoverageRow]:
    engine = request.app.state.engine
    run = queries.latest_run(engine)
    if run is None:
        return []
    region = request.app.state.region
    records: list[dict[str, Any]]
    if level == "desa":
        frame = queries.villages(engine, region)
        records = (
            frame[frame["keluarga"] > 0]
            .rename(columns={"kode_desa": "kode_wilayah", "nama_desa": "nama_wilayah"})
            .to_dict("records")
        )
    elif level == "kecamatan":
        records = queries.kecamatan_table(engine, region, run["id"]).to_dict("records")
    else:
        records = [queries.regency_totals(engine, region, run["id"])]
    return [_answer(CoverageRow, r) for r in records]


@router.get("/programmes", response_model=list[Programme], responses=ERRORS)
def programmes(user: ApiUser) -> list[Programme]:
    return [
        Programme(
            kode=p.code,
            instansi=p.agency,
            nama=p.name,
            satuan=p.unit,
            kebutuhan=p.need,
            syarat=p.eligibility,
            biaya_satuan=p.unit_cost_rp,
            anggaran=p.budget_rp,
            periode=p.period,
            label_biaya=p.cost_label,
        )
        for p in queries.catalogue().values()
    ]


def _listable(user: User, kode: str) -> None:
    if kode not in queries.catalogue():
        raise HTTPException(404, "not found")
    if not may_list(user, kode):
        raise HTTPException(403, "not allowed for this role or programme")


@router.get("/programmes/{kode}/beneficiaries", response_model=list[Beneficiary], responses=ERRORS)
def programme_beneficiaries(
    request: Request,
    kode: str,
    user: ApiUser,
    status: str | None = None,
    kode_desa: str | None = None,
) -> list[Beneficiary]:
    _listable(user, kode)
    engine = request.app.state.engine
    rows = queries.beneficiaries(engine, user, _run_id(request), kode, status, kode_desa)
    detail = {"via": "api", "status": status, "kode_desa": kode_desa, "keluarga": len(rows)}
    _record_view(request, user, "penerima", kode, detail)
    return [_answer(Beneficiary, r, faktor=split_codes(r["faktor"])) for r in rows]


@router.post(
    "/programmes/{kode}/beneficiaries/{no_kk}/status",
    response_model=StatusResult,
    responses={**ERRORS, 409: {"model": Error}},
)
async def beneficiary_status(
    request: Request, kode: str, no_kk: str, body: StatusChange, user: ApiUser
) -> StatusResult:
    engine = request.app.state.engine
    try:
        row = await run_in_threadpool(
            lambda: change_status_as(
                engine,
                user,
                kode,
                no_kk,
                body.status,
                alasan_tolak=body.alasan_tolak,
                catatan=body.catatan,
                versi=body.versi,
                sumber="api",
            )
        )
    except StatusNotAllowed as exc:
        raise HTTPException(403, exc.message("en")) from None
    except NotAllowed:
        raise HTTPException(403, "not allowed for this role or programme") from None
    except NotFound:
        raise HTTPException(404, "not found") from None
    except VersionConflict as exc:
        raise HTTPException(409, exc.message("en")) from None
    except InvalidTransition as exc:
        # Shaped like FastAPI's validation errors so the documented 422 schema holds.
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(
            [{"loc": ["body", "status"], "msg": exc.message("en"), "type": exc.code}]
        ) from None
    return StatusResult(
        kode_program=kode,
        no_kk=no_kk,
        status=row["status"],
        versi=row["versi"],
        changed=row["changed"],
    )


@router.get("/villages/{kode_desa}", response_model=Village, responses=ERRORS)
def village(request: Request, kode_desa: str, user: ApiUser) -> Village:
    frame = queries.villages(request.app.state.engine, request.app.state.region)
    match = frame[frame["kode_desa"] == kode_desa]
    if match.empty:
        raise HTTPException(404, "not found")
    r = {k: clean(v) for k, v in match.iloc[0].to_dict().items()}
    return _answer(Village, r, kebutuhan=[FactorNeed(**n) for n in queries.factor_needs(r)])


# --- imports: the same door as the CLI and the upload page ---------------------------------------

MAX_ISSUES = 5000


class ImportIssue(BaseModel):
    row: int | None = Field(description="row number as the spreadsheet shows it")
    column: str | None
    value: str | None
    severity: Literal["error", "warning"]
    code: str
    reason: str


class ImportAnswer(BaseModel):
    batch_id: int | None
    kind: str
    file: str
    status: str = Field(
        description="dimuat: loaded; ditolak: the whole file refused; sudah: this user loaded "
        "the same file before (nothing changed)"
    )
    previous_batch: int | None
    as_of: date | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_warned: int
    inserted: int
    updated: int
    unchanged: int
    older: int = Field(
        description="rows whose data date is older than the stored data: the stored values were "
        "kept and the file's values went to the history without being applied"
    )
    refusal: str | None
    issues_total: int
    issues: list[ImportIssue] = Field(description=f"the first {MAX_ISSUES:,} issues")
    report: str | None = Field(description="URL of the full validation report (XLSX)")


class ImportBatch(BaseModel):
    id: int
    kind: str
    file_name: str
    status: str
    started_at: datetime
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_warned: int
    imported_by: str | None
    as_of: date | None
    via: str | None


def _importer(user: User) -> None:
    if not may_import(user):
        raise HTTPException(403, "this role imports nothing")


@router.post(
    "/imports/{kind}",
    response_model=ImportAnswer,
    responses={**ERRORS, 413: {"model": Error}, 422: {"model": Error}},
)
async def import_upload_api(
    request: Request,
    kind: str,
    user: ApiUser,
    file: Annotated[UploadFile, File(description="CSV or XLSX")],
    as_of: Annotated[str | None, Form(description="the date the data describe, yyyy-mm-dd")] = None,
    lang: Literal["id", "en"] = "id",
) -> ImportAnswer:
    """Import one source file (kinds: keluarga, p3ke, eppgbm, intervensi, desa, ibu_hamil,
    catin) as the token's user: rows outside the user's reach are rejected like validation
    errors."""
    _importer(user)
    content = await read_capped(file, MAX_UPLOAD, "file larger than the 50 MiB limit")
    try:
        data_date = parse_as_of(as_of)
    except ValueError:
        raise HTTPException(422, t("impor_tanggal_data_salah", "en", value=as_of)) from None
    engine = request.app.state.engine
    try:
        result = await run_in_threadpool(
            import_upload,
            engine,
            user,
            kind,
            file.filename or "",
            content,
            data_date,
            "api",
            client_ip(request),
        )
    except ImportNotAllowed as exc:
        raise HTTPException(
            403 if kind in KINDS else 404, t(exc.code, "en", **exc.params)
        ) from None
    batch = result.batch_id
    return ImportAnswer(
        batch_id=batch,
        kind=kind,
        file=result.path.name,
        status=result.status,
        previous_batch=result.previous_batch,
        as_of=data_date,
        **result.tallies(),
        refusal=t(result.refusal.kode, lang, **result.refusal.params)
        if result.refusal is not None
        else None,
        issues_total=len(result.issues),
        issues=[
            ImportIssue(
                row=i.baris,
                column=i.kolom,
                value=i.nilai,
                severity=i.tingkat,
                code=i.kode,
                reason=t(i.kode, lang, **i.params),
            )
            for i in result.issues[:MAX_ISSUES]
        ],
        report=f"/api/v1/imports/{batch}/report.xlsx" if batch and result.issues else None,
    )


@router.get("/imports", response_model=list[ImportBatch], responses=ERRORS)
def imports(
    request: Request, user: ApiUser, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[ImportBatch]:
    """The latest import batches the user may see (an area-limited user: its own)."""
    _importer(user)
    return [
        _answer(ImportBatch, b, started_at=as_utc(b["started_at"]))
        for b in visible_batches(request.app.state.engine, user, limit)
    ]


@router.get(
    "/imports/{batch_id}/report.xlsx",
    responses={
        **ERRORS,
        200: {"content": {XLSX: {}}},
    },
)
def import_report(request: Request, batch_id: IdPath, user: ApiUser) -> Response:
    _importer(user)
    found = report_file(request.app.state.engine, user, batch_id, client_ip(request), via="api")
    if found is None:
        raise HTTPException(404, "not found")
    return xlsx_download(*found)
