"""Priors of uncertain parameters: their distributions, reproducible draws, and located errors."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from iadsim.claims.priors import check_reach, distribution, draw, reach
from iadsim.errors import ScenarioError
from iadsim.scenario import load_scenario, parse_scenario
from iadsim.scenario.schema import Prior

CALIBRATION = Path(__file__).parents[1] / "data" / "calibration.yaml"


@pytest.mark.parametrize("prior, mean, support", [
    (Prior(distribution="uniform", low=2, high=4), 3.0, (2, 4)),
    (Prior(distribution="triangular", low=0, mode=3, high=3), 2.0, (0, 3)),
    (Prior(distribution="beta", a=2, b=2, low=10, high=20), 15.0, (10, 20)),
    (Prior(distribution="loguniform", low=1, high=np.e), np.e - 1, (1, np.e)),  # mean (b − a)/ln(b/a)
    (Prior(distribution="normal", mean=0, sd=1, low=0), np.sqrt(2 / np.pi), (0, 4.89)),  # half-normal; Φ⁻¹(1 − 5e-7)
])
def test_priors_have_their_textbook_means_and_reach(prior, mean, support):
    assert distribution(prior).mean() == pytest.approx(mean, rel=1e-9)
    assert reach(prior) == pytest.approx(support, abs=0.01)


@pytest.mark.parametrize("prior, message", [
    ({"distribution": "uniform", "low": 1}, "needs low, high; missing high"),
    ({"distribution": "beta", "a": 1, "b": 1, "mean": 3}, "does not take mean"),
    ({"distribution": "uniform", "low": 2, "high": 1}, "low must be below high"),
    ({"distribution": "triangular", "low": 0, "mode": 5, "high": 1}, "mode must lie between"),
])
def test_bad_priors_are_located(prior, message):
    data = yaml.safe_load(CALIBRATION.read_text())
    data["uncertain"][0]["prior"] = prior
    with pytest.raises(ScenarioError, match=r":\d+: uncertain\[0\]\.prior: .*" + message):
        parse_scenario(yaml.safe_dump(data, sort_keys=False), "calibration.yaml")


def test_unknown_paths_and_priors_reaching_refused_values_are_located():
    data = yaml.safe_load(CALIBRATION.read_text())
    data["uncertain"][0]["path"] = "interceptor_types[nope].lethality.pk_max"
    with pytest.raises(ScenarioError, match=r"uncertain\[0\]\.path: interceptor_types has no item 'nope'"):
        parse_scenario(yaml.safe_dump(data), "c.yaml")
    data = yaml.safe_load(CALIBRATION.read_text())
    data["uncertain"][0]["prior"] = {"distribution": "uniform", "low": 0.5, "high": 1.5}
    with pytest.raises(ScenarioError, match=r"c\.yaml:\d+: uncertain\[0\]\.prior: the prior reaches 1\.5"):
        check_reach(yaml.safe_dump(data, sort_keys=False), "c.yaml")


def test_draws_are_reproducible_and_follow_the_prior():
    scenario = load_scenario("homs-2021")
    first, again = draw(scenario, 2_000, seed=4), draw(scenario, 2_000, seed=4)
    assert first.shape == (2_000, len(scenario.uncertain)) and np.array_equal(first, again)
    pk = first[:, 0]
    assert pk.min() >= 0.5 and pk.max() <= 0.95 and pk.mean() == pytest.approx(0.725, abs=0.01)
