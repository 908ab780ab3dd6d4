"""The programme editor of a provider's workspace: its programmes, drafts checked as they are
typed, saving, publishing, versions and what changed between them, imports of whole files,
and previews of the badge and the certificate.

Everything here acts for one organisation (the workspace's) and is its provider admins'
(or a registry admin's): every function asks ``actor.require(Action.PROGRAMME_WRITE,
organisation)`` first, and a programme of another organisation is
:class:`~credstack.errors.NotFoundError` as if it did not exist.

* A draft's awarding body is always the workspace's organisation, and a stored programme's
  code never changes: :func:`read` fills both in before the document is checked, so a page
  cannot send another organisation's name or a new code.
* Saving goes through :mod:`.service` (one audit entry per change, search index updated on
  publication): a draft replaces the newest draft, and after a published version it becomes
  the next version — a "new version" of a published programme is a draft until published.
* :func:`import_programmes` reads a whole file (YAML, JSON or CSV) all or nothing: every bad
  row and column is reported and nothing is stored when any is bad. Its programmes must be
  the workspace's own; each becomes a draft (or is published, when asked), and the import is
  audited once, as ``programmes.imported``.
* Previews are of the newest version, draft or not: the badge design, and an unsigned PDF
  certificate made out to a specimen learner (it carries no signature and verifies nowhere).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import logos
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as store
from credstack.adapters.db.repositories.keys import organisation_did
from credstack.core.access import Action, Actor
from credstack.core.certificates.content import certificate_content
from credstack.core.descriptors import Format, Programme, profiles, read_documents
from credstack.core.descriptors.achievement import build_achievement
from credstack.core.descriptors.differences import Difference, differences
from credstack.core.descriptors.drafts import Draft, read_draft
from credstack.core.descriptors.validation import ProfileReport, validate
from credstack.core.images.badge_svg import (
    TEMPLATES,
    BadgeDesign,
    BadgeStyle,
    badge_colour,
    design_for_programme,
)
from credstack.core.organisations import Organisation
from credstack.core.programmes import Change
from credstack.errors import (
    DescriptorError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    Problem,
)
from credstack.services import audit, certificates, issuance
from credstack.services.badges import badge_logo, badge_style
from credstack.services.programmes import service as programmes
from credstack.services.programmes.views import StoredProgramme, StoredVersion
from credstack.services.runtime import Runtime

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_PROGRAMMES",
    "SPECIMEN_LEARNER",
    "Checked",
    "Imported",
    "Saved",
    "VersionDiff",
    "Workspace",
    "awarding_body",
    "badge_design",
    "certificate_preview",
    "check",
    "history",
    "import_programmes",
    "publish_version",
    "read",
    "save",
    "version_diff",
    "workspace",
]

#: The largest file the web import reads (the CLI reads files of any size).
MAX_IMPORT_BYTES: Final = 5 * 1024 * 1024
#: The most programmes one web import stores (each is written and audited with the rest).
MAX_IMPORT_PROGRAMMES: Final = 1000
#: Whom a preview certificate is made out to, in each of its languages.
SPECIMEN_LEARNER: Final = {"ja": "見本 花子", "en": "Specimen Learner"}


@dataclass(frozen=True, slots=True)
class Workspace:
    """An organisation's programmes as its editors see them: each with its newest version,
    draft or published."""

    organisation: Organisation
    programmes: tuple[StoredProgramme, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Checked:
    """A document as typed: the draft it reads as, and its conformance to each profile."""

    draft: Draft
    reports: tuple[ProfileReport, ...]


@dataclass(frozen=True, slots=True)
class Saved:
    stored: StoredProgramme
    change: Change


@dataclass(frozen=True, slots=True)
class VersionDiff:
    stored: StoredProgramme
    before: StoredVersion
    after: StoredVersion
    differences: tuple[Difference, ...]


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import stored: (programme id, code, what happened, version) per programme."""

    changes: tuple[tuple[int, str, Change, int], ...]
    published: bool

    def count(self, change: Change) -> int:
        return sum(1 for item in self.changes if item[2] is change)


def _require(actor: Actor, organisation: str) -> None:
    actor.require(Action.PROGRAMME_WRITE, organisation)


def _organisation(runtime: Runtime, slug: str) -> Organisation:
    with runtime.transaction() as session:
        row = organisation_store.find_row(session, slug)
        if row is None:
            raise NotFoundError(code="editor.refused.no_organisation", params={"slug": slug})
        return organisation_store.to_organisation(row)


def _owned(runtime: Runtime, organisation: str, programme_id: int) -> StoredProgramme:
    with runtime.transaction() as session:
        try:
            stored = store.get_programme(session, programme_id=programme_id)
        except NotFoundError:
            stored = None
    if stored is None or stored.organisation_slug != organisation:
        raise NotFoundError(code="editor.refused.no_programme",
                            params={"organisation": organisation, "programme_id": programme_id})
    return stored


def awarding_body(organisation: Organisation) -> dict[str, Any]:
    """The awarding body a programme of ``organisation`` names."""
    body: dict[str, Any] = {"id": organisation.slug,
                            "name": organisation.name.model_dump(mode="json")}
    if organisation.url is not None:
        body["url"] = str(organisation.url)
    return body


# --- reading ---------------------------------------------------------------------------------


def workspace(runtime: Runtime, *, actor: Actor, organisation: str, limit: int = 100,
              after: int | None = None) -> Workspace:
    """The organisation and a page of its programmes (drafts too), by id."""
    _require(actor, organisation)
    found = _organisation(runtime, organisation)
    page = programmes.list_programmes(runtime, actor=actor, organisation=organisation,
                                      limit=limit, after=after)
    return Workspace(found, tuple(page.items), page.total)


def read(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int
         ) -> tuple[Organisation, StoredProgramme]:
    """The organisation and one of its programmes with its newest version (draft or not)."""
    _require(actor, organisation)
    return _organisation(runtime, organisation), _owned(runtime, organisation, programme_id)


def history(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int
            ) -> tuple[StoredProgramme, tuple[StoredVersion, ...]]:
    """The programme and every version of it, oldest first."""
    _require(actor, organisation)
    stored = _owned(runtime, organisation, programme_id)
    return stored, tuple(programmes.list_versions(runtime, actor=actor,
                                                  programme_id=programme_id))


def version_diff(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
                 before: int, after: int) -> VersionDiff:
    """What changed from version ``before`` to version ``after``, leaf by leaf."""
    _require(actor, organisation)
    stored = _owned(runtime, organisation, programme_id)
    old = programmes.get_version(runtime, actor=actor, programme_id=programme_id,
                                 version=before)
    new = programmes.get_version(runtime, actor=actor, programme_id=programme_id,
                                 version=after)
    return VersionDiff(stored, old, new, differences(old.programme, new.programme))


# --- checking and saving -----------------------------------------------------------------------


def check(runtime: Runtime, *, actor: Actor, organisation: str,
          document: Mapping[str, Any], programme_id: int | None = None) -> Checked:
    """``document`` as the workspace would store it (its awarding body the organisation, its
    code the stored one), read as far as it goes and checked against every profile."""
    _require(actor, organisation)
    found = _organisation(runtime, organisation)
    completed = dict(document)
    completed["awarding_body"] = awarding_body(found)
    if programme_id is not None:
        completed["code"] = _owned(runtime, organisation, programme_id).code
    draft = read_draft(completed)
    return Checked(draft, tuple(validate(draft.checkable, p) for p in profiles().values()))


def save(runtime: Runtime, *, actor: Actor, organisation: str, programme: Programme,
         programme_id: int | None = None, publish: bool = False) -> Saved:
    """Store ``programme`` (read by :func:`check`) as a new programme, or as the newest draft
    or next version of ``programme_id``; published at once when ``publish``."""
    _require(actor, organisation)
    if programme_id is None:
        stored = programmes.create_programme(runtime, actor=actor, programme=programme,
                                             publish=publish)
        return Saved(stored, Change.CREATED)
    _owned(runtime, organisation, programme_id)
    stored, change = programmes.update_programme(runtime, actor=actor,
                                                 programme_id=programme_id,
                                                 programme=programme, publish=publish)
    return Saved(stored, change)


def publish_version(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
                    version: int) -> StoredProgramme:
    """Publish a draft version as it is."""
    _require(actor, organisation)
    _owned(runtime, organisation, programme_id)
    return programmes.publish_version(runtime, actor=actor, programme_id=programme_id,
                                      version=version)


# --- importing ---------------------------------------------------------------------------------


def import_programmes(runtime: Runtime, *, actor: Actor, organisation: str, data: bytes,
                      fmt: Format, source: str = "upload", publish: bool = False
                      ) -> Imported:
    """Every programme of a file, as drafts (or published); all or nothing.

    :class:`~credstack.errors.DescriptorError` names every bad record by row and column (CSV)
    or by position and path (YAML, JSON); a programme of another organisation, a bundle's
    organisations and a code given twice are bad records too.
    """
    principal = actor.require(Action.PROGRAMME_WRITE, organisation)
    if len(data) > MAX_IMPORT_BYTES:
        raise InputTooLargeError(code="editor.refused.import_too_large", params={
            "source": source, "size": len(data), "most": MAX_IMPORT_BYTES})
    found = _organisation(runtime, organisation)
    documents = read_documents(data, fmt, source=source)
    problems = [Problem(f"{source}: organisations[{index}]",
                        code="editor.refused.import_organisation")
                for index, _ in enumerate(documents.organisations)]
    if len(documents.programmes) > MAX_IMPORT_PROGRAMMES:
        problems.append(Problem(source, code="editor.refused.import_too_many", params={
            "found": len(documents.programmes), "most": MAX_IMPORT_PROGRAMMES}))
    prepared: list[Programme] = []
    body = awarding_body(found)
    for index, item in enumerate(documents.programmes):
        named = item.awarding_body.id if item.awarding_body is not None else organisation
        if named != organisation:
            problems.append(Problem(
                _record(fmt, source, index), code="editor.refused.import_other_body",
                params={"named": named, "organisation": organisation}))
            continue
        if item.awarding_body is None:
            item = Programme.model_validate({**item.to_document(), "awarding_body": body})
        prepared.append(item)
    if problems:
        raise DescriptorError(code="editor.refused.import_refused",
                              params={"source": source, "problems": len(problems)},
                              problems=problems)
    now = runtime.now()
    changes: list[tuple[int, str, Change, int]] = []
    with runtime.transaction() as session:
        for item in prepared:
            try:
                existing = store.find_programme(session, organisation=organisation,
                                                code=item.code)
            except NotFoundError:
                existing = None
            if existing is None:
                stored = store.create_programme(session, programme=item, publish=publish,
                                                now=now)
                change = Change.CREATED
            else:
                stored, change = store.update_programme(
                    session, programme_id=existing.id, programme=item, publish=publish,
                    now=now)
            changes.append((stored.id, stored.code, change, stored.latest.version))
            if publish and change is not Change.UNCHANGED and runtime.registry is not None:
                runtime.registry.track(session, stored.id)
        counts = {change.value: sum(1 for c in changes if c[2] is change) for change in Change}
        if any(count for key, count in counts.items() if key != Change.UNCHANGED.value):
            audit.record(session, at=now, actor=principal.subject,
                         action="programmes.imported", subject=f"organisation:{organisation}",
                         details={"source": source, "format": fmt.value,
                                  "organisation": organisation, "published": publish,
                                  "programmes": counts})
    return Imported(tuple(changes), publish)


def _record(fmt: Format, source: str, index: int) -> str:
    """How a reader finds record ``index`` of a file: its row in a CSV (the header is row 1),
    its position in a list otherwise."""
    if fmt is Format.CSV:
        return f"{source}: row {index + 2}, column awarding_body.id"
    return f"{source}: programmes[{index}]: awarding_body.id"


# --- previews ----------------------------------------------------------------------------------


def _version(runtime: Runtime, actor: Actor, organisation: str, programme_id: int,
             version: int | None) -> tuple[StoredProgramme, StoredVersion]:
    _require(actor, organisation)
    stored = _owned(runtime, organisation, programme_id)
    if version is None:
        return stored, stored.latest
    return stored, programmes.get_version(runtime, actor=actor, programme_id=programme_id,
                                          version=version)


def badge_design(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
                 version: int | None = None, style: BadgeStyle | None = None) -> BadgeDesign:
    """The badge credentials of this version would carry (the newest version by default), in
    the programme's design, or in ``style`` (the badge designer's preview of one not saved)."""
    _, chosen = _version(runtime, actor, organisation, programme_id, version)
    with runtime.transaction() as session:
        logo = badge_logo(session, organisation=organisation)
        kept = badge_style(session, programme_id=programme_id)
    return design_for_programme(chosen.programme, logo=logo, style=style or kept)


def badge_designer_programme(runtime: Runtime, *, actor: Actor, organisation: str,
                             programme_id: int) -> StoredProgramme:
    """The programme whose badge is designed, for someone who may edit it."""
    _require(actor, organisation)
    return _owned(runtime, organisation, programme_id)


def badge_style_of(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int
                   ) -> BadgeStyle:
    """The design the programme's badge has (the generated one until it is designed)."""
    _require(actor, organisation)
    _owned(runtime, organisation, programme_id)
    with runtime.transaction() as session:
        return badge_style(session, programme_id=programme_id) or BadgeStyle()


def chosen_style(*, template: str, colour: str, own_colour: bool) -> BadgeStyle:
    """The design a badge designer's form chose: one of the templates and, with
    ``own_colour``, its colour (:func:`~credstack.core.images.badge_svg.badge_colour`:
    an :class:`~credstack.errors.InputError` for one that is none, or too light)."""
    if template not in TEMPLATES:
        raise InputError(code="editor.badge.unknown_template", params={"template": template[:20]})
    return BadgeStyle(template, badge_colour(colour) if own_colour else None)


def design_badge(runtime: Runtime, *, actor: Actor, organisation: str, programme_id: int,
                 style: BadgeStyle) -> bool:
    """Keep ``style`` as the programme's badge design: every version's badge, the images baked
    from now on and the e-mails sent are drawn in it. Audited ``programmes.badge_designed``;
    whether it changed."""
    principal = actor.require(Action.PROGRAMME_WRITE, organisation)
    _owned(runtime, organisation, programme_id)
    now = runtime.now()
    with runtime.transaction() as session:
        changed = logos.set_badge_style(session, programme_id=programme_id,
                                        template=style.template, colour=style.colour, now=now)
        if changed:
            audit.record(session, at=now, actor=principal.subject,
                         action="programmes.badge_designed",
                         subject=f"programme:{programme_id}",
                         details={"organisation": organisation, "template": style.template,
                                  "colour": style.colour})
    return changed


def certificate_preview(runtime: Runtime, *, actor: Actor, organisation: str,
                        programme_id: int, language: str, version: int | None = None
                        ) -> bytes:
    """An unsigned PDF certificate of this version, made out to a specimen learner.

    :class:`~credstack.errors.InputError` when the version has no title or description yet
    (a credential's achievement needs both).
    """
    stored, chosen = _version(runtime, actor, organisation, programme_id, version)
    public_url = runtime.settings.public_url
    now = runtime.now()
    achievement = build_achievement(
        programme=chosen.programme, language=language,
        achievement_id=issuance.achievement_url(public_url, stored.id, chosen.version),
        creator_id=organisation_did(public_url, organisation))
    credential = _specimen(achievement, organisation_did(public_url, organisation), now,
                           [SPECIMEN_LEARNER["ja"], SPECIMEN_LEARNER["en"]])
    content = certificate_content(credential, language=language, public_url=public_url)
    return certificates.render_page(content, now=now)


def _specimen(achievement: Mapping[str, Any], issuer: str, now: dt.datetime,
              names: Sequence[str]) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer},
        "validFrom": now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name",
                            "hashed": False, "identityHash": name} for name in names],
            "achievement": dict(achievement)},
    }

