"""Batched data structures: the track table, one scan's measurements, and what the tracker did with them.

Leading axis R (replications) everywhere; T = ``config.capacity`` track slots per replication; M measurements per
scan (padded, with a ``valid`` mask). A slot holds one track from initiation to deletion; its ``track_id`` is unique
within the replication and never reused, so a consumer notices a reused slot by its changed id.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.tracking.config import TrackerConfig

FREE = 0  # slot never used
TENTATIVE = 1  # initiated, not yet M hits
CONFIRMED = 2  # M hits within the first N looks
DELETED = 3  # deleted; the slot may be reused by a new track

__all__ = [
    "CONFIRMED",
    "DELETED",
    "FREE",
    "TENTATIVE",
    "MeasurementBatch",
    "ScanAssociation",
    "TrackTable",
    "holding_radars_bitmask",
]


@dataclass
class TrackTable:
    """Every track of every replication, as arrays (R = replications, T = capacity, K = IMM modes).

    ``state``/``covariance`` are the combined (moment-matched) estimate at ``t_s``, the time of the track's last
    update; ``predict_to`` moves them to another time without changing the table. Per-mode estimates and mode
    probabilities are the IMM's own. ``hit_history`` is a bit per look, newest in bit 0 (1 = hit).
    ``radar_last_update_s[r, t, k]`` is when radar k last updated the track (NaN: never).
    ``dropped_initiations[r]`` counts measurements that could not start a track because the table was full.
    """

    config: TrackerConfig
    state: np.ndarray  # (R, T, 6) m, m/s
    covariance: np.ndarray  # (R, T, 6, 6)
    mode_state: np.ndarray  # (R, T, K, 6)
    mode_covariance: np.ndarray  # (R, T, K, 6, 6)
    mode_probability: np.ndarray  # (R, T, K)
    t_s: np.ndarray  # (R, T) time of last update, NaN for free slots
    status: np.ndarray  # (R, T) int8: FREE, TENTATIVE, CONFIRMED, DELETED
    track_id: np.ndarray  # (R, T) int64, -1 for free slots
    look_count: np.ndarray  # (R, T) int32 looks since initiation (the initiating measurement is look 1)
    hit_count: np.ndarray  # (R, T) int32
    hit_history: np.ndarray  # (R, T) uint64
    consecutive_misses: np.ndarray  # (R, T) int32
    update_count: np.ndarray  # (R, T) int32 measurements used, including the initiating one
    radar_last_update_s: np.ndarray  # (R, T, n_radars)
    initiation_time_s: np.ndarray  # (R, T)
    confirmation_time_s: np.ndarray  # (R, T), NaN until confirmed
    next_track_id: np.ndarray  # (R,) int64
    dropped_initiations: np.ndarray  # (R,) int64

    @classmethod
    def empty(cls, config: TrackerConfig, n_replications: int) -> TrackTable:
        r, t, k = int(n_replications), config.capacity, config.n_modes
        return cls(
            config=config,
            state=np.zeros((r, t, 6)),
            covariance=np.zeros((r, t, 6, 6)),
            mode_state=np.zeros((r, t, k, 6)),
            mode_covariance=np.zeros((r, t, k, 6, 6)),
            mode_probability=np.zeros((r, t, k)),
            t_s=np.full((r, t), np.nan),
            status=np.zeros((r, t), dtype=np.int8),
            track_id=np.full((r, t), -1, dtype=np.int64),
            look_count=np.zeros((r, t), dtype=np.int32),
            hit_count=np.zeros((r, t), dtype=np.int32),
            hit_history=np.zeros((r, t), dtype=np.uint64),
            consecutive_misses=np.zeros((r, t), dtype=np.int32),
            update_count=np.zeros((r, t), dtype=np.int32),
            radar_last_update_s=np.full((r, t, config.n_radars), np.nan),
            initiation_time_s=np.full((r, t), np.nan),
            confirmation_time_s=np.full((r, t), np.nan),
            next_track_id=np.zeros(r, dtype=np.int64),
            dropped_initiations=np.zeros(r, dtype=np.int64),
        )

    @property
    def n_replications(self) -> int:
        return self.status.shape[0]

    @property
    def confirmed(self) -> np.ndarray:
        """(R, T) bool: slots holding a confirmed track."""
        return self.status == CONFIRMED

    @property
    def live(self) -> np.ndarray:
        """(R, T) bool: slots holding a tentative or confirmed track."""
        return (self.status == TENTATIVE) | (self.status == CONFIRMED)

    def copy(self) -> TrackTable:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return TrackTable(**{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in values.items()})


def _c_array(value, shape: tuple, dtype) -> np.ndarray:
    """`value` as a C-contiguous array of `shape` and `dtype`, broadcast if needed (no copy if it already is)."""
    array = np.asarray(value, dtype=dtype)
    if array.shape != shape:
        return np.array(np.broadcast_to(array, shape), order="C")  # a writeable copy
    return np.ascontiguousarray(array)


@dataclass
class MeasurementBatch:
    """One radar scan for every replication: polar measurements with their own times.

    ``polar[r, m] = (range_m, azimuth_rad, elevation_rad)`` from ``radar_position_m`` (ENU), azimuth clockwise
    from north; ``sigmas = (σ_range_m, σ_azimuth_rad, σ_elevation_rad)``. ``scan_time_s`` (R,) is when the scan is
    complete: a track the scan did not update has its look counted as missed then, if it lies within
    ``max_range_m`` of the radar. Default: the latest valid measurement time. A rotating radar fed to the tracker
    in slices of its revolution sets ``sector_start_rad`` (R,) and ``sector_width_rad``: the azimuth sector its beam
    swept (clockwise from north); only tracks predicted inside it had a look to miss. Default: the whole circle.
    ``truth_id`` (-1 = false alarm) is carried for metrics only; the tracker never reads it.
    """

    polar: np.ndarray  # (R, M, 3)
    t_s: np.ndarray  # (R, M)
    valid: np.ndarray  # (R, M) bool
    radar_position_m: np.ndarray  # (3,)
    sigmas: np.ndarray  # (3,)
    scan_time_s: np.ndarray | None = None  # (R,)
    max_range_m: float = np.inf
    truth_id: np.ndarray | None = None  # (R, M) int64
    sector_start_rad: np.ndarray | None = None  # (R,)
    sector_width_rad: float = 2 * np.pi

    def __post_init__(self) -> None:
        self.polar = np.ascontiguousarray(self.polar, dtype=np.float64)
        if self.polar.ndim != 3 or self.polar.shape[2] != 3:
            raise ValueError(f"polar must be (R, M, 3), got {self.polar.shape}")
        n_replications, n_measurements = self.polar.shape[:2]
        self.t_s = _c_array(self.t_s, (n_replications, n_measurements), np.float64)
        self.valid = _c_array(self.valid, (n_replications, n_measurements), np.bool_)
        self.radar_position_m = np.asarray(self.radar_position_m, dtype=np.float64).reshape(3)
        self.sigmas = np.asarray(self.sigmas, dtype=np.float64).reshape(3)
        if self.scan_time_s is None:
            if not self.valid.any():
                raise ValueError("scan_time_s is needed when no measurement is valid")
            self.scan_time_s = np.full(n_replications, self.t_s[self.valid].max())
        self.scan_time_s = _c_array(self.scan_time_s, (n_replications,), np.float64)
        self.sector_start_rad = _c_array(0.0 if self.sector_start_rad is None else self.sector_start_rad,
                                         (n_replications,), np.float64)
        if self.truth_id is not None:
            self.truth_id = np.broadcast_to(np.asarray(self.truth_id, dtype=np.int64), (n_replications, n_measurements))

    @property
    def n_replications(self) -> int:
        return self.polar.shape[0]


@dataclass
class ScanAssociation:
    """What ``update_tracks`` did with each measurement of a scan (R, M arrays).

    ``track_id``: the track the measurement updated or started (-1: invalid, or no free slot);
    ``started``: it started a new tentative track; ``confirmed``: that track is confirmed after this scan's update.
    """

    track_id: np.ndarray
    started: np.ndarray
    confirmed: np.ndarray


def holding_radars_bitmask(table: TrackTable, t_s: float, max_age_s: float) -> np.ndarray:
    """(R, T) uint64: bit k set when radar k updated the track within ``max_age_s`` before ``t_s``."""
    recent = (t_s - table.radar_last_update_s) <= max_age_s  # NaN compares False
    weights = np.left_shift(np.uint64(1), np.arange(table.config.n_radars, dtype=np.uint64))
    return np.bitwise_or.reduce(np.where(recent, weights, np.uint64(0)), axis=2).astype(np.uint64)
