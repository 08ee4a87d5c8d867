"""Static plots of a scenario: the plan map and the altitude-versus-range profile (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from iadsim.earth.curvature import masking_height_m, radar_horizon_m  # noqa: E402
from iadsim.scenario.world import World  # noqa: E402

LOW_TARGET_HEIGHT_M = 100.0  # the low flyer against which horizon-limited coverage is drawn


def coverage_radius_m(world: World, target_height_m: float = LOW_TARGET_HEIGHT_M) -> np.ndarray:
    """Radar coverage radius against a target at `target_height_m` above ground: min(horizon, max range)."""
    antenna_agl = world.radars.antenna_m[:, 2] - world.ground_m
    horizon = radar_horizon_m(antenna_agl, target_height_m, world.earth_k_factor)
    return np.minimum(np.asarray(horizon, dtype=float), world.radars.max_range_m)


def plot_map(world: World, trajectories: pa.Table, path: Path) -> Path:
    """Plan view (km): assets, radars with their coverage against a low flyer, fire units, trajectories."""
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    names = trajectories.column("name").to_numpy(zero_copy_only=False)
    kinds = trajectories.column("kind").to_numpy(zero_copy_only=False)
    east, north = trajectories.column("east_m").to_numpy() / 1e3, trajectories.column("north_m").to_numpy() / 1e3
    for name in dict.fromkeys(names):
        rows = names == name
        weapon = kinds[rows][0] == "weapon"
        ax.plot(east[rows], north[rows], "-", lw=1.2 if weapon else 1.0, color="tab:red" if weapon else "tab:gray",
                alpha=0.9 if weapon else 0.6, label="weapon" if weapon else "aircraft")
        ax.plot(east[rows][-1], north[rows][-1], "x" if weapon else ">", color="tab:red" if weapon else "tab:gray", ms=5)
    for i, radius in enumerate(coverage_radius_m(world)):
        centre = world.radars.antenna_m[i, :2] / 1e3
        ax.add_patch(plt.Circle(centre, radius / 1e3, fill=True, alpha=0.07, color="tab:blue"))
        ax.add_patch(plt.Circle(centre, radius / 1e3, fill=False, ls="--", color="tab:blue",
                                label=f"radar coverage vs {LOW_TARGET_HEIGHT_M:.0f} m flyer"))
        ax.plot(*centre, "^", color="tab:blue", ms=8, label="radar")
        ax.annotate(world.radars.ids[i], centre, textcoords="offset points", xytext=(6, -10), color="tab:blue", fontsize=8)
    for f, fid in enumerate(world.fire_units.ids):
        p = world.fire_units.position_m[f, :2] / 1e3
        ax.plot(*p, "s", color="tab:green", ms=7, label="fire unit")
        ax.annotate(fid, p, textcoords="offset points", xytext=(6, 4), color="tab:green", fontsize=8)
    for a, aid in enumerate(world.assets.ids):
        p = world.assets.position_m[a, :2] / 1e3
        ax.plot(*p, "*", color="black", ms=12, label="defended asset")
        ax.annotate(aid, p, textcoords="offset points", xytext=(6, 4), fontsize=8)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="best", fontsize=8)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("east (km)")
    ax.set_ylabel("north (km)")
    ax.set_title(f"{world.name}: plan view")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_profile(world: World, trajectories: pa.Table, path: Path) -> Path:
    """Height above ground of each weapon against its ground range from the first radar, with the radar's
    masking height (lowest visible height at each range, smooth earth, k-factor refraction)."""
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    reference = world.radars.antenna_m[0] if len(world.radars.ids) else np.array([0.0, 0.0, world.ground_m])
    names = trajectories.column("name").to_numpy(zero_copy_only=False)
    kinds = trajectories.column("kind").to_numpy(zero_copy_only=False)
    east, north = trajectories.column("east_m").to_numpy(), trajectories.column("north_m").to_numpy()
    height = trajectories.column("height_m").to_numpy() - world.ground_m
    ranges = np.hypot(east - reference[0], north - reference[1]) / 1e3
    for name in dict.fromkeys(names[kinds == "weapon"]):
        rows = names == name
        ax.plot(ranges[rows], height[rows], "-", color="tab:red", lw=1.1, label="weapon")
    r_max = max(float(ranges.max(initial=1.0)), 1.0) * 1.05
    grid_km = np.linspace(0.0, r_max, 300)
    if len(world.radars.ids):
        mask = masking_height_m(grid_km * 1e3, reference[2] - world.ground_m, world.earth_k_factor)
        ax.fill_between(grid_km, 0, mask, color="tab:blue", alpha=0.15, label=f"below {world.radars.ids[0]} horizon")
    ax.set_xlim(0, r_max)
    top = float(height[kinds == "weapon"].max(initial=1000.0))
    ax.set_ylim(0, top * 1.15 + 50)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="best", fontsize=8)
    ax.set_xlabel("ground range from radar (km)")
    ax.set_ylabel("height above ground (m)")
    ax.set_title(f"{world.name}: altitude versus range")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
