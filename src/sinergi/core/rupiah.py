"""Rupiah amounts as officers write them: the one parser for every budget, cost and money cell.

Indonesian writes 1.200.000.000 and 1,2 (a decimal comma), English 1,200,000,000 and 1.2;
budgets are also written with a scale word (``Rp 1,2 M``, ``1,2 miliar``, ``250 juta``) or in
scientific notation (``1.2e9``). A text is read both ways and the likelier reading wins: a whole
number of rupiah over one with decimals written (``300.000`` is Rp 300.000, not 300.000 in the
English way), and that over a fraction of a rupiah. When two equally likely readings disagree
(``1.500 juta``: 1,5 juta or 1.500 juta) the text is refused as ambiguous instead of guessed.
The command line's ``--budget`` options, the import's money cells (`sinergi.ingest.parsers.
money_value`) and the web's budget fields all read through `parse_rupiah`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sinergi.core import display
from sinergi.core.errors import CatalogueError

# Scale words, Indonesian first: "M" is miliar (10⁹) as Indonesian budgets write it, never the
# English million.
SCALES: dict[str, int] = {
    "rb": 10**3,
    "ribu": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "million": 10**6,
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "billion": 10**9,
    "bn": 10**9,
    "t": 10**12,
    "triliun": 10**12,
    "trilyun": 10**12,
    "trillion": 10**12,
}
# Beyond this no budget of a regency, a province or the nation can lie: a slip of the keyboard.
MAX_RUPIAH = 10**16

_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)
_SPLIT = re.compile(r"^([0-9][0-9.,]*(?:e[+-]?[0-9]+)?)([a-z]*)\.?$")
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?e[+-]?[0-9]{1,3}")
_DIGITS = re.compile(r"[0-9]+")
# Indonesian: dots group thousands, a comma starts the decimals; English the other way round.
_ID = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+,[0-9]+")
_EN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+\.[0-9]+")


class RupiahError(CatalogueError):
    """A text that is not one rupiah amount; the code names why (``rupiah_tidak_valid``,
    ``rupiah_ambigu``, ``rupiah_terlalu_besar``)."""


def _readings(number: str) -> list[tuple[Decimal, bool]]:
    """Each way ``number`` reads: (value, whether decimals are written)."""
    if _SCIENTIFIC.fullmatch(number):
        return [(Decimal(number.replace(",", ".")), False)]
    if _DIGITS.fullmatch(number):
        return [(Decimal(number), False)]
    found: list[tuple[Decimal, bool]] = []
    if _ID.fullmatch(number):
        found.append((Decimal(number.replace(".", "").replace(",", ".")), "," in number))
    if _EN.fullmatch(number):
        found.append((Decimal(number.replace(",", "")), "." in number))
    return found


def _likelihood(amount: Decimal, decimals: bool, scaled: bool) -> int:
    """0 for the likeliest reading: a whole amount (with a scale word, decimals are how the
    amount is written: 1,2 M); 1 a whole amount with decimals written; 2 a fraction."""
    if amount != amount.to_integral_value():
        return 2
    return 1 if decimals and not scaled else 0


def parse_rupiah(text: str) -> int:
    """The whole rupiah a text writes: ``1.200.000.000``, ``Rp 1,2 M``, ``1,2 miliar``,
    ``1.2e9``, ``1,200,000,000`` and ``1200000000`` are all 1,200,000,000. Spaces and ``_``
    between digits are ignored; a fraction of a rupiah is rounded. `RupiahError` when the text is
    not an amount, is negative, reads as two different amounts, or exceeds `MAX_RUPIAH`."""
    cleaned = re.sub(r"[\s_]+", "", _PREFIX.sub("", text.strip())).lower()
    parts = _SPLIT.match(cleaned)
    scale = SCALES.get(parts.group(2), 0) if parts else 0
    if parts is None or (parts.group(2) and not scale):
        raise RupiahError("rupiah_tidak_valid", text=text)
    try:
        readings = [
            (_likelihood(value * (scale or 1), decimals, bool(scale)), value * (scale or 1))
            for value, decimals in _readings(parts.group(1))
        ]
    except InvalidOperation as exc:
        raise RupiahError("rupiah_tidak_valid", text=text) from exc
    if not readings:
        raise RupiahError("rupiah_tidak_valid", text=text)
    best = min(rank for rank, _ in readings)
    amounts = {amount for rank, amount in readings if rank == best}
    if len(amounts) > 1:
        low, high = sorted(amounts)
        raise RupiahError(
            "rupiah_ambigu", text=text, low=display.Number(low), high=display.Number(high)
        )
    amount = amounts.pop()
    if amount > MAX_RUPIAH:
        raise RupiahError("rupiah_terlalu_besar", text=text, limit=display.Number(MAX_RUPIAH))
    return int(amount.to_integral_value(ROUND_HALF_UP))
