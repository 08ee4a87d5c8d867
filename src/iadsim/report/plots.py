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
    draw_plan(ax, world, trajectories)
    return _finish(fig, ax, path)


def draw_plan(ax, world: World, trajectories: pa.Table) -> None:
    """Draw the plan view of `plot_map` on `ax` (labels and title; the legend is left to the caller)."""
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
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("east (km)")
    ax.set_ylabel("north (km)")
    ax.set_title(f"{world.name}: plan view")
    ax.grid(alpha=0.3)


def plot_profile(world: World, trajectories: pa.Table, path: Path) -> Path:
    """Height above ground of each weapon against its ground range from the first radar, with the radar's
    masking height (lowest visible height at each range, smooth earth, k-factor refraction)."""
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    draw_profile(ax, world, trajectories)
    return _finish(fig, ax, path)


def profile_reference_m(world: World) -> np.ndarray:
    """The point ranges are measured from in the profile: the first radar's antenna (else the origin)."""
    return world.radars.antenna_m[0] if len(world.radars.ids) else np.array([0.0, 0.0, world.ground_m])


def draw_profile(ax, world: World, trajectories: pa.Table) -> None:
    """Draw the altitude-versus-range profile of `plot_profile` on `ax` (the legend is left to the caller)."""
    reference = profile_reference_m(world)
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
    ax.set_xlabel("ground range from radar (km)")
    ax.set_ylabel("height above ground (m)")
    ax.set_title(f"{world.name}: altitude versus range")
    ax.grid(alpha=0.3)


def _finish(fig, ax, path: Path) -> Path:
    """Deduplicate the legend, lay out, save and close."""
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# --- one replication of an Outcome: the raid cut where it ended, interceptor flights, intercept points ---

FATE_COLOURS = {"intercepted": "#2a9d8f", "leaked": "#d62828", "missed target": "#e08e0b", "in flight": "#7f8c8d"}
INTERCEPTOR_COLOUR = "tab:green"  # the fire units' colour: an interceptor reads as belonging to its unit


def replication_of(outcome, replication: int):
    """The Outcome restricted to one replication; a clear error for an index the run does not have."""
    if not 0 <= replication < outcome.replications:
        raise ValueError(f"replication {replication} is outside 0..{outcome.replications - 1}")
    return outcome.replication(replication)


def paths_by(table: pa.Table, key: str) -> dict[int, dict[str, np.ndarray]]:
    """Rows of `table` grouped by the integer column `key`, each group sorted by time: {key: {column: array}}."""
    keys = table.column(key).to_numpy()
    order = np.lexsort((table.column("t_s").to_numpy(), keys))
    columns = {name: table.column(name).to_numpy(zero_copy_only=False)[order] for name in table.column_names}
    groups: dict[int, dict[str, np.ndarray]] = {}
    for value in dict.fromkeys(columns[key].tolist()):
        rows = columns[key] == value
        groups[int(value)] = {name: column[rows] for name, column in columns.items()}
    return groups


def raid_truth(outcome) -> pa.Table:
    """The raid's sampled truth cut at each threat's end in this (single-replication) Outcome.

    `trajectories` holds the planned flight, which does not know about intercepts; a killed weapon must stop
    at its intercept point, so every entity with a fate is cut at `fates.end_time_s` (interpolated there)."""
    end_of = dict(zip(outcome.fates.column("threat").to_pylist(), outcome.fates.column("end_time_s").to_pylist()))
    pieces = []
    for entity, rows in paths_by(outcome.trajectories, "entity").items():
        end_s = end_of.get(entity, np.inf)
        times = rows["t_s"]
        keep = times <= end_s
        piece = {name: column[keep] for name, column in rows.items()}
        if times[0] <= end_s < times[-1] and end_s not in piece["t_s"]:
            for name, column in rows.items():
                last = [np.interp(end_s, times, column)] if column.dtype.kind == "f" else column[keep][-1:]
                piece[name] = np.append(piece[name], last)
        pieces.append(piece)
    if not pieces:
        return outcome.trajectories
    return pa.table({name: np.concatenate([p[name] for p in pieces]) for name in outcome.trajectories.column_names},
                    schema=outcome.trajectories.schema)


def plot_engagement_map(world: World, outcome, path: Path, replication: int = 0) -> Path:
    """The plan view of one replication: raid cut at its ends, interceptor flights, intercepts and impacts."""
    one = replication_of(outcome, replication)
    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    draw_plan(ax, world, raid_truth(one))
    for flight in paths_by(one.flights, "interceptor").values():
        ax.plot(flight["east_m"] / 1e3, flight["north_m"] / 1e3, "-", color=INTERCEPTOR_COLOUR, lw=0.9, alpha=0.8,
                label="interceptor")
    _mark_ends(ax, one, lambda e, n, h: (e / 1e3, n / 1e3))
    ax.set_title(f"{world.name}: plan view, replication {replication}")
    return _finish(fig, ax, path)


def plot_engagement_profile(world: World, outcome, path: Path, replication: int = 0) -> Path:
    """The altitude-versus-range profile of one replication, with interceptor flights and intercept points."""
    one = replication_of(outcome, replication)
    reference = profile_reference_m(world)

    def range_height(east_m, north_m, height_m):
        return np.hypot(east_m - reference[0], north_m - reference[1]) / 1e3, height_m - world.ground_m

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    draw_profile(ax, world, raid_truth(one))
    for flight in paths_by(one.flights, "interceptor").values():
        ax.plot(*range_height(flight["east_m"], flight["north_m"], flight["height_m"]), "-",
                color=INTERCEPTOR_COLOUR, lw=0.9, alpha=0.8, label="interceptor")
    _mark_ends(ax, one, range_height)
    bottom, top = ax.get_ylim()
    flight_top = float(np.max(one.flights.column("height_m").to_numpy() - world.ground_m, initial=0.0))
    ax.set_ylim(bottom, max(top, flight_top * 1.1))
    ax.set_title(f"{world.name}: altitude versus range, replication {replication}")
    return _finish(fig, ax, path)


def _mark_ends(ax, one, project) -> None:
    """Mark intercept points, interceptors that missed or were lost, and weapon impacts, via `project`."""
    fates, shots = one.fates, one.shots
    killed = np.array([f == "intercepted" for f in fates.column("fate").to_pylist()], dtype=bool)
    if killed.any():
        x, y = project(*(fates.column(c).to_numpy()[killed] for c in
                         ("intercept_east_m", "intercept_north_m", "intercept_height_m")))
        ax.plot(x, y, "*", ms=13, color="gold", mec="black", mew=0.8, ls="none", label="intercept")
    missed = ~np.asarray(shots.column("killed").to_numpy(zero_copy_only=False), dtype=bool)
    if missed.any():
        x, y = project(*(shots.column(c).to_numpy()[missed] for c in ("end_east_m", "end_north_m", "end_height_m")))
        ax.plot(x, y, "x", ms=6, color="black", ls="none", label="interceptor miss or loss")
    truth = paths_by(raid_truth(one), "entity")
    for threat, fate in zip(fates.column("threat").to_pylist(), fates.column("fate").to_pylist()):
        if fate in ("leaked", "missed target") and threat in truth:
            end = truth[threat]
            x, y = project(end["east_m"][-1:], end["north_m"][-1:], end["height_m"][-1:])
            ax.plot(x, y, "o", ms=7, color=FATE_COLOURS[fate], mec="black", mew=0.6, ls="none",
                    label=f"impact ({fate})")
