"""The linkage as a batch job (`sinergi.batch.link`): over the records of the synthetic regency
(1 %, with its identity noise), Spark local mode and DuckDB score the same pairs with the same
probabilities and make the same clusters; those clusters are the app's own (`sinergi link`); and
they find the true persons (pairwise precision and recall against the synthetic truth)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from sqlalchemy import Engine, select

from sinergi.batch.link import LinkSummary, link_records, records_table, spark_settings
from sinergi.link import model as lm
from sinergi.link.quality import pairwise, truth_of_records
from sinergi.link.records import all_records
from sinergi.link.run import link, stored_model
from sinergi.store.frames import read_frame
from sinergi.store.tables import link_pairs, person_links
from tests.conftest import SYNTH_REF

#: Floors of the clusters' pairwise precision and recall on the 1 % regency (the app's own
#: linkage measures 0.9999 and 0.993 on the full regency, `benchmarks/results/linkage.json`).
PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.97


@pytest.fixture(scope="module")
def regency(tmp_path_factory: pytest.TempPathFactory, synth_regency: Path) -> Engine:
    """The synthetic regency imported into SQLite and linked by the app."""
    from sinergi.registry.importer import import_file
    from sinergi.store.db import ensure_schema
    from sinergi.synth import source_files

    path = tmp_path_factory.mktemp("linkdb") / "regency.db"
    engine = ensure_schema(f"sqlite:///{path}")
    for kind, file in source_files(synth_regency):
        assert import_file(engine, kind, file, as_of=SYNTH_REF).status == "dimuat"
    link(engine)
    return engine


@pytest.fixture(scope="module")
def records_parquet(regency: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The records the app linked, as the batch reads them."""
    path = tmp_path_factory.mktemp("records") / "records.parquet"
    pq.write_table(records_table(all_records(regency)), path)
    return path


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from sinergi.batch.spark import session

    spark = session(memory="1g", shuffle_partitions=2)
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def linked(
    regency: Engine, records_parquet: Path, spark: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[LinkSummary, Path]]:
    """Both engines with the model the app linked with (stored with its run)."""
    out = tmp_path_factory.mktemp("linked")
    runs = {}
    for engine in ("duckdb", "spark"):
        summary = link_records(
            engine,  # type: ignore[arg-type]
            records_parquet,
            out / engine,
            model=stored_model(regency),
            memory="1g",
            partitions=2,
        )
        runs[engine] = (summary, out / engine)
    return runs


def _pairs(folder: Path) -> pd.DataFrame:
    pairs = pd.read_parquet(folder / "pairs.parquet")
    return pairs.sort_values(["unique_id_l", "unique_id_r"]).reset_index(drop=True)


def _clusters(folder: Path) -> pd.Series:
    clusters = pd.read_parquet(folder / "clusters.parquet")
    return pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["record"]).sort_index()


def _scored(linked: dict[str, tuple[LinkSummary, Path]]) -> pd.DataFrame:
    """The pairs of both engines side by side (``_d`` DuckDB, ``_s`` Spark)."""
    return _pairs(linked["duckdb"][1]).merge(
        _pairs(linked["spark"][1]),
        on=["unique_id_l", "unique_id_r"],
        how="outer",
        suffixes=("_d", "_s"),
        indicator=True,
    )


GAMMAS = [f"gamma_{name}" for name in lm.top_levels()]


def test_spark_and_duckdb_score_the_same_pairs(linked: dict[str, tuple[LinkSummary, Path]]) -> None:
    both = _scored(linked)
    assert len(both) > 500
    assert (both["_merge"] == "both").all()
    same = np.logical_and.reduce([both[g + "_d"] == both[g + "_s"] for g in GAMMAS])
    # Where the comparison levels agree, so do the weights (the same parameters summed).
    agree = both[same]
    assert (agree["match_weight_d"] - agree["match_weight_s"]).abs().max() < 1e-9
    assert (agree["match_probability_d"] - agree["match_probability_s"]).abs().max() < 1e-8
    assert agree["status_d"].equals(agree["status_s"])
    assert (agree["status_d"] == "otomatis").sum() > 300
    # Elsewhere only a name's level differs, by Jaro-Winkler (the next test).
    assert len(both) - len(agree) <= 0.002 * len(both)


def test_a_level_differs_only_where_the_jaro_winklers_straddle_a_threshold(
    linked: dict[str, tuple[LinkSummary, Path]], records_parquet: Path, spark: Any
) -> None:
    """Splink's Scala Jaro (Spark) counts half a transposition per out-of-order matched
    character, as Jaro defined it; DuckDB's rounds the transpositions down to whole ones. They
    differ when that count is odd, and a name's level differs when the two similarities fall on
    either side of 0.92 or 0.80."""
    both = _scored(linked)
    names = pd.read_parquet(records_parquet).set_index("unique_id")[["rapat", "ibu_rapat"]]
    differs = []
    for g in GAMMAS:
        apart = both[both[g + "_d"] != both[g + "_s"]]
        assert g in {"gamma_rapat", "gamma_ibu_rapat"} or apart.empty
        column = g.removeprefix("gamma_")
        for left, right in zip(apart["unique_id_l"], apart["unique_id_r"], strict=True):
            differs.append((names.at[left, column], names.at[right, column]))
    for a, b in differs:
        duck = duckdb.sql("SELECT jaro_winkler_similarity(?, ?)", params=[a, b]).fetchall()[0][0]
        ours = spark.sql("SELECT jaro_winkler(?, ?) AS j", args=[a, b]).collect()[0]["j"]
        assert any(min(duck, ours) < t <= max(duck, ours) for t in (0.80, 0.92)), (a, b)


def test_spark_and_duckdb_make_the_same_clusters(
    linked: dict[str, tuple[LinkSummary, Path]],
) -> None:
    duck, spark = _clusters(linked["duckdb"][1]), _clusters(linked["spark"][1])
    both = _scored(linked)
    if (both["status_d"] == both["status_s"]).all():
        assert duck.equals(spark)
    else:
        assert (duck != spark).sum() <= 0.002 * len(duck)
    assert linked["duckdb"][0].linked > 300


def test_batch_clusters_are_the_apps(
    regency: Engine, linked: dict[str, tuple[LinkSummary, Path]]
) -> None:
    """The same records, model and decisions: every record in the cluster the app put it in,
    and the same pairs with the same status."""
    with regency.connect() as conn:
        app = read_frame(conn, select(person_links.c.record, person_links.c.cluster_id))
        app_pairs = read_frame(conn, select(link_pairs.c.record_l, link_pairs.c.record_r))
    ours = _clusters(linked["duckdb"][1])
    theirs = pd.Series(app["cluster_id"].to_numpy(), index=app["record"]).sort_index()
    assert ours.equals(theirs)
    pairs = _pairs(linked["duckdb"][1])
    assert set(zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)) == set(
        zip(app_pairs["record_l"], app_pairs["record_r"], strict=True)
    )


def test_clusters_find_the_true_persons(
    regency: Engine, synth_regency: Path, linked: dict[str, tuple[LinkSummary, Path]]
) -> None:
    truth = truth_of_records(regency, synth_regency / "truth").set_index("record")["benar"]
    quality = pairwise(_clusters(linked["spark"][1]), truth)
    assert quality.true_pairs > 300
    assert quality.precision >= PRECISION_FLOOR
    assert quality.recall >= RECALL_FLOOR


def test_spark_settings_carry_the_models_parameters() -> None:
    model = lm.default_model()
    settings = spark_settings(model)
    assert settings["sql_dialect"] == "spark"
    prior = "probability_two_random_records_match"
    assert settings[prior] == model[prior]
    for ours, stored in zip(settings["comparisons"], model["comparisons"], strict=True):
        assert ours["output_column_name"] == stored["output_column_name"]
        m = [lv.get("m_probability") for lv in ours["comparison_levels"]]
        assert m == [lv.get("m_probability") for lv in stored["comparison_levels"]]


def test_an_unknown_engine_is_refused(records_parquet: Path, tmp_path: Path) -> None:
    from sinergi.batch.engine import UnknownEngine

    with pytest.raises(UnknownEngine, match="postgres"):  # `sinergi batch` words it
        link_records("postgres", records_parquet, tmp_path)  # type: ignore[arg-type]
