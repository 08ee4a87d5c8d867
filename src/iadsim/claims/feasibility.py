"""Could the battery have done what the claim says? Interceptors, fire channels and time, against the raid.

Counted, not simulated, so the reader can follow every step:
- interceptors the claim needs at least: K kills × the interceptors one engagement fires (the salvo size; 1 for
  shoot-look-shoot, when every first shot kills), and as many as the model expects: K × its interceptors per kill;
- interceptors the battery had: ready on the launchers at the start, and at most what its reloads add within the
  raid's time window (every launcher reloaded as often as its reload time allows: an upper bound);
- engagements its fire channels can carry in the window: channels × window / time one engagement holds a channel
  (its interceptors' flight plus the kill-assessment delay, from a recorded replication).
A claim that needs more than the battery had is flagged. The timeline — threats and interceptors in the air,
interceptors launched against those available — comes from one recorded replication of the scenario as written.
"""

from __future__ import annotations

import math

import numpy as np

from iadsim.engine.outcome import Outcome
from iadsim.scenario.world import World

TIMELINE_STEP_S = 1.0


def feasibility(world: World, recorded: Outcome, fired: int, intercepted: int,
                interceptors_per_kill: float | None) -> dict:
    weapons, units = world.raid.weapons, world.fire_units
    start_s = float(world.raid.release_time_s[weapons].min())
    end_s = float(world.raid.end_time_s[weapons].max())
    window_s = end_s - start_s
    ready = int(units.ready_missiles.sum())
    reload_bound = int(np.minimum(units.reloads, np.floor(window_s / units.reload_time_s) * units.ready_missiles).sum())
    per_engagement = int(units.missiles_per_engagement.min(initial=1))
    channels = int(units.fire_channels.sum())
    shots = recorded.shots
    flight_s = np.asarray(shots["end_time_s"]) - np.asarray(shots["launch_time_s"])
    delay_s = float(units.assessment_delay_s.max(initial=0.0))
    hold_s = float(np.mean(flight_s)) + delay_s if flight_s.size else math.nan
    needed_min = intercepted * per_engagement
    needed_expected = intercepted * interceptors_per_kill if interceptors_per_kill else None
    engagements_possible = channels * window_s / hold_s if hold_s > 0 else math.nan
    flags = []
    if needed_min > ready + reload_bound:
        flags.append(f"impossible: {intercepted} kills need at least {needed_min} interceptors; the battery had "
                     f"{ready} ready and at most {reload_bound} more from reloads within the {window_s:.0f} s raid")
    elif needed_min > ready:
        flags.append(f"needs reloads: {needed_min} interceptors at least, {ready} ready at the start")
    if needed_expected is not None and needed_expected > ready + reload_bound:
        flags.append(f"tight: at the model's average {interceptors_per_kill:.2f} interceptors per kill, {intercepted} "
                     f"kills take about {needed_expected:.1f} interceptors, more than the {ready + reload_bound} available "
                     "(only replications that spend less reach the claim)")
    if intercepted > engagements_possible:
        flags.append(f"channels: {intercepted} kills need {intercepted} engagements; {channels} channels carry about "
                     f"{engagements_possible:.0f} in the window")
    if fired != len(world.raid.weapons):
        flags.append(f"the claim counts {fired} fired; the scenario's raid has {len(world.raid.weapons)} weapons")
    return {
        "raid_window_s": [start_s, end_s],
        "interceptors_needed_min": needed_min,
        "interceptors_needed_expected": needed_expected,
        "interceptors_ready": ready,
        "interceptors_from_reloads_max": reload_bound,
        "fire_channels": channels,
        "engagement_hold_s": hold_s,
        "engagements_possible": engagements_possible,
        "feasible": not any(f.startswith("impossible") for f in flags),
        "flags": flags,
        "timeline": timeline(recorded),
    }


def timeline(recorded: Outcome) -> dict:
    """Threats in the air, interceptors in the air, and interceptors launched so far, each second of one
    replication."""
    fates, shots = recorded.fates, recorded.shots
    release = np.asarray(fates["release_time_s"])
    end = np.asarray(fates["end_time_s"])
    launch = np.asarray(shots["launch_time_s"])
    shot_end = np.asarray(shots["end_time_s"])
    t = np.arange(math.floor(release.min()) - 10, math.ceil(np.nanmax(np.append(end, shot_end))) + 10, TIMELINE_STEP_S)
    return {
        "t_s": t.tolist(),
        "threats_in_flight": ((release[None] <= t[:, None]) & (t[:, None] < end[None])).sum(axis=1).tolist(),
        "interceptors_in_flight": ((launch[None] <= t[:, None]) & (t[:, None] < shot_end[None])).sum(axis=1).tolist(),
        "interceptors_launched": (launch[None] <= t[:, None]).sum(axis=1).tolist(),
    }
