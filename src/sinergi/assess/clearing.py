"""Clearing a case-finding row: the one home of "a programme that serves this finding reached
the person or the family after the finding" (`sinergi.targeting.programmes.served_by`), for the
children of the missed list (`sinergi.assess.missed`) and the pregnant women and engaged couples
(`sinergi.assess.pregnancy`) alike, as whole-table merges (no loop over rows)."""

from __future__ import annotations

import pandas as pd

from sinergi.targeting.programmes import served_by

# The columns a clearing fills: the programme that cleared a row, and the day it was delivered.
CLEARED_BY, CLEARED_ON = CLEARING_COLUMNS = ("ditangani_oleh", "tanggal_ditangani")


def clear_served(out: pd.DataFrame, delivered: pd.DataFrame) -> pd.DataFrame:
    """``out`` (missed-list rows: ``kode_alasan``, ``no_kk``, ``nik``,
    ``tanggal_ukur_terakhir``) with ``ditangani_oleh`` / ``tanggal_ditangani`` naming the first
    delivery (``delivered``: ``kode_program``, ``no_kk``, ``nik``, ``tanggal``), after the
    finding's measurement or check-up, of a programme that serves the finding, to the family (by
    No KK) or the person (by NIK); ties by date go to the programme code first in order."""
    out = out.assign(**dict.fromkeys(CLEARING_COLUMNS))
    if out.empty or delivered.empty:
        return out
    serves = pd.DataFrame(
        [(code, programme) for code, codes in served_by().items() for programme in codes],
        columns=["kode_alasan", "kode_program"],
    )
    findings = (
        out[["kode_alasan", "no_kk", "nik", "tanggal_ukur_terakhir"]]
        .reset_index(names="row")
        .merge(serves, on="kode_alasan")
    )
    matches = [
        findings.dropna(subset=[key]).merge(
            delivered.dropna(subset=[key])[["kode_program", key, "tanggal"]],
            on=["kode_program", key],
        )
        for key in ("no_kk", "nik")
    ]
    found = pd.concat(matches, ignore_index=True)
    after = pd.to_datetime(found["tanggal"]) > pd.to_datetime(found["tanggal_ukur_terakhir"])
    found = found[after]
    if found.empty:
        return out
    first = found.sort_values(["row", "tanggal", "kode_program"]).drop_duplicates("row")
    out.loc[first["row"].to_numpy(), CLEARED_BY] = first["kode_program"].to_numpy()
    out.loc[first["row"].to_numpy(), CLEARED_ON] = first["tanggal"].to_numpy()
    return out


def still_missed(out: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``out`` (cleared by `clear_served`) that no delivery has cleared."""
    return out[out[CLEARED_BY].isna()]
