"""The `iadsim` command: parse, call the API, render. Bad input prints located errors and exits 2."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator
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


@contextlib.contextmanager
def replication_progress(quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (replications done, rate, time left); yields the `progress(done, total)` callback
    the Monte Carlo functions take. The rate counts from the first call: a resumed run starts with chunks done."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=errors, disable=quiet, transient=True) as bar:
        task = bar.add_task("replications", total=None, rate="")
        start: dict[str, tuple[float, int]] = {}

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            t0, d0 = start.setdefault("first call", (now, done))
            rate = f"{(done - d0) / (now - t0):,.1f}/s" if now > t0 else ""
            bar.update(task, completed=done, total=total, rate=rate)

        yield progress


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
    from iadsim.report.terminal import fate_table

    name = scenario or DEFAULT_SCENARIO
    with console.status(f"Simulating {name}…"):
        outcome, record = write_run(name, out, seed=seed)
    console.print(fate_table(record["scenario"], record["fates"]))
    console.print(record["summary"])
    console.print(f"Wrote {len(record['files'])} files to [bold]{out}[/bold] (open {out / 'report.html'})")
    if open_report:
        import webbrowser

        webbrowser.open((out / "report.html").resolve().as_uri())


StoreOption = Annotated[Path, typer.Option("--store", help="DuckDB catalog of runs (chunks go beside it).")]


@app.command()
@user_errors
def mc(
    scenario: ScenarioArg = None,
    n: Annotated[int, typer.Option("-n", "--replications", min=1, help="Number of replications.")] = 1000,
    seed: Annotated[Optional[int], typer.Option(help="Seed (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (local) or Dask workers.")] = 1,
    backend: Annotated[str, typer.Option(help="local or dask.")] = "local",
    address: Annotated[Optional[str], typer.Option(help="Dask scheduler, tcp://HOST:PORT (default: a LocalCluster).")] = None,
    store: StoreOption = Path("runs/iadsim.duckdb"),
    resume: Annotated[Optional[str], typer.Option(help="Finish the stored run RUN_ID.")] = None,
    chunk_size: Annotated[Optional[int], typer.Option(min=1, help="Replications per chunk (default: automatic).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Monte Carlo: N replications in chunks, streamed to the store; statistics with 95% intervals."""
    from iadsim.montecarlo.runner import monte_carlo
    from iadsim.montecarlo.summary import json_safe
    from iadsim.report.terminal import summary_view

    if backend not in ("local", "dask"):
        errors.print(f"--backend: must be local or dask, got {backend!r}")
        raise typer.Exit(USER_ERROR)
    with replication_progress(as_json) as progress:
        try:
            result = monte_carlo(scenario, n, seed, workers, chunk_size=chunk_size, backend=backend, address=address,
                                 store=store, resume=resume, progress=progress)
        except KeyError as err:
            errors.print(f"{store}: {err.args[0]}", markup=False)
            raise typer.Exit(USER_ERROR) from None
    if as_json:
        sys.stdout.write(json.dumps(json_safe({"run_id": result.run_id, "scenario": result.scenario,
                                               "seed": result.seed, **result.summary}), indent=2) + "\n")
        return
    console.print(summary_view(f"{result.scenario} (run {result.run_id}, seed {result.seed})", result.summary))


@app.command()
@user_errors
def runs(store: StoreOption = Path("runs/iadsim.duckdb")) -> None:
    """List the Monte Carlo runs in the store."""
    from iadsim.store import Store

    catalog = Store(store)
    table = Table(title=f"runs in {store}", title_justify="left")
    table.add_column("run id (UTC start)", no_wrap=True)
    table.add_column("scenario", overflow="fold")
    table.add_column("seed", justify="right")
    table.add_column("replications done", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("version", no_wrap=True)
    for record in catalog.runs():
        done = sum(record.span(c)[1] for c in catalog.completed_chunks(record.run_id))
        table.add_row(record.run_id, record.scenario, str(record.seed), f"{done:,} / {record.n:,}", record.status,
                      record.code_version)
    console.print(table)


@app.command()
@user_errors
def show(
    run_id: Annotated[str, typer.Argument(help="Run id (see `iadsim runs`).")],
    store: StoreOption = Path("runs/iadsim.duckdb"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Print the statistics of a stored run (of its completed chunks, if it was interrupted)."""
    from iadsim.montecarlo.runner import stored_summary
    from iadsim.montecarlo.summary import json_safe
    from iadsim.report.terminal import summary_view
    from iadsim.store import Store

    catalog = Store(store)
    try:
        record = catalog.run(run_id)
    except KeyError as err:
        errors.print(f"{store}: {err.args[0]}", markup=False)
        raise typer.Exit(USER_ERROR) from None
    if not catalog.completed_chunks(run_id):
        errors.print(f"{store}: run {run_id} has no completed chunk yet; resume it with iadsim mc --resume {run_id}")
        raise typer.Exit(USER_ERROR)
    summary = stored_summary(catalog, run_id)
    if as_json:
        sys.stdout.write(json.dumps(json_safe({"run_id": run_id, "status": record.status, **summary}), indent=2) + "\n")
        return
    if record.status != "complete":
        errors.print(f"run {run_id} is incomplete ({summary['replications']:,} of {record.n:,} replications); "
                     f"finish it with iadsim mc --resume {run_id}")
    console.print(summary_view(f"{record.scenario} (run {run_id}, seed {record.seed})", summary))


@app.command()
@user_errors
def sweep(
    scenario: ScenarioArg = None,
    vary: Annotated[Optional[list[str]], typer.Option(
        "--vary", help="PATH=VALUES, e.g. 'aircraft[*].releases[0].count=1:12': a field path (docs/sweep.md) and a "
                       "comma list (2,4,8) or inclusive range start:stop[:step]. Once or twice.")] = None,
    n: Annotated[int, typer.Option("-n", "--replications", min=1, help="Replications per grid point.")] = 200,
    seed: Annotated[Optional[int], typer.Option(help="Seed shared by every point (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    store: StoreOption = Path("runs/iadsim.duckdb"),
    out: Annotated[Path, typer.Option(help="Directory for sweep.json, the plots and sweep.html.")] = Path("out/sweep"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Monte Carlo over a grid of one or two scenario parameters: one stored run per point, table and plots."""
    from iadsim.montecarlo.sweep import check_grid, parse_vary
    from iadsim.montecarlo.sweep import sweep as run_sweep
    from iadsim.report.sweep import SHORTFALL, first_shortfalls, sweep_table, write_sweep_report
    from iadsim.scenario.paths import describe

    try:
        grid = [parse_vary(text) for text in vary or []]
        check_grid(grid)
    except ValueError as err:
        errors.print(f"--vary: {err}", markup=False, highlight=False)
        raise typer.Exit(USER_ERROR) from None
    with replication_progress(as_json) as progress:
        result = run_sweep(scenario or DEFAULT_SCENARIO, grid, n, seed, workers, store=store, progress=progress)
    files = write_sweep_report(result, out)
    if as_json:
        sys.stdout.write(json.dumps({**result.to_json(), "files": [str(f) for f in files]}, indent=2) + "\n")
        return
    console.print(sweep_table(result), crop=False)  # on a narrow terminal the lines wrap instead of losing columns
    for resource, index in first_shortfalls(result).items():
        if index is not None:
            console.print(f"{resource.capitalize()} run out first at {describe(result.points[index].settings)} (more than {SHORTFALL:g} threats per "
                          f"replication held for want of them).", markup=False, highlight=False)
    console.print(f"{len(result.points)} runs stored in {store} in {result.elapsed_s:.0f} s; wrote:", markup=False,
                  highlight=False, soft_wrap=True)
    for file in files:
        console.print(f"  {file}", markup=False, highlight=False, soft_wrap=True)


@app.command()
@user_errors
def claims(
    as_json: Annotated[bool, typer.Option("--json", help="Print the claims as one JSON object.")] = False,
) -> None:
    """List the public intercept claims with their face value and exact 95% interval, and the 2021 pool."""
    from rich import box

    from iadsim.claims import load_claims, pooled_face_value
    from iadsim.claims.dataset import Independent

    rows = load_claims()
    pool = pooled_face_value([c for c in rows if c.date.year == 2021])
    if as_json:
        listed = [{**c.model_dump(mode="json"), "face_value": c.face_value()} for c in rows]
        sys.stdout.write(json.dumps({"claims": listed, "pooled_2021": pool}, indent=2) + "\n")
        return

    def rate(value: dict) -> str:
        return f"{100 * value['rate']:.1f} % ({100 * value['low']:.1f}–{100 * value['high']:.1f})"

    def evidence(independent: Independent) -> str:  # the figure if there is one, else the (short) summary
        if independent.evidence_success_fraction is not None:
            return f"success ≈ {100 * independent.evidence_success_fraction:.0f} % (see notes)"
        if independent.impacts_seen is not None:
            return f"{independent.impacts_seen} impacts seen"
        return independent.summary

    table = Table(title="Public intercept claims at face value (95% Clopper–Pearson interval)", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False,
                  width=None if console.width >= 125 else 125)  # narrower would drop columns
    min_widths = {"systems credited": 10, "independent evidence": 14, "scenario": 11}  # the rest never wrap
    for column in ("claim", "date", "systems credited", "fired", "claimed", "face value", "independent evidence",
                   "scenario"):
        table.add_column(column, no_wrap=column not in min_widths, min_width=min_widths.get(column),
                         justify="right" if column in ("fired", "claimed") else "left")
    for c in rows:
        table.add_row(c.id, c.date.isoformat(), ", ".join(c.systems_credited), str(c.fired),
                      str(c.claimed_intercepted), rate(c.face_value()), evidence(c.independent), c.scenario or "—")
    console.print(table, crop=False)  # on a narrow terminal the lines wrap instead of losing columns
    console.print(f"Pooled, {len(pool['claims'])} claims of 2021 in Syria: {pool['intercepted']} of {pool['fired']} = "
                  f"{rate(pool)}, if every claim measures the same probability with independent trials.")


@app.command()
@user_errors
def claim(
    scenario: Annotated[Optional[str], typer.Argument(help="Scenario to test the claim against (none: face value "
                                                      "only).")] = None,
    fired: Annotated[Optional[int], typer.Option(min=1, help="Missiles the claim says were fired.")] = None,
    intercepted: Annotated[Optional[int], typer.Option(min=0, help="Missiles the claim says were intercepted.")] = None,
    evidence: Annotated[Optional[str], typer.Option(help="Independent evidence: impacts=M, impacts>=M or impacts<=M.")] = None,
    claim_id: Annotated[Optional[str], typer.Option("--claim", help="A claim of the dataset (`iadsim claims`).")] = None,
    n: Annotated[int, typer.Option("-n", "--replications", min=1, help="Monte Carlo replications in all.")] = 320,
    per_draw: Annotated[int, typer.Option(min=1, help="Replications per prior draw of the uncertain parameters.")] = 8,
    seed: Annotated[Optional[int], typer.Option(help="Seed (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Worker processes (default: all cores).")] = None,
    out: Annotated[Path, typer.Option(help="Where claim.html and claim.json go.")] = Path("out/claim"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object.")] = False,
) -> None:
    """Check a public intercept claim: face value, the model's predictive distribution, posteriors given the claim
    and the evidence, resource feasibility, and what the word 'intercepted' changes."""
    from iadsim.claims.check import check_claim
    from iadsim.montecarlo.summary import json_safe
    from iadsim.report.claim import claim_view, write_claim_report

    with replication_progress(as_json) as progress:
        try:
            result = check_claim(fired, intercepted, scenario=scenario, claim=claim_id, evidence=evidence,
                                 replications=n, per_draw=per_draw, seed=seed, workers=workers, progress=progress)
        except ScenarioError:
            raise  # located problems: `user_errors` prints them
        except ValueError as err:
            errors.print(f"claim: {err}", markup=False)
            raise typer.Exit(USER_ERROR) from None
    out.mkdir(parents=True, exist_ok=True)
    summary = json_safe(result.summary)
    (out / "claim.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    report = write_claim_report(result, out / "claim.html")
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    console.print(claim_view(result))
    console.print(f"Wrote {report} and {out / 'claim.json'}")


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
