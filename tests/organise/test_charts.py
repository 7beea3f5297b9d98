"""The server-drawn SVG charts: well-formed, named for screen readers, escaped,
free of style attributes, and drawn to scale."""

import xml.etree.ElementTree as ET

import pytest

from organise import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup


def timeline(**overrides):
    arguments = {
        "points": [
            charts.Point("1 Apr", 2, 2),
            charts.Point("2 Apr", 0, 2),
            charts.Point("3 Apr", 6, 8),
        ],
        "capacity": 10,
        "title": "Registrations over time",
        "description": "From 1 to 3 April: 8 registrations.",
        "chart_id": "chart-timeline",
        "capacity_label": "Capacity 10",
    }
    return parse(charts.timeline(**(arguments | overrides)))


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (450, 500), (501, 1000)],
)
def test_nice_ceiling(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = timeline()

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-timeline-title chart-timeline-desc"
    assert svg.find(f"{SVG}title").get("id") == "chart-timeline-title"
    assert svg.find(f"{SVG}title").text == "Registrations over time"
    assert svg.find(f"{SVG}desc").text == "From 1 to 3 April: 8 registrations."


def test_timeline_draws_the_total_the_days_and_the_capacity_to_scale():
    svg = timeline()

    # Top plot: 12 to 162 for 0..10 (the capacity sets the scale).
    capacity = svg.find(f"{SVG}line[@class='chart-capacity']")
    assert (capacity.get("y1"), capacity.get("y2")) == ("12.0", "12.0")
    points = svg.find(f"{SVG}polyline").get("points").split()
    assert [float(p.split(",")[1]) for p in points] == [132.0, 132.0, 42.0]
    # Bottom plot: 70 units high for 0..10 (the busiest day, 6, rounds up to 10);
    # a day with none draws no bar.
    bars = svg.findall(f"{SVG}rect[@class='chart-bar']")
    assert [float(b.get("height")) for b in bars] == [14.0, 42.0]
    labels = [t.text for t in svg.findall(f"{SVG}text[@class='chart-label']")]
    assert labels[-3:] == ["1 Apr", "2 Apr", "3 Apr"]


def test_timeline_without_a_capacity_has_no_capacity_line():
    svg = timeline(capacity=None, capacity_label="")

    assert svg.find(f"{SVG}line[@class='chart-capacity']") is None


def test_long_timelines_label_a_few_days_only():
    points = [charts.Point(f"day {n}", 1, n + 1) for n in range(60)]

    svg = timeline(points=points)

    labels = [t.text for t in svg.findall(f"{SVG}text[@class='chart-label']")]
    day_labels = [label for label in labels if label.startswith("day")]
    assert day_labels[0] == "day 0"
    assert day_labels[-1] == "day 59"
    assert len(day_labels) <= 6
    assert svg.findall(f"{SVG}circle") == []  # too many days for dots


def test_bars_draw_taken_out_of_capacity_and_the_waitlist_after():
    markup = charts.bars(
        rows=[
            charts.Bar("Workshop", 30, limit=30, extra=10, note="30/30 +10 waiting"),
            charts.Bar("Clinic", 5, limit=20, note="5/20"),
        ],
        title="Seats",
        description="Two sessions.",
        chart_id="chart-fill",
    )

    svg = parse(markup)
    rows = svg.findall(f"{SVG}g")
    # The scale is the longest: 30 seats + 10 waiting = 40 over 310 units.
    workshop = {
        r.get("class"): float(r.get("width")) for r in rows[0].iter(f"{SVG}rect")
    }
    assert workshop == {"chart-track": 232.5, "chart-bar": 232.5, "chart-extra": 77.5}
    clinic = {r.get("class"): float(r.get("width")) for r in rows[1].iter(f"{SVG}rect")}
    assert clinic == {"chart-track": 155.0, "chart-bar": 38.8}  # 38.75, to one decimal
    assert rows[0].find(f"{SVG}title").text == "Workshop: 30/30 +10 waiting"
    assert [t.text for t in rows[1].iter(f"{SVG}text")] == ["Clinic", "5/20"]


def test_text_is_escaped_and_long_labels_are_cut():
    name = '<script>alert("x")</script> & a very long name of an organisation'

    markup = charts.bars(
        rows=[charts.Bar(name, 3)],
        title="By <organisation>",
        description="A & B",
        chart_id="chart-organisation",
    )

    assert "<script>" not in markup
    svg = parse(markup)
    label = svg.find(f"{SVG}g/{SVG}text").text
    assert label == '<script>alert("x")</script> &…'
    assert len(label) == 30  # what fits in 220 - 8 units at 7 a character
    assert svg.find(f"{SVG}g/{SVG}title").text == f"{name}: 3"
    assert svg.find(f"{SVG}title").text == "By <organisation>"


def test_no_chart_uses_style_attributes():
    markups = [
        charts.bars(
            rows=[charts.Bar("A", 1)], title="t", description="d", chart_id="b"
        ),
        charts.timeline(
            points=[charts.Point("1 Apr", 1, 1)], capacity=5, title="t",
            description="d", chart_id="t", capacity_label="Capacity 5",
        ),
    ]  # fmt: skip

    for markup in markups:
        assert all("style" not in element.attrib for element in parse(markup).iter())


def test_a_narrow_chart_cuts_its_labels_to_fit():
    markup = charts.bars(
        rows=[charts.Bar("Metropolia University of Applied Sciences", 13)],
        title="By organisation",
        description="One organisation.",
        chart_id="chart-organisation",
        width=420,
        note_width=40,
    )

    svg = parse(markup)
    assert svg.get("viewBox") == "0 0 420 34"
    assert svg.find(f"{SVG}g/{SVG}text").text == "Metropolia Univers…"  # 19 characters
    bar = svg.find(f"{SVG}g/{SVG}rect")
    assert (bar.get("x"), bar.get("width")) == ("144.0", "236.0")
