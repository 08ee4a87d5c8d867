"""Export one replication as a Tacview flight recording (text ACMI 2.1), and a small parser for checking it.

Format: Tacview, "Technical reference - ACMI flight recordings 2.2" (text format; FileVersion 2.1 is the
version the text files declare). A file is a two-line header, global properties on object 0, then frames
`#<seconds from ReferenceTime>` each followed by object updates `<hex id>,T=lon|lat|alt,Prop=value,...`,
events `0,Event=<type>|<ids>|<text>` and removals `-<hex id>`. Positions are written as offsets from
`ReferenceLongitude`/`ReferenceLatitude` (integer degrees), which keeps the numbers short as Tacview advises.
Altitudes are the simulation's heights above the ellipsoid, the best the local frame knows.

What is written: the defended assets, radars and fire units (static), the raid from `outcome.trajectories`
cut where each threat ended in this replication, the interceptors from `outcome.flights`, an explosion
object at every kill and every weapon impact, and the engagement events as Tacview messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from iadsim import __version__
from iadsim.earth.frames import local_to_geodetic
from iadsim.report.plots import paths_by, raid_truth, replication_of
from iadsim.scenario.world import World

FILE_TYPE = "text/acmi/tacview"
FILE_VERSION = "2.1"
RAID, DEFENCE = ("Raid", "Red"), ("Defence", "Blue")  # (Coalition, Color)
# Object id blocks: one block per kind of object keeps ids stable and readable in Tacview's object list.
ASSET_ID0, RADAR_ID0, FIRE_UNIT_ID0 = 0x100, 0x200, 0x300
RAID_ID0, INTERCEPTOR_ID0, EXPLOSION_ID0 = 0x1000, 0x2000, 0x3000
EXPLOSION_SHOWN_S = 3.0  # how long an explosion object stays in the recording
MESSAGE_KINDS = ("track confirmed", "no engagement", "launch", "intercept", "miss", "interceptor lost",
                 "kill assessment", "impact", "reload")
TIME_DECIMALS = 2
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
# order of lines that share a frame: updates before events before removals, so nothing is used once gone
_UPDATE, _EVENT, _REMOVAL = 0, 1, 2


def write_acmi(world: World, outcome, path: Path, replication: int = 0) -> Path:
    """Write replication `replication` of `outcome` to `path` as a Tacview text ACMI file."""
    path = Path(path)
    path.write_text(acmi_text(world, outcome, replication), encoding="utf-8")
    return path


def acmi_text(world: World, outcome, replication: int = 0) -> str:
    """The ACMI text of one replication (see the module docstring for what it holds)."""
    one = replication_of(outcome, replication)
    reference_lon, reference_lat = int(np.floor(world.origin.lon_deg)), int(np.floor(world.origin.lat_deg))
    records: list[tuple[float, int, str]] = []
    to_text = _PositionWriter(world, reference_lon, reference_lat)
    records += _static_objects(world, to_text)
    records += _raid_objects(world, one, to_text)
    records += _interceptor_objects(world, one, to_text)
    records += _explosions(world, one, to_text)
    records += _events(one)
    header = [
        f"FileType={FILE_TYPE}",
        f"FileVersion={FILE_VERSION}",
        f"0,ReferenceTime={world.start_time_utc}",
        f"0,ReferenceLongitude={reference_lon}",
        f"0,ReferenceLatitude={reference_lat}",
        f"0,Title={_escape(f'{world.name}, replication {replication}')}",
        f"0,DataSource=iadsim {__version__}",
        f"0,Comment={_escape(f'iadsim simulation, seed {outcome.seed}; analysis only')}",
    ]
    return "\n".join(header + _frames(records)) + "\n"


class _PositionWriter:
    """Local-frame positions to ACMI `T=` values (offsets from the reference longitude and latitude)."""

    def __init__(self, world: World, reference_lon: int, reference_lat: int):
        self.origin, self.reference_lon, self.reference_lat = world.origin, reference_lon, reference_lat

    def __call__(self, east_m, north_m, height_m) -> list[str]:
        lat, lon, alt = local_to_geodetic(np.atleast_1d(east_m), np.atleast_1d(north_m), np.atleast_1d(height_m),
                                          self.origin)
        return [f"T={x - self.reference_lon:.7f}|{y - self.reference_lat:.7f}|{z:.1f}"
                for x, y, z in zip(np.atleast_1d(lon), np.atleast_1d(lat), np.atleast_1d(alt))]


def _object(object_id: int, t_s: float, position: str, **properties) -> tuple[float, int, str]:
    values = "".join(f",{name}={_escape(str(value))}" for name, value in properties.items())
    return t_s, _UPDATE, f"{object_id:x},{position}{values}"


def _static_objects(world: World, position) -> list[tuple[float, int, str]]:
    coalition, colour = DEFENCE
    records = []
    groups = (
        (ASSET_ID0, world.assets.ids, world.assets.position_m, "Ground+Static+Building"),
        (RADAR_ID0, world.radars.ids, world.radars.antenna_m, "Ground+Static+AntiAircraft"),
        (FIRE_UNIT_ID0, world.fire_units.ids, world.fire_units.position_m, "Ground+Static+AntiAircraft"),
    )
    for first_id, ids, positions_m, kind in groups:
        if not ids:
            continue
        for k, (name, text) in enumerate(zip(ids, position(*positions_m.T))):
            records.append(_object(first_id + k, 0.0, text, Name=name, Type=kind, Coalition=coalition, Color=colour))
    return records


def _path_records(object_id: int, rows: dict, position, first: dict) -> list[tuple[float, int, str]]:
    """An object's samples as updates (its identity on the first), then its removal after the last."""
    texts = position(rows["east_m"], rows["north_m"], rows["height_m"])
    records = [_object(object_id, t, text, TAS=f"{v:.1f}", **(first if i == 0 else {}))
               for i, (t, text, v) in enumerate(zip(rows["t_s"], texts, rows["speed_mps"]))]
    records.append((float(rows["t_s"][-1]), _REMOVAL, f"-{object_id:x}"))
    return records


def _raid_objects(world: World, one, position) -> list[tuple[float, int, str]]:
    coalition, colour = RAID
    records = []
    for entity, rows in paths_by(raid_truth(one), "entity").items():
        weapon = rows["kind"][0] == "weapon"
        kind = "Weapon+Missile" if weapon else "Air+FixedWing"
        records += _path_records(RAID_ID0 + entity, rows, position,
                                 dict(Name=rows["name"][0], Type=kind, Coalition=coalition, Color=colour))
    return records


def _interceptor_objects(world: World, one, position) -> list[tuple[float, int, str]]:
    coalition, colour = DEFENCE
    shots = {s["interceptor"]: s for s in one.shots.to_pylist()}
    records = []
    for k, rows in paths_by(one.flights, "interceptor").items():
        shot = shots.get(k, {})
        unit = shot.get("fire_unit", "")
        identity = dict(Name=_interceptor_type(world, unit), Type="Weapon+Missile", Coalition=coalition,
                        Color=colour, CallSign=f"{unit} #{k}", Group=unit)
        if unit in world.fire_units.ids:
            identity["Parent"] = f"{FIRE_UNIT_ID0 + world.fire_units.ids.index(unit):x}"
        records += _path_records(INTERCEPTOR_ID0 + k, rows, position, identity)
    return records


def _interceptor_type(world: World, fire_unit: str) -> str:
    if fire_unit not in world.fire_units.ids:
        return "interceptor"
    return world.interceptor_type_ids[int(world.fire_units.interceptor_type[world.fire_units.ids.index(fire_unit)])]


def _explosions(world: World, one, position) -> list[tuple[float, int, str]]:
    """An explosion at every kill (where the interceptor ended) and every weapon impact."""
    points = [(s["end_time_s"], s["end_east_m"], s["end_north_m"], s["end_height_m"], "intercept")
              for s in one.shots.to_pylist() if s["killed"]]
    truth = paths_by(raid_truth(one), "entity")
    for fate in one.fates.to_pylist():
        if fate["fate"] in ("leaked", "missed target") and fate["threat"] in truth:
            end = truth[fate["threat"]]
            points.append((fate["end_time_s"], end["east_m"][-1], end["north_m"][-1], end["height_m"][-1],
                           f"impact of {fate['name']}"))
    records = []
    for n, (t_s, east, north, height, label) in enumerate(points):
        object_id = EXPLOSION_ID0 + n
        records.append(_object(object_id, t_s, position(east, north, height)[0], Name=label, Type="Misc+Explosion",
                               Radius="20"))
        records.append((t_s + EXPLOSION_SHOWN_S, _REMOVAL, f"-{object_id:x}"))
    return records


def _events(one) -> list[tuple[float, int, str]]:
    """Engagement events as Tacview messages, and a Destroyed event for every threat killed."""
    records = []
    for event in one.events.to_pylist():
        if event["kind"] not in MESSAGE_KINDS:
            continue
        ids = [RAID_ID0 + event["threat"]] if event["threat"] >= 0 else []
        ids += [INTERCEPTOR_ID0 + event["interceptor"]] if event["interceptor"] >= 0 else []
        text = f"{event['kind']}: {event['detail']}" + (f" ({event['fire_unit']})" if event["fire_unit"] else "")
        records.append((event["t_s"], _EVENT, _event_line("Message", ids, text)))
    for fate in one.fates.to_pylist():
        if fate["fate"] == "intercepted":
            records.append((fate["intercept_time_s"], _EVENT,
                            _event_line("Destroyed", [RAID_ID0 + fate["threat"]], f"{fate['name']} intercepted")))
    return records


def _event_line(kind: str, object_ids: list[int], text: str) -> str:
    return "0,Event=" + "|".join([kind, *(f"{i:x}" for i in object_ids), _escape(text)])


def _frames(records: list[tuple[float, int, str]]) -> list[str]:
    """Records sorted by time (and update, event, removal within a time) under `#t` frame lines."""
    lines, frame = [], None
    for t_s, _, line in sorted(records, key=lambda r: (round(r[0], TIME_DECIMALS), r[1])):
        stamp = f"#{t_s:.{TIME_DECIMALS}f}"
        if stamp != frame:
            lines.append(stamp)
            frame = stamp
        lines.append(line)
    return lines


def _escape(text: str) -> str:
    """ACMI values end at an unescaped comma and at the line end: escape the first, flatten the second."""
    return text.replace("\\", "/").replace(",", "\\,").replace("\n", " ")


# --- reading back -------------------------------------------------------------------------------------


@dataclass
class AcmiObject:
    """One object of a recording: its latest properties and its positions (t_s, lon, lat, alt)."""

    id: str
    properties: dict[str, str] = field(default_factory=dict)
    samples: list[tuple[float, float, float, float]] = field(default_factory=list)
    removed_s: float | None = None


@dataclass
class AcmiRecording:
    file_version: str
    reference_time: datetime
    globals: dict[str, str]
    objects: dict[str, AcmiObject]
    events: list[tuple[float, str]]
    frame_times_s: list[float]


def parse_acmi(text: str) -> AcmiRecording:
    """Parse a text ACMI 2.x recording; raise ValueError at the first line that breaks the format.

    Checks: the two header lines, a ReferenceTime in ISO 8601 UTC, frames non-decreasing in time, object
    ids in hexadecimal, `T=` with 3, 5, 6 or 9 `|`-separated fields, no object updated after its removal."""
    lines = [line for line in _logical_lines(text.lstrip("\ufeff")) if line and not line.startswith("//")]
    if len(lines) < 2 or lines[0] != f"FileType={FILE_TYPE}":
        raise ValueError(f"line 1: expected 'FileType={FILE_TYPE}', found {lines[0] if lines else 'nothing'!r}")
    version = lines[1].removeprefix("FileVersion=")
    if not lines[1].startswith("FileVersion=") or not re.fullmatch(r"2\.\d+", version):
        raise ValueError(f"line 2: expected 'FileVersion=2.x', found {lines[1]!r}")
    globals_: dict[str, str] = {}
    objects: dict[str, AcmiObject] = {}
    events: list[tuple[float, str]] = []
    frames: list[float] = []
    t_s = 0.0
    for number, line in enumerate(lines[2:], start=3):
        if line.startswith("#"):
            t_s = _frame_time(line, frames, number)
        elif line.startswith("-"):
            _object_of(objects, line[1:], number).removed_s = t_s
        else:
            object_id, *properties = _UNESCAPED_COMMA.split(line)
            pairs = [_property(p, number) for p in properties]
            if object_id == "0":
                for name, value in pairs:
                    if name == "Event":
                        events.append((t_s, value))
                    else:
                        globals_[name] = value
            else:
                _update(_object_of(objects, object_id, number, create=True), pairs, t_s, globals_, number)
    if "ReferenceTime" not in globals_:
        raise ValueError("no global ReferenceTime")
    reference = datetime.fromisoformat(globals_["ReferenceTime"].replace("Z", "+00:00"))
    return AcmiRecording(version, reference, globals_, objects, events, frames)


def _logical_lines(text: str) -> list[str]:
    """Physical lines joined where a line ends with a backslash (ACMI's line continuation: multi-line text)."""
    lines, pending = [], ""
    for raw in text.splitlines():
        if raw.endswith("\\"):
            pending += raw[:-1] + "\n"
        else:
            lines.append(pending + raw)
            pending = ""
    return lines + ([pending] if pending else [])


def _frame_time(line: str, frames: list[float], number: int) -> float:
    try:
        t_s = float(line[1:])
    except ValueError:
        raise ValueError(f"line {number}: bad frame time {line!r}") from None
    if frames and t_s < frames[-1]:
        raise ValueError(f"line {number}: frame time {t_s} goes back from {frames[-1]}")
    frames.append(t_s)
    return t_s


def _object_of(objects: dict[str, AcmiObject], object_id: str, number: int, create: bool = False) -> AcmiObject:
    if not re.fullmatch(r"[0-9a-fA-F]+", object_id) or int(object_id, 16) == 0:
        raise ValueError(f"line {number}: object id {object_id!r} is not a non-zero hexadecimal number")
    if object_id not in objects:
        if not create:
            raise ValueError(f"line {number}: removal of unknown object {object_id}")
        objects[object_id] = AcmiObject(object_id)
    return objects[object_id]


def _property(text: str, number: int) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ValueError(f"line {number}: property {text!r} is not Name=value")
    return name, value.replace("\\,", ",")


def _update(obj: AcmiObject, pairs: list[tuple[str, str]], t_s: float, globals_: dict, number: int) -> None:
    if obj.removed_s is not None:
        raise ValueError(f"line {number}: object {obj.id} updated after its removal at {obj.removed_s}")
    for name, value in pairs:
        if name == "T":
            obj.samples.append(_coordinates(value, obj, t_s, globals_, number))
        else:
            obj.properties[name] = value


def _coordinates(value: str, obj: AcmiObject, t_s: float, globals_: dict, number: int):
    """(t, lon, lat, alt) from a T= value; empty fields keep the previous value, as the format says."""
    fields = value.split("|")
    if len(fields) not in (3, 5, 6, 9):
        raise ValueError(f"line {number}: T={value!r} has {len(fields)} fields (3, 5, 6 or 9 expected)")
    previous = obj.samples[-1][1:] if obj.samples else (None, None, None)
    references = (float(globals_.get("ReferenceLongitude", 0)), float(globals_.get("ReferenceLatitude", 0)), 0.0)
    lon_lat_alt = []
    for k, raw in enumerate(fields[:3]):
        try:
            lon_lat_alt.append(previous[k] if raw == "" else float(raw) + references[k])
        except ValueError:
            raise ValueError(f"line {number}: T={value!r}: {raw!r} is not a number") from None
    if None in lon_lat_alt:
        raise ValueError(f"line {number}: object {obj.id} has no full position yet")
    return (t_s, *lon_lat_alt)
