"""The compiled scenario: flat NumPy arrays in the local frame, SI units, radians. No pydantic below this line.

Local frame: x east, y north on the tangent plane at the scenario origin, z height above mean sea level
(docs/models/earth.md). The terrain is flat at `ground_m` (the origin's height) unless a terrain model is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.earth.frames import Origin
from iadsim.earth.terrain import Terrain
from iadsim.firecontrol.interceptors import EngagementEnvelopes
from iadsim.interceptor import InterceptorParams
from iadsim.raid.plan import Raid


@dataclass(frozen=True)
class Assets:
    ids: list[str]
    names: list[str]
    position_m: np.ndarray  # (A, 3)
    value: np.ndarray  # (A,)
    radius_m: np.ndarray  # (A,)


@dataclass(frozen=True)
class Radars:
    """Radar sites. Sensitivity is kept raw here; `iadsim.sensors` turns it into SNR."""

    ids: list[str]
    antenna_m: np.ndarray  # (D, 3) antenna phase centre: site + antenna height
    uses_reference: np.ndarray  # (D,) bool: sensitivity from a reference detection (else radar equation)
    reference_range_m: np.ndarray  # (D,) nan when not used
    reference_rcs_m2: np.ndarray
    reference_pd: np.ndarray
    peak_power_w: np.ndarray  # radar-equation parameters, nan when not used
    gain_db: np.ndarray
    wavelength_m: np.ndarray
    pulse_width_s: np.ndarray
    noise_figure_db: np.ndarray
    losses_db: np.ndarray
    coherent_pulses: np.ndarray
    pfa: np.ndarray
    swerling: np.ndarray  # (D,) int
    n_pulses: np.ndarray  # (D,) int, non-coherent
    scan_period_s: np.ndarray
    sigma_range_m: np.ndarray
    sigma_azimuth_rad: np.ndarray
    sigma_elevation_rad: np.ndarray
    min_elevation_rad: np.ndarray
    max_elevation_rad: np.ndarray
    min_range_m: np.ndarray
    max_range_m: np.ndarray
    false_alarms_per_scan: np.ndarray


@dataclass(frozen=True)
class FireUnits:
    ids: list[str]
    position_m: np.ndarray  # (F, 3)
    radar_mask: np.ndarray  # (F, D) bool: radars feeding each unit
    interceptor_type: np.ndarray  # (F,) index into World.interceptor_type_ids
    ready_missiles: np.ndarray  # (F,) on all launchers together
    launcher_ids: list[list[str]]  # per unit, its launchers' ids
    launcher_ready: list[np.ndarray]  # per unit, (L,) missiles on each launcher
    reloads: np.ndarray  # (F,)
    reload_time_s: np.ndarray
    fire_channels: np.ndarray  # (F,) int
    reaction_time_s: np.ndarray
    salvo: np.ndarray  # (F,) bool: salvo doctrine (else shoot-look-shoot)
    salvo_size: np.ndarray  # (F,) int
    missiles_per_engagement: np.ndarray  # (F,) int: salvo size, or 1 for shoot-look-shoot
    max_engagements_per_threat: np.ndarray  # (F,) int
    assessment_delay_s: np.ndarray
    assessment_error_probability: np.ndarray


@dataclass(frozen=True)
class WeaponTypes:
    ids: list[str]
    speed_mps: np.ndarray
    rcs_m2: np.ndarray
    profile: list[str]
    cep_m: np.ndarray


@dataclass(frozen=True)
class World:
    name: str
    origin: Origin
    ground_m: float
    earth_k_factor: float
    duration_s: float
    cycle_s: float
    flyout_step_s: float
    flyout_midcourse_step_s: float
    seed: int
    start_time_utc: str
    assets: Assets
    radars: Radars
    fire_units: FireUnits
    interceptor_type_ids: list[str]
    interceptors: InterceptorParams  # one row per interceptor type, for the flyout
    envelopes: EngagementEnvelopes  # published engagement zones per interceptor type
    launch_heading_error_rad: np.ndarray  # per interceptor type: deliberate launch error (textbook cases)
    weapon_types: WeaponTypes
    raid: Raid
    terrain: Terrain | None = None  # None: flat at ground_m; a GridTerrain adds masking (set from Python)
