"""The outputs of `iadsim run`: simulate one replication and write every file under the output directory."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from iadsim import __version__
from iadsim.engine.outcome import Outcome
from iadsim.engine.record import summary
from iadsim.engine.simulate import simulate
from iadsim.montecarlo.summary import json_safe
from iadsim.report.acmi import write_acmi
from iadsim.report.czml import write_czml
from iadsim.report.html import write_report
from iadsim.report.plots import plot_engagement_map, plot_engagement_profile
from iadsim.scenario import load_world

FILES = ("fates.parquet", "shots.parquet", "events.parquet", "trajectories.parquet", "flights.parquet",
         "summary.json", "report.html", "engagement.acmi", "engagement.czml", "map.png", "profile.png")


def write_run(scenario: str, out: Path, seed: int | None = None) -> tuple[Outcome, dict]:
    """Run one replication of `scenario` and write FILES to `out`. Returns the Outcome and the summary record."""
    world = load_world(scenario)
    outcome = simulate(world, seed=seed, replications=1, record=True)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("fates", "shots", "events", "trajectories", "flights"):
        pq.write_table(getattr(outcome, name), out / f"{name}.parquet")
    headline = summary(outcome)
    write_report(world, outcome, out / "report.html", summary=headline)
    write_acmi(world, outcome, out / "engagement.acmi")
    write_czml(world, outcome, out / "engagement.czml")
    plot_engagement_map(world, outcome, out / "map.png")
    plot_engagement_profile(world, outcome, out / "profile.png")
    record = {
        "scenario": world.name,
        "seed": outcome.seed,
        "iadsim_version": __version__,
        "start_time_utc": world.start_time_utc,
        "summary": headline,
        "fates": json_safe(outcome.fates.to_pylist()),  # NaN (a step that never happened) becomes null
        "shots": json_safe(outcome.shots.to_pylist()),
        "resources": outcome.resources.to_pylist(),
        "files": list(FILES),
    }
    (out / "summary.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return outcome, record

