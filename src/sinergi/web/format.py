"""The pages' Jinja filters and globals: numbers and dates through `sinergi.core.display` (the
one formatter of the CLI, the pages and the exports), role lists for the menus."""

from __future__ import annotations

from jinja2 import Environment

from sinergi.core.display import dec, num, pct, rp, tgl, waktu
from sinergi.security.access import AUDIT_READERS, IMPORTERS, NAMED


def install(env: Environment) -> None:
    env.filters.update(num=num, dec=dec, pct=pct, rp=rp, tgl=tgl, waktu=waktu)
    env.globals.update(named_roles=NAMED, importer_roles=IMPORTERS, audit_roles=AUDIT_READERS)
