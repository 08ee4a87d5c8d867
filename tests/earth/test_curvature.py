"""iadsim.earth.curvature: horizon, line of sight (numpy vs numba), masking height."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.earth import (
    EARTH_RADIUS_M,
    horizon_ground_range_m,
    line_of_sight,
    line_of_sight_nb,
    masking_height_m,
    radar_horizon_m,
)

K = 4.0 / 3.0


def test_los_switches_exactly_at_exact_horizon():
    h1 = np.array([5.0, 30.0, 500.0, 3000.0])
    h2 = np.array([50.0, 10.0, 10000.0, 15000.0])
    horizon = horizon_ground_range_m(h1, h2, K)
    assert np.all(line_of_sight(horizon * (1 - 1e-9), h1, h2))
    assert not np.any(line_of_sight(horizon * (1 + 1e-9), h1, h2))


def test_exact_horizon_is_the_chord_tangent_to_the_sphere():
    """Independent check of eq. (1): the chord at the horizon range touches the sphere of radius kR."""
    a = K * EARTH_RADIUS_M
    h1, h2 = 20.0, 8000.0
    theta = horizon_ground_range_m(h1, h2, K) / a
    p1 = np.array([0.0, a + h1])
    p2 = (a + h2) * np.array([np.sin(theta), np.cos(theta)])
    d = p2 - p1
    t = np.clip(-p1 @ d / (d @ d), 0, 1)
    closest = np.linalg.norm(p1 + t * d)
    assert closest == pytest.approx(a, abs=1e-3)


def test_textbook_horizon_is_close_to_exact_up_to_20_km():
    h = np.linspace(1.0, 20e3, 200)
    ratio = radar_horizon_m(h, 0.0) / horizon_ground_range_m(h, 0.0)
    assert np.all(ratio >= 1.0) and np.all(ratio < 1.002)


def test_shapes_and_broadcasting():
    ranges = np.linspace(0, 400e3, 50)[:, None]
    heights = np.linspace(0, 20e3, 7)[None, :]
    visible = line_of_sight(ranges, 10.0, heights)
    assert visible.shape == (50, 7) and visible.dtype == bool
    assert masking_height_m(ranges, 10.0).shape == (50, 1)
    assert np.ndim(line_of_sight(1000.0, 10.0, 10.0)) == 0


def test_surface_points_and_zero_range():
    assert line_of_sight(0.0, 0.0, 0.0)
    assert not line_of_sight(1.0, 0.0, 0.0)
    assert not line_of_sight(1.0, -5.0, -5.0)  # below the sphere counts as on it


def test_larger_k_sees_further():
    assert line_of_sight(40e3, 10.0, 50.0, k=4 / 3) != line_of_sight(40e3, 10.0, 50.0, k=1.0)
    assert radar_horizon_m(100.0, 0.0, k=4 / 3) > radar_horizon_m(100.0, 0.0, k=1.0)


def test_bad_k_raises():
    with pytest.raises(ValueError):
        line_of_sight(1e3, 1.0, 1.0, k=0.0)


@settings(max_examples=200, deadline=None)
@given(
    ground_range=st.floats(0, 600e3), h1=st.floats(-100, 5000), h2=st.floats(-100, 30000),
    k=st.sampled_from([1.0, 4 / 3, 2.0]),
)
def test_numba_matches_numpy(ground_range, h1, h2, k):
    assert line_of_sight_nb(ground_range, h1, h2, k) == bool(line_of_sight(ground_range, h1, h2, k))


def test_masking_height_is_the_visibility_threshold():
    ranges = np.linspace(1e3, 400e3, 300)
    for h_radar in (5.0, 30.0, 1000.0):
        h_min = masking_height_m(ranges, h_radar)
        assert np.all(np.diff(h_min) >= 0)
        assert np.all(line_of_sight(ranges, h_radar, h_min + 1e-3 + 1e-9 * h_min))
        beyond = h_min > 1.0
        assert not np.any(line_of_sight(ranges[beyond], h_radar, h_min[beyond] * (1 - 1e-6) - 1e-3))


def test_masking_height_zero_inside_radar_horizon_and_textbook_far_out():
    h_radar = 25.0
    inside = 0.5 * horizon_ground_range_m(h_radar, 0.0)
    assert masking_height_m(inside, h_radar) == 0.0
    # far beyond: h ~ (s - d_radar)^2 / (2 k R)
    s = 150e3
    expected = (s - horizon_ground_range_m(h_radar, 0.0)) ** 2 / (2 * K * EARTH_RADIUS_M)
    assert masking_height_m(s, h_radar) == pytest.approx(expected, rel=2e-3)


# --- terrain masking (iadsim.earth.terrain) ---------------------------------------------------------------

from iadsim.earth import FlatTerrain, GridTerrain, Terrain  # noqa: E402
from iadsim.earth import terrain as terrain_module  # noqa: E402


def _ridge_terrain(k=K):
    """A north-south ridge 600 m high at east = 10 km, 1 km wide at the base, on flat 0 m ground."""
    east = np.arange(0.0, 20001.0, 100.0)
    north = np.arange(-5000.0, 5001.0, 100.0)
    ridge_row = np.maximum(0.0, 600.0 * (1 - np.abs(east - 10e3) / 500.0))
    return GridTerrain(east, north, np.tile(ridge_row, (north.size, 1)), k=k)


def test_terrains_satisfy_protocol():
    assert isinstance(FlatTerrain(), Terrain) and isinstance(_ridge_terrain(), Terrain)


def test_flat_terrain():
    ground = FlatTerrain(50.0)
    assert ground.height_m(np.zeros((2, 3)), 0.0).shape == (2, 3)
    np.testing.assert_array_equal(ground.masks(0, 0, [60.0, 40.0, 60.0], 9e3, 0, [60.0, 60.0, 49.0]), [False, True, True])


def test_grid_bilinear_is_exact_for_planes_and_clamps_outside():
    east = np.array([0.0, 100.0, 250.0, 1000.0])
    north = np.array([-50.0, 0.0, 400.0])
    plane = lambda e, n: 10.0 + 0.2 * e - 0.05 * n  # noqa: E731
    grid = GridTerrain(east, north, plane(east[None, :], north[:, None]))
    rng = np.random.default_rng(3)
    e = rng.uniform(0, 1000, 500)
    n = rng.uniform(-50, 400, 500)
    np.testing.assert_allclose(grid.height_m(e, n), plane(e, n), atol=1e-9)
    assert grid.height_m(-500.0, 1e4) == pytest.approx(plane(0.0, 400.0))
    # a saddle z = e * n is bilinear too, so it is reproduced inside cells
    saddle = GridTerrain(east, north, east[None, :] * north[:, None])
    np.testing.assert_allclose(saddle.height_m(e, n), e * n, rtol=1e-12, atol=1e-9)


def test_grid_rejects_bad_input():
    with pytest.raises(ValueError):
        GridTerrain([0.0, 1.0], [0.0, 1.0, 2.0], np.zeros((2, 3)))  # (n_north, n_east) expected
    with pytest.raises(ValueError):
        GridTerrain([1.0, 0.0], [0.0, 1.0], np.zeros((2, 2)))


def test_ridge_masks_low_targets_behind_it_only():
    ridge = _ridge_terrain()
    radar = (0.0, 0.0, 20.0)
    target_heights = np.array([50.0, 500.0, 1300.0, 2000.0])
    masked = ridge.masks(*radar, 20e3, 0.0, target_heights)
    # the ray clears the 600 m crest at mid-path when the target is above ~1180 m (20 + 2 * (600 - 20))
    np.testing.assert_array_equal(masked, [True, True, False, False])
    assert not ridge.masks(*radar, 9e3, 0.0, 50.0)  # in front of the ridge
    assert not ridge.masks(2e3, -5e3, 20.0, 2e3, 5e3, 20.0)  # parallel to the ridge


def test_grid_masking_on_flat_ground_reproduces_the_smooth_sphere():
    """Zero relief + earth bulge (P.452 term) = smooth-sphere line of sight, away from the threshold."""
    flat_grid = GridTerrain(np.linspace(0, 300e3, 301), np.linspace(-1e3, 1e3, 3), np.zeros((3, 301)))
    ranges = np.linspace(5e3, 300e3, 120)
    for h1, h2 in ((10.0, 100.0), (30.0, 3000.0)):
        horizon = horizon_ground_range_m(h1, h2)
        clear = np.abs(ranges / horizon - 1) > 0.01
        masked = flat_grid.masks(0.0, 0.0, h1, ranges, 0.0, h2)
        np.testing.assert_array_equal(masked[clear], ~line_of_sight(ranges, h1, h2)[clear])
    no_curvature = GridTerrain(flat_grid.east_m_axis, flat_grid.north_m_axis, flat_grid.heights_m, k=np.inf)
    assert not np.any(no_curvature.masks(0.0, 0.0, 10.0, ranges, 0.0, 100.0))


def test_grid_masks_broadcasts_and_blocks_agree(monkeypatch):
    ridge = _ridge_terrain()
    target_east = np.linspace(1e3, 20e3, 40)[:, None]
    target_alt = np.linspace(0.0, 3000.0, 25)[None, :]
    whole = ridge.masks(0.0, 0.0, 20.0, target_east, 0.0, target_alt)
    assert whole.shape == (40, 25)
    monkeypatch.setattr(terrain_module, "_MAX_POINTS_PER_BLOCK", 1000)
    np.testing.assert_array_equal(ridge.masks(0.0, 0.0, 20.0, target_east, 0.0, target_alt), whole)
    assert ridge.masks([], [], [], [], [], []).shape == (0,)
