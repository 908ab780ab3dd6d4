"""Status indexes drawn in one transaction and taken in a later one (bulk issuance signs a
chunk ahead on them): taken only while every one is still free."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from random import Random

import pytest
from sqlalchemy import select

from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.tables import OrganisationRow, StatusListRow
from credstack.services.runtime import Runtime
from tests.services.issuance.test_credentials import issuing_runtime


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    with issuing_runtime(tmp_path, publish=True) as runtime:
        yield runtime


def _marked(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        row = session.scalars(select(StatusListRow)).one()
        assert row.used == int.from_bytes(row.allocated).bit_count()
        return row.used


def test_drawn_indexes_are_taken_only_while_every_one_is_still_free(runtime: Runtime
                                                                    ) -> None:
    """Drawing marks nothing; claiming takes exactly what was drawn; a claim that finds one
    of its indexes taken since takes nothing; a draw the list cannot hold is none."""
    now = runtime.now()
    with runtime.sessions() as session, session.begin():
        organisation = session.scalars(select(OrganisationRow.id)).first()
        assert organisation is not None
        first = status_lists.allocate(session, organisation_id=organisation, count=2, now=now,
                                      rng=Random(1))
        drawn = status_lists.draw(session, organisation_id=organisation, count=3,
                                  rng=Random(2))
        assert drawn is not None and len({slot.index for slot in drawn}) == 3
        assert not {slot.index for slot in drawn} & {slot.index for slot in first}
        size = session.scalars(select(StatusListRow.size)).one()
        assert status_lists.draw(session, organisation_id=organisation, count=size,
                                 rng=Random(3)) is None
    assert _marked(runtime) == 2
    with runtime.sessions() as session, session.begin():
        assert status_lists.claim(session, organisation_id=organisation, slots=drawn)
    assert _marked(runtime) == 5
    with runtime.sessions() as session, session.begin():
        overlapping = [drawn[0], status_lists.Slot(drawn[0].list_id, drawn[0].number,
                                                   next(index for index in range(size) if
                                                        index not in {s.index for s in
                                                                      (*first, *drawn)}))]
        assert not status_lists.claim(session, organisation_id=organisation,
                                      slots=overlapping[::-1])
    assert _marked(runtime) == 5
