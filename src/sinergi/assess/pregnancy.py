"""Pregnant women and engaged couples: the pregnancies current on a date, each with her family,
and what the missed list reports for them.

A pregnancy is current from its dates (table ``pregnancies``, from the ``ibu_hamil`` files), not
from the roster's yes/no ``hamil`` flag, so a flag nobody updated after the birth expires: from
HPHT up to the expected delivery (HPHT + 280 days) plus ``AFTER_DUE_DAYS`` (a pregnancy runs to
42 weeks, and the birth reaches the records late).

Findings (domain.md, "Case finding beyond stunting"):

- ``ibu_hamil_kek``: LiLA < 23.5 cm at the latest check-up of a current pregnancy (Kemenkes:
  chronic energy deficiency, KEK);
- ``ibu_hamil_anemia``: Hb < 11 g/dL (WHO cut-off for pregnant women);
- ``ibu_hamil_tidak_terdaftar``: a current pregnancy whose family is not known;
- ``catin_kek``: an engaged person screened in the last ``CATIN_MONTHS`` months with
  LiLA < 23.5 cm;
- ``catin_anemia``: an engaged woman so screened with Hb < 12 g/dL (WHO cut-off for women who
  are not pregnant).

A finding clears once a programme that serves it (its ``serves`` in the programme catalogue,
`sinergi.targeting.programmes.served_by`) has delivered
(``tersalurkan``) to the woman's NIK or family after the check-up (the day after it or later, as
a child's finding clears in `sinergi.assess.missed`): PMT lokal serves pregnant women with KEK;
Dinkes' PMT and referral serve anaemia (iron tablets). The row then names the programme and the
date in ``ditangani_oleh`` and ``tanggal_ditangani``. An unregistered pregnancy clears when her
family is registered.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, select

from sinergi.assess.clearing import clear_served, still_missed
from sinergi.assess.summary import in_areas
from sinergi.core.ages import months_before
from sinergi.core.display import dec, tgl
from sinergi.link import PREGNANCY
from sinergi.messages import Lang, t
from sinergi.store.dialect import rows_by_keys
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    catin,
    families,
    interventions,
    person_links,
    persons,
    pregnancies,
)
from sinergi.targeting.programmes import served_by
from sinergi.wilayah import get_wilayah

KEK_LILA_CM = 23.5
ANEMIA_HB_PREGNANT = 11.0
ANEMIA_HB_WOMAN = 12.0
AFTER_DUE_DAYS = 14
CATIN_MONTHS = 6
DELIVERED = "tersalurkan"
#: Every code of a pregnancy or catin row of the missed list.
CODES = (
    "ibu_hamil_kek",
    "ibu_hamil_anemia",
    "ibu_hamil_tidak_terdaftar",
    "catin_kek",
    "catin_anemia",
)


@contextmanager
def _connection(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            yield conn
    else:
        with nullcontext(bind) as conn:
            yield conn


def current(
    bind: Engine | Connection, ref: date, prefixes: Sequence[str] | None = None
) -> pd.DataFrame:
    """The pregnancies current at ``ref`` (``hpht <= ref <= taksiran_persalinan + 14 days``), one
    per woman (her latest check-up), in villages starting with one of ``prefixes``.

    ``no_kk`` is her family: the file's No KK when that family is registered, else the roster
    person with her NIK, else the person linkage's family of her NIK; None when none is known
    (not registered). ``kk_dari`` says which: ``berkas``, ``registri``, ``tautan`` or None;
    ``tanggal_lahir`` is the roster's when she is on it."""
    pg = pregnancies.c
    query = select(
        pg.record_key,
        pg.nik,
        pg.nama,
        pg.no_kk.label("no_kk_berkas"),
        pg.kode_desa,
        pg.tanggal_periksa,
        pg.hpht,
        pg.usia_kehamilan,
        pg.taksiran_persalinan,
        pg.lila,
        pg.hb,
    ).where(
        pg.hpht <= ref,
        pg.taksiran_persalinan >= ref - timedelta(days=AFTER_DUE_DAYS),
        in_areas(pg.kode_desa, prefixes),
    )
    with _connection(bind) as conn:
        frame = read_frame(conn, query)
        frame = frame.sort_values(["nik", "tanggal_periksa", "hpht"], ignore_index=True)
        frame = frame.drop_duplicates(subset=["nik"], keep="last", ignore_index=True)
        return _with_family(conn, frame)


def _with_family(conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (columns ``nik`` and, when the source has it, ``no_kk_berkas``) with the
    resolved ``no_kk``, ``kk_dari`` and the roster's ``tanggal_lahir``."""
    niks = frame["nik"].dropna().unique().tolist()
    stated = frame["no_kk_berkas"] if "no_kk_berkas" in frame.columns else None
    known_kk: set[str] = set()
    if stated is not None:
        known_kk = {
            r[0]
            for r in rows_by_keys(
                conn, [families.c.no_kk], families.c.no_kk, stated.dropna().unique().tolist()
            )
        }
    roster = {
        nik: (kk, born)
        for nik, kk, born in rows_by_keys(
            conn, [persons.c.nik, persons.c.no_kk, persons.c.tanggal_lahir], persons.c.nik, niks
        )
    }
    pl = person_links.c
    # The family the person linkage found for the record itself (a mistyped NIK, a KK the roster
    # does not hold), else for a cluster holding her NIK.
    keys = frame["record_key"].dropna().tolist() if "record_key" in frame.columns else []
    by_record = dict(
        rows_by_keys(
            conn,
            [pl.kunci, pl.no_kk],
            pl.kunci,
            keys,
            pl.sumber == PREGNANCY,
            pl.no_kk.is_not(None),
        )
    )
    linked = dict(rows_by_keys(conn, [pl.nik, pl.no_kk], pl.nik, niks, pl.no_kk.is_not(None)))
    no_kk: list[str | None] = []
    source: list[str | None] = []
    for i, nik in enumerate(frame["nik"].tolist()):
        kk = stated.iat[i] if stated is not None else None
        if isinstance(kk, str) and kk in known_kk:
            no_kk.append(kk)
            source.append("berkas")
        elif nik in roster:
            no_kk.append(roster[nik][0])
            source.append("registri")
        elif keys and keys[i] in by_record:
            no_kk.append(by_record[keys[i]])
            source.append("tautan")
        elif nik in linked:
            no_kk.append(linked[nik])
            source.append("tautan")
        else:
            no_kk.append(None)
            source.append(None)
    return frame.assign(
        no_kk=pd.Series(no_kk, index=frame.index, dtype=object),
        kk_dari=pd.Series(source, index=frame.index, dtype=object),
        tanggal_lahir=pd.Series(
            [roster[n][1] if n in roster else None for n in frame["nik"]],
            index=frame.index,
            dtype=object,
        ),
    )


def screenings(
    bind: Engine | Connection, ref: date, prefixes: Sequence[str] | None = None
) -> pd.DataFrame:
    """Engaged persons screened in the ``CATIN_MONTHS`` months up to ``ref``, one per person (the
    latest screening), with the family resolved as for a pregnancy (`current`)."""
    c = catin.c
    query = select(
        c.nik,
        c.nama,
        c.jenis_kelamin,
        c.tanggal_lahir.label("lahir_berkas"),
        c.kode_desa,
        c.tanggal_periksa,
        c.lila,
        c.hb,
    ).where(
        c.tanggal_periksa <= ref,
        c.tanggal_periksa > months_before(ref, CATIN_MONTHS),
        in_areas(c.kode_desa, prefixes),
    )
    with _connection(bind) as conn:
        frame = read_frame(conn, query)
        frame = frame.sort_values(["nik", "tanggal_periksa"], ignore_index=True)
        frame = frame.drop_duplicates(subset=["nik"], keep="last", ignore_index=True)
        frame = _with_family(conn, frame)
    return frame.assign(tanggal_lahir=frame["lahir_berkas"].where(frame["lahir_berkas"].notna()))


def pregnancy_signals(women: pd.DataFrame) -> dict[str, pd.Series]:
    """For ``ibu_hamil_kek`` and ``ibu_hamil_anemia``, which of the current pregnancies
    ``women`` (`current`) show it at the latest check-up; a missing LiLA or Hb shows neither.
    The missed list and a family's ``temuan`` (`sinergi.assess.findings`) both ask here."""
    lila = pd.to_numeric(women["lila"], errors="coerce")
    hb = pd.to_numeric(women["hb"], errors="coerce")
    return {
        "ibu_hamil_kek": lila < KEK_LILA_CM,
        "ibu_hamil_anemia": hb < ANEMIA_HB_PREGNANT,
    }


def findings(
    bind: Engine | Connection,
    ref: date,
    lang: Lang = "id",
    prefixes: Sequence[str] | None = None,
    cleared: bool = False,
) -> pd.DataFrame:
    """The pregnancy and catin rows of the missed list at ``ref``, one row per finding, in its
    columns (``MISSED_COLUMNS``: ``lila`` carries the woman's arm circumference, the
    weight-for-age and birth-weight columns stay empty). A row a programme has served
    (``ditangani_oleh``) is left out unless ``cleared``."""
    with _connection(bind) as conn:
        women = current(conn, ref, prefixes)
        engaged = screenings(conn, ref, prefixes)
        served = _deliveries(
            conn,
            [*women["nik"], *engaged["nik"]],
            [*women["no_kk"].dropna(), *engaged["no_kk"].dropna()],
        )
    rows: list[dict] = []
    fired = pregnancy_signals(women)
    for i, r in enumerate(women.itertuples(index=False)):
        found: list[tuple[str, str]] = []
        if fired["ibu_hamil_kek"].iat[i]:
            found.append(("ibu_hamil_kek", t("ibu_hamil_kek", lang, lila=dec(r.lila, lang, 1))))
        if fired["ibu_hamil_anemia"].iat[i]:
            found.append(("ibu_hamil_anemia", t("ibu_hamil_anemia", lang, hb=dec(r.hb, lang, 1))))
        if r.no_kk is None:
            tp = tgl(r.taksiran_persalinan, lang)
            found.append(("ibu_hamil_tidak_terdaftar", t("ibu_hamil_tidak_terdaftar", lang, tp=tp)))
        for code, reason in found:
            rows.append(_row("ibu_hamil", code, reason, r, "P"))
    for r in engaged.itertuples(index=False):
        found = []
        if pd.notna(r.lila) and r.lila < KEK_LILA_CM:
            found.append(("catin_kek", t("catin_kek", lang, lila=dec(r.lila, lang, 1))))
        if r.jenis_kelamin == "P" and pd.notna(r.hb) and r.hb < ANEMIA_HB_WOMAN:
            found.append(("catin_anemia", t("catin_anemia", lang, hb=dec(r.hb, lang, 1))))
        for code, reason in found:
            rows.append(_row("catin", code, reason, r, r.jenis_kelamin))
    from sinergi.assess.missed import MISSED_COLUMNS  # missed.py appends these rows: no cycle

    out = clear_served(pd.DataFrame(rows, columns=list(MISSED_COLUMNS)), served)
    if not cleared:
        out = still_missed(out)
    return out.reset_index(drop=True)


def with_findings(
    frame: pd.DataFrame,
    bind: Engine | Connection,
    ref: date,
    lang: Lang = "id",
    prefixes: Sequence[str] | None = None,
    cleared: bool = False,
) -> pd.DataFrame:
    """``frame`` (the missed list) with the `findings` rows appended in its columns, sorted as
    the missed list sorts."""
    rows = findings(bind, ref, lang, prefixes, cleared).reindex(columns=frame.columns)
    if rows.empty:
        return frame
    if not frame.empty:
        # The children's columns a pregnancy row leaves empty take the list's types (as pandas
        # has done so far, and says it will stop doing: a warning on the officer's console).
        empty = [c for c in rows.columns if frame[c].dtype.kind in "fmMO" and rows[c].isna().all()]
        rows = rows.astype({c: frame[c].dtype for c in empty})
    out = rows if frame.empty else pd.concat([frame, rows], ignore_index=True)
    return out.sort_values(
        ["jenis", "kode_desa", "no_kk", "nama"], na_position="last", ignore_index=True
    )


def _deliveries(conn: Connection, niks: list[str], kks: list[str]) -> pd.DataFrame:
    """Deliveries of the serving programmes to these people (by NIK) or families (by No KK)."""
    i = interventions.c
    codes = sorted({c for serving in served_by().values() for c in serving})
    cols = [i.kode_program, i.nik, i.no_kk, i.tanggal]
    where = (i.status == DELIVERED, i.kode_program.in_(codes))
    found = rows_by_keys(conn, cols, i.nik, sorted(set(niks)), *where)
    found += rows_by_keys(conn, cols, i.no_kk, sorted(set(kks)), *where)
    return pd.DataFrame(found, columns=["kode_program", "nik", "no_kk", "tanggal"])


def _row(jenis: str, code: str, reason: str, r: object, sex: str) -> dict[str, object]:
    """One finding's row (cleared after, `clear_served`: ``tanggal_ukur_terakhir`` is the
    check-up)."""
    kode_desa = r.kode_desa  # type: ignore[attr-defined]
    return {
        "jenis": jenis,
        "kode_alasan": code,
        "alasan": reason,
        "no_kk": r.no_kk,  # type: ignore[attr-defined]
        "nik": r.nik,  # type: ignore[attr-defined]
        "nama": r.nama,  # type: ignore[attr-defined]
        "jenis_kelamin": sex,
        "tanggal_lahir": r.tanggal_lahir,  # type: ignore[attr-defined]
        "kode_desa": kode_desa,
        "nama_desa": get_wilayah().name(kode_desa, ""),
        "tanggal_ukur_terakhir": r.tanggal_periksa,  # type: ignore[attr-defined]
        "zs_tbu": None,
        "zs_bbtb": None,
        "status_tbu": None,
        "status_bbtb": None,
        "zs_bbu": None,
        "status_bbu": None,
        "lila": r.lila,  # type: ignore[attr-defined]
        "berat_lahir": None,
    }
