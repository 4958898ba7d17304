"""The options every command group of the command line shares, declared once: the main
`sinergi.cli` and the groups it registers (`sinergi.field.cli`, `sinergi.registry.verify_cli`,
`sinergi.batch.cli`), which cannot import `sinergi.cli` at their top (it imports them)."""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: SINERGI_DATABASE_URL or sqlite:///sinergi.db)."
    ),
]
LangOption = Annotated[str | None, typer.Option("--lang", help="id | en")]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--oleh",
        help="Who does it, recorded in the audit log (default: SINERGI_USER or the login name).",
    ),
]
