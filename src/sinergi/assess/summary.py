"""Read a stored assessment run back: per-kecamatan figures, the per-family export, and what the
run was (rule set, date) for the 'about' sheet of every export."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from sinergi.core.ages import months_before
from sinergi.core.growth import STUNTED
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_children, assessment_families, assessment_runs
from sinergi.wilayah import get_wilayah

# Published figures for Kabupaten Kutai Timur (domain.md), shown beside ours.
PUBLISHED_KUTIM = {
    "krs": "11.973 (akhir 2024); 15.576 (pertengahan 2024)",
    "stunting_persen": "20,6 % (2024); 24,7 % (2022)",
}


def run_about(engine: Engine, run_id: int) -> dict[str, object]:
    with engine.connect() as conn:
        r = conn.execute(select(assessment_runs).where(assessment_runs.c.id == run_id)).one()
    return {
        "Penilaian": f"#{r.id}",
        "Aturan (rule set)": f"{r.ruleset_id} versi {r.ruleset_version}",
        "Sidik aturan (sha256)": r.ruleset_digest,
        "Tanggal acuan": r.reference_date.isoformat(),
        "Dibuat": r.created_at.isoformat(timespec="seconds") if r.created_at else "",
        "Mesin": r.engine,
        "Keluarga": r.families,
        "Keluarga sasaran": r.target,
        "KRS": r.krs,
        "Miskin ekstrem": r.miskin_ekstrem,
        "Arti kolom": "sasaran: pus, pus_hamil, baduta, balita; faktor: kode faktor risiko yang "
        "terpenuhi; krs/miskin_ekstrem: 1 = ya",
    }


def assessment_table(engine: Engine, run_id: int) -> pd.DataFrame:
    f = assessment_families.c
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            (
                select(
                    f.no_kk,
                    f.kode_desa,
                    f.sasaran,
                    f.krs,
                    f.faktor,
                    f.miskin_ekstrem,
                    f.jumlah_balita_stunting,
                )
                .where(f.run_id == run_id)
                .order_by(f.no_kk)
            ),
        )
    for col in ("krs", "miskin_ekstrem"):
        frame[col] = frame[col].astype(bool).astype(int)
    return frame


def kecamatan_assessment(engine: Engine, run_id: int) -> pd.DataFrame:
    """Per kecamatan: target families, KRS, extreme poor, measured children and stunting %."""
    f, c = assessment_families.c, assessment_children.c
    kec_f = func.substr(f.kode_desa, 1, 8)
    kec_c = func.substr(c.kode_desa, 1, 8)
    with engine.connect() as conn:
        fam = read_frame(
            conn,
            (
                select(kec_f.label("kode"), f.sasaran, f.krs, f.miskin_ekstrem).where(
                    f.run_id == run_id
                )
            ),
        )
        kids = read_frame(
            conn,
            (
                select(
                    kec_c.label("kode"),
                    c.status_tbu,
                    c.flags,
                    c.tanggal_lahir,
                    assessment_runs.c.reference_date,
                )
                .join(assessment_runs, assessment_runs.c.id == c.run_id)
                .where(c.run_id == run_id)
            ),
        )
    out = (
        fam.assign(sasaran=fam["sasaran"] != "")
        .groupby("kode")
        .agg(
            keluarga=("krs", "size"),
            sasaran=("sasaran", "sum"),
            krs=("krs", "sum"),
            miskin_ekstrem=("miskin_ekstrem", "sum"),
        )
    )
    if not kids.empty:
        ref = pd.Timestamp(kids["reference_date"].iloc[0])
        born = pd.to_datetime(kids["tanggal_lahir"])
        kids = kids[born > pd.Timestamp(months_before(ref.date(), 60))]
        plausible = ~kids["flags"].fillna("").str.contains("tbu")
        kids = kids.assign(
            scored=kids["status_tbu"].notna() & plausible,
            stunted=kids["status_tbu"].isin(STUNTED) & plausible,
        )
        k = kids.groupby("kode").agg(anak_diukur=("scored", "sum"), stunting=("stunted", "sum"))
        out = out.join(k, how="outer")
    out = out.fillna(0).astype(int).reset_index()
    w = get_wilayah()
    out.insert(1, "kecamatan", out["kode"].map(lambda x: w.get(x).nama if w.get(x) else x))
    total = out.drop(columns=["kode", "kecamatan"]).sum()
    out = pd.concat(
        [out, pd.DataFrame([{"kode": "", "kecamatan": "Jumlah", **total}])], ignore_index=True
    )
    if "anak_diukur" in out:
        measured = out["anak_diukur"].where(out["anak_diukur"] > 0)
        out["stunting_persen"] = (100 * out["stunting"] / measured).round(1).fillna(0.0)
    return out
