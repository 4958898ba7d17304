"""The command line end to end on a small synthetic regency: synth → import → assess → export,
missed, anthro; and the demo itself."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from sinergi.cli import app
from sinergi.reports.tables import kamus_codes, read_table
from sinergi.synth import source_files

runner = CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data")
    res = runner.invoke(app, ["synth", "--out", str(out), "--scale", "0.01", "--seed", "3"])
    assert res.exit_code == 0, res.output
    return out


def _import_and_assess(data: Path, url: str) -> None:
    """Every synthetic source file through `sinergi import` (the reports in their own folder
    beside the database's), then `sinergi assess` at 31/08/2026."""
    reports = data.parent / f"{data.name}-laporan"
    for kind, f in source_files(data):
        res = runner.invoke(app, ["import", kind, str(f), "--db", url, "--laporan", str(reports)])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["assess", "--date", "2026-08-31", "--db", url])
    assert res.exit_code == 0, res.output


def test_synth_import_assess_export_missed(data: Path, db_url: str, tmp_path: Path) -> None:
    for kind in ("desa", "keluarga", "p3ke", "eppgbm"):
        for f in sorted((data / kind).iterdir()):
            res = runner.invoke(
                app,
                [
                    "import",
                    kind,
                    str(f),
                    "--db",
                    db_url,
                    "--report",
                    str(tmp_path / f"{f.stem}.xlsx"),
                ],
            )
            assert res.exit_code == 0, res.output
    res = runner.invoke(
        app, ["assess", "--ruleset", "krs-2024", "--date", "2026-08-31", "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    assert "krs-2024@2024.2" in res.output and "Jumlah" in res.output

    out = tmp_path / "penilaian.xlsx"
    res = runner.invoke(app, ["export", "assessment", "--out", str(out), "--db", db_url])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["Penilaian"][1]]
    # Headings for people; the 'Kamus' sheet gives each its machine code (the CSV's name).
    assert header[:4] == ["No KK", "Kode desa", "Sasaran", "KRS"]
    assert [kamus_codes(wb)[h] for h in header] == [
        "no_kk",
        "kode_desa",
        "sasaran",
        "krs",
        "faktor",
        "miskin_ekstrem",
        "jumlah_balita_stunting",
        "pasangan",
        "temuan",
    ]
    about = {r[0].value: r[1].value for r in wb["Keterangan"].iter_rows()}
    assert about["Aturan (rule set)"] == "krs-2024 versi 2024.2"
    assert about["Tanggal acuan"] == "31/08/2026"
    first = [c.value for c in wb["Penilaian"][2]]
    assert isinstance(first[0], str) and len(first[0]) == 16  # No. KK stays text

    from sinergi.assess.missed import SIGNALS

    csv = tmp_path / "terlewat.csv"
    res = runner.invoke(app, ["missed", "--out", str(csv), "--db", db_url, "--lang", "en"])
    assert res.exit_code == 0, res.output
    # A table of counts per reason, not a Python dict.
    assert "Missed, by reason" in res.output and "Total" in res.output
    assert "{" not in res.output and "kode_alasan" not in res.output
    listed = pd.read_csv(csv, dtype=str)
    assert len(listed) > 0
    assert set(listed["kode_alasan"]) <= {
        "anak_tidak_terdaftar",
        "anak_bukan_krs",
        "anak_tidak_terhubung",
        "belum_diukur",
        "krs_belum_terjangkau",
        *SIGNALS,
    }
    # Each reason in words (the child signals name what was found, the others the registry).
    status = listed[~listed["kode_alasan"].isin(SIGNALS)]
    assert status["alasan"].str.contains("KRS|registry|registered").all()
    assert listed["alasan"].str.len().min() > 10


def test_assess_before_any_data_and_bad_options(sqlite_url: str, tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["export", "assessment", "--out", str(tmp_path / "a.csv"), "--db", sqlite_url]
    )
    assert "sinergi assess" in str(res.exception)
    res = runner.invoke(app, ["assess", "--ruleset", "krs-1999", "--db", sqlite_url])
    assert "krs-2021" in str(res.exception)  # the error lists the rule sets that exist
    res = runner.invoke(app, ["assess", "--date", "31/02/2026", "--db", sqlite_url])
    assert "--date" in str(res.exception)


def test_anthro_scores_a_file(tmp_path: Path) -> None:
    src = tmp_path / "anak.csv"
    src.write_text(
        "jk,tgl_lahir,tgl_ukur,berat,tinggi,cara_ukur\n"
        "L,01/01/2024,01/07/2026,11.0,84.0,berdiri\n"
        "P,2025-01-01,2026-07-01,8.5,76.0,berbaring\n"
        "X,bukan tanggal,2026-07-01,8.5,76.0,berbaring\n"
    )
    out = tmp_path / "hasil.xlsx"
    res = runner.invoke(app, ["anthro", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    frame = pd.read_excel(out)
    assert {
        "umur_hari",
        "zs_tbu",
        "zs_bbu",
        "zs_bbtb",
        "zs_imtu",
        "status_tbu",
        "status_bbtb",
    } <= set(frame.columns)
    assert frame.loc[0, "status_tbu"] in ("pendek", "sangat_pendek")
    assert pd.isna(frame.loc[2, "zs_tbu"]) and isinstance(frame.loc[2, "alasan"], str)


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["demo", "--out", str(tmp_path / "demo"), "--scale", "0.01", "--no-serve"]
    )
    assert res.exit_code == 0, res.output
    for text in (
        "Impor",
        "Kabupaten Kutai Timur",
        "Penilaian #1",
        "11.973",
        "HiGHS",
        "Konvergensi (%)",
        "Data sintetis.",  # the comparison with published figures says so first
        "auditor",
        "Penautan orang (Splink)",
        "Presisi",
    ):
        assert text in res.output
    assert "kol_" not in res.output and "konvergensi_pct" not in res.output
    assert (tmp_path / "demo" / "sinergi.db").exists()
    assert any((tmp_path / "demo" / "laporan").iterdir())


def test_prioritize_and_scenario(data: Path, db_url: str, tmp_path: Path) -> None:
    _import_and_assess(data, db_url)
    outs = []
    for name in ("a.xlsx", "b.xlsx"):
        res = runner.invoke(
            app,
            [
                "prioritize",
                "air-bersih",
                "--budget",
                "5e9",
                "--out",
                str(tmp_path / name),
                "--db",
                db_url,
            ],
        )
        assert res.exit_code == 0, res.output
        outs.append(read_table(tmp_path / name, dtype={"kode_desa": str}))
    a, b = outs
    assert a.equals(b)  # the same data give the same plan
    assert len(a) == 141 and list(a["peringkat"]) == sorted(a["peringkat"])
    assert a["alasan"].str.len().min() > 5  # every village says why it is in or out
    chosen = a[a["terpilih"] == 1]
    assert chosen["biaya"].sum() <= 5e9
    assert chosen["krs_kebutuhan"].sum() >= a.loc[a["terpilih_greedy"] == 1, "krs_kebutuhan"].sum()
    assert (a.loc[a["status_jaringan"] == "beroperasi", "terpilih"] == 0).all()

    out = tmp_path / "s.xlsx"
    res = runner.invoke(
        app,
        ["scenario", "air-bersih", "--budgets", "2e9,5e9,10e9", "--out", str(out), "--db", db_url],
    )
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb["Grafik"]._charts  # the chart is in the workbook
    frame = pd.read_excel(out, sheet_name="Skenario")
    best = frame[frame["metode"] == "highs"].sort_values("anggaran")["keluarga_terjangkau"]
    assert best.is_monotonic_increasing


def test_unknown_programme_is_a_user_error(sqlite_url: str, tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["prioritize", "jalan-tol", "--out", str(tmp_path / "x.csv"), "--db", sqlite_url]
    )
    assert "air-bersih" in str(res.exception)  # the error lists the programmes that exist


def test_allocate_saves_proposals_and_respects_exclusions(
    data: Path, db_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine, select

    from sinergi.store.db import normalize_url
    from sinergi.store.tables import proposals

    _import_and_assess(data, db_url)
    res = runner.invoke(
        app, ["allocate", "pmt-baznas", "--out", str(tmp_path / "p.xlsx"), "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    chosen = read_table(tmp_path / "p.xlsx", dtype={"no_kk": str, "kode_desa": str})
    assert len(chosen) > 0
    assert chosen.groupby(chosen["kode_desa"].str[:8]).size().max() <= 10  # 10 per kecamatan
    assert chosen["alasan"].str.startswith("Terpilih").all()
    for prog in ("bantuan-tunai-baznas", "blt-dd"):
        res = runner.invoke(
            app, ["allocate", prog, "--out", str(tmp_path / f"{prog}.csv"), "--db", db_url]
        )
        assert res.exit_code == 0, res.output
    # Running an allocation again replaces its open proposals instead of adding more.
    assert (
        runner.invoke(
            app, ["allocate", "pmt-baznas", "--out", str(tmp_path / "q.csv"), "--db", db_url]
        ).exit_code
        == 0
    )
    engine = create_engine(normalize_url(db_url))
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                proposals.c.kode_program, proposals.c.no_kk, proposals.c.status, proposals.c.asal
            )
        ).all()
    engine.dispose()
    by_prog: dict[str, set[str]] = {}
    for prog, kk, status, asal in rows:
        # The synthetic agency lists (intervensi) put their own beneficiaries on the lists too.
        if asal == "impor" or status == "ditolak":
            continue
        assert status == "usulan"
        by_prog.setdefault(prog, set()).add(kk)
    assert len(by_prog["pmt-baznas"]) == len(chosen)
    assert not by_prog["bantuan-tunai-baznas"] & by_prog.get("blt-dd", set())


def test_village_plan_is_identical_on_sqlite_and_postgresql(
    data: Path, sqlite_url: str, pg_url: str, tmp_path: Path
) -> None:
    plans = []
    for url in (sqlite_url, pg_url):
        _import_and_assess(data, url)
        out = tmp_path / f"{len(plans)}.csv"
        res = runner.invoke(
            app, ["prioritize", "air-bersih", "--budget", "8e9", "--out", str(out), "--db", url]
        )
        assert res.exit_code == 0, res.output
        plans.append(pd.read_csv(out, dtype=str))
    assert plans[0].equals(plans[1])


def test_delivery_and_monitoring_commands(data: Path, db_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, func, select

    from sinergi.store.db import normalize_url
    from sinergi.store.tables import programmes, proposals

    _import_and_assess(data, db_url)
    res = runner.invoke(
        app, ["allocate", "kb-tpk", "--out", str(tmp_path / "kb.csv"), "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    kk = pd.read_csv(tmp_path / "kb.csv", dtype=str)["no_kk"].iloc[0]

    def run(*args: str) -> str:
        out = runner.invoke(app, [*args, "--db", db_url, "--oleh", "tester"])
        assert out.exit_code == 0, out.output
        return out.output

    assert "'usulan' → 'terverifikasi'" in run("status", "kb-tpk", kk, "terverifikasi")
    assert "sudah berstatus" in run("status", "kb-tpk", kk, "terverifikasi")
    bad = runner.invoke(app, ["status", "kb-tpk", kk, "tersalurkan", "--db", db_url])
    assert bad.exit_code != 0 and "disetujui, ditolak" in str(bad.exception)
    stale = runner.invoke(
        app, ["status", "kb-tpk", kk, "disetujui", "--version", "1", "--db", db_url]
    )
    assert "tester" in str(stale.exception)  # who changed it since
    evidence = tmp_path / "notulen-musdes.pdf"
    evidence.write_bytes(b"%PDF musdes")
    assert "'terverifikasi' → 'disetujui'" in run(
        "status", "kb-tpk", kk, "disetujui", "--evidence", str(evidence), "--version", "2"
    )

    story = run("family", kk)
    assert "kb-tpk" in story and "terverifikasi → disetujui" in story and "KRS" in story

    village = pd.read_csv(tmp_path / "kb.csv", dtype=str)["kode_desa"].iloc[0]
    assert "perencanaan" in run("project", "air-bersih", village, "perencanaan")
    no = runner.invoke(app, ["project", "air-bersih", village, "--connect-needing", "--db", db_url])
    assert no.exit_code != 0 and "perencanaan" in str(no.exception)
    assert "tersambung" in run("project", "air-bersih", village, "beroperasi", "--connect-needing")

    cov = tmp_path / "cakupan.xlsx"
    res = runner.invoke(
        app, ["coverage", "--level", "kecamatan", "--out", str(cov), "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    frame = read_table(cov, "Cakupan", dtype={"kode_wilayah": str})
    assert len(frame) == 18 and {
        "konvergensi_pct",
        "krs_tanpa_intervensi",
        "ci95_bawah_pct",
    } <= set(frame.columns)
    res = runner.invoke(app, ["conflicts", "--out", str(tmp_path / "k.csv"), "--db", db_url])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        app,
        [
            "scenario",
            "pmt-dinkes",
            "--budgets",
            "1e8,5e8,9e8",
            "--out",
            str(tmp_path / "sc.csv"),
            "--db",
            db_url,
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "sc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert runner.invoke(app, ["programmes", "--db", db_url]).exit_code == 0
    engine = create_engine(normalize_url(db_url))
    with engine.connect() as conn:
        catalogue = dict(conn.execute(select(programmes.c.kode, programmes.c.versi)).all())
        moved = conn.execute(
            select(func.count())
            .select_from(proposals)
            .where(proposals.c.status == "disetujui", proposals.c.kode_program == "kb-tpk")
        ).scalar_one()
    engine.dispose()
    assert {"air-bersih", "pmt-baznas", "kb-tpk", "jamban-sehat"} <= set(catalogue)
    assert all(len(v) == 64 for v in catalogue.values())
    assert moved >= 1


def test_numbers_dates_and_about_sheets_follow_the_language(
    data: Path, sqlite_url: str, tmp_path: Path
) -> None:
    """Indonesian writes 1.234, 20,6 % and 31/08/2026; English 1,234, 20.6 % and 2026-08-31: in
    the sentences, in the tables and in the 'about' sheet of an export, whose keys are in the
    chosen language too."""
    said = []
    for kind, f in source_files(data):
        res = runner.invoke(
            app, ["import", kind, str(f), "--db", sqlite_url, "--laporan", str(tmp_path)]
        )
        assert res.exit_code == 0, res.output
        said.append(res.output)
    assert any(re.search(r"\b\d\.\d{3} baris dibaca", out) for out in said)  # p3ke, > 1.000 rows
    res = runner.invoke(app, ["assess", "--date", "2026-08-31", "--db", sqlite_url, "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "reference date 2026-08-31" in res.output and "Total" in res.output
    assert re.search(r"\b\d,\d{3}\b", res.output)  # the regency's families
    assert re.search(r"\b\d+\.\d %", res.output) and not re.search(r"\b\d+,\d %", res.output)

    shown, about = {}, {}
    for lang, sheet in (("id", "Keterangan"), ("en", "About")):
        out = tmp_path / f"prioritas-{lang}.xlsx"
        res = runner.invoke(
            app,
            ["prioritize", "air-bersih", "--budget", "5e9", "--out", str(out)]
            + ["--db", sqlite_url, "--lang", lang],
        )
        assert res.exit_code == 0, res.output
        shown[lang] = res.output
        about[lang] = {
            r[0].value: r[1].value for r in openpyxl.load_workbook(out)[sheet].iter_rows()
        }
    assert re.search(r"Rp \d{1,3}(\.\d{3}){2,}", shown["id"])
    assert re.search(r"Rp \d{1,3}(,\d{3}){2,}", shown["en"])
    assert not re.search(r"Rp \d{1,3},\d{3}", shown["id"])
    assert about["id"]["Anggaran"] == "Rp 5.000.000.000"
    assert about["id"]["Tanggal acuan"] == "31/08/2026"
    assert about["id"]["Aturan (rule set)"] == "krs-2024 versi 2024.2"
    assert about["en"]["Budget"] == "Rp 5,000,000,000"
    assert about["en"]["Reference date"] == "2026-08-31"
    assert about["en"]["Rule set"] == "krs-2024 version 2024.2"
    assert about["en"]["Cost"] == "example cost"
    assert not set(about["en"]) & {"Anggaran", "Tanggal acuan", "Program", "Keluarga", "Biaya"}

    for lang, percent in (("id", r"\b\d+,\d %"), ("en", r"\b\d+\.\d %")):
        res = runner.invoke(
            app,
            ["coverage", "--level", "kecamatan", "--out", str(tmp_path / f"c-{lang}.csv")]
            + ["--db", sqlite_url, "--lang", lang],
        )
        assert res.exit_code == 0, res.output
        assert re.search(percent, res.output), res.output
        shown[f"coverage-{lang}"] = res.output
    assert "Convergence (%)" in shown["coverage-en"] and "Konvergensi (%)" in shown["coverage-id"]
    assert not any("kol_" in out for out in shown.values())
