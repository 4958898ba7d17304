"""The demo's story, step by step (`sinergi demo` prints each step; the tests call them).

1. a synthetic Kutai Timur with its officers' files and ground truth;
2. every file imported through the import door, with a validation report per file;
3. the registry per kecamatan;
4. the assessment, beside the published figures (each side naming its period and kind of
   source; synthetic data said to be synthetic), and the case-finding lists per kecamatan;
5. one village, one water network: the optimiser beside "the top of the ranking until the money
   runs out";
6. a seeded year of delivery, reassessed six months on, convergence before and after;
7. one web account per office and role, each agency's holding its programmes.

Each step returns data; nothing here prints.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.assess.missed import SIGNALS
from sinergi.assess.pregnancy import CODES as PREGNANCY_CODES
from sinergi.core.totals import with_total
from sinergi.demo.year import USER, YearResult, simulate_year
from sinergi.ingest.report import write_report
from sinergi.messages import Lang
from sinergi.monitor.missed import UNREACHED
from sinergi.registry.importer import ImportResult
from sinergi.rules import load_ruleset
from sinergi.security.auth import server_user
from sinergi.security.imports import import_as
from sinergi.security.users import count_users, create_user, new_password
from sinergi.settings import get_settings
from sinergi.store.db import ensure_schema
from sinergi.synth import Progress, SynthSummary, generate, source_files
from sinergi.targeting.catalogue import sync_catalogue
from sinergi.targeting.plan import VillagePlan, village_plan
from sinergi.targeting.programmes import load_catalogue, load_programme
from sinergi.wilayah import get_wilayah

if TYPE_CHECKING:
    from sinergi.assess.summary import Comparison
    from sinergi.link.quality import Quality
    from sinergi.link.run import LinkResult
    from sinergi.reports.kinds import Written

REGENCY = "64.08"
# Figures of the kabupaten shown before and after the year (monitor.coverage columns).
YEAR_FIGURES = (
    "krs",
    "konvergen",
    "konvergensi_pct",
    "konvergen_dilayani",
    "konvergensi_dilayani_pct",
    "krs_tanpa_intervensi",
    "miskin_ekstrem_tanpa_bantuan",
    "perlu_air_minum_tidak_layak",
    "terpenuhi_air_minum_tidak_layak",
    "prevalensi_stunting_pct",
)
WATER_PROGRAMME = "air-bersih"
# The columns of the case-finding table per kecamatan (`Demo.case_finding`): every code of the
# missed list (`sinergi missed`) in the order an officer reads them, and the further couples.
CASE_FINDING: tuple[str, ...] = (
    "anak_bukan_krs",
    "anak_tidak_terdaftar",
    "anak_perlu_tinjauan",
    "anak_tidak_terhubung",
    *SIGNALS,
    "belum_diukur",
    *PREGNANCY_CODES,
    UNREACHED,
)
FURTHER_COUPLES = "pasangan_tambahan"


@dataclass(frozen=True)
class Linked:
    result: LinkResult
    ours: Quality
    exact: Quality


@dataclass
class Assessed:
    run_id: int
    rules: str
    reference_date: date
    seconds: float
    per_kecamatan: pd.DataFrame  # one row per kecamatan and a total row last


@dataclass
class Year:
    result: YearResult
    run_before: int
    run_after: int
    before: dict[str, Any]  # YEAR_FIGURES of the kabupaten
    after: dict[str, Any]


# One account per office and role, the village one scoped to a real village: (username, role,
# wilayah, agency). An office's account holds the programmes whose file names it as `agency`
# (`demo_accounts`), so the programme files alone say who runs what.
DEMO_ACCOUNTS: tuple[tuple[str, str, list[str], str | None], ...] = (
    ("admin", "admin", [], None),
    ("dppkb", "dppkb", [], "DPPKB"),
    ("dinkes", "instansi", [], "Dinkes"),
    ("pu", "instansi", [], "PU"),
    ("perkim", "instansi", [], "Perkim"),
    ("baznas", "instansi", [], "Baznas"),
    ("desa", "desa", ["64.08.04.2001"], "Desa"),
    ("analis", "analis", [], None),
    ("auditor", "auditor", [], None),
)


def demo_accounts() -> list[tuple[str, str, list[str], list[str]]]:
    """The demo's accounts as (username, role, wilayah, programmes), each office holding its
    programmes of the catalogue. An agency whose programmes the catalogue lacks (a custom
    `SINERGI_PROGRAMMES_PATH`) gets no account: an agency account without programmes sees
    nothing."""
    catalogue = load_catalogue()
    accounts = []
    for username, role, wilayah, agency in DEMO_ACCOUNTS:
        own = sorted(code for code, prog in catalogue.items() if prog.agency == agency)
        if role == "instansi" and not own:
            continue
        accounts.append((username, role, wilayah, own))
    return accounts


def create_demo_accounts(engine: Engine) -> list[tuple[str, str, str]]:
    """One account per office and role with a random password, only when no account exists yet.

    Returns (username, role, password) once, for the CLI to print; only argon2 hashes are kept.
    """
    if count_users(engine):
        return []
    created = []
    for username, role, wilayah, program in demo_accounts():
        password = new_password(username)
        create_user(engine, username, role, wilayah, program, password)
        created.append((username, role, password))
    return created


class Demo:
    """The demo in a folder: ``out/data`` (the synthetic files), ``out/laporan`` (validation
    reports), ``out/sinergi.db`` (the SQLite database)."""

    def __init__(self, out: Path, seed: int = 1, scale: float = 1.0) -> None:
        self.out, self.seed, self.scale = out, seed, scale
        self.data = out / "data"
        self.reports = out / "laporan"
        self.db_path = out / "sinergi.db"
        out.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{self.db_path}"
        self.summary: SynthSummary | None = None
        self._engine: Engine | None = None

    def reset(self) -> None:
        """Start afresh: the synthetic files and the database of an earlier demo go."""
        shutil.rmtree(self.data, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = ensure_schema(self.url)
        return self._engine

    def regency_title(self) -> str:
        """The regency's name and code, as the tables' title (Kabupaten Kutai Timur (64.08))."""
        return f"{get_wilayah().name(REGENCY)} ({REGENCY})"

    @property
    def reference_date(self) -> date:
        """The day the synthetic data describe: the demo assesses on it."""
        if self.summary is None:
            raise RuntimeError("synthesise first")
        return date.fromisoformat(self.summary.ref_date)

    # 1 ----------------------------------------------------------------------------------------
    def synthesise(self, progress: Progress | None = None) -> SynthSummary:
        self.summary = generate(
            self.data, region=REGENCY, seed=self.seed, scale=self.scale, progress=progress
        )
        return self.summary

    # 2 ----------------------------------------------------------------------------------------
    def import_all(self, progress: Progress | None = None, lang: Lang = "id") -> list[ImportResult]:
        """Every file, in load order, as the server's administrator, each dated the synthetic
        set's reference date (the day its data describe); a report per file with problems in
        ``out/laporan``."""
        files = source_files(self.data)
        results = []
        for i, (kind, path) in enumerate(files):
            if progress:
                progress(f"{kind}: {path.name}", i, len(files))
            result = import_as(
                self.engine,
                server_user(USER),
                kind,
                path,
                as_of=self.reference_date,
                via="cli",
            )
            if result.issues:
                write_report(
                    self.reports / f"{path.stem}.laporan.xlsx",
                    path.name,
                    result.sheet,
                    result.issues,
                    lang,
                )
            results.append(result)
        if progress:
            progress("", len(files), len(files))
        return results

    # 3 ----------------------------------------------------------------------------------------
    def registry(self) -> pd.DataFrame:
        from sinergi.registry.summary import kecamatan_summary

        return kecamatan_summary(self.engine, REGENCY, self.reference_date)

    # 3b ---------------------------------------------------------------------------------------
    def link(self) -> Linked:
        """Link the e-PPGBM children to the roster persons (`sinergi.link`), and measure the
        clusters against the synthetic truth beside exact-NIK linkage."""
        from sinergi.link.quality import evaluate
        from sinergi.link.run import link

        result = link(self.engine, oleh=USER)
        ours, exact = evaluate(self.engine, self.data / "truth")
        return Linked(result, ours, exact)

    # 4 ----------------------------------------------------------------------------------------
    def assess(self, when: date | None = None) -> Assessed:
        from sinergi.assess.run import assess
        from sinergi.assess.summary import kecamatan_assessment

        rules = load_ruleset(get_settings().ruleset)
        ref = when or self.reference_date
        run = assess(self.engine, rules, ref)
        frame = kecamatan_assessment(self.engine, run.run_id)
        return Assessed(run.run_id, rules.label, ref, run.seconds, frame)

    def published(self, assessed: Assessed, lang: Lang = "id") -> Comparison:
        """Our figures beside the published ones, each side with its period and kind of source,
        the data said to be synthetic when they are (`sinergi.assess.summary.compare_published`,
        the dashboard's comparison too)."""
        from sinergi.assess.summary import compare_published

        return compare_published(self.engine, assessed.run_id, lang)

    def case_finding(self, run_id: int, lang: Lang = "id") -> pd.DataFrame:
        """Per kecamatan (``kode``, ``kecamatan``): how many rows of each code the missed list
        of `sinergi missed` holds for run ``run_id`` (`sinergi.monitor.missed.everyone_missed`,
        findings a delivered programme cleared left out, as there), one column per code of
        `CASE_FINDING`, and ``pasangan_tambahan``: the PUS couples of a KK beyond its first
        (from the run's ``pasangan``). The last row is the total, named in ``lang``."""
        from sinergi.monitor.missed import everyone_missed
        from sinergi.rules.pasangan import parse_pasangan
        from sinergi.store.frames import read_frame
        from sinergi.store.tables import assessment_families

        found = everyone_missed(self.engine, run_id, lang)
        f = assessment_families.c
        with self.engine.connect() as conn:
            couples = read_frame(conn, select(f.kode_desa, f.pasangan).where(f.run_id == run_id))
        # A code the list may gain later gets a column too, after the known ones: the table
        # always adds up to the list.
        codes = [*CASE_FINDING, *sorted(set(found["kode_alasan"]) - set(CASE_FINDING))]
        kode = found["kode_desa"].fillna("").str[:8].rename("kode")
        counts = pd.crosstab(kode, found["kode_alasan"]).reindex(columns=codes)
        further = (
            pd.Series(
                [max(len(parse_pasangan(text)) - 1, 0) for text in couples["pasangan"]],
                index=couples["kode_desa"].str[:8].rename("kode"),
                name=FURTHER_COUPLES,
            )
            .groupby(level=0)
            .sum()
        )
        table = counts.join(further, how="outer").fillna(0).astype(int)
        table = table.rename_axis(index="kode", columns=None).sort_index().reset_index()
        names = get_wilayah()
        table.insert(1, "kecamatan", [names.name(k, "-") for k in table["kode"]])
        return with_total(table, lang, code_column="kode", name_column="kecamatan")

    # 5 ----------------------------------------------------------------------------------------
    def water_plan(self, run_id: int, lang: Lang = "id") -> VillagePlan:
        return village_plan(self.engine, run_id, load_programme(WATER_PROGRAMME), lang=lang)

    # 6 ----------------------------------------------------------------------------------------
    def year(self, run_id: int, step: Callable[[str], None] | None = None) -> Year:
        """A seeded year of delivery, then a new assessment six months after the first."""
        from sinergi.monitor.coverage import coverage

        sync_catalogue(self.engine)
        ref = self.reference_date
        before = coverage(self.engine, run_id, "kabupaten").iloc[0]
        result = simulate_year(
            self.engine, run_id, self.data / "tahun-1", ref + timedelta(days=1), self.seed, step
        )
        later = self.assess(ref + timedelta(days=181))
        after = coverage(self.engine, later.run_id, "kabupaten").iloc[0]
        pick = lambda row: {k: row.get(k) for k in YEAR_FIGURES}  # noqa: E731
        return Year(result, run_id, later.run_id, pick(before), pick(after))

    # 6b ---------------------------------------------------------------------------------------
    def meeting_reports(self, lang: Lang = "id") -> list[Written]:
        """The meeting-ready reports of the latest assessment, as PDF in ``out/laporan``: the
        regency's TPPS semester report (beside the previous semester's assessment) and the musdes
        sheet of the demo village account's village (`sinergi.reports`)."""
        from sinergi.reports.kinds import build_report
        from sinergi.reports.kinds import write_report as write_laporan

        user = server_user(USER)
        village = next(w[0] for name, _, w, _ in DEMO_ACCOUNTS if name == "desa")
        written = []
        for kind, options in (("tpps", {}), ("musdes", {"desa": village})):
            laporan = build_report(kind, self.engine, user, lang, **options)
            path = self.reports / f"{kind}.pdf"
            written.append(write_laporan(self.engine, user, kind, laporan, path, options))
        return written

    # 7 ----------------------------------------------------------------------------------------
    def accounts(self) -> list[tuple[str, str, str]]:
        """One web account per office and role (username, role, password shown once), when none
        exists."""
        return create_demo_accounts(self.engine)
