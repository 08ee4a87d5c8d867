"""Earth: WGS84 <-> local frame, curvature and line of sight, terrain interface, ISA atmosphere.

The internal frame is a local tangent plane at the scenario origin (x east, y north, metres) with z the
height above mean sea level; curvature enters only through line of sight. See docs/models/earth.md.
"""

from iadsim.earth.atmosphere import density_kg_m3_nb, isa, speed_of_sound_mps_nb
from iadsim.earth.curvature import (
    EARTH_RADIUS_M,
    STANDARD_REFRACTION_K,
    horizon_ground_range_m,
    line_of_sight,
    line_of_sight_nb,
    masking_height_m,
    radar_horizon_m,
)
from iadsim.earth.frames import Origin, azimuth_rad, geodetic_to_local, ground_range_m, local_to_geodetic
from iadsim.earth.terrain import FlatTerrain, GridTerrain, Terrain

__all__ = [
    "Origin",
    "geodetic_to_local",
    "local_to_geodetic",
    "ground_range_m",
    "azimuth_rad",
    "EARTH_RADIUS_M",
    "STANDARD_REFRACTION_K",
    "radar_horizon_m",
    "horizon_ground_range_m",
    "line_of_sight",
    "line_of_sight_nb",
    "masking_height_m",
    "Terrain",
    "FlatTerrain",
    "GridTerrain",
    "isa",
    "density_kg_m3_nb",
    "speed_of_sound_mps_nb",
]
