"""`monte_carlo`: many replications of a scenario in chunks, on local processes or a Dask cluster, streamed to a
store, resumable after a crash.

Determinism: replication k always draws from SeedSequence(seed, spawn_key=(k,)) (`iadsim.rng`), and a chunk is
just replications [start, start + count) of `simulate`, so the result is the same for any worker count, chunk
size, backend, completion order, or interruption and resume. Statistics are computed from the stored tables
(`montecarlo.summary`) only after every chunk is in.

Parallelism: the engine already spreads one chunk over the cores (numba `prange`); with K worker processes each
gets cores/K numba threads, so processes do not oversubscribe the machine. Processes are spawned (not forked):
numba's threading layers are not fork-safe.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import multiprocessing

import duckdb
import numpy as np
import pyarrow as pa

from iadsim import __version__
from iadsim.engine.simulate import track_capacity
from iadsim.firecontrol.assignment import HOLD_REASON_TEXT, NO_CHANNEL, NO_MISSILE
from iadsim.montecarlo.summary import summarize
from iadsim.scenario import world_from_text
from iadsim.scenario.loader import read_scenario_text
from iadsim.store import RunRecord, Store

REPLICATIONS = pa.schema([
    ("replication", pa.int64()),
    ("threats", pa.int64()),
    ("intercepted", pa.int64()),
    ("leaked", pa.int64()),  # impacts within the target's radius
    ("missed_target", pa.int64()),
    ("in_flight", pa.int64()),
    ("all_intercepted", pa.bool_()),
    ("interceptors_fired", pa.int64()),  # by every fire unit, at anything (also aircraft and false tracks)
    ("channel_seconds", pa.float64()),
    ("first_leak_s", pa.float64()),  # NaN: nothing leaked
    # what "intercepted" may mean in a public claim, from strictest to loosest (claims.spread):
    ("within_lethal_radius", pa.int64()),  # threats some interceptor passed within its lethal radius (killed or not)
    ("engaged", pa.int64()),  # threats fired at
    # why threats went unengaged when the defence ran short (the saturation curve of a sweep):
    ("held_no_channel", pa.int64()),
    ("held_no_missile", pa.int64()),
])
# Replications per chunk in a long run. The engine's per-cycle Python work is shared by a chunk: one thread runs
# homs-2021 at about 31 replications/s in chunks of 256 and 36/s in chunks of 512 (1,024 adds little); a chunk
# of 512 is about 15 s of one worker, the most a killed run loses per worker.
DEFAULT_CHUNK = 512
TRACK_SLOTS_PER_CHUNK = 64_000  # bounds a chunk's track table (~2 kB per slot) for large raids
BACKENDS = ("local", "dask")


@dataclass(frozen=True)
class MonteCarloResult:
    run_id: str | None  # None when nothing was stored
    scenario: str
    seed: int
    replications: int
    summary: dict
    store: Path | None


def monte_carlo(scenario: str | Path | None = None, n: int | None = None, seed: int | None = None, workers: int = 1,
                *, chunk_size: int | None = None, backend: str = "local", address: str | None = None,
                store: str | Path | None = None, resume: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> MonteCarloResult:
    """Run n replications of `scenario` (name or path) from `seed` (default: the scenario's), or finish the
    stored run `resume`. With `store` the chunks stream to Parquet there (crash-safe, resumable); without it
    they are kept in memory. `progress(done, total)` is called as chunks complete."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    catalog = Store(store) if store is not None else None
    if resume is not None:
        if catalog is None:
            raise ValueError("resume needs the store that holds the run")
        record = catalog.run(resume)
        source = f"{record.scenario} (run {resume})"
    else:
        if n is None or n < 1:
            raise ValueError("n must be at least 1")
        text, source = read_scenario_text(scenario or "homs-2021")
        world = world_from_text(text, source)  # validates before anything is written
        size = chunk_size or max(1, min(DEFAULT_CHUNK, TRACK_SLOTS_PER_CHUNK // track_capacity(world),
                                         math.ceil(n / (4 * workers))))
        seed = world.seed if seed is None else int(seed)
        record = RunRecord("", "", world.name, "", text, seed, int(n), int(size), __version__, "running")
        if catalog is not None:
            record = catalog.create_run(world.name, text, seed, n, size, __version__)
    done = catalog.completed_chunks(record.run_id) if catalog is not None else set()
    todo = [c for c in range(record.n_chunks) if c not in done]
    in_memory: dict[int, dict[str, pa.Table]] = {}
    finished = sum(record.span(c)[1] for c in done)
    if progress:
        progress(finished, record.n)
    jobs = [ChunkJob(c, record.scenario_text, source, record.seed, *record.span(c)) for c in todo]
    for index, tables in execute(jobs, workers, backend, address):
        if catalog is not None:
            catalog.publish_chunk(record.run_id, index, tables)
        else:
            in_memory[index] = tables
        finished += record.span(index)[1]
        if progress:
            progress(finished, record.n)
    if catalog is not None:
        catalog.finish(record.run_id)
        summary = stored_summary(catalog, record.run_id)
    else:
        summary = _memory_summary(in_memory)
    return MonteCarloResult(record.run_id or None, record.scenario, record.seed, record.n, summary,
                            catalog.path if catalog is not None else None)


def stored_summary(catalog: Store, run_id: str, **options) -> dict:
    """Statistics of a stored run, straight from the Parquet files of its completed chunks."""
    with duckdb.connect() as connection:
        fates, replications = (f"read_parquet({catalog.chunk_files(run_id, table)!r})"
                               for table in ("fates", "replications"))
        return summarize(connection, fates, replications, **options)


def _memory_summary(chunks: dict[int, dict[str, pa.Table]]) -> dict:
    with duckdb.connect() as connection:
        for table in ("fates", "replications"):
            connection.register(f"{table}_in_memory", pa.concat_tables([chunks[c][table] for c in sorted(chunks)]))
        return summarize(connection, "fates_in_memory", "replications_in_memory")


# --- backends -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChunkJob:
    """Replications [start, start + count) of the scenario `text`, from `seed`; `key` names it for the caller."""

    key: Hashable
    text: str
    source: str
    seed: int
    start: int
    count: int


def execute(jobs: list[ChunkJob], workers: int = 1, backend: str = "local",
            address: str | None = None) -> Iterator[tuple[Hashable, dict[str, pa.Table]]]:
    """Run chunk jobs (of one scenario or many) and yield (key, tables) as each completes, in any order."""
    if not jobs:
        return
    if backend == "dask":
        yield from _dask(jobs, workers, address)
    elif workers == 1:
        for job in jobs:
            yield job.key, _run(job)
    else:
        context = multiprocessing.get_context("spawn")
        threads = max(1, (os.cpu_count() or 1) // workers)
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(threads,)) as pool:
            queue = iter(jobs)
            # two jobs per worker in flight: enough to keep it busy, and memory stays bounded
            pending = {pool.submit(_run, job): job.key for job in itertools.islice(queue, 2 * workers)}
            while pending:
                complete, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in complete:
                    yield pending.pop(future), future.result()
                    for job in itertools.islice(queue, 1):
                        pending[pool.submit(_run, job)] = job.key


def _dask(jobs: list[ChunkJob], workers: int, address: str | None):
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:  # the optional extra
        raise RuntimeError("the Dask backend needs `pip install iadsim[dask]`") from error
    with contextlib.ExitStack() as stack:
        if address is None:
            address = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       host="127.0.0.1", dashboard_address=None))
        client = stack.enter_context(Client(address))
        futures = {client.submit(_run, job, pure=False): job.key for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _init_worker(threads: int) -> None:
    import numba

    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))


_WORLDS: dict[tuple[str, str], object] = {}  # per process: compile the scenario once


def _run(job: ChunkJob) -> dict[str, pa.Table]:
    return run_chunk(job.text, job.source, job.seed, job.start, job.count)


def run_chunk(text: str, source: str, seed: int, start: int, count: int) -> dict[str, pa.Table]:
    """Replications [start, start + count): their fates and one summary row per replication."""
    from iadsim.engine.simulate import simulate

    key = (text, source)
    if key not in _WORLDS:
        _WORLDS.clear()
        _WORLDS[key] = world_from_text(text, source)
    world = _WORLDS[key]
    outcome = simulate(world, seed=seed, replications=count, first_replication=start, record=False)
    return {"fates": outcome.fates, "replications": replication_rows(world, outcome, start, count)}


def replication_rows(world, outcome, start: int, count: int) -> pa.Table:
    """One row per replication (REPLICATIONS) from an Outcome of replications [start, start + count)."""
    fates, resources, shots = outcome.fates, outcome.resources, outcome.shots
    index = np.asarray(fates["replication"]) - start
    fate = np.asarray(fates["fate"].to_pylist(), dtype=object)
    reason = np.asarray(fates["reason"].to_pylist(), dtype=str)
    end = np.asarray(fates["end_time_s"], dtype=float)

    def per_replication(mask) -> np.ndarray:
        return np.bincount(index[mask], minlength=count).astype(np.int64)

    threats = per_replication(np.ones(index.size, dtype=bool))
    intercepted = per_replication(fate == "intercepted")
    leaked = per_replication(fate == "leaked")
    first_leak = np.full(count, np.inf)
    np.minimum.at(first_leak, index[fate == "leaked"], end[fate == "leaked"])
    fired = np.bincount(np.asarray(resources["replication"]) - start, weights=np.asarray(resources["missiles_fired"]),
                        minlength=count).astype(np.int64)
    channel = np.bincount(np.asarray(resources["replication"]) - start,
                          weights=np.asarray(resources["channel_seconds"]), minlength=count)
    columns = [np.arange(start, start + count), threats, intercepted, leaked,
               per_replication(fate == "missed target"), per_replication(fate == "in flight"),
               intercepted == threats, fired, channel, np.where(np.isinf(first_leak), np.nan, first_leak),
               _threats_within_lethal_radius(world, shots, start, count),
               per_replication(np.asarray(fates["interceptors_fired"]) > 0),
               per_replication(np.char.startswith(reason, HOLD_REASON_TEXT[NO_CHANNEL])),
               per_replication(np.char.startswith(reason, HOLD_REASON_TEXT[NO_MISSILE]))]
    # from_pandas: NaN becomes null, which SQL aggregates skip
    return pa.Table.from_arrays([pa.array(c, type=f.type, from_pandas=True) for c, f in zip(columns, REPLICATIONS)],
                                schema=REPLICATIONS)


def _threats_within_lethal_radius(world, shots: pa.Table, start: int, count: int) -> np.ndarray:
    """Per replication, the weapons that some interceptor passed within its type's lethal radius."""
    unit = {fid: f for f, fid in enumerate(world.fire_units.ids)}
    units = np.array([unit[f] for f in shots["fire_unit"].to_pylist()], dtype=np.int64)
    radius = world.interceptors.lethal_radius_m[world.fire_units.interceptor_type[units]]
    miss = np.asarray(shots["miss_distance_m"], dtype=float)
    threat = np.asarray(shots["threat"])
    # at a weapon (not an aircraft, not a false track); NaN (lost before closest approach) compares False
    close = (miss <= radius) & np.isin(threat, world.raid.weapons)
    pairs = np.unique(np.stack([np.asarray(shots["replication"])[close] - start, threat[close]]), axis=1)
    return np.bincount(pairs[0], minlength=count).astype(np.int64)
