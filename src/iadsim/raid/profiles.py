"""Weapon flight profiles: the path from the release point to the target asset.

Each profile is a vertical shape laid along the straight ground track from release to target, flown at the
weapon's constant speed (an engagement-level simplification: no energy model, corners are instantaneous).
Heights are metres above mean sea level; `ground_m` is the flat terrain's height, and cruise heights in the file
are above it. Shapes (h = height above ground, x = ground distance flown):

- low_level_cruise: change height at the climb/descent angle to the cruise height, cruise, then descend to the
  target at the same angle (a sea-skimming / terrain-following cruise missile, level arrival);
- terminal_dive: as low_level_cruise but the final descent is at the terminal dive angle;
- pop_up: cruise low, climb at the climb angle from `terminal_range_m` to the pop-up height (or until the dive
  line is met), then dive at the terminal dive angle;
- high_glide: one straight glide line from release to target (a glide bomb on a constant slope);
- ballistic: a drag-free parabola, horizontal speed = weapon speed, t = x/v (Halliday & Resnick, projectile
  motion); exact, one segment with a = (0, 0, −g);
- constant_turn: the textbook manoeuvring target (Zarchan, ch. 2): a level turn at constant lateral
  acceleration `turn_g`·g from the release point, for max_range/speed seconds; it does not fly to a target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from iadsim.raid.segments import polyline_chain

STANDARD_GRAVITY_MPS2 = 9.80665  # CGPM 1901 standard acceleration of gravity
PROFILES = ("low_level_cruise", "high_glide", "ballistic", "terminal_dive", "pop_up", "constant_turn")
# chain step of turns: position error ≈ a²Δt³/(6v) < 1 mm and speed error ≈ (aΔt)²/(2v) ≈ 0.015 m/s at 6 g, 300 m/s
TURN_SEGMENT_S = 0.05


@dataclass(frozen=True)
class WeaponFlight:
    """SI parameters of one weapon type's flight (compiled from the scenario, no file types)."""

    profile: str
    speed_mps: float
    cruise_height_m: float  # above ground
    climb_angle_rad: float
    terminal_range_m: float
    dive_angle_rad: float
    pop_up_height_m: float  # above ground
    turn_accel_mps2: float
    max_range_m: float


def weapon_chain(flight: WeaponFlight, release_m: np.ndarray, t_release_s: float, target_m: np.ndarray, ground_m: float):
    """Segment chain (t0, p0, v0, a, t_end) of one weapon from its release point to its target."""
    if flight.profile == "ballistic":
        return _ballistic(flight.speed_mps, release_m, t_release_s, target_m)
    if flight.profile == "constant_turn":
        return _constant_turn(flight, release_m, t_release_s, target_m)
    points = _vertical_profile(flight, release_m, target_m, ground_m)
    chain, _ = polyline_chain(points, np.full(len(points) - 1, flight.speed_mps), t_release_s)
    return chain


def _vertical_profile(f: WeaponFlight, start: np.ndarray, end: np.ndarray, ground_m: float) -> np.ndarray:
    """Corner points (n,3) of the path: horizontal straight line, heights by the profile's shape."""
    track = end[:2] - start[:2]
    distance = float(np.hypot(*track))
    if f.profile == "high_glide" or distance == 0.0:
        return np.array([start, end], dtype=float)
    h_cruise = ground_m + f.cruise_height_m
    final_angle = f.climb_angle_rad if f.profile == "low_level_cruise" else f.dive_angle_rad
    x_reach = abs(start[2] - h_cruise) / math.tan(f.climb_angle_rad)  # to get from release height to cruise
    corners = [(0.0, start[2]), (x_reach, h_cruise)]
    if f.profile == "pop_up":
        h_top = ground_m + f.pop_up_height_m
        x_climb_start = distance - f.terminal_range_m
        # the climb line from (x_climb_start, h_cruise) meets the dive line into the target, or is capped at h_top
        tc, td = math.tan(f.climb_angle_rad), math.tan(f.dive_angle_rad)
        x_meet = (end[2] - h_cruise + tc * x_climb_start + td * distance) / (tc + td)
        h_meet = h_cruise + tc * (x_meet - x_climb_start)
        if h_meet > h_top:
            corners += [(x_climb_start, h_cruise), (x_climb_start + (h_top - h_cruise) / tc, h_top),
                        (distance - (h_top - end[2]) / td, h_top)]
        else:
            corners += [(x_climb_start, h_cruise), (x_meet, h_meet)]
    else:
        corners.append((distance - max(h_cruise - end[2], 0.0) / math.tan(final_angle), h_cruise))
    corners.append((distance, end[2]))
    xs = np.array([c[0] for c in corners])
    if np.any(np.diff(xs) < -1e-6) or xs[1] > distance:
        # too short a flight for the shape: fly straight at the target (documented simplification)
        return np.array([start, end], dtype=float)
    unit = track / distance
    return np.array([[start[0] + unit[0] * x, start[1] + unit[1] * x, h] for x, h in corners])


def _ballistic(speed_mps: float, start: np.ndarray, t0: float, end: np.ndarray):
    distance = float(np.hypot(*(end[:2] - start[:2])))
    duration = max(distance / speed_mps, 1e-3)
    v_horizontal = (end[:2] - start[:2]) / duration
    # z(T) = z0 + vz0·T − ½gT² = z_target  →  vz0
    vz0 = (end[2] - start[2] + 0.5 * STANDARD_GRAVITY_MPS2 * duration**2) / duration
    v0 = np.array([[v_horizontal[0], v_horizontal[1], vz0]])
    a = np.array([[0.0, 0.0, -STANDARD_GRAVITY_MPS2]])
    return np.array([t0]), start[None, :].astype(float), v0, a, t0 + duration


def _constant_turn(f: WeaponFlight, start: np.ndarray, t0: float, toward: np.ndarray):
    """A level left turn at constant speed and lateral acceleration, starting on course toward `toward`."""
    duration = f.max_range_m / f.speed_mps
    omega = f.turn_accel_mps2 / f.speed_mps  # turn rate, rad/s
    times = np.arange(0.0, duration, TURN_SEGMENT_S)
    course0 = math.atan2(toward[1] - start[1], toward[0] - start[0])  # counter-clockwise from east
    course = course0 + omega * times
    if omega > 0:
        radius = f.speed_mps / omega
        east = start[0] + radius * (np.sin(course) - math.sin(course0))
        north = start[1] - radius * (np.cos(course) - math.cos(course0))
    else:
        east = start[0] + f.speed_mps * times * math.cos(course0)
        north = start[1] + f.speed_mps * times * math.sin(course0)
    p = np.stack([east, north, np.full_like(times, start[2])], axis=1)
    v = f.speed_mps * np.stack([np.cos(course), np.sin(course), np.zeros_like(course)], axis=1)
    a = f.turn_accel_mps2 * np.stack([-np.sin(course), np.cos(course), np.zeros_like(course)], axis=1)
    return t0 + times, p, v, a, t0 + duration
