"""The rotating search radar: Pd at the reference point, looks once per revolution, false-alarm rate, horizon,
and replications independent of their batch."""

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from iadsim import rng
from iadsim.earth.terrain import GridTerrain
from iadsim.scenario import world_from_text
from iadsim.sensors.radar import build_radar_set, look

MINIMAL = yaml.safe_load((Path(__file__).parents[1] / "data" / "minimal.yaml").read_text())
SCAN_S = 5.0


def _world(radar_changes: dict):
    data = {**MINIMAL, "radars": [{**MINIMAL["radars"][0], **radar_changes}]}
    return world_from_text(yaml.safe_dump(data), "test.yaml")


def _missile(world):
    """Index of the released missile (the one entity that is not the aircraft) and a time it is in flight."""
    raid = world.raid
    e = int(raid.weapons[0])
    return e, float(raid.release_time_s[e] + 60.0)


def _revolution(world, radars, alive, keys, t_s, n_cycles=10, terrain=None):
    """One revolution [t, t + scan) in n_cycles slices; returns (detections per entity (R, E), looks (R, E),
    false alarms (R,))."""
    n_replications, n_entities = alive.shape
    detections = np.zeros((n_replications, n_entities), dtype=int)
    looks = np.zeros((n_replications, n_entities), dtype=int)
    false_alarms = np.zeros(n_replications, dtype=int)
    step = SCAN_S / n_cycles
    for c in range(n_cycles):
        result = look(radars, 0, world.raid.segments, world.raid.rcs_m2, alive, keys, c, t_s + c * step,
                      t_s + (c + 1) * step, terrain)
        batch = result.batch
        looks += result.visible
        for r in range(n_replications):
            truth = batch.truth_id[r, batch.valid[r]]
            np.add.at(detections[r], truth[truth >= 0], 1)
            false_alarms[r] += int((truth < 0).sum())
    return detections, looks, false_alarms


def test_a_target_at_the_reference_range_and_rcs_is_detected_with_the_reference_pd():
    probe = _world({})
    e, t = _missile(probe)
    pos, _, _, _ = probe.raid.segments.states(t)
    slant_m = float(np.linalg.norm(pos[e, 0] - probe.radars.antenna_m[0]))
    world = _world({"reference": {"range_m": slant_m, "rcs_m2": float(probe.raid.rcs_m2[e]), "pd": 0.5},
                    "max_range_m": 3 * slant_m})
    n = 4000
    alive = np.zeros((n, world.raid.n_entities), dtype=bool)
    alive[:, e] = True
    detections, looks, _ = _revolution(world, build_radar_set(world), alive, rng.replication_keys(5, 0, n), t)
    # one look per revolution; a target moving against the beam is passed twice in the few replications whose
    # beam meets it just at the start and again at the end of the revolution
    assert (looks[:, e] >= 1).all() and looks[:, e].mean() < 1.01
    pd = detections[:, e].sum() / looks[:, e].sum()
    # the target moves a few hundred metres during the revolution: Pd stays within ±0.02 of 0.5 (R⁻⁴)
    assert pd == pytest.approx(0.5, abs=0.02 + 3 * math.sqrt(0.25 / n))


def test_false_alarms_per_revolution_are_poisson_with_the_scenario_mean():
    world = _world({"false_alarms_per_scan": 3.0})
    n = 3000
    alive = np.zeros((n, world.raid.n_entities), dtype=bool)
    _, _, false_alarms = _revolution(world, build_radar_set(world), alive, rng.replication_keys(6, 0, n), 100.0)
    assert false_alarms.mean() == pytest.approx(3.0, abs=4 * math.sqrt(3.0 / n))
    assert false_alarms.var() == pytest.approx(3.0, rel=0.1)  # Poisson: variance = mean


def test_a_low_target_beyond_the_radar_horizon_is_never_seen():
    world = _world({"antenna_height_m": 5.0, "reference": {"range_m": 400000, "rcs_m2": 1, "pd": 0.9},
                    "max_range_m": 400000})
    radars = build_radar_set(world)
    raid = world.raid
    e, _ = _missile(world)
    alive = np.zeros((200, raid.n_entities), dtype=bool)
    alive[:, e] = True
    keys = rng.replication_keys(7, 0, 200)
    times = np.arange(raid.release_time_s[e] + 1.0, raid.end_time_s[e] - 1.0, 40.0)
    pos, _, _, _ = raid.segments.states(times)
    for t, p in zip(times, pos[e]):
        _, looks, _ = _revolution(world, radars, alive, keys, float(t), n_cycles=2)
        ground_m = float(np.hypot(*(p[:2] - radars.antenna_m[0, :2])))
        # 4/3-earth horizon, Skolnik (2.55): d_km = 4.12 (√h_radar + √h_target), heights in m
        horizon_m = 4120.0 * (math.sqrt(radars.antenna_agl_m[0]) + math.sqrt(max(p[2] - world.ground_m, 0.0)))
        if ground_m > 1.02 * horizon_m:
            assert looks[:, e].sum() == 0, (t, ground_m, horizon_m)
        elif ground_m < 0.98 * horizon_m:
            assert (looks[:, e] >= 1).all(), (t, ground_m, horizon_m)


def test_a_replication_sees_the_same_picture_in_any_batch():
    world = _world({"false_alarms_per_scan": 2.0})
    radars = build_radar_set(world)
    e, t = _missile(world)
    alive = np.ones((8, world.raid.n_entities), dtype=bool)
    batch = look(radars, 0, world.raid.segments, world.raid.rcs_m2, alive, rng.replication_keys(9, 0, 8), 3, t, t + 2.5)
    alone = look(radars, 0, world.raid.segments, world.raid.rcs_m2, alive[5:6], rng.replication_keys(9, 5, 1), 3, t,
                 t + 2.5)
    width = int(alone.batch.valid.sum())
    np.testing.assert_array_equal(batch.batch.polar[5, :width], alone.batch.polar[0, :width])
    np.testing.assert_array_equal(batch.batch.truth_id[5, :width], alone.batch.truth_id[0, :width])
    assert batch.batch.sector_start_rad[5] == alone.batch.sector_start_rad[0]


def test_a_ridge_between_radar_and_target_hides_it():
    world = _world({"reference": {"range_m": 400000, "rcs_m2": 1, "pd": 0.99}, "max_range_m": 400000})
    radars = build_radar_set(world)
    e, t = _missile(world)
    target = world.raid.segments.states(t)[0][e, 0]
    antenna = radars.antenna_m[0]
    alive = np.zeros((50, world.raid.n_entities), dtype=bool)
    alive[:, e] = True
    keys = rng.replication_keys(11, 0, 50)
    detections, looks, _ = _revolution(world, radars, alive, keys, t)
    assert (looks[:, e] >= 1).all() and detections[:, e].sum() > 40
    # a 2 km-wide ridge across the ray, halfway, twice as high as the higher end of it
    middle = 0.5 * (antenna[:2] + target[:2])
    axis = np.linspace(-200_000.0, 200_000.0, 801)
    east, north = np.meshgrid(axis, axis)
    along = np.abs((east - middle[0]) * (target[0] - antenna[0]) + (north - middle[1]) * (target[1] - antenna[1]))
    along /= np.hypot(*(target[:2] - antenna[:2]))  # distance from the ridge line, perpendicular to the ray
    ridge = GridTerrain(axis, axis, np.where(along < 1000.0, 2.0 * max(antenna[2], target[2]), world.ground_m))
    detections, looks, _ = _revolution(world, radars, alive, keys, t, terrain=ridge)
    assert looks[:, e].sum() == 0 and detections[:, e].sum() == 0
    hill = GridTerrain(axis, axis, np.where(along < 1000.0, world.ground_m + 1.0, world.ground_m))  # under the ray
    _, looks_over_hill, _ = _revolution(world, radars, alive, keys, t, terrain=hill)
    assert (looks_over_hill[:, e] >= 1).all()
