"""Course links: made by an instructor's deep linking (which of the organisation's published
programmes the link awards, and on what rule), answered to the LMS as a signed content item
(LTI Deep Linking 2.0 §4.2); then launched by learners, who see their progress and, once
issued, claim their credential, and by instructors, who may ask to issue now."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from credstack.adapters.db.repositories import jobs as job_store
from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as review_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.lti.awarding import Rule, reason_of
from credstack.core.lti.launches import DEEP_LINKING, Launch, refusal
from credstack.core.lti.messages import LINK_PARAMETER, deep_linking_response
from credstack.core.said import Said
from credstack.errors import AccessDeniedError, NotFoundError
from credstack.services import audit
from credstack.services.jobs import Failure
from credstack.services.lti import keys
from credstack.services.lti.launches import Verified, fresh, launch_url, stored_launch
from credstack.services.runtime import Runtime

__all__ = ["Answer", "Choice", "CourseLink", "Learner", "Progress", "all_links", "choices",
           "link_organisation", "links", "make_link", "progress"]

@dataclass(frozen=True, slots=True)
class Choice:
    programme_id: int
    title: str
    code: str


def _title(programme: programme_store.StoredProgramme, language: str) -> str:
    title = programme.programme.title
    texts = title.root if title is not None else {}
    return texts.get(language) or next(iter(texts.values()), programme.code)


_TITLES = "lti.programme-titles"


def _programme_title(runtime: Runtime, session: Session, programme_id: int,
                     language: str) -> str:
    """The title of the programme's latest version: read whole once per version (its
    content hash), then kept by the runtime — every launch shows it."""
    version = programme_store.latest_content_hash(session, programme_id=programme_id)
    titles: dict[tuple[int, str | None, str], str] = runtime.caches.setdefault(_TITLES, {})
    key = (programme_id, version, language)
    if key not in titles:
        titles[key] = _title(programme_store.get_programme(session, programme_id=programme_id),
                             language)
    return titles[key]


def choices(runtime: Runtime, *, launch: str, language: str) -> tuple[Launch, list[Choice]]:
    """The deep linking request and the organisation's published programmes to pick from."""
    with runtime.sessions() as session:
        row, claims = stored_launch(session, launch)
        fresh(runtime, row)
        if claims.message_type != DEEP_LINKING or not claims.instructor:
            raise AccessDeniedError(code="lti.refused.instructors_only")
        platform = lti_store.platform(session, row.platform_id)
        assert platform is not None
        slug = review_store.organisation_slugs(session, [platform.organisation_id]).get(
            platform.organisation_id)
        page = programme_store.list_published_programmes(session, organisation=slug, limit=200)
        return claims, [Choice(item.id, _title(item, language), item.code) for item in page.items]


@dataclass(frozen=True, slots=True)
class Answer:
    """The form that returns the content item to the LMS: where, and the signed JWT."""

    return_url: str
    jwt: str
    link: str


def make_link(runtime: Runtime, *, launch: str, programme_id: int, rule: Rule,
              language: str) -> Answer:
    """Store the course link the instructor chose and sign the content item returning it."""
    now = runtime.now()
    claims, offered = choices(runtime, launch=launch, language=language)
    chosen = next((choice for choice in offered if choice.programme_id == programme_id), None)
    if chosen is None:
        raise NotFoundError(code="lti.refused.no_programme", params={"programme_id": programme_id})
    public_id = secrets.token_hex(12)
    with runtime.transaction() as session:
        if not lti_store.use_launch(session, launch, at=now):
            raise refusal("state", "this deep linking request was answered already")
        row, _ = stored_launch(session, launch)
        lti_store.add_link(
            session, public_id=public_id, platform_id=row.platform_id,
            deployment_id=claims.deployment_id, context_id=claims.context_id,
            context_title=claims.context_title[:500], programme_id=programme_id,
            rule=rule.kind, line_item=rule.line_item, minimum=rule.minimum,
            memberships_url=claims.memberships_url, lineitems_url=claims.lineitems_url, at=now)
        audit.record(session, at=now, actor=f"lti:{claims.issuer}#{claims.subject}"[:200],
                     action="lti.link.created", subject=f"lti-link:{public_id}",
                     details={"programme_id": programme_id, "rule": rule.kind,
                              "line_item": rule.line_item, "minimum": rule.minimum,
                              "context": claims.context_id})
    assert claims.deep_link_return_url is not None
    token = keys.sign(runtime, deep_linking_response(
        claims, link=public_id, title=chosen.title, url=launch_url(runtime),
        nonce=secrets.token_urlsafe(16), now=now))
    return Answer(claims.deep_link_return_url, token, public_id)


@dataclass(frozen=True, slots=True)
class Progress:
    """What a launched learner (or instructor) sees of a course link."""

    link: str
    #: The LMS (which may frame the page).
    issuer: str
    instructor: bool
    programme_title: str
    course: str
    rule: Rule
    name: str
    score: float | None
    maximum: float | None
    outcome: str
    #: Why, as the page words it (a key), or the English a row kept before reasons were keys.
    reason: Said | str | None
    credential_id: str | None
    #: For an instructor: the link's learners by outcome.
    counts: dict[str, int]
    #: The LMS's name, as its organisation registered it.
    platform: str
    #: The link's latest awards run that has not succeeded (in the last day), if any.
    awards: AwardsRun | None = None
    #: The LMS's user id of the launched person.
    subject: str = ""


@dataclass(frozen=True, slots=True)
class AwardsRun:
    """An awards job of the link that is waiting, running, to be tried again, or failed."""

    #: ``queued``, ``running``, ``retrying`` or ``failed``.
    state: str
    #: Why it is tried again or failed, for the page to word.
    failure: Failure | None


def _awards_run(session: Session, link: str, *, since: dt.datetime) -> AwardsRun | None:
    found = job_store.latest_unfinished(session, kind="lti.awards",
                                        key_prefix=f"lti.awards:{link}:", since=since)
    if found is None:
        return None
    state, error = found
    return AwardsRun(state, Failure.read(error) if error else None)


def progress(runtime: Runtime, *, launch: str | Verified, language: str) -> Progress:
    """The launched person's progress toward the link's credential (``launch`` the stored
    launch's id, or the launch just verified: not read again)."""
    with runtime.sessions() as session:
        if isinstance(launch, str):
            row, claims = stored_launch(session, launch)
            fresh(runtime, row)
            platform_id = row.platform_id
        else:
            claims, platform_id = launch.launch, launch.platform_id
        found = lti_store.link_of_launch(session, claims.custom.get(LINK_PARAMETER, ""),
                                         platform_id)
        if found is None:
            raise NotFoundError(code="lti.refused.not_ours")
        link, platform = found
        learner = lti_store.learner(session, link.id, claims.subject)
        mine = learner.reading if learner else None
        counts = lti_store.outcome_counts(session, link.id) if claims.instructor else {}
        return Progress(
            link.public_id, claims.issuer, claims.instructor,
            _programme_title(runtime, session, link.programme_id, language),
            link.context_title, Rule(link.rule, link.line_item, link.minimum), claims.name,
            mine.score if mine else None, mine.maximum if mine else None,
            mine.outcome if mine else "pending", reason_of(mine.reason if mine else None),
            learner.credential_id if learner else None, counts, platform or claims.issuer,
            _awards_run(session, link.public_id, since=runtime.now() - dt.timedelta(days=1)),
            claims.subject)


@dataclass(frozen=True, slots=True)
class Learner:
    name: str
    email: str | None
    score: float | None
    maximum: float | None
    outcome: str
    reason: Said | str | None
    credential_id: str | None


@dataclass(frozen=True, slots=True)
class CourseLink:
    """A course link as its organisation's issuers see it, lowered grades included."""

    public_id: str
    course: str
    platform: str
    programme_title: str
    rule: Rule
    synced_at: dt.datetime | None
    learners: tuple[Learner, ...]


def links(runtime: Runtime, *, actor: Actor, organisation: str, language: str
          ) -> list[CourseLink]:
    """The organisation's course links and their learners."""
    actor.require(Action.CREDENTIAL_READ, organisation)
    found = []
    with runtime.sessions() as session:
        for link, platform in lti_store.organisation_links(session, organisation):
            programme = programme_store.get_programme(session, programme_id=link.programme_id)
            learners = [(item.reading, item.credential_id)
                        for item in lti_store.learners(session, link.id)]
            found.append(CourseLink(
                link.public_id, link.context_title, platform, _title(programme, language),
                Rule(link.rule, link.line_item, link.minimum), link.synced_at,
                tuple(Learner(read.name, read.email, read.score, read.maximum, read.outcome,
                              reason_of(read.reason), credential)
                      for read, credential in learners)))
    return found


def link_organisation(runtime: Runtime, *, link: str) -> str:
    """The slug of the organisation whose programme ``link`` awards."""
    with runtime.sessions() as session:
        # Not the programme read whole: every launch asks (its awards job).
        slug = lti_store.link_organisation(session, link)
        if slug is None:
            raise NotFoundError(code="lti.refused.no_course_link", params={"link": link})
        return slug


def all_links(runtime: Runtime) -> list[tuple[str, str]]:
    """Every course link that has been launched once (and so knows its services), with its
    organisation: what the hourly reading goes through."""
    with runtime.sessions() as session:
        rows = lti_store.launched_links(session)
    return [(link, link_organisation(runtime, link=link)) for link in rows]
