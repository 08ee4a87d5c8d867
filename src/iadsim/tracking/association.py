"""Gating and global-nearest-neighbour (GNN) association of one replication's tracks and measurements.

Gating (the χ² validation gate; Bar-Shalom & Fortmann 1988, *Tracking and Data Association*): a pair is
allowed when the Mahalanobis distance² of the polar innovation, ``d² = νᵀ S⁻¹ ν``, is at most ``γ`` (the χ²₃
quantile of the gate probability). The track is predicted to each measurement's own time with the IMM mixture's
exact first two moments (``iadsim.tracking.imm``).

A cheap Cartesian pre-gate skips most far pairs before the EKF statistics: in Cartesian coordinates
``S_cart ≈ F P Fᵀ|_pp + q I + J R Jᵀ`` (q: the per-axis position process noise at the largest mode intensity, an
upper bound of the mixture's) whose largest eigenvalue is at most ``tr(F P Fᵀ|_pp) + q + max(σ_r², (rσ_az)², (rσ_el)²)``
(λ_max(A + qI) = λ_max(A) + q ≤ tr A + q), and ``d² ≥ |Δ|² / λ_max``. Pairs with ``|Δ|² > 4 γ λ_bound`` are dropped
(the factor 4 covers linearisation error); the pairs left are tested again with the full matrix, ``Δᵀ M⁻¹ Δ`` for
``M = F P Fᵀ|_pp + (q + λ_R) I ≽ S_cart``. Measurements are sorted east to west, and each track visits only those
within the pre-gate's east-west reach over the scan's time span, so a large raid costs about N log N, not N².

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
from iadsim.tracking.filters import cv_process_noise_blocks, innovation_statistics_into, predicted_position_covariance
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
    work,
):
    """Assignment cost of one track–measurement pair from the EKF innovation statistics, or +inf when gated out.

    `work` is a (6, 3, 3) scratch array, so the pair loop allocates nothing."""
    dt_s = measurement_time_s - track_time_s
    intensity = effective_noise_intensity(
        mode_probability, dt_s, transition_reference, transition_interval_s, mode_noise_intensity
    )
    q_pp, _, _ = cv_process_noise_blocks(dt_s, intensity, noise_model)
    predicted_position, position_covariance = work[4, 0], work[5]
    for i in range(3):
        predicted_position[i] = state[i] + dt_s * state[i + 3]
    predicted_position_covariance(covariance, dt_s, q_pp, position_covariance)
    mahalanobis_sq, _ = innovation_statistics_into(predicted_position, position_covariance, measurement, sigmas,
                                                   radar_position_m, work)
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
    # Per-measurement terms of the pre-gate, and the measurements sorted east to west so each track visits only
    # those inside its pre-gate's east-west extent (a binary search, not a pass over every measurement).
    noise_bound = np.empty(n_measurements)
    first_time_s, last_time_s = np.inf, -np.inf
    for b in range(n_measurements):
        m = measurement_local[b]
        range_m = polar[r, m, 0]
        noise_bound[b] = max(sigmas[0] ** 2, (range_m * sigmas[1]) ** 2, (range_m * sigmas[2]) ** 2)
        first_time_s = min(first_time_s, measurement_time_s[r, m])
        last_time_s = max(last_time_s, measurement_time_s[r, m])
    by_east = np.argsort(measurement_enu[:, 0])
    sorted_enu = measurement_enu[by_east]
    sorted_time_s = np.empty(n_measurements)
    for k in range(n_measurements):
        sorted_time_s[k] = measurement_time_s[r, measurement_local[by_east[k]]]
    east_sorted = sorted_enu[:, 0].copy()
    max_noise_bound = noise_bound.max()
    # the gated pairs and their costs: a sparse cost matrix
    pair_track = np.empty(n_tracks + n_measurements, dtype=np.int64)
    pair_measurement = np.empty_like(pair_track)
    pair_cost_value = np.empty(pair_track.shape[0])
    n_pairs = 0
    work = np.empty((6, 3, 3))
    blocks = np.empty((3, 3, 3))  # P_pp, P_pv + P_vp, P_vv of one track
    for a in range(n_tracks):
        slot = track_slots[a]
        x, t_track, p = state[r, slot], track_time_s[r, slot], covariance[r, slot]
        traces = (p[0, 0] + p[1, 1] + p[2, 2], (p[0, 3] + p[3, 0]) + (p[1, 4] + p[4, 1]) + (p[2, 5] + p[5, 2]),
                  p[3, 3] + p[4, 4] + p[5, 5])
        blocks_filled = False  # filled for the first measurement that passes the isotropic pre-gate
        # The pre-gate's largest reach over this scan's measurement times: the trace is convex in dt and the noise
        # bound grows with |dt|, so both ends of the time span bound it (1 % margin against rounding).
        dt_first, dt_last = first_time_s - t_track, last_time_s - t_track
        widest = 0.0
        for dt_s in (dt_first, dt_last):
            q_bound, _, _ = cv_process_noise_blocks(dt_s, max_noise_intensity, noise_model)
            widest = max(widest, traces[0] + dt_s * traces[1] + dt_s * dt_s * traces[2] + q_bound)
        reach = 1.01 * math.sqrt(PREGATE_FACTOR * gate_threshold * (widest + max_noise_bound))
        east_first, east_last = x[0] + dt_first * x[3], x[0] + dt_last * x[3]
        north_first, north_last = x[1] + dt_first * x[4], x[1] + dt_last * x[4]
        north_low, north_high = min(north_first, north_last) - reach, max(north_first, north_last) + reach
        k = np.searchsorted(east_sorted, min(east_first, east_last) - reach)
        east_end = max(east_first, east_last) + reach
        while k < n_measurements and east_sorted[k] <= east_end:
            k += 1
            if not north_low <= sorted_enu[k - 1, 1] <= north_high:
                continue
            b = by_east[k - 1]
            dt_s = sorted_time_s[k - 1] - t_track
            predicted = (x[0] + dt_s * x[3], x[1] + dt_s * x[4], x[2] + dt_s * x[5])
            delta0 = predicted[0] - sorted_enu[k - 1, 0]
            delta1 = predicted[1] - sorted_enu[k - 1, 1]
            delta2 = predicted[2] - sorted_enu[k - 1, 2]
            q_bound, _, _ = cv_process_noise_blocks(dt_s, max_noise_intensity, noise_model)
            trace = traces[0] + dt_s * traces[1] + dt_s * dt_s * traces[2]
            isotropic = q_bound + noise_bound[b]
            if delta0 * delta0 + delta1 * delta1 + delta2 * delta2 > PREGATE_FACTOR * gate_threshold * (trace + isotropic):
                continue
            if not blocks_filled:
                for i in range(3):
                    for j in range(3):
                        blocks[0, i, j] = p[i, j]
                        blocks[1, i, j] = p[i, j + 3] + p[i + 3, j]
                        blocks[2, i, j] = p[i + 3, j + 3]
                blocks_filled = True
            if _cartesian_distance_sq(blocks, dt_s, isotropic, delta0, delta1, delta2) > PREGATE_FACTOR * gate_threshold:
                continue
            m = measurement_local[b]
            offset = (predicted[0] - radar_position_m[0], predicted[1] - radar_position_m[1],
                      predicted[2] - radar_position_m[2])
            if _range_distance_sq(blocks, dt_s, q_bound, sigmas[0], offset, polar[r, m, 0]) > \
                    (1.0 + 1e-9) * gate_threshold:
                continue  # a lower bound of the exact d² is already outside the gate
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
                work,
            )
            if value < np.inf:
                if n_pairs == pair_track.shape[0]:
                    pair_track, pair_measurement = _grown(pair_track), _grown(pair_measurement)
                    pair_cost_value = _grown(pair_cost_value)
                pair_track[n_pairs], pair_measurement[n_pairs], pair_cost_value[n_pairs] = a, b, value
                n_pairs += 1
    _assign_clusters(pair_track[:n_pairs], pair_measurement[:n_pairs], pair_cost_value[:n_pairs], n_tracks,
                     n_measurements, missed_cost, taken)
    return taken


@njit(cache=True)
def _cartesian_distance_sq(blocks, dt_s, isotropic, d0, d1, d2):
    """Δᵀ M⁻¹ Δ with M = F P Fᵀ|_pp + (q + λ_R) I, where q + λ_R bounds the process noise and the Cartesian
    measurement noise: M ≽ S_cart, so this is at most the Cartesian d² (the pre-gate's second, tighter stage)."""
    h, h2 = dt_s, dt_s * dt_s
    m00 = blocks[0, 0, 0] + h * blocks[1, 0, 0] + h2 * blocks[2, 0, 0] + isotropic
    m11 = blocks[0, 1, 1] + h * blocks[1, 1, 1] + h2 * blocks[2, 1, 1] + isotropic
    m22 = blocks[0, 2, 2] + h * blocks[1, 2, 2] + h2 * blocks[2, 2, 2] + isotropic
    m01 = blocks[0, 0, 1] + h * blocks[1, 0, 1] + h2 * blocks[2, 0, 1]
    m02 = blocks[0, 0, 2] + h * blocks[1, 0, 2] + h2 * blocks[2, 0, 2]
    m12 = blocks[0, 1, 2] + h * blocks[1, 1, 2] + h2 * blocks[2, 1, 2]
    c00 = m11 * m22 - m12 * m12
    c01 = m02 * m12 - m01 * m22
    c02 = m01 * m12 - m02 * m11
    det = m00 * c00 + m01 * c01 + m02 * c02
    if not det > 0.0:
        return 0.0  # cannot bound: let the exact gate decide
    c11 = m00 * m22 - m02 * m02
    c12 = m01 * m02 - m00 * m12
    c22 = m00 * m11 - m01 * m01
    return (c00 * d0 * d0 + c11 * d1 * d1 + c22 * d2 * d2 + 2.0 * (c01 * d0 * d1 + c02 * d0 * d2 + c12 * d1 * d2)) / det


@njit(cache=True)
def _range_distance_sq(blocks, dt_s, q_bound, sigma_range_m, offset_m, measured_range_m):
    """A lower bound of the exact gate's d² = νᵀ S⁻¹ ν from its range component alone: ν_r² / S_rr ≤ d² for any
    S ≻ 0 (Cauchy–Schwarz, with the range row of the polar Jacobian at the predicted position as the direction),
    and S_rr = ûᵀ P⁻_pp û + σ_r² ≤ ûᵀ F P Fᵀ|_pp û + q + σ_r², q bounding the process noise. Far tighter along the
    line of sight than the isotropic bound (σ_r is tens of metres, R σ_az hundreds), so most candidate pairs a
    beam's cross-range spread lets through end here instead of in the full polar innovation."""
    h, h2 = dt_s, dt_s * dt_s
    e, n, u = offset_m  # predicted position minus the radar's
    predicted_range_m = math.sqrt(e * e + n * n + u * u)
    if not predicted_range_m > 0.0:
        return 0.0  # cannot bound: let the exact gate decide
    direction = (e / predicted_range_m, n / predicted_range_m, u / predicted_range_m)
    variance = q_bound + sigma_range_m * sigma_range_m
    for i in range(3):
        for j in range(3):
            variance += direction[i] * direction[j] * (blocks[0, i, j] + h * blocks[1, i, j] + h2 * blocks[2, i, j])
    innovation_m = measured_range_m - predicted_range_m
    return innovation_m * innovation_m / variance


@njit(cache=True)
def _grown(values):
    """`values` with twice the room (a growable array: the gated pairs are not known in advance)."""
    out = np.empty(2 * values.shape[0], dtype=values.dtype)
    out[: values.shape[0]] = values
    return out


@njit(cache=True)
def _root(parent, node):
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


@njit(cache=True)
def _assign_clusters(pair_track, pair_measurement, pair_cost_value, n_tracks, n_measurements, missed_cost, taken):
    """GNN solved cluster by cluster (Blackman & Popoli 1999, §6.2: clusters of tracks linked by shared gated
    measurements), into `taken`.

    Tracks and measurements linked by a chain of gated pairs form a cluster; no gated pair joins two clusters, so
    the global optimum is each cluster's optimum, and a track in no cluster takes its missed column. Solving the
    clusters separately keeps the cost near linear in a large raid instead of one dense assignment over every
    track and measurement.
    """
    n_pairs = pair_track.shape[0]
    parent = np.arange(n_tracks + n_measurements)
    for p in range(n_pairs):
        a, b = _root(parent, pair_track[p]), _root(parent, n_tracks + pair_measurement[p])
        if a != b:
            parent[max(a, b)] = min(a, b)
    cluster = np.empty(n_pairs, dtype=np.int64)
    for p in range(n_pairs):
        cluster[p] = _root(parent, pair_track[p])
    order = np.argsort(cluster, kind="mergesort")  # pairs of a cluster together, in their original order
    row_of = np.full(n_tracks, -1, dtype=np.int64)
    col_of = np.full(n_measurements, -1, dtype=np.int64)
    start = 0
    while start < n_pairs:
        end = start
        while end < n_pairs and cluster[order[end]] == cluster[order[start]]:
            end += 1
        if end - start == 1:  # one track, one measurement, the most common cluster: a gated pair costs at most the
            p = order[start]  # missed column (d² ≤ γ), and the solver gives ties to the measurement
            taken[pair_track[p]] = pair_measurement[p]
            start = end
            continue
        # rows and columns of this cluster in index order (the order a single global solve would see them)
        rows = np.unique(pair_track[order[start:end]])
        cols = np.unique(pair_measurement[order[start:end]])
        for i in range(rows.shape[0]):
            row_of[rows[i]] = i
        for k in range(cols.shape[0]):
            col_of[cols[k]] = k
        n_rows, n_cols = rows.shape[0], cols.shape[0]
        cost = np.full((n_rows, n_cols + n_rows), np.inf)
        for i in range(n_rows):
            cost[i, n_cols + i] = missed_cost
        for q in range(start, end):
            p = order[q]
            cost[row_of[pair_track[p]], col_of[pair_measurement[p]]] = pair_cost_value[p]
        col_for_row, _ = solve_assignment(cost)  # always feasible: every track has its missed column
        for i in range(n_rows):
            if col_for_row[i] < n_cols:
                taken[rows[i]] = cols[col_for_row[i]]
        start = end
