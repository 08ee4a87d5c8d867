"""One replication of a scenario through the whole engine: cold (numba compiling or loading its cache) and warm.

The peer is the same engine running that replication inside a batch of 64: the ratio of the two per-replication
times shows what the replication axis buys (per-cycle Python work shared by the batch).

    python benchmarks/single_run.py [SCENARIO] [--repeats 5] [--batch 64]

Prints figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import time

from iadsim.engine.simulate import simulate
from iadsim.scenario import load_world


def _seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="homs-2021")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()

    cold = _seconds(lambda: simulate(args.scenario, seed=1))
    world = load_world(args.scenario)
    single = [_seconds(lambda: simulate(world, seed=1)) for _ in range(args.repeats)]
    batched = _seconds(lambda: simulate(world, seed=1, replications=args.batch, record=False)) / args.batch
    warm = statistics.median(single)
    print(f"scenario {args.scenario}: {world.raid.n_entities} raid entities, cycle {world.cycle_s} s")
    print(f"  first run in this process (numba cache load or compile, scenario load): {cold:7.2f} s")
    print(f"  one replication, warm, with event log (median of {args.repeats}):     {warm:7.3f} s")
    print(f"  per replication in a batch of {args.batch} (no event log):               {batched:7.3f} s")
    print(f"  batch speed-up per replication: {warm / batched:.1f}x")


if __name__ == "__main__":
    main()
