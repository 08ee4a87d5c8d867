"""Monte Carlo throughput: replications per second on all cores, beside the bare interceptor-flyout kernel, and
how one replication's cost grows with the size of the raid.

    python benchmarks/mc_throughput.py [--replications 6144] [--workers 2] [--sizes 10 100 1000] [--stream 2048]
                                       [--repeats 3]

1. homs-2021 and a 100-threat raid against three batteries: `monte_carlo` on `--workers` processes after a
   warm-up (numba's cache warm), in replications per second.
2. The peer: the flyout kernel alone (`interceptor.fly`, the engine's own step rule) flying homs-2021's
   interceptor against 2,000 approaching cruise missiles from launch to closest approach, in interceptor-steps
   per second on all cores. The engine's integration steps per replication (`shots.integration_steps`) divide it
   into the most replications per second the flyout alone allows; the engine's share of that is about the share
   of its time spent flying interceptors (the rest is radar, tracker and fire control).
3. One replication of raids of 10, 100 and 1,000 threats, as Monte Carlo runs it (no event log): the median of
   `--repeats` timings in seconds, and the growth exponent between sizes.
4. Memory while streaming `--stream` replications of homs-2021 to a store (chunks of 64): resident memory of
   the main process and its workers as the run proceeds, and its growth per 1,000 replications (bounded memory:
   about zero, so a 1,000,000-replication run needs what this one needs).

Prints figures only; nothing asserts a time.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from iadsim.engine.simulate import simulate
from iadsim.interceptor import TargetTruth, fly, launch
from iadsim.montecarlo.runner import DEFAULT_CHUNK, monte_carlo
from iadsim.scenario import world_from_text
from iadsim.scenario.loader import read_scenario_text

HOMS = yaml.safe_load(read_scenario_text("homs-2021")[0])


def raid_scenario(n_threats: int, n_batteries: int = 3) -> dict:
    """homs-2021 scaled: `n_batteries` copies of its battery and radar around al-Qusayr, and waves of F-16s each
    releasing four missiles, until there are `n_threats` missiles."""
    data = copy.deepcopy(HOMS)
    data["name"] = f"raid-{n_threats}"
    data.pop("uncertain", None)  # its paths name homs-2021's radar and battery, which are replaced here
    radar, unit = HOMS["radars"][0], HOMS["fire_units"][0]
    data["radars"], data["fire_units"] = [], []
    for b in range(n_batteries):
        offset = {"lat_deg": radar["position"]["lat_deg"] + 0.08 * (b - 1),
                  "lon_deg": radar["position"]["lon_deg"] - 0.05 * abs(b - 1), "alt_m": 500}
        data["radars"].append({**radar, "id": f"radar-{b}", "position": offset})
        data["fire_units"].append({**unit, "id": f"battery-{b}", "position": offset, "radars": [f"radar-{b}"]})
    template = HOMS["aircraft"][0]
    n_aircraft = math.ceil(n_threats / 4)
    data["aircraft"] = []
    for a in range(n_aircraft):
        shift = 0.02 * (a % 10) - 0.1
        route = [{**p, "lat_deg": p["lat_deg"] + shift} for p in template["route"]]
        release = {**template["releases"][0], "count": min(4, n_threats - 4 * a),
                   "target": HOMS["assets"][a % len(HOMS["assets"])]["id"]}
        data["aircraft"].append({**template, "id": f"jet-{a}", "start_time_s": 15.0 * (a // 10), "route": route,
                                 "releases": [release]})
    data["sim"] = {**data["sim"], "duration_s": 900 + 15.0 * (n_aircraft // 10)}
    return data


def _world(data: dict):
    return world_from_text(yaml.safe_dump(data), data["name"])


def _rate(scenario: str, n: int, workers: int) -> tuple[float, float]:
    """(replications per second, flyout integration steps per replication) of a warm Monte Carlo run."""
    monte_carlo(scenario, min(n, 2 * workers), seed=1, workers=1, chunk_size=1)  # warm numba's cache
    start = time.perf_counter()
    # chunks as large as a long run's (the engine is batched: replications per second grow with the chunk)
    monte_carlo(scenario, n, seed=1, workers=workers, chunk_size=min(DEFAULT_CHUNK, math.ceil(n / (2 * workers))))
    rate = n / (time.perf_counter() - start)
    sample = min(n, 64)
    shots = simulate(scenario, seed=1, replications=sample, record=False).shots
    return rate, float(np.sum(shots["integration_steps"])) / sample


def _kernel_steps_per_second(world) -> float:
    """The flyout kernel alone: homs-2021's interceptor, launched at each of 2,000 cruise missiles approaching
    from 12–30 km at 150 m and 250 m/s, flown in the engine's cycles (its step rule, seeker noise and all) until
    closest approach. Interceptor-steps per second, counted by the kernel."""
    count, cycle_s = 2000, world.cycle_s
    draw = np.random.default_rng(5)
    bearing, distance_m = draw.uniform(0.0, 2.0 * np.pi, count), draw.uniform(12_000.0, 30_000.0, count)
    toward = np.stack([np.cos(bearing), np.sin(bearing), np.zeros(count)], 1)
    start_m = distance_m[:, None] * toward + [0.0, 0.0, 150.0]
    target_velocity = -250.0 * toward
    seeds = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(7919)

    def flight() -> tuple[int, float]:
        rail = np.tile([0.0, 0.0, 3.0], (count, 1))
        state = launch(world.interceptors, 0, rail, 30.0 * toward + [0.0, 0.0, 15.0], 0.0, noise_seed=seeds)
        began, t = time.perf_counter(), 0.0
        while state.active.any() and t < 60.0:
            targets = TargetTruth(start_m + target_velocity * t, target_velocity, np.zeros((count, 3)))
            fly(state, world.interceptors, targets, t, t + cycle_s, world.flyout_step_s,
                midcourse_step_s=world.flyout_midcourse_step_s)
            t += cycle_s
        return int(state.steps.sum()), time.perf_counter() - began

    flight()  # warm
    steps, seconds = flight()
    return steps / seconds


def _resident_mb() -> float:
    """Resident memory of this process and its children (Linux /proc), MB."""
    me = os.getpid()
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if pid == me or int(fields[1]) == me:  # fields[1]: parent pid
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # fields[21]: rss in pages
    return total / 1e6


def _stream(n: int, workers: int) -> None:
    samples: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory(prefix="iadsim-stream-") as folder:
        start = time.perf_counter()
        monte_carlo("homs-2021", n, seed=1, workers=workers, chunk_size=64, store=Path(folder) / "runs.duckdb",
                    progress=lambda done, total: samples.append((done, _resident_mb())))
        seconds = time.perf_counter() - start
    done, rss = np.array(samples[1:]).T  # the first call comes before any chunk
    late = done >= n / 2  # after the pool and the caches settled
    slope = np.polyfit(done[late], rss[late], 1)[0] * 1000 if late.sum() >= 2 else math.nan
    at = {f: rss[np.searchsorted(done, f * n)] for f in (0.1, 0.5, 1.0)}
    print(f"streaming {n:,} replications to a store ({seconds:.0f} s, {workers} workers): resident memory "
          + " / ".join(f"{v:,.0f}" for v in at.values()) + " MB at 10 / 50 / 100 %; "
          f"growth {slope:+.2f} MB per 1,000 replications over the second half")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=6144)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--stream", type=int, default=2048, help="replications streamed for the memory figure")
    parser.add_argument("--repeats", type=int, default=3, help="timings per raid size (the median is printed)")
    args = parser.parse_args()

    homs = _world(HOMS)
    kernel = _kernel_steps_per_second(homs)
    print(f"flyout kernel alone: {kernel / 1e6:.2f} M interceptor-steps/s (homing with seeker noise, all cores)")

    big = raid_scenario(100)
    path = "/tmp/iadsim-raid-100.yaml"
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(big, handle)
    for label, scenario, n in (("homs-2021", "homs-2021", args.replications),
                               ("100 threats, 3 batteries", path, max(4, args.replications // 64))):
        rate, steps = _rate(scenario, n, args.workers)
        ceiling = kernel / steps if steps else math.inf
        print(f"{label}: {rate:,.1f} replications/s on {args.workers} workers ({n} replications); "
              f"{steps:,.0f} flyout integration steps per replication -> the flyout alone allows "
              f"{ceiling:,.0f}/s; engine at {100 * rate / ceiling:.0f}% of that")

    previous = None
    for size in args.sizes:
        world = _world(raid_scenario(size))
        simulate(world, seed=1, record=False)  # warm
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            simulate(world, seed=1, record=False)
            times.append(time.perf_counter() - start)
        seconds = float(np.median(times))
        growth = "" if previous is None else \
            f"  (grows as N^{math.log(seconds / previous[1]) / math.log(size / previous[0]):.2f})"
        print(f"one replication, {size:>5} threats: {seconds:8.2f} s (median of {args.repeats}; "
              f"{min(times):.2f}-{max(times):.2f}){growth}")
        previous = (size, seconds)

    if args.stream:
        _stream(args.stream, args.workers)


if __name__ == "__main__":
    main()
