"""Guidance laws, limits and the counter-based seeker noise (numba scalar functions)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.interceptor import AUGMENTED_PN, G0_MPS2, PURE_PN, TRUE_PN
from iadsim.interceptor.guidance import (
    lateral_limit_mps2,
    noise_los_rate,
    normal_part_clipped,
    pn_command,
    seeker_noise_pair,
)


def _command(law, nav=4.0, target_acc=(0.0, 0.0, 0.0), noise=(0.0, 0.0, 0.0)):
    # missile at origin flying +x at 500 m/s; target 10 km ahead, 1 km left, crossing at 200 m/s
    return np.array(pn_command(0, 0, 0, 500, 0, 0, 10_000, 1_000, 0, 0, -200, 0, *target_acc, law, nav, *noise))


def _los_geometry():
    r = np.array([10_000.0, 1_000.0, 0.0])
    v_rel = np.array([0.0, -200.0, 0.0]) - np.array([500.0, 0.0, 0.0])
    omega = np.cross(r, v_rel) / (r @ r)
    return r, v_rel, omega


def test_pure_pn_is_normal_to_velocity_with_textbook_magnitude():
    a = _command(PURE_PN)
    _, _, omega = _los_geometry()
    assert abs(a[0]) < 1e-12  # ⟂ v = +x
    assert math.isclose(np.linalg.norm(a), 4.0 * 500.0 * np.linalg.norm(omega), rel_tol=1e-12)


def test_true_pn_is_normal_to_los_with_closing_velocity_gain():
    a = _command(TRUE_PN)
    r, v_rel, omega = _los_geometry()
    closing = -(r @ v_rel) / np.linalg.norm(r)
    assert abs(a @ r) < 1e-9 * np.linalg.norm(a) * np.linalg.norm(r)
    assert math.isclose(np.linalg.norm(a), 4.0 * closing * np.linalg.norm(omega), rel_tol=1e-12)
    u = r / np.linalg.norm(r)
    assert a @ np.cross(omega, u) > 0  # along Ω × û: turns the missile the way the LOS rotates


def test_augmented_pn_adds_half_n_times_target_acceleration_normal_to_los():
    target_acc = np.array([30.0, 40.0, -20.0])
    extra = _command(AUGMENTED_PN, target_acc=tuple(target_acc)) - _command(TRUE_PN)
    u = np.array([10_000.0, 1_000.0, 0.0]) / np.hypot(10_000.0, 1_000.0)
    np.testing.assert_allclose(extra, 2.0 * (target_acc - (target_acc @ u) * u), atol=1e-10)


def test_los_rate_noise_adds_to_measured_rate():
    noise = (0.0, 0.0, 1e-3)
    delta = _command(PURE_PN, noise=noise) - _command(PURE_PN)
    np.testing.assert_allclose(delta, 4.0 * np.cross(noise, [500.0, 0.0, 0.0]), atol=1e-12)


def test_lateral_limit_is_min_of_g_and_lift():
    assert lateral_limit_mps2(30.0, np.inf, 0.1, 1.2, 500.0, 100.0) == 30.0 * G0_MPS2
    lift = 0.5 * 0.1 * 300.0**2 * 0.05 * 2.0 / 100.0
    assert math.isclose(lateral_limit_mps2(30.0, 2.0, 0.05, 0.1, 300.0, 100.0), lift)
    assert lateral_limit_mps2(30.0, 2.0, 0.05, 0.0, 300.0, 100.0) == 0.0  # no air, no lift


@settings(max_examples=60, deadline=None)
@given(
    a=st.tuples(*[st.floats(-1e3, 1e3)] * 3),
    v=st.tuples(*[st.floats(-1e3, 1e3)] * 3).filter(lambda v: np.linalg.norm(v) > 1.0),
    limit=st.floats(0.0, 500.0),
)
def test_normal_part_clipped_is_normal_and_bounded(a, v, limit):
    out = np.array(normal_part_clipped(*a, *v, limit))
    assert np.linalg.norm(out) <= limit * (1 + 1e-12) + 1e-12
    assert abs(out @ np.array(v)) <= 1e-9 * (np.linalg.norm(a) + 1) * np.linalg.norm(v)


def test_seeker_noise_is_standard_normal_and_keyed():
    draws = np.array([seeker_noise_pair(np.uint64(99), k) for k in range(20_000)])
    assert abs(draws.mean()) < 0.03 and abs(draws.std() - 1.0) < 0.02
    assert abs(np.corrcoef(draws[:, 0], draws[:, 1])[0, 1]) < 0.03
    other = np.array([seeker_noise_pair(np.uint64(100), k) for k in range(20_000)])
    assert abs(np.corrcoef(draws[:, 0], other[:, 0])[0, 1]) < 0.03
    assert seeker_noise_pair(np.uint64(99), 17) == tuple(draws[17])  # pure function of (seed, sample)


def test_noise_los_rate_statistics_and_geometry():
    sigma, period = 1e-3, 0.02
    los = (3000.0, -4000.0, 1200.0)
    rates = np.array([noise_los_rate(np.uint64(5), (k + 0.5) * period, period, sigma, *los) for k in range(1, 8001)])
    u = np.array(los) / np.linalg.norm(los)
    assert np.abs(rates @ u).max() < 1e-12  # a rotation ⟂ LOS
    per_axis_std = np.sqrt((rates**2).sum(axis=1).mean() / 2)
    assert abs(per_axis_std / (math.sqrt(2) * sigma / period) - 1) < 0.03  # Δn/T_s, Δn ~ N(0, 2σ²)
    assert noise_los_rate(np.uint64(5), 0.5 * period, period, sigma, *los) == (0.0, 0.0, 0.0)
    assert noise_los_rate(np.uint64(5), 10.0, period, 0.0, *los) == (0.0, 0.0, 0.0)
    vertical = noise_los_rate(np.uint64(5), 1.0, period, sigma, 0.0, 0.0, 5000.0)
    assert np.all(np.isfinite(vertical)) and abs(vertical[2]) < 1e-15
