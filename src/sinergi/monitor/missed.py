"""Everyone still missed, in one list: the assessment's missed children and unmeasured
under-fives (`sinergi.assess.missed`) plus the KRS families no programme has reached at all
(`sinergi.monitor.coverage.missed_by_programmes`)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from sinergi.assess.missed import missed
from sinergi.messages import Lang, t
from sinergi.monitor.coverage import missed_by_programmes
from sinergi.wilayah import get_wilayah

UNREACHED = "krs_belum_terjangkau"


def everyone_missed(
    engine: Engine,
    run_id: int,
    lang: Lang = "id",
    months: int = 3,
    prefixes: list[str] | None = None,
    include_cleared: bool = False,
) -> pd.DataFrame:
    """The missed list of `sinergi.assess.missed` (its columns; ``include_cleared`` keeps the
    findings a delivered programme cleared, naming it in ``ditangani_oleh``) with one more row
    per KRS family no programme has reached."""
    frame = missed(engine, run_id, lang, months, prefixes, include_cleared)
    unreached = missed_by_programmes(engine, run_id, prefixes)
    if unreached.empty:
        return frame
    w = get_wilayah()
    rows = pd.DataFrame(
        {
            "jenis": UNREACHED,
            "kode_alasan": UNREACHED,
            "alasan": [
                t(
                    UNREACHED,
                    lang,
                    faktor=f.replace(";", ", "),
                    poor=t("dan_miskin_ekstrem", lang) if p else "",
                )
                for f, p in zip(unreached["faktor"], unreached["miskin_ekstrem"], strict=True)
            ],
            "no_kk": unreached["no_kk"],
            "nama": unreached["nama_kepala"],
            "kode_desa": unreached["kode_desa"],
            "nama_desa": [w.name(k, "") for k in unreached["kode_desa"]],
        }
    )
    out = pd.concat([frame, rows.reindex(columns=frame.columns)], ignore_index=True)
    return out.sort_values(
        ["jenis", "kode_desa", "no_kk", "nama"], na_position="last", ignore_index=True
    )
