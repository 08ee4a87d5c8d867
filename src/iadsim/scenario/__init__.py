"""Scenario: the file format (schema), the loader with located errors, and compilation to a World."""

from __future__ import annotations

from pathlib import Path

from iadsim.scenario.compile import compile_scenario
from iadsim.errors import ScenarioError
from iadsim.scenario.loader import (
    builtin_names,
    load_scenario,
    locate,
    parse_scenario,
    parse_scenario_with_lines,
    read_scenario_text,
)
from iadsim.scenario.schema import Scenario
from iadsim.scenario.world import World


def load_world(name_or_path: str | Path) -> World:
    """Load, validate and compile a scenario (built-in name or file). Raises ScenarioError with locations."""
    text, source = read_scenario_text(name_or_path)
    return world_from_text(text, source)


def world_from_text(text: str, source: str = "<scenario>") -> World:
    """Validate and compile scenario text; problems found while compiling are located in the text too."""
    scenario, lines = parse_scenario_with_lines(text, source)
    try:
        return compile_scenario(scenario, source)
    except ScenarioError as err:
        raise locate(err, lines) from None


__all__ = [
    "Scenario", "World", "builtin_names", "compile_scenario", "load_scenario", "load_world", "parse_scenario",
    "world_from_text",
]
