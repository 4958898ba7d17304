"""One family's whole story: members, the factors that put it on the list (with the figures that
fired them), its children's growth, and every agency's work for it, in date order.

Factor explanations are computed with the rule compiler's own per-couple features
(`sinergi.rules.compile.couples_fired`), run on this one family, so the sentence an officer
reads rests on exactly the figures the assessment used (of the couple that fired the factor).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import duckdb
import ibis
import pandas as pd
from sqlalchemy import Connection, Engine, Table, func, select

from sinergi.core.masking import mask_nik
from sinergi.link.golden import intervention_family, may_reach
from sinergi.messages import Lang, t
from sinergi.rules.compile import couples_fired
from sinergi.rules.ruleset import RuleSet, load_ruleset
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    assessment_runs,
    families,
    interventions,
    measurements,
    persons,
    programmes,
    project_households,
    projects,
    proposal_events,
    proposals,
    regions,
)


def _age_years(born: date, ref: date) -> int:
    return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))


def explain_factors(
    fired: list[str],
    family: dict[str, Any],
    features: dict[str, Any],
    rs: RuleSet,
    ref: date,
    lang: Lang = "id",
) -> list[dict[str, str]]:
    """A sentence per fired factor, with the family's own figures and the rule's threshold."""
    out = []
    for code in fired:
        f = rs.factors[code]
        couple = features.get(code) or {}  # the couple that fired a couple factor
        born = couple.get("w_born")
        age = _age_years(born, ref) if isinstance(born, date) else "?"
        params: dict[str, Any] = {
            "air_minum_tidak_layak": {
                "value": family.get("sumber_air"),
                "safe": ", ".join(f.safe or ()),
            },
            "jamban_tidak_layak": {"value": family.get("jamban")},
            "terlalu_muda": {"age": age, "limit": f.below_age},
            "terlalu_tua": {"age": age, "lo": f.from_age, "hi": f.to_age},
            "terlalu_dekat": {"months": couple.get("spacing_m"), "limit": f.below_months},
            "terlalu_banyak": {"n": couple.get("n_anak"), "limit": f.min_children},
            "tidak_kb_modern": {},
            "desil_1": {"value": family.get("desil")},
            "rumah_tidak_layak": {},
        }.get(code, {})
        out.append(
            {
                "kode": code,
                "label": t(f"faktor_{code}", lang),
                "penjelasan": t(f"jelas_{code}", lang, **params),
            }
        )
    return out


_PERSON_COLUMNS = {
    "nik": "string",
    "no_kk": "string",
    "jenis_kelamin": "string",
    "tanggal_lahir": "date",
    "hubungan": "string",
    "status_kawin": "string",
    "hamil": "boolean",
    "kontrasepsi": "string",
}
_duck = duckdb.connect()
_duck_lock = threading.Lock()


_compiled: dict[tuple[str, str, date], str] = {}


def _features_sql(rs: RuleSet, ref: date) -> str:
    """The rule compiler's per-couple features as DuckDB SQL over a table ``anggota``, compiled
    once per rule set (file digest) and date: compiling costs far more than running it."""
    key = (rs.id, rs.digest, ref)
    if key not in _compiled:
        members = ibis.table(_PERSON_COLUMNS, name="anggota")
        _compiled[key] = str(
            ibis.to_sql(couples_fired(members, rs, ref, integer_keys=False), dialect="duckdb")
        )
    return _compiled[key]


def _features(member_rows: pd.DataFrame, rs: RuleSet, ref: date) -> dict[str, Any]:
    if member_rows.empty:
        return {}
    frame = member_rows[list(_PERSON_COLUMNS)].copy()
    frame["tanggal_lahir"] = pd.to_datetime(frame["tanggal_lahir"]).dt.date
    frame["hamil"] = frame["hamil"].astype("boolean")
    sql = _features_sql(rs, ref)
    with _duck_lock:  # one cursor per call; the registration is per cursor
        cur = _duck.cursor()
    try:
        cur.register("anggota", frame)
        got = cur.execute(sql).df()
    finally:
        cur.close()
    rows = got.sort_values("nik").to_dict("records")
    # per couple factor code: the figures of the first couple (by the wife's NIK) that fired it
    return {
        col[2:]: next(r for r in rows if r[col])
        for col in got.columns
        if col.startswith("f_") and got[col].any()
    }


def _rows_of(
    conn: Connection,
    table: Table,
    no_kk: str,
    columns: tuple[str, ...] = (),
    order: str | None = None,
) -> pd.DataFrame:
    """The family's rows of ``table`` (only ``columns`` when given), ordered by ``order``."""
    c = table.c
    query = (select(*(c[name] for name in columns)) if columns else select(table)).where(
        c.no_kk == no_kk
    )
    return read_frame(conn, query.order_by(c[order]) if order else query)


def family_story(
    engine: Engine, no_kk: str, lang: Lang = "id", show_nik: bool = False
) -> dict[str, Any] | None:
    """Everything Sinergi knows of one family, or None when it is not in the registry."""
    with engine.connect() as conn:
        found = conn.execute(select(families).where(families.c.no_kk == no_kk)).mappings().first()
        if found is None:
            return None
        fam: dict[str, Any] = dict(found)
        names = dict(
            conn.execute(
                select(regions.c.kode, regions.c.nama).where(
                    regions.c.kode.in_([fam["kode_desa"], fam["kode_desa"][:8]])
                )
            ).all()
        )
        members = _rows_of(conn, persons, no_kk, order="tanggal_lahir")
        assessed = select(assessment_runs).join(
            assessment_families, assessment_families.c.run_id == assessment_runs.c.id
        )
        # The latest run holds nearly every family: one primary-key look-up; only a family it
        # left out (moved away since) has its runs searched.
        latest = conn.execute(select(func.max(assessment_runs.c.id))).scalar()
        run = (
            conn.execute(
                assessed.where(
                    assessment_families.c.run_id == latest, assessment_families.c.no_kk == no_kk
                )
            )
            .mappings()
            .first()
        )
        if run is None:
            run = (
                conn.execute(
                    assessed.where(assessment_families.c.no_kk == no_kk).order_by(
                        assessment_runs.c.id.desc()
                    )
                )
                .mappings()
                .first()
            )
        result: dict[str, Any] | None = (
            None
            if run is None
            else dict(
                conn.execute(
                    select(assessment_families).where(
                        assessment_families.c.run_id == run["id"],
                        assessment_families.c.no_kk == no_kk,
                    )
                )
                .mappings()
                .one()
            )
        )
        children = read_frame(
            conn,
            select(assessment_children).where(
                assessment_children.c.no_kk == no_kk,
                assessment_children.c.run_id == (run["id"] if run else -1),
            ),
        )
        history = _rows_of(
            conn,
            measurements,
            no_kk,
            (
                "nik_anak",
                "nama_anak",
                "jenis_kelamin",
                "tanggal_lahir",
                "tanggal_ukur",
                "berat",
                "tinggi",
                "posyandu",
            ),
            "tanggal_ukur",
        )
        names_prog = dict(conn.execute(select(programmes.c.kode, programmes.c.nama)).all())
        events = read_frame(
            conn,
            select(
                proposals.c.kode_program,
                proposals.c.periode,
                proposal_events.c.dari,
                proposal_events.c.ke,
                proposal_events.c.alasan_tolak,
                proposal_events.c.catatan,
                proposal_events.c.oleh,
                proposal_events.c.waktu,
                proposal_events.c.sumber,
                proposal_events.c.evidence_id,
            )
            .join(proposals, proposals.c.id == proposal_events.c.proposal_id)
            .where(proposals.c.no_kk == no_kk),
        )
        current = _rows_of(
            conn,
            proposals,
            no_kk,
            ("kode_program", "periode", "status", "versi", "alasan"),
            "kode_program",
        )
        # The agency-list rows that reached this family, however they name it.
        kk, joined = intervention_family()
        i = interventions.c
        records = read_frame(
            conn,
            select(i.kode_program, i.tanggal, i.status, i.nilai, i.keterangan)
            .select_from(joined)
            .where(may_reach(no_kk), kk == no_kk)
            .order_by(i.tanggal, i.id),
        )
        water = read_frame(
            conn,
            select(
                projects.c.kode_program,
                projects.c.status,
                project_households.c.tersambung,
                project_households.c.oleh,
            )
            .join(projects, projects.c.id == project_households.c.project_id)
            .where(project_households.c.no_kk == no_kk),
        )

    fired = [c for c in (result["faktor"].split(";") if result and result["faktor"] else [])]
    assessment = None
    if run is not None and result is not None:
        assessment = {
            "run_id": run["id"],
            "aturan": f"{run['ruleset_id']}@{run['ruleset_version']}",
            "tanggal_acuan": str(run["reference_date"]),
            "krs": bool(result["krs"]),
            "miskin_ekstrem": bool(result["miskin_ekstrem"]),
            "sasaran": [s for s in result["sasaran"].split(";") if s],
        }
    factors: list[dict[str, str]] = []
    if run is not None and fired:
        rs = load_ruleset(run["ruleset_id"])
        feats = _features(members, rs, run["reference_date"])
        factors = explain_factors(fired, fam, feats, rs, run["reference_date"], lang)

    timeline: list[dict[str, Any]] = []
    for e in events.itertuples(index=False):
        timeline.append(
            {
                "waktu": pd.Timestamp(e.waktu).isoformat(timespec="minutes"),
                "program": e.kode_program,
                "nama_program": names_prog.get(e.kode_program),
                "kejadian": f"{e.dari or '—'} → {e.ke}",
                "keterangan": " ".join(x for x in (e.alasan_tolak, e.catatan) if x),
                "oleh": e.oleh,
                "sumber": e.sumber,
                # The file sent with the step (opened at /bukti/{id}, scoped and audited).
                "bukti": None if pd.isna(e.evidence_id) else int(e.evidence_id),
            }
        )
    for r in records.itertuples(index=False):
        timeline.append(
            {
                "waktu": str(r.tanggal),
                "program": r.kode_program,
                "nama_program": names_prog.get(r.kode_program),
                "kejadian": r.status,
                "keterangan": r.keterangan or "",
                "oleh": t("oleh_daftar_instansi", lang),
                "sumber": "intervensi",
            }
        )
    for w in water.itertuples(index=False):
        timeline.append(
            {
                "waktu": str(w.tersambung),
                "program": w.kode_program,
                "nama_program": names_prog.get(w.kode_program),
                "kejadian": t("tersambung_jaringan", lang),
                "keterangan": w.status,
                "oleh": w.oleh,
                "sumber": "proyek",
            }
        )
    timeline.sort(key=lambda x: (x["waktu"], x["program"]))

    member_list = [
        {
            "nik": r.nik if show_nik else mask_nik(r.nik),
            "nama": r.nama,
            "jenis_kelamin": r.jenis_kelamin,
            "tanggal_lahir": str(r.tanggal_lahir),
            "hubungan": r.hubungan,
            "status_kawin": r.status_kawin,
            "hamil": r.hamil,
            "kontrasepsi": r.kontrasepsi,
        }
        for r in members.itertuples(index=False)
    ]
    child_rows = children.to_dict("records")
    for c in child_rows:
        c["nik_anak"] = c["nik_anak"] if show_nik else mask_nik(c["nik_anak"])
    growth = history.assign(
        nik_anak=history["nik_anak"].map(lambda n: n if show_nik else mask_nik(n))
    ).to_dict("records")
    return {
        "keluarga": {
            **fam,
            "nik_kepala": fam["nik_kepala"] if show_nik else mask_nik(fam["nik_kepala"]),
            "nama_desa": names.get(fam["kode_desa"]),
            "nama_kecamatan": names.get(fam["kode_desa"][:8]),
        },
        "anggota": member_list,
        "penilaian": None if assessment is None else {**assessment, "faktor": factors},
        "anak": child_rows,
        "pengukuran": growth,
        "program": current.to_dict("records"),
        "riwayat": timeline,
    }
