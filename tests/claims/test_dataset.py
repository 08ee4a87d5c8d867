"""The packaged claims dataset: every row loads and validates, ids are unique, links resolve, bad rows fail;
and `iadsim claims` shows it."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from iadsim.claims import Claim, get_claim, load_claims
from iadsim.cli import app
from iadsim.errors import ScenarioError
from iadsim.scenario.loader import builtin_names


def test_every_row_loads_and_validates():
    claims = load_claims()
    assert len(claims) == 7
    for claim in claims:
        assert Claim.model_validate(claim.model_dump()) == claim
        assert claim.reported_by and claim.systems_credited


def test_ids_are_unique():
    ids = [claim.id for claim in load_claims()]
    assert len(ids) == len(set(ids))


def test_linked_scenarios_are_builtin():
    linked = {claim.scenario for claim in load_claims() if claim.scenario is not None}
    assert linked == {"homs-2021", "aleppo-2021"}
    assert linked <= set(builtin_names())


def test_rows_as_briefed():
    homs, aleppo, patriot = get_claim("homs-2021-07-22"), get_claim("aleppo-2021-07-19"), get_claim(
        "patriot-1991-desert-storm")
    assert (homs.claimed_intercepted, homs.fired, homs.systems_credited) == (4, 4, ["Buk-M2E"])
    assert (aleppo.claimed_intercepted, aleppo.fired) == (7, 8)
    assert (patriot.claimed_intercepted, patriot.fired) == (41, 42)
    assert patriot.independent.evidence_success_fraction == 0.09
    assert "GAO/NSIAD-92-340" in patriot.independent.summary and "engaged" in patriot.notes


def test_unknown_id_names_the_known_ones():
    with pytest.raises(ScenarioError) as err:
        get_claim("homs-2099-01-01")
    message = str(err.value)
    assert "unknown claim 'homs-2099-01-01'" in message
    assert all(claim.id in message for claim in load_claims())


def _row(**changes) -> dict:
    return {**get_claim("homs-2021-07-22").model_dump(), **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"claimed_intercepted": 5},  # more intercepted than fired
        {"fired": 0, "claimed_intercepted": 0},
        {"claimed_intercepted": -1},
        {"independent": {"summary": "x", "impacts_seen": 5, "evidence_success_fraction": None}},
        {"independent": {"summary": "x", "impacts_seen": None, "evidence_success_fraction": 1.5}},
        {"id": "Homs 2021"},  # not a slug
        {"unexpected": 1},  # unknown field
    ],
)
def test_impossible_rows_are_rejected(changes):
    with pytest.raises(ValidationError):
        Claim.model_validate(_row(**changes))


def test_claims_are_frozen():
    with pytest.raises(ValidationError):
        get_claim("homs-2021-07-22").fired = 5


runner = CliRunner()


def test_cli_claims_table():
    result = runner.invoke(app, ["claims"])
    assert result.exit_code == 0, result.output
    assert "homs-2021-07-22" in result.output and "100.0 % (39.8–100.0)" in result.output
    assert "Pooled" in result.output and "72 of 84" in result.output


def test_cli_claims_json():
    result = runner.invoke(app, ["claims", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["claims"]) == 7
    homs = next(row for row in data["claims"] if row["id"] == "homs-2021-07-22")
    assert homs["face_value"]["low"] == pytest.approx(0.3976354, abs=5e-7) and homs["face_value"]["high"] == 1.0
    assert (data["pooled_2021"]["intercepted"], data["pooled_2021"]["fired"]) == (72, 84)
    assert len(data["pooled_2021"]["claims"]) == 6
