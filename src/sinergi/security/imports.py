"""The one door every import passes: the CLI (run by an administrator on the server), the demo,
the web upload and ``POST /api/v1/imports/{kind}`` all call `import_as`, which knows who imports
and records every import in the audit log.

What a user may import (the rule per role is also in the user guide):

- ``admin`` and ``dppkb`` import every kind; an agency officer (``instansi``) its beneficiary
  lists (``intervensi``) and the files its programmes name in ``uploads`` (posyandu measurements,
  pregnant women's check-ups and engaged couples' screenings for a health programme, village
  water facts for public works); other roles import nothing.
- A user limited to an area (``users.wilayah``) may only touch rows of villages in that area,
  families registered there and persons of those families: a row naming a village outside it,
  or a No KK / NIK / measurement stored under another area, is rejected. So a roster row cannot
  move another kecamatan's family into the area or rewrite its address.
- An agency list may only name families already in the agency's reach — on its programmes'
  lists, reported by it before, or eligible for its programmes in the latest assessment (the
  scope of `family_clause`) — and only its own programmes' rows.
- A status moves only as the role may (`access.move_refusal`): a new family joins a list as
  ``usulan`` unless the administrator loads it.

A rejected row is reported like any validation error (row, column, value, reason) and changes
nothing. The sentence is the same whether the family or NIK exists elsewhere or not at all, so
an upload cannot be used to find out which numbers exist.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from sinergi.deliver.bulk import Applied, apply_intervention_rows
from sinergi.ingest.report import report_row, write_report_rows
from sinergi.ingest.schema import KINDS
from sinergi.ingest.validate import Issue, Validated, map_header
from sinergi.registry.importer import ApplyHook, ImportResult, import_file
from sinergi.registry.verify import import_rows
from sinergi.security.access import (
    batch_clause,
    family_clause,
    importable_kinds,
    in_area,
    move_refusal,
    unrestricted,
)
from sinergi.security.auth import User
from sinergi.settings import get_settings
from sinergi.store import audit
from sinergi.store.dialect import rows_by_keys
from sinergi.store.tables import (
    assessment_runs,
    catin,
    families,
    import_batches,
    import_issues,
    measurements,
    persons,
    pregnancies,
)

OUT_OF_REACH = "impor_di_luar_jangkauan"


class ImportNotAllowed(Exception):
    """The user may not import this kind at all; ``code`` and ``params`` name the reason."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def import_as(
    engine: Engine,
    user: User,
    kind: str,
    path: Path,
    *,
    sheet: str | None = None,
    dry_run: bool = False,
    as_of: date | None = None,
    via: str = "cli",
    today: date | None = None,
    ip: str | None = None,
) -> ImportResult:
    """Import one file as `user`: the kind must be one the user may import (else
    `ImportNotAllowed`), and every row the user may not touch is rejected with its reason. The
    import (a dry run too) is recorded in the audit log under the user's name."""
    if kind not in KINDS:
        raise ImportNotAllowed("jenis_tidak_dikenal", kind=kind, choices=", ".join(KINDS))
    kinds = importable_kinds(user)
    if kind not in kinds:
        raise ImportNotAllowed(
            "impor_jenis_tidak_boleh", kind=kind, allowed=", ".join(kinds) or "-"
        )
    guard = None if unrestricted(user) else partial(_guard, user)
    apply: ApplyHook | None = partial(_apply, user) if kind == "intervensi" else None
    if kind == "verifikasi":
        apply = partial(import_rows, user, sumber="odk" if via == "odk" else "impor")
    result = import_file(
        engine,
        kind,
        path,
        sheet,
        dry_run,
        regency=get_settings().region,
        today=today,
        user=user.username,
        apply=apply,
        guard=guard,
        as_of=as_of,
        via=via,
    )
    detail: dict[str, Any] = {
        "jenis": kind,
        "berkas": path.name,
        "status": result.status,
        "dibaca": result.rows_read,
        "dimuat": result.rows_loaded,
        "ditolak": result.rows_rejected,
        "via": via,
    } | ({"uji": True} if dry_run else {})
    batch = str(result.batch_id or result.previous_batch or "")
    audit.record_now(engine, user.username, audit.IMPORT, "impor", batch, detail, ip)
    return result


def _apply(
    user: User, conn: Connection, frame: pd.DataFrame, batch_id: int, oleh: str | None
) -> Applied:
    return apply_intervention_rows(
        conn, frame, batch_id, oleh, may_move=partial(move_refusal, user)
    )


# --- uploads, the import list and reports: web page and API alike -------------------------------


def safe_name(name: str) -> str:
    base = Path(name or "berkas").name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base)[:120] or "berkas"


def parse_as_of(text: str | None) -> date | None:
    """The data date of an upload (yyyy-mm-dd, as an HTML date field sends it); None when
    empty; ValueError when it is not a date or lies in the future."""
    if not text or not text.strip():
        return None
    value = date.fromisoformat(text.strip())
    if value > date.today():
        raise ValueError(text)
    return value


def import_upload(
    engine: Engine,
    user: User,
    kind: str,
    name: str,
    content: bytes,
    as_of: date | None,
    via: str,
    ip: str,
) -> ImportResult:
    """Import an uploaded file (web page or API) through the door."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe_name(name)
        path.write_bytes(content)
        return import_as(engine, user, kind, path, as_of=as_of, via=via, ip=ip)


def visible_batches(engine: Engine, user: User, limit: int = 30) -> list[dict[str, Any]]:
    """The latest import batches the user may see (`access.batch_clause`)."""
    b = import_batches.c
    with engine.connect() as conn:
        return [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    b.id,
                    b.kind,
                    b.file_name,
                    b.status,
                    b.started_at,
                    b.rows_read,
                    b.rows_loaded,
                    b.rows_rejected,
                    b.rows_warned,
                    b.imported_by,
                    b.as_of,
                    b.via,
                )
                .where(batch_clause(user))
                .order_by(b.id.desc())
                .limit(limit)
            )
        ]


def report_file(
    engine: Engine, user: User, batch_id: int, ip: str, via: str | None = None
) -> tuple[str, bytes] | None:
    """The validation report of a batch the user may see, as XLSX (file name, bytes), recorded
    in the audit log as an export; None when the batch does not exist or is not the user's to
    see. ``via`` names the way out in the audit entry when it is not the web page."""
    b, i = import_batches.c, import_issues.c
    with engine.connect() as conn:
        batch = conn.execute(
            select(import_batches).where(b.id == batch_id, batch_clause(user))
        ).first()
        if batch is None:
            return None
        rows = conn.execute(
            select(i.baris, i.kolom, i.nilai, i.tingkat, i.alasan, i.kode)
            .where(i.batch_id == batch_id)
            .order_by(i.id)
        ).all()
    # The reasons were written in Indonesian when the file was imported.
    lines = [
        report_row(
            batch.file_name,
            batch.sheet,
            r.baris,
            r.kolom,
            r.nilai,
            r.tingkat,
            r.alasan,
            r.kode,
            "id",
        )
        for r in rows
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "laporan.xlsx"
        write_report_rows(path, lines, "id")
        content = path.read_bytes()
    detail: dict[str, Any] = {"baris": len(lines)} | ({"via": via} if via else {})
    audit.record_now(
        engine, user.username, audit.EXPORT, "laporan_impor", str(batch_id), detail, ip
    )
    return f"{safe_name(Path(batch.file_name).stem)}.laporan.xlsx", content


# --- the guard: rows outside the user's reach ---------------------------------------------------


@dataclass
class Guarded:
    issues: list[Issue] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)

    def reject(
        self,
        rows: pd.DataFrame,
        column: str,
        value: str,
        code: str = OUT_OF_REACH,
        params: dict[str, Any] | None = None,
    ) -> None:
        for baris, v in zip(rows["baris"].tolist(), rows[value].tolist(), strict=True):
            if int(baris) in self.rejected_rows:
                continue  # one reason per row is enough
            self.rejected_rows.add(int(baris))
            self.issues.append(
                Issue(
                    int(baris), column, None if pd.isna(v) else str(v), code, "error", params or {}
                )
            )


def _guard(user: User, conn: Connection, checked: Validated) -> Guarded:
    out = Guarded()
    frame = checked.frame
    kind = checked.kind.name
    label = _labels(checked)
    area = user.wilayah

    def outside(codes: pd.Series) -> pd.Series:
        return ~codes.map(lambda k: in_area(area, k))

    if area and "kode_desa" in frame.columns:
        out.reject(frame[outside(frame["kode_desa"])], label("kode_desa"), "kode_desa")
    if area and kind in ("keluarga", "p3ke"):
        stored = _lookup(
            conn, families.c.no_kk, families.c.kode_desa, frame["no_kk"].dropna().unique()
        )
        mask = frame["no_kk"].map(stored).pipe(lambda s: s.notna() & outside(s))
        out.reject(frame[mask], label("no_kk"), "no_kk")
    if area and kind == "keluarga":
        # A NIK already registered in another area's family would be moved by this row.
        stored = _lookup(
            conn,
            persons.c.nik,
            families.c.kode_desa,
            frame["nik"].dropna().unique(),
            from_=persons.join(families, persons.c.no_kk == families.c.no_kk),
        )
        mask = frame["nik"].map(stored).pipe(lambda s: s.notna() & outside(s))
        out.reject(frame[mask], label("nik"), "nik")
    if area and kind == "eppgbm" and "nik_anak" in frame.columns:
        mask = _measured_elsewhere(conn, frame, outside)
        out.reject(frame[mask], label("nik_anak"), "nik_anak")
    if area and kind in ("ibu_hamil", "catin"):
        # A woman's pregnancy or screening stored under another area would be rewritten.
        table = pregnancies if kind == "ibu_hamil" else catin
        stored = _lookup(conn, table.c.nik, table.c.kode_desa, frame["nik"].dropna().unique())
        mask = frame["nik"].map(stored).pipe(lambda s: s.notna() & outside(s))
        out.reject(frame[mask], label("nik"), "nik")
    if kind == "intervensi":
        _guard_list(user, conn, frame, label, out)
    return out


def _guard_list(
    user: User, conn: Connection, frame: pd.DataFrame, label: Callable[[str], str], out: Guarded
) -> None:
    """An agency list names only its own programmes and families already in its reach."""
    if user.role == "instansi":
        foreign = frame[~frame["kode_program"].isin(user.program)]
        for code in foreign["kode_program"].unique():
            rows = foreign[foreign["kode_program"] == code]
            out.reject(
                rows,
                label("kode_program"),
                "kode_program",
                "impor_program_instansi_lain",
                {"program": code},
            )
    no_kk = frame["no_kk"] if "no_kk" in frame.columns else pd.Series(None, index=frame.index)
    nik = frame["nik"] if "nik" in frame.columns else pd.Series(None, index=frame.index)
    by_nik = nik.notna() & no_kk.isna()
    if by_nik.any():
        kk_of = _lookup(conn, persons.c.nik, persons.c.no_kk, nik[by_nik].unique())
        no_kk = no_kk.where(~by_nik, nik.map(kk_of))
    run_id = conn.execute(select(func.max(assessment_runs.c.id))).scalar()
    scope = family_clause(user, families.c.no_kk, families.c.kode_desa, run_id)
    reachable = {
        r[0]
        for r in rows_by_keys(
            conn, [families.c.no_kk], families.c.no_kk, no_kk.dropna().unique(), scope
        )
    }
    beyond = ~no_kk.isin(reachable)
    named_by_kk = (
        frame["no_kk"].notna() if "no_kk" in frame.columns else pd.Series(False, index=frame.index)
    )
    if "no_kk" in frame.columns:
        out.reject(frame[beyond & named_by_kk], label("no_kk"), "no_kk")
    if "nik" in frame.columns:
        out.reject(frame[beyond & ~named_by_kk], label("nik"), "nik")


def _labels(checked: Validated) -> Callable[[str], str]:
    """The column a field came from, as the file's header writes it (the report's 'kolom')."""
    mapping, _ = map_header(checked.table.header, checked.kind)
    header = checked.table.header

    def label(name: str) -> str:
        if name == "kode_desa" and name not in mapping and "nama_desa" in mapping:
            name = "nama_desa"
        return header[mapping[name]] if name in mapping else name

    return label


def _lookup(
    conn: Connection, key: Any, value: Any, keys: Iterable[Any], from_: Any = None
) -> dict[Any, Any]:
    """The stored ``value`` of each key that exists (absent keys are new records)."""
    return dict(rows_by_keys(conn, [key, value], key, keys, from_=from_))


def _measured_elsewhere(
    conn: Connection, frame: pd.DataFrame, outside: Callable[[pd.Series], pd.Series]
) -> pd.Series:
    """Rows that would overwrite a measurement (same child NIK and date) stored in another
    area."""
    m = measurements.c
    stored = {
        (nik, str(when)): kode
        for nik, when, kode in rows_by_keys(
            conn,
            [m.nik_anak, m.tanggal_ukur, m.kode_desa],
            m.nik_anak,
            frame["nik_anak"].dropna().unique(),
        )
    }
    keys = pd.Series(
        list(zip(frame["nik_anak"], frame["tanggal_ukur"].astype(str), strict=True)),
        index=frame.index,
    )
    villages = keys.map(lambda k: stored.get(k))
    return villages.notna() & outside(villages)
