"""Words shown to officers for the growth z-score results: categories, reasons, indicator names.

The codes in ``growth.py`` (``status_*`` values and ``alasan`` reason codes) are stable and are
written into files; the sentences here can be reworded freely. Category words follow the table
"Kategori dan Ambang Batas Status Gizi Anak" of Permenkes No. 2 Tahun 2020, which itself gives the
English term in brackets; Bahasa Indonesia first, English second.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]

# Indicator short names as used in the column suffixes (zs_tbu, status_bbtb, ...).
INDICATOR_LABELS: dict[Lang, dict[str, str]] = {
    "id": {
        "tbu": "Panjang/tinggi badan menurut umur (PB/U atau TB/U)",
        "bbu": "Berat badan menurut umur (BB/U)",
        "bbtb": "Berat badan menurut panjang/tinggi badan (BB/PB atau BB/TB)",
        "imtu": "Indeks massa tubuh menurut umur (IMT/U)",
        "lila": "Lingkar lengan atas menurut umur (LiLA/U)",
    },
    "en": {
        "tbu": "Length/height-for-age",
        "bbu": "Weight-for-age",
        "bbtb": "Weight-for-length/height",
        "imtu": "BMI-for-age",
        "lila": "Arm circumference-for-age",
    },
}

_WEIGHT_FOR_HEIGHT_ID = {
    "gizi_buruk": "Gizi buruk (severely wasted)",
    "gizi_kurang": "Gizi kurang (wasted)",
    "normal": "Gizi baik (normal)",
    "berisiko_gizi_lebih": "Berisiko gizi lebih (possible risk of overweight)",
    "gizi_lebih": "Gizi lebih (overweight)",
    "obesitas": "Obesitas (obese)",
}
_WEIGHT_FOR_HEIGHT_EN = {
    "gizi_buruk": "Severely wasted",
    "gizi_kurang": "Wasted",
    "normal": "Normal",
    "berisiko_gizi_lebih": "Possible risk of overweight",
    "gizi_lebih": "Overweight",
    "obesitas": "Obese",
}

# indicator -> status code -> label. IMT/U uses the same six categories as BB/PB (Permenkes 2/2020).
STATUS_LABELS: dict[Lang, dict[str, dict[str, str]]] = {
    "id": {
        "tbu": {
            "sangat_pendek": "Sangat pendek (severely stunted)",
            "pendek": "Pendek (stunted)",
            "normal": "Normal",
            "tinggi": "Tinggi",
        },
        "bbu": {
            "sangat_kurang": "Berat badan sangat kurang (severely underweight)",
            "kurang": "Berat badan kurang (underweight)",
            "normal": "Berat badan normal",
            "risiko_lebih": "Risiko berat badan lebih",
        },
        "bbtb": dict(_WEIGHT_FOR_HEIGHT_ID),
        "imtu": dict(_WEIGHT_FOR_HEIGHT_ID),
    },
    "en": {
        "tbu": {
            "sangat_pendek": "Severely stunted",
            "pendek": "Stunted",
            "normal": "Normal",
            "tinggi": "Tall",
        },
        "bbu": {
            "sangat_kurang": "Severely underweight",
            "kurang": "Underweight",
            "normal": "Normal weight",
            "risiko_lebih": "Risk of overweight",
        },
        "bbtb": dict(_WEIGHT_FOR_HEIGHT_EN),
        "imtu": dict(_WEIGHT_FOR_HEIGHT_EN),
    },
}

# Why an indicator could not be scored (codes of the ``alasan`` column).
REASON_LABELS: dict[Lang, dict[str, str]] = {
    "id": {
        "jk_tidak_valid": "Jenis kelamin kosong atau tidak dikenali (isi L/P).",
        "tgl_lahir_tidak_valid": "Tanggal lahir kosong atau tidak terbaca.",
        "tgl_ukur_tidak_valid": "Tanggal pengukuran kosong atau tidak terbaca.",
        "umur_kosong": "Umur (hari) kosong atau tidak terbaca.",
        "umur_negatif": "Tanggal pengukuran sebelum tanggal lahir.",
        "umur_lebih_60_bulan": "Umur 60 bulan atau lebih (di atas 1.826 hari): di luar standar WHO 0-5 tahun.",
        "berat_kosong": "Berat badan kosong.",
        "berat_tidak_positif": "Berat badan nol atau negatif.",
        "tinggi_kosong": "Panjang/tinggi badan kosong.",
        "tinggi_tidak_positif": "Panjang/tinggi badan nol atau negatif.",
        "berat_di_luar_batas_bbtb": "Berat badan di luar 0,9-58 kg: BB/PB atau BB/TB tidak dihitung.",
        "tinggi_di_luar_tabel_bbtb": (
            "Panjang badan di luar 45-110 cm (umur < 24 bulan) atau tinggi badan di luar 65-120 cm "
            "(umur 24 bulan ke atas): BB/PB atau BB/TB tidak dihitung."
        ),
        "lila_tidak_positif": "LiLA nol atau negatif.",
        "umur_kurang_91_hari_lila": "Umur di bawah 91 hari: LiLA/U belum dihitung (standar mulai 3 bulan).",
    },
    "en": {
        "jk_tidak_valid": "Sex is empty or not recognised (use L/P).",
        "tgl_lahir_tidak_valid": "Birth date is empty or unreadable.",
        "tgl_ukur_tidak_valid": "Measurement date is empty or unreadable.",
        "umur_kosong": "Age (days) is empty or unreadable.",
        "umur_negatif": "The measurement date is before the birth date.",
        "umur_lebih_60_bulan": "Age is 60 months or more (over 1,826 days): outside the WHO 0-5 year standard.",
        "berat_kosong": "Weight is empty.",
        "berat_tidak_positif": "Weight is zero or negative.",
        "tinggi_kosong": "Length/height is empty.",
        "tinggi_tidak_positif": "Length/height is zero or negative.",
        "berat_di_luar_batas_bbtb": "Weight outside 0.9-58 kg: weight-for-length/height not computed.",
        "tinggi_di_luar_tabel_bbtb": (
            "Length outside 45-110 cm (under 24 months) or height outside 65-120 cm "
            "(24 months and over): weight-for-length/height not computed."
        ),
        "lila_tidak_positif": "MUAC is zero or negative.",
        "umur_kurang_91_hari_lila": "Age under 91 days: MUAC-for-age starts at 3 months.",
    },
}

FLAG_LABELS: dict[Lang, str] = {
    "id": "Nilai z di luar batas wajar WHO; periksa ulang pengukuran dan tanggal.",
    "en": "z-score outside WHO plausibility limits; check the measurement and dates.",
}


def status_label(indicator: str, code: str | None, lang: Lang = "id") -> str:
    """The display words of a status code; an empty string for a row that was not scored."""
    if code is None or code != code:  # NaN from a pandas Categorical
        return ""
    return STATUS_LABELS[lang][indicator].get(code, code)


def reason_text(alasan: str | None, lang: Lang = "id") -> str:
    """The sentences for an ``alasan`` value (reason codes joined by ';')."""
    if not alasan or alasan != alasan:
        return ""
    labels = REASON_LABELS[lang]
    return " ".join(labels.get(code, code) for code in alasan.split(";") if code)
