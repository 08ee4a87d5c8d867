"""Stages 2–3 of the cycle: interceptors fly through the cycle; closest approaches become kills or misses;
kill assessments come due.

Interceptors home on the truth of what their track was on (a seeker sees the real echo); a shot at a false track
flies to its predicted intercept point and finds nothing. A kill is a draw with P_k(miss distance) from the
interceptor type's damage function, and only counts if the target still exists at that instant.
"""

from __future__ import annotations

import numpy as np

from iadsim import rng
from iadsim.engine.context import RunContext
from iadsim.engine.state import EngineState
from iadsim.interceptor import CLOSEST_APPROACH, STATUS_NAMES, TargetTruth, fly, kill_probability
from iadsim.tracking.table import CONFIRMED, TENTATIVE, TrackTable


def fly_interceptors(ctx: RunContext, st: EngineState, table: TrackTable, t0_s: float, t1_s: float) -> None:
    interceptors, shots = st.interceptors, st.shots
    active = interceptors.active
    if not active.any():
        return
    raid = ctx.world.raid
    target = interceptors.target_index
    pos, vel, acc, _ = raid.states(np.array([t0_s]))
    real = target >= 0
    safe = np.where(real, target, 0)
    # a false track's "target" is its predicted intercept point, standing still
    truth = TargetTruth(position_m=np.where(real[:, None], pos[safe, 0], shots.pip_m),
                        velocity_mps=np.where(real[:, None], vel[safe, 0], 0.0),
                        acceleration_mps2=np.where(real[:, None], acc[safe, 0], 0.0))
    r, s = interceptors.replication, shots.slot
    illuminated = ((table.status[r, s] == CONFIRMED) | (table.status[r, s] == TENTATIVE)) & (table.track_id[r, s] == shots.track_id)
    fly(interceptors, ctx.interceptors, truth, t0_s, t1_s, ctx.world.flyout_step_s, illuminated, pip_m=shots.pip_m,
        ground_m=ctx.world.ground_m, midcourse_step_s=ctx.world.flyout_midcourse_step_s)
    ended = active & ~interceptors.active
    if ended.any():
        _score(ctx, st, np.flatnonzero(ended))
    if ctx.record:
        still = np.flatnonzero(interceptors.active | ended)
        for i in still:
            st.flights.append((interceptors.replication[i], shots.ordinal[i], float(interceptors.time_s[i]),
                               *interceptors.position_m[i], float(np.linalg.norm(interceptors.velocity_mps[i]))))


def _score(ctx: RunContext, st: EngineState, rows: np.ndarray) -> None:
    """Kill draws at closest approach; results into shots, threats, engagements and events."""
    world, params = ctx.world, ctx.interceptors
    interceptors, shots, threats, eng = st.interceptors, st.shots, st.threats, st.engagements
    kinds = interceptors.type_index[rows]
    pks = kill_probability(interceptors.miss_distance_m[rows], params.lethal_radius_m[kinds], params.pk_max[kinds],
                           params.pk_model[kinds])
    for i, pk in zip(rows, pks.tolist()):
        r, target = interceptors.replication[i], interceptors.target_index[i]
        at_closest = interceptors.status[i] == CLOSEST_APPROACH
        end_s = float(interceptors.closest_approach_time_s[i] if at_closest else interceptors.time_s[i])
        miss = float(interceptors.miss_distance_m[i]) if at_closest else np.nan
        pk = pk if at_closest else 0.0
        exists = target >= 0 and threats.alive[r, target] and end_s <= world.raid.end_time_s[target]
        killed = bool(at_closest and exists and rng.uniform(ctx.keys[r], rng.KILL, np.uint64(shots.ordinal[i])) < pk)
        if killed:
            threats.alive[r, target] = False
            threats.killed_s[r, target] = end_s
            threats.intercept_m[r, target] = world.raid.segments.entity_states(target, np.array([end_s]))[0][0]
        result = ("kill" if killed else "no kill") if at_closest else STATUS_NAMES[int(interceptors.status[i])]
        slot, unit = shots.slot[i], shots.unit[i]
        end_m = interceptors.position_m[i]
        st.shot_rows.append((r, int(shots.ordinal[i]), world.fire_units.ids[unit],
                             world.fire_units.launcher_ids[unit][shots.launcher[i]], int(target), int(shots.track_id[i]),
                             float(interceptors.launch_time_s[i]), float(shots.predicted_intercept_s[i]), end_s, result,
                             miss, pk, killed, *map(float, end_m), *map(float, shots.pip_m[i]),
                             int(interceptors.steps[i])))
        if eng.track_id[r, slot] == shots.track_id[i]:
            eng.in_flight[r, slot] -= 1
            eng.any_kill[r, slot] |= killed
            eng.last_end_s[r, slot] = max(eng.last_end_s[r, slot], end_s)
            if eng.in_flight[r, slot] == 0:
                eng.pending[r, slot] = True
                eng.assess_at_s[r, slot] = eng.last_end_s[r, slot] + world.fire_units.assessment_delay_s[unit]
        if ctx.record:
            kind_text = {"kill": "intercept", "no kill": "miss"}.get(result, "interceptor lost")
            detail = f"miss distance {miss:.1f} m, P_k {pk:.2f}" if at_closest else result
            st.events.append((r, end_s, kind_text, int(target), int(shots.ordinal[i]), world.fire_units.ids[unit], detail))
    _release_channels(ctx, st)


def _release_channels(ctx: RunContext, st: EngineState) -> None:
    """Fire channels in use = engagements with an interceptor still flying; recounted from the interceptors."""
    interceptors, shots, res = st.interceptors, st.shots, st.resources
    active = interceptors.active
    res.channels_busy[:] = 0
    if active.any():
        n_units = res.channels_busy.shape[1]
        cell = interceptors.replication[active] * n_units + shots.unit[active]  # (replication, unit) flattened
        track = shots.track_id[active]  # ≥ 0: shots go at confirmed tracks
        span = track.max() + 1
        engagements = np.unique(cell * span + track)  # one per (replication, unit, track)
        np.add.at(res.channels_busy.reshape(-1), engagements // span, 1)


def assess_kills(ctx: RunContext, st: EngineState, t_s: float) -> None:
    """Kill assessments due by t_s: the battery learns each engagement's result, wrong with some probability."""
    eng, units = st.engagements, ctx.world.fire_units
    due = eng.pending & (eng.assess_at_s <= t_s)
    for r, s in zip(*np.nonzero(due)):
        unit = eng.unit[r, s]
        counter = np.uint64(eng.track_id[r, s]) * np.uint64(64) + np.uint64(eng.attempts[r, s])
        wrong = rng.uniform(ctx.keys[r], rng.ASSESSMENT, counter) < units.assessment_error_probability[unit]
        eng.judged_killed[r, s] = eng.any_kill[r, s] != wrong
        eng.pending[r, s] = False
        if ctx.record:
            verdict = "killed" if eng.judged_killed[r, s] else "not killed"
            st.events.append((r, float(eng.assess_at_s[r, s]), "kill assessment", int(st.track_truth[r, s]), -1,
                              units.ids[unit], f"track {eng.track_id[r, s]} judged {verdict}" + (" (wrongly)" if wrong else "")))
        eng.any_kill[r, s] = False
