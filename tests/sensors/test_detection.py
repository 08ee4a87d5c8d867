"""Properties of the detection model: monotonicity, inverse, limits, shapes, radar equation, argument checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.sensors.detection import (
    BOLTZMANN_J_PER_K,
    albersheim_snr_db,
    detection_probability,
    detection_threshold,
    draw_detections,
    reference_snr_db,
    required_snr_db,
    shnidman_snr_db,
    simulate_pd,
    snr_db_from_reference,
    snr_db_radar_equation,
)

SWERLING = [0, 1, 2, 3, 4, 5]
RADAR = dict(peak_power_w=1e6, gain_tx_db=35.0, gain_rx_db=35.0, wavelength_m=0.1, pulse_width_s=1e-6,
             noise_figure_db=3.0, losses_db=6.0)


@pytest.mark.parametrize("swerling", SWERLING)
@pytest.mark.parametrize("n_pulses", [1, 2, 3, 20, 300])
def test_pd_monotone_in_snr_and_within_limits(swerling: int, n_pulses: int) -> None:
    snr_db = np.linspace(-40.0, 60.0, 1001)
    pd = detection_probability(snr_db, 1e-6, n_pulses, swerling)
    assert np.all(np.isfinite(pd))
    assert np.all(np.diff(pd) >= -1e-13)
    assert pd[0] == pytest.approx(1e-6, rel=0.05)  # -40 dB: Pd -> Pfa
    assert pd[-1] > 0.999


@pytest.mark.parametrize("swerling", SWERLING)
@pytest.mark.parametrize("n_pulses", [1, 4, 30])
def test_no_target_detects_at_pfa(swerling: int, n_pulses: int) -> None:
    assert detection_probability(-np.inf, 1e-4, n_pulses, swerling) == pytest.approx(1e-4, rel=1e-9)


def test_more_pulses_need_less_snr_per_pulse() -> None:
    for swerling in range(5):
        snr = [required_snr_db(0.9, 1e-6, n, swerling) for n in (1, 2, 10, 100)]
        assert snr == sorted(snr, reverse=True)


@settings(max_examples=25, deadline=None)
@given(pd=st.floats(0.05, 0.995), log10_pfa=st.floats(-10, -2), n_pulses=st.integers(1, 60),
       swerling=st.sampled_from(SWERLING))
def test_required_snr_inverts_detection_probability(pd: float, log10_pfa: float, n_pulses: int, swerling: int) -> None:
    pfa = 10.0**log10_pfa
    snr_db = required_snr_db(pd, pfa, n_pulses, swerling)
    assert float(detection_probability(snr_db, pfa, n_pulses, swerling)) == pytest.approx(pd, abs=1e-5)
    # and the SNR is found to better than 1e-4 dB: Pd one step either side brackets the target
    assert detection_probability(snr_db - 1e-4, pfa, n_pulses, swerling) < pd < detection_probability(snr_db + 1e-4, pfa, n_pulses, swerling)


def test_required_snr_accepts_arrays() -> None:
    pd = np.array([[0.5, 0.9], [0.95, 0.99]])
    snr_db = required_snr_db(pd, 1e-6, 10, 1)
    assert snr_db.shape == (2, 2)
    np.testing.assert_allclose(detection_probability(snr_db, 1e-6, 10, 1), pd, atol=1e-5)


@pytest.mark.parametrize("swerling", SWERLING)
@pytest.mark.parametrize("shape", [(), (7,), (3, 4), (2, 3, 5)])
def test_vectorised_shapes(swerling: int, shape: tuple[int, ...]) -> None:
    snr_db = np.random.default_rng(0).uniform(-5, 25, size=shape)
    pd = detection_probability(snr_db, 1e-6, 5, swerling)
    assert np.shape(pd) == shape
    flat = [float(detection_probability(float(x), 1e-6, 5, swerling)) for x in np.ravel(snr_db)]
    np.testing.assert_allclose(np.ravel(pd), flat, rtol=1e-13)


def test_swerling5_is_swerling0() -> None:
    snr_db = np.linspace(0, 20, 9)
    np.testing.assert_array_equal(detection_probability(snr_db, 1e-6, 8, 5), detection_probability(snr_db, 1e-6, 8, 0))


def test_threshold_single_pulse_is_minus_log_pfa() -> None:
    assert detection_threshold(1e-6) == pytest.approx(-math.log(1e-6), rel=1e-12)


def test_fluctuation_costs_snr_at_high_pd() -> None:
    # At Pd 0.9 a fluctuating target needs more SNR than a steady one; Swerling 1 the most.
    snr = {sw: required_snr_db(0.9, 1e-6, 1, sw) for sw in (0, 1, 3)}
    assert snr[0] < snr[3] < snr[1]


# ---------------------------------------------------------------- radar equation
def test_doubling_range_costs_12_04_db() -> None:
    near, far = snr_db_radar_equation([10e3, 20e3], 1.0, **RADAR)
    assert near - far == pytest.approx(40 * math.log10(2), abs=1e-12)
    assert near - far == pytest.approx(12.04, abs=0.005)


def test_rcs_scales_linearly() -> None:
    small, big = snr_db_radar_equation(30e3, [1.0, 10.0], **RADAR)
    assert big - small == pytest.approx(10.0, abs=1e-12)


def test_radar_equation_against_hand_computation() -> None:
    # SNR = Pt G² λ² σ τ / ((4π)³ R⁴ k T0 F L), every factor linear.
    range_m, rcs_m2 = 50e3, 2.0
    linear = (1e6 * 10**3.5 * 10**3.5 * 0.1**2 * rcs_m2 * 1e-6
              / ((4 * math.pi) ** 3 * range_m**4 * BOLTZMANN_J_PER_K * 290.0 * 10**0.3 * 10**0.6))
    assert snr_db_radar_equation(range_m, rcs_m2, **RADAR) == pytest.approx(10 * math.log10(linear), abs=1e-10)


def test_bandwidth_form_equals_pulse_width_form_and_coherent_gain() -> None:
    radar = {k: v for k, v in RADAR.items() if k != "pulse_width_s"}
    by_tau = snr_db_radar_equation(40e3, 1.0, **RADAR)
    assert snr_db_radar_equation(40e3, 1.0, noise_bandwidth_hz=1e6, **radar) == pytest.approx(by_tau, abs=1e-12)
    assert snr_db_radar_equation(40e3, 1.0, n_pulses_coherent=16, **RADAR) == pytest.approx(by_tau + 10 * math.log10(16))


def test_radar_equation_broadcasts_range_and_rcs() -> None:
    snr_db = snr_db_radar_equation(np.array([[10e3], [20e3], [40e3]]), np.array([0.1, 1.0]), **RADAR)
    assert snr_db.shape == (3, 2)
    assert snr_db_radar_equation(10e3, 0.0, **RADAR) == -np.inf


def test_reference_form_agrees_with_full_equation() -> None:
    ranges_m = np.array([5e3, 37e3, 120e3])
    rcs_m2 = np.array([0.01, 1.0, 25.0])
    full = snr_db_radar_equation(ranges_m, rcs_m2, **RADAR)
    ref = float(snr_db_radar_equation(45e3, 1.0, **RADAR))
    scaled = snr_db_from_reference(ranges_m, rcs_m2, ref_range_m=45e3, ref_rcs_m2=1.0, ref_snr_db=ref)
    np.testing.assert_allclose(scaled, full, atol=1e-10)


def test_reference_point_detects_with_reference_pd() -> None:
    # "detects a 1 m² target at 45 km with Pd 0.9, Pfa 1e-6, Swerling 1"
    ref_snr_db = reference_snr_db(0.9, 1e-6, 1, 1)
    snr_db = snr_db_from_reference([45e3, 90e3], [1.0, 16.0], ref_range_m=45e3, ref_rcs_m2=1.0, ref_snr_db=ref_snr_db)
    np.testing.assert_allclose(detection_probability(snr_db, 1e-6, 1, 1), [0.9, 0.9], atol=1e-5)  # 16 m² at 2R: same SNR


# ---------------------------------------------------------------- draws
def test_draw_detections_shape_and_rate() -> None:
    rng = np.random.default_rng(42)
    pd = np.full((200, 500), 0.3)
    hits = draw_detections(rng, pd)
    assert hits.shape == pd.shape and hits.dtype == np.bool_
    assert abs(hits.mean() - 0.3) < 4.5 * math.sqrt(0.3 * 0.7 / pd.size)
    assert not draw_detections(rng, np.zeros(10)).any() and draw_detections(rng, np.ones(10)).all()


def test_simulate_pd_is_reproducible_with_seed() -> None:
    a = simulate_pd([5.0, 10.0], 1e-3, 4, 2, 2000, np.random.default_rng(5))
    b = simulate_pd([5.0, 10.0], 1e-3, 4, 2, 2000, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (2,)


# ---------------------------------------------------------------- argument checks
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: required_snr_db(1e-6, 1e-6), "pd must satisfy pfa < pd < 1"),
        (lambda: required_snr_db(1e-7, 1e-6), "pd must satisfy pfa < pd < 1"),
        (lambda: required_snr_db(1.0, 1e-6), "pd must satisfy pfa < pd < 1"),
        (lambda: required_snr_db(0.9, 0.0), "pfa must lie strictly between 0 and 1"),
        (lambda: detection_probability(10.0, 1.0), "pfa must lie strictly between 0 and 1"),
        (lambda: detection_probability(10.0, -0.1), "pfa must lie strictly between 0 and 1"),
        (lambda: detection_probability(10.0, 1e-6, 1, 6), "swerling must be one of"),
        (lambda: detection_probability(10.0, 1e-6, 1, -1), "swerling must be one of"),
        (lambda: detection_probability(10.0, 1e-6, 0), "n_pulses must be an integer >= 1"),
        (lambda: detection_probability(10.0, 1e-6, 2.5), "n_pulses must be an integer >= 1"),
        (lambda: shnidman_snr_db(0.9, 1e-6, 0), "n_pulses must be an integer >= 1"),
        (lambda: shnidman_snr_db(0.05, 1e-6, 1, 1), "Shnidman's equation covers"),
        (lambda: albersheim_snr_db(0.9, 2.0), "pfa must lie strictly between 0 and 1"),
        (lambda: albersheim_snr_db(0.01, 1e-3), "Albersheim's equation has no solution"),
        (lambda: simulate_pd(5.0, 1e-3, 1, 7, 10, np.random.default_rng()), "swerling must be one of"),
        (lambda: snr_db_radar_equation(1e3, 1.0, **{**RADAR, "noise_bandwidth_hz": 1e6}), "exactly one of"),
        (lambda: snr_db_radar_equation(0.0, 1.0, **RADAR), "range_m must be positive"),
        (lambda: snr_db_radar_equation(1e3, -1.0, **RADAR), "rcs_m2 non-negative"),
        (lambda: snr_db_radar_equation(1e3, 1.0, **{**RADAR, "peak_power_w": 0.0}), "peak_power_w must be positive"),
        (lambda: snr_db_from_reference(1e3, 1.0, ref_range_m=0.0, ref_rcs_m2=1.0, ref_snr_db=13.0), "must be positive"),
    ],
)
def test_invalid_arguments_raise_clear_value_error(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
