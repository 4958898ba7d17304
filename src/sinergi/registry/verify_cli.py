"""``sinergi verifikasi``: village findings on the command line (registered in `sinergi.cli`).

``daftar`` lists the recorded findings (``--status menunggu``: those waiting for DPPKB's
approval); ``setujui`` and ``tolak`` decide a waiting one (`sinergi.registry.verify.decide`)
as the command line's user (`sinergi.security.auth.server_user`), recorded in the audit log.
Findings themselves come in with ``sinergi import verifikasi FILE`` or from the web.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sinergi.cli_options import DbOption, LangOption, UserOption
from sinergi.core import display
from sinergi.messages import t
from sinergi.registry.verify import APPLIED, REJECTED, WAITING, VerificationError

# `sinergi.cli` imports this module to register it, so its helpers are imported where used;
# the options read as the main command line's do.
# The list's columns (their headings).
COLUMNS = (
    "verifikasi_kol_id",
    "verifikasi_kol_no_kk",
    "verifikasi_kol_nik",
    "verifikasi_kol_hasil",
    "verifikasi_kol_kolom",
    "verifikasi_kol_nilai_lama",
    "verifikasi_kol_nilai_baru",
    "verifikasi_kol_tanggal",
    "verifikasi_kol_petugas",
    "verifikasi_kol_status",
    "verifikasi_kol_dicatat",
)
IdArgument = Annotated[int, typer.Argument(help="Verification number (from `daftar`)")]

verifikasi_app = typer.Typer(
    help="Village verifications of families: list, approve, reject.", no_args_is_help=True
)


@verifikasi_app.command("daftar")
def list_command(
    status: Annotated[
        str | None,
        typer.Option("--status", help=f"{APPLIED} | {WAITING} | {REJECTED} (default: all)"),
    ] = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """List the recorded findings, the oldest first (NIKs masked)."""
    from rich.table import Table

    from sinergi.cli import UserError, _opened, console
    from sinergi.core.masking import mask_nik
    from sinergi.registry.verify import OBJECT, listed
    from sinergi.security.auth import server_user
    from sinergi.store import audit

    lg, engine = _opened(lang, db)
    if status is not None and status not in (APPLIED, WAITING, REJECTED):
        choices = ", ".join((APPLIED, WAITING, REJECTED))
        raise UserError(t("pilihan_tidak_dikenal", lg, choices=choices))
    user = server_user(oleh)
    with engine.connect() as conn:
        rows = listed(conn, user, status)
    audit.record_now(
        engine, user.username, audit.VIEW, OBJECT, None, {"status": status, "baris": len(rows)}
    )
    if not rows:
        console.print(t("verifikasi_kosong", lg))
        return
    table = Table(title=t("verifikasi_daftar_judul", lg))
    for code in COLUMNS:
        table.add_column(t(code, lg))
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["no_kk"],
            mask_nik(r["nik"]) if r["nik"] else "",
            t(f"hasil_verifikasi_{r['hasil']}", lg),
            r["kolom"] or "",
            r["nilai_lama"] or "",
            r["nilai_baru"] or "",
            display.tgl(r["tanggal"], lg),
            r["petugas"] or "",
            t(f"status_verifikasi_{r['status']}", lg),
            f"{r['dicatat_oleh']} ({r['sumber']})",
        )
    console.print(table)


def _decide(
    record_id: int, approve: bool, oleh: str | None, lang: str | None, db: str | None
) -> None:
    from sinergi.cli import UserError, _opened, console
    from sinergi.registry.verify import decide
    from sinergi.security.auth import server_user

    lg, engine = _opened(lang, db)
    try:
        done = decide(engine, server_user(oleh), record_id, approve)
    except VerificationError as exc:
        raise UserError(exc.message(lg)) from exc
    status = t(f"status_verifikasi_{done.status}", lg)
    code = "verifikasi_disetujui" if approve else "verifikasi_ditolak_oleh"
    console.print(t(code, lg, id=record_id, status=status))


@verifikasi_app.command("setujui")
def approve_command(
    record_id: IdArgument, oleh: UserOption = None, lang: LangOption = None, db: DbOption = None
) -> None:
    """Approve a waiting finding: it is applied now (DPPKB or the administrator)."""
    _decide(record_id, True, oleh, lang, db)


@verifikasi_app.command("tolak")
def reject_command(
    record_id: IdArgument, oleh: UserOption = None, lang: LangOption = None, db: DbOption = None
) -> None:
    """Reject a waiting finding: nothing changes (DPPKB or the administrator)."""
    _decide(record_id, False, oleh, lang, db)
