"""Compile a validated Scenario into a World: local-frame arrays in SI units, the raid planned.

This is the last place that sees pydantic objects. Degrees become radians, geodetic positions become the local
frame at the scenario origin, and the raid is flown once (`iadsim.raid.plan_raid`) to a segment table.
"""

from __future__ import annotations

import math

import numpy as np

from iadsim.earth.frames import Origin, geodetic_to_local
from iadsim.firecontrol.interceptors import engagement_envelopes, interceptor_params, launch_heading_error_rad
from iadsim.raid.plan import AircraftRoute, ReleasePlan, plan_raid
from iadsim.raid.profiles import STANDARD_GRAVITY_MPS2, WeaponFlight
from iadsim.scenario.schema import Position, Scenario
from iadsim.scenario.world import Assets, FireUnits, Radars, WeaponTypes, World


def compile_scenario(scenario: Scenario, source: str = "<scenario>") -> World:
    """Turn a validated Scenario into a World. Raises ScenarioError for inconsistencies only flight reveals."""
    origin = Origin(scenario.origin.lat_deg, scenario.origin.lon_deg, scenario.origin.alt_m)
    ground_m = scenario.origin.alt_m

    def local(positions: list[Position], extra_height_m=0.0) -> np.ndarray:
        if not positions:
            return np.zeros((0, 3))
        lat, lon, alt = (np.array([getattr(p, f) for p in positions], dtype=float) for f in ("lat_deg", "lon_deg", "alt_m"))
        east, north, up = geodetic_to_local(lat, lon, alt + extra_height_m, origin)
        return np.stack([np.asarray(east, float), np.asarray(north, float), np.asarray(up, float)], axis=1).reshape(-1, 3)

    assets = Assets(
        ids=[a.id for a in scenario.assets],
        names=[a.name or a.id for a in scenario.assets],
        position_m=local([a.position for a in scenario.assets]),
        value=np.array([a.value for a in scenario.assets]),
        radius_m=np.array([a.radius_m for a in scenario.assets]),
    )
    weapon_types = WeaponTypes(
        ids=[w.id for w in scenario.weapon_types],
        speed_mps=np.array([w.speed_mps for w in scenario.weapon_types]),
        rcs_m2=np.array([w.rcs_m2 for w in scenario.weapon_types]),
        profile=[w.profile for w in scenario.weapon_types],
        cep_m=np.array([w.cep_m for w in scenario.weapon_types]),
    )
    return World(
        name=scenario.name,
        origin=origin,
        ground_m=ground_m,
        earth_k_factor=scenario.sim.earth_k_factor,
        duration_s=scenario.sim.duration_s,
        cycle_s=scenario.sim.cycle_s,
        flyout_step_s=scenario.sim.flyout_step_s,
        flyout_midcourse_step_s=scenario.sim.flyout_midcourse_step_s,
        seed=scenario.sim.seed,
        start_time_utc=scenario.sim.start_time_utc,
        assets=assets,
        radars=_radars(scenario, local),
        fire_units=_fire_units(scenario, local),
        interceptor_type_ids=[t.id for t in scenario.interceptor_types],
        interceptors=interceptor_params(scenario),
        envelopes=engagement_envelopes(scenario),
        launch_heading_error_rad=launch_heading_error_rad(scenario),
        weapon_types=weapon_types,
        raid=_raid(scenario, local, assets, weapon_types, ground_m, source),
    )


def _radars(s: Scenario, local) -> Radars:
    rs = s.radars

    def column(get, dtype=float):
        return np.array([get(r) for r in rs], dtype=dtype)

    def ref(field):
        return column(lambda r: getattr(r.reference, field) if r.reference else math.nan)

    def eq(field):
        return column(lambda r: getattr(r.equation, field) if r.equation else math.nan)

    sites = local([r.position for r in rs])
    sites[:, 2] += column(lambda r: r.antenna_height_m)
    return Radars(
        ids=[r.id for r in rs],
        antenna_m=sites,
        uses_reference=column(lambda r: r.reference is not None, bool),
        reference_range_m=ref("range_m"),
        reference_rcs_m2=ref("rcs_m2"),
        reference_pd=ref("pd"),
        peak_power_w=eq("peak_power_w"),
        gain_db=eq("gain_db"),
        wavelength_m=eq("wavelength_m"),
        pulse_width_s=eq("pulse_width_s"),
        noise_figure_db=eq("noise_figure_db"),
        losses_db=eq("losses_db"),
        coherent_pulses=eq("n_pulses"),
        pfa=column(lambda r: r.pfa),
        swerling=column(lambda r: r.swerling, np.int64),
        n_pulses=column(lambda r: r.n_pulses, np.int64),
        scan_period_s=column(lambda r: r.scan_period_s),
        sigma_range_m=column(lambda r: r.sigma_range_m),
        sigma_azimuth_rad=np.radians(column(lambda r: r.sigma_azimuth_deg)),
        sigma_elevation_rad=np.radians(column(lambda r: r.sigma_elevation_deg)),
        min_elevation_rad=np.radians(column(lambda r: r.min_elevation_deg)),
        max_elevation_rad=np.radians(column(lambda r: r.max_elevation_deg)),
        min_range_m=column(lambda r: r.min_range_m),
        max_range_m=column(lambda r: r.max_range_m),
        false_alarms_per_scan=column(lambda r: r.false_alarms_per_scan),
    )


def _fire_units(s: Scenario, local) -> FireUnits:
    units = s.fire_units
    radar_index = {r.id: i for i, r in enumerate(s.radars)}
    type_index = {t.id: i for i, t in enumerate(s.interceptor_types)}
    mask = np.zeros((len(units), len(s.radars)), dtype=bool)
    for f, unit in enumerate(units):
        mask[f, [radar_index[r] for r in unit.radars]] = True

    def column(get, dtype=float):
        return np.array([get(u) for u in units], dtype=dtype)

    return FireUnits(
        ids=[u.id for u in units],
        position_m=local([u.position for u in units]),
        radar_mask=mask,
        interceptor_type=column(lambda u: type_index[u.interceptor_type], np.int64),
        ready_missiles=column(lambda u: sum(lc.ready_missiles for lc in u.launchers), np.int64),
        launcher_ids=[[lc.id for lc in u.launchers] for u in units],
        launcher_ready=[np.array([lc.ready_missiles for lc in u.launchers], dtype=np.int64) for u in units],
        reloads=column(lambda u: u.reloads, np.int64),
        reload_time_s=column(lambda u: u.reload_time_s),
        fire_channels=column(lambda u: u.fire_channels, np.int64),
        reaction_time_s=column(lambda u: u.reaction_time_s),
        salvo=column(lambda u: u.doctrine.mode == "salvo", bool),
        salvo_size=column(lambda u: u.doctrine.salvo_size, np.int64),
        missiles_per_engagement=column(lambda u: u.doctrine.salvo_size if u.doctrine.mode == "salvo" else 1, np.int64),
        max_engagements_per_threat=column(lambda u: u.doctrine.max_engagements_per_threat, np.int64),
        assessment_delay_s=column(lambda u: u.kill_assessment.delay_s),
        assessment_error_probability=column(lambda u: u.kill_assessment.error_probability),
    )


def _raid(s: Scenario, local, assets: Assets, weapon_types: WeaponTypes, ground_m: float, source: str):
    weapon_index = {w.id: i for i, w in enumerate(s.weapon_types)}
    asset_index = {a.id: i for i, a in enumerate(s.assets)}
    flights = [
        WeaponFlight(
            profile=w.profile,
            speed_mps=w.speed_mps,
            cruise_height_m=w.cruise_altitude_m,
            climb_angle_rad=math.radians(w.climb_descent_angle_deg),
            terminal_range_m=w.terminal_range_m,
            dive_angle_rad=math.radians(w.terminal_dive_angle_deg),
            pop_up_height_m=w.pop_up_altitude_m,
            turn_accel_mps2=w.turn_g * STANDARD_GRAVITY_MPS2,
            max_range_m=w.max_range_m,
        )
        for w in s.weapon_types
    ]
    routes = [
        AircraftRoute(
            name=a.id,
            rcs_m2=a.rcs_m2,
            points_m=local(list(a.route)),
            speeds_mps=np.array([w.speed_mps for w in a.route]),
            start_time_s=a.start_time_s,
            releases=[
                ReleasePlan(
                    weapon_type=weapon_index[r.weapon_type],
                    target_asset=asset_index[r.target],
                    count=r.count,
                    interval_s=r.interval_s,
                    time_s=r.time_s,
                    at_waypoint=r.at_waypoint,
                )
                for r in a.releases
            ],
        )
        for a in s.aircraft
    ]
    return plan_raid(routes, flights, weapon_types.rcs_m2, assets.position_m, ground_m, source)
