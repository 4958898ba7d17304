"""Versioned rule sets (TOML) for classifying families, and their loader.

The packaged files are ``krs-2021`` and ``krs-2024``. A folder named by ``SINERGI_RULES_PATH``
may hold overrides: a file there with the same ``id`` replaces the packaged one (a regency
switching on ``rumah_tidak_layak``, say), and new ids add rule sets.
"""

from sinergi.rules.ruleset import (
    FACTOR_CODES,
    SASARAN_CODES,
    RuleSet,
    RuleSetError,
    available_rulesets,
    load_ruleset,
)

__all__ = [
    "FACTOR_CODES",
    "SASARAN_CODES",
    "RuleSet",
    "RuleSetError",
    "available_rulesets",
    "load_ruleset",
]
