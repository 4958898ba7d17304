"""NIK masking: the one form in which a NIK is shown to someone who may not see it whole."""

from __future__ import annotations


def mask_nik(nik: str | None) -> str:
    """6408••••••••0012: enough to tell members apart on a page, not enough to use the NIK."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "•" * len(nik)
    return nik[:4] + "•" * (len(nik) - 8) + nik[-4:]
