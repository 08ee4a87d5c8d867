"""The association pre-gate's range bound never rejects a pair the exact polar gate would accept."""

import numpy as np

from iadsim.tracking.association import _range_distance_sq
from iadsim.tracking.filters import (
    DWNA,
    cv_process_noise_blocks,
    innovation_statistics_into,
    polar_from_enu,
    predicted_position_covariance,
)



def test_range_bound_is_a_lower_bound_of_the_exact_gate_distance():
    draw = np.random.default_rng(11)
    radar = np.array([1_000.0, -2_000.0, 500.0])
    sigmas = np.array([30.0, np.radians(0.2), np.radians(0.3)])
    max_intensity, bounds, exact = 1600.0, [], []
    for _ in range(2_000):
        state = np.concatenate([draw.uniform([-60e3, -60e3, 100.0], [60e3, 60e3, 8e3]), draw.normal(0.0, 250.0, 3)])
        root = draw.normal(0.0, 1.0, (6, 6)) * np.array([30.0] * 3 + [5.0] * 3)
        covariance = root.T @ root + np.diag([100.0] * 3 + [4.0] * 3)
        dt_s = draw.uniform(-0.3, 0.6)
        predicted = state[:3] + dt_s * state[3:]
        measured = np.array(polar_from_enu(predicted + draw.normal(0.0, 300.0, 3) - radar))
        blocks = np.stack([covariance[:3, :3], covariance[:3, 3:] + covariance[3:, :3], covariance[3:, 3:]])
        q_bound = cv_process_noise_blocks(dt_s, max_intensity, DWNA)[0]
        bounds.append(_range_distance_sq(blocks, dt_s, q_bound, sigmas[0], tuple(predicted - radar), measured[0]))
        # the exact gate, with any mixture intensity up to the largest mode's
        q_pp = cv_process_noise_blocks(dt_s, draw.uniform(1.0, max_intensity), DWNA)[0]
        position_covariance = np.empty((3, 3))
        predicted_position_covariance(covariance, dt_s, q_pp, position_covariance)
        exact.append(innovation_statistics_into(predicted, position_covariance, measured, sigmas, radar,
                                                np.empty((4, 3, 3)))[0])
    bounds, exact = np.array(bounds), np.array(exact)
    assert np.all(bounds <= exact * (1.0 + 1e-9))
    gate = 16.0
    assert np.mean(bounds > gate) > 0.2  # and it is tight enough to spare many exact evaluations
