"""Gating and global-nearest-neighbour (GNN) association of one replication's tracks and measurements.

Gating (the χ² validation gate; Bar-Shalom & Fortmann 1988, *Tracking and Data Association*): a pair is
allowed when the Mahalanobis distance² of the polar innovation, ``d² = νᵀ S⁻¹ ν``, is at most ``γ`` (the χ²₃
quantile of the gate probability). The track is predicted to each measurement's own time with the IMM mixture's
exact first two moments (``iadsim.tracking.imm``).

A cheap Cartesian pre-gate skips most far pairs before the EKF statistics: in Cartesian coordinates
``S_cart ≈ P_pp + J R Jᵀ`` whose largest eigenvalue is at most ``tr(P_pp) + max(σ_r², (rσ_az)², (rσ_el)²)``, and
``d² ≥ |Δ|² / λ_max``. Pairs with ``|Δ|² > 4 γ λ_bound`` are dropped (the factor 4 covers linearisation error).

GNN (Blackman & Popoli 1999, *Design and Analysis of Modern Tracking Systems*): each track takes at most
one measurement and vice versa, minimising the summed cost, where leaving a track without a measurement costs the
gate value. This is a rectangular assignment of the tracks against [measurements | one private "missed" column per
track] (``iadsim.tracking.assignment``), the formulation Stone Soup's ``GNNWith2DAssignment`` uses.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from iadsim.tracking.assignment import solve_assignment
from iadsim.tracking.config import COST_MAHALANOBIS
from iadsim.tracking.filters import cv_process_noise_blocks, innovation_statistics, predicted_position_covariance
from iadsim.tracking.imm import effective_noise_intensity

PREGATE_FACTOR = 4.0

__all__ = ["associate_stage", "pair_cost"]


@njit(cache=True)
def pair_cost(
    state,
    covariance,
    mode_probability,
    track_time_s,
    measurement,
    measurement_time_s,
    sigmas,
    radar_position_m,
    transition_reference,
    transition_interval_s,
    mode_noise_intensity,
    noise_model,
    gate_threshold,
    cost_code,
):
    """Assignment cost of one track–measurement pair from the EKF innovation statistics, or +inf when gated out."""
    dt_s = measurement_time_s - track_time_s
    intensity = effective_noise_intensity(
        mode_probability, dt_s, transition_reference, transition_interval_s, mode_noise_intensity
    )
    q_pp, _, _ = cv_process_noise_blocks(dt_s, intensity, noise_model)
    predicted_position = np.empty(3)
    for i in range(3):
        predicted_position[i] = state[i] + dt_s * state[i + 3]
    position_covariance = np.empty((3, 3))
    predicted_position_covariance(covariance, dt_s, q_pp, position_covariance)
    mahalanobis_sq, _ = innovation_statistics(predicted_position, position_covariance, measurement, sigmas, radar_position_m)
    if not mahalanobis_sq <= gate_threshold:
        return np.inf
    if cost_code == COST_MAHALANOBIS:
        return math.sqrt(mahalanobis_sq)
    return mahalanobis_sq


@njit(cache=True)
def associate_stage(
    r,
    track_slots,
    measurement_local,
    state,
    covariance,
    mode_probability,
    track_time_s,
    polar,
    measurement_enu,
    measurement_time_s,
    sigmas,
    radar_position_m,
    transition_reference,
    transition_interval_s,
    mode_noise_intensity,
    noise_model,
    gate_threshold,
    cost_code,
):
    """GNN between the given track slots and measurements (indices into replication ``r``'s arrays).

    ``measurement_local[b]`` is the measurement's column in ``polar[r]``; ``measurement_enu[b]`` its converted
    position. Returns, for each track in ``track_slots``, the index b into ``measurement_local`` it takes, or -1.
    """
    n_tracks = track_slots.shape[0]
    n_measurements = measurement_local.shape[0]
    taken = np.full(n_tracks, -1, dtype=np.int64)
    if n_tracks == 0 or n_measurements == 0:
        return taken
    missed_cost = math.sqrt(gate_threshold) if cost_code == COST_MAHALANOBIS else gate_threshold
    max_noise_intensity = mode_noise_intensity.max()
    # Per-track and per-measurement terms of the pre-gate, so the pair loop is plain arithmetic.
    track_kinematics = np.empty((n_tracks, 10))  # position, velocity, time, Σ P_pp,ii, Σ (P_pv,ii + P_vp,ii), Σ P_vv,ii
    for a in range(n_tracks):
        slot = track_slots[a]
        track_kinematics[a, :6] = state[r, slot]
        track_kinematics[a, 6] = track_time_s[r, slot]
        track_kinematics[a, 7:] = 0.0
        for i in range(3):
            track_kinematics[a, 7] += covariance[r, slot, i, i]
            track_kinematics[a, 8] += covariance[r, slot, i, i + 3] + covariance[r, slot, i + 3, i]
            track_kinematics[a, 9] += covariance[r, slot, i + 3, i + 3]
    noise_bound = np.empty(n_measurements)
    for b in range(n_measurements):
        m = measurement_local[b]
        range_m = polar[r, m, 0]
        noise_bound[b] = max(sigmas[0] ** 2, (range_m * sigmas[1]) ** 2, (range_m * sigmas[2]) ** 2)
    cost = np.full((n_tracks, n_measurements + n_tracks), np.inf)
    any_gated = False
    for a in range(n_tracks):
        slot = track_slots[a]
        cost[a, n_measurements + a] = missed_cost
        for b in range(n_measurements):
            m = measurement_local[b]
            dt_s = measurement_time_s[r, m] - track_kinematics[a, 6]
            distance_sq = 0.0
            for i in range(3):
                delta = track_kinematics[a, i] + dt_s * track_kinematics[a, i + 3] - measurement_enu[b, i]
                distance_sq += delta * delta
            q_bound, _, _ = cv_process_noise_blocks(dt_s, max_noise_intensity, noise_model)
            trace = track_kinematics[a, 7] + dt_s * track_kinematics[a, 8] + dt_s * dt_s * track_kinematics[a, 9]
            if distance_sq > PREGATE_FACTOR * gate_threshold * (trace + 3.0 * q_bound + noise_bound[b]):
                continue
            value = pair_cost(
                state[r, slot],
                covariance[r, slot],
                mode_probability[r, slot],
                track_time_s[r, slot],
                polar[r, m],
                measurement_time_s[r, m],
                sigmas,
                radar_position_m,
                transition_reference,
                transition_interval_s,
                mode_noise_intensity,
                noise_model,
                gate_threshold,
                cost_code,
            )
            if value < np.inf:
                cost[a, b] = value
                any_gated = True
    if not any_gated:
        return taken
    col_for_row, _ = solve_assignment(cost)  # always feasible: every track has its missed column
    for a in range(n_tracks):
        if col_for_row[a] < n_measurements:
            taken[a] = col_for_row[a]
    return taken
