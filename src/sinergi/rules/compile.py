"""Compile a rule set into one Ibis expression, evaluated where the data lives.

The same expression runs on the application database (SQLite, PostgreSQL) and on DuckDB over
Parquet (and on PySpark through Ibis): only portable operations are used — date comparisons,
integer arithmetic, plain aggregates and joins.

Ages are never computed per person. "Aged at least n completed years at the reference date" is
the same as "born on or before the reference date minus n years", so every age threshold of the
rule set becomes a birth-date cutoff computed once here; the database only compares dates.

Input tables need the columns of the store's ``families`` and ``persons`` tables that the rules
read (`FAMILY_COLUMNS`, `PERSON_COLUMNS`; ``ingin_anak`` and ``tanggal_data`` may be absent and
then count as unknown), and optionally the dated ``pregnancies``. The result has
one row per family: ``no_kk``, ``kode_desa``, one boolean per sasaran code (``s_<code>``), one per
enabled factor (``f_<code>``), ``sasaran_any``, ``krs`` and ``miskin_ekstrem``.

Every PUS couple of a KK is judged on its own (`couple_features`): the wife's age, her children's
count and spacing, her pregnancy and the couple's contraception; a family is at risk when any
couple or the household fires a factor.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from sinergi.core.ages import months_before, years_before
from sinergi.core.codelists import code_list
from sinergi.rules.ruleset import SASARAN_CODES, RuleSet

MODERN_DEFAULT = ("mow", "mop", "iud", "implan", "suntik", "pil", "kondom")
FAMILY_COLUMNS = (
    "no_kk",
    "kode_desa",
    "sumber_air",
    "jamban",
    "rumah_layak",
    "desil",
    "pengeluaran_per_kapita",
)
PERSON_COLUMNS = (
    "nik",
    "no_kk",
    "jenis_kelamin",
    "tanggal_lahir",
    "hubungan",
    "status_kawin",
    "hamil",
    "kontrasepsi",
    "ingin_anak",
    "tanggal_data",
)
# Columns a national Parquet extract may lack: read as unknown (NULL) when absent.
OPTIONAL_PERSON_COLUMNS = {"ingin_anak": "string", "tanggal_data": "date"}
PREGNANCY_COLUMNS = ("nik", "hpht", "taksiran_persalinan")
# A dated pregnancy stays current until this many days after the expected delivery date.
PREGNANCY_GRACE_DAYS = 14
# Factors judged per couple (the wife's age, her children, her pregnancy and contraception); the
# others belong to the household.
COUPLE_FACTORS = (
    "terlalu_muda",
    "terlalu_tua",
    "terlalu_dekat",
    "terlalu_banyak",
    "tidak_kb_modern",
)
# Wishes for a child that leave a need for contraception (unmet need): a child later, or none.
NO_CHILD_SOON = ("ya_nanti", "tidak")


def _int(expr: ir.BooleanValue) -> ir.IntegerValue:
    return expr.cast("int32")


def _any(expr: ir.BooleanValue) -> ir.BooleanValue:
    """Portable 'any' aggregate (SQLite has no bool_or)."""
    return _int(expr).max() == 1


def _aged(
    birth: ir.DateValue, ref: date, low: int, high: int, unit: str = "years"
) -> ir.BooleanValue:
    """low ≤ completed age ≤ high at ``ref``, as a comparison of birth dates."""
    before = years_before if unit == "years" else months_before
    return (birth <= before(ref, low)) & (birth > before(ref, high + 1))


def _family_key(no_kk: ir.StringValue, integer_keys: bool) -> ir.Value:
    return no_kk.cast("int64") if integer_keys else no_kk


def modern_methods(rs: RuleSet) -> list[str]:
    """The methods counted as modern contraception (MAL too when the rule set says so)."""
    f = rs.factors.get("tidak_kb_modern")
    if f is None:
        return list(MODERN_DEFAULT)
    return list(f.need("modern")) + (["mal"] if f.mal_modern else [])


def couple_codes(rs: RuleSet) -> list[str]:
    """The enabled factors judged per couple, in the canonical order (bit i of ``pasangan``)."""
    return [c for c in rs.enabled_factors if c in COUPLE_FACTORS]


def _couple_of(rel: ir.StringValue, head: tuple[str, ...], child: tuple[str, ...]) -> ir.Value:
    """'h' (the head's couple) or 'c' (the couple of a married child and a child-in-law)."""
    return ibis.ifelse(
        rel.isin(list(head)), "h", ibis.ifelse(rel.isin(list(child)), "c", ibis.null("string"))
    )


def _months_between(later: ir.DateValue, earlier: ir.DateValue) -> ir.IntegerValue:
    """Completed months from ``earlier`` to ``later`` (per couple, so date parts are affordable)."""
    return (
        (later.year() - earlier.year()) * 12
        + (later.month() - earlier.month())
        - _int(later.day() < earlier.day())
    )


def _keyed_persons(persons: ir.Table, integer_keys: bool) -> ir.Table:
    """Persons with the family key ``k`` and the optional columns (NULL where absent)."""
    cols = {
        c: persons[c] if c in persons.columns else ibis.null(t)
        for c, t in OPTIONAL_PERSON_COLUMNS.items()
    }
    return persons.mutate(k=_family_key(persons.no_kk, integer_keys), **cols)


def _household(p: ir.Table, rs: RuleSet, ref: date) -> ir.Table:
    """One pass over all persons, per family: baduta and balita present, and per couple kind
    (``h``: the head's couple, ``c``: the child's couple) the children's count and youngest
    birth and whether a husband uses a modern method."""
    s = rs.sasaran
    modern = modern_methods(rs)
    rel, born = p.hubungan, p.tanggal_lahir
    husband = (
        (p.jenis_kelamin == "L") & (p.status_kawin == "kawin") & p.kontrasepsi.isin(modern)
    ).fill_null(False)
    per_kind: dict[str, ir.Value] = {}
    for g, child, men in (
        ("h", "anak", ("kepala_keluarga", "suami")),
        ("c", "cucu", ("anak", "menantu")),
    ):
        is_child = (rel == child).fill_null(False)
        per_kind |= {
            f"n_{g}": _int(is_child).sum(),
            f"b1_{g}": ibis.ifelse(is_child, born, ibis.null("date")).max(),
            f"hm_{g}": _any(husband & rel.isin(list(men)).fill_null(False)),
        }
    return p.group_by("k").aggregate(
        has_baduta=_any(_aged(born, ref, 0, s.baduta_max_months, "months").fill_null(False)),
        has_balita=_any(
            _aged(born, ref, s.balita_min_months, s.balita_max_months, "months").fill_null(False)
        ),
        **per_kind,
    )


def couple_features(
    persons: ir.Table,
    rs: RuleSet,
    ref: date,
    integer_keys: bool = True,
    pregnancies: ir.Table | None = None,
    household: ir.Table | None = None,
) -> ir.Table:
    """One row per PUS couple (key ``k``, the No. KK; ``nik``, the wife's): her birth date,
    pregnancy, contraception and wish for a child, her husband's contraception, and her
    children's count and two youngest births (``b1``, ``b2``; twins are one birth).

    Every married woman aged ``pus_min_age``–``pus_max_age`` is a wife, whatever her relation to
    the head. The roster does not say who is married to whom, so the couple is read from the
    relations: an ``istri`` or a female head forms the head's couple (husband: the married male
    head or ``suami``; children: the KK's ``anak``); a ``menantu`` or a married daughter forms
    the child's couple (husband: the married son or son-in-law; children: the KK's ``cucu``);
    any other married woman (``famili_lain``, ``orang_tua``, …) is judged without husband or
    children. Two child couples in one KK share the ``cucu`` and the husbands' contraception:
    the roster cannot tell them apart.
    """
    s = rs.sasaran
    p = _keyed_persons(persons, integer_keys)
    hh = household if household is not None else _household(p, rs, ref)

    # The second-youngest birth of each couple kind: one more pass over the children.
    kids = p.filter(p.hubungan.isin(["anak", "cucu"]))
    kids = kids.join(hh.select("k", "b1_h", "b1_c"), "k").filter(
        lambda t: t.tanggal_lahir < ibis.ifelse(t.hubungan == "anak", t.b1_h, t.b1_c)
    )
    second = kids.group_by("k").aggregate(
        b2_h=ibis.ifelse(kids.hubungan == "anak", kids.tanggal_lahir, ibis.null("date")).max(),
        b2_c=ibis.ifelse(kids.hubungan == "cucu", kids.tanggal_lahir, ibis.null("date")).max(),
    )

    flag_from = months_before(ref, s.pregnancy_flag_valid_months)
    w = p.filter(
        (p.jenis_kelamin == "P")
        & (p.status_kawin == "kawin")
        & _aged(p.tanggal_lahir, ref, s.pus_min_age, s.pus_max_age)
    ).mutate(
        g=_couple_of(p.hubungan, ("istri", "kepala_keluarga"), ("menantu", "anak")),
        flag=p.hamil.fill_null(False) & (p.tanggal_data.isnull() | (p.tanggal_data >= flag_from)),
    )
    dated: ir.BooleanValue = ibis.literal(False)
    if pregnancies is not None:
        until = date.fromordinal(ref.toordinal() - PREGNANCY_GRACE_DAYS)
        cur = pregnancies.filter(
            (pregnancies.hpht <= ref) & (pregnancies.taksiran_persalinan >= until)
        )
        cur = cur.select(pnik=cur.nik).distinct()
        w = w.left_join(cur, w.nik == cur.pnik).select(*[w[c] for c in w.columns], cur.pnik)
        dated = w.pnik.notnull()
    w = w.select(
        "k",
        "nik",
        "g",
        w_born=w.tanggal_lahir,
        w_pregnant=(w.flag | dated).fill_null(False),
        w_modern=w.kontrasepsi.isin(modern_methods(rs)).fill_null(False),
        ingin_anak=w.ingin_anak,
    )
    w = w.left_join(hh, "k").select(
        *[w[c] for c in w.columns], *[hh[c] for c in hh.columns if c[:2] in ("n_", "b1", "hm")]
    )
    w = w.left_join(second, "k").select(*[w[c] for c in w.columns], second.b2_h, second.b2_c)

    def pick(name: str) -> ir.Value:
        return ibis.ifelse(
            w.g == "h", w[f"{name}_h"], ibis.ifelse(w.g == "c", w[f"{name}_c"], None)
        )

    b1, b2 = pick("b1"), pick("b2")
    return w.select(
        "k",
        "nik",
        "w_born",
        "w_pregnant",
        "w_modern",
        "ingin_anak",
        n_anak=pick("n"),
        b1=b1,
        b2=b2,
        h_modern=pick("hm").fill_null(False),
        spacing_m=_months_between(b1, b2),
    )


def _couple_factor(code: str, c: ir.Table, rs: RuleSet, ref: date) -> ir.BooleanValue:
    f = rs.factors[code]
    if code == "terlalu_muda":
        return c.w_born > years_before(ref, f.need("below_age"))
    if code == "terlalu_tua":
        return _aged(c.w_born, ref, f.need("from_age"), f.need("to_age"))
    if code == "terlalu_dekat":
        close = c.spacing_m.notnull() & (c.spacing_m < f.need("below_months"))
        if f.youngest_max_months is None:
            return close
        return close & (c.b1 > months_before(ref, f.youngest_max_months))
    if code == "terlalu_banyak":
        return c.n_anak.fill_null(0) >= f.need("min_children")
    if code == "tidak_kb_modern":
        exempt = c.w_pregnant if f.pregnant_exempt else ibis.literal(False)
        expr = ~exempt & ~c.w_modern & ~c.h_modern
        if f.mode == "unmet_need":
            # Wants no child within two years, or none at all; an unknown wish counts as a need.
            expr = expr & (c.ingin_anak.isnull() | c.ingin_anak.isin(list(NO_CHILD_SOON)))
        return expr
    raise AssertionError(code)  # pragma: no cover - COUPLE_FACTORS only


def couples_fired(
    persons: ir.Table,
    rs: RuleSet,
    ref: date,
    integer_keys: bool = True,
    pregnancies: ir.Table | None = None,
) -> ir.Table:
    """`couple_features` and, per couple, one boolean per enabled couple factor (``f_<code>``):
    the figures behind each factor a couple fired (for explaining a family's factors)."""
    c = couple_features(persons, rs, ref, integer_keys, pregnancies)
    return c.mutate(
        **{
            f"f_{code}": _couple_factor(code, c, rs, ref).fill_null(False)
            for code in couple_codes(rs)
        }
    )


def family_features(
    persons: ir.Table,
    rs: RuleSet,
    ref: date,
    integer_keys: bool = True,
    pregnancies: ir.Table | None = None,
    pasangan: bool = False,
) -> ir.Table:
    """Per family (key ``k``, the No. KK): whether it has a PUS couple, a pregnant wife, a baduta,
    a balita, and per couple factor whether any couple fired it (``c_<code>``); with
    ``pasangan`` also ``pasangan``, the stored text of which couple fired which factor
    (`sinergi.rules.pasangan`).

    With ``integer_keys`` families are keyed by the KK as a 64-bit integer (16 validated
    digits fit), which hashes far faster than 16-character text in DuckDB at national scale; a
    row store (SQLite, PostgreSQL) does better grouping on the indexed text column.
    """
    base = _household(_keyed_persons(persons, integer_keys), rs, ref)
    c = couple_features(persons, rs, ref, integer_keys, pregnancies, base)
    codes = couple_codes(rs)
    fired = {code: _couple_factor(code, c, rs, ref).fill_null(False) for code in codes}
    aggs: dict[str, ir.Value] = {
        "has_pus": c.count() > 0,
        "has_hamil": _any(c.w_pregnant),
        **{f"c_{code}": _any(e) for code, e in fired.items()},
    }
    if pasangan:
        # 'NIK:codes' per couple, sorted, joined with ';' (NULL: no couple with a NIK).
        couple = c.nik.concat(":", code_list(list(fired.items()), ","))
        aggs["pasangan"] = couple.collect().sort().join(";").nullif("")
    couples = c.group_by("k").aggregate(**aggs)
    return base.left_join(couples, "k").select(
        base.k,
        base.has_baduta,
        base.has_balita,
        *[couples[col] for col in couples.columns if col != "k"],
    )


def compile_assessment(
    families: ir.Table,
    persons: ir.Table,
    rs: RuleSet,
    ref: date,
    integer_keys: bool = True,
    pregnancies: ir.Table | None = None,
    pasangan: bool = False,
    carry: tuple[str, ...] = (),
) -> ir.Table:
    """One row per family: sasaran and factor flags, ``krs`` and ``miskin_ekstrem`` (see the
    module docstring); ``pregnancies`` (``nik``, ``hpht``, ``taksiran_persalinan``) adds the dated
    pregnancies, None means there are none; ``pasangan`` adds ``pasangan`` (`family_features`);
    ``carry``: columns of ``families`` passed through to the result (a batch's partition columns).
    """
    feats = family_features(persons, rs, ref, integer_keys, pregnancies, pasangan)
    keyed = families.mutate(k=_family_key(families.no_kk, integer_keys))
    fam = keyed.left_join(feats, "k").select(
        [keyed[c] for c in (*FAMILY_COLUMNS, *carry)]
        + [feats[c] for c in feats.columns if c != "k"]
    )

    has_pus = fam.has_pus.fill_null(False)
    sasaran = {
        "pus": has_pus,
        "pus_hamil": fam.has_hamil.fill_null(False),
        "baduta": fam.has_baduta.fill_null(False),
        "balita": fam.has_balita.fill_null(False),
    }
    target = sasaran["pus"] | sasaran["baduta"] | sasaran["balita"]

    factors: dict[str, ir.BooleanValue] = {}
    for code in rs.enabled_factors:
        f = rs.factors[code]
        if code in COUPLE_FACTORS:
            expr = fam[f"c_{code}"]
        elif code == "air_minum_tidak_layak":
            safe = list(f.need("safe")) + (["air_hujan"] if f.air_hujan_safe else [])
            expr = fam.sumber_air.notnull() & ~fam.sumber_air.isin(safe)
        elif code == "jamban_tidak_layak":
            expr = fam.jamban.isin(list(f.need("unsafe")))
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
        **({"pasangan": fam.pasangan} if pasangan else {}),
        **{c: fam[c] for c in carry},
    )
