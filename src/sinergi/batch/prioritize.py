"""``batch prioritize``: a village programme's national selection over a registry extract.

The app's definitions, in the same order as a regency's ``sinergi prioritize``
(`sinergi.targeting.plan.village_plan`):

1. Families: the app's assessment expression over the extract (`sinergi.batch.jobs.
   assessed_families`, the app's rows as the engine writes them) is counted per village by `sinergi.targeting.priority.village_needs` — the programme's need through the
   eligibility grammar's pandas back end — chunk by chunk on the engine's workers (DuckDB batches,
   Spark partitions); the counts of the chunks are summed per village.
2. Villages: every village of the regencies present (bundled Kemendagri list), their networks from
   the extract's ``village_facts`` through `sinergi.registry.water.reconcile`, then
   `priority.assemble_components` and `priority.priority_index` per regency, so a village's score
   and rank are the ones its regency's app shows.
3. Selection: `priority.village_problem` (benefit = families whose need is met, cost = the
   village's network cost or the programme's default, eligibility by network status, quotas per
   kecamatan) and, for the whole country at once, `sinergi.targeting.national.select_national`.

What an extract does not carry, and so is not used here: the network projects Dinas PU records in
the app (``projects``: an extract has the village facts only) and the children's measured and
stunted figures (the ranking's ``prevalensi_stunting`` is 0 until the children's job gives them;
it weighs in the score only, never in the selection). A programme whose need is ``stunting`` needs
those children and is refused.

The result has the columns of the app's prioritize export, plus ``kabupaten`` and ``tahap`` (how
a chosen village got in), in ``<OUT>/prioritize/provinsi=<PP>/``; the national figures (objective,
LP bound, gap, per province) go to ``<OUT>/prioritize.json``.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from sinergi.batch.engine import RESULT_PARTITION, Extract, read_result, write_result
from sinergi.batch.jobs import assessed_families
from sinergi.messages import Lang
from sinergi.registry.water import reconcile
from sinergi.rules import RuleSet
from sinergi.store.parquet_layout import partition_of
from sinergi.targeting.allocate import greedy
from sinergi.targeting.eligibility import ProgrammeError
from sinergi.targeting.national import NationalReport, select_national
from sinergi.targeting.plan import PLAN_COLUMNS
from sinergi.targeting.priority import (
    VILLAGE_COUNTS,
    assemble_components,
    priority_index,
    village_needs,
    village_problem,
)
from sinergi.targeting.programmes import Programme

JOB = "prioritize"
REPORT_FILE = "prioritize.json"
# The eligibility names an extract's family rows do not carry: they come from the children's
# measurements. `priority.village_needs` reads only the need's condition, which for every need
# but 'stunting' (refused in `check_programme`) names none of them.
CHILD_NAMES = ("temuan", "jumlah_balita", "jumlah_balita_stunting")
COUNTS_SCHEMA = pa.schema(
    [pa.field("kode_desa", pa.string())]
    + [pa.field(c, pa.int64()) for c in VILLAGE_COUNTS]
    + [pa.field(RESULT_PARTITION, pa.string())]
)
# A regency plan's columns (`sinergi.targeting.plan.PLAN_COLUMNS`) with the regency and the
# selection stage (``tahap``) of a national one, then the province.
COLUMNS = tuple(
    c
    for col in PLAN_COLUMNS
    for c in (
        (col, "kabupaten") if col == "nama_desa" else ("tahap", col) if col == "alasan" else (col,)
    )
) + (RESULT_PARTITION,)
_FRACTIONS = ("skor", "porsi_kebutuhan", "prevalensi_stunting")
_WHOLE = ("peringkat", "keluarga", "krs", "krs_kebutuhan", "miskin_ekstrem", "biaya")
_FLAGS = ("terpilih", "terpilih_greedy")  # 0/1, as the app's export writes them
RESULT_SCHEMA = pa.schema(
    [
        pa.field(
            c,
            pa.float64()
            if c in _FRACTIONS
            else pa.int64()
            if c in _WHOLE + _FLAGS
            else pa.string(),
        )
        for c in COLUMNS
    ]
)


def check_programme(programme: Programme) -> None:
    """Refuse (`ProgrammeError`) what this job cannot do: a family programme, or a need that is
    counted from the children's measurements."""
    if programme.unit != "desa":
        raise ProgrammeError(
            "program_satuan_salah", code=programme.code, unit=programme.unit, wanted="desa"
        )
    if programme.need == "stunting":
        raise ProgrammeError("batch_kebutuhan_anak", code=programme.code)


@dataclass(frozen=True)
class VillageCounts:
    """The Python step of step 1: one chunk of assessment rows → its per-village counts.
    A class, not a closure, so that Spark ships it to its executors by value."""

    rs: RuleSet
    programme: Programme

    def __call__(self, fam: pd.DataFrame) -> pd.DataFrame:
        fam = fam.copy()
        for name in CHILD_NAMES:
            fam[name] = None
        counts = village_needs(fam, self.programme)
        province = fam.drop_duplicates("kode_desa").set_index("kode_desa")[RESULT_PARTITION]
        counts[RESULT_PARTITION] = counts["kode_desa"].map(province)
        return counts[list(COUNTS_SCHEMA.names)]


def village_counts(
    extract: Extract, rs: RuleSet, ref: date, programme: Programme, work: Path
) -> pd.DataFrame:
    """Step 1: `VILLAGE_COUNTS` per village with an assessed family, summed over the chunks
    (written under `work` in between: the chunks' counts come back from the engine's workers as
    files, as every batch result does)."""
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kebutuhan-", dir=work) as tmp:
        folder = Path(tmp)
        write_result(
            extract,
            assessed_families(extract, rs, ref),
            folder,
            "kebutuhan",
            finish=VillageCounts(rs, programme),
            schema=COUNTS_SCHEMA,
        )
        parts = read_result(folder, "kebutuhan")
    if parts.empty:
        return pd.DataFrame({"kode_desa": pd.Series(dtype=str)}).assign(
            **{c: pd.Series(dtype="int64") for c in VILLAGE_COUNTS}
        )
    return parts.groupby("kode_desa", as_index=False)[list(VILLAGE_COUNTS)].sum()


def village_networks(extract: Extract) -> pd.DataFrame:
    """The villages' networks from the extract's ``village_facts`` (the app's answer,
    `registry.water.reconcile`, with no recorded project: an extract carries none)."""
    vf = extract.tables["village_facts"]
    facts = (
        vf.select(
            "kode_desa",
            fakta_status=vf.jaringan_air,
            fakta_sambungan=vf.sambungan_rumah,
            fakta_tanggal=vf.tanggal_data,
            biaya_jaringan=vf.biaya_jaringan,
        )
        .to_pandas()
        .sort_values("kode_desa", ignore_index=True)
    )
    built = pd.DataFrame(
        columns=[
            "kode_desa",
            "kode_program",
            "periode",
            "proyek_status",
            "proyek_sambungan",
            "rumah_tersambung",
            "proyek_waktu",
        ]
    )
    return reconcile(facts, built)


def ranked_villages(
    counts: pd.DataFrame, facts: pd.DataFrame, programme: Programme
) -> pd.DataFrame:
    """Step 2: the components and the app's score and rank, regency by regency."""
    no_children = pd.DataFrame(
        {
            "kode_desa": pd.Series(dtype=str),
            "anak_diukur": pd.Series(dtype="int64"),
            "anak_stunting": pd.Series(dtype="int64"),
        }
    )
    components = assemble_components(counts, no_children, facts, programme)
    components["kabupaten"] = [partition_of(k)[1] for k in components["kode_desa"]]
    per_regency = [
        priority_index(part.reset_index(drop=True), programme.weights or None)
        for _, part in components.groupby("kabupaten", sort=True)
    ]
    if not per_regency:
        return components.assign(skor=pd.Series(dtype=float), peringkat=pd.Series(dtype="int64"))
    return pd.concat(per_regency, ignore_index=True)


def select_villages(
    ranked: pd.DataFrame,
    programme: Programme,
    budget: float | None,
    time_limit_per_province: float,
    lang: Lang,
) -> tuple[pd.DataFrame, NationalReport]:
    """Step 3: the national selection over the ranked villages, as the export's rows."""
    problem = village_problem(ranked, programme, budget)
    units = pd.DataFrame([asdict(u) for u in problem.units]).rename(columns={"key": "kode_desa"})
    units["provinsi"] = [partition_of(k)[0] for k in units["kode_desa"]]
    table, report = select_national(
        units,
        problem.budget,
        quotas=problem.quotas,
        time_limit_per_province=time_limit_per_province,
        lang=lang,
    )
    naive = set(greedy(problem).selected)
    decided = table.set_index("kode_desa")
    out = ranked.copy()
    out["terpilih"] = out["kode_desa"].map(decided["terpilih"]).astype("int64")
    out["terpilih_greedy"] = out["kode_desa"].isin(naive).astype("int64")
    for col in ("tahap", "alasan", "kode_alasan"):
        out[col] = out["kode_desa"].map(decided[col])
    out[RESULT_PARTITION] = [partition_of(k)[0] for k in out["kode_desa"]]
    out = out.sort_values(["kabupaten", "peringkat", "kode_desa"], ignore_index=True)
    return out[list(COLUMNS)], report


def run_prioritize(
    extract: Extract,
    rs: RuleSet,
    ref: date,
    programme: Programme,
    out: Path,
    budget: float | None = None,
    time_limit_per_province: float = 30.0,
    lang: Lang = "id",
) -> tuple[Path, NationalReport]:
    """``batch prioritize``: write the villages to ``<out>/prioritize`` and the national
    figures to ``<out>/prioritize.json``; returns the result folder and the report."""
    check_programme(programme)
    counts = village_counts(extract, rs, ref, programme, out)
    ranked = ranked_villages(counts, village_networks(extract), programme)
    table, report = select_villages(ranked, programme, budget, time_limit_per_province, lang)
    folder = write_result(extract, table, out, JOB, schema=RESULT_SCHEMA)
    about: dict[str, Any] = {
        "program": programme.code,
        "tanggal": ref.isoformat(),
        "aturan": f"{rs.id} {rs.version}",
        "mesin": extract.engine,
        **report.as_dict(),
    }
    (out / REPORT_FILE).write_text(
        json.dumps(about, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    return folder, report
