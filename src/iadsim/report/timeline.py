"""The engagement timeline of one replication: a row per threat, its kill chain as markers on a bar.

Each bar runs from the weapon's release to its end (intercept, impact or end of simulation), coloured by its
fate; markers show first detection, first confirmed track, every interceptor launch and how each shot ended.
The top axis reads the same times as UTC clock time (from the scenario's `start_time_utc`).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from iadsim.report.plots import FATE_COLOURS, replication_of  # noqa: E402
from iadsim.scenario.world import World  # noqa: E402

BAR_HEIGHT = 0.36
# marker style per kill-chain step: (matplotlib marker, face colour, size, legend label)
STEP_STYLES = {
    "release": ("|", "black", 14, "release"),
    "detection": ("o", "white", 7, "first detection"),
    "track": ("D", "#1f77b4", 6, "first confirmed track"),
    "launch": ("^", "#2ca02c", 8, "interceptor launch"),
    "kill": ("*", "gold", 15, "intercept (kill)"),
    "miss": ("X", "black", 7, "interceptor miss or loss"),
    "impact": ("v", "#d62828", 9, "impact"),
}


def utc_of(world: World, t_s: float) -> datetime:
    """Clock time (UTC) of a scenario time t_s."""
    start = datetime.fromisoformat(world.start_time_utc.replace("Z", "+00:00"))
    return start + timedelta(seconds=float(t_s))


def plot_timeline(world: World, outcome, path: Path, replication: int = 0) -> Path:
    """Write the engagement timeline of `replication` as a PNG to `path`; threats in order of release."""
    one = replication_of(outcome, replication)
    fates = one.fates.sort_by([("release_time_s", "ascending"), ("threat", "ascending")]).to_pylist()
    shots = one.shots.to_pylist()
    fig, ax = plt.subplots(figsize=(10, 1.4 + 0.62 * max(len(fates), 1)), dpi=110)
    for row, fate in enumerate(fates):
        _draw_threat(ax, row, fate, [s for s in shots if s["threat"] == fate["threat"]])
    ax.set_yticks(range(len(fates)), [f"{f['name']} → {f['target']}" for f in fates], fontsize=9)
    ax.set_ylim(len(fates) - 0.4, -0.6)  # first released on top
    ax.set_xlabel("time from scenario start (s)")
    ax.grid(axis="x", alpha=0.3)
    _add_clock_axis(ax, world)
    _add_legend(ax, fates)
    ax.set_title(f"{world.name}: engagement timeline, replication {replication}", pad=28)
    if not fates:
        ax.text(0.5, 0.5, "no threats", transform=ax.transAxes, ha="center", va="center", color="grey")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _draw_threat(ax, row: int, fate: dict, shots: list[dict]) -> None:
    """One threat's bar, its kill-chain markers and the fate written after the bar."""
    start, end = fate["release_time_s"], fate["end_time_s"]
    colour = FATE_COLOURS.get(fate["fate"], "grey")
    ax.barh(row, end - start, left=start, height=BAR_HEIGHT, color=colour, alpha=0.35, edgecolor=colour)
    _step(ax, "release", start, row)
    _step(ax, "detection", fate["first_detection_s"], row)
    _step(ax, "track", fate["first_track_s"], row)
    for shot in shots:
        _step(ax, "launch", shot["launch_time_s"], row)
        _step(ax, "kill" if shot["killed"] else "miss", shot["end_time_s"], row)
        ax.plot([shot["launch_time_s"], shot["end_time_s"]], [row + 0.22] * 2, color="#2ca02c", lw=1.0, alpha=0.7)
    if fate["fate"] in ("leaked", "missed target"):
        _step(ax, "impact", end, row)
    ax.annotate(fate["fate"], (end, row), xytext=(9, 0), textcoords="offset points", va="center", fontsize=8,
                color=colour, fontweight="bold")


def _step(ax, step: str, t_s: float, row: int) -> None:
    """A kill-chain marker; skipped when the step never happened (NaN time)."""
    if t_s is None or math.isnan(t_s):
        return
    marker, face, size, _ = STEP_STYLES[step]
    ax.plot([t_s], [row], marker=marker, ms=size, mfc=face, mec="black", color="black", mew=0.8, ls="none",
            zorder=3)


def _add_clock_axis(ax, world: World) -> None:
    """A top axis with the same times as UTC clock time, so the timeline reads against public reports."""
    top = ax.secondary_xaxis("top")
    top.xaxis.set_major_formatter(FuncFormatter(lambda t, _: utc_of(world, t).strftime("%H:%M:%S")))
    top.set_xlabel("UTC", fontsize=8)
    top.tick_params(labelsize=8)


def _add_legend(ax, fates: list[dict]) -> None:
    """Legend of the marker meanings and of the fate colours present."""
    handles = [Line2D([], [], marker=m, ms=s * 0.8, mfc=f, mec="black", color="black", ls="none", label=label)
               for m, f, s, label in STEP_STYLES.values()]
    present = list(dict.fromkeys(f["fate"] for f in fates))
    handles += [Patch(facecolor=FATE_COLOURS.get(p, "grey"), alpha=0.5, label=f"fate: {p}") for p in present]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    lo, hi = ax.get_xlim()
    ax.set_xlim(lo, hi + 0.16 * (hi - lo))  # room for the fate written after the last bar
