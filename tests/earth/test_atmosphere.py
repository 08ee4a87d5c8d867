"""iadsim.earth.atmosphere: shapes, continuity, numba vs numpy, clamping. Table values: tests/validation."""

import numpy as np

from iadsim.earth import isa
from iadsim.earth.atmosphere import (
    density_and_speed_of_sound_nb,
    density_kg_m3_nb,
    geometric_altitude_m,
    geopotential_altitude_m,
    pressure_pa_nb,
    speed_of_sound_mps_nb,
    temperature_k_nb,
)

ALTITUDES_M = np.concatenate([np.linspace(-600.0, 90e3, 1501), geometric_altitude_m(np.array([11e3, 20e3, 32e3, 47e3]))])


def test_shapes():
    for value in isa(np.zeros((2, 3))):
        assert value.shape == (2, 3)
    assert all(np.ndim(v) == 0 for v in isa(1000.0))


def test_numba_matches_numpy():
    reference = isa(ALTITUDES_M)
    for scalar_function, expected in zip(
        (temperature_k_nb, pressure_pa_nb, density_kg_m3_nb, speed_of_sound_mps_nb), reference
    ):
        np.testing.assert_allclose([scalar_function(z) for z in ALTITUDES_M], expected, rtol=1e-12)
    both = np.array([density_and_speed_of_sound_nb(z) for z in ALTITUDES_M])
    np.testing.assert_allclose(both, np.stack(reference[2:], axis=1), rtol=1e-12)


def test_continuous_across_layer_bases():
    bases_m = geometric_altitude_m(np.array([11e3, 20e3, 32e3, 47e3, 51e3, 71e3]))
    for field_below, field_above in zip(isa(bases_m - 1e-6), isa(bases_m + 1e-6)):
        np.testing.assert_allclose(field_below, field_above, rtol=1e-8)


def test_pressure_and_density_fall_with_altitude():
    _, pressure, density, _ = isa(np.linspace(-500.0, 86e3, 2000))
    assert np.all(np.diff(pressure) < 0) and np.all(np.diff(density) < 0)


def test_clamped_outside_range():
    assert density_kg_m3_nb(-2000.0) == density_kg_m3_nb(-500.0)
    assert density_kg_m3_nb(-500.0) > density_kg_m3_nb(0.0)
    assert density_kg_m3_nb(200e3) == density_kg_m3_nb(86e3)
    np.testing.assert_array_equal(isa(200e3)[2], isa(86e3)[2])


def test_geopotential_round_trip():
    z = np.linspace(-500, 86e3, 50)
    np.testing.assert_allclose(geometric_altitude_m(geopotential_altitude_m(z)), z, atol=1e-8)
