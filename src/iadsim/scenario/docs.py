"""Render docs/scenario-format.md from the schema, so the documentation cannot drift from the code.

`python -m iadsim.scenario.docs > docs/scenario-format.md` regenerates it; a test checks the file is current.
"""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from iadsim.scenario.schema import Scenario

UNIT_SUFFIXES = {
    "_deg": "degrees", "_m2": "m²", "_mps2": "m/s²", "_mps": "m/s", "_m": "metres", "_s": "seconds",
    "_kg": "kilograms", "_n": "newtons", "_w": "watts", "_db": "decibels", "_g": "g (9.80665 m/s²)",
}
INTRO = """# Scenario format

A scenario is one YAML (or JSON) file describing a defended area and a raid. Every field is listed below with
its unit; unknown fields are errors (a typo never falls back silently to a default). Field names carry their
units: `_m` metres, `_s` seconds, `_mps` metres per second, `_deg` degrees (the only angles in files), `_m2`
square metres, `_db` decibels. Positions are WGS84 latitude/longitude in degrees and height above mean sea
level in metres; inside, iadsim works in a local frame at `origin` (x east, y north, z height).

Check a file with `iadsim validate FILE`; every problem is printed as `FILE:LINE: field.path: reason`.
`iadsim schema` prints the JSON Schema for editors. The built-in scenarios (`iadsim scenarios`) are complete
examples, each number with its source: see `src/iadsim/scenario/library/`.

This page is generated from the schema by `python -m iadsim.scenario.docs`; a test keeps it current.
"""


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> list[type[BaseModel]]:
    if model in seen:
        return seen
    seen.append(model)
    for field in model.model_fields.values():
        for inner in _inner_models(field.annotation):
            _models(inner, seen)
    return seen


def _inner_models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _inner_models(arg)]


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin is list:
        return f"list of {_type_name(typing.get_args(annotation)[0])}"
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return getattr(annotation, "__name__", str(annotation))


def _constraints(field: FieldInfo) -> str:
    words = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "min_length": "length ≥", "max_length": "length ≤"}
    found = []
    for meta in field.metadata:
        for attr, word in words.items():
            value = getattr(meta, attr, None)
            if value is not None:
                found.append(f"{word} {value:g}" if isinstance(value, float) else f"{word} {value}")
        if getattr(meta, "pattern", None):
            found.append(f"pattern `{meta.pattern}`")
    return ", ".join(found)


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    value = field.default if field.default is not PydanticUndefined else field.default_factory()  # type: ignore[misc]
    if isinstance(value, BaseModel):
        return "see block"
    if isinstance(value, float):
        return f"`{value:.6g}`"
    return "—" if value is None else f"`{value}`"


def _unit(name: str) -> str:
    for suffix, unit in UNIT_SUFFIXES.items():
        if name.endswith(suffix):
            return unit
    return ""


def render_markdown() -> str:
    parts = [INTRO]
    for model in _models(Scenario, []):
        doc = (model.__doc__ or "").strip().splitlines()
        parts.append(f"\n## {model.__name__}\n")
        if doc:
            parts.append(" ".join(line.strip() for line in doc if line.strip()) + "\n")
        parts.append("\n| field | type | unit | default | constraints | meaning |\n|---|---|---|---|---|---|")
        for name, field in model.model_fields.items():
            description = (field.description or "").replace("|", "\\|")
            parts.append(
                f"| `{name}` | {_type_name(field.annotation)} | {_unit(name)} | {_default(field)} | "
                f"{_constraints(field)} | {description} |"
            )
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
