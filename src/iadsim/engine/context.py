"""What a run needs that does not change during it: the World and the models built from it once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.firecontrol.envelope import FlyoutTable, StackedFlyoutTables
from iadsim.firecontrol.interceptors import EngagementEnvelopes
from iadsim.interceptor import InterceptorParams
from iadsim.scenario.world import World
from iadsim.sensors.radar import RadarSet
from iadsim.tracking.config import TrackerConfig

RADAR_HOLD_SCANS = 2.0  # a fire unit's radar holds a track it updated within this many scans


@dataclass(frozen=True)
class RunContext:
    world: World
    radars: RadarSet
    tracker: TrackerConfig
    interceptors: InterceptorParams
    envelopes: EngagementEnvelopes
    flyout_tables: list[FlyoutTable]  # one per interceptor type, flown from the terrain's height
    stacked_tables: StackedFlyoutTables  # the same, padded for kernels
    heading_error_rad: np.ndarray  # (types,) deliberate launch error (textbook cases)
    keys: np.ndarray  # (R,) replication keys
    first_replication: int
    record: bool  # keep events and sampled flights (single runs); off for Monte Carlo

    @property
    def n_replications(self) -> int:
        return len(self.keys)
