"""Pregnant women's check-ups (``ibu_hamil``) and engaged couples' screenings (``catin``) for the
synthetic population, written as the Elsimil / ANC exports an officer would receive.

Every woman the roster marks pregnant (``hamil``) has ANC check-ups, about monthly, the last
within a month before the reference date; her HPHT puts her between 5 and 40 weeks at the
reference date, so the roster flag and the dates agree. A few flags are stale
(``STALE_SHARE``): the woman's check-ups are those of a pregnancy that ended one to five months
before the reference date (expected delivery + 14 days already past), so the product must not
count her as pregnant. Women of families absent from the rosters (newcomers) have check-ups too:
the pregnancies a registry does not know.

Rates, per woman at her latest check-up:

- KEK (LiLA < 23.5 cm): ``KEK_SHARE`` = 17.3 %, the share of pregnant women with KEK in
  Riskesdas 2018 (Kemenkes, Laporan Nasional Riskesdas 2018);
- anaemia (Hb < 11 g/dL): ``ANAEMIA_SHARE`` = 40 %, a calibration below Riskesdas 2018's
  national 48.9 % of pregnant women with anaemia (same report); no regency figure was found;
- engaged couples: KEK among women ``CATIN_KEK_SHARE`` = 14.5 % (Riskesdas 2018, non-pregnant
  women of childbearing age), anaemia among women ``CATIN_ANAEMIA_SHARE`` = 32 % (Riskesdas
  2018, ages 15-24, Hb below the WHO cut-off).

The truth (``truth/pregnancies.csv``): one row per woman with a ``hamil`` flag: ``nik``,
``no_kk``, ``hpht`` and ``taksiran_persalinan`` (HPHT + 280 days), ``berakhir`` (1: the flag is
stale, the pregnancy ended), ``kek`` and ``anemia`` (at her latest check-up), ``terdaftar`` (her
family is in the rosters).

The files: ``ibu_hamil/ibu_hamil.xlsx`` (HPHT written on most rows, the gestational age in weeks
on the others, No KK on about two rows in three) and ``catin/catin.csv`` (a small sample of
unmarried adults 18-35 screened in the five months before the reference date; IMT written on
half the rows, left for the importer to compute on the others).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sinergi.synth._dates import DAY, d64, dmy_strings, iso_strings
from sinergi.synth._population import K_BELUM, Population
from sinergi.synth._sheets import Sheet

KEK_SHARE = 0.173
ANAEMIA_SHARE = 0.40
STALE_SHARE = 0.05
CATIN_SHARE = 0.01  # of unmarried adults 18-35
CATIN_KEK_SHARE = 0.145
CATIN_ANAEMIA_SHARE = 0.32
HPHT_WRITTEN = 0.7
KK_WRITTEN = 0.65


def pregnancy_sheets(
    pop: Population, ref: date, rng: np.random.Generator
) -> tuple[list[Sheet], pd.DataFrame]:
    """The ``ibu_hamil`` file and the ``catin`` file, and the pregnancies' truth."""
    ibu_hamil, truth = _ibu_hamil(pop, ref, rng)
    return [ibu_hamil, _catin(pop, ref, rng)], truth


def _ibu_hamil(pop: Population, ref: date, rng: np.random.Generator) -> tuple[Sheet, pd.DataFrame]:
    p, fam = pop.persons, pop.families
    ref64 = d64(ref)
    women = np.flatnonzero(p["hamil"].to_numpy())
    n = len(women)
    stale = rng.random(n) < STALE_SHARE
    # Weeks since HPHT at the reference date: current 5-40, stale 42-62 (delivered and past).
    days_at_ref = np.where(
        stale, rng.integers(42 * 7, 62 * 7, n), rng.integers(5 * 7, 40 * 7 + 1, n)
    )
    hpht = ref64 - days_at_ref * DAY
    # The last check-up: within a month before the reference date, or before a stale birth.
    last_day = np.where(
        stale, rng.integers(34 * 7, 39 * 7, n), days_at_ref - rng.integers(0, 28, n)
    )
    last_day = np.maximum(last_day, 4 * 7)
    visits = np.minimum(1 + (last_day - 4 * 7) // 30, rng.integers(1, 4, n))
    kek = rng.random(n) < KEK_SHARE
    anaemic = rng.random(n) < ANAEMIA_SHARE
    rows_w, rows_day, rows_last = [], [], []
    for k in range(3):
        has = visits > k
        rows_w.append(np.flatnonzero(has))
        rows_day.append(last_day[has] - 30 * (visits[has] - 1 - k))
        rows_last.append(visits[has] - 1 == k)
    w = np.concatenate(rows_w)
    day = np.concatenate(rows_day)
    last = np.concatenate(rows_last)
    order = np.lexsort((day, w))
    w, day, last = w[order], day[order], last[order]
    m = len(w)
    pid = women[w]
    fid = p["fid"].to_numpy()[pid]
    when = hpht[w] + day * DAY
    # Earlier check-ups may differ; the latest one carries the woman's status.
    lila = np.where(
        last & kek[w],
        np.round(rng.uniform(19.5, 23.4, m), 1),
        np.round(rng.uniform(23.5, 30.0, m), 1),
    )
    hb = np.where(
        last & anaemic[w],
        np.round(rng.uniform(8.0, 10.9, m), 1),
        np.round(rng.uniform(11.0, 13.5, m), 1),
    )
    written = rng.random(m) < HPHT_WRITTEN
    weeks = day // 7
    kk = np.where(
        (rng.random(m) < KK_WRITTEN) & fam["in_keluarga"].to_numpy()[fid],
        p["no_kk"].to_numpy()[pid],
        "",
    )
    cells = {
        "nik": p["nik"].to_numpy()[pid].astype(object),
        "nama": p["nama"].to_numpy()[pid].astype(object),
        "no_kk": kk.astype(object),
        "kode_desa": fam["kode_desa"].to_numpy()[fid].astype(object),
        "tanggal_periksa": _days(when),
        "hpht": np.where(written, _days(hpht[w]), ""),
        "usia_kehamilan": np.where(written, "", weeks.astype(str)).astype(object),
        "lila": lila.astype(object),
        "hb": hb.astype(object),
    }
    headers = [
        "NIK Ibu",
        "Nama Ibu",
        "No KK",
        "Kode Desa",
        "Tanggal Pemeriksaan",
        "HPHT",
        "Usia Kehamilan (minggu)",
        "LiLA",
        "Hb",
    ]
    sheet = Sheet(
        path="ibu_hamil/ibu_hamil.xlsx",
        fmt="xlsx",
        keys=list(cells),
        headers=headers,
        cells=cells,
        sheet="Ibu Hamil",
        row_fid=fid,
        row_pid=pid,
    )
    woman_fid = p["fid"].to_numpy()[women]
    truth = pd.DataFrame(
        {
            "nik": p["nik"].to_numpy()[women],
            "no_kk": p["no_kk"].to_numpy()[women],
            "hpht": iso_strings(hpht),
            "taksiran_persalinan": iso_strings(hpht + 280 * DAY),
            "berakhir": stale.astype(np.int64),
            "kek": kek.astype(np.int64),
            "anemia": anaemic.astype(np.int64),
            "terdaftar": fam["in_keluarga"].to_numpy()[woman_fid].astype(np.int64),
        }
    )
    return sheet, truth


def _catin(pop: Population, ref: date, rng: np.random.Generator) -> Sheet:
    p, fam = pop.persons, pop.families
    ref64 = d64(ref)
    born = p["lahir"].to_numpy().astype("datetime64[D]")
    age = (ref64 - born).astype(np.int64) / 365.25
    single = (p["kawin"].to_numpy() == K_BELUM) & (age >= 18) & (age < 35)
    pool = np.flatnonzero(single & fam["in_keluarga"].to_numpy()[p["fid"].to_numpy()])
    n = max(5, round(CATIN_SHARE * len(pool))) if len(pool) else 0
    pid = np.sort(rng.choice(pool, min(n, len(pool)), replace=False))
    n = len(pid)
    female = p["female"].to_numpy()[pid]
    when = ref64 - rng.integers(0, 150, n) * DAY
    wedding = when + rng.integers(60, 120, n) * DAY
    kek = female & (rng.random(n) < CATIN_KEK_SHARE)
    anaemic = female & (rng.random(n) < CATIN_ANAEMIA_SHARE)
    lila = np.where(
        kek,
        np.round(rng.uniform(20.0, 23.4, n), 1),
        np.round(rng.uniform(23.5, 32.0, n), 1),
    )
    hb = np.where(
        anaemic,
        np.round(rng.uniform(9.0, 11.9, n), 1),
        np.round(np.where(female, rng.uniform(12.0, 14.5, n), rng.uniform(13.0, 17.0, n)), 1),
    )
    tinggi = np.round(np.where(female, rng.uniform(145, 165, n), rng.uniform(155, 178, n)), 1)
    imt = rng.uniform(17.0, 28.0, n)
    berat = np.round(imt * (tinggi / 100) ** 2, 1)
    imt_written = np.round(berat / (tinggi / 100) ** 2, 1)
    fid = p["fid"].to_numpy()[pid]
    cells = {
        "nik": p["nik"].to_numpy()[pid].astype(object),
        "nama": p["nama"].to_numpy()[pid].astype(object),
        "jenis_kelamin": np.where(female, "P", "L").astype(object),
        "tanggal_lahir": _days(born[pid]),
        "kode_desa": fam["kode_desa"].to_numpy()[fid].astype(object),
        "tanggal_periksa": _days(when),
        "rencana_menikah": _days(wedding),
        "lila": lila.astype(str).astype(object),
        "hb": hb.astype(str).astype(object),
        "tinggi": tinggi.astype(str).astype(object),
        "berat": berat.astype(str).astype(object),
        "imt": np.where(rng.random(n) < 0.5, imt_written.astype(str), "").astype(object),
    }
    headers = [
        "NIK",
        "Nama",
        "JK",
        "Tanggal Lahir",
        "Kode Desa",
        "Tanggal Pemeriksaan",
        "Rencana Menikah",
        "LiLA",
        "Hb",
        "Tinggi",
        "Berat",
        "IMT",
    ]
    return Sheet(
        path="catin/catin.csv",
        fmt="csv",
        keys=list(cells),
        headers=headers,
        cells=cells,
        row_fid=fid,
        row_pid=pid,
    )


def _days(values: np.ndarray) -> np.ndarray:
    """dd/mm/yyyy text of each date, as the exports write it."""
    return dmy_strings(np.asarray(values, dtype="datetime64[D]"))
