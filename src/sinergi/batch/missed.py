"""``batch missed``: the children's rows of `sinergi missed` computed per province from an extract.

The same code as the app decides every row: the measurements of a province are scored by
`sinergi.assess.run.score_children` (the latest measurement per child, z-scores, 2T, the family
it attaches to), listed by `sinergi.assess.missed.child_rows` and cleared by the delivered
programmes that serve a finding (`sinergi.assess.missed.settle`), all in the province's step.
DuckDB runs the step in worker processes, one per core (at most four, `step_workers`), each
reading and stepping whole provinces, the largest first; Spark on its executors
(`per_province`).

What an extract cannot give, and so the result leaves out:

* the person linkage (its clusters and its pairs waiting for an officer are not exported): a
  child attaches by the No KK on its measurement, its parent's NIK or its own NIK only, so
  ``anak_perlu_tinjauan`` never occurs and a child the linkage would have attached is
  ``anak_tidak_terhubung`` (or ``anak_tidak_terdaftar``); records of one child with and without
  a NIK count as two children;
* the pregnancy and engaged-couple codes (``ibu_hamil_*``, ``catin_*``) and the KRS families no
  programme reached (``krs_belum_terjangkau``, ``batch coverage`` counts them);
* a child measured, or a parent registered, in another province than the family: each province
  is scored on its own rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sinergi.assess.clearing import CLEARED_BY
from sinergi.assess.missed import (
    DELIVERED,
    MISSED_COLUMNS,
    UNDER_FIVE_COLUMNS,
    child_rows,
    served_programmes,
    settle,
)
from sinergi.assess.prevalence import UNDER_FIVE_MONTHS, under_five_mask
from sinergi.assess.run import LINK_COLUMNS, MEASUREMENT_COLUMNS, score_children
from sinergi.batch.engine import (
    RESULT_PARTITION,
    Extract,
    Only,
    Rows,
    fetch,
    step_workers,
    write_per_province,
)
from sinergi.batch.jobs import assessment
from sinergi.core.ages import months_before
from sinergi.core.keys import sorted_codes, texts_of
from sinergi.messages import Lang, t
from sinergi.rules import RuleSet

# The codes ``batch missed`` can list (`sinergi.assess.missed`), in the order of its summary.
COVERED_CODES: tuple[str, ...] = (
    "anak_bukan_krs",
    "anak_tidak_terdaftar",
    "anak_tidak_terhubung",
    "anak_berat_kurang",
    "anak_2t",
    "anak_lila_rendah",
    "anak_edema",
    "anak_bblr",
    "ukur_ulang",
    "belum_diukur",
)
_DATES = ("tanggal_lahir", "tanggal_ukur_terakhir", "tanggal_ditangani")
_NUMBERS = ("zs_tbu", "zs_bbtb", "zs_bbu", "lila", "berat_lahir")


def _type(column: str) -> pa.DataType:
    if column in _DATES:
        return pa.date32()
    return pa.float64() if column in _NUMBERS else pa.string()


# The result: the app's missed-list columns, then the province.
MISSED_SCHEMA = pa.schema(
    [pa.field(c, _type(c)) for c in MISSED_COLUMNS] + [pa.field(RESULT_PARTITION, pa.string())]
)
# The columns of the family-and-member rows the step reads beside the measurements.
MEMBER_COLUMNS = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "meninggal")
ROSTER_COLUMNS = ("no_kk", "kode_desa", "krs", *MEMBER_COLUMNS)

# The columns holding a No KK or a NIK, of the frames the step reads and of the rows it lists.
KEY_COLUMNS = ("no_kk", "nik", "nik_anak", "nik_ortu")


def coded_keys(frames: Sequence[Rows]) -> tuple[list[pd.DataFrame], pa.Array]:
    """``frames`` (Arrow or pandas) as frames whose No KKs and NIKs (`KEY_COLUMNS`) are numbers
    that sort as the texts do (float, NaN for none), and the texts in that order (`key_texts`).
    `ProvinceMissed` runs the app's functions, which only compare, look up and sort these keys,
    on the numbers: every lookup of texts hashes Python strings again, and Jawa Barat's 8.6
    million roster rows at 95 M families are looked up many times over (benchmarks/
    national_bench.py). From Arrow (DuckDB's rows) the keys never become Python strings."""
    at = [(i, c) for i, f in enumerate(frames) for c in KEY_COLUMNS if c in _columns(f)]
    texts = [texts_of(frames[i][c]) for i, c in at]
    # One array of the chunks (a chunked array of chunked arrays is built value by value).
    chunks = [c for t in texts for c in (t.chunks if isinstance(t, pa.ChunkedArray) else [t])]
    codes, distinct = sorted_codes(pa.chunked_array(chunks, pa.string()))
    numbers = np.where(codes >= 0, codes, np.nan).astype(np.float64)
    coded: list[dict[str, np.ndarray]] = [{} for _ in frames]
    start = 0
    for (i, c), column in zip(at, texts, strict=True):
        coded[i][c] = numbers[start : start + len(column)]
        start += len(column)
    coded_frames = [_with(f, theirs) for f, theirs in zip(frames, coded, strict=True)]
    return coded_frames, distinct


def _columns(frame: Rows) -> list[str]:
    return frame.column_names if isinstance(frame, pa.Table) else list(frame.columns)


def _with(frame: Rows, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """``frame`` as pandas with ``columns`` in place of its own (the others as they were)."""
    if isinstance(frame, pa.Table):
        for name, values in columns.items():
            frame = frame.set_column(frame.column_names.index(name), name, pa.array(values))
        return frame.to_pandas()
    frame = frame.copy(deep=False)
    for name, values in columns.items():
        frame[name] = values
    return frame


def key_texts(frame: pd.DataFrame, texts: pa.Array) -> pd.DataFrame:
    """``frame`` with its keys coded by `coded_keys` as texts again (None for NaN)."""
    for c in (c for c in KEY_COLUMNS if c in frame.columns):
        code = frame[c].to_numpy(np.float64)
        known = ~np.isnan(code)
        at = pa.array(np.where(known, code, 0).astype(np.int64), mask=~known)
        frame[c] = texts.take(at).to_numpy(zero_copy_only=False)
    return frame


@dataclass(frozen=True)
class ProvinceMissed:
    """The Python step of ``batch missed`` for one province: the rows it looks at of the families
    and their members (`ROSTER_COLUMNS`, chosen by `run_missed`; ``krs`` the assessment's,
    null for a family the rules leave out) and its measurements up to ``ref``
    (`MEASUREMENT_COLUMNS`), listed and then cleared by the extract's ``delivered``
    interventions (`settle`: a row's clearing depends on the row alone), in the app's order.
    The rows come as Arrow from DuckDB (`coded_keys` reads their keys there), as frames from
    Spark. A class, not a closure, so that Spark ships it to its executors by value (and
    DuckDB's worker processes get it pickled)."""

    ref: date
    lang: Lang
    months: int
    # The nation's delivered interventions, as Arrow (pickled for each province): not compared,
    # and not printed in a traceback.
    delivered: pa.Table = field(compare=False, repr=False)
    include_cleared: bool = False

    def __call__(self, roster: Rows, measured: Rows) -> pd.DataFrame:
        # Copy-on-write: the app's functions select, assign and reorder whole frames, and
        # pandas 2 copies every column each time (Jawa Barat at 95 M families: a fifth of the
        # step's time, 3.5 GiB of its peak); with it a frame is copied only when written to.
        with pd.option_context("mode.copy_on_write", True):
            return self._step(roster, measured)

    def _step(self, roster: Rows, measured: Rows) -> pd.DataFrame:
        # Families and persons looked up by their No KK and NIK as numbers (`coded_keys`).
        (roster, measured, delivered), texts = coded_keys([roster, measured, self.delivered])
        rows = measured[list(MEASUREMENT_COLUMNS)].rename(columns={"id": "measurement_id"})
        # As the app reads them: every registered KK, the living persons' KKs by NIK.
        # (Each lookup reads only the columns it needs: a filtered frame copies every column.)
        kk_known = pd.Index(roster["no_kk"].dropna().unique())
        has_nik = roster["nik"].notna().to_numpy()
        living = roster.loc[has_nik & roster["meninggal"].isna().to_numpy(), ["nik", "no_kk"]]
        person_kk = living.drop_duplicates("nik").set_index("nik")["no_kk"]
        linked = pd.DataFrame({c: pd.Series(dtype=object) for c in LINK_COLUMNS})
        kids = score_children(rows, person_kk, kk_known, linked, self.ref)
        # The family's KRS flag as the run's families hold it (None: not one of them).
        is_current = roster["krs"].notna().to_numpy()
        current = roster.loc[is_current, ["no_kk", "krs"]].drop_duplicates("no_kk")
        krs = current.set_index("no_kk")["krs"].astype(bool)
        if len(kids):
            kids["krs"] = kids["no_kk"].map(krs).astype(object)
            kids["krs"] = kids["krs"].where(kids["krs"].notna(), None)
        # Every member of a current family under five at ``ref``, the family's village.
        members = roster.loc[is_current & has_nik, list(UNDER_FIVE_COLUMNS)]
        born = pd.to_datetime(members["tanggal_lahir"])
        under5 = members[
            under_five_mask(members, self.ref).to_numpy() & (born <= pd.Timestamp(self.ref))
        ]
        out = child_rows(kids, under5, (), self.ref, self.lang, self.months)
        out = key_texts(settle(out, delivered, self.include_cleared), texts)
        out[RESULT_PARTITION] = roster[RESULT_PARTITION].iloc[0]
        return out[list(MISSED_SCHEMA.names)]


def run_missed(
    extract: Extract,
    rs: RuleSet,
    ref: date,
    out: Path,
    lang: Lang = "id",
    months: int = 3,
    include_cleared: bool = False,
    written: ir.Table | None = None,
) -> Path:
    """``batch missed``: the rows (`MISSED_SCHEMA`, in the app's order within a province)
    written to ``<out>/missed``, each province's as soon as it is stepped
    (`write_per_province`). ``written``: the ``batch assess`` result this run wrote
    (`sinergi.batch.engine.result_table`), whose ``krs`` is taken instead of assessing the
    families again (``batch monitor``)."""
    tb = extract.tables
    assessed = assessment(extract, rs, ref)
    born_after = months_before(ref, UNDER_FIVE_MONTHS)

    def rows(only: Only) -> tuple[ir.Table, ir.Table]:
        m = only(tb["measurements"])
        measured = m.filter(m.tanggal_ukur <= ref).select(*MEASUREMENT_COLUMNS, RESULT_PARTITION)
        f, p = only(tb["families"]), only(tb["persons"])
        # What the step looks at, chosen where the data lives. The members: the under-fives at
        # ``ref`` (the step applies the exact condition again) and the persons the province's
        # measurements name (a child's or a parent's NIK, by which a child finds its family).
        # The families: theirs, and those a measurement names by No KK (the step asks nothing
        # of any other family, `sinergi.assess.run.attach_children`).
        named = measured.select(nik=measured.nik_anak).union(measured.select(nik=measured.nik_ortu))
        wanted = p.filter((p.tanggal_lahir > born_after) | p.nik.isin(named.nik))
        members = wanted.select(*MEMBER_COLUMNS, member_kk="no_kk")
        looked_at = f.filter(f.no_kk.isin(members.member_kk) | f.no_kk.isin(measured.no_kk))
        if written is None:
            # Only those families are assessed, as they are read (a family's row depends on
            # its own members alone; nothing of the nation's assessment is kept).
            theirs = p.filter(p.no_kk.isin(looked_at.no_kk))
            a = assessed(looked_at, theirs).select(current_kk="no_kk", krs="krs")
        else:
            w = only(written)
            a = w.select(current_kk=w.no_kk, krs=w.krs.cast("boolean"))
        families = looked_at.left_join(a, looked_at.no_kk == a.current_kk).select(
            "no_kk", "kode_desa", "krs", RESULT_PARTITION
        )
        roster = families.left_join(members, families.no_kk == members.member_kk).select(
            *ROSTER_COLUMNS, RESULT_PARTITION
        )
        return roster, measured

    i = tb["interventions"]
    served = i.filter((i.status == DELIVERED) & i.kode_program.isin(served_programmes()))
    delivered = fetch(extract, served.select("kode_program", "no_kk", "nik", "tanggal"))
    step = ProvinceMissed(
        ref, lang, months, pa.Table.from_pandas(delivered, preserve_index=False), include_cleared
    )
    return write_per_province(
        extract, rows, step, MISSED_SCHEMA, out, "missed", workers=step_workers(), arrow=True
    )


def missed_counts(folder: Path, lang: Lang, months: int) -> pd.DataFrame:
    """Per province and reason of a written ``batch missed`` result, the rows still missed (a
    cleared row, listed with ``--semua``, is not counted), as ``sinergi missed`` counts them."""
    from sinergi.batch.engine import read_result

    still = read_result(
        folder.parent,
        folder.name,
        [RESULT_PARTITION, "kode_alasan"],
        pc.field(CLEARED_BY).is_null(),
    )
    columns = ["provinsi", "alasan", "jumlah"]
    if still.empty:
        return pd.DataFrame(columns=columns)
    counts = still.groupby([RESULT_PARTITION, "kode_alasan"]).size().reset_index(name="jumlah")
    counts["order"] = counts["kode_alasan"].map({c: i for i, c in enumerate(COVERED_CODES)})
    counts = counts.sort_values([RESULT_PARTITION, "order"], ignore_index=True)
    counts["alasan"] = [
        t(f"terlewat_alasan_{code}", lang, months=months) for code in counts["kode_alasan"]
    ]
    return counts[columns]
