"""Every couple in a KK, dated and stale pregnancies and each rule-set parameter's two values,
evaluated by SQLite, PostgreSQL and DuckDB over Parquet (reference date 31 August 2026).

Each case is one family; a person is (hubungan, sex, birth date, status kawin) plus what the case
needs. The base of every case has safe water and latrine and modern contraception, so each case
shows the rule that decides it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import insert, select

from sinergi.assess.run import assess, evaluate_families, rules_backend
from sinergi.core.ages import months_before
from sinergi.rules import RuleSet, load_ruleset
from sinergi.rules.pasangan import parse_pasangan
from sinergi.rules.ruleset import PACKAGED
from sinergi.store.tables import assessment_families, families, persons, pregnancies
from tests.extracted import batch_families, extract_of

REF = date(2026, 8, 31)


def born(years: int = 0, months: int = 0, days: int = 0) -> date:
    """The birth date of someone exactly this old at REF (minus ``days`` more: older)."""
    return months_before(REF, 12 * years + months) - timedelta(days=days)


@dataclass
class P:
    rel: str
    sex: str
    birth: date
    kawin: str = "belum_kawin"
    kb: str | None = None
    hamil: bool | None = None
    ingin: str | None = None
    data_date: date | None = None


def head_couple(wife: date = born(25), **wife_kw: Any) -> list[P]:
    """A head of 45 and his wife (modern contraception unless the case says otherwise)."""
    return [
        P("kepala_keluarga", "L", born(45), "kawin"),
        P("istri", "P", wife, "kawin", **({"kb": "suntik"} | wife_kw)),
    ]


@dataclass
class Case:
    name: str
    people: list[P]
    sasaran: set[str]
    factors: set[str]
    water: str = "ledeng"
    # per person index: the factor codes its couple fired (only the wives listed)
    couples: dict[int, set[str]] | None = None
    pregnancy: tuple[date, date] | None = None  # (HPHT, expected delivery) of person 1


CASES = [
    Case(
        "pregnant 18-year-old daughter-in-law: target and KRS",
        [
            *head_couple(born(45)),
            P("anak", "L", born(21), "kawin"),
            P("menantu", "P", born(18), "kawin", hamil=True),
        ],
        {"pus", "pus_hamil"},
        {"terlalu_muda"},
        couples={1: set(), 3: {"terlalu_muda"}},
    ),
    Case(
        "married daughter of 19 with a baby, judged on her own age (mother 44)",
        [
            *head_couple(born(44)),
            P("anak", "P", born(19), "kawin", kb="pil"),
            P("menantu", "L", born(23), "kawin"),
            P("cucu", "L", born(0, 3)),
        ],
        {"pus", "baduta"},
        {"terlalu_muda"},
        couples={1: set(), 2: {"terlalu_muda"}},
    ),
    Case(
        "mother 38 and married daughter 25: the mother's age fires, not the daughter's",
        [
            *head_couple(born(38)),
            P("anak", "P", born(25), "kawin", kb="pil"),
            P("menantu", "L", born(27), "kawin"),
        ],
        {"pus"},
        {"terlalu_tua"},
        couples={1: {"terlalu_tua"}, 2: set()},
    ),
    Case(
        "the child couple's children are the cucu: two 11 months apart fire",
        [
            *head_couple(born(44)),
            P("anak", "L", born(26), "kawin"),
            P("menantu", "P", born(24), "kawin", kb="implan"),
            P("cucu", "P", born(1, 0)),
            P("cucu", "L", born(0, 1)),
        ],
        {"pus", "baduta"},
        {"terlalu_dekat"},
        couples={1: set(), 3: {"terlalu_dekat"}},
    ),
    Case(
        "four anak are the head couple's, not the daughter-in-law's",
        [
            *head_couple(born(43)),
            *[P("anak", "L", born(y)) for y in (12, 14, 16)],
            P("anak", "L", born(22), "kawin"),
            P("menantu", "P", born(21), "kawin", kb="pil"),
        ],
        {"pus"},
        {"terlalu_banyak"},
        couples={1: {"terlalu_banyak"}, 6: set()},
    ),
    Case(
        "the son's vasectomy covers his wife (menantu)",
        [
            *head_couple(born(44)),
            P("anak", "L", born(30), "kawin", kb="mop"),
            P("menantu", "P", born(27), "kawin", kb="tidak_kb", ingin="tidak"),
        ],
        {"pus"},
        set(),
    ),
    Case(
        "a married famili_lain woman has no husband the roster can tell",
        [
            *head_couple(born(44)),
            P("famili_lain", "L", born(30), "kawin", kb="kondom"),
            P("famili_lain", "P", born(27), "kawin", kb="tidak_kb", ingin="tidak"),
        ],
        {"pus"},
        {"tidak_kb_modern"},
        couples={1: set(), 3: {"tidak_kb_modern"}},
    ),
    Case(
        "pregnant wife of 14: target and too young",
        [
            P("kepala_keluarga", "L", born(22), "kawin"),
            P("istri", "P", born(14), "kawin", hamil=True),
        ],
        {"pus", "pus_hamil"},
        {"terlalu_muda"},
    ),
    Case(
        "wife exactly 10 is PUS",
        head_couple(born(10)),
        {"pus"},
        {"terlalu_muda"},
    ),
    Case(
        "wife one day short of 10 is not",
        head_couple(born(10, days=-1)),
        set(),
        set(),
        water="sungai_danau",
    ),
    Case(
        "wife 49 the day before her 50th birthday is PUS",
        head_couple(born(50, days=-1)),
        {"pus"},
        set(),
    ),
    Case("wife 50 is not", head_couple(born(50)), set(), set(), water="sungai_danau"),
    Case(
        "roster flag 10 months old: stale, not pregnant",
        head_couple(kb="tidak_kb", hamil=True, ingin="tidak", data_date=months_before(REF, 10)),
        {"pus"},
        {"tidak_kb_modern"},
    ),
    Case(
        "roster flag 8 months old: pregnant",
        head_couple(kb="tidak_kb", hamil=True, ingin="tidak", data_date=months_before(REF, 8)),
        {"pus", "pus_hamil"},
        set(),
    ),
    Case(
        "roster flag exactly 9 months old: pregnant",
        head_couple(kb="tidak_kb", hamil=True, ingin="tidak", data_date=months_before(REF, 9)),
        {"pus", "pus_hamil"},
        set(),
    ),
    Case(
        "roster flag without a data date: pregnant",
        head_couple(kb="tidak_kb", hamil=True, ingin="tidak"),
        {"pus", "pus_hamil"},
        set(),
    ),
    Case(
        "dated pregnancy in its window",
        head_couple(kb="tidak_kb", ingin="tidak"),
        {"pus", "pus_hamil"},
        set(),
        pregnancy=(REF - timedelta(days=100), REF + timedelta(days=180)),
    ),
    Case(
        "dated pregnancy on TP + 14 days: still current",
        head_couple(kb="tidak_kb", ingin="tidak"),
        {"pus", "pus_hamil"},
        set(),
        pregnancy=(REF - timedelta(days=294), REF - timedelta(days=14)),
    ),
    Case(
        "dated pregnancy after TP + 14 days: over",
        head_couple(kb="tidak_kb", ingin="tidak"),
        {"pus"},
        {"tidak_kb_modern"},
        pregnancy=(REF - timedelta(days=295), REF - timedelta(days=15)),
    ),
    Case(
        "dated pregnancy starting after the reference date: not yet",
        head_couple(kb="tidak_kb", ingin="tidak"),
        {"pus"},
        {"tidak_kb_modern"},
        pregnancy=(REF + timedelta(days=1), REF + timedelta(days=281)),
    ),
    Case(
        "no modern method, wants a child soon: no unmet need",
        head_couple(kb="tidak_kb", ingin="ya_segera"),
        {"pus"},
        set(),
    ),
    *[
        Case(
            f"no modern method, wish {wish}: unmet need",
            head_couple(kb="tidak_kb", ingin=wish),
            {"pus"},
            {"tidak_kb_modern"},
        )
        for wish in ("ya_nanti", "tidak", None)
    ],
    Case("MAL", head_couple(kb="mal", ingin="tidak"), {"pus"}, set()),
    Case("rainwater", head_couple(), {"pus"}, {"air_minum_tidak_layak"}, water="air_hujan"),
    Case(
        "adult children 11 months apart",
        [*head_couple(born(44)), P("anak", "L", born(20)), P("anak", "P", born(20, 11))],
        {"pus"},
        set(),
    ),
    Case(
        "a 1-year-old and a newborn",
        [*head_couple(), P("anak", "L", born(0, 0)), P("anak", "P", born(1, 0))],
        {"pus", "baduta"},
        {"terlalu_dekat"},
    ),
    Case("wife 40", head_couple(born(40)), {"pus"}, {"terlalu_tua"}),
    Case("wife 41", head_couple(born(41)), {"pus"}, set()),
    Case(
        "wife 19 the day before her birthday",
        head_couple(born(20, days=-1)),
        {"pus"},
        {"terlalu_muda"},
    ),
]


def kk_of(i: int) -> str:
    return f"64080101013{i:05d}"


def nik_of(i: int, n: int) -> str:
    return f"640801{i:04d}{n:06d}"


@pytest.fixture
def loaded(engine):  # type: ignore[no-untyped-def]
    fams, people, dated = [], [], []
    for i, case in enumerate(CASES):
        fams.append(
            {
                "no_kk": kk_of(i),
                "kode_desa": "64.08.01.2001",
                "sumber_air": case.water,
                "jamban": "sendiri_septik",
            }
        )
        for n, p in enumerate(case.people):
            people.append(
                {
                    "nik": nik_of(i, n),
                    "no_kk": kk_of(i),
                    "nama": f"Warga {i}-{n}",
                    "jenis_kelamin": p.sex,
                    "tanggal_lahir": p.birth,
                    "hubungan": p.rel,
                    "status_kawin": p.kawin,
                    "hamil": p.hamil,
                    "kontrasepsi": p.kb,
                    "ingin_anak": p.ingin,
                    "tanggal_data": p.data_date,
                }
            )
        if case.pregnancy is not None:
            hpht, tp = case.pregnancy
            dated.append(
                {
                    "record_key": f"{nik_of(i, 1)}{hpht:%Y%m%d}",
                    "nik": nik_of(i, 1),
                    "nama": f"Warga {i}-1",
                    "kode_desa": "64.08.01.2001",
                    "tanggal_periksa": min(REF, hpht),
                    "hpht": hpht,
                    "taksiran_persalinan": tp,
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(families), fams)
        conn.execute(insert(persons), people)
        conn.execute(insert(pregnancies), dated)
    return engine


def codes(text: str) -> set[str]:
    return set(filter(None, text.split(";")))


def check(result: pd.DataFrame) -> None:
    by_kk = result.set_index("no_kk")
    for i, case in enumerate(CASES):
        row = by_kk.loc[kk_of(i)]
        got = (codes(row["sasaran"]), codes(row["faktor"]))
        assert got == (case.sasaran, case.factors), case.name
        assert bool(row["krs"]) == bool(case.factors), case.name
        if case.couples is not None:
            fired = {nik: set(c) for nik, c in parse_pasangan(row["pasangan"])}
            assert fired == {nik_of(i, n): c for n, c in case.couples.items()}, case.name


def test_couples_in_the_database(loaded) -> None:
    check(evaluate_families(rules_backend(loaded), load_ruleset("krs-2024"), REF))


def test_duckdb_over_parquet_gives_identical_results(loaded, tmp_path: Path) -> None:
    rs = load_ruleset("krs-2024")
    in_db = evaluate_families(rules_backend(loaded), rs, REF)
    on_duckdb = batch_families(extract_of(loaded, tmp_path / "extract"), rs, REF)
    check(on_duckdb)
    assert in_db.equals(on_duckdb)


def test_parquet_without_pregnancies_or_new_columns(loaded, tmp_path: Path) -> None:
    """Person files without wish or data date and no pregnancies (an older national file): none,
    unknown, unknown."""
    from sinergi.assess.run import assessed_families
    from sinergi.batch.engine import close_extract, fetch, open_extract

    extract = open_extract(
        "duckdb", extract_of(loaded, tmp_path / "extract"), memory_limit="1GB", threads=2
    )
    try:
        tb = extract.tables
        older = tb["persons"].drop("ingin_anak", "tanggal_data")
        rows = assessed_families(tb["families"], older, None, load_ruleset("krs-2024"), REF)
        result = fetch(extract, rows).set_index("no_kk")
    finally:
        close_extract(extract)
    names = [c.name for c in CASES]
    dated = result.loc[kk_of(names.index("dated pregnancy in its window"))]
    assert codes(dated["sasaran"]) == {"pus"}  # no pregnancies file: not pregnant
    soon = result.loc[kk_of(names.index("no modern method, wants a child soon: no unmet need"))]
    assert codes(soon["faktor"]) == {"tidak_kb_modern"}  # wish unknown: a need
    stale = result.loc[kk_of(names.index("roster flag 10 months old: stale, not pregnant"))]
    assert "pus_hamil" in codes(stale["sasaran"])  # no data date: the flag counts


def variant(rs: RuleSet, sasaran: dict[str, Any] | None = None, **factors: dict) -> RuleSet:
    """The rule set with some sasaran and factor parameters changed."""
    changed = {code: rs.factors[code].model_copy(update=update) for code, update in factors.items()}
    return rs.model_copy(
        update={
            "factors": rs.factors | changed,
            "sasaran": rs.sasaran.model_copy(update=sasaran or {}),
        }
    )


# (parameter change, case name, sasaran, factors) under the changed rule set
ALTERNATIVES = [
    (
        {"tidak_kb_modern": {"mode": "tidak_ber_kb"}},
        "no modern method, wants a child soon: no unmet need",
        {"pus"},
        {"tidak_kb_modern"},
    ),
    (
        {"tidak_kb_modern": {"mode": "tidak_ber_kb"}},
        "no modern method, wish tidak: unmet need",
        {"pus"},
        {"tidak_kb_modern"},
    ),
    ({"tidak_kb_modern": {"mal_modern": False}}, "MAL", {"pus"}, {"tidak_kb_modern"}),
    ({"air_minum_tidak_layak": {"air_hujan_safe": True}}, "rainwater", {"pus"}, set()),
    (
        {"terlalu_dekat": {"youngest_max_months": None}},
        "adult children 11 months apart",
        {"pus"},
        {"terlalu_dekat"},
    ),
    ({"terlalu_tua": {"to_age": 45}}, "wife 41", {"pus"}, {"terlalu_tua"}),
    ({"terlalu_tua": {"from_age": 41}}, "wife 40", {"pus"}, set()),
    ({"sasaran": {"pus_min_age": 15}}, "pregnant wife of 14: target and too young", set(), set()),
    (
        {"sasaran": {"pregnancy_flag_valid_months": 12}},
        "roster flag 10 months old: stale, not pregnant",
        {"pus", "pus_hamil"},
        set(),
    ),
]


@pytest.mark.parametrize(("change", "name", "sasaran", "factors"), ALTERNATIVES)
def test_each_parameter_other_value(loaded, change, name, sasaran, factors) -> None:  # type: ignore[no-untyped-def]
    change = dict(change)
    rs = variant(load_ruleset("krs-2024"), change.pop("sasaran", None), **change)
    row = evaluate_families(rules_backend(loaded), rs, REF).set_index("no_kk")
    got = row.loc[kk_of([c.name for c in CASES].index(name))]
    assert (codes(got["sasaran"]), codes(got["faktor"])) == (sasaran, factors)


def test_assessment_stores_which_couple_fired(loaded) -> None:
    run = assess(loaded, load_ruleset("krs-2024"), REF)
    with loaded.connect() as conn:
        stored = dict(
            conn.execute(
                select(assessment_families.c.no_kk, assessment_families.c.pasangan).where(
                    assessment_families.c.run_id == run.run_id
                )
            ).all()
        )
    assert stored[kk_of(0)] == f"{nik_of(0, 1)}:;{nik_of(0, 3)}:terlalu_muda"
    no_couple = [c.name for c in CASES].index("wife one day short of 10 is not")
    assert stored[kk_of(no_couple)] is None


def test_the_shipped_rule_sets_say_where_each_parameter_comes_from() -> None:
    rs = load_ruleset("krs-2024")
    kb = rs.factors["tidak_kb_modern"]
    assert (kb.mode, kb.mal_modern) == ("unmet_need", True)
    assert rs.factors["terlalu_dekat"].youngest_max_months == 24
    assert rs.factors["air_minum_tidak_layak"].air_hujan_safe is False
    assert (rs.sasaran.pus_min_age, rs.sasaran.pus_max_age) == (10, 49)
    assert rs.sasaran.pregnancy_flag_valid_months == 9
    for name in ("krs-2021", "krs-2024"):
        lines = (PACKAGED / f"{name}.toml").read_text().splitlines()
        keys = ["pus_min_age", "pregnancy_flag_valid_months", "youngest_max_months"]
        keys += ["air_hujan_safe", "from_age"] + (["mode", "mal_modern"] if "2024" in name else [])
        for key in keys:
            at = next(i for i, line in enumerate(lines) if line.startswith(f"{key} ="))
            above = lines[max(0, at - 9) : at]
            assert any(line.startswith("#") and "[" in line for line in above), (name, key)


def test_export_and_family_page_name_the_couple(loaded, db_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from sinergi.cli import app as cli_app
    from sinergi.security.access import FamilyIds
    from sinergi.security.users import create_user
    from sinergi.web.app import create_app
    from tests.web.conftest import PASSWORD, SECRET, login

    assess(loaded, load_ruleset("krs-2024"), REF)
    out = tmp_path / "penilaian.csv"
    res = CliRunner().invoke(
        cli_app, ["export", "assessment", "--out", str(out), "--db", db_url, "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    exported = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("no_kk")
    # the daughter-in-law of the first case: her name, her masked NIK, her couple's factor
    menantu = nik_of(0, 3)
    masked = menantu[:4] + "•" * 8 + menantu[-4:]
    assert exported.loc[kk_of(0), "pasangan"] == (
        f"Warga 0-1 ({nik_of(0, 1)[:4]}{'•' * 8}{nik_of(0, 1)[-4:]}): -; "
        f"Warga 0-3 ({masked}): terlalu_muda"
    )

    create_user(loaded, "dppkb", "dppkb", [], [], PASSWORD)
    application = create_app(db_url, secret=SECRET)
    try:
        with TestClient(application) as client:
            login(client, "dppkb")
            html = client.get(f"/keluarga/{FamilyIds(SECRET).encode(kk_of(0))}").text
    finally:
        application.state.engine.dispose()
    couples = html[html.index('<ul class="couples">') :]
    couples = couples[: couples.index("</ul>")]
    assert "Warga 0-3" in couples and masked in couples and menantu not in couples
    assert 'data-couple-factor="terlalu_muda"' in couples
    first, second = couples.split("<li")[1:3]
    assert "Warga 0-1" in first and "terlalu_muda" not in first
    assert "Warga 0-3" in second
