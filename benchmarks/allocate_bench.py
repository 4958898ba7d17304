"""Budget allocation: HiGHS 0/1 MIP vs the officers' greedy rule vs greedy benefit-per-rupiah.

Cases (synthetic, fixed seed):
  regency_villages   141 villages in 18 kecamatan, benefit = at-risk families lacking water
                     (~12-20k in total), cost Rp 0.6-3 bn, budget Rp 15 bn, ≤ 2 villages/kecamatan.
  regency_families   15,000 families, cost Rp 0.3-3 M, weighted need 1-3, budget Rp 5 bn,
                     5 % ineligible.
  regency_food       the same families for a food programme variant with a quota of 10 families
                     per group. A literal 10 per kecamatan (18 x 10 = 180 families, at most
                     Rp 0.54 bn) would make the Rp 5 bn budget irrelevant, so the group here is
                     the village (141 x 10 = 1,410 families), where budget and quota both bind.
  province_villages  1,038 villages in 103 kecamatan, budget Rp 110 bn, ≤ 3 villages/kecamatan.
  province_families  300,000 families, budget Rp 100 bn, HiGHS with time limit and MIP gap.
  *_fixed            the same family sets at one unit cost, as every shipped family programme
                     has (food package, counselling, cash aid): the exact matroid path of
                     `solve`, checked against the MIP forced with `use_matroid=False`.
  end_to_end         on the assessed synthetic regency (benchmarks/.data/kutim.db, from
                     assess_bench.py): `village_plan` for air-bersih and `family_plan` for every
                     family programme, database reads and explanations included.
Writes benchmarks/results/allocate.json.

    .venv/bin/python benchmarks/allocate_bench.py [--province-time-limit 15] [--province-gap 1e-3]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from sinergi.targeting.allocate import Problem, Unit, greedy, greedy_ratio, is_feasible, solve

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results" / "allocate.json"


def villages(n: int, n_kec: int, budget: float, quota: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    # Lognormal family counts: most villages have tens of families at risk, a few hundreds.
    fam = np.clip(rng.lognormal(mean=4.45, sigma=0.55, size=n).round(), 5, 600).astype(int)
    # Cost grows with village size (pipe length, connections) but with wide terrain noise.
    size = (fam - fam.min()) / max(1, fam.max() - fam.min())
    cost = np.clip(0.6e9 + 2.4e9 * (0.5 * size + 0.5 * rng.random(n)), 0.6e9, 3e9).round(-6)
    kec = rng.integers(0, n_kec, size=n)
    units = tuple(
        Unit(f"64{k:03d}{i:04d}", float(c), int(f), group=f"kec{k:03d}")
        for i, (f, c, k) in enumerate(zip(fam, cost, kec, strict=True))
    )
    return Problem(units, budget, {f"kec{k:03d}": quota for k in range(n_kec)})


def families(
    n: int,
    n_villages: int,
    budget: float,
    seed: int,
    quota_per_village: int | None = None,
    fixed_cost: float | None = None,
) -> Problem:
    rng = np.random.default_rng(seed)
    need = rng.choice([1, 2, 3], size=n, p=[0.55, 0.3, 0.15])
    cost = rng.uniform(0.3e6, 3e6, size=n).round(-3)
    if fixed_cost is not None:
        cost = np.full(n, fixed_cost)
    village = rng.integers(0, n_villages, size=n)
    eligible = rng.random(n) >= 0.05
    units = tuple(
        Unit(
            f"KK{i:09d}",
            float(c),
            int(w),
            group=f"desa{v:04d}",
            eligible=bool(e),
            reason_ineligible=None if e else "sudah_menerima_program_lain",
        )
        for i, (w, c, v, e) in enumerate(zip(need, cost, village, eligible, strict=True))
    )
    quotas = (
        {f"desa{v:04d}": quota_per_village for v in range(n_villages)}
        if quota_per_village is not None
        else {}
    )
    return Problem(units, budget, quotas)


def run_case(
    name: str, problem: Problem, time_limit: float, gap: float, compare_mip: bool = False
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "case": name,
        "units": len(problem.units),
        "budget_rp": problem.budget,
        "quota_groups": len(problem.quotas),
        "time_limit_s": time_limit,
        "requested_gap": gap,
    }
    for label, fn in (
        ("greedy", greedy),
        ("greedy_ratio", greedy_ratio),
        ("highs", lambda p: solve(p, time_limit=time_limit, gap=gap)),
        *(
            [("mip_forced", lambda p: solve(p, time_limit=time_limit, gap=gap, use_matroid=False))]
            if compare_mip
            else []
        ),
    ):
        t0 = time.perf_counter()
        alloc = fn(problem)
        wall = time.perf_counter() - t0
        assert is_feasible(problem, alloc.selected), (name, label)
        res[label] = {
            "wall_s": round(wall, 3),
            "benefit": alloc.benefit,
            "cost_rp": alloc.cost,
            "selected": len(alloc.selected),
            "optimal": alloc.optimal,
            "mip_gap": alloc.mip_gap,
            "method": alloc.method,
        }
    if compare_mip:
        res["matroid_equals_mip"] = res["highs"]["benefit"] == res["mip_forced"]["benefit"]
        res["speedup_vs_mip"] = round(
            res["mip_forced"]["wall_s"] / max(res["highs"]["wall_s"], 1e-3), 1
        )
    res["gain_vs_greedy"] = res["highs"]["benefit"] - res["greedy"]["benefit"]
    res["gain_vs_greedy_ratio"] = res["highs"]["benefit"] - res["greedy_ratio"]["benefit"]
    total = sum(u.benefit for u in problem.units if u.eligible)
    res["total_benefit_eligible"] = total
    h, g, r = res["highs"], res["greedy"], res["greedy_ratio"]
    print(
        f"{name:18s} n={len(problem.units):>7,}  "
        f"greedy {g['benefit']:>8,.0f} ({g['wall_s']:.3f}s)  "
        f"ratio {r['benefit']:>8,.0f} ({r['wall_s']:.3f}s)  "
        f"highs {h['benefit']:>8,.0f} ({h['wall_s']:.3f}s, optimal={h['optimal']}, "
        f"gap={h['mip_gap']}, {h['method']})  gain vs greedy +{res['gain_vs_greedy']:,.0f}, "
        f"vs ratio +{res['gain_vs_greedy_ratio']:,.0f}",
        flush=True,
    )
    return res


def end_to_end() -> list[dict[str, Any]]:
    """Plans as the CLI makes them, on the real regency database (skipped when it is missing)."""
    import shutil
    import tempfile

    from sqlalchemy import func, select

    from sinergi.store.db import ensure_schema
    from sinergi.store.tables import assessment_runs
    from sinergi.targeting.families import family_plan
    from sinergi.targeting.plan import village_plan
    from sinergi.targeting.programmes import load_catalogue

    source = ROOT / "benchmarks" / ".data" / "kutim.db"
    if not source.exists():
        print("end_to_end skipped: run benchmarks/assess_bench.py first")
        return []
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kutim.db"
        shutil.copyfile(source, db)
        engine = ensure_schema(f"sqlite:///{db}")
        with engine.connect() as conn:
            run_id = conn.execute(select(func.max(assessment_runs.c.id))).scalar_one()
        for code, prog in sorted(load_catalogue().items()):
            t0 = time.perf_counter()
            if prog.unit == "desa":
                plan = village_plan(engine, run_id, prog)
                units, reached, greedy_reached = len(plan.table), plan.reached, plan.reached_greedy
            else:
                fplan = family_plan(engine, run_id, prog)
                units, reached, greedy_reached = (
                    len(fplan.table),
                    fplan.reached,
                    fplan.reached_greedy,
                )
            wall = time.perf_counter() - t0
            row = {
                "case": f"end_to_end_{code}",
                "unit": prog.unit,
                "eligible_units": units,
                "wall_s": round(wall, 3),
                "reached": reached,
                "reached_greedy": greedy_reached,
            }
            print(
                f"{row['case']:36s} {units:>7,} units  {wall:6.2f}s  reached {reached:,.0f} "
                f"(greedy {greedy_reached:,.0f})",
                flush=True,
            )
            out.append(row)
        engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--province-time-limit", type=float, default=15.0)
    ap.add_argument("--province-gap", type=float, default=1e-3)
    ap.add_argument("--province-families", type=int, default=300_000)
    args = ap.parse_args()

    results = [
        run_case("regency_villages", villages(141, 18, 15e9, 2, seed=1), 30.0, 0.0),
        run_case("regency_families", families(15_000, 141, 5e9, seed=2), 30.0, 0.0),
        run_case(
            "regency_food", families(15_000, 141, 5e9, seed=2, quota_per_village=10), 30.0, 0.0
        ),
        run_case("province_villages", villages(1_038, 103, 110e9, 3, seed=3), 30.0, 0.0),
        run_case(
            "province_families",
            families(args.province_families, 1_038, 100e9, seed=4),
            args.province_time_limit,
            args.province_gap,
        ),
        run_case(
            "regency_families_fixed",
            families(15_000, 141, 5e9, seed=2, quota_per_village=10, fixed_cost=1.8e6),
            30.0,
            0.0,
            compare_mip=True,
        ),
        run_case(
            "province_families_fixed",
            families(
                args.province_families, 1_038, 100e9, seed=4, quota_per_village=30, fixed_cost=3.6e6
            ),
            args.province_time_limit,
            args.province_gap,
            compare_mip=True,
        ),
    ]
    results += end_to_end()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
