"""An organisation's figures per month as rows and CSV."""

from __future__ import annotations

from credstack.core.activity.events import Kind
from credstack.core.activity.figures import figures_csv, month_rows, month_series


def test_counts_become_one_row_per_month_oldest_first_and_csv_with_every_kind() -> None:
    """Months without events between count zero; unknown kinds are left out."""
    rows = month_rows([("2026-11", "claimed", 3), ("2026-09", "issued", 10),
                       ("2026-11", "issued", 5), ("2026-11", "unknown", 9)])
    assert [row.month for row in rows] == ["2026-09", "2026-10", "2026-11"]
    assert rows[2][Kind.CLAIMED] == 3 and rows[2][Kind.VERIFIED] == 0
    assert figures_csv(rows).splitlines() == [
        "month,issued,mailed,opened,claimed,shared,verified",
        "2026-09,10,0,0,0,0,0", "2026-10,0,0,0,0,0,0", "2026-11,5,0,0,3,0,0"]
    series = month_series(rows, labels={Kind.CLAIMED: "Claimed"})
    assert [one.key for one in series] == [kind.value for kind in Kind]
    assert series[3].label == "Claimed" and series[3].total == 3


def test_no_counts_give_no_rows_and_a_header_only_csv() -> None:
    assert month_rows([]) == [] and month_series([]) == []
    assert figures_csv([]).splitlines() == [
        "month,issued,mailed,opened,claimed,shared,verified"]
