"""Batch jobs at national scale: the registry as Parquet (`schema`), the same rule sets and
programme definitions evaluated by DuckDB on one machine or Apache Spark on a cluster."""
