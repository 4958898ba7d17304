"""The stored form of which PUS couple of a family fired which factor (``pasangan``).

One text per assessed family: per couple the wife's NIK, a colon and the couple factors it fired
(codes joined with ',' in the canonical order, nothing when none fired); couples joined with ';'
in the order of these texts (NIK order, NIKs being 16 digits), e.g.
``6408015507050001:;6408016012080003:terlalu_muda,tidak_kb_modern``. A family without a couple
stores NULL. The database writes it (`sinergi.rules.compile.family_features`); this module reads
it.
"""

from __future__ import annotations


def parse_pasangan(text: str | None) -> list[tuple[str, list[str]]]:
    """The couples of a stored text: (wife's NIK, fired couple factor codes) each."""
    if not text:
        return []
    return [
        (nik, [c for c in codes.split(",") if c])
        for nik, codes in (part.split(":", 1) for part in text.split(";"))
    ]
