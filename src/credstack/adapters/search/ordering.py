"""Result orders: the first hits of a bitmap of results in some order, after a position.

**Document numbers are in publication order** (the oldest published version is 0; a newly
published version gets the next number), so *newest first* is simply the bitmap's members
from the top: the page after document ``d`` is found with one ``rank`` and a few ``select``
calls, however deep. Relevance is the same order within two groups: hits with every query
term in the title, then the others.

Other sorts (title, effort, credits) use a :class:`SortOrder`: every document has a
*composite key* — its sort value in the high 32 bits, its document number inverted in the low
32, so that equal values list the newest first and every key is unique — and the documents in
key order are cut into blocks of :data:`BLOCK` positions, each kept as a bitmap. A page is
found by skipping whole blocks that share nothing with the result (one C call each) and
reading the first blocks that do; so neither a broad result (found in the first block or two)
nor a narrow one clustered at the far end of the order (found after a few hundred skips)
walks the permutation one document at a time. A result of at most :data:`SMALL_RESULT`
documents is simply sorted. The keyset position of a page is the last hit's composite key.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Final

from pyroaring import BitMap

__all__ = [
    "BLOCK",
    "MISSING",
    "SMALL_RESULT",
    "SortOrder",
    "composite",
    "document_of",
    "newest_first",
]

#: The sort value of a document that lacks it: after every real value.
MISSING: Final = 0xFFFF_FFFF
_LOW: Final = 0xFFFF_FFFF
#: Positions per block of a sort order.
BLOCK: Final = 2048
#: Results up to this size are sorted directly rather than found block by block.
SMALL_RESULT: Final = 2048
#: Above this share of a block's documents in the result, the block is read in order
#: rather than its members sorted.
_DENSE_BLOCK: Final = 0.2


def composite(value: int, document: int) -> int:
    """The key ``document`` sorts by: ``value`` first, then the newest (highest number) first."""
    return (value << 32) | (_LOW - document)


def document_of(key: int) -> int:
    return _LOW - (key & _LOW)


def newest_first(result: BitMap, *, before: int | None, count: int) -> list[int]:
    """Up to ``count`` members of ``result`` below ``before`` (all, if None), highest first."""
    if before is None:
        end = len(result)
    elif before <= 0:
        return []
    else:
        end = result.rank(before - 1)
    return [result[index] for index in range(end - 1, max(end - count, 0) - 1, -1)]


class SortOrder:
    """One sort over every document: keys by document number, documents in key order, and
    the blocks of that order as bitmaps."""

    __slots__ = ("_block_starts", "_blocks", "keys", "order")

    def __init__(self, keys: array[int], order: array[int], block_starts: list[int],
                 blocks: list[BitMap]) -> None:
        #: Composite key of each document, by document number.
        self.keys = keys
        #: Document numbers in key order.
        self.order = order
        self._block_starts = block_starts
        self._blocks = blocks

    @classmethod
    def build(cls, values: Iterable[int]) -> SortOrder:
        """The order of documents ``0, 1, …`` whose sort values are ``values``."""
        keys = array("Q", (composite(value, document) for document, value in enumerate(values)))
        order = array("I", (document_of(key) for key in sorted(keys)))
        starts = list(range(0, len(order), BLOCK))
        blocks = [BitMap(order[start:start + BLOCK]) for start in starts]
        for block in blocks:
            block.run_optimize()
        return cls(keys, order, starts, blocks)

    @classmethod
    def restore(cls, keys: array[int], order: array[int], block_starts: Sequence[int]
                ) -> SortOrder:
        """An order read back from disk (its blocks are rebuilt from the order)."""
        starts = list(block_starts)
        ends = [*starts[1:], len(order)]
        blocks = [BitMap(order[start:end]) for start, end in zip(starts, ends, strict=True)]
        return cls(keys, order, starts, blocks)

    @property
    def block_starts(self) -> list[int]:
        return self._block_starts

    def add(self, document: int, value: int) -> None:
        """Place a new document (numbered after every existing one) in the order."""
        if document != len(self.keys):
            raise ValueError(f"documents are added in number order: expected "
                             f"{len(self.keys)}, got {document}")
        key = composite(value, document)
        self.keys.append(key)
        position = bisect_left(self.order, key, key=self.keys.__getitem__)
        self.order.insert(position, document)
        if not self._blocks:
            self._block_starts.append(0)
            self._blocks.append(BitMap([document]))
            return
        # The block whose range holds the position; the blocks after it start one later.
        block = bisect_right(self._block_starts, position) - 1
        self._blocks[block].add(document)
        for later in range(block + 1, len(self._block_starts)):
            self._block_starts[later] += 1

    def page(self, result: BitMap, *, after: int | None, count: int) -> list[int]:
        """The composite keys of up to ``count`` members of ``result`` after key ``after``."""
        if not result:
            return []
        keys = self.keys
        if len(result) <= SMALL_RESULT:
            ordered = sorted(map(keys.__getitem__, result))
            start = 0 if after is None else bisect_right(ordered, after)
            return ordered[start:start + count]
        position = 0 if after is None else bisect_right(self.order, after,
                                                        key=keys.__getitem__)
        block = max(bisect_right(self._block_starts, position) - 1, 0)
        found: list[int] = []
        blocks, starts, order = self._blocks, self._block_starts, self.order
        while block < len(blocks) and len(found) < count:
            members = blocks[block]
            if result.intersect(members):
                start = max(starts[block], position)
                end = starts[block + 1] if block + 1 < len(starts) else len(order)
                inside = result & members
                if len(inside) > _DENSE_BLOCK * len(members):
                    for index in range(start, end):
                        document = order[index]
                        if document in result:
                            found.append(keys[document])
                            if len(found) == count:
                                break
                else:
                    chosen = sorted(map(keys.__getitem__, inside))
                    if after is not None:
                        chosen = chosen[bisect_right(chosen, after):]
                    found.extend(chosen[:count - len(found)])
            block += 1
        return found
