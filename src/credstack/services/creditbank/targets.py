"""Publishing a target: an organisation's pathway file, checked by
:func:`~credstack.core.creditbank.pathways.load_target` (every fault placed as
``file:line:column /pointer``) and kept as written. Publishing a target id again makes its
next version; earlier versions stay, so applications keep the rules they were decided by.

Publishing a new version (a rule change) starts a ``creditbank.reevaluate`` job
(:func:`credstack.services.creditbank.lifecycle.reevaluate`): every learner evaluated again
against it in the background, with the job's progress to watch, and the fresh decisions of
pending applications stored. Its id is :attr:`PublishedTarget.job` (None for a first
version, or a runtime without a job queue).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from credstack.adapters.db.repositories import credit_targets as target_store
from credstack.adapters.db.repositories.credit_targets import StoredTarget
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.creditbank import Change, Target, changes, load_target
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.jobs import start
from credstack.services.runtime import Runtime

__all__ = ["MAX_TARGET_BYTES", "PublishedTarget", "TargetVersion", "history",
           "newest_published", "parsed_target", "publish", "published", "published_target",
           "target_row"]

#: The largest pathway file taken (a degree with hundreds of rules fits in a tenth).
MAX_TARGET_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class PublishedTarget:
    public_id: str
    organisation: str
    version: int
    target: Target
    published_at: dt.datetime
    #: The re-evaluation job a new version started (``creditbank.reevaluate``).
    job: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.public_id, "organisation": self.organisation,
                "target": self.target.id, "version": self.version,
                "title": {"ja": self.target.ja, "en": self.target.en},
                "kind": self.target.kind.value, "system": self.target.system,
                "total": str(self.target.total), "jurisdiction": self.target.jurisdiction,
                "published_at": self.published_at.astimezone(dt.UTC).isoformat(),
                "reevaluation_job": self.job}


def view(row: StoredTarget) -> PublishedTarget:
    return PublishedTarget(row.public_id, row.organisation, row.version,
                           load_target(row.text, source=f"{row.target_id}.yaml"),
                           row.created_at)


def publish(runtime: Runtime, *, actor: Actor, organisation: str, text: str,
            source: str = "target.yaml") -> PublishedTarget:
    """Publish the pathway ``text`` as a target of ``organisation`` (its slug)."""
    principal = actor.require(Action.CREDITBANK_PUBLISH, organisation)
    if len(text.encode()) > MAX_TARGET_BYTES:
        raise InputError(code="creditbank.ws.refused.target_too_large",
                         params={"kib": MAX_TARGET_BYTES // 1024},
                         problems=[Problem("text", "too large")])
    target = load_target(text, source=source)  # PathwayError, positioned
    now = runtime.now()
    with runtime.transaction() as session:
        owner = existing_row(session, organisation)
        version = target_store.newest_version(session, organisation_id=owner.id,
                                              target_id=target.id) + 1
        public_id = secrets.token_hex(16)
        target_store.add(session, public_id=public_id, organisation_id=owner.id,
                         target_id=target.id, version=version, text=text,
                         by=principal.subject, at=now)
        audit.record(session, at=now, actor=principal.subject, action="creditbank.published",
                     subject=f"credit-target:{public_id}",
                     details={"organisation": organisation, "target": target.id,
                              "version": version})
    job = None
    if version > 1 and runtime.jobs is not None:
        job = start(runtime, actor=actor, kind="creditbank.reevaluate",
                    payload={"target": public_id}, organisation=organisation,
                    key=f"creditbank.reevaluate:{public_id}").public_id
    return PublishedTarget(public_id, organisation, version, target, now, job)


def published(runtime: Runtime, *, organisation: str | None = None) -> list[PublishedTarget]:
    """The published targets (of one organisation), newest version of each only."""
    with runtime.sessions() as session:
        newest = {(row.organisation_id, row.target_id): row
                  for row in target_store.published(session, organisation=organisation)}
        return [view(row) for row in newest.values()]


def target_row(session: Session, public_id: str) -> tuple[StoredTarget, str]:
    """A published target and its organisation's slug; NotFoundError otherwise."""
    found = target_store.published_version(session, public_id)
    if found is None:
        raise NotFoundError(code="creditbank.refused.no_target", params={"public_id": public_id})
    return found, found.organisation


# --- read-only, for the registry's pages (a target's page, a programme's "stacks into") ---

#: The runtime's cache of parsed targets by public id: a published row's text never changes,
#: so a parse is kept as long as the runtime (the programme page asks for every target on each
#: request).
PARSED_CACHE = "creditbank.parsed-targets"
#: The most parses kept; past it the cache starts again (a registry has far fewer targets).
_PARSED_MAX = 4096


def parsed_target(runtime: Runtime, *, public_id: str, target_id: str, text: str) -> Target:
    """The target a published version's ``text`` describes, parsed once per runtime (in the
    cache :func:`newest_published` fills)."""
    parsed: dict[str, Target] = runtime.caches.setdefault(PARSED_CACHE, {})
    found = parsed.get(public_id)
    if found is None:
        if len(parsed) >= _PARSED_MAX:
            parsed.clear()
        found = parsed[public_id] = load_target(text, source=f"{target_id}.yaml")
    return found


def newest_published(runtime: Runtime) -> list[PublishedTarget]:
    """The newest published version of every target, by organisation then target id.

    One light query of the rows' keys; the pathway text is read (and parsed) only for
    versions this process has not parsed before.
    """
    parsed: dict[str, Target] = runtime.caches.setdefault(PARSED_CACHE, {})
    with runtime.sessions() as session:
        newest = {(key.organisation_id, key.target_id): key
                  for key in target_store.published_keys(session)}
        unread = [key.public_id for key in newest.values() if key.public_id not in parsed]
        if unread:
            if len(parsed) + len(unread) > _PARSED_MAX:
                parsed.clear()
            for public_id, target_id, text in target_store.texts(session, unread):
                parsed[public_id] = load_target(text, source=f"{target_id}.yaml")
    ordered = sorted(newest.values(), key=lambda key: (key.organisation, key.target_id))
    return [PublishedTarget(key.public_id, key.organisation, key.version,
                            parsed[key.public_id], key.created_at) for key in ordered]


def published_target(runtime: Runtime, public_id: str) -> tuple[PublishedTarget, bool]:
    """A published target version and whether it is its target's newest; NotFoundError
    otherwise."""
    with runtime.sessions() as session:
        row, _ = target_row(session, public_id)
        latest = target_store.newest_version(session, organisation_id=row.organisation_id,
                                             target_id=row.target_id, published_only=True)
        return view(row), latest == row.version


@dataclass(frozen=True, slots=True)
class TargetVersion:
    """A published version of a target and what changed in its rules since the version
    before it (:func:`~credstack.core.creditbank.changes`; empty for the first)."""

    published: PublishedTarget
    changes: tuple[Change, ...]
    first: bool


def history(runtime: Runtime, public_id: str) -> list[TargetVersion]:
    """Every published version of the target that version ``public_id`` belongs to, newest
    first, each with what changed since the one before; NotFoundError for no published
    version."""
    with runtime.sessions() as session:
        row, slug = target_row(session, public_id)
        rows = target_store.versions(session, organisation_id=row.organisation_id,
                                     target_id=row.target_id)
        versions = [PublishedTarget(each.public_id, slug, each.version, parsed_target(
            runtime, public_id=each.public_id, target_id=each.target_id, text=each.text),
            each.created_at) for each in rows]
    found: list[TargetVersion] = []
    for index, version in enumerate(versions):
        before = versions[index - 1].target if index else None
        found.append(TargetVersion(version, changes(before, version.target)
                                   if before is not None else (), before is None))
    return found[::-1]
