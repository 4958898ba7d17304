"""Bulk status changes from an agency's ``intervensi`` file (formats.md §4).

Runs inside the import's transaction (`sinergi.registry.importer.import_file` calls
`apply_intervention_rows` through its ``apply`` hook), so a file either moves every good row
through the workflow or nothing. Rows are applied in date order, then spreadsheet order, so one
file may carry a family from usulan to tersalurkan in several dated rows.

- A family already on the programme's list moves to the row's status if the workflow allows it;
  the same status again changes nothing (re-importing is harmless); a forbidden move rejects the
  row with the reason, like any validation error.
- A family not yet on the list joins it with the row's status (``asal`` = impor): agencies
  report their own beneficiaries too, and those must count as reached.
- A row whose programme is not a family programme of the catalogue, or whose family is not in
  the registry, is kept as a record (``interventions``) with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from sinergi.core.statuses import REJECT_REASONS
from sinergi.deliver.workflow import InvalidTransition, check_transition
from sinergi.ingest.validate import Issue
from sinergi.store import audit
from sinergi.store.bulk import bulk_insert, bulk_update, insert_records
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_families,
    assessment_runs,
    families,
    persons,
    proposal_events,
    proposals,
)
from sinergi.targeting.programmes import load_catalogue

STATUS_COLUMN = "Status"


@dataclass
class Applied:
    changed: int = 0
    created: int = 0
    unchanged: int = 0
    rejected_rows: set[int] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)


def _reason(text: Any) -> tuple[str | None, str | None]:
    """Map a Keterangan cell to a rejection reason code (and the free text for 'lainnya')."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return None, None
    raw = str(text).strip()
    key = raw.lower().replace(" ", "_")
    for code in REJECT_REASONS:
        if key == code or key.startswith(code):
            return code, None if code != "lainnya" else raw
    return "lainnya", raw


# Why the importing user may not set a status of a programme's beneficiary (programme, old, new;
# old is None for a family not yet on the list): a message code and its parameters, or None.
# Given by the import door (sinergi.security).
MovePolicy = Callable[[str, str | None, str], "tuple[str, dict[str, Any]] | None"]


def apply_intervention_rows(
    conn: Connection,
    frame: pd.DataFrame,
    batch_id: int,
    oleh: str | None,
    may_move: MovePolicy | None = None,
) -> Applied:
    out = Applied()
    if frame.empty:
        return out
    oleh = oleh or "impor"
    catalogue = {c: p for c, p in load_catalogue().items() if p.unit == "keluarga"}
    rows = frame.copy()
    if "no_kk" not in rows:
        rows["no_kk"] = None
    missing_kk = rows["no_kk"].isna() & rows.get("nik", pd.Series(None, index=rows.index)).notna()
    if missing_kk.any():
        niks = sorted(set(rows.loc[missing_kk, "nik"]))
        found = dict(
            conn.execute(
                select(persons.c.nik, persons.c.no_kk).where(persons.c.nik.in_(niks))
            ).all()
        )
        rows.loc[missing_kk, "no_kk"] = rows.loc[missing_kk, "nik"].map(found)

    # Registered families of the file and their village (a new list entry needs it).
    village: dict[str, str] = {}
    kks = sorted({k for k in rows["no_kk"] if isinstance(k, str)})
    for start in range(0, len(kks), 5000):
        chunk = kks[start : start + 5000]
        village |= dict(
            conn.execute(
                select(families.c.no_kk, families.c.kode_desa).where(families.c.no_kk.in_(chunk))
            ).all()
        )
    progs = sorted(set(rows["kode_program"]) & set(catalogue))
    current = (
        read_frame(
            conn,
            select(
                proposals.c.id,
                proposals.c.kode_program,
                proposals.c.no_kk,
                proposals.c.periode,
                proposals.c.status,
                proposals.c.versi,
            ).where(proposals.c.kode_program.in_(progs)),
        )
        if progs
        else pd.DataFrame(columns=["id", "kode_program", "no_kk", "periode", "status", "versi"])
    )
    current = current.sort_values("periode").drop_duplicates(["kode_program", "no_kk"], keep="last")
    state: dict[tuple[str, str], dict[str, Any]] = {
        (r.kode_program, r.no_kk): {
            "id": int(r.id),
            "status": r.status,
            "versi": int(r.versi),
            "periode": r.periode,
            "start": r.status,
        }
        for r in current.itertuples(index=False)
    }

    # Statuses each listed beneficiary has already passed through: a cumulative agency list
    # restating them is history, not a request to move back.
    passed: dict[tuple[str, str], set[str]] = {k: {v["status"]} for k, v in state.items()}
    by_id = {v["id"]: k for k, v in state.items()}
    ids = sorted(by_id)
    for start in range(0, len(ids), 5000):
        for pid, ke in conn.execute(
            select(proposal_events.c.proposal_id, proposal_events.c.ke).where(
                proposal_events.c.proposal_id.in_(ids[start : start + 5000])
            )
        ):
            passed[by_id[pid]].add(ke)
    run_id = conn.execute(select(func.max(assessment_runs.c.id))).scalar()
    now = datetime.now(UTC)
    events: list[dict[str, Any]] = []
    new: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows.sort_values(["tanggal", "baris"]).itertuples(index=False):
        baris = int(r.baris)
        prog = catalogue.get(r.kode_program)
        if prog is None:
            out.issues.append(
                Issue(
                    baris,
                    "Kode Program",
                    r.kode_program,
                    "wf_program_tidak_dikenal",
                    "warning",
                    {"program": r.kode_program},
                )
            )
            continue
        if not isinstance(r.no_kk, str) or r.no_kk not in village:
            out.issues.append(
                Issue(
                    baris,
                    "No KK",
                    r.no_kk if isinstance(r.no_kk, str) else None,
                    "wf_kk_tidak_terdaftar",
                    "warning",
                )
            )
            continue
        key = (r.kode_program, r.no_kk)
        alasan, teks = (
            _reason(getattr(r, "keterangan", None)) if r.status == "ditolak" else (None, None)
        )
        catatan = (
            teks
            if teks is not None
            else (
                None if pd.isna(getattr(r, "keterangan", None)) else getattr(r, "keterangan", None)
            )
        )
        if key not in state:
            refusal = may_move(r.kode_program, None, r.status) if may_move else None
            if refusal is not None:
                out.issues.append(
                    Issue(
                        baris, STATUS_COLUMN, str(r.status).title(), refusal[0], "error", refusal[1]
                    )
                )
                out.rejected_rows.add(baris)
                continue
            if run_id is None:
                # A list entry needs the assessment it answers (proposals.run_id).
                out.issues.append(Issue(baris, "No KK", r.no_kk, "wf_perlu_penilaian", "warning"))
                continue
            if r.status == "ditolak" and alasan is None:
                out.issues.append(
                    Issue(
                        baris,
                        STATUS_COLUMN,
                        str(r.status).title(),
                        "wf_alasan_wajib",
                        "error",
                        {"choices": ", ".join(REJECT_REASONS)},
                    )
                )
                out.rejected_rows.add(baris)
                continue
            state[key] = {
                "id": None,
                "status": r.status,
                "versi": 1,
                "periode": prog.period,
                "start": None,
            }
            passed[key] = {r.status}
            new[key] = {"row": r, "prog": prog, "alasan": alasan, "teks": teks}
            events.append(
                {
                    "key": key,
                    "dari": None,
                    "ke": r.status,
                    "alasan_tolak": alasan,
                    "catatan": catatan,
                    "baris": baris,
                }
            )
            continue
        st = state[key]
        if r.status in passed[key] and st["status"] != "ditolak" or st["status"] == r.status:
            out.unchanged += 1
            continue
        refusal = may_move(r.kode_program, st["status"], r.status) if may_move else None
        if refusal is not None:
            out.issues.append(
                Issue(baris, STATUS_COLUMN, str(r.status).title(), refusal[0], "error", refusal[1])
            )
            out.rejected_rows.add(baris)
            continue
        try:
            check_transition(st["status"], r.status, alasan, teks or catatan)
        except InvalidTransition as exc:
            out.issues.append(
                Issue(baris, STATUS_COLUMN, str(r.status).title(), exc.code, "error", exc.params)
            )
            out.rejected_rows.add(baris)
            continue
        events.append(
            {
                "key": key,
                "dari": st["status"],
                "ke": r.status,
                "alasan_tolak": alasan,
                "catatan": catatan,
                "baris": baris,
            }
        )
        st["status"] = r.status
        st["versi"] += 1
        passed[key].add(r.status)
        if alasan:
            st["alasan_tolak"], st["alasan_tolak_teks"] = alasan, teks

    if new and run_id is not None:  # new entries are only made when a run exists (above)
        _insert_new(conn, new, state, village, now, oleh, int(run_id))
    changed = [
        (k, st)
        for k, st in state.items()
        if st["id"] is not None and st["start"] is not None and st["status"] != st["start"]
    ]
    bulk_update(
        conn,
        proposals,
        "id",
        ("status", "versi", "updated_at", "updated_by", "alasan_tolak", "alasan_tolak_teks"),
        [
            (
                st["status"],
                st["versi"],
                now,
                oleh,
                st.get("alasan_tolak"),
                st.get("alasan_tolak_teks"),
                st["id"],
            )
            for _, st in changed
        ],
    )
    bulk_insert(
        conn,
        proposal_events,
        (
            "proposal_id",
            "dari",
            "ke",
            "alasan_tolak",
            "catatan",
            "oleh",
            "waktu",
            "sumber",
            "batch_id",
            "baris",
        ),
        [
            (
                state[e["key"]]["id"],
                e["dari"],
                e["ke"],
                e["alasan_tolak"],
                e["catatan"],
                oleh,
                now,
                "impor",
                batch_id,
                e["baris"],
            )
            for e in events
        ],
    )
    out.changed = len(changed)
    out.created = len(new)
    if events:
        audit.record(
            conn,
            oleh,
            "ubah_status_massal",
            "import_batch",
            str(batch_id),
            {"perubahan": len(events), "baru": out.created, "berubah": out.changed},
        )
    return out


def _insert_new(
    conn: Connection,
    new: dict[tuple[str, str], dict[str, Any]],
    state: dict[tuple[str, str], dict[str, Any]],
    village: dict[str, str],
    now: datetime,
    oleh: str,
    run_id: int,
) -> None:
    """Put families an agency reports itself on the programme's list (asal = impor)."""
    kks = sorted({k[1] for k in new})
    faktor: dict[str, str] = {}
    for start in range(0, len(kks), 5000):
        chunk = kks[start : start + 5000]
        faktor |= dict(
            conn.execute(
                select(assessment_families.c.no_kk, assessment_families.c.faktor).where(
                    assessment_families.c.run_id == run_id, assessment_families.c.no_kk.in_(chunk)
                )
            ).all()
        )
    rows = []
    for (code, kk), item in sorted(new.items()):
        r, prog = item["row"], item["prog"]
        nilai = getattr(r, "nilai", None)
        biaya = (
            int(nilai) if nilai is not None and not pd.isna(nilai) else int(prog.unit_cost_rp or 0)
        )
        st = state[(code, kk)]
        rows.append(
            {
                "kode_program": code,
                "periode": prog.period,
                "no_kk": kk,
                "kode_desa": village[kk],
                "run_id": run_id,
                "status": st["status"],
                "biaya": biaya,
                "faktor": faktor.get(kk, ""),
                "alasan": "diimpor dari daftar instansi",
                "created_at": now,
                "versi": st["versi"],
                "updated_at": now,
                "updated_by": oleh,
                "alasan_tolak": st.get("alasan_tolak", item["alasan"]),
                "alasan_tolak_teks": st.get("alasan_tolak_teks", item["teks"]),
                "asal": "impor",
            }
        )
    insert_records(conn, proposals, rows)
    for start in range(0, len(kks), 5000):
        chunk = kks[start : start + 5000]
        got = conn.execute(
            select(
                proposals.c.id, proposals.c.kode_program, proposals.c.no_kk, proposals.c.periode
            ).where(
                proposals.c.kode_program.in_(sorted({k[0] for k in new})),
                proposals.c.no_kk.in_(chunk),
            )
        )
        for pid, code, kk, periode in got:
            key = (code, kk)
            if key in new and state[key]["periode"] == periode:
                state[key]["id"] = int(pid)
