"""The probabilistic person model (Splink 5 on DuckDB): which fields are compared and how, how
candidate pairs are found, how the parameters are estimated.

A record is one person as one source writes it: a roster row (``keluarga``) or a child of the
e-PPGBM measurements (``eppgbm``). Comparisons, each with its levels from strongest to weakest:

- NIK: equal / one edit or two neighbouring digits swapped (Damerau-Levenshtein ≤ 1) / other;
- name (normal form, `sinergi.link.names`): equal joined / Jaro-Winkler ≥ 0.92 / same first word
  or one name inside the other (a nickname, a name written short) / Jaro-Winkler ≥ 0.80 / other;
- birth date: equal / day and month swapped / within 7 days / other;
- sex: equal / other; village: equal / other;
- mother (or the parent the posyandu wrote): name as above in three levels, NIK equal / other.

A missing value is a null level: it neither speaks for nor against a match.

Candidate pairs (blocking): the same NIK, the same birth date in the same village, the same
joined name and birth year, the same mother's NIK, the same first four letters of the name
and birth date, the same birth month and day and first word; and for an agency, pregnancy or
P3KE record (no birth date): the same joined name in the same village, or the same No KK. Pairs of two
roster records are never formed: the roster holds each person once (its NIK is its key).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from sinergi.link import AGENCY, P3KE, PREGNANCY, ROSTER
from sinergi.settings import package_data

#: The columns a record carries into the model (besides unique_id and sumber).
COLUMNS = (
    "nik",
    "rapat",
    "depan",
    "tanggal_lahir",
    "tahun_lahir",
    "jenis_kelamin",
    "kode_desa",
    "ibu_rapat",
    "nik_ibu",
)
#: Gamma columns whose lowest level is a conflict that no probability may merge on its own.
HARD = {"tanggal_lahir": "birth date", "jenis_kelamin": "sex"}

_NOT_TWO_ROSTER = f"(l.sumber <> '{ROSTER}' OR r.sumber <> '{ROSTER}')"
_UNDATED = f"('{AGENCY}', '{P3KE}', '{PREGNANCY}')"
_ONE_UNDATED = f"(l.sumber IN {_UNDATED} OR r.sumber IN {_UNDATED})"


def _rule(sql: str) -> str:
    return f"({sql}) AND {_NOT_TWO_ROSTER}"


BLOCKING = (
    _rule("l.nik = r.nik"),
    _rule("l.tanggal_lahir = r.tanggal_lahir AND l.kode_desa = r.kode_desa"),
    _rule("l.rapat = r.rapat AND l.tahun_lahir = r.tahun_lahir"),
    _rule("l.nik_ibu = r.nik_ibu"),
    _rule("substr(l.rapat, 1, 4) = substr(r.rapat, 1, 4) AND l.tanggal_lahir = r.tanggal_lahir"),
    _rule(
        "l.tahun_lahir = r.tahun_lahir AND l.depan = r.depan "
        "AND day(l.tanggal_lahir) = month(r.tanggal_lahir) "
        "AND month(l.tanggal_lahir) = day(r.tanggal_lahir)"
    ),
    _rule(f"l.rapat = r.rapat AND l.kode_desa = r.kode_desa AND {_ONE_UNDATED}"),
    _rule(f"l.no_kk = r.no_kk AND {_ONE_UNDATED}"),
)


def _name(column: str, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            cll.JaroWinklerLevel(column, 0.92),
            cll.CustomLevel(
                f"(starts_with({column}_l, {column}_r) OR starts_with({column}_r, {column}_l))",
                label_for_charts=f"{label}: one begins with the other",
            ),
            cll.JaroWinklerLevel(column, 0.80),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list[Any]:
    return [
        cl.CustomComparison(
            output_column_name="nik",
            comparison_levels=[
                cll.NullLevel("nik"),
                cll.ExactMatchLevel("nik"),
                cll.DamerauLevenshteinLevel("nik", 1),
                cll.ElseLevel(),
            ],
        ),
        _name("rapat", "name"),
        cl.CustomComparison(
            output_column_name="tanggal_lahir",
            comparison_levels=[
                cll.NullLevel("tanggal_lahir"),
                cll.ExactMatchLevel("tanggal_lahir"),
                cll.CustomLevel(
                    "(year(tanggal_lahir_l) = year(tanggal_lahir_r) "
                    "AND month(tanggal_lahir_l) = day(tanggal_lahir_r) "
                    "AND day(tanggal_lahir_l) = month(tanggal_lahir_r))",
                    label_for_charts="day and month swapped",
                ),
                cll.AbsoluteDateDifferenceLevel(
                    "tanggal_lahir", input_is_string=False, threshold=7, metric="day"
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.ExactMatch("jenis_kelamin"),
        cl.ExactMatch("kode_desa"),
        _name("ibu_rapat", "mother's name"),
        cl.ExactMatch("nik_ibu"),
    ]


@cache
def top_levels() -> dict[str, int]:
    """Per comparison (its output column), the gamma value of its strongest level: Splink
    numbers a comparison's non-null levels from the weakest (0) up."""
    top = {}
    for comparison in comparisons():
        spec = comparison.get_comparison("duckdb").as_dict()
        levels = [lv for lv in spec["comparison_levels"] if not lv.get("is_null_level")]
        top[spec["output_column_name"]] = len(levels) - 1
    return top


def settings(prior: float = 1e-4) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[{"blocking_rule": rule} for rule in BLOCKING],
        probability_two_random_records_match=prior,
        additional_columns_to_retain=["sumber", "no_kk"],
        retain_intermediate_calculation_columns=False,
    )


_NOT_PARAMETERS = ("blocking_rules_to_generate_predictions", "additional_columns_to_retain")


def linker(con: duckdb.DuckDBPyConnection, table: str, model: dict[str, Any] | None) -> Linker:
    """A linker over the registered records ``table`` with ``model``'s parameters (untrained
    settings when None)."""
    db = DuckDBAPI(connection=con)
    sdf = db.register(table)
    if model is None:
        return Linker(sdf, settings(), log_level="ERROR")
    # A stored model scores today's candidate pairs and keeps today's columns: blocking and the
    # retained columns are no parameters of it.
    current = settings().get_settings("duckdb").as_dict()
    model = {**model, **{key: current[key] for key in _NOT_PARAMETERS}}
    return Linker(sdf, model, log_level="ERROR")


def default_model() -> dict[str, Any]:
    """The parameters bundled with the package (estimated on the synthetic Kutai Timur regency),
    for a file too small to estimate its own."""
    return json.loads(package_data("link_model.json").read_text("utf-8"))


def train(linker_: Linker, seed: int = 1) -> dict[str, Any]:
    """Estimate the parameters on the records themselves: the prior from the pairs that share a
    NIK, u from random pairs, m by EM twice — on pairs that share a NIK (which teaches how one
    person's name, birth date, village and mother agree across sources) and on pairs that share
    name and birth date (which teaches how its NIK agrees). Blocking on the birth date alone
    would teach the model that children born the same day in one kecamatan, whose NIKs differ
    in one digit of the serial, are one person."""
    t = linker_.training
    t.estimate_probability_two_random_records_match([block_on("nik")], recall=0.7)
    t.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    t.estimate_parameters_using_expectation_maximisation(
        block_on("nik"), estimate_without_term_frequencies=True
    )
    t.estimate_parameters_using_expectation_maximisation(
        block_on("rapat", "tanggal_lahir"), estimate_without_term_frequencies=True
    )
    return floored(linker_.misc.save_model_to_json())


#: The least m probability of a level: a variant the training data happened not to show (a
#: swapped day and month, a nickname) still happens, and must weigh against a link, not forbid it.
M_FLOOR = 0.001


def floored(model: dict[str, Any]) -> dict[str, Any]:
    """``model`` with every estimated m probability at least `M_FLOOR`."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability")
            if m is None or m < M_FLOOR:
                level["m_probability"] = M_FLOOR
    return model


def frame(records: pd.DataFrame) -> pd.DataFrame:
    """The model's input: the records' model columns, dates as dates."""
    out = records[
        ["unique_id", "sumber", "no_kk", *[c for c in COLUMNS if c != "tahun_lahir"]]
    ].copy()
    born = pd.to_datetime(out["tanggal_lahir"], errors="coerce")
    out["tanggal_lahir"] = born.dt.date
    out["tahun_lahir"] = born.dt.year.astype("Int64")
    return out
