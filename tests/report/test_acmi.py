"""Tacview ACMI export: the file parses as text ACMI 2.x and holds what the Outcome says happened."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from iadsim.earth.frames import local_to_geodetic
from iadsim.report.acmi import (
    FIRE_UNIT_ID0,
    INTERCEPTOR_ID0,
    RAID_ID0,
    parse_acmi,
    write_acmi,
)
from iadsim.report.plots import paths_by, raid_truth


@pytest.fixture(scope="module")
def recording(world, outcome, tmp_path_factory):
    path = write_acmi(world, outcome, tmp_path_factory.mktemp("acmi") / "engagement.acmi")
    text = path.read_text(encoding="utf-8")
    return text, parse_acmi(text)


def obj(recording, object_id: int):
    return recording[1].objects[f"{object_id:x}"]


def test_header_reference_time_and_globals(recording, world):
    text, parsed = recording
    assert text.splitlines()[:2] == ["FileType=text/acmi/tacview", "FileVersion=2.1"]
    assert parsed.file_version == "2.1"
    assert parsed.reference_time == datetime(2021, 7, 21, 22, 10, tzinfo=timezone.utc)
    assert parsed.globals["Title"] == f"{world.name}, replication 0"  # the escaped comma reads back
    assert parsed.globals["DataSource"].startswith("iadsim")
    assert parsed.frame_times_s == sorted(parsed.frame_times_s)


def test_objects_are_the_scene(recording, world, outcome):
    parsed = recording[1]
    types = [o.properties["Type"] for o in parsed.objects.values()]
    one = outcome.replication(0)
    assert types.count("Ground+Static+Building") == len(world.assets.ids)
    assert types.count("Air+FixedWing") == 2
    assert types.count("Weapon+Missile") == len(world.raid.weapons) + one.shots.num_rows
    assert types.count("Misc+Explosion") == 2 + 2  # two kills, two impacts
    for k in range(one.shots.num_rows):
        interceptor = obj(recording, INTERCEPTOR_ID0 + k)
        assert interceptor.properties["Coalition"] == "Defence"
        assert interceptor.properties["Parent"] == f"{FIRE_UNIT_ID0:x}"
        assert interceptor.properties["Name"] == "9m317"


def test_positions_round_trip_to_the_local_frame(recording, world, outcome):
    truth = paths_by(raid_truth(outcome.replication(0)), "entity")
    for entity, path in truth.items():
        samples = np.array(obj(recording, RAID_ID0 + entity).samples)
        assert len(samples) == len(path["t_s"])
        np.testing.assert_allclose(samples[:, 0], np.round(path["t_s"], 2), atol=0.006)
        lat, lon, alt = local_to_geodetic(path["east_m"], path["north_m"], path["height_m"], world.origin)
        np.testing.assert_allclose(samples[:, 1], lon, atol=1e-6)
        np.testing.assert_allclose(samples[:, 2], lat, atol=1e-6)
        np.testing.assert_allclose(samples[:, 3], alt, atol=0.06)


def test_threats_are_removed_when_they_end_and_kills_are_events(recording, outcome):
    parsed = recording[1]
    for fate in outcome.replication(0).fates.to_pylist():
        assert obj(recording, RAID_ID0 + fate["threat"]).removed_s == pytest.approx(fate["end_time_s"], abs=0.006)
    destroyed = [e for _, e in parsed.events if e.startswith("Destroyed|")]
    assert destroyed == [f"Destroyed|{RAID_ID0 + 2:x}|f16-1/w1 intercepted",
                         f"Destroyed|{RAID_ID0 + 4:x}|f16-2/w1 intercepted"]
    launches = [e for _, e in parsed.events if "launch:" in e]
    assert len(launches) == outcome.replication(0).shots.num_rows


def test_an_empty_engagement_still_writes_a_valid_file(world, outcome, tmp_path):
    parsed = parse_acmi(write_acmi(world, outcome, tmp_path / "r1.acmi", replication=1).read_text())
    assert not any(o.properties["Type"] == "Weapon+Missile" and int(i, 16) >= INTERCEPTOR_ID0
                   for i, o in parsed.objects.items())


@pytest.mark.parametrize("text, message", [
    ("FileType=text/acmi/tacview\nFileVersion=1.0\n", "FileVersion=2.x"),
    ("FileType=something\nFileVersion=2.1\n", "line 1"),
    ("FileType=text/acmi/tacview\nFileVersion=2.1\n#0\nzz,T=1|2|3\n0,ReferenceTime=2021-07-21T22:10:00Z\n",
     "hexadecimal"),
    ("FileType=text/acmi/tacview\nFileVersion=2.1\n0,ReferenceTime=2021-07-21T22:10:00Z\n#1\n#0.5\n", "goes back"),
    ("FileType=text/acmi/tacview\nFileVersion=2.1\n0,ReferenceTime=2021-07-21T22:10:00Z\n#0\n1,T=1|2\n", "fields"),
    ("FileType=text/acmi/tacview\nFileVersion=2.1\n#0\n1,T=1|2|3\n", "ReferenceTime"),
    ("FileType=text/acmi/tacview\nFileVersion=2.1\n0,ReferenceTime=2021-07-21T22:10:00Z\n#0\n1,T=1|2|3\n-1\n#1\n"
     "1,T=1|2|4\n", "after its removal"),
])
def test_parser_rejects_broken_files(text, message):
    with pytest.raises(ValueError, match=message):
        parse_acmi(text)


def test_parser_reads_partial_coordinates_and_continued_lines():
    text = ("\ufeffFileType=text/acmi/tacview\nFileVersion=2.2\n0,ReferenceTime=2021-07-21T22:10:00Z\n"
            "0,ReferenceLongitude=36\n// a comment\n#0\na1,T=0.5|0.25|100|0|0|90,Name=F-16\\, lead\n"
            "#2\na1,T=|0.5|\n0,Event=Message|a1|two\\\nlines\n")
    parsed = parse_acmi(text)
    assert parsed.objects["a1"].samples == [(0.0, 36.5, 0.25, 100.0), (2.0, 36.5, 0.5, 100.0)]
    assert parsed.objects["a1"].properties["Name"] == "F-16, lead"
    assert parsed.events == [(2.0, "Message|a1|two\nlines")]
