"""Honest uncertainty for Monte Carlo results and for public claims ("4 of 4 intercepted").

Binomial proportions (a kill probability, a leaker probability, a public success rate):
``clopper_pearson`` (exact, never under-covers), ``wilson`` (score interval, coverage close to nominal on
average), ``proportion`` (either, as a ``Proportion``), ``pooled`` (several claims of the same thing) and
``exact_coverage`` (what a method really delivers for a given p and n).
Means of per-replication quantities: ``mean_interval`` (Student t) and ``bootstrap_mean`` (percentile bootstrap).
Planning: ``replications_needed`` and ``convergence``. Count outcomes (number intercepted per replication):
``distribution_of_counts``. Equations, choices and sources: docs/models/statistics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

PROPORTION_METHODS = ("wilson", "clopper-pearson")
_BOOTSTRAP_CHUNK_ELEMENTS = 1 << 22  # resample in blocks of at most 4 M indices (32 MB)

__all__ = [
    "CountDistribution",
    "Convergence",
    "MeanInterval",
    "Proportion",
    "bootstrap_mean",
    "clopper_pearson",
    "convergence",
    "distribution_of_counts",
    "exact_coverage",
    "mean_interval",
    "pooled",
    "proportion",
    "replications_needed",
    "wilson",
]


# ---------------------------------------------------------------- argument checks (user-facing)
def _check_confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return float(confidence)


def _z(confidence: float) -> float:
    """Two-sided standard-normal quantile z_{1-α/2}, α = 1 - confidence (1.959964 at 95 %)."""
    return float(stats.norm.isf((1.0 - confidence) / 2.0))


def _integer_array(values: ArrayLike, name: str) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must be integer counts, got {values!r}")
    if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must be whole numbers, got {values!r}")
    return array.astype(np.int64)


def _check_counts(k: ArrayLike, n: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    k_arr, n_arr = np.broadcast_arrays(_integer_array(k, "k (successes)"), _integer_array(n, "n (trials)"))
    if np.any(n_arr < 1):
        raise ValueError(f"n (trials) must be at least 1: an interval needs data, got n={n!r}")
    if np.any((k_arr < 0) | (k_arr > n_arr)):
        raise ValueError(f"k (successes) must satisfy 0 <= k <= n, got k={k!r}, n={n!r}")
    return k_arr, n_arr


def _as_output(low: NDArray, high: NDArray, scalar: bool) -> tuple:
    return (float(low), float(high)) if scalar else (low, high)


# ---------------------------------------------------------------- binomial intervals
def clopper_pearson(k: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> tuple:
    """Exact (Clopper–Pearson) interval for a binomial proportion, k successes in n trials.

    Clopper & Pearson (1934), Biometrika 26(4); in beta-quantile form as in Brown, Cai & DasGupta (2001),
    Statistical Science 16(2), §4.2.1: ``low = B(α/2; k, n-k+1)``, ``high = B(1-α/2; k+1, n-k)``, with
    ``low = 0`` when k = 0 and ``high = 1`` when k = n. Coverage is at least ``confidence`` for every p
    (it inverts two one-sided binomial tests), at the price of being conservative (wide).
    Vectorised over k and n (broadcast); returns floats for scalar input, arrays otherwise.
    """
    alpha = 1.0 - _check_confidence(confidence)
    k_arr, n_arr = _check_counts(k, n)
    # Beta shape parameters must be > 0; the k = 0 and k = n ends are fixed afterwards.
    low = stats.beta.ppf(alpha / 2.0, np.maximum(k_arr, 1), n_arr - k_arr + 1)
    high = stats.beta.ppf(1.0 - alpha / 2.0, k_arr + 1, np.maximum(n_arr - k_arr, 1))
    low = np.where(k_arr == 0, 0.0, low)
    high = np.where(k_arr == n_arr, 1.0, high)
    return _as_output(low, high, np.ndim(k) == 0 and np.ndim(n) == 0)


def wilson(k: ArrayLike, n: ArrayLike, confidence: float = 0.95) -> tuple:
    """Wilson score interval for a binomial proportion, k successes in n trials.

    Wilson (1927), JASA 22(158); Brown, Cai & DasGupta (2001) eq. (4):
    ``centre = (k + z²/2) / (n + z²)``, ``half = z √n / (n + z²) · √(p̂ q̂ + z²/(4n))``, p̂ = k/n.
    It inverts the score test, so it never leaves [0, 1]; its coverage oscillates around the nominal
    level (sometimes a little below). Vectorised as ``clopper_pearson``.
    """
    z = _z(_check_confidence(confidence))
    k_arr, n_arr = _check_counts(k, n)
    k_f, n_f = k_arr.astype(float), n_arr.astype(float)
    p_hat = k_f / n_f
    centre = (k_f + z * z / 2.0) / (n_f + z * z)
    half = z * np.sqrt(n_f) / (n_f + z * z) * np.sqrt(p_hat * (1.0 - p_hat) + z * z / (4.0 * n_f))
    # At k = 0 and k = n the ends are exactly 0 and 1; set them so rounding cannot move them.
    low = np.where(k_arr == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k_arr == n_arr, 1.0, np.clip(centre + half, 0.0, 1.0))
    return _as_output(low, high, np.ndim(k) == 0 and np.ndim(n) == 0)


_INTERVALS = {"wilson": wilson, "clopper-pearson": clopper_pearson}


def _interval_function(method: str):
    if method not in _INTERVALS:
        raise ValueError(f"method must be one of {', '.join(PROPORTION_METHODS)}, got {method!r}")
    return _INTERVALS[method]


@dataclass(frozen=True)
class Proportion:
    """k successes in n trials: the estimate k/n and its two-sided interval [low, high] at ``confidence``."""

    k: int
    n: int
    estimate: float
    low: float
    high: float
    method: str
    confidence: float = 0.95

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2.0


def proportion(k: int, n: int, confidence: float = 0.95, method: str = "wilson") -> Proportion:
    """A ``Proportion`` for k of n, with a Wilson (default) or Clopper–Pearson interval (see those)."""
    interval = _interval_function(method)
    if np.ndim(k) != 0 or np.ndim(n) != 0:
        raise ValueError("proportion takes one k and one n; use wilson/clopper_pearson for arrays")
    low, high = interval(k, n, confidence)
    return Proportion(int(k), int(n), int(k) / int(n), low, high, method, float(confidence))


def pooled(claims: Iterable[tuple[int, int]], confidence: float = 0.95) -> Proportion:
    """Pool several (k, n) claims of the same event into Σk / Σn with a Clopper–Pearson interval.

    Valid only if every claim measures the same underlying probability with independent trials
    (pooling a binomial sample: Σk ~ Binomial(Σn, p)); the exact interval is used because public
    claims are usually few trials. Source: as ``clopper_pearson``.
    """
    pairs = [tuple(claim) for claim in claims]
    if not pairs or any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"claims must be a non-empty list of (k, n) pairs, got {pairs!r}")
    k_arr, n_arr = _check_counts([p[0] for p in pairs], [p[1] for p in pairs])
    return proportion(int(k_arr.sum()), int(n_arr.sum()), confidence, method="clopper-pearson")


def exact_coverage(p: float, n: int, confidence: float = 0.95, method: str = "wilson") -> float:
    """Exact coverage of an interval method at true probability p and n trials.

    ``C(p, n) = Σ_k 1[low_k ≤ p ≤ high_k] · C(n, k) p^k (1-p)^(n-k)`` — Brown, Cai & DasGupta (2001), §2.
    """
    interval = _interval_function(method)
    if not 0.0 <= float(p) <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p!r}")
    successes = np.arange(int(_check_counts(0, n)[1]) + 1)
    low, high = interval(successes, n, confidence)
    covered = (low <= p) & (p <= high)
    return float(np.sum(stats.binom.pmf(successes, n, p)[covered]))


# ---------------------------------------------------------------- means of per-replication values
@dataclass(frozen=True)
class MeanInterval:
    """Mean of n values and its two-sided interval at ``confidence``; ``note`` explains any nan."""

    estimate: float
    low: float
    high: float
    n: int
    method: str
    confidence: float = 0.95
    note: str = ""


def _check_values(values: ArrayLike) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"values must be one-dimensional (one value per replication), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("values must be finite numbers (drop or account for nan/inf replications first)")
    return array


def _too_few(values: NDArray, method: str, confidence: float) -> MeanInterval | None:
    if values.size == 0:
        return MeanInterval(math.nan, math.nan, math.nan, 0, method, confidence, "no values: no estimate")
    if values.size == 1:
        note = "one value: its spread is unknown, so no interval can be given"
        return MeanInterval(float(values[0]), math.nan, math.nan, 1, method, confidence, note)
    return None


def mean_interval(values: ArrayLike, confidence: float = 0.95) -> MeanInterval:
    """Student-t interval for a mean: ``x̄ ± t_{n-1, 1-α/2} · s / √n`` (s with n - 1 in the denominator).

    Law, *Simulation Modeling and Analysis* (5th ed., 2015), §4.5 and §9.4.1 (fixed-sample-size
    procedure for terminating simulations). Exact for normal data, asymptotically right otherwise.
    n = 0 gives nan everywhere and n = 1 a nan interval, with the reason in ``note``.
    """
    confidence = _check_confidence(confidence)
    array = _check_values(values)
    too_few = _too_few(array, "student-t", confidence)
    if too_few is not None:
        return too_few
    n = array.size
    mean = float(array.mean())
    half = float(stats.t.isf((1.0 - confidence) / 2.0, n - 1) * array.std(ddof=1) / math.sqrt(n))
    return MeanInterval(mean, mean - half, mean + half, n, "student-t", confidence)


def bootstrap_mean(
    values: ArrayLike,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    rng: np.random.Generator | int | None = None,
) -> MeanInterval:
    """Percentile-bootstrap interval for a mean: the α/2 and 1-α/2 quantiles of the means of
    ``n_resamples`` resamples drawn with replacement (Efron & Tibshirani, *An Introduction to the
    Bootstrap*, 1993, ch. 13, the percentile interval). Makes no normality assumption but is known
    to be somewhat narrow for small n (ibid., ch. 14). ``rng``: a Generator or a seed; pass one for
    reproducible figures. n = 0 and n = 1 as in ``mean_interval``.
    """
    confidence = _check_confidence(confidence)
    array = _check_values(values)
    if isinstance(n_resamples, bool) or int(n_resamples) != n_resamples or n_resamples < 10:
        raise ValueError(f"n_resamples must be an integer >= 10, got {n_resamples!r}")
    too_few = _too_few(array, "bootstrap-percentile", confidence)
    if too_few is not None:
        return too_few
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    n, n_resamples = array.size, int(n_resamples)
    rows_per_chunk = max(1, _BOOTSTRAP_CHUNK_ELEMENTS // n)
    resample_means = np.empty(n_resamples)
    for start in range(0, n_resamples, rows_per_chunk):
        stop = min(start + rows_per_chunk, n_resamples)
        indices = generator.integers(0, n, size=(stop - start, n))
        resample_means[start:stop] = array[indices].mean(axis=1)
    alpha = 1.0 - confidence
    low, high = np.quantile(resample_means, [alpha / 2.0, 1.0 - alpha / 2.0])
    return MeanInterval(float(array.mean()), float(low), float(high), n, "bootstrap-percentile", confidence)


# ---------------------------------------------------------------- planning the number of replications
def _ceil_count(x: NDArray) -> NDArray[np.int64]:
    # Round up, but do not let a floating-point hair above an integer add a whole replication.
    return np.ceil(np.asarray(x) * (1.0 - 1e-12)).astype(np.int64)


def replications_needed(p: ArrayLike | None, half_width: ArrayLike, confidence: float = 0.95):
    """Replications for a normal/Wilson half-width h around a proportion p: ``n = ⌈z² p (1 - p) / h²⌉``.

    The large-sample sample-size formula (e.g. Law 2015, §9.4.1; Brown, Cai & DasGupta 2001, §4).
    ``p=None`` means unknown and uses the conservative p = 0.5 (the largest p(1 - p)). p must lie
    strictly inside (0, 1): at 0 or 1 the formula gives 0, which is never the answer — use
    ``convergence`` once results exist. Vectorised over p and half_width.
    """
    z = _z(_check_confidence(confidence))
    p_arr = np.asarray(0.5 if p is None else p, dtype=float)
    h_arr = np.asarray(half_width, dtype=float)
    if np.any(~((p_arr > 0.0) & (p_arr < 1.0))):
        raise ValueError(f"p must lie strictly between 0 and 1 (or be None for the conservative 0.5), got {p!r}")
    if np.any(~((h_arr > 0.0) & (h_arr <= 0.5))):
        raise ValueError(f"half_width must lie in (0, 0.5] (a probability), got {half_width!r}")
    needed = _ceil_count(z * z * p_arr * (1.0 - p_arr) / (h_arr * h_arr))
    return int(needed) if needed.ndim == 0 else needed


@dataclass(frozen=True)
class Convergence:
    """Is the Wilson interval of k of n as tight as asked? ``replications_needed`` is the projected total
    (at the current estimate) that would make it so; ``additional_replications`` is 0 once converged."""

    k: int
    n: int
    estimate: float
    half_width: float
    target_half_width: float
    converged: bool
    replications_needed: int
    additional_replications: int
    confidence: float = 0.95


def convergence(k: int, n: int, target_half_width: float, confidence: float = 0.95) -> Convergence:
    """Compare the Wilson half-width of k of n with ``target_half_width`` and project the total n needed.

    The projection keeps p̂ = k/n and solves the Wilson half-width (Brown, Cai & DasGupta 2001, eq. 4)
    ``h = z √(N p̂ q̂ + z²/4) / (N + z²)`` for N: with u = N + z²,
    ``h² u² - z² p̂q̂ u - z⁴ (1/4 - p̂q̂) = 0``, take the positive root. The half-width falls
    monotonically with N, so N is the smallest sufficient total. Unlike ``replications_needed`` this
    stays meaningful at k = 0 or k = n (N = z²/(2h) - z²). A sequential stop rule built on this
    (Law 2015, §9.4.1) is slightly optimistic; leave margin.
    """
    confidence = _check_confidence(confidence)
    if isinstance(target_half_width, bool) or not 0.0 < float(target_half_width) <= 0.5:
        raise ValueError(f"target_half_width must lie in (0, 0.5], got {target_half_width!r}")
    current = proportion(k, n, confidence, method="wilson")
    h, z2 = float(target_half_width), _z(confidence) ** 2
    pq = current.estimate * (1.0 - current.estimate)
    u = (z2 * pq + math.sqrt((z2 * pq) ** 2 + 4.0 * h * h * z2 * z2 * (0.25 - pq))) / (2.0 * h * h)
    total = max(1, int(_ceil_count(u - z2)))
    converged = current.half_width <= h
    if not converged:  # guard against rounding putting the projection at or below the current n
        total = max(total, current.n + 1)
    additional = 0 if converged else total - current.n
    return Convergence(current.k, current.n, current.estimate, current.half_width, h, converged, total,
                       additional, confidence)


# ---------------------------------------------------------------- count outcomes
@dataclass(frozen=True, eq=False)
class CountDistribution:
    """Distribution of a per-replication count over ``values`` = 0..max_count, from n replications.

    ``probability[x]`` estimates P(count = x) and ``at_least[x]`` estimates P(count ≥ x), each with
    its interval. P(count ≥ 0) = 1 by definition, so its interval is [1, 1].
    """

    values: NDArray[np.int64]
    n: int
    probability: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    at_least: NDArray[np.float64]
    at_least_low: NDArray[np.float64]
    at_least_high: NDArray[np.float64]
    counts_at_least: NDArray[np.int64] = field(repr=False)
    method: str = "wilson"
    confidence: float = 0.95

    def probability_at_least(self, x: int) -> Proportion:
        """P(count ≥ x) as a ``Proportion`` — e.g. the chance of a result at least as good as claimed."""
        if isinstance(x, bool) or int(x) != x or not 0 <= x <= self.values[-1]:
            raise ValueError(f"x must be an integer in 0..{int(self.values[-1])}, got {x!r}")
        x = int(x)
        return Proportion(int(self.counts_at_least[x]), self.n, float(self.at_least[x]),
                          float(self.at_least_low[x]), float(self.at_least_high[x]), self.method, self.confidence)


def distribution_of_counts(
    counts: ArrayLike, max_count: int, confidence: float = 0.95, method: str = "wilson"
) -> CountDistribution:
    """Empirical distribution of per-replication counts (e.g. threats intercepted out of max_count).

    Each P(count = x) and P(count ≥ x) is a proportion of the n replications, with a Wilson interval
    (default; Brown, Cai & DasGupta 2001 eq. 4) or Clopper–Pearson. The intervals are pointwise (each
    holds at ``confidence`` on its own, not jointly).
    """
    interval = _interval_function(method)
    confidence = _check_confidence(confidence)
    if isinstance(max_count, bool) or int(max_count) != max_count or max_count < 0:
        raise ValueError(f"max_count must be an integer >= 0, got {max_count!r}")
    max_count = int(max_count)
    count_array = _integer_array(counts, "counts")
    if count_array.ndim != 1 or count_array.size == 0:
        raise ValueError("counts must be a non-empty one-dimensional array (one count per replication)")
    if np.any((count_array < 0) | (count_array > max_count)):
        raise ValueError(f"every count must lie in 0..{max_count}, got values from "
                         f"{int(count_array.min())} to {int(count_array.max())}")
    n = count_array.size
    exactly = np.bincount(count_array, minlength=max_count + 1)
    at_least = np.cumsum(exactly[::-1])[::-1]  # at_least[x] = Σ_{y ≥ x} exactly[y]
    low, high = interval(exactly, n, confidence)
    at_least_low, at_least_high = interval(at_least, n, confidence)
    at_least_low[0] = at_least_high[0] = 1.0  # certain, not estimated
    arrays = [np.arange(max_count + 1), exactly / n, low, high, at_least / n, at_least_low, at_least_high, at_least]
    for array in arrays:
        array.setflags(write=False)
    values, probability, low, high, p_at_least, at_least_low, at_least_high, at_least = arrays
    return CountDistribution(values, n, probability, low, high, p_at_least, at_least_low, at_least_high,
                             at_least, method, confidence)
