"""The sweep report: files written, a self-contained HTML page, the saturation curve's x axis and shortfall marks,
and heat maps for a two-path grid (one built by hand, one from a tiny real sweep)."""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path

from iadsim.montecarlo.sweep import SweepPoint, SweepResult, sweep
from iadsim.report.sweep import first_shortfalls, rows, write_sweep_report, x_axis

DATA = Path(__file__).parents[1] / "data"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COUNT = "aircraft[*].releases[0].count"


def _mean(value: float, half: float = 0.5, n: int = 10) -> dict:
    return {"n": n, "mean": value, "low": max(value - half, 0.0), "high": value + half}


def _proportion(k: int, n: int = 10) -> dict:
    return {"k": k, "n": n, "estimate": k / n, "low": max(k / n - 0.2, 0.0), "high": min(k / n + 0.2, 1.0),
            "method": "clopper-pearson"}


def _point(settings: dict, threats: int, leakers: float, all_k: int, no_channel: float, no_missile: float,
           fired: float, channels: int = 8) -> SweepPoint:
    summary = {"replications": 10, "threats": threats, "leakers_mean": _mean(leakers),
               "all_intercepted": _proportion(all_k), "held_no_channel_mean": _mean(no_channel),
               "held_no_missile_mean": _mean(no_missile), "interceptors_fired_mean": _mean(fired)}
    return SweepPoint(settings, f"run-{threats}-{channels}", 7, summary, float(threats), 16, 8, channels)


def _one_path(raid_varies: bool = True) -> SweepResult:
    """A saturation curve: missiles run out at the third point, channels at the fourth."""
    counts = (1.0, 2.0, 4.0, 8.0)
    figures = [(0.0, 10, 0.0, 0.0, 2.5), (0.2, 8, 0.0, 0.3, 5.0), (2.0, 1, 0.2, 1.5, 8.0), (9.0, 0, 0.9, 6.0, 8.0)]
    points = tuple(_point({COUNT: c}, int(2 * c) if raid_varies else 4, *f) for c, f in zip(counts, figures))
    return SweepResult("homs-2021", (COUNT,), (counts,), 10, points, Path("runs/x.duckdb"), 1.0)


def _two_paths() -> SweepResult:
    a, b = (1.0, 2.0), (4.0, 8.0, 16.0)
    points = tuple(_point({COUNT: x, "fire_units[buk-battery].fire_channels": y}, int(2 * x), x * 8 / y,
                          10 - int(x * y / 4), 0.0, 0.0, 2 * x, int(y)) for x in a for y in b)
    return SweepResult("homs-2021", (COUNT, "fire_units[buk-battery].fire_channels"), (a, b), 10, points,
                       Path("runs/x.duckdb"), 1.0)


def _assert_self_contained(page: str, images: int) -> None:
    assert not re.search(r"https?://|\bhref=|url\(|<script|<link", page, re.IGNORECASE)
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == images
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1]).startswith(PNG_SIGNATURE)


def test_one_path_report_files_and_page(tmp_path):
    result = _one_path()
    files = write_sweep_report(result, tmp_path / "out")
    assert [f.name for f in files] == ["sweep.json", "saturation.png", "sweep.html"]
    assert all(f.stat().st_size > 0 for f in files)
    assert (tmp_path / "out" / "saturation.png").read_bytes().startswith(PNG_SIGNATURE)
    assert b"matplotlib.org" not in (tmp_path / "out" / "saturation.png").read_bytes()
    assert json.loads((tmp_path / "out" / "sweep.json").read_text()) == result.to_json()
    page = (tmp_path / "out" / "sweep.html").read_text()
    _assert_self_contained(page, images=1)
    assert page.count("<tr>") == 1 + len(result.points)  # header and one row per grid point
    assert "Missiles run out first at aircraft[*].releases[0].count=4" in page
    assert "fire channels run out first at aircraft[*].releases[0].count=8" in page


def test_page_says_when_nothing_ran_out(tmp_path):
    calm = _one_path()
    calm = SweepResult(calm.scenario, calm.paths, calm.values, calm.replications, calm.points[:2], calm.store, 1.0)
    write_sweep_report(calm, tmp_path)
    assert "Neither missiles nor fire channels ran out" in (tmp_path / "sweep.html").read_text()


def test_saturation_x_axis_is_threats_when_the_raid_size_varies():
    x, label = x_axis(_one_path(raid_varies=True))
    assert label == "threats per replication" and list(x) == [2, 4, 8, 16]
    x, label = x_axis(_one_path(raid_varies=False))
    assert label == COUNT and list(x) == [1, 2, 4, 8]


def test_first_shortfalls_mark_where_missiles_and_channels_run_out():
    assert first_shortfalls(_one_path()) == {"missiles": 2, "fire channels": 3}
    calm = _one_path()
    calm = SweepResult(calm.scenario, calm.paths, calm.values, calm.replications, calm.points[:2], calm.store, 1.0)
    assert first_shortfalls(calm) == {"missiles": None, "fire channels": None}


def test_rows_show_intervals_and_undefined_ones_plainly():
    point = _point({COUNT: 1.0}, 2, 0.25, 5, 0.0, 0.0, 2.0)
    point.summary["leakers_mean"] = {"n": 1, "mean": 0.25, "low": math.nan, "high": math.nan}  # n = 1: no interval
    result = SweepResult("s", (COUNT,), ((1.0,),), 1, (point,), Path("x"), 0.0)
    (row,) = rows(result)
    assert row[:4] == ["1", "2", "0.25", "50.0 (30.0–70.0)"] and row[-3:] == ["8 + 8", "8", point.run_id]


def test_nan_intervals_do_not_break_the_plots(tmp_path):
    result = _one_path()
    for point in result.points:
        for key in ("leakers_mean", "held_no_channel_mean"):
            point.summary[key] = {**point.summary[key], "low": math.nan, "high": math.nan}
    write_sweep_report(result, tmp_path)
    assert json.loads((tmp_path / "sweep.json").read_text())["points"][0]["summary"]["leakers_mean"]["low"] is None


def test_two_paths_write_heat_maps(tmp_path):
    files = write_sweep_report(_two_paths(), tmp_path)
    assert [f.name for f in files] == ["sweep.json", "heatmap_all_intercepted.png", "heatmap_leakers.png", "sweep.html"]
    page = (tmp_path / "sweep.html").read_text()
    _assert_self_contained(page, images=2)
    assert "fire_units[buk-battery].fire_channels" in page


def test_a_tiny_real_two_path_sweep_writes_heat_maps(tmp_path):
    vary = [("fire_units[battery].fire_channels", [1, 4]), ("fire_units[battery].reaction_time_s", [10, 30])]
    result = sweep(str(DATA / "minimal.yaml"), vary, 2, seed=1, store=tmp_path / "runs.duckdb")
    assert result.shape == (2, 2) and len(result.points) == 4
    assert [p.settings for p in result.points][1] == {vary[0][0]: 1.0, vary[1][0]: 30.0}  # the last path fastest
    files = write_sweep_report(result, tmp_path / "out")
    assert {f.name for f in files} >= {"heatmap_all_intercepted.png", "heatmap_leakers.png"}
    _assert_self_contained((tmp_path / "out" / "sweep.html").read_text(), images=2)
