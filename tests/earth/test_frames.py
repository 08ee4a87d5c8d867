"""iadsim.earth.frames: round trips, shapes, conventions, and the documented flat-frame error."""

import numpy as np
import pymap3d
import pymap3d.vincenty
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.earth import Origin, azimuth_rad, geodetic_to_local, ground_range_m, local_to_geodetic

ORIGIN = Origin(lat_deg=34.5, lon_deg=33.0, alt_m=120.0)


def test_origin_maps_to_zero_and_keeps_altitude():
    east, north, up = geodetic_to_local(ORIGIN.lat_deg, ORIGIN.lon_deg, 7500.0, ORIGIN)
    assert abs(east) < 1e-6 and abs(north) < 1e-6
    assert up == 7500.0  # z is the altitude itself, not the ENU up component


def test_round_trip_within_200_km_vectorised():
    rng = np.random.default_rng(1)
    east = rng.uniform(-200e3, 200e3, 2000)
    north = rng.uniform(-200e3, 200e3, 2000)
    up = rng.uniform(-400.0, 30e3, 2000)
    lat, lon, alt = local_to_geodetic(east, north, up, ORIGIN)
    assert lat.shape == lon.shape == alt.shape == (2000,)
    east2, north2, up2 = geodetic_to_local(lat, lon, alt, ORIGIN)
    np.testing.assert_allclose(east2, east, atol=1e-3)
    np.testing.assert_allclose(north2, north, atol=1e-3)
    np.testing.assert_array_equal(up2, up)
    lat2, lon2, _ = local_to_geodetic(east2, north2, up2, ORIGIN)
    np.testing.assert_allclose(lat2, lat, atol=1e-6, rtol=0)
    np.testing.assert_allclose(lon2, lon, atol=1e-6, rtol=0)


@settings(max_examples=60, deadline=None)
@given(
    lat0=st.floats(-80, 80), lon0=st.floats(-180, 180), alt0=st.floats(-400, 3000),
    east=st.floats(-200e3, 200e3), north=st.floats(-200e3, 200e3), up=st.floats(-500, 40e3),
)
def test_round_trip_property(lat0, lon0, alt0, east, north, up):
    origin = Origin(lat0, lon0, alt0)
    lat, lon, alt = local_to_geodetic(east, north, up, origin)
    east2, north2, up2 = geodetic_to_local(lat, lon, alt, origin)
    assert abs(east2 - east) < 1e-3 and abs(north2 - north) < 1e-3 and up2 == up


def test_broadcasting_and_shapes():
    lat = np.full((3, 4), 34.6)
    east, north, up = geodetic_to_local(lat, 33.1, 1000.0, ORIGIN)
    assert east.shape == north.shape == up.shape == (3, 4)
    assert np.all(east > 0) and np.all(north > 0)


def test_east_north_do_not_depend_on_altitude():
    low = geodetic_to_local(35.0, 33.5, 0.0, ORIGIN)
    high = geodetic_to_local(35.0, 33.5, 20e3, ORIGIN)
    assert low[0] == high[0] and low[1] == high[1]


def test_matches_pymap3d_enu_at_origin_height():
    east, north, _ = geodetic_to_local(34.9, 32.6, 9000.0, ORIGIN)
    e_ref, n_ref, _ = pymap3d.geodetic2enu(34.9, 32.6, ORIGIN.alt_m, ORIGIN.lat_deg, ORIGIN.lon_deg, ORIGIN.alt_m)
    assert east == pytest.approx(e_ref, abs=1e-9) and north == pytest.approx(n_ref, abs=1e-9)


def test_ground_range_and_azimuth_clockwise_from_north():
    assert ground_range_m(0, 0, 3, 4) == 5.0
    east = np.array([0.0, 1.0, 0.0, -1.0])
    north = np.array([1.0, 0.0, -1.0, 0.0])
    np.testing.assert_allclose(azimuth_rad(0, 0, east, north), [0, np.pi / 2, np.pi, 3 * np.pi / 2])


def test_origin_rejects_bad_latitude():
    with pytest.raises(ValueError):
        Origin(91.0, 0.0)


@pytest.mark.parametrize("ground_km, slant_tolerance_m, elevation_error_deg", [(50, 40, 0.235), (100, 82, 0.456)])
def test_flat_frame_error_is_as_documented(ground_km, slant_tolerance_m, elevation_error_deg):
    """docs/models/earth.md states these limits; this keeps the statement true."""
    radar = Origin(34.5, 33.0, 0.0)
    lat, lon = pymap3d.vincenty.vreckon(radar.lat_deg, radar.lon_deg, ground_km * 1e3, 0.0)
    for target_alt_m in (100.0, 3000.0, 10000.0):
        true_vector = np.subtract(pymap3d.geodetic2ecef(lat, lon, target_alt_m), pymap3d.geodetic2ecef(radar.lat_deg, radar.lon_deg, 10.0))
        east, north, up = geodetic_to_local(lat, lon, target_alt_m, radar)
        flat_slant_m = np.sqrt(east**2 + north**2 + (up - 10.0) ** 2)
        assert abs(flat_slant_m - np.linalg.norm(true_vector)) < slant_tolerance_m
        e_true, n_true, u_true = pymap3d.geodetic2enu(lat, lon, target_alt_m, radar.lat_deg, radar.lon_deg, 10.0)
        elevation_error = np.degrees(np.arctan2(up - 10.0, np.hypot(east, north)) - np.arctan2(u_true, np.hypot(e_true, n_true)))
        assert 0 < elevation_error < elevation_error_deg
