"""One page of the timeline is the record's page: the same credentials in the same order, the
same count, totals, tags and wallet size as reading the whole record, on SQLite and
PostgreSQL, filtered or not; a page past the last is the last."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from credstack.services.wallet import credentials as wallet
from credstack.services.wallet.timeline import PAGE_SIZE, timeline
from credstack.settings import Settings
from tests.services.wallet.wallets import Wallets, wallet_runtime
from tests.signed_credentials import sign, unsigned

#: Enough for two pages, issued on days that repeat (ties keep the record's order).
HELD = PAGE_SIZE + 7


@pytest.fixture
def wallets(settings: Settings, tmp_path: Path) -> Iterator[Wallets]:
    with wallet_runtime(tmp_path, settings=settings) as found:
        for number in range(HELD):
            document = unsigned()
            document["id"] = f"urn:uuid:{uuid.uuid4()}"
            document["validFrom"] = f"2025-0{1 + number % 9}-0{1 + number % 5}T00:00:00Z"
            if number % 4 == 0:
                document["validUntil"] = "2025-12-31T00:00:00Z"  # expired: does not count
            signed = sign(document, suite="eddsa-jcs-2022")
            if number % 11 == 0:
                signed["name"] = "altered after signing"  # kept, marked: does not count
            item = wallet.import_credential(found.runtime, actor=found.hanako,
                                            data=json.dumps(signed).encode()).item
            if number % 3 == 0:
                wallet.update(found.runtime, actor=found.hanako, public_id=item.public_id,
                              tags=["even" if number % 2 == 0 else "odd", "thirds"])
        yield found


@pytest.mark.parametrize("tag", [None, "thirds", "odd", "nothing-has-this"])
def test_each_page_is_the_records_page(wallets: Wallets, tag: str | None) -> None:
    record = wallet.record(wallets.runtime, actor=wallets.hanako, tag=tag)
    everything = wallet.record(wallets.runtime, actor=wallets.hanako)
    pages = max(1, -(-len(record.items) // PAGE_SIZE))
    for number in range(1, pages + 1):
        page = timeline(wallets.runtime, actor=wallets.hanako, tag=tag, number=number)
        first = (number - 1) * PAGE_SIZE
        assert [item.public_id for item in page.items] == [
            item.public_id for item in record.items[first:first + PAGE_SIZE]]
        assert page.items == record.items[first:first + PAGE_SIZE]
        assert (page.number, page.pages, page.first) == (number, pages, first)
        assert page.count == len(record.items)
        assert page.totals == record.totals
        assert page.held == len(everything.items) == HELD
        assert page.tags == ("even", "odd", "thirds")


def test_the_totals_count_only_what_is_verified_and_not_expired(wallets: Wallets) -> None:
    page = timeline(wallets.runtime, actor=wallets.hanako)
    counted = [number for number in range(HELD) if number % 4 and number % 11]
    assert page.totals.count == len(counted)


@pytest.mark.parametrize("number", [0, 3, 10_000])
def test_a_page_out_of_range_is_the_nearest_page(wallets: Wallets, number: int) -> None:
    page = timeline(wallets.runtime, actor=wallets.hanako, number=number)
    assert page.number == (1 if number < 1 else 2)
    assert len(page.items) == (PAGE_SIZE if number < 1 else HELD - PAGE_SIZE)


def test_an_empty_wallet_has_one_empty_page(wallets: Wallets) -> None:
    page = timeline(wallets.runtime, actor=wallets.taro)
    assert (page.items, page.number, page.pages, page.count, page.held) == ((), 1, 1, 0, 0)
    assert page.totals.count == 0 and page.tags == ()
