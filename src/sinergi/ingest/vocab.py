"""Controlled vocabularies of the source files: canonical codes and the spellings officers use.

Each vocabulary maps a canonical code to the words seen in real spreadsheets. Matching is done on
a folded form (lower case, letters and digits only), so "Ledeng/PAM", "ledeng pam" and "LEDENG-PAM"
are one value.
"""

from __future__ import annotations

import re

_FOLD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    return _FOLD.sub("", text.lower())


VOCABULARIES: dict[str, dict[str, list[str]]] = {
    "hubungan": {
        "kepala_keluarga": ["Kepala Keluarga", "KK", "Kepala"],
        "suami": ["Suami"],
        "istri": ["Istri", "Isteri"],
        "anak": ["Anak", "Anak Kandung", "Anak Angkat", "Anak Tiri"],
        "menantu": ["Menantu"],
        "cucu": ["Cucu"],
        "orang_tua": ["Orang Tua", "Orangtua", "Ayah", "Ibu"],
        "mertua": ["Mertua"],
        "famili_lain": ["Famili Lain", "Keluarga Lain"],
        "lainnya": ["Lainnya", "Lain-lain", "Pembantu"],
    },
    "status_kawin": {
        "belum_kawin": ["Belum Kawin", "Belum Menikah", "Lajang"],
        "kawin": ["Kawin", "Menikah", "Kawin Tercatat", "Kawin Belum Tercatat"],
        "cerai_hidup": ["Cerai Hidup"],
        "cerai_mati": ["Cerai Mati"],
    },
    "kontrasepsi": {
        "tidak_kb": ["Tidak Ber-KB", "Tidak KB", "Tidak Menggunakan", "Tidak", "Belum KB"],
        "mow": ["MOW", "Tubektomi", "Steril Wanita"],
        "mop": ["MOP", "Vasektomi", "Steril Pria"],
        "iud": ["IUD/AKDR", "IUD", "AKDR", "Spiral"],
        "implan": ["Implan", "Implant", "Susuk", "AKBK"],
        "suntik": ["Suntik", "Suntikan"],
        "pil": ["Pil"],
        "kondom": ["Kondom"],
        "mal": ["MAL", "Metode Amenore Laktasi"],
        "tradisional": ["Tradisional", "Lainnya", "Kalender", "Senggama Terputus"],
    },
    # The wife's (couple's) wish for a child, as the PK form asks it: blank = unknown.
    "ingin_anak": {
        "ya_segera": ["Ya, Segera", "Ingin Segera", "Segera", "Ya Segera (< 2 Tahun)"],
        "ya_nanti": ["Ya, Nanti", "Ingin Nanti", "Nanti", "Ditunda", "Ya Nanti (> 2 Tahun)"],
        "tidak": ["Tidak", "Tidak Ingin", "Tidak Ingin Anak Lagi", "Tidak Lagi", "Cukup"],
    },
    "sumber_air": {
        "kemasan": ["Air Kemasan/Isi Ulang", "Air Kemasan", "Isi Ulang", "Air Isi Ulang", "Galon"],
        "ledeng": ["Ledeng/PAM", "Ledeng", "PAM", "PDAM", "Air Leding", "Perpipaan"],
        "sumur_bor": ["Sumur Bor", "Sumur Bor/Pompa", "Pompa"],
        "sumur_terlindung": ["Sumur Terlindung", "Sumur Gali Terlindung"],
        "sumur_tak_terlindung": ["Sumur Tak Terlindung", "Sumur Tidak Terlindung", "Sumur Gali"],
        "mata_air": ["Mata Air", "Mata Air Terlindung", "Mata Air Tak Terlindung"],
        "sungai_danau": ["Sungai/Danau", "Sungai", "Danau", "Air Permukaan"],
        "air_hujan": ["Air Hujan", "Penampungan Air Hujan", "PAH"],
        "lainnya": ["Lainnya", "Lain-lain"],
    },
    "jamban": {
        "sendiri_septik": ["Jamban Sendiri dengan Septic Tank", "Jamban Sendiri Septic Tank"],
        "bersama_septik": ["Jamban Bersama dengan Septic Tank", "Jamban Bersama Septic Tank"],
        "tanpa_septik": ["Jamban tanpa Septic Tank", "Jamban Tanpa Septik", "Cubluk"],
        "tidak_ada": ["Tidak Ada", "Tidak Punya", "BAB Sembarangan", "Tidak Ada Jamban"],
    },
    "cara_ukur": {
        "berdiri": ["Berdiri", "Tinggi Badan", "TB", "H", "Standing", "Height"],
        "berbaring": [
            "Berbaring",
            "Terlentang",
            "Telentang",
            "Panjang Badan",
            "PB",
            "L",
            "Lying",
            "Recumbent",
            "Length",
        ],
    },
    "status_intervensi": {
        "usulan": ["Usulan", "Diusulkan"],
        "terverifikasi": ["Terverifikasi", "Verifikasi", "Diverifikasi"],
        "disetujui": ["Disetujui", "Setuju"],
        "tersalurkan": ["Tersalurkan", "Disalurkan", "Selesai"],
        "ditolak": ["Ditolak", "Tolak"],
    },
    # A village's finding about a family (source kind ``verifikasi``), in display order.
    "hasil_verifikasi": {
        "ada": ["Ada", "Ditemukan", "Dikonfirmasi", "Terkonfirmasi", "Sesuai", "Benar"],
        "pindah": ["Pindah", "Pindah Domisili", "Pindah Alamat", "Sudah Pindah"],
        "meninggal": ["Meninggal", "Meninggal Dunia", "Wafat", "Almarhum", "Almarhumah"],
        "tidak_ditemukan": ["Tidak Ditemukan", "Tidak Dikenal", "Tidak Ada di Tempat"],
        "koreksi": ["Koreksi", "Perbaikan", "Perbaikan Data", "Ralat"],
    },
    "jaringan_air": {
        "belum_ada": ["Belum Ada", "Tidak Ada", "Belum"],
        "perencanaan": ["Perencanaan", "Rencana"],
        "konstruksi": ["Konstruksi", "Pembangunan", "Dibangun"],
        "beroperasi": ["Beroperasi", "Operasi", "Berfungsi"],
    },
}

# Labels shown to officers for each code (the first spelling of each vocabulary entry).
LABELS: dict[str, dict[str, str]] = {
    name: {code: words[0] for code, words in vocab.items()} for name, vocab in VOCABULARIES.items()
}

MODERN_CONTRACEPTION = frozenset({"mow", "mop", "iud", "implan", "suntik", "pil", "kondom"})

_LOOKUP: dict[str, dict[str, str]] = {
    name: {fold(word): code for code, words in vocab.items() for word in [code, *words]}
    for name, vocab in VOCABULARIES.items()
}


def lookup(vocabulary: str, text: str) -> str | None:
    """The canonical code of ``text`` in ``vocabulary``, or None when it is not a known spelling."""
    return _LOOKUP[vocabulary].get(fold(text))


def choices(vocabulary: str) -> str:
    return ", ".join(LABELS[vocabulary].values())
