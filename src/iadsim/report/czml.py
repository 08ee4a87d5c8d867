"""Export one replication as CZML, the JSON scene format of CesiumJS (a globe viewer in the browser).

Format: "CZML Guide" and "Packet" reference of the czml-writer project (Cesium). A CZML document is a JSON
list of packets; the first is the `document` packet (`version: "1.0"`, the clock). Moving objects carry
`position.cartographicDegrees` as time-tagged samples [t, lon, lat, alt, t, lon, lat, alt, ...] with t in
seconds after `position.epoch`, an `availability` interval, and a `path` (the trail behind them). Static
objects carry a single [lon, lat, alt]. Styling is points, paths, labels and ellipses only: no images, so
the file is self-contained.

What is written: the defended assets, radars (with their coverage against a low flyer as a ground
ellipse) and fire units; the raid cut where each threat ended in this replication, coloured by fate; the
interceptors; a marker at every intercept and weapon impact, shown from that moment on.
"""

from __future__ import annotations

import html
import json
import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from iadsim import __version__
from iadsim.earth.frames import local_to_geodetic
from iadsim.report.plots import FATE_COLOURS, coverage_radius_m, paths_by, raid_truth, replication_of
from iadsim.scenario.world import World

TIME_DECIMALS = 3  # sample times are written to the millisecond, and availability is computed from them
CLOCK_MULTIPLIER = 10  # play the engagement at ten times real time
SCENE_HOLD_S = 30.0  # the scene runs on after the last movement so the final impact markers can be seen
WHITE = [255, 255, 255, 255]
RGBA = {
    "aircraft": [170, 170, 170, 255],
    "interceptor": [44, 160, 44, 255],
    "asset": [20, 20, 20, 255],
    "radar": [31, 119, 180, 255],
    "coverage": [31, 119, 180, 40],
    "fire unit": [44, 160, 44, 255],
    "intercept": [255, 215, 0, 255],
}


def write_czml(world: World, outcome, path: Path, replication: int = 0) -> Path:
    """Write replication `replication` of `outcome` to `path` as a CZML document."""
    path = Path(path)
    path.write_text(json.dumps(czml_packets(world, outcome, replication), separators=(",", ":")), encoding="utf-8")
    return path


def czml_packets(world: World, outcome, replication: int = 0) -> list[dict]:
    """The CZML packets of one replication: the document packet first, then one per entity."""
    one = replication_of(outcome, replication)
    clock = _Clock(world.start_time_utc)
    moving = _raid_packets(world, one, clock) + _interceptor_packets(one, clock, world)
    end_s = max([_last_time_s(p) for p in moving] + [0.0]) + SCENE_HOLD_S
    markers = _marker_packets(world, one, clock, end_s)
    document = {
        "id": "document",
        "name": f"{world.name}, replication {replication}",
        "version": "1.0",
        "description": html.escape(f"iadsim {__version__} simulation of {world.name}, seed {outcome.seed}"),
        "clock": {
            "interval": clock.interval(0.0, end_s),
            "currentTime": clock.iso(0.0),
            "multiplier": CLOCK_MULTIPLIER,
            "range": "LOOP_STOP",
            "step": "SYSTEM_CLOCK_MULTIPLIER",
        },
    }
    return [document, *_static_packets(world), *moving, *markers]


class _Clock:
    """Scenario seconds to ISO 8601 UTC strings (millisecond precision, 'Z' suffix)."""

    def __init__(self, start_time_utc: str):
        self.start = datetime.fromisoformat(start_time_utc.replace("Z", "+00:00"))
        self.epoch = self.iso(0.0)

    def iso(self, t_s: float) -> str:
        moment = self.start + timedelta(milliseconds=round(float(t_s) * 1000))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    def interval(self, start_s: float, end_s: float) -> str:
        return f"{self.iso(start_s)}/{self.iso(end_s)}"


def _geodetic(world: World, east_m, north_m, height_m) -> np.ndarray:
    """(n, 3) array of lon, lat, alt for local-frame points."""
    lat, lon, alt = local_to_geodetic(np.atleast_1d(east_m), np.atleast_1d(north_m), np.atleast_1d(height_m),
                                      world.origin)
    return np.column_stack([np.atleast_1d(lon), np.atleast_1d(lat), np.atleast_1d(alt)])


def _label(text: str, rgba: list[int]) -> dict:
    return {"text": text, "font": "12px sans-serif", "fillColor": {"rgba": rgba}, "outlineColor": {"rgba": WHITE},
            "outlineWidth": 2, "style": "FILL_AND_OUTLINE", "pixelOffset": {"cartesian2": [10, -10]},
            "horizontalOrigin": "LEFT"}


def _point(rgba: list[int], size_px: int) -> dict:
    return {"pixelSize": size_px, "color": {"rgba": rgba}, "outlineColor": {"rgba": WHITE}, "outlineWidth": 1}


def _description(rows: dict) -> str:
    """An HTML table for Cesium's info box; every value escaped."""
    cells = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows.items())
    return f"<table>{cells}</table>"


def _static_packets(world: World) -> list[dict]:
    packets = []
    for a, asset_id in enumerate(world.assets.ids):
        where = _geodetic(world, *world.assets.position_m[a])
        facts = {"defended asset": world.assets.names[a], "value": float(world.assets.value[a])}
        packets.append(_static("asset/" + asset_id, world.assets.names[a], where, RGBA["asset"], facts))
    radii = coverage_radius_m(world) if len(world.radars.ids) else []
    for d, radar_id in enumerate(world.radars.ids):
        packet = _static("radar/" + radar_id, radar_id, _geodetic(world, *world.radars.antenna_m[d]), RGBA["radar"],
                         {"radar": radar_id, "coverage vs low flyer (km)": round(float(radii[d]) / 1e3, 1)})
        # a ground ellipse needs an explicit height for its outline to be drawn
        packet["ellipse"] = {"semiMajorAxis": float(radii[d]), "semiMinorAxis": float(radii[d]),
                             "height": float(world.ground_m),
                             "material": {"solidColor": {"color": {"rgba": RGBA["coverage"]}}},
                             "outline": True, "outlineColor": {"rgba": RGBA["radar"]}}
        packets.append(packet)
    for f, unit_id in enumerate(world.fire_units.ids):
        packets.append(_static("fire-unit/" + unit_id, unit_id, _geodetic(world, *world.fire_units.position_m[f]),
                               RGBA["fire unit"], {"fire unit": unit_id,
                                                   "ready missiles": int(world.fire_units.ready_missiles[f])}))
    return packets


def _static(packet_id: str, name: str, lon_lat_alt: np.ndarray, rgba: list[int], facts: dict) -> dict:
    return {"id": packet_id, "name": name, "description": _description(facts),
            "position": {"cartographicDegrees": [round(float(v), 7) for v in lon_lat_alt[0]]},
            "point": _point(rgba, 10), "label": _label(name, rgba)}


def _moving(world: World, packet_id: str, name: str, rows: dict, clock: _Clock, rgba: list[int], facts: dict,
            trail_width_px: float) -> dict:
    """A packet for something that moves: time-tagged positions, availability from first to last sample."""
    times = np.round(rows["t_s"].astype(float), TIME_DECIMALS)
    lon_lat_alt = _geodetic(world, rows["east_m"], rows["north_m"], rows["height_m"])
    samples = np.column_stack([times, np.round(lon_lat_alt[:, :2], 7), np.round(lon_lat_alt[:, 2], 1)])
    return {
        "id": packet_id,
        "name": name,
        "description": _description(facts),
        "availability": clock.interval(times[0], times[-1]),
        "position": {"epoch": clock.epoch, "cartographicDegrees": samples.ravel().tolist(),
                     "interpolationAlgorithm": "LINEAR"},
        "path": {"material": {"solidColor": {"color": {"rgba": rgba}}}, "width": trail_width_px, "leadTime": 0,
                 "trailTime": float(times[-1] - times[0]) + 1.0, "resolution": 1},
        "point": _point(rgba, 7),
        "label": _label(name, rgba),
    }


def _last_time_s(packet: dict) -> float:
    return float(packet["position"]["cartographicDegrees"][-4])


def _hex_rgba(colour: str) -> list[int]:
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)] + [255]


def _raid_packets(world: World, one, clock: _Clock) -> list[dict]:
    fates = {f["threat"]: f for f in one.fates.to_pylist()}
    packets = []
    for entity, rows in paths_by(raid_truth(one), "entity").items():
        fate = fates.get(entity)
        weapon = rows["kind"][0] == "weapon"
        rgba = _hex_rgba(FATE_COLOURS.get(fate["fate"], "#7f7f7f")) if fate else RGBA["aircraft"]
        facts = {"kind": rows["kind"][0]}
        if fate:
            facts.update({k: _plain(fate[k]) for k in ("weapon_type", "target", "fate", "engagement", "reason",
                                                       "first_detection_s", "first_track_s", "interceptors_fired")})
        packets.append(_moving(world, f"raid/{rows['name'][0]}", str(rows["name"][0]), rows, clock, rgba, facts,
                               2 if weapon else 1))
    return packets


def _interceptor_packets(one, clock: _Clock, world: World) -> list[dict]:
    shots = {s["interceptor"]: s for s in one.shots.to_pylist()}
    packets = []
    for k, rows in paths_by(one.flights, "interceptor").items():
        shot = shots.get(k, {})
        facts = {k2: _plain(shot[k2]) for k2 in ("fire_unit", "launcher", "threat", "launch_time_s", "result",
                                                 "miss_distance_m", "kill_probability") if k2 in shot}
        packets.append(_moving(world, f"interceptor/{k}", f"{shot.get('fire_unit', 'interceptor')} #{k}", rows,
                               clock, RGBA["interceptor"], facts, 1.5))
    return packets


def _marker_packets(world: World, one, clock: _Clock, end_s: float) -> list[dict]:
    """A point at every intercept and weapon impact, available from that moment to the end of the scene."""
    packets = []
    truth = paths_by(raid_truth(one), "entity")
    for fate in one.fates.to_pylist():
        if fate["fate"] == "intercepted":
            where = (fate["intercept_east_m"], fate["intercept_north_m"], fate["intercept_height_m"])
            t_s, rgba, label = fate["intercept_time_s"], RGBA["intercept"], f"intercept of {fate['name']}"
        elif fate["fate"] in ("leaked", "missed target") and fate["threat"] in truth:
            end = truth[fate["threat"]]
            where = (end["east_m"][-1], end["north_m"][-1], end["height_m"][-1])
            t_s, rgba, label = fate["end_time_s"], _hex_rgba(FATE_COLOURS[fate["fate"]]), f"impact of {fate['name']}"
        else:
            continue
        t_s = round(float(t_s), TIME_DECIMALS)
        packet = _static(f"marker/{fate['name']}", label, _geodetic(world, *where), rgba,
                         {"event": label, "time (s)": t_s, "fate": fate["fate"]})
        packet["availability"] = clock.interval(t_s, max(t_s, end_s))
        packets.append(packet)
    return packets


def _plain(value):
    """JSON-friendly fact: NaN becomes 'none', floats are rounded."""
    if isinstance(value, float):
        return "none" if math.isnan(value) else round(value, 2)
    return value
