"""Who may see which families: roles, area and programme scoping, NIK masking, opaque ids.

Scoping is a SQL condition added to every query that returns families (`family_clause`), so a
page or API endpoint cannot show a family its user may not see by forgetting a check in a
template. A family outside the scope is simply not found (404), which does not reveal that it
exists.
"""

from __future__ import annotations

import base64
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.sql.elements import ColumnClause

from sinergi.core.statuses import STATUSES
from sinergi.ingest.schema import KINDS
from sinergi.security.auth import User
from sinergi.store.tables import assessment_families, import_batches, interventions, proposals
from sinergi.targeting.eligibility import parse, to_sql
from sinergi.targeting.programmes import ProgrammeError, load_catalogue, load_programme

ROLES = ("admin", "dppkb", "instansi", "desa", "analis", "auditor")
_URLSAFE = re.compile(r"[A-Za-z0-9_-]+")


# Beneficiary statuses each role may set (by page, API or an uploaded list). A village
# verifies its families at the musdes (terverifikasi) or reports them moved or deceased
# (ditolak), and runs its own programmes (agency "Desa", e.g. BLT Dana Desa) to the end; an
# agency proposes, verifies, approves and delivers its own programmes; DPPKB and the
# administrator may do everything.
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    "admin": STATUSES,
    "dppkb": STATUSES,
    "instansi": ("usulan", "terverifikasi", "disetujui", "tersalurkan", "ditolak"),
    "desa": ("terverifikasi", "ditolak"),
}
VILLAGE_PROGRAMME_MOVES = ("terverifikasi", "disetujui", "tersalurkan", "ditolak")
# Who may put a family on a list at a later step than `usulan` (an agency's list of last year's
# deliveries, loaded on the server): only the administrator. Everyone else proposes first.
LATE_ENTRY = frozenset({"admin"})


def can_see_names(user: User) -> bool:
    """Names and addresses at all (each role still limited by its scope)."""
    return user.role in ("admin", "dppkb", "instansi", "desa")


def may_import(user: User) -> bool:
    """The import page and API at all (which kinds: `importable_kinds`)."""
    return user.role in ("admin", "dppkb", "instansi", "desa")


def may_read_audit(user: User) -> bool:
    return user.role in ("admin", "auditor")


def may_reveal_nik(user: User) -> bool:
    """Full NIKs on request (audited); everyone else sees them masked."""
    return user.role in ("admin", "dppkb", "desa")


def may_manage_users(user: User) -> bool:
    return user.role == "admin"


#: The source kinds of the health service: whoever brings them is the health officer of its area.
HEALTH_KINDS = frozenset({"eppgbm", "ibu_hamil", "catin"})


def sees_unlinked_children(user: User) -> bool:
    """May see a measured child or a pregnant woman of its area that no registered family could
    be found for: the roles that see every family of their villages, and the health officer
    (`sees_health_findings`) — they come from its own posyandu and ANC data."""
    if not can_see_names(user):
        return False
    return user.role != "instansi" or sees_health_findings(user)


def sees_health_findings(user: User) -> bool:
    """An agency officer who brings the health files (e-PPGBM, ANC, catin: Dinkes) sees every
    case-finding row of its area — children and pregnant women, registered families or not —
    since acting on them (measuring again, PMT, iron tablets) is its job; other agency officers
    see the rows of their programmes' families only."""
    return user.role == "instansi" and bool(HEALTH_KINDS & set(importable_kinds(user)))


def may_review(user: User) -> bool:
    """The linkage review queue (`sinergi.link.review`): DPPKB, the administrator and an agency
    officer who brings the e-PPGBM files (Dinkes), each within its area."""
    if user.role in ("admin", "dppkb"):
        return True
    return user.role == "instansi" and "eppgbm" in importable_kinds(user)


# The permissions pages and API endpoints ask for by name (`web.deps.requires`, the menus).
PERMISSIONS = {
    "names": can_see_names,
    "import": may_import,
    "audit": may_read_audit,
    "users": may_manage_users,
    "nik": may_reveal_nik,
    "review": may_review,
    "unlinked": sees_unlinked_children,
}


def may(user: User | None, permission: str) -> bool:
    return user is not None and PERMISSIONS[permission](user)


def may_list(user: User, code: str) -> bool:
    """Named beneficiary lists: agency officers only for their own programmes."""
    return can_see_names(user) and (user.role != "instansi" or code in user.program)


def settable_statuses(user: User, programme: str) -> tuple[str, ...]:
    """The statuses `user` may set on a beneficiary of ``programme``."""
    if user.role == "desa":
        prog = load_catalogue().get(programme)
        if prog is not None and prog.agency == "Desa":
            return VILLAGE_PROGRAMME_MOVES
    return STATUS_MOVES.get(user.role, ())


def status_refusal(user: User, programme: str, new: str) -> tuple[str, dict[str, str]] | None:
    """Why `user` may not set the status ``new`` on a beneficiary of ``programme``, or None."""
    allowed = settable_statuses(user, programme)
    if new in allowed:
        return None
    return "wf_peran_tidak_boleh", {
        "role": user.role,
        "status": new,
        "allowed": ", ".join(allowed) or "-",
    }


def move_refusal(
    user: User, programme: str, old: str | None, new: str
) -> tuple[str, dict[str, str]] | None:
    """Why `user` may not set a beneficiary's status from ``old`` (None: not on the list yet) to
    ``new`` — a message code and its parameters — or None when the role allows it. Whether the
    workflow allows the step at all is `deliver.workflow.check_transition`'s decision."""
    refused = status_refusal(user, programme, new)
    if refused is not None:
        return refused
    if old is None and new != "usulan" and user.role not in LATE_ENTRY:
        return "wf_baru_harus_usulan", {"status": new}
    return None


def importable_kinds(user: User) -> list[str]:
    """Source file kinds the user may import: DPPKB and the administrator every kind; an
    agency officer its beneficiary lists and the files its programmes name (`uploads`); a
    village operator its villages' verification findings (`sinergi.registry.verify`)."""
    if user.role in ("admin", "dppkb"):
        return list(KINDS)
    if user.role == "desa":
        return ["verifikasi"]
    if user.role != "instansi":
        return []
    catalogue = load_catalogue()
    own = {k for code in user.program if code in catalogue for k in catalogue[code].uploads}
    return [k for k in KINDS if k == "intervensi" or k in own]


def unrestricted(user: User) -> bool:
    """Sees and may change every family of the regency: the administrator, or DPPKB without
    an area."""
    return user.role in ("admin", "dppkb") and not user.wilayah


def batch_clause(user: User) -> ColumnElement[bool]:
    """Import batches (and their reports) the user may see: all of them for an unrestricted
    user, otherwise only the user's own uploads — another office's report carries NIKs and
    No KKs of families outside the user's reach."""
    if unrestricted(user):
        return true()
    return import_batches.c.imported_by == user.username


def prefix_clause(prefixes: tuple[str, ...], column: ColumnElement) -> ColumnElement[bool]:
    """Region codes are dotted and fixed-width, so a prefix match is a containment test."""
    return or_(*[column.like(p + "%") for p in prefixes]) if prefixes else true()


def in_area(area: User | tuple[str, ...], code: object) -> bool:
    """`prefix_clause` in Python: is the region ``code`` inside ``area`` (a user's wilayah, or
    the prefixes themselves)? No prefixes: everywhere; a missing code is inside no area."""
    prefixes = area.wilayah if isinstance(area, User) else area
    return not prefixes or (isinstance(code, str) and code.startswith(tuple(prefixes)))


_AF = assessment_families.c


def _programme_families(codes: tuple[str, ...], run_id: int | None):  # type: ignore[no-untyped-def]
    """No KKs connected to the programmes: proposed, delivered (agency lists) or eligible."""
    parts = [
        select(proposals.c.no_kk).where(proposals.c.kode_program.in_(codes)),
        select(interventions.c.no_kk).where(
            interventions.c.kode_program.in_(codes), interventions.c.no_kk.is_not(None)
        ),
    ]
    if run_id is not None:
        for code in codes:
            try:
                expr = to_sql(parse(load_programme(code).eligibility))
            except ProgrammeError:
                continue  # a programme code without a definition grants nothing
            parts.append(select(_AF.no_kk).where(_AF.run_id == run_id, expr))
    return parts


def family_clause(
    user: User, no_kk: ColumnClause, kode_desa: ColumnClause, run_id: int | None
) -> ColumnElement[bool]:
    """The families `user` may see, as a condition on a table's No KK and village columns.

    admin, dppkb: every family (within `users.wilayah` when it is set); desa: families of its
    villages; instansi: families that are beneficiaries of, proposed for or (in assessment
    `run_id`) eligible for its programmes; analis and auditor: none.
    """
    if not can_see_names(user):
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
    return can_see_names(user) and in_area(user, kode)


class FamilyIds:
    """Opaque, stable ids for family pages, so that No KKs never appear in URLs or access logs.

    AES-SIV (RFC 5297) from `cryptography`: deterministic authenticated encryption, so the same
    family always gets the same id (bookmarks work) while an id can be neither read nor forged
    without the server secret. The 64-byte SIV key is derived from the secret with HKDF-SHA256,
    so a secret of any length gives a full-strength key and the key serves no other purpose.
    """

    # Bound into every id as associated data: an id made for something else with the same key
    # (or by a later format) does not decode as a family id.
    CONTEXT = b"sinergi family page id v1"
    MAX_TOKEN = 128  # a No KK is 16 digits (43 characters as an id); anything longer is junk

    def __init__(self, secret: bytes) -> None:
        key = HKDF(
            algorithm=hashes.SHA256(), length=64, salt=None, info=b"sinergi FamilyIds AES-SIV"
        ).derive(secret)
        self._siv = AESSIV(key)

    def encode(self, no_kk: str) -> str:
        sealed = self._siv.encrypt(no_kk.encode(), [self.CONTEXT])
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def decode(self, token: str) -> str | None:
        """The No KK inside ``token``, or None for anything this server did not issue."""
        if not 0 < len(token) <= self.MAX_TOKEN or not _URLSAFE.fullmatch(token):
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except ValueError:
            return None
        # Base64 leaves spare bits in the last character: only the canonical spelling is an id,
        # so one family never has two working ids.
        if base64.urlsafe_b64encode(raw).decode().rstrip("=") != token:
            return None
        try:
            return self._siv.decrypt(raw, [self.CONTEXT]).decode()
        except (InvalidTag, ValueError, UnicodeDecodeError):
            return None
