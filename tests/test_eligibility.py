"""The eligibility grammar: its refusals, its tree, and its pandas and SQL back ends agreeing —
missing values included, over every list (faktor, sasaran, temuan) — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, MetaData, String, Table, delete, insert, select

from sinergi.assess.findings import FAMILY_CODES
from sinergi.rules.ruleset import FACTOR_CODES, SASARAN_CODES
from sinergi.store.frames import read_frame
from sinergi.store.tables import assessment_families
from sinergi.targeting import programmes
from sinergi.targeting.eligibility import (
    BOOL_NAMES,
    INT_NAMES,
    LIST_CODES,
    NAMES,
    And,
    Compare,
    Const,
    Flag,
    Member,
    Name,
    Node,
    Not,
    Op,
    Or,
    ProgrammeError,
    parse,
    to_pandas,
    to_sql,
)

# --------------------------------------------------------------------------- refusals

NAMES_TEXT = "krs, miskin_ekstrem, faktor, sasaran, temuan, jumlah_balita, jumlah_balita_stunting"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("len(faktor) > 0", "eligibility: a function call is not allowed (at column 1)"),
        ("krs and faktor.x", "eligibility: attribute access is not allowed (at column 9)"),
        ("jumlah_balita + 1 > 2", "eligibility: BinOp is not allowed (at column 1)"),
        ("faktor[0] == 1", "eligibility: Subscript is not allowed (at column 1)"),
        ("True", "eligibility: Constant is not allowed (at column 1)"),
        ("krs or -krs", "eligibility: the operator USub is not allowed (at column 8)"),
        ("jumlah_balita < 3", "eligibility: the operator Lt is not allowed (at column 1)"),
        ("0 < jumlah_balita < 3", "eligibility: a chained comparison is not allowed (at column 1)"),
        ("1 == 1", "eligibility: comparing two constants is not allowed (at column 1)"),
        ("krs and os", f"eligibility: unknown name 'os' (at column 9); allowed: {NAMES_TEXT}"),
        (
            "faktor in faktor",
            "eligibility: the left side of 'in' must be a quoted code (at column 1)",
        ),
        (
            "'pus' in krs",
            "eligibility: 'in' needs one of faktor, sasaran, temuan on the right, got 'krs' "
            "(at column 10)",
        ),
        (
            "'air_minum' in faktor",
            "eligibility: unknown faktor code 'air_minum' (at column 1); known: "
            + ", ".join(FACTOR_CODES),
        ),
        (
            "'hamil' not in sasaran",
            "eligibility: unknown sasaran code 'hamil' (at column 1); known: "
            + ", ".join(SASARAN_CODES),
        ),
        (
            "krs or 'wasting' in temuan",
            "eligibility: unknown temuan code 'wasting' (at column 8); known: "
            + ", ".join(FAMILY_CODES),
        ),
        (
            "'anak_kurus' in jumlah_balita",
            "eligibility: 'in' needs one of faktor, sasaran, temuan on the right, got "
            "'jumlah_balita' (at column 17)",
        ),
        (
            "krs or jumlah_balita",
            "eligibility: 'jumlah_balita' is not true/false on its own (at column 8); "
            'use e.g. "\'code\' in jumlah_balita" or "jumlah_balita > 0"',
        ),
        ("krs > 0", "eligibility: 'krs' is not a number and cannot be compared (at column 1)"),
        ("2 >= 'x'", "eligibility: Constant is not allowed (at column 6)"),
        ("krs and", "eligibility: not a valid expression: invalid syntax"),
        ("lambda: 1", "eligibility: Lambda is not allowed (at column 1)"),
    ],
)
def test_every_refusal_names_the_problem(expression: str, message: str) -> None:
    with pytest.raises(ProgrammeError) as exc:
        parse(expression)
    assert str(exc.value) == message
    # The same sentence from the catalogue, in Indonesian too (a code without a sentence would
    # come back as the code itself).
    assert exc.value.message("en") == message
    assert exc.value.message("id") not in (exc.value.code, message)


def test_one_error_class_for_programmes_and_their_eligibility(tmp_path: Path) -> None:
    assert programmes.ProgrammeError is ProgrammeError
    text = (programmes.PACKAGED / "kb-tpk.toml").read_text(encoding="utf-8")
    path = tmp_path / "kb-tpk.toml"
    path.write_text(text.replace("'terlalu_muda' in faktor", "os"), encoding="utf-8")
    with pytest.raises(programmes.ProgrammeError, match="unknown name 'os'"):
        programmes.load_programme(path)


def test_the_tree_of_an_expression() -> None:
    assert parse("krs and\n'air_minum_tidak_layak' in faktor") == And(
        (Flag("krs"), Member("air_minum_tidak_layak", "faktor"))
    )
    assert parse("not miskin_ekstrem or 'pus' not in sasaran") == Or(
        (Not(Flag("miskin_ekstrem")), Member("pus", "sasaran", negated=True))
    )
    assert parse("0 == jumlah_balita_stunting") == Compare(
        "==", Const(0), Name("jumlah_balita_stunting")
    )
    assert parse("'anak_kurus' in temuan or 'ibu_hamil_kek' not in temuan") == Or(
        (Member("anak_kurus", "temuan"), Member("ibu_hamil_kek", "temuan", negated=True))
    )


# --------------------------------------------------------------------------- random expressions

OPS: tuple[Op, ...] = (">", ">=", "==")
operands = st.one_of(st.sampled_from(INT_NAMES).map(Name), st.integers(0, 3).map(Const))
leaves: st.SearchStrategy[Node] = st.one_of(
    st.sampled_from(BOOL_NAMES).map(Flag),
    st.sampled_from([(c, n) for n, codes in LIST_CODES.items() for c in codes]).flatmap(
        lambda cn: st.booleans().map(lambda neg: Member(cn[0], cn[1], neg))
    ),
    st.tuples(st.sampled_from(OPS), operands, operands)
    .filter(lambda t: not (isinstance(t[1], Const) and isinstance(t[2], Const)))
    .map(lambda t: Compare(*t)),
)
trees: st.SearchStrategy[Node] = st.recursive(
    leaves,
    lambda sub: st.one_of(
        sub.map(Not),
        st.lists(sub, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(sub, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
    ),
    max_leaves=8,
)


def render(node: Node, sep: str = " ") -> str:
    """The expression an officer would write for ``node``; every subexpression in parentheses
    so that the text parses back to exactly this tree."""
    if isinstance(node, Flag):
        return node.name
    if isinstance(node, Member):
        return f"'{node.code}'{sep}{'not in' if node.negated else 'in'}{sep}{node.list_name}"
    if isinstance(node, Compare):
        side = [o.name if isinstance(o, Name) else str(o.value) for o in (node.left, node.right)]
        return f"{side[0]}{sep}{node.op}{sep}{side[1]}"
    if isinstance(node, Not):
        return f"not{sep}({render(node.operand, sep)})"
    word = f"{sep}and{sep}" if isinstance(node, And) else f"{sep}or{sep}"
    return word.join(f"({render(p, sep)})" for p in node.operands)


@settings(max_examples=300, deadline=None)
@given(trees, st.sampled_from([" ", "\n", "  "]))
def test_an_expression_parses_back_to_its_tree(tree: Node, sep: str) -> None:
    assert parse(render(tree, sep)) == tree


# --------------------------------------------------------------------------- random families

Row = dict[str, Any]


def _code_lists(codes: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    # Near misses besides the real codes: "pus" inside "pus_hamil", and '_' spelled otherwise,
    # which a LIKE pattern would take for a wildcard.
    alphabet = [*codes, *(c.replace("_", "x") for c in codes if "_" in c)]
    return st.none() | st.lists(st.sampled_from(alphabet), unique=True, max_size=4).map(";".join)


rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "krs": st.none() | st.booleans(),
            "miskin_ekstrem": st.none() | st.booleans(),
            "faktor": _code_lists(FACTOR_CODES),
            "sasaran": _code_lists(SASARAN_CODES),
            "temuan": _code_lists(FAMILY_CODES),
            "jumlah_balita": st.none() | st.integers(0, 3),
            "jumlah_balita_stunting": st.none() | st.integers(0, 3),
        }
    ),
    max_size=10,
)


def reference(node: Node, row: Row) -> bool:
    """The documented reading of missing values, one family at a time, in plain Python."""
    if isinstance(node, Flag):
        return row[node.name] is True
    if isinstance(node, Member):
        hit = node.code in (row[node.list_name] or "").split(";")
        return hit != node.negated
    if isinstance(node, Compare):
        a, b = (row[o.name] if isinstance(o, Name) else o.value for o in (node.left, node.right))
        if a is None or b is None:
            return False
        return bool({">": a > b, ">=": a >= b, "==": a == b}[node.op])
    if isinstance(node, Not):
        return not reference(node.operand, row)
    results = [reference(p, row) for p in node.operands]
    return all(results) if isinstance(node, And) else any(results)


def _nullable_frame(rows: list[Row]) -> pd.DataFrame:
    """The rows with pandas' own missing-value dtypes (pd.NA), not as a database returns them."""
    dtypes = {"krs": "boolean", "miskin_ekstrem": "boolean", "faktor": "string"}
    dtypes |= {"sasaran": "string", "temuan": "string"}
    dtypes |= {"jumlah_balita": "Int64", "jumlah_balita_stunting": "Int64"}
    frame = pd.DataFrame(
        {n: pd.array([r[n] for r in rows], dtype=dtypes[n]) for n in NAMES},
        index=[f"kk{i}" for i in range(len(rows))],
    )
    return frame


@pytest.fixture
def probe(engine: Engine) -> Iterator[Table]:
    """The assessment columns with their column types, but nullable (assessment_families itself
    has NOT NULL on all of them but ``temuan``), in a migrated database."""
    table = Table(
        "eligibility_probe",
        MetaData(),
        Column("no_kk", String(16), primary_key=True),
        *(Column(n, assessment_families.c[n].type, nullable=True) for n in NAMES),
    )
    table.create(engine)
    yield table
    table.drop(engine)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=rows_strategy, exprs=st.lists(trees, min_size=1, max_size=4))
def test_pandas_and_sql_select_the_same_families(
    engine: Engine, probe: Table, rows: list[Row], exprs: list[Node]
) -> None:
    keyed = [{"no_kk": f"kk{i}", **r} for i, r in enumerate(rows)]
    with engine.begin() as conn:
        conn.execute(delete(probe))
        if keyed:
            conn.execute(insert(probe), keyed)
    with engine.connect() as conn:
        stored = read_frame(conn, select(probe).order_by(probe.c.no_kk))
        for tree in exprs:
            expected = {r["no_kk"] for r in keyed if reference(tree, r)}
            in_sql = set(conn.execute(select(probe.c.no_kk).where(to_sql(tree, probe.c))).scalars())
            in_pandas = set(stored.loc[to_pandas(tree)(stored), "no_kk"])
            nullable = _nullable_frame(rows)
            in_nullable = set(nullable.index[to_pandas(tree)(nullable)])
            assert in_sql == expected, render(tree)
            assert in_pandas == expected, render(tree)
            assert in_nullable == expected, render(tree)


@pytest.mark.parametrize(
    ("expression", "eligible"),
    [
        ("krs", False),
        ("not krs", True),
        ("'desil_1' in faktor", False),
        ("'desil_1' not in faktor", True),
        ("not 'pus' in sasaran", True),
        ("'anak_kurus' in temuan", False),
        ("'ibu_hamil_kek' not in temuan", True),
        ("jumlah_balita >= 0", False),
        ("not jumlah_balita >= 0", True),
        ("jumlah_balita == jumlah_balita_stunting", False),
        ("not (jumlah_balita_stunting > 0 or miskin_ekstrem)", True),
    ],
)
def test_a_family_with_nothing_recorded(
    engine: Engine, probe: Table, expression: str, eligible: bool
) -> None:
    """Missing values read as false, an empty list and a failed comparison — on both sides."""
    tree = parse(expression)
    with engine.begin() as conn:
        conn.execute(insert(probe), [{"no_kk": "kosong"}])
        in_sql = conn.execute(select(probe.c.no_kk).where(to_sql(tree, probe.c))).first()
        stored = read_frame(conn, select(probe))
    assert (in_sql is not None) is eligible
    assert to_pandas(tree)(stored).tolist() == [eligible]
