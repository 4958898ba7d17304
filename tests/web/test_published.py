"""The dashboard's published figures beside ours: synthetic data said to be synthetic (every
generated file carries the marker the importer keeps), each side naming its period and kind of
source, and a row called comparable only for the same year and kind of real data — SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import update

from sinergi.assess.run import assess
from sinergi.rules import load_ruleset
from sinergi.store.tables import import_batches
from tests.web.conftest import login


def _rows(html: str) -> list[str]:
    """The rows of the comparison card, tags removed."""
    table = re.search(r'data-key="perbandingan_resmi">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, html[:500]
    rows = re.findall(r"<tr><th>(.*?)</tr>", table.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " | ", row)) for row in rows]


def test_dashboard_says_synthetic_and_names_period_and_source(client: TestClient) -> None:
    login(client, "analis")
    html = client.get("/").text
    assert 'data-key="data_sintetis"' in html
    assert "Data sintetis." in html and "karena kalibrasi, bukan validasi" in html
    assert "Sinergi (data sintetis, 31/08/2026)" in html
    krs, ssgi_2024, ssgi_2022, people = _rows(html)
    assert "dinilai per 31/08/2026 dengan aturan krs-2024" in krs
    assert "Verval KRS BKKBN 2024" in krs and "11.973 (semester II 2024)" in krs
    assert "sensus posyandu (e-PPGBM)" in ssgi_2024 and "balita terdaftar" in ssgi_2024
    assert "SSGI 2024" in ssgi_2024 and "survei sampel" in ssgi_2024
    assert "SSGI 2022" in ssgi_2022 and "periode berbeda (2026 dan 2022)" in ssgi_2022
    assert "Kepmendagri" in people
    for row in (krs, ssgi_2024, ssgi_2022, people):
        assert "Tidak sebanding: data sintetis, dikalibrasi ke angka resmi" in row
        assert "Sebanding:" not in row
    assert "periode berbeda (2026 dan 2024)" in krs and "jenis sumber berbeda" not in krs
    assert "jenis sumber berbeda (sensus posyandu (e-PPGBM) dan survei sampel)" in ssgi_2024
    client.cookies.set("lang", "en")
    en = client.get("/").text
    assert "Synthetic data." in en and "Sinergi (synthetic data, 2026-08-31)" in en
    assert "Not comparable: synthetic data" in en and "sample survey" in en


def test_real_data_of_the_same_year_and_kind_is_comparable(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    """The same rows as files without the marker, assessed for the end of 2024: the KRS count
    (a roster beside Verval KRS 2024) is comparable; stunting of the posyandu census is not
    beside a survey, nor beside another year."""
    engine = app.state.engine
    with engine.begin() as conn:
        conn.execute(update(import_batches).values(extra_columns=None))
    assess(engine, load_ruleset("krs-2024"), date(2024, 12, 31))
    login(client, "analis")
    html = client.get("/").text
    assert "Data sintetis" not in html and 'data-key="data_sintetis"' not in html
    assert "Sinergi (31/12/2024)" in html
    krs, ssgi_2024, ssgi_2022, people = _rows(html)
    assert "Sebanding: tahun dan jenis sumber sama" in krs and "Tidak sebanding" not in krs
    assert "Tidak sebanding: jenis sumber berbeda (sensus posyandu" in ssgi_2024
    assert "periode berbeda" not in ssgi_2024
    assert "Tidak sebanding: periode berbeda (2024 dan 2022); jenis sumber berbeda" in ssgi_2022
    assert "Tidak sebanding: jenis sumber berbeda" in people
