"""``sinergi anthro``: score the children of a measurement file and write it back with the results.

The file is read by ``sinergi.ingest.reader.read_table``, the one door every source file goes
through: its type comes from its bytes, its size, extent and encoding are checked before anything
large is allocated, and a file it cannot read is answered with the reader's sentence. Cells arrive
as the text an officer sees (dates of typed cells as yyyy-mm-dd) and are written back as that text,
with the z-score columns appended; columns are found by header as ingest finds those of an e-PPGBM
file (``ingest.validate.map_header``). The output is a neutralised CSV or an XLSX written with
``XLSX_OPTIONS``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sinergi import messages
from sinergi.assess.zscores import MAIN_INDICATORS, compute_zscores
from sinergi.core.growth import STUNTED
from sinergi.core.spreadsheet import XLSX_OPTIONS, neutralise_frame
from sinergi.ingest.reader import ReadError, read_table
from sinergi.ingest.schema import EPPGBM
from sinergi.ingest.validate import map_header
from sinergi.settings import get_settings

__all__ = ["GrowthFileError", "GrowthSummary", "score_file"]

# The columns the scoring reads (the e-PPGBM kind's names, whose headers and aliases include the
# short names of the CLI's own template: jk, tgl_lahir, tgl_ukur, berat, tinggi, cara_ukur, lila).
_REQUIRED = ("jenis_kelamin", "tanggal_lahir", "tanggal_ukur")
_MEASURES = ("berat", "tinggi")


class GrowthFileError(ValueError):
    """A file that cannot be scored as a whole (unreadable, or a required column is missing)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _message(code: str, **params: object) -> str:
    return messages.t(code, get_settings().lang, **params)


@dataclass(frozen=True)
class GrowthSummary:
    """What ``sinergi anthro`` reports. ``scored + partial + not_scored == rows``."""

    rows: int
    scored: int  # all four indicators computed
    partial: int  # some computed, some not (see alasan)
    not_scored: int  # none computed
    stunted: int  # status_tbu pendek or sangat_pendek, implausible HAZ (flag_tbu) excluded
    severely_stunted: int
    implausible: int  # rows with at least one WHO flag
    # What the reader noticed about the whole file (e.g. it was not UTF-8), as sentences.
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, int]:
        """The counts."""
        return {k: v for k, v in asdict(self).items() if k != "notes"}


def _read_measurements(
    path: str | Path, sheet: str | None = None
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The table of a CSV or XLSX file as text cells (header on its first non-empty row, empty
    rows dropped, headers made unique), and the reader's warnings about the file as sentences.

    Raises ``GrowthFileError`` with the reader's sentence when the file cannot be read."""
    try:
        table = read_table(Path(path), sheet)
    except ReadError as exc:
        raise GrowthFileError(exc.code, _message(exc.code, **exc.params)) from exc
    notes = tuple(_message(note.code, **note.params) for note in table.notes)
    header = [name or f"kolom_{j + 1}" for j, name in enumerate(table.header)]
    seen: dict[str, int] = {}
    for j, name in enumerate(header):  # duplicate headers would collide when written back
        if name in seen:
            seen[name] += 1
            header[j] = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
    if not table.rows:
        raise GrowthFileError("berkas_kosong", _message("berkas_kosong"))
    cells = np.array(table.rows, dtype=object)  # the reader made every row as wide as the header
    return pd.DataFrame(cells, columns=header, copy=False), notes


def score_file(
    in_path: str | Path, out_path: str | Path, *, sheet: str | None = None
) -> GrowthSummary:
    """Read measurements (CSV/XLSX), write them back with the z-score columns appended.

    Columns are found by header (case, spaces, dots, slashes, underscores, hyphens ignored): ``jk``,
    ``tgl_lahir``, ``tgl_ukur`` are required, ``berat`` and/or ``tinggi``, optional ``cara_ukur``
    and ``lila``; the e-PPGBM export headers work as they are. The output format follows the
    extension of ``out_path`` (``.csv`` or ``.xlsx``).
    """
    out_path = Path(out_path)
    if out_path.suffix.lower() not in (".csv", ".xlsx"):
        raise GrowthFileError(
            "hasil_harus_csv_xlsx", _message("hasil_harus_csv_xlsx", name=out_path.name)
        )
    table, notes = _read_measurements(in_path, sheet)
    found, _ = map_header(list(table.columns), EPPGBM)
    for name in _REQUIRED:
        if name not in found:
            header = EPPGBM.column(name).header
            raise GrowthFileError(
                "kolom_wajib_hilang", _message("kolom_wajib_hilang", column=header)
            )
    if not any(name in found for name in _MEASURES):
        weight, height = (EPPGBM.column(name).header for name in _MEASURES)
        raise GrowthFileError(
            "kolom_berat_tinggi_hilang",
            _message("kolom_berat_tinggi_hilang", weight=weight, height=height),
        )

    def column(name: str) -> Any:
        return table.iloc[:, found[name]].to_numpy() if name in found else np.nan

    result = compute_zscores(
        column("jenis_kelamin"),
        column("tanggal_lahir"),
        column("tanggal_ukur"),
        column("berat"),
        column("tinggi"),
        column("cara_ukur") if "cara_ukur" in found else None,
        column("lila") if "lila" in found else None,
    )
    kept = table.drop(columns=[c for c in result.columns if c in table.columns])
    out = pd.concat([kept, result], axis=1)
    if out_path.suffix.lower() == ".csv":
        neutralise_frame(out).to_csv(out_path, index=False, encoding="utf-8-sig")
    else:
        for col in out.columns:  # write categoricals as plain text cells
            if isinstance(out[col].dtype, pd.CategoricalDtype):
                out[col] = out[col].astype(object).where(out[col].notna(), "")
        out.to_excel(
            out_path,
            index=False,
            engine="xlsxwriter",
            sheet_name="z-score",
            engine_kwargs={"options": XLSX_OPTIONS},
        )
    return _summarise(result, notes)


def _summarise(result: pd.DataFrame, notes: tuple[str, ...]) -> GrowthSummary:
    zs = result[[f"zs_{k}" for k in MAIN_INDICATORS]].notna().to_numpy()
    n_scored = zs.sum(axis=1)
    flags = result[[c for c in result.columns if c.startswith("flag_")]].to_numpy().any(axis=1)
    tbu = result["status_tbu"]
    plausible = ~result["flag_tbu"].to_numpy()
    return GrowthSummary(
        rows=len(result),
        scored=int((n_scored == len(MAIN_INDICATORS)).sum()),
        partial=int(((n_scored > 0) & (n_scored < len(MAIN_INDICATORS))).sum()),
        not_scored=int((n_scored == 0).sum()),
        stunted=int((tbu.isin(STUNTED).to_numpy() & plausible).sum()),
        severely_stunted=int(((tbu == "sangat_pendek").to_numpy() & plausible).sum()),
        implausible=int(flags.sum()),
        notes=notes,
    )
