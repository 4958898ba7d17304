"""Apache Spark sessions for the batch jobs: local mode on one machine (tests, a province), or a
cluster's master URL.

PySpark is imported only here and only when a Spark job runs, so the regency install and every
other command start without the JVM. A local session binds to the loopback interface and shows no
web UI; its shuffle partitions default to a few per core (Spark's 200 are tuned for clusters and
cost seconds of scheduling on a laptop-sized job).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

DEFAULT_MASTER = "local[2]"
# Set in the driver of an application spark-submit started (its JVM gateway is already up).
SUBMITTED = "PYSPARK_GATEWAY_PORT"


def _java_home() -> str | None:
    """JAVA_HOME if set, else the JDK behind ``java`` on the PATH (Debian's openjdk)."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is None:
        return None
    return str(Path(java).resolve().parents[1])


def session(
    master: str | None = None,
    memory: str = "4g",
    app_name: str = "sinergi",
    temp_dir: Path | None = None,
    shuffle_partitions: int | None = None,
) -> Any:
    """A SparkSession for ``master`` (``local[N]`` by default, or a cluster URL such as
    ``spark://host:7077``); ``memory`` is the driver's heap (in local mode the only JVM).
    Under ``spark-submit`` with no ``master`` given, the submitted master and resources hold.
    The same session is returned while it lives (Spark keeps one per process)."""
    java_home = _java_home()
    if java_home is not None:
        os.environ.setdefault("JAVA_HOME", java_home)
    # Python workers (mapInPandas, UDFs) run this interpreter, where sinergi is installed, rather
    # than whichever ``python3`` the PATH finds first.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if master is None and SUBMITTED in os.environ:
        # Started by spark-submit: its --master, --driver-memory and --conf hold (and a
        # cluster's own UI and addresses: nothing local is set below).
        master = ""
    else:
        master = master or DEFAULT_MASTER
        builder = builder.master(master).config("spark.driver.memory", memory)
    local = master.startswith("local")
    builder = (
        builder.appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.ansi.enabled", "false")
    )
    if local:
        cores = os.cpu_count() or 2
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions or 4 * cores))
        )
    elif shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    if temp_dir is not None:
        builder = builder.config("spark.local.dir", str(temp_dir))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_backend(spark: Any) -> Any:
    """The Ibis backend over ``spark`` (the rule sets compile to Spark SQL through it)."""
    import ibis

    return ibis.pyspark.connect(spark)
