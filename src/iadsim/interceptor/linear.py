"""Linearised planar proportional-navigation homing loop: the textbook engagement used to verify guidance.

Source: P. Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed. (AIAA, 2012),
ch. 2 "Fundamentals of Tactical Missile Guidance" (linearised engagement, zero-lag PN closed forms) and
ch. 3 "Method of Adjoints and the Homing Loop" (single-time-constant guidance system, its miss distance).

The loop (Zarchan ch. 2, linearised engagement; ch. 3, homing-loop block diagram)::

    n_T ──▶(+)── ÿ ──∫──∫── y ──▶ λ = y / (V_c·t_go) ──▶ d/dt ──▶ N′·V_c ──▶ n_c ──▶ 1/(1 + τ·s) ──┐
            ▲ (−)                                                                                   │
            └──────────────────────────────── n_L ◀─────────────────────────────────────────────────┘

    y      relative (target − missile) displacement normal to the initial line of sight   [m]
    ÿ      = n_T − n_L                                                                     [m/s²]
    λ      = y / (V_c·t_go), t_go = t_F − t   (small-angle line-of-sight angle)            [rad]
    λ̇      = (y + ẏ·t_go) / (V_c·t_go²)       (derivative of the line above)               [rad/s]
    n_c    = N′·V_c·λ̇                          (proportional navigation)                    [m/s²]
    ṅ_L    = (n_c − n_L) / τ                   (single-time-constant flight control; τ = 0 → n_L = n_c)
    ẏ(0)   = −V_M·HE                           (heading error HE)
    miss   = y(t_F)

V_c cancels out of n_c = N′·(y + ẏ·t_go)/t_go² (the numerator y + ẏ·t_go is the zero-effort miss), so the
miss does not depend on the closing speed in the linear loop; it is kept as an argument so that λ and λ̇
are the physical quantities of the book.

This module is a verification model (plain Python, ~10⁴ steps); it is not used by the batched engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Default integration step: at least this many steps over the flight time t_F ...
STEPS_PER_FLIGHT_TIME = 1000
#: ... and at least this many per guidance time constant τ (RK4 is stable for dt < 2.78·τ; see `homing_loop`).
STEPS_PER_TIME_CONSTANT = 50


@dataclass(frozen=True)
class HomingLoopResult:
    """Output of `homing_loop`: guidance command history and the miss distance.

    `t_s` is the start of each integration step, 0, dt, …, t_F − dt (t_F itself is left out: there t_go = 0
    and λ̇ is singular). `accel_cmd_mps2[k]` is the commanded acceleration n_c at `t_s[k]`, same shape.
    `miss_m` is the signed relative displacement y(t_F).
    """

    t_s: np.ndarray
    accel_cmd_mps2: np.ndarray
    miss_m: float


def homing_loop(
    nprime: float,
    tf_s: float,
    tau_s: float = 0.0,
    *,
    vc_mps: float,
    vm_mps: float,
    target_accel_mps2: float = 0.0,
    heading_error_rad: float = 0.0,
    dt_s: float | None = None,
) -> HomingLoopResult:
    """Fly the linearised planar PN homing loop (Zarchan ch. 2 and ch. 3) from t = 0 to t_F; return n_c(t), miss.

    Parameters
    ----------
    nprime: effective navigation ratio N′ (> 0).
    tf_s: flight time t_F (> 0).
    tau_s: guidance-system time constant τ (≥ 0; 0 → zero-lag guidance, n_L = n_c).
    vc_mps: closing speed V_c (> 0).
    vm_mps: missile speed V_M (> 0); sets the heading-error initial condition ẏ(0) = −V_M·HE.
    target_accel_mps2: step target manoeuvre n_T, applied from t = 0.
    heading_error_rad: heading error HE (small-angle).
    dt_s: integration step (> 0, ≤ t_F, < 2.5·τ). Default min(t_F/1000, τ/50) (τ = 0: t_F/1000). The step
        is shrunk so that a whole number of steps ends exactly at t_F.

    Integration is classical fourth-order Runge–Kutta with a fixed step (Zarchan integrates with second-order
    Runge–Kutta, ch. 1). Because λ̇ grows like 1/t_go² near intercept the solution is not smooth at t_F and
    the miss converges only to first order in dt; with the default step the normalised single-lag misses
    agree with Zarchan's closed forms to ~1e-4 (see tests/validation/test_homing_loop_zarchan.py).
    """
    _require_positive_finite("nprime", nprime)
    _require_positive_finite("tf_s", tf_s)
    _require_finite("tau_s", tau_s)
    if tau_s < 0.0:
        raise ValueError(f"tau_s must be >= 0 (0 means no lag), got {tau_s!r}")
    _require_positive_finite("vc_mps", vc_mps)
    _require_positive_finite("vm_mps", vm_mps)
    _require_finite("target_accel_mps2", target_accel_mps2)
    _require_finite("heading_error_rad", heading_error_rad)
    if dt_s is not None:
        _require_positive_finite("dt_s", dt_s)
        if dt_s > tf_s:
            raise ValueError(f"dt_s must not exceed tf_s ({tf_s!r} s), got {dt_s!r}")
        if tau_s > 0.0 and dt_s >= 2.5 * tau_s:
            raise ValueError(
                f"dt_s = {dt_s!r} s is too coarse for tau_s = {tau_s!r} s: the explicit RK4 step must stay "
                f"below 2.5*tau_s for the lag to be stable"
            )

    requested_step_s = _default_step_s(tf_s, tau_s) if dt_s is None else float(dt_s)
    n_steps = max(1, math.ceil(tf_s / requested_step_s - 1e-9))
    step_s = tf_s / n_steps

    nprime, tf_s, tau_s = float(nprime), float(tf_s), float(tau_s)
    vc_mps, n_t = float(vc_mps), float(target_accel_mps2)
    has_lag = tau_s > 0.0

    # t_go → 0: λ̇ = ZEM/(V_c·t_go²) is singular at t_F. RK4 evaluates the derivative at t_k, t_k + h/2 (twice)
    # and t_k + h, so on the last step only the fourth stage sits at t_go = 0. Flooring t_go at h/2 therefore
    # touches nothing but that stage, and that stage does not enter y(t_F): for ÿ = f the RK4 position update
    # is y_{k+1} = y_k + h·ẏ_k + h²/6·(f1 + f2 + f3), and with the lag n_L's fourth stage only feeds n_L_{k+1}.
    # The miss is thus unaffected by the floor; only the final ẏ and n_L (not returned) use it.
    t_go_floor_s = 0.5 * step_s

    def accel_cmd_mps2(t_s: float, y_m: float, ydot_mps: float) -> float:
        t_go_s = max(tf_s - t_s, t_go_floor_s)
        los_rate_radps = (y_m + ydot_mps * t_go_s) / (vc_mps * t_go_s * t_go_s)  # λ̇ = d/dt[y/(V_c·t_go)]
        return nprime * vc_mps * los_rate_radps  # n_c = N′·V_c·λ̇

    def derivatives(t_s: float, y_m: float, ydot_mps: float, n_l: float) -> tuple[float, float, float]:
        n_c = accel_cmd_mps2(t_s, y_m, ydot_mps)
        if has_lag:
            return ydot_mps, n_t - n_l, (n_c - n_l) / tau_s  # ÿ = n_T − n_L, ṅ_L = (n_c − n_L)/τ
        return ydot_mps, n_t - n_c, 0.0  # zero lag: n_L = n_c

    t_grid_s = np.arange(n_steps) * step_s
    accel_cmd_history = np.empty(n_steps)

    y_m = 0.0
    ydot_mps = -float(vm_mps) * float(heading_error_rad)  # ẏ(0) = −V_M·HE
    n_l = 0.0
    h = step_s
    for k in range(n_steps):
        t_s = k * h
        accel_cmd_history[k] = accel_cmd_mps2(t_s, y_m, ydot_mps)
        k1 = derivatives(t_s, y_m, ydot_mps, n_l)
        k2 = derivatives(t_s + 0.5 * h, y_m + 0.5 * h * k1[0], ydot_mps + 0.5 * h * k1[1], n_l + 0.5 * h * k1[2])
        k3 = derivatives(t_s + 0.5 * h, y_m + 0.5 * h * k2[0], ydot_mps + 0.5 * h * k2[1], n_l + 0.5 * h * k2[2])
        k4 = derivatives(t_s + h, y_m + h * k3[0], ydot_mps + h * k3[1], n_l + h * k3[2])
        y_m += h / 6.0 * (k1[0] + 2.0 * k2[0] + 2.0 * k3[0] + k4[0])
        ydot_mps += h / 6.0 * (k1[1] + 2.0 * k2[1] + 2.0 * k3[1] + k4[1])
        n_l += h / 6.0 * (k1[2] + 2.0 * k2[2] + 2.0 * k3[2] + k4[2])

    t_grid_s.flags.writeable = False
    accel_cmd_history.flags.writeable = False
    return HomingLoopResult(t_s=t_grid_s, accel_cmd_mps2=accel_cmd_history, miss_m=float(y_m))


def _default_step_s(tf_s: float, tau_s: float) -> float:
    """min(t_F/1000, τ/50); τ = 0 → t_F/1000. Resolves the flight and the lag, whichever is shorter."""
    step_s = tf_s / STEPS_PER_FLIGHT_TIME
    if tau_s > 0.0:
        step_s = min(step_s, tau_s / STEPS_PER_TIME_CONSTANT)
    return step_s


def _require_finite(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")


def _require_positive_finite(name: str, value: float) -> None:
    _require_finite(name, value)
    if value <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
