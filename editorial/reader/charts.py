"""A small line chart of a numeric infobox field across its approved values (killed over time, say).

Only numbers are made here: the coordinates of each point and of the line.
Every word (the value, who wrote it, the date) reaches the SVG through the
template, which escapes it like any other text. "The number in a value" is
read by the consistency rules' own figure parser, so that "13 killed, 5
injured" charts the 13 killed, as the rules read it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..rules.text.figures import parse_figures

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 18, 22  # room for the axis labels and the number over the top point
INSET = 14  # the first and last points stand clear of the axis, so their numbers do not touch its labels
PREFERRED_LABEL = "killed"


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    number: int
    entry: object  # the timeline entry it stands for (its value, revision and date, for the tooltip)


@dataclass(frozen=True)
class Chart:
    label: str  # what is counted: "killed", "wounded", "vehicle captured"
    points: tuple[ChartPoint, ...]
    top: int  # the number at the top of the axis
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        """The line's points, as a step line: a value holds until the next one replaces it."""
        corners = []
        for point, following in zip(self.points, self.points[1:] + (None,)):
            corners.append((point.x, point.y))
            if following is not None:
                corners.append((following.x, point.y))
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)

    @property
    def axis_bottom(self) -> int:
        return HEIGHT - BOTTOM

    @property
    def axis_left(self) -> int:
        return LEFT

    @property
    def axis_right(self) -> int:
        return WIDTH - RIGHT

    @property
    def top_y(self) -> int:
        return TOP


def _counts(value: str) -> dict[str, int]:
    """The first count of each kind of figure the value gives ("killed": 13, "wounded": 5)."""
    counts: dict[str, int] = {}
    for figure in parse_figures(value):
        if figure.kind is None:  # "About 50 militants", a date: not a count of anything the chart can name
            continue
        number = figure.quantity.nominal if figure.quantity.nominal is not None else figure.quantity.low
        counts.setdefault(figure.label, number)
    return counts


def field_chart(entries: Sequence) -> Chart | None:
    """The chart of a field's timeline (entries with `value`), or None when its values hold no counts.

    It follows one kind of figure: "killed" when any value gives it, else
    the one most values give. Points are spaced by publication order, not
    by time, so that edits made in one afternoon stay readable.
    """
    counted = [(entry, _counts(entry.value)) for entry in entries if entry.value is not None]
    labels = Counter(label for _entry, counts in counted for label in counts)
    if not labels:
        return None
    label = PREFERRED_LABEL if PREFERRED_LABEL in labels else labels.most_common(1)[0][0]
    series = [(entry, counts[label]) for entry, counts in counted if label in counts]
    top = max(number for _entry, number in series) or 1
    span_x = WIDTH - LEFT - RIGHT - 2 * INSET
    span_y = HEIGHT - TOP - BOTTOM
    step = span_x / (len(series) - 1) if len(series) > 1 else 0
    points = tuple(
        ChartPoint(
            x=LEFT + INSET + (index * step if len(series) > 1 else span_x / 2),
            y=TOP + span_y * (1 - number / top),
            number=number,
            entry=entry,
        )
        for index, (entry, number) in enumerate(series)
    )
    return Chart(label=label, points=points, top=top)
