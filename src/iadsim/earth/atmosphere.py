"""International Standard Atmosphere (temperature, pressure, density, speed of sound).

Source: U.S. Standard Atmosphere, 1976 (NOAA/NASA/USAF, NOAA-S/T 76-1562), Part 1, Sec. 1.2-1.3, which
up to 32 km geopotential is identical to the ICAO Standard Atmosphere (ICAO Doc 7488/3, 1993):

* layers in geopotential altitude H with linear temperature T = T_b + L_b (H - H_b)         (eq. 23)
  base H_b [km]:   0     11    20    32    47    51    71    84.852
  lapse L_b [K/km]: -6.5  0.0  +1.0  +2.8   0.0  -2.8  -2.0
* hydrostatic pressure, L_b != 0: p = p_b (T_b / T)^(g0 M0 / (R* L_b))                      (eq. 33a)
                        L_b == 0: p = p_b exp(-g0 M0 (H - H_b) / (R* T_b))                    (eq. 33b)
* density rho = p M0 / (R* T) (eq. 42), speed of sound a = sqrt(gamma R* T / M0) (eq. 50)
* geopotential from geometric altitude Z: H = r0 Z / (r0 + Z), r0 = 6 356 766 m               (eq. 18)

Input altitude is *geometric* height above mean sea level in metres (the frame's z). The table runs
to 86 km geometric (84.852 km geopotential, the 1976 standard's upper layers); the brief's range is
0-32 km and the layers above are the standard's own continuation. Above 86 km the state is held at its
86 km value (air is ~1e-5 of sea level: drag is negligible). Below sea level the troposphere is extended
down to -500 m, and held at its -500 m value below that. Between 80 and 86 km the standard's
molecular-scale temperature is used as the temperature (they differ by < 0.1 % there).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "isa",
    "geopotential_altitude_m",
    "geometric_altitude_m",
    "density_kg_m3_nb",
    "density_and_speed_of_sound_nb",
    "speed_of_sound_mps_nb",
    "temperature_k_nb",
    "pressure_pa_nb",
    "SEA_LEVEL_TEMPERATURE_K",
    "SEA_LEVEL_PRESSURE_PA",
    "SEA_LEVEL_DENSITY_KG_M3",
]

# U.S. Standard Atmosphere 1976, Table 2 / Sec. 1.2 constants
STANDARD_GRAVITY_MPS2 = 9.80665          # g0
GAS_CONSTANT_J_PER_KMOL_K = 8.31432e3    # R* as defined by the 1976 standard (not CODATA)
MOLAR_MASS_KG_PER_KMOL = 28.9644         # M0, sea-level mean molar mass of air
SPECIFIC_GAS_CONSTANT_J_PER_KG_K = GAS_CONSTANT_J_PER_KMOL_K / MOLAR_MASS_KG_PER_KMOL  # 287.0531
HEAT_CAPACITY_RATIO = 1.4                # gamma
EARTH_RADIUS_FOR_GEOPOTENTIAL_M = 6356766.0  # r0 (eq. 18)

SEA_LEVEL_TEMPERATURE_K = 288.15
SEA_LEVEL_PRESSURE_PA = 101325.0

MIN_ALTITUDE_M = -500.0  # geometric; the troposphere is extended down to here

# Layer bases (geopotential m) and lapse rates (K/m), Table 4 of the 1976 standard.
_LAYER_BASE_GEOPOTENTIAL_M = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0])
_LAYER_LAPSE_K_PER_M = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])
_TOP_GEOPOTENTIAL_M = 84852.0
_HYDROSTATIC_CONSTANT_K_PER_M = STANDARD_GRAVITY_MPS2 / SPECIFIC_GAS_CONSTANT_J_PER_KG_K  # g0 M0 / R*


def _layer_bases():
    """Base temperature and pressure of each layer, chained up from sea level with eqs. 23 and 33."""
    base_temperature_k = np.empty_like(_LAYER_BASE_GEOPOTENTIAL_M)
    base_pressure_pa = np.empty_like(_LAYER_BASE_GEOPOTENTIAL_M)
    temperature_k, pressure_pa = SEA_LEVEL_TEMPERATURE_K, SEA_LEVEL_PRESSURE_PA
    for i in range(len(_LAYER_BASE_GEOPOTENTIAL_M)):
        base_temperature_k[i], base_pressure_pa[i] = temperature_k, pressure_pa
        top_m = _LAYER_BASE_GEOPOTENTIAL_M[i + 1] if i + 1 < len(_LAYER_BASE_GEOPOTENTIAL_M) else _TOP_GEOPOTENTIAL_M
        thickness_m = top_m - _LAYER_BASE_GEOPOTENTIAL_M[i]
        lapse = _LAYER_LAPSE_K_PER_M[i]
        if lapse == 0.0:
            pressure_pa *= math.exp(-_HYDROSTATIC_CONSTANT_K_PER_M * thickness_m / temperature_k)
        else:
            top_temperature_k = temperature_k + lapse * thickness_m
            pressure_pa *= (temperature_k / top_temperature_k) ** (_HYDROSTATIC_CONSTANT_K_PER_M / lapse)
            temperature_k = top_temperature_k
    return base_temperature_k, base_pressure_pa


_LAYER_BASE_TEMPERATURE_K, _LAYER_BASE_PRESSURE_PA = _layer_bases()
SEA_LEVEL_DENSITY_KG_M3 = SEA_LEVEL_PRESSURE_PA / (SPECIFIC_GAS_CONSTANT_J_PER_KG_K * SEA_LEVEL_TEMPERATURE_K)
_MAX_ALTITUDE_M = EARTH_RADIUS_FOR_GEOPOTENTIAL_M * _TOP_GEOPOTENTIAL_M / (
    EARTH_RADIUS_FOR_GEOPOTENTIAL_M - _TOP_GEOPOTENTIAL_M
)  # 86 000 m geometric


def geopotential_altitude_m(geometric_altitude_m):
    """Eq. 18: H = r0 Z / (r0 + Z) (m)."""
    z = np.asarray(geometric_altitude_m, dtype=float)
    return EARTH_RADIUS_FOR_GEOPOTENTIAL_M * z / (EARTH_RADIUS_FOR_GEOPOTENTIAL_M + z)


def geometric_altitude_m(geopotential_altitude_m):
    """Inverse of eq. 18: Z = r0 H / (r0 - H) (m)."""
    h = np.asarray(geopotential_altitude_m, dtype=float)
    return EARTH_RADIUS_FOR_GEOPOTENTIAL_M * h / (EARTH_RADIUS_FOR_GEOPOTENTIAL_M - h)


def isa(alt_m):
    """Standard atmosphere at geometric altitude alt_m (m above MSL); vectorised, NumPy reference.

    Returns (temperature_k, pressure_pa, density_kg_m3, speed_of_sound_mps), arrays of alt_m's shape.
    Altitudes are clamped to [-500 m, 86 km] (see module docstring). Scalars give 0-d arrays.
    """
    z = np.clip(np.asarray(alt_m, dtype=float), MIN_ALTITUDE_M, _MAX_ALTITUDE_M)
    h = geopotential_altitude_m(z)
    layer = np.clip(np.searchsorted(_LAYER_BASE_GEOPOTENTIAL_M, h, side="right") - 1, 0, None)
    base_h = _LAYER_BASE_GEOPOTENTIAL_M[layer]
    base_t = _LAYER_BASE_TEMPERATURE_K[layer]
    base_p = _LAYER_BASE_PRESSURE_PA[layer]
    lapse = _LAYER_LAPSE_K_PER_M[layer]
    temperature_k = base_t + lapse * (h - base_h)
    isothermal = lapse == 0.0
    safe_lapse = np.where(isothermal, 1.0, lapse)  # avoids 0-division in the unused branch
    pressure_pa = np.where(
        isothermal,
        base_p * np.exp(-_HYDROSTATIC_CONSTANT_K_PER_M * (h - base_h) / base_t),
        base_p * (base_t / temperature_k) ** (_HYDROSTATIC_CONSTANT_K_PER_M / safe_lapse),
    )
    density_kg_m3 = pressure_pa / (SPECIFIC_GAS_CONSTANT_J_PER_KG_K * temperature_k)
    speed_of_sound_mps = np.sqrt(HEAT_CAPACITY_RATIO * SPECIFIC_GAS_CONSTANT_J_PER_KG_K * temperature_k)
    return (np.asarray(temperature_k), np.asarray(pressure_pa), np.asarray(density_kg_m3),
            np.asarray(speed_of_sound_mps))


@njit(cache=True)
def _temperature_pressure_nb(alt_m):
    """Scalar (temperature_k, pressure_pa) at geometric alt_m; same equations and clamping as `isa`."""
    z = min(max(alt_m, MIN_ALTITUDE_M), _MAX_ALTITUDE_M)
    h = EARTH_RADIUS_FOR_GEOPOTENTIAL_M * z / (EARTH_RADIUS_FOR_GEOPOTENTIAL_M + z)
    layer = 0
    for i in range(1, _LAYER_BASE_GEOPOTENTIAL_M.shape[0]):
        if h >= _LAYER_BASE_GEOPOTENTIAL_M[i]:
            layer = i
    base_h = _LAYER_BASE_GEOPOTENTIAL_M[layer]
    base_t = _LAYER_BASE_TEMPERATURE_K[layer]
    base_p = _LAYER_BASE_PRESSURE_PA[layer]
    lapse = _LAYER_LAPSE_K_PER_M[layer]
    temperature_k = base_t + lapse * (h - base_h)
    if lapse == 0.0:
        pressure_pa = base_p * math.exp(-_HYDROSTATIC_CONSTANT_K_PER_M * (h - base_h) / base_t)
    else:
        pressure_pa = base_p * (base_t / temperature_k) ** (_HYDROSTATIC_CONSTANT_K_PER_M / lapse)
    return temperature_k, pressure_pa


@njit(cache=True)
def temperature_k_nb(alt_m):
    """Scalar ISA temperature (K) at geometric alt_m (m), for numba kernels."""
    return _temperature_pressure_nb(alt_m)[0]


@njit(cache=True)
def pressure_pa_nb(alt_m):
    """Scalar ISA pressure (Pa) at geometric alt_m (m), for numba kernels."""
    return _temperature_pressure_nb(alt_m)[1]


@njit(cache=True)
def density_kg_m3_nb(alt_m):
    """Scalar ISA density (kg/m^3) at geometric alt_m (m), for numba kernels (drag)."""
    temperature_k, pressure_pa = _temperature_pressure_nb(alt_m)
    return pressure_pa / (SPECIFIC_GAS_CONSTANT_J_PER_KG_K * temperature_k)


@njit(cache=True)
def density_and_speed_of_sound_nb(alt_m):
    """Scalar ISA (density kg/m^3, speed of sound m/s) at geometric alt_m, from one evaluation of the layers
    (the flyout's drag needs both at every derivative)."""
    temperature_k, pressure_pa = _temperature_pressure_nb(alt_m)
    density_kg_m3 = pressure_pa / (SPECIFIC_GAS_CONSTANT_J_PER_KG_K * temperature_k)
    return density_kg_m3, math.sqrt(HEAT_CAPACITY_RATIO * SPECIFIC_GAS_CONSTANT_J_PER_KG_K * temperature_k)


@njit(cache=True)
def speed_of_sound_mps_nb(alt_m):
    """Scalar ISA speed of sound (m/s) at geometric alt_m (m), for numba kernels (Mach number)."""
    temperature_k = _temperature_pressure_nb(alt_m)[0]
    return math.sqrt(HEAT_CAPACITY_RATIO * SPECIFIC_GAS_CONSTANT_J_PER_KG_K * temperature_k)
