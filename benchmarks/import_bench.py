"""Import the whole synthetic Kutai Timur set into SQLite and PostgreSQL, beside a naive
``pandas.read_excel``/``read_csv`` + ``to_sql`` of the same files, in the same run.

Each contender runs in its own child process so its peak memory (max RSS) is its own. Reports
wall time, rows/s and peak memory; writes ``benchmarks/results/import.json``. PostgreSQL comes
from SINERGI_TEST_PG_URL or is started with .ci/pg-start.

    .venv/bin/python benchmarks/import_bench.py [--scale 1.0] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "import.json"


def child(mode: str, data: Path, url: str) -> None:
    """Runs inside the child process: one contender, timing printed as JSON."""
    from sinergi.synth import source_files

    files = source_files(data)
    t0 = time.perf_counter()
    rows = 0
    if mode == "sinergi":
        from sinergi.registry.importer import import_file
        from sinergi.store.db import ensure_schema

        engine = ensure_schema(url)
        t0 = time.perf_counter()  # schema creation is set-up, not import
        for kind, path in files:
            rows += import_file(engine, kind, path).rows_read
    else:
        import pandas as pd
        from sqlalchemy import create_engine

        from sinergi.store.db import normalize_url

        engine = create_engine(normalize_url(url))
        for kind, path in files:
            if path.suffix == ".xlsx":
                frame = pd.read_excel(path, dtype=str, header=1 if kind == "p3ke" else 0)
            else:
                frame = pd.read_csv(path, dtype=str)
            # One table per file: the files' headers differ (aliases), as they do in real life.
            frame.to_sql(
                f"naive_{path.stem}"[:60], engine, if_exists="replace", index=False, chunksize=5000
            )
            rows += len(frame)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mib": peak}))


def run(mode: str, data: Path, url: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--data", str(data), "--url", url],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rows_per_s"] = result["rows"] / result["seconds"]
    return result


def pg_database() -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = (
        os.environ.get("SINERGI_TEST_PG_URL")
        or subprocess.run(
            [str(ROOT / ".ci" / "pg-start")], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"sinergi_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return url.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / ".data" / "kutim")
    ap.add_argument("--child")
    ap.add_argument("--url")
    ap.add_argument("--resume", action="store_true", help="keep contenders already measured")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.data, args.url)
        return

    from sinergi.synth import generate

    if not (args.data / "truth" / "summary.json").exists():
        print(f"synth → {args.data}")
        generate(args.data, seed=1, scale=args.scale)
    tmp = ROOT / "benchmarks" / ".data"
    results: dict[str, dict] = {}
    done = json.loads(RESULTS.read_text()) if RESULTS.exists() and args.resume else {}
    for backend in ("sqlite", "postgresql"):
        for mode in ("sinergi", "naive"):
            if f"{mode}_{backend}" in done:
                results[f"{mode}_{backend}"] = done[f"{mode}_{backend}"]
                continue
            if backend == "sqlite":
                db = tmp / f"{mode}-{uuid.uuid4().hex[:6]}.db"
                url = f"sqlite:///{db}"
            else:
                url = pg_database()
            r = run(mode, args.data, url)
            results[f"{mode}_{backend}"] = r
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=2))
            print(
                f"{mode:8s} {backend:10s} {r['seconds']:7.1f} s  {r['rows_per_s']:10,.0f} rows/s"
                f"  peak {r['peak_mib']:7.0f} MiB  ({r['rows']:,} rows)"
            )
            if backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
    for backend in ("sqlite", "postgresql"):
        ratio = results[f"naive_{backend}"]["seconds"] / results[f"sinergi_{backend}"]["seconds"]
        results[f"speed_vs_naive_{backend}"] = {"ratio": ratio}
        print(
            f"{backend}: sinergi (validating, upserting, with provenance) vs naive load: "
            f"{ratio:.2f}x"
        )
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "scale": args.scale,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
