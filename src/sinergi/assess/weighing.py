"""Weight between monthly weighings: the Kemenkes minimum weight gain (KBM) and "2T".

At the posyandu a child is weighed every month. Buku KIA (Kemenkes, 2023 edition, the weight chart's
table "KBM (gr)", the same values as the KMS balita) reads the gain since the previous month: **N**
(naik) when the weight rose by at least the *Kenaikan Berat Badan Minimal* of the child's age,
**T** (tidak naik) when it rose by less, stayed or fell. **2T** is T at two consecutive monthly
weighings: a child to refer.

KBM by the age in completed months at the later weighing (``KBM_G``): 1 month 800 g, 2: 900 g,
3: 800 g, 4: 600 g, 5: 500 g, 6-7: 400 g, 8-10: 300 g, from 11 months 200 g. Buku KIA prints the
table to 24 months; its last value, 200 g, is used up to 59 months, as the KMS balita does. A gain
within the first month of life (age 0 at the later weighing) is not judged.

Here "monthly" means calendar months: of a child's weighings, the last of each month counts, and
2T needs the last three such weighings in three consecutive calendar months, with both gains below
the KBM. A child weighed in January and March has no judged gain between them (not 2T).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sinergi.core.ages import DAYS_PER_MONTH

__all__ = ["KBM_G", "kbm_grams", "two_t"]

# Age in completed months (index) → minimum gain in grams since the previous month; NaN at age 0.
KBM_G: np.ndarray = np.array(
    [np.nan, 800, 900, 800, 600, 500, 400, 400, 300, 300, 300] + [200] * 49, dtype=np.float64
)


def kbm_grams(age_months: np.ndarray) -> np.ndarray:
    """The KBM in grams for ages in completed months (NaN outside 1..59 or unknown)."""
    months = np.asarray(age_months, dtype=np.float64)
    ok = (months >= 0) & (months < len(KBM_G))
    index = np.where(ok, months, 0).astype(np.intp)
    return np.where(ok, KBM_G[index], np.nan)


def two_t(weighings: pd.DataFrame) -> pd.Series:
    """Whether each child is 2T at its latest weighings.

    ``weighings``: one row per weighing with ``person`` (the child), ``tanggal_lahir``,
    ``tanggal_ukur`` and ``berat`` (kg); rows without a weight are ignored. Returns a boolean
    Series indexed by ``person`` (every child with a weight; False when it cannot be judged)."""
    w = weighings.loc[weighings["berat"].notna(), ["person", "tanggal_lahir", "tanggal_ukur"]]
    w = w.assign(berat=weighings.loc[w.index, "berat"].astype(float))
    if w.empty:
        return pd.Series(dtype=bool)
    measured = pd.to_datetime(w["tanggal_ukur"])
    w = w.assign(
        period=measured.dt.year * 12 + measured.dt.month,
        months=np.floor(
            (measured - pd.to_datetime(w["tanggal_lahir"])).dt.days / DAYS_PER_MONTH
        ).to_numpy(),
        _at=measured,
    )
    # The last weighing of each calendar month stands for the month.
    w = w.sort_values(["person", "_at"], kind="stable")
    w = w.drop_duplicates(["person", "period"], keep="last")
    last3 = w.groupby("person", sort=False).tail(3)
    g = last3.groupby("person", sort=False)
    prev_w, prev_p = g["berat"].shift(1), g["period"].shift(1)
    gain_g = np.round((last3["berat"] - prev_w) * 1000.0)
    # T: a monthly gain below the KBM of the age at the later weighing.
    t = (last3["period"] - prev_p == 1) & (gain_g < kbm_grams(last3["months"].to_numpy()))
    last3 = last3.assign(t=t.to_numpy())
    last3["t_before"] = last3.groupby("person", sort=False)["t"].shift(1, fill_value=False)
    latest = last3.groupby("person", sort=False).tail(1)
    result = pd.Series(
        (latest["t"] & latest["t_before"].astype(bool)).to_numpy(), index=latest["person"]
    )
    return result.reindex(pd.unique(w["person"]), fill_value=False)
