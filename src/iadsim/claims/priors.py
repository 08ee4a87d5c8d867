"""The uncertain parameters of a scenario: their priors as distributions, draws from them, and a check that every
value a prior can reach is one the scenario accepts.

Parametrisations are scipy.stats' (Virtanen et al., "SciPy 1.0", Nature Methods 17, 2020): `uniform`, `loguniform`,
`triang`, `beta` on [low, high], and `truncnorm` for a normal truncated to [low, high].
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from iadsim.errors import Problem, ScenarioError
from iadsim.scenario import world_from_text
from iadsim.scenario.loader import parse_scenario_with_lines
from iadsim.scenario.paths import with_values
from iadsim.scenario.schema import Prior, Scenario

# The parameter draws come from SeedSequence(seed, spawn_key=PRIOR_KEY): a two-number key, so it can never equal
# a replication's one-number key (iadsim.rng.replication_keys) and the draws are independent of every replication.
PRIOR_KEY = (0x9A1, 0)
EDGE_QUANTILE = 1e-6  # where an unbounded prior's range is checked


def distribution(prior: Prior):
    """The prior as a frozen scipy.stats distribution."""
    low, high = prior.low, prior.high
    if prior.distribution == "uniform":
        return stats.uniform(loc=low, scale=high - low)
    if prior.distribution == "loguniform":
        return stats.loguniform(low, high)
    if prior.distribution == "triangular":
        return stats.triang((prior.mode - low) / (high - low), loc=low, scale=high - low)
    if prior.distribution == "beta":
        low, high = (0.0 if low is None else low), (1.0 if high is None else high)
        return stats.beta(prior.a, prior.b, loc=low, scale=high - low)
    low = -np.inf if low is None else (low - prior.mean) / prior.sd
    high = np.inf if high is None else (high - prior.mean) / prior.sd
    return stats.truncnorm(low, high, loc=prior.mean, scale=prior.sd)


def reach(prior: Prior) -> tuple[float, float]:
    """The smallest and largest values a draw can take (1e-6 quantiles for an unbounded normal)."""
    dist = distribution(prior)
    low, high = dist.support()
    return (float(low) if np.isfinite(low) else float(dist.ppf(EDGE_QUANTILE)),
            float(high) if np.isfinite(high) else float(dist.isf(EDGE_QUANTILE)))


def draw(scenario: Scenario, draws: int, seed: int) -> np.ndarray:
    """(draws, P) parameter values, one column per `scenario.uncertain` entry, reproducible from `seed`."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=PRIOR_KEY))
    return np.column_stack([distribution(p.prior).rvs(size=draws, random_state=rng) for p in scenario.uncertain]) \
        if scenario.uncertain else np.empty((draws, 0))


def check_reach(text: str, source: str) -> Scenario:
    """Validate and compile the scenario, and make sure each uncertain parameter at either end of its prior still
    gives a valid scenario; a prior that reaches a value the field refuses is reported at its line."""
    world_from_text(text, source)  # compile problems (a release off its route, ...) show before any run
    scenario, lines = parse_scenario_with_lines(text, source)
    problems = []
    for i, parameter in enumerate(scenario.uncertain):
        for value in reach(parameter.prior):
            try:
                with_values(scenario, {parameter.path: value}, source)
            except ScenarioError as err:
                reason = err.problems[0].reason
                where = ("uncertain", i, "prior")
                problems.append(Problem(f"the prior reaches {value:g}, which {parameter.path} cannot take: {reason}",
                                        where, source, lines.get(where)))
                break
    if problems:
        raise ScenarioError(problems)
    return scenario
