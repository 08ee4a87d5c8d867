"""3-DOF point-mass interceptor flyout: RK4 kernel over all interceptors, closest-approach interpolation.

Frame: local tangent plane, x east, y north, z height (m); flat earth, gravity −g·ẑ (g = `gravity_mps2`).
State per interceptor y = [x(3), v(3), m, a_L(3)], the point-mass ("3-DOF") model of Zarchan, *Tactical and
Strategic Missile Guidance*, 6th ed. (AIAA 2012), and Fleeman, *Missile Design and System Engineering*
(AIAA 2012, aerodynamics and propulsion chapters):
  ẋ = v
  v̇ = (T(t) − D)/m · v̂ + a_lat − g·ẑ,     D = ½ ρ(z) V² S Cd(M),  M = V / a(z)    (ρ, a: ISA, earth/atmosphere)
  ṁ = −ṁ_phase(t)                          (boost, then sustain; ṁ = propellant / burn time; then 0)
  ȧ_L = (a_c − a_L) / τ                    (single-time-constant guidance system, Zarchan ch. 3)
a_c is the guidance command (guidance.py) made normal to v and clipped to min(max_g·g0, q·S·CL_max/m);
a_lat is a_L made normal to the current v and clipped to the same limit (lift cannot exceed CL_max).
If τ < dt/2 the lag is taken as zero (a_lat = a_c): RK4 is stable only for dt/τ ≲ 2.8.
Integration: classical RK4; a step that contains a motor phase change is split there (thrust is discontinuous),
so burns integrate to RK4 accuracy (Tsiolkovsky check in tests/validation). Step sizes:
  midcourse   the midcourse step (smooth steering toward the PIP, fuze not armed);
  homing      t_go / 20 (t_go = range / closing speed), at least dt and at most the midcourse step, τ/2 and,
              with seeker noise, one seeker sample (a step never spans two samples); ballistic flight after a
              lost illumination has no command, so no seeker sample bound.
The geometry's own time scale in homing is t_go (the LOS rate grows as 1/t_go as the missile closes), so a fixed
fraction of it keeps RK4's relative error per step the same from acquisition to the endgame, and the last
≈ 20·dt seconds, which decide the miss distance, run at dt. τ/2 keeps the guidance lag resolved (RK4 on
ȧ = −a/τ is accurate to 10⁻⁴ per step at h = τ/2). The seeker sample bound matters: the noisy command is clipped
to the g limit sample by sample, a nonlinearity that averaging the noise over a longer step would weaken. With the
midcourse step ≤ dt every step is dt, as in a fixed-step flyout.

Guidance mode of a step (decided at its start): midcourse, PN toward the predicted intercept point (or the
target itself when no PIP is given), until the range is within the seeker acquisition range; then terminal
homing (with seeker noise). A semi-active type homing without illumination becomes BALLISTIC_NO_ILLUMINATION:
zero command (the lag decays) for the rest of its flight, fuze still live. Stops, checked at the end of each
step: closest approach (fuze armed: not midcourse and time since launch ≥ fuze arming time), ground impact
(z < 0 and descending), time of flight ≥ max, speed < min after motor burnout.

Closest approach: when the range rate r·ṙ turns from negative to positive inside a step (fuze armed and
homing), the relative position over the step is the cubic Hermite interpolant of (r, ṙ) at both ends; the
root of d|r|²/ds on the step (bisection) gives the miss distance and its time, independent of dt.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from iadsim.earth.atmosphere import density_and_speed_of_sound_nb, density_kg_m3_nb
from iadsim.interceptor import params as P
from iadsim.interceptor.guidance import (
    lateral_limit_mps2,
    los_rate_from_angle_noise,
    normal_part_clipped,
    pn_command,
    seeker_noise_pair,
)
from iadsim.interceptor.state import (
    BALLISTIC_NO_ILLUMINATION,
    CLOSEST_APPROACH,
    LOST_GROUND,
    LOST_MIN_SPEED,
    LOST_TIME_OF_FLIGHT,
    InterceptorState,
    TargetTruth,
)

MIDCOURSE, TERMINAL, BALLISTIC = 0, 1, 2  # guidance mode of one step
STATE_SIZE = 10
TERMINAL_STEPS_PER_TIME_TO_GO = 20  # homing step ≤ t_go / 20 (tests/interceptor: the endgame is unchanged)


@njit(cache=True)
def drag_coefficient(mach, mach_row, cd_row):
    """Cd(M): linear between table points, held beyond the ends; zero-width (padding) intervals skipped."""
    k = mach_row.shape[0]
    if mach <= mach_row[0]:
        return cd_row[0]
    for i in range(1, k):
        if mach <= mach_row[i]:
            width = mach_row[i] - mach_row[i - 1]
            if width <= 0.0:
                return cd_row[i]
            return cd_row[i - 1] + (cd_row[i] - cd_row[i - 1]) * (mach - mach_row[i - 1]) / width
    return cd_row[k - 1]


@njit(cache=True)
def motor(t_flight_s, prm):
    """(thrust N, mass flow kg/s) at time since launch: boost on [0, tb), sustain on [tb, tb+ts), then 0."""
    tb = prm[P.C_BOOST_TIME]
    if t_flight_s < tb:
        return prm[P.C_BOOST_THRUST], prm[P.C_BOOST_MDOT]
    if t_flight_s < tb + prm[P.C_SUSTAIN_TIME]:
        return prm[P.C_SUSTAIN_THRUST], prm[P.C_SUSTAIN_MDOT]
    return 0.0, 0.0


@njit(cache=True)
def lateral_command(y, t_rel_s, mode, target, pip, noise, prm, limit_mps2, gravity_mps2):
    """Guidance command normal to v, clipped; `target` (9,) = position, velocity, acceleration at t0."""
    if mode == BALLISTIC:
        return 0.0, 0.0, 0.0
    tr = t_rel_s
    tx = target[0] + target[3] * tr + 0.5 * target[6] * tr * tr
    ty = target[1] + target[4] * tr + 0.5 * target[7] * tr * tr
    tz = target[2] + target[5] * tr + 0.5 * target[8] * tr * tr
    tvx, tvy, tvz = target[3] + target[6] * tr, target[4] + target[7] * tr, target[5] + target[8] * tr
    tax, tay, taz = target[6], target[7], target[8]
    wx, wy, wz = noise[0], noise[1], noise[2]
    if mode == MIDCOURSE and not math.isnan(pip[0]):
        tx, ty, tz = pip[0], pip[1], pip[2]
        tvx = tvy = tvz = tax = tay = taz = 0.0
    law = int(prm[P.C_LAW])
    ax, ay, az = pn_command(
        y[0], y[1], y[2], y[3], y[4], y[5], tx, ty, tz, tvx, tvy, tvz, tax, tay, taz,
        law, prm[P.C_NAV_CONSTANT], wx, wy, wz,
    )
    if prm[P.C_GRAVITY_COMP] != 0.0:
        az += gravity_mps2
    return normal_part_clipped(ax, ay, az, y[3], y[4], y[5], limit_mps2)


@njit(cache=True)
def derivative(y, out, t_rel_s, thrust, mdot, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, gravity_mps2):
    """ẏ of the 3-DOF model (module docstring) into `out`; thrust (N) and mass flow (kg/s) are constant over the call's step."""
    vx, vy, vz, mass = y[3], y[4], y[5], y[6]
    speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    rho, sound_mps = density_and_speed_of_sound_nb(y[2])
    area = prm[P.C_REF_AREA]
    drag = 0.5 * rho * speed * speed * area * drag_coefficient(speed / sound_mps, mach_row, cd_row)
    limit = lateral_limit_mps2(prm[P.C_MAX_G], prm[P.C_MAX_CL], area, rho, speed, mass)
    cx, cy, cz = lateral_command(y, t_rel_s, mode, target, pip, noise, prm, limit, gravity_mps2)
    if zero_lag:
        ax, ay, az = cx, cy, cz
        out[7] = out[8] = out[9] = 0.0
    else:
        tau = prm[P.C_TAU]
        out[7], out[8], out[9] = (cx - y[7]) / tau, (cy - y[8]) / tau, (cz - y[9]) / tau
        ax, ay, az = normal_part_clipped(y[7], y[8], y[9], vx, vy, vz, limit)
    if speed > 0.0:
        ux, uy, uz = vx / speed, vy / speed, vz / speed
    else:
        ux, uy, uz = 0.0, 0.0, 1.0  # at rest: thrust straight up
    axial = (thrust - drag) / mass
    out[0], out[1], out[2] = vx, vy, vz
    out[3] = axial * ux + ax
    out[4] = axial * uy + ay
    out[5] = axial * uz + az - gravity_mps2
    out[6] = -mdot


@njit(cache=True)
def rk4_step(y, y_new, work, h, t_rel_s, thrust, mdot, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g):
    """One classical RK4 step of length h into `y_new`; `work` is a (6, STATE_SIZE) scratch array (rows 0–4 used)."""
    k1, k2, k3, k4, tmp = work[0], work[1], work[2], work[3], work[4]
    derivative(y, k1, t_rel_s, thrust, mdot, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g)
    for i in range(STATE_SIZE):
        tmp[i] = y[i] + 0.5 * h * k1[i]
    derivative(tmp, k2, t_rel_s + 0.5 * h, thrust, mdot, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g)
    for i in range(STATE_SIZE):
        tmp[i] = y[i] + 0.5 * h * k2[i]
    derivative(tmp, k3, t_rel_s + 0.5 * h, thrust, mdot, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g)
    for i in range(STATE_SIZE):
        tmp[i] = y[i] + h * k3[i]
    derivative(tmp, k4, t_rel_s + h, thrust, mdot, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g)
    for i in range(STATE_SIZE):
        y_new[i] = y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])


@njit(cache=True)
def advance(y, y_new, work, h, t_rel_s, t_flight_s, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g):
    """RK4 over [t, t+h], split at motor phase changes (boost end, sustain end) inside the step."""
    t_end = t_flight_s + h
    for i in range(STATE_SIZE):
        y_new[i] = y[i]
    t = t_flight_s
    for boundary in (prm[P.C_BOOST_TIME], prm[P.C_BOOST_TIME] + prm[P.C_SUSTAIN_TIME], t_end):
        if boundary > t + 1e-12 and boundary <= t_end:
            for i in range(STATE_SIZE):
                work[5, i] = y_new[i]
            thrust, mdot = motor(0.5 * (t + boundary), prm)  # phase at the sub-step midpoint: robust to rounding
            rk4_step(work[5], y_new, work, boundary - t, t_rel_s + (t - t_flight_s), thrust, mdot, mode, zero_lag,
                     target, pip, noise, prm, mach_row, cd_row, g)
            t = boundary


@njit(cache=True)
def relative(y, target, t_rel_s):
    """Target minus missile: position (3) and velocity (3) at t0 + t_rel_s (constant target acceleration)."""
    tr = t_rel_s
    return (
        target[0] + target[3] * tr + 0.5 * target[6] * tr * tr - y[0],
        target[1] + target[4] * tr + 0.5 * target[7] * tr * tr - y[1],
        target[2] + target[5] * tr + 0.5 * target[8] * tr * tr - y[2],
        target[3] + target[6] * tr - y[3],
        target[4] + target[7] * tr - y[4],
        target[5] + target[8] * tr - y[5],
    )


@njit(cache=True)
def closest_approach(r0, v0, r1, v1, h):
    """(fraction s of the step, distance) minimising |r(s)| on the cubic Hermite interpolant of r over the step.

    Called when r0·v0 < 0 ≤ r1·v1, so f(s) = r(s)·r'(s) changes sign on [0, 1]; bisection finds the root.
    """
    lo, hi = 0.0, 1.0
    for _ in range(60):
        s = 0.5 * (lo + hi)
        d00, d10, d01, d11 = 6 * s * s - 6 * s, 3 * s * s - 4 * s + 1, -6 * s * s + 6 * s, 3 * s * s - 2 * s
        h00, h10, h01, h11 = 2 * s**3 - 3 * s * s + 1, s**3 - 2 * s * s + s, -2 * s**3 + 3 * s * s, s**3 - s * s
        f = 0.0
        for i in range(3):
            r = h00 * r0[i] + h10 * h * v0[i] + h01 * r1[i] + h11 * h * v1[i]
            dr = d00 * r0[i] + d10 * h * v0[i] + d01 * r1[i] + d11 * h * v1[i]
            f += r * dr
        if f < 0.0:
            lo = s
        else:
            hi = s
    s = 0.5 * (lo + hi)
    h00, h10, h01, h11 = 2 * s**3 - 3 * s * s + 1, s**3 - 2 * s * s + s, -2 * s**3 + 3 * s * s, s**3 - s * s
    d2 = 0.0
    for i in range(3):
        r = h00 * r0[i] + h10 * h * v0[i] + h01 * r1[i] + h11 * h * v1[i]
        d2 += r * r
    return s, math.sqrt(d2)


@njit(cache=True)
def step(y, y_new, work, h, t_rel_s, t_flight_s, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g):
    """`advance`, then the lag state becomes the achieved lateral acceleration at the new state: the command
    itself when the lag is zero, else a_L made normal to the new velocity and clipped to the new limit."""
    advance(y, y_new, work, h, t_rel_s, t_flight_s, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g)
    speed = math.sqrt(y_new[3] ** 2 + y_new[4] ** 2 + y_new[5] ** 2)
    limit = lateral_limit_mps2(
        prm[P.C_MAX_G], prm[P.C_MAX_CL], prm[P.C_REF_AREA], density_kg_m3_nb(y_new[2]), speed, y_new[6]
    )
    if zero_lag:
        ax, ay, az = lateral_command(y_new, t_rel_s + h, mode, target, pip, noise, prm, limit, g)
    else:
        ax, ay, az = normal_part_clipped(y_new[7], y_new[8], y_new[9], y_new[3], y_new[4], y_new[5], limit)
    y_new[7], y_new[8], y_new[9] = ax, ay, az


@njit(cache=True, parallel=True)
def _fly_kernel(
    position, velocity, mass, lateral, launch_time, time_s, type_index, status, terminal, lost_illumination,
    miss, miss_time, seeds, steps, table, mach_table, cd_table, targets, pips, illuminated, t0, t1, dt, midcourse_dt,
    g, ground,
):
    for j in prange(position.shape[0]):
        if status[j] > BALLISTIC_NO_ILLUMINATION:
            continue
        t_start = max(t0, launch_time[j])
        if t1 - t_start <= 0.0:
            continue
        kind = type_index[j]
        prm, mach_row, cd_row = table[kind], mach_table[kind], cd_table[kind]
        target, pip = targets[j], pips[j]
        y, y_new, work = np.empty(STATE_SIZE), np.empty(STATE_SIZE), np.empty((6, STATE_SIZE))
        noise = np.zeros(3)
        # seeker angle noise of sample k (a1, a2) and k − 1 (b1, b2), kept while steps stay in sample k
        sample_k, a1, a2, b1, b2 = -2, 0.0, 0.0, 0.0, 0.0
        for i in range(3):
            y[i], y[3 + i], y[7 + i] = position[j, i], velocity[j, i], lateral[j, i]
        y[6] = mass[j]
        burnout = prm[P.C_BOOST_TIME] + prm[P.C_SUSTAIN_TIME]
        # the longest homing step: the lag resolved (τ/2) and, with seeker noise, one seeker sample (the noisy
        # command is clipped to the g limit sample by sample; a longer step would average the noise first)
        sample_s, noisy = prm[P.C_SEEKER_PERIOD], prm[P.C_NOISE] > 0.0
        ballistic_dt = min(midcourse_dt, 0.5 * prm[P.C_TAU])  # no command, so no seeker noise to resolve
        homing_dt = min(ballistic_dt, sample_s) if noisy else ballistic_dt
        t = t_start
        # Steps of `midcourse_dt` while in midcourse (fuze not armed, smooth steering toward the PIP); in homing,
        # steps scaled to the time to go (module docstring). Where a phase may not step longer than dt (midcourse_dt
        # or homing_dt <= dt), the fine `dt` from there to t1, dividing what is left evenly; with midcourse_dt <= dt
        # every step is fine: (t1 − t_start)/⌈(t1 − t_start)/dt⌉.
        fine_h, fine_start, fine_k, fine_n = 0.0, t_start, 0, 0
        while t < t1 and (fine_h == 0.0 or fine_k < fine_n):
            t_rel, t_flight = t - t0, t - launch_time[j]
            rx0, ry0, rz0, rvx0, rvy0, rvz0 = relative(y, target, t_rel)
            range0 = math.sqrt(rx0 * rx0 + ry0 * ry0 + rz0 * rz0)
            # guidance mode of this step: midcourse -> terminal at seeker acquisition; semi-active needs light
            if status[j] == BALLISTIC_NO_ILLUMINATION:
                mode = BALLISTIC
            else:
                if not terminal[j] and range0 <= prm[P.C_ACQ_RANGE]:
                    terminal[j] = True
                mode = TERMINAL if terminal[j] else MIDCOURSE
                if mode == TERMINAL and prm[P.C_SEMI_ACTIVE] != 0.0 and not illuminated[j]:
                    status[j] = BALLISTIC_NO_ILLUMINATION
                    lost_illumination[j] = True
                    mode = BALLISTIC
            longest = midcourse_dt if mode == MIDCOURSE else (homing_dt if mode == TERMINAL else ballistic_dt)
            if longest > dt:
                # midcourse: the midcourse step to the cycle's end. Homing and ballistic: the time to go over
                # TERMINAL_STEPS_PER_TIME_TO_GO, between dt and the longest step, to the cycle's end and, homing with
                # seeker noise, to the next seeker sample.
                h, t_end = longest, t1
                if mode != MIDCOURSE:
                    closing_mps = -(rx0 * rvx0 + ry0 * rvy0 + rz0 * rvz0) / range0
                    h = dt
                    if closing_mps > 0.0:
                        h = min(max(dt, range0 / closing_mps / TERMINAL_STEPS_PER_TIME_TO_GO), longest)
                    if noisy and mode == TERMINAL:
                        sample_end = launch_time[j] + (math.floor(t_flight / sample_s + 1e-6) + 1.0) * sample_s
                        t_end = min(t_end, sample_end)
                t_next = t + h
                if t_end - t <= h * (1.0 + 1e-9):
                    h, t_next = t_end - t, t_end
                elif t_end - t < 2.0 * h:
                    h = 0.5 * (t_end - t)  # no sliver of a step before the end
                    t_next = t + h
            else:
                # fixed fine steps dividing what is left of the cycle evenly
                if fine_h == 0.0:
                    fine_start, fine_k = t, 0
                    fine_n = max(1, int(math.ceil((t1 - t) / dt - 1e-9)))
                    fine_h = (t1 - t) / fine_n
                h = fine_h
                fine_k += 1
                t_next = fine_start + fine_k * fine_h
            zero_lag = prm[P.C_TAU] < 0.5 * h
            # the seeker sample at the step's midpoint (robust to rounding at sample edges)
            k = int(math.floor((t_flight + 0.5 * h) / sample_s))
            if mode == TERMINAL and noisy and k >= 1:
                if k != sample_k:
                    if k == sample_k + 1:
                        b1, b2 = a1, a2
                    else:
                        b1, b2 = seeker_noise_pair(seeds[j], k - 1)
                    a1, a2 = seeker_noise_pair(seeds[j], k)
                    sample_k = k
                noise[0], noise[1], noise[2] = los_rate_from_angle_noise(
                    a1, a2, b1, b2, sample_s, prm[P.C_NOISE], rx0, ry0, rz0
                )
            else:
                noise[0] = noise[1] = noise[2] = 0.0
            step(y, y_new, work, h, t_rel, t_flight, mode, zero_lag, target, pip, noise, prm, mach_row, cd_row, g)
            steps[j] += 1
            for i in range(STATE_SIZE):
                y[i] = y_new[i]
            rx1, ry1, rz1, rvx1, rvy1, rvz1 = relative(y, target, t_next - t0)
            range1 = math.sqrt(rx1 * rx1 + ry1 * ry1 + rz1 * rz1)
            if range1 < miss[j]:
                miss[j], miss_time[j] = range1, t_next
            armed = mode != MIDCOURSE and t_next - launch_time[j] >= prm[P.C_FUZE_ARM]
            closing_before = rx0 * rvx0 + ry0 * rvy0 + rz0 * rvz0 < 0.0
            opening_after = rx1 * rvx1 + ry1 * rvy1 + rz1 * rvz1 >= 0.0
            if armed and closing_before and opening_after:
                s, distance = closest_approach(
                    (rx0, ry0, rz0), (rvx0, rvy0, rvz0), (rx1, ry1, rz1), (rvx1, rvy1, rvz1), h
                )
                miss[j], miss_time[j] = distance, t + s * h
                status[j] = CLOSEST_APPROACH
                t = t_next
                break
            t = t_next
            speed = math.sqrt(y[3] * y[3] + y[4] * y[4] + y[5] * y[5])
            if y[2] < ground and y[5] < 0.0:
                status[j] = LOST_GROUND
                break
            if t - launch_time[j] >= prm[P.C_MAX_TOF] - 1e-9:
                status[j] = LOST_TIME_OF_FLIGHT
                break
            if t - launch_time[j] >= burnout and speed < prm[P.C_MIN_SPEED]:
                status[j] = LOST_MIN_SPEED
                break
        for i in range(3):
            position[j, i], velocity[j, i], lateral[j, i] = y[i], y[3 + i], y[7 + i]
        mass[j] = y[6]
        time_s[j] = t


def _check_in_place(state: InterceptorState) -> None:
    expected = {
        "position_m": np.float64, "velocity_mps": np.float64, "mass_kg": np.float64,
        "lateral_accel_mps2": np.float64, "launch_time_s": np.float64, "time_s": np.float64,
        "type_index": np.int64, "status": np.int8, "terminal": np.bool_, "lost_illumination": np.bool_,
        "miss_distance_m": np.float64, "closest_approach_time_s": np.float64, "noise_seed": np.uint64,
        "steps": np.int64,
    }
    for name, dtype in expected.items():
        arr = getattr(state, name)
        if arr.dtype != dtype or not arr.flags.c_contiguous or not arr.flags.writeable:
            raise TypeError(f"state.{name} must be a writeable C-contiguous {np.dtype(dtype)} array")


def fly(
    state: InterceptorState,
    params: P.InterceptorParams,
    targets: TargetTruth,
    t0_s: float,
    t1_s: float,
    dt_s: float,
    illuminated: np.ndarray | None = None,
    *,
    pip_m: np.ndarray | None = None,
    gravity_mps2: float = P.G0_MPS2,
    ground_m: float = 0.0,
    midcourse_step_s: float | None = None,
) -> InterceptorState:
    """Advance every active interceptor (FLYING or BALLISTIC_NO_ILLUMINATION) from t0 to t1, in place.

    targets: each row's target at t0 (constant acceleration inside the interval).
    illuminated: (N,) bool, a fire channel holds the row's target (needed by semi-active terminal homing);
        default all True.
    pip_m: (N, 3) predicted intercept point flown to in midcourse; NaN rows (or None) steer on the target.
    gravity_mps2: 0 switches gravity off (kinematic checks). Steps are ≤ dt_s, evenly dividing the span
        from max(t0, launch time) to t1. Seeker noise is keyed by `state.noise_seed` (no generator here).
    ground_m: height of the (flat) terrain; a missile descending below it is lost to ground impact.
    midcourse_step_s: a longer step while a missile is in midcourse (fuze not armed); default dt_s. From its
        first step in terminal or ballistic flight to t1 the step is dt_s again.
    """
    _check_in_place(state)
    n = state.n
    if dt_s <= 0 or t1_s < t0_s:
        raise ValueError("need dt_s > 0 and t1_s >= t0_s")
    target_table = targets.packed()
    if target_table.shape != (n, 9):
        raise ValueError(f"targets must have {n} rows")
    lit = np.ones(n, dtype=np.bool_) if illuminated is None else np.ascontiguousarray(illuminated, dtype=np.bool_)
    pips = np.full((n, 3), np.nan) if pip_m is None else np.ascontiguousarray(pip_m, dtype=np.float64)
    if lit.shape != (n,) or pips.shape != (n, 3):
        raise ValueError(f"illuminated must be ({n},) and pip_m ({n}, 3)")
    if n and (state.type_index.min() < 0 or state.type_index.max() >= params.n_types):
        raise ValueError("state.type_index outside the InterceptorParams rows")
    mach_table = np.ascontiguousarray(params.drag_mach_table(), dtype=np.float64)
    _fly_kernel(
        state.position_m, state.velocity_mps, state.mass_kg, state.lateral_accel_mps2, state.launch_time_s,
        state.time_s, state.type_index, state.status, state.terminal, state.lost_illumination,
        state.miss_distance_m, state.closest_approach_time_s, state.noise_seed, state.steps,
        params.packed(), mach_table, np.ascontiguousarray(params.cd), target_table, pips, lit,
        float(t0_s), float(t1_s), float(dt_s), float(dt_s if midcourse_step_s is None else midcourse_step_s),
        float(gravity_mps2), float(ground_m),
    )
    return state


@njit(cache=True)
def step_batch(ys, h, t_rel_s, t_flight_s, modes, zero_lag, targets, pips, noises, table, types, mach_table, cd_table, g):
    """`step` applied to each row of ys (N, 10); for comparison with the NumPy reference (reference.py)."""
    out = np.empty_like(ys)
    work = np.empty((6, STATE_SIZE))
    for j in range(ys.shape[0]):
        kind = types[j]
        step(ys[j], out[j], work, h, t_rel_s, t_flight_s[j], modes[j], zero_lag, targets[j], pips[j], noises[j],
             table[kind], mach_table[kind], cd_table[kind], g)
    return out
