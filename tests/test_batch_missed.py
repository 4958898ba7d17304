"""`sinergi batch missed`: the case-finding rows of an extract equal the app's `sinergi missed`.

The regency of `tests.test_batch` (imported by the app, assessed, exported as an extract) is listed
by the app and by ``batch missed`` on DuckDB and on Spark (local mode): the rows of the codes the
batch covers (`COVERED_CODES`) are the app's, bar the children the person linkage attached (an
extract has no links, `sinergi.batch.missed`), and Spark's rows are DuckDB's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from sinergi.assess.missed import MISSED_COLUMNS
from sinergi.batch.engine import Extract, read_result
from sinergi.batch.missed import COVERED_CODES, run_missed
from sinergi.rules import load_ruleset
from tests import test_batch
from tests.conftest import SYNTH_REF
from tests.test_batch import RULESET

# The regency, its extract and the engines' sessions of `tests.test_batch`, used here too.
regency = test_batch.regency
extract_dir = test_batch.extract_dir
duckdb_extract = test_batch.duckdb_extract
spark_extract = test_batch.spark_extract

KEYS = ["kode_alasan", "nik", "no_kk", "nama", "tanggal_ukur_terakhir"]


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as text, in one order: dates and z-scores as the user reads them in the export."""
    out = frame[list(MISSED_COLUMNS)].copy()
    for col in ("tanggal_lahir", "tanggal_ukur_terakhir", "tanggal_ditangani"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d")
    for col in ("zs_tbu", "zs_bbtb", "zs_bbu", "lila", "berat_lahir"):
        out[col] = pd.to_numeric(out[col]).round(2)
    out = out.astype(object).where(out.notna(), None)
    return out.sort_values(KEYS, na_position="last").reset_index(drop=True)


def _app_rows(regency: Engine, include_cleared: bool) -> pd.DataFrame:
    from sinergi.assess.missed import missed
    from sinergi.assess.run import latest_run_id

    run_id = latest_run_id(regency)
    assert run_id is not None
    app = missed(regency, run_id, "id", 3, include_cleared=include_cleared)
    return app[app["kode_alasan"].isin(COVERED_CODES)]


def test_duckdb_missed_equals_the_apps_missed_list(
    regency: Engine, duckdb_extract: Extract, tmp_path: Path
) -> None:
    """Every covered row of `sinergi missed`, cleared ones too (``--semua``), column by column.
    No row needs a filter: the regency holds no e-PPGBM person links, so the app attaches its
    children by No KK and NIK only, as an extract does."""
    from sinergi.link import EPPGBM
    from sinergi.store.tables import person_links

    with regency.connect() as conn:
        links = conn.execute(
            person_links.select().where(person_links.c.sumber == EPPGBM).limit(1)
        ).all()
    assert links == []
    rs = load_ruleset(RULESET)
    for include_cleared in (True, False):
        out = tmp_path / str(include_cleared)
        run_missed(duckdb_extract, rs, SYNTH_REF, out, include_cleared=include_cleared)
        ours = read_result(out, "missed")
        app = _app_rows(regency, include_cleared)
        assert list(ours.columns) == [*MISSED_COLUMNS, "provinsi"]
        assert (ours["provinsi"] == "64").all()
        assert len(ours) == len(app) > 200
        pd.testing.assert_frame_equal(_comparable(ours), _comparable(app))
    every = _app_rows(regency, True)
    shown = {"belum_diukur", "anak_bukan_krs", "anak_tidak_terdaftar", "anak_berat_kurang"}
    assert shown <= set(every["kode_alasan"])
    assert every["ditangani_oleh"].notna().any()  # clearing by a delivery is compared too


def test_spark_missed_equals_duckdb(
    duckdb_extract: Extract, spark_extract: Extract, tmp_path: Path
) -> None:
    rs = load_ruleset(RULESET)
    run_missed(duckdb_extract, rs, SYNTH_REF, tmp_path / "duckdb", include_cleared=True)
    run_missed(spark_extract, rs, SYNTH_REF, tmp_path / "spark", include_cleared=True)
    duck = read_result(tmp_path / "duckdb", "missed")
    spark = read_result(tmp_path / "spark", "missed")
    assert len(duck) > 200
    pd.testing.assert_frame_equal(
        spark.sort_values(KEYS).reset_index(drop=True),
        duck.sort_values(KEYS).reset_index(drop=True),
    )


def test_cli_batch_missed_prints_the_counts_per_reason(extract_dir: Path, tmp_path: Path) -> None:
    from sinergi.cli import app

    common = ["--input", str(extract_dir), "--out", str(tmp_path), "--memory-limit", "1GB"]
    common += ["--date", SYNTH_REF.isoformat(), "--ruleset", RULESET, "--lang", "en"]
    common += ["--db", f"sqlite:///{tmp_path / 'registri.db'}"]
    result = CliRunner().invoke(app, ["batch", "missed", *common, "--months", "2"])
    assert result.exit_code == 0, result.output
    rows = read_result(tmp_path, "missed")
    unmeasured = int((rows["kode_alasan"] == "belum_diukur").sum())
    assert unmeasured > 0
    assert f"{len(rows):,} rows written" in result.output
    assert "Registered under-fives not measured in the last 2 months" in result.output
    assert re.search(rf"in the last 2 months\s*│\s*{unmeasured}\s*│", result.output)


def test_one_process_or_two_write_the_same_rows_in_the_same_order(
    duckdb_extract: Extract, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In worker processes each province's rows are written by the process that stepped them;
    in this one, as each is stepped: the same result either way."""
    import sinergi.batch.missed as batch_missed

    rs = load_ruleset(RULESET)
    written = {}
    for workers in (1, 2):
        monkeypatch.setattr(batch_missed, "step_workers", lambda n=workers: n)
        run_missed(duckdb_extract, rs, SYNTH_REF, tmp_path / str(workers))
        written[workers] = read_result(tmp_path / str(workers), "missed")
    assert len(written[1]) > 200
    pd.testing.assert_frame_equal(written[1], written[2])


def test_keys_are_coded_as_numbers_that_sort_as_the_texts_and_read_back() -> None:
    """The step's No KKs and NIKs as numbers (`coded_keys`): one number per text across the
    frames, Arrow or pandas alike, in the texts' order, NaN for none, and the same texts back
    (`key_texts`)."""
    import numpy as np
    import pyarrow as pa

    from sinergi.batch.missed import coded_keys, key_texts

    roster = pd.DataFrame(
        {"no_kk": ["6408010101010002", "6408010101010001", None], "nik": ["b", "6408", "Ä"]}
    )
    measured = pd.DataFrame(
        {"nik_anak": [None, "6408"], "nik_ortu": ["a", "b"], "no_kk": ["6408010101010001", ""]}
    )
    texts = sorted({v for f in (roster, measured) for c in f for v in f[c] if v is not None})
    for given in ([roster, measured], [pa.Table.from_pandas(f) for f in (roster, measured)]):
        (r, m), words = coded_keys(given)
        assert words.to_pylist() == texts
        assert r["no_kk"].tolist()[:2] == [texts.index(v) for v in roster["no_kk"][:2]]
        assert np.isnan(r["no_kk"].iloc[2]) and np.isnan(m["nik_anak"].iloc[0])
        assert m["no_kk"].iloc[1] == texts.index("") == 0
        assert r["nik"].tolist() == [texts.index(v) for v in ("b", "6408", "Ä")]
        back = key_texts(m.copy(), words)
        assert (
            back.astype(object).where(back.notna(), None).values.tolist()
            == measured.values.tolist()
        )


def test_a_provinces_rows_are_written_in_their_order(tmp_path: Path) -> None:
    """A province's rows are written in the step's order (Arrow writes a table's batches on
    several threads, and without being told to keep their order wrote them in any)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.dataset as ds

    from sinergi.batch.engine import _write_batches

    n = 1_000_000
    rows = pa.table({"i": np.arange(n), "provinsi": ["32"] * n})
    _write_batches(pa.Table.from_batches(rows.to_batches(max_chunksize=1000)), tmp_path)
    assert ds.dataset(tmp_path).to_table()["i"].to_numpy().tolist() == list(range(n))
