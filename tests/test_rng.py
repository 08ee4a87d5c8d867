"""The counter-based generator: uniform and normal by standard goodness-of-fit tests, streams independent,
replication keys independent of batching."""

import numpy as np
from scipy import stats

from iadsim import rng


def test_keys_do_not_depend_on_batching():
    batch = rng.replication_keys(42, 0, 64)
    assert batch[17] == rng.replication_keys(42, 17, 1)[0]
    assert len(set(batch.tolist())) == 64


def test_uniform_passes_kolmogorov_smirnov_and_chi_square():
    keys = rng.replication_keys(7, 0, 4)
    u = rng.uniforms(keys, rng.DETECTION, np.arange(50_000, dtype=np.uint64))
    for row in u:
        assert stats.kstest(row, "uniform").pvalue > 1e-3
        counts = np.histogram(row, bins=100, range=(0, 1))[0]
        assert stats.chisquare(counts).pvalue > 1e-3


def test_normal_passes_kolmogorov_smirnov():
    keys = rng.replication_keys(8, 0, 3)
    z = rng.normals(keys, rng.RANGE_NOISE, np.arange(40_000, dtype=np.uint64))
    for row in z:
        assert stats.kstest(row, "norm").pvalue > 1e-3


def test_streams_and_neighbouring_counters_are_uncorrelated():
    keys = rng.replication_keys(9, 0, 1)
    counters = np.arange(100_000, dtype=np.uint64)
    a = rng.uniforms(keys, rng.DETECTION, counters)[0]
    b = rng.uniforms(keys, rng.RANGE_NOISE, counters)[0]
    limit = 4.5 / np.sqrt(len(a))  # 4.5 sigma of a correlation of independent samples
    assert abs(np.corrcoef(a, b)[0, 1]) < limit
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < limit


def test_poisson_mean_and_variance():
    keys = rng.replication_keys(10, 0, 1)
    draws = np.array([rng.poisson(keys[0], rng.FALSE_ALARM_COUNT, np.uint64(i), 2.5) for i in range(20_000)])
    assert abs(draws.mean() - 2.5) < 4.5 * np.sqrt(2.5 / len(draws))
    assert abs(draws.var() - 2.5) < 0.15
