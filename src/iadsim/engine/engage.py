"""Stage 4 of the cycle: fire control reads confirmed tracks, evaluates threats, assigns and launches.

Fire control sees only tracks (state estimates, confirmation times, which radars hold them), never truth.
"""

from __future__ import annotations

import numpy as np

from iadsim import rng
from iadsim.engine.context import RADAR_HOLD_SCANS, RunContext
from iadsim.engine.state import EngineState, Shots
from iadsim.firecontrol.assignment import BUSY, MAX_ORDERS, NOT_A_THREAT, OUTSIDE, assign_kernel
from iadsim.firecontrol.envelope import DEFAULT_SCAN_STEP_S, INSIDE, engagement_geometry_kernel, launch_velocity_mps
from iadsim.firecontrol.interceptors import LAUNCH_HEIGHT_M
from iadsim.firecontrol.threat import evaluate_threats
from iadsim.interceptor import InterceptorState, launch
from iadsim.tracking import predict_kinematics
from iadsim.tracking.table import TrackTable


def engagement_geometry(ctx: RunContext, st: EngineState, table: TrackTable, t_s: float):
    """For every (replication, track, fire unit): intercept point, time of flight, envelope verdict, and whether
    the unit's radars hold the track and its reaction time has passed. Also the tracks' threat values.

    The intercept point is solved only where it can matter this cycle — a threat (value > 0), held by the unit's
    radar, not already engaged or judged killed, and a unit with a missile ready; elsewhere the assignment stops
    at an earlier stage, or at "no ready missile"."""
    world, eng, units = ctx.world, st.engagements, ctx.world.fire_units
    position, velocity = predict_kinematics(table, t_s)
    value, _, _ = evaluate_threats(position, velocity, table.confirmed, world.assets.position_m,
                                   world.assets.value, world.assets.radius_m)
    value[~np.isnan(st.done_s)] = 0.0  # a finished replication fires no more (as it would not, run alone)
    n_rep, n_slots = table.status.shape
    n_units = len(units.ids)
    radar_ok = np.zeros((n_rep, n_slots, n_units), dtype=bool)
    for f in range(n_units):
        for radar in np.flatnonzero(units.radar_mask[f]):
            hold_s = RADAR_HOLD_SCANS * world.radars.scan_period_s[radar]
            radar_ok[:, :, f] |= table.radar_last_update_s[:, :, radar] >= t_s - hold_s
    open_threat = (value > 0.0) & (eng.in_flight == 0) & ~eng.pending & ~eng.judged_killed
    evaluate = (radar_ok & open_threat[:, :, None] & (st.resources.ready.sum(axis=2) > 0)[:, None, :]
                & (eng.attempts[:, :, None] < units.max_engagements_per_threat[None, None, :]))
    pip = np.empty((n_rep, n_slots, n_units, 3))
    tof = np.empty((n_rep, n_slots, n_units))
    verdict = np.empty((n_rep, n_slots, n_units), dtype=np.int64)
    tables, env = ctx.stacked_tables, ctx.envelopes
    engagement_geometry_kernel(
        tables.ground_range_m, tables.height_m, tables.time_of_flight_s, tables.n_range, tables.n_height,
        tables.horizon_s, DEFAULT_SCAN_STEP_S, units.interceptor_type, units.position_m, env.min_range_m,
        env.max_range_m, env.min_height_m, env.max_height_m, env.max_target_speed_mps, env.max_time_of_flight_s,
        position, velocity, evaluate, pip, tof, verdict)
    reaction_ok = table.confirmation_time_s[:, :, None] + units.reaction_time_s[None, None, :] <= t_s
    return value, pip, tof, verdict, radar_ok, reaction_ok


def fire_control(ctx: RunContext, st: EngineState, table: TrackTable, t_s: float) -> None:
    """Assign fire units to threats and launch their interceptors at t_s."""
    world, eng, res = ctx.world, st.engagements, st.resources
    if len(world.fire_units.ids) == 0:
        return
    reused = eng.track_id != table.track_id
    eng.reset(reused, table.track_id)
    if not table.confirmed.any():
        return
    value, pip, tof, verdict, radar_ok, reaction_ok = engagement_geometry(ctx, st, table, t_s)
    units = world.fire_units
    n_rep = ctx.n_replications
    orders = dict(unit=np.zeros((n_rep, MAX_ORDERS), np.int64), slot=np.zeros((n_rep, MAX_ORDERS), np.int64),
                  count=np.zeros((n_rep, MAX_ORDERS), np.int64), launcher=np.zeros((n_rep, MAX_ORDERS), np.int64),
                  pip=np.zeros((n_rep, MAX_ORDERS, 3)), tof=np.zeros((n_rep, MAX_ORDERS)))
    n_orders = np.zeros(n_rep, dtype=np.int64)
    hold = np.zeros(table.status.shape, dtype=np.int64)
    pk = ctx.interceptors.pk_max[units.interceptor_type]
    assign_kernel(value, verdict == INSIDE, radar_ok, reaction_ok, pk, pip, tof,
                  eng.in_flight, eng.pending, eng.attempts, eng.judged_killed,
                  res.channels_busy, units.fire_channels, res.ready, units.missiles_per_engagement,
                  units.max_engagements_per_threat,
                  orders["unit"], orders["slot"], orders["count"], orders["launcher"], orders["pip"], orders["tof"],
                  n_orders, hold)
    _remember_hold_reasons(st, table, value, hold, verdict, radar_ok)
    if n_orders.any():
        _launch(ctx, st, table, orders, n_orders, t_s)


def _remember_hold_reasons(st: EngineState, table: TrackTable, value, hold, verdict, radar_ok) -> None:
    """Per threat (truth), the furthest stage an engagement of it reached while it was not engaged — for the fate
    report ("outside envelope" stays the reason even if the track is later lost). For an envelope verdict, the
    first fire unit whose radar held the track and found it outside."""
    r_idx, s_idx = np.nonzero((value > 0) & (hold != BUSY) & (hold != NOT_A_THREAT) & (st.track_truth >= 0))
    truth = st.track_truth[r_idx, s_idx]
    code = hold[r_idx, s_idx]
    further = code >= st.threats.hold_reason[r_idx, truth]
    r_idx, s_idx, truth, code = r_idx[further], s_idx[further], truth[further], code[further]
    st.threats.hold_reason[r_idx, truth] = code
    outside = code == OUTSIDE
    r_out, s_out = r_idx[outside], s_idx[outside]
    unit = np.argmax(radar_ok[r_out, s_out] & (verdict[r_out, s_out] != INSIDE), axis=1)
    st.threats.envelope_reason[r_out, truth[outside]] = verdict[r_out, s_out, unit]


def _launch(ctx: RunContext, st: EngineState, table: TrackTable, orders, n_orders, t_s: float) -> None:
    world, units = ctx.world, ctx.world.fire_units
    rows: list[tuple] = []
    for r in np.flatnonzero(n_orders):
        for o in range(n_orders[r]):
            unit, slot, count = orders["unit"][r, o], orders["slot"][r, o], orders["count"][r, o]
            st.engagements.unit[r, slot] = unit
            st.resources.fired[r, unit] += count
            target = st.track_truth[r, slot]
            if target >= 0:
                st.threats.interceptors[r, target] += count
            if ctx.record:
                st.events.append((r, t_s, "assignment", target, -1, units.ids[unit],
                                  f"track {table.track_id[r, slot]}: {count} interceptor(s), predicted intercept "
                                  f"in {orders['tof'][r, o]:.1f} s"))
            for _ in range(count):
                rows.append((r, unit, orders["launcher"][r, o], slot, table.track_id[r, slot], target,
                             orders["pip"][r, o], t_s + orders["tof"][r, o], st.launched[r]))
                st.launched[r] += 1
    if not rows:
        return
    replication = np.array([row[0] for row in rows])
    unit = np.array([row[1] for row in rows])
    kind = units.interceptor_type[unit]
    site = units.position_m[unit]
    pips = np.array([row[6] for row in rows])
    velocity = np.empty((len(rows), 3))
    for k in np.unique(kind):  # one call per interceptor type (each has its own flyout table)
        of_kind = kind == k
        velocity[of_kind] = launch_velocity_mps(ctx.flyout_tables[k], site[of_kind], pips[of_kind])
    velocity = _turn(velocity, ctx.heading_error_rad[kind])
    ordinal = np.array([row[8] for row in rows], dtype=np.uint64)
    seeds = np.array([rng.bits(ctx.keys[r], rng.SEEKER_NOISE, n) for r, n in zip(replication, ordinal)], dtype=np.uint64)
    new = launch(ctx.interceptors, kind, site + [0.0, 0.0, LAUNCH_HEIGHT_M], velocity, t_s, replication=replication,
                 target_index=np.array([row[5] for row in rows]), noise_seed=seeds)
    st.interceptors = InterceptorState.concatenate([st.interceptors, new])
    st.shots = Shots.concatenate([st.shots, Shots(
        ordinal=ordinal.astype(np.int64), unit=unit, launcher=np.array([row[2] for row in rows]),
        slot=np.array([row[3] for row in rows]), track_id=np.array([row[4] for row in rows]), pip_m=pips,
        predicted_intercept_s=np.array([row[7] for row in rows]))])
    if ctx.record:
        for row in rows:
            st.events.append((row[0], t_s, "launch", row[5], int(row[8]), units.ids[row[1]],
                              f"launcher {world.fire_units.launcher_ids[row[1]][row[2]]}"))


def _turn(velocity, heading_error_rad):
    """Velocities turned by a heading error about the vertical (textbook launch errors; zero otherwise)."""
    c, s = np.cos(heading_error_rad), np.sin(heading_error_rad)
    return np.stack([c * velocity[:, 0] - s * velocity[:, 1], s * velocity[:, 0] + c * velocity[:, 1], velocity[:, 2]], 1)

