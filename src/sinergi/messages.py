"""The one message catalogue: every user-facing sentence and label — command line, web pages,
charts, reports and the 'about' sheets of exports — Bahasa Indonesia first, English second.

Keys are stable codes (validation reasons are also written into reports and the synthetic ground
truth), so a sentence can be reworded without breaking anything that matches on the code. Codes
built from a value share a prefix (``status_<status>``, ``faktor_<factor>``, ``gizi_<indicator>_
<category>``, ``kol_<column>``, ``about_<key>`` ...); tests/test_messages.py checks that both
languages are complete, use the same placeholders, and hold every code the code base asks for.

Numbers and dates inside a sentence are passed already written for the reader's language by
`sinergi.core.display` (``num``, ``pct``, ``rp``, ``tgl``), or as a ``core.display.Number``
with the ``{n:id}`` / ``{n:en}`` spec.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]

# code -> (Bahasa Indonesia, English). Placeholders use str.format names.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- validation reasons (ingest) ---
    "kolom_wajib_hilang": (
        "Kolom wajib '{column}' tidak ditemukan di baris judul; berkas ditolak seluruhnya.",
        "Required column '{column}' is missing from the header; the whole file is refused.",
    ),
    "wilayah_kolom_hilang": (
        "Berkas tidak punya kolom 'Kode Desa' maupun pasangan 'Kecamatan' + 'Desa'; berkas ditolak.",
        "The file has neither a 'Kode Desa' column nor a 'Kecamatan' + 'Desa' pair; file refused.",
    ),
    "berkas_kosong": ("Berkas tidak berisi baris data.", "The file contains no data rows."),
    "berkas_tidak_terbaca": (
        "Berkas tidak dapat dibaca: {detail}",
        "The file cannot be read: {detail}",
    ),
    "sheet_tidak_ada": (
        "Sheet '{sheet}' tidak ada; yang tersedia: {available}.",
        "Sheet '{sheet}' does not exist; available: {available}.",
    ),
    # --- reading a file: its caps (ingest.limits) and damaged or unexpected content ---
    # Counts are core.display.Number: {n:id} writes 1.234.567, {n:en} writes 1,234,567.
    "berkas_nol_bait": (
        "Berkas kosong (0 bait); tidak ada yang dapat dibaca.",
        "The file is empty (0 bytes); there is nothing to read.",
    ),
    "berkas_melebihi_batas": (
        "Berkas berukuran {size:id} MB; batas yang diterima adalah {limit:id} MB. "
        "Pecah berkas menjadi beberapa bagian.",
        "The file is {size:en} MB; the accepted limit is {limit:en} MB. Split the file into parts.",
    ),
    "berkas_biner": (
        "Berkas ini bukan teks CSV maupun buku kerja XLSX (isinya data biner: bait NUL atau "
        "karakter kendali); buka di Excel lalu simpan sebagai XLSX atau 'CSV UTF-8'.",
        "This file is neither CSV text nor an XLSX workbook (it holds binary data: NUL bytes or "
        "control characters); open it in Excel and save it as XLSX or 'CSV UTF-8'.",
    ),
    "format_xls": (
        "Berkas ini buku kerja Excel 97–2003 (.xls) atau dilindungi kata sandi, dan tidak dapat "
        "dibaca; buka di Excel lalu simpan sebagai XLSX tanpa kata sandi atau 'CSV UTF-8'.",
        "This file is an Excel 97–2003 workbook (.xls) or is password-protected, and cannot be "
        "read; open it in Excel and save it as XLSX without a password or as 'CSV UTF-8'.",
    ),
    "format_ods": (
        "Berkas OpenDocument (.ods) tidak dapat dibaca; simpan sebagai XLSX atau 'CSV UTF-8'.",
        "An OpenDocument file (.ods) cannot be read; save it as XLSX or 'CSV UTF-8'.",
    ),
    "format_xlsb": (
        "Buku kerja biner Excel (.xlsb) tidak dapat dibaca; simpan sebagai XLSX atau 'CSV UTF-8'.",
        "A binary Excel workbook (.xlsb) cannot be read; save it as XLSX or 'CSV UTF-8'.",
    ),
    "zip_bukan_xlsx": (
        "Berkas ini arsip ZIP tetapi bukan buku kerja XLSX (tidak ada xl/workbook.xml).",
        "This file is a ZIP archive but not an XLSX workbook (it has no xl/workbook.xml).",
    ),
    "zip_rusak": (
        "Berkas XLSX rusak atau tidak lengkap (mungkin terpotong saat diunduh atau disalin); "
        "simpan ulang dari Excel lalu coba lagi.",
        "The XLSX file is damaged or incomplete (perhaps cut off while downloading or copying); "
        "save it again from Excel and try again.",
    ),
    "zip_bagian_rusak": (
        "Bagian '{part}' dalam berkas XLSX rusak: isinya tidak sesuai dengan ukuran atau CRC yang "
        "dinyatakan berkas; simpan ulang dari Excel.",
        "Part '{part}' of the XLSX file is damaged: its content does not match the size or CRC "
        "the file declares; save it again from Excel.",
    ),
    "zip_bagian_tidak_didukung": (
        "Bagian '{part}' dalam berkas XLSX terenkripsi atau dikompresi dengan cara yang tidak "
        "didukung; simpan ulang dari Excel.",
        "Part '{part}' of the XLSX file is encrypted or compressed in an unsupported way; "
        "save it again from Excel.",
    ),
    "zip_terlalu_banyak_bagian": (
        "Berkas XLSX berisi {count:id} bagian; batas yang diterima adalah {limit:id} bagian.",
        "The XLSX file holds {count:en} parts; the accepted limit is {limit:en} parts.",
    ),
    "zip_terlalu_besar_terurai": (
        "Isi berkas XLSX bila diurai berukuran {size:id} MB; batas yang diterima adalah "
        "{limit:id} MB.",
        "Unpacked, the XLSX file holds {size:en} MB; the accepted limit is {limit:en} MB.",
    ),
    "zip_rasio": (
        "Bagian '{part}' dalam berkas XLSX mengembang {ratio:id} kali saat diurai (ciri bom zip); "
        "batas yang diterima adalah {limit:id} kali.",
        "Part '{part}' of the XLSX file expands {ratio:en} times when unpacked (the mark of a zip "
        "bomb); the accepted limit is {limit:en} times.",
    ),
    "xml_tidak_didukung": (
        "Bagian '{part}' dalam berkas XLSX memuat XML yang tidak ditulis oleh program spreadsheet "
        "(DTD, penyandian selain UTF-8 atau tag yang sangat panjang); simpan ulang dari Excel.",
        "Part '{part}' of the XLSX file holds XML that no spreadsheet program writes (a DTD, an "
        "encoding other than UTF-8 or a very long tag); save it again from Excel.",
    ),
    "teks_bersama_terlalu_besar": (
        "Daftar teks bersama (sharedStrings) berkas XLSX berukuran {size:id} MB; batas yang "
        "diterima adalah {limit:id} MB.",
        "The XLSX file's shared-text list (sharedStrings) is {size:en} MB; the accepted limit is "
        "{limit:en} MB.",
    ),
    "sel_di_luar_batas": (
        "Berkas berisi sel di baris {row:id} kolom {column}; batas yang diterima adalah "
        "{max_rows:id} baris × {max_columns:id} kolom.",
        "The file has a cell on row {row:en}, column {column}; the accepted limit is "
        "{max_rows:en} rows × {max_columns:en} columns.",
    ),
    "sel_terlalu_banyak": (
        "Rentang terpakai berkas, sampai baris {row:id} kolom {column}, berisi {cells:id} sel; "
        "batas yang diterima adalah {limit:id} sel.",
        "The file's used range, up to row {row:en}, column {column}, holds {cells:en} cells; "
        "the accepted limit is {limit:en} cells.",
    ),
    "sel_kosong_terlalu_banyak": (
        "Rentang terpakai berkas, sampai baris {row:id} kolom {column}, hampir kosong ({empty:id} "
        "dari {cells:id} sel); mungkin ada sel terisi jauh di luar data: hapus lalu simpan ulang. "
        "Batas yang diterima adalah {limit:id} sel kosong.",
        "The file's used range, up to row {row:en}, column {column}, is almost empty ({empty:en} "
        "of {cells:en} cells); a cell far outside the data may be filled: delete it and save "
        "again. The accepted limit is {limit:en} empty cells.",
    ),
    "sel_tidak_baku_terlalu_banyak": (
        "Lembar '{part}' dalam berkas XLSX tidak ditulis dengan cara yang biasa (sel tanpa posisi "
        "atau berawalan namespace) dan berisi lebih dari {limit:id} sel; buka lalu simpan ulang "
        "dari Excel.",
        "Sheet part '{part}' of the XLSX file is not written the usual way (cells without a "
        "position or with a namespace prefix) and holds more than {limit:en} cells; open it and "
        "save it again from Excel.",
    ),
    "memori_terlalu_besar": (
        "Membaca berkas ini diperkirakan memerlukan {need:id} MB memori; batas yang diterima "
        "adalah {limit:id} MB. Pecah berkas menjadi beberapa bagian.",
        "Reading this file would need about {need:en} MB of memory; the accepted limit is "
        "{limit:en} MB. Split the file into parts.",
    ),
    "sel_terlalu_panjang": (
        "Sel di baris {row:id} berisi lebih dari {limit:id} karakter (batas satu sel Excel); "
        "berkas ditolak.",
        "A cell on row {row:en} holds more than {limit:en} characters (Excel's limit for one "
        "cell); the file is refused.",
    ),
    "csv_tidak_terurai": (
        "Berkas CSV tidak dapat diurai di baris {row:id} (tanda kutip tidak seimbang atau "
        "karakter yang tidak sah).",
        "The CSV file cannot be parsed at row {row:en} (unbalanced quotes or an invalid "
        "character).",
    ),
    "penyandian_rusak": (
        "Berkas bertanda {encoding} tetapi isinya tidak sah dalam penyandian itu (bait terpotong "
        "atau rusak); simpan ulang sebagai 'CSV UTF-8'.",
        "The file is marked {encoding} but its content is not valid in that encoding (cut off or "
        "damaged bytes); save it again as 'CSV UTF-8'.",
    ),
    "penyandian_bukan_utf8": (
        "Berkas dibaca dengan penyandian {encoding}, bukan UTF-8; periksa huruf beraksen dan tanda "
        "baca khusus. Sebaiknya simpan sebagai 'CSV UTF-8'.",
        "The file was read as {encoding}, not UTF-8; check accented letters and special "
        "punctuation. Saving it as 'CSV UTF-8' is best.",
    ),
    "jenis_berkas_tidak_sesuai": (
        "Nama berkas berakhiran '{suffix}' tetapi isinya {actual}; berkas dibaca sebagai {actual}.",
        "The file name ends in '{suffix}' but its content is {actual}; it was read as {actual}.",
    ),
    "dan_baris_lain": (" (dan {n:id} baris lain)", " (and {n:en} more rows)"),
    "nilai_wajib_kosong": ("Nilai wajib kosong.", "Required value is empty."),
    "nik_bukan_16_digit": (
        "NIK harus 16 digit angka (tertulis {length} karakter).",
        "NIK must be 16 digits (written with {length} characters).",
    ),
    "nik_notasi_ilmiah": (
        "NIK tampaknya telah diubah menjadi angka oleh Excel (notasi ilmiah/desimal); "
        "digit aslinya hilang dan tidak dapat dipulihkan. Format kolom sebagai Teks dan ekspor ulang.",
        "The NIK appears to have been turned into a number by Excel (scientific/decimal notation); "
        "its digits are lost and cannot be recovered. Format the column as Text and export again.",
    ),
    "nik_wilayah_tidak_dikenal": (
        "6 digit awal NIK ({prefix}) bukan kode kecamatan yang ada.",
        "The first 6 digits of the NIK ({prefix}) are not an existing kecamatan code.",
    ),
    "nik_tanggal_tidak_cocok": (
        "Tanggal lahir dalam NIK ({nik_date}) tidak sama dengan Tanggal Lahir ({birth_date}).",
        "The birth date in the NIK ({nik_date}) differs from the Tanggal Lahir column ({birth_date}).",
    ),
    "nik_jk_tidak_cocok": (
        "Jenis kelamin menurut NIK ({nik_sex}) tidak sama dengan kolom JK ({sex}).",
        "The sex encoded in the NIK ({nik_sex}) differs from the sex column ({sex}).",
    ),
    "nik_ganda": (
        "NIK yang sama juga dipakai di baris {other_rows}{more:id} berkas ini dengan data berbeda.",
        "The same NIK is also used on row {other_rows}{more:en} of this file with different data.",
    ),
    "baris_ganda": (
        "Baris ini sama persis dengan baris {other_rows}; hanya baris pertama yang dimuat.",
        "This row is an exact copy of row {other_rows}; only the first one is loaded.",
    ),
    "kk_bukan_16_digit": (
        "No. KK harus 16 digit angka (tertulis {length} karakter).",
        "No. KK must be 16 digits (written with {length} characters).",
    ),
    "kk_notasi_ilmiah": (
        "No. KK tampaknya telah diubah menjadi angka oleh Excel; digit aslinya hilang. "
        "Format kolom sebagai Teks dan ekspor ulang.",
        "The No. KK appears to have been turned into a number by Excel; its digits are lost. "
        "Format the column as Text and export again.",
    ),
    "konflik_nik_berbeda": ("NIK berbeda", "different NIKs"),
    "basis_data_mutakhir": (
        "Skema basis data sudah pada migrasi terbaru.",
        "The database schema is at the newest migration.",
    ),
    "kode_wilayah_tidak_dikenal": (
        "Kode wilayah '{code}' tidak ada dalam daftar Kemendagri.",
        "Region code '{code}' is not in the Kemendagri list.",
    ),
    "kk_wilayah_tidak_dikenal": (
        "6 digit awal No. KK ({prefix}) bukan kode kecamatan yang ada.",
        "The first 6 digits of the No. KK ({prefix}) are not an existing kecamatan code.",
    ),
    "kk_ganda": (
        "No. KK yang sama juga ada di baris {other_rows}{more:id} berkas ini.",
        "The same No. KK also appears on row {other_rows}{more:en} of this file.",
    ),
    "desa_ganda": (
        "Kode desa yang sama juga ada di baris {other_rows}{more:id} berkas ini dengan data berbeda.",
        "The same village code also appears on row {other_rows}{more:en} of this file with "
        "different data.",
    ),
    "tanggal_tidak_valid": (
        "Tanggal tidak dikenali; gunakan dd/mm/yyyy, yyyy-mm-dd atau '12 Januari 2023'.",
        "Date not recognised; use dd/mm/yyyy, yyyy-mm-dd or '12 Januari 2023'.",
    ),
    "tanggal_masa_depan": ("Tanggal berada di masa depan.", "The date is in the future."),
    "tanggal_sebelum_1900": ("Tanggal sebelum tahun 1900.", "The date is before 1900."),
    "tanggal_ukur_sebelum_lahir": (
        "Tanggal pengukuran sebelum tanggal lahir.",
        "The measurement date is before the birth date.",
    ),
    "tanggal_periksa_sebelum_lahir": (
        "Tanggal pemeriksaan sebelum tanggal lahir.",
        "The check-up date is before the birth date.",
    ),
    "tanggal_rencana_terlalu_jauh": (
        "Tanggal rencana lebih dari {years} tahun ke depan; periksa tahunnya.",
        "The planned date is more than {years} years ahead; check the year.",
    ),
    "hpht_setelah_periksa": (
        "HPHT (hari pertama haid terakhir) sesudah tanggal pemeriksaan.",
        "The first day of the last period (HPHT) is after the check-up date.",
    ),
    "hpht_terlalu_lama": (
        "HPHT lebih dari {weeks} minggu sebelum tanggal pemeriksaan; periksa tanggalnya.",
        "The first day of the last period (HPHT) is more than {weeks} weeks before the check-up; "
        "check the date.",
    ),
    "nik_bukan_perempuan": (
        "NIK ini milik laki-laki menurut tanggal lahir di dalamnya (hari tidak ditambah 40); "
        "periksa NIK ibu.",
        "This NIK is a man's by the birth date it encodes (day without the 40 added for women); "
        "check the mother's NIK.",
    ),
    "jk_tidak_valid": (
        "Jenis kelamin harus L/P, Laki-laki/Perempuan atau 1/2.",
        "Sex must be L/P, Laki-laki/Perempuan or 1/2.",
    ),
    "ya_tidak_tidak_valid": (
        "Nilai harus Ya/Tidak, Y/T, 1/0 atau true/false.",
        "Value must be Ya/Tidak, Y/T, 1/0 or true/false.",
    ),
    "pilihan_tidak_dikenal": (
        "Nilai tidak dikenal; pilihan yang sah: {choices}.",
        "Unknown value; valid choices: {choices}.",
    ),
    "angka_tidak_valid": ("Bukan angka yang sah.", "Not a valid number."),
    "angka_di_luar_rentang": (
        "Angka di luar rentang yang wajar ({low}–{high}).",
        "Number outside the plausible range ({low}–{high}).",
    ),
    "desil_tidak_valid": ("Desil harus 1, 2, 3 atau 4.", "Decile must be 1, 2, 3 or 4."),
    "desa_tidak_dikenal": (
        "Kode desa {code} tidak ada dalam kode wilayah Kemendagri.",
        "Village code {code} does not exist in the Kemendagri region codes.",
    ),
    "desa_bukan_desa": (
        "Kode {code} bukan kode desa/kelurahan (10 digit).",
        "Code {code} is not a village (desa/kelurahan, 10-digit) code.",
    ),
    "nama_wilayah_tidak_dikenal": (
        "Nama wilayah '{name}' tidak dikenal di {parent}.{candidates}",
        "Region name '{name}' is not known in {parent}.{candidates}",
    ),
    "nama_wilayah_ambigu": (
        "Nama wilayah '{name}' ambigu di {parent}; kandidat: {candidates}.",
        "Region name '{name}' is ambiguous in {parent}; candidates: {candidates}.",
    ),
    "keluarga_tidak_konsisten": (
        "Kolom tingkat keluarga berbeda antar anggota KK yang sama; lihat juga baris "
        "{other_rows}{more:id}. Seluruh keluarga ditolak.",
        "A family-level column differs between members of the same KK; see also row "
        "{other_rows}{more:en}. The whole family is refused.",
    ),
    "hamil_bukan_perempuan": (
        "Tercatat hamil padahal jenis kelamin bukan perempuan.",
        "Recorded as pregnant but the sex is not female.",
    ),
    "nik_anak_kosong": (
        "NIK anak kosong; pengukuran dimuat tetapi anak dicocokkan lewat nama, tanggal lahir dan orang tua.",
        "Child NIK empty; the measurement is loaded but the child is matched by name, birth date and parent.",
    ),
    "berat_lahir_tidak_wajar": (
        "Berat lahir tidak wajar (di bawah {low} g atau di atas {high} g; angka di bawah 10 "
        "dibaca sebagai kg): pengukuran dimuat tanpa berat lahir.",
        "Implausible birth weight (under {low} g or over {high} g; a number under 10 is read "
        "as kg): the measurement is loaded without the birth weight.",
    ),
    # --- assessment: who slipped through ---
    "anak_tidak_terdaftar": (
        "Anak {status} tetapi keluarganya tidak ditemukan di data keluarga (tidak terdaftar).",
        "Child is {status} but the family is not in the family registry (unregistered).",
    ),
    "anak_perlu_tinjauan": (
        "Anak diukur di posyandu tanpa keluarga yang pasti: pasangan tautannya dengan orang di "
        "registri menunggu tinjauan petugas (sinergi review).",
        "Child measured at the posyandu without a certain family: its link to a registry person "
        "waits for an officer's review (sinergi review).",
    ),
    "anak_bukan_krs": (
        "Anak {status} tetapi keluarganya tidak masuk daftar KRS.",
        "Child is {status} but the family is not on the KRS list.",
    ),
    "anak_tidak_terhubung": (
        "Anak diukur di posyandu tetapi tidak dapat dihubungkan ke keluarga mana pun "
        "(No. KK, NIK orang tua dan NIK anak tidak ditemukan di data keluarga).",
        "Child measured at the posyandu but linked to no family (No. KK, parent NIK and child "
        "NIK not found in the family registry).",
    ),
    "belum_diukur": (
        "Balita terdaftar (keluarga KRS atau bukan) yang belum diukur dalam {months} bulan "
        "terakhir.",
        "Registered under-five (KRS family or not) not measured in the last {months} months.",
    ),
    "anak_berat_kurang": (
        "Berat badan kurang (BB/U < −2 SD) pada pengukuran terakhir.",
        "Underweight (WAZ < −2) at the latest measurement.",
    ),
    "anak_2t": (
        "2T: kenaikan berat badan di bawah KBM (Buku KIA) pada dua penimbangan bulanan berturut-turut.",
        "2T: weight gain below the minimum (KBM, Buku KIA) at two consecutive monthly weighings.",
    ),
    "anak_lila_rendah": (
        "LiLA di bawah 12,5 cm pada umur 6–59 bulan.",
        "Arm circumference (MUAC) under 12.5 cm at 6–59 months.",
    ),
    "anak_edema": (
        "Edema (bengkak kedua kaki): gizi buruk, rujuk segera.",
        "Oedema (both feet): severe acute malnutrition, refer at once.",
    ),
    "anak_bblr": (
        "Berat lahir rendah (di bawah 2.500 g).",
        "Low birth weight (under 2,500 g).",
    ),
    "ukur_ulang": (
        "Hasil pengukuran terakhir di luar batas wajar WHO: ukur ulang.",
        "The latest measurement is outside WHO plausibility limits: measure again.",
    ),
    "kata_stunting": ("stunting (TB/U < −2 SD)", "stunted (HAZ < −2)"),
    "kata_wasting": ("gizi kurang/buruk (BB/TB < −2 SD)", "wasted (WHZ < −2)"),
    "ibu_hamil_kek": (
        "Ibu hamil kurang energi kronis (KEK): LiLA {lila} cm < 23,5 cm pada pemeriksaan terakhir.",
        "Pregnant woman with chronic energy deficiency (KEK): MUAC {lila} cm < 23.5 cm at the "
        "latest check-up.",
    ),
    "ibu_hamil_anemia": (
        "Ibu hamil anemia: Hb {hb} g/dL < 11 g/dL pada pemeriksaan terakhir.",
        "Pregnant woman with anaemia: Hb {hb} g/dL < 11 g/dL at the latest check-up.",
    ),
    "ibu_hamil_tidak_terdaftar": (
        "Ibu hamil (taksiran persalinan {tp}) yang keluarganya tidak ditemukan di data keluarga.",
        "Pregnant woman (expected delivery {tp}) whose family is not in the family registry.",
    ),
    "catin_kek": (
        "Calon pengantin KEK: LiLA {lila} cm < 23,5 cm.",
        "Engaged person with chronic energy deficiency: MUAC {lila} cm < 23.5 cm.",
    ),
    "catin_anemia": (
        "Calon pengantin perempuan anemia: Hb {hb} g/dL < 12 g/dL.",
        "Engaged woman with anaemia: Hb {hb} g/dL < 12 g/dL.",
    ),
    "belum_ada_penilaian": (
        "Belum ada hasil penilaian; jalankan 'sinergi assess' dahulu.",
        "No assessment yet; run 'sinergi assess' first.",
    ),
    "penilaian_tidak_ada": ("Penilaian #{run} tidak ada.", "Assessment #{run} does not exist."),
    "aturan_error": ("Aturan tidak dapat dimuat: {detail}", "Rule set cannot be loaded: {detail}"),
    "ditulis": ("{rows} baris ditulis ke {path}", "{rows} rows written to {path}"),
    "ditulis_gambar": ("Grafik ditulis ke {path}", "Chart written to {path}"),
    "skenario_judul": (
        "{program}: keluarga terjangkau menurut anggaran",
        "{program}: families reached by budget",
    ),
    # metode_<method> of targeting.allocate (the 'metode' column of a scenario)
    "metode_highs": ("Optimal (HiGHS)", "Optimal (HiGHS)"),
    "metode_matroid": (
        "Optimal (biaya satuan sama, tanpa solver)",
        "Optimal (equal unit costs, no solver)",
    ),
    "metode_greedy": (
        "Urut peringkat sampai dana habis",
        "Ranking order until the money runs out",
    ),
    "sumbu_anggaran": ("Anggaran (miliar Rp)", "Budget (billion Rp)"),
    "sumbu_keluarga": ("Keluarga KRS terjangkau", "At-risk families reached"),
    # --- targeting: why a village is in or out ---
    "alasan_terpilih": (
        "Terpilih: menjangkau {families} keluarga KRS yang membutuhkan ({share} % dari total).",
        "Selected: reaches {families} KRS families in need ({share} % of the total).",
    ),
    "alasan_tidak_memenuhi_syarat": ("Tidak memenuhi syarat: {reason}.", "Not eligible: {reason}."),
    "alasan_kuota_penuh": (
        "Kuota kecamatan ({quota} desa) sudah terisi desa yang menjangkau lebih banyak keluarga.",
        "The kecamatan quota ({quota} villages) is filled by villages reaching more families.",
    ),
    "alasan_dikecualikan": (
        "Tidak dapat digabung dengan {other}.",
        "Cannot be combined with {other}.",
    ),
    "alasan_kalah_anggaran": (
        "Kalah prioritas: perlu tambahan anggaran {margin} agar ikut terpilih.",
        "Outranked: {margin} more budget would be needed to include it.",
    ),
    "alasan_kalah_nilai": (
        "Kalah prioritas: anggaran dipakai untuk desa yang menjangkau lebih banyak keluarga.",
        "Outranked: the budget reaches more families in other villages.",
    ),
    "jaringan_beroperasi": (
        "jaringan air desa sudah beroperasi",
        "the village network already operates",
    ),
    "jaringan_konstruksi": (
        "jaringan air desa sedang dibangun",
        "the village network is under construction",
    ),
    "jaringan_perencanaan": (
        "jaringan air desa sedang direncanakan",
        "the village network is being planned",
    ),
    "alasan_keluarga_terpilih": (
        "Terpilih: memenuhi syarat program; balita stunting dalam keluarga: {stunted}.",
        "Selected: meets the programme's conditions; stunted under-fives in the family: {stunted}.",
    ),
    "alasan_sudah_program_lain": (
        "Sudah diusulkan untuk program {other}, yang tidak boleh digabung dengan program ini.",
        "Already proposed for programme {other}, which cannot be combined with this one.",
    ),
    "sudah_program_lain": ("sudah menerima program lain", "already in another programme"),
    "usulan_disimpan": (
        "{n} usulan baru disimpan ({program}, periode {period}); usulan yang sudah ada tidak diubah.",
        "{n} new proposals saved ({program}, period {period}); existing proposals were not changed.",
    ),
    "alasan_sudah_tersalurkan": (
        "Sudah tersalurkan dalam program ini pada periode {period}; tidak dipilih lagi.",
        "Already delivered by this programme in period {period}; not chosen again.",
    ),
    "alasan_sedang_diproses": (
        "Usulan periode {period} sudah terverifikasi atau disetujui; biayanya sudah dihitung.",
        "The period {period} proposal is already verified or approved; its cost is counted.",
    ),
    "alasan_usulan_terbuka": (
        "Sudah punya usulan terbuka periode {period}; usulan itu dipertahankan, tidak diusulkan dua kali.",
        "Already has an open proposal for period {period}; it is kept, not proposed twice.",
    ),
    "alasan_sudah_ditolak": (
        "Ditolak dalam program ini pada periode {period}; tidak dipilih lagi.",
        "Rejected by this programme in period {period}; not chosen again.",
    ),
    "alokasi_ringkasan": (
        "Alokasi {program}, periode {period}",
        "Allocation {program}, period {period}",
    ),
    "alokasi_berkomitmen": (
        "Sudah berkomitmen sebelumnya (terverifikasi, disetujui, tersalurkan)",
        "Committed before (verified, approved, delivered)",
    ),
    "alokasi_terbuka_tetap": (
        "Usulan terbuka yang dipertahankan",
        "Open proposals kept",
    ),
    "alokasi_baru": ("Usulan baru dari alokasi ini", "New proposals from this allocation"),
    "alokasi_anggaran": ("Anggaran seluruhnya", "Whole budget"),
    "alokasi_sisa": ("Sisa anggaran", "Budget left"),
    "alokasi_ditolak_periode": (
        "Ditolak pada periode ini (tidak dipilih lagi)",
        "Rejected in this period (not chosen again)",
    ),
    "alokasi_dilewati": (
        "Memenuhi syarat, dilewati: {reason}",
        "Eligible, passed over: {reason}",
    ),
    "alokasi_didahului": (
        "Terpilih tetapi tidak disimpan: sudah diusulkan atau anggaran/kuota terpakai saat disimpan",
        "Chosen but not saved: proposed meanwhile, or budget/quota used up when saving",
    ),
    "lewati_sudah_tersalurkan": ("sudah tersalurkan", "already delivered"),
    "lewati_sedang_diproses": (
        "sudah terverifikasi atau disetujui",
        "already verified or approved",
    ),
    "lewati_usulan_terbuka": ("usulan terbuka dipertahankan", "open proposal kept"),
    "lewati_sudah_ditolak": ("ditolak pada periode ini", "rejected in this period"),
    "lewati_sudah_program_lain": (
        "sudah di program lain yang tidak boleh digabung",
        "already in a programme that cannot be combined",
    ),
    "lewati_kuota_penuh": ("kuota wilayah penuh", "area quota full"),
    "lewati_kalah_prioritas": (
        "anggaran habis untuk keluarga yang lebih diprioritaskan",
        "budget went to families with higher priority",
    ),
    "lewati_dikecualikan": (
        "bertentangan dengan keluarga terpilih",
        "conflicts with a chosen family",
    ),
    "lewati_lainnya": ("alasan lain", "another reason"),
    "program_error": (
        "Program tidak dapat dimuat: {detail}",
        "Programme cannot be loaded: {detail}",
    ),
    # --- CLI ---
    "penilaian_selesai": (
        "Penilaian #{run}: {rules}, tanggal acuan {date} ({seconds} s)",
        "Assessment #{run}: {rules}, reference date {date} ({seconds} s)",
    ),
    "per_kecamatan": ("Per kecamatan", "By kecamatan"),
    # --- sinergi batch (national jobs over a Parquet extract) ---
    "batch_berjalan": ("batch {job}: berjalan", "batch {job}: running"),
    "batch_kemajuan": ("batch {job}: {unit}", "batch {job}: {unit}"),
    "batch_satuan_provinsi": ("provinsi", "provinces"),
    "batch_satuan_gelombang": ("gelombang provinsi", "waves of provinces"),
    "batch_selesai": (
        "batch {job} ({engine}): {rows} baris ditulis ke {path} ({seconds} s), tercatat di log "
        "audit registri atas nama {user}",
        "batch {job} ({engine}): {rows} rows written to {path} ({seconds} s), recorded in the "
        "registry's audit log for {user}",
    ),
    "batch_per_provinsi": ("Per provinsi", "By province"),
    "batch_prioritas_hasil": (
        "{villages} desa terpilih: {benefit} keluarga terjangkau, {cost} dari anggaran {budget}. "
        "Batas LP {bound} keluarga (selisih {gap}); {proof}. Greedy manfaat per rupiah: "
        "{greedy} keluarga. Rincian per provinsi: {report}",
        "{villages} villages chosen: {benefit} families reached, {cost} of a {budget} budget. "
        "LP bound {bound} families (gap {gap}); {proof}. Greedy benefit per rupiah: "
        "{greedy} families. Details per province: {report}",
    ),
    "batch_prioritas_optimal": (
        "terbukti optimal untuk seluruh negeri",
        "proved optimal for the whole country",
    ),
    "batch_prioritas_batas": (
        "optimum nasional belum terbukti; selisih di atas adalah batas atasnya",
        "national optimum not proved; the gap above bounds how far it can be",
    ),
    "batch_mesin_tidak_dikenal": (
        "Mesin '{engine}' tidak dikenal; pilih salah satu: {choices}.",
        "Unknown engine '{engine}'; choose one of: {choices}.",
    ),
    "batch_bukan_ekstrak": (
        "{path} bukan ekstrak registri yang dapat dibaca versi ini ({detail}); buat ekstrak "
        "dengan 'sinergi export parquet'.",
        "{path} is not a registry extract this release can read ({detail}); make one with "
        "'sinergi export parquet'.",
    ),
    "batch_memori_salah": (
        "--memory-limit {value}: tulis jumlah dan satuan, misalnya 16GB atau 512MB.",
        "--memory-limit {value}: write an amount and a unit, e.g. 16GB or 512MB.",
    ),
    "batch_memori_habis": (
        "Memori tidak cukup untuk pekerjaan ini dalam --memory-limit {limit} ({detail}). Beri "
        "batas yang lebih besar, atau jalankan per kelompok provinsi dengan --provinsi; tidak "
        "ada hasil yang ditulis.",
        "Not enough memory for this job within --memory-limit {limit} ({detail}). Give a "
        "larger limit, or run groups of provinces with --provinsi; no result was written.",
    ),
    "batch_spark_tidak_terpasang": (
        "Mesin spark memerlukan PySpark dan Java, yang tidak terpasang di sini: {detail}",
        "The spark engine needs PySpark and Java, which are not installed here: {detail}",
    ),
    "kol_provinsi": ("Provinsi", "Province"),
    "kol_keluarga_sasaran": ("Keluarga sasaran", "Target families"),
    "hasil_alokasi": (
        "HiGHS: {best} keluarga, Rp {cost}  |  greedy: {greedy} keluarga, Rp {greedy_cost}",
        "HiGHS: {best} families, Rp {cost}  |  greedy: {greedy} families, Rp {greedy_cost}",
    ),
    "synth_selesai": (
        "{persons} penduduk, {families} keluarga → {out}",
        "{persons} persons, {families} families → {out}",
    ),
    "synth_parquet_selesai": (
        "{regencies} kabupaten/kota: {families} keluarga, {persons} penduduk, {measurements} "
        "pengukuran balita, {pregnancies} ibu hamil, {interventions} intervensi, {villages} desa "
        "→ {out} (Parquet nasional)",
        "{regencies} regencies/cities: {families} families, {persons} persons, {measurements} "
        "under-five measurements, {pregnancies} pregnancies, {interventions} interventions, "
        "{villages} villages → {out} (national Parquet)",
    ),
    "synth_kabupaten": ("Kabupaten/kota", "Regencies/cities"),
    "synth_format_tidak_dikenal": (
        "Format '{fmt}' tidak dikenal: pilih xlsx (berkas petugas satu kabupaten) atau parquet "
        "(tata letak nasional).",
        "Unknown format '{fmt}': choose xlsx (one regency's officer files) or parquet (the "
        "national layout).",
    ),
    "synth_wilayah_parquet": (
        "'{code}' bukan provinsi atau kabupaten/kota: --format parquet menerima ALL, kode "
        "provinsi (64) atau kode kabupaten/kota (64.08).",
        "'{code}' is not a province or regency/city: --format parquet takes ALL, a province code "
        "(64) or a regency/city code (64.08).",
    ),
    "synth_skala_positif": (
        "--scale harus lebih dari 0 dan --workers paling sedikit 1.",
        "--scale must be above 0 and --workers at least 1.",
    ),
    "laporan_validasi": ("Laporan validasi: {path}", "Validation reports: {path}"),
    "basis_data": ("Basis data: {url}  ({seconds} s)", "Database: {url}  ({seconds} s)"),
    "demo_1": ("1. Data sintetis Kutai Timur", "1. Synthetic Kutai Timur data"),
    "demo_2": ("2. Impor semua berkas", "2. Import every file"),
    "demo_impor": ("Impor", "Imports"),
    "demo_3": ("3. Ringkasan registri per kecamatan", "3. Registry per kecamatan"),
    "demo_4": (
        "4. Penilaian KRS, miskin ekstrem dan stunting",
        "4. KRS, extreme poverty and stunting",
    ),
    "demo_5": (
        "5. Satu desa satu jaringan air bersih (PU)",
        "5. One village, one water network (PU)",
    ),
    "demo_top10": (
        "10 desa teratas untuk air-bersih, anggaran Rp {budget}",
        "Top 10 villages for air-bersih, budget Rp {budget}",
    ),
    "demo_optimal_vs_greedy": (
        "Keluarga KRS tanpa air layak yang terjangkau: optimal (HiGHS) {best}, urut peringkat "
        "sampai dana habis {greedy} — selisih {gain} keluarga dengan dana yang sama.",
        "KRS families without safe water reached: optimal (HiGHS) {best}, ranking until the "
        "money runs out {greedy} — {gain} more families for the same money.",
    ),
    "demo_temuan": (
        "Temuan kasus per kecamatan (sinergi missed, penilaian #{run})",
        "Case finding per kecamatan (sinergi missed, assessment #{run})",
    ),
    "demo_temuan_anak": (
        "Temuan kasus per kecamatan: anak (sinergi missed, penilaian #{run})",
        "Case finding per kecamatan: children (sinergi missed, assessment #{run})",
    ),
    "demo_temuan_lain": (
        "Temuan kasus per kecamatan: ibu hamil, catin, keluarga (sinergi missed, penilaian #{run})",
        "Case finding per kecamatan: pregnant women, engaged couples, families (sinergi missed, "
        "assessment #{run})",
    ),
    "demo_resmi": (
        "Dibandingkan angka resmi Kutai Timur: periode dan jenis sumber",
        "Beside the published Kutai Timur figures: period and kind of source",
    ),
    "import_sudah_pernah": (
        "Berkas ini sudah pernah diimpor (batch {batch}); tidak ada yang berubah.",
        "This file was already imported (batch {batch}); nothing changed.",
    ),
    "import_ringkasan": (
        "{kind}: {rows} baris dibaca, {loaded} dimuat, {rejected} ditolak, {warned} dengan peringatan.",
        "{kind}: {rows} rows read, {loaded} loaded, {rejected} rejected, {warned} with warnings.",
    ),
    "import_perubahan": (
        "Basis data: {inserted} baru, {updated} diperbarui, {unchanged} tidak berubah.",
        "Database: {inserted} new, {updated} updated, {unchanged} unchanged.",
    ),
    # Data dates (registry.importer / registry.load): {n:id} a core.display.Number, {date:id} a
    # core.display.Day.
    "tanggal_data_diasumsikan": (
        "Berkas tidak menyebut tanggal datanya (kolom '{column}' atau Tanggal data saat impor); "
        "{n:id} baris dianggap menggambarkan keadaan pada tanggal impor, {date:id}.",
        "The file does not say the date of its data (a '{column}' column or the data date when "
        "importing); {n:en} rows were taken to describe the import date, {date:en}.",
    ),
    "baris_lebih_lama": (
        "{n:id} baris menggambarkan keadaan yang lebih lama daripada data yang sudah tersimpan: "
        "nilai tersimpan dipertahankan, nilai berkas ini dicatat di riwayat tanpa diterapkan.",
        "{n:en} rows describe an older date than the data already stored: the stored values were "
        "kept, this file's values are recorded in the history without being applied.",
    ),
    "import_dry_run": (
        "Uji coba (--dry-run): tidak ada yang disimpan.",
        "Dry run (--dry-run): nothing was saved.",
    ),
    "import_laporan": ("Laporan ditulis ke {path}", "Report written to {path}"),
    "import_ditolak": ("Berkas ditolak: {reason}", "File refused: {reason}"),
    "jenis_tidak_dikenal": (
        "Jenis berkas '{kind}' tidak dikenal; pilihan: {choices}.",
        "Unknown file kind '{kind}'; choices: {choices}.",
    ),
    "berkas_tidak_ada": ("Berkas {path} tidak ada.", "File {path} does not exist."),
    # Import guards (registry.importer): a file that is one of our own reports, or whose header
    # fits another kind better, is refused before anything is written. {n:id} a display.Number.
    "berkas_laporan_sinergi": (
        "Berkas ini laporan validasi Sinergi, bukan berkas sumber; laporan tidak pernah diimpor "
        "dan tidak ada yang ditulis.",
        "This file is a Sinergi validation report, not a source file; reports are never imported "
        "and nothing was written.",
    ),
    "jenis_lebih_cocok": (
        "Baris judul berkas ini cocok dengan jenis '{better}' ({better_n:id} kolom dikenali), "
        "bukan '{kind}' ({kind_n:id} kolom); tidak ada yang ditulis. Impor ulang dengan jenis "
        "'{better}' bila memang itu isinya.",
        "This file's header matches the kind '{better}' ({better_n:en} columns recognised), not "
        "'{kind}' ({kind_n:en} columns); nothing was written. Import it again as '{better}' if "
        "that is what it holds.",
    ),
    "registri_kosong": (
        "Registri belum berisi keluarga: impor daftar keluarga dulu (sinergi import keluarga "
        "BERKAS). Tidak ada penilaian yang disimpan.",
        "The registry holds no families yet: import a family roster first (sinergi import "
        "keluarga FILE). No assessment was stored.",
    ),
    # Rupiah amounts (core.rupiah): {low:id} etc. are display.Number.
    "rupiah_tidak_valid": (
        "'{text}' bukan jumlah rupiah; tulis misalnya 1.200.000.000, Rp 1,2 M, 1,2 miliar "
        "atau 1.2e9.",
        "'{text}' is not a rupiah amount; write e.g. 1.200.000.000, Rp 1,2 M, 1,2 miliar or 1.2e9.",
    ),
    "rupiah_ambigu": (
        "'{text}' dapat dibaca sebagai Rp {low:id} atau Rp {high:id}; tulis jumlahnya lengkap "
        "tanpa satuan.",
        "'{text}' could be read as Rp {low:en} or Rp {high:en}; write the whole amount without a "
        "scale word.",
    ),
    "rupiah_terlalu_besar": (
        "'{text}' melebihi Rp {limit:id}; periksa jumlah digitnya.",
        "'{text}' exceeds Rp {limit:en}; check the number of digits.",
    ),
    # --- CLI: the framework's own words (Typer's help and parsing errors; cli.py) ---
    # The English text is exactly Typer's, which cli.py matches to put the Indonesian in its
    # place; an error pattern's {message} is translated again (nested errors).
    "typer_usage": ("Penggunaan: ", "Usage: "),
    "typer_arguments": ("Argumen", "Arguments"),
    "typer_options": ("Opsi", "Options"),
    "typer_commands": ("Perintah", "Commands"),
    "typer_error": ("Kesalahan", "Error"),
    "typer_aborted": ("Dibatalkan.", "Aborted."),
    "typer_try_help": (
        "Lihat [blue]'{command_path} {help_option}'[/] untuk bantuan.",
        "Try [blue]'{command_path} {help_option}'[/] for help.",
    ),
    "typer_required": ("[wajib]", "[required]"),
    "typer_default": ("[bawaan: {}]", "[default: {}]"),
    "typer_env_var": ("[variabel lingkungan: {}]", "[env var: {}]"),
    "typer_deprecated": ("(usang) ", "(deprecated) "),
    "typer_help_option": ("Tampilkan bantuan ini lalu keluar.", "Show this message and exit."),
    "typer_missing_argument": ("Argumen {name} wajib diisi.", "Missing argument {name}."),
    "typer_missing_option": ("Opsi {name} wajib diisi.", "Missing option {name}."),
    "typer_missing_parameter": ("Parameter {name} wajib diisi.", "Missing parameter {name}."),
    "typer_missing_command": ("Perintah belum disebut.", "Missing command."),
    "typer_no_such_option": ("Opsi tidak dikenal: {name}", "No such option: {name}"),
    "typer_no_such_option_hint": (
        "Opsi tidak dikenal: {name} (opsi yang mungkin: {choices})",
        "No such option: {name} (Possible options: {choices})",
    ),
    "typer_no_such_command": ("Perintah {name} tidak dikenal.", "No such command {name}."),
    "typer_no_such_command_hint": (
        "Perintah {name} tidak dikenal. Maksudnya {other}?",
        "No such command {name}. Did you mean {other}?",
    ),
    "typer_extra_arguments": (
        "Ada argumen lebih yang tidak dikenal ({args})",
        "Got unexpected extra argument(s) ({args})",
    ),
    "typer_requires_argument": (
        "Opsi {name} memerlukan nilai.",
        "Option {name} requires an argument.",
    ),
    "typer_takes_no_value": (
        "Opsi {name} tidak menerima nilai.",
        "Option {name} does not take a value.",
    ),
    "typer_invalid_value_for": (
        "Nilai tidak sah untuk {name}: {message}",
        "Invalid value for {name}: {message}",
    ),
    "typer_invalid_value": ("Nilai tidak sah: {message}", "Invalid value: {message}"),
    "typer_not_integer": (
        "harus bilangan bulat",
        "Input should be a valid integer, unable to parse string as an integer",
    ),
    "typer_not_number": (
        "harus berupa angka",
        "Input should be a valid number, unable to parse string as a number",
    ),
    "typer_not_one_of": (
        "{value} bukan salah satu dari {choices}.",
        "{value} is not one of {choices}.",
    ),
    # --- CLI: help of the commands an officer uses (cli.py puts them in place of the docstrings);
    # bantuan_<command path>, bantuan_<command path>_<parameter>, bantuan_opsi_<parameter> for an
    # option every command shares ---
    "bantuan_sinergi": (
        "Sinergi: satu data keluarga berisiko stunting dan miskin ekstrem untuk semua perangkat "
        "daerah.",
        "Sinergi: one registry of families at risk of stunting and extreme poverty for every "
        "agency of the regency.",
    ),
    "bantuan_import": (
        "Impor satu berkas sumber: baris yang baik disimpan, setiap masalah dilaporkan.",
        "Import one source file: good rows are stored, every problem is reported.",
    ),
    "bantuan_import_kind": (
        "Jenis berkas: keluarga | p3ke | eppgbm | intervensi | desa | ibu_hamil | catin",
        "File kind: keluarga | p3ke | eppgbm | intervensi | desa | ibu_hamil | catin",
    ),
    "bantuan_import_file": ("Berkas CSV atau XLSX", "CSV or XLSX file"),
    "bantuan_import_sheet": ("Nama sheet (XLSX)", "Sheet name (XLSX)"),
    "bantuan_import_dry_run": (
        "Hanya periksa; tidak ada yang disimpan",
        "Validate only; store nothing",
    ),
    "bantuan_import_report": (
        "Berkas laporan validasi (.xlsx atau .csv)",
        "Validation report file (.xlsx or .csv)",
    ),
    "bantuan_import_laporan": (
        "Folder laporan validasi bila --report tidak diberikan (bawaan: ./laporan, dibuat bila "
        "perlu); nama laporan memuat nama berkas, jenis dan waktunya, sehingga tidak ada laporan "
        "yang tertimpa",
        "Folder for the validation report when --report is not given (default: ./laporan, "
        "created when needed); a report is named by the file, the kind and the moment, so none "
        "is overwritten",
    ),
    "bantuan_import_as_of": (
        "Tanggal keadaan yang digambarkan data berkas (YYYY-MM-DD)",
        "The date the file's data describe (YYYY-MM-DD)",
    ),
    "bantuan_assess": (
        "Nilai setiap keluarga (sasaran, faktor KRS, miskin ekstrem) dan setiap anak; disimpan "
        "sebagai satu penilaian.",
        "Classify every family (sasaran, KRS factors, extreme poverty) and score every child; "
        "stored as a run.",
    ),
    "bantuan_assess_ruleset": (
        "Aturan: krs-2021 | krs-2024 | jalur berkas .toml",
        "Rule set: krs-2021 | krs-2024 | a .toml path",
    ),
    "bantuan_assess_on": (
        "Tanggal acuan (bawaan: hari ini)",
        "Reference date (default: today)",
    ),
    "bantuan_missed": (
        "Yang terlewat: anak stunting/gizi kurang yang keluarganya bukan KRS atau tidak "
        "terdaftar, sinyal anak, balita yang belum diukur, keluarga KRS yang belum dijangkau "
        "program.",
        "Who slipped through: stunted or wasted children whose family is not KRS or not "
        "registered, child signals, under-fives not measured, KRS families no programme reached.",
    ),
    "bantuan_missed_months": (
        "Dianggap diukur bila dalam sekian bulan terakhir",
        "Measured within this many months",
    ),
    "bantuan_missed_semua": (
        "Tampilkan juga temuan yang sudah ditangani program (ditangani_oleh)",
        "Also list the findings a delivered programme has cleared (ditangani_oleh)",
    ),
    "bantuan_allocate": (
        "Pilih keluarga yang paling banyak terjangkau anggaran program keluarga; simpan sebagai "
        "usulan.",
        "Choose the families a family programme's budget reaches best; save them as proposals.",
    ),
    "bantuan_allocate_programme": (
        "Program keluarga, mis. pmt-baznas",
        "Family programme, e.g. pmt-baznas",
    ),
    "bantuan_prioritize": (
        "Peringkat desa untuk program wilayah dan pilihan dalam anggaran (HiGHS), dengan "
        "pilihan greedy di sampingnya.",
        "Rank villages for an area programme and choose them within the budget (HiGHS), with the "
        "greedy choice beside it.",
    ),
    "bantuan_prioritize_programme": (
        "Program wilayah, mis. air-bersih",
        "Area programme, e.g. air-bersih",
    ),
    "bantuan_scenario": (
        "Keluarga terjangkau menurut anggaran (optimal dan greedy) dan biaya marjinal per "
        "keluarga.",
        "Families reached against budget (optimiser and greedy) and the marginal cost per family.",
    ),
    "bantuan_scenario_budgets": (
        "Anggaran dipisah ';' (mis. 5 M;10 M;1.500.000.000) atau ',' (mis. 5e9,10e9)",
        "Budgets separated by ';' (e.g. 5 M;10 M;1.500.000.000) or ',' (e.g. 5e9,10e9)",
    ),
    "bantuan_scenario_out": (
        "Berkas hasil, CSV atau XLSX (XLSX memuat grafik)",
        "Output file, CSV or XLSX (XLSX includes a chart)",
    ),
    "bantuan_export": ("Ekspor hasil ke CSV/XLSX.", "Export results to CSV/XLSX."),
    "bantuan_export_assessment": (
        "Satu baris per keluarga: no_kk, kode_desa, sasaran, krs, faktor, miskin_ekstrem, "
        "jumlah_balita_stunting, pasangan, temuan.",
        "One row per family: no_kk, kode_desa, sasaran, krs, faktor, miskin_ekstrem, "
        "jumlah_balita_stunting, pasangan, temuan.",
    ),
    "bantuan_serve": (
        "Jalankan aplikasi web (dasbor, peta, keluarga, program, impor, API).",
        "Serve the web application (dashboard, map, families, programmes, imports, API).",
    ),
    "bantuan_demo": (
        "Kutai Timur sintetis → impor setiap berkas → penilaian → sasaran → setahun → aplikasi "
        "web.",
        "Synthetic Kutai Timur → import every file → assess → target → a year → web app.",
    ),
    "bantuan_demo_out": ("Folder demo", "Demo folder"),
    "bantuan_demo_keep": (
        "Pertahankan basis data demo yang sudah ada",
        "Keep an existing demo database",
    ),
    "bantuan_demo_serve": ("Akhiri dengan menjalankan aplikasi web", "End by serving the web app"),
    "bantuan_demo_scale": ("1,0 = seluruh kabupaten", "1.0 = the whole regency"),
    "bantuan_wilayah": (
        "Tampilkan satu wilayah dan semua wilayah di bawahnya sebagai pohon.",
        "Print a region and everything below it as a tree.",
    ),
    "bantuan_programmes": (
        "Katalog program (berkas yang dicerminkan ke basis data) dengan versi tiap berkas.",
        "The programme catalogue (files mirrored into the database) with each file's version.",
    ),
    "bantuan_status": (
        "Pindahkan satu penerima dalam alur kerja (usulan → terverifikasi → disetujui → "
        "tersalurkan, atau ditolak dengan alasan).",
        "Move one beneficiary through the workflow (usulan → terverifikasi → disetujui → "
        "tersalurkan, or ditolak with a reason).",
    ),
    "bantuan_project": (
        "Catat tahap proyek desa, dan sambungkan rumah tangga setelah beroperasi.",
        "Record a village project's stage, and connect households once it operates.",
    ),
    "bantuan_family": (
        "Kisah lengkap satu keluarga: anggota, faktor dan sebabnya, pertumbuhan anak, setiap "
        "intervensi.",
        "A family's whole story: members, factors and why, children's growth, every intervention.",
    ),
    "bantuan_conflicts": (
        "Keluarga pada dua program yang saling meniadakan, atau dua kali pada satu program.",
        "Families on two mutually exclusive programmes, or twice on one.",
    ),
    "bantuan_coverage": (
        "Per wilayah: kebutuhan, yang terpenuhi dan sedang berjalan, konvergensi, keluarga yang "
        "belum tersentuh, prevalensi stunting, perubahan sejak penilaian sebelumnya.",
        "Per area: needs, needs met and in progress, convergence, families untouched, stunting "
        "prevalence, the change since the previous assessment.",
    ),
    "bantuan_link": (
        "Tautkan setiap anak e-PPGBM, kehamilan, orang di daftar instansi dan kepala P3KE ke "
        "orang di registri (NIK dulu, lalu model probabilistik).",
        "Link every e-PPGBM child, pregnancy, agency-list person and P3KE head to the registry "
        "person it is (exact NIK first, then the probabilistic model).",
    ),
    "bantuan_review": (
        "Antrean tinjauan penautan: pasangan yang mungkin satu orang, menunggu petugas.",
        "The linkage review queue: pairs that may be one person, waiting for an officer.",
    ),
    "bantuan_export_links": (
        "Satu baris per catatan sumber yang ditautkan, dengan klaster, berkas dan barisnya.",
        "One row per linked source record, with its cluster, file and row.",
    ),
    "bantuan_export_golden": (
        "Satu baris per orang: nilai catatan emas dan sumber setiap nilainya.",
        "One row per person: the golden record's values and the source of each.",
    ),
    # ``sinergi batch``: its options' words are shared by its commands (bantuan_batch_opsi_*).
    "bantuan_batch": (
        "Pekerjaan batch nasional atas ekstrak registri Parquet, di DuckDB atau Spark.",
        "National batch jobs over a Parquet registry extract, on DuckDB or Spark.",
    ),
    "bantuan_batch_assess": (
        "Menilai setiap keluarga dalam ekstrak (sasaran, faktor KRS, kemiskinan ekstrem): satu "
        "baris per keluarga dengan kolom 'sinergi export assessment' yang ada di ekstrak.",
        "Classify every family of the extract (sasaran, KRS factors, extreme poverty): one row "
        "per family with the columns of 'sinergi export assessment' the extract gives.",
    ),
    "bantuan_batch_coverage": (
        "Per desa, kecamatan, kabupaten dan provinsi: kebutuhan terpenuhi dan terlayani, "
        "konvergensi, KRS yang belum dijangkau program, miskin ekstrem tanpa bantuan (angka "
        "'sinergi coverage').",
        "Per village, kecamatan, regency and province: needs met and served, convergence, KRS "
        "families no programme reached, extreme poor without aid ('sinergi coverage' figures).",
    ),
    "bantuan_batch_missed": (
        "Baris anak dari 'sinergi missed': anak stunting/wasting yang keluarganya tidak ada di "
        "daftar KRS (atau tidak terdaftar), setiap sinyal anak, balita terdaftar yang belum "
        "diukur. Anak dikaitkan lewat No KK, NIK orang tua atau NIK sendiri (ekstrak tidak memuat "
        "tautan orang); baris ibu hamil tidak dicantumkan.",
        "The children's rows of 'sinergi missed': stunted/wasted children whose family is not on "
        "the KRS list (or not registered), every child signal, registered under-fives not "
        "measured recently. Children attach by No KK, parent's NIK or own NIK (no person links "
        "in an extract); pregnancy rows are not listed.",
    ),
    "bantuan_batch_prioritize": (
        "Memilih desa sebuah program desa untuk seluruh negeri dalam satu anggaran: manfaat per "
        "rupiah secara nasional, HiGHS per provinsi, selisih terhadap batas LP dilaporkan; satu "
        "baris per desa dengan kolom 'sinergi prioritize'.",
        "Choose a village programme's villages for the whole country within one budget: benefit "
        "per rupiah nationally, HiGHS per province, the gap to the LP bound reported; one row "
        "per village with the columns of 'sinergi prioritize'.",
    ),
    "bantuan_batch_opsi_input_dir": (
        "Folder ekstrak registri (sinergi export parquet)",
        "Registry extract folder (sinergi export parquet)",
    ),
    "bantuan_batch_opsi_out": (
        "Folder hasil (<out>/<pekerjaan>/provinsi=<PP>/)",
        "Result folder (<out>/<job>/provinsi=<PP>/)",
    ),
    "bantuan_batch_opsi_engine": ("Mesin: duckdb | spark", "Engine: duckdb | spark"),
    "bantuan_batch_opsi_on": (
        "Tanggal acuan, TTTT-BB-HH (bawaan: hari ini)",
        "Reference date, YYYY-MM-DD (default: today)",
    ),
    "bantuan_batch_opsi_ruleset": (
        "Aturan: krs-2021 | krs-2024 | jalur berkas .toml",
        "Rule set: krs-2021 | krs-2024 | a .toml path",
    ),
    "bantuan_batch_opsi_master": (
        "URL master Spark (bawaan local[2]); hanya untuk spark",
        "Spark master URL (default local[2]); spark only",
    ),
    "bantuan_batch_opsi_memory_limit": (
        "Batas memori DuckDB / heap driver Spark, mis. 16GB",
        "DuckDB memory cap / Spark driver heap, e.g. 16GB",
    ),
    "bantuan_batch_opsi_provinsi": (
        "Hanya provinsi ini, kode dipisah koma (mis. 64,32)",
        "Only these provinces, comma-separated codes (e.g. 64,32)",
    ),
    "bantuan_batch_opsi_oleh": (
        "Siapa yang menjalankan, dicatat di log audit registri (bawaan: SINERGI_USER atau nama "
        "login)",
        "Who runs the job, recorded in the registry's audit log (default: SINERGI_USER or the "
        "login name)",
    ),
    "bantuan_batch_opsi_db": (
        "URL basis data registri asal ekstrak, yang log auditnya mencatat pekerjaan ini (bawaan: "
        "SINERGI_DATABASE_URL atau sqlite:///sinergi.db)",
        "URL of the registry database the extract came from, whose audit log records the job "
        "(default: SINERGI_DATABASE_URL or sqlite:///sinergi.db)",
    ),
    "bantuan_batch_monitor": (
        "assess, coverage dan missed dalam satu pekerjaan, keluarga dinilai sekali: tiga hasil "
        "yang sama dengan ketiga perintahnya.",
        "assess, coverage and missed in one job, the families assessed once: the same three "
        "results as the three commands.",
    ),
    "bantuan_batch_opsi_months": (
        "Dianggap terukur bila diukur dalam sekian bulan terakhir",
        "Measured within this many months",
    ),
    "bantuan_batch_opsi_semua": (
        "Cantumkan juga temuan yang sudah ditangani program tersalurkan (ditangani_oleh)",
        "Also list the findings a delivered programme has cleared (ditangani_oleh)",
    ),
    "bantuan_batch_prioritize_programme": (
        "Kode program desa, mis. air-bersih",
        "Village programme code, e.g. air-bersih",
    ),
    "bantuan_batch_prioritize_budget": (
        "Anggaran nasional dalam rupiah (bawaan: anggaran program)",
        "National budget in rupiah (default: the programme's)",
    ),
    "bantuan_batch_prioritize_time_limit": (
        "Detik HiGHS per provinsi",
        "Seconds of HiGHS per province",
    ),
    "bantuan_export_parquet": (
        "Seluruh registri (keluarga, orang, pengukuran, kehamilan, intervensi, fakta desa) "
        "sebagai Parquet berversi, dipartisi per provinsi dan kabupaten: masukan 'sinergi batch'.",
        "The whole registry (families, persons, measurements, pregnancies, interventions, village "
        "facts) as versioned Parquet partitioned by province and regency: 'sinergi batch' input.",
    ),
    "bantuan_export_parquet_out": (
        "Folder ekstrak (ekstrak sebelumnya di sana diganti seluruhnya)",
        "Extract folder (an earlier extract there is replaced entirely)",
    ),
    "bantuan_export_parquet_oleh": (
        "Siapa yang mengekspor, dicatat di log audit (bawaan: SINERGI_USER atau nama login)",
        "Who exports, recorded in the audit log (default: SINERGI_USER or the login name)",
    ),
    "parquet_tabel": ("Tabel {table}", "Table {table}"),
    "parquet_ringkas": ("Ekstrak registri Parquet", "Parquet registry extract"),
    "parquet_selesai": (
        "Registri ditulis ke {path} (skema {schema} versi {versi}; daftar kolom di "
        "{path}/schema.json). Ekspor ini tercatat di log audit.",
        "Registry written to {path} (schema {schema} version {versi}; the columns are listed in "
        "{path}/schema.json). This export is recorded in the audit log.",
    ),
    "batch_tidak_boleh": (
        "{user} ({role}) tidak boleh menjalankan batch {job}: hasilnya memuat nama dan NIK, hanya "
        "untuk administrator atau DPPKB tanpa batas wilayah.",
        "{user} ({role}) may not run batch {job}: its result names persons, only the "
        "administrator or DPPKB without an area limit may.",
    ),
    "batch_audit_gagal": (
        "Hasil batch {job} dihapus: catatan audit di registri tidak dapat ditulis ({detail}).",
        "The batch {job} result was removed: its audit record could not be written to the "
        "registry ({detail}).",
    ),
    "parquet_tidak_boleh": (
        "{user} ({role}) tidak boleh mengekspor seluruh registri: hanya administrator atau DPPKB "
        "tanpa batas wilayah.",
        "{user} ({role}) may not export the whole registry: only the administrator or DPPKB "
        "without an area limit may.",
    ),
    "parquet_bukan_ekstrak": (
        "{path} sudah berisi berkas lain dan bukan ekstrak registri Sinergi; ekspor hanya "
        "mengganti ekstrak sebelumnya. Pilih folder baru atau kosong.",
        "{path} already holds other files and is not a Sinergi registry extract; the export only "
        "replaces an earlier extract. Choose a new or empty folder.",
    ),
    "parquet_registri_kosong": (
        "Registri belum berisi keluarga; tidak ada yang diekspor (periksa --db).",
        "The registry holds no families; nothing was exported (check --db).",
    ),
    "kol_tabel": ("Tabel", "Table"),
    "bantuan_review_accept": (
        "Kedua catatan satu orang: gabungkan (klaster dan keluarga segera mengikuti).",
        "The two records are one person: join them (clusters and families follow at once).",
    ),
    "bantuan_review_reject": (
        "Kedua catatan dua orang: tidak pernah digabung, juga pada penautan berikutnya.",
        "The two records are two people: they are never joined, also at later runs.",
    ),
    "bantuan_user": ("Akun web.", "Web accounts."),
    "bantuan_user_add": (
        "Buat akun web; kata sandi dibaca dari masukan standar (tidak pernah sebagai argumen).",
        "Create a web account; the password is read from standard input (never an argument).",
    ),
    "bantuan_user_password": (
        "Ganti kata sandi akun (dari masukan standar); setiap sesi dan token akun berakhir.",
        "Set an account's password (from standard input); every session and token of the "
        "account ends.",
    ),
    "bantuan_user_tokens": (
        "Daftar sesi peramban dan token API.",
        "List browser sessions and API tokens.",
    ),
    "bantuan_user_revoke": (
        "Cabut satu sesi atau token API, atau semua milik satu akun; setiap pencabutan diaudit.",
        "Revoke one session or API token, or all of an account's; each revocation is audited.",
    ),
    "bantuan_anthro": (
        "Skor-z WHO 2006 dan kategori Permenkes 2/2020 untuk setiap baris berkas.",
        "WHO 2006 z-scores and Permenkes 2/2020 categories for every row of a file.",
    ),
    "bantuan_synth": (
        "Tulis penduduk sintetis (berkas sumber + kebenaran) yang dikalibrasi ke kabupaten, "
        "atau (--format parquet) registri suatu wilayah dalam tata letak Parquet nasional.",
        "Write a synthetic population (source files + ground truth) calibrated to the regency, "
        "or (--format parquet) a region's registry in the national Parquet layout.",
    ),
    "bantuan_synth_out": ("Folder hasil", "Output folder"),
    "bantuan_synth_scale": (
        "1,0 = seluruh penduduk kabupaten (parquet: seluruh penduduk wilayah)",
        "1.0 = the whole regency's population (parquet: the whole region's)",
    ),
    "bantuan_synth_region": (
        "xlsx: satu kabupaten/kota; parquet: ALL, provinsi atau kabupaten/kota",
        "xlsx: one regency/city; parquet: ALL, a province or a regency/city",
    ),
    "bantuan_synth_fmt": (
        "xlsx: berkas petugas satu kabupaten + kebenaran; parquet: tata letak Parquet nasional",
        "xlsx: one regency's officer files + truth; parquet: the national Parquet layout",
    ),
    "bantuan_synth_workers": (
        "parquet: jumlah kabupaten/kota yang dibuat bersamaan (satu proses masing-masing)",
        "parquet: regencies/cities generated at a time (one process each)",
    ),
    "bantuan_db-upgrade": (
        "Mutakhirkan skema basis data ke migrasi terbaru.",
        "Bring the database schema to the newest migration.",
    ),
    "bantuan_opsi_lang": ("Bahasa: id | en", "Language: id | en"),
    "bantuan_opsi_db": (
        "URL basis data (bawaan: SINERGI_DATABASE_URL atau sqlite:///sinergi.db).",
        "Database URL (default: SINERGI_DATABASE_URL or sqlite:///sinergi.db).",
    ),
    "bantuan_opsi_out": ("Berkas hasil, CSV atau XLSX", "Output file, CSV or XLSX"),
    "bantuan_opsi_run": (
        "Nomor penilaian (bawaan: yang terbaru)",
        "Assessment number (default: the latest)",
    ),
    "bantuan_opsi_budget": (
        "Anggaran dalam rupiah, mis. 1.200.000.000, 'Rp 1,2 M', '1,2 miliar' atau 1.2e9 "
        "(bawaan: anggaran program)",
        "Budget in rupiah, e.g. 1.200.000.000, 'Rp 1,2 M', '1,2 miliar' or 1.2e9 (default: the "
        "programme's budget)",
    ),
    "kesalahan_tak_terduga": (
        "Terjadi kesalahan tak terduga (rujukan {ref}); rinciannya dicatat di {log}.",
        "An unexpected error occurred (reference {ref}); details were logged to {log}.",
    ),
    # --- factor labels and explanations (a family's story) ---
    "faktor_air_minum_tidak_layak": ("Air minum tidak layak", "Unsafe drinking water"),
    "faktor_jamban_tidak_layak": ("Jamban tidak layak", "Unsafe sanitation"),
    "faktor_terlalu_muda": ("Istri terlalu muda", "Wife too young"),
    "faktor_terlalu_tua": ("Istri terlalu tua", "Wife too old"),
    "faktor_terlalu_dekat": ("Jarak kelahiran terlalu dekat", "Births too close"),
    "faktor_terlalu_banyak": ("Anak terlalu banyak", "Too many children"),
    "faktor_tidak_kb_modern": ("Tidak ber-KB modern", "No modern contraception"),
    "faktor_desil_1": ("Desil kesejahteraan 1", "Welfare decile 1"),
    "faktor_rumah_tidak_layak": ("Rumah tidak layak huni", "Unliveable house"),
    "jelas_air_minum_tidak_layak": (
        "Sumber air minum '{value}' bukan sumber layak ({safe}).",
        "Drinking water source '{value}' is not a safe source ({safe}).",
    ),
    "jelas_jamban_tidak_layak": (
        "Jamban tercatat '{value}', tidak layak.",
        "Toilet recorded as '{value}', unsafe.",
    ),
    "jelas_terlalu_muda": (
        "Istri (PUS) berumur {age} tahun, di bawah {limit} tahun.",
        "The wife (couple of reproductive age) is {age}, under {limit}.",
    ),
    "jelas_terlalu_tua": (
        "Istri (PUS) berumur {age} tahun, dalam rentang {lo}–{hi} tahun.",
        "The wife (couple of reproductive age) is {age}, within {lo}–{hi}.",
    ),
    "jelas_terlalu_dekat": (
        "Anak termuda lahir {months} bulan setelah kakaknya, kurang dari {limit} bulan.",
        "The youngest child was born {months} months after the previous one, under {limit}.",
    ),
    "jelas_terlalu_banyak": (
        "Keluarga mempunyai {n} anak (batas {limit}).",
        "The family has {n} children (limit {limit}).",
    ),
    "jelas_tidak_kb_modern": (
        "Pasangan usia subur tidak memakai kontrasepsi modern dan istri tidak hamil.",
        "The couple uses no modern contraception and the wife is not pregnant.",
    ),
    "jelas_desil_1": (
        "Keluarga berada di desil kesejahteraan {value} (P3KE).",
        "The family is in welfare decile {value} (P3KE).",
    ),
    "jelas_rumah_tidak_layak": (
        "Rumah tercatat tidak layak huni.",
        "The house is recorded as unliveable.",
    ),
    "oleh_daftar_instansi": ("daftar instansi", "agency list"),
    "tersambung_jaringan": ("tersambung ke jaringan air", "connected to the water network"),
    # --- delivery workflow (deliver) ---
    "wf_tidak_ditemukan": (
        "Keluarga {no_kk} tidak ada dalam daftar penerima program {program} (periode {period}).",
        "Family {no_kk} is not on the beneficiary list of programme {program} (period {period}).",
    ),
    "wf_status_tidak_dikenal": (
        "Status '{status}' tidak dikenal; pilihan: {choices}.",
        "Unknown status '{status}'; choices: {choices}.",
    ),
    "wf_transisi_tidak_sah": (
        "Status tidak dapat diubah dari '{old}' ke '{new}'; dari '{old}' hanya boleh ke: {allowed}.",
        "Status cannot change from '{old}' to '{new}'; from '{old}' only to: {allowed}.",
    ),
    "wf_status_akhir": (
        "Status '{old}' sudah final; tidak dapat diubah ke '{new}'.",
        "Status '{old}' is final; it cannot change to '{new}'.",
    ),
    "wf_sudah_status": (
        "Keluarga {no_kk} sudah berstatus '{status}' di program {program}; tidak ada yang diubah.",
        "Family {no_kk} already has status '{status}' in programme {program}; nothing changed.",
    ),
    "wf_alasan_wajib": (
        "Penolakan wajib disertai alasan: {choices}.",
        "A rejection needs a reason: {choices}.",
    ),
    "wf_alasan_tidak_dikenal": (
        "Alasan penolakan '{reason}' tidak dikenal; pilihan: {choices}.",
        "Unknown rejection reason '{reason}'; choices: {choices}.",
    ),
    "wf_catatan_wajib": (
        "Alasan 'lainnya' wajib disertai keterangan.",
        "Reason 'lainnya' (other) needs an explanation.",
    ),
    "wf_versi_bentrok": (
        "Data penerima ini baru saja diubah oleh {by} (status sekarang '{status}', versi {version}); "
        "muat ulang lalu ulangi perubahan Anda.",
        "This beneficiary was just changed by {by} (status now '{status}', version {version}); "
        "reload and repeat your change.",
    ),
    "wf_program_bukan_keluarga": (
        "Program {program} bukan program keluarga; gunakan proyek desa.",
        "Programme {program} is not a family programme; use village projects.",
    ),
    "wf_program_tidak_dikenal": (
        "Kode program '{program}' tidak ada di katalog; baris disimpan sebagai catatan saja.",
        "Programme code '{program}' is not in the catalogue; the row is kept as a record only.",
    ),
    "wf_kk_tidak_terdaftar": (
        "Keluarga/NIK tidak terdaftar di registri; status tidak dapat diterapkan.",
        "Family/NIK is not in the registry; the status cannot be applied.",
    ),
    "impor_program_instansi_lain": (
        "Program {program} bukan milik instansi Anda; baris tidak diterapkan.",
        "Programme {program} is not your agency's; the row was not applied.",
    ),
    "impor_di_luar_jangkauan": (
        "Baris ini menyebut keluarga, orang atau desa di luar jangkauan akun Anda (atau yang "
        "tidak ada di registri); baris tidak diterapkan dan tidak ada yang diubah.",
        "This row names a family, person or village outside your account's reach (or one that "
        "is not in the registry); the row was not applied and nothing was changed.",
    ),
    "impor_tanggal_data_salah": (
        "Tanggal data '{value}' tidak terbaca atau ada di masa depan; tulis sebagai "
        "tttt-bb-hh (misalnya 2026-06-30).",
        "The data date '{value}' cannot be read or lies in the future; write it as yyyy-mm-dd "
        "(e.g. 2026-06-30).",
    ),
    # --- village verification (registry.verify: import kind verifikasi, web, field forms) ---
    "verifikasi_perlu_nik": (
        "Hasil 'meninggal' harus menyebut NIK anggota keluarga yang meninggal.",
        "A 'meninggal' (deceased) result must give the NIK of the family member who died.",
    ),
    "verifikasi_koreksi_tanpa_kolom": (
        "Hasil 'koreksi' harus menyebut Kolom yang dikoreksi dan Nilai Baru.",
        "A 'koreksi' (correction) result must name the Kolom (column) corrected and the "
        "Nilai Baru (new value).",
    ),
    "verifikasi_kolom_tidak_dikenal": (
        "Kolom '{column}' bukan kolom data keluarga yang dapat dikoreksi; yang dapat: {choices}.",
        "Column '{column}' is not a roster column that can be corrected; those that can: "
        "{choices}.",
    ),
    "verifikasi_koreksi_perlu_nik": (
        "Kolom '{column}' adalah data anggota keluarga: isi NIK anggota yang dikoreksi.",
        "Column '{column}' belongs to a family member: give the NIK of the member corrected.",
    ),
    "verifikasi_nilai_salah": (
        "Nilai baru untuk kolom '{column}' tidak diterima: {reason:id}",
        "The new value for column '{column}' is not accepted: {reason:en}",
    ),
    "verifikasi_desa_baru_tidak_dikenal": (
        "Desa tujuan pindah tidak dikenal: tulis kode desa (mis. 64.08.01.2001) atau nama desa "
        "di kabupaten ini, atau kosongkan bila keluarga pindah ke luar kabupaten.",
        "The village moved to is not known: write the village code (e.g. 64.08.01.2001) or the "
        "name of a village of this regency, or leave it empty when the family left the regency.",
    ),
    "verifikasi_kk_tidak_dikenal": (
        "No KK ini tidak ada di registri; baris tidak diterapkan.",
        "This No KK is not in the registry; the row was not applied.",
    ),
    "verifikasi_nik_bukan_anggota": (
        "NIK ini bukan anggota keluarga dengan No KK tersebut; baris tidak diterapkan.",
        "This NIK is not a member of the family with that No KK; the row was not applied.",
    ),
    "verifikasi_lebih_lama": (
        "Temuan ini bertanggal lebih lama daripada data yang tersimpan: disimpan dalam "
        "riwayat, tetapi tidak diterapkan.",
        "This finding is dated before the stored data: kept in the history, but not applied.",
    ),
    "verifikasi_tidak_boleh": (
        "Peran '{role}' tidak boleh mencatat verifikasi keluarga.",
        "Role '{role}' may not record family verifications.",
    ),
    "verifikasi_tidak_boleh_memutuskan": (
        "Peran '{role}' tidak boleh menyetujui atau menolak verifikasi; hanya DPPKB dan admin.",
        "Role '{role}' may not approve or reject verifications; only DPPKB and the "
        "administrator may.",
    ),
    "verifikasi_tidak_ada": (
        "Verifikasi nomor {id} tidak ada di wilayah Anda.",
        "Verification number {id} does not exist in your area.",
    ),
    "verifikasi_sudah_diputuskan": (
        "Verifikasi nomor {id} tidak sedang menunggu persetujuan (statusnya: {status}).",
        "Verification number {id} is not waiting for approval (its status: {status}).",
    ),
    "verifikasi_kol_id": ("No.", "No."),
    "verifikasi_kol_no_kk": ("No KK", "No KK"),
    "verifikasi_kol_nik": ("NIK", "NIK"),
    "verifikasi_kol_hasil": ("Hasil", "Result"),
    "verifikasi_kol_kolom": ("Kolom", "Column"),
    "verifikasi_kol_nilai_lama": ("Nilai lama", "Old value"),
    "verifikasi_kol_nilai_baru": ("Nilai baru", "New value"),
    "verifikasi_kol_tanggal": ("Tanggal", "Date"),
    "verifikasi_kol_petugas": ("Petugas", "Officer"),
    "verifikasi_kol_status": ("Status", "Status"),
    "verifikasi_kol_dicatat": ("Dicatat oleh", "Recorded by"),
    "verifikasi_kosong": ("Tidak ada verifikasi.", "No verifications."),
    "verifikasi_daftar_judul": ("Verifikasi keluarga", "Family verifications"),
    "verifikasi_disetujui": (
        "Verifikasi {id} disetujui: {status}.",
        "Verification {id} approved: {status}.",
    ),
    "verifikasi_ditolak_oleh": ("Verifikasi {id} ditolak.", "Verification {id} rejected."),
    "impor_jenis_tidak_boleh": (
        "Akun Anda tidak boleh mengimpor berkas jenis '{kind}'; yang boleh: {allowed}.",
        "Your account may not import files of kind '{kind}'; allowed: {allowed}.",
    ),
    "wf_peran_tidak_boleh": (
        "Peran '{role}' tidak boleh mengubah status menjadi '{status}'; yang boleh: {allowed}.",
        "Role '{role}' may not set the status '{status}'; allowed: {allowed}.",
    ),
    "wf_baru_harus_usulan": (
        "Keluarga ini belum ada di daftar penerima program; baris pertamanya harus berstatus "
        "Usulan (bukan '{status}'). Tambahkan baris bertanggal untuk setiap langkah berikutnya.",
        "This family is not on the programme's list yet; its first row must have the status "
        "Usulan (not '{status}'). Add a dated row for each later step.",
    ),
    "wf_perlu_penilaian": (
        "Belum ada penilaian (sinergi assess); keluarga baru tidak dapat masuk daftar penerima.",
        "No assessment yet (sinergi assess); a new family cannot join the beneficiary list.",
    ),
    "pj_berubah": (
        "Proyek {program} di desa {desa}: {status} ({households} sambungan rumah).",
        "Project {program} in village {desa}: {status} ({households} households connected).",
    ),
    "pj_tersambung": (
        "{n} keluarga baru tersambung di desa {desa}.",
        "{n} more families connected in village {desa}.",
    ),
    "kk_tidak_ada": (
        "No KK {no_kk} tidak ada di registri.",
        "No KK {no_kk} is not in the registry.",
    ),
    "anggota_keluarga": ("Anggota keluarga", "Family members"),
    "anggota_meninggal": (
        "meninggal {tanggal} (verifikasi desa)",
        "deceased {tanggal} (village verification)",
    ),
    "bukan_krs": ("Bukan KRS", "Not KRS"),
    "miskin_ekstrem": ("Miskin ekstrem", "Extreme poor"),
    "pertumbuhan_anak": ("Pertumbuhan anak", "Children's growth"),
    "riwayat_intervensi": ("Riwayat intervensi", "Intervention timeline"),
    "belum_ada_intervensi": (
        "Belum ada intervensi tercatat untuk keluarga ini.",
        "No intervention recorded for this family yet.",
    ),
    "demo_6": (
        "6. Satu tahun penyaluran: usulan → musdes → persetujuan → penyaluran, jaringan air, data baru",
        "6. A year of delivery: proposals → village meeting → approval → delivery, water, new data",
    ),
    "pengguna_dibuat": ("Akun {username} ({role}) dibuat.", "Account {username} ({role}) created."),
    # --- reporting periods (sinergi.reports.periode)
    "periode_S": ("Semester {nomor} {tahun}", "Semester {nomor}, {tahun}"),
    "periode_T": ("Triwulan {nomor} {tahun}", "Quarter {nomor}, {tahun}"),
    "periode_Y": ("Tahun {tahun}", "Year {tahun}"),
    "demo_laporan": (
        "Laporan siap rapat: laporan semester TPPS dan lembar musdes desa akun demo …",
        "Meeting-ready reports: the TPPS semester report and the demo village's musdes sheet …",
    ),
    "demo_laporan_ditulis": (
        "Laporan ditulis: {path} ({pages} halaman; ditulis dalam {seconds} detik)",
        "Report written: {path} ({pages} pages; written in {seconds} s)",
    ),
    "demo_7": (
        "7. Aplikasi web: {url} (Ctrl+C untuk berhenti)",
        "7. Web app: {url} (Ctrl+C to stop)",
    ),
    "demo_akun": (
        "Akun demo (kata sandi hanya ditampilkan sekali ini)",
        "Demo accounts (passwords are shown this once only)",
    ),
    "demo_akun_ada": (
        "Akun web sudah ada; kata sandinya tidak ditampilkan lagi.",
        "Web accounts already exist; their passwords are not shown again.",
    ),
    "tahun_alokasi": ("alokasi anggaran", "budget allocation"),
    "tahun_penyaluran": ("verifikasi, persetujuan, penyaluran", "verification, approval, delivery"),
    "tahun_air": ("jaringan air", "water networks"),
    "tahun_data_baru": ("data keluarga baru", "new family data"),
    "demo_tahun": ("Simulasi satu tahun", "Simulating a year"),
    "demo_tahun_ringkas": (
        "{proposals} usulan dari alokasi; berkas status {rows} baris ({rejected} ditolak); "
        "jaringan air beroperasi di {villages} ({households} keluarga tersambung); "
        "{updated} baris data keluarga baru dimuat.",
        "{proposals} proposals from the allocation; status file of {rows} rows ({rejected} "
        "refused); water networks operating in {villages} ({households} families connected); "
        "{updated} rows of new family data loaded.",
    ),
    "demo_konvergensi": (
        "Konvergensi kabupaten: penilaian #{before} (awal tahun) dan #{after} (setelah setahun)",
        "Regency convergence: assessment #{before} (start of year) and #{after} (a year on)",
    ),
    "sebelum": ("sebelum", "before"),
    "sesudah": ("sesudah", "after"),
    "krs_belum_terjangkau": (
        "Keluarga KRS{poor} belum dijangkau program apa pun; faktor: {faktor}.",
        "KRS (at-risk) family{poor} not reached by any programme; factors: {faktor}.",
    ),
    "dan_miskin_ekstrem": (" dan miskin ekstrem", " (extreme poor)"),
    "katalog_program": ("Katalog program", "Programme catalogue"),
    "tingkat_tidak_dikenal": (
        "Tingkat '{level}' tidak dikenal; pilihan: desa, kecamatan, kabupaten.",
        "Unknown level '{level}'; choices: desa, kecamatan, kabupaten.",
    ),
    "cakupan_judul": (
        "Cakupan per {level} (penilaian #{run})",
        "Coverage by {level} (assessment #{run})",
    ),
    "wf_berubah": (
        "{program} · {no_kk}: '{old}' → '{new}' (versi {version}).",
        "{program} · {no_kk}: '{old}' → '{new}' (version {version}).",
    ),
    "pj_status_tidak_dikenal": (
        "Status proyek '{status}' tidak dikenal; pilihan: {choices}.",
        "Unknown project status '{status}'; choices: {choices}.",
    ),
    "pj_transisi_tidak_sah": (
        "Proyek di desa {desa} tidak dapat berubah dari '{old}' ke '{new}'.",
        "The project in village {desa} cannot change from '{old}' to '{new}'.",
    ),
    "pj_belum_beroperasi": (
        "Rumah tangga hanya dapat disambungkan ke jaringan yang sudah beroperasi (sekarang '{status}').",
        "Households can only be connected to an operating network (now '{status}').",
    ),
    "pj_tidak_ada": (
        "Belum ada proyek {program} di desa {desa}.",
        "There is no {program} project in village {desa} yet.",
    ),
    "pj_versi_bentrok": (
        "Proyek ini baru saja diubah oleh {by} (status sekarang '{status}', versi {version}); "
        "muat ulang lalu ulangi perubahan Anda.",
        "This project was just changed by {by} (status now '{status}', version {version}); "
        "reload and repeat your change.",
    ),
    "pj_keluarga_bukan_desa": (
        "Keluarga {no_kk} tidak terdaftar di desa {desa}; hanya keluarga desa itu yang dapat "
        "disambungkan.",
        "Family {no_kk} is not registered in village {desa}; only that village's families can be "
        "connected.",
    ),
    "pj_pilih_keluarga": (
        "Pilih keluarga yang akan disambungkan.",
        "Choose the families to connect.",
    ),
    "jaringan_judul": ("Jaringan air desa {desa}", "Water network of {desa}"),
    "jaringan_keadaan": ("Keadaan jaringan", "Network status"),
    "jaringan_keluarga_tersambung": ("Keluarga tersambung", "Families connected"),
    "jaringan_sambungan_tercatat": ("Sambungan rumah tercatat", "House connections recorded"),
    "jaringan_tahap_baru": ("Tahap", "Stage"),
    "jaringan_tanggal": ("Tanggal", "Date"),
    "jaringan_simpan_tahap": ("Simpan tahap", "Save stage"),
    "jaringan_riwayat": ("Riwayat jaringan", "Network history"),
    "jaringan_belum_dicatat": (
        "Belum ada proyek tercatat untuk desa ini.",
        "No project has been recorded for this village yet.",
    ),
    "jaringan_sambung_judul": ("Sambungan rumah tangga", "Household connections"),
    "jaringan_cari": ("Nama kepala keluarga atau No. KK", "Head of family's name or No. KK"),
    "jaringan_tanggal_sambung": ("Tanggal sambung", "Connected on"),
    "jaringan_sambungkan": ("Sambungkan yang dipilih", "Connect the chosen"),
    "jaringan_harus_beroperasi": (
        "Sambungan dicatat setelah jaringan beroperasi.",
        "Connections are recorded once the network operates.",
    ),
    "jaringan_tersambung_sejak": ("Tersambung sejak", "Connected since"),
    "jaringan_daftar": ("Jaringan per desa", "Networks by village"),
    "jaringan_buka": ("Buka jaringan desa", "Open a village's network"),
    "jaringan_terakhir": ("Perubahan terakhir", "Last change"),
    "bukti_buka": ("bukti", "evidence"),
    "pj_desa_bukan_kode": (
        "'{text}' bukan kode desa dan tidak cocok dengan satu nama desa: {detail}",
        "'{text}' is not a village code and matches no single village name: {detail}",
    ),
    "severity_error": ("ditolak", "rejected"),
    "severity_warning": ("peringatan", "warning"),
    # --- accounts and sign-in ---
    "masuk_dibatasi": (
        "Terlalu banyak percobaan masuk yang gagal. Tunggu {minutes} menit lalu coba lagi, atau "
        "hubungi admin.",
        "Too many failed sign-in attempts. Wait {minutes} minutes and try again, or contact the "
        "admin.",
    ),
    "pengguna_sandi_kosong": (
        "Kata sandi tidak boleh kosong atau hanya berisi spasi.",
        "The password may not be blank or spaces only.",
    ),
    "pengguna_sandi_pendek": (
        "Kata sandi minimal {n} karakter.",
        "The password needs at least {n} characters.",
    ),
    "pengguna_sandi_mirip_nama": (
        "Kata sandi tidak boleh memuat nama pengguna '{username}' atau mirip dengannya: itu "
        "tebakan pertama seorang penyerang.",
        "The password may not contain or resemble the username '{username}': that is an "
        "attacker's first guess.",
    ),
    "pengguna_sandi_pola": (
        "Kata sandi terlalu mudah ditebak: isinya hanya karakter berulang, urutan (abc, 123) "
        "atau deretan tombol papan ketik. Gabungkan beberapa kata yang tidak biasa.",
        "The password is too easy to guess: it is only repeated characters, a sequence (abc, "
        "123) or a row of keyboard keys. Combine a few uncommon words.",
    ),
    "pengguna_sandi_umum": (
        "Kata sandi terlalu mudah ditebak: isinya kata sandi atau kata yang umum dipakai. "
        "Gabungkan beberapa kata yang tidak biasa.",
        "The password is too easy to guess: it is made of common passwords or words. Combine "
        "a few uncommon words.",
    ),
    "pengguna_sandi_lemah": (
        "Kata sandi terlalu mudah ditebak. Buat lebih panjang dengan beberapa kata yang tidak "
        "biasa.",
        "The password is too easy to guess. Make it longer with a few uncommon words.",
    ),
    "pengguna_tidak_ditemukan": (
        "Pengguna '{username}' tidak ada.",
        "There is no user '{username}'.",
    ),
    "sandi_diganti": (
        "Kata sandi {username} diganti; {n} sesi dan token API yang masih berlaku dicabut.",
        "The password of {username} was changed; {n} live sessions and API tokens were revoked.",
    ),
    "token_id_tidak_sah": (
        "Id token harus berupa minimal {n} karakter heksadesimal (lihat 'sinergi user tokens').",
        "A token id is at least {n} hexadecimal characters (see 'sinergi user tokens').",
    ),
    "token_tidak_ditemukan": (
        "Tidak ada sesi atau token API dengan id {id}.",
        "No session or API token has the id {id}.",
    ),
    "token_ambigu": (
        "Id {id} cocok dengan lebih dari satu token; tulis lebih banyak karakter.",
        "The id {id} matches more than one token; give more characters.",
    ),
    "token_dicabut": (
        "{kind} {id} milik {username} dicabut.",
        "{kind} {id} of {username} revoked.",
    ),
    "token_dicabut_semua": (
        "{n} sesi dan token API {username} yang masih berlaku dicabut.",
        "{n} live sessions and API tokens of {username} revoked.",
    ),
    "token_revoke_perlu_satu": (
        "Sebutkan satu TOKEN_ID atau --user NAMA (tidak keduanya).",
        "Give either a TOKEN_ID or --user NAME (not both).",
    ),
    "token_judul": ("Sesi dan token API", "Sessions and API tokens"),
    "token_tidak_ada": ("Tidak ada sesi atau token API.", "No sessions or API tokens."),
    "token_kolom_id": ("id", "id"),
    "token_kolom_pengguna": ("pengguna", "user"),
    "token_kolom_jenis": ("jenis", "kind"),
    "token_kolom_dibuat": ("dibuat", "created"),
    "token_kolom_berakhir": ("berlaku s.d.", "expires"),
    "token_kolom_dipakai": ("terakhir dipakai", "last used"),
    "token_kolom_keadaan": ("keadaan", "state"),
    "token_jenis_cookie": ("Sesi peramban", "Browser session"),
    "token_jenis_bearer": ("Token API", "API token"),
    "token_keadaan_aktif": ("aktif", "active"),
    "token_keadaan_kedaluwarsa": ("kedaluwarsa", "expired"),
    "token_keadaan_dicabut": ("dicabut", "revoked"),
    "berkas_terlalu_besar": (
        "Berkas terlalu besar: batasnya {limit:id} MiB.",
        "The file is too large: the limit is {limit:en} MiB.",
    ),
    "kiriman_terlalu_besar": (
        "Isian formulir terlalu besar: batasnya {limit:id} MiB.",
        "The form is too large: the limit is {limit:en} MiB.",
    ),
    "api_belum_masuk": (
        "belum masuk: kirim token di header Authorization: Bearer",
        "not authenticated",
    ),
    # --- web: growth chart (charts.growth_chart_svg; titles are indikator_<indicator>) ---
    "grafik_y_tbu": ("Panjang/tinggi badan (cm)", "Length/height (cm)"),
    "grafik_y_bbu": ("Berat badan (kg)", "Weight (kg)"),
    "grafik_x": ("Umur (bulan)", "Age (months)"),
    "grafik_L": ("Laki-laki", "Boys"),
    "grafik_P": ("Perempuan", "Girls"),
    "grafik_median": ("Median", "Median"),
    "grafik_child": ("Pengukuran anak", "Child's measurements"),
    "grafik_month": ("bln", "mo"),
    "grafik_source": ("Standar WHO 2006", "WHO 2006 standards"),
    # --- web: frame, navigation ---
    "aplikasi": ("Sinergi", "Sinergi"),
    "menu": ("Menu utama", "Main menu"),
    "nav_dasbor": ("Dasbor", "Dashboard"),
    "nav_peta": ("Peta", "Map"),
    "nav_keluarga": ("Keluarga", "Families"),
    "nav_program": ("Program", "Programmes"),
    "nav_terlewat": ("Terlewat", "Missed"),
    "nav_impor": ("Impor", "Import"),
    "nav_audit": ("Log audit", "Audit log"),
    "nav_pengguna": ("Pengguna", "Users"),
    "nav_tautan": ("Tinjauan tautan", "Link review"),
    # --- the linkage review queue (link.review: CLI `sinergi review`, page /tautan) ---
    "tautan_judul": ("Tinjauan tautan", "Link review"),
    "tautan_jelas": (
        "Pasangan catatan yang mungkin orang yang sama tetapi belum pasti. Bandingkan kedua sisi, "
        "lalu terima (satu orang) atau tolak (dua orang); keputusan langsung berlaku dan diingat "
        "pada penautan berikutnya.",
        "Pairs of records that may be the same person but are not certain. Compare both sides, "
        "then accept (one person) or reject (two people); the decision applies at once and is "
        "remembered at the next linkage.",
    ),
    "tautan_menunggu": (
        "{n} pasangan menunggu keputusan.",
        "{n} pairs waiting for a decision.",
    ),
    "tautan_kosong": (
        "Tidak ada pasangan yang menunggu keputusan.",
        "No pair is waiting for a decision.",
    ),
    "tautan_pasangan": (
        "Pasangan {id} · peluang {peluang} · bobot kecocokan {bobot}",
        "Pair {id} · probability {peluang} · match weight {bobot}",
    ),
    "tautan_kiri": ("Catatan kiri", "Left record"),
    "tautan_kanan": ("Catatan kanan", "Right record"),
    "tautan_bidang": ("Isian", "Field"),
    "tautan_kecocokan": ("Kecocokan", "Agreement"),
    "tautan_sama": ("sama", "agree"),
    "tautan_sebagian": ("mirip", "partly"),
    "tautan_beda": ("beda", "disagree"),
    "tautan_tanpa_nilai": ("kosong", "missing"),
    "tautan_alasan_konflik": (
        "tanggal lahir atau jenis kelamin bertentangan",
        "birth date or sex conflict",
    ),
    "tautan_alasan_di_antara_ambang": (
        "peluang di antara kedua ambang",
        "probability between the two thresholds",
    ),
    "tautan_terima": ("Terima (satu orang)", "Accept (one person)"),
    "tautan_tolak": ("Tolak (dua orang)", "Reject (two people)"),
    "tautan_diterima": (
        "Pasangan {id} diterima: kedua catatan kini satu orang.",
        "Pair {id} accepted: the two records are now one person.",
    ),
    "tautan_ditolak": (
        "Pasangan {id} ditolak: kedua catatan tidak akan pernah disatukan.",
        "Pair {id} rejected: the two records will never be joined.",
    ),
    "tautan_tidak_ditemukan": (
        "Pasangan {id} tidak ditemukan.",
        "Pair {id} not found.",
    ),
    "tautan_tidak_boleh": (
        "Peran Anda tidak boleh meninjau tautan.",
        "Your role may not review links.",
    ),
    "tautan_sudah_diputuskan": (
        "Pasangan {id} sudah diputuskan ({status}); hanya pasangan yang menunggu dapat diputuskan.",
        "Pair {id} has already been decided ({status}); only a waiting pair can be decided.",
    ),
    "tautan_halaman": (
        "Halaman {page} dari {pages}",
        "Page {page} of {pages}",
    ),
    "tautan_halaman_lain": (
        "Halaman {page} dari {pages}; halaman lain: --page N.",
        "Page {page} of {pages}; other pages: --page N.",
    ),
    "halaman_sebelumnya": ("‹ Sebelumnya", "‹ Previous"),
    "halaman_berikutnya": ("Berikutnya ›", "Next ›"),
    "cetak": ("Cetak", "Print"),
    "about_tautan": ("Tautan catatan orang", "Person record links"),
    "about_golden": (
        "Rekaman emas per orang: identitas dari Kartu Keluarga, desa terbaru, sumber tiap nilai",
        "Golden record per person: identity from the family card, newest village, each value's source",
    ),
    "ganti_bahasa": ("English", "Bahasa Indonesia"),
    "keluar": ("Keluar", "Log out"),
    "kaki": (
        "Sinergi — satu data keluarga berisiko stunting. Akses data pribadi dicatat (UU 27/2022).",
        "Sinergi — one registry of families at risk of stunting. Access to personal data "
        "is recorded (Law 27/2022).",
    ),
    "kembali_ke_dasbor": ("Kembali ke dasbor", "Back to the dashboard"),
    "galat_403": (
        "Anda tidak berhak membuka halaman ini.",
        "You are not allowed to open this page.",
    ),
    "galat_404": ("Halaman atau data tidak ditemukan.", "Page or record not found."),
    "galat_csrf": (
        "Formulir kedaluwarsa atau tidak sah; muat ulang halaman lalu coba lagi.",
        "The form has expired or is not valid; reload the page and try again.",
    ),
    "galat_500": (
        "Terjadi kesalahan tak terduga (rujukan {ref}). Sampaikan rujukan ini kepada admin.",
        "An unexpected error occurred (reference {ref}). Quote this reference to the admin.",
    ),
    "galat_umum": ("Permintaan tidak dapat diproses.", "The request cannot be processed."),
    # --- web: login ---
    "masuk": ("Masuk", "Log in"),
    "masuk_judul": ("Masuk ke Sinergi", "Log in to Sinergi"),
    "masuk_sub": (
        "Satu data keluarga berisiko stunting untuk semua perangkat daerah.",
        "One registry of families at risk of stunting for every agency.",
    ),
    "nama_pengguna": ("Nama pengguna", "Username"),
    "kata_sandi": ("Kata sandi", "Password"),
    "konflik_ringkas": (
        "{n} keluarga di daftar ini bentrok dengan program lain (atau tercatat dua kali); "
        "instansi yang lain juga melihatnya.",
        "{n} families on this list clash with another programme (or are listed twice); the "
        "other agency sees it too.",
    ),
    "konflik_eksklusif": (
        "bentrok: juga {program} ({instansi}), {status}",
        "clash: also {program} ({instansi}), {status}",
    ),
    "konflik_ganda": ("ganda: {program} {status}", "twice: {program} {status}"),
    "login_formulir_kedaluwarsa": (
        "Formulir masuk sudah kedaluwarsa; silakan coba lagi.",
        "The login form has expired; please try again.",
    ),
    "login_gagal": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    # --- web: roles ---
    "peran": ("Peran", "Role"),
    "peran_admin": ("Admin", "Admin"),
    "peran_dppkb": ("DPPKB", "DPPKB (family planning)"),
    "peran_instansi": ("Petugas instansi", "Agency officer"),
    "peran_desa": ("Operator desa", "Village operator"),
    "peran_analis": ("Analis", "Analyst"),
    "peran_auditor": ("Auditor", "Auditor"),
    # --- web: figures ---
    "keluarga": ("Keluarga", "Families"),
    "keluarga_judul": ("Keluarga", "Family"),
    "krs_satu": ("Keluarga berisiko stunting (KRS)", "Family at risk of stunting (KRS)"),
    "krs": ("KRS", "KRS"),
    "krs_panjang": ("Keluarga berisiko stunting (KRS)", "Families at risk of stunting (KRS)"),
    "prevalensi_stunting": ("Prevalensi stunting", "Stunting prevalence"),
    "ci95": ("IK 95 %: {lo} – {hi}", "95 % CI: {lo} – {hi}"),
    "konvergensi": ("Konvergensi", "Convergence"),
    "konvergensi_jelas": (
        "KRS yang semua kebutuhannya teratasi",
        "KRS families with every need resolved",
    ),
    "konvergensi_dilayani": ("Konvergensi layanan", "Convergence of services"),
    "konvergensi_dilayani_jelas": (
        "KRS yang semua kebutuhannya sudah dilayani (konseling, bantuan, sambungan direncanakan)",
        "KRS families with every need served (counselling, aid, planned connection)",
    ),
    "dilayani": ("Dilayani", "Served"),
    "krs_tanpa_intervensi": ("KRS tanpa intervensi apa pun", "KRS families with no intervention"),
    "balita_diukur": ("Balita diukur", "Under-fives measured"),
    "balita_stunting": ("Balita stunting", "Stunted under-fives"),
    "dari_balita": ("dari {n} balita diukur", "of {n} under-fives measured"),
    "cakupan_ukur": ("Cakupan ukur 3 bln", "Measured in 3 months"),
    "cakupan_ukur_dari": (
        "{share} dari {n} balita terdaftar diukur 3 bulan terakhir",
        "{share} of {n} registered under-fives measured in the last 3 months",
    ),
    "dari_terdaftar": ("{m} dari {n}", "{m} of {n}"),
    "penilaian": ("Penilaian", "Assessment"),
    "tanpa_data": ("tanpa data", "no data"),
    # --- web: dashboard ---
    "dasbor_judul": ("Dasbor kabupaten", "Regency dashboard"),
    "dasbor_sub": (
        "Penilaian #{run} · aturan {rules} · tanggal acuan {date}",
        "Assessment #{run} · rules {rules} · reference date {date}",
    ),
    "belum_ada_penilaian_web": (
        "Belum ada hasil penilaian. Impor data lalu jalankan penilaian.",
        "No assessment yet. Import data and run an assessment.",
    ),
    "resmi_judul": (
        "Angka Sinergi di samping angka resmi: periode dan jenis sumber",
        "Sinergi's figures beside the published ones: period and kind of source",
    ),
    "sinergi_angka": ("Sinergi ({date})", "Sinergi ({date})"),
    "angka_resmi": ("Angka resmi Kutai Timur", "Published, Kutai Timur"),
    "resmi_catatan": (
        "Dua angka sebanding hanya bila keduanya menggambarkan tahun yang sama dan berasal dari "
        "jenis sumber yang sama: survei sampel (SSGI) dan sensus posyandu (e-PPGBM) mengukur hal "
        "yang berbeda, dan daftar keluarga tahun lain bukan daftar yang sama.",
        "Two figures are comparable only when both describe the same year and come from the same "
        "kind of source: a sample survey (SSGI) and a posyandu census (e-PPGBM) measure different "
        "things, and another year's family roster is not the same roster.",
    ),
    "resmi_sintetis": (
        "Data sintetis. Data di basis data ini dibuat oleh pembangkit data Sinergi (sinergi "
        "synth), yang dikalibrasi ke angka resmi Kutai Timur (≈ 15.500 KRS, ≈ 20 % stunting): "
        "kemiripannya dengan angka resmi terjadi karena kalibrasi, bukan validasi.",
        "Synthetic data. The data in this database were made by Sinergi's generator (sinergi "
        "synth), which was calibrated to the published Kutai Timur figures (≈ 15,500 KRS, "
        "≈ 20 % stunting): their agreement with the published figures comes from that "
        "calibration and validates nothing.",
    ),
    "resmi_kol_sumber": ("Sumber dan periode", "Source and period"),
    "resmi_kol_banding": ("Sebanding?", "Comparable?"),
    "sebanding": (
        "Sebanding: tahun dan jenis sumber sama",
        "Comparable: same year and kind of source",
    ),
    "tidak_sebanding": ("Tidak sebanding: {why}", "Not comparable: {why}"),
    "banding_sintetis": (
        "data sintetis, dikalibrasi ke angka resmi",
        "synthetic data, calibrated to the published figures",
    ),
    "banding_periode": (
        "periode berbeda ({ours} dan {theirs})",
        "different periods ({ours} and {theirs})",
    ),
    "banding_jenis": (
        "jenis sumber berbeda ({ours} dan {theirs})",
        "different kinds of source ({ours} and {theirs})",
    ),
    "sinergi_sumber_krs": (
        "Daftar keluarga di registri, dinilai per {date} dengan aturan {rules}",
        "The registry's family roster as assessed on {date}, rule set {rules}",
    ),
    "sinergi_sumber_stunting": (
        "Pengukuran posyandu (e-PPGBM) per {date}: {n} balita diukur, pengukuran terakhir tiap "
        "anak; diukur dalam {months} bulan terakhir: {share} dari {registered} balita terdaftar",
        "Posyandu measurements (e-PPGBM) as of {date}: {n} under-fives measured, each child's "
        "latest measurement; measured in the last {months} months: {share} of {registered} "
        "registered under-fives",
    ),
    "sinergi_sumber_penduduk": (
        "Anggota keluarga di registri per {date}",
        "Family members in the registry as of {date}",
    ),
    "sumber_dan_jenis": ("{source} — {kind}", "{source} — {kind}"),
    "sumber_jenis_pendataan": (
        "pendataan keluarga (sensus keluarga)",
        "family data collection (a census of families)",
    ),
    "sumber_jenis_posyandu": ("sensus posyandu (e-PPGBM)", "posyandu census (e-PPGBM)"),
    "sumber_jenis_survei": ("survei sampel", "sample survey"),
    "sumber_jenis_registrasi": ("registrasi penduduk (Dukcapil)", "civil registration (Dukcapil)"),
    "resmi_sumber_krs": (
        "Verval KRS BKKBN 2024, SIGA/Elsimil (DPPKB Kutai Timur)",
        "BKKBN Verval KRS 2024, SIGA/Elsimil (DPPKB Kutai Timur)",
    ),
    "resmi_sumber_ssgi_2024": (
        "SSGI 2024, Kemenkes (dirilis Mei 2025)",
        "SSGI 2024, Kemenkes (released May 2025)",
    ),
    "resmi_sumber_ssgi_2022": ("SSGI 2022, Kemenkes", "SSGI 2022, Kemenkes"),
    "resmi_sumber_penduduk": (
        "Kepmendagri 300.2.2-2138/2025 (data kependudukan 2024)",
        "Kepmendagri 300.2.2-2138/2025 (2024 population data)",
    ),
    "tren_judul": ("KRS dan miskin ekstrem per penilaian", "KRS and extreme poor by assessment"),
    "tren_stunting_judul": (
        "Prevalensi stunting per penilaian",
        "Stunting prevalence by assessment",
    ),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    # --- web: map ---
    "peta_judul": ("Peta desa", "Village map"),
    "peta_warnai": ("Warnai menurut", "Colour by"),
    "peta_klik": ("Klik desa untuk membuka halamannya.", "Click a village to open its page."),
    "peta_perlu_js": (
        "Peta memerlukan JavaScript; daftar desa ada di dasbor.",
        "The map needs JavaScript; the village figures are on the dashboard.",
    ),
    "metrik_krs": ("Jumlah KRS", "KRS families"),
    "metrik_prevalensi_stunting_pct": ("Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "metrik_konvergensi_pct": ("Konvergensi (%)", "Convergence (%)"),
    "metrik_jaringan_air": ("Jaringan air desa", "Village water network"),
    "air_belum_ada": ("Belum ada", "None"),
    "air_perencanaan": ("Perencanaan", "Planned"),
    "air_konstruksi": ("Konstruksi", "Under construction"),
    "air_beroperasi": ("Beroperasi", "Operating"),
    "air_tidak_diketahui": ("Tidak diketahui", "Unknown"),
    # --- web: village ---
    "desa": ("Desa", "Village"),
    "kebutuhan_judul": ("Kebutuhan KRS menurut faktor", "KRS needs by factor"),
    "faktor": ("Faktor", "Factor"),
    "perlu": ("Perlu", "Need"),
    "terpenuhi": ("Teratasi", "Resolved"),
    "proses": ("Dalam proses", "In progress"),
    "tidak_ada_kebutuhan": (
        "Tidak ada KRS di desa ini pada penilaian terakhir.",
        "No KRS families in this village in the latest assessment.",
    ),
    "program_di_desa": ("Program di desa ini", "Programmes in this village"),
    "belum_ada_program": ("Belum ada program di desa ini.", "No programme in this village yet."),
    "program": ("Program", "Programme"),
    "peringkat": ("Peringkat", "Rank"),
    "terpilih": ("Terpilih", "Selected"),
    "alasan": ("Alasan", "Reason"),
    "ya": ("ya", "yes"),
    "tidak": ("tidak", "no"),
    "status_penerima": ("Penerima menurut status", "Beneficiaries by status"),
    "proyek": ("Proyek", "Project"),
    "proyek_perencanaan": ("Perencanaan", "Planned"),
    "proyek_konstruksi": ("Konstruksi", "Under construction"),
    "proyek_beroperasi": ("Beroperasi", "Operating"),
    "sambungan": ("{n} sambungan rumah", "{n} house connections"),
    "daftar_krs_desa": ("Daftar KRS desa", "KRS families of the village"),
    "data_pribadi_dicatat": (
        "Data pribadi: setiap tampilan dicatat di log audit.",
        "Personal data: every view is recorded in the audit log.",
    ),
    "kepala_keluarga": ("Kepala keluarga", "Head of family"),
    "alamat": ("Alamat", "Address"),
    # --- web: a village's verification list, the musdes sheet, the family page's verification
    # form and DPPKB's approvals (web/routes/village.py) ---
    "nav_desa_saya": ("Desa saya", "My village"),
    "nav_verifikasi": ("Persetujuan verifikasi", "Verification approvals"),
    "verif_buka": ("Verifikasi keluarga desa ini", "Verify this village's families"),
    "verif_judul": ("Verifikasi keluarga {desa}", "Family verification {desa}"),
    "verif_penjelasan": (
        "Keluarga penilaian terakhir (#{run}, tanggal acuan {date}) di desa ini: pastikan setiap "
        "keluarga masih ada, catat yang pindah dan anggota yang meninggal, dan perbaiki datanya "
        "di halaman keluarga.",
        "Families of the latest assessment (#{run}, reference date {date}) in this village: "
        "confirm each family is still there, record moves and deceased members, and correct "
        "their data on the family page.",
    ),
    "verif_daftar": ("Daftar", "List"),
    "verif_daftar_krs": ("Keluarga KRS", "KRS families"),
    "verif_daftar_sasaran": ("Semua keluarga sasaran", "All target families"),
    "verif_daftar_semua": ("Semua keluarga", "All families"),
    "verif_dusun": ("Dusun", "Dusun (hamlet)"),
    "verif_semua": ("Semua", "All"),
    "verif_terakhir": ("Verifikasi terakhir", "Last verification"),
    "verif_semua_hasil": ("Semua hasil", "Any result"),
    "verif_belum": ("Belum diverifikasi", "Not verified yet"),
    # hasil_verifikasi_<code>: the results of a verification (registry.verify.HASIL)
    "hasil_verifikasi_ada": ("Ada", "Confirmed"),
    "hasil_verifikasi_pindah": ("Pindah", "Moved"),
    "hasil_verifikasi_meninggal": ("Meninggal", "Deceased"),
    "hasil_verifikasi_tidak_ditemukan": ("Tidak ditemukan", "Not found"),
    "hasil_verifikasi_koreksi": ("Koreksi", "Correction"),
    # status_verifikasi_<status>: what became of a recorded verification
    "status_verifikasi_diterapkan": ("Diterapkan", "Applied"),
    "status_verifikasi_menunggu": ("Menunggu persetujuan DPPKB", "Awaiting DPPKB approval"),
    "status_verifikasi_ditolak": ("Ditolak", "Rejected"),
    # verif_sumber_<sumber>: how a verification came in
    "verif_sumber_impor": ("impor berkas", "file import"),
    "verif_sumber_web": ("web", "web"),
    "verif_sumber_odk": ("formulir lapangan", "field form"),
    # temuan_<code>: the case-finding codes of a family's members (assess.findings.FAMILY_CODES)
    "temuan_anak_stunting": ("Anak stunting", "Stunted child"),
    "temuan_anak_kurus": ("Anak gizi kurang", "Wasted child"),
    "temuan_anak_berat_kurang": ("Anak berat badan kurang", "Underweight child"),
    "temuan_anak_2t": ("Anak 2T", "Child 2T (weight faltering)"),
    "temuan_anak_lila_rendah": ("LiLA anak rendah", "Child with low MUAC"),
    "temuan_anak_edema": ("Anak edema", "Child with oedema"),
    "temuan_anak_bblr": ("Bayi BBLR", "Low birth weight"),
    "temuan_ukur_ulang": ("Perlu ukur ulang", "Measure again"),
    "temuan_ibu_hamil_kek": ("Ibu hamil KEK", "Pregnant woman with KEK"),
    "temuan_ibu_hamil_anemia": ("Ibu hamil anemia", "Pregnant woman with anaemia"),
    "musdes_buka": ("Lembar musdes (cetak)", "Musdes sheet (print)"),
    "musdes_judul": (
        "Lembar verifikasi keluarga — musyawarah desa (musdes)",
        "Family verification sheet — village meeting (musdes)",
    ),
    "musdes_cetak_catatan": (
        "Menu dan tombol tidak ikut tercetak; cetak mendatar (landscape).",
        "Menus and buttons are not printed; print in landscape.",
    ),
    "musdes_kepala": (
        "Desa {desa}, Kecamatan {kecamatan} · dicetak {date} · penilaian #{run} (tanggal acuan "
        "{ref}), aturan {rules}",
        "Village {desa}, Kecamatan {kecamatan} · printed {date} · assessment #{run} (reference "
        "date {ref}), rules {rules}",
    ),
    "musdes_petunjuk": (
        "Beri tanda pada satu kolom per keluarga. Pindah: tulis desa tujuan di Catatan. "
        "Meninggal: tulis nama anggota. Koreksi: tulis kolom dan nilai yang benar. Hasilnya "
        "dicatat di Sinergi pada halaman keluarga atau diimpor sebagai berkas verifikasi.",
        "Tick one column per family. Moved: write the destination village under Note. "
        "Deceased: write the member's name. Correction: write the column and the right value. "
        "The results are recorded in Sinergi on the family page or imported as a verification "
        "file.",
    ),
    "musdes_bagian_keluarga": (
        "A. Keluarga yang diverifikasi ({n})",
        "A. Families to verify ({n})",
    ),
    "musdes_bagian_temuan": (
        "B. Anak dan ibu hamil dari temuan kasus ({n})",
        "B. Children and pregnant women found by case finding ({n})",
    ),
    "musdes_temuan_catatan": (
        "Dari penilaian #{run}; temuan yang sudah ditangani program tidak dicantumkan.",
        "From assessment #{run}; findings a programme has already served are left out.",
    ),
    "musdes_belum_diukur": (
        "Selain itu, {n} balita keluarga desa ini belum diukur dalam 3 bulan terakhir: tidak "
        "dicantumkan satu per satu di sini; namanya ada di daftar terlewat (alasan belum_diukur).",
        "Besides, {n} under-fives of this village's families were not measured in the last 3 "
        "months: not listed one by one here; the missed list names them (reason belum_diukur).",
    ),
    "musdes_tempat_tanggal": (
        "{desa}, tanggal ....................",
        "{desa}, date ....................",
    ),
    "musdes_kepala_desa": ("Kepala Desa", "Village head"),
    "musdes_kader": ("Kader / TPK", "Cadre / family support team (TPK)"),
    "musdes_nama_ttd": ("(nama dan tanda tangan)", "(name and signature)"),
    # --- meeting-ready reports (sinergi.reports: render_pdf, kinds; `sinergi report`) ---
    "lap_halaman": ("Halaman {x} dari {y}", "Page {x} of {y}"),
    "lap_dicetak": ("Dicetak {waktu}", "Printed {waktu}"),
    "lap_nama_ttd": ("(nama dan tanda tangan)", "(name and signature)"),
    "lap_tabel_kosong": ("Tidak ada baris untuk tabel ini.", "This table has no rows."),
    "lap_jenis_tidak_dikenal": (
        "Jenis laporan '{kind}' tidak dikenal; pilih salah satu: {kinds}.",
        "Unknown report kind '{kind}'; choose one of: {kinds}.",
    ),
    "lap_format_tidak_dikenal": (
        "Laporan ditulis sebagai .pdf atau .xlsx, bukan '{name}'.",
        "A report is written as .pdf or .xlsx, not '{name}'.",
    ),
    "lap_desa_wajib": (
        "Laporan '{kind}' untuk satu desa: beri --desa KODE (mis. 64.08.01.2001).",
        "The '{kind}' report is for one village: give --desa CODE (e.g. 64.08.01.2001).",
    ),
    "lap_desa_tidak_dikenal": (
        "'{code}' bukan kode desa di wilayah ini.",
        "'{code}' is not a village code of this region.",
    ),
    "lap_kecamatan_tidak_dikenal": (
        "'{code}' bukan kode kecamatan di wilayah ini (mis. 64.08.01).",
        "'{code}' is not a kecamatan code of this region (e.g. 64.08.01).",
    ),
    "lap_periode_salah": (
        "Periode '{text}' tidak dikenal; tulis 2026-S1 (semester), 2026-T3 (triwulan) atau 2026.",
        "Unknown period '{text}'; write 2026-S1 (semester), 2026-T3 (quarter) or 2026.",
    ),
    "lap_di_luar_wilayah": (
        "Wilayah {code} di luar wilayah akun ini.",
        "Area {code} is outside this account's area.",
    ),
    "lap_menyusun": ("Menyusun laporan {kind} …", "Building the {kind} report …"),
    "lap_ditulis": (
        "Laporan ditulis: {path} ({pages} halaman, {seconds} detik)",
        "Report written: {path} ({pages} pages, {seconds} s)",
    ),
    "lap_ditulis_xlsx": (
        "Laporan ditulis: {path} ({rows} baris, {seconds} detik)",
        "Report written: {path} ({rows} rows, {seconds} s)",
    ),
    # A report's buttons name the report: a page may hold a list's own "Unduh XLSX" beside them.
    "lap_tombol_pdf": ("{laporan} (PDF)", "{laporan} (PDF)"),
    "lap_tombol_xlsx": ("{laporan} (XLSX)", "{laporan} (XLSX)"),
    "lap_tombol_judul": ("Cetak atau unduh: {laporan}", "Print or download: {laporan}"),
    "lap_nama_musdes": ("Lembar musdes", "Musdes sheet"),
    "lap_nama_kasus": ("Laporan kasus", "Case report"),
    "lap_nama_rembuk": ("Bahan rembuk stunting", "Rembuk stunting pack"),
    "lap_nama_scorecard": ("Kartu skor desa", "Village scorecard"),
    "lap_nama_tpps": ("Laporan TPPS", "TPPS report"),
    "lap_ya": ("Ya", "Yes"),
    "lap_tidak": ("Tidak", "No"),
    "about_laporan": ("Laporan", "Report"),
    "about_desa": ("Desa", "Village"),
    "about_dusun": ("Dusun", "Dusun (hamlet)"),
    "about_dicetak_oleh": ("Dicetak oleh", "Printed by"),
    "lap_musdes_judul": (
        "Lembar verifikasi keluarga — musyawarah desa (musdes)",
        "Family verification sheet — village meeting (musdes)",
    ),
    "lap_musdes_subjudul": (
        "Desa {desa}, Kecamatan {kecamatan}",
        "Village {desa}, Kecamatan {kecamatan}",
    ),
    "lap_musdes_subjudul_dusun": (
        "Desa {desa}, Kecamatan {kecamatan} · Dusun {dusun}",
        "Village {desa}, Kecamatan {kecamatan} · Dusun {dusun}",
    ),
    "lap_musdes_belum_dinilai": (
        "Belum ada penilaian di registri: jalankan 'sinergi assess' setelah data keluarga "
        "diimpor; lembar musdes mendaftar keluarga dari penilaian terakhir.",
        "The registry has no assessment yet: run 'sinergi assess' after the family data are "
        "imported; the musdes sheet lists the families of the latest assessment.",
    ),
    "lap_musdes_kosong": (
        "Penilaian #{run} tidak mencatat keluarga KRS di Desa {desa}{dusun}, dan temuan kasus "
        "tidak mendaftar anak atau ibu hamil di sana: tidak ada yang perlu diverifikasi.",
        "Assessment #{run} records no KRS family in {desa}{dusun}, and case finding lists no "
        "child or pregnant woman there: there is nothing to verify.",
    ),
    "lap_musdes_kol_no": ("No", "No"),
    "lap_musdes_kol_alamat": ("Dusun / RT / RW", "Dusun / RT / RW"),
    "lap_musdes_kol_faktor": ("Faktor · temuan", "Factors · findings"),
    "lap_musdes_kol_nik": ("NIK", "NIK"),
    "lap_musdes_kol_alasan": ("Kode · alasan", "Code · reason"),
    "lap_musdes_kk_nik_tersamar": (
        "No. KK dan NIK ditampilkan tersamar sesuai peran akun yang mencetak.",
        "No. KK and NIK are shown masked, as the printing account's role requires.",
    ),
    "lap_musdes_nik_tersamar": (
        "NIK anak dan ibu hamil ditampilkan tersamar di kertas, siapa pun yang mencetak.",
        "The NIKs of children and pregnant women are masked on paper, whoever prints.",
    ),
    "lap_musdes_kol_tanggal": ("Tanggal", "Date"),
    "bantuan_report": (
        "Tulis laporan siap rapat sebagai PDF atau XLSX: musdes (lembar verifikasi satu desa), "
        "tpps (semester), scorecard (desa, triwulan), rembuk (tahunan), kasus (daftar kasus).",
        "Write a meeting-ready report as PDF or XLSX: musdes (one village's verification "
        "sheet), tpps (semester), scorecard (village, quarter), rembuk (annual), kasus (cases).",
    ),
    "bantuan_report_kind": (
        "musdes | tpps | scorecard | rembuk | kasus",
        "musdes | tpps | scorecard | rembuk | kasus",
    ),
    "bantuan_report_out": ("Berkas laporan, .pdf atau .xlsx", "Report file, .pdf or .xlsx"),
    "bantuan_report_desa": (
        "Kode atau nama desa (musdes, scorecard, kasus)",
        "Village code or name (musdes, scorecard, kasus)",
    ),
    "bantuan_report_kecamatan": ("Kode kecamatan, mis. 64.08.01", "Kecamatan code, e.g. 64.08.01"),
    "bantuan_report_periode": (
        "2026-S1 (semester) | 2026-T3 (triwulan) | 2026",
        "2026-S1 (semester) | 2026-T3 (quarter) | 2026",
    ),
    "bantuan_report_dusun": ("musdes: satu dusun saja", "musdes: one dusun only"),
    "bantuan_report_oleh": (
        "Dicetak atas nama (bawaan: nama login); dicatat di log audit",
        "Printed as (default: the login name); recorded in the audit log",
    ),
    "lap_musdes_lembar_a": ("A Keluarga", "A Families"),
    "lap_musdes_lembar_b": ("B Temuan kasus", "B Case finding"),
    "verif_riwayat": ("Verifikasi desa", "Village verification"),
    "verif_riwayat_kosong": (
        "Keluarga ini belum pernah diverifikasi.",
        "This family has not been verified yet.",
    ),
    "verif_form_judul": ("Catat hasil verifikasi", "Record a verification"),
    "verif_form_catatan": (
        "Meninggal: pilih anggotanya. Koreksi: pilih kolom (dan anggotanya untuk kolom anggota) "
        "lalu tulis nilai baru. Pindah: pilih desa tujuan, atau biarkan kosong bila keluar "
        "kabupaten. Setiap catatan masuk log audit.",
        "Deceased: choose the member. Correction: choose the column (and the member for a "
        "member's column) and write the new value. Moved: choose the destination village, or "
        "leave it empty when the family left the regency. Every record is audited.",
    ),
    "verif_hasil": ("Hasil", "Result"),
    "verif_tanggal": ("Tanggal", "Date"),
    "verif_petugas": ("Petugas", "Officer"),
    "verif_anggota": ("Anggota", "Member"),
    "verif_seluruh_keluarga": ("— seluruh keluarga —", "— the whole family —"),
    "verif_kolom": ("Kolom yang dikoreksi", "Column to correct"),
    "verif_kolom_keluarga": ("Kolom keluarga", "Family columns"),
    "verif_kolom_anggota": ("Kolom anggota", "Member columns"),
    "verif_nilai_baru": ("Nilai baru", "New value"),
    "verif_desa_baru": ("Desa tujuan (pindah)", "Destination village (moved)"),
    "verif_keluar_kabupaten": ("keluar kabupaten", "left the regency"),
    "verif_ke_desa": ("ke {desa}", "to {desa}"),
    "verif_perubahan": ("Perubahan", "Change"),
    "verif_dicatat": ("Dicatat", "Recorded"),
    "verif_simpan": ("Simpan verifikasi", "Save the verification"),
    "verif_tanggal_salah": (
        "Tanggal '{value}' tidak terbaca; pilih tanggal verifikasi.",
        "Date '{value}' cannot be read; choose the verification date.",
    ),
    "verif_tercatat": (
        "Verifikasi #{id} tercatat: {hasil} — {status}.",
        "Verification #{id} recorded: {hasil} — {status}.",
    ),
    "verif_keluar_wilayah": (
        "Keluarga itu kini di luar wilayah Anda dan tidak lagi tercantum di sini.",
        "That family is now outside your area and no longer listed here.",
    ),
    "verif_menunggu_judul": ("Verifikasi menunggu persetujuan", "Verifications awaiting approval"),
    "verif_menunggu_penjelasan": (
        "Koreksi dan pindah yang dicatat desa menunggu persetujuan DPPKB sebelum mengubah data.",
        "Corrections and moves recorded by villages wait for DPPKB's approval before they change "
        "any data.",
    ),
    "verif_persetujuan_mati": (
        "Persetujuan DPPKB tidak diwajibkan (SINERGI_VERIFIKASI_PERLU_PERSETUJUAN mati): "
        "verifikasi desa langsung diterapkan.",
        "DPPKB approval is not required (SINERGI_VERIFIKASI_PERLU_PERSETUJUAN off): village "
        "verifications apply at once.",
    ),
    "verif_menunggu_kosong": ("Tidak ada verifikasi yang menunggu.", "No verification is waiting."),
    "verif_setujui": ("Setujui", "Approve"),
    "verif_tolak": ("Tolak", "Reject"),
    "verif_diputuskan": ("Verifikasi #{id}: {status}.", "Verification #{id}: {status}."),
    # --- web: search, family ---
    "cari_judul": ("Cari keluarga", "Find a family"),
    "cari_label": ("Nama atau No. KK", "Name or No. KK"),
    "cari_placeholder": ("mis. Siti Aminah", "e.g. Siti Aminah"),
    "cari": ("Cari", "Search"),
    "tidak_ditemukan": (
        "Tidak ada keluarga yang cocok dalam wilayah Anda.",
        "No matching family within your area.",
    ),
    "no_kk": ("No. KK", "No. KK"),
    "hasil_penilaian": ("Hasil penilaian", "Assessment result"),
    "tanpa_faktor": ("Tidak ada faktor risiko yang terpenuhi.", "No risk factor fired."),
    "pasangan_pus": ("Pasangan usia subur (istri)", "Couples of reproductive age (wife)"),
    "pasangan_tanpa_faktor": ("tanpa faktor pasangan", "no couple factor"),
    "belum_dinilai": (
        "Keluarga ini belum ada dalam penilaian terakhir.",
        "This family is not in the latest assessment.",
    ),
    "sasaran_pus": ("PUS", "Couple of reproductive age"),
    "sasaran_pus_hamil": ("PUS hamil", "Pregnant"),
    "sasaran_baduta": ("Baduta", "Child under 2"),
    "sasaran_balita": ("Balita", "Child 2–4"),
    "nama": ("Nama", "Name"),
    "hubungan": ("Hubungan", "Relation"),
    "jk": ("JK", "Sex"),
    "tanggal_lahir": ("Tanggal lahir", "Birth date"),
    "kontrasepsi": ("Kontrasepsi", "Contraception"),
    "hamil": ("hamil", "pregnant"),
    "tampilkan_nik": ("Tampilkan NIK", "Show NIKs"),
    "tampilkan_nik_catatan": (
        "Tindakan ini dicatat di log audit.",
        "This action is recorded in the audit log.",
    ),
    "pengukuran_terakhir": ("Pengukuran terakhir {date}", "Latest measurement {date}"),
    "pengukuran": ("Pengukuran terakhir", "Latest measurement"),
    "sumber_data": ("Sumber data", "Data sources"),
    "sumber_data_catatan": (
        "Tanggal keadaan yang digambarkan setiap kelompok data dan berkas asalnya.",
        "The date each group of facts describes and the file it came from.",
    ),
    "sumber_kelompok": ("Data", "Facts"),
    "sumber_berkas": ("Berkas sumber", "Source file"),
    "sumber_roster": (
        "Alamat, rumah, air minum dan sanitasi (data keluarga)",
        "Address, housing, drinking water and sanitation (family roster)",
    ),
    "sumber_p3ke": ("Desil, PKH dan BPNT (P3KE)", "Decile, PKH and BPNT (P3KE)"),
    "sumber_ukur": (
        "Pengukuran {name} pada {date} (e-PPGBM)",
        "Measurement of {name} on {date} (e-PPGBM)",
    ),
    "sumber_baris": ("{file}, baris {row}", "{file}, row {row}"),
    "sumber_belum_ada": ("belum ada", "none yet"),
    # --- web: missed ---
    "terlewat_judul": ("Keluarga dan anak yang terlewat", "Families and children missed"),
    "terlewat_keluarga": (
        "KRS yang belum dijangkau program apa pun: {n}",
        "KRS families no programme has reached: {n}",
    ),
    "terlewat_keluarga_jelas": (
        "Tanpa usulan terverifikasi/disetujui/tersalurkan, tanpa intervensi dari daftar instansi "
        "dan tanpa sambungan proyek desa.",
        "No verified/approved/delivered proposal, no intervention on an agency list and no "
        "connection to a village project.",
    ),
    "terlewat_anak": ("Anak yang terlewat: {n}", "Children missed: {n}"),
    "terlewat_anak_jelas": (
        "Satu baris per temuan (kode di depan alasan); temuan yang sudah ditangani program yang "
        "melayaninya setelah pengukuran tidak dihitung.",
        "One row per finding (its code before the reason); a finding a programme serving it has "
        "delivered to since the measurement is not counted.",
    ),
    "terlewat_tampilkan_ditangani": ("Tampilkan juga yang sudah ditangani", "Show cleared too"),
    "terlewat_sembunyikan_ditangani": ("Sembunyikan yang sudah ditangani", "Hide cleared"),
    "ditangani_oleh": ("Ditangani oleh", "Cleared by"),
    # --- web: programmes ---
    "program_judul": ("Program", "Programmes"),
    "contoh_biaya_catatan": (
        "Biaya program adalah contoh (contoh biaya), bukan harga resmi.",
        "Programme costs are examples, not official prices.",
    ),
    "instansi": ("Instansi", "Agency"),
    "satuan": ("Satuan", "Unit"),
    "satuan_keluarga": ("keluarga", "family"),
    "satuan_desa": ("desa", "village"),
    "anggaran": ("Anggaran", "Budget"),
    "syarat": ("Syarat", "Eligibility"),
    "periode": ("Periode", "Period"),
    "alokasi_judul": (
        "Alokasi anggaran: optimal dibandingkan urut peringkat",
        "Budget allocation: optimal beside taking the ranking in order",
    ),
    "terjangkau_optimal": (
        "Keluarga terjangkau (optimal, HiGHS)",
        "Families reached (optimal, HiGHS)",
    ),
    "terjangkau_greedy": (
        "Keluarga terjangkau (urut peringkat sampai dana habis)",
        "Families reached (ranking until the money runs out)",
    ),
    "biaya_optimal": ("Biaya pilihan optimal", "Cost of the optimal choice"),
    # The allocate form of a family programme's page (the same plan and save as sinergi allocate).
    "alokasikan_judul": ("Alokasikan anggaran", "Allocate the budget"),
    "alokasikan_anggaran": ("Anggaran (Rp)", "Budget (Rp)"),
    "alokasikan_catatan": (
        "Contoh penulisan: 1.200.000.000, Rp 1,2 M, 1,2 miliar. Kosong: anggaran program "
        "({budget}). Keluarga yang sudah punya usulan periode {period} (terbuka, diproses, "
        "tersalurkan atau ditolak) tidak dipilih lagi; usulan terbuka dipertahankan dan dananya "
        "ikut dihitung.",
        "Written e.g. 1.200.000.000, Rp 1,2 M, 1,2 miliar. Empty: the programme's budget "
        "({budget}). Families that already have a proposal for period {period} (open, in "
        "progress, delivered or rejected) are not chosen again; open proposals are kept and their "
        "money is counted.",
    ),
    "alokasikan_tombol": ("Alokasikan", "Allocate"),
    "peringkat_desa": ("Peringkat desa", "Village ranking"),
    "rumus_skor": (
        "Skor = Σ bobot × komponen ternormalisasi (min–max atas desa layak) / Σ bobot.",
        "Score = Σ weight × normalised component (min–max over eligible villages) / Σ weight.",
    ),
    "skor": ("Skor", "Score"),
    "krs_kebutuhan": ("KRS yang membutuhkan", "KRS families in need"),
    "porsi_kebutuhan": ("Porsi kebutuhan", "Share in need"),
    "biaya": ("Biaya", "Cost"),
    "greedy": ("Urut peringkat", "Ranking order"),
    "daftar_penerima": ("Daftar penerima", "Beneficiaries"),
    "status": ("Status", "Status"),
    "semua": ("semua", "all"),
    "kode_desa": ("Kode desa", "Village code"),
    "saring": ("Saring", "Filter"),
    "ekspor_xlsx": ("Ekspor XLSX", "Export XLSX"),
    "ubah_terpilih_ke": ("Ubah yang dipilih ke", "Move selected to"),
    "alasan_tolak": ("Alasan ditolak", "Rejection reason"),
    "catatan": ("Catatan", "Note"),
    "bukti": ("Bukti (foto/PDF, opsional)", "Evidence (photo/PDF, optional)"),
    "terapkan": ("Terapkan", "Apply"),
    "pilih_semua": ("Pilih semua", "Select all"),
    "aksi": ("Aksi", "Action"),
    # --- lists (`sinergi.web.paging`) ---
    "menampilkan": (
        "Menampilkan {first}–{last} dari {total}",
        "Showing {first}–{last} of {total}",
    ),
    "daftar_kosong": ("Tidak ada baris yang sesuai.", "No matching rows."),
    "semua_desa": ("Semua desa", "All villages"),
    "unduh_xlsx": ("Unduh XLSX", "Download XLSX"),
    "terlewat_keluarga_judul": (
        "KRS yang belum dijangkau program apa pun",
        "KRS families no programme has reached",
    ),
    "terlewat_anak_judul": (
        "Anak dan balita yang terlewat",
        "Missed children and under-fives",
    ),
    "about_daftar": ("Daftar", "List"),
    "about_urutan": ("Urutan", "Order"),
    "status_usulan": ("Usulan", "Proposed"),
    "status_terverifikasi": ("Terverifikasi", "Verified"),
    "status_disetujui": ("Disetujui", "Approved"),
    "status_tersalurkan": ("Tersalurkan", "Delivered"),
    "status_ditolak": ("Ditolak", "Rejected"),
    "aksi_terverifikasi": ("Verifikasi", "Verify"),
    "aksi_disetujui": ("Setujui", "Approve"),
    "aksi_tersalurkan": ("Tandai tersalurkan", "Mark delivered"),
    # tolak_<reason>: the rejection reasons of deliver.workflow
    "tolak_pindah": ("Pindah", "Moved"),
    "tolak_meninggal": ("Meninggal", "Died"),
    "tolak_tidak_layak": ("Tidak layak", "Not eligible"),
    "tolak_ganda": ("Ganda", "Duplicate"),
    "tolak_menolak": ("Menolak bantuan", "Declined"),
    "tolak_lainnya": ("Lainnya (isi catatan)", "Other (write a note)"),
    "wf_web_berhasil": (
        "{n} penerima diubah ke status {status}.",
        "{n} beneficiaries moved to {status}.",
    ),
    "wf_web_tidak_ditemukan": (
        "Satu penerima tidak ditemukan dalam wilayah Anda.",
        "One beneficiary was not found within your area.",
    ),
    # --- web: imports ---
    "impor_judul": ("Impor berkas", "Import a file"),
    "jenis_berkas": ("Jenis berkas", "File kind"),
    "tanggal_data": ("Tanggal data (opsional)", "Data date (optional)"),
    "tanggal_data_kolom": ("Tanggal data", "Data date"),
    "tanggal_data_bantuan": (
        "Tanggal keadaan yang digambarkan berkas, bila berbeda dari hari ini.",
        "The date the file's data describe, when it is not today.",
    ),
    "lewat": ("Lewat", "Via"),
    "jenis_keluarga": ("Data keluarga (PK/Verval KRS)", "Family roster (PK/Verval KRS)"),
    "jenis_p3ke": ("P3KE (desil kesejahteraan)", "P3KE (welfare deciles)"),
    "jenis_eppgbm": ("e-PPGBM (pengukuran balita)", "e-PPGBM (child measurements)"),
    "jenis_intervensi": ("Daftar intervensi instansi", "Agency intervention list"),
    "jenis_desa": ("Data desa (jaringan air)", "Village facts (water network)"),
    "jenis_ibu_hamil": (
        "Ibu hamil (Elsimil / ANC / kohort ibu)",
        "Pregnant women (Elsimil / ANC / kohort ibu)",
    ),
    "jenis_catin": ("Calon pengantin (Elsimil)", "Engaged couples (Elsimil)"),
    "jenis_verifikasi": ("Verifikasi keluarga oleh desa", "Village verification of families"),
    "berkas": ("Berkas", "File"),
    "unggah_impor": ("Unggah dan impor", "Upload and import"),
    "hasil_impor": ("Hasil impor", "Import result"),
    "unduh_laporan": ("Unduh laporan validasi (XLSX)", "Download the validation report (XLSX)"),
    "baris": ("Baris", "Row"),
    "kolom": ("Kolom", "Column"),
    "nilai": ("Nilai", "Value"),
    "tingkat": ("Tingkat", "Severity"),
    "masalah_dibatasi": (
        "Menampilkan {n} dari {total} masalah; semuanya ada di laporan.",
        "Showing {n} of {total} problems; the report has all of them.",
    ),
    "impor_terakhir": ("Impor terakhir", "Recent imports"),
    "dimuat": ("Dimuat", "Loaded"),
    "ditolak": ("Ditolak", "Rejected"),
    "oleh": ("Oleh", "By"),
    "laporan": ("Laporan", "Report"),
    # --- web: audit, users ---
    "audit_judul": ("Log audit", "Audit log"),
    "waktu": ("Waktu", "Time"),
    "objek": ("Objek", "Object"),
    "kunci": ("Kunci", "Key"),
    "rincian": ("Rincian", "Details"),
    "pengguna_judul": ("Pengguna", "Users"),
    "tambah_pengguna": ("Tambah pengguna", "Add a user"),
    "wilayah": ("Wilayah", "Area"),
    "tambah": ("Tambah", "Add"),
    "aktif": ("Aktif", "Active"),
    "login_terakhir": ("Login terakhir", "Last login"),
    "nonaktifkan": ("Nonaktifkan", "Deactivate"),
    "aktifkan": ("Aktifkan", "Activate"),
    "atur_ulang_sandi": ("Atur ulang sandi", "Reset password"),
    "sandi_baru": (
        "Kata sandi baru untuk {user} (hanya ditampilkan sekali):",
        "New password for {user} (shown only once):",
    ),
    "pengguna_nama_tidak_sah": (
        "Nama pengguna hanya boleh huruf, angka, titik, - dan _.",
        "A username may only contain letters, digits, '.', '-' and '_'.",
    ),
    "pengguna_peran_tidak_dikenal": (
        "Peran '{role}' tidak dikenal; pilihan: {choices}.",
        "Unknown role '{role}'; choices: {choices}.",
    ),
    "pengguna_wilayah_tidak_dikenal": (
        "Kode wilayah '{region}' tidak dikenal.",
        "Unknown region code '{region}'.",
    ),
    "pengguna_desa_tanpa_wilayah": (
        "Operator desa harus diberi minimal satu kode desa.",
        "A village operator needs at least one village code.",
    ),
    "pengguna_program_tidak_dikenal": (
        "Kode program tidak dikenal: {codes}.",
        "Unknown programme code(s): {codes}.",
    ),
    "pengguna_instansi_tanpa_program": (
        "Petugas instansi harus diberi minimal satu program.",
        "An agency officer needs at least one programme.",
    ),
    "pengguna_sudah_ada": ("Pengguna '{username}' sudah ada.", "User '{username}' already exists."),
    "pengguna_tidak_bisa_nonaktif_diri": (
        "Anda tidak dapat menonaktifkan akun sendiri.",
        "You cannot deactivate your own account.",
    ),
    # --- growth results (assess.zscores): indicators, categories, why an indicator is not scored ---
    # Category words follow the table "Kategori dan Ambang Batas Status Gizi Anak" of Permenkes
    # No. 2 Tahun 2020, which itself gives the English term in brackets. Keys: indikator_<indicator>,
    # gizi_<indicator>_<category> (core.growth.CATEGORIES), gizi_alasan_<reason>
    # (assess.zscores.REASONS); the codes are written into files, the words may be reworded.
    "indikator_tbu": (
        "Panjang/tinggi badan menurut umur (PB/U atau TB/U)",
        "Length/height-for-age",
    ),
    "indikator_bbu": ("Berat badan menurut umur (BB/U)", "Weight-for-age"),
    "indikator_bbtb": (
        "Berat badan menurut panjang/tinggi badan (BB/PB atau BB/TB)",
        "Weight-for-length/height",
    ),
    "indikator_imtu": ("Indeks massa tubuh menurut umur (IMT/U)", "BMI-for-age"),
    "indikator_lila": ("Lingkar lengan atas menurut umur (LiLA/U)", "Arm circumference-for-age"),
    "gizi_tbu_sangat_pendek": ("Sangat pendek (severely stunted)", "Severely stunted"),
    "gizi_tbu_pendek": ("Pendek (stunted)", "Stunted"),
    "gizi_tbu_normal": ("Normal", "Normal"),
    "gizi_tbu_tinggi": ("Tinggi", "Tall"),
    "gizi_bbu_sangat_kurang": (
        "Berat badan sangat kurang (severely underweight)",
        "Severely underweight",
    ),
    "gizi_bbu_kurang": ("Berat badan kurang (underweight)", "Underweight"),
    "gizi_bbu_normal": ("Berat badan normal", "Normal weight"),
    "gizi_bbu_risiko_lebih": ("Risiko berat badan lebih", "Risk of overweight"),
    # IMT/U uses the same six categories as BB/PB and BB/TB (Permenkes 2/2020).
    "gizi_bbtb_gizi_buruk": ("Gizi buruk (severely wasted)", "Severely wasted"),
    "gizi_bbtb_gizi_kurang": ("Gizi kurang (wasted)", "Wasted"),
    "gizi_bbtb_normal": ("Gizi baik (normal)", "Normal"),
    "gizi_bbtb_berisiko_gizi_lebih": (
        "Berisiko gizi lebih (possible risk of overweight)",
        "Possible risk of overweight",
    ),
    "gizi_bbtb_gizi_lebih": ("Gizi lebih (overweight)", "Overweight"),
    "gizi_bbtb_obesitas": ("Obesitas (obese)", "Obese"),
    "gizi_imtu_gizi_buruk": ("Gizi buruk (severely wasted)", "Severely wasted"),
    "gizi_imtu_gizi_kurang": ("Gizi kurang (wasted)", "Wasted"),
    "gizi_imtu_normal": ("Gizi baik (normal)", "Normal"),
    "gizi_imtu_berisiko_gizi_lebih": (
        "Berisiko gizi lebih (possible risk of overweight)",
        "Possible risk of overweight",
    ),
    "gizi_imtu_gizi_lebih": ("Gizi lebih (overweight)", "Overweight"),
    "gizi_imtu_obesitas": ("Obesitas (obese)", "Obese"),
    "gizi_alasan_jk_tidak_valid": (
        "Jenis kelamin kosong atau tidak dikenali (isi L/P).",
        "Sex is empty or not recognised (use L/P).",
    ),
    "gizi_alasan_tgl_lahir_tidak_valid": (
        "Tanggal lahir kosong atau tidak terbaca.",
        "Birth date is empty or unreadable.",
    ),
    "gizi_alasan_tgl_ukur_tidak_valid": (
        "Tanggal pengukuran kosong atau tidak terbaca.",
        "Measurement date is empty or unreadable.",
    ),
    "gizi_alasan_umur_kosong": (
        "Umur (hari) kosong atau tidak terbaca.",
        "Age (days) is empty or unreadable.",
    ),
    "gizi_alasan_umur_negatif": (
        "Tanggal pengukuran sebelum tanggal lahir.",
        "The measurement date is before the birth date.",
    ),
    "gizi_alasan_umur_lebih_60_bulan": (
        "Umur 60 bulan atau lebih (di atas 1.826 hari): di luar standar WHO 0-5 tahun.",
        "Age is 60 months or more (over 1,826 days): outside the WHO 0-5 year standard.",
    ),
    "gizi_alasan_berat_kosong": ("Berat badan kosong.", "Weight is empty."),
    "gizi_alasan_berat_tidak_positif": (
        "Berat badan nol atau negatif.",
        "Weight is zero or negative.",
    ),
    "gizi_alasan_tinggi_kosong": ("Panjang/tinggi badan kosong.", "Length/height is empty."),
    "gizi_alasan_tinggi_tidak_positif": (
        "Panjang/tinggi badan nol atau negatif.",
        "Length/height is zero or negative.",
    ),
    "gizi_alasan_berat_di_luar_batas_bbtb": (
        "Berat badan di luar 0,9-58 kg: BB/PB atau BB/TB tidak dihitung.",
        "Weight outside 0.9-58 kg: weight-for-length/height not computed.",
    ),
    "gizi_alasan_tinggi_di_luar_tabel_bbtb": (
        "Panjang badan di luar 45-110 cm (umur < 24 bulan) atau tinggi badan di luar 65-120 cm "
        "(umur 24 bulan ke atas): BB/PB atau BB/TB tidak dihitung.",
        "Length outside 45-110 cm (under 24 months) or height outside 65-120 cm "
        "(24 months and over): weight-for-length/height not computed.",
    ),
    "gizi_alasan_lila_tidak_positif": ("LiLA nol atau negatif.", "MUAC is zero or negative."),
    "gizi_alasan_umur_kurang_91_hari_lila": (
        "Umur di bawah 91 hari: LiLA/U belum dihitung (standar mulai 3 bulan).",
        "Age under 91 days: MUAC-for-age starts at 3 months.",
    ),
    "gizi_alasan_edema": (
        "Edema: BB/U, BB/TB dan IMT/U tidak dihitung dan anak dihitung gizi buruk / berat badan "
        "sangat kurang (WHO).",
        "Oedema: weight-for-age, weight-for-length/height and BMI-for-age are not computed and "
        "the child counts as severely wasted / severely underweight (WHO).",
    ),
    "gizi_flag": (
        "Nilai z di luar batas wajar WHO; periksa ulang pengukuran dan tanggal.",
        "z-score outside WHO plausibility limits; check the measurement and dates.",
    ),
    # --- CLI: column headers of the printed tables, kol_<column> (exported files keep the column
    # codes; these are what a reader sees on the screen) ---
    "kol_kode": ("Kode", "Code"),
    "kol_kecamatan": ("Kecamatan", "Kecamatan"),
    "kol_keluarga": ("Keluarga", "Families"),
    "kol_sasaran": ("Keluarga sasaran", "Target families"),
    "kol_krs": ("KRS", "KRS"),
    "kol_miskin_ekstrem": ("Miskin ekstrem", "Extreme poor"),
    "kol_anak_diukur": ("Anak diukur", "Children measured"),
    "kol_stunting": ("Stunting", "Stunted"),
    "kol_stunting_persen": ("Stunting (%)", "Stunted (%)"),
    "kol_balita_terdaftar": ("Balita terdaftar", "Under-fives registered"),
    "kol_balita_terukur": ("Diukur 3 bln", "Measured (3 mo)"),
    "kol_cakupan_ukur_persen": ("Cakupan ukur (%)", "Measured (%)"),
    "kol_penduduk": ("Penduduk", "Persons"),
    "kol_balita": ("Balita", "Under-fives"),
    "kol_pengukuran": ("Pengukuran", "Measurements"),
    "kol_air_beroperasi": ("Desa berjaringan air", "Villages with a water network"),
    "kol_desa": ("Desa", "Villages"),
    "kol_p3ke": ("Keluarga di P3KE", "Families in P3KE"),
    "kol_desil_1": ("Desil 1", "Decile 1"),
    "kol_peringkat": ("Peringkat", "Rank"),
    "kol_kode_desa": ("Kode desa", "Village code"),
    "kol_nama_desa": ("Desa", "Village"),
    "kol_skor": ("Skor", "Score"),
    "kol_krs_kebutuhan": ("KRS yang membutuhkan", "KRS families in need"),
    "kol_biaya": ("Biaya", "Cost"),
    "kol_terpilih": ("Terpilih (optimal)", "Selected (optimal)"),
    "kol_terpilih_greedy": ("Terpilih (urut peringkat)", "Selected (ranking order)"),
    "kol_metode": ("Metode", "Method"),
    "kol_anggaran": ("Anggaran", "Budget"),
    "kol_keluarga_terjangkau": ("Keluarga terjangkau", "Families reached"),
    "kol_biaya_terpakai": ("Biaya terpakai", "Cost used"),
    "kol_desa_terpilih": ("Terpilih (desa atau keluarga)", "Selected (villages or families)"),
    "kol_biaya_marjinal_per_keluarga": ("Biaya marjinal per keluarga", "Marginal cost per family"),
    "kol_optimal": ("Terbukti optimal", "Proven optimal"),
    "kol_instansi": ("Instansi", "Agency"),
    "kol_nama": ("Nama", "Name"),
    "kol_satuan": ("Satuan", "Unit"),
    "kol_kebutuhan": ("Kebutuhan", "Need"),
    "kol_biaya_satuan": ("Biaya satuan", "Unit cost"),
    "kol_periode": ("Periode", "Period"),
    "kol_versi": ("Versi", "Version"),
    "kol_kode_wilayah": ("Kode wilayah", "Area code"),
    "kol_nama_wilayah": ("Wilayah", "Area"),
    "kol_konvergen": ("KRS konvergen (semua kebutuhan teratasi)", "KRS with every need resolved"),
    "kol_konvergensi_pct": ("Konvergensi (%)", "Convergence (%)"),
    "kol_konvergen_dilayani": (
        "KRS yang semua kebutuhannya dilayani",
        "KRS with every need served",
    ),
    "kol_konvergensi_dilayani_pct": ("Konvergensi layanan (%)", "Convergence of services (%)"),
    "kol_krs_tanpa_intervensi": ("KRS tanpa intervensi apa pun", "KRS with no intervention"),
    "kol_miskin_ekstrem_tanpa_bantuan": (
        "Miskin ekstrem tanpa bantuan",
        "Extreme poor without support",
    ),
    "kol_prevalensi_stunting_pct": ("Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "kol_perlu_air_minum_tidak_layak": (
        "KRS yang perlu air minum layak",
        "KRS families needing safe water",
    ),
    "kol_terpenuhi_air_minum_tidak_layak": (
        "KRS yang kebutuhan air minumnya teratasi",
        "KRS families whose water need is resolved",
    ),
    "kol_berkas": ("Berkas", "File"),
    "kol_baris": ("Baris dibaca", "Rows read"),
    "kol_dimuat": ("Dimuat", "Loaded"),
    "kol_ditolak": ("Ditolak", "Rejected"),
    "kol_peringatan": ("Dengan peringatan", "With warnings"),
    "kol_nik": ("NIK", "NIK"),
    "kol_jenis_kelamin": ("Jenis kelamin", "Sex"),
    "kol_tanggal_lahir": ("Tanggal lahir", "Birth date"),
    "kol_hubungan": ("Hubungan", "Relation"),
    "kol_kontrasepsi": ("Kontrasepsi", "Contraception"),
    "kol_nama_anak": ("Nama anak", "Child"),
    "kol_tanggal_ukur": ("Tanggal ukur", "Measured on"),
    "kol_umur_hari": ("Umur (hari)", "Age (days)"),
    "kol_zs_tbu": ("Nilai z TB/U", "Height-for-age z"),
    "kol_status_tbu": ("Status TB/U", "Height-for-age"),
    "kol_zs_bbtb": ("Nilai z BB/TB", "Weight-for-height z"),
    "kol_status_bbtb": ("Status BB/TB", "Weight-for-height"),
    "kol_waktu": ("Waktu", "Time"),
    "kol_program": ("Program", "Programme"),
    "kol_kejadian": ("Kejadian", "Event"),
    "kol_keterangan": ("Keterangan", "Details"),
    "kol_oleh": ("Oleh", "By"),
    "kol_alasan": ("Alasan", "Reason"),
    "kol_jumlah": ("Jumlah", "Count"),
    "kol_sinergi_sintetis": ("Sinergi (data sintetis, {date})", "Sinergi (synthetic data, {date})"),
    # the demo's case-finding table per kecamatan: one column per code of `sinergi missed`
    "kol_anak_bukan_krs": ("Anak, bukan KRS", "Child, not KRS"),
    "kol_anak_tidak_terdaftar": ("Anak tak terdaftar", "Child unregistered"),
    "kol_anak_perlu_tinjauan": ("Anak, tautan ditinjau", "Child, link in review"),
    "kol_anak_tidak_terhubung": ("Anak tanpa keluarga", "Child without family"),
    "kol_anak_berat_kurang": ("BB kurang", "Underweight"),
    "kol_anak_2t": ("2T", "2T"),
    "kol_anak_lila_rendah": ("LiLA rendah", "Low MUAC"),
    "kol_anak_edema": ("Edema", "Oedema"),
    "kol_anak_bblr": ("BBLR", "Low birth weight"),
    "kol_ukur_ulang": ("Ukur ulang", "Measure again"),
    "kol_belum_diukur": ("Belum diukur", "Not measured"),
    "kol_ibu_hamil_kek": ("Bumil KEK", "Pregnant, KEK"),
    "kol_ibu_hamil_anemia": ("Bumil anemia", "Pregnant, anaemia"),
    "kol_ibu_hamil_tidak_terdaftar": ("Bumil tak terdaftar", "Pregnant, unregistered"),
    "kol_catin_kek": ("Catin KEK", "Engaged, KEK"),
    "kol_catin_anemia": ("Catin anemia", "Engaged, anaemia"),
    "kol_krs_belum_terjangkau": ("KRS belum terjangkau", "KRS not reached"),
    "kol_pasangan_tambahan": ("PUS tambahan dalam KK", "Further couples in a KK"),
    "kol_nama_ibu": ("Nama ibu", "Mother's name"),
    "kol_nik_ibu": ("NIK ibu", "Mother's NIK"),
    "jumlah_semua": ("Jumlah", "Total"),
    # --- CLI: other words of the commands ---
    "terlewat_ringkas": ("Terlewat menurut alasan", "Missed, by reason"),
    "terlewat_alasan_anak_tidak_terdaftar": (
        "Anak stunting atau gizi kurang, keluarganya tidak terdaftar",
        "Stunted or wasted child, family not registered",
    ),
    "terlewat_alasan_anak_bukan_krs": (
        "Anak stunting atau gizi kurang, keluarganya bukan KRS",
        "Stunted or wasted child, family not on the KRS list",
    ),
    "terlewat_alasan_anak_perlu_tinjauan": (
        "Anak diukur di posyandu, tautan keluarganya menunggu tinjauan petugas",
        "Child measured at the posyandu, its family link waits for an officer",
    ),
    "terlewat_alasan_anak_tidak_terhubung": (
        "Anak diukur di posyandu, tidak terhubung ke keluarga mana pun",
        "Child measured at the posyandu, linked to no family",
    ),
    "terlewat_alasan_belum_diukur": (
        "Balita terdaftar yang belum diukur dalam {months} bulan terakhir",
        "Registered under-fives not measured in the last {months} months",
    ),
    "terlewat_alasan_anak_berat_kurang": (
        "Anak berat badan kurang (BB/U < −2 SD)",
        "Underweight child (WAZ < −2)",
    ),
    "terlewat_alasan_anak_2t": (
        "Anak 2T (berat tidak naik dua kali berturut-turut)",
        "2T child (weight not rising twice in a row)",
    ),
    "terlewat_alasan_anak_lila_rendah": (
        "Anak LiLA < 12,5 cm (6–59 bulan)",
        "Child with MUAC < 12.5 cm (6–59 months)",
    ),
    "terlewat_alasan_anak_edema": ("Anak dengan edema", "Child with oedema"),
    "terlewat_alasan_anak_bblr": (
        "Anak berat lahir rendah (< 2.500 g)",
        "Low-birth-weight child (< 2,500 g)",
    ),
    "terlewat_alasan_ukur_ulang": (
        "Pengukuran di luar batas wajar WHO: ukur ulang",
        "Measurement outside WHO limits: measure again",
    ),
    "terlewat_sudah_ditangani": (
        "Sudah ditangani program (tidak dihitung terlewat)",
        "Cleared by a programme (not counted as missed)",
    ),
    "terlewat_alasan_krs_belum_terjangkau": (
        "Keluarga KRS yang belum dijangkau program apa pun",
        "KRS families no programme has reached",
    ),
    "terlewat_alasan_ibu_hamil_kek": (
        "Ibu hamil KEK (LiLA < 23,5 cm)",
        "Pregnant women with chronic energy deficiency (MUAC < 23.5 cm)",
    ),
    "terlewat_alasan_ibu_hamil_anemia": (
        "Ibu hamil anemia (Hb < 11 g/dL)",
        "Pregnant women with anaemia (Hb < 11 g/dL)",
    ),
    "terlewat_alasan_ibu_hamil_tidak_terdaftar": (
        "Ibu hamil yang keluarganya tidak terdaftar",
        "Pregnant women whose family is not registered",
    ),
    "terlewat_alasan_catin_kek": (
        "Calon pengantin KEK (LiLA < 23,5 cm)",
        "Engaged persons with chronic energy deficiency (MUAC < 23.5 cm)",
    ),
    "terlewat_alasan_catin_anemia": (
        "Calon pengantin perempuan anemia (Hb < 12 g/dL)",
        "Engaged women with anaemia (Hb < 12 g/dL)",
    ),
    "anthro_rows": ("Baris", "Rows"),
    "anthro_scored": ("Keempat indeks dihitung", "All four indicators computed"),
    "anthro_partial": ("Sebagian indeks dihitung", "Some indicators computed"),
    "anthro_not_scored": ("Tidak ada indeks yang dihitung", "No indicator computed"),
    "anthro_stunted": ("Stunting (TB/U < −2 SD)", "Stunted (HAZ < −2)"),
    "anthro_severely_stunted": ("Sangat pendek (TB/U < −3 SD)", "Severely stunted (HAZ < −3)"),
    "anthro_implausible": (
        "Dengan nilai z di luar batas wajar WHO",
        "With a z-score outside WHO plausibility limits",
    ),
    # tahap_<stage>: the stages `sinergi synth` reports while it works
    "tahap_penduduk": ("Penduduk", "Population"),
    "tahap_pengukuran": ("Pengukuran", "Measurements"),
    "tahap_berkas": ("Berkas sumber", "Source files"),
    "tahap_tulis": ("Menulis berkas", "Writing files"),
    "tahap_kebenaran": ("Kebenaran dasar", "Ground truth"),
    "keluarga_baris_alamat": (
        "{alamat} RT {rt} RW {rw} · desil {desil} · air minum: {air} · jamban: {jamban}",
        "{alamat} RT {rt} RW {rw} · decile {desil} · drinking water: {air} · toilet: {jamban}",
    ),
    "keluarga_baris_penilaian": (
        "{status} · {aturan} · {tanggal} · sasaran: {sasaran}",
        "{status} · {aturan} · {tanggal} · target groups: {sasaran}",
    ),
    "penduduk": ("Penduduk", "Population"),
    # Published figures for Kabupaten Kutai Timur (domain.md), quoted in each language's notation.
    "resmi_krs": (
        "11.973 (semester II 2024); 15.576 (semester I 2024)",
        "11,973 (second half of 2024); 15,576 (first half of 2024)",
    ),
    "resmi_stunting_2024": ("20,6 % (2024)", "20.6 % (2024)"),
    "resmi_stunting_2022": ("24,7 % (2022)", "24.7 % (2022)"),
    "resmi_penduduk": ("448.850 (2024)", "448,850 (2024)"),
    # a programme's cost_label, spaces as '_'
    "contoh_biaya": ("contoh biaya", "example cost"),
    "biaya_resmi": ("biaya resmi", "official cost"),
    # --- the 'about' sheet of an exported table (reports.write_table): about_<key> ---
    "lembar_keterangan": ("Keterangan", "About"),
    "about_penilaian": ("Penilaian", "Assessment"),
    "about_aturan": ("Aturan (rule set)", "Rule set"),
    "about_sidik_aturan": ("Sidik aturan (sha256)", "Rule set digest (sha256)"),
    "about_tanggal_acuan": ("Tanggal acuan", "Reference date"),
    "about_dibuat": ("Dibuat", "Created"),
    "about_mesin": ("Mesin", "Engine"),
    "about_keluarga": ("Keluarga", "Families"),
    "about_keluarga_sasaran": ("Keluarga sasaran", "Target families"),
    "about_krs": ("KRS", "KRS"),
    "about_miskin_ekstrem": ("Miskin ekstrem", "Extreme poor"),
    "about_arti_kolom": ("Arti kolom", "Columns"),
    "about_program": ("Program", "Programme"),
    "about_anggaran": ("Anggaran", "Budget"),
    "about_rumus_skor": ("Rumus skor", "Score formula"),
    "about_bobot": ("Bobot", "Weights"),
    "about_terjangkau_optimal": (
        "Keluarga terjangkau (optimal, HiGHS)",
        "Families reached (optimal, HiGHS)",
    ),
    "about_terjangkau_greedy": (
        "Keluarga terjangkau (urut peringkat sampai dana habis)",
        "Families reached (ranking until the money runs out)",
    ),
    "about_biaya": ("Biaya", "Cost"),
    "about_syarat": ("Syarat", "Eligibility"),
    "about_alokasi_berkomitmen": (
        "Sudah berkomitmen sebelumnya",
        "Committed before",
    ),
    "about_alokasi_terbuka_tetap": ("Usulan terbuka dipertahankan", "Open proposals kept"),
    "about_alokasi_baru": ("Usulan baru (berkas ini)", "New proposals (this file)"),
    "about_alokasi_sisa": ("Sisa anggaran", "Budget left"),
    "about_manfaat": ("Manfaat per keluarga", "Benefit per family"),
    "about_berkas": ("Berkas", "File"),
    "about_jenis": ("Jenis", "Kind"),
    "about_status": ("Status", "Status"),
    "about_batch": ("Batch", "Batch"),
    "about_diekspor_oleh": ("Diekspor oleh", "Exported by"),
    "about_filter_status": ("Filter status", "Status filter"),
    "about_filter_desa": ("Filter desa", "Village filter"),
    "about_baris": ("Baris", "Rows"),
    # --- XLSX for people (reports.tables): kolom_<code> headings, kamus_<code> meanings on the
    # 'Kamus' sheet; a column without a heading keeps its code (CSV always keeps the codes) ---
    "lembar_kamus": ("Kamus", "Codes"),
    "kamus_judul": ("Judul kolom", "Column heading"),
    "kamus_kode": ("Kode (nama kolom CSV)", "Code (CSV column name)"),
    "kamus_arti": ("Arti", "Meaning"),
    "kolom_no_kk": ("No KK", "Family card no. (KK)"),
    "kolom_nik": ("NIK", "NIK"),
    "kolom_nama": ("Nama", "Name"),
    "kolom_nama_kepala": ("Nama kepala keluarga", "Head of family"),
    "kolom_kode_desa": ("Kode desa", "Village code"),
    "kolom_nama_desa": ("Desa", "Village"),
    "kolom_kode_wilayah": ("Kode wilayah", "Area code"),
    "kolom_nama_wilayah": ("Wilayah", "Area"),
    "kolom_alamat": ("Alamat", "Address"),
    "kolom_dusun": ("Dusun", "Dusun (hamlet)"),
    "kolom_rt": ("RT", "RT"),
    "kolom_rw": ("RW", "RW"),
    "kolom_sasaran": ("Sasaran", "Target groups"),
    "kolom_krs": ("KRS", "KRS"),
    "kolom_faktor": ("Faktor risiko", "Risk factors"),
    "kolom_miskin_ekstrem": ("Miskin ekstrem", "Extreme poor"),
    "kolom_jumlah_balita_stunting": ("Balita stunting", "Stunted under-fives"),
    "kolom_pasangan": (
        "Pasangan usia subur (PUS) dan faktornya",
        "Couples (PUS) and their factors",
    ),
    "kolom_temuan": ("Temuan kasus", "Case findings"),
    "kolom_keluarga": ("Keluarga", "Families"),
    "kolom_keluarga_sasaran": ("Keluarga sasaran", "Target families"),
    "kolom_perlu": ("Perlu: {faktor}", "In need: {faktor}"),
    "kolom_dilayani": ("Dilayani: {faktor}", "Served: {faktor}"),
    "kolom_terpenuhi": ("Teratasi: {faktor}", "Resolved: {faktor}"),
    "kolom_proses": ("Dalam proses: {faktor}", "In progress: {faktor}"),
    "kolom_konvergen": ("KRS konvergen (semua kebutuhan teratasi)", "KRS with every need resolved"),
    "kolom_konvergensi_pct": ("Konvergensi (%)", "Convergence (%)"),
    "kolom_konvergen_dilayani": (
        "KRS konvergen layanan (semua kebutuhan dilayani)",
        "KRS with every need served",
    ),
    "kolom_konvergensi_dilayani_pct": ("Konvergensi layanan (%)", "Convergence of services (%)"),
    "kolom_krs_tanpa_intervensi": ("KRS tanpa intervensi apa pun", "KRS with no intervention"),
    "kolom_miskin_ekstrem_tanpa_bantuan": (
        "Miskin ekstrem tanpa bantuan",
        "Extreme poor without aid",
    ),
    "kolom_balita_diukur": ("Balita diukur", "Under-fives measured"),
    "kolom_balita_stunting": ("Balita stunting", "Stunted under-fives"),
    "kolom_prevalensi_stunting_pct": ("Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "kolom_ci95_bawah_pct": ("Batas bawah IK 95 % (%)", "95 % CI lower bound (%)"),
    "kolom_ci95_atas_pct": ("Batas atas IK 95 % (%)", "95 % CI upper bound (%)"),
    "kolom_krs_sebelumnya": ("KRS penilaian sebelumnya", "KRS at the previous assessment"),
    "kolom_perubahan_krs": ("Perubahan KRS", "Change in KRS"),
    "kolom_prevalensi_sebelumnya_pct": (
        "Prevalensi stunting sebelumnya (%)",
        "Previous stunting prevalence (%)",
    ),
    "kolom_konvergensi_sebelumnya_pct": ("Konvergensi sebelumnya (%)", "Previous convergence (%)"),
    "kolom_jenis": ("Jenis temuan", "Kind of finding"),
    "kolom_kode_alasan": ("Kode alasan", "Reason code"),
    "kolom_alasan": ("Alasan", "Reason"),
    "kolom_jenis_kelamin": ("Jenis kelamin", "Sex"),
    "kolom_tanggal_lahir": ("Tanggal lahir", "Birth date"),
    "kolom_tanggal_ukur_terakhir": ("Tanggal ukur terakhir", "Last measured on"),
    "kolom_tanggal_ukur": ("Tanggal ukur", "Measured on"),
    "kolom_umur_bulan": ("Umur (bulan)", "Age (months)"),
    "kolom_berat": ("Berat (kg)", "Weight (kg)"),
    "kolom_tinggi": ("Tinggi/panjang (cm)", "Height/length (cm)"),
    "kolom_zs_tbu": ("Z-skor TB/U (HAZ)", "Height-for-age z (HAZ)"),
    "kolom_zs_bbu": ("Z-skor BB/U (WAZ)", "Weight-for-age z (WAZ)"),
    "kolom_zs_bbtb": ("Z-skor BB/TB (WHZ)", "Weight-for-height z (WHZ)"),
    "kolom_status_tbu": ("Status TB/U", "Height-for-age status"),
    "kolom_status_bbu": ("Status BB/U", "Weight-for-age status"),
    "kolom_status_bbtb": ("Status BB/TB", "Weight-for-height status"),
    "kolom_lila": ("LiLA (cm)", "MUAC (cm)"),
    "kolom_berat_lahir": ("Berat lahir (g)", "Birth weight (g)"),
    "kolom_ditangani_oleh": ("Ditangani oleh (program)", "Served by (programme)"),
    "kolom_tanggal_ditangani": ("Tanggal ditangani", "Served on"),
    "kolom_kode_program": ("Kode program", "Programme code"),
    "kolom_program": ("Program", "Programme"),
    "kolom_status": ("Status", "Status"),
    "kolom_tanggal": ("Tanggal", "Date"),
    "kolom_nilai": ("Nilai (Rp)", "Value (Rp)"),
    "kolom_verifikasi_hasil": ("Hasil verifikasi", "Verification result"),
    "kolom_verifikasi_tanggal": ("Tanggal verifikasi", "Verified on"),
    "kolom_verifikasi_petugas": ("Petugas verifikasi", "Verified by"),
    "kamus_no_kk": (
        "Nomor Kartu Keluarga, 16 angka (disamarkan sesuai peran)",
        "Family card number, 16 digits (masked as the role requires)",
    ),
    "kamus_nik": (
        "Nomor Induk Kependudukan, 16 angka (disamarkan sesuai peran)",
        "National identity number, 16 digits (masked as the role requires)",
    ),
    "kamus_kode_desa": (
        "Kode Kemendagri desa (64.08.01.2001)",
        "Kemendagri village code (64.08.01.2001)",
    ),
    "kamus_kode_wilayah": (
        "Kode Kemendagri wilayah: kabupaten 64.08, kecamatan 64.08.01, desa 64.08.01.2001",
        "Kemendagri area code: regency 64.08, kecamatan 64.08.01, village 64.08.01.2001",
    ),
    "kamus_sasaran": (
        "Kelompok sasaran keluarga, dipisah ';': pus, pus_hamil, baduta, balita",
        "The family's target groups, ';'-separated: pus, pus_hamil, baduta, balita",
    ),
    "kamus_krs": ("1 = keluarga berisiko stunting", "1 = family at risk of stunting"),
    "kamus_faktor": (
        "Kode faktor risiko yang terpenuhi, dipisah ';' (air_minum_tidak_layak, …)",
        "Codes of the risk factors that fired, ';'-separated (air_minum_tidak_layak, …)",
    ),
    "kamus_miskin_ekstrem": (
        "1 = miskin ekstrem (P3KE desil 1)",
        "1 = extreme poor (P3KE decile 1)",
    ),
    "kamus_pasangan": (
        "Per PUS: nama istri (NIK disamarkan) dan faktor yang dipenuhinya",
        "Per couple: the wife's name (masked NIK) and the factors it fired",
    ),
    "kamus_temuan": (
        "Kode temuan kasus anggota keluarga pada tanggal acuan, dipisah ';'",
        "Case-finding codes of the family's members at the reference date, ';'-separated",
    ),
    "kamus_perlu": (
        "Keluarga KRS yang memenuhi faktor ini",
        "KRS families for which this factor fired",
    ),
    "kamus_konvergen": (
        "Keluarga KRS yang semua kebutuhannya teratasi",
        "KRS families all of whose needs are resolved",
    ),
    "kamus_konvergensi_pct": ("konvergen / krs × 100", "konvergen / krs × 100"),
    "kamus_prevalensi_stunting_pct": (
        "balita_stunting / balita_diukur × 100, dengan interval Wilson 95 % (ci95_*)",
        "balita_stunting / balita_diukur × 100, with its Wilson 95 % interval (ci95_*)",
    ),
    "kamus_jenis": (
        "Jenis baris: anak_terlewat, sinyal_anak, belum_diukur, ibu_hamil, catin, "
        "krs_belum_terjangkau, …",
        "Kind of row: anak_terlewat, sinyal_anak, belum_diukur, ibu_hamil, catin, "
        "krs_belum_terjangkau, …",
    ),
    "kamus_kode_alasan": (
        "Kode temuan (anak_bukan_krs, anak_berat_kurang, anak_2t, belum_diukur, …)",
        "Finding code (anak_bukan_krs, anak_berat_kurang, anak_2t, belum_diukur, …)",
    ),
    "kamus_alasan": ("Temuan dalam kalimat", "The finding as a sentence"),
    "kamus_zs_tbu": ("Z-skor standar WHO 2006", "WHO 2006 standard z-score"),
    "kamus_zs_bbu": ("Z-skor standar WHO 2006", "WHO 2006 standard z-score"),
    "kamus_zs_bbtb": ("Z-skor standar WHO 2006", "WHO 2006 standard z-score"),
    "kamus_ditangani_oleh": (
        "Program yang sudah menyalurkan layanan untuk temuan ini (hanya dengan --semua)",
        "The programme that delivered a service for this finding (only with --semua)",
    ),
    "kamus_dilayani": (
        "Dari yang perlu: sudah dilayani (usulan terverifikasi, disetujui atau tersalurkan)",
        "Of those in need: served (proposal verified, approved or delivered)",
    ),
    "kamus_terpenuhi": (
        "Dari yang perlu: kebutuhan teratasi (program yang menyelesaikan faktor ini tersalurkan)",
        "Of those in need: need resolved (a programme resolving this factor delivered)",
    ),
    "kamus_proses": (
        "Dari yang perlu: masih dalam proses",
        "Of those in need: still in progress",
    ),
    "kolom_biaya_satuan": ("Biaya satuan", "Unit cost"),
    "kolom_biaya": ("Biaya", "Cost"),
    "kolom_skor": ("Skor", "Score"),
    "kolom_peringkat": ("Peringkat", "Rank"),
    "about_tanggal_data": ("Tanggal data (per sumber)", "Data dates (by source)"),
    "tanggal_data_sumber": ("{sumber}: {tanggal}", "{sumber}: {tanggal}"),
    "tanggal_data_impor": ("tanggal impor", "import date"),
    "tanggal_data_tidak_ada": ("belum ada berkas yang dimuat", "no file loaded yet"),
    "lap_xlsx_ringkasan": ("Ringkasan", "Summary"),
    "lap_xlsx_gambar": ("Gambar", "Pictures"),
    "lap_xlsx_lihat_gambar": ("lihat lembar Gambar", "see the Pictures sheet"),
    # --- the kasus report (reports.kasus): lap_kasus_* ---
    "about_wilayah": ("Wilayah", "Area"),
    "lap_kasus_judul": (
        "Daftar kasus untuk Audit Kasus Stunting",
        "Case list for the stunting case audit (Audit Kasus Stunting)",
    ),
    "lap_kasus_subjudul_desa": (
        "Desa {desa}, Kecamatan {kecamatan}",
        "Village {desa}, Kecamatan {kecamatan}",
    ),
    "lap_kasus_subjudul_kecamatan": ("Kecamatan {kecamatan}", "Kecamatan {kecamatan}"),
    "lap_kasus_wilayah_wajib": (
        "Laporan 'kasus' untuk satu desa atau kecamatan: beri --desa KODE atau --kecamatan KODE.",
        "The 'kasus' report is for one village or kecamatan: give --desa CODE or --kecamatan CODE.",
    ),
    "lap_kasus_belum_dinilai": (
        "Belum ada penilaian: jalankan 'sinergi assess' dulu; tanpa penilaian tidak ada temuan "
        "kasus.",
        "No assessment yet: run 'sinergi assess' first; without one there are no case findings.",
    ),
    "lap_kasus_kosong": (
        "Penilaian #{run} tidak menemukan anak atau ibu hamil dengan temuan kasus di {wilayah} "
        "(atau datanya di luar wilayah akun ini): tidak ada kasus untuk diaudit. Balita yang "
        "hanya belum diukur: {n} (lihat 'sinergi missed').",
        "Assessment #{run} found no child or pregnant woman with a case finding in {wilayah} "
        "(or their data lie outside this account's area): there is no case to audit. "
        "Under-fives only not measured lately: {n} (see 'sinergi missed').",
    ),
    "lap_kasus_anak": ("Anak", "Child"),
    "lap_kasus_ibu_hamil": ("Ibu hamil", "Pregnant woman"),
    "lap_kasus_bagian_ringkas": ("Ringkasan", "Summary"),
    "lap_kasus_n_anak": ("Anak dengan temuan", "Children with a finding"),
    "lap_kasus_n_ibu": ("Ibu hamil dengan temuan", "Pregnant women with a finding"),
    "lap_kasus_n_temuan": ("Temuan", "Findings"),
    "lap_kasus_n_keluarga": ("Keluarga", "Families"),
    "lap_kasus_n_belum_diukur": (
        "Balita yang hanya belum diukur (tidak dicantumkan)",
        "Under-fives only not measured lately (not listed)",
    ),
    "lap_kasus_petunjuk": (
        "Semua anak dan ibu hamil yang disebut temuan kasus penilaian #{run} (sama dengan "
        "'sinergi missed'), dengan setiap temuannya, termasuk yang sudah ditangani program; "
        "balita yang temuannya hanya 'belum diukur' dihitung tetapi tidak dicantumkan. "
        "Dikelompokkan per keluarga; nomor kasus dipakai di tabel pengukuran dan intervensi.",
        "Every child and pregnant woman named by assessment #{run}'s case finding (as "
        "'sinergi missed'), with every finding, served ones included; under-fives whose only "
        "finding is 'not measured lately' are counted, not listed. Grouped by family; the case "
        "number is used in the measurement and intervention tables.",
    ),
    "lap_kasus_tersamar": (
        "NIK dan No KK disamarkan sesuai peran akun.",
        "NIKs and No KKs are masked as the account's role requires.",
    ),
    "lap_kasus_utuh": (
        "NIK dan No KK ditulis utuh: simpan dokumen ini sebagai data pribadi.",
        "NIKs and No KKs are written whole: keep this document as personal data.",
    ),
    "lap_kasus_tabel_kode": ("Temuan per kode", "Findings by code"),
    "lap_kasus_bagian_kasus": ("A. Kasus ({n})", "A. Cases ({n})"),
    "lap_kasus_bagian_ukur": ("B. Riwayat pengukuran ({n})", "B. Measurement history ({n})"),
    "lap_kasus_ukur_catatan": (
        "Anak: setiap pengukuran e-PPGBM tersimpan, z-skor standar WHO 2006 (HAZ = TB/U, WAZ = "
        "BB/U, WHZ = BB/TB). Ibu hamil: pemeriksaan ANC (usia kehamilan dalam minggu).",
        "Children: every stored e-PPGBM measurement, WHO 2006 z-scores (HAZ = height-for-age, "
        "WAZ = weight-for-age, WHZ = weight-for-height). Pregnant women: ANC check-ups "
        "(gestation in weeks).",
    ),
    "lap_kasus_bagian_intervensi": (
        "C. Intervensi yang sampai ke keluarga ({n})",
        "C. Interventions reaching the families ({n})",
    ),
    "lap_kasus_intervensi_catatan": (
        "Riwayat program keluarga seperti di halaman keluarga: usulan dan langkahnya, daftar "
        "penerima instansi, sambungan air.",
        "The family's programme history as on the family page: proposals and their steps, "
        "agencies' beneficiary lists, water connections.",
    ),
    "lap_kasus_lembar_kode": ("Temuan per kode", "Findings by code"),
    "lap_kasus_lembar_kasus": ("Kasus", "Cases"),
    "lap_kasus_lembar_ukur": ("Pengukuran", "Measurements"),
    "lap_kasus_lembar_intervensi": ("Intervensi", "Interventions"),
    "lap_kasus_kol_no": ("No", "No"),
    "lap_kasus_kol_kategori": ("Kategori", "Category"),
    "lap_kasus_kol_jk": ("JK", "Sex"),
    "lap_kasus_kol_temuan": ("Temuan (kode: alasan)", "Findings (code: reason)"),
    "lap_kasus_kol_ditangani": ("Sudah ditangani", "Already served"),
    "lap_kasus_kol_tanggal": ("Tanggal", "Date"),
    "lap_kasus_kol_status": ("Status gizi", "Nutrition status"),
    "lap_kasus_kol_usia_kehamilan": ("Usia kehamilan (minggu)", "Gestation (weeks)"),
    "lap_kasus_kol_kasus": ("Kasus", "Case"),
    "lap_kasus_kol_waktu": ("Waktu", "When"),
    "lap_kasus_kol_kejadian": ("Kejadian", "Event"),
    "lap_kasus_kol_keterangan": ("Keterangan", "Note"),
    "lap_kasus_kol_sumber": ("Sumber", "Source"),
    "lap_kasus_kol_jumlah": ("Jumlah", "Count"),
    "aturan_versi": ("{rules} versi {version}", "{rules} version {version}"),
    "arti_kolom_penilaian": (
        "sasaran: pus, pus_hamil, baduta, balita; faktor: kode faktor risiko yang terpenuhi; "
        "krs/miskin_ekstrem: 1 = ya; temuan: kode temuan kasus anggota keluarga pada tanggal "
        "acuan (anak_stunting, anak_kurus, anak_berat_kurang, anak_2t, …, ibu_hamil_kek)",
        "sasaran (target groups): pus, pus_hamil, baduta, balita; faktor: codes of the risk "
        "factors that fired; krs/miskin_ekstrem: 1 = yes; temuan: case-finding codes of the "
        "family's members at the reference date (anak_stunting, anak_kurus, anak_berat_kurang, "
        "anak_2t, …, ibu_hamil_kek)",
    ),
    "bobot_bawaan": ("bawaan", "default"),
    "manfaat_keluarga_isi": (
        "1 + jumlah balita stunting (keluarga dengan anak stunting didahulukan)",
        "1 + the number of stunted under-fives (families with a stunted child come first)",
    ),
    # --- assess/targeting texts ---
    "hasil_harus_csv_xlsx": (
        "Berkas hasil '{name}' harus berakhiran .csv atau .xlsx.",
        "The output file '{name}' must end in .csv or .xlsx.",
    ),
    "kolom_berat_tinggi_hilang": (
        "Kolom '{weight}' maupun '{height}' tidak ditemukan di baris judul; berkas ditolak "
        "seluruhnya.",
        "Neither a '{weight}' nor a '{height}' column is in the header; the whole file is refused.",
    ),
    "penilaian_tidak_ditemukan": (
        "Penilaian {run} tidak ditemukan.",
        "Assessment run {run} not found.",
    ),
    "program_tidak_ditemukan": (
        "Program '{code}' tidak ditemukan; yang tersedia: {available}",
        "programme '{code}' not found; available: {available}",
    ),
    "program_tidak_valid": ("{path} tidak valid: {detail}", "{path} is not valid: {detail}"),
    "program_kode_bukan_nama_berkas": (
        "{path}: kode '{code}' harus sama dengan nama berkas '{stem}'",
        "{path}: code '{code}' must equal the file name '{stem}'",
    ),
    "program_kecualikan_tidak_dikenal": (
        "Program '{code}' mengecualikan program yang tidak dikenal: {unknown}",
        "programme '{code}' excludes unknown programme(s) {unknown}",
    ),
    "program_satuan_salah": (
        "Program '{code}' dihitung per {unit}, bukan per {wanted}",
        "programme '{code}' is per {unit}, not per {wanted}",
    ),
    "batch_kebutuhan_anak": (
        "Program '{code}' menghitung kebutuhan dari pengukuran anak; ekstrak registri belum "
        "memuatnya, jadi 'sinergi batch prioritize' belum dapat menjalankannya",
        "programme '{code}' counts its need from the children's measurements, which a registry "
        "extract does not carry yet, so 'sinergi batch prioritize' cannot run it",
    ),
    "bobot_tidak_dikenal": (
        "Bobot tidak dikenal {unknown}; yang dikenal: {known}",
        "unknown weight(s) {unknown}; known: {known}",
    ),
    "bobot_negatif": ("Bobot harus >= 0", "weights must be >= 0"),
    "bobot_semua_nol": ("Setidaknya satu bobot harus > 0", "at least one weight must be > 0"),
    "syarat_panggilan_fungsi": (
        "syarat: pemanggilan fungsi tidak diperbolehkan (di kolom {col})",
        "eligibility: a function call is not allowed (at column {col})",
    ),
    "syarat_akses_atribut": (
        "syarat: akses atribut tidak diperbolehkan (di kolom {col})",
        "eligibility: attribute access is not allowed (at column {col})",
    ),
    "syarat_bentuk_terlarang": (
        "syarat: {node} tidak diperbolehkan (di kolom {col})",
        "eligibility: {node} is not allowed (at column {col})",
    ),
    "syarat_operator_terlarang": (
        "syarat: operator {op} tidak diperbolehkan (di kolom {col})",
        "eligibility: the operator {op} is not allowed (at column {col})",
    ),
    "syarat_perbandingan_berantai": (
        "syarat: perbandingan berantai tidak diperbolehkan (di kolom {col})",
        "eligibility: a chained comparison is not allowed (at column {col})",
    ),
    "syarat_dua_konstanta": (
        "syarat: membandingkan dua konstanta tidak diperbolehkan (di kolom {col})",
        "eligibility: comparing two constants is not allowed (at column {col})",
    ),
    "syarat_nama_tidak_dikenal": (
        "syarat: nama '{name}' tidak dikenal (di kolom {col}); yang boleh: {allowed}",
        "eligibility: unknown name '{name}' (at column {col}); allowed: {allowed}",
    ),
    "syarat_bukan_angka": (
        "syarat: '{name}' bukan angka dan tidak dapat dibandingkan (di kolom {col})",
        "eligibility: '{name}' is not a number and cannot be compared (at column {col})",
    ),
    "syarat_kiri_in": (
        "syarat: sisi kiri 'in' harus kode dalam tanda kutip (di kolom {col})",
        "eligibility: the left side of 'in' must be a quoted code (at column {col})",
    ),
    "syarat_kanan_in": (
        "syarat: 'in' memerlukan salah satu dari {lists} di sisi kanan, bukan '{name}' "
        "(di kolom {col})",
        "eligibility: 'in' needs one of {lists} on the right, got '{name}' (at column {col})",
    ),
    "syarat_kode_tidak_dikenal": (
        "syarat: kode {kind} '{code}' tidak dikenal (di kolom {col}); yang dikenal: {known}",
        "eligibility: unknown {kind} code '{code}' (at column {col}); known: {known}",
    ),
    "syarat_bukan_benar_salah": (
        "syarat: '{name}' bukan benar/salah dengan sendirinya (di kolom {col}); gunakan "
        'misalnya "\'kode\' in {name}" atau "{name} > 0"',
        "eligibility: '{name}' is not true/false on its own (at column {col}); "
        'use e.g. "\'code\' in {name}" or "{name} > 0"',
    ),
    "syarat_tidak_valid": (
        "syarat: bukan ungkapan yang sah: {detail}",
        "eligibility: not a valid expression: {detail}",
    ),
    "syarat_kolom_kurang": (
        "syarat: tabel tidak memiliki kolom {missing}",
        "eligibility: the frame lacks column(s) {missing}",
    ),
    # --- reader texts ---
    "berkas_tanpa_izin": (
        "Berkas {path} tidak boleh dibaca (izin berkas di server); minta pengelola server "
        "membuka izinnya, atau salin berkas ke folder Anda lalu coba lagi.",
        "File {path} may not be read (file permissions on the server); ask the server's "
        "administrator to allow it, or copy the file to your own folder and try again.",
    ),
    "berkas_adalah_folder": (
        "{path} adalah folder, bukan berkas; sebutkan berkas CSV atau XLSX di dalamnya.",
        "{path} is a folder, not a file; name a CSV or XLSX file inside it.",
    ),
    "berkas_gagal_dibaca": (
        "Berkas {path} tidak dapat dibaca dari disk (kesalahan sistem berkas); salin berkas ke "
        "tempat lain lalu coba lagi.",
        "File {path} cannot be read from the disk (a file-system error); copy the file elsewhere "
        "and try again.",
    ),
    "berkas_berubah_saat_dibaca": (
        "Berkas berubah ketika sedang dibaca (disimpan atau disalin ulang); tunggu sampai selesai "
        "disimpan lalu coba lagi.",
        "The file changed while it was being read (saved or copied again); wait until it is "
        "saved and try again.",
    ),
    "xlsx_tidak_terbaca": (
        "Isi buku kerja XLSX ini rusak atau tidak lazim sehingga tidak dapat dibaca; buka di "
        "Excel, simpan ulang sebagai XLSX atau 'CSV UTF-8', lalu coba lagi.",
        "The content of this XLSX workbook is damaged or unusual and cannot be read; open it in "
        "Excel, save it again as XLSX or 'CSV UTF-8', and try again.",
    ),
    # --- person linkage (link.run: CLI `sinergi link`) ---
    "link_membaca": ("Membaca catatan orang …", "Reading person records …"),
    "link_selesai": (
        "Penautan {run} selesai dalam {seconds} detik: {records:id} catatan ({new:id} baru atau "
        "berubah), {pairs:id} pasangan dinilai, {linked:id} anak e-PPGBM tertaut ke orang di "
        "registri, {review:id} pasangan menunggu tinjauan petugas (sinergi review).",
        "Linkage {run} done in {seconds} s: {records:en} records ({new:en} new or changed), "
        "{pairs:en} pairs scored, {linked:en} e-PPGBM children linked to a registry person, "
        "{review:en} pairs waiting for an officer (sinergi review).",
    ),
    "link_model_dilatih": (
        "Parameter model diperkirakan dengan EM dari data ini dan disimpan bersama penautan.",
        "Model parameters estimated by EM on this data and stored with the linkage.",
    ),
    "link_model_tersimpan": (
        "Parameter model: yang tersimpan (atau bawaan paket) — data terlalu sedikit atau sudah "
        "pernah dilatih; --train untuk melatih ulang.",
        "Model parameters: the stored (or bundled) ones — too few records, or trained before; "
        "--train to estimate them again.",
    ),
    "link_ambang_salah": (
        "Ambang tidak sah: --review-threshold ({review}) harus di antara 0 dan --threshold "
        "({threshold}), dan --threshold paling besar 1.",
        "Invalid thresholds: --review-threshold ({review}) must lie between 0 and --threshold "
        "({threshold}), and --threshold be at most 1.",
    ),
    "tautan_alasan_nik_berbeda": (
        "NIK berbeda, nama atau ibu tidak cukup mirip",
        "different NIKs, names or mothers not close enough",
    ),
    "demo_tautan": ("3b. Penautan orang (Splink)", "3b. Person linkage (Splink)"),
    "link_mutu": (
        "Mutu penautan terhadap kebenaran data sintetis (berpasangan)",
        "Linkage quality against the synthetic truth (pairwise)",
    ),
    "kol_cara": ("Cara", "Method"),
    "kol_presisi": ("Presisi", "Precision"),
    "kol_recall": ("Recall", "Recall"),
    "link_model": ("Penautan probabilistik (Splink)", "Probabilistic linkage (Splink)"),
    "link_nik": ("Hanya NIK yang sama persis", "Exact NIK only"),
    # --- issue 14 (H5): the health officer's children without a family ---
    "nav_anak_tanpa_kk": ("Anak tanpa KK", "Children without KK"),
    "dasbor_wilayah_judul": ("Dasbor wilayah", "Area dashboard"),
    # --- the TPPS semester report (sinergi.reports.tpps) and the dashboard's village table ---
    "lap_tpps_judul": (
        "Laporan Semester Tim Percepatan Penurunan Stunting (TPPS)",
        "Semester Report of the Stunting Reduction Team (TPPS)",
    ),
    "lap_tpps_ringkasan": ("Ringkasan", "Summary"),
    "lap_tpps_tanpa_penilaian": (
        "Belum ada penilaian tersimpan: jalankan 'sinergi assess' dulu. Laporan ini belum dapat "
        "memuat angka apa pun.",
        "No assessment is stored yet: run 'sinergi assess' first. This report cannot hold any "
        "figure yet.",
    ),
    "lap_tpps_tanpa_penilaian_semester": (
        "Tidak ada penilaian dengan tanggal acuan dalam {periode}; laporan semester ini belum "
        "dapat dibuat. Jalankan 'sinergi assess --date' dengan tanggal dalam semester itu.",
        "No assessment has a reference date in {periode}; this semester's report cannot be made "
        "yet. Run 'sinergi assess --date' with a date in that semester.",
    ),
    "lap_tpps_tanpa_sebelumnya": (
        "Tidak ada penilaian semester sebelumnya: perubahan belum dapat dihitung.",
        "There is no assessment of the previous semester: the change cannot be computed.",
    ),
    "lap_tpps_tanpa_keluarga": (
        "Penilaian ini tidak memuat satu keluarga pun di {wilayah}: belum ada data keluarga "
        "yang diimpor untuk wilayah ini.",
        "This assessment holds no family in {wilayah}: no family data have been imported for "
        "this area yet.",
    ),
    "lap_tpps_bukan_semester": (
        "Laporan TPPS dibuat per semester (mis. 2026-S1), bukan untuk periode {periode}.",
        "The TPPS report is made per semester (e.g. 2026-S1), not for the period {periode}.",
    ),
    "lap_tpps_di_luar_wilayah": (
        "Kecamatan {kode} di luar wilayah akun Anda.",
        "Kecamatan {kode} is outside your account's area.",
    ),
    "lap_tpps_about_periode": ("Periode laporan", "Reporting period"),
    "lap_tpps_about_wilayah": ("Wilayah", "Area"),
    "lap_tpps_about_pembanding": (
        "Pembanding (semester sebelumnya)",
        "Compared with (previous semester)",
    ),
    "lap_tpps_grafik_judul": (
        "Prevalensi stunting per kecamatan (garis: IK 95 % Wilson)",
        "Stunting prevalence by kecamatan (lines: 95 % Wilson CI)",
    ),
    "lap_tpps_grafik_sumbu": ("Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "lap_tpps_dasar": (
        "Dasar: penilaian {run}, {rules}, tanggal acuan {date}. Semua angka dihitung dengan "
        "fungsi yang sama dengan dasbor dan ekspor Sinergi.",
        "Basis: assessment {run}, {rules}, reference date {date}. Every figure is computed by "
        "the same functions as Sinergi's dashboard and exports.",
    ),
    "lap_tpps_cakupan": (
        "Cakupan ukur 3 bln: {m} dari {n} balita terdaftar",
        "Measured in 3 months: {m} of {n} registered under-fives",
    ),
    "lap_tpps_ci95": (
        "Interval kepercayaan 95 % (Wilson) prevalensi stunting",
        "95 % (Wilson) confidence interval of stunting prevalence",
    ),
    "lap_tpps_faktor": ("Faktor risiko keluarga KRS", "Risk factors of KRS families"),
    "lap_tpps_tanpa_faktor": (
        "Tidak ada faktor risiko yang muncul pada penilaian ini.",
        "No risk factor fired in this assessment.",
    ),
    "lap_tpps_faktor_catatan": (
        "Dilayani: intervensi untuk faktor ini sudah sampai (mis. konseling, bantuan, sambungan "
        "direncanakan); terpenuhi: faktornya teratasi (jamban dibangun, sambungan air berfungsi).",
        "Served: an intervention for this factor has reached the family (e.g. counselling, aid, a "
        "planned connection); resolved: the factor is removed (latrine built, water connected).",
    ),
    "lap_tpps_lembar_faktor": ("Faktor", "Factors"),
    "lap_tpps_stunting": ("Stunting (TB/U < −2 SD)", "Stunting (HAZ < −2 SD)"),
    "lap_tpps_wasting": ("Gizi kurang / wasting (BB/TB < −2 SD)", "Wasting (WHZ < −2 SD)"),
    "lap_tpps_underweight": ("Berat badan kurang (BB/U < −2 SD)", "Underweight (WAZ < −2 SD)"),
    "lap_tpps_gizi": ("Status gizi balita", "Nutritional status of under-fives"),
    "lap_tpps_gizi_catatan": (
        "Prevalensi di antara balita yang diukur, dengan interval kepercayaan 95 % (Wilson). "
        "Cakupan ukur 3 bulan terakhir: {share} ({m} dari {n} balita terdaftar).",
        "Prevalence among the under-fives measured, with a 95 % (Wilson) confidence interval. "
        "Measured in the last 3 months: {share} ({m} of {n} registered under-fives).",
    ),
    "lap_tpps_lembar_gizi": ("Gizi", "Nutrition"),
    "lap_tpps_tanpa_ukur": (
        "Tidak ada balita yang diukur dalam penilaian ini: prevalensi belum dapat dihitung "
        "(impor data e-PPGBM dulu).",
        "No under-five was measured in this assessment: prevalence cannot be computed (import "
        "the e-PPGBM data first).",
    ),
    "lap_tpps_konvergensi": ("Konvergensi per kecamatan", "Convergence by kecamatan"),
    "lap_tpps_konvergensi_catatan": (
        "Konvergen dilayani: setiap kebutuhan keluarga KRS sudah dilayani; konvergen terpenuhi: "
        "setiap kebutuhannya sudah teratasi.",
        "Convergent (served): every need of the KRS family has been served; convergent "
        "(resolved): every need has been resolved.",
    ),
    "lap_tpps_lembar_konvergensi": ("Konvergensi", "Convergence"),
    "lap_tpps_program": ("Konvergensi per program", "Convergence by programme"),
    "lap_tpps_program_catatan": (
        "Kebutuhan, dilayani dan terpenuhi: keluarga KRS dengan faktor yang ditangani program. "
        "Tersalurkan: catatan penyaluran di wilayah ini (usulan dan daftar instansi) dan rumah "
        "tangga tersambung ke jaringan desa yang beroperasi, semua periode.",
        "Need, served and resolved: KRS families with the factor the programme addresses. "
        "Delivered: delivery records in this area (proposals and agency lists) and households "
        "connected to an operating village network, every period.",
    ),
    "lap_tpps_lembar_program": ("Program", "Programmes"),
    "lap_tpps_instansi": ("Yang disalurkan tiap instansi", "What each agency delivered"),
    "lap_tpps_lembar_instansi": ("Instansi", "Agencies"),
    "lap_tpps_prioritas": ("Desa prioritas", "Priority villages"),
    "lap_tpps_prioritas_program": ("Desa prioritas: {program}", "Priority villages: {program}"),
    "lap_tpps_prioritas_catatan": (
        "Peringkat yang sama dengan 'sinergi prioritize' dan halaman program; anggaran {budget}: "
        "optimasi menjangkau {best} keluarga, urutan peringkat saja {greedy}.",
        "The same ranking as 'sinergi prioritize' and the programme page; budget {budget}: the "
        "optimiser reaches {best} families, taking the ranking in order {greedy}.",
    ),
    "lap_tpps_lembar_prioritas": ("Prioritas {program}", "Priority {program}"),
    "lap_tpps_perubahan": ("Perubahan sejak {periode}", "Change since {periode}"),
    "lap_tpps_perubahan_catatan": (
        "Perubahan stunting dalam poin persentase. Konvergensi semester lalu dihitung dengan "
        "catatan penyaluran saat ini (status penyaluran tidak menyimpan riwayat).",
        "Change in stunting in percentage points. Last semester's convergence is computed with "
        "the current delivery records (delivery statuses keep no history).",
    ),
    "lap_tpps_lembar_perubahan": ("Perubahan", "Change"),
    "lap_tpps_terlewat": (
        "Keluarga dan anak yang masih terlewat",
        "Families and children still missed",
    ),
    "lap_tpps_tanpa_terlewat": (
        "Tidak ada keluarga atau anak yang terlewat pada penilaian ini.",
        "No family or child is missed in this assessment.",
    ),
    "lap_tpps_terlewat_catatan": (
        "Jumlah per alasan, sama dengan 'sinergi missed' (tanpa nama; daftar bernama ada di "
        "halaman Terlewat sesuai hak akses).",
        "Counts per reason, as 'sinergi missed' gives them (no names; the named lists are on the "
        "Missed page, as each role may see them).",
    ),
    "lap_tpps_lembar_terlewat": ("Terlewat", "Missed"),
    "lap_tpps_terlewat_kecamatan": ("Masih terlewat di {nama}", "Still missed in {nama}"),
    "lap_tpps_halaman_kecamatan": ("Kecamatan {nama}", "Kecamatan {nama}"),
    "lap_tpps_desa": ("Desa dan kelurahan di {nama}", "Villages of {nama}"),
    "lap_tpps_lembar_kecamatan": ("Kec.", "Kec."),
    "lap_tpps_kol_faktor": ("Faktor", "Factor"),
    "lap_tpps_kol_perlu": ("KRS perlu", "KRS in need"),
    "lap_tpps_kol_dilayani": ("Dilayani", "Served"),
    "lap_tpps_kol_dilayani_pct": ("% dilayani", "% served"),
    "lap_tpps_kol_terpenuhi": ("Terpenuhi", "Resolved"),
    "lap_tpps_kol_terpenuhi_pct": ("% terpenuhi", "% resolved"),
    "lap_tpps_kol_proses": ("Dalam proses", "In progress"),
    "lap_tpps_kol_indikator": ("Indikator", "Indicator"),
    "lap_tpps_kol_diukur": ("Balita diukur", "Under-fives measured"),
    "lap_tpps_kol_kasus": ("Kasus", "Cases"),
    "lap_tpps_kol_prevalensi": ("Prevalensi", "Prevalence"),
    "lap_tpps_kol_ci95_bawah": ("IK 95 % bawah", "95 % CI low"),
    "lap_tpps_kol_ci95_atas": ("IK 95 % atas", "95 % CI high"),
    "lap_tpps_kol_nama_wilayah": ("Wilayah", "Area"),
    "lap_tpps_kol_keluarga": ("Keluarga", "Families"),
    "lap_tpps_kol_keluarga_sasaran": ("Keluarga sasaran", "Target families"),
    "lap_tpps_kol_krs": ("KRS", "KRS"),
    "lap_tpps_kol_konvergen_dilayani": ("Konvergen dilayani", "Convergent (served)"),
    "lap_tpps_kol_konvergensi_dilayani_pct": ("% dilayani", "% served"),
    "lap_tpps_kol_konvergen": ("Konvergen terpenuhi", "Convergent (resolved)"),
    "lap_tpps_kol_konvergensi_pct": ("% terpenuhi", "% resolved"),
    "lap_tpps_kol_krs_tanpa_intervensi": ("KRS tanpa intervensi", "KRS not reached"),
    "lap_tpps_kol_miskin_ekstrem_tanpa_bantuan": (
        "Miskin ekstrem tanpa bantuan",
        "Extreme poor without aid",
    ),
    "lap_tpps_kol_program": ("Program", "Programme"),
    "lap_tpps_kol_instansi": ("Instansi", "Agency"),
    "lap_tpps_kol_kebutuhan": ("Kebutuhan", "Need"),
    "lap_tpps_kol_tersalurkan": ("Tersalurkan", "Delivered"),
    "lap_tpps_kol_peringkat": ("Peringkat", "Rank"),
    "lap_tpps_kol_nama_desa": ("Desa", "Village"),
    "lap_tpps_kol_kecamatan": ("Kecamatan", "Kecamatan"),
    "lap_tpps_kol_skor": ("Skor", "Score"),
    "lap_tpps_kol_krs_kebutuhan": ("KRS butuh", "KRS in need"),
    "lap_tpps_kol_prevalensi_stunting": ("Stunting", "Stunting"),
    "lap_tpps_kol_status_jaringan": ("Jaringan air", "Water network"),
    "lap_tpps_kol_terpilih": ("Terpilih", "Chosen"),
    "lap_tpps_kol_krs_sebelumnya": ("KRS semester lalu", "KRS last semester"),
    "lap_tpps_kol_perubahan_krs": ("Perubahan KRS", "Change in KRS"),
    "lap_tpps_kol_prevalensi_sebelumnya_pct": ("Stunting semester lalu", "Stunting last semester"),
    "lap_tpps_kol_prevalensi_stunting_pct": ("Stunting", "Stunting"),
    "lap_tpps_kol_perubahan_stunting_pp": (
        "Perubahan stunting (poin %)",
        "Change in stunting (% points)",
    ),
    "lap_tpps_kol_konvergensi_sebelumnya_pct": (
        "Konvergensi semester lalu",
        "Convergence last semester",
    ),
    "lap_tpps_kol_alasan": ("Alasan", "Reason"),
    "lap_tpps_kol_kode_alasan": ("Kode", "Code"),
    "lap_tpps_kol_jumlah": ("Jumlah", "Count"),
    "lap_tpps_kol_balita_diukur": ("Balita diukur", "Under-fives measured"),
    "lap_tpps_kol_cakupan_ukur_pct": ("Cakupan ukur 3 bln", "Measured in 3 months"),
    "lap_tpps_kol_jaringan_air": ("Jaringan air", "Water network"),
    "dasbor_desa_judul": ("Desa dan kelurahan", "Villages"),
    "dasbor_desa_jelas": (
        "Perubahan dibanding penilaian sebelumnya (#{run}); stunting dalam poin persentase.",
        "Change since the previous assessment (#{run}); stunting in percentage points.",
    ),
    "dasbor_desa_tanpa_sebelumnya": (
        "Belum ada penilaian sebelumnya: kolom perubahan kosong.",
        "There is no previous assessment: the change columns are empty.",
    ),
    "dasbor_desa_semua_kecamatan": ("Semua kecamatan", "All kecamatan"),
    "dasbor_desa_perubahan_krs": ("Perubahan KRS", "Change in KRS"),
    "dasbor_desa_perubahan_stunting": ("Perubahan stunting", "Change in stunting"),
    "dasbor_desa_jaringan_air": ("Jaringan air", "Water network"),
    "dasbor_desa_about": ("Daftar desa dasbor", "Dashboard village table"),
    "dasbor_desa_filter_kecamatan": ("Kecamatan", "Kecamatan"),
    # headings of the dashboard village table's XLSX (`reports.tables.heading`)
    "kolom_perubahan_stunting_pp": (
        "Perubahan stunting (poin %)",
        "Change in stunting (% points)",
    ),
    "kolom_jaringan_air": ("Jaringan air desa", "Village water network"),
    "kolom_balita_terdaftar": ("Balita terdaftar", "Registered under-fives"),
    "kolom_balita_terukur": ("Balita diukur 3 bln terakhir", "Under-fives measured in 3 months"),
    "kolom_cakupan_ukur_pct": ("Cakupan ukur 3 bln (%)", "Measured in 3 months (%)"),
    "anak_tanpa_kk_judul": (
        "Anak e-PPGBM tanpa keluarga terdaftar",
        "e-PPGBM children linked to no registered family",
    ),
    "anak_tanpa_kk_jelas": (
        "Anak yang diukur di posyandu pada penilaian terakhir tetapi tidak terhubung ke KK mana "
        "pun di registri (No. KK, NIK orang tua dan NIK anak tidak ditemukan): cari keluarganya "
        "bersama kader dan desa.",
        "Children measured at the posyandu in the latest assessment but attached to no KK of the "
        "registry (No. KK, parent NIK and child NIK not found): find their families with the "
        "cadres and the village.",
    ),
    "orang_tua": ("Orang tua", "Parent"),
    "posyandu": ("Posyandu", "Posyandu"),
    "temuan": ("Temuan", "Findings"),
    "kol_anak_stunting": ("Stunting", "Stunted"),
    "kol_anak_kurus": ("Gizi kurang/buruk", "Wasted"),
    # --- offline field forms (sinergi.field) ---
    "lapangan_desa_tidak_dikenal": (
        "Kode desa '{kode}' tidak ada di registri (tulis kode desa 10 digit, mis. 64.08.01.2001).",
        "Village code '{kode}' is not in the registry (write the 10-digit village code, e.g. "
        "64.08.01.2001).",
    ),
    "lapangan_tidak_berhak": (
        "Peran Anda tidak boleh membawa nama dan NIK keluarga desa {kode} ke lapangan.",
        "Your role may not take the names and NIKs of the families of village {kode} to the field.",
    ),
    "lapangan_xlsform_salah": (
        "Formulir tidak lolos pemeriksaan pyxform, tidak ada yang ditulis: {detail}",
        "The form does not pass pyxform's check; nothing was written: {detail}",
    ),
    "lapangan_formulir_ditulis": (
        "Formulir {form} ditulis ke {path} bersama keluarga.csv ({families} keluarga), "
        "anggota.csv ({members} anggota) dan anak.csv ({children} balita).",
        "Form {form} written to {path} with keluarga.csv ({families} families), anggota.csv "
        "({members} members) and anak.csv ({children} under-fives).",
    ),
    "lapangan_peringatan": ("Peringatan pyxform: {detail}", "pyxform warning: {detail}"),
    "lapangan_central_belum": (
        "ODK Central belum diatur: tulis base_url, username, password (dan default_project_id) "
        "di bagian central berkas {path}, atau tunjuk berkas lain dengan PYODK_CONFIG_FILE.",
        "ODK Central is not configured: write base_url, username, password (and "
        "default_project_id) in the central section of {path}, or point PYODK_CONFIG_FILE at "
        "another file.",
    ),
    "lapangan_proyek_kosong": (
        "Nomor proyek ODK Central belum diberikan: pakai --project atau default_project_id di {path}.",
        "No ODK Central project given: use --project or default_project_id in {path}.",
    ),
    "lapangan_central_gagal": (
        "ODK Central menolak atau tidak menjawab: {detail}",
        "ODK Central refused or did not answer: {detail}",
    ),
    "lapangan_dibuat": (
        "Formulir {form} dibuat dan diterbitkan di proyek {project} dengan {files} lampiran.",
        "Form {form} created and published in project {project} with {files} attachments.",
    ),
    "lapangan_diperbarui": (
        "Formulir {form} diperbarui (versi {version}) di proyek {project} dengan {files} lampiran.",
        "Form {form} updated (version {version}) in project {project} with {files} attachments.",
    ),
    "lapangan_unduhan_salah": (
        "Unduhan kiriman dari ODK Central tidak berisi {name}: {detail}",
        "The submissions download from ODK Central does not hold {name}: {detail}",
    ),
    "lapangan_diunduh": (
        "{rows} kiriman diunduh: {main} (sinergi import verifikasi) dan {repeat} ({measures} "
        "pengukuran, sinergi import eppgbm).",
        "{rows} submissions downloaded: {main} (sinergi import verifikasi) and {repeat} "
        "({measures} measurements, sinergi import eppgbm).",
    ),
    "lapangan_judul": ("Verifikasi keluarga desa {desa}", "Family verification, village {desa}"),
    "lapangan_q_no_kk": ("Keluarga (kepala keluarga, RT/RW)", "Family (head, RT/RW)"),
    "lapangan_q_hasil": ("Hasil verifikasi", "Verification result"),
    "lapangan_q_nik": ("Anggota keluarga", "Family member"),
    "lapangan_h_nik": (
        "Wajib untuk anggota yang meninggal; untuk koreksi data anggota. Kosongkan untuk koreksi "
        "data keluarga.",
        "Required for a deceased member; for correcting a member's data. Leave empty to correct "
        "the family's data.",
    ),
    "lapangan_q_kolom": ("Data yang dikoreksi", "Data to correct"),
    "lapangan_q_nilai_baru": ("Nilai yang benar", "Correct value"),
    "lapangan_h_nilai_baru": (
        "Koreksi: nilai baru, mis. 003 untuk RT atau 12/03/2021 untuk tanggal lahir. Pindah: kode "
        "atau nama desa tujuan bila di Kutai Timur, kosong bila keluar daerah.",
        "Correction: the new value, e.g. 003 for RT or 12/03/2021 for a birth date. Moved: the "
        "new village's code or name when in Kutai Timur, empty when the family left the regency.",
    ),
    "lapangan_q_tanggal": ("Tanggal verifikasi", "Date of verification"),
    "lapangan_c_tanggal": (
        "Tanggal tidak boleh di masa depan.",
        "The date cannot be in the future.",
    ),
    "lapangan_q_petugas": ("Nama petugas", "Officer's name"),
    "lapangan_q_catatan": ("Catatan", "Notes"),
    "lapangan_q_ukur": ("Pengukuran ulang balita", "Re-measurement of an under-five"),
    "lapangan_q_anak": ("Anak", "Child"),
    "lapangan_q_tanggal_ukur": ("Tanggal pengukuran", "Date of measurement"),
    "lapangan_q_berat": ("Berat badan (kg)", "Weight (kg)"),
    "lapangan_q_tinggi": ("Panjang/tinggi badan (cm)", "Length/height (cm)"),
    "lapangan_q_cara_ukur": ("Cara ukur", "Position"),
    "lapangan_h_cara_ukur": (
        "Anak di bawah 2 tahun diukur terlentang, mulai 2 tahun berdiri.",
        "Children under 2 years are measured lying, from 2 years standing.",
    ),
    "lapangan_q_lila": ("LiLA (cm), bila diukur", "MUAC (cm), if measured"),
    "lapangan_c_rentang": (
        "Nilai harus antara {low} dan {high}; periksa lagi alat dan catatan.",
        "The value must be between {low} and {high}; check the instrument and the note again.",
    ),
    "lapangan_hasil_ada": ("Ada, data sesuai", "Present, data confirmed"),
    "lapangan_hasil_pindah": ("Pindah", "Moved away"),
    "lapangan_hasil_meninggal": ("Anggota meninggal", "A member died"),
    "lapangan_hasil_tidak_ditemukan": ("Tidak ditemukan", "Not found"),
    "lapangan_hasil_koreksi": ("Koreksi data", "Correct data"),
    "lapangan_cara_berbaring": ("Terlentang (berbaring)", "Lying"),
    "lapangan_cara_berdiri": ("Berdiri", "Standing"),
    "lapangan_umur": ("{tahun} th {bulan} bl", "{tahun} y {bulan} m"),
    "lapangan_rt_rw": ("RT {rt}/RW {rw}", "RT {rt}/RW {rw}"),
    "lapangan_tanpa_nama": ("(tanpa nama)", "(no name)"),
    "bantuan_field": (
        "Formulir lapangan luring (ODK Collect / KoboToolbox, ODK Central).",
        "Offline field forms (ODK Collect / KoboToolbox, ODK Central).",
    ),
    "bantuan_field_form": (
        "Tulis XLSForm desa (verifikasi_<desa>.xlsx) beserta keluarga.csv, anggota.csv dan "
        "anak.csv untuk ODK Collect atau KoboToolbox.",
        "Write the village's XLSForm (verifikasi_<desa>.xlsx) with keluarga.csv, anggota.csv "
        "and anak.csv for ODK Collect or KoboToolbox.",
    ),
    "bantuan_field_push": (
        "Terbitkan formulir desa dan berkas pilihannya di ODK Central (versi baru bila proyek "
        "sudah memilikinya).",
        "Publish the village's form and its choice files on ODK Central (a new version when the "
        "project has it already).",
    ),
    "bantuan_field_pull": (
        "Unduh kiriman formulir dari ODK Central sebagai CSV: <form>.csv (verifikasi) dan "
        "<form>-ukur.csv (pengukuran ulang).",
        "Download the form's submissions from ODK Central as CSV: <form>.csv (verifications) "
        "and <form>-ukur.csv (re-measurements).",
    ),
    "bantuan_field_form_desa": (
        "Kode desa, mis. 64.08.01.2001",
        "Village code, e.g. 64.08.01.2001",
    ),
    "bantuan_field_push_desa": (
        "Kode desa, mis. 64.08.01.2001",
        "Village code, e.g. 64.08.01.2001",
    ),
    "bantuan_field_form_out": (
        "Folder untuk formulir dan berkas CSV-nya",
        "Folder for the form and its CSV files",
    ),
    "bantuan_field_push_out": (
        "Folder untuk berkas yang dikirim (disimpan sebagai catatan)",
        "Folder for the files sent (kept as a record)",
    ),
    "bantuan_field_pull_out": ("Folder untuk CSV kiriman", "Folder for the submission CSVs"),
    "bantuan_field_pull_form": (
        "ID formulir, mis. verifikasi_6408012001",
        "Form id, e.g. verifikasi_6408012001",
    ),
    "bantuan_field_pull_do_import": (
        "Langsung impor: sinergi import verifikasi, lalu sinergi import eppgbm",
        "Import them: sinergi import verifikasi, then sinergi import eppgbm",
    ),
    "bantuan_field_push_project": (
        "Proyek ODK Central (bawaan: default_project_id pyodk)",
        "ODK Central project (default: pyodk's default_project_id)",
    ),
    "bantuan_field_pull_project": (
        "Proyek ODK Central (bawaan: default_project_id pyodk)",
        "ODK Central project (default: pyodk's default_project_id)",
    ),
    # --- issue 15 (R3): the Rembuk Stunting pack (lap_rembuk_*), the village scorecard
    # (lap_skor_*) and the static maps of reports (lap_peta_*) ---
    "lap_peta_tanpa_data": ("Tidak ada data", "No data"),
    "lap_peta_prioritas": ("Desa prioritas", "Priority villages"),
    "lap_peta_utara": ("U", "N"),
    "lap_peta_atribusi": (
        "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), kode Kepmendagri 2025",
        "Boundaries: cahyadsn/wilayah_boundaries (MIT), Kepmendagri 2025 codes",
    ),
    "lap_rembuk_judul": ("Bahan Rembuk Stunting", "Rembuk Stunting pack"),
    "lap_rembuk_tanpa_periode": ("Belum ada penilaian", "No assessment yet"),
    "lap_rembuk_kosong": (
        "Belum ada penilaian keluarga untuk {periode}: jalankan 'sinergi assess' lebih dulu. "
        "Peringkat desa, skenario anggaran dan peta belum dapat disusun.",
        "No family assessment for {periode}: run 'sinergi assess' first. The village ranking, "
        "the budget scenarios and the maps cannot be drawn up yet.",
    ),
    "lap_rembuk_tanpa_keluarga": (
        "Penilaian untuk {periode} tidak memuat keluarga di wilayah ini: angka di bawah belum "
        "menggambarkan situasi.",
        "The assessment for {periode} holds no family in this area: the figures below do not "
        "describe the situation yet.",
    ),
    "lap_rembuk_about_periode": ("Periode", "Period"),
    "lap_rembuk_about_wilayah": ("Wilayah", "Area"),
    "lap_rembuk_bagian_situasi": ("Analisis situasi", "Situation analysis"),
    "lap_rembuk_situasi_teks": (
        "Angka dari penilaian keluarga yang mewakili tahun ini, dijumlahkan per desa seperti "
        "peringkat desa menghitungnya.",
        "Figures from the family assessment standing for this year, summed per village as the "
        "village ranking counts them.",
    ),
    "lap_rembuk_keluarga": ("Keluarga", "Families"),
    "lap_rembuk_krs": ("Keluarga berisiko stunting (KRS)", "Families at risk of stunting (KRS)"),
    "lap_rembuk_miskin_ekstrem": ("Keluarga miskin ekstrem", "Families in extreme poverty"),
    "lap_rembuk_balita_diukur": ("Balita diukur", "Under-fives measured"),
    "lap_rembuk_stunting": ("Prevalensi stunting", "Stunting prevalence"),
    "lap_rembuk_tanpa_ukur": (
        "tidak ada data (tidak ada balita diukur)",
        "no data (no under-five measured)",
    ),
    "lap_rembuk_desa_krs": ("Desa dengan KRS", "Villages with KRS"),
    "lap_rembuk_bagian_program": (
        "Desa prioritas — {program}: {name}",
        "Priority villages — {program}: {name}",
    ),
    "lap_rembuk_rencana": (
        "Dengan anggaran {budget}, optimasi memilih {villages} desa dan menjangkau {best} KRS "
        "yang membutuhkan; aturan 'ambil urutan teratas sampai dana habis' menjangkau {greedy}.",
        "With a budget of {budget} the optimiser chooses {villages} villages and reaches {best} "
        "KRS families in need; 'take the top of the ranking until the money runs out' reaches "
        "{greedy}.",
    ),
    "lap_rembuk_peta_judul": (
        "{program}: KRS per desa, {n} desa peringkat teratas",
        "{program}: KRS families per village, the {n} top-ranked villages",
    ),
    "lap_rembuk_peta_skala": (
        "Keluarga berisiko stunting (KRS) per desa",
        "Families at risk of stunting (KRS) per village",
    ),
    "lap_rembuk_peta_keterangan": (
        "Warna: jumlah KRS desa. Bernomor dan bergaris tebal: {n} desa teratas peringkat.",
        "Shade: the village's KRS families. Numbered and outlined: the {n} top-ranked villages.",
    ),
    "lap_rembuk_peringkat_judul": ("Peringkat desa — {program}", "Village ranking — {program}"),
    "lap_rembuk_peringkat_catatan": (
        "Skor = 100 × jumlah berbobot komponen yang dinormalkan (0–1) di antara desa yang "
        "memenuhi syarat; desa tanpa skor tidak memenuhi syarat (lihat alasan).",
        "Score = 100 × the weighted sum of the components normalised (0–1) over the eligible "
        "villages; a village without a score is not eligible (see the reason).",
    ),
    "lap_rembuk_kol_peringkat": ("Peringkat", "Rank"),
    "lap_rembuk_kol_desa": ("Desa", "Village"),
    "lap_rembuk_kol_kecamatan": ("Kecamatan", "Kecamatan"),
    "lap_rembuk_kol_skor": ("Skor (0–100)", "Score (0–100)"),
    "lap_rembuk_kol_krs": ("KRS", "KRS"),
    "lap_rembuk_kol_krs_kebutuhan": ("KRS membutuhkan", "KRS in need"),
    "lap_rembuk_kol_porsi": ("Porsi kebutuhan", "Share in need"),
    "lap_rembuk_kol_stunting": ("Stunting", "Stunting"),
    "lap_rembuk_kol_miskin": ("Miskin ekstrem", "Extreme poor"),
    "lap_rembuk_kol_jaringan": ("Jaringan air", "Water network"),
    "lap_rembuk_kol_biaya": ("Biaya", "Cost"),
    "lap_rembuk_kol_terpilih": ("Optimasi", "Optimiser"),
    "lap_rembuk_kol_greedy": ("Urutan teratas", "Greedy"),
    "lap_rembuk_kol_alasan": ("Alasan", "Reason"),
    "lap_rembuk_bagian_anggaran": ("Skenario anggaran", "Budget scenarios"),
    "lap_rembuk_anggaran_teks": (
        "Keluarga yang terjangkau per program pada beberapa tingkat anggaran, oleh optimasi "
        "(HiGHS) dan oleh aturan 'ambil urutan teratas sampai dana habis'. Biaya adalah contoh "
        "biaya dari berkas program, bukan harga resmi.",
        "Families reached per programme at several budget levels, by the optimiser (HiGHS) and "
        "by 'take the top of the ranking until the money runs out'. Costs are the programme "
        "files' example costs, not official prices.",
    ),
    "lap_rembuk_banding_judul": (
        "Optimasi dibanding urutan teratas, pada anggaran program",
        "Optimiser beside greedy, at each programme's budget",
    ),
    "lap_rembuk_banding_catatan": (
        "Selisih = keluarga yang dijangkau optimasi lebih banyak daripada urutan teratas.",
        "Difference = families the optimiser reaches beyond the greedy rule.",
    ),
    "lap_rembuk_skenario_judul": (
        "Keluarga terjangkau per tingkat anggaran",
        "Families reached per budget level",
    ),
    "lap_rembuk_skenario_catatan": (
        "Tingkat anggaran: 25–200 % anggaran program, seperti grafik di halaman program. Biaya "
        "marjinal: tambahan rupiah per tambahan keluarga dibanding tingkat sebelumnya.",
        "Budget levels: 25–200 % of the programme's budget, as the programme page charts them. "
        "Marginal cost: extra rupiah per extra family compared with the level before.",
    ),
    "lap_rembuk_satuan_desa": ("desa", "village"),
    "lap_rembuk_satuan_keluarga": ("keluarga", "family"),
    "lap_rembuk_kol_program": ("Program", "Programme"),
    "lap_rembuk_kol_instansi": ("Instansi", "Agency"),
    "lap_rembuk_kol_satuan": ("Satuan", "Unit"),
    "lap_rembuk_kol_bagian": ("Porsi anggaran", "Share of budget"),
    "lap_rembuk_kol_anggaran": ("Anggaran", "Budget"),
    "lap_rembuk_kol_optimal": ("Terjangkau (optimasi)", "Reached (optimiser)"),
    "lap_rembuk_kol_terjangkau_greedy": ("Terjangkau (urutan teratas)", "Reached (greedy)"),
    "lap_rembuk_kol_unit": ("Unit terpilih", "Units chosen"),
    "lap_rembuk_kol_marjinal": ("Biaya marjinal per keluarga", "Marginal cost per family"),
    "lap_rembuk_kol_selisih": ("Selisih", "Difference"),
    "lap_rembuk_kol_biaya_optimal": ("Biaya (optimasi)", "Cost (optimiser)"),
    "lap_rembuk_kol_biaya_greedy": ("Biaya (urutan teratas)", "Cost (greedy)"),
    "lap_skor_judul": ("Kartu Skor Konvergensi Desa", "Village Convergence Scorecard"),
    "lap_skor_subjudul": (
        "Desa {desa} ({kode}), Kecamatan {kecamatan} — {periode}",
        "Village {desa} ({kode}), Kecamatan {kecamatan} — {periode}",
    ),
    "lap_skor_tidak_boleh": (
        "Kartu skor desa {desa} di luar wilayah akun ini.",
        "The scorecard of village {desa} is outside this account's area.",
    ),
    "lap_skor_bagian": ("Cakupan lima paket layanan", "Coverage of the five service packages"),
    "lap_skor_pengantar": (
        "Sasaran: setiap ibu hamil dan anak 0–23 bulan yang tercatat di registri untuk desa ini "
        "pada tanggal acuan. Indikator yang tidak dicatat registri ditulis 'tidak ada data', "
        "bukan nol; isi dari catatan KPM.",
        "Targets: every pregnant woman and every child aged 0–23 months the registry holds for "
        "this village at the reference date. Indicators the registry does not record read "
        "'no data', not zero; fill them in from the KPM's records.",
    ),
    "lap_skor_kosong": (
        "Registri tidak memuat ibu hamil maupun anak 0–23 bulan di desa {desa} untuk {periode}: "
        "impor data ibu hamil (ANC), e-PPGBM dan roster keluarga lebih dulu.",
        "The registry holds no pregnant woman and no child aged 0–23 months in village {desa} "
        "for {periode}: import the ANC, e-PPGBM and family roster files first.",
    ),
    "lap_skor_about_desa": ("Desa", "Village"),
    "lap_skor_about_periode": ("Triwulan", "Quarter"),
    "lap_skor_about_tanggal_acuan": ("Tanggal acuan", "Reference date"),
    "lap_skor_about_penilaian": (
        "Penilaian (faktor rumah tangga)",
        "Assessment (household factors)",
    ),
    "lap_skor_tanpa_penilaian": ("belum ada", "none yet"),
    "lap_skor_jumlah_ibu": ("Ibu hamil", "Pregnant women"),
    "lap_skor_jumlah_anak": ("Anak 0–23 bulan", "Children 0–23 months"),
    "lap_skor_jaringan_air": ("Jaringan air desa", "Village water network"),
    "lap_skor_indikator_berdata": ("Indikator dengan data", "Indicators with data"),
    "lap_skor_dari": ("{n} dari {total}", "{n} of {total}"),
    "lap_skor_tabel_catatan": (
        "Persen = tercakup dibagi jumlah sasaran. '–' dengan 'tidak ada data': registri tidak "
        "mencatat indikator ini.",
        "Percent = covered over the targets. '–' with 'no data': the registry does not record "
        "this indicator.",
    ),
    "lap_skor_kol_indikator": ("Indikator", "Indicator"),
    "lap_skor_kol_sasaran": ("Sasaran", "Target"),
    "lap_skor_kol_jumlah_sasaran": ("Jumlah sasaran", "Targets"),
    "lap_skor_kol_tercakup": ("Tercakup", "Covered"),
    "lap_skor_kol_persen": ("Persen", "Percent"),
    "lap_skor_kol_keterangan": ("Keterangan", "Note"),
    "lap_skor_tidak_ada_data": ("tidak ada data", "no data"),
    "lap_skor_tanpa_sasaran": ("tidak ada sasaran", "no targets"),
    "lap_skor_tidak_berlaku": (
        "tidak ada data (PAUD untuk usia 3–6 tahun)",
        "no data (PAUD is for ages 3–6)",
    ),
    "lap_skor_sebagian_tanpa_data": ("{n} tanpa data", "{n} without data"),
    "lap_skor_sasaran_ibu": ("Ibu hamil", "Pregnant women"),
    "lap_skor_sasaran_anak": ("Anak 0–23 bulan", "Children 0–23 months"),
    "lap_skor_paket_1": ("1. Kesehatan ibu dan anak", "1. Mother and child health"),
    "lap_skor_paket_2": ("2. Konseling gizi", "2. Nutrition counselling"),
    "lap_skor_paket_3": ("3. Air bersih dan sanitasi", "3. Water and sanitation"),
    "lap_skor_paket_4": ("4. Perlindungan sosial dan kesehatan", "4. Social and health protection"),
    "lap_skor_paket_5": (
        "5. Pendidikan anak usia dini (PAUD)",
        "5. Early-childhood education (PAUD)",
    ),
    "lap_skor_ind_ibu_periksa": (
        "Pemeriksaan kehamilan tercatat dalam triwulan",
        "Antenatal check-up recorded in the quarter",
    ),
    "lap_skor_ind_ibu_anc4": (
        "Pemeriksaan kehamilan minimal 4 kali",
        "At least 4 antenatal visits",
    ),
    "lap_skor_ind_ibu_ttd": ("Tablet tambah darah (90 tablet)", "Iron tablets (90 tablets)"),
    "lap_skor_ind_anak_ukur": (
        "Diukur di posyandu dalam triwulan (e-PPGBM)",
        "Measured at the posyandu in the quarter (e-PPGBM)",
    ),
    "lap_skor_ind_anak_ukur_bulanan": (
        "Ditimbang setiap bulan dalam triwulan",
        "Weighed every month of the quarter",
    ),
    "lap_skor_ind_anak_imunisasi": ("Imunisasi dasar lengkap", "Complete basic immunisation"),
    "lap_skor_ind_ibu_kelas": ("Mengikuti kelas ibu hamil", "Attended antenatal classes"),
    "lap_skor_ind_anak_pmba": (
        "Orang tua mengikuti konseling gizi (PMBA)",
        "Parents attended infant-feeding counselling (PMBA)",
    ),
    "lap_skor_ind_ibu_tpk": (
        "Pendampingan TPK / konseling tersalurkan dalam triwulan",
        "Family-support (TPK) counselling delivered in the quarter",
    ),
    "lap_skor_ind_anak_tpk": (
        "Pendampingan TPK / konseling tersalurkan dalam triwulan",
        "Family-support (TPK) counselling delivered in the quarter",
    ),
    "lap_skor_ind_ibu_pmt": (
        "PMT / paket pangan tersalurkan dalam triwulan",
        "Supplementary food delivered in the quarter",
    ),
    "lap_skor_ind_anak_pmt": (
        "PMT / paket pangan tersalurkan dalam triwulan",
        "Supplementary food delivered in the quarter",
    ),
    "lap_skor_ind_ibu_air": (
        "Rumah tangga dengan air minum layak",
        "Household with safe drinking water",
    ),
    "lap_skor_ind_anak_air": (
        "Rumah tangga dengan air minum layak",
        "Household with safe drinking water",
    ),
    "lap_skor_ind_ibu_jamban": (
        "Rumah tangga dengan jamban layak",
        "Household with a safe latrine",
    ),
    "lap_skor_ind_anak_jamban": (
        "Rumah tangga dengan jamban layak",
        "Household with a safe latrine",
    ),
    "lap_skor_ind_ibu_pkh_bpnt": (
        "Keluarga penerima PKH atau BPNT",
        "Family receiving PKH or BPNT",
    ),
    "lap_skor_ind_anak_pkh_bpnt": (
        "Keluarga penerima PKH atau BPNT",
        "Family receiving PKH or BPNT",
    ),
    "lap_skor_ind_ibu_bansos": (
        "Bantuan tunai tersalurkan dalam triwulan",
        "Cash aid delivered in the quarter",
    ),
    "lap_skor_ind_anak_bansos": (
        "Bantuan tunai tersalurkan dalam triwulan",
        "Cash aid delivered in the quarter",
    ),
    "lap_skor_ind_ibu_jkn": ("Peserta JKN / PBI", "Covered by JKN / PBI health insurance"),
    "lap_skor_ind_anak_jkn": ("Peserta JKN / PBI", "Covered by JKN / PBI health insurance"),
    "lap_skor_ind_anak_akta": ("Memiliki akta kelahiran", "Has a birth certificate"),
    "lap_skor_ind_anak_paud": ("Mengikuti PAUD", "Attends PAUD"),
    "lap_skor_ind_anak_bkb": (
        "Orang tua mengikuti kelas pengasuhan (BKB)",
        "Parents attend parenting classes (BKB)",
    ),
}


def t(code: str, lang: Lang = "id", /, **kwargs: object) -> str:
    """Translate a message code; unknown codes come back as the code itself."""
    pair = CATALOGUE.get(code)
    if pair is None:
        return code
    text = pair[0] if lang == "id" else pair[1]
    return text.format(**kwargs) if kwargs else text
