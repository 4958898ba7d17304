"""The five kinds of source file: their columns, header aliases and value types.

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
    "sumber_air",
    "jamban",
    "cara_ukur",
    "status_intervensi",
    "jaringan_air",
    "lat",
    "lng",
    "year",
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

KINDS: dict[str, Kind] = {k.name: k for k in (KELUARGA, P3KE, EPPGBM, INTERVENSI, DESA)}
