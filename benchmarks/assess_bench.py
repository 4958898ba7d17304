"""Assessment speed: the whole synthetic Kutai Timur regency assessed in the SQLite app database
(`sinergi.assess.run.assess`: the rules, growth z-scores, results stored), beside a vectorised
pandas implementation of the same rule set (`pandas_krs`: every couple of a KK, dated
pregnancies, unmet need) over the same tables, checked family by family against the app's stored
run, and beside the family rules alone on DuckDB and in SQLite. Each contender runs in its own
process for an honest peak RSS. Writes benchmarks/results/assess.json. (The same rules over a
national Parquet extract, `sinergi batch assess`, are measured by benchmarks/national_bench.py.)

    .venv/bin/python benchmarks/assess_bench.py [--db DEMO.db] [--repeat 5]
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
from typing import Any

import numpy as np
import pandas as pd

from sinergi.core.ages import months_before, years_before
from sinergi.rules import SASARAN_CODES, RuleSet, load_ruleset
from sinergi.rules.compile import (
    FAMILY_COLUMNS,
    NO_CHILD_SOON,
    PERSON_COLUMNS,
    PREGNANCY_COLUMNS,
    PREGNANCY_GRACE_DAYS,
    modern_methods,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
RESULTS = ROOT / "benchmarks" / "results" / "assess.json"
REF = date(2026, 8, 31)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the alternative: the rule set written directly in vectorised pandas ------------------------
# The contender decides every rule itself, over whole columns: ages, couples, pregnancies, unmet
# need. What it shares with the app is what the rules are *about*: the parameters of the loaded
# rule set, the birth-date cutoffs of `sinergi.core.ages`, the modern methods and the wishes
# that leave a need (`sinergi.rules.compile`).

# Per couple kind ('h': the head's couple, 'c': a married child's couple), the roster relations
# of the wife, of her husband and of the couple's children (`compile.couple_features`).
WIFE_OF = {"h": ("istri", "kepala_keluarga"), "c": ("menantu", "anak")}
HUSBAND_OF = {"h": ("kepala_keluarga", "suami"), "c": ("anak", "menantu")}
CHILD_OF = {"h": "anak", "c": "cucu"}
NAT = np.datetime64("NaT", "D")


def _dates(col: pd.Series) -> np.ndarray:
    """A date column (text from SQLite, dates from Parquet) as datetime64[D]; NaT when missing."""
    return pd.to_datetime(col, errors="coerce").to_numpy("datetime64[D]")


def _day(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def _aged(born: np.ndarray, ref: date, low: int, high: int, months: bool = False) -> np.ndarray:
    """low ≤ completed age ≤ high at ``ref``, compared as birth dates (`sinergi.core.ages`)."""
    before = months_before if months else years_before
    return (born <= _day(before(ref, low))) & (born > _day(before(ref, high + 1)))


def _months_apart(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
    """Completed months from ``earlier`` to ``later`` (NaN where either is missing)."""
    a, b = pd.DatetimeIndex(later), pd.DatetimeIndex(earlier)
    months = (a.year - b.year) * 12 + (a.month - b.month) - (a.day < b.day)
    return np.asarray(months, dtype=float)


def _isin(values: np.ndarray, options: Any) -> np.ndarray:
    """Membership by hashing (NumPy's ``isin`` compares object arrays pairwise: minutes)."""
    return pd.Series(values, copy=False).isin(list(options)).to_numpy()


def _labels(flags: dict[str, np.ndarray]) -> np.ndarray:
    """Per row the codes whose flag is set, joined with ';' in the order given."""
    bits = np.zeros(len(next(iter(flags.values()))), dtype=np.int64)
    for i, flag in enumerate(flags.values()):
        bits |= flag.astype(np.int64) << i
    distinct, at = np.unique(bits, return_inverse=True)
    names = list(flags)
    text = [";".join(c for i, c in enumerate(names) if int(v) >> i & 1) for v in distinct]
    return np.array(text, dtype=object)[at.reshape(-1)]


def pandas_krs(
    fam: pd.DataFrame, per: pd.DataFrame, preg: pd.DataFrame | None, rs: RuleSet, ref: date
) -> pd.DataFrame:
    """The rule set ``rs`` at ``ref`` over families, persons and dated pregnancies (the columns
    of `FAMILY_COLUMNS`, `PERSON_COLUMNS` and `PREGNANCY_COLUMNS`; ``ingin_anak``,
    ``tanggal_data`` and ``digabung_ke`` may be absent, ``preg`` None: unknown, unknown, none,
    none). Per family (index ``no_kk``, sorted): ``sasaran`` and ``faktor`` (';'-joined codes in
    the canonical order), ``target``, ``krs`` and ``miskin_ekstrem``.

    Every married woman of PUS age is a couple judged on its own (her age, pregnancy and wish
    for a child, her and her husband's contraception, her children's count and spacing); a
    P3KE family merged into a roster KK (``digabung_ke``) is not assessed.
    """
    s, f, enabled = rs.sasaran, rs.factors, rs.enabled_factors
    modern = modern_methods(rs)
    if "digabung_ke" in fam:
        fam = fam[fam["digabung_ke"].isna()]
    fam = fam.assign(no_kk=fam["no_kk"].astype(str)).sort_values("no_kk")
    n = len(fam)
    at = pd.Index(fam["no_kk"]).get_indexer(per["no_kk"].astype(str))
    per = per[at >= 0]
    at = at[at >= 0]

    def any_of(mask: np.ndarray, where: np.ndarray = at) -> np.ndarray:
        """Per family: does any of the masked rows belong to it."""
        return np.bincount(where[mask], minlength=n) > 0

    def latest(mask: np.ndarray, born: np.ndarray) -> np.ndarray:
        """Per family the latest birth of the masked persons (NaT: none)."""
        out = np.full(n, NAT)
        got = pd.Series(born[mask]).groupby(at[mask]).max()
        out[got.index.to_numpy()] = got.to_numpy("datetime64[D]")
        return out

    born = _dates(per["tanggal_lahir"])
    rel = per["hubungan"].to_numpy(object)
    kawin = (per["status_kawin"] == "kawin").to_numpy()
    modern_use = per["kontrasepsi"].isin(modern).to_numpy()
    husband = (per["jenis_kelamin"] == "L").to_numpy() & kawin & modern_use
    baduta = any_of(_aged(born, ref, 0, s.baduta_max_months, months=True))
    balita = any_of(_aged(born, ref, s.balita_min_months, s.balita_max_months, months=True))

    # Per couple kind and family: the children's count, youngest and second-youngest birth
    # (twins are one birth), and whether a husband uses a modern method.
    kinds: dict[str, dict[str, np.ndarray]] = {}
    for g, child in CHILD_OF.items():
        is_child = rel == child
        b1 = latest(is_child, born)
        kinds[g] = {
            "n": np.bincount(at[is_child], minlength=n),
            "b1": b1,
            "b2": latest(is_child & (born < b1[at]), born),
            "hm": any_of(husband & _isin(rel, HUSBAND_OF[g])),
        }

    # The couples: every married woman of PUS age, whatever her relation to the head.
    wife = (per["jenis_kelamin"] == "P").to_numpy() & kawin
    wife &= _aged(born, ref, s.pus_min_age, s.pus_max_age)
    w_at, w_born, w_rel = at[wife], born[wife], rel[wife]
    pregnant = per["hamil"].astype("boolean").fillna(False).to_numpy(bool)[wife]
    if "tanggal_data" in per:  # the undated roster flag counts while the data are recent
        data_date = _dates(per["tanggal_data"])[wife]
        recent = _day(months_before(ref, s.pregnancy_flag_valid_months))
        pregnant &= np.isnat(data_date) | (data_date >= recent)
    if preg is not None and len(preg):
        until = _day(date.fromordinal(ref.toordinal() - PREGNANCY_GRACE_DAYS))
        current = (_dates(preg["hpht"]) <= _day(ref)) & (
            _dates(preg["taksiran_persalinan"]) >= until
        )
        w_nik = per["nik"].astype(str).to_numpy(object)[wife]
        pregnant |= _isin(w_nik, preg["nik"].astype(str).to_numpy(object)[current])

    def of_couple(name: str, none: object) -> np.ndarray:
        """Each wife's value from her couple kind; ``none`` for a wife of neither kind."""
        out = np.full(len(w_at), none, dtype=kinds["h"][name].dtype)
        for g, rels in WIFE_OF.items():
            mine = _isin(w_rel, rels)
            out[mine] = kinds[g][name][w_at[mine]]
        return out

    b1, b2 = of_couple("b1", NAT), of_couple("b2", NAT)
    fired: dict[str, np.ndarray] = {}
    for code in enabled:
        p = f[code]
        if code == "terlalu_muda":
            fired[code] = w_born > _day(years_before(ref, p.need("below_age")))
        elif code == "terlalu_tua":
            fired[code] = _aged(w_born, ref, p.need("from_age"), p.need("to_age"))
        elif code == "terlalu_dekat":
            close = _months_apart(b1, b2) < p.need("below_months")
            if p.youngest_max_months is not None:
                close &= b1 > _day(months_before(ref, p.youngest_max_months))
            fired[code] = close
        elif code == "terlalu_banyak":
            fired[code] = of_couple("n", 0) >= p.need("min_children")
        elif code == "tidak_kb_modern":
            need = ~modern_use[wife] & ~of_couple("hm", False)
            if p.pregnant_exempt:
                need &= ~pregnant
            if p.mode == "unmet_need" and "ingin_anak" in per:
                wish = per["ingin_anak"].to_numpy(object)[wife]
                need &= pd.isna(wish) | _isin(wish, NO_CHILD_SOON)
            fired[code] = need

    sasaran = {
        "pus": any_of(np.ones(len(w_at), bool), w_at),
        "pus_hamil": any_of(pregnant, w_at),
        "baduta": baduta,
        "balita": balita,
    }
    target = sasaran["pus"] | sasaran["baduta"] | sasaran["balita"]
    water = fam["sumber_air"]
    factors: dict[str, np.ndarray] = {}
    for code in enabled:
        p = f[code]
        if code in fired:
            hit = any_of(fired[code], w_at)
        elif code == "air_minum_tidak_layak":
            safe = list(p.need("safe")) + (["air_hujan"] if p.air_hujan_safe else [])
            hit = (water.notna() & ~water.isin(safe)).to_numpy()
        elif code == "jamban_tidak_layak":
            hit = fam["jamban"].isin(p.need("unsafe")).to_numpy()
        elif code == "desil_1":
            hit = fam["desil"].isin(p.need("deciles")).to_numpy()
        elif code == "rumah_tidak_layak":
            hit = fam["rumah_layak"].astype("boolean").eq(False).fillna(False).to_numpy(bool)
        else:
            raise AssertionError(code)
        factors[code] = target & hit
    krs = np.zeros(n, dtype=bool)
    for hit in factors.values():
        krs |= hit
    ep = rs.extreme_poverty
    spending = pd.to_numeric(fam["pengeluaran_per_kapita"])
    miskin = fam["desil"].isin(ep.deciles) | (spending < ep.line_rp_per_capita_month)
    return pd.DataFrame(
        {
            "sasaran": _labels({c: sasaran[c] for c in SASARAN_CODES}),
            "faktor": _labels(factors) if factors else np.full(n, "", dtype=object),
            "target": target,
            "krs": krs,
            "miskin_ekstrem": miskin.to_numpy(),
        },
        index=pd.Index(fam["no_kk"].to_numpy(), name="no_kk"),
    )


# --- contenders (each in its own process) -------------------------------------------------------


def child_sqlite(db: Path) -> dict:
    from sinergi.assess.run import assess
    from sinergi.rules import load_ruleset
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(f"sqlite:///{db}")
    t0 = time.perf_counter()
    run = assess(engine, load_ruleset("krs-2024"), REF)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mib": peak_mib(),
        **run.counts,
    }


def _rules_only(db: Path, in_sqlite: bool) -> dict:
    """The family rules alone (no children, nothing stored, no couple texts: SQLite has no list
    aggregate to write them): evaluated by SQLite itself through Ibis, or as the app does on
    SQLite (columns read by the ADBC worker, DuckDB evaluates)."""
    import ibis

    from sinergi.assess.run import evaluate_families, rules_backend
    from sinergi.rules import load_ruleset
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(f"sqlite:///{db}")
    rs = load_ruleset("krs-2024")
    t0 = time.perf_counter()
    con = ibis.sqlite.connect(str(db)) if in_sqlite else rules_backend(engine)
    out = evaluate_families(con, rs, REF, pasangan=False)
    return {
        "seconds": time.perf_counter() - t0,
        "peak_mib": peak_mib(),
        "krs": int(out["krs"].sum()),
        "note": "family rules only, without the couple texts",
    }


def child_rules_in_sqlite(db: Path) -> dict:
    return _rules_only(db, in_sqlite=True)


def child_rules_app(db: Path) -> dict:
    return _rules_only(db, in_sqlite=False)


def read_tables(con: Any) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Families, persons and dated pregnancies: the columns the rules read, from SQLite."""

    def read(table: str, cols: tuple[str, ...]) -> pd.DataFrame:
        return pd.read_sql(f"select {', '.join(cols)} from {table}", con)

    return (
        read("families", (*FAMILY_COLUMNS, "digabung_ke")),
        read("persons", PERSON_COLUMNS),
        read("pregnancies", PREGNANCY_COLUMNS),
    )


def agreement(con: Any, tables: tuple[pd.DataFrame, ...], ours: pd.DataFrame) -> dict | None:
    """The contender beside the app's newest stored run (None without one): families whose
    sasaran, factors, KRS or extreme poverty differ. ``ours`` is the contender's result at
    `REF`; at another reference date (a later run) the contender is run again, untimed."""
    run = pd.read_sql(
        "select id, ruleset_id, ruleset_digest, reference_date from assessment_runs"
        " order by id desc limit 1",
        con,
    )
    if run.empty:
        return None
    run_id, ruleset_id, digest, ref = run.iloc[0]
    rs = load_ruleset(ruleset_id)
    ref = date.fromisoformat(str(ref)[:10])
    if ref != REF or ruleset_id != "krs-2024":
        ours = pandas_krs(*tables, rs, ref)
    app = pd.read_sql(
        "select no_kk, sasaran, faktor, krs, miskin_ekstrem from assessment_families"
        " where run_id = ?",
        con,
        params=(int(run_id),),
    ).set_index("no_kk")
    both = app.index.intersection(ours.index)
    a, o = app.loc[both], ours.loc[both]
    differ = (
        (a["sasaran"] != o["sasaran"])
        | (a["faktor"] != o["faktor"])
        | (a["krs"].astype(bool) != o["krs"])
        | (a["miskin_ekstrem"].astype(bool) != o["miskin_ekstrem"])
    )
    return {
        "run_id": int(run_id),
        "reference_date": ref.isoformat(),
        "same_rule_file": digest == rs.digest,
        "families": len(app),
        "only_app": len(app.index.difference(ours.index)),
        "only_pandas": len(ours.index.difference(app.index)),
        "differ": int(differ.sum()),
        "krs_app": int(app["krs"].astype(bool).sum()),
        "krs_pandas": int(ours.loc[ours.index.isin(app.index), "krs"].sum()),
    }


def child_pandas_sqlite(db: Path) -> dict:
    import sqlite3

    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    tables = read_tables(con)
    out = pandas_krs(*tables, load_ruleset("krs-2024"), REF)
    seconds, peak = time.perf_counter() - t0, peak_mib()
    return {
        "seconds": seconds,
        "peak_mib": peak,
        "families": len(out),
        "target": int(out.target.sum()),
        "krs": int(out.krs.sum()),
        "miskin_ekstrem": int(out.miskin_ekstrem.sum()),
        "agreement_with_app": agreement(con, tables, out),
        "note": "rules only: no growth z-scores, nothing stored",
    }


CHILDREN = {
    "rules_in_sqlite": child_rules_in_sqlite,
    "rules_app": child_rules_app,
    "sqlite": child_sqlite,
    "pandas_sqlite": child_pandas_sqlite,
}


def run(name: str, arg: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, str(arg)], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2)
    ap.add_argument("--db", type=Path, help="the regency database to assess (default: built)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per regency contender")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](Path(args.child[1]))))
        return

    results: dict[str, object] = {}
    regency(results, args.db, args.repeat)
    results["machine"] = {"cpus": os.cpu_count()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(f"→ {RESULTS}")


def copy_db(source: Path, target: Path) -> None:
    """``source`` copied to ``target`` by SQLite's backup (its WAL included)."""
    import sqlite3

    for old in (
        target,
        target.with_name(target.name + "-wal"),
        target.with_name(target.name + "-shm"),
    ):
        old.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def regency(results: dict[str, object], given: Path | None, repeat: int = 5) -> None:
    db = DATA / "kutim.db"
    if given is not None:
        # A copy: the contenders store their runs there.
        DATA.mkdir(parents=True, exist_ok=True)
        copy_db(given, db)
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
        from sinergi.link.run import link

        link(engine)  # as the demo does: e-PPGBM children and P3KE families find their KKs
    # The app's run stores its rows: each of its runs starts from the same database (a copy
    # made once, restored before each run), not one grown by the runs before it.
    pristine = DATA / "kutim.pristine.db"
    copy_db(db, pristine)
    for name in ("sqlite", "pandas_sqlite", "rules_in_sqlite", "rules_app"):
        # Each contender `repeat` times; the median run is reported, with every run's seconds
        # in the order run (a 2-core virtual machine's timings vary by a few tenths).
        runs = []
        for _ in range(repeat):
            if name == "sqlite":
                copy_db(pristine, db)
            runs.append(run(name, db))
        ranked = sorted(runs, key=lambda r: r["seconds"])
        r = ranked[len(ranked) // 2] | {"runs_seconds": [round(x["seconds"], 2) for x in runs]}
        results[f"regency_{name}"] = r
        print(
            f"regency  {name:15s} {r['seconds']:6.2f} s (runs {r['runs_seconds']})  "
            f"peak {r['peak_mib']:6.0f} MiB  krs={r['krs']:,}"
        )
    agree = results["regency_pandas_sqlite"]["agreement_with_app"]  # type: ignore[index]
    print(f"regency  pandas beside the app's run: {agree}")


if __name__ == "__main__":
    main()
