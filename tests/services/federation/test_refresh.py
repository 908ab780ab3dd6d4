"""The imported registries refreshed before they lapse, by the ``federation.refresh`` job
the worker starts every six hours (run by the real job runner against a federation served on
loopback): read again with their pins and names; a refused refresh keeps what was kept,
recorded on the source with its time and reason, and audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

import credstack.services.background  # noqa: F401 - registers the job kinds
from credstack.adapters.db.tables import AuditEntryRow
from credstack.adapters.jobs import HueyQueue
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.federation.imports import pinned_kids
from credstack.services.background.federation import start_refresh
from credstack.services.background.worker import Worker
from credstack.services.federation import imports, refresh_all
from credstack.services.federation.trust import check_issuer
from credstack.services.jobs import job, run_job
from tests.conftest import Clock
from tests.services.federation import test_imports
from tests.services.federation.test_imports import (
    NOW,
    OPERATOR,
    OWN,
    UM_DID,
    World,
    _garbage,
    _graph,
    _importing,
    _many,
)

#: The federation served on loopback, with a running credstack (:mod:`.test_imports`).
world = test_imports.world

LATER = dt.timedelta(hours=20)


def _clock(world: World) -> Clock:
    clock = world.runtime.clock
    assert isinstance(clock, Clock)
    return clock


def _renewed(world: World, after: dt.timedelta) -> None:
    """The anchor signs its statements again, ``after`` the first import (as it does daily)."""
    world.federation.now = NOW + after
    world.federation._signed.clear()
    _clock(world).advance(seconds=after.total_seconds())


def _refresh(world: World) -> dict[str, Any]:
    public_id = start_refresh(world.runtime, actor=OPERATOR)
    assert run_job(world.runtime, public_id) == "succeeded"
    result = job(world.runtime, actor=OPERATOR, public_id=public_id).result
    assert result is not None
    return result


def test_the_refresh_job_imports_every_source_again_before_it_lapses(world: World) -> None:
    """Imported at NOW (valid a day), refreshed 20 hours later: valid a day from then, so the
    trust check still lists the issuer 30 hours after the first import; the names kept."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                              names={"en": "MQA", "ja": "マレーシア資格機構"})
    _renewed(world, LATER)
    assert _refresh(world) == {"refreshed": [world.anchor], "refused": {}, "skipped": [],
                               "stopped": {}}
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert kept.fetched_at == NOW + LATER and kept.valid_until == NOW + LATER + dt.timedelta(
        days=1)
    assert kept.name == {"en": "MQA", "ja": "マレーシア資格機構"} and len(kept.providers) == 2
    assert kept.refusal is None
    _clock(world).advance(hours=10)
    assert check_issuer(world.runtime, issuer=UM_DID, achievement=None,
                        trusted=OWN).state == "listed"


def test_one_refresh_job_a_period_whoever_starts_it(world: World) -> None:
    first = start_refresh(world.runtime, actor=OPERATOR)
    _clock(world).advance(hours=1)
    assert start_refresh(world.runtime, actor=OPERATOR) == first  # the same six hours
    _clock(world).advance(hours=6)
    assert start_refresh(world.runtime, actor=OPERATOR) != first


def test_a_refused_refresh_keeps_what_was_kept_and_says_why(world: World) -> None:
    """The anchor answering garbage: the providers stay as imported (until their statements
    expire), the refusal is kept on the source with its time and reason and audited; the next
    refresh that succeeds clears it."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    before = imports.sources(world.runtime, with_providers=True)
    _renewed(world, LATER)
    _garbage(world)
    result = _refresh(world)
    assert result["refused"] == {world.anchor: "registry-garbage"}
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert kept.providers == before[0].providers and kept.valid_until == before[0].valid_until
    assert kept.refusal is not None and kept.refusal.at == NOW + LATER
    assert kept.refusal.reason == "registry-garbage" and "not JSON" in kept.refusal.message
    with world.store.sessions() as session:
        [entry] = session.scalars(select(AuditEntryRow).where(
            AuditEntryRow.action == "federation.source.refresh-refused")).all()
    assert entry.actor == "cli:test" and entry.details["reason"] == "registry-garbage"
    world.served.garbage_list = False
    _renewed(world, dt.timedelta(hours=6))  # the next period's job
    assert _refresh(world)["refused"] == {}
    assert imports.sources(world.runtime)[0].refusal is None


def test_a_refresh_holds_the_pinned_keys(world: World) -> None:
    """A pinned source is refreshed with its pin: the anchor signing with another key is
    refused (``unpinned-key``), the pin and the providers kept."""
    pinned = world.federation.jwks(world.anchor)
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor,
                              anchor_jwks=pinned)
    world.federation.keys[world.anchor] = KeyPair.generate(KeyType.P256)
    _renewed(world, LATER)
    assert _refresh(world)["refused"] == {world.anchor: "unpinned-key"}
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert pinned_kids(kept.pinned_jwks) == pinned_kids(pinned) and len(kept.providers) == 2


def test_a_ctdl_graph_read_from_a_file_is_left_as_imported(world: World) -> None:
    """A graph at an address is fetched again; one read from a file has no end of validity
    and is left as it was."""
    imports.import_ctdl(world.runtime, actor=OPERATOR, url="file:///srv/graph.jsonld",
                        document=json.dumps(_graph()).encode())
    world.served.graphs["nz"] = _graph()
    imports.import_ctdl(world.runtime, actor=OPERATOR, url=f"{world.base}/ctdl/nz")
    result = _refresh(world)
    assert result == {"refreshed": [f"{world.base}/ctdl/nz"], "refused": {},
                      "skipped": ["file:///srv/graph.jsonld"], "stopped": {}}


def test_the_worker_starts_the_refresh_every_six_hours(world: World) -> None:
    """The schedule entry ``credstack.federation-refresh`` is due at 06:55 (not 07:55)."""
    Worker(world.runtime)  # its schedule on the runtime's queue; not started
    queue = world.runtime.jobs
    assert isinstance(queue, HueyQueue)

    def due(at: dt.datetime) -> list[str]:
        return [task.name for task in queue.huey.read_periodic(at)
                if task.name == "credstack.federation-refresh"]

    assert due(dt.datetime(2026, 11, 26, 6, 55)) == ["credstack.federation-refresh"]
    assert due(dt.datetime(2026, 11, 26, 7, 55)) == []
    assert due(dt.datetime(2026, 11, 26, 6, 54)) == []


def test_a_refresh_stopped_at_its_limit_keeps_what_it_read_and_says_so(world: World) -> None:
    """The six-hourly refresh walks the list within the same limits as an import."""
    imports.import_federation(world.runtime, actor=OPERATOR, anchor=world.anchor)
    _many(world, 3)
    with _importing(world, federation_subordinates=4) as runtime:
        [done] = refresh_all(runtime, actor=OPERATOR)
    assert (done.stopped, done.listed, done.providers) == ("limit", 5, 4)
    [kept] = imports.sources(world.runtime, with_providers=True)
    assert len(kept.providers) == 4
