"""Guidance laws (numba scalar functions): proportional navigation family, midcourse, seeker noise.

Line of sight (LOS) from missile M to target T: r = x_T − x_M, v_r = v_T − v_M, R = |r|, û = r/R.
  LOS rate vector         Ω = (r × v_r) / R²                         (Zarchan 2012, ch. 2; Shneydor 1998)
  closing velocity        V_c = −(r · v_r) / R
  pure PN     (PPN)       a = N · V_M · (Ω × v̂_M)     ⟂ missile velocity    (Shneydor, *Missile Guidance and Pursuit*, 1998)
  true PN     (TPN)       a = N · V_c · (Ω × û)       ⟂ LOS                 (Zarchan eq. 2.1 in vector form)
  augmented PN (APN)      a = TPN + (N/2) · a_T⟂LOS                          (Zarchan, advanced guidance laws chapter)
Gravity compensation adds +g·ẑ to the command (its component normal to the velocity cancels gravity's).
Midcourse: the same law flown toward the predicted intercept point (PIP) as a stationary target.

Seeker noise: the seeker samples the LOS direction every T_s with independent angle errors n_k (1σ = σ_θ on
each of two axes ⟂ LOS). The guidance filter differentiates the angle, so the measured LOS rate carries
(n_k − n_(k−1)) / T_s, held over the sample (the discrete form of Zarchan's s/(1+sT) guidance filter fed by
angle noise, Zarchan's noise-analysis chapter); the guidance lag then filters it. n_k comes from a counter-based generator keyed by the
interceptor's `noise_seed` and the sample index k, so it does not depend on batching, call splitting or dt.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from iadsim.interceptor.params import AUGMENTED_PN, G0_MPS2, PURE_PN

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_POW_M53 = 1.0 / 9007199254740992.0


@njit(cache=True)
def _splitmix64(x):
    """SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix, used as a counter-based RNG."""
    z = x + _GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@njit(cache=True)
def seeker_noise_pair(seed, sample_index):
    """Two independent N(0, 1) values for (seed, sample_index), Box–Muller on two SplitMix64 outputs."""
    h1 = _splitmix64(np.uint64(seed) ^ _splitmix64(np.uint64(sample_index)))
    h2 = _splitmix64(h1)
    u1 = (float(h1 >> _S11) + 0.5) * _TWO_POW_M53
    u2 = float(h2 >> _S11) * _TWO_POW_M53
    radius = math.sqrt(-2.0 * math.log(u1))
    return radius * math.cos(2.0 * math.pi * u2), radius * math.sin(2.0 * math.pi * u2)


@njit(cache=True)
def noise_los_rate(seed, t_flight_s, sample_period_s, sigma_rad, rx, ry, rz):
    """LOS-rate noise vector (rad/s, world frame) for the seeker sample containing `t_flight_s`.

    Angle errors n = n1·e1 + n2·e2 on a basis ⟂ û; the LOS-rate error is û × ṅ = (Δn1·e2 − Δn2·e1)/T_s.
    """
    if sigma_rad <= 0.0:
        return 0.0, 0.0, 0.0
    k = int(math.floor(t_flight_s / sample_period_s))
    if k < 1:
        return 0.0, 0.0, 0.0
    a1, a2 = seeker_noise_pair(seed, k)
    b1, b2 = seeker_noise_pair(seed, k - 1)
    return los_rate_from_angle_noise(a1, a2, b1, b2, sample_period_s, sigma_rad, rx, ry, rz)


@njit(cache=True)
def los_rate_from_angle_noise(a1, a2, b1, b2, sample_period_s, sigma_rad, rx, ry, rz):
    """`noise_los_rate` given the unit normals of sample k (a1, a2) and of sample k − 1 (b1, b2): the flyout keeps
    the last sample's pair instead of drawing it again at every step."""
    d1 = sigma_rad * (a1 - b1) / sample_period_s
    d2 = sigma_rad * (a2 - b2) / sample_period_s
    r = math.sqrt(rx * rx + ry * ry + rz * rz)
    ux, uy, uz = rx / r, ry / r, rz / r
    # e1 = û × ẑ (horizontal), or û × x̂ when the LOS is near vertical; e2 = û × e1
    e1x, e1y, e1z = uy, -ux, 0.0
    if e1x * e1x + e1y * e1y < 1e-6:
        e1x, e1y, e1z = 0.0, uz, -uy
    n1 = math.sqrt(e1x * e1x + e1y * e1y + e1z * e1z)
    e1x, e1y, e1z = e1x / n1, e1y / n1, e1z / n1
    e2x, e2y, e2z = uy * e1z - uz * e1y, uz * e1x - ux * e1z, ux * e1y - uy * e1x
    return d1 * e2x - d2 * e1x, d1 * e2y - d2 * e1y, d1 * e2z - d2 * e1z


@njit(cache=True)
def pn_command(
    px, py, pz, vx, vy, vz, tx, ty, tz, tvx, tvy, tvz, tax, tay, taz, law, nav_constant, wx, wy, wz
):
    """Commanded acceleration of the PN family (see module docstring); (wx, wy, wz) is LOS-rate noise."""
    rx, ry, rz = tx - px, ty - py, tz - pz
    vrx, vry, vrz = tvx - vx, tvy - vy, tvz - vz
    r2 = rx * rx + ry * ry + rz * rz
    if r2 < 1e-12:
        return 0.0, 0.0, 0.0
    # Ω = (r × v_r) / R²  (+ noise)
    ox = (ry * vrz - rz * vry) / r2 + wx
    oy = (rz * vrx - rx * vrz) / r2 + wy
    oz = (rx * vry - ry * vrx) / r2 + wz
    if law == PURE_PN:
        # N · V_M · (Ω × v̂) = N · (Ω × v)
        return (
            nav_constant * (oy * vz - oz * vy),
            nav_constant * (oz * vx - ox * vz),
            nav_constant * (ox * vy - oy * vx),
        )
    r = math.sqrt(r2)
    ux, uy, uz = rx / r, ry / r, rz / r
    closing = -(rx * vrx + ry * vry + rz * vrz) / r
    gain = nav_constant * closing
    ax = gain * (oy * uz - oz * uy)
    ay = gain * (oz * ux - ox * uz)
    az = gain * (ox * uy - oy * ux)
    if law == AUGMENTED_PN:
        along = tax * ux + tay * uy + taz * uz
        half = 0.5 * nav_constant
        ax += half * (tax - along * ux)
        ay += half * (tay - along * uy)
        az += half * (taz - along * uz)
    return ax, ay, az


@njit(cache=True)
def lateral_limit_mps2(max_g, max_lift_coefficient, reference_area_m2, density_kg_m3, speed_mps, mass_kg):
    """min(max_g·g0, q·S·CL_max/m) with q = ½ρV²: structural/autopilot limit and the lift limit (Fleeman 2012)."""
    limit = max_g * G0_MPS2
    if math.isfinite(max_lift_coefficient):
        lift = 0.5 * density_kg_m3 * speed_mps * speed_mps * reference_area_m2 * max_lift_coefficient / mass_kg
        limit = min(limit, lift)
    return limit


@njit(cache=True)
def normal_part_clipped(ax, ay, az, vx, vy, vz, limit):
    """Component of a normal to v (what lift can produce), with its magnitude clipped to `limit`."""
    v2 = vx * vx + vy * vy + vz * vz
    if v2 > 0.0:
        s = (ax * vx + ay * vy + az * vz) / v2
        ax, ay, az = ax - s * vx, ay - s * vy, az - s * vz
    mag = math.sqrt(ax * ax + ay * ay + az * az)
    if mag > limit:
        f = limit / mag if mag > 0.0 else 0.0
        ax, ay, az = ax * f, ay * f, az * f
    return ax, ay, az
