"""Properties of the linear homing loop: argument checks, output shape, linearity, step convergence, τ → 0."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.interceptor.linear import HomingLoopResult, homing_loop

SPEEDS = dict(vc_mps=1200.0, vm_mps=900.0)
FLIGHT_TIME_S = 5.0
TIME_CONSTANT_S = 0.5
COARSE_STEP_S = FLIGHT_TIME_S / 200  # keeps property tests fast; accuracy is checked in tests/validation


def _miss(**kwargs):
    arguments = dict(nprime=4.0, tf_s=FLIGHT_TIME_S, tau_s=TIME_CONSTANT_S, **SPEEDS)
    arguments.update(kwargs)
    return homing_loop(**arguments).miss_m


@pytest.mark.parametrize(
    ("bad_arguments", "named"),
    [
        (dict(nprime=0.0), "nprime"),
        (dict(nprime=-3.0), "nprime"),
        (dict(nprime=math.nan), "nprime"),
        (dict(tf_s=0.0), "tf_s"),
        (dict(tf_s=math.inf), "tf_s"),
        (dict(tau_s=-0.1), "tau_s"),
        (dict(tau_s=math.nan), "tau_s"),
        (dict(vc_mps=0.0), "vc_mps"),
        (dict(vm_mps=-900.0), "vm_mps"),
        (dict(target_accel_mps2=math.inf), "target_accel_mps2"),
        (dict(heading_error_rad=math.nan), "heading_error_rad"),
        (dict(heading_error_rad="0.1"), "heading_error_rad"),
        (dict(dt_s=0.0), "dt_s"),
        (dict(dt_s=2 * FLIGHT_TIME_S), "dt_s"),
        (dict(dt_s=3 * TIME_CONSTANT_S), "dt_s"),  # explicit RK4 unstable on the lag
        (dict(nprime=True), "nprime"),
    ],
)
def test_impossible_arguments_raise_value_error_naming_the_argument(bad_arguments, named):
    arguments = dict(nprime=4.0, tf_s=FLIGHT_TIME_S, tau_s=TIME_CONSTANT_S, **SPEEDS)
    arguments.update(bad_arguments)
    with pytest.raises(ValueError, match=named):
        homing_loop(**arguments)


def test_result_is_a_frozen_record_of_matching_read_only_arrays():
    result = homing_loop(3.0, FLIGHT_TIME_S, TIME_CONSTANT_S, **SPEEDS, target_accel_mps2=10.0)
    assert isinstance(result, HomingLoopResult)
    assert isinstance(result.miss_m, float)
    assert result.t_s.shape == result.accel_cmd_mps2.shape
    assert result.t_s.ndim == 1
    # Default step min(t_F/1000, τ/50) = 0.005 s here: 1000 steps; samples at step starts, t_F excluded.
    assert result.t_s.size == 1000
    assert result.t_s[0] == 0.0
    assert result.t_s[-1] == pytest.approx(FLIGHT_TIME_S - FLIGHT_TIME_S / 1000)
    assert np.all(np.diff(result.t_s) > 0)
    assert np.all(np.isfinite(result.accel_cmd_mps2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.miss_m = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        result.accel_cmd_mps2[0] = 0.0


def test_default_step_resolves_a_short_time_constant_and_a_given_step_ends_exactly_at_tf():
    short_lag = homing_loop(3.0, FLIGHT_TIME_S, FLIGHT_TIME_S / 200, **SPEEDS)
    assert short_lag.t_s.size == 200 * 50  # τ/50
    uneven = homing_loop(3.0, FLIGHT_TIME_S, TIME_CONSTANT_S, **SPEEDS, dt_s=0.3)  # 5/0.3 = 16.7 → 17 steps
    assert uneven.t_s.size == 17
    assert uneven.t_s[1] == pytest.approx(FLIGHT_TIME_S / 17)


def test_no_input_no_miss():
    result = homing_loop(4.0, FLIGHT_TIME_S, TIME_CONSTANT_S, **SPEEDS, dt_s=COARSE_STEP_S)
    assert result.miss_m == 0.0
    assert np.all(result.accel_cmd_mps2 == 0.0)


@settings(max_examples=20, deadline=None)
@given(scale=st.floats(min_value=-50.0, max_value=50.0).filter(lambda s: abs(s) > 1e-3))
def test_miss_scales_linearly_with_target_manoeuvre_and_heading_error(scale):
    unit_manoeuvre_miss = _miss(target_accel_mps2=1.0, dt_s=COARSE_STEP_S)
    assert _miss(target_accel_mps2=scale, dt_s=COARSE_STEP_S) == pytest.approx(scale * unit_manoeuvre_miss, rel=1e-9)
    unit_heading_miss = _miss(heading_error_rad=1e-3, dt_s=COARSE_STEP_S)
    assert _miss(heading_error_rad=scale * 1e-3, dt_s=COARSE_STEP_S) == pytest.approx(
        scale * unit_heading_miss, rel=1e-9
    )


def test_miss_from_both_inputs_is_the_sum_of_each_alone():
    both = _miss(target_accel_mps2=30.0, heading_error_rad=-0.2, dt_s=COARSE_STEP_S)
    each = _miss(target_accel_mps2=30.0, dt_s=COARSE_STEP_S) + _miss(heading_error_rad=-0.2, dt_s=COARSE_STEP_S)
    assert both == pytest.approx(each, rel=1e-9, abs=1e-12)


def test_miss_does_not_depend_on_closing_speed_in_the_linear_loop():
    # n_c = N′·V_c·λ̇ = N′·(y + ẏ·t_go)/t_go²: V_c cancels (Zarchan ch. 2).
    slow = _miss(target_accel_mps2=30.0, vc_mps=300.0, dt_s=COARSE_STEP_S)
    fast = _miss(target_accel_mps2=30.0, vc_mps=3000.0, dt_s=COARSE_STEP_S)
    assert slow == pytest.approx(fast, rel=1e-9)


@pytest.mark.parametrize("nprime", [3.0, 4.0])
@pytest.mark.parametrize("inputs", [dict(target_accel_mps2=30.0), dict(heading_error_rad=-0.2)])
def test_miss_converges_as_the_step_is_refined(nprime, inputs):
    default_step_s = FLIGHT_TIME_S / 1000
    misses = [_miss(nprime=nprime, dt_s=default_step_s / refinement, **inputs) for refinement in (1, 2, 4)]
    scale_m = max(30.0 * TIME_CONSTANT_S**2, 900.0 * 0.2 * TIME_CONSTANT_S)  # n_T·T², V_M·HE·T
    assert abs(misses[1] - misses[0]) <= 1e-3 * scale_m
    assert abs(misses[2] - misses[1]) <= 0.6 * abs(misses[1] - misses[0]) + 1e-12  # first order or better


@pytest.mark.parametrize("inputs", [dict(target_accel_mps2=30.0), dict(heading_error_rad=-0.2)])
def test_vanishing_time_constant_approaches_zero_lag(inputs):
    zero_lag = homing_loop(4.0, FLIGHT_TIME_S, 0.0, **SPEEDS, **inputs)
    command_scale_mps2 = np.max(np.abs(zero_lag.accel_cmd_mps2))
    previous_command_error_mps2 = math.inf
    for time_constant_s in (FLIGHT_TIME_S / 20, FLIGHT_TIME_S / 100):
        lagged = homing_loop(4.0, FLIGHT_TIME_S, time_constant_s, **SPEEDS, **inputs, dt_s=FLIGHT_TIME_S / 5000)
        # The single-lag miss falls like e^(−t_F/τ) (Zarchan ch. 3 closed forms) ...
        assert abs(lagged.miss_m - zero_lag.miss_m) <= 1e-3 * abs(_miss(tau_s=FLIGHT_TIME_S / 2, **inputs))
        # ... and n_c(t) away from intercept converges on the zero-lag history.
        zero_lag_on_lagged_grid = np.interp(lagged.t_s, zero_lag.t_s, zero_lag.accel_cmd_mps2)
        window = lagged.t_s <= 0.8 * FLIGHT_TIME_S
        command_error_mps2 = np.max(np.abs(lagged.accel_cmd_mps2[window] - zero_lag_on_lagged_grid[window]))
        assert command_error_mps2 < previous_command_error_mps2
        previous_command_error_mps2 = command_error_mps2
    assert previous_command_error_mps2 <= 0.05 * command_scale_mps2
