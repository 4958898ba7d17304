"""The `sinergi` command line (Typer + Rich)."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text
from typer import rich_utils
from typer._click import Context, HelpFormatter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from sinergi.cli_options import DbOption, LangOption, UserOption
from sinergi.core import display
from sinergi.messages import CATALOGUE, Lang, t
from sinergi.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sinergi.registry.importer import ImportResult

# --- Typer's own words (help and parsing errors) in the reader's language ------------------------
#
# Typer writes its help and its parsing errors in English and offers no translation hook, so the
# group below puts the catalogue's words in their place (typer_*, bantuan_*) before parsing: the
# language comes from --lang in the arguments or SINERGI_LANG, since --help and a parsing error
# come before any command reads its own --lang.

# Typer's module-level words and the catalogue code of each.
_RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "typer_arguments",
    "OPTIONS_PANEL_TITLE": "typer_options",
    "COMMANDS_PANEL_TITLE": "typer_commands",
    "ERRORS_PANEL_TITLE": "typer_error",
    "ABORTED_TEXT": "typer_aborted",
    "RICH_HELP": "typer_try_help",
    "REQUIRED_LONG_STRING": "typer_required",
    "DEFAULT_STRING": "typer_default",
    "ENVVAR_STRING": "typer_env_var",
    "DEPRECATED_STRING": "typer_deprecated",
}
# Typer's error sentences, the more specific first: the English text is matched, the
# Indonesian one written with the same values.
_ERROR_CODES = (
    "typer_no_such_option_hint",
    "typer_no_such_option",
    "typer_no_such_command_hint",
    "typer_no_such_command",
    "typer_missing_argument",
    "typer_missing_option",
    "typer_missing_parameter",
    "typer_missing_command",
    "typer_extra_arguments",
    "typer_requires_argument",
    "typer_takes_no_value",
    "typer_invalid_value_for",
    "typer_invalid_value",
    "typer_not_integer",
    "typer_not_number",
    "typer_not_one_of",
)


@cache
def _error_pattern(code: str) -> re.Pattern[str]:
    """The regular expression of an error sentence's English text, one group per placeholder."""
    parts = re.split(r"\{(\w+)\}", t(code, "en"))
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)),
        re.DOTALL,
    )


def framework_text(text: str, lg: Lang) -> str:
    """One of Typer's error sentences in ``lg`` (as it is when no pattern matches)."""
    if lg == "en":
        return text
    for code in _ERROR_CODES:
        found = _error_pattern(code).fullmatch(text)
        if found is not None:
            values = found.groupdict()
            if "message" in values:
                values["message"] = framework_text(values["message"], lg)
            return t(code, lg, **values)
    return text


def _requested_lang(args: list[str]) -> Lang:
    """The language the arguments ask for (``--lang en``, ``--lang=en``), else SINERGI_LANG."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return _lang(args[i + 1])
        if arg.startswith("--lang="):
            return _lang(arg.removeprefix("--lang="))
    return _lang(None)


class _Formatter(HelpFormatter):
    """Typer's help formatter with the word before the usage line in the reader's language."""

    usage = "Usage: "

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, self.usage if prefix is None else prefix)


@cache
def _context_class(lg: Lang) -> type[Context]:
    formatter = type(f"_Formatter_{lg}", (_Formatter,), {"usage": t("typer_usage", lg)})
    return type(f"_Context_{lg}", (Context,), {"formatter_class": formatter})


def _localise(command: Any, lg: Lang, path: str, shared: tuple[str, ...] = ()) -> None:
    """Put the catalogue's help (bantuan_<path>, bantuan_<path>_<parameter>, then a group's
    shared bantuan_<group>_opsi_<parameter>, then bantuan_opsi_<parameter>) and Typer's words in
    ``lg`` on a command and everything below it."""
    command.context_class = _context_class(lg)
    key = f"bantuan_{path}"
    if key in CATALOGUE:
        command.help, command.short_help = t(key, lg), None
    for param in command.params:
        codes = (f"{key}_{param.name}", *(f"{s}{param.name}" for s in shared))
        for code in (*codes, f"bantuan_opsi_{param.name}"):
            if code in CATALOGUE:
                param.help = t(code, lg)
                break
    help_option = command.get_help_option(Context(command))
    if help_option is not None:
        help_option.help = t("typer_help_option", lg)
    below = (f"{key}_opsi_", *shared) if path != "sinergi" else shared
    for name, sub in getattr(command, "commands", {}).items():
        _localise(sub, lg, name if path == "sinergi" else f"{path}_{name}", below)


class SinergiGroup(TyperGroup):
    """The `sinergi` command group: help and parsing errors in the reader's language."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        lg = _requested_lang(args)
        for name, code in _RICH_WORDS.items():
            setattr(rich_utils, name, t(code, lg))
        _localise(self, lg, "sinergi")
        try:
            # Not standalone, so that a parsing error comes back here to be translated.
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except NoArgsIsHelpError:
            sys.exit(2)  # the help is already printed
        except ClickException as exc:
            if not standalone_mode:
                raise
            shown = UsageError(framework_text(exc.format_message(), lg), getattr(exc, "ctx", None))
            shown.exit_code = exc.exit_code
            rich_utils.rich_format_error(shown)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            rich_utils.rich_abort_error()
            sys.exit(1)
        if standalone_mode:
            sys.exit(code if isinstance(code, int) else 0)
        return code


app = typer.Typer(
    cls=SinergiGroup,
    name="sinergi",
    help="Sinergi: satu data keluarga berisiko stunting dan miskin ekstrem untuk semua perangkat daerah.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output (logs, CI) gets room for the wide summary tables instead of Rich's default 80.
console = Console(width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 150)

KINDS_HELP = "keluarga | p3ke | eppgbm | intervensi | desa | ibu_hamil | catin | verifikasi"


class UserError(Exception):
    """A problem the user can fix: printed as one sentence, exit code 2."""


def _lang(lang: str | None) -> Lang:
    value = lang or get_settings().lang
    return "en" if value == "en" else "id"


def _database_url(db: str | None) -> str:
    return db or os.environ.get("SINERGI_DATABASE_URL") or get_settings().database_url


def _engine(db: str | None):  # type: ignore[no-untyped-def]
    from sinergi.store.db import ensure_schema

    return ensure_schema(_database_url(db))


def _opened(lang: str | None, db: str | None):  # type: ignore[no-untyped-def]
    """What every command that reads the database starts from: the language and the database."""
    return _lang(lang), _engine(db)


class _Count(ProgressColumn):
    """done/total, written for the reader's language (1.234/5.678 or 1,234/5,678)."""

    def __init__(self, lg: Lang) -> None:
        super().__init__()
        self.lg = lg

    def render(self, task: Task) -> Text:
        if task.total is None:  # not known yet
            return Text("")
        return Text(f"{display.num(task.completed, self.lg)}/{display.num(task.total, self.lg)}")


def _progress(lg: Lang) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        _Count(lg),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


RunOption = Annotated[int | None, typer.Option("--run", help="Assessment number (default latest)")]
OutOption = Annotated[Path, typer.Option("--out", help="CSV or XLSX")]
NoKkArgument = Annotated[str, typer.Argument(help="No KK (16 digits)")]
SeedOption = Annotated[int, typer.Option("--seed")]
ScaleOption = Annotated[float, typer.Option("--scale", help="1.0 = the whole regency")]
PortOption = Annotated[int, typer.Option("--port")]
BudgetOption = Annotated[
    str | None, typer.Option("--budget", help="Rp, e.g. 15e9 (default: the programme's budget)")
]


def _user(oleh: str | None) -> str:
    from sinergi.security.auth import server_user

    return server_user(oleh).username


# --- import -------------------------------------------------------------------------------------


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP)],
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet name (XLSX)")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; store nothing")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Report file (.xlsx or .csv)")
    ] = None,
    laporan: Annotated[
        Path | None,
        typer.Option(
            "--laporan",
            help="Folder for the validation report when --report is not given (default: "
            "./laporan, created when needed)",
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The date the file's data describe (YYYY-MM-DD)")
    ] = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Import one source file: good rows are stored, every problem is reported."""
    from sinergi.ingest.schema import KINDS

    lg = _lang(lang)
    if kind not in KINDS:
        raise UserError(t("jenis_tidak_dikenal", lg, kind=kind, choices=", ".join(KINDS)))
    if not file.exists():
        raise UserError(t("berkas_tidak_ada", lg, path=file))
    data_date = _parse_date(as_of, lg, "--as-of") if as_of else None
    engine = _engine(db)
    target = report or _report_path(laporan or REPORT_FOLDER, file, kind)
    result = _run_import(engine, kind, file, sheet, dry_run, lg, target, as_of=data_date)
    raise typer.Exit(2 if result.status == "ditolak" else 0)


# Reports go to a folder of their own, never beside the source files: a later loop over a folder of
# sources (`keluarga/*`) must not meet them.
REPORT_FOLDER = Path("laporan")


def _report_path(folder: Path, file: Path, kind: str) -> Path:
    """A new report file in ``folder``, named by the source file, the kind and the moment, so that
    no import overwrites another's report (a number is added within the same second)."""
    base = f"{file.stem}.{kind}.{datetime.now():%Y%m%d-%H%M%S}"
    target = folder / f"{base}.laporan.xlsx"
    n = 2
    while target.exists():
        target = folder / f"{base}-{n}.laporan.xlsx"
        n += 1
    return target


def _run_import(
    engine: Engine,
    kind: str,
    file: Path,
    sheet: str | None,
    dry_run: bool,
    lg: Lang,
    report: Path,
    as_of: date | None = None,
    via: str = "cli",
) -> ImportResult:
    from sinergi.ingest.report import write_report
    from sinergi.security.auth import server_user
    from sinergi.security.imports import import_as

    with console.status(f"{kind}: {file.name} …"):
        # The command line is the server administrator's way in; it passes the same door.
        result = import_as(
            engine,
            server_user(),
            kind,
            file,
            sheet=sheet,
            dry_run=dry_run,
            as_of=as_of,
            via=via,
        )
    if result.status == "sudah":
        console.print(t("import_sudah_pernah", lg, batch=result.previous_batch))
        return result
    if result.refusal is not None:
        reason = t(result.refusal.kode, lg, **result.refusal.params)
        err.print(f"[red]{t('import_ditolak', lg, reason=reason)}[/red]")
    else:
        console.print(
            t(
                "import_ringkasan",
                lg,
                kind=kind,
                rows=display.num(result.rows_read, lg),
                loaded=display.num(result.rows_loaded, lg),
                rejected=display.num(result.rows_rejected, lg),
                warned=display.num(result.rows_warned, lg),
            )
        )
        console.print(
            t(
                "import_perubahan",
                lg,
                inserted=display.num(result.counts.inserted, lg),
                updated=display.num(result.counts.updated, lg),
                unchanged=display.num(result.counts.unchanged, lg),
            )
        )
        if result.counts.older:
            console.print(t("baris_lebih_lama", lg, n=display.Number(result.counts.older)))
        if dry_run:
            console.print(t("import_dry_run", lg))
    if result.issues:
        write_report(report, file.name, result.sheet, result.issues, lg)
        console.print(t("import_laporan", lg, path=report))
    return result


# --- regions ------------------------------------------------------------------------------------


@app.command("wilayah")
def wilayah_command(
    code: Annotated[str, typer.Argument(help="Kemendagri code, e.g. 64.08")],
    depth: Annotated[int | None, typer.Option("--depth", help="Levels to show")] = None,
    lang: LangOption = None,
) -> None:
    """Print a region and everything below it as a tree."""
    from sinergi.wilayah import UnknownRegionCode, region_tree

    try:
        console.print(region_tree(code, depth))
    except UnknownRegionCode as exc:
        raise UserError(t("kode_wilayah_tidak_dikenal", _lang(lang), code=exc.region_code)) from exc


# --- assessment ---------------------------------------------------------------------------------

export_app = typer.Typer(help="Export results to CSV/XLSX.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _parse_date(text: str | None, lg: Lang, option: str = "--date") -> date:
    from sinergi.ingest.parsers import date_value

    if text is None:
        return date.today()
    parsed = date_value(text)
    if not parsed.ok:
        raise UserError(f"{option} {text}: {t(parsed.code or '', lg, **parsed.params)}")
    return parsed.value


def _ruleset(name: str, lg: Lang):  # type: ignore[no-untyped-def]
    from sinergi.rules import RuleSetError, load_ruleset

    try:
        return load_ruleset(name)
    except RuleSetError as exc:
        raise UserError(t("aturan_error", lg, detail=exc)) from exc


def _run_id(engine, run: int | None, lg: Lang) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from sinergi.assess.run import latest_run_id
    from sinergi.store.tables import assessment_runs

    if run is None:
        found = latest_run_id(engine)
        if found is None:
            raise UserError(t("belum_ada_penilaian", lg))
        return found
    with engine.connect() as conn:
        if (
            conn.execute(select(assessment_runs.c.id).where(assessment_runs.c.id == run)).scalar()
            is None
        ):
            raise UserError(t("penilaian_tidak_ada", lg, run=run))
    return run


def _assessed(run: int | None, lang: str | None, db: str | None):  # type: ignore[no-untyped-def]
    """What every command on an assessment starts from: language, database, assessment run."""
    lg, engine = _opened(lang, db)
    return lg, engine, _run_id(engine, run, lg)


def _write(out: Path, frame: pd.DataFrame, sheet: str, about: dict | None, lg: Lang) -> None:  # type: ignore[type-arg]
    """Write a result table to ``out`` (CSV or XLSX, with its 'about' sheet) and say so."""
    from sinergi.reports import write_table

    write_table(out, frame, sheet, about, lg)
    console.print(t("ditulis", lg, rows=display.num(len(frame), lg), path=out))


def _require_families(engine: Engine, lg: Lang) -> None:
    """Refuse to assess an empty registry: a stored run of zeros would read as a real result."""
    from sqlalchemy import select

    from sinergi.store.tables import families

    with engine.connect() as conn:
        if conn.execute(select(families.c.no_kk).limit(1)).first() is None:
            raise UserError(t("registri_kosong", lg))


@app.command("assess")
def assess_command(
    ruleset: Annotated[
        str | None, typer.Option("--ruleset", help="krs-2021 | krs-2024 | a .toml path")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="Reference date (default today)")] = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Classify every family (sasaran, KRS factors, extreme poverty) and score every child."""
    from sinergi.assess.run import assess
    from sinergi.assess.summary import kecamatan_assessment

    lg = _lang(lang)
    rs = _ruleset(ruleset or get_settings().ruleset, lg)
    ref = _parse_date(on, lg)
    engine = _engine(db)
    _require_families(engine, lg)
    with console.status(f"{rs.label} @ {display.tgl(ref, lg)} …"):
        result = assess(engine, rs, ref)
    console.print(
        t(
            "penilaian_selesai",
            lg,
            run=result.run_id,
            rules=rs.label,
            date=display.tgl(ref, lg),
            seconds=display.dec(result.seconds, lg, 1),
        )
    )
    per_kecamatan = _total_named(kecamatan_assessment(engine, result.run_id), lg)
    _print_frame(per_kecamatan, t("per_kecamatan", lg), lg)


@export_app.command("assessment")
def export_assessment_command(
    out: OutOption,
    run: RunOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """One row per family: no_kk, kode_desa, sasaran, krs, faktor, miskin_ekstrem,
    jumlah_balita_stunting, pasangan (which couple fired which factor) and temuan (the members'
    case-finding codes)."""
    from sinergi.assess.summary import assessment_table, run_about

    lg, engine, run_id = _assessed(run, lang, db)
    frame = assessment_table(engine, run_id)
    _write(out, frame, "Penilaian", run_about(engine, run_id, lg), lg)


@app.command("missed")
def missed_command(
    out: OutOption,
    run: RunOption = None,
    months: Annotated[int, typer.Option("--months", help="Measured within this many months")] = 3,
    semua: Annotated[
        bool,
        typer.Option(
            "--semua",
            help="Also list the findings a delivered programme has cleared (ditangani_oleh)",
        ),
    ] = False,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """One row per finding: stunted/wasted children whose family is not on the KRS list (or not
    registered), every child signal (underweight, 2T, low LiLA, oedema, low birth weight, a
    measurement to repeat), registered under-fives not measured recently, and KRS families no
    programme has reached. A finding cleared by a delivered programme is left out unless
    --semua."""
    from sinergi.assess.clearing import still_missed
    from sinergi.assess.summary import run_about
    from sinergi.monitor.missed import everyone_missed
    from sinergi.targeting.catalogue import sync_catalogue

    lg, engine, run_id = _assessed(run, lang, db)
    sync_catalogue(engine)
    frame = everyone_missed(engine, run_id, lg, months, include_cleared=semua)
    still = still_missed(frame)
    counts = still["kode_alasan"].value_counts()
    _print_rows(
        t("terlewat_ringkas", lg),
        ["kol_alasan", "kol_jumlah"],
        [
            [t(f"terlewat_alasan_{code}", lg, months=months), n]
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        + [[t("jumlah_semua", lg), len(still)]]
        + ([[t("terlewat_sudah_ditangani", lg), len(frame) - len(still)]] if semua else []),
        lg,
    )
    _write(out, frame, "Terlewat", run_about(engine, run_id, lg), lg)


# --- targeting ----------------------------------------------------------------------------------


def _programme(code: str, lg: Lang):  # type: ignore[no-untyped-def]
    from sinergi.targeting.programmes import ProgrammeError, load_programme

    try:
        return load_programme(code)
    except ProgrammeError as exc:
        raise UserError(t("program_error", lg, detail=exc)) from exc


def _targeting(programme: str, run: int | None, lang: str | None, db: str | None):  # type: ignore[no-untyped-def]
    """What every targeting command starts from: language, programme, database (with the
    catalogue mirrored), assessment run."""
    from sinergi.targeting.catalogue import sync_catalogue

    prog = _programme(programme, _lang(lang))  # a typo is told before anything is opened
    lg, engine, run_id = _assessed(run, lang, db)
    sync_catalogue(engine)
    return lg, prog, engine, run_id


def _plan_about(engine, run_id: int, prog, budget: float, lg: Lang, plan: dict) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The 'about' sheet of a programme's plan: the assessment, the programme and its budget,
    what the plan itself says, and the kind of cost ('contoh biaya', 'biaya resmi')."""
    from sinergi.assess.summary import run_about

    return (
        run_about(engine, run_id, lg)
        | {
            "about_program": f"{prog.code}: {prog.name} ({prog.agency})",
            "about_anggaran": display.rp(budget, lg),
        }
        | plan
        | {"about_biaya": t(prog.cost_label.replace(" ", "_"), lg)}
    )


def _rupiah(text: str, lg: Lang, option: str = "--budget") -> float:
    """A rupiah amount as officers write it (1.200.000.000, Rp 1,2 M, 1,2 miliar, 1.2e9):
    `sinergi.core.rupiah`, the one rupiah parser."""
    from sinergi.core.rupiah import RupiahError, parse_rupiah

    try:
        return float(parse_rupiah(text))
    except RupiahError as exc:
        raise UserError(f"{option}: {exc.message(lg)}") from exc


def _budget_list(text: str) -> list[str]:
    """The --budgets option's amounts: separated by ';', or by ',' when no ';' is written (then
    an amount cannot carry a decimal comma: '5e9,10e9')."""
    return text.split(";") if ";" in text else text.split(",")


def _budget(text: str | None, lg: Lang) -> float | None:
    """The --budget option: rupiah, or None for the programme's own budget."""
    return _rupiah(text, lg) if text else None


@app.command("prioritize")
def prioritize_command(
    programme: Annotated[str, typer.Argument(help="Programme code, e.g. air-bersih")],
    out: OutOption,
    budget: BudgetOption = None,
    run: RunOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Rank villages for an area programme and choose them within the budget (HiGHS), with the
    reason for every village and the greedy choice beside it."""
    from sinergi.targeting.plan import village_plan

    amount = _budget(budget, _lang(lang))  # a mistyped amount is told before anything is opened
    lg, prog, engine, run_id = _targeting(programme, run, lang, db)
    plan = village_plan(engine, run_id, prog, amount, lg)
    weights = ", ".join(f"{k} {display.cell(v, lg)}" for k, v in prog.weights.items())
    ranking = {
        "about_rumus_skor": t("rumus_skor", lg),
        "about_bobot": weights or t("bobot_bawaan", lg),
        "about_terjangkau_optimal": display.num(plan.reached, lg),
        "about_terjangkau_greedy": display.num(plan.reached_greedy, lg),
    }
    _write(
        out,
        plan.table,
        "Prioritas",
        _plan_about(engine, run_id, prog, plan.budget, lg, ranking),
        lg,
    )
    console.print(
        t(
            "hasil_alokasi",
            lg,
            best=display.num(plan.reached, lg),
            cost=display.num(plan.cost, lg),
            greedy=display.num(plan.reached_greedy, lg),
            greedy_cost=display.num(plan.cost_greedy, lg),
        )
    )


@app.command("allocate")
def allocate_command(
    programme: Annotated[str, typer.Argument(help="Family programme, e.g. pmt-baznas")],
    out: OutOption,
    budget: BudgetOption = None,
    run: RunOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Choose the families a family programme's budget reaches best; save them as proposals."""
    from sinergi.targeting.families import Saved, family_plan, save_proposals

    amount = _budget(budget, _lang(lang))  # a mistyped amount is told before anything is opened
    lg, prog, engine, run_id = _targeting(programme, run, lang, db)
    plan = family_plan(engine, run_id, prog, amount, lg)
    benefit = {"about_syarat": prog.eligibility, "about_manfaat": t("manfaat_keluarga_isi", lg)}
    about = _plan_about(engine, run_id, prog, plan.budget, lg, benefit)

    def write(saved: Saved) -> None:
        # Inside the saving transaction: the file holds exactly the proposals created, or
        # nothing is saved.
        _write(out, saved.created, "Usulan", about | saved.about(lg), lg)

    saved = save_proposals(engine, prog, run_id, plan, on_saved=write)
    _print_rows(
        t("alokasi_ringkasan", lg, program=prog.code, period=prog.period),
        ["", "kol_keluarga", "kol_biaya"],
        saved.summary(lg, plan.skipped()),
        lg,
    )
    console.print(
        t(
            "usulan_disimpan",
            lg,
            n=display.num(len(saved.created), lg),
            program=prog.code,
            period=prog.period,
        )
    )


@app.command("scenario")
def scenario_command(
    programme: Annotated[str, typer.Argument(help="Programme code, e.g. air-bersih")],
    budgets: Annotated[str, typer.Option("--budgets", help="e.g. 5e9,10e9,15e9,20e9")],
    out: Annotated[Path, typer.Option("--out", help="CSV or XLSX (XLSX includes a chart)")],
    run: RunOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Families reached against budget (optimiser and greedy) and the marginal cost per family."""
    from sinergi.reports import write_table
    from sinergi.reports.charts import add_line_chart, scenario_png
    from sinergi.targeting.plan import scenarios

    amounts = [_rupiah(b, _lang(lang), "--budgets") for b in _budget_list(budgets) if b.strip()]
    lg, prog, engine, run_id = _targeting(programme, run, lang, db)
    frame = scenarios(engine, run_id, prog, amounts)
    write_table(out, frame, "Skenario", lang=lg)
    title = t("skenario_judul", lg, program=prog.code)
    if out.suffix.lower() == ".xlsx":
        add_line_chart(
            out, frame, x="anggaran", y="keluarga_terjangkau", series="metode", title=title
        )
    png = out.with_suffix(".png")
    scenario_png(png, frame, title, lg)
    _print_frame(frame.assign(metode=[t(f"metode_{m}", lg) for m in frame["metode"]]), title, lg)
    console.print(t("ditulis_gambar", lg, path=png))


@app.command("programmes")
def programmes_command(lang: LangOption = None, db: DbOption = None) -> None:
    """The programme catalogue (files mirrored into the database) with each file's version."""
    from sinergi.targeting.catalogue import catalogue_frame, sync_catalogue

    lg, engine = _opened(lang, db)
    sync_catalogue(engine)
    frame = catalogue_frame(engine)
    _print_frame(frame.assign(versi=frame["versi"].str[:12]), t("katalog_program", lg), lg)


# --- delivery and monitoring --------------------------------------------------------------------


@app.command("status")
def status_command(
    programme: Annotated[str, typer.Argument(help="Family programme, e.g. pmt-baznas")],
    no_kk: NoKkArgument,
    new_status: Annotated[
        str, typer.Argument(help="terverifikasi | disetujui | tersalurkan | ditolak")
    ],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", help="pindah | meninggal | tidak_layak | ganda | menolak | lainnya"
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Free text (required with 'lainnya')")
    ] = None,
    evidence: Annotated[
        Path | None,
        typer.Option("--evidence", help="A file kept as evidence (photo, minutes of the musdes)"),
    ] = None,
    version: Annotated[
        int | None,
        typer.Option("--version", help="The version you saw; refused if it changed since"),
    ] = None,
    period: Annotated[str | None, typer.Option("--period")] = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Move one beneficiary through the workflow (usulan → terverifikasi → disetujui →
    tersalurkan, or ditolak with a reason)."""
    from sinergi.deliver.workflow import WorkflowError
    from sinergi.security.auth import server_user
    from sinergi.security.workflow import change_status_as

    lg, engine = _opened(lang, db)
    bukti = None
    if evidence is not None:
        if not evidence.exists():
            raise UserError(t("berkas_tidak_ada", lg, path=evidence))
        bukti = (evidence.name, evidence.read_bytes())
    try:
        row = change_status_as(
            engine,
            server_user(oleh),
            programme,
            no_kk,
            new_status,
            alasan_tolak=reason,
            catatan=note,
            bukti=bukti,
            versi=version,
            sumber="cli",
            periode=period,
        )
    except WorkflowError as exc:
        raise UserError(exc.message(lg)) from exc
    if not row["changed"]:
        console.print(
            t("wf_sudah_status", lg, no_kk=no_kk, status=row["status"], program=programme)
        )
        return
    console.print(
        t(
            "wf_berubah",
            lg,
            program=programme,
            no_kk=no_kk,
            old=row["dari"],
            new=row["status"],
            version=row["versi"],
        )
    )


def _village_code(text: str, lg: Lang) -> str:
    """A village named by its code or, within the regency of the settings, by its unique name;
    otherwise a sentence naming the candidates."""
    from sinergi.wilayah import get_wilayah
    from sinergi.wilayah.regions import RegionNameError, normalize_code, tingkat_of

    w = get_wilayah()
    code = normalize_code(text)
    if code is not None:
        if code not in w or tingkat_of(code) != "desa_kelurahan":
            raise UserError(t("desa_tidak_dikenal", lg, code=text))
        return code
    try:
        return w.resolve(text, get_settings().region, "desa_kelurahan")
    except RegionNameError as exc:
        raise UserError(t("pj_desa_bukan_kode", lg, text=text, detail=exc.message(lg))) from exc


@app.command("project")
def project_command(
    programme: Annotated[str, typer.Argument(help="Area programme, e.g. air-bersih")],
    kode_desa: Annotated[
        str, typer.Argument(help="Village code or name, e.g. 64.08.01.2001 or 'Sangatta Utara'")
    ],
    new_status: Annotated[
        str | None, typer.Argument(help="perencanaan | konstruksi | beroperasi")
    ] = None,
    households: Annotated[
        int | None, typer.Option("--households", help="Households connected (count)")
    ] = None,
    connect: Annotated[
        list[str] | None, typer.Option("--connect", help="No KK to connect (repeatable)")
    ] = None,
    connect_needing: Annotated[
        bool,
        typer.Option(
            "--connect-needing",
            help="Connect every family of the village that has the programme's need",
        ),
    ] = False,
    cost: Annotated[str | None, typer.Option("--cost", help="Rp")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Record a village project's stage, and connect households once it operates."""
    from sinergi.deliver.projects import ProjectError, connect_households, set_project

    lg, engine = _opened(lang, db)
    _programme(programme, lg)
    kode_desa = _village_code(kode_desa, lg)
    who = _user(oleh)
    try:
        if new_status is not None:
            row = set_project(
                engine,
                programme,
                kode_desa,
                new_status,
                oleh=who,
                sambungan_rumah=households,
                catatan=note,
                biaya=int(_rupiah(cost, lg, "--cost")) if cost else None,
            )
            console.print(
                t(
                    "pj_berubah",
                    lg,
                    program=programme,
                    desa=kode_desa,
                    status=row["status"],
                    households=display.num(row["sambungan_rumah"], lg),
                )
            )
        if connect or connect_needing:
            n = connect_households(
                engine,
                programme,
                kode_desa,
                None if connect_needing else list(connect or []),
                oleh=who,
            )
            console.print(t("pj_tersambung", lg, n=display.num(n, lg), desa=kode_desa))
    except ProjectError as exc:
        raise UserError(exc.message(lg)) from exc


@app.command("family")
def family_command(
    no_kk: NoKkArgument,
    show_nik: Annotated[
        bool, typer.Option("--show-nik", help="Show NIKs unmasked (audited)")
    ] = False,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """A family's whole story: members, factors and why, children's growth, every intervention."""
    from sinergi.deliver.story import family_story
    from sinergi.store import audit

    lg, engine = _opened(lang, db)
    story = family_story(engine, no_kk, lg, show_nik=show_nik)
    if story is None:
        raise UserError(t("kk_tidak_ada", lg, no_kk=no_kk))
    with engine.begin() as conn:
        audit.record(
            conn,
            _user(oleh),
            "lihat_keluarga",
            "family",
            no_kk,
            {"nik_terbuka": show_nik, "sumber": "cli"},
        )
    fam = story["keluarga"]
    console.rule(
        f"KK {fam['no_kk']} · {fam.get('nama_kepala') or '-'} · "
        f"{fam.get('nama_desa')}, {fam.get('nama_kecamatan')}"
    )
    console.print(
        t(
            "keluarga_baris_alamat",
            lg,
            alamat=fam.get("alamat") or "",
            rt=fam.get("rt") or "-",
            rw=fam.get("rw") or "-",
            desil=fam.get("desil") or "-",
            air=fam.get("sumber_air") or "-",
            jamban=fam.get("jamban") or "-",
        )
    )
    member_columns = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan", "kontrasepsi")
    members = _table(t("anggota_keluarga", lg), member_columns, lg)
    for m in story["anggota"]:
        members.add_row(
            *[
                display.tgl(m.get(c), lg) if c == "tanggal_lahir" else str(m.get(c) or "")
                for c in member_columns
            ]
        )
    console.print(members)
    a = story["penilaian"]
    if a is not None:
        flag = "KRS" if a["krs"] else t("bukan_krs", lg)
        poor = " · " + t("miskin_ekstrem", lg) if a["miskin_ekstrem"] else ""
        sasaran = ", ".join(t(f"sasaran_{s}", lg) for s in a["sasaran"]) or "-"
        line = t(
            "keluarga_baris_penilaian",
            lg,
            status=f"[bold]{flag}{poor}[/bold]",
            aturan=a["aturan"],
            tanggal=display.tgl(a["tanggal_acuan"], lg),
            sasaran=sasaran,
        )
        console.print(line)
        for f in a["faktor"]:
            console.print(f"  • [bold]{f['label']}[/bold]: {f['penjelasan']}")
    if story["anak"]:
        kid_columns = (
            "nama_anak",
            "tanggal_ukur",
            "umur_hari",
            "zs_tbu",
            "status_tbu",
            "zs_bbtb",
            "status_bbtb",
        )
        kids = _table(t("pertumbuhan_anak", lg), kid_columns, lg)
        for c in story["anak"]:
            kids.add_row(
                str(c.get("nama_anak") or ""),
                display.tgl(c.get("tanggal_ukur"), lg),
                display.num(c.get("umur_hari"), lg),
                display.dec(c.get("zs_tbu"), lg, 2),
                _growth_label("tbu", c.get("status_tbu"), lg),
                display.dec(c.get("zs_bbtb"), lg, 2),
                _growth_label("bbtb", c.get("status_bbtb"), lg),
            )
        console.print(kids)
    event_columns = ("waktu", "program", "kejadian", "keterangan", "oleh")
    timeline = _table(t("riwayat_intervensi", lg), event_columns, lg)
    for e in story["riwayat"]:
        timeline.add_row(
            display.waktu(e.get("waktu"), lg, seconds=False),
            *[str(e.get(c) or "") for c in event_columns[1:]],
        )
    console.print(timeline if story["riwayat"] else t("belum_ada_intervensi", lg))


def _growth_label(indicator: str, code: str | None, lg: Lang) -> str:
    """The words of a growth category (``gizi_<indicator>_<code>``); empty when not scored."""
    return t(f"gizi_{indicator}_{code}", lg) if code else ""


@app.command("conflicts")
def conflicts_command(
    out: OutOption,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Families on two mutually exclusive programmes, or twice on one — for both agencies."""
    from sinergi.deliver.conflicts import conflicts

    lg, engine = _opened(lang, db)
    frame = conflicts(engine, lang=lg)
    _write(out, frame, "Konflik", None, lg)


@app.command("coverage")
def coverage_command(
    out: OutOption,
    level: Annotated[
        str, typer.Option("--level", help="desa | kecamatan | kabupaten")
    ] = "kecamatan",
    run: RunOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Per area: needs, needs met and in progress, convergence, families untouched, stunting
    prevalence with its 95 % interval, and the change since the previous assessment."""
    from sinergi.assess.summary import run_about
    from sinergi.monitor.coverage import PRINTED_COLUMNS, coverage

    if level not in ("desa", "kecamatan", "kabupaten"):
        raise UserError(t("tingkat_tidak_dikenal", _lang(lang), level=level))
    lg, engine, run_id = _assessed(run, lang, db)
    frame = coverage(engine, run_id, level)
    shown = [c for c in PRINTED_COLUMNS if c in frame.columns]
    if level != "desa":
        _print_frame(frame[shown], t("cakupan_judul", lg, level=level, run=run_id), lg)
    _write(out, frame, "Cakupan", run_about(engine, run_id, lg), lg)


# --- meeting-ready reports ----------------------------------------------------------------------


def _kecamatan_code(text: str, lg: Lang) -> str:
    """A kecamatan of the registry's regions by its code (64.08.01 or 640801)."""
    from sinergi.wilayah import get_wilayah
    from sinergi.wilayah.regions import normalize_code, tingkat_of

    code = normalize_code(text)
    if code is None or code not in get_wilayah() or tingkat_of(code) != "kecamatan":
        raise UserError(t("lap_kecamatan_tidak_dikenal", lg, code=text))
    return code


@app.command("report")
def report_command(
    kind: Annotated[str, typer.Argument(help="musdes | tpps | scorecard | rembuk | kasus")],
    out: Annotated[Path, typer.Option("--out", help="PDF or XLSX")],
    desa: Annotated[
        str | None, typer.Option("--desa", help="Village code or name (musdes, scorecard, kasus)")
    ] = None,
    kecamatan: Annotated[
        str | None, typer.Option("--kecamatan", help="Kecamatan code, e.g. 64.08.01")
    ] = None,
    periode: Annotated[
        str | None, typer.Option("--periode", help="2026-S1 (semester) | 2026-T3 | 2026")
    ] = None,
    dusun: Annotated[str | None, typer.Option("--dusun", help="musdes: one dusun only")] = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Write a meeting-ready report as PDF or XLSX: musdes (one village's verification sheet),
    tpps (semester), scorecard (village, quarter), rembuk (annual), kasus (case list)."""
    from sinergi.reports.kinds import ReportError, build_report, check_format, write_report
    from sinergi.reports.periode import PeriodeError, parse_periode
    from sinergi.security.auth import server_user

    lg, engine = _opened(lang, db)
    user = server_user(oleh)
    started = time.perf_counter()
    try:
        check_format(out)
        if periode is not None:
            periode = parse_periode(periode).kode
        options = {
            "desa": _village_code(desa, lg) if desa else None,
            "kecamatan": _kecamatan_code(kecamatan, lg) if kecamatan else None,
            "periode": periode,
            "dusun": dusun,
        }
        with console.status(t("lap_menyusun", lg, kind=kind)):
            laporan = build_report(kind, engine, user, lg, **options)
            done = write_report(engine, user, kind, laporan, out, options)
    except PeriodeError as exc:
        raise UserError(t("lap_periode_salah", lg, text=periode)) from exc
    except ReportError as exc:
        raise UserError(exc.message(lg)) from exc
    seconds = display.dec(time.perf_counter() - started, lg, 1)
    if out.suffix.lower() == ".pdf":
        pages = display.num(done.pages, lg)
        console.print(t("lap_ditulis", lg, path=out, pages=pages, seconds=seconds))
    else:
        rows = display.num(done.rows, lg)
        console.print(t("lap_ditulis_xlsx", lg, path=out, rows=rows, seconds=seconds))
    if laporan.kosong:
        console.print(f"[yellow]{laporan.kosong}[/yellow]")


# --- linkage review -----------------------------------------------------------------------------


@app.command("link")
def link_command(
    threshold: Annotated[
        float, typer.Option("--threshold", help="Match probability that links on its own")
    ] = 0.95,
    review_threshold: Annotated[
        float,
        typer.Option("--review-threshold", help="From here up to --threshold: an officer decides"),
    ] = 0.50,
    full: Annotated[
        bool, typer.Option("--full", help="Score every pair again, not only new records")
    ] = False,
    train: Annotated[
        bool | None,
        typer.Option("--train/--no-train", help="Estimate the model by EM (default: first time)"),
    ] = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Link every e-PPGBM child, ANC pregnancy, agency-list person and P3KE head to the registry
    person it is (Splink on DuckDB): exact NIK first, then the probabilistic model; unsure pairs
    go to `sinergi review`."""
    from sinergi.link.run import link

    lg, engine = _opened(lang, db)
    if not 0 < review_threshold <= threshold <= 1:
        raise UserError(t("link_ambang_salah", lg, review=review_threshold, threshold=threshold))
    with console.status(t("link_membaca", lg)):
        result = link(
            engine,
            threshold=threshold,
            review_threshold=review_threshold,
            full=full,
            train=train,
            oleh=_user(oleh),
        )
    _print_link(result, lg)


def _print_link(result, lg: Lang) -> None:  # type: ignore[no-untyped-def]
    console.print(t("link_model_dilatih" if result.trained else "link_model_tersimpan", lg))
    console.print(
        t(
            "link_selesai",
            lg,
            run=result.run_id,
            seconds=display.dec(result.seconds, lg, 1),
            records=display.Number(result.records),
            new=display.Number(result.new_records),
            pairs=display.Number(result.pairs),
            linked=display.Number(result.linked),
            review=display.Number(result.review),
        )
    )


review_app = typer.Typer(
    help="The linkage review queue: pairs that may be one person, waiting for an officer.",
    invoke_without_command=True,
)
app.add_typer(review_app, name="review")
PairArgument = Annotated[int, typer.Argument(help="Pair number (from `sinergi review`)")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why (kept in the audit log)")]


def _pair_value(field: str, value: object, lg: Lang) -> str:
    if value is None or value == "":
        return "—"
    return display.tgl(value, lg) if field == "tanggal_lahir" else str(value)


@review_app.callback()
def review_command(
    context: typer.Context,
    page: Annotated[int, typer.Option("--page", help="Page of the queue (20 pairs each)")] = 1,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """List the waiting pairs, the most probable first: each field side by side with whether it
    agrees, the match weight and the probability."""
    if context.invoked_subcommand is not None:
        return
    from sinergi.link.review import OBJECT, pending
    from sinergi.security.auth import server_user
    from sinergi.store import audit

    lg, engine = _opened(lang, db)
    user = server_user(oleh)
    queue = pending(engine, user, page)
    audit.record_now(
        engine,
        user.username,
        audit.VIEW,
        OBJECT,
        None,
        {"halaman": queue.page, "pasangan": len(queue.rows), "sumber": "cli"},
    )
    if not queue.rows:
        console.print(t("tautan_kosong", lg))
        return
    console.print(t("tautan_menunggu", lg, n=display.num(queue.total, lg)))
    for row in queue.rows:
        title = t(
            "tautan_pasangan",
            lg,
            id=row["id"],
            peluang=display.pct(row["probability"] * 100, lg),
            bobot=display.dec(row["match_weight"], lg),
        )
        table = Table(title=title, caption=t(row["why"], lg) if row["why"] else None)
        table.add_column(t("tautan_bidang", lg))
        for side in ("l", "r"):
            who = t(f"jenis_{row[f'sumber_{side}']}", lg)
            table.add_column(f"{t('tautan_kiri' if side == 'l' else 'tautan_kanan', lg)}\n{who}")
        table.add_column(t("tautan_kecocokan", lg))
        for f in row["fields"]:
            table.add_row(
                t(f"kol_{f['field']}", lg),
                _pair_value(f["field"], f["l"], lg),
                _pair_value(f["field"], f["r"], lg),
                f"{f['mark']} {t(f['word'], lg)}",
            )
        console.print(table)
    console.print(t("tautan_halaman_lain", lg, page=queue.page, pages=queue.pages))


def _decide(
    pair: int, accept: bool, note: str | None, oleh: str | None, lang: str | None, db: str | None
) -> None:
    from sinergi.link.review import ReviewError, decide
    from sinergi.security.auth import server_user

    lg, engine = _opened(lang, db)
    try:
        decide(engine, server_user(oleh), pair, accept, note)
    except ReviewError as exc:
        raise UserError(exc.message(lg)) from exc
    console.print(t("tautan_diterima" if accept else "tautan_ditolak", lg, id=pair))


@review_app.command("accept")
def review_accept_command(
    pair: PairArgument,
    note: NoteOption = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """The two records are one person: join them (clusters and families follow at once)."""
    _decide(pair, True, note, oleh, lang, db)


@review_app.command("reject")
def review_reject_command(
    pair: PairArgument,
    note: NoteOption = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """The two records are two people: they are never joined, also at later runs."""
    _decide(pair, False, note, oleh, lang, db)


@export_app.command("links")
def export_links_command(
    out: OutOption,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """One row per linked source record: cluster_id, sumber, berkas, baris, nik, nama,
    tanggal_lahir, no_kk, probability, decided_by."""
    from sinergi.link.review import links_table

    _export_linkage(links_table, "about_tautan", "Tautan", out, oleh, lang, db)


@export_app.command("golden")
def export_golden_command(
    out: OutOption,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """One row per person: the golden record's values (the roster's identity, the newest
    village), how many source records it joins and which source each value came from."""
    from sinergi.link.review import golden_table

    _export_linkage(golden_table, "about_golden", "Orang", out, oleh, lang, db)


@export_app.command("parquet")
def export_parquet_command(
    out: Annotated[Path, typer.Option("--out", help="Extract folder")],
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """The whole registry as versioned Parquet partitioned by province and regency (the input of
    `sinergi batch`), through the export door: the audit log records it."""
    from sinergi.batch.export import ExportError, export_registry
    from sinergi.security.auth import server_user
    from sinergi.store.parquet_layout import SCHEMA_NAME, SCHEMA_VERSION

    lg, engine = _opened(lang, db)
    with _progress(lg) as progress:
        tasks: dict[str, TaskID] = {}

        def report(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = progress.add_task(t("parquet_tabel", lg, table=table), total=total)
            progress.update(tasks[table], completed=done, total=total)

        try:
            extract = export_registry(engine, out, server_user(oleh), report, via="cli")
        except ExportError as exc:
            raise UserError(exc.message(lg)) from exc
    _print_rows(
        t("parquet_ringkas", lg),
        ["kol_tabel", "kol_jumlah"],
        [[name, n] for name, n in extract.rows.items()],
        lg,
    )
    console.print(
        t("parquet_selesai", lg, path=extract.folder, schema=SCHEMA_NAME, versi=SCHEMA_VERSION)
    )


def _export_linkage(
    table: Callable[[Any, Any], Any],
    about_key: str,
    sheet: str,
    out: Path,
    oleh: str | None,
    lang: str | None,
    db: str | None,
) -> None:
    """Write one of the linkage's tables (`sinergi.link.review`: scoped and masked for the
    user) through the export door, which records it in the audit log."""
    from sinergi.link.review import OBJECT
    from sinergi.reports.exports import export_as
    from sinergi.security.auth import server_user

    lg, engine = _opened(lang, db)
    user = server_user(oleh)
    frame = table(engine, user)
    about: dict[str, object] = {
        about_key: t(about_key, lg),
        "about_diekspor_oleh": user.username,
        "about_baris": len(frame),
    }
    export_as(engine, user, OBJECT, frame, out, about, lg, sheet=sheet, detail={"via": "cli"})
    console.print(t("ditulis", lg, rows=display.num(len(frame), lg), path=out))


# --- web application ----------------------------------------------------------------------------

user_app = typer.Typer(help="Web accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _stdin_password() -> str:
    """A password from standard input: never an argument, which other users of the machine see."""
    return sys.stdin.readline().rstrip("\r\n")


@contextmanager
def _account_errors(lg: Lang) -> Iterator[None]:
    """An account operation's refusal (`sinergi.security.users.UserError`) as a user error."""
    from sinergi.security.users import UserError as AccountError

    try:
        yield
    except AccountError as exc:
        raise UserError(t(exc.code, lg, **exc.params)) from exc


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: PortOption = 8000,
    workers: Annotated[int, typer.Option("--workers")] = 1,
    db: DbOption = None,
) -> None:
    """Serve the web application (dashboard, map, families, programmes, imports, API)."""
    from sinergi.web.cli import serve

    serve(_database_url(db), host, port, workers)


@user_app.command("add")
def user_add_command(
    username: Annotated[str, typer.Argument()],
    role: Annotated[
        str, typer.Option("--role", help="admin | dppkb | instansi | desa | analis | auditor")
    ],
    wilayah: Annotated[
        list[str] | None, typer.Option("--wilayah", help="Region code (repeatable)")
    ] = None,
    program: Annotated[
        list[str] | None, typer.Option("--program", help="Programme code (repeatable)")
    ] = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Create a web account; the password is read from standard input (never an argument)."""
    from sinergi.web.cli import add_user

    lg = _lang(lang)
    password = _stdin_password()
    with _account_errors(lg):
        add_user(
            _database_url(db), username, role, list(wilayah or []), list(program or []), password
        )
    console.print(t("pengguna_dibuat", lg, username=username, role=role))


@user_app.command("password")
def user_password_command(
    username: Annotated[str, typer.Argument()],
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Set an account's password, read from standard input (never an argument); every session
    and API token of the account ends and its login lock is lifted."""
    from sinergi.security.users import set_password

    lg = _lang(lang)
    password = _stdin_password()
    with _account_errors(lg):
        n = set_password(_engine(db), username, password, by=_user(oleh))
    console.print(t("sandi_diganti", lg, username=username, n=display.num(n, lg)))


def _when(value, lg: Lang) -> str:  # type: ignore[no-untyped-def]
    return "-" if value is None else f"{display.waktu(value, lg, seconds=False)} UTC"


@user_app.command("tokens")
def user_tokens_command(
    username: Annotated[str | None, typer.Argument(help="Only this account")] = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """List browser sessions and API tokens: id, account, kind, created, expires, last used,
    state."""
    from datetime import UTC, datetime

    from sinergi.security.users import list_tokens

    lg = _lang(lang)
    with _account_errors(lg):
        tokens = list_tokens(_engine(db), username)
    if not tokens:
        console.print(t("token_tidak_ada", lg))
        return
    now = datetime.now(UTC)
    table = Table(title=t("token_judul", lg))
    for col in ("id", "pengguna", "jenis", "dibuat", "berakhir", "dipakai", "keadaan"):
        table.add_column(t(f"token_kolom_{col}", lg))
    for tok in tokens:
        table.add_row(
            tok.id,
            tok.username,
            t(f"token_jenis_{tok.kind}", lg),
            _when(tok.created_at, lg),
            _when(tok.expires_at, lg),
            _when(tok.last_used_at, lg),
            t(f"token_keadaan_{tok.state(now)}", lg),
        )
    console.print(table)


@user_app.command("revoke")
def user_revoke_command(
    token_id: Annotated[
        str | None,
        typer.Argument(help="Id from 'sinergi user tokens' (at least its first 6 characters)"),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Revoke every session and API token of this account"),
    ] = None,
    oleh: UserOption = None,
    lang: LangOption = None,
    db: DbOption = None,
) -> None:
    """Revoke one session or API token, or all of an account's; each revocation is audited."""
    from sinergi.security.users import revoke_token, revoke_user_tokens

    lg = _lang(lang)
    if (token_id is None) == (user is None):
        raise UserError(t("token_revoke_perlu_satu", lg))
    engine = _engine(db)
    with _account_errors(lg):
        if user is not None:
            n = revoke_user_tokens(engine, user, by=_user(oleh))
            console.print(t("token_dicabut_semua", lg, n=display.num(n, lg), username=user))
            return
        assert token_id is not None
        tok = revoke_token(engine, token_id, by=_user(oleh))
    console.print(
        t(
            "token_dicabut",
            lg,
            kind=t(f"token_jenis_{tok.kind}", lg),
            id=tok.id,
            username=tok.username,
        )
    )


# --- growth -------------------------------------------------------------------------------------


@app.command("anthro")
def anthro_command(
    infile: Annotated[
        Path,
        typer.Argument(help="CSV or XLSX with jk, tgl_lahir, tgl_ukur, berat, tinggi, cara_ukur"),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output CSV or XLSX")],
    sheet: Annotated[str | None, typer.Option("--sheet")] = None,
    lang: LangOption = None,
) -> None:
    """WHO 2006 z-scores and Permenkes 2/2020 categories for every row of a file."""
    from sinergi.assess.growth_file import GrowthFileError, score_file

    lg = _lang(lang)
    if not infile.exists():
        raise UserError(t("berkas_tidak_ada", lg, path=infile))
    try:
        summary = score_file(infile, out, sheet=sheet)
    except GrowthFileError as exc:
        raise UserError(str(exc)) from exc
    table = Table(title=str(out))
    table.add_column("")
    table.add_column("", justify="right")
    for key, value in summary.as_dict().items():
        table.add_row(t(f"anthro_{key}", lg), display.num(value, lg))
    console.print(table)
    for note in summary.notes:
        console.print(note, style="yellow", markup=False)


# --- synthetic data -----------------------------------------------------------------------------


@app.command("synth")
def synth_command(
    out: Annotated[Path, typer.Option("--out", help="Output folder")],
    region: Annotated[
        str, typer.Option("--region", help="xlsx: a regency; parquet: ALL, a province or regency")
    ] = "64.08",
    seed: SeedOption = 1,
    scale: ScaleOption = 1.0,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="xlsx: one regency's officer files + truth; parquet: the national Parquet layout",
        ),
    ] = "xlsx",
    workers: Annotated[
        int, typer.Option("--workers", help="parquet: regencies generated at a time")
    ] = 1,
    lang: LangOption = None,
) -> None:
    """Write a synthetic population (source files + ground truth) calibrated to the regency,
    or (--format parquet) a region's registry in the national Parquet layout."""
    from sinergi.synth import generate

    lg = _lang(lang)
    if fmt == "parquet":
        _synth_parquet(out, region, seed, scale, workers, lg)
        return
    if fmt != "xlsx":
        raise UserError(t("synth_format_tidak_dikenal", lg, fmt=fmt))
    with _progress(lg) as progress:
        summary = generate(
            out, region=region, seed=seed, scale=scale, progress=_staged(progress, lg)
        )
    console.print(
        t(
            "synth_selesai",
            lg,
            persons=display.num(summary.persons, lg),
            families=display.num(summary.families, lg),
            out=out,
        )
    )


def _synth_parquet(out: Path, region: str, seed: int, scale: float, workers: int, lg: Lang) -> None:
    """`sinergi synth --format parquet`: every regency of the region, one progress step each."""
    from sinergi.synth.national import regencies_of, write_national
    from sinergi.wilayah import UnknownRegionCode, get_wilayah

    if scale <= 0 or workers < 1:
        raise UserError(t("synth_skala_positif", lg))
    try:
        total = len(regencies_of(region))
    except UnknownRegionCode as exc:
        raise UserError(t("kode_wilayah_tidak_dikenal", lg, code=exc.region_code)) from exc
    except ValueError as exc:
        raise UserError(t("synth_wilayah_parquet", lg, code=region)) from exc
    label = t("synth_kabupaten", lg)
    with _progress(lg) as progress:
        task = progress.add_task(label, total=total)

        def report(code: str, done: int, total: int) -> None:
            name = get_wilayah().name(code)
            progress.update(task, completed=done, description=f"{label}: {code} {name}")

        summary = write_national(
            out, region=region, scale=scale, seed=seed, progress=report, workers=workers
        )
    n = summary.counts
    console.print(
        t(
            "synth_parquet_selesai",
            lg,
            regencies=display.num(summary.regencies, lg),
            families=display.num(n["families"], lg),
            persons=display.num(n["persons"], lg),
            measurements=display.num(n["measurements"], lg),
            pregnancies=display.num(n["pregnancies"], lg),
            interventions=display.num(n["interventions"], lg),
            villages=display.num(n["village_facts"], lg),
            out=out,
        )
    )


# --- demo ---------------------------------------------------------------------------------------


def _staged(progress: Progress, lg: Lang):  # type: ignore[no-untyped-def]
    """A progress callback (stage, done, total) drawing one bar per stage (``tahap_<stage>``)."""
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(t(f"tahap_{stage}", lg), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return report


@app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Demo folder")] = Path("demo"),
    seed: SeedOption = 1,
    scale: ScaleOption = 1.0,
    keep: Annotated[bool, typer.Option("--keep", help="Keep an existing demo database")] = False,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="End by serving the web app")
    ] = True,
    port: PortOption = 8000,
    lang: LangOption = None,
) -> None:
    """Synthetic Kutai Timur → import every file → assess → target → a year → web app."""
    from sinergi.demo.run import Demo

    lg = _lang(lang)
    demo = Demo(out, seed, scale)
    if not keep:
        demo.reset()
    t0 = time.perf_counter()
    console.rule(t("demo_1", lg))
    with _progress(lg) as progress:
        demo.synthesise(_staged(progress, lg))
    console.rule(t("demo_2", lg))
    with _progress(lg) as progress:
        task = progress.add_task(t("nav_impor", lg), total=1)

        def imported(name: str, done: int, total: int) -> None:
            description = name or t("nav_impor", lg)
            progress.update(task, description=description, completed=done, total=total)

        results = demo.import_all(imported, lg)
    _print_rows(
        t("demo_impor", lg),
        ["kol_berkas", "kol_baris", "kol_dimuat", "kol_ditolak", "kol_peringatan"],
        [
            [f"{r.kind}/{r.path.name}", r.rows_read, r.rows_loaded, r.rows_rejected, r.rows_warned]
            for r in results
        ],
        lg,
    )
    console.print(t("laporan_validasi", lg, path=demo.reports))
    console.rule(t("demo_3", lg))
    _print_frame(_total_named(demo.registry(), lg), demo.regency_title(), lg)
    console.rule(t("demo_tautan", lg))
    with console.status(t("link_membaca", lg)):
        linked = demo.link()
    _print_link(linked.result, lg)
    _print_rows(
        t("link_mutu", lg),
        [t("kol_cara", lg), t("kol_presisi", lg), t("kol_recall", lg)],
        [
            [name, display.dec(q.precision, lg, 4), display.dec(q.recall, lg, 4)]
            for name, q in ((t("link_model", lg), linked.ours), (t("link_nik", lg), linked.exact))
        ],
        lg,
    )
    console.rule(t("demo_4", lg))
    with console.status(t("demo_4", lg)):
        assessed = demo.assess()
    _print_frame(
        _total_named(assessed.per_kecamatan, lg),
        t(
            "penilaian_selesai",
            lg,
            run=assessed.run_id,
            rules=assessed.rules,
            date=display.tgl(assessed.reference_date, lg),
            seconds=display.dec(assessed.seconds, lg, 1),
        ),
        lg,
    )
    compared = demo.published(assessed, lg)
    if compared.notice:
        console.print(f"[bold red]{compared.notice}[/]")
    table = Table(title=t("demo_resmi", lg))
    for heading in (
        "",
        compared.heading,
        t("resmi_kol_sumber", lg),
        t("angka_resmi", lg),
        t("resmi_kol_sumber", lg),
        t("resmi_kol_banding", lg),
    ):
        table.add_column(heading)
    for row in compared.rows:
        table.add_row(
            t(row.figure, lg),
            row.ours,
            row.ours_source,
            row.published,
            row.published_source,
            row.note,
        )
    console.print(table)
    console.print(t("resmi_catatan", lg))
    with console.status(t("demo_temuan", lg, run=assessed.run_id)):
        found = _total_named(demo.case_finding(assessed.run_id, lg), lg)
    # Two tables that fit a screen: the children's codes, then everyone else's.
    children = list(found.columns[2 : found.columns.get_loc("belum_diukur") + 1])
    others = [c for c in found.columns[2:] if c not in children]
    for part, columns in (("demo_temuan_anak", children), ("demo_temuan_lain", others)):
        _print_frame(found[["kecamatan", *columns]], t(part, lg, run=assessed.run_id), lg)
    console.rule(t("demo_5", lg))
    plan = demo.water_plan(assessed.run_id, lg)
    top = plan.table.head(10)[
        [
            "peringkat",
            "kode_desa",
            "nama_desa",
            "kecamatan",
            "skor",
            "krs_kebutuhan",
            "biaya",
            "terpilih",
            "terpilih_greedy",
        ]
    ]
    _print_frame(
        top.assign(terpilih=top["terpilih"] == 1, terpilih_greedy=top["terpilih_greedy"] == 1),
        t("demo_top10", lg, budget=display.num(plan.budget, lg)),
        lg,
        places={"skor": 3},
    )
    console.print(
        t(
            "demo_optimal_vs_greedy",
            lg,
            best=display.num(plan.reached, lg),
            greedy=display.num(plan.reached_greedy, lg),
            gain=display.num(plan.reached - plan.reached_greedy, lg),
        )
    )
    console.rule(t("demo_6", lg))
    with console.status(t("demo_tahun", lg)) as status:
        year = demo.year(
            assessed.run_id,
            step=lambda code: status.update(f"{t('demo_tahun', lg)}: {t(code, lg)}"),
        )
    st = year.result.status_import
    console.print(
        t(
            "demo_tahun_ringkas",
            lg,
            proposals=display.num(year.result.proposals, lg),
            rows=display.num(st.rows_read, lg),
            rejected=display.num(st.rows_rejected, lg),
            villages=", ".join(year.result.villages_operating) or "-",
            households=display.num(year.result.households_connected, lg),
            updated=display.num(year.result.family_update.rows_loaded, lg),
        )
    )
    _print_rows(
        t("demo_konvergensi", lg, before=year.run_before, after=year.run_after),
        ["", "sebelum", "sesudah"],
        [
            [
                t(f"kol_{key}", lg),
                _figure(key, year.before[key], lg),
                _figure(key, year.after[key], lg),
            ]
            for key in year.before
        ],
        lg,
    )
    with console.status(t("demo_laporan", lg)):
        written = demo.meeting_reports(lg)
    for done in written:
        console.print(
            t(
                "demo_laporan_ditulis",
                lg,
                path=done.path,
                pages=display.num(done.pages, lg),
                seconds=display.dec(done.seconds, lg, 1),
            )
        )
    seconds = display.num(time.perf_counter() - t0, lg)
    console.print(t("basis_data", lg, url=demo.url, seconds=seconds))
    accounts = demo.accounts()
    if accounts:
        _print_rows(t("demo_akun", lg), ["nama_pengguna", "peran", "kata_sandi"], accounts, lg)
    else:
        console.print(t("demo_akun_ada", lg))
    if serve:
        from sinergi.web.cli import serve as serve_web

        console.rule(t("demo_7", lg, url=f"http://127.0.0.1:{port}/"))
        serve_web(demo.url, "127.0.0.1", port)


# --- tables on the screen -------------------------------------------------------------------------


def _total_named(frame: pd.DataFrame, lg: Lang) -> pd.DataFrame:
    """The per-kecamatan summaries name their last row 'Jumlah'; on the screen it reads in the
    reader's language."""
    return frame.replace({"kecamatan": {"Jumlah": t("jumlah_semua", lg)}})


def _figure(column: str, value: object, lg: Lang, places: int | None = None) -> str:
    """One value of a printed table, written for the reader: rupiah in money columns, a percentage
    in ``*_pct`` / ``*_persen`` columns, ``places`` decimals when given, yes or no for a boolean,
    otherwise as `display.cell` writes it."""
    from sinergi.core.values import clean
    from sinergi.reports.tables import is_rupiah

    value = clean(value)
    if isinstance(value, bool):
        return t("ya" if value else "tidak", lg)
    if isinstance(value, int | float) and not display.missing(value):
        if is_rupiah(column):
            return display.rp(value, lg)
        if column.endswith(("_pct", "_persen")):
            return display.pct(value, lg)
        if places is not None:
            return display.dec(value, lg, places)
    return display.cell(value, lg)


def _table(title: str, columns: tuple[str, ...] | list[str], lg: Lang) -> Table:
    """A Rich table whose headers are the catalogue's words for the columns (``kol_<column>``)."""
    table = Table(title=title)
    for col in columns:
        table.add_column(t(f"kol_{col}", lg))
    return table


def _print_rows(title: str, header: list[str], rows: list, lg: Lang) -> None:  # type: ignore[type-arg]
    """A table from rows; ``header`` holds message codes ('' for an unnamed first column)."""
    table = Table(title=title)
    for i, code in enumerate(header):
        table.add_column(t(code, lg) if code else "", justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*[_figure("", v, lg) for v in row])
    console.print(table)


def _print_frame(frame, title: str, lg: Lang, places: dict[str, int] | None = None) -> None:  # type: ignore[no-untyped-def]
    """A data frame as a table: headers ``kol_<column>`` from the catalogue, values by `_figure`;
    a float column holding only whole numbers is written without decimals."""
    places = dict(places or {})
    for col in frame.columns:
        series = frame[col]
        whole = pd.api.types.is_float_dtype(series) and bool((series.dropna() % 1 == 0).all())
        if whole and col not in places:
            places[col] = 0
    table = Table(title=title, show_footer=False)
    for col in frame.columns:
        kind = pd.api.types.infer_dtype(frame[col], skipna=True)
        numeric = kind in ("integer", "floating", "mixed-integer-float", "decimal", "boolean")
        table.add_column(t(f"kol_{col}", lg), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(
            *[
                _figure(str(col), v, lg, places.get(col))
                for col, v in zip(frame.columns, row, strict=True)
            ]
        )
    console.print(table)


@app.command("db-upgrade")
def db_upgrade_command(lang: LangOption = None, db: DbOption = None) -> None:
    """Bring the database schema to the newest migration."""
    from sinergi.store.db import upgrade

    upgrade(_database_url(db))
    console.print(t("basis_data_mutakhir", _lang(lang)))


def main() -> None:
    """Entry point: user errors print one sentence; unexpected ones a reference to the log."""
    try:
        app()
    except UserError as exc:
        err.print(f"[red]{exc}[/red]")
        sys.exit(2)
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log = Path(os.environ.get("SINERGI_LOG", "sinergi-error.log"))
        logging.basicConfig(filename=log, level=logging.ERROR)
        logging.getLogger("sinergi").error("reference %s\n%s", ref, traceback.format_exc())
        err.print(f"[red]{t('kesalahan_tak_terduga', _lang(None), ref=ref, log=log)}[/red]")
        sys.exit(1)


# `sinergi field …`: the offline field forms (ODK Collect / KoboToolbox, ODK Central).
from sinergi.field.cli import field_app  # noqa: E402

app.add_typer(field_app, name="field")

# `sinergi verifikasi …`: village findings waiting for approval, approve, reject.
from sinergi.registry.verify_cli import verifikasi_app  # noqa: E402

app.add_typer(verifikasi_app, name="verifikasi")

# `sinergi batch …`: the national jobs over a Parquet registry extract (DuckDB or Spark).
from sinergi.batch.cli import batch_app  # noqa: E402

app.add_typer(batch_app, name="batch")
