"""Engine state: everything that changes during a run, as arrays with a leading replication axis R.

Truth of the raid does not depend on the replication (it is the World's segment table); what does — which
threats are still alive, the track picture, the fire units' resources, engagements and interceptors — lives here.
Interceptors are one flat axis N with a replication column (see `iadsim.interceptor.state`); the engine adds the
columns fire control needs (`Shots`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from iadsim.interceptor import InterceptorState


@dataclass
class Engagements:
    """Per replication and track slot: the engagement of the threat that track is on (R, T arrays)."""

    track_id: np.ndarray  # the track the record belongs to (-1: none); a reused slot resets its record
    attempts: np.ndarray  # engagements started on it
    in_flight: np.ndarray  # interceptors of the current engagement still flying
    unit: np.ndarray  # fire unit holding a channel for it (-1: none)
    pending: np.ndarray  # bool: kill assessment of the last engagement not yet known
    assess_at_s: np.ndarray
    any_kill: np.ndarray  # bool: the last engagement killed its target (the truth the assessment judges)
    judged_killed: np.ndarray  # bool
    last_end_s: np.ndarray  # when the last interceptor of the current engagement ended

    @classmethod
    def empty(cls, n_replications: int, n_slots: int) -> Engagements:
        shape = (n_replications, n_slots)
        return cls(
            track_id=np.full(shape, -1, dtype=np.int64), attempts=np.zeros(shape, dtype=np.int64),
            in_flight=np.zeros(shape, dtype=np.int64), unit=np.full(shape, -1, dtype=np.int64),
            pending=np.zeros(shape, dtype=bool), assess_at_s=np.full(shape, np.nan),
            any_kill=np.zeros(shape, dtype=bool), judged_killed=np.zeros(shape, dtype=bool),
            last_end_s=np.full(shape, -np.inf),
        )

    def reset(self, mask: np.ndarray, new_track_id: np.ndarray) -> None:
        """Start fresh records where `mask` (R, T): the slot now holds another track."""
        self.track_id[mask] = new_track_id[mask]
        for name, value in (("attempts", 0), ("in_flight", 0), ("unit", -1), ("pending", False),
                            ("assess_at_s", np.nan), ("any_kill", False), ("judged_killed", False),
                            ("last_end_s", -np.inf)):
            getattr(self, name)[mask] = value


@dataclass
class Resources:
    """Fire units' missiles and channels per replication."""

    ready: np.ndarray  # (R, F, L) missiles ready on each launcher (padded launchers hold 0)
    capacity: np.ndarray  # (F, L) missiles a launcher holds when loaded
    reloads_left: np.ndarray  # (R, F)
    reload_done_s: np.ndarray  # (R, F, L) NaN when not reloading
    channels_busy: np.ndarray  # (R, F)
    channel_seconds: np.ndarray  # (R, F)
    fired: np.ndarray  # (R, F)


@dataclass
class Shots:
    """Engine columns beside the flyout's InterceptorState, row for row."""

    ordinal: np.ndarray  # interceptor index within its replication (launch order)
    unit: np.ndarray
    launcher: np.ndarray
    slot: np.ndarray  # track slot engaged
    track_id: np.ndarray
    pip_m: np.ndarray  # (N, 3) predicted intercept point at launch
    predicted_intercept_s: np.ndarray

    @classmethod
    def empty(cls) -> Shots:
        return cls(*(np.zeros(0, dtype=np.int64) for _ in range(5)), np.zeros((0, 3)), np.zeros(0))

    def take(self, index) -> Shots:
        return Shots(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concatenate(parts: list[Shots]) -> Shots:
        return Shots(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Shots)})


@dataclass
class ThreatRecord:
    """Per replication and raid entity (R, E): what the defence knew and did about it."""

    alive: np.ndarray  # bool: not killed and not yet impacted
    first_detection_s: np.ndarray
    first_track_s: np.ndarray
    killed_s: np.ndarray
    intercept_m: np.ndarray  # (R, E, 3)
    impact_s: np.ndarray
    impact_miss_m: np.ndarray
    interceptors: np.ndarray  # fired at it
    hold_reason: np.ndarray  # furthest stage reached while not engaged (-1: never evaluated)
    envelope_reason: np.ndarray  # envelope code behind an OUTSIDE reason

    @classmethod
    def start(cls, n_replications: int, n_entities: int) -> ThreatRecord:
        shape = (n_replications, n_entities)
        nan = np.full(shape, np.nan)
        return cls(
            alive=np.ones(shape, dtype=bool), first_detection_s=nan.copy(), first_track_s=nan.copy(),
            killed_s=nan.copy(), intercept_m=np.full(shape + (3,), np.nan), impact_s=nan.copy(),
            impact_miss_m=nan.copy(), interceptors=np.zeros(shape, dtype=np.int64),
            hold_reason=np.full(shape, -1, dtype=np.int64), envelope_reason=np.full(shape, -1, dtype=np.int64),
        )


@dataclass
class EngineState:
    threats: ThreatRecord
    track_truth: np.ndarray  # (R, T) raid entity of each track slot's last measurement (-1: false alarm / none)
    engagements: Engagements
    resources: Resources
    interceptors: InterceptorState
    shots: Shots
    launched: np.ndarray  # (R,) interceptors launched so far
    done_s: np.ndarray  # (R,) when the replication had nothing left in flight (NaN: not yet)
    events: list = field(default_factory=list)  # rows of EVENTS_SCHEMA, when recording
    flights: list = field(default_factory=list)  # rows of FLIGHTS_SCHEMA, when recording
    shot_rows: list = field(default_factory=list)  # rows of SHOTS_SCHEMA
