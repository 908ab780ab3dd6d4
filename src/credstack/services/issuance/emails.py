"""The "credential issued" e-mails, queued in the issuing transaction (the outbox and delivery
are :mod:`credstack.services.mail`'s).

* :func:`credentials_issued` — to each learner a credential was issued to at an e-mail
  address: bilingual (Japanese, then English), with the links to claim it into the wallet,
  download its PDF certificate, verify it and add it to LinkedIn, and — when the issuing
  service passes the offers' maker (:func:`mail_offers`: the runtime's, OID4VCI's) — an
  OID4VCI credential offer for a wallet app, made in the same transaction (only for e-mails
  not queued before). Event key ``credential.issued:<credential id>:<address>``.
* :func:`cohort_issued` — the e-mails of the credentials one cohort chunk stored;
  :func:`credential_issued` — the e-mail of one credential issued through the VC-API.

They stand here, not among the other events' e-mails, because they read what issuing made
(a cohort's chunk, the signer) and make OID4VCI offers: in ``mail`` they made the mail
service import the issuance and OID4VCI services, which queue e-mail through it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from credstack.adapters.db.repositories import mail as mail_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.catalogue import LANGUAGES as MAIL_LANGUAGES
from credstack.adapters.mail.rendering import CREDENTIAL_ISSUED
from credstack.core.certificates.content import read_credential
from credstack.core.descriptors.models import IdentifierType
from credstack.core.mail import event_key, is_mail_address, recipient_email
from credstack.core.registry.pathways import named_programme
from credstack.errors import MalformedCredentialError, NotFoundError
from credstack.services.issuance.service import CohortChunk, Signer
from credstack.services.mail import NewMessage, queue_many
from credstack.services.runtime import MailOffer, MailOfferMaker, Runtime

__all__ = ["IssuedCredential", "cohort_issued", "credential_issued", "credentials_issued",
           "mail_offers"]


def mail_offers(runtime: Runtime, *, created_by: str) -> MailOfferMaker | None:
    """What puts an OID4VCI offer in the e-mails of an issuing by ``created_by`` (the runtime's:
    OID4VCI stands above issuance), taken before the issuing transaction; None: no offers."""
    make = runtime.mail_offers
    return None if make is None else make(runtime, created_by=created_by)


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    """One credential issued to an e-mail address, as its e-mail tells of it."""

    credential_id: str
    to: str
    #: The programme's title and the organisation's name, by language.
    title: Mapping[str, str]
    organisation_name: Mapping[str, str]
    issued_on: dt.date
    learner_name: Mapping[str, str] | None = None
    #: The programme version's badge image (``/badges/{id}/v{version}.png``), which the
    #: e-mail shows from the registry; ``None`` for an achievement of no programme here.
    badge: str | None = None


def credentials_issued(session: Session, *, credentials: Sequence[IssuedCredential],
                       organisation: str, language: str, now: dt.datetime,
                       offers: MailOfferMaker | None = None, subject: str | None = None) -> int:
    """Queue the "credential issued" e-mail of each of ``credentials`` whose address is one
    (others have no e-mail to send to), with a credential offer in each when ``offers`` is
    given (audited under ``subject``); how many were new."""
    items = [(event_key("credential.issued", item.credential_id, item.to.lower()), item)
             for item in credentials if is_mail_address(item.to)]
    made: Mapping[str, MailOffer] = {}
    if offers is not None and items:
        queued = mail_store.queued_keys(session, [key for key, _ in items])
        made = offers.add(session, now=now, subject=subject,
                          credential_ids=[item.credential_id for key, item in items
                                          if key not in queued])
    return queue_many(session, [NewMessage(
        key, item.to, CREDENTIAL_ISSUED,
        {"credential_id": item.credential_id, "title": dict(item.title),
         "organisation_name": dict(item.organisation_name),
         "issued_on": item.issued_on.isoformat(),
         "learner_name": dict(item.learner_name) if item.learner_name else None,
         **({"badge": item.badge} if item.badge else {}),
         **({"offer": made[item.credential_id].public_id,
             "offer_expires_at": made[item.credential_id].expires_at.isoformat()}
            if item.credential_id in made else {})},
        organisation, language if language in MAIL_LANGUAGES else "ja")
        for key, item in items], now=now)


def cohort_issued(session: Session, *, chunk: CohortChunk, language: str, now: dt.datetime,
                  offers: MailOfferMaker | None = None) -> int:
    """Queue the e-mails of the credentials one cohort chunk stored (in its transaction):
    one to each learner whose row gave an e-mail address, each with an offer when
    ``offers`` is given."""
    title = programme_store.get_version(session, programme_id=chunk.programme_id,
                                        version=chunk.version).programme.title
    name = organisation_store.get_organisation(session, slug=chunk.organisation
                                               ).organisation.name.root
    items = []
    for credential_id, member in chunk.credentials:
        learner = member.award.learner
        if learner is None:
            continue
        for identifier in learner.identifiers:
            if identifier.type is IdentifierType.EMAIL:
                items.append(IssuedCredential(
                    credential_id, identifier.value, title.root if title else {"ja": "-"},
                    name, member.award.issued_on or now.date(),
                    learner.name.root if learner.name else None,
                    f"/badges/{chunk.programme_id}/v{chunk.version}.png"))
                break
    return credentials_issued(session, credentials=items, organisation=chunk.organisation,
                              language=language, now=now, offers=offers,
                              subject=f"programme:{chunk.programme_id}")


def _programme_of(session: Session, achievement: object, *, organisation: str,
                  public_url: str) -> tuple[Mapping[str, str] | None, str | None]:
    """The titles and the badge (``/badges/{id}/v{version}.png``) of the published version of
    ``organisation``'s programme that ``achievement`` names by its id; (None, None) for any
    other achievement."""
    identifier = achievement.get("id") if isinstance(achievement, Mapping) else None
    named = (named_programme(identifier, public_url) if isinstance(identifier, str)
             else None)
    if named is None or named.version is None:
        return None, None
    try:
        stored = programme_store.get_programme(session, programme_id=named.programme_id)
        version = programme_store.get_version(session, programme_id=named.programme_id,
                                              version=named.version)
    except NotFoundError:
        return None, None
    if (stored.organisation_slug != organisation
            or version.status is not programme_store.Status.PUBLISHED):
        return None, None
    title = version.programme.title
    return (dict(title.root) if title is not None else None,
            f"/badges/{named.programme_id}/v{named.version}.png")


def credential_issued(session: Session, *, signer: Signer, document: str, securing: str,
                      now: dt.datetime, public_url: str, offers: MailOfferMaker | None = None,
                      claims: Mapping[str, Any] | None = None) -> int:
    """Queue the e-mail of one credential issued through the VC-API, when it names its
    learner's e-mail address in plain text (1), else nothing (0); with an offer when
    ``offers`` is given. An achievement that is a published version of the organisation's
    programme (its id under ``public_url``) is announced as the pages announce it: by the
    programme's titles, with its badge. ``claims``: the credential as JSON, when the signer
    holds it (``document`` is then not parsed again)."""
    del securing  # the document says what it is
    try:
        credential = read_credential(document) if claims is None else claims
    except MalformedCredentialError:
        return 0
    to = recipient_email(credential)
    identifier = credential.get("id")
    if to is None or not isinstance(identifier, str):
        return 0
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    title = achievement.get("name") if isinstance(achievement, Mapping) else None
    named = title if isinstance(title, str) and title.strip() else identifier
    titles, badge = _programme_of(session, achievement, organisation=signer.organisation,
                                  public_url=public_url)
    return credentials_issued(session, credentials=[IssuedCredential(
        identifier, to, titles or {"ja": named, "en": named}, signer.profile.name.root,
        now.date(), badge=badge)],
        organisation=signer.organisation, language="ja", now=now, offers=offers)
