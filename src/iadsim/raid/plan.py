"""The raid plan: aircraft along their routes, weapons released from them and flown to their targets.

`plan_raid` turns SI route and release descriptions into one `Raid`, whose segment table gives the truth
position, velocity and acceleration of every entity at any times (`Raid.states`). Aircraft come first, then
weapons in release order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from iadsim.errors import Problem, ScenarioError
from iadsim.raid.profiles import WeaponFlight, weapon_chain
from iadsim.raid.segments import SegmentTable, polyline_chain

AIRCRAFT, WEAPON = 0, 1


@dataclass(frozen=True)
class ReleasePlan:
    weapon_type: int
    target_asset: int
    count: int
    interval_s: float
    time_s: float | None = None
    at_waypoint: int | None = None


@dataclass(frozen=True)
class AircraftRoute:
    name: str
    rcs_m2: float
    points_m: np.ndarray  # (n, 3) waypoints in the local frame
    speeds_mps: np.ndarray  # (n,) speed on the leg starting at each waypoint
    start_time_s: float
    releases: list[ReleasePlan] = field(default_factory=list)


@dataclass(frozen=True)
class Raid:
    segments: SegmentTable
    kind: np.ndarray  # (E,) AIRCRAFT or WEAPON
    names: list[str]
    rcs_m2: np.ndarray  # (E,)
    carrier: np.ndarray  # (E,) index of the releasing aircraft, -1 for aircraft
    weapon_type: np.ndarray  # (E,) -1 for aircraft
    target_asset: np.ndarray  # (E,) -1 for aircraft
    end_point_m: np.ndarray  # (E, 3) impact point of a weapon, last waypoint of an aircraft

    @property
    def n_entities(self) -> int:
        return len(self.kind)

    @property
    def weapons(self) -> np.ndarray:
        return np.flatnonzero(self.kind == WEAPON)

    @property
    def release_time_s(self) -> np.ndarray:
        return self.segments.t_start_s

    @property
    def end_time_s(self) -> np.ndarray:
        return self.segments.t_end_s

    def states(self, t_s):
        """Truth position, velocity, acceleration (E, T, 3) and existence (E, T) at times `t_s`."""
        return self.segments.states(t_s)


def plan_raid(
    aircraft: list[AircraftRoute],
    flights: list[WeaponFlight],
    weapon_rcs_m2: np.ndarray,
    asset_points_m: np.ndarray,
    ground_m: float,
    source: str = "<scenario>",
) -> Raid:
    """Fly every route, release every weapon, and fly each weapon's profile to its target."""
    chains, names, kinds, rcs, carriers, types, targets = [], [], [], [], [], [], []
    releases: list[tuple[float, int, int, int, np.ndarray]] = []  # (time, aircraft, type, target, point)
    problems: list[Problem] = []
    for i, route in enumerate(aircraft):
        chain, waypoint_times = polyline_chain(route.points_m, route.speeds_mps, route.start_time_s)
        chains.append(chain)
        names.append(route.name)
        kinds.append(AIRCRAFT)
        rcs.append(route.rcs_m2)
        carriers.append(-1), types.append(-1), targets.append(-1)
        own = SegmentTable.from_chains([chain])
        for j, release in enumerate(route.releases):
            first = waypoint_times[release.at_waypoint] if release.at_waypoint is not None else release.time_s
            times = first + release.interval_s * np.arange(release.count)
            where = ("aircraft", i, "releases", j)
            if times[0] < waypoint_times[0] or times[-1] > waypoint_times[-1]:
                problems.append(Problem(
                    f"release at t = {times[0]:.1f}–{times[-1]:.1f} s is outside the route's flight time "
                    f"({waypoint_times[0]:.1f}–{waypoint_times[-1]:.1f} s)", where + ("time_s",), source))
                continue
            points = own.states(times)[0][0]
            flight = flights[release.weapon_type]
            target = asset_points_m[release.target_asset]
            farthest = float(np.max(np.hypot(*(points[:, :2] - target[:2]).T)))
            if flight.profile != "constant_turn" and farthest > flight.max_range_m:
                problems.append(Problem(
                    f"target is {farthest / 1000:.1f} km from the release point, beyond the weapon's range of "
                    f"{flight.max_range_m / 1000:.1f} km", where + ("target",), source))
                continue
            releases += [(t, i, release.weapon_type, release.target_asset, p) for t, p in zip(times, points)]
    if problems:
        raise ScenarioError(problems)

    count_per_aircraft = [0] * len(aircraft)
    for t, i, weapon_type, target, point in sorted(releases, key=lambda r: (r[0], r[1])):
        chains.append(weapon_chain(flights[weapon_type], point, t, asset_points_m[target], ground_m))
        count_per_aircraft[i] += 1
        names.append(f"{aircraft[i].name}/w{count_per_aircraft[i]}")
        kinds.append(WEAPON)
        rcs.append(weapon_rcs_m2[weapon_type])
        carriers.append(i), types.append(weapon_type), targets.append(target)

    segments = SegmentTable.from_chains(chains)
    # evaluated after every end time, each entity is frozen at its own end point (see SegmentTable.states)
    end_points = segments.states(segments.t_end_s.max(initial=0.0))[0][:, 0] if chains else np.zeros((0, 3))
    return Raid(
        segments=segments,
        kind=np.array(kinds, dtype=np.int8),
        names=names,
        rcs_m2=np.array(rcs, dtype=float),
        carrier=np.array(carriers, dtype=np.int64),
        weapon_type=np.array(types, dtype=np.int64),
        target_asset=np.array(targets, dtype=np.int64),
        end_point_m=end_points,
    )
