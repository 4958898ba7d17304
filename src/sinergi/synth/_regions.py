"""The regency being synthesised: kecamatan weights, villages and where migrants come from.

Kecamatan weights for Kabupaten Kutai Timur (64.08) are **approximate** population figures,
rounded from BPS "Kabupaten Kutai Timur Dalam Angka" (2023/2024 editions) and scaled by the
generator to the regency total; they only need to be plausible (Sangatta Utara, the regency
capital, holds roughly 30 % of the people; the upriver kecamatan are small). Each kecamatan also
has a settlement profile that sets its ethnic mix: the capital towns (``kota``), transmigration
areas (``trans``), the coast (``pesisir``) and the upper Mahakam/Wahau rivers (``hulu``).

For any other regency the weights fall back to the number of villages per kecamatan and the
profile to ``kota``, so the generator still runs (with coordinates only where boundaries exist).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sinergi.wilayah import get_wilayah, village_points

# kecamatan code -> (approximate population, settlement profile)
KUTAI_TIMUR: dict[str, tuple[int, str]] = {
    "64.08.01": (21_000, "hulu"),  # Muara Ancalong
    "64.08.02": (27_500, "hulu"),  # Muara Wahau
    "64.08.03": (13_000, "hulu"),  # Muara Bengkal
    "64.08.04": (135_000, "kota"),  # Sangatta Utara
    "64.08.05": (24_000, "pesisir"),  # Sangkulirang
    "64.08.06": (8_000, "hulu"),  # Busang
    "64.08.07": (11_000, "hulu"),  # Telen
    "64.08.08": (22_000, "trans"),  # Kombeng (Kongbeng)
    "64.08.09": (37_000, "pesisir"),  # Bengalon
    "64.08.10": (11_500, "trans"),  # Kaliorang
    "64.08.11": (10_500, "pesisir"),  # Sandaran
    "64.08.12": (31_000, "kota"),  # Sangatta Selatan
    "64.08.13": (20_000, "kota"),  # Teluk Pandan
    "64.08.14": (12_500, "trans"),  # Rantau Pulung
    "64.08.15": (12_500, "trans"),  # Kaubun
    "64.08.16": (11_000, "trans"),  # Karangan
    "64.08.17": (9_000, "trans"),  # Batu Ampar
    "64.08.18": (9_500, "trans"),  # Long Mesangat
}

PROFILES = ("kota", "trans", "pesisir", "hulu")
# Ethnic mix per profile, in the order of _names.ETHNIC
# (jawa, bugis, banjar, kutai, dayak, toraja, batak, ntt).
ETHNIC_MIX: dict[str, tuple[float, ...]] = {
    "kota": (0.32, 0.26, 0.10, 0.08, 0.05, 0.08, 0.05, 0.06),
    "trans": (0.55, 0.12, 0.06, 0.06, 0.08, 0.05, 0.03, 0.05),
    "pesisir": (0.15, 0.50, 0.12, 0.12, 0.02, 0.04, 0.02, 0.03),
    "hulu": (0.12, 0.08, 0.06, 0.20, 0.45, 0.04, 0.02, 0.03),
}

# Regencies migrants come from, per ethnic group (Kemendagri codes; their kecamatan give the
# six-digit NIK prefixes of people first registered there).
ORIGIN_REGENCIES: dict[str, tuple[str, ...]] = {
    "jawa": (
        "33.01",
        "33.02",
        "33.05",
        "33.10",
        "33.12",
        "33.14",
        "33.15",
        "33.18",
        "34.03",
        "35.02",
        "35.04",
        "35.06",
        "35.07",
        "35.09",
        "35.10",
        "35.17",
        "35.18",
        "35.22",
        "35.24",
        "32.05",
    ),
    "bugis": (
        "73.02",
        "73.07",
        "73.08",
        "73.11",
        "73.12",
        "73.13",
        "73.14",
        "73.15",
        "73.17",
        "74.04",
        "76.04",
    ),
    "banjar": ("63.03", "63.06", "63.07", "63.08", "63.71"),
    "kutai": ("64.02", "64.72"),
    "dayak": ("64.07", "64.11", "64.03"),
    "toraja": ("73.18", "73.26"),
    "batak": ("12.02", "12.08", "12.12", "12.16", "12.17"),
    "ntt": ("53.01", "53.06", "53.07", "53.08", "53.10", "53.13"),
}
# Share of families of each group whose adults were first registered outside the regency.
MIGRANT_SHARE: dict[str, float] = {
    "jawa": 0.55,
    "bugis": 0.45,
    "banjar": 0.35,
    "kutai": 0.08,
    "dayak": 0.08,
    "toraja": 0.60,
    "batak": 0.65,
    "ntt": 0.65,
}


@dataclass(frozen=True)
class Villages:
    """The villages of the regency as parallel arrays, in code order."""

    regency: str
    regency_name: str
    kode: np.ndarray  # dotted village codes
    nama: np.ndarray
    kec_kode: np.ndarray  # dotted kecamatan codes
    kec_nama: np.ndarray
    kelurahan: np.ndarray  # bool
    capital: np.ndarray  # bool: the village named like its kecamatan (its seat)
    lat: np.ndarray  # nan where no boundary point is known
    lng: np.ndarray
    kecamatan: tuple[tuple[str, str], ...]  # (code, name) in code order
    profile: dict[str, str]  # kecamatan code -> settlement profile
    kec_weight: dict[str, float]  # kecamatan code -> population weight
    population: int

    def __len__(self) -> int:
        return len(self.kode)


def load_villages(region: str) -> Villages:
    w = get_wilayah()
    regency = w.require(region)
    if regency.tingkat != "kabupaten_kota":
        raise ValueError(f"{region} is not a regency/city code (PP.KK)")
    kecamatan = tuple((k.kode, k.nama) for k in w.children(regency.kode))
    villages = w.villages(regency.kode)
    if not villages:
        raise ValueError(f"{region} has no villages in the region table")
    points = village_points() if regency.kode == "64.08" else {}
    kec_names = dict(kecamatan)
    kode = np.array([v.kode for v in villages], dtype=object)
    kec_kode = np.array([v.kode[:8] for v in villages], dtype=object)
    nama = np.array([v.nama for v in villages], dtype=object)
    lat = np.array([points.get(v.kode, (np.nan, np.nan))[0] for v in villages], dtype=float)
    lng = np.array([points.get(v.kode, (np.nan, np.nan))[1] for v in villages], dtype=float)
    if regency.kode == "64.08":
        profile = {k: KUTAI_TIMUR[k][1] for k, _ in kecamatan}
        weight = {k: float(KUTAI_TIMUR[k][0]) for k, _ in kecamatan}
    else:
        profile = {k: "kota" for k, _ in kecamatan}
        weight = {k: float(np.sum(kec_kode == k)) for k, _ in kecamatan}
    population = w.population(regency.kode) or int(3_600 * len(villages))
    return Villages(
        regency=regency.kode,
        regency_name=regency.nama,
        kode=kode,
        nama=nama,
        kec_kode=kec_kode,
        kec_nama=np.array([kec_names[k] for k in kec_kode], dtype=object),
        kelurahan=np.array([v.is_kelurahan for v in villages], dtype=bool),
        capital=np.array([v.nama.lower() == kec_names[v.kode[:8]].lower() for v in villages]),
        lat=lat,
        lng=lng,
        kecamatan=kecamatan,
        profile=profile,
        kec_weight=weight,
        population=int(population),
    )


def origin_prefixes() -> dict[str, np.ndarray]:
    """Ethnic group -> six-digit kecamatan prefixes of its home regencies."""
    w = get_wilayah()
    out: dict[str, np.ndarray] = {}
    for group, regencies in ORIGIN_REGENCIES.items():
        codes = [k.digits for r in regencies for k in w.children(r)]
        out[group] = np.array(sorted(codes), dtype=object)
    return out
