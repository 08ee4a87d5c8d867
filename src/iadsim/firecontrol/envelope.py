"""Engagement envelope: time of flight from the flyout table, predicted intercept point, envelope check.

Ground range is horizontal distance from the fire unit's site (`launcher_m`, on the ground); height is above
that ground (flat terrain). The flyout table (`FlyoutTable`, built from the dynamics in `interceptors.py`)
already includes the rail height and the launch loft.

Time of flight: bilinear interpolation in the (ground range × height) table; NaN outside the grid or when any
of the four corners is unreachable (conservative by at most one cell at the edge of the reachable set).

Predicted intercept point (PIP): the target is extrapolated at constant velocity, p(t) = p0 + v·(t_delay + t),
t counted from launch (launch at now + t_delay). The intercept is the first t with
    f(t) = tof(p(t)) − t = 0,
the time-of-flight form of the collision triangle (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.,
AIAA 2012, ch. 2: the lead angle that puts missile and target at the same point at the same time; its
strategic-intercept chapter iterates the same condition with a flyout model). The root is bracketed by a scan
of f on [0, longest tabulated tof] (step 0.5 s: f changes sign from ≥ 0 to < 0) and refined by bisection,
which — unlike the fixed point t ← tof(p(t)) — cannot diverge or step into the unreachable set.
Status: PIP_OK; PIP_UNREACHABLE (p(t) never enters the reachable set within the horizon); PIP_NO_SOLUTION
(it does, but a missile launched now arrives too early or never catches up; launching later may work).

The NumPy functions are the reference; the `_nb` scalar versions are for the fire-control kernels and agree
with them to rounding (tests/firecontrol/test_envelope.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from iadsim.firecontrol.interceptors import FlyoutTable, build_flyout_table, flyout_tables

# predicted-intercept status
PIP_OK, PIP_UNREACHABLE, PIP_NO_SOLUTION = 0, 1, 2
PIP_STATUS_TEXT = {
    PIP_OK: "intercept point found",
    PIP_UNREACHABLE: "no intercept: the target stays out of the interceptor's reach",
    PIP_NO_SOLUTION: "no intercept if launched now: the interceptor would arrive early or not catch up",
}

# envelope reasons (checked in the order TOO_FAST, UNREACHABLE, TOO_FAR, TOO_CLOSE, TOO_HIGH, TOO_LOW,
# TOO_LONG_FLIGHT: the first failing one is reported)
INSIDE, TOO_CLOSE, TOO_FAR, TOO_LOW, TOO_HIGH, TOO_FAST, TOO_LONG_FLIGHT, UNREACHABLE = range(8)
REASON_TEXT = {
    INSIDE: "inside the engagement envelope",
    TOO_CLOSE: "outside envelope: inside min range",
    TOO_FAR: "outside envelope: beyond max range",
    TOO_LOW: "below the engagement envelope",
    TOO_HIGH: "above the engagement envelope",
    TOO_FAST: "outside envelope: target faster than the maximum target speed",
    TOO_LONG_FLIGHT: "outside envelope: time of flight beyond the limit",
    UNREACHABLE: "outside envelope: no intercept point, the interceptor cannot reach the target",
}

DEFAULT_SCAN_STEP_S = 0.5
_BISECTIONS = 40  # a 0.5 s bracket to 5e-13 s

__all__ = [
    "DEFAULT_SCAN_STEP_S", "INSIDE", "PIP_NO_SOLUTION", "PIP_OK", "PIP_STATUS_TEXT", "PIP_UNREACHABLE",
    "REASON_TEXT", "TOO_CLOSE", "TOO_FAR", "TOO_FAST", "TOO_HIGH", "TOO_LONG_FLIGHT", "TOO_LOW", "UNREACHABLE",
    "FlyoutTable", "InterceptSolution", "StackedFlyoutTables", "bilinear_nb", "build_flyout_table",
    "engagement_geometry_kernel", "envelope_check", "envelope_reason_nb", "flyout_tables", "launch_velocity_mps",
    "longest_time_of_flight_s",
    "predicted_intercept", "predicted_intercept_nb", "stack_flyout_tables", "time_of_flight_nb", "time_of_flight_s",
]


# --- time of flight -----------------------------------------------------------------------------------------

def _bilinear(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray, x, y) -> np.ndarray:
    """Bilinear interpolation of grid (len(xs), len(ys)); NaN outside the grid or if a corner is NaN."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    inside = (x >= xs[0]) & (x <= xs[-1]) & (y >= ys[0]) & (y <= ys[-1])
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, xs.size - 2)
    j = np.clip(np.searchsorted(ys, y, side="right") - 1, 0, ys.size - 2)
    u = (x - xs[i]) / (xs[i + 1] - xs[i])
    v = (y - ys[j]) / (ys[j + 1] - ys[j])
    value = ((1.0 - u) * (1.0 - v) * grid[i, j] + u * (1.0 - v) * grid[i + 1, j]
             + (1.0 - u) * v * grid[i, j + 1] + u * v * grid[i + 1, j + 1])
    return np.where(inside, value, np.nan)


def time_of_flight_s(table: FlyoutTable, ground_range_m, height_m) -> np.ndarray:
    """Time of flight to points at `ground_range_m` from the site and `height_m` above ground (broadcast)."""
    return _bilinear(table.ground_range_m, table.height_m, table.time_of_flight_s, ground_range_m, height_m)


@njit(cache=True)
def _cell_nb(axis, x):
    """Index i of the cell axis[i] ≤ x ≤ axis[i+1] (binary search), or −1 outside (or NaN)."""
    n = axis.shape[0]
    if not (x >= axis[0] and x <= axis[n - 1]):
        return -1
    lo, hi = 0, n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if axis[mid] <= x:
            lo = mid
        else:
            hi = mid
    return lo


@njit(cache=True)
def bilinear_nb(xs, ys, grid, x, y):
    """Scalar `_bilinear`: NaN outside the grid or if a corner is NaN."""
    i, j = _cell_nb(xs, x), _cell_nb(ys, y)
    if i < 0 or j < 0:
        return math.nan
    u = (x - xs[i]) / (xs[i + 1] - xs[i])
    v = (y - ys[j]) / (ys[j + 1] - ys[j])
    return ((1.0 - u) * (1.0 - v) * grid[i, j] + u * (1.0 - v) * grid[i + 1, j]
            + (1.0 - u) * v * grid[i, j + 1] + u * v * grid[i + 1, j + 1])


@njit(cache=True)
def time_of_flight_nb(ranges_m, heights_m, tof_grid_s, ground_range_m, height_m):
    """Scalar `time_of_flight_s` on a table's arrays (ground_range_m, height_m, time_of_flight_s)."""
    return bilinear_nb(ranges_m, heights_m, tof_grid_s, ground_range_m, height_m)


def longest_time_of_flight_s(table: FlyoutTable) -> float:
    """The table's longest finite time of flight: the PIP search horizon (`predicted_intercept_nb`'s horizon_s)."""
    finite = table.time_of_flight_s[np.isfinite(table.time_of_flight_s)]
    return float(finite.max()) if finite.size else 0.0


# --- predicted intercept point ------------------------------------------------------------------------------

class InterceptSolution(NamedTuple):
    """(N,) predicted intercepts: point (N, 3, NaN unless PIP_OK), time of flight from launch, status.
    A named tuple: `point, tof, status = predicted_intercept(...)` works."""

    point_m: np.ndarray
    time_of_flight_s: np.ndarray
    status: np.ndarray  # int8 PIP_* codes


def predicted_intercept(table: FlyoutTable, launcher_m, target_pos_m, target_vel_mps, t_delay_s=0.0, *,
                        scan_step_s: float = DEFAULT_SCAN_STEP_S) -> InterceptSolution:
    """PIP of each (launcher, target) pair (module docstring). Shapes broadcast to (N, 3) / (N,):
    launcher_m is the fire unit's site (on the ground), target state is 'now', t_delay_s the time to launch."""
    launcher = np.atleast_2d(np.asarray(launcher_m, dtype=np.float64))
    position = np.atleast_2d(np.asarray(target_pos_m, dtype=np.float64))
    velocity = np.atleast_2d(np.asarray(target_vel_mps, dtype=np.float64))
    n = max(launcher.shape[0], position.shape[0], velocity.shape[0], np.size(t_delay_s))
    launcher, position, velocity = (np.broadcast_to(a, (n, 3)) for a in (launcher, position, velocity))
    delay = np.broadcast_to(np.asarray(t_delay_s, dtype=np.float64), (n,))

    def f(t):  # tof(p(t)) − t for t of shape (..., n)
        p = position + velocity * (delay + t)[..., None]
        dx, dy = p[..., 0] - launcher[:, 0], p[..., 1] - launcher[:, 1]
        return time_of_flight_s(table, np.sqrt(dx * dx + dy * dy), p[..., 2] - launcher[:, 2]) - t

    n_scan = int(math.ceil(longest_time_of_flight_s(table) / scan_step_s)) + 1
    times = np.arange(n_scan + 1) * scan_step_s
    values = f(np.broadcast_to(times[:, None], (times.size, n)))
    crossing = (values[:-1] >= 0.0) & (values[1:] < 0.0)  # NaN compares False: both ends reachable
    found = crossing.any(axis=0)
    k = np.argmax(crossing, axis=0)
    lo, hi = times[k], times[k + 1]
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        below = f(mid) < 0.0  # NaN (a hole in the reachable set) counts as not yet reached
        hi, lo = np.where(below, mid, hi), np.where(below, lo, mid)
    tof = np.where(found, hi, np.nan)
    point = np.where(found[:, None], position + velocity * (delay + hi)[:, None], np.nan)
    status = np.where(found, PIP_OK, np.where(np.isfinite(values).any(axis=0), PIP_NO_SOLUTION, PIP_UNREACHABLE))
    return InterceptSolution(point_m=point, time_of_flight_s=tof, status=status.astype(np.int8))


@njit(cache=True)
def _pip_residual_nb(ranges, heights, tof_grid, lx, ly, lz, px, py, pz, vx, vy, vz, t_delay, t):
    s = t_delay + t
    dx, dy = px + vx * s - lx, py + vy * s - ly
    return bilinear_nb(ranges, heights, tof_grid, math.sqrt(dx * dx + dy * dy), pz + vz * s - lz) - t


@njit(cache=True)
def predicted_intercept_nb(ranges_m, heights_m, tof_grid_s, horizon_s, scan_step_s,
                           lx, ly, lz, px, py, pz, vx, vy, vz, t_delay_s):
    """Scalar `predicted_intercept` on a table's arrays; horizon_s = longest finite tof of the table.
    Returns (x, y, z, time_of_flight_s, status)."""
    n_scan = int(math.ceil(horizon_s / scan_step_s)) + 1
    # the target's ground track never comes within the table's reach in the horizon: every residual would be NaN
    dx, dy, speed2 = px - lx, py - ly, vx * vx + vy * vy
    last_s = t_delay_s + n_scan * scan_step_s
    closest_s = 0.0 if speed2 == 0.0 else min(max(-(dx * vx + dy * vy) / speed2, t_delay_s), last_s)
    if math.hypot(dx + vx * closest_s, dy + vy * closest_s) > ranges_m[ranges_m.shape[0] - 1]:
        return math.nan, math.nan, math.nan, math.nan, PIP_UNREACHABLE
    previous = _pip_residual_nb(ranges_m, heights_m, tof_grid_s, lx, ly, lz, px, py, pz, vx, vy, vz, t_delay_s, 0.0)
    seen = not math.isnan(previous)
    for k in range(1, n_scan + 1):
        t_hi = k * scan_step_s
        value = _pip_residual_nb(ranges_m, heights_m, tof_grid_s, lx, ly, lz, px, py, pz, vx, vy, vz, t_delay_s, t_hi)
        seen = seen or not math.isnan(value)
        if previous >= 0.0 and value < 0.0:
            lo, hi = (k - 1) * scan_step_s, t_hi
            for _ in range(_BISECTIONS):
                mid = 0.5 * (lo + hi)
                if _pip_residual_nb(ranges_m, heights_m, tof_grid_s, lx, ly, lz, px, py, pz, vx, vy, vz,
                                    t_delay_s, mid) < 0.0:
                    hi = mid
                else:
                    lo = mid
            s = t_delay_s + hi
            return px + vx * s, py + vy * s, pz + vz * s, hi, PIP_OK
        previous = value
    return math.nan, math.nan, math.nan, math.nan, PIP_NO_SOLUTION if seen else PIP_UNREACHABLE


@dataclass(frozen=True)
class StackedFlyoutTables:
    """Tables of several types padded to common shapes for a kernel: type k uses
    ground_range_m[k, :n_range[k]], height_m[k, :n_height[k]], time_of_flight_s[k, :n_range[k], :n_height[k]]."""

    ground_range_m: np.ndarray  # (T, R)
    height_m: np.ndarray  # (T, H)
    time_of_flight_s: np.ndarray  # (T, R, H)
    n_range: np.ndarray  # (T,) int64
    n_height: np.ndarray
    horizon_s: np.ndarray  # (T,) longest finite time of flight


def stack_flyout_tables(tables: list[FlyoutTable]) -> StackedFlyoutTables:
    n_range = np.array([t.ground_range_m.size for t in tables], dtype=np.int64)
    n_height = np.array([t.height_m.size for t in tables], dtype=np.int64)
    width, depth = int(n_range.max(initial=2)), int(n_height.max(initial=2))
    ranges, heights = np.full((len(tables), width), np.inf), np.full((len(tables), depth), np.inf)
    tof = np.full((len(tables), width, depth), np.nan)
    for k, t in enumerate(tables):
        ranges[k, : n_range[k]], heights[k, : n_height[k]] = t.ground_range_m, t.height_m
        tof[k, : n_range[k], : n_height[k]] = t.time_of_flight_s
    return StackedFlyoutTables(ranges, heights, tof, n_range, n_height,
                               np.array([longest_time_of_flight_s(t) for t in tables], dtype=np.float64))


def launch_velocity_mps(table: FlyoutTable, launcher_m, pip_m) -> np.ndarray:
    """(N, 3) launch velocity toward each PIP as the table flew it: from the rail (site + launch height),
    along the line of sight to the PIP raised by the table's loft there (bilinear, clamped to the grid),
    at the table's launch speed. NaN rows for NaN PIPs."""
    launcher = np.atleast_2d(np.asarray(launcher_m, dtype=np.float64))
    pip = np.atleast_2d(np.asarray(pip_m, dtype=np.float64))
    rel = pip - launcher - np.array([0.0, 0.0, table.launch_height_m])
    ground = np.hypot(rel[:, 0], rel[:, 1])
    loft = _bilinear(table.ground_range_m, table.height_m, table.launch_loft_rad,
                     np.clip(ground, table.ground_range_m[0], table.ground_range_m[-1]),
                     np.clip(pip[:, 2] - launcher[:, 2], table.height_m[0], table.height_m[-1]))
    elevation = np.minimum(np.arctan2(rel[:, 2], ground) + loft, 0.5 * math.pi)
    azimuth = np.arctan2(rel[:, 1], rel[:, 0])
    return table.launch_speed_mps * np.stack(
        [np.cos(elevation) * np.cos(azimuth), np.cos(elevation) * np.sin(azimuth), np.sin(elevation)], axis=1)


# --- envelope check -----------------------------------------------------------------------------------------

@njit(cache=True)
def envelope_reason_nb(ground_range_m, height_m, time_of_flight_s, target_speed_mps, min_range_m, max_range_m,
                       min_height_m, max_height_m, max_target_speed_mps, max_time_of_flight_s):
    """Reason code of one intercept: the first failing check (order above; NaN point or tof: UNREACHABLE)."""
    if target_speed_mps > max_target_speed_mps:
        return TOO_FAST
    if math.isnan(ground_range_m) or math.isnan(height_m) or math.isnan(time_of_flight_s):
        return UNREACHABLE
    if ground_range_m > max_range_m:
        return TOO_FAR
    if ground_range_m < min_range_m:
        return TOO_CLOSE
    if height_m > max_height_m:
        return TOO_HIGH
    if height_m < min_height_m:
        return TOO_LOW
    if time_of_flight_s > max_time_of_flight_s:
        return TOO_LONG_FLIGHT
    return INSIDE


def envelope_check(launcher_m, pip_m, time_of_flight_s, target_speed_mps, envelopes, type_index=0) -> np.ndarray:
    """(N,) int8 reason codes (REASON_TEXT) for intercepts at `pip_m` from fire units at `launcher_m` (site,
    on the ground) with interceptor types `type_index` and `envelopes` (`EngagementEnvelopes`)."""
    launcher = np.atleast_2d(np.asarray(launcher_m, dtype=np.float64))
    pip = np.atleast_2d(np.asarray(pip_m, dtype=np.float64))
    n = max(launcher.shape[0], pip.shape[0], np.size(time_of_flight_s), np.size(target_speed_mps),
            np.size(type_index))
    launcher, pip = np.broadcast_to(launcher, (n, 3)), np.broadcast_to(pip, (n, 3))
    tof = np.broadcast_to(np.asarray(time_of_flight_s, dtype=np.float64), (n,))
    speed = np.broadcast_to(np.asarray(target_speed_mps, dtype=np.float64), (n,))
    k = np.broadcast_to(np.asarray(type_index, dtype=np.int64), (n,))
    dx, dy = pip[:, 0] - launcher[:, 0], pip[:, 1] - launcher[:, 1]
    ground, height = np.sqrt(dx * dx + dy * dy), pip[:, 2] - launcher[:, 2]
    conditions = [
        speed > envelopes.max_target_speed_mps[k],
        np.isnan(ground) | np.isnan(height) | np.isnan(tof),
        ground > envelopes.max_range_m[k],
        ground < envelopes.min_range_m[k],
        height > envelopes.max_height_m[k],
        height < envelopes.min_height_m[k],
        tof > envelopes.max_time_of_flight_s[k],
    ]
    reasons = [TOO_FAST, UNREACHABLE, TOO_FAR, TOO_CLOSE, TOO_HIGH, TOO_LOW, TOO_LONG_FLIGHT]
    return np.select(conditions, reasons, default=INSIDE).astype(np.int8)


@njit(cache=True, parallel=True)
def engagement_geometry_kernel(ranges_m, heights_m, tof_grid_s, n_range, n_height, horizon_s, scan_step_s,
                               unit_type, unit_site_m, min_range_m, max_range_m, min_height_m, max_height_m,
                               max_target_speed_mps, max_time_of_flight_s, position_m, velocity_mps, evaluate,
                               pip_m, time_of_flight_s, verdict):
    """PIP and envelope verdict of every (replication, track, fire unit) with `evaluate` (R, T, F) set, in one
    pass: the batched form of `predicted_intercept` + `envelope_check` that the engine calls every cycle.

    Tables are stacked (`StackedFlyoutTables`); the envelope arrays are per interceptor type; unit_type (F,),
    unit_site_m (F, 3); position_m, velocity_mps (R, T, 3). Outputs pip_m (R, T, F, 3), time_of_flight_s (R, T, F)
    and verdict (R, T, F); pairs not evaluated get NaN and INSIDE (the caller decides what that means: for a unit
    that cannot fire, the reason it holds fire is then its own). Parallel over (replication, track) pairs."""
    n_rep, n_slots, n_units = evaluate.shape
    for flat in prange(n_rep * n_slots):
        r, s = flat // n_slots, flat % n_slots
        px, py, pz = position_m[r, s, 0], position_m[r, s, 1], position_m[r, s, 2]
        vx, vy, vz = velocity_mps[r, s, 0], velocity_mps[r, s, 1], velocity_mps[r, s, 2]
        speed = math.sqrt(vx * vx + vy * vy + vz * vz)
        for f in range(n_units):
            pip_m[r, s, f, :] = math.nan
            time_of_flight_s[r, s, f] = math.nan
            verdict[r, s, f] = INSIDE
            if not evaluate[r, s, f]:
                continue
            k = unit_type[f]
            lx, ly, lz = unit_site_m[f, 0], unit_site_m[f, 1], unit_site_m[f, 2]
            x, y, z, tof, _ = predicted_intercept_nb(
                ranges_m[k, :n_range[k]], heights_m[k, :n_height[k]], tof_grid_s[k, :n_range[k], :n_height[k]],
                horizon_s[k], scan_step_s, lx, ly, lz, px, py, pz, vx, vy, vz, 0.0)
            pip_m[r, s, f, 0], pip_m[r, s, f, 1], pip_m[r, s, f, 2] = x, y, z
            time_of_flight_s[r, s, f] = tof
            verdict[r, s, f] = envelope_reason_nb(
                math.sqrt((x - lx) ** 2 + (y - ly) ** 2), z - lz, tof, speed, min_range_m[k], max_range_m[k],
                min_height_m[k], max_height_m[k], max_target_speed_mps[k], max_time_of_flight_s[k])
