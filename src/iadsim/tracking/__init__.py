"""Tracking: filters, data association, track management and track-quality metrics.

Multi-target tracker for a central track picture fed by several radars, batched over replications (leading axis R).
Frame: local ENU (x east, y north, z up, m); state ``[x, y, z, vx, vy, vz]``; radars measure polar
``(range_m, azimuth_rad clockwise from north, elevation_rad)``, each measurement with its own time.

API::

    config = TrackerConfig(capacity=128, n_radars=2)          # IMM (CV low + CV high noise), GNN, 2-of-3, K=3
    table = TrackTable.empty(config, n_replications=R)
    for scan in scans_in_time_order:                           # any radar, in time order
        meas = MeasurementBatch(polar, t_s, valid, radar_position_m, sigmas, scan_time_s=..., max_range_m=...)
        assoc = update_tracks(table, config, meas, radar_index)   # in place; -> ScanAssociation (R, M)
    state, covariance = predict_to(table, t_s)                 # (R,T,6), (R,T,6,6); use table.confirmed (R,T)

Pieces: ``filters`` (CV prediction, EKF on polar measurements, single-point initiation), ``imm`` (IMM cycle,
``filter_measurement_sequence`` for known association), ``assignment`` (Crouse 2016 shortest augmenting path
solver), ``association`` (χ² gating, GNN), ``management`` (the per-scan kernel), ``metrics`` (GOSPA, OSPA, RMSE,
continuity, confirmation delay), ``reference`` (plain NumPy/SciPy versions the tests compare against).
Models, equations and sources: docs/models/tracking.md.
"""

from iadsim.tracking.assignment import linear_assignment
from iadsim.tracking.config import TrackerConfig
from iadsim.tracking.imm import filter_measurement_sequence
from iadsim.tracking.management import predict_kinematics, predict_to, update_tracks
from iadsim.tracking.table import (
    CONFIRMED,
    DELETED,
    FREE,
    TENTATIVE,
    MeasurementBatch,
    ScanAssociation,
    TrackTable,
    holding_radars_bitmask,
)

__all__ = [
    "CONFIRMED",
    "DELETED",
    "FREE",
    "TENTATIVE",
    "MeasurementBatch",
    "ScanAssociation",
    "TrackTable",
    "TrackerConfig",
    "filter_measurement_sequence",
    "holding_radars_bitmask",
    "linear_assignment",
    "predict_kinematics",
    "predict_to",
    "update_tracks",
]
