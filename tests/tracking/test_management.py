"""update_tracks / predict_to: kernel against the NumPy reference, and the management rules one by one."""

import numpy as np
import pytest

from iadsim.errors import ScenarioError
from iadsim.tracking import (
    CONFIRMED,
    DELETED,
    TENTATIVE,
    MeasurementBatch,
    TrackerConfig,
    TrackTable,
    holding_radars_bitmask,
    predict_kinematics,
    predict_to,
    update_tracks,
)
from iadsim.tracking import reference as ref
from iadsim.tracking.filters import polar_from_enu
from iadsim.tracking.synthetic import RadarSpec, cv_targets, rotating_radar_stream

SIGMAS = np.array([30.0, 1e-3, 1e-3])
START = np.array([10_000.0, 60_000.0, 5_000.0])
VELOCITY = np.array([200.0, -50.0, 0.0])


def _truth(t_s):
    return START + t_s * VELOCITY


def _batch(times_s, radar=np.zeros(3), scan_time_s=None, n_replications=1, max_range_m=np.inf):
    """Noise-free measurements of the single test target at the given times (empty list = a scan with no hit)."""
    times_s = list(times_s)
    width = max(1, len(times_s))
    polar = np.zeros((n_replications, width, 3))
    t = np.zeros((n_replications, width))
    valid = np.zeros((n_replications, width), bool)
    for k, time_s in enumerate(times_s):
        polar[:, k] = polar_from_enu(_truth(time_s) - radar)
        t[:, k] = time_s
        valid[:, k] = True
    scan_time_s = scan_time_s if scan_time_s is not None else (max(times_s) if times_s else 0.0)
    return MeasurementBatch(polar, t, valid, radar, SIGMAS, scan_time_s=scan_time_s, max_range_m=max_range_m)


def _run(config, pattern, period_s=2.0):
    """Feed one look per scan; pattern[k] True = detected. Returns the table and the status after each look."""
    table = TrackTable.empty(config, 1)
    statuses = []
    for k, hit in enumerate(pattern):
        t = k * period_s
        update_tracks(table, config, _batch([t] if hit else [], scan_time_s=t), 0)
        statuses.append(int(table.status[0, 0]))
    return table, statuses


def test_two_of_three_confirms_on_second_hit():
    table, statuses = _run(TrackerConfig(), [True, False, True])
    assert statuses == [TENTATIVE, TENTATIVE, CONFIRMED]
    assert table.confirmation_time_s[0, 0] == 4.0
    assert table.hit_history[0, 0] == 0b101
    assert table.look_count[0, 0] == 3 and table.hit_count[0, 0] == 2 and table.update_count[0, 0] == 2


def test_tentative_deleted_when_m_of_n_impossible():
    _, statuses = _run(TrackerConfig(), [True, False, False])
    assert statuses == [TENTATIVE, TENTATIVE, DELETED]
    _, statuses = _run(TrackerConfig(confirm_hits=3, confirm_looks=5), [True, False, True, False, True])
    assert statuses == [TENTATIVE] * 4 + [CONFIRMED]


def test_confirmed_deleted_after_k_consecutive_misses_only():
    _, statuses = _run(TrackerConfig(), [True, True, False, False, True, False, False, False])
    assert statuses == [TENTATIVE, CONFIRMED, CONFIRMED, CONFIRMED, CONFIRMED, CONFIRMED, CONFIRMED, DELETED]


def test_confirmed_deleted_when_position_covariance_grows_too_large():
    config = TrackerConfig(max_position_variance_m2=3 * 400.0**2, delete_after_missed_looks=10)
    _, statuses = _run(config, [True, True, True, True, False, False, False, False])
    assert statuses[3] == CONFIRMED
    assert DELETED in statuses[4:]


def test_single_hit_confirmation_when_m_is_one():
    table, statuses = _run(TrackerConfig(confirm_hits=1, confirm_looks=1), [True])
    assert statuses == [CONFIRMED] and table.confirmation_time_s[0, 0] == 0.0


def test_deleted_slot_is_reused_with_a_new_id():
    table, _ = _run(TrackerConfig(), [True, False, False, True])
    assert table.status[0, 0] == TENTATIVE and table.track_id[0, 0] == 1 and table.next_track_id[0] == 2


def test_capacity_overflow_is_counted():
    config = TrackerConfig(capacity=2)
    table = TrackTable.empty(config, 1)
    polar = np.array([[[50e3, 0.1, 0.02], [60e3, 1.0, 0.02], [70e3, 2.0, 0.02]]])
    update_tracks(table, config, MeasurementBatch(polar, np.zeros((1, 3)), np.ones((1, 3), bool), np.zeros(3), SIGMAS), 0)
    assert (table.status[0] == TENTATIVE).all() and table.dropped_initiations[0] == 1


def test_two_radars_feed_one_track_and_are_recorded():
    radar_a, radar_b = np.zeros(3), np.array([30_000.0, 0.0, 0.0])
    config = TrackerConfig(n_radars=2)
    table = TrackTable.empty(config, 1)
    for k in range(6):
        t = 1.0 * k
        radar_index = k % 2
        assoc = update_tracks(table, config, _batch([t], radar=(radar_a, radar_b)[radar_index]), radar_index)
        assert assoc.track_id[0, 0] == 0
    assert table.status[0, 0] == CONFIRMED and table.next_track_id[0] == 1
    np.testing.assert_allclose(table.radar_last_update_s[0, 0], [4.0, 5.0])
    assert holding_radars_bitmask(table, 5.0, 1.5)[0, 0] == 0b11
    assert holding_radars_bitmask(table, 5.0, 0.5)[0, 0] == 0b10
    np.testing.assert_allclose(table.state[0, 0, :3], _truth(5.0), atol=1.0)


def test_scans_of_a_radar_that_cannot_see_the_track_are_not_missed_looks():
    config = TrackerConfig(n_radars=2)
    table = TrackTable.empty(config, 1)
    far_radar = np.array([0.0, 500_000.0, 0.0])
    for k in range(8):
        if k % 2 == 0:
            update_tracks(table, config, _batch([float(k)]), 0)
        else:
            update_tracks(table, config, _batch([], radar=far_radar, scan_time_s=float(k), max_range_m=200e3), 1)
    assert table.status[0, 0] == CONFIRMED and table.consecutive_misses[0, 0] == 0 and table.look_count[0, 0] == 4


def test_slices_of_a_revolution_that_the_beam_did_not_sweep_are_not_missed_looks():
    """A rotating radar fed in eighths of its revolution: only the slice holding the target counts a look."""
    config = TrackerConfig()
    table = TrackTable.empty(config, 1)
    target_azimuth_rad = np.arctan2(START[0], START[1])  # ~9.5°: inside the first slice [0°, 45°)
    slice_rad = 2 * np.pi / 8
    for revolution in range(3):
        for k in range(8):
            t = revolution * 8.0 + k
            hit = k == 0 and revolution != 1  # the target is missed on the second revolution only
            batch = _batch([t] if hit else [], scan_time_s=t)
            batch.sector_start_rad[:] = k * slice_rad
            batch.sector_width_rad = slice_rad
            update_tracks(table, config, batch, 0)
        assert 0 <= target_azimuth_rad < slice_rad
    assert table.look_count[0, 0] == 3 and table.hit_count[0, 0] == 2
    assert table.status[0, 0] == CONFIRMED


def test_measurement_order_within_a_scan_uses_each_measurement_time():
    """A rotating radar: two targets seen 3 s apart in one scan both associate to their own tracks."""
    config = TrackerConfig()
    table = TrackTable.empty(config, 1)
    other_start = START + np.array([3_000.0, 0.0, 0.0])
    for k in range(4):
        t0 = 4.0 * k
        polar = np.array([[polar_from_enu(_truth(t0)), polar_from_enu(other_start + (t0 + 3.0) * VELOCITY)]])
        assoc = update_tracks(table, config, MeasurementBatch(polar, [[t0, t0 + 3.0]], [[True, True]], np.zeros(3), SIGMAS), 0)
    assert assoc.track_id.tolist() == [[0, 1]] and assoc.confirmed.all()


def test_config_errors_are_located():
    with pytest.raises(ScenarioError, match="confirm_hits"):
        TrackerConfig(confirm_hits=4, confirm_looks=3)
    with pytest.raises(ScenarioError, match="mode_transition"):
        TrackerConfig(mode_transition=((0.5, 0.6), (0.1, 0.9)))


@pytest.mark.parametrize(
    "config",
    [
        TrackerConfig(capacity=48, n_radars=2),
        TrackerConfig.constant_velocity(4.0, capacity=48, n_radars=2, process_noise_model="cwna",
                                        assignment_cost="mahalanobis"),
    ],
    ids=["imm-dwna", "cv-cwna"],
)
def test_kernel_matches_numpy_reference_on_a_cluttered_two_radar_stream(config):
    rng = np.random.default_rng(11)
    truth = cv_targets(rng, 3, 12, half_width_m=15_000.0)
    radar_a = RadarSpec(false_alarms_per_scan=8.0, scan_period_s=4.0, max_range_m=160e3)
    radar_b = RadarSpec(position_m=(20_000.0, 40_000.0, 0.0), sigmas=(80.0, 3e-3, 3e-3), scan_period_s=4.0,
                        false_alarms_per_scan=8.0, max_range_m=160e3)
    scans_a = rotating_radar_stream(rng, truth, radar_a, 5).scans
    scans_b = rotating_radar_stream(rng, truth, radar_b, 5, t0_s=2.0).scans
    table = TrackTable.empty(config, 3)
    expected = table.copy()
    for scan_a, scan_b in zip(scans_a, scans_b):
        for radar_index, scan in ((0, scan_a), (1, scan_b)):
            got = update_tracks(table, config, scan, radar_index)
            want = ref.update_tracks(expected, config, scan, radar_index)
            np.testing.assert_array_equal(got.track_id, want.track_id)
            np.testing.assert_array_equal(got.started, want.started)
            np.testing.assert_array_equal(got.confirmed, want.confirmed)
    for name in ("status", "track_id", "look_count", "hit_count", "hit_history", "consecutive_misses", "update_count",
                 "next_track_id", "dropped_initiations"):
        np.testing.assert_array_equal(getattr(table, name), getattr(expected, name), err_msg=name)
    live = table.live
    assert live.sum() > 20 and table.confirmed.sum() >= 30
    for name in ("state", "covariance", "mode_probability", "t_s", "radar_last_update_s", "confirmation_time_s"):
        np.testing.assert_allclose(getattr(table, name)[live], getattr(expected, name)[live], rtol=1e-6, atol=1e-4,
                                   err_msg=name)
    got_state, got_cov = predict_to(table, 25.0)
    want_state, want_cov = ref.predict_to(expected, 25.0)
    np.testing.assert_allclose(got_state[live], want_state[live], rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(got_cov[live], want_cov[live], rtol=1e-6, atol=1e-3)
    assert np.isnan(got_state[~live]).all()
    position, velocity = predict_kinematics(table, 25.0)  # fire control's prediction: predict_to's mean, no covariance
    np.testing.assert_array_equal(position, got_state[..., :3])
    np.testing.assert_array_equal(velocity, got_state[..., 3:])


def test_truth_ids_do_not_change_the_tracks():
    rng = np.random.default_rng(2)
    stream = rotating_radar_stream(rng, cv_targets(rng, 2, 5), RadarSpec(), 4)
    config = TrackerConfig(capacity=32)
    with_ids, without_ids = TrackTable.empty(config, 2), TrackTable.empty(config, 2)
    for scan in stream.scans:
        update_tracks(with_ids, config, scan, 0)
        scan.truth_id = None
        update_tracks(without_ids, config, scan, 0)
    np.testing.assert_array_equal(with_ids.state, without_ids.state)


def test_incompatible_config_or_radar_index_is_refused():
    table = TrackTable.empty(TrackerConfig(capacity=8), 1)
    with pytest.raises(ValueError, match="capacity"):
        update_tracks(table, TrackerConfig(capacity=16), _batch([0.0]), 0)
    with pytest.raises(ValueError, match="radar_index"):
        update_tracks(table, TrackerConfig(capacity=8), _batch([0.0]), 1)

