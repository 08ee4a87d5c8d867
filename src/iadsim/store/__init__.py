"""Store: Parquet chunks and the DuckDB catalog."""
