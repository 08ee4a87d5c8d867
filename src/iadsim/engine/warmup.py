"""Compile every numba kernel of the engine into numba's on-disk cache (`python -m iadsim.engine.warmup`).

numba compiles a kernel on its first call and caches the machine code beside the source (`cache=True`); on a
fresh checkout that first call costs about 100 s for the whole engine, paid by whatever runs first — and by every
worker process of a Monte Carlo at once. `make` runs this once after installing, so that later commands (a claim
check, a Monte Carlo run) start in seconds. One replication takes the serial paths, two the parallel ones.
"""

from __future__ import annotations

import time


def warm_up() -> float:
    """Run homs-2021 once alone and once as a batch of two; returns the seconds it took."""
    from iadsim.engine.simulate import simulate
    from iadsim.scenario import load_world

    start = time.perf_counter()
    world = load_world("homs-2021")
    simulate(world, seed=0, replications=1, record=True)
    simulate(world, seed=0, replications=2, record=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    print(f"iadsim: numba kernels compiled and cached ({warm_up():.0f} s)")
