"""WGS84 geodetic coordinates <-> the simulation's local frame.

The internal frame ("flat earth with altitude kept as height"):

* origin: the scenario origin (`Origin`), a point on the WGS84 ellipsoid at height `alt_m`;
* x = east_m, y = north_m: coordinates on the plane tangent to the ellipsoid at the origin,
  i.e. the east/north components of WGS84 ENU (local tangent plane) coordinates of the point
  projected to the origin height;
* z = up_m: height above the ellipsoid (the altitude itself), *not* the ENU up component.

So the horizontal mapping depends on latitude/longitude only and the vertical axis is plain altitude;
earth curvature is left out of the kinematics and enters only through line of sight
(`iadsim.earth.curvature`). For the errors this makes at 50 km and 100 km see docs/models/earth.md.

Source: ENU (local tangent plane) coordinates on the WGS84 ellipsoid: NIMA TR8350.2 (WGS84 definition),
P. D. Groves, *Principles of GNSS, Inertial, and Multisensor Integrated Navigation Systems*, 2nd ed.
(2013), ch. 2 (geodetic <-> ECEF <-> local navigation frame); computed with pymap3d
(`geodetic2enu` / `enu2geodetic`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymap3d

from iadsim.earth.curvature import EARTH_RADIUS_M

__all__ = ["Origin", "geodetic_to_local", "local_to_geodetic", "ground_range_m", "azimuth_rad"]

# The inverse solves for the ENU up component that puts the point back at the origin height; a few
# fixed-point steps reach micrometres (each step cuts the height error by ~(distance/R)^2).
_INVERSE_MAX_STEPS = 20
_INVERSE_HEIGHT_TOLERANCE_M = 1e-7


@dataclass(frozen=True)
class Origin:
    """Scenario origin: WGS84 geodetic latitude/longitude (degrees) and height above the ellipsoid (m)."""

    lat_deg: float
    lon_deg: float
    alt_m: float = 0.0

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat_deg <= 90.0:
            raise ValueError(f"origin latitude {self.lat_deg} deg is outside [-90, 90]")
        if not -180.0 <= self.lon_deg <= 360.0:
            raise ValueError(f"origin longitude {self.lon_deg} deg is outside [-180, 360]")


def geodetic_to_local(lat_deg, lon_deg, alt_m, origin: Origin):
    """WGS84 (lat_deg, lon_deg, alt_m) -> local frame (east_m, north_m, up_m); vectorised, broadcasts.

    east/north: ENU east/north of the point taken at the origin height (pymap3d.geodetic2enu);
    up_m: the altitude itself. Returns float64 arrays of the broadcast shape.
    """
    lat, lon, alt = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat_deg, lon_deg, alt_m)))
    east_m, north_m, _ = pymap3d.geodetic2enu(
        lat, lon, np.full_like(lat, origin.alt_m), origin.lat_deg, origin.lon_deg, origin.alt_m, deg=True
    )
    return np.asarray(east_m, dtype=float), np.asarray(north_m, dtype=float), np.array(alt, dtype=float)


def local_to_geodetic(east_m, north_m, up_m, origin: Origin):
    """Local frame (east_m, north_m, up_m) -> WGS84 (lat_deg, lon_deg, alt_m); inverse of geodetic_to_local.

    Finds the point at the origin height whose ENU east/north are (east_m, north_m): the ENU up
    component u is iterated, u <- u - (h(u) - h_origin), from the spherical drop -(e^2+n^2)/(2R).
    Round-trips to < 1e-9 deg within 200 km (tests/earth/test_frames.py). alt_m = up_m.
    """
    east, north, up = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (east_m, north_m, up_m)))
    # start from the drop of a sphere below its tangent plane, d^2 / (2R)
    enu_up_m = -(east**2 + north**2) / (2.0 * EARTH_RADIUS_M)
    for _ in range(_INVERSE_MAX_STEPS):
        lat, lon, height = pymap3d.enu2geodetic(
            east, north, enu_up_m, origin.lat_deg, origin.lon_deg, origin.alt_m, deg=True
        )
        height_error_m = np.asarray(height) - origin.alt_m
        if np.all(np.abs(height_error_m) < _INVERSE_HEIGHT_TOLERANCE_M):
            break
        enu_up_m = enu_up_m - height_error_m
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float), np.array(up, dtype=float)


def ground_range_m(east1_m, north1_m, east2_m, north2_m):
    """Horizontal distance in the local frame, hypot(de, dn) (m)."""
    return np.hypot(np.subtract(east2_m, east1_m), np.subtract(north2_m, north1_m))


def azimuth_rad(east1_m, north1_m, east2_m, north2_m):
    """Azimuth from point 1 to point 2, clockwise from north, in [0, 2*pi) (rad)."""
    azimuth = np.arctan2(np.subtract(east2_m, east1_m), np.subtract(north2_m, north1_m))
    return np.mod(azimuth, 2.0 * np.pi)
