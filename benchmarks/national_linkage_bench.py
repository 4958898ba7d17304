"""Person linkage at province scale: the app's Splink model over Parquet on DuckDB and on Spark
local mode (`sinergi.batch.link`), scored against the synthetic truth.

1. **The records** (a child process): every regency of a province (East Kalimantan, ``64``, by
   default) gets its share of ``--records`` by its population in the bundled region table; each
   regency's synthetic population becomes roster records and noisy posyandu copies of them
   (``linkage_bench.noisy_records``: one-digit NIK typos, swapped digits, blank NIKs, spelling
   variants, swapped day and month, another village), written regency by regency to Parquet
   with each record's true person — so no more than one regency is in memory at once.
2. **The candidate pairs** (DuckDB, a child process): how many comparisons each blocking rule
   adds (Splink's ``count_comparisons_from_blocking_rules``, exact) — what a cluster must score.
3. **Each engine** (``--engines``, each in its own child process so that its peak memory is its
   own; for Spark the peak is that of the largest process, the driver's JVM in local mode):
   `link_records` with the bundled model, seconds (scoring, then the app's decisions and
   clustering on the driver), pairs, and precision and recall against the truth — of the
   automatic links (a link is right when both records are one true person; recall over all
   pairs of records of one person) and of the clusters (pairwise, `sinergi.link.quality`).
   When both engines ran, whether their pairs and clusters are the same.

Writes ``benchmarks/results/national_linkage.json`` (keyed by the number of records).

    .venv/bin/python benchmarks/national_linkage_bench.py [--records 5000000]
        [--engines duckdb,spark] [--memory 8g] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from measured import run_measured  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "national_linkage.json"


def write_province(province: str, n_total: int, folder: Path, seed: int = 7) -> dict[str, object]:
    """The province's records (``records/kabupaten=<PP.KK>/part-0.parquet``) and their truth
    (``truth/…``: unique_id → pid, the person's roster NIK), regency by regency (a little under
    ``n_total``: see the NIKs below)."""
    from linkage_bench import noisy_records

    from sinergi.batch.link import records_table
    from sinergi.synth._regions import load_villages
    from sinergi.wilayah import get_wilayah

    regencies = [r.kode for r in get_wilayah().children(province)]
    people = np.array([load_villages(code).population for code in regencies], dtype=float)
    shares = np.floor(n_total * people / people.sum()).astype(int)
    shares[np.argmax(shares)] += n_total - shares.sum()
    written = 0
    seen: set[str] = set()
    for i, (code, share) in enumerate(zip(regencies, shares, strict=True)):
        records, truth = noisy_records(int(share), seed=seed + i, region=code)
        # Each regency's newcomers carry NIKs of their home regency, drawn independently: a
        # NIK another regency already gave a person goes, with the copies of that person.
        again = truth.isin(seen).to_numpy()
        records, truth = records[~again].reset_index(drop=True), truth[~again]
        seen.update(records.loc[records["sumber"] == "keluarga", "nik"])
        # The copies' keys are numbered per regency: made unique across the province.
        copy = records["sumber"] != "keluarga"
        records.loc[copy, "unique_id"] = "eppgbm:" + code + "-" + records.loc[copy, "kunci"]
        truth.index = records["unique_id"].to_numpy()
        for name, table in (
            ("records", records_table(records)),
            ("truth", pa.table({"unique_id": truth.index.to_numpy(), "pid": truth.to_numpy()})),
        ):
            part = folder / name / f"kabupaten={code}"
            part.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, part / "part-0.parquet")
        written += len(records)
        print(f"{code}: {len(records)} records", file=sys.stderr, flush=True)
    return {"province": province, "regencies": len(regencies), "records": written}


def blocking(folder: Path) -> dict[str, object]:
    """The comparisons each blocking rule adds, exactly (DuckDB)."""
    import duckdb
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from sinergi.link import model as lm

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(
        "CREATE TABLE records AS SELECT * FROM read_parquet(?)",
        [str(folder / "records" / "**" / "*.parquet")],
    )
    counts = count_comparisons_from_blocking_rules(
        DuckDBAPI(connection=con).register("records"),
        blocking_rules=list(lm.BLOCKING),
        link_type="dedupe_only",
        record_sample_proportion=1.0,
    )
    return {
        "per_rule": [int(c["marginal_comparison_count"]) for c in counts],
        "comparisons": int(counts[-1]["cumulative_comparison_count"]),
    }


def quality(out: Path, truth: pd.Series) -> dict[str, object]:
    """Precision and recall of the automatic links and of the clusters against ``truth``."""
    from sinergi.link.quality import pairwise

    pairs = pd.read_parquet(out / "pairs.parquet", columns=["unique_id_l", "unique_id_r", "status"])
    links = pairs[pairs["status"] == "otomatis"]
    right = int((links["unique_id_l"].map(truth) == links["unique_id_r"].map(truth)).sum())
    sizes = truth.value_counts()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    clusters = pd.read_parquet(out / "clusters.parquet", columns=["record", "cluster_id"])
    ours = pairwise(pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["record"]), truth)
    return {
        "links": {
            "pairs": len(links),
            "precision": right / len(links) if len(links) else 1.0,
            "recall": right / true_pairs if true_pairs else 1.0,
        },
        "clusters": {"precision": ours.precision, "recall": ours.recall, "pairs": ours.pairs},
        "true_pairs": true_pairs,
    }


def one_engine(engine: str, folder: Path, memory: str) -> dict[str, object]:
    from sinergi.batch.link import link_records

    out = folder / f"out-{engine}"
    summary = link_records(engine, folder / "records", out, memory=memory)  # type: ignore[arg-type]
    truth = pq.read_table(folder / "truth").to_pandas()
    result: dict[str, object] = {
        "records": summary.records,
        "score_seconds": round(summary.score_seconds, 1),
        "cluster_seconds": round(summary.cluster_seconds, 1),
        "scored_pairs": summary.scored,
        "kept_pairs": summary.pairs,
        "automatic": summary.automatic,
        "clusters": summary.clusters,
        "linked": summary.linked,
    }
    result.update(quality(out, pd.Series(truth["pid"].to_numpy(), index=truth["unique_id"])))
    return result


def same(folder: Path) -> dict[str, object]:
    """Whether DuckDB and Spark made the same pairs and clusters."""
    a = pd.read_parquet(folder / "out-duckdb" / "pairs.parquet")
    b = pd.read_parquet(folder / "out-spark" / "pairs.parquet")
    both = a.merge(b, on=["unique_id_l", "unique_id_r"], how="outer", indicator=True)
    matched = both[both["_merge"] == "both"]
    ca = pd.read_parquet(folder / "out-duckdb" / "clusters.parquet").set_index("record")
    cb = pd.read_parquet(folder / "out-spark" / "clusters.parquet").set_index("record")
    return {
        "pairs_only_duckdb": int((both["_merge"] == "left_only").sum()),
        "pairs_only_spark": int((both["_merge"] == "right_only").sum()),
        "max_probability_difference": float(
            (matched["match_probability_x"] - matched["match_probability_y"]).abs().max()
        ),
        "records_in_other_cluster": int(
            (ca["cluster_id"] != cb["cluster_id"].reindex(ca.index)).sum()
        ),
    }


def _child(args: list[str], work: Path) -> tuple[dict[str, object], float, float]:
    run = run_measured(
        [sys.executable, __file__, *args], work, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    if run.exit != 0:
        raise SystemExit(run.output[-4000:])
    return json.loads(run.output.strip().splitlines()[-1]), run.seconds, run.peak_mib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--province", default="64")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--memory", default="8g", help="DuckDB's limit and Spark's driver heap")
    parser.add_argument("--work", type=Path, help="keep the records and outputs here")
    parser.add_argument("--skip-blocking", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="the records already in --work (same --records)"
    )
    parser.add_argument("--child", choices=("make", "blocking", "duckdb", "spark"))
    args = parser.parse_args()
    if args.child:
        folder = args.work
        if args.child == "make":
            answer = write_province(args.province, args.records, folder)
        elif args.child == "blocking":
            answer = blocking(folder)
        else:
            answer = one_engine(args.child, folder, args.memory)
        print(json.dumps(answer))
        return
    engines = [e for e in args.engines.split(",") if e]
    tmp = Path(tempfile.mkdtemp(prefix="national-linkage-"))
    work = (args.work or tmp).resolve()
    work.mkdir(parents=True, exist_ok=True)
    common = ["--work", str(work), "--memory", args.memory]
    result: dict[str, object] = {"cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    try:
        if not (args.reuse and args.work is not None):
            make = ["--child", "make", "--records", str(args.records), "--province", args.province]
            made, seconds, peak = _child([*make, *common], work)
            result["input"] = {**made, "seconds": round(seconds, 1), "peak_mib": round(peak)}
            print(json.dumps(result["input"]), flush=True)
        if not args.skip_blocking:
            counted, seconds, peak = _child(["--child", "blocking", *common], work)
            result["blocking"] = {**counted, "seconds": round(seconds, 1)}
            print(json.dumps(result["blocking"]), flush=True)
        for engine in engines:
            start = time.perf_counter()
            measured, seconds, peak = _child(["--child", engine, *common], work)
            measured = {
                **measured,
                "seconds": round(seconds, 1),
                "peak_mib": round(peak),
                "load_after": os.getloadavg()[0],
            }
            result[engine] = measured
            print(
                engine, json.dumps(measured), f"({time.perf_counter() - start:.0f} s)", flush=True
            )
        if {"duckdb", "spark"} <= set(engines):
            result["same"] = same(work)
            print(json.dumps(result["same"]), flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(tmp, ignore_errors=True)
    everything = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    # A run that reuses the records or measures some engines adds to that size's entry.
    everything[str(args.records)] = {**everything.get(str(args.records), {}), **result}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(everything, indent=1))


if __name__ == "__main__":
    main()
