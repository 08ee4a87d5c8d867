"""Earth curvature for line of sight: the smooth effective-earth sphere and the radar horizon.

The local frame is flat (see `iadsim.earth.frames`); curvature enters only here. Refraction in a standard
atmosphere bends rays down; the effective-earth-radius model replaces the earth of radius R by a sphere
of radius k*R (k = 4/3 for standard refraction) over which rays travel in straight lines.
Sources: Schelleng, Burrows & Ferrell, "Ultra-short-wave propagation", Proc. IRE 21 (1933) (the 4/3 earth);
M. I. Skolnik, *Introduction to Radar Systems*, 3rd ed. (2001), ch. 8, atmospheric refraction, standard
propagation (horizon d = sqrt(2 k R h), ~ 4.12 sqrt(h) km with h in metres).

Geometry used throughout (exact on the sphere of radius a = k*R): a point at height h sees the surface
out to the central angle

    theta_h = arccos(a / (a + h)) = arctan( sqrt(2 a h + h^2) / a ),                        (1)

and two points at heights h1, h2 separated by the central angle theta = ground_range / a see each other
exactly when theta <= theta_h1 + theta_h2 (the chord between them then stays above the sphere).
Ground range is measured along the surface, so it maps to a central angle on the effective sphere
as theta = s / (k R) (the 4/3-earth model keeps surface distances).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "EARTH_RADIUS_M",
    "STANDARD_REFRACTION_K",
    "radar_horizon_m",
    "horizon_ground_range_m",
    "line_of_sight",
    "line_of_sight_nb",
    "masking_height_m",
]

# Mean earth radius R1 = (2a + b)/3 of the GRS80/WGS84 ellipsoid, 6 371 008.8 m
# (H. Moritz, "Geodetic Reference System 1980", J. Geodesy 74 (2000) 128-133, Sec. 4).
EARTH_RADIUS_M = 6371008.8
# Effective-earth-radius factor of the standard atmosphere (dN/dh = -39 N-units/km, ITU-R P.453 / P.834).
STANDARD_REFRACTION_K = 4.0 / 3.0


def _check_k(k) -> None:
    if np.any(np.asarray(k) <= 0.0):
        raise ValueError(f"effective earth radius factor k must be > 0, got {k}")


def radar_horizon_m(h1_m, h2_m, k=STANDARD_REFRACTION_K):
    """Textbook radar horizon sqrt(2kR h1) + sqrt(2kR h2) (m); vectorised.

    The small-height form of the tangent length sqrt((kR + h)^2 - (kR)^2) = sqrt(2kRh + h^2), as quoted in
    Skolnik ch. 8 (d ~ 4.12 (sqrt(h1) + sqrt(h2)) km, h in m). It is the straight-line distance to the
    tangent point; it exceeds the exact surface ground range `horizon_ground_range_m` by < 0.2 % for
    heights up to 20 km. Negative heights count as 0.
    """
    _check_k(k)
    effective_radius_m = k * EARTH_RADIUS_M
    h1 = np.maximum(np.asarray(h1_m, dtype=float), 0.0)
    h2 = np.maximum(np.asarray(h2_m, dtype=float), 0.0)
    return np.sqrt(2.0 * effective_radius_m * h1) + np.sqrt(2.0 * effective_radius_m * h2)


def _horizon_angle_rad(height_m, effective_radius_m):
    """Eq. (1): central angle from a point at height_m to its tangent point; well conditioned for small h."""
    h = np.maximum(height_m, 0.0)
    return np.arctan(np.sqrt(2.0 * effective_radius_m * h + h * h) / effective_radius_m)


def horizon_ground_range_m(h1_m, h2_m, k=STANDARD_REFRACTION_K):
    """Exact horizon: the largest ground range (arc on the effective sphere) at which h1 and h2 see each other (m).

    kR * (theta_h1 + theta_h2) with theta_h from eq. (1). `line_of_sight` is true exactly up to this range.
    """
    _check_k(k)
    effective_radius_m = k * EARTH_RADIUS_M
    h1 = np.asarray(h1_m, dtype=float)
    h2 = np.asarray(h2_m, dtype=float)
    return effective_radius_m * (_horizon_angle_rad(h1, effective_radius_m) + _horizon_angle_rad(h2, effective_radius_m))


def line_of_sight(ground_range_m, h1_m, h2_m, k=STANDARD_REFRACTION_K):
    """Smooth-sphere visibility between heights h1_m and h2_m at a surface ground range (bool array).

    Exact on the sphere of radius kR: visible when s/(kR) <= theta_h1 + theta_h2 (eq. 1), i.e. the straight
    chord does not dip below the surface. Heights below the surface count as on it (land below sea level is
    the terrain model's business). Broadcasts its arguments. NumPy reference of `line_of_sight_nb`.
    """
    _check_k(k)
    effective_radius_m = k * EARTH_RADIUS_M
    central_angle_rad = np.abs(np.asarray(ground_range_m, dtype=float)) / effective_radius_m
    h1 = np.asarray(h1_m, dtype=float)
    h2 = np.asarray(h2_m, dtype=float)
    visible_angle_rad = _horizon_angle_rad(h1, effective_radius_m) + _horizon_angle_rad(h2, effective_radius_m)
    return central_angle_rad <= visible_angle_rad


@njit(cache=True)
def line_of_sight_nb(ground_range_m, h1_m, h2_m, k):
    """Scalar numba version of `line_of_sight` (same eq. 1 test), for use inside other kernels."""
    effective_radius_m = k * EARTH_RADIUS_M
    h1 = max(h1_m, 0.0)
    h2 = max(h2_m, 0.0)
    angle1 = math.atan(math.sqrt(2.0 * effective_radius_m * h1 + h1 * h1) / effective_radius_m)
    angle2 = math.atan(math.sqrt(2.0 * effective_radius_m * h2 + h2 * h2) / effective_radius_m)
    return abs(ground_range_m) / effective_radius_m <= angle1 + angle2


def masking_height_m(ground_range_m, h_radar_m, k=STANDARD_REFRACTION_K):
    """Lowest target height visible from a radar at h_radar_m at a given ground range (m); vectorised.

    The target must see the surface beyond the radar's own horizon: theta_t = max(0, s/(kR) - theta_radar),
    and from eq. (1) h = a (1/cos(theta_t) - 1) = a * 2 sin^2(theta_t/2) / cos(theta_t) (the latter form
    keeps precision for small angles). Zero inside the radar's horizon. Valid while theta_t < pi/2.
    """
    _check_k(k)
    effective_radius_m = k * EARTH_RADIUS_M
    central_angle_rad = np.abs(np.asarray(ground_range_m, dtype=float)) / effective_radius_m
    radar_angle_rad = _horizon_angle_rad(np.asarray(h_radar_m, dtype=float), effective_radius_m)
    target_angle_rad = np.maximum(central_angle_rad - radar_angle_rad, 0.0)
    return effective_radius_m * 2.0 * np.sin(0.5 * target_angle_rad) ** 2 / np.cos(target_angle_rad)
