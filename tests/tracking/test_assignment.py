"""The numba shortest-augmenting-path solver against scipy.optimize.linear_sum_assignment."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from iadsim.tracking.assignment import linear_assignment, solve_assignment
from iadsim.tracking.association import _assign_clusters


def _scipy_total(cost):
    rows, cols = linear_sum_assignment(cost)
    return cost[rows, cols].sum(), len(rows)


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (20, 20), (3, 8), (8, 3), (40, 60), (60, 40)])
def test_matches_scipy_on_random_matrices(shape):
    rng = np.random.default_rng(sum(shape))
    for _ in range(20):
        cost = rng.uniform(-10.0, 10.0, shape)
        rows, cols = linear_assignment(cost)
        expected_total, expected_count = _scipy_total(cost)
        assert len(rows) == expected_count == min(shape)
        assert len(set(cols)) == len(cols)
        assert cost[rows, cols].sum() == pytest.approx(expected_total, abs=1e-9)


@pytest.mark.parametrize("shape", [(6, 6), (4, 9), (9, 4), (30, 45)])
def test_matches_scipy_with_forbidden_pairs(shape):
    rng = np.random.default_rng(7 * shape[0] + shape[1])
    checked = 0
    for _ in range(60):
        cost = rng.uniform(0.0, 5.0, shape)
        cost[rng.random(shape) < 0.5] = np.inf
        try:
            expected_total, expected_count = _scipy_total(cost)
        except ValueError:
            with pytest.raises(ValueError):
                linear_assignment(cost)
            continue
        rows, cols = linear_assignment(cost)
        assert np.isfinite(cost[rows, cols]).all()
        assert len(rows) == expected_count
        assert cost[rows, cols].sum() == pytest.approx(expected_total, abs=1e-9)
        checked += 1
    assert checked > 5


def test_gnn_shape_with_missed_columns_always_feasible():
    """Tracks × [measurements | private missed column], the association layout, never fails."""
    rng = np.random.default_rng(3)
    n_tracks, n_meas, gate = 12, 15, 9.0
    for _ in range(30):
        distances = rng.chisquare(3, (n_tracks, n_meas)) * 3
        cost = np.full((n_tracks, n_meas + n_tracks), np.inf)
        cost[:, :n_meas] = np.where(distances <= gate, distances, np.inf)
        cost[np.arange(n_tracks), n_meas + np.arange(n_tracks)] = gate
        col_for_row, feasible = solve_assignment(cost)
        assert feasible
        expected_total, _ = _scipy_total(cost)
        assert cost[np.arange(n_tracks), col_for_row].sum() == pytest.approx(expected_total, abs=1e-9)


def test_infeasible_is_reported():
    cost = np.array([[1.0, np.inf], [2.0, np.inf]])
    _, feasible = solve_assignment(cost)
    assert not feasible
    with pytest.raises(ValueError):
        linear_assignment(cost)


def test_empty_matrix():
    rows, cols = linear_assignment(np.zeros((0, 4)))
    assert rows.size == cols.size == 0


@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(1, 7),
    n_cols=st.integers(1, 7),
    seed=st.integers(0, 2**31 - 1),
    integer_costs=st.booleans(),
)
def test_optimal_total_property(n_rows, n_cols, seed, integer_costs):
    """Ties (integer costs) may pick a different assignment but never a different total."""
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, 4, (n_rows, n_cols)).astype(float) if integer_costs else rng.normal(size=(n_rows, n_cols))
    rows, cols = linear_assignment(cost)
    assert cost[rows, cols].sum() == pytest.approx(_scipy_total(cost)[0], abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_gnn_solved_per_cluster_equals_one_global_assignment(seed):
    """The tracker solves GNN cluster by cluster (tracking/association.py); on a raid-like scatter of tracks and
    measurements on a line, gated within 1.2 units, that gives the assignment of the whole matrix
    [costs | missed column per track] solved at once."""
    rng = np.random.default_rng(seed)
    n_tracks, n_measurements, missed = 80, 70, 1.2
    tracks, measurements = rng.uniform(0, 100, n_tracks), rng.uniform(0, 100, n_measurements)
    distance = np.abs(tracks[:, None] - measurements[None, :])
    gated = distance <= missed
    rows, cols = np.nonzero(gated)
    taken = np.full(n_tracks, -1, dtype=np.int64)
    _assign_clusters(rows.astype(np.int64), cols.astype(np.int64), distance[gated], n_tracks, n_measurements, missed,
                     taken)
    full = np.full((n_tracks, n_measurements + n_tracks), np.inf)
    full[:, :n_measurements] = np.where(gated, distance, np.inf)
    full[np.arange(n_tracks), n_measurements + np.arange(n_tracks)] = missed
    row_ind, col_ind = linear_sum_assignment(full)
    expected = np.where(col_ind < n_measurements, col_ind, -1)[np.argsort(row_ind)]
    assert gated.sum() > n_tracks and len(np.unique(rows)) < n_tracks  # clusters of several, and lone tracks
    np.testing.assert_array_equal(taken, expected)
