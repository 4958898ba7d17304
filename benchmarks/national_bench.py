"""National scale: the batch jobs over synthetic national registries of growing size, on DuckDB
on this machine, and on Apache Spark in local mode beside DuckDB at the smallest size.

For each size (millions of families) the national synthetic registry is generated once
(`sinergi synth --region ALL --format parquet`, every regency's real villages; kept in
``benchmarks/.data/national_<N>m``), then each job runs as the officer would run it — the command
``sinergi batch <job> --engine duckdb|spark`` in its own process — timed from start to exit, with
the peak resident memory of its largest process (``/usr/bin/time``-style, from the kernel's
accounting of the finished children). Writes benchmarks/results/national.json.

    .venv/bin/python benchmarks/national_bench.py [--sizes 10,30,95] [--spark 10]
        [--jobs assess,coverage,missed,monitor] [--memory-limit 16GB]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.dataset as ds

from sinergi.batch.monitor import JOBS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
RESULTS = ROOT / "benchmarks" / "results" / "national.json"
SINERGI = str(Path(sys.executable).with_name("sinergi"))
REF = "2026-08-31"
# Families of the whole nation at --scale 1 (`sinergi.synth.national`: each regency's population
# over 289 M / 95 M persons per family), measured: scale 0.10526 gave 9,860,387 families.
FAMILIES_AT_SCALE_1 = 9_860_387 / 0.10526
# East Kalimantan (64) at --scale 1, measured: scale 0.74 gave 1,003,004 families.
REGION_FAMILIES_AT_SCALE_1 = {"64": 1_003_004 / 0.74}


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants now (from /proc; 0 once gone)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as kids:
                    todo += [int(k) for k in kids.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def timed(cmd: list[str], said: list[str] | None = None) -> dict[str, float]:
    """Run ``cmd`` to its end; wall seconds and its peak memory (MiB): the resident memory of
    the command and every process it started (worker processes, a Spark JVM), summed and
    sampled every 0.2 s. What it printed is appended to ``said`` when given."""
    # Lines as long as they are (Rich wraps at 80 columns when it does not write to a terminal).
    env = {**os.environ, "COLUMNS": "1000"}
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - t0
        out.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out.read()[-6000:]}")
        if said is not None:
            said.append(out.read())
    return {
        "seconds": round(seconds, 1),
        "peak_mib": round(peak / 2**20),
        "load": round(os.getloadavg()[0], 1),
    }


def registry(millions: float, region: str = "ALL") -> tuple[Path, dict[str, object]]:
    """The synthetic registry of about ``millions`` M families: the nation, or (``region``) one
    province at the scale that gives it that many."""
    folder = DATA / (f"national_{millions:g}m" if region == "ALL" else f"r{region}_{millions:g}m")
    about: dict[str, object] = {"region": region}
    if not (folder / "schema.json").exists():
        whole = FAMILIES_AT_SCALE_1 if region == "ALL" else REGION_FAMILIES_AT_SCALE_1[region]
        scale = millions * 1e6 / whole
        cmd = [SINERGI, "synth", "--out", str(folder), "--format", "parquet", "--region", region]
        cmd += ["--scale", f"{scale:.6f}", "--workers", "2"]
        about["generated"] = timed(cmd)
        print(f"generated {folder.name}: {about['generated']}")
    manifest = json.loads((folder / "schema.json").read_text())
    about["rows"] = manifest.get("jumlah")
    about["bytes"] = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    return folder, about


# The jobs ``batch monitor`` runs in one command.
MONITOR_JOBS = JOBS
# A job's line in the command's output (`batch_selesai`): its rows and its own seconds.
DONE_LINE = re.compile(r"batch (\w+) \((\w+)\): ([\d.]+) baris .*?\(([\d.]+(?:,\d+)?) s\)")


def run_job(job: str, engine: str, folder: Path, memory: str) -> dict[str, object]:
    """One ``sinergi batch <job>`` command, timed. ``monitor`` writes the three results of
    `MONITOR_JOBS` to a folder of its own, each job's seconds as the command printed them, and
    says whether each result holds the rows of its own command's (when that ran before)."""
    out = DATA / (f"out_{folder.name}_{engine}" + ("_monitor" if job == "monitor" else ""))
    written = MONITOR_JOBS if job == "monitor" else (job,)
    for name in written:
        shutil.rmtree(out / name, ignore_errors=True)
    cmd = [SINERGI, "batch", job, "--engine", engine, "--input", str(folder), "--out", str(out)]
    # The batch door records each result in a registry's audit log: the benchmark's own.
    cmd += ["--date", REF, "--memory-limit", memory, "--db", f"sqlite:///{DATA / 'registri.db'}"]
    said: list[str] = []
    result: dict[str, object] = dict(timed(cmd, said))
    rows = {name: ds.dataset(out / name, format="parquet").count_rows() for name in written}
    if job != "monitor":
        result["rows"] = rows[job]
        return result
    result["rows"] = rows
    result["job_seconds"] = {
        name: float(seconds.replace(".", "").replace(",", "."))
        for name, _, _, seconds in DONE_LINE.findall(said[0])
    }
    alone = DATA / f"out_{folder.name}_{engine}"
    result["same_as_own_command"] = {
        name: same_rows(out / name, alone / name) for name in written if (alone / name).is_dir()
    }
    return result


def same_rows(first: Path, second: Path) -> bool:
    """Whether two written results (``<out>/<job>`` folders) hold the same rows (as
    multisets)."""
    import duckdb

    a, b = (str(f / "**" / "*.parquet") for f in (first, second))
    con = duckdb.connect()
    con.execute("SET threads = 2")
    # Within a limit (it spills beyond): without one DuckDB takes 80 % of the machine (20 GB
    # here at 95 M families).
    con.execute("SET memory_limit = '8GB'")
    # It spills into a folder of its own, not the working directory's ``.tmp``.
    spill = tempfile.mkdtemp(prefix="same-rows-")
    con.execute(f"SET temp_directory = '{spill}'")
    differ = con.execute(
        f"SELECT count(*) FROM ((SELECT * FROM read_parquet('{a}') EXCEPT ALL "
        f"SELECT * FROM read_parquet('{b}')) UNION ALL (SELECT * FROM read_parquet('{b}') "
        f"EXCEPT ALL SELECT * FROM read_parquet('{a}')))"
    ).fetchone()
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    return differ is not None and differ[0] == 0


ENGINES = ("duckdb", "spark")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,30,95", help="millions of families, DuckDB")
    ap.add_argument("--spark", default="10", help="sizes (millions) also run on Spark local")
    ap.add_argument("--jobs", default="assess,coverage,missed")
    ap.add_argument("--memory-limit", default="16GB")
    ap.add_argument("--region", default="ALL", help="ALL, or a province (64) for a smaller run")
    args = ap.parse_args()
    jobs = [j for j in args.jobs.split(",") if j]
    spark_sizes = {float(s) for s in args.spark.split(",") if s}
    results: dict[str, object] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = results.setdefault("runs", {})
    assert isinstance(runs, dict)
    for size in (float(s) for s in args.sizes.split(",")):
        folder, about = registry(size, args.region)
        entry = runs.setdefault(
            f"{size:g}M" + ("" if args.region == "ALL" else f" {args.region}"), {}
        )
        entry.update(about)
        for engine in ("duckdb", "spark") if size in spark_sizes else ("duckdb",):
            for job in jobs:
                r = run_job(job, engine, folder, args.memory_limit)
                entry[f"{engine}_{job}"] = r
                print(f"{size:g} M families  {engine:6s} {job:9s} {r}")
                RESULTS.parent.mkdir(parents=True, exist_ok=True)
                RESULTS.write_text(json.dumps(results, indent=2))
        if all(f"duckdb_{job}" in entry for job in MONITOR_JOBS):
            # The three commands one after another, beside `batch monitor` (one command).
            three = sum(entry[f"duckdb_{job}"]["seconds"] for job in MONITOR_JOBS)
            entry["duckdb_three_commands_seconds"] = round(three, 1)
        if size in spark_sizes:
            for job in (j for j in jobs if j != "monitor"):
                d, s = entry[f"duckdb_{job}"], entry[f"spark_{job}"]
                entry[f"spark_over_duckdb_{job}"] = round(s["seconds"] / d["seconds"], 2)
                entry[f"identical_{job}"] = same_rows(
                    *(DATA / f"out_{folder.name}_{e}" / job for e in ENGINES)
                )
    results["machine"] = {"cpus": os.cpu_count(), "memory_limit": args.memory_limit}
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
