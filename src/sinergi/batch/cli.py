"""``sinergi batch``: the national jobs over a registry extract (registered in `sinergi.cli`).

``assess`` classifies every family, ``coverage`` counts the coverage figures per village and
area (`sinergi.batch.jobs`), ``missed`` lists the case-finding rows (`sinergi.batch.missed`);
each reads the extract of ``sinergi export parquet`` (``--input``) on DuckDB or Spark
(``--engine``) and writes Parquet partitioned by province under ``--out``, then prints its
counts per province.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sinergi.cli_options import DbOption, LangOption, UserOption
from sinergi.messages import Lang, t

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlalchemy import Engine

    from sinergi.batch.engine import Extract, ProgressHook
    from sinergi.batch.monitor import Step
    from sinergi.security.auth import User

# The help of the group, its commands and options is the catalogue's (bantuan_batch_*, put in
# place by `sinergi.cli`), in the reader's language.
batch_app: typer.Typer = typer.Typer(no_args_is_help=True)

EngineOption = Annotated[str, typer.Option("--engine")]
InputOption = Annotated[Path, typer.Option("--input")]
OutOption = Annotated[Path, typer.Option("--out")]
DateOption = Annotated[str | None, typer.Option("--date")]
RulesetOption = Annotated[str | None, typer.Option("--ruleset")]
MasterOption = Annotated[str | None, typer.Option("--master")]
MemoryOption = Annotated[str, typer.Option("--memory-limit")]
ProvincesOption = Annotated[str | None, typer.Option("--provinsi")]
MonthsOption = Annotated[int, typer.Option("--months")]
SemuaOption = Annotated[bool, typer.Option("--semua")]


@contextmanager
def _extract(
    engine: str,
    input_dir: Path,
    out: Path,
    master: str | None,
    memory_limit: str,
    provinsi: str | None,
    lg: Lang,
) -> Iterator[Extract]:
    """The extract opened on ``engine``; a wrong engine, folder or limit, or a job that outgrows
    the limit, is a user error. DuckDB spills beyond the limit into a folder of its own under
    ``out`` (readable by the owner only: the rows hold names), removed when the job ends."""
    import duckdb

    from sinergi.batch.engine import (
        ENGINES,
        BadMemoryLimit,
        UnknownEngine,
        close_extract,
        open_extract,
    )
    from sinergi.cli import UserError
    from sinergi.store.parquet_layout import SchemaMismatch

    provinces = [p.strip() for p in provinsi.split(",") if p.strip()] if provinsi else None
    spill: Path | None = None
    if engine == "duckdb":
        out.mkdir(parents=True, exist_ok=True)
        spill = Path(tempfile.mkdtemp(prefix=".sementara-", dir=out))  # mode 0700
    try:
        try:
            extract = open_extract(
                engine,
                input_dir,
                master=master,
                memory_limit=memory_limit,
                provinces=provinces,
                temp_dir=spill,
            )
        except UnknownEngine as exc:
            raise UserError(
                t("batch_mesin_tidak_dikenal", lg, engine=engine, choices=", ".join(ENGINES))
            ) from exc
        except BadMemoryLimit as exc:
            raise UserError(t("batch_memori_salah", lg, value=memory_limit)) from exc
        except SchemaMismatch as exc:
            raise UserError(t("batch_bukan_ekstrak", lg, path=input_dir, detail=exc)) from exc
        except ImportError as exc:
            raise UserError(t("batch_spark_tidak_terpasang", lg, detail=exc)) from exc
        try:
            yield extract
        except duckdb.OutOfMemoryException as exc:
            detail = str(exc).splitlines()[0]
            raise UserError(t("batch_memori_habis", lg, limit=memory_limit, detail=detail)) from exc
        finally:
            close_extract(extract)
    finally:
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)


def _admitted(
    jobs: tuple[str, ...], oleh: str | None, db: str | None, lg: Lang
) -> tuple[Engine, User]:
    """The registry and who asks, once the door (`sinergi.batch.door.admit`) has let them run
    each of ``jobs``: before a row of the extract is read."""
    from sinergi.batch.door import BatchRefused, admit
    from sinergi.cli import UserError, _engine
    from sinergi.security.auth import server_user

    registry, user = _engine(db), server_user(oleh)
    try:
        for job in jobs:
            admit(user, job)
    except BatchRefused as exc:
        raise UserError(exc.message(lg)) from exc
    return registry, user


def _recorded(
    registry: Engine, user: User, job: str, engine: str, input_dir: Path, folder: Path, lg: Lang
) -> int:
    """`sinergi.batch.door.record`: the result's rows, recorded (or the result removed)."""
    from sinergi.batch.door import BatchNotRecorded, record
    from sinergi.cli import UserError

    try:
        return record(registry, user, job, engine=engine, input_dir=input_dir, folder=folder)
    except BatchNotRecorded as exc:
        raise UserError(exc.message(lg)) from exc


Summary = Callable[[Path], object]


def _summaries(lg: Lang, months: int = 3) -> dict[str, Summary]:
    """What each job prints of its written result, per province."""
    from sinergi.batch.jobs import assess_counts, coverage_summary
    from sinergi.batch.missed import missed_counts

    return {
        "assess": assess_counts,
        "coverage": coverage_summary,
        "missed": lambda folder: missed_counts(folder, lg, months),
    }


def _progress_of(bar: Progress, job: str, lg: Lang) -> ProgressHook:
    """`Extract.progress` for ``job``: a line of ``bar`` from the job's start, its time elapsed
    and, from its first report on, what is done of how many (a job on Spark reports nothing:
    Spark's UI shows its stages)."""
    task = bar.add_task(t("batch_berjalan", lg, job=job), total=None)

    def advance(unit: str, done: int, total: int) -> None:
        what = t("batch_kemajuan", lg, job=job, unit=t(f"batch_satuan_{unit}", lg))
        bar.update(task, description=what, completed=done, total=total)

    return advance


def _run(
    jobs: dict[str, tuple[Step, Summary]],
    engine: str,
    input_dir: Path,
    out: Path,
    on: str | None,
    ruleset: str | None,
    master: str | None,
    memory_limit: str,
    provinsi: str | None,
    lang: str | None,
    oleh: str | None,
    db: str | None,
) -> None:
    """What every batch command does: ask the door (for each of its ``jobs``), open the extract
    once, run the jobs in turn, each result recorded in the audit log as soon as it is written,
    say where its rows went, show counts."""
    from sinergi.cli import _lang, _parse_date, _print_frame, _progress, _ruleset, console
    from sinergi.core import display
    from sinergi.settings import get_settings

    lg = _lang(lang)
    rs = _ruleset(ruleset or get_settings().ruleset, lg)
    ref = _parse_date(on, lg)
    registry, user = _admitted(tuple(jobs), oleh, db, lg)
    written: list[tuple[str, Path, int, float]] = []
    with (
        _extract(engine, input_dir, out, master, memory_limit, provinsi, lg) as extract,
        _progress(lg) as bar,
    ):
        for job, (runner, _) in jobs.items():
            t0 = time.perf_counter()
            extract.progress = _progress_of(bar, job, lg)
            folder = runner(extract, rs, ref, out)
            rows = _recorded(registry, user, job, engine, input_dir, folder, lg)
            written.append((job, folder, rows, time.perf_counter() - t0))
    for job, folder, rows, seconds in written:
        console.print(
            t(
                "batch_selesai",
                lg,
                job=job,
                engine=engine,
                rows=display.num(rows, lg),
                path=folder,
                seconds=display.dec(seconds, lg, 1),
                user=user.username,
            )
        )
        _print_frame(jobs[job][1](folder), t("batch_per_provinsi", lg), lg)


@batch_app.command("assess")
def assess_command(
    input_dir: InputOption,
    out: OutOption,
    engine: EngineOption = "duckdb",
    on: DateOption = None,
    ruleset: RulesetOption = None,
    master: MasterOption = None,
    memory_limit: MemoryOption = "16GB",
    provinsi: ProvincesOption = None,
    lang: LangOption = None,
    oleh: UserOption = None,
    db: DbOption = None,
) -> None:
    """Classify every family of the extract (sasaran, KRS factors, extreme poverty), one row per
    family with the columns of `sinergi export assessment` the extract gives."""
    from sinergi.batch.jobs import run_assess
    from sinergi.cli import _lang

    _run(
        {"assess": (run_assess, _summaries(_lang(lang))["assess"])},
        engine,
        input_dir,
        out,
        on,
        ruleset,
        master,
        memory_limit,
        provinsi,
        lang,
        oleh,
        db,
    )


@batch_app.command("coverage")
def coverage_command(
    input_dir: InputOption,
    out: OutOption,
    engine: EngineOption = "duckdb",
    on: DateOption = None,
    ruleset: RulesetOption = None,
    master: MasterOption = None,
    memory_limit: MemoryOption = "16GB",
    provinsi: ProvincesOption = None,
    lang: LangOption = None,
    oleh: UserOption = None,
    db: DbOption = None,
) -> None:
    """Per village, kecamatan, regency and province: needs met and served, convergence, KRS
    families no programme reached, extreme poor without aid (`sinergi coverage`'s figures)."""
    from sinergi.batch.jobs import run_coverage
    from sinergi.cli import _lang

    _run(
        {"coverage": (run_coverage, _summaries(_lang(lang))["coverage"])},
        engine,
        input_dir,
        out,
        on,
        ruleset,
        master,
        memory_limit,
        provinsi,
        lang,
        oleh,
        db,
    )


@batch_app.command("missed")
def missed_command(
    input_dir: InputOption,
    out: OutOption,
    engine: EngineOption = "duckdb",
    on: DateOption = None,
    ruleset: RulesetOption = None,
    master: MasterOption = None,
    memory_limit: MemoryOption = "16GB",
    provinsi: ProvincesOption = None,
    months: MonthsOption = 3,
    semua: SemuaOption = False,
    lang: LangOption = None,
    oleh: UserOption = None,
    db: DbOption = None,
) -> None:
    """The children's rows of `sinergi missed`: stunted/wasted children whose family is not on
    the KRS list (or not registered), every child signal, registered under-fives not measured
    recently. Children attach by No KK, parent's NIK or own NIK (no person links in an extract);
    pregnancy rows are not listed (`sinergi.batch.missed`)."""
    from sinergi.batch.monitor import missed_step
    from sinergi.cli import _lang

    lg = _lang(lang)
    step = missed_step(lg, months, semua)
    _run(
        {"missed": (step, _summaries(lg, months)["missed"])},
        engine,
        input_dir,
        out,
        on,
        ruleset,
        master,
        memory_limit,
        provinsi,
        lang,
        oleh,
        db,
    )


@batch_app.command("monitor")
def monitor_command(
    input_dir: InputOption,
    out: OutOption,
    engine: EngineOption = "duckdb",
    on: DateOption = None,
    ruleset: RulesetOption = None,
    master: MasterOption = None,
    memory_limit: MemoryOption = "16GB",
    provinsi: ProvincesOption = None,
    months: MonthsOption = 3,
    semua: SemuaOption = False,
    lang: LangOption = None,
    oleh: UserOption = None,
    db: DbOption = None,
) -> None:
    """assess, coverage and missed in one job, the families assessed once: the same three
    results as the three commands (`sinergi.batch.monitor`)."""
    from sinergi.batch.monitor import monitor_steps
    from sinergi.cli import _lang

    lg = _lang(lang)
    summaries = _summaries(lg, months)
    _run(
        {job: (step, summaries[job]) for job, step in monitor_steps(lg, months, semua).items()},
        engine,
        input_dir,
        out,
        on,
        ruleset,
        master,
        memory_limit,
        provinsi,
        lang,
        oleh,
        db,
    )


# `sinergi batch prioritize` (national village selection) is registered below this line.


@batch_app.command("prioritize")
def prioritize_command(
    programme: Annotated[str, typer.Argument()],
    input_dir: InputOption,
    out: OutOption,
    engine: EngineOption = "duckdb",
    budget: Annotated[str | None, typer.Option("--budget")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit")] = 30.0,
    on: DateOption = None,
    ruleset: RulesetOption = None,
    master: MasterOption = None,
    memory_limit: MemoryOption = "16GB",
    provinsi: ProvincesOption = None,
    lang: LangOption = None,
    oleh: UserOption = None,
    db: DbOption = None,
) -> None:
    """Choose a village programme's villages for the whole country within one budget: benefit
    per rupiah nationally, HiGHS per province, the gap to the LP bound reported
    (`sinergi.targeting.national`); one row per village with the app's prioritize columns."""
    import pyarrow.compute as pc

    from sinergi.batch.engine import read_result
    from sinergi.batch.prioritize import REPORT_FILE, check_programme, run_prioritize
    from sinergi.cli import (
        UserError,
        _lang,
        _parse_date,
        _print_frame,
        _programme,
        _ruleset,
        _rupiah,
        console,
    )
    from sinergi.core import display
    from sinergi.settings import get_settings
    from sinergi.targeting.programmes import ProgrammeError

    lg = _lang(lang)
    prog = _programme(programme, lg)
    try:
        check_programme(prog)
    except ProgrammeError as exc:
        raise UserError(t("program_error", lg, detail=exc.message(lg))) from exc
    amount = _rupiah(budget, lg) if budget else None
    rs = _ruleset(ruleset or get_settings().ruleset, lg)
    ref = _parse_date(on, lg)
    registry, user = _admitted(("prioritize",), oleh, db, lg)
    t0 = time.perf_counter()
    with _extract(engine, input_dir, out, master, memory_limit, provinsi, lg) as extract:
        folder, report = run_prioritize(extract, rs, ref, prog, out, amount, time_limit, lg)
    rows = _recorded(registry, user, "prioritize", engine, input_dir, folder, lg)
    # The villages chosen only, four columns: not the whole national result.
    chosen = read_result(
        out,
        "prioritize",
        ["provinsi", "kode_desa", "krs_kebutuhan", "biaya"],
        pc.field("terpilih") == 1,
    )
    console.print(
        t(
            "batch_selesai",
            lg,
            job="prioritize",
            engine=engine,
            rows=display.num(rows, lg),
            path=folder,
            seconds=display.dec(time.perf_counter() - t0, lg, 1),
            user=user.username,
        )
    )
    console.print(
        t(
            "batch_prioritas_hasil",
            lg,
            villages=display.num(len(chosen), lg),
            benefit=display.num(report.benefit, lg),
            cost=display.rp(report.cost, lg),
            budget=display.rp(report.budget, lg),
            bound=display.dec(report.lp_bound, lg, 1),
            gap=display.pct(100 * report.gap, lg, 4),
            proof=t("batch_prioritas_optimal" if report.optimal else "batch_prioritas_batas", lg),
            greedy=display.num(report.greedy_benefit, lg),
            report=out / REPORT_FILE,
        )
    )
    per_province = (
        chosen.groupby("provinsi", as_index=False)
        .agg(
            desa_terpilih=("kode_desa", "size"),
            keluarga_terjangkau=("krs_kebutuhan", "sum"),
            biaya_terpakai=("biaya", "sum"),
        )
        .sort_values("provinsi")
    )
    _print_frame(per_province, t("batch_per_provinsi", lg), lg)


if __name__ == "__main__":  # spark-submit runs this file (docs/operations.md)
    import sys

    from sinergi.cli import app  # the main group: help and errors in the reader's language

    app(args=["batch", *sys.argv[1:]], prog_name="sinergi")
