"""Trajectories as tables of constant-acceleration segments, evaluated for many entities and times at once.

Every raid entity (aircraft or weapon) follows a chain of segments; on segment k, starting at time t0_k,

    p(t) = p0_k + v0_k·(t − t0_k) + ½·a_k·(t − t0_k)²,   v(t) = v0_k + a_k·(t − t0_k).

Straight legs have a = 0, a drag-free ballistic arc is one segment with a = (0, 0, −g), and a constant-g turn
is a chain of short segments started on the exact circle (position error ≈ a²Δt³/(6v) per segment, under a
millimetre for Δt = 0.05 s at 6 g). One representation lets one kernel evaluate the whole raid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numba
import numpy as np


@dataclass(frozen=True)
class SegmentTable:
    """Segments of E entities, entity e owning rows offsets[e] .. offsets[e+1]-1, ordered by start time."""

    offsets: np.ndarray  # (E+1,) int64
    t0_s: np.ndarray  # (S,) start time of each segment
    p0_m: np.ndarray  # (S, 3) position at t0 (east, north, height)
    v0_mps: np.ndarray  # (S, 3) velocity at t0
    a_mps2: np.ndarray  # (S, 3) constant acceleration over the segment
    t_end_s: np.ndarray  # (E,) time the entity stops existing (impact, end of route)

    @property
    def n_entities(self) -> int:
        return len(self.offsets) - 1

    @property
    def t_start_s(self) -> np.ndarray:
        return self.t0_s[self.offsets[:-1]]

    @staticmethod
    def from_chains(chains: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]]) -> SegmentTable:
        """Stack per-entity chains (t0 (k,), p0 (k,3), v0 (k,3), a (k,3), t_end) into one table."""
        lengths = [len(c[0]) for c in chains]
        offsets = np.zeros(len(chains) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum(lengths)
        empty3 = np.zeros((0, 3))
        return SegmentTable(
            offsets=offsets,
            t0_s=np.concatenate([c[0] for c in chains]) if chains else np.zeros(0),
            p0_m=np.concatenate([c[1] for c in chains]) if chains else empty3,
            v0_mps=np.concatenate([c[2] for c in chains]) if chains else empty3,
            a_mps2=np.concatenate([c[3] for c in chains]) if chains else empty3,
            t_end_s=np.array([c[4] for c in chains], dtype=float),
        )

    @cached_property
    def max_speed_mps(self) -> np.ndarray:
        """(E,) each entity's highest speed. |v0 + a·t| is convex in t, so a segment's ends bound its speed."""
        entity = np.repeat(np.arange(self.n_entities), np.diff(self.offsets))  # owner of each segment
        last = np.ones(len(entity), dtype=bool)  # an entity's last segment ends at its t_end
        last[:-1] = entity[1:] != entity[:-1]
        segment_end_s = np.where(last, self.t_end_s[entity], np.append(self.t0_s[1:], 0.0))
        duration_s = np.maximum(segment_end_s - self.t0_s, 0.0)
        speed = np.maximum(np.linalg.norm(self.v0_mps, axis=1),
                           np.linalg.norm(self.v0_mps + self.a_mps2 * duration_s[:, None], axis=1))
        return np.array([speed[a:b].max(initial=0.0) for a, b in zip(self.offsets[:-1], self.offsets[1:])])

    @property
    def arrays(self) -> tuple:
        """The table's arrays in the order kernels take them (see `segment_state`)."""
        return self.offsets, self.t0_s, self.p0_m, self.v0_mps, self.a_mps2, self.t_end_s

    def entity_states(self, entity: int, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position and velocity (T, 3) of one entity at the times `t_s` (T,)."""
        return evaluate_entity(*self.arrays, int(entity), np.asarray(t_s, dtype=float))

    def states(self, t_s: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Position, velocity, acceleration (E, T, 3) and an `exists` mask (E, T) at the times `t_s` (T,)."""
        times = np.atleast_1d(np.asarray(t_s, dtype=float))
        return evaluate_segments(*self.arrays, times)


@numba.njit(cache=True)
def segment_state(offsets, t0_s, p0_m, v0_mps, a_mps2, t_end_s, entity, t, pos, vel, acc):
    """State of one entity at time t into pos/vel/acc (3,); returns whether it exists then.

    Outside its life an entity is frozen at its ends (and reported as not existing). For use inside kernels.
    """
    first, last = offsets[entity], offsets[entity + 1]
    if first == last:
        return False
    tc = min(max(t, t0_s[first]), t_end_s[entity])
    k = max(np.searchsorted(t0_s[first:last], tc, side="right") - 1 + first, first)
    dt = tc - t0_s[k]
    for i in range(3):
        pos[i] = p0_m[k, i] + v0_mps[k, i] * dt + 0.5 * a_mps2[k, i] * dt * dt
        vel[i] = v0_mps[k, i] + a_mps2[k, i] * dt
        acc[i] = a_mps2[k, i]
    return t0_s[first] <= t <= t_end_s[entity]


@numba.njit(cache=True)
def evaluate_entity(offsets, t0_s, p0_m, v0_mps, a_mps2, t_end_s, entity, times):
    """Kernel behind `SegmentTable.entity_states`."""
    pos, vel, acc = np.zeros((len(times), 3)), np.zeros((len(times), 3)), np.zeros(3)
    for j in range(len(times)):
        segment_state(offsets, t0_s, p0_m, v0_mps, a_mps2, t_end_s, entity, times[j], pos[j], vel[j], acc)
    return pos, vel


@numba.njit(cache=True)
def evaluate_segments(offsets, t0_s, p0_m, v0_mps, a_mps2, t_end_s, times):
    """Numba kernel behind `SegmentTable.states`: every entity at every time. Serial on purpose: the engine asks
    for one time per cycle, a few flops per entity, and waking a thread pool for that cost more than the work
    (milliseconds per call on a busy machine); a report's full trajectory sampling is a few million flops."""
    n_entities, n_times = len(offsets) - 1, len(times)
    pos = np.zeros((n_entities, n_times, 3))
    vel = np.zeros((n_entities, n_times, 3))
    acc = np.zeros((n_entities, n_times, 3))
    exists = np.zeros((n_entities, n_times), dtype=np.bool_)
    for e in range(n_entities):
        for j in range(n_times):
            exists[e, j] = segment_state(offsets, t0_s, p0_m, v0_mps, a_mps2, t_end_s, e, times[j],
                                         pos[e, j], vel[e, j], acc[e, j])
    return pos, vel, acc, exists


def evaluate_segments_reference(table: SegmentTable, times: np.ndarray):
    """Plain NumPy version of `evaluate_segments`, kept to test the kernel against."""
    times = np.atleast_1d(np.asarray(times, dtype=float))
    out = [np.zeros((table.n_entities, len(times), 3)) for _ in range(3)]
    exists = np.zeros((table.n_entities, len(times)), dtype=bool)
    for e in range(table.n_entities):
        rows = slice(table.offsets[e], table.offsets[e + 1])
        t0 = table.t0_s[rows]
        tc = np.clip(times, t0[0], table.t_end_s[e])
        exists[e] = (times >= t0[0]) & (times <= table.t_end_s[e])
        k = np.maximum(np.searchsorted(t0, tc, side="right") - 1, 0)
        dt = (tc - t0[k])[:, None]
        p0, v0, a = table.p0_m[rows][k], table.v0_mps[rows][k], table.a_mps2[rows][k]
        out[0][e], out[1][e], out[2][e] = p0 + v0 * dt + 0.5 * a * dt**2, v0 + a * dt, a
    return out[0], out[1], out[2], exists


def polyline_chain(points_m: np.ndarray, speeds_mps: np.ndarray, t_start_s: float):
    """Straight legs through `points_m` (n,3), leg i flown at speeds_mps[i].

    Returns the chain (t0, p0, v0, a, t_end) and the time at each of the n points.
    """
    legs = np.diff(points_m, axis=0)
    durations = np.linalg.norm(legs, axis=1) / np.asarray(speeds_mps, dtype=float)[: len(legs)]
    times = t_start_s + np.concatenate([[0.0], np.cumsum(durations)])
    keep = durations > 1e-12  # coincident points make no leg
    v0 = legs[keep] / durations[keep, None]
    return (times[:-1][keep], points_m[:-1][keep], v0, np.zeros_like(v0), float(times[-1])), times
