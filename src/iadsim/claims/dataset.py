"""The packaged dataset of public intercept claims (``claims/data/claims.yaml``) as validated objects.

A claim is what a claimant said ("7 of 8 intercepted"), not what happened: the denominator may be missiles
fired, judged threatening or engaged, and "intercepted" may mean anything from a warhead kill to an attempt.
The model therefore checks only what must hold for the words to be a count at all (0 <= claimed <= fired,
fired >= 1) and keeps independent evidence beside the claim rather than instead of it.
"""

from __future__ import annotations

import datetime
from functools import cache
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from iadsim.errors import Problem, ScenarioError

DATA_PACKAGE = "iadsim.claims"
DATA_FILE = "data/claims.yaml"
SOURCE = "claims.yaml"  # how problems in the packaged file are located

Slug = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, Field(min_length=1)]

__all__ = ["Claim", "Independent", "Report", "get_claim", "load_claims"]


class _Frozen(BaseModel):
    """Unknown fields are errors (a misspelt field never silently disappears) and rows cannot be changed."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Report(_Frozen):
    """Where the claim was published: the publication (agency, outlet, transcript) and its date."""

    publication: Text
    date: datetime.date


class Independent(_Frozen):
    """What sources other than the claimant said. ``None`` means no such figure was made public."""

    summary: Text
    impacts_seen: int | None = Field(None, ge=0, description="Impacts on the ground seen independently.")
    evidence_success_fraction: float | None = Field(
        None, ge=0.0, le=1.0, description="Fraction of real successes that independent evidence supports."
    )


class Claim(_Frozen):
    """One public, self-reported intercept claim, with its sources; see the header of claims.yaml."""

    id: Slug
    date: datetime.date
    place: Text
    claimant: Text
    reported_by: list[Report] = Field(min_length=1)
    systems_credited: list[Text] = Field(min_length=1)
    fired: int = Field(ge=1, description="The claimant's denominator (fired, threatening or engaged).")
    claimed_intercepted: int = Field(ge=0)
    independent: Independent
    scenario: str | None = None
    notes: Text

    @model_validator(mode="after")
    def _counts_are_possible(self) -> Claim:
        # A claim of more intercepts than missiles, or more impacts than missiles, is a data-entry error.
        if self.claimed_intercepted > self.fired:
            raise ValueError(f"claimed_intercepted ({self.claimed_intercepted}) exceeds fired ({self.fired})")
        impacts = self.independent.impacts_seen
        if impacts is not None and impacts > self.fired:
            raise ValueError(f"independent.impacts_seen ({impacts}) exceeds fired ({self.fired})")
        return self

    def face_value(self, confidence: float = 0.95) -> dict[str, Any]:
        """The claim taken at its word: claimed/fired with an exact interval (see ``facevalue.face_value``)."""
        from iadsim.claims.facevalue import face_value

        return face_value(self.claimed_intercepted, self.fired, confidence)


def _problems(err: ValidationError, index: int) -> list[Problem]:
    return [Problem(e["msg"], ("claims", index, *e["loc"]), source=SOURCE) for e in err.errors()]


@cache
def _load() -> tuple[Claim, ...]:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    rows = (yaml.safe_load(text) or {}).get("claims") or []
    claims: list[Claim] = []
    problems: list[Problem] = []
    for index, row in enumerate(rows):
        try:
            claims.append(Claim.model_validate(row))
        except ValidationError as err:
            problems.extend(_problems(err, index))
    seen: set[str] = set()
    for index, claim in enumerate(claims):
        if claim.id in seen:
            problems.append(Problem(f"duplicate claim id '{claim.id}'", ("claims", index, "id"), source=SOURCE))
        seen.add(claim.id)
    if problems:
        raise ScenarioError(problems)
    return tuple(claims)


def load_claims() -> list[Claim]:
    """Every claim in the packaged dataset, in file order (parsed and validated once, then cached)."""
    return list(_load())


def get_claim(claim_id: str) -> Claim:
    """The claim with this id; an unknown id raises ScenarioError listing the known ones."""
    claims = {claim.id: claim for claim in _load()}
    if claim_id not in claims:
        known = ", ".join(claims)
        raise ScenarioError(Problem(f"unknown claim '{claim_id}' (known: {known})", ("--claim",), source="claims dataset"))
    return claims[claim_id]
