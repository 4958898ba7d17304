"""REST API /api/v1: the same services and the same scoping as the pages, bearer tokens.

Tokens come from the OAuth2 password flow and are stored like session cookies (sha256 only,
``kind = 'bearer'``). Every list endpoint answers one page (`Halaman`: ``halaman`` from 1,
``per_halaman`` at most `paging.MAX_PER_PAGE`, the total and the links to the next and previous
pages) in a stable order that ends on the list's unique key, so that walking the pages gives
every row exactly once; an area-limited user (``users.wilayah``) gets the rows of its area only,
aggregates included. ``GET /families/{no_kk}`` carries a No KK in its path, as the issue requires;
the server runs without an access log so the path is never written to a log file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from sinergi.assess.summary import kecamatan_assessment
from sinergi.core.masking import mask_nik
from sinergi.core.values import clean, split_codes
from sinergi.deliver.workflow import InvalidTransition, NotFound, VersionConflict
from sinergi.ingest.schema import KINDS
from sinergi.messages import t
from sinergi.security.access import batch_clause, can_see_names, in_area, may_import, may_list
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
)
from sinergi.security.throttle import Throttled
from sinergi.security.workflow import NotAllowed, StatusNotAllowed, change_status_as
from sinergi.store import audit
from sinergi.store.tables import families as families_table
from sinergi.store.tables import import_batches, proposals
from sinergi.web import paging, queries
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
R = TypeVar("R")
oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


class Error(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Error},
    403: {"model": Error},
    404: {"model": Error},
}


class Halaman(BaseModel, Generic[R]):
    """One page of a list: its rows (``data``), how many rows the whole list has, and the links
    (path and query) to the next and previous pages, None at either end."""

    total: int = Field(description="rows in the whole list (every page)")
    halaman: int = Field(description="this page, from 1")
    per_halaman: int = Field(description=f"rows per page, at most {paging.MAX_PER_PAGE}")
    berikutnya: str | None = Field(description="the next page, None on the last")
    sebelumnya: str | None = Field(description="the previous page, None on the first")
    data: list[R]


PageNo = Annotated[
    int, Query(ge=1, le=paging.MAX_PAGE, description="the page, from 1 (past the end: no rows)")
]
_PER_PAGE_TEXT = f"rows per page, at most {paging.MAX_PER_PAGE}"
PerPage = Annotated[int, Query(ge=1, le=paging.MAX_PER_PAGE, description=_PER_PAGE_TEXT)]
#: What the OpenAPI description says of every list (`web.app`).
PAGING_TEXT = (
    "Every list endpoint answers one page: `halaman` (from 1) and `per_halaman` "
    f"(default {paging.PER_PAGE}, at most {paging.MAX_PER_PAGE}; more is refused with 422) "
    "ask for it; the answer carries `total` (rows of the whole list), `halaman`, `per_halaman`, "
    "`berikutnya` and `sebelumnya` (path and query of the next and previous page, null at "
    "either end) and `data`. The order is stable and ends on the list's unique key, so walking "
    "the pages returns every row once. An area-limited account (a kecamatan or villages) "
    "receives the rows and aggregates of its area only."
)


def _link(request: Request, total: int, halaman: int, per_halaman: int, step: int) -> str | None:
    """The path and query of the page ``step`` away from ``halaman``, or None past either end."""
    target = halaman + step
    if target < 1 or (target - 1) * per_halaman >= total:
        return None
    url = request.url.include_query_params(halaman=target, per_halaman=per_halaman)
    return f"{url.path}?{url.query}"


def _paged(
    request: Request, rows: list[R], total: int, halaman: int, per_halaman: int
) -> Halaman[R]:
    return Halaman[R](
        total=total,
        halaman=halaman,
        per_halaman=per_halaman,
        berikutnya=_link(request, total, halaman, per_halaman, 1),
        sebelumnya=_link(request, total, halaman, per_halaman, -1),
        data=rows,
    )


def _slice(items: list[Any], halaman: int, per_halaman: int) -> list[Any]:
    """One page of a list already in its order."""
    start = (halaman - 1) * per_halaman
    return items[start : start + per_halaman]


def _sql_slice(
    request: Request,
    query: Any,
    sorts: paging.SqlSorts,
    sort: str,
    unique: Any,
    halaman: int,
    per_halaman: int,
    descending: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """One page of a query (counted, then LIMIT/OFFSET in the order ``sort`` then ``unique``)."""
    ask = paging.Ask(halaman, per_halaman, sort, descending)
    with request.app.state.engine.connect() as conn:
        total = int(
            conn.execute(
                select(func.count()).select_from(query.order_by(None).subquery())
            ).scalar_one()
        )
        ordered = paging.sql_order(query, ask, sorts, unique)
        rows = [
            dict(r._mapping) for r in conn.execute(ordered.limit(per_halaman).offset(ask.offset))
        ]
    return rows, total


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


@router.get("/families", response_model=Halaman[FamilySummary], responses=ERRORS)
def families(
    request: Request,
    user: ApiUser,
    q: str = "",
    kode_desa: str | None = None,
    halaman: PageNo = 1,
    per_halaman: PerPage = paging.PER_PAGE,
) -> Halaman[FamilySummary]:
    """Families the user may see, by the head's name (then No KK); ``q``: a name or the start
    of a No KK."""
    _named(user)
    query = queries.search_query(user, _run_id(request), q, (kode_desa,) if kode_desa else None)
    rows, total = _sql_slice(
        request,
        query,
        queries.SEARCH_SORTS,
        "nama_kepala",
        families_table.c.no_kk,
        halaman,
        per_halaman,
    )
    detail = {"hasil": total, "kode_desa": kode_desa, "halaman": halaman}
    _record_view(request, user, "api_keluarga", None, detail)
    answers = [
        _answer(
            FamilySummary,
            r,
            krs=None if r["krs"] is None else bool(r["krs"]),
            miskin_ekstrem=None if r["miskin_ekstrem"] is None else bool(r["miskin_ekstrem"]),
        )
        for r in queries.named_rows(rows)
    ]
    return _paged(request, answers, total, halaman, per_halaman)


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


@router.get("/assessment/runs", response_model=Halaman[Run], responses=ERRORS)
def assessment_runs(
    request: Request,
    user: ApiUser,
    halaman: PageNo = 1,
    per_halaman: PerPage = paging.PER_PAGE,
) -> Halaman[Run]:
    """The stored assessment runs, oldest first."""
    every = queries.runs(request.app.state.engine)
    rows = [_run_model(r) for r in _slice(every, halaman, per_halaman)]
    return _paged(request, rows, len(every), halaman, per_halaman)


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
    rows = [_answer(KecamatanRow, r) for r in frame.to_dict("records") if in_area(user, r["kode"])]
    return RunSummary(run=_run_model(run), kecamatan=rows)


@router.get("/coverage", response_model=Halaman[CoverageRow], responses=ERRORS)
def coverage(
    request: Request,
    user: ApiUser,
    level: Literal["desa", "kecamatan", "kabupaten"] = "kecamatan",
    halaman: PageNo = 1,
    per_halaman: PerPage = paging.PER_PAGE,
) -> Halaman[CoverageRow]:
    """Coverage and convergence per area of ``level`` in the latest run, by area code; an
    area-limited user gets its area's rows, and its area's totals as ``kabupaten``."""
    engine = request.app.state.engine
    run = queries.latest_run(engine)
    region = request.app.state.region
    area = user.wilayah
    records: list[dict[str, Any]] = []
    if run is None:
        pass
    elif level == "desa":
        frame = queries.villages(engine, region)
        frame = frame[(frame["keluarga"] > 0) & frame["kode_desa"].map(lambda k: in_area(user, k))]
        records = frame.rename(
            columns={"kode_desa": "kode_wilayah", "nama_desa": "nama_wilayah"}
        ).to_dict("records")
    elif level == "kecamatan":
        records = queries.kecamatan_table(engine, region, run["id"], area).to_dict("records")
    else:
        totals = queries.regency_totals(engine, region, run["id"], area)
        records = [totals] if totals else []
    records.sort(key=lambda r: str(r["kode_wilayah"]))
    rows = [_answer(CoverageRow, r) for r in _slice(records, halaman, per_halaman)]
    return _paged(request, rows, len(records), halaman, per_halaman)


@router.get("/programmes", response_model=Halaman[Programme], responses=ERRORS)
def programmes(
    request: Request,
    user: ApiUser,
    halaman: PageNo = 1,
    per_halaman: PerPage = paging.PER_PAGE,
) -> Halaman[Programme]:
    """The programme catalogue, by code."""
    every = sorted(queries.catalogue().values(), key=lambda p: p.code)
    rows = [
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
        for p in _slice(every, halaman, per_halaman)
    ]
    return _paged(request, rows, len(every), halaman, per_halaman)


def _listable(user: User, kode: str) -> None:
    if kode not in queries.catalogue():
        raise HTTPException(404, "not found")
    if not may_list(user, kode):
        raise HTTPException(403, "not allowed for this role or programme")


@router.get(
    "/programmes/{kode}/beneficiaries", response_model=Halaman[Beneficiary], responses=ERRORS
)
def programme_beneficiaries(
    request: Request,
    kode: str,
    user: ApiUser,
    status: str | None = None,
    kode_desa: str | None = None,
    halaman: PageNo = 1,
    per_halaman: PerPage = paging.PER_PAGE,
) -> Halaman[Beneficiary]:
    """The programme's beneficiaries the user may see, by village and head's name."""
    _listable(user, kode)
    query = queries.beneficiaries_query(
        user, _run_id(request), kode, status, (kode_desa,) if kode_desa else None
    )
    rows, total = _sql_slice(
        request, query, queries.BENEFICIARY_SORTS, "desa", proposals.c.id, halaman, per_halaman
    )
    detail = {
        "via": "api",
        "status": status,
        "kode_desa": kode_desa,
        "keluarga": total,
        "halaman": halaman,
    }
    _record_view(request, user, "penerima", kode, detail)
    answers = [_answer(Beneficiary, r, faktor=split_codes(r["faktor"])) for r in rows]
    return _paged(request, answers, total, halaman, per_halaman)


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
    if match.empty or not in_area(user, kode_desa):
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


IMPORT_SORTS: paging.SqlSorts = {"terbaru": (import_batches.c.id,)}


@router.get("/imports", response_model=Halaman[ImportBatch], responses=ERRORS)
def imports(
    request: Request,
    user: ApiUser,
    halaman: PageNo = 1,
    per_halaman: PerPage = paging.PER_PAGE,
) -> Halaman[ImportBatch]:
    """The import batches the user may see (an area-limited user: its own), newest first."""
    _importer(user)
    b = import_batches.c
    query = select(*(b[name] for name in ImportBatch.model_fields)).where(batch_clause(user))
    found, total = _sql_slice(
        request, query, IMPORT_SORTS, "terbaru", b.id, halaman, per_halaman, descending=True
    )
    rows = [_answer(ImportBatch, r, started_at=as_utc(r["started_at"])) for r in found]
    return _paged(request, rows, total, halaman, per_halaman)


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
