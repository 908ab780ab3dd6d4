"""When learners are reminded and told of an expiry coming, and the settings' form."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from credstack.core.activity.notices import (
    NoticeSettings,
    expiry_due,
    read_days,
    reminder_due,
    valid_until_of,
)
from credstack.errors import InputError

NOW = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)


def test_the_form_reads_days_and_empty_fields_mean_none() -> None:
    """``3`` and ``7, 30`` are kept (largest first); empty fields send nothing."""
    assert read_days(reminder="3", expiry="7, 30") == NoticeSettings(3, (30, 7))
    assert read_days(reminder="", expiry="") == NoticeSettings(None, ())


@pytest.mark.parametrize(("reminder", "expiry", "field"), [
    ("0", "30", "claim_reminder_days"), ("x", "30", "claim_reminder_days"),
    ("3", "30, soon", "expiry_days"), ("3", "400", "expiry_days")])
def test_days_out_of_range_are_refused_naming_the_field(reminder: str, expiry: str,
                                                        field: str) -> None:
    with pytest.raises(InputError) as refused:
        read_days(reminder=reminder, expiry=expiry)
    assert refused.value.problems[0].location == field


def test_a_reminder_is_due_n_days_after_issuance() -> None:
    issued = NOW - dt.timedelta(days=3)
    assert reminder_due(issued_at=issued, now=NOW, days=3)
    assert not reminder_due(issued_at=issued, now=NOW, days=4)
    assert not reminder_due(issued_at=issued, now=NOW, days=None)


def test_the_nearest_expiry_notice_reached_is_due_and_none_after_expiry() -> None:
    """30 days before: the 30-day notice; 5 days before: the 7-day one (a late run sends
    one, the nearest); expired: none."""
    days = (30, 7)
    assert expiry_due(valid_until=NOW + dt.timedelta(days=20), now=NOW, days=days) == 30
    assert expiry_due(valid_until=NOW + dt.timedelta(days=5), now=NOW, days=days) == 7
    assert expiry_due(valid_until=NOW + dt.timedelta(days=60), now=NOW, days=days) is None
    assert expiry_due(valid_until=NOW - dt.timedelta(days=1), now=NOW, days=days) is None


def test_the_end_of_validity_is_read_from_json_and_vc_jwt() -> None:
    """``validUntil``, ``expirationDate``, and a JWT's ``exp``."""
    assert valid_until_of(json.dumps({"validUntil": "2027-01-01T00:00:00Z"})) == \
        dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert valid_until_of(json.dumps({"expirationDate": "2027-01-01T00:00:00Z"})) == \
        dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    jwt = "e30." + "eyJleHAiOjE3OTg3NjE2MDB9" + ".sig"  # {"exp":1798761600}
    assert valid_until_of(jwt) == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert valid_until_of("{}") is None and valid_until_of("not a credential") is None
