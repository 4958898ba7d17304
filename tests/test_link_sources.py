"""Agency lists and P3KE as linkage sources, and golden records, on SQLite and PostgreSQL: a
person an agency names with a mistyped NIK or a KK the roster does not hold reaches their family;
a P3KE family written under another KK gives its decile to the roster family it is (with
history); every cluster has one golden record whose fields follow the survivorship rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.deliver.story import family_story
from sinergi.link.golden import golden, intervention_family
from sinergi.link.run import link
from sinergi.registry.importer import import_file
from sinergi.reports.tables import kamus_codes
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    families,
    golden_persons,
    interventions,
    link_pairs,
    person_links,
    value_history,
)
from tests.helpers import file_headers, person, write_csv
from tests.review_data import EPPGBM, KELUARGA

A, B = "64.08.01.2001", "64.08.01.2002"
KK_A, KK_B = "6408010101200001", "6408010101200002"
KK_ELSEWHERE = "6408010101209999"  # a KK the roster does not hold
HOUSE = ["Jl. Poros 1", "001", "002", "Ledeng/PAM", "Jamban Sendiri dengan Septic Tank", "Ya"]
BUDI, SITI = "6408010101880002", "6408014501900001"
RAHMAT, RIZKY = "6408010101800003", "6408011503240003"


def _roster(tmp_path: Path) -> Path:
    a, b = [A, *HOUSE], [B, *HOUSE]
    rows = [
        person(KK_A, BUDI, "Budi Santoso", "L", "01/01/1988", "Kepala Keluarga", fam=a),
        person(KK_A, SITI, "Siti Aminah", "P", "05/01/1990", "Istri", fam=a),
        person(KK_A, RIZKY, "Muhammad Rizky", "L", "15/03/2024", "Anak", "Belum Kawin", fam=a),
        person(KK_B, RAHMAT, "Rahmat Hidayat", "L", "01/01/1980", "Kepala Keluarga", fam=b),
        person(KK_B, "6408014101820004", "Ratna Sari", "P", "01/01/1982", "Istri", fam=b),
    ]
    return write_csv(tmp_path / "keluarga.csv", KELUARGA, rows)


def _agency(tmp_path: Path) -> Path:
    rows = [
        # Budi with one wrong NIK digit, in the KK the list names
        ["pmt-baznas", KK_A, BUDI[:-1] + "7", "Budi Santoso", A, "10/08/2026", "Tersalurkan"],
        # Siti with her own NIK but a KK the roster does not hold
        ["pmt-baznas", KK_ELSEWHERE, SITI, "Siti Aminah", A, "11/08/2026", "Tersalurkan"],
        # a person nobody of the roster is
        ["pmt-baznas", "", "6408015505700001", "Sumarni", B, "12/08/2026", "Tersalurkan"],
    ]
    rows = [[*r, "1100000", "Paket pangan"] for r in rows]
    return write_csv(tmp_path / "baznas.csv", file_headers("intervensi"), rows)


def _p3ke(tmp_path: Path) -> Path:
    # Rahmat's family written under another KK, his name spelled another way.
    row = [KK_ELSEWHERE.replace("9999", "8888"), RAHMAT, "Rachmat Hidajat", B, "Jl. Poros 1"]
    row += ["1", "Ya", "Tidak", "250000"]
    return write_csv(tmp_path / "p3ke.csv", file_headers("p3ke"), [row])


def _kid(tmp_path: Path) -> Path:
    # Rizky at the posyandu in the other village, without NIK, after the roster was written.
    row = ["", "Muhamad Rizki", "L", "15/03/2024", "Siti Aminah", "", "", B, "Melati"]
    row += ["24/08/2026", "9,0", "75,0", "Berdiri"]
    return write_csv(tmp_path / "eppgbm.csv", EPPGBM, [row])


def _linked(engine: Engine, tmp_path: Path) -> Engine:
    as_of = date(2026, 1, 15)
    assert import_file(engine, "keluarga", _roster(tmp_path), as_of=as_of).status == "dimuat"
    assert import_file(engine, "intervensi", _agency(tmp_path)).status == "dimuat"
    assert import_file(engine, "p3ke", _p3ke(tmp_path), as_of=date(2026, 3, 1)).status == "dimuat"
    assert import_file(engine, "eppgbm", _kid(tmp_path)).status == "dimuat"
    link(engine, train=False)
    return engine


def _links(engine: Engine) -> pd.DataFrame:
    pl = person_links.c
    with engine.connect() as conn:
        rows = read_frame(
            conn, select(pl.record, pl.sumber, pl.cluster_id, pl.no_kk, pl.decided_by)
        )
    return rows.set_index("record")


def _agency_keys(engine: Engine) -> dict[str, str]:
    i = interventions.c
    with engine.connect() as conn:
        rows = conn.execute(select(i.nama, i.record_key)).all()
    return {name: key for name, key in rows}


def test_a_person_an_agency_names_reaches_their_family(engine: Engine, tmp_path: Path) -> None:
    _linked(engine, tmp_path)
    links = _links(engine)
    keys = _agency_keys(engine)
    budi = links.loc["intervensi:" + keys["Budi Santoso"]]
    assert budi["cluster_id"] == "keluarga:" + BUDI
    assert budi["decided_by"] == "model"
    siti = links.loc["intervensi:" + keys["Siti Aminah"]]
    assert siti["cluster_id"] == "keluarga:" + SITI and siti["no_kk"] == KK_A
    assert siti["decided_by"] == "nik"
    stranger = links.loc["intervensi:" + keys["Sumarni"]]
    assert stranger["decided_by"] == "sendiri" and stranger["no_kk"] is None

    # Coverage and the family page find the rows the linkage attached.
    kk, joined = intervention_family()
    i = interventions.c
    with engine.connect() as conn:
        reached = dict(conn.execute(select(i.nama, kk).select_from(joined)).all())
    assert reached == {"Budi Santoso": KK_A, "Siti Aminah": KK_A, "Sumarni": None}
    story = family_story(engine, KK_A)
    assert story is not None


def test_a_p3ke_family_under_another_kk_gives_its_decile_with_history(
    engine: Engine, tmp_path: Path
) -> None:
    _linked(engine, tmp_path)
    elsewhere = KK_ELSEWHERE.replace("9999", "8888")
    links = _links(engine)
    assert links.loc["p3ke:" + elsewhere, "cluster_id"] == "keluarga:" + RAHMAT
    f = families.c
    with engine.connect() as conn:
        got = dict(conn.execute(select(f.no_kk, f.desil)).all())
        merged = conn.execute(select(f.digabung_ke).where(f.no_kk == elsewhere)).scalar()
        source = conn.execute(
            select(f.desil_batch_id, f.desil_baris).where(f.no_kk.in_((KK_B, elsewhere)))
        ).all()
    # A first fill: its source is the P3KE row itself (provenance), as for any import.
    assert got[KK_B] == 1 and merged == KK_B
    assert source[0] == source[1]

    # A newer P3KE list of that family changes the roster family's decile, with history.
    newer = _p3ke(tmp_path).read_text().replace(",1,Ya", ",2,Ya")
    (tmp_path / "p3ke-2.csv").write_text(newer)
    assert import_file(engine, "p3ke", tmp_path / "p3ke-2.csv", as_of=date(2026, 6, 1)).status == (
        "dimuat"
    )
    link(engine, train=False)
    vh = value_history.c
    with engine.connect() as conn:
        assert conn.execute(select(f.desil).where(f.no_kk == KK_B)).scalar() == 2
        history = conn.execute(
            select(vh.old_value, vh.new_value).where(vh.record_key == KK_B, vh.field == "desil")
        ).all()
    assert [(str(a), str(b)) for a, b in history] == [("1", "2")]

    # Linking again changes nothing (idempotent), and keeps the mark.
    link(engine, full=True, train=False)
    with engine.connect() as conn:
        assert conn.execute(select(f.digabung_ke).where(f.no_kk == elsewhere)).scalar() == KK_B


def test_every_cluster_has_one_golden_record_by_the_survivorship_rules(
    engine: Engine, tmp_path: Path
) -> None:
    _linked(engine, tmp_path)
    g = golden_persons.c
    with engine.connect() as conn:
        rows = read_frame(conn, select(golden_persons)).set_index("cluster_id")
        clusters = read_frame(conn, select(person_links.c.cluster_id).distinct())
    assert set(rows.index) == set(clusters["cluster_id"])
    rizky = rows.loc["keluarga:" + RIZKY]
    # The roster's identity, the newest village (weighed in village B after the roster).
    assert rizky["nama"] == "Muhammad Rizky" and rizky["nik"] == RIZKY
    assert rizky["kode_desa"] == B and rizky["no_kk"] == KK_A
    assert rizky["sumber"] == "keluarga;eppgbm" and rizky["rekaman"] == 2
    assert rizky["asal"]["nama"] == "keluarga:" + RIZKY
    assert rizky["asal"]["kode_desa"].startswith("eppgbm:")
    rahmat = rows.loc["keluarga:" + RAHMAT]
    assert rahmat["sumber"] == "keluarga;p3ke" and rahmat["nama"] == "Rahmat Hidayat"
    assert g.cluster_id is not None


def test_golden_ties_go_to_the_roster_then_the_record_id() -> None:
    records = pd.DataFrame(
        {
            "unique_id": ["eppgbm:x", "keluarga:1", "intervensi:y"],
            "sumber": ["eppgbm", "keluarga", "intervensi"],
            "nik": [None, "1", "2"],
            "nama": ["A", "B", "C"],
            "tanggal_lahir": [None, date(2024, 1, 1), None],
            "jenis_kelamin": ["L", "L", None],
            "kode_desa": ["d1", "d2", "d3"],
            "tanggal_data": [date(2026, 1, 1)] * 3,
        }
    )
    links = pd.DataFrame({"record": records["unique_id"], "cluster_id": "keluarga:1", "no_kk": "K"})
    out = golden(records, links).iloc[0]
    assert out["nama"] == "B" and out["nik"] == "1"
    assert out["kode_desa"] == "d2"  # a tie of dates: the roster's
    assert out["sumber"] == "keluarga;eppgbm;intervensi" and out["rekaman"] == 3


def test_the_review_queue_shows_an_agency_pair_in_its_village(
    engine: Engine, tmp_path: Path
) -> None:
    # An agency row with a NIK one digit off and no KK: no birth date, no family to confirm
    # it, so an officer decides.
    assert import_file(engine, "keluarga", _roster(tmp_path)).status == "dimuat"
    nik = RAHMAT[:-1] + "9"
    row = ["blt-dd", "", nik, "Rahmat Hidayat", B, "10/08/2026", "Tersalurkan", "900000", "x"]
    path = write_csv(tmp_path / "blt.csv", file_headers("intervensi"), [row])
    assert import_file(engine, "intervensi", path).status == "dimuat"
    link(engine, train=False, review_threshold=0.01)
    lp = link_pairs.c
    with engine.connect() as conn:
        pairs = conn.execute(select(lp.record_l, lp.record_r, lp.status, lp.kode_desa)).all()
    mine = [p for p in pairs if "keluarga:" + RAHMAT in (p[0], p[1])]
    assert [(p[2], p[3]) for p in mine] == [("menunggu", B)]


def test_the_links_export_names_agency_and_p3ke_records(engine: Engine, tmp_path: Path) -> None:
    from sinergi.link.review import links_table
    from sinergi.security.auth import User

    _linked(engine, tmp_path)
    admin = User(id=0, username="admin", role="admin", wilayah=(), program=())
    table = links_table(engine, admin)
    by_source = table.groupby("sumber")["nama"].apply(set).to_dict()
    assert {"Budi Santoso", "Siti Aminah", "Sumarni"} <= by_source["intervensi"]
    assert by_source["p3ke"] == {"Rachmat Hidajat"}
    assert table.loc[table["sumber"] == "p3ke", "berkas"].iat[0] == "p3ke.csv"


def test_sinergi_export_golden_writes_one_row_per_person(engine: Engine, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from sinergi.cli import app

    _linked(engine, tmp_path)
    out = tmp_path / "orang.xlsx"
    result = CliRunner().invoke(
        app, ["export", "golden", "--out", str(out), "--db", str(engine.url)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sheet = book["Orang"]
    header = [kamus_codes(book).get(c.value, c.value) for c in next(sheet.iter_rows(max_row=1))]
    assert {"nik", "nama", "no_kk", "sumber", "asal"} <= set(header)
    rows = [
        dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    rizky = [r for r in rows if r["nama"] == "Muhammad Rizky"]
    assert len(rizky) == 1 and rizky[0]["sumber"] == "keluarga;eppgbm"
    assert "kode_desa: eppgbm" in rizky[0]["asal"]


def test_a_pregnant_woman_with_a_mistyped_nik_finds_her_family(
    engine: Engine, tmp_path: Path
) -> None:
    from sinergi.assess.pregnancy import current

    assert import_file(engine, "keluarga", _roster(tmp_path)).status == "dimuat"
    header = ["NIK", "Nama", "No KK", "Kode Desa", "Tanggal Pemeriksaan", "HPHT", "LiLA", "Hb"]
    row = [SITI[:-1] + "8", "Siti Aminah", KK_A, A, "01/06/2026", "01/03/2026", "22", "10,5"]
    path = write_csv(tmp_path / "anc.csv", header, [row])
    assert import_file(engine, "ibu_hamil", path).status == "dimuat"
    before = current(engine, date(2026, 7, 1))
    assert before["no_kk"].iat[0] == KK_A and before["kk_dari"].iat[0] == "berkas"
    link(engine, train=False)
    links = _links(engine)
    mine = links[links["sumber"] == "ibu_hamil"]
    assert mine["cluster_id"].tolist() == ["keluarga:" + SITI]
    assert mine["decided_by"].tolist() == ["model"]
    from sinergi.link.review import links_table
    from sinergi.security.auth import User

    admin = User(id=0, username="admin", role="admin", wilayah=(), program=())
    table = links_table(engine, admin)
    row = table[table["sumber"] == "ibu_hamil"].iloc[0]
    assert row["nama"] == "Siti Aminah" and row["berkas"] == "anc.csv" and row["baris"] == 2


def test_the_assessment_counts_a_joined_p3ke_family_once(engine: Engine, tmp_path: Path) -> None:
    from sinergi.assess.run import assess
    from sinergi.rules import load_ruleset
    from sinergi.store.tables import assessment_families

    _linked(engine, tmp_path)
    run = assess(engine, load_ruleset("krs-2024"), date(2026, 8, 31)).run_id
    af = assessment_families.c
    with engine.connect() as conn:
        rows = dict(conn.execute(select(af.no_kk, af.faktor).where(af.run_id == run)).all())
    elsewhere = KK_ELSEWHERE.replace("9999", "8888")
    assert elsewhere not in rows  # joined to KK_B: not a family of its own
    assert "desil_1" in rows[KK_B].split(";")  # the decile P3KE gave the roster family


def test_a_posyandu_child_and_a_pregnant_woman_are_never_a_pair() -> None:
    from sinergi.link.run import implausible

    pairs = pd.DataFrame(
        {
            "sumber_l": ["eppgbm", "eppgbm", "ibu_hamil"],
            "sumber_r": ["ibu_hamil", "keluarga", "keluarga"],
            "gamma_rapat": [4, 4, 4],
            "gamma_nik": [2, 2, 2],
            "gamma_ibu_rapat": [-1, -1, -1],
            "gamma_nik_ibu": [-1, -1, -1],
        }
    )
    assert implausible(pairs).tolist() == [True, False, False]
