"""Monte Carlo runs on disk: one Parquet file per chunk and table, a DuckDB catalog of runs with views over them.

Layout, for a store `runs/iadsim.duckdb`:

    runs/iadsim.duckdb                       catalog: table `runs`, views `<table>_<run_id>` over the chunks
    runs/iadsim.chunks/<run_id>/fates-000012.parquet
    runs/iadsim.chunks/<run_id>/replications-000012.parquet

Crash safety: a chunk's files are written under a hidden temporary name in the same directory and published
with `os.replace` (atomic on POSIX), the `replications` file last; a chunk is complete when its `replications`
file exists. Readers only glob published names, so a half-written chunk is never read, and a run killed at any
moment (SIGKILL included) loses at most the chunks it was writing. The catalog is written only by the process
that drives the run, in short transactions (DuckDB's write-ahead log makes each one atomic).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

DEFAULT_STORE = Path("runs") / "iadsim.duckdb"
TABLES = ("fates", "replications")  # published in this order; the last one marks the chunk complete
_CHUNK_NAME = re.compile(r"^replications-(\d{6})\.parquet$")

_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    created_utc VARCHAR,
    scenario VARCHAR,
    scenario_hash VARCHAR,
    scenario_text VARCHAR,
    seed BIGINT,
    n BIGINT,
    chunk_size BIGINT,
    code_version VARCHAR,
    status VARCHAR
)"""


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    created_utc: str
    scenario: str
    scenario_hash: str
    scenario_text: str
    seed: int
    n: int
    chunk_size: int
    code_version: str
    status: str  # "running" (or interrupted) / "complete"

    @property
    def n_chunks(self) -> int:
        return -(-self.n // self.chunk_size)

    def span(self, index: int) -> tuple[int, int]:
        """(first replication, count) of chunk `index`."""
        start = index * self.chunk_size
        return start, min(self.chunk_size, self.n - start)


def scenario_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Store:
    """A catalog file and its chunk directory. Cheap to create; opens DuckDB per operation."""

    def __init__(self, path: str | Path = DEFAULT_STORE):
        self.path = Path(path)
        self.chunks_root = self.path.with_suffix(".chunks")

    # --- catalog ------------------------------------------------------------------------------------------

    def _connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        if read_only and not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no run store here (run `iadsim mc` first)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(str(self.path), read_only=read_only)
        if not read_only:
            connection.execute(_RUNS_DDL)
        return connection

    def create_run(self, scenario: str, text: str, seed: int, n: int, chunk_size: int, code_version: str) -> RunRecord:
        record = RunRecord(
            run_id=datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3),
            created_utc=datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            scenario=scenario, scenario_hash=scenario_hash(text), scenario_text=text, seed=int(seed), n=int(n),
            chunk_size=int(chunk_size), code_version=code_version, status="running")
        with self._connect() as connection:
            connection.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(record.__dict__.values()))
        self.run_dir(record.run_id).mkdir(parents=True, exist_ok=True)
        return record

    def run(self, run_id: str) -> RunRecord:
        with self._connect(read_only=True) as connection:
            row = connection.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if row is None:
            raise KeyError(f"no run {run_id!r} in {self.path}")
        return RunRecord(*row)

    def runs(self) -> list[RunRecord]:
        if not self.path.exists():
            return []
        with self._connect(read_only=True) as connection:
            rows = connection.execute("SELECT * FROM runs ORDER BY created_utc, rowid").fetchall()
        return [RunRecord(*row) for row in rows]

    def finish(self, run_id: str) -> None:
        """Mark the run complete and (re)create its views `fates_<id>`, `replications_<id>` over the chunks."""
        with self._connect() as connection:
            connection.execute("UPDATE runs SET status = 'complete' WHERE run_id = ?", [run_id])
            for table in TABLES:
                connection.execute(f"CREATE OR REPLACE VIEW {_view(table, run_id)} AS "
                                   f"SELECT * FROM read_parquet('{self.chunk_glob(run_id, table)}')")

    # --- chunks -------------------------------------------------------------------------------------------

    def run_dir(self, run_id: str) -> Path:
        return self.chunks_root / run_id

    def chunk_glob(self, run_id: str, table: str) -> str:
        return str(self.run_dir(run_id) / f"{table}-*.parquet")

    def chunk_files(self, run_id: str, table: str) -> list[str]:
        """The files of `table` of the completed chunks only (a chunk killed between its two renames has a
        published `fates` file but no `replications` marker: it is left out, and redone on resume)."""
        return [str(self.run_dir(run_id) / f"{table}-{c:06d}.parquet") for c in sorted(self.completed_chunks(run_id))]

    def completed_chunks(self, run_id: str) -> set[int]:
        directory = self.run_dir(run_id)
        if not directory.exists():
            return set()
        return {int(m.group(1)) for m in map(_CHUNK_NAME.match, os.listdir(directory)) if m}

    def publish_chunk(self, run_id: str, index: int, tables: dict[str, pa.Table]) -> None:
        """Write each table under a temporary name, then rename into place (`replications` last)."""
        directory = self.run_dir(run_id)
        directory.mkdir(parents=True, exist_ok=True)
        staged = []
        for table in TABLES:
            final = directory / f"{table}-{index:06d}.parquet"
            temporary = directory / f".partial-{os.getpid()}-{final.name}"
            pq.write_table(tables[table], temporary)
            staged.append((temporary, final))
        for temporary, final in staged:
            with open(temporary, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(temporary, final)


def _view(table: str, run_id: str) -> str:
    return f'"{table}_{run_id}"'
