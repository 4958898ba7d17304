"""Village verification as data: the one service that records and applies a village's findings.

A finding (`Verification`) says of one family — or of one member, by NIK — what the village
found when it checked: ``ada`` (confirmed), ``pindah`` (moved), ``meninggal`` (a member died),
``tidak_ditemukan`` (not found) or ``koreksi`` (a roster value is wrong: ``kolom`` names the
column by its formats.md name, ``nilai_baru`` gives the right value). Every way a finding comes
in writes it here: a ``verifikasi`` file (`sinergi import verifikasi`, through the import door
`sinergi.security.imports.import_as`, which passes `import_rows` as the importer's hook), the
web's per-family actions and the ODK/Kobo forms (`record_one`).

What a finding changes, in the transaction that records it:

- ``ada``, ``tidak_ditemukan``: nothing; the latest finding of a family is its last
  verification (`last_verifications`).
- ``pindah``: to a village of this registry (``nilai_baru``, by code or name), the family's
  ``kode_desa`` becomes it (the old one stays in ``value_history`` with the batch); else the
  family leaves the registry (``families.keluar`` = the date). The next assessment counts it in
  its new village, or nowhere.
- ``meninggal``: ``persons.meninggal`` = the date; the member leaves the roster at the next
  assessment, and a later roster listing the member again does not bring them back.
- ``koreksi``: the value is stored as a newer dated fact of the record, with its source (batch,
  row) and the old value in ``value_history`` and in ``verifications.nilai_lama``; a finding
  dated before the stored data is kept in ``value_history`` (not applied) and its record gets
  status ``ditolak`` without a decider — exactly as an older file row (`registry.load.upsert`).

With ``SINERGI_VERIFIKASI_PERLU_PERSETUJUAN`` on, a ``koreksi`` or ``pindah`` recorded by a
village (role ``desa``) waits (status ``menunggu``) and changes nothing until DPPKB or the
administrator approves it (`decide`: then it is applied) or rejects it (``ditolak``).

Who may record: ``admin`` and ``dppkb`` (within their area when they have one) and ``desa``
operators for the families of their villages. A family outside the user's area is answered
like an unknown one, so findings cannot be used to learn which numbers exist elsewhere.

The API the web and field forms use:

- `HASIL`: the five codes in display order; `correctable_columns()`: (formats.md name,
  ``"keluarga"`` | ``"anggota"``) of every column a ``koreksi`` may name.
- `record_one(engine, user, verification, sumber)`: validates like the importer (raises
  `VerificationError`, a `CodedError`, when the finding is invalid or out of reach), records it
  with an import batch of kind ``verifikasi``, applies it or leaves it waiting, audits it;
  returns `Recorded` (the record's id and status).
- `last_verifications(conn, no_kks)`, `history(conn, no_kk)`, `pending(conn, user)`,
  `decide(engine, user, id, approve)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from sinergi.core.errors import CodedError
from sinergi.core.values import clean
from sinergi.ingest.reader import RawTable
from sinergi.ingest.schema import CORRECTABLE, VERIFIKASI, correction_column
from sinergi.ingest.validate import Issue, validate
from sinergi.ingest.vocab import VOCABULARIES
from sinergi.registry.load import Counts, norm, upsert
from sinergi.security.access import in_area, prefix_clause
from sinergi.security.auth import User
from sinergi.settings import get_settings
from sinergi.store import audit
from sinergi.store.dialect import rows_by_keys
from sinergi.store.tables import families, import_batches, persons, regions, verifications

HASIL: tuple[str, ...] = tuple(VOCABULARIES["hasil_verifikasi"])
SUMBER = ("impor", "web", "odk")
APPLIED, WAITING, REJECTED = "diterapkan", "menunggu", "ditolak"
# Findings that change where a family is or what the roster says: these wait for DPPKB when
# the approval setting is on and a village recorded them.
NEEDS_APPROVAL = ("koreksi", "pindah")
RECORDERS = ("admin", "dppkb", "desa")
DECIDERS = ("admin", "dppkb")
OBJECT = "verifikasi"  # the audit log's object word
OUT_OF_REACH = "impor_di_luar_jangkauan"


class VerificationError(CodedError):
    """A finding that cannot be recorded, or a decision that cannot be taken."""


@dataclass(frozen=True)
class Verification:
    no_kk: str
    hasil: str  # ada | pindah | meninggal | tidak_ditemukan | koreksi
    tanggal: date
    nik: str | None = None
    kolom: str | None = None  # formats.md name, e.g. "RT", "Tanggal Lahir"
    nilai_baru: str | None = None
    petugas: str | None = None
    catatan: str | None = None


@dataclass(frozen=True)
class Recorded:
    id: int
    status: str  # diterapkan | menunggu | ditolak
    new: bool = True  # False: the same finding was recorded before; nothing changed


@dataclass(frozen=True)
class LastVerification:
    hasil: str
    tanggal: date
    petugas: str | None
    status: str = APPLIED  # diterapkan | menunggu | ditolak


@dataclass
class Outcome:
    """What recording a file's findings did (the importer's hook result): the issues and
    rejected spreadsheet rows, the counts, and the records written."""

    issues: list[Issue] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    counts: Counts = field(default_factory=Counts)
    recorded: list[Recorded] = field(default_factory=list)


def correctable_columns() -> list[tuple[str, str]]:
    """Every roster column a ``koreksi`` may name: (formats.md name, ``"keluarga"`` for a
    family column, ``"anggota"`` for a member's)."""
    return [(c.header, "keluarga" if c.level == "family" else "anggota") for c in CORRECTABLE]


def approval_required() -> bool:
    return get_settings().verifikasi_perlu_persetujuan


def may_record(user: User) -> bool:
    """May record findings at all (which families: those of the user's area)."""
    return user.role in RECORDERS and not (user.role == "desa" and not user.wilayah)


# --- one finding (web, field forms) -----------------------------------------------------------


def record_one(
    engine: Engine,
    user: User,
    v: Verification,
    sumber: str = "web",
    ip: str | None = None,
    today: date | None = None,
) -> Recorded:
    """Record one finding as ``user``: validated exactly as a row of a ``verifikasi`` file (the
    same validator, then the same checks against the registry), written with an import batch of
    its own, applied or left waiting, and audited — all in one transaction. Raises
    `VerificationError` with the first reason when it cannot be recorded."""
    if sumber not in SUMBER:
        raise ValueError(sumber)
    if not may_record(user):
        raise VerificationError("verifikasi_tidak_boleh", role=user.role)
    cells = [
        v.no_kk,
        v.nik or "",
        v.hasil,
        v.kolom or "",
        v.nilai_baru or "",
        v.tanggal.isoformat(),
        v.petugas or "",
        v.catatan or "",
    ]
    header = [c.header for c in VERIFIKASI.columns]
    digest = hashlib.sha256("\x1f".join([user.username, *cells]).encode()).hexdigest()
    # The batch's file name stays free of the No KK: the import list shows it.
    table = RawTable(Path(f"verifikasi-{sumber}"), None, header, 1, [cells], [2], digest)
    checked = validate(table, VERIFIKASI, today=today, regency=get_settings().region)
    errors = [i for i in checked.issues if i.tingkat == "error"]
    if errors:
        raise VerificationError(errors[0].kode, **errors[0].params)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        batch_id = int(
            conn.execute(
                insert(import_batches)
                .values(
                    kind=VERIFIKASI.name,
                    file_name=table.path.name,
                    sha256=digest,
                    status="dimuat",
                    started_at=now,
                    finished_at=now,
                    rows_read=1,
                    rows_loaded=1,
                    imported_by=user.username,
                    via=sumber,
                )
                .returning(import_batches.c.id)
            ).scalar_one()
        )
        outcome = record_rows(conn, user, checked.frame, batch_id, now, sumber)
        if outcome.rejected_rows:
            refusal = next(i for i in outcome.issues if i.tingkat == "error")
            raise VerificationError(refusal.kode, **refusal.params)
        recorded = outcome.recorded[0]
        c = outcome.counts
        conn.execute(
            update(import_batches)
            .where(import_batches.c.id == batch_id)
            .values(inserted=c.inserted, updated=c.updated, unchanged=c.unchanged, older=c.older)
        )
        detail = {
            "hasil": v.hasil,
            "status": recorded.status,
            "baru": recorded.new,
            "sumber": sumber,
        } | ({"kolom": v.kolom} if v.kolom else {})
        audit.record(conn, user.username, audit.CHANGE, OBJECT, str(recorded.id), detail, ip)
    return recorded


# --- a file's findings (the importer's hook) ---------------------------------------------------


def import_rows(
    user: User,
    conn: Connection,
    frame: pd.DataFrame,
    batch_id: int,
    oleh: str | None,
    sumber: str = "impor",
) -> Outcome:
    """The importer's hook for ``verifikasi`` files (`registry.importer.import_file`'s
    ``apply``): `record_rows` with source ``impor`` (``odk``: a field-form export pulled from
    ODK Central, `sinergi.field`)."""
    return record_rows(conn, user, frame, batch_id, datetime.now(UTC), sumber)


def record_rows(
    conn: Connection,
    user: User,
    frame: pd.DataFrame,
    batch_id: int,
    now: datetime,
    sumber: str,
) -> Outcome:
    """Check validated findings (``frame``: `validate`'s good rows of a ``verifikasi`` table)
    against the registry and the user's reach, then record and apply the good ones in file
    order. A finding recorded before (same ``record_key``) is counted unchanged and changes
    nothing."""
    out = Outcome()
    fc, pc = families.c, persons.c
    kks = frame["no_kk"].dropna().unique().tolist()
    village_of = dict(rows_by_keys(conn, [fc.no_kk, fc.kode_desa], fc.no_kk, kks))
    niks = frame["nik"].dropna().unique().tolist()
    member_of = dict(rows_by_keys(conn, [pc.nik, pc.no_kk], pc.nik, niks))
    villages = frame["desa_baru"].dropna().unique().tolist()
    registered = {r[0] for r in rows_by_keys(conn, [regions.c.kode], regions.c.kode, villages)}
    restricted = user.role == "desa" or bool(user.wilayah)
    vc = verifications.c
    rows = [{k: clean(v) for k, v in r.items()} for r in frame.to_dict("records")]
    keys = [_record_key(r) for r in rows]
    known = dict(rows_by_keys(conn, [vc.record_key, vc.id], vc.record_key, set(keys)))
    known_status = {
        i: s for i, s in rows_by_keys(conn, [vc.id, vc.status], vc.id, set(known.values()))
    }
    waits = approval_required() and user.role == "desa"
    for row, key in zip(rows, keys, strict=True):
        baris = int(row["baris"])
        village = village_of.get(row["no_kk"])
        if village is None or not may_record(user) or not in_area(user, village):
            code = OUT_OF_REACH if restricted else "verifikasi_kk_tidak_dikenal"
            _reject(out, baris, VERIFIKASI.column("no_kk").header, row["no_kk"], code)
            continue
        if row["nik"] is not None and member_of.get(row["nik"]) != row["no_kk"]:
            _reject(out, baris, "NIK", row["nik"], "verifikasi_nik_bukan_anggota")
            continue
        if row["desa_baru"] is not None and row["desa_baru"] not in registered:
            _reject(
                out, baris, "Nilai Baru", row["nilai_baru"], "verifikasi_desa_baru_tidak_dikenal"
            )
            continue
        if key in known:
            out.counts.unchanged += 1
            out.recorded.append(Recorded(known[key], known_status[known[key]], new=False))
            continue
        status = WAITING if waits and row["hasil"] in NEEDS_APPROVAL else APPLIED
        record_id = int(
            conn.execute(
                insert(verifications)
                .values(
                    record_key=key,
                    no_kk=row["no_kk"],
                    nik=row["nik"],
                    kode_desa=village,
                    hasil=row["hasil"],
                    kolom=_column_header(row),
                    nilai_baru=_new_value(row),
                    tanggal=row["tanggal"],
                    petugas=row["petugas"],
                    catatan=row["catatan"],
                    status=status,
                    sumber=sumber,
                    dicatat_oleh=user.username,
                    dicatat=now,
                    batch_id=batch_id,
                    baris=baris,
                )
                .returning(vc.id)
            ).scalar_one()
        )
        known[key] = record_id
        known_status[record_id] = status
        out.counts.inserted += 1
        if status == APPLIED:
            status = _apply(conn, record_id, now)
            if status == REJECTED:
                out.counts.older += 1
                out.issues.append(
                    Issue(baris, "Tanggal", str(row["tanggal"]), "verifikasi_lebih_lama", "warning")
                )
            known_status[record_id] = status
        out.recorded.append(Recorded(record_id, status))
    return out


def _reject(out: Outcome, baris: int, column: str, value: Any, code: str) -> None:
    out.rejected_rows.add(baris)
    out.issues.append(Issue(baris, column, None if value is None else str(value), code, "error"))


def _record_key(row: dict[str, Any]) -> str:
    """KK + NIK + result + column + new value + date: a finding loaded again is the same record
    (two corrections of one column on one day with different values are two records)."""
    parts = (
        row["no_kk"],
        row["nik"],
        row["hasil"],
        row.get("kolom_kode"),
        row.get("nilai_baru"),
        row["tanggal"],
    )
    text = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _column_header(row: dict[str, Any]) -> str | None:
    """A correction's column by its formats.md name (the stored ``kolom``)."""
    name = row.get("kolom_kode")
    return next((c.header for c in CORRECTABLE if c.name == name), None) if name else None


def _new_value(row: dict[str, Any]) -> str | None:
    """The stored ``nilai_baru``: a correction's value in the store's text form (as
    ``value_history`` writes values), a move's village code, else the cell as written."""
    if row["hasil"] == "koreksi":
        return norm(row["nilai_terbaca"])
    if row["hasil"] == "pindah":
        return row["desa_baru"] or row["desa_luar"]
    value = row["nilai_baru"]
    return None if value is None else str(value)


# --- applying a recorded finding ----------------------------------------------------------------


def _apply(conn: Connection, record_id: int, now: datetime) -> str:
    """Apply a recorded finding to the registry with its batch and row as the source; returns
    its status: ``diterapkan``, or ``ditolak`` when a correction is older than the stored data
    (kept in ``value_history``, not applied). Writes the value it replaced into ``nilai_lama``."""
    rec = conn.execute(select(verifications).where(verifications.c.id == record_id)).one()
    source = (int(rec.batch_id), int(rec.baris or 1))
    old: str | None = None
    status = APPLIED
    if rec.hasil == "meninggal":
        _write(conn, persons, "nik", rec.nik, {"meninggal": rec.tanggal}, source, now)
    elif rec.hasil == "pindah":
        old = _stored(conn, families, "no_kk", rec.no_kk, "kode_desa")
        region = get_settings().region + "."
        if rec.nilai_baru and rec.nilai_baru.startswith(region):
            # The new village is a dated fact like a roster's: an older roster loaded later
            # does not move the family back.
            values = {"kode_desa": rec.nilai_baru, "keluar": None}
            counts = _write(conn, families, "no_kk", rec.no_kk, values, source, now, rec.tanggal)
            status = REJECTED if counts.older else APPLIED
        else:
            _write(conn, families, "no_kk", rec.no_kk, {"keluar": rec.tanggal}, source, now)
    elif rec.hasil == "koreksi":
        col = correction_column(rec.kolom)
        if col is None:  # a column name the schema no longer knows: nothing to apply
            return REJECTED
        table, key, key_value = (
            (families, "no_kk", rec.no_kk) if col.level == "family" else (persons, "nik", rec.nik)
        )
        old = norm(_stored(conn, table, key, key_value, col.name))
        value = _typed(col.parser, rec.nilai_baru)
        counts = _write(
            conn, table, key, key_value, {col.name: value}, source, now, dated=rec.tanggal
        )
        if counts.older:
            status = REJECTED
        elif table is persons and col.name == "nama":
            # The family's head is shown by the name kept on the family.
            conn.execute(
                update(families)
                .where(families.c.no_kk == rec.no_kk, families.c.nik_kepala == rec.nik)
                .values(nama_kepala=value)
            )
    conn.execute(
        update(verifications)
        .where(verifications.c.id == record_id)
        .values(nilai_lama=None if old is None else str(old), status=status)
    )
    return status


def _stored(conn: Connection, table: Any, key: str, value: str, column: str) -> Any:
    return conn.execute(select(table.c[column]).where(table.c[key] == value)).scalar()


def _write(
    conn: Connection,
    table: Any,
    key: str,
    key_value: str,
    values: dict[str, Any],
    source: tuple[int, int],
    now: datetime,
    dated: date | None = None,
) -> Counts:
    """One record's new values through the importer's upsert (`registry.load.upsert`): the
    changed values with their source and the old ones in ``value_history``; with ``dated``
    the values are a dated fact, kept but not applied when the stored data are newer."""
    batch_id, baris = source
    row: dict[str, Any] = {key: key_value, **values, "baris": baris}
    if dated is not None:
        row["tanggal_data"] = dated
    frame = pd.DataFrame([row], dtype=object)
    return upsert(
        conn,
        table,
        key,
        frame,
        list(values),
        batch_id,
        now,
        dated="tanggal_data" if dated is not None else None,
    )


def _typed(parser: str, text: str | None) -> Any:
    """A stored ``nilai_baru`` (the store's text form, see `_new_value`) as the column's value."""
    if text is None:
        return None
    if parser == "date":
        return date.fromisoformat(text)
    if parser == "bool":
        return text == "1"
    if parser in ("float", "lat", "lng"):
        return float(text)
    if parser == "int":
        return int(text)
    return text


# --- reading and deciding -----------------------------------------------------------------------


def last_verifications(conn: Connection, no_kks: Iterable[str]) -> dict[str, LastVerification]:
    """Each family's latest finding (by date, then as recorded), for the families that have
    one."""
    vc = verifications.c
    latest: dict[str, tuple[date, int, LastVerification]] = {}
    for no_kk, hasil, tanggal, petugas, status, rid in rows_by_keys(
        conn,
        [vc.no_kk, vc.hasil, vc.tanggal, vc.petugas, vc.status, vc.id],
        vc.no_kk,
        set(no_kks),
    ):
        seen = latest.get(no_kk)
        if seen is None or (tanggal, rid) > seen[:2]:
            latest[no_kk] = (tanggal, rid, LastVerification(hasil, tanggal, petugas, status))
    return {k: v[2] for k, v in latest.items()}


_LISTED = (
    "id",
    "no_kk",
    "nik",
    "kode_desa",
    "hasil",
    "kolom",
    "nilai_lama",
    "nilai_baru",
    "tanggal",
    "petugas",
    "catatan",
    "status",
    "diputuskan_oleh",
    "diputuskan",
    "sumber",
    "dicatat_oleh",
    "dicatat",
    "batch_id",
    "baris",
)


def history(conn: Connection, no_kk: str) -> list[dict[str, Any]]:
    """A family's findings, the latest first (for the family page; the caller has already
    checked that the user may see the family)."""
    vc = verifications.c
    query = (
        select(*(vc[c] for c in _LISTED))
        .where(vc.no_kk == no_kk)
        .order_by(vc.tanggal.desc(), vc.id.desc())
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def listed(conn: Connection, user: User, status: str | None = None) -> list[dict[str, Any]]:
    """The findings of the user's area (all of them for an unrestricted user), optionally of
    one status, the oldest first; nothing for a role that may not record or decide."""
    if user.role not in RECORDERS or (user.role == "desa" and not user.wilayah):
        return []
    vc = verifications.c
    query = select(*(vc[c] for c in _LISTED)).order_by(vc.id)
    if status is not None:
        query = query.where(vc.status == status)
    if user.wilayah:
        query = query.where(prefix_clause(user.wilayah, vc.kode_desa))
    return [dict(r._mapping) for r in conn.execute(query)]


def pending(conn: Connection, user: User) -> list[dict[str, Any]]:
    """Findings waiting for approval that the user may see (`listed` with ``menunggu``)."""
    return listed(conn, user, WAITING)


def decide(
    engine: Engine, user: User, record_id: int, approve: bool, ip: str | None = None
) -> Recorded:
    """Approve (apply) or reject a waiting finding as DPPKB or the administrator, in one
    transaction with its audit entry. Raises `VerificationError` when the user may not decide,
    the finding is not in the user's area (or does not exist) or is not waiting."""
    if user.role not in DECIDERS:
        raise VerificationError("verifikasi_tidak_boleh_memutuskan", role=user.role)
    vc = verifications.c
    now = datetime.now(UTC)
    with engine.begin() as conn:
        rec = conn.execute(select(vc.id, vc.kode_desa, vc.status).where(vc.id == record_id)).first()
        if rec is None or not in_area(user, rec.kode_desa):
            raise VerificationError("verifikasi_tidak_ada", id=record_id)
        if rec.status != WAITING:
            raise VerificationError("verifikasi_sudah_diputuskan", id=record_id, status=rec.status)
        status = _apply(conn, record_id, now) if approve else REJECTED
        conn.execute(
            update(verifications)
            .where(vc.id == record_id)
            .values(status=status, diputuskan_oleh=user.username, diputuskan=now)
        )
        detail = {"keputusan": "setujui" if approve else "tolak", "status": status}
        audit.record(conn, user.username, audit.CHANGE, OBJECT, str(record_id), detail, ip)
    return Recorded(record_id, status)
