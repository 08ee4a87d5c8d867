"""docs/scenario-format.md is generated from the schema and documents every field."""

from pathlib import Path

from iadsim.scenario.docs import _models, render_markdown
from iadsim.scenario.schema import Scenario

DOC = Path(__file__).parents[2] / "docs" / "scenario-format.md"


def test_scenario_format_doc_is_current():
    assert DOC.read_text() == render_markdown(), "run `make docs` to regenerate docs/scenario-format.md"


def test_every_block_and_field_is_described():
    for model in _models(Scenario, []):
        assert model.__doc__, model.__name__
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
            assert f"`{name}`" in DOC.read_text()
