"""The pages' Jinja filters and globals: numbers and dates through `sinergi.core.display` (the
one formatter of the CLI, the pages and the exports), and the pieces
every page is built of (a section with its heading, a table's header row)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jinja2 import Environment
from markupsafe import Markup

from sinergi.core.display import dec, num, pct, rp, tgl, waktu


def thead(words: Iterable[str]) -> Markup:
    """A table's header row, one cell per word."""
    return Markup("<thead><tr>{}</tr></thead>").format(
        Markup("").join(Markup("<th>{}</th>").format(word) for word in words)
    )


def card(title: str | None = None, id: str | None = None, *, caller: Callable[[], str]) -> Markup:
    """A page section, ``{% call card(title) %}…{% endcall %}``: its heading when it has one, an
    ``id`` when a link or htmx targets it."""
    anchor = Markup(' id="{}"').format(id) if id else ""
    section = Markup('<section class="card"{}>').format(anchor)
    if title is not None:
        section += Markup("\n  <h2>{}</h2>").format(title)
    return section + caller() + Markup("</section>")


def install(env: Environment) -> None:
    env.filters.update(num=num, dec=dec, pct=pct, rp=rp, tgl=tgl, waktu=waktu)
    env.globals.update(
        card=card,
        thead=thead,
    )
