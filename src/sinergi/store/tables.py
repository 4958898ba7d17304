"""The application database: SQLAlchemy 2 table definitions.

Data columns carry the field names of the source files (``no_kk``, ``nik``, ``kode_desa``,
``tanggal_lahir`` …) end to end, so an officer sees the same word in the spreadsheet, the database
and every export. Every stored row knows the import batch and spreadsheet row it came from
(``batch_id``, ``baris``); the batch knows the file and sheet. Family welfare fields come from a
different source (P3KE) than the roster and so carry their own provenance (``desil_batch_id``,
``desil_baris``) and their own data date. Every change of a stored value is kept in
``value_history``. The data date (``tanggal_data``, ``desil_tanggal_data``) is the date the stored
values describe: a row from an older file never overwrites them, its values go to
``value_history`` with ``applied`` false.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

regions = Table(
    "regions",
    metadata,
    Column("kode", String(13), primary_key=True, comment="Kemendagri code, dotted"),
    Column("nama", String(120), nullable=False),
    Column("tingkat", String(20), nullable=False),
    Column("induk", String(13), nullable=True, index=True),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sheet", String(200), nullable=True),
    Column("sha256", String(64), nullable=False, index=True),
    Column("status", String(20), nullable=False, comment="dimuat | ditolak"),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_loaded", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("rows_warned", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("refusal", Text, nullable=True),
    Column("extra_columns", JSON, nullable=True, comment="unknown columns kept as provenance"),
    Column("imported_by", String(100), nullable=True),
    Column("as_of", Date, nullable=True, comment="the date the file's data describe"),
    Column("via", String(10), nullable=True, comment="cli | web | api"),
    Column(
        "older",
        Integer,
        nullable=False,
        default=0,
        comment="rows whose data date was older than the stored one (stored values kept)",
    ),
)

import_issues = Table(
    "import_issues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("baris", Integer, nullable=True),
    Column("kolom", String(200), nullable=True),
    Column("nilai", Text, nullable=True),
    Column("kode", String(60), nullable=False),
    Column("tingkat", String(10), nullable=False, comment="error | warning"),
    Column("alasan", Text, nullable=False),
)


def _provenance(prefix: str = "") -> list[Column]:
    return [
        Column(f"{prefix}batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
        Column(f"{prefix}baris", Integer, nullable=True),
    ]


def _data_date(prefix: str = "") -> Column:
    # NULL for rows stored before data dates were kept: any dated row may update them.
    return Column(
        f"{prefix}tanggal_data", Date, nullable=True, comment="the date the stored values describe"
    )


families = Table(
    "families",
    metadata,
    Column("no_kk", String(16), primary_key=True),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=False, index=True),
    Column("dusun", String(120)),
    Column("rt", String(10)),
    Column("rw", String(10)),
    Column("alamat", String(500)),
    Column("lintang", Float),
    Column("bujur", Float),
    Column("sumber_air", String(40)),
    Column("jamban", String(40)),
    Column("rumah_layak", Boolean),
    Column("desil", SmallInteger),
    Column("penerima_pkh", Boolean),
    Column("penerima_bpnt", Boolean),
    Column("pengeluaran_per_kapita", BigInteger),
    Column("nik_kepala", String(16)),
    Column("nama_kepala", String(200)),
    *_provenance(),
    *_provenance("desil_"),
    _data_date(),
    _data_date("desil_"),
    Column(
        "digabung_ke",
        String(16),
        nullable=True,
        index=True,
        comment="a P3KE family the linkage found to be this roster KK (its welfare went there)",
    ),
    Column(
        "keluar",
        Date,
        nullable=True,
        comment="date a village verification found the family moved away to no village of this "
        "registry: it leaves every list and count from the next assessment",
    ),
)

persons = Table(
    "persons",
    metadata,
    Column("nik", String(16), primary_key=True),
    Column("no_kk", String(16), ForeignKey("families.no_kk"), nullable=False, index=True),
    Column("nama", String(200), nullable=False),
    Column("jenis_kelamin", String(1), nullable=False),
    Column("tanggal_lahir", Date, nullable=False),
    Column("hubungan", String(30), nullable=False),
    Column("status_kawin", String(20)),
    Column("hamil", Boolean),
    Column("kontrasepsi", String(20)),
    Column(
        "ingin_anak",
        String(10),
        comment="wish for a child: ya_segera (within 2 years) | ya_nanti | tidak; NULL unknown",
    ),
    Column(
        "meninggal",
        Date,
        nullable=True,
        comment="date of death a village verification recorded: the person leaves the roster "
        "(kept for its history)",
    ),
    *_provenance(),
    _data_date(),
)

measurements = Table(
    "measurements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "record_key",
        String(64),
        nullable=False,
        unique=True,
        comment="child identity + measurement date; a re-import of the row updates it",
    ),
    Column("nik_anak", String(16), index=True),
    Column("nama_anak", String(200), nullable=False),
    Column("jenis_kelamin", String(1), nullable=False),
    Column("tanggal_lahir", Date, nullable=False),
    Column("nama_ortu", String(200)),
    Column("nik_ortu", String(16), index=True),
    Column("no_kk", String(16), index=True),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=False, index=True),
    Column("posyandu", String(200)),
    Column("rt", String(10)),
    Column("rw", String(10)),
    Column("tanggal_ukur", Date, nullable=False),
    Column("berat", Float),
    Column("tinggi", Float),
    Column("cara_ukur", String(10)),
    Column("lila", Float),
    Column("edema", Boolean, comment="bilateral pitting oedema (e-PPGBM Edema); NULL: unrecorded"),
    Column("berat_lahir", Integer, comment="birth weight in grams (e-PPGBM BB Lahir)"),
    *_provenance(),
    _data_date(),
)

interventions = Table(
    "interventions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_key", String(64), nullable=False, unique=True),
    Column("kode_program", String(60), nullable=False, index=True),
    Column("no_kk", String(16), index=True),
    Column("nik", String(16), index=True),
    Column("nama", String(200)),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=True),
    Column("tanggal", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("nilai", BigInteger),
    Column("keterangan", Text),
    *_provenance(),
    _data_date(),
)

pregnancies = Table(
    "pregnancies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "record_key",
        String(64),
        nullable=False,
        unique=True,
        comment="NIK + HPHT: one pregnancy; each check-up row of it updates the same record",
    ),
    Column("nik", String(16), nullable=False, index=True),
    Column("no_kk", String(16), index=True),
    Column("nama", String(200), nullable=False),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=False, index=True),
    Column("tanggal_periksa", Date, nullable=False, comment="the latest check-up"),
    Column("hpht", Date, nullable=False, comment="first day of the last period (given or derived)"),
    Column("usia_kehamilan", SmallInteger, comment="weeks at the check-up, as written"),
    Column("taksiran_persalinan", Date, nullable=False, comment="HPHT + 280 days"),
    Column("lila", Float, comment="mid-upper arm circumference, cm"),
    Column("hb", Float, comment="haemoglobin, g/dL"),
    Column("tinggi", Float),
    Column("berat", Float),
    *_provenance(),
    _data_date(),
)

catin = Table(
    "catin",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_key", String(64), nullable=False, unique=True, comment="NIK + screening date"),
    Column("nik", String(16), nullable=False, index=True),
    Column("nama", String(200), nullable=False),
    Column("jenis_kelamin", String(1)),
    Column("tanggal_lahir", Date),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=False, index=True),
    Column("tanggal_periksa", Date, nullable=False),
    Column("rencana_menikah", Date, comment="planned wedding date, when given"),
    Column("lila", Float),
    Column("hb", Float),
    Column("tinggi", Float),
    Column("berat", Float),
    Column("imt", Float, comment="body-mass index, as written or computed"),
    *_provenance(),
    _data_date(),
)

verifications = Table(
    "verifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "record_key",
        String(64),
        nullable=False,
        unique=True,
        comment="KK + NIK + result + column + new value + date: a re-import is the same record",
    ),
    Column("no_kk", String(16), nullable=False, index=True),
    Column("nik", String(16), comment="the member the result is about; NULL: the whole family"),
    Column(
        "kode_desa",
        String(13),
        ForeignKey("regions.kode"),
        nullable=False,
        index=True,
        comment="the family's village when verified (the scope of the record)",
    ),
    Column(
        "hasil",
        String(20),
        nullable=False,
        comment="ada | pindah | meninggal | tidak_ditemukan | koreksi",
    ),
    Column("kolom", String(60), comment="koreksi: the roster column, by its formats.md name"),
    Column("nilai_lama", Text, comment="koreksi: the value it replaced"),
    Column("nilai_baru", Text, comment="koreksi: the new value; pindah: the new village, if any"),
    Column("tanggal", Date, nullable=False, comment="the day the village checked"),
    Column("petugas", String(200)),
    Column("catatan", Text),
    Column(
        "status",
        String(20),
        nullable=False,
        comment="diterapkan | menunggu (awaiting DPPKB approval) | ditolak",
    ),
    Column("diputuskan_oleh", String(100), comment="who approved or rejected a waiting record"),
    Column("diputuskan", DateTime(timezone=True)),
    Column("sumber", String(20), nullable=False, comment="impor | web | odk"),
    Column("dicatat_oleh", String(100), nullable=False),
    Column("dicatat", DateTime(timezone=True), nullable=False),
    *_provenance(),
)

village_facts = Table(
    "village_facts",
    metadata,
    Column("kode_desa", String(13), ForeignKey("regions.kode"), primary_key=True),
    Column("jaringan_air", String(20), nullable=False),
    Column("tahun", SmallInteger),
    Column("sambungan_rumah", Integer),
    Column("biaya_jaringan", BigInteger),
    Column("indikator_lain", JSON),
    *_provenance(),
    _data_date(),
)

value_history = Table(
    "value_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("table_name", String(40), nullable=False),
    Column("record_key", String(64), nullable=False),
    Column("field", String(60), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("old_batch_id", Integer, ForeignKey("import_batches.id")),
    Column("old_baris", Integer),
    Column("new_batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
    Column("new_baris", Integer),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column(
        "applied",
        Boolean,
        nullable=True,
        comment="false: an older file's value, kept but not applied (NULL: applied, before 0008)",
    ),
    Index("ix_value_history_record", "table_name", "record_key"),
)

# --- person linkage (link stage) -------------------------------------------------------------------

link_runs = Table(
    "link_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("full", Boolean, nullable=False, comment="all records re-linked (else only new ones)"),
    Column("trained", Boolean, nullable=False, comment="parameters estimated by EM in this run"),
    Column("model", Text, nullable=False, comment="the Splink model (JSON) the run scored with"),
    Column("threshold", Float, nullable=False),
    Column("review_threshold", Float, nullable=False),
    Column("records", Integer, nullable=False),
    Column("new_records", Integer, nullable=False),
    Column("pairs", Integer, nullable=False, comment="pairs scored above the review threshold"),
    Column("linked", Integer, nullable=False, comment="records linked to a roster person"),
    Column("review", Integer, nullable=False, comment="pairs waiting for an officer"),
    Column("seconds", Float),
    Column("oleh", String(100)),
)

person_links = Table(
    "person_links",
    metadata,
    Column("record", String(90), primary_key=True, comment="sumber:kunci of one source record"),
    Column(
        "sumber",
        String(20),
        nullable=False,
        comment="keluarga | eppgbm | ibu_hamil | intervensi | p3ke",
    ),
    Column(
        "kunci",
        String(70),
        nullable=False,
        comment="NIK (roster), child identity (e-PPGBM), row key (intervensi, ibu_hamil), No KK (P3KE)",
    ),
    Column("cluster_id", String(90), nullable=False, index=True),
    Column("nik", String(16), comment="the cluster's roster NIK, if it has one"),
    Column("no_kk", String(16), index=True, comment="the family the cluster belongs to"),
    Column("probability", Float, comment="the match probability that attached it (model links)"),
    Column("decided_by", String(20), nullable=False, comment="nik | model | petugas | sendiri"),
    Column(
        "digest", String(32), nullable=False, comment="of the compared values: changed → re-linked"
    ),
    Column("run_id", Integer, ForeignKey("link_runs.id"), nullable=False),
)

link_pairs = Table(
    "link_pairs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_l", String(90), nullable=False),
    Column("record_r", String(90), nullable=False),
    Column("probability", Float, nullable=False),
    Column("match_weight", Float, nullable=False),
    Column(
        "fields", JSON, nullable=False, comment="per field: both values and the agreement level"
    ),
    Column("kode_desa", String(13), index=True, comment="the e-PPGBM record's village (scope)"),
    Column(
        "status",
        String(12),
        nullable=False,
        index=True,
        comment="otomatis | menunggu | diterima | ditolak",
    ),
    Column("alasan", String(40), comment="why it waits: konflik | nik_berbeda | di_antara_ambang"),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime(timezone=True)),
    Column("run_id", Integer, ForeignKey("link_runs.id"), nullable=False),
    UniqueConstraint("record_l", "record_r", name="uq_link_pairs_pair"),
)

golden_persons = Table(
    "golden_persons",
    metadata,
    Column("cluster_id", String(90), primary_key=True),
    Column("nik", String(16), index=True),
    Column("no_kk", String(16), index=True, comment="the family: the roster's membership first"),
    Column("nama", String(200)),
    Column("tanggal_lahir", Date),
    Column("jenis_kelamin", String(1)),
    Column("kode_desa", String(13), index=True),
    Column("tanggal_data", Date, comment="the newest data date of the cluster's records"),
    Column("sumber", String(60), nullable=False, comment="';'-joined sources of its records"),
    Column("rekaman", Integer, nullable=False, comment="how many source records it joins"),
    Column("asal", JSON, nullable=False, comment="per field: the record whose value survived"),
    Column("run_id", Integer, ForeignKey("link_runs.id"), nullable=False),
)

# --- assessment runs (assess stage) -------------------------------------------------------------

assessment_runs = Table(
    "assessment_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ruleset_id", String(40), nullable=False),
    Column("ruleset_version", String(40), nullable=False),
    Column("ruleset_digest", String(64), nullable=False),
    Column("reference_date", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("engine", String(20), nullable=False),
    Column("seconds", Float),
    Column("families", Integer, nullable=False),
    Column("target", Integer, nullable=False),
    Column("krs", Integer, nullable=False),
    Column("miskin_ekstrem", Integer, nullable=False),
    Column("children_measured", Integer, nullable=False),
    Column("children_stunted", Integer, nullable=False),
    Column("children_unattached", Integer, nullable=False),
    Column("counts", JSON, comment="per factor and per sasaran code"),
)

assessment_families = Table(
    "assessment_families",
    metadata,
    Column(
        "run_id", Integer, ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("no_kk", String(16), primary_key=True),
    Column("kode_desa", String(13), nullable=False, index=True),
    Column("sasaran", String(60), nullable=False, comment="';'-joined sasaran codes"),
    Column("faktor", String(250), nullable=False, comment="';'-joined fired factor codes"),
    Column(
        "pasangan",
        Text,
        comment="per PUS couple 'wife NIK:factor,factor' (codes it fired), ';'-joined by NIK",
    ),
    Column("krs", Boolean, nullable=False),
    Column("miskin_ekstrem", Boolean, nullable=False),
    Column("jumlah_balita", Integer, nullable=False),
    Column("jumlah_balita_stunting", Integer, nullable=False),
    Column(
        "temuan",
        String(250),
        comment="';'-joined case-finding codes of the members at the reference date "
        "(sinergi.assess.findings); NULL in runs made before they were recorded",
    ),
)

assessment_children = Table(
    "assessment_children",
    metadata,
    Column(
        "run_id", Integer, ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "child_key",
        String(64),
        primary_key=True,
        comment="child NIK, or ~hash of name, birth date and parent when the NIK is missing",
    ),
    Column("measurement_id", Integer, ForeignKey("measurements.id"), nullable=False),
    Column("nik_anak", String(16)),
    Column("nama_anak", String(200), nullable=False),
    Column("jenis_kelamin", String(1), nullable=False),
    Column("tanggal_lahir", Date, nullable=False),
    Column("kode_desa", String(13), nullable=False, index=True),
    Column("no_kk", String(16), index=True, comment="attached family, NULL when none was found"),
    Column("attached_by", String(10), comment="kk | nik_ortu | nik_anak"),
    Column("tanggal_ukur", Date, nullable=False),
    Column("umur_hari", Integer),
    Column("zs_tbu", Float),
    Column("zs_bbu", Float),
    Column("zs_bbtb", Float),
    Column("zs_imtu", Float),
    Column("status_tbu", String(20)),
    Column("status_bbu", String(20)),
    Column("status_bbtb", String(25)),
    Column("flags", String(60)),
    Column("alasan", String(60)),
    # Child case finding (assess.missed) reads these with the z-scores.
    Column("edema", Boolean, comment="oedema at the latest measurement"),
    Column("lila", Float, comment="arm circumference (cm) at the latest measurement"),
    Column("berat_lahir", Integer, comment="birth weight (g), the latest recorded for the child"),
    Column(
        "bb_2t",
        Boolean,
        comment="2T: weight gain below the KBM at the last two consecutive monthly weighings",
    ),
)

# --- targeting (target stage) -------------------------------------------------------------------

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kode_program", String(60), nullable=False, index=True),
    Column("periode", String(20), nullable=False),
    Column("no_kk", String(16), ForeignKey("families.no_kk"), nullable=False, index=True),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=False),
    Column("run_id", Integer, ForeignKey("assessment_runs.id"), nullable=False),
    Column(
        "status",
        String(20),
        nullable=False,
        comment="usulan | terverifikasi | disetujui | tersalurkan | ditolak",
    ),
    Column("biaya", BigInteger, nullable=False),
    Column("faktor", String(250), nullable=False),
    Column("alasan", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Delivery workflow (deliver stage). `versi` grows by one on every change: a writer states the
    # version it saw, so of two officers changing the same beneficiary at once one wins and the
    # other is told, instead of silently overwriting.
    Column("versi", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True)),
    Column("updated_by", String(100)),
    Column(
        "alasan_tolak",
        String(30),
        comment="pindah | meninggal | tidak_layak | ganda | menolak | lainnya",
    ),
    Column("alasan_tolak_teks", Text),
    Column(
        "asal",
        String(20),
        nullable=False,
        server_default="alokasi",
        comment="alokasi | impor | manual",
    ),
    UniqueConstraint("kode_program", "periode", "no_kk"),
)

# --- programme catalogue, delivery, village projects (deliver stage) ---------------------------

programmes = Table(
    "programmes",
    metadata,
    Column("kode", String(60), primary_key=True),
    Column("versi", String(64), nullable=False, comment="sha256 of the programme file"),
    Column("instansi", String(40), nullable=False),
    Column("nama", String(200), nullable=False),
    Column("jenis_intervensi", String(60), nullable=False),
    Column("satuan", String(20), nullable=False, comment="keluarga | desa"),
    Column("kebutuhan", String(60), nullable=False),
    Column("biaya_satuan", BigInteger, comment="NULL when the cost is per village"),
    Column("anggaran", BigInteger, nullable=False),
    Column("periode", String(20), nullable=False),
    Column("definisi", JSON, nullable=False, comment="the whole programme file, parsed"),
    Column("sumber", String(500), nullable=False, comment="file the definition was read from"),
    Column("diperbarui", DateTime(timezone=True), nullable=False),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("nama_berkas", String(300), nullable=False),
    Column("ukuran", Integer, nullable=False),
    Column("isi", LargeBinary, nullable=False),
    Column("diunggah_oleh", String(100), nullable=False),
    Column("diunggah", DateTime(timezone=True), nullable=False),
)

proposal_events = Table(
    "proposal_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False, index=True),
    Column("dari", String(20), comment="NULL when the proposal was created"),
    Column("ke", String(20), nullable=False),
    Column("alasan_tolak", String(30)),
    Column("catatan", Text),
    Column("oleh", String(100), nullable=False),
    Column("waktu", DateTime(timezone=True), nullable=False),
    Column("evidence_id", Integer, ForeignKey("evidence.id")),
    Column("sumber", String(20), nullable=False, comment="alokasi | cli | impor | web | api"),
    Column("batch_id", Integer, ForeignKey("import_batches.id")),
    Column("baris", Integer),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kode_program", String(60), nullable=False, index=True),
    Column("kode_desa", String(13), ForeignKey("regions.kode"), nullable=False),
    Column("periode", String(20), nullable=False),
    Column("status", String(20), nullable=False, comment="perencanaan | konstruksi | beroperasi"),
    Column("biaya", BigInteger),
    Column("sambungan_rumah", Integer, nullable=False, server_default="0"),
    Column("versi", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(100), nullable=False),
    UniqueConstraint("kode_program", "kode_desa"),
)

project_events = Table(
    "project_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False, index=True),
    Column("dari", String(20)),
    Column("ke", String(20), nullable=False),
    Column("sambungan_rumah", Integer),
    Column("catatan", Text),
    Column("oleh", String(100), nullable=False),
    Column("waktu", DateTime(timezone=True), nullable=False),
)

project_households = Table(
    "project_households",
    metadata,
    Column("project_id", Integer, ForeignKey("projects.id"), primary_key=True),
    Column("no_kk", String(16), ForeignKey("families.no_kk"), primary_key=True, index=True),
    Column("tersambung", Date, nullable=False),
    Column("oleh", String(100), nullable=False),
)

# --- web application: accounts, sessions, audit (serve stage) -----------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False, comment="argon2id"),
    Column(
        "role",
        String(20),
        nullable=False,
        comment="admin | dppkb | instansi | desa | analis | auditor",
    ),
    Column("wilayah", JSON, nullable=False, comment="region codes the user may see; [] = all"),
    Column("program", JSON, nullable=False, comment="programme codes of an agency officer"),
    Column("aktif", Boolean, nullable=False, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login", DateTime(timezone=True)),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True, comment="sha256 of the cookie/bearer token"),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("kind", String(10), nullable=False, comment="cookie | bearer"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, server_default=false()),
    Column(
        "last_used_at",
        DateTime(timezone=True),
        comment="when the session was last used, to the nearest few minutes",
    ),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, index=True),
    Column("ip", String(45), nullable=False),
    Column("waktu", DateTime(timezone=True), nullable=False),
    Column("berhasil", Boolean, nullable=False),
)

# One row per throttled key ("akun:<name>", "ip:<address>"), updated by a single atomic upsert
# per attempt (sinergi.security.throttle); login_attempts stays the log of what happened.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(160), primary_key=True),
    Column("failures", Integer, nullable=False, comment="attempts not (yet) successful"),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
)

# Append-only: migration 0005 adds triggers refusing UPDATE and DELETE on both databases.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("waktu", DateTime(timezone=True), nullable=False, index=True),
    Column("username", String(100), comment="NULL for anonymous (e.g. a failed login)"),
    Column("aksi", String(40), nullable=False, comment="login | lihat | ekspor | ubah | ..."),
    Column("objek", String(40)),
    Column("kunci", String(64)),
    Column("rincian", JSON, comment="old and new values of a change, filters of an export"),
    Column("ip", String(45)),
)
