"""Store: Parquet chunks and the DuckDB catalog (`iadsim.store.catalog`)."""

from iadsim.store.catalog import DEFAULT_STORE, RunRecord, Store

__all__ = ["DEFAULT_STORE", "RunRecord", "Store"]
