"""The Outcome of a run: what happened to every threat and interceptor, as Arrow tables.

Every table has a `replication` column (0-based index within the run), so one Outcome holds any number of
replications and writes to Parquet as it is. Times are seconds from the scenario's t = 0; positions are the local
frame (east, north, height above sea level).

Fate of a threat (`fates.fate`): what finally happened to it —
  intercepted      killed by an interceptor;
  leaked           reached its target asset (impact within the asset's radius);
  missed target    reached the ground away from its target (its own inaccuracy);
  in flight        still flying when the simulated time ran out.
How the defence dealt with it (`fates.engagement`) —
  not detected         no radar ever detected it;
  detected not engaged detected (perhaps tracked) but never fired at; `reason` says why;
  engaged and missed   fired at, never killed; `reason` says how the attempts ended;
  intercepted          fired at and killed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

FATES = ("intercepted", "leaked", "missed target", "in flight")
ENGAGEMENTS = ("not detected", "detected not engaged", "engaged and missed", "intercepted")

FATES_SCHEMA = pa.schema([
    ("replication", pa.int64()),
    ("threat", pa.int64()),  # raid entity index (World.raid)
    ("name", pa.string()),
    ("kind", pa.string()),  # "weapon" or "aircraft"
    ("weapon_type", pa.string()),
    ("target", pa.string()),  # target asset id
    ("fate", pa.string()),  # FATES
    ("engagement", pa.string()),  # ENGAGEMENTS
    ("reason", pa.string()),  # why not engaged / how the attempts ended ("" when intercepted)
    ("release_time_s", pa.float64()),
    ("first_detection_s", pa.float64()),  # NaN if never detected
    ("first_track_s", pa.float64()),  # first confirmed track on it, NaN if none
    ("interceptors_fired", pa.int64()),
    ("intercept_time_s", pa.float64()),  # NaN unless intercepted
    ("intercept_east_m", pa.float64()),
    ("intercept_north_m", pa.float64()),
    ("intercept_height_m", pa.float64()),
    ("end_time_s", pa.float64()),  # impact, intercept, or end of simulation
    ("impact_miss_m", pa.float64()),  # distance of the impact from the target asset, NaN if no impact
])

SHOTS_SCHEMA = pa.schema([
    ("replication", pa.int64()),
    ("interceptor", pa.int64()),  # index within the replication, in launch order
    ("fire_unit", pa.string()),
    ("launcher", pa.string()),
    ("threat", pa.int64()),  # raid entity the shot was aimed at (-1: a false track)
    ("track_id", pa.int64()),
    ("launch_time_s", pa.float64()),
    ("predicted_intercept_s", pa.float64()),
    ("end_time_s", pa.float64()),
    ("result", pa.string()),  # "kill", "no kill" (closest approach, kill draw failed), or the loss ("lost: time of flight", ...)
    ("miss_distance_m", pa.float64()),  # closest approach, NaN if lost before it
    ("kill_probability", pa.float64()),
    ("killed", pa.bool_()),
    ("end_east_m", pa.float64()),
    ("end_north_m", pa.float64()),
    ("end_height_m", pa.float64()),
    ("pip_east_m", pa.float64()),  # the predicted intercept point fire control launched for
    ("pip_north_m", pa.float64()),
    ("pip_height_m", pa.float64()),
    ("integration_steps", pa.int64()),  # flyout integration steps taken (what the flight cost; docs/montecarlo.md)
])

EVENTS_SCHEMA = pa.schema([
    ("replication", pa.int64()),
    ("t_s", pa.float64()),
    ("kind", pa.string()),  # EVENT_KINDS
    ("threat", pa.int64()),  # -1 when not about a threat
    ("interceptor", pa.int64()),  # -1 when not about an interceptor
    ("fire_unit", pa.string()),  # "" when not about a fire unit
    ("detail", pa.string()),
])
EVENT_KINDS = (
    "release", "detection", "track confirmed", "track dropped", "assignment", "no engagement", "launch",
    "intercept", "miss", "interceptor lost", "kill assessment", "impact", "reload",
)

FLIGHTS_SCHEMA = pa.schema([  # sampled trajectories of interceptors (the raid's are in `trajectories`)
    ("replication", pa.int64()),
    ("interceptor", pa.int64()),
    ("t_s", pa.float64()),
    ("east_m", pa.float64()),
    ("north_m", pa.float64()),
    ("height_m", pa.float64()),
    ("speed_mps", pa.float64()),
])

RESOURCES_SCHEMA = pa.schema([
    ("replication", pa.int64()),
    ("fire_unit", pa.string()),
    ("missiles_fired", pa.int64()),
    ("missiles_left", pa.int64()),
    ("channel_seconds", pa.float64()),  # sum over engagements of the time a fire channel was held
])


@dataclass(frozen=True)
class Outcome:
    """Everything a run produced. `trajectories` holds the raid's truth (see report.trajectories.sample_raid)."""

    scenario: str
    seed: int
    replications: int
    fates: pa.Table
    shots: pa.Table
    events: pa.Table
    flights: pa.Table
    resources: pa.Table
    trajectories: pa.Table

    def replication(self, k: int) -> Outcome:
        """The tables of replication k alone (same schemas)."""
        import pyarrow.compute as pc

        def only(table: pa.Table) -> pa.Table:
            return table.filter(pc.equal(table["replication"], k))

        return Outcome(self.scenario, self.seed, 1, only(self.fates), only(self.shots), only(self.events),
                       only(self.flights), only(self.resources), self.trajectories)
