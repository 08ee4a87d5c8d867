"""Kill probability from miss distance, and the kill draw.

Two damage functions of the miss distance r (closest approach, dynamics.py):
  cookie-cutter   P_k(r) = pk_max  if r ≤ R_L, else 0
  Gaussian        P_k(r) = pk_max · exp(−r² / (2σ²)),  σ = R_L / √2  ⇒  P_k(r) = pk_max · exp(−r² / R_L²)
The Gaussian is the circular Carleton damage function (Driels, *Weaponeering: Conventional Weapon System
Effectiveness*, 2nd ed., AIAA 2013: the Carleton damage function and the lethal area it implies; Ball,
*The Fundamentals of Aircraft Combat Survivability Analysis and Design*, 2nd ed., AIAA 2003: the P_K|d
function, kill given a proximity-fuzed detonation at miss distance d). σ is tied to the lethal radius by equal lethal area:
∫ exp(−r²/2σ²) 2πr dr = 2πσ² = π R_L² (the cookie-cutter of radius R_L removes the same expected number of
uniformly spread targets), hence σ = R_L/√2 and P_k(R_L) = pk_max·e⁻¹.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from iadsim.interceptor.params import COOKIE_CUTTER, GAUSSIAN, InterceptorParams
from iadsim.interceptor.state import CLOSEST_APPROACH, InterceptorState


def kill_probability(miss_m, lethal_radius_m, pk_max, pk_model) -> np.ndarray:
    """P_k for each miss distance (m); arguments broadcast; pk_model is COOKIE_CUTTER or GAUSSIAN."""
    miss = np.asarray(miss_m, dtype=np.float64)
    radius = np.asarray(lethal_radius_m, dtype=np.float64)
    pk_max = np.asarray(pk_max, dtype=np.float64)
    model = np.asarray(pk_model)
    if np.any((model != COOKIE_CUTTER) & (model != GAUSSIAN)):
        raise ValueError("pk_model must be COOKIE_CUTTER (0) or GAUSSIAN (1)")
    cookie = np.where(miss <= radius, pk_max, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        gaussian = pk_max * np.exp(-np.square(miss / radius))  # σ = R_L/√2 (equal lethal area)
    gaussian = np.where(np.isfinite(miss), gaussian, 0.0)
    return np.where(model == COOKIE_CUTTER, cookie, gaussian)


def state_kill_probability(state: InterceptorState, params: InterceptorParams) -> np.ndarray:
    """P_k of each interceptor row: from its miss distance once at CLOSEST_APPROACH, else 0."""
    kind = state.type_index
    pk = kill_probability(
        state.miss_distance_m, params.lethal_radius_m[kind], params.pk_max[kind], params.pk_model[kind]
    )
    return np.where(state.status == CLOSEST_APPROACH, pk, 0.0)


def draw_kill(rng: np.random.Generator, pk) -> np.ndarray:
    """Bernoulli(pk) per element with the replication's generator (one uniform per element, in order)."""
    pk = np.asarray(pk, dtype=np.float64)
    return rng.random(pk.shape) < pk


def draw_kill_by_replication(rngs: Sequence[np.random.Generator] | Mapping[int, np.random.Generator], replication, pk) -> np.ndarray:
    """Batched `draw_kill`: rows of replication r use rngs[r], in row order, so a replication's draws do not
    depend on which other replications share the batch."""
    replication = np.asarray(replication)
    pk = np.asarray(pk, dtype=np.float64)
    killed = np.zeros(pk.shape, dtype=bool)
    for r in np.unique(replication):
        rows = np.flatnonzero(replication == r)
        killed[rows] = draw_kill(rngs[r], pk[rows])
    return killed
