"""The reads behind the pages and the API. Every query that returns families takes the user and
applies `access.family_clause`; aggregates (no names) are cached per assessment run and data
version (`cached`), because a stored run never changes and the map and dashboard are read far
more often than data are imported."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Engine, Select, and_, func, or_, select, union

from sinergi.assess.prevalence import measured, percent, stunted, tally
from sinergi.assess.summary import CHILD_RESULT, measurement_coverage, run_rows
from sinergi.core.ages import DAYS_PER_MONTH
from sinergi.core.values import clean, split_codes
from sinergi.messages import Lang
from sinergi.monitor.coverage import FACTOR_KINDS, coverage, missed_by_programmes
from sinergi.registry.water import water_networks
from sinergi.rules.ruleset import FACTOR_CODES
from sinergi.security.access import (
    family_clause,
    in_area,
    prefix_clause,
    sees_health_findings,
    sees_unlinked_children,
    unrestricted,
)
from sinergi.security.auth import User
from sinergi.store.dialect import rows_by_keys
from sinergi.store.frames import read_frame
from sinergi.store.regions import village_rows
from sinergi.store.search import name_contains
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    assessment_runs,
    families,
    import_batches,
    measurements,
    persons,
    project_events,
    projects,
    proposal_events,
    proposals,
    regions,
    verifications,
)
from sinergi.targeting.programmes import Programme, load_catalogue
from sinergi.wilayah import get_wilayah

T = TypeVar("T")
_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()
_building: dict[tuple, threading.Lock] = {}


def _cached(key: tuple, build: Callable[[], T]) -> T:
    """`build()` once per key and process: concurrent requests for a missing key wait for the
    one computing it instead of all computing it (and all holding database connections)."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        gate = _building.setdefault(key, threading.Lock())
    with gate:
        with _lock:
            if key in _cache:
                return _cache[key]
        value = build()
        with _lock:
            _cache[key] = value
            _building.pop(key, None)
            while len(_cache) > 64:
                _cache.popitem(last=False)
    return value


def cached(engine: Engine, key: tuple, build: Callable[[], T]) -> T:
    """`build()` once per key and state of the data (`data_version`): what the pages and the API
    cache, so that an import, an assessment or a workflow step is seen on the next request."""
    return _cached((*key, data_version(engine)), build)


def data_version(engine: Engine) -> tuple:
    """Changes whenever an import, an assessment, a workflow step, a project step or a village's
    verification finding is stored."""
    with engine.connect() as conn:
        return (str(engine.url),) + tuple(
            conn.execute(
                select(
                    select(func.max(assessment_runs.c.id)).scalar_subquery(),
                    select(func.max(import_batches.c.id)).scalar_subquery(),
                    select(func.max(proposal_events.c.id)).scalar_subquery(),
                    select(func.max(project_events.c.id)).scalar_subquery(),
                    select(func.max(verifications.c.id)).scalar_subquery(),
                )
            ).one()
        )


# --- assessment runs -----------------------------------------------------------------------------


def runs(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(select(assessment_runs).order_by(assessment_runs.c.id))
        ]


def latest_run(engine: Engine) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(assessment_runs).order_by(assessment_runs.c.id.desc()).limit(1)
        ).first()
    return dict(row._mapping) if row else None


def get_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(assessment_runs).where(assessment_runs.c.id == run_id)).first()
    return dict(row._mapping) if row else None


def region_name(kode: str) -> str:
    return get_wilayah().name(kode)


# --- aggregates ----------------------------------------------------------------------------------


def villages(engine: Engine, region: str) -> pd.DataFrame:
    """Every village of the regency with its figures from the latest run (zeros without data)."""

    def build() -> pd.DataFrame:
        with engine.connect() as conn:
            base = read_frame(conn, village_rows(regions.c.kode.like(region + ".%")))
            # The one answer for a village's network (recorded projects reconcile the village
            # file): the map, the status card and the ranking agree.
            water = water_networks(conn, region)[
                ["kode_desa", "status_jaringan", "sambungan_rumah"]
            ].rename(
                columns={"status_jaringan": "jaringan_air", "sambungan_rumah": "sambungan_jaringan"}
            )
        if base.empty:
            base = pd.DataFrame(
                [
                    {"kode_desa": r.kode, "nama_desa": r.nama, "kode_kecamatan": r.kode[:8]}
                    for r in get_wilayah().villages(region)
                ]
            )
        base["kecamatan"] = base["kode_kecamatan"].map(region_name)
        base = base.merge(water, on="kode_desa", how="left")
        base["jaringan_air"] = base["jaringan_air"].fillna("tidak_diketahui")
        run = latest_run(engine)
        cols = [
            "keluarga",
            "krs",
            "miskin_ekstrem",
            "konvergen",
            "konvergensi_pct",
            "konvergen_dilayani",
            "konvergensi_dilayani_pct",
            "krs_tanpa_intervensi",
            "balita_diukur",
            "balita_stunting",
            "prevalensi_stunting_pct",
            "ci95_bawah_pct",
            "ci95_atas_pct",
            # change since the previous run (`coverage`): the dashboard's village table
            "krs_sebelumnya",
            "perubahan_krs",
            "prevalensi_sebelumnya_pct",
        ]
        if run is None:
            for c in cols:
                base[c] = None
            return base.sort_values("kode_desa", ignore_index=True)
        cov = coverage(engine, run["id"], "desa", [region])
        keep = [
            "kode_wilayah",
            *cols,
            *[c for c in cov.columns if c.startswith(tuple(f"{k}_" for k in FACTOR_KINDS))],
        ]
        out = base.merge(
            cov[keep].rename(columns={"kode_wilayah": "kode_desa"}), on="kode_desa", how="left"
        )
        for c in (
            "keluarga",
            "krs",
            "miskin_ekstrem",
            "konvergen",
            "konvergen_dilayani",
            "krs_tanpa_intervensi",
            "balita_diukur",
            "balita_stunting",
        ):
            out[c] = out[c].fillna(0).astype(int)
        out = _with_measurement_coverage(engine, run["id"], "desa", [region], out, "kode_desa")
        return out.sort_values("kode_desa", ignore_index=True)

    return cached(engine, ("villages", region), build)


def _with_measurement_coverage(
    engine: Engine, run_id: int, level: str, prefixes: list[str], frame: pd.DataFrame, key: str
) -> pd.DataFrame:
    """``frame`` (one row per area, its code in ``key``) with the measurement coverage beside
    the prevalence (`sinergi.assess.summary.measurement_coverage`)."""
    reach = measurement_coverage(engine, run_id, level, prefixes).rename(
        columns={"kode_wilayah": key}
    )
    out = frame.merge(reach, on=key, how="left")
    for c in ("balita_terdaftar", "balita_terukur"):
        out[c] = out[c].fillna(0).astype(int)
    return out


def regency_totals(
    engine: Engine, region: str, run_id: int, area: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The regency's figures, or those of ``area`` (a user's wilayah: its kecamatan or
    villages) when given, so that an area-limited user's dashboard counts its area only."""
    prefixes = list(area) or [region]

    def build() -> dict[str, Any]:
        cov = coverage(engine, run_id, "kabupaten", prefixes)
        if not len(cov):
            return {}
        cov = _with_measurement_coverage(engine, run_id, "kabupaten", prefixes, cov, "kode_wilayah")
        return cov.iloc[0].to_dict()

    return cached(engine, ("regency", region, run_id, area), build)


def kecamatan_table(
    engine: Engine, region: str, run_id: int, area: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Figures per kecamatan of the regency, or of ``area`` only (`regency_totals`)."""
    prefixes = list(area) or [region]
    return cached(
        engine,
        ("kecamatan", region, run_id, area),
        lambda: _with_measurement_coverage(
            engine,
            run_id,
            "kecamatan",
            prefixes,
            coverage(engine, run_id, "kecamatan", prefixes),
            "kode_wilayah",
        ),
    )


def trend(engine: Engine, area: tuple[str, ...] = ()) -> pd.DataFrame:
    """KRS, extreme poor and stunting prevalence of every run, oldest first: of the regency, or
    of ``area`` only (a user's wilayah) when given."""

    def build() -> pd.DataFrame:
        rows = []
        for r in runs(engine):
            krs, poor = (r["krs"], r["miskin_ekstrem"]) if not area else _counts(engine, r, area)
            rows.append(
                {
                    "run_id": r["id"],
                    "tanggal": r["reference_date"].isoformat(),
                    "ruleset": r["ruleset_id"],
                    "krs": krs,
                    "miskin_ekstrem": poor,
                    "prevalensi": _prevalence(engine, r["id"], r["reference_date"], area),
                }
            )
        return pd.DataFrame(rows)

    return cached(engine, ("trend", area), build)


def _counts(engine: Engine, run: dict[str, Any], area: tuple[str, ...]) -> tuple[int, int]:
    """A run's KRS and extreme-poor families inside ``area``."""
    a = assessment_families.c
    with engine.connect() as conn:
        krs, poor = conn.execute(
            select(tally(a.krs.is_(True)), tally(a.miskin_ekstrem.is_(True))).where(
                a.run_id == run["id"], prefix_clause(area, a.kode_desa)
            )
        ).one()
    return int(krs or 0), int(poor or 0)


def _prevalence(engine: Engine, run_id: int, ref: date, area: tuple[str, ...] = ()) -> float | None:
    c = assessment_children.c
    with engine.connect() as conn:
        n_measured, n_stunted = conn.execute(
            select(tally(measured(c, ref)), tally(stunted(c, ref))).where(
                c.run_id == run_id, prefix_clause(area, c.kode_desa)
            )
        ).one()
    pct = percent(n_stunted, n_measured)
    return None if pct is None else round(pct, 1)


def village_programmes(engine: Engine, kode_desa: str) -> list[dict[str, Any]]:
    """Per programme: beneficiaries by status in the village, and the village project if any."""
    p = proposals.c
    with engine.connect() as conn:
        counts = conn.execute(
            select(p.kode_program, p.status, func.count())
            .where(p.kode_desa == kode_desa)
            .group_by(p.kode_program, p.status)
        ).all()
        proj = conn.execute(select(projects).where(projects.c.kode_desa == kode_desa)).all()
    out: dict[str, dict[str, Any]] = {}
    for code, status, n in counts:
        out.setdefault(code, {"kode_program": code, "status": {}, "proyek": None})
        out[code]["status"][status] = n
    for r in proj:
        out.setdefault(
            r.kode_program, {"kode_program": r.kode_program, "status": {}, "proyek": None}
        )
        out[r.kode_program]["proyek"] = {
            "status": r.status,
            "biaya": r.biaya,
            "sambungan_rumah": r.sambungan_rumah,
        }
    return sorted(out.values(), key=lambda d: d["kode_program"])


def factor_needs(row: dict[str, Any]) -> list[dict[str, Any]]:
    """Per fired factor: KRS families needing it, served, resolved (met), in progress (from a
    coverage row)."""
    out = []
    for code in FACTOR_CODES:
        need = row.get(f"perlu_{code}")
        if need is None or pd.isna(need) or not need:
            continue
        out.append(
            {
                "faktor": code,
                "perlu": int(need),
                "dilayani": int(row.get(f"dilayani_{code}") or 0),
                "terpenuhi": int(row.get(f"terpenuhi_{code}") or 0),
                "proses": int(row.get(f"proses_{code}") or 0),
            }
        )
    return out


def catalogue() -> dict[str, Programme]:
    return _cached(("catalogue",), load_catalogue)


# --- families (scoped) ---------------------------------------------------------------------------


def _scoped(user: User, run_id: int | None):  # type: ignore[no-untyped-def]
    return family_clause(user, families.c.no_kk, families.c.kode_desa, run_id)


def search_query(
    user: User,
    run_id: int | None,
    q: str = "",
    desa: tuple[str, ...] | None = None,
) -> Select[Any]:
    """Families whose head or a member is named like `q`, or whose No KK starts with `q`, in
    the villages ``desa`` (None: all), within the user's scope; unordered (the caller pages it)."""
    f, a = families.c, assessment_families.c
    q = q.strip()
    query = (
        select(
            f.no_kk,
            f.kode_desa,
            f.nama_kepala,
            f.alamat,
            f.rt,
            f.rw,
            a.krs,
            a.faktor,
            a.miskin_ekstrem,
        )
        .select_from(
            families.outerjoin(assessment_families, and_(a.no_kk == f.no_kk, a.run_id == run_id))
        )
        .where(_scoped(user, run_id))
    )
    if q:
        if q.isdigit():
            query = query.where(f.no_kk.like(q + "%"))
        else:
            # One set of KKs (a member's or the head's name), not an OR beside a subquery, which
            # SQLite answers by scanning the families once per side; each through its name index.
            named = union(
                select(persons.c.no_kk).where(name_contains(persons.c.nama, q)),
                select(f.no_kk).where(name_contains(f.nama_kepala, q)),
            )
            query = query.where(f.no_kk.in_(named))
    if desa is not None:
        query = query.where(f.kode_desa.in_(desa))
    return query


# Sort keys of the lists (`sinergi.web.paging`): the only columns a page may order by.
SEARCH_SORTS = {
    "nama_kepala": (families.c.nama_kepala,),
    "desa": (families.c.kode_desa,),
    "krs": (assessment_families.c.krs,),
}


def search_families(
    engine: Engine,
    user: User,
    run_id: int | None,
    q: str = "",
    kode_desa: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """`search_query`, by name, at most ``limit`` families."""
    f = families.c
    query = search_query(user, run_id, q, (kode_desa,) if kode_desa else None)
    with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(query.order_by(f.nama_kepala, f.no_kk).limit(limit))
        ]
    return named_rows(rows)


def named_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a family list with the village's name beside its code and the factors split."""
    for r in rows:
        r["nama_desa"] = region_name(r["kode_desa"])
        if "faktor" in r:
            r["faktor"] = split_codes(r["faktor"])
    return rows


def family_detail(
    engine: Engine, user: User, run_id: int | None, no_kk: str
) -> dict[str, Any] | None:
    """Everything a family page shows, or None when the family is missing or out of scope."""
    f, a, c = families.c, assessment_families.c, assessment_children.c
    with engine.connect() as conn:
        fam = conn.execute(select(families).where(f.no_kk == no_kk, _scoped(user, run_id))).first()
        if fam is None:
            return None
        members = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    persons.c.nik,
                    persons.c.nama,
                    persons.c.jenis_kelamin,
                    persons.c.tanggal_lahir,
                    persons.c.hubungan,
                    persons.c.status_kawin,
                    persons.c.hamil,
                    persons.c.kontrasepsi,
                    persons.c.meninggal,
                )
                .where(persons.c.no_kk == no_kk)
                .order_by(persons.c.tanggal_lahir)
            )
        ]
        assessed = (
            conn.execute(
                select(
                    a.sasaran,
                    a.faktor,
                    a.pasangan,
                    a.krs,
                    a.miskin_ekstrem,
                    a.jumlah_balita,
                    a.jumlah_balita_stunting,
                ).where(a.run_id == run_id, a.no_kk == no_kk)
            ).first()
            if run_id is not None
            else None
        )
        kids = (
            [
                dict(r._mapping)
                for r in conn.execute(
                    run_rows(assessment_children, run_id, *CHILD_RESULT)
                    .where(c.no_kk == no_kk)
                    .order_by(c.tanggal_lahir)
                )
            ]
            if run_id is not None
            else []
        )
        niks = [k["nik_anak"] for k in kids if k["nik_anak"]]
        m = measurements.c
        history = read_frame(
            conn,
            select(
                m.nik_anak,
                m.nama_anak,
                m.tanggal_lahir,
                m.tanggal_ukur,
                m.berat,
                m.tinggi,
                m.tanggal_data,
                m.batch_id,
                m.baris,
            )
            .where(or_(m.no_kk == no_kk, m.nik_anak.in_(niks)))
            .order_by(m.tanggal_ukur),
        )
        sources = _sources(conn, fam._mapping, history)
    for k in kids:
        mine = history[
            (history["nik_anak"] == k["nik_anak"])
            if k["nik_anak"]
            else (
                (history["nama_anak"] == k["nama_anak"])
                & (history["tanggal_lahir"] == k["tanggal_lahir"])
            )
        ]
        born = pd.Timestamp(k["tanggal_lahir"])
        ages = (pd.to_datetime(mine["tanggal_ukur"]) - born).dt.days / DAYS_PER_MONTH
        k["tinggi"] = [
            (float(x), float(y)) for x, y in zip(ages, mine["tinggi"], strict=True) if pd.notna(y)
        ]
        k["berat"] = [
            (float(x), float(y)) for x, y in zip(ages, mine["berat"], strict=True) if pd.notna(y)
        ]
    family = dict(fam._mapping)
    family["nama_desa"] = region_name(family["kode_desa"])
    family["kecamatan"] = region_name(family["kode_desa"][:8])
    return {
        "family": family,
        "members": members,
        "assessment": dict(assessed._mapping) if assessed else None,
        "factors": split_codes(assessed.faktor if assessed else None),
        "sasaran": split_codes(assessed.sasaran if assessed else None),
        "children": kids,
        "sources": sources,
    }


def _sources(conn: Any, family: Any, history: pd.DataFrame) -> list[dict[str, Any]]:
    """Per group of facts on the family page: the date its data describe and the file and row
    it came from — the roster's address and housing, P3KE's welfare fields, each measurement."""
    groups: list[dict[str, Any]] = [
        {
            "kelompok": "sumber_roster",
            "tanggal": family["tanggal_data"],
            "batch": family["batch_id"],
            "baris": family["baris"],
        },
        {
            "kelompok": "sumber_p3ke",
            "tanggal": family["desil_tanggal_data"],
            "batch": family["desil_batch_id"],
            "baris": family["desil_baris"],
        },
    ]
    for r in history.itertuples(index=False):
        groups.append(
            {
                "kelompok": "sumber_ukur",
                "nama": r.nama_anak,
                "tanggal_ukur": r.tanggal_ukur,
                "tanggal": clean(r.tanggal_data),
                "batch": clean(r.batch_id),
                "baris": clean(r.baris),
            }
        )
    ids = {int(g["batch"]) for g in groups if g["batch"] is not None}
    b = import_batches.c
    files = dict(rows_by_keys(conn, [b.id, b.file_name], b.id, sorted(ids))) if ids else {}
    for g in groups:
        g["berkas"] = files.get(int(g["batch"])) if g["batch"] is not None else None
        g["baris"] = int(g["baris"]) if g["baris"] is not None else None
    return groups


def village_families_query(
    user: User, run_id: int, kode_desa: str, only_krs: bool = True
) -> Select[Any]:
    """A village's (KRS) families in the run, within the user's scope; unordered."""
    f, a = families.c, assessment_families.c
    query = (
        select(
            f.no_kk,
            f.kode_desa,
            f.nama_kepala,
            f.alamat,
            f.rt,
            f.rw,
            a.faktor,
            a.krs,
            a.miskin_ekstrem,
            a.jumlah_balita_stunting,
        )
        .join(assessment_families, and_(a.no_kk == f.no_kk, a.run_id == run_id))
        # The redundant IN lets SQLite (no table statistics) start from the village's
        # families instead of scanning the whole run: 4 ms instead of 70 ms for a regency.
        .where(
            f.kode_desa == kode_desa,
            a.no_kk.in_(select(families.c.no_kk).where(families.c.kode_desa == kode_desa)),
            _scoped(user, run_id),
        )
    )
    if only_krs:
        query = query.where(a.krs.is_(True))
    return query


VILLAGE_SORTS = {
    "nama_kepala": (families.c.nama_kepala,),
    "alamat": (families.c.rw, families.c.rt, families.c.alamat),
    "miskin_ekstrem": (assessment_families.c.miskin_ekstrem,),
    "balita_stunting": (assessment_families.c.jumlah_balita_stunting,),
}


def village_families(
    engine: Engine, user: User, run_id: int, kode_desa: str, only_krs: bool = True
) -> list[dict[str, Any]]:
    query = village_families_query(user, run_id, kode_desa, only_krs)
    with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(query.order_by(families.c.nama_kepala, families.c.no_kk))
        ]
    for r in rows:
        r["faktor"] = split_codes(r["faktor"])
    return rows


#: Which families a village's verification list holds: KRS, every target family, every family.
VERIFY_SCOPES = ("krs", "sasaran", "semua")


def verify_families(
    engine: Engine,
    user: User,
    run_id: int,
    kode_desa: str,
    which: str = "krs",
    dusun: str = "",
    rt: str = "",
    rw: str = "",
) -> pd.DataFrame:
    """A village's families in the run to verify (``which`` of `VERIFY_SCOPES`), within the
    user's scope, with the address, factors and case-finding codes (``temuan``); ``dusun``,
    ``rt`` and ``rw`` keep the families whose value is exactly that (case ignored for the dusun).
    Unordered; the village page adds the last verification and pages it."""
    f, a = families.c, assessment_families.c
    query = (
        select(
            f.no_kk,
            f.kode_desa,
            f.nama_kepala,
            f.dusun,
            f.rt,
            f.rw,
            f.alamat,
            a.faktor,
            a.temuan,
            a.sasaran,
            a.krs,
            a.miskin_ekstrem,
        )
        .join(assessment_families, and_(a.no_kk == f.no_kk, a.run_id == run_id))
        .where(
            f.kode_desa == kode_desa,
            a.no_kk.in_(select(families.c.no_kk).where(families.c.kode_desa == kode_desa)),
            _scoped(user, run_id),
        )
    )
    if which == "krs":
        query = query.where(a.krs.is_(True))
    elif which == "sasaran":
        query = query.where(a.sasaran.is_not(None), a.sasaran != "")
    if dusun.strip():
        query = query.where(func.lower(f.dusun) == dusun.strip().lower())
    if rt.strip():
        query = query.where(f.rt == rt.strip())
    if rw.strip():
        query = query.where(f.rw == rw.strip())
    with engine.connect() as conn:
        return read_frame(conn, query)


def verification_in_village(
    engine: Engine, record_id: int, kode_desa: str
) -> dict[str, Any] | None:
    """A recorded verification (id, result, status, No KK) if it was recorded of a family of
    ``kode_desa``, else None: what the village's list confirms after a family moved away."""
    v = verifications.c
    with engine.connect() as conn:
        row = conn.execute(
            select(v.id, v.hasil, v.status, v.no_kk).where(
                v.id == record_id, v.kode_desa == kode_desa
            )
        ).first()
    return dict(row._mapping) if row else None


def village_places(engine: Engine, user: User, kode_desa: str) -> dict[str, list[str]]:
    """The dusun, RT and RW values of a village's families within the user's scope, sorted (RT
    and RW as numbers where they are), for the filters of the village's verification list."""
    f = families.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(f.dusun, f.rt, f.rw)
            .where(f.kode_desa == kode_desa, _scoped(user, None))
            .distinct()
        ).all()

    def ordered(values: set[str]) -> list[str]:
        return sorted(values, key=lambda v: (0, int(v), v) if v.isdigit() else (1, 0, v))

    return {
        "dusun": ordered({r.dusun for r in rows if r.dusun}),
        "rt": ordered({r.rt for r in rows if r.rt}),
        "rw": ordered({r.rw for r in rows if r.rw}),
    }


def beneficiaries_query(
    user: User,
    run_id: int | None,
    kode_program: str,
    status: str | None = None,
    desa: tuple[str, ...] | None = None,
) -> Select[Any]:
    """The programme's proposals with workflow state, for the families the user may see, in
    the villages ``desa`` (None: all); unordered."""
    p, f = proposals.c, families.c
    query = (
        select(
            p.id,
            p.kode_program,
            p.periode,
            p.no_kk,
            p.kode_desa,
            p.status,
            p.versi,
            p.biaya,
            p.faktor,
            p.alasan,
            p.alasan_tolak,
            p.updated_at,
            p.updated_by,
            f.nama_kepala,
        )
        .join(families, f.no_kk == p.no_kk)
        .where(p.kode_program == kode_program, _scoped(user, run_id))
    )
    if status:
        query = query.where(p.status == status)
    if desa is not None:
        query = query.where(p.kode_desa.in_(desa))
    return query


BENEFICIARY_SORTS = {
    "desa": (proposals.c.kode_desa, families.c.nama_kepala),
    "nama_kepala": (families.c.nama_kepala,),
    "status": (proposals.c.status,),
    "diubah": (proposals.c.updated_at,),
}


def beneficiaries(
    engine: Engine,
    user: User,
    run_id: int | None,
    kode_program: str,
    status: str | None = None,
    kode_desa: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """`beneficiaries_query` by village and name, for the API."""
    p, f = proposals.c, families.c
    query = beneficiaries_query(
        user, run_id, kode_program, status, (kode_desa,) if kode_desa else None
    ).order_by(p.kode_desa, f.nama_kepala, p.no_kk)
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for r in rows:
        r["nama_desa"] = region_name(r["kode_desa"])
    return rows


def status_counts(
    engine: Engine, user: User, run_id: int | None, codes: list[str]
) -> dict[str, dict[str, int]]:
    """Beneficiaries per programme and status, among the families the user may see."""
    p, f = proposals.c, families.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(p.kode_program, p.status, func.count())
            .join(families, f.no_kk == p.no_kk)
            .where(p.kode_program.in_(codes), _scoped(user, run_id))
            .group_by(p.kode_program, p.status)
        ).all()
    out: dict[str, dict[str, int]] = {c: {} for c in codes}
    for code, status, n in rows:
        out[code][status] = int(n)
    return out


def missed_families(engine: Engine, user: User, run_id: int) -> pd.DataFrame:
    """KRS families no programme has reached, limited to the user's scope (the list of an area
    is cached per run and data version, `cached`, as the missed children are)."""
    area = tuple(user.wilayah)
    frame = cached(
        engine,
        ("missed_families", run_id, area),
        lambda: missed_by_programmes(engine, run_id, list(area) or None),
    )
    if frame.empty or unrestricted(user):
        return frame  # the whole regency's KRS families: nothing to take out
    with engine.connect() as conn:
        allowed = {
            r[0]
            for r in conn.execute(
                select(families.c.no_kk).where(
                    families.c.no_kk.in_(
                        select(assessment_families.c.no_kk).where(
                            assessment_families.c.run_id == run_id,
                            assessment_families.c.krs.is_(True),
                            prefix_clause(user.wilayah, assessment_families.c.kode_desa),
                        )
                    ),
                    _scoped(user, run_id),
                )
            )
        }
    return frame[frame["no_kk"].isin(allowed)].reset_index(drop=True)


def missed_children(
    engine: Engine,
    user: User,
    run_id: int,
    lang: str,
    include_cleared: bool = False,
    area: str | None = None,
) -> pd.DataFrame:
    """Stunted or wasted children outside the KRS list and KRS under-fives not measured lately
    (`sinergi.assess.missed`), limited to the user's scope. A child without a registered family
    is matched on its village only, and only for the roles that may see such children
    (`access.sees_unlinked_children`); the health officer sees every row of its area
    (`access.sees_health_findings`). ``area`` (a village or kecamatan code): only its rows,
    which the database then reads alone (a village's musdes sheet, a kecamatan's case list)."""
    from sinergi.assess.missed import missed

    language: Lang = "en" if lang == "en" else "id"
    prefixes = [area] if area else None
    # The regency's list is the same for every user until the data change (an import, a
    # verification, a workflow step, a run: `data_version`); each request only scopes it.
    frame = cached(
        engine,
        ("missed_children", run_id, language, include_cleared, area),
        lambda: missed(
            engine, run_id, language, include_cleared=include_cleared, prefixes=prefixes
        ),
    )
    if frame.empty or unrestricted(user):
        return frame  # every row is the regency's (a child's KK is a registered family's)
    frame = frame[frame["kode_desa"].map(lambda k: in_area(user, k))]
    with engine.connect() as conn:
        allowed = {
            r[0]
            for r in rows_by_keys(
                conn,
                [families.c.no_kk],
                families.c.no_kk,
                frame["no_kk"].dropna().unique(),
                _scoped(user, run_id),
            )
        }
    if sees_health_findings(user):
        return frame.reset_index(drop=True)  # the health officer: every row of its area
    has_kk = frame["no_kk"].notna()
    keep = (has_kk & frame["no_kk"].isin(allowed)) | (~has_kk & sees_unlinked_children(user))
    return frame[keep].reset_index(drop=True)
