"""Plain NumPy/SciPy references of the tracking kernels, written for clarity, compared with the kernels in tests.

Matrix forms of the same equations (BLK = Bar-Shalom, Li & Kirubarajan 2001): ``F`` and ``Q`` built explicitly
(§6.3.2, §6.2.2), EKF update with ``H = [H_p 0]`` (§10.3) in Joseph form, the IMM cycle
(§11.6.6), χ² gating without the Cartesian pre-gate, and GNN by ``scipy.optimize.linear_sum_assignment``.
Slow by design: loops over replications and tracks in Python.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment

from iadsim.tracking.config import COST_MAHALANOBIS, TrackerConfig
from iadsim.tracking.filters import DWNA
from iadsim.tracking.table import CONFIRMED, DELETED, FREE, TENTATIVE, MeasurementBatch, ScanAssociation, TrackTable

__all__ = [
    "cv_matrices",
    "ekf_update",
    "imm_update",
    "initiate_from_polar",
    "polar_jacobian",
    "predict_to",
    "update_tracks",
]


@lru_cache(maxsize=16)
def _params(config: TrackerConfig):
    return config.kernel_parameters()


def cv_matrices(dt_s: float, intensity: float, noise_model: int) -> tuple[np.ndarray, np.ndarray]:
    """F (6×6) and Q (6×6) of the 3-D CV model with DWNA or CWNA noise."""
    eye = np.eye(3)
    transition = np.block([[eye, dt_s * eye], [np.zeros((3, 3)), eye]])
    t = abs(dt_s)
    if noise_model == DWNA:
        gamma = np.array([[t**2 / 2.0], [t]])  # DWNA noise gain, BLK §6.3.2
        per_axis = intensity * gamma @ gamma.T
    else:
        per_axis = intensity * np.array([[t**3 / 3.0, t**2 / 2.0], [t**2 / 2.0, t]])
    return transition, np.kron(per_axis, eye)


def polar_of(relative: np.ndarray) -> np.ndarray:
    east, north, up = relative
    return np.array([np.linalg.norm(relative), math.atan2(east, north), math.atan2(up, math.hypot(east, north))])


def polar_jacobian(relative: np.ndarray) -> np.ndarray:
    """∂(range, azimuth, elevation)/∂(e, n, u) by the chain rule."""
    east, north, up = relative
    rho_h = math.hypot(east, north)
    rho = np.linalg.norm(relative)
    return np.array(
        [
            relative / rho,
            [north / rho_h**2, -east / rho_h**2, 0.0],
            [-east * up / (rho**2 * rho_h), -north * up / (rho**2 * rho_h), rho_h / rho**2],
        ]
    )


def _innovation(state, measurement, radar_position_m):
    relative = state[:3] - radar_position_m
    nu = measurement - polar_of(relative)
    nu[1] = (nu[1] + math.pi) % (2 * math.pi) - math.pi
    h = np.hstack([polar_jacobian(relative), np.zeros((3, 3))])
    return nu, h


def ekf_update(state, covariance, measurement, sigmas, radar_position_m):
    """(x⁺, P⁺, log-likelihood) of the EKF update."""
    nu, h = _innovation(state, measurement, radar_position_m)
    noise = np.diag(np.asarray(sigmas) ** 2)
    s = h @ covariance @ h.T + noise
    gain = covariance @ h.T @ np.linalg.inv(s)
    a = np.eye(6) - gain @ h
    new_covariance = a @ covariance @ a.T + gain @ noise @ gain.T
    log_likelihood = -0.5 * (nu @ np.linalg.solve(s, nu) + np.log(np.linalg.det(s)) + 3 * math.log(2 * math.pi))
    return state + gain @ nu, new_covariance, log_likelihood


def initiate_from_polar(measurement, sigmas, radar_position_m, velocity_sigma_mps):
    r, a, e = measurement
    position = radar_position_m + r * np.array([math.cos(e) * math.sin(a), math.cos(e) * math.cos(a), math.sin(e)])
    conversion = np.linalg.inv(polar_jacobian(position - radar_position_m))  # ∂(e,n,u)/∂(r,a,el)
    covariance = np.zeros((6, 6))
    covariance[:3, :3] = conversion @ np.diag(np.asarray(sigmas) ** 2) @ conversion.T
    covariance[3:, 3:] = velocity_sigma_mps**2 * np.eye(3)
    return np.concatenate([position, np.zeros(3)]), covariance


def transition_for_interval(config: TrackerConfig, dt_s: float) -> np.ndarray:
    reference = np.asarray(config.mode_transition, dtype=float).reshape(config.n_modes, config.n_modes)
    stay = np.diag(reference) ** (abs(dt_s) / config.mode_transition_interval_s)
    leave = 1.0 - np.diag(reference)
    off = np.where(leave[:, None] > 0, reference / np.where(leave > 0, leave, 1.0)[:, None], 0.0) * (1 - stay)[:, None]
    np.fill_diagonal(off, stay)
    return off


def imm_update(config: TrackerConfig, mode_state, mode_covariance, mode_probability, dt_s, measurement, sigmas,
               radar_position_m):
    """One IMM cycle; returns new (mode_state, mode_covariance, mode_probability, state, covariance)."""
    p = _params(config)
    transition = transition_for_interval(config, dt_s)
    weights = mode_probability @ transition  # c̄_j
    mix = transition * mode_probability[:, None] / weights[None, :]  # μ_{i|j}
    new_states, new_covariances, log_likelihood = [], [], []
    for j in range(config.n_modes):
        mixed = mix[:, j] @ mode_state
        spread = mode_state - mixed
        mixed_cov = np.einsum("i,iab->ab", mix[:, j], mode_covariance + np.einsum("ia,ib->iab", spread, spread))
        transition_matrix, noise = cv_matrices(dt_s, p.mode_noise_intensity[j], p.noise_model)
        x, cov, ll = ekf_update(transition_matrix @ mixed, transition_matrix @ mixed_cov @ transition_matrix.T + noise,
                                measurement, sigmas, radar_position_m)
        new_states.append(x)
        new_covariances.append(cov)
        log_likelihood.append(ll)
    log_likelihood = np.array(log_likelihood)
    probability = weights * np.exp(log_likelihood - log_likelihood.max())
    probability /= probability.sum()
    new_states, new_covariances = np.array(new_states), np.array(new_covariances)
    state = probability @ new_states
    spread = new_states - state
    covariance = np.einsum("j,jab->ab", probability, new_covariances + np.einsum("ja,jb->jab", spread, spread))
    return new_states, new_covariances, probability, state, covariance


def _predicted(config, state, covariance, mode_probability, dt_s):
    """Exact moments of the predicted IMM mixture: F x, F P Fᵀ + Σ_j c̄_j Q_j."""
    p = _params(config)
    weights = mode_probability @ transition_for_interval(config, dt_s)
    transition, _ = cv_matrices(dt_s, 0.0, p.noise_model)
    noise = sum(w * cv_matrices(dt_s, q, p.noise_model)[1] for w, q in zip(weights, p.mode_noise_intensity))
    return transition @ state, transition @ covariance @ transition.T + noise


def predict_to(table: TrackTable, t_s: float) -> tuple[np.ndarray, np.ndarray]:
    state = np.full(table.state.shape, np.nan)
    covariance = np.full(table.covariance.shape, np.nan)
    for r, slot in zip(*np.nonzero(table.live)):
        state[r, slot], covariance[r, slot] = _predicted(
            table.config, table.state[r, slot], table.covariance[r, slot], table.mode_probability[r, slot],
            t_s - table.t_s[r, slot],
        )
    return state, covariance


def _gnn(config, table, r, slots, measurements, meas: MeasurementBatch):
    """Track slot → measurement index by GNN with one private 'missed' column per track."""
    p = _params(config)
    if len(slots) == 0 or len(measurements) == 0:
        return {}
    missed = math.sqrt(p.gate_threshold) if p.cost_code == COST_MAHALANOBIS else p.gate_threshold
    cost = np.full((len(slots), len(measurements) + len(slots)), np.inf)
    for a, slot in enumerate(slots):
        cost[a, len(measurements) + a] = missed
        for b, m in enumerate(measurements):
            x, cov = _predicted(config, table.state[r, slot], table.covariance[r, slot], table.mode_probability[r, slot],
                                meas.t_s[r, m] - table.t_s[r, slot])
            nu, h = _innovation(x, meas.polar[r, m], meas.radar_position_m)
            d2 = nu @ np.linalg.solve(h @ cov @ h.T + np.diag(meas.sigmas**2), nu)
            if d2 <= p.gate_threshold:
                cost[a, b] = math.sqrt(d2) if p.cost_code == COST_MAHALANOBIS else d2
    rows, cols = linear_sum_assignment(cost)
    return {slots[a]: measurements[b] for a, b in zip(rows, cols) if b < len(measurements)}


def update_tracks(table: TrackTable, config: TrackerConfig, meas: MeasurementBatch, radar_index: int) -> ScanAssociation:
    """Reference of ``iadsim.tracking.update_tracks`` (same rules, same slot and id allocation)."""
    p = _params(config)
    track_out = np.full(meas.t_s.shape, -1, dtype=np.int64)
    started, confirmed_out = np.zeros(meas.t_s.shape, bool), np.zeros(meas.t_s.shape, bool)
    for r in range(table.n_replications):
        unused = [int(m) for m in np.flatnonzero(meas.valid[r])]
        taken = {}
        for wanted in (CONFIRMED, TENTATIVE):
            slots = [int(s) for s in np.flatnonzero(table.status[r] == wanted)]
            stage = _gnn(config, table, r, slots, unused, meas)
            taken.update(stage)
            unused = [m for m in unused if m not in stage.values()]
        for slot in np.flatnonzero(table.live[r]):
            if slot in taken:
                m = taken[slot]
                t = meas.t_s[r, m]
                (table.mode_state[r, slot], table.mode_covariance[r, slot], table.mode_probability[r, slot],
                 table.state[r, slot], table.covariance[r, slot]) = imm_update(
                    config, table.mode_state[r, slot], table.mode_covariance[r, slot], table.mode_probability[r, slot],
                    t - table.t_s[r, slot], meas.polar[r, m], meas.sigmas, meas.radar_position_m)
                table.t_s[r, slot] = t
                table.look_count[r, slot] += 1
                table.hit_count[r, slot] += 1
                table.hit_history[r, slot] = (table.hit_history[r, slot] << np.uint64(1)) | np.uint64(1)
                table.consecutive_misses[r, slot] = 0
                table.update_count[r, slot] += 1
                table.radar_last_update_s[r, slot, radar_index] = t
                if table.status[r, slot] == TENTATIVE and table.hit_count[r, slot] >= p.confirm_hits:
                    table.status[r, slot] = CONFIRMED
                    table.confirmation_time_s[r, slot] = t
                if table.status[r, slot] == CONFIRMED and np.trace(table.covariance[r, slot, :3, :3]) > p.max_position_variance_m2:
                    table.status[r, slot] = DELETED
                track_out[r, m] = table.track_id[r, slot]
                confirmed_out[r, m] = table.status[r, slot] == CONFIRMED
                continue
            dt_s = meas.scan_time_s[r] - table.t_s[r, slot]
            x, cov = _predicted(config, table.state[r, slot], table.covariance[r, slot], table.mode_probability[r, slot],
                                dt_s)
            if np.linalg.norm(x[:3] - meas.radar_position_m) > meas.max_range_m:
                continue
            table.look_count[r, slot] += 1
            table.hit_history[r, slot] = table.hit_history[r, slot] << np.uint64(1)
            table.consecutive_misses[r, slot] += 1
            if table.status[r, slot] == TENTATIVE:
                if table.hit_count[r, slot] + p.confirm_looks - table.look_count[r, slot] < p.confirm_hits:
                    table.status[r, slot] = DELETED
            elif (table.consecutive_misses[r, slot] >= p.delete_after_missed_looks
                  or np.trace(cov[:3, :3]) > p.max_position_variance_m2):
                table.status[r, slot] = DELETED
        for m in unused:
            free = np.flatnonzero((table.status[r] == FREE) | (table.status[r] == DELETED))
            if len(free) == 0:
                table.dropped_initiations[r] += 1
                continue
            slot = free[0]
            x, cov = initiate_from_polar(meas.polar[r, m], meas.sigmas, meas.radar_position_m, p.velocity_sigma_mps)
            table.state[r, slot], table.covariance[r, slot] = x, cov
            table.mode_state[r, slot], table.mode_covariance[r, slot] = x, cov
            table.mode_probability[r, slot] = p.initial_mode_probability
            table.t_s[r, slot] = table.initiation_time_s[r, slot] = meas.t_s[r, m]
            table.status[r, slot] = CONFIRMED if p.confirm_hits <= 1 else TENTATIVE
            table.confirmation_time_s[r, slot] = meas.t_s[r, m] if p.confirm_hits <= 1 else np.nan
            table.track_id[r, slot] = table.next_track_id[r]
            table.next_track_id[r] += 1
            table.look_count[r, slot] = table.hit_count[r, slot] = table.update_count[r, slot] = 1
            table.hit_history[r, slot] = 1
            table.consecutive_misses[r, slot] = 0
            table.radar_last_update_s[r, slot] = np.nan
            table.radar_last_update_s[r, slot, radar_index] = meas.t_s[r, m]
            track_out[r, m] = table.track_id[r, slot]
            started[r, m] = True
            confirmed_out[r, m] = p.confirm_hits <= 1
    return ScanAssociation(track_id=track_out, started=started, confirmed=confirmed_out)
