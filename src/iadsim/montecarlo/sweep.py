"""`sweep`: Monte Carlo over a grid of scenario parameters — one stored run per grid point.

A sweep varies one or two numeric fields of a scenario (named by paths, `iadsim.scenario.paths`) over given
values, and runs the same number of replications at every point of their Cartesian product. Each point is an
ordinary run in the store (its modified scenario text, seed, chunks), so `iadsim show`, `iadsim mc --resume` and
DuckDB queries work on it as on any other run. At most two paths: the results are read from plots (a curve, a
heat map), which stop at two dimensions.

Common random numbers: every point runs from the same seed, so replication k of every point draws from the same
stream (`SeedSequence(seed, spawn_key=(k,))`). Where the change does not alter what is drawn (a reaction time, a
kill probability, a reload time), replication k meets the same luck at every point and differences along the
grid show the effect of the parameter rather than fresh sampling noise (Law, *Simulation Modeling and
Analysis*, 5th ed., §11.2). Where it changes how many draws are made (a larger raid), the streams fall out of
step after the first difference and the points are close to independent: still unbiased, just not sharpened.

Every point is validated before anything runs or is written: a grid that is wrong anywhere fails whole, with
every problem listed. All chunks of all points go through one `execute` call, so the worker pool starts once
and stays busy across points.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from iadsim import __version__
from iadsim.engine.simulate import track_capacity
from iadsim.errors import Problem, ScenarioError
from iadsim.montecarlo.runner import (
    BACKENDS,
    DEFAULT_CHUNK,
    TRACK_SLOTS_PER_CHUNK,
    ChunkJob,
    execute,
    stored_summary,
)
from iadsim.montecarlo.summary import json_safe
from iadsim.scenario import compile_scenario
from iadsim.scenario.loader import parse_scenario, read_scenario_text
from iadsim.scenario.paths import describe, get_values, parse_path, with_values
from iadsim.store import RunRecord, Store

MAX_VALUES = 200  # per path: more points than a plot can show, or a sweep can finish in reasonable time
MAX_PATHS = 2  # a curve or a heat map; a third dimension has no plot


@dataclass(frozen=True)
class SweepPoint:
    """One grid point: the values set, its stored run and statistics, and what the defence had."""

    settings: dict[str, float]  # path -> value as applied (integer fields rounded)
    run_id: str
    seed: int
    summary: dict  # as `montecarlo.summary.summarize`
    threats_mean: float  # threats per replication (the raid size, when the sweep varies it)
    missiles_available: int  # all fire units: ready at t = 0 plus reloads
    missiles_ready: int  # all fire units: on the launchers at t = 0 (reloads arrive only after reload_time_s)
    fire_channels: int  # all fire units: simultaneous engagements


@dataclass(frozen=True)
class SweepResult:
    scenario: str
    paths: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]  # per path, the grid values as applied
    replications: int  # per point
    points: tuple[SweepPoint, ...]  # row-major: the last path varies fastest
    store: Path
    elapsed_s: float

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.values)

    @property
    def seed(self) -> int | None:
        """The seed all points share (None only if the sweep varied the seed itself)."""
        seeds = {p.seed for p in self.points}
        return seeds.pop() if len(seeds) == 1 else None

    def to_json(self) -> dict:
        """The whole result as JSON-ready values (NaN → null)."""
        return json_safe({
            "scenario": self.scenario, "paths": list(self.paths), "values": [list(v) for v in self.values],
            "replications": self.replications, "seed": self.seed, "store": str(self.store),
            "elapsed_s": self.elapsed_s,
            "points": [{"settings": p.settings, "run_id": p.run_id, "seed": p.seed, "threats_mean": p.threats_mean,
                        "missiles_available": p.missiles_available, "missiles_ready": p.missiles_ready,
                        "fire_channels": p.fire_channels,
                        "summary": p.summary} for p in self.points],
        })


def parse_vary(text: str) -> tuple[str, list[float]]:
    """`PATH=VALUES` → (path, values). VALUES is a comma list (`2,4,8`) or an inclusive range `start:stop[:step]`
    (`1:12`, `0.5:2:0.5`; step 1 by default). ValueError says what is wrong."""
    path, equals, values_text = text.rpartition("=")  # ids may not hold '=' in practice; values never do
    path, values_text = path.strip(), values_text.strip()
    if not equals or not path:
        raise ValueError(f"{text!r} is not PATH=VALUES (e.g. 'aircraft[*].releases[0].count=1:12')")
    parse_path(path)  # syntax only; whether the path names a field is checked against the scenario
    if not values_text:
        raise ValueError(f"{path}: no values after '='")
    values = _range(path, values_text) if ":" in values_text else _list(path, values_text)
    if len(values) > MAX_VALUES:
        raise ValueError(f"{path}: {len(values)} values; a sweep takes at most {MAX_VALUES} per path")
    return path, values


def _number(path: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path}: {text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{path}: {text.strip()!r} is not a finite number")
    return value


def _list(path: str, text: str) -> list[float]:
    parts = text.split(",")
    if any(not p.strip() for p in parts):
        raise ValueError(f"{path}: empty item in the list {text!r}")
    values = [_number(path, p) for p in parts]
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{path}: {', '.join(f'{v:g}' for v in repeated)} listed more than once")
    return values


def _range(path: str, text: str) -> list[float]:
    parts = text.split(":")
    if len(parts) not in (2, 3) or any(not p.strip() for p in parts):
        raise ValueError(f"{path}: range {text!r} is not start:stop or start:stop:step")
    start, stop = _number(path, parts[0]), _number(path, parts[1])
    step = _number(path, parts[2]) if len(parts) == 3 else 1.0
    if step <= 0:
        raise ValueError(f"{path}: range step must be positive, got {step:g}")
    if stop < start:
        raise ValueError(f"{path}: range stop {stop:g} is below start {start:g}")
    count = math.floor((stop - start) / step * (1 + 1e-12) + 1e-9) + 1  # inclusive; 0.1-steps land on stop
    if count > MAX_VALUES:
        raise ValueError(f"{path}: range {text!r} has {count} values; a sweep takes at most {MAX_VALUES} per path")
    return [round(start + i * step, 12) for i in range(count)]  # 0.1 + 2*0.1 shown as 0.3, not 0.30000000000000004


def check_grid(vary: list[tuple[str, list[float]]]) -> None:
    """The shape of a grid, before any scenario is read: one or two distinct paths, each with values."""
    if not vary:
        raise ValueError("a sweep needs at least one PATH=VALUES to vary")
    if len(vary) > MAX_PATHS:
        raise ValueError(f"a sweep varies at most {MAX_PATHS} paths ({len(vary)} given): its plots are a curve "
                         "or a heat map, and stop at two dimensions")
    paths = [path for path, _ in vary]
    if len(set(paths)) != len(paths):
        raise ValueError(f"a path is varied twice: {', '.join(paths)}")
    for path, values in vary:
        if not values:
            raise ValueError(f"{path}: no values to sweep")


def sweep(scenario: str | Path, vary: list[tuple[str, list[float]]], n: int, seed: int | None = None,
          workers: int = 1, *, store: str | Path, chunk_size: int | None = None, backend: str = "local",
          address: str | None = None, progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Run n replications of `scenario` at every point of the grid `vary` (one or two (path, values)), each point
    stored as a run in `store`. All points share `seed` (default: the scenario's). Raises ValueError for a bad
    grid shape and ScenarioError, listing every point's problems, before anything runs."""
    started = time.perf_counter()
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if n < 1:
        raise ValueError("n must be at least 1")
    check_grid(vary)
    paths = [path for path, _ in vary]
    text, source = read_scenario_text(scenario)
    base = parse_scenario(text, source)
    grid = _prepare(base, source, vary, seed)  # validates every point; nothing written yet
    values = tuple(tuple(dict.fromkeys(g["settings"][p] for g in grid)) for p in paths)
    size = chunk_size or _chunk_size(n, len(grid), workers, max(g["capacity"] for g in grid))

    catalog = Store(store)
    records: list[RunRecord] = []
    for g in grid:
        records.append(catalog.create_run(f"{base.name} [{describe(g['settings'])}]", g["text"], g["seed"], n, size, __version__))
    # the biggest raids first: the longest chunks start early and the pool does not idle at the end
    order = sorted(range(len(grid)), key=lambda i: -grid[i]["threats"])
    jobs = [ChunkJob((i, c), grid[i]["text"], grid[i]["source"], records[i].seed, *records[i].span(c))
            for i in order for c in range(records[i].n_chunks)]
    total, finished = n * len(grid), 0
    remaining = [r.n_chunks for r in records]
    if progress:
        progress(0, total)
    for (i, c), tables in execute(jobs, workers, backend, address):
        catalog.publish_chunk(records[i].run_id, c, tables)
        finished += records[i].span(c)[1]
        remaining[i] -= 1
        if remaining[i] == 0:
            catalog.finish(records[i].run_id)
        if progress:
            progress(finished, total)

    points = tuple(SweepPoint(g["settings"], r.run_id, r.seed, stored_summary(catalog, r.run_id),
                              _threats_mean(catalog, r.run_id), g["missiles"], g["ready"], g["channels"])
                   for g, r in zip(grid, records))
    return SweepResult(base.name, tuple(paths), values, n, points, catalog.path, time.perf_counter() - started)


def _prepare(base, source: str, vary: list[tuple[str, list[float]]], seed: int | None) -> list[dict]:
    """Every grid point's scenario, compiled (so every check the engine makes has run), or one ScenarioError
    with the problems of all points. Two requested values that round to the same integer are a problem too:
    the points would be the same run twice."""
    problems: list[Problem] = []
    grid = []
    applied: dict[tuple[str, float], float] = {}
    for combination in itertools.product(*(values for _, values in vary)):
        requested = {path: value for (path, _), value in zip(vary, combination)}
        shown = describe(requested)
        try:
            scenario, text = with_values(base, requested, source)
            world = compile_scenario(scenario, f"{source} with {shown}")
        except ScenarioError as err:
            # the point's text is one line of JSON: a line number would mislead; a bad path fails every point alike
            problems.extend(p for p in (dataclasses.replace(p, line=None) for p in err.problems) if p not in problems)
            continue
        data = scenario.model_dump(mode="json")
        settings = {path: float(get_values(data, path)[0]) for path in requested}
        for path, value in requested.items():
            first = applied.setdefault((path, settings[path]), value)
            problem = Problem(f"values {first:g} and {value:g} both set this integer field to {settings[path]:g}: "
                              "the points would repeat", (path,), source)
            if first != value and problem not in problems:
                problems.append(problem)
        units = world.fire_units
        grid.append({
            "settings": settings, "text": text, "source": f"{source} with {shown}",
            "seed": world.seed if seed is None else int(seed),
            "threats": len(world.raid.weapons), "capacity": track_capacity(world),
            "ready": int(units.ready_missiles.sum()),
            "missiles": int(units.ready_missiles.sum() + units.reloads.sum()),
            "channels": int(units.fire_channels.sum()),
        })
    if problems:
        raise ScenarioError(problems)
    return grid


def _chunk_size(n: int, points: int, workers: int, capacity: int) -> int:
    """As `monte_carlo`, but counting the jobs of all points: big chunks run fastest (the engine is batched),
    and about four jobs per worker keep the pool balanced; a chunk's track table stays bounded."""
    return max(1, min(n, DEFAULT_CHUNK, TRACK_SLOTS_PER_CHUNK // capacity, math.ceil(n * points / (4 * workers))))


def _threats_mean(catalog: Store, run_id: str) -> float:
    with duckdb.connect() as connection:
        files = catalog.chunk_files(run_id, "replications")
        return float(connection.execute(f"SELECT avg(threats) FROM read_parquet({files!r})").fetchone()[0])
