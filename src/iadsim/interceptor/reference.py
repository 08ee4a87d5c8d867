"""Plain NumPy reference of one flyout step (vectorised over rows), written from the equations in
dynamics.py / guidance.py without sharing their code; tests compare it with the numba `step_batch`.

Limits: no motor phase change inside the step (the kernel splits such steps; the reference does not), and
the seeker-noise LOS rate is an input (the counter-based generator is tested on its own).
"""

from __future__ import annotations

import numpy as np

from iadsim.earth.atmosphere import isa
from iadsim.interceptor import params as P

MIDCOURSE, TERMINAL, BALLISTIC = 0, 1, 2


def _dot(a, b):
    return np.einsum("ij,ij->i", a, b)


def _normal_clipped(a, v, limit):
    v2 = _dot(v, v)
    along = np.where(v2 > 0, _dot(a, v) / np.where(v2 > 0, v2, 1.0), 0.0)
    a = a - along[:, None] * v
    mag = np.linalg.norm(a, axis=1)
    scale = np.where(mag > limit, limit / np.where(mag > 0, mag, 1.0), 1.0)
    return a * scale[:, None]


def _limit(prm, rho, speed, mass):
    g_limit = prm[:, P.C_MAX_G] * P.G0_MPS2
    cl = prm[:, P.C_MAX_CL]
    with np.errstate(invalid="ignore"):
        lift = 0.5 * rho * speed**2 * prm[:, P.C_REF_AREA] * cl / mass
    return np.where(np.isfinite(cl), np.minimum(g_limit, lift), g_limit)


def _command(y, t_rel, modes, targets, pips, noises, prm, limit, g):
    p, v = y[:, 0:3], y[:, 3:6]
    tp = targets[:, 0:3] + targets[:, 3:6] * t_rel + 0.5 * targets[:, 6:9] * t_rel**2
    tv = targets[:, 3:6] + targets[:, 6:9] * t_rel
    ta = targets[:, 6:9].copy()
    noise = noises.copy()
    to_pip = (modes == MIDCOURSE) & ~np.isnan(pips[:, 0])
    tp = np.where(to_pip[:, None], pips, tp)
    tv = np.where(to_pip[:, None], 0.0, tv)
    ta = np.where(to_pip[:, None], 0.0, ta)
    r, vr = tp - p, tv - v
    r2 = _dot(r, r)
    omega = np.cross(r, vr) / r2[:, None] + noise  # Ω = r × v_r / R²
    law = prm[:, P.C_LAW].astype(int)
    nav = prm[:, P.C_NAV_CONSTANT]
    pure = nav[:, None] * np.cross(omega, v)  # N V_M (Ω × v̂)
    u = r / np.sqrt(r2)[:, None]
    closing = -_dot(r, vr) / np.sqrt(r2)
    true = (nav * closing)[:, None] * np.cross(omega, u)  # N V_c (Ω × û)
    a_perp_los = ta - _dot(ta, u)[:, None] * u
    augmented = true + 0.5 * nav[:, None] * a_perp_los
    a = np.where((law == P.PURE_PN)[:, None], pure, np.where((law == P.AUGMENTED_PN)[:, None], augmented, true))
    a[:, 2] += np.where(prm[:, P.C_GRAVITY_COMP] != 0, g, 0.0)
    a = np.where((modes == BALLISTIC)[:, None], 0.0, a)
    return _normal_clipped(a, v, limit)


def derivative(y, t_rel, thrust, mdot, modes, zero_lag, targets, pips, noises, prm, mach_rows, cd_rows, g):
    """ẏ for all rows; y (N, 10) = position, velocity, mass, lag state."""
    v, mass = y[:, 3:6], y[:, 6]
    speed = np.linalg.norm(v, axis=1)
    _, _, rho, sound = isa(y[:, 2])
    cd = np.array([np.interp(m, mr, cr) for m, mr, cr in zip(speed / sound, mach_rows, cd_rows)])
    drag = 0.5 * rho * speed**2 * prm[:, P.C_REF_AREA] * cd
    limit = _limit(prm, rho, speed, mass)
    command = _command(y, t_rel, modes, targets, pips, noises, prm, limit, g)
    if zero_lag:
        lateral, lag_rate = command, np.zeros_like(command)
    else:
        lag_rate = (command - y[:, 7:10]) / prm[:, P.C_TAU][:, None]
        lateral = _normal_clipped(y[:, 7:10], v, limit)
    unit = np.where(speed[:, None] > 0, v / np.where(speed > 0, speed, 1.0)[:, None], [0.0, 0.0, 1.0])
    accel = ((thrust - drag) / mass)[:, None] * unit + lateral
    accel[:, 2] -= g
    return np.hstack([v, accel, -mdot[:, None], lag_rate])


def step(y, h, t_rel, t_flight, modes, zero_lag, targets, pips, noises, table, types, mach_table, cd_table, g):
    """One RK4 step of every row, then the lag state becomes the achieved lateral acceleration."""
    prm, mach_rows, cd_rows = table[types], mach_table[types], cd_table[types]
    tb, ts = prm[:, P.C_BOOST_TIME], prm[:, P.C_SUSTAIN_TIME]
    mid = t_flight + 0.5 * h
    thrust = np.select([mid < tb, mid < tb + ts], [prm[:, P.C_BOOST_THRUST], prm[:, P.C_SUSTAIN_THRUST]], 0.0)
    mdot = np.select([mid < tb, mid < tb + ts], [prm[:, P.C_BOOST_MDOT], prm[:, P.C_SUSTAIN_MDOT]], 0.0)
    args = (modes, zero_lag, targets, pips, noises, prm, mach_rows, cd_rows, g)
    k1 = derivative(y, t_rel, thrust, mdot, *args)
    k2 = derivative(y + 0.5 * h * k1, t_rel + 0.5 * h, thrust, mdot, *args)
    k3 = derivative(y + 0.5 * h * k2, t_rel + 0.5 * h, thrust, mdot, *args)
    k4 = derivative(y + h * k3, t_rel + h, thrust, mdot, *args)
    y_new = y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    _, _, rho, _ = isa(y_new[:, 2])
    limit = _limit(prm, rho, np.linalg.norm(y_new[:, 3:6], axis=1), y_new[:, 6])
    if zero_lag:
        y_new[:, 7:10] = _command(y_new, t_rel + h, modes, targets, pips, noises, prm, limit, g)
    else:
        y_new[:, 7:10] = _normal_clipped(y_new[:, 7:10], y_new[:, 3:6], limit)
    return y_new
