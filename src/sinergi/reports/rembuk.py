"""The Rembuk Stunting pack (kind ``rembuk``): the regency's annual situation analysis for the
meeting that agrees the priority villages and the budget (Aksi Konvergensi, actions 1 and 3).

For the assessment standing for the year (`periode.run_in`), it gathers:

* the situation: families, KRS, extreme poor, measured under-fives and stunting, summed over
  the villages of `targeting.priority.village_components` (the ranking's own counts);
* per village programme (unit ``desa``, e.g. ``air-bersih``) the ranked villages with their
  components, chosen by the optimiser or not and why — `targeting.plan.village_plan`, the plan
  ``sinergi prioritize`` writes and the programme page shows — and a map of the priority
  villages (`reports.maps`);
* per programme the budget scenarios (`targeting.plan.scenarios`, at the shares of its budget
  the programme page charts) and, at its own budget, the optimiser beside the greedy rule.

Aggregates only: villages and programmes, never a person. An account limited to an area sees
its own villages' rows of the regency's ranking, as on the programme page.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from sinergi.assess.prevalence import percent
from sinergi.assess.summary import run_about
from sinergi.core import display
from sinergi.messages import Lang, t
from sinergi.reports.document import Angka, Bagian, Gambar, Kolom, Laporan, Paragraf, Tabel
from sinergi.reports.maps import village_map_png
from sinergi.reports.periode import Periode, parse_periode, run_in
from sinergi.security.access import in_area
from sinergi.security.auth import User
from sinergi.store.tables import assessment_runs
from sinergi.targeting.catalogue import sync_catalogue
from sinergi.targeting.plan import scenarios, village_plan
from sinergi.targeting.priority import village_components
from sinergi.targeting.programmes import Programme, load_catalogue

JENIS = "rembuk"
#: Villages outlined and numbered on each programme's map.
TOP_DEFAULT = 10
UNITS = {"desa": "lap_rembuk_satuan_desa", "keluarga": "lap_rembuk_satuan_keluarga"}


def _periode(engine: Engine, periode: str | Periode | None) -> Periode | None:
    """The year asked for, or the year of the latest assessment (None when there is none)."""
    if isinstance(periode, Periode):
        return Periode(periode.tahun, "Y", 1)
    if periode:
        return Periode(parse_periode(periode).tahun, "Y", 1)
    with engine.connect() as conn:
        latest = conn.execute(
            select(assessment_runs.c.reference_date).order_by(assessment_runs.c.id.desc()).limit(1)
        ).scalar()
    return None if latest is None else Periode(latest.year, "Y", 1)


def _area(user: User, kecamatan: str | None) -> tuple[str, ...]:
    """Region prefixes the pack's rows are limited to: the asked kecamatan, within the user's
    own area (an account limited to an area never sees other villages' rows)."""
    if kecamatan:
        return (kecamatan,)
    return tuple(user.wilayah)


def _inside(frame: pd.DataFrame, user: User, area: tuple[str, ...]) -> pd.DataFrame:
    keep = frame["kode_desa"].map(lambda k: in_area(area, k) and in_area(user, k))
    return frame[keep].reset_index(drop=True)


def _situation(components: pd.DataFrame, lang: Lang) -> Angka:
    measured, stunted = int(components["anak_diukur"].sum()), int(components["anak_stunting"].sum())
    share = percent(stunted, measured)
    return Angka(
        [
            (t("lap_rembuk_keluarga", lang), display.num(components["keluarga"].sum(), lang)),
            (t("lap_rembuk_krs", lang), display.num(components["krs"].sum(), lang)),
            (
                t("lap_rembuk_miskin_ekstrem", lang),
                display.num(components["miskin_ekstrem"].sum(), lang),
            ),
            (t("lap_rembuk_balita_diukur", lang), display.num(measured, lang)),
            (
                t("lap_rembuk_stunting", lang),
                display.pct(share, lang) if share is not None else t("lap_rembuk_tanpa_ukur", lang),
            ),
            (
                t("lap_rembuk_desa_krs", lang),
                display.num(int((components["krs"] > 0).sum()), lang),
            ),
        ]
    )


def _ranking_table(plan_table: pd.DataFrame, prog: Programme, lang: Lang) -> Tabel:
    frame = plan_table.copy()
    # Shares are fractions in the plan; the report's ``persen`` format wants percent.
    frame["skor_100"] = frame["skor"] * 100  # 0–100: one decimal still tells villages apart
    frame["porsi_kebutuhan"] = frame["porsi_kebutuhan"] * 100
    frame["prevalensi_stunting"] = frame["prevalensi_stunting"] * 100
    frame["status_jaringan"] = [
        t(f"air_{s}", lang) if isinstance(s, str) else None for s in frame["status_jaringan"]
    ]
    frame["terpilih"] = [t("ya" if x else "tidak", lang) for x in frame["terpilih"]]
    frame["terpilih_greedy"] = [t("ya" if x else "tidak", lang) for x in frame["terpilih_greedy"]]
    kolom = [
        Kolom("peringkat", t("lap_rembuk_kol_peringkat", lang), "angka", 0.7),
        Kolom("nama_desa", t("lap_rembuk_kol_desa", lang), "teks", 1.5),
        Kolom("kecamatan", t("lap_rembuk_kol_kecamatan", lang), "teks", 1.3),
        Kolom("skor_100", t("lap_rembuk_kol_skor", lang), "desimal", 0.7),
        Kolom("krs", t("lap_rembuk_kol_krs", lang), "angka", 0.7),
        Kolom("krs_kebutuhan", t("lap_rembuk_kol_krs_kebutuhan", lang), "angka", 0.9),
        Kolom("porsi_kebutuhan", t("lap_rembuk_kol_porsi", lang), "persen", 0.8),
        Kolom("prevalensi_stunting", t("lap_rembuk_kol_stunting", lang), "persen", 0.8),
        Kolom("miskin_ekstrem", t("lap_rembuk_kol_miskin", lang), "angka", 0.8),
        Kolom("status_jaringan", t("lap_rembuk_kol_jaringan", lang), "teks", 1.0),
        Kolom("biaya", t("lap_rembuk_kol_biaya", lang), "rupiah", 1.5),
        Kolom("terpilih", t("lap_rembuk_kol_terpilih", lang), "teks", 0.7),
        Kolom("terpilih_greedy", t("lap_rembuk_kol_greedy", lang), "teks", 0.7),
        Kolom("alasan", t("lap_rembuk_kol_alasan", lang), "teks", 2.4),
    ]
    return Tabel(
        t("lap_rembuk_peringkat_judul", lang, program=prog.code),
        kolom,
        frame,
        catatan=t("lap_rembuk_peringkat_catatan", lang),
        lembar=f"Peringkat {prog.code}"[:31],
    )


def _programme_part(
    engine: Engine,
    run_id: int,
    prog: Programme,
    user: User,
    area: tuple[str, ...],
    lang: Lang,
    top: int,
) -> Bagian:
    plan = village_plan(engine, run_id, prog, lang=lang)
    rows = _inside(plan.table, user, area)
    blocks: list[Any] = [
        Paragraf(
            t(
                "lap_rembuk_rencana",
                lang,
                program=prog.code,
                budget=display.rp(plan.budget, lang),
                best=display.num(plan.reached, lang),
                greedy=display.num(plan.reached_greedy, lang),
                villages=display.num(int(plan.table["terpilih"].sum()), lang),
            )
        )
    ]
    ranked = rows[rows["skor"].notna()]
    highlight = list(ranked["kode_desa"].head(top))
    png = village_map_png(
        {k: float(v) for k, v in zip(rows["kode_desa"], rows["krs"], strict=True)},
        highlight,
        t("lap_rembuk_peta_judul", lang, program=prog.code, n=len(highlight)),
        lang,
        label=t("lap_rembuk_peta_skala", lang),
        names=dict(zip(rows["kode_desa"], rows["nama_desa"], strict=True)),
    )
    blocks.append(Gambar(png, t("lap_rembuk_peta_keterangan", lang, n=len(highlight)), 23.0))
    blocks.append(_ranking_table(rows, prog, lang))
    return Bagian(
        t("lap_rembuk_bagian_program", lang, program=prog.code, name=prog.name), blocks, True
    )


def _scenario_tables(
    engine: Engine, run_id: int, catalogue: dict[str, Programme], lang: Lang
) -> tuple[Tabel, Tabel]:
    """The budget scenarios of every programme and, at each programme's own budget, the
    optimiser beside the greedy rule (the same sweep: one definition of both). The budget
    levels are the programme page's chart's (its shares of each programme's budget)."""
    from sinergi.targeting.plan import SCENARIO_SHARES

    rows: list[dict[str, Any]] = []
    own: list[dict[str, Any]] = []
    for code, prog in sorted(catalogue.items()):
        budgets = [prog.budget_rp * s for s in SCENARIO_SHARES]
        frame = scenarios(engine, run_id, prog, budgets)
        by = {
            (m, float(b)): r
            for m, b, r in zip(
                frame["metode"], frame["anggaran"], frame.to_dict("records"), strict=True
            )
        }
        for share, budget in zip(SCENARIO_SHARES, budgets, strict=True):
            best, naive = by[("highs", float(budget))], by[("greedy", float(budget))]
            row = {
                "kode_program": code,
                "instansi": prog.agency,
                "satuan": t(UNITS[prog.unit], lang),
                "bagian_anggaran": share * 100,
                "anggaran": budget,
                "terjangkau_optimal": best["keluarga_terjangkau"],
                "terjangkau_greedy": naive["keluarga_terjangkau"],
                "selisih": best["keluarga_terjangkau"] - naive["keluarga_terjangkau"],
                "terpilih_optimal": best["desa_terpilih"],
                "biaya_optimal": best["biaya_terpakai"],
                "biaya_greedy": naive["biaya_terpakai"],
                "biaya_marjinal": best["biaya_marjinal_per_keluarga"],
            }
            rows.append(row)
            if share == 1.0:
                own.append(row)
    base = [
        Kolom("kode_program", t("lap_rembuk_kol_program", lang), "teks", 1.3),
        Kolom("instansi", t("lap_rembuk_kol_instansi", lang), "teks", 0.8),
    ]
    sweep = Tabel(
        t("lap_rembuk_skenario_judul", lang),
        [
            *base,
            Kolom("bagian_anggaran", t("lap_rembuk_kol_bagian", lang), "persen", 0.8),
            Kolom("anggaran", t("lap_rembuk_kol_anggaran", lang), "rupiah", 1.3),
            Kolom("terjangkau_optimal", t("lap_rembuk_kol_optimal", lang), "angka", 1.0),
            Kolom("terjangkau_greedy", t("lap_rembuk_kol_terjangkau_greedy", lang), "angka", 1.0),
            Kolom("terpilih_optimal", t("lap_rembuk_kol_unit", lang), "angka", 0.8),
            Kolom("biaya_marjinal", t("lap_rembuk_kol_marjinal", lang), "rupiah", 1.2),
        ],
        pd.DataFrame(rows),
        catatan=t("lap_rembuk_skenario_catatan", lang),
        lembar="Skenario",
    )
    versus = Tabel(
        t("lap_rembuk_banding_judul", lang),
        [
            *base,
            Kolom("satuan", t("lap_rembuk_kol_satuan", lang), "teks", 0.7),
            Kolom("anggaran", t("lap_rembuk_kol_anggaran", lang), "rupiah", 1.3),
            Kolom("terjangkau_optimal", t("lap_rembuk_kol_optimal", lang), "angka", 1.0),
            Kolom("terjangkau_greedy", t("lap_rembuk_kol_terjangkau_greedy", lang), "angka", 1.0),
            Kolom("selisih", t("lap_rembuk_kol_selisih", lang), "angka", 0.8),
            Kolom("biaya_optimal", t("lap_rembuk_kol_biaya_optimal", lang), "rupiah", 1.2),
            Kolom("biaya_greedy", t("lap_rembuk_kol_biaya_greedy", lang), "rupiah", 1.2),
        ],
        pd.DataFrame(own),
        catatan=t("lap_rembuk_banding_catatan", lang),
        lembar="Optimal vs greedy",
    )
    return sweep, versus


def build(
    engine: Engine,
    user: User,
    lang: Lang,
    *,
    desa: str | None = None,
    kecamatan: str | None = None,
    periode: str | Periode | None = None,
    top: int = TOP_DEFAULT,
    **_: object,
) -> Laporan:
    """The Rembuk Stunting pack for the year ``periode`` (default: the year of the latest
    assessment), limited to ``kecamatan`` (and always to the user's own area) for its village
    rows; ``top`` villages per programme are outlined on the maps."""
    year = _periode(engine, periode)
    area = _area(user, kecamatan)
    title = t("lap_rembuk_judul", lang)
    subtitle = year.label(lang) if year else t("lap_rembuk_tanpa_periode", lang)
    run_id = run_in(engine, year) if year else None
    if run_id is None:
        missing = t("lap_rembuk_kosong", lang, periode=subtitle)
        return Laporan(
            JENIS,
            title,
            subtitle,
            lang,
            [Bagian(t("lap_rembuk_bagian_situasi", lang), [Paragraf(missing, "peringatan")])],
            {"lap_rembuk_about_periode": subtitle},
            "lanskap",
            kosong=missing,
        )
    sync_catalogue(engine)
    catalogue = load_catalogue()
    area_programmes = [p for _c, p in sorted(catalogue.items()) if p.unit == "desa"]
    first = area_programmes[0] if area_programmes else next(iter(catalogue.values()))
    components = _inside(village_components(engine, run_id, first), user, area)
    about: dict[str, object] = {"lap_rembuk_about_periode": subtitle} | run_about(
        engine, run_id, lang
    )
    if area:
        about["lap_rembuk_about_wilayah"] = ", ".join(area)
    situation = Bagian(
        t("lap_rembuk_bagian_situasi", lang),
        [Paragraf(t("lap_rembuk_situasi_teks", lang)), _situation(components, lang)],
    )
    kosong = ""
    if int(components["keluarga"].sum()) == 0:
        kosong = t("lap_rembuk_tanpa_keluarga", lang, periode=subtitle)
        situation.blok.insert(0, Paragraf(kosong, "peringatan"))
    parts = [situation]
    parts += [
        _programme_part(engine, run_id, prog, user, area, lang, top) for prog in area_programmes
    ]
    sweep, versus = _scenario_tables(engine, run_id, catalogue, lang)
    parts.append(
        Bagian(
            t("lap_rembuk_bagian_anggaran", lang),
            [Paragraf(t("lap_rembuk_anggaran_teks", lang)), versus, sweep],
            True,
        )
    )
    return Laporan(JENIS, title, subtitle, lang, parts, about, "lanskap", kosong=kosong)
