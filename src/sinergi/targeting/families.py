"""Family programmes: choose the families a budget reaches best, explain every choice, and save
the chosen ones as proposals (status ``usulan``) for the delivery workflow.

Benefit of a family = 1 + its stunted under-fives (a family with a stunted child comes first, as
docs/domain.md asks), cost = the programme's unit cost. Quotas per kecamatan or per desa come from the
programme; a family already proposed for a programme this one excludes cannot be chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, delete, select

from sinergi.assess.summary import FAMILY_RESULT, run_rows
from sinergi.messages import Lang, t
from sinergi.store.bulk import CHUNK, bulk_insert, insert_records
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_families, proposal_events, proposals
from sinergi.targeting.allocate import Problem, Unit, greedy, reason_text, solve
from sinergi.targeting.programmes import Programme, ProgrammeError


@dataclass
class FamilyPlan:
    table: pd.DataFrame  # every eligible family, chosen first
    reached: float
    reached_greedy: float
    cost: float
    budget: float
    optimal: bool


def family_problem(
    engine: Engine, run_id: int, programme: Programme, budget: float | None = None
) -> tuple[pd.DataFrame, Problem, dict[str, str]]:
    """Eligible families (frame), the allocation problem over them, and the families blocked by
    an excluding programme they already have (no_kk → that programme)."""
    if programme.unit != "keluarga":
        raise ProgrammeError(
            "program_satuan_salah", code=programme.code, unit=programme.unit, wanted="keluarga"
        )
    query = run_rows(assessment_families, run_id, *FAMILY_RESULT, "jumlah_balita")
    with engine.connect() as conn:
        fam = read_frame(conn, query)
        taken = (
            read_frame(
                conn,
                select(proposals.c.no_kk, proposals.c.kode_program).where(
                    proposals.c.kode_program.in_(list(programme.excludes)),
                    proposals.c.periode == programme.period,
                    proposals.c.status != "ditolak",
                ),
            )
            if programme.excludes
            else None
        )
    fam = fam[programme.eligible(fam).to_numpy()].reset_index(drop=True)
    blocked = (
        {}
        if taken is None or taken.empty
        else dict(zip(taken["no_kk"], taken["kode_program"], strict=True))
    )
    assert programme.unit_cost_rp is not None
    group = "kode_desa" if programme.quota_per_desa is not None else "kecamatan"
    fam["kecamatan"] = fam["kode_desa"].str[:8]
    quota = (
        programme.quota_per_desa
        if programme.quota_per_desa is not None
        else programme.quota_per_kecamatan
    )
    units = tuple(
        Unit(
            key=r.no_kk,
            cost=float(programme.unit_cost_rp),
            benefit=float(1 + int(r.jumlah_balita_stunting)),
            group=getattr(r, group) if quota is not None else None,
            eligible=r.no_kk not in blocked,
            reason_ineligible=None if r.no_kk not in blocked else "sudah_program_lain",
        )
        for r in fam.itertuples(index=False)
    )
    quotas = (
        {} if quota is None else {g: quota for g in sorted({u.group for u in units if u.group})}
    )
    problem = Problem(units=units, budget=float(budget or programme.budget_rp), quotas=quotas)
    return fam, problem, blocked


def family_plan(
    engine: Engine,
    run_id: int,
    programme: Programme,
    budget: float | None = None,
    lang: Lang = "id",
) -> FamilyPlan:
    fam, problem, blocked = family_problem(engine, run_id, programme, budget)
    best = solve(problem, time_limit=60.0)
    naive = greedy(problem)
    why = best.explain(problem)
    fam["terpilih"] = fam["no_kk"].isin(set(best.selected)).astype(int)
    fam["biaya"] = programme.unit_cost_rp
    fam["kode_alasan"] = [why[k].code for k in fam["no_kk"]]
    stunted = dict(zip(fam["no_kk"], fam["jumlah_balita_stunting"], strict=True))

    def reason(k: str) -> str:
        if k in blocked:
            return t("alasan_sudah_program_lain", lang, other=blocked[k])
        if why[k].code == "terpilih":
            return t("alasan_keluarga_terpilih", lang, stunted=int(stunted[k]))
        return reason_text(why[k].code, why[k].params, lang)

    fam["alasan"] = [reason(k) for k in fam["no_kk"]]
    cols = [
        "no_kk",
        "kode_desa",
        "sasaran",
        "faktor",
        "krs",
        "miskin_ekstrem",
        "jumlah_balita_stunting",
        "biaya",
        "terpilih",
        "alasan",
        "kode_alasan",
    ]
    table = fam[cols].sort_values(
        ["terpilih", "jumlah_balita_stunting", "no_kk"],
        ascending=[False, False, True],
        ignore_index=True,
    )
    return FamilyPlan(table, best.benefit, naive.benefit, best.cost, problem.budget, best.optimal)


def save_proposals(
    engine: Engine, programme: Programme, run_id: int, plan: FamilyPlan, oleh: str = "alokasi"
) -> int:
    """Make the chosen families this programme's open proposals (status ``usulan``) for the
    period; returns the number of chosen families.

    Proposals already past ``usulan`` (verified, approved, delivered, rejected) are the delivery
    workflow's and stay as they are. Open proposals the new plan no longer chooses are
    withdrawn; families chosen again keep their proposal and its history."""
    chosen = plan.table[plan.table["terpilih"] == 1]
    now = datetime.now(UTC)
    c = proposals.c
    with engine.begin() as conn:
        existing = read_frame(
            conn,
            select(c.id, c.no_kk, c.status).where(
                c.kode_program == programme.code, c.periode == programme.period
            ),
        )
        keep = set(chosen["no_kk"])
        stale = existing[(existing["status"] == "usulan") & ~existing["no_kk"].isin(keep)]
        ids = [int(x) for x in stale["id"]]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            conn.execute(delete(proposal_events).where(proposal_events.c.proposal_id.in_(chunk)))
            conn.execute(delete(proposals).where(c.id.in_(chunk)))
        fresh = chosen[~chosen["no_kk"].isin(set(existing["no_kk"]))]
        insert_records(
            conn,
            proposals,
            [
                {
                    "kode_program": programme.code,
                    "periode": programme.period,
                    "no_kk": r.no_kk,
                    "kode_desa": r.kode_desa,
                    "run_id": run_id,
                    "status": "usulan",
                    "biaya": int(r.biaya),
                    "faktor": r.faktor,
                    "alasan": r.alasan,
                    "created_at": now,
                    "versi": 1,
                    "updated_at": now,
                    "updated_by": oleh,
                    "asal": "alokasi",
                }
                for r in fresh.itertuples(index=False)
            ],
        )
        # The ids the new proposals were given: looked up by their families, a chunk at a time.
        added = fresh["no_kk"].tolist()
        new_ids = [
            i
            for start in range(0, len(added), CHUNK)
            for i in conn.execute(
                select(c.id).where(
                    c.kode_program == programme.code,
                    c.periode == programme.period,
                    c.no_kk.in_(added[start : start + CHUNK]),
                )
            ).scalars()
        ]
        bulk_insert(
            conn,
            proposal_events,
            ("proposal_id", "dari", "ke", "oleh", "waktu", "sumber"),
            [(int(i), None, "usulan", oleh, now, "alokasi") for i in new_ids],
        )
    return len(chosen)
