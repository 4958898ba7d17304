"""National village selection: `select_national` vs greedy only vs one national HiGHS solve.

Instance (synthetic, fixed seed): every village of the bundled Kemendagri list
(src/sinergi/data/wilayah/wilayah.csv, 38 provinces), shaped like the air-bersih programme:

  families     the regency's population (bundled penduduk.csv) / 3.3 people per family, spread
               over its villages with lognormal noise;
  benefit      at-risk families without safe drinking water: families × a share drawn per
               village from Beta(2, 14) (mean 12.5 %), doubled in Maluku, Papua and NTT
               (provinces 53, 81, 82, 91-97), where unsafe water is most common;
  cost         Rp 0.6-3 bn per network, growing with the village's families plus terrain noise,
               × 1.5 in those same eastern provinces (distance, terrain);
  eligible     75 % of villages (the rest have a network working or being built).

Methods, per budget:
  greedy               the officers' rule (rank by benefit, stop when the money runs out);
  greedy_ratio         benefit per rupiah, skipping what does not fit (the screening);
  provinces_only       `select_national` without its national polish (LP budget split, HiGHS
                       per province, leftover spent greedily);
  select_national      the full method (with the national polish over the candidates left by
                       reduced-cost fixing);
  national_highs_60s   `allocate.solve` over every village at once, time limit 60 s.
Each reports wall time, benefit, cost, the gap to the LP (fractional knapsack) bound.
Writes benchmarks/results/national_selection.json.

    .venv/bin/python benchmarks/national_selection_bench.py [--national-time-limit 60]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sinergi.targeting.allocate import Allocation, Problem, Unit, greedy, greedy_ratio, solve
from sinergi.targeting.national import NationalReport, select_national

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "sinergi" / "data" / "wilayah"
OUT = ROOT / "benchmarks" / "results" / "national_selection.json"
EAST = ("53", "81", "82", "91", "92", "93", "94", "95", "96", "97")
BUDGETS = (3e12, 10e12)  # Rp 3 and 10 trillion


def national_villages(seed: int = 16) -> pd.DataFrame:
    with (DATA / "wilayah.csv").open(encoding="utf-8") as f:
        codes = [r["kode"] for r in csv.DictReader(f) if r["tingkat"] == "desa_kelurahan"]
    with (DATA / "penduduk.csv").open(encoding="utf-8") as f:
        people = {r["kode"]: int(r["total"]) for r in csv.DictReader(f)}
    rng = np.random.default_rng(seed)
    v = pd.DataFrame({"kode_desa": sorted(codes)})
    v["provinsi"] = v["kode_desa"].str[:2]
    v["kabupaten"] = v["kode_desa"].str[:5]
    per_regency = v.groupby("kabupaten")["kode_desa"].transform("size")
    regency_people = v["kabupaten"].map(people).fillna(v["provinsi"].map(people) / 20)
    families = regency_people / 3.3 / per_regency * rng.lognormal(0.0, 0.5, len(v))
    east = v["provinsi"].isin(EAST).to_numpy()
    share = rng.beta(2, 14, len(v)) * np.where(east, 2.0, 1.0)
    v["benefit"] = np.clip((families * share).round(), 0, None)
    size = np.clip(families / np.quantile(families, 0.99), 0, 1)
    cost = 0.6e9 + 2.4e9 * (0.5 * size + 0.5 * rng.random(len(v)))
    v["cost"] = (np.clip(cost, 0.6e9, 3e9) * np.where(east, 1.5, 1.0)).round(-6)
    v["eligible"] = rng.random(len(v)) >= 0.25
    v["reason_ineligible"] = np.where(v["eligible"], None, "jaringan_beroperasi")
    return v.drop(columns="kabupaten")


def _alloc(a: Allocation, wall: float, bound: float) -> dict[str, Any]:
    return {
        "wall_s": round(wall, 3),
        "benefit": a.benefit,
        "cost_rp": a.cost,
        "selected": len(a.selected),
        "optimal": a.optimal,
        "mip_gap": a.mip_gap,
        "gap_to_lp_bound": (bound - a.benefit) / bound,
    }


def _national(r: NationalReport, wall: float) -> dict[str, Any]:
    p = r.provinces
    return {
        "wall_s": round(wall, 3),
        "benefit": r.benefit,
        "cost_rp": r.cost,
        "method": r.method,
        "optimal": r.optimal,
        "gap_to_lp_bound": r.gap,
        "province_candidates": r.candidates,
        "national_candidates": r.national_candidates,
        "leftover_units": r.leftover_units,
        "provinces_proved_optimal": int(p["optimal"].sum()),
        "slowest_province_s": round(float(p["detik"].max()), 3),
    }


def run(units: pd.DataFrame, budget: float, national_limit: float) -> dict[str, Any]:
    problem = Problem(
        tuple(
            Unit(r.kode_desa, float(r.cost), float(r.benefit), eligible=bool(r.eligible))
            for r in units.itertuples()
        ),
        budget,
    )
    t0 = time.perf_counter()
    _, only = select_national(units, budget, max_national_candidates=0)
    only_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    table, full = select_national(units, budget)
    full_wall = time.perf_counter() - t0
    bound = full.lp_bound
    t0 = time.perf_counter()
    g = greedy(problem)
    g_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    gr = greedy_ratio(problem)
    gr_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    whole = solve(problem, time_limit=national_limit)
    whole_wall = time.perf_counter() - t0
    row = {
        "budget_rp": budget,
        "villages": len(units),
        "eligible": int(units["eligible"].sum()),
        "provinces": int(units["provinsi"].nunique()),
        "lp_bound": bound,
        "dual_price_families_per_bn_rp": full.dual_price * 1e9,
        "greedy": _alloc(g, g_wall, bound),
        "greedy_ratio": _alloc(gr, gr_wall, bound),
        "provinces_only": _national(only, only_wall),
        "select_national": _national(full, full_wall),
        "national_highs_60s": _alloc(whole, whole_wall, bound),
        "chosen_villages": int(table["terpilih"].sum()),
    }
    print(
        f"budget Rp {budget / 1e12:.0f} T: bound {bound:,.1f}; "
        f"select_national {full.benefit:,.0f} ({full_wall:.1f} s, gap {full.gap:.2e}, "
        f"optimal {full.optimal}); provinces only {only.benefit:,.0f} ({only_wall:.1f} s); "
        f"greedy_ratio {gr.benefit:,.0f}; greedy {g.benefit:,.0f}; "
        f"national HiGHS {whole.benefit:,.0f} ({whole_wall:.1f} s, optimal {whole.optimal})"
    )
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--national-time-limit", type=float, default=60.0)
    args = ap.parse_args()
    units = national_villages()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "2 cores shared with other jobs while measured; wall times are upper bounds",
        },
        "national_time_limit_s": args.national_time_limit,
        "total_benefit_eligible": float(units.loc[units["eligible"], "benefit"].sum()),
        "cases": [run(units, b, args.national_time_limit) for b in BUDGETS],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
