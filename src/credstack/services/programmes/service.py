"""Programmes as the API serves them: read as the caller may see them, written by those who
may write them.

Drafts are a provider's work in progress: only an actor who may write the programme (its
organisation's provider admin, or a registry admin) reads them. Everyone else reads the
newest *published* version, as the registry's pages show it, and a draft version is
:class:`~credstack.errors.NotFoundError` as if it did not exist.

Every change is audited once, with the programme as ``programme:<id>`` and its organisation,
code, version, status and what happened (:class:`~credstack.core.programmes.Change`):
``programme.created``; ``programme.updated`` for a replaced draft or a new version;
``programme.published`` when a draft is published as it is. Storing the descriptors a
programme already has changes nothing and writes nothing. A version published here goes into
the runtime's search index when the transaction commits.
"""

from __future__ import annotations

import datetime as dt

from credstack.adapters.db.repositories import programmes as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor, Principal
from credstack.core.descriptors import Programme
from credstack.core.programmes import Change, Status
from credstack.errors import NotFoundError
from credstack.services import audit
from credstack.services.programmes.views import Page, StoredProgramme, StoredVersion
from credstack.services.runtime import Runtime

__all__ = ["create_programme", "get_programme", "get_version", "list_programmes",
           "list_versions", "publish_version", "sees_drafts", "update_programme"]

#: The audit action of each change a write can make.
ACTIONS = {Change.CREATED: "programme.created", Change.NEW_VERSION: "programme.updated",
           Change.DRAFT_REPLACED: "programme.updated", Change.PUBLISHED: "programme.published"}


def sees_drafts(actor: Actor, organisation: str) -> bool:
    """Whether ``actor`` may read the drafts of ``organisation``'s programmes: whoever may
    write them."""
    return actor.allows(Action.PROGRAMME_WRITE, organisation)


# --- reading -------------------------------------------------------------------------------


def list_programmes(runtime: Runtime, *, actor: Actor, organisation: str | None = None,
                    status: Status | None = None, limit: int = 20, after: int | None = None
                    ) -> Page:
    """A page of programmes, by id (keyset): with their newest version for an actor who may
    write ``organisation``'s programmes (every organisation's, when None), else with their
    newest published version (and no drafts at all)."""
    with runtime.transaction() as session:
        if actor.allows(Action.PROGRAMME_WRITE, organisation):
            return store.list_programmes(session, organisation=organisation, status=status,
                                         limit=limit, after=after)
        if status is Status.DRAFT:
            return Page([], 0, None)
        return store.list_published_programmes(session, organisation=organisation,
                                               limit=limit, after=after)


def get_programme(runtime: Runtime, *, actor: Actor, programme_id: int) -> StoredProgramme:
    """The programme with its newest version the actor may see as ``latest``."""
    with runtime.transaction() as session:
        stored = store.get_programme(session, programme_id=programme_id)
        if sees_drafts(actor, stored.organisation_slug):
            return stored
        return store.get_published_programme(session, programme_id=programme_id)


def list_versions(runtime: Runtime, *, actor: Actor, programme_id: int
                  ) -> list[StoredVersion]:
    """Every version of the programme the actor may see, oldest first."""
    with runtime.transaction() as session:
        drafts = sees_drafts(actor, _owner(session, programme_id))
        versions = store.list_versions(session, programme_id=programme_id)
    visible = [v for v in versions if drafts or v.status is Status.PUBLISHED]
    if not visible:
        raise NotFoundError(f"No published programme with id {programme_id}.")
    return visible


def get_version(runtime: Runtime, *, actor: Actor, programme_id: int, version: int
                ) -> StoredVersion:
    """One version of the programme, if the actor may see it."""
    with runtime.transaction() as session:
        found = store.get_version(session, programme_id=programme_id, version=version)
        if found.status is Status.DRAFT and not sees_drafts(actor,
                                                            _owner(session, programme_id)):
            raise NotFoundError(f"Programme {programme_id} has no version {version}.")
    return found


# --- writing -------------------------------------------------------------------------------


def create_programme(runtime: Runtime, *, actor: Actor, programme: Programme, publish: bool
                     ) -> StoredProgramme:
    """Version 1 of a new programme of its awarding organisation, published or a draft."""
    principal = _require_writer(actor, programme)
    now = runtime.now()
    with runtime.transaction() as session:
        stored = store.create_programme(session, programme=programme, publish=publish, now=now)
        _changed(runtime, session, principal, stored, Change.CREATED, version=1,
                 published=publish, now=now)
        return stored


def update_programme(runtime: Runtime, *, actor: Actor, programme_id: int,
                     programme: Programme, publish: bool
                     ) -> tuple[StoredProgramme, Change]:
    """Store new descriptors for the programme: they replace its draft, or become the next
    version after a published one. Its code and awarding body cannot change."""
    now = runtime.now()
    with runtime.transaction() as session:
        _require_owner(actor, session, programme_id)
        principal = _require_writer(actor, programme)
        stored, change = store.update_programme(session, programme_id=programme_id,
                                                programme=programme, publish=publish, now=now)
        _changed(runtime, session, principal, stored, change, version=stored.latest.version,
                 published=publish, now=now)
        return stored, change


def publish_version(runtime: Runtime, *, actor: Actor, programme_id: int, version: int
                    ) -> StoredProgramme:
    """Publish a draft version: it becomes public and immutable."""
    now = runtime.now()
    with runtime.transaction() as session:
        principal = _require_owner(actor, session, programme_id)
        stored = store.publish_version(session, programme_id=programme_id, version=version,
                                       now=now)
        _changed(runtime, session, principal, stored, Change.PUBLISHED, version=version,
                 published=True, now=now)
        return stored


def _changed(runtime: Runtime, session: Session, principal: Principal, stored: StoredProgramme,
             change: Change, *, version: int, published: bool, now: dt.datetime) -> None:
    """Audit a change of ``stored``'s ``version`` and index what it published once the
    transaction commits; an unchanged programme writes nothing."""
    if change is Change.UNCHANGED:
        return
    status = Status.PUBLISHED if published else Status.DRAFT
    audit.record(session, at=now, actor=principal.subject, action=ACTIONS[change],
                 subject=f"programme:{stored.id}",
                 details={"organisation": stored.organisation_slug, "code": stored.code,
                          "version": version, "change": change.value, "status": status.value})
    if published and runtime.registry is not None:
        runtime.registry.track(session, stored.id)


def _owner(session: Session, programme_id: int) -> str:
    return store.get_programme(session, programme_id=programme_id).organisation_slug


def _require_writer(actor: Actor, programme: Programme) -> Principal:
    """The document's awarding organisation must be the actor's to write for.

    A document that names none is refused by the store with its own, located error.
    """
    awarding = programme.awarding_body
    if awarding is None:
        return actor.user()
    return actor.require(Action.PROGRAMME_WRITE, awarding.id)


def _require_owner(actor: Actor, session: Session, programme_id: int) -> Principal:
    """Only the programme's own organisation (or a registry admin) changes it."""
    actor.user()
    return actor.require(Action.PROGRAMME_WRITE, _owner(session, programme_id))
