"""Plans for area programmes: the ranked, explained village list an agency receives, and the
budget scenarios the stunting team compares. Joins the priority index, the exact allocation
(HiGHS) and the officers' greedy rule, and says for every village why it is in or out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from sinergi.messages import Lang
from sinergi.targeting.allocate import greedy, reason_text, solve, sweep
from sinergi.targeting.families import family_problem
from sinergi.targeting.priority import priority_index, village_components, village_problem
from sinergi.targeting.programmes import Programme


@dataclass
class VillagePlan:
    table: pd.DataFrame  # one row per village, best first
    reached: float  # families whose need is met by the optimiser's selection
    reached_greedy: float  # … by "take the top of the ranking until the money runs out"
    cost: float
    cost_greedy: float
    budget: float
    optimal: bool


# The columns of a village plan, in order (`village_plan`; ``sinergi prioritize``'s export).
PLAN_COLUMNS = (
    "kode_desa",
    "nama_desa",
    "kecamatan",
    "peringkat",
    "skor",
    "keluarga",
    "krs",
    "krs_kebutuhan",
    "porsi_kebutuhan",
    "prevalensi_stunting",
    "miskin_ekstrem",
    "status_jaringan",
    "biaya",
    "terpilih",
    "terpilih_greedy",
    "alasan",
    "kode_alasan",
)


def village_plan(
    engine: Engine,
    run_id: int,
    programme: Programme,
    budget: float | None = None,
    lang: Lang = "id",
) -> VillagePlan:
    ranked = priority_index(
        village_components(engine, run_id, programme), programme.weights or None
    )
    problem = village_problem(ranked, programme, budget)
    best = solve(problem)
    naive = greedy(problem)
    why = best.explain(problem)
    chosen, chosen_naive = set(best.selected), set(naive.selected)
    table = ranked.copy()
    table["terpilih"] = table["kode_desa"].isin(chosen).astype(int)
    table["terpilih_greedy"] = table["kode_desa"].isin(chosen_naive).astype(int)
    table["kode_alasan"] = [why[k].code for k in table["kode_desa"]]
    table["alasan"] = [reason_text(why[k].code, why[k].params, lang) for k in table["kode_desa"]]
    table = table[[c for c in PLAN_COLUMNS if c in table.columns]].sort_values(
        ["peringkat", "kode_desa"], ignore_index=True
    )
    return VillagePlan(
        table, best.benefit, naive.benefit, best.cost, naive.cost, problem.budget, best.optimal
    )


#: The budget levels a scenario asks about, as shares of the programme's budget (the programme
#: page's chart and the Rembuk Stunting pack).
SCENARIO_SHARES = (0.25, 0.5, 1.0, 1.5, 2.0)


def scenarios(
    engine: Engine, run_id: int, programme: Programme, budgets: list[float]
) -> pd.DataFrame:
    """Families reached against budget, for the optimiser and for the greedy rule."""
    if programme.unit == "keluarga":
        # A scenario asks what a budget reaches, not what is left of this period's.
        problem = family_problem(engine, run_id, programme, held=False).problem
    else:
        problem = village_problem(
            priority_index(
                village_components(engine, run_id, programme), programme.weights or None
            ),
            programme,
        )
    rows = sweep(problem, budgets)
    frame = pd.DataFrame(rows)
    return frame.rename(
        columns={
            "method": "metode",
            "budget": "anggaran",
            "benefit": "keluarga_terjangkau",
            "cost": "biaya_terpakai",
            "units": "desa_terpilih",
            "marginal_cost_per_family": "biaya_marjinal_per_keluarga",
            "optimal": "optimal",
        }
    )
