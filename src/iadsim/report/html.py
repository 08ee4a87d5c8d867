"""The run report: one self-contained HTML file (figures as base64 PNG data URIs, inline CSS, no script).

Self-contained so it can be mailed, archived or opened offline and still show everything; no external URL
appears anywhere in it. Every piece of text that comes from a scenario or an Outcome is escaped.
"""

from __future__ import annotations

import base64
import html
import math
import tempfile
from collections import Counter
from pathlib import Path

from iadsim import __version__
from iadsim.engine.outcome import FATES
from iadsim.report.plots import plot_engagement_map, plot_engagement_profile, replication_of
from iadsim.report.timeline import plot_timeline
from iadsim.scenario.world import World

DASH = "—"  # shown for a step that never happened (NaN)
FATE_TABLE_COLUMNS = (
    ("name", "threat"), ("weapon_type", "weapon type"), ("target", "target"), ("fate", "fate"),
    ("engagement", "engagement"), ("reason", "reason"), ("first_detection_s", "first detection (s)"),
    ("first_track_s", "first track (s)"), ("interceptors_fired", "interceptors fired"),
    ("intercept_time_s", "intercept time (s)"),
)
SHOT_TABLE_COLUMNS = (
    ("interceptor", "interceptor"), ("fire_unit", "fire unit"), ("launcher", "launcher"), ("threat", "threat"),
    ("launch_time_s", "launch (s)"), ("predicted_intercept_s", "predicted intercept (s)"), ("end_time_s", "end (s)"),
    ("result", "result"), ("miss_distance_m", "miss distance (m)"), ("kill_probability", "Pk"),
)
RESOURCE_TABLE_COLUMNS = (
    ("fire_unit", "fire unit"), ("missiles_fired", "missiles fired"), ("missiles_left", "missiles left"),
    ("channel_seconds", "fire-channel time (s)"),
)
NUMERIC_KEY_ENDINGS = ("_s", "_m", "_probability", "_fired", "_left", "_seconds")
STYLESHEET = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --zebra: #f5f7fa; --accent: #243b53; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: var(--ink);
       font: 15px/1.5 "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 36px 40px; background: #fff; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 18px; }
h1 { margin: 0; font-size: 26px; color: var(--accent); }
h2 { font-size: 18px; color: var(--accent); margin: 30px 0 10px; border-bottom: 1px solid var(--line); }
.subtitle { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
.summary { font-size: 16px; margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 10px; }
.card { flex: 1 1 120px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card .value { font-size: 24px; font-weight: 600; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
figure { margin: 8px 0 0; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 9px; text-align: left; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { background: var(--accent); color: #fff; font-weight: 600; white-space: normal; vertical-align: bottom; }
tbody tr:nth-child(even) { background: var(--zebra); }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
.fate { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.fate-intercepted { background: #2a9d8f; } .fate-leaked { background: #d62828; }
.fate-missed-target { background: #e08e0b; } .fate-in-flight, .fate-other { background: #7f8c8d; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 34px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
footer dt { font-weight: 600; color: var(--ink); }
footer dd { margin: 0; }
"""


def write_report(world: World, outcome, path: Path, replication: int = 0, summary: str = "") -> Path:
    """Write the report of `replication` to `path` as one self-contained HTML file.

    `summary` is the one-paragraph summary of the run (the CLI's headline); when empty, a plain count of
    the fates is used."""
    one = replication_of(outcome, replication)
    figures = _render_figures(world, outcome, replication)
    fates = one.fates.sort_by([("release_time_s", "ascending"), ("threat", "ascending")]).to_pylist()
    body = "\n".join([
        "<header>",
        f"<h1>{escape(world.name)}: engagement report</h1>",
        f'<p class="subtitle">Replication {replication} of {outcome.replications} · start {escape(world.start_time_utc)}'
        f" · seed {escape(outcome.seed)} · iadsim {escape(__version__)}</p>",
        "</header>",
        f'<p class="summary">{escape(summary or default_summary(fates, one.shots.num_rows))}</p>',
        _cards(fates, one.shots.to_pylist()),
        figure("Plan view", figures["map"], "Plan view with radar coverage against a low flyer, the raid "
               "(cut where each threat ended), interceptor flights, intercept points and impacts."),
        figure("Altitude versus range", figures["profile"], "Height above ground against ground range from the "
               "first radar; the shaded band is below that radar's horizon."),
        figure("Engagement timeline", figures["timeline"], "One row per threat, from release to its end: "
               "detection, confirmed track, launches and how each shot ended; bars coloured by fate."),
        "<h2>Fate of each threat</h2>",
        _table("fates", FATE_TABLE_COLUMNS, fates, "No threats."),
        "<h2>Interceptor shots</h2>",
        _table("shots", SHOT_TABLE_COLUMNS, _shot_rows(one, fates), "No interceptor was fired."),
        "<h2>Fire-unit resources</h2>",
        _table("resources", RESOURCE_TABLE_COLUMNS, one.resources.to_pylist(), "No fire units."),
        _footer(world, outcome, replication),
    ])
    text = page(f"{world.name}: iadsim engagement report", body)
    path = Path(path)
    path.write_text(text, encoding="utf-8")
    return path


def default_summary(fates: list[dict], shots: int) -> str:
    """A plain sentence of counts, used when no summary is given."""
    counts = Counter(f["fate"] for f in fates)
    parts = [f"{counts[fate]} {fate}" for fate in FATES if counts[fate]]
    threats = f"{len(fates)} threat{'s' if len(fates) != 1 else ''}"
    return f"{threats}: {', '.join(parts) or 'none'}; {shots} interceptor{'s' if shots != 1 else ''} fired."


def escape(value) -> str:
    """Text from a scenario or an outcome, safe inside HTML."""
    return html.escape(str(value), quote=True)


def png_data_uri(png: bytes) -> str:
    """A PNG as a data URI: figures travel inside the page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def page(title: str, body: str, extra_css: str = "") -> str:
    """A whole self-contained HTML page in the report style."""
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{STYLESHEET}{extra_css}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _render_figures(world: World, outcome, replication: int) -> dict[str, str]:
    """The three figures as PNG data URIs (rendered in a temporary folder, then embedded)."""
    plots = {"map": plot_engagement_map, "profile": plot_engagement_profile, "timeline": plot_timeline}
    uris = {}
    with tempfile.TemporaryDirectory(prefix="iadsim-report-") as folder:
        for name, plot in plots.items():
            png = plot(world, outcome, Path(folder) / f"{name}.png", replication)
            uris[name] = png_data_uri(png.read_bytes())
    return uris


def figure(title: str, data_uri: str, caption: str) -> str:
    return (f"<h2>{escape(title)}</h2>\n<figure><img src=\"{data_uri}\" alt=\"{escape(title)}\">"
            f"<figcaption>{escape(caption)}</figcaption></figure>")


def _cards(fates: list[dict], shots: list[dict]) -> str:
    counts = Counter(f["fate"] for f in fates)
    shown = [fate for fate in FATES if counts[fate] or fate != "in flight"]  # "in flight" only when it happened
    figures = [("threats", len(fates))] + [(fate, counts[fate]) for fate in shown]
    figures += [("interceptors fired", len(shots)), ("kills", sum(bool(s["killed"]) for s in shots))]
    cards = "".join(f'<div class="card"><div class="value">{escape(value)}</div><div class="label">{escape(label)}</div></div>'
                    for label, value in figures)
    return f'<div class="cards">{cards}</div>'


def _shot_rows(one, fates: list[dict]) -> list[dict]:
    """Shots with the threat shown by name ('false track' for a shot at a track with no threat behind it)."""
    names = {f["threat"]: f["name"] for f in fates}
    rows = one.shots.sort_by([("launch_time_s", "ascending"), ("interceptor", "ascending")]).to_pylist()
    for row in rows:
        row["threat"] = "false track" if row["threat"] < 0 else names.get(row["threat"], str(row["threat"]))
    return rows


def _table(table_id: str, columns, rows: list[dict], empty_text: str) -> str:
    if not rows:
        return f'<p class="empty">{escape(empty_text)}</p>'
    head = "".join(f'<th class="num">{escape(label)}</th>' if _numeric(key) else f"<th>{escape(label)}</th>"
                   for key, label in columns)
    body = "\n".join("<tr>" + "".join(_cell(key, row.get(key)) for key, _ in columns) + "</tr>" for row in rows)
    return (f'<div class="table-wrap"><table id="{escape(table_id)}"><thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table></div>")


def _numeric(key: str) -> bool:
    """Columns of numbers, right-aligned under a right-aligned header."""
    return key == "interceptor" or key.endswith(NUMERIC_KEY_ENDINGS)


def _cell(key: str, value) -> str:
    if key == "fate":
        css = "fate-" + str(value).replace(" ", "-") if value in FATES else "fate-other"
        return f'<td><span class="fate {css}">{escape(value)}</span></td>'
    if isinstance(value, float):
        text = DASH if math.isnan(value) else (f"{value:.2f}" if key == "kill_probability" else f"{value:.1f}")
        return f'<td class="num">{escape(text)}</td>'
    if isinstance(value, bool) or not isinstance(value, int):
        return f"<td>{escape(DASH if value in (None, '') else value)}</td>"
    return f'<td class="num">{escape(value)}</td>'


def _footer(world: World, outcome, replication: int) -> str:
    facts = [
        ("Scenario", world.name),
        ("Seed", outcome.seed),
        ("Replication", f"{replication} of {outcome.replications} (0-based)"),
        ("Start (UTC)", world.start_time_utc),
        ("Origin", f"{world.origin.lat_deg:.4f}° N, {world.origin.lon_deg:.4f}° E, {world.origin.alt_m:.0f} m"),
        ("iadsim", __version__),
    ]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    return (
        "<footer>\n<h2>Model and sources</h2>\n"
        f"<dl>{items}</dl>\n"
        "<p>Engagement-level simulation from textbook physics and public-source parameters, for analysis only. "
        "Each figure in the scenario file carries its source (or is marked as an assumption) in a comment; the "
        "models and their references are listed by <code>iadsim verify</code> and in the documentation "
        "(docs/models). The data behind this report are in the Parquet files next to it (docs/outputs.md).</p>\n"
        "</footer>"
    )
