"""Tracker parameters: filter modes, gating, assignment cost, confirmation and deletion rules, capacity.

``TrackerConfig`` is frozen and checked on construction; impossible values raise ``iadsim.ScenarioError`` with the
field and the reason. ``kernel_parameters()`` flattens it into the arrays and codes the numba kernels take.
Choices and sources: docs/models/tracking.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from scipy import stats

from iadsim.errors import Problem, ScenarioError
from iadsim.tracking.filters import CWNA, DWNA

COST_MAHALANOBIS_SQUARED = 0  # assignment cost d² = νᵀS⁻¹ν; a missed track costs the gate γ
COST_MAHALANOBIS = 1  # assignment cost d; a missed track costs √γ (Stone Soup's Mahalanobis measure)
_NOISE_MODELS = {"dwna": DWNA, "cwna": CWNA}
_COSTS = {"mahalanobis_squared": COST_MAHALANOBIS_SQUARED, "mahalanobis": COST_MAHALANOBIS}
MEASUREMENT_DIMENSION = 3  # range, azimuth, elevation

__all__ = ["COST_MAHALANOBIS", "COST_MAHALANOBIS_SQUARED", "KernelParameters", "TrackerConfig"]


class KernelParameters(NamedTuple):
    """The config as plain arrays and numbers, in the order the kernels use them."""

    mode_noise_intensity: np.ndarray  # (n_modes,)
    transition_reference: np.ndarray  # (n_modes, n_modes)
    transition_interval_s: float
    initial_mode_probability: np.ndarray  # (n_modes,)
    noise_model: int
    gate_threshold: float  # χ²₃ quantile γ
    cost_code: int
    confirm_hits: int
    confirm_looks: int
    delete_after_missed_looks: int
    max_position_variance_m2: float
    velocity_sigma_mps: float


@dataclass(frozen=True)
class TrackerConfig:
    """Everything the tracker needs besides the measurements.

    Filter: ``mode_noise_intensity`` holds one CV process-noise intensity per IMM mode (one mode = plain EKF):
    σ_a² in m²/s⁴ for ``process_noise_model="dwna"`` (BLK §6.3.2), q̃ in m²/s³ for ``"cwna"`` (BLK §6.2.2).
    ``mode_transition`` is the Markov matrix over ``mode_transition_interval_s`` (rows sum to one).
    Association: chi-square gate with probability ``gate_probability`` on 3 measurement dimensions;
    global nearest neighbour with cost ``assignment_cost``.
    Management: tentative tracks confirm with ``confirm_hits`` (M) hits within their first ``confirm_looks`` (N)
    looks and are deleted once that is impossible; confirmed tracks are deleted after
    ``delete_after_missed_looks`` (K) consecutive missed looks or when the trace of their position covariance
    exceeds ``max_position_variance_m2``. New tracks: velocity zero, per-axis σ = ``initiation_max_speed_mps``/√3
    (a speed uniform in ±v_max on each axis).
    """

    capacity: int = 128
    n_radars: int = 1
    mode_noise_intensity: tuple[float, ...] = (1.0, 1600.0)
    mode_transition: tuple[tuple[float, ...], ...] = ((0.95, 0.05), (0.10, 0.90))
    mode_transition_interval_s: float = 1.0
    initial_mode_probability: tuple[float, ...] = (0.9, 0.1)
    process_noise_model: Literal["dwna", "cwna"] = "dwna"
    gate_probability: float = 0.999
    assignment_cost: Literal["mahalanobis_squared", "mahalanobis"] = "mahalanobis_squared"
    confirm_hits: int = 2
    confirm_looks: int = 3
    delete_after_missed_looks: int = 3
    max_position_variance_m2: float = 1.0e8
    initiation_max_speed_mps: float = 1000.0

    @classmethod
    def constant_velocity(cls, noise_intensity: float = 1.0, **kwargs) -> TrackerConfig:
        """A single-mode config: the plain extended Kalman filter with one CV model."""
        return cls(
            mode_noise_intensity=(noise_intensity,),
            mode_transition=((1.0,),),
            initial_mode_probability=(1.0,),
            **kwargs,
        )

    def __post_init__(self) -> None:
        problems = [Problem(reason, ("tracking", field)) for field, reason in self._findings()]
        if problems:
            raise ScenarioError(problems)

    @property
    def n_modes(self) -> int:
        return len(self.mode_noise_intensity)

    @property
    def gate_threshold(self) -> float:
        """γ with P(χ²₃ ≤ γ) = gate_probability (the χ² gate on n_z = 3 innovation components)."""
        return float(stats.chi2.ppf(self.gate_probability, MEASUREMENT_DIMENSION))

    def kernel_parameters(self) -> KernelParameters:
        return KernelParameters(
            mode_noise_intensity=np.asarray(self.mode_noise_intensity, dtype=np.float64),
            transition_reference=np.asarray(self.mode_transition, dtype=np.float64).reshape(self.n_modes, self.n_modes),
            transition_interval_s=float(self.mode_transition_interval_s),
            initial_mode_probability=np.asarray(self.initial_mode_probability, dtype=np.float64),
            noise_model=_NOISE_MODELS[self.process_noise_model],
            gate_threshold=self.gate_threshold,
            cost_code=_COSTS[self.assignment_cost],
            confirm_hits=int(self.confirm_hits),
            confirm_looks=int(self.confirm_looks),
            delete_after_missed_looks=int(self.delete_after_missed_looks),
            max_position_variance_m2=float(self.max_position_variance_m2),
            velocity_sigma_mps=float(self.initiation_max_speed_mps) / math.sqrt(3.0),
        )

    def _findings(self):
        n = len(self.mode_noise_intensity)
        if self.capacity < 1:
            yield "capacity", f"must be at least 1 track per replication, got {self.capacity}"
        if not 1 <= self.n_radars <= 64:
            yield "n_radars", f"must be between 1 and 64 (radar bitmask is 64 bits), got {self.n_radars}"
        if n < 1 or any(not (q >= 0.0 and math.isfinite(q)) for q in self.mode_noise_intensity):
            yield "mode_noise_intensity", f"needs at least one finite intensity ≥ 0, got {self.mode_noise_intensity}"
        transition = np.asarray(self.mode_transition, dtype=float)
        if transition.shape != (n, n):
            yield "mode_transition", f"must be {n}×{n} (one row per mode), got shape {transition.shape}"
        elif np.any(transition < 0.0) or not np.allclose(transition.sum(axis=1), 1.0, atol=1e-9):
            yield "mode_transition", "rows must be probabilities summing to 1"
        elif np.any(np.diag(transition) <= 0.0):
            yield "mode_transition", "each mode must have a positive probability of staying"
        if not self.mode_transition_interval_s > 0.0:
            yield "mode_transition_interval_s", f"must be > 0 s, got {self.mode_transition_interval_s}"
        prior = np.asarray(self.initial_mode_probability, dtype=float)
        if prior.shape != (n,) or np.any(prior < 0.0) or not math.isclose(prior.sum(), 1.0, abs_tol=1e-9):
            yield "initial_mode_probability", f"must be {n} probabilities summing to 1, got {self.initial_mode_probability}"
        if self.process_noise_model not in _NOISE_MODELS:
            yield "process_noise_model", f"must be one of {sorted(_NOISE_MODELS)}, got {self.process_noise_model!r}"
        if not 0.0 < self.gate_probability < 1.0:
            yield "gate_probability", f"must be strictly between 0 and 1, got {self.gate_probability}"
        if self.assignment_cost not in _COSTS:
            yield "assignment_cost", f"must be one of {sorted(_COSTS)}, got {self.assignment_cost!r}"
        if not 1 <= self.confirm_hits <= self.confirm_looks <= 64:
            yield "confirm_hits", f"need 1 ≤ M ≤ N ≤ 64, got M={self.confirm_hits}, N={self.confirm_looks}"
        if self.delete_after_missed_looks < 1:
            yield "delete_after_missed_looks", f"must be at least 1, got {self.delete_after_missed_looks}"
        if not self.max_position_variance_m2 > 0.0:
            yield "max_position_variance_m2", f"must be > 0 m², got {self.max_position_variance_m2}"
        if not self.initiation_max_speed_mps > 0.0:
            yield "initiation_max_speed_mps", f"must be > 0 m/s, got {self.initiation_max_speed_mps}"
