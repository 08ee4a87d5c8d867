"""Binomial intervals against outside references: published table values, the defining tail equations,
closed forms at k = 0 and k = n, SciPy's independent implementation, and exact coverage."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from iadsim.montecarlo.stats import clopper_pearson, exact_coverage, wilson

# Clopper–Pearson 95 %. 4/4 and 7/8: the values quoted in the project brief ([0.398, 1.000], [0.473, 0.997]);
# 0/10 and 5/10: standard published exact limits ([0, 0.308], [0.187, 0.813]); 5/25: Conover, Practical
# Nonparametric Statistics (3rd ed., 1999), exact binomial table, 0.068 to 0.407 (worked example at
# influentialpoints.com/Training/confidence_intervals_of_proportions.htm).
CLOPPER_PEARSON_95 = [
    (4, 4, 0.398, 1.000),
    (7, 8, 0.473, 0.997),
    (0, 10, 0.000, 0.308),
    (5, 10, 0.187, 0.813),
    (5, 25, 0.068, 0.407),
]

# Wilson 95 % without continuity correction. 5/10 and 0/10: the values quoted in the project brief, from
# Brown, Cai & DasGupta (2001) eq. 4 ([0.237, 0.763], [0, 0.278]); the four illustrative cases of Newcombe
# (1998), Statistics in Medicine 17, 857-872, Table I, method 3, printed to 4 decimals.
WILSON_95_3DP = [(5, 10, 0.237, 0.763), (0, 10, 0.000, 0.278)]
NEWCOMBE_1998_WILSON_4DP = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), CLOPPER_PEARSON_95)
def test_clopper_pearson_published_values(k, n, low, high):
    got = clopper_pearson(k, n, 0.95)
    assert round(got[0], 3) == low and round(got[1], 3) == high


@pytest.mark.parametrize(("k", "n", "low", "high"), WILSON_95_3DP)
def test_wilson_published_values(k, n, low, high):
    got = wilson(k, n, 0.95)
    assert round(got[0], 3) == low and round(got[1], 3) == high


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE_1998_WILSON_4DP)
def test_wilson_newcombe_1998_table_1(k, n, low, high):
    got = wilson(k, n, 0.95)
    assert round(got[0], 4) == low and round(got[1], 4) == high


@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
@pytest.mark.parametrize(("k", "n"), [(1, 1), (3, 7), (7, 8), (12, 40), (99, 100)])
def test_clopper_pearson_solves_its_defining_tail_equations(k, n, confidence):
    # Clopper & Pearson (1934): P(X >= k | p_low) = α/2 and P(X <= k | p_high) = α/2, X ~ Bin(n, p).
    alpha = 1 - confidence
    low, high = clopper_pearson(k, n, confidence)
    assert stats.binom.sf(k - 1, n, low) == pytest.approx(alpha / 2, rel=1e-9)
    if k < n:
        assert stats.binom.cdf(k, n, high) == pytest.approx(alpha / 2, rel=1e-9)


@pytest.mark.parametrize("n", [1, 4, 10, 30, 1000])
def test_clopper_pearson_closed_forms_at_the_ends(n):
    # k = 0: high = 1 - (α/2)^(1/n); k = n: low = (α/2)^(1/n) (the exact one-sided tails).
    assert clopper_pearson(0, n)[1] == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-12)
    assert clopper_pearson(n, n)[0] == pytest.approx(0.025 ** (1 / n), rel=1e-12)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (1, 29), (5, 10), (81, 263), (40, 40), (333, 1000)])
def test_wilson_ends_solve_the_score_equation(k, n):
    # Wilson (1927): the ends are the p with (p̂ - p)² = z² p(1 - p) / n.
    z = stats.norm.isf(0.025)
    for p in wilson(k, n):
        assert (k / n - p) ** 2 == pytest.approx(z * z * p * (1 - p) / n, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(("k", "n"), [(0, 7), (3, 7), (7, 8), (15, 148), (500, 1000)])
def test_agrees_with_scipy_binomtest(k, n):
    result = stats.binomtest(k, n)
    exact = result.proportion_ci(confidence_level=0.95, method="exact")
    score = result.proportion_ci(confidence_level=0.95, method="wilson")
    np.testing.assert_allclose(clopper_pearson(k, n), (exact.low, exact.high), atol=1e-10)
    np.testing.assert_allclose(wilson(k, n), (score.low, score.high), atol=1e-10)


def test_exact_coverage_p03_n50():
    # Brown, Cai & DasGupta (2001) §2: exact coverage = Σ_k 1[p ∈ CI(k)] · Bin(k; n, p). Clopper–Pearson
    # never under-covers; Wilson stays near nominal. Recomputed independently here from the binomial pmf.
    p, n = 0.3, 50
    ks = np.arange(n + 1)
    pmf = stats.binom.pmf(ks, n, p)
    for method, interval in (("clopper-pearson", clopper_pearson), ("wilson", wilson)):
        low, high = interval(ks, n)
        independent = float(pmf[(low <= p) & (p <= high)].sum())
        assert exact_coverage(p, n, method=method) == pytest.approx(independent, rel=1e-12)
    assert exact_coverage(p, n, method="clopper-pearson") >= 0.95
    assert 0.92 <= exact_coverage(p, n, method="wilson") <= 0.98
