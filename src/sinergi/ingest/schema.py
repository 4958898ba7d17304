"""The kinds of source file: their columns, header aliases and value types.

A column is found in a header when its folded text (see ``fold_header``) equals the folded form
of its name or of one of its aliases. ``parser`` names a value parser from ``ingest.parsers``.
``level='family'`` columns repeat on every member row of a KK and must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Parser = Literal[
    "kk",
    "nik",
    "text",
    "date",
    "date_plan",
    "sex",
    "bool",
    "int",
    "money",
    "float",
    "desil",
    "region_code",
    "hubungan",
    "status_kawin",
    "kontrasepsi",
    "ingin_anak",
    "sumber_air",
    "jamban",
    "cara_ukur",
    "status_intervensi",
    "jaringan_air",
    "lat",
    "lng",
    "year",
    "hasil_verifikasi",
]


@dataclass(frozen=True)
class Column:
    name: str  # canonical field name (stored)
    header: str  # the header as formats.md writes it
    parser: Parser
    aliases: tuple[str, ...] = ()
    required: bool = False
    level: Literal["row", "family"] = "row"
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    columns: tuple[Column, ...]
    # Region may come as a code or as kecamatan + desa names.
    region: bool = True
    # Columns of which at least one must be present (and filled on each row).
    one_of: tuple[str, ...] = ()

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """The kind's own columns and the optional data date every kind accepts."""
        return (*self.columns, DATA_DATE)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


_HEADER_FOLD = re.compile(r"[\s._/\-]+")


def fold_header(text: str) -> str:
    """Header matching ignores case, spaces, dots, slashes, underscores and hyphens."""
    return _HEADER_FOLD.sub("", str(text).strip().lower())


REGION_COLUMNS = (
    Column(
        "kode_desa",
        "Kode Desa",
        "region_code",
        ("Kode Wilayah", "Kode Kemendagri", "Kode Desa/Kel", "Kode Kelurahan", "Kode Desa Kel"),
    ),
    Column("nama_kecamatan", "Kecamatan", "text", ("Nama Kecamatan", "Kec")),
    Column(
        "nama_desa",
        "Desa",
        "text",
        ("Nama Desa", "Desa/Kel", "Desa/Kelurahan", "Kelurahan", "Nama Desa/Kel", "Desa Kel"),
    ),
)

# The date the row's data describe: an optional column of every kind (like the region columns,
# kept beside each kind's own columns). Without it the batch's ``as_of`` is used, else the import
# date (see `sinergi.registry.importer`); an older row never overwrites a newer stored one (see
# `sinergi.registry.load`).
DATA_DATE = Column(
    "tanggal_data",
    "Tanggal Pendataan",
    "date",
    ("Tanggal Data", "Tgl Pendataan", "Tgl Data", "Tanggal Pemutakhiran"),
)

KELUARGA = Kind(
    "keluarga",
    "Data keluarga (PK / Verval KRS)",
    (
        Column(
            "no_kk",
            "No KK",
            "kk",
            ("Nomor KK", "No. Kartu Keluarga", "Nomor Kartu Keluarga", "KK"),
            True,
        ),
        Column("nik", "NIK", "nik", ("NIK Anggota", "Nomor Induk Kependudukan"), True),
        Column("nama", "Nama", "text", ("Nama Lengkap", "Nama Anggota"), True),
        Column("jenis_kelamin", "Jenis Kelamin", "sex", ("JK", "L/P", "Kelamin"), True),
        Column(
            "tanggal_lahir",
            "Tanggal Lahir",
            "date",
            ("Tgl Lahir", "TTL tanggal", "Tgl. Lahir"),
            True,
        ),
        Column(
            "hubungan",
            "Hubungan Keluarga",
            "hubungan",
            ("SHDK", "Status Hubungan", "Hub. KK", "Hubungan dengan KK", "Hubungan"),
            True,
        ),
        Column("status_kawin", "Status Kawin", "status_kawin", ("Status Perkawinan", "Kawin")),
        Column("hamil", "Hamil", "bool", ("Sedang Hamil", "Status Hamil")),
        Column("kontrasepsi", "Alat Kontrasepsi", "kontrasepsi", ("Metode KB", "KB", "Alat KB")),
        Column(
            "ingin_anak",
            "Ingin Punya Anak Lagi",
            "ingin_anak",
            ("Ingin Anak", "Keinginan Punya Anak", "Ingin Anak Lagi"),
        ),
        Column("alamat", "Alamat", "text", ("Alamat Lengkap",), level="family"),
        Column("dusun", "Dusun", "text", ("Dusun/Lingkungan", "Lingkungan"), level="family"),
        Column("rt", "RT", "text", (), level="family"),
        Column("rw", "RW", "text", (), level="family"),
        Column(
            "sumber_air",
            "Sumber Air Minum",
            "sumber_air",
            ("Sumber Air", "Air Minum"),
            level="family",
        ),
        Column(
            "jamban", "Jamban", "jamban", ("Fasilitas BAB", "Kepemilikan Jamban"), level="family"
        ),
        Column(
            "rumah_layak",
            "Rumah Layak Huni",
            "bool",
            ("RLH", "Kondisi Rumah", "Layak Huni"),
            level="family",
        ),
        Column("lintang", "Lintang", "lat", ("Latitude", "Lat"), level="family"),
        Column("bujur", "Bujur", "lng", ("Longitude", "Lng", "Long"), level="family"),
    ),
)

P3KE = Kind(
    "p3ke",
    "Data P3KE (desil kesejahteraan)",
    (
        Column("no_kk", "No KK", "kk", ("Nomor KK", "No. Kartu Keluarga"), True),
        Column("nik_kepala", "NIK Kepala Keluarga", "nik", ("NIK KK", "NIK Kepala"), False),
        Column("nama_kepala", "Nama Kepala Keluarga", "text", ("Nama KK", "Nama Kepala"), False),
        Column("alamat", "Alamat", "text", ("Alamat Lengkap",)),
        Column("desil", "Desil", "desil", ("Desil Kesejahteraan", "Peringkat Kesejahteraan"), True),
        Column("penerima_pkh", "Penerima PKH", "bool", ("PKH",)),
        Column("penerima_bpnt", "Penerima BPNT", "bool", ("BPNT",)),
        Column(
            "pengeluaran_per_kapita",
            "Pengeluaran per Kapita",
            "money",
            ("Pengeluaran Perkapita", "Pendapatan per Kapita"),
            low=0,
            high=100_000_000,
        ),
    ),
)

EPPGBM = Kind(
    "eppgbm",
    "Pengukuran anak (e-PPGBM)",
    (
        Column("nik_anak", "NIK", "nik", ("NIK Anak",)),
        Column("nama_anak", "Nama", "text", ("Nama Anak", "Nama Balita"), True),
        Column(
            "jenis_kelamin",
            "JK",
            "sex",
            ("Jenis Kelamin", "L/P", "Kelamin", "JK (L/P)", "Sex"),
            True,
        ),
        Column(
            "tanggal_lahir",
            "Tgl Lahir",
            "date",
            ("Tanggal Lahir", "Tgl Lahir Anak", "Tanggal Lahir Anak"),
            True,
        ),
        Column("nama_ortu", "Nama Ortu", "text", ("Nama Ibu", "Nama Orang Tua")),
        Column("nik_ortu", "NIK Orang Tua", "nik", ("NIK Ibu", "NIK Ortu")),
        Column("no_kk", "Nomor KK", "kk", ("No KK", "No. KK")),
        Column("posyandu", "Posyandu", "text", ("Nama Posyandu",)),
        Column("rt", "RT", "text"),
        Column("rw", "RW", "text"),
        Column(
            "tanggal_ukur",
            "Tanggal Pengukuran",
            "date",
            (
                "Tgl Ukur",
                "Tanggal Ukur",
                "Tgl Pengukuran",
                "Tanggal Penimbangan",
                "Tgl Penimbangan",
            ),
            True,
        ),
        Column(
            "berat",
            "Berat",
            "float",
            ("BB", "Berat Badan", "BB (kg)", "Berat (kg)", "Berat Badan (kg)"),
            False,
            low=0.5,
            high=40,
        ),
        Column(
            "tinggi",
            "Tinggi",
            "float",
            (
                "TB",
                "PB",
                "Tinggi Badan",
                "Panjang Badan",
                "TB/PB",
                "PB/TB",
                "TB (cm)",
                "PB (cm)",
                "Tinggi (cm)",
                "Tinggi Badan (cm)",
                "Panjang/Tinggi",
            ),
            False,
            low=35,
            high=140,
        ),
        Column("cara_ukur", "Cara Ukur", "cara_ukur", ("Cara Pengukuran", "Posisi Ukur")),
        Column("lila", "LiLA", "float", ("LILA (cm)", "Lingkar Lengan Atas"), low=5, high=30),
        Column("edema", "Edema", "bool", ("Oedema", "Bengkak Kaki")),
        # Grams, or kilograms when under 10 (2.8 is 2,800 g); validate turns it into whole grams
        # and warns, without storing it, about a value under 500 g or over 6,000 g.
        Column(
            "berat_lahir",
            "BB Lahir",
            "float",
            ("Berat Lahir", "Berat Badan Lahir", "BB Lahir (gram)", "Berat Lahir (gram)"),
            low=0,
        ),
    ),
)

INTERVENSI = Kind(
    "intervensi",
    "Daftar penerima / penyaluran intervensi",
    (
        Column("kode_program", "Kode Program", "text", ("Program",), True),
        Column("no_kk", "No KK", "kk", ("Nomor KK",)),
        Column("nik", "NIK", "nik", ("NIK Penerima",)),
        Column("nama", "Nama", "text", ("Nama Penerima",)),
        Column("tanggal", "Tanggal", "date", ("Tgl", "Tanggal Salur", "Tanggal Status"), True),
        Column("status", "Status", "status_intervensi", (), True),
        Column(
            "nilai",
            "Nilai",
            "money",
            ("Nilai (Rp)", "Nominal", "Jumlah"),
            low=0,
            high=10_000_000_000,
        ),
        Column("keterangan", "Keterangan", "text", ("Catatan", "Alasan")),
    ),
    one_of=("no_kk", "nik"),
)

DESA = Kind(
    "desa",
    "Data tingkat desa",
    (
        Column(
            "jaringan_air",
            "Jaringan Air Bersih",
            "jaringan_air",
            ("Status Jaringan Air", "Jaringan Air"),
            True,
        ),
        Column("tahun", "Tahun", "year", ("Tahun Data",)),
        Column(
            "sambungan_rumah",
            "Sambungan Rumah",
            "int",
            ("SR", "Jumlah Sambungan Rumah"),
            low=0,
            high=1_000_000,
        ),
        Column(
            "biaya_jaringan",
            "Biaya Jaringan",
            "money",
            ("Biaya Jaringan Air", "Estimasi Biaya"),
            low=0,
            high=1_000_000_000_000,
        ),
    ),
)

# Pregnant women's check-ups (Elsimil, ANC register, kohort ibu), one row per check-up. A row
# needs HPHT or the gestational age in weeks; the validator derives the other dates (see
# `sinergi.ingest.validate.pregnancy_dates`).
IBU_HAMIL = Kind(
    "ibu_hamil",
    "Pemeriksaan ibu hamil (Elsimil / ANC / kohort ibu)",
    (
        Column("nik", "NIK", "nik", ("NIK Ibu", "NIK Ibu Hamil", "Nomor Induk Kependudukan"), True),
        Column("nama", "Nama", "text", ("Nama Ibu", "Nama Ibu Hamil", "Nama Lengkap"), True),
        Column("no_kk", "No KK", "kk", ("Nomor KK", "No. Kartu Keluarga", "KK")),
        Column(
            "tanggal_periksa",
            "Tanggal Pemeriksaan",
            "date",
            (
                "Tgl Periksa",
                "Tanggal Kunjungan",
                "Tanggal Periksa",
                "Tgl Pemeriksaan",
                "Tgl Kunjungan",
                "Tanggal ANC",
            ),
            True,
        ),
        Column("hpht", "HPHT", "date", ("Hari Pertama Haid Terakhir", "Tgl HPHT", "Tanggal HPHT")),
        Column(
            "usia_kehamilan",
            "Usia Kehamilan",
            "int",
            (
                "Usia Kehamilan (minggu)",
                "UK (mg)",
                "UK",
                "UK (minggu)",
                "Umur Kehamilan",
                "Usia Kehamilan (mg)",
            ),
            low=1,
            high=45,
        ),
        Column("lila", "LiLA", "float", ("LILA (cm)", "Lingkar Lengan Atas"), low=10, high=50),
        Column("hb", "Hb", "float", ("Hb (g/dL)", "Hemoglobin", "Kadar Hb"), low=3, high=20),
        Column("tinggi", "Tinggi", "float", ("TB", "Tinggi Badan", "TB (cm)"), low=100, high=200),
        Column("berat", "Berat", "float", ("BB", "Berat Badan", "BB (kg)"), low=25, high=200),
    ),
    one_of=("hpht", "usia_kehamilan"),
)

# Engaged couples' screening (Elsimil, about three months before the wedding), one row per person
# and screening. IMT is computed from Tinggi and Berat when the file leaves it empty.
CATIN = Kind(
    "catin",
    "Pemeriksaan calon pengantin (Elsimil)",
    (
        Column("nik", "NIK", "nik", ("NIK Catin", "Nomor Induk Kependudukan"), True),
        Column("nama", "Nama", "text", ("Nama Catin", "Nama Lengkap"), True),
        Column("jenis_kelamin", "JK", "sex", ("Jenis Kelamin", "L/P", "Kelamin"), True),
        Column("tanggal_lahir", "Tanggal Lahir", "date", ("Tgl Lahir", "Tgl. Lahir"), True),
        Column(
            "tanggal_periksa",
            "Tanggal Pemeriksaan",
            "date",
            ("Tgl Periksa", "Tanggal Periksa", "Tgl Pemeriksaan", "Tanggal Skrining"),
            True,
        ),
        Column(
            "rencana_menikah",
            "Rencana Menikah",
            "date_plan",
            ("Tanggal Rencana Menikah", "Rencana Tanggal Menikah", "Tgl Rencana Menikah"),
        ),
        Column("lila", "LiLA", "float", ("LILA (cm)", "Lingkar Lengan Atas"), low=10, high=50),
        Column("hb", "Hb", "float", ("Hb (g/dL)", "Hemoglobin", "Kadar Hb"), low=3, high=20),
        Column("tinggi", "Tinggi", "float", ("TB", "Tinggi Badan", "TB (cm)"), low=100, high=220),
        Column("berat", "Berat", "float", ("BB", "Berat Badan", "BB (kg)"), low=25, high=200),
        Column("imt", "IMT", "float", ("BMI", "Indeks Massa Tubuh"), low=10, high=60),
    ),
)

# A village's verification of its families (musdes sheet, web action, ODK/Kobo form), one row
# per finding. The family's village is the registry's, so the file has no region columns; the
# snake_case names the field forms export are accepted as headers (``Column.name`` always is).
# What each ``Hasil`` does, and how ``Kolom``/``Nilai Baru`` are checked: `sinergi.registry.verify`.
VERIFIKASI = Kind(
    "verifikasi",
    "Verifikasi keluarga oleh desa",
    (
        Column(
            "no_kk",
            "No KK",
            "kk",
            ("Nomor KK", "No. Kartu Keluarga", "Nomor Kartu Keluarga", "KK"),
            True,
        ),
        Column("nik", "NIK", "nik", ("NIK Anggota", "Nomor Induk Kependudukan")),
        Column(
            "hasil",
            "Hasil",
            "hasil_verifikasi",
            ("Hasil Verifikasi", "Hasil Kunjungan", "Temuan"),
            True,
        ),
        Column("kolom", "Kolom", "text", ("Kolom Koreksi", "Kolom yang Dikoreksi", "Data")),
        Column("nilai_baru", "Nilai Baru", "text", ("Nilai Koreksi", "Nilai yang Benar")),
        Column(
            "tanggal",
            "Tanggal",
            "date",
            ("Tanggal Verifikasi", "Tgl Verifikasi", "Tanggal Kunjungan", "Tgl"),
            True,
        ),
        Column("petugas", "Petugas", "text", ("Nama Petugas", "Verifikator", "Kader")),
        Column("catatan", "Catatan", "text", ("Keterangan",)),
    ),
    region=False,
)

# The roster columns a ``koreksi`` may change, by their formats.md names (and aliases), each
# checked by its own parser: every `KELUARGA` column but the keys. A few shorter names officers
# write on the verification sheet are accepted as well.
CORRECTABLE = tuple(c for c in KELUARGA.columns if c.name not in ("no_kk", "nik"))
_CORRECTION_NAMES = {
    "rumah_layak": ("Rumah Layak",),
    "kontrasepsi": ("Kontrasepsi",),
    "sumber_air": ("Sumber Air Minum",),
}


def correction_column(text: str) -> Column | None:
    """The roster column a verification's ``Kolom`` cell names, or None when it names none."""
    folded = fold_header(text)
    for col in CORRECTABLE:
        names = (col.header, col.name, *col.aliases, *_CORRECTION_NAMES.get(col.name, ()))
        if folded in {fold_header(n) for n in names}:
            return col
    return None


KINDS: dict[str, Kind] = {
    k.name: k for k in (KELUARGA, P3KE, EPPGBM, INTERVENSI, DESA, IBU_HAMIL, CATIN, VERIFIKASI)
}
