"""Coverage and convergence (sinergi.monitor) on a small hand-built case, on SQLite and PostgreSQL.

Three villages (A and B in kecamatan Muara Ancalong, C in Muara Wahau), ten families, two
assessment runs, and delivery records of every kind. Each expected figure below is counted by
hand from the fixture; the comments on the fixture say why each family counts where it does.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, insert

from sinergi.assess.prevalence import wilson
from sinergi.messages import t
from sinergi.monitor import coverage, missed_by_programmes, totals
from sinergi.monitor.coverage import CoverageError
from sinergi.store.tables import (
    assessment_families,
    families,
    interventions,
    persons,
    project_households,
    projects,
)
from tests.stored import insert_child, insert_proposal, insert_run

A, B, C = "64.08.01.2001", "64.08.01.2002", "64.08.02.2001"
NOW = datetime(2026, 9, 1, tzinfo=UTC)
AIR, JAMBAN, KB, DESIL, RUMAH = (
    "air_minum_tidak_layak",
    "jamban_tidak_layak",
    "tidak_kb_modern",
    "desil_1",
    "rumah_tidak_layak",
)
FACTORS = (AIR, JAMBAN, KB, DESIL, RUMAH)  # the fired ones, in FACTOR_CODES order


def kk(i: int) -> str:
    return f"64080100000000{i:02d}"


# (no_kk, village, sasaran, faktor, krs, miskin_ekstrem) of the current run (2)
RUN2 = [
    (kk(1), A, "pus", f"{AIR};{KB}", True, False),  # water by project (resolved), KB counselling
    # delivered (served, not resolved): converged as served only
    (kk(2), A, "pus;balita", AIR, True, True),  # only an approved cash proposal
    (kk(3), A, "pus", f"{KB};{DESIL}", True, True),  # KB approved; cash delivered (matched by
    # NIK) serves decile 1 (blt-dd also_meets) without resolving it
    (kk(4), A, "", "", False, False),  # not a target family
    (kk(5), A, "baduta", JAMBAN, True, False),  # only usulan/ditolak: no intervention at all
    (kk(6), B, "pus", RUMAH, True, True),  # house renovated (imported list): converged
    (kk(7), B, "", DESIL, False, True),  # extreme poor, no aid at all
    (kk(8), B, "pus", AIR, True, False),  # verified PMT, unknown programme, project
    # under construction: water served (a planned connection), not resolved
    (kk(9), C, "pus", f"{AIR};{JAMBAN}", True, True),  # operating water project: water met
    (kk(10), C, "pus", AIR, True, False),  # water approved (imported list): in progress
]
# The previous run (1): fewer KRS families.
RUN1 = [
    (kk(1), A, "pus", AIR, True, False),
    (kk(2), A, "pus", AIR, True, True),
    (kk(3), A, "pus", "", False, True),
    (kk(6), B, "pus", RUMAH, True, True),
    (kk(9), C, "", AIR, False, False),
]
# (village, birth date, status_tbu, flags) of each child of run 2 (reference date 2026-08-31)
KIDS2 = [
    (A, date(2024, 1, 1), "pendek", ""),  # stunted
    (A, date(2023, 5, 5), "normal", ""),
    (A, date(2025, 1, 1), None, ""),  # not scored: not measured
    (A, date(2024, 2, 2), "sangat_pendek", "tbu"),  # implausible z: left out, as WHO does
    (A, date(2020, 1, 1), "pendek", ""),  # over five at the reference date: left out
    (B, date(2023, 1, 1), "sangat_pendek", ""),  # stunted
    (B, date(2023, 2, 1), "normal", "bbtb"),  # a weight flag does not matter here
    (B, date(2023, 3, 1), "normal", ""),
    (B, date(2023, 4, 1), "normal", ""),
]
KIDS1 = [
    (A, date(2023, 1, 1), "pendek", ""),
    (A, date(2023, 2, 1), "normal", ""),
    (A, date(2023, 3, 1), "normal", ""),
    (A, date(2023, 4, 1), "normal", ""),
]


def _run(conn: Any, run_id: int, ref: date, fams: list[tuple], kids: list[tuple]) -> None:
    # As assess() stores them: how often each factor fired in the whole run.
    fired = Counter(code for *_, faktor, _krs, _poor in fams for code in faktor.split(";") if code)
    counts = {f"faktor:{c}": n for c, n in fired.items()}
    insert_run(conn, ref, id=run_id, created_at=NOW, families=len(fams), counts=counts)
    conn.execute(
        insert(assessment_families),
        [
            {
                "run_id": run_id,
                "no_kk": no_kk,
                "kode_desa": desa,
                "sasaran": sasaran,
                "faktor": faktor,
                "krs": krs,
                "miskin_ekstrem": poor,
                "jumlah_balita": 0,
                "jumlah_balita_stunting": 0,
            }
            for no_kk, desa, sasaran, faktor, krs, poor in fams
        ],
    )
    for i, (desa, born, status, flags) in enumerate(kids):
        insert_child(
            conn, run_id, f"r{run_id}c{i}", born, desa, ref, status_tbu=status, flags=flags
        )


def _proposal(
    conn: Any, no_kk: str, desa: str, program: str, status: str, periode: str = "2026"
) -> None:
    insert_proposal(conn, program, no_kk, desa, 2, status, periode, created_at=NOW)


def _intervention(
    conn: Any, key: str, program: str, status: str, no_kk: str | None = None, nik: str | None = None
) -> None:
    conn.execute(
        insert(interventions).values(
            record_key=key,
            kode_program=program,
            no_kk=no_kk,
            nik=nik,
            tanggal=date(2026, 6, 1),
            status=status,
        )
    )


def _project(
    conn: Any, desa: str, status: str, households: list[str], program: str = "air-bersih"
) -> None:
    pid = conn.execute(
        insert(projects)
        .values(
            kode_program=program,
            kode_desa=desa,
            periode="2026",
            status=status,
            updated_at=NOW,
            updated_by="uji",
        )
        .returning(projects.c.id)
    ).scalar_one()
    for no_kk in households:
        conn.execute(
            insert(project_households).values(
                project_id=pid, no_kk=no_kk, tersambung=date(2026, 7, 1), oleh="uji"
            )
        )


@pytest.fixture
def case(engine: Engine) -> Engine:
    with engine.begin() as conn:
        conn.execute(
            insert(families),
            [
                {"no_kk": no_kk, "kode_desa": desa, "nama_kepala": f"Kepala {no_kk[-2:]}"}
                for no_kk, desa, *_ in RUN2
            ],
        )
        conn.execute(
            insert(persons).values(
                nik="6408014101900003",
                no_kk=kk(3),
                nama="Ibu Tiga",
                jenis_kelamin="P",
                tanggal_lahir=date(1990, 1, 1),
                hubungan="istri",
            )
        )
        _run(conn, 1, date(2026, 2, 28), RUN1, KIDS1)
        _run(conn, 2, date(2026, 8, 31), RUN2, KIDS2)
        _proposal(conn, kk(1), A, "kb-tpk", "tersalurkan")
        _proposal(conn, kk(2), A, "blt-dd", "disetujui")  # need miskin_ekstrem: no factor
        _proposal(conn, kk(3), A, "kb-tpk", "disetujui")
        _proposal(conn, kk(5), A, "kb-tpk", "usulan")
        _proposal(conn, kk(5), A, "kb-tpk", "ditolak", periode="2025")
        _proposal(conn, kk(8), B, "pmt-dinkes", "terverifikasi")
        _proposal(conn, kk(9), C, "bedah-rumah", "disetujui")  # rumah not fired for K9
        # An unregistered No. KK on the imported row: matched through the NIK instead.
        _intervention(
            conn, "i1", "blt-dd", "tersalurkan", no_kk="9999999999999999", nik="6408014101900003"
        )
        _intervention(conn, "i2", "bedah-rumah", "tersalurkan", no_kk=kk(6))
        _intervention(conn, "i3", "program-x", "tersalurkan", no_kk=kk(8))
        _intervention(conn, "i4", "air-bersih", "disetujui", no_kk=kk(10))
        _intervention(conn, "i5", "bedah-rumah", "ditolak", no_kk=kk(10))
        _intervention(conn, "i6", "blt-dd", "tersalurkan", nik="0000000000000000")  # nobody
        _project(conn, A, "beroperasi", [kk(1)])
        _project(conn, B, "konstruksi", [kk(8)])
        _project(conn, C, "beroperasi", [kk(9)])
    return engine


def _factor_cols(values: dict[str, tuple[int, int, int, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for code in FACTORS:
        need, served, met, progress = values.get(code, (0, 0, 0, 0))
        out |= {
            f"perlu_{code}": need,
            f"dilayani_{code}": served,
            f"terpenuhi_{code}": met,
            f"proses_{code}": progress,
        }
    return out


def _ci(x: int, n: int) -> tuple[float | None, float | None]:
    interval = wilson(x, n)
    return (100 * interval[0], 100 * interval[1]) if interval else (None, None)


def _row(
    kode: str,
    nama: str,
    counts: tuple[int, int, int, int],
    factors: dict[str, tuple[int, int, int, int]],
    konvergen: tuple[int, int],
    tanpa: tuple[int, int],
    kids: tuple[int, int],
    prev: tuple[int, float | None, float | None],
) -> dict:
    keluarga, sasaran, krs, poor = counts
    measured, stunted = kids
    low, high = _ci(stunted, measured)
    return {
        "kode_wilayah": kode,
        "nama_wilayah": nama,
        "keluarga": keluarga,
        "keluarga_sasaran": sasaran,
        "krs": krs,
        "miskin_ekstrem": poor,
        **_factor_cols(factors),
        "konvergen": konvergen[0],
        "konvergensi_pct": 100 * konvergen[0] / krs if krs else None,
        "konvergen_dilayani": konvergen[1],
        "konvergensi_dilayani_pct": 100 * konvergen[1] / krs if krs else None,
        "krs_tanpa_intervensi": tanpa[0],
        "miskin_ekstrem_tanpa_bantuan": tanpa[1],
        "balita_diukur": measured,
        "balita_stunting": stunted,
        "prevalensi_stunting_pct": 100 * stunted / measured if measured else None,
        "ci95_bawah_pct": low,
        "ci95_atas_pct": high,
        "krs_sebelumnya": prev[0],
        "perubahan_krs": krs - prev[0],
        "prevalensi_sebelumnya_pct": prev[1],
        "konvergensi_sebelumnya_pct": prev[2],
    }


DESA = [
    _row(
        A,
        "Senyiur",
        (5, 4, 4, 2),
        {AIR: (2, 1, 1, 0), JAMBAN: (1, 0, 0, 0), KB: (2, 1, 0, 1), DESIL: (1, 1, 0, 0)},
        konvergen=(0, 1),
        tanpa=(1, 1),
        kids=(2, 1),
        prev=(2, 25.0, 50.0),
    ),
    _row(
        B,
        "Kelinjau Ilir",
        (3, 2, 2, 2),
        {AIR: (1, 1, 0, 0), RUMAH: (1, 1, 1, 0)},
        konvergen=(1, 2),
        tanpa=(0, 1),
        kids=(4, 1),
        prev=(1, None, 100.0),
    ),
    _row(
        C,
        "Jak Luay",
        (2, 2, 2, 1),
        {AIR: (2, 1, 1, 1), JAMBAN: (1, 0, 0, 0)},
        konvergen=(0, 0),
        tanpa=(0, 0),
        kids=(0, 0),
        prev=(0, None, None),
    ),
]
KECAMATAN = [
    _row(
        "64.08.01",
        "Muara Ancalong",
        (8, 6, 6, 4),
        {
            AIR: (3, 2, 1, 0),
            JAMBAN: (1, 0, 0, 0),
            KB: (2, 1, 0, 1),
            DESIL: (1, 1, 0, 0),
            RUMAH: (1, 1, 1, 0),
        },
        konvergen=(1, 3),
        tanpa=(1, 2),
        kids=(6, 2),
        prev=(3, 25.0, 200 / 3),
    ),
    _row(
        "64.08.02",
        "Muara Wahau",
        (2, 2, 2, 1),
        {AIR: (2, 1, 1, 1), JAMBAN: (1, 0, 0, 0)},
        konvergen=(0, 0),
        tanpa=(0, 0),
        kids=(0, 0),
        prev=(0, None, None),
    ),
]
KABUPATEN = [
    _row(
        "64.08",
        "Kabupaten Kutai Timur",
        (10, 8, 8, 5),
        {
            AIR: (5, 3, 2, 1),
            JAMBAN: (2, 0, 0, 0),
            KB: (2, 1, 0, 1),
            DESIL: (1, 1, 0, 0),
            RUMAH: (1, 1, 1, 0),
        },
        konvergen=(1, 3),
        tanpa=(1, 2),
        kids=(6, 2),
        prev=(3, 25.0, 200 / 3),
    ),
]


def _assert_rows(frame: pd.DataFrame, expected: list[dict]) -> None:
    assert list(frame.columns) == list(expected[0])
    got = frame.to_dict("records")
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        for col, value in want.items():
            if value is None:
                assert row[col] is None, (row["kode_wilayah"], col, row[col])
            elif isinstance(value, float):
                assert row[col] == pytest.approx(value), (row["kode_wilayah"], col)
            else:
                assert row[col] == value, (row["kode_wilayah"], col, row[col])


@pytest.mark.parametrize(
    ("level", "expected"), [("desa", DESA), ("kecamatan", KECAMATAN), ("kabupaten", KABUPATEN)]
)
def test_coverage_levels(case: Engine, level: str, expected: list[dict]) -> None:
    frame = coverage(case, level=level)  # newest run (2), previous = run 1
    _assert_rows(frame, expected)
    assert frame.attrs["run_id"] == 2 and frame.attrs["previous_run_id"] == 1


def test_explicit_runs_and_no_previous(case: Engine) -> None:
    _assert_rows(coverage(case, run_id=2, previous_run_id=1), DESA)
    first = coverage(case, run_id=1)
    assert first.attrs["previous_run_id"] is None
    for col in (
        "krs_sebelumnya",
        "perubahan_krs",
        "prevalensi_sebelumnya_pct",
        "konvergensi_sebelumnya_pct",
    ):
        assert first[col].tolist() == [None] * len(first)
    # Run 1 alone: K1 converged (water by project), K2 not; K6 converged.
    assert first["krs"].tolist() == [2, 1, 0]
    assert first["konvergen"].tolist() == [1, 1, 0]
    assert first["konvergensi_pct"].tolist()[:2] == [50.0, 100.0]
    assert first["konvergensi_pct"].tolist()[2] is None
    # Comparing run 2 with itself: no change.
    same = coverage(case, run_id=2, previous_run_id=2)
    assert same["perubahan_krs"].tolist() == [0, 0, 0]


def test_prefixes_scope_the_areas(case: Engine) -> None:
    _assert_rows(coverage(case, level="desa", prefixes=["64.08.02"]), DESA[2:])
    scoped = coverage(case, level="kabupaten", prefixes=[B])
    only_b = {**DESA[1], "kode_wilayah": "64.08", "nama_wilayah": "Kabupaten Kutai Timur"}
    _assert_rows(scoped, [only_b])
    both = coverage(case, level="desa", prefixes=[A, C])
    assert both["kode_wilayah"].tolist() == [A, C]
    assert coverage(case, prefixes=["64.08.03"]).empty  # nobody assessed there


def test_totals_add_up_to_the_kabupaten_row(case: Engine) -> None:
    desa = coverage(case, level="desa")
    want = {**KABUPATEN[0], "kode_wilayah": "", "nama_wilayah": "Jumlah"}
    _assert_rows(pd.DataFrame([totals(desa)]), [want])
    # A slice of the rows adds up to the kecamatan it is.
    want = {**KECAMATAN[0], "kode_wilayah": "", "nama_wilayah": "Jumlah"}
    _assert_rows(pd.DataFrame([totals(desa.iloc[:2])]), [want])
    # The row is named in the reader's language.
    assert totals(desa, "en")["nama_wilayah"] == "Total"


def test_missed_by_programmes(case: Engine) -> None:
    missed = missed_by_programmes(case)
    assert missed.to_dict("records") == [
        {
            "no_kk": kk(5),
            "kode_desa": A,
            "nama_kepala": "Kepala 05",
            "faktor": JAMBAN,
            "sasaran": "baduta",
            "miskin_ekstrem": False,
        }
    ]
    assert missed_by_programmes(case, prefixes=["64.08.02"]).empty
    # In run 1 K5 was not assessed; K2 had the approved proposal; nobody is missed.
    assert missed_by_programmes(case, run_id=1).empty


def test_refuses_unknown_level_and_run(case: Engine) -> None:
    with pytest.raises(ValueError, match="level"):
        coverage(case, level="provinsi")
    with pytest.raises(ValueError, match="not found"):
        coverage(case, run_id=99)


def test_refusals_are_sentences_of_the_catalogue(case: Engine) -> None:
    with pytest.raises(CoverageError) as exc:
        coverage(case, level="provinsi")
    assert exc.value.message("id") == t("tingkat_tidak_dikenal", "id", level="provinsi")
    with pytest.raises(CoverageError) as exc:
        coverage(case, run_id=2, previous_run_id=99)
    assert exc.value.code == "penilaian_tidak_ditemukan"
    assert exc.value.message("id") == "Penilaian 99 tidak ditemukan."


def test_no_run_yet(engine: Engine) -> None:
    for read in (coverage, missed_by_programmes):
        with pytest.raises(CoverageError) as exc:
            read(engine)
        assert exc.value.message("en") == t("belum_ada_penilaian", "en")


def test_wilson_interval() -> None:
    low, high = wilson(20, 100)  # type: ignore[misc]
    # 20/100 → 13.34 %–28.88 % (Wilson score interval, 95 %)
    assert round(100 * low, 2) == 13.34
    assert round(100 * high, 2) == 28.88
    assert wilson(0, 0) is None
    low, high = wilson(0, 10)  # type: ignore[misc]
    assert low == 0.0 and high == pytest.approx(0.27753, abs=5e-5)
