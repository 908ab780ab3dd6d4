"""Deposits: a wallet entry with what the credit bank adds to it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from credstack.core.creditbank import DepositKind, deposit_of
from credstack.core.wallet.entries import Entry
from credstack.errors import InputError
from tests.words import words


def test_a_deposit_is_earned_on_the_day_its_credential_was_issued() -> None:
    """Unless told otherwise."""
    entry = Entry(issued=dt.datetime(2025, 3, 31, 23, 0, tzinfo=dt.UTC),
                  levels=(("JEQF", 5), ("JEQF", 6)))
    deposit = deposit_of(entry, id="d", credential="urn:vc:1", kind=DepositKind.MOOC,
                         route="mooc", verified=True)
    assert deposit.earned == dt.date(2025, 3, 31)
    assert deposit.level_in("JEQF") == 6 and deposit.level_in("EQF") is None


def test_a_deposit_without_any_date_is_refused() -> None:
    """Recency and expiry cannot be checked without one."""
    with pytest.raises(InputError) as caught:
        deposit_of(Entry(), id="d", credential="urn:vc:1",
                   kind=DepositKind.WORK_EXPERIENCE, route="work-experience", verified=True)
    assert re.search("no date of issue", words(caught.value))
