"""Who may see which families: roles, area and programme scoping, NIK masking, opaque ids.

Scoping is a SQL condition added to every query that returns families (`family_clause`), so a
page or API endpoint cannot show a family its user may not see by forgetting a check in a
template. A family outside the scope is simply not found (404), which does not reveal that it
exists.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, false, literal, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnClause

from sinergi.security.auth import User
from sinergi.store.tables import assessment_families, interventions, proposals
from sinergi.target.programmes import ProgrammeError, load_programme

ROLES = ("admin", "dppkb", "instansi", "desa", "analis", "auditor")
# Roles that may see names and addresses at all (each still limited by its scope).
NAMED = frozenset({"admin", "dppkb", "instansi", "desa"})
IMPORTERS = frozenset({"admin", "dppkb", "instansi"})
AUDIT_READERS = frozenset({"admin", "auditor"})
NIK_REVEALERS = frozenset({"admin", "dppkb", "desa"})


def can_see_names(user: User) -> bool:
    return user.role in NAMED


def prefix_clause(prefixes: tuple[str, ...], column: ColumnElement) -> ColumnElement[bool]:
    """Region codes are dotted and fixed-width, so a prefix match is a containment test."""
    return or_(*[column.like(p + "%") for p in prefixes]) if prefixes else true()


# --- programme eligibility as SQL ---------------------------------------------------------------
# `Programme.eligible` evaluates its expression over a pandas frame; scoping needs the same
# expression inside a query. The grammar is the one `compile_eligibility` accepts and has already
# validated when the programme loaded, so this walks a known-good tree.

_AF = assessment_families.c


def _sql_int(node: ast.AST) -> ColumnElement:
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int)
        return literal(node.value)
    assert isinstance(node, ast.Name)
    return _AF[node.id]


def _sql_bool(node: ast.AST) -> ColumnElement[bool]:
    if isinstance(node, ast.BoolOp):
        parts = [_sql_bool(v) for v in node.values]
        return and_(*parts) if isinstance(node.op, ast.And) else or_(*parts)
    if isinstance(node, ast.UnaryOp):
        return not_(_sql_bool(node.operand))
    if isinstance(node, ast.Name):
        return _AF[node.id].is_(True)
    assert isinstance(node, ast.Compare)
    op, left, right = node.ops[0], node.left, node.comparators[0]
    if isinstance(op, ast.In | ast.NotIn):
        assert isinstance(left, ast.Constant) and isinstance(right, ast.Name)
        assert isinstance(left.value, str)
        member = (literal(";") + _AF[right.id] + literal(";")).like(f"%;{left.value};%")
        return not_(member) if isinstance(op, ast.NotIn) else member
    ops: dict[type, Callable[[ColumnElement, ColumnElement], ColumnElement[bool]]] = {
        ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b}
    return ops[type(op)](_sql_int(left), _sql_int(right))


def eligibility_sql(expression: str) -> ColumnElement[bool]:
    """The programme's eligibility as a condition on ``assessment_families``."""
    return _sql_bool(ast.parse(" ".join(expression.split("\n")).strip(), mode="eval").body)


def _programme_families(codes: tuple[str, ...], run_id: int | None):  # type: ignore[no-untyped-def]
    """No KKs connected to the programmes: proposed, delivered (agency lists) or eligible."""
    parts = [select(proposals.c.no_kk).where(proposals.c.kode_program.in_(codes)),
             select(interventions.c.no_kk).where(interventions.c.kode_program.in_(codes),
                                                 interventions.c.no_kk.is_not(None))]
    if run_id is not None:
        for code in codes:
            try:
                expr = eligibility_sql(load_programme(code).eligibility)
            except ProgrammeError:
                continue  # a programme code without a definition grants nothing
            parts.append(select(_AF.no_kk).where(_AF.run_id == run_id, expr))
    return parts


def family_clause(user: User, no_kk: ColumnClause, kode_desa: ColumnClause,
                  run_id: int | None) -> ColumnElement[bool]:
    """The families `user` may see, as a condition on a table's No KK and village columns.

    admin, dppkb: every family (within `users.wilayah` when it is set); desa: families of its
    villages; instansi: families that are beneficiaries of, proposed for or (in assessment
    `run_id`) eligible for its programmes; analis and auditor: none.
    """
    if user.role not in NAMED:
        return false()
    if user.role == "desa" and not user.wilayah:
        return false()  # a village operator without villages sees nothing, not everything
    area = prefix_clause(user.wilayah, kode_desa)
    if user.role != "instansi":
        return area
    if not user.program:
        return false()
    return and_(area, or_(*[no_kk.in_(q) for q in _programme_families(user.program, run_id)]))


def region_allowed(user: User, kode: str) -> bool:
    """May the user see named data of this region (its villages, for a desa operator)?"""
    if user.role not in NAMED:
        return False
    return not user.wilayah or any(kode.startswith(p) for p in user.wilayah)


def may_reveal_nik(user: User) -> bool:
    return user.role in NIK_REVEALERS


class FamilyIds:
    """Opaque, stable ids for family pages, so that No KKs never appear in URLs or access logs.

    A deterministic authenticated encryption (SIV-style, HMAC-SHA256 only): the tag is a keyed
    hash of the No KK, and the No KK is XORed with a keystream derived from the tag. The same
    family always gets the same id (bookmarks work); an id cannot be forged or read without the
    server secret.
    """

    TAG = 10

    def __init__(self, secret: bytes) -> None:
        self._tag_key = hmac.new(secret, b"family-id-tag", hashlib.sha256).digest()
        self._enc_key = hmac.new(secret, b"family-id-enc", hashlib.sha256).digest()

    def encode(self, no_kk: str) -> str:
        plain = no_kk.encode()
        tag = hmac.new(self._tag_key, plain, hashlib.sha256).digest()[: self.TAG]
        stream = hmac.new(self._enc_key, tag, hashlib.sha256).digest()
        body = bytes(a ^ b for a, b in zip(plain, stream, strict=False))
        return base64.urlsafe_b64encode(tag + body).decode().rstrip("=")

    def decode(self, token: str) -> str | None:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            return None
        tag, body = raw[: self.TAG], raw[self.TAG:]
        if len(tag) != self.TAG or not 0 < len(body) <= 32:
            return None
        stream = hmac.new(self._enc_key, tag, hashlib.sha256).digest()
        plain = bytes(a ^ b for a, b in zip(body, stream, strict=False))
        expected = hmac.new(self._tag_key, plain, hashlib.sha256).digest()[: self.TAG]
        if not hmac.compare_digest(tag, expected):
            return None
        try:
            return plain.decode()
        except UnicodeDecodeError:
            return None
