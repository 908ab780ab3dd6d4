"""Index allocation (§2.1 statusListIndex, §6.5): random, unused indexes, so an index tells
nothing of the order of issuance."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from random import Random

from credstack.core.status.bitstring_status_list_v1.bitstring import (
    _MALFORMED_LIST,
    MINIMUM_ENTRIES,
    _error,
    _is_int,
)


@dataclass(frozen=True, slots=True)
class Allocation:
    """Indexes picked in one list, and how many requested ones did not fit."""

    indexes: tuple[int, ...]
    #: How many of the requested indexes this list could not give: allocate them in a new list.
    shortfall: int
    #: Free indexes left in the list after this allocation.
    free: int

    @property
    def list_full(self) -> bool:
        """No index is left: the next credential needs a new list."""
        return self.free == 0


def next_free_indexes(
    used: AbstractSet[int],
    *,
    count: int,
    size: int = MINIMUM_ENTRIES,
    rng: Random,
) -> Allocation:
    """Pick up to ``count`` unused indexes of a list of ``size`` entries, at random.

    The specification asks for random assignment (§2.1, §6.5) so that an index reveals
    neither when a credential was issued nor how many were. ``used`` is a set of the indexes
    already given out; ``rng`` is injected: ``random.Random(seed)`` makes a run repeatable,
    ``random.SystemRandom()`` makes the order unpredictable. When the list cannot hold them
    all, :attr:`Allocation.shortfall` says how many to take from a new list.
    """
    if not _is_int(count) or count < 0:
        raise _error(_MALFORMED_LIST, "count", "not_negative", value=repr(count))
    if not _is_int(size) or size < 1:
        raise _error(_MALFORMED_LIST, "size", "positive_integer", value=repr(size))
    if used and (min(used) < 0 or max(used) >= size):
        raise _error(_MALFORMED_LIST, "used", "used_outside", size=f"{size:,}")
    free = size - len(used)
    take = min(count, free)
    picked: list[int]
    if take == 0:
        picked = []
    elif (len(used) + take) * 2 <= size:
        # Sparse: draw and redraw on a collision (at most two draws per index on average).
        chosen: set[int] = set()
        picked = []
        draw = rng.randrange
        while len(picked) < take:
            index = draw(size)
            if index not in used and index not in chosen:
                chosen.add(index)
                picked.append(index)
    else:
        # Dense: list what is free and sample from it.
        picked = rng.sample([i for i in range(size) if i not in used], take)
    return Allocation(indexes=tuple(picked), shortfall=count - take, free=free - take)


def allocate_in_bitmap(
    allocated: bytearray,
    *,
    count: int,
    rng: Random,
) -> Allocation:
    """Pick up to ``count`` unused indexes at random and mark them in ``allocated``.

    ``allocated`` holds one bit per index of the list (bit 0 is the most significant bit of
    byte 0, as in the lists themselves), set for every index already given out; it is
    changed in place. The same picking as :func:`next_free_indexes`, without building a set
    of the used indexes: a stored list keeps its allocations as such a bitmap, and reading
    100,000 of them into a set for every credential issued would cost more than the
    signature.
    """
    if not _is_int(count) or count < 0:
        raise _error(_MALFORMED_LIST, "count", "not_negative", value=repr(count))
    size = len(allocated) * 8
    if size < 1:
        raise _error(_MALFORMED_LIST, "allocated", "bitmap_empty")
    used = int.from_bytes(allocated).bit_count()
    free = size - used
    take = min(count, free)
    picked: list[int] = []
    if take and (used + take) * 2 <= size:
        # Sparse: draw and redraw on a collision (at most two draws per index on average).
        draw = rng.randrange
        while len(picked) < take:
            index = draw(size)
            mask = 0x80 >> (index & 7)
            if not allocated[index >> 3] & mask:
                allocated[index >> 3] |= mask
                picked.append(index)
    elif take:
        # Dense: list what is free (skipping full bytes) and sample from it.
        candidates = [
            byte_index * 8 + bit
            for byte_index, byte in enumerate(allocated) if byte != 0xFF
            for bit in range(8) if not byte & (0x80 >> bit)
        ]
        picked = rng.sample(candidates, take)
        for index in picked:
            allocated[index >> 3] |= 0x80 >> (index & 7)
    return Allocation(indexes=tuple(picked), shortfall=count - take, free=free - take)


def take_in_bitmap(allocated: bytearray, indexes: Iterable[int]) -> bool:
    """Mark exactly ``indexes`` in ``allocated`` (the bitmap :func:`allocate_in_bitmap`
    keeps) if every one is inside it, free and named once; else change nothing and say so.
    Indexes drawn from a copy of the bitmap earlier are taken this way once the copy may
    have gone stale."""
    marked = bytearray(allocated)
    size = len(marked) * 8
    for index in indexes:
        mask = 0x80 >> (index & 7)
        if not 0 <= index < size or marked[index >> 3] & mask:
            return False
        marked[index >> 3] |= mask
    allocated[:] = marked
    return True

