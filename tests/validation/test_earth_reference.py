"""iadsim.earth against outside reference values.

References
- Radar horizon, 4/3 earth: d = 4.12 (sqrt(h1) + sqrt(h2)) km with h in metres. M. I. Skolnik,
  *Introduction to Radar Systems*, 3rd ed. (2001), ch. 8 (standard refraction); also Federal Standard
  1037C, "radio horizon range" (R = 1.23 (sqrt(ht) + sqrt(hr)) nmi with h in feet).
- Standard atmosphere: U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562), Table I (geometric altitude)
  and Table 4 (layer bases, geopotential altitude, identical to ICAO Doc 7488/3 up to 32 km).
- Meridian arc: the WGS84 degree-length series 111132.92 - 559.82 cos 2phi + 1.175 cos 4phi - 0.0023 cos 6phi m
  (as used by common degree-length calculators; derivation and check in
  https://gis.stackexchange.com/questions/75528), and the meridian radius of curvature
  M = a (1 - e^2) / (1 - e^2 sin^2 phi)^(3/2) with a, f from NIMA TR8350.2 (WGS84), Table 3.1.
"""

import numpy as np
import pytest
from scipy.integrate import quad

from iadsim.earth import Origin, geodetic_to_local, horizon_ground_range_m, isa, line_of_sight, radar_horizon_m
from iadsim.earth.atmosphere import density_kg_m3_nb, geometric_altitude_m, speed_of_sound_mps_nb

HEIGHTS_M = np.array([0.0, 2.0, 10.0, 30.0, 100.0, 500.0, 1000.0, 3000.0, 10000.0, 20000.0])


def _skolnik_horizon_m(h1_m, h2_m):
    return 4.12e3 * (np.sqrt(h1_m) + np.sqrt(h2_m))


def test_radar_horizon_matches_4_12_rule():
    h1, h2 = np.meshgrid(HEIGHTS_M, HEIGHTS_M)
    both_zero = (h1 == 0) & (h2 == 0)
    np.testing.assert_allclose(radar_horizon_m(h1, h2)[~both_zero], _skolnik_horizon_m(h1, h2)[~both_zero], rtol=5e-3)
    np.testing.assert_allclose(horizon_ground_range_m(h1, h2)[~both_zero], _skolnik_horizon_m(h1, h2)[~both_zero], rtol=5e-3)


def test_line_of_sight_agrees_with_4_12_rule():
    h1, h2 = np.meshgrid(HEIGHTS_M[1:], HEIGHTS_M[1:])
    reference_m = _skolnik_horizon_m(h1, h2)
    assert np.all(line_of_sight(reference_m * 0.995, h1, h2))
    assert not np.any(line_of_sight(reference_m * 1.005, h1, h2))


# (geometric altitude m, T K, p Pa, rho kg/m^3, a m/s), U.S. Standard Atmosphere 1976, Table I
US1976_GEOMETRIC = [
    (0.0, 288.150, 101325.0, 1.2250, 340.29),
    (1000.0, 281.651, 89876.0, 1.1117, 336.43),
    (5000.0, 255.676, 54048.0, 0.73643, 320.55),
    (10000.0, 223.252, 26500.0, 0.41351, 299.53),
    (15000.0, 216.650, 12111.0, 0.19476, 295.07),
    (20000.0, 216.650, 5529.3, 0.088910, 295.07),
    (30000.0, 226.509, 1197.0, 0.018410, 301.71),
]

# (geopotential altitude m, T K, p Pa, rho kg/m^3), layer bases: ICAO Doc 7488/3 = US 1976 Table 4
ICAO_GEOPOTENTIAL = [
    (11000.0, 216.65, 22632.06, 0.36392),
    (20000.0, 216.65, 5474.89, 0.088035),
    (32000.0, 228.65, 868.02, 0.013225),
    (47000.0, 270.65, 110.91, 0.0014275),
]


@pytest.mark.parametrize("alt_m, temperature_k, pressure_pa, density_kg_m3, sound_mps", US1976_GEOMETRIC)
def test_isa_matches_us1976_table(alt_m, temperature_k, pressure_pa, density_kg_m3, sound_mps):
    result = isa(alt_m)
    assert result == pytest.approx((temperature_k, pressure_pa, density_kg_m3, sound_mps), rel=1e-3)
    assert density_kg_m3_nb(alt_m) == pytest.approx(density_kg_m3, rel=1e-3)
    assert speed_of_sound_mps_nb(alt_m) == pytest.approx(sound_mps, rel=1e-3)


@pytest.mark.parametrize("geopotential_m, temperature_k, pressure_pa, density_kg_m3", ICAO_GEOPOTENTIAL)
def test_isa_matches_icao_layer_bases(geopotential_m, temperature_k, pressure_pa, density_kg_m3):
    temperature, pressure, density, _ = isa(geometric_altitude_m(geopotential_m))
    assert (temperature, pressure, density) == pytest.approx((temperature_k, pressure_pa, density_kg_m3), rel=1e-3)


def test_one_degree_of_latitude_north_of_34_5():
    """A point 1 deg north of the origin lies ~110.94 km north (meridian arc), independently of pymap3d."""
    a, f = 6378137.0, 1 / 298.257223563  # WGS84 (NIMA TR8350.2, Table 3.1)
    e2 = f * (2 - f)
    lat0, lat1 = np.radians(34.5), np.radians(35.5)
    meridian_radius = lambda phi: a * (1 - e2) / (1 - e2 * np.sin(phi) ** 2) ** 1.5  # noqa: E731
    arc_m, _ = quad(meridian_radius, lat0, lat1, epsabs=1e-6)
    # degree-length series at the mid latitude 35 deg
    mid = np.radians(35.0)
    series_m = 111132.92 - 559.82 * np.cos(2 * mid) + 1.175 * np.cos(4 * mid) - 0.0023 * np.cos(6 * mid)
    assert arc_m == pytest.approx(series_m, abs=1.0)

    # exact tangent-plane north of the point: project its ECEF offset (meridian plane) on the origin's north
    def meridian_xz(phi):
        prime_vertical = a / np.sqrt(1 - e2 * np.sin(phi) ** 2)
        return prime_vertical * np.cos(phi), prime_vertical * (1 - e2) * np.sin(phi)

    (x0, z0), (x1, z1) = meridian_xz(lat0), meridian_xz(lat1)
    tangent_north_m = -np.sin(lat0) * (x1 - x0) + np.cos(lat0) * (z1 - z0)

    east, north, up = geodetic_to_local(35.5, 33.0, 0.0, Origin(34.5, 33.0, 0.0))
    assert abs(east) < 1e-6 and up == 0.0
    assert north == pytest.approx(tangent_north_m, abs=1e-3)
    # the tangent plane shortens the arc by ~ s^3 / (6 R^2) (5.5 m here)
    assert north == pytest.approx(arc_m, rel=1e-4) and north < arc_m
