"""Scenario interceptor types -> InterceptorParams, envelopes and launch heading errors."""

import math

import numpy as np
import pytest

from iadsim.firecontrol.interceptors import (
    engagement_envelopes,
    interceptor_params,
    launch_heading_error_rad,
)
from iadsim.interceptor import COOKIE_CUTTER, GAUSSIAN, PURE_PN, TRUE_PN
from iadsim.scenario import load_scenario
from iadsim.scenario.schema import DragTable


@pytest.fixture(scope="module")
def homs():
    return load_scenario("homs-2021")


@pytest.fixture(scope="module")
def aleppo():
    return load_scenario("aleppo-2021")


def test_homs_9m317_compiles_to_si_arrays(homs):
    p = interceptor_params(homs)
    assert p.n_types == 1
    expected = {
        "launch_mass_kg": 715, "boost_thrust_n": 103600, "boost_time_s": 5, "boost_propellant_kg": 220,
        "sustain_thrust_n": 35300, "sustain_time_s": 10, "sustain_propellant_kg": 150, "reference_area_m2": 0.1257,
        "max_g": 24, "max_lift_coefficient": 10, "max_time_of_flight_s": 60, "min_speed_mps": 300,
        "nav_constant": 4, "guidance_time_constant_s": 0.3, "seeker_noise_rad": math.radians(0.05),
        "seeker_acquisition_range_m": 20000, "lethal_radius_m": 20, "pk_max": 0.9,
    }
    for name, value in expected.items():
        assert getattr(p, name)[0] == pytest.approx(value), name
    assert p.guidance_law[0] == TRUE_PN and p.pk_model[0] == GAUSSIAN and p.semi_active[0]
    assert p.gravity_compensation[0] and p.fuze_arming_time_s[0] == 0.0
    np.testing.assert_allclose(p.drag_mach_table()[0], [0.0, 0.8, 1.0, 1.2, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(p.cd[0], [0.24, 0.256, 0.44, 0.48, 0.36, 0.288, 0.24])


def test_aleppo_two_types_in_file_order(aleppo):
    p = interceptor_params(aleppo)
    assert [t.id for t in aleppo.interceptor_types] == ["9m317", "57e6"]
    np.testing.assert_allclose(p.launch_mass_kg, [715, 75])
    np.testing.assert_allclose(p.sustain_thrust_n, [35300, 0])  # 57E6 has no sustain phase: the default
    np.testing.assert_allclose(p.lethal_radius_m, [20, 9])
    np.testing.assert_allclose(p.max_time_of_flight_s, [60, 30])
    env = engagement_envelopes(aleppo)
    np.testing.assert_allclose(env.min_range_m, [3000, 1200])
    np.testing.assert_allclose(env.max_range_m, [45000, 20000])
    np.testing.assert_allclose(env.min_height_m, [15, 15])
    np.testing.assert_allclose(env.max_height_m, [25000, 15000])
    np.testing.assert_allclose(env.max_target_speed_mps, [1200, 1000])
    np.testing.assert_allclose(env.max_time_of_flight_s, [60, 30])


def test_codes_degrees_and_padding(aleppo):
    first, second = aleppo.interceptor_types
    second = second.model_copy(update={
        "drag": DragTable(mach=[0.0, 1.0, 2.0], cd=[0.3, 0.5, 0.4]),
        "guidance": second.guidance.model_copy(update={"law": "pure_pn", "seeker_noise_deg": 0.5}),
        "lethality": second.lethality.model_copy(update={"model": "cookie_cutter"}),
    })
    p = interceptor_params(aleppo.model_copy(update={"interceptor_types": [first, second]}))
    assert p.cd.shape == (2, 7)
    np.testing.assert_allclose(p.drag_mach_table()[1], [0.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0])
    np.testing.assert_allclose(p.cd[1], [0.3, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4])
    assert list(p.guidance_law) == [TRUE_PN, PURE_PN]
    assert list(p.pk_model) == [GAUSSIAN, COOKIE_CUTTER]
    assert p.seeker_noise_rad[1] == pytest.approx(math.radians(0.5))


def test_launch_heading_error_textbook_case():
    textbook = load_scenario("textbook-heading-error")
    np.testing.assert_allclose(launch_heading_error_rad(textbook), [math.radians(10.0)])
    p = interceptor_params(textbook)
    assert p.guidance_law[0] == PURE_PN and p.pk_model[0] == COOKIE_CUTTER and not p.semi_active[0]


def test_no_interceptor_types_gives_zero_rows(homs):
    empty = homs.model_copy(update={"interceptor_types": [], "fire_units": []})
    assert interceptor_params(empty).n_types == 0
    assert engagement_envelopes(empty).n_types == 0
    assert launch_heading_error_rad(empty).shape == (0,)
