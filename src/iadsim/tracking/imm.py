"""Interacting multiple model (IMM) estimator over constant-velocity modes of different process noise.

One cycle (Blom & Bar-Shalom 1988; BLK §11.6.6), from the last update to the time of
the next measurement ``T`` later:
1. mixing probabilities ``μ_{i|j} = p_ij(T) μ_i / c̄_j`` with ``c̄_j = Σ_i p_ij(T) μ_i``;
2. mixed initial conditions ``x⁰_j = Σ_i μ_{i|j} x_i``, ``P⁰_j = Σ_i μ_{i|j} [P_i + (x_i - x⁰_j)(x_i - x⁰_j)ᵀ]``;
3. mode-matched CV prediction with the mode's process noise and EKF update (``iadsim.tracking.filters``);
4. mode probabilities ``μ_j ∝ Λ_j c̄_j`` with the EKF likelihoods ``Λ_j``;
5. combination ``x = Σ_j μ_j x_j``, ``P = Σ_j μ_j [P_j + (x_j - x)(x_j - x)ᵀ]`` (for output only).

A single mode is exactly the extended Kalman filter. Every mode shares the CV transition ``F(T)``, so the first two
moments of the IMM's predicted mixture are ``F x`` and ``F P Fᵀ + Σ_j c̄_j Q_j(T)`` from the combined ``(x, P)``:
mixing only regroups the mixture. Gating and the assignment cost use those exact moments, so no per-pair mixing.

Mode switching over an arbitrary interval: the transition matrix is given for a reference interval ``T_ref``;
over ``T`` the probability of staying is ``p_ii^(T/T_ref)`` (a constant switching rate: geometric sojourn, BLK
§11.6.3) and the leaving probability is shared among the other modes in the reference proportions.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from iadsim.tracking.filters import ekf_update_into, initiate_from_polar, predict_cv

__all__ = [
    "combine_modes",
    "filter_measurement_sequence",
    "imm_update",
    "mode_transition_for_interval",
    "effective_noise_intensity",
    "predicted_mode_weights",
]


@njit(cache=True)
def mode_transition_for_interval(transition_reference, reference_interval_s, dt_s):
    """Markov mode-transition matrix over ``|dt_s|`` from the one for ``reference_interval_s``."""
    n_modes = transition_reference.shape[0]
    transition = np.zeros((n_modes, n_modes))
    exponent = abs(dt_s) / reference_interval_s
    for i in range(n_modes):
        stay_reference = transition_reference[i, i]
        stay = stay_reference**exponent
        transition[i, i] = stay
        leave_reference = 1.0 - stay_reference
        for j in range(n_modes):
            if j != i and leave_reference > 0.0:
                transition[i, j] = transition_reference[i, j] / leave_reference * (1.0 - stay)
    return transition


@njit(cache=True)
def predicted_mode_weights(mode_probability, transition):
    """c̄_j = Σ_i p_ij μ_i (BLK §11.6.6, mixing step)."""
    n_modes = mode_probability.shape[0]
    weights = np.zeros(n_modes)
    for j in range(n_modes):
        for i in range(n_modes):
            weights[j] += transition[i, j] * mode_probability[i]
    return weights


@njit(cache=True)
def combine_modes(mode_state, mode_covariance, mode_probability, state_out, covariance_out):
    """Moment-matched combination (BLK §11.6.6, combination step)."""
    n_modes = mode_probability.shape[0]
    for a in range(6):
        total = 0.0
        for j in range(n_modes):
            total += mode_probability[j] * mode_state[j, a]
        state_out[a] = total
    for a in range(6):
        for b in range(a, 6):
            total = 0.0
            for j in range(n_modes):
                spread = (mode_state[j, a] - state_out[a]) * (mode_state[j, b] - state_out[b])
                total += mode_probability[j] * (mode_covariance[j, a, b] + spread)
            covariance_out[a, b] = total
            covariance_out[b, a] = total


@njit(cache=True)
def imm_update(
    mode_state,
    mode_covariance,
    mode_probability,
    dt_s,
    measurement,
    sigmas,
    radar_position_m,
    transition_reference,
    reference_interval_s,
    mode_noise_intensity,
    noise_model,
    state_out,
    covariance_out,
):
    """One IMM cycle to a measurement ``dt_s`` after the last update; updates the mode arrays in place.

    Writes the combined estimate into ``state_out``/``covariance_out`` and returns ``ln Σ_j c̄_j Λ_j``.
    """
    n_modes = mode_probability.shape[0]
    transition = mode_transition_for_interval(transition_reference, reference_interval_s, dt_s)
    weights = predicted_mode_weights(mode_probability, transition)
    mixed_state = np.empty(6)
    mixed_covariance = np.empty((6, 6))
    predicted_state = np.empty(6)
    predicted_covariance = np.empty((6, 6))
    new_states = np.empty((n_modes, 6))
    new_covariances = np.empty((n_modes, 6, 6))
    log_likelihood = np.empty(n_modes)
    work = np.empty((4, 6, 6))
    mixing = np.empty(n_modes)  # μ_{i|j} = p_ij μ_i / c̄_j of the mode being mixed
    for j in range(n_modes):
        if weights[j] > 1e-300:
            # Mixing (BLK §11.6.6, step 1)
            for i in range(n_modes):
                mixing[i] = transition[i, j] * mode_probability[i] / weights[j]
            for a in range(6):
                total = 0.0
                for i in range(n_modes):
                    total += mixing[i] * mode_state[i, a]
                mixed_state[a] = total
            for a in range(6):
                for b in range(6):
                    total = 0.0
                    for i in range(n_modes):
                        spread = (mode_state[i, a] - mixed_state[a]) * (mode_state[i, b] - mixed_state[b])
                        total += mixing[i] * (mode_covariance[i, a, b] + spread)
                    mixed_covariance[a, b] = total
        else:  # mode unreachable: keep its own estimate (its weight is zero anyway)
            mixed_state[:] = mode_state[j]
            mixed_covariance[:, :] = mode_covariance[j]
        predict_cv(
            mixed_state, mixed_covariance, dt_s, mode_noise_intensity[j], noise_model, predicted_state, predicted_covariance
        )
        log_likelihood[j] = ekf_update_into(
            predicted_state, predicted_covariance, measurement, sigmas, radar_position_m, new_states[j],
            new_covariances[j], work,
        )
    # Mode probabilities (BLK §11.6.6, step 4), in the log domain to avoid underflow.
    largest = -np.inf
    for j in range(n_modes):
        if weights[j] > 0.0 and log_likelihood[j] > largest:
            largest = log_likelihood[j]
    normaliser = 0.0
    for j in range(n_modes):
        mode_probability[j] = weights[j] * math.exp(log_likelihood[j] - largest)
        normaliser += mode_probability[j]
    for j in range(n_modes):
        mode_probability[j] /= normaliser
        mode_state[j] = new_states[j]
        mode_covariance[j] = new_covariances[j]
    combine_modes(mode_state, mode_covariance, mode_probability, state_out, covariance_out)
    return largest + math.log(normaliser)


@njit(cache=True, parallel=True)
def _filter_sequences(
    measurements,
    times_s,
    sigmas,
    radar_position_m,
    velocity_sigma_mps,
    initial_mode_probability,
    transition_reference,
    reference_interval_s,
    mode_noise_intensity,
    noise_model,
    states_out,
    covariances_out,
    mode_probabilities_out,
):
    n_replications, n_steps = times_s.shape
    n_modes = initial_mode_probability.shape[0]
    for r in prange(n_replications):
        mode_state = np.empty((n_modes, 6))
        mode_covariance = np.empty((n_modes, 6, 6))
        mode_probability = initial_mode_probability.copy()
        initiate_from_polar(
            measurements[r, 0], sigmas, radar_position_m, velocity_sigma_mps, states_out[r, 0], covariances_out[r, 0]
        )
        for j in range(n_modes):
            mode_state[j] = states_out[r, 0]
            mode_covariance[j] = covariances_out[r, 0]
        mode_probabilities_out[r, 0] = mode_probability
        for k in range(1, n_steps):
            imm_update(
                mode_state,
                mode_covariance,
                mode_probability,
                times_s[r, k] - times_s[r, k - 1],
                measurements[r, k],
                sigmas,
                radar_position_m,
                transition_reference,
                reference_interval_s,
                mode_noise_intensity,
                noise_model,
                states_out[r, k],
                covariances_out[r, k],
            )
            mode_probabilities_out[r, k] = mode_probability


def filter_measurement_sequence(config, polar, t_s, radar_position_m, sigmas):
    """Filter known-association measurement sequences of one target per replication (no gating, no clutter).

    ``polar`` (R, K, 3) and ``t_s`` (R, K); single-point initiation on the first measurement, then one IMM cycle
    (the EKF when ``config`` has one mode) per measurement. Returns ``(state (R,K,6), covariance (R,K,6,6),
    mode_probability (R,K,n_modes))``, each the estimate just after that measurement. Used for validation.
    """
    polar = np.ascontiguousarray(polar, dtype=np.float64)
    t_s = np.ascontiguousarray(t_s, dtype=np.float64)
    n_replications, n_steps = t_s.shape
    states = np.zeros((n_replications, n_steps, 6))
    covariances = np.zeros((n_replications, n_steps, 6, 6))
    mode_probabilities = np.zeros((n_replications, n_steps, config.n_modes))
    kernel = config.kernel_parameters()
    _filter_sequences(
        polar,
        t_s,
        np.asarray(sigmas, dtype=np.float64),
        np.asarray(radar_position_m, dtype=np.float64),
        kernel.velocity_sigma_mps,
        kernel.initial_mode_probability,
        kernel.transition_reference,
        kernel.transition_interval_s,
        kernel.mode_noise_intensity,
        kernel.noise_model,
        states,
        covariances,
        mode_probabilities,
    )
    return states, covariances, mode_probabilities


@njit(cache=True)
def effective_noise_intensity(mode_probability, dt_s, transition_reference, reference_interval_s, mode_noise_intensity):
    """Σ_j c̄_j(T) q_j: the process-noise intensity of the IMM's predicted mixture ``dt_s`` ahead.

    Q is linear in its intensity and all modes share F, so the predicted mixture has covariance
    ``F P Fᵀ + Q(T; Σ_j c̄_j q_j)`` around ``F x`` with the combined ``(x, P)`` (see module doc).
    """
    # Σ_j c̄_j q_j = Σ_i μ_i Σ_j p_ij(T) q_j, with p_ij(T) as in `mode_transition_for_interval`, summed without
    # building the matrix (the gate calls this for every candidate pair).
    n_modes = mode_probability.shape[0]
    exponent = abs(dt_s) / reference_interval_s
    total = 0.0
    for i in range(n_modes):
        stay_reference = transition_reference[i, i]
        stay = stay_reference**exponent
        row = stay * mode_noise_intensity[i]
        leave_reference = 1.0 - stay_reference
        if leave_reference > 0.0:
            for j in range(n_modes):
                if j != i:
                    row += transition_reference[i, j] / leave_reference * (1.0 - stay) * mode_noise_intensity[j]
        total += mode_probability[i] * row
    return total
