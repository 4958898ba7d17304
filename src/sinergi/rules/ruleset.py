"""Rule-set files: parsed and checked with Pydantic, so a typo in a file is a clear error."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sinergi.settings import TomlShelf, get_settings

PACKAGED = Path(__file__).parent

SASARAN_CODES = ("pus", "pus_hamil", "baduta", "balita")
FACTOR_CODES = (
    "air_minum_tidak_layak",
    "jamban_tidak_layak",
    "terlalu_muda",
    "terlalu_tua",
    "terlalu_dekat",
    "terlalu_banyak",
    "tidak_kb_modern",
    "desil_1",
    "rumah_tidak_layak",
)


class RuleSetError(ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sasaran(_Strict):
    # Every married woman of these ages is the wife of a PUS couple, whatever her relation to
    # the head (see `sinergi.rules.compile`); under 15 she is a target (and too young).
    pus_min_age: int = 10
    pus_max_age: int = 49
    # The roster's yes/no 'hamil' has no date: it counts only while the person's data date
    # (NULL: unknown, counted) is at most this many months before the reference date.
    pregnancy_flag_valid_months: int = 9
    baduta_max_months: int = 23
    balita_min_months: int = 24
    balita_max_months: int = 59


class Factor(_Strict):
    enabled: bool = True
    safe: tuple[str, ...] | None = None
    unsafe: tuple[str, ...] | None = None
    below_age: int | None = None
    from_age: int | None = None
    to_age: int | None = None
    below_months: int | None = None
    # terlalu_dekat only while the youngest child is under this many months (None: any age)
    youngest_max_months: int | None = None
    min_children: int | None = None
    modern: tuple[str, ...] | None = None
    mal_modern: bool = False  # MAL (lactational amenorrhoea) counts as a modern method
    # tidak_kb_modern: every couple without a modern method, or only those wanting no child
    # within two years (an unknown wish counts as a need)
    mode: Literal["tidak_ber_kb", "unmet_need"] = "tidak_ber_kb"
    pregnant_exempt: bool = True
    air_hujan_safe: bool = False  # rainwater counts as safe drinking water
    deciles: tuple[int, ...] | None = None

    def need(self, name: str) -> Any:
        value = getattr(self, name)
        if value is None:
            raise RuleSetError(f"factor parameter '{name}' is missing")
        return value


class ExtremePoverty(_Strict):
    deciles: tuple[int, ...] = (1,)
    line_rp_per_capita_month: int
    line_year: int
    line_source: str = ""


class RuleSet(_Strict):
    id: str
    version: str
    title: str
    source: str = ""
    sasaran: Sasaran = Field(default_factory=Sasaran)
    factors: dict[str, Factor]
    extreme_poverty: ExtremePoverty
    digest: str = ""  # sha256 of the file text, recorded with every run

    @property
    def enabled_factors(self) -> list[str]:
        """Enabled factor codes in the canonical order (the order lists are joined in)."""
        return [c for c in FACTOR_CODES if c in self.factors and self.factors[c].enabled]

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"


SHELF = TomlShelf(PACKAGED, lambda: get_settings().rules_path)


def available_rulesets() -> list[str]:
    return SHELF.ids()


def load_ruleset(name_or_path: str | Path) -> RuleSet:
    """The rule set of an id (or a ``.toml`` path), parsed once until its file changes."""
    path = SHELF.find(name_or_path)
    if path is None:
        raise RuleSetError(
            f"rule set '{name_or_path}' not found; available: {', '.join(SHELF.ids())}"
        )
    return SHELF.read(path, _parse_ruleset)


def _parse_ruleset(path: Path) -> RuleSet:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError(f"{path}: {exc}") from exc
    unknown = set(data.get("factors", {})) - set(FACTOR_CODES)
    if unknown:
        raise RuleSetError(f"{path}: unknown factor(s) {sorted(unknown)}; known: {FACTOR_CODES}")
    try:
        return RuleSet(**data, digest=hashlib.sha256(text.encode()).hexdigest())
    except ValidationError as exc:
        raise RuleSetError(f"{path}: {exc}") from exc
