"""A series of monthly counts as a bar chart in SVG, drawn on the server.

The chart is an image with a name and a description (``role="img"``, ``aria-labelledby`` its
``<title>`` and ``<desc>``), each bar carries its month and count as a ``<title>`` (a tooltip),
and the same numbers come back as :attr:`Chart.rows` for the table a page shows beside it —
the table, not the picture, is what a screen reader reads. Colours come from the page's CSS
(``fill="currentColor"`` and class names: the CSP forbids inline styles), the size from the
``viewBox``, so the chart fits a phone's width as well as a desk's.

Drawn at a phone's width the picture is about half its size, and so is its text: the page's
CSS then draws the labels at :data:`NARROW_FONT` (a container query on the chart's width),
where fewer month labels fit. Which months have a label at each size is computed here from
the labels' own lengths; a label drawn at one size only is marked ``figure-month--wide`` or
``figure-month--narrow``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Final
from unicodedata import east_asian_width

from credstack.core.figures.series import Month, Series

__all__ = ["NARROW_FONT", "Chart", "ChartRow", "bar_chart"]

_WIDTH: Final = 640
_HEIGHT: Final = 240
_LEFT: Final = 72
_RIGHT: Final = 8
_TOP: Final = 12
_BOTTOM: Final = 40
_MOST_MONTH_LABELS: Final = 12
_TICKS: Final = 4
#: The month labels' size on a wide chart, and on a narrow one (the CSS's, in the chart's
#: own units: at a phone's width, about half of it in CSS pixels).
_WIDE_FONT: Final = 11
NARROW_FONT: Final = 21
#: The room left between two labels, in ems.
_GAP: Final = 0.6


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One line of the table beside a chart: the month, as the reader reads it, and its count."""

    month: Month
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn figure: its series' key, the title and description the reader sees, the SVG
    markup (escaped, safe to put in a page as it is), and the numbers for the table."""

    key: str
    title: str
    description: str
    svg: str
    rows: tuple[ChartRow, ...]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def _nice_top(largest: int) -> tuple[int, int]:
    """The axis' top and step: the step is the smallest 1, 2 or 5 times a power of ten that
    at most :data:`_TICKS` + 1 times over reaches ``largest``, and the top the first multiple
    of it at or above ``largest`` (87: 100 by 20, not 200 by 50) — at least one step, so an
    empty chart still has an axis."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if step * (_TICKS + 1) >= largest:
                return max(-(-largest // step), 1) * step, step
        magnitude *= 10


def _ems(text: str) -> float:
    """About how wide ``text`` is drawn, in ems: a wide (CJK) character one em, another a
    little more than half of one (the sans-serif digits and letters of a month)."""
    return sum(1.0 if east_asian_width(char) in {"W", "F"} else 0.62 for char in text)


def _stride(labels: list[str], slot: float, font: int) -> int:
    """Every how many months a label fits beside the next at ``font``, slots ``slot`` wide."""
    widest = max((_ems(label) for label in labels), default=0.0)
    return max(1, -int(-(widest + _GAP) * font // slot))


def _number(value: int) -> str:
    return f"{value:,}"


def bar_chart(
    series: Series,
    *,
    title: str,
    description: str,
    month_label: Callable[[Month], str] = str,
    id_prefix: str = "figure",
) -> Chart:
    """``series`` as a bar chart titled ``title`` (its accessible name) and described by
    ``description``; ``month_label`` writes a month for the reader (``2026年11月``), and
    ``id_prefix`` keeps the ids apart when a page shows several charts of one series."""
    ident = f"{id_prefix}-{series.key}"
    rows = tuple(ChartRow(month, month_label(month), count) for month, count in series.points)
    top, step = _nice_top(max((row.count for row in rows), default=0))
    plot_width = _WIDTH - _LEFT - _RIGHT
    plot_height = _HEIGHT - _TOP - _BOTTOM
    slot = plot_width / max(len(rows), 1)
    bar_width = max(slot * 0.7, 1.0)
    labels = [row.label for row in rows]
    every = max(-(-len(rows) // _MOST_MONTH_LABELS), _stride(labels, slot, _WIDE_FONT))
    narrow = max(every, _stride(labels, slot, NARROW_FONT))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="figure-chart" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" id="{ident}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for tick in range(top // step + 1):
        value = step * tick
        y = _TOP + plot_height - plot_height * value / top
        parts.append(
            f'<line class="figure-grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-opacity="0.2"/>'
        )
        parts.append(
            f'<text class="figure-tick" x="{_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" font-size="12" fill="currentColor">'
            f"{_number(value)}</text>"
        )
    for index, row in enumerate(rows):
        height = plot_height * row.count / top
        x = _LEFT + slot * index + (slot - bar_width) / 2
        y = _TOP + plot_height - height
        parts.append(
            f'<rect class="figure-bar" x="{x:.1f}" y="{y:.1f}" '
            f'width="{bar_width:.1f}" height="{height:.1f}" fill="currentColor">'
            f"<title>{escape(row.label)}: {_number(row.count)}</title></rect>"
        )
        wide, small = index % every == 0, index % narrow == 0
        if wide or small:
            # Under its bar, but never past the picture's edges at the larger size.
            half = _ems(row.label) * NARROW_FONT / 2
            centre = min(max(x + bar_width / 2, half), _WIDTH - half)
            kind = "figure-month" + ("" if wide and small else
                                     " figure-month--wide" if wide else " figure-month--narrow")
            parts.append(
                f'<text class="{kind}" x="{centre:.1f}" '
                f'y="{_HEIGHT - _BOTTOM + 24}" text-anchor="middle" font-size="{_WIDE_FONT}" '
                f'fill="currentColor">{escape(row.label)}</text>'
            )
    parts.append("</svg>")
    return Chart(series.key, title, description, "".join(parts), rows)
