"""The statistics of a Monte Carlo run, computed by DuckDB aggregates over its per-replication tables.

Aggregates, not arrays: a million-replication run is summarised without loading it (memory stays bounded).
Inputs are two relations DuckDB can read — the run's `fates` (one row per replication and threat, schema
`engine.outcome.FATES_SCHEMA`) and `replications` (one row per replication, `montecarlo.runner.REPLICATIONS`):
Parquet globs of a stored run, or Arrow tables in memory.

Intervals (95 % unless asked):
- proportions (P(intercepted) per threat, P(all intercepted), P(any leak), each count of the distribution):
  Wilson, and Clopper–Pearson for the all-or-nothing ones (`iadsim.montecarlo.stats`);
- means (threats intercepted, leakers, time of first leak): Student t on the sample variance;
- interceptors expended per kill, the ratio ΣF/ΣK of two per-replication totals: the ratio estimator's
  large-sample interval, Var(R̂) ≈ Σ(F_i − R̂K_i)² / ((n−1)·n·K̄²) (Cochran, *Sampling Techniques*, 3rd ed.,
  §6.4), from sums of F², K², FK;
- convergence: replications the Wilson half-width of P(all intercepted) needs to reach the target.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
from scipy import stats as scipy_stats

from iadsim.montecarlo.stats import clopper_pearson, convergence, wilson


def summarize(connection: duckdb.DuckDBPyConnection, fates: str, replications: str, *, confidence: float = 0.95,
              target_half_width: float = 0.01) -> dict:
    """The whole result as plain JSON-ready values. `fates` and `replications` are SQL relations (a table or
    view name, or `read_parquet('...')`)."""
    overall = connection.execute(f"""
        SELECT count(*), sum(all_intercepted::INT), sum((leaked > 0)::INT),
               avg(intercepted), var_samp(intercepted), avg(leaked), var_samp(leaked), max(threats),
               sum(interceptors_fired), sum(intercepted), sum(interceptors_fired * interceptors_fired),
               sum(intercepted * intercepted), sum(interceptors_fired * intercepted),
               count(first_leak_s), avg(first_leak_s), var_samp(first_leak_s)
        FROM {replications}""").fetchone()
    (n, all_k, any_leak_k, mean_intercepted, var_intercepted, mean_leaked, var_leaked, n_threats,
     sum_f, sum_k, sum_ff, sum_kk, sum_fk, n_leak, mean_leak_s, var_leak_s) = overall
    if not n:
        raise ValueError("the run has no replications yet")
    n_threats = int(n_threats or 0)
    per_threat = connection.execute(f"""
        SELECT threat, any_value(name), any_value(target), count(*), sum((fate = 'intercepted')::INT),
               sum((fate = 'leaked')::INT), sum((engagement = 'not detected')::INT), avg(interceptors_fired)
        FROM {fates} GROUP BY threat ORDER BY threat""").fetchall()
    means = connection.execute(f"""
        SELECT {", ".join(f"avg({c}), var_samp({c})" for c in _MEANS)} FROM {replications}""").fetchone()
    distribution = dict(connection.execute(
        f"SELECT intercepted, count(*) FROM {replications} GROUP BY intercepted ORDER BY intercepted").fetchall())
    return {
        "replications": int(n),
        "threats": n_threats,
        "confidence": confidence,
        "per_threat": [_threat_row(row, confidence) for row in per_threat],
        "all_intercepted": _proportion(all_k, n, confidence, exact=True),
        "any_leak": _proportion(any_leak_k, n, confidence, exact=True),
        "intercepted_mean": _mean(mean_intercepted, var_intercepted, n, confidence, bounds=(0, n_threats)),
        "leakers_mean": _mean(mean_leaked, var_leaked, n, confidence, bounds=(0, n_threats)),
        "intercepted_distribution": [
            {"intercepted": x, **_proportion(distribution.get(x, 0), n, confidence)} for x in range(n_threats + 1)],
        **{f"{c}_mean": _mean(means[2 * i], means[2 * i + 1], n, confidence,
                               bounds=(0, math.inf if c == "interceptors_fired" else n_threats))
           for i, c in enumerate(_MEANS)},
        "interceptors_per_kill": _ratio(sum_f, sum_k, sum_ff, sum_kk, sum_fk, n, confidence),
        "first_leak_s": _mean(mean_leak_s, var_leak_s, n_leak, confidence) if n_leak else None,
        "convergence": _convergence(all_k, n, target_half_width, confidence),
    }


# further per-replication counts summarised as means: interceptors fired, and threats counted four ways
_MEANS = ("interceptors_fired", "engaged", "within_lethal_radius", "held_no_channel", "held_no_missile")


def _threat_row(row, confidence: float) -> dict:
    threat, name, target, n, intercepted, leaked, undetected, fired = row
    return {"threat": int(threat), "name": name, "target": target, "replications": int(n),
            "intercepted": _proportion(intercepted, n, confidence), "leaked": _proportion(leaked, n, confidence),
            "not_detected": _proportion(undetected, n, confidence), "interceptors_fired_mean": float(fired)}


def _proportion(k, n, confidence: float, exact: bool = False) -> dict:
    k, n = int(k or 0), int(n)
    low, high = (clopper_pearson if exact else wilson)(k, n, confidence)
    return {"k": k, "n": n, "estimate": k / n, "low": float(low), "high": float(high),
            "method": "clopper-pearson" if exact else "wilson"}


def _mean(mean, variance, n, confidence: float, bounds: tuple[float, float] = (-math.inf, math.inf)) -> dict:
    """Student-t interval of a mean, clipped to the quantity's possible range."""
    n = int(n)
    mean = float(mean)
    if n < 2 or variance is None:
        return {"n": n, "mean": mean, "low": math.nan if n < 2 else mean, "high": math.nan if n < 2 else mean}
    half = scipy_stats.t.ppf(0.5 + confidence / 2.0, n - 1) * math.sqrt(float(variance) / n)
    return {"n": n, "mean": mean, "low": float(max(mean - half, bounds[0])), "high": float(min(mean + half, bounds[1]))}


def _ratio(sum_f, sum_k, sum_ff, sum_kk, sum_fk, n, confidence: float) -> dict | None:
    """Interceptors per kill R̂ = ΣF/ΣK with Cochran's ratio-estimator interval (module docstring)."""
    if not sum_k:
        return None
    n = int(n)
    ratio = float(sum_f) / float(sum_k)
    if n < 2:
        return {"estimate": ratio, "low": math.nan, "high": math.nan}
    squares = float(sum_ff) - 2.0 * ratio * float(sum_fk) + ratio * ratio * float(sum_kk)  # Σ(F − R̂K)²
    mean_k = float(sum_k) / n
    half = scipy_stats.norm.ppf(0.5 + confidence / 2.0) * math.sqrt(max(squares, 0.0) / ((n - 1) * n)) / mean_k
    return {"estimate": ratio, "low": float(ratio - half), "high": float(ratio + half)}


def _convergence(k, n, target_half_width: float, confidence: float) -> dict:
    result = convergence(int(k), int(n), target_half_width, confidence)
    return {"quantity": "P(all intercepted)", "half_width": float(result.half_width),
            "target_half_width": target_half_width, "converged": bool(result.converged),
            "replications_needed": int(result.replications_needed),
            "additional_replications": int(result.additional_replications)}


def json_safe(value):
    """NaN → None, numpy scalars → Python, recursively (JSON has no NaN)."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
