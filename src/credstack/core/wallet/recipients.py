"""Whose a credential is: the recipient it names, matched against a learner's identifiers.

A learner has several identifiers (e-mail addresses, student numbers, DIDs, URLs …); a
credential names its recipient in the way its format allows:

* Open Badges 3.0 and other VCs, CLR 2.0: ``credentialSubject.id`` (a DID, a URL, a
  ``mailto:`` address) and ``credentialSubject.identifier``, ``IdentityObject`` entries of an
  ``identityType`` with an ``identityHash`` that is the value itself (``hashed: false``) or
  ``sha256$`` + the hex SHA-256 of the value followed by the ``salt``;
* a VC-JWT: the same, inside the ``vc`` claim when there is one, and the ``sub`` claim;
* Open Badges 2.0: the assertion's ``recipient`` (``type``, ``identity``, ``hashed``,
  ``salt``).

:func:`recipient_of` says whether one of the identifiers is named (and which), whether the
credential names nobody (then it cannot be anybody else's), or whether it names someone
else. A learner's name (``identityType: name``) is what people read, never an identifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from credstack.core.credentials.openbadges_v2.recipients import recipient_matches
from credstack.core.descriptors.models import IdentifierType

__all__ = ["Claim", "Identifier", "Recipient", "RecipientOutcome", "claims_of", "normalise",
           "recipient_of"]


@dataclass(frozen=True, slots=True)
class Identifier:
    """One of a learner's identifiers, normalised (:func:`normalise`)."""

    kind: IdentifierType
    value: str

    def label(self) -> str:
        return f"{self.kind.value}:{self.value}"


@dataclass(frozen=True, slots=True)
class Claim:
    """One way a credential names its recipient."""

    #: Where in the credential (``credentialSubject.identifier[0]``, ``recipient`` …).
    where: str
    #: ``identityType`` (OB 3.0), ``type`` (OB 2.0), or ``id`` for a subject's ``id``.
    kind: str
    #: The value, or its hash (``sha256$…``) when ``hashed``.
    identity: str
    hashed: bool
    salt: str | None = None

    def names(self, identifier: Identifier) -> bool:
        """Whether this claim names ``identifier`` (hashed claims by hashing it)."""
        if not _compatible(self.kind, self.identity, identifier.kind, hashed=self.hashed):
            return False
        candidates = [identifier.value]
        if identifier.kind is IdentifierType.EMAIL and self.kind == "id":
            candidates = [f"mailto:{identifier.value}"]
        recipient = {"identity": self.identity, "hashed": self.hashed, "salt": self.salt}
        return any(recipient_matches(recipient, candidate) for candidate in candidates)


class RecipientOutcome(StrEnum):
    #: One of the learner's identifiers is named.
    MATCHED = "matched"
    #: The credential names no recipient: nothing says it is anybody else's.
    UNNAMED = "unnamed"
    #: It names a recipient, and none of the learner's identifiers is that recipient.
    SOMEONE_ELSE = "someone-else"


@dataclass(frozen=True, slots=True)
class Recipient:
    outcome: RecipientOutcome
    #: The identifier named (``MATCHED`` only).
    identifier: Identifier | None
    claims: tuple[Claim, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome.value,
                "identifier": self.identifier.label() if self.identifier else None,
                "claims": [{"where": c.where, "type": c.kind, "hashed": c.hashed}
                           for c in self.claims]}


#: OB 3.0 ``identityType`` and OB 2.0 ``type`` values, by the identifier kind they hold.
_KINDS: Final[Mapping[str, IdentifierType]] = {
    "emailAddress": IdentifierType.EMAIL,
    "email": IdentifierType.EMAIL,
    "sisSourcedId": IdentifierType.STUDENT_ID,
    "studentId": IdentifierType.STUDENT_ID,
    "nationalIdentityNumber": IdentifierType.NATIONAL_ID,
    "url": IdentifierType.URL,
}


def normalise(kind: IdentifierType, value: str) -> Identifier:
    """The form identifiers are stored and compared in: trimmed; e-mail addresses in lower
    case (the form issuers hash); ``mailto:`` dropped from an e-mail address."""
    text = value.strip()
    if kind is IdentifierType.EMAIL:
        text = text.removeprefix("mailto:").lower()
    return Identifier(kind, text)


def _compatible(claim_kind: str, identity: str, kind: IdentifierType, *, hashed: bool) -> bool:
    if claim_kind == "id" and not hashed:
        if identity.startswith("mailto:"):
            return kind is IdentifierType.EMAIL
        if identity.startswith("did:"):
            return kind is IdentifierType.DID
        return kind in {IdentifierType.URL, IdentifierType.OTHER}
    known = _KINDS.get(claim_kind)
    # A generic type ("identifier", "id", "telephone" …) may hold any kind of identifier.
    return known is None or known is kind


def _identity_objects(values: object, where: str) -> Iterable[Claim]:
    entries = values if isinstance(values, list) else [values]
    for index, item in enumerate(entries):
        if not isinstance(item, Mapping):
            continue
        kind, value = item.get("identityType"), item.get("identityHash")
        if not isinstance(kind, str) or not isinstance(value, str) or kind == "name":
            continue
        salt = item.get("salt")
        place = f"{where}.identifier[{index}]" if isinstance(values, list) else \
            f"{where}.identifier"
        yield Claim(place, kind, value, item.get("hashed") is not False,
                    salt if isinstance(salt, str) else None)


def _subject_claims(document: Mapping[str, Any], where: str) -> list[Claim]:
    subjects = document.get("credentialSubject")
    listed = subjects if isinstance(subjects, list) else [subjects]
    claims: list[Claim] = []
    for index, subject in enumerate(listed):
        if not isinstance(subject, Mapping):
            continue
        place = f"{where}credentialSubject" + (f"[{index}]" if isinstance(subjects, list)
                                                else "")
        subject_id = subject.get("id")
        if isinstance(subject_id, str) and subject_id.strip():
            claims.append(Claim(f"{place}.id", "id", subject_id.strip(), False))
        claims.extend(_identity_objects(subject.get("identifier"), place))
    return claims


def _edc_claims(document: Mapping[str, Any]) -> list[Claim]:
    """How a European Digital Credential names its learner: a DID as the subject's ``id``
    (ELM 3.2), and each ``mailto:`` address of its contact points. A local node id
    (``urn:epass:person:1``) names no one outside the credential."""
    subjects = document.get("credentialSubject")
    subject = subjects[0] if isinstance(subjects, list) and subjects else subjects
    if not isinstance(subject, Mapping):
        return []
    claims: list[Claim] = []
    subject_id = subject.get("id")
    if isinstance(subject_id, str) and subject_id.startswith("did:"):
        claims.append(Claim("credentialSubject.id", "id", subject_id, False))
    points = subject.get("contactPoint")
    for index, point in enumerate(points if isinstance(points, list) else [points]):
        mail = point.get("emailAddress") if isinstance(point, Mapping) else None
        for address in mail if isinstance(mail, list) else [mail]:
            value = address.get("id") if isinstance(address, Mapping) else address
            if isinstance(value, str) and value.startswith("mailto:"):
                claims.append(Claim(f"credentialSubject.contactPoint[{index}].emailAddress",
                                    "id", value, False))
    return claims


def claims_of(document: Mapping[str, Any]) -> list[Claim]:
    """Every way ``document`` (a credential as JSON, or a VC-JWT's claims) names its
    recipient, in document order."""
    kinds = document.get("type")
    if "EuropeanDigitalCredential" in (kinds if isinstance(kinds, list) else [kinds]):
        return _edc_claims(document)
    recipient = document.get("recipient")
    if isinstance(recipient, Mapping) and isinstance(recipient.get("identity"), str):
        kind = recipient.get("type")
        salt = recipient.get("salt")
        return [Claim("recipient", kind if isinstance(kind, str) else "email",
                      recipient["identity"], recipient.get("hashed") is True,
                      salt if isinstance(salt, str) else None)]
    claims: list[Claim] = []
    vc = document.get("vc")
    if isinstance(vc, Mapping):
        claims.extend(_subject_claims(vc, "vc."))
    claims.extend(_subject_claims(document, ""))
    subject = document.get("sub")
    if isinstance(subject, str) and subject.strip() and not any(
            claim.kind == "id" and claim.identity == subject.strip() for claim in claims):
        claims.append(Claim("sub", "id", subject.strip(), False))
    return claims


def recipient_of(document: Mapping[str, Any] | None, identifiers: Sequence[Identifier]
                 ) -> Recipient:
    """Whether ``document`` is the credential of the learner with ``identifiers``
    (``None``: a document whose recipient cannot be read, as an unsigned PDF certificate's)."""
    claims = tuple(claims_of(document)) if document is not None else ()
    if not claims:
        return Recipient(RecipientOutcome.UNNAMED, None, ())
    for identifier in identifiers:
        if any(claim.names(identifier) for claim in claims):
            return Recipient(RecipientOutcome.MATCHED, identifier, claims)
    return Recipient(RecipientOutcome.SOMEONE_ELSE, None, claims)
