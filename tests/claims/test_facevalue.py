"""Face-value statistics: pooling is the face value of the summed counts; impossible counts are refused."""

from __future__ import annotations

import pytest

from iadsim.claims import face_value, load_claims, pooled_face_value

KEYS = {"intercepted", "fired", "rate", "low", "high", "method", "confidence"}


def test_face_value_keys_and_rate():
    result = face_value(7, 8)
    assert set(result) == KEYS
    assert result["rate"] == 0.875 and result["method"] == "clopper-pearson" and result["confidence"] == 0.95
    assert result["low"] < result["rate"] < result["high"]


def test_wider_at_higher_confidence():
    narrow, wide = face_value(7, 8, 0.90), face_value(7, 8, 0.99)
    assert wide["low"] < narrow["low"] and wide["high"] > narrow["high"]


def test_pooled_equals_face_value_of_summed_counts_for_pairs():
    pairs = [(4, 4), (7, 8), (22, 24)]
    assert pooled_face_value(pairs) == face_value(33, 36)


def test_pooled_claims_lists_ids_and_equals_summed_counts():
    claims = [c for c in load_claims() if c.date.year == 2021]
    result = pooled_face_value(claims)
    k, n = sum(c.claimed_intercepted for c in claims), sum(c.fired for c in claims)
    assert (k, n) == (72, 84)
    assert result["claims"] == [c.id for c in claims]
    assert {key: result[key] for key in KEYS} == face_value(k, n)


def test_claim_face_value_matches_counts():
    for claim in load_claims():
        assert claim.face_value() == face_value(claim.claimed_intercepted, claim.fired)


@pytest.mark.parametrize(("k", "n"), [(5, 4), (-1, 4), (0, 0), (1.5, 4)])
def test_impossible_counts_raise(k, n):
    with pytest.raises(ValueError, match="k|n"):
        face_value(k, n)


def test_impossible_pooled_counts_raise():
    with pytest.raises(ValueError):
        pooled_face_value([(4, 4), (5, 4)])
    with pytest.raises(ValueError):
        pooled_face_value([])


def test_bad_confidence_raises():
    with pytest.raises(ValueError, match="confidence"):
        face_value(4, 4, confidence=95)
