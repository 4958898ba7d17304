"""Person linkage: Splink (our `sinergi.link`) against exact-NIK linkage, in the same run.

1. **The regency** (``--regency``): the synthetic Kutai Timur set (with its identity noise and
   ground truth) is generated and imported through the import door; the assessment runs before
   linking (exact identities only: KK, parent NIK, child NIK) and after `sinergi link`. Reported:
   pairwise precision and recall of the person clusters against the truth, for the linkage and
   for exact-NIK linkage (all records, and the agency-list rows with the roster alone); how many
   stunted children, truly in the roster, the missed list calls unregistered before and after
   (the drop in %); link time.
2. **A million records** (``--million``, in a child process so its peak memory is its own): a
   synthetic population's persons as roster records and noisy copies of others as posyandu
   records (one-digit NIK typos, swapped digits, blank NIKs, spelling variants, swapped day and
   month, another village), 1,000,000 in all, scored with the bundled model and clustered.
   Reported: seconds, peak MiB, precision and recall beside exact-NIK linkage.

Writes ``benchmarks/results/linkage.json``.

    .venv/bin/python benchmarks/linkage_bench.py [--records N] [--skip-regency]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from measured import run_measured  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "linkage.json"
REF = date(2026, 8, 31)


#: Persons the synthetic population holds per resident of the region table at scale 1
#: (measured on Kutai Timur: 427,000 persons for 448,850 residents).
PERSONS_PER_RESIDENT = 427_000 / 448_850


def noisy_records(
    n_total: int, seed: int = 7, region: str = "64.08"
) -> tuple[pd.DataFrame, pd.Series]:
    """Roster records of a synthetic population of ``region`` and noisy posyandu copies of
    others, ``n_total`` in all; with each record's true person."""
    from sinergi.link import EPPGBM, ROSTER
    from sinergi.link.names import normalise
    from sinergi.link.records import COLUMNS
    from sinergi.synth import _population
    from sinergi.synth._names import variant_of
    from sinergi.synth._regions import load_villages

    rng = np.random.default_rng(seed)
    villages = load_villages(region)
    scale = n_total / 2 / (villages.population * PERSONS_PER_RESIDENT) * 1.05
    pop = _population.build(villages, rng, scale, REF)
    p, fam = pop.persons, pop.families
    n_roster = min(len(p), n_total // 2)
    p = p.iloc[:n_roster]
    nik = p["nik"].to_numpy().astype(object)
    kk = fam.loc[p["fid"], "no_kk"].to_numpy().astype(object)
    desa = villages.kode[fam.loc[p["fid"], "village"].to_numpy()].astype(object)
    mother = p["mother"].to_numpy()
    has_mother = (mother >= 0) & np.isin(mother, p.index.to_numpy())
    names = p["nama"].to_numpy().astype(object)
    by_pid = pd.Series(np.arange(len(p)), index=p.index)
    m_idx = np.where(
        has_mother, by_pid.reindex(np.where(has_mother, mother, -1)).fillna(0).astype(int), 0
    )
    nik_ibu = np.where(has_mother, nik[m_idx], None)
    nama_ibu = np.where(has_mother, names[m_idx], None)
    born = pd.to_datetime(p["lahir"]).dt.date.to_numpy()
    sex = np.where(p["female"].to_numpy(), "P", "L").astype(object)
    roster = pd.DataFrame(
        {
            "sumber": ROSTER,
            "kunci": nik,
            "nik": nik,
            "nama": names,
            "tanggal_lahir": born,
            "jenis_kelamin": sex,
            "kode_desa": desa,
            "no_kk": kk,
            "nama_ibu": nama_ibu,
            "nik_ibu": nik_ibu,
        }
    )
    copies = roster.sample(n=n_total - n_roster, replace=True, random_state=seed).reset_index(
        drop=True
    )
    truth_copies = copies["nik"].copy()
    m = len(copies)
    copies["sumber"] = EPPGBM
    copies["kunci"] = [f"c{i}" for i in range(m)]
    copies["no_kk"] = None
    r = rng.random(m)
    niks = copies["nik"].to_numpy().astype(object)
    for i in np.flatnonzero(r < 0.08):  # one digit mistyped
        s = list(niks[i])
        k = int(rng.integers(0, 16))
        s[k] = str((int(s[k]) + int(rng.integers(1, 10))) % 10)
        niks[i] = "".join(s)
    for i in np.flatnonzero((r >= 0.08) & (r < 0.11)):  # two neighbouring digits swapped
        s = list(niks[i])
        k = int(rng.integers(0, 15))
        s[k], s[k + 1] = s[k + 1], s[k]
        niks[i] = "".join(s)
    niks[(r >= 0.11) & (r < 0.21)] = None  # no NIK
    copies["nik"] = niks
    r2 = rng.random(m)
    nm = copies["nama"].to_numpy().astype(object)
    for i in np.flatnonzero(r2 < 0.10):
        nm[i] = variant_of(nm[i], i) or nm[i]
    copies["nama"] = nm
    b = pd.to_datetime(copies["tanggal_lahir"])
    swap = (rng.random(m) < 0.03) & (b.dt.day <= 12)
    swapped = pd.to_datetime(
        {
            "year": b.dt.year,
            "month": b.dt.day.where(swap, b.dt.month),
            "day": b.dt.month.where(swap, b.dt.day),
        }
    )
    copies["tanggal_lahir"] = swapped.dt.date.to_numpy()
    moved = rng.random(m) < 0.05
    copies.loc[moved, "kode_desa"] = rng.choice(villages.kode, moved.sum())
    records = pd.concat([roster, copies], ignore_index=True)
    truth = pd.concat([roster["nik"], truth_copies], ignore_index=True)
    records["unique_id"] = records["sumber"] + ":" + records["kunci"].astype(str)
    normal = normalise(records["nama"])
    records["rapat"], records["depan"] = normal["rapat"].to_numpy(), normal["depan"].to_numpy()
    records["ibu_rapat"] = normalise(records["nama_ibu"])["rapat"].to_numpy()
    truth.index = records["unique_id"].to_numpy()
    records["tanggal_data"] = None
    return records[list(COLUMNS)], truth


def million(n: int) -> dict[str, object]:
    from sinergi.link.model import default_model
    from sinergi.link.quality import pairwise
    from sinergi.link.run import assign, score, statuses

    t0 = time.perf_counter()
    records, truth = noisy_records(n)
    made = time.perf_counter() - t0
    records["digest"] = ""
    t1 = time.perf_counter()
    pairs, _ = score(records, default_model(), None, 0.5, train=False)
    scored = time.perf_counter() - t1
    status, _ = statuses(pairs, 0.95)
    edges = pd.DataFrame(
        {
            "record_l": pairs["unique_id_l"],
            "record_r": pairs["unique_id_r"],
            "probability": pairs["match_probability"],
            "status": status,
        }
    )
    out = assign(records, edges, set(), {})
    seconds = time.perf_counter() - t1
    ours = pairwise(pd.Series(out["cluster_id"].to_numpy(), index=out["record"].to_numpy()), truth)
    exact_key = records["nik"].fillna(records["unique_id"])
    exact = pairwise(pd.Series(exact_key.to_numpy(), index=records["unique_id"].to_numpy()), truth)
    return {
        "records": len(records),
        "make_seconds": round(made, 1),
        "score_seconds": round(scored, 1),
        "link_seconds": round(seconds, 1),
        "pairs_scored": len(pairs),
        "linkage": {"precision": ours.precision, "recall": ours.recall},
        "exact_nik": {"precision": exact.precision, "recall": exact.recall},
    }


def regency(work: Path) -> dict[str, object]:
    from sqlalchemy import select

    from sinergi.assess.prevalence import stunted_mask
    from sinergi.assess.run import assess
    from sinergi.link.quality import evaluate, truth_of_records
    from sinergi.link.records import waiting_children
    from sinergi.link.run import link
    from sinergi.rules import load_ruleset
    from sinergi.security.auth import server_user
    from sinergi.security.imports import import_as
    from sinergi.store.db import ensure_schema
    from sinergi.store.frames import read_frame
    from sinergi.store.tables import assessment_children
    from sinergi.synth import generate, source_files

    data = work / "data"
    generate(data, seed=1, scale=1.0, ref_date=REF)
    engine = ensure_schema(f"sqlite:///{work / 'bench.db'}")
    admin = server_user("bench")
    for kind, path in source_files(data):
        import_as(engine, admin, kind, path, as_of=REF)
    rs = load_ruleset("krs-2024")

    def wrongly_unregistered(truth: pd.Series) -> int:
        """Stunted under-fives the missed list calls unregistered (no family found, no pair
        waiting) although the true child's roster row is stored."""
        run = assess(engine, rs, REF).run_id
        c = assessment_children.c
        with engine.connect() as conn:
            kids = read_frame(conn, select(assessment_children).where(c.run_id == run))
            waiting = waiting_children(conn)
        kids = kids[stunted_mask(kids, REF) & kids["no_kk"].isna()]
        kids = kids[~kids["child_key"].isin(waiting)]
        true_person = ("eppgbm:" + kids["child_key"]).map(truth)
        return int(true_person.isin(registered).sum())

    t0 = time.perf_counter()
    result = link(engine)
    seconds = time.perf_counter() - t0
    truth = truth_of_records(engine, data / "truth").set_index("record")["benar"]
    # Registered: the true child's own roster row is stored (a roster row the importer refused
    # leaves the child truly unregistered, whatever the linkage does).
    registered = set(truth[truth.index.str.startswith("keluarga:")])
    after = wrongly_unregistered(truth)
    ours, exact = evaluate(engine, data / "truth")
    agency_ours, agency_exact = _agency_quality(engine, truth)
    # Exact identities only, as before the linkage: the same assessment without person_links.
    from sinergi.store.tables import link_pairs, person_links

    with engine.begin() as conn:
        conn.execute(person_links.delete())
        conn.execute(link_pairs.delete())
    before = wrongly_unregistered(truth)
    return {
        "records": result.records,
        "link_seconds": round(seconds, 1),
        "trained": result.trained,
        "review_pairs": result.review,
        "linkage": {"precision": ours.precision, "recall": ours.recall},
        "exact_nik": {"precision": exact.precision, "recall": exact.recall},
        "agency_lists": {
            "note": "pairs among agency-list rows and roster persons only",
            "linkage": {"precision": agency_ours.precision, "recall": agency_ours.recall},
            "exact_nik": {"precision": agency_exact.precision, "recall": agency_exact.recall},
        },
        "stunted_wrongly_unregistered": {
            "exact": before,
            "linkage": after,
            "drop_pct": round(100 * (before - after) / before, 1) if before else None,
        },
        "model": json.loads(_latest_model(engine)),
    }


def _agency_quality(engine, truth: pd.Series):  # type: ignore[no-untyped-def]
    """Pairwise precision and recall over the agency-list rows and roster persons only, for the
    linkage and for exact NIK."""
    from sqlalchemy import select

    from sinergi.link.quality import exact_clusters, pairwise
    from sinergi.store.frames import read_frame
    from sinergi.store.tables import person_links

    pl = person_links.c
    with engine.connect() as conn:
        links = read_frame(conn, select(pl.record, pl.cluster_id, pl.sumber))
    links = links[links["sumber"].isin(("intervensi", "keluarga"))]
    ours = pd.Series(links["cluster_id"].to_numpy(), index=links["record"].to_numpy())
    exact = exact_clusters(engine).reindex(links["record"].to_numpy())
    return pairwise(ours, truth), pairwise(exact, truth)


def _latest_model(engine) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sinergi.store.tables import link_runs

    with engine.connect() as conn:
        return conn.execute(select(link_runs.c.model).order_by(link_runs.c.id.desc())).scalar()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--million", action="store_true", help="(child process) the scale run")
    parser.add_argument("--skip-regency", action="store_true")
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the regency's files and database here")
    args = parser.parse_args()
    if args.million:
        print(json.dumps(million(args.records)))
        return
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.skip_million:
            cmd = [sys.executable, __file__, "--million", "--records", str(args.records)]
            run = run_measured(cmd, Path(tmp), env=dict(os.environ))
            if run.exit != 0:
                raise SystemExit(run.output)
            scale = json.loads(run.output.strip().splitlines()[-1])
            scale["peak_mib"] = round(run.peak_mib)
            results["million"] = scale
            print(json.dumps(scale, indent=1))
        if not args.skip_regency:
            regency_result = regency(work)
            model = regency_result.pop("model")
            (work / "link_model.json").write_text(json.dumps(model, indent=1))
            results["regency"] = regency_result
            print(json.dumps(regency_result, indent=1))
    if RESULTS.exists():
        results = {**json.loads(RESULTS.read_text()), **results}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
