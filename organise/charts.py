"""Charts drawn on the server as SVG markup: no JavaScript, no style attributes.

Pure functions of the numbers they are given: no queries, no clock. Every text
goes through `format_html`, so names typed by attendees cannot become markup.
A chart is an image with a title and a description for screen readers
(`role="img"`, `aria-labelledby`); the page also gives its numbers as a table.
Colours and type come from classes in the organiser stylesheet.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LEFT = 48  # room for the y axis' figures
RIGHT = 16
CHAR_WIDTH = 7  # about what a character of a 12px label takes, in canvas units
MARKED_POINTS = 45  # a timeline of up to this many days marks each day's total


@dataclass(frozen=True)
class Point:
    """One day of a timeline: its label on the x axis, that day's count, the total."""

    label: str
    new: int
    total: int


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart.

    `limit` (a capacity) draws the bar's full length behind it; `extra` (a
    waitlist) is drawn after the value, past the limit when the bar is full.
    `note` is the figure written at the bar's end.
    """

    label: str
    value: int
    limit: int | None = None
    extra: int = 0
    note: str = ""


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10^n at or above `value` (at least 1), so that
    an axis ends on a round figure."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    raise AssertionError("unreachable: 10 × power is always enough")


def _frame(
    chart_id: str, width: int, height: int, title: str, description: str, body
) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img"'
        ' aria-labelledby="{}-title {}-desc" focusable="false"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width, height, width, height, chart_id, chart_id,
        chart_id, title, chart_id, description, body,
    )  # fmt: skip


def _label_positions(count: int, most: int = 6) -> list[int]:
    """Which of `count` x positions get a label: the first, the last and a few
    evenly between, so that labels never overlap."""
    if count <= most:
        return list(range(count))
    step = math.ceil((count - 1) / (most - 1))
    positions = list(range(0, count - 1, step))
    if count - 1 - positions[-1] < step / 2:
        positions.pop()
    return [*positions, count - 1]


def timeline(
    *,
    points: Sequence[Point],
    capacity: int | None,
    title: str,
    description: str,
    chart_id: str,
    capacity_label: str,
) -> SafeString:
    """Two plots over the same days: above, the running total as a line with the
    capacity as a dashed line; below, each day's count as a bar."""
    top, top_height = 12, 150
    bottom, bottom_height = top + top_height + 24, 70
    height = bottom + bottom_height + 24
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(points), 1)
    total_scale = nice_ceiling(max([p.total for p in points] + [capacity or 0]))
    new_scale = nice_ceiling(max([p.new for p in points], default=0))

    def x(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    def total_y(value: int) -> float:
        return top + top_height * (1 - value / total_scale)

    parts = [
        _axis(top, top_height, total_scale),
        _axis(bottom, bottom_height, new_scale),
    ]
    if capacity is not None:
        y = total_y(capacity)
        parts.append(
            format_html(
                '<line class="chart-capacity" x1="{}" y1="{}" x2="{}" y2="{}"'
                ' stroke-dasharray="6 4"/>'
                '<text class="chart-note" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                WIDTH - RIGHT,
                _n(y - 4),
                capacity_label,
            )  # fmt: skip
        )
    line = " ".join(f"{x(i):.1f},{total_y(p.total):.1f}" for i, p in enumerate(points))
    parts.append(format_html('<polyline class="chart-line" points="{}"/>', line))
    if len(points) <= MARKED_POINTS:  # a line of one or a few days needs its dots
        parts.append(
            format_html_join(
                "",
                '<circle class="chart-dot" cx="{}" cy="{}" r="3"/>',
                ((_n(x(i)), _n(total_y(p.total))) for i, p in enumerate(points)),
            )
        )
    bar_width = min(max(slot * 0.7, 1), 24)
    parts.append(
        format_html_join(
            "",
            '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"/>',
            (
                (
                    _n(x(i) - bar_width / 2),
                    _n(bottom + bottom_height * (1 - p.new / new_scale)),
                    _n(bar_width),
                    _n(bottom_height * p.new / new_scale),
                )
                for i, p in enumerate(points)
                if p.new
            ),
        )
    )
    parts.append(
        format_html_join(
            "",
            '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
            (
                (_n(x(i)), height - 6, points[i].label)
                for i in _label_positions(len(points))
            ),
        )
    )
    return _frame(
        chart_id, WIDTH, height, title, description, SafeString("".join(parts))
    )


def _axis(top: int, height: int, scale: int) -> SafeString:
    """The base line and the scale's top figure, for one plot."""
    base = top + height
    return format_html(
        '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">0</text>',
        LEFT, top, WIDTH - RIGHT, top,
        LEFT, base, WIDTH - RIGHT, base,
        LEFT - 6, top + 4, scale,
        LEFT - 6, base,
    )  # fmt: skip


def bars(
    *,
    rows: Sequence[Bar],
    title: str,
    description: str,
    chart_id: str,
    width: int = WIDTH,
    note_width: int = 110,
) -> SafeString:
    """Horizontal bars, one per row, on one scale: the longest limit or value.

    A narrower `width` suits a half-width panel (its text stays legible); labels
    are cut to what fits beside the bars, the table has them whole.
    """
    row_height, label_width = 26, width * 11 // 32  # 220 of 640
    height = row_height * len(rows) + 8
    start = label_width
    room = width - label_width - note_width
    label_chars = (label_width - 8) // CHAR_WIDTH
    scale = max([max(r.limit or 0, r.value + r.extra) for r in rows], default=0) or 1

    def length(value: int) -> float:
        return room * value / scale

    parts = []
    for index, row in enumerate(rows):
        y = 4 + index * row_height
        label = row.label
        if len(label) > label_chars:
            label = label[: label_chars - 1].rstrip() + "…"
        shapes = [
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                start - 8,
                y + 16,
                label,
            )  # fmt: skip
        ]
        if row.limit:
            shapes.append(_rect("chart-track", start, y + 4, length(row.limit)))
        if row.value:
            shapes.append(_rect("chart-bar", start, y + 4, length(row.value)))
        if row.extra:
            shapes.append(
                _rect(
                    "chart-extra",
                    start + length(row.value),
                    y + 4,
                    length(row.extra),
                )
            )
        end = start + length(max(row.limit or 0, row.value + row.extra))
        shapes.append(
            format_html(
                '<text class="chart-note" x="{}" y="{}">{}</text>',
                _n(end + 6),
                y + 16,
                row.note or row.value,
            )  # fmt: skip
        )
        parts.append(
            format_html(
                "<g><title>{}: {}</title>{}</g>",
                row.label,
                row.note or row.value,
                SafeString("".join(shapes)),
            )
        )
    return _frame(
        chart_id, width, height, title, description, SafeString("".join(parts))
    )


def _rect(css_class: str, x: float, y: float, width: float) -> SafeString:
    return format_html(
        '<rect class="{}" x="{}" y="{}" width="{}" height="16"/>',
        css_class,
        _n(x),
        y,
        _n(width),
    )


def _n(value: float) -> str:
    """A coordinate with one decimal: enough on a 640-unit canvas."""
    return f"{value:.1f}"
