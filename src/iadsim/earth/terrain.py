"""Terrain: heights in the local frame and masking of straight rays; the interface a DEM plugs into.

Terrain heights are heights above mean sea level, i.e. above the smooth sphere of
`iadsim.earth.curvature`, given at local-frame (east_m, north_m). Visibility of a target is
`line_of_sight(...)` (the smooth sphere) and `not terrain.masks(...)` (the relief on top of it).

A ray between two points over a curved earth is a chord: measured as height above the surface it sags
below the straight line joining the endpoint heights by the earth-curvature ("earth bulge") term

    bulge(d1) = d1 * d2 / (2 k R),   d1 + d2 = ground range,                                    (1)

which is how ITU-R P.452 and P.1812 add curvature to a terrain profile in their diffraction path analysis
(the term 500 C_e d_i (d - d_i), d in km, h in m, C_e = 1/a_e), with the effective radius a_e = k R of
the 4/3-earth model. `GridTerrain` subtracts (1) from the ray height
(k = inf turns it off). At 100 km the bulge at mid-path is 147 m for k = 4/3.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import numpy as np

from iadsim.earth.curvature import EARTH_RADIUS_M, STANDARD_REFRACTION_K

__all__ = ["Terrain", "FlatTerrain", "GridTerrain"]

# Rays are sampled in blocks of at most this many points (rays x samples), to bound memory.
_MAX_POINTS_PER_BLOCK = 2_000_000


@runtime_checkable
class Terrain(Protocol):
    """What the sensors need from terrain. All arguments broadcast; local-frame metres."""

    def height_m(self, east_m, north_m) -> np.ndarray:
        """Terrain height above mean sea level at (east_m, north_m)."""
        ...

    def masks(self, east1_m, north1_m, h1_m, east2_m, north2_m, h2_m) -> np.ndarray:
        """True where the terrain blocks the ray between point 1 and point 2 (heights above MSL)."""
        ...


class FlatTerrain:
    """Level ground at height_m everywhere. Blocks a ray only when an endpoint is below the ground.

    A straight ray between two points at or above a flat surface stays above it; the sag of the ray over
    the curved earth is the smooth sphere's business (`line_of_sight`), so this default adds nothing to it
    for height_m = 0.
    """

    def __init__(self, height_m: float = 0.0):
        self.ground_height_m = float(height_m)

    def height_m(self, east_m, north_m) -> np.ndarray:
        east, _ = np.broadcast_arrays(np.asarray(east_m, dtype=float), np.asarray(north_m, dtype=float))
        return np.full(east.shape, self.ground_height_m)

    def masks(self, east1_m, north1_m, h1_m, east2_m, north2_m, h2_m) -> np.ndarray:
        arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (east1_m, north1_m, h1_m, east2_m, north2_m, h2_m)))
        h1, h2 = arrays[2], arrays[5]
        return np.minimum(h1, h2) < self.ground_height_m

    def __repr__(self) -> str:
        return f"FlatTerrain(height_m={self.ground_height_m})"


class GridTerrain:
    """Heights on a rectilinear grid, bilinear in between; rays sampled against it.

    heights_m[i, j] is the height at (east_m_axis[j], north_m_axis[i]) (rows run north, like a raster
    flipped to ascending north). Axes must be strictly increasing; spacing may vary. Outside the grid the
    edge heights continue (coordinates are clamped to the grid).

    masks() samples each ray every `sample_spacing_m` of ground range (default half the finest grid
    spacing, so no cell is skipped), at interior points only (the endpoints stand on their own ground),
    and subtracts the earth bulge (1) for effective-earth factor k.
    """

    def __init__(self, east_m_axis, north_m_axis, heights_m, *, k: float = STANDARD_REFRACTION_K,
                 sample_spacing_m: float | None = None):
        self.east_m_axis = np.asarray(east_m_axis, dtype=float)
        self.north_m_axis = np.asarray(north_m_axis, dtype=float)
        self.heights_m = np.asarray(heights_m, dtype=float)
        for name, axis in (("east_m_axis", self.east_m_axis), ("north_m_axis", self.north_m_axis)):
            if axis.ndim != 1 or axis.size < 2 or np.any(np.diff(axis) <= 0.0):
                raise ValueError(f"{name} must be 1-D, at least 2 long and strictly increasing")
        expected_shape = (self.north_m_axis.size, self.east_m_axis.size)
        if self.heights_m.shape != expected_shape:
            raise ValueError(f"heights_m has shape {self.heights_m.shape}, expected (n_north, n_east) = {expected_shape}")
        if not k > 0.0:
            raise ValueError(f"effective earth radius factor k must be > 0, got {k}")
        self.k = float(k)
        # 1 / (2 k R) of eq. (1); zero for k = inf (no curvature)
        self._bulge_per_m2 = 0.0 if math.isinf(self.k) else 1.0 / (2.0 * self.k * EARTH_RADIUS_M)
        finest_spacing_m = min(np.diff(self.east_m_axis).min(), np.diff(self.north_m_axis).min())
        self.sample_spacing_m = float(sample_spacing_m) if sample_spacing_m is not None else 0.5 * finest_spacing_m
        if not self.sample_spacing_m > 0.0:
            raise ValueError("sample_spacing_m must be > 0")

    def height_m(self, east_m, north_m) -> np.ndarray:
        """Bilinear interpolation of the grid at (east_m, north_m); broadcasts."""
        east, north = np.broadcast_arrays(np.asarray(east_m, dtype=float), np.asarray(north_m, dtype=float))
        j, fraction_east = _cell(self.east_m_axis, east)
        i, fraction_north = _cell(self.north_m_axis, north)
        z = self.heights_m
        south_row = z[i, j] * (1.0 - fraction_east) + z[i, j + 1] * fraction_east
        north_row = z[i + 1, j] * (1.0 - fraction_east) + z[i + 1, j + 1] * fraction_east
        return south_row * (1.0 - fraction_north) + north_row * fraction_north

    def masks(self, east1_m, north1_m, h1_m, east2_m, north2_m, h2_m) -> np.ndarray:
        """True where terrain rises above the ray at some interior sample; broadcasts its arguments."""
        arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (east1_m, north1_m, h1_m, east2_m, north2_m, h2_m)))
        shape = arrays[0].shape
        e1, n1, h1, e2, n2, h2 = (a.ravel() for a in arrays)
        blocked = np.zeros(e1.size, dtype=bool)
        if e1.size == 0:
            return blocked.reshape(shape)
        ground_range_m = np.hypot(e2 - e1, n2 - n1)
        n_samples = max(int(np.ceil(ground_range_m.max() / self.sample_spacing_m)) - 1, 1)
        # interior fractions t in (0, 1); the same for every ray keeps the work one array operation
        t = np.arange(1, n_samples + 1) / (n_samples + 1)
        rays_per_block = max(_MAX_POINTS_PER_BLOCK // n_samples, 1)
        for start in range(0, e1.size, rays_per_block):
            block = slice(start, start + rays_per_block)
            tt = t[None, :]
            east = e1[block, None] + tt * (e2 - e1)[block, None]
            north = n1[block, None] + tt * (n2 - n1)[block, None]
            bulge_m = tt * (1.0 - tt) * ground_range_m[block, None] ** 2 * self._bulge_per_m2  # eq. (1)
            ray_height_m = h1[block, None] + tt * (h2 - h1)[block, None] - bulge_m
            blocked[block] = np.any(self.height_m(east, north) > ray_height_m, axis=1)
        return blocked.reshape(shape)

    def __repr__(self) -> str:
        return (f"GridTerrain({self.north_m_axis.size}x{self.east_m_axis.size} cells, "
                f"east {self.east_m_axis[0]:.0f}..{self.east_m_axis[-1]:.0f} m, "
                f"north {self.north_m_axis[0]:.0f}..{self.north_m_axis[-1]:.0f} m, k={self.k:.4g})")


def _cell(axis: np.ndarray, x: np.ndarray):
    """Index of the grid cell holding x (clamped to the axis) and the fraction of the way across it."""
    x = np.clip(x, axis[0], axis[-1])
    index = np.clip(np.searchsorted(axis, x, side="right") - 1, 0, axis.size - 2)
    fraction = (x - axis[index]) / (axis[index + 1] - axis[index])
    return index, fraction
