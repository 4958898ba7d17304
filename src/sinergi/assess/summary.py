"""Read a stored assessment run back: per-kecamatan figures, the per-family export, and what the
run was (rule set, date) for the 'about' sheet of every export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, Select, Table, func, or_, select, true

from sinergi.assess.prevalence import (
    LEVEL_CODE_LENGTH,
    RECENT_MONTHS,
    measured,
    percent,
    percent_array,
    prevalence,
    recently_measured_mask,
    stunted,
    tally,
    under_five,
)
from sinergi.core import display
from sinergi.core.ages import months_before
from sinergi.core.masking import mask_nik
from sinergi.core.totals import with_total
from sinergi.messages import Lang, t
from sinergi.rules.pasangan import parse_pasangan
from sinergi.store.bulk import CHUNK
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_children,
    assessment_families,
    assessment_runs,
    import_batches,
    persons,
)
from sinergi.wilayah import get_wilayah


@dataclass(frozen=True)
class Published:
    """A published figure of the regency: which of our figures it stands beside (``krs``,
    ``stunting_persen``, ``penduduk``), the year it describes, and as message codes its value in
    each language's notation, its source and the kind of source (``sumber_jenis_*``)."""

    figure: str
    year: int
    text: str
    source: str
    kind: str


# Published figures for Kabupaten Kutai Timur (docs/domain.md), shown beside ours: a figure is
# comparable only when both describe the same year and come from the same kind of source
# (`compare_published`).
PUBLISHED_KUTIM: tuple[Published, ...] = (
    Published("krs", 2024, "resmi_krs", "resmi_sumber_krs", "sumber_jenis_pendataan"),
    Published(
        "stunting_persen",
        2024,
        "resmi_stunting_2024",
        "resmi_sumber_ssgi_2024",
        "sumber_jenis_survei",
    ),
    Published(
        "stunting_persen",
        2022,
        "resmi_stunting_2022",
        "resmi_sumber_ssgi_2022",
        "sumber_jenis_survei",
    ),
    Published(
        "penduduk", 2024, "resmi_penduduk", "resmi_sumber_penduduk", "sumber_jenis_registrasi"
    ),
)
# What our figures are: the kind of source behind each (message codes, as ``Published.kind``).
OUR_KINDS = {
    "krs": "sumber_jenis_pendataan",
    "stunting_persen": "sumber_jenis_posyandu",
    "penduduk": "sumber_jenis_pendataan",
}
# The column every file of `sinergi synth` carries (value "ya"). No source kind knows it, so the
# importer keeps its name in the batch's ``extra_columns``: a database that loaded such a file
# holds synthetic data, whichever door (demo, CLI, web, API) it came through.
SYNTHETIC_COLUMN = "Data Sintetis"


def run_date(run_id: int) -> Select[date]:
    """The query for a stored run's reference date (no row for an unknown run)."""
    return select(assessment_runs.c.reference_date).where(assessment_runs.c.id == run_id)


@dataclass(frozen=True)
class StoredRun:
    """What the readers of a stored run need to know of it."""

    id: int
    reference_date: date
    counts: dict[str, Any] | None  # the run's per-factor and per-sasaran counts


def stored_run(
    conn: Connection, run_id: int | None = None, *, before: int | None = None
) -> StoredRun | None:
    """Run ``run_id``; without it the newest run, or with ``before`` the newest run older than
    run ``before``. None when there is no such run."""
    r = assessment_runs.c
    query = select(r.id, r.reference_date, r.counts)
    if run_id is not None:
        query = query.where(r.id == run_id)
    else:
        if before is not None:
            query = query.where(r.id < before)
        query = query.order_by(r.id.desc()).limit(1)
    row = conn.execute(query).first()
    return None if row is None else StoredRun(int(row.id), row.reference_date, row.counts)


def in_areas(column: Any, prefixes: Sequence[str] | None) -> ColumnElement[bool]:
    """``column`` (a region code) starts with one of ``prefixes``; true without prefixes."""
    if not prefixes:
        return true()
    return or_(*[column.startswith(p, autoescape=True) for p in prefixes])


# A family's result as the exports show it.
FAMILY_RESULT = (
    "no_kk",
    "kode_desa",
    "sasaran",
    "krs",
    "faktor",
    "miskin_ekstrem",
    "jumlah_balita_stunting",
)
# A scored child as the lists show it: who, when measured, z-scores, categories and flags.
CHILD_RESULT = (
    "child_key",
    "nik_anak",
    "nama_anak",
    "jenis_kelamin",
    "tanggal_lahir",
    "tanggal_ukur",
    "zs_tbu",
    "zs_bbu",
    "zs_bbtb",
    "status_tbu",
    "status_bbu",
    "status_bbtb",
    "flags",
)


def run_rows(table: Table, run_id: int, *columns: str) -> Select[Any]:
    """The query for the named columns of a stored run's results per family
    (``assessment_families``) or per child (``assessment_children``)."""
    return select(*(table.c[name] for name in columns)).where(table.c.run_id == run_id)


def run_about(engine: Engine, run_id: int, lang: Lang = "id") -> dict[str, object]:
    """The 'about' sheet of an export made from a run: catalogue codes (``about_*``) to values;
    `reports.write_table` writes the words and the numbers and dates in ``lang``."""
    with engine.connect() as conn:
        r = conn.execute(select(assessment_runs).where(assessment_runs.c.id == run_id)).one()
    return {
        "about_penilaian": f"#{r.id}",
        "about_aturan": t("aturan_versi", lang, rules=r.ruleset_id, version=r.ruleset_version),
        "about_sidik_aturan": r.ruleset_digest,
        "about_tanggal_acuan": r.reference_date,
        "about_dibuat": r.created_at,
        "about_mesin": r.engine,
        "about_keluarga": r.families,
        "about_keluarga_sasaran": r.target,
        "about_krs": r.krs,
        "about_miskin_ekstrem": r.miskin_ekstrem,
        "about_tanggal_data": data_dates(engine, lang),
        "about_arti_kolom": t("arti_kolom_penilaian", lang),
    }


def data_dates(engine: Engine, lang: Lang = "id") -> str:
    """Which data the registry holds, per kind of source: the newest date a loaded file's data
    describe (its ``as_of``; a file without one, the day it was imported, marked so), e.g.
    'Data keluarga (PK/Verval KRS): 31/08/2026; e-PPGBM (pengukuran balita): 15/08/2026'."""
    b = import_batches.c
    newest: dict[str, tuple[date, bool]] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(b.kind, b.as_of, b.finished_at, b.started_at).where(
                b.status == "dimuat", b.rows_loaded > 0
            )
        )
        for kind, as_of, finished, started in rows:
            day, imported = (as_of, False) if as_of else ((finished or started).date(), True)
            if kind not in newest or day > newest[kind][0]:
                newest[kind] = (day, imported)
    if not newest:
        return t("tanggal_data_tidak_ada", lang)
    return "; ".join(
        t(
            "tanggal_data_sumber",
            lang,
            sumber=t(f"jenis_{kind}", lang),
            tanggal=display.tgl(day, lang),
        )
        + (f" ({t('tanggal_data_impor', lang)})" if imported else "")
        for kind, (day, imported) in sorted(newest.items())
    )


def assessment_table(engine: Engine, run_id: int) -> pd.DataFrame:
    """One row per family (`FAMILY_RESULT`), ``pasangan``: per PUS couple the wife's name,
    her masked NIK and the factors the couple fired (`couples_named`), and ``temuan``: the
    members' case-finding codes (`sinergi.assess.findings`). New columns go at the end."""
    query = run_rows(assessment_families, run_id, *FAMILY_RESULT, "pasangan", "temuan")
    with engine.connect() as conn:
        frame = read_frame(conn, query.order_by(assessment_families.c.no_kk))
        frame["pasangan"] = couples_named(conn, frame["pasangan"])
    for col in ("krs", "miskin_ekstrem"):
        frame[col] = frame[col].astype(bool).astype(int)
    return frame


def couples_named(conn: Connection, stored: pd.Series) -> list[str]:
    """Stored ``pasangan`` texts (`sinergi.rules.pasangan`) as an officer reads them:
    'Name (6408••••••••0003): terlalu_muda, tidak_kb_modern' per couple, '-' when it fired none,
    couples joined with '; '."""
    couples = [parse_pasangan(text) for text in stored]
    niks = sorted({nik for family in couples for nik, _ in family})
    names: dict[str, str] = {}
    for i in range(0, len(niks), CHUNK):
        rows = conn.execute(
            select(persons.c.nik, persons.c.nama).where(persons.c.nik.in_(niks[i : i + CHUNK]))
        )
        names.update({nik: nama for nik, nama in rows})
    return [
        "; ".join(
            f"{names.get(nik, '?')} ({mask_nik(nik)}): {', '.join(codes) or '-'}"
            for nik, codes in family
        )
        for family in couples
    ]


def kecamatan_assessment(engine: Engine, run_id: int, lang: Lang = "id") -> pd.DataFrame:
    """Per kecamatan: target families, KRS, extreme poor, measured children and stunting %, and
    beside them the measurement coverage (`measurement_coverage`: registered under-fives, those
    measured in the last 3 months, their share); the last row is the total, named in ``lang``."""
    f, c = assessment_families.c, assessment_children.c
    kec_f = func.substr(f.kode_desa, 1, 8)
    kec_c = func.substr(c.kode_desa, 1, 8)
    with engine.connect() as conn:
        ref = conn.execute(run_date(run_id)).scalar_one()
        # Counted by the database: a regency's run is 100,000+ rows, its kecamatan a few dozen.
        fam = read_frame(
            conn,
            (
                select(
                    kec_f.label("kode"),
                    func.count().label("keluarga"),
                    tally(f.sasaran != "").label("sasaran"),
                    tally(f.krs.is_(True)).label("krs"),
                    tally(f.miskin_ekstrem.is_(True)).label("miskin_ekstrem"),
                )
                .where(f.run_id == run_id)
                .group_by(kec_f)
            ),
        )
        kids = read_frame(
            conn,
            (
                select(
                    kec_c.label("kode"),
                    tally(measured(c, ref)).label("anak_diukur"),
                    tally(stunted(c, ref)).label("stunting"),
                )
                .where(c.run_id == run_id)
                .group_by(kec_c)
            ),
        )
    out = fam.set_index("kode")
    if not kids.empty:
        out = out.join(kids.set_index("kode"), how="outer")
    reach = measurement_coverage(engine, run_id, "kecamatan")
    out = out.join(
        reach.set_index("kode_wilayah")[["balita_terdaftar", "balita_terukur"]], how="left"
    )
    out = out.astype(float).fillna(0).astype(int).reset_index()
    w = get_wilayah()
    out.insert(1, "kecamatan", out["kode"].map(w.name))
    out = with_total(out, lang, code_column="kode", name_column="kecamatan")
    if "anak_diukur" in out:
        pct = prevalence(out["stunting"], out["anak_diukur"]).pct
        out["stunting_persen"] = pd.Series(pct, index=out.index).round(1).fillna(0.0)
    share = percent_array(out["balita_terukur"], out["balita_terdaftar"])
    out["cakupan_ukur_persen"] = pd.Series(share, index=out.index).round(1)
    return out


def measurement_coverage(
    engine: Engine,
    run_id: int,
    level: str = "desa",
    prefixes: Sequence[str] | None = None,
    months: int = RECENT_MONTHS,
) -> pd.DataFrame:
    """Per area of ``level`` (``desa``, ``kecamatan`` or ``kabupaten``): ``balita_terdaftar``
    (registered under-fives), ``balita_terukur`` (of them, measured in the last ``months``
    months) and ``cakupan_ukur_pct`` (their share in percent, NaN without registered
    under-fives), keyed by ``kode_wilayah``; only areas with registered under-fives."""
    width = LEVEL_CODE_LENGTH[level]
    f, c, p = assessment_families.c, assessment_children.c, persons.c
    with engine.connect() as conn:
        ref = conn.execute(run_date(run_id)).scalar_one()
        under5 = read_frame(
            conn,
            select(p.nik, p.no_kk, p.tanggal_lahir, p.jenis_kelamin, f.kode_desa)
            .join(assessment_families, f.no_kk == p.no_kk)
            .where(
                f.run_id == run_id,
                in_areas(f.kode_desa, prefixes),
                under_five(p, ref),
                p.tanggal_lahir <= ref,
            ),
        )
        kids = read_frame(
            conn,
            select(c.nik_anak, c.no_kk, c.tanggal_lahir, c.jenis_kelamin, c.tanggal_ukur).where(
                c.run_id == run_id, c.tanggal_ukur >= months_before(ref, months)
            ),
        )
    if under5.empty:
        return pd.DataFrame(
            {
                "kode_wilayah": pd.Series(dtype=object),
                "balita_terdaftar": pd.Series(dtype="int64"),
                "balita_terukur": pd.Series(dtype="int64"),
                "cakupan_ukur_pct": pd.Series(dtype="float64"),
            }
        )
    under5["terukur"] = recently_measured_mask(under5, kids, ref, months)
    under5["kode_wilayah"] = under5["kode_desa"].str[:width]
    out = (
        under5.groupby("kode_wilayah")
        .agg(balita_terdaftar=("terukur", "size"), balita_terukur=("terukur", "sum"))
        .reset_index()
    )
    out["balita_terukur"] = out["balita_terukur"].astype(int)
    out["cakupan_ukur_pct"] = percent_array(out["balita_terukur"], out["balita_terdaftar"])
    return out[["kode_wilayah", "balita_terdaftar", "balita_terukur", "cakupan_ukur_pct"]]


# --------------------------------------------------------------------- beside the published figures


def holds_synthetic(conn: Connection) -> bool:
    """Whether the database loaded rows from a synthetic file: an import batch with loaded rows
    whose header held `SYNTHETIC_COLUMN`."""
    b = import_batches.c
    rows = conn.execute(select(b.extra_columns).where(b.status == "dimuat", b.rows_loaded > 0))
    return any(SYNTHETIC_COLUMN in (columns or ()) for (columns,) in rows)


@dataclass(frozen=True)
class Compared:
    """One of our figures beside one published figure, every text in the reader's language."""

    figure: str  # message code of the figure's name
    ours: str  # our value
    ours_source: str  # what it is: source, date, rule set or measurement coverage
    published: str  # the published value
    published_source: str  # its source and year
    comparable: bool  # same year and same kind of source, and real data
    note: str  # 'Sebanding …' or 'Tidak sebanding: …' and why


@dataclass(frozen=True)
class Comparison:
    """Our figures of a run beside the published ones (`compare_published`)."""

    synthetic: bool
    heading: str  # the heading of our column: 'Sinergi (data sintetis, 31/08/2026)'
    notice: str | None  # for synthetic data: agreement by calibration, not validation
    rows: list[Compared]


# The published figure of each of ours, and the message code of its name.
_FIGURE_NAMES = {"krs": "krs", "stunting_persen": "prevalensi_stunting", "penduduk": "penduduk"}


def compare_published(engine: Engine, run_id: int, lang: Lang = "id") -> Comparison:
    """Run ``run_id``'s KRS count, stunting prevalence and population beside `PUBLISHED_KUTIM`,
    each side naming its period and kind of source. A row is comparable only when both sides
    describe the same year and come from the same kind of source and the data are not synthetic
    (`holds_synthetic`); otherwise it says 'tidak sebanding' and why."""
    c, f, p = assessment_children.c, assessment_families.c, persons.c
    with engine.connect() as conn:
        run = conn.execute(select(assessment_runs).where(assessment_runs.c.id == run_id)).one()
        ref = run.reference_date
        n_measured, n_stunted = conn.execute(
            select(tally(measured(c, ref)), tally(stunted(c, ref))).where(c.run_id == run_id)
        ).one()
        people = conn.execute(
            select(func.count())
            .select_from(persons.join(assessment_families, f.no_kk == p.no_kk))
            .where(f.run_id == run_id)
        ).scalar_one()
        synthetic = holds_synthetic(conn)
    reach = measurement_coverage(engine, run_id, "kabupaten")
    registered = int(reach["balita_terdaftar"].sum())
    recent = int(reach["balita_terukur"].sum())
    day = display.tgl(ref, lang)
    ours = {
        "krs": (
            display.num(run.krs, lang),
            t(
                "sinergi_sumber_krs",
                lang,
                date=day,
                rules=f"{run.ruleset_id} {run.ruleset_version}",
            ),
        ),
        "stunting_persen": (
            display.pct(percent(int(n_stunted or 0), int(n_measured or 0)), lang),
            t(
                "sinergi_sumber_stunting",
                lang,
                date=day,
                n=display.num(n_measured or 0, lang),
                share=display.pct(percent(recent, registered), lang),
                registered=display.num(registered, lang),
                months=RECENT_MONTHS,
            ),
        ),
        "penduduk": (
            display.num(people, lang),
            t("sinergi_sumber_penduduk", lang, date=day),
        ),
    }
    rows = []
    for pub in PUBLISHED_KUTIM:
        value, source = ours[pub.figure]
        kind, their_kind = t(OUR_KINDS[pub.figure], lang), t(pub.kind, lang)
        why = [t("banding_sintetis", lang)] if synthetic else []
        if ref.year != pub.year:
            why.append(t("banding_periode", lang, ours=ref.year, theirs=pub.year))
        if OUR_KINDS[pub.figure] != pub.kind:
            why.append(t("banding_jenis", lang, ours=kind, theirs=their_kind))
        rows.append(
            Compared(
                figure=_FIGURE_NAMES[pub.figure],
                ours=value,
                ours_source=t("sumber_dan_jenis", lang, source=source, kind=kind),
                published=t(pub.text, lang),
                published_source=t(
                    "sumber_dan_jenis", lang, source=t(pub.source, lang), kind=their_kind
                ),
                comparable=not why,
                note=t("tidak_sebanding", lang, why="; ".join(why))
                if why
                else t("sebanding", lang),
            )
        )
    heading = t("kol_sinergi_sintetis" if synthetic else "sinergi_angka", lang, date=day)
    notice = t("resmi_sintetis", lang) if synthetic else None
    return Comparison(synthetic, heading, notice, rows)
