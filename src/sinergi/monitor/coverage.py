"""Coverage and convergence: did the interventions a family needs reach that same family?

Reads one stored assessment run (``assessment_families``, ``assessment_children``) beside the
delivery records (``proposals``, imported agency lists in ``interventions``, village projects in
``projects``/``project_households``) and counts, per village, kecamatan or kabupaten, how many
at-risk families have each need met. Everything is a handful of SQL reads plus vectorised pandas:
a family's fired factors, met needs and needs in progress are each one integer bit-mask
(bit i = ``FACTOR_CODES[i]``), so "all needs met" is one mask comparison, not a loop.

Definitions
-----------
Statuses are the stored lower-case codes: usulan, terverifikasi, disetujui, tersalurkan, ditolak
(proposals and imported interventions alike); projects: perencanaan, konstruksi, beroperasi.
A programme's *need* comes from the programme catalogue (``sinergi.targeting.programmes``); a
programme code the catalogue does not know has no need: it still counts as "an intervention" and
as "aid", but meets no factor. Delivery records of every period count.

Delivery records are matched to families by No. KK: a proposal by its ``no_kk``; an imported
intervention by its ``no_kk`` when that is a registered family, else by its ``nik`` through
``persons.no_kk``; a project by ``project_households.no_kk``.

- **Need met** for factor F: (a) a proposal with status ``tersalurkan`` of a programme whose
  need (or one of its ``also_meets`` factors) is F; or (b) an imported intervention with status ``tersalurkan`` of such a programme; or
  (c) the family is connected (``project_households``) to a project with status ``beroperasi``
  and F is the water factor ``air_minum_tidak_layak`` (projects are village water networks) or
  F is the need of the project's programme.
  Only programmes whose delivery *resolves* the need count here (``resolves``, the programme
  catalogue: a latrine built, a house renovated); counselling, cash and food (``resolves =
  false``) only serve it: such a need is resolved when the factor is gone at a later assessment.
- **Need served** for factor F (``dilayani_<F>``): met, or a delivered record of any programme
  whose need (or ``also_meets``) is F, or a connection to a project of any status (planned,
  under construction, working) for the water factor.
- **In progress** for factor F: not met, but a proposal or imported intervention with status
  ``disetujui`` of a programme whose need is F exists.
- ``perlu_<F>``: KRS families with F fired; ``terpenuhi_<F>``: of those, F met;
  ``proses_<F>``: of those, F in progress. Columns appear, in ``FACTOR_CODES`` order, for every
  factor fired for at least one family of the run (the run's stored per-factor counts, so a view
  scoped to one village has the same columns as the whole run).
- ``konvergen``: KRS families all of whose fired factors are met (resolved).
  ``konvergensi_pct`` = konvergen / krs × 100 (None when krs = 0). ``konvergen_dilayani`` and
  ``konvergensi_dilayani_pct``: the same with every fired factor served.
- ``krs_tanpa_intervensi``: KRS families with no intervention at all: no proposal with status
  terverifikasi, disetujui or tersalurkan, no imported intervention with a status other than
  ditolak or usulan, and no project connection (of a project in any status).
- ``miskin_ekstrem_tanpa_bantuan``: extreme-poor families not reached by any aid: no proposal or
  imported intervention of any programme with status tersalurkan and no project connection.
- Stunting, from the run's ``assessment_children``: ``balita_diukur`` and ``balita_stunting`` are
  the measured and the stunted under-fives as every stage counts them (``sinergi.assess.prevalence``:
  under five at the run's reference date, a plausible length/height-for-age category; stunted
  when that category is in ``core.growth.STUNTED``). The area of a child is its own ``kode_desa``.
  ``prevalensi_stunting_pct`` = stunted / measured × 100 with a 95 % Wilson score interval
  (``ci95_bawah_pct``, ``ci95_atas_pct``); all three None when nobody was measured.
- Change since the previous run (``previous_run_id``, else the newest run older than ``run_id``):
  its KRS count, stunting prevalence and convergence per area; the previous convergence is
  computed against the same (current) delivery records, since those carry no history of their
  status. None when there is no previous run; ``krs_sebelumnya`` is 0 for an area the previous
  run had no KRS family in.

Areas: level ``desa`` groups by ``kode_desa``, ``kecamatan`` by its first 8 characters
(``64.08.01``), ``kabupaten`` by its first 5 (``64.08``); an area has a row when the run assessed
a family or measured a child in it. ``prefixes`` keeps only villages whose code starts with one of
them (the web app's area scope). ``nama_wilayah`` is the area's name in the Kemendagri list
(`sinergi.wilayah`), or its code when the list does not know it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    case,
    func,
    or_,
    select,
    type_coerce,
)

from sinergi.assess.prevalence import measured, percent, prevalence, stunted, tally
from sinergi.assess.summary import StoredRun, in_areas, stored_run
from sinergi.core.errors import CatalogueError
from sinergi.core.totals import total_row
from sinergi.link.golden import intervention_family
from sinergi.messages import Lang
from sinergi.rules.ruleset import FACTOR_CODES
from sinergi.store.bulk import CHUNK
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    families,
    interventions,
    project_households,
    projects,
    proposals,
)
from sinergi.targeting.programmes import load_catalogue
from sinergi.wilayah import get_wilayah

# Length of the area code at each level: "64.08.01.2001", "64.08.01", "64.08".
LEVELS: dict[str, int] = {"desa": 13, "kecamatan": 8, "kabupaten": 5}
WATER = "air_minum_tidak_layak"
DELIVERED = "tersalurkan"
APPROVED = "disetujui"
OPERATING = "beroperasi"
ACTIVE_PROPOSAL = ("terverifikasi", APPROVED, DELIVERED)
INACTIVE_INTERVENTION = ("ditolak", "usulan")
BITS: dict[str, int] = {code: 1 << i for i, code in enumerate(FACTOR_CODES)}

COUNT_COLUMNS = ("keluarga", "keluarga_sasaran", "krs", "miskin_ekstrem")
#: Per fired factor: KRS families needing it, served, resolved, in progress.
FACTOR_KINDS = ("perlu", "dilayani", "terpenuhi", "proses")
TAIL_COLUMNS = (
    "konvergen",
    "konvergensi_pct",
    "konvergen_dilayani",
    "konvergensi_dilayani_pct",
    "krs_tanpa_intervensi",
    "miskin_ekstrem_tanpa_bantuan",
    "balita_diukur",
    "balita_stunting",
    "prevalensi_stunting_pct",
    "ci95_bawah_pct",
    "ci95_atas_pct",
    "krs_sebelumnya",
    "perubahan_krs",
    "prevalensi_sebelumnya_pct",
    "konvergensi_sebelumnya_pct",
)
# The figures `sinergi coverage` prints per area (the export has every column); `sinergi batch
# coverage` prints those an extract gives.
PRINTED_COLUMNS = (
    "kode_wilayah",
    "nama_wilayah",
    "krs",
    "konvergen",
    "konvergensi_pct",
    "krs_tanpa_intervensi",
    "miskin_ekstrem_tanpa_bantuan",
    "prevalensi_stunting_pct",
)
MISSED_COLUMNS = ("no_kk", "kode_desa", "nama_kepala", "faktor", "sasaran", "miskin_ekstrem")
# Columns of a coverage frame that are counts: a slice of rows adds them up.
SUMMED_COLUMNS = (
    "konvergen",
    "konvergen_dilayani",
    "krs_tanpa_intervensi",
    "miskin_ekstrem_tanpa_bantuan",
    "balita_diukur",
    "balita_stunting",
)


class CoverageError(CatalogueError):
    """Coverage asked of a run or a level that does not exist."""


# --------------------------------------------------------------------------- small helpers


def _nullable(values: Any) -> pd.Series:
    """Object column with None for missing: the callers (web app, JSON, exports) want None."""
    s = pd.Series(values)
    return s.astype(object).where(s.notna(), None)


def _read(conn: Connection, query: Any) -> pd.DataFrame:
    """Like `sinergi.store.frames.read_frame`, but the rows come straight from the DBAPI cursor
    as plain tuples. pandas builds a frame from tuples in C; from SQLAlchemy ``Row`` objects it
    converts row by row, which was a third of the whole computation. Only columns that need no
    result conversion are read this way (text, and integers: booleans are cast to integers)."""
    result = conn.execute(query)
    columns = list(result.keys())
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    return pd.DataFrame.from_records(rows, columns=columns)


def factor_bits(faktor: pd.Series) -> np.ndarray:
    """';'-joined factor codes → bit-mask, parsed once per distinct string (a few hundred)."""
    uniques = pd.unique(faktor)
    lookup = {s: sum(BITS.get(code, 0) for code in set((s or "").split(";"))) for s in uniques}
    return faktor.map(lookup).to_numpy(np.int64)


# --------------------------------------------------------------------------- runs


def _run(conn: Connection, run_id: int | None) -> StoredRun:
    run = stored_run(conn, run_id)
    if run is None:
        if run_id is None:
            raise CoverageError("belum_ada_penilaian")
        raise CoverageError("penilaian_tidak_ditemukan", run=run_id)
    return run


# --------------------------------------------------------------------------- reads


def _at_risk(
    conn: Connection, run_id: int, n: int, prefixes: Sequence[str] | None, krs_only: bool = False
) -> pd.DataFrame:
    """One row per KRS or extreme-poor family: the only families whose figures depend on who
    was reached. (Reading every family costs several times more on SQLite; the others only add
    to the plain counts of `_family_totals`.) Booleans are read as integers, which skips
    SQLAlchemy's per-value conversion."""
    f = assessment_families.c
    query = select(
        f.no_kk,
        f.kode_desa,
        f.faktor,
        type_coerce(f.krs, Integer).label("krs"),
        type_coerce(f.miskin_ekstrem, Integer).label("miskin_ekstrem"),
    ).where(
        f.run_id == run_id,
        f.krs.is_(True) if krs_only else or_(f.krs.is_(True), f.miskin_ekstrem.is_(True)),
        in_areas(f.kode_desa, prefixes),
    )
    fam = _read(conn, query)
    # Cut the code once per village, not once per family.
    codes, villages = pd.factorize(fam["kode_desa"])
    fam["area"] = np.asarray([v[:n] for v in villages], dtype=object)[codes] if len(fam) else ""
    fam["fbits"] = factor_bits(fam["faktor"]) if len(fam) else np.zeros(0, np.int64)
    for col in ("krs", "miskin_ekstrem"):
        fam[col] = fam[col].to_numpy(np.int64).astype(bool)
    return fam


def _family_totals(
    conn: Connection, run_id: int, n: int, prefixes: Sequence[str] | None
) -> pd.DataFrame:
    """Families assessed and target families per area, counted by the database."""
    f = assessment_families.c
    query = (
        select(
            f.kode_desa,
            func.count().label("keluarga"),
            func.sum(case((f.sasaran != "", 1), else_=0)).label("keluarga_sasaran"),
        )
        .where(f.run_id == run_id, in_areas(f.kode_desa, prefixes))
        .group_by(f.kode_desa)
    )
    return _by_area(_read(conn, query), n)


def _by_area(per_village: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per-village counts added up to the level's areas. (The database groups by the plain
    village column: on SQLite that measured about twice as fast as grouping by a ``substr``
    expression, and what is left to add up here is a few hundred rows.)"""
    area = per_village.pop("kode_desa").str[:n].rename("area")
    counts = per_village.apply(pd.to_numeric).fillna(0).astype(np.int64)
    return counts.groupby(area.to_numpy()).sum().rename_axis("area")


def _children(
    conn: Connection, run: StoredRun, n: int, prefixes: Sequence[str] | None
) -> pd.DataFrame:
    """Measured and stunted under-fives per area, counted by the database."""
    c = assessment_children.c
    ref = run.reference_date
    query = (
        select(
            c.kode_desa,
            tally(measured(c, ref)).label("balita_diukur"),
            tally(stunted(c, ref)).label("balita_stunting"),
        )
        .where(c.run_id == run.id, in_areas(c.kode_desa, prefixes))
        .group_by(c.kode_desa)
    )
    return _by_area(_read(conn, query), n)


@dataclass(frozen=True)
class _Delivery:
    """Per family (index No. KK): resolved-need bits (``met``), served-need bits, in-progress
    bits, and two yes/no facts."""

    met: pd.Series
    served: pd.Series
    progress: pd.Series
    any_intervention: pd.Index
    reached: pd.Index


def _programme_bits(resolving: bool = False) -> dict[str, int]:
    """Programme code → bits of the factors it meets: its need and ``also_meets`` (0 for needs
    that are not risk factors, e.g. ``stunting``); with ``resolving``, only of the programmes
    whose delivery resolves them (``resolves``)."""
    return {
        code: _or_bits(BITS.get(f, 0) for f in p.meets) if p.resolves or not resolving else 0
        for code, p in load_catalogue().items()
    }


def _or_bits(bits: Any) -> int:
    out = 0
    for b in bits:
        out |= b
    return out


def _delivery(conn: Connection, only: Iterable[str] | None = None) -> _Delivery:
    """Delivery records reduced to per-family masks: all of them, or (a scoped view: one
    village in the web app) only those of the families in ``only``, looked up by No. KK in
    chunks so that a small scope never pulls the whole regency's records."""
    p, i, h, pr = proposals.c, interventions.c, project_households.c, projects.c
    kk, joined = intervention_family()
    q_prop = select(p.no_kk, p.kode_program, p.status).where(p.status.in_(ACTIVE_PROPOSAL))
    q_int = (
        select(kk.label("no_kk"), i.kode_program, i.status)
        .select_from(joined)
        .where(i.status.not_in(INACTIVE_INTERVENTION), kk.is_not(None))
    )
    q_proj = select(h.no_kk, pr.kode_program, pr.status).select_from(
        project_households.join(projects, pr.id == h.project_id)
    )
    keys = None if only is None else list(only)
    if keys is None or len(keys) > CHUNK:
        # Past one chunk of keys a full read is cheaper than the look-ups; records of families
        # outside the scope do no harm (masks are looked up by the families in scope).
        prop, inter, proj = _read(conn, q_prop), _read(conn, q_int), _read(conn, q_proj)
    else:
        parts: list[list[pd.DataFrame]] = [[], [], []]
        for start in range(0, max(len(keys), 1), CHUNK):
            chunk = keys[start : start + CHUNK]
            parts[0].append(_read(conn, q_prop.where(p.no_kk.in_(chunk))))
            parts[1].append(_read(conn, q_int.where(kk.in_(chunk))))
            parts[2].append(_read(conn, q_proj.where(h.no_kk.in_(chunk))))
        prop, inter, proj = (pd.concat(x, ignore_index=True) for x in parts)
    return delivery_masks(pd.concat([prop, inter], ignore_index=True), proj)


def delivery_masks(records: pd.DataFrame, proj: pd.DataFrame) -> _Delivery:
    """The per-family masks of the delivery records (``no_kk``, ``kode_program``, ``status``):
    ``records`` the active proposals and imported interventions, ``proj`` the project
    connections (see the module docstring). Pure, so that a batch over a registry extract
    (`sinergi.batch.jobs`) applies the same definitions to one province's records at a time."""
    bits, resolving = _programme_bits(), _programme_bits(resolving=True)
    need = records["kode_program"].map(bits).fillna(0).to_numpy(np.int64)
    resolves = records["kode_program"].map(resolving).fillna(0).to_numpy(np.int64)
    delivered = (records["status"] == DELIVERED).to_numpy()
    approved = (records["status"] == APPROVED).to_numpy()
    operating = (proj["status"] == OPERATING).to_numpy()
    proj_need = proj["kode_program"].map(bits).fillna(0).to_numpy(np.int64) | BITS[WATER]

    # Resolved: a resolving programme delivered, or a working connection.
    met = _or_by_family(
        pd.concat([records["no_kk"][delivered], proj["no_kk"][operating]], ignore_index=True),
        np.concatenate([resolves[delivered], proj_need[operating]]),
    )
    # Served: any programme delivered (counselling, cash, food too), or a connection of a network
    # in any status (planned, under construction, working).
    served = _or_by_family(
        pd.concat([records["no_kk"][delivered], proj["no_kk"]], ignore_index=True),
        np.concatenate([need[delivered], proj_need]),
    )
    progress = _or_by_family(records["no_kk"][approved], need[approved])
    any_intervention = pd.Index(pd.unique(pd.concat([records["no_kk"], proj["no_kk"]])))
    reached = pd.Index(pd.unique(pd.concat([records["no_kk"][delivered], proj["no_kk"]])))
    return _Delivery(met, served, progress, any_intervention, reached)


def _or_by_family(no_kk: pd.Series, bits: np.ndarray) -> pd.Series:
    """Bitwise OR of ``bits`` per No. KK, unbuffered in place (``np.bitwise_or.at``)."""
    codes, keys = pd.factorize(no_kk.to_numpy(object))
    out = np.zeros(len(keys), np.int64)
    np.bitwise_or.at(out, codes, bits.astype(np.int64))
    return pd.Series(out, index=pd.Index(keys, dtype=object))


# --------------------------------------------------------------------------- per family


def family_flags(fam: pd.DataFrame, delivery: _Delivery) -> dict[str, np.ndarray]:
    """The per-family yes/no facts every count is a sum of."""
    kk = fam["no_kk"]
    # Each family's No. KK looked up once, among the families any record names (every mask's
    # families are among them), instead of once per mask.
    named = delivery.any_intervention
    at = named.get_indexer(kk.to_numpy())
    found = at >= 0
    at = np.where(found, at, 0)

    def per_family(series: pd.Series) -> np.ndarray:
        if not len(named):
            return np.zeros(len(kk), np.int64)
        values = series.reindex(named).fillna(0).to_numpy(np.int64)
        return np.where(found, values[at], 0)

    def among(keys: pd.Index) -> np.ndarray:
        if not len(named):
            return np.zeros(len(kk), bool)
        return found & named.isin(keys)[at]

    met = per_family(delivery.met)
    served = per_family(delivery.served) | met
    progress = per_family(delivery.progress)
    fbits = fam["fbits"].to_numpy(np.int64)
    krs = fam["krs"].to_numpy(bool)
    poor = fam["miskin_ekstrem"].to_numpy(bool)
    return {
        "krs": krs,
        "fbits": fbits,
        "met": met,
        "served": served,
        "progress": progress & ~met,
        # fbits != 0 guards against a KRS row without factors (impossible by the rules).
        "konvergen": krs & (fbits != 0) & ((fbits & ~met) == 0),
        "konvergen_dilayani": krs & (fbits != 0) & ((fbits & ~served) == 0),
        "krs_tanpa_intervensi": krs & ~found,
        "miskin_ekstrem_tanpa_bantuan": poor & ~among(delivery.reached),
    }


def area_counts(
    fam: pd.DataFrame, flags: dict[str, np.ndarray], factors: Sequence[str]
) -> pd.DataFrame:
    """Per area sums over the at-risk families of `_at_risk`."""
    krs, fbits, met, progress = flags["krs"], flags["fbits"], flags["met"], flags["progress"]
    served = flags["served"]
    cols: dict[str, np.ndarray] = {
        "krs": krs,
        "miskin_ekstrem": fam["miskin_ekstrem"].to_numpy(bool),
    }
    for code in factors:
        bit = BITS[code]
        need = krs & ((fbits & bit) != 0)
        cols[f"perlu_{code}"] = need
        cols[f"dilayani_{code}"] = need & ((served & bit) != 0)
        cols[f"terpenuhi_{code}"] = need & ((met & bit) != 0)
        cols[f"proses_{code}"] = need & ((progress & bit) != 0)
    for name in (
        "konvergen",
        "konvergen_dilayani",
        "krs_tanpa_intervensi",
        "miskin_ekstrem_tanpa_bantuan",
    ):
        cols[name] = flags[name]
    # Each yes/no column counted per area (areas sorted): one pass over the families' area codes
    # per column, no frame of the families' figures.
    codes, areas = pd.factorize(fam["area"].to_numpy(), sort=True)
    n, known = len(areas), codes >= 0  # a family without an area is in no area's count
    counts = {
        k: np.bincount(codes[known & np.asarray(v, bool)], minlength=n) for k, v in cols.items()
    }
    index = pd.Index(areas, name="area")
    return pd.DataFrame({k: v.astype(np.int64) for k, v in counts.items()}, index=index)


def _fired(fam: pd.DataFrame, run_counts: dict[str, Any] | None) -> list[str]:
    """Factors fired for anyone in the run (the run's stored counts, so a scoped view keeps the
    run's columns), plus any seen among the families read (runs stored without counts)."""
    seen = int(np.bitwise_or.reduce(fam["fbits"].to_numpy(np.int64))) if len(fam) else 0
    counted = {
        k.removeprefix("faktor:")
        for k, v in (run_counts or {}).items()
        if k.startswith("faktor:") and v
    }
    return [code for code in FACTOR_CODES if seen & BITS[code] or code in counted]


# --------------------------------------------------------------------------- public


def coverage(
    engine: Engine,
    run_id: int | None = None,
    level: str = "desa",
    prefixes: list[str] | None = None,
    previous_run_id: int | None = None,
) -> pd.DataFrame:
    """Coverage and convergence per area of one assessment run (definitions: module docstring).

    ``frame.attrs`` carries ``run_id``, ``previous_run_id``, ``level`` and, per area code, the
    previous run's raw counts (``sebelumnya``: plain dicts, so pandas can compare attrs when
    frames are concatenated) so that `totals` can add areas up exactly.
    """
    if level not in LEVELS:
        raise CoverageError("tingkat_tidak_dikenal", level=level)
    n = LEVELS[level]
    with engine.connect() as conn:
        run = _run(conn, run_id)
        prev = (
            stored_run(conn, before=run.id)
            if previous_run_id is None
            else _run(conn, previous_run_id)
        )
        fam = _at_risk(conn, run.id, n, prefixes)
        base = _family_totals(conn, run.id, n, prefixes)
        kids = _children(conn, run, n, prefixes)
        if prev is not None:
            prev_fam = _at_risk(conn, prev.id, n, prefixes, krs_only=True)
            prev_kids = _children(conn, prev, n, prefixes)
        # Only at-risk families' records matter; a scoped view reads only theirs.
        only = None
        if prefixes:
            only = pd.unique(
                pd.concat([fam["no_kk"]] + ([prev_fam["no_kk"]] if prev is not None else []))
            )
        delivery = _delivery(conn, only)

        factors = _fired(fam, run.counts)
        counts = area_counts(fam, family_flags(fam, delivery), factors)
        areas = base.index.union(counts.index).union(kids.index)
        out = (
            base.reindex(areas, fill_value=0)
            .join(counts.reindex(areas, fill_value=0))
            .join(kids.reindex(areas, fill_value=0))
        )

    out.index.name = "kode_wilayah"
    out = out.reset_index()
    w = get_wilayah()
    out.insert(1, "nama_wilayah", _nullable([w.name(str(a)) for a in out["kode_wilayah"]]))
    krs = out["krs"].to_numpy()
    out["konvergensi_pct"] = _nullable(prevalence(out["konvergen"].to_numpy(), krs).pct)
    out["konvergensi_dilayani_pct"] = _nullable(
        prevalence(out["konvergen_dilayani"].to_numpy(), krs).pct
    )
    stunting = prevalence(out["balita_stunting"].to_numpy(), out["balita_diukur"].to_numpy())
    out["prevalensi_stunting_pct"] = _nullable(stunting.pct)
    out["ci95_bawah_pct"] = _nullable(stunting.low_pct)
    out["ci95_atas_pct"] = _nullable(stunting.high_pct)

    earlier = pd.DataFrame(
        index=out["kode_wilayah"], columns=["krs", "konvergen", "balita_diukur", "balita_stunting"]
    )
    if prev is not None:
        prev_counts = area_counts(prev_fam, family_flags(prev_fam, delivery), [])
        earlier = (
            prev_counts[["krs", "konvergen"]]
            .join(prev_kids, how="outer")
            .reindex(out["kode_wilayah"])
            .fillna(0)
            .astype(np.int64)
        )
        p_krs = earlier["krs"].to_numpy()
        out["krs_sebelumnya"] = _nullable(p_krs)
        out["perubahan_krs"] = _nullable(krs - p_krs)
        out["prevalensi_sebelumnya_pct"] = _nullable(
            prevalence(
                earlier["balita_stunting"].to_numpy(), earlier["balita_diukur"].to_numpy()
            ).pct
        )
        out["konvergensi_sebelumnya_pct"] = _nullable(
            prevalence(earlier["konvergen"].to_numpy(), p_krs).pct
        )
    else:
        for col in (
            "krs_sebelumnya",
            "perubahan_krs",
            "prevalensi_sebelumnya_pct",
            "konvergensi_sebelumnya_pct",
        ):
            out[col] = _nullable([None] * len(out))

    factor_cols = [f"{kind}_{code}" for code in factors for kind in FACTOR_KINDS]
    out = out[["kode_wilayah", "nama_wilayah", *COUNT_COLUMNS, *factor_cols, *TAIL_COLUMNS]]
    out.attrs = {
        "run_id": run.id,
        "previous_run_id": prev.id if prev else None,
        "level": level,
        "sebelumnya": None
        if prev is None
        else {
            str(k): {c: int(v) for c, v in row.items()}
            for k, row in earlier.to_dict("index").items()
        },
    }
    return out


def totals(frame: pd.DataFrame, lang: Lang = "id") -> dict[str, Any]:
    """One totals row for ``frame`` (all of it or a slice of its rows), named in ``lang``: counts
    added up, percentages and the Wilson interval recomputed from the added counts."""
    summed = [
        col
        for col in frame.columns
        if col in COUNT_COLUMNS
        or col in SUMMED_COLUMNS
        or col.startswith(tuple(f"{kind}_" for kind in FACTOR_KINDS))
    ]
    out = total_row(
        frame, lang, code_column="kode_wilayah", name_column="nama_wilayah", columns=summed
    )
    krs, measured, stunted = out["krs"], out["balita_diukur"], out["balita_stunting"]
    out["konvergensi_pct"] = percent(out["konvergen"], krs)
    out["konvergensi_dilayani_pct"] = percent(out["konvergen_dilayani"], krs)
    stunting = prevalence(stunted, measured)
    for col, value in zip(
        ("prevalensi_stunting_pct", "ci95_bawah_pct", "ci95_atas_pct"), stunting, strict=True
    ):
        out[col] = float(value) if measured else None
    earlier = frame.attrs.get("sebelumnya")
    if earlier is None:
        out |= {
            "krs_sebelumnya": None,
            "perubahan_krs": None,
            "prevalensi_sebelumnya_pct": None,
            "konvergensi_sebelumnya_pct": None,
        }
    else:
        zero = {"krs": 0, "konvergen": 0, "balita_diukur": 0, "balita_stunting": 0}
        e = pd.DataFrame(
            [earlier.get(k, zero) for k in frame["kode_wilayah"]], columns=list(zero)
        ).sum()
        out["krs_sebelumnya"] = int(e["krs"])
        out["perubahan_krs"] = krs - int(e["krs"])
        out["prevalensi_sebelumnya_pct"] = percent(e["balita_stunting"], e["balita_diukur"])
        out["konvergensi_sebelumnya_pct"] = percent(e["konvergen"], e["krs"])
    return {col: out.get(col) for col in frame.columns}


def missed_by_programmes(
    engine: Engine, run_id: int | None = None, prefixes: list[str] | None = None
) -> pd.DataFrame:
    """KRS families that no programme has reached at all (no intervention, see the module
    docstring), with what they need: one row per family, ordered by village and No. KK."""
    f = assessment_families.c
    with engine.connect() as conn:
        run = _run(conn, run_id)
        query = (
            select(
                f.no_kk,
                f.kode_desa,
                families.c.nama_kepala,
                f.faktor,
                f.sasaran,
                type_coerce(f.miskin_ekstrem, Integer).label("miskin_ekstrem"),
            )
            .select_from(assessment_families.outerjoin(families, families.c.no_kk == f.no_kk))
            .where(f.run_id == run.id, f.krs.is_(True), in_areas(f.kode_desa, prefixes))
        )
        krs = _read(conn, query)
        delivery = _delivery(conn, krs["no_kk"] if prefixes else None)
    out = krs[~krs["no_kk"].isin(delivery.any_intervention)].copy()
    out["miskin_ekstrem"] = out["miskin_ekstrem"].astype(bool)
    return out.sort_values(["kode_desa", "no_kk"], ignore_index=True)[list(MISSED_COLUMNS)]
