"""The true population: families (one per KK) and their members, with every attribute the
source files describe.

Families are drawn from household templates (single workers, couples, nuclear families, single
parents, three-generation households …); children come from a birth-history simulation of their
mother (union age, first-birth delay, birth intervals, completed parity), so that ages, birth
spacing and family sizes hang together. A latent family *vulnerability* ``v`` (village remoteness
plus family noise) drives what clusters in real data: unsafe water and latrines, unliveable houses,
early marriage, more children, less contraception and a lower welfare decile.

Everything is vectorised over families and persons; the only Python loops run over templates,
ethnic groups and villages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from sinergi.synth import _names as names
from sinergi.synth._dates import d64, ddmmyy, ymd
from sinergi.synth._regions import ETHNIC_MIX, MIGRANT_SHARE, Villages, origin_prefixes

REL = (
    "kepala_keluarga",
    "suami",
    "istri",
    "anak",
    "menantu",
    "cucu",
    "orang_tua",
    "mertua",
    "famili_lain",
    "lainnya",
)
KAWIN = ("belum_kawin", "kawin", "cerai_hidup", "cerai_mati")
R_HEAD, R_SUAMI, R_ISTRI, R_ANAK, R_MENANTU, R_CUCU, R_ORTU, R_MERTUA, R_FAMILI, R_LAIN = range(10)
K_BELUM, K_KAWIN, K_CERAI_HIDUP, K_CERAI_MATI = range(4)

TEMPLATES = (
    "single_young",
    "single_old",
    "shared",
    "couple_young",
    "couple_old",
    "nuclear_young",
    "nuclear_mid",
    "nuclear_old",
    "single_parent",
    "wife_head",
    "three_gen",
    "nuclear_elder",
    "nuclear_relative",
    "grand_care",
    "arrival",
)
# Household mix of the registered families (arrival = unregistered newcomers, drawn separately).
TEMPLATE_P: dict[str, float] = {
    "single_young": 0.090,
    "single_old": 0.045,
    "shared": 0.030,
    "couple_young": 0.010,
    "couple_old": 0.030,
    "nuclear_young": 0.082,
    "nuclear_mid": 0.037,
    "nuclear_old": 0.230,
    "single_parent": 0.120,
    "wife_head": 0.008,
    "three_gen": 0.196,
    "nuclear_elder": 0.033,
    "nuclear_relative": 0.028,
    "grand_care": 0.061,
}
# Orders of the members of one KK stay below this (twins add 100 to their co-twin's).
ORDER_SPAN = 1000
# Share of births that are twins (about 1 in 100 maternities in Indonesia).
TWIN_SHARE = 0.01
# Families per person at scale 1 for Kutai Timur: 448,850 people in about 125,000 KK.
PERSONS_PER_FAMILY = 448_850 / 125_000
YEAR = 365.2425

SAFE_WATER = ("kemasan", "ledeng", "sumur_bor", "sumur_terlindung")
UNSAFE_WATER = ("sumur_tak_terlindung", "mata_air", "sungai_danau", "air_hujan", "lainnya")
SAFE_LATRINE = ("sendiri_septik", "bersama_septik")
UNSAFE_LATRINE = ("tanpa_septik", "tidak_ada")
MODERN = ("suntik", "pil", "implan", "iud", "mow", "kondom", "mop")
MODERN_P = (0.55, 0.18, 0.10, 0.08, 0.05, 0.03, 0.01)

STREETS = (
    "Yos Sudarso",
    "APT Pranoto",
    "Pendidikan",
    "Merdeka",
    "Pelabuhan",
    "Masjid",
    "Kartini",
    "Diponegoro",
    "Jend. Sudirman",
    "Mulawarman",
    "Cendana",
    "Mawar",
    "Flamboyan",
    "Bersama",
    "Kenyamukan",
    "Sangatta Lama",
    "Poros",
    "Ahmad Yani",
    "Gajah Mada",
    "Hasanuddin",
    "Pattimura",
    "Teuku Umar",
    "Cut Nyak Dien",
    "Pinang",
    "Durian",
    "Rambutan",
    "Melati",
    "Anggrek",
    "Sejahtera",
    "Harapan",
    "Damai",
    "Karya",
    "Swadaya",
    "Gotong Royong",
    "Pemuda",
    "Pramuka",
    "Kebun Sayur",
    "Transmigrasi",
    "Perintis",
    "Bukit Indah",
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


@dataclass
class Population:
    families: pd.DataFrame  # one row per KK, index = fid
    persons: pd.DataFrame  # one row per person, index = pid, sorted by (fid, order)
    # persons["twin"] is the pid of a twin's co-twin (same mother, same birth date), else -1


# --- building members ---------------------------------------------------------------------------


class _Builder:
    """Collects member rows template by template; mother/father refer to an ``order`` in the KK."""

    KEYS = ("fid", "order", "rel", "female", "age", "kawin", "mother", "father")

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {k: [] for k in self.KEYS}

    def add(
        self,
        fid: np.ndarray,
        order: object,
        rel: object,
        female: object,
        age: object,
        kawin: object,
        mother: object = -1,
        father: object = -1,
    ) -> None:
        n = len(fid)
        if n == 0:
            return
        for key, value in zip(
            self.KEYS, (fid, order, rel, female, age, kawin, mother, father), strict=True
        ):
            self.parts[key].append(np.broadcast_to(np.asarray(value), (n,)).copy())

    def frame(self) -> pd.DataFrame:
        cols = {k: np.concatenate(v) if v else np.array([]) for k, v in self.parts.items()}
        cols["female"] = cols["female"].astype(bool)
        for k in ("fid", "order", "rel", "kawin", "mother", "father"):
            cols[k] = cols[k].astype(np.int64)
        # Sorted by (fid, order) in NumPy: a pandas sort of the frame costs ten times more.
        at = np.lexsort((cols["order"], cols["fid"]))
        return pd.DataFrame({k: v[at] for k, v in cols.items()})


def _beta_age(
    rng: np.random.Generator, n: int, lo: float, span: float, a: float, b: float
) -> np.ndarray:
    return lo + span * rng.beta(a, b, n)


def _husband_age(rng: np.random.Generator, wife: np.ndarray) -> np.ndarray:
    gap = rng.normal(4.5, 3.5, len(wife))
    return np.maximum(np.clip(wife + gap, wife - 2.0, wife + 20.0), 18.5)


def _union_age(rng: np.random.Generator, v: np.ndarray, wife: np.ndarray) -> np.ndarray:
    """Age at marriage: younger in vulnerable families; never after the wife's current age."""
    u = np.clip(rng.normal(21.6 - 0.9 * v, 3.0), 15.0, 38.0)
    late = u > wife
    u[late] = wife[late] - rng.uniform(0.0, np.minimum(3.0, wife[late] - 15.0).clip(0.0))
    return np.maximum(u, 15.0)


def _parity(rng: np.random.Generator, v: np.ndarray, mother_age: np.ndarray) -> np.ndarray:
    """Completed parity: higher in vulnerable families and in older cohorts (TFR was above 3
    when today's grandmothers had their children)."""
    cohort = 0.06 * np.clip(mother_age - 35.0, 0.0, 25.0)
    p = 1 + rng.poisson(1.2 * np.exp(0.2 * v) + cohort)
    p[rng.random(len(v)) < 0.05] = 0
    return np.minimum(p, 8)


def _births(
    rng: np.random.Generator,
    mother_age: np.ndarray,
    union: np.ndarray,
    parity: np.ndarray,
    kmax: int = 8,
) -> np.ndarray:
    """Ages of the children born so far (n, kmax), oldest first; NaN where none."""
    n = len(mother_age)
    first = 0.3 + rng.gamma(1.6, 0.7, n)
    gaps = 1.0 + rng.gamma(3.0, 1.0, (n, kmax - 1))
    at = union[:, None] + np.cumsum(np.column_stack([first, gaps]), axis=1)
    born = (np.arange(kmax)[None, :] < parity[:, None]) & (
        at < np.minimum(mother_age, 45.0)[:, None]
    )
    return np.where(born, mother_age[:, None] - at, np.nan)


def _at_home(rng: np.random.Generator, age: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Children stay on the parents' KK until they marry (daughters around 23, sons 26)."""
    mid = np.where(female, 25.0, 29.0)
    spread = np.where(female, 2.2, 2.5)
    with np.errstate(over="ignore", invalid="ignore"):
        stay = 1.0 / (1.0 + np.exp((age - mid) / spread))
    return ~np.isnan(age) & (rng.random(age.shape) < stay)


def _children(
    rng: np.random.Generator,
    b: _Builder,
    fid: np.ndarray,
    mother_age: np.ndarray,
    union: np.ndarray,
    parity: np.ndarray,
    mother: int,
    father: int,
    married_first: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Add the children living at home; returns (ages, female) of the first child."""
    ages = _births(rng, mother_age, union, parity)
    female = rng.random(ages.shape) < 0.487
    home = _at_home(rng, ages, female)
    kawin = np.zeros(ages.shape, dtype=np.int64)
    if married_first:
        first_married = ages[:, 0] >= 18.0
        home[:, 0] |= first_married
        kawin[:, 0] = np.where(first_married, K_KAWIN, K_BELUM)
    rows, ks = np.nonzero(home)
    b.add(
        fid[rows],
        10 + ks,
        R_ANAK,
        female[rows, ks],
        ages[rows, ks],
        kawin[rows, ks],
        mother,
        father,
    )
    first_age = np.where(home[:, 0], ages[:, 0], np.nan)
    return first_age, female[:, 0]


def _spouse_pair(rng: np.random.Generator, b: _Builder, fid: np.ndarray, wife: np.ndarray) -> None:
    b.add(fid, 0, R_HEAD, False, _husband_age(rng, wife), K_KAWIN)
    b.add(fid, 1, R_ISTRI, True, wife, K_KAWIN)


def _young_wife(rng: np.random.Generator, n: int) -> np.ndarray:
    return _beta_age(rng, n, 17.0, 28.0, 2.0, 2.8)


def _old_wife(rng: np.random.Generator, n: int) -> np.ndarray:
    return _beta_age(rng, n, 50.0, 22.0, 1.1, 2.4)


def _nuclear(
    rng: np.random.Generator, b: _Builder, fid: np.ndarray, v: np.ndarray, wife: np.ndarray
) -> None:
    _spouse_pair(rng, b, fid, wife)
    _children(rng, b, fid, wife, _union_age(rng, v, wife), _parity(rng, v, wife), 1, 0)


def _template(
    name: str, rng: np.random.Generator, b: _Builder, fid: np.ndarray, v: np.ndarray
) -> None:
    n = len(fid)
    if n == 0:
        return
    if name == "single_young":
        female = rng.random(n) < 0.15
        age = np.where(female, rng.triangular(20, 24, 40, n), rng.triangular(19, 27, 56, n))
        kawin = np.where(
            rng.random(n) < 0.72, K_BELUM, np.where(rng.random(n) < 0.85, K_KAWIN, K_CERAI_HIDUP)
        )
        # A woman living alone and married would be a PUS on her own; real rosters list her
        # husband, so single women here are unmarried or divorced.
        kawin = np.where(female & (kawin == K_KAWIN), K_CERAI_HIDUP, kawin)
        b.add(fid, 0, R_HEAD, female, age, kawin)
    elif name == "single_old":
        female = rng.random(n) < 0.7
        kawin = np.where(rng.random(n) < 0.84, K_CERAI_MATI, K_CERAI_HIDUP)
        b.add(fid, 0, R_HEAD, female, rng.triangular(56, 66, 92, n), kawin)
    elif name == "shared":
        b.add(fid, 0, R_HEAD, False, rng.triangular(20, 25, 42, n), K_BELUM)
        extra = 1 + (rng.random(n) < 0.35) + (rng.random(n) < 0.1)
        for k in range(3):
            sel = extra > k
            m = int(sel.sum())
            b.add(
                fid[sel],
                70 + k,
                R_FAMILI,
                rng.random(m) < 0.2,
                rng.triangular(17, 23, 40, m),
                K_BELUM,
            )
    elif name == "couple_young":
        wife = _beta_age(rng, n, 18.0, 14.0, 1.6, 2.4)
        _spouse_pair(rng, b, fid, wife)
    elif name == "couple_old":
        wife = _old_wife(rng, n)
        _spouse_pair(rng, b, fid, wife)
    elif name == "nuclear_young":
        _nuclear(rng, b, fid, v, _young_wife(rng, n))
    elif name == "nuclear_mid":
        _nuclear(rng, b, fid, v, _beta_age(rng, n, 35.0, 15.0, 1.4, 1.2))
    elif name == "nuclear_old":
        _nuclear(rng, b, fid, v, _old_wife(rng, n))
    elif name == "single_parent":
        female = rng.random(n) < 0.75
        age = _beta_age(rng, n, 22.0, 38.0, 2.0, 2.2)
        kawin = np.where(rng.random(n) < 0.55, K_CERAI_HIDUP, K_CERAI_MATI)
        b.add(fid, 0, R_HEAD, female, age, kawin)
        mother_age = np.where(female, age, np.maximum(age - 4.0, 18.0))
        union = _union_age(rng, v, mother_age)
        for fem in (True, False):
            s = female == fem
            _children(
                rng,
                b,
                fid[s],
                mother_age[s],
                union[s],
                _parity(rng, v[s], mother_age[s]),
                0 if fem else -1,
                -1 if fem else 0,
            )
    elif name == "wife_head":
        age = _young_wife(rng, n)
        b.add(fid, 0, R_HEAD, True, age, K_KAWIN)
        _children(rng, b, fid, age, _union_age(rng, v, age), _parity(rng, v, age), 0, -1)
    elif name == "three_gen":
        wife = _beta_age(rng, n, 45.0, 25.0, 1.8, 2.4)
        _spouse_pair(rng, b, fid, wife)
        union = np.minimum(_union_age(rng, v, wife), 23.0)
        first_age, first_female = _children(
            rng, b, fid, wife, union, np.maximum(_parity(rng, v, wife), 1), 1, 0, married_first=True
        )
        _young_couple(rng, b, fid, v, first_age, first_female)
    elif name == "nuclear_elder":
        wife = np.where(rng.random(n) < 0.7, _young_wife(rng, n), _old_wife(rng, n))
        _nuclear(rng, b, fid, v, wife)
        _elders(rng, b, fid, wife)
    elif name == "nuclear_relative":
        wife = np.where(rng.random(n) < 0.75, _young_wife(rng, n), _old_wife(rng, n))
        _nuclear(rng, b, fid, v, wife)
        extra = 1 + (rng.random(n) < 0.2)
        for k in range(2):
            sel = extra > k
            m = int(sel.sum())
            helper = rng.random(m) < 0.25
            age = np.where(helper, rng.triangular(16, 22, 45, m), rng.triangular(15, 20, 36, m))
            b.add(
                fid[sel],
                70 + k,
                np.where(helper, R_LAIN, R_FAMILI),
                helper | (rng.random(m) < 0.5),
                age,
                K_BELUM,
            )
    elif name == "grand_care":
        # Grandparents raising school-age grandchildren whose parents work elsewhere.
        widow = rng.random(n) < 0.3
        wife = _old_wife(rng, n)
        b.add(
            fid,
            0,
            R_HEAD,
            widow,
            np.where(widow, wife, _husband_age(rng, wife)),
            np.where(widow, K_CERAI_MATI, K_KAWIN),
        )
        couple = ~widow
        b.add(fid[couple], 1, R_ISTRI, True, wife[couple], K_KAWIN)
        kids = 1 + (rng.random(n) < 0.5) + (rng.random(n) < 0.15)
        for k in range(3):
            sel = kids > k
            m = int(sel.sum())
            b.add(
                fid[sel], 40 + k, R_CUCU, rng.random(m) < 0.487, rng.uniform(4.9, 17.0, m), K_BELUM
            )
    elif name == "arrival":
        # Newcomers measured at the posyandu but absent from the family roster: young parents
        # with at least one recent birth.
        wife = _beta_age(rng, n, 19.0, 17.0, 2.0, 2.0)
        _spouse_pair(rng, b, fid, wife)
        union = wife - rng.uniform(0.6, np.minimum(9.0, wife - 16.0))
        parity = 1 + (rng.random(n) < 0.45) + (rng.random(n) < 0.12)
        ages = _births(rng, wife, union, parity)
        last = np.nanmin(np.where(np.isnan(ages), np.inf, ages), axis=1)
        shift = np.where(np.isfinite(last) & (last > 4.2), last - rng.uniform(0.1, 4.2, n), 0.0)
        ages = ages - shift[:, None]
        female = rng.random(ages.shape) < 0.487
        rows, ks = np.nonzero(~np.isnan(ages) & (ages >= 0))
        b.add(fid[rows], 10 + ks, R_ANAK, female[rows, ks], ages[rows, ks], K_BELUM, 1, 0)
    else:
        raise ValueError(name)


def _young_couple(
    rng: np.random.Generator,
    b: _Builder,
    fid: np.ndarray,
    v: np.ndarray,
    first_age: np.ndarray,
    first_female: np.ndarray,
) -> None:
    """The married first child of a three-generation household, the spouse and their children."""
    has = first_age >= 18.0
    fid, v, age, female = fid[has], v[has], first_age[has], first_female[has]
    n = len(fid)
    spouse_age = np.where(
        female,
        np.maximum(age + rng.normal(4.0, 3.0, n), 18.0),
        np.clip(age - rng.normal(3.0, 3.0, n), 16.0, age + 5.0),
    )
    b.add(fid, 30, R_MENANTU, ~female, spouse_age, K_KAWIN)
    mother_age = np.where(female, age, spouse_age)
    married = rng.uniform(0.3, np.clip(np.minimum(8.0, mother_age - 16.0), 0.4, None))
    union = mother_age - married
    ages = _births(rng, mother_age, union, np.maximum(_parity(rng, v, mother_age), 1))
    sex = rng.random(ages.shape) < 0.487
    rows, ks = np.nonzero(~np.isnan(ages))
    b.add(
        fid[rows],
        40 + ks,
        R_CUCU,
        sex[rows, ks],
        ages[rows, ks],
        K_BELUM,
        np.where(female[rows], 10, 30),
        np.where(female[rows], 30, 10),
    )


def _elders(rng: np.random.Generator, b: _Builder, fid: np.ndarray, wife: np.ndarray) -> None:
    n = len(fid)
    husband_side = rng.random(n) < 0.55
    base = np.where(husband_side, wife + 4.5, wife)
    rel = np.where(husband_side, R_ORTU, R_MERTUA)
    pair = rng.random(n) < 0.3
    age1 = np.minimum(base + rng.uniform(20.0, 34.0, n), 95.0)
    female1 = ~pair & (rng.random(n) < 0.7)
    b.add(fid, 60, rel, female1, age1, np.where(pair, K_KAWIN, K_CERAI_MATI))
    sel = pair
    b.add(
        fid[sel],
        61,
        rel[sel],
        True,
        np.maximum(age1[sel] - rng.uniform(1, 7, int(sel.sum())), base[sel] + 17.0),
        K_KAWIN,
    )


def _build_members(
    rng: np.random.Generator, template: np.ndarray, v: np.ndarray, fid0: int = 0
) -> pd.DataFrame:
    b = _Builder()
    fids = np.arange(len(template)) + fid0
    for t, name in enumerate(TEMPLATES):
        sel = template == t
        _template(name, rng, b, fids[sel], v[sel])
    return b.frame()


# --- the population -----------------------------------------------------------------------------


def build(
    villages: Villages,
    rng: np.random.Generator,
    scale: float,
    ref: date,
    arrivals_share: float = 0.055,
) -> Population:
    ref64 = d64(ref)
    n_reg = max(len(villages), round(villages.population / PERSONS_PER_FAMILY * scale))

    # Villages: the kecamatan total split over its villages; towns and seats are larger.
    vw = rng.lognormal(0.0, 0.45, len(villages))
    vw *= np.where(villages.kelurahan, 2.5, 1.0) * np.where(villages.capital, 1.8, 1.0)
    kec_total = pd.Series(vw).groupby(villages.kec_kode).transform("sum").to_numpy()
    weight = np.array([villages.kec_weight[k] for k in villages.kec_kode]) * vw / kec_total
    counts = rng.multinomial(n_reg, weight / weight.sum())
    # Every village keeps at least one family so that every village appears in the sources.
    counts = np.maximum(counts, 1)
    village = np.repeat(np.arange(len(villages)), counts)
    n_reg = len(village)

    mix = np.array(list(TEMPLATE_P.values()))
    index = np.array([TEMPLATES.index(name) for name in TEMPLATE_P])
    template = index[rng.choice(len(mix), n_reg, p=mix / mix.sum())]
    # Vulnerability comes first: it shapes marriage age and parity. Village effect + noise.
    urban_v = np.array([villages.profile[k] == "kota" for k in villages.kec_kode])
    hulu_v = np.array([villages.profile[k] in ("hulu", "pesisir") for k in villages.kec_kode])
    v_village = (
        rng.normal(0.0, 0.35, len(villages))
        - 0.45 * urban_v
        - 0.35 * villages.kelurahan
        + 0.35 * hulu_v
    )
    v = v_village[village] + rng.normal(0.0, 1.0, n_reg)
    members = _build_members(rng, template, v)

    # Unregistered newcomers: about ``arrivals_share`` of the measured children.
    expected_children = 0.082 * n_reg * PERSONS_PER_FAMILY * 0.85
    n_arr = max(1, round(arrivals_share * expected_children / 1.35))
    arr_village = rng.choice(len(villages), n_arr, p=counts / counts.sum())
    arr_v = v_village[arr_village] + rng.normal(0.3, 1.0, n_arr)
    arr_members = _build_members(rng, np.full(n_arr, TEMPLATES.index("arrival")), arr_v, n_reg)
    village = np.concatenate([village, arr_village])
    template = np.concatenate([template, np.full(n_arr, TEMPLATES.index("arrival"))])
    v = np.concatenate([v, arr_v])
    persons = _twins(pd.concat([members, arr_members], ignore_index=True), rng)
    n_fam = len(village)

    fam = pd.DataFrame(
        {
            "village": village,
            "template": np.array(TEMPLATES, dtype=object)[template],
            "v": v,
            "in_keluarga": np.arange(n_fam) < n_reg,
        }
    )
    fam["kode_desa"] = villages.kode[village]
    fam["kec_kode"] = villages.kec_kode[village]
    fam["urban"] = villages.kelurahan[village] | np.array(
        [villages.profile[k] == "kota" for k in fam["kec_kode"]]
    )

    _ages_and_links(persons, ref64)
    # New draws come from a child stream, so the rest of the population stays as calibrated.
    couples_rng = rng.spawn(1)[0]
    _child_brides(fam, persons, couples_rng, ref64)
    _ethnicity(fam, persons, villages, rng)
    _identity(fam, persons, villages, rng, ref64)
    _person_names(fam, persons, rng)
    _twin_names(fam, persons, rng)
    _reproductive(fam, persons, rng, ref64)
    _wish_for_child(persons, couples_rng, ref64)
    _household(fam, persons, villages, rng)
    _welfare(fam, persons, rng)
    return Population(fam, persons)


def _twins(members: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Give ``TWIN_SHARE`` of the unmarried children living with their mother a twin: same
    parents and age, sex drawn anew; the twin's ``order`` is its co-twin's plus 100."""
    child = (
        members["rel"].isin([R_ANAK, R_CUCU]).to_numpy()
        & (members["kawin"].to_numpy() == K_BELUM)
        & (members["mother"].to_numpy() >= 0)
    )
    pick = np.flatnonzero(child & (rng.random(len(members)) < TWIN_SHARE))
    twins = members.iloc[pick].copy()
    twins["order"] = twins["order"].to_numpy() + 100
    twins["female"] = rng.random(len(twins)) < 0.487
    out = pd.concat([members, twins], ignore_index=True)
    out = out.sort_values(["fid", "order"], kind="stable").reset_index(drop=True)
    key = pd.Series(
        np.arange(len(out)), index=pd.MultiIndex.from_arrays([out["fid"], out["order"]])
    )
    twin = np.full(len(out), -1, dtype=np.int64)
    second = np.flatnonzero(out["order"].to_numpy() >= 100)
    first = key.loc[
        pd.MultiIndex.from_arrays(
            [out["fid"].to_numpy()[second], out["order"].to_numpy()[second] - 100]
        )
    ].to_numpy()
    twin[second], twin[first] = first, second
    out["twin"] = twin
    return out


def _twin_names(fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator) -> None:
    """Twins get different first names: a twin named like its co-twin gets another one."""
    twin = p["twin"].to_numpy()
    second = np.flatnonzero(p["order"].to_numpy() >= 100)
    nama = p["nama"].to_numpy().copy()
    christian = fam["christian"].to_numpy()[p["fid"].to_numpy()]
    female = p["female"].to_numpy()
    for i in second:
        other = str(nama[twin[i]])
        pool = (names.FEMALE_YOUNG if female[i] else names.MALE_YOUNG)[bool(christian[i])]
        current = str(nama[i])
        while current.split(" ")[0] == other.split(" ")[0]:
            first = str(names.draw(rng, pool, 1)[0])
            words = other.split(" ")
            current = first if len(words) < 2 else f"{first} {words[-1]}"
        nama[i] = current
    p["nama"] = nama


def _ages_and_links(p: pd.DataFrame, ref64: np.datetime64) -> None:
    age_days = np.floor(p["age"].to_numpy() * YEAR).astype(np.int64)
    p["lahir"] = ref64 - age_days.astype("timedelta64[D]")
    p.drop(columns="age", inplace=True)
    # mother/father as person ids: the rows are sorted by (fid, order), so the key
    # fid * ORDER_SPAN + order ascends and a binary search finds a member by its order
    fid = p["fid"].to_numpy()
    key = fid * ORDER_SPAN + p["order"].to_numpy()
    for col in ("mother", "father"):
        ref = p[col].to_numpy()
        has = np.flatnonzero(ref >= 0)
        ids = np.full(len(p), -1, dtype=np.int64)
        wanted = fid[has] * ORDER_SPAN + ref[has]
        found = np.searchsorted(key, wanted)
        ok = found < len(key)
        ok[ok] = key[found[ok]] == wanted[ok]
        ids[has[ok]] = found[ok]
        p[col] = ids


def _ethnicity(
    fam: pd.DataFrame, p: pd.DataFrame, villages: Villages, rng: np.random.Generator
) -> None:
    groups = names.ETHNIC
    mix = np.array([ETHNIC_MIX[villages.profile[k]] for k in fam["kec_kode"]])
    cum = mix.cumsum(axis=1)
    ethnic = (rng.random(len(fam))[:, None] > cum).sum(axis=1).clip(0, len(groups) - 1)
    fam["ethnic"] = np.array(groups, dtype=object)[ethnic]
    christian_p = np.select(
        [fam["ethnic"] == "dayak", fam["ethnic"].isin(sorted(names.CLAN_GROUPS))],
        [0.85, 0.92],
        0.01,
    )
    fam["christian"] = rng.random(len(fam)) < christian_p
    # Members share the family's group, except some in-marrying spouses and their parents.
    own = fam["ethnic"].to_numpy()[p["fid"].to_numpy()]
    married_in = p["rel"].isin([R_ISTRI, R_MENANTU, R_MERTUA]).to_numpy() & (
        rng.random(len(p)) < 0.2
    )
    other = (rng.random(len(p))[:, None] > mix[p["fid"].to_numpy()].cumsum(axis=1)).sum(axis=1)
    other = np.array(groups, dtype=object)[other.clip(0, len(groups) - 1)]
    p["ethnic"] = np.where(married_in, other, own)


def _identity(
    fam: pd.DataFrame,
    p: pd.DataFrame,
    villages: Villages,
    rng: np.random.Generator,
    ref64: np.datetime64,
) -> None:
    """NIK (region of first registration + birth date + serial) and No. KK, unique by construction."""
    n = len(p)
    kec_digits = np.array([k.replace(".", "") for k, _ in villages.kecamatan], dtype=object)
    fam_kec = fam["kec_kode"].str.replace(".", "", regex=False).to_numpy()
    fid = p["fid"].to_numpy()
    # Local registration: mostly the family's kecamatan, sometimes another of the regency.
    local = np.where(
        rng.random(n) < 0.85, fam_kec[fid], kec_digits[rng.integers(0, len(kec_digits), n)]
    )
    # Migrant families: people born before the move were first registered at the origin.
    origins = origin_prefixes()
    fam_origin = np.full(len(fam), "", dtype=object)
    migrant = rng.random(len(fam)) < fam["ethnic"].map(MIGRANT_SHARE).to_numpy()
    for group in names.ETHNIC:
        sel = migrant & (fam["ethnic"].to_numpy() == group)
        fam_origin[sel] = origins[group][rng.integers(0, len(origins[group]), int(sel.sum()))]
    fam["migrant"] = migrant
    years_here = rng.uniform(0.5, 35.0, len(fam))
    age_y = _age_years(p, ref64)
    came_after_birth = age_y > years_here[fid]
    person_origin = fam_origin[fid]
    # A spouse of another group comes from that group's home.
    spouse_other = migrant[fid] & (p["ethnic"].to_numpy() != fam["ethnic"].to_numpy()[fid])
    for group in names.ETHNIC:
        sel = spouse_other & (p["ethnic"].to_numpy() == group)
        person_origin[sel] = origins[group][rng.integers(0, len(origins[group]), int(sel.sum()))]
    use_origin = migrant[fid] & came_after_birth & (rng.random(n) < 0.9)
    prefix = np.where(use_origin, person_origin, local)
    female = p["female"].to_numpy()
    stem = prefix + ddmmyy(p["lahir"].to_numpy(), female)
    p["nik"] = stem + _serials(stem, rng)

    # No. KK: issuing kecamatan + issue date + serial.
    head = p[p["rel"] == R_HEAD].drop_duplicates("fid").set_index("fid")
    head_born = head["lahir"].reindex(np.arange(len(fam))).to_numpy().astype("datetime64[D]")
    earliest = np.maximum(
        head_born + np.timedelta64(int(17 * YEAR), "D"), np.datetime64("2008-01-01")
    )
    span = np.maximum((ref64 - earliest).astype(np.int64), 1)
    issued = earliest + (rng.random(len(fam)) * span).astype("timedelta64[D]")
    kk_kec = np.where(
        rng.random(len(fam)) < 0.93, fam_kec, kec_digits[rng.integers(0, len(kec_digits), len(fam))]
    )
    kk_stem = kk_kec + ddmmyy(issued, np.zeros(len(fam), dtype=bool))
    # KK serials start at 1000 (NIK serials per birth date stay far below), so that no KK
    # number equals a NIK and linkage cannot confuse the two.
    kk = kk_stem + _serials(kk_stem, rng, start=1000 + rng.integers(0, 4000, len(fam)))
    if pd.Series(kk).isin(frozenset(p["nik"])).any() or not pd.Series(kk).is_unique:
        raise RuntimeError("KK numbers collide with NIKs; the serial ranges overlap")
    fam["no_kk"] = kk
    p["no_kk"] = kk[fid]
    p["kode_desa"] = fam["kode_desa"].to_numpy()[fid]


def _born(p: pd.DataFrame) -> np.ndarray:
    """Birth dates as datetime64[D] (pandas keeps them in seconds)."""
    return p["lahir"].to_numpy().astype("datetime64[D]")


def _age_years(p: pd.DataFrame, ref64: np.datetime64) -> np.ndarray:
    return (ref64 - _born(p)).astype(np.int64) / YEAR


def _serials(stem: np.ndarray, rng: np.random.Generator, start: np.ndarray | int = 1) -> np.ndarray:
    """Four-digit serials counting up within each 12-digit stem, in random order, from ``start``
    (per row: the first row of a stem in that order sets the stem's start)."""
    order = rng.permutation(len(stem))
    s = pd.Series(stem[order])
    count = s.groupby(s, sort=False).cumcount().to_numpy()
    first = (
        pd.Series(np.broadcast_to(np.asarray(start), len(stem))[order])
        .groupby(s.to_numpy(), sort=False)
        .transform("first")
        .to_numpy()
    )
    serial = np.empty(len(stem), dtype=np.int64)
    serial[order] = first + count
    if serial.max(initial=0) > 9999:
        raise RuntimeError("more than 9,999 numbers share one region and date")
    return np.char.zfill(serial.astype(str), 4).astype(object)


def _person_names(fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator) -> None:
    n = len(p)
    born_year = ymd(p["lahir"].to_numpy())[0]
    young = born_year >= 2005
    female = p["female"].to_numpy()
    ethnic = p["ethnic"].to_numpy()
    christian = fam["christian"].to_numpy()[p["fid"].to_numpy()]
    first = np.empty(n, dtype=object)
    second = np.full(n, "", dtype=object)
    for group in names.ETHNIC:
        for fem in (False, True):
            sel = (ethnic == group) & (female == fem) & ~young
            m = int(sel.sum())
            pool = (names.FEMALE_OLD if fem else names.MALE_OLD)[group]
            first[sel] = names.draw(rng, pool, m)
            # older people's second element: clan, Dayak element, or a common Muslim one
            if group in names.CLAN_GROUPS:
                second[sel] = names.draw(rng, names.CLAN[group], m)
            elif group == "dayak":
                second[sel] = np.where(
                    rng.random(m) < 0.5, names.draw(rng, names.DAYAK_ELEMENT, m), ""
                )
            else:
                pool2 = names.FEMALE_SECOND if fem else names.MUSLIM_SECOND
                single = 0.55 if group == "jawa" else 0.35
                second[sel] = np.where(rng.random(m) < single, "", names.draw(rng, pool2, m))
    for chr_ in (False, True):
        for fem in (False, True):
            sel = young & (female == fem) & (christian == chr_)
            pool = (names.FEMALE_YOUNG if fem else names.MALE_YOUNG)[chr_]
            first[sel] = names.draw(rng, pool, int(sel.sum()))
            m = int(sel.sum())
            pool2 = names.FEMALE_SECOND if fem else names.MUSLIM_SECOND
            second[sel] = np.where(rng.random(m) < 0.45, "", names.draw(rng, pool2, m))
    # Some Bugis men of standing carry "Andi".
    andi = (ethnic == "bugis") & ~female & ~young & (rng.random(n) < 0.06)
    first[andi] = "Andi " + first[andi]
    base = pd.Series(first) + np.where(second == "", "", " ") + pd.Series(second)
    # Children carry their father's last name element (always in clan groups, often otherwise).
    father = p["father"].to_numpy()
    has_father = father >= 0
    father_last = np.full(n, "", dtype=object)
    father_last[has_father] = base.to_numpy()[father[has_father]]
    father_last = pd.Series(father_last).str.rsplit(" ", n=1).str[-1].to_numpy()
    clan = np.isin(ethnic, sorted(names.CLAN_GROUPS))
    carry = (
        has_father
        & (clan | (rng.random(n) < 0.4))
        & ~np.isin(p["rel"].to_numpy(), [R_HEAD, R_ISTRI])
    )
    with_father = pd.Series(first) + " " + pd.Series(father_last)
    nama = np.where(carry, with_father.to_numpy(), base.to_numpy())
    # Avoid "Sutrisno Sutrisno" when a child's first name equals the element.
    p["nama"] = pd.Series(nama).str.replace(r"\b(\w+) \1$", r"\1", regex=True).to_numpy()


#: Share of young childless couples whose wife is a child bride of 14 (rare; each pregnant).
CHILD_BRIDE_SHARE = 0.02
# The wish for another child ('Ingin Punya Anak Lagi') by the wife's own children (0, 1, 2+) and
# for wives of 40 or more: shares of ya_segera, ya_nanti, tidak and unknown (blank).
WISH = ("ya_segera", "ya_nanti", "tidak", "")
WISH_P = {
    0: (0.70, 0.20, 0.02, 0.08),
    1: (0.30, 0.45, 0.15, 0.10),
    2: (0.10, 0.25, 0.55, 0.10),
    40: (0.05, 0.10, 0.75, 0.10),
}


def _child_brides(
    fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator, ref64: np.datetime64
) -> None:
    """Make the wife of a few young childless couples 14 years old (``_reproductive`` makes her
    pregnant): married under 15 happens, and such a family must be a target."""
    young = np.flatnonzero(fam["template"].to_numpy() == "couple_young")
    chosen = young[rng.random(len(young)) < CHILD_BRIDE_SHARE]
    wife = np.flatnonzero(np.isin(p["fid"].to_numpy(), chosen) & (p["rel"].to_numpy() == R_ISTRI))
    days = np.floor(rng.uniform(14.05, 14.95, len(wife)) * YEAR).astype(np.int64)
    p.loc[p.index[wife], "lahir"] = ref64 - days.astype("timedelta64[D]")


def _wish_for_child(p: pd.DataFrame, rng: np.random.Generator, ref64: np.datetime64) -> None:
    """Each married woman's (10-49) wish for another child, by her children and age (`WISH_P`);
    a couple using a modern method seldom wants a child soon."""
    n = len(p)
    age_y = _age_years(p, ref64)
    cand = p["female"].to_numpy() & (p["kawin"].to_numpy() == K_KAWIN)
    cand &= (age_y >= 10) & (age_y < 50)
    mother = p["mother"].to_numpy()
    n_kids = np.bincount(mother[mother >= 0], minlength=n)
    key = np.where(age_y >= 40, 40, np.minimum(n_kids, 2))
    probs = np.array([WISH_P[k] for k in (0, 1, 2, 40)])[np.where(key == 40, 3, key)]
    user = np.isin(p["kontrasepsi"].to_numpy(), MODERN)
    probs[user, 0] *= 0.2
    cum = (probs / probs.sum(axis=1, keepdims=True)).cumsum(axis=1)
    pick = (rng.random(n)[:, None] > cum).sum(axis=1).clip(0, len(WISH) - 1)
    wish = np.array(WISH, dtype=object)[pick]
    p["ingin_anak"] = np.where(cand, wish, "")


def _reproductive(
    fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator, ref64: np.datetime64
) -> None:
    """Pregnancy and contraception of married women 10-49 (the couple's method may sit with the
    husband: MOP and condoms are recorded on him); a child bride (under 15) is pregnant."""
    n = len(p)
    age_y = _age_years(p, ref64)
    female = p["female"].to_numpy()
    married = p["kawin"].to_numpy() == K_KAWIN
    cand = female & married & (age_y >= 10) & (age_y < 50)
    v = fam["v"].to_numpy()[p["fid"].to_numpy()]
    # youngest own child of each woman
    mother = p["mother"].to_numpy()
    kids = mother >= 0
    youngest = np.full(n, np.inf)
    np.minimum.at(youngest, mother[kids], age_y[kids])
    n_kids = np.bincount(mother[kids], minlength=n)
    base = np.select(
        [age_y < 30, age_y < 35, age_y < 40, age_y < 45], [0.085, 0.06, 0.03, 0.01], 0.002
    )
    factor = np.select([youngest < 0.75, youngest < 1.5, n_kids == 0], [0.1, 0.6, 2.2], 1.0)
    hamil = cand & ((rng.random(n) < base * factor) | (age_y < 15))
    p["hamil"] = hamil
    # Modern contraception: less in vulnerable families, before a first child and near 50.
    logit = 2.7 - 0.45 * v - 1.6 * (n_kids == 0) - 0.7 * (age_y >= 45) + 0.25 * (n_kids >= 2)
    modern = cand & ~hamil & (rng.random(n) < 1.0 / (1.0 + np.exp(-logit)))
    method = np.array(MODERN, dtype=object)[rng.choice(len(MODERN), n, p=MODERN_P)]
    non_modern = np.array(["tidak_kb", "mal", "tradisional"], dtype=object)[
        rng.choice(3, n, p=[0.8, 0.05, 0.15])
    ]
    kb = np.full(n, "", dtype=object)
    kb[cand] = np.where(modern[cand], method[cand], non_modern[cand])
    kb[hamil] = "tidak_kb"
    # Male methods go on the husband's row when he is in the KK (the head of a wife).
    male_method = np.isin(kb, ["mop", "kondom"])
    wife_of_head = male_method & (p["rel"].to_numpy() == R_ISTRI)
    fid = p["fid"].to_numpy()
    head_row = pd.Series(
        np.flatnonzero(p["rel"].to_numpy() == R_HEAD), index=fid[p["rel"].to_numpy() == R_HEAD]
    )
    husbands = head_row.reindex(fid[wife_of_head]).to_numpy().astype(np.int64)
    kb[husbands] = kb[wife_of_head]
    kb[wife_of_head] = ""
    kb[male_method & ~wife_of_head] = "suntik"
    p["kontrasepsi"] = kb


def _household(
    fam: pd.DataFrame, p: pd.DataFrame, villages: Villages, rng: np.random.Generator
) -> None:
    """Water, latrine, house, address and coordinates of each family."""
    n = len(fam)
    v = fam["v"].to_numpy()
    urban = fam["urban"].to_numpy()
    unsafe_w = rng.random(n) < 1.0 / (1.0 + np.exp(-(-2.75 + 1.05 * v - 0.5 * urban)))
    safe_p = np.where(urban[:, None], [0.45, 0.30, 0.15, 0.10], [0.35, 0.08, 0.25, 0.32])
    safe_choice = (rng.random(n)[:, None] > safe_p.cumsum(axis=1)).sum(axis=1).clip(0, 3)
    unsafe_choice = rng.choice(len(UNSAFE_WATER), n, p=[0.35, 0.10, 0.30, 0.20, 0.05])
    fam["sumber_air"] = np.where(
        unsafe_w,
        np.array(UNSAFE_WATER, dtype=object)[unsafe_choice],
        np.array(SAFE_WATER, dtype=object)[safe_choice],
    )
    unsafe_j = rng.random(n) < 1.0 / (1.0 + np.exp(-(-2.75 + 1.05 * v - 0.4 * urban)))
    fam["jamban"] = np.where(
        unsafe_j,
        np.where(rng.random(n) < 0.65, UNSAFE_LATRINE[0], UNSAFE_LATRINE[1]),
        np.where(rng.random(n) < 0.85, SAFE_LATRINE[0], SAFE_LATRINE[1]),
    )
    fam["rumah_layak"] = ~(rng.random(n) < 1.0 / (1.0 + np.exp(-(-2.3 + 1.0 * v))))

    # Address: RT numbered within the village in roster order; dusun groups RTs; RW in towns.
    village = fam["village"].to_numpy()
    per_village = np.bincount(village, minlength=len(villages))
    rank = pd.Series(village).groupby(village).cumcount().to_numpy()
    n_rt = np.maximum(1, np.round(per_village / 45.0)).astype(np.int64)
    rt = 1 + rank * n_rt[village] // np.maximum(per_village[village], 1)
    n_dusun = np.clip(np.round(n_rt / 4.0), 1, len(ROMAN)).astype(np.int64)
    dusun_no = 1 + (rt - 1) * n_dusun[village] // n_rt[village]
    kel = villages.kelurahan[village]
    fam["dusun"] = np.where(kel, "", "Dusun " + np.array(ROMAN, dtype=object)[dusun_no - 1])
    fam["rt"] = np.char.zfill(rt.astype(str), 3).astype(object)
    big = per_village[village] > 1200
    rw = 1 + (rt - 1) // 8
    fam["rw"] = np.where(kel | big, np.char.zfill(rw.astype(str), 2).astype(object), "")
    # each village uses a handful of streets
    streets = np.array(STREETS, dtype=object)
    street_of_rt = rng.integers(0, len(streets), (len(villages), int(n_rt.max()) + 1))
    street = streets[street_of_rt[village, rt]]
    number = rng.integers(1, 160, n)
    poros = ~kel & (rng.random(n) < 0.25)
    km = rng.integers(1, 40, n)
    alamat = np.where(
        poros,
        "Jl. Poros " + villages.nama[village] + " Km " + km.astype(str),
        "Jl. " + street + " No. " + number.astype(str),
    )
    gang = ~poros & (rng.random(n) < 0.2)
    alamat = np.where(gang, "Gg. " + street + " No. " + number.astype(str), alamat)
    fam["alamat"] = alamat
    # Coordinates: an RT cluster around the village point, then the house.
    sigma = np.where(kel, 0.012, 0.008)
    rt_dx = rng.normal(0.0, 1.0, (len(villages), int(n_rt.max()) + 1, 2))
    lat = villages.lat[village] + sigma * rt_dx[village, rt, 0] + rng.normal(0, 0.0015, n)
    lng = villages.lng[village] + sigma * rt_dx[village, rt, 1] + rng.normal(0, 0.0015, n)
    fam["lintang"] = np.round(lat, 6)
    fam["bujur"] = np.round(lng, 6)
    fam["anggota"] = np.bincount(p["fid"].to_numpy(), minlength=n)


def _welfare(fam: pd.DataFrame, p: pd.DataFrame, rng: np.random.Generator) -> None:
    """P3KE deciles 1-4 for the poorest 40 % of registered families, social assistance flags
    and, for some, per-capita spending."""
    n = len(fam)
    unsafe = ~fam["sumber_air"].isin(SAFE_WATER).to_numpy()
    no_latrine = fam["jamban"].isin(UNSAFE_LATRINE).to_numpy()
    score = (
        -1.2 * fam["v"].to_numpy()
        + rng.normal(0.0, 0.5, n)
        - 0.05 * (fam["anggota"].to_numpy() - 3.6)
        - 0.4 * unsafe
        - 0.4 * no_latrine
        - 0.3 * ~fam["rumah_layak"].to_numpy()
    )
    reg = fam["in_keluarga"].to_numpy()
    desil = np.zeros(n, dtype=np.int64)
    order = np.argsort(score[reg], kind="stable")
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order))
    d = 1 + ranks * 10 // len(order)
    desil[np.flatnonzero(reg)] = np.where(d <= 4, d, 0)
    fam["desil"] = desil
    pkh_p = np.array([0.0, 0.55, 0.40, 0.20, 0.08])[desil]
    fam["pkh"] = rng.random(n) < pkh_p
    fam["bpnt"] = rng.random(n) < np.minimum(pkh_p + 0.12, 0.9) * (desil > 0)
    known = (desil > 0) & (rng.random(n) < 0.6)
    median = np.array([0.0, 330_000, 430_000, 530_000, 660_000])[desil]
    spend = np.round(median * rng.lognormal(0.0, 0.18, n), -3)
    fam["pengeluaran"] = np.where(known, spend, np.nan)
