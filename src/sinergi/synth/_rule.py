"""The reference classification of every true family (the ground truth the rule engine must match).

Definitions, all at ``ref_date``:

- ages are completed years / completed calendar months (``_dates.completed_months``);
- the *PUS wife* is the first member (roster order) who is female, Status Kawin ``kawin``,
  relation ``istri`` or ``kepala_keluarga`` and aged 15-49 years; her *husband* is the head when
  she is ``istri`` and the member with relation ``suami`` when she is the head;
- sasaran: ``pus`` (a PUS wife), ``pus_hamil`` (she is pregnant), ``baduta`` (a member aged 0-23
  months), ``balita`` (a member aged 24-59 months); a target family has any of them;
- factors, for target families only: ``air_minum_tidak_layak`` (water other than kemasan, ledeng,
  sumur_bor, sumur_terlindung), ``jamban_tidak_layak`` (tanpa_septik or tidak_ada); for a family
  with a PUS wife: ``terlalu_muda`` (she is under 20), ``terlalu_tua`` (35-40), ``terlalu_dekat``
  (the two youngest births of members with relation ``anak`` less than 24 completed months apart;
  twins are one birth),
  ``terlalu_banyak`` (4 or more members with relation ``anak``), ``tidak_kb_modern`` (she is not
  pregnant and neither she nor her husband uses mow, mop, iud, implan, suntik, pil or kondom);
  for any target family ``desil_1`` (P3KE decile 1) and the optional regional factor
  ``rumah_tidak_layak`` (Rumah Layak Huni = Tidak);
- ``krs_2021``: any of the first six factors; ``krs_2024``: any of the first eight;
- ``miskin_ekstrem`` (every family): decile 1, or known per-capita spending below the line.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sinergi.ingest.vocab import MODERN_CONTRACEPTION
from sinergi.rules.ruleset import FACTOR_CODES, SASARAN_CODES
from sinergi.synth._dates import completed_months, d64
from sinergi.synth._population import (
    K_KAWIN,
    R_ANAK,
    R_HEAD,
    R_ISTRI,
    R_SUAMI,
    SAFE_WATER,
    UNSAFE_LATRINE,
)

KRS_2021 = FACTOR_CODES[:6]
KRS_2024 = FACTOR_CODES[:8]
#: BPS extreme-poverty line, March 2023 (Rp per person per month).
EXTREME_POVERTY_LINE = 351_957


def classify(
    families: pd.DataFrame, persons: pd.DataFrame, ref: date, line: float = EXTREME_POVERTY_LINE
) -> pd.DataFrame:
    """Per family: sasaran and factor flags (bool columns), joined lists, krs and poverty."""
    n = len(families)
    ref64 = d64(ref)
    p = persons
    fid = p["fid"].to_numpy()
    months = completed_months(p["lahir"].to_numpy(), ref64)
    years = months // 12
    rel = p["rel"].to_numpy()
    female = p["female"].to_numpy()
    out = pd.DataFrame(index=families.index)

    cand = (
        female
        & (p["kawin"].to_numpy() == K_KAWIN)
        & np.isin(rel, [R_ISTRI, R_HEAD])
        & (years >= 15)
        & (years <= 49)
    )
    cand_idx = np.flatnonzero(cand)
    # persons are sorted by (fid, order): the first candidate per family is the PUS wife
    first = pd.Series(cand_idx, index=fid[cand_idx])
    first = first[~first.index.duplicated(keep="first")]
    wife = np.full(n, -1, dtype=np.int64)
    wife[first.index.to_numpy()] = first.to_numpy()
    has_wife = wife >= 0
    w = np.where(has_wife, wife, 0)
    wife_age = np.where(has_wife, years[w], -1)
    hamil = p["hamil"].to_numpy()
    out["pus"] = has_wife
    out["pus_hamil"] = has_wife & hamil[w]
    out["baduta"] = _any(fid, (months >= 0) & (months <= 23), n)
    out["balita"] = _any(fid, (months >= 24) & (months <= 59), n)
    target = out[list(SASARAN_CODES)].any(axis=1).to_numpy()

    # husband: the head for a wife who is istri, the 'suami' member for a wife who heads the KK
    kb = p["kontrasepsi"].to_numpy()
    modern = np.isin(kb, sorted(MODERN_CONTRACEPTION))
    head_modern = _any(fid, (rel == R_HEAD) & ~female & modern, n)
    suami_modern = _any(fid, (rel == R_SUAMI) & modern, n)
    wife_is_head = has_wife & (rel[w] == R_HEAD)
    husband_modern = np.where(wife_is_head, suami_modern, head_modern)

    anak = np.flatnonzero(rel == R_ANAK)
    n_anak = np.bincount(fid[anak], minlength=n)
    kids = pd.DataFrame({"fid": fid[anak], "lahir": p["lahir"].to_numpy()[anak]})
    kids = kids.drop_duplicates().sort_values(
        ["fid", "lahir"], ascending=[True, False], kind="stable"
    )
    rank = kids.groupby("fid", sort=False).cumcount().to_numpy()
    youngest = kids[rank == 0].set_index("fid")["lahir"]
    second = kids[rank == 1].set_index("fid")["lahir"]
    both = second.index.to_numpy()
    close = np.zeros(n, dtype=bool)
    gap = completed_months(second.to_numpy(), youngest.reindex(both).to_numpy())
    close[both] = gap < 24

    fam = families
    flags = {
        "air_minum_tidak_layak": ~fam["sumber_air"].isin(SAFE_WATER).to_numpy(),
        "jamban_tidak_layak": fam["jamban"].isin(UNSAFE_LATRINE).to_numpy(),
        "terlalu_muda": has_wife & (wife_age < 20),
        "terlalu_tua": has_wife & (wife_age >= 35) & (wife_age <= 40),
        "terlalu_dekat": has_wife & close,
        "terlalu_banyak": has_wife & (n_anak >= 4),
        "tidak_kb_modern": has_wife & ~hamil[w] & ~modern[w] & ~husband_modern,
        "desil_1": fam["desil"].to_numpy() == 1,
        "rumah_tidak_layak": ~fam["rumah_layak"].to_numpy().astype(bool),
    }
    for name in FACTOR_CODES:
        out[name] = flags[name] & target
    out["target"] = target
    out["krs_2021"] = out[list(KRS_2021)].any(axis=1)
    out["krs_2024"] = out[list(KRS_2024)].any(axis=1)
    spend = fam["pengeluaran"].to_numpy(dtype=float)
    out["miskin_ekstrem"] = (fam["desil"].to_numpy() == 1) | (~np.isnan(spend) & (spend < line))
    out["sasaran"] = _joined(out, SASARAN_CODES)
    out["faktor"] = _joined(out, FACTOR_CODES)
    out["pus_pid"] = wife
    return out


def _any(fid: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(fid[mask], minlength=n) > 0


def _joined(flags: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    parts = [np.where(flags[name].to_numpy(), name, "") for name in names]
    joined = pd.Series([";".join(x for x in row if x) for row in zip(*parts, strict=True)])
    return joined.to_numpy(dtype=object)
