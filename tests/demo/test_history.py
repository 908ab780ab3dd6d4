"""The demo's history: six months of cohorts before this one, issued, claimed, shared and
verified through the services on those months' dates; made once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from credstack.adapters.db.tables import IssuedCredentialRow, WalletShareRow
from credstack.demo.history import CLAIMED, COHORTS, DemoHistory, prepare_demo_history
from credstack.entrypoints.bootstrap import open_runtime
from tests.accounts import store_session
from tests.demo_store import demo_store


def _months(moments: list[dt.datetime]) -> Counter[str]:
    return Counter(moment.strftime("%Y-%m") for moment in moments)


def test_each_past_month_has_its_cohort_and_the_history_is_made_once(tmp_path: Path) -> None:
    """Each of the six months before this one holds its cohort's credentials and its
    claimers' shares, dated in that month; preparing it again changes nothing."""
    settings, _ = demo_store(tmp_path, history=True)
    with store_session(settings) as session:
        issued = _months(list(session.scalars(select(IssuedCredentialRow.issued_at))))
        shared = _months(list(session.scalars(select(WalletShareRow.created_at))))
    this = dt.datetime.now(dt.UTC).date().replace(day=1)
    past = []
    for _ in COHORTS:
        this = (this - dt.timedelta(days=1)).replace(day=1)
        past.append(this.strftime("%Y-%m"))
    assert [issued[month] for month in reversed(past)] == list(COHORTS)
    assert [shared[month] for month in reversed(past)] == list(CLAIMED)
    with open_runtime(settings=settings) as runtime:
        assert prepare_demo_history(runtime) == DemoHistory(0, 0, 0, 0)
    with store_session(settings) as session:
        assert _months(list(session.scalars(select(IssuedCredentialRow.issued_at)))) == issued
