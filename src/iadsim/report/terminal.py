"""What the terminal shows: the fate table of one replication and a Monte Carlo summary, as rich renderables."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table


def _percent(p: dict) -> str:
    return f"{100 * p['estimate']:.1f} ({100 * p['low']:.1f}–{100 * p['high']:.1f})"


def _interval(m: dict | None, unit: str = "") -> str:
    if not m:
        return "—"
    return f"{m.get('mean', m.get('estimate')):.2f}{unit} ({m['low']:.2f}–{m['high']:.2f})"


def summary_view(title: str, summary: dict) -> Group:
    """Per-threat table, the overall figures, and the convergence line (intervals in parentheses)."""
    level = f"{100 * summary['confidence']:.0f}%"
    threats = Table(title=f"{title}\n{summary['replications']:,} replications; percentages with {level} intervals",
                    title_justify="left")
    threats.add_column("threat", no_wrap=True)
    threats.add_column("target", overflow="fold")
    for column in ("intercepted %", "leaked %", "not detected %", "shots"):
        threats.add_column(column, justify="right")
    for row in summary["per_threat"]:
        threats.add_row(row["name"], row["target"], _percent(row["intercepted"]), _percent(row["leaked"]),
                        _percent(row["not_detected"]), f"{row['interceptors_fired_mean']:.2f}")
    overall = Table(show_header=False, box=None, pad_edge=False)
    overall.add_column(style="bold")
    overall.add_column()
    overall.add_row("all intercepted %", _percent(summary["all_intercepted"]) + " Clopper–Pearson")
    overall.add_row("any leak %", _percent(summary["any_leak"]))
    overall.add_row("threats intercepted", _interval(summary["intercepted_mean"]) + f" of {summary['threats']}")
    overall.add_row("leakers", _interval(summary["leakers_mean"]))
    overall.add_row("interceptors per kill", _interval(summary["interceptors_per_kill"]))
    overall.add_row("time of first leak", _interval(summary["first_leak_s"], " s"))
    distribution = "  ".join(f"{row['intercepted']}: {100 * row['estimate']:.1f}%"
                             for row in summary["intercepted_distribution"])
    overall.add_row("number intercepted", distribution)
    c = summary["convergence"]
    verdict = ("converged" if c["converged"] else
               f"needs about {c['additional_replications']:,} more replications")
    overall.add_row("precision", f"{c['quantity']} ±{c['half_width']:.3f} (target ±{c['target_half_width']}): {verdict}")
    return Group(threats, overall)


def fate_table(title: str, fates: list[dict]) -> Table:
    """The fate of each threat of one replication, as a rich table (times from the scenario start)."""
    table = Table(title=f"{title}: fate of each threat", title_justify="left")
    table.add_column("threat", no_wrap=True)
    table.add_column("target", overflow="fold")
    table.add_column("fate", no_wrap=True)
    for column in ("detect s", "track s", "shots", "end s"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("how / why", ratio=1)
    colours = {"intercepted": "green", "leaked": "red", "missed target": "yellow", "in flight": "magenta"}

    def seconds(value):
        return "—" if value is None else f"{value:.1f}"

    for row in fates:
        if row["fate"] == "intercepted":
            end_s, how = row["intercept_time_s"], f"at {row['intercept_height_m'] / 1000:.1f} km"
        else:
            end_s, how = row["end_time_s"], row["engagement"] + (f": {row['reason']}" if row["reason"] else "")
        table.add_row(row["name"], row["target"], f"[{colours.get(row['fate'], 'white')}]{row['fate']}[/]",
                      seconds(row["first_detection_s"]), seconds(row["first_track_s"]), str(row["interceptors_fired"]),
                      seconds(end_s), how)
    return table
