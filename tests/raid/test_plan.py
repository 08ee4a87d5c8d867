"""The raid plan of built-in scenarios: releases happen from the aircraft, weapons land on their targets."""

import numpy as np

from iadsim import load_world
from iadsim.raid.plan import WEAPON


def test_homs_weapons_release_from_their_aircraft_and_hit_their_targets():
    world = load_world("homs-2021")
    raid = world.raid
    assert (raid.kind == WEAPON).sum() == 4
    for w in raid.weapons:
        carrier = raid.carrier[w]
        t = raid.release_time_s[w]
        pos, _, _, exists = raid.states([t])
        assert exists[carrier, 0] and exists[w, 0]
        np.testing.assert_allclose(pos[w, 0], pos[carrier, 0], atol=1e-6)
        np.testing.assert_allclose(raid.end_point_m[w], world.assets.position_m[raid.target_asset[w]], atol=1e-6)
    # the statement's window: launches between 01:11 and 01:19 local, t = 0 at 01:10
    assert 60 <= raid.release_time_s[raid.weapons].min() and raid.release_time_s[raid.weapons].max() <= 540


def test_releases_are_ordered_by_time():
    raid = load_world("aleppo-2021").raid
    times = raid.release_time_s[raid.weapons]
    assert np.all(np.diff(times) >= 0) and len(times) == 8
