"""The engine end to end: undefended raids land, out-of-range defences hold fire with the reason, replications
do not depend on their batch, and no fire unit ever exceeds its channels or missiles."""

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest
import yaml

from iadsim.engine.simulate import simulate
from iadsim.firecontrol.envelope import REASON_TEXT, TOO_FAR, UNREACHABLE
from iadsim.scenario import load_world, world_from_text

MINIMAL = yaml.safe_load((Path(__file__).parents[1] / "data" / "minimal.yaml").read_text())


def world_of(data: dict):
    return world_from_text(yaml.safe_dump(data), "test.yaml")


def test_undefended_raid_reaches_its_targets_within_flight_time():
    data = {**MINIMAL, "radars": [], "fire_units": [], "interceptor_types": []}
    data["aircraft"] = [{**MINIMAL["aircraft"][0], "releases": [
        {"weapon_type": "missile", "target": "depot", "time_s": 10, "count": 3, "interval_s": 5}]}]
    world = world_of(data)
    outcome = simulate(world, seed=1)
    fates = outcome.fates.to_pylist()
    assert len(fates) == 3 and {f["fate"] for f in fates} == {"leaked"}
    assert {f["engagement"] for f in fates} == {"not detected"}
    for f in fates:
        flight = world.raid.end_time_s[f["threat"]] - world.raid.release_time_s[f["threat"]]
        assert f["end_time_s"] - f["release_time_s"] == pytest.approx(flight)
    assert outcome.shots.num_rows == 0


def test_defence_out_of_range_holds_fire_and_says_why():
    data = dict(MINIMAL)
    far = {"lat_deg": 35.5, "lon_deg": 37.5}  # ~140 km from the depot: the raid never enters the envelope
    data["fire_units"] = [{**MINIMAL["fire_units"][0], "position": far}]
    data["radars"] = [{**MINIMAL["radars"][0], "position": far, "reference": {"range_m": 300000, "rcs_m2": 1, "pd": 0.9},
                       "max_range_m": 300000}]
    outcome = simulate(world_of(data), seed=2)
    assert outcome.shots.num_rows == 0
    for fate in outcome.fates.to_pylist():
        assert fate["engagement"] == "detected not engaged", fate
        assert fate["reason"].startswith((REASON_TEXT[TOO_FAR], REASON_TEXT[UNREACHABLE])), fate
        assert fate["reason"].startswith("outside envelope"), fate


@pytest.fixture(scope="module")
def homs_batch():
    return simulate("homs-2021", seed=7, replications=64, record=False)


def test_replication_of_a_batch_equals_the_replication_alone(homs_batch):
    for k in (0, 37, 63):
        alone = simulate("homs-2021", seed=7, replications=1, first_replication=k, record=False)
        for name in ("fates", "shots", "resources"):
            batch_rows = homs_batch.replication(k).__getattribute__(name).to_pylist()
            alone_rows = alone.__getattribute__(name).to_pylist()
            assert _nan_equal(batch_rows, alone_rows), name


def _nan_equal(a, b):
    def norm(rows):
        return [{k: ("nan" if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()} for row in rows]

    return norm(a) == norm(b)


def test_no_fire_unit_exceeds_its_channels_or_missiles(homs_batch):
    world = load_world("homs-2021")
    unit = world.fire_units
    shots = homs_batch.shots.to_pylist()
    for k in range(homs_batch.replications):
        mine = [s for s in shots if s["replication"] == k]
        assert len(mine) <= unit.ready_missiles[0] + unit.reloads[0]
        # engagements in the air at any instant: distinct tracks with an interceptor flying
        for t in np.arange(0, 900, 0.5):
            flying = {s["track_id"] for s in mine if s["launch_time_s"] <= t < s["end_time_s"]}
            assert len(flying) <= unit.fire_channels[0]
    resources = homs_batch.resources.to_pylist()
    assert all(r["missiles_left"] >= 0 for r in resources)


def test_every_shot_has_a_result_and_every_threat_a_fate(homs_batch):
    assert pc.all(pc.is_valid(homs_batch.shots["result"])).as_py() is not False
    fates = homs_batch.fates
    assert fates.num_rows == 64 * 4
    assert set(fates["fate"].to_pylist()) <= {"intercepted", "leaked", "missed target", "in flight"}
    assert all(r for r, e in zip(fates["reason"].to_pylist(), fates["engagement"].to_pylist()) if e != "intercepted")
