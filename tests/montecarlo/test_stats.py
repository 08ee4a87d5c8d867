"""Properties and argument checks of iadsim.montecarlo.stats (reference values: tests/validation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from iadsim.montecarlo.stats import (
    Proportion,
    bootstrap_mean,
    clopper_pearson,
    convergence,
    distribution_of_counts,
    exact_coverage,
    mean_interval,
    pooled,
    proportion,
    replications_needed,
    wilson,
)

INTERVALS = [clopper_pearson, wilson]
CONFIDENCES = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999])


@st.composite
def trials(draw, max_n=2000):
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


# ---------------------------------------------------------------- interval properties
@settings(max_examples=100, deadline=None)
@given(trials(), CONFIDENCES)
def test_intervals_lie_in_unit_interval_and_contain_the_estimate(kn, confidence):
    k, n = kn
    for interval in INTERVALS:
        low, high = interval(k, n, confidence)
        assert 0.0 <= low <= k / n <= high <= 1.0
        assert (low == 0.0) == (k == 0) and (high == 1.0) == (k == n)


@settings(max_examples=100, deadline=None)
@given(trials(), CONFIDENCES)
def test_more_data_at_the_same_proportion_gives_a_narrower_interval(kn, confidence):
    k, n = kn
    for interval in INTERVALS:
        low, high = interval(k, n, confidence)
        low2, high2 = interval(2 * k, 2 * n, confidence)
        assert high2 - low2 < high - low


@settings(max_examples=100, deadline=None)
@given(trials(), CONFIDENCES)
def test_clopper_pearson_contains_the_wilson_centre(kn, confidence):
    k, n = kn
    z2 = stats.norm.isf((1 - confidence) / 2) ** 2
    low, high = clopper_pearson(k, n, confidence)
    assert low <= (k + z2 / 2) / (n + z2) <= high


@settings(max_examples=100, deadline=None)
@given(trials(), st.sampled_from([(0.8, 0.9), (0.9, 0.95), (0.95, 0.99)]))
def test_higher_confidence_gives_a_nested_wider_interval(kn, levels):
    k, n = kn
    for interval in INTERVALS:
        low_a, high_a = interval(k, n, levels[0])
        low_b, high_b = interval(k, n, levels[1])
        assert low_b <= low_a and high_a <= high_b


@settings(max_examples=100, deadline=None)
@given(trials(), CONFIDENCES)
def test_swapping_successes_and_failures_mirrors_the_interval(kn, confidence):
    k, n = kn
    for interval in INTERVALS:
        low, high = interval(k, n, confidence)
        mirror_low, mirror_high = interval(n - k, n, confidence)
        assert low == pytest.approx(1 - mirror_high, abs=1e-12)
        assert high == pytest.approx(1 - mirror_low, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.001, 0.999), st.integers(1, 60), CONFIDENCES)
def test_clopper_pearson_never_under_covers(p, n, confidence):
    assert exact_coverage(p, n, confidence, method="clopper-pearson") >= confidence - 1e-9


@pytest.mark.parametrize("interval", INTERVALS)
def test_vectorised_call_matches_scalar_calls(interval):
    k = np.array([[0, 3, 10], [1, 2, 5]])
    n = np.array([10, 10, 10])
    low, high = interval(k, n)
    assert low.shape == high.shape == (2, 3)
    for index in np.ndindex(k.shape):
        assert (low[index], high[index]) == interval(int(k[index]), int(n[index[1]]))
    assert isinstance(interval(3, 10)[0], float)


# ---------------------------------------------------------------- Proportion, pooled
def test_proportion_carries_its_interval():
    result = proportion(7, 8, method="clopper-pearson")
    assert isinstance(result, Proportion)
    assert (result.k, result.n, result.estimate, result.method) == (7, 8, 0.875, "clopper-pearson")
    assert (result.low, result.high) == clopper_pearson(7, 8)
    assert proportion(7, 8).method == "wilson" and (proportion(7, 8).low, proportion(7, 8).high) == wilson(7, 8)
    assert result.half_width == pytest.approx((result.high - result.low) / 2)


def test_pooled_is_the_exact_interval_of_the_summed_counts():
    result = pooled([(4, 4), (7, 8), (0, 1)])
    assert (result.k, result.n, result.method) == (11, 13, "clopper-pearson")
    assert (result.low, result.high) == clopper_pearson(11, 13)
    # Pooling narrows the interval compared with either claim alone.
    for k, n in [(4, 4), (7, 8)]:
        low, high = clopper_pearson(k, n)
        assert result.high - result.low < high - low


# ---------------------------------------------------------------- means
def test_mean_interval_matches_the_t_formula():
    values = np.arange(10.0)  # mean 4.5, s = sqrt(110/12) = 3.0277
    result = mean_interval(values, 0.95)
    half = stats.t.isf(0.025, 9) * math.sqrt(110 / 12) / math.sqrt(10)
    assert (result.estimate, result.n, result.method) == (4.5, 10, "student-t")
    assert result.low == pytest.approx(4.5 - half) and result.high == pytest.approx(4.5 + half)
    assert half == pytest.approx(2.16585, abs=1e-5)  # t_{9, 0.975} = 2.262157; 2.262157 · 3.02765 / √10


@pytest.mark.parametrize("summary", [mean_interval, bootstrap_mean])
def test_too_few_values_give_nan_intervals_with_a_reason(summary):
    empty, single = summary([]), summary([3.0])
    assert empty.n == 0 and math.isnan(empty.estimate) and math.isnan(empty.low) and empty.note
    assert single.n == 1 and single.estimate == 3.0 and math.isnan(single.low) and math.isnan(single.high)
    assert "one value" in single.note


def test_bootstrap_is_deterministic_for_a_seed_and_close_to_t_for_normal_data():
    values = np.random.default_rng(7).normal(10.0, 2.0, size=200)
    first = bootstrap_mean(values, rng=123)
    assert first == bootstrap_mean(values, rng=123)
    assert first == bootstrap_mean(values, rng=np.random.default_rng(123))
    assert first.low < first.estimate < first.high and first.method == "bootstrap-percentile"
    t_result = mean_interval(values)
    assert first.high - first.low == pytest.approx(t_result.high - t_result.low, rel=0.15)


def test_bootstrap_chunking_does_not_change_the_draws(monkeypatch):
    import iadsim.montecarlo.stats as module

    values = np.linspace(0.0, 1.0, 37)
    whole = bootstrap_mean(values, n_resamples=500, rng=5)
    monkeypatch.setattr(module, "_BOOTSTRAP_CHUNK_ELEMENTS", 37 * 7)
    assert bootstrap_mean(values, n_resamples=500, rng=5) == whole


def test_constant_values_give_a_point_interval():
    assert (bootstrap_mean([2.0] * 5, rng=0).low, bootstrap_mean([2.0] * 5, rng=0).high) == (2.0, 2.0)
    assert (mean_interval([2.0] * 5).low, mean_interval([2.0] * 5).high) == (2.0, 2.0)


# ---------------------------------------------------------------- planning
def test_replications_needed_textbook_figure():
    assert replications_needed(0.5, 0.01) == 9604  # 1.96² · 0.25 / 0.01² = 9603.6 → 9604
    assert replications_needed(None, 0.01) == 9604
    assert replications_needed(0.1, 0.05, confidence=0.95) == 139  # 3.8415 · 0.09 / 0.0025 = 138.3
    np.testing.assert_array_equal(replications_needed([0.5, 0.1], 0.01), [9604, 3458])


@settings(max_examples=60, deadline=None)
@given(trials(max_n=500), st.floats(0.005, 0.5), CONFIDENCES)
def test_convergence_projection_is_the_smallest_sufficient_total(kn, target, confidence):
    k, n = kn
    result = convergence(k, n, target, confidence)
    z2 = stats.norm.isf((1 - confidence) / 2) ** 2
    pq = (k / n) * (1 - k / n)

    def projected_half_width(total):  # Wilson half-width at p̂ = k/n with `total` trials
        return math.sqrt(z2) * math.sqrt(total * pq + z2 / 4) / (total + z2)

    low, high = wilson(k, n, confidence)
    assert result.converged == ((high - low) / 2 <= target)
    if result.converged:
        assert result.additional_replications == 0
    else:
        assert result.additional_replications >= 1
        assert result.replications_needed == n + result.additional_replications
        assert projected_half_width(result.replications_needed) <= target * (1 + 1e-9)
        if result.replications_needed - 1 > n:
            assert projected_half_width(result.replications_needed - 1) > target * (1 - 1e-9)


def test_convergence_examples():
    done = convergence(500, 1000, 0.05)
    assert done.converged and done.additional_replications == 0 and done.half_width < 0.05
    # 0 of 10: Wilson half-width z²/(2(n+z²)) ≤ 0.05 needs n ≥ z²/0.1 - z² = 34.6 → 35 in total.
    zero = convergence(0, 10, 0.05)
    assert not zero.converged and zero.replications_needed == 35 and zero.additional_replications == 25


# ---------------------------------------------------------------- count outcomes
def count_cases(max_count):
    return st.tuples(st.just(max_count), st.lists(st.integers(0, max_count), min_size=1, max_size=300))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 12).flatmap(count_cases))
def test_distribution_of_counts_is_a_distribution(case):
    max_count, counts = case
    result = distribution_of_counts(counts, max_count)
    assert result.probability.shape == (max_count + 1,) and result.n == len(counts)
    assert result.probability.sum() == pytest.approx(1.0)
    assert result.at_least[0] == result.at_least_low[0] == result.at_least_high[0] == 1.0
    assert np.all(np.diff(result.at_least) <= 0)
    np.testing.assert_allclose(result.at_least, result.probability[::-1].cumsum()[::-1])
    assert np.all((result.low <= result.probability) & (result.probability <= result.high))
    x = max_count
    at_least_x = result.probability_at_least(x)
    assert (at_least_x.k, at_least_x.n) == (sum(c >= x for c in counts), len(counts))
    if x > 0:
        assert (at_least_x.low, at_least_x.high) == wilson(at_least_x.k, len(counts))


def test_distribution_of_counts_example():
    result = distribution_of_counts([4, 4, 3, 4, 2, 4, 4, 3], max_count=4, method="clopper-pearson")
    np.testing.assert_allclose(result.probability, [0, 0, 1 / 8, 2 / 8, 5 / 8])
    np.testing.assert_allclose(result.at_least, [1, 1, 1, 7 / 8, 5 / 8])
    assert (result.at_least_low[4], result.at_least_high[4]) == clopper_pearson(5, 8)
    assert not result.probability.flags.writeable


# ---------------------------------------------------------------- argument errors
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: wilson(5, 4), "0 <= k <= n"),
        (lambda: clopper_pearson(-1, 4), "0 <= k <= n"),
        (lambda: wilson(0, 0), "at least 1"),
        (lambda: clopper_pearson(1.5, 4), "whole numbers"),
        (lambda: wilson(True, 4), "integer counts"),
        (lambda: wilson(1, 4, confidence=0.0), "confidence"),
        (lambda: clopper_pearson(1, 4, confidence=95), "confidence"),
        (lambda: proportion(1, 4, method="wald"), "method must be one of"),
        (lambda: proportion([1, 2], 4), "one k and one n"),
        (lambda: pooled([]), "non-empty"),
        (lambda: pooled([(1, 2, 3)]), "pairs"),
        (lambda: pooled([(3, 2)]), "0 <= k <= n"),
        (lambda: exact_coverage(1.2, 10), "p must lie in"),
        (lambda: mean_interval([[1.0, 2.0]]), "one-dimensional"),
        (lambda: mean_interval([1.0, math.nan]), "finite"),
        (lambda: bootstrap_mean([1.0, 2.0], n_resamples=5), "n_resamples"),
        (lambda: replications_needed(0.0, 0.01), "strictly between 0 and 1"),
        (lambda: replications_needed(0.5, 0.0), "half_width"),
        (lambda: convergence(3, 10, 0.6), "target_half_width"),
        (lambda: distribution_of_counts([0, 5], 4), "0..4"),
        (lambda: distribution_of_counts([], 4), "non-empty"),
        (lambda: distribution_of_counts([0.5], 4), "whole numbers"),
        (lambda: distribution_of_counts([0], -1), "max_count"),
        (lambda: distribution_of_counts([0, 1], 2).probability_at_least(3), "0..2"),
    ],
)
def test_bad_arguments_raise_value_error_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()
