"""What the registry holds, per kecamatan: the demo's summary and a quick check after imports."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, case, distinct, func, select

from sinergi.core.ages import years_before
from sinergi.core.totals import with_total
from sinergi.messages import Lang
from sinergi.registry.water import water_networks
from sinergi.store.frames import read_frame
from sinergi.store.regions import VILLAGE_LEVEL
from sinergi.store.tables import families, measurements, persons, regions
from sinergi.wilayah import get_wilayah


def _kec(col):  # type: ignore[no-untyped-def]
    return func.substr(col, 1, 8)


def kecamatan_summary(
    engine: Engine, regency: str, today: date | None = None, lang: Lang = "id"
) -> pd.DataFrame:
    """Per kecamatan of ``regency``: villages, families, P3KE, people, under-fives at ``today``,
    measurements and water networks; the last row is the total, named in ``lang``."""
    under5 = years_before(today or date.today(), 5)
    prefix = regency + ".%"
    q_fam = (
        select(
            _kec(families.c.kode_desa).label("kec"),
            func.count().label("keluarga"),
            func.sum(case((families.c.desil.is_not(None), 1), else_=0)).label("p3ke"),
            func.sum(case((families.c.desil == 1, 1), else_=0)).label("desil_1"),
        )
        .where(families.c.kode_desa.like(prefix))
        .group_by("kec")
    )
    q_per = (
        select(
            _kec(families.c.kode_desa).label("kec"),
            func.count().label("penduduk"),
            func.sum(case((persons.c.tanggal_lahir > under5, 1), else_=0)).label("balita"),
        )
        .select_from(persons.join(families, persons.c.no_kk == families.c.no_kk))
        .where(families.c.kode_desa.like(prefix))
        .group_by("kec")
    )
    child = func.coalesce(measurements.c.nik_anak, measurements.c.nama_anak)
    q_mea = (
        select(
            _kec(measurements.c.kode_desa).label("kec"),
            func.count().label("pengukuran"),
            func.count(distinct(child)).label("anak_diukur"),
        )
        .where(measurements.c.kode_desa.like(prefix))
        .group_by("kec")
    )
    q_vil = (
        select(regions.c.induk.label("kec"), func.count().label("desa"))
        .where(regions.c.kode.like(prefix), regions.c.tingkat == VILLAGE_LEVEL)
        .group_by(regions.c.induk)
    )
    with engine.connect() as conn:
        frames = [read_frame(conn, q) for q in (q_vil, q_fam, q_per, q_mea)]
        # Operating networks as every page counts them (`sinergi.registry.water`).
        nets = water_networks(conn, regency)
    out = frames[0]
    for f in frames[1:]:
        if not f.empty:
            out = out.merge(f, on="kec", how="left")
    if not nets.empty:  # as before: no column while no village has a known network
        operating = nets["status_jaringan"] == "beroperasi"
        counts = operating.groupby(nets["kode_desa"].str[:8]).sum()
        out["air_beroperasi"] = out["kec"].map(counts).fillna(0)
    w = get_wilayah()
    out.insert(1, "kecamatan", out["kec"].map(w.name))
    out = out.fillna(0)
    for col in out.columns[2:]:
        out[col] = out[col].astype(int)
    out = out.sort_values("kec").reset_index(drop=True)
    out = with_total(out, lang, code_column="kec", name_column="kecamatan", code=regency)
    return out.rename(columns={"kec": "kode"})
