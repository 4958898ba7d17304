"""Budget allocation: which units (villages or families) a programme should fund.

A pure decision module — no database. Callers build a `Problem` from whatever store they use,
call `solve` (exact 0/1 MIP via HiGHS), `greedy` (the officers' "take the top of the ranking until
the money runs out") or `greedy_ratio` (benefit per rupiah, used for national screening);
`Allocation.explain` gives each unit a code and its figures, and `reason_text` the catalogue's
sentence for them in the reader's language.

Determinism (the same input must always give the same selection, whatever order the units come
in) is obtained in three layers:

1. Canonical order: units are sorted by key before anything is built, so the MIP model and the
   greedy rankings are byte-identical for any permutation of the input.
2. HiGHS itself runs single-threaded with a fixed random seed, so the same model gives the same
   branch-and-bound path.
3. Tie-break: each unit's objective coefficient gets a bonus ε_i ≥ 0 that decreases with the
   unit's key rank, steering HiGHS towards earlier keys among otherwise-equal selections. The
   bonuses sum to at most `_tie_budget(...)`: 0.5 when all benefits are whole numbers (family
   counts), below the smallest possible difference (1) between two selections' true benefit, so
   the true optimum is never changed; for fractional (weighted) benefits 1e-9 × the total
   benefit, i.e. only selections closer than that are treated as ties. HiGHS stops once the
   true-benefit optimum is proved (`_abs_gap`), so the bonus is a preference, not a guarantee of
   the lexicographically first optimum; reproducibility rests on layers 1 and 2. The greedy
   rules break ties by key explicitly.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

from sinergi.core.display import dec, num, rp
from sinergi.messages import Lang, t

METHOD_HIGHS = "highs"
METHOD_GREEDY = "greedy"
METHOD_GREEDY_RATIO = "greedy_ratio"
# Exact, without a solver: equal unit costs and no exclusions make the problem a matroid.
METHOD_MATROID = "matroid"

CODE_SELECTED = "terpilih"
CODE_INELIGIBLE = "tidak_memenuhi_syarat"
CODE_QUOTA_FULL = "kuota_penuh"
CODE_EXCLUDED = "dikecualikan"
CODE_OUTRANKED = "kalah_prioritas"
CODES = frozenset({CODE_SELECTED, CODE_INELIGIBLE, CODE_QUOTA_FULL, CODE_EXCLUDED, CODE_OUTRANKED})

# Scaled budget row tolerance: costs are divided by the budget, so 1e-9 means at most a
# billionth of the budget of overshoot before the exact Python check below repairs it.
_FEAS_TOL = 1e-9
# Re-solves allowed to cut off tolerance-induced budget overshoots before falling back to
# dropping units (see solve); in practice one or two are needed, if any.
_MAX_NOGOOD_CUTS = 25


@dataclass(frozen=True)
class Unit:
    key: str
    cost: float
    benefit: float
    group: str | None = None
    eligible: bool = True
    reason_ineligible: str | None = None


@dataclass(frozen=True)
class Problem:
    units: tuple[Unit, ...]
    budget: float
    quotas: dict[str, int] = field(default_factory=dict)
    exclusions: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not math.isfinite(self.budget) or self.budget < 0:
            raise ValueError(f"budget must be a finite number >= 0, got {self.budget!r}")
        seen: set[str] = set()
        for u in self.units:
            if u.key in seen:
                raise ValueError(f"duplicate unit key {u.key!r}")
            seen.add(u.key)
            if not (math.isfinite(u.cost) and u.cost > 0):
                raise ValueError(f"unit {u.key!r}: cost must be > 0, got {u.cost!r}")
            if not (math.isfinite(u.benefit) and u.benefit >= 0):
                raise ValueError(f"unit {u.key!r}: benefit must be >= 0, got {u.benefit!r}")
        for g, q in self.quotas.items():
            if q < 0:
                raise ValueError(f"quota for group {g!r} must be >= 0, got {q!r}")
        for a, b in self.exclusions:
            if a not in seen or b not in seen:
                raise ValueError(f"exclusion ({a!r}, {b!r}) names an unknown unit")
            if a == b:
                raise ValueError(f"exclusion ({a!r}, {b!r}) pairs a unit with itself")


@dataclass(frozen=True)
class Explanation:
    key: str
    selected: bool
    code: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Allocation:
    selected: tuple[str, ...]
    benefit: float
    cost: float
    method: str
    optimal: bool
    seconds: float
    # Relative MIP gap HiGHS proved (0 when optimal); None for the heuristics, which prove nothing.
    mip_gap: float | None = None

    def explain(self, problem: Problem) -> dict[str, Explanation]:
        """One message code per unit of `problem`, keyed by unit key.

        Precedence for unselected units: ineligible, then excluded by a selected conflicting
        unit, then group quota used up, otherwise outranked (budget went to better units).
        """
        by_key = {u.key: u for u in problem.units}
        chosen = set(self.selected)
        remaining = problem.budget - self.cost
        per_group = Counter(by_key[k].group for k in chosen if by_key[k].group is not None)
        conflicts: dict[str, list[str]] = {}
        for a, b in problem.exclusions:
            conflicts.setdefault(a, []).append(b)
            conflicts.setdefault(b, []).append(a)
        ratios = [by_key[k].benefit / by_key[k].cost for k in chosen]
        weakest = min(ratios) if ratios else None

        out: dict[str, Explanation] = {}
        params: dict[str, Any]
        for u in sorted(problem.units, key=lambda x: x.key):
            if u.key in chosen:
                share = u.benefit / self.benefit if self.benefit > 0 else 0.0
                code, params = CODE_SELECTED, {"benefit": u.benefit, "cost": u.cost, "share": share}
            elif not u.eligible:
                code, params = CODE_INELIGIBLE, {"reason": u.reason_ineligible}
            elif blockers := sorted(k for k in conflicts.get(u.key, ()) if k in chosen):
                code, params = CODE_EXCLUDED, {"other": blockers[0]}
            elif (
                u.group is not None
                and u.group in problem.quotas
                and per_group[u.group] >= problem.quotas[u.group]
            ):
                code, params = CODE_QUOTA_FULL, {"group": u.group, "quota": problem.quotas[u.group]}
            else:
                code = CODE_OUTRANKED
                params = {
                    # 0 when it would have fitted: it lost on value, not on money.
                    "margin_rp": max(0.0, u.cost - remaining),
                    "benefit_per_rp": u.benefit / u.cost,
                    "weakest_selected_benefit_per_rp": weakest,
                }
            out[u.key] = Explanation(u.key, u.key in chosen, code, params)
        return out


# --------------------------------------------------------------------------- helpers


def reason_text(code: str, params: dict[str, Any], lang: Lang) -> str:
    """The sentence for an `Explanation` (its ``code`` and ``params``) in ``lang``."""
    if code == CODE_SELECTED:
        return t(
            "alasan_terpilih",
            lang,
            families=num(params["benefit"], lang),
            share=dec(100 * params["share"], lang, 1),
        )
    if code == CODE_INELIGIBLE:
        return t("alasan_tidak_memenuhi_syarat", lang, reason=t(str(params["reason"]), lang))
    if code == CODE_QUOTA_FULL:
        return t("alasan_kuota_penuh", lang, quota=params["quota"])
    if code == CODE_EXCLUDED:
        return t("alasan_dikecualikan", lang, other=params["other"])
    if params["margin_rp"] > 0:
        return t("alasan_kalah_anggaran", lang, margin=rp(params["margin_rp"], lang))
    return t("alasan_kalah_nilai", lang)


def _candidates(problem: Problem) -> list[Unit]:
    """Units that could usefully be funded, in canonical key order.

    Zero-benefit units are left out everywhere: funding them spends money without reaching a
    single family, so no method should pick them even when money is left over.
    """
    return sorted((u for u in problem.units if u.eligible and u.benefit > 0), key=lambda u: u.key)


def _make_allocation(
    problem: Problem,
    keys: set[str],
    method: str,
    optimal: bool,
    started: float,
    mip_gap: float | None = None,
) -> Allocation:
    by_key = {u.key: u for u in problem.units}
    chosen = tuple(sorted(keys))
    # math.fsum so the reported totals do not depend on summation order.
    return Allocation(
        selected=chosen,
        benefit=math.fsum(by_key[k].benefit for k in chosen),
        cost=math.fsum(by_key[k].cost for k in chosen),
        method=method,
        optimal=optimal,
        seconds=time.perf_counter() - started,
        mip_gap=mip_gap,
    )


def _conflict_map(problem: Problem) -> dict[str, set[str]]:
    conflicts: dict[str, set[str]] = {}
    for a, b in problem.exclusions:
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    return conflicts


def _take_in_order(problem: Problem, ranked: list[Unit], stop_on_budget: bool) -> set[str]:
    conflicts = _conflict_map(problem)
    chosen: set[str] = set()
    per_group: Counter[str] = Counter()
    spent = 0.0
    for u in ranked:
        if spent + u.cost > problem.budget:
            if stop_on_budget:
                break
            continue
        if (
            u.group is not None
            and u.group in problem.quotas
            and per_group[u.group] >= problem.quotas[u.group]
        ):
            continue
        if conflicts.get(u.key, set()) & chosen:
            continue
        chosen.add(u.key)
        spent += u.cost
        if u.group is not None:
            per_group[u.group] += 1
    return chosen


def is_feasible(problem: Problem, keys: tuple[str, ...] | set[str]) -> bool:
    """Exact check of budget, quotas, exclusions and eligibility for a set of unit keys."""
    by_key = {u.key: u for u in problem.units}
    chosen = set(keys)
    if any(k not in by_key or not by_key[k].eligible for k in chosen):
        return False
    if math.fsum(by_key[k].cost for k in chosen) > problem.budget:
        return False
    per_group = Counter(by_key[k].group for k in chosen if by_key[k].group is not None)
    if any(per_group[g] > q for g, q in problem.quotas.items()):
        return False
    return not any(a in chosen and b in chosen for a, b in problem.exclusions)


# --------------------------------------------------------------------------- heuristics


def greedy(problem: Problem) -> Allocation:
    """Officers' rule: rank by benefit (ties by key), take while it fits, stop when money runs out.

    Units blocked by a quota or an exclusion are skipped; the first unit that does not fit the
    remaining budget ends the allocation even if cheaper units further down would still fit.
    """
    started = time.perf_counter()
    ranked = sorted(_candidates(problem), key=lambda u: (-u.benefit, u.key))
    keys = _take_in_order(problem, ranked, stop_on_budget=True)
    return _make_allocation(problem, keys, METHOD_GREEDY, False, started)


def greedy_ratio(problem: Problem) -> Allocation:
    """Rank by benefit per rupiah (ties: larger benefit, then key); skip what does not fit."""
    started = time.perf_counter()
    ranked = sorted(_candidates(problem), key=lambda u: (-u.benefit / u.cost, -u.benefit, u.key))
    keys = _take_in_order(problem, ranked, stop_on_budget=False)
    return _make_allocation(problem, keys, METHOD_GREEDY_RATIO, False, started)


# --------------------------------------------------------------------------- exact MIP

_banner_lock = threading.Lock()
_banner_done = False


def _new_highs() -> highspy.Highs:
    """A Highs instance, without the copyright banner the C++ library prints to fd 1.

    The banner is written once per process on first construction, before any option can be
    set, so the first construction runs with the stdout file descriptor pointed at /dev/null.
    """
    global _banner_done
    with _banner_lock:
        if _banner_done:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_done = True
        return h


def _tie_budget(cands: list[Unit]) -> float:
    total = math.fsum(u.benefit for u in cands)
    if all(float(u.benefit).is_integer() for u in cands):
        return 0.5
    return 1e-9 * total


def _abs_gap(cands: list[Unit], tie: float) -> float:
    """Absolute MIP gap at which HiGHS may stop without losing any true benefit.

    With whole-number benefits and tie bonuses summing to at most `tie` (0.5), a perturbed
    bound within 1 - tie - 0.01 of the incumbent proves no selection has even one more unit of
    true benefit. Stopping there, instead of closing the gap down to the tie bonuses, is what
    makes 15,000-family problems finish in seconds; the tie among equal-benefit selections is
    then settled by HiGHS's (single-threaded, seeded, hence reproducible) search path.
    """
    if tie == 0.5:
        return 1.0 - tie - 0.01
    return 1e-6  # HiGHS default: fractional benefits give no such granularity to exploit


def _repair(problem: Problem, keys: set[str]) -> set[str]:
    """Drop the lowest benefit-per-rupiah units until the selection is exactly feasible.

    Only reachable if HiGHS's floating-point tolerances accept a selection that overshoots
    the budget by a hair; the guarantee callers rely on is the exact one.
    """
    by_key = {u.key: u for u in problem.units}
    keys = set(keys)
    while keys and not is_feasible(problem, keys):
        worst = min(keys, key=lambda k: (by_key[k].benefit / by_key[k].cost, k))
        keys.discard(worst)
    return keys


def _run(
    h: highspy.Highs, cands: list[Unit], fallback: set[str], gap: float
) -> tuple[set[str], bool, float | None]:
    h.run()
    info = h.getInfo()
    if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        x = np.asarray(h.getSolution().col_value)
        keys = {cands[i].key for i in np.flatnonzero(x > 0.5)}
    else:
        keys = set(fallback)
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    mip_gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
    if optimal:
        mip_gap = min(mip_gap or 0.0, float(gap))
    return keys, optimal, mip_gap


def _matroid_capacity(problem: Problem, cands: list[Unit]) -> int | None:
    """How many units the budget buys when the problem is a matroid, else None.

    With one unit cost c for every candidate and no exclusion between candidates, the budget row
    is just "at most ⌊B/c⌋ units", and together with per-group quotas the feasible selections are
    the independent sets of a (truncated partition) matroid. On a matroid, taking units by
    decreasing benefit while they stay feasible is provably optimal (Rado–Edmonds), so family
    programmes with a fixed unit cost — every family programme we ship — need no MIP at all.
    """
    if not cands or any(u.cost != cands[0].cost for u in cands):
        return None
    keys = {u.key for u in cands}
    if any(a in keys and b in keys for a, b in problem.exclusions):
        return None
    cost = cands[0].cost
    k = int(problem.budget // cost)
    # Guard the floor against float rounding: k units must fit exactly, k + 1 must not.
    while k > 0 and math.fsum([cost] * k) > problem.budget:
        k -= 1
    while math.fsum([cost] * (k + 1)) <= problem.budget and k < len(cands):
        k += 1
    return k


def _matroid_greedy(problem: Problem, cands: list[Unit], capacity: int) -> set[str]:
    # Ties by key, the same preference the MIP's tie bonus expresses.
    ranked = sorted(cands, key=lambda u: (-u.benefit, u.key))
    chosen: set[str] = set()
    per_group: Counter[str] = Counter()
    for u in ranked:
        if len(chosen) == capacity:
            break
        if u.group is not None and u.group in problem.quotas:
            if per_group[u.group] >= problem.quotas[u.group]:
                continue
            per_group[u.group] += 1
        chosen.add(u.key)
    return chosen


def solve(
    problem: Problem, time_limit: float = 30.0, gap: float = 0.0, use_matroid: bool = True
) -> Allocation:
    """Maximise total benefit exactly; `optimal` is True only if proved within `gap`.

    Equal-cost problems without exclusions are matroids and are solved exactly by the greedy
    rule (`_matroid_capacity`); everything else is a 0/1 MIP for HiGHS. The greedy_ratio
    selection is handed to HiGHS as a starting incumbent, so a run cut short by `time_limit` is
    never worse than greedy_ratio. `use_matroid=False` forces the MIP (tests compare the two).
    """
    started = time.perf_counter()
    cands = _candidates(problem)
    n = len(cands)
    if n == 0:
        return _make_allocation(problem, set(), METHOD_HIGHS, True, started, 0.0)
    capacity = _matroid_capacity(problem, cands) if use_matroid else None
    if capacity is not None:
        keys = _matroid_greedy(problem, cands, capacity)
        return _make_allocation(problem, keys, METHOD_MATROID, True, started, 0.0)
    index = {u.key: i for i, u in enumerate(cands)}

    benefit = np.array([u.benefit for u in cands], dtype=float)
    tie = _tie_budget(cands)
    # Decreasing in key rank, summing to `tie` (n + (n-1) + ... + 1 = n(n+1)/2).
    ranks = np.arange(n, 0, -1, dtype=float)
    obj = benefit + tie * ranks / (n * (n + 1) / 2.0)

    # Rows, built row-wise: budget, binding quotas, exclusions among candidates.
    starts: list[int] = [0]
    idx: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    upper: list[float] = []

    def add_row(cols: np.ndarray, coef: np.ndarray, ub: float) -> None:
        idx.append(cols.astype(np.int32))
        vals.append(coef.astype(float))
        starts.append(starts[-1] + len(cols))
        upper.append(ub)

    budget = problem.budget
    costs = np.array([u.cost for u in cands], dtype=float)
    if budget > 0:
        # Scaled to ≤ 1 so rupiah magnitudes (1e9+) do not wreck the solver's tolerances.
        add_row(np.arange(n), costs / budget, 1.0)
    members: dict[str, list[int]] = {}
    for i, u in enumerate(cands):
        if u.group is not None and u.group in problem.quotas:
            members.setdefault(u.group, []).append(i)
    for g in sorted(members):
        if len(members[g]) > problem.quotas[g]:  # a quota that cannot bind is not a row
            add_row(np.array(members[g]), np.ones(len(members[g])), float(problem.quotas[g]))
    for a, b in sorted({tuple(sorted(p)) for p in problem.exclusions}):
        if a in index and b in index:
            add_row(np.array([index[a], index[b]]), np.ones(2), 1.0)

    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(upper)
    lp.col_cost_ = obj
    lp.col_lower_ = np.zeros(n)
    # budget == 0: nothing can be funded; fix every column instead of adding a 0-row.
    lp.col_upper_ = np.ones(n) if budget > 0 else np.zeros(n)
    lp.row_lower_ = np.full(len(upper), -highspy.kHighsInf)
    lp.row_upper_ = np.array(upper, dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    if upper:
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = len(upper)
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.concatenate(idx)
        lp.a_matrix_.value_ = np.concatenate(vals)

    start_keys = greedy_ratio(problem).selected if budget > 0 else ()

    h = _new_highs()
    for name, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        # The limit covers the whole call, including model building and the warm start.
        ("time_limit", max(0.0, float(time_limit) - (time.perf_counter() - started))),
        ("mip_rel_gap", float(gap)),
        ("mip_abs_gap", _abs_gap(cands, tie)),
        ("primal_feasibility_tolerance", _FEAS_TOL),
        ("mip_feasibility_tolerance", _FEAS_TOL),
    ):
        h.setOptionValue(name, value)
    h.passModel(lp)

    sol = highspy.HighsSolution()
    x0 = np.zeros(n)
    for k in start_keys:
        x0[index[k]] = 1.0
    sol.col_value = list(x0)
    h.setSolution(sol)

    keys, optimal, mip_gap = _run(h, cands, set(start_keys), gap)
    # HiGHS checks the budget row with a floating-point tolerance, so on Rp 1e9-scale costs it
    # can accept a selection that overshoots by a few rupiah. Cut off exactly that selection
    # (no-good cut: not all of these together) and re-solve; this removes no feasible point.
    for _ in range(_MAX_NOGOOD_CUTS):
        if is_feasible(problem, keys) or not keys:
            break
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            break
        cols = np.array(sorted(index[k] for k in keys), dtype=np.int32)
        h.addRow(-highspy.kHighsInf, float(len(cols) - 1), len(cols), cols, np.ones(len(cols)))
        h.setOptionValue("time_limit", remaining)
        keys, optimal, mip_gap = _run(h, cands, set(start_keys), gap)
    repaired = _repair(problem, keys)
    if repaired != keys:
        optimal = False
    h.clear()
    return _make_allocation(problem, repaired, METHOD_HIGHS, optimal, started, mip_gap)


# --------------------------------------------------------------------------- budget sweep


def sweep(
    problem: Problem,
    budgets: list[float],
    time_limit: float = 30.0,
    gap: float = 0.0,
) -> list[dict[str, Any]]:
    """Benefit reached at each budget (ascending), for `highs` and `greedy`.

    One row per (method, budget). `marginal_cost_per_family` is the extra rupiah spent per
    extra unit of benefit compared with the previous (smaller) budget; None for the first
    budget and when the benefit did not grow.
    """
    rows: list[dict[str, Any]] = []
    ordered = sorted(budgets)
    for method in (METHOD_HIGHS, METHOD_GREEDY):
        prev: Allocation | None = None
        for b in ordered:
            p = Problem(problem.units, b, problem.quotas, problem.exclusions)
            alloc = (
                solve(p, time_limit=time_limit, gap=gap) if method == METHOD_HIGHS else greedy(p)
            )
            marginal = None
            if prev is not None and alloc.benefit > prev.benefit:
                marginal = (alloc.cost - prev.cost) / (alloc.benefit - prev.benefit)
            rows.append(
                {
                    "method": method,
                    "budget": b,
                    "benefit": alloc.benefit,
                    "cost": alloc.cost,
                    "units": len(alloc.selected),
                    "marginal_cost_per_family": marginal,
                    "optimal": alloc.optimal,
                }
            )
            prev = alloc
    return rows
