"""Schemathesis against /api/v1/openapi.json, in process (ASGI), authenticated with a bearer
token: no server error for any generated request, and every response matches its documented
schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.web.conftest import Facts, bearer, running_app


@pytest.fixture
def sqlite_app(seeded_sqlite_url: tuple[str, Facts]):  # type: ignore[no-untyped-def]
    yield from running_app(seeded_sqlite_url[0])


@pytest.fixture
def token(sqlite_app: Any) -> dict[str, str]:
    with TestClient(sqlite_app) as client:
        return bearer(client, "admin")


# `schemathesis.pytest.from_fixture` does not work with pytest 9, so each operation's strategy
# is driven by Hypothesis here, inside one test that owns the seeded app.
def test_api_conforms_to_its_schema(sqlite_app: Any, token: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", sqlite_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    for operation in operations:
        _fuzz(operation, None if operation.path == "/api/v1/auth/token" else token)


def _fuzz(operation: Any, headers: dict[str, str] | None) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )

    check()


def test_openapi_lists_the_api_and_no_pages(sqlite_app: Any) -> None:
    with TestClient(sqlite_app) as client:
        spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    assert "/api/v1/families/{no_kk}" in paths and "/api/v1/auth/token" in paths
    assert all(p.startswith("/api/v1/") for p in paths)
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]
