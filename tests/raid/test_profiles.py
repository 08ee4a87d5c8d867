"""Weapon profiles: they reach their target at their speed, keep their shape, and turns/ballistics are exact."""

import math

import numpy as np
import pytest

from iadsim.raid.profiles import STANDARD_GRAVITY_MPS2, WeaponFlight, weapon_chain
from iadsim.raid.segments import SegmentTable

RELEASE = np.array([-40_000.0, -20_000.0, 7000.0])
TARGET = np.array([0.0, 0.0, 500.0])
GROUND = 500.0


def flight(profile, **kw):
    base = dict(profile=profile, speed_mps=250.0, cruise_height_m=150.0, climb_angle_rad=math.radians(10),
                terminal_range_m=5000.0, dive_angle_rad=math.radians(30), pop_up_height_m=1500.0,
                turn_accel_mps2=0.0, max_range_m=100_000.0)
    return WeaponFlight(**{**base, **kw})


def fly(f, release=RELEASE):
    table = SegmentTable.from_chains([weapon_chain(f, release, 100.0, TARGET, GROUND)])
    times = np.linspace(100.0, table.t_end_s[0], 2001)
    pos, vel, acc, _ = table.states(times)
    return table, times, pos[0], vel[0], acc[0]


@pytest.mark.parametrize("profile", ["low_level_cruise", "terminal_dive", "pop_up", "high_glide"])
def test_reaches_target_at_constant_speed(profile):
    table, times, pos, vel, _ = fly(flight(profile))
    np.testing.assert_allclose(pos[-1], TARGET, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(vel, axis=1), 250.0, rtol=1e-9)
    corners = np.vstack([table.p0_m, TARGET])
    path_length = np.sum(np.linalg.norm(np.diff(corners, axis=0), axis=1))
    assert table.t_end_s[0] - 100.0 == pytest.approx(path_length / 250.0, rel=1e-9)
    # the ground track is the straight line from release to target
    track = (TARGET - RELEASE)[:2] / np.linalg.norm((TARGET - RELEASE)[:2])
    offsets = (pos[:, :2] - RELEASE[:2]) @ np.array([-track[1], track[0]])
    assert np.abs(offsets).max() < 1e-6


def test_low_level_cruise_holds_cruise_height():
    _, _, pos, _, _ = fly(flight("low_level_cruise"))
    heights = pos[:, 2] - GROUND
    cruising = heights[np.abs(heights - 150.0) < 1e-6]
    assert len(cruising) > 0.1 * len(heights)  # the rest: descent from 6.5 km at 10°, final descent
    assert heights.min() >= -1e-6


def test_pop_up_climbs_to_its_height_then_dives():
    low_release = RELEASE * [1, 1, 0] + [0, 0, GROUND + 300.0]  # a low-level launch, so cruise comes first
    _, _, pos, _, _ = fly(flight("pop_up", terminal_range_m=12_000.0), low_release)
    ground_to_go = np.hypot(*(TARGET[:2] - pos[:, :2]).T)
    last_part = ground_to_go < 12_000
    assert (pos[last_part, 2] - GROUND).max() == pytest.approx(1500.0, abs=1.0)


def test_ballistic_is_a_drag_free_parabola():
    table, times, pos, vel, acc = fly(flight("ballistic", speed_mps=600.0))
    np.testing.assert_allclose(pos[-1], TARGET, atol=1e-6)
    np.testing.assert_allclose(acc, [[0, 0, -STANDARD_GRAVITY_MPS2]] * len(times))
    # horizontal speed constant, vertical speed falls by g·t (projectile motion)
    np.testing.assert_allclose(np.hypot(vel[:, 0], vel[:, 1]), 600.0)
    np.testing.assert_allclose(vel[:, 2], vel[0, 2] - STANDARD_GRAVITY_MPS2 * (times - 100.0), atol=1e-9)


def test_constant_turn_keeps_speed_radius_and_acceleration():
    g6 = 6 * STANDARD_GRAVITY_MPS2
    table, times, pos, vel, acc = fly(flight("constant_turn", speed_mps=300.0, turn_accel_mps2=g6, max_range_m=30_000))
    np.testing.assert_allclose(np.linalg.norm(vel, axis=1), 300.0, rtol=1e-4)  # chain of 0.05 s arcs
    np.testing.assert_allclose(np.linalg.norm(acc, axis=1), g6, rtol=1e-9)
    radius = 300.0**2 / g6
    centre = RELEASE[:2] + radius * np.array([-1, 1]) * (TARGET - RELEASE)[1::-1] / np.linalg.norm((TARGET - RELEASE)[:2])
    np.testing.assert_allclose(np.hypot(*(pos[:, :2] - centre).T), radius, atol=0.01)
    np.testing.assert_allclose(pos[:, 2], RELEASE[2])
    assert table.t_end_s[0] - 100.0 == pytest.approx(100.0)
