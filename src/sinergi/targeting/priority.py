"""Village priority index for area programmes (one unit = one village, e.g. a water network).

`village_components` gathers, per village of the regency (or regencies) covered by an
assessment run, the numbers the index is built from:

* ``krs_kebutuhan`` — KRS families whose need matches the programme's ``need`` (the factor fired;
  for ``stunting`` a stunted balita in the family; for ``miskin_ekstrem`` extreme poverty);
* ``porsi_kebutuhan`` — that count divided by the village's KRS families (0 when it has none);
* ``prevalensi_stunting`` — ``anak_stunting`` over ``anak_diukur``: the run's stunted and
  measured under-fives of the village, counted as every stage counts them
  (`sinergi.assess.prevalence`; 0 when nobody was measured);
* ``miskin_ekstrem`` — families in extreme poverty.

`priority_index` scores every eligible village::

    n_c(v) = (x_c(v) - min_c) / (max_c - min_c)     min/max over eligible villages; 0 if max = min
    skor(v) = Σ_c w_c · n_c(v) / Σ_c w_c             in 0..1

with the programme's weights (default krs_kebutuhan 0.5, porsi_kebutuhan 0.2,
prevalensi_stunting 0.2, miskin_ekstrem 0.1; a component without a weight counts 0).
``peringkat`` is 1 for the highest score; equal scores are ordered by ``kode_desa``; ineligible
villages have no score (NaN) and are ranked after all eligible ones, by ``kode_desa``.

`village_problem` turns the ranked villages into an `allocate.Problem`: benefit = the families
whose need is met (``krs_kebutuhan``), cost = the village's cost, group = kecamatan.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.assess.prevalence import measured, prevalence, stunted, tally
from sinergi.assess.summary import run_date, run_rows
from sinergi.registry.water import water_networks
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
)
from sinergi.targeting.allocate import Problem, Unit
from sinergi.targeting.eligibility import (
    NAMES,
    And,
    Compare,
    Const,
    Flag,
    Member,
    Name,
    Node,
    to_pandas,
)
from sinergi.targeting.programmes import (
    Programme,
    ProgrammeError,
    checked_weights,
)
from sinergi.wilayah import get_wilayah

DEFAULT_WEIGHTS: dict[str, float] = {
    "krs_kebutuhan": 0.5,
    "porsi_kebutuhan": 0.2,
    "prevalensi_stunting": 0.2,
    "miskin_ekstrem": 0.1,
}
COLUMNS = (
    "kode_desa",
    "nama_desa",
    "kode_kecamatan",
    "kecamatan",
    "keluarga",
    "krs",
    "krs_kebutuhan",
    "porsi_kebutuhan",
    "anak_diukur",
    "anak_stunting",
    "prevalensi_stunting",
    "miskin_ekstrem",
    "status_jaringan",
    "biaya",
    "layak",
    "alasan_tidak_layak",
)


def _krs_in_need(need: str) -> Node:
    """KRS families with the programme's need (one of ``programmes.NEEDS``, which the programme
    file was checked against), as an eligibility condition."""
    if need == "stunting":
        has_need: Node = Compare(">", Name("jumlah_balita_stunting"), Const(0))
    elif need == "miskin_ekstrem":
        has_need = Flag("miskin_ekstrem")
    else:
        has_need = Member(need, "faktor")
    return And((Flag("krs"), has_need))


def village_components(engine: Engine, run_id: int, programme: Programme) -> pd.DataFrame:
    """One row per village of the regencies present in run `run_id`, sorted by kode_desa.

    Villages of those regencies without any assessed family are included with zero counts, so
    a ranking shows every village. ``biaya`` is the programme's cost for the village (network
    cost from ``village_facts`` or the programme's default); ``layak`` is False when the
    village's network status (`sinergi.registry.water`) is in the programme's
    ``exclude_village_status`` (air-bersih: a network being built or working — a village gets
    one network), or when the programme recorded a project in the village for its own period;
    then ``alasan_tidak_layak`` is ``jaringan_<status>``.
    """
    af, ac = assessment_families, assessment_children
    with engine.connect() as conn:
        ref = conn.execute(run_date(run_id)).scalar()
        if ref is None:
            raise ProgrammeError("penilaian_tidak_ditemukan", run=run_id)
        fam = read_frame(conn, run_rows(af, run_id, "kode_desa", *NAMES))
        child = read_frame(
            conn,
            select(
                ac.c.kode_desa,
                tally(measured(ac.c, ref)).label("anak_diukur"),
                tally(stunted(ac.c, ref)).label("anak_stunting"),
            )
            .where(ac.c.run_id == run_id)
            .group_by(ac.c.kode_desa),
        )
        # One answer for a village's network (`sinergi.registry.water`): the map, the status
        # card and this ranking read the same status.
        facts = water_networks(conn, kode_program=programme.code)
    return assemble_components(village_needs(fam, programme), child, facts, programme)


VILLAGE_COUNTS = ("keluarga", "krs", "krs_kebutuhan", "miskin_ekstrem")


def village_needs(fam: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Per village of `fam` (assessed families: ``kode_desa`` and the eligibility names) the
    counts `VILLAGE_COUNTS`. Sums: counts of any split of the families add up to the counts of
    all, so a batch job may count chunk by chunk."""
    need = to_pandas(_krs_in_need(programme.need))(fam)
    return (
        pd.DataFrame(
            {
                "kode_desa": fam["kode_desa"],
                "keluarga": 1,
                "krs": fam["krs"].astype(bool).astype(int),
                "krs_kebutuhan": need.astype(int),
                "miskin_ekstrem": fam["miskin_ekstrem"].astype(bool).astype(int),
            }
        )
        .groupby("kode_desa", as_index=False)
        .sum()
    )


def assemble_components(
    per_village: pd.DataFrame, child: pd.DataFrame, facts: pd.DataFrame, programme: Programme
) -> pd.DataFrame:
    """The decision of `village_components` without a database: `per_village` from
    `village_needs`, `child` the measured and stunted under-fives per village (``kode_desa``,
    ``anak_diukur``, ``anak_stunting``), `facts` the villages' networks
    (`sinergi.registry.water`, columns ``water.COLUMNS``)."""
    regencies = sorted(
        {k[:5] for k in per_village["kode_desa"]} | {k[:5] for k in child["kode_desa"]}
    )
    if not regencies:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    w = get_wilayah()
    villages = [v for regency in regencies if regency in w for v in w.villages(regency)]
    out = pd.DataFrame(
        {
            "kode_desa": [v.kode for v in villages],
            "nama_desa": [v.nama for v in villages],
            "kode_kecamatan": [v.parent_kode for v in villages],
        }
    )
    out["kecamatan"] = out["kode_kecamatan"].map(lambda k: w.name(k, ""))
    out = out.merge(per_village, on="kode_desa", how="left").merge(
        child, on="kode_desa", how="left"
    )
    counts = [*VILLAGE_COUNTS, "anak_diukur", "anak_stunting"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["porsi_kebutuhan"] = (out["krs_kebutuhan"] / out["krs"].where(out["krs"] > 0)).fillna(0.0)
    # A fraction (0..1), 0 where nobody was measured.
    stunting = prevalence(out["anak_stunting"], out["anak_diukur"]).pct / 100
    out["prevalensi_stunting"] = pd.Series(stunting, index=out.index).fillna(0.0)

    out = out.merge(facts, on="kode_desa", how="left")
    out["status_jaringan"] = (
        out["status_jaringan"].astype(object).where(out["status_jaringan"].notna(), None)
    )
    out["biaya"] = [
        programme.village_cost(None if pd.isna(b) else int(b)) for b in out["biaya_jaringan"]
    ]
    out["biaya"] = out["biaya"].astype("int64")
    # A village gets one network: one being built or working, or one this programme already
    # recorded for its period (even while planned), is not offered again.
    excluded = out["status_jaringan"].isin(programme.exclude_village_status) | (
        out["periode"] == programme.period
    )
    out["layak"] = ~excluded
    out["alasan_tidak_layak"] = [
        f"jaringan_{s}" if x else None
        for s, x in zip(out["status_jaringan"], excluded, strict=True)
    ]
    return out[list(COLUMNS)].sort_values("kode_desa").reset_index(drop=True)


def priority_index(
    components: pd.DataFrame, weights: dict[str, float] | None = None
) -> pd.DataFrame:
    """`components` with ``skor`` and ``peringkat`` added, sorted by ``peringkat``.

    `weights` empty or None means `DEFAULT_WEIGHTS`. See the module docstring for the formula.
    """
    w = checked_weights(dict(weights) if weights else dict(DEFAULT_WEIGHTS))
    out = components.copy()
    eligible = out["layak"].astype(bool)
    total = pd.Series(0.0, index=out.index)
    for c, weight in w.items():
        x = out[c].astype(float)
        lo, hi = x[eligible].min(), x[eligible].max()
        norm = (x - lo) / (hi - lo) if eligible.any() and hi > lo else pd.Series(0.0, out.index)
        total += weight * norm
    # Rounded so that scores equal up to floating-point noise tie and fall to kode_desa.
    out["skor"] = (total / sum(w.values())).round(12).where(eligible)
    order = out.assign(_inelig=~eligible, _neg=-out["skor"].fillna(0.0)).sort_values(
        ["_inelig", "_neg", "kode_desa"]
    )
    out = out.loc[order.index].reset_index(drop=True)
    out["peringkat"] = range(1, len(out) + 1)
    return out


def village_problem(
    ranked: pd.DataFrame, programme: Programme, budget: float | None = None
) -> Problem:
    """An allocation problem over the villages (`village_components` or `priority_index` output).

    The budget defaults to the programme's ``budget_rp``; with ``quota_per_kecamatan`` set, each
    kecamatan may receive at most that many villages.
    """
    if programme.unit != "desa":
        raise ProgrammeError(
            "program_satuan_salah", code=programme.code, unit=programme.unit, wanted="desa"
        )
    units = tuple(
        Unit(
            key=str(r.kode_desa),
            cost=float(r.biaya),
            benefit=float(r.krs_kebutuhan),
            group=str(r.kode_kecamatan),
            eligible=bool(r.layak),
            reason_ineligible=None if bool(r.layak) else str(r.alasan_tidak_layak),
        )
        for r in ranked.itertuples(index=False)
    )
    quotas: dict[str, int] = {}
    if programme.quota_per_kecamatan is not None:
        quotas = {
            g: programme.quota_per_kecamatan
            for g in sorted({u.group for u in units if u.group is not None})
        }
    return Problem(
        units=units, budget=float(programme.budget_rp if budget is None else budget), quotas=quotas
    )
