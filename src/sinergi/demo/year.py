"""Step 6 of the demo: a year of delivery on the synthetic regency (seeded, so it is
reproducible).

It goes through the same doors an agency would (imports pass `sinergi.security.imports` as the
server's administrator): the budget allocation saves proposals; the
villages' verification, the approvals and the deliveries arrive as one ``intervensi`` file
(imported through the workflow); public works records its water networks and connects the
households that needed water; and the villages send updated family rows for connected
households, which the next assessment reads.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.core.spreadsheet import write_csv
from sinergi.deliver.projects import connect_households, set_project
from sinergi.ingest.schema import KINDS
from sinergi.ingest.vocab import VOCABULARIES
from sinergi.registry.importer import ImportResult
from sinergi.security.auth import server_user
from sinergi.security.imports import import_as
from sinergi.store.frames import read_frame
from sinergi.store.tables import families, persons, project_households, proposals
from sinergi.targeting.families import family_plan, save_proposals
from sinergi.targeting.plan import village_plan
from sinergi.targeting.programmes import load_catalogue, load_programme

# Allocation order matters where programmes exclude each other (BLT-DD before Baznas cash).
FAMILY_PROGRAMMES = (
    "pmt-baznas",
    "pmt-dinkes",
    "kb-tpk",
    "jamban-sehat",
    "bedah-rumah",
    "blt-dd",
    "bantuan-tunai-baznas",
)
REJECT_NOTES = ("pindah", "meninggal", "tidak_layak", "ganda", "menolak")
WATER_NETWORKS_OPERATING = 3
# The demo's one operator: every import, proposal and project step of the demo is recorded
# under this name.
USER = "demo"


@dataclass
class YearResult:
    proposals: int
    status_import: ImportResult
    villages_operating: list[str]
    households_connected: int
    family_update: ImportResult


def _label(vocabulary: str, code: object) -> str:
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return ""
    return VOCABULARIES[vocabulary].get(str(code), [str(code)])[0]


def allocate_all(engine: Engine, run_id: int) -> int:
    total = 0
    catalogue = load_catalogue()
    for code in FAMILY_PROGRAMMES:
        if code in catalogue:
            prog = catalogue[code]
            total += len(
                save_proposals(
                    engine, prog, run_id, family_plan(engine, run_id, prog), oleh=USER
                ).created
            )
    return total


def _status_rows(engine: Engine, rng: random.Random, start: date) -> list[list[str]]:
    """Verification (musdes), approval and delivery dates for the year's proposals."""
    with engine.connect() as conn:
        props = read_frame(
            conn,
            select(
                proposals.c.kode_program,
                proposals.c.no_kk,
                proposals.c.kode_desa,
                proposals.c.biaya,
            )
            .where(proposals.c.status == "usulan")
            .order_by(proposals.c.id),
        )
    rows: list[list[str]] = []

    def row(r: pd.Series, day: date, status: str, note: str = "") -> list[str]:
        return [
            r.kode_program,
            r.no_kk,
            r.kode_desa,
            day.isoformat(),
            status,
            str(int(r.biaya)) if status == "Tersalurkan" else "",
            note,
        ]

    for r in props.itertuples(index=False):
        verify = start + timedelta(days=rng.randrange(0, 45))
        draw = rng.random()
        if draw < 0.04:
            rows.append(row(r, verify, "Ditolak", rng.choice(REJECT_NOTES)))
            continue
        if draw < 0.08:
            continue  # not yet discussed at the village meeting
        rows.append(row(r, verify, "Terverifikasi", "musdes"))
        if rng.random() < 0.05:
            continue
        approve = verify + timedelta(days=rng.randrange(14, 40))
        rows.append(row(r, approve, "Disetujui"))
        if rng.random() < 0.10:
            continue
        rows.append(row(r, approve + timedelta(days=rng.randrange(20, 90)), "Tersalurkan"))
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    return write_csv(path, header, rows, encoding="utf-8")


def _family_update(engine: Engine, path: Path) -> Path:
    """Updated roster rows (all members) of the households connected to a network: piped water."""
    with engine.connect() as conn:
        connected = sorted({r[0] for r in conn.execute(select(project_households.c.no_kk))})
        fam = read_frame(conn, select(families).where(families.c.no_kk.in_(connected)))
        members = read_frame(
            conn,
            select(persons)
            .where(persons.c.no_kk.in_(connected))
            .order_by(persons.c.no_kk, persons.c.tanggal_lahir),
        )
    fam = fam.set_index("no_kk")
    cols = [c for c in KINDS["keluarga"].columns]
    header = [c.header for c in cols]
    rows = []
    for m in members.itertuples(index=False):
        f = fam.loc[m.no_kk]
        values = {
            "no_kk": m.no_kk,
            "nik": m.nik,
            "nama": m.nama,
            "jenis_kelamin": m.jenis_kelamin,
            "tanggal_lahir": m.tanggal_lahir.isoformat(),
            "hubungan": _label("hubungan", m.hubungan),
            "status_kawin": _label("status_kawin", m.status_kawin),
            "hamil": "" if pd.isna(m.hamil) else ("Ya" if m.hamil else "Tidak"),
            "kontrasepsi": _label("kontrasepsi", m.kontrasepsi),
            # blank would erase the couple's wish, on which the family-planning factor reads
            "ingin_anak": _label("ingin_anak", m.ingin_anak),
            "alamat": f.alamat or "",
            "dusun": f.dusun or "",
            "rt": f.rt or "",
            "rw": f.rw or "",
            "sumber_air": _label("sumber_air", "ledeng"),
            "jamban": _label("jamban", f.jamban),
            "rumah_layak": "" if pd.isna(f.rumah_layak) else ("Ya" if f.rumah_layak else "Tidak"),
            "lintang": "" if pd.isna(f.lintang) else f"{f.lintang:.6f}",
            "bujur": "" if pd.isna(f.bujur) else f"{f.bujur:.6f}",
        }
        rows.append([values.get(c.name, "") for c in cols])
    header.insert(1, "Kode Desa")
    for r, m in zip(rows, members.itertuples(index=False), strict=True):
        r.insert(1, fam.loc[m.no_kk, "kode_desa"])
    return _write_csv(path, header, rows)


def simulate_year(
    engine: Engine,
    run_id: int,
    folder: Path,
    start: date,
    seed: int = 1,
    step: Callable[[str], None] | None = None,
) -> YearResult:
    """Allocate, verify, approve, deliver, build water networks and send updated family rows.

    ``folder`` receives the files the year produces (the status list, the family update);
    ``step`` is told each stage as a message code of the catalogue."""
    rng = random.Random(seed)
    say = step or (lambda _msg: None)
    say("tahun_alokasi")
    n = allocate_all(engine, run_id)
    say("tahun_penyaluran")
    status_file = _write_csv(
        folder / "intervensi-status.csv",
        ["Kode Program", "No KK", "Kode Desa", "Tanggal", "Status", "Nilai", "Keterangan"],
        _status_rows(engine, rng, start),
    )
    # The year's last delivery is at most 175 days after the start: import "on" day 180.
    status = import_as(
        engine,
        server_user(USER),
        "intervensi",
        status_file,
        today=start + timedelta(days=180),
    )
    say("tahun_air")
    water = load_programme("air-bersih")
    plan = village_plan(engine, run_id, water)
    chosen = plan.table[plan.table["terpilih"] == 1].sort_values("peringkat")
    operating: list[str] = []
    connected = 0
    for i, r in enumerate(chosen.itertuples(index=False)):
        set_project(engine, water.code, r.kode_desa, "perencanaan", oleh=USER, biaya=int(r.biaya))
        if i < 2 * WATER_NETWORKS_OPERATING:
            set_project(engine, water.code, r.kode_desa, "konstruksi", oleh=USER)
        if i < WATER_NETWORKS_OPERATING:
            set_project(engine, water.code, r.kode_desa, "beroperasi", oleh=USER)
            connected += connect_households(
                engine,
                water.code,
                r.kode_desa,
                None,
                oleh=USER,
                tanggal=start + timedelta(days=150),
            )
            operating.append(r.kode_desa)
    say("tahun_data_baru")
    update = _family_update(engine, folder / "keluarga-pembaruan.csv")
    family_update = import_as(engine, server_user(USER), "keluarga", update)
    return YearResult(n, status, operating, connected, family_update)
