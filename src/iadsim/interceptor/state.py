"""Interceptors in flight: a structure of arrays over one flat axis N.

Layout choice: replication × interceptor is flattened into a single axis N with a `replication` column,
not an (R, I) grid. The number of interceptors in the air differs a lot between replications (one run has
none left, another a salvo of eight), so a flat axis needs no padding, `prange` over N balances the two
cores evenly, and adding/removing missiles is concatenation/masking. Per-replication views are
`state.replication == r`. Randomness never depends on the layout: each interceptor carries its own
`noise_seed` (drawn at launch from its replication's generator), see `guidance.seeker_noise_pair`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

# status codes (int8). FLYING and BALLISTIC are integrated; the others are final.
FLYING = 0  # guided flight (midcourse or terminal)
BALLISTIC_NO_ILLUMINATION = 1  # semi-active, terminal, no fire channel on the target: unguided, fuze still live
CLOSEST_APPROACH = 2  # passed the target; miss_distance_m / closest_approach_time_s are final
LOST_TIME_OF_FLIGHT = 3
LOST_MIN_SPEED = 4
LOST_GROUND = 5

STATUS_NAMES = {
    FLYING: "flying",
    BALLISTIC_NO_ILLUMINATION: "ballistic: illumination lost",
    CLOSEST_APPROACH: "closest approach",
    LOST_TIME_OF_FLIGHT: "lost: time of flight",
    LOST_MIN_SPEED: "lost: below min speed",
    LOST_GROUND: "lost: ground impact",
}


@dataclass(eq=False)
class InterceptorState:
    """All interceptors of all replications; `fly` updates the arrays in place.

    Shapes: (N,) unless noted. `miss_distance_m` is the smallest range seen so far (inf before the first
    step) and, once status is CLOSEST_APPROACH, the interpolated closest approach.
    """

    replication: np.ndarray  # int64, which replication the row belongs to
    type_index: np.ndarray  # int64, row of InterceptorParams
    target_index: np.ndarray  # int64, the engine's threat index (not used by the flyout itself)
    position_m: np.ndarray  # (N, 3) ENU, z = height
    velocity_mps: np.ndarray  # (N, 3)
    mass_kg: np.ndarray
    lateral_accel_mps2: np.ndarray  # (N, 3) achieved lateral acceleration (state of the first-order lag)
    launch_time_s: np.ndarray
    time_s: np.ndarray  # time the row refers to (t1 after `fly`, or the stop time)
    status: np.ndarray  # int8 codes above
    terminal: np.ndarray  # bool, seeker has acquired (terminal homing)
    lost_illumination: np.ndarray  # bool, illumination was missing during terminal homing
    miss_distance_m: np.ndarray
    closest_approach_time_s: np.ndarray
    noise_seed: np.ndarray  # uint64 per-interceptor stream key
    steps: np.ndarray  # int64, integration steps taken so far (cost accounting: benchmarks/mc_throughput.py)

    @property
    def n(self) -> int:
        return self.mass_kg.shape[0]

    @property
    def active(self) -> np.ndarray:
        return self.status <= BALLISTIC_NO_ILLUMINATION

    def take(self, index) -> InterceptorState:
        """Rows `index` (integer or boolean array) as a new state (copies)."""
        return InterceptorState(**{f.name: getattr(self, f.name)[index].copy() for f in fields(self)})

    @staticmethod
    def empty() -> InterceptorState:
        """No interceptors (for a defence without interceptor types)."""
        vector, scalar = np.zeros((0, 3)), np.zeros(0)
        return InterceptorState(
            replication=np.zeros(0, np.int64), type_index=np.zeros(0, np.int64), target_index=np.zeros(0, np.int64),
            position_m=vector, velocity_mps=vector.copy(), mass_kg=scalar, lateral_accel_mps2=vector.copy(),
            launch_time_s=scalar.copy(), time_s=scalar.copy(), status=np.zeros(0, np.int8),
            terminal=np.zeros(0, bool), lost_illumination=np.zeros(0, bool), miss_distance_m=scalar.copy(),
            closest_approach_time_s=scalar.copy(), noise_seed=np.zeros(0, np.uint64), steps=np.zeros(0, np.int64))

    @staticmethod
    def concatenate(states: list[InterceptorState]) -> InterceptorState:
        return InterceptorState(
            **{f.name: np.concatenate([getattr(s, f.name) for s in states]) for f in fields(InterceptorState)}
        )


@dataclass(frozen=True, eq=False)
class TargetTruth:
    """Each interceptor's target at t0 of a `fly` call: (N, 3) arrays, extrapolated at constant acceleration."""

    position_m: np.ndarray
    velocity_mps: np.ndarray
    acceleration_mps2: np.ndarray | None = None

    def packed(self) -> np.ndarray:
        """(N, 9): position, velocity, acceleration."""
        acc = self.acceleration_mps2
        if acc is None:
            acc = np.zeros_like(np.asarray(self.position_m, dtype=np.float64))
        return np.ascontiguousarray(np.hstack([self.position_m, self.velocity_mps, acc]), dtype=np.float64)


def draw_noise_seeds(rng: np.random.Generator, count: int) -> np.ndarray:
    """Per-interceptor noise keys from the replication's generator (call once per launch batch)."""
    return rng.integers(0, np.iinfo(np.int64).max, size=count, dtype=np.int64).astype(np.uint64)


def launch(
    params,
    type_index,
    position_m,
    velocity_mps,
    launch_time_s,
    *,
    replication=0,
    target_index=0,
    noise_seed=None,
) -> InterceptorState:
    """New interceptors at the rail: full launch mass, no lateral acceleration, midcourse, FLYING.

    `noise_seed` (uint64 per row) should come from `draw_noise_seeds` with the replication's generator.
    """
    position = np.atleast_2d(np.asarray(position_m, dtype=np.float64))
    n = position.shape[0]

    def column(value, dtype):
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()

    types = column(type_index, np.int64)
    seeds = np.zeros(n, dtype=np.uint64) if noise_seed is None else column(noise_seed, np.uint64)
    return InterceptorState(
        replication=column(replication, np.int64),
        type_index=types,
        target_index=column(target_index, np.int64),
        position_m=position.copy(),
        velocity_mps=np.broadcast_to(np.asarray(velocity_mps, dtype=np.float64), (n, 3)).copy(),
        mass_kg=params.launch_mass_kg[types].astype(np.float64),
        lateral_accel_mps2=np.zeros((n, 3)),
        launch_time_s=column(launch_time_s, np.float64),
        time_s=column(launch_time_s, np.float64),
        status=np.full(n, FLYING, dtype=np.int8),
        terminal=np.zeros(n, dtype=bool),
        lost_illumination=np.zeros(n, dtype=bool),
        miss_distance_m=np.full(n, np.inf),
        closest_approach_time_s=np.full(n, np.nan),
        noise_seed=seeds,
        steps=np.zeros(n, dtype=np.int64),
    )
