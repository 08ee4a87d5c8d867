"""Scenario paths: every way of naming a field, and a clear error for each way of getting it wrong."""

import pytest

from iadsim.errors import ScenarioError
from iadsim.scenario import load_scenario
from iadsim.scenario.paths import expand, get_values, parse_path, with_values

HOMS = load_scenario("homs-2021")
DATA = HOMS.model_dump(mode="json")


@pytest.mark.parametrize("path, values", [
    ("fire_units[buk-battery].reaction_time_s", [12.0]),
    ("fire_units[0].reaction_time_s", [12.0]),
    ("interceptor_types[9m317].lethality.pk_max", [0.9]),
    ("aircraft[*].releases[0].count", [2, 2]),
    ("fire_units[buk-battery].doctrine.salvo_size", [1]),  # a default the file leaves out
])
def test_paths_name_fields_by_id_index_wildcard_and_default(path, values):
    assert get_values(DATA, path) == values


def test_ids_with_dots_go_in_brackets():
    (step,) = parse_path("radars[r.1]")
    assert step.selectors == ("r.1",)


@pytest.mark.parametrize("path, message", [
    ("fire_units[nope].reaction_time_s", "has no item 'nope' (known: buk-battery)"),
    ("fire_units.reaction_time_s", "is a list: pick items"),
    ("sim.nothing", "has no field 'nothing'"),
    ("name", "is not a number"),
    ("a..b", "bad path"),
])
def test_bad_paths_say_what_is_wrong(path, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expand(DATA, path)


def test_with_values_sets_every_location_and_rounds_integer_fields():
    scenario, text = with_values(HOMS, {"aircraft[*].releases[0].count": 5.4, "sim.cycle_s": 0.25})
    assert [a.releases[0].count for a in scenario.aircraft] == [5, 5]
    assert scenario.sim.cycle_s == 0.25 and '"cycle_s": 0.25' in text
    assert HOMS.aircraft[0].releases[0].count == 2  # the original is untouched


def test_with_values_revalidates_and_locates_the_problem():
    with pytest.raises(ScenarioError, match=r"fire_channels=500.*fire_units\[0\]\.fire_channels"):
        with_values(HOMS, {"fire_units[buk-battery].fire_channels": 500})
    with pytest.raises(ScenarioError, match="has no item"):
        with_values(HOMS, {"fire_units[x].fire_channels": 4})
