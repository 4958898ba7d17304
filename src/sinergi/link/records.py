"""The records the linkage compares, read from the store: roster persons, e-PPGBM children,
pregnant women of the ANC registers, persons named on agency lists and the heads of P3KE
families the roster does not hold.

A roster record is one person (key: the NIK); its mother is the KK's wife (``istri``, else a
female head), its village the family's. An e-PPGBM record is one child as the posyandu wrote it
(key: the child identity of the measurements' ``record_key``, so every measurement of that child
follows it); its mother is the parent the posyandu wrote. An agency record is one row of an
imported agency list that names a person (key: the row's ``record_key``): NIK, name, village and
No KK as the agency wrote them — no birth date, sex or mother, which the model then neither
counts for nor against; a pregnancy record likewise, one per pregnancy (a woman). A P3KE record is the head of a family whose No KK holds no roster member
(key: that No KK): a family the P3KE list wrote under another KK.

Roster persons are read only where they could be one of the other records: those born since a
year before the oldest measured child (older people cannot be a measured child, and a day/month
swap or a typo keeps the year), and the adults of the families and villages the agency and P3KE
records name. Every record carries its data date (``tanggal_data``), which the golden record's
survivorship reads.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine, and_, exists, func, or_, select, true

from sinergi.link import AGENCY, EPPGBM, P3KE, PREGNANCY, ROSTER
from sinergi.link.names import normalise
from sinergi.store.bulk import CHUNK
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    families,
    interventions,
    link_pairs,
    measurements,
    persons,
    pregnancies,
)

#: Every record's columns: the model's (`sinergi.link.model.COLUMNS`) and what an officer reads.
COLUMNS = (
    "unique_id",
    "sumber",
    "kunci",
    "nik",
    "nama",
    "rapat",
    "depan",
    "tanggal_lahir",
    "jenis_kelamin",
    "kode_desa",
    "no_kk",
    "nama_ibu",
    "ibu_rapat",
    "nik_ibu",
    "tanggal_data",
)


def record_id(sumber: str, kunci: str) -> str:
    return f"{sumber}:{kunci}"


def child_key(record_key: pd.Series) -> pd.Series:
    """The child identity of a measurement's ``record_key`` (``identity@date``)."""
    # Arrow's string kernels: a regency's measurements in milliseconds rather than a second.
    parts = pc.split_pattern(
        pa.array(record_key, type=pa.string()), "@", max_splits=1, reverse=True
    )
    return pd.Series(
        pc.list_element(parts, 0).to_numpy(zero_copy_only=False),
        index=record_key.index,
        name=record_key.name,
        dtype=object,
    )


def eppgbm_records(engine: Engine, names: bool = True, where: Any = None) -> pd.DataFrame:
    """One record per child of the measurements, as its latest measurement writes it (of the
    measurements matching ``where``, when given)."""
    m = measurements.c
    with engine.connect() as conn:
        rows = read_frame(
            conn,
            _where(
                select(
                    m.record_key,
                    m.nik_anak,
                    m.nama_anak,
                    m.jenis_kelamin,
                    m.tanggal_lahir,
                    m.nama_ortu,
                    m.nik_ortu,
                    m.no_kk,
                    m.kode_desa,
                    m.tanggal_ukur,
                    m.tanggal_data,
                    m.id,
                ),
                where,
            ),
        )
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    rows["kunci"] = child_key(rows["record_key"])
    rows = rows.sort_values(["kunci", "tanggal_ukur", "id"]).drop_duplicates("kunci", keep="last")
    out = pd.DataFrame(
        {
            "sumber": EPPGBM,
            "kunci": rows["kunci"].to_numpy(),
            "nik": rows["nik_anak"].to_numpy(),
            "nama": rows["nama_anak"].to_numpy(),
            "tanggal_lahir": rows["tanggal_lahir"].to_numpy(),
            "jenis_kelamin": rows["jenis_kelamin"].to_numpy(),
            "kode_desa": rows["kode_desa"].to_numpy(),
            "no_kk": rows["no_kk"].to_numpy(),
            "nama_ibu": rows["nama_ortu"].to_numpy(),
            "nik_ibu": rows["nik_ortu"].to_numpy(),
            # The measurement's own date is what the record describes, whatever the file's date.
            "tanggal_data": rows["tanggal_ukur"].to_numpy(),
        }
    )
    return _finish(out, names)


def roster_records(
    engine: Engine,
    born_since: object | None = None,
    names: bool = True,
    where: object | None = None,
    mothers: bool = True,
) -> pd.DataFrame:
    """One record per roster person (born on or after ``born_since`` when given; matching the
    SQL condition ``where`` on ``persons``/``families`` when given; without the mother unless
    ``mothers``)."""
    p, f = persons.c, families.c
    if not mothers:
        plain = select(
            p.nik, p.nama, p.tanggal_lahir, p.jenis_kelamin, p.no_kk, f.kode_desa, p.tanggal_data
        ).join(families, f.no_kk == p.no_kk)
        with engine.connect() as conn:
            rows = read_frame(conn, plain if where is None else plain.where(where))  # type: ignore[arg-type]
        if rows.empty:
            return pd.DataFrame(columns=list(COLUMNS))
        rows["nik_ibu"] = rows["nama_ibu"] = None
        rows["sumber"] = ROSTER
        rows["kunci"] = rows["nik"]
        return _finish(rows, names)
    mother = persons.alias("ibu")
    # The KK's wife: 'istri' first, else a female head (one per KK: the lowest NIK).
    wives = (
        select(mother.c.no_kk, func.min(mother.c.nik).label("nik_ibu"))
        .where(
            mother.c.jenis_kelamin == "P",
            mother.c.hubungan.in_(("istri", "kepala_keluarga")),
        )
        .group_by(mother.c.no_kk)
        .subquery()
    )
    mother_row = persons.alias("ibu_row")
    query = (
        select(
            p.nik,
            p.nama,
            p.tanggal_lahir,
            p.jenis_kelamin,
            p.no_kk,
            f.kode_desa,
            p.tanggal_data,
            wives.c.nik_ibu,
            mother_row.c.nama.label("nama_ibu"),
        )
        .join(families, f.no_kk == p.no_kk)
        .outerjoin(wives, wives.c.no_kk == p.no_kk)
        .outerjoin(mother_row, and_(mother_row.c.nik == wives.c.nik_ibu))
    )
    if born_since is not None:
        query = query.where(p.tanggal_lahir >= born_since)
    if where is not None:
        query = query.where(where)  # type: ignore[arg-type]
    with engine.connect() as conn:
        rows = read_frame(conn, query)
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    own = rows["nik_ibu"] == rows["nik"]  # the wife herself has no mother in her own KK
    rows.loc[own, ["nik_ibu", "nama_ibu"]] = None
    rows["sumber"] = ROSTER
    rows["kunci"] = rows["nik"]
    return _finish(rows, names)


def agency_records(engine: Engine, names: bool = True, where: Any = None) -> pd.DataFrame:
    """One record per agency-list row that names a person (a NIK or a name)."""
    i = interventions.c
    with engine.connect() as conn:
        rows = read_frame(
            conn,
            _where(
                select(i.record_key, i.nik, i.nama, i.no_kk, i.kode_desa, i.tanggal_data, i.tanggal)
                .where(or_(i.nik.is_not(None), i.nama.is_not(None)))
                .order_by(i.record_key),
                where,
            ),
        )
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    rows["sumber"] = AGENCY
    rows["kunci"] = rows["record_key"]
    rows["tanggal_data"] = rows["tanggal_data"].fillna(rows["tanggal"])
    return _finish(_without_birth(rows), names)


def pregnancy_records(engine: Engine, names: bool = True, where: Any = None) -> pd.DataFrame:
    """One record per pregnancy of the ANC registers (``ibu_hamil``): the woman as the register
    writes her (a woman: sex P; no birth date or mother)."""
    pg = pregnancies.c
    with engine.connect() as conn:
        rows = read_frame(
            conn,
            _where(
                select(
                    pg.record_key, pg.nik, pg.nama, pg.no_kk, pg.kode_desa, pg.tanggal_periksa
                ).order_by(pg.record_key),
                where,
            ),
        )
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    rows["sumber"] = PREGNANCY
    rows["kunci"] = rows["record_key"]
    rows["tanggal_data"] = rows["tanggal_periksa"]  # the check-up is what the row describes
    rows = _without_birth(rows)
    rows["jenis_kelamin"] = "P"
    return _finish(rows, names)


def p3ke_records(engine: Engine, names: bool = True, where: Any = None) -> pd.DataFrame:
    """One record per P3KE family whose No KK holds no roster member: its head as P3KE wrote
    them (the roster may hold the same family under another KK)."""
    f, p = families.c, persons.c
    with engine.connect() as conn:
        rows = read_frame(
            conn,
            select(
                f.no_kk,
                f.nik_kepala.label("nik"),
                f.nama_kepala.label("nama"),
                f.kode_desa,
                f.desil_tanggal_data.label("tanggal_data"),
            )
            .where(
                f.desil_batch_id.is_not(None),
                f.nama_kepala.is_not(None),
                ~exists().where(p.no_kk == f.no_kk),
            )
            .where(true() if where is None else where)
            .order_by(f.no_kk),
        )
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    rows["sumber"] = P3KE
    rows["kunci"] = rows["no_kk"]
    return _finish(_without_birth(rows), names)


def _where(query: Any, where: Any) -> Any:
    return query if where is None else query.where(where)


def records_of(engine: Engine, ids: list[str]) -> pd.DataFrame:
    """The records with these ids (``sumber:kunci``), without the names' normal forms and the
    mothers: what a golden record reads."""
    keys: dict[str, list[str]] = {}
    for record in ids:
        source, key = record.split(":", 1)
        keys.setdefault(source, []).append(key)
    m, i, pg, f = measurements.c, interventions.c, pregnancies.c, families.c
    parts = []
    if ROSTER in keys:
        where = persons.c.nik.in_(keys[ROSTER])
        parts.append(roster_records(engine, None, False, where, mothers=False))
    if EPPGBM in keys:
        # A child's measurements share its identity before the '@' of their record key.
        kids = or_(*(m.record_key.like(key + "@%") for key in keys[EPPGBM]))
        parts.append(eppgbm_records(engine, False, kids))
    if AGENCY in keys:
        parts.append(agency_records(engine, False, i.record_key.in_(keys[AGENCY])))
    if PREGNANCY in keys:
        parts.append(pregnancy_records(engine, False, pg.record_key.in_(keys[PREGNANCY])))
    if P3KE in keys:
        parts.append(p3ke_records(engine, False, f.no_kk.in_(keys[P3KE])))
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(parts, ignore_index=True)


def _without_birth(rows: pd.DataFrame) -> pd.DataFrame:
    """A record of a source that writes no birth date, sex or mother."""
    for col in ("tanggal_lahir", "jenis_kelamin", "nama_ibu", "nik_ibu"):
        rows[col] = None
    return rows


def _named_adults(engine: Engine, named: pd.DataFrame, names: bool) -> pd.DataFrame:
    """The roster persons aged ten or more whom agency or P3KE records may name: members of the
    families they write, holders of the NIKs they write, and (for a record whose No KK is no
    roster family) the adults of its village with the same name (its normal form, as the
    model's blocking compares it)."""
    if named.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    p, f = persons.c, families.c
    with engine.connect() as conn:
        held = set(read_frame(conn, select(p.no_kk).distinct())["no_kk"])
    # Aged ten or more at the newest date the records describe (the same inputs, the same set).
    newest = pd.to_datetime(named["tanggal_data"]).max()
    when = newest if pd.notna(newest) else pd.Timestamp.today().normalize()
    adult = p.tanggal_lahir <= (when - pd.DateOffset(years=10)).date()
    homeless = named[~named["no_kk"].isin(held) & named["kode_desa"].notna()]
    niks = set(named["nik"].dropna())
    if not homeless.empty:
        wanted = set(zip(normalise(homeless["nama"])["rapat"], homeless["kode_desa"], strict=True))
        villages = sorted(homeless["kode_desa"].unique())
        with engine.connect() as conn:
            people = pd.concat(
                [
                    read_frame(
                        conn,
                        select(p.nik, p.nama, f.kode_desa)
                        .join(families, f.no_kk == p.no_kk)
                        .where(adult, f.kode_desa.in_(villages[i : i + CHUNK])),
                    )
                    for i in range(0, len(villages), CHUNK)
                ]
            )
        rapat = normalise(people["nama"])["rapat"]
        same = [key in wanted for key in zip(rapat, people["kode_desa"], strict=True)]
        niks |= set(people.loc[same, "nik"])
    kks = sorted(set(named["no_kk"].dropna()) & held)
    parts = []
    for column, values in ((p.no_kk, kks), (p.nik, sorted(niks))):
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            # No mother: the records they may be write none.
            where = and_(adult, column.in_(chunk))
            parts.append(roster_records(engine, None, names, where, mothers=False))
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(parts, ignore_index=True).drop_duplicates("unique_id")


def _finish(out: pd.DataFrame, names: bool) -> pd.DataFrame:
    """The records' columns; the normal forms of the names only when ``names`` (the model
    compares them; clustering does not)."""
    out["unique_id"] = out["sumber"] + ":" + out["kunci"].astype(str)
    if names:
        normal = normalise(out["nama"])
        out["rapat"] = normal["rapat"].to_numpy()
        out["depan"] = normal["depan"].to_numpy()
        out["ibu_rapat"] = normalise(out["nama_ibu"])["rapat"].to_numpy()
    else:
        out["rapat"] = out["depan"] = out["ibu_rapat"] = None
    for col in ("nik", "nik_ibu", "no_kk"):
        out[col] = out[col].astype(object).where(out[col].notna() & (out[col] != ""), None)
    out["tanggal_lahir"] = pd.to_datetime(out["tanggal_lahir"], errors="coerce").dt.date
    out["tanggal_data"] = pd.to_datetime(out["tanggal_data"], errors="coerce").dt.date
    return out[list(COLUMNS)].reset_index(drop=True)


def all_records(engine: Engine, names: bool = True) -> pd.DataFrame:
    """The e-PPGBM children, agency and P3KE records, and the roster persons who could be one
    of them (``names``: with the names' normal forms)."""
    kids = eppgbm_records(engine, names)
    named = pd.concat(
        [
            agency_records(engine, names),
            pregnancy_records(engine, names),
            p3ke_records(engine, names),
        ]
    )
    parts = [named] if not named.empty else []
    if not kids.empty:
        oldest = pd.to_datetime(kids["tanggal_lahir"]).min()
        since = (oldest - pd.Timedelta(days=366)).date() if pd.notna(oldest) else None
        parts = [roster_records(engine, since, names), kids, *parts]
    if not parts:
        return kids
    out = pd.concat([*parts, _named_adults(engine, named, names)], ignore_index=True)
    return out.drop_duplicates("unique_id").reset_index(drop=True)


def waiting_children(conn: Connection) -> set[str]:
    """The child keys of the e-PPGBM records in a pair that waits for an officer: their family
    may yet be found, so the missed list says so (``anak_perlu_tinjauan``)."""
    lp = link_pairs.c
    rows = conn.execute(select(lp.record_l, lp.record_r).where(lp.status == "menunggu")).all()
    prefix = EPPGBM + ":"
    return {record[len(prefix) :] for pair in rows for record in pair if record.startswith(prefix)}
