"""Face values of the two modelled 2021 claims against the standard exact binomial interval.

Reference: Clopper & Pearson (1934), Biometrika 26(4):404–413, as computed by R's ``binom.test``:
``binom.test(4, 4)$conf.int`` = 0.3976354 1.0000000 and ``binom.test(7, 8)$conf.int`` = 0.4734903 0.9968403.
"""

from __future__ import annotations

import pytest

from iadsim.claims import face_value, get_claim

# (claim id, intercepted, fired, R binom.test 95 % interval)
REFERENCE = [
    ("homs-2021-07-22", 4, 4, (0.3976354, 1.0000000)),
    ("aleppo-2021-07-19", 7, 8, (0.4734903, 0.9968403)),
]


@pytest.mark.parametrize(("claim_id", "k", "n", "interval"), REFERENCE)
def test_face_value_matches_r_binom_test(claim_id, k, n, interval):
    result = face_value(k, n)
    assert (round(result["low"], 3), round(result["high"], 3)) == (round(interval[0], 3), round(interval[1], 3))
    assert result["low"] == pytest.approx(interval[0], abs=5e-7)
    assert result["high"] == pytest.approx(interval[1], abs=5e-7)


@pytest.mark.parametrize(("claim_id", "k", "n", "interval"), REFERENCE)
def test_dataset_rows_give_the_reference_interval(claim_id, k, n, interval):
    claim = get_claim(claim_id)
    assert (claim.claimed_intercepted, claim.fired) == (k, n)
    result = claim.face_value()
    assert result["low"] == pytest.approx(interval[0], abs=5e-7)
    assert result["high"] == pytest.approx(interval[1], abs=5e-7)


def test_brief_values_to_three_decimals():
    assert [round(x, 3) for x in (face_value(4, 4)["low"], face_value(4, 4)["high"])] == [0.398, 1.000]
    assert [round(x, 3) for x in (face_value(7, 8)["low"], face_value(7, 8)["high"])] == [0.473, 0.997]
