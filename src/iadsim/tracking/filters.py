"""Single-track filter primitives: constant-velocity prediction and the extended Kalman update on polar measurements.

State ``x = [x, y, z, vx, vy, vz]`` in local ENU (m, m/s). A radar at ``radar_position_m`` measures
``z = [range_m, azimuth_rad, elevation_rad]``: azimuth clockwise from north, elevation above horizontal.

Sources (Bar-Shalom, Li & Kirubarajan 2001, *Estimation with Applications to Tracking and Navigation*, BLK):
- constant-velocity transition ``F(T)``: BLK §6.3.2 (per axis ``[[1, T], [0, 1]]``);
- process noise, discrete white-noise acceleration (DWNA, BLK §6.3.2):
  ``Q = σ_a² [[T⁴/4, T³/2], [T³/2, T²]]`` per axis, ``σ_a²`` in m²/s⁴;
- process noise, continuous white-noise acceleration (CWNA, BLK §6.2.2):
  ``Q = q̃ [[T³/3, T²/2], [T²/2, T]]`` per axis, ``q̃`` in m²/s³;
- extended Kalman filter update: BLK §10.3, covariance in Joseph form (BLK §5.2.3);
- single-point initiation: the measurement converted to ENU, its covariance mapped through the conversion
  Jacobian (BLK §10.4.3, linearised conversion), velocity zero with a covariance set by a maximum speed.

Every function is a numba kernel (``@njit(cache=True)``) working on one track; NumPy references live in
``iadsim.tracking.reference``. Equations and limits: docs/models/tracking.md.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

DWNA = 0  # process-noise model code: discrete white-noise acceleration (BLK §6.3.2)
CWNA = 1  # process-noise model code: continuous white-noise acceleration, discretised (BLK §6.2.2)
LOG_TWO_PI = math.log(2.0 * math.pi)

__all__ = [
    "CWNA",
    "DWNA",
    "cv_process_noise_blocks",
    "ekf_update",
    "ekf_update_into",
    "enu_from_polar",
    "initiate_from_polar",
    "innovation_statistics",
    "polar_from_enu",
    "polar_jacobian",
    "predict_cv",
    "predicted_position_covariance",
    "wrap_angle",
]


@njit(cache=True)
def wrap_angle(angle_rad):
    """Angle wrapped to [-π, π)."""
    return (angle_rad + math.pi) % (2.0 * math.pi) - math.pi


@njit(cache=True)
def cv_process_noise_blocks(dt_s, intensity, noise_model):
    """Per-axis process-noise blocks (q_pp, q_pv, q_vv) of the CV model over ``dt_s``.

    DWNA (BLK §6.3.2): intensity = σ_a² [m²/s⁴]; CWNA (BLK §6.2.2): intensity = q̃ [m²/s³].
    A negative ``dt_s`` (measurement older than the track) uses ``|dt_s|``: noise never removes uncertainty.
    """
    t = abs(dt_s)
    if noise_model == DWNA:
        return intensity * t**4 / 4.0, intensity * t**3 / 2.0, intensity * t**2
    return intensity * t**3 / 3.0, intensity * t**2 / 2.0, intensity * t


@njit(cache=True)
def predict_cv(state, covariance, dt_s, intensity, noise_model, state_out, covariance_out):
    """CV prediction ``x⁻ = F x``, ``P⁻ = F P Fᵀ + Q`` (BLK §5.2), written out blockwise.

    With ``F = [[I, T I], [0, I]]``: ``P⁻_pp = P_pp + T (P_pv + P_vp) + T² P_vv``, ``P⁻_pv = P_pv + T P_vv``,
    ``P⁻_vv = P_vv``; then the per-axis Q blocks are added on the diagonals. ``state_out`` may not alias ``state``.
    """
    t = dt_s
    for i in range(3):
        state_out[i] = state[i] + t * state[i + 3]
        state_out[i + 3] = state[i + 3]
    for i in range(3):
        for j in range(3):
            p_pp = covariance[i, j]
            p_pv = covariance[i, j + 3]
            p_vp = covariance[i + 3, j]
            p_vv = covariance[i + 3, j + 3]
            covariance_out[i, j] = p_pp + t * (p_pv + p_vp) + t * t * p_vv
            covariance_out[i, j + 3] = p_pv + t * p_vv
            covariance_out[i + 3, j] = p_vp + t * p_vv
            covariance_out[i + 3, j + 3] = p_vv
    q_pp, q_pv, q_vv = cv_process_noise_blocks(dt_s, intensity, noise_model)
    for i in range(3):
        covariance_out[i, i] += q_pp
        covariance_out[i, i + 3] += q_pv
        covariance_out[i + 3, i] += q_pv
        covariance_out[i + 3, i + 3] += q_vv


@njit(cache=True)
def predicted_position_covariance(covariance, dt_s, q_pp, position_covariance_out):
    """Position block of ``F P Fᵀ + Q`` only (the part gating needs), with per-axis position noise ``q_pp``."""
    t = dt_s
    for i in range(3):
        for j in range(3):
            position_covariance_out[i, j] = (
                covariance[i, j] + t * (covariance[i, j + 3] + covariance[i + 3, j]) + t * t * covariance[i + 3, j + 3]
            )
        position_covariance_out[i, i] += q_pp


@njit(cache=True)
def polar_from_enu(relative_m):
    """(range_m, azimuth_rad, elevation_rad) of an ENU offset from the radar."""
    east, north, up = relative_m[0], relative_m[1], relative_m[2]
    horizontal = math.sqrt(east * east + north * north)
    return math.sqrt(horizontal * horizontal + up * up), math.atan2(east, north), math.atan2(up, horizontal)


@njit(cache=True)
def polar_jacobian(relative_m, jacobian_out):
    """∂(range, azimuth, elevation)/∂(east, north, up) at an ENU offset (the EKF's H, BLK §10.3).

    range: d/ρ; azimuth = atan2(e, n): (n, -e, 0)/ρ_h²; elevation = atan2(u, ρ_h): (-e u, -n u, ρ_h²)/(ρ² ρ_h).
    """
    east, north, up = relative_m[0], relative_m[1], relative_m[2]
    horizontal_sq = east * east + north * north
    horizontal = math.sqrt(horizontal_sq)
    range_sq = horizontal_sq + up * up
    range_m = math.sqrt(range_sq)
    jacobian_out[0, 0] = east / range_m
    jacobian_out[0, 1] = north / range_m
    jacobian_out[0, 2] = up / range_m
    jacobian_out[1, 0] = north / horizontal_sq
    jacobian_out[1, 1] = -east / horizontal_sq
    jacobian_out[1, 2] = 0.0
    jacobian_out[2, 0] = -east * up / (range_sq * horizontal)
    jacobian_out[2, 1] = -north * up / (range_sq * horizontal)
    jacobian_out[2, 2] = horizontal / range_sq


@njit(cache=True)
def enu_from_polar(range_m, azimuth_rad, elevation_rad, relative_out):
    """ENU offset of a polar measurement: (r cos e sin a, r cos e cos a, r sin e)."""
    horizontal = range_m * math.cos(elevation_rad)
    relative_out[0] = horizontal * math.sin(azimuth_rad)
    relative_out[1] = horizontal * math.cos(azimuth_rad)
    relative_out[2] = range_m * math.sin(elevation_rad)


@njit(cache=True)
def _invert_symmetric_3x3(matrix, inverse_out):
    """Inverse by cofactors; returns the determinant (≤ 0 means not positive definite)."""
    a, b, c = matrix[0, 0], matrix[0, 1], matrix[0, 2]
    d, e, f = matrix[1, 1], matrix[1, 2], matrix[2, 2]
    c00 = d * f - e * e
    c01 = c * e - b * f
    c02 = b * e - c * d
    det = a * c00 + b * c01 + c * c02
    inverse_out[0, 0] = c00 / det
    inverse_out[0, 1] = inverse_out[1, 0] = c01 / det
    inverse_out[0, 2] = inverse_out[2, 0] = c02 / det
    inverse_out[1, 1] = (a * f - c * c) / det
    inverse_out[1, 2] = inverse_out[2, 1] = (b * c - a * e) / det
    inverse_out[2, 2] = (a * d - b * b) / det
    return det


@njit(cache=True)
def _innovation_covariance(position_covariance, jacobian, sigmas, s_out):
    """S = H_p P_pp H_pᵀ + R with R = diag(σ_r², σ_az², σ_el²) (BLK §10.3)."""
    for i in range(3):
        for j in range(i, 3):
            total = 0.0
            for k in range(3):
                row = 0.0
                for m in range(3):
                    row += position_covariance[k, m] * jacobian[j, m]
                total += jacobian[i, k] * row
            s_out[i, j] = total
            s_out[j, i] = total
        s_out[i, i] += sigmas[i] * sigmas[i]


@njit(cache=True)
def innovation_statistics(predicted_position_m, position_covariance, measurement, sigmas, radar_position_m):
    """Mahalanobis distance² ``νᵀ S⁻¹ ν`` and ``ln det S`` of a polar measurement against a predicted position.

    Used for chi-square gating (χ² validation gate) and the assignment cost; azimuth innovation wrapped.
    """
    return innovation_statistics_into(predicted_position_m, position_covariance, measurement, sigmas,
                                      radar_position_m, np.empty((4, 3, 3)))


@njit(cache=True)
def innovation_statistics_into(predicted_position_m, position_covariance, measurement, sigmas, radar_position_m, work):
    """`innovation_statistics` with a (4, 3, 3) scratch array: no allocation, for the gate's pair loop."""
    relative, jacobian, s, s_inverse = work[0, 0], work[1], work[2], work[3]
    for i in range(3):
        relative[i] = predicted_position_m[i] - radar_position_m[i]
    predicted_range, predicted_azimuth, predicted_elevation = polar_from_enu(relative)
    polar_jacobian(relative, jacobian)
    _innovation_covariance(position_covariance, jacobian, sigmas, s)
    det = _invert_symmetric_3x3(s, s_inverse)
    nu0 = measurement[0] - predicted_range
    nu1 = wrap_angle(measurement[1] - predicted_azimuth)
    nu2 = measurement[2] - predicted_elevation
    distance_sq = (
        s_inverse[0, 0] * nu0 * nu0
        + s_inverse[1, 1] * nu1 * nu1
        + s_inverse[2, 2] * nu2 * nu2
        + 2.0 * (s_inverse[0, 1] * nu0 * nu1 + s_inverse[0, 2] * nu0 * nu2 + s_inverse[1, 2] * nu1 * nu2)
    )
    return distance_sq, math.log(det)


@njit(cache=True)
def ekf_update(state, covariance, measurement, sigmas, radar_position_m, state_out, covariance_out):
    """EKF update with one polar measurement (BLK §10.3.2); returns the log-likelihood ``ln N(ν; 0, S)``.

    ``K = P Hᵀ S⁻¹``, ``x⁺ = x⁻ + K ν``, ``P⁺ = (I - K H) P (I - K H)ᵀ + K R Kᵀ`` (Joseph form, BLK §5.2.3).
    H = [H_p, 0] because the measurement depends on position only.
    """
    return ekf_update_into(state, covariance, measurement, sigmas, radar_position_m, state_out, covariance_out,
                           np.empty((4, 6, 6)))


@njit(cache=True)
def ekf_update_into(state, covariance, measurement, sigmas, radar_position_m, state_out, covariance_out, work):
    """`ekf_update` with a (4, 6, 6) scratch array: no allocation, for the tracker's per-track loop."""
    a, a_p, gains, small = work[0], work[1], work[2], work[3]
    p_ht, gain = gains[:, :3], gains[:, 3:]
    jacobian, s, s_inverse = small[:3, :3], small[:3, 3:], small[3:, :3]
    relative, innovation = small[3, 3:], small[4, 3:]
    for i in range(3):
        relative[i] = state[i] - radar_position_m[i]
    predicted_range, predicted_azimuth, predicted_elevation = polar_from_enu(relative)
    polar_jacobian(relative, jacobian)
    _innovation_covariance(covariance[:3, :3], jacobian, sigmas, s)
    det = _invert_symmetric_3x3(s, s_inverse)
    innovation[0] = measurement[0] - predicted_range
    innovation[1] = wrap_angle(measurement[1] - predicted_azimuth)
    innovation[2] = measurement[2] - predicted_elevation
    # P Hᵀ (6×3) = P[:, :3] H_pᵀ
    for i in range(6):
        for j in range(3):
            total = 0.0
            for k in range(3):
                total += covariance[i, k] * jacobian[j, k]
            p_ht[i, j] = total
    for i in range(6):
        for j in range(3):
            total = 0.0
            for k in range(3):
                total += p_ht[i, k] * s_inverse[k, j]
            gain[i, j] = total
    for i in range(6):
        correction = 0.0
        for j in range(3):
            correction += gain[i, j] * innovation[j]
        state_out[i] = state[i] + correction
    # Joseph form: A = I - K H, with K H nonzero only in its first three columns.
    for i in range(6):
        for j in range(6):
            a[i, j] = 1.0 if i == j else 0.0
    for i in range(6):
        for j in range(3):
            for k in range(3):
                a[i, j] -= gain[i, k] * jacobian[k, j]
    for i in range(6):
        for j in range(6):
            total = 0.0
            for k in range(6):
                total += a[i, k] * covariance[k, j]
            a_p[i, j] = total
    for i in range(6):
        for j in range(i, 6):
            total = 0.0
            for k in range(6):
                total += a_p[i, k] * a[j, k]
            for k in range(3):
                total += gain[i, k] * sigmas[k] * sigmas[k] * gain[j, k]
            covariance_out[i, j] = total
            covariance_out[j, i] = total
    distance_sq = 0.0
    for i in range(3):
        for j in range(3):
            distance_sq += innovation[i] * s_inverse[i, j] * innovation[j]
    return -0.5 * (distance_sq + math.log(det) + 3.0 * LOG_TWO_PI)


@njit(cache=True)
def initiate_from_polar(measurement, sigmas, radar_position_m, velocity_sigma_mps, state_out, covariance_out):
    """Single-point initiation: position = converted measurement, P_pp = J R Jᵀ, velocity 0 with σ_v² I.

    J = ∂(e, n, u)/∂(r, a, el) is the conversion Jacobian (BLK §10.4.3); the velocity block is independent.
    """
    range_m, azimuth, elevation = measurement[0], measurement[1], measurement[2]
    relative = np.empty(3)
    enu_from_polar(range_m, azimuth, elevation, relative)
    ce, se, ca, sa = math.cos(elevation), math.sin(elevation), math.cos(azimuth), math.sin(azimuth)
    conversion = np.empty((3, 3))
    conversion[0, 0], conversion[0, 1], conversion[0, 2] = ce * sa, range_m * ce * ca, -range_m * se * sa
    conversion[1, 0], conversion[1, 1], conversion[1, 2] = ce * ca, -range_m * ce * sa, -range_m * se * ca
    conversion[2, 0], conversion[2, 1], conversion[2, 2] = se, 0.0, range_m * ce
    for i in range(6):
        for j in range(6):
            covariance_out[i, j] = 0.0
    for i in range(3):
        state_out[i] = radar_position_m[i] + relative[i]
        state_out[i + 3] = 0.0
        covariance_out[i + 3, i + 3] = velocity_sigma_mps * velocity_sigma_mps
        for j in range(3):
            total = 0.0
            for k in range(3):
                total += conversion[i, k] * sigmas[k] * sigmas[k] * conversion[j, k]
            covariance_out[i, j] = total
