"""Kill probability from miss distance and the kill draw."""

import math

import numpy as np
from scipy.integrate import quad

from iadsim.interceptor import (
    COOKIE_CUTTER,
    GAUSSIAN,
    InterceptorParams,
    draw_kill,
    draw_kill_by_replication,
    kill_probability,
    launch,
    state_kill_probability,
)
from iadsim.interceptor.state import CLOSEST_APPROACH, LOST_GROUND


def test_cookie_cutter():
    pk = kill_probability([0.0, 9.99, 10.0, 10.01, np.inf], 10.0, 0.8, COOKIE_CUTTER)
    np.testing.assert_array_equal(pk, [0.8, 0.8, 0.8, 0.0, 0.0])


def test_gaussian_carleton_values_and_equal_lethal_area():
    radius, pk_max = 12.0, 0.9
    pk = kill_probability([0.0, radius, np.inf], radius, pk_max, GAUSSIAN)
    np.testing.assert_allclose(pk, [pk_max, pk_max / math.e, 0.0])
    area = quad(lambda r: kill_probability(r, radius, 1.0, GAUSSIAN) * 2 * math.pi * r, 0, np.inf)[0]
    assert math.isclose(area, math.pi * radius**2, rel_tol=1e-9)  # same lethal area as the cookie-cutter


def test_vectorised_over_types():
    pk = kill_probability([5.0, 5.0], [10.0, 10.0], [1.0, 0.5], [COOKIE_CUTTER, GAUSSIAN])
    np.testing.assert_allclose(pk, [1.0, 0.5 * math.exp(-0.25)])


def test_state_kill_probability_only_after_closest_approach():
    params = InterceptorParams.kinematic(lethal_radius_m=10.0, pk_max=0.9, pk_model=COOKIE_CUTTER)
    state = launch(params, 0, np.zeros((3, 3)), [100.0, 0.0, 0.0], 0.0)
    state.miss_distance_m[:] = [2.0, 2.0, 50.0]
    state.status[:] = [CLOSEST_APPROACH, LOST_GROUND, CLOSEST_APPROACH]
    np.testing.assert_array_equal(state_kill_probability(state, params), [0.9, 0.0, 0.0])


def test_draw_kill_frequency_and_determinism():
    pk = np.full(40_000, 0.3)
    kills = draw_kill(np.random.default_rng(11), pk)
    assert abs(kills.mean() - 0.3) < 0.01
    np.testing.assert_array_equal(kills, draw_kill(np.random.default_rng(11), pk))
    assert not draw_kill(np.random.default_rng(1), np.zeros(100)).any()
    assert draw_kill(np.random.default_rng(1), np.ones(100)).all()


def test_draw_kill_by_replication_independent_of_batch():
    seeds = np.random.SeedSequence(3).spawn(3)
    pk = np.array([0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    replication = np.array([0, 1, 0, 2, 1, 0])
    together = draw_kill_by_replication([np.random.default_rng(s) for s in seeds], replication, pk)
    alone = draw_kill_by_replication({1: np.random.default_rng(seeds[1])}, replication[[1, 4]], pk[[1, 4]])
    np.testing.assert_array_equal(together[[1, 4]], alone)
