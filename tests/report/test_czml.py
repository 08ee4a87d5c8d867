"""CZML export: valid JSON, the document packet first, well-formed time-tagged positions inside availability."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from iadsim.report.czml import write_czml


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def interval(text: str) -> tuple[datetime, datetime]:
    start, end = text.split("/")
    return utc(start), utc(end)


@pytest.fixture(scope="module")
def packets(world, outcome, tmp_path_factory):
    path = write_czml(world, outcome, tmp_path_factory.mktemp("czml") / "engagement.czml")
    return json.loads(path.read_text(encoding="utf-8"))


def test_document_packet_first_with_a_clock_from_the_start_time(packets, world):
    document = packets[0]
    assert document["id"] == "document" and document["version"] == "1.0"
    start, end = interval(document["clock"]["interval"])
    assert start == utc(world.start_time_utc) == utc(document["clock"]["currentTime"])
    assert end > start
    assert [p["id"] for p in packets].count("document") == 1
    assert len({p["id"] for p in packets}) == len(packets)  # ids are unique


def test_time_tagged_positions_are_quadruples_inside_availability(packets):
    document_start, document_end = interval(packets[0]["clock"]["interval"])
    moving = [p for p in packets[1:] if "epoch" in p.get("position", {})]
    assert len(moving) == 6 + 5  # six raid entities, five interceptors
    for packet in moving:
        samples = packet["position"]["cartographicDegrees"]
        assert len(samples) % 4 == 0 and len(samples) >= 8, packet["id"]
        epoch = utc(packet["position"]["epoch"])
        start, end = interval(packet["availability"])
        times = [epoch + timedelta(seconds=t) for t in samples[0::4]]
        assert times == sorted(times)
        assert times[0] == start and times[-1] == end, packet["id"]
        assert document_start <= start <= end <= document_end
        lons, lats = samples[1::4], samples[2::4]
        assert all(35.0 < x < 38.0 for x in lons) and all(33.0 < y < 36.0 for y in lats)
        assert "path" in packet and "point" in packet and "billboard" not in packet


def test_static_packets_for_assets_radars_fire_units_and_markers(packets, world):
    static = {p["id"]: p for p in packets[1:] if "epoch" not in p.get("position", {"epoch": 0})}
    for prefix, ids in (("asset/", world.assets.ids), ("radar/", world.radars.ids),
                        ("fire-unit/", world.fire_units.ids)):
        for object_id in ids:
            assert len(static[prefix + object_id]["position"]["cartographicDegrees"]) == 3
    assert static["radar/9s18m1"]["ellipse"]["semiMajorAxis"] > 10_000
    markers = [p for p in static.values() if p["id"].startswith("marker/")]
    assert len(markers) == 4  # two intercepts, two impacts
    _, document_end = interval(packets[0]["clock"]["interval"])
    for marker in markers:
        start, end = interval(marker["availability"])
        assert start < end <= document_end


def test_no_external_resources(world, outcome, tmp_path):
    text = write_czml(world, outcome, tmp_path / "r1.czml", replication=1).read_text()
    assert "http" not in text and "image" not in text
    assert len(json.loads(text)) == 1 + 4 + 6 + 4  # document, statics, raid, impact markers; no interceptors
