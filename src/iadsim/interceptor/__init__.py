"""Interceptor: 3-DOF dynamics, guidance laws, fuze and lethality, linear homing loop.

Public API (the linear homing loop lives in `iadsim.interceptor.linear`):
  InterceptorParams            per-type parameters (params.py)
  InterceptorState, launch, TargetTruth, draw_noise_seeds, status codes   (state.py)
  fly(state, params, targets, t0_s, t1_s, dt_s, illuminated, *, pip_m, gravity_mps2)   (dynamics.py)
  kill_probability, state_kill_probability, draw_kill, draw_kill_by_replication        (lethality.py)
"""

from iadsim.interceptor.dynamics import fly
from iadsim.interceptor.lethality import draw_kill, draw_kill_by_replication, kill_probability, state_kill_probability
from iadsim.interceptor.params import (
    AUGMENTED_PN,
    COOKIE_CUTTER,
    G0_MPS2,
    GAUSSIAN,
    PURE_PN,
    TRUE_PN,
    InterceptorParams,
    pad_drag_table,
)
from iadsim.interceptor.state import (
    BALLISTIC_NO_ILLUMINATION,
    CLOSEST_APPROACH,
    FLYING,
    LOST_GROUND,
    LOST_MIN_SPEED,
    LOST_TIME_OF_FLIGHT,
    STATUS_NAMES,
    InterceptorState,
    TargetTruth,
    draw_noise_seeds,
    launch,
)

__all__ = [
    "AUGMENTED_PN", "BALLISTIC_NO_ILLUMINATION", "CLOSEST_APPROACH", "COOKIE_CUTTER", "FLYING", "G0_MPS2",
    "GAUSSIAN", "LOST_GROUND", "LOST_MIN_SPEED", "LOST_TIME_OF_FLIGHT", "PURE_PN", "STATUS_NAMES", "TRUE_PN",
    "InterceptorParams", "InterceptorState", "TargetTruth", "draw_kill", "draw_kill_by_replication",
    "draw_noise_seeds", "fly", "kill_probability", "launch", "pad_drag_table", "state_kill_probability",
]
