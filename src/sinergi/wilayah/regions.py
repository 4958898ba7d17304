"""Kemendagri region codes (kode wilayah): lookup, hierarchy and name resolution.

Codes have the shape ``PP.KK.CC.DDDD`` (province, regency/city, kecamatan, village). A village whose
four-digit part starts with 1 is a kelurahan, with 2 a desa (a few Papuan "desa adat" start with 3).
The bundled table is Kepmendagri No 300.2.2-2138 Tahun 2025 (see ``sinergi/data/ATTRIBUTION.md``).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Literal

from sinergi.messages import Lang, t
from sinergi.settings import package_data

Tingkat = Literal["provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"]

#: Levels from the top down; the index is the number of dots in the code.
TINGKAT: tuple[Tingkat, ...] = ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")

_PART_LENGTHS = (2, 2, 2, 4)
_CODE_LENGTH = {"provinsi": 2, "kabupaten_kota": 5, "kecamatan": 8, "desa_kelurahan": 13}
_UNDOTTED_SPLITS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}


@dataclass(frozen=True, slots=True)
class Region:
    """One region: ``kode`` is dotted (``64.08.01.2001``)."""

    kode: str
    nama: str
    tingkat: str

    @property
    def parent_kode(self) -> str | None:
        """Code of the region directly above, or None for a province."""
        head, sep, _ = self.kode.rpartition(".")
        return head if sep else None

    @property
    def digits(self) -> str:
        """The code without dots (``6408012001``), as in NIK/KK prefixes and some exports."""
        return self.kode.replace(".", "")

    @property
    def is_village(self) -> bool:
        return self.tingkat == "desa_kelurahan"

    @property
    def is_kelurahan(self) -> bool:
        """A village (desa/kelurahan level) whose four-digit part starts with 1."""
        return self.is_village and self.kode[9] == "1"

    @property
    def is_desa(self) -> bool:
        """A village that is not a kelurahan (desa, including Papua's desa adat)."""
        return self.is_village and not self.is_kelurahan

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


def normalize_code(text: str) -> str | None:
    """Canonical dotted form of a region code, or None when the text is not code-shaped.

    Accepts 2, 4, 6 or 10 digits with or without dots (``"6408012001"``, ``"64.08.01.2001"``,
    ``" 64.08 "``). Only the shape is checked; whether the region exists is :meth:`Wilayah.get`'s job.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text.isascii():
        return None
    if "." in text:
        parts = text.split(".")
        if len(parts) > len(_PART_LENGTHS):
            return None
        for part, length in zip(parts, _PART_LENGTHS, strict=False):
            if len(part) != length or not part.isdigit():
                return None
        return text
    splits = _UNDOTTED_SPLITS.get(len(text))
    if splits is None or not text.isdigit():
        return None
    parts, start = [], 0
    for length in splits:
        parts.append(text[start : start + length])
        start += length
    return ".".join(parts)


def tingkat_of(code: str) -> Tingkat:
    """Level of a dotted canonical code (by its shape)."""
    return TINGKAT[code.count(".")]


# --- errors ------------------------------------------------------------------------------------


class UnknownRegionCode(LookupError):
    """A region code that is malformed or absent from the Kemendagri table."""

    def __init__(self, code: object) -> None:
        super().__init__(f"unknown region code: {code!r}")
        self.region_code = code


class RegionNameError(ValueError):
    """A region name that could not be resolved to exactly one code."""

    code: ClassVar[str] = ""

    def __init__(self, name: str, parent: Region | None, candidates: list[Region]) -> None:
        self.name = name
        self.parent = parent
        self.candidates = candidates
        super().__init__(self.message())

    def parent_label(self) -> str:
        return str(self.parent) if self.parent is not None else "Indonesia"

    def message_kwargs(self, lang: Lang = "id") -> dict[str, str]:
        """Keyword arguments for ``messages.t(self.code, lang, **kwargs)``."""
        return {
            "name": self.name,
            "parent": self.parent_label(),
            "candidates": ", ".join(f"{c.nama} ({c.kode})" for c in self.candidates),
        }

    def message(self, lang: Lang = "id") -> str:
        return t(self.code, lang, **self.message_kwargs(lang))


class UnknownRegionName(RegionNameError):
    """No region of that name; ``candidates`` holds up to five close spellings."""

    code: ClassVar[str] = "nama_wilayah_tidak_dikenal"

    def message_kwargs(self, lang: Lang = "id") -> dict[str, str]:
        kwargs = super().message_kwargs(lang)
        if self.candidates:
            lead = " Mungkin maksudnya: " if lang == "id" else " Did you mean: "
            kwargs["candidates"] = f"{lead}{kwargs['candidates']}?"
        return kwargs


class AmbiguousRegionName(RegionNameError):
    """Several regions match the name equally well; ``candidates`` holds all of them."""

    code: ClassVar[str] = "nama_wilayah_ambigu"


# --- name normalization ------------------------------------------------------------------------

#: Known spelling variants, on names squeezed to lowercase letters and digits: variant -> the
#: spelling used in the Kemendagri table. Applied as substring replacements to both sides.
SPELLING_VARIANTS: dict[str, str] = {
    "kongbeng": "kombeng",  # Kecamatan Kombeng (64.08.08) and Kombeng Indah, often "Kongbeng"
}

#: Common short forms of whole names (squeezed, prefix removed) -> the squeezed table name.
NAME_ALIASES: dict[str, str] = {
    "dkijakarta": "daerahkhususibukotajakarta",
    "diyogyakarta": "daerahistimewayogyakarta",
    "diy": "daerahistimewayogyakarta",
}

#: Generic folds of old (pre-1972) and loose spellings, applied after the variant table. Each was
#: checked against the whole table: it merges no two sibling names that were distinct before
#: (``tests/test_wilayah.py::test_generic_folds_merge_no_siblings``).
GENERIC_FOLDS: tuple[tuple[str, str], ...] = (
    ("oe", "u"),  # Soerabaja -> Surabaja
    ("tj", "c"),  # Tjilatjap -> Cilacap
    ("dj", "j"),  # Djawa -> Jawa
    ("j", "y"),  # Surabaja -> Surabaya (old j; modern j is folded alike on both sides)
    ("bh", "b"),  # Karya Bhakti -> Karya Bakti
)

#: Prefixes an officer may write before a name, per level; the value says which regions the prefix
#: points at when a bare name is ambiguous.
_PREFIXES: dict[str, dict[str, Callable[[Region], bool]]] = {
    "provinsi": {"provinsi": lambda r: True, "prov": lambda r: True},
    "kabupaten_kota": {
        "kabupaten": lambda r: r.nama.startswith("Kabupaten"),
        "kab": lambda r: r.nama.startswith("Kabupaten"),
        "kota": lambda r: r.nama.startswith("Kota"),
    },
    "kecamatan": {
        "kecamatan": lambda r: True,
        "kec": lambda r: True,
        "distrik": lambda r: True,
    },
    "desa_kelurahan": {
        "desa": lambda r: r.is_desa,
        "ds": lambda r: r.is_desa,
        "kelurahan": lambda r: r.is_kelurahan,
        "kel": lambda r: r.is_kelurahan,
    },
}

_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: Doubled letters written single (Sangatta / Sangata); not "i", which would merge "I" and "II".
_DOUBLED = re.compile(r"([a-hj-z])\1+")


def _base_key(text: str) -> str:
    """Lowercase ASCII words: accents dropped, apostrophes removed, other punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


def _split_prefix(key: str, tingkat: str) -> tuple[str | None, str]:
    """(prefix, rest) when a base key starts with an administrative word of that level."""
    head, _, rest = key.partition(" ")
    if rest and head in _PREFIXES.get(tingkat, {}):
        return head, rest
    return None, key


def _fold(squeezed: str, generic: bool) -> str:
    squeezed = NAME_ALIASES.get(squeezed, squeezed)
    for variant, canonical in SPELLING_VARIANTS.items():
        squeezed = squeezed.replace(variant, canonical)
    if generic:
        for old, new in GENERIC_FOLDS:
            squeezed = squeezed.replace(old, new)
        squeezed = _DOUBLED.sub(r"\1", squeezed)
    return squeezed


def name_keys(name: str, tingkat: str) -> tuple[str, str, str, str]:
    """Match keys of a name from the strictest to the loosest.

    1. words, case and punctuation ignored; 2. without an administrative prefix ("Desa", "Kec.");
    3. spacing ignored and known variants (Kongbeng) mapped; 4. generic spelling folds.
    """
    base = _base_key(name)
    _, stripped = _split_prefix(base, tingkat)
    squeezed = stripped.replace(" ", "")
    return base, stripped, _fold(squeezed, generic=False), _fold(squeezed, generic=True)


class _NameIndex:
    """Name keys of the regions of one level under one parent."""

    def __init__(self, regions: list[Region], tingkat: str) -> None:
        self.regions = regions
        self.tingkat = tingkat
        self.tiers: list[dict[str, list[Region]]] = [{}, {}, {}, {}]
        for region in regions:
            for tier, key in zip(self.tiers, name_keys(region.nama, tingkat), strict=True):
                tier.setdefault(key, []).append(region)

    def lookup(self, name: str) -> list[Region]:
        """Regions matched by the strictest tier that matches at all (empty when none)."""
        keys = name_keys(name, self.tingkat)
        prefix, _ = _split_prefix(keys[0], self.tingkat)
        for tier, key in zip(self.tiers, keys, strict=True):
            found = tier.get(key) if key else None
            if not found:
                continue
            if len(found) > 1 and prefix is not None:
                hinted = [r for r in found if _PREFIXES[self.tingkat][prefix](r)]
                if hinted:
                    return hinted
            return list(found)
        return []

    def close(self, name: str, n: int = 5) -> list[Region]:
        """Up to ``n`` regions whose names are spelled closest to ``name``."""
        _, stripped, _, _ = name_keys(name, self.tingkat)
        by_key = self.tiers[1]
        out: list[Region] = []
        for key in difflib.get_close_matches(stripped, list(by_key), n=n, cutoff=0.6):
            out.extend(by_key[key])
        return out[:n]


# --- the table ---------------------------------------------------------------------------------


class Wilayah:
    """The Kemendagri region table, indexed by code.

    Codes are kept sorted, so the regions below a code form one contiguous run (``64.08.`` up to
    ``64.08/``); Region objects are created when first asked for.
    """

    def __init__(self, path: Path | None = None) -> None:
        path = path or package_data("wilayah", "wilayah.csv")
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            if header[:3] != ["kode", "nama", "tingkat"]:
                raise ValueError(f"{path}: expected columns kode,nama,tingkat, got {header}")
            rows = list(reader)
        rows.sort()
        columns = list(zip(*rows, strict=True)) if rows else [(), (), ()]
        self._codes: list[str] = list(columns[0])
        self._names: list[str] = list(columns[1])
        self._levels: list[str] = list(columns[2])
        self._pos: dict[str, int] = dict(zip(self._codes, range(len(self._codes)), strict=True))
        if len(self._pos) != len(self._codes):
            raise ValueError(f"{path}: duplicate region codes")
        self._regions: list[Region | None] = [None] * len(self._codes)
        self._name_indexes: dict[tuple[str | None, str], _NameIndex] = {}
        self._population: dict[str, int] | None = None
        self._area: dict[str, float] | None = None

    def _region(self, i: int) -> Region:
        region = self._regions[i]
        if region is None:
            region = Region(self._codes[i], self._names[i].strip(), self._levels[i])
            self._regions[i] = region
        return region

    def _span(self, code: str | None) -> range:
        """Positions of the regions strictly below ``code`` (all regions for None)."""
        if code is None:
            return range(len(self._codes))
        return range(bisect_left(self._codes, code + "."), bisect_left(self._codes, code + "/"))

    # lookup and hierarchy

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def __iter__(self) -> Iterator[Region]:
        return (self._region(i) for i in range(len(self._codes)))

    def get(self, code: str) -> Region | None:
        """The region of a code in any accepted form, or None."""
        canonical = normalize_code(code)
        i = self._pos.get(canonical) if canonical else None
        return None if i is None else self._region(i)

    def name(self, code: str, default: str | None = None) -> str:
        """The region's name; ``default`` (the code itself when None) for an unknown code."""
        region = self.get(code)
        if region is not None:
            return region.nama
        return code if default is None else default

    def require(self, code: str) -> Region:
        """Like :meth:`get` but raises :class:`UnknownRegionCode`."""
        region = self.get(code)
        if region is None:
            raise UnknownRegionCode(code)
        return region

    def regions(self, tingkat: str | None = None) -> list[Region]:
        """All regions, or those of one level, in code order."""
        return self.descendants(None, tingkat)

    def provinces(self) -> list[Region]:
        return self.descendants(None, "provinsi")

    def parents(self, code: str) -> list[Region]:
        """Regions above ``code``: province first, direct parent last."""
        region = self.require(code)
        parts = region.kode.split(".")
        return [self._region(self._pos[".".join(parts[:i])]) for i in range(1, len(parts))]

    def children(self, code: str) -> list[Region]:
        """Regions directly below ``code``, sorted by code."""
        region = self.require(code)
        depth = region.kode.count(".") + 1
        if depth >= len(TINGKAT):
            return []
        return self.descendants(region.kode, TINGKAT[depth])

    def descendants(self, code: str | None, tingkat: str | None = None) -> list[Region]:
        """Regions below ``code`` (the whole country for None), optionally of one level, by code."""
        start = None if code is None else self.require(code).kode
        span = self._span(start)
        if tingkat is None:
            return [self._region(i) for i in span]
        if tingkat not in _CODE_LENGTH:
            raise ValueError(f"unknown tingkat {tingkat!r}; expected one of {', '.join(TINGKAT)}")
        length, codes = _CODE_LENGTH[tingkat], self._codes
        return [self._region(i) for i in span if len(codes[i]) == length]

    def villages(self, code: str) -> list[Region]:
        """All desa/kelurahan under a regency (or province, or kecamatan), by code."""
        return self.descendants(code, "desa_kelurahan")

    def is_kecamatan_prefix(self, six_digits: str) -> bool:
        """Whether the first six digits of a NIK/KK (``640801``) name an existing kecamatan."""
        canonical = normalize_code(six_digits)
        if canonical is None or canonical.count(".") != 2:
            return False
        return canonical in self._pos

    # names

    def _index(self, parent: str | None, tingkat: str) -> _NameIndex:
        key = (parent, tingkat)
        index = self._name_indexes.get(key)
        if index is None:
            index = _NameIndex(self.descendants(parent, tingkat), tingkat)
            self._name_indexes[key] = index
        return index

    def resolve(self, name: str, parent_code: str | None, tingkat: str | None = None) -> str:
        """Code of the region called ``name`` under ``parent_code``.

        Searches the level directly below the parent, or ``tingkat`` (any deeper level) when
        given; ``parent_code=None`` searches the whole country. Tolerates case, spacing,
        punctuation, administrative prefixes ("Desa ", "Kel. ", "Kec. ") and known spelling
        variants (Kongbeng = Kombeng).

        Raises :class:`UnknownRegionName` (with up to five close names) or
        :class:`AmbiguousRegionName` (with all matches).
        """
        parent = None if parent_code is None else self.require(parent_code)
        parent_depth = -1 if parent is None else TINGKAT.index(tingkat_of(parent.kode))
        if tingkat is None:
            if parent_depth + 1 >= len(TINGKAT):
                raise ValueError(f"{parent} is a village; it has no regions below it")
            tingkat = TINGKAT[parent_depth + 1]
        elif tingkat not in TINGKAT:
            raise ValueError(f"unknown tingkat {tingkat!r}; expected one of {', '.join(TINGKAT)}")
        elif TINGKAT.index(tingkat) <= parent_depth:
            raise ValueError(f"{tingkat} is not below {parent}")
        index = self._index(None if parent is None else parent.kode, tingkat)
        name_text = name if isinstance(name, str) else ""
        found = index.lookup(name_text)
        if len(found) == 1:
            return found[0].kode
        if found:
            raise AmbiguousRegionName(name_text, parent, found)
        raise UnknownRegionName(name_text, parent, index.close(name_text))

    def resolve_village(self, kecamatan_name: str, desa_name: str, regency_code: str) -> str:
        """Village code from kecamatan and desa/kelurahan names within a regency."""
        kecamatan = self.resolve(kecamatan_name, regency_code, "kecamatan")
        try:
            return self.resolve(desa_name, kecamatan, "desa_kelurahan")
        except UnknownRegionName as error:
            # The village may sit in another kecamatan of the regency: name those as candidates.
            elsewhere = self._index(self.require(regency_code).kode, "desa_kelurahan")
            found = elsewhere.lookup(error.name)
            if found:
                raise UnknownRegionName(error.name, error.parent, found[:5]) from None
            raise

    # statistics

    def population(self, code: str) -> int | None:
        """Population of a province or regency/city (penduduk.csv); None below that level."""
        if self._population is None:
            self._population = {
                row["kode"]: int(row["total"]) for row in _read_rows("penduduk.csv")
            }
        canonical = normalize_code(code)
        return self._population.get(canonical) if canonical else None

    def area_km2(self, code: str) -> float | None:
        """Area in km² of a province or regency/city (luas.csv); None below that level."""
        if self._area is None:
            self._area = {row["kode"]: float(row["luas_km2"]) for row in _read_rows("luas.csv")}
        canonical = normalize_code(code)
        return self._area.get(canonical) if canonical else None


def _read_rows(filename: str) -> list[dict[str, str]]:
    with package_data("wilayah", filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def get_wilayah() -> Wilayah:
    """The bundled region table, loaded once per process."""
    return Wilayah()
