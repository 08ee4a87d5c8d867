"""Track-quality metrics: GOSPA, OSPA, position RMSE, track continuity and time to confirmation (NumPy/SciPy).

- GOSPA (Rahmathullah, García-Fernández & Svensson 2017, "Generalized optimal sub-pattern assignment metric",
  FUSION 2017): for |X| ≤ |Y|,
  ``d = (min_π Σ_i d_c(x_i, y_π(i))^p + c^p/α · (|Y| - |X|))^(1/p)`` with ``d_c = min(d, c)``. With α = 2 it
  equals ``(min_γ Σ_(i,j)∈γ d^p + c^p/2 · (#missed + #false))^(1/p)`` over partial assignments γ, which splits it
  into localisation, missed-target and false-track parts.
- OSPA (Schuhmacher, Vo & Vo 2008, IEEE Trans. Signal Processing 56(8)): for m = |X| ≤ n = |Y|,
  ``d = ((min_π Σ_i d_c(x_i, y_π(i))^p + c^p (n - m)) / n)^(1/p)``; 0 when both sets are empty.
- Continuity, from which truth's measurement updated which track (``AssociationLog``), per target: a change of
  the confirmed track holding it is an identity swap when the new track had been updated by another target
  before, else a track break. One physical swap between two targets counts once for each of them.
- Time to confirmation: from the target's first detection (or a given first-detectable time) to the first of its
  measurements that updates a confirmed track.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from iadsim.tracking.management import predict_kinematics
from iadsim.tracking.table import MeasurementBatch, ScanAssociation, TrackTable

__all__ = [
    "AssociationLog",
    "ContinuityCounts",
    "GospaResult",
    "gospa",
    "ospa",
    "position_rmse",
    "table_gospa",
    "time_to_confirmation",
    "track_continuity",
]


@dataclass(frozen=True)
class GospaResult:
    """GOSPA distance and (for α = 2) its parts, each in units of distance^p: total^p = sum of the parts."""

    distance: float
    localisation: float  # Σ d^p over assigned pairs
    missed: float  # c^p/2 · number of missed truths
    false: float  # c^p/2 · number of false estimates
    n_assigned: int


def _as_point_sets(estimates, truths) -> tuple[np.ndarray, np.ndarray]:
    """Both as (n, d) float arrays; an empty set takes the other's dimension."""
    estimates, truths = np.asarray(estimates, dtype=float), np.asarray(truths, dtype=float)
    dimension = estimates.shape[-1] if estimates.size else (truths.shape[-1] if truths.size else 3)
    return estimates.reshape(-1, dimension), truths.reshape(-1, dimension)


def _clipped_cost(estimates: np.ndarray, truths: np.ndarray, c: float, p: float) -> np.ndarray:
    return np.minimum(cdist(estimates, truths), c) ** p


def gospa(estimates, truths, c: float, p: float = 2.0, alpha: float = 2.0) -> GospaResult:
    """GOSPA between estimated positions (n, d) and true positions (k, d)."""
    estimates, truths = _as_point_sets(estimates, truths)
    if not (c > 0 and p >= 1 and 0 < alpha <= 2):
        raise ValueError(f"need c > 0, p ≥ 1, 0 < α ≤ 2; got c={c}, p={p}, α={alpha}")
    n_est, n_truth = len(estimates), len(truths)
    if n_est == 0 or n_truth == 0:
        total = c**p / alpha * (n_est + n_truth)
        return GospaResult(total ** (1 / p), 0.0, c**p / alpha * n_truth, c**p / alpha * n_est, 0)
    cost = _clipped_cost(estimates, truths, c, p)
    rows, cols = linear_sum_assignment(cost)
    total = cost[rows, cols].sum() + c**p / alpha * abs(n_est - n_truth)
    assigned = cost[rows, cols] < c**p  # pairs at distance ≥ c count as one missed + one false (α = 2)
    n_assigned = int(assigned.sum())
    half = c**p / 2.0
    return GospaResult(
        distance=float(total ** (1 / p)),
        localisation=float(cost[rows, cols][assigned].sum()),
        missed=half * (n_truth - n_assigned),
        false=half * (n_est - n_assigned),
        n_assigned=n_assigned,
    )


def ospa(estimates, truths, c: float, p: float = 2.0) -> float:
    """OSPA between estimated positions (n, d) and true positions (k, d)."""
    estimates, truths = _as_point_sets(estimates, truths)
    n_est, n_truth = len(estimates), len(truths)
    larger = max(n_est, n_truth)
    if larger == 0:
        return 0.0
    if min(n_est, n_truth) == 0:
        return float(c)
    cost = _clipped_cost(estimates, truths, c, p)
    rows, cols = linear_sum_assignment(cost)
    return float(((cost[rows, cols].sum() + c**p * (larger - min(n_est, n_truth))) / larger) ** (1 / p))


def position_rmse(estimates, truths) -> float:
    """sqrt(mean over points of |estimate - truth|²), for matched (…, 3) arrays."""
    error = np.asarray(estimates, dtype=float) - np.asarray(truths, dtype=float)
    return float(np.sqrt(np.mean(np.sum(error**2, axis=-1))))


def table_gospa(table: TrackTable, truth_positions: np.ndarray, t_s: float, c: float, p: float = 2.0,
                truth_valid: np.ndarray | None = None) -> list[GospaResult]:
    """GOSPA (α = 2) per replication between confirmed tracks predicted to ``t_s`` and truths (R, N, 3) at ``t_s``."""
    position, _ = predict_kinematics(table, t_s)
    results = []
    for r in range(table.n_replications):
        truths = truth_positions[r] if truth_valid is None else truth_positions[r][truth_valid[r]]
        results.append(gospa(position[r, table.confirmed[r]], truths, c, p))
    return results


@dataclass
class AssociationLog:
    """Every valid measurement of every scan: time, truth id (-1 false alarm), track id, confirmed after update."""

    n_replications: int
    _chunks: list[tuple[np.ndarray, ...]] = field(default_factory=list)

    def add(self, meas: MeasurementBatch, association: ScanAssociation) -> None:
        if meas.truth_id is None:
            raise ValueError("the measurement batch carries no truth_id")
        self._chunks.append((meas.valid, meas.t_s, meas.truth_id, association.track_id, association.confirmed))

    def replication(self, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(t_s, truth_id, track_id, confirmed) of replication r, in time order."""
        columns = [[], [], [], []]
        for valid, *values in self._chunks:
            for column, value in zip(columns, values):
                column.append(value[r][valid[r]])
        t_s, truth_id, track_id, confirmed = (np.concatenate(c) if c else np.zeros(0) for c in columns)
        order = np.argsort(t_s, kind="stable")
        return t_s[order], truth_id[order].astype(np.int64), track_id[order].astype(np.int64), confirmed[order].astype(bool)


@dataclass(frozen=True)
class ContinuityCounts:
    track_breaks: int  # a target's confirmed track changed to a track no other target had updated
    identity_swaps: int  # … changed to a track another target had updated before
    false_alarm_updates: int  # false alarms that updated a confirmed track


def track_continuity(log: AssociationLog, r: int) -> ContinuityCounts:
    """Track breaks and identity swaps of replication r (module doc for the definitions)."""
    _, truth_id, track_id, confirmed = log.replication(r)
    holding: dict[int, int] = {}  # truth → confirmed track currently holding it
    seen_by_track: dict[int, set[int]] = {}  # track → truths whose measurements updated it so far
    breaks = swaps = false_updates = 0
    for truth, track, is_confirmed in zip(truth_id, track_id, confirmed):
        if track < 0:
            continue
        if truth < 0:
            false_updates += int(is_confirmed)
            continue
        if is_confirmed:
            previous = holding.get(truth)
            if previous is not None and previous != track:
                if seen_by_track.get(track, set()) - {truth}:
                    swaps += 1
                else:
                    breaks += 1
            holding[truth] = track
        seen_by_track.setdefault(track, set()).add(truth)
    return ContinuityCounts(track_breaks=breaks, identity_swaps=swaps, false_alarm_updates=false_updates)


def time_to_confirmation(log: AssociationLog, r: int, n_targets: int, first_detectable_s=None) -> np.ndarray:
    """(n_targets,) seconds from first detection (or ``first_detectable_s``) to a confirmed track; NaN if never."""
    t_s, truth_id, _, confirmed = log.replication(r)
    delay = np.full(n_targets, np.nan)
    for target in range(n_targets):
        mine = truth_id == target
        if not mine.any():
            continue
        start = t_s[mine][0] if first_detectable_s is None else first_detectable_s[target]
        held = mine & confirmed
        if held.any():
            delay[target] = t_s[held][0] - start
    return delay
