"""A status list's allocation bitmap compared with the indexes its credentials hold."""

from __future__ import annotations

import pytest

from credstack.core.status.consistency import bitmap_of, check_allocation, marked_indexes


def test_bitmap_round_trip() -> None:
    """Index 0 is the most significant bit of the first byte; what is marked reads back."""
    bitmap = bitmap_of(16, [0, 7, 9])
    assert bitmap == bytes([0b1000_0001, 0b0100_0000])
    assert marked_indexes(bitmap) == {0, 7, 9}
    with pytest.raises(ValueError, match="outside a list of 16"):
        bitmap_of(16, [16])


def test_agreeing_list() -> None:
    found = check_allocation(organisation="o", number=1, size=16, allocated=bitmap_of(16, [3, 4]),
                             recorded_used=2, held=[4, 3])
    assert found.ok and found.repairable


def test_each_kind_of_disagreement() -> None:
    """Held but unmarked, marked but unheld, held beyond the list, a wrong count."""
    found = check_allocation(organisation="o", number=2, size=16,
                             allocated=bitmap_of(16, [1, 2, 5]), recorded_used=3,
                             held=[2, 3, 4, 20])
    assert (found.unmarked, found.unheld, found.outside, found.held) == ((3, 4), (1, 5), (20,), 4)
    assert not found.ok and not found.repairable
    only_count = check_allocation(organisation="o", number=1, size=16,
                                  allocated=bitmap_of(16, [1]), recorded_used=2, held=[1])
    assert not only_count.ok and only_count.repairable
