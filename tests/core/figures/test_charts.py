"""The SVG bar chart: accessible name and description, one bar per month in proportion, the
same numbers as rows, escaped words, an axis even when nothing happened."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from credstack.core.figures import Month, bar_chart, monthly_series

_SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_is_an_image_named_and_described() -> None:
    """role=img, labelled by its own title and description, which carry the caller's words."""
    chart = bar_chart(
        monthly_series("issued", "Issued", {}, first=Month(2026, 1), last=Month(2026, 2)),
        title="Credentials issued",
        description="Per month, 2026",
    )
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "figure-issued-title figure-issued-desc"
    assert root.find(f"{_SVG}title").text == "Credentials issued"  # type: ignore[union-attr]
    assert root.find(f"{_SVG}desc").text == "Per month, 2026"  # type: ignore[union-attr]
    assert "style=" not in chart.svg


def test_one_bar_per_month_in_proportion_with_its_count_as_a_tooltip() -> None:
    """Bars' heights follow the counts; each bar's title says the month and the count."""
    chart = bar_chart(
        monthly_series(
            "issued",
            "Issued",
            {Month(2026, 1): 10, Month(2026, 2): 20, Month(2026, 4): 1234},
            first=Month(2026, 1),
            last=Month(2026, 4),
        ),
        title="t",
        description="d",
        month_label=lambda m: f"{m.year}年{m.month}月",
    )
    bars = ET.fromstring(chart.svg).findall(f"{_SVG}rect")
    assert len(bars) == 4
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[2] == 0.0
    assert abs(heights[1] - 2 * heights[0]) < 0.2
    assert max(heights) == heights[3]
    assert [bar.find(f"{_SVG}title").text for bar in bars] == [  # type: ignore[union-attr]
        "2026年1月: 10",
        "2026年2月: 20",
        "2026年3月: 0",
        "2026年4月: 1,234",
    ]


def test_the_rows_hold_the_same_numbers_as_the_bars() -> None:
    """The table beside the chart reads what the chart draws, and the total."""
    chart = bar_chart(
        monthly_series(
            "claimed", "Claimed", {Month(2026, 3): 7}, first=Month(2026, 2), last=Month(2026, 3)
        ),
        title="t",
        description="d",
    )
    assert [(row.label, row.count) for row in chart.rows] == [("2026-02", 0), ("2026-03", 7)]
    assert chart.total == 7


def test_words_are_escaped() -> None:
    """A title or month label with markup stays text; the SVG still parses."""
    chart = bar_chart(
        monthly_series("issued", "x", {}, first=Month(2026, 1), last=Month(2026, 1)),
        title="<script>alert(1)</script>",
        description="a & b",
        month_label=lambda _: "<b>",
    )
    assert "<script>" not in chart.svg and "<b>" not in chart.svg
    ET.fromstring(chart.svg)


def test_an_empty_chart_still_has_an_axis_and_many_months_keep_labels_readable() -> None:
    """All zeros: bars of no height under an axis from 0; 36 months: at most 12 labels."""
    chart = bar_chart(
        monthly_series("issued", "x", {}, first=Month(2024, 1), last=Month(2026, 12)),
        title="t",
        description="d",
        id_prefix="org",
    )
    root = ET.fromstring(chart.svg)
    assert root.get("id") == "org-issued"
    assert all(float(bar.get("height", "1")) == 0.0 for bar in root.findall(f"{_SVG}rect"))
    classes = [(t.get("class") or "").split() for t in root.findall(f"{_SVG}text")]
    months = [kind for kind in classes if "figure-month" in kind]
    # A wide chart draws at most 12 labels; a narrow one, fewer (their CSS shows one set).
    wide = [kind for kind in months if "figure-month--narrow" not in kind]
    narrow = [kind for kind in months if "figure-month--wide" not in kind]
    assert 1 < len(narrow) < len(wide) <= 12
    ticks = [t.text for t in root.findall(f"{_SVG}text") if t.get("class") == "figure-tick"]
    assert ticks[0] == "0"
