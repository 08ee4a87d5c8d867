"""Monte Carlo runs: the same statistics for any worker count, chunk size or backend, after a SIGKILL and resume,
and no hidden bias (a constant-P_k engagement gives back P_k)."""

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from iadsim.montecarlo.runner import monte_carlo
from iadsim.store import Store

DATA = Path(__file__).parents[1] / "data"
MINIMAL = DATA / "minimal.yaml"


@pytest.fixture(scope="module")
def reference():
    """8 replications of the minimal scenario, in-process, one chunk per replication."""
    return monte_carlo(str(MINIMAL), 8, seed=11, workers=1, chunk_size=1).summary


def test_statistics_do_not_depend_on_workers_or_chunks(reference, tmp_path):
    two_workers = monte_carlo(str(MINIMAL), 8, seed=11, workers=2, chunk_size=3, store=tmp_path / "s.duckdb")
    assert two_workers.summary == reference
    assert Store(tmp_path / "s.duckdb").run(two_workers.run_id).status == "complete"


def test_dask_gives_the_same_statistics(reference):
    """Both ways in: a scheduler address (a LocalCluster on loopback stands in for a real cluster), and no address
    (the runner starts its own LocalCluster)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        remote = monte_carlo(str(MINIMAL), 8, seed=11, chunk_size=4, backend="dask", address=cluster.scheduler_address)
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    assert remote.summary == reference
    assert monte_carlo(str(MINIMAL), 8, seed=11, workers=2, chunk_size=2, backend="dask").summary == reference


def test_a_run_killed_with_sigkill_resumes_to_the_uninterrupted_result(reference, tmp_path):
    store = tmp_path / "runs.duckdb"
    command = [sys.executable, "-m", "iadsim", "mc", str(MINIMAL), "-n", "8", "--seed", "11", "--chunk-size", "1",
               "--store", str(store), "--json"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    catalog = Store(store)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:  # wait until some, not all, chunks are published
            published = [c for r in catalog.chunks_root.glob("*") for c in r.glob("replications-*.parquet")]
            if len(published) >= 2 or process.poll() is not None:
                break
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    (record,) = catalog.runs()
    done = catalog.completed_chunks(record.run_id)
    assert 2 <= len(done) < 8, "the run should be killed halfway"
    assert record.status == "running"
    # a half-written chunk left behind is never read
    (catalog.run_dir(record.run_id) / ".partial-1-replications-000007.parquet").write_bytes(b"garbage")
    resumed = monte_carlo(store=store, resume=record.run_id)
    assert resumed.summary == reference
    assert catalog.run(record.run_id).status == "complete"


def _constant_pk_scenario(tmp_path, pk):
    """One missile; one interceptor per threat (salvo of 1, one engagement); a cookie-cutter damage function so
    wide that every closest approach is inside it: each engagement kills with probability pk, nothing else. The
    missile flies level and straight at 1,000 m, so the predicted intercept point is where the target will be (a
    descending target's extrapolated PIP is not, and a missile fired at the edge of its reach then runs out of
    speed: physics, not bias); the interceptor gets a sustainer so that it arrives with speed to spare."""
    data = yaml.safe_load(MINIMAL.read_text())
    for point in data["aircraft"][0]["route"]:
        point["alt_m"] = 1000
    data["weapon_types"][0]["cruise_altitude_m"] = 1000
    data["radars"][0]["reference"] = {"range_m": 300000, "rcs_m2": 0.1, "pd": 0.9}
    interceptor = data["interceptor_types"][0]
    interceptor["lethality"] = {"model": "cookie_cutter", "lethal_radius_m": 1000, "pk_max": pk}
    interceptor["sustain"] = {"thrust_n": 35000, "burn_time_s": 10, "propellant_kg": 150}  # energy to spare
    data["fire_units"][0]["doctrine"] = {"mode": "salvo", "salvo_size": 1, "max_engagements_per_threat": 1}
    path = tmp_path / "constant-pk.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_constant_kill_probability_is_recovered_within_its_interval(tmp_path):
    pk, n = 0.7, 10_000
    result = monte_carlo(str(_constant_pk_scenario(tmp_path, pk)), n, seed=2026, workers=1, chunk_size=5_000)
    (threat,) = result.summary["per_threat"]
    # one interceptor per threat (a track broken and re-formed is a new engagement: 2 in 10,000 here)
    assert 1.0 <= threat["interceptors_fired_mean"] < 1.001
    intercepted = threat["intercepted"]
    assert intercepted["n"] == n and intercepted["low"] <= pk <= intercepted["high"], intercepted
    assert math.isclose(result.summary["interceptors_per_kill"]["estimate"] * intercepted["estimate"], 1.0, rel_tol=0.05)
