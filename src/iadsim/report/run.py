"""The outputs of `iadsim run`: files under the output directory and the summary record."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from iadsim import __version__
from iadsim.report.plots import plot_map, plot_profile
from iadsim.report.trajectories import raid_summary, sample_raid
from iadsim.scenario import load_world


def write_run(scenario: str, out: Path, seed: int | None = None) -> dict:
    """Run `scenario` and write trajectories.parquet, summary.json, map.png and profile.png to `out`."""
    world = load_world(scenario)
    out.mkdir(parents=True, exist_ok=True)
    trajectories = sample_raid(world)
    pq.write_table(trajectories, out / "trajectories.parquet")
    plot_map(world, trajectories, out / "map.png")
    plot_profile(world, trajectories, out / "profile.png")
    entities = raid_summary(world)
    weapons = [e for e in entities if e["kind"] == "weapon"]
    headline = (
        f"{len(weapons)} weapon{'s' if len(weapons) != 1 else ''} released by "
        f"{len(entities) - len(weapons)} aircraft; raid only (the defence is not yet simulated)."
    )
    summary = {
        "scenario": world.name,
        "seed": world.seed if seed is None else seed,
        "iadsim_version": __version__,
        "start_time_utc": world.start_time_utc,
        "headline": headline,
        "entities": entities,
        "files": ["trajectories.parquet", "summary.json", "map.png", "profile.png"],
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary
