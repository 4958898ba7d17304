"""Reporting periods: a semester (``2026-S1``), a quarter (``2026-T3``, also ``2026-Q3``) or a year
(``2026``), and which assessment stands for a period — the latest run whose reference date falls
in it. The TPPS report is semestral (Perpres 72/2021 art. 25), the village scorecard quarterly,
the Rembuk Stunting annual."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from sinergi.messages import Lang, t
from sinergi.store.tables import assessment_runs

_CODE = re.compile(r"^\s*(\d{4})(?:\s*-\s*([SsTtQq])([1-4]))?\s*$")
_MONTHS_PER = {"S": 6, "T": 3, "Y": 12}


class PeriodeError(ValueError):
    """A period code that is not a year, semester or quarter."""


@dataclass(frozen=True)
class Periode:
    """A period: ``jenis`` S (semester), T (quarter, triwulan) or Y (year), ``ke`` its number in
    the year (1 for a year)."""

    tahun: int
    jenis: str
    ke: int

    @property
    def kode(self) -> str:
        return str(self.tahun) if self.jenis == "Y" else f"{self.tahun}-{self.jenis}{self.ke}"

    @property
    def mulai(self) -> date:
        return date(self.tahun, 1 + (self.ke - 1) * _MONTHS_PER[self.jenis], 1)

    @property
    def akhir(self) -> date:
        months = _MONTHS_PER[self.jenis]
        first_month = 1 + (self.ke - 1) * months + months
        nxt = date(self.tahun + (first_month > 12), (first_month - 1) % 12 + 1, 1)
        return nxt - timedelta(days=1)

    def sebelumnya(self) -> Periode:
        """The period before this one (of the same kind)."""
        if self.ke > 1:
            return Periode(self.tahun, self.jenis, self.ke - 1)
        last = 12 // _MONTHS_PER[self.jenis]
        return Periode(self.tahun - 1, self.jenis, last)

    def label(self, lang: Lang = "id") -> str:
        """'Semester I 2026' / 'Semester 1, 2026'; 'Triwulan III 2026' / 'Quarter 3, 2026' (the
        words from the message catalogue, ``periode_S`` / ``periode_T`` / ``periode_Y``; an
        Indonesian official writes the number in Roman numerals)."""
        nomor = ["I", "II", "III", "IV"][self.ke - 1] if lang == "id" else str(self.ke)
        return t(f"periode_{self.jenis}", lang, tahun=self.tahun, nomor=nomor)


def parse_periode(text: str) -> Periode:
    """``2026-S1`` · ``2026-T3`` (or ``2026-Q3``) · ``2026``; anything else raises `PeriodeError`."""
    m = _CODE.match(text or "")
    if not m:
        raise PeriodeError(text)
    year, kind, n = int(m.group(1)), (m.group(2) or "Y").upper(), int(m.group(3) or 1)
    kind = "T" if kind == "Q" else kind
    if kind == "S" and n > 2:
        raise PeriodeError(text)
    return Periode(year, kind, n)


def periode_of(day: date, jenis: str = "S") -> Periode:
    """The period of kind ``jenis`` (S, T or Y) holding ``day``."""
    months = _MONTHS_PER[jenis]
    return Periode(day.year, jenis, (day.month - 1) // months + 1)


def run_in(engine: Engine, periode: Periode) -> int | None:
    """The assessment that stands for ``periode``: the latest run (by id) whose reference date
    falls in it; None when no run does."""
    query = (
        select(assessment_runs.c.id)
        .where(assessment_runs.c.reference_date.between(periode.mulai, periode.akhir))
        .order_by(assessment_runs.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar()
