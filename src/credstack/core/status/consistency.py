"""Whether a status list's bitmap of given-out indexes agrees with the credentials that hold
them (what ``credstack doctor`` checks), and the bitmap the credentials call for (what it
repairs to).

The bitmap must mark exactly the indexes the stored credentials hold: an index held but not
marked could be given out again (a second credential with the same status), an index marked
but held by no credential is lost for good. The credentials are the truth; the bitmap is
derived from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ListConsistency", "bitmap_of", "check_allocation", "marked_indexes"]


@dataclass(frozen=True, slots=True)
class ListConsistency:
    """One list compared with its credentials."""

    organisation: str
    number: int
    size: int
    #: The list's recorded count of given-out indexes.
    recorded_used: int
    #: How many distinct indexes the credentials hold.
    held: int
    #: Indexes a credential holds that the bitmap does not mark.
    unmarked: tuple[int, ...]
    #: Indexes the bitmap marks that no credential holds.
    unheld: tuple[int, ...]
    #: Indexes credentials hold beyond the list's size (a repair cannot mark them).
    outside: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return not (self.unmarked or self.unheld or self.outside) \
            and self.recorded_used == self.held

    @property
    def repairable(self) -> bool:
        return not self.outside


def marked_indexes(bitmap: bytes) -> frozenset[int]:
    """The indexes marked in ``bitmap`` (bit 0 is the most significant bit of byte 0)."""
    return frozenset(byte_index * 8 + bit for byte_index, byte in enumerate(bitmap) if byte
                     for bit in range(8) if byte & (0x80 >> bit))


def bitmap_of(size: int, held: Iterable[int]) -> bytes:
    """The bitmap of a list of ``size`` indexes that marks ``held`` (each below ``size``)."""
    bitmap = bytearray(size // 8)
    for index in held:
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a list of {size}")
        bitmap[index >> 3] |= 0x80 >> (index & 7)
    return bytes(bitmap)


def check_allocation(*, organisation: str, number: int, size: int, allocated: bytes,
                     recorded_used: int, held: Iterable[int]) -> ListConsistency:
    """Compare a list's bitmap and count with the indexes its credentials hold."""
    holding = frozenset(held)
    marked = marked_indexes(allocated)
    inside = frozenset(index for index in holding if 0 <= index < size)
    return ListConsistency(
        organisation=organisation, number=number, size=size, recorded_used=recorded_used,
        held=len(holding), unmarked=tuple(sorted(inside - marked)),
        unheld=tuple(sorted(marked - holding)), outside=tuple(sorted(holding - inside)))
