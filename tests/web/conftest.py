"""A small seeded regency for the web tests, built once per session (synth at 1 % → import →
assess → pmt-baznas proposals → one account per role) and copied for each test, on SQLite and,
through a template database, on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import and_, func, select
from sqlalchemy.engine import make_url

from tests.conftest import SYNTH_REF, copy_sqlite, named_pg_database

SECRET = b"test-secret-for-family-ids-0123456789"
PASSWORD = "rahasia-uji-123"


@dataclass(frozen=True)
class Facts:
    """Records the tests address: chosen from the seeded data, the same on both databases."""

    village: str  # the desa operator's village
    in_village: str  # No KK of a pmt-baznas beneficiary in that village (in every named scope)
    outside: str  # No KK in another village, outside the agency officer's scope
    search_name: str  # head of `in_village`
    other_village: str


USERS = {
    "admin": ("admin", [], []),
    "dppkb": ("dppkb", [], []),
    "baznas": ("instansi", [], ["pmt-baznas"]),
    "desa": ("desa", None, []),  # the village is filled in from Facts
    "analis": ("analis", [], []),
    "auditor": ("auditor", [], []),
}


def _seed(url: str, data: Path) -> Facts:
    from sinergi.assess.run import assess
    from sinergi.registry.importer import import_file
    from sinergi.rules import load_ruleset
    from sinergi.security.users import create_user
    from sinergi.store.db import ensure_schema, get_engine
    from sinergi.store.tables import (
        assessment_families,
        families,
        interventions,
        proposals,
    )
    from sinergi.synth import source_files
    from sinergi.targeting.families import family_plan, save_proposals
    from sinergi.targeting.programmes import load_programme

    engine = ensure_schema(url)
    for kind, path in source_files(data):
        assert import_file(engine, kind, path).status == "dimuat"
    run = assess(engine, load_ruleset("krs-2024"), SYNTH_REF)
    prog = load_programme("pmt-baznas")
    save_proposals(engine, prog, run.run_id, family_plan(engine, run.run_id, prog))
    p, f, a = proposals.c, families.c, assessment_families.c
    with engine.connect() as conn:
        village, in_village, name = conn.execute(
            select(p.kode_desa, p.no_kk, f.nama_kepala)
            .join(families, f.no_kk == p.no_kk)
            .where(f.nama_kepala.is_not(None))
            .order_by(p.kode_desa, p.no_kk)
            .limit(1)
        ).one()
        baznas = select(interventions.c.no_kk).where(
            interventions.c.kode_program == "pmt-baznas", interventions.c.no_kk.is_not(None)
        )
        outside, other_village = conn.execute(
            select(f.no_kk, f.kode_desa)
            .join(assessment_families, and_(a.no_kk == f.no_kk, a.run_id == run.run_id))
            .where(
                f.kode_desa != village,
                a.krs.is_(False),
                f.no_kk.not_in(baznas),
                f.no_kk.not_in(select(p.no_kk)),
                f.nama_kepala.is_not(None),
            )
            .order_by(f.no_kk)
            .limit(1)
        ).one()
        assert conn.execute(select(func.count()).select_from(proposals)).scalar_one() > 3
    facts = Facts(village, in_village, outside, name, other_village)
    for username, (role, wilayah, program) in USERS.items():
        create_user(
            engine, username, role, [village] if wilayah is None else wilayah, program, PASSWORD
        )
    engine.dispose()
    get_engine.cache_clear()
    return facts


@pytest.fixture(scope="session")
def seeded_sqlite(
    tmp_path_factory: pytest.TempPathFactory, synth_regency: Path
) -> tuple[Path, Facts]:
    path = tmp_path_factory.mktemp("webdb") / "seeded.db"
    facts = _seed(f"sqlite:///{path}", synth_regency)
    return path, facts


@pytest.fixture(scope="session")
def seeded_pg(synth_regency: Path) -> Iterator[tuple[str, Facts]]:
    with named_pg_database("sinergi_web") as url:
        yield str(make_url(url).database), _seed(url, synth_regency)


@pytest.fixture
def seeded_sqlite_url(tmp_path: Path, seeded_sqlite: tuple[Path, Facts]) -> tuple[str, Facts]:
    return copy_sqlite(seeded_sqlite[0], tmp_path / "sinergi.db"), seeded_sqlite[1]


@pytest.fixture
def seeded_pg_url(seeded_pg: tuple[str, Facts]) -> Iterator[tuple[str, Facts]]:
    with named_pg_database("sinergi_test", seeded_pg[0]) as url:
        yield url, seeded_pg[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest) -> tuple[str, Facts]:
    """A copy of the seeded regency, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"seeded_{'sqlite' if request.param == 'sqlite' else 'pg'}_url")


def running_app(url: str):  # type: ignore[no-untyped-def]
    """The web app over the database at ``url`` (for a fixture to yield), its engine closed after."""
    from sinergi.web.app import create_app

    application = create_app(url, secret=SECRET)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def app(seeded: tuple[str, Facts]):  # type: ignore[no-untyped-def]
    yield from running_app(seeded[0])


@pytest.fixture
def facts(seeded: tuple[str, Facts]) -> Facts:
    return seeded[1]


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as c:
        yield c


INTERVENSI_HEADER = [
    "Kode Program",
    "No KK",
    "NIK",
    "Nama",
    "Kode Desa",
    "Tanggal",
    "Status",
    "Nilai",
    "Keterangan",
]


def agency_list_with_errors(path: Path, no_kk: str, village: str) -> Path:
    """A Baznas delivery list: one good row, one with a date nobody can read."""
    from tests.helpers import write_csv

    return write_csv(
        path,
        INTERVENSI_HEADER,
        [
            [
                "pmt-baznas",
                no_kk,
                "",
                "Penerima Uji",
                village,
                "10/03/2026",
                "Terverifikasi",
                "1100000",
                "Paket pangan bulan ke-1",
            ],
            [
                "pmt-baznas",
                no_kk,
                "",
                "Penerima Uji",
                village,
                "bukan tanggal",
                "Terverifikasi",
                "1100000",
                "Paket pangan bulan ke-2",
            ],
        ],
    )


def login_form(client: TestClient, username: str, password: str) -> dict[str, str]:
    """The login form's fields as a browser sends them, with the form's CSRF token."""
    page = client.get("/masuk")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return {"username": username, "password": password, "csrf": found.group(1)}


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token (from the page's meta tag)."""
    res = client.post("/masuk", data=login_form(client, username, password), follow_redirects=False)
    assert res.status_code == 303, res.text
    page = client.get("/")
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def upload(client: TestClient, csrf: str, kind: str, path: Path, **extra: str) -> Any:
    """The import page's form sent with ``path`` as the officer's file."""
    with path.open("rb") as fh:
        return client.post(
            "/impor",
            data={"kind": kind, "csrf": csrf, **extra},
            files={"berkas": (path.name, fh, "text/csv")},
        )


def api_upload(
    client: TestClient, kind: str, path: Path, headers: dict[str, str] | None = None, **form: str
) -> Any:
    """``POST /api/v1/imports/{kind}`` with ``path`` as the file."""
    with path.open("rb") as fh:
        return client.post(
            f"/api/v1/imports/{kind}",
            headers=headers,
            files={"file": (path.name, fh, "text/csv")},
            data=form,
        )


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    res = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['access_token']}"}
