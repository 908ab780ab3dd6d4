"""Issuing a course link's credential to the learners who meet its rule: the roster and the
line item's results read from the LMS (:mod:`.advantage`), each learner decided
(:func:`credstack.core.lti.awarding.decide`) and stored, and those who passed issued the
programme's credential through the issuance service — in the batch ``lti:<link>``, keyed by
the learner's e-mail address (their account's, when they linked it: :mod:`.identities`), so
that a learner gets one credential per course link however often this runs, and a run that
was killed resumes where it stopped. A result lowered after issuance is stored as
``lowered`` for the issuer to see; nothing is revoked here.

Run by the ``lti.awards`` background job (on launch, every hour, and when someone asks to
issue now) — so two runs of one link may meet (the hour's and an instructor's, two "issue
now" at once, two workers): a run first claims the link in the store (:func:`_claim`, one
conditional update that only one of them wins), and a run that finds it claimed reads and
issues nothing (audited as ``lti.awards.skipped``). A claim ends with its run, or after
:data:`CLAIM` when the run died.

When the organisation's issuing key is unavailable (none active, or the key store cannot
open it), the run reports a configuration error (audited as ``lti.awards.failed``, reason
``issuer-key``), which the job runner tries again after a back-off: the learners stay
``passed`` meanwhile, and are issued once the key is there.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.lti import LearnerReading, StoredLink, StoredPlatform
from credstack.core.access import Action, Actor
from credstack.core.credentials.cohorts import Cohort, CohortMember
from credstack.core.lti.awarding import Rule, award_of, decide, stored_reason
from credstack.errors import ConfigurationError, InputError, KeyStoreError, NotFoundError
from credstack.services import audit, issuance, wallet
from credstack.services.lti import advantage, identities
from credstack.services.runtime import Runtime
from credstack.words import kept_words

__all__ = ["Synced", "batch_of", "sync"]

#: Learners signed and stored per transaction.
CHUNK: Final = 500
#: How long a run holds its link at most: a course of 5,000 is read and issued in a minute.
CLAIM: Final = dt.timedelta(minutes=30)


def batch_of(link: str) -> str:
    """The issuance batch of a course link's credentials."""
    return f"lti:{link}"


@dataclass(frozen=True, slots=True)
class Synced:
    learners: int
    issued: int
    pending: int
    blocked: int
    lowered: int
    #: Another run held the link: this one read and issued nothing.
    skipped: bool = False


def _link(runtime: Runtime, link: str) -> tuple[StoredLink, StoredPlatform, str]:
    with runtime.sessions() as session:
        row = lti_store.link(session, link)
        if row is None:
            raise NotFoundError(code="lti.refused.no_course_link", params={"link": link})
        platform = lti_store.platform(session, row.platform_id)
        assert platform is not None
        organisation = programme_store.get_programme(
            session, programme_id=row.programme_id).organisation_slug
        return row, platform, organisation


def _claim(runtime: Runtime, link_id: int) -> str | None:
    """Claim the link for this run (its token), unless another run holds it."""
    token, now = secrets.token_hex(16), runtime.now()
    with runtime.transaction() as session:
        claimed = lti_store.claim_link(session, link_id, token=token, now=now,
                                       until=now + CLAIM)
    return token if claimed else None


def _release(runtime: Runtime, link_id: int, token: str) -> None:
    with runtime.transaction() as session:
        lti_store.release_link(session, link_id, token=token)


def sync(runtime: Runtime, *, actor: Actor, link: str, language: str = "ja") -> Synced:
    """Read the link's roster and results, decide every learner, issue to those who passed
    — unless another run holds the link (see the module)."""
    row, platform, organisation = _link(runtime, link)
    principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
    token = _claim(runtime, row.id)
    if token is None:
        audit.record_separately(runtime.sessions, at=runtime.now(), actor=principal.subject,
                                action="lti.awards.skipped", subject=f"lti-link:{link}",
                                details={"reason": "another run holds the link"})
        return Synced(0, 0, 0, 0, 0, skipped=True)
    try:
        return _award(runtime, actor=actor, auditor=principal.subject, row=row,
                      platform=platform, organisation=organisation, language=language)
    finally:
        _release(runtime, row.id, token)


def _award(runtime: Runtime, *, actor: Actor, auditor: str, row: StoredLink,
           platform: StoredPlatform, organisation: str, language: str) -> Synced:
    link = row.public_id
    course = advantage.Course(platform.id, platform.client_id, platform.token_url,
                              row.memberships_url, row.lineitems_url)
    rule = Rule(row.rule, row.line_item, row.minimum)
    try:
        roster = [member for member in advantage.members(
            runtime, course, resource_link_id=row.resource_link_id)
            if member.learner and member.active]
        item = advantage.line_item(runtime, course, row.line_item)
        results = {result.user_id: result for result in advantage.results(runtime, course, item)}
    except InputError as error:
        audit.record_separately(runtime.sessions, at=runtime.now(), actor=auditor,
                                action="lti.awards.failed", subject=f"lti-link:{link}",
                                details={"reason": error.problems[0].rule or "unreadable"
                                         if error.problems else "unreadable",
                                         "message": kept_words(error)[:500]})
        raise
    now = runtime.now()
    batch = batch_of(link)
    #: Those who passed, by LMS user id: (name, the LMS's address).
    passed: dict[str, tuple[str, str | None]] = {}
    counts = {"pending": 0, "blocked": 0, "lowered": 0}
    with runtime.transaction() as session:
        issued = {learner.user_id for learner in lti_store.learners(session, row.id)
                  if learner.credential_id is not None}
        linked = identities.linked_addresses(session, issuer=platform.issuer,
                                             subjects=[member.user_id for member in roster])
        readings: dict[str, LearnerReading] = {}
        for member in roster:
            result = results.get(member.user_id)
            # A learner who linked their account is issued to its address, not the LMS's.
            email = linked.get(member.user_id) or member.email
            decision = decide(rule, score=result.score if result else None,
                              maximum=result.maximum if result else None, email=email,
                              issued=member.user_id in issued)
            readings[member.user_id] = LearnerReading(
                member.name, email, result.score if result else None,
                result.maximum if result else None, decision.outcome,
                stored_reason(decision.reason))
            if decision.outcome == "passed" and email:
                passed[member.user_id] = (member.name, member.email)
            elif decision.outcome in counts:
                counts[decision.outcome] += 1
        lti_store.note_learners(session, row.id, readings, at=now)
        lti_store.synced(session, row.id, at=now)
    # The links are read again at issue time: a learner who linked their account since the
    # reading above (the roster of a large course takes a while) is issued to its address.
    with runtime.sessions() as session:
        linked = identities.linked_addresses(session, issuer=platform.issuer,
                                             subjects=list(passed))
    addressed = {user: linked.get(user) or email for user, (_, email) in passed.items()}
    to_issue = [CohortMember(number, address, award_of(name=passed[user][0], email=address))
                for number, (user, address) in enumerate(
                    ((user, address) for user, address in addressed.items() if address),
                    start=1)]
    if to_issue:
        try:
            issuance.issue_cohort(runtime, actor=actor, programme_id=row.programme_id,
                                  cohort=Cohort(tuple(to_issue)), batch=batch,
                                  language=language, workers=1, chunk_size=CHUNK)
        except (KeyStoreError, NotFoundError) as error:
            audit.record_separately(runtime.sessions, at=runtime.now(), actor=auditor,
                                    action="lti.awards.failed", subject=f"lti-link:{link}",
                                    details={"reason": "issuer-key",
                                             "message": error.message[:500],
                                             "waiting": len(to_issue)})
            raise ConfigurationError(
                code="lti.refused.issuing_key", params={
                    "organisation": organisation, "reason": error.message[:200],
                    "waiting": len(to_issue)}) from error
    with runtime.transaction() as session:
        issued_ids = credential_store.batch_learners(session, batch) if to_issue else {}
        if to_issue:
            lti_store.mark_issued(session, row.id, addresses=addressed, issued=issued_ids)
        done = Synced(len(roster), len(to_issue), counts["pending"], counts["blocked"],
                      counts["lowered"])
        audit.record(session, at=now, actor=auditor, action="lti.awards",
                     subject=f"lti-link:{link}",
                     details={"organisation": organisation, "learners": done.learners,
                              "issued": done.issued, "pending": done.pending,
                              "blocked": done.blocked, "lowered": done.lowered})
    _deliver_to_new_links(runtime, auditor=auditor, issuer=platform.issuer, credentials={
        user: issued_ids[address] for user, address in addressed.items()
        if address in issued_ids and user not in linked})
    return done


def _deliver_to_new_links(runtime: Runtime, *, auditor: str, issuer: str,
                          credentials: dict[str, str]) -> None:
    """Deliver to their wallets the credentials (by LMS user) this run issued to the LMS's
    address of learners who linked their account meanwhile. The link reads its learners'
    credentials once its own transaction is over, and this reading follows the transaction
    that noted them: one of the two sees the other, whatever their order."""
    if not credentials:
        return
    with runtime.sessions() as session:
        accounts = identities.linked_accounts(session, issuer=issuer, subjects=list(credentials))
    for user, account in accounts.items():
        wallet.deliver_awarded(runtime, user_id=account, subject=auditor,
                               credential_ids=[credentials[user]])
