"""The one message catalogue (`sinergi.messages`) and the one number and date formatter
(`sinergi.core.display`): both languages complete, the same placeholders in both, every code the
sources and the page templates ask for present, and numbers written the way each language writes
them."""

from __future__ import annotations

import dataclasses
import re
import string
from datetime import date, datetime
from pathlib import Path
from typing import get_args

import pytest

from sinergi.assess.findings import FAMILY_CODES
from sinergi.assess.growth_file import GrowthSummary
from sinergi.assess.missed import SIGNALS
from sinergi.assess.pregnancy import CODES as PREGNANCY_CODES
from sinergi.assess.summary import OUR_KINDS, PUBLISHED_KUTIM
from sinergi.assess.zscores import FLAG_LIMITS, REASONS
from sinergi.batch.engine import PROGRESS_UNITS
from sinergi.core import display
from sinergi.core.growth import CATEGORIES
from sinergi.core.statuses import NEXT, REJECT_REASONS, STATUSES
from sinergi.deliver.projects import PROJECT_STATUSES
from sinergi.ingest.schema import KINDS
from sinergi.messages import CATALOGUE, t
from sinergi.monitor.missed import UNREACHED
from sinergi.registry import verify
from sinergi.reports.kinds import KINDS as REPORT_KINDS
from sinergi.rules.ruleset import FACTOR_CODES, SASARAN_CODES
from sinergi.security.access import ROLES
from sinergi.targeting.allocate import METHOD_GREEDY, METHOD_HIGHS, METHOD_MATROID
from sinergi.targeting.programmes import NETWORK_STATUSES, Programme
from sinergi.web.queries import VERIFY_SCOPES
from sinergi.web.routes.dashboard import MAP_METRICS

SRC = Path(__file__).resolve().parents[1] / "src" / "sinergi"

# A literal code: t("kode"), ctx.t("kode"), messages.t("kode"), _message("kode") in Python,
# t("kode") in a template (not some_t(...): the name must not continue an identifier).
LITERAL = re.compile(r"(?<![A-Za-z0-9_])(?:t|_message)\(\s*[\"']([a-z][A-Za-z0-9_]*)[\"']\s*[,)]")
# A code built from a prefix: t(f"status_{s}") in Python, t("status_" ~ s) in a template.
PY_PREFIX = re.compile(r"(?<![A-Za-z0-9_])t\(\s*f[\"']([a-z][a-z0-9_]*_)\{")
JINJA_PREFIX = re.compile(r"(?<![A-Za-z0-9_])t\(\s*\"([a-z][a-z0-9_]*_)\"\s*~")

_REASON_CODES = (
    "anak_tidak_terdaftar",
    "anak_bukan_krs",
    "anak_tidak_terhubung",
    "belum_diukur",
    *SIGNALS,
    *PREGNANCY_CODES,
)
_SYNTH_STAGES = tuple(
    sorted(set(re.findall(r"report\(\"([a-z_]+)\"", (SRC / "synth" / "__init__.py").read_text())))
)
_CHART_WORDS = tuple(
    re.findall(r"text\([\"']([a-z_]+)[\"']\)", (SRC / "web" / "charts.py").read_text())
)

# prefix -> every value the code appends to it. None: the values are the columns of the tables
# the command line prints, checked by the CLI tests (no 'kol_' may reach the screen).
PREFIXES: dict[str, tuple[str, ...] | None] = {
    "status_": STATUSES,
    "aksi_": tuple({n for steps in NEXT.values() for n in steps if n != "ditolak"}),
    "tolak_": REJECT_REASONS,
    "faktor_": FACTOR_CODES,
    "jelas_": FACTOR_CODES,
    "sasaran_": SASARAN_CODES,
    "jenis_": tuple(KINDS),
    "peran_": ROLES,
    "satuan_": get_args(Programme.model_fields["unit"].annotation),
    "air_": (*NETWORK_STATUSES, "tidak_diketahui"),
    "proyek_": PROJECT_STATUSES,
    "metrik_": MAP_METRICS,
    "lap_nama_": tuple(REPORT_KINDS),
    "konflik_": ("eksklusif", "ganda"),
    "periode_": ("S", "T", "Y"),
    "severity_": ("error", "warning"),
    "metode_": (METHOD_HIGHS, METHOD_MATROID, METHOD_GREEDY),
    "token_kolom_": ("id", "pengguna", "jenis", "dibuat", "berakhir", "dipakai", "keadaan"),
    "token_jenis_": ("cookie", "bearer"),
    "token_keadaan_": ("aktif", "kedaluwarsa", "dicabut"),
    "grafik_": ("L", "P", *_CHART_WORDS, "y_tbu", "y_bbu"),
    "indikator_": tuple(FLAG_LIMITS),
    "gizi_": tuple(f"{ind}_{c}" for ind, codes in CATEGORIES.items() for c in codes),
    "gizi_tbu_": CATEGORIES["tbu"],
    "gizi_bbtb_": CATEGORIES["bbtb"],
    "tahap_": _SYNTH_STAGES,
    "anthro_": tuple(f.name for f in dataclasses.fields(GrowthSummary) if f.type in (int, "int")),
    "terlewat_alasan_": (*_REASON_CODES, UNREACHED),
    "hasil_verifikasi_": verify.HASIL,
    "status_verifikasi_": (verify.APPLIED, verify.WAITING, verify.REJECTED),
    "verif_sumber_": verify.SUMBER,
    "verif_daftar_": VERIFY_SCOPES,
    "temuan_": FAMILY_CODES,
    "batch_satuan_": PROGRESS_UNITS,
    "kol_": None,
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py")) + sorted((SRC / "web" / "templates").rglob("*.html"))


def test_every_code_has_a_text_in_both_languages() -> None:
    for code, pair in CATALOGUE.items():
        assert isinstance(pair, tuple) and len(pair) == 2, code
        assert all(isinstance(text, str) and text.strip() for text in pair), code


def test_both_languages_use_the_same_placeholders() -> None:
    # Format specs may differ ({n:id} / {n:en}); the names may not.
    differ = {
        code: (_fields(id_text), _fields(en_text))
        for code, (id_text, en_text) in CATALOGUE.items()
        if _fields(id_text) != _fields(en_text)
    }
    assert differ == {}


def test_every_code_the_sources_ask_for_is_in_the_catalogue() -> None:
    missing: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(SRC))
        for code in LITERAL.findall(text):
            if code not in CATALOGUE:
                missing[code] = where
        pattern = JINJA_PREFIX if path.suffix == ".html" else PY_PREFIX
        for prefix in pattern.findall(text):
            prefixes.setdefault(prefix, where)
    assert missing == {}
    assert len(prefixes) > 15  # the scan finds the patterns it is meant to find
    unknown = {p: where for p, where in prefixes.items() if p not in PREFIXES}
    assert unknown == {}, "a new t(prefix ~ value) pattern: list its values in PREFIXES"
    absent = [
        prefix + value
        for prefix, values in PREFIXES.items()
        for value in values or ()
        if prefix + value not in CATALOGUE
    ]
    assert absent == []


def test_codes_kept_as_data_are_in_the_catalogue() -> None:
    cost_labels = get_args(Programme.model_fields["cost_label"].annotation)
    published = [code for p in PUBLISHED_KUTIM for code in (p.text, p.source, p.kind)]
    codes = [*published, *OUR_KINDS.values(), *(c.replace(" ", "_") for c in cost_labels)]
    assert [c for c in codes if c not in CATALOGUE] == []


def test_growth_words_for_every_category_and_reason() -> None:
    for lang in ("id", "en"):
        for indicator, codes in CATEGORIES.items():
            assert all(f"gizi_{indicator}_{c}" in CATALOGUE for c in codes), indicator
        assert all(f"gizi_alasan_{code}" in CATALOGUE for code in REASONS)
        assert t("gizi_flag", lang) != "gizi_flag"
    assert t("gizi_tbu_pendek") == "Pendek (stunted)"
    assert t("gizi_bbtb_normal", "id") == "Gizi baik (normal)"
    assert t("gizi_alasan_berat_kosong", "en") == "Weight is empty."


def test_unknown_code_comes_back_as_itself() -> None:
    assert t("tidak_ada_kode_begini", "en") == "tidak_ada_kode_begini"
    assert t("ditulis", "en", rows="1,234", path="x.csv") == "1,234 rows written to x.csv"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", ["1.234.567", "1.234,57", "20,6 %", "Rp 15.000.000.000", "31/08/2026"]),
        ("en", ["1,234,567", "1,234.57", "20.6 %", "Rp 15,000,000,000", "2026-08-31"]),
    ],
)
def test_numbers_and_dates_by_language(lang: str, expected: list[str]) -> None:
    got = [
        display.num(1234567, lang),
        display.dec(1234.567, lang),
        display.pct(20.6, lang),
        display.rp(15e9, lang),
        display.tgl(date(2026, 8, 31), lang),
    ]
    assert got == expected
    moment = datetime(2026, 8, 31, 14, 5, 9)
    assert display.waktu(moment, lang).endswith("14:05:09")
    assert display.waktu("2026-08-31T14:05", lang, seconds=False) == f"{expected[-1]} 14:05"
    assert display.tgl("2026-08-31", lang) == expected[-1]


def test_table_cells() -> None:
    import numpy as np
    import pandas as pd

    assert display.cell(np.int64(1234), "id") == "1.234"
    assert display.cell(1234.56, "en") == "1,234.6"
    assert display.cell(None) == display.cell(float("nan")) == display.cell(pd.NA) == "—"
    assert display.cell(pd.Timestamp("2026-08-31"), "id") == "31/08/2026"
    assert display.cell("6408010101200001") == "6408010101200001"  # text stays as written
