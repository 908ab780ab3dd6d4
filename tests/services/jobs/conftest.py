"""A store with an issuing organisation, its people, and a job queue the tests empty
themselves (:class:`~credstack.testing.RecordingQueue`), on a clock the tests move."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.access import Membership, Principal, Role
from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.jobs import runner
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs, RecordingQueue
from tests.accounts import add_issuer, add_programme, add_user
from tests.conftest import Clock

SLUG = "hokuto-tech"
OPERATOR = Operator("tester")


@dataclass
class World:
    runtime: Runtime
    queue: RecordingQueue
    clock: Clock
    settings: Settings
    programme: int

    def person(self, email: str, *roles: tuple[str | None, str]) -> ActingAs:
        """A user with ``roles``, acting as on the web."""
        user_id = add_user(self.settings, email, roles=roles)
        return ActingAs(Principal(
            subject=f"user:{user_id}", user_id=user_id, email=email,
            memberships=frozenset(Membership(slug or "*", Role(role)) for slug, role in roles)))

    def run_queued(self) -> list[str | None]:
        """Run every job sent to the queue since the last call, as a worker would."""
        return [runner.run(self.runtime, public_id) for public_id in self.queue.take()]


def cohort_csv(count: int, *, start: int = 0) -> str:
    rows = "".join(f"learner{i}@example.jp,Learner {i}\n" for i in range(start, start + count))
    return f"email,name.en\n{rows}"


def cohort_payload(programme: int, count: int, **changes: object) -> dict[str, object]:
    return {"programme_id": programme, "version": None, "batch": "2026-spring",
            "securing": "eddsa-rdfc-2022", "language": "en",
            "cohort_csv": cohort_csv(count), "chunk_size": 4, **changes}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    settings = dataclasses.replace(Settings.from_env(data_dir=tmp_path, database_url=""),
                                   secret_key=new_master_key_text())
    clock = Clock()
    with open_runtime(settings=settings, clock=clock) as opened:
        with opened.transaction() as session:
            add_issuer(session, now=clock(), secret=opened.key())
            programme = add_programme(session, now=clock(), publish=True)
        queue = RecordingQueue()
        yield World(dataclasses.replace(opened, jobs=queue), queue, clock, settings, programme)
