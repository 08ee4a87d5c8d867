"""The ABC posterior against a closed form: a uniform prior on a success probability θ and a binomial count
give the conjugate posterior Beta(K + 1, N − K + 1) (Gelman et al., *Bayesian Data Analysis*, 3rd ed., 2013,
§2.4). The reference table is drawn here with NumPy, so this checks the weighting and the quantiles alone."""

import numpy as np
import pytest
from scipy import stats

from iadsim.claims.posterior import coverage, likelihood, posterior


@pytest.mark.parametrize("fired, intercepted, per_draw", [(4, 4, 1), (8, 7, 1), (8, 7, 8), (24, 21, 4)])
def test_abc_posterior_matches_the_beta_binomial_closed_form(fired, intercepted, per_draw):
    rng = np.random.default_rng(12)
    theta = rng.uniform(0, 1, size=(60_000, 1))
    counts = rng.binomial(fired, theta, size=(60_000, per_draw))
    result = posterior(theta, likelihood(counts, intercepted), ["p"])["parameters"][0]["posterior"]
    exact = stats.beta(intercepted + 1, fired - intercepted + 1)
    assert result["mean"] == pytest.approx(exact.mean(), abs=0.006)
    assert result["low"] == pytest.approx(exact.ppf(0.025), abs=0.012)
    assert result["high"] == pytest.approx(exact.ppf(0.975), abs=0.012)
    assert result["median"] == pytest.approx(exact.median(), abs=0.01)


def test_self_calibration_of_a_binomial_reference_table_is_nominal():
    rng = np.random.default_rng(5)
    theta = rng.uniform(0, 1, size=(1_500, 1))
    counts = rng.binomial(6, theta, size=(1_500, 2))
    (share,) = coverage(theta, counts)
    assert 0.93 <= share <= 0.97
