"""The claim check end to end on a small scenario whose per-shot kill probability is the one uncertain parameter."""

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from iadsim.claims.check import Evidence, check_claim
from iadsim.claims.feasibility import feasibility
from iadsim.claims.posterior import coverage
from iadsim.claims.predictive import reference_table
from iadsim.cli import app
from iadsim.engine.simulate import simulate
from iadsim.scenario import world_from_text

CALIBRATION = Path(__file__).parents[1] / "data" / "calibration.yaml"


def test_face_value_only_without_a_scenario():
    result = check_claim(8, 7)
    assert result.summary["model"] is None and result.table is None
    assert result.summary["face_value"]["low"] == pytest.approx(0.4735, abs=1e-4)


def test_a_dataset_claim_brings_its_counts_and_pools_with_claims_for_the_same_system():
    summary = check_claim(claim="homs-2021-07-22", scenario=None).summary
    assert (summary["claim"]["fired"], summary["claim"]["intercepted"]) == (4, 4)
    assert "aleppo-2021-07-19" in summary["pooled"]["claims"]  # Buk-M2E credited there too


@pytest.mark.parametrize("text, parsed", [("impacts=2", ("impacts", "=", 2)), ("impacts >= 1", ("impacts", ">=", 1))])
def test_evidence_parses(text, parsed):
    evidence = Evidence.parse(text)
    assert (evidence.statistic, evidence.relation, evidence.value) == parsed


def test_the_model_parts_on_the_calibration_scenario():
    result = check_claim(6, 5, scenario=str(CALIBRATION), evidence="impacts=1", replications=24, per_draw=4,
                         seed=3, workers=1)
    model = result.summary["model"]
    assert model["draws"] == 6 and model["replications"] == 24 and model["threats"] == 6
    table = result.table
    kills, close, engaged = (table.count(c) for c in ("intercepted", "within_lethal_radius", "engaged"))
    assert np.all(kills <= close) and np.all(close <= engaged)  # each meaning is looser than the one before
    assert sum(r["probability"] for r in model["predictive"]["distribution"]) == pytest.approx(1.0)
    at_least = model["predictive"]["at_least_claimed"]
    assert at_least["estimate"] == pytest.approx(np.mean(kills >= 5)) and at_least["low"] <= at_least["estimate"]
    assert np.array_equal(result.weights_claim, (kills == 5).mean(axis=1))
    assert np.array_equal(result.weights_evidence, (table.count("impacts") == 1).mean(axis=1))
    assert model["feasibility"]["feasible"] and model["feasibility"]["interceptors_needed_min"] == 5
    json.dumps(result.summary)  # plain data throughout


def test_a_claim_that_needs_more_interceptors_than_the_battery_had_is_flagged():
    data = yaml.safe_load(CALIBRATION.read_text())
    data["fire_units"][0]["launchers"] = [{"id": "l1", "ready_missiles": 3}]
    text = yaml.safe_dump(data)
    world = world_from_text(text)
    recorded = simulate(world, seed=1, replications=1, record=True)
    verdict = feasibility(world, recorded, fired=6, intercepted=5, interceptors_per_kill=1.6)
    assert not verdict["feasible"]
    assert verdict["flags"][0].startswith("impossible: 5 kills need at least 5 interceptors; the battery had 3 ready")
    assert any(flag.startswith("tight") for flag in verdict["flags"])
    assert max(verdict["timeline"]["interceptors_launched"]) == 3


@pytest.mark.slow
def test_posterior_from_a_simulated_claim_covers_the_true_kill_probability_95_percent_of_the_time():
    """Simulation-based calibration on the engine itself: every replication in turn is the claim, its draw of
    P_k the truth, and the posterior comes from the other draws. With 150 draws the 95 % interval rests on a few
    dozen matching draws and covers a little less: an ideal binomial table of the same size (NumPy, below) gives
    about 0.93, and the engine must do as well."""
    table = reference_table(CALIBRATION.read_text(), "calibration.yaml", 600, 4, seed=11, workers=2)
    (share,) = coverage(table.theta, table.count("intercepted"))
    rng = np.random.default_rng(0)
    ideal = [coverage(theta, rng.binomial(6, theta, size=(150, 4)))[0]
             for theta in (rng.uniform(0.05, 0.95, size=(150, 1)) for _ in range(8))]
    assert 0.92 <= share <= 0.98 and abs(share - np.mean(ideal)) < 0.02, (share, ideal)


def test_cli_claim_writes_its_report(tmp_path):
    result = CliRunner().invoke(app, ["claim", str(CALIBRATION), "--fired", "6", "--intercepted", "6", "-n", "8",
                                      "--per-draw", "4", "--workers", "1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "What 'intercepted' means" in result.output
    page = (tmp_path / "claim.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "http" not in page.replace("http-equiv", "")
    assert json.loads((tmp_path / "claim.json").read_text())["claim"]["intercepted"] == 6
