"""The reference classification of every true family (the ground truth the rule engine must match).

Definitions (the ``krs-2024`` rule set's defaults), all at ``ref_date``:

- ages are completed years / completed calendar months (``_dates.completed_months``);
- every woman with Status Kawin ``kawin`` aged 10-49 is the wife of a *PUS couple*; an ``istri``
  or a female head forms the head's couple (husband: a married man who is the head or ``suami``;
  children: the members with relation ``anak``); a ``menantu`` or a married ``anak`` forms the
  child's couple (husband: a married man who is ``anak`` or ``menantu``; children: the ``cucu``);
  any other married woman has no husband and no children here;
- sasaran: ``pus`` (a PUS couple), ``pus_hamil`` (a PUS wife is pregnant), ``baduta`` (a member
  aged 0-23 months), ``balita`` (a member aged 24-59 months); a target family has any of them;
- factors, for target families only: ``air_minum_tidak_layak`` (water other than kemasan, ledeng,
  sumur_bor, sumur_terlindung), ``jamban_tidak_layak`` (tanpa_septik or tidak_ada); per couple,
  fired for the family when any couple fires it: ``terlalu_muda`` (the wife is under 20),
  ``terlalu_tua`` (35-40), ``terlalu_dekat`` (the couple's youngest child is under 24 months and
  the two youngest births are less than 24 completed months apart; twins are one birth),
  ``terlalu_banyak`` (4 or more children), ``tidak_kb_modern`` (she is not pregnant, neither she
  nor her husband uses mow, mop, iud, implan, suntik, pil, kondom or MAL, and she wants no child
  within two years: ``ingin_anak`` ya_nanti, tidak or unknown); for any target family ``desil_1``
  (P3KE decile 1) and the optional regional factor ``rumah_tidak_layak`` (Rumah Layak Huni =
  Tidak);
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
    R_CUCU,
    R_HEAD,
    R_ISTRI,
    R_MENANTU,
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

    married = p["kawin"].to_numpy() == K_KAWIN
    cand = female & married & (years >= 10) & (years <= 49)
    cand_idx = np.flatnonzero(cand)
    # persons are sorted by (fid, order): the truth names the head's wife (istri or a female
    # head) when there is one, else the first wife in roster order
    by_head = cand_idx[np.argsort(~np.isin(rel[cand_idx], [R_ISTRI, R_HEAD]), kind="stable")]
    first = pd.Series(by_head, index=fid[by_head])
    first = first[~first.index.duplicated(keep="first")]
    wife = np.full(n, -1, dtype=np.int64)
    wife[first.index.to_numpy()] = first.to_numpy()
    hamil = p["hamil"].to_numpy().astype(bool)
    out["pus"] = _any(fid, cand, n)
    out["pus_hamil"] = _any(fid, cand & hamil, n)
    out["baduta"] = _any(fid, (months >= 0) & (months <= 23), n)
    out["balita"] = _any(fid, (months >= 24) & (months <= 59), n)
    target = out[list(SASARAN_CODES)].any(axis=1).to_numpy()

    kb = p["kontrasepsi"].to_numpy()
    modern = np.isin(kb, [*sorted(MODERN_CONTRACEPTION), "mal"])
    wish = p["ingin_anak"].to_numpy() if "ingin_anak" in p else np.full(len(p), "", dtype=object)
    lahir = p["lahir"].to_numpy()
    # per couple kind: 0 the head's couple, 1 the child's couple
    kinds = ((R_ISTRI, R_HEAD), (R_MENANTU, R_ANAK))
    kind = np.select([np.isin(rel, k) for k in kinds], [0, 1], -1)
    husbands = ((R_HEAD, R_SUAMI), (R_ANAK, R_MENANTU))
    children = (R_ANAK, R_CUCU)
    h_modern = np.zeros((2, n), dtype=bool)
    n_kids = np.zeros((2, n), dtype=np.int64)
    close = np.zeros((2, n), dtype=bool)
    for g in (0, 1):
        h_modern[g] = _any(fid, ~female & married & np.isin(rel, husbands[g]) & modern, n)
        own = np.flatnonzero(rel == children[g])
        n_kids[g] = np.bincount(fid[own], minlength=n)
        close[g] = _close_births(fid[own], lahir[own], months[own], n)

    w = cand_idx
    wf, wk = fid[w], kind[w]
    has_kind = wk >= 0
    k0 = np.maximum(wk, 0)
    w_h_modern = has_kind & h_modern[k0, wf]
    w_kids = np.where(has_kind, n_kids[k0, wf], 0)
    w_close = has_kind & close[k0, wf]
    wants_none_soon = np.isin(wish[w], ["ya_nanti", "tidak", ""])
    per_wife = {
        "terlalu_muda": years[w] < 20,
        "terlalu_tua": (years[w] >= 35) & (years[w] <= 40),
        "terlalu_dekat": w_close,
        "terlalu_banyak": w_kids >= 4,
        "tidak_kb_modern": ~hamil[w] & ~modern[w] & ~w_h_modern & wants_none_soon,
    }

    fam = families
    flags = {
        "air_minum_tidak_layak": ~fam["sumber_air"].isin(SAFE_WATER).to_numpy(),
        "jamban_tidak_layak": fam["jamban"].isin(UNSAFE_LATRINE).to_numpy(),
        **{code: _any(wf, fired, n) for code, fired in per_wife.items()},
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


def _close_births(fid: np.ndarray, lahir: np.ndarray, months: np.ndarray, n: int) -> np.ndarray:
    """Per family: the youngest of these children is under 24 months and the two youngest
    births (twins are one) are less than 24 completed months apart."""
    kids = pd.DataFrame({"fid": fid, "lahir": lahir, "months": months})
    kids = kids.drop_duplicates(["fid", "lahir"]).sort_values(
        ["fid", "lahir"], ascending=[True, False], kind="stable"
    )
    rank = kids.groupby("fid", sort=False).cumcount().to_numpy()
    youngest = kids[rank == 0].set_index("fid")
    second = kids[rank == 1].set_index("fid")["lahir"]
    both = second.index.to_numpy()
    gap = completed_months(second.to_numpy(), youngest["lahir"].reindex(both).to_numpy())
    out = np.zeros(n, dtype=bool)
    out[both] = (gap < 24) & (youngest["months"].reindex(both).to_numpy() < 24)
    return out


def _joined(flags: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    parts = [np.where(flags[name].to_numpy(), name, "") for name in names]
    joined = pd.Series([";".join(x for x in row if x) for row in zip(*parts, strict=True)])
    return joined.to_numpy(dtype=object)
