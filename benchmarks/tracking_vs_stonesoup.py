"""iadsim's multi-target tracker against Stone Soup's on one measurement stream: time per scan and mean GOSPA.

Scenario (per target count): constant-velocity targets (100–300 m/s, level, 1–10 km altitude) starting uniformly
in a 100 km × 100 km square centred 100 km north of a rotating radar (period 4 s, σ = 50 m, 2 mrad, 2 mrad,
Pd 0.95, Poisson 5 false alarms per scan uniform over 10–250 km × 360° × 0–0.3 rad). Each measurement carries its
own time (the antenna's azimuth), so both trackers predict every track to every candidate measurement's time.

Both trackers: the same EKF on polar measurements with a CV model (CWNA, q̃ = 1 m²/s³; Stone Soup's
``ConstantVelocity``), the same 99.9 % χ² gate, GNN by 2-D assignment with Mahalanobis-distance cost and a missed
cost of √γ, single-point initiation (velocity 0, σ = 1000/√3 m/s per axis), 2-of-3 confirmation (M hits within the
first N looks; Stone Soup: ``MultiMeasurementInitiator`` with an M-of-N deleter for its holding tracks), deletion
after 3 consecutive misses or a position-covariance trace above (10 km)². iadsim runs with R = 1.

GOSPA (c = 1 km, p = 2, α = 2) between confirmed tracks predicted to each scan's end and the truth then, averaged
over scans. Prints figures only:  PYTHONPATH=src python benchmarks/tracking_vs_stonesoup.py [--scans 20]
"""

from __future__ import annotations

import argparse
import datetime
import math
import time

import numpy as np

from iadsim.tracking import TrackerConfig, TrackTable, update_tracks
from iadsim.tracking.metrics import gospa, table_gospa
from iadsim.tracking.synthetic import RadarSpec, cv_targets, rotating_radar_stream

GOSPA_C_M = 1000.0
NOISE_PSD_M2PS3 = 1.0
RADAR = RadarSpec(position_m=(0.0, 0.0, 0.0), sigmas=(50.0, 2e-3, 2e-3), scan_period_s=4.0,
                  detection_probability=0.95, false_alarms_per_scan=5.0)


def tracker_config(capacity: int) -> TrackerConfig:
    return TrackerConfig.constant_velocity(
        NOISE_PSD_M2PS3, capacity=capacity, process_noise_model="cwna", assignment_cost="mahalanobis",
        gate_probability=0.999, confirm_hits=2, confirm_looks=3, delete_after_missed_looks=3,
        max_position_variance_m2=1.0e8, initiation_max_speed_mps=1000.0,
    )


def run_iadsim(stream, n_targets: int) -> tuple[float, float]:
    config = tracker_config(capacity=max(64, 2 * n_targets + 40))
    table = TrackTable.empty(config, 1)
    elapsed, distances = 0.0, []
    for scan, t_end in zip(stream.scans, stream.scan_end_s):
        start = time.perf_counter()
        update_tracks(table, config, scan, 0)
        elapsed += time.perf_counter() - start
        distances.append(table_gospa(table, stream.truth_positions(t_end), t_end, GOSPA_C_M)[0].distance)
    return 1e3 * elapsed / len(stream.scans), float(np.mean(distances))


def run_stonesoup(stream, n_targets: int) -> tuple[float, float]:
    from stonesoup.base import Property
    from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
    from stonesoup.deleter.base import Deleter
    from stonesoup.deleter.error import CovarianceBasedDeleter
    from stonesoup.deleter.multi import CompositeDeleter
    from stonesoup.deleter.time import UpdateTimeStepsDeleter
    from stonesoup.hypothesiser.distance import DistanceHypothesiser
    from stonesoup.initiator.simple import MultiMeasurementInitiator
    from stonesoup.measures import Mahalanobis
    from stonesoup.models.measurement.nonlinear import CartesianToElevationBearingRange
    from stonesoup.models.transition.linear import CombinedLinearGaussianTransitionModel, ConstantVelocity
    from stonesoup.predictor.kalman import KalmanPredictor
    from stonesoup.tracker.simple import MultiTargetTracker
    from stonesoup.types.angle import Bearing, Elevation
    from stonesoup.types.detection import Detection
    from stonesoup.types.state import GaussianState, StateVector
    from stonesoup.types.update import Update
    from stonesoup.updater.kalman import ExtendedKalmanUpdater

    class MOfNTentativeDeleter(Deleter):
        """Deletes a holding track once M hits within its first N looks have become impossible."""

        hits_m: int = Property(doc="M")
        looks_n: int = Property(doc="N")

        def check_for_deletion(self, track, **kwargs):
            hits = sum(1 for state in track if isinstance(state, Update))
            return hits + (self.looks_n - len(track)) < self.hits_m

    config = tracker_config(capacity=1)
    sigma_range, sigma_azimuth, sigma_elevation = RADAR.sigmas
    measurement_model = CartesianToElevationBearingRange(
        ndim_state=6, mapping=(0, 2, 4), noise_covar=np.diag([sigma_elevation**2, sigma_azimuth**2, sigma_range**2]),
        translation_offset=StateVector(list(RADAR.position_m)),
    )
    transition_model = CombinedLinearGaussianTransitionModel([ConstantVelocity(NOISE_PSD_M2PS3)] * 3)
    predictor = KalmanPredictor(transition_model)
    updater = ExtendedKalmanUpdater(measurement_model)
    hypothesiser = DistanceHypothesiser(predictor, updater, Mahalanobis(), missed_distance=math.sqrt(config.gate_threshold))
    velocity_variance = (config.initiation_max_speed_mps / math.sqrt(3.0)) ** 2
    initiator = MultiMeasurementInitiator(
        prior_state=GaussianState(np.zeros((6, 1)), np.diag([0, velocity_variance] * 3)),
        deleter=MOfNTentativeDeleter(hits_m=config.confirm_hits, looks_n=config.confirm_looks),
        data_associator=GNNWith2DAssignment(hypothesiser), updater=updater, measurement_model=measurement_model,
        min_points=config.confirm_hits,
    )
    deleter = CompositeDeleter(
        [UpdateTimeStepsDeleter(config.delete_after_missed_looks),
         CovarianceBasedDeleter(covar_trace_thresh=config.max_position_variance_m2, mapping=[0, 2, 4])],
        intersect=False,
    )
    epoch = datetime.datetime(2025, 1, 1)

    def stamp(t_s):
        return epoch + datetime.timedelta(seconds=float(t_s))

    scans = []
    for scan, t_end in zip(stream.scans, stream.scan_end_s):
        detections = set()
        for (range_m, azimuth, elevation), t_s in zip(scan.polar[0][scan.valid[0]], scan.t_s[0][scan.valid[0]]):
            bearing = math.pi / 2 - azimuth  # Stone Soup: counter-clockwise from east; iadsim: clockwise from north
            detections.add(Detection(StateVector([Elevation(elevation), Bearing(bearing), range_m]),
                                     timestamp=stamp(t_s), measurement_model=measurement_model))
        scans.append((stamp(t_end), detections))
    tracker = MultiTargetTracker(
        initiator=initiator, deleter=deleter, detector=scans, data_associator=GNNWith2DAssignment(hypothesiser),
        updater=updater,
    )
    elapsed, distances = 0.0, []
    tracker_steps = iter(tracker)
    for t_end in stream.scan_end_s:
        start = time.perf_counter()
        _, tracks = next(tracker_steps)
        elapsed += time.perf_counter() - start
        positions = [
            np.asarray(track.state_vector, dtype=float)[[0, 2, 4], 0]
            + (t_end - (track.timestamp - epoch).total_seconds()) * np.asarray(track.state_vector, dtype=float)[[1, 3, 5], 0]
            for track in tracks
        ]
        distances.append(gospa(np.reshape(positions, (-1, 3)), stream.truth_positions(t_end)[0], GOSPA_C_M).distance)
    return 1e3 * elapsed / len(stream.scans), float(np.mean(distances))


def warm_numba() -> None:
    rng = np.random.default_rng(0)
    stream = rotating_radar_stream(rng, cv_targets(rng, 1, 3), RADAR, 2)
    run_iadsim(stream, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--scans", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-stonesoup", action="store_true", help="run iadsim alone")
    args = parser.parse_args()
    stonesoup_version = None
    if not args.no_stonesoup:
        try:
            import stonesoup

            stonesoup_version = stonesoup.__version__
        except ImportError as error:
            print(f"Stone Soup is not importable ({error}); running iadsim alone.")
    warm_numba()
    print(f"{args.scans} scans of {RADAR.scan_period_s:g} s; GOSPA c = {GOSPA_C_M:g} m, p = 2, α = 2; "
          f"Stone Soup {stonesoup_version or '—'}")
    header = f"{'targets':>7} | {'iadsim ms/scan':>14} | {'Stone Soup ms/scan':>18} | {'speed-up':>8} | " \
             f"{'GOSPA iadsim m':>14} | {'GOSPA Stone Soup m':>18} | {'GOSPA diff':>10}"
    print(header)
    print("-" * len(header))
    for n_targets in args.targets:
        rng = np.random.default_rng([args.seed, n_targets])
        stream = rotating_radar_stream(rng, cv_targets(rng, 1, n_targets), RADAR, args.scans)
        iadsim_ms, iadsim_gospa = run_iadsim(stream, n_targets)
        if stonesoup_version is None:
            print(f"{n_targets:>7} | {iadsim_ms:>14.3f} | {'—':>18} | {'—':>8} | {iadsim_gospa:>14.1f} | {'—':>18} | {'—':>10}")
            continue
        stonesoup_ms, stonesoup_gospa = run_stonesoup(stream, n_targets)
        print(f"{n_targets:>7} | {iadsim_ms:>14.3f} | {stonesoup_ms:>18.1f} | {stonesoup_ms / iadsim_ms:>7.0f}× | "
              f"{iadsim_gospa:>14.1f} | {stonesoup_gospa:>18.1f} | {100 * (iadsim_gospa / stonesoup_gospa - 1):>+9.1f}%",
              flush=True)


if __name__ == "__main__":
    main()
