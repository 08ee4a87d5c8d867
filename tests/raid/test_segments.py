"""The segment table: numba kernel equals the NumPy reference; existence; polylines keep their speeds."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.raid.segments import SegmentTable, evaluate_segments_reference, polyline_chain


def _random_table(rng, n_entities):
    chains = []
    for _ in range(n_entities):
        k = rng.integers(1, 6)
        t0 = np.cumsum(rng.uniform(0.5, 10, k)) + rng.uniform(0, 20)
        chains.append((t0, rng.normal(0, 1e4, (k, 3)), rng.normal(0, 300, (k, 3)), rng.normal(0, 20, (k, 3)),
                       float(t0[-1] + rng.uniform(0, 10))))
    return SegmentTable.from_chains(chains)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 8))
def test_kernel_matches_reference(seed, n):
    rng = np.random.default_rng(seed)
    table = _random_table(rng, n)
    times = rng.uniform(-5, 80, 17)
    for got, want in zip(table.states(times), evaluate_segments_reference(table, times)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


def test_polyline_flies_each_leg_at_its_speed():
    points = np.array([[0.0, 0, 1000], [3000, 4000, 1000], [3000, 4000, 1000], [3000, 10000, 2000]])
    speeds = np.array([250.0, 100.0, 300.0, 0.0])
    chain, times = polyline_chain(points, speeds, 10.0)
    np.testing.assert_allclose(times, [10, 30, 30, 30 + np.hypot(6000, 1000) / 300])
    table = SegmentTable.from_chains([chain])
    pos, vel, _, exists = table.states(times)
    np.testing.assert_allclose(pos[0], points, atol=1e-9)
    assert exists.all()
    mid, mid_vel, _, _ = table.states([20.0])
    np.testing.assert_allclose(mid[0, 0], [1500, 2000, 1000])
    assert np.isclose(np.linalg.norm(mid_vel[0, 0]), 250.0)
    assert not table.states([9.9])[3][0, 0] and not table.states([times[-1] + 0.1])[3][0, 0]


def test_max_speed_bounds_every_sampled_speed():
    """The per-entity speed bound the radar uses to skip targets outside the beam's slice is never exceeded."""
    rng = np.random.default_rng(3)
    chains = []
    for _ in range(6):
        k = int(rng.integers(1, 5))
        t0 = np.cumsum(rng.uniform(1.0, 20.0, k))
        chains.append((t0, rng.normal(0, 1e4, (k, 3)), rng.normal(0, 300, (k, 3)), rng.normal(0, 30, (k, 3)),
                       float(t0[-1] + rng.uniform(1.0, 20.0))))
    table = SegmentTable.from_chains(chains)
    _, velocity, _, exists = table.states(np.linspace(0.0, 120.0, 4001))
    speed = np.where(exists, np.linalg.norm(velocity, axis=2), 0.0)
    assert np.all(speed.max(axis=1) <= table.max_speed_mps * (1 + 1e-12))
    assert np.all(speed.max(axis=1) >= 0.95 * table.max_speed_mps)
    assert SegmentTable.from_chains([]).max_speed_mps.shape == (0,)
    empty = (np.zeros(0), np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0, 3)), 0.0)
    accelerating = (np.array([0.0, 5.0]), np.zeros((2, 3)), np.array([[1.0, 0, 0], [2.0, 0, 0]]),
                    np.array([[0.0, 0, 0], [1.0, 0, 0]]), 7.0)
    np.testing.assert_allclose(SegmentTable.from_chains([empty, accelerating]).max_speed_mps, [0.0, 4.0])
