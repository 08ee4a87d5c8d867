"""Filter and IMM kernels against the NumPy reference, and their basic properties."""

import math

import numpy as np
import pytest

from iadsim.tracking import TrackerConfig, filters, imm
from iadsim.tracking import reference as ref

RADAR = np.array([1000.0, -2000.0, 30.0])
SIGMAS = np.array([50.0, 2e-3, 3e-3])


def _random_state_and_covariance(rng):
    state = np.concatenate([rng.uniform(-80e3, 80e3, 2), rng.uniform(500, 9000, 1), rng.uniform(-300, 300, 3)])
    root = rng.normal(size=(6, 6)) * np.array([300, 300, 300, 30, 30, 30])
    return state, root @ root.T + np.eye(6)


@pytest.mark.parametrize("noise_model", [filters.DWNA, filters.CWNA])
def test_predict_matches_matrix_form(noise_model):
    rng = np.random.default_rng(1)
    for dt in (0.0, 0.7, 4.0, -0.3):
        x, p = _random_state_and_covariance(rng)
        out_x, out_p = np.empty(6), np.empty((6, 6))
        filters.predict_cv(x, p, dt, 2.5, noise_model, out_x, out_p)
        f, q = ref.cv_matrices(dt, 2.5, noise_model)
        np.testing.assert_allclose(out_x, f @ x, rtol=1e-12)
        np.testing.assert_allclose(out_p, f @ p @ f.T + q, rtol=1e-10, atol=1e-8)


def test_cwna_noise_adds_over_split_intervals_and_dwna_does_not():
    one_step = np.array(filters.cv_process_noise_blocks(2.0, 1.0, filters.CWNA))
    f, _ = ref.cv_matrices(1.0, 0.0, filters.CWNA)
    _, q1 = ref.cv_matrices(1.0, 1.0, filters.CWNA)
    two_steps = f @ q1 @ f.T + q1
    np.testing.assert_allclose([two_steps[0, 0], two_steps[0, 3], two_steps[3, 3]], one_step, rtol=1e-12)
    _, d1 = ref.cv_matrices(1.0, 1.0, filters.DWNA)
    assert (f @ d1 @ f.T + d1)[0, 0] != pytest.approx(filters.cv_process_noise_blocks(2.0, 1.0, filters.DWNA)[0])


def test_polar_jacobian_matches_finite_differences():
    rng = np.random.default_rng(2)
    for _ in range(10):
        relative = rng.uniform(-50e3, 50e3, 3)
        jacobian = np.empty((3, 3))
        filters.polar_jacobian(relative, jacobian)
        numeric = np.empty((3, 3))
        for k in range(3):
            step = np.zeros(3)
            step[k] = 1e-3
            plus, minus = np.array(filters.polar_from_enu(relative + step)), np.array(filters.polar_from_enu(relative - step))
            numeric[:, k] = (plus - minus) / 2e-3
        np.testing.assert_allclose(jacobian, numeric, rtol=1e-6, atol=1e-12)


def test_polar_round_trip_and_conventions():
    relative = np.empty(3)
    filters.enu_from_polar(10_000.0, math.pi / 2, 0.0, relative)  # azimuth 90° = east
    np.testing.assert_allclose(relative, [10_000.0, 0.0, 0.0], atol=1e-9)
    rng_m, az, el = filters.polar_from_enu(np.array([0.0, 5000.0, 5000.0]))  # north, 45° up
    assert (rng_m, az, el) == pytest.approx((5000 * math.sqrt(2), 0.0, math.pi / 4))


def test_ekf_update_matches_reference():
    rng = np.random.default_rng(3)
    for _ in range(10):
        x, p = _random_state_and_covariance(rng)
        z = np.array(filters.polar_from_enu(x[:3] - RADAR)) + rng.normal(size=3) * SIGMAS
        z[1] = filters.wrap_angle(z[1])
        out_x, out_p = np.empty(6), np.empty((6, 6))
        log_likelihood = filters.ekf_update(x, p, z, SIGMAS, RADAR, out_x, out_p)
        ref_x, ref_p, ref_ll = ref.ekf_update(x, p, z, SIGMAS, RADAR)
        np.testing.assert_allclose(out_x, ref_x, rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(out_p, ref_p, rtol=1e-7, atol=1e-6)
        assert log_likelihood == pytest.approx(ref_ll, rel=1e-9)
        np.testing.assert_allclose(out_p, out_p.T)


def test_azimuth_innovation_wraps_across_north():
    x = np.array([-1.0, 50_000.0, 1000.0, 0, 0, 0])  # just west of north
    p = np.diag([100.0**2] * 3 + [10.0**2] * 3)
    z = np.array([filters.polar_from_enu(x[:3])[0], 0.0005, filters.polar_from_enu(x[:3])[2]])  # just east of north
    d2, _ = filters.innovation_statistics(x[:3], p[:3, :3], z, SIGMAS, np.zeros(3))
    assert d2 < 1.0


def test_initiation_matches_reference():
    z = np.array([60_000.0, 0.4, 0.05])
    x, p = np.empty(6), np.empty((6, 6))
    filters.initiate_from_polar(z, SIGMAS, RADAR, 577.0, x, p)
    ref_x, ref_p = ref.initiate_from_polar(z, SIGMAS, RADAR, 577.0)
    np.testing.assert_allclose(x, ref_x, rtol=1e-12)
    np.testing.assert_allclose(p, ref_p, rtol=1e-8, atol=1e-6)


def test_mode_transition_for_interval():
    reference = np.array([[0.95, 0.05], [0.10, 0.90]])
    np.testing.assert_allclose(imm.mode_transition_for_interval(reference, 1.0, 1.0), reference)
    np.testing.assert_allclose(imm.mode_transition_for_interval(reference, 1.0, 0.0), np.eye(2))
    three = imm.mode_transition_for_interval(reference, 1.0, 3.0)
    np.testing.assert_allclose(three.sum(axis=1), 1.0)
    assert three[0, 0] == pytest.approx(0.95**3)


def test_imm_update_matches_reference_and_single_mode_is_ekf():
    config = TrackerConfig(mode_noise_intensity=(1.0, 900.0, 50.0),
                           mode_transition=((0.9, 0.05, 0.05), (0.1, 0.8, 0.1), (0.2, 0.2, 0.6)),
                           initial_mode_probability=(0.5, 0.3, 0.2))
    p = config.kernel_parameters()
    rng = np.random.default_rng(4)
    base, cov = _random_state_and_covariance(rng)
    mode_state = base + rng.normal(size=(3, 6)) * 50
    mode_cov = np.stack([cov * s for s in (1.0, 1.5, 2.0)])
    mu = np.array([0.6, 0.3, 0.1])
    z = np.array(filters.polar_from_enu(base[:3] - RADAR)) + np.array([80.0, 0.004, -0.002])
    expected = ref.imm_update(config, mode_state, mode_cov, mu, 2.0, z, SIGMAS, RADAR)
    ms, mc, m = mode_state.copy(), mode_cov.copy(), mu.copy()
    x, pc = np.empty(6), np.empty((6, 6))
    imm.imm_update(ms, mc, m, 2.0, z, SIGMAS, RADAR, p.transition_reference, p.transition_interval_s,
                   p.mode_noise_intensity, p.noise_model, x, pc)
    for got, want in zip((ms, mc, m, x, pc), expected):
        np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-6)
    # one mode: exactly predict + EKF
    single = TrackerConfig.constant_velocity(4.0).kernel_parameters()
    ms1, mc1, m1 = base[None].copy(), cov[None].copy(), np.ones(1)
    imm.imm_update(ms1, mc1, m1, 2.0, z, SIGMAS, RADAR, single.transition_reference, 1.0,
                   single.mode_noise_intensity, single.noise_model, x, pc)
    f, q = ref.cv_matrices(2.0, 4.0, single.noise_model)
    ekf_x, ekf_p, _ = ref.ekf_update(f @ base, f @ cov @ f.T + q, z, SIGMAS, RADAR)
    np.testing.assert_allclose(x, ekf_x, rtol=1e-9)
    np.testing.assert_allclose(pc, ekf_p, rtol=1e-7, atol=1e-6)
    assert m1[0] == 1.0


def test_filter_sequence_parallel_kernel_matches_reference_loop():
    config = TrackerConfig()
    rng = np.random.default_rng(5)
    n_rep, n_steps = 3, 6
    t = np.cumsum(rng.uniform(0.5, 2.0, (n_rep, n_steps)), axis=1)
    truth = np.array([20e3, 40e3, 3e3]) + t[..., None] * np.array([150.0, -100.0, 0.0])
    z = np.array([[filters.polar_from_enu(p - RADAR) for p in row] for row in truth]) + rng.normal(size=(n_rep, n_steps, 3)) * SIGMAS
    states, covs, probs = imm.filter_measurement_sequence(config, z, t, RADAR, SIGMAS)
    p = config.kernel_parameters()
    for r in range(n_rep):
        x, cov = ref.initiate_from_polar(z[r, 0], SIGMAS, RADAR, p.velocity_sigma_mps)
        ms, mc, mu = np.stack([x, x]), np.stack([cov, cov]), p.initial_mode_probability.copy()
        for k in range(1, n_steps):
            ms, mc, mu, x, cov = ref.imm_update(config, ms, mc, mu, t[r, k] - t[r, k - 1], z[r, k], SIGMAS, RADAR)
            np.testing.assert_allclose(states[r, k], x, rtol=1e-7, atol=1e-5)
            np.testing.assert_allclose(covs[r, k], cov, rtol=1e-6, atol=1e-4)
            np.testing.assert_allclose(probs[r, k], mu, atol=1e-9)
