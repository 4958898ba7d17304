"""What a printed report says and looks like, for the report tests: its text (poppler's
``pdftotext``) and its first page as a PNG in ``test-artifacts/laporan/`` (``pdftoppm``). Both
come from Debian's poppler-utils, which `.ci/run` installs."""

from __future__ import annotations

import subprocess
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "laporan"


def pdf_text(pdf: Path) -> str:
    """The PDF's text, laid out as on the page."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def first_page_png(pdf: Path, name: str, dpi: int = 80) -> Path:
    """Page 1 of ``pdf`` as ``test-artifacts/laporan/<name>.png`` (kept for people to look at)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")
