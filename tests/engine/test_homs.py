"""The homs-2021 raid through the whole engine: who is tracked when (against the 4/3-earth horizon), and what fire
control does with near-truth tracks (every missile whose intercept point enters the envelope is engaged)."""

import math

import numpy as np
import pytest
import yaml

from iadsim.earth.curvature import line_of_sight
from iadsim.engine.simulate import simulate
from iadsim.firecontrol.envelope import INSIDE, envelope_check, predicted_intercept
from iadsim.firecontrol.interceptors import flyout_tables
from iadsim.scenario import world_from_text
from iadsim.scenario.loader import read_scenario_text

HOMS = yaml.safe_load(read_scenario_text("homs-2021")[0])
STEP_S = 0.1


def _world(change=None):
    data = yaml.safe_load(yaml.safe_dump(HOMS))  # a deep copy
    if change:
        change(data)
    return world_from_text(yaml.safe_dump(data), "homs-variant.yaml")


def _low_level(data):
    """The same raid flown low: F-16s at 60 m, missiles cruising at 30 m, so they come over the battery radar's
    horizon (≈ 4.12 (√8 + √30) km ≈ 34 km) long after release."""
    for aircraft in data["aircraft"]:
        for point in aircraft["route"]:
            point["alt_m"] = 60
    data["weapon_types"][0]["cruise_altitude_m"] = 30


def _visible_from_s(world, e):
    """First time the battery radar can see weapon e (line of sight over the 4/3 earth, inside its range and
    elevation coverage), and for how long it is seen in all; sampled every STEP_S."""
    raid, radars = world.raid, world.radars
    antenna = radars.antenna_m[0]
    t = np.arange(raid.release_time_s[e], raid.end_time_s[e], STEP_S)
    position = raid.segments.states(t)[0][e]
    ground = np.hypot(position[:, 0] - antenna[0], position[:, 1] - antenna[1])
    height = position[:, 2] - antenna[2]
    slant = np.hypot(ground, height)
    elevation = np.arctan2(height, ground)
    seen = (line_of_sight(ground, antenna[2] - world.ground_m, position[:, 2] - world.ground_m, world.earth_k_factor)
            & (slant <= radars.max_range_m[0]) & (slant >= radars.min_range_m[0])
            & (elevation >= radars.min_elevation_rad[0]) & (elevation <= radars.max_elevation_rad[0]))
    return (float(t[np.argmax(seen)]) if seen.any() else math.inf), float(seen.sum() * STEP_S)


@pytest.mark.parametrize("variant", [None, _low_level], ids=["as-reported", "low-level"])
def test_every_missile_that_rises_above_the_radar_horizon_is_tracked_and_none_before(variant):
    world = _world(variant)
    scan_s = float(world.radars.scan_period_s[0])
    fates = simulate(world, seed=3, replications=4, record=False).fates.to_pylist()
    late_rises = 0
    for fate in fates:
        e = fate["threat"]
        visible_s, seen_for_s = _visible_from_s(world, e)
        late_rises += visible_s > world.raid.release_time_s[e] + 30.0
        tracked_s = fate["first_track_s"]
        if seen_for_s >= 6 * scan_s:  # long enough for 2-of-3 confirmation with margin
            assert tracked_s is not None and not math.isnan(tracked_s), fate
        if tracked_s is not None and not math.isnan(tracked_s):
            assert tracked_s >= visible_s - STEP_S, (fate, visible_s)
            assert fate["first_detection_s"] >= visible_s - STEP_S, (fate, visible_s)
    if variant is _low_level:
        assert late_rises == len(fates)  # the horizon really delays every missile in this variant


def _near_truth_radar(data):
    """The battery radar made near-perfect (Pd ≈ 1, metre/µrad noise, no false alarms): tracks ≈ truth."""
    data["radars"][0].update(reference={"range_m": 160000, "rcs_m2": 0.001, "pd": 0.99}, sigma_range_m=1.0,
                             sigma_azimuth_deg=0.001, sigma_elevation_deg=0.001, false_alarms_per_scan=0)


def _inside_envelope_s(world, table, e):
    """Total time weapon e's truth predicted intercept point lies inside the battery's envelope."""
    raid = world.raid
    t = np.arange(raid.release_time_s[e], raid.end_time_s[e], 0.5)
    position, velocity, _, _ = raid.segments.states(t)
    site = world.fire_units.position_m[0]
    pip, tof, _ = predicted_intercept(table, site, position[e], velocity[e])
    inside = envelope_check(site, pip, tof, np.linalg.norm(velocity[e], axis=1), world.envelopes, 0) == INSIDE
    return t, inside


def test_with_near_truth_tracks_the_battery_engages_every_missile_whose_intercept_point_enters_the_envelope():
    world = _world(_near_truth_radar)
    (table,) = flyout_tables(world.interceptors, world.envelopes, site_height_m=world.ground_m)
    units = world.fire_units
    outcome = simulate(world, seed=5, replications=4, record=True)
    fates, shots = outcome.fates.to_pylist(), outcome.shots.to_pylist()
    # confirmation (2 of 3 scans) and the reaction time must fit in the time the PIP is inside
    needed_s = 3 * world.radars.scan_period_s[0] + units.reaction_time_s[0] + 2 * world.cycle_s
    must_engage = 0
    for fate in fates:
        t, inside = _inside_envelope_s(world, table, fate["threat"])
        if inside.sum() * 0.5 >= needed_s:
            must_engage += 1
            assert fate["interceptors_fired"] >= 1, fate
        if fate["engagement"] != "intercepted":
            assert fate["reason"], fate  # why it was not engaged, or how the attempts ended
    assert must_engage == len(fates)  # in this raid every missile's intercept point enters the envelope
    site = units.position_m[0]
    for shot in shots:
        # fired only for an intercept point inside the envelope, as fire control predicted it from its track (a
        # track lagging a manoeuvre can still mislead it: the shot then says how it ended)
        pip = np.array([[shot["pip_east_m"], shot["pip_north_m"], shot["pip_height_m"]]])
        tof = shot["predicted_intercept_s"] - shot["launch_time_s"]
        assert envelope_check(site, pip, tof, 0.0, world.envelopes, 0)[0] == INSIDE, shot
        assert shot["result"], shot
        flown_s = shot["end_time_s"] - shot["launch_time_s"]  # no step is longer than the midcourse step
        assert shot["integration_steps"] >= flown_s / world.flyout_midcourse_step_s - 1e-6, shot
    for k in range(outcome.replications):
        mine = [s for s in shots if s["replication"] == k]
        assert len(mine) <= units.ready_missiles[0] + units.reloads[0]
        per_launcher = {}
        for s in mine:
            per_launcher[s["launcher"]] = per_launcher.get(s["launcher"], 0) + 1
        assert all(n <= 4 + units.reloads[0] for n in per_launcher.values())
        for t in np.arange(0.0, world.duration_s, 0.5):
            engaged = {s["track_id"] for s in mine if s["launch_time_s"] <= t < s["end_time_s"]}
            assert len(engaged) <= units.fire_channels[0]
    kinds = set(outcome.events["kind"].to_pylist())
    assert {"assignment", "launch", "track confirmed"} <= kinds


def _assessment_error(probability):
    def change(data):
        data["fire_units"][0]["kill_assessment"] = {"delay_s": 3, "error_probability": probability}

    return change


@pytest.mark.parametrize("probability", [0.0, 0.9999])
def test_kill_assessment_decides_re_engagement(probability):
    """Shoot-look-shoot re-engages a track only when it is judged not killed. Never wrong: only missed tracks are
    shot at again. (Almost) always wrong: only killed ones are — their tracks coast a few scans, and the battery
    fires at the ghost — while a miss is judged a kill and its missile left alone."""
    outcome = simulate(_world(_assessment_error(probability)), seed=2, replications=8, record=True)
    first_result, again = {}, []
    for shot in sorted(outcome.shots.to_pylist(), key=lambda s: s["launch_time_s"]):
        key = (shot["replication"], shot["track_id"])
        if key in first_result:
            again.append(first_result[key])
        else:
            first_result[key] = shot["result"]
    verdicts = [e["detail"] for e in outcome.events.to_pylist() if e["kind"] == "kill assessment"]
    assert again and verdicts
    if probability > 0.5:
        assert all(result == "kill" for result in again)
        assert all("(wrongly)" in v for v in verdicts)
    else:
        assert all(result != "kill" for result in again)
        assert not any("(wrongly)" in v for v in verdicts)
