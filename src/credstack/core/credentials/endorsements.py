"""Open Badges 3.0 endorsement credentials: a recognition body's recognition of a programme.

Specification: *Open Badges Specification v3.0*, 1EdTech Consortium, Final Release of
27 May 2024, https://www.imsglobal.org/spec/ob/v3p0/ — §5 ``EndorsementCredential`` (a
Verifiable Credential 2.0 whose ``credentialSubject`` is an ``EndorsementSubject``: the
``id`` of what is endorsed and an ``endorsementComment``, Markdown) and §9 "Endorsement
verification" (the same steps as any credential: schema, proof, status, dates).

When the committee recognises a programme version, the recognition body issues one of these
about the version's ``Achievement`` (its id is the achievement URL every learner credential of
that version carries). :func:`build_endorsement_credential` makes the *unsigned* credential —
the issuing layer adds the status entry (revocation: withdrawing the recognition revokes it)
and the proof. The comment states, in Japanese then English, the outcome, the conditions, the
decision number and the public page of the decision; the validity period is the
recognition's (``validFrom`` / ``validUntil``).

:func:`read_endorsement` recognises an ``EndorsementCredential`` (ours or anyone's) and reads
what a verifier needs: what it endorses, who says so, and for how long.

Pure: ids, dates and texts are parameters; no clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.credentials.openbadges_v3 import OB_CONTEXT_URL, VC_CONTEXT_URL, IssuerProfile
from credstack.core.credentials.type_names import type_names
from credstack.core.review.labels import Label
from credstack.core.review.outcomes import Outcome, granting_outcome
from credstack.core.said import Said, Words
from credstack.core.types import MultilingualText
from credstack.errors import InputError, MalformedCredentialError, Problem

__all__ = [
    "DECISION_PATH",
    "ENDORSEMENT_SUBJECT_TYPE",
    "ENDORSEMENT_TYPE",
    "Endorsement",
    "build_endorsement_credential",
    "decision_url",
    "endorsement_comment",
    "is_endorsement",
    "read_endorsement",
]

ENDORSEMENT_TYPE: Final = "EndorsementCredential"
ENDORSEMENT_SUBJECT_TYPE: Final = "EndorsementSubject"
#: The transparency page of one decision, under the public URL.
DECISION_PATH: Final = "/recognition/decisions/{number}"
#: What a decision number may look like in a URL path (``R-2026-0001``).
#: The keys of the credential's words and of the refusals (the committee's: ja/en).
_SAID: Final = "recognition.review.endorsement."
_REFUSED: Final = "recognition.review.refused.endorsement."
_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def decision_url(public_url: str, number: str) -> str:
    """The public page of decision ``number`` (the transparency page)."""
    return public_url.rstrip("/") + DECISION_PATH.format(number=number)


def _timestamp(moment: dt.datetime, name: str) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(code=f"{_REFUSED}no_time_zone", params={"name": name}, problems=[
            Problem(name, code=f"{_REFUSED}aware")])
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _title(title: MultilingualText | None, language: str) -> str:
    if title is None:
        return ""
    return title.text(language, "ja", "en")


def endorsement_comment(*, outcome: Outcome, conditions: Label | None, decision_number: str,
                        decision_page: str, body_name: MultilingualText,
                        programme_title: MultilingualText | None, words: Words) -> str:
    """The Markdown ``endorsementComment``: Japanese, a blank line, English (``words`` word
    its lines, ``recognition.review.endorsement.*``)."""
    parts: list[str] = []
    for language in ("ja", "en"):
        label = outcome.label.text(language)
        body = body_name.text(language, "ja", "en")
        title = _title(programme_title, language)
        lines = [Said(f"{_SAID}heading_titled", label=label, body=body, title=title) if title
                 else Said(f"{_SAID}heading", label=label, body=body),
                 Said(f"{_SAID}number", number=decision_number)]
        if conditions is not None and conditions.text(language):
            lines.append(Said(f"{_SAID}conditions", conditions=conditions.text(language)))
        lines.append(Said(f"{_SAID}page", page=decision_page))
        parts.append("  \n".join(words(line, language) for line in lines))
    return "\n\n".join(parts)


def build_endorsement_credential(*, issuer: IssuerProfile, credential_id: str,
                                 achievement_id: str, outcome: Outcome | str,
                                 conditions: Label | None, decision_number: str,
                                 decision_page: str, valid_from: dt.datetime,
                                 valid_until: dt.datetime | None,
                                 words: Words, programme_title: MultilingualText | None = None,
                                 language: str = "ja") -> dict[str, Any]:
    """The unsigned ``EndorsementCredential`` of one recognition decision.

    ``issuer`` is the recognition body (its did:web profile), ``achievement_id`` the
    recognised programme version's achievement URL, ``decision_page`` the public page of
    the decision; ``words`` word its name, description and comment. Refused
    (:class:`~credstack.errors.InputError`) for an outcome that grants no recognition, a
    malformed decision number, or a period that ends before it starts.
    """
    chosen = granting_outcome(outcome)
    if not _NUMBER.fullmatch(decision_number):
        raise InputError(code=f"{_REFUSED}number", problems=[Problem(
            "decision_number", code=f"{_REFUSED}number_characters")])
    start = _timestamp(valid_from, "valid_from")
    end = _timestamp(valid_until, "valid_until") if valid_until is not None else None
    if valid_until is not None and valid_until <= valid_from:
        raise InputError(code=f"{_REFUSED}period", problems=[
            Problem("valid_until", code=f"{_REFUSED}after_start")])
    body = issuer.name
    title = _title(programme_title, language)
    label = chosen.label
    name = words(Said(f"{_SAID}name_titled", label=label.text(language), number=decision_number,
                      title=title), language) if title else words(
        Said(f"{_SAID}name", label=label.text(language), number=decision_number), language)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT_URL, OB_CONTEXT_URL],
        "id": credential_id,
        "type": ["VerifiableCredential", ENDORSEMENT_TYPE],
        "name": name,
        "description": str(Label(*(
            words(Said(f"{_SAID}description", number=decision_number,
                       body=body.text(language, "en" if language == "ja" else "ja")), language)
            for language in ("ja", "en")))),
        "issuer": issuer.to_profile(language),
        "validFrom": start,
    }
    if end is not None:
        credential["validUntil"] = end
    credential["credentialSubject"] = {
        "id": achievement_id,
        "type": [ENDORSEMENT_SUBJECT_TYPE],
        "endorsementComment": endorsement_comment(
            outcome=chosen, conditions=conditions, decision_number=decision_number,
            decision_page=decision_page, body_name=body, programme_title=programme_title,
            words=words),
    }
    return credential


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Endorsement:
    """What an endorsement credential says: who endorses what, and for how long."""

    credential_id: str | None
    #: The ``id`` of what is endorsed (for a recognition: an achievement URL).
    endorsed_id: str
    issuer_id: str
    issuer_name: str | None
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    comment: str | None


def is_endorsement(credential: Mapping[str, Any]) -> bool:
    """Whether ``credential`` says it is an ``EndorsementCredential``."""
    return ENDORSEMENT_TYPE in type_names(credential.get("type"))


def _moment(value: object, name: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    raise MalformedCredentialError(code=f"{_REFUSED}not_a_moment", params={"name": name},
                                   problems=[Problem(name, code=f"{_REFUSED}date_time",
                                                     params={"value": repr(value)})])


def read_endorsement(credential: Mapping[str, Any]) -> Endorsement:
    """The claim of an ``EndorsementCredential``; raises
    :class:`~credstack.errors.MalformedCredentialError` naming the field when it is not one."""
    if not is_endorsement(credential):
        raise MalformedCredentialError(code=f"{_REFUSED}not_one", problems=[
            Problem("type", code=f"{_REFUSED}must_include", params={
                "type": repr(ENDORSEMENT_TYPE)})])
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping) or not isinstance(subject.get("id"), str):
        raise MalformedCredentialError(code=f"{_REFUSED}nothing_endorsed", problems=[
            Problem("credentialSubject.id", code=f"{_REFUSED}endorsed_id")])
    if ENDORSEMENT_SUBJECT_TYPE not in type_names(subject.get("type")):
        raise MalformedCredentialError(code=f"{_REFUSED}not_a_subject", problems=[
            Problem("credentialSubject.type", code=f"{_REFUSED}must_include", params={
                "type": repr(ENDORSEMENT_SUBJECT_TYPE)})])
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(issuer_id, str):
        raise MalformedCredentialError(code=f"{_REFUSED}no_issuer", problems=[
            Problem("issuer", code=f"{_REFUSED}issuer")])
    name = issuer.get("name") if isinstance(issuer, Mapping) else None
    own_id = credential.get("id")
    comment = subject.get("endorsementComment")
    version_one = "issuanceDate" in credential and "validFrom" not in credential
    return Endorsement(
        credential_id=own_id if isinstance(own_id, str) else None,
        endorsed_id=subject["id"], issuer_id=issuer_id,
        issuer_name=name if isinstance(name, str) else None,
        valid_from=_moment(credential.get("issuanceDate" if version_one else "validFrom"),
                           "validFrom"),
        valid_until=_moment(credential.get("expirationDate" if version_one else "validUntil"),
                            "validUntil"),
        comment=comment if isinstance(comment, str) else None)
