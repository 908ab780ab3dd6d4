"""Creating, updating, listing and reading organisations.

Only a registry admin creates an organisation; its provider admin (or a registry admin)
updates its profile, whose slug never changes. Each change is audited once, as
``organisation.created`` or ``organisation.updated`` with the organisation as
``organisation:<slug>``; an update that changes nothing writes nothing. Anyone may list and
read organisations, with the number of programmes each holds (drafts included). A corporate
number (法人番号) is one organisation's: another's is refused
(:class:`~credstack.errors.ConflictError` on ``corporate_number``, naming its holder);
:func:`set_corporate_number` sets or clears it alone (the console and ``credstack console
corporate-number``).
"""

from __future__ import annotations

from credstack.adapters.db.repositories import organisations as store
from credstack.adapters.db.repositories.organisations import StoredOrganisation
from credstack.core.access import Action, Actor
from credstack.core.console.corporate_number import corporate_number
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["StoredOrganisation", "create_organisation", "get_organisation", "list_organisations",
           "set_corporate_number", "update_organisation"]


def list_organisations(runtime: Runtime, *, kind: OrganisationKind | None = None
                       ) -> list[StoredOrganisation]:
    """Every organisation (of ``kind``, when given), by slug."""
    with runtime.transaction() as session:
        return store.list_organisations(session, kind=kind.value if kind else None)


def get_organisation(runtime: Runtime, *, slug: str) -> StoredOrganisation:
    """One organisation (:class:`~credstack.errors.NotFoundError` when there is none)."""
    with runtime.transaction() as session:
        return store.get_organisation(session, slug=slug)


def create_organisation(runtime: Runtime, *, actor: Actor, organisation: Organisation
                        ) -> StoredOrganisation:
    """A new organisation (a registry admin's act; :class:`~credstack.errors.ConflictError`
    when the slug is taken)."""
    principal = actor.require(Action.ORGANISATION_CREATE, None)
    now = runtime.now()
    with runtime.transaction() as session:
        stored = store.create_organisation(session, organisation=organisation, now=now)
        audit.record(session, at=now, actor=principal.subject, action="organisation.created",
                     subject=_subject(stored.slug), details=_profile(organisation))
        return stored


def update_organisation(runtime: Runtime, *, actor: Actor, slug: str,
                        organisation: Organisation) -> StoredOrganisation:
    """The organisation's new profile (its slug cannot change:
    :class:`~credstack.errors.ConflictError`); audited with the fields that changed."""
    principal = actor.require(Action.ORGANISATION_UPDATE, slug)
    now = runtime.now()
    with runtime.transaction() as session:
        before = store.get_organisation(session, slug=slug).organisation
        stored = store.update_organisation(session, slug=slug, organisation=organisation,
                                           now=now)
        old, new = _profile(before), _profile(organisation)
        changed = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
        if changed:
            audit.record(session, at=now, actor=principal.subject,
                         action="organisation.updated", subject=_subject(slug),
                         details={**new, "changed": changed})
        return stored


def set_corporate_number(runtime: Runtime, *, actor: Actor, slug: str, number: str
                         ) -> StoredOrganisation:
    """Set the organisation's corporate number (``number`` as people type it, its check digit
    checked), or clear it when ``number`` is blank; audited as any profile change."""
    actor.require(Action.ORGANISATION_UPDATE, slug)
    current = get_organisation(runtime, slug=slug).organisation
    value = corporate_number(number) if number.strip() else None
    return update_organisation(runtime, actor=actor, slug=slug, organisation=current.model_copy(
        update={"corporate_number": value}))


def _subject(slug: str) -> str:
    return f"organisation:{slug}"


def _profile(organisation: Organisation) -> dict[str, object]:
    """The organisation's profile as JSON data (what the audit entry says it now is)."""
    return organisation.to_document()
