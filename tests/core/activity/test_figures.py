"""An organisation's figures per month as rows and CSV."""

from __future__ import annotations

from credstack.core.activity.events import Kind
from credstack.core.activity.figures import figures_csv, month_rows


def test_counts_become_one_row_per_month_oldest_first_and_csv_with_every_kind() -> None:
    rows = month_rows([("2026-11", "claimed", 3), ("2026-10", "issued", 10),
                       ("2026-11", "issued", 5), ("2026-11", "unknown", 9)])
    assert [row.month for row in rows] == ["2026-10", "2026-11"]
    assert rows[1][Kind.CLAIMED] == 3 and rows[1][Kind.VERIFIED] == 0
    assert figures_csv(rows).splitlines() == [
        "month,issued,mailed,opened,claimed,shared,verified",
        "2026-10,10,0,0,0,0,0", "2026-11,5,0,0,3,0,0"]
