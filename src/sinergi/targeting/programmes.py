"""Programme catalogue: what each agency offers, to whom, at what (example) cost.

A programme file is TOML, parsed and checked with Pydantic so a typo is a clear error, like the
rule-set files. The packaged files live in ``targeting/programmes/``; a folder named by the
environment variable ``SINERGI_PROGRAMMES_PATH`` is searched first, so a regency can override a
programme or add its own.

Eligibility is a small expression over one family's assessment result, e.g.
``krs and 'air_minum_tidak_layak' in faktor``; its grammar, and its pandas and SQL forms, live in
`sinergi.targeting.eligibility`. A programme whose expression is refused does not load.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from sinergi.rules.ruleset import FACTOR_CODES
from sinergi.settings import TomlShelf
from sinergi.targeting.eligibility import ProgrammeError, parse, to_pandas

PACKAGED = Path(__file__).parent / "programmes"
ENV_PATH = "SINERGI_PROGRAMMES_PATH"

AGENCIES = ("PU", "Perkim", "Baznas", "Dinkes", "DPPKB", "Desa")
NEEDS = (*FACTOR_CODES, "stunting", "miskin_ekstrem")
NETWORK_STATUSES = ("belum_ada", "perencanaan", "konstruksi", "beroperasi")
# Components of the village priority index (see sinergi.targeting.priority).
COMPONENTS = ("krs_kebutuhan", "porsi_kebutuhan", "prevalensi_stunting", "miskin_ekstrem")


def checked_weights(weights: dict[str, float]) -> dict[str, float]:
    """``weights`` of the village priority index, refused (`ProgrammeError`) when one names no
    component or is negative, or when there are some and none is positive."""
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise ProgrammeError("bobot_tidak_dikenal", unknown=unknown, known=", ".join(COMPONENTS))
    if any(w < 0 for w in weights.values()):
        raise ProgrammeError("bobot_negatif")
    if weights and sum(weights.values()) <= 0:
        raise ProgrammeError("bobot_semua_nol")
    return weights


# --------------------------------------------------------------------------- the model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Programme(_Strict):
    code: str
    agency: Literal["PU", "Perkim", "Baznas", "Dinkes", "DPPKB", "Desa"]
    name: str
    intervention: str
    unit: Literal["keluarga", "desa"]
    eligibility: str
    need: str
    # Further risk factors the same intervention removes (domain.md, "Programmes and
    # convergence": KB counselling answers all "4 Terlalu"; cash aid answers decile 1).
    also_meets: tuple[str, ...] = ()
    # Whether a delivery resolves the needs it meets (a latrine built, a house renovated) or
    # only serves them (counselling, cash, food): a served need counts as resolved only once the
    # factor is gone at a later assessment (`sinergi.monitor.coverage`, domain.md).
    resolves: bool = True
    # The case-finding codes (`sinergi missed`: a child's or a pregnant woman's finding) whose
    # row a delivery of this programme clears (`served_by`).
    serves: tuple[str, ...] = ()
    unit_cost_rp: int | None = None
    # Monthly benefits: unit_cost_rp is then monthly_rp × months (given or derived).
    monthly_rp: int | None = None
    months: int | None = None
    cost_from: Literal["biaya_jaringan"] | None = None
    default_cost_rp: int | None = None
    budget_rp: int
    quota_per_kecamatan: int | None = None
    quota_per_desa: int | None = None
    period: str
    excludes: tuple[str, ...] = ()
    exclude_village_status: tuple[
        Literal["belum_ada", "perencanaan", "konstruksi", "beroperasi"], ...
    ] = ()
    weights: dict[str, float] = {}
    cost_label: Literal["contoh biaya", "biaya resmi"] = "contoh biaya"
    note: str = ""
    # Source files the agency's officers keep besides their beneficiary lists (formats.md
    # kinds), e.g. the posyandu measurements of a health programme or the village water facts of
    # public works. An officer of the programme may import these; nobody else outside DPPKB.
    uploads: tuple[Literal["eppgbm", "ibu_hamil", "catin", "desa"], ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _monthly(cls, data: Any) -> Any:
        if isinstance(data, dict) and (
            data.get("monthly_rp") is not None or data.get("months") is not None
        ):
            monthly, months = data.get("monthly_rp"), data.get("months")
            if not isinstance(monthly, int) or not isinstance(months, int):
                raise ValueError("monthly_rp and months must be given together, as whole numbers")
            total = monthly * months
            given = data.get("unit_cost_rp")
            if given is not None and given != total:
                raise ValueError(f"unit_cost_rp {given} differs from monthly_rp × months = {total}")
            data = {**data, "unit_cost_rp": total}
        return data

    @field_validator("eligibility")
    @classmethod
    def _eligibility_compiles(cls, v: str) -> str:
        parse(v)  # ProgrammeError is a ValueError: reported as a field error
        return v

    @field_validator("need")
    @classmethod
    def _known_need(cls, v: str) -> str:
        if v not in NEEDS:
            raise ValueError(f"unknown need '{v}'; known: {', '.join(NEEDS)}")
        return v

    @field_validator("also_meets")
    @classmethod
    def _known_factors(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(v) - set(FACTOR_CODES))
        if unknown:
            raise ValueError(f"unknown factor(s) {unknown}; known: {', '.join(FACTOR_CODES)}")
        return v

    @property
    def meets(self) -> tuple[str, ...]:
        """Every need this programme removes: its main need, then ``also_meets``."""
        return (self.need, *(f for f in self.also_meets if f != self.need))

    @field_validator("weights")
    @classmethod
    def _known_weights(cls, v: dict[str, float]) -> dict[str, float]:
        return checked_weights(v)  # ProgrammeError is a ValueError: reported as a field error

    @model_validator(mode="after")
    def _consistent(self) -> Programme:
        if (self.unit_cost_rp is None) == (self.cost_from is None):
            raise ValueError(
                "give exactly one of unit_cost_rp (or monthly_rp and months) and cost_from"
            )
        if self.cost_from is not None:
            if self.unit != "desa":
                raise ValueError(
                    "cost_from = 'biaya_jaringan' is a village cost: needs unit 'desa'"
                )
            if self.default_cost_rp is None:
                raise ValueError("cost_from needs default_cost_rp for villages without a cost")
        elif self.default_cost_rp is not None:
            raise ValueError("default_cost_rp only goes with cost_from")
        for field in ("unit_cost_rp", "default_cost_rp", "monthly_rp", "months"):
            value = getattr(self, field)
            if value is not None and value <= 0:
                raise ValueError(f"{field} must be > 0")
        if self.budget_rp < 0:
            raise ValueError("budget_rp must be >= 0")
        for field in ("quota_per_kecamatan", "quota_per_desa"):
            value = getattr(self, field)
            if value is not None and value < 0:
                raise ValueError(f"{field} must be >= 0")
        if self.unit == "desa":
            if self.quota_per_desa is not None:
                raise ValueError("quota_per_desa only applies to unit 'keluarga'")
        elif self.exclude_village_status or self.weights:
            raise ValueError("exclude_village_status and weights only apply to unit 'desa'")
        if self.code in self.excludes:
            raise ValueError("a programme cannot exclude itself")
        return self

    def eligible(self, assessment: pd.DataFrame) -> pd.Series:
        """Boolean mask over an assessment frame (columns as in ``assessment_families``)."""
        return to_pandas(parse(self.eligibility))(assessment)

    def village_cost(self, biaya_jaringan: int | float | None) -> int:
        """The cost of the programme in one village (unit 'desa')."""
        if self.cost_from == "biaya_jaringan":
            if biaya_jaringan is None or pd.isna(biaya_jaringan) or biaya_jaringan <= 0:
                assert self.default_cost_rp is not None
                return self.default_cost_rp
            return int(biaya_jaringan)
        assert self.unit_cost_rp is not None
        return self.unit_cost_rp


# --------------------------------------------------------------------------- loading


SHELF = TomlShelf(PACKAGED, lambda: os.environ.get(ENV_PATH))


def available_programmes() -> list[str]:
    return SHELF.ids()


def programme_path(code_or_path: str | Path) -> Path:
    """The file a programme is read from: the override folder first, then the packaged one."""
    path = SHELF.find(code_or_path)
    if path is None:
        raise ProgrammeError(
            "program_tidak_ditemukan", code=str(code_or_path), available=", ".join(SHELF.ids())
        )
    return path


def _parse_programme(path: Path) -> Programme:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeError("program_tidak_valid", path=path, detail=exc) from exc
    if data.get("code") != path.stem:
        raise ProgrammeError(
            "program_kode_bukan_nama_berkas", path=path, code=data.get("code"), stem=path.stem
        )
    try:
        return Programme(**data)
    except ValidationError as exc:
        raise ProgrammeError("program_tidak_valid", path=path, detail=exc) from exc


def load_programme(code_or_path: str | Path) -> Programme:
    """The programme of a code (or a ``.toml`` path), parsed once until its file changes."""
    return SHELF.read(programme_path(code_or_path), _parse_programme)


_catalogue: tuple[tuple[tuple[Path, int, int], ...], dict[str, Programme]] | None = None


def load_catalogue() -> dict[str, Programme]:
    """Every available programme by code; an exclusion naming an unknown programme is an error.

    Asked for on every access check and every coverage read: the catalogue is checked again
    only when a programme file was added, removed or edited (its path, modification time or
    size changed)."""
    global _catalogue
    paths = [programme_path(code) for code in available_programmes()]
    stamp = tuple(SHELF.stamp(path) for path in paths)
    if _catalogue is not None and _catalogue[0] == stamp:
        return dict(_catalogue[1])
    catalogue = {path.stem: SHELF.read(path, _parse_programme) for path in paths}
    for p in catalogue.values():
        unknown = sorted(set(p.excludes) - set(catalogue))
        if unknown:
            raise ProgrammeError("program_kecualikan_tidak_dikenal", code=p.code, unknown=unknown)
    _catalogue = (stamp, catalogue)
    return dict(catalogue)


def exclusion_pairs(catalogue: dict[str, Programme]) -> list[tuple[str, str]]:
    """Pairs of programme codes a family may not receive together (symmetric, sorted)."""
    pairs = {tuple(sorted((p.code, other))) for p in catalogue.values() for other in p.excludes}
    return sorted((a, b) for a, b in pairs)


def served_by() -> dict[str, tuple[str, ...]]:
    """Case-finding code → the programmes whose delivery clears its row (their ``serves``), in
    programme-code order: the one home of that map (`sinergi.assess.missed`,
    `sinergi.assess.pregnancy`)."""
    out: dict[str, list[str]] = {}
    for code, programme in sorted(load_catalogue().items()):
        for finding in programme.serves:
            out.setdefault(finding, []).append(code)
    return {finding: tuple(codes) for finding, codes in out.items()}
