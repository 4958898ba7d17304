"""``batch monitor``: the three results a national office reads every month (``assess``,
``coverage``, ``missed``) from one reading of the extract.

Run one by one, ``batch coverage`` assesses every family of the nation again (the assessment is
most of its time: 95 M families, benchmarks/national_bench.py). Here the families are assessed
once, by ``batch assess`` (`sinergi.batch.jobs.run_assess`), and coverage counts that written
result (`sinergi.batch.jobs.written_assessment`), and ``batch missed`` takes the KRS flag of the
families its children name from it too. Each result is the same, row for row, as its own command's
(tests/test_batch_monitor.py), and each is recorded in the audit log as soon as it is written
(`sinergi.batch.cli`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sinergi.batch.engine import Extract, result_table
from sinergi.batch.jobs import ASSESS_SCHEMA, run_assess, run_coverage, written_assessment
from sinergi.batch.missed import run_missed
from sinergi.messages import Lang
from sinergi.rules import RuleSet

Step = Callable[[Extract, RuleSet, date, Path], Path]


def missed_step(
    lang: Lang = "id", months: int = 3, include_cleared: bool = False, after_assess: bool = False
) -> Step:
    """``batch missed``: on its own, the families its children name assessed as they are read;
    ``after_assess`` (in ``batch monitor``), their KRS flag taken from ``<out>/assess``."""

    def missed(extract: Extract, rs: RuleSet, ref: date, out: Path) -> Path:
        written = result_table(extract, out, "assess", ASSESS_SCHEMA) if after_assess else None
        return run_missed(extract, rs, ref, out, lang, months, include_cleared, written)

    return missed


def monitor_steps(
    lang: Lang = "id", months: int = 3, include_cleared: bool = False
) -> dict[str, Step]:
    """The steps of ``batch monitor`` by job (`JOBS`), each writing ``<out>/<job>`` and
    returning that folder."""

    def coverage(extract: Extract, rs: RuleSet, ref: date, out: Path) -> Path:
        return run_coverage(extract, rs, ref, out, written_assessment(extract, out))

    missed = missed_step(lang, months, include_cleared, after_assess=True)
    return {"assess": run_assess, "coverage": coverage, "missed": missed}


# The jobs of ``batch monitor``, in the order they run (coverage reads what assess wrote).
JOBS: tuple[str, ...] = tuple(monitor_steps())
