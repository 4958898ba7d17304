"""Indonesian personal names made comparable: the one normaliser of the linkage.

Posyandu cadres, village operators and the civil registry write the same name in many ways. The
normal form removes what does not tell two people apart and keeps what does:

- case, punctuation and accents go; ``Hj.``, ``H.``, ``Dr.``, ``Ir.``, ``S.Pd`` and other titles
  and honorifics go; ``bin``/``binti`` and the father's name after them go ("Ahmad bin Yusuf");
- spellings of one name become one: ``Muhammad``/``Muhamad``/``Mohammad``/``Moh.``/``M.`` →
  ``muhammad``; ``St.`` → ``siti``; old spellings ``dj``→``j``, ``tj``→``c``, ``oe``→``u``,
  ``sj``→``sy``, ``ch`` and ``kh``→``h`` (Achmad/Akhmad/Ahmad); ``q``→``k``, a final ``y`` → ``i`` (Rizky/Rizki/Rizqi → rizki);
- doubled letters are written once (Annisa/Anisa → anisa);
- the compact form (``rapat``) joins the words, so "Nur Aisyah" and "Nuraisyah" are equal;
  the first word (``depan``) catches a nickname or a name written short ("Rizki" for "Rizki
  Ramadhan").

Everything works on whole pandas columns (vectorised ``str`` methods over the distinct names
only), so a million records are normalised in seconds.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

#: Titles and honorifics that are no part of a person's name (lower case, without dots).
TITLES = [
    "hj",
    "haji",
    "hajjah",
    "hajah",
    "h",
    "dr",
    "drs",
    "dra",
    "ir",
    "prof",
    "st",
    "sag",
    "spd",
    "spdi",
    "sh",
    "se",
    "sked",
    "skm",
    "amd",
    "ama",
    "mpd",
    "mm",
    "msi",
    "sst",
    "ssos",
    "sip",
    "skom",
    "sag",
    "sp",
    "bpk",
    "bapak",
    "ibu",
    "ny",
    "nyonya",
    "tn",
    "tuan",
    "sdr",
    "sdri",
    "an",
    "alm",
    "almh",
]
#: Spellings of Muhammad (as a whole word) written one way.
MUHAMMAD = [
    "muhammad",
    "muhamad",
    "muhammat",
    "muhamat",
    "mohammad",
    "mohamad",
    "mohammed",
    "mochammad",
    "mochamad",
    "mohamed",
    "muchammad",
    "muchamad",
    "mukhammad",
    "mukhamad",
    "muh",
    "moh",
    "moch",
    "mhd",
    "md",
    "m",
]

# Applied in order to a lower-case name without punctuation (regular expressions).
_SPELLING = (
    (r"dj", "j"),
    (r"tj", "c"),
    (r"oe", "u"),
    (r"sj", "sy"),
    (r"ch", "h"),
    (r"kh", "h"),
    (r"q", "k"),
    (r"ph", "f"),
    (r"y\b", "i"),
    (r"([a-z])\1+", r"\1"),
)


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def normalise(names: pd.Series) -> pd.DataFrame:
    """For each name: ``nama_norm`` (words, normal form), ``rapat`` (joined) and ``depan`` (the
    first word); missing or empty names give None in all three."""
    names = names.astype("string")
    distinct = pd.Series(names.dropna().unique(), dtype="string")
    words = (
        distinct.map(_ascii, na_action="ignore")
        .str.lower()
        .str.replace(r"[^a-z ]+", " ", regex=True)  # dots, commas, apostrophes, digits
        .str.replace(r"\b(bin|binti)\b.*$", "", regex=True)
        .str.split()
    )
    titles = frozenset(TITLES)
    muhammad = frozenset(MUHAMMAD)
    words = words.map(
        lambda ws: " ".join(
            "muhammad" if w in muhammad else "siti" if w == "st" and i == 0 else w
            for i, w in enumerate(ws)
            if w not in titles or (w == "st" and i == 0)
        )
    )
    norm = words.astype("string")
    for pattern, repl in _SPELLING:
        norm = norm.str.replace(pattern, repl, regex=True)
    norm = norm.str.strip().replace("", pd.NA)
    table = pd.DataFrame(
        {
            "nama_norm": norm.to_numpy(),
            "rapat": norm.str.replace(" ", "", regex=False).to_numpy(),
            "depan": norm.str.split(" ").str[0].to_numpy(),
        },
        index=distinct.to_numpy(),
    )
    out = table.reindex(names.to_numpy())
    out.index = names.index
    return out.astype(object).where(out.notna(), None)
