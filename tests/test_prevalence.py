"""One definition of who counts: the measured population and the stunting / wasting / underweight
prevalence of `sinergi.assess.prevalence`, its SQL and pandas back ends held to each other and to
hand-computed cases, and every reader of a stored run (assessment run and summary, missed
children, coverage, priority index, dashboard) counting the same children on a seeded regency."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, insert, select

from sinergi.assess import prevalence as pv
from sinergi.core.ages import months_before
from sinergi.core.growth import STUNTED
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    assessment_runs,
    families,
    measurements,
)
from tests.conftest import SYNTH_REF, copy_sqlite, named_pg_database
from tests.stored import insert_child, insert_run

REF = SYNTH_REF
CUT = months_before(REF, 60)  # 2021-08-31: born on or before it, five or older at REF
V1, V2 = "64.08.01.2001", "64.08.01.2002"

# Hand-made rows of assessment_children: key → (born, measured on, status_tbu, status_bbtb,
# status_bbu, flags), and what each counts as: (measured TB/U, stunted, measured BB/TB, wasted,
# measured BB/U, underweight) with no window, and measured TB/U within a 12-month window.
CHILDREN: dict[str, tuple[date, date, str | None, str | None, str | None, str | None]] = {
    "normal": (date(2024, 1, 1), date(2026, 8, 1), "normal", "normal", "normal", ""),
    "pendek": (date(2024, 1, 1), date(2026, 8, 1), "pendek", "normal", "normal", ""),
    "sangat_pendek": (
        date(2023, 1, 1),
        date(2026, 8, 1),
        "sangat_pendek",
        "gizi_buruk",
        "kurang",
        "",
    ),
    "tinggi": (date(2023, 1, 1), date(2026, 8, 1), "tinggi", "obesitas", "risiko_lebih", ""),
    "flag_tbu": (
        date(2023, 1, 1),
        date(2026, 8, 1),
        "sangat_pendek",
        "gizi_kurang",
        "kurang",
        "tbu",
    ),
    "flag_bbtb": (date(2023, 1, 1), date(2026, 8, 1), "pendek", "gizi_buruk", "normal", "bbtb"),
    "flag_all": (
        date(2023, 1, 1),
        date(2026, 8, 1),
        "pendek",
        "gizi_kurang",
        "sangat_kurang",
        "tbu;bbu;bbtb;imtu",
    ),
    "flag_imtu": (date(2023, 1, 1), date(2026, 8, 1), "pendek", "normal", "normal", "imtu"),
    "flags_null": (date(2023, 1, 1), date(2026, 8, 1), "pendek", "normal", "normal", None),
    "no_height": (date(2023, 1, 1), date(2026, 8, 1), None, None, "kurang", ""),
    "exactly_five": (CUT, date(2026, 8, 1), "pendek", "gizi_kurang", "kurang", ""),
    "a_day_under_five": (
        CUT + timedelta(days=1),
        date(2026, 8, 1),
        "pendek",
        "gizi_kurang",
        "kurang",
        "",
    ),
    "over_five": (date(2020, 1, 1), date(2024, 6, 1), "sangat_pendek", "normal", "kurang", ""),
    "measured_long_ago": (date(2023, 6, 1), date(2024, 1, 15), "pendek", "normal", "normal", ""),
    "measured_a_year_ago": (
        date(2023, 6, 1),
        months_before(REF, 12),
        "pendek",
        "normal",
        "normal",
        "",
    ),
}
COUNTS: dict[str, tuple[bool, bool, bool, bool, bool, bool, bool]] = {
    "normal": (True, False, True, False, True, False, True),
    "pendek": (True, True, True, False, True, False, True),
    "sangat_pendek": (True, True, True, True, True, True, True),
    "tinggi": (True, False, True, False, True, False, True),
    "flag_tbu": (False, False, True, True, True, True, False),
    "flag_bbtb": (True, True, False, False, True, False, True),
    "flag_all": (False, False, False, False, False, False, False),
    "flag_imtu": (True, True, True, False, True, False, True),
    "flags_null": (True, True, True, False, True, False, True),
    "no_height": (False, False, False, False, True, True, False),
    "exactly_five": (False, False, False, False, False, False, False),
    "a_day_under_five": (True, True, True, True, True, True, True),
    "over_five": (False, False, False, False, False, False, False),
    "measured_long_ago": (True, True, True, False, True, False, False),
    "measured_a_year_ago": (True, True, True, False, True, False, True),
}
FRAME_COLUMNS = [
    "tanggal_lahir",
    "tanggal_ukur",
    "status_tbu",
    "status_bbtb",
    "status_bbu",
    "flags",
]


def _frame() -> pd.DataFrame:
    return pd.DataFrame.from_dict(CHILDREN, orient="index", columns=FRAME_COLUMNS)


def _expected(column: int) -> set[str]:
    return {k for k, v in COUNTS.items() if v[column]}


MASKS = {
    0: lambda f: pv.measured_mask(f, REF, "tbu"),
    1: lambda f: pv.stunted_mask(f, REF),
    2: lambda f: pv.measured_mask(f, REF, "bbtb"),
    3: lambda f: pv.wasted_mask(f, REF),
    4: lambda f: pv.measured_mask(f, REF, "bbu"),
    5: lambda f: pv.underweight_mask(f, REF),
}
CONDITIONS = {
    0: lambda c: pv.measured(c, REF, "tbu"),
    1: lambda c: pv.stunted(c, REF),
    2: lambda c: pv.measured(c, REF, "bbtb"),
    3: lambda c: pv.wasted(c, REF),
    4: lambda c: pv.measured(c, REF, "bbu"),
    5: lambda c: pv.underweight(c, REF),
}


def test_window_is_named_and_off() -> None:
    # Every figure published so far counted the latest measurement however old: no window.
    assert pv.WINDOW_MONTHS is None
    assert pv.UNDER_FIVE_MONTHS == 60


@pytest.mark.parametrize("column", sorted(MASKS))
def test_masks_hand_computed(column: int) -> None:
    frame = _frame()
    got = set(frame.index[MASKS[column](frame)])
    assert got == _expected(column)


def test_window_drops_old_measurements(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame()
    monkeypatch.setattr(pv, "WINDOW_MONTHS", 12)
    got = set(frame.index[pv.measured_mask(frame, REF, "tbu")])
    assert got == _expected(6)
    assert "measured_a_year_ago" in got and "measured_long_ago" not in got


def test_unknown_indicator_is_refused() -> None:
    with pytest.raises(ValueError, match="indicator"):
        pv.measured_mask(_frame(), REF, "lila")
    with pytest.raises(ValueError, match="indicator"):
        pv.measured(assessment_children.c, REF, "imtu")


def _insert_run(conn: Any, ref: date, children: dict[str, tuple], villages: dict[str, str]) -> int:
    """A stored run with the given children (born, measured, tbu, bbtb, bbu, flags)."""
    run_id = insert_run(conn, ref)
    for key, (born, on, tbu, bbtb, bbu, flags) in children.items():
        insert_child(
            conn,
            run_id,
            key,
            born,
            villages[key],
            on,
            record_key=f"{run_id}-{key}@{on}",
            status_tbu=tbu,
            status_bbtb=bbtb,
            status_bbu=bbu,
            flags=flags,
        )
    return run_id


@pytest.mark.parametrize("window", [None, 12])
def test_sql_and_pandas_agree(
    engine: Engine, window: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQL conditions select, in the database, the children the masks select in pandas,
    and both the hand-computed ones."""
    c = assessment_children.c
    with engine.begin() as conn:
        run_id = _insert_run(conn, REF, CHILDREN, dict.fromkeys(CHILDREN, V1))
    with engine.connect() as conn:
        stored = read_frame(
            conn, select(c.child_key, *[c[k] for k in FRAME_COLUMNS]).where(c.run_id == run_id)
        ).set_index("child_key")
        with monkeypatch.context() as patch:
            patch.setattr(pv, "WINDOW_MONTHS", window)
            for column in sorted(CONDITIONS):
                in_sql = {
                    r[0]
                    for r in conn.execute(
                        select(c.child_key).where(c.run_id == run_id, CONDITIONS[column](c))
                    )
                }
                in_pandas = set(stored.index[MASKS[column](stored)])
                assert in_sql == in_pandas, column
                if window is None:
                    assert in_sql == _expected(column), column
                elif column == 0:
                    assert in_sql == _expected(6)
        n_measured, n_stunted = conn.execute(
            select(pv.tally(pv.measured(c, REF)), pv.tally(pv.stunted(c, REF))).where(
                c.run_id == run_id
            )
        ).one()
        assert (n_measured, n_stunted) == (len(_expected(0)), len(_expected(1)))
        # No rows: 0, not NULL.
        assert (
            conn.execute(select(pv.tally(pv.measured(c, REF))).where(c.run_id == -1)).scalar_one()
            == 0
        )


def test_prevalence_and_wilson() -> None:
    p = pv.prevalence(np.array([20, 0, 3, 0]), np.array([100, 10, 3, 0]))
    assert p.pct[:3].tolist() == [20.0, 0.0, 100.0] and math.isnan(p.pct[3])
    # 20/100 → 13.34 %–28.88 % (Wilson score interval, 95 %)
    assert round(float(p.low_pct[0]), 2) == 13.34 and round(float(p.high_pct[0]), 2) == 28.88
    assert p.low_pct[1] == 0.0 and p.high_pct[1] == pytest.approx(27.753, abs=5e-3)
    assert p.high_pct[2] == 100.0 and math.isnan(p.low_pct[3]) and math.isnan(p.high_pct[3])
    low, high = pv.wilson(20, 100)  # type: ignore[misc]
    assert (100 * low, 100 * high) == pytest.approx((p.low_pct[0], p.high_pct[0]))
    assert pv.wilson(0, 0) is None
    assert pv.percent(1, 3) == pytest.approx(100 / 3) and pv.percent(0, 0) is None
    scalar = pv.prevalence(1, 4)
    assert float(scalar.pct) == 25.0


# --------------------------------------------------------------------------- the priority index


def test_priority_index_counts_only_under_fives(engine: Engine) -> None:
    """The village priority index once counted every stored child, over-fives included; it now
    counts the dashboard's children. (Against the old code: V1 would show 3 measured, 2 stunted.)"""
    from sinergi.monitor.coverage import coverage
    from sinergi.targeting.priority import village_components
    from sinergi.targeting.programmes import load_programme

    kids = {
        "balita_normal": CHILDREN["normal"],
        "umur_lima_pendek": CHILDREN["exactly_five"],
        "lebih_lima_pendek": CHILDREN["over_five"],
        "balita_pendek": CHILDREN["pendek"],
    }
    villages = {"balita_normal": V1, "umur_lima_pendek": V1, "lebih_lima_pendek": V1}
    villages["balita_pendek"] = V2
    with engine.begin() as conn:
        run_id = _insert_run(conn, REF, kids, villages)
        conn.execute(
            insert(assessment_families),
            [
                {
                    "run_id": run_id,
                    "no_kk": f"640801000000000{i}",
                    "kode_desa": desa,
                    "sasaran": "balita",
                    "faktor": "",
                    "krs": False,
                    "miskin_ekstrem": False,
                    "jumlah_balita": 1,
                    "jumlah_balita_stunting": 0,
                }
                for i, desa in enumerate((V1, V2))
            ],
        )
    comp = village_components(engine, run_id, load_programme("air-bersih")).set_index("kode_desa")
    assert (comp.loc[V1, "anak_diukur"], comp.loc[V1, "anak_stunting"]) == (1, 0)
    assert comp.loc[V1, "prevalensi_stunting"] == 0.0
    assert (comp.loc[V2, "anak_diukur"], comp.loc[V2, "anak_stunting"]) == (1, 1)
    assert comp.loc[V2, "prevalensi_stunting"] == 1.0
    cov = coverage(engine, run_id, "desa").set_index("kode_wilayah")
    for desa in (V1, V2):
        assert (cov.loc[desa, "balita_diukur"], cov.loc[desa, "balita_stunting"]) == (
            comp.loc[desa, "anak_diukur"],
            comp.loc[desa, "anak_stunting"],
        )


def test_missed_children_are_named_by_what_counts(engine: Engine) -> None:
    """A child outside every family is reported as stunted or wasted only when it counts as
    such: a flagged HAZ names no stunting (the child is wasted, or only unattached)."""
    from sinergi.assess.missed import SIGNALS, missed

    kids = {k: CHILDREN[k] for k in ("pendek", "flag_tbu", "flag_all", "over_five", "normal")}
    with engine.begin() as conn:
        run_id = _insert_run(conn, REF, kids, dict.fromkeys(kids, V1))
    listed = missed(engine, run_id, lang="en")
    # One row per finding: a flagged measurement is also to be measured again.
    again = set(listed.loc[listed["kode_alasan"] == "ukur_ulang", "nama"])
    assert again == {"flag_tbu", "flag_all"}
    rows = listed[~listed["kode_alasan"].isin(SIGNALS)].set_index("nama")
    assert rows.index.is_unique
    assert rows.loc["pendek", "kode_alasan"] == "anak_tidak_terdaftar"
    assert "HAZ" in rows.loc["pendek", "alasan"]
    assert rows.loc["flag_tbu", "kode_alasan"] == "anak_tidak_terdaftar"
    assert "WHZ" in rows.loc["flag_tbu", "alasan"] and "HAZ" not in rows.loc["flag_tbu", "alasan"]
    assert rows.loc["flag_all", "kode_alasan"] == "anak_tidak_terhubung"
    assert rows.loc["normal", "kode_alasan"] == "anak_tidak_terhubung"
    assert "over_five" not in rows.index


# --------------------------------------------------------------------------- a seeded regency


def _add_edge_children(engine: Engine) -> dict[str, str]:
    """Measurements the synthetic files rarely hold, attached to a registered family: an
    implausibly short under-five (WHO-flagged HAZ), a stunted child measured at 56 months who is
    over five at REF, one measured long ago, one without a height. Returns key → village."""
    with engine.connect() as conn:
        no_kk, desa = conn.execute(
            select(families.c.no_kk, families.c.kode_desa).order_by(families.c.no_kk).limit(1)
        ).one()
    rows = {
        # key: (born, measured on, weight, height)
        "uji-flag": (date(2023, 8, 1), date(2026, 8, 1), 12.0, 60.0),
        "uji-lebih-lima": (months_before(REF, 62), months_before(REF, 6), 13.0, 93.0),
        "uji-lama": (date(2023, 6, 1), date(2024, 1, 15), 6.5, 62.0),
        "uji-tanpa-tinggi": (date(2024, 6, 1), date(2026, 8, 1), 10.0, None),
    }
    with engine.begin() as conn:
        for key, (born, on, weight, height) in rows.items():
            conn.execute(
                insert(measurements).values(
                    record_key=f"{key}@{on}",
                    nama_anak=key,
                    jenis_kelamin="L",
                    tanggal_lahir=born,
                    no_kk=no_kk,
                    kode_desa=desa,
                    tanggal_ukur=on,
                    berat=weight,
                    tinggi=height,
                    cara_ukur="berdiri" if (on - born).days >= 730 else "berbaring",
                )
            )
    return dict.fromkeys(rows, desa)


def _build(url: str, data: Path) -> None:
    from sinergi.assess.run import assess
    from sinergi.registry.importer import import_file
    from sinergi.rules import load_ruleset
    from sinergi.store.db import ensure_schema, get_engine
    from sinergi.synth import source_files

    engine = ensure_schema(url)
    for kind, path in source_files(data):
        assert import_file(engine, kind, path).status == "dimuat"
    _add_edge_children(engine)
    assess(engine, load_ruleset("krs-2024"), REF)
    engine.dispose()
    get_engine.cache_clear()


@pytest.fixture(scope="module")
def regency_sqlite(tmp_path_factory: pytest.TempPathFactory, synth_regency: Path) -> Path:
    path = tmp_path_factory.mktemp("prevdb") / "regency.db"
    _build(f"sqlite:///{path}", synth_regency)
    return path


@pytest.fixture(scope="module")
def regency_pg(synth_regency: Path) -> Iterator[str]:
    with named_pg_database("sinergi_prev") as url:
        _build(url, synth_regency)
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def regency(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    from sinergi.store.db import ensure_schema, get_engine

    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("regency_sqlite"), tmp_path / "regency.db")
    else:
        url = request.getfixturevalue("regency_pg")
    engine = ensure_schema(url)
    yield engine
    engine.dispose()
    get_engine.cache_clear()


def _counts(frame: pd.DataFrame, key: str, measured: str, stunted: str) -> pd.DataFrame:
    out = frame[[key, measured, stunted]].set_axis(["kode", "diukur", "stunting"], axis=1)
    return out.set_index("kode").apply(pd.to_numeric).fillna(0).astype("int64")


def test_every_reader_counts_the_same_children(regency: Engine) -> None:
    from sinergi.assess.missed import missed
    from sinergi.assess.run import children_latest
    from sinergi.assess.summary import kecamatan_assessment
    from sinergi.monitor.coverage import coverage, totals
    from sinergi.targeting.priority import village_components
    from sinergi.targeting.programmes import load_programme
    from sinergi.web import queries

    engine = regency
    c, f = assessment_children.c, assessment_families.c
    with engine.connect() as conn:
        run = conn.execute(select(assessment_runs)).one()
        stored = read_frame(
            conn,
            select(
                c.child_key,
                c.kode_desa,
                c.no_kk,
                c.tanggal_lahir,
                c.tanggal_ukur,
                c.status_tbu,
                c.status_bbtb,
                c.status_bbu,
                c.flags,
                f.krs,
                f.jumlah_balita_stunting,
            )
            .select_from(
                assessment_children.outerjoin(
                    assessment_families, (f.run_id == c.run_id) & (f.no_kk == c.no_kk)
                )
            )
            .where(c.run_id == run.id),
        ).set_index("child_key")
        per_family = read_frame(
            conn, select(f.no_kk, f.jumlah_balita_stunting).where(f.run_id == run.id)
        )
    assert run.reference_date == REF

    # The population is not trivial: over-fives, a flagged HAZ, an old and an unscored one.
    stored["measured"] = pv.measured_mask(stored, REF)
    stored["stunted"] = pv.stunted_mask(stored, REF)
    over_five = ~pv.under_five_mask(stored, REF)
    assert over_five.sum() >= 1 and stored.loc[over_five, "status_tbu"].isin(STUNTED).any()
    assert stored.loc["uji-lebih-lima", "status_tbu"] in STUNTED
    assert not stored.loc["uji-lebih-lima", "measured"]
    assert "tbu" in stored.loc["uji-flag", "flags"].split(";")
    assert not stored.loc["uji-flag", "measured"]
    assert stored.loc["uji-lama", "measured"] and stored.loc["uji-lama", "stunted"]
    assert stored.loc["uji-tanpa-tinggi", "status_tbu"] is None
    assert not stored.loc["uji-tanpa-tinggi", "measured"]
    assert 0 < stored["stunted"].sum() < stored["measured"].sum() < len(stored)

    # What the assessment computed before storing = what is read back.
    fresh = children_latest(engine, REF).set_index("child_key")
    assert fresh["measured"].sort_index().equals(stored["measured"].sort_index())
    assert fresh["stunted"].sort_index().equals(stored["stunted"].sort_index())
    truth = (
        stored.groupby("kode_desa")[["measured", "stunted"]]
        .sum()
        .set_axis(["diukur", "stunting"], axis=1)
        .astype("int64")
    )
    truth.index.name = "kode"

    # The run's totals and per-family counts.
    assert (run.children_measured, run.children_stunted) == tuple(truth.sum())
    attached_stunted = stored[stored["no_kk"].notna() & stored["stunted"]]
    assert per_family["jumlah_balita_stunting"].sum() == len(attached_stunted)

    # Per village: coverage, the dashboard's village table, the priority index.
    readers = {
        "coverage": _counts(
            coverage(engine, run.id, "desa"), "kode_wilayah", "balita_diukur", "balita_stunting"
        ),
        "dashboard": _counts(
            queries.villages(engine, "64.08"), "kode_desa", "balita_diukur", "balita_stunting"
        ),
        "priority": _counts(
            village_components(engine, run.id, load_programme("air-bersih")),
            "kode_desa",
            "anak_diukur",
            "anak_stunting",
        ),
    }
    for name, counts in readers.items():
        every = truth.index.union(counts.index)
        got = counts.reindex(every, fill_value=0)
        want = truth.reindex(every, fill_value=0)
        pd.testing.assert_frame_equal(got, want, check_names=False, obj=name)

    # Per kecamatan: the assessment summary (its last row is the total).
    summary = kecamatan_assessment(engine, run.id)
    by_kec = truth.groupby(truth.index.str[:8]).sum()
    got = _counts(summary.iloc[:-1], "kode", "anak_diukur", "stunting")
    pd.testing.assert_frame_equal(
        got.reindex(by_kec.index.union(got.index), fill_value=0),
        by_kec.reindex(by_kec.index.union(got.index), fill_value=0),
        check_names=False,
    )
    total = summary.iloc[-1]
    assert total["kecamatan"] == "Jumlah"
    assert kecamatan_assessment(engine, run.id, "en").iloc[-1]["kecamatan"] == "Total"
    assert (total["anak_diukur"], total["stunting"]) == tuple(truth.sum())
    pct = 100 * truth["stunting"].sum() / truth["diukur"].sum()
    assert total["stunting_persen"] == round(pct, 1)

    # The regency: coverage's totals, the dashboard's regency figures and its trend.
    whole = totals(coverage(engine, run.id, "desa"))
    assert (whole["balita_diukur"], whole["balita_stunting"]) == tuple(truth.sum())
    assert whole["prevalensi_stunting_pct"] == pytest.approx(pct)
    regency_row = queries.regency_totals(engine, "64.08", run.id)
    assert regency_row["prevalensi_stunting_pct"] == pytest.approx(pct)
    assert queries.trend(engine)["prevalensi"].tolist() == [round(pct, 1)]

    # Missed children: the stunted or wasted ones of unregistered or non-KRS families.
    stored["wasted"] = pv.wasted_mask(stored, REF)
    outside = stored["no_kk"].isna() | ~stored["krs"].eq(True)
    expected = stored[(stored["stunted"] | stored["wasted"]) & outside]
    # (every one of them, including those a delivered programme has since cleared)
    listed = missed(engine, run.id, include_cleared=True)
    listed = listed[listed["kode_alasan"].isin(["anak_tidak_terdaftar", "anak_bukan_krs"])]
    assert len(expected) > 0
    assert listed.groupby("kode_desa").size().sort_index().to_dict() == (
        expected.groupby("kode_desa").size().sort_index().to_dict()
    )

    # Scoped to one kecamatan (the query reads only what the scope needs): the whole list's rows
    # of that kecamatan, unmeasured under-fives included.
    whole = missed(engine, run.id)
    assert {"anak_terlewat", "belum_diukur"} <= set(whole["jenis"])
    assert set(whole["jenis"]) <= {"anak_terlewat", "belum_diukur", "ibu_hamil", "catin"}

    def rows(frame: pd.DataFrame) -> list[str]:
        # a column all empty in one list is None there and NaN in the other
        return sorted(map(str, frame.astype(object).where(frame.notna(), None).to_dict("records")))

    for kec in sorted(set(truth.index.str[:8])):
        scoped = missed(engine, run.id, prefixes=[kec])
        want = whole[whole["kode_desa"].fillna("").str.startswith(kec)]
        assert rows(scoped) == rows(want)


def test_a_child_counts_as_measured_by_family_card_birth_day_and_sex_all_three() -> None:
    """`recently_measured_mask` by family: the same card, birth day and sex as a child measured
    lately (a date object or a timestamp alike); a registered child missing any of the three
    matches nobody, and neither does a near miss (another day, sex or card)."""
    ref = date(2026, 8, 31)
    born = date(2024, 5, 1)
    kids = pd.DataFrame(
        {
            "nik_anak": [None, None],
            "no_kk": ["6408010101240001", "6408010101240002"],
            "tanggal_lahir": [born, pd.Timestamp(2023, 1, 2)],
            "jenis_kelamin": ["L", "P"],
            "tanggal_ukur": [date(2026, 8, 1), date(2026, 8, 2)],
        }
    )
    under5 = pd.DataFrame(
        {
            "nik": [f"64080101010{i:05d}" for i in range(8)],
            "no_kk": [
                "6408010101240001",  # the first child
                "6408010101240002",  # the second, its birth day a date here
                "6408010101240001",  # another day
                "6408010101240001",  # another sex
                "6408010101240003",  # another card
                None,  # no card
                "6408010101240001",  # no birth day
                "6408010101240001",  # no sex
            ],
            "tanggal_lahir": [born, date(2023, 1, 2), born + timedelta(days=1), born, born, born]
            + [None, born],
            "jenis_kelamin": ["L", "P", "L", "P", "L", "L", "L", None],
        }
    )
    got = pv.recently_measured_mask(under5, kids, ref, months=3)
    assert got.tolist() == [True, True, False, False, False, False, False, False]
    # Measured too long ago: nobody counts.
    old = kids.assign(tanggal_ukur=[date(2025, 1, 1), date(2025, 1, 1)])
    assert not pv.recently_measured_mask(under5, old, ref, months=3).any()
