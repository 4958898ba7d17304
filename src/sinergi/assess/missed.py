"""Who slipped through: stunted or wasted children outside the KRS list, every child signal a
posyandu sees (whatever the family's KRS status), and registered under-fives not measured
recently. All read a stored assessment run (and the delivered interventions that clear a row).

One row per finding (``kode_alasan``): a child with two findings has two rows, so that an
officer filters and exports by code. The codes:

* ``anak_bukan_krs`` / ``anak_tidak_terdaftar``: stunted or wasted (as the prevalence counts
  them), the family not on the KRS list / not registered; ``anak_perlu_tinjauan``: no certain
  family, a linkage pair waits for an officer; ``anak_tidak_terhubung``: no family found.
* the child signals ``anak_berat_kurang`` (underweight), ``anak_2t``, ``anak_lila_rendah``,
  ``anak_edema``, ``anak_bblr`` and ``ukur_ulang`` (a WHO-flagged measurement: measure again),
  decided once in `sinergi.assess.findings` (``child_signals``), which also gives each family
  its case-finding codes (``temuan``).
* ``belum_diukur``: a registered under-five (any family of the roster, KRS or not) not
  measured in the last ``months`` months.

The child signals look at under-fives at the run's reference date. A finding of a measured child
**clears** when a programme that serves it (its ``serves`` in the programme catalogue,
`sinergi.targeting.programmes.served_by`) delivered
to the child's family (No. KK) or to the child (NIK) after the finding's measurement date: an
``interventions`` row with status ``tersalurkan`` and ``tanggal`` after ``tanggal_ukur_terakhir``.
A cleared row names the programme and the date (``ditangani_oleh``, ``tanggal_ditangani``), is
not counted as missed and is left out unless asked for (``include_cleared``).

Output columns (``MISSED_COLUMNS``), for rows of any kind (another stage may append rows of a
person who is not a child, filling what applies): ``jenis`` (kind of row), ``kode_alasan``,
``alasan`` (the sentence), ``no_kk``, ``nik``, ``nama``, ``jenis_kelamin``, ``tanggal_lahir``,
``kode_desa``, ``nama_desa``, ``tanggal_ukur_terakhir``, ``zs_tbu``, ``zs_bbtb``, ``status_tbu``,
``status_bbtb``, then ``zs_bbu``, ``status_bbu``, ``lila``, ``berat_lahir``, ``ditangani_oleh``,
``tanggal_ditangani``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, or_, select

from sinergi.assess.clearing import CLEARING_COLUMNS, clear_served, still_missed
from sinergi.assess.findings import SIGNALS, child_signals
from sinergi.assess.pregnancy import with_findings
from sinergi.assess.prevalence import (
    recently_measured_mask,
    stunted_mask,
    under_five,
    under_five_mask,
    wasted_mask,
)
from sinergi.assess.summary import CHILD_RESULT, in_areas, run_date, run_rows
from sinergi.link.records import waiting_children
from sinergi.messages import Lang, t
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    interventions,
    persons,
)
from sinergi.targeting.programmes import served_by
from sinergi.wilayah import get_wilayah

# Which programmes serve which finding is each programme's ``serves`` (targeting/programmes/*.toml):
# a delivery of one of them after the finding clears it. PMT lokal (Dinkes' recovery PMT and
# referral, Baznas' food package) serves stunted, wasted, underweight, 2T and low-MUAC children;
# oedema is severe acute malnutrition and needs the health service's referral (Dinkes only); a
# low-birth-weight baby is followed by the health service or a family-support team's (TPK) visits.
# A flagged measurement and an unmeasured child clear only by a new measurement; a child without a
# certain family only by an officer's decision.
NOT_MEASURED = (
    "belum_diukur"  # a registered under-five nobody measured lately (a kind and a reason)
)
DELIVERED = "tersalurkan"  # the workflow status of a delivered intervention (core.statuses)
MISSED_COLUMNS: tuple[str, ...] = (
    "jenis",
    "kode_alasan",
    "alasan",
    "no_kk",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "kode_desa",
    "nama_desa",
    "tanggal_ukur_terakhir",
    "zs_tbu",
    "zs_bbtb",
    "status_tbu",
    "status_bbtb",
    "zs_bbu",
    "status_bbu",
    "lila",
    "berat_lahir",
    *CLEARING_COLUMNS,
)
# The columns of the registered under-fives `child_rows` reads (the village: the family's).
UNDER_FIVE_COLUMNS = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "no_kk", "kode_desa")


def served_programmes() -> list[str]:
    """The programmes whose delivery may clear a finding (any ``serves``): the deliveries the
    missed list reads."""
    return sorted({code for codes in served_by().values() for code in codes})


def missed(
    engine: Engine,
    run_id: int,
    lang: Lang = "id",
    months: int = 3,
    prefixes: Sequence[str] | None = None,
    include_cleared: bool = False,
) -> pd.DataFrame:
    """One row per finding of a missed child or unmeasured under-five, with the reason in words
    and as a code (see the module docstring for the codes and ``MISSED_COLUMNS``).

    ``prefixes`` keeps the rows whose village (the child's own for a measured child, the
    family's for an unmeasured under-five) starts with one of them; the database reads only
    those, and the children that may tell whether such an under-five was measured.
    ``include_cleared`` keeps the findings a delivered programme has cleared (they name it in
    ``ditangani_oleh``); by default only what is still missed is listed."""
    c, f = assessment_children.c, assessment_families.c
    kids_query = (
        run_rows(
            assessment_children,
            run_id,
            *CHILD_RESULT,
            "kode_desa",
            "no_kk",
            "umur_hari",
            "edema",
            "lila",
            "berat_lahir",
            "bb_2t",
        )
        .add_columns(f.krs)
        .select_from(
            assessment_children.outerjoin(
                assessment_families, and_(f.run_id == c.run_id, f.no_kk == c.no_kk)
            )
        )
    )
    # Every registered under-five, whatever the family's KRS status.
    under5_query = (
        select(*(f.kode_desa if c == "kode_desa" else persons.c[c] for c in UNDER_FIVE_COLUMNS))
        .join(assessment_families, f.no_kk == persons.c.no_kk)
        .where(f.run_id == run_id)
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
    served = served_programmes()
    i = interventions.c
    with engine.connect() as conn:
        ref = conn.execute(run_date(run_id)).scalar_one()
        kids = read_frame(conn, kids_query)
        under5 = read_frame(
            conn, under5_query.where(under_five(persons.c, ref), persons.c.tanggal_lahir <= ref)
        )
        waiting = waiting_children(conn)
        delivered = read_frame(
            conn,
            select(i.kode_program, i.no_kk, i.nik, i.tanggal).where(
                i.status == DELIVERED, i.kode_program.in_(served)
            ),
        )
    out = child_rows(kids, under5, waiting, ref, lang, months, prefixes)
    out = settle(out, delivered, include_cleared)
    # Pregnant women and engaged couples (`sinergi.assess.pregnancy`), in the same columns.
    return with_findings(out, engine, ref, lang, prefixes, include_cleared)


def child_rows(
    kids: pd.DataFrame,
    under5: pd.DataFrame,
    waiting: Collection[str],
    ref: date,
    lang: Lang = "id",
    months: int = 3,
    prefixes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The children's rows of the missed list, before clearing (`settle`): ``kids`` the run's
    children (the columns of ``assessment_children`` and the family's ``krs``), ``under5`` the
    registered under-fives (`UNDER_FIVE_COLUMNS`), ``waiting`` the child keys a linkage pair
    holds for an officer. Pure, so that a batch job (`sinergi.batch.missed`) lists an extract's
    children by the same code; `MISSED_COLUMNS` but ``nama_desa`` and the clearing's
    (`CLEARING_COLUMNS`)."""
    columns = [col for col in MISSED_COLUMNS if col not in ("nama_desa", *CLEARING_COLUMNS)]
    # The measured children's rows: the children listed, each with its code and reason.
    picked: list[pd.DataFrame] = []
    codes: list[np.ndarray] = []
    reasons: list[np.ndarray] = []
    if not kids.empty:
        # Stunted, wasted and underweight as the prevalence counts them (a flagged z-score is
        # to be measured again, not reported as stunted or wasted).
        kids = kids.assign(stunted=stunted_mask(kids, ref), wasted=wasted_mask(kids, ref))
        in_scope = (
            kids["kode_desa"].fillna("").str.startswith(tuple(prefixes))
            if prefixes
            else pd.Series(True, index=kids.index)
        )
        unattached = kids["no_kk"].isna() & under_five_mask(kids, ref)
        listed = kids[(kids["stunted"] | kids["wasted"] | unattached) & in_scope]
        code, status = _child_codes(listed, waiting)
        said = {
            (c, s): t(c, lang, status=t(s, lang)) if s else t(c, lang)
            for c, s in set(zip(code, status, strict=True))
        }
        keep = code != ""  # a stunted or wasted child of a KRS family: on the list already
        picked.append(listed[keep])
        codes.append(code[keep])
        reasons.append(np.array([said[k] for k in zip(code[keep], status[keep], strict=True)]))
        signals = child_signals(kids[in_scope], ref)
        for signal in SIGNALS:
            hit = kids.loc[signals[signal][signals[signal]].index]
            picked.append(hit)
            codes.append(np.full(len(hit), signal, dtype=object))
            reasons.append(np.full(len(hit), t(signal, lang), dtype=object))
    if sum(len(p) for p in picked):
        # Only the columns a row shows (the children's other columns are not concatenated).
        shown = [p[list(CHILD_ROW_COLUMNS.values())] for p in picked]
        out = _child_frame(pd.concat(shown), np.concatenate(codes), np.concatenate(reasons))
        out = out[columns]
    else:
        out = pd.DataFrame([], columns=columns)
    if not under5.empty:
        unmeasured = under5[~recently_measured_mask(under5, kids, ref, months)]
        last = (
            kids.dropna(subset=["nik_anak"]).drop_duplicates("nik_anak", keep="last")
            if not kids.empty
            else pd.DataFrame(columns=["nik_anak", "tanggal_ukur"])
        ).set_index("nik_anak")["tanggal_ukur"]
        # One row per under-five nobody measured lately, built as columns (tens of thousands).
        unmeasured_rows = pd.DataFrame(
            {
                "jenis": NOT_MEASURED,
                "kode_alasan": NOT_MEASURED,
                "alasan": t(NOT_MEASURED, lang, months=months),
                **{c: unmeasured[c].to_numpy() for c in UNDER_FIVE_COLUMNS},
                "tanggal_ukur_terakhir": unmeasured["nik"].map(last).to_numpy(),
            },
            index=pd.RangeIndex(len(unmeasured)),
        ).reindex(columns=out.columns)
        out = unmeasured_rows if out.empty else pd.concat([out, unmeasured_rows], ignore_index=True)
    return out


def settle(out: pd.DataFrame, delivered: pd.DataFrame, include_cleared: bool) -> pd.DataFrame:
    """``out`` (rows of `child_rows`) cleared by the ``delivered`` interventions of the
    programmes that serve a finding (`clear_served`; only the still missed unless
    ``include_cleared``), with the village's name, in the list's order."""
    out = clear_served(out, delivered)
    if not include_cleared:
        out = still_missed(out)
    w = get_wilayah()
    names = {k: w.name(k, "") for k in out["kode_desa"].dropna().unique()}
    out.insert(9, "nama_desa", out["kode_desa"].map(names))
    out = out.sort_values(
        ["jenis", "kode_desa", "no_kk", "nama", "kode_alasan"],
        na_position="last",
        ignore_index=True,
    )
    return out


def _child_codes(listed: pd.DataFrame, waiting: Collection[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each child ``listed`` (stunted, wasted or without a family), its code, and the word
    its reason names (``kata_stunting``/``kata_wasting``, or ''); the code '' for a stunted or
    wasted child of a KRS family (not missed)."""
    registered = listed["no_kk"].notna().to_numpy()
    stunted = listed["stunted"].to_numpy(bool)
    bad = stunted | listed["wasted"].to_numpy(bool)
    # A family may yet be found: the linkage holds a pair for an officer to decide.
    pending = ~registered & listed["child_key"].isin(list(waiting)).to_numpy()
    # The family's flag as Python reads it, asked of registered children only.
    krs = np.array(
        [bool(v) if r else False for v, r in zip(listed["krs"], registered, strict=True)], bool
    )
    code = np.select(
        [pending, bad & ~registered, bad & ~krs, bad],
        ["anak_perlu_tinjauan", "anak_tidak_terdaftar", "anak_bukan_krs", ""],
        # Not stunted or wasted, but no family could be found for the child.
        default="anak_tidak_terhubung",
    ).astype(object)
    named = bad & ~pending & (code != "")
    status = np.where(named, np.where(stunted, "kata_stunting", "kata_wasting"), "").astype(object)
    return code, status


# The missed list's columns of a measured child, and the run's children's columns they show.
CHILD_ROW_COLUMNS = {
    "no_kk": "no_kk",
    "nik": "nik_anak",
    "nama": "nama_anak",
    "jenis_kelamin": "jenis_kelamin",
    "tanggal_lahir": "tanggal_lahir",
    "kode_desa": "kode_desa",
    "tanggal_ukur_terakhir": "tanggal_ukur",
    "zs_tbu": "zs_tbu",
    "zs_bbtb": "zs_bbtb",
    "status_tbu": "status_tbu",
    "status_bbtb": "status_bbtb",
    "zs_bbu": "zs_bbu",
    "status_bbu": "status_bbu",
    "lila": "lila",
    "berat_lahir": "berat_lahir",
}


def _child_frame(rows: pd.DataFrame, codes: np.ndarray, reasons: np.ndarray) -> pd.DataFrame:
    """The measured children's rows (``rows``: the run's children, one per finding) with their
    codes and reasons, as columns (the clearing's are `settle`'s)."""
    out = pd.DataFrame(
        {"jenis": np.full(len(rows), "anak_terlewat", dtype=object), "kode_alasan": codes},
        index=pd.RangeIndex(len(rows)),
    )
    out["alasan"] = reasons
    for column, theirs in CHILD_ROW_COLUMNS.items():
        out[column] = rows[theirs].to_numpy()
    return out
