"""Addressing one field of a scenario by a path, to vary it (sweeps) or draw it from a prior (claim checks).

A path is the chain of field names from the top of the scenario, with list items chosen in brackets by id,
by 0-based index, or all at once with `*`:

    fire_units[buk-battery].reaction_time_s
    interceptor_types[9m317].lethality.pk_max
    aircraft[*].releases[0].count

Brackets (not dots) pick list items because ids may themselves contain dots. A path resolves against the
scenario with every default filled in (`Scenario.model_dump`), so a field the file leaves at its default can be
varied too. `with_values` returns a new scenario; validation runs again on it, so a value outside a field's
range is reported like any other bad input.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from iadsim.errors import Problem, ScenarioError
from iadsim.scenario.schema import Scenario

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\[\]]+\])*)")
_SELECTOR = re.compile(r"\[([^\[\]]+)\]")
Concrete = tuple[str | int, ...]


@dataclass(frozen=True)
class Step:
    field: str
    selectors: tuple[str, ...]  # "*", a 0-based index, or an id


def parse_path(text: str) -> tuple[Step, ...]:
    """Split `a[x].b.c[*]` into steps; ValueError says what is malformed."""
    if not text:
        raise ValueError("empty path")
    protected = re.sub(r"\[[^\[\]]*\]", lambda m: m.group(0).replace(".", "\0"), text)  # ids may hold dots
    steps = []
    for part in protected.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            shown = part.replace("\0", ".")
            raise ValueError(f"bad path {text!r}: '{shown}' is not `field` or `field[id]`, `field[0]`, `field[*]`")
        selectors = tuple(s.replace("\0", ".") for s in _SELECTOR.findall(match.group(2)))
        steps.append(Step(match.group(1), selectors))
    return tuple(steps)


def expand(data: dict, path: str) -> list[Concrete]:
    """Every concrete location `path` names in the scenario `data` (plain dict with defaults filled in)."""
    steps = parse_path(path)
    found: list[tuple[Concrete, Any]] = [((), data)]
    for step in steps:
        nxt = []
        for where, node in found:
            if isinstance(node, list):
                raise ValueError(f"{_show(where)} is a list: pick items with [id], [0] or [*] before '.{step.field}'")
            if not isinstance(node, dict) or step.field not in node:
                fields = ", ".join(sorted(node)) if isinstance(node, dict) else "none (not a block)"
                raise ValueError(f"{_show(where) or 'the scenario'} has no field '{step.field}' (fields: {fields})")
            items = [(where + (step.field,), node[step.field])]
            for selector in step.selectors:
                items = [hit for item in items for hit in _select(item, selector)]
            nxt.extend(items)
        found = nxt
    for where, value in found:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{_show(where)} is not a number (it is {type(value).__name__}); only numbers can vary")
    return [where for where, _ in found]


def _select(item: tuple[Concrete, Any], selector: str) -> list[tuple[Concrete, Any]]:
    where, node = item
    if not isinstance(node, list):
        raise ValueError(f"{_show(where)} is not a list; [{selector}] cannot pick from it")
    if selector == "*":
        return [(where + (i,), v) for i, v in enumerate(node)]
    ids = [v.get("id") if isinstance(v, dict) else None for v in node]
    if selector in ids:
        i = ids.index(selector)
        return [(where + (i,), node[i])]
    if selector.isdigit() and int(selector) < len(node):
        return [(where + (int(selector),), node[int(selector)])]
    known = ", ".join(str(i) for i in ids if i is not None) or f"indices 0..{len(node) - 1}"
    raise ValueError(f"{_show(where)} has no item '{selector}' (known: {known})")


def _show(where: Concrete) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")


def get_values(data: dict, path: str) -> list[float]:
    """The current value at each location `path` names."""
    return [_get(data, where) for where in expand(data, path)]


def _get(data: Any, where: Concrete) -> Any:
    for key in where:
        data = data[key]
    return data


def describe(values: dict[str, float]) -> str:
    """Settings as a reader sees them: `path=value, path=value`."""
    return ", ".join(f"{path}={value:g}" for path, value in values.items())


def with_values(scenario: Scenario, values: dict[str, float], source: str = "<scenario>") -> tuple[Scenario, str]:
    """A new scenario with each path set to its value (integer fields take the nearest integer), and its text.
    Raises ScenarioError, located at the path, for a path that names nothing or a value the field refuses."""
    from iadsim.scenario.loader import parse_scenario  # the loader checks paths itself (references.py)

    data = scenario.model_dump(mode="json")
    out = copy.deepcopy(data)
    problems = []
    for path, value in values.items():
        try:
            locations = expand(data, path)
        except ValueError as err:
            problems.append(Problem(str(err), (path,), source))
            continue
        for where in locations:
            parent = _get(out, where[:-1])
            parent[where[-1]] = round(value) if isinstance(_get(data, where), int) else float(value)
    if problems:
        raise ScenarioError(problems)
    text = json.dumps(out)
    return parse_scenario(text, f"{source} with {describe(values)}"), text
