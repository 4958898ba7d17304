"""Programme eligibility: one grammar, parsed once, with a back end per execution engine.

An eligibility expression is a small condition over one family's assessment result, e.g.
``krs and 'air_minum_tidak_layak' in faktor`` or ``not miskin_ekstrem or 'pus' in sasaran``.
`parse` reads it with :mod:`ast` (never ``eval``), refuses anything outside the grammar with a
`ProgrammeError` that names the problem and its column, and returns a small typed tree:

- `Flag` — ``krs`` or ``miskin_ekstrem`` on its own;
- `Member` — ``'code' in faktor`` / ``'code' not in sasaran`` / ``'code' in temuan`` (the lists
  are ';'-joined codes, matched as whole codes, so ``'pus'`` does not match ``pus_hamil``; a code
  not in the list's code list is refused, naming the known codes);
- `Compare` — ``>``, ``>=`` or ``==`` between `Name` (``jumlah_balita``,
  ``jumlah_balita_stunting``) and `Const` (a whole number) operands, not two constants;
- `Not`, `And`, `Or` — with parentheses; line breaks count as spaces.

The lists: ``faktor`` (the risk factors that fired, `sinergi.rules.ruleset.FACTOR_CODES`),
``sasaran`` (target groups, ``SASARAN_CODES``) and ``temuan`` (the case-finding codes of the
family's members at the reference date, `sinergi.assess.findings.FAMILY_CODES`: a stunted or
wasted under-five, ``'anak_stunting'`` / ``'anak_kurus'``, the child signals such as
``'anak_berat_kurang'`` or ``'anak_2t'``, a pregnant woman with ``'ibu_hamil_kek'`` …). A run
made before ``temuan`` was recorded has none: its list is missing, read as empty.

`to_pandas` turns a tree into a vectorised mask over an assessment frame, `to_sql` into a
condition on ``assessment_families`` (or any columns of the same names). Both must select the same
families; ``tests/test_eligibility.py`` checks that on SQLite and PostgreSQL.

Missing values (NULL in SQL, None/NaN/NA in pandas) are read the same way by both back ends:

- a missing flag is false;
- a missing list is empty (no code is in it);
- a missing number fails every comparison, including ``==`` with another missing number.

So every leaf of the tree is plainly true or false for every family — never "unknown" — and
``not``, ``and`` and ``or`` are ordinary two-valued logic over those answers. A missing value thus
never satisfies a positive condition by itself; under ``not`` it reads as its negative:
``not krs``, ``'code' not in faktor`` and ``not jumlah_balita > 0`` all hold for a family whose
value is missing, exactly as they hold for ``krs`` false, an empty list and a count of 0. In SQL
this needs care, because SQL's three-valued logic would make ``NOT (NULL)`` unknown and drop the
family: each leaf is made definite with ``IS TRUE``, ``COALESCE`` or ``IS NOT NULL`` before any
``NOT`` is applied.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, and_, literal, not_, or_

from sinergi.assess.findings import FAMILY_CODES
from sinergi.core.codelists import has_code, has_code_mask
from sinergi.core.errors import CatalogueError
from sinergi.rules.ruleset import FACTOR_CODES, SASARAN_CODES
from sinergi.store.tables import assessment_families

BOOL_NAMES = ("krs", "miskin_ekstrem")
LIST_NAMES = ("faktor", "sasaran", "temuan")
INT_NAMES = ("jumlah_balita", "jumlah_balita_stunting")
NAMES = (*BOOL_NAMES, *LIST_NAMES, *INT_NAMES)
LIST_CODES = {"faktor": FACTOR_CODES, "sasaran": SASARAN_CODES, "temuan": FAMILY_CODES}


class ProgrammeError(CatalogueError):
    """A programme file or eligibility expression that cannot be used: ``code`` and ``params``
    name the catalogue's sentence saying why (``message(lang)``; ``str()`` is the English one)."""


# --------------------------------------------------------------------------- the tree

Op = Literal[">", ">=", "=="]


@dataclass(frozen=True)
class Name:
    """A number column: ``jumlah_balita`` or ``jumlah_balita_stunting``."""

    name: str


@dataclass(frozen=True)
class Const:
    value: int


Operand = Name | Const


@dataclass(frozen=True)
class Flag:
    """A true/false column standing alone: ``krs`` or ``miskin_ekstrem``."""

    name: str


@dataclass(frozen=True)
class Member:
    """``'code' in list_name``, or ``'code' not in list_name`` when ``negated``."""

    code: str
    list_name: str
    negated: bool = False


@dataclass(frozen=True)
class Compare:
    op: Op
    left: Operand
    right: Operand


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Flag | Member | Compare | Not | And | Or


# --------------------------------------------------------------------------- parsing


def _refuse(code: str, node: ast.AST, /, **params: object) -> ProgrammeError:
    """The refusal ``code`` at ``node``'s place in the expression (its column, from 1)."""
    return ProgrammeError(code, col=getattr(node, "col_offset", 0) + 1, **params)


# Forms of expression refused with a sentence of their own; any other form is named by its
# ``ast`` class (BinOp, Subscript, Lambda …).
_REFUSALS = {ast.Call: "syarat_panggilan_fungsi", ast.Attribute: "syarat_akses_atribut"}


def _refuse_form(node: ast.AST) -> ProgrammeError:
    code = _REFUSALS.get(type(node))
    if code is not None:
        return _refuse(code, node)
    return _refuse("syarat_bentuk_terlarang", node, node=type(node).__name__)


def _name(node: ast.AST) -> str:
    if not isinstance(node, ast.Name):
        raise _refuse_form(node)
    if node.id not in NAMES:
        raise _refuse("syarat_nama_tidak_dikenal", node, name=node.id, allowed=", ".join(NAMES))
    return node.id


def _operand(node: ast.AST) -> Operand:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return Const(node.value)
    name = _name(node)
    if name not in INT_NAMES:
        raise _refuse("syarat_bukan_angka", node, name=name)
    return Name(name)


_OPS: dict[type, Op] = {ast.Gt: ">", ast.GtE: ">=", ast.Eq: "=="}


def _compare(node: ast.Compare) -> Member | Compare:
    if len(node.ops) != 1:
        raise _refuse("syarat_perbandingan_berantai", node)
    op, left, right = node.ops[0], node.left, node.comparators[0]
    if isinstance(op, ast.In | ast.NotIn):
        if not (isinstance(left, ast.Constant) and isinstance(left.value, str)):
            raise _refuse("syarat_kiri_in", left)
        name = _name(right)
        if name not in LIST_NAMES:
            raise _refuse("syarat_kanan_in", right, name=name, lists=", ".join(LIST_NAMES))
        code = left.value
        if code not in LIST_CODES[name]:
            raise _refuse(
                "syarat_kode_tidak_dikenal",
                left,
                kind=name,
                code=code,
                known=", ".join(LIST_CODES[name]),
            )
        return Member(code, name, negated=isinstance(op, ast.NotIn))
    if type(op) not in _OPS:
        raise _refuse("syarat_operator_terlarang", node, op=type(op).__name__)
    lhs, rhs = _operand(left), _operand(right)
    if isinstance(lhs, Const) and isinstance(rhs, Const):
        raise _refuse("syarat_dua_konstanta", node)
    return Compare(_OPS[type(op)], lhs, rhs)


def _node(node: ast.AST) -> Node:
    if isinstance(node, ast.BoolOp):
        parts = tuple(_node(v) for v in node.values)
        return And(parts) if isinstance(node.op, ast.And) else Or(parts)
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.Not):
            raise _refuse("syarat_operator_terlarang", node, op=type(node.op).__name__)
        return Not(_node(node.operand))
    if isinstance(node, ast.Compare):
        return _compare(node)
    if isinstance(node, ast.Name):
        name = _name(node)
        if name not in BOOL_NAMES:
            raise _refuse("syarat_bukan_benar_salah", node, name=name)
        return Flag(name)
    raise _refuse_form(node)


@lru_cache(maxsize=256)
def parse(expression: str) -> Node:
    """The tree of an eligibility expression, or a `ProgrammeError` saying what is not allowed.

    Accepted: the names krs and miskin_ekstrem (true/false), faktor, sasaran and temuan
    (';'-joined code lists, used as ``'code' in faktor`` / ``'code' not in sasaran``),
    jumlah_balita and jumlah_balita_stunting (numbers, compared with ``>``, ``>=`` or ``==``),
    whole-number and quoted string constants, and ``and`` / ``or`` / ``not`` with parentheses; line breaks count
    as spaces. Anything else — other names, attribute access, calls, subscripts, arithmetic —
    is refused.
    """
    try:
        # A long expression may span lines in a TOML multi-line string.
        tree = ast.parse(" ".join(expression.split("\n")).strip(), mode="eval")
    except SyntaxError as exc:
        raise ProgrammeError("syarat_tidak_valid", detail=exc.msg) from exc
    return _node(tree.body)


# --------------------------------------------------------------------------- pandas

_Mask = Callable[[pd.DataFrame], np.ndarray]
_Values = Callable[[pd.DataFrame], Any]  # a float array, or an int for a constant


def _flag_mask(name: str) -> _Mask:
    def flag(df: pd.DataFrame) -> np.ndarray:
        col = df[name]
        present = col.notna().to_numpy(dtype=bool)
        out = np.zeros(len(df), dtype=bool)
        out[present] = col[present].astype(bool).to_numpy()
        return out

    return flag


def _member_mask(m: Member) -> _Mask:
    def member(df: pd.DataFrame) -> np.ndarray:
        hit = has_code_mask(df[m.list_name], m.code)  # a missing list is the empty list
        return ~hit if m.negated else hit

    return member


def _values(operand: Operand) -> _Values:
    if isinstance(operand, Const):
        value = operand.value
        return lambda df: value
    name = operand.name
    # NaN for a missing count: NaN fails >, >= and == (even against NaN), as NULL must.
    return lambda df: pd.to_numeric(df[name]).to_numpy(dtype="float64", na_value=np.nan)


# The comparison of each operator, for NumPy arrays and SQL expressions alike.
_APPLY: dict[Op, Callable[[Any, Any], Any]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


def _mask(node: Node) -> _Mask:
    if isinstance(node, Flag):
        return _flag_mask(node.name)
    if isinstance(node, Member):
        return _member_mask(node)
    if isinstance(node, Compare):
        fn, lhs, rhs = _APPLY[node.op], _values(node.left), _values(node.right)
        return lambda df: np.asarray(fn(lhs(df), rhs(df)), dtype=bool)
    if isinstance(node, Not):
        inner = _mask(node.operand)
        return lambda df: ~inner(df)
    parts = [_mask(p) for p in node.operands]
    combine = np.logical_and if isinstance(node, And) else np.logical_or

    def boolop(df: pd.DataFrame) -> np.ndarray:
        out = parts[0](df)
        for p in parts[1:]:
            out = combine(out, p(df))
        return out

    return boolop


def to_pandas(tree: Node) -> Callable[[pd.DataFrame], pd.Series[bool]]:
    """A function from an assessment frame to a boolean Series (same index), one per family."""
    fn = _mask(tree)

    def evaluate(df: pd.DataFrame) -> pd.Series[bool]:
        missing = [c for c in NAMES if c not in df.columns]
        if missing:
            raise ProgrammeError("syarat_kolom_kurang", missing=missing)
        return pd.Series(fn(df), index=df.index, dtype=bool)

    return evaluate


# --------------------------------------------------------------------------- SQL


class Columns(Protocol):
    """Where `to_sql` finds the grammar's names: a table's ``.c`` or a dict of columns."""

    def __getitem__(self, name: str, /) -> ColumnElement[Any]: ...


def _sql_operand(operand: Operand, columns: Columns) -> ColumnElement[Any]:
    if isinstance(operand, Const):
        return literal(operand.value)
    return columns[operand.name]


def _sql(node: Node, columns: Columns) -> ColumnElement[bool]:
    # Every leaf is made definite (never NULL), so NOT below cannot meet SQL's "unknown".
    if isinstance(node, Flag):
        return columns[node.name].is_(True)
    if isinstance(node, Member):
        hit = has_code(columns[node.list_name], node.code)
        return not_(hit) if node.negated else hit
    if isinstance(node, Compare):
        present = [
            columns[o.name].is_not(None) for o in (node.left, node.right) if isinstance(o, Name)
        ]
        lhs, rhs = _sql_operand(node.left, columns), _sql_operand(node.right, columns)
        return and_(*present, _APPLY[node.op](lhs, rhs))
    if isinstance(node, Not):
        return not_(_sql(node.operand, columns))
    parts = [_sql(p, columns) for p in node.operands]
    return and_(*parts) if isinstance(node, And) else or_(*parts)


def to_sql(tree: Node, columns: Columns | None = None) -> ColumnElement[bool]:
    """The tree as a SQL condition. ``columns`` maps the grammar's names (krs, miskin_ekstrem,
    faktor, sasaran, temuan, jumlah_balita, jumlah_balita_stunting) to SQL columns; by default
    those of ``assessment_families``."""
    return _sql(tree, assessment_families.c if columns is None else columns)
