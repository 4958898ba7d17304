"""The village convergence scorecard (kind ``scorecard``): the KPM's quarterly "Kartu Skor
Konvergensi Desa" (Kemendes/Bappenas) for one village, as far as the registry holds it.

Its targets are every pregnant woman and every child aged 0–23 months the registry holds for the
village in the quarter:

* pregnant women: the pregnancies current at the quarter's reference date
  (`sinergi.assess.pregnancy.current`, the case-finding list's own definition);
* children 0–23 months: the roster's living members of the village's families born after
  `core.ages.months_before` (reference, 24 months), and the e-PPGBM children measured in the
  village in that age band whom the roster does not hold (matched by NIK).

The reference date is that of the assessment standing for the quarter (`periode.run_in`), else the
quarter's last day. For each of the five service packages the scorecard counts the targets
covered and their percentage. Every indicator the registry does not hold (ANC visits beyond the
latest check-up, iron tablets, immunisation, nutrition classes, JKN/PBI, birth certificates,
PAUD/BKB) is a row whose count is None and whose note reads "no data" — never a zero; a
household whose water source or latrine is not recorded is counted apart, as without data.

Aggregates only: counts per indicator, never a person's name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, select

from sinergi.assess.pregnancy import current
from sinergi.assess.prevalence import percent
from sinergi.core import display
from sinergi.core.ages import months_before
from sinergi.messages import Lang, t
from sinergi.registry.water import UNKNOWN, water_networks
from sinergi.reports.document import Angka, Bagian, Kolom, Laporan, Paragraf, Tabel
from sinergi.reports.kinds import ReportError
from sinergi.reports.periode import Periode, parse_periode, periode_of, run_in
from sinergi.security.access import in_area
from sinergi.security.auth import User
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    assessment_families,
    assessment_runs,
    families,
    interventions,
    measurements,
    persons,
)
from sinergi.targeting.programmes import load_catalogue
from sinergi.wilayah import get_wilayah

JENIS = "scorecard"
DELIVERED = "tersalurkan"
BADUTA_MONTHS = 24  # 0–23 completed months
# Intervention kinds (programme files' ``intervention``) each package counts as delivered:
# family-support visits with counselling (TPK), supplementary food, and social aid.
COUNSELLING = ("konseling_kb",)
SUPPLEMENTARY_FOOD = ("pmt", "paket_pangan")
SOCIAL_AID = ("bantuan_tunai",)
IBU, ANAK = "ibu", "anak"
#: Indicator code → its sentence in the message catalogue, in the scorecard's order.
INDICATORS = {
    "ibu_periksa": "lap_skor_ind_ibu_periksa",
    "ibu_anc4": "lap_skor_ind_ibu_anc4",
    "ibu_ttd": "lap_skor_ind_ibu_ttd",
    "anak_ukur": "lap_skor_ind_anak_ukur",
    "anak_ukur_bulanan": "lap_skor_ind_anak_ukur_bulanan",
    "anak_imunisasi": "lap_skor_ind_anak_imunisasi",
    "ibu_kelas": "lap_skor_ind_ibu_kelas",
    "anak_pmba": "lap_skor_ind_anak_pmba",
    "ibu_tpk": "lap_skor_ind_ibu_tpk",
    "anak_tpk": "lap_skor_ind_anak_tpk",
    "ibu_pmt": "lap_skor_ind_ibu_pmt",
    "anak_pmt": "lap_skor_ind_anak_pmt",
    "ibu_air": "lap_skor_ind_ibu_air",
    "anak_air": "lap_skor_ind_anak_air",
    "ibu_jamban": "lap_skor_ind_ibu_jamban",
    "anak_jamban": "lap_skor_ind_anak_jamban",
    "ibu_pkh_bpnt": "lap_skor_ind_ibu_pkh_bpnt",
    "anak_pkh_bpnt": "lap_skor_ind_anak_pkh_bpnt",
    "ibu_bansos": "lap_skor_ind_ibu_bansos",
    "anak_bansos": "lap_skor_ind_anak_bansos",
    "ibu_jkn": "lap_skor_ind_ibu_jkn",
    "anak_jkn": "lap_skor_ind_anak_jkn",
    "anak_akta": "lap_skor_ind_anak_akta",
    "anak_paud": "lap_skor_ind_anak_paud",
    "anak_bkb": "lap_skor_ind_anak_bkb",
}
PACKAGES = (
    "lap_skor_paket_1",
    "lap_skor_paket_2",
    "lap_skor_paket_3",
    "lap_skor_paket_4",
    "lap_skor_paket_5",
)
TARGETS = {IBU: "lap_skor_sasaran_ibu", ANAK: "lap_skor_sasaran_anak"}


def _quarter(periode: str | Periode | None, today: date) -> Periode:
    if isinstance(periode, Periode):
        return periode
    if periode:
        return parse_periode(periode)
    return periode_of(today, "T")


def _allowed(user: User, desa: str) -> bool:
    """May ``user`` see this village's scorecard (aggregates)? Within the user's area; a village
    operator without villages and the auditor (who reads the audit log only) see none."""
    if user.role == "auditor" or (user.role == "desa" and not user.wilayah):
        return False
    return in_area(user, desa)


def _reference(engine: Engine, quarter: Periode) -> tuple[date, int | None]:
    """The quarter's reference date and the assessment whose factors describe households:
    the run standing for the quarter, else the latest run before its end (None: no run)."""
    run_id = run_in(engine, quarter)
    ar = assessment_runs.c
    with engine.connect() as conn:
        if run_id is not None:
            ref = conn.execute(select(ar.reference_date).where(ar.id == run_id)).scalar_one()
            return ref, run_id
        earlier = conn.execute(
            select(ar.id).where(ar.reference_date <= quarter.akhir).order_by(ar.id.desc()).limit(1)
        ).scalar()
    return quarter.akhir, earlier


def _children(engine: Engine, desa: str, ref: date) -> pd.DataFrame:
    """Children 0–23 months at ``ref``: ``kunci`` (NIK, or name and birth date for an e-PPGBM
    record without one) and ``no_kk`` (None when no family is known)."""
    born_after = months_before(ref, BADUTA_MONTHS)
    p, f, m = persons.c, families.c, measurements.c
    with engine.connect() as conn:
        roster = read_frame(
            conn,
            select(p.nik, p.no_kk)
            .join(families, f.no_kk == p.no_kk)
            .where(
                f.kode_desa == desa,
                p.tanggal_lahir > born_after,
                p.tanggal_lahir <= ref,
                p.meninggal.is_(None),
            ),
        )
        measured = read_frame(
            conn,
            select(m.nik_anak, m.nama_anak, m.tanggal_lahir, m.no_kk)
            .where(m.kode_desa == desa, m.tanggal_lahir > born_after, m.tanggal_lahir <= ref)
            .distinct(),
        )
    known = set(roster["nik"])
    measured["kunci"] = _measurement_keys(measured)
    extra = measured[~measured["kunci"].isin(known)].drop_duplicates("kunci")
    return pd.concat(
        [
            pd.DataFrame({"kunci": roster["nik"], "no_kk": roster["no_kk"]}),
            pd.DataFrame({"kunci": extra["kunci"], "no_kk": extra["no_kk"]}),
        ],
        ignore_index=True,
    )


def _measurement_keys(frame: pd.DataFrame) -> list[str]:
    return [
        nik if isinstance(nik, str) and nik else f"{name}|{born}"
        for nik, name, born in zip(
            frame["nik_anak"], frame["nama_anak"], frame["tanggal_lahir"], strict=True
        )
    ]


def _weighed(engine: Engine, desa: str, quarter: Periode) -> pd.DataFrame:
    """Per child key measured in the village in the quarter: ``bulan``, its distinct months."""
    m = measurements.c
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            select(m.nik_anak, m.nama_anak, m.tanggal_lahir, m.tanggal_ukur).where(
                m.kode_desa == desa, m.tanggal_ukur.between(quarter.mulai, quarter.akhir)
            ),
        )
    if frame.empty:
        return pd.DataFrame({"kunci": [], "bulan": []})
    frame["kunci"] = _measurement_keys(frame)
    frame["bulan"] = pd.to_datetime(frame["tanggal_ukur"]).dt.month
    return frame.groupby("kunci", as_index=False)["bulan"].nunique()


def _delivered(
    engine: Engine, kinds: tuple[str, ...], quarter: Periode
) -> tuple[set[str], set[str]]:
    """No KKs and NIKs a programme of intervention ``kinds`` delivered to in the quarter."""
    codes = [c for c, p in load_catalogue().items() if p.intervention in kinds]
    i = interventions.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.no_kk, i.nik).where(
                i.kode_program.in_(codes),
                i.status == DELIVERED,
                i.tanggal.between(quarter.mulai, quarter.akhir),
            )
        ).all()
    return {r.no_kk for r in rows if r.no_kk}, {r.nik for r in rows if r.nik}


def _households(engine: Engine, kks: list[str], run_id: int | None) -> pd.DataFrame:
    """Per No KK: ``air`` / ``jamban`` True (safe), False (unsafe) or None (not recorded, or no
    assessment), read from the run's fired factors where the roster records the item; and
    ``bansos`` True/False/None from the roster's PKH and BPNT columns."""
    f, af = families.c, assessment_families.c
    with engine.connect() as conn:
        frame = read_frame(
            conn,
            select(f.no_kk, f.sumber_air, f.jamban, f.penerima_pkh, f.penerima_bpnt, af.faktor)
            .select_from(
                families.outerjoin(
                    assessment_families,
                    and_(af.no_kk == f.no_kk, af.run_id == (run_id if run_id else -1)),
                )
            )
            .where(f.no_kk.in_(kks or ["-"])),
        )
    out = pd.DataFrame({"no_kk": frame["no_kk"]})
    fired = frame["faktor"].map(lambda x: set(x.split(";")) if isinstance(x, str) else None)
    for column, item, factor in (
        ("air", "sumber_air", "air_minum_tidak_layak"),
        ("jamban", "jamban", "jamban_tidak_layak"),
    ):
        out[column] = [
            None if not isinstance(v, str) or codes is None else factor not in codes
            for v, codes in zip(frame[item], fired, strict=True)
        ]
    out["bansos"] = [
        None if pd.isna(a) and pd.isna(b) else bool(a is True or b is True)
        for a, b in zip(frame["penerima_pkh"], frame["penerima_bpnt"], strict=True)
    ]
    return out


def _row(
    paket: int,
    kode: str,
    sasaran: str,
    eligible: int,
    covered: int | None,
    lang: Lang,
    note: str = "",
) -> dict[str, Any]:
    """One indicator: the count covered and its share of the eligible; None covered = the
    registry holds no data for it (the note says so), never 0."""
    if covered is None:
        note = note or t("lap_skor_tidak_ada_data", lang)
    elif eligible == 0:
        note = note or t("lap_skor_tanpa_sasaran", lang)
    return {
        "nomor": paket,
        "paket": t(PACKAGES[paket - 1], lang),
        "indikator": t(INDICATORS[kode], lang),
        "kode": kode,
        "sasaran": t(TARGETS[sasaran], lang),
        "jumlah_sasaran": eligible,
        "tercakup": covered,
        "persen": None if covered is None else percent(covered, eligible),
        "keterangan": note,
    }


def _known(values: pd.Series, lang: Lang) -> tuple[int | None, str]:
    """Covered count among households whose item is recorded, and a note on the others."""
    recorded = values.dropna()
    if recorded.empty:
        return None, ""
    unknown = len(values) - len(recorded)
    note = t("lap_skor_sebagian_tanpa_data", lang, n=display.num(unknown, lang)) if unknown else ""
    return int(recorded.astype(bool).sum()), note


def _indicators(
    engine: Engine, desa: str, quarter: Periode, ref: date, run_id: int | None, lang: Lang
) -> tuple[list[dict[str, Any]], int, int]:
    women = current(engine, ref, [desa])
    women = women[women["kode_desa"] == desa].reset_index(drop=True)
    children = _children(engine, desa, ref)
    n_ibu, n_anak = len(women), len(children)

    checked = (
        int(women["tanggal_periksa"].map(lambda d: quarter.mulai <= d <= quarter.akhir).sum())
        if n_ibu
        else 0
    )
    weighed = _weighed(engine, desa, quarter)
    months = dict(zip(weighed["kunci"], weighed["bulan"], strict=True))
    measured = int(children["kunci"].map(lambda k: k in months).sum())
    monthly = int(children["kunci"].map(lambda k: months.get(k, 0) >= 3).sum())

    def reached(kinds: tuple[str, ...], kk: pd.Series, nik: pd.Series) -> int:
        kks, niks = _delivered(engine, kinds, quarter)
        return int(sum(1 for a, b in zip(kk, nik, strict=True) if a in kks or b in niks))

    ibu_kk, ibu_nik = women["no_kk"], women["nik"]
    anak_kk, anak_nik = children["no_kk"], children["kunci"]
    ibu_house = _households(engine, [k for k in ibu_kk if isinstance(k, str)], run_id)
    anak_house = _households(engine, [k for k in anak_kk if isinstance(k, str)], run_id)

    def per_person(house: pd.DataFrame, column: str, kk: pd.Series) -> pd.Series:
        values = dict(zip(house["no_kk"], house[column], strict=True))
        return pd.Series([values.get(k) for k in kk], dtype=object)

    rows: list[dict[str, Any]] = [
        _row(1, "ibu_periksa", IBU, n_ibu, checked, lang),
        _row(1, "ibu_anc4", IBU, n_ibu, None, lang),
        _row(1, "ibu_ttd", IBU, n_ibu, None, lang),
        _row(1, "anak_ukur", ANAK, n_anak, measured, lang),
        _row(1, "anak_ukur_bulanan", ANAK, n_anak, monthly, lang),
        _row(1, "anak_imunisasi", ANAK, n_anak, None, lang),
        _row(2, "ibu_kelas", IBU, n_ibu, None, lang),
        _row(2, "anak_pmba", ANAK, n_anak, None, lang),
        _row(2, "ibu_tpk", IBU, n_ibu, reached(COUNSELLING, ibu_kk, ibu_nik), lang),
        _row(2, "anak_tpk", ANAK, n_anak, reached(COUNSELLING, anak_kk, anak_nik), lang),
        _row(2, "ibu_pmt", IBU, n_ibu, reached(SUPPLEMENTARY_FOOD, ibu_kk, ibu_nik), lang),
        _row(2, "anak_pmt", ANAK, n_anak, reached(SUPPLEMENTARY_FOOD, anak_kk, anak_nik), lang),
    ]
    for code, column in (("air", "air"), ("jamban", "jamban")):
        for who, house, kk, n in (
            (IBU, ibu_house, ibu_kk, n_ibu),
            (ANAK, anak_house, anak_kk, n_anak),
        ):
            covered, note = _known(per_person(house, column, kk), lang)
            rows.append(_row(3, f"{who}_{code}", who, n, covered, lang, note))
    for who, house, kk, n in ((IBU, ibu_house, ibu_kk, n_ibu), (ANAK, anak_house, anak_kk, n_anak)):
        covered, note = _known(per_person(house, "bansos", kk), lang)
        rows.append(_row(4, f"{who}_pkh_bpnt", who, n, covered, lang, note))
    rows += [
        _row(4, "ibu_bansos", IBU, n_ibu, reached(SOCIAL_AID, ibu_kk, ibu_nik), lang),
        _row(4, "anak_bansos", ANAK, n_anak, reached(SOCIAL_AID, anak_kk, anak_nik), lang),
        _row(4, "ibu_jkn", IBU, n_ibu, None, lang),
        _row(4, "anak_jkn", ANAK, n_anak, None, lang),
        _row(4, "anak_akta", ANAK, n_anak, None, lang),
        _row(5, "anak_paud", ANAK, n_anak, None, lang, t("lap_skor_tidak_berlaku", lang)),
        _row(5, "anak_bkb", ANAK, n_anak, None, lang),
    ]
    return rows, n_ibu, n_anak


def build(
    engine: Engine,
    user: User,
    lang: Lang,
    *,
    desa: str | None = None,
    periode: str | Periode | None = None,
    today: date | None = None,
    **_: object,
) -> Laporan:
    """The scorecard of village ``desa`` for the quarter ``periode`` (``2026-T3``; default the
    current quarter). Refused (`ReportError`) when the user's scope does not cover ``desa``."""
    if not desa:
        raise ReportError("lap_desa_wajib", kind=JENIS)
    if not _allowed(user, desa):
        raise ReportError("lap_skor_tidak_boleh", desa=desa)
    quarter = _quarter(periode, today or date.today())
    w = get_wilayah()
    name = w.name(desa, desa)
    title = t("lap_skor_judul", lang)
    subtitle = t(
        "lap_skor_subjudul",
        lang,
        desa=name,
        kode=desa,
        kecamatan=w.name(desa[:8], ""),
        periode=quarter.label(lang),
    )
    ref, run_id = _reference(engine, quarter)
    rows, n_ibu, n_anak = _indicators(engine, desa, quarter, ref, run_id, lang)
    with engine.connect() as conn:
        networks = water_networks(conn, prefix=desa[:8])
    network = networks[networks["kode_desa"] == desa]
    status = network["status_jaringan"].iloc[0] if not network.empty else UNKNOWN
    about: dict[str, object] = {
        "lap_skor_about_desa": f"{name} ({desa})",
        "lap_skor_about_periode": quarter.label(lang),
        "lap_skor_about_tanggal_acuan": ref,
        "lap_skor_about_penilaian": f"#{run_id}" if run_id else t("lap_skor_tanpa_penilaian", lang),
    }
    with_data = sum(1 for r in rows if r["tercakup"] is not None)
    figures = Angka(
        [
            (t("lap_skor_jumlah_ibu", lang), display.num(n_ibu, lang)),
            (t("lap_skor_jumlah_anak", lang), display.num(n_anak, lang)),
            (t("lap_skor_jaringan_air", lang), t(f"air_{status}", lang)),
            (
                t("lap_skor_indikator_berdata", lang),
                t(
                    "lap_skor_dari",
                    lang,
                    n=display.num(with_data, lang),
                    total=display.num(len(rows), lang),
                ),
            ),
        ]
    )
    kolom = [
        Kolom("indikator", t("lap_skor_kol_indikator", lang), "teks", 3.4),
        Kolom("sasaran", t("lap_skor_kol_sasaran", lang), "teks", 1.5),
        Kolom("jumlah_sasaran", t("lap_skor_kol_jumlah_sasaran", lang), "angka", 0.8),
        Kolom("tercakup", t("lap_skor_kol_tercakup", lang), "angka", 0.8),
        Kolom("persen", t("lap_skor_kol_persen", lang), "persen", 0.8),
        Kolom("keterangan", t("lap_skor_kol_keterangan", lang), "teks", 2.0),
    ]
    frame = pd.DataFrame(rows)
    for column in ("tercakup", "persen"):
        # Kept as None (not NaN in a float column): "not held" stays distinct from any number.
        frame[column] = pd.Series([r[column] for r in rows], index=frame.index, dtype=object)
    # A table per service package: each heading stays with its rows on the printed page.
    tables = [
        Tabel(
            str(part["paket"].iloc[0]),
            kolom,
            part.reset_index(drop=True),
            lembar=f"Paket {number}",
        )
        for number, (_paket, part) in enumerate(frame.groupby("nomor", sort=True), start=1)
    ]
    tables[-1].catatan = t("lap_skor_tabel_catatan", lang)
    kosong = ""
    blocks: list[Any] = [Paragraf(t("lap_skor_pengantar", lang)), figures]
    if n_ibu == 0 and n_anak == 0:
        kosong = t("lap_skor_kosong", lang, desa=name, periode=quarter.label(lang))
        blocks.insert(0, Paragraf(kosong, "peringatan"))
    blocks.extend(tables)
    return Laporan(
        JENIS,
        title,
        subtitle,
        lang,
        [Bagian(t("lap_skor_bagian", lang), blocks)],
        about,
        "lanskap",
        kosong=kosong,
    )
