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
REJECT_REASONS = ("pindah", "meninggal", "tidak_layak", "ganda", "menolak", "lainnya")
SOURCES = ("alokasi", "cli", "impor", "web", "api")
