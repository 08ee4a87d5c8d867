"""Sampled truth trajectories of the raid as a table (one row per entity and time), for files and plots."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from iadsim.earth.frames import local_to_geodetic
from iadsim.raid.plan import AIRCRAFT
from iadsim.scenario.world import World

KIND_NAMES = {0: "aircraft", 1: "weapon"}
TRAJECTORY_SCHEMA = pa.schema([("entity", pa.int64()), ("name", pa.string()), ("kind", pa.string()),
                               ("t_s", pa.float64()), ("east_m", pa.float64()), ("north_m", pa.float64()),
                               ("height_m", pa.float64()), ("speed_mps", pa.float64()), ("lat_deg", pa.float64()),
                               ("lon_deg", pa.float64())])


def sample_raid(world: World, step_s: float = 1.0) -> pa.Table:
    """Every raid entity from its start to its end, sampled every `step_s` and at its exact end."""
    raid = world.raid
    columns: dict[str, list] = {k: [] for k in ("entity", "name", "kind", "t_s", "east_m", "north_m", "height_m", "speed_mps")}
    for e in range(raid.n_entities):
        start, end = raid.release_time_s[e], raid.end_time_s[e]
        times = np.append(np.arange(start, end, step_s), end)
        pos, vel = raid.segments.entity_states(e, times)
        columns["entity"].append(np.full(len(times), e))
        columns["name"] += [raid.names[e]] * len(times)
        columns["kind"] += [KIND_NAMES[int(raid.kind[e])]] * len(times)
        columns["t_s"].append(times)
        columns["east_m"].append(pos[:, 0])
        columns["north_m"].append(pos[:, 1])
        columns["height_m"].append(pos[:, 2])
        columns["speed_mps"].append(np.linalg.norm(vel, axis=1))
    data = {k: (np.concatenate(v) if k not in ("name", "kind") else v) for k, v in columns.items()} if raid.n_entities else columns
    lat, lon, _ = local_to_geodetic(np.asarray(data["east_m"]), np.asarray(data["north_m"]), np.asarray(data["height_m"]), world.origin)
    data["lat_deg"], data["lon_deg"] = np.atleast_1d(lat), np.atleast_1d(lon)
    return pa.table(data, schema=TRAJECTORY_SCHEMA)


def raid_summary(world: World) -> list[dict]:
    """One record per raid entity: what it is, when it starts and ends, where it ends."""
    raid = world.raid
    rows = []
    for e in range(raid.n_entities):
        aircraft = raid.kind[e] == AIRCRAFT
        target = None if aircraft else world.assets.ids[raid.target_asset[e]]
        end = raid.end_point_m[e]
        miss = None if aircraft else float(np.hypot(*(end[:2] - world.assets.position_m[raid.target_asset[e], :2])))
        rows.append({
            "name": raid.names[e],
            "kind": KIND_NAMES[int(raid.kind[e])],
            "type": None if aircraft else world.weapon_types.ids[raid.weapon_type[e]],
            "target": target,
            "start_s": round(float(raid.release_time_s[e]), 3),
            "end_s": round(float(raid.end_time_s[e]), 3),
            "flight_time_s": round(float(raid.end_time_s[e] - raid.release_time_s[e]), 3),
            "end_east_m": round(float(end[0]), 1),
            "end_north_m": round(float(end[1]), 1),
            "end_height_m": round(float(end[2]), 1),
            "end_distance_to_target_m": None if miss is None else round(miss, 1),
        })
    return rows
