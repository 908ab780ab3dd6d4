"""Figures as people read them: a series of monthly counts drawn as an accessible SVG bar chart
(server-rendered, readable without JavaScript) with the same numbers as a table beside it, and
written as CSV.

A page builds one :class:`Series` per figure with :func:`monthly_series` (months without events
count zero), draws it with :func:`bar_chart` and shows ``chart.svg`` beside a table of
``chart.rows``; the CSV of several series over the same months is :func:`series_csv`. Pure: the
caller passes the months, the counts and every word the reader sees (in their language).
"""

from credstack.core.figures.charts import Chart, ChartRow, bar_chart
from credstack.core.figures.csv import series_csv, table_csv
from credstack.core.figures.glance import Glance, Trend, glance, glance_of_days
from credstack.core.figures.series import Month, Series, month_range, monthly_series

__all__ = [
    "Chart",
    "ChartRow",
    "Glance",
    "Month",
    "Series",
    "Trend",
    "bar_chart",
    "glance",
    "glance_of_days",
    "month_range",
    "monthly_series",
    "series_csv",
    "table_csv",
]
