"""Assessment speed: (1) the whole synthetic Kutai Timur regency assessed in the SQLite app
database (rules evaluated by SQLite through Ibis, growth z-scores, results stored), beside a
pandas implementation of the same rules over the same tables; (2) the same rule set on DuckDB over
Parquet for 10 M synthetic families (≈ 36 M persons), streamed to Parquet under a 3 GB cap, beside
pandas on a 1 M-family slice (extrapolated; pandas holding 36 M rows in memory is the thing a
national job cannot afford). Each contender runs in its own process for an honest peak RSS.
Writes benchmarks/results/assess.json.

    .venv/bin/python benchmarks/assess_bench.py [--families 10000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
RESULTS = ROOT / "benchmarks" / "results" / "assess.json"
REF = date(2026, 8, 31)
SAFE = ["kemasan", "ledeng", "sumur_bor", "sumur_terlindung"]
MODERN = ["mow", "mop", "iud", "implan", "suntik", "pil", "kondom"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the alternative: the krs-2024 rules written directly in pandas -----------------------------


def pandas_krs(fam: pd.DataFrame, per: pd.DataFrame) -> pd.DataFrame:
    b = pd.to_datetime(per["tanggal_lahir"])
    not_yet = (b.dt.month * 100 + b.dt.day) > (REF.month * 100 + REF.day)
    per = per.assign(
        age_y=REF.year - b.dt.year - not_yet.astype(int),
        age_m=(REF.year - b.dt.year) * 12
        + (REF.month - b.dt.month)
        - (b.dt.day > REF.day).astype(int),
    )
    wives = per[
        (per.jenis_kelamin == "P")
        & (per.status_kawin == "kawin")
        & per.hubungan.isin(["istri", "kepala_keluarga"])
        & per.age_y.between(15, 49)
    ]
    wives = (
        wives.assign(r=(wives.hubungan != "istri").astype(int))
        .sort_values(["no_kk", "r", "nik"])
        .drop_duplicates("no_kk")
    )
    wife = wives.set_index("no_kk")
    hus = per[
        (per.jenis_kelamin == "L")
        & (per.status_kawin == "kawin")
        & per.hubungan.isin(["kepala_keluarga", "suami"])
    ]
    h_modern = hus[hus.kontrasepsi.isin(MODERN)].no_kk.unique()
    kids = per[per.hubungan == "anak"]
    n_kids = kids.groupby("no_kk").size()
    births = (
        kids[["no_kk", "tanggal_lahir"]]
        .drop_duplicates()
        .sort_values(["no_kk", "tanggal_lahir"], ascending=[True, False])
    )
    births["rn"] = births.groupby("no_kk").cumcount()
    b1 = pd.to_datetime(births[births.rn == 0].set_index("no_kk").tanggal_lahir)
    b2 = pd.to_datetime(births[births.rn == 1].set_index("no_kk").tanggal_lahir)
    b1 = b1.reindex(b2.index)
    spacing = (
        (b1.dt.year - b2.dt.year) * 12
        + (b1.dt.month - b2.dt.month)
        - (b1.dt.day < b2.dt.day).astype(int)
    )
    young = (
        per.assign(bd=per.age_m.between(0, 23), bl=per.age_m.between(24, 59))
        .groupby("no_kk")[["bd", "bl"]]
        .any()
        .rename(columns={"bd": "baduta", "bl": "balita"})
    )
    f = fam.set_index("no_kk")
    has_wife = f.index.isin(wife.index)
    w_age = wife.age_y.reindex(f.index)
    preg = wife.hamil.reindex(f.index).astype("boolean").fillna(False).astype(bool)
    target = (
        has_wife
        | young.baduta.reindex(f.index, fill_value=False)
        | young.balita.reindex(f.index, fill_value=False)
    )
    factors = pd.DataFrame(
        {
            "air": f.sumber_air.notna() & ~f.sumber_air.isin(SAFE),
            "jamban": f.jamban.isin(["tanpa_septik", "tidak_ada"]),
            "muda": has_wife & (w_age < 20),
            "tua": has_wife & w_age.between(35, 40),
            "dekat": has_wife & (spacing.reindex(f.index) < 24),
            "banyak": has_wife & (n_kids.reindex(f.index).fillna(0) >= 4),
            "kb": has_wife
            & ~preg
            & ~wife.kontrasepsi.reindex(f.index).isin(MODERN)
            & ~f.index.isin(h_modern),
            "desil": f.desil == 1,
        }
    ).fillna(False)
    return pd.DataFrame({"krs": target & factors.any(axis=1), "target": target})


# --- contenders (each in its own process) -------------------------------------------------------


def child_sqlite(db: Path) -> dict:
    from sinergi.assess.run import assess
    from sinergi.rules import load_ruleset
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(f"sqlite:///{db}")
    t0 = time.perf_counter()
    run = assess(engine, load_ruleset("krs-2024"), REF)
    return {"seconds": time.perf_counter() - t0, "peak_mib": peak_mib(), **run.counts}


def child_pandas_sqlite(db: Path) -> dict:
    import sqlite3

    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    fam = pd.read_sql("select no_kk, sumber_air, jamban, desil from families", con)
    per = pd.read_sql(
        "select nik, no_kk, jenis_kelamin, tanggal_lahir, hubungan, status_kawin,"
        " hamil, kontrasepsi from persons",
        con,
    )
    out = pandas_krs(fam, per)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mib": peak_mib(),
        "krs": int(out.krs.sum()),
        "target": int(out.target.sum()),
        "note": "rules only: no growth z-scores, nothing stored",
    }


def child_duckdb(folder: Path) -> dict:
    from sinergi.engines.duckdb_parquet import assess_parquet_to_parquet
    from sinergi.rules import load_ruleset

    t0 = time.perf_counter()
    counts = assess_parquet_to_parquet(
        folder / "families.parquet",
        folder / "persons.parquet",
        load_ruleset("krs-2024"),
        REF,
        folder / "result.parquet",
    )
    return {"seconds": time.perf_counter() - t0, "peak_mib": peak_mib(), **counts}


def child_pandas_parquet(folder: Path) -> dict:
    t0 = time.perf_counter()
    fam = pd.read_parquet(folder / "families_1m.parquet")
    per = pd.read_parquet(folder / "persons_1m.parquet")
    out = pandas_krs(fam, per)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mib": peak_mib(),
        "families": len(fam),
        "krs": int(out.krs.sum()),
    }


CHILDREN = {
    "sqlite": child_sqlite,
    "pandas_sqlite": child_pandas_sqlite,
    "duckdb": child_duckdb,
    "pandas_parquet": child_pandas_parquet,
}


def run(name: str, arg: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, str(arg)], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- big synthetic registry on Parquet ----------------------------------------------------------


def write_national(folder: Path, n_families: int, seed: int = 1) -> None:
    """n families of 1–8 members with plausible ages, relations and attributes, in chunks."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    chunk = 1_000_000
    fam_w = per_w = None
    ref = np.datetime64(REF.isoformat())
    water = np.array(SAFE + ["sumur_tak_terlindung", "sungai_danau", "mata_air"])
    latrine = np.array(["sendiri_septik", "bersama_septik", "tanpa_septik", "tidak_ada"])
    methods = np.array(MODERN + ["tidak_kb", "mal", "tradisional"])
    for start in range(0, n_families, chunk):
        n = min(chunk, n_families - start)
        kk = np.char.add("64", np.char.zfill((start + np.arange(n)).astype(str), 14))
        fam = pa.table(
            {
                "no_kk": kk,
                "kode_desa": np.full(n, "64.08.04.2001"),
                "sumber_air": water[
                    rng.choice(len(water), n, p=[0.3, 0.25, 0.2, 0.13, 0.05, 0.04, 0.03])
                ],
                "jamban": latrine[rng.choice(4, n, p=[0.75, 0.12, 0.08, 0.05])],
                "rumah_layak": rng.random(n) > 0.1,
                "desil": np.where(rng.random(n) < 0.4, rng.integers(1, 5, n), 0),
                "pengeluaran_per_kapita": rng.integers(200_000, 3_000_000, n),
            }
        )
        fam = fam.set_column(
            5,
            "desil",
            pa.array(
                np.where(fam["desil"].to_numpy() == 0, None, fam["desil"].to_numpy()),
                type=pa.int64(),
            ),
        )
        kids = rng.integers(0, 5, n)
        couple = rng.random(n) < 0.8
        wife_age = rng.integers(18, 60, n) * 365 + rng.integers(0, 365, n)
        size = couple * 2 + (~couple) * 1 + kids
        fam_idx = np.repeat(np.arange(n), size)
        pos = np.arange(len(fam_idx)) - np.repeat(np.cumsum(size) - size, size)
        is_head = pos == 0
        is_wife = couple[fam_idx] & (pos == 1)
        is_kid = ~is_head & ~is_wife
        kid_no = pos - np.where(couple[fam_idx], 2, 1)
        age_days = np.where(
            is_head,
            wife_age[fam_idx] + 1500,
            np.where(
                is_wife,
                wife_age[fam_idx],
                np.maximum(kid_no * 900 + rng.integers(0, 700, len(pos)), 0),
            ),
        )
        birth = (ref - age_days.astype("timedelta64[D]")).astype("datetime64[D]")
        m = len(fam_idx)
        per = pa.table(
            {
                "nik": np.char.add("64", np.char.zfill((start * 8 + np.arange(m)).astype(str), 14)),
                "no_kk": kk[fam_idx],
                "jenis_kelamin": np.where(
                    is_head, "L", np.where(is_wife, "P", np.where(rng.random(m) < 0.5, "L", "P"))
                ),
                "tanggal_lahir": birth,
                "hubungan": np.where(
                    is_head, "kepala_keluarga", np.where(is_wife, "istri", "anak")
                ),
                "status_kawin": np.where(is_kid, "belum_kawin", "kawin"),
                "hamil": is_wife & (rng.random(m) < 0.05),
                "kontrasepsi": np.where(is_wife, methods[rng.integers(0, len(methods), m)], None),
            }
        )
        if fam_w is None:
            fam_w = pq.ParquetWriter(folder / "families.parquet", fam.schema)
            per_w = pq.ParquetWriter(folder / "persons.parquet", per.schema)
        fam_w.write_table(fam)
        per_w.write_table(per)
        if start == 0:
            pq.write_table(fam, folder / "families_1m.parquet")
            pq.write_table(per, folder / "persons_1m.parquet")
    fam_w.close()
    per_w.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2)
    ap.add_argument("--families", type=int, default=10_000_000)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return

    results: dict[str, object] = {}
    db = DATA / "kutim.db"
    if not db.exists():
        from sinergi.registry.importer import import_file
        from sinergi.store.db import ensure_schema
        from sinergi.synth import generate, source_files

        data = DATA / "kutim"
        if not (data / "truth" / "summary.json").exists():
            generate(data, seed=1, scale=1.0)
        engine = ensure_schema(f"sqlite:///{db}")
        for kind, path in source_files(data):
            import_file(engine, kind, path)
    for name in ("sqlite", "pandas_sqlite"):
        results[f"regency_{name}"] = r = run(name, db)
        print(
            f"regency  {name:15s} {r['seconds']:6.2f} s  peak {r['peak_mib']:6.0f} MiB  "
            f"krs={r['krs']:,}"
        )

    big = DATA / f"national_{args.families}"
    if not (big / "persons.parquet").exists():
        t0 = time.perf_counter()
        write_national(big, args.families)
        print(f"wrote {args.families:,} families in {time.perf_counter() - t0:.0f} s")
    results["national_duckdb"] = r = run("duckdb", big)
    print(
        f"national duckdb   {r['seconds']:6.2f} s  peak {r['peak_mib']:6.0f} MiB  "
        f"families={r['families']:,} krs={r['krs']:,}"
    )
    results["national_pandas_1m_slice"] = p = run("pandas_parquet", big)
    est = p["seconds"] * args.families / p["families"]
    p["extrapolated_seconds"] = est
    print(
        f"pandas 1M slice   {p['seconds']:6.2f} s  peak {p['peak_mib']:6.0f} MiB  "
        f"→ ~{est:.0f} s for {args.families:,} (if memory allowed)"
    )
    results["machine"] = {"cpus": os.cpu_count(), "families": args.families}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
