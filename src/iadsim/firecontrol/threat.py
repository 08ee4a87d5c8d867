"""Threat evaluation: which tracks threaten a defended asset, how soon, and how much that matters.

A track threatens an asset when its constant-velocity extrapolation passes within the asset's radius plus a
corridor (the ground track's closest point of approach), ahead of it in time. Its threat value is the asset's
value weighted by urgency, value · 1/(1 + t_go/τ): nearer impacts rank higher, and among equal times the more
valuable asset wins. This is the "time to go and asset value" ranking of classical threat evaluation
(Roux & van Vuuren, "Threat evaluation and weapon assignment decision support: a review of the state of the
art", ORiON 23(2), 2007, §3: capability-and-intent parameters; we use closest-approach distance and time).
Tracks slower than a minimum speed (hovering clutter, false tracks) are not threats.
"""

from __future__ import annotations

import math

import numba
import numpy as np

THREAT_CORRIDOR_M = 3000.0  # miss distance of the extrapolated ground track still counted as aimed at the asset
URGENCY_TIME_S = 60.0  # τ: a threat 60 s out counts half as much as one arriving now
MIN_THREAT_SPEED_MPS = 50.0


def evaluate_threats(position_m, velocity_mps, usable, asset_m, asset_value, asset_radius_m,
                     corridor_m: float = THREAT_CORRIDOR_M):
    """Threat value (R, T), the threatened asset (R, T; -1 none) and time to go (R, T; inf none).

    position_m, velocity_mps: (R, T, 3) track estimates at the evaluation time; usable: (R, T) bool.
    """
    n_rep, n_tracks = usable.shape
    value = np.zeros((n_rep, n_tracks))
    asset = np.full((n_rep, n_tracks), -1, dtype=np.int64)
    time_to_go = np.full((n_rep, n_tracks), np.inf)
    _threat_kernel(np.ascontiguousarray(position_m, dtype=np.float64),
                   np.ascontiguousarray(velocity_mps, dtype=np.float64), np.ascontiguousarray(usable),
                   np.ascontiguousarray(asset_m, dtype=np.float64), np.asarray(asset_value, dtype=np.float64),
                   np.asarray(asset_radius_m, dtype=np.float64), float(corridor_m), value, asset, time_to_go)
    return value, asset, time_to_go


@numba.njit(cache=True, parallel=True)
def _threat_kernel(position_m, velocity_mps, usable, asset_m, asset_value, asset_radius_m, corridor_m,
                   value, asset, time_to_go):
    n_rep, n_tracks = usable.shape
    for r in numba.prange(n_rep):
        for t in range(n_tracks):
            if not usable[r, t]:
                continue
            vx, vy = velocity_mps[r, t, 0], velocity_mps[r, t, 1]
            speed2 = vx * vx + vy * vy
            if speed2 < MIN_THREAT_SPEED_MPS * MIN_THREAT_SPEED_MPS:
                continue
            for a in range(asset_m.shape[0]):
                dx, dy = position_m[r, t, 0] - asset_m[a, 0], position_m[r, t, 1] - asset_m[a, 1]
                t_cpa = -(dx * vx + dy * vy) / speed2  # time of closest approach of the ground track
                if t_cpa <= 0.0:
                    continue
                miss = math.hypot(dx + vx * t_cpa, dy + vy * t_cpa)
                if miss > asset_radius_m[a] + corridor_m:
                    continue
                score = asset_value[a] / (1.0 + t_cpa / URGENCY_TIME_S)
                if score > value[r, t]:
                    value[r, t], asset[r, t], time_to_go[r, t] = score, a, t_cpa
