"""The verification table: each model against an outside reference value, as `iadsim verify` prints it.

Every row computes a number with iadsim's own code and compares it with a value published outside this project
(a textbook table, a closed form, a standard). `tests/validation/test_verify_table.py` runs every row; the
deeper checks of each model (Monte Carlo agreement, whole response curves) are in tests/validation/.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Check:
    model: str
    quantity: str
    reference: str
    expected: float
    tolerance: float  # absolute, in the quantity's unit
    obtain: Callable[[], float]


@dataclass(frozen=True)
class Result:
    check: Check
    obtained: float

    @property
    def error(self) -> float:
        return self.obtained - self.check.expected

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.obtained) and abs(self.error) <= self.check.tolerance)


def _snr(swerling: int) -> Callable[[], float]:
    def obtain() -> float:
        from iadsim.sensors.detection import required_snr_db

        return float(required_snr_db(0.9, 1e-6, 1, swerling))

    return obtain


def _shnidman() -> float:
    from iadsim.sensors.detection import shnidman_snr_db

    return float(shnidman_snr_db(0.9, 1e-6, 1, 0))


def _albersheim() -> float:
    from iadsim.sensors.detection import albersheim_snr_db

    return float(albersheim_snr_db(0.9, 1e-6, 1))


def _horizon_km() -> float:
    from iadsim.earth.curvature import radar_horizon_m

    return float(radar_horizon_m(10.0, 100.0)) / 1000.0


def _isa(index: int, altitude_m: float) -> Callable[[], float]:
    def obtain() -> float:
        from iadsim.earth.atmosphere import isa

        return float(isa(altitude_m)[index])

    return obtain


KALATA_CASE = (5.0, 2.0, 30.0)  # σ_a (m/s²), T (s), σ_w (m): tracking index Λ = σ_a T²/σ_w = 2/3


def _kalata_alpha_beta() -> tuple[float, float]:
    """Steady-state α, β of the CV filter with DWNA noise (Kalata 1984; BLK §6.5.3) for KALATA_CASE."""
    sigma_a, period, sigma_w = KALATA_CASE
    lam = sigma_a * period**2 / sigma_w
    root = math.sqrt(lam**2 + 8 * lam)
    return -(lam**2 + 8 * lam - (lam + 4) * root) / 8, (lam**2 + 4 * lam - lam * root) / 4


def _tracker_gain(which: int) -> Callable[[], float]:
    """Steady-state gain of iadsim's EKF on a target along the radar's north axis (range = position), after 400
    updates: α = P⁺_nn/σ_w², β = T·P⁺_vn/σ_w² (K = P⁺Hᵀ R⁻¹, BLK §5.2.3)."""

    def obtain() -> float:
        from iadsim.tracking import TrackerConfig, filter_measurement_sequence

        sigma_a, period, sigma_w = KALATA_CASE
        t = np.arange(400) * period
        measurements = np.stack([50_000.0 + 100.0 * t, np.zeros(t.size), np.zeros(t.size)], axis=-1)[None]
        config = TrackerConfig.constant_velocity(sigma_a**2, process_noise_model="dwna")
        _, covariance, _ = filter_measurement_sequence(config, measurements, t[None], np.zeros(3), [sigma_w, 1e-3, 1e-3])
        posterior = covariance[0, -1]
        return float(posterior[1, 1] / sigma_w**2 if which == 0 else period * posterior[4, 1] / sigma_w**2)

    return obtain


def _homing_miss(nprime: float, x: float, kind: str) -> Callable[[], float]:
    """Normalised miss of the single-time-constant homing loop (T = 1 s): step target manoeuvre M/(n_T·T²),
    heading error M/(−V_M·HE·T)."""

    def obtain() -> float:
        from iadsim.interceptor.linear import homing_loop

        if kind == "manoeuvre":
            return homing_loop(nprime, x, 1.0, vc_mps=1000.0, vm_mps=1000.0, target_accel_mps2=1.0).miss_m
        return homing_loop(nprime, x, 1.0, vc_mps=1000.0, vm_mps=1000.0, heading_error_rad=-1e-3).miss_m  # −V_M·HE·T = 1

    return obtain


def _pn_identity() -> float:
    """Worst |(γ − γ0) − N(λ − λ0)| (rad) of pure PN on a stationary target, 3-DOF, no gravity/drag/thrust."""
    from iadsim.interceptor import PURE_PN, InterceptorParams, TargetTruth, fly, launch

    nav, gamma0, height = 3.0, math.radians(40.0), 5000.0
    params = InterceptorParams.kinematic(nav_constant=nav, guidance_law=PURE_PN)
    state = launch(params, 0, [0.0, 0.0, height], [300 * math.cos(gamma0), 300 * math.sin(gamma0), 0.0], 0.0)
    target = np.array([8000.0, 1000.0])
    truth = TargetTruth(np.array([[*target, height]]), np.zeros((1, 3)))
    lambda0, worst, t = math.atan2(target[1], target[0]), 0.0, 0.0
    while np.hypot(*(target - state.position_m[0, :2])) > 300.0:
        fly(state, params, truth, t, t + 0.25, 0.01, gravity_mps2=0.0)
        t += 0.25
        los = target - state.position_m[0, :2]
        gamma = math.atan2(state.velocity_mps[0, 1], state.velocity_mps[0, 0])
        worst = max(worst, abs((gamma - gamma0) - nav * (math.atan2(los[1], los[0]) - lambda0)))
    return worst


def _clopper_pearson(k: int, n: int, side: int) -> Callable[[], float]:
    def obtain() -> float:
        from iadsim.montecarlo.stats import clopper_pearson

        return float(clopper_pearson(k, n)[side])

    return obtain


KALATA = "Kalata, IEEE TAES 20(2), 1984; Bar-Shalom, Li & Kirubarajan §6.5.3 (α–β closed form)"
ZARCHAN = "Zarchan, Tactical and Strategic Missile Guidance, 6th ed., ch. 3 (single time constant, closed form)"
CHECKS: list[Check] = [
    Check("detection", "required SNR, Swerling 0, Pd 0.9, Pfa 1e-6 (dB)", "Richards, Fundamentals of Radar Signal "
          "Processing, §6.2 (exact, Marcum Q)", 13.18, 0.05, _snr(0)),
    Check("detection", "required SNR, Swerling 1, Pd 0.9, Pfa 1e-6 (dB)", "Richards §7.2, Pd = Pfa^(1/(1+SNR))",
          21.14, 0.05, _snr(1)),
    Check("detection", "required SNR, Swerling 3, Pd 0.9, Pfa 1e-6 (dB)", "Richards §7.2 (exact, 4 dof)", 17.30, 0.05,
          _snr(3)),
    Check("detection", "Shnidman SNR, Swerling 0, Pd 0.9, Pfa 1e-6 (dB)", "MATLAB shnidman(0.9,1e-6,1)", 13.12, 0.1,
          _shnidman),
    Check("detection", "Albersheim SNR, Pd 0.9, Pfa 1e-6 (dB)", "MATLAB albersheim(0.9,1e-6,1)", 13.11, 0.1,
          _albersheim),
    Check("earth", "radar horizon, antenna 10 m, target 100 m (km)", "Skolnik, Introduction to Radar Systems, "
          "4.12(√h1+√h2) km, k = 4/3", 4.12 * (math.sqrt(10) + math.sqrt(100)), 0.005 * 4.12 * (math.sqrt(10) + 10),
          _horizon_km),
    Check("earth", "ISA density at sea level (kg/m³)", "ICAO Doc 7488", 1.225, 0.001, _isa(2, 0.0)),
    Check("earth", "ISA speed of sound at sea level (m/s)", "ICAO Doc 7488", 340.294, 0.01, _isa(3, 0.0)),
    Check("earth", "ISA temperature at 11,019 m geometric (K)", "ICAO Doc 7488 (11 km geopotential)", 216.65, 0.01,
          _isa(0, 11_019.0)),
    Check("tracking", "steady-state α, CV Kalman filter, Λ = 2/3", KALATA, _kalata_alpha_beta()[0], 1e-4,
          _tracker_gain(0)),
    Check("tracking", "steady-state β, CV Kalman filter, Λ = 2/3", KALATA, _kalata_alpha_beta()[1], 1e-4,
          _tracker_gain(1)),
    Check("homing loop", "miss/(n_T T²), step manoeuvre, N'=3, tF/T=1", ZARCHAN, 0.1839, 0.003,
          _homing_miss(3, 1, "manoeuvre")),
    Check("homing loop", "miss/(n_T T²), step manoeuvre, N'=3, tF/T=2", ZARCHAN, 0.2707, 0.003,
          _homing_miss(3, 2, "manoeuvre")),
    Check("homing loop", "miss/(n_T T²), step manoeuvre, N'=4, tF/T=1", ZARCHAN, 0.1226, 0.003,
          _homing_miss(4, 1, "manoeuvre")),
    Check("homing loop", "miss/(n_T T²), step manoeuvre, N'=4, tF/T=2", ZARCHAN, 0.0902, 0.003,
          _homing_miss(4, 2, "manoeuvre")),
    Check("homing loop", "miss/(−V_M HE T), heading error, N'=3, tF/T=1", ZARCHAN, 0.1839, 0.003,
          _homing_miss(3, 1, "heading")),
    Check("homing loop", "miss/(−V_M HE T), heading error, N'=4, tF/T=1", ZARCHAN, 0.0613, 0.003,
          _homing_miss(4, 1, "heading")),
    Check("homing loop", "miss/(−V_M HE T), heading error, N'=4, tF/T=2", ZARCHAN, -0.0902, 0.003,
          _homing_miss(4, 2, "heading")),
    Check("interceptor 3-DOF", "pure PN: max |γ−γ0 − N(λ−λ0)| (rad)", "Shneydor, Missile Guidance and Pursuit, "
          "PN kinematic identity", 0.0, 1e-6, _pn_identity),
    Check("statistics", "Clopper–Pearson 95% lower bound, 4 of 4", "Clopper & Pearson 1934 (beta quantile)", 0.398,
          0.0005, _clopper_pearson(4, 4, 0)),
    Check("statistics", "Clopper–Pearson 95% lower bound, 7 of 8", "Clopper & Pearson 1934", 0.473, 0.0005,
          _clopper_pearson(7, 8, 0)),
    Check("statistics", "Clopper–Pearson 95% upper bound, 7 of 8", "Clopper & Pearson 1934", 0.997, 0.0005,
          _clopper_pearson(7, 8, 1)),
]


def run_checks(checks: list[Check] | None = None) -> list[Result]:
    return [Result(check, float(check.obtain())) for check in (CHECKS if checks is None else checks)]
