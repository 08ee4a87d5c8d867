"""Detection model against outside references: published required-SNR values, published closed forms,
an independent numerical integration, and a Monte Carlo of the signal-level physics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special, stats

from iadsim.sensors.detection import (
    albersheim_snr_db,
    detection_probability,
    detection_threshold,
    required_snr_db,
    shnidman_snr_db,
    simulate_pd,
)

PFA = 1e-6


# Required single-pulse SNR at Pd 0.9, Pfa 1e-6, square-law detector, exact: Swerling 0 13.18 dB,
# Swerling 1 21.14 dB, Swerling 3 17.30 dB (the textbook values quoted in the project brief). Independent
# sources: Swerling 0 is sdr.min_snr(0.9, 1e-6, detector="square-law") = 13.183490056794499 in the
# documentation of the `sdr` Python package (mhostetter.github.io/sdr/latest/api/sdr.min_snr); Swerling 1
# and 3 follow from the published single-pulse closed forms checked below (SW1: 10 log10(ln Pfa/ln Pd - 1)
# = 21.144 dB).
@pytest.mark.parametrize(("swerling", "expected_db"), [(0, 13.18), (5, 13.18), (1, 21.14), (3, 17.30)])
def test_required_snr_single_pulse_matches_published(swerling: int, expected_db: float) -> None:
    assert required_snr_db(0.9, PFA, 1, swerling) == pytest.approx(expected_db, abs=0.05)


def test_required_snr_swerling0_matches_sdr_package_to_1e_3_db() -> None:
    assert required_snr_db(0.9, PFA, 1, 0) == pytest.approx(13.183490056794499, abs=1e-3)


def test_pulse_to_pulse_equals_scan_to_scan_for_one_pulse() -> None:
    # With one pulse there is no "pulse to pulse": Swerling 2 ≡ 1 and 4 ≡ 3 (Swerling 1960).
    snr_db = np.linspace(-5, 30, 15)
    np.testing.assert_allclose(detection_probability(snr_db, PFA, 1, 2), detection_probability(snr_db, PFA, 1, 1), rtol=1e-12)
    np.testing.assert_allclose(detection_probability(snr_db, PFA, 1, 4), detection_probability(snr_db, PFA, 1, 3), rtol=1e-12)


def test_shnidman_matches_matlab() -> None:
    # MATLAB Phased Array System Toolbox: shnidman(0.9, 1e-6, 1) = 13.12 dB.
    assert shnidman_snr_db(0.9, PFA, 1, 0) == pytest.approx(13.12, abs=0.1)


def test_albersheim_matches_matlab() -> None:
    # MATLAB Phased Array System Toolbox: albersheim(0.9, 1e-6, 1) = 13.11 dB.
    assert albersheim_snr_db(0.9, PFA, 1) == pytest.approx(13.11, abs=0.1)


@pytest.mark.parametrize("swerling", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("n_pulses", [1, 10, 50, 100])
def test_shnidman_close_to_exact(swerling: int, n_pulses: int) -> None:
    # Shnidman (IEEE Trans. AES 2002; MATLAB shnidman.m help) quotes errors "less than 0.5 dB" for
    # 0.1 <= Pd <= 0.99, 1e-9 <= Pfa <= 1e-3, 1 <= n <= 100. Against the exact values we see up to
    # 0.67 dB at the corners (Swerling 1/3, Pd 0.99, n >= 50; Swerling 1, Pd 0.1, n = 1) and <= 0.12 dB for
    # Swerling 0, so: 0.75 dB everywhere on this grid, 0.15 dB for the non-fluctuating case.
    tolerance_db = 0.15 if swerling == 0 else 0.75
    for pd in (0.1, 0.5, 0.9, 0.99):
        exact = required_snr_db(pd, PFA, n_pulses, swerling)
        assert abs(shnidman_snr_db(pd, PFA, n_pulses, swerling) - exact) < tolerance_db


@pytest.mark.parametrize("pfa", [1e-3, 1e-6])
@pytest.mark.parametrize("n_pulses", [1, 10, 100, 1000])
def test_albersheim_close_to_exact(pfa: float, n_pulses: int) -> None:
    # Albersheim (1981) is fitted to Robertson's linear-detector curves; its quoted < 0.2 dB error
    # (0.1 <= Pd <= 0.9, 1e-7 <= Pfa <= 1e-3) holds here only for Pd >= ~0.5: against the exact
    # square-law values we see <= 0.28 dB for 0.5 <= Pd <= 0.9, but 0.9 dB (Pfa 1e-6) and 4 dB (Pfa 1e-3)
    # too optimistic at Pd 0.1, single pulse, where linear and square law are the same detector.
    for pd in (0.5, 0.7, 0.9):
        assert abs(albersheim_snr_db(pd, pfa, n_pulses) - required_snr_db(pd, pfa, n_pulses, 0)) < 0.3


def test_swerling1_single_pulse_closed_form() -> None:
    # Pd = Pfa^(1/(1+SNR)) (Mahafza, ch. "Radar Detection", Swerling I; Richards FRSP ch. 6), hence
    # SNR = ln Pfa / ln Pd - 1.
    snr = np.logspace(-1, 3, 20)
    np.testing.assert_allclose(detection_probability(10 * np.log10(snr), PFA, 1, 1), PFA ** (1 / (1 + snr)), rtol=1e-12)
    assert required_snr_db(0.9, PFA, 1, 1) == pytest.approx(10 * math.log10(math.log(PFA) / math.log(0.9) - 1), abs=1e-5)


def test_swerling3_single_pulse_closed_form() -> None:
    # Pd = exp(-T/(1+S/2)) (1 + 2 S T / (2+S)^2), T = -ln Pfa (Mahafza, ch. "Radar Detection", Swerling III).
    snr = np.logspace(-1, 3, 20)
    threshold = -math.log(PFA)
    expected = np.exp(-threshold / (1 + snr / 2)) * (1 + 2 * snr * threshold / (2 + snr) ** 2)
    np.testing.assert_allclose(detection_probability(10 * np.log10(snr), PFA, 1, 3), expected, rtol=1e-12)


def test_swerling0_single_pulse_is_marcum_q1() -> None:
    # Pd = Q1(sqrt(2S), sqrt(-2 ln Pfa)) (Marcum 1960); Q1 from its series in modified Bessel functions,
    # Q1(a, b) = exp(-(a²+b²)/2) Σ_k (a/b)^k I_k(ab), an evaluation independent of scipy.stats.ncx2.
    snr = np.array([1.0, 10.0, 20.0, 40.0])
    a, b = np.sqrt(2 * snr), math.sqrt(-2 * math.log(PFA))
    k = np.arange(0, 400)[:, None]
    q1 = np.sum(np.exp(k * np.log(a / b) - (a - b) ** 2 / 2) * special.ive(k, a * b), axis=0)
    np.testing.assert_allclose(detection_probability(10 * np.log10(snr), PFA, 1, 0), q1, rtol=1e-9)


@pytest.mark.parametrize("n_pulses", [2, 10, 40])
@pytest.mark.parametrize("swerling", [1, 3])
def test_scan_to_scan_equals_fluctuation_average_of_swerling0(n_pulses: int, swerling: int) -> None:
    # Swerling (1960): the scan-to-scan Pd is the Swerling 0 Pd averaged over the RCS density
    # (exponential for 1, chi-square 4 dof for 3), here by Simpson's rule on a fine grid in log-RCS.
    log_u = np.linspace(-40.0, 5.0, 40_001)
    u = np.exp(log_u)
    density = np.exp(-u) if swerling == 1 else 4 * u * np.exp(-2 * u)
    threshold = detection_threshold(PFA, n_pulses)
    for snr_db in (-8.0, 0.0, 8.0, 20.0):
        snr = 10 ** (snr_db / 10)
        integrand = u * density * stats.ncx2.sf(2 * threshold, 2 * n_pulses, 2 * n_pulses * snr * u)
        expected = integrate.simpson(integrand, x=log_u)
        assert float(detection_probability(snr_db, PFA, n_pulses, swerling)) == pytest.approx(expected, rel=1e-7, abs=1e-13)


def test_swerling4_two_pulses_is_convolution_of_single_pulse_law() -> None:
    # Swerling 4, two pulses: z = z1 + z2 with z1, z2 independent, each with the single-pulse survival
    # function S1(t) = exp(-t/b)(1 + k t), b = 1 + S/2, k = 2S/(2+S)² (Swerling III/IV single pulse,
    # Mahafza). P(z > T) = S1(T) + ∫_0^T f1(z) S1(T - z) dz, by quadrature.
    threshold = detection_threshold(PFA, 2)
    for snr_db in (0.0, 7.0, 15.0):
        snr = 10 ** (snr_db / 10)
        b, k = 1 + snr / 2, 2 * snr / (2 + snr) ** 2

        def survival(t: float, b: float = b, k: float = k) -> float:
            return math.exp(-t / b) * (1 + k * t)

        def density(t: float, b: float = b, k: float = k) -> float:
            return math.exp(-t / b) * ((1 + k * t) / b - k)

        tail = integrate.quad(lambda z: density(z) * survival(threshold - z), 0, threshold, epsabs=1e-14, epsrel=1e-11)[0]
        assert float(detection_probability(snr_db, PFA, 2, 4)) == pytest.approx(survival(threshold) + tail, rel=1e-9)


@pytest.mark.parametrize("swerling", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("n_pulses", [1, 10])
def test_monte_carlo_physics_reproduces_exact_pd(swerling: int, n_pulses: int) -> None:
    pfa, trials = 1e-3, 20_000
    rng = np.random.default_rng(1000 * swerling + n_pulses)
    centre_db = float(required_snr_db(0.5, pfa, n_pulses, swerling))
    snr_db = np.array([centre_db - 3.0, centre_db, centre_db + 3.0])
    exact = detection_probability(snr_db, pfa, n_pulses, swerling)
    estimate = simulate_pd(snr_db, pfa, n_pulses, swerling, trials, rng)
    sigma = np.sqrt(exact * (1 - exact) / trials)
    assert np.all(np.abs(estimate - exact) < 4.5 * sigma), (estimate, exact)


def test_monte_carlo_false_alarm_rate() -> None:
    # No target (SNR -inf): the fraction above the threshold is Pfa.
    pfa, trials = 0.01, 100_000
    estimate = simulate_pd(-np.inf, pfa, 10, 1, trials, np.random.default_rng(7))
    assert abs(estimate - pfa) < 4.5 * math.sqrt(pfa * (1 - pfa) / trials)
