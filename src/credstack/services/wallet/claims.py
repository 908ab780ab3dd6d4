"""The claim link of a "credential issued" e-mail (``/claim/{id}``): what it is for, and
whether the person who followed it is the one it was sent to.

The link carries the credential's id, which its public verification page shows too, so what
the claim says of it to anyone is what that page says: its title and its issuer. The address
it was sent to is never told; a signed-in learner is only told whether it is one of their
wallet's verified addresses, and then the credential is delivered into their wallet
(:func:`~credstack.services.wallet.credentials.refresh`), as the wallet does when opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.certificates.content import read_credential
from credstack.errors import MalformedCredentialError, NotFoundError
from credstack.services.runtime import Runtime
from credstack.services.wallet.credentials import refresh
from credstack.services.wallet.holders import identifiers_of

__all__ = ["Claim", "Claimant", "claim"]

#: The longest credential id a claim link is looked up by (ids are URLs or URNs).
MAX_ID = 2048


class Claimant(StrEnum):
    """Who followed the link: nobody signed in, the learner it was sent to, someone else."""

    SIGNED_OUT = "signed-out"
    RECIPIENT = "recipient"
    SOMEONE_ELSE = "someone-else"


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim link's credential as its page names it, and who is looking."""

    #: The titles and the issuer's names by language (``ja``, ``en``; one may be missing).
    title: Mapping[str, str]
    issuer: Mapping[str, str]
    issued_on: dt.date
    revoked: bool
    claimant: Claimant
    #: The wallet's own id of the credential, once it is in the recipient's wallet.
    held: str | None = None


def claim(runtime: Runtime, *, actor: Actor, credential_id: str) -> Claim:
    """The credential ``credential_id`` issued here as its claim link shows it to ``actor``
    (anyone; a signed-in learner who is its recipient has it delivered into their wallet).
    NotFoundError for an id this site issued nothing under."""
    if not 0 < len(credential_id) <= MAX_ID:
        raise NotFoundError("No credential was issued here under this claim link.")
    principal = actor.principal
    with runtime.sessions() as session:
        stored = credential_store.get_credential(session, credential_id=credential_id)
        issuer = organisation_store.get_organisation(session, slug=stored.organisation
                                                     ).organisation.name.root
        title = _title(session, credential_id, stored.document)
        claimant = Claimant.SIGNED_OUT
        if principal is not None and principal.user_id is not None:
            # The sign-in address is the wallet's own, verified, before it is first opened.
            addresses = {identifier.value.lower() for identifier in
                         identifiers_of(session, principal.user_id, verified_only=True)}
            if principal.email:
                addresses.add(principal.email.lower())
            claimant = (Claimant.RECIPIENT if stored.learner
                        and stored.learner.lower() in addresses else Claimant.SOMEONE_ELSE)
    found = Claim(title, dict(issuer), stored.issued_on, stored.state == "revoked",
                  claimant)
    if claimant is not Claimant.RECIPIENT:
        return found
    # The wallet takes in what was issued to its addresses whenever it is read; the claim
    # reads it so, and names the credential's place in it.
    principal = actor.require(Action.WALLET_WRITE)
    assert principal.user_id is not None
    refresh(runtime, user_id=principal.user_id, subject=principal.subject)
    with runtime.sessions() as session:
        held = wallet_store.held(session, user_id=principal.user_id,
                                 credential_id=credential_id)
    return Claim(found.title, found.issuer, found.issued_on, found.revoked, claimant, held)


def _title(session: Session, credential_id: str, document: str) -> Mapping[str, str]:
    """The programme's titles, for a credential of a programme here; else the achievement's
    name the credential states."""
    from_programme = credential_store.programme_version_of(session,
                                                           credential_id=credential_id)
    if from_programme is not None:
        programme_id, version = from_programme
        title = programme_store.get_version(session, programme_id=programme_id,
                                            version=version).programme.title
        if title is not None:
            return dict(title.root)
    try:
        credential = read_credential(document)
    except MalformedCredentialError:
        return {}
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    name = achievement.get("name") if isinstance(achievement, Mapping) else None
    return {"ja": name, "en": name} if isinstance(name, str) and name.strip() else {}
