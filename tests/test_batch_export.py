"""`sinergi export parquet`: the registry of a database as the national Parquet layout
(`sinergi.batch.export`), on SQLite and PostgreSQL, over the synthetic regency at 1 %."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, func, insert, select
from typer.testing import CliRunner

from sinergi.batch import export as batch_export
from sinergi.batch.export import OBJECT, ExportError, Extract, export_registry
from sinergi.cli import UserError, app
from sinergi.security.auth import User, server_user
from sinergi.store import audit
from sinergi.store.parquet_layout import (
    PARTITIONS,
    SCHEMA_FILE,
    TABLE_SCHEMAS,
    TABLES,
    SchemaMismatch,
    check_version,
    partition_of,
)
from sinergi.store.tables import families, interventions, persons
from tests.conftest import named_pg_database
from tests.regency import decease, import_regency, merge_p3ke, move_away

runner = CliRunner()
ADMIN = server_user("petugas-ekspor")
# An intervention whose village comes from its member's family (no village, no KK), and one for
# whom nothing is known: it goes to the partition of a missing value.
BY_NIK, UNPLACED = "ekspor-uji-nik", "ekspor-uji-tanpa-desa"


def _fill(engine: Engine, synth: Path) -> None:
    """The synthetic regency imported, with what the batch jobs leave out: P3KE families merged
    into a roster KK, a family moved away, a deceased member; and two interventions without a
    village."""
    import_regency(engine, synth)
    with engine.begin() as conn:
        merge_p3ke(conn, 3)
        move_away(conn)
        nik = conn.execute(select(func.min(persons.c.nik))).scalar_one()
        decease(conn, nik)
        for key, member in ((BY_NIK, nik), (UNPLACED, "6408999999999999")):
            conn.execute(
                insert(interventions).values(
                    record_key=key,
                    kode_program="pmt-balita",
                    nik=member,
                    tanggal=date(2026, 7, 1),
                    status="usulan",
                )
            )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def registry_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, synth_regency: Path
) -> Iterator[str]:
    """A filled registry per backend, built once for the module."""
    from sinergi.store.db import ensure_schema, get_engine

    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("exportdb") / "regency.db"
        url = f"sqlite:///{path}"
        _fill(ensure_schema(url), synth_regency)
        get_engine.cache_clear()
        yield url
        return
    template = request.getfixturevalue("pg_template")
    with named_pg_database("sinergi_export", template) as url:
        _fill(ensure_schema(url), synth_regency)
        yield url


@pytest.fixture
def registry(registry_url: str) -> Iterator[Engine]:
    from sinergi.store.db import ensure_schema

    engine = ensure_schema(registry_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def extract(registry_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Extract]:
    """The registry exported once per backend; tests that need an earlier extract copy it."""
    from sinergi.store.db import ensure_schema

    out = tmp_path_factory.mktemp("extract") / "ekstrak"
    return out, export_registry(ensure_schema(registry_url), out, ADMIN)


def _copy(extract: tuple[Path, Extract], tmp_path: Path) -> Path:
    out = tmp_path / "ekstrak"
    shutil.copytree(extract[0], out)
    return out


def _extract_rows(folder: Path, table: str) -> list[dict[str, Any]]:
    data = ds.dataset(
        folder / table, format="parquet", partitioning="hive", schema=_with_partitions(table)
    ).to_table()
    return data.to_pylist()


def _with_partitions(table: str):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    return pa.unify_schemas(
        [TABLE_SCHEMAS[table], pa.schema([pa.field(p, pa.string()) for p in PARTITIONS])]
    )


def _db_rows(engine: Engine, table: str) -> list[dict[str, Any]]:
    t = TABLES[table]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(*(t.c[n] for n in _names(table))))]


def _names(table: str) -> list[str]:
    return TABLE_SCHEMAS[table].names


def _key(table: str) -> str:
    return next(c.name for c in TABLES[table].primary_key.columns)


def test_the_extract_holds_the_registry_row_for_row(
    registry: Engine, extract: tuple[Path, Extract]
) -> None:
    out, written = extract
    manifest = check_version(out)
    assert manifest["baris"] == written.rows
    assert manifest["sumber"] == registry.dialect.name
    assert written.rows["families"] > 1000 and written.rows["persons"] > 3000
    assert min(written.rows.values()) > 0
    with registry.connect() as conn:
        village_of = dict(conn.execute(select(families.c.no_kk, families.c.kode_desa)).all())
        kk_of = dict(conn.execute(select(persons.c.nik, persons.c.no_kk)).all())

    for table in TABLES:
        files = sorted((out / table).rglob("*.parquet"))
        assert files, table
        for f in files:
            # Exactly the declared columns and types, the partition in the path only.
            assert pq.read_schema(f).remove_metadata().equals(TABLE_SCHEMAS[table]), f
        key = _key(table)
        got = {r[key]: r for r in _extract_rows(out, table)}
        want = {r[key]: r for r in _db_rows(registry, table)}
        assert len(got) == len(want) == written.rows[table], table
        assert got.keys() == want.keys(), table
        for k, row in want.items():
            mine = dict(got[k])
            if table == "village_facts":
                text = mine["indikator_lain"]
                mine["indikator_lain"] = None if text is None else json.loads(text)
            assert {n: mine[n] for n in _names(table)} == row, (table, k)
            # The partition is the village's: its own, a person's family's, an intervention's
            # family's by KK or by the member's NIK; unknown: Hive's partition of a missing value.
            desa = row.get("kode_desa")
            if table == "persons":
                desa = village_of[row["no_kk"]]
            elif table == "interventions" and desa is None:
                desa = village_of.get(row["no_kk"] or kk_of.get(row["nik"], ""))
            assert (mine["provinsi"], mine["kabupaten"]) == (
                partition_of(desa) if desa else (None, None)
            ), (table, k)

    interventions_out = {r["record_key"]: r for r in _extract_rows(out, "interventions")}
    assert interventions_out[BY_NIK]["kabupaten"] == "64.08"
    assert interventions_out[UNPLACED]["provinsi"] is None
    assert (out / "interventions" / "provinsi=__HIVE_DEFAULT_PARTITION__").is_dir()
    # The rows the jobs leave out are in the extract, as stored.
    fam = _extract_rows(out, "families")
    assert sum(r["digabung_ke"] is not None for r in fam) == 3
    assert sum(r["keluar"] is not None for r in fam) == 1
    assert sum(r["meninggal"] is not None for r in _extract_rows(out, "persons")) == 1

    (entry,) = [
        e
        for e in audit.entries(registry, ADMIN.username, audit.EXPORT, limit=1000)
        if e["rincian"]["folder"] == str(out)
    ]
    assert entry["objek"] == OBJECT
    assert entry["rincian"] == {"folder": str(out), "baris": written.rows, "via": "cli"}


def test_small_chunks_give_the_same_extract(
    registry: Engine,
    extract: tuple[Path, Extract],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    utuh, whole = extract
    monkeypatch.setattr(batch_export, "CHUNK_ROWS", 2000)
    steps: list[tuple[str, int, int]] = []
    chunked = export_registry(
        registry, tmp_path / "potong", ADMIN, lambda *step: steps.append(step)
    )
    assert chunked.rows == whole.rows
    for table in TABLES:
        key = _key(table)
        a = sorted(_extract_rows(utuh, table), key=lambda r: r[key])
        b = sorted(_extract_rows(tmp_path / "potong", table), key=lambda r: r[key])
        assert a == b, table
    # The persons came in several chunks (a progress step each), written as one partition.
    persons_steps = [done for table, done, _ in steps if table == "persons"]
    assert len(persons_steps) > 3 and persons_steps[-1] == whole.rows["persons"]
    assert len(list((tmp_path / "potong" / "persons").rglob("*.parquet"))) == 1


def test_a_re_export_replaces_the_previous_extract(
    registry: Engine, extract: tuple[Path, Extract], tmp_path: Path
) -> None:
    out = _copy(extract, tmp_path)
    stale = out / "families" / "provinsi=99" / "kabupaten=99.99" / "part-0.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes((out / SCHEMA_FILE).read_bytes())
    (out / "catatan.txt").write_text("left by hand")
    export_registry(registry, out, ADMIN)
    assert not stale.exists() and not (out / "catatan.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["ekstrak"]  # no folder left beside it
    check_version(out)


def test_a_failed_export_leaves_the_previous_extract(
    registry: Engine,
    extract: tuple[Path, Extract],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = _copy(extract, tmp_path)
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    manifest = (out / SCHEMA_FILE).read_text()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch_export, "write_manifest", full_disk)
    with pytest.raises(OSError):
        export_registry(registry, out, ADMIN)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before
    assert (out / SCHEMA_FILE).read_text() == manifest
    assert [p.name for p in tmp_path.iterdir()] == ["ekstrak"]


def test_an_extract_of_another_version_is_refused(
    registry: Engine, extract: tuple[Path, Extract], tmp_path: Path
) -> None:
    out = _copy(extract, tmp_path)
    manifest = json.loads((out / SCHEMA_FILE).read_text())
    (out / SCHEMA_FILE).write_text(json.dumps(manifest | {"versi": manifest["versi"] + 1}))
    with pytest.raises(SchemaMismatch, match="v2"):
        check_version(out)
    # It is still an extract: a new export replaces it with the current version.
    export_registry(registry, out, ADMIN)
    assert check_version(out)["versi"] == manifest["versi"]


def test_a_folder_of_other_files_is_never_replaced(registry: Engine, tmp_path: Path) -> None:
    mine = tmp_path / "dokumen"
    mine.mkdir()
    (mine / "laporan.xlsx").write_text("an officer's file")
    with pytest.raises(ExportError) as refused:
        export_registry(registry, mine, ADMIN)
    assert refused.value.code == "parquet_bukan_ekstrak"
    assert [p.name for p in mine.iterdir()] == ["laporan.xlsx"]


def test_only_a_user_who_sees_every_family_may_export(registry: Engine, tmp_path: Path) -> None:
    before = len(audit.entries(registry, aksi=audit.EXPORT, limit=1000))
    for user in (
        User(7, "dppkb-kecamatan", "dppkb", ("64.08.01",), ()),
        User(8, "dinsos", "instansi", (), ("pkh",)),
        User(9, "analis", "analis", (), ()),
    ):
        with pytest.raises(ExportError) as refused:
            export_registry(registry, tmp_path / user.username, user)
        assert refused.value.code == "parquet_tidak_boleh"
        assert not (tmp_path / user.username).exists()
    assert len(audit.entries(registry, aksi=audit.EXPORT, limit=1000)) == before
    export_registry(registry, tmp_path / "dppkb", User(10, "kepala-dppkb", "dppkb", (), ()))
    check_version(tmp_path / "dppkb")


def test_cli_export_parquet(registry_url: str, tmp_path: Path) -> None:
    out = tmp_path / "nasional"
    res = runner.invoke(
        app,
        ["export", "parquet", "--out", str(out), "--db", registry_url, "--oleh", "operator"],
    )
    assert res.exit_code == 0, res.output
    manifest = check_version(out)
    for table, n in manifest["baris"].items():
        line = next(
            ln for ln in res.output.splitlines() if ln.startswith("│") and f" {table} " in ln
        )
        assert f"{n:,}".replace(",", ".") in line, line
    assert str(out) in res.output and "log audit" in res.output
    assert not any(code in res.output for code in ("kol_", "parquet_tabel", "parquet_selesai"))

    (out.parent / "lain").mkdir()
    (out.parent / "lain" / "data.csv").write_text("a,b\n")
    res = runner.invoke(
        app, ["export", "parquet", "--out", str(out.parent / "lain"), "--db", registry_url]
    )
    assert isinstance(res.exception, UserError)
    assert "bukan ekstrak registri Sinergi" in str(res.exception)
    assert (out.parent / "lain" / "data.csv").exists()


def test_cli_refuses_an_empty_registry(sqlite_url: str, tmp_path: Path) -> None:
    res = runner.invoke(
        app,
        ["export", "parquet", "--out", str(tmp_path / "x"), "--db", sqlite_url, "--lang", "en"],
    )
    assert isinstance(res.exception, UserError)
    assert "holds no families" in str(res.exception)
    assert not (tmp_path / "x").exists()
