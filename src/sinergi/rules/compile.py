"""Compile a rule set into one Ibis expression, evaluated where the data lives.

The same expression runs on the application database (SQLite, PostgreSQL) and on DuckDB over
Parquet (and on PySpark through Ibis): only portable operations are used — integer arithmetic
on date parts instead of dialect date functions, window ``row_number`` and plain aggregates.

Input tables need the columns of the store's ``families`` and ``persons`` tables. The result has
one row per family: ``no_kk``, ``kode_desa``, one boolean per sasaran code (``s_<code>``), one per
enabled factor (``f_<code>``), ``krs`` and ``miskin_ekstrem``.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from sinergi.rules.ruleset import SASARAN_CODES, RuleSet


def _int(expr: ir.BooleanValue) -> ir.IntegerValue:
    return expr.cast("int32")


def _any(expr: ir.BooleanValue) -> ir.BooleanValue:
    """Portable 'any' aggregate (SQLite has no bool_or)."""
    return _int(expr).max() == 1


def person_ages(persons: ir.Table, ref: date) -> ir.Table:
    """Ages in completed years and months at the reference date."""
    b = persons.tanggal_lahir
    by, bm, bd = b.year(), b.month(), b.day()
    not_yet = _int((bm * 100 + bd) > (ref.month * 100 + ref.day))
    return persons.mutate(
        age_y=(ref.year - by) - not_yet,
        age_m=(ref.year - by) * 12 + (ref.month - bm) - _int(bd > ref.day),
    )


def family_features(persons: ir.Table, rs: RuleSet, ref: date) -> ir.Table:
    """Per family: the PUS wife's age, pregnancy and contraception, children, spacing, under-fives."""
    s = rs.sasaran
    p = person_ages(persons, ref)
    modern = list(rs.factors["tidak_kb_modern"].need("modern")) if "tidak_kb_modern" in rs.factors \
        else ["mow", "mop", "iud", "implan", "suntik", "pil", "kondom"]

    wives = p.filter(
        p.jenis_kelamin == "P",
        p.status_kawin == "kawin",
        p.hubungan.isin(list(s.wife_relations)),
        p.age_y.between(s.pus_min_age, s.pus_max_age),
    )
    # One PUS wife per family: the one recorded as 'istri' first, then by NIK (deterministic).
    wives = wives.mutate(
        rn=ibis.row_number().over(
            group_by=wives.no_kk, order_by=[_int(wives.hubungan != "istri"), wives.nik])
    ).filter(lambda t: t.rn == 0)
    wife = wives.select(
        no_kk=wives.no_kk,
        w_age=wives.age_y,
        w_pregnant=wives.hamil.fill_null(False),
        w_modern=wives.kontrasepsi.isin(modern).fill_null(False),
    )

    husbands = p.filter(p.jenis_kelamin == "L", p.status_kawin == "kawin")
    husband = husbands.group_by("no_kk").aggregate(
        h_modern=_any(husbands.kontrasepsi.isin(modern).fill_null(False)))

    kids = p.filter(p.hubungan == "anak")
    n_kids = kids.group_by("no_kk").aggregate(n_anak=kids.count())
    # Spacing between the two youngest distinct birth dates (twins are one birth).
    births = kids.select("no_kk", "tanggal_lahir").distinct()
    births = births.mutate(
        rn=ibis.row_number().over(group_by=births.no_kk, order_by=ibis.desc(births.tanggal_lahir)),
        y=births.tanggal_lahir.year(), m=births.tanggal_lahir.month(),
        d=births.tanggal_lahir.day(),
    )
    first = births.filter(births.rn == 0).select("no_kk", y1="y", m1="m", d1="d")
    second = births.filter(births.rn == 1).select("no_kk", y2="y", m2="m", d2="d")
    pair = first.join(second, "no_kk")
    spacing = pair.select(
        "no_kk",
        spacing_m=(pair.y1 - pair.y2) * 12 + (pair.m1 - pair.m2) - _int(pair.d1 < pair.d2),
    )

    young = p.group_by("no_kk").aggregate(
        has_baduta=_any(p.age_m.between(0, s.baduta_max_months)),
        has_balita=_any(p.age_m.between(s.balita_min_months, s.balita_max_months)),
    )
    out = young
    for part in (wife, husband, n_kids, spacing):
        out = out.left_join(part, "no_kk").select(
            [out[c] for c in out.columns] + [part[c] for c in part.columns if c != "no_kk"])
    return out


def compile_assessment(families: ir.Table, persons: ir.Table, rs: RuleSet,
                       ref: date) -> ir.Table:
    feats = family_features(persons, rs, ref)
    fam = families.left_join(feats, "no_kk").select(
        [families[c] for c in ("no_kk", "kode_desa", "sumber_air", "jamban", "rumah_layak",
                               "desil", "pengeluaran_per_kapita")]
        + [feats[c] for c in feats.columns if c != "no_kk"])

    has_wife = fam.w_age.notnull()
    sasaran = {
        "pus": has_wife,
        "pus_hamil": has_wife & fam.w_pregnant.fill_null(False),
        "baduta": fam.has_baduta.fill_null(False),
        "balita": fam.has_balita.fill_null(False),
    }
    target = sasaran["pus"] | sasaran["baduta"] | sasaran["balita"]

    factors: dict[str, ir.BooleanValue] = {}
    for code in rs.enabled_factors:
        f = rs.factors[code]
        if code == "air_minum_tidak_layak":
            expr = fam.sumber_air.notnull() & ~fam.sumber_air.isin(list(f.need("safe")))
        elif code == "jamban_tidak_layak":
            expr = fam.jamban.isin(list(f.need("unsafe")))
        elif code == "terlalu_muda":
            expr = has_wife & (fam.w_age < f.need("below_age"))
        elif code == "terlalu_tua":
            expr = has_wife & fam.w_age.between(f.need("from_age"), f.need("to_age"))
        elif code == "terlalu_dekat":
            expr = has_wife & fam.spacing_m.notnull() & (fam.spacing_m < f.need("below_months"))
        elif code == "terlalu_banyak":
            expr = has_wife & (fam.n_anak.fill_null(0) >= f.need("min_children"))
        elif code == "tidak_kb_modern":
            exempt = fam.w_pregnant.fill_null(False) if f.pregnant_exempt else ibis.literal(False)
            expr = has_wife & ~exempt & ~fam.w_modern.fill_null(False) & ~fam.h_modern.fill_null(
                False)
        elif code == "desil_1":
            expr = fam.desil.isin(list(f.need("deciles")))
        elif code == "rumah_tidak_layak":
            expr = fam.rumah_layak == False  # noqa: E712  (NULL = unknown, not fired)
        else:  # pragma: no cover - the loader refuses unknown codes
            raise AssertionError(code)
        factors[code] = target & expr.fill_null(False)

    any_factor = ibis.literal(False)
    for expr in factors.values():
        any_factor = any_factor | expr
    ep = rs.extreme_poverty
    miskin = fam.desil.isin(list(ep.deciles)).fill_null(False) | (
        fam.pengeluaran_per_kapita.notnull()
        & (fam.pengeluaran_per_kapita < ep.line_rp_per_capita_month)
    ).fill_null(False)
    return fam.select(
        no_kk=fam.no_kk,
        kode_desa=fam.kode_desa,
        **{f"s_{c}": sasaran[c] for c in SASARAN_CODES},
        sasaran_any=target,
        **{f"f_{c}": e for c, e in factors.items()},
        krs=target & any_factor,
        miskin_ekstrem=miskin,
    )
