"""The `iadsim` command: parse, call the API, render. Bad input prints located errors and exits 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from iadsim.errors import ScenarioError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="iadsim: integrated air-defence engagement simulator.")
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # one problem per line, never wrapped: grep-able
DEFAULT_SCENARIO = "homs-2021"
USER_ERROR = 2


def user_errors(command: Callable) -> Callable:
    """Turn the errors a user can cause into a located message and exit code 2, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ScenarioError as err:
            for problem in err.problems:
                errors.print(str(problem), markup=False, highlight=False)
            count = len(err.problems)
            errors.print(f"[red]{count} problem{'s' if count != 1 else ''}[/red]; nothing was run.")
            raise typer.Exit(USER_ERROR) from None
        except OSError as err:
            errors.print(f"{err.filename or ''}: {err.strerror or err}", markup=False, highlight=False)
            raise typer.Exit(USER_ERROR) from None

    return wrapper


ScenarioArg = Annotated[
    Optional[str], typer.Argument(help=f"Built-in scenario name or YAML/JSON file (default: {DEFAULT_SCENARIO}).")
]


@app.command()
@user_errors
def validate(files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")]) -> None:
    """Check scenario files; print every problem as FILE:LINE: field.path: reason (exit 2 if any)."""
    from iadsim.scenario import load_world

    failed = False
    for file in files:
        try:
            world = load_world(str(file))
        except ScenarioError as err:
            failed = True
            for problem in err.problems:
                errors.print(str(problem), markup=False, highlight=False)
            continue
        console.print(f"{file}: ok ({len(world.raid.weapons)} weapons, {len(world.fire_units.ids)} fire units)")
    if failed:
        raise typer.Exit(USER_ERROR)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checking)."""
    from iadsim.scenario.schema import Scenario

    sys.stdout.write(json.dumps(Scenario.model_json_schema(), indent=2) + "\n")


@app.command()
def scenarios() -> None:
    """List the built-in scenarios."""
    from iadsim.scenario.loader import builtin_names, load_scenario

    table = Table(title="Built-in scenarios", show_lines=False)
    table.add_column("name", style="bold")
    table.add_column("description")
    for name in builtin_names():
        table.add_row(name, load_scenario(name).description)
    console.print(table)


@app.command()
@user_errors
def run(
    scenario: ScenarioArg = None,
    seed: Annotated[Optional[int], typer.Option(help="Seed (default: the scenario's).")] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("out"),
    open_report: Annotated[bool, typer.Option("--open", help="Open report.html in a browser.")] = False,
) -> None:
    """Simulate one replication of a scenario: fate table, summary, and report/exports written to OUT."""
    from iadsim.report.run import write_run

    name = scenario or DEFAULT_SCENARIO
    with console.status(f"Simulating {name}…"):
        outcome, record = write_run(name, out, seed=seed)
    console.print(fate_table(record["scenario"], record["fates"]))
    console.print(record["summary"])
    console.print(f"Wrote {len(record['files'])} files to [bold]{out}[/bold] (open {out / 'report.html'})")
    if open_report:
        import webbrowser

        webbrowser.open((out / "report.html").resolve().as_uri())


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


@app.command()
def verify() -> None:
    """Check each model against its outside reference and print the table (exit 1 if any fails)."""
    from iadsim.verify import run_checks

    table = Table(title="iadsim verification: models against outside references", title_justify="left")
    for column in ("model", "quantity", "reference", "expected", "obtained", "error", "pass"):
        table.add_column(column, justify="right" if column in ("expected", "obtained", "error") else "left",
                         overflow="fold")
    with console.status("Running model checks…"):
        results = run_checks()
    for result in results:
        check = result.check
        table.add_row(check.model, check.quantity, check.reference, f"{check.expected:.6g}", f"{result.obtained:.6g}",
                      f"{result.error:+.2g}", "[green]pass[/green]" if result.passed else "[red]FAIL[/red]")
    console.print(table)
    failed = sum(not r.passed for r in results)
    console.print(f"{len(results) - failed} of {len(results)} checks pass.")
    if failed:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point alias
    app()
