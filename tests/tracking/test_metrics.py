"""GOSPA / OSPA properties and the continuity and confirmation-delay bookkeeping."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from iadsim.tracking import MeasurementBatch, ScanAssociation, TrackerConfig, TrackTable, update_tracks
from iadsim.tracking.metrics import (
    AssociationLog,
    gospa,
    ospa,
    position_rmse,
    table_gospa,
    time_to_confirmation,
    track_continuity,
)
from iadsim.tracking.synthetic import RadarSpec, cv_targets, rotating_radar_stream

C = 100.0
point_sets = arrays(np.float64, st.tuples(st.integers(0, 5), st.just(3)), elements=st.floats(-300, 300))


def test_gospa_is_zero_for_identical_sets():
    points = np.random.default_rng(0).normal(size=(6, 3)) * 1000
    assert gospa(points, points, C).distance == 0.0
    assert gospa(np.zeros((0, 3)), np.zeros((0, 3)), C).distance == 0.0


@pytest.mark.parametrize("p", [1.0, 2.0])
def test_gospa_missed_target_costs_c_to_the_p_over_two(p):
    truths = np.array([[0.0, 0, 0], [1000.0, 0, 0], [0.0, 5000, 0]])
    result = gospa(truths[:2], truths, C, p)
    assert result.distance**p == pytest.approx(C**p / 2)
    assert (result.missed, result.false, result.localisation, result.n_assigned) == (C**p / 2, 0.0, 0.0, 2)
    assert gospa(np.zeros((0, 3)), truths, C, p).distance ** p == pytest.approx(3 * C**p / 2)


def test_gospa_far_estimate_is_a_miss_plus_a_false_track_and_near_one_is_localisation():
    truth = np.zeros((1, 3))
    far = gospa(np.array([[500.0, 0, 0]]), truth, C)
    assert far.distance**2 == pytest.approx(C**2) and far.missed == far.false == C**2 / 2 and far.n_assigned == 0
    near = gospa(np.array([[30.0, 40.0, 0]]), truth, C)
    assert near.distance == pytest.approx(50.0) and near.localisation == pytest.approx(2500.0)


@settings(max_examples=60, deadline=None)
@given(x=point_sets, y=point_sets)
def test_gospa_and_ospa_are_symmetric_and_parts_add_up(x, y):
    forward, backward = gospa(x, y, C), gospa(y, x, C)
    assert forward.distance == pytest.approx(backward.distance, abs=1e-9)
    assert forward.missed == pytest.approx(backward.false) and forward.false == pytest.approx(backward.missed)
    assert forward.localisation + forward.missed + forward.false == pytest.approx(forward.distance**2, abs=1e-6)
    assert ospa(x, y, C) == pytest.approx(ospa(y, x, C), abs=1e-9)
    assert 0.0 <= ospa(x, y, C) <= C + 1e-9


@settings(max_examples=40, deadline=None)
@given(x=point_sets, y=point_sets, z=point_sets)
def test_gospa_triangle_inequality(x, y, z):
    assert gospa(x, z, C).distance <= gospa(x, y, C).distance + gospa(y, z, C).distance + 1e-6


def test_ospa_cardinality_penalty():
    truths = np.zeros((2, 3))
    assert ospa(truths[:1], truths, C) == pytest.approx(np.sqrt(C**2 / 2))
    assert ospa(np.zeros((0, 3)), truths, C) == C


def test_position_rmse():
    assert position_rmse([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0]], np.zeros((2, 3))) == pytest.approx(np.sqrt(12.5))


def _log_from(records):
    """records: list of scans, each a list of (t, truth, track, confirmed)."""
    log = AssociationLog(1)
    for scan in records:
        n = len(scan)
        t, truth, track, confirmed = (np.array([[row[k] for row in scan]]) for k in range(4))
        meas = MeasurementBatch(np.zeros((1, n, 3)), t, np.ones((1, n), bool), np.zeros(3), np.ones(3),
                                truth_id=truth)
        log.add(meas, ScanAssociation(track_id=track, started=np.zeros((1, n), bool), confirmed=confirmed.astype(bool)))
    return log


def test_continuity_counts_breaks_and_swaps():
    log = _log_from([
        [(0, 0, 10, True), (0.5, 1, 11, True)],
        [(1, 0, 10, True), (1.5, 1, 11, True)],
        [(2, 0, 11, True), (2.5, 1, 10, True)],  # the two tracks swap targets
        [(3, 0, 12, False), (3.5, -1, 10, True)],  # target 0 picked up by a new tentative track; a false alarm
        [(4, 0, 12, True)],  # … now confirmed: a break (track 12 never held another target)
    ])
    counts = track_continuity(log, 0)
    assert (counts.identity_swaps, counts.track_breaks, counts.false_alarm_updates) == (2, 1, 1)


def test_time_to_confirmation_from_first_detection():
    log = _log_from([[(1.0, 0, 5, False), (1.2, 1, 6, False)], [(3.0, 0, 5, True), (3.2, -1, 6, False)]])
    np.testing.assert_allclose(time_to_confirmation(log, 0, 3), [2.0, np.nan, np.nan])
    np.testing.assert_allclose(time_to_confirmation(log, 0, 3, first_detectable_s=[0.5, 0.0, 0.0]), [2.5, np.nan, np.nan])


def test_clean_stream_tracks_every_target_without_breaks():
    rng = np.random.default_rng(8)
    truth = cv_targets(rng, 2, 8)
    stream = rotating_radar_stream(rng, truth, RadarSpec(detection_probability=1.0, false_alarms_per_scan=0.0), 8)
    config = TrackerConfig(capacity=32)
    table = TrackTable.empty(config, 2)
    log = AssociationLog(2)
    for scan in stream.scans:
        log.add(scan, update_tracks(table, config, scan, 0))
    t_end = stream.scan_end_s[-1]
    for r, result in enumerate(table_gospa(table, stream.truth_positions(t_end), t_end, c=2000.0)):
        assert result.n_assigned == 8 and result.missed == result.false == 0.0
        assert track_continuity(log, r) == track_continuity(log, r).__class__(0, 0, 0)
        delay = time_to_confirmation(log, r, 8)
        np.testing.assert_allclose(delay, 4.0, atol=0.05)  # confirmed on the second look, one period later
