"""Rectangular linear assignment by shortest augmenting paths (Jonker–Volgenant family), as a numba kernel.

Algorithm: Crouse, D. F. (2016), "On implementing 2D rectangular assignment algorithms", IEEE Trans. Aerospace and
Electronic Systems 52(4), 1679–1696, Algorithm 1 with the dual updates of §III (the same algorithm SciPy's
``linear_sum_assignment`` uses). Each row in turn is joined to the current partial assignment by a Dijkstra-style
shortest augmenting path on reduced costs ``c_ij - u_i - v_j``; the duals keep every reduced cost ≥ 0.

``+inf`` marks a forbidden pair (e.g. gated out). Rows ≤ columns is handled directly; more rows than columns is
solved on the transpose. Every row (of the smaller side) is assigned; if that is impossible, ``feasible`` is False.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["linear_assignment", "solve_assignment"]


@njit(cache=True)
def _augmenting_path(cost, u, v, path, row_for_col, shortest, free_row, visited_rows, visited_cols, remaining):
    """Shortest augmenting path from ``free_row`` (Crouse 2016, Alg. 1 lines 7-25). Returns (sink column, length)."""
    n_cols = cost.shape[1]
    min_value = 0.0
    n_remaining = n_cols
    for k in range(n_cols):
        remaining[k] = n_cols - k - 1  # scan columns in reverse, as SciPy does, for identical tie-breaking
        visited_cols[k] = False
        shortest[k] = np.inf
    visited_rows[:] = False
    sink = -1
    row = free_row
    while sink == -1:
        visited_rows[row] = True
        best_index = -1
        lowest = np.inf
        for k in range(n_remaining):
            col = remaining[k]
            reduced = min_value + cost[row, col] - u[row] - v[col]
            if reduced < shortest[col]:
                path[col] = row
                shortest[col] = reduced
            if shortest[col] < lowest or (shortest[col] == lowest and row_for_col[col] == -1):
                lowest = shortest[col]
                best_index = k
        min_value = lowest
        if min_value == np.inf:  # no column reachable: infeasible
            return -1, min_value
        col = remaining[best_index]
        visited_cols[col] = True
        n_remaining -= 1
        remaining[best_index] = remaining[n_remaining]
        if row_for_col[col] == -1:
            sink = col
        else:
            row = row_for_col[col]
    return sink, min_value


@njit(cache=True)
def _solve_wide(cost):
    """Assignment for n_rows ≤ n_cols: returns (column of each row, feasible)."""
    n_rows, n_cols = cost.shape
    u = np.zeros(n_rows)
    v = np.zeros(n_cols)
    shortest = np.empty(n_cols)
    path = np.full(n_cols, -1, dtype=np.int64)
    col_for_row = np.full(n_rows, -1, dtype=np.int64)
    row_for_col = np.full(n_cols, -1, dtype=np.int64)
    visited_rows = np.zeros(n_rows, dtype=np.bool_)
    visited_cols = np.zeros(n_cols, dtype=np.bool_)
    remaining = np.empty(n_cols, dtype=np.int64)
    for current_row in range(n_rows):
        sink, min_value = _augmenting_path(
            cost, u, v, path, row_for_col, shortest, current_row, visited_rows, visited_cols, remaining
        )
        if sink < 0:
            return col_for_row, False
        # Dual update (Crouse 2016, Alg. 1 lines 26-30)
        u[current_row] += min_value
        for i in range(n_rows):
            if visited_rows[i] and i != current_row:
                u[i] += min_value - shortest[col_for_row[i]]
        for j in range(n_cols):
            if visited_cols[j]:
                v[j] -= min_value - shortest[j]
        # Augment along the path back to current_row
        col = sink
        while True:
            row = path[col]
            row_for_col[col] = row
            previous = col_for_row[row]
            col_for_row[row] = col
            col = previous
            if row == current_row:
                break
    return col_for_row, True


@njit(cache=True)
def solve_assignment(cost):
    """Minimum-cost assignment of a (n_rows, n_cols) float64 matrix; +inf = forbidden.

    Returns ``(col_for_row, feasible)``: ``col_for_row[i]`` is the column given to row i, -1 when row i is left
    out (only when n_rows > n_cols).
    """
    n_rows, n_cols = cost.shape
    if n_rows <= n_cols:
        return _solve_wide(cost)
    row_for_col, feasible = _solve_wide(cost.T.copy())
    col_for_row = np.full(n_rows, -1, dtype=np.int64)
    for j in range(n_cols):
        if row_for_col[j] >= 0:
            col_for_row[row_for_col[j]] = j
    return col_for_row, feasible


def linear_assignment(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SciPy-like wrapper: ``(row_ind, col_ind)`` sorted by row; raises ValueError when infeasible."""
    cost = np.ascontiguousarray(cost, dtype=np.float64)
    if cost.ndim != 2:
        raise ValueError(f"cost must be 2-D, got shape {cost.shape}")
    if np.isnan(cost).any() or np.isneginf(cost).any():
        raise ValueError("cost contains NaN or -inf")
    if cost.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    col_for_row, feasible = solve_assignment(cost)
    if not feasible:
        raise ValueError("cost matrix is infeasible")
    rows = np.flatnonzero(col_for_row >= 0)
    return rows, col_for_row[rows]
