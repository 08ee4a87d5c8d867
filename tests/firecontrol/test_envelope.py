"""Flyout table, time of flight, predicted intercept point and envelope check."""

import dataclasses
import math

import numpy as np
import pytest

from iadsim.firecontrol.envelope import (
    INSIDE,
    PIP_NO_SOLUTION,
    PIP_OK,
    PIP_UNREACHABLE,
    REASON_TEXT,
    TOO_CLOSE,
    TOO_FAR,
    TOO_FAST,
    TOO_HIGH,
    TOO_LONG_FLIGHT,
    TOO_LOW,
    UNREACHABLE,
    build_flyout_table,
    envelope_check,
    envelope_reason_nb,
    flyout_tables,
    launch_velocity_mps,
    longest_time_of_flight_s,
    predicted_intercept,
    predicted_intercept_nb,
    stack_flyout_tables,
    time_of_flight_nb,
    time_of_flight_s,
)
from iadsim.firecontrol.interceptors import engagement_envelopes, interceptor_params
from iadsim.interceptor import CLOSEST_APPROACH, InterceptorParams, TargetTruth, fly, launch
from iadsim.scenario import load_scenario

SITE_M = np.array([1200.0, -3400.0, 500.0])  # homs-2021 ground is 500 m above sea level
V_KIN = 600.0  # constant speed of the kinematic interceptor


@pytest.fixture(scope="module")
def homs():
    scenario = load_scenario("homs-2021")
    params, envelopes = interceptor_params(scenario), engagement_envelopes(scenario)
    (table,) = flyout_tables(params, envelopes, site_height_m=scenario.origin.alt_m)
    return params, envelopes, table


@pytest.fixture(scope="module")
def kinematic():
    """Constant speed V: no thrust, no drag, no gravity, straight launch from the ground, so tof = distance / V.
    max_g caps the last-step PN command (unlimited g deflects the missile when the range is ~0)."""
    params = InterceptorParams.kinematic(max_g=50.0, max_time_of_flight_s=200.0)
    return build_flyout_table(params, 0, gravity_mps2=0.0, launch_speed_mps=V_KIN, launch_height_m=0.0,
                              max_range_m=30_000.0, max_height_m=6_000.0, dt_s=0.2)


def _ground_and_height(points_m, site_m):
    rel = np.atleast_2d(points_m) - site_m
    return np.hypot(rel[:, 0], rel[:, 1]), rel[:, 2]


def test_table_matches_direct_flyouts(homs):
    """Random reachable points flown one by one with the engine's 0.01 s step, launched as
    `launch_velocity_mps` says (straight and lofted launches, every bearing), without seeker noise as the table
    is flown."""
    params, _, table = homs
    params = dataclasses.replace(params, seeker_noise_rad=np.zeros(1))
    rng = np.random.default_rng(3)
    ground, height, bearing = rng.uniform(3_000, 36_000, 80), rng.uniform(15, 15_000, 80), rng.uniform(0, 6.3, 80)
    tabulated = time_of_flight_s(table, ground, height)
    reachable = np.isfinite(tabulated)
    assert reachable.sum() > 50
    ground, height, bearing, tabulated = ground[reachable], height[reachable], bearing[reachable], tabulated[reachable]
    points = SITE_M + np.stack([ground * np.cos(bearing), ground * np.sin(bearing), height], axis=1)
    rail = SITE_M + [0.0, 0.0, table.launch_height_m]
    state = launch(params, 0, np.broadcast_to(rail, points.shape), launch_velocity_mps(table, SITE_M, points), 0.0)
    fly(state, params, TargetTruth(points, np.zeros_like(points)), 0.0, 60.0, 0.01)
    assert np.all(state.status == CLOSEST_APPROACH) and np.all(state.miss_distance_m < 1.0)
    direct = state.closest_approach_time_s
    error = np.abs(tabulated - direct) / direct
    worst = np.argmax(error)
    assert error.max() < 0.01, (f"worst: {ground[worst]:.0f} m, {height[worst]:.0f} m: table {tabulated[worst]:.2f} s "
                                f"vs direct {direct[worst]:.2f} s")


def test_time_of_flight_grows_with_range(homs, kinematic):
    for table in (homs[2], kinematic):
        tof = table.time_of_flight_s
        steps = np.diff(tof, axis=0)
        both = np.isfinite(steps)
        assert both.sum() > 500
        assert np.all(steps[both] > 0.0)


def test_kinematic_table_is_distance_over_speed(kinematic):
    r, h = np.meshgrid(kinematic.ground_range_m, kinematic.height_m, indexing="ij")
    np.testing.assert_allclose(kinematic.time_of_flight_s, np.hypot(r, h) / V_KIN, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(kinematic.launch_loft_rad, 0.0)


def _collision_triangle(p0, v, speed):
    """Smallest t > 0 with |p0 + v·t| = speed·t: a constant-velocity target met by a constant-speed missile
    flying a straight line from the origin (the collision triangle, Zarchan 2012 ch. 2):
    (v·v − V²) t² + 2 (p0·v) t + p0·p0 = 0."""
    a, b, c = v @ v - speed**2, 2.0 * p0 @ v, p0 @ p0
    roots = np.roots([a, b, c])
    return min(t.real for t in roots if abs(t.imag) < 1e-9 and t.real > 0)


@pytest.mark.parametrize(
    "position, velocity, delay",
    [
        ([12_000.0, 0.0, 5_000.0], [-300.0 * 12 / 13, 0.0, -300.0 * 5 / 13], 2.0),  # head on down the sight line
        ([8_000.0, 15_000.0, 1_500.0], [250.0, -200.0, 0.0], 0.0),  # crossing
        ([6_000.0, 2_000.0, 500.0], [200.0, 100.0, 20.0], 5.0),  # receding, slower than the missile
    ],
)
def test_pip_matches_collision_triangle(kinematic, position, velocity, delay):
    position, velocity = np.array(position), np.array(velocity)
    solution = predicted_intercept(kinematic, [0.0, 0.0, 0.0], position, velocity, delay)
    t = _collision_triangle(position + velocity * delay, velocity, V_KIN)
    # bilinear interpolation of distance/V errs by ≤ Δ²/8·|∂²d/∂h²| ≈ 13 m on 1 km height cells near 8 km
    assert solution.status[0] == PIP_OK
    assert solution.time_of_flight_s[0] == pytest.approx(t, rel=1e-3)
    np.testing.assert_allclose(solution.point_m[0], position + velocity * (delay + t), atol=10.0)
    if velocity[1] == 0.0:  # head on along the line of sight: closing at V + u, t = D0 / (V + u)
        distance = np.linalg.norm(position + velocity * delay)
        assert solution.time_of_flight_s[0] == pytest.approx(distance / (V_KIN + np.linalg.norm(velocity)), rel=1e-3)


def test_pip_status_codes(kinematic):
    away_far = predicted_intercept(kinematic, [0, 0, 0], [200_000.0, 0, 1_000.0], [300.0, 0, 0])
    assert away_far.status[0] == PIP_UNREACHABLE and np.isnan(away_far.time_of_flight_s[0])
    outrunning = predicted_intercept(kinematic, [0, 0, 0], [10_000.0, 0, 1_000.0], [1_000.0, 0, 0])
    assert outrunning.status[0] == PIP_NO_SOLUTION and np.all(np.isnan(outrunning.point_m))
    # diving in from above the table: where it enters (6 km up at 34 s) the missile needs only 13 s, so a
    # missile launched now would arrive early everywhere
    early = predicted_intercept(kinematic, [0, 0, 0], [5_000.0, 0, 40_000.0], [0.0, 0, -1_000.0])
    assert early.status[0] == PIP_NO_SOLUTION


def test_numba_matches_numpy(homs, kinematic):
    rng = np.random.default_rng(7)
    n = 300
    launcher = SITE_M + rng.uniform(-5_000, 5_000, (n, 3)) * [1, 1, 0]
    position = launcher + np.column_stack([rng.uniform(-60_000, 60_000, (n, 2)), rng.uniform(0, 20_000, n)])
    velocity = rng.uniform(-700, 700, (n, 3)) * [1, 1, 0.1]
    delay = rng.uniform(0, 15, n)
    stacked = stack_flyout_tables([homs[2], kinematic])
    for k, table in enumerate((homs[2], kinematic)):
        solution = predicted_intercept(table, launcher, position, velocity, delay)
        nr, nh = stacked.n_range[k], stacked.n_height[k]
        arrays = (stacked.ground_range_m[k, :nr], stacked.height_m[k, :nh], stacked.time_of_flight_s[k, :nr, :nh])
        assert stacked.horizon_s[k] == longest_time_of_flight_s(table)
        for i in range(n):
            x, y, z, tof, status = predicted_intercept_nb(
                *arrays, stacked.horizon_s[k], 0.5, *launcher[i], *position[i], *velocity[i], delay[i])
            assert status == solution.status[i]
            np.testing.assert_allclose([x, y, z, tof], [*solution.point_m[i], solution.time_of_flight_s[i]],
                                       rtol=1e-9, atol=1e-9)
        if k == 0:  # the random pairs exercise every status on the 9M317 table
            assert set(solution.status.tolist()) == {PIP_OK, PIP_NO_SOLUTION, PIP_UNREACHABLE}
        ground, height = rng.uniform(-1_000, 60_000, n), rng.uniform(-500, 26_000, n)
        numpy_tof = time_of_flight_s(table, ground, height)
        numba_tof = [time_of_flight_nb(*arrays, g, h) for g, h in zip(ground, height)]
        np.testing.assert_allclose(numba_tof, numpy_tof, rtol=1e-12)


def test_envelope_reasons_at_each_limit(homs):
    _, envelopes, _ = homs  # 9M317: 3–45 km, 15 m – 25 km, ≤ 1,200 m/s, 60 s
    cases = [  # ground range, height, tof, target speed, expected
        (20_000, 5_000, 30.0, 300.0, INSIDE),
        (44_999, 5_000, 30.0, 300.0, INSIDE), (45_001, 5_000, 30.0, 300.0, TOO_FAR),
        (3_001, 5_000, 30.0, 300.0, INSIDE), (2_999, 5_000, 30.0, 300.0, TOO_CLOSE),
        (20_000, 15.1, 30.0, 300.0, INSIDE), (20_000, 14.9, 30.0, 300.0, TOO_LOW),
        (20_000, 24_999, 30.0, 300.0, INSIDE), (20_000, 25_001, 30.0, 300.0, TOO_HIGH),
        (20_000, 5_000, 30.0, 1_199.0, INSIDE), (20_000, 5_000, 30.0, 1_201.0, TOO_FAST),
        (20_000, 5_000, 59.9, 300.0, INSIDE), (20_000, 5_000, 60.1, 300.0, TOO_LONG_FLIGHT),
        (20_000, 5_000, math.nan, 300.0, UNREACHABLE), (math.nan, math.nan, math.nan, 300.0, UNREACHABLE),
    ]
    ground, height, tof, speed, expected = (np.array(c, dtype=float) for c in zip(*cases))
    bearing = np.radians(np.arange(len(cases)) * 37.0)
    pip = SITE_M + np.column_stack([ground * np.cos(bearing), ground * np.sin(bearing), height])
    reasons = envelope_check(SITE_M, pip, tof, speed, envelopes, 0)
    assert reasons.tolist() == expected.astype(int).tolist(), [REASON_TEXT[r] for r in reasons]
    limits = [envelopes.min_range_m[0], envelopes.max_range_m[0], envelopes.min_height_m[0],
              envelopes.max_height_m[0], envelopes.max_target_speed_mps[0], envelopes.max_time_of_flight_s[0]]
    for i in range(len(cases)):
        g, h = _ground_and_height(pip[i], SITE_M)
        assert envelope_reason_nb(g[0], h[0], tof[i], speed[i], *limits) == reasons[i]
    assert set(REASON_TEXT) == set(range(8)) and REASON_TEXT[TOO_FAR] == "outside envelope: beyond max range"


def test_homs_9m317_reach_and_speed(homs):
    params, _, table = homs
    points_km = [(10, 0.1), (10, 1), (20, 3), (25, 8), (30, 8), (35, 10)]
    tof = {p: float(time_of_flight_s(table, p[0] * 1e3, p[1] * 1e3)) for p in points_km}
    speed = {p: math.hypot(p[0], p[1] - 0.003) * 1e3 / tof[p] for p in points_km}
    figures = ", ".join(f"{r} km/{h} km: {tof[(r, h)]:.1f} s, {speed[(r, h)]:.0f} m/s" for r, h in points_km)
    assert all(math.isfinite(t) and t < params.max_time_of_flight_s[0] for t in tof.values()), figures
    assert all(450.0 < v < 1000.0 for v in speed.values()), figures  # burnout ≈ 975 m/s in this model
    assert 10.0 < tof[(10, 1)] < 20.0, figures


def test_homs_9m317_reaches_published_45_km_at_10_km(homs):
    params, _, table = homs
    tof = float(time_of_flight_s(table, 45_000.0, 10_000.0))
    reach_km = table.ground_range_m[np.isfinite(table.time_of_flight_s).any(axis=1)].max() / 1e3
    assert tof < params.max_time_of_flight_s[0], f"tof to 45 km/10 km: {tof} s; farthest reach {reach_km} km"


def test_table_is_cached(homs):
    params, envelopes, table = homs
    (again,) = flyout_tables(params, envelopes, site_height_m=500.0)
    assert again is table
