"""Family programmes: choose the families a budget reaches best, explain every choice, and save
the chosen ones as proposals (status ``usulan``) for the delivery workflow.

Benefit of a family = 1 + its stunted under-fives (a family with a stunted child comes first, as
docs/domain.md asks), cost = the programme's unit cost. Quotas per kecamatan or per desa come from the
programme; a family already proposed for a programme this one excludes cannot be chosen.

An allocation adds to what the programme's period already holds, never replaces it
(`sinergi.core.statuses`): verified, approved and delivered proposals count against the budget and
their quotas, open proposals are kept and reserve their money, and no family with a proposal of the
period — open, in progress, delivered or rejected — is chosen again. Only the remainder is spent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from sinergi.assess.summary import FAMILY_RESULT, run_rows
from sinergi.core.display import num, rp
from sinergi.core.statuses import COMMITTED, OPEN, REJECTED
from sinergi.messages import Lang, t
from sinergi.store.bulk import CHUNK, bulk_insert, insert_records
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_families, proposal_events, proposals
from sinergi.targeting.allocate import (
    CODE_EXCLUDED,
    CODE_OUTRANKED,
    CODE_QUOTA_FULL,
    CODE_SELECTED,
    Problem,
    Unit,
    greedy,
    reason_text,
    solve,
)
from sinergi.targeting.programmes import Programme, ProgrammeError

# Why an eligible family cannot be chosen by this allocation (the plan's `kode_alasan`), by the
# status of the proposal it already has in the programme's period.
SKIP_DELIVERED = "sudah_tersalurkan"
SKIP_IN_PROGRESS = "sedang_diproses"
SKIP_OPEN = "usulan_terbuka"
SKIP_REJECTED = "sudah_ditolak"
SKIP_OTHER_PROGRAMME = "sudah_program_lain"
SKIP_BY_STATUS = {
    "tersalurkan": SKIP_DELIVERED,
    "terverifikasi": SKIP_IN_PROGRESS,
    "disetujui": SKIP_IN_PROGRESS,
    "usulan": SKIP_OPEN,
    REJECTED: SKIP_REJECTED,
}
# The short label of every reason an eligible family is passed over, for the allocation's account.
_SKIP_LABELS = {
    SKIP_DELIVERED: "lewati_sudah_tersalurkan",
    SKIP_IN_PROGRESS: "lewati_sedang_diproses",
    SKIP_OPEN: "lewati_usulan_terbuka",
    SKIP_REJECTED: "lewati_sudah_ditolak",
    SKIP_OTHER_PROGRAMME: "lewati_sudah_program_lain",
    CODE_QUOTA_FULL: "lewati_kuota_penuh",
    CODE_OUTRANKED: "lewati_kalah_prioritas",
    CODE_EXCLUDED: "lewati_dikecualikan",
}


@dataclass(frozen=True)
class Held:
    """What a programme's period holds before an allocation: committed proposals (verified,
    approved, delivered) and open ones with their rupiah, and the rejected families."""

    committed: int = 0
    committed_rp: int = 0
    open: int = 0
    open_rp: int = 0
    rejected: int = 0
    # no_kk -> the status of the family's proposal in the period
    status: dict[str, str] = field(default_factory=dict)
    # quota group (kode_desa or kecamatan) -> families held there that use its quota
    per_group: dict[str, int] = field(default_factory=dict)

    @property
    def reserved_rp(self) -> int:
        """Rupiah of the budget already spoken for: committed plus open proposals."""
        return self.committed_rp + self.open_rp

    @classmethod
    def of(cls, frame: pd.DataFrame, per_desa: bool = False) -> Held:
        """From the period's proposals (``no_kk``, ``kode_desa``, ``status``, ``biaya``)."""
        committed = frame["status"].isin(COMMITTED)
        opened = frame["status"].isin(OPEN)
        using = frame[committed | opened]
        groups = using["kode_desa"] if per_desa else using["kode_desa"].str[:8]
        return cls(
            committed=int(committed.sum()),
            committed_rp=int(frame.loc[committed, "biaya"].sum()),
            open=int(opened.sum()),
            open_rp=int(frame.loc[opened, "biaya"].sum()),
            rejected=int((frame["status"] == REJECTED).sum()),
            status=dict(zip(frame["no_kk"], frame["status"], strict=True)),
            per_group={str(g): int(n) for g, n in groups.value_counts().items()},
        )


def _period_proposals(conn: Connection, programme: Programme) -> pd.DataFrame:
    c = proposals.c
    return read_frame(
        conn,
        select(c.id, c.no_kk, c.kode_desa, c.status, c.biaya).where(
            c.kode_program == programme.code, c.periode == programme.period
        ),
    )


@dataclass
class FamilyProblem:
    frame: pd.DataFrame  # the eligible families
    problem: Problem  # over them, with the budget and quotas the period has left
    skipped: dict[str, str]  # no_kk -> SKIP_* code: a family that cannot be chosen
    other: dict[str, str]  # no_kk -> the excluding programme the family already has
    held: Held
    budget: float  # the whole budget, before what the period holds


@dataclass
class FamilyPlan:
    table: pd.DataFrame  # every eligible family, chosen first
    reached: float
    reached_greedy: float
    cost: float  # of the families this plan adds
    budget: float  # the whole budget
    optimal: bool
    held: Held  # what the period held when the plan was made
    remaining: float  # the budget left for new proposals: budget - held.reserved_rp, at least 0

    def skipped(self) -> dict[str, int]:
        """Eligible families not chosen, by `kode_alasan` (a SKIP_* code or the allocation's)."""
        out = self.table.loc[self.table["terpilih"] == 0, "kode_alasan"].value_counts()
        return {str(k): int(n) for k, n in sorted(out.items())}


def family_problem(
    engine: Engine,
    run_id: int,
    programme: Programme,
    budget: float | None = None,
    held: bool = True,
) -> FamilyProblem:
    """Eligible families, the allocation problem over them and why the families that cannot be
    chosen are out. With ``held`` (an allocation) the period's proposals are counted: the problem
    gets the budget and quotas they leave, and their families are out; without it (a budget
    scenario) the whole budget goes to the eligible families as if the period were empty."""
    if programme.unit != "keluarga":
        raise ProgrammeError(
            "program_satuan_salah", code=programme.code, unit=programme.unit, wanted="keluarga"
        )
    query = run_rows(assessment_families, run_id, *FAMILY_RESULT, "jumlah_balita", "temuan")
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
        period = _period_proposals(conn, programme) if held else None
    fam = fam[programme.eligible(fam).to_numpy()].reset_index(drop=True)
    other = (
        {}
        if taken is None or taken.empty
        else dict(zip(taken["no_kk"], taken["kode_program"], strict=True))
    )
    per_desa = programme.quota_per_desa is not None
    before = Held() if period is None else Held.of(period, per_desa)
    # The family's own proposal of this period says more than another programme's.
    skipped = {k: SKIP_OTHER_PROGRAMME for k in other} | {
        k: SKIP_BY_STATUS[s] for k, s in before.status.items() if s in SKIP_BY_STATUS
    }
    assert programme.unit_cost_rp is not None
    group = "kode_desa" if per_desa else "kecamatan"
    fam["kecamatan"] = fam["kode_desa"].str[:8]
    quota = programme.quota_per_desa if per_desa else programme.quota_per_kecamatan
    units = tuple(
        Unit(
            key=r.no_kk,
            cost=float(programme.unit_cost_rp),
            benefit=float(1 + int(r.jumlah_balita_stunting)),
            group=getattr(r, group) if quota is not None else None,
            eligible=r.no_kk not in skipped,
            reason_ineligible=skipped.get(r.no_kk),
        )
        for r in fam.itertuples(index=False)
    )
    quotas = (
        {}
        if quota is None
        else {
            g: max(0, quota - before.per_group.get(g, 0))
            for g in sorted({u.group for u in units if u.group})
        }
    )
    whole = float(programme.budget_rp if budget is None else budget)
    problem = Problem(units=units, budget=max(0.0, whole - before.reserved_rp), quotas=quotas)
    return FamilyProblem(fam, problem, skipped, other, before, whole)


def family_plan(
    engine: Engine,
    run_id: int,
    programme: Programme,
    budget: float | None = None,
    lang: Lang = "id",
) -> FamilyPlan:
    fp = family_problem(engine, run_id, programme, budget)
    fam, problem = fp.frame, fp.problem
    best = solve(problem, time_limit=60.0)
    naive = greedy(problem)
    why = best.explain(problem)
    fam["terpilih"] = fam["no_kk"].isin(set(best.selected)).astype(int)
    fam["biaya"] = programme.unit_cost_rp
    fam["kode_alasan"] = [fp.skipped.get(k, why[k].code) for k in fam["no_kk"]]
    stunted = dict(zip(fam["no_kk"], fam["jumlah_balita_stunting"], strict=True))

    def reason(k: str) -> str:
        if k in fp.skipped:
            return skip_text(fp.skipped[k], lang, programme.period, fp.other.get(k, ""))
        if why[k].code == CODE_SELECTED:
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
    return FamilyPlan(
        table,
        best.benefit,
        naive.benefit,
        best.cost,
        fp.budget,
        best.optimal,
        fp.held,
        problem.budget,
    )


def skip_text(code: str, lang: Lang, period: str, other: str = "") -> str:
    """The sentence for a SKIP_* code: why this allocation cannot choose the family."""
    if code == SKIP_OTHER_PROGRAMME:
        return t("alasan_sudah_program_lain", lang, other=other)
    if code == SKIP_DELIVERED:
        return t("alasan_sudah_tersalurkan", lang, period=period)
    if code == SKIP_IN_PROGRESS:
        return t("alasan_sedang_diproses", lang, period=period)
    if code == SKIP_OPEN:
        return t("alasan_usulan_terbuka", lang, period=period)
    return t("alasan_sudah_ditolak", lang, period=period)


@dataclass(frozen=True)
class Saved:
    """What an allocation did to its programme's period, established in the transaction that
    saved it: the new proposals, and what the period held before."""

    created: pd.DataFrame  # the plan's rows of the families that received a new proposal
    created_rp: int
    before: Held  # committed proposals counted, open ones kept, rejected families left out
    budget: float
    # Chosen by the plan but not saved: by the time of saving the family had a proposal of the
    # period, or its money or its quota had been taken (another officer saved in between).
    overtaken: int

    @property
    def remaining_rp(self) -> float:
        return self.budget - self.before.reserved_rp - self.created_rp

    def summary(self, lang: Lang, skipped: dict[str, int]) -> list[list[Any]]:
        """The allocation's account as rows (what, families, rupiah): what the period held, what
        was created, what is left, and each reason families were passed over."""
        b = self.before
        rows: list[list[Any]] = [
            [t("alokasi_berkomitmen", lang), num(b.committed, lang), rp(b.committed_rp, lang)],
            [t("alokasi_terbuka_tetap", lang), num(b.open, lang), rp(b.open_rp, lang)],
            [t("alokasi_baru", lang), num(len(self.created), lang), rp(self.created_rp, lang)],
            [t("alokasi_anggaran", lang), "", rp(self.budget, lang)],
            [t("alokasi_sisa", lang), "", rp(max(0.0, self.remaining_rp), lang)],
        ]
        if b.rejected:
            rows.append([t("alokasi_ditolak_periode", lang), num(b.rejected, lang), ""])
        for code, n in skipped.items():
            label = t(_SKIP_LABELS.get(code, "lewati_lainnya"), lang)
            rows.append([t("alokasi_dilewati", lang, reason=label), num(n, lang), ""])
        if self.overtaken:
            rows.append([t("alokasi_didahului", lang), num(self.overtaken, lang), ""])
        return rows

    def about(self, lang: Lang) -> dict[str, object]:
        """The same account for a file's 'about' sheet (message code -> text)."""
        b = self.before

        def both(n: int, rupiah: float) -> str:
            return f"{num(n, lang)} · {rp(rupiah, lang)}"

        return {
            "about_alokasi_berkomitmen": both(b.committed, b.committed_rp),
            "about_alokasi_terbuka_tetap": both(b.open, b.open_rp),
            "about_alokasi_baru": both(len(self.created), self.created_rp),
            "about_alokasi_sisa": rp(max(0.0, self.remaining_rp), lang),
        }


def save_proposals(
    engine: Engine,
    programme: Programme,
    run_id: int,
    plan: FamilyPlan,
    oleh: str = "alokasi",
    on_saved: Callable[[Saved], None] | None = None,
) -> Saved:
    """Add the plan's chosen families to the programme's period as open proposals (status
    ``usulan``) and tell what was done.

    Nothing the period holds is changed or withdrawn: proposals in the workflow (open,
    verified, approved, delivered, rejected) stay as they are, and a family that has one is not
    proposed again. The period is read again inside the saving transaction, so a plan made
    before another officer's allocation can neither double a family nor overspend the budget or
    a quota: chosen families that no longer fit are counted as ``overtaken``. ``on_saved`` runs
    inside the transaction (the CLI writes its file there): if it fails nothing is saved."""
    chosen = plan.table[plan.table["terpilih"] == 1]
    now = datetime.now(UTC)
    c = proposals.c
    per_desa = programme.quota_per_desa is not None
    quota = programme.quota_per_desa if per_desa else programme.quota_per_kecamatan
    with engine.begin() as conn:
        existing = _period_proposals(conn, programme)
        before = Held.of(existing, per_desa)
        room = plan.budget - before.reserved_rp
        used = dict(before.per_group)
        taken = set(existing["no_kk"])
        picked: list[int] = []
        for pos, r in enumerate(chosen.itertuples(index=False)):
            g = r.kode_desa if per_desa else r.kode_desa[:8]
            if r.no_kk in taken or r.biaya > room:
                continue
            if quota is not None and used.get(g, 0) >= quota:
                continue
            picked.append(pos)
            room -= r.biaya
            used[g] = used.get(g, 0) + 1
        fresh = chosen.iloc[picked]
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
        saved = Saved(
            created=fresh.reset_index(drop=True),
            created_rp=int(fresh["biaya"].sum()),
            before=before,
            budget=plan.budget,
            overtaken=len(chosen) - len(fresh),
        )
        if on_saved is not None:
            on_saved(saved)
    return saved
