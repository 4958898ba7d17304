"""Who slipped through: stunted or wasted children outside the KRS list, and KRS families whose
under-fives were not measured recently. Both read a stored assessment run."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, or_, select

from sinergi.assess.prevalence import stunted_mask, under_five, under_five_mask, wasted_mask
from sinergi.assess.summary import CHILD_RESULT, in_areas, run_date, run_rows
from sinergi.core.ages import months_before
from sinergi.link.records import waiting_children
from sinergi.messages import Lang, t
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    persons,
)
from sinergi.wilayah import get_wilayah


def missed(
    engine: Engine,
    run_id: int,
    lang: Lang = "id",
    months: int = 3,
    prefixes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per missed child or unmeasured under-five, with the reason in words and as a code.

    ``prefixes`` keeps the rows whose village (the child's own for a missed child, the family's
    for an unmeasured under-five) starts with one of them; the database reads only those, and
    the children that may tell whether such an under-five was measured."""
    c, f = assessment_children.c, assessment_families.c
    kids_query = (
        run_rows(assessment_children, run_id, *CHILD_RESULT, "kode_desa", "no_kk")
        .add_columns(f.krs)
        .select_from(
            assessment_children.outerjoin(
                assessment_families, and_(f.run_id == c.run_id, f.no_kk == c.no_kk)
            )
        )
    )
    under5_query = (
        select(
            persons.c.nik,
            persons.c.nama,
            persons.c.jenis_kelamin,
            persons.c.tanggal_lahir,
            persons.c.no_kk,
            f.kode_desa,
        )
        .join(assessment_families, f.no_kk == persons.c.no_kk)
        .where(f.run_id == run_id, f.krs.is_(True))
    )
    if prefixes:
        under5_query = under5_query.where(in_areas(f.kode_desa, prefixes))
        # A child measured in another village still counts as measured for its family: read
        # it too when it belongs to a family in scope or is a person of one.
        scoped = assessment_families.alias("scoped")
        persons_in_scope = (
            select(persons.c.nik)
            .join(scoped, scoped.c.no_kk == persons.c.no_kk)
            .where(scoped.c.run_id == run_id, in_areas(scoped.c.kode_desa, prefixes))
        )
        kids_query = kids_query.where(
            or_(
                in_areas(c.kode_desa, prefixes),
                in_areas(f.kode_desa, prefixes),
                c.nik_anak.in_(persons_in_scope),
            )
        )
    with engine.connect() as conn:
        ref = conn.execute(run_date(run_id)).scalar_one()
        kids = read_frame(conn, kids_query)
        under5 = read_frame(
            conn, under5_query.where(under_five(persons.c, ref), persons.c.tanggal_lahir <= ref)
        )
        waiting = waiting_children(conn)
    rows: list[dict] = []
    if not kids.empty:
        # Stunted and wasted as the prevalence counts them (a flagged z-score is to be measured
        # again, not reported as stunted or wasted).
        kids = kids.assign(stunted=stunted_mask(kids, ref), wasted=wasted_mask(kids, ref))
        unattached = kids["no_kk"].isna() & under_five_mask(kids, ref)
        listed = kids["stunted"] | kids["wasted"] | unattached
        if prefixes:
            listed &= kids["kode_desa"].fillna("").str.startswith(tuple(prefixes))
        for r in kids[listed].itertuples(index=False):
            registered = not (r.no_kk is None or pd.isna(r.no_kk))
            if not registered and r.child_key in waiting:
                # A family may yet be found: the linkage holds a pair for an officer to decide.
                code = "anak_perlu_tinjauan"
                reason = t(code, lang)
            elif r.stunted or r.wasted:
                status = "kata_stunting" if r.stunted else "kata_wasting"
                if not registered:
                    code = "anak_tidak_terdaftar"
                elif not bool(r.krs):
                    code = "anak_bukan_krs"
                else:
                    continue
                reason = t(code, lang, status=t(status, lang))
            else:
                # Not stunted or wasted, but no family could be found for the child.
                code, reason = "anak_tidak_terhubung", t("anak_tidak_terhubung", lang)
            rows.append(
                {
                    "jenis": "anak_terlewat",
                    "kode_alasan": code,
                    "alasan": reason,
                    "no_kk": r.no_kk,
                    "nik": r.nik_anak,
                    "nama": r.nama_anak,
                    "jenis_kelamin": r.jenis_kelamin,
                    "tanggal_lahir": r.tanggal_lahir,
                    "kode_desa": r.kode_desa,
                    "tanggal_ukur_terakhir": r.tanggal_ukur,
                    "zs_tbu": r.zs_tbu,
                    "zs_bbtb": r.zs_bbtb,
                    "status_tbu": r.status_tbu,
                    "status_bbtb": r.status_bbtb,
                }
            )
    if not under5.empty:
        since = months_before(ref, months)
        recent = (
            kids[pd.to_datetime(kids["tanggal_ukur"]) >= pd.Timestamp(since)]
            if not kids.empty
            else kids
        )
        by_nik = set(recent["nik_anak"].dropna()) if not recent.empty else set()
        by_family = (
            set()
            if recent.empty
            else set(
                zip(
                    recent["no_kk"],
                    pd.to_datetime(recent["tanggal_lahir"]).dt.date,
                    recent["jenis_kelamin"],
                    strict=True,
                )
            )
        )
        last = (
            {}
            if kids.empty
            else kids.dropna(subset=["nik_anak"]).set_index("nik_anak")["tanggal_ukur"].to_dict()
        )
        for r in under5.itertuples(index=False):
            if r.nik in by_nik or (r.no_kk, r.tanggal_lahir, r.jenis_kelamin) in by_family:
                continue
            rows.append(
                {
                    "jenis": "belum_diukur",
                    "kode_alasan": "belum_diukur",
                    "alasan": t("belum_diukur", lang, months=months),
                    "no_kk": r.no_kk,
                    "nik": r.nik,
                    "nama": r.nama,
                    "jenis_kelamin": r.jenis_kelamin,
                    "tanggal_lahir": r.tanggal_lahir,
                    "kode_desa": r.kode_desa,
                    "tanggal_ukur_terakhir": last.get(r.nik),
                    "zs_tbu": None,
                    "zs_bbtb": None,
                    "status_tbu": None,
                    "status_bbtb": None,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "jenis",
            "kode_alasan",
            "alasan",
            "no_kk",
            "nik",
            "nama",
            "jenis_kelamin",
            "tanggal_lahir",
            "kode_desa",
            "tanggal_ukur_terakhir",
            "zs_tbu",
            "zs_bbtb",
            "status_tbu",
            "status_bbtb",
        ],
    )
    w = get_wilayah()
    out.insert(9, "nama_desa", out["kode_desa"].map(lambda k: w.name(k, "")))
    return out.sort_values(
        ["jenis", "kode_desa", "no_kk", "nama"], na_position="last", ignore_index=True
    )
