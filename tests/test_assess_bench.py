"""The assessment benchmark's pandas contender (`benchmarks/assess_bench.py`, `pandas_krs`) runs
the rules the app runs: family by family the same sasaran, factors, KRS and extreme poverty as the
app's stored assessment of a synthetic regency in SQLite, and as the app on every edge case of
`tests/test_couples.py` (SQLite and PostgreSQL), under the shipped rule set and each parameter's
other value."""

from __future__ import annotations

import importlib.util
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import create_engine, select

from sinergi.assess.run import assess, evaluate_families, rules_backend
from sinergi.rules import RuleSet, load_ruleset
from sinergi.store.tables import families, persons, pregnancies
from tests.conftest import SYNTH_REF
from tests.regency import import_regency, merge_p3ke
from tests.test_couples import ALTERNATIVES, CASES, REF, loaded, variant  # noqa: F401

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "assess_bench.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("assess_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench()


def codes(text: Any) -> frozenset[str]:
    return frozenset(filter(None, str(text or "").split(";")))


def same(app: pd.DataFrame, ours: pd.DataFrame) -> None:
    """Identical families; per No. KK the same sasaran set, factor set, KRS, extreme poverty."""
    app = app.set_index("no_kk") if "no_kk" in app else app
    assert sorted(app.index) == sorted(ours.index)
    ours = ours.loc[app.index]
    for col in ("sasaran", "faktor"):
        a, o = app[col].map(codes), ours[col].map(codes)
        assert a.equals(o), (col, app.index[a != o][:5].tolist())
    for col in ("krs", "miskin_ekstrem"):
        a, o = app[col].astype(bool), ours[col].astype(bool)
        assert a.equals(o), (col, app.index[a != o][:5].tolist())
    # The set of sasaran codes is the target: nothing else (`compile_assessment`).
    assert (ours["target"] == (ours["sasaran"] != "")).all()


@pytest.fixture(scope="module")
def regency(tmp_path_factory: pytest.TempPathFactory, synth_regency: Path) -> Path:
    """The synthetic regency imported into SQLite, with a few P3KE-only families merged into a
    roster KK as the linkage does (`sinergi.link.golden`), and assessed by the app."""
    from sinergi.store.db import ensure_schema, get_engine

    path = tmp_path_factory.mktemp("assessbench") / "regency.db"
    engine = import_regency(ensure_schema(f"sqlite:///{path}"), synth_regency)
    with engine.begin() as conn:
        assert merge_p3ke(conn, 5) == 5
    assess(engine, load_ruleset("krs-2024"), SYNTH_REF)
    engine.dispose()
    get_engine.cache_clear()
    return path


def test_pandas_contender_agrees_with_the_stored_run(regency: Path) -> None:
    con = sqlite3.connect(regency)
    try:
        fam, per, preg = tables = bench.read_tables(con)
        ours = bench.pandas_krs(*tables, load_ruleset("krs-2024"), SYNTH_REF)
        app = pd.read_sql(
            "select no_kk, sasaran, faktor, krs, miskin_ekstrem from assessment_families", con
        )
        agreement = bench.agreement(con, tables, ours)
    finally:
        con.close()
    same(app, ours)
    assert agreement is not None and agreement["differ"] == 0
    assert agreement["only_app"] == agreement["only_pandas"] == 0
    assert agreement["families"] == len(app) == len(fam) - 5  # the merged P3KE families left out

    # The regency exercises what the rules decide: every enabled factor and sasaran fires, some
    # KKs hold two couples, some wives are pregnant by a dated record only.
    fired = ours["faktor"].map(codes).explode().value_counts()
    assert set(load_ruleset("krs-2024").enabled_factors) <= set(fired.index)
    assert set(ours["sasaran"].map(codes).explode().dropna()) == {
        "pus",
        "pus_hamil",
        "baduta",
        "balita",
    }
    wives = per[(per.jenis_kelamin == "P") & (per.status_kawin == "kawin")]
    assert wives.groupby("no_kk").size().max() >= 2
    assert len(preg) > 0 and not preg["nik"].isin(per.loc[per["hamil"] == 1, "nik"]).all()


@pytest.mark.parametrize("ref", [SYNTH_REF - timedelta(days=200), SYNTH_REF + timedelta(days=183)])
def test_pandas_contender_agrees_at_other_reference_dates(regency: Path, ref: date) -> None:
    """Six months on and seven months back: other pregnancies current, other children under two."""
    rs = load_ruleset("krs-2024")
    con = sqlite3.connect(regency)
    try:
        tables = bench.read_tables(con)
    finally:
        con.close()
    engine = create_engine(f"sqlite:///{regency}")
    try:
        app = evaluate_families(rules_backend(engine), rs, ref)
    finally:
        engine.dispose()
    same(app, bench.pandas_krs(*tables, rs, ref))


def _contender(engine: Any, rs: RuleSet) -> pd.DataFrame:
    with engine.connect() as conn:
        tables = [
            pd.read_sql(select(*(t.c[c] for c in cols)), conn)
            for t, cols in (
                (families, (*bench.FAMILY_COLUMNS, "digabung_ke")),
                (persons, bench.PERSON_COLUMNS),
                (pregnancies, bench.PREGNANCY_COLUMNS),
            )
        ]
    return bench.pandas_krs(*tables, rs, REF)


def test_pandas_contender_agrees_on_every_couple_case(loaded) -> None:  # noqa: F811
    rs = load_ruleset("krs-2024")
    app = evaluate_families(rules_backend(loaded), rs, REF)
    same(app, _contender(loaded, rs))
    assert len(app) == len(CASES)


@pytest.mark.parametrize(("change", "name"), [(a[0], a[1]) for a in ALTERNATIVES])
def test_pandas_contender_follows_each_parameter(loaded, change, name) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    change = dict(change)
    rs = variant(load_ruleset("krs-2024"), change.pop("sasaran", None), **change)
    same(evaluate_families(rules_backend(loaded), rs, REF), _contender(loaded, rs))
