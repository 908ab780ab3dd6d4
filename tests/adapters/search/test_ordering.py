"""Sort orders: pages of a bitmap in key order, after a key, against sorting everything."""

from __future__ import annotations

import random

import pytest
from pyroaring import BitMap

from credstack.adapters.search.ordering import (
    BLOCK,
    MISSING,
    SMALL_RESULT,
    SortOrder,
    composite,
    document_of,
    newest_first,
)


def _expected(values: list[int], result: BitMap, after: int | None, count: int) -> list[int]:
    keys = sorted(composite(values[d], d) for d in result)
    if after is not None:
        keys = [k for k in keys if k > after]
    return keys[:count]


def _walk(order: SortOrder, result: BitMap, count: int) -> list[int]:
    found: list[int] = []
    after = None
    while True:
        page = order.page(result, after=after, count=count)
        found.extend(page)
        if len(page) < count:
            return found
        after = page[-1]


@pytest.mark.parametrize("density", [0.0005, 0.003, 0.05, 0.4, 1.0])
@pytest.mark.parametrize("values_kind", ["few", "many", "clustered"])
def test_pages_equal_a_full_sort(density: float, values_kind: str) -> None:
    """Small and large results, few or many distinct values, results that sit at the far
    end of the order: every page is the next keys of a full sort."""
    rng = random.Random(f"{density}-{values_kind}")
    size = 3 * BLOCK + 17
    if values_kind == "few":
        values = [rng.choice([5, 10, 20, MISSING]) for _ in range(size)]
    elif values_kind == "many":
        values = [rng.randrange(1_000_000) for _ in range(size)]
    else:
        values = list(range(size))
    order = SortOrder.build(values)
    if values_kind == "clustered":
        result = BitMap(d for d in range(size) if d > size * 0.9 and rng.random() < density)
    else:
        result = BitMap(d for d in range(size) if rng.random() < density)
    expected = _expected(values, result, None, len(result))
    assert _walk(order, result, 25) == expected


def test_a_large_result_at_the_far_end_of_the_order_is_found_by_skipping_blocks() -> None:
    """More than SMALL_RESULT documents, all at the end: blocks are skipped, not walked."""
    size = 8 * BLOCK
    values = list(range(size))
    order = SortOrder.build(values)
    result = BitMap(range(size - SMALL_RESULT - 500, size))
    assert len(result) > SMALL_RESULT
    assert order.page(result, after=None, count=3) == _expected(values, result, None, 3)
    sparse = BitMap(range(size - 3 * BLOCK, size, 2))
    assert _walk(order, sparse, 100) == _expected(values, sparse, None, len(sparse))


def test_equal_values_list_the_newest_document_first() -> None:
    """Ties are broken by document number, highest first."""
    order = SortOrder.build([7, 7, 7, 3])
    keys = order.page(BitMap(range(4)), after=None, count=4)
    assert [document_of(key) for key in keys] == [3, 2, 1, 0]


def test_documents_added_later_take_their_place() -> None:
    """A new document lands in order, block boundaries move, pages stay right."""
    rng = random.Random(3)
    values = [rng.randrange(100) for _ in range(2 * BLOCK + 5)]
    order = SortOrder.build(values)
    for _ in range(300):
        value = rng.choice([0, 50, 99, 100, MISSING, rng.randrange(100)])
        order.add(len(values), value)
        values.append(value)
    result = BitMap(d for d in range(len(values)) if rng.random() < 0.7)
    assert _walk(order, result, 40) == _expected(values, result, None, len(result))
    with pytest.raises(ValueError, match="number order"):
        order.add(5, 1)


def test_an_empty_order_takes_documents() -> None:
    """The order of an empty index grows from nothing."""
    order = SortOrder.build([])
    for number, value in enumerate([3, 1, 2]):
        order.add(number, value)
    assert [document_of(k) for k in order.page(BitMap([0, 1, 2]), after=None, count=5)] == [
        1, 2, 0]


def test_newest_first_counts_down_from_a_position() -> None:
    """Members below ``before``, highest first."""
    result = BitMap([1, 4, 9, 16, 25])
    assert newest_first(result, before=None, count=3) == [25, 16, 9]
    assert newest_first(result, before=16, count=10) == [9, 4, 1]
    assert newest_first(result, before=1, count=10) == []
    assert newest_first(result, before=0, count=10) == []
