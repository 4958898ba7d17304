"""Village selection at national scale: one budget, ~84,000 villages, 38 provinces.

One 0/1 knapsack over every village of the country is too large for HiGHS in useful time
(docs library notes: ~150 s, and no proved solution within 60 s at a 1e-3 gap), while one
province's villages (a few hundred to ~8,500) solve in about a second. `select_national` keeps the
regency's exact solver (`sinergi.targeting.allocate.solve`) and cuts the national problem into
provinces in a way that loses almost nothing:

1. **National screening by benefit per rupiah.** With a single budget row the LP relaxation of
   the knapsack is the fractional knapsack: take units by decreasing benefit/cost
   (`allocate.greedy_ratio`'s order) until the money runs out, the last unit in part. Its value is
   the national **LP bound** every selection is measured against; the benefit/cost ratio at the
   cut, λ, is the budget row's dual price — what one rupiah buys at the margin, nationally.
2. **Province budgets from the LP solution.** Province p gets B_p = what that LP solution spends
   in p. This is the split that loses nothing at LP level: the national LP solution restricted to
   p is optimal for p's own LP with budget B_p (same dual λ, complementary slackness), so the
   provinces' LP bounds add up exactly to the national bound. Budget shares from the greedy
   screening would instead leave the province holding the cut with less than its LP share, and
   shares by population or by need ignore cost altogether. What the split still loses is
   integrality, at most about one unit's benefit per province, which step 3 closes exactly.
3. **Exact refinement per province.** Each province is solved with `allocate.solve` (HiGHS, the
   same model, tie-breaks and determinism as a regency's plan) on budget B_p, within a time limit
   per province. Beforehand, reduced-cost fixing shrinks the province to its real candidates: with
   UB_p = λ·B_p + Σ max(0, b − λc) (the province's LP bound) and LB_p the benefit of the
   province's greedy-ratio selection, a unit whose reduced cost b − λc exceeds UB_p − LB_p is in
   every selection at least as good as greedy's (without it the bound falls below LB_p), and one
   whose λc − b exceeds it is in none. Only the units in between go to HiGHS, so the province's
   optimum is the one a direct `solve` of the whole province would find. With group quotas the
   LP bound ignores the quotas: still a valid bound, so units are only fixed out.
4. **Leftover.** An integer selection rarely spends its province's share to the rupiah; what the
   provinces leave is pooled and spent nationally on the units not yet chosen, best benefit per
   rupiah first, while they fit (`allocate.greedy_ratio`).
5. **National polish.** Steps 2-4 give a selection within a hair of the LP bound, and that
   closeness is what makes the whole country tractable after all: the same reduced-cost fixing,
   now national (λ, the national bound, the selection of step 4 as LB), leaves only the units
   whose reduced cost is within the remaining gap — typically a few hundred of 84,000 — and
   `allocate.solve` over them, the rest fixed, is an exact national solve. Its result is taken
   when it reaches more; when it is proved optimal, so is the national selection
   (``report.optimal``). If more than ``max_national_candidates`` remain (a loose gap, quotas
   that forbid fixing in), the step is skipped and the report says so (``national_candidates``
   is None).
6. **Never worse than the screening.** If the national greedy-ratio selection reaches more
   (it has not happened on realistic data), it is returned instead and the report says so.

The report gives the objective, the LP bound and the gap (bound − objective) / bound, the
greedy-ratio selection beside it, and per province its budget, LP bound, candidates and the
solver's status. Same input, same selection: units are taken in key order, provinces in code
order, and HiGHS runs single-threaded with a fixed seed (`allocate.solve`).

Measured (benchmarks/national_selection_bench.py, 83,762 villages of 38 provinces, Rp 3 and
10 trillion): proved national optimum in 16 s and 10 s (136 and 109 national candidates), while
one `allocate.solve` of every village with a 60 s limit ran 150-175 s and returned only its
greedy-ratio warm start.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sinergi.messages import Lang
from sinergi.targeting.allocate import (
    Allocation,
    Problem,
    Unit,
    _candidates,
    greedy_ratio,
    is_feasible,
    reason_text,
    solve,
)

METHOD_PROVINCES = "provinsi_highs"
METHOD_NATIONAL = "nasional_highs"
METHOD_SCREENING = "greedy_ratio"

# How a chosen unit got in (the ``tahap`` column).
STAGE_FIXED = "tetap"  # its reduced cost proved it belongs in every good selection
STAGE_HIGHS = "highs"  # the province's exact solve chose it
STAGE_LEFTOVER = "sisa"  # bought with the money the provinces left
STAGE_NATIONAL = "nasional"  # the national polish chose it
STAGE_SCREENING = "greedy"  # the national greedy-ratio selection was better and was returned

PROVINCE_COLUMNS = (
    "provinsi",
    "anggaran",
    "batas_lp",
    "unit",
    "kandidat",
    "tetap_masuk",
    "tetap_keluar",
    "manfaat_highs",
    "biaya_highs",
    "optimal",
    "mip_gap",
    "detik",
)


@dataclass(frozen=True)
class NationalReport:
    """What a national selection reached, and how far it can be from the best possible."""

    budget: float
    benefit: float
    cost: float
    lp_bound: float
    # (lp_bound − benefit) / lp_bound; 0 when the bound is 0 (nothing worth funding).
    gap: float
    greedy_benefit: float
    greedy_cost: float
    method: str
    # Budget row's dual price: benefit per rupiah at the national LP's cut (0 if all fits).
    dual_price: float
    # Proved optimal for the whole country (within the solver's gap) by the national polish.
    optimal: bool
    units: int
    # Units HiGHS saw over all provinces, and in the national polish (None: skipped).
    candidates: int
    national_candidates: int | None
    leftover_units: int
    seconds: float
    provinces: pd.DataFrame = field(repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the figures, and one record per province."""
        out = {k: v for k, v in self.__dict__.items() if k != "provinces"}
        out["provinces"] = self.provinces.to_dict("records")
        return out


def _units(frame: pd.DataFrame, key: str) -> tuple[Unit, ...]:
    eligible = frame["eligible"] if "eligible" in frame else pd.Series(True, index=frame.index)
    reason = (
        frame["reason_ineligible"] if "reason_ineligible" in frame else pd.Series(None, frame.index)
    )
    group = frame["group"] if "group" in frame else pd.Series(None, index=frame.index)
    return tuple(
        Unit(
            key=str(k),
            cost=float(c),
            benefit=float(b),
            group=None if g is None or pd.isna(g) else str(g),
            eligible=bool(e),
            reason_ineligible=None if bool(e) or r is None or pd.isna(r) else str(r),
        )
        for k, c, b, g, e, r in zip(
            frame[key], frame["cost"], frame["benefit"], group, eligible, reason, strict=True
        )
    )


def _lp_split(
    cands: list[Unit], province: dict[str, str], budget: float
) -> tuple[float, float, dict[str, float]]:
    """The fractional knapsack over `cands`: (bound, dual price λ, spend per province)."""
    ranked = sorted(cands, key=lambda u: (-u.benefit / u.cost, -u.benefit, u.key))
    spend: dict[str, float] = {}
    bound, left, dual = 0.0, budget, 0.0
    for u in ranked:
        p = province[u.key]
        if u.cost <= left:
            bound += u.benefit
            left -= u.cost
            spend[p] = spend.get(p, 0.0) + u.cost
            continue
        share = left / u.cost
        bound += share * u.benefit
        spend[p] = spend.get(p, 0.0) + left
        dual = u.benefit / u.cost
        break
    # The running subtraction may leave the shares a hair above the budget; never hand out
    # more than there is.
    while spend and math.fsum(spend.values()) > budget:
        p = max(spend, key=lambda q: (spend[q], q))
        spend[p] = max(0.0, math.nextafter(spend[p] - (math.fsum(spend.values()) - budget), 0.0))
    return bound, dual, spend


@dataclass(frozen=True)
class _Fixing:
    """Reduced-cost fixing of a knapsack's candidates at dual price λ (module docstring, step 3)."""

    upper: float
    budget: float
    fixed_in: tuple[Unit, ...]
    fixed_out: frozenset[str]
    free: tuple[Unit, ...]

    def problem(self, quotas: dict[str, int]) -> Problem:
        """The free units on what the fixed-in ones leave of the budget."""
        rest = max(0.0, self.budget - math.fsum(u.cost for u in self.fixed_in))
        return Problem(self.free, rest, quotas)


def _fix(cands: list[Unit], dual: float, budget: float, lower: float, quotas: bool) -> _Fixing:
    """Fix what the LP bound decides, given a selection worth `lower`: a unit whose reduced cost
    b − λc exceeds bound − lower is in every selection at least that good, one whose λc − b
    exceeds it in none. With quotas the bound ignores them, so units are only fixed out."""
    upper = dual * budget + math.fsum(max(0.0, u.benefit - dual * u.cost) for u in cands)
    slack = max(0.0, upper - lower) + 1e-9 * max(1.0, upper)
    fixed_in = () if quotas else tuple(u for u in cands if u.benefit - dual * u.cost > slack)
    fixed_out = frozenset(u.key for u in cands if dual * u.cost - u.benefit > slack)
    taken = {u.key for u in fixed_in}
    free = tuple(u for u in cands if u.key not in taken and u.key not in fixed_out)
    return _Fixing(upper, budget, fixed_in, fixed_out, free)


@dataclass(frozen=True)
class _Province:
    selected: frozenset[str]
    fixed_in: frozenset[str]
    row: dict[str, Any]


def _refine(
    units: list[Unit],
    budget: float,
    dual: float,
    quotas: dict[str, int],
    time_limit: float,
    gap: float,
) -> _Province:
    """Step 3 of the module docstring for one province's units and budget."""
    started = time.perf_counter()
    problem = Problem(tuple(units), budget, quotas)
    cands = _candidates(problem)
    fix = _fix(cands, dual, budget, greedy_ratio(problem).benefit, bool(quotas))
    alloc = solve(fix.problem(quotas), time_limit=time_limit, gap=gap)
    taken = {u.key for u in fix.fixed_in}
    upper, fixed_out, free = fix.upper, fix.fixed_out, fix.free
    selected = taken | set(alloc.selected)
    by_key = {u.key: u for u in cands}
    return _Province(
        frozenset(selected),
        frozenset(taken),
        {
            "anggaran": budget,
            "batas_lp": upper,
            "unit": len(units),
            "kandidat": len(free),
            "tetap_masuk": len(taken),
            "tetap_keluar": len(fixed_out),
            "manfaat_highs": math.fsum(by_key[k].benefit for k in sorted(selected)),
            "biaya_highs": math.fsum(by_key[k].cost for k in sorted(selected)),
            "optimal": alloc.optimal,
            "mip_gap": alloc.mip_gap,
            "detik": time.perf_counter() - started,
        },
    )


def _leftover(problem: Problem, chosen: set[str], quotas: dict[str, int]) -> set[str]:
    """Step 4: spend what is left on unchosen units, best benefit per rupiah first."""
    by_key = {u.key: u for u in problem.units}
    left = problem.budget - math.fsum(by_key[k].cost for k in sorted(chosen))
    used = Counter(by_key[k].group for k in chosen if by_key[k].group is not None)
    rest = Problem(
        tuple(u for u in problem.units if u.key not in chosen),
        max(0.0, left),
        {g: max(0, q - used[g]) for g, q in quotas.items()},
    )
    return set(greedy_ratio(rest).selected)


def select_national(
    units: pd.DataFrame,
    budget: float,
    *,
    key: str = "kode_desa",
    quotas: dict[str, int] | None = None,
    time_limit_per_province: float = 30.0,
    time_limit_national: float = 60.0,
    max_national_candidates: int = 5_000,
    gap: float = 0.0,
    lang: Lang = "id",
) -> tuple[pd.DataFrame, NationalReport]:
    """Choose units across the country within one budget (see the module docstring for how).

    `units` has one row per unit: `key` (e.g. ``kode_desa``), ``provinsi``, ``benefit`` (≥ 0)
    and ``cost`` (> 0); optionally ``eligible`` and ``reason_ineligible`` (an ineligible unit is
    never chosen; its reason is a catalogue code) and ``group`` with `quotas` (at most that many
    chosen units per group; a group must lie in one province, as a kecamatan does). Other columns
    are carried through.

    Returns the units sorted by key with ``terpilih`` (chosen), ``tahap`` (how it got in:
    ``tetap``, ``highs``, ``sisa``, ``nasional`` or ``greedy``; None when not chosen), ``kode_alasan`` and
    ``alasan`` (`allocate.Allocation.explain` against the national budget, in `lang`), and the
    `NationalReport`.
    """
    started = time.perf_counter()
    quotas = dict(quotas or {})
    frame = units.sort_values(key, kind="stable").reset_index(drop=True)
    province = dict(zip(frame[key].astype(str), frame["provinsi"].astype(str), strict=True))
    if "group" in frame and quotas:
        spans = frame.dropna(subset=["group"]).groupby("group")["provinsi"].nunique()
        split = sorted(str(g) for g in spans[spans > 1].index if g in quotas)
        if split:
            raise ValueError(f"quota group(s) {split} span more than one province")
    national = Problem(_units(frame, key), float(budget), quotas)
    cands = _candidates(national)
    bound, dual, spend = _lp_split(cands, province, national.budget)

    per_province: dict[str, list[Unit]] = {}
    for u in national.units:
        per_province.setdefault(province[u.key], []).append(u)
    chosen: set[str] = set()
    fixed: set[str] = set()
    rows = []
    for p in sorted(per_province):
        members = per_province[p]
        groups = {u.group for u in members}
        result = _refine(
            members,
            spend.get(p, 0.0),
            dual,
            {g: q for g, q in quotas.items() if g in groups},
            time_limit_per_province,
            gap,
        )
        chosen |= result.selected
        fixed |= result.fixed_in
        rows.append({"provinsi": p, **result.row})
    extra = _leftover(national, chosen, quotas)
    selected = chosen | extra
    by_key = {u.key: u for u in national.units}
    benefit = math.fsum(by_key[k].benefit for k in sorted(selected))
    method, optimal = METHOD_PROVINCES, False

    polish = _fix(cands, dual, national.budget, benefit, bool(quotas))
    polished: set[str] = set()
    if len(polish.free) <= max_national_candidates:
        best = solve(polish.problem(quotas), time_limit=time_limit_national, gap=gap)
        polished = set(best.selected)
        whole = polished | {u.key for u in polish.fixed_in}
        reached = math.fsum(by_key[k].benefit for k in sorted(whole))
        optimal = best.optimal
        if reached > benefit:
            selected, benefit, method = whole, reached, METHOD_NATIONAL

    screening = greedy_ratio(national)
    if screening.benefit > benefit:
        selected, method, optimal = set(screening.selected), METHOD_SCREENING, False
        benefit = screening.benefit
    if not is_feasible(national, selected):
        raise RuntimeError("national selection breaks the budget or a quota")
    cost = math.fsum(by_key[k].cost for k in sorted(selected))
    alloc = Allocation(
        selected=tuple(sorted(selected)),
        benefit=benefit,
        cost=cost,
        method=method,
        optimal=optimal,
        seconds=time.perf_counter() - started,
    )
    why = alloc.explain(national)

    def stage(k: str) -> str | None:
        if k not in selected:
            return None
        if method == METHOD_SCREENING:
            return STAGE_SCREENING
        if method == METHOD_NATIONAL:
            return STAGE_NATIONAL if k in polished else STAGE_FIXED
        if k in fixed:
            return STAGE_FIXED
        return STAGE_LEFTOVER if k in extra else STAGE_HIGHS

    keys = frame[key].astype(str)
    table = frame.assign(
        terpilih=keys.isin(selected).to_numpy(),
        tahap=[stage(k) for k in keys],
        kode_alasan=[why[k].code for k in keys],
        alasan=[reason_text(why[k].code, why[k].params, lang) for k in keys],
    )
    report = NationalReport(
        budget=national.budget,
        benefit=benefit,
        cost=cost,
        lp_bound=bound,
        gap=(bound - benefit) / bound if bound > 0 else 0.0,
        greedy_benefit=screening.benefit,
        greedy_cost=screening.cost,
        method=method,
        dual_price=dual,
        units=len(national.units),
        optimal=optimal,
        candidates=int(sum(r["kandidat"] for r in rows)),
        national_candidates=len(polish.free)
        if len(polish.free) <= max_national_candidates
        else None,
        leftover_units=len(extra) if method == METHOD_PROVINCES else 0,
        seconds=time.perf_counter() - started,
        provinces=pd.DataFrame(rows, columns=list(PROVINCE_COLUMNS)),
    )
    return table, report
