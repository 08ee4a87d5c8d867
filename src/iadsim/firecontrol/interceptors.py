"""Interceptor types as fire control sees them: flyout parameters, engagement envelopes, flyout tables.

Compiles the scenario's `interceptor_types` (pydantic, degrees, law names) into the arrays the engine uses,
one row per type in the order of the file: `InterceptorParams` for the flyout kernel (SI, radians, integer
codes; drag tables padded with `pad_drag_table`), `EngagementEnvelopes` for the envelope check, and the
textbook launch heading errors. Then `FlyoutTable`: time of flight to a grid of points, built by flying the
type with the real flyout kernel (`build_flyout_table`, cached per type). Queries of the table (time of
flight, predicted intercept point, envelope check) are in `envelope.py`.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, fields

import numpy as np

from iadsim.earth.atmosphere import density_kg_m3_nb
from iadsim.interceptor.dynamics import fly
from iadsim.interceptor.params import (
    AUGMENTED_PN,
    COOKIE_CUTTER,
    G0_MPS2,
    GAUSSIAN,
    PURE_PN,
    TRUE_PN,
    InterceptorParams,
    pad_drag_table,
)
from iadsim.interceptor.state import CLOSEST_APPROACH, LOST_GROUND, LOST_TIME_OF_FLIGHT, TargetTruth, launch

GUIDANCE_LAW_CODES = {"pure_pn": PURE_PN, "true_pn": TRUE_PN, "augmented_pn": AUGMENTED_PN}
PK_MODEL_CODES = {"cookie_cutter": COOKIE_CUTTER, "gaussian": GAUSSIAN}


def interceptor_params(scenario) -> InterceptorParams:
    """The scenario's interceptor types as `InterceptorParams` (one row per type, file order).

    Degrees become radians (seeker noise), law and damage-function names become codes; fields the file does
    not carry keep the flyout defaults (gravity compensation on, 0.02 s seeker sampling, no fuze arming delay).
    A scenario without interceptor types gives a zero-row table.
    """
    types = list(scenario.interceptor_types)
    if not types:
        empty = {f.name: np.zeros(0) for f in fields(InterceptorParams)}
        return InterceptorParams(**(empty | {"cd_mach": np.zeros((0, 2)), "cd": np.zeros((0, 2))}))

    def column(get, dtype=np.float64):
        return np.array([get(t) for t in types], dtype=dtype)

    mach, cd = pad_drag_table([(list(t.drag.mach), list(t.drag.cd)) for t in types])
    return InterceptorParams(
        launch_mass_kg=column(lambda t: t.launch_mass_kg),
        boost_thrust_n=column(lambda t: t.boost.thrust_n),
        boost_time_s=column(lambda t: t.boost.burn_time_s),
        boost_propellant_kg=column(lambda t: t.boost.propellant_kg),
        sustain_thrust_n=column(lambda t: t.sustain.thrust_n),
        sustain_time_s=column(lambda t: t.sustain.burn_time_s),
        sustain_propellant_kg=column(lambda t: t.sustain.propellant_kg),
        reference_area_m2=column(lambda t: t.reference_area_m2),
        cd_mach=mach,
        cd=cd,
        max_g=column(lambda t: t.max_g),
        max_lift_coefficient=column(lambda t: t.max_lift_coefficient),
        max_time_of_flight_s=column(lambda t: t.max_time_of_flight_s),
        min_speed_mps=column(lambda t: t.min_speed_mps),
        nav_constant=column(lambda t: t.guidance.nav_constant),
        guidance_law=column(lambda t: GUIDANCE_LAW_CODES[t.guidance.law], np.int64),
        guidance_time_constant_s=column(lambda t: t.guidance.time_constant_s),
        seeker_noise_rad=column(lambda t: math.radians(t.guidance.seeker_noise_deg)),
        semi_active=column(lambda t: t.guidance.semi_active, bool),
        lethal_radius_m=column(lambda t: t.lethality.lethal_radius_m),
        pk_model=column(lambda t: PK_MODEL_CODES[t.lethality.model], np.int64),
        pk_max=column(lambda t: t.lethality.pk_max),
        seeker_acquisition_range_m=column(lambda t: t.guidance.seeker_acquisition_range_m),
    )


def launch_heading_error_rad(scenario) -> np.ndarray:
    """(types,) deliberate launch error against the intercept point (`guidance.launch_heading_error_deg`),
    radians: the heading-error case of the textbook homing loop (Zarchan, ch. 2). Zero for real systems."""
    return np.array([math.radians(t.guidance.launch_heading_error_deg) for t in scenario.interceptor_types],
                    dtype=np.float64)


@dataclass(frozen=True, eq=False)
class EngagementEnvelopes:
    """Published engagement zone per interceptor type, (types,) arrays: where the fire unit may place an
    intercept. Ranges are ground ranges from the fire unit, heights are above ground (flat terrain)."""

    min_range_m: np.ndarray
    max_range_m: np.ndarray
    min_height_m: np.ndarray
    max_height_m: np.ndarray
    max_target_speed_mps: np.ndarray
    max_time_of_flight_s: np.ndarray

    @property
    def n_types(self) -> int:
        return self.max_range_m.shape[0]


def engagement_envelopes(scenario) -> EngagementEnvelopes:
    """The `envelope` block of each interceptor type (file order) plus its time-of-flight limit."""
    types = list(scenario.interceptor_types)

    def column(get):
        return np.array([get(t) for t in types], dtype=np.float64)

    return EngagementEnvelopes(
        min_range_m=column(lambda t: t.envelope.min_range_m),
        max_range_m=column(lambda t: t.envelope.max_range_m),
        min_height_m=column(lambda t: t.envelope.min_altitude_m),
        max_height_m=column(lambda t: t.envelope.max_altitude_m),
        max_target_speed_mps=column(lambda t: t.envelope.max_target_speed_mps),
        max_time_of_flight_s=column(lambda t: t.max_time_of_flight_s),
    )


# --- flyout tables ------------------------------------------------------------------------------------------

LAUNCH_SPEED_MPS = 30.0  # speed leaving the rail: the engine's launch (engine/context.py), the motor does the rest
LAUNCH_HEIGHT_M = 3.0  # rail height above the site
GROUND_TOLERANCE_M = 1.0  # a flight more than this below the site's ground has hit it
_REACH_MARGIN = 1.05  # points up to this factor beyond the probe fan's reach are still flown
_LOFT_AFTER = 0.0  # lofts are tried everywhere: trying them only for slow points made the table non-monotone
_CHUNK_S = 2.0  # the flyout is advanced in chunks; ground and energy checks run between chunks
_CACHE: dict[str, FlyoutTable] = {}
_CACHE_SIZE = 32


@dataclass(frozen=True, eq=False)
class FlyoutTable:
    """Flyout of one interceptor type to the points of a (ground range × height above ground) grid.

    Built by `build_flyout_table` from the dynamics. (NR, NH) arrays, NaN where the point is not reached
    (time-of-flight limit, below min speed, ground, or passed by more than the lethal radius):
      time_of_flight_s     launch to closest approach of the point (stationary)
      average_speed_mps    straight-line distance from the launch point / time of flight
      terminal_speed_mps   speed on arrival
      launch_loft_rad      launch elevation above the line of sight to the point (finite everywhere: the loft
                           flown, or the first one tried where the point is not reached)
    The launch is at `launch_speed_mps` from `launch_height_m` above the site; `launch_velocity_mps` in
    envelope.py gives the same launch for a predicted intercept point, so the engine flies what the table assumed.
    """

    type_index: int
    ground_range_m: np.ndarray  # (NR,) from 0, increasing
    height_m: np.ndarray  # (NH,) from 0, increasing
    time_of_flight_s: np.ndarray
    average_speed_mps: np.ndarray
    terminal_speed_mps: np.ndarray
    launch_loft_rad: np.ndarray
    launch_speed_mps: float
    launch_height_m: float
    site_height_m: float  # height of the launcher's ground above sea level (sets the air density)
    gravity_mps2: float
    max_time_of_flight_s: float

    def __post_init__(self) -> None:
        for name in ("ground_range_m", "height_m", "time_of_flight_s", "average_speed_mps", "terminal_speed_mps",
                     "launch_loft_rad"):
            getattr(self, name).setflags(write=False)


def build_flyout_table(
    params: InterceptorParams,
    type_index: int,
    *,
    gravity_mps2: float = G0_MPS2,
    site_height_m: float = 0.0,
    max_range_m: float | None = None,
    max_height_m: float | None = None,
    range_step_m: float = 500.0,
    launch_speed_mps: float = LAUNCH_SPEED_MPS,
    launch_height_m: float = LAUNCH_HEIGHT_M,
    dt_s: float | None = None,
    extra_lofts_deg: tuple[float, ...] = (15.0, 30.0),
    use_cache: bool = True,
) -> FlyoutTable:
    """Fly type `type_index` to every grid point at once (one batch of the real `fly` kernel) and tabulate.

    Method (a flyout table, Fleeman, *Missile Design and System Engineering*, AIAA 2012, flight performance
    chapter; the stationary-point flyouts of Zarchan's engagement simulations): each grid point is a stationary
    target; the missile leaves the rail along the line of sight to it, raised by the sag loft (the angle gravity
    turns the path down before lift can hold it, `_sag_loft_rad`), and flies its own guidance law (seeker noise
    off, homing from launch, fuze armed at launch). Every point is flown again with each of `extra_lofts_deg`
    added (a lofted climb into thin air often reaches farther and sooner) and the fastest flight is kept, so the
    table is the minimum time of flight and grows with range (a pass farther than the lethal radius is a miss).
    A probe fan (one flight per degree of elevation toward a far point, per loft) measures how far each
    direction reaches; points beyond 1.05 × that are not flown (they cost most and cannot be reached).
    Grid: ground range 0 .. ≥ max_range_m every `range_step_m`; height 0 .. ≥ max_height_m every 250 m to
    2 km, every 1 km to 10 km, then every 2.5 km. Without extents: 1.1 × the probe fan's reach.
    dt_s defaults to the guidance lag clipped to [0.05, 0.3] s (9M317: tof within 0.03 % of dt = 0.02 s).
    """
    args = (gravity_mps2, site_height_m, max_range_m, max_height_m, range_step_m, launch_speed_mps,
            launch_height_m, dt_s, tuple(extra_lofts_deg))
    key = _cache_key(params, type_index, args) if use_cache else None
    if key in _CACHE:
        return _CACHE[key]
    if launch_speed_mps <= 0:
        raise ValueError("launch_speed_mps must be > 0")
    one = _single_type(params, type_index)
    tau = float(one.guidance_time_constant_s[0])
    dt = float(dt_s) if dt_s is not None else min(0.3, max(0.05, tau))
    site, g = float(site_height_m), float(gravity_mps2)
    launch_point = np.array([0.0, 0.0, site + launch_height_m])
    fly_kw = dict(launch_speed_mps=launch_speed_mps, gravity_mps2=g, site_height_m=site, dt_s=dt)
    lofts_rad = np.radians([0.0, *extra_lofts_deg])
    probe_elevation = np.radians(np.arange(0.0, 90.5, 1.0))
    sag_elevation, sag_loft = _sag_loft_rad(one, launch_speed_mps, g, launch_point[2])
    probe_sag = np.interp(probe_elevation, sag_elevation, sag_loft)
    # probes need not fly past the grid: stop them beyond its farthest point
    extent_m = math.inf if max_range_m is None or max_height_m is None else 1.2 * math.hypot(max_range_m, max_height_m)
    reach = _probe_reach(one, launch_point, probe_elevation, probe_sag, lofts_rad, extent_m, **fly_kw)  # (lofts, rays)
    if max_range_m is None:
        max_range_m = 1.1 * float(np.max(reach * np.cos(probe_elevation)))
    if max_height_m is None:
        max_height_m = 1.1 * float(np.max(reach * np.sin(probe_elevation)))
    ranges = range_step_m * np.arange(max(1, int(math.ceil(max_range_m / range_step_m - 1e-9))) + 1)
    heights = _height_grid(max_height_m)
    if ranges.size * heights.size > 50_000:
        raise ValueError(f"flyout grid of {ranges.size}×{heights.size} points: give smaller max_range_m/max_height_m")
    grid_r, grid_h = (a.ravel() for a in np.meshgrid(ranges, heights, indexing="ij"))
    points = np.stack([grid_r, np.zeros_like(grid_r), site + grid_h], axis=1)
    rel = points - launch_point
    distance = np.linalg.norm(rel, axis=1)
    los_elevation = np.arctan2(rel[:, 2], grid_r)
    sag = np.interp(los_elevation, sag_elevation, sag_loft)
    n = points.shape[0]
    tof, arrival_speed, loft = np.full(n, np.nan), np.full(n, np.nan), sag.copy()
    at_launch = distance < 1e-9
    tof[at_launch], arrival_speed[at_launch] = 0.0, launch_speed_mps
    lofted = ~at_launch  # first the straight flight everywhere; lofts where it is lost or late
    for k, extra in enumerate(lofts_rad):
        node_reach = np.interp(np.maximum(los_elevation, 0.0), probe_elevation, reach[k])
        rows = np.flatnonzero(lofted & (distance <= _REACH_MARGIN * node_reach))
        if rows.size == 0:
            continue
        elevation = np.minimum(los_elevation[rows] + sag[rows] + extra, 0.5 * math.pi)
        flight = _fly_to_points(one, points[rows], launch_point, elevation, **fly_kw)
        better = flight["reached"] & ~(tof[rows] <= flight["tof_s"])
        hit = rows[better]
        tof[hit], arrival_speed[hit] = flight["tof_s"][better], flight["speed_mps"][better]
        loft[hit] = elevation[better] - los_elevation[hit]
        if k == 0:
            late = ~(tof <= _LOFT_AFTER * one.max_time_of_flight_s[0])
            lofted = ~at_launch & late
            lofted[rows[~flight["lost"] & ~flight["reached"]]] = False  # passed wide: too close to turn
        else:  # a higher loft only where this one helped or nothing reached yet (tof unimodal in the loft)
            lofted[rows[~better & ~np.isnan(tof[rows])]] = False
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(tof > 0, distance / tof, launch_speed_mps)
    average[np.isnan(tof)] = np.nan
    shape = (ranges.size, heights.size)
    table = FlyoutTable(
        type_index=int(type_index), ground_range_m=ranges, height_m=heights, time_of_flight_s=tof.reshape(shape),
        average_speed_mps=average.reshape(shape), terminal_speed_mps=arrival_speed.reshape(shape),
        launch_loft_rad=loft.reshape(shape), launch_speed_mps=float(launch_speed_mps),
        launch_height_m=float(launch_height_m), site_height_m=site, gravity_mps2=g,
        max_time_of_flight_s=float(one.max_time_of_flight_s[0]),
    )
    if key is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = table
    return table


def flyout_tables(params: InterceptorParams, envelopes: EngagementEnvelopes, *, site_height_m: float,
                  gravity_mps2: float = G0_MPS2, **kwargs) -> list[FlyoutTable]:
    """One cached table per type, over 1.1 × the envelope's max range and up to its max height."""
    return [
        build_flyout_table(params, k, gravity_mps2=gravity_mps2, site_height_m=site_height_m,
                           max_range_m=1.1 * float(envelopes.max_range_m[k]),
                           max_height_m=float(envelopes.max_height_m[k]), **kwargs)
        for k in range(params.n_types)
    ]


def _height_grid(max_height_m: float) -> np.ndarray:
    heights = [0.0]
    while heights[-1] < max_height_m - 1e-9 or len(heights) < 2:
        top = heights[-1]
        heights.append(top + (250.0 if top < 2000.0 - 1e-9 else 1000.0 if top < 10_000.0 - 1e-9 else 2500.0))
    return np.array(heights)


def _single_type(params: InterceptorParams, k: int) -> InterceptorParams:
    """Row k as a one-type table, set up for flying to stationary points: no seeker noise, homing from launch
    (acquisition range ∞: against a stationary point midcourse and terminal fly the same law), fuze armed."""
    values = {}
    for f in fields(params):
        value = params.drag_mach_table() if f.name == "cd_mach" else getattr(params, f.name)
        values[f.name] = value[k:k + 1]
    values.update(seeker_noise_rad=0.0, seeker_acquisition_range_m=np.inf, fuze_arming_time_s=0.0)
    return InterceptorParams(**values)


def _cache_key(params: InterceptorParams, k: int, args: tuple) -> str:
    digest = hashlib.sha1()
    for arr in (params.packed()[k], params.drag_mach_table()[k], params.cd[k], params.lethal_radius_m[k:k + 1]):
        digest.update(np.ascontiguousarray(arr, dtype=np.float64).tobytes())
    digest.update(repr(args).encode())
    return digest.hexdigest()


def _sag_loft_rad(one: InterceptorParams, launch_speed_mps: float, gravity_mps2: float,
                  launch_altitude_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Launch loft that cancels the sag off the rail. Gravity compensation commands g·cos γ of lift; the
    guidance lag τ delays it and lift is capped by q·S·CL_max/m (and max_g), so at first the path turns down at
    γ̇ = −(g·cos γ − a_L)/V (point-mass flight-path equation, Fleeman 2012) while the boost accelerates it.
    Integrated (Euler, 10 ms, 3 s, drag, mass loss and the PN correction neglected: slightly conservative) on a
    1° grid of line-of-sight elevations (returned with the lofts); two fixed-point passes make the path end on
    the line of sight. Zero without gravity."""
    elevation = np.radians(np.arange(-90.0, 90.5, 1.0))
    mass = float(one.launch_mass_kg[0])
    thrust = float(one.boost_thrust_n[0] if one.boost_time_s[0] > 0 else one.sustain_thrust_n[0])
    lift_per_v2 = 0.5 * float(density_kg_m3_nb(launch_altitude_m)) * float(one.reference_area_m2[0]) * float(
        one.max_lift_coefficient[0]) / mass
    max_accel = float(one.max_g[0]) * G0_MPS2
    tau = float(one.guidance_time_constant_s[0])
    h = 0.01
    start = elevation.copy()
    for _ in range(2):
        gamma, speed = start.copy(), np.full(elevation.shape, float(launch_speed_mps))
        lateral = np.zeros(elevation.shape)  # state of the guidance lag
        for _ in range(300):
            limit = np.minimum(max_accel, lift_per_v2 * speed * speed)
            command = np.minimum(gravity_mps2 * np.cos(gamma), limit)
            lateral = command if tau < h else lateral + (command - lateral) * h / tau
            gamma -= (gravity_mps2 * np.cos(gamma) - np.minimum(lateral, limit)) / speed * h
            speed = np.maximum(speed + (thrust / mass - gravity_mps2 * np.sin(gamma)) * h, 1.0)
        start = np.minimum(elevation + (start - gamma), 0.5 * math.pi)
    return elevation, np.clip(start - elevation, 0.0, None)


def _fly_to_points(one, points_m, launch_point_m, elevation_rad, *, launch_speed_mps, gravity_mps2,
                   site_height_m, dt_s, prune=True, stop_beyond_m=math.inf) -> dict[str, np.ndarray]:
    """Fly one missile per stationary point (all in one batch), launched in the x–z plane at `elevation_rad`.

    Between chunks: a flight below the ground is lost (the kernel's own ground is sea level), and after burnout
    a flight that cannot reach its point even on its whole energy is stopped early: with no thrust, drag ≥ 0
    and lift normal to the velocity, V² + 2g·z does not grow, so the speed stays ≤ √(V² + 2g(z − ground)).
    """
    n = points_m.shape[0]
    # rows in a fixed shuffled order: `prange` gives each thread a contiguous block, and near and far points
    # differ tenfold in flight time, so grid order would leave one core idle
    order = np.random.default_rng(0).permutation(n)
    points_m, elevation_rad = points_m[order], elevation_rad[order]
    velocity = launch_speed_mps * np.stack([np.cos(elevation_rad), np.zeros(n), np.sin(elevation_rad)], axis=1)
    state = launch(one, 0, np.broadcast_to(launch_point_m, (n, 3)), velocity, 0.0)
    targets = TargetTruth(np.ascontiguousarray(points_m), np.zeros((n, 3)))
    tof_limit = float(one.max_time_of_flight_s[0])
    burnout = float(one.boost_time_s[0] + one.sustain_time_s[0])
    farthest = np.zeros(n)
    t = 0.0
    while t < tof_limit - 1e-9 and state.active.any():
        t_next = min(t + _CHUNK_S, tof_limit)
        fly(state, one, targets, t, t_next, dt_s, gravity_mps2=gravity_mps2)
        t = t_next
        active, position = state.active, state.position_m
        farthest = np.maximum(farthest, np.linalg.norm(position - launch_point_m, axis=1))
        state.status[active & (farthest > stop_beyond_m)] = LOST_TIME_OF_FLIGHT  # far enough: stop
        state.status[active & (position[:, 2] < site_height_m - GROUND_TOLERANCE_M)] = LOST_GROUND
        if prune and t >= burnout:
            to_go = np.linalg.norm(points_m - position, axis=1)
            speed2 = np.einsum("ij,ij->i", state.velocity_mps, state.velocity_mps)
            bound = np.sqrt(speed2 + 2.0 * gravity_mps2 * np.maximum(0.0, position[:, 2] - site_height_m))
            hopeless = state.active & (to_go > 1.01 * bound * (tof_limit - t) + 1.0)
            state.status[hopeless] = LOST_TIME_OF_FLIGHT
    passed = state.status == CLOSEST_APPROACH
    reached = passed & (state.miss_distance_m <= float(one.lethal_radius_m[0]))
    unshuffle = np.argsort(order)
    return {
        "reached": reached[unshuffle],
        "lost": ~passed[unshuffle],
        "tof_s": np.where(reached, state.closest_approach_time_s, np.nan)[unshuffle],
        "speed_mps": np.where(reached, np.linalg.norm(state.velocity_mps, axis=1), np.nan)[unshuffle],
        "farthest_m": farthest[unshuffle],  # greatest distance from the launch point while in flight
    }


def _probe_reach(one, launch_point_m, elevation_rad, sag_rad, lofts_rad, extent_m, **fly_kw) -> np.ndarray:
    """(lofts, rays) farthest distance from the launch point reached by flights toward far points, one per
    elevation and loft, before they are lost (time of flight, min speed, ground) or pass `extent_m`."""
    far_m = 1e7
    ray = np.stack([np.cos(elevation_rad), np.zeros_like(elevation_rad), np.sin(elevation_rad)], axis=1)
    points = np.tile(launch_point_m + far_m * ray, (len(lofts_rad), 1))
    launch_elevation = np.minimum((elevation_rad + sag_rad)[None, :] + np.asarray(lofts_rad)[:, None], 0.5 * math.pi)
    flight = _fly_to_points(one, points, launch_point_m, launch_elevation.ravel(), **fly_kw, prune=False,
                            stop_beyond_m=extent_m)
    return flight["farthest_m"].reshape(len(lofts_rad), -1)
