"""The command line: exit codes, located errors without tracebacks, and the files `run` writes."""

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.report.run import FILES

runner = CliRunner()
DATA = Path(__file__).parent / "data"


def test_validate_good_and_bad():
    ok = runner.invoke(app, ["validate", str(DATA / "minimal.yaml")])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["validate", str(DATA / "bad" / "unknown-radar.yaml")])
    assert bad.exit_code == 2
    assert "unknown-radar.yaml:29: fire_units[0].radars[0]: unknown radar 'serach'" in bad.output
    assert "Traceback" not in bad.output


def test_every_bad_file_exits_2_without_traceback_in_a_real_process():
    files = [str(p) for p in sorted((DATA / "bad").glob("*.yaml"))]
    done = subprocess.run([sys.executable, "-m", "iadsim", "validate", *files], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert len([line for line in done.stderr.splitlines() if ".yaml:" in line]) >= len(files)


def test_schema_is_json_schema():
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.output)
    assert result.exit_code == 0 and schema["title"] == "Scenario" and "fire_units" in schema["properties"]


def test_scenarios_lists_builtins():
    result = runner.invoke(app, ["scenarios"])
    assert result.exit_code == 0 and "homs-2021" in result.output and "aleppo-2021" in result.output


def test_run_writes_outputs(tmp_path):
    result = runner.invoke(app, ["run", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "fate of each threat" in result.output and "4 weapons" in result.output
    for name in FILES:
        assert (tmp_path / name).stat().st_size > 0, name
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["scenario"] == "homs-2021" and len(summary["fates"]) == 4
    assert {fate["fate"] for fate in summary["fates"]} <= {"intercepted", "leaked", "missed target"}
    table = pq.read_table(tmp_path / "trajectories.parquet")
    assert {"t_s", "east_m", "north_m", "height_m", "lat_deg", "lon_deg"} <= set(table.column_names)
    acmi = (tmp_path / "engagement.acmi").read_text(encoding="utf-8-sig").splitlines()
    assert acmi[0] == "FileType=text/acmi/tacview" and acmi[1].startswith("FileVersion=2.")
    assert any(line.startswith("0,ReferenceTime=") for line in acmi)
    czml = json.loads((tmp_path / "engagement.czml").read_text())
    assert czml[0]["id"] == "document" and len(czml) > 1


def test_run_bad_scenario_exits_2(tmp_path):
    result = runner.invoke(app, ["run", str(DATA / "bad" / "empty.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "empty file" in result.output


def test_mc_runs_and_show(tmp_path):
    store = str(tmp_path / "runs.duckdb")
    result = runner.invoke(app, ["mc", str(DATA / "minimal.yaml"), "-n", "3", "--seed", "4", "--store", store, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["replications"] == 3 and summary["all_intercepted"]["method"] == "clopper-pearson"
    listed = runner.invoke(app, ["runs", "--store", store])
    assert listed.exit_code == 0 and summary["run_id"] in listed.output and "complete" in listed.output
    shown = runner.invoke(app, ["show", summary["run_id"], "--store", store, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.output)["per_threat"] == summary["per_threat"]
    table = runner.invoke(app, ["show", summary["run_id"], "--store", store])
    assert table.exit_code == 0 and "intercepted %" in table.output


def test_mc_user_errors_exit_2(tmp_path):
    store = str(tmp_path / "runs.duckdb")
    missing = runner.invoke(app, ["show", "nope", "--store", store])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    bad_resume = runner.invoke(app, ["mc", "--resume", "nope", "--store", store])
    assert bad_resume.exit_code == 2
    bad_file = runner.invoke(app, ["mc", str(DATA / "bad" / "empty.yaml"), "-n", "2", "--store", store])
    assert bad_file.exit_code == 2 and "empty file" in bad_file.output
    bad_backend = runner.invoke(app, ["mc", "-n", "2", "--backend", "mpi", "--store", store])
    assert bad_backend.exit_code == 2


def test_mc_with_worker_processes_from_python_dash_m(tmp_path):
    """The command line with spawned worker processes, end to end."""
    command = [sys.executable, "-m", "iadsim", "mc", str(DATA / "minimal.yaml"), "-n", "4", "--workers", "2",
               "--chunk-size", "2", "--seed", "4", "--store", str(tmp_path / "runs.duckdb"), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["replications"] == 4
