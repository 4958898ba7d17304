"""The TPPS semester report (``tpps``): what the regency's stunting team reports to the governor
twice a year (Perpres 72/2021 art. 25), as a `Laporan`.

One semester, one assessment: the run standing for the semester (`periode.run_in`) and, for the
change, the run standing for the semester before. Every figure comes from the functions the
dashboard and the exports read — `monitor.coverage.coverage` and `totals` (families, KRS,
factors needed / served / resolved, convergence, stunting with its Wilson interval, the change
since the previous run), `assess.summary.measurement_coverage` (registered under-fives measured
lately), `assess.prevalence` (who counts for wasting and underweight), `targeting.plan.
village_plan` (the priority villages), `registry.water.water_networks` (the one answer for a
village's network) and `monitor.missed.everyone_missed` (who is still missed, counted per
reason: aggregates only, no names). The report is scoped like the dashboard: a user limited to
an area reports that area only.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from sinergi.assess.prevalence import measured, percent, prevalence, tally, underweight, wasted
from sinergi.assess.summary import in_areas, measurement_coverage, run_about
from sinergi.core import display
from sinergi.messages import Lang, t
from sinergi.monitor.coverage import DELIVERED, OPERATING, coverage, totals
from sinergi.monitor.missed import everyone_missed
from sinergi.registry.water import UNKNOWN, water_networks
from sinergi.reports.document import Angka, Bagian, Gambar, Kolom, Laporan, Paragraf, Tabel
from sinergi.reports.kinds import ReportError
from sinergi.reports.periode import Periode, parse_periode, periode_of, run_in
from sinergi.security.access import in_area
from sinergi.security.auth import User
from sinergi.settings import get_settings
from sinergi.store.tables import (
    assessment_children,
    assessment_runs,
    interventions,
    project_households,
    projects,
    proposals,
)
from sinergi.targeting.plan import village_plan
from sinergi.targeting.programmes import load_catalogue
from sinergi.wilayah import get_wilayah

JENIS = "tpps"
#: Priority villages listed per village programme.
TOP_VILLAGES = 10
MISSED_MONTHS = 3


class TppsError(ReportError):
    """A TPPS report asked of a period that is not a semester or of an area outside the user's
    (a `ReportError`: the CLI and the web tell it as a sentence)."""


# --------------------------------------------------------------------------- figures


def _growth(engine: Engine, run_id: int, ref: date, prefixes: list[str]) -> pd.DataFrame:
    """Per village: children measured for BB/TB and BB/U and of them wasted and underweight,
    counted by the conditions of `sinergi.assess.prevalence` (the measured population)."""
    c = assessment_children.c
    query = (
        select(
            c.kode_desa.label("kode_wilayah"),
            tally(measured(c, ref, "bbtb")).label("diukur_bbtb"),
            tally(wasted(c, ref)).label("wasting"),
            tally(measured(c, ref, "bbu")).label("diukur_bbu"),
            tally(underweight(c, ref)).label("underweight"),
        )
        .where(c.run_id == run_id, c.kode_desa.is_not(None), in_areas(c.kode_desa, prefixes))
        .group_by(c.kode_desa)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(
        rows, columns=["kode_wilayah", "diukur_bbtb", "wasting", "diukur_bbu", "underweight"]
    )


_EXTRA = ("balita_terdaftar", "balita_terukur", "diukur_bbtb", "wasting", "diukur_bbu")


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    """A coverage row (village, kecamatan or total) with the measurement coverage, wasting and
    underweight prevalence and the change in stunting prevalence added from its counts."""
    row["cakupan_ukur_pct"] = percent(row["balita_terukur"], row["balita_terdaftar"])
    for what, n in (("wasting", "diukur_bbtb"), ("underweight", "diukur_bbu")):
        p = prevalence(row[what], row[n])
        measured_any = bool(row[n])
        row[f"prevalensi_{what}_pct"] = float(p.pct) if measured_any else None
        row[f"ci95_{what}_bawah_pct"] = float(p.low_pct) if measured_any else None
        row[f"ci95_{what}_atas_pct"] = float(p.high_pct) if measured_any else None
    now, before = row.get("prevalensi_stunting_pct"), row.get("prevalensi_sebelumnya_pct")
    row["perubahan_stunting_pp"] = (
        float(now) - float(before)
        if now is not None
        and before is not None
        and not (display.missing(now) or display.missing(before))
        else None
    )
    return row


def figures(
    engine: Engine, run_id: int, previous_run_id: int | None, prefixes: list[str], lang: Lang
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The report's figures: per village, per kecamatan and the total, each a `coverage` row
    (`totals` for the sums) with the measurement coverage, wasting and underweight beside it.
    Without a previous semester's run the change columns are empty."""
    with engine.connect() as conn:
        ref = conn.execute(
            select(assessment_runs.c.reference_date).where(assessment_runs.c.id == run_id)
        ).scalar_one()
    desa = coverage(engine, run_id, "desa", prefixes, previous_run_id=previous_run_id)
    if previous_run_id is None:
        # `coverage` falls back to the newest older run; a semester report compares only with
        # the semester before.
        for col in ("krs_sebelumnya", "perubahan_krs", "prevalensi_sebelumnya_pct"):
            desa[col] = None
        desa["konvergensi_sebelumnya_pct"] = None
        desa.attrs["sebelumnya"] = None
    reach = measurement_coverage(engine, run_id, "desa", prefixes)[
        ["kode_wilayah", "balita_terdaftar", "balita_terukur"]
    ]
    extra = reach.merge(_growth(engine, run_id, ref, prefixes), on="kode_wilayah", how="outer")
    extra = extra.set_index("kode_wilayah").reindex(desa["kode_wilayah"]).fillna(0).astype(int)
    for col in (*_EXTRA, "underweight"):
        desa[col] = extra[col].to_numpy()

    # pandas copies ``attrs`` deeply on every operation: keep the previous run's counts aside
    # and give each slice only its own villages' (what `totals` reads).
    attrs, desa.attrs = desa.attrs, {}

    def total_of(part: pd.DataFrame) -> dict[str, Any]:
        earlier = attrs.get("sebelumnya")
        part = part.copy()
        part.attrs = attrs | {
            "sebelumnya": None
            if earlier is None
            else {k: earlier[k] for k in part["kode_wilayah"] if k in earlier}
        }
        row = totals(part, lang)
        part.attrs = {}
        for col in (*_EXTRA, "underweight"):
            row[col] = int(part[col].sum())
        return _with_rates(row)

    villages = pd.DataFrame([_with_rates(r) for r in desa.to_dict("records")])
    if villages.empty:
        return villages, villages, {}
    kode_kec = desa["kode_wilayah"].str[:8]
    w = get_wilayah()
    kec_rows = []
    for code in sorted(kode_kec.unique()):
        row = total_of(desa[kode_kec == code])
        row["kode_wilayah"], row["nama_wilayah"] = code, w.name(code)
        kec_rows.append(row)
    return villages, pd.DataFrame(kec_rows), total_of(desa)


def _delivered(engine: Engine, prefixes: list[str]) -> dict[str, int]:
    """Per programme: delivery records (``tersalurkan``) in the area, proposals and imported
    agency lists alike, and households connected to an operating village network; every period,
    as coverage counts them."""
    p, i = proposals.c, interventions.c
    out: dict[str, int] = {}
    with engine.connect() as conn:
        for table, col in ((p, p.kode_desa), (i, i.kode_desa)):
            rows = conn.execute(
                select(table.kode_program, func.count())
                .where(table.status == DELIVERED, in_areas(col, prefixes))
                .group_by(table.kode_program)
            ).all()
            for code, n in rows:
                out[code] = out.get(code, 0) + int(n)
        # a village network delivers by connecting households (`coverage`: need met when the
        # project operates)
        rows = conn.execute(
            select(projects.c.kode_program, func.count())
            .select_from(projects.join(project_households))
            .where(projects.c.status == OPERATING, in_areas(projects.c.kode_desa, prefixes))
            .group_by(projects.c.kode_program)
        ).all()
        for code, n in rows:
            out[code] = out.get(code, 0) + int(n)
    return out


def _water(engine: Engine, region: str) -> dict[str, str]:
    with engine.connect() as conn:
        frame = water_networks(conn, region)
    return dict(zip(frame["kode_desa"], frame["status_jaringan"], strict=True))


# --------------------------------------------------------------------------- pictures


def _prevalence_chart(kec: pd.DataFrame, lang: Lang) -> bytes | None:
    """Stunting prevalence per kecamatan with its 95 % interval, as a PNG (matplotlib)."""
    rows = kec[kec["balita_diukur"] > 0].sort_values("prevalensi_stunting_pct")
    if rows.empty:
        return None
    # A Figure of its own (no pyplot state): the report may be built in a thread.
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    pct = rows["prevalensi_stunting_pct"].astype(float)
    # clipped: rounding can put an interval's end a hair inside its estimate (0 % of a few)
    low = (pct - rows["ci95_bawah_pct"].astype(float)).clip(lower=0)
    high = (rows["ci95_atas_pct"].astype(float) - pct).clip(lower=0)
    fig = Figure(figsize=(10, 0.2 * len(rows) + 1.0), dpi=120)
    ax = fig.subplots()
    ax.barh(
        rows["nama_wilayah"].tolist(),
        pct.to_numpy(),
        color="#4C72B0",
        xerr=[low.to_numpy(), high.to_numpy()],
        capsize=3,
    )
    ax.set_xlabel(t("lap_tpps_grafik_sumbu", lang))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: display.dec(v, lang, 0)))
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


# --------------------------------------------------------------------------- the report


def _periode(engine: Engine, periode: Periode | str | None) -> Periode | None:
    if isinstance(periode, str):
        periode = parse_periode(periode)
    if periode is not None:
        if periode.jenis != "S":
            raise TppsError("lap_tpps_bukan_semester", periode=periode.kode)
        return periode
    with engine.connect() as conn:
        ref = conn.execute(
            select(assessment_runs.c.reference_date).order_by(assessment_runs.c.id.desc()).limit(1)
        ).scalar()
    return None if ref is None else periode_of(ref, "S")


def _area(user: User, kecamatan: str | None, region: str) -> list[str]:
    if kecamatan:
        if not in_area(user, kecamatan):
            raise TppsError("lap_tpps_di_luar_wilayah", kode=kecamatan)
        return [kecamatan]
    return list(user.wilayah) or [region]


def _empty(lang: Lang, subtitle: str, why: str, about: dict[str, object]) -> Laporan:
    return Laporan(
        jenis=JENIS,
        judul=t("lap_tpps_judul", lang),
        subjudul=subtitle,
        lang=lang,
        bagian=[Bagian(t("lap_tpps_ringkasan", lang), [Paragraf(why, "peringatan")])],
        tentang=about,
        kosong=why,
    )


def _k(code: str, lang: Lang, fmt: Any = "angka", **kw: Any) -> Kolom:
    """A column whose heading is the catalogue's ``lap_tpps_kol_<code>`` (every heading of a
    built report is checked against the catalogue by tests/test_report_tpps.py)."""
    return Kolom(code, t("lap_tpps_kol_" + code, lang), fmt, **kw)


def build(
    engine: Engine,
    user: User,
    lang: Lang,
    *,
    kecamatan: str | None = None,
    periode: Periode | str | None = None,
    **_: object,
) -> Laporan:
    """The TPPS semester report of the regency (or of ``kecamatan``, or of the user's area) for
    ``periode`` (a semester; default the semester of the latest run)."""
    region = get_settings().region
    prefixes = _area(user, kecamatan, region)
    w = get_wilayah()
    area_name = ", ".join(w.name(p) for p in prefixes)
    per = _periode(engine, periode)
    if per is None:
        return _empty(
            lang,
            area_name,
            t("lap_tpps_tanpa_penilaian", lang),
            {"lap_tpps_about_wilayah": area_name},
        )
    subtitle = f"{area_name} · {per.label(lang)}"
    about: dict[str, object] = {
        "lap_tpps_about_periode": per.label(lang),
        "lap_tpps_about_wilayah": area_name,
    }
    run_id = run_in(engine, per)
    if run_id is None:
        why = t("lap_tpps_tanpa_penilaian_semester", lang, periode=per.label(lang))
        return _empty(lang, subtitle, why, about)
    previous = per.sebelumnya()
    prev_id = run_in(engine, previous)
    # The run's 'about' without the export's column legend (a report has its own headings).
    about = {
        k: v for k, v in run_about(engine, run_id, lang).items() if k != "about_arti_kolom"
    } | about
    about["lap_tpps_about_pembanding"] = (
        f"#{prev_id} ({previous.label(lang)})"
        if prev_id is not None
        else t("lap_tpps_tanpa_sebelumnya", lang)
    )
    # The missed list is the slowest read (half the report's time on a regency): it runs in a
    # thread beside the figures, the ranking and the chart.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(everyone_missed, engine, run_id, lang, MISSED_MONTHS, prefixes)
        villages, kec, total = figures(engine, run_id, prev_id, prefixes, lang)
        if villages.empty or not total.get("keluarga"):
            why = t("lap_tpps_tanpa_keluarga", lang, wilayah=area_name)
            return _empty(lang, subtitle, why, about)
        water = _water(engine, region)
        villages["jaringan_air"] = [
            t(f"air_{water.get(k, UNKNOWN)}", lang) for k in villages["kode_wilayah"]
        ]
        sections = [
            _summary(engine, run_id, prev_id, previous, total, kec, lang),
            _factors(total, lang),
            _growth_section(total, lang),
            _convergence(kec, total, lang),
            _programmes(engine, total, prefixes, lang),
            _priority(engine, run_id, prefixes, lang),
            _change(kec, total, prev_id, previous, lang),
        ]
        missed = pending.result()
    sections.append(_missed(missed, lang))
    missed_here = dict(list(missed.groupby(missed["kode_desa"].fillna("").str[:8])))
    for row in kec.to_dict("records"):
        here = missed_here.get(row["kode_wilayah"], missed.iloc[0:0])
        sections.append(_kecamatan_page(row, villages, here, prev_id is not None, lang))
    return Laporan(
        jenis=JENIS,
        judul=t("lap_tpps_judul", lang),
        subjudul=subtitle,
        lang=lang,
        bagian=sections,
        tentang=about,
        orientasi="lanskap",
    )


def _summary(
    engine: Engine,
    run_id: int,
    prev_id: int | None,
    previous: Periode,
    total: dict[str, Any],
    kec: pd.DataFrame,
    lang: Lang,
) -> Bagian:
    about = run_about(engine, run_id, lang)
    blocks: list[Any] = [
        Paragraf(
            t(
                "lap_tpps_dasar",
                lang,
                run=about["about_penilaian"],
                rules=about["about_aturan"],
                date=display.tgl(about["about_tanggal_acuan"], lang),
            )
        ),
        _key_figures(total, lang),
    ]
    if prev_id is None:
        blocks.append(Paragraf(t("lap_tpps_tanpa_sebelumnya", lang), "peringatan"))
    png = _prevalence_chart(kec, lang)
    if png is not None:
        blocks.append(Gambar(png, t("lap_tpps_grafik_judul", lang), 22.0))
    return Bagian(t("lap_tpps_ringkasan", lang), blocks)


def _signed(value: Any, lang: Lang, places: int | None = None) -> str:
    """A change with its sign: +12 / -3; +1,5 (``places`` decimals)."""
    text = display.num(value, lang) if places is None else display.dec(value, lang, places)
    return ("+" if not display.missing(value) and value > 0 else "") + text


def _key_figures(row: dict[str, Any], lang: Lang) -> Angka:
    """The headline figures of the regency or a kecamatan: short values, the detail in the
    labels (the interval, how many registered under-fives were measured)."""
    isi = [
        (t("keluarga", lang), display.num(row["keluarga"], lang)),
        (t("lap_tpps_kol_keluarga_sasaran", lang), display.num(row["keluarga_sasaran"], lang)),
        (t("krs_panjang", lang), display.num(row["krs"], lang)),
        (t("miskin_ekstrem", lang), display.num(row["miskin_ekstrem"], lang)),
        (t("prevalensi_stunting", lang), display.pct(row["prevalensi_stunting_pct"], lang)),
        (
            t("lap_tpps_ci95", lang),
            f"{display.pct(row['ci95_bawah_pct'], lang)} – {display.pct(row['ci95_atas_pct'], lang)}"
            if not display.missing(row["ci95_bawah_pct"])
            else display.MISSING,
        ),
        (
            t(
                "lap_tpps_cakupan",
                lang,
                m=display.num(row["balita_terukur"], lang),
                n=display.num(row["balita_terdaftar"], lang),
            ),
            display.pct(row["cakupan_ukur_pct"], lang),
        ),
        (t("konvergensi_dilayani", lang), display.pct(row["konvergensi_dilayani_pct"], lang)),
        (t("konvergensi", lang), display.pct(row["konvergensi_pct"], lang)),
        (t("krs_tanpa_intervensi", lang), display.num(row["krs_tanpa_intervensi"], lang)),
    ]
    if row.get("perubahan_krs") is not None:
        isi += [
            (t("lap_tpps_kol_perubahan_krs", lang), _signed(row["perubahan_krs"], lang)),
            (
                t("lap_tpps_kol_perubahan_stunting_pp", lang),
                _signed(row["perubahan_stunting_pp"], lang, 1),
            ),
        ]
    return Angka(isi)


def _factors(total: dict[str, Any], lang: Lang) -> Bagian:
    from sinergi.rules.ruleset import FACTOR_CODES

    rows = []
    for code in FACTOR_CODES:
        need = total.get(f"perlu_{code}")
        if need is None:
            continue
        served, met = total[f"dilayani_{code}"], total[f"terpenuhi_{code}"]
        rows.append(
            {
                "faktor": t(f"faktor_{code}", lang),
                "perlu": need,
                "dilayani": served,
                "dilayani_pct": percent(served, need),
                "terpenuhi": met,
                "terpenuhi_pct": percent(met, need),
                "proses": total[f"proses_{code}"],
            }
        )
    if not rows:
        return Bagian(t("lap_tpps_faktor", lang), [Paragraf(t("lap_tpps_tanpa_faktor", lang))])
    table = Tabel(
        t("lap_tpps_faktor", lang),
        [
            _k("faktor", lang, "teks", lebar=2.5),
            _k("perlu", lang),
            _k("dilayani", lang),
            _k("dilayani_pct", lang, "persen"),
            _k("terpenuhi", lang),
            _k("terpenuhi_pct", lang, "persen"),
            _k("proses", lang),
        ],
        pd.DataFrame(rows),
        catatan=t("lap_tpps_faktor_catatan", lang),
        lembar=t("lap_tpps_lembar_faktor", lang),
    )
    return Bagian(t("lap_tpps_faktor", lang), [table])


def _growth_section(total: dict[str, Any], lang: Lang) -> Bagian:
    rows = [
        {
            "indikator": t(label, lang),
            "diukur": total[n],
            "kasus": total[x],
            "prevalensi": total[pct],
            "ci95_bawah": total[lo],
            "ci95_atas": total[hi],
        }
        for label, n, x, pct, lo, hi in (
            (
                "lap_tpps_stunting",
                "balita_diukur",
                "balita_stunting",
                "prevalensi_stunting_pct",
                "ci95_bawah_pct",
                "ci95_atas_pct",
            ),
            (
                "lap_tpps_wasting",
                "diukur_bbtb",
                "wasting",
                "prevalensi_wasting_pct",
                "ci95_wasting_bawah_pct",
                "ci95_wasting_atas_pct",
            ),
            (
                "lap_tpps_underweight",
                "diukur_bbu",
                "underweight",
                "prevalensi_underweight_pct",
                "ci95_underweight_bawah_pct",
                "ci95_underweight_atas_pct",
            ),
        )
    ]
    blocks: list[Any] = [
        Tabel(
            t("lap_tpps_gizi", lang),
            [
                _k("indikator", lang, "teks", lebar=2),
                _k("diukur", lang),
                _k("kasus", lang),
                _k("prevalensi", lang, "persen"),
                _k("ci95_bawah", lang, "persen"),
                _k("ci95_atas", lang, "persen"),
            ],
            pd.DataFrame(rows),
            catatan=t(
                "lap_tpps_gizi_catatan",
                lang,
                share=display.pct(total["cakupan_ukur_pct"], lang),
                m=display.num(total["balita_terukur"], lang),
                n=display.num(total["balita_terdaftar"], lang),
            ),
            lembar=t("lap_tpps_lembar_gizi", lang),
        )
    ]
    if not total["balita_diukur"]:
        blocks.insert(0, Paragraf(t("lap_tpps_tanpa_ukur", lang), "peringatan"))
    return Bagian(t("lap_tpps_gizi", lang), blocks)


_CONVERGENCE = ("krs", "konvergen_dilayani", "konvergensi_dilayani_pct", "konvergen")


def _convergence(kec: pd.DataFrame, total: dict[str, Any], lang: Lang) -> Bagian:
    cols = [
        _k("nama_wilayah", lang, "teks", lebar=2),
        _k("krs", lang),
        _k("konvergen_dilayani", lang),
        _k("konvergensi_dilayani_pct", lang, "persen"),
        _k("konvergen", lang),
        _k("konvergensi_pct", lang, "persen"),
        _k("krs_tanpa_intervensi", lang),
        _k("miskin_ekstrem_tanpa_bantuan", lang),
    ]
    return Bagian(
        t("lap_tpps_konvergensi", lang),
        [
            Tabel(
                t("lap_tpps_konvergensi", lang),
                cols,
                kec[[c.kode for c in cols]],
                catatan=t("lap_tpps_konvergensi_catatan", lang),
                total={c.kode: total.get(c.kode) for c in cols},
                lembar=t("lap_tpps_lembar_konvergensi", lang),
            )
        ],
    )


def _need_label(need: str, lang: Lang) -> str:
    from sinergi.rules.ruleset import FACTOR_CODES

    if need in FACTOR_CODES:
        return t(f"faktor_{need}", lang)
    return t("miskin_ekstrem", lang) if need == "miskin_ekstrem" else t("lap_tpps_stunting", lang)


def _programmes(engine: Engine, total: dict[str, Any], prefixes: list[str], lang: Lang) -> Bagian:
    delivered = _delivered(engine, prefixes)
    rows = []
    for code, prog in load_catalogue().items():
        need = prog.need
        rows.append(
            {
                "program": f"{code} — {prog.name}",
                "instansi": prog.agency,
                "kebutuhan": _need_label(need, lang),
                "perlu": total.get(f"perlu_{need}"),
                "dilayani": total.get(f"dilayani_{need}"),
                "terpenuhi": total.get(f"terpenuhi_{need}"),
                "tersalurkan": delivered.get(code, 0),
            }
        )
    frame = pd.DataFrame(rows)
    agencies = (
        frame.groupby("instansi", sort=True)
        .agg(program=("program", "size"), tersalurkan=("tersalurkan", "sum"))
        .reset_index()
    )
    return Bagian(
        t("lap_tpps_program", lang),
        [
            Tabel(
                t("lap_tpps_program", lang),
                [
                    _k("program", lang, "teks", lebar=3),
                    _k("instansi", lang, "teks"),
                    _k("kebutuhan", lang, "teks", lebar=2),
                    _k("perlu", lang),
                    _k("dilayani", lang),
                    _k("terpenuhi", lang),
                    _k("tersalurkan", lang),
                ],
                frame,
                catatan=t("lap_tpps_program_catatan", lang),
                lembar=t("lap_tpps_lembar_program", lang),
            ),
            Tabel(
                t("lap_tpps_instansi", lang),
                [
                    _k("instansi", lang, "teks", lebar=2),
                    _k("program", lang),
                    _k("tersalurkan", lang),
                ],
                agencies.rename(columns={"program": "program"}),
                lembar=t("lap_tpps_lembar_instansi", lang),
            ),
        ],
    )


def _priority(engine: Engine, run_id: int, prefixes: list[str], lang: Lang) -> Bagian:
    blocks: list[Any] = []
    for code, prog in load_catalogue().items():
        if prog.unit != "desa":
            continue
        plan = village_plan(engine, run_id, prog, lang=lang)
        table = plan.table[
            plan.table["kode_desa"].map(lambda k: any(k.startswith(p) for p in prefixes))
        ].head(TOP_VILLAGES)
        frame = table.assign(
            status_jaringan=[t(f"air_{s}", lang) for s in table["status_jaringan"]]
            if "status_jaringan" in table
            else None,
            terpilih=[t("ya", lang) if v else "" for v in table["terpilih"]],
            prevalensi_stunting=table["prevalensi_stunting"] * 100,
        )
        blocks.append(
            Tabel(
                t("lap_tpps_prioritas_program", lang, program=f"{code} — {prog.name}"),
                [
                    _k("peringkat", lang),
                    _k("nama_desa", lang, "teks", lebar=2),
                    _k("kecamatan", lang, "teks", lebar=2),
                    _k("skor", lang, "desimal"),
                    _k("krs_kebutuhan", lang),
                    _k("prevalensi_stunting", lang, "persen"),
                    _k("status_jaringan", lang, "teks"),
                    _k("terpilih", lang, "teks"),
                ],
                frame.reindex(
                    columns=[
                        "peringkat",
                        "nama_desa",
                        "kecamatan",
                        "skor",
                        "krs_kebutuhan",
                        "prevalensi_stunting",
                        "status_jaringan",
                        "terpilih",
                    ]
                ),
                catatan=t(
                    "lap_tpps_prioritas_catatan",
                    lang,
                    budget=display.rp(plan.budget, lang),
                    best=display.num(plan.reached, lang),
                    greedy=display.num(plan.reached_greedy, lang),
                ),
                lembar=t("lap_tpps_lembar_prioritas", lang, program=code)[:31],
            )
        )
    return Bagian(t("lap_tpps_prioritas", lang), blocks)


def _change(
    kec: pd.DataFrame, total: dict[str, Any], prev_id: int | None, previous: Periode, lang: Lang
) -> Bagian:
    title = t("lap_tpps_perubahan", lang, periode=previous.label(lang))
    if prev_id is None:
        return Bagian(title, [Paragraf(t("lap_tpps_tanpa_sebelumnya", lang), "peringatan")])
    cols = [
        _k("nama_wilayah", lang, "teks", lebar=2),
        _k("krs_sebelumnya", lang),
        _k("krs", lang),
        _k("perubahan_krs", lang),
        _k("prevalensi_sebelumnya_pct", lang, "persen"),
        _k("prevalensi_stunting_pct", lang, "persen"),
        _k("perubahan_stunting_pp", lang, "desimal"),
        _k("konvergensi_sebelumnya_pct", lang, "persen"),
        _k("konvergensi_pct", lang, "persen"),
    ]
    return Bagian(
        title,
        [
            Tabel(
                title,
                cols,
                kec[[c.kode for c in cols]],
                catatan=t("lap_tpps_perubahan_catatan", lang),
                total={c.kode: total.get(c.kode) for c in cols},
                lembar=t("lap_tpps_lembar_perubahan", lang),
            )
        ],
    )


def _missed_counts(missed: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    counts = missed["kode_alasan"].value_counts()
    return pd.DataFrame(
        [
            {
                "kode_alasan": code,
                "alasan": t(f"terlewat_alasan_{code}", lang, months=MISSED_MONTHS),
                "jumlah": int(n),
            }
            for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ],
        columns=["kode_alasan", "alasan", "jumlah"],
    )


def _missed_table(missed: pd.DataFrame, title: str, lang: Lang, sheet: str) -> Tabel:
    return Tabel(
        title,
        [
            _k("alasan", lang, "teks", lebar=4),
            _k("kode_alasan", lang, "teks", lebar=1.5),
            _k("jumlah", lang),
        ],
        _missed_counts(missed, lang),
        total={"alasan": t("jumlah_semua", lang), "jumlah": len(missed)},
        lembar=sheet,
    )


def _missed(missed: pd.DataFrame, lang: Lang) -> Bagian:
    title = t("lap_tpps_terlewat", lang)
    if missed.empty:
        return Bagian(title, [Paragraf(t("lap_tpps_tanpa_terlewat", lang))])
    return Bagian(
        title,
        [
            Paragraf(t("lap_tpps_terlewat_catatan", lang)),
            _missed_table(missed, title, lang, t("lap_tpps_lembar_terlewat", lang)),
        ],
    )


def _kecamatan_page(
    row: dict[str, Any],
    villages: pd.DataFrame,
    missed: pd.DataFrame,
    has_previous: bool,
    lang: Lang,
) -> Bagian:
    """A kecamatan's page: its figures, its villages and its missed counts (``missed``: the
    kecamatan's rows of the missed list)."""
    code = row["kode_wilayah"]
    mine = villages[villages["kode_wilayah"].str.startswith(code + ".")]
    cols = [
        _k("nama_wilayah", lang, "teks", lebar=2),
        _k("keluarga", lang),
        _k("krs", lang),
        *([_k("perubahan_krs", lang)] if has_previous else []),
        _k("balita_diukur", lang),
        _k("prevalensi_stunting_pct", lang, "persen"),
        _k("cakupan_ukur_pct", lang, "persen"),
        _k("konvergensi_dilayani_pct", lang, "persen"),
        _k("konvergensi_pct", lang, "persen"),
        _k("krs_tanpa_intervensi", lang),
        _k("jaringan_air", lang, "teks", lebar=1.5),
    ]
    title = t("lap_tpps_halaman_kecamatan", lang, nama=row["nama_wilayah"])
    blocks: list[Any] = [
        _key_figures(row, lang),
        Tabel(
            t("lap_tpps_desa", lang, nama=row["nama_wilayah"]),
            cols,
            mine[[c.kode for c in cols]].reset_index(drop=True),
            total={c.kode: row.get(c.kode) for c in cols if c.kode != "jaringan_air"}
            | {"nama_wilayah": t("jumlah_semua", lang)},
            lembar=f"{t('lap_tpps_lembar_kecamatan', lang)} {row['nama_wilayah']}"[:31],
        ),
    ]
    if not missed.empty:
        blocks.append(
            _missed_table(
                missed,
                t("lap_tpps_terlewat_kecamatan", lang, nama=row["nama_wilayah"]),
                lang,
                f"{t('lap_tpps_lembar_terlewat', lang)} {row['nama_wilayah']}"[:31],
            )
        )
    return Bagian(title, blocks, halaman_baru=True)
