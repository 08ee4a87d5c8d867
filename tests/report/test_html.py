"""The HTML report, the engagement timeline and the replication view the plots share."""

from __future__ import annotations

import base64
import dataclasses
import re
from html.parser import HTMLParser

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import iadsim
from iadsim.report import html as report_html
from iadsim.report.html import write_report
from iadsim.report.plots import paths_by, raid_truth, replication_of
from iadsim.report.timeline import plot_timeline

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PageOutline(HTMLParser):
    """Tags, image sources, and the body rows of each table (by table id)."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.images: list[str] = []
        self.rows: dict[str, int] = {}
        self._table, self._in_body = None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        elif tag == "table":
            self._table = attrs.get("id")
            self.rows[self._table] = 0
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows[self._table] += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False


def outline(text: str) -> PageOutline:
    parser = PageOutline()
    parser.feed(text)
    return parser


@pytest.fixture(scope="module")
def report_text(world, outcome, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(world, outcome, path, summary="Two of four intercepted & one leaked <as planned>.")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def no_figures(monkeypatch):
    """Skip the (slow) plotting where a test is about the page's text, not its figures."""
    tiny = {"map": "data:image/png;base64,", "profile": "data:image/png;base64,", "timeline": "data:image/png;base64,"}
    monkeypatch.setattr(report_html, "_render_figures", lambda *args: tiny)


def test_report_is_self_contained(report_text):
    page = outline(report_text)
    assert not re.search(r"https?://|\bhref=|url\(", report_text, re.IGNORECASE)
    assert {"script", "link", "iframe"}.isdisjoint(page.tags)
    assert len(page.images) == 3
    for source in page.images:
        prefix = "data:image/png;base64,"
        assert source.startswith(prefix)
        assert base64.b64decode(source[len(prefix):]).startswith(PNG_SIGNATURE)


def test_report_has_its_sections_and_one_row_per_threat_and_shot(report_text, outcome):
    page = outline(report_text)
    one = outcome.replication(0)
    assert page.rows == {"fates": one.fates.num_rows, "shots": one.shots.num_rows, "resources": 1}
    for heading in ("Plan view", "Altitude versus range", "Engagement timeline", "Fate of each threat",
                    "Interceptor shots", "Fire-unit resources", "Model and sources"):
        assert f"<h2>{heading}</h2>" in report_text
    assert "Two of four intercepted &amp; one leaked &lt;as planned&gt;." in report_text
    assert "false track" in report_text  # the shot at a track with no threat behind it
    assert f"<dd>{iadsim.__version__}</dd>" in report_text and "<dd>20210722</dd>" in report_text
    for name in one.fates.column("name").to_pylist():
        assert f"<td>{name}</td>" in report_text


def test_every_text_from_the_outcome_is_escaped(world, outcome, tmp_path, no_figures):
    hostile = "<script>alert('x')</script>"
    names = outcome.fates.column("name").to_pylist()
    fates = outcome.fates.set_column(outcome.fates.schema.get_field_index("name"), "name",
                                     pa.array([hostile] + names[1:]))
    shots = outcome.shots.set_column(outcome.shots.schema.get_field_index("result"), "result",
                                     pa.array(["<b>kill</b>"] * outcome.shots.num_rows))
    text = write_report(world, dataclasses.replace(outcome, fates=fates, shots=shots), tmp_path / "r.html",
                        summary="<i>summary</i>").read_text()
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text and "&lt;b&gt;kill&lt;/b&gt;" in text


def test_report_of_another_replication_and_a_missing_one(world, outcome, tmp_path, no_figures):
    text = write_report(world, outcome, tmp_path / "r1.html", replication=1).read_text()
    page = outline(text)
    assert page.rows["fates"] == 4 and "shots" not in page.rows
    assert "No interceptor was fired." in text
    assert "4 threats: 4 leaked; 0 interceptors fired." in text  # the default summary
    with pytest.raises(ValueError, match="replication 2"):
        write_report(world, outcome, tmp_path / "r2.html", replication=2)


def test_timeline_png_for_each_replication(world, outcome, tmp_path):
    for replication in (0, 1):
        path = plot_timeline(world, outcome, tmp_path / f"timeline{replication}.png", replication)
        assert path.read_bytes().startswith(PNG_SIGNATURE) and path.stat().st_size > 5_000


def test_raid_truth_stops_each_threat_where_it_ended(outcome):
    one = replication_of(outcome, 0)
    paths = paths_by(raid_truth(one), "entity")
    for fate in one.fates.to_pylist():
        path = paths[fate["threat"]]
        assert path["t_s"][-1] == pytest.approx(fate["end_time_s"])
        if fate["fate"] == "intercepted":
            end = [path[c][-1] for c in ("east_m", "north_m", "height_m")]
            wanted = [fate[c] for c in ("intercept_east_m", "intercept_north_m", "intercept_height_m")]
            np.testing.assert_allclose(end, wanted, atol=1.0)
    aircraft = paths[0]  # no fate: kept whole
    assert aircraft["t_s"][-1] == pytest.approx(outcome.trajectories.filter(
        pc.equal(outcome.trajectories["entity"], 0))["t_s"].to_numpy().max())
