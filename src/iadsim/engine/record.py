"""Turn the engine's final state into an Outcome (Arrow tables) and a plain-language summary."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa

from iadsim.engine.context import RunContext
from iadsim.engine.outcome import (
    EVENTS_SCHEMA, FATES_SCHEMA, FLIGHTS_SCHEMA, RESOURCES_SCHEMA, SHOTS_SCHEMA, Outcome,
)
from iadsim.engine.state import EngineState
from iadsim.firecontrol.assignment import HOLD_REASON_TEXT, OUTSIDE
from iadsim.firecontrol.envelope import REASON_TEXT
from iadsim.report.trajectories import TRAJECTORY_SCHEMA, sample_raid


def build_outcome(ctx: RunContext, st: EngineState, seed: int) -> Outcome:
    world = ctx.world
    first = ctx.first_replication
    done = np.where(np.isnan(st.done_s), np.inf, st.done_s)
    events = [e for e in st.events if e[1] <= done[e[0]]]  # nothing a finished replication "did" afterwards
    events.sort(key=lambda e: (e[0], e[1]))
    return Outcome(
        scenario=world.name,
        seed=seed,
        replications=ctx.n_replications,
        fates=_table(FATES_SCHEMA, _fate_rows(ctx, st), first),
        shots=_table(SHOTS_SCHEMA, sorted(st.shot_rows, key=lambda row: (row[0], row[1])), first),
        events=_table(EVENTS_SCHEMA, events, first),
        flights=_table(FLIGHTS_SCHEMA, st.flights, first),
        resources=_table(RESOURCES_SCHEMA, [
            (r, world.fire_units.ids[f], int(st.resources.fired[r, f]),
             int(st.resources.ready[r, f].sum() + st.resources.reloads_left[r, f]),
             float(st.resources.channel_seconds[r, f]))
            for r in range(ctx.n_replications) for f in range(len(world.fire_units.ids))], first),
        trajectories=sample_raid(world) if ctx.record else TRAJECTORY_SCHEMA.empty_table(),
    )


def _table(schema: pa.Schema, rows: list[tuple], first_replication: int) -> pa.Table:
    columns = list(zip(*rows)) if rows else [[] for _ in schema]
    arrays = [pa.array([_plain(v) for v in column], type=f.type) for column, f in zip(columns, schema)]
    table = pa.Table.from_arrays(arrays, schema=schema)
    if first_replication:
        table = table.set_column(0, "replication", pa.array(np.asarray(table["replication"]) + first_replication))
    return table


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _fate_rows(ctx: RunContext, st: EngineState) -> list[tuple]:
    world, th = ctx.world, st.threats
    raid = world.raid
    shots_by_threat: dict[tuple[int, int], list[str]] = {}
    for row in st.shot_rows:
        shots_by_threat.setdefault((row[0], row[4]), []).append(
            f"no kill at {row[10]:.0f} m" if row[9] == "no kill" else row[9])
    rows = []
    for r in range(ctx.n_replications):
        for e in raid.weapons:
            asset = raid.target_asset[e]
            if not np.isnan(th.killed_s[r, e]):
                fate, end = "intercepted", th.killed_s[r, e]
            elif not np.isnan(th.impact_s[r, e]):
                fate = "leaked" if th.impact_miss_m[r, e] <= world.assets.radius_m[asset] else "missed target"
                end = th.impact_s[r, e]
            else:
                fate, end = "in flight", np.nan
            engagement, reason = _engagement(ctx, st, r, e, fate, shots_by_threat.get((r, int(e)), []))
            rows.append((
                r, int(e), raid.names[e], "weapon", world.weapon_types.ids[raid.weapon_type[e]], world.assets.ids[asset],
                fate, engagement, reason, float(raid.release_time_s[e]), th.first_detection_s[r, e],
                th.first_track_s[r, e], int(th.interceptors[r, e]), th.killed_s[r, e], *th.intercept_m[r, e],
                float(end), th.impact_miss_m[r, e],
            ))
    return rows


def _engagement(ctx: RunContext, st: EngineState, r: int, e: int, fate: str, shots: list[str]) -> tuple[str, str]:
    th = st.threats
    if fate == "intercepted":
        return "intercepted", ""
    if th.interceptors[r, e] > 0:
        return "engaged and missed", f"{len(shots)} interceptor(s): " + ", ".join(shots) if shots else "interceptors in flight"
    if np.isnan(th.first_detection_s[r, e]):
        return "not detected", "never detected: below the radar horizon, masked, or out of coverage"
    if np.isnan(th.first_track_s[r, e]):
        reason = "no confirmed track"
    else:
        code = th.hold_reason[r, e]
        reason = HOLD_REASON_TEXT.get(int(code), "never evaluated") if code >= 0 else "not evaluated as a threat"
        if code == OUTSIDE and th.envelope_reason[r, e] >= 0:
            reason = REASON_TEXT[int(th.envelope_reason[r, e])]
    end = th.impact_s[r, e]
    if not np.isnan(end):
        reason += f"; detected {end - th.first_detection_s[r, e]:.0f} s before impact"
    return "detected not engaged", reason


def summary(outcome: Outcome, replication: int = 0) -> str:
    """One paragraph on one replication: '4 weapons (4 guided-missile); 3 intercepted by 5 interceptors; 1 leaked: …'."""
    fates = outcome.replication(replication).fates.to_pylist()
    shots = outcome.replication(replication).shots.to_pylist()
    if not fates:
        return "No weapons in the raid."
    intercepted = sum(1 for row in fates if row["fate"] == "intercepted")
    kinds = Counter(row["weapon_type"] for row in fates)
    parts = [f"{len(fates)} weapon{'s' if len(fates) != 1 else ''} ("
             + ", ".join(f"{n} {kind}" for kind, n in kinds.items()) + ")"]
    parts.append(f"{intercepted} intercepted by {len(shots)} interceptor{'s' if len(shots) != 1 else ''}")
    for fate in ("leaked", "missed target", "in flight"):
        rows = [row for row in fates if row["fate"] == fate]
        if rows:
            why = "; ".join(f"{row['name']}: {row['engagement']}" + (f" ({row['reason']})" if row["reason"] else "")
                            for row in rows)
            parts.append(f"{len(rows)} {fate}: {why}")
    return "; ".join(parts) + "."
