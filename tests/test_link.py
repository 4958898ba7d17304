"""Person linkage on SQLite and PostgreSQL: the everyday posyandu errors link a child to its
family, the hard negatives stay apart, and an incremental link equals a full one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from sinergi.assess.missed import missed
from sinergi.assess.run import assess, children_latest
from sinergi.link.names import normalise
from sinergi.link.run import link
from sinergi.registry.importer import import_file
from sinergi.rules import load_ruleset
from sinergi.store.tables import link_pairs, person_links
from tests.helpers import person, write_csv
from tests.review_data import EPPGBM, KELUARGA

A, B = "64.08.01.2001", "64.08.01.2002"
KK_A, KK_B, KK_C = "6408010101200001", "6408010101200002", "6408010101200003"
HOUSE = ["Jl. Poros 1", "001", "002", "Ledeng/PAM", "Jamban Sendiri dengan Septic Tank", "Ya"]
REF = date(2026, 8, 31)

# Roster children (NIK, name, sex, birth date, KK)
RIZKY = ("6408011503240003", "Muhammad Rizky", "L", "15/03/2024", KK_A)
TYPO = ("6408012204240001", "Putri Ayu", "P", "22/04/2024", KK_A)
SWAP = ("6408010706230002", "Bagus Saputra", "L", "07/06/2023", KK_B)
HASAN = ("6408011010240001", "Hasan", "L", "10/10/2024", KK_B)  # twins
HUSAIN = ("6408011010240002", "Husain", "L", "10/10/2024", KK_B)
FAUZI = ("6408010101250001", "Ahmad Fauzi", "L", "01/01/2025", KK_C)


def _roster(tmp_path: Path) -> Path:
    a, b = [A, *HOUSE], [B, *HOUSE]
    rows = [
        person(
            KK_A, "6408010101880002", "Budi Santoso", "L", "01/01/1988", "Kepala Keluarga", fam=a
        ),
        person(KK_A, "6408014501900001", "Siti Aminah", "P", "05/01/1990", "Istri", fam=a),
        person(
            KK_B, "6408010101850001", "Joko Susilo", "L", "01/01/1985", "Kepala Keluarga", fam=a
        ),
        person(KK_B, "6408014502880002", "Dewi Lestari", "P", "05/02/1988", "Istri", fam=a),
        person(
            KK_C, "6408010101800003", "Rahmat Hidayat", "L", "01/01/1980", "Kepala Keluarga", fam=b
        ),
        person(KK_C, "6408014101820004", "Ratna Sari", "P", "01/01/1982", "Istri", fam=b),
    ]
    for nik, name, sex, born, kk in (RIZKY, TYPO, SWAP, HASAN, HUSAIN, FAUZI):
        rows.append(
            person(kk, nik, name, sex, born, "Anak", "Belum Kawin", fam=b if kk == KK_C else a)
        )
    return write_csv(tmp_path / "keluarga.csv", KELUARGA, rows)


def _kid(
    nik: str, name: str, sex: str, born: str, mother: str, village: str, when: str, tall: str
) -> list[str]:
    return [nik, name, sex, born, mother, "", "", village, "Melati", when, "9,0", tall, "Berdiri"]


FIRST = [
    # one wrong digit in the NIK (…001 → …007), no KK, no parent NIK
    _kid(
        "6408012204240007", "Putri Ayu", "P", "22/04/2024", "Siti Aminah", A, "10/02/2026", "70,0"
    ),
    # two neighbouring digits swapped (…0706… → …7006…) and the day and month of birth too
    _kid(
        "6408017006230002",
        "Bagus Saputra",
        "L",
        "06/07/2023",
        "Dewi Lestari",
        A,
        "10/02/2026",
        "80,0",
    ),
    # no NIK, the name spelled another way, with the exact NIK on an earlier visit
    _kid("", "Muhamad Rizki", "L", "15/03/2024", "Siti Aminah", A, "10/02/2026", "75,0"),
    # one twin without NIK: must join Husain, never Hasan
    _kid("", "Husain", "L", "10/10/2024", "Dewi Lestari", A, "10/02/2026", "65,0"),
    # a namesake born the same day in another village to another mother: nobody of the roster
    _kid(
        "",
        "Ahmad Fauzi",
        "L",
        "01/01/2025",
        "Sumarni",
        B.replace("2002", "2003"),
        "10/02/2026",
        "60,0",
    ),
]
SECOND = [
    # the same child as the spelled-differently one, now with its NIK, half a year later
    _kid(RIZKY[0], "Muhammad Rizky", "L", "15/03/2024", "Siti Aminah", A, "24/08/2026", "70,0"),
    _kid(HASAN[0], "Hasan", "L", "10/10/2024", "Dewi Lestari", A, "24/08/2026", "68,0"),
]


def _import(engine: Engine, tmp_path: Path, rows: list[list[str]], name: str) -> None:
    path = write_csv(tmp_path / name, EPPGBM, rows)
    assert import_file(engine, "eppgbm", path).status == "dimuat"


def _links(engine: Engine) -> pd.DataFrame:
    pl = person_links.c
    with engine.connect() as conn:
        rows = conn.execute(select(pl.record, pl.cluster_id, pl.no_kk, pl.decided_by)).all()
    return pd.DataFrame(rows, columns=["record", "cluster_id", "no_kk", "decided_by"]).set_index(
        "record"
    )


def _eppgbm_cluster(engine: Engine, name: str) -> pd.Series:
    from sinergi.store.tables import measurements

    m = measurements.c
    with engine.connect() as conn:
        key = conn.execute(select(m.record_key).where(m.nama_anak == name)).scalars().first()
    assert key is not None
    return _links(engine).loc["eppgbm:" + key.rsplit("@", 1)[0]]


@pytest.fixture
def linked(engine: Engine, tmp_path: Path) -> Engine:
    assert import_file(engine, "keluarga", _roster(tmp_path)).status == "dimuat"
    _import(engine, tmp_path, FIRST, "eppgbm-1.csv")
    link(engine, train=False)
    return engine


def test_everyday_errors_link_the_child_to_its_family(linked: Engine) -> None:
    typo = _eppgbm_cluster(linked, "Putri Ayu")
    assert typo["cluster_id"] == "keluarga:" + TYPO[0] and typo["no_kk"] == KK_A
    assert typo["decided_by"] == "model"
    swapped = _eppgbm_cluster(linked, "Bagus Saputra")
    assert swapped["cluster_id"] == "keluarga:" + SWAP[0] and swapped["no_kk"] == KK_B
    variant = _eppgbm_cluster(linked, "Muhamad Rizki")
    assert variant["cluster_id"] == "keluarga:" + RIZKY[0] and variant["no_kk"] == KK_A


def test_twins_and_a_namesake_stay_apart(linked: Engine) -> None:
    twin = _eppgbm_cluster(linked, "Husain")
    assert twin["cluster_id"] == "keluarga:" + HUSAIN[0]
    links = _links(linked)
    assert (
        links.loc["keluarga:" + HASAN[0], "cluster_id"]
        != links.loc["keluarga:" + HUSAIN[0], "cluster_id"]
    )
    namesake = _eppgbm_cluster(linked, "Ahmad Fauzi")
    assert namesake["cluster_id"] != "keluarga:" + FAUZI[0]
    assert namesake["no_kk"] is None


def test_the_assessment_attaches_linked_children_and_merges_one_childs_records(
    linked: Engine, tmp_path: Path
) -> None:
    _import(linked, tmp_path, SECOND, "eppgbm-2.csv")
    link(linked, train=False)
    kids = children_latest(linked, REF).set_index("nama_anak")
    assert (
        kids.loc["Putri Ayu", "no_kk"] == KK_A and kids.loc["Putri Ayu", "attached_by"] == "tautan"
    )
    assert kids.loc["Bagus Saputra", "no_kk"] == KK_B
    # Muhamad Rizki (no NIK, February) and Muhammad Rizky (NIK, August) are one child: its
    # latest measurement counts, once.
    rizky = kids[kids["nik_anak"].eq(RIZKY[0]) | kids.index.isin(["Muhamad Rizki"])]
    assert len(rizky) == 1 and str(rizky["tanggal_ukur"].iat[0]) == "2026-08-24"
    assert pd.isna(kids.loc["Ahmad Fauzi", "no_kk"])


def test_an_incremental_link_equals_a_full_link(linked: Engine, tmp_path: Path) -> None:
    _import(linked, tmp_path, SECOND, "eppgbm-2.csv")
    step = link(linked, train=False)
    assert step.new_records < step.records
    incremental = _links(linked)[["cluster_id", "no_kk"]]
    link(linked, full=True, train=False)
    full = _links(linked)[["cluster_id", "no_kk"]]
    pd.testing.assert_frame_equal(incremental.sort_index(), full.sort_index())


def test_an_unsure_pair_waits_and_the_missed_list_says_so(engine: Engine, tmp_path: Path) -> None:
    assert import_file(engine, "keluarga", _roster(tmp_path)).status == "dimuat"
    # stunted (height far too low), no NIK, a nickname and another mother's name: unsure
    _import(
        engine,
        tmp_path,
        [_kid("", "Putri", "P", "22/04/2024", "Aminah", A, "10/08/2026", "62,0")],
        "e.csv",
    )
    result = link(engine, threshold=0.999999, review_threshold=0.01, train=False)
    assert result.review >= 1
    with engine.connect() as conn:
        waiting = conn.execute(select(link_pairs.c.status)).scalars().all()
    assert "menunggu" in waiting
    run = assess(engine, load_ruleset("krs-2024"), REF).run_id
    codes = set(missed(engine, run)["kode_alasan"])
    assert "anak_perlu_tinjauan" in codes and "anak_tidak_terdaftar" not in codes


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Rizky", "M. Rizqi"),
        ("Muhammad Rizky", "Muhamad Rizki"),
        ("Nur Aisyah", "Nuraisyah"),
        ("Annisa", "Anisa"),
        ("Hj. Siti Fatimah binti Ahmad", "St. Fatimah"),
        ("Djoko Soetrisno", "Joko Sutrisno"),
        ("Achmad", "Ahmad"),
    ],
)
def test_indonesian_name_variants_have_one_normal_form(a: str, b: str) -> None:
    names = normalise(pd.Series([a, b]))
    assert names["rapat"].iat[0] == names["rapat"].iat[1]


def test_the_dinkes_officer_sees_the_children_of_its_data_that_link_to_no_family(
    linked: Engine,
) -> None:
    from sinergi.security.access import sees_unlinked_children
    from sinergi.security.auth import User
    from sinergi.web.queries import missed_children

    dinkes = User(1, "dinkes", "instansi", ("64.08.01",), ("pmt-dinkes",))
    baznas = User(2, "baznas", "instansi", ("64.08.01",), ("pmt-baznas",))
    assert sees_unlinked_children(dinkes) and not sees_unlinked_children(baznas)
    run = assess(linked, load_ruleset("krs-2024"), REF).run_id
    seen = set(missed_children(linked, dinkes, run, "id")["nama"])
    assert "Ahmad Fauzi" in seen  # measured, linked to nobody of the roster
    assert "Ahmad Fauzi" not in set(missed_children(linked, baznas, run, "id")["nama"])


def test_clusters_do_not_depend_on_the_order_the_pairs_come_in() -> None:
    """A posyandu record as likely to be either of two roster persons: the strongest link wins,
    and between equally strong links the records' ids decide, not the order in which the
    database or Spark happened to list the pairs."""
    from sinergi.link.run import assign

    records = pd.DataFrame(
        {
            "unique_id": ["keluarga:2", "keluarga:1", "eppgbm:9"],
            "sumber": ["keluarga", "keluarga", "eppgbm"],
            "nik": ["6408011010240002", "6408011010240001", None],
            "tanggal_lahir": [date(2024, 10, 10)] * 3,
            "jenis_kelamin": ["L"] * 3,
            "no_kk": [KK_B, KK_B, None],
            "nik_ibu": [None] * 3,
            "digest": [""] * 3,
        }
    )
    pairs = pd.DataFrame(
        {
            "record_l": ["eppgbm:9", "eppgbm:9"],
            "record_r": ["keluarga:2", "keluarga:1"],
            "probability": [0.99, 0.99],
            "status": ["otomatis", "otomatis"],
        }
    )
    found = [
        assign(records, listed, {KK_B}, {}).set_index("record").loc["eppgbm:9", "cluster_id"]
        for listed in (pairs, pairs.iloc[::-1].reset_index(drop=True))
    ]
    assert found == ["keluarga:1", "keluarga:1"]
