"""Checks that tie a scenario's blocks together: unique ids and references that point at something."""

from __future__ import annotations

from collections.abc import Iterator

from iadsim.scenario.paths import expand
from iadsim.scenario.schema import Scenario

Finding = tuple[tuple[str | int, ...], str]


def check_references(scenario: Scenario) -> list[Finding]:
    """Every broken reference and duplicate id, as (field path, reason)."""
    return list(_findings(scenario))


def _duplicates(kind: str, items: list, path: tuple) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in seen:
            yield path + (i, "id"), f"duplicate {kind} id '{item.id}' (first used at {kind}s[{seen[item.id]}])"
        seen.setdefault(item.id, i)


def _unknown(kind: str, ref: str, known: set[str]) -> str:
    listing = ", ".join(sorted(known)) or "none are defined"
    return f"unknown {kind} '{ref}' (known: {listing})"


def _findings(s: Scenario) -> Iterator[Finding]:
    yield from _duplicates("asset", s.assets, ("assets",))
    yield from _duplicates("radar", s.radars, ("radars",))
    yield from _duplicates("interceptor_type", s.interceptor_types, ("interceptor_types",))
    yield from _duplicates("fire_unit", s.fire_units, ("fire_units",))
    yield from _duplicates("weapon_type", s.weapon_types, ("weapon_types",))
    yield from _duplicates("aircraft", s.aircraft, ("aircraft",))

    radars = {r.id for r in s.radars}
    interceptors = {t.id for t in s.interceptor_types}
    assets = {a.id for a in s.assets}
    weapons = {w.id for w in s.weapon_types}

    for i, unit in enumerate(s.fire_units):
        for j, radar in enumerate(unit.radars):
            if radar not in radars:
                yield ("fire_units", i, "radars", j), _unknown("radar", radar, radars)
        if unit.interceptor_type not in interceptors:
            yield ("fire_units", i, "interceptor_type"), _unknown("interceptor type", unit.interceptor_type, interceptors)
        yield from _duplicates("launcher", unit.launchers, ("fire_units", i, "launchers"))

    data = s.model_dump(mode="json") if s.uncertain else {}
    paths: dict[str, int] = {}
    for i, parameter in enumerate(s.uncertain):
        try:
            expand(data, parameter.path)
        except ValueError as err:
            yield ("uncertain", i, "path"), str(err)
        if parameter.path in paths:
            yield ("uncertain", i, "path"), f"the same path as uncertain[{paths[parameter.path]}]"
        paths.setdefault(parameter.path, i)

    for i, aircraft in enumerate(s.aircraft):
        for j, release in enumerate(aircraft.releases):
            here = ("aircraft", i, "releases", j)
            if release.weapon_type not in weapons:
                yield here + ("weapon_type",), _unknown("weapon type", release.weapon_type, weapons)
            if release.target not in assets:
                yield here + ("target",), _unknown("target asset", release.target, assets)
            if release.at_waypoint is not None and release.at_waypoint >= len(aircraft.route):
                yield here + ("at_waypoint",), (
                    f"waypoint {release.at_waypoint} does not exist (the route has {len(aircraft.route)}: 0.."
                    f"{len(aircraft.route) - 1})"
                )
