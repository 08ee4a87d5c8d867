"""Public intercept claims ("k of n intercepted"), their sources, and their face-value statistics."""

from iadsim.claims.dataset import Claim, get_claim, load_claims
from iadsim.claims.facevalue import face_value, pooled_face_value

__all__ = ["Claim", "face_value", "get_claim", "load_claims", "pooled_face_value"]
