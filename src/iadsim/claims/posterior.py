"""Posterior of the uncertain parameters given an observed count, by approximate Bayesian computation.

The observation is a count (threats intercepted, or weapons that reached the ground) — discrete, so ABC can ask
for an exact match and is then no longer approximate: rejection sampling with tolerance 0 on a discrete statistic
draws from the exact posterior (Beaumont, Zhang & Balding, Genetics 162, 2002; Sisson, Fan & Beaumont, *Handbook
of ABC*, 2018, ch. 1). With B replications per prior draw θ_g the weight

    w_g = (1/B) Σ_b 1[x_gb matches the observation]

is an unbiased estimate of the likelihood P(observation | θ_g), so the weighted draws are an importance sample
of the posterior (the prior is the proposal: Andrieu & Roberts, "The pseudo-marginal approach", Ann. Stat. 37,
2009). Its effective sample size (Kish) says how many independent draws it is worth.
"""

from __future__ import annotations

import numpy as np

RELATIONS = ("=", ">=", "<=")
QUANTILES = (0.025, 0.5, 0.975)


def likelihood(counts: np.ndarray, observed: int, relation: str = "=") -> np.ndarray:
    """w_g: the share of each draw's replications (G, B) whose count matches the observation."""
    if relation not in RELATIONS:
        raise ValueError(f"relation must be one of {RELATIONS}, got {relation!r}")
    match = {"=": counts == observed, ">=": counts >= observed, "<=": counts <= observed}[relation]
    return match.mean(axis=1)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, q) -> np.ndarray:
    """Quantiles of the weighted empirical distribution: the smallest value whose cumulative weight reaches q."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    index = np.searchsorted(cumulative, np.asarray(q) - 1e-12)
    return values[order][np.minimum(index, len(values) - 1)]


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)² / Σw² (Kish, *Survey Sampling*, 1965, §11.7)."""
    total = weights.sum()
    return float(total * total / np.square(weights).sum()) if total > 0 else 0.0


def posterior(theta: np.ndarray, weights: np.ndarray, parameters: list[str]) -> dict:
    """Prior and posterior summary of each parameter: mean and 2.5 / 50 / 97.5 % quantiles, with the ESS.
    When no draw reproduced the observation the posterior is None (the prior draws never produced it)."""
    uniform = np.ones(theta.shape[0])
    matched = int(np.count_nonzero(weights))
    result = {"draws": int(theta.shape[0]), "draws_matching": matched, "effective_sample_size": effective_sample_size(weights),
              "parameters": []}
    for p, path in enumerate(parameters):
        values = theta[:, p]
        row = {"path": path, "prior": _summary(values, uniform), "posterior": _summary(values, weights) if matched else None}
        result["parameters"].append(row)
    return result


def _summary(values: np.ndarray, weights: np.ndarray) -> dict:
    low, median, high = weighted_quantiles(values, weights, QUANTILES)
    return {"mean": float(np.average(values, weights=weights)), "low": float(low), "median": float(median),
            "high": float(high)}


def coverage(theta: np.ndarray, counts: np.ndarray, confidence: float = 0.95) -> np.ndarray:
    """Calibration of the whole procedure on its own reference table (simulation-based calibration: Talts,
    Betancourt, Simpson, Vehtari & Gelman, arXiv:1804.06788, 2018): each replication (g, b) in turn is the claim,
    its draw θ_g the truth, and the posterior comes from the other draws. Returns, per parameter, the share of
    those trials whose central `confidence` interval covered the truth — about `confidence` if the posterior is
    right."""
    tail = (1.0 - confidence) / 2.0
    covered = np.zeros(theta.shape[1])
    trials = 0
    for observed in np.unique(counts):
        matches = (counts == observed)
        weights = matches.mean(axis=1)
        for g in np.flatnonzero(weights):
            others = weights.copy()
            others[g] = 0.0
            if not others.any():
                continue
            bounds = np.array([weighted_quantiles(theta[:, p], others, (tail, 1.0 - tail)) for p in range(theta.shape[1])])
            inside = (bounds[:, 0] <= theta[g]) & (theta[g] <= bounds[:, 1])
            covered += inside * matches[g].sum()
            trials += int(matches[g].sum())
    return covered / max(trials, 1)
