"""Flyout kernel: NumPy reference, lag, limits, stops, illumination, determinism, closest approach."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from iadsim.earth.atmosphere import isa
from iadsim.interceptor import (
    AUGMENTED_PN,
    PURE_PN,
    TRUE_PN,
    InterceptorParams,
    InterceptorState,
    TargetTruth,
    draw_noise_seeds,
    fly,
    launch,
)
from iadsim.interceptor import reference
from iadsim.interceptor.dynamics import BALLISTIC, MIDCOURSE, TERMINAL, step_batch
from iadsim.interceptor.state import (
    BALLISTIC_NO_ILLUMINATION,
    CLOSEST_APPROACH,
    FLYING,
    LOST_GROUND,
    LOST_MIN_SPEED,
    LOST_TIME_OF_FLIGHT,
)

G0 = 9.80665
ALT = 5000.0


def _sam(**overrides):
    """A generic two-phase SAM (illustrative numbers, not a real system)."""
    values = dict(
        launch_mass_kg=600.0, boost_thrust_n=150e3, boost_time_s=4.0, boost_propellant_kg=200.0,
        sustain_thrust_n=15e3, sustain_time_s=10.0, sustain_propellant_kg=50.0, reference_area_m2=0.07,
        cd_mach=[0.0, 0.8, 1.2, 2.0, 4.0], cd=[[0.3, 0.32, 0.6, 0.45, 0.35]], max_g=30.0,
        max_lift_coefficient=10.0, max_time_of_flight_s=60.0, min_speed_mps=200.0, nav_constant=4.0,
        guidance_law=TRUE_PN, guidance_time_constant_s=0.2, gravity_compensation=True,
    )
    values.update(overrides)
    return InterceptorParams.kinematic(**values)


def _run(state, params, p0, v0, a0=None, *, t_end=60.0, dt=0.01, chunk=0.5, lit=None, pip=None, g=G0,
         midcourse_dt=None):
    """Fly in engine-like chunks against a constant-acceleration target; returns the state."""
    p0, v0 = np.atleast_2d(p0).astype(float), np.atleast_2d(v0).astype(float)
    a0 = np.zeros_like(p0) if a0 is None else np.atleast_2d(a0).astype(float)
    p0, v0, a0 = (np.broadcast_to(x, (state.n, 3)) for x in (p0, v0, a0))
    t = 0.0
    while state.active.any() and t < t_end - 1e-9:
        targets = TargetTruth(p0 + v0 * t + 0.5 * a0 * t * t, v0 + a0 * t, a0)
        fly(state, params, targets, t, t + chunk, dt, lit, pip_m=pip, gravity_mps2=g, midcourse_step_s=midcourse_dt)
        t += chunk
    return state


def test_numba_step_matches_numpy_reference():
    rng = np.random.default_rng(7)
    params = InterceptorParams.kinematic(
        launch_mass_kg=[300.0, 500.0, 200.0], boost_thrust_n=[3e4, 5e4, 0.0], boost_time_s=[3.0, 5.0, 0.0],
        boost_propellant_kg=[60.0, 120.0, 0.0], reference_area_m2=[0.05, 0.08, 0.03],
        cd_mach=[[0.0, 1.0, 2.0], [0.0, 1.5, 1.5], [0.0, 0.9, 3.0]],
        cd=[[0.3, 0.6, 0.4], [0.25, 0.5, 0.5], [0.4, 0.7, 0.3]], max_g=[20.0, 40.0, 8.0],
        max_lift_coefficient=[8.0, np.inf, 2.0], nav_constant=[3.0, 4.0, 5.0],
        guidance_law=[PURE_PN, TRUE_PN, AUGMENTED_PN], guidance_time_constant_s=[0.2, 0.3, 0.5],
        gravity_compensation=[True, False, True],
    )
    n = 60
    ys = np.empty((n, 10))
    ys[:, 0:2] = rng.uniform(-2e3, 2e3, (n, 2))
    ys[:, 2] = rng.uniform(100, 15e3, n)
    ys[:, 3:6] = rng.normal(0, 400, (n, 3))
    types = rng.integers(0, 3, n)
    ys[:, 6] = params.launch_mass_kg[types] - 10.0
    ys[:, 7:10] = rng.normal(0, 50, (n, 3))
    targets = np.hstack([rng.uniform(-2e4, 2e4, (n, 3)), rng.normal(0, 300, (n, 3)), rng.normal(0, 30, (n, 3))])
    targets[:, 2] = np.abs(targets[:, 2]) + 500
    pips = np.where(rng.random((n, 1)) < 0.5, rng.uniform(-1e4, 1e4, (n, 3)), np.nan)
    noises = rng.normal(0, 0.01, (n, 3))
    modes = rng.integers(0, 3, n)
    t_flight = rng.uniform(0.0, 2.0, n)  # inside the boost: no phase change in a 0.01 s step
    table, mach, cd = params.packed(), np.ascontiguousarray(params.drag_mach_table()), params.cd
    for zero_lag in (False, True):
        args = (0.01, 0.3, t_flight, modes, zero_lag, targets, pips, noises, table, types, mach, cd, G0)
        fast = step_batch(ys, *args)
        slow = reference.step(ys, *args)
        np.testing.assert_allclose(fast, slow, rtol=1e-11, atol=1e-9)
    assert (MIDCOURSE, TERMINAL, BALLISTIC) == (reference.MIDCOURSE, reference.TERMINAL, reference.BALLISTIC)


def test_first_order_lag_response():
    """Gravity compensation in level flight commands +g: a_L(t) = g·(1 − e^(−t/τ))."""
    tau = 0.5
    params = InterceptorParams.kinematic(nav_constant=0.0, gravity_compensation=True, guidance_time_constant_s=tau)
    state = launch(params, 0, [0.0, 0.0, ALT], [500.0, 0.0, 0.0], 0.0)
    target = TargetTruth(np.array([[1e6, 0.0, ALT]]), np.zeros((1, 3)))
    for t in np.arange(0.0, 2.0, 0.1):
        fly(state, params, target, t, t + 0.1, 0.01)
        expected = G0 * (1 - math.exp(-(t + 0.1) / tau))
        assert abs(state.lateral_accel_mps2[0, 2] - expected) < 1e-3 * G0


def _limit_now(state, params):
    rho = isa(state.position_m[:, 2])[2]
    kind = state.type_index
    speed = np.linalg.norm(state.velocity_mps, axis=1)
    lift = 0.5 * rho * speed**2 * params.reference_area_m2[kind] * params.max_lift_coefficient[kind] / state.mass_kg
    return np.minimum(params.max_g[kind] * G0, lift)


@pytest.mark.parametrize(
    "overrides, altitude_m, speed_mps",
    [({"max_g": 5.0}, ALT, 700.0), ({"max_g": 30.0, "max_lift_coefficient": 0.5}, 20_000.0, 300.0)],
    ids=["g-limit", "dynamic-pressure-limit"],
)
def test_lateral_acceleration_limits(overrides, altitude_m, speed_mps):
    params = InterceptorParams.kinematic(nav_constant=5.0, guidance_time_constant_s=0.1, **overrides)
    heading = math.radians(50.0)
    state = launch(params, 0, [0.0, 0.0, altitude_m], [speed_mps * math.cos(heading), speed_mps * math.sin(heading), 0], 0.0)
    target = TargetTruth(np.array([[6000.0, 0.0, altitude_m]]), np.array([[-200.0, 0.0, 0.0]]))
    peak_ratio = 0.0
    for t in np.arange(0.0, 4.0, 0.1):
        shifted = TargetTruth(target.position_m + target.velocity_mps * t, target.velocity_mps)
        fly(state, params, shifted, t, t + 0.1, 0.01, gravity_mps2=0.0)
        achieved = np.linalg.norm(state.lateral_accel_mps2[0])
        peak_ratio = max(peak_ratio, achieved / _limit_now(state, params)[0])
        assert abs(np.dot(state.lateral_accel_mps2[0], state.velocity_mps[0])) < 1e-6 * speed_mps * achieved + 1e-9
    assert 0.999 < peak_ratio <= 1.0 + 1e-12  # the limit binds and is never exceeded


def test_stop_conditions():
    far = np.array([1e6, 0.0, ALT])
    tof = InterceptorParams.kinematic(nav_constant=0.0, max_time_of_flight_s=5.0)
    state = _run(launch(tof, 0, [0, 0, ALT], [300, 0, 0], 0.0), tof, far, [0, 0, 0], t_end=10.0)
    assert state.status[0] == LOST_TIME_OF_FLIGHT and abs(state.time_s[0] - 5.0) < 0.011

    slow = InterceptorParams.kinematic(nav_constant=0.0, cd=[[2.0, 2.0]], min_speed_mps=200.0)
    state = _run(launch(slow, 0, [0, 0, ALT], [300, 0, 0], 0.0), slow, far, [0, 0, 0], t_end=60.0)
    assert state.status[0] == LOST_MIN_SPEED
    assert 199.0 < np.linalg.norm(state.velocity_mps[0]) < 200.0

    ground = InterceptorParams.kinematic(nav_constant=0.0)
    state = _run(launch(ground, 0, [0, 0, 100], [100, 0, -100], 0.0), ground, far, [0, 0, 0], t_end=5.0)
    assert state.status[0] == LOST_GROUND and -1.01 < state.position_m[0, 2] < 0.0

    # below min speed on the rail, but the motor still burns: not lost
    boosted = _sam(min_speed_mps=300.0)
    state = _run(launch(boosted, 0, [0, 0, 10], [0, 0, 30], 0.0), boosted, far, [0, 0, 0], t_end=1.0)
    assert state.status[0] == FLYING


def _engagement(params, n=1, *, lit=None, seeds=None, a_target=None, dt=0.01):
    state = launch(params, 0, np.tile([0.0, 0.0, 20.0], (n, 1)), [30.0, 0.0, 40.0], 0.0, noise_seed=seeds)
    return _run(state, params, [12_000.0, 2_000.0, 4_000.0], [-250.0, 0.0, 0.0], a_target, lit=lit, dt=dt)


def test_semi_active_without_illumination_goes_ballistic_and_misses():
    manoeuvre = [0.0, 20.0, 0.0]
    params = _sam(semi_active=True, seeker_acquisition_range_m=6_000.0)
    lit = _engagement(params, lit=np.array([True]), a_target=manoeuvre)
    dark = _engagement(params, lit=np.array([False]), a_target=manoeuvre)
    assert lit.status[0] == CLOSEST_APPROACH and lit.miss_distance_m[0] < 3.0 and not lit.lost_illumination[0]
    assert dark.lost_illumination[0] and dark.miss_distance_m[0] > 50.0
    assert dark.status[0] != FLYING
    active = _sam(semi_active=False, seeker_acquisition_range_m=6_000.0)
    assert _engagement(active, lit=np.array([False]), a_target=manoeuvre).miss_distance_m[0] < 3.0


def test_semi_active_marked_ballistic_while_flying():
    params = _sam(semi_active=True)  # acquisition at launch
    state = launch(params, 0, [0.0, 0.0, 20.0], [30.0, 0.0, 40.0], 0.0)
    fly(state, params, TargetTruth(np.array([[15e3, 0, 4e3]]), np.zeros((1, 3))), 0.0, 0.5, 0.01, np.array([False]))
    assert state.status[0] == BALLISTIC_NO_ILLUMINATION and state.active[0]


def test_seeker_noise_deterministic_regardless_of_batching():
    params = _sam(seeker_noise_rad=1e-3, seeker_acquisition_range_m=8_000.0)
    seeds = draw_noise_seeds(np.random.default_rng(2024), 6)
    together = _engagement(params, 6, seeds=seeds)
    first, second = _engagement(params, 2, seeds=seeds[:2]), _engagement(params, 4, seeds=seeds[2:])
    split = InterceptorState.concatenate([first, second])
    for name in ("position_m", "velocity_mps", "miss_distance_m", "closest_approach_time_s", "status"):
        np.testing.assert_array_equal(getattr(together, name), getattr(split, name))
    reversed_order = _engagement(params, 6, seeds=seeds[::-1])
    np.testing.assert_array_equal(reversed_order.miss_distance_m[::-1], together.miss_distance_m)
    assert len(np.unique(together.miss_distance_m)) == 6  # the noise acts, and differs per interceptor
    noiseless = _engagement(_sam(seeker_acquisition_range_m=8_000.0))
    assert together.miss_distance_m.max() > noiseless.miss_distance_m[0]


def test_closest_approach_near_hit_independent_of_dt():
    params = _sam(guidance_time_constant_s=0.5, nav_constant=3.0)
    coarse = _engagement(params, a_target=[0.0, 40.0, 10.0], dt=0.01)
    fine = _engagement(params, a_target=[0.0, 40.0, 10.0], dt=0.001)
    assert coarse.status[0] == fine.status[0] == CLOSEST_APPROACH
    assert 1.0 < fine.miss_distance_m[0] < 20.0  # a near hit (~3 m), not an exact one
    assert abs(coarse.miss_distance_m[0] - fine.miss_distance_m[0]) < 0.03
    assert abs(coarse.closest_approach_time_s[0] - fine.closest_approach_time_s[0]) < 1e-3


@pytest.mark.parametrize("dt", [0.05, 0.01])
def test_closest_approach_large_miss_matches_analytic(dt):
    """Unguided missile under gravity vs constant-velocity target: exact quadratic relative motion."""
    params = InterceptorParams.kinematic(nav_constant=0.0)
    p_m, v_m = np.array([0.0, 0.0, ALT]), np.array([800.0, 0.0, 100.0])
    p_t, v_t = np.array([20_000.0, 300.0, 5_500.0]), np.array([-200.0, 0.0, 0.0])
    state = _run(launch(params, 0, p_m, v_m, 0.0), params, p_t, v_t, dt=dt, chunk=0.7)

    def distance(t):
        return np.linalg.norm(p_t + v_t * t - (p_m + v_m * t + 0.5 * np.array([0, 0, -G0]) * t * t))

    best = minimize_scalar(distance, bounds=(0.0, 40.0), method="bounded", options={"xatol": 1e-10})
    assert state.status[0] == CLOSEST_APPROACH
    assert abs(state.miss_distance_m[0] - best.fun) < 1e-3 * best.fun
    assert abs(state.closest_approach_time_s[0] - best.x) < 1e-5


def test_midcourse_flies_to_pip_then_homes():
    params = _sam(seeker_acquisition_range_m=5_000.0)
    target_p0, target_v = np.array([20_000.0, 2_000.0, 6_000.0]), np.array([-250.0, 0.0, 0.0])
    pip = target_p0 + target_v * 25.0
    state = launch(params, 0, [0.0, 0.0, 20.0], [30.0, 0.0, 40.0], 0.0)
    _run(state, params, target_p0, target_v, pip=pip[None])
    assert state.terminal[0] and state.status[0] == CLOSEST_APPROACH and state.miss_distance_m[0] < 3.0


def test_a_longer_midcourse_step_changes_the_endgame_by_a_hair():
    """0.1 s steps before seeker acquisition (boost, sustain and PIP steering included), 0.01 s after: the
    intercept is the one the all-fine flight finds against a target pulling 1 g, to centimetres and milliseconds."""
    params = _sam(seeker_acquisition_range_m=6_000.0, guidance_time_constant_s=0.5, nav_constant=3.0)
    target_p0, target_v = np.array([20_000.0, 2_000.0, 6_000.0]), np.array([-250.0, 0.0, 0.0])
    pip = (target_p0 + target_v * 25.0)[None]
    flights = {}
    for midcourse_dt in (None, 0.1):
        state = launch(params, 0, [0.0, 0.0, 20.0], [30.0, 0.0, 40.0], 0.0)
        flights[midcourse_dt] = _run(state, params, target_p0, target_v, [0.0, 10.0, 0.0], pip=pip,
                                     midcourse_dt=midcourse_dt)
    fine, coarse = flights[None], flights[0.1]
    assert fine.status[0] == coarse.status[0] == CLOSEST_APPROACH and fine.terminal[0] and coarse.terminal[0]
    assert fine.miss_distance_m[0] < 1.0
    assert abs(coarse.miss_distance_m[0] - fine.miss_distance_m[0]) < 0.1
    assert abs(coarse.closest_approach_time_s[0] - fine.closest_approach_time_s[0]) < 5e-3


def test_homing_steps_scaled_to_time_to_go_keep_the_noisy_miss_distances():
    """Homing steps of t_go/20 (bounded by τ/2 and the seeker sample) against all-fine 0.01 s steps, 200 flights
    with 1 mrad seeker noise against a target pulling 2 g: the same flights, to a few centimetres, and the same
    miss-distance distribution (the noise is held per seeker sample in both, so the clip acts alike)."""
    n = 200
    params = _sam(seeker_acquisition_range_m=20_000.0, guidance_time_constant_s=0.3, seeker_noise_rad=1e-3)
    target_p0, target_v = np.array([25_000.0, 3_000.0, 3_000.0]), np.array([-250.0, 0.0, 0.0])
    pip = np.broadcast_to(target_p0 + target_v * 22.0, (n, 3))
    misses = {}
    for midcourse_dt in (None, 0.1):
        state = launch(params, np.zeros(n, dtype=np.int64), np.tile([0.0, 0.0, 20.0], (n, 1)),
                       np.tile([30.0, 0.0, 40.0], (n, 1)), np.zeros(n), noise_seed=np.arange(1, n + 1, dtype=np.uint64))
        _run(state, params, target_p0, target_v, [0.0, 20.0, 0.0], pip=pip, midcourse_dt=midcourse_dt)
        assert np.all(state.status == CLOSEST_APPROACH)
        misses[midcourse_dt] = state.miss_distance_m
    fine, scaled = misses[None], misses[0.1]
    assert np.corrcoef(fine, scaled)[0, 1] > 0.98
    assert np.median(np.abs(scaled - fine)) < 0.1
    for statistic in (np.mean, np.median, lambda m: np.percentile(m, 90)):
        assert abs(statistic(scaled) / statistic(fine) - 1) < 0.06


def test_launch_inside_the_interval():
    params = InterceptorParams.kinematic(nav_constant=0.0)
    state = launch(params, 0, [0.0, 0.0, ALT], [100.0, 0.0, 0.0], 0.3)
    fly(state, params, TargetTruth(np.array([[1e6, 0, ALT]]), np.zeros((1, 3))), 0.0, 0.5, 0.01, gravity_mps2=0.0)
    assert state.time_s[0] == 0.5 and abs(state.position_m[0, 0] - 20.0) < 1e-9


def test_steps_count_the_integration_steps():
    params = InterceptorParams.kinematic(nav_constant=0.0)
    state = launch(params, 0, np.tile([0.0, 0.0, ALT], (2, 1)), [100.0, 0.0, 0.0], [0.0, 0.3])
    targets = TargetTruth(np.array([[1e6, 0, ALT]] * 2), np.zeros((2, 3)))
    fly(state, params, targets, 0.0, 0.5, 0.01, gravity_mps2=0.0)
    fly(state, params, targets, 0.5, 1.0, 0.01, gravity_mps2=0.0)
    assert state.steps.tolist() == [100, 70]  # fine steps from launch (0 s, 0.3 s) to 1 s
