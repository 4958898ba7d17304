"""The records the linkage compares, read from the store: roster persons and e-PPGBM children.

A roster record is one person (key: the NIK); its mother is the KK's wife (``istri``, else a
female head), its village the family's. An e-PPGBM record is one child as the posyandu wrote it
(key: the child identity of the measurements' ``record_key``, so every measurement of that child
follows it); its mother is the parent the posyandu wrote. Only roster persons born since a year
before the oldest measured child are read: older people cannot be a measured child, and
a day/month swap or a typo keeps the year.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, select

from sinergi.link import EPPGBM, ROSTER
from sinergi.link.names import normalise
from sinergi.store.frames import read_frame
from sinergi.store.tables import families, link_pairs, measurements, persons

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
)


def record_id(sumber: str, kunci: str) -> str:
    return f"{sumber}:{kunci}"


def child_key(record_key: pd.Series) -> pd.Series:
    """The child identity of a measurement's ``record_key`` (``identity@date``)."""
    return record_key.str.rsplit("@", n=1).str[0]


def eppgbm_records(engine: Engine, names: bool = True) -> pd.DataFrame:
    """One record per child of the measurements, as its latest measurement writes it."""
    m = measurements.c
    with engine.connect() as conn:
        rows = read_frame(
            conn,
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
                m.id,
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
        }
    )
    return _finish(out, names)


def roster_records(
    engine: Engine, born_since: object | None = None, names: bool = True
) -> pd.DataFrame:
    """One record per roster person (born on or after ``born_since`` when given)."""
    p, f = persons.c, families.c
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
            wives.c.nik_ibu,
            mother_row.c.nama.label("nama_ibu"),
        )
        .join(families, f.no_kk == p.no_kk)
        .outerjoin(wives, wives.c.no_kk == p.no_kk)
        .outerjoin(mother_row, and_(mother_row.c.nik == wives.c.nik_ibu))
    )
    if born_since is not None:
        query = query.where(p.tanggal_lahir >= born_since)
    with engine.connect() as conn:
        rows = read_frame(conn, query)
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    own = rows["nik_ibu"] == rows["nik"]  # the wife herself has no mother in her own KK
    rows.loc[own, ["nik_ibu", "nama_ibu"]] = None
    rows["sumber"] = ROSTER
    rows["kunci"] = rows["nik"]
    return _finish(rows, names)


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
    return out[list(COLUMNS)].reset_index(drop=True)


def all_records(engine: Engine, names: bool = True) -> pd.DataFrame:
    """The e-PPGBM children and the roster persons who could be one of them (``names``: with
    the names' normal forms)."""
    kids = eppgbm_records(engine, names)
    if kids.empty:
        return kids
    oldest = pd.to_datetime(kids["tanggal_lahir"]).min()
    since = (oldest - pd.Timedelta(days=366)).date() if pd.notna(oldest) else None
    return pd.concat([roster_records(engine, since, names), kids], ignore_index=True)


def waiting_children(conn: Connection) -> set[str]:
    """The child keys of the e-PPGBM records in a pair that waits for an officer: their family
    may yet be found, so the missed list says so (``anak_perlu_tinjauan``)."""
    lp = link_pairs.c
    rows = conn.execute(select(lp.record_l, lp.record_r).where(lp.status == "menunggu")).all()
    prefix = EPPGBM + ":"
    return {record[len(prefix) :] for pair in rows for record in pair if record.startswith(prefix)}
