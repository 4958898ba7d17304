"""Budget allocation: HiGHS optimum vs greedy rules, constraints, explanations, determinism."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.targeting.allocate import (
    CODE_EXCLUDED,
    CODE_INELIGIBLE,
    CODE_OUTRANKED,
    CODE_QUOTA_FULL,
    CODE_SELECTED,
    CODES,
    Allocation,
    Problem,
    Unit,
    greedy,
    greedy_ratio,
    is_feasible,
    solve,
    sweep,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _abc(budget: float = 10) -> Problem:
    return Problem((Unit("A", 6, 6), Unit("B", 5, 5), Unit("C", 5, 5)), budget)


def brute_force(problem: Problem) -> float:
    units = [u for u in problem.units if u.eligible]
    best = 0.0
    for r in range(len(units) + 1):
        for combo in itertools.combinations(units, r):
            keys = {u.key for u in combo}
            if is_feasible(problem, keys):
                best = max(best, math.fsum(u.benefit for u in combo))
    return best


@st.composite
def problems(draw: st.DrawFn, max_units: int = 12, integer_benefit: bool = True) -> Problem:
    n = draw(st.integers(0, max_units))
    groups = ["g1", "g2", "g3"]
    units = []
    for i in range(n):
        benefit = (
            draw(st.integers(0, 20))
            if integer_benefit
            else draw(st.floats(0, 20, allow_nan=False, allow_infinity=False))
        )
        eligible = draw(st.booleans().map(lambda b: b or draw(st.booleans())))
        units.append(
            Unit(
                key=f"u{i:02d}",
                cost=draw(st.integers(1, 20)),
                benefit=benefit,
                group=draw(st.sampled_from([None, *groups])),
                eligible=eligible,
                reason_ineligible=None if eligible else "di_luar_wilayah",
            )
        )
    quotas = {g: draw(st.integers(0, 3)) for g in groups if draw(st.booleans())}
    keys = [u.key for u in units]
    exclusions: tuple[tuple[str, str], ...] = ()
    if len(keys) >= 2:
        pairs = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=4))
        exclusions = tuple((a, b) for a, b in pairs if a != b)
    budget = draw(st.integers(0, 60))
    return Problem(tuple(units), float(budget), quotas, exclusions)


# ---------------------------------------------------------------- (1) hand-built cases


def test_greedy_stops_where_optimum_combines_smaller_units() -> None:
    p = _abc()
    assert greedy(p).selected == ("A",) and greedy(p).benefit == 6
    opt = solve(p)
    assert opt.selected == ("B", "C") and opt.benefit == 10 and opt.optimal
    assert opt.method == "highs" and opt.mip_gap == 0.0


def test_greedy_stops_at_first_unit_that_does_not_fit() -> None:
    # A (benefit 9, cost 6) fits, B (second by benefit) does not; C would fit but the officers' rule has stopped.
    p = Problem((Unit("A", 6, 9), Unit("B", 5, 5), Unit("C", 1, 1)), 10)
    assert greedy(p).selected == ("A",)
    assert greedy_ratio(p).selected == ("A", "C")  # skips B and carries on
    assert greedy(p).benefit == 9
    assert solve(p).selected == ("A", "C") and solve(p).benefit == 10


def test_ratio_greedy_beaten_by_optimum() -> None:
    # Ratio order takes the small high-ratio unit first and then cannot fit the big one.
    p = Problem((Unit("big", 10, 10), Unit("small", 2, 3)), 10)
    assert greedy_ratio(p).benefit == 3
    assert solve(p).selected == ("big",)


def test_quota_and_exclusion_change_the_optimum() -> None:
    units = (
        Unit("a", 1, 5, group="k1"),
        Unit("b", 1, 4, group="k1"),
        Unit("c", 1, 3, group="k2"),
        Unit("d", 1, 2, group="k2"),
    )
    p = Problem(units, 100, quotas={"k1": 1}, exclusions=(("c", "d"),))
    alloc = solve(p)
    assert alloc.selected == ("a", "c")
    ex = alloc.explain(p)
    assert ex["b"].code == CODE_QUOTA_FULL and ex["b"].params == {"group": "k1", "quota": 1}
    assert ex["d"].code == CODE_EXCLUDED and ex["d"].params == {"other": "c"}
    assert greedy(p).selected == ("a", "c")


def test_outranked_params() -> None:
    p = _abc()
    ex = solve(p).explain(p)
    assert ex["A"].code == CODE_OUTRANKED
    assert ex["A"].params["margin_rp"] == 6.0  # all 10 spent: it needed its whole cost
    assert ex["A"].params["weakest_selected_benefit_per_rp"] == 1.0
    assert ex["B"].code == CODE_SELECTED and ex["B"].params["share"] == 0.5


def test_empty_zero_budget_and_zero_benefit() -> None:
    empty = Problem((), 100)
    assert solve(empty).selected == () and solve(empty).optimal
    zero = _abc(budget=0)
    for alloc in (solve(zero), greedy(zero), greedy_ratio(zero)):
        assert alloc.selected == () and alloc.cost == 0
    useless = Problem((Unit("z", 1, 0), Unit("y", 1, 1)), 10)
    for alloc in (solve(useless), greedy(useless), greedy_ratio(useless)):
        assert alloc.selected == ("y",)


def test_invalid_problems_rejected() -> None:
    with pytest.raises(ValueError):
        Problem((Unit("a", 0, 1),), 10)
    with pytest.raises(ValueError):
        Problem((Unit("a", 1, -1),), 10)
    with pytest.raises(ValueError):
        Problem((Unit("a", 1, 1), Unit("a", 2, 2)), 10)
    with pytest.raises(ValueError):
        Problem((Unit("a", 1, 1),), 10, exclusions=(("a", "x"),))


def test_large_rupiah_costs_fit_exactly() -> None:
    # Budget tolerance must not let HiGHS overshoot by rounding on Rp 1e9-scale figures.
    units = tuple(Unit(f"d{i}", 1_000_000_001.0 + i, 10 + i) for i in range(8))
    p = Problem(units, 3_000_000_006.0)
    alloc = solve(p)
    assert is_feasible(p, alloc.selected)
    assert alloc.benefit == brute_force(p)


# ---------------------------------------------------------------- (2) constraints & optimality


@FAST
@given(problems())
def test_constraints_hold_and_highs_dominates(p: Problem) -> None:
    opt = solve(p)
    heuristics = [greedy(p), greedy_ratio(p)]
    for alloc in [opt, *heuristics]:
        assert is_feasible(p, alloc.selected)
        assert alloc.cost <= p.budget
        assert list(alloc.selected) == sorted(alloc.selected)
    assert opt.optimal
    for h in heuristics:
        assert opt.benefit >= h.benefit
    if len(p.units) <= 10:
        assert opt.benefit == brute_force(p)


@settings(max_examples=30, deadline=None)
@given(problems(max_units=9, integer_benefit=False))
def test_fractional_benefits_match_brute_force(p: Problem) -> None:
    opt = solve(p)
    assert is_feasible(p, opt.selected)
    assert opt.benefit == pytest.approx(brute_force(p), rel=1e-7, abs=1e-7)


@st.composite
def equal_cost_problems(draw: st.DrawFn) -> Problem:
    """Family programmes: one unit cost, benefits 1 + stunted children, quotas per group."""
    cost = draw(st.sampled_from([1.0, 7.0, 1_100_000.0 * 6]))
    n = draw(st.integers(0, 12))
    units = tuple(
        Unit(
            f"k{i:02d}",
            cost,
            float(draw(st.integers(0, 4))),
            group=draw(st.sampled_from(["g1", "g2", "g3"])),
            eligible=draw(st.booleans()),
        )
        for i in range(n)
    )
    quotas = {g: draw(st.integers(0, 4)) for g in ("g1", "g2", "g3") if draw(st.booleans())}
    return Problem(
        units, cost * draw(st.integers(0, 10)) + draw(st.sampled_from([0.0, 0.5])), quotas
    )


@FAST
@given(equal_cost_problems())
def test_matroid_fast_path_matches_the_mip(p: Problem) -> None:
    fast, mip = solve(p), solve(p, use_matroid=False)
    assert is_feasible(p, fast.selected)
    assert fast.benefit == mip.benefit == brute_force(p)
    assert fast.optimal
    if any(u.eligible and u.benefit > 0 for u in p.units):
        assert fast.method == "matroid"


def test_matroid_path_not_taken_with_exclusions_or_mixed_costs() -> None:
    same = (Unit("a", 5, 3), Unit("b", 5, 2), Unit("c", 5, 2))
    assert solve(Problem(same, 10)).method == "matroid"
    assert solve(Problem(same, 10, exclusions=(("a", "b"),))).method == "highs"
    assert solve(_abc()).method == "highs"
    # Ties by key, as the MIP's tie bonus prefers: b before c.
    assert solve(Problem(same, 10)).selected == ("a", "b")


# ---------------------------------------------------------------- (3) explanations


@FAST
@given(problems())
def test_every_unit_explained(p: Problem) -> None:
    for alloc in (solve(p), greedy(p), greedy_ratio(p)):
        ex = alloc.explain(p)
        assert set(ex) == {u.key for u in p.units}
        chosen = set(alloc.selected)
        for key, e in ex.items():
            assert e.key == key and e.code in CODES
            assert e.selected == (key in chosen) == (e.code == CODE_SELECTED)
            if e.code == CODE_OUTRANKED:
                assert e.params["margin_rp"] >= 0
        shares = [e.params["share"] for e in ex.values() if e.selected]
        if alloc.benefit > 0:
            assert math.fsum(shares) == pytest.approx(1.0)


# ---------------------------------------------------------------- (4) determinism


@FAST
@given(problems(), st.randoms(use_true_random=False))
def test_deterministic_under_repeat_and_shuffle(p: Problem, rnd: random.Random) -> None:
    shuffled_units = list(p.units)
    rnd.shuffle(shuffled_units)
    q = Problem(tuple(shuffled_units), p.budget, dict(p.quotas), tuple(reversed(p.exclusions)))
    for fn in (solve, greedy, greedy_ratio):
        first: Allocation = fn(p)  # type: ignore[operator]
        assert fn(p).selected == first.selected  # type: ignore[operator]
        assert fn(q).selected == first.selected  # type: ignore[operator]


def test_ties_broken_by_key() -> None:
    # Four identical units, room for two: the two earliest keys win, whatever the input order.
    units = [Unit(k, 5, 5) for k in ("d", "b", "a", "c")]
    for perm in itertools.permutations(units):
        assert solve(Problem(tuple(perm), 10)).selected == ("a", "b")
        assert greedy(Problem(tuple(perm), 10)).selected == ("a", "b")


# ---------------------------------------------------------------- (5) ineligible


@FAST
@given(problems())
def test_ineligible_never_selected(p: Problem) -> None:
    ineligible = {u.key for u in p.units if not u.eligible}
    for alloc in (solve(p), greedy(p), greedy_ratio(p)):
        assert not ineligible & set(alloc.selected)
        ex = alloc.explain(p)
        for k in ineligible:
            assert ex[k].code == CODE_INELIGIBLE
            assert ex[k].params == {"reason": "di_luar_wilayah"}


# ---------------------------------------------------------------- (6) sweep


@settings(max_examples=25, deadline=None)
@given(problems(max_units=10), st.lists(st.integers(0, 80), min_size=1, max_size=5))
def test_sweep_monotone_for_highs(p: Problem, budgets: list[int]) -> None:
    rows = sweep(p, [float(b) for b in budgets])
    assert len(rows) == 2 * len(budgets)
    highs = [r for r in rows if r["method"] == "highs"]
    assert [r["budget"] for r in highs] == sorted(float(b) for b in budgets)
    assert highs[0]["marginal_cost_per_family"] is None
    for prev, cur in itertools.pairwise(highs):
        assert cur["benefit"] >= prev["benefit"]
    greedy_rows = [r for r in rows if r["method"] == "greedy"]
    for h, g in zip(highs, greedy_rows, strict=True):
        assert h["benefit"] >= g["benefit"] and h["cost"] <= h["budget"]


def test_sweep_marginal_cost() -> None:
    rows = sweep(_abc(), [5, 10, 16])
    highs = [r for r in rows if r["method"] == "highs"]
    assert [r["benefit"] for r in highs] == [5, 10, 16]
    assert [r["marginal_cost_per_family"] for r in highs] == [None, 1.0, 1.0]
    greedy_rows = [r for r in rows if r["method"] == "greedy"]
    assert [r["benefit"] for r in greedy_rows] == [0, 6, 16]
