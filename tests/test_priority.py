"""Village priority index and the village allocation problem, through the store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine, func, insert, select

from sinergi.store.tables import (
    assessment_families,
    regions,
    village_facts,
)
from sinergi.targeting.allocate import CODE_INELIGIBLE, is_feasible, solve
from sinergi.targeting.priority import (
    DEFAULT_WEIGHTS,
    priority_index,
    village_components,
    village_problem,
)
from sinergi.targeting.programmes import ProgrammeError, load_programme
from tests.stored import insert_child, insert_run

V1, V2, V3 = "64.08.01.2001", "64.08.01.2002", "64.08.01.2003"  # kecamatan Muara Ancalong
V4 = "64.08.02.2001"  # kecamatan Muara Wahau
AIR = "air_minum_tidak_layak"

# (kode_desa, faktor, krs, miskin_ekstrem)
FAMILIES = [
    (V1, f"{AIR};desil_1", True, True),
    (V1, AIR, True, False),
    (V1, f"{AIR};jamban_tidak_layak", True, False),
    (V1, "", False, False),
    (V2, AIR, True, False),
    (V2, "jamban_tidak_layak", True, False),
    (V2, AIR, True, False),
    (V3, AIR, True, False),
    (V4, AIR, True, False),
]
# (kode_desa, status_tbu, flags): V1 1 of 2 stunted; V2 the stunted z is implausible (flagged)
CHILDREN = [
    (V1, "pendek", ""),
    (V1, "normal", ""),
    (V1, None, "tinggi_kosong"),
    (V2, "normal", ""),
    (V2, "sangat_pendek", "tbu"),
]


def _seed(engine: Engine) -> int:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    with engine.begin() as conn:
        run_id = insert_run(
            conn,
            date(2026, 1, 1),
            created_at=now,
            families=9,
            target=9,
            krs=8,
            miskin_ekstrem=1,
            children_measured=5,
            children_stunted=1,
        )
        conn.execute(
            insert(assessment_families),
            [
                {
                    "run_id": run_id,
                    "no_kk": f"64080100000000{i:02d}",
                    "kode_desa": desa,
                    "sasaran": "pus",
                    "faktor": faktor,
                    "krs": krs,
                    "miskin_ekstrem": me,
                    "jumlah_balita": 0,
                    "jumlah_balita_stunting": 0,
                }
                for i, (desa, faktor, krs, me) in enumerate(FAMILIES)
            ],
        )
        for i, (desa, status, flags) in enumerate(CHILDREN):
            insert_child(
                conn,
                run_id,
                f"c{i}",
                date(2023, 3, 1),
                desa,
                date(2025, 12, 1),
                name=f"Anak {i}",
                record_key=f"m{i}",
                weighed={"berat": 11.0, "tinggi": 85.0},
                status_tbu=status,
                flags=flags,
            )
        conn.execute(
            insert(village_facts),
            [
                {"kode_desa": V1, "jaringan_air": "belum_ada", "biaya_jaringan": 1_000_000_000},
                {"kode_desa": V2, "jaringan_air": "beroperasi", "biaya_jaringan": 900_000_000},
                {"kode_desa": V3, "jaringan_air": "perencanaan", "biaya_jaringan": None},
            ],
        )
    return run_id


@pytest.fixture
def seeded(engine: Engine) -> tuple[Engine, int]:
    return engine, _seed(engine)


def test_components_hand_computed(seeded: tuple[Engine, int]) -> None:
    engine, run_id = seeded
    comp = village_components(engine, run_id, load_programme("air-bersih"))
    with engine.connect() as conn:
        villages = conn.execute(
            select(func.count())
            .select_from(regions)
            .where(regions.c.tingkat == "desa_kelurahan", regions.c.kode.like("64.08.%"))
        ).scalar_one()
    assert len(comp) == villages and comp["kode_desa"].is_unique
    assert comp["kode_desa"].str.startswith("64.08.").all()
    rows = comp.set_index("kode_desa")

    v1 = rows.loc[V1]
    assert (v1.nama_desa, v1.kode_kecamatan, v1.kecamatan) == (
        "Senyiur",
        "64.08.01",
        "Muara Ancalong",
    )
    assert (v1.keluarga, v1.krs, v1.krs_kebutuhan, v1.miskin_ekstrem) == (4, 3, 3, 1)
    assert v1.porsi_kebutuhan == 1.0
    assert (v1.anak_diukur, v1.anak_stunting, v1.prevalensi_stunting) == (2, 1, 0.5)
    assert (v1.status_jaringan, v1.biaya, bool(v1.layak)) == ("belum_ada", 1_000_000_000, True)

    v2 = rows.loc[V2]
    assert (v2.keluarga, v2.krs, v2.krs_kebutuhan) == (3, 3, 2)
    assert v2.porsi_kebutuhan == pytest.approx(2 / 3)
    assert (v2.anak_diukur, v2.anak_stunting, v2.prevalensi_stunting) == (1, 0, 0.0)
    assert not v2.layak and v2.alasan_tidak_layak == "jaringan_beroperasi"

    v3, v4 = rows.loc[V3], rows.loc[V4]
    assert v3.biaya == 1_500_000_000  # network cost unknown: programme default
    assert v4.status_jaringan is None and v4.biaya == 1_500_000_000 and v4.layak
    empty = rows.loc["64.08.01.2004"]
    assert (empty.keluarga, empty.krs_kebutuhan, empty.porsi_kebutuhan) == (0, 0, 0.0)


def test_ranking_order_and_tie_break(seeded: tuple[Engine, int]) -> None:
    engine, run_id = seeded
    air = load_programme("air-bersih")
    ranked = priority_index(village_components(engine, run_id, air), air.weights)
    assert air.weights == DEFAULT_WEIGHTS
    by = ranked.set_index("kode_desa")
    # V1 holds every maximum; V3 and V4 are equal (1/3 of the max need, full share): a tie.
    assert by.loc[V1, "skor"] == pytest.approx(1.0)
    assert by.loc[V3, "skor"] == pytest.approx((0.5 / 3 + 0.2) / 1.0)
    assert by.loc[V4, "skor"] == by.loc[V3, "skor"]
    assert ranked["kode_desa"].tolist()[:3] == [V1, V3, V4]
    assert ranked["peringkat"].tolist() == list(range(1, len(ranked) + 1))
    # The ineligible village (network already working) comes last, without a score.
    assert ranked["kode_desa"].iloc[-1] == V2 and pd.isna(by.loc[V2, "skor"])
    # Zero-need villages are tied at 0 and follow in kode_desa order.
    zeros = ranked[ranked["skor"] == 0]["kode_desa"].tolist()
    assert zeros == sorted(zeros) and len(zeros) == len(ranked) - 4
    # Weights change the order: on stunting prevalence alone only V1 scores.
    only_stunting = priority_index(
        village_components(engine, run_id, air), {"prevalensi_stunting": 1.0}
    )
    assert only_stunting["kode_desa"].iloc[0] == V1
    assert only_stunting.set_index("kode_desa").loc[V3, "skor"] == 0.0
    with pytest.raises(ProgrammeError, match="unknown weight"):
        priority_index(ranked, {"populasi": 1.0})


def test_solve_selects_within_budget(seeded: tuple[Engine, int]) -> None:
    engine, run_id = seeded
    air = load_programme("air-bersih")
    ranked = priority_index(village_components(engine, run_id, air), air.weights)

    problem = village_problem(ranked, air, budget=2_600_000_000)
    alloc = solve(problem)
    assert alloc.selected == (V1, V3)  # 1.0 + 1.5 bn; V3/V4 tie broken by key
    assert alloc.benefit == 4 and alloc.cost <= 2_600_000_000
    assert is_feasible(problem, alloc.selected)
    why = alloc.explain(problem)[V2]
    assert why.code == CODE_INELIGIBLE and why.params["reason"] == "jaringan_beroperasi"

    # One village per kecamatan: V3 shares Muara Ancalong with V1, so V4 is funded instead.
    one_each = air.model_copy(update={"quota_per_kecamatan": 1})
    quota_problem = village_problem(ranked, one_each, budget=2_600_000_000)
    assert quota_problem.quotas["64.08.01"] == 1
    assert solve(quota_problem).selected == (V1, V4)

    # Default budget (Rp 15 bn) funds every eligible village with a need.
    assert solve(village_problem(ranked, air)).selected == (V1, V3, V4)


def test_village_problem_needs_an_area_programme(seeded: tuple[Engine, int]) -> None:
    engine, run_id = seeded
    comp = village_components(engine, run_id, load_programme("air-bersih"))
    with pytest.raises(ProgrammeError, match="per keluarga"):
        village_problem(comp, load_programme("pmt-dinkes"))
    with pytest.raises(ProgrammeError, match="run 999 not found"):
        village_components(engine, 999, load_programme("air-bersih"))


def test_stunting_need_counts_families_with_a_stunted_child(sqlite_url: str) -> None:
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(sqlite_url)
    try:
        run_id = _seed(engine)
        with engine.begin() as conn:
            conn.execute(
                assessment_families.update()
                .where(assessment_families.c.no_kk == "6408010000000000")
                .values(jumlah_balita=1, jumlah_balita_stunting=1)
            )
        pmt = load_programme("pmt-dinkes")
        rows = village_components(engine, run_id, pmt).set_index("kode_desa")
        assert rows.loc[V1, "krs_kebutuhan"] == 1 and rows.loc[V2, "krs_kebutuhan"] == 0
        assert rows.loc[V1, "biaya"] == pmt.unit_cost_rp and rows["layak"].all()
    finally:
        engine.dispose()
