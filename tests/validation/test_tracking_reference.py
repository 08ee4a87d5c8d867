"""Tracking filters against outside references.

1. Steady-state Kalman gain of the CV model with DWNA noise and position measurements equals the α–β filter of
   Kalata (1984), "The tracking index: a generalized parameter for α-β and α-β-γ target trackers", IEEE TAES 20(2);
   BLK (Bar-Shalom, Li & Kirubarajan 2001) §6.5.3: tracking index Λ = σ_a T²/σ_w,
   α = -(Λ² + 8Λ - (Λ + 4)√(Λ² + 8Λ))/8, β = (Λ² + 4Λ - Λ√(Λ² + 8Λ))/4.
2. The EKF is consistent on CV truth: its normalised estimation error squared (NEES) averaged over N Monte Carlo
   runs lies in the two-sided 95 % χ²_{6N}/N interval (BLK §5.4.2) at nearly every step.
3. On a 300 m/s, 6 g coordinated turn (50 m / 2 mrad every 1 s) the IMM has lower position RMSE than a CV filter
   with either of its modes' process noise (the IMM's raison d'être, BLK §11.7).
"""

import math

import numpy as np
import pytest
from scipy import stats

from iadsim.tracking import TrackerConfig, filter_measurement_sequence
from iadsim.tracking.filters import polar_from_enu

G_MPS2 = 9.80665


def _polar(positions, radar):
    return np.array([polar_from_enu(p - radar) for p in positions.reshape(-1, 3)]).reshape(positions.shape)


def kalata_alpha_beta(tracking_index):
    lam = tracking_index
    root = math.sqrt(lam**2 + 8 * lam)
    return -(lam**2 + 8 * lam - (lam + 4) * root) / 8, (lam**2 + 4 * lam - lam * root) / 4


@pytest.mark.parametrize("accel_sigma_mps2, period_s, range_sigma_m", [(0.5, 1.0, 50.0), (5.0, 2.0, 30.0), (40.0, 0.5, 10.0)])
def test_steady_state_gain_matches_kalata_alpha_beta(accel_sigma_mps2, period_s, range_sigma_m):
    """A target on the radar's north axis: the north axis is then exactly a 1-D CV filter with range = position."""
    n_steps = 400
    t = np.arange(n_steps) * period_s
    north = 50_000.0 + 100.0 * t
    measurements = np.stack([north, np.zeros(n_steps), np.zeros(n_steps)], axis=-1)[None]
    config = TrackerConfig.constant_velocity(accel_sigma_mps2**2, process_noise_model="dwna")
    _, covariance, _ = filter_measurement_sequence(config, measurements, t[None], np.zeros(3), [range_sigma_m, 1e-3, 1e-3])
    posterior = covariance[0, -1]
    alpha = posterior[1, 1] / range_sigma_m**2  # K = P⁺ Hᵀ R⁻¹ (BLK §5.2.3)
    beta = period_s * posterior[4, 1] / range_sigma_m**2
    expected_alpha, expected_beta = kalata_alpha_beta(accel_sigma_mps2 * period_s**2 / range_sigma_m)
    assert alpha == pytest.approx(expected_alpha, abs=1e-4)
    assert beta == pytest.approx(expected_beta, abs=1e-4)


def test_nees_of_the_cv_ekf_is_chi_square_consistent():
    rng = np.random.default_rng(2024)
    n_runs, n_steps, period_s, accel_sigma = 100, 60, 2.0, 2.0
    radar = np.zeros(3)
    sigmas = np.array([50.0, 2e-3, 2e-3])
    transition = np.block([[np.eye(3), period_s * np.eye(3)], [np.zeros((3, 3)), np.eye(3)]])
    gamma = np.vstack([period_s**2 / 2 * np.eye(3), period_s * np.eye(3)])  # DWNA noise gain, BLK §6.3.2
    truth = np.empty((n_runs, n_steps, 6))
    heading = rng.uniform(0, 2 * np.pi, n_runs)
    truth[:, 0] = np.stack([rng.uniform(-20e3, 20e3, n_runs), rng.uniform(30e3, 60e3, n_runs),
                            rng.uniform(2e3, 8e3, n_runs), 200 * np.sin(heading), 200 * np.cos(heading),
                            np.zeros(n_runs)], axis=-1)
    for k in range(1, n_steps):
        truth[:, k] = truth[:, k - 1] @ transition.T + rng.normal(size=(n_runs, 3)) * accel_sigma @ gamma.T
    measurements = _polar(truth[..., :3], radar) + rng.normal(size=(n_runs, n_steps, 3)) * sigmas
    t = np.broadcast_to(np.arange(n_steps) * period_s, (n_runs, n_steps))
    config = TrackerConfig.constant_velocity(accel_sigma**2, process_noise_model="dwna", initiation_max_speed_mps=600.0)
    state, covariance, _ = filter_measurement_sequence(config, measurements, t, radar, sigmas)
    error = truth - state
    nees = np.einsum("rki,rki->rk", error, np.linalg.solve(covariance, error[..., None])[..., 0])
    average = nees[:, 10:].mean(axis=0)
    low, high = stats.chi2.ppf([0.025, 0.975], 6 * n_runs) / n_runs
    inside = np.mean((average >= low) & (average <= high))
    assert inside >= 0.85, f"only {inside:.0%} of steps inside [{low:.2f}, {high:.2f}]; mean NEES {average.mean():.2f}"
    assert 5.5 < average.mean() < 6.5


def _six_g_turn(period_s=1.0, speed_mps=300.0, straight_steps=30, turn_steps=20):
    rate = 6 * G_MPS2 / speed_mps
    position, velocity = np.array([-10e3, 40e3, 5e3]), np.array([speed_mps, 0.0, 0.0])
    path = []
    for k in range(2 * straight_steps + turn_steps):
        path.append(position.copy())
        if straight_steps <= k < straight_steps + turn_steps:  # exact right-hand coordinated turn over one period
            c, s = math.cos(rate * period_s), math.sin(rate * period_s)
            vx, vy = velocity[:2]
            position = position + np.array([(vx * s + vy * (1 - c)) / rate, (vy * s - vx * (1 - c)) / rate, 0.0])
            velocity = np.array([vx * c + vy * s, -vx * s + vy * c, 0.0])
        else:
            position = position + velocity * period_s
    return np.array(path)


def test_imm_beats_cv_on_a_six_g_turn():
    rng = np.random.default_rng(6)
    path = _six_g_turn()
    n_runs, radar, sigmas = 50, np.zeros(3), np.array([50.0, 2e-3, 2e-3])
    measurements = _polar(np.broadcast_to(path, (n_runs,) + path.shape).copy(), radar)
    measurements = measurements + rng.normal(size=measurements.shape) * sigmas
    t = np.broadcast_to(np.arange(len(path)) * 1.0, (n_runs, len(path)))

    def rmse(config):
        state, _, _ = filter_measurement_sequence(config, measurements, t, radar, sigmas)
        return float(np.sqrt(np.mean(np.sum((state[:, 5:, :3] - path[5:]) ** 2, axis=-1))))

    imm_config = TrackerConfig()  # CV σ_a = 1 m/s² and CV σ_a = 40 m/s² (DWNA)
    imm_rmse = rmse(imm_config)
    quiet_cv = rmse(TrackerConfig.constant_velocity(imm_config.mode_noise_intensity[0]))
    agile_cv = rmse(TrackerConfig.constant_velocity(imm_config.mode_noise_intensity[1]))
    assert imm_rmse < 0.95 * agile_cv < quiet_cv, (imm_rmse, agile_cv, quiet_cv)
