"""The loader: built-ins load, and every malformed file gives ScenarioError located at the right line and field."""

import json
import re
from pathlib import Path

import pytest
import yaml

from iadsim import ScenarioError, load_scenario, load_world
from iadsim.scenario import builtin_names, world_from_text
from iadsim.scenario.loader import MAX_FILE_BYTES

DATA = Path(__file__).parents[1] / "data"
BAD = sorted((DATA / "bad").glob("*.yaml"))


def test_corpus_is_large_enough():
    assert len(BAD) >= 25


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_is_located(path):
    expected_line, expected_field = re.match(r"# expect: (\d+) (\S+)", path.read_text()).groups()
    with pytest.raises(ScenarioError) as caught:
        load_world(path)
    located = [f"{p.line} {p.field}" for p in caught.value.problems]
    assert f"{expected_line} {expected_field}" in located, str(caught.value)
    assert str(caught.value).startswith(f"{path}:{expected_line}: ")


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_scenarios_load_and_compile(name):
    world = load_world(name)
    assert world.name == name
    assert len(world.raid.weapons) >= 1


def test_required_builtins_present():
    assert {"homs-2021", "aleppo-2021", "textbook-heading-error", "textbook-turning-target"} <= set(builtin_names())


def test_json_file_gives_the_same_scenario(tmp_path):
    data = yaml.safe_load((DATA / "minimal.yaml").read_text())
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(data, indent=1))
    assert load_scenario(path) == load_scenario(DATA / "minimal.yaml")


def test_every_problem_is_reported_at_once():
    text = (DATA / "minimal.yaml").read_text().replace("max_g: 20", "max_g: -1").replace("fire_channels: 4", "fire_channels: x")
    with pytest.raises(ScenarioError) as caught:
        world_from_text(text, "two.yaml")
    assert {p.field for p in caught.value.problems} == {"interceptor_types[0].max_g", "fire_units[0].fire_channels"}


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"\x00\x01binary\xff", "binary file"),
        (b"name: caf\xe9\n", "not UTF-8"),
        (b"x" * (MAX_FILE_BYTES + 1), "a scenario is at most"),
        (b"   \n\n", "empty file"),
        (b"just a string\n", "top level must be a mapping"),
        (b"a: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + b"".join(
            f"c{i}: &c{i} [*{'b' if i == 0 else f'c{i-1}'}, *{'b' if i == 0 else f'c{i-1}'}, "
            f"*{'b' if i == 0 else f'c{i-1}'}, *{'b' if i == 0 else f'c{i-1}'}, *{'b' if i == 0 else f'c{i-1}'}, "
            f"*{'b' if i == 0 else f'c{i-1}'}, *{'b' if i == 0 else f'c{i-1}'}, *{'b' if i == 0 else f'c{i-1}'}]\n".encode()
            for i in range(8)), "more than"),
    ],
    ids=["binary", "latin-1", "huge", "blank", "scalar", "alias-bomb"],
)
def test_file_level_problems(tmp_path, content, reason):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=reason):
        load_world(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ScenarioError, match="not a built-in scenario"):
        load_world(tmp_path / "nope.yaml")
    with pytest.raises(ScenarioError, match="is a directory"):
        load_world(tmp_path)
