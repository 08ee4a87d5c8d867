"""Fuzzing the loader: mutated valid scenarios never raise anything but ScenarioError."""

import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iadsim import ScenarioError
from iadsim.scenario import world_from_text

VALID = yaml.safe_load((Path(__file__).parents[1] / "data" / "minimal.yaml").read_text())
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(VALID) if p]


def _mutate(data, path, action, junk, new_key):
    data = copy.deepcopy(data)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "drop":
        del parent[last]
    elif action == "retype":
        parent[last] = junk
    elif action == "rename" and isinstance(parent, dict):
        parent[new_key] = parent.pop(last)
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    return data


def _loads_or_scenario_error(text):
    try:
        world_from_text(text, "fuzz.yaml")
    except ScenarioError as err:
        assert err.problems and all(str(p) for p in err.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(PATHS), st.sampled_from(["drop", "retype", "rename", "duplicate"]), JUNK,
                  st.text(min_size=1, max_size=10)),
        min_size=1, max_size=3,
    )
)
def test_field_mutations_only_raise_scenario_error(mutations):
    data = VALID
    for path, action, junk, new_key in mutations:
        try:
            data = _mutate(data, path, action, junk, new_key)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or retyped this path
    _loads_or_scenario_error(yaml.safe_dump(data))


@settings(max_examples=150, deadline=None)
@given(position=st.integers(0, 2000), junk=st.text(max_size=8), cut=st.booleans())
def test_text_corruption_only_raises_scenario_error(position, junk, cut):
    text = yaml.safe_dump(VALID)
    position %= len(text)
    text = text[:position] + ("" if cut else junk) + text[position + (len(junk) if cut else 0):]
    _loads_or_scenario_error(text)
