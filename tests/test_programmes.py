"""Programme catalogue files and the safe eligibility evaluator."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.rules.ruleset import FACTOR_CODES
from sinergi.targeting.eligibility import parse, to_pandas
from sinergi.targeting.programmes import (
    PACKAGED,
    Programme,
    ProgrammeError,
    available_programmes,
    exclusion_pairs,
    load_catalogue,
    load_programme,
)

SHIPPED = (
    "air-bersih",
    "bantuan-tunai-baznas",
    "bedah-rumah",
    "blt-dd",
    "jamban-sehat",
    "kb-tpk",
    "pmt-baznas",
    "pmt-dinkes",
)


def test_every_shipped_programme_loads_and_labels_costs_as_examples() -> None:
    catalogue = load_catalogue()
    assert set(SHIPPED) <= set(catalogue)
    for code in SHIPPED:
        p = catalogue[code]
        assert p.code == code
        assert p.cost_label == "contoh biaya"
        assert "CONTOH BIAYA" in (PACKAGED / f"{code}.toml").read_text(encoding="utf-8")


def test_seed_story_values() -> None:
    air = load_programme("air-bersih")
    assert (air.agency, air.unit, air.need) == ("PU", "desa", "air_minum_tidak_layak")
    assert air.cost_from == "biaya_jaringan" and air.default_cost_rp == 1_500_000_000
    assert air.budget_rp == 15_000_000_000
    assert air.exclude_village_status == ("konstruksi", "beroperasi")
    assert air.village_cost(None) == 1_500_000_000
    assert air.village_cost(900_000_000) == 900_000_000
    blt = load_programme("blt-dd")
    assert blt.unit_cost_rp == 300_000 * 12 and blt.quota_per_desa is not None
    assert load_programme("pmt-baznas").quota_per_kecamatan == 10
    assert ("bantuan-tunai-baznas", "blt-dd") in exclusion_pairs(load_catalogue())


def _write(folder: Path, code: str, text: str) -> Path:
    path = folder / f"{code}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_field_is_a_clear_error(tmp_path: Path) -> None:
    text = (PACKAGED / "kb-tpk.toml").read_text(encoding="utf-8").replace("budget_rp", "budjet_rp")
    path = _write(tmp_path, "kb-tpk", text)
    with pytest.raises(ProgrammeError, match="budjet_rp") as exc:
        load_programme(path)
    assert "kb-tpk.toml" in str(exc.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('agency = "DPPKB"', 'agency = "BKKBN"', "agency"),
        ('need = "tidak_kb_modern"', 'need = "tidak_kb"', "unknown need"),
        (
            "'terlalu_muda' in faktor",
            "'terlalu_mud' in faktor",
            "unknown faktor code 'terlalu_mud'",
        ),
        ("unit_cost_rp = 150_000", 'cost_from = "biaya_jaringan"', "unit 'desa'"),
        ('code = "kb-tpk"', 'code = "kb"', "must equal the file name"),
        ('"terlalu_banyak"]', '"terlalu_sering"]', "unknown factor"),
    ],
)
def test_invalid_files_name_the_problem(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (PACKAGED / "kb-tpk.toml").read_text(encoding="utf-8")
    assert old in text
    path = _write(tmp_path, "kb-tpk", text.replace(old, new))
    with pytest.raises(ProgrammeError, match=message):
        load_programme(path)


def test_override_folder_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (PACKAGED / "blt-dd.toml").read_text(encoding="utf-8")
    _write(tmp_path, "blt-dd", text.replace("quota_per_desa = 10", "quota_per_desa = 25"))
    _write(
        tmp_path,
        "pmt-desa",
        text.replace('code = "blt-dd"', 'code = "pmt-desa"').replace(
            'excludes = ["bantuan-tunai-baznas"]', "excludes = []"
        ),
    )
    monkeypatch.setenv("SINERGI_PROGRAMMES_PATH", str(tmp_path))
    assert load_programme("blt-dd").quota_per_desa == 25
    assert "pmt-desa" in available_programmes() and "air-bersih" in available_programmes()
    monkeypatch.delenv("SINERGI_PROGRAMMES_PATH")
    assert load_programme("blt-dd").quota_per_desa == 10
    with pytest.raises(ProgrammeError, match="not found; available: air-bersih"):
        load_programme("pmt-desa")


def test_inconsistent_costs_are_refused() -> None:
    base = load_programme("blt-dd").model_dump()
    with pytest.raises(ValueError, match="differs from monthly_rp"):
        Programme(**{**base, "unit_cost_rp": 1})
    no_cost = {k: v for k, v in base.items() if k not in ("unit_cost_rp", "monthly_rp", "months")}
    with pytest.raises(ValueError, match="exactly one of unit_cost_rp"):
        Programme(**no_cost)


# --------------------------------------------------------------------------- eligibility


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "no_kk": ["1", "2", "3", "4", "5"],
            "krs": [True, True, False, True, False],
            "miskin_ekstrem": [True, False, True, False, False],
            "faktor": [
                "air_minum_tidak_layak;desil_1",
                "jamban_tidak_layak",
                "",
                "tidak_kb_modern",
                None,
            ],
            "sasaran": ["pus;balita", "baduta", "pus", "pus_hamil", ""],
            "temuan": ["anak_stunting", "anak_kurus;ibu_hamil_kek", None, "", "anak_2t"],
            "jumlah_balita": [1, 0, 2, 0, 0],
            "jumlah_balita_stunting": [1, 0, 0, 0, 0],
        },
        index=[10, 11, 12, 13, 14],
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("krs and 'air_minum_tidak_layak' in faktor", [True, False, False, False, False]),
        ("miskin_ekstrem and krs", [True, False, False, False, False]),
        ("jumlah_balita_stunting > 0", [True, False, False, False, False]),
        ("jumlah_balita >= 1 or 'pus' in sasaran", [True, False, True, False, False]),
        ("'pus' in sasaran", [True, False, True, False, False]),  # not pus_hamil: whole codes
        ("krs and 'desil_1' not in faktor", [False, True, False, True, False]),
        ("not krs", [False, False, True, False, True]),
        ("jumlah_balita == jumlah_balita_stunting", [True, True, False, True, True]),
        (
            "(krs or miskin_ekstrem) and not\n'jamban_tidak_layak' in faktor",
            [True, False, True, True, False],
        ),
        ("'anak_kurus' in temuan", [False, True, False, False, False]),
        ("'ibu_hamil_kek' not in temuan", [True, False, True, True, True]),
    ],
)
def test_eligibility_mask(expression: str, expected: list[bool]) -> None:
    df = _frame()
    mask = to_pandas(parse(expression))(df)
    assert mask.dtype == bool
    assert list(mask.index) == list(df.index)
    assert mask.tolist() == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os')", "function call is not allowed"),
        ("__import__('os').system('true')", "not allowed"),
        ("faktor.__class__", "attribute access is not allowed"),
        ("len(faktor) > 0", "function call is not allowed"),
        ("krs and os", "unknown name 'os'"),
        ("jumlah_balita + 1 > 2", "BinOp is not allowed"),
        ("faktor[0] == 'x'", "Subscript is not allowed"),
        ("'air_minum' in faktor", "unknown faktor code 'air_minum'"),
        ("'pus' in krs", "needs one of faktor, sasaran, temuan"),
        ("'kurus' in temuan", "unknown temuan code 'kurus'"),
        ("jumlah_balita", "not true/false on its own"),
        ("krs > 0", "not a number"),
        ("0 < jumlah_balita < 3", "chained comparison"),
        ("jumlah_balita < 3", "the operator Lt is not allowed"),
        ("krs and", "not a valid expression"),
        ("True", "Constant is not allowed"),
        ("[x for x in ().__class__.__bases__]", "ListComp is not allowed"),
        ("lambda: 1", "Lambda is not allowed"),
    ],
)
def test_eligibility_refuses(expression: str, message: str) -> None:
    with pytest.raises(ProgrammeError, match=message):
        to_pandas(parse(expression))


def test_pmt_dinkes_serves_the_pmt_lokal_guidelines_cases() -> None:
    """A stunted child, a wasted child or a pregnant woman with KEK, and a child not gaining
    weight (2T) make a family eligible; a family without findings is not."""
    pmt = load_programme("pmt-dinkes")
    assert pmt.eligible(_frame()).tolist() == [True, True, False, False, True]
    for code in ("anak_berat_kurang", "anak_lila_rendah", "anak_edema", "ibu_hamil_kek"):
        one = _frame().iloc[[3]].assign(temuan=code)
        assert pmt.eligible(one).tolist() == [True], code
    for code in ("anak_bblr", "ukur_ulang", "ibu_hamil_anemia"):
        assert pmt.eligible(_frame().iloc[[3]].assign(temuan=code)).tolist() == [False], code


def test_eligibility_needs_the_assessment_columns() -> None:
    with pytest.raises(ProgrammeError, match="lacks column"):
        to_pandas(parse("krs"))(pd.DataFrame({"krs": [True]}))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(), st.booleans(), st.sets(st.sampled_from(FACTOR_CODES)), st.integers(0, 3)
        ),
        max_size=12,
    )
)
def test_eligibility_matches_row_by_row(rows: list[tuple[bool, bool, set[str], int]]) -> None:
    df = pd.DataFrame(
        {
            "krs": [r[0] for r in rows],
            "miskin_ekstrem": [r[1] for r in rows],
            "faktor": [";".join(c for c in FACTOR_CODES if c in r[2]) for r in rows],
            "sasaran": ["pus"] * len(rows),
            "temuan": [""] * len(rows),
            "jumlah_balita": [r[3] for r in rows],
            "jumlah_balita_stunting": [min(r[3], 1) for r in rows],
        }
    )
    got = to_pandas(
        parse("krs and ('desil_1' in faktor or not miskin_ekstrem) and jumlah_balita_stunting > 0")
    )(df)
    expected = [k and ("desil_1" in f or not m) and min(n, 1) > 0 for k, m, f, n in rows]
    assert got.tolist() == expected


def test_every_risk_factor_has_a_programme_that_meets_it() -> None:
    """Convergence is reachable: each KRS factor is removed by some shipped programme
    (docs/domain.md, "each risk factor maps to the intervention that removes it")."""
    met = {f for p in load_catalogue().values() for f in p.meets}
    assert set(FACTOR_CODES) <= met
    kb = load_programme("kb-tpk")
    assert kb.meets == (
        "tidak_kb_modern",
        "terlalu_muda",
        "terlalu_tua",
        "terlalu_dekat",
        "terlalu_banyak",
    )


def test_a_programme_is_parsed_once_until_its_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (PACKAGED / "blt-dd.toml").read_text(encoding="utf-8")
    path = _write(tmp_path, "blt-dd", text)
    monkeypatch.setenv("SINERGI_PROGRAMMES_PATH", str(tmp_path))
    first = load_programme("blt-dd")
    assert load_programme("blt-dd") is first
    catalogue = load_catalogue()
    assert catalogue["blt-dd"] is first and load_catalogue()["blt-dd"] is first
    # An edited file is read again, by the programme and by the catalogue.
    path.write_text(text.replace("quota_per_desa = 10", "quota_per_desa = 25"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_programme("blt-dd").quota_per_desa == 25
    assert load_catalogue()["blt-dd"].quota_per_desa == 25
    # A file added to the shelf joins the catalogue.
    _write(
        tmp_path,
        "pmt-desa",
        text.replace('code = "blt-dd"', 'code = "pmt-desa"').replace(
            'excludes = ["bantuan-tunai-baznas"]', "excludes = []"
        ),
    )
    assert "pmt-desa" in load_catalogue()
