"""Web catalogue: every sentence of the pages, Bahasa Indonesia first, English second.

Kept beside the product catalogue (`sinergi.messages`) rather than inside it so the web layer
can grow without touching the stages' messages; `t` looks here first and falls back to the
product catalogue, so a page can also show validation reasons, factor explanations and workflow
errors with the same call.
"""

from __future__ import annotations

from sinergi.messages import CATALOGUE, Lang

WEB: dict[str, tuple[str, str]] = {
    # --- growth chart (charts.growth_chart_svg) ---
    "grafik_tbu": ("Panjang/Tinggi Badan menurut Umur (PB/U, TB/U)", "Length/height-for-age"),
    "grafik_bbu": ("Berat Badan menurut Umur (BB/U)", "Weight-for-age"),
    "grafik_y_tbu": ("Panjang/tinggi badan (cm)", "Length/height (cm)"),
    "grafik_y_bbu": ("Berat badan (kg)", "Weight (kg)"),
    "grafik_x": ("Umur (bulan)", "Age (months)"),
    "grafik_L": ("Laki-laki", "Boys"),
    "grafik_P": ("Perempuan", "Girls"),
    "grafik_median": ("Median", "Median"),
    "grafik_child": ("Pengukuran anak", "Child's measurements"),
    "grafik_month": ("bln", "mo"),
    "grafik_source": ("Standar WHO 2006", "WHO 2006 standards"),
    # --- frame, navigation ---
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
    # --- login ---
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
    # --- roles ---
    "peran": ("Peran", "Role"),
    "peran_admin": ("Admin", "Admin"),
    "peran_dppkb": ("DPPKB", "DPPKB (family planning)"),
    "peran_instansi": ("Petugas instansi", "Agency officer"),
    "peran_desa": ("Operator desa", "Village operator"),
    "peran_analis": ("Analis", "Analyst"),
    "peran_auditor": ("Auditor", "Auditor"),
    # --- figures ---
    "keluarga": ("Keluarga", "Families"),
    "krs": ("KRS", "KRS"),
    "krs_panjang": ("Keluarga berisiko stunting (KRS)", "Families at risk of stunting (KRS)"),
    "bukan_krs": ("Bukan KRS", "Not KRS"),
    "miskin_ekstrem": ("Miskin ekstrem", "Extreme poor"),
    "prevalensi_stunting": ("Prevalensi stunting", "Stunting prevalence"),
    "ci95": ("IK 95 %: {lo} – {hi}", "95 % CI: {lo} – {hi}"),
    "konvergensi": ("Konvergensi", "Convergence"),
    "konvergensi_jelas": (
        "KRS yang semua kebutuhannya terpenuhi",
        "KRS families with every need met",
    ),
    "krs_tanpa_intervensi": ("KRS tanpa intervensi apa pun", "KRS families with no intervention"),
    "balita_diukur": ("Balita diukur", "Under-fives measured"),
    "balita_stunting": ("Balita stunting", "Stunted under-fives"),
    "dari_balita": ("dari {n} balita diukur", "of {n} under-fives measured"),
    "penilaian": ("Penilaian", "Assessment"),
    "tanpa_data": ("tanpa data", "no data"),
    # --- dashboard ---
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
        "Angka Sinergi dibandingkan angka resmi",
        "Sinergi's figures beside the published ones",
    ),
    "sinergi_angka": ("Sinergi", "Sinergi"),
    "angka_resmi": ("Angka resmi Kutai Timur", "Published, Kutai Timur"),
    "resmi_catatan": (
        "Angka resmi: Verval KRS BKKBN dan SSGI/SKI Kemenkes.",
        "Published figures: BKKBN Verval KRS and Kemenkes SSGI/SKI surveys.",
    ),
    "tren_judul": ("KRS dan miskin ekstrem per penilaian", "KRS and extreme poor by assessment"),
    "tren_stunting_judul": (
        "Prevalensi stunting per penilaian",
        "Stunting prevalence by assessment",
    ),
    "per_kecamatan_judul": ("Per kecamatan", "By kecamatan"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    # --- map ---
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
    # --- village ---
    "desa": ("Desa", "Village"),
    "kebutuhan_judul": ("Kebutuhan KRS menurut faktor", "KRS needs by factor"),
    "faktor": ("Faktor", "Factor"),
    "perlu": ("Perlu", "Need"),
    "terpenuhi": ("Terpenuhi", "Met"),
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
    # --- search, family ---
    "cari_judul": ("Cari keluarga", "Find a family"),
    "cari_label": ("Nama atau No. KK", "Name or No. KK"),
    "cari_placeholder": ("mis. Siti Aminah", "e.g. Siti Aminah"),
    "cari": ("Cari", "Search"),
    "tidak_ditemukan": (
        "Tidak ada keluarga yang cocok dalam wilayah Anda.",
        "No matching family within your area.",
    ),
    "hasil_dibatasi": (
        "Hanya 50 hasil pertama; perjelas pencarian.",
        "Only the first 50 results; refine the search.",
    ),
    "no_kk": ("No. KK", "No. KK"),
    "hasil_penilaian": ("Hasil penilaian", "Assessment result"),
    "tanpa_faktor": ("Tidak ada faktor risiko yang terpenuhi.", "No risk factor fired."),
    "belum_dinilai": (
        "Keluarga ini belum ada dalam penilaian terakhir.",
        "This family is not in the latest assessment.",
    ),
    "sasaran_pus": ("PUS", "Couple of reproductive age"),
    "sasaran_pus_hamil": ("PUS hamil", "Pregnant"),
    "sasaran_baduta": ("Baduta", "Child under 2"),
    "sasaran_balita": ("Balita", "Child 2–4"),
    "anggota": ("Anggota keluarga", "Family members"),
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
    "pertumbuhan_anak": ("Pertumbuhan anak", "Children's growth"),
    "pengukuran_terakhir": ("Pengukuran terakhir {date}", "Latest measurement {date}"),
    "pengukuran": ("Pengukuran terakhir", "Latest measurement"),
    "riwayat_intervensi": ("Riwayat intervensi", "Intervention timeline"),
    "belum_ada_intervensi": ("Belum ada intervensi tercatat.", "No intervention recorded yet."),
    # --- missed ---
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
    # --- programmes ---
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
    "skenario_judul": ("Keluarga terjangkau menurut anggaran", "Families reached by budget"),
    "anggaran_miliar": ("Anggaran (miliar Rp)", "Budget (billion Rp)"),
    "keluarga_terjangkau": ("Keluarga terjangkau", "Families reached"),
    "metode_highs": ("Optimal (HiGHS)", "Optimal (HiGHS)"),
    "metode_greedy": ("Urut peringkat", "Ranking order"),
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
    "baris_dibatasi": (
        "Menampilkan {n} baris pertama; saring atau ekspor untuk semuanya.",
        "Showing the first {n} rows; filter or export for all of them.",
    ),
    "status_usulan": ("Usulan", "Proposed"),
    "status_terverifikasi": ("Terverifikasi", "Verified"),
    "status_disetujui": ("Disetujui", "Approved"),
    "status_tersalurkan": ("Tersalurkan", "Delivered"),
    "status_ditolak": ("Ditolak", "Rejected"),
    "aksi_terverifikasi": ("Verifikasi", "Verify"),
    "aksi_disetujui": ("Setujui", "Approve"),
    "aksi_tersalurkan": ("Tandai tersalurkan", "Mark delivered"),
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
    # --- imports ---
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
    # --- audit, users ---
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
}

# Growth categories (sinergi.assess.growth.CATEGORIES) as shown beside a z-score.
_GROWTH = {
    "sangat_pendek": ("sangat pendek", "severely stunted"),
    "pendek": ("pendek", "stunted"),
    "normal": ("normal", "normal"),
    "tinggi": ("tinggi", "tall"),
    "gizi_buruk": ("gizi buruk", "severely wasted"),
    "gizi_kurang": ("gizi kurang", "wasted"),
    "berisiko_gizi_lebih": ("berisiko gizi lebih", "at risk of overweight"),
    "gizi_lebih": ("gizi lebih", "overweight"),
    "obesitas": ("obesitas", "obese"),
}
WEB |= {f"gizi_{k}": v for k, v in _GROWTH.items()}


def t(code: str, lang: Lang = "id", /, **kwargs: object) -> str:
    """Translate a web or product message code; unknown codes come back as the code itself."""
    pair = WEB.get(code) or CATALOGUE.get(code)
    if pair is None:
        return code
    text = pair[0] if lang == "id" else pair[1]
    return text.format(**kwargs) if kwargs else text
