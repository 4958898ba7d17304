"""Code lists: several codes in one text column, joined with ';' (a family's fired factors
``faktor`` and target groups ``sasaran``, a child's WHO flags ``flags``).

Lists are written here only (`join_bits`: bit i of a number → the i-th code; `code_list`: the
same in an Ibis expression, so that the database writes them), and whether a list
holds a code is asked here only, with one back end per execution engine: a SQL
condition (`has_code`) and a pandas mask (`has_code_mask`); ``tests/test_prevalence.py`` and
``tests/test_eligibility.py`` hold them to each other. A code matches whole (``pus`` is not in the
list ``pus_hamil;baduta``), and a missing list (NULL, None, NaN) is the empty list, so the
answer is always plainly true or false, never NULL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import String, func, literal
from sqlalchemy.sql.elements import ColumnElement

if TYPE_CHECKING:
    import ibis.expr.types as ir

SEPARATOR = ";"


def has_code(column: ColumnElement[Any], code: str) -> ColumnElement[bool]:
    """SQL: the list in ``column`` holds ``code`` (false, not NULL, for a NULL list)."""
    listed = literal(SEPARATOR, String) + func.coalesce(column, "") + literal(SEPARATOR, String)
    # autoescape: '_' in a code is a plain character, not LIKE's wildcard.
    return listed.contains(f"{SEPARATOR}{code}{SEPARATOR}", autoescape=True)


def has_code_mask(lists: pd.Series, code: str) -> np.ndarray:
    """pandas: for each list of ``lists``, whether it holds ``code`` (False for a missing list).

    A regency has a few hundred distinct lists over 100,000+ rows: each distinct list is split
    once and the answer spread back."""
    codes, uniques = pd.factorize(lists.fillna("").astype(str))
    if not len(uniques):
        return np.zeros(len(lists), dtype=bool)
    found = np.array([code in u.split(SEPARATOR) for u in uniques], dtype=bool)
    return found[codes]


def join_bits(bits: np.ndarray, names: list[str] | tuple[str, ...]) -> np.ndarray:
    """Bit i of each value → ``names[i]``, joined with ';' in the order of ``names`` ('' for 0)."""
    # Few distinct values (one per combination that occurs): label each once.
    distinct, at = np.unique(np.asarray(bits, dtype=np.int64), return_inverse=True)
    labels = [SEPARATOR.join(n for i, n in enumerate(names) if int(v) >> i & 1) for v in distinct]
    return np.array(labels, dtype=object)[at.reshape(-1)]


def code_list(
    flags: Sequence[tuple[str, ir.BooleanValue]], separator: str = SEPARATOR
) -> ir.StringValue:
    """Ibis: the codes whose flag is true (NULL is false), joined with ``separator`` in the order
    given ('' for none): `join_bits` written by the database (DuckDB, PostgreSQL and Spark skip
    the NULLs of ``CONCAT_WS``)."""
    import ibis  # the rules' compiler's; not every reader of code lists needs it

    if not flags:
        return ibis.literal("")
    return ibis.literal(separator).join(
        [ibis.ifelse(flag.fill_null(False), code, ibis.null("string")) for code, flag in flags]
    )
