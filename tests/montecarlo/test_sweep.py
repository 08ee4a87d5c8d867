"""Sweeps: the `--vary` grammar, a grid checked whole before anything runs, one stored run per point that equals
a plain `monte_carlo` of the modified scenario (same seed), and the `sweep` command."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.errors import ScenarioError
from iadsim.montecarlo.runner import monte_carlo
from iadsim.montecarlo.sweep import MAX_VALUES, parse_vary, sweep
from iadsim.store import Store

DATA = Path(__file__).parents[1] / "data"
MINIMAL = DATA / "minimal.yaml"
COUNT = "aircraft[*].releases[0].count"
SEED = 5
runner = CliRunner()


# --- parse_vary ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, path, values", [
    ("fire_units[buk-battery].fire_channels=2,4,8", "fire_units[buk-battery].fire_channels", [2, 4, 8]),
    (f"{COUNT}=1:12", COUNT, list(range(1, 13))),
    ("sim.cycle_s=0.5:2:0.5", "sim.cycle_s", [0.5, 1.0, 1.5, 2.0]),
    ("x=0.1:0.3:0.1", "x", [0.1, 0.2, 0.3]),  # the stop is reached despite 0.1 + 0.1 + 0.1 > 0.3
    ("radars[9s18m1.v2].pfa = 1e-6, 1e-5", "radars[9s18m1.v2].pfa", [1e-6, 1e-5]),  # ids with dots, spaces
    ("x=7", "x", [7]),
    ("x=3:3", "x", [3]),
])
def test_parse_vary_forms(text, path, values):
    assert parse_vary(text) == (path, pytest.approx(values))


@pytest.mark.parametrize("text, message", [
    ("aircraft[*].releases[0].count", "not PATH=VALUES"),
    ("=1,2", "not PATH=VALUES"),
    ("x=", "no values"),
    ("x=1,,2", "empty item"),
    ("x=1,two", "'two' is not a number"),
    ("x=inf", "not a finite number"),
    ("x=2,2", "listed more than once"),
    ("x=5:1", "below start"),
    ("x=1:5:0", "step must be positive"),
    ("x=1:5:-1", "step must be positive"),
    ("x=1:", "start:stop"),
    ("x=1:2:3:4", "start:stop"),
    ("x=0:1000", f"at most {MAX_VALUES}"),
    ("x=" + ",".join(str(i) for i in range(MAX_VALUES + 1)), f"at most {MAX_VALUES}"),
    ("a..b=1", "bad path"),
])
def test_parse_vary_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_vary(text)


# --- grid checks: nothing runs or is written ---------------------------------------------------------------

def test_three_paths_are_refused_because_plots_stop_at_two(tmp_path):
    store = tmp_path / "runs.duckdb"
    vary = [(COUNT, [1]), ("fire_units[battery].fire_channels", [4]), ("fire_units[battery].reaction_time_s", [10])]
    with pytest.raises(ValueError, match="at most 2 paths.*two dimensions"):
        sweep(str(MINIMAL), vary, 2, store=store)
    assert not store.exists()


def test_an_invalid_grid_value_is_reported_before_anything_runs(tmp_path):
    store = tmp_path / "runs.duckdb"
    vary = [("fire_units[buk-battery].fire_channels", [0, 4]), (COUNT, [1, 0])]
    with pytest.raises(ScenarioError) as caught:
        sweep("homs-2021", vary, 2, store=store)
    problems = caught.value.problems
    # every bad point is listed (channels 0 at two points, count 0 at two points for each aircraft), each located
    # at its point's settings, and without the line number of the one-line JSON text
    channels = [p for p in problems if p.field == "fire_units[0].fire_channels"]
    counts = [p for p in problems if p.field in ("aircraft[0].releases[0].count", "aircraft[1].releases[0].count")]
    assert len(channels) == 2 and all("fire_channels=0" in p.source for p in channels)
    assert len(counts) == 4 and all(f"{COUNT}=0" in p.source for p in counts)
    assert len(problems) == 6 and all(p.line is None for p in problems)
    assert Store(store).runs() == [] and not store.with_suffix(".chunks").exists()


def test_a_path_that_names_nothing_is_one_problem(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        sweep("homs-2021", [("fire_units[nope].fire_channels", [2, 4])], 2, store=tmp_path / "runs.duckdb")
    (problem,) = caught.value.problems
    assert "no item 'nope'" in str(problem) and "buk-battery" in str(problem)


def test_values_rounding_to_the_same_integer_are_refused(tmp_path):
    with pytest.raises(ScenarioError, match="values 1 and 1.2 both set this integer field to 1"):
        sweep("homs-2021", [(COUNT, [1, 1.2, 2])], 2, store=tmp_path / "runs.duckdb")


# --- a real sweep ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def raid_sweep(tmp_path_factory):
    """homs-2021 with one and three missiles per aircraft, 8 replications each, in chunks of 3."""
    store = tmp_path_factory.mktemp("sweep") / "runs.duckdb"
    calls = []
    result = sweep("homs-2021", [(COUNT, [1, 3])], 8, seed=SEED, store=store, chunk_size=3,
                   progress=lambda done, total: calls.append((done, total)))
    return result, calls


def test_each_point_is_a_complete_stored_run(raid_sweep):
    result, calls = raid_sweep
    runs = {r.run_id: r for r in Store(result.store).runs()}
    assert len(runs) == 2 and [p.run_id for p in result.points] == list(runs)
    assert [runs[p.run_id].scenario for p in result.points] == [f"homs-2021 [{COUNT}=1]", f"homs-2021 [{COUNT}=3]"]
    assert all(r.status == "complete" and r.seed == SEED and r.n == 8 for r in runs.values())
    assert result.paths == (COUNT,) and result.values == ((1.0, 3.0),) and result.shape == (2,)
    assert [p.settings for p in result.points] == [{COUNT: 1.0}, {COUNT: 3.0}]
    assert [p.summary["threats"] for p in result.points] == [2, 6]
    assert [p.threats_mean for p in result.points] == [2.0, 6.0]
    assert all((p.missiles_available, p.missiles_ready, p.fire_channels) == (16, 8, 8) for p in result.points)
    assert all(p.summary["replications"] == 8 for p in result.points)
    assert calls[0] == (0, 16) and calls[-1] == (16, 16)  # over all points' replications
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_each_point_equals_monte_carlo_of_its_scenario_with_the_same_seed(raid_sweep, tmp_path):
    """Common random numbers and determinism: a point is the run `iadsim mc` makes of its text (other chunking).
    Counts agree exactly; sample variances to rounding (DuckDB sums the chunks in another order)."""
    result, _ = raid_sweep
    catalog = Store(result.store)
    for point in result.points:
        scenario = tmp_path / f"{point.run_id}.json"
        scenario.write_text(catalog.run(point.run_id).scenario_text)
        _assert_same(monte_carlo(str(scenario), 8, seed=SEED).summary, point.summary)


def _assert_same(a, b, where="summary"):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12, nan_ok=True), where
    else:
        assert a == b, where


def test_result_is_plain_json(raid_sweep):
    result, _ = raid_sweep
    data = json.loads(json.dumps(result.to_json(), allow_nan=False))
    assert data["paths"] == [COUNT] and data["seed"] == SEED and len(data["points"]) == 2
    assert data["points"][1]["summary"]["threats"] == 6 and data["points"][1]["fire_channels"] == 8


# --- the command -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("vary, message", [
    (["count"], "--vary: 'count' is not PATH=VALUES"),
    ([f"{COUNT}=3:1"], "below start"),
    ([f"{COUNT}=1", "sim.cycle_s=1", "sim.seed=1"], "two dimensions"),
])
def test_cli_bad_vary_exits_2_naming_the_option(vary, message, tmp_path):
    arguments = ["sweep", str(MINIMAL), "--store", str(tmp_path / "runs.duckdb"), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, arguments + [a for v in vary for a in ("--vary", v)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "runs.duckdb").exists()


def test_cli_bad_grid_value_exits_2(tmp_path):
    result = runner.invoke(app, ["sweep", str(MINIMAL), "--vary", "fire_units[battery].fire_channels=0,2",
                                 "--store", str(tmp_path / "runs.duckdb"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "fire_units[0].fire_channels" in result.output and "nothing was run" in result.output


def test_cli_tiny_sweep(tmp_path):
    arguments = ["sweep", str(MINIMAL), "--vary", "fire_units[battery].reaction_time_s=10,20", "-n", "2",
                 "--seed", "3", "--store", str(tmp_path / "runs.duckdb"), "--out", str(tmp_path / "out")]
    table = runner.invoke(app, arguments)
    assert table.exit_code == 0, table.output
    assert "fire_units[battery].reaction_time_s" in table.output and "sweep.html" in table.output
    as_json = runner.invoke(app, arguments + ["--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert [p["settings"]["fire_units[battery].reaction_time_s"] for p in data["points"]] == [10, 20]
    assert {Path(f).name for f in data["files"]} == {"sweep.json", "saturation.png", "sweep.html"}
    assert len(Store(tmp_path / "runs.duckdb").runs()) == 4


@pytest.mark.slow
def test_homs_saturation_curve_is_monotone_and_shows_the_missiles_run_out(tmp_path):
    """The raid grows from 2 to 24 missiles against one battery with 8 ready missiles and 8 fire channels: mean
    leakers never fall by more than their intervals allow, and threats start going unengaged for want of a
    missile once the raid outnumbers the ready missiles (the 720 s reload comes too late), never for a channel."""
    from iadsim.report.sweep import first_shortfalls

    result = sweep("homs-2021", [("aircraft[*].releases[0].count", [1, 2, 4, 8, 12])], 24, seed=5, workers=2,
                   store=tmp_path / "runs.duckdb")
    threats = [p.threats_mean for p in result.points]
    leakers = [p.summary["leakers_mean"] for p in result.points]
    assert threats == [2, 4, 8, 16, 24]
    for earlier, later in zip(leakers, leakers[1:]):
        assert later["high"] >= earlier["low"] and later["mean"] >= earlier["mean"] - 0.5, leakers
    shortfalls = first_shortfalls(result)
    assert shortfalls["fire channels"] is None
    assert threats[shortfalls["missiles"]] in (8, 16)  # 8 ready missiles: held once the raid outnumbers them
    assert all(p.summary["interceptors_fired_mean"]["mean"] <= p.missiles_ready for p in result.points)
