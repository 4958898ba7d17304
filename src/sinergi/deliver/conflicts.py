"""Conflicts between agencies' lists, flagged to both agencies.

- ``eksklusif``: a family active (not rejected) in two programmes the catalogue says may not be
  received together (``excludes``);
- ``ganda``: a family on one programme's list more than once — active in two periods, or in
  agency lists (``intervensi`` records) delivered twice for the same period under different
  members' NIKs.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.messages import Lang, t
from sinergi.store.frames import read_frame
from sinergi.store.tables import interventions, proposals
from sinergi.targeting.programmes import exclusion_pairs, load_catalogue

COLUMNS = [
    "jenis",
    "no_kk",
    "kode_desa",
    "program_a",
    "instansi_a",
    "status_a",
    "program_b",
    "instansi_b",
    "status_b",
]


def conflicts(engine: Engine, prefixes: list[str] | None = None, lang: Lang = "id") -> pd.DataFrame:
    catalogue = load_catalogue()
    agency = {c: p.agency for c, p in catalogue.items()}
    with engine.connect() as conn:
        active = read_frame(
            conn,
            select(
                proposals.c.no_kk,
                proposals.c.kode_desa,
                proposals.c.kode_program,
                proposals.c.periode,
                proposals.c.status,
            ).where(proposals.c.status != "ditolak"),
        )
        delivered = read_frame(
            conn,
            select(
                interventions.c.no_kk,
                interventions.c.kode_desa,
                interventions.c.kode_program,
                interventions.c.tanggal,
                interventions.c.nik,
            ).where(interventions.c.status == "tersalurkan", interventions.c.no_kk.is_not(None)),
        )
    if prefixes:
        keep = active["kode_desa"].str.startswith(tuple(prefixes))
        active = active[keep]
    rows: list[dict[str, object]] = []
    pairs = exclusion_pairs(catalogue)
    if pairs and not active.empty:
        joined = active.merge(active, on="no_kk", suffixes=("_a", "_b"))
        wanted = pd.DataFrame(pairs, columns=["kode_program_a", "kode_program_b"])
        hit = joined.merge(wanted, on=["kode_program_a", "kode_program_b"])
        for r in hit.itertuples(index=False):
            rows.append(
                {
                    "jenis": "eksklusif",
                    "no_kk": r.no_kk,
                    "kode_desa": r.kode_desa_a,
                    "program_a": r.kode_program_a,
                    "status_a": r.status_a,
                    "program_b": r.kode_program_b,
                    "status_b": r.status_b,
                }
            )
    twice = active[active.duplicated(["no_kk", "kode_program"], keep=False)]
    for (kk, code), g in twice.groupby(["no_kk", "kode_program"], sort=True):
        g = g.sort_values("periode")
        rows.append(
            {
                "jenis": "ganda",
                "no_kk": kk,
                "kode_desa": g["kode_desa"].iloc[0],
                "program_a": code,
                "status_a": f"{g['periode'].iloc[0]}: {g['status'].iloc[0]}",
                "program_b": code,
                "status_b": f"{g['periode'].iloc[1]}: {g['status'].iloc[1]}",
            }
        )
    if not delivered.empty:
        delivered["tahun"] = pd.to_datetime(delivered["tanggal"]).dt.year.astype(str)
        if prefixes:
            delivered = delivered[delivered["kode_desa"].fillna("").str.startswith(tuple(prefixes))]
        many = delivered.groupby(["no_kk", "kode_program", "tahun"])["nik"].nunique()
        for (kk, code, year), n in many[many > 1].items():
            rows.append(
                {
                    "jenis": "ganda",
                    "no_kk": kk,
                    "kode_desa": None,
                    "program_a": code,
                    "status_a": f"{year}: {t('status_tersalurkan', lang)} ×{n}",
                    "program_b": code,
                    "status_b": t("konflik_nik_berbeda", lang),
                }
            )
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if not c.startswith("instansi")])
    out.insert(4, "instansi_a", out["program_a"].map(agency))
    out.insert(7, "instansi_b", out["program_b"].map(agency))
    return out.sort_values(["jenis", "no_kk", "program_a"], ignore_index=True)[COLUMNS]
