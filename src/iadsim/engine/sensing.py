"""Stage 1 of the cycle: every radar looks, the central tracker takes the measurements.

The engine also keeps, for reporting only, which raid entity each track's latest measurement came from
(`track_truth`); fire control reads tracks, and uses that truth only where physics needs it — to know what a
semi-active seeker will home on.
"""

from __future__ import annotations

import numba
import numpy as np

from iadsim.engine.context import RunContext
from iadsim.engine.state import EngineState
from iadsim.sensors.radar import look_all
from iadsim.tracking import update_tracks
from iadsim.tracking.table import CONFIRMED, DELETED, TrackTable


@numba.njit(cache=True)
def _map_truth(table_track_id, measured_track_id, truth_id, valid, track_truth):
    """track_truth[r, slot] = truth of the measurement that last updated the track in that slot."""
    for r in range(valid.shape[0]):
        for m in range(valid.shape[1]):
            tid = measured_track_id[r, m]
            if not valid[r, m] or tid < 0:
                continue
            for s in range(table_track_id.shape[1]):
                if table_track_id[r, s] == tid:
                    track_truth[r, s] = truth_id[r, m]
                    break


def sense(ctx: RunContext, st: EngineState, table: TrackTable, cycle: int, t0_s: float, t1_s: float) -> None:
    """Radar looks over [t0, t1) feed the track table; first detections, confirmations and drops are recorded."""
    raid = ctx.world.raid
    if ctx.record:
        status_before, id_before = table.status.copy(), table.track_id.copy()
    all_looks = look_all(ctx.radars, raid.segments, raid.rcs_m2, st.threats.alive, ctx.keys, cycle, t0_s, t1_s,
                         ctx.world.terrain)
    for radar, looks in enumerate(all_looks):
        batch = looks.batch
        association = update_tracks(table, ctx.tracker, batch, radar)
        _map_truth(table.track_id, association.track_id, batch.truth_id, batch.valid, st.track_truth)
        r_idx, m_idx = np.nonzero(batch.valid & (batch.truth_id >= 0))
        entities, times = batch.truth_id[r_idx, m_idx], batch.t_s[r_idx, m_idx]
        first_before = st.threats.first_detection_s.copy() if ctx.record else None
        np.fmin.at(st.threats.first_detection_s, (r_idx, entities), times)
        if ctx.record:
            new = np.isnan(first_before) & ~np.isnan(st.threats.first_detection_s)
            for r, e in zip(*np.nonzero(new)):
                st.events.append((r, st.threats.first_detection_s[r, e], "detection", e, -1, "",
                                  f"first detected by {ctx.world.radars.ids[radar]}"))
    # A threat is tracked from the first time a confirmed track follows it — also a track that was confirmed on
    # something else (the releasing aircraft) and moved onto it.
    r_idx, s_idx = np.nonzero((table.status == CONFIRMED) & (st.track_truth >= 0))
    np.fmin.at(st.threats.first_track_s, (r_idx, st.track_truth[r_idx, s_idx]), table.t_s[r_idx, s_idx])
    if ctx.record:
        confirmed_now = (table.status == CONFIRMED) & ((status_before != CONFIRMED) | (id_before != table.track_id))
        r_idx, s_idx = np.nonzero(confirmed_now)
        for r, s, e in zip(r_idx, s_idx, st.track_truth[r_idx, s_idx]):
            st.events.append((r, table.confirmation_time_s[r, s], "track confirmed", e, -1, "", f"track {table.track_id[r, s]}"))
        dropped = (table.status == DELETED) & (status_before != DELETED)
        for r, s in zip(*np.nonzero(dropped)):
            st.events.append((r, t1_s, "track dropped", st.track_truth[r, s], -1, "", f"track {table.track_id[r, s]}"))
