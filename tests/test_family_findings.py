"""A family's case-finding codes (``temuan``): each code at its boundary, from files imported and
an assessment run, on SQLite and PostgreSQL; ``temuan`` agreeing with the missed list; and
``pmt-dinkes`` eligibility per the PMT lokal guideline, in pandas, in SQL and from the CLI."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from sinergi.assess.findings import FAMILY_CODES, PREGNANCY_CODES, SIGNALS, join_codes
from sinergi.assess.who_tables import load_table, value_at_z
from sinergi.registry.importer import import_file
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_families
from sinergi.targeting.eligibility import NAMES, parse, to_sql
from sinergi.targeting.programmes import load_programme
from tests.helpers import write_csv
from tests.test_child_findings import EPPGBM_HEADER, ROSTER_HEADER

REF = date(2026, 8, 31)
ON = "2026-08-01"  # the measurements' date
TODAY = date(2026, 9, 1)
DESA = "64.08.01.2001"
PREGNANCY_HEADER = [
    "NIK",
    "Nama",
    "No KK",
    "Kode Desa",
    "Tanggal Pemeriksaan",
    "HPHT",
    "LiLA",
    "Hb",
]


def kk(i: int) -> str:
    return f"64080101012000{i:02d}"


# What each family's members show at REF, as ``temuan`` must say it.
EXPECTED = {
    kk(1): "anak_stunting",  # HAZ -2.006 (-2.01 after rounding)
    kk(2): "",  # HAZ -2.004
    kk(3): "anak_kurus",  # WHZ -2.006, not stunted
    kk(4): "",  # WHZ -2.004
    kk(5): "anak_berat_kurang",  # WAZ -2.006
    kk(6): "",  # WAZ -2.004
    kk(7): "anak_2t",  # weight flat over three monthly weighings
    kk(8): "",  # gained at the last weighing
    kk(9): "anak_lila_rendah",  # LiLA 12.4 cm at 6 months
    kk(10): "",  # LiLA 12.5 cm
    kk(11): "",  # LiLA 12.4 cm at 5 months
    kk(12): "anak_kurus;anak_berat_kurang;anak_edema",  # oedema: counted severe, as WHO does
    kk(13): "anak_bblr",  # born at 2,499 g
    kk(14): "",  # born at 2,500 g
    kk(15): "ukur_ulang",  # a height WHO flags as implausible
    kk(16): "",  # low LiLA, but five years old at the reference date
    kk(17): "ibu_hamil_kek",  # LiLA 23.4 cm, Hb 11.0
    kk(18): "ibu_hamil_anemia",  # LiLA 23.5 cm, Hb 10.9
    kk(19): "",  # LiLA 23.5 cm, Hb 11.0
    kk(20): "",  # KEK, but the pregnancy ended (due date + 14 days before REF)
    kk(21): "anak_stunting;ibu_hamil_kek",  # a stunted child and a mother with KEK
}
# pmt-dinkes: a stunted, wasted, underweight, 2T, low-LiLA or oedema child, or a mother with KEK.
PMT_DINKES = {kk(i) for i in (1, 3, 5, 7, 9, 12, 17, 21)}


def _days(born: str) -> int:
    return (date.fromisoformat(ON) - date.fromisoformat(born)).days


def _at(table: str, x: int | float, z: float) -> float:
    """The boy's measurement whose (unrestricted) LMS z is ``z``, at age ``x`` days or length
    ``x`` cm (tables on a 0.1 cm grid)."""
    t = load_table(table)
    i = int(round((x - t.x0) / t.step))
    return float(value_at_z(t.L[0, i], t.M[0, i], t.S[0, i], np.asarray(z)))


def _child(
    i: int,
    born: str,
    berat: float | str = "",
    tinggi: float | str = "",
    *,
    on: str = ON,
    lila: str = "",
    edema: str = "",
    bb_lahir: str = "",
    name: str = "",
) -> list[str]:
    lying = (date.fromisoformat(on) - date.fromisoformat(born)).days < 731
    return [
        "",
        name or f"Anak {i}",
        "L",
        born,
        kk(i),
        DESA,
        on,
        f"{berat:.6f}" if isinstance(berat, float) else berat,
        f"{tinggi:.6f}" if isinstance(tinggi, float) else tinggi,
        ("Berbaring" if lying else "Berdiri") if tinggi != "" else "",
        lila,
        edema,
        bb_lahir,
    ]


def _world(engine: Engine, tmp: Path) -> None:
    roster = [
        [
            kk(i),
            f"6408010101{80 + i % 20:02d}{i:04d}",
            f"Kepala {i}",
            "L",
            "1980-01-01",
            "Kepala Keluarga",
            "Kawin",
            DESA,
            "Jl. Poros",
            "Ledeng/PAM",
            "Jamban Sendiri dengan Septic Tank",
        ]
        for i in range(1, 22)
    ]
    tall = "2024-02-10"  # 903 days on ON: measured standing
    hgt = {z: _at("lhfa", _days(tall), z) for z in (-2.006, -2.004, -3.5)}
    baby = "2025-03-20"  # 499 days on ON: lying, 80 cm is about the median length
    w80 = {z: _at("wfl", 80.0, z) for z in (-2.006, -2.004)}
    small = "2025-06-01"
    waz = {z: _at("wfa", _days(small), z) for z in (-2.006, -2.004)}
    flat = "2025-01-10"
    kids = [
        _child(1, tall, 12.0, hgt[-2.006]),
        _child(2, tall, 12.0, hgt[-2.004]),
        _child(3, baby, w80[-2.006], 80.0),
        _child(4, baby, w80[-2.004], 80.0),
        _child(5, small, waz[-2.006]),
        _child(6, small, waz[-2.004]),
        _child(7, flat, 10.5, on="2026-06-05"),
        _child(7, flat, 10.5, on="2026-07-05"),
        _child(7, flat, 10.5, 81.0, on="2026-08-05"),
        _child(8, flat, 10.5, on="2026-06-05"),
        _child(8, flat, 10.5, on="2026-07-05"),
        _child(8, flat, 10.9, 81.0, on="2026-08-05"),
        _child(9, "2026-01-25", 7.5, 66.0, lila="12.4"),
        _child(10, "2026-01-25", 7.5, 66.0, lila="12.5"),
        _child(11, "2026-03-01", 6.5, 63.0, lila="12.4"),
        _child(12, "2024-06-01", 12.0, 88.0, edema="Ya"),
        _child(13, "2025-01-01", 10.5, 82.0, bb_lahir="2499"),
        _child(14, "2025-01-01", 10.5, 82.0, bb_lahir="2500"),
        _child(15, "2023-08-01", 14.0, 60.0),
        _child(16, "2021-08-15", 16.0, 108.0, lila="12.0"),
        _child(21, tall, 11.0, hgt[-3.5]),
        # No family to attach to: no family's finding.
        ["", "Tanpa KK", "L", small, "", DESA, ON, f"{waz[-2.006]:.6f}", "", "", "", "", ""],
    ]
    women = [
        (17, "6408014101900017", "23.4", "11.0", "2026-03-01"),
        (18, "6408014101900018", "23.5", "10.9", "2026-03-01"),
        (19, "6408014101900019", "23.5", "11.0", "2026-03-01"),
        (20, "6408014101900020", "20.0", "9.0", "2025-09-01"),
        (21, "6408014101900021", "22.0", "12.0", "2026-03-01"),
    ]
    pregnancies = [
        [
            nik,
            f"Ibu {i}",
            kk(i),
            DESA,
            "01/06/2026" if hpht > "2026" else "01/12/2025",
            hpht,
            lila,
            hb,
        ]
        for i, nik, lila, hb, hpht in women
    ]
    for kind, header, rows in (
        ("keluarga", ROSTER_HEADER, roster),
        ("eppgbm", EPPGBM_HEADER, kids),
        ("ibu_hamil", PREGNANCY_HEADER, pregnancies),
    ):
        path = write_csv(tmp / f"{kind}.csv", header, rows)
        result = import_file(engine, kind, path, today=TODAY, as_of=TODAY - timedelta(days=1))
        assert (result.rows_loaded, result.rows_rejected) == (len(rows), 0), result.issues


def _assess(engine: Engine) -> int:
    from sinergi.assess.run import assess
    from sinergi.rules import load_ruleset

    return assess(engine, load_ruleset("krs-2024"), REF).run_id


def _stored(engine: Engine, run_id: int) -> pd.DataFrame:
    af = assessment_families.c
    with engine.connect() as conn:
        return read_frame(
            conn, select(af.no_kk, *(af[n] for n in NAMES)).where(af.run_id == run_id)
        ).set_index("no_kk")


@pytest.fixture
def assessed(engine: Engine, tmp_path: Path) -> int:
    _world(engine, tmp_path)
    return _assess(engine)


def test_each_code_at_its_boundary(engine: Engine, assessed: int) -> None:
    stored = _stored(engine, assessed)
    assert stored["temuan"].to_dict() == EXPECTED
    # anak_stunting counts as jumlah_balita_stunting does (one definition, assess.prevalence).
    stunting = stored["temuan"].str.split(";").map(lambda codes: "anak_stunting" in codes)
    assert stunting.tolist() == (stored["jumlah_balita_stunting"] > 0).tolist()


def test_temuan_agrees_with_the_missed_list(engine: Engine, assessed: int) -> None:
    from sinergi.assess.missed import missed

    listed = missed(engine, assessed, include_cleared=True)
    listed = listed[listed["kode_alasan"].isin([*SIGNALS, *PREGNANCY_CODES])]
    listed = listed[listed["no_kk"].notna()]
    from_missed = listed.groupby("no_kk")["kode_alasan"].apply(set).to_dict()
    stored = _stored(engine, assessed)["temuan"]
    assert set(listed["no_kk"]) <= set(stored.index)
    for no_kk, text in stored.items():
        codes = set(text.split(";")) - {"", "anak_stunting", "anak_kurus"}
        assert codes == from_missed.get(no_kk, set()), no_kk
    # The unattached child is on the missed list, but in no family's temuan.
    assert "Tanpa KK" in set(missed(engine, assessed)["nama"])


def test_pmt_dinkes_per_the_pmt_lokal_guideline(engine: Engine, assessed: int) -> None:
    pmt = load_programme("pmt-dinkes")
    stored = _stored(engine, assessed)
    by_pandas = set(stored.index[pmt.eligible(stored).to_numpy()])
    af = assessment_families.c
    with engine.connect() as conn:
        by_sql = set(
            conn.execute(
                select(af.no_kk).where(af.run_id == assessed, to_sql(parse(pmt.eligibility)))
            ).scalars()
        )
    assert by_pandas == by_sql == PMT_DINKES
    # A wasted child who is not stunted, and a pregnant woman with KEK, make a family eligible
    # that the former rule (a stunted child only) left out.
    assert stored.loc[kk(3), "jumlah_balita_stunting"] == 0
    assert stored.loc[kk(17), "jumlah_balita_stunting"] == 0
    assert {kk(3), kk(17)} <= by_sql


def test_a_run_without_temuan_reads_as_no_findings(engine: Engine, assessed: int) -> None:
    """A run stored before ``temuan`` was recorded: the missing list is empty in both back
    ends, so only the stunted-child part of pmt-dinkes can select a family."""
    from sqlalchemy import update

    with engine.begin() as conn:
        conn.execute(update(assessment_families).values(temuan=None))
    pmt = load_programme("pmt-dinkes")
    stored = _stored(engine, assessed)
    af = assessment_families.c
    with engine.connect() as conn:
        by_sql = set(conn.execute(select(af.no_kk).where(to_sql(parse(pmt.eligibility)))).scalars())
    assert by_sql == set(stored.index[pmt.eligible(stored).to_numpy()]) == {kk(1), kk(21)}


def test_codes_are_joined_in_one_order() -> None:
    no_kk = pd.Series(["a", "b", "c"])
    found = {
        "ibu_hamil_anemia": pd.DataFrame({"no_kk": ["a"]}),
        "anak_2t": pd.DataFrame({"no_kk": ["a", None]}),
        "anak_stunting": pd.DataFrame({"no_kk": ["a", "b"]}),
    }
    assert join_codes(no_kk, found).tolist() == [
        "anak_stunting;anak_2t;ibu_hamil_anemia",
        "anak_stunting",
        "",
    ]
    assert FAMILY_CODES[:2] == ("anak_stunting", "anak_kurus")
    assert FAMILY_CODES[2:] == (*SIGNALS, *PREGNANCY_CODES)


def test_cli_exports_temuan_last_and_allocates_pmt_dinkes(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    from sinergi.cli import app

    _world(engine, tmp_path)
    runner = CliRunner()
    res = runner.invoke(app, ["assess", "--date", REF.isoformat(), "--db", db_url])
    assert res.exit_code == 0, res.output
    out = tmp_path / "penilaian.csv"
    res = runner.invoke(app, ["export", "assessment", "--out", str(out), "--db", db_url])
    assert res.exit_code == 0, res.output
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(exported.columns)[-2:] == ["pasangan", "temuan"]
    assert exported.set_index("no_kk")["temuan"].to_dict() == EXPECTED
    chosen = tmp_path / "usulan.csv"
    res = runner.invoke(app, ["allocate", "pmt-dinkes", "--out", str(chosen), "--db", db_url])
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(chosen, dtype=str)["no_kk"]) == PMT_DINKES
