"""The linkage review queue (`sinergi.link.review`) and its command line (`sinergi review`,
`sinergi export links`), on SQLite and PostgreSQL: a waiting pair listed side by side; accepted,
the e-PPGBM child joins the roster person and its family; rejected, never joined, also after a
full re-link; a pair outside the user's area invisible and undecidable; a role without the
permission refused; every decision in the audit log."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sinergi.cli import UserError, app
from sinergi.link.review import (
    AGREEMENT,
    WAITING_WHY,
    AlreadyDecided,
    NotAllowed,
    NotFound,
    agreement,
    decide,
    links_table,
    pending,
)
from sinergi.link.run import link
from sinergi.messages import CATALOGUE
from sinergi.security.auth import User, server_user
from sinergi.store.tables import audit_log, link_pairs, person_links
from tests.review_data import (
    CHILD_A,
    CHILD_B,
    KK_A,
    POSYANDU_A,
    POSYANDU_B,
    VILLAGE_A,
    eppgbm_id,
    queued,
    roster_id,
)

runner = CliRunner()
OFFICER = server_user("petugas1")
# A Dinkes officer (its programme brings the e-PPGBM files) limited to village A.
DINKES = User(7, "dinkes_a", "instansi", (VILLAGE_A,), ("pmt-dinkes",))


def _link_of(engine, record: str):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(person_links).where(person_links.c.record == record)).one()


def _pair(engine, pair_id: int):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(link_pairs).where(link_pairs.c.id == pair_id)).one()


def test_agreement_words_from_the_levels() -> None:
    # NIK: exact (2) / one edit (1) / other (0); name: five levels, the strongest 4.
    assert [agreement("nik", level) for level in (-1, 0, 1, 2)] == [
        "kosong",
        "beda",
        "sebagian",
        "sama",
    ]
    assert agreement("nama", 3) == "sebagian" and agreement("nama", 4) == "sama"
    assert agreement("jenis_kelamin", 1) == "sama" and agreement("tanggal_lahir", None) == "kosong"
    codes = [code for _, code in AGREEMENT.values()] + list(WAITING_WHY.values())
    assert [c for c in codes if c not in CATALOGUE] == []


def test_a_waiting_pair_is_listed_side_by_side(engine, tmp_path: Path) -> None:
    q = queued(engine, tmp_path)
    page = pending(engine, OFFICER)
    assert page.total == 2 and page.pages == 1
    assert {r["id"] for r in page.rows} == {q.pair_a, q.pair_b}
    assert [r["probability"] for r in page.rows] == sorted(
        (r["probability"] for r in page.rows), reverse=True
    )
    row = next(r for r in page.rows if r["id"] == q.pair_a)
    fields = {f["field"]: f for f in row["fields"]}
    assert (fields["nik"]["l"], fields["nik"]["r"]) == (POSYANDU_A, CHILD_A)
    assert fields["nik"]["agreement"] == "sebagian"  # one digit apart
    assert fields["tanggal_lahir"]["agreement"] == "sama"
    assert fields["nik_ibu"]["agreement"] == "kosong"  # the posyandu wrote no parent NIK
    assert {fields["nama"]["l"], fields["nama"]["r"]} == {"Muhamad Rizki", "Muhammad Rizky"}
    assert row["match_weight"] > 0
    # Paginated: one pair per page, the second page holds the other pair.
    first, second = pending(engine, OFFICER, 1, per_page=1), pending(engine, OFFICER, 2, 1)
    assert first.pages == 2 and {first.rows[0]["id"], second.rows[0]["id"]} == {q.pair_a, q.pair_b}


def test_accept_joins_the_child_to_the_roster_person_and_family(engine, tmp_path: Path) -> None:
    q = queued(engine, tmp_path)
    assert _link_of(engine, eppgbm_id(POSYANDU_A)).no_kk is None  # not linked before
    assert decide(engine, OFFICER, q.pair_a, True, "sama anak, NIK salah ketik") == {
        "id": q.pair_a,
        "status": "diterima",
    }
    joined = _link_of(engine, eppgbm_id(POSYANDU_A))
    assert joined.cluster_id == roster_id(CHILD_A)
    assert joined.no_kk == KK_A and joined.nik == CHILD_A
    assert joined.decided_by == "petugas"
    pair = _pair(engine, q.pair_a)
    assert pair.status == "diterima" and pair.decided_by == "petugas1" and pair.decided_at
    assert pending(engine, OFFICER).total == 1
    with engine.connect() as conn:
        entry = conn.execute(
            select(audit_log).where(audit_log.c.objek == "tautan", audit_log.c.aksi == "ubah")
        ).one()
    assert entry.username == "petugas1" and entry.kunci == str(q.pair_a)
    assert entry.rincian["ke"] == "diterima" and entry.rincian["catatan"].startswith("sama")
    with pytest.raises(AlreadyDecided):
        decide(engine, OFFICER, q.pair_a, False)
    # Remembered: a full re-link keeps the officer's decision and the join.
    link(engine, full=True, threshold=1.0, review_threshold=0.01, train=False)
    assert _link_of(engine, eppgbm_id(POSYANDU_A)).cluster_id == roster_id(CHILD_A)
    assert _pair(engine, q.pair_a).status == "diterima"


def test_a_decision_applied_at_once_equals_rebuilding_every_cluster(engine, tmp_path: Path) -> None:
    from sinergi.link.review import latest_run_id
    from sinergi.link.run import cluster
    from sinergi.store.tables import golden_persons

    def state():  # type: ignore[no-untyped-def]
        pl, g = person_links.c, golden_persons.c
        with engine.connect() as conn:
            links = conn.execute(
                select(pl.record, pl.cluster_id, pl.nik, pl.no_kk, pl.decided_by).order_by(
                    pl.record
                )
            ).all()
            gold = conn.execute(
                select(g.cluster_id, g.nik, g.nama, g.kode_desa, g.sumber, g.rekaman).order_by(
                    g.cluster_id
                )
            ).all()
        return links, gold

    q = queued(engine, tmp_path)
    decide(engine, OFFICER, q.pair_a, True)
    decide(engine, OFFICER, q.pair_b, False)
    fast = state()
    cluster(engine, latest_run_id(engine))
    assert state() == fast
    assert any(row[0] == roster_id(CHILD_A) and row[5] == 2 for row in fast[1])


def test_a_rejected_pair_never_joins(engine, tmp_path: Path) -> None:
    q = queued(engine, tmp_path)
    decide(engine, OFFICER, q.pair_b, False)
    apart = _link_of(engine, eppgbm_id(POSYANDU_B))
    assert apart.cluster_id == eppgbm_id(POSYANDU_B) and apart.no_kk is None
    # A full re-link whose threshold would join the pair at once leaves it apart.
    link(engine, full=True, threshold=0.5, review_threshold=0.01, train=False)
    apart = _link_of(engine, eppgbm_id(POSYANDU_B))
    assert apart.cluster_id == eppgbm_id(POSYANDU_B) and apart.no_kk is None
    assert _pair(engine, q.pair_b).status == "ditolak"
    # ... while the undecided pair of the other child is joined by that threshold.
    assert _link_of(engine, eppgbm_id(POSYANDU_A)).cluster_id == roster_id(CHILD_A)


def test_a_pair_outside_the_area_is_invisible_and_undecidable(engine, tmp_path: Path) -> None:
    q = queued(engine, tmp_path)
    page = pending(engine, DINKES)
    assert [r["id"] for r in page.rows] == [q.pair_a] and page.total == 1
    # An agency officer may not reveal NIKs: masked in the queue.
    nik = next(f for f in page.rows[0]["fields"] if f["field"] == "nik")
    assert nik["l"] == "6408••••••••0008" and CHILD_A not in str(page.rows[0])
    with pytest.raises(NotFound):
        decide(engine, DINKES, q.pair_b, True)
    with pytest.raises(NotFound):
        decide(engine, DINKES, 999_999, True)
    assert _pair(engine, q.pair_b).status == "menunggu"
    decide(engine, DINKES, q.pair_a, True)
    assert _link_of(engine, eppgbm_id(POSYANDU_A)).no_kk == KK_A
    assert set(links_table(engine, DINKES)["nik"].dropna()) <= {
        "6408••••••••0003",
        "6408••••••••0008",
        "6408••••••••0002",
        "6408••••••••0001",
    }


@pytest.mark.parametrize(
    "user",
    [
        User(8, "desa_a", "desa", (VILLAGE_A,), ()),
        User(9, "analis", "analis", (), ()),
        User(10, "baznas", "instansi", (), ("pmt-baznas",)),  # no e-PPGBM files
    ],
)
def test_a_role_without_the_permission_is_refused(engine, tmp_path: Path, user: User) -> None:
    q = queued(engine, tmp_path)
    with pytest.raises(NotAllowed):
        pending(engine, user)
    with pytest.raises(NotAllowed):
        decide(engine, user, q.pair_a, True)
    assert _pair(engine, q.pair_a).status == "menunggu"


def test_cli_lists_accepts_rejects_and_exports(db_url: str, engine, tmp_path: Path) -> None:
    q = queued(engine, tmp_path)
    listed = runner.invoke(app, ["review", "--db", db_url, "--lang", "id", "--oleh", "petugas1"])
    assert listed.exit_code == 0, listed.output
    assert "2 pasangan menunggu keputusan" in listed.output
    assert f"Pasangan {q.pair_a}" in listed.output and "bobot kecocokan" in listed.output
    assert "Muhamad Rizki" in listed.output and "15/03/2024" in listed.output
    assert "✓ sama" in listed.output and "≈ mirip" in listed.output
    assert "%" in listed.output and "," in listed.output.split("peluang")[1][:12]
    accepted = runner.invoke(
        app, ["review", "accept", str(q.pair_a), "--note", "satu anak", "--db", db_url]
    )
    assert accepted.exit_code == 0, accepted.output
    assert _link_of(engine, eppgbm_id(POSYANDU_A)).no_kk == KK_A
    rejected = runner.invoke(
        app, ["review", "reject", str(q.pair_b), "--db", db_url, "--lang", "en"]
    )
    assert rejected.exit_code == 0 and f"Pair {q.pair_b} rejected" in rejected.output
    again = runner.invoke(app, ["review", "reject", str(q.pair_b), "--db", db_url])
    assert isinstance(again.exception, UserError) and "sudah diputuskan" in str(again.exception)
    empty = runner.invoke(app, ["review", "--db", db_url, "--lang", "en"])
    assert "No pair is waiting" in empty.output

    out = tmp_path / "tautan.csv"
    exported = runner.invoke(app, ["export", "links", "--out", str(out), "--db", db_url])
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:9] == [
        "cluster_id",
        "sumber",
        "berkas",
        "baris",
        "nik",
        "nama",
        "tanggal_lahir",
        "no_kk",
        "probability",
    ]
    child = next(r for r in rows if r["nik"] == POSYANDU_A)
    assert child["cluster_id"] == roster_id(CHILD_A) and child["decided_by"] == "petugas"
    assert (child["berkas"], child["baris"], child["sumber"]) == ("eppgbm.csv", "2", "eppgbm")
    assert child["nama"] == "Muhamad Rizki" and child["tanggal_lahir"] == "2024-03-15"
    roster = next(r for r in rows if r["nik"] == CHILD_B)
    assert roster["berkas"] == "keluarga.csv" and roster["decided_by"] == "nik"
    with engine.connect() as conn:
        actions = [
            r.aksi
            for r in conn.execute(
                select(audit_log.c.aksi)
                .where(audit_log.c.objek == "tautan")
                .order_by(audit_log.c.id)
            )
        ]
    assert actions == ["lihat", "ubah", "ubah", "lihat", "ekspor"]
    xlsx = tmp_path / "tautan.xlsx"
    assert (
        runner.invoke(app, ["export", "links", "--out", str(xlsx), "--db", db_url]).exit_code == 0
    )
    assert xlsx.stat().st_size > 0
