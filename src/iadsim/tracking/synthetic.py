"""Synthetic measurement streams for tests, validation and benchmarks: CV targets seen by a rotating radar.

Truth: constant-velocity targets. Radar: rotates clockwise from north with period ``scan_period_s``; a target at
azimuth a is seen at ``scan_start + a/(2π) · period`` with probability ``detection_probability``, its polar
position plus Gaussian noise. False alarms: Poisson number per scan, uniform in (range, azimuth, elevation) over
the coverage (uniform per resolution cell, as behind a CFAR detector), timed by their azimuth like targets.
This is a test harness, not the radar model of ``iadsim.sensors``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.tracking.table import MeasurementBatch

__all__ = ["RadarSpec", "SyntheticStream", "cv_targets", "rotating_radar_stream"]


@dataclass(frozen=True)
class RadarSpec:
    position_m: tuple[float, float, float] = (0.0, 0.0, 0.0)
    sigmas: tuple[float, float, float] = (50.0, 2e-3, 2e-3)  # σ_range_m, σ_azimuth_rad, σ_elevation_rad
    scan_period_s: float = 4.0
    detection_probability: float = 0.95
    false_alarms_per_scan: float = 5.0
    min_range_m: float = 10_000.0
    max_range_m: float = 250_000.0
    max_elevation_rad: float = 0.3


@dataclass
class SyntheticStream:
    scans: list[MeasurementBatch]
    truth_initial: np.ndarray  # (R, N, 6) at t = 0
    scan_end_s: np.ndarray  # (n_scans,)

    def truth_positions(self, t_s: float) -> np.ndarray:
        """(R, N, 3) truth positions at ``t_s``."""
        return self.truth_initial[..., :3] + t_s * self.truth_initial[..., 3:]


def cv_targets(
    rng: np.random.Generator,
    n_replications: int,
    n_targets: int,
    centre_m: tuple[float, float] = (0.0, 100_000.0),
    half_width_m: float = 50_000.0,
    altitude_m: tuple[float, float] = (1_000.0, 10_000.0),
    speed_mps: tuple[float, float] = (100.0, 300.0),
) -> np.ndarray:
    """(R, N, 6) initial states: uniform in a square around ``centre_m``, level flight, random heading."""
    shape = (n_replications, n_targets)
    heading = rng.uniform(0.0, 2.0 * np.pi, shape)
    speed = rng.uniform(*speed_mps, shape)
    return np.stack(
        [
            centre_m[0] + rng.uniform(-half_width_m, half_width_m, shape),
            centre_m[1] + rng.uniform(-half_width_m, half_width_m, shape),
            rng.uniform(*altitude_m, shape),
            speed * np.sin(heading),
            speed * np.cos(heading),
            np.zeros(shape),
        ],
        axis=-1,
    )


def _polar(relative: np.ndarray) -> np.ndarray:
    horizontal = np.hypot(relative[..., 0], relative[..., 1])
    return np.stack(
        [
            np.linalg.norm(relative, axis=-1),
            np.mod(np.arctan2(relative[..., 0], relative[..., 1]), 2.0 * np.pi),
            np.arctan2(relative[..., 2], horizontal),
        ],
        axis=-1,
    )


def rotating_radar_stream(
    rng: np.random.Generator, truth_initial: np.ndarray, radar: RadarSpec, n_scans: int, t0_s: float = 0.0
) -> SyntheticStream:
    """One MeasurementBatch per scan (measurements sorted by time, padded across replications)."""
    n_replications, n_targets = truth_initial.shape[:2]
    position = np.asarray(radar.position_m, dtype=float)
    sigmas = np.asarray(radar.sigmas, dtype=float)
    period = radar.scan_period_s
    scans, scan_end = [], []
    for k in range(n_scans):
        start = t0_s + k * period
        # Azimuth at scan start fixes the look time; one fixed-point pass corrects for motion during the scan.
        look = start + _polar(truth_initial[..., :3] + start * truth_initial[..., 3:] - position)[..., 1] / (2 * np.pi) * period
        look = start + _polar(truth_initial[..., :3] + look[..., None] * truth_initial[..., 3:] - position)[..., 1] / (
            2 * np.pi
        ) * period
        true_polar = _polar(truth_initial[..., :3] + look[..., None] * truth_initial[..., 3:] - position)
        detected = rng.random((n_replications, n_targets)) < radar.detection_probability
        detected &= (true_polar[..., 0] >= radar.min_range_m) & (true_polar[..., 0] <= radar.max_range_m)
        measured = true_polar + rng.normal(size=true_polar.shape) * sigmas
        n_false = rng.poisson(radar.false_alarms_per_scan, n_replications)
        rows = []
        for r in range(n_replications):
            clutter_azimuth = rng.uniform(0.0, 2.0 * np.pi, n_false[r])
            clutter = np.stack(
                [
                    rng.uniform(radar.min_range_m, radar.max_range_m, n_false[r]),
                    clutter_azimuth,
                    rng.uniform(0.0, radar.max_elevation_rad, n_false[r]),
                ],
                axis=-1,
            )
            z = np.concatenate([measured[r][detected[r]], clutter])
            t = np.concatenate([look[r][detected[r]], start + clutter_azimuth / (2 * np.pi) * period])
            ids = np.concatenate([np.flatnonzero(detected[r]), np.full(n_false[r], -1)])
            order = np.argsort(t, kind="stable")
            rows.append((z[order], t[order], ids[order]))
        width = max(1, max(len(row[1]) for row in rows))
        polar = np.zeros((n_replications, width, 3))
        times = np.zeros((n_replications, width))
        valid = np.zeros((n_replications, width), dtype=bool)
        truth_id = np.full((n_replications, width), -1, dtype=np.int64)
        for r, (z, t, ids) in enumerate(rows):
            polar[r, : len(t)], times[r, : len(t)], valid[r, : len(t)], truth_id[r, : len(t)] = z, t, True, ids
        measured_azimuth = polar[..., 1]
        polar[..., 1] = np.where(measured_azimuth > np.pi, measured_azimuth - 2 * np.pi, measured_azimuth)
        scans.append(
            MeasurementBatch(
                polar=polar, t_s=times, valid=valid, radar_position_m=position, sigmas=sigmas,
                scan_time_s=np.full(n_replications, start + period), max_range_m=radar.max_range_m, truth_id=truth_id,
            )
        )
        scan_end.append(start + period)
    return SyntheticStream(scans=scans, truth_initial=truth_initial, scan_end_s=np.asarray(scan_end))
