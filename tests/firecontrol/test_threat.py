"""Threat evaluation: aimed tracks are threats, sooner and more valuable ranks higher, others are not."""

import numpy as np

from iadsim.firecontrol.threat import evaluate_threats

ASSETS = np.array([[0.0, 0.0, 0.0], [20_000.0, 0.0, 0.0]])
VALUE = np.array([1.0, 3.0])
RADIUS = np.array([50.0, 50.0])


def evaluate(positions, velocities, usable=None):
    p = np.array(positions, dtype=float)[None]
    v = np.array(velocities, dtype=float)[None]
    usable = np.ones(p.shape[:2], bool) if usable is None else np.array(usable)[None]
    return [x[0] for x in evaluate_threats(p, v, usable, ASSETS, VALUE, RADIUS)]


def test_aimed_track_threatens_its_asset_with_time_to_go():
    score, asset, tgo = evaluate([[0, -30_000, 100]], [[0, 300, 0]])  # from the south, at asset 0 only
    assert asset[0] == 0 and np.isclose(tgo[0], 100.0) and np.isclose(score[0], 1.0 / (1 + 100 / 60))


def test_receding_slow_and_wide_tracks_are_not_threats():
    score, asset, tgo = evaluate([[-30_000, 0, 100], [-30_000, 0, 100], [-30_000, 10_000, 100], [-30_000, 0, 100]],
                                 [[-300, 0, 0], [10, 0, 0], [300, 0, 0], [300, 0, 0]], usable=[True, True, True, False])
    assert np.all(score == 0) and np.all(asset == -1) and np.all(np.isinf(tgo))


def test_more_valuable_asset_wins_at_equal_time_and_sooner_wins_at_equal_value():
    # one track passes over both assets: asset 0 after 100 s (value 1), asset 1 after 166.7 s (value 3)
    score, asset, _ = evaluate([[-30_000, 0, 100]], [[300, 0, 0]])
    assert asset[0] == 1  # 3/(1+166.7/60) = 0.79 > 1/(1+100/60) = 0.375
    near, _, _ = evaluate([[-3_000, 0, 100]], [[300, 0, 0]])
    far, _, _ = evaluate([[-30_000, 0, 100]], [[300, 0, 0]])
    assert near[0] > far[0]
