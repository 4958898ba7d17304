"""End to end on a synthetic regency: every injected error is reported with the reason the ground
truth expects, every clean row loads, re-importing changes nothing, and the assessment agrees
with the synthetic population's own reference classification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from sinergi.assess.missed import missed
from sinergi.assess.run import assess
from sinergi.registry.importer import import_file
from sinergi.rules import load_ruleset
from sinergi.store.tables import measurements, persons
from sinergi.synth import generate, source_files
from tests.extracted import batch_families, extract_of

REF = date(2026, 8, 31)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(out, seed=7, scale=0.02, ref_date=REF)
    return out


def _import_all(engine, data: Path) -> list[tuple[str, int | None, str | None, str, str]]:  # type: ignore[no-untyped-def]
    found = []
    for kind, path in source_files(data):
        # The synthetic files describe the reference date (else each report notes the assumed date).
        result = import_file(engine, kind, path, as_of=REF)
        assert result.status == "dimuat", (path, result.refusal)
        rel = path.relative_to(data).as_posix()
        found += [(rel, i.baris, i.kolom, i.kode, i.tingkat) for i in result.issues]
    return found


def test_every_injected_error_is_reported_and_every_clean_row_loads(engine, synthetic) -> None:
    found = _import_all(engine, synthetic)
    truth = pd.read_csv(synthetic / "truth" / "errors.csv", dtype=str, keep_default_na=False)
    flagged = truth[truth["tingkat"].isin(["error", "warning"])]
    expected = {(r.file, int(r.baris), r.kolom, r.kode, r.tingkat) for r in flagged.itertuples()}
    assert len(expected) > 100
    assert set(found) == expected  # nothing missed, nothing reported that was not injected

    # Every true person of the rosters whose row carried no error is in the registry.
    people = pd.read_csv(synthetic / "truth" / "persons.csv", dtype=str, keep_default_na=False)
    families = pd.read_csv(synthetic / "truth" / "families.csv", dtype=str, keep_default_na=False)
    registered = set(families.loc[families["in_keluarga"] == "1", "no_kk"])
    with engine.connect() as conn:
        loaded = {r[0] for r in conn.execute(select(persons.c.nik))}
        n_measure = conn.execute(select(func.count()).select_from(measurements)).scalar_one()
    in_rosters = people[people["no_kk"].isin(registered)]
    rejected = {
        (r.file, r.baris)
        for r in flagged.itertuples()
        if r.tingkat == "error" and r.kode != "baris_ganda" and r.file.startswith("keluarga/")
    }
    assert len(loaded) == len(in_rosters) - len(rejected)
    # A NIK changed by an injected warning loads as written; every other one is a true NIK.
    warned = len(
        {
            (r.file, r.baris)
            for r in flagged.itertuples()
            if r.tingkat == "warning"
            and r.file.startswith("keluarga/")
            and r.kode.startswith("nik_")
        }
    )
    assert len(loaded - set(in_rosters["nik"])) <= warned
    assert n_measure > 0

    # Importing everything again changes nothing.
    for kind, path in source_files(synthetic):
        assert import_file(engine, kind, path).status == "sudah"


def test_assessment_agrees_with_the_reference_rule(engine, synthetic, tmp_path) -> None:
    _import_all(engine, synthetic)
    rs = load_ruleset("krs-2024")
    run = assess(engine, rs, REF)
    # The same rule set as `sinergi batch assess` runs it over a Parquet extract gives the
    # identical classification.
    on_duckdb = batch_families(extract_of(engine, tmp_path / "pq"), rs, REF)
    in_db = run.families[on_duckdb.columns]
    assert in_db.equals(on_duckdb)
    truth = pd.read_csv(synthetic / "truth" / "families.csv", dtype=str, keep_default_na=False)
    merged = truth.merge(run.families, on="no_kk", suffixes=("_truth", ""))
    clean = merged[merged["galat"] == ""]  # families none of whose rows had an injected error
    assert len(clean) > 0.8 * len(run.families)

    def codes(text: str, drop: str = "") -> str:
        return ";".join(sorted(c for c in text.split(";") if c and c != drop))

    assert (clean["sasaran"].map(codes) == clean["sasaran_truth"].map(codes)).all()
    # The synthetic truth also lists the regional factor, which krs-2024 leaves switched off.
    truth_factors = clean["faktor_truth"].map(lambda x: codes(x, "rumah_tidak_layak"))
    assert (clean["faktor"].map(codes) == truth_factors).all()
    assert (clean["krs"].astype(int).astype(str) == clean["krs_2024"]).all()
    assert run.counts["krs"] > 0 and run.counts["children_measured"] > 0

    from sinergi.assess.missed import SIGNALS
    from sinergi.assess.pregnancy import CODES as PREGNANCY_CODES

    listed = missed(engine, run.run_id)
    assert set(listed["kode_alasan"]) <= {
        "anak_tidak_terdaftar",
        "anak_bukan_krs",
        "anak_tidak_terhubung",
        "belum_diukur",
        *SIGNALS,
        *PREGNANCY_CODES,
    }
    unregistered = listed[
        listed["kode_alasan"].isin(["anak_tidak_terdaftar", "anak_tidak_terhubung"])
    ]
    assert unregistered["no_kk"].isna().all()
    # Every measured child whose family could not be found is listed (one way or the other).
    kids = run.children
    assert len(unregistered) == int((kids["no_kk"].isna() & kids["under5_at_ref"]).sum()) > 0
    assert listed["alasan"].str.len().min() > 10
