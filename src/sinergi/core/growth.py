"""Growth categories (Permenkes 2/2020 on the WHO 2006 standards): the category codes per
indicator, and which of them count as stunted, wasted and underweight.

indicator → (categories from low to high, lower cut-offs, upper cut-offs). A z equal to a lower
cut-off goes to the category above it, a z equal to an upper cut-off to the category below it
(Permenkes 2/2020: "-3 SD sd < -2 SD", "> +1 SD sd +2 SD").
"""

from __future__ import annotations

CUTS: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]] = {
    "tbu": (("sangat_pendek", "pendek", "normal", "tinggi"), (-3.0, -2.0), (3.0,)),
    "bbu": (("sangat_kurang", "kurang", "normal", "risiko_lebih"), (-3.0, -2.0), (1.0,)),
    "bbtb": (
        ("gizi_buruk", "gizi_kurang", "normal", "berisiko_gizi_lebih", "gizi_lebih", "obesitas"),
        (-3.0, -2.0),
        (1.0, 2.0, 3.0),
    ),
}
CUTS["imtu"] = CUTS["bbtb"]
CATEGORIES: dict[str, tuple[str, ...]] = {k: v[0] for k, v in CUTS.items()}
# The categories counted as stunted (TB/U < −2), wasted (BB/TB < −2), underweight (BB/U < −2).
STUNTED: tuple[str, ...] = ("pendek", "sangat_pendek")
WASTED: tuple[str, ...] = ("gizi_kurang", "gizi_buruk")
UNDERWEIGHT: tuple[str, ...] = ("kurang", "sangat_kurang")
