"""The musdes sheet: one village's families to verify at its musyawarah desa, and the children
and pregnant women case finding lists there — the web's ``/desa/KODE/musdes`` page and the
``musdes`` report read the same `sheet` (one definition: the page and the PDF cannot disagree).

`families_to_verify` is also the village's verification list (``/desa/KODE/verifikasi``):
the families of the run, filtered, with each family's last verification (``v_*`` columns).
A meeting takes one dusun at a time (the largest village has ~1,700 families), hence ``dusun``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from sinergi.assess.missed import NOT_MEASURED
from sinergi.core import display
from sinergi.core.masking import mask_nik
from sinergi.core.values import split_codes
from sinergi.messages import Lang, t
from sinergi.registry import verify
from sinergi.reports.document import Bagian, Kolom, Laporan, Paragraf, Tabel, TandaTangan
from sinergi.security.access import may
from sinergi.security.auth import User
from sinergi.web import paging, queries

# Sort keys of the verification list (frame columns); No KK breaks ties.
VERIFY_SORTS: dict[str, tuple[str, ...]] = {
    "nama_kepala": ("nama_kepala",),
    "no_kk": ("no_kk",),
    "alamat": ("dusun", "rw_urut", "rt_urut", "alamat"),
    "rt": ("rw_urut", "rt_urut", "dusun"),
    "hasil": ("v_hasil",),
    "verifikasi": ("v_tanggal",),
}
VERIFY_KEY = ("no_kk",)
# The filters of the list, as the query string (or the export form) names them.
FILTERS = ("daftar", "dusun", "rt", "rw", "hasil")
NOT_YET = "belum"  # the ``hasil`` filter value of families never verified
CHECKS = ("ada", "pindah", "meninggal", "koreksi")


def asked_filters(params: Mapping[str, Any]) -> dict[str, str]:
    """The list's filters from a query string, a form or the report's options; an unknown
    ``daftar`` is the KRS list, an unknown ``hasil`` no filter."""
    values = {k: str(params.get(k) or "").strip() for k in FILTERS}
    if values["daftar"] not in queries.VERIFY_SCOPES:
        values["daftar"] = "krs"
    if values["hasil"] not in (*verify.HASIL, NOT_YET):
        values["hasil"] = ""
    return values


def families_to_verify(
    engine: Engine, user: User, run_id: int, kode_desa: str, filters: Mapping[str, str]
) -> pd.DataFrame:
    """The village's families as filtered (within the user's scope), each with its last
    verification (``v_hasil``, ``v_tanggal``, ``v_petugas``, ``v_status``). Unordered."""
    frame = queries.verify_families(
        engine,
        user,
        run_id,
        kode_desa,
        filters["daftar"],
        filters["dusun"],
        filters["rt"],
        filters["rw"],
    )
    with engine.connect() as conn:
        last = verify.last_verifications(conn, list(frame["no_kk"]))
    frame["v_hasil"] = frame["no_kk"].map(lambda k: last[k].hasil if k in last else None)
    frame["v_tanggal"] = frame["no_kk"].map(lambda k: last[k].tanggal if k in last else None)
    frame["v_petugas"] = frame["no_kk"].map(lambda k: last[k].petugas if k in last else None)
    frame["v_status"] = frame["no_kk"].map(lambda k: last[k].status if k in last else None)
    if filters["hasil"] == NOT_YET:
        frame = frame[frame["v_hasil"].isna()]
    elif filters["hasil"]:
        frame = frame[frame["v_hasil"] == filters["hasil"]]
    frame = frame.assign(
        rt_urut=pd.to_numeric(frame["rt"], errors="coerce"),
        rw_urut=pd.to_numeric(frame["rw"], errors="coerce"),
    )
    return frame.reset_index(drop=True)


def found_people(
    engine: Engine, user: User, run_id: int, kode_desa: str, lang: Lang, dusun: str = ""
) -> tuple[pd.DataFrame, int]:
    """The village's children and pregnant women from case finding (`queries.missed_children`,
    within the user's scope); with ``dusun``, those whose family lives in that dusun. Under-fives
    whose only finding is that nobody measured them lately (``belum_diukur``) are counted, not
    listed: a village that did not weigh for a quarter would print every child it has (4,886 in
    the demo's largest), hiding the few with a signal; the missed list names them. Returns the
    people listed and that count."""
    found = queries.missed_children(engine, user, run_id, lang, area=kode_desa)
    if found.empty:
        return found, 0
    found = found[found["kode_desa"] == kode_desa]
    if dusun.strip():
        # Every family of the village in that dusun, whatever the list asked for.
        here = queries.verify_families(engine, user, run_id, kode_desa, "semua", dusun)
        found = found[found["no_kk"].isin(set(here["no_kk"]))]
    unmeasured = found["kode_alasan"] == NOT_MEASURED
    return found[~unmeasured].reset_index(drop=True), int(unmeasured.sum())


@dataclass
class Sheet:
    """What the musdes sheet lists: the families in the asked order, the people found and how
    many under-fives were only not measured lately (counted, not listed)."""

    keluarga: pd.DataFrame
    temuan: pd.DataFrame
    belum_diukur: int = 0


def sheet(
    engine: Engine,
    user: User,
    run_id: int,
    kode_desa: str,
    lang: Lang,
    filters: Mapping[str, str],
    order: paging.Ask | None = None,
) -> Sheet:
    """The musdes sheet of a village: `families_to_verify` in the asked order (by address when
    none) and `found_people` of the same dusun filter."""
    asked = order or paging.Ask(1, paging.PER_PAGE, "alamat")
    frame = families_to_verify(engine, user, run_id, kode_desa, filters)
    ordered = paging.frame_order(frame, asked, VERIFY_SORTS, VERIFY_KEY)
    people, unmeasured = found_people(
        engine, user, run_id, kode_desa, lang, filters.get("dusun", "")
    )
    return Sheet(ordered, people, unmeasured)


def _codes(text: object, prefix: str, lang: Lang) -> list[str]:
    return [t(f"{prefix}_{c}", lang) for c in split_codes(text if isinstance(text, str) else None)]


def _families_table(frame: pd.DataFrame, user: User, lang: Lang) -> pd.DataFrame:
    """Part A as the paper shows it: No KK masked unless the role sees NIKs whole."""
    whole = may(user, "nik")
    rows = []
    for i, r in enumerate(frame.to_dict("records"), start=1):
        place = " ".join(
            part
            for part in (
                str(r["dusun"] or "") if pd.notna(r["dusun"]) else "",
                f"RT {r['rt']}" if pd.notna(r["rt"]) and r["rt"] else "",
                f"RW {r['rw']}" if pd.notna(r["rw"]) and r["rw"] else "",
            )
            if part
        )
        factors = "; ".join(_codes(r["faktor"], "faktor", lang))
        findings = "; ".join(_codes(r["temuan"], "temuan", lang))
        last = ""
        if pd.notna(r["v_hasil"]) and r["v_hasil"]:
            last = t(f"hasil_verifikasi_{r['v_hasil']}", lang)
        rows.append(
            {
                "no": i,
                "nama_kepala": r["nama_kepala"],
                "no_kk": r["no_kk"] if whole else mask_nik(r["no_kk"]),
                "alamat": place,
                "faktor": " · ".join(part for part in (factors, findings) if part),
                "verifikasi_terakhir": last,
                "verifikasi_tanggal": r["v_tanggal"] if last else None,
            }
        )
    columns = [
        "no",
        "nama_kepala",
        "no_kk",
        "alamat",
        "faktor",
        "verifikasi_terakhir",
        "verifikasi_tanggal",
    ]
    return pd.DataFrame(rows, columns=columns)


def _people_table(found: pd.DataFrame) -> pd.DataFrame:
    """Part B: NIKs on paper are masked, whoever prints (as the web sheet)."""
    rows = [
        {
            "no": i,
            "nama": r.get("nama"),
            "nik": mask_nik(r["nik"]) if isinstance(r.get("nik"), str) else None,
            "tanggal_lahir": r.get("tanggal_lahir"),
            "alasan": f"{r['kode_alasan']} — {r['alasan']}",
            "tanggal_ukur_terakhir": r.get("tanggal_ukur_terakhir"),
        }
        for i, r in enumerate(found.to_dict("records"), start=1)
    ]
    columns = ["no", "nama", "nik", "tanggal_lahir", "alasan", "tanggal_ukur_terakhir"]
    return pd.DataFrame(rows, columns=columns)


def build(
    engine: Engine,
    user: User,
    lang: Lang,
    *,
    desa: str | None = None,
    kecamatan: str | None = None,
    periode: str | None = None,
    dusun: str | None = None,
    daftar: str | None = None,
    **options: Any,
) -> Laporan:
    """The musdes sheet of ``desa`` (a village code; the caller checks the user's scope), only
    ``dusun`` when given: part A the families to verify (the KRS list unless ``daftar``) with
    empty check columns, part B the children and pregnant women from case finding, and the
    signature block of the village head and the cadre. ``kecamatan`` and ``periode`` are not
    used: the sheet is of the latest assessment."""
    if not desa:
        raise ValueError("musdes needs desa")
    nama_desa = queries.region_name(desa)
    nama_kec = queries.region_name(desa[:8])
    dusun = (dusun or "").strip()
    subjudul = (
        t("lap_musdes_subjudul_dusun", lang, desa=nama_desa, kecamatan=nama_kec, dusun=dusun)
        if dusun
        else t("lap_musdes_subjudul", lang, desa=nama_desa, kecamatan=nama_kec)
    )
    about: dict[str, object] = {
        "about_laporan": t("lap_musdes_judul", lang),
        "about_desa": f"{desa} {nama_desa}",
    }
    if dusun:
        about["about_dusun"] = dusun
    laporan = Laporan(
        jenis="musdes",
        judul=t("lap_musdes_judul", lang),
        subjudul=subjudul,
        lang=lang,
        bagian=[],
        tentang=about,
        orientasi="lanskap",
    )
    run = queries.latest_run(engine)
    if run is None:
        laporan.kosong = t("lap_musdes_belum_dinilai", lang)
        return laporan
    about |= {
        "about_penilaian": f"#{run['id']}",
        "about_aturan": t(
            "aturan_versi", lang, rules=run["ruleset_id"], version=run["ruleset_version"]
        ),
        "about_tanggal_acuan": run["reference_date"],
        "about_daftar": t(f"verif_daftar_{asked_filters({'daftar': daftar})['daftar']}", lang),
        "about_dicetak_oleh": user.username,
    }
    filters = asked_filters({"daftar": daftar, "dusun": dusun})
    data = sheet(engine, user, run["id"], desa, lang, filters)
    families = _families_table(data.keluarga, user, lang)
    for check in CHECKS:
        families[check] = None
    families["catatan"] = ""
    people = _people_table(data.temuan)
    if families.empty and people.empty:
        laporan.kosong = t(
            "lap_musdes_kosong",
            lang,
            run=run["id"],
            desa=nama_desa,
            dusun=f" ({t('verif_dusun', lang)} {dusun})" if dusun else "",
        )
    kolom_a = [
        Kolom("no", t("lap_musdes_kol_no", lang), "angka", 0.5),
        Kolom("nama_kepala", t("kepala_keluarga", lang), "teks", 1.6),
        Kolom("no_kk", t("no_kk", lang), "teks", 1.6),
        Kolom("alamat", t("lap_musdes_kol_alamat", lang), "teks", 1.2),
        Kolom("faktor", t("lap_musdes_kol_faktor", lang), "teks", 2.0),
        Kolom("verifikasi_terakhir", t("verif_terakhir", lang), "teks", 1.1),
        Kolom("verifikasi_tanggal", t("lap_musdes_kol_tanggal", lang), "tanggal", 0.75),
        *[Kolom(c, t(f"hasil_verifikasi_{c}", lang), "centang", 1.0) for c in CHECKS],
        Kolom("catatan", t("catatan", lang), "teks", 1.1),
    ]
    kolom_b = [
        Kolom("no", t("lap_musdes_kol_no", lang), "angka", 0.5),
        Kolom("nama", t("nama", lang), "teks", 1.6),
        Kolom("nik", t("lap_musdes_kol_nik", lang), "teks", 1.5),
        Kolom("tanggal_lahir", t("tanggal_lahir", lang), "tanggal", 0.8),
        Kolom("alasan", t("lap_musdes_kol_alasan", lang), "teks", 3.4),
        Kolom("tanggal_ukur_terakhir", t("pengukuran", lang), "tanggal", 1.1),
        Kolom("catatan", t("catatan", lang), "teks", 2.2),
    ]
    people["catatan"] = ""
    masked = "lap_musdes_nik_tersamar" if may(user, "nik") else "lap_musdes_kk_nik_tersamar"
    laporan.bagian = [
        Bagian(
            t("musdes_bagian_keluarga", lang, n=display.num(len(families), lang)),
            [
                Paragraf(t("musdes_petunjuk", lang), "kecil"),
                Paragraf(t(masked, lang), "kecil"),
                Tabel("", kolom_a, families, lembar=t("lap_musdes_lembar_a", lang)),
            ],
        ),
        Bagian(
            t("musdes_bagian_temuan", lang, n=display.num(len(people), lang)),
            [
                Paragraf(t("musdes_temuan_catatan", lang, run=run["id"]), "kecil"),
                *(
                    [
                        Paragraf(
                            t("musdes_belum_diukur", lang, n=display.num(data.belum_diukur, lang))
                        )
                    ]
                    if data.belum_diukur
                    else []
                ),
                Tabel("", kolom_b, people, lembar=t("lap_musdes_lembar_b", lang)),
                TandaTangan(
                    [t("musdes_kepala_desa", lang), t("musdes_kader", lang)],
                    t("musdes_tempat_tanggal", lang, desa=nama_desa),
                ),
            ],
        ),
    ]
    return laporan
