"""Deliver stage: the beneficiary workflow (every allowed and refused move), bulk status changes
through the intervensi import, concurrent officers, village projects and the water need that
disappears once a network operates and new family data arrive — on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import itertools
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from sinergi.assess.run import assess
from sinergi.core.masking import mask_nik
from sinergi.core.statuses import NEXT, REJECT_REASONS, STATUSES
from sinergi.deliver.bulk import apply_intervention_rows
from sinergi.deliver.conflicts import conflicts
from sinergi.deliver.projects import ProjectError, connect_households, set_project
from sinergi.deliver.story import family_story
from sinergi.deliver.workflow import (
    InvalidTransition,
    NotFound,
    VersionConflict,
    change_status,
    check_transition,
)
from sinergi.registry.importer import import_file
from sinergi.reports.tables import read_table
from sinergi.rules import load_ruleset
from sinergi.store.db import make_engine
from sinergi.store.tables import (
    assessment_families,
    audit_log,
    evidence,
    proposal_events,
    proposals,
)
from sinergi.targeting.families import family_plan, save_proposals
from sinergi.targeting.programmes import load_programme
from tests.helpers import KELUARGA_HEADER, KK1, KK2, clean_family, person, write_csv
from tests.stored import insert_proposal

REF = date(2026, 8, 31)
RIVER = [
    "64.08.01.2001",
    "Jl. Sungai No. 2",
    "003",
    "001",
    "Sungai/Danau",
    "Jamban Sendiri dengan Septic Tank",
    "Ya",
]
PIPED = [*RIVER[:4], "Ledeng/PAM", *RIVER[5:]]
INTERVENSI_HEADER = [
    "Kode Program",
    "No KK",
    "Nama",
    "Kode Desa",
    "Tanggal",
    "Status",
    "Nilai",
    "Keterangan",
]


def _second_family(water: list[str]) -> list[list[str]]:
    return [
        person(
            KK2, "6408010202850001", "Rudi Hartono", "L", "02/02/1985", "Kepala Keluarga", fam=water
        ),
        person(
            KK2,
            "6408014202880002",
            "Wati Susanti",
            "P",
            "02/02/1988",
            "Istri",
            hamil="Tidak",
            kb="Tidak Ber-KB",
            fam=water,
        ),
        person(
            KK2,
            "6408010303240003",
            "Dewi Hartono",
            "P",
            "03/03/2024",
            "Anak",
            "Belum Kawin",
            fam=water,
        ),
    ]


def _world(engine: Engine, tmp_path: Path) -> int:
    """Two families in one village: KK1 clean, KK2 drinking river water without contraception."""
    src = write_csv(
        tmp_path / "keluarga.csv", KELUARGA_HEADER, clean_family() + _second_family(RIVER)
    )
    assert import_file(engine, "keluarga", src).status == "dimuat"
    return assess(engine, load_ruleset("krs-2024"), REF).run_id


def _propose(
    engine: Engine,
    run_id: int,
    code: str = "kb-tpk",
    kk: str = KK2,
    status: str = "usulan",
    periode: str = "2026",
) -> None:
    with engine.begin() as conn:
        insert_proposal(
            conn,
            code,
            kk,
            "64.08.01.2001",
            run_id,
            status,
            periode,
            biaya=150_000,
            faktor="tidak_kb_modern",
            versi=1,
            asal="alokasi",
        )


def _row(engine: Engine, code: str = "kb-tpk", kk: str = KK2) -> dict:
    with engine.connect() as conn:
        return dict(
            conn.execute(
                select(proposals).where(proposals.c.kode_program == code, proposals.c.no_kk == kk)
            )
            .mappings()
            .one()
        )


# ---------------------------------------------------------------- transitions (pure)


@pytest.mark.parametrize("old,new", list(itertools.product(STATUSES, STATUSES)))
def test_every_transition_allowed_or_refused(old: str, new: str) -> None:
    allowed = {
        ("usulan", "terverifikasi"),
        ("usulan", "ditolak"),
        ("terverifikasi", "disetujui"),
        ("terverifikasi", "ditolak"),
        ("disetujui", "tersalurkan"),
        ("disetujui", "ditolak"),
    }
    assert ((old, new) in allowed) == (new in NEXT[old])
    if (old, new) in allowed:
        check_transition(old, new, "pindah" if new == "ditolak" else None)
    else:
        with pytest.raises(InvalidTransition) as exc:
            check_transition(old, new, "pindah")
        assert old in exc.value.message("id") and new in exc.value.message("en")


def test_rejection_needs_a_reason_from_the_list() -> None:
    with pytest.raises(InvalidTransition, match="reason"):
        check_transition("usulan", "ditolak")
    with pytest.raises(InvalidTransition, match="pergi"):
        check_transition("usulan", "ditolak", "pergi")
    with pytest.raises(InvalidTransition, match="other"):
        check_transition("usulan", "ditolak", "lainnya", "  ")
    for reason in REJECT_REASONS:
        check_transition("disetujui", "ditolak", reason, "rumah kosong")
    with pytest.raises(InvalidTransition, match="Unknown status"):
        check_transition("usulan", "selesai")


# ---------------------------------------------------------------- single changes (database)


def test_workflow_through_the_store(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    _propose(engine, run_id)
    with pytest.raises(NotFound):
        change_status(engine, "kb-tpk", KK1, "terverifikasi", oleh="desa1")
    with pytest.raises(InvalidTransition):
        change_status(engine, "kb-tpk", KK2, "tersalurkan", oleh="desa1")
    r = change_status(
        engine,
        "kb-tpk",
        KK2,
        "terverifikasi",
        oleh="desa1",
        bukti=("musdes.pdf", b"%PDF notulen musdes"),
        catatan="musdes 3 Mei",
    )
    assert r["changed"] and r["status"] == "terverifikasi" and r["versi"] == 2
    again = change_status(engine, "kb-tpk", KK2, "terverifikasi", oleh="desa1")
    assert not again["changed"] and again["versi"] == 2  # repeating is harmless
    with pytest.raises(VersionConflict, match="desa1"):
        change_status(engine, "kb-tpk", KK2, "disetujui", oleh="dppkb", versi=1)
    change_status(engine, "kb-tpk", KK2, "disetujui", oleh="dppkb", versi=2)
    change_status(engine, "kb-tpk", KK2, "tersalurkan", oleh="dppkb")
    with pytest.raises(InvalidTransition):
        change_status(engine, "kb-tpk", KK2, "ditolak", oleh="dppkb", alasan_tolak="pindah")
    row = _row(engine)
    assert (row["status"], row["versi"], row["updated_by"]) == ("tersalurkan", 4, "dppkb")
    with engine.connect() as conn:
        events = conn.execute(
            select(
                proposal_events.c.dari,
                proposal_events.c.ke,
                proposal_events.c.oleh,
                proposal_events.c.evidence_id,
            ).order_by(proposal_events.c.id)
        ).all()
        ev = conn.execute(select(evidence)).mappings().one()
        audits = conn.execute(
            select(audit_log.c.aksi, audit_log.c.rincian).order_by(audit_log.c.id)
        ).all()
    assert [(e.dari, e.ke, e.oleh) for e in events] == [
        ("usulan", "terverifikasi", "desa1"),
        ("terverifikasi", "disetujui", "dppkb"),
        ("disetujui", "tersalurkan", "dppkb"),
    ]
    assert events[0].evidence_id == ev["id"]
    assert ev["sha256"] == hashlib.sha256(b"%PDF notulen musdes").hexdigest()
    assert bytes(ev["isi"]) == b"%PDF notulen musdes"
    assert [a.aksi for a in audits] == ["ubah_status"] * 3
    assert audits[0].rincian["lama"]["status"] == "usulan"
    assert audits[0].rincian["baru"]["status"] == "terverifikasi"


def test_rejection_is_stored_with_reason(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    _propose(engine, run_id)
    change_status(
        engine,
        "kb-tpk",
        KK2,
        "ditolak",
        oleh="desa1",
        alasan_tolak="lainnya",
        catatan="keluarga menolak dikunjungi",
    )
    row = _row(engine)
    assert (row["status"], row["alasan_tolak"], row["alasan_tolak_teks"]) == (
        "ditolak",
        "lainnya",
        "keluarga menolak dikunjungi",
    )


def test_audit_log_is_append_only(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    _propose(engine, run_id)
    change_status(engine, "kb-tpk", KK2, "terverifikasi", oleh="desa1")
    for stmt in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 1


def test_two_officers_at_once_one_wins_nothing_lost(db_url: str, tmp_path: Path) -> None:
    setup = make_engine(db_url)
    run_id = _world(setup, tmp_path)
    _propose(setup, run_id)
    setup.dispose()
    engines = [make_engine(db_url), make_engine(db_url)]
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def officer(i: int, target: str) -> None:
        barrier.wait()
        try:
            outcome[f"o{i}"] = change_status(
                engines[i],
                "kb-tpk",
                KK2,
                target,
                oleh=f"petugas{i}",
                versi=1,
                alasan_tolak="ganda" if target == "ditolak" else None,
            )
        except VersionConflict as exc:
            outcome[f"o{i}"] = exc

    threads = [
        threading.Thread(target=officer, args=(0, "terverifikasi")),
        threading.Thread(target=officer, args=(1, "ditolak")),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wins = [v for v in outcome.values() if isinstance(v, dict)]
    losses = [v for v in outcome.values() if isinstance(v, VersionConflict)]
    assert len(wins) == 1 and len(losses) == 1
    assert "petugas" in losses[0].message("id")
    row = _row(engines[0])
    assert row["status"] == wins[0]["status"] and row["versi"] == 2
    with engines[0].connect() as conn:
        assert conn.execute(select(func.count()).select_from(proposal_events)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 1
    for e in engines:
        e.dispose()


# ---------------------------------------------------------------- bulk through the import


def test_bulk_statuses_through_intervensi_import(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    _propose(engine, run_id)
    rows = [
        ["kb-tpk", KK2, "Wati", "64.08.01.2001", "2026-05-03", "Terverifikasi", "", "musdes"],
        ["kb-tpk", KK2, "Wati", "64.08.01.2001", "2026-05-10", "Disetujui", "", ""],
        # KK1 joins the list through the agency's own report, already delivered
        ["pmt-dinkes", KK1, "Siti", "64.08.01.2001", "2026-05-11", "Tersalurkan", "1800000", ""],
        # refused: a delivered benefit is final
        ["pmt-dinkes", KK1, "Siti", "64.08.01.2001", "2026-05-12", "Ditolak", "", "pindah"],
        # kept as a record only: not a catalogue programme
        ["posyandu-lokal", KK1, "Siti", "64.08.01.2001", "2026-05-12", "Tersalurkan", "", ""],
    ]
    src = write_csv(tmp_path / "intervensi.csv", INTERVENSI_HEADER, rows)
    res = import_file(
        engine,
        "intervensi",
        src,
        apply=apply_intervention_rows,
        user="baznas1",
        as_of=date(2026, 5, 12),
    )
    assert res.status == "dimuat"
    refused = [i for i in res.issues if i.tingkat == "error"]
    assert [(i.baris, i.kolom, i.nilai, i.kode) for i in refused] == [
        (5, "Status", "Ditolak", "wf_status_akhir")
    ]
    assert [(i.baris, i.kode) for i in res.issues if i.tingkat == "warning"] == [
        (6, "wf_program_tidak_dikenal")
    ]
    assert (res.rows_loaded, res.rows_rejected) == (4, 1)
    kb = _row(engine)
    assert (kb["status"], kb["versi"], kb["updated_by"]) == ("disetujui", 3, "baznas1")
    pmt = _row(engine, "pmt-dinkes", KK1)
    assert (pmt["status"], pmt["asal"], pmt["biaya"]) == ("tersalurkan", "impor", 1_800_000)
    with engine.connect() as conn:
        n_events = conn.execute(select(func.count()).select_from(proposal_events)).scalar_one()
    assert n_events == 3

    # The same file again changes nothing (by its importer: "already imported"; by another
    # user it is read again, and every row is history); a new file restating the statuses (a
    # cumulative list: statuses already passed through are history, not a move back) neither.
    assert (
        import_file(engine, "intervensi", src, apply=apply_intervention_rows, user="baznas1").status
        == "sudah"
    )
    again = import_file(engine, "intervensi", src, apply=apply_intervention_rows)
    # the same forbidden row is refused again; the rest is history
    assert (again.status, again.rows_rejected, again.counts.inserted) == ("dimuat", 1, 0)
    src2 = write_csv(tmp_path / "intervensi2.csv", INTERVENSI_HEADER, rows[:3])
    res2 = import_file(engine, "intervensi", src2, apply=apply_intervention_rows)
    assert res2.rows_rejected == 0
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(proposal_events)).scalar_one() == n_events
        )
    assert _row(engine)["versi"] == 3


# ---------------------------------------------------------------- allocation keeps the workflow


def test_reallocation_keeps_proposals_in_progress(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    prog = load_programme("kb-tpk")
    plan = family_plan(engine, run_id, prog)
    assert len(save_proposals(engine, prog, run_id, plan).created) >= 1
    change_status(engine, "kb-tpk", KK2, "terverifikasi", oleh="desa1")
    save_proposals(engine, prog, run_id, family_plan(engine, run_id, prog, budget=0))
    row = _row(engine)
    assert row["status"] == "terverifikasi"  # the village's verification is not undone


def _kk(i: int) -> str:
    return f"64080101012001{i:02d}"


def _couples(engine: Engine, tmp_path: Path, n: int) -> int:
    """KK1 (clean) and ``n`` families without contraception (kb-tpk's), all in one village."""
    rows = clean_family()
    for i in range(1, n + 1):
        rows += [
            person(
                _kk(i), f"6408010202850{i:03d}", f"Kepala {i}", "L", "02/02/1985", "Kepala Keluarga"
            ),
            person(
                _kk(i),
                f"6408014202880{i:03d}",
                f"Istri {i}",
                "P",
                "02/02/1988",
                "Istri",
                hamil="Tidak",
                kb="Tidak Ber-KB",
            ),
        ]
    src = write_csv(tmp_path / "keluarga.csv", KELUARGA_HEADER, rows)
    assert import_file(engine, "keluarga", src).status == "dimuat"
    return assess(engine, load_ruleset("krs-2024"), REF).run_id


def _period(engine: Engine, code: str = "kb-tpk") -> dict[str, tuple[int, str, str]]:
    """The programme's proposals: no_kk -> (id, status, asal)."""
    with engine.connect() as conn:
        got = conn.execute(
            select(proposals.c.no_kk, proposals.c.id, proposals.c.status, proposals.c.asal).where(
                proposals.c.kode_program == code, proposals.c.periode == "2026"
            )
        ).all()
    return {kk: (int(i), status, asal) for kk, i, status, asal in got}


# The reviewer's case at small scale: families delivered and in progress earlier, one rejected,
# two open proposals; KK1 was served too. kb-tpk costs Rp 150.000.
EARLIER = {
    _kk(1): "tersalurkan",
    _kk(2): "tersalurkan",
    _kk(3): "disetujui",
    _kk(4): "ditolak",
    _kk(5): "usulan",
    _kk(6): "usulan",
    KK1: "tersalurkan",
}


def test_allocation_adds_to_the_period_and_never_double_counts(
    engine: Engine, tmp_path: Path
) -> None:
    run_id = _couples(engine, tmp_path, 10)
    for kk, status in EARLIER.items():
        _propose(engine, run_id, kk=kk, status=status)
    before = _period(engine)
    prog = load_programme("kb-tpk")

    # Rp 1.500.000: 4 committed (Rp 600.000) and 2 open (Rp 300.000) leave Rp 600.000, 4 families.
    plan = family_plan(engine, run_id, prog, budget=1_500_000)
    assert plan.remaining == 600_000
    assert (plan.held.committed, plan.held.committed_rp) == (4, 600_000)
    assert (plan.held.open, plan.held.open_rp, plan.held.rejected) == (2, 300_000, 1)
    why = plan.table.set_index("no_kk")["kode_alasan"].to_dict()
    assert why[_kk(1)] == why[_kk(2)] == why[KK1] == "sudah_tersalurkan"
    assert why[_kk(3)] == "sedang_diproses"
    assert why[_kk(4)] == "sudah_ditolak"
    assert why[_kk(5)] == why[_kk(6)] == "usulan_terbuka"
    assert plan.skipped() == {
        "sedang_diproses": 1,
        "sudah_ditolak": 1,
        "sudah_tersalurkan": 3,
        "usulan_terbuka": 2,
    }
    saved = save_proposals(engine, prog, run_id, plan)
    after = _period(engine)

    new = {kk for kk in after if kk not in before}
    assert new == {_kk(i) for i in range(7, 11)}  # nobody from earlier is picked again
    assert set(saved.created["no_kk"]) == new  # the report is what the database holds
    assert saved.created_rp == 4 * 150_000
    assert all(after[kk] == (i, s, a) for kk, (i, s, a) in before.items())  # nothing touched
    assert all(after[kk][1:] == ("usulan", "alokasi") for kk in new)
    assert saved.remaining_rp == 0
    lines = {row[0]: row[1:] for row in saved.summary("id", plan.skipped())}
    assert lines["Sudah berkomitmen sebelumnya (terverifikasi, disetujui, tersalurkan)"] == [
        "4",
        "Rp 600.000",
    ]
    assert lines["Usulan terbuka yang dipertahankan"] == ["2", "Rp 300.000"]
    assert lines["Usulan baru dari alokasi ini"] == ["4", "Rp 600.000"]
    assert lines["Sisa anggaran"] == ["", "Rp 0"]
    with engine.connect() as conn:
        events = conn.execute(
            select(func.count())
            .select_from(proposal_events)
            .where(proposal_events.c.proposal_id.in_([after[kk][0] for kk in new]))
        ).scalar_one()
    assert events == 4  # each new proposal's history starts

    # The same allocation again creates nothing and changes nothing.
    again = save_proposals(
        engine, prog, run_id, family_plan(engine, run_id, prog, budget=1_500_000)
    )
    assert len(again.created) == 0 and again.created_rp == 0
    assert (again.before.open, again.before.open_rp) == (6, 900_000)
    assert _period(engine) == after

    # A smaller budget withdraws nothing: open proposals are the workflow's.
    save_proposals(engine, prog, run_id, family_plan(engine, run_id, prog, budget=0))
    assert _period(engine) == after


def test_allocation_respects_quota_left_and_saves_nothing_if_the_file_fails(
    engine: Engine, tmp_path: Path
) -> None:
    run_id = _couples(engine, tmp_path, 6)
    _propose(engine, run_id, kk=_kk(1), status="tersalurkan")
    _propose(engine, run_id, kk=_kk(2), status="ditolak")
    prog = load_programme("kb-tpk").model_copy(update={"quota_per_desa": 3})
    plan = family_plan(engine, run_id, prog, budget=10_000_000)
    # One of the village's three places is taken by the delivered family; the rejected one is free.
    assert int(plan.table["terpilih"].sum()) == 2
    assert plan.skipped() == {"kuota_penuh": 3, "sudah_ditolak": 1, "sudah_tersalurkan": 1}

    def fail(_saved: object) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        save_proposals(engine, prog, run_id, plan, on_saved=fail)
    assert set(_period(engine)) == {_kk(1), _kk(2)}  # rolled back: the file and the rows agree
    saved = save_proposals(engine, prog, run_id, plan)
    assert len(saved.created) == 2 and set(_period(engine)) == {_kk(1), _kk(2)} | set(
        saved.created["no_kk"]
    )


def test_cli_allocate_reports_what_the_database_holds(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    import pandas as pd
    from typer.testing import CliRunner

    from sinergi.cli import app

    run_id = _couples(engine, tmp_path, 10)
    for kk, status in EARLIER.items():
        _propose(engine, run_id, kk=kk, status=status)
    before = _period(engine)
    runner = CliRunner()
    out = tmp_path / "usulan.xlsx"
    args = ["allocate", "kb-tpk", "--budget", "1500000", "--db", db_url, "--out"]
    res = runner.invoke(app, [*args, str(out)])
    assert res.exit_code == 0, res.output
    after = _period(engine)
    new = set(after) - set(before)
    written = read_table(out, "Usulan", dtype={"no_kk": str})
    assert set(written["no_kk"]) == new and len(written) == len(new) == 4
    text = " ".join(res.output.split())
    assert "Usulan baru dari alokasi ini │ 4 │ Rp 600.000" in text
    assert "Usulan terbuka yang dipertahankan │ 2 │ Rp 300.000" in text
    assert "4 usulan baru disimpan" in text

    again = runner.invoke(app, [*args, str(tmp_path / "lagi.csv")])
    assert again.exit_code == 0, again.output
    assert _period(engine) == after
    assert pd.read_csv(tmp_path / "lagi.csv").empty
    assert "0 usulan baru disimpan" in " ".join(again.output.split())


def test_a_stale_plan_cannot_double_or_overspend(engine: Engine, tmp_path: Path) -> None:
    run_id = _couples(engine, tmp_path, 4)
    prog = load_programme("kb-tpk")
    first = family_plan(engine, run_id, prog, budget=450_000)
    second = family_plan(engine, run_id, prog, budget=450_000)  # made before the first is saved
    assert len(save_proposals(engine, prog, run_id, first).created) == 3
    late = save_proposals(engine, prog, run_id, second)
    assert len(late.created) == 0 and late.overtaken == 3
    assert len(_period(engine)) == 3


# ---------------------------------------------------------------- projects and the water need


def test_water_need_disappears_after_network_and_new_data(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    with engine.connect() as conn:
        before = conn.execute(
            select(assessment_families.c.faktor).where(
                assessment_families.c.run_id == run_id, assessment_families.c.no_kk == KK2
            )
        ).scalar_one()
    assert "air_minum_tidak_layak" in before
    set_project(engine, "air-bersih", "64.08.01.2001", "perencanaan", oleh="pu1")
    with pytest.raises(ProjectError, match="operating"):
        connect_households(engine, "air-bersih", "64.08.01.2001", None, oleh="pu1")
    set_project(engine, "air-bersih", "64.08.01.2001", "konstruksi", oleh="pu1")
    with pytest.raises(ProjectError):
        set_project(engine, "air-bersih", "64.08.01.2001", "perencanaan", oleh="pu1")
    set_project(engine, "air-bersih", "64.08.01.2001", "beroperasi", oleh="pu1")
    assert connect_households(engine, "air-bersih", "64.08.01.2001", None, oleh="pu1") == 1
    assert connect_households(engine, "air-bersih", "64.08.01.2001", None, oleh="pu1") == 0
    story = family_story(engine, KK2)
    assert story is not None
    assert any(e["program"] == "air-bersih" for e in story["riwayat"])

    # The next roster shows piped water: the next assessment no longer fires the factor.
    src = write_csv(
        tmp_path / "keluarga-2.csv", KELUARGA_HEADER, clean_family() + _second_family(PIPED)
    )
    assert import_file(engine, "keluarga", src).status == "dimuat"
    later = assess(engine, load_ruleset("krs-2024"), date(2027, 2, 28)).run_id
    with engine.connect() as conn:
        after = conn.execute(
            select(assessment_families.c.faktor).where(
                assessment_families.c.run_id == later, assessment_families.c.no_kk == KK2
            )
        ).scalar_one()
    assert "air_minum_tidak_layak" not in after


# ---------------------------------------------------------------- story and conflicts


def test_family_story_explains_factors_and_masks_nik(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    _propose(engine, run_id)
    story = family_story(engine, KK2, "id")
    assert story is not None
    factors = {f["kode"]: f["penjelasan"] for f in story["penilaian"]["faktor"]}
    assert "sungai_danau" in factors["air_minum_tidak_layak"]
    assert "tidak_kb_modern" in factors
    assert story["penilaian"]["aturan"] == "krs-2024@2024.2"
    assert [m["nik"] for m in story["anggota"]][0] == "6408••••••••0001"
    assert mask_nik("6408010202850012") == "6408••••••••0012"
    assert family_story(engine, KK2, show_nik=True)["anggota"][0]["nik"] == "6408010202850001"
    assert family_story(engine, "6408019999999999") is None


def test_conflicts_flag_exclusive_and_double(engine: Engine, tmp_path: Path) -> None:
    run_id = _world(engine, tmp_path)
    _propose(engine, run_id, "blt-dd", KK2, "disetujui")
    _propose(engine, run_id, "bantuan-tunai-baznas", KK2, "usulan")
    _propose(engine, run_id, "kb-tpk", KK1, "usulan", "2025")
    _propose(engine, run_id, "kb-tpk", KK1, "terverifikasi", "2026")
    frame = conflicts(engine)
    got = sorted(
        zip(
            frame["jenis"],
            frame["no_kk"],
            frame["program_a"],
            frame["instansi_a"],
            frame["program_b"],
            frame["instansi_b"],
            strict=True,
        )
    )
    assert got == [
        ("eksklusif", KK2, "bantuan-tunai-baznas", "Baznas", "blt-dd", "Desa"),
        ("ganda", KK1, "kb-tpk", "DPPKB", "kb-tpk", "DPPKB"),
    ]
