"""Code lists written by the database (`sinergi.core.codelists.code_list`) read as the ones
written in Python (`join_bits`): every combination of three codes, on DuckDB and PostgreSQL (Spark
writes them in the batch jobs, held to DuckDB in tests/test_batch.py)."""

from __future__ import annotations

import ibis
import numpy as np
import pytest

from sinergi.core.codelists import code_list, join_bits

CODES = ["pus", "pus_hamil", "baduta"]
BITS = np.arange(1 << len(CODES), dtype=np.int64)


def _flag(bits: int, i: int) -> ibis.Value:
    """Bit i of ``bits`` as a boolean literal; an unset bit 1 is NULL (NULL counts as false)."""
    if not bits >> i & 1 and i == 1:
        return ibis.null("boolean")
    return ibis.literal(bool(bits >> i & 1), "boolean")


def _written(con: ibis.BaseBackend) -> list[str]:
    return [
        con.execute(code_list([(c, _flag(int(b), i)) for i, c in enumerate(CODES)])) for b in BITS
    ]


def test_duckdb_writes_the_lists_join_bits_writes() -> None:
    assert _written(ibis.duckdb.connect()) == join_bits(BITS, CODES).tolist()


def test_postgresql_writes_the_lists_join_bits_writes(pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    con = ibis.postgres.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        assert _written(con) == join_bits(BITS, CODES).tolist()
    finally:
        con.disconnect()


def test_no_codes_is_the_empty_list() -> None:
    con = ibis.duckdb.connect()
    assert con.execute(code_list([])) == ""


@pytest.mark.parametrize("separator", [",", ";"])
def test_the_separator_is_the_one_given(separator: str) -> None:
    con = ibis.duckdb.connect()
    on = ibis.literal(True)
    assert con.execute(code_list([("a", on), ("b", on)], separator)) == f"a{separator}b"
