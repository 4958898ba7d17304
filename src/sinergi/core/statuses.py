"""The beneficiary workflow's vocabulary: statuses, allowed next steps, rejection reasons and the
ways a change arrives. The decisions on them live in `sinergi.deliver.workflow`; who may set
which status in `sinergi.security.access`."""

from __future__ import annotations

STATUSES = ("usulan", "terverifikasi", "disetujui", "tersalurkan", "ditolak")
NEXT: dict[str, tuple[str, ...]] = {
    "usulan": ("terverifikasi", "ditolak"),
    "terverifikasi": ("disetujui", "ditolak"),
    "disetujui": ("tersalurkan", "ditolak"),
    "tersalurkan": (),
    "ditolak": (),
}
# What a new allocation of a programme's period does with the family's proposal it finds
# (`sinergi.targeting.families`): verified, approved or delivered, the money is promised or spent —
# it counts against the budget and the family is not chosen again; an open proposal is kept as it
# is, its money reserved (an allocation never withdraws one and never proposes a family twice); a
# rejected family is not chosen again in that period and its money is free.
COMMITTED = ("terverifikasi", "disetujui", "tersalurkan")
OPEN = ("usulan",)
REJECTED = "ditolak"
REJECT_REASONS = ("pindah", "meninggal", "tidak_layak", "ganda", "menolak", "lainnya")
SOURCES = ("alokasi", "cli", "impor", "web", "api")
