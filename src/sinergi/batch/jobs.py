"""The batch jobs over a registry extract: the app's own definitions, evaluated by DuckDB or Spark.

``assess``: every family classified by the ONE rule compiler (`sinergi.rules.compile`) through
the app's own assessment expression (`sinergi.assess.run.assessed_families`: the same filters,
the same texts, written by the engine), so a family's row reads as the app's ``sinergi export
assessment`` row, with no Python step between the engine and the Parquet files.

``coverage``: per village, kecamatan, regency and province the figures of `sinergi coverage`
(`sinergi.monitor.coverage`) that an extract can give, see `coverage_expr`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sinergi.assess import run as app_run
from sinergi.assess.prevalence import prevalence
from sinergi.assess.summary import FAMILY_RESULT
from sinergi.batch.engine import (
    RESULT_PARTITION,
    Extract,
    by_province,
    fetch,
    materialize,
    per_province,
    read_result,
    result_table,
    write_result,
)
from sinergi.monitor.coverage import (
    COUNT_COLUMNS,
    FACTOR_KINDS,
    INACTIVE_INTERVENTION,
    LEVELS,
    PRINTED_COLUMNS,
    TAIL_COLUMNS,
    area_counts,
    delivery_masks,
    factor_bits,
    family_flags,
)
from sinergi.rules import RuleSet
from sinergi.rules.ruleset import FACTOR_CODES
from sinergi.wilayah import get_wilayah

# The result of ``batch assess``: the columns of ``sinergi export assessment`` the extract gives
# (the children's figures and findings come from the measurements: ``batch missed``), ``pasangan``
# in its stored form (wife's NIK: couple factors), then the province.
ASSESS_COLUMNS = (
    *(c for c in FAMILY_RESULT if c != "jumlah_balita_stunting"),
    "pasangan",
    RESULT_PARTITION,
)
ASSESS_SCHEMA = pa.schema(
    [
        pa.field(c, pa.int64() if c in ("krs", "miskin_ekstrem") else pa.string())
        for c in ASSESS_COLUMNS
    ]
)


def assessed_families(extract: Extract, rs: RuleSet, ref: date) -> list[ir.Table]:
    """The app's assessment expression (`sinergi.assess.run.assessed_families`) over the
    extract, one row per current family with its province: one expression per province on
    DuckDB (`by_province`; the pregnancies whole, a woman's check-up may be recorded in another
    province), one on Spark."""
    return by_province(extract, assessment(extract, rs, ref))


def assessment(
    extract: Extract, rs: RuleSet, ref: date
) -> Callable[[ir.Table, ir.Table], ir.Table]:
    """The app's assessment expression over the families and persons it is given (a wave's, a
    province's, or the whole extract's), with the extract's pregnancies whole; a family's row
    depends on its own members only."""
    pregnancies = extract.tables["pregnancies"]

    def build(families: ir.Table, persons: ir.Table) -> ir.Table:
        return app_run.assessed_families(
            families, persons, pregnancies, rs, ref, carry=(RESULT_PARTITION,)
        )

    return build


def assessed_table(extract: Extract, rs: RuleSet, ref: date) -> ir.Table:
    """`assessed_families` computed once and kept for a job's several reads (`materialize`)."""
    return materialize(extract, assessed_families(extract, rs, ref), "assessed")


def run_assess(extract: Extract, rs: RuleSet, ref: date, out: Path) -> Path:
    """``batch assess``: write `ASSESS_COLUMNS` per family to ``<out>/assess`` (``krs`` and
    ``miskin_ekstrem`` as 0/1, the export's value formats)."""
    parts = [
        rows.mutate(
            krs=rows.krs.cast("int64"), miskin_ekstrem=rows.miskin_ekstrem.cast("int64")
        ).select(*ASSESS_COLUMNS)
        for rows in assessed_families(extract, rs, ref)
    ]
    return write_result(extract, parts, out, "assess", schema=ASSESS_SCHEMA)


def assess_counts(folder: Path) -> pd.DataFrame:
    """Per province of a written ``batch assess`` result, as ``sinergi assess`` counts them:
    families, target families, KRS, extreme poor."""
    columns = ["provinsi", "keluarga", "keluarga_sasaran", "krs", "miskin_ekstrem"]
    if not any(folder.rglob("*.parquet")):
        return pd.DataFrame(columns=columns)
    glob = str(folder / "**" / "*.parquet").replace("'", "''")
    rows = (
        duckdb.connect()
        .execute(
            "SELECT provinsi, count(*), count(*) FILTER (WHERE sasaran <> ''), sum(krs), "
            f"sum(miskin_ekstrem) FROM read_parquet('{glob}', hive_partitioning = true, "
            "hive_types = {'provinsi': 'VARCHAR'}) GROUP BY provinsi ORDER BY provinsi"
        )
        .fetchall()
    )
    return pd.DataFrame(rows, columns=columns)


# ``batch coverage``'s areas: `sinergi coverage`'s levels and the province.
COVERAGE_LEVELS = {**LEVELS, "provinsi": 2}
# The figures of `sinergi coverage` an extract cannot give: the children's (from the scored
# measurements) and the change since a previous run (an extract holds one state).
NOT_IN_EXTRACT = TAIL_COLUMNS[TAIL_COLUMNS.index("balita_diukur") :]
DELIVERY_COLUMNS = ("no_kk", "kode_program", "status")


def intervention_records(extract: Extract) -> ir.Table:
    """The imported agency-list rows that count as an intervention (status neither ``ditolak``
    nor ``usulan``), each with the family it reached as `sinergi.link.golden.
    intervention_family` finds it in an extract: the No KK it writes when that family is
    registered (a P3KE family merged into a roster KK counts as that KK), else the family of the
    person with the NIK it writes. (The person linkage's clusters are not part of an extract.)

    Only the NIKs of the rows whose No KK the extract does not hold are looked for among the
    persons (a hash of those few, not of the nation's NIKs: 289 M persons), since a row whose No
    KK is held keeps that family whatever NIK it writes. (A NIK two persons hold repeats its
    rows; coverage counts each family once.)"""
    t = extract.tables
    i = t["interventions"]
    i = i.filter(~i.status.isin(list(INACTIVE_INTERVENTION)))
    known = t["families"].select(known_kk=t["families"].no_kk, merged=t["families"].digabung_ke)
    first = i.left_join(known, i.no_kk == known.known_kk)
    unknown = first.filter(first.known_kk.isnull()).select(unknown_nik=first.nik).distinct()
    persons = t["persons"].select(person_nik=t["persons"].nik, person_kk=t["persons"].no_kk)
    by_nik = persons.semi_join(unknown, persons.person_nik == unknown.unknown_nik)
    joined = first.left_join(by_nik, first.nik == by_nik.person_nik)
    kk = ibis.coalesce(joined.merged, joined.known_kk, joined.person_kk)
    rec = joined.select(no_kk=kk, kode_program=joined.kode_program, status=joined.status)
    return rec.filter(rec.no_kk.notnull())


@dataclass(frozen=True)
class VillageCoverage:
    """The Python step of ``batch coverage``, run on one province's at-risk families (the
    assessment rows) and the intervention records that reached them: per village the
    counts of `sinergi.monitor.coverage`, by its own functions (`delivery_masks`,
    `family_flags`, `area_counts`; projects and proposals are not part of an extract)."""

    rs: RuleSet
    factors: tuple[str, ...]

    def __call__(self, fam: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
        fam = fam.copy()
        fam["area"] = fam["kode_desa"].to_numpy()
        fam["fbits"] = factor_bits(fam["faktor"])
        none = pd.DataFrame({c: pd.Series(dtype=object) for c in DELIVERY_COLUMNS})
        delivery = delivery_masks(records[list(DELIVERY_COLUMNS)], none)
        counts = area_counts(fam, family_flags(fam, delivery), list(self.factors))
        counts.index.name = "kode_desa"
        counts = counts.reset_index()
        counts[RESULT_PARTITION] = counts["kode_desa"].str[: COVERAGE_LEVELS["provinsi"]]
        return counts

    def schema(self) -> pa.Schema:
        counted = ["krs", "miskin_ekstrem"]
        counted += [f"{kind}_{code}" for code in self.factors for kind in FACTOR_KINDS]
        counted += [
            "konvergen",
            "konvergen_dilayani",
            "krs_tanpa_intervensi",
            "miskin_ekstrem_tanpa_bantuan",
        ]
        return pa.schema(
            [pa.field("kode_desa", pa.string())]
            + [pa.field(c, pa.int64()) for c in counted]
            + [pa.field(RESULT_PARTITION, pa.string())]
        )


# The assessment's columns ``batch coverage`` reads.
COVERAGE_INPUT = ("no_kk", "kode_desa", "sasaran", "faktor", "krs", "miskin_ekstrem")


def written_assessment(extract: Extract, out: Path) -> ir.Table:
    """The ``batch assess`` result this run wrote to ``<out>/assess`` as the assessment's rows
    ``batch coverage`` reads (`COVERAGE_INPUT`, ``krs`` and ``miskin_ekstrem`` true or false
    again, and the province): what ``batch monitor`` counts instead of assessing again."""
    rows = result_table(extract, out, "assess", ASSESS_SCHEMA)
    flags = {c: rows[c].cast("boolean") for c in ("krs", "miskin_ekstrem")}
    return rows.select(*COVERAGE_INPUT, RESULT_PARTITION).mutate(**flags)


def coverage_frame(
    extract: Extract, rs: RuleSet, ref: date, assessed: ir.Table | None = None
) -> pd.DataFrame:
    """``batch coverage``: per village, kecamatan, regency and province (``tingkat``) the
    figures of `sinergi coverage` an extract gives (all but `NOT_IN_EXTRACT`), computed by
    coverage's own definitions over the app's assessment of the extract (``assessed``: the
    assessment already written, `written_assessment`)."""
    if assessed is None:
        # Only the columns counted: the engine leaves out the rest (the couples' list).
        expr = [
            rows.select(*COVERAGE_INPUT, RESULT_PARTITION)
            for rows in assessed_families(extract, rs, ref)
        ]
        assessed = materialize(extract, expr, "assessed")
    totals = fetch(
        extract,
        assessed.group_by(RESULT_PARTITION, "kode_desa").aggregate(
            keluarga=assessed.count(), keluarga_sasaran=(assessed.sasaran != "").sum()
        ),
    )
    at_risk = assessed.filter(assessed.krs | assessed.miskin_ekstrem)
    families = at_risk.select("no_kk", RESULT_PARTITION)
    rec = intervention_records(extract)
    rec = materialize(
        extract,
        rec.join(families, "no_kk").select(*DELIVERY_COLUMNS, RESULT_PARTITION),
        "delivered",
    )
    factors = tuple(c for c in FACTOR_CODES if c in rs.enabled_factors)
    step = VillageCoverage(rs, factors)
    counts = per_province(extract, lambda only: (only(at_risk), only(rec)), step, step.schema())

    villages = totals.merge(counts, on=[RESULT_PARTITION, "kode_desa"], how="outer")
    figures = [c for c in villages.columns if c not in ("kode_desa", RESULT_PARTITION)]
    villages[figures] = villages[figures].fillna(0).astype(np.int64)
    # A factor is shown when it fired for anyone, as `sinergi coverage` shows it.
    fired = [c for c in factors if villages[f"perlu_{c}"].sum() > 0]
    shown = [f"{kind}_{code}" for code in fired for kind in FACTOR_KINDS]
    summed = [*COUNT_COLUMNS, *shown] + [
        c for c in TAIL_COLUMNS if c in villages.columns and c not in NOT_IN_EXTRACT
    ]
    names = get_wilayah()
    levels = []
    for level, n in COVERAGE_LEVELS.items():
        area = villages["kode_desa"].str[:n].rename("kode_wilayah")
        rows = villages[summed].groupby(area.to_numpy()).sum().rename_axis("kode_wilayah")
        rows = rows.reset_index()
        rows.insert(0, "tingkat", level)
        rows.insert(2, "nama_wilayah", [names.name(str(a)) for a in rows["kode_wilayah"]])
        levels.append(rows)
    out = pd.concat(levels, ignore_index=True)
    krs = out["krs"].to_numpy()
    out["konvergensi_pct"] = prevalence(out["konvergen"].to_numpy(), krs).pct
    out["konvergensi_dilayani_pct"] = prevalence(out["konvergen_dilayani"].to_numpy(), krs).pct
    tail = [c for c in TAIL_COLUMNS if c in out.columns]
    out[RESULT_PARTITION] = out["kode_wilayah"].str[: COVERAGE_LEVELS["provinsi"]]
    columns = ["tingkat", "kode_wilayah", "nama_wilayah", *COUNT_COLUMNS, *shown, *tail]
    return out[[*columns, RESULT_PARTITION]]


def coverage_summary(folder: Path) -> pd.DataFrame:
    """The province rows of a written ``batch coverage`` result, the figures ``sinergi
    coverage`` prints."""
    shown = [c for c in PRINTED_COLUMNS if c not in NOT_IN_EXTRACT]
    frame = read_result(folder.parent, folder.name, shown, pc.field("tingkat") == "provinsi")
    if frame.empty:
        return pd.DataFrame(columns=shown)
    rows = frame.sort_values("kode_wilayah")
    return rows[shown].reset_index(drop=True)


def run_coverage(
    extract: Extract, rs: RuleSet, ref: date, out: Path, assessed: ir.Table | None = None
) -> Path:
    """``batch coverage``: write `coverage_frame` to ``<out>/coverage``."""
    return write_result(extract, coverage_frame(extract, rs, ref, assessed), out, "coverage")
