"""The ``kasus`` report: the case list for an Audit Kasus Stunting of a village or a kecamatan.

Every child and pregnant woman of the area that case finding names (`queries.missed_children`:
the same list as ``sinergi missed`` and the web's missed page, within the user's scope, served
findings included and marked), with every finding; each one's measurement history (the stored
e-PPGBM measurements as the family page matches them — by NIK, else by name and birth date in the
family — scored by the one z-score function, `sinergi.assess.zscores.compute_zscores`; a pregnant
woman's ANC check-up); and what reached each family (`sinergi.deliver.story.family_story`, the
family page's timeline). Three long tables grouped by family, landscape; NIK and No KK masked
unless the role sees them whole (as the missed list's export).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, select

from sinergi.assess.missed import NOT_MEASURED
from sinergi.assess.zscores import compute_zscores
from sinergi.core import display
from sinergi.core.ages import DAYS_PER_MONTH
from sinergi.core.masking import mask_nik
from sinergi.core.values import clean
from sinergi.link.golden import intervention_family
from sinergi.messages import Lang, t
from sinergi.reports.document import Angka, Bagian, Kolom, Laporan, Paragraf, Tabel
from sinergi.reports.kinds import ReportError, area_allowed
from sinergi.security.access import may
from sinergi.security.auth import User
from sinergi.store.bulk import CHUNK
from sinergi.store.dialect import rows_by_keys
from sinergi.store.frames import read_frame
from sinergi.store.tables import (
    interventions,
    measurements,
    pregnancies,
    programmes,
    project_households,
    projects,
    proposal_events,
    proposals,
)
from sinergi.web import queries
from sinergi.wilayah import get_wilayah

KIND = "kasus"
# The rows of the missed list that are a child or a pregnant woman (not engaged couples, not
# families no programme reached).
CHILD_KINDS = ("anak_terlewat", NOT_MEASURED)
MOTHER_KIND = "ibu_hamil"
VILLAGE_CODE, KECAMATAN_CODE = 13, 8  # "64.08.01.2001", "64.08.01"
# The case table's columns as printed: never the whole NIK or No KK of a role that may not see them.
PRINTED = [
    "no",
    "kategori",
    "nama",
    "nik",
    "jenis_kelamin",
    "tanggal_lahir",
    "no_kk",
    "nama_desa",
    "temuan",
    "ditangani",
]


def _area(desa: str | None, kecamatan: str | None) -> str:
    """The area asked: a village or kecamatan code of the region, else a `ReportError`."""
    w = get_wilayah()
    if desa:
        if len(desa) != VILLAGE_CODE or w.get(desa) is None:
            raise ReportError("lap_desa_tidak_dikenal", code=desa)
        return desa
    if kecamatan:
        if len(kecamatan) != KECAMATAN_CODE or w.get(kecamatan) is None:
            raise ReportError("lap_kecamatan_tidak_dikenal", code=kecamatan)
        return kecamatan
    raise ReportError("lap_kasus_wilayah_wajib")


def _person_key(r: dict[str, Any]) -> tuple[str, ...]:
    """One case per person: the NIK, else name, birth date and family."""
    nik, no_kk = clean(r.get("nik")), clean(r.get("no_kk"))
    if nik:
        return ("nik", str(nik))
    return ("nama", str(r.get("nama")), str(r.get("tanggal_lahir")), str(no_kk or ""))


def _cases(found: pd.DataFrame, user: User, lang: Lang) -> pd.DataFrame:
    """One row per person, grouped by family: the findings joined, masked as the role requires."""
    whole = may(user, "nik")
    people: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in found.to_dict("records"):
        r = {k: clean(v) for k, v in r.items()}
        key = _person_key(r)
        case = people.setdefault(
            key,
            {
                "kunci": key,
                "kategori": t(
                    "lap_kasus_ibu_hamil" if r["jenis"] == MOTHER_KIND else "lap_kasus_anak", lang
                ),
                "ibu": r["jenis"] == MOTHER_KIND,
                "nama": r.get("nama"),
                "nik_asli": r.get("nik"),
                "nik": (r.get("nik") if whole else mask_nik(r.get("nik"))) or None,
                "jenis_kelamin": r.get("jenis_kelamin"),
                "tanggal_lahir": r.get("tanggal_lahir"),
                "no_kk_asli": r.get("no_kk"),
                "no_kk": (r.get("no_kk") if whole else mask_nik(r.get("no_kk"))) or None,
                "kode_desa": r.get("kode_desa"),
                "nama_desa": r.get("nama_desa"),
                "temuan": [],
                "ditangani": [],
            },
        )
        case["temuan"].append(f"{r['kode_alasan']}: {r['alasan']}")
        if r.get("ditangani_oleh"):
            when = display.tgl(r.get("tanggal_ditangani"), lang)
            case["ditangani"].append(f"{r['kode_alasan']}: {r['ditangani_oleh']} ({when})")
    frame = pd.DataFrame(list(people.values()))
    frame = frame.sort_values(
        ["kode_desa", "no_kk_asli", "ibu", "tanggal_lahir", "nama"],
        na_position="last",
        ignore_index=True,
    )
    frame.insert(0, "no", range(1, len(frame) + 1))
    frame["temuan"] = frame["temuan"].map("\n".join)
    frame["ditangani"] = frame["ditangani"].map(lambda xs: "\n".join(xs) or None)
    return frame


def _child_history(engine: Engine, kids: pd.DataFrame) -> pd.DataFrame:
    """Every stored measurement of the children (by NIK; a child without one by name and birth
    date within its family), scored: age in months, weight, height, HAZ/WAZ/WHZ, LiLA."""
    m = measurements.c
    cols = [
        m.nik_anak,
        m.nama_anak,
        m.tanggal_lahir,
        m.no_kk,
        m.jenis_kelamin,
        m.tanggal_ukur,
        m.berat,
        m.tinggi,
        m.cara_ukur,
        m.lila,
        m.edema,
    ]
    names = [c.name for c in cols]
    with_nik = kids[kids["nik_asli"].notna()]
    without = kids[kids["nik_asli"].isna() & kids["no_kk_asli"].notna()]
    with engine.connect() as conn:
        rows = rows_by_keys(conn, cols, m.nik_anak, with_nik["nik_asli"].unique())
        by_nik = pd.DataFrame(rows, columns=names)
        by_nik = by_nik.merge(with_nik[["no", "nik_asli"]], left_on="nik_anak", right_on="nik_asli")
        parts = [by_nik]
        for r in without.itertuples(index=False):
            found = read_frame(
                conn,
                select(*cols).where(
                    and_(
                        m.no_kk == r.no_kk_asli,
                        m.nama_anak == r.nama,
                        m.tanggal_lahir == r.tanggal_lahir,
                    )
                ),
            )
            parts.append(found.assign(no=r.no))
    kept = [p for p in parts if not p.empty]
    if not kept:
        return pd.DataFrame(columns=[*names, "no"])
    history = pd.concat(kept, ignore_index=True)
    z = compute_zscores(
        history["jenis_kelamin"],
        history["tanggal_lahir"],
        history["tanggal_ukur"],
        history["berat"],
        history["tinggi"],
        history["cara_ukur"],
        oedema=history["edema"],
    )
    history["umur_bulan"] = (z["umur_hari"] / DAYS_PER_MONTH).round(1)
    for col in ("zs_tbu", "zs_bbu", "zs_bbtb"):
        history[col] = z[col].round(2)
    history["status_tbu"] = z["status_tbu"].astype(object)
    history["status_bbtb"] = z["status_bbtb"].astype(object)
    return history


def _mother_history(engine: Engine, mothers: pd.DataFrame) -> pd.DataFrame:
    """The pregnant women's ANC check-ups: date, weeks, weight, height, LiLA, Hb."""
    p = pregnancies.c
    cols = [p.nik, p.tanggal_periksa, p.usia_kehamilan, p.berat, p.tinggi, p.lila, p.hb]
    with engine.connect() as conn:
        rows = rows_by_keys(conn, cols, p.nik, mothers["nik_asli"].dropna().unique())
    history = pd.DataFrame(rows, columns=[c.name for c in cols])
    return history.merge(mothers[["no", "nik_asli"]], left_on="nik", right_on="nik_asli")


def _history(engine: Engine, cases: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Part B: one row per measurement or check-up, in the cases' order, then by date."""
    kids = _child_history(engine, cases[~cases["ibu"]])
    mothers = _mother_history(engine, cases[cases["ibu"]])
    rows: list[dict[str, Any]] = []
    for r in kids.to_dict("records"):
        rows.append(
            {
                "no": r["no"],
                "tanggal_ukur": r["tanggal_ukur"],
                "umur_bulan": clean(r["umur_bulan"]),
                "berat": clean(r["berat"]),
                "tinggi": clean(r["tinggi"]),
                "zs_tbu": clean(r["zs_tbu"]),
                "zs_bbu": clean(r["zs_bbu"]),
                "zs_bbtb": clean(r["zs_bbtb"]),
                "lila": clean(r["lila"]),
                "status": "; ".join(
                    t(f"gizi_{ind}_{clean(r[f'status_{ind}'])}", lang)
                    for ind in ("tbu", "bbtb")
                    if clean(r[f"status_{ind}"])
                ),
                "usia_kehamilan": None,
                "hb": None,
            }
        )
    for r in mothers.to_dict("records"):
        rows.append(
            {
                "no": r["no"],
                "tanggal_ukur": r["tanggal_periksa"],
                "umur_bulan": None,
                "berat": clean(r["berat"]),
                "tinggi": clean(r["tinggi"]),
                "zs_tbu": None,
                "zs_bbu": None,
                "zs_bbtb": None,
                "lila": clean(r["lila"]),
                "status": "",
                "usia_kehamilan": clean(r["usia_kehamilan"]),
                "hb": clean(r["hb"]),
            }
        )
    columns = [
        "no",
        "tanggal_ukur",
        "umur_bulan",
        "berat",
        "tinggi",
        "zs_tbu",
        "zs_bbu",
        "zs_bbtb",
        "lila",
        "status",
        "usia_kehamilan",
        "hb",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    names = dict(zip(cases["no"], cases["nama"], strict=True))
    frame.insert(1, "nama", frame["no"].map(names))
    return frame.sort_values(["no", "tanggal_ukur"], ignore_index=True)


def _deliveries(engine: Engine, cases: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Part C: what reached each case's family, one row per event — the records the family
    page's timeline (`sinergi.deliver.story.family_story`) shows: every step of a programme's
    proposal, the agencies' list rows attached to the family as `intervention_family` attaches
    them, water connections; read for all the families at once (the page reads one family)."""
    kks = sorted(set(cases["no_kk_asli"].dropna()))
    i, pr, ev = interventions.c, proposals.c, proposal_events.c
    ph, pj = project_households.c, projects.c
    kk, joined = intervention_family()
    parts: list[pd.DataFrame] = []
    with engine.connect() as conn:
        names = dict(conn.execute(select(programmes.c.kode, programmes.c.nama)).all())
        for start in range(0, len(kks), CHUNK):
            chunk = kks[start : start + CHUNK]
            steps = read_frame(
                conn,
                select(
                    pr.no_kk,
                    ev.waktu,
                    pr.kode_program,
                    ev.dari,
                    ev.ke,
                    ev.alasan_tolak,
                    ev.catatan,
                    ev.sumber,
                )
                .join(proposals, pr.id == ev.proposal_id)
                .where(pr.no_kk.in_(chunk)),
            )
            parts.append(
                pd.DataFrame(
                    {
                        "no_kk": steps["no_kk"],
                        "waktu": [
                            pd.Timestamp(w).isoformat(timespec="minutes") for w in steps["waktu"]
                        ],
                        "program": steps["kode_program"],
                        "kejadian": [
                            f"{t(f'status_{a}', lang) if a else '—'} → {t(f'status_{b}', lang)}"
                            for a, b in zip(steps["dari"], steps["ke"], strict=True)
                        ],
                        "keterangan": [
                            " ".join(str(x) for x in (a, c) if clean(x))
                            for a, c in zip(steps["alasan_tolak"], steps["catatan"], strict=True)
                        ],
                        "sumber": steps["sumber"],
                    }
                )
            )
            listed = read_frame(
                conn,
                select(kk.label("no_kk"), i.tanggal, i.kode_program, i.status, i.keterangan)
                .select_from(joined)
                .where(kk.in_(chunk)),
            )
            parts.append(
                pd.DataFrame(
                    {
                        "no_kk": listed["no_kk"],
                        "waktu": listed["tanggal"].astype(str),
                        "program": listed["kode_program"],
                        "kejadian": [t(f"status_{x}", lang) for x in listed["status"]],
                        "keterangan": listed["keterangan"].fillna(""),
                        "sumber": "intervensi",
                    }
                )
            )
            water = read_frame(
                conn,
                select(ph.no_kk, ph.tersambung, pj.kode_program, pj.status)
                .join(projects, pj.id == ph.project_id)
                .where(ph.no_kk.in_(chunk)),
            )
            parts.append(
                pd.DataFrame(
                    {
                        "no_kk": water["no_kk"],
                        "waktu": water["tersambung"].astype(str),
                        "program": water["kode_program"],
                        "kejadian": t("tersambung_jaringan", lang),
                        "keterangan": [t(f"proyek_{x}", lang) for x in water["status"]],
                        "sumber": "proyek",
                    }
                )
            )
    columns = ["kasus", "no_kk", "waktu", "program", "kejadian", "keterangan", "sumber"]
    found = [p for p in parts if not p.empty]
    if not found:  # no family of the cases was reached by anything yet
        return pd.DataFrame(columns=columns)
    events = pd.concat(found, ignore_index=True)
    first = cases.drop_duplicates("no_kk_asli").set_index("no_kk_asli")
    numbers = cases.groupby("no_kk_asli")["no"].agg(lambda ns: ", ".join(map(str, ns)))
    events["order"] = events["no_kk"].map(first["no"])
    events["kasus"] = events["no_kk"].map(numbers)
    events["program"] = [names.get(c) or c for c in events["program"]]
    events = events.sort_values(["order", "waktu", "program"], ignore_index=True)
    events["no_kk"] = events["no_kk"].map(first["no_kk"])
    return events[columns]


def build(
    engine: Engine,
    user: User,
    lang: Lang,
    *,
    desa: str | None = None,
    kecamatan: str | None = None,
    **_: Any,
) -> Laporan:
    """The case list of ``desa`` or ``kecamatan`` (one of them; refused outside the user's
    area or for a role that does not see names): cases, measurement history, interventions."""
    area = _area(desa, kecamatan)
    # A village operator's account without villages reaches none (not every one).
    if not area_allowed(user, KIND, area) or (user.role == "desa" and not user.wilayah):
        raise ReportError("lap_di_luar_wilayah", code=area)
    w = get_wilayah()
    nama = w.name(area)
    subjudul = (
        t("lap_kasus_subjudul_desa", lang, desa=nama, kecamatan=w.name(area[:KECAMATAN_CODE]))
        if len(area) == VILLAGE_CODE
        else t("lap_kasus_subjudul_kecamatan", lang, kecamatan=nama)
    )
    about: dict[str, object] = {
        "about_laporan": t("lap_kasus_judul", lang),
        "about_wilayah": f"{area} {nama}",
        "about_dicetak_oleh": user.username,
    }
    laporan = Laporan(
        jenis=KIND,
        judul=t("lap_kasus_judul", lang),
        subjudul=subjudul,
        lang=lang,
        bagian=[],
        tentang=about,
        orientasi="lanskap",
    )
    run = queries.latest_run(engine)
    if run is None:
        laporan.kosong = t("lap_kasus_belum_dinilai", lang)
        return laporan
    about |= {
        "about_penilaian": f"#{run['id']}",
        "about_aturan": t(
            "aturan_versi", lang, rules=run["ruleset_id"], version=run["ruleset_version"]
        ),
        "about_tanggal_acuan": run["reference_date"],
    }
    found = queries.missed_children(engine, user, run["id"], lang, include_cleared=True, area=area)
    if not found.empty:
        found = found[
            found["jenis"].isin((*CHILD_KINDS, MOTHER_KIND))
            & found["kode_desa"].map(lambda k: isinstance(k, str) and k.startswith(area))
        ]
    unmeasured = 0
    if not found.empty:
        keys = pd.Series([_person_key(r) for r in found.to_dict("records")], index=found.index)
        # Not measured lately is a gap in the posyandu's coverage, not a case: a child whose
        # only finding it is is counted, not listed (the missed list names them).
        cased = set(keys[found["kode_alasan"] != NOT_MEASURED])
        unmeasured = keys[~keys.isin(cased)].nunique()
        found = found[keys.isin(cased)]
    if found.empty:
        laporan.kosong = t(
            "lap_kasus_kosong", lang, wilayah=nama, run=run["id"], n=display.num(unmeasured, lang)
        )
        return laporan
    cases = _cases(found, user, lang)
    history = _history(engine, cases, lang)
    deliveries = _deliveries(engine, cases, lang)
    n_mothers = int(cases["ibu"].sum())
    codes = found["kode_alasan"].value_counts()
    per_code = pd.DataFrame(
        {
            "kode_alasan": codes.index,
            "alasan": [t(f"terlewat_alasan_{c}", lang, months=3) for c in codes.index],
            "jumlah": codes.to_numpy(),
        }
    )
    whole = may(user, "nik")
    masked = "lap_kasus_tersamar" if not whole else "lap_kasus_utuh"
    kolom_a = [
        Kolom("no", t("lap_kasus_kol_no", lang), "angka", 0.35),
        Kolom("kategori", t("lap_kasus_kol_kategori", lang), "teks", 0.7),
        Kolom("nama", t("kolom_nama", lang), "teks", 1.3),
        Kolom("nik", t("kolom_nik", lang), "teks", 1.1),
        Kolom("jenis_kelamin", t("lap_kasus_kol_jk", lang), "teks", 0.3),
        Kolom("tanggal_lahir", t("kolom_tanggal_lahir", lang), "tanggal", 0.75),
        Kolom("no_kk", t("kolom_no_kk", lang), "teks", 1.1),
        Kolom("nama_desa", t("kolom_nama_desa", lang), "teks", 0.9),
        Kolom("temuan", t("lap_kasus_kol_temuan", lang), "teks", 3.0),
        Kolom("ditangani", t("lap_kasus_kol_ditangani", lang), "teks", 1.4),
    ]
    kolom_b = [
        Kolom("no", t("lap_kasus_kol_no", lang), "angka", 0.35),
        Kolom("nama", t("kolom_nama", lang), "teks", 1.3),
        Kolom("tanggal_ukur", t("lap_kasus_kol_tanggal", lang), "tanggal", 0.75),
        Kolom("umur_bulan", t("kolom_umur_bulan", lang), "desimal", 0.55),
        Kolom("berat", t("kolom_berat", lang), "desimal", 0.55),
        Kolom("tinggi", t("kolom_tinggi", lang), "desimal", 0.6),
        Kolom("zs_tbu", "HAZ", "desimal2", 0.5),
        Kolom("zs_bbu", "WAZ", "desimal2", 0.5),
        Kolom("zs_bbtb", "WHZ", "desimal2", 0.5),
        Kolom("lila", t("kolom_lila", lang), "desimal", 0.5),
        Kolom("status", t("lap_kasus_kol_status", lang), "teks", 1.6),
        Kolom("usia_kehamilan", t("lap_kasus_kol_usia_kehamilan", lang), "angka", 0.6),
        Kolom("hb", "Hb (g/dL)", "desimal", 0.5),
    ]
    kolom_c = [
        Kolom("kasus", t("lap_kasus_kol_kasus", lang), "teks", 0.5),
        Kolom("no_kk", t("kolom_no_kk", lang), "teks", 1.1),
        Kolom("waktu", t("lap_kasus_kol_waktu", lang), "teks", 0.9),
        Kolom("program", t("kolom_program", lang), "teks", 1.6),
        Kolom("kejadian", t("lap_kasus_kol_kejadian", lang), "teks", 1.2),
        Kolom("keterangan", t("lap_kasus_kol_keterangan", lang), "teks", 2.0),
        Kolom("sumber", t("lap_kasus_kol_sumber", lang), "teks", 0.7),
    ]
    kolom_d = [
        Kolom("kode_alasan", t("kolom_kode_alasan", lang), "teks", 1.2),
        Kolom("alasan", t("kolom_alasan", lang), "teks", 4.0),
        Kolom("jumlah", t("lap_kasus_kol_jumlah", lang), "angka", 0.6),
    ]
    laporan.bagian = [
        Bagian(
            t("lap_kasus_bagian_ringkas", lang),
            [
                Angka(
                    [
                        (t("lap_kasus_n_anak", lang), display.num(len(cases) - n_mothers, lang)),
                        (t("lap_kasus_n_ibu", lang), display.num(n_mothers, lang)),
                        (t("lap_kasus_n_temuan", lang), display.num(len(found), lang)),
                        (
                            t("lap_kasus_n_keluarga", lang),
                            display.num(cases["no_kk_asli"].nunique(), lang),
                        ),
                        (t("lap_kasus_n_belum_diukur", lang), display.num(unmeasured, lang)),
                    ]
                ),
                Paragraf(t("lap_kasus_petunjuk", lang, run=run["id"]), "kecil"),
                Paragraf(t(masked, lang), "kecil"),
                Tabel(
                    t("lap_kasus_tabel_kode", lang),
                    kolom_d,
                    per_code,
                    lembar=t("lap_kasus_lembar_kode", lang),
                ),
            ],
        ),
        Bagian(
            t("lap_kasus_bagian_kasus", lang, n=display.num(len(cases), lang)),
            [Tabel("", kolom_a, cases[PRINTED], lembar=t("lap_kasus_lembar_kasus", lang))],
            halaman_baru=True,
        ),
        Bagian(
            t("lap_kasus_bagian_ukur", lang, n=display.num(len(history), lang)),
            [
                Paragraf(t("lap_kasus_ukur_catatan", lang), "kecil"),
                Tabel("", kolom_b, history, lembar=t("lap_kasus_lembar_ukur", lang)),
            ],
            halaman_baru=True,
        ),
        Bagian(
            t("lap_kasus_bagian_intervensi", lang, n=display.num(len(deliveries), lang)),
            [
                Paragraf(t("lap_kasus_intervensi_catatan", lang), "kecil"),
                Tabel("", kolom_c, deliveries, lembar=t("lap_kasus_lembar_intervensi", lang)),
            ],
            halaman_baru=True,
        ),
    ]
    return laporan
