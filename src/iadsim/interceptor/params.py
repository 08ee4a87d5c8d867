"""Interceptor type parameters as arrays: one row per interceptor *type*.

`InterceptorParams` is the compiled form of the scenario's `interceptor_types` (see
`iadsim.scenario.schema.InterceptorType`): SI units, radians, small integer codes. The flyout kernel reads
it through `packed()`, a (types, N_COLUMNS) float64 table, plus the drag tables; numba sees the column
indices below as compile-time constants.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

G0_MPS2 = 9.80665  # standard gravity (ISO 80000-3), used for g-limits and Isp

# guidance_law codes
PURE_PN, TRUE_PN, AUGMENTED_PN = 0, 1, 2
# pk_model codes
COOKIE_CUTTER, GAUSSIAN = 0, 1

# columns of InterceptorParams.packed()
C_LAUNCH_MASS = 0
C_BOOST_THRUST = 1
C_BOOST_TIME = 2
C_BOOST_MDOT = 3
C_SUSTAIN_THRUST = 4
C_SUSTAIN_TIME = 5
C_SUSTAIN_MDOT = 6
C_REF_AREA = 7
C_MAX_G = 8
C_MAX_CL = 9
C_MAX_TOF = 10
C_MIN_SPEED = 11
C_NAV_CONSTANT = 12
C_LAW = 13
C_TAU = 14
C_NOISE = 15
C_SEMI_ACTIVE = 16
C_ACQ_RANGE = 17
C_GRAVITY_COMP = 18
C_SEEKER_PERIOD = 19
C_FUZE_ARM = 20
N_COLUMNS = 21


def _row(a, dtype=np.float64) -> np.ndarray:
    return np.atleast_1d(np.asarray(a, dtype=dtype))


@dataclass(frozen=True, eq=False)
class InterceptorParams:
    """Interceptor types, structure of arrays; every per-type field has shape (T,).

    Motor: two phases (boost, then sustain), each with constant thrust and constant mass flow
    ṁ = propellant / burn time. Drag: Cd(Mach) linear in Mach, held at the ends; `cd_mach` is (K,) shared by
    all types or (T, K) per type (pad a shorter table by repeating its last Mach/Cd pair, see `pad_drag_table`).
    Lateral acceleration is capped by `max_g`·g0 and by lift, q·S·CL_max/m.
    """

    launch_mass_kg: np.ndarray
    boost_thrust_n: np.ndarray
    boost_time_s: np.ndarray
    boost_propellant_kg: np.ndarray
    sustain_thrust_n: np.ndarray
    sustain_time_s: np.ndarray
    sustain_propellant_kg: np.ndarray
    reference_area_m2: np.ndarray
    cd_mach: np.ndarray  # (K,) or (T, K), strictly increasing per row (padding may repeat the last point)
    cd: np.ndarray  # (T, K)
    max_g: np.ndarray
    max_lift_coefficient: np.ndarray  # np.inf switches the dynamic-pressure cap off
    max_time_of_flight_s: np.ndarray
    min_speed_mps: np.ndarray  # checked only after motor burnout
    nav_constant: np.ndarray
    guidance_law: np.ndarray  # int: PURE_PN, TRUE_PN, AUGMENTED_PN
    guidance_time_constant_s: np.ndarray  # first-order lag; below dt/2 the lag is treated as zero
    seeker_noise_rad: np.ndarray  # 1σ LOS angle noise per seeker sample
    semi_active: np.ndarray  # bool: terminal homing needs the target illuminated
    lethal_radius_m: np.ndarray
    pk_model: np.ndarray  # int: COOKIE_CUTTER, GAUSSIAN
    pk_max: np.ndarray
    seeker_acquisition_range_m: np.ndarray = field(default=None)  # midcourse -> terminal; default inf
    gravity_compensation: np.ndarray = field(default=None)  # bool; default True
    seeker_sample_period_s: np.ndarray = field(default=None)  # default 0.02 s
    fuze_arming_time_s: np.ndarray = field(default=None)  # no closest approach before; default 0

    def __post_init__(self) -> None:
        ints = {"guidance_law", "pk_model"}
        bools = {"semi_active", "gravity_compensation"}
        n_types = _row(self.launch_mass_kg).shape[0]
        defaults = {
            "seeker_acquisition_range_m": np.inf,
            "gravity_compensation": True,
            "seeker_sample_period_s": 0.02,
            "fuze_arming_time_s": 0.0,
        }
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                value = defaults[f.name]
            if f.name in ("cd_mach", "cd"):
                arr = np.asarray(value, dtype=np.float64)
                if f.name == "cd":
                    arr = np.atleast_2d(arr)
            else:
                dtype = np.int64 if f.name in ints else bool if f.name in bools else np.float64
                arr = np.broadcast_to(_row(value, dtype), (n_types,)).copy()
            arr.setflags(write=False)
            object.__setattr__(self, f.name, arr)
        self._validate()

    @classmethod
    def kinematic(cls, **overrides) -> InterceptorParams:
        """One type with no thrust, no drag, no acceleration limits, zero lag, true PN, active seeker,
        acquisition at launch: the kinematic case of the textbook checks. Override any field."""
        values = dict(
            launch_mass_kg=100.0, boost_thrust_n=0.0, boost_time_s=0.0, boost_propellant_kg=0.0,
            sustain_thrust_n=0.0, sustain_time_s=0.0, sustain_propellant_kg=0.0, reference_area_m2=0.1,
            cd_mach=[0.0, 1.0], cd=[[0.0, 0.0]], max_g=1e6, max_lift_coefficient=np.inf,
            max_time_of_flight_s=1000.0, min_speed_mps=0.0, nav_constant=4.0, guidance_law=TRUE_PN,
            guidance_time_constant_s=0.0, seeker_noise_rad=0.0, semi_active=False, lethal_radius_m=10.0,
            pk_model=GAUSSIAN, pk_max=1.0, seeker_acquisition_range_m=np.inf, gravity_compensation=False,
        )
        values.update(overrides)
        return cls(**values)

    @property
    def n_types(self) -> int:
        return self.launch_mass_kg.shape[0]

    def _validate(self) -> None:
        t = self.n_types
        if self.cd.shape[0] != t:
            raise ValueError(f"cd has {self.cd.shape[0]} rows for {t} interceptor types")
        if self.cd_mach.shape[-1] != self.cd.shape[1] or self.cd_mach.ndim not in (1, 2):
            raise ValueError("cd_mach must be (K,) or (types, K) matching cd (types, K)")
        if np.any(np.diff(self.drag_mach_table(), axis=1) < 0):
            raise ValueError("cd_mach must be non-decreasing")
        if np.any(self.boost_propellant_kg + self.sustain_propellant_kg >= self.launch_mass_kg):
            raise ValueError("boost + sustain propellant must be less than launch_mass_kg")
        for name in ("boost_time_s", "sustain_time_s", "boost_propellant_kg", "sustain_propellant_kg"):
            if np.any(getattr(self, name) < 0):
                raise ValueError(f"{name} must be >= 0")
        if np.any(self.seeker_sample_period_s <= 0):
            raise ValueError("seeker_sample_period_s must be > 0")

    def drag_mach_table(self) -> np.ndarray:
        """Mach grid as (T, K)."""
        return np.broadcast_to(np.atleast_2d(self.cd_mach), self.cd.shape)

    def packed(self) -> np.ndarray:
        """(T, N_COLUMNS) float64 table for the kernels (mass flows precomputed, ṁ = propellant / burn time)."""
        table = np.zeros((self.n_types, N_COLUMNS))
        table[:, C_LAUNCH_MASS] = self.launch_mass_kg
        table[:, C_BOOST_THRUST] = self.boost_thrust_n
        table[:, C_BOOST_TIME] = self.boost_time_s
        table[:, C_BOOST_MDOT] = _mass_flow(self.boost_propellant_kg, self.boost_time_s)
        table[:, C_SUSTAIN_THRUST] = self.sustain_thrust_n
        table[:, C_SUSTAIN_TIME] = self.sustain_time_s
        table[:, C_SUSTAIN_MDOT] = _mass_flow(self.sustain_propellant_kg, self.sustain_time_s)
        table[:, C_REF_AREA] = self.reference_area_m2
        table[:, C_MAX_G] = self.max_g
        table[:, C_MAX_CL] = self.max_lift_coefficient
        table[:, C_MAX_TOF] = self.max_time_of_flight_s
        table[:, C_MIN_SPEED] = self.min_speed_mps
        table[:, C_NAV_CONSTANT] = self.nav_constant
        table[:, C_LAW] = self.guidance_law
        table[:, C_TAU] = self.guidance_time_constant_s
        table[:, C_NOISE] = self.seeker_noise_rad
        table[:, C_SEMI_ACTIVE] = self.semi_active
        table[:, C_ACQ_RANGE] = self.seeker_acquisition_range_m
        table[:, C_GRAVITY_COMP] = self.gravity_compensation
        table[:, C_SEEKER_PERIOD] = self.seeker_sample_period_s
        table[:, C_FUZE_ARM] = self.fuze_arming_time_s
        return table


def _mass_flow(propellant_kg: np.ndarray, burn_time_s: np.ndarray) -> np.ndarray:
    safe_time = np.where(burn_time_s > 0, burn_time_s, 1.0)
    return np.where(burn_time_s > 0, propellant_kg / safe_time, 0.0)


def pad_drag_table(tables: list[tuple[list[float], list[float]]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-type (mach, cd) lists of different lengths -> (T, K) arrays, padded by repeating the last point."""
    width = max(len(m) for m, _ in tables)
    mach = np.empty((len(tables), width))
    cd = np.empty((len(tables), width))
    for i, (m, c) in enumerate(tables):
        mach[i, : len(m)], mach[i, len(m):] = m, m[-1]
        cd[i, : len(c)], cd[i, len(c):] = c, c[-1]
    return mach, cd
