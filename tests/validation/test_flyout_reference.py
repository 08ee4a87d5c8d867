"""Interceptor flyout (3-DOF, iadsim.interceptor.dynamics) against outside references.

References:
- PN kinematic identity γ_M − γ_M0 = N(λ − λ0) for pure PN (planar, constant speed): Shneydor, *Missile
  Guidance and Pursuit* (Horwood, 1998), PN chapter; Zarchan, *Tactical and Strategic Missile Guidance*,
  6th ed. (AIAA 2012), ch. 2.
- Zero-lag PN heading-error response n_c(t) = −V_M·HE·N′/t_F·(1 − t/t_F)^(N′−2): Zarchan (2012), ch. 2.
- Drag-free ballistic range R = v²·sin 2θ / g: e.g. Taylor, *Classical Mechanics* (2005), §1.6 / ex. 1.39.
- Tsiolkovsky rocket equation Δv = I_sp·g0·ln(m0/m1) = (T/ṁ)·ln(m0/m1): Sutton & Biblarz, *Rocket
  Propulsion Elements*, 9th ed. (Wiley 2017), eq. 4-6 (gravity- and drag-free flight).
- Quadratic drag, horizontal, constant density: v(t) = v0/(1 + k·v0·t), x(t) = ln(1 + k·v0·t)/k,
  k = ρ·S·Cd/(2m): Taylor (2005), §2.4.
"""

import math

import numpy as np

from iadsim.earth.atmosphere import isa
from iadsim.interceptor import PURE_PN, TRUE_PN, InterceptorParams, TargetTruth, fly, launch
from iadsim.interceptor.state import CLOSEST_APPROACH, LOST_GROUND

G0 = 9.80665
ALTITUDE_M = 5000.0


def _static_target(position):
    position = np.atleast_2d(np.asarray(position, dtype=float))
    return TargetTruth(position, np.zeros_like(position))


def test_pure_pn_kinematic_identity_planar():
    """γ − γ0 = N·(λ − λ0) along the whole flight to 1e-6 rad (no gravity, drag or thrust)."""
    nav = 3.0
    params = InterceptorParams.kinematic(nav_constant=nav, guidance_law=PURE_PN)
    gamma0 = math.radians(40.0)
    state = launch(params, 0, [0.0, 0.0, ALTITUDE_M], [300 * math.cos(gamma0), 300 * math.sin(gamma0), 0.0], 0.0)
    target_xy = np.array([8000.0, 1000.0])
    targets = _static_target([*target_xy, ALTITUDE_M])
    lambda0 = math.atan2(target_xy[1], target_xy[0])
    worst, t, steps = 0.0, 0.0, 0
    while np.hypot(*(target_xy - state.position_m[0, :2])) > 300.0:
        fly(state, params, targets, t, t + 0.25, 0.01, gravity_mps2=0.0)
        t += 0.25
        steps += 1
        gamma = math.atan2(state.velocity_mps[0, 1], state.velocity_mps[0, 0])
        los = target_xy - state.position_m[0, :2]
        lam = math.atan2(los[1], los[0])
        worst = max(worst, abs((gamma - gamma0) - nav * (lam - lambda0)))
        assert abs(state.position_m[0, 2] - ALTITUDE_M) < 1e-9  # stays in the plane
    assert steps > 40  # really flew most of the way
    assert worst < 1e-6


def test_zero_lag_true_pn_heading_error_response():
    """Commanded acceleration vs Zarchan's closed form within 2% of n_c(0); miss < 1 m."""
    nav, v_m, v_t, range0 = 4.0, 600.0, 300.0, 10_000.0
    heading_error = math.radians(5.0)
    params = InterceptorParams.kinematic(nav_constant=nav, guidance_law=TRUE_PN)
    velocity = [v_m * math.cos(heading_error), v_m * math.sin(heading_error), 0.0]
    state = launch(params, 0, [0.0, 0.0, ALTITUDE_M], velocity, 0.0)
    target_p0, target_v = np.array([range0, 0.0, ALTITUDE_M]), np.array([-v_t, 0.0, 0.0])
    t_final = range0 / (v_m + v_t)  # head-on collision course: no lead angle
    amplitude = v_m * heading_error * nav / t_final

    t, chunk, worst = 0.0, 0.05, 0.0
    while state.status[0] <= 1 and t < 2 * t_final:
        targets = TargetTruth((target_p0 + target_v * t)[None], target_v[None])
        fly(state, params, targets, t, t + chunk, 0.001, gravity_mps2=0.0)
        t += chunk
        if t / t_final <= 0.9:
            expected = -amplitude * (1 - t / t_final) ** (nav - 2)  # normal to the initial LOS (+y)
            worst = max(worst, abs(state.lateral_accel_mps2[0, 1] - expected) / amplitude)
    assert state.status[0] == CLOSEST_APPROACH
    assert worst < 0.02
    assert state.miss_distance_m[0] < 1.0
    assert abs(state.closest_approach_time_s[0] - t_final) < 0.02 * t_final


def test_drag_free_ballistic_range():
    speed, elevation = 300.0, math.radians(45.0)
    params = InterceptorParams.kinematic(nav_constant=0.0)
    state = launch(params, 0, [0.0, 0.0, 0.0], [speed * math.cos(elevation), 0.0, speed * math.sin(elevation)], 0.0)
    time_of_flight = 2 * speed * math.sin(elevation) / G0
    fly(state, params, _static_target([1e7, 0.0, 0.0]), 0.0, time_of_flight, 0.01)
    assert abs(state.position_m[0, 0] - speed**2 * math.sin(2 * elevation) / G0) < 1e-6
    assert abs(state.position_m[0, 2]) < 1e-6
    assert state.status[0] in (0, LOST_GROUND)


def test_two_phase_burn_matches_tsiolkovsky():
    mass0, boost_n, boost_s, boost_kg, sustain_n, sustain_s, sustain_kg = 100.0, 10e3, 3.0, 30.0, 2e3, 5.0, 5.0
    params = InterceptorParams.kinematic(
        launch_mass_kg=mass0, boost_thrust_n=boost_n, boost_time_s=boost_s, boost_propellant_kg=boost_kg,
        sustain_thrust_n=sustain_n, sustain_time_s=sustain_s, sustain_propellant_kg=sustain_kg, nav_constant=0.0,
    )
    state = launch(params, 0, [0.0, 0.0, ALTITUDE_M], [50.0, 0.0, 0.0], 0.0)
    fly(state, params, _static_target([1e7, 0.0, ALTITUDE_M]), 0.0, 10.0, 0.007, gravity_mps2=0.0)
    exhaust_boost, exhaust_sustain = boost_n / (boost_kg / boost_s), sustain_n / (sustain_kg / sustain_s)
    mass1, mass2 = mass0 - boost_kg, mass0 - boost_kg - sustain_kg
    expected = 50.0 + exhaust_boost * math.log(mass0 / mass1) + exhaust_sustain * math.log(mass1 / mass2)
    assert abs(state.velocity_mps[0, 0] - expected) < 1e-8 * expected
    assert abs(state.mass_kg[0] - mass2) < 1e-9


def test_horizontal_quadratic_drag_closed_form():
    mass, area, cd, speed0, duration = 100.0, 0.05, 0.3, 600.0, 20.0
    params = InterceptorParams.kinematic(
        launch_mass_kg=mass, reference_area_m2=area, cd_mach=[0.0, 5.0], cd=[[cd, cd]], nav_constant=0.0
    )
    state = launch(params, 0, [0.0, 0.0, ALTITUDE_M], [speed0, 0.0, 0.0], 0.0)
    fly(state, params, _static_target([1e7, 0.0, ALTITUDE_M]), 0.0, duration, 0.01, gravity_mps2=0.0)
    rho = float(isa(ALTITUDE_M)[2])
    k = rho * area * cd / (2 * mass)
    assert abs(state.velocity_mps[0, 0] - speed0 / (1 + k * speed0 * duration)) < 1e-8 * speed0
    assert abs(state.position_m[0, 0] - math.log(1 + k * speed0 * duration) / k) < 1e-6
