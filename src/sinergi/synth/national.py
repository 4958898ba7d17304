"""A seeded synthetic registry of many regencies, written straight into the national Parquet
layout (`sinergi.store.parquet_layout`) for the batch jobs and their benchmarks.

``write_national(out, region="ALL" | "64" | "64.08", scale=1.0, seed=1)`` goes through every
regency of the region in code order. A regency's families number its population (the bundled
Kemendagri figures, ``penduduk.csv``) × ``scale`` / `PERSONS_PER_FAMILY` and live in its real
villages (``wilayah.csv``); they are generated ``chunk_families`` at a time, each chunk written as
``<out>/<table>/provinsi=<PP>/kabupaten=<PP.KK>/part-<n>.parquet`` for every table of
`TABLES` and released, so the nation is never held in memory.

What the rows are made of is the regency generator's (`sinergi.synth._population` and friends):
its household templates (single people, couples, nuclear families, three generations with a
married child and a *menantu*, grandparents with grandchildren …), birth histories, marriage,
pregnancy, contraception and the wish for a child, water, latrine, house, P3KE deciles and social
assistance; under-fives' latest posyandu weighing from the WHO z-score model of `_growth`
(oedema, LiLA, birth weight); pregnant women's latest ANC check-up (`_pregnancies`' rates);
the intervention lists of `_sources`; each village's water network. What this module adds is
what a nation needs and a regency did not: national keys and speed.

- NIK: the kecamatan's six digits + birth date (day + 40 for women) + a four-digit serial;
  No. KK: issuing kecamatan + issue date + serial from 1000 (as `_population`, so that no KK
  equals a NIK). Serials count within a chunk and interleave across the regency's chunks, so
  keys are unique nationally by construction; everyone is registered in the regency (no
  migrants' origin prefixes, no twins, no injected errors: this is the clean registry a batch
  job reads, not the officers' files).
- Seeds: each regency draws from ``(seed, regency digits, chunk)``, so a regency's rows do not
  depend on which other regencies were generated, and the same arguments give the same files.
- Record ids (``id`` of measurements, pregnancies, interventions) are the regency's position in
  the national list × `ID_BLOCK` + a row number: unique nationally, whatever region is written.
- Names come from the regency generator's pools (an East Kalimantan mix); they exist so that
  lists read like lists, not to be linked.

Where a regency generator's step needs the whole regency, a chunk stands in for it: deciles rank
the chunk's families, the intervention lists are drawn per chunk (PMT Baznas's ten families per
kecamatan thinned by the scale). Where it needs the assessment (a child's height-for-age and the
lists' priority follow KRS), the household factors stand in (`_household_risk`). Each under-five
has one weighing, the latest round's; each pregnancy its latest check-up.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sinergi.ingest.vocab import LABELS
from sinergi.store.parquet_layout import TABLE_SCHEMAS, TABLES, partition_of, write_manifest
from sinergi.synth import _growth, _names, _population, _pregnancies, _sources, _weighing
from sinergi.synth._dates import DAY, completed_months, d64, ymd
from sinergi.synth._regions import ETHNIC_MIX, load_villages
from sinergi.wilayah import get_wilayah

__all__ = ["NationalSummary", "PERSONS_PER_FAMILY", "regencies_of", "write_national"]

# Persons per family nationally: 289 M people in 95 M families, DTSEN (Data Tunggal Sosial dan
# Ekonomi Nasional) January 2026 as issue 16 quotes it. It sets how many families a regency's
# population makes; each family's members come from the regency templates (≈ 3.6 a family, as
# Kutai Timur's rosters), so persons come out above the population.
PERSONS_PER_FAMILY = 289_000_000 / 95_000_000
# Families generated, held and written at a time: ≈ 1.8 M persons, ≈ 1.5 GB at peak.
CHUNK_FAMILIES = 500_000
# Record ids per regency: its national position × this + the row number (int32 holds 514 blocks).
ID_BLOCK = 4_000_000
# The families the regency generator's intervention lists are sized for (Kutai Timur, scale 1).
INTERVENTION_BASE_FAMILIES = 125_000

Progress = Callable[[str, int, int], None]


@dataclass
class NationalSummary:
    """What was written: the region, the arguments and the rows per table."""

    region: str
    seed: int
    scale: float
    ref_date: str
    regencies: int
    counts: dict[str, int] = field(default_factory=dict)


def regencies_of(region: str) -> list[str]:
    """The regency/city codes of ``region`` in code order: ``ALL`` (the nation), a province
    (``64``) or one regency (``64.08``). Raises `UnknownRegionCode` for a code the table does
    not have and ValueError for a kecamatan or village."""
    w = get_wilayah()
    if region.upper() == "ALL":
        return [r.kode for r in w.regions("kabupaten_kota")]
    found = w.require(region)
    if found.tingkat == "provinsi":
        return [r.kode for r in w.children(found.kode)]
    if found.tingkat == "kabupaten_kota":
        return [found.kode]
    raise ValueError(f"{region}: not a province or regency code")


def write_national(
    out_dir: Path,
    region: str = "ALL",
    scale: float = 1.0,
    seed: int = 1,
    ref_date: date = date(2026, 8, 31),
    chunk_families: int = CHUNK_FAMILIES,
    progress: Progress | None = None,
    workers: int = 1,
) -> NationalSummary:
    """Write the synthetic registry of ``region`` under ``out_dir`` and its ``schema.json``;
    ``progress(regency_code, done, total)`` after each regency. ``workers`` > 1 generates that
    many regencies at a time in separate processes (each holding one chunk): the same files."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if chunk_families < 1 or workers < 1:
        raise ValueError("chunk_families and workers must be positive")
    out = Path(out_dir)
    codes = regencies_of(region)
    national = {r.kode: i for i, r in enumerate(get_wilayah().regions("kabupaten_kota"))}
    for table in TABLES:
        (out / table).mkdir(parents=True, exist_ok=True)
    jobs = [(out, c, national[c], seed, scale, ref_date, chunk_families) for c in codes]
    counts = dict.fromkeys(TABLES, 0)
    with ExitStack() as stack:
        if workers > 1:
            # Spawned, not forked: a fork would copy Arrow's and NumPy's thread pools mid-use.
            pool = stack.enter_context(
                ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            )
            written: Iterable[dict[str, int]] = pool.map(_write_regency, jobs)
        else:
            written = map(_write_regency, jobs)
        for done, (code, regency) in enumerate(zip(codes, written, strict=True)):
            for name, rows in regency.items():
                counts[name] += rows
            if progress is not None:
                progress(code, done + 1, len(codes))
    write_manifest(
        out,
        sumber="synth",
        wilayah=region.upper() if region.upper() == "ALL" else region,
        seed=seed,
        scale=scale,
        tanggal_acuan=ref_date.isoformat(),
        jumlah=counts,
    )
    return NationalSummary(region, seed, scale, ref_date.isoformat(), len(codes), counts)


# --- one regency --------------------------------------------------------------------------------


def _write_regency(job: tuple[Path, str, int, int, float, date, int]) -> dict[str, int]:
    """Write one regency's partitions; its rows per table."""
    out, code, position, seed, scale, ref, chunk = job
    counts = dict.fromkeys(TABLES, 0)
    _Regency(code, position, seed, scale, ref, chunk).write(out, counts)
    return counts


class _Regency:
    """One regency's plan (villages, families per village, village facts) and its chunks."""

    def __init__(
        self, code: str, position: int, seed: int, scale: float, ref: date, chunk: int
    ) -> None:
        self.code, self.seed, self.scale, self.ref, self.chunk = code, seed, scale, ref, chunk
        self.key = int(code.replace(".", ""))
        self.id_base = position * ID_BLOCK
        self.villages = load_villages(code)
        v = self.villages
        self.city = v.regency_name.startswith("Kota ")
        rng = np.random.default_rng([seed, self.key, 0])
        n_families = max(1, round(v.population * scale / PERSONS_PER_FAMILY))
        # Families over villages as the regency generator spreads them: kecamatan by weight,
        # towns and kecamatan seats larger.
        vw = rng.lognormal(0.0, 0.45, len(v))
        vw *= np.where(v.kelurahan, 2.5, 1.0) * np.where(v.capital, 1.8, 1.0)
        kec_total = pd.Series(vw).groupby(v.kec_kode).transform("sum").to_numpy()
        weight = np.array([v.kec_weight[k] for k in v.kec_kode]) * vw / kec_total
        per_village = rng.multinomial(n_families, weight / weight.sum())
        self.village = np.repeat(np.arange(len(v)), per_village)
        # A village's own vulnerability: towns and cities less, as `_population.build`.
        self.v_village = rng.normal(0.0, 0.35, len(v)) - 0.45 * self.city - 0.35 * v.kelurahan
        self.facts = _sources.village_facts(v, pd.DataFrame({"village": self.village}), rng, ref)
        self.n_chunks = max(1, -(-len(self.village) // chunk))
        self.ids = dict.fromkeys(("measurements", "pregnancies", "interventions"), 0)

    def write(self, out: Path, counts: dict[str, int]) -> None:
        prov, kab = partition_of(self.villages.kode[0])
        folder = f"provinsi={prov}/kabupaten={kab}"
        for no in range(self.n_chunks):
            tables = self._chunk(no)
            if no == 0:
                tables["village_facts"] = self._village_facts()
            for name, table in tables.items():
                if table.num_rows:
                    path = out / name / folder / f"part-{no}.parquet"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    pq.write_table(table, path)
                counts[name] += table.num_rows

    def _ids(self, table: str, n: int) -> np.ndarray:
        start = self.ids[table]
        if start + n > ID_BLOCK:
            raise ValueError(f"{self.code}: more than {ID_BLOCK:,} {table} rows; lower the scale")
        self.ids[table] = start + n
        return self.id_base + start + np.arange(n, dtype=np.int64)

    def _village_facts(self) -> pa.Table:
        f = self.facts
        return _table(
            "village_facts",
            {
                "kode_desa": f["kode_desa"].to_numpy(),
                "jaringan_air": f["jaringan_air"].to_numpy(),
                "tahun": f["tahun"].to_numpy(),
                "sambungan_rumah": f["sambungan_rumah"].to_numpy(),
                "biaya_jaringan": f["biaya_jaringan"].to_numpy().astype(np.int64),
                "tanggal_data": np.full(len(f), d64(self.ref)),
            },
        )

    def _chunk(self, no: int) -> dict[str, pa.Table]:
        rng = np.random.default_rng([self.seed, self.key, no + 1])
        village = self.village[no * self.chunk : (no + 1) * self.chunk]
        fam, p = self._population(village, rng)
        self._identity(fam, p, rng, no)
        text = _Text(
            nik=_text(p["nik"].to_numpy()),
            kk=_text(fam["no_kk"].to_numpy()),
            nama=_person_names(fam, p, rng),
            desa=pa.array(self.villages.kode, pa.string()).take(pa.array(village)),
        )
        # The roster's last verification: within the eighteen months before the reference date.
        fam["tanggal_data"] = d64(self.ref) - rng.integers(0, 540, len(fam)) * DAY
        weighings, weighed = self._weighings(fam, p, text, rng)
        return {
            "families": self._families(fam, text),
            "persons": _persons(fam, p, text),
            "measurements": weighings,
            "pregnancies": self._pregnancies(p, text, rng),
            "interventions": self._interventions(fam, p, text, weighed, rng),
        }

    # --- the population: the regency generator's, chunk by chunk ---------------------------

    def _population(
        self, village: np.ndarray, rng: np.random.Generator
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        v = self.villages
        n = len(village)
        ref64 = d64(self.ref)
        mix = np.array(list(_population.TEMPLATE_P.values()))
        index = np.array([_population.TEMPLATES.index(k) for k in _population.TEMPLATE_P])
        template = index[rng.choice(len(mix), n, p=mix / mix.sum())]
        vuln = self.v_village[village] + rng.normal(0.0, 1.0, n)
        p = _population._build_members(rng, template, vuln)
        fam = pd.DataFrame(
            {
                "village": village,
                "template": np.array(_population.TEMPLATES, dtype=object)[template],
                "v": vuln,
                "in_keluarga": np.ones(n, dtype=bool),
                "kode_desa": v.kode[village],
                "kec_kode": v.kec_kode[village],
                "urban": v.kelurahan[village] | self.city,
            }
        )
        _population._ages_and_links(p, ref64)
        _population._child_brides(fam, p, rng, ref64)
        _population._reproductive(fam, p, rng, ref64)
        _population._wish_for_child(p, rng, ref64)
        _population._household(fam, p, v, rng)
        _sources.piped_water(fam, self.facts, rng)
        _population._welfare(fam, p, rng)
        return fam, p

    def _identity(
        self, fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator, no: int
    ) -> None:
        """NIK and No. KK as integers (16 digits: the kecamatan's six never start with 0)."""
        kec_codes = np.array([k for k, _ in self.villages.kecamatan], dtype=object)
        kec_digits = np.array([int(k.replace(".", "")) for k in kec_codes], dtype=np.int64)
        fam_kec = kec_digits[np.searchsorted(kec_codes, fam["kec_kode"].to_numpy())]
        fid = p["fid"].to_numpy()
        # Registered mostly in the family's kecamatan, sometimes in another of the regency.
        local = np.where(
            rng.random(len(p)) < 0.85,
            fam_kec[fid],
            kec_digits[rng.integers(0, len(kec_digits), len(p))],
        )
        born = p["lahir"].to_numpy().astype("datetime64[D]")
        nik = self._numbers(local, born, p["female"].to_numpy(), 1, no)
        if (nik % 10_000 >= 1000).any():
            raise RuntimeError(f"{self.code}: NIK serials reach the KK range")
        # The KK was issued after the head turned 17, not before 2008 (as `_population`).
        head = np.r_[0, np.cumsum(np.bincount(fid, minlength=len(fam)))[:-1]]
        earliest = np.maximum(
            born[head] + np.timedelta64(int(17 * _population.YEAR), "D"),
            np.datetime64("2008-01-01"),
        )
        span = np.maximum((d64(self.ref) - earliest).astype(np.int64), 1)
        issued = earliest + (rng.random(len(fam)) * span).astype("timedelta64[D]")
        kk = self._numbers(fam_kec, issued, np.zeros(len(fam), dtype=bool), 1000, no)
        p["nik"] = nik
        fam["no_kk"] = kk
        fam["head"] = head

    def _numbers(
        self, kec: np.ndarray, day: np.ndarray, female: np.ndarray, start: int, no: int
    ) -> np.ndarray:
        """kecamatan (6) + ddmmyy (6) + serial (4) as int64; the serial counts the rows of a
        stem from ``start`` and interleaves the regency's chunks (chunk ``no`` of n)."""
        y, m, d = ymd(day)
        stem = ((kec * 100 + d + 40 * female) * 100 + m) * 100 + y % 100
        order = np.argsort(stem, kind="stable")
        s = stem[order]
        first = np.r_[True, s[1:] != s[:-1]]
        starts = np.flatnonzero(first)
        rank_sorted = np.arange(len(s)) - np.repeat(starts, np.diff(np.r_[starts, len(s)]))
        rank = np.empty(len(s), dtype=np.int64)
        rank[order] = rank_sorted
        serial = start + rank * self.n_chunks + no
        if serial.max(initial=0) > 9999:
            raise RuntimeError(f"{self.code}: more than 9,999 numbers share one stem")
        return stem * 10_000 + serial

    # --- tables -----------------------------------------------------------------------------

    def _families(self, fam: pd.DataFrame, text: _Text) -> pa.Table:
        n = len(fam)
        head = fam["head"].to_numpy()
        desil = fam["desil"].to_numpy()
        # The deciles are the DTSEN edition of the last January the reference date has seen.
        edition = date(self.ref.year - (self.ref < date(self.ref.year, 1, 31)), 1, 31)
        desil_day = d64(edition)
        spend = fam["pengeluaran"].to_numpy(dtype=float)
        return _table(
            "families",
            {
                "no_kk": text.kk,
                "kode_desa": text.desa,
                "dusun": _blank_null(fam["dusun"].to_numpy()),
                "rt": fam["rt"].to_numpy(),
                "rw": _blank_null(fam["rw"].to_numpy()),
                "alamat": fam["alamat"].to_numpy(),
                "lintang": _nan_null(fam["lintang"].to_numpy(dtype=float)),
                "bujur": _nan_null(fam["bujur"].to_numpy(dtype=float)),
                "sumber_air": fam["sumber_air"].to_numpy(),
                "jamban": fam["jamban"].to_numpy(),
                "rumah_layak": fam["rumah_layak"].to_numpy(dtype=bool),
                "desil": pa.array(desil, pa.int32(), mask=desil == 0),
                "penerima_pkh": fam["pkh"].to_numpy(dtype=bool),
                "penerima_bpnt": fam["bpnt"].to_numpy(dtype=bool),
                "pengeluaran_per_kapita": pa.array(
                    np.nan_to_num(spend).astype(np.int64), pa.int64(), mask=np.isnan(spend)
                ),
                "nik_kepala": text.nik.take(pa.array(head)),
                "nama_kepala": text.nama.take(pa.array(head)),
                "tanggal_data": fam["tanggal_data"].to_numpy(),
                "desil_tanggal_data": pa.array(np.full(n, desil_day), pa.date32(), mask=desil == 0),
            },
        )

    def _weighings(
        self, fam: pd.DataFrame, p: pd.DataFrame, text: _Text, rng: np.random.Generator
    ) -> tuple[pa.Table, pd.DataFrame]:
        """Each under-five's latest posyandu weighing: in the latest round month, for the
        children who come (`_growth.MEASURED_SHARE` × `ATTENDANCE`); the table and the rows of
        `_growth` (``pid``, ``stunted`` …)."""
        ref64 = d64(self.ref)
        year, month = _growth.rounds_for(self.ref)[-1]
        days = _growth.weekdays_in_month(year, month, ref64)
        fid = p["fid"].to_numpy()
        born = p["lahir"].to_numpy().astype("datetime64[D]")
        # Each posyandu meets on one weekday; some children are weighed on another day.
        posyandu, pos_key = _growth._posyandu(fam, self.villages, rng)
        meet = days[rng.integers(0, len(days), int(pos_key.max(initial=0)) + 1)]
        when = np.where(
            rng.random(len(p)) < 0.08, days[rng.integers(0, len(days), len(p))], meet[pos_key[fid]]
        )
        age_days = (when - born).astype(np.int64)
        months = completed_months(born, when)
        comes = rng.random(len(p)) < _growth.MEASURED_SHARE * _growth.ATTENDANCE
        gap = (age_days >= _growth.SWITCH_GAP[0]) & (age_days < _growth.SWITCH_GAP[1])
        pid = np.flatnonzero(comes & (age_days >= 0) & (months <= 59) & ~gap)
        # The family's household risk stands in for the regency generator's KRS flag in the
        # child's height-for-age (every family with an under-five is a target family).
        poor = np.isin(fam["desil"].to_numpy(), [1, 2])
        at_risk = _household_risk(fam)
        mu = -0.98 - 0.40 * at_risk - 0.22 * poor - 0.08 * fam["v"].to_numpy()
        rows = pd.DataFrame(
            {
                "pid": pid,
                "tanggal_ukur": when[pid],
                "umur_hari": age_days[pid],
                "umur_bulan": months[pid],
                "haz_draw": np.clip(mu[fid[pid]] + rng.normal(0.0, 1.0, len(pid)), -4.5, 3.5),
                "whz_draw": np.clip(rng.normal(-0.4, 1.0, len(pid)), -4.0, 4.0),
            }
        )
        p_t = _weighing.t_probability(at_risk, poor)[fid]
        _growth._anthropometry(rows, p, p_t, rng)
        f = fid[pid]
        mother = p["mother"].to_numpy()[pid]
        parent = np.where(mother >= 0, mother, fam["head"].to_numpy()[f])
        nik = text.nik.take(pa.array(pid))
        at_f, at_parent = pa.array(f), pa.array(parent)
        when_text = pc.cast(pa.array(when[pid], pa.date32()), pa.string())
        berat_lahir = rows["berat_lahir"].to_numpy()
        table = _table(
            "measurements",
            {
                "id": self._ids("measurements", len(pid)),
                "record_key": pc.binary_join_element_wise(nik, when_text, "@"),
                "nik_anak": nik,
                "nama_anak": text.nama.take(pa.array(pid)),
                "jenis_kelamin": np.where(p["female"].to_numpy()[pid], "P", "L"),
                "tanggal_lahir": born[pid],
                "nama_ortu": text.nama.take(at_parent),
                "nik_ortu": text.nik.take(at_parent),
                "no_kk": text.kk.take(at_f),
                "kode_desa": text.desa.take(at_f),
                "posyandu": posyandu[pos_key[f]],
                "rt": fam["rt"].to_numpy()[f],
                "rw": _blank_null(fam["rw"].to_numpy()[f]),
                "tanggal_ukur": when[pid],
                "berat": rows["berat"].to_numpy(dtype=float),
                "tinggi": rows["tinggi"].to_numpy(dtype=float),
                "cara_ukur": rows["cara_ukur"].to_numpy(),
                "lila": _nan_null(rows["lila"].to_numpy(dtype=float)),
                "edema": rows["edema"].to_numpy(dtype=bool),
                "berat_lahir": pa.array(
                    np.nan_to_num(berat_lahir).astype(np.int32),
                    pa.int32(),
                    mask=np.isnan(berat_lahir),
                ),
                "tanggal_data": when[pid],
            },
        )
        return table, rows.assign(ronde=f"{year:04d}-{month:02d}")

    def _pregnancies(self, p: pd.DataFrame, text: _Text, rng: np.random.Generator) -> pa.Table:
        """Each woman the roster marks pregnant: her pregnancy's latest ANC check-up, at the
        rates of `_pregnancies` (a few flags stale: the pregnancy ended before the reference
        date)."""
        ref64 = d64(self.ref)
        women = np.flatnonzero(p["hamil"].to_numpy())
        n = len(women)
        stale = rng.random(n) < _pregnancies.STALE_SHARE
        days_at_ref = np.where(
            stale, rng.integers(42 * 7, 62 * 7, n), rng.integers(5 * 7, 40 * 7 + 1, n)
        )
        hpht = ref64 - days_at_ref * DAY
        last_day = np.where(
            stale, rng.integers(34 * 7, 39 * 7, n), days_at_ref - rng.integers(0, 28, n)
        )
        last_day = np.maximum(last_day, 4 * 7)
        kek = rng.random(n) < _pregnancies.KEK_SHARE
        anaemic = rng.random(n) < _pregnancies.ANAEMIA_SHARE
        f = pa.array(p["fid"].to_numpy()[women])
        nik = text.nik.take(pa.array(women))
        return _table(
            "pregnancies",
            {
                "id": self._ids("pregnancies", n),
                "record_key": pc.binary_join_element_wise(
                    nik, pc.cast(pa.array(hpht, pa.date32()), pa.string()), "@"
                ),
                "nik": nik,
                "no_kk": text.kk.take(f),
                "nama": text.nama.take(pa.array(women)),
                "kode_desa": text.desa.take(f),
                "tanggal_periksa": hpht + last_day * DAY,
                "hpht": hpht,
                "usia_kehamilan": (last_day // 7).astype(np.int32),
                "taksiran_persalinan": hpht + 280 * DAY,
                "lila": np.where(
                    kek,
                    np.round(rng.uniform(19.5, 23.4, n), 1),
                    np.round(rng.uniform(23.5, 30.0, n), 1),
                ),
                "hb": np.where(
                    anaemic,
                    np.round(rng.uniform(8.0, 10.9, n), 1),
                    np.round(rng.uniform(11.0, 13.5, n), 1),
                ),
                "tanggal_data": hpht + last_day * DAY,
            },
        )

    def _interventions(
        self,
        fam: pd.DataFrame,
        p: pd.DataFrame,
        text: _Text,
        weighed: pd.DataFrame,
        rng: np.random.Generator,
    ) -> pa.Table:
        """The regency generator's programmes (PMT Baznas for stunted children first, BLT
        Dana Desa, bedah rumah) for this chunk, sized by its families; the household risk
        stands in for KRS."""
        if weighed.empty:
            # The lists rank stunted children first; a chunk without a weighing has none (a
            # row that is not stunted changes no ranking and lets the lists find the round).
            weighed = pd.DataFrame({"pid": [0], "stunted": [False], "ronde": [""]})
        # The lists name each family's head: only the heads' names become Python text.
        heads = fam["head"].to_numpy()
        lists_p = pd.DataFrame(
            {
                "rel": p["rel"].to_numpy()[heads],
                "fid": np.arange(len(fam)),
                "nik": p["nik"].to_numpy()[heads],
                "nama": text.nama.take(pa.array(heads)).to_numpy(zero_copy_only=False),
            }
        )
        sheets = _sources.intervensi_sheets(
            _population.Population(fam, lists_p),
            pd.DataFrame({"krs_2024": _household_risk(fam)}),
            # a weighed child stands for its family: the head's row in ``lists_p``
            _growth.Measurements(weighed.assign(pid=p["fid"].to_numpy()[weighed["pid"]]), []),
            self.ref,
            len(fam) / INTERVENTION_BASE_FAMILIES,
            rng,
        )
        status_code = {label: code for code, label in LABELS["status_intervensi"].items()}
        parts = []
        for sheet in sheets:
            keep = np.ones(len(sheet.row_fid), dtype=bool)
            if sheet.sheet == "pmt-baznas":
                # Ten families per kecamatan is a regency at scale 1: thinned with the scale.
                chosen = np.unique(sheet.row_fid)
                keep = np.isin(sheet.row_fid, chosen[rng.random(len(chosen)) < self.scale])
            parts.append({k: np.asarray(v, dtype=object)[keep] for k, v in sheet.cells.items()})
        c = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
        n = len(c["no_kk"])
        status = np.array([status_code[s] for s in c["status"]], dtype=object)
        tanggal = c["tanggal"].astype("datetime64[D]")
        kk = c["no_kk"].astype(np.int64)
        nik = c["nik"].astype(np.int64)
        program = c["kode_program"]
        key = pc.binary_join_element_wise(
            pa.array(program, pa.string()),
            _text(kk),
            pc.cast(pa.array(tanggal, pa.date32()), pa.string()),
            pa.array(status, pa.string()),
            "@",
        )
        return _table(
            "interventions",
            {
                "id": self._ids("interventions", n),
                "record_key": key,
                "kode_program": program,
                "no_kk": _text(kk),
                "nik": _text(nik),
                "nama": c["nama"],
                "kode_desa": c["kode_desa"],
                "tanggal": tanggal,
                "status": status,
                "nilai": c["nilai"].astype(float).astype(np.int64),
                "keterangan": c["keterangan"],
                "tanggal_data": tanggal,
            },
        )


# --- helpers ------------------------------------------------------------------------------------


def _household_risk(fam: pd.DataFrame) -> np.ndarray:
    """The household factors of ``krs-2024`` (unsafe water or latrine, decile 1): the part of
    a family's risk known without judging its couples."""
    return (
        ~fam["sumber_air"].isin(_population.SAFE_WATER).to_numpy()
        | fam["jamban"].isin(_population.UNSAFE_LATRINE).to_numpy()
        | (fam["desil"].to_numpy() == 1)
    )


@dataclass
class _Text:
    """A chunk's text columns as Arrow arrays, taken by row number into every table: the
    persons' NIK and names, the families' No. KK and village codes."""

    nik: pa.Array
    kk: pa.Array
    nama: pa.Array
    desa: pa.Array


def _person_names(fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator) -> pa.Array:
    """A first name from the pools of the person's group, sex and generation, and for about
    half a second element (`_names`); drawn as positions in the pools, joined by Arrow."""
    n = len(p)
    groups = _names.ETHNIC
    cum = np.cumsum(ETHNIC_MIX["kota"])
    group = (rng.random(len(fam))[:, None] > cum).sum(axis=1).clip(0, len(groups) - 1)
    group = group[p["fid"].to_numpy()]
    christian = np.isin(group, [groups.index(g) for g in ("dayak", *_names.CLAN_GROUPS)])
    young = p["lahir"].to_numpy().astype("datetime64[Y]").astype(np.int64) + 1970 >= 2005
    female = p["female"].to_numpy()
    pools: list[np.ndarray] = []
    first = np.zeros(n, dtype=np.int64)

    def draw(sel: np.ndarray, pool: np.ndarray) -> None:
        first[sel] = sum(len(q) for q in pools) + rng.integers(0, len(pool), len(sel))
        pools.append(pool)

    for g, name in enumerate(groups):
        for fem in (False, True):
            sel = np.flatnonzero(~young & (group == g) & (female == fem))
            draw(sel, (_names.FEMALE_OLD if fem else _names.MALE_OLD)[name])
    for chr_ in (False, True):
        for fem in (False, True):
            sel = np.flatnonzero(young & (christian == chr_) & (female == fem))
            draw(sel, (_names.FEMALE_YOUNG if fem else _names.MALE_YOUNG)[chr_])
    names = pa.array(np.concatenate(pools), pa.string())
    seconds = pa.array(np.concatenate([_names.MUSLIM_SECOND, _names.FEMALE_SECOND]), pa.string())
    second = rng.integers(0, len(_names.MUSLIM_SECOND), n)
    second_f = len(_names.MUSLIM_SECOND) + rng.integers(0, len(_names.FEMALE_SECOND), n)
    given = names.take(pa.array(first))
    both = pc.binary_join_element_wise(
        given, seconds.take(pa.array(np.where(female, second_f, second))), " "
    )
    return pc.if_else(pa.array(rng.random(n) < 0.5), both, given)


def _persons(fam: pd.DataFrame, p: pd.DataFrame, text: _Text) -> pa.Table:
    fid = p["fid"].to_numpy()
    return _table(
        "persons",
        {
            "nik": text.nik,
            "no_kk": text.kk.take(pa.array(fid)),
            "nama": text.nama,
            "jenis_kelamin": np.where(p["female"].to_numpy(), "P", "L"),
            "tanggal_lahir": p["lahir"].to_numpy().astype("datetime64[D]"),
            "hubungan": _pick(_population.REL, p["rel"].to_numpy()),
            "status_kawin": _pick(_population.KAWIN, p["kawin"].to_numpy()),
            "hamil": p["hamil"].to_numpy(dtype=bool),
            "kontrasepsi": _blank_null(p["kontrasepsi"].to_numpy()),
            "ingin_anak": _blank_null(p["ingin_anak"].to_numpy()),
            "tanggal_data": fam["tanggal_data"].to_numpy()[fid],
        },
    )


def _pick(words: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    """The word of each code (its position in ``words``)."""
    return pa.array(words, pa.string()).take(pa.array(codes))


def _text(numbers: np.ndarray) -> pa.Array:
    """16-digit keys held as int64 → their text (Arrow's cast: no Python objects)."""
    return pc.cast(pa.array(np.asarray(numbers, dtype=np.int64), pa.int64()), pa.string())


def _blank_null(values: np.ndarray) -> pa.Array:
    arr = pa.array(values, pa.string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _nan_null(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.float64(), mask=np.isnan(values))


def _table(name: str, columns: dict[str, object]) -> pa.Table:
    """The columns given, in the order and types of `TABLE_SCHEMAS`; the others null."""
    schema = TABLE_SCHEMAS[name]
    n = next(len(v) for v in columns.values() if v is not None)  # type: ignore[arg-type]
    arrays = []
    for f in schema:
        value = columns.get(f.name)
        if value is None:
            arrays.append(pa.nulls(n, f.type))
        elif isinstance(value, pa.Array | pa.ChunkedArray):
            arrays.append(value.cast(f.type))
        else:
            arrays.append(pa.array(value, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)
