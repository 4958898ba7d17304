"""Delivery workflow speed: 10,000 beneficiary status changes through the ``intervensi`` import
(one file, one transaction, every row checked against the workflow) on the whole synthetic Kutai
Timur regency, beside the same changes made one by one through `change_status` (what a loop over
the CLI or the API amounts to: a transaction, a version check, an event and an audit row each).

The database is a copy of the assessment benchmark's regency (benchmarks/.data/kutim.db, built by
assess_bench.py); the year's proposals come from the real allocation of every family programme,
topped up with extra `usulan` rows so that 10,000 distinct beneficiaries can move. Both contenders
start from the same copy, and the resulting proposal tables are compared row by row.

    .venv/bin/python benchmarks/deliver_bench.py [--changes 10000]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
SOURCE = DATA / "kutim.db"
BASE = DATA / "deliver-base.db"
RESULTS = ROOT / "benchmarks" / "results" / "deliver.json"


def _base(changes: int) -> None:
    """The regency with the year's proposals, all at `usulan`, at least `changes` of them."""
    from sinergi.demo.year import allocate_all
    from sinergi.store.db import ensure_schema
    from sinergi.store.tables import assessment_families, assessment_runs, proposals

    if BASE.exists():
        return
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} missing: run benchmarks/assess_bench.py first")
    shutil.copyfile(SOURCE, BASE)
    engine = ensure_schema(f"sqlite:///{BASE}")
    with engine.connect() as conn:
        run_id = conn.execute(select(func.max(assessment_runs.c.id))).scalar_one()
    allocate_all(engine, run_id)
    with engine.begin() as conn:
        have = conn.execute(select(func.count()).select_from(proposals)).scalar_one()
        taken = {
            r[0]
            for r in conn.execute(
                select(proposals.c.no_kk).where(proposals.c.kode_program == "kb-tpk")
            )
        }
        extra = conn.execute(
            select(
                assessment_families.c.no_kk,
                assessment_families.c.kode_desa,
                assessment_families.c.faktor,
            )
            .where(assessment_families.c.run_id == run_id, assessment_families.c.krs.is_(True))
            .order_by(assessment_families.c.no_kk)
        ).all()
        now = datetime.now(UTC)
        rows = [
            {
                "kode_program": "kb-tpk",
                "periode": "2026",
                "no_kk": kk,
                "kode_desa": desa,
                "run_id": run_id,
                "status": "usulan",
                "biaya": 150_000,
                "faktor": faktor,
                "alasan": "bench",
                "created_at": now,
                "versi": 1,
                "asal": "alokasi",
            }
            for kk, desa, faktor in extra
            if kk not in taken
        ][: max(0, changes - have)]
        if rows:
            conn.execute(insert(proposals), rows)
    engine.dispose()


def _copy(name: str) -> str:
    target = DATA / f"deliver-{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(BASE, target)
    return f"sqlite:///{target}"


def _changes(url: str, n: int) -> pd.DataFrame:
    from sinergi.store.db import make_engine
    from sinergi.store.frames import read_frame
    from sinergi.store.tables import proposals

    engine = make_engine(url)
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            select(proposals.c.kode_program, proposals.c.no_kk, proposals.c.kode_desa)
            .where(proposals.c.status == "usulan")
            .order_by(proposals.c.id)
            .limit(n),
        )
    engine.dispose()
    if len(frame) < n:
        raise SystemExit(f"only {len(frame)} proposals to change")
    return frame


def _state(url: str) -> pd.DataFrame:
    from sinergi.store.db import make_engine
    from sinergi.store.frames import read_frame
    from sinergi.store.tables import proposals

    engine = make_engine(url)
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            select(
                proposals.c.kode_program, proposals.c.no_kk, proposals.c.status, proposals.c.versi
            ).order_by(proposals.c.kode_program, proposals.c.no_kk),
        )
    engine.dispose()
    return frame


def run_import(url: str, todo: pd.DataFrame, folder: Path) -> float:
    from sinergi.deliver.bulk import apply_intervention_rows
    from sinergi.registry.importer import import_file
    from sinergi.store.db import make_engine

    path = folder / "status-musdes.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Kode Program", "No KK", "Kode Desa", "Tanggal", "Status", "Keterangan"])
        for r in todo.itertuples(index=False):
            w.writerow(
                [r.kode_program, r.no_kk, r.kode_desa, "2026-09-15", "Terverifikasi", "musdes"]
            )
    engine = make_engine(url)
    t0 = time.perf_counter()
    result = import_file(engine, "intervensi", path, user="bench", apply=apply_intervention_rows)
    seconds = time.perf_counter() - t0
    engine.dispose()
    assert result.status == "dimuat" and result.rows_rejected == 0, result.issues[:3]
    return seconds


def run_single(url: str, todo: pd.DataFrame) -> float:
    from sinergi.deliver.workflow import change_status
    from sinergi.store.db import make_engine

    engine = make_engine(url)
    t0 = time.perf_counter()
    for r in todo.itertuples(index=False):
        change_status(
            engine,
            r.kode_program,
            r.no_kk,
            "terverifikasi",
            oleh="bench",
            catatan="musdes",
            sumber="cli",
        )
    seconds = time.perf_counter() - t0
    engine.dispose()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=10_000)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    _base(args.changes)
    url_a, url_b = _copy("import"), _copy("single")
    todo = _changes(url_a, args.changes)
    t_import = run_import(url_a, todo, DATA)
    t_single = run_single(url_b, todo)
    a, b = _state(url_a), _state(url_b)
    same = a.equals(b)
    moved = int((a["status"] == "terverifikasi").sum())
    result = {
        "changes": args.changes,
        "import_seconds": round(t_import, 2),
        "single_seconds": round(t_single, 2),
        "ratio_single_over_import": round(t_single / t_import, 1),
        "goal_seconds": 10,
        "same_final_state": same,
        "proposals_now_terverifikasi": moved,
        "database": "SQLite (benchmarks/.data copy of the regency)",
    }
    print(json.dumps(result, indent=2))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
