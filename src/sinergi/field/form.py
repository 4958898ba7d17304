"""The village's field form: an XLSForm for ODK Collect / KoboToolbox and its choice files.

One submission is one family visit: the `verifikasi` record (`Hasil` and what it needs) and, in
the repeat ``ukur``, a re-measurement of each under-five of the family. The field names are the
import columns, so exports import unchanged:

- ODK Central's main CSV (``<form>.csv``) has the columns ``no_kk, nik, hasil, kolom, nilai_baru,
  tanggal, petugas, catatan`` (+ Central's own, ignored) → ``sinergi import verifikasi``;
- the repeat's CSV (``<form>-ukur.csv``; Kobo: the second sheet) has ``nik_anak, nama_anak,
  jenis_kelamin, tanggal_lahir, nomor_kk, kode_desa, tanggal_ukur, berat, tinggi, cara_ukur,
  lila`` (the child's identity read back from ``anak.csv``) → ``sinergi import eppgbm``.

The choice files hold the names and NIKs of one village: only a role that may see that village's
names and whole NIKs may write them (`sinergi.security.access`), the families come from the
scoped query (`family_clause`), NIKs are masked in every label, and each export is recorded in
the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import Engine, select

from sinergi.core.ages import months_before
from sinergi.core.errors import CodedError
from sinergi.core.masking import mask_nik
from sinergi.core.spreadsheet import XLSX_OPTIONS, write_csv
from sinergi.messages import Lang, t
from sinergi.registry.verify import HASIL, correctable_columns
from sinergi.security.access import family_clause, may_reveal_nik, region_allowed
from sinergi.security.auth import User
from sinergi.store import audit
from sinergi.store.tables import families, persons, regions
from sinergi.wilayah.regions import normalize_code

#: The audit log's name for the export of a village's field form (``objek``).
OBJECT = "formulir_lapangan"
#: The repeat group of the re-measurements: ODK Central names its CSV ``<form>-ukur.csv``.
REPEAT = "ukur"
FAMILIES_FILE, MEMBERS_FILE, CHILDREN_FILE = "keluarga.csv", "anggota.csv", "anak.csv"
LANGUAGES: tuple[tuple[Lang, str], ...] = (("id", "Bahasa Indonesia (id)"), ("en", "English (en)"))
UNDER_FIVE_MONTHS = 60

# Plausible values a phone accepts for a child under five; wider implausible ones are still caught
# by the import (`EPPGBM`'s limits) and flagged by the growth standards.
WEIGHT_KG = (1, 30)
HEIGHT_CM = (40, 125)
MUAC_CM = (8, 25)


class FieldError(CodedError):
    """A field form or ODK Central step the user can fix (sentence in the catalogue)."""


@dataclass(frozen=True)
class FormFiles:
    """What `write_form` wrote: the form, its choice files and how many rows each holds."""

    form_id: str
    form: Path
    attachments: tuple[Path, ...]
    families: int
    members: int
    children: int
    warnings: list[str] = field(default_factory=list)


def form_id(kode_desa: str) -> str:
    """``verifikasi_6408012001``: the form's id (and file name) for a village."""
    return f"verifikasi_{kode_desa.replace('.', '')}"


def _labels(code: str, **params: object) -> dict[str, str]:
    """The label columns of a row, one per form language, from the message catalogue."""
    return {f"label::{name}": t(code, lg, **params) for lg, name in LANGUAGES}


def _texts(column: str, code: str) -> dict[str, str]:
    return {f"{column}::{name}": t(code, lg) for lg, name in LANGUAGES}


def _range(low: float, high: float) -> str:
    return f". >= {low} and . <= {high}"


def _limits_message(limits: tuple[float, float]) -> dict[str, str]:
    low, high = limits
    return {
        f"constraint_message::{name}": t("lapangan_c_rentang", lg, low=low, high=high)
        for lg, name in LANGUAGES
    }


def definition(kode_desa: str, nama_desa: str, version: str) -> dict[str, list[dict[str, str]]]:
    """The XLSForm as sheets of rows (pure: the same village and version give the same form)."""
    needs_member = "${hasil} = 'meninggal' or ${hasil} = 'koreksi'"
    survey: list[dict[str, str]] = [
        {
            "type": f"select_one_from_file {FAMILIES_FILE}",
            "name": "no_kk",
            "required": "yes",
            "appearance": "search",
            **_labels("lapangan_q_no_kk"),
        },
        {
            "type": "select_one hasil",
            "name": "hasil",
            "required": "yes",
            **_labels("lapangan_q_hasil"),
        },
        {
            "type": f"select_one_from_file {MEMBERS_FILE}",
            "name": "nik",
            "choice_filter": "no_kk = ${no_kk}",
            "relevant": needs_member,
            "required": "${hasil} = 'meninggal'",
            **_labels("lapangan_q_nik"),
            **_texts("hint", "lapangan_h_nik"),
        },
        {
            "type": "select_one kolom",
            "name": "kolom",
            # A member's columns when a member was chosen, else the family's.
            "choice_filter": "if(${nik} != '', tingkat = 'anggota', tingkat = 'keluarga')",
            "relevant": "${hasil} = 'koreksi'",
            "required": "yes",
            **_labels("lapangan_q_kolom"),
        },
        {
            "type": "text",
            "name": "nilai_baru",
            "relevant": "${hasil} = 'koreksi' or ${hasil} = 'pindah'",
            "required": "${hasil} = 'koreksi'",
            **_labels("lapangan_q_nilai_baru"),
            **_texts("hint", "lapangan_h_nilai_baru"),
        },
        {
            "type": "date",
            "name": "tanggal",
            "default": "today()",
            "required": "yes",
            "constraint": ". <= today()",
            **_labels("lapangan_q_tanggal"),
            **_texts("constraint_message", "lapangan_c_tanggal"),
        },
        {"type": "text", "name": "petugas", "required": "yes", **_labels("lapangan_q_petugas")},
        {"type": "text", "name": "catatan", **_labels("lapangan_q_catatan")},
        {
            "type": "begin_repeat",
            "name": REPEAT,
            "relevant": "${hasil} = 'ada' or ${hasil} = 'koreksi'",
            **_labels("lapangan_q_ukur"),
        },
        {
            "type": f"select_one_from_file {CHILDREN_FILE}",
            "name": "anak",
            "choice_filter": "no_kk = ${no_kk}",
            "required": "yes",
            **_labels("lapangan_q_anak"),
        },
        *[
            {
                "type": "calculate",
                "name": name,
                "calculation": f"instance('anak')/root/item[name = ${{anak}}]/{column}",
            }
            for name, column in (
                ("nik_anak", "nik"),
                ("nama_anak", "nama"),
                ("jenis_kelamin", "jk"),
                ("tanggal_lahir", "lahir"),
            )
        ],
        {"type": "calculate", "name": "nomor_kk", "calculation": "${no_kk}"},
        {"type": "calculate", "name": "kode_desa", "calculation": f"'{kode_desa}'"},
        {
            "type": "date",
            "name": "tanggal_ukur",
            "default": "today()",
            "required": "yes",
            "constraint": ". <= today()",
            **_labels("lapangan_q_tanggal_ukur"),
            **_texts("constraint_message", "lapangan_c_tanggal"),
        },
        {
            "type": "decimal",
            "name": "berat",
            "required": "yes",
            "constraint": _range(*WEIGHT_KG),
            **_labels("lapangan_q_berat"),
            **_limits_message(WEIGHT_KG),
        },
        {
            "type": "decimal",
            "name": "tinggi",
            "required": "yes",
            "constraint": _range(*HEIGHT_CM),
            **_labels("lapangan_q_tinggi"),
            **_limits_message(HEIGHT_CM),
        },
        {
            "type": "select_one cara_ukur",
            "name": "cara_ukur",
            "required": "yes",
            **_labels("lapangan_q_cara_ukur"),
            **_texts("hint", "lapangan_h_cara_ukur"),
        },
        {
            "type": "decimal",
            "name": "lila",
            "constraint": _range(*MUAC_CM),
            **_labels("lapangan_q_lila"),
            **_limits_message(MUAC_CM),
        },
        {"type": "end_repeat", "name": REPEAT},
    ]
    choices: list[dict[str, str]] = [
        {"list_name": "hasil", "name": code, **_labels(f"lapangan_hasil_{code}")} for code in HASIL
    ]
    choices += [
        {
            "list_name": "kolom",
            "name": name,
            "tingkat": level,
            **{f"label::{n}": name for _, n in LANGUAGES},
        }
        for name, level in correctable_columns()
    ]
    choices += [
        {"list_name": "cara_ukur", "name": code, **_labels(f"lapangan_cara_{code}")}
        for code in ("berbaring", "berdiri")
    ]
    settings = [
        {
            "form_title": t("lapangan_judul", "id", desa=nama_desa),
            "form_id": form_id(kode_desa),
            "version": version,
            "default_language": LANGUAGES[0][1],
        }
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def check(sheets: dict[str, list[dict[str, str]]]) -> tuple[str, list[str]]:
    """Convert the form with pyxform: its XForm and warnings; a form pyxform refuses raises
    `FieldError` (nothing is written)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        result = convert(xlsform=_as_workbook_dict(sheets), validate=False)
    except PyXFormError as exc:
        raise FieldError("lapangan_xlsform_salah", detail=str(exc)) from exc
    return result.xform, list(result.warnings)


def _as_workbook_dict(sheets: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    return {name: [dict(row) for row in rows] for name, rows in sheets.items()}


def write_xlsform(path: Path, sheets: dict[str, list[dict[str, str]]]) -> Path:
    """The sheets as an XLSX workbook (every cell text, nothing a spreadsheet would run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        header: list[str] = []
        for row in rows:
            header += [key for key in row if key not in header]
        sheet.write_row(0, 0, header)
        for i, row in enumerate(rows, start=1):
            for j, key in enumerate(header):
                sheet.write_string(i, j, row.get(key, ""))
    workbook.close()
    return path


def _age_label(born: date, today: date) -> str:
    months = next(m for m in range(UNDER_FIVE_MONTHS, -1, -1) if born <= months_before(today, m))
    return t("lapangan_umur", "id", tahun=months // 12, bulan=months % 12)


def village_rows(
    engine: Engine, user: User, kode_desa: str, today: date
) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """The rows of ``keluarga.csv``, ``anggota.csv`` and ``anak.csv`` for one village: its
    current families (not moved away, not merged into another KK) that ``user`` may see, their
    living members and under-fives. Labels carry masked NIKs only."""
    fam = families.c
    query = (
        select(fam.no_kk, fam.rt, fam.rw, fam.dusun, fam.nama_kepala)
        .where(
            fam.kode_desa == kode_desa,
            fam.keluar.is_(None),
            fam.digabung_ke.is_(None),
            family_clause(user, fam.no_kk, fam.kode_desa, None),
        )
        .order_by(fam.no_kk)
    )
    per = persons.c
    members_query = (
        select(per.no_kk, per.nik, per.nama, per.jenis_kelamin, per.tanggal_lahir, per.hubungan)
        .where(per.meninggal.is_(None), per.no_kk.in_(query.with_only_columns(fam.no_kk)))
        .order_by(per.no_kk, per.tanggal_lahir, per.nik)
    )
    with engine.connect() as conn:
        fams = conn.execute(query).all()
        members = conn.execute(members_query).all()
    heads = {m.no_kk: m.nama for m in members if m.hubungan == "kepala_keluarga"}
    youngest = months_before(today, UNDER_FIVE_MONTHS)
    family_rows = []
    for f in fams:
        head = heads.get(f.no_kk) or f.nama_kepala or t("lapangan_tanpa_nama", "id")
        place = t("lapangan_rt_rw", "id", rt=f.rt or "-", rw=f.rw or "-")
        if f.dusun:
            place = f"{f.dusun}, {place}"
        family_rows.append([f.no_kk, f"{head} · {place}", f.rt or "", f.rw or ""])
    member_rows = [[m.nik, f"{m.nama} · {mask_nik(m.nik)}", m.no_kk] for m in members]
    child_rows = [
        [
            m.nik,
            f"{m.nama} ({_age_label(m.tanggal_lahir, today)})",
            m.no_kk,
            m.nik,
            m.nama,
            m.jenis_kelamin,
            m.tanggal_lahir.isoformat(),
        ]
        for m in members
        if youngest < m.tanggal_lahir <= today
    ]
    return family_rows, member_rows, child_rows


def village_name(engine: Engine, kode: str) -> tuple[str, str]:
    """The village's dotted code and name; `FieldError` when the registry has no such village."""
    dotted = normalize_code(kode)
    row = None
    if dotted is not None:
        with engine.connect() as conn:
            row = conn.execute(
                select(regions.c.kode, regions.c.nama, regions.c.tingkat).where(
                    regions.c.kode == dotted
                )
            ).first()
    if row is None or row.tingkat != "desa_kelurahan":
        raise FieldError("lapangan_desa_tidak_dikenal", kode=kode)
    return row.kode, row.nama


def write_form(
    engine: Engine,
    user: User,
    kode: str,
    out: Path,
    today: date | None = None,
    via: str = "cli",
) -> FormFiles:
    """Write the village's XLSForm and its three choice files into ``out`` as ``user``.

    Refused (`FieldError`) for an unknown village, for a user who may not see the village's
    names and whole NIKs, and for a form pyxform does not accept; otherwise recorded in the audit
    log as an export (how many families, members and children left, in which files)."""
    kode_desa, nama_desa = village_name(engine, kode)
    if not (region_allowed(user, kode_desa) and may_reveal_nik(user)):
        raise FieldError("lapangan_tidak_berhak", kode=kode_desa)
    today = today or date.today()
    sheets = definition(kode_desa, nama_desa, datetime.now().strftime("%Y%m%d%H%M%S%f"))
    _, warnings = check(sheets)
    family_rows, member_rows, child_rows = village_rows(engine, user, kode_desa, today)
    fid = form_id(kode_desa)
    form = write_xlsform(out / f"{fid}.xlsx", sheets)
    # Plain UTF-8 (no BOM): ODK Collect reads the first header cell as written.
    attachments = (
        write_csv(out / FAMILIES_FILE, ["name", "label", "rt", "rw"], family_rows, "utf-8"),
        write_csv(out / MEMBERS_FILE, ["name", "label", "no_kk"], member_rows, "utf-8"),
        write_csv(
            out / CHILDREN_FILE,
            ["name", "label", "no_kk", "nik", "nama", "jk", "lahir"],
            child_rows,
            "utf-8",
        ),
    )
    audit.record_now(
        engine,
        user.username,
        audit.EXPORT,
        OBJECT,
        kode_desa,
        {
            "keluarga": len(family_rows),
            "anggota": len(member_rows),
            "anak": len(child_rows),
            "berkas": [p.name for p in (form, *attachments)],
            "via": via,
        },
    )
    return FormFiles(
        fid, form, attachments, len(family_rows), len(member_rows), len(child_rows), warnings
    )


#: The `eppgbm` columns the repeat's CSV fills, in the form's order.
REPEAT_COLUMNS = (
    "nik_anak",
    "nama_anak",
    "jenis_kelamin",
    "tanggal_lahir",
    "nomor_kk",
    "kode_desa",
    "tanggal_ukur",
    "berat",
    "tinggi",
    "cara_ukur",
    "lila",
)
