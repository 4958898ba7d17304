"""One truth for a village's water network: recorded projects reconcile the imported village
facts, and the map, the status card, the kecamatan summary and the ranking read the same answer;
a village already served or chosen is not chosen again; `sinergi project` accepts a village name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, update
from typer.testing import CliRunner

from sinergi.cli import UserError, app
from sinergi.deliver.projects import ProjectError, connect_households, set_project
from sinergi.registry.summary import kecamatan_summary
from sinergi.registry.water import reconcile, water_networks
from sinergi.store.tables import families, village_facts
from sinergi.targeting.plan import village_plan
from sinergi.targeting.priority import village_components
from sinergi.targeting.programmes import load_programme
from sinergi.web import queries
from tests.test_priority import V1, V2, V3, V4, _seed

runner = CliRunner()


def _facts(status: str, day: date | None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kode_desa": V1,
                "fakta_status": status,
                "fakta_sambungan": 5,
                "fakta_tanggal": day,
                "biaya_jaringan": None,
            }
        ]
    )


def _project(status: str, when: datetime, households: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kode_desa": V1,
                "kode_program": "air-bersih",
                "periode": "2026",
                "proyek_status": status,
                "proyek_sambungan": 0,
                "rumah_tersambung": households,
                "proyek_waktu": when,
            }
        ]
    )


def test_the_newer_source_wins_and_a_project_beats_an_undated_fact() -> None:
    march = datetime(2026, 3, 1, 9, tzinfo=UTC)
    newer_project = reconcile(
        _facts("belum_ada", date(2026, 1, 31)), _project("beroperasi", march, 23)
    )
    assert newer_project.iloc[0][["status_jaringan", "sambungan_rumah", "sumber"]].tolist() == [
        "beroperasi",
        23,
        "proyek",
    ]
    newer_file = reconcile(_facts("beroperasi", date(2026, 6, 30)), _project("konstruksi", march))
    assert newer_file.iloc[0][["status_jaringan", "sambungan_rumah", "sumber"]].tolist() == [
        "beroperasi",
        5,
        "data_desa",
    ]
    # The project's programme and period stay known when the file gives the status.
    assert newer_file.iloc[0]["periode"] == "2026"
    undated = reconcile(_facts("belum_ada", None), _project("perencanaan", march))
    assert undated.iloc[0]["status_jaringan"] == "perencanaan"
    only_file = reconcile(_facts("konstruksi", None), _project("konstruksi", march).iloc[0:0])
    assert only_file.iloc[0]["sumber"] == "data_desa"


def _families(engine: Engine, kode_desa: str, n: int) -> list[str]:
    kks = [f"{kode_desa[:2]}{kode_desa[3:5]}{kode_desa[6:8]}9{i:09d}" for i in range(n)]
    with engine.begin() as conn:
        conn.execute(
            insert(families),
            [
                {
                    "no_kk": kk,
                    "kode_desa": kode_desa,
                    "nama_kepala": f"Kepala {i}",
                }
                for i, kk in enumerate(kks)
            ],
        )
    return kks


def test_map_status_card_summary_and_ranking_agree(engine: Engine) -> None:
    run_id = _seed(engine)  # village file: V1 belum_ada, V2 beroperasi, V3 perencanaan
    with engine.begin() as conn:
        conn.execute(update(village_facts).values(tanggal_data=date(2025, 12, 31)))
    # PU records V1 (older file says "none") up to operating with two households, and V4
    # (absent from the file) under construction.
    for status in ("perencanaan", "konstruksi", "beroperasi"):
        set_project(engine, "air-bersih", V1, status, oleh="pu1")
    kks = _families(engine, V1, 3)
    assert connect_households(engine, "air-bersih", V1, kks[:2], oleh="pu1") == 2
    set_project(engine, "air-bersih", V4, "konstruksi", oleh="pu1")

    with engine.connect() as conn:
        truth = water_networks(conn, "64.08").set_index("kode_desa")
    assert truth.loc[V1, "status_jaringan"] == "beroperasi"
    assert truth.loc[V1, "sambungan_rumah"] == 2
    assert truth.loc[V4, "status_jaringan"] == "konstruksi"

    frame = queries.villages(engine, "64.08")  # what /peta/data.json and /desa/{kode} show
    on_map = frame[frame["jaringan_air"] == "beroperasi"]["kode_desa"].tolist()
    card = frame.set_index("kode_desa")
    assert card.loc[V1, "jaringan_air"] == "beroperasi"
    assert card.loc[V1, "sambungan_jaringan"] == 2
    assert card.loc[V4, "jaringan_air"] == "konstruksi"

    summary = kecamatan_summary(engine, "64.08")
    total_operating = int(summary.iloc[-1]["air_beroperasi"])

    components = village_components(engine, run_id, load_programme("air-bersih"))
    excluded_operating = components[components["alasan_tidak_layak"] == "jaringan_beroperasi"]
    assert sorted(on_map) == sorted(excluded_operating["kode_desa"]) == [V1, V2]
    assert total_operating == len(on_map) == 2


def test_a_village_being_served_or_chosen_this_period_is_not_chosen_again(
    engine: Engine,
) -> None:
    run_id = _seed(engine)
    prog = load_programme("air-bersih")
    before = village_plan(engine, run_id, prog, budget=10e9).table.set_index("kode_desa")
    assert before.loc[V1, "terpilih"] == 1 and before.loc[V3, "terpilih"] == 1
    set_project(engine, "air-bersih", V1, "konstruksi", oleh="pu1")
    set_project(engine, "air-bersih", V3, "perencanaan", oleh="pu1")
    after = village_plan(engine, run_id, prog, budget=10e9).table.set_index("kode_desa")
    assert after.loc[V1, "terpilih"] == 0
    assert "sedang dibangun" in after.loc[V1, "alasan"]
    assert after.loc[V3, "terpilih"] == 0  # planned by this programme for this period
    assert "sedang direncanakan" in after.loc[V3, "alasan"]
    assert after.loc[V4, "terpilih"] == 1


def test_connecting_needs_the_villages_own_families_and_a_current_version(engine: Engine) -> None:
    _seed(engine)
    set_project(engine, "air-bersih", V1, "beroperasi", oleh="pu1")
    elsewhere = _families(engine, V2, 1)
    with pytest.raises(ProjectError) as err:
        connect_households(engine, "air-bersih", V1, elsewhere, oleh="pu1")
    assert err.value.code == "pj_keluarga_bukan_desa"
    with pytest.raises(ProjectError) as err:
        set_project(engine, "air-bersih", V1, "beroperasi", oleh="pu2", versi=0)
    assert err.value.code == "pj_versi_bentrok"
    row = set_project(engine, "air-bersih", V1, "beroperasi", oleh="pu2", versi=1)
    assert row["versi"] == 2


def test_project_accepts_a_unique_village_name(sqlite_url: str) -> None:
    res = runner.invoke(
        app,
        [
            "project",
            "air-bersih",
            "Desa Senyiur",
            "perencanaan",
            "--db",
            sqlite_url,
            "--oleh",
            "pu1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "64.08.01.2001" in res.output
    res = runner.invoke(
        app,
        ["project", "air-bersih", "Kelinjau", "konstruksi", "--db", sqlite_url, "--oleh", "pu1"],
    )
    # `sinergi.cli.main` prints a UserError as its sentence, without a traceback.
    assert isinstance(res.exception, UserError)
    said = str(res.exception)
    assert "bukan kode desa" in said
    assert "Kelinjau Ilir (64.08.01.2002)" in said and "Kelinjau Ulu (64.08.01.2003)" in said
