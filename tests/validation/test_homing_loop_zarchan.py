"""Linear PN homing loop against Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.

Outside references:
- ch. 2 (Fundamentals of Tactical Missile Guidance), closed-form zero-lag PN solutions:
  heading error     n_c(t) = −V_M·HE·N′/t_F · (1 − t/t_F)^(N′−2)
  step manoeuvre    n_c(t)/n_T = N′/(N′−2) · [1 − (1 − t/t_F)^(N′−2)]
  and zero miss for both.
- ch. 3 (Method of Adjoints and the Homing Loop), closed-form miss of the single-time-constant guidance
  system, x = t_F/T:
  step manoeuvre    M/(n_T·T²):    N′=3: 0.5·x²·e^−x;      N′=4: x²·e^−x·(1/2 − x/6)
  heading error     M/(−V_M·HE·T): N′=3: x·e^−x·(1 − x/2); N′=4: x·e^−x·(1 − x + x²/6)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from iadsim.interceptor.linear import homing_loop

G_MPS2 = 9.80665
# Zarchan's ch. 2 example engagement in SI: V_M = 3000 ft/s, V_c = 4000 ft/s, HE = −20°, n_T = 3 g, t_F = 10 s.
MISSILE_SPEED_MPS = 914.4
CLOSING_SPEED_MPS = 1219.2
HEADING_ERROR_RAD = math.radians(-20.0)
TARGET_ACCEL_MPS2 = 3.0 * G_MPS2
FLIGHT_TIME_S = 10.0

NORMALISED_MISS_TOLERANCE = 0.003


def _in_first_90_percent(result):
    return result.t_s / FLIGHT_TIME_S <= 0.9 + 1e-12


@pytest.mark.parametrize("nprime", [3.0, 4.0, 5.0])
def test_zero_lag_heading_error_command_matches_zarchan_ch2_closed_form(nprime):
    result = homing_loop(
        nprime, FLIGHT_TIME_S, vc_mps=CLOSING_SPEED_MPS, vm_mps=MISSILE_SPEED_MPS, heading_error_rad=HEADING_ERROR_RAD
    )
    t_over_tf = result.t_s / FLIGHT_TIME_S
    expected_mps2 = -MISSILE_SPEED_MPS * HEADING_ERROR_RAD * nprime / FLIGHT_TIME_S * (1.0 - t_over_tf) ** (nprime - 2)
    window = _in_first_90_percent(result)
    worst_error_mps2 = np.max(np.abs(result.accel_cmd_mps2[window] - expected_mps2[window]))
    assert worst_error_mps2 <= 0.02 * abs(expected_mps2[0])
    # Zero-lag PN removes a heading error completely (ch. 2): miss ≈ 0 against the uncorrected V_M·HE·t_F.
    assert abs(result.miss_m) <= 1e-6 * MISSILE_SPEED_MPS * abs(HEADING_ERROR_RAD) * FLIGHT_TIME_S


@pytest.mark.parametrize("nprime", [3.0, 4.0, 5.0])
def test_zero_lag_step_manoeuvre_command_matches_zarchan_ch2_closed_form(nprime):
    result = homing_loop(
        nprime, FLIGHT_TIME_S, vc_mps=CLOSING_SPEED_MPS, vm_mps=MISSILE_SPEED_MPS, target_accel_mps2=TARGET_ACCEL_MPS2
    )
    t_over_tf = result.t_s / FLIGHT_TIME_S
    final_value_scale = nprime / (nprime - 2.0)
    expected_ratio = final_value_scale * (1.0 - (1.0 - t_over_tf) ** (nprime - 2))
    obtained_ratio = result.accel_cmd_mps2 / TARGET_ACCEL_MPS2
    window = _in_first_90_percent(result)
    assert np.max(np.abs(obtained_ratio[window] - expected_ratio[window])) <= 0.02 * final_value_scale
    # Zero-lag PN hits a step-manoeuvring target (ch. 2): miss ≈ 0 against the unguided 0.5·n_T·t_F².
    assert abs(result.miss_m) <= 1e-4 * 0.5 * TARGET_ACCEL_MPS2 * FLIGHT_TIME_S**2


def _single_lag_normalised_miss(kind, nprime, x, time_constant_s=0.5):
    flight_time_s = x * time_constant_s
    if kind == "step manoeuvre":
        result = homing_loop(
            nprime, flight_time_s, time_constant_s,
            vc_mps=CLOSING_SPEED_MPS, vm_mps=MISSILE_SPEED_MPS, target_accel_mps2=TARGET_ACCEL_MPS2,
        )  # fmt: skip
        return result.miss_m / (TARGET_ACCEL_MPS2 * time_constant_s**2)
    result = homing_loop(
        nprime, flight_time_s, time_constant_s,
        vc_mps=CLOSING_SPEED_MPS, vm_mps=MISSILE_SPEED_MPS, heading_error_rad=HEADING_ERROR_RAD,
    )  # fmt: skip
    return result.miss_m / (-MISSILE_SPEED_MPS * HEADING_ERROR_RAD * time_constant_s)


# Zarchan ch. 3, single-time-constant guidance system, normalised miss vs x = t_F/T (4 significant figures).
ZARCHAN_SINGLE_LAG_TABLE = [
    ("step manoeuvre", 3, 1.0, 0.1839),
    ("step manoeuvre", 3, 2.0, 0.2707),
    ("step manoeuvre", 4, 1.0, 0.1226),
    ("step manoeuvre", 4, 2.0, 0.0902),
    ("heading error", 3, 1.0, 0.1839),
    ("heading error", 4, 1.0, 0.0613),
    ("heading error", 4, 2.0, -0.0902),
]


@pytest.mark.parametrize(("kind", "nprime", "x", "expected"), ZARCHAN_SINGLE_LAG_TABLE)
def test_single_time_constant_normalised_miss_matches_zarchan_ch3(kind, nprime, x, expected):
    assert _single_lag_normalised_miss(kind, nprime, x) == pytest.approx(expected, abs=NORMALISED_MISS_TOLERANCE)


def zarchan_step_manoeuvre_miss(nprime, x):
    """M/(n_T·T²) for the single-time-constant loop, Zarchan ch. 3 closed form."""
    if nprime == 3:
        return 0.5 * x**2 * math.exp(-x)
    return x**2 * math.exp(-x) * (0.5 - x / 6.0)


def zarchan_heading_error_miss(nprime, x):
    """M/(−V_M·HE·T) for the single-time-constant loop, Zarchan ch. 3 closed form."""
    if nprime == 3:
        return x * math.exp(-x) * (1.0 - x / 2.0)
    return x * math.exp(-x) * (1.0 - x + x**2 / 6.0)


@pytest.mark.parametrize("nprime", [3, 4])
@pytest.mark.parametrize("x", [0.25, 0.5, 1.5, 3.0, 5.0, 8.0])
def test_single_time_constant_miss_follows_closed_forms_over_x(nprime, x):
    assert _single_lag_normalised_miss("step manoeuvre", nprime, x) == pytest.approx(
        zarchan_step_manoeuvre_miss(nprime, x), abs=NORMALISED_MISS_TOLERANCE
    )
    assert _single_lag_normalised_miss("heading error", nprime, x) == pytest.approx(
        zarchan_heading_error_miss(nprime, x), abs=NORMALISED_MISS_TOLERANCE
    )
