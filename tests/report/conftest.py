"""A small, plausible Outcome for homs-2021, built by hand from the Outcome schemas (no engine needed).

Replication 0 (the interesting one), four weapons:
  f16-1/w1  detected, tracked, first shot misses, second kills           -> intercepted
  f16-1/w2  detected, tracked, one shot misses, reaches its target       -> leaked
  f16-2/w1  detected, tracked, one shot kills                            -> intercepted
  f16-2/w2  detected, never confirmed as a track, not engaged            -> missed target
plus one shot at a false track (threat -1) lost on time of flight.
Replication 1: nothing detected, every weapon leaks, no shots (the empty-table path).
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from iadsim import load_world
from iadsim.engine.outcome import (
    EVENTS_SCHEMA,
    FATES_SCHEMA,
    FLIGHTS_SCHEMA,
    RESOURCES_SCHEMA,
    SHOTS_SCHEMA,
    Outcome,
)
from iadsim.report.trajectories import sample_raid

NAN = math.nan
FIRE_UNIT = "buk-battery"
FLIGHT_STEP_S = 0.5
MISS_OFFSET_M = np.array([30.0, -25.0, 15.0])  # where a missing interceptor ends relative to its target


def threat_position_m(trajectories: pa.Table, entity: int, t_s: float) -> np.ndarray:
    """Truth position (east, north, height) of a raid entity at t_s, interpolated in the sampled table."""
    rows = trajectories.filter(pc.equal(trajectories["entity"], entity))
    times = rows["t_s"].to_numpy()
    return np.array([np.interp(t_s, times, rows[c].to_numpy()) for c in ("east_m", "north_m", "height_m")])


def interceptor_flight(launch_m: np.ndarray, end_m: np.ndarray, launch_s: float, end_s: float):
    """A lofted path from the launcher to the end point: straight line plus a sine-shaped climb."""
    times = np.append(np.arange(launch_s, end_s, FLIGHT_STEP_S), end_s)
    s = (times - launch_s) / (end_s - launch_s)
    loft_m = 0.08 * np.linalg.norm(end_m - launch_m) * np.sin(np.pi * s)
    points = launch_m + s[:, None] * (end_m - launch_m)
    points[:, 2] += loft_m
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1) / np.maximum(np.diff(times), 1e-9)
    speed = np.append(steps, steps[-1])
    return times, points, speed


def _shot(k, threat, launch_s, end_s, result, miss_m, pk, end_m, predicted_s):
    return dict(replication=0, interceptor=k, fire_unit=FIRE_UNIT, launcher=f"telar-{1 + k % 2}", threat=threat,
                track_id=100 + max(threat, 0) if threat >= 0 else 999, launch_time_s=launch_s,
                predicted_intercept_s=predicted_s, end_time_s=end_s, result=result, miss_distance_m=miss_m,
                kill_probability=pk, killed=result == "kill", end_east_m=end_m[0], end_north_m=end_m[1],
                end_height_m=end_m[2])


def _fate(world, replication, threat, fate, engagement, reason, detection_s, track_s, fired, intercept_m,
          intercept_s, end_s, impact_miss_m):
    raid = world.raid
    return dict(replication=replication, threat=threat, name=raid.names[threat], kind="weapon",
                weapon_type=world.weapon_types.ids[raid.weapon_type[threat]],
                target=world.assets.ids[raid.target_asset[threat]], fate=fate, engagement=engagement, reason=reason,
                release_time_s=float(raid.release_time_s[threat]), first_detection_s=detection_s,
                first_track_s=track_s, interceptors_fired=fired, intercept_time_s=intercept_s,
                intercept_east_m=intercept_m[0], intercept_north_m=intercept_m[1], intercept_height_m=intercept_m[2],
                end_time_s=end_s, impact_miss_m=impact_miss_m)


def _table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def build_outcome(world) -> Outcome:
    trajectories = sample_raid(world)
    raid = world.raid
    launcher_m = world.fire_units.position_m[0] + np.array([0.0, 0.0, 5.0])
    at = lambda threat, t: threat_position_m(trajectories, threat, t)  # noqa: E731
    end_of = lambda threat: float(raid.end_time_s[threat])  # noqa: E731
    nowhere = (NAN, NAN, NAN)
    # (interceptor, threat, launch, end, result, miss distance, Pk, end point)
    plan = [
        (0, 2, 215.0, 240.0, "no kill", 41.0, 0.12, at(2, 240.0) + MISS_OFFSET_M),
        (1, 2, 246.0, 262.0, "kill", 6.5, 0.88, at(2, 262.0)),
        (2, 3, 225.0, 255.0, "no kill", 37.0, 0.15, at(3, 255.0) + MISS_OFFSET_M),
        (3, 4, 530.0, 555.0, "kill", 4.0, 0.89, at(4, 555.0)),
        (4, -1, 500.0, 560.0, "lost: time of flight", NAN, 0.0, launcher_m + np.array([-9000.0, -12000.0, 6000.0])),
    ]
    shots, flights, events = [], [], []
    for k, threat, launch_s, end_s, result, miss_m, pk, end_m in plan:
        shots.append(_shot(k, threat, launch_s, end_s, result, miss_m, pk, end_m, end_s - 1.0))
        times, points, speed = interceptor_flight(launcher_m, end_m, launch_s, end_s)
        flights += [dict(replication=0, interceptor=k, t_s=t, east_m=p[0], north_m=p[1], height_m=p[2], speed_mps=v)
                    for t, p, v in zip(times, points, speed)]
        events.append(dict(replication=0, t_s=launch_s, kind="launch", threat=threat, interceptor=k,
                           fire_unit=FIRE_UNIT, detail=f"interceptor {k} at threat {threat}"))
        kind = {"kill": "intercept", "no kill": "miss"}.get(result, "interceptor lost")
        events.append(dict(replication=0, t_s=end_s, kind=kind, threat=threat, interceptor=k, fire_unit=FIRE_UNIT,
                           detail=f"{result}, miss distance {miss_m:.1f} m, Pk {pk:.2f}"))
    fates = [
        _fate(world, 0, 2, "intercepted", "intercepted", "", 150.0, 160.0, 2, at(2, 262.0), 262.0, 262.0, NAN),
        _fate(world, 0, 3, "leaked", "engaged and missed", "1 miss", 158.0, 170.0, 1, nowhere, NAN, end_of(3), 3.2),
        _fate(world, 0, 4, "intercepted", "intercepted", "", 470.0, 480.0, 1, at(4, 555.0), 555.0, 555.0, NAN),
        _fate(world, 0, 5, "missed target", "detected not engaged", "no confirmed track", 480.0, NAN, 0, nowhere,
              NAN, end_of(5), 11.8),
    ]
    fates += [_fate(world, 1, e, "leaked", "not detected", "never detected", NAN, NAN, 0, nowhere, NAN, end_of(e), 2.0)
              for e in raid.weapons]
    for fate in fates:
        threat, rep = fate["threat"], fate["replication"]
        events.append(dict(replication=rep, t_s=fate["release_time_s"], kind="release", threat=threat,
                           interceptor=-1, fire_unit="", detail=f"released by {fate['name'].split('/')[0]}"))
        for kind, t in (("detection", fate["first_detection_s"]), ("track confirmed", fate["first_track_s"])):
            if not math.isnan(t):
                events.append(dict(replication=rep, t_s=t, kind=kind, threat=threat, interceptor=-1, fire_unit="",
                                   detail="9s18m1"))
        if fate["fate"] in ("leaked", "missed target"):
            events.append(dict(replication=rep, t_s=fate["end_time_s"], kind="impact", threat=threat, interceptor=-1,
                               fire_unit="", detail=f"{fate['impact_miss_m']:.1f} m from {fate['target']}"))
    events.append(dict(replication=0, t_s=481.0, kind="no engagement", threat=5, interceptor=-1, fire_unit=FIRE_UNIT,
                       detail="no confirmed track"))
    events.sort(key=lambda e: (e["replication"], e["t_s"]))
    resources = [dict(replication=0, fire_unit=FIRE_UNIT, missiles_fired=5, missiles_left=3, channel_seconds=166.0),
                 dict(replication=1, fire_unit=FIRE_UNIT, missiles_fired=0, missiles_left=8, channel_seconds=0.0)]
    return Outcome(world.name, world.seed, 2, _table(fates, FATES_SCHEMA), _table(shots, SHOTS_SCHEMA),
                   _table(events, EVENTS_SCHEMA), _table(flights, FLIGHTS_SCHEMA),
                   _table(resources, RESOURCES_SCHEMA), trajectories)


@pytest.fixture(scope="session")
def world():
    return load_world("homs-2021")


@pytest.fixture(scope="session")
def outcome(world) -> Outcome:
    return build_outcome(world)
