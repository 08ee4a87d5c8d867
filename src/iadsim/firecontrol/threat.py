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

import numpy as np

THREAT_CORRIDOR_M = 3000.0  # miss distance of the extrapolated ground track still counted as aimed at the asset
URGENCY_TIME_S = 60.0  # τ: a threat 60 s out counts half as much as one arriving now
MIN_THREAT_SPEED_MPS = 50.0


def evaluate_threats(position_m, velocity_mps, usable, asset_m, asset_value, asset_radius_m,
                     corridor_m: float = THREAT_CORRIDOR_M):
    """Threat value (R, T), the threatened asset (R, T; -1 none) and time to go (R, T; inf none).

    position_m, velocity_mps: (R, T, 3) track estimates at the evaluation time; usable: (R, T) bool.
    """
    d = position_m[:, :, None, :2] - asset_m[None, None, :, :2]  # (R, T, A, 2) asset → track, horizontal
    v = velocity_mps[:, :, None, :2]
    speed2 = np.sum(v * v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_cpa = -np.sum(d * v, axis=-1) / speed2  # time of closest approach of the ground track
    miss = np.linalg.norm(d + v * np.nan_to_num(t_cpa)[..., None], axis=-1)
    aimed = (t_cpa > 0) & (miss <= asset_radius_m + corridor_m)
    moving = np.sqrt(np.sum(velocity_mps[..., :2] ** 2, axis=-1)) >= MIN_THREAT_SPEED_MPS
    aimed &= (usable & moving)[:, :, None]
    value = np.where(aimed, asset_value / (1.0 + t_cpa / URGENCY_TIME_S), 0.0)
    best = np.argmax(value, axis=-1)
    score = np.take_along_axis(value, best[..., None], axis=-1)[..., 0]
    time_to_go = np.where(score > 0, np.take_along_axis(np.where(aimed, t_cpa, np.inf), best[..., None], -1)[..., 0], np.inf)
    return score, np.where(score > 0, best, -1), time_to_go
