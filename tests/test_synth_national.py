"""`sinergi synth --format parquet`: a region's synthetic registry in the national Parquet layout,
checked as a batch engineer would: the partitions and columns the jobs read, real villages,
families in proportion to the published population, keys unique across the nation, the same
files from the same arguments, and rules that find a plausible share of families at risk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sinergi.cli import UserError, app
from sinergi.ingest.parsers import nik_parts
from sinergi.rules import load_ruleset
from sinergi.rules.compile import compile_assessment
from sinergi.store.parquet_layout import TABLE_SCHEMAS, TABLES, check_version, table_glob
from sinergi.synth.national import PERSONS_PER_FAMILY, regencies_of, write_national
from sinergi.wilayah import get_wilayah

REF = date(2026, 8, 31)
# Gorontalo (75): a small province of six regencies/cities, ≈ 1.2 M people.
PROVINCE, PROVINCE_SCALE = "75", 0.01
NATION_SCALE = 0.0005


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gorontalo")
    write_national(out, region=PROVINCE, scale=PROVINCE_SCALE, seed=7, ref_date=REF)
    return out


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nation")
    write_national(out, region="ALL", scale=NATION_SCALE, seed=1, ref_date=REF, workers=2)
    return out


def sql(folder: Path, query: str) -> list[tuple]:
    """``query`` over the extract's tables (views named as the tables, with the partitions)."""
    con = duckdb.connect()
    for name in TABLES:
        if any((folder / name).rglob("*.parquet")):
            con.execute(
                f"create view {name} as select * from read_parquet('{table_glob(folder, name)}',"
                " hive_partitioning = true, hive_types_autocast = false)"
            )
    return con.sql(query).fetchall()


def expected_families(code: str, scale: float) -> int:
    population = get_wilayah().population(code)
    assert population
    return max(1, round(population * scale / PERSONS_PER_FAMILY))


def test_every_table_has_a_file_per_regency_with_the_contract_columns(province: Path) -> None:
    manifest = check_version(province)
    assert (manifest["sumber"], manifest["wilayah"], manifest["seed"]) == ("synth", "75", 7)
    assert manifest["tanggal_acuan"] == "2026-08-31"
    for name in TABLES:
        files = sorted((province / name).rglob("*.parquet"))
        folders = {f.parent.relative_to(province / name).as_posix() for f in files}
        assert folders == {f"provinsi=75/kabupaten={c}" for c in regencies_of(PROVINCE)}, name
        for f in files:
            assert pq.read_schema(f).equals(TABLE_SCHEMAS[name], check_metadata=False), f
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        assert rows == manifest["jumlah"][name] > 0, name


def test_families_follow_the_population_and_live_in_real_villages(province: Path) -> None:
    w = get_wilayah()
    per_regency = dict(sql(province, "select kabupaten, count(*) from families group by kabupaten"))
    assert per_regency == {c: expected_families(c, PROVINCE_SCALE) for c in regencies_of("75")}
    for table in ("families", "measurements", "pregnancies", "interventions", "village_facts"):
        rows = sql(province, f"select distinct kode_desa, provinsi, kabupaten from {table}")
        for kode, prov, kab in rows:
            village = w.get(kode)
            assert village is not None and village.is_village, (table, kode)
            assert kode.startswith(f"{kab}.") and kab.startswith(f"{prov}."), (table, kode)
    # every village of the province has its water-network facts
    facts = sql(province, "select count(*) from village_facts")[0][0]
    assert facts == sum(len(w.villages(c)) for c in regencies_of("75"))


def test_keys_are_valid_niks_of_the_regency_and_link_up(province: Path) -> None:
    persons = sql(
        province,
        "select nik, p.no_kk, jenis_kelamin, tanggal_lahir, p.kabupaten, f.no_kk is not null "
        "from persons p left join families f using (no_kk)",
    )
    assert len({row[0] for row in persons}) == len(persons)
    for nik, kk, sex, born, kab, has_family in persons:
        digits = kab.replace(".", "")
        assert len(nik) == 16 and nik.isdigit() and nik.startswith(digits)
        assert len(kk) == 16 and kk.startswith(digits) and has_family
        parts = nik_parts(nik)
        assert parts.sex == sex and parts.birth_date == born, nik
    heads = sql(
        province,
        "select count(*), count(p.nik) from families f left join persons p "
        "on p.nik = f.nik_kepala and p.no_kk = f.no_kk and p.hubungan = 'kepala_keluarga'",
    )
    assert heads[0][0] == heads[0][1]
    # children weighed are persons of the roster, under five at the weighing; pregnancies are
    # married women's, due 280 days after the HPHT
    assert sql(
        province,
        "select count(*) from measurements m left join persons p on p.nik = m.nik_anak "
        "and p.tanggal_lahir = m.tanggal_lahir and p.no_kk = m.no_kk "
        "where p.nik is null or m.tanggal_ukur < m.tanggal_lahir "
        "or date_diff('month', m.tanggal_lahir, m.tanggal_ukur) > 60",
    ) == [(0,)]
    assert sql(
        province,
        "select count(*) from pregnancies g left join persons p on p.nik = g.nik "
        "where p.jenis_kelamin is distinct from 'P' or p.status_kawin is distinct from 'kawin' "
        "or g.taksiran_persalinan - g.hpht <> 280",
    ) == [(0,)]


def test_the_rules_find_a_plausible_share_of_families_at_risk(province: Path) -> None:
    con = ibis.duckdb.connect()
    t = {
        name: con.read_parquet(table_glob(province, name), table_name=name)
        for name in ("families", "persons", "pregnancies")
    }
    expr = compile_assessment(
        t["families"],
        t["persons"],
        load_ruleset("krs-2024"),
        REF,
        pregnancies=t["pregnancies"],
    )
    counts = expr.aggregate(
        families=expr.count(), target=expr.sasaran_any.sum(), krs=expr.krs.sum()
    ).execute()
    families, target, krs = (int(counts[c].iloc[0]) for c in ("families", "target", "krs"))
    assert families == sum(expected_families(c, PROVINCE_SCALE) for c in regencies_of("75"))
    # The regency generator these families come from is calibrated to Kutai Timur's ≈ 15,500
    # (one couple per KK) to 20,815 (every couple) KRS of 125,000 families, 12-17 %, and to
    # ≈ 36 % target families (docs/domain.md, README); a province must land near that.
    assert 0.10 <= krs / families <= 0.25, krs / families
    assert 0.30 <= target / families <= 0.50, target / families


def test_same_arguments_same_rows_and_a_regency_alone_equals_it_within_its_province(
    province: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "alone"
    write_national(alone, region="75.01", scale=PROVINCE_SCALE, seed=7, ref_date=REF)
    again = tmp_path / "again"
    write_national(again, region="75.01", scale=PROVINCE_SCALE, seed=7, ref_date=REF)
    other_seed = tmp_path / "seed8"
    write_national(other_seed, region="75.01", scale=PROVINCE_SCALE, seed=8, ref_date=REF)
    part = "provinsi=75/kabupaten=75.01/part-0.parquet"
    for name in TABLES:
        mine = pq.read_table(alone / name / part)
        assert mine.equals(pq.read_table(province / name / part)), name
        assert (again / name / part).read_bytes() == (alone / name / part).read_bytes(), name
    persons = pq.read_table(alone / "persons" / part)
    assert not persons.equals(pq.read_table(other_seed / "persons" / part))


def test_a_regency_in_many_chunks_keeps_its_keys_unique(tmp_path: Path) -> None:
    write_national(tmp_path, region="75.71", scale=0.02, seed=3, ref_date=REF, chunk_families=300)
    parts = sorted((tmp_path / "families" / "provinsi=75" / "kabupaten=75.71").glob("*.parquet"))
    assert len(parts) > 3
    ((n, niks, kks),) = sql(
        tmp_path,
        "select count(*), count(distinct nik), (select count(distinct no_kk) from families) "
        "from persons",
    )
    assert n == niks and kks == expected_families("75.71", 0.02)
    ids = sql(tmp_path, "select count(*), count(distinct id) from measurements")
    assert ids[0][0] == ids[0][1] > 0


def test_the_nation_covers_every_province_with_unique_keys(nation: Path) -> None:
    w = get_wilayah()
    manifest = check_version(nation)
    assert manifest["wilayah"] == "ALL"
    provinces = {p for (p,) in sql(nation, "select distinct provinsi from families")}
    assert provinces == {r.kode for r in w.provinces()} and len(provinces) == 38
    regencies = dict(sql(nation, "select kabupaten, count(*) from families group by kabupaten"))
    assert regencies == {c: expected_families(c, NATION_SCALE) for c in regencies_of("ALL")}
    people = sum(w.population(c) or 0 for c in regencies_of("ALL"))
    assert abs(sum(regencies.values()) - people * NATION_SCALE / PERSONS_PER_FAMILY) < 514
    assert sql(nation, "select count(*) from village_facts") == [
        (len(w.regions("desa_kelurahan")),)
    ]
    checks = sql(
        nation,
        "select count(*) = count(distinct nik), "
        "bool_and(starts_with(nik, replace(kabupaten, '.', ''))) from persons",
    )
    assert checks == [(True, True)]
    for table in ("families", "measurements", "pregnancies", "interventions"):
        key = "no_kk" if table == "families" else "id"
        ((n, distinct),) = sql(nation, f"select count(*), count(distinct {key}) from {table}")
        assert n == distinct > 0, table
    unknown = sql(nation, "select distinct kode_desa from families")
    assert all(w.get(k) is not None and w.get(k).is_village for (k,) in unknown)


runner = CliRunner()


def test_cli_writes_parquet_and_refuses_a_kecamatan(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    res = runner.invoke(
        app,
        ["synth", "--out", str(out), "--format", "parquet", "--region", "75.71", "--scale", "0.01"]
        + ["--lang", "en"],
    )
    assert res.exit_code == 0, res.output
    assert "1 regencies/cities" in res.output and "national Parquet" in res.output
    assert check_version(out)["jumlah"]["families"] == expected_families("75.71", 0.01)
    # a user error: one sentence (printed by `sinergi.cli.main`, exit 2), never a traceback
    bad = runner.invoke(
        app, ["synth", "--out", str(out), "--format", "parquet", "--region", "75.71.01"]
    )
    assert isinstance(bad.exception, UserError)
    assert "bukan provinsi atau kabupaten/kota" in str(bad.exception)
    wrong = runner.invoke(app, ["synth", "--out", str(out), "--format", "csv", "--lang", "en"])
    assert isinstance(wrong.exception, UserError)
    assert "Unknown format 'csv'" in str(wrong.exception)


def test_batch_jobs_in_waves_of_provinces_give_the_rows_of_one_query(
    nation: Path, tmp_path: Path
) -> None:
    """DuckDB assesses a national extract in waves of whole provinces, as many families as the
    memory limit holds (`sinergi.batch.engine.by_province`): the assessment written wave by
    wave, and coverage's assessment kept wave by wave, equal one query over the nation."""
    import pandas as pd

    from sinergi.batch.engine import close_extract, open_extract, read_result, waves
    from sinergi.batch.jobs import run_assess, run_coverage

    rs = load_ruleset("krs-2024")
    written: dict[str, dict[str, pd.DataFrame]] = {}
    for name, per_wave in (("one", 10**9), ("waves", 3_000)):
        extract = open_extract("duckdb", nation, memory_limit="1GB", threads=2)
        extract.wave_families = per_wave
        groups = waves(extract)
        assert len(groups) == 1 if name == "one" else len(groups) > 5
        assert sorted(c for g in groups for c in g if c) == sorted(
            {c for g in groups for c in g if c}
        )  # each province in one wave
        try:
            run_assess(extract, rs, REF, tmp_path / name)
            run_coverage(extract, rs, REF, tmp_path / name)
        finally:
            close_extract(extract)
        written[name] = {
            "assess": read_result(tmp_path / name, "assess").sort_values("no_kk"),
            "coverage": read_result(tmp_path / name, "coverage").sort_values(
                ["tingkat", "kode_wilayah"]
            ),
        }
    for job in ("assess", "coverage"):
        one, waved = (written[n][job].reset_index(drop=True) for n in ("one", "waves"))
        assert len(one) > 0
        pd.testing.assert_frame_equal(one, waved)
    assert written["one"]["assess"]["provinsi"].nunique() == 38


def test_batch_missed_in_worker_processes_gives_the_rows_of_one_process(
    nation: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`batch missed` steps whole provinces in worker processes on DuckDB (`sinergi.batch.engine.
    per_province`: the largest waiting first, as many families in flight as the memory limit
    holds, a larger province alone): the rows, in their order, are those of one process
    stepping the provinces in turn."""
    import pandas as pd

    import sinergi.batch.missed as batch_missed
    from sinergi.batch.engine import close_extract, open_extract, read_result

    rs = load_ruleset("krs-2024")
    provinces = ["31", "64", "75", "92"]  # Jakarta the largest here
    written = {}
    for workers in (1, 2):
        monkeypatch.setattr(batch_missed, "step_workers", lambda n=workers: n)
        extract = open_extract(
            "duckdb", nation, memory_limit="1GB", temp_dir=tmp_path, provinces=provinces
        )
        # Jakarta's families alone exceed what may be in flight: it runs alone, the others two
        # at a time.
        extract.wave_families = 2_000
        try:
            batch_missed.run_missed(extract, rs, REF, tmp_path / str(workers))
        finally:
            close_extract(extract)
        written[workers] = read_result(tmp_path / str(workers), "missed")
    assert sorted(written[1]["provinsi"].unique()) == provinces and len(written[1]) > 100
    pd.testing.assert_frame_equal(written[2], written[1])
    # In the app's order within each province, the provinces in turn.
    keys = ["provinsi", "jenis", "kode_desa", "no_kk", "nama", "kode_alasan"]
    ordered = written[1].sort_values(keys, na_position="last", ignore_index=True)
    pd.testing.assert_frame_equal(written[1], ordered)


def _as_read(left: object, right: object) -> object:
    """A province step that returns what its first query read (picklable for the workers)."""
    return left


def test_a_province_that_runs_alone_has_every_core_and_the_whole_memory_limit(
    nation: Path, tmp_path: Path
) -> None:
    """A province larger than what may be in flight runs with nothing beside it: its worker
    gets every core and the whole memory limit for it, the others their share."""
    import os

    import pyarrow as pa

    from sinergi.batch.engine import _province_pool, close_extract, open_extract

    extract = open_extract("duckdb", nation, memory_limit="1GB", temp_dir=tmp_path)
    extract.wave_families = 2_000
    families = {"31": 3_000, "64": 500, "75": 400}

    def settings(p: str) -> tuple[list[str], str, str]:
        read = "current_setting('threads') AS threads, current_setting('memory_limit') AS memory"
        return [], f"SELECT '{p}' AS provinsi, {read}", "SELECT 1 AS x"

    schema = pa.schema(
        [("provinsi", pa.string()), ("threads", pa.int64()), ("memory", pa.string())]
    )
    try:
        done = _province_pool(extract, families, settings, _as_read, schema, workers=2)
    finally:
        close_extract(extract)

    def shown(limit: str) -> str:
        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{limit}'")
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    cores = os.cpu_count() or 1
    got = {p: tuple(frame.iloc[0][["threads", "memory"]]) for p, frame in done.items()}
    assert got["31"] == (cores, shown("1GB"))
    share = (max(1, cores // 2), shown("512MB"))
    assert got["64"] == share and got["75"] == share


def _malloc_settings(left: pd.DataFrame, right: object) -> pd.DataFrame:
    """A province step that returns the malloc settings its worker process started with."""
    import os

    from sinergi.batch.engine import WORKER_MALLOC

    return left.assign(**{k.lower(): os.environ.get(k, "") for k in WORKER_MALLOC})


def test_workers_keep_freed_memory_in_the_heap_and_the_caller_is_left_alone(
    nation: Path, tmp_path: Path
) -> None:
    """Each worker process starts with glibc's malloc told to take arrays from its heap and keep
    what is freed (`WORKER_MALLOC`); the caller's environment is as it was, and an operator's
    own setting wins."""
    import os

    import pyarrow as pa

    from sinergi.batch.engine import WORKER_MALLOC, _province_pool, close_extract, open_extract

    extract = open_extract("duckdb", nation, memory_limit="1GB", temp_dir=tmp_path)
    names = [k.lower() for k in WORKER_MALLOC]
    schema = pa.schema([("provinsi", pa.string())] + [(n, pa.string()) for n in names])
    before = dict(os.environ)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("MALLOC_TRIM_THRESHOLD_", "12345")
            done = _province_pool(
                extract,
                {"31": 10, "64": 10},
                lambda p: ([], f"SELECT '{p}' AS provinsi", "SELECT 1 AS x"),
                _malloc_settings,
                schema,
                workers=2,
            )
            assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "12345"
    finally:
        close_extract(extract)
    assert dict(os.environ) == before
    for frame in done.values():
        assert frame is not None
        assert frame.iloc[0]["malloc_mmap_max_"] == "0"
        assert frame.iloc[0]["malloc_trim_threshold_"] == "12345"
