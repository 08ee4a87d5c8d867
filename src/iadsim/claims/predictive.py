"""The model's predictive distribution: Monte Carlo over the scenario with its uncertain parameters drawn from
their priors.

Draw g takes one parameter vector θ_g from the priors and runs replications [g·B, (g+1)·B) of the run seeded with
`seed`: every replication has its own random stream (iadsim.rng), the draws are reproducible for any worker count,
and a scenario without uncertain parameters gives exactly the replications of `iadsim mc` with the same seed.
The result is a reference table (θ_g, outcomes of its B replications), the input of approximate Bayesian
computation (Beaumont, Zhang & Balding, "Approximate Bayesian computation in population genetics", Genetics 162,
2002) in `claims.posterior`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from iadsim.claims.priors import check_reach, draw
from iadsim.montecarlo.runner import ChunkJob, execute
from iadsim.scenario.paths import with_values

# per-replication counts kept from each draw (montecarlo.runner.REPLICATIONS), and the one derived here
COUNTS = ("threats", "intercepted", "within_lethal_radius", "engaged", "leaked", "missed_target", "interceptors_fired")


@dataclass(frozen=True)
class ReferenceTable:
    """θ (G, P) drawn from the priors of `parameters`, and each count (G, B) over the B replications of a draw."""

    parameters: list[str]
    theta: np.ndarray
    counts: dict[str, np.ndarray]
    seed: int

    @property
    def draws(self) -> int:
        return self.theta.shape[0]

    @property
    def per_draw(self) -> int:
        return self.counts["threats"].shape[1]

    def count(self, name: str) -> np.ndarray:
        """A count (G, B); `impacts` is weapons that reached the ground, on target or not."""
        if name == "impacts":
            return self.counts["leaked"] + self.counts["missed_target"]
        return self.counts[name]


def reference_table(text: str, source: str, replications: int, per_draw: int, seed: int, workers: int = 1,
                    progress: Callable[[int, int], None] | None = None) -> ReferenceTable:
    """About `replications` replications in draws of `per_draw` (one draw in all if nothing is uncertain)."""
    scenario = check_reach(text, source)
    if not scenario.uncertain:
        per_draw = replications
    draws = max(1, math.ceil(replications / per_draw))
    theta = draw(scenario, draws, seed)
    paths = [p.path for p in scenario.uncertain]
    jobs = []
    for g in range(draws):
        varied = with_values(scenario, dict(zip(paths, theta[g])), source)[1] if paths else text
        jobs.append(ChunkJob(g, varied, source, seed, g * per_draw, per_draw))
    counts = {name: np.zeros((draws, per_draw), dtype=np.int64) for name in COUNTS}
    done = 0
    for g, tables in execute(jobs, workers):
        rows = tables["replications"]
        for name in COUNTS:
            counts[name][g] = np.asarray(rows[name])
        done += per_draw
        if progress:
            progress(done, draws * per_draw)
    return ReferenceTable(paths, theta, counts, seed)
