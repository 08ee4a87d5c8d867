"""The report of a sweep: `sweep.json`, its plots as PNG, and one self-contained `sweep.html` (figures as data
URIs, the run report's stylesheet, no external URL) — plus the rich table the CLI prints.

One varied path gives the saturation curve, read top to bottom: how many threats leak, how often the defence
stops them all, and why it stopped engaging — threats held for want of a fire channel or of a missile, beside the
interceptors it fired and the missiles and channels it had. Two varied paths give heat maps of P(all
intercepted) and of the mean number of leakers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from rich.markup import escape  # noqa: E402
from rich.table import Table  # noqa: E402

from iadsim import __version__  # noqa: E402
from iadsim.montecarlo.sweep import SweepResult  # noqa: E402
from iadsim.scenario.paths import describe  # noqa: E402
from iadsim.report.html import escape as escape_html, figure, page, png_data_uri  # noqa: E402

SHORTFALL = 0.5  # mean threats held per replication above which a resource is said to run out
SHORTFALLS = (("held_no_missile_mean", "missiles"), ("held_no_channel_mean", "fire channels"))
MAX_ANNOTATED_CELLS = 150  # a heat map with more cells than this is left unannotated (the text would not fit)
PNG_METADATA = {"Software": None}  # keep matplotlib's home-page URL out of the files


def write_sweep_report(result: SweepResult, out_dir: str | Path) -> list[Path]:
    """Write sweep.json, the plots and sweep.html into `out_dir`; return the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = out / "sweep.json"
    data.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    if len(result.paths) == 1:
        figures = [(plot_saturation(result, out / "saturation.png"), "Saturation curve", _saturation_caption(result))]
    else:
        figures = [
            (plot_heatmap(result, "all_intercepted", out / "heatmap_all_intercepted.png"), "P(all intercepted)",
             "Share of replications in which every threat was intercepted, per grid point (95 % Clopper–Pearson "
             "interval in brackets)."),
            (plot_heatmap(result, "leakers_mean", out / "heatmap_leakers.png"), "Mean leakers",
             "Mean number of threats that leaked per replication (95 % Student-t interval in brackets)."),
        ]
    page = out / "sweep.html"
    page.write_text(_html(result, figures), encoding="utf-8")
    return [data, *(path for path, _, _ in figures), page]


# --- what the points say -----------------------------------------------------------------------------------

def x_axis(result: SweepResult) -> tuple[np.ndarray, str]:
    """The x values of a one-path sweep and their label: the threats per replication when the varied path
    changes the raid size (the saturation curve proper), else the varied values."""
    threats = np.array([p.threats_mean for p in result.points])
    if np.ptp(threats) > 0:
        return threats, "threats per replication"
    return np.array(result.values[0], dtype=float), result.paths[0]


def first_shortfalls(result: SweepResult) -> dict[str, int | None]:
    """For missiles and fire channels, the first grid point (index) where more than SHORTFALL threats per
    replication, on average, were held for want of it; None if it never happened."""
    found: dict[str, int | None] = {}
    for key, resource in SHORTFALLS:
        found[resource] = next((i for i, p in enumerate(result.points) if p.summary[key]["mean"] > SHORTFALL), None)
    return found


# --- plots -------------------------------------------------------------------------------------------------

def plot_saturation(result: SweepResult, path: Path) -> Path:
    """Three panels sharing the x axis: mean leakers, P(all intercepted), and why threats went unengaged."""
    x, label = x_axis(result)
    points = result.points
    fig, (leak_ax, all_ax, why_ax) = plt.subplots(3, 1, figsize=(9, 12), dpi=110, sharex=True)

    _bars(leak_ax, x, [p.summary["leakers_mean"] for p in points], "o-", "tab:red", "mean leakers")
    if label == "threats per replication":
        leak_ax.plot(x, x, ls=":", color="grey", lw=1, label="every threat leaks")
    leak_ax.set_ylabel("leakers per replication")
    leak_ax.set_title(f"{result.scenario}: saturation ({result.replications:,} replications per point, 95 % intervals)")

    _bars(all_ax, x, [p.summary["all_intercepted"] for p in points], "s-", "tab:green", "P(all intercepted)")
    all_ax.set_ylim(-0.03, 1.03)
    all_ax.set_ylabel("P(all intercepted)")

    _bars(why_ax, x, [p.summary["held_no_channel_mean"] for p in points], "^-", "tab:purple",
          "held: no fire channel free")
    _bars(why_ax, x, [p.summary["held_no_missile_mean"] for p in points], "v-", "tab:orange",
          "held: no missile ready")
    _bars(why_ax, x, [p.summary["interceptors_fired_mean"] for p in points], "o-", "tab:blue",
          "interceptors fired")
    why_ax.step(x, [p.missiles_available for p in points], where="mid", color="tab:blue", ls="--", lw=1.2,
                label="missiles the defence had (ready + reloads)")
    why_ax.step(x, [p.missiles_ready for p in points], where="mid", color="tab:cyan", ls="-.", lw=1.2,
                label="of which ready at t = 0")
    why_ax.step(x, [p.fire_channels for p in points], where="mid", color="tab:purple", ls=":", lw=1.2,
                label="fire channels")
    why_ax.set_ylabel("per replication (mean)")
    why_ax.set_xlabel(label)
    why_ax.set_title("why threats went unengaged", fontsize=10)

    for offset, (resource, index) in enumerate(first_shortfalls(result).items()):
        if index is None:
            continue
        for ax in (leak_ax, all_ax, why_ax):
            ax.axvline(x[index], color="grey", ls="--", lw=0.8)
        label = f"{resource} run out\n({describe(result.points[index].settings)})"
        why_ax.annotate(label, (x[index], 0.97 - 0.2 * offset),
                        xycoords=("data", "axes fraction"), xytext=(4, 0), textcoords="offset points",
                        va="top", fontsize=8, bbox={"boxstyle": "round", "fc": "white", "ec": "grey", "alpha": 0.9})
    for ax in (leak_ax, all_ax, why_ax):
        ax.grid(alpha=0.3)
    leak_ax.legend(loc="upper left", fontsize=8)
    all_ax.legend(loc="upper right", fontsize=8)
    why_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8)  # below: the lines fill it
    fig.tight_layout()
    fig.savefig(path, metadata=PNG_METADATA)
    plt.close(fig)
    return path


def _bars(ax, x: np.ndarray, stats: list[dict], style: str, colour: str, label: str) -> None:
    """Points with their interval as error bars (an interval that is undefined, n < 2, is drawn as none)."""
    centre = np.array([s.get("mean", s.get("estimate")) for s in stats], dtype=float)
    low = np.array([s["low"] for s in stats], dtype=float)
    high = np.array([s["high"] for s in stats], dtype=float)
    errors = np.nan_to_num(np.vstack([centre - low, high - centre]).clip(min=0))
    ax.errorbar(x, centre, yerr=errors, fmt=style, color=colour, ms=4, lw=1.2, capsize=3, label=label)


def plot_heatmap(result: SweepResult, key: str, path: Path) -> Path:
    """A heat map of `key` (`all_intercepted` or `leakers_mean`) over a two-path grid: rows are the first path's
    values, columns the second's; cells annotated with the estimate and interval when they fit."""
    rows, columns = result.shape
    stats = [p.summary[key] for p in result.points]
    value = np.array([s.get("mean", s.get("estimate")) for s in stats], dtype=float).reshape(rows, columns)
    proportion = key == "all_intercepted"
    fig, ax = plt.subplots(figsize=(1.1 * columns + 3.5, 0.7 * rows + 2.5), dpi=110)
    image = ax.imshow(value, origin="lower", aspect="auto", cmap="RdYlGn" if proportion else "Reds",
                      vmin=0.0, vmax=1.0 if proportion else max(1.0, float(np.nanmax(value))))
    title = "P(all intercepted)" if proportion else "mean leakers per replication"
    fig.colorbar(image, ax=ax, label=title)
    if rows * columns <= MAX_ANNOTATED_CELLS:
        for index, s in enumerate(stats):
            r, c = divmod(index, columns)
            shade = image.cmap(image.norm(value[r, c]))
            ink = "black" if 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] > 0.5 else "white"
            text = f"{value[r, c]:.2f}" + ("" if math.isnan(s["low"]) else f"\n[{s['low']:.2f}–{s['high']:.2f}]")
            ax.text(c, r, text, ha="center", va="center", fontsize=8, color=ink)
    for axis, values, set_ticks, set_labels in ((1, result.values[1], ax.set_xticks, ax.set_xticklabels),
                                                (0, result.values[0], ax.set_yticks, ax.set_yticklabels)):
        ticks = np.arange(0, len(values), max(1, math.ceil(len(values) / 15)))
        set_ticks(ticks)
        set_labels([f"{values[t]:g}" for t in ticks])
    ax.set_xlabel(result.paths[1])
    ax.set_ylabel(result.paths[0])
    ax.set_title(f"{result.scenario}: {title} ({result.replications:,} replications per cell)")
    fig.tight_layout()
    fig.savefig(path, metadata=PNG_METADATA)
    plt.close(fig)
    return path


def _saturation_caption(result: SweepResult) -> str:
    x, label = x_axis(result)
    caption = (f"Against {label}. Top: mean leakers per replication (Student-t 95 % interval). Middle: "
               "P(all intercepted) (Clopper–Pearson 95 %). Bottom: threats held unengaged per replication because no "
               "fire channel was free or no missile was ready, interceptors fired, and the missiles (ready plus "
               "reloads, and those ready at t = 0) and fire channels the defence had.")
    found = first_shortfalls(result)
    marked = [f"{resource} at {describe(result.points[i].settings)}" for resource, i in found.items() if i is not None]
    if marked:
        caption += (f" Dashed vertical lines: first point where more than {SHORTFALL:g} threats per replication "
                    f"were held for want of {'; '.join(marked)}.")
    return caption


# --- HTML and terminal --------------------------------------------------------------------------------------

def _interval(stat: dict | None, percent: bool = False) -> str:
    if not stat:
        return "—"
    scale, fmt = (100.0, "{:.1f}") if percent else (1.0, "{:.2f}")
    centre = scale * stat.get("mean", stat.get("estimate"))
    if math.isnan(stat["low"]):
        return fmt.format(centre)
    return f"{fmt.format(centre)} ({fmt.format(scale * stat['low'])}–{fmt.format(scale * stat['high'])})"


COLUMNS = ("threats", "leakers", "all intercepted %", "held: no channel", "held: no missile", "interceptors fired",
           "missiles ready + reloads", "fire channels", "run id")  # means per replication; intervals in brackets
SHORT = {"all intercepted %": "P(all) %", "held: no channel": "held: channel", "held: no missile": "held: missile",
         "interceptors fired": "fired", "missiles ready + reloads": "missiles", "fire channels": "channels"}


def rows(result: SweepResult) -> list[list[str]]:
    """One row per grid point: the settings, then COLUMNS."""
    table = []
    for p in result.points:
        s = p.summary
        table.append([*(f"{v:g}" for v in p.settings.values()), f"{p.threats_mean:g}", _interval(s["leakers_mean"]),
                      _interval(s["all_intercepted"], percent=True), f"{s['held_no_channel_mean']['mean']:.2f}",
                      f"{s['held_no_missile_mean']['mean']:.2f}", f"{s['interceptors_fired_mean']['mean']:.2f}",
                      f"{p.missiles_ready} + {p.missiles_available - p.missiles_ready}", str(p.fire_channels),
                      p.run_id])
    return table


def sweep_table(result: SweepResult) -> Table:
    """The rich table the CLI prints: one row per grid point."""
    seed = "varied" if result.seed is None else result.seed
    table = Table(title=f"{escape(result.scenario)}: sweep of {len(result.points)} points × {result.replications:,} "
                        f"replications, seed {seed} (common to all points). Means per replication, 95% intervals "
                        "in brackets; held = threats left unengaged for want of a free fire channel / a ready missile; "
                        "missiles = ready at t = 0 + reloads.", title_justify="left")
    cells = rows(result)
    widest = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]  # a narrow terminal wraps lines
    for i, path in enumerate(result.paths):  # instead of cutting numbers (print with crop=False)
        table.add_column(escape(path), overflow="fold", min_width=max(widest[i], min(len(path), 40)))  # [x]: no markup
    for i, column in enumerate(COLUMNS, start=len(result.paths)):
        table.add_column(SHORT.get(column, column), justify="left" if column == "run id" else "right",
                         overflow="fold", min_width=widest[i])
    for row in cells:
        table.add_row(*row)
    return table


def _html(result: SweepResult, figures: list[tuple[Path, str, str]]) -> str:
    paths = " × ".join(result.paths)
    seed = "varied by the sweep" if result.seed is None else result.seed
    head = "".join(f"<th>{escape_html(c)}</th>" for c in result.paths) + "".join(
        f"<th>{escape_html(c)}</th>" if c == "run id" else f'<th class="num">{escape_html(c)}</th>' for c in COLUMNS)
    body = "\n".join("<tr>" + "".join(
        f"<td>{escape_html(v)}</td>" if i == len(row) - 1 else f'<td class="num">{escape_html(v)}</td>' for i, v in enumerate(row))
        + "</tr>" for row in rows(result))
    found = first_shortfalls(result)
    shortfall = "; ".join(f"{resource} run out first at {describe(result.points[i].settings)}" for resource, i in found.items()
                          if i is not None)
    if shortfall:
        shortfall = (f"{shortfall[:1].upper() + shortfall[1:]} (the first point in table order where more than "
                     f"{SHORTFALL:g} threats per replication were held, on average, for want of them).")
    else:
        shortfall = (f"Neither missiles nor fire channels ran out anywhere on the grid (never more than {SHORTFALL:g} "
                     "threats per replication held, on average, for want of them).")
    varied = "; ".join(f"{p} = " + ", ".join(f"{v:g}" for v in vs) for p, vs in zip(result.paths, result.values))
    parts = [
        "<header>",
        f"<h1>{escape_html(result.scenario)}: sweep of {escape_html(paths)}</h1>",
        f'<p class="subtitle">{len(result.points)} grid points × {result.replications:,} replications · seed '
        f"{escape_html(seed)} · iadsim {escape_html(__version__)}</p>",
        "</header>",
        f'<p class="summary">{escape_html(shortfall)}</p>',
        *(figure(title, png_data_uri(png.read_bytes()), caption) for png, title, caption in figures),
        "<h2>Grid points</h2>",
        f'<div class="table-wrap"><table id="points"><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
        "</tbody></table></div>",
        "<footer>\n<h2>Method</h2>\n<dl>",
        f"<dt>Scenario</dt><dd>{escape_html(result.scenario)}</dd>",
        f"<dt>Varied</dt><dd>{escape_html(varied)}</dd>",
        f"<dt>Store</dt><dd>{escape_html(result.store)} (one run per grid point; see <code>iadsim show RUN_ID</code>)</dd>",
        f"<dt>iadsim</dt><dd>{escape_html(__version__)}</dd>",
        "</dl>",
        "<p>Every grid point runs from the same seed (common random numbers): where a change does not alter how many "
        "random draws a replication makes, each replication meets the same luck at every point, so differences "
        "along the grid are not blurred by sampling noise. Means carry Student-t 95 % intervals, P(all "
        "intercepted) exact Clopper–Pearson 95 % intervals. The data are in sweep.json next to this file and in "
        "the store.</p>",
        "</footer>",
    ]
    return page(f"{result.scenario}: iadsim sweep", "\n".join(parts))
