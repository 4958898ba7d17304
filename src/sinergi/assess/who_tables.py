"""The bundled WHO Child Growth Standards (2006) LMS tables, loaded once as NumPy arrays.

Source: World Health Organization, expanded day-by-day / 0.1 cm tables (see data/who_growth/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from sinergi.settings import package_data

# indicator -> (file, x column)
TABLES: dict[str, tuple[str, str]] = {
    "lhfa": ("lhfa.csv", "age_days"),
    "wfa": ("wfa.csv", "age_days"),
    "bmi": ("bmi.csv", "age_days"),
    "acfa": ("acfa.csv", "age_days"),
    "wfl": ("wfl.csv", "length_cm"),
    "wfh": ("wfh.csv", "height_cm"),
}


@dataclass(frozen=True)
class LmsTable:
    """LMS parameters on a regular grid: row i of sex s is x = x0 + i * step."""

    indicator: str
    x0: float
    step: float
    # arrays of shape (2, n): index 0 = boys (M), 1 = girls (F)
    L: np.ndarray
    M: np.ndarray
    S: np.ndarray

    @property
    def n(self) -> int:
        return int(self.L.shape[1])


@cache
def load_table(indicator: str) -> LmsTable:
    file, xcol = TABLES[indicator]
    df = pd.read_csv(package_data("who_growth", file))
    parts = []
    for sex in ("M", "F"):
        part = df[df["sex"] == sex].sort_values(xcol)
        parts.append(part)
    x = parts[0][xcol].to_numpy(dtype=float)
    step = 1.0 if xcol == "age_days" else 0.1
    if not np.allclose(np.diff(x), step) or not np.allclose(parts[1][xcol].to_numpy(float), x):
        raise ValueError(f"WHO table {file} is not on a regular grid")
    arr = {c: np.vstack([p[c.lower()].to_numpy(float) for p in parts]) for c in ("L", "M", "S")}
    return LmsTable(indicator, float(x[0]), step, arr["L"], arr["M"], arr["S"])


def value_at_z(L: np.ndarray, M: np.ndarray, S: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The measurement whose (unrestricted) LMS z-score is z: M * (1 + L*S*z)^(1/L)."""
    L = np.asarray(L, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(
            np.abs(L) < 1e-12,
            M * np.exp(S * z),
            M * np.power(1.0 + L * S * z, 1.0 / np.where(L == 0, 1.0, L)),
        )
    return out
