"""Import one source file: read, validate, and store the good rows in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from sinergi.core.display import Day, Number
from sinergi.ingest.limits import DEFAULT_LIMITS, ReadLimits
from sinergi.ingest.reader import RawTable, ReadError, read_table
from sinergi.ingest.report import is_report, issue_text
from sinergi.ingest.schema import DATA_DATE, KELUARGA, KINDS, Kind
from sinergi.ingest.validate import GESTATION_DAYS, Issue, Validated, better_kind, validate
from sinergi.registry.load import Counts, upsert
from sinergi.store.bulk import bulk_insert
from sinergi.store.dialect import rows_by_keys
from sinergi.store.search import index_new_names
from sinergi.store.tables import (
    catin,
    families,
    import_batches,
    import_issues,
    interventions,
    measurements,
    persons,
    pregnancies,
    village_facts,
)

FAMILY_ROSTER_FIELDS = (
    "kode_desa",
    "dusun",
    "rt",
    "rw",
    "alamat",
    "lintang",
    "bujur",
    "sumber_air",
    "jamban",
    "rumah_layak",
)
# A roster row's person columns besides the key (NIK).
PERSON_FIELDS = tuple(c.name for c in KELUARGA.columns if c.level == "row" and c.name != "nik")
# The head of family as the roster names it (the member whose hubungan is kepala_keluarga);
# P3KE's head only fills a family whose roster names none.
HEAD = "kepala_keluarga"
HEAD_FIELDS = ("nik_kepala", "nama_kepala")
WELFARE_FIELDS = (
    "desil",
    "penerima_pkh",
    "penerima_bpnt",
    "pengeluaran_per_kapita",
    *HEAD_FIELDS,
)
MEASUREMENT_FIELDS = (
    "nik_anak",
    "nama_anak",
    "jenis_kelamin",
    "tanggal_lahir",
    "nama_ortu",
    "nik_ortu",
    "no_kk",
    "kode_desa",
    "posyandu",
    "rt",
    "rw",
    "tanggal_ukur",
    "berat",
    "tinggi",
    "cara_ukur",
    "lila",
    "edema",
    "berat_lahir",
)
INTERVENTION_FIELDS = (
    "kode_program",
    "no_kk",
    "nik",
    "nama",
    "kode_desa",
    "tanggal",
    "status",
    "nilai",
    "keterangan",
)
VILLAGE_FIELDS = ("jaringan_air", "tahun", "sambungan_rumah", "biaya_jaringan", "indikator_lain")
PREGNANCY_FIELDS = (
    "nik",
    "no_kk",
    "nama",
    "kode_desa",
    "tanggal_periksa",
    "hpht",
    "usia_kehamilan",
    "taksiran_persalinan",
    "lila",
    "hb",
    "tinggi",
    "berat",
)
CATIN_FIELDS = (
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "kode_desa",
    "tanggal_periksa",
    "rencana_menikah",
    "lila",
    "hb",
    "tinggi",
    "berat",
    "imt",
)
# An HPHT derived from whole weeks is off by up to six days; two check-ups of one pregnancy whose
# HPHTs lie this close are the same pregnancy.
SAME_PREGNANCY_DAYS = 14


@dataclass
class ImportResult:
    kind: str
    path: Path
    sheet: str | None
    status: str  # 'dimuat' | 'ditolak' | 'sudah' (already imported) | 'uji' (dry run)
    batch_id: int | None = None
    previous_batch: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0
    counts: Counts = field(default_factory=Counts)
    issues: list[Issue] = field(default_factory=list)
    refusal: Issue | None = None

    def tallies(self) -> dict[str, int]:
        """The outcome in numbers, named as the batch record and the API name them."""
        return {
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rows_warned": self.rows_warned,
            "inserted": self.counts.inserted,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "older": self.counts.older,
        }


# Applies an agency list's statuses to later stages inside the import transaction (the deliver
# stage's workflow); returns an object with ``issues`` and ``rejected_rows`` (spreadsheet rows).
ApplyHook = Callable[[Connection, pd.DataFrame, int, "str | None"], Any]
# The kinds whose rows the ``apply`` hook takes: an agency list's statuses, and a village's
# findings (`sinergi.registry.verify.import_rows`, which records and applies them itself and
# adds its ``counts``; without the hook a ``verifikasi`` file stores nothing).
APPLIED_KINDS = ("intervensi", "verifikasi")
# For every kind: rejects the rows the importing user may not touch (same kind of outcome).
GuardHook = Callable[[Connection, Validated], Any]


def import_file(
    engine: Engine,
    kind: str,
    path: Path,
    sheet: str | None = None,
    dry_run: bool = False,
    regency: str = "64.08",
    today: date | None = None,
    user: str | None = None,
    apply: ApplyHook | None = None,
    guard: GuardHook | None = None,
    as_of: date | None = None,
    via: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Read, validate and store one file in one transaction.

    ``guard`` runs after validation, in the same transaction, for every kind: it rejects the rows
    the importing user may not touch (see `sinergi.security.imports`). ``apply`` (for
    ``intervensi`` files) runs next and may reject more rows (e.g. a workflow move that is not
    allowed), and for ``verifikasi`` files records and applies the findings. Rows either hook
    rejects are reported like validation errors and never stored.
    ``as_of`` is the date the file's data describe; ``via`` the way in (cli, web, api).
    ``limits`` are the reader's caps (see `sinergi.ingest.limits` for who passes what)."""
    spec = KINDS[kind]
    try:
        table = read_table(path, sheet, limits)
    except ReadError as exc:
        refusal = Issue(None, None, None, exc.code, "error", dict(exc.params))
        return ImportResult(kind, path, sheet, "ditolak", refusal=refusal, issues=[refusal])

    # A report of ours, or a file of another kind, is refused before anything is written: no
    # batch, and no issues, so no report either (a report of the wrong kind would be misleading).
    mismatch = _wrong_file(table.header, spec)
    if mismatch is not None:
        return ImportResult(kind, path, table.sheet, "ditolak", refusal=mismatch)

    b = import_batches.c
    with engine.connect() as conn:
        # "Already imported" is per importer: a file another user loaded may have had rows that
        # user could not touch, and this user may (re-importing loaded rows changes nothing).
        prev = conn.execute(
            select(b.id)
            .where(
                b.sha256 == table.sha256,
                b.kind == kind,
                b.status == "dimuat",
                (b.sheet == table.sheet) if table.sheet is not None else b.sheet.is_(None),
                (b.imported_by == user) if user is not None else b.imported_by.is_(None),
            )
            .order_by(b.id)
        ).first()
    if prev is not None and not dry_run:
        return ImportResult(kind, path, table.sheet, "sudah", previous_batch=prev[0])

    checked = validate(table, spec, today=today, regency=regency)
    result = ImportResult(
        kind,
        path,
        table.sheet,
        "ditolak" if checked.refused else ("uji" if dry_run else "dimuat"),
        rows_read=checked.rows_read,
        rows_rejected=checked.rejected_rows,
        rows_loaded=len(checked.frame),
        rows_warned=checked.warned_rows,
        issues=checked.issues,
        refusal=checked.refusal,
    )
    if checked.refused:
        result.rows_loaded = 0
    else:
        _date_rows(checked, as_of, today or date.today())
    now = datetime.now(UTC)
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            batch_id = _start_batch(conn, checked, table, result, now, user, as_of, via)
            if not checked.refused:
                if guard is not None and len(checked.frame):
                    _merge(checked, result, guard(conn, checked))
                applied = None
                if apply is not None and kind in APPLIED_KINDS and len(checked.frame):
                    applied = apply(conn, checked.frame, batch_id, user)
                    _merge(checked, result, applied)
                result.counts = _store(conn, checked, batch_id, now)
                if kind == "verifikasi" and applied is not None:
                    result.counts += applied.counts
                if result.counts.older:
                    checked.issues.insert(0, _older_note(result.counts.older))
            _finish_batch(conn, batch_id, checked, result)
            index_new_names(conn)  # the new names into the search index, set-wise
            result.batch_id = batch_id
            if dry_run:
                trans.rollback()
                result.batch_id = None
            else:
                trans.commit()
        except BaseException:
            trans.rollback()
            raise
    return result


def _wrong_file(header: list[str], spec: Kind) -> Issue | None:
    """Why a file must not be imported as ``spec`` at all: it is a validation report Sinergi
    wrote, or its header fits another kind clearly better (`validate.better_kind`)."""
    if is_report(header):
        return Issue(None, None, None, "berkas_laporan_sinergi", "error")
    better = better_kind(header, spec, KINDS.values())
    if better is None:
        return None
    other, fit, own = better
    params = {
        "kind": spec.name,
        "better": other.name,
        "better_n": Number(fit),
        "kind_n": Number(own),
    }
    return Issue(None, None, None, "jenis_lebih_cocok", "error", params)


def _merge(checked: Validated, result: ImportResult, outcome: Any) -> None:
    """Add a hook's issues to the file's and drop the rows it rejected (never stored)."""
    warned_before = {i.baris for i in checked.issues if i.tingkat == "warning"}
    checked.issues.extend(outcome.issues)
    rejected = set(outcome.rejected_rows)
    if rejected:
        checked.frame = checked.frame[~checked.frame["baris"].isin(rejected)]
    new_warned = {i.baris for i in outcome.issues if i.tingkat == "warning"} - warned_before
    result.rows_rejected += len(rejected)
    result.rows_loaded = len(checked.frame)
    # A row warned about earlier and rejected now counts as rejected only.
    result.rows_warned += len(new_warned - rejected) - len(warned_before & rejected)
    checked.issues.sort(key=lambda i: (i.baris or 0, i.kolom or ""))


def _date_rows(checked: Validated, as_of: date | None, today: date) -> None:
    """Give every good row its data date: its own ``Tanggal Pendataan`` cell, else the batch's
    ``as_of``, else the import date, which the report then says was assumed."""
    frame = checked.frame
    fallback = as_of or today
    if DATA_DATE.name in frame.columns:
        own = frame[DATA_DATE.name]
        missing = own.isna()
        filled = own.astype(object).where(~missing, fallback)
    else:
        missing = pd.Series(True, index=frame.index)
        filled = pd.Series(fallback, index=frame.index, dtype=object)
    checked.frame = frame.assign(**{DATA_DATE.name: filled})
    assumed = int(missing.sum())
    if as_of is None and assumed:
        checked.issues.insert(
            0,
            Issue(
                None,
                DATA_DATE.header,
                None,
                "tanggal_data_diasumsikan",
                "warning",
                {"n": Number(assumed), "date": Day.of(today), "column": DATA_DATE.header},
            ),
        )


def _older_note(n: int) -> Issue:
    """The file-level line of the report saying how many rows were older than the stored data."""
    return Issue(None, DATA_DATE.header, None, "baris_lebih_lama", "warning", {"n": Number(n)})


def _start_batch(
    conn: Connection,
    checked: Validated,
    table: RawTable,
    result: ImportResult,
    now: datetime,
    user: str | None,
    as_of: date | None,
    via: str | None,
) -> int:
    refusal = checked.refusal
    return int(
        conn.execute(
            insert(import_batches)
            .values(
                kind=checked.kind.name,
                file_name=table.path.name,
                sheet=table.sheet,
                sha256=table.sha256,
                status=result.status if result.status != "uji" else "dimuat",
                started_at=now,
                rows_read=result.rows_read,
                rows_loaded=result.rows_loaded,
                rows_rejected=result.rows_rejected,
                rows_warned=result.rows_warned,
                refusal=refusal.kode if refusal else None,
                extra_columns=checked.extra_columns or None,
                imported_by=user,
                as_of=as_of,
                via=via,
            )
            .returning(import_batches.c.id)
        ).scalar_one()
    )


def _finish_batch(
    conn: Connection, batch_id: int, checked: Validated, result: ImportResult
) -> None:
    bulk_insert(
        conn,
        import_issues,
        ("batch_id", "baris", "kolom", "nilai", "kode", "tingkat", "alasan"),
        [
            (batch_id, i.baris, i.kolom, i.nilai, i.kode, i.tingkat, issue_text(i, "id"))
            for i in checked.issues
        ],
    )
    conn.execute(
        update(import_batches)
        .where(import_batches.c.id == batch_id)
        .values(finished_at=datetime.now(UTC), **result.tallies())
    )


def _first_per_key(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame[frame[key].notna()].drop_duplicates(subset=[key], keep="first")


def _digest(*parts: object) -> str:
    text = "|".join("" if p is None or (isinstance(p, float) and p != p) else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _store(conn: Connection, checked: Validated, batch_id: int, now: datetime) -> Counts:
    f = checked.frame
    kind = checked.kind.name
    counts = Counts()
    dated = DATA_DATE.name
    if kind == "keluarga":
        fam = _first_per_key(f, "no_kk")
        heads = _first_per_key(f[f["hubungan"] == HEAD], "no_kk").set_index("no_kk")
        fam = fam.assign(
            nik_kepala=fam["no_kk"].map(heads["nik"]), nama_kepala=fam["no_kk"].map(heads["nama"])
        )
        named = fam["no_kk"].isin(heads.index)
        # A family whose roster names no head keeps the name it has (from P3KE, if any).
        for part, roster in (
            (fam[named], (*FAMILY_ROSTER_FIELDS, *HEAD_FIELDS)),
            (fam[~named], FAMILY_ROSTER_FIELDS),
        ):
            counts += upsert(conn, families, "no_kk", part, roster, batch_id, now, dated=dated)
        counts += upsert(conn, persons, "nik", f, PERSON_FIELDS, batch_id, now, dated=dated)
    elif kind == "p3ke":
        fam = _first_per_key(f, "no_kk")
        p = persons.c
        roster_named = {
            r[0]
            for r in rows_by_keys(
                conn, [p.no_kk], p.no_kk, fam["no_kk"].tolist(), p.hubungan == HEAD
            )
        }
        by_roster = fam["no_kk"].isin(roster_named)
        for part, fields in (
            (fam[~by_roster], WELFARE_FIELDS),
            (fam[by_roster], tuple(x for x in WELFARE_FIELDS if x not in HEAD_FIELDS)),
        ):
            counts += upsert(
                conn,
                families,
                "no_kk",
                part,
                fields,
                batch_id,
                now,
                provenance=("desil_batch_id", "desil_baris"),
                insert_only=("kode_desa", "alamat"),
                dated="desil_tanggal_data",
            )
    elif kind == "eppgbm":
        f = f.copy()
        identity = f["nik_anak"].astype(object)
        # A child without NIK is identified by name, birth date, parent and village instead.
        no_nik = identity.isna()
        if no_nik.any():
            cols = [
                c
                for c in ("nama_anak", "tanggal_lahir", "nik_ortu", "nama_ortu", "kode_desa")
                if c in f.columns
            ]
            identity[no_nik] = [
                "~" + _digest(*vals)
                for vals in f.loc[no_nik, cols].itertuples(index=False, name=None)
            ]
        f["record_key"] = identity + "@" + f["tanggal_ukur"].astype(str)
        f = f.drop_duplicates(subset=["record_key"], keep="last")
        counts += upsert(
            conn, measurements, "record_key", f, MEASUREMENT_FIELDS, batch_id, now, dated=dated
        )
    elif kind == "intervensi":
        f = f.copy()
        f["record_key"] = [
            _digest(*vals)
            for vals in zip(
                f["kode_program"],
                f.get("no_kk", pd.Series(None, index=f.index)),
                f.get("nik", pd.Series(None, index=f.index)),
                f["status"],
                f["tanggal"],
                strict=True,
            )
        ]
        f = f.drop_duplicates(subset=["record_key"], keep="last")
        counts += upsert(
            conn, interventions, "record_key", f, INTERVENTION_FIELDS, batch_id, now, dated=dated
        )
    elif kind == "ibu_hamil":
        f = _pregnancy_keys(conn, f)
        f, older = _latest_checkups(conn, pregnancies, f)
        counts.older += older
        counts += upsert(
            conn, pregnancies, "record_key", f, PREGNANCY_FIELDS, batch_id, now, dated=dated
        )
    elif kind == "catin":
        f = f.assign(record_key=f["nik"] + "@" + f["tanggal_periksa"].astype(str))
        f = f.drop_duplicates(subset=["record_key"], keep="last")
        counts += upsert(conn, catin, "record_key", f, CATIN_FIELDS, batch_id, now, dated=dated)
    elif kind == "desa":
        f = f.copy()
        extra = checked.extra_values
        if extra is not None:
            # Extra village indicators travel with the village as a JSON object.
            f["indikator_lain"] = [
                {k: v for k, v in row.items() if v != ""} or None
                for row in extra.loc[f["baris"]].to_dict("records")
            ]
        counts += upsert(
            conn, village_facts, "kode_desa", f, VILLAGE_FIELDS, batch_id, now, dated=dated
        )
    return counts


def _pregnancy_keys(conn: Connection, f: pd.DataFrame) -> pd.DataFrame:
    """Each check-up's pregnancy: ``record_key`` = NIK + "@" + HPHT. A derived HPHT (from the
    weeks) within ``SAME_PREGNANCY_DAYS`` of a stated or stored HPHT of the same woman takes
    that HPHT, so every check-up of one pregnancy updates one record; check-ups are read in date
    order, the first of a pregnancy fixing its HPHT."""
    pg = pregnancies.c
    known: dict[str, list[date]] = {}
    for nik, hpht in rows_by_keys(conn, [pg.nik, pg.hpht], pg.nik, f["nik"].unique().tolist()):
        known.setdefault(nik, []).append(hpht)
    stated = f[~f["hpht_dihitung"]]
    for nik, hpht in zip(stated["nik"], stated["hpht"], strict=True):
        known.setdefault(nik, []).append(hpht)
    f = f.sort_values("tanggal_periksa", kind="stable")
    hphts = f["hpht"].tolist()
    for pos, (nik, derived) in enumerate(zip(f["nik"], f["hpht_dihitung"], strict=True)):
        if not derived:
            continue
        near = [d for d in known.get(nik, []) if abs((d - hphts[pos]).days) <= SAME_PREGNANCY_DAYS]
        if near:
            hphts[pos] = min(near, key=lambda d: abs((d - hphts[pos]).days))
        else:
            known.setdefault(nik, []).append(hphts[pos])
    hpht = pd.Series(hphts, index=f.index, dtype=object)
    return f.assign(
        hpht=hpht,
        taksiran_persalinan=[d + timedelta(days=GESTATION_DAYS) for d in hphts],
        record_key=f["nik"] + "@" + hpht.astype(str),
    )


def _latest_checkups(conn: Connection, table: Any, f: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per record, its latest check-up; rows whose check-up is older than the stored
    record's are left out and counted (the stored record keeps the later check-up's values)."""
    f = f.sort_values("tanggal_periksa", kind="stable").drop_duplicates(
        subset=["record_key"], keep="last"
    )
    c = table.c
    stored = dict(
        rows_by_keys(
            conn, [c.record_key, c.tanggal_periksa], c.record_key, f["record_key"].tolist()
        )
    )
    earlier = (
        f["record_key"]
        .map(stored)
        .pipe(lambda s: s.notna() & (s.astype(object) > f["tanggal_periksa"].astype(object)))
    )
    return f[~earlier], int(earlier.sum())
