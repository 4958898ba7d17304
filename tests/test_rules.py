"""KRS rule sets at every boundary, evaluated by SQLite, PostgreSQL and DuckDB over Parquet.

Reference date 31 August 2026. Every case family is a PUS (wife 25, husband, one child of 3,
safe water and latrine, modern contraception) changed in one respect, so each case shows one
rule deciding. Couples beside the head's, dated pregnancies and each parameter's two values are
in test_couples.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from sinergi.assess.run import evaluate_families, rules_backend
from sinergi.rules import FACTOR_CODES, RuleSetError, load_ruleset
from sinergi.store.tables import families, persons
from tests.extracted import batch_families, extract_of

REF = date(2026, 8, 31)


def born(years: int = 0, months: int = 0, days: int = 0) -> date:
    """The birth date of someone exactly this old at REF (minus extra days)."""
    y, m = divmod(REF.year * 12 + REF.month - 1 - years * 12 - months, 12)
    d = date(y, m + 1, min(REF.day, 28 if m + 1 == 2 else 30 if m + 1 in (4, 6, 9, 11) else 31))
    return date.fromordinal(d.toordinal() - days)


@dataclass
class Case:
    name: str
    sasaran: set[str]
    factors_2024: set[str]
    factors_2021: set[str] | None = None  # None: 2024 minus the 2024-only factors
    wife: date | None = field(default_factory=lambda: born(25))
    kids: list[date] = field(default_factory=lambda: [born(3)])
    water: str = "ledeng"
    latrine: str = "sendiri_septik"
    kb: str | None = "suntik"
    husband_kb: str | None = None
    pregnant: bool = False
    desil: int | None = None
    spending: int | None = None
    miskin: bool = False
    others: list[tuple[str, str, date]] = field(default_factory=list)  # (hubungan, sex, born)


BASE = {"pus", "balita"}
YOUNG = {"pus", "baduta", "balita"}
CASES = [
    Case("base", BASE, set()),
    Case("wife 19", BASE, {"terlalu_muda"}, wife=born(19)),
    Case("wife 20 the day before her birthday", BASE, {"terlalu_muda"}, wife=born(20, days=-1)),
    Case("wife 20", BASE, set(), wife=born(20)),
    Case("wife 34", BASE, set(), wife=born(34)),
    Case("wife 35", BASE, {"terlalu_tua"}, wife=born(35)),
    Case("wife 40", BASE, {"terlalu_tua"}, wife=born(40)),
    Case("wife 41", BASE, set(), wife=born(41)),
    Case("wife 50: not PUS", {"balita"}, set(), wife=born(50)),
    Case("3 children", BASE, set(), kids=[born(3), born(6), born(9)]),
    Case("4 children", BASE, {"terlalu_banyak"}, kids=[born(3), born(6), born(9), born(12)]),
    # terlalu_dekat: only while the youngest is under 24 months (youngest_max_months).
    Case("spacing 23 months", YOUNG, {"terlalu_dekat"}, kids=[born(0, 6), born(2, 5)]),
    Case("spacing 24 months", YOUNG, set(), kids=[born(0, 6), born(2, 6)]),
    Case(
        "spacing one day short of 24 months",
        YOUNG,
        {"terlalu_dekat"},
        kids=[born(0, 6), born(2, 6, days=-1)],
    ),
    Case("spacing 23 months, youngest 3: long past", BASE, set(), kids=[born(3), born(4, 11)]),
    Case(
        "spacing 11 months, youngest 23 months",
        YOUNG,
        {"terlalu_dekat"},
        kids=[born(1, 11), born(2, 10)],
    ),
    Case("spacing 11 months, youngest 24 months", BASE, set(), kids=[born(2), born(2, 11)]),
    Case("twins are one birth", {"pus", "baduta"}, set(), kids=[born(0, 6), born(0, 6)]),
    *[
        Case(f"water {w}", BASE, set(), water=w)
        for w in ("kemasan", "ledeng", "sumur_bor", "sumur_terlindung")
    ],
    *[
        Case(f"water {w}", BASE, {"air_minum_tidak_layak"}, water=w)
        for w in ("sumur_tak_terlindung", "mata_air", "sungai_danau", "air_hujan", "lainnya")
    ],
    *[Case(f"latrine {j}", BASE, set(), latrine=j) for j in ("sendiri_septik", "bersama_septik")],
    *[
        Case(f"latrine {j}", BASE, {"jamban_tidak_layak"}, latrine=j)
        for j in ("tanpa_septik", "tidak_ada")
    ],
    Case("no contraception", BASE, {"tidak_kb_modern"}, kb="tidak_kb"),
    Case("traditional method", BASE, {"tidak_kb_modern"}, kb="tradisional"),
    Case("MAL is modern in krs-2024 (mal_modern)", BASE, set(), kb="mal"),
    Case("contraception unknown", BASE, {"tidak_kb_modern"}, kb=None),
    Case("pregnant without contraception", BASE | {"pus_hamil"}, set(), kb=None, pregnant=True),
    Case("husband vasectomy", BASE, set(), kb="tidak_kb", husband_kb="mop"),
    Case("decile 1", BASE, {"desil_1"}, desil=1, miskin=True),
    Case("decile 2", BASE, set(), desil=2),
    Case("spending under the line", BASE, set(), spending=300_000, miskin=True),
    Case("spending over the line", BASE, set(), spending=400_000),
    Case("baduta 23 months", {"pus", "baduta"}, set(), kids=[born(1, 11)]),
    Case("balita 24 months", {"pus", "balita"}, set(), kids=[born(2)]),
    Case("child of 60 months is neither", {"pus"}, set(), kids=[born(5)]),
    Case(
        "not a target family: unsafe water does not count",
        set(),
        set(),
        wife=born(55),
        kids=[born(30)],
        water="sungai_danau",
        miskin=True,
        desil=1,
    ),
    Case(
        "grandmother with a baduta grandchild",
        {"baduta"},
        {"air_minum_tidak_layak"},
        wife=None,
        kids=[],
        water="sungai_danau",
        others=[("cucu", "L", born(0, 10))],
    ),
]
FACTORS_2024_ONLY = {"tidak_kb_modern", "desil_1"}


def rows_for(i: int, case: Case) -> tuple[dict, list[dict]]:
    kk = f"64080101012{i:05d}"
    fam = {
        "no_kk": kk,
        "kode_desa": "64.08.01.2001",
        "sumber_air": case.water,
        "jamban": case.latrine,
        "rumah_layak": i % 2 == 0,
        "desil": case.desil,
        "pengeluaran_per_kapita": case.spending,
        "batch_id": None,
        "baris": None,
    }
    people = []

    def add(
        n: int,
        sex: str,
        birth: date,
        rel: str,
        kawin: str,
        kb: str | None = None,
        hamil: bool | None = None,
    ) -> None:
        people.append(
            {
                "nik": f"640801{i:04d}{n:06d}",
                "no_kk": kk,
                "nama": f"P{i}-{n}",
                "jenis_kelamin": sex,
                "tanggal_lahir": birth,
                "hubungan": rel,
                "status_kawin": kawin,
                "hamil": hamil,
                "kontrasepsi": kb,
            }
        )

    if case.wife is not None:
        add(1, "L", born(45), "kepala_keluarga", "kawin", case.husband_kb)
        add(2, "P", case.wife, "istri", "kawin", case.kb, case.pregnant)
    else:
        add(2, "P", born(60), "kepala_keluarga", "cerai_mati")
    for n, k in enumerate(case.kids, start=3):
        add(n, "L", k, "anak", "belum_kawin")
    for n, (rel, sex, b) in enumerate(case.others, start=20):
        add(n, sex, b, rel, "belum_kawin")
    return fam, people


@pytest.fixture
def loaded(engine):  # type: ignore[no-untyped-def]
    fams, people = [], []
    for i, case in enumerate(CASES):
        f, p = rows_for(i, case)
        fams.append(f)
        people += p
    with engine.begin() as conn:
        conn.execute(insert(families), fams)
        conn.execute(insert(persons), people)
    return engine


def check(result, ruleset: str) -> None:  # type: ignore[no-untyped-def]
    by_kk = result.set_index("no_kk")
    for i, case in enumerate(CASES):
        row = by_kk.loc[f"64080101012{i:05d}"]
        expected = (
            case.factors_2024
            if ruleset == "krs-2024"
            else (
                case.factors_2021
                if case.factors_2021 is not None
                else case.factors_2024 - FACTORS_2024_ONLY
            )
        )
        got_factors = set(filter(None, row["faktor"].split(";")))
        got_sasaran = set(filter(None, row["sasaran"].split(";")))
        assert (got_sasaran, got_factors) == (case.sasaran, expected), case.name
        assert bool(row["krs"]) == bool(expected), case.name
        assert bool(row["miskin_ekstrem"]) == case.miskin, case.name


@pytest.mark.parametrize("ruleset", ["krs-2021", "krs-2024"])
def test_every_boundary_in_the_database(loaded, ruleset: str) -> None:
    check(evaluate_families(rules_backend(loaded), load_ruleset(ruleset), REF), ruleset)


@pytest.mark.parametrize("ruleset", ["krs-2021", "krs-2024"])
def test_duckdb_over_parquet_gives_identical_results(loaded, tmp_path: Path, ruleset) -> None:
    rs = load_ruleset(ruleset)
    in_db = evaluate_families(rules_backend(loaded), rs, REF)
    on_duckdb = batch_families(extract_of(loaded, tmp_path / "extract"), rs, REF)
    check(on_duckdb, ruleset)
    assert in_db.equals(on_duckdb)


def test_regional_override_switches_on_unliveable_house(loaded, tmp_path, monkeypatch) -> None:
    from sinergi.rules import ruleset as module

    src = (module.PACKAGED / "krs-2024.toml").read_text()
    custom = src.replace('id = "krs-2024"', 'id = "krs-2024-kutim"').replace(
        "[factors.rumah_tidak_layak]\nenabled = false",
        "[factors.rumah_tidak_layak]\nenabled = true",
    )
    (tmp_path / "krs-2024-kutim.toml").write_text(custom)
    monkeypatch.setenv("SINERGI_RULES_PATH", str(tmp_path))
    from sinergi.settings import get_settings

    get_settings.cache_clear()
    try:
        rs = load_ruleset("krs-2024-kutim")
    finally:
        get_settings.cache_clear()
    assert "rumah_tidak_layak" in rs.enabled_factors
    result = evaluate_families(rules_backend(loaded), rs, REF).set_index("no_kk")
    liveable = result.loc["6408010101200000"]  # even cases have a liveable house
    assert "rumah_tidak_layak" not in liveable["faktor"]
    odd = result.loc["6408010101200001"]  # odd cases do not
    assert "rumah_tidak_layak" in odd["faktor"].split(";")


def test_a_typo_in_a_rule_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'id="x"\nversion="1"\ntitle="x"\n[factors.air_minum]\n'
        "[extreme_poverty]\nline_rp_per_capita_month=1\nline_year=2023\n"
    )
    with pytest.raises(RuleSetError, match="unknown factor"):
        load_ruleset(bad)
    assert set(load_ruleset("krs-2024").enabled_factors) <= set(FACTOR_CODES)
