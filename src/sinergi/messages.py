"""The one message catalogue: every user-facing sentence, Bahasa Indonesia first, English second.

Keys are stable codes (validation reasons are also written into reports and the synthetic ground
truth), so a sentence can be reworded without breaking anything that matches on the code.
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
        "NIK yang sama juga dipakai di baris {other_rows} berkas ini dengan data berbeda.",
        "The same NIK is also used on row(s) {other_rows} of this file with different data.",
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
    "kk_wilayah_tidak_dikenal": (
        "6 digit awal No. KK ({prefix}) bukan kode kecamatan yang ada.",
        "The first 6 digits of the No. KK ({prefix}) are not an existing kecamatan code.",
    ),
    "kk_ganda": (
        "No. KK yang sama juga ada di baris {other_rows} berkas ini.",
        "The same No. KK also appears on row(s) {other_rows} of this file.",
    ),
    "desa_ganda": (
        "Kode desa yang sama juga ada di baris {other_rows} berkas ini dengan data berbeda.",
        "The same village code also appears on row(s) {other_rows} of this file with different data.",
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
        "Kolom tingkat keluarga berbeda antar anggota KK yang sama (baris {other_rows}); "
        "seluruh keluarga ditolak.",
        "A family-level column differs between members of the same KK (rows {other_rows}); "
        "the whole family is refused.",
    ),
    "hamil_bukan_perempuan": (
        "Tercatat hamil padahal jenis kelamin bukan perempuan.",
        "Recorded as pregnant but the sex is not female.",
    ),
    "nik_anak_kosong": (
        "NIK anak kosong; pengukuran dimuat tetapi anak dicocokkan lewat nama, tanggal lahir dan orang tua.",
        "Child NIK empty; the measurement is loaded but the child is matched by name, birth date and parent.",
    ),
    # --- assessment: who slipped through ---
    "anak_tidak_terdaftar": (
        "Anak {status} tetapi keluarganya tidak ditemukan di data keluarga (tidak terdaftar).",
        "Child is {status} but the family is not in the family registry (unregistered).",
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
        "Keluarga KRS dengan balita yang belum diukur dalam {months} bulan terakhir.",
        "KRS family with an under-five not measured in the last {months} months.",
    ),
    "kata_stunting": ("stunting (TB/U < −2 SD)", "stunted (HAZ < −2)"),
    "kata_wasting": ("gizi kurang/buruk (BB/TB < −2 SD)", "wasted (WHZ < −2)"),
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
    "metode_optimal": ("optimal (HiGHS)", "optimal (HiGHS)"),
    "metode_greedy": ("urut peringkat sampai dana habis", "top of ranking until money runs out"),
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
    "alasan_dikecualikan": ("Tidak dapat digabung dengan {other}.", "Cannot be combined with {other}."),
    "alasan_kalah_anggaran": (
        "Kalah prioritas: perlu tambahan anggaran {margin} agar ikut terpilih.",
        "Outranked: {margin} more budget would be needed to include it.",
    ),
    "alasan_kalah_nilai": (
        "Kalah prioritas: anggaran dipakai untuk desa yang menjangkau lebih banyak keluarga.",
        "Outranked: the budget reaches more families in other villages.",
    ),
    "jaringan_beroperasi": ("jaringan air desa sudah beroperasi", "the village network already operates"),
    "jaringan_konstruksi": ("jaringan air desa sedang dibangun", "the village network is under construction"),
    "jaringan_perencanaan": ("jaringan air desa sedang direncanakan", "the village network is being planned"),
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
        "{n} keluarga disimpan sebagai usulan ({program}, periode {period}).",
        "{n} families saved as proposals ({program}, period {period}).",
    ),
    "program_error": ("Program tidak dapat dimuat: {detail}", "Programme cannot be loaded: {detail}"),
    # --- CLI ---
    "penilaian_selesai": (
        "Penilaian #{run}: {rules}, tanggal acuan {date} ({seconds} s)",
        "Assessment #{run}: {rules}, reference date {date} ({seconds} s)",
    ),
    "per_kecamatan": ("Per kecamatan", "Per kecamatan"),
    "hasil_alokasi": (
        "HiGHS: {best} keluarga, Rp {cost}  |  greedy: {greedy} keluarga, Rp {greedy_cost}",
        "HiGHS: {best} families, Rp {cost}  |  greedy: {greedy} families, Rp {greedy_cost}",
    ),
    "synth_selesai": ("{persons} penduduk, {families} keluarga → {out}",
                      "{persons} persons, {families} families → {out}"),
    "laporan_validasi": ("Laporan validasi: {path}", "Validation reports: {path}"),
    "basis_data": ("Basis data: {url}  ({seconds} s)", "Database: {url}  ({seconds} s)"),
    "demo_1": ("1. Data sintetis Kutai Timur", "1. Synthetic Kutai Timur data"),
    "demo_2": ("2. Impor semua berkas", "2. Import every file"),
    "demo_impor": ("Impor", "Imports"),
    "demo_3": ("3. Ringkasan registri per kecamatan", "3. Registry per kecamatan"),
    "demo_4": ("4. Penilaian KRS, miskin ekstrem dan stunting",
               "4. KRS, extreme poverty and stunting"),
    "demo_5": ("5. Satu desa satu jaringan air bersih (PU)", "5. One village, one water network (PU)"),
    "demo_top10": ("10 desa teratas untuk air-bersih, anggaran Rp {budget}",
                   "Top 10 villages for air-bersih, budget Rp {budget}"),
    "demo_optimal_vs_greedy": (
        "Keluarga KRS tanpa air layak yang terjangkau: optimal (HiGHS) {best}, urut peringkat "
        "sampai dana habis {greedy} — selisih {gain} keluarga dengan dana yang sama.",
        "KRS families without safe water reached: optimal (HiGHS) {best}, ranking until the "
        "money runs out {greedy} — {gain} more families for the same money.",
    ),
    "demo_resmi": ("Dibandingkan angka resmi Kutai Timur", "Against published Kutai Timur figures"),
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
        "Jamban tercatat '{value}', tidak layak.", "Toilet recorded as '{value}', unsafe."),
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
        "Rumah tercatat tidak layak huni.", "The house is recorded as unliveable."),
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
    "kk_tidak_ada": ("No KK {no_kk} tidak ada di registri.", "No KK {no_kk} is not in the registry."),
    "anggota_keluarga": ("Anggota keluarga", "Family members"),
    "bukan_krs": ("Bukan KRS", "Not at risk"),
    "miskin_ekstrem": ("miskin ekstrem", "extreme poor"),
    "pertumbuhan_anak": ("Pertumbuhan anak (pengukuran terakhir)", "Children's growth (latest measurement)"),
    "riwayat_intervensi": ("Riwayat intervensi semua instansi", "Interventions by every agency"),
    "belum_ada_intervensi": ("Belum ada intervensi untuk keluarga ini.", "No intervention for this family yet."),
    "demo_6": (
        "6. Satu tahun penyaluran: usulan → musdes → persetujuan → penyaluran, jaringan air, data baru",
        "6. A year of delivery: proposals → village meeting → approval → delivery, water, new data",
    ),
    "pengguna_dibuat": ("Akun {username} ({role}) dibuat.", "Account {username} ({role}) created."),
    "demo_7": ("7. Aplikasi web: {url} (Ctrl+C untuk berhenti)", "7. Web app: {url} (Ctrl+C to stop)"),
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
        "Cakupan per {level} (penilaian #{run})", "Coverage by {level} (assessment #{run})"),
    "wf_berubah": (
        "{program} · {no_kk}: '{old}' → '{new}' (versi {version}).",
        "{program} · {no_kk}: '{old}' → '{new}' (version {version}).",
    ),
    "alasan_tolak_pindah": ("pindah domisili", "moved away"),
    "alasan_tolak_meninggal": ("meninggal", "died"),
    "alasan_tolak_tidak_layak": ("tidak lagi memenuhi syarat", "no longer eligible"),
    "alasan_tolak_ganda": ("data ganda", "duplicate"),
    "alasan_tolak_menolak": ("menolak bantuan", "refused"),
    "alasan_tolak_lainnya": ("lainnya", "other"),
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
    "severity_error": ("ditolak", "rejected"),
    "severity_warning": ("peringatan", "warning"),
}


def t(code: str, lang: Lang = "id", /, **kwargs: object) -> str:
    """Translate a message code; unknown codes come back as the code itself."""
    pair = CATALOGUE.get(code)
    if pair is None:
        return code
    text = pair[0] if lang == "id" else pair[1]
    return text.format(**kwargs) if kwargs else text
