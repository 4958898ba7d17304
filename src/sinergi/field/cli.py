"""``sinergi field``: the offline field forms on the command line (registered in `sinergi.cli`).

``form`` writes a village's XLSForm and choice files; ``push`` publishes them to ODK Central;
``pull`` downloads the submissions as CSV and, with ``--import``, imports them through the one
import door as the command line's user (`sinergi.security.auth.server_user`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sinergi.cli_options import DbOption, LangOption, UserOption
from sinergi.core import display
from sinergi.field.form import FieldError, FormFiles
from sinergi.messages import Lang, t

# `sinergi.cli` imports this module to register it, so its helpers are imported where used;
# the options read as the main command line's do.

field_app = typer.Typer(
    help="Offline field forms (ODK Collect / KoboToolbox, ODK Central).", no_args_is_help=True
)

DesaOption = Annotated[str, typer.Option("--desa", help="Village code, e.g. 64.08.01.2001")]
ProjectOption = Annotated[
    int | None,
    typer.Option("--project", help="ODK Central project (default: pyodk's default_project_id)"),
]


def _refused(exc: FieldError, lg: Lang) -> Exception:
    """The refusal as the command line's user error: one sentence, exit code 2."""
    from sinergi.cli import UserError

    return UserError(exc.message(lg))


def _write(desa: str, out: Path, oleh: str | None, lg: Lang, db: str | None) -> FormFiles:
    from sinergi.cli import _engine, console
    from sinergi.field.form import write_form
    from sinergi.security.auth import server_user

    try:
        files = write_form(_engine(db), server_user(oleh), desa, out)
    except FieldError as exc:
        raise _refused(exc, lg) from exc
    for warning in files.warnings:
        console.print(t("lapangan_peringatan", lg, detail=warning))
    console.print(
        t(
            "lapangan_formulir_ditulis",
            lg,
            form=files.form.name,
            path=out,
            families=display.num(files.families, lg),
            members=display.num(files.members, lg),
            children=display.num(files.children, lg),
        )
    )
    return files


@field_app.command("form")
def form_command(
    desa: DesaOption,
    out: Annotated[Path, typer.Option("--out", help="Folder for the form and its CSV files")],
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Write the village's XLSForm (verifikasi_<desa>.xlsx) with keluarga.csv, anggota.csv and
    anak.csv beside it, for ODK Collect or KoboToolbox."""
    from sinergi.cli import _lang

    _write(desa, out, oleh, _lang(lang), db)


@field_app.command("push")
def push_command(
    desa: DesaOption,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the files sent (kept as a record)")
    ] = Path("lapangan"),
    project: ProjectOption = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Publish the village's form and its choice files to ODK Central (a new version when the
    project has the form already)."""
    from sinergi.cli import _lang, console
    from sinergi.field.central import configured, push

    lg = _lang(lang)
    try:
        configured()  # before any file with names is written
    except FieldError as exc:
        raise _refused(exc, lg) from exc
    files = _write(desa, out, oleh, lg, db)
    try:
        done = push(files, project)
    except FieldError as exc:
        raise _refused(exc, lg) from exc
    if done.created:
        text = t(
            "lapangan_dibuat", lg, form=done.form_id, project=done.project, files=done.attachments
        )
    else:
        text = t(
            "lapangan_diperbarui",
            lg,
            form=done.form_id,
            version=done.version,
            project=done.project,
            files=done.attachments,
        )
    console.print(text)


@field_app.command("pull")
def pull_command(
    form: Annotated[str, typer.Option("--form", help="Form id, e.g. verifikasi_6408012001")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the submission CSVs")],
    do_import: Annotated[
        bool,
        typer.Option(
            "--import", help="Import them: sinergi import verifikasi, then sinergi import eppgbm"
        ),
    ] = False,
    project: ProjectOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Download the form's submissions from ODK Central as CSV: <form>.csv (verifications) and
    <form>-ukur.csv (re-measurements)."""
    from sinergi.cli import REPORT_FOLDER, _engine, _lang, _report_path, _run_import, console
    from sinergi.field.central import pull

    lg = _lang(lang)
    try:
        got = pull(form, out, project)
    except FieldError as exc:
        raise _refused(exc, lg) from exc
    console.print(
        t(
            "lapangan_diunduh",
            lg,
            rows=display.num(got.submissions, lg),
            main=got.main,
            repeat=got.repeat,
            measures=display.num(got.measurements, lg),
        )
    )
    if not do_import:
        return
    engine = _engine(db)
    failed = False
    for kind, path, rows in (
        ("verifikasi", got.main, got.submissions),
        ("eppgbm", got.repeat, got.measurements),
    ):
        if rows:
            report = _report_path(REPORT_FOLDER, path, kind)
            result = _run_import(engine, kind, path, None, False, lg, report, via="odk")
            failed = failed or result.status == "ditolak"
    raise typer.Exit(2 if failed else 0)
