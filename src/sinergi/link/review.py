"""The review queue: the pairs the model could not decide (`sinergi.link.run` stores them with
status ``menunggu``) and an officer's decision on each — the one home for the CLI's
`sinergi review`, the web page "Tinjauan tautan" and the export of links.

Who may review is `security.access.may_review` (permission ``review``). A user limited to an
area sees and decides only pairs whose e-PPGBM record lies in it; a pair outside it answers as
one that does not exist. Only a waiting pair may be decided (``menunggu`` → ``diterima`` |
``ditolak``); each decision is written to the audit log in the same transaction, and the
clusters are rebuilt at once (`run.cluster`), so an accepted pair joins and a rejected one never
does, also at the next run. NIKs are masked for a role that may not reveal them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select, update

from sinergi.core.errors import CodedError
from sinergi.core.masking import mask_nik
from sinergi.link import AGENCY, EPPGBM, P3KE, PREGNANCY, ROSTER
from sinergi.link.records import child_key
from sinergi.link.run import COMPARED, SHOWN, apply_decision
from sinergi.security.access import in_area, may_reveal_nik, may_review, prefix_clause
from sinergi.security.auth import User
from sinergi.store import audit
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    families,
    golden_persons,
    import_batches,
    interventions,
    link_pairs,
    link_runs,
    measurements,
    person_links,
    persons,
    pregnancies,
)

PER_PAGE = 20
#: At most this many pairs in one download.
MAX_EXPORT = 50_000
WAITING, ACCEPTED, REJECTED = "menunggu", "diterima", "ditolak"
#: The audit log's object for a pair and for the links (``objek``).
OBJECT = "tautan"
#: Fields holding a NIK: masked for a role that may not reveal NIKs.
_NIK_FIELDS = ("nik", "nik_ibu")
#: How two values compare, from the agreement level (``tingkat``): missing, disagree, partly
#: (a level between the two), agree (the strongest level of the comparison) — with the mark and
#: the message code the CLI and the page show for each.
AGREEMENT = {
    "kosong": ("·", "tautan_tanpa_nilai"),
    "beda": ("✗", "tautan_beda"),
    "sebagian": ("≈", "tautan_sebagian"),
    "sama": ("✓", "tautan_sama"),
}
#: Why a pair waits (`link.run.statuses`, ``alasan``): the message code that says it.
WAITING_WHY = {
    "konflik": "tautan_alasan_konflik",
    "nik_berbeda": "tautan_alasan_nik_berbeda",
    "di_antara_ambang": "tautan_alasan_di_antara_ambang",
}


class ReviewError(CodedError):
    """A decision that cannot be made, as a catalogue message."""

    code = "tautan_tidak_ditemukan"


class NotFound(ReviewError):
    """No such pair, or one outside the user's area: the same answer."""


class NotAllowed(ReviewError):
    code = "tautan_tidak_boleh"


class AlreadyDecided(ReviewError):
    code = "tautan_sudah_diputuskan"


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    per_page: int


@cache
def strongest_levels() -> dict[str, int]:
    """Per shown field, the agreement level of its strongest (exact) comparison level."""
    from sinergi.link.model import top_levels

    top = top_levels()
    return {field: top[COMPARED.get(field, field)] for field in SHOWN}


def agreement(field: str, tingkat: int | None) -> str:
    """`AGREEMENT`'s word for one field's level."""
    if tingkat is None or tingkat < 0:
        return "kosong"
    if tingkat == 0:
        return "beda"
    return "sama" if tingkat >= strongest_levels()[field] else "sebagian"


def _key(record: str, reveal: bool) -> tuple[str, str]:
    """A record id's source and key, the key masked when it is a NIK the user may not see."""
    sumber, _, kunci = record.partition(":")
    return sumber, kunci if reveal or not kunci.isdigit() else mask_nik(kunci)


def _masked_id(record: str, reveal: bool) -> str:
    return ":".join(_key(record, reveal))


def _shown(row: Any, reveal: bool) -> dict[str, Any]:
    fields = []
    for field in SHOWN:
        cell = (row.fields or {}).get(field) or {}
        values = {side: cell.get(side) for side in ("l", "r")}
        if field in _NIK_FIELDS and not reveal:
            values = {side: mask_nik(v) if v else v for side, v in values.items()}
        level = cell.get("tingkat")
        word = agreement(field, level)
        mark, code = AGREEMENT[word]
        fields.append(
            {"field": field, **values, "tingkat": level, "agreement": word}
            | {"mark": mark, "word": code}
        )
    sumber_l, kunci_l = _key(row.record_l, reveal)
    sumber_r, kunci_r = _key(row.record_r, reveal)
    return {
        "id": int(row.id),
        "sumber_l": sumber_l,
        "kunci_l": kunci_l,
        "sumber_r": sumber_r,
        "kunci_r": kunci_r,
        "probability": float(row.probability),
        "match_weight": float(row.match_weight),
        "kode_desa": row.kode_desa,
        "alasan": row.alasan,
        "why": WAITING_WHY.get(row.alasan or ""),
        "fields": fields,
    }


def _check(user: User) -> None:
    if not may_review(user):
        raise NotAllowed()


def pending(engine: Engine, user: User, page: int = 1, per_page: int | None = None) -> Page:
    """The waiting pairs ``user`` may decide, the most probable first, one page of them
    (``per_page`` pairs, `PER_PAGE` unless given)."""
    _check(user)
    per_page = per_page or PER_PAGE
    lp = link_pairs.c
    scope = (lp.status == WAITING, prefix_clause(user.wilayah, lp.kode_desa))
    with engine.connect() as conn:
        total = conn.execute(
            select(func.count()).select_from(link_pairs).where(*scope)
        ).scalar_one()
        pages = max(1, math.ceil(total / per_page))
        page = min(max(1, page), pages)
        found = conn.execute(
            select(link_pairs)
            .where(*scope)
            .order_by(lp.probability.desc(), lp.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
    reveal = may_reveal_nik(user)
    return Page([_shown(r, reveal) for r in found], int(total), page, pages, per_page)


def waiting_table(engine: Engine, user: User, limit: int = MAX_EXPORT) -> pd.DataFrame:
    """`pending` as one table for a download: one row per pair (at most ``limit``), per field
    the left and right value and how they compare."""
    rows = []
    for r in pending(engine, user, 1, limit).rows:
        row: dict[str, Any] = {
            "id": r["id"],
            "kiri": f"{r['sumber_l']}:{r['kunci_l']}",
            "kanan": f"{r['sumber_r']}:{r['kunci_r']}",
            "probability": r["probability"],
            "match_weight": r["match_weight"],
            "alasan": r["alasan"],
            "kode_desa": r["kode_desa"],
        }
        for f in r["fields"]:
            row |= {
                f"{f['field']}_l": f["l"],
                f"{f['field']}_r": f["r"],
                f"{f['field']}_cocok": f["agreement"],
            }
        rows.append(row)
    return pd.DataFrame(rows)


def latest_run_id(engine: Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(func.max(link_runs.c.id))).scalar()


def decide(
    engine: Engine,
    user: User,
    pair_id: int,
    accept: bool,
    note: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """Accept (the two records are one person) or reject a waiting pair as ``user``, then
    apply it to the clusters (`sinergi.link.run.apply_decision`). Raises `NotAllowed`, `NotFound` (also for a pair outside the user's
    area) or `AlreadyDecided`."""
    _check(user)
    lp = link_pairs.c
    status = ACCEPTED if accept else REJECTED
    note = (note or "").strip()[:500] or None
    with engine.begin() as conn:
        row = conn.execute(
            select(lp.id, lp.record_l, lp.record_r, lp.status, lp.probability).where(
                lp.id == pair_id, prefix_clause(user.wilayah, lp.kode_desa)
            )
        ).first()
        if row is None:
            raise NotFound(id=pair_id)
        # The status in the condition: of two officers deciding at once, only one wins.
        changed = conn.execute(
            update(link_pairs)
            .where(lp.id == pair_id, lp.status == WAITING)
            .values(status=status, decided_by=user.username, decided_at=datetime.now(UTC))
        ).rowcount
        if not changed:
            raise AlreadyDecided(id=pair_id, status=row.status)
        reveal = may_reveal_nik(user)
        audit.record(
            conn,
            user.username,
            audit.CHANGE,
            OBJECT,
            str(pair_id),
            {
                "dari": WAITING,
                "ke": status,
                "catatan": note,
                "kiri": _masked_id(row.record_l, reveal),
                "kanan": _masked_id(row.record_r, reveal),
                "peluang": float(row.probability),
            },
            ip,
        )
    run_id = latest_run_id(engine)
    if run_id is not None:
        apply_decision(engine, row.record_l, row.record_r, accept, run_id)
    return {"id": pair_id, "status": status}


def _sources(engine: Engine) -> pd.DataFrame:
    """Every linked record with where it came from (file and row), its name and birth date."""
    p, m, b, pl = persons.c, measurements.c, import_batches.c, person_links.c
    with engine.connect() as conn:
        links = read_frame(
            conn,
            select(
                pl.record,
                pl.sumber,
                pl.kunci,
                pl.cluster_id,
                pl.nik,
                pl.no_kk,
                pl.probability,
                pl.decided_by,
            ),
        )
        roster = read_frame(
            conn,
            select(
                p.nik.label("kunci"),
                p.nama,
                p.tanggal_lahir,
                families.c.kode_desa,
                b.file_name.label("berkas"),
                p.baris,
            )
            .join(families, families.c.no_kk == p.no_kk)
            .outerjoin(import_batches, b.id == p.batch_id)
            .where(p.nik.in_(select(pl.kunci).where(pl.sumber == ROSTER))),
        )
        kids = read_frame(
            conn,
            select(
                m.record_key,
                m.nik_anak,
                m.nama_anak.label("nama"),
                m.tanggal_lahir,
                m.kode_desa,
                b.file_name.label("berkas"),
                m.baris,
                m.tanggal_ukur,
                m.id,
            ).outerjoin(import_batches, b.id == m.batch_id),
        )
        i, f, pg = interventions.c, families.c, pregnancies.c
        # The sources without birth dates: (key, NIK, name, village, batch, row) of each.
        undated = {
            AGENCY: (i.record_key, i.nik, i.nama, i.kode_desa, i.batch_id, i.baris),
            P3KE: (
                f.no_kk,
                f.nik_kepala,
                f.nama_kepala,
                f.kode_desa,
                f.desil_batch_id,
                f.desil_baris,
            ),
            PREGNANCY: (pg.record_key, pg.nik, pg.nama, pg.kode_desa, pg.batch_id, pg.baris),
        }
        others = []
        for source, (key, nik, nama, desa, batch, baris) in undated.items():
            frame = read_frame(
                conn,
                select(
                    key.label("kunci"),
                    nik.label("nik_catatan"),
                    nama.label("nama"),
                    desa,
                    b.file_name.label("berkas"),
                    baris.label("baris"),
                )
                .outerjoin(import_batches, b.id == batch)
                .where(key.in_(select(pl.kunci).where(pl.sumber == source))),
            )
            others.append(frame.assign(sumber=source, tanggal_lahir=None))
    roster["sumber"] = ROSTER
    roster["nik_catatan"] = roster["kunci"]
    if not kids.empty:
        kids["kunci"] = child_key(kids["record_key"])
        kids = kids.sort_values(["kunci", "tanggal_ukur", "id"]).drop_duplicates(
            "kunci", keep="last"
        )
    kids["sumber"] = EPPGBM
    kids["nik_catatan"] = kids["nik_anak"]
    cols = [
        "sumber",
        "kunci",
        "nik_catatan",
        "nama",
        "tanggal_lahir",
        "kode_desa",
        "berkas",
        "baris",
    ]
    source = pd.concat(
        [frame.reindex(columns=cols) for frame in (roster, kids, *others)],
        ignore_index=True,
    )
    return links.merge(source, on=["sumber", "kunci"], how="left")


def links_table(engine: Engine, user: User) -> pd.DataFrame:
    """One row per linked source record that ``user`` may see (its area): the cluster it
    belongs to, where it came from (file and row), NIK (masked unless the user may reveal
    NIKs), name, birth date, the probability that attached it and who decided."""
    _check(user)
    frame = _sources(engine)
    if user.wilayah:
        frame = frame[frame["kode_desa"].map(lambda code: in_area(user, code)).astype(bool)]
    reveal = may_reveal_nik(user)
    nik = frame["nik_catatan"].where(frame["nik_catatan"].notna(), frame["nik"])
    if not reveal:
        nik = nik.map(lambda v: mask_nik(v) if isinstance(v, str) else None)
    out = pd.DataFrame(
        {
            "cluster_id": frame["cluster_id"].map(lambda c: _masked_id(c, reveal)),
            "sumber": frame["sumber"],
            "berkas": frame["berkas"],
            "baris": frame["baris"].astype("Int64"),
            "nik": nik,
            "nama": frame["nama"],
            "tanggal_lahir": frame["tanggal_lahir"],
            "no_kk": frame["no_kk"],
            "probability": frame["probability"],
            "decided_by": frame["decided_by"],
        }
    )
    return out.sort_values(["cluster_id", "sumber", "nama"], kind="stable").reset_index(drop=True)


def golden_table(engine: Engine, user: User) -> pd.DataFrame:
    """One row per person (cluster) that ``user`` may see (its area): the golden record's values
    (`sinergi.link.golden`: which survived and from which source), NIK masked unless the user
    may reveal NIKs."""
    _check(user)
    with engine.connect() as conn:
        frame = read_frame(conn, select(golden_persons))
    if user.wilayah:
        frame = frame[frame["kode_desa"].map(lambda code: in_area(user, code)).astype(bool)]
    reveal = may_reveal_nik(user)
    nik = frame["nik"] if reveal else frame["nik"].map(lambda v: mask_nik(v) if v else None)
    origin = frame["asal"].map(
        lambda asal: "; ".join(
            f"{field}: {record.split(':', 1)[0]}"
            for field, record in (asal or {}).items()
            if record
        )
    )
    out = pd.DataFrame(
        {
            "cluster_id": frame["cluster_id"].map(lambda c: _masked_id(c, reveal)),
            "nik": nik,
            "nama": frame["nama"],
            "tanggal_lahir": frame["tanggal_lahir"],
            "jenis_kelamin": frame["jenis_kelamin"],
            "no_kk": frame["no_kk"],
            "kode_desa": frame["kode_desa"],
            "tanggal_data": frame["tanggal_data"],
            "sumber": frame["sumber"],
            "rekaman": frame["rekaman"],
            "asal": origin,
        }
    )
    return out.sort_values(["kode_desa", "no_kk", "nama"], kind="stable").reset_index(drop=True)
