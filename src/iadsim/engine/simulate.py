"""`simulate`: run the kill chain on a scenario, batched over replications, and return its Outcome.

The cycle (period `sim.cycle_s`), for all replications at once:
  1. radars look and the tracker updates (sensing.py);
  2. interceptors fly through the cycle; closest approaches are scored (flyout.py);
  3. weapons that reach the end of their flight impact; reloads progress; kill assessments come due;
  4. fire control assigns and launches at the cycle's end (engage.py).
A replication is finished when no weapon and no interceptor of it is left in flight. Periods when no weapon can be
in the air (before the first release, between raids) are skipped — a decision taken from the raid's truth alone,
identical for every replication, so replication k of a batch equals replication k run alone.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from iadsim import rng
from iadsim.engine.context import RunContext
from iadsim.engine.engage import fire_control
from iadsim.engine.flyout import assess_kills, fly_interceptors
from iadsim.engine.outcome import Outcome
from iadsim.engine.record import build_outcome
from iadsim.engine.sensing import sense
from iadsim.engine.state import Engagements, EngineState, Resources, Shots, ThreatRecord
from iadsim.firecontrol.envelope import stack_flyout_tables
from iadsim.firecontrol.interceptors import flyout_tables
from iadsim.interceptor import InterceptorState
from iadsim.raid.plan import WEAPON
from iadsim.scenario import Scenario, World, compile_scenario, load_world
from iadsim.sensors.radar import build_radar_set
from iadsim.tracking import TrackerConfig
from iadsim.tracking.table import TrackTable

CEP_TO_SIGMA = 1.0 / math.sqrt(2.0 * math.log(2.0))  # CEP = σ·√(2 ln 2) ≈ 1.1774σ for a circular normal


def simulate(scenario: str | Path | Scenario | World, seed: int | None = None, replications: int = 1, *,
             first_replication: int = 0, record: bool | None = None) -> Outcome:
    """Run `replications` replications (numbered from `first_replication`) of a scenario.

    `seed` defaults to the scenario's. Replication k draws from the key SeedSequence(seed, spawn_key=(k,)), so the
    result of replication k does not depend on how many run beside it. `record` keeps the event log and sampled
    interceptor flights (default: on for up to 16 replications).
    """
    world = scenario if isinstance(scenario, World) else (
        compile_scenario(scenario) if isinstance(scenario, Scenario) else load_world(scenario))
    seed = world.seed if seed is None else int(seed)
    if replications < 1:
        raise ValueError("replications must be at least 1")
    record = replications <= 16 if record is None else record
    ctx = _context(world, seed, first_replication, replications, record)
    st, table = _initial_state(ctx), TrackTable.empty(ctx.tracker, replications)
    for cycle in _cycles(world):
        t0 = cycle * world.cycle_s
        t1 = t0 + world.cycle_s
        sense(ctx, st, table, cycle, t0, t1)
        fly_interceptors(ctx, st, table, t0, t1)
        _impacts(ctx, st, t0, t1)
        _reloads(ctx, st, t1)
        assess_kills(ctx, st, t1)
        fire_control(ctx, st, table, t1)
        st.resources.channel_seconds += st.resources.channels_busy * world.cycle_s
        if _finished(ctx, st, t1):
            break
    return build_outcome(ctx, st, seed)


def track_capacity(world: World) -> int:
    """Track slots per replication: room for every raid entity twice (a track broken and re-formed) plus false
    tracks. Memory per replication grows with it, so Monte Carlo chunks shrink for large raids."""
    return max(32, 2 * world.raid.n_entities + 24)


def _context(world: World, seed: int, first: int, count: int, record: bool) -> RunContext:
    n_radars = max(len(world.radars.ids), 1)
    capacity = track_capacity(world)
    tables = flyout_tables(world.interceptors, world.envelopes, site_height_m=world.ground_m) \
        if world.interceptors.n_types else []
    return RunContext(
        world=world,
        radars=build_radar_set(world),
        tracker=TrackerConfig(n_radars=n_radars, capacity=capacity),
        interceptors=world.interceptors,
        envelopes=world.envelopes,
        flyout_tables=tables,
        stacked_tables=stack_flyout_tables(tables),
        heading_error_rad=world.launch_heading_error_rad,
        keys=rng.replication_keys(seed, first, count),
        first_replication=first,
        record=record,
    )


def _initial_state(ctx: RunContext) -> EngineState:
    world, n_rep = ctx.world, ctx.n_replications
    units = world.fire_units
    n_units = len(units.ids)
    n_launchers = max((len(c) for c in units.launcher_ready), default=1)
    capacity = np.zeros((n_units, n_launchers), dtype=np.int64)
    for f, loads in enumerate(units.launcher_ready):
        capacity[f, : len(loads)] = loads
    resources = Resources(
        ready=np.broadcast_to(capacity, (n_rep, n_units, n_launchers)).copy(),
        capacity=capacity,
        reloads_left=np.broadcast_to(units.reloads, (n_rep, n_units)).copy(),
        reload_done_s=np.full((n_rep, n_units, n_launchers), np.nan),
        channels_busy=np.zeros((n_rep, n_units), dtype=np.int64),
        channel_seconds=np.zeros((n_rep, n_units)),
        fired=np.zeros((n_rep, n_units), dtype=np.int64),
    )
    threats = ThreatRecord.start(n_rep, world.raid.n_entities)
    if ctx.record:
        events = [(r, float(world.raid.release_time_s[e]), "release", int(e), -1, "",
                   f"{world.raid.names[e]} at {world.assets.ids[world.raid.target_asset[e]]}")
                  for r in range(n_rep) for e in world.raid.weapons]
    else:
        events = []
    return EngineState(
        threats=threats,
        track_truth=np.full((n_rep, ctx.tracker.capacity), -1, dtype=np.int64),
        engagements=Engagements.empty(n_rep, ctx.tracker.capacity),
        resources=resources,
        interceptors=InterceptorState.empty(),
        shots=Shots.empty(),
        launched=np.zeros(n_rep, dtype=np.int64),
        done_s=np.full(n_rep, np.nan),
        events=events,
    )


def _cycles(world: World):
    """Cycle indices to run: from shortly before each weapon release until it, and any interceptor fired at it,
    can no longer be in the air. Depends on the raid's truth only (the same for every replication)."""
    weapons = world.raid.weapons
    if len(weapons) == 0:
        return
    scan = float(world.radars.scan_period_s.max(initial=0.0))
    linger = float(world.interceptors.max_time_of_flight_s.max(initial=0.0)) + \
        float(world.fire_units.assessment_delay_s.max(initial=0.0)) + 2 * world.cycle_s
    starts = world.raid.release_time_s[weapons] - 3 * scan
    ends = world.raid.end_time_s[weapons] + linger
    last = min(int(math.ceil(world.duration_s / world.cycle_s)), int(math.ceil(ends.max() / world.cycle_s)))
    cycle = max(int(math.floor(starts.min() / world.cycle_s)), 0)
    while cycle < last:
        t = cycle * world.cycle_s
        if np.any((starts <= t) & (t <= ends)):
            yield cycle
            cycle += 1
        else:
            later = starts[starts > t]
            if len(later) == 0:
                return
            cycle = max(cycle + 1, int(math.floor(later.min() / world.cycle_s)))


def _impacts(ctx: RunContext, st: EngineState, t0_s: float, t1_s: float) -> None:
    """Weapons still alive whose flight ends in (t0, t1] hit the ground: on their target within its radius
    (leaked) or not (missed target), by a circular-normal draw of their CEP."""
    world, threats = ctx.world, st.threats
    raid = world.raid
    ending = np.flatnonzero((raid.kind == WEAPON) & (raid.end_time_s > t0_s) & (raid.end_time_s <= t1_s))
    for e in ending:
        sigma = world.weapon_types.cep_m[raid.weapon_type[e]] * CEP_TO_SIGMA
        for r in np.flatnonzero(threats.alive[:, e]):
            # circular-normal aim error: Rayleigh radius at a uniform bearing (Driels, Weaponeering, ch. 3)
            u = rng.uniform(ctx.keys[r], rng.IMPACT, np.uint64(2 * e))
            bearing = 2.0 * math.pi * rng.uniform(ctx.keys[r], rng.IMPACT, np.uint64(2 * e + 1))
            radius = sigma * math.sqrt(-2.0 * math.log(1.0 - u))
            offset = raid.end_point_m[e, :2] - world.assets.position_m[raid.target_asset[e], :2]
            miss = float(np.hypot(offset[0] + radius * math.cos(bearing), offset[1] + radius * math.sin(bearing)))
            threats.alive[r, e] = False
            threats.impact_s[r, e] = raid.end_time_s[e]
            threats.impact_miss_m[r, e] = miss
            if ctx.record:
                hit = miss <= world.assets.radius_m[raid.target_asset[e]]
                st.events.append((r, float(raid.end_time_s[e]), "impact", int(e), -1, "",
                                  f"{'on' if hit else 'off'} target, {miss:.0f} m from {world.assets.ids[raid.target_asset[e]]}"))


def _reloads(ctx: RunContext, st: EngineState, t_s: float) -> None:
    """Empty launchers reload from the unit's reserve, taking the unit's reload time."""
    res, units = st.resources, ctx.world.fire_units
    done = res.reload_done_s <= t_s
    for r, f, launcher in zip(*np.nonzero(done)):
        load = min(res.capacity[f, launcher], res.reloads_left[r, f])
        res.ready[r, f, launcher] += load
        res.reloads_left[r, f] -= load
        res.reload_done_s[r, f, launcher] = np.nan
        if ctx.record:
            st.events.append((r, t_s, "reload", -1, -1, units.ids[f],
                              f"launcher {units.launcher_ids[f][launcher]} reloaded with {load}"))
    start = (res.ready == 0) & np.isnan(res.reload_done_s) & (res.capacity[None] > 0) & (res.reloads_left[:, :, None] > 0)
    res.reload_done_s[start] = t_s + np.broadcast_to(units.reload_time_s[None, :, None], start.shape)[start]


def _finished(ctx: RunContext, st: EngineState, t_s: float) -> bool:
    """Mark replications with nothing left in flight; True when all are."""
    raid = ctx.world.raid
    weapons_left = st.threats.alive[:, raid.weapons].any(axis=1)
    flying = np.zeros(ctx.n_replications, dtype=bool)
    flying[st.interceptors.replication[st.interceptors.active]] = True
    pending = st.engagements.pending.any(axis=1)
    newly = np.isnan(st.done_s) & ~weapons_left & ~flying & ~pending
    st.done_s[newly] = t_s
    return bool(np.all(~np.isnan(st.done_s)))
