"""Published programmes side by side: every one asked for must be published."""

from __future__ import annotations

import pytest

from credstack.core.descriptors import parse_programme
from credstack.errors import NotFoundError
from credstack.services.programmes import comparison
from credstack.services.programmes import service as programmes
from credstack.services.runtime import Runtime
from tests.helpers import programme
from tests.services.accounts.store import OPERATOR, clock, runtime

__all__ = ["clock", "runtime"]


def _add(runtime: Runtime, code: str, hours: int, *, publish: bool = True) -> int:
    document = programme(code=code, learner_effort={"hours": hours})
    return programmes.create_programme(runtime, actor=OPERATOR, publish=publish,
                                       programme=parse_programme(document)).id


def test_programmes_are_compared_in_the_order_asked(runtime: Runtime) -> None:
    short, long = _add(runtime, "DS-101", 45), _add(runtime, "DS-201", 90)
    compared = comparison.compare_programmes(runtime, ids=[long, short])
    stored, result = compared.complete()
    assert [s.id for s in stored] == [long, short]
    assert compared.missing == ()
    assert result.effort.hours_differ


def test_ids_without_a_published_programme_are_named(runtime: Runtime) -> None:
    """A draft and an unknown id are missing; the rest is kept, in order, uncompared."""
    known = _add(runtime, "DS-101", 45)
    draft = _add(runtime, "DS-DRAFT", 45, publish=False)
    compared = comparison.compare_programmes(runtime, ids=[draft, known, 999])
    assert ([s.id for s in compared.programmes], compared.missing) == ([known], (draft, 999))
    assert compared.comparison is None
    with pytest.raises(NotFoundError, match=f"No published programme with id {draft}, 999") \
            as raised:
        compared.complete()
    assert [p.location for p in raised.value.problems] == ["ids", "ids"]
