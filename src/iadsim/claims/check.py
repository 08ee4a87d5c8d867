"""`check_claim`: is "K of N intercepted" plausible, at face value, under the model, and against the evidence?

Parts (docs/claims.md):
1. face value — K/N with its exact interval, and pooled over the dataset's claims for the same systems;
2. the model's predictive distribution of the number intercepted, uncertain parameters drawn from their priors,
   and the probability of a result at least as good as claimed;
3. the posterior of those parameters given the claim, and given the independent evidence instead;
4. resource feasibility (`claims.feasibility`);
5. the definitional spread: the same replications counted as warhead kills, as threats some interceptor passed
   within lethal radius, and as threats engaged.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

from iadsim.claims.dataset import Claim, get_claim, load_claims
from iadsim.claims.facevalue import face_value, pooled_face_value
from iadsim.claims.feasibility import feasibility
from iadsim.claims.posterior import likelihood, posterior
from iadsim.claims.predictive import ReferenceTable, reference_table
from iadsim.engine.simulate import simulate
from iadsim.montecarlo.stats import wilson
from iadsim.scenario import world_from_text
from iadsim.scenario.loader import parse_scenario, read_scenario_text

# what "intercepted" may mean, strictest first: (key, label, per-replication count)
DEFINITIONS = (
    ("warhead_kill", "warhead kill", "intercepted"),
    ("within_lethal_radius", "an interceptor passed within lethal radius", "within_lethal_radius"),
    ("engaged", "engaged (fired at)", "engaged"),
)
EVIDENCE = re.compile(r"^\s*(impacts)\s*(>=|<=|=)\s*(\d+)\s*$")


@dataclass(frozen=True)
class Evidence:
    """An independent observation of a count: `impacts=2` (exactly two weapons reached the ground), `impacts>=2`."""

    statistic: str
    relation: str
    value: int

    @classmethod
    def parse(cls, text: str) -> Evidence:
        match = EVIDENCE.match(text)
        if match is None:
            raise ValueError(f"evidence must look like impacts=M, impacts>=M or impacts<=M, got {text!r}")
        return cls(match.group(1), match.group(2), int(match.group(3)))

    def __str__(self) -> str:
        return f"{self.statistic}{self.relation}{self.value}"


@dataclass(frozen=True)
class ClaimCheck:
    """The whole result: `summary` is plain JSON; `table` and the weights are kept for the plots."""

    summary: dict
    table: ReferenceTable | None = None
    weights_claim: np.ndarray | None = None
    weights_evidence: np.ndarray | None = None


def check_claim(fired: int | None = None, intercepted: int | None = None, *, scenario: str | None = None,
                claim: str | None = None, evidence: str | None = None, replications: int = 320, per_draw: int = 8,
                seed: int | None = None, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> ClaimCheck:
    """Check a claim given by its counts, by its dataset id (`claim`), or both (the counts win). With a scenario
    the model parts run; without, only the face value."""
    row = get_claim(claim) if claim else None
    fired = fired if fired is not None else (row.fired if row else None)
    intercepted = intercepted if intercepted is not None else (row.claimed_intercepted if row else None)
    if fired is None or intercepted is None:
        raise ValueError("give --fired and --intercepted, or --claim ID from `iadsim claims`")
    if not 0 <= intercepted <= fired or fired < 1:
        raise ValueError(f"a claim needs 0 <= intercepted <= fired and fired >= 1, got {intercepted} of {fired}")
    if evidence is None and row is not None and row.independent.impacts_seen is not None:
        evidence = f"impacts>={row.independent.impacts_seen}"  # seen impacts: at least that many reached the ground
    observed = Evidence.parse(evidence) if evidence else None
    summary: dict = {
        "claim": {"id": row.id if row else None, "fired": fired, "intercepted": intercepted,
                  "evidence": str(observed) if observed else None,
                  "source": _source(row) if row else None},
        "face_value": face_value(intercepted, fired),
        "pooled": _pooled(row) if row else None,
        "model": None,
    }
    if scenario is None:  # face value only; the dataset row may say which scenario models the event
        summary["linked_scenario"] = row.scenario if row else None
        return ClaimCheck(summary)
    text, source = read_scenario_text(scenario)
    nominal = parse_scenario(text, source)
    seed = nominal.sim.seed if seed is None else int(seed)
    workers = workers or os.cpu_count() or 1
    table = reference_table(text, source, replications, per_draw, seed, workers, progress)
    weights_claim = likelihood(table.count("intercepted"), intercepted)
    weights_evidence = (likelihood(table.count(observed.statistic), observed.value, observed.relation)
                        if observed else None)
    world = world_from_text(text, source)
    recorded = simulate(world, seed=seed, replications=1, record=True)
    kills = table.count("intercepted").sum()
    per_kill = float(table.count("interceptors_fired").sum() / kills) if kills else None
    summary["model"] = {
        "scenario": nominal.name, "seed": seed, "draws": table.draws, "replications_per_draw": table.per_draw,
        "replications": table.draws * table.per_draw, "threats": int(table.count("threats").max()),
        "uncertain": [{"path": p.path, "prior": p.prior.model_dump(exclude_none=True), "note": p.note}
                      for p in nominal.uncertain],
        "predictive": _predictive(table.count("intercepted"), intercepted),
        "definitions": {key: {"label": label, **_predictive(table.count(count), intercepted)}
                        for key, label, count in DEFINITIONS},
        "interceptors_per_kill": per_kill,
        "posterior_given_claim": posterior(table.theta, weights_claim, table.parameters) if table.parameters else None,
        "posterior_given_evidence": (posterior(table.theta, weights_evidence, table.parameters)
                                     if table.parameters and weights_evidence is not None else None),
        "feasibility": feasibility(world, recorded, fired, intercepted, per_kill),
    }
    return ClaimCheck(summary, table, weights_claim, weights_evidence)


def _predictive(counts: np.ndarray, claimed: int, confidence: float = 0.95) -> dict:
    """Distribution of a per-replication count over the reference table, and P(count ≥ claimed).

    Replications of one draw share its parameters, so they are not independent: the interval of P(≥ claimed) is
    the wider of Wilson on all replications (binomial noise) and Student t over the per-draw shares (which also
    carries the spread the priors cause)."""
    flat = counts.ravel()
    n = flat.size
    at_least = int(np.count_nonzero(flat >= claimed))
    low, high = wilson(at_least, n, confidence)
    per_draw = (counts >= claimed).mean(axis=1)
    if per_draw.size >= 2:
        half = scipy_stats.t.ppf(0.5 + confidence / 2, per_draw.size - 1) * per_draw.std(ddof=1) / np.sqrt(per_draw.size)
        low, high = min(low, max(per_draw.mean() - half, 0.0)), max(high, min(per_draw.mean() + half, 1.0))
    top = int(counts.max(initial=0))
    return {
        "mean": float(flat.mean()),
        "distribution": [{"count": k, "probability": float(np.mean(flat == k))} for k in range(max(top, claimed) + 1)],
        "at_least_claimed": {"estimate": at_least / n, "low": float(low), "high": float(high), "k": at_least, "n": n},
    }


def _source(row: Claim) -> str:
    return "; ".join(f"{r.publication}, {r.date}" for r in row.reported_by)


def _pooled(row: Claim) -> dict | None:
    """The dataset's claims crediting any of the same systems, pooled (the row itself included)."""
    same = [c for c in load_claims() if set(c.systems_credited) & set(row.systems_credited)]
    if len(same) < 2:
        return None
    return {"systems": sorted(set(row.systems_credited)), **pooled_face_value(same)}
