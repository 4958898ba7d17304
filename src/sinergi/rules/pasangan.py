"""The stored form of which PUS couple of a family fired which factor (``pasangan``).

One text per assessed family: per couple the wife's NIK, a colon and the couple factors it fired
(codes joined with ',' in the canonical order, nothing when none fired); couples joined with ';'
in NIK order, e.g. ``6408015507050001:;6408016012080003:terlalu_muda,tidak_kb_modern``. A family
without a couple stores NULL. The database hands each couple over as 'NIK:bits' (bit i = the i-th
of `sinergi.rules.compile.couple_codes`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def pasangan_text(raw: Iterable[object], codes: list[str]) -> np.ndarray:
    """The stored texts of the database's 'NIK:bits;NIK:bits' (any order); None for no couple."""
    names = [
        ",".join(c for i, c in enumerate(codes) if bits >> i & 1) for bits in range(1 << len(codes))
    ]

    def text_of(given: str) -> str:
        if ";" not in given:  # most families with a couple have one
            nik, _, bits = given.partition(":")
            return f"{nik}:{names[int(bits)]}"
        couples = sorted(part.split(":") for part in given.split(";"))
        return ";".join(f"{nik}:{names[int(bits)]}" for nik, bits in couples)

    texts = np.asarray(raw if isinstance(raw, np.ndarray | pd.Series) else list(raw), dtype=object)
    out = np.full(len(texts), None, dtype=object)
    at = np.flatnonzero(pd.notna(texts) & (texts != ""))
    out[at] = [text_of(t) for t in texts[at]]
    return out


def parse_pasangan(text: str | None) -> list[tuple[str, list[str]]]:
    """The couples of a stored text: (wife's NIK, fired couple factor codes) each."""
    if not text:
        return []
    return [
        (nik, [c for c in codes.split(",") if c])
        for nik, codes in (part.split(":", 1) for part in text.split(";"))
    ]
