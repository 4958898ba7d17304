"""Coverage and convergence speed: ``sinergi.monitor.coverage`` on the whole synthetic Kutai Timur
regency (≈124,000 families, two assessment runs, ≈20,000 proposals in mixed statuses, the
imported agency lists, a few operating water projects) beside the straightforward alternative: read
every row into pandas and walk the families one by one in Python, looking each family's delivery
records up in dictionaries. Both must give the same table (checked, every column); stunting figures
are also checked against the assessment summary (`kecamatan_assessment`). Timings are the median
of 5 runs per level. Writes benchmarks/results/coverage.json.

The database is a copy of the assessment benchmark's regency (benchmarks/.data/kutim.db, built by
assess_bench.py) so that file is left as it is; delivery records are added once, with a fixed seed.

    .venv/bin/python benchmarks/coverage_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, insert, select

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
SOURCE = DATA / "kutim.db"
DB = DATA / "coverage.db"
RESULTS = ROOT / "benchmarks" / "results" / "coverage.json"
REF = date(2026, 8, 31)
PREVIOUS_REF = date(2026, 2, 28)
N_PROPOSALS = 20_000
STATUSES = ("usulan", "terverifikasi", "disetujui", "tersalurkan", "ditolak")
STATUS_P = (0.2, 0.15, 0.2, 0.4, 0.05)


# --- the regency database ------------------------------------------------------------------------


def build(seed: int = 7) -> Engine:
    """Copy the assessed regency, make sure it has two runs, add proposals and projects."""
    from sinergi.store.db import ensure_schema
    from sinergi.store.tables import assessment_runs, proposals

    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} missing: run benchmarks/assess_bench.py first")
    if not DB.exists():
        shutil.copyfile(SOURCE, DB)
    engine = ensure_schema(f"sqlite:///{DB}")
    with engine.connect() as conn:
        runs = conn.execute(select(func.count()).select_from(assessment_runs)).scalar_one()
        have = conn.execute(select(func.count()).select_from(proposals)).scalar_one()
    if runs < 2:
        from sinergi.assess.run import assess
        from sinergi.rules import load_ruleset

        rs = load_ruleset("krs-2024")
        for ref in (PREVIOUS_REF, REF)[runs:]:
            assess(engine, rs, ref)
    if have == 0:
        _add_delivery(engine, np.random.default_rng(seed))
    return engine


def _add_delivery(engine: Engine, rng: np.random.Generator) -> None:
    from sinergi.store.bulk import bulk_insert
    from sinergi.store.tables import (
        assessment_families,
        project_households,
        projects,
        proposals,
    )

    f = assessment_families.c
    now = datetime.now(UTC)
    with engine.connect() as conn:
        run_id = conn.execute(select(func.max(f.run_id))).scalar_one()
        fam = pd.DataFrame(
            conn.execute(
                select(
                    f.no_kk,
                    f.kode_desa,
                    f.faktor,
                    f.krs,
                    f.miskin_ekstrem,
                    f.jumlah_balita_stunting,
                ).where(f.run_id == run_id)
            ).all(),
            columns=["no_kk", "kode_desa", "faktor", "krs", "miskin_ekstrem", "stunting"],
        )
    fam["krs"] = fam["krs"].astype(bool)
    fam["miskin_ekstrem"] = fam["miskin_ekstrem"].astype(bool)
    has = {
        code: fam["faktor"].str.contains(code, regex=False)
        for code in ("tidak_kb_modern", "air_minum_tidak_layak")
    }
    # Each programme proposed to the kind of family it is for, as the allocation stage would.
    pools = {
        "kb-tpk": fam[fam["krs"] & has["tidak_kb_modern"]],
        "blt-dd": fam[fam["miskin_ekstrem"]],
        "bantuan-tunai-baznas": fam[fam["miskin_ekstrem"] & fam["krs"]],
        "pmt-dinkes": fam[fam["stunting"] > 0],
        "bedah-rumah": fam[fam["krs"]].sample(frac=0.2, random_state=1),
    }
    candidates = pd.concat(
        [p[["no_kk", "kode_desa"]].assign(kode_program=code) for code, p in pools.items()],
        ignore_index=True,
    )
    chosen = candidates.iloc[
        rng.choice(len(candidates), min(N_PROPOSALS, len(candidates)), replace=False)
    ]
    status = rng.choice(STATUSES, len(chosen), p=STATUS_P)
    rows = [
        (r.kode_program, "2026", r.no_kk, r.kode_desa, run_id, s, 1_000_000, "", "bench", now)
        for r, s in zip(chosen.itertuples(index=False), status, strict=True)
    ]
    villages = sorted(fam.loc[fam["krs"] & has["air_minum_tidak_layak"], "kode_desa"].unique())
    picked = rng.choice(villages, 12, replace=False)
    with engine.begin() as conn:
        bulk_insert(
            conn,
            proposals,
            (
                "kode_program",
                "periode",
                "no_kk",
                "kode_desa",
                "run_id",
                "status",
                "biaya",
                "faktor",
                "alasan",
                "created_at",
            ),
            rows,
        )
        for i, desa in enumerate(picked):
            pid = conn.execute(
                insert(projects)
                .values(
                    kode_program="air-bersih",
                    kode_desa=str(desa),
                    periode="2026",
                    status="beroperasi" if i < 8 else "konstruksi",
                    updated_at=now,
                    updated_by="bench",
                )
                .returning(projects.c.id)
            ).scalar_one()
            here = fam[fam["kode_desa"] == desa]
            # Most families without safe water get a house connection, some others too.
            connected = pd.concat(
                [
                    here[has["air_minum_tidak_layak"].loc[here.index]].sample(
                        frac=0.8, random_state=i
                    ),
                    here.sample(frac=0.1, random_state=i),
                ]
            ).drop_duplicates("no_kk")
            conn.execute(
                insert(project_households),
                [
                    {"project_id": pid, "no_kk": kk, "tersambung": REF, "oleh": "bench"}
                    for kk in connected["no_kk"]
                ],
            )


# --- the straightforward alternative --------------------------------------------------------------


def naive_coverage(engine: Engine, level: str) -> pd.DataFrame:
    """Every row read, every family walked in Python with dictionary look-ups."""
    from sinergi.assess.prevalence import wilson
    from sinergi.core.ages import months_before
    from sinergi.core.growth import STUNTED
    from sinergi.monitor.coverage import LEVELS
    from sinergi.rules.ruleset import FACTOR_CODES
    from sinergi.store.frames import read_frame
    from sinergi.store.tables import (
        assessment_children,
        assessment_families,
        assessment_runs,
        families,
        interventions,
        persons,
        project_households,
        projects,
        proposals,
        regions,
    )
    from sinergi.targeting.programmes import load_catalogue

    n = LEVELS[level]
    need = {code: p.need for code, p in load_catalogue().items()}
    with engine.connect() as conn:
        runs = conn.execute(
            select(assessment_runs.c.id, assessment_runs.c.reference_date)
            .order_by(assessment_runs.c.id.desc())
            .limit(2)
        ).all()
        af = assessment_families.c
        fams = {
            r.id: read_frame(
                conn,
                select(
                    af.no_kk, af.kode_desa, af.sasaran, af.faktor, af.krs, af.miskin_ekstrem
                ).where(af.run_id == r.id),
            )
            for r in runs
        }
        kids = {
            r.id: read_frame(
                conn,
                select(
                    assessment_children.c.kode_desa,
                    assessment_children.c.tanggal_lahir,
                    assessment_children.c.status_tbu,
                    assessment_children.c.flags,
                ).where(assessment_children.c.run_id == r.id),
            )
            for r in runs
        }
        props = read_frame(
            conn, select(proposals.c.no_kk, proposals.c.kode_program, proposals.c.status)
        )
        inter = read_frame(
            conn,
            select(
                interventions.c.no_kk,
                interventions.c.nik,
                interventions.c.kode_program,
                interventions.c.status,
            ),
        )
        known = set(read_frame(conn, select(families.c.no_kk))["no_kk"])
        nik_kk = dict(
            conn.execute(
                select(persons.c.nik, persons.c.no_kk).where(
                    persons.c.nik.in_(inter["nik"].dropna().unique().tolist())
                )
            ).all()
        )
        proj = read_frame(
            conn,
            select(project_households.c.no_kk, projects.c.kode_program, projects.c.status).join(
                projects, projects.c.id == project_households.c.project_id
            ),
        )
        names = dict(conn.execute(select(regions.c.kode, regions.c.nama)).all())

    records: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for r in props.itertuples(index=False):
        records[r.no_kk].append(("p", r.kode_program, r.status))
    for r in inter.itertuples(index=False):
        kk = r.no_kk if r.no_kk in known else nik_kk.get(r.nik)
        if kk is not None:
            records[kk].append(("i", r.kode_program, r.status))
    for r in proj.itertuples(index=False):
        records[r.no_kk].append(("h", r.kode_program, r.status))

    def per_family(run_id: int) -> pd.DataFrame:
        rows = []
        for r in fams[run_id].itertuples(index=False):
            fired = [c for c in r.faktor.split(";") if c]
            met, progress, any_int, reached = set(), set(), False, False
            for source, program, status in records.get(r.no_kk, ()):
                if source == "h":
                    any_int = reached = True
                    if status == "beroperasi":
                        met |= {"air_minum_tidak_layak", need.get(program)}
                    continue
                if source == "p" and status in ("terverifikasi", "disetujui", "tersalurkan"):
                    any_int = True
                if source == "i" and status not in ("ditolak", "usulan"):
                    any_int = True
                if status == "tersalurkan":
                    reached = True
                    met.add(need.get(program))
                elif status == "disetujui":
                    progress.add(need.get(program))
            row = {
                "area": r.kode_desa[:n],
                "keluarga": 1,
                "keluarga_sasaran": int(r.sasaran != ""),
                "krs": int(r.krs),
                "miskin_ekstrem": int(r.miskin_ekstrem),
            }
            for code in FACTOR_CODES:
                perlu = bool(r.krs) and code in fired
                row[f"perlu_{code}"] = int(perlu)
                row[f"terpenuhi_{code}"] = int(perlu and code in met)
                row[f"proses_{code}"] = int(perlu and code not in met and code in progress)
            row["konvergen"] = int(bool(r.krs) and bool(fired) and all(c in met for c in fired))
            row["krs_tanpa_intervensi"] = int(bool(r.krs) and not any_int)
            row["miskin_ekstrem_tanpa_bantuan"] = int(bool(r.miskin_ekstrem) and not reached)
            rows.append(row)
        return pd.DataFrame(rows).groupby("area").sum()

    def children(run_id: int, ref: date) -> pd.DataFrame:
        k = kids[run_id]
        k = k[pd.to_datetime(k["tanggal_lahir"]) > pd.Timestamp(months_before(ref, 60))]
        ok = ~k["flags"].fillna("").str.split(";").apply(lambda f: "tbu" in f)
        return (
            k.assign(
                area=k["kode_desa"].str[:n],
                balita_diukur=(k["status_tbu"].notna() & ok).astype(int),
                balita_stunting=(k["status_tbu"].isin(STUNTED) & ok).astype(int),
            )
            .groupby("area")[["balita_diukur", "balita_stunting"]]
            .sum()
        )

    (cur, cur_ref), (prev, prev_ref) = runs[0], runs[1]
    out = per_family(cur).join(children(cur, cur_ref), how="outer").fillna(0).astype(int)
    fired_any = set(";".join(fams[cur]["faktor"]).split(";"))
    out = out.drop(
        columns=[
            c
            for c in out.columns
            if c.split("_", 1)[0] in ("perlu", "terpenuhi", "proses")
            and c.split("_", 1)[1] not in fired_any
        ]
    )
    before = per_family(prev).join(children(prev, prev_ref), how="outer").fillna(0).astype(int)
    before = before.reindex(out.index, fill_value=0)
    rows = []
    for area, r in out.iterrows():
        ci = wilson(r["balita_stunting"], r["balita_diukur"])
        b = before.loc[area]
        rows.append(
            {
                "kode_wilayah": area,
                "nama_wilayah": names.get(area),
                **r.to_dict(),
                "konvergensi_pct": 100 * r["konvergen"] / r["krs"] if r["krs"] else None,
                "prevalensi_stunting_pct": (
                    100 * r["balita_stunting"] / r["balita_diukur"] if r["balita_diukur"] else None
                ),
                "ci95_bawah_pct": 100 * ci[0] if ci else None,
                "ci95_atas_pct": 100 * ci[1] if ci else None,
                "krs_sebelumnya": b["krs"],
                "perubahan_krs": r["krs"] - b["krs"],
                "prevalensi_sebelumnya_pct": (
                    100 * b["balita_stunting"] / b["balita_diukur"] if b["balita_diukur"] else None
                ),
                "konvergensi_sebelumnya_pct": 100 * b["konvergen"] / b["krs"] if b["krs"] else None,
            }
        )
    return pd.DataFrame(rows)


# --- checks and timing --------------------------------------------------------------------------


def same(fast: pd.DataFrame, slow: pd.DataFrame) -> list[str]:
    """Columns (and their first differing area) where the two tables disagree."""
    slow = slow.set_index("kode_wilayah").reindex(fast["kode_wilayah"])
    bad = []
    for col in fast.columns:
        if col == "kode_wilayah":
            continue
        a = pd.Series(fast[col].to_numpy(), index=fast["kode_wilayah"])
        b = slow[col] if col in slow else pd.Series(np.nan, index=slow.index)
        for area in a.index:
            x, y = a[area], b[area]
            if (x is None or pd.isna(x)) and (y is None or pd.isna(y)):
                continue
            if isinstance(x, str) or isinstance(y, str):
                if x != y:
                    bad.append(f"{col}@{area}")
                    break
            elif x is None or y is None or pd.isna(y) or abs(float(x) - float(y)) > 1e-9:
                bad.append(f"{col}@{area}: {x} vs {y}")
                break
    return bad


def timed(fn: Any, repeat: int) -> tuple[float, float, Any]:
    """Median wall and median CPU seconds. SQLite runs inside this process, so CPU time is the
    work done; it is reported too because the benchmark machine may be shared with other jobs."""
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from sinergi.assess.summary import kecamatan_assessment
    from sinergi.monitor import coverage, missed_by_programmes, totals
    from sinergi.store.tables import (
        assessment_families,
        interventions,
        project_households,
        proposals,
    )

    t0 = time.perf_counter()
    engine = build()
    with engine.connect() as conn:

        def count(table: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

        sizes = {
            "families_per_run": int(
                conn.execute(
                    select(func.count()).where(
                        assessment_families.c.run_id
                        == select(func.max(assessment_families.c.run_id)).scalar_subquery()
                    )
                ).scalar_one()
            ),
            "proposals": count(proposals),
            "interventions": count(interventions),
            "project_households": count(project_households),
        }
        by_status = dict(
            conn.execute(
                select(proposals.c.status, func.count()).group_by(proposals.c.status)
            ).all()
        )
    print(f"database ready in {time.perf_counter() - t0:.1f} s: {sizes}, proposals {by_status}")
    coverage(engine)  # warm: imports, programme catalogue, SQLite page cache

    results: dict[str, Any] = {
        "database": {**sizes, "proposals_by_status": by_status},
        "repeat": args.repeat,
        "levels": {},
    }
    print(
        f"{'level':10s} {'areas':>6s} {'coverage':>10s} {'(cpu)':>8s} {'naive':>9s} "
        f"{'(cpu)':>8s} {'ratio':>7s}  same"
    )
    for level in ("desa", "kecamatan", "kabupaten"):
        fast_s, fast_cpu, fast = timed(lambda lv=level: coverage(engine, level=lv), args.repeat)
        slow_s, slow_cpu, slow = timed(
            lambda lv=level: naive_coverage(engine, lv), max(1, args.repeat // 2)
        )
        diff = same(fast, slow)
        results["levels"][level] = {
            "areas": len(fast),
            "coverage_s": round(fast_s, 4),
            "coverage_cpu_s": round(fast_cpu, 4),
            "naive_s": round(slow_s, 4),
            "naive_cpu_s": round(slow_cpu, 4),
            "ratio": round(slow_s / fast_s, 1),
            "identical": not diff,
            "differences": diff,
            "goal_s": 1.0,
            "within_goal": fast_s < 1.0,
        }
        print(
            f"{level:10s} {len(fast):6d} {fast_s:9.3f}s {fast_cpu:7.3f}s {slow_s:8.2f}s "
            f"{slow_cpu:7.2f}s {slow_s / fast_s:6.1f}x  {diff or 'yes'}"
        )
    kec = coverage(engine, level="kecamatan")
    summary = kecamatan_assessment(engine, kec.attrs["run_id"])
    summary = summary[summary["kode"] != ""].set_index("kode")
    stunting_ok = bool(
        (kec.set_index("kode_wilayah")["balita_diukur"] == summary["anak_diukur"]).all()
        and (kec.set_index("kode_wilayah")["balita_stunting"] == summary["stunting"]).all()
    )
    scoped_s, _, scoped = timed(
        lambda: coverage(engine, level="desa", prefixes=["64.08.01"]), args.repeat
    )
    missed_s, _, missed = timed(lambda: missed_by_programmes(engine), args.repeat)
    total = totals(coverage(engine, level="desa"))
    results |= {
        "stunting_matches_assessment_summary": stunting_ok,
        "scoped_one_kecamatan": {"areas": len(scoped), "coverage_s": round(scoped_s, 4)},
        "missed_by_programmes": {"rows": len(missed), "seconds": round(missed_s, 4)},
        "totals": {
            k: (round(v, 2) if isinstance(v, float) else v)
            for k, v in total.items()
            if k
            in (
                "keluarga",
                "krs",
                "konvergen",
                "konvergensi_pct",
                "krs_tanpa_intervensi",
                "miskin_ekstrem_tanpa_bantuan",
                "prevalensi_stunting_pct",
                "ci95_bawah_pct",
                "ci95_atas_pct",
            )
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
    }
    print(
        f"one kecamatan (prefix 64.08.01): {len(scoped)} villages in {scoped_s:.3f} s; "
        f"missed_by_programmes: {len(missed):,} families in {missed_s:.3f} s; "
        f"stunting = assessment summary: {stunting_ok}"
    )
    print("regency totals:", results["totals"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"→ {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
