"""Load a scenario from a file, a string or a built-in name, reporting every problem with its line.

YAML is parsed to a node tree first (PyYAML's composer keeps each node's line), so that pydantic's error
locations, which are field paths, can be turned back into `FILE:LINE: field.path: reason`. JSON is read by the
same parser: a JSON document is valid YAML for everything a scenario uses.
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from iadsim.errors import Problem, ScenarioError
from iadsim.scenario.references import check_references
from iadsim.scenario.schema import Scenario

MAX_FILE_BYTES = 5_000_000  # a scenario is hand-written; anything larger is a mistake, not a scenario
MAX_NODES = 200_000  # guards against alias ("billion laughs") expansion and absurd files
LIBRARY = "iadsim.scenario.library"

Path_ = tuple[str | int, ...]
_SCALARS = yaml.constructor.SafeConstructor()


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    return sorted(p.name[:-5] for p in resources.files(LIBRARY).iterdir() if p.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    return resources.files(LIBRARY).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a YAML/JSON scenario file by path. Raises ScenarioError."""
    text, source = read_scenario_text(name_or_path)
    return parse_scenario(text, source)


def read_scenario_text(name_or_path: str | Path) -> tuple[str, str]:
    """The text of a scenario and the name to cite in messages."""
    name = str(name_or_path)
    path = Path(name)
    if not path.exists() and name in builtin_names():
        return builtin_text(name), f"{name}.yaml"
    if not path.exists():
        known = ", ".join(builtin_names())
        raise ScenarioError(Problem(f"no such file, and not a built-in scenario (built-ins: {known})", source=name))
    if path.is_dir():
        raise ScenarioError(Problem("is a directory, not a scenario file", source=name))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(Problem(f"file is {size:,} bytes; a scenario is at most {MAX_FILE_BYTES:,}", source=name))
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ScenarioError(Problem("binary file (contains NUL bytes), expected YAML or JSON text", source=name))
    try:
        return raw.decode("utf-8"), name
    except UnicodeDecodeError as err:
        raise ScenarioError(Problem(f"not UTF-8 text (byte {err.start})", source=name)) from None


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario text. Every problem found is reported at once, each with its line."""
    return parse_scenario_with_lines(text, source)[0]


def parse_scenario_with_lines(text: str, source: str = "<scenario>") -> tuple[Scenario, dict[Path_, int]]:
    """`parse_scenario`, also returning the line of every field path (to locate later problems)."""
    data, lines = _parse_yaml(text, source)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError([_problem(e, source, lines) for e in err.errors()]) from None
    problems = [Problem(reason, path, source, _line_of(path, lines)) for path, reason in check_references(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario, lines


def locate(error: ScenarioError, lines: dict[Path_, int]) -> ScenarioError:
    """The same error with a line for every problem that has a field path but no line yet."""
    return ScenarioError([
        p if p.line is not None or not p.path else Problem(p.reason, p.path, p.source, _line_of(p.path, lines))
        for p in error.problems
    ])


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[Path_, int]]:
    if not text.strip():
        raise ScenarioError(Problem("empty file, expected a scenario mapping", source=source, line=1))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError(Problem(f"not valid YAML/JSON: {reason}", source=source, line=line)) from None
    if root is None:
        raise ScenarioError(Problem("empty file, expected a scenario mapping", source=source, line=1))
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    data = _construct(root, (), lines, problems, source, [0])
    if problems:
        raise ScenarioError(problems)
    if not isinstance(data, dict):
        raise ScenarioError(Problem("the top level must be a mapping of fields", source=source, line=lines[()]))
    return data, lines


def _construct(node: yaml.Node, path: Path_, lines: dict, problems: list, source: str, count: list[int]) -> Any:
    """Build plain Python data from a YAML node, recording the line of every path and catching duplicate keys."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ScenarioError(Problem(f"more than {MAX_NODES:,} values; not a plausible scenario", source=source))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, source)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                problems.append(Problem("duplicate key", path + (key,), source, key_node.start_mark.line + 1))
                continue
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, path + (key,), lines, problems, source, count)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (i,), lines, problems, source, count) for i, v in enumerate(node.value)]
    return _scalar(node, source)


def _scalar(node: yaml.Node, source: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise ScenarioError(Problem("a mapping key must be a plain value", source=source, line=node.start_mark.line + 1))
    try:
        value = _SCALARS.construct_object(node)
    except yaml.YAMLError as err:
        raise ScenarioError(Problem(f"bad value: {err}", source=source, line=node.start_mark.line + 1)) from None
    # an unquoted ISO time is a YAML timestamp; the format keeps times as text
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


def _line_of(path: Path_, lines: dict[Path_, int]) -> int | None:
    """Line of the deepest part of `path` present in the file (a missing field points at its parent)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _problem(error: dict, source: str, lines: dict[Path_, int]) -> Problem:
    # pydantic puts the model name of a union member or a validator tag in `loc`; keep only real field steps
    path = tuple(p for p in error["loc"] if isinstance(p, int) or not p[:1].isupper() and "[" not in p)
    reason = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        reason = "unknown field (check the spelling; `iadsim schema` lists the fields)"
    elif error["type"] == "missing":
        reason = "required field is missing"
    return Problem(reason, path, source, _line_of(path, lines))
