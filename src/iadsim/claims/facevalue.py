"""Face-value statistics of intercept claims: take "k of n intercepted" at its word and say what it supports.

A claim of 4 of 4 sounds like certainty, but four trials cannot tell a 40 % system from a perfect one. The
exact (Clopper–Pearson) interval makes that visible: Clopper, C. J. & Pearson, E. S. (1934), "The use of
confidence or fiducial limits illustrated in the case of the binomial", Biometrika 26(4):404–413. It is
used, not Wilson, because public claims are few trials and an exact interval never under-covers.

"Face value" means the claimant's own numerator and denominator are trusted; nothing here corrects for a
shifting denominator (fired, threatening, engaged) or a loose meaning of "intercepted".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from iadsim.claims.dataset import Claim
from iadsim.montecarlo.stats import clopper_pearson, pooled

METHOD = "clopper-pearson"

__all__ = ["face_value", "pooled_face_value"]


def face_value(intercepted: int, fired: int, confidence: float = 0.95) -> dict[str, Any]:
    """Rate ``intercepted / fired`` and its exact two-sided interval at ``confidence``.

    Clopper & Pearson (1934), Biometrika 26(4):404–413, via ``iadsim.montecarlo.stats.clopper_pearson``.
    Impossible counts (fired < 1, intercepted < 0 or > fired, non-integers) raise ValueError from there.
    Returns ``{intercepted, fired, rate, low, high, method, confidence}``.
    """
    low, high = clopper_pearson(intercepted, fired, confidence)  # validates the counts first
    return {"intercepted": int(intercepted), "fired": int(fired), "rate": int(intercepted) / int(fired),
            "low": low, "high": high, "method": METHOD, "confidence": float(confidence)}


def pooled_face_value(claims: Sequence[Claim] | Sequence[tuple[int, int]], confidence: float = 0.95) -> dict[str, Any]:
    """Face value of several claims pooled: Σ intercepted / Σ fired with its Clopper–Pearson interval.

    Pooling assumes every claim measures the same underlying probability and that all trials are
    independent (then Σk ~ Binomial(Σn, p)); different systems, targets or denominators break that, so
    read the pooled figure as "what the claims say together", not as a system's kill probability.
    Clopper & Pearson (1934), Biometrika 26(4):404–413, via ``iadsim.montecarlo.stats.pooled``.
    ``claims`` are ``Claim`` objects (the result then lists their ids under ``claims``) or (k, n) pairs.
    """
    items = list(claims)
    ids = [c.id for c in items] if items and all(isinstance(c, Claim) for c in items) else None
    pairs = [(c.claimed_intercepted, c.fired) for c in items] if ids is not None else items
    result = pooled(pairs, confidence)
    out = {"intercepted": result.k, "fired": result.n, "rate": result.estimate, "low": result.low,
           "high": result.high, "method": result.method, "confidence": result.confidence}
    if ids is not None:
        out["claims"] = ids
    return out
