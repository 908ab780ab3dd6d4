"""From an issued Open Badges 3.0 credential to what its certificate says, in one of the eight
languages (:data:`~credstack.core.certificates.models.LANGUAGES`).

The certificate is another rendering of the same record: everything on it is read from the
credential itself — the learner's name as the credential states it, the programme's
descriptors from credstack's extension (:func:`~credstack.core.credentials.openbadges_v3.
descriptors_from_credential`), the date it was awarded, its id — so the PDF can never say
more than the signed credential it carries.

Pure: the verification page's URL is a parameter (the adapter knows the public address).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote

from credstack.core import vocabularies
from credstack.core.certificates.models import (
    LANGUAGES,
    Captions,
    CertificateContent,
    Language,
    SummaryRow,
)
from credstack.core.credentials.openbadges_v3 import (
    descriptors_from_credential,
    learner_name,
    learner_names,
)
from credstack.core.credentials.openbadges_v3.profile import CREDIT_RECOGNITION_TYPE
from credstack.core.dates import day_text
from credstack.core.descriptors.achievement import EXTENSION_PROPERTY
from credstack.core.descriptors.catalogue import credit_systems
from credstack.core.descriptors.interchange import parse_programme
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import CreditSystem, Programme
from credstack.core.types import MultilingualText
from credstack.errors import CredstackError, InputError, MalformedCredentialError, Problem

__all__ = ["SUMMARY", "certificate_content", "language_of", "learner_name", "read_credential",
           "summary_rows", "verification_url"]

#: The descriptors a certificate sums up, in this order (as the verification page does; the
#: awarding body has its own place, at the foot of the page).
SUMMARY: Final = ("learner_effort", "form_of_participation", "languages",
                  "assessment", "levels", "quality_assurance", "certification",
                  "credit_recognition", "stackability")

#: The certificate's fixed words, by language (the ``certificate-phrase`` vocabulary).
_WORDS: Final[Mapping[Language, Mapping[str, str]]] = {
    language: vocabularies.names("certificate-phrase", language) for language in LANGUAGES}


def language_of(value: str) -> Language:
    """One of :data:`LANGUAGES`; :class:`InputError` naming the choice otherwise."""
    for language in LANGUAGES:
        if value == language:
            return language
    raise InputError(f"certificates are written in {', '.join(LANGUAGES)}, not {value!r}",
                     problems=[Problem("language", f"use one of {', '.join(LANGUAGES)}")])


def verification_url(public_url: str, credential_id: str) -> str:
    """The page that verifies one of this deployment's credentials: ``/verify/<id>``."""
    return f"{public_url.rstrip('/')}/verify/{quote(credential_id, safe=':')}"


def read_credential(document: str) -> dict[str, Any]:
    """The credential in ``document``: JSON, or the claims of a VC-JWT (``vc`` when the JWT
    wraps it). Read only — nothing is verified here.

    Raises :class:`~credstack.errors.MalformedCredentialError` when it is neither.
    """
    text = document.strip().removeprefix("\ufeff")
    try:
        if text.startswith("{"):
            value = json.loads(text)
        else:
            part = text.split(".")[1]
            value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            if isinstance(value, dict) and isinstance(value.get("vc"), dict):
                value = value["vc"]
    except (ValueError, IndexError, binascii.Error, RecursionError):
        raise MalformedCredentialError("the credential is neither JSON nor a VC-JWT") from None
    if not isinstance(value, dict):
        raise MalformedCredentialError("the credential is not a JSON object")
    return value


def _number(value: Decimal | int) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


def _text(value: MultilingualText | None, language: Language) -> str | None:
    return value.text(language, "en", "ja") if value is not None else None


def _unit(system: CreditSystem, amount: Decimal, language: Language) -> str:
    """A credit system's unit after ``amount``: as credstack always wrote it in Japanese and
    English, the ``credit-unit`` vocabulary's one form in the other languages (CLDR)."""
    if language in {"ja", "en"}:
        return credit_systems()[system].unit_for(amount, language)
    return vocabularies.name("credit-unit", system.value, language) or system.value


def _join(items: Iterable[str], words: Mapping[str, str]) -> str:
    return words["separator"].join(item for item in items if item)


def _summary_value(key: str, programme: Programme, language: Language,
                   words: Mapping[str, str]) -> str | None:
    if key == "learner_effort":
        effort = programme.learner_effort
        if effort is None:
            return None
        parts = [words["hours"].format(n=_number(effort.hours))]
        parts += [f"{_number(credit.value)} {_unit(credit.system, credit.value, language)}"
                  for credit in effort.credits]
        if effort.duration_weeks is not None:
            parts.append(words["weeks"].format(n=effort.duration_weeks))
        return words["and"].join(parts)
    if key == "form_of_participation":
        form = programme.form_of_participation
        if form is None:
            return None
        parts = [label(form.mode, language)]
        if form.pace is not None:
            parts.append(label(form.pace, language))
        return words["and"].join(parts)
    if key == "languages":
        return _join((vocabularies.names("language", language).get(
            tag.split("-", 1)[0].lower(), tag) for tag in programme.languages), words) or None
    if key == "assessment":
        assessment = programme.assessment
        if assessment is None:
            return None
        text = _join((label(method, language) for method in assessment.methods), words)
        if assessment.supervision is not None:
            text = words["and"].join([text, label(assessment.supervision, language)])
        return text
    if key == "levels":
        return _join((words["level"].format(framework=level.framework.value, level=level.level)
                      for level in programme.levels), words) or None
    if key == "quality_assurance":
        return _join((words["by_body"].format(kind=label(item.kind, language),
                                              body=_text(item.body, language))
                      if item.body else label(item.kind, language)
                      for item in programme.quality_assurance), words) or None
    if key == "certification":
        found = programme.certification
        return _join((label(kind, language) for kind in found.kinds), words) if found else None
    if key == "credit_recognition":
        recognition = programme.credit_recognition
        return (_join((label(kind, language) for kind in recognition.kinds), words)
                if recognition else None)
    if key == "stackability":
        stack = programme.stackability
        if stack is None:
            return None
        if not stack.stackable:
            return words["not_stackable"]
        targets = _join((_text(target.title, language) or "" for target in stack.targets), words)
        return words["stackable_toward"].format(targets=targets) if targets else \
            words["stackable"]
    return None


def summary_rows(programme: Programme, language: Language) -> tuple[SummaryRow, ...]:
    """The descriptors of :data:`SUMMARY` the programme states, named and written out."""
    words = _WORDS[language]
    rows = []
    for key in SUMMARY:
        value = _summary_value(key, programme, language, words)
        if value:
            rows.append(SummaryRow(key, words[f"row_{key}"], value))
    return tuple(rows)


def _subject(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        raise MalformedCredentialError("the credential has no subject", problems=[
            Problem("credentialSubject", "an object is required")])
    return subject


def _date(value: object, language: Language) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day_text(day, language)


def _programme(credential: Mapping[str, Any]) -> Programme | None:
    try:
        return parse_programme(descriptors_from_credential(credential),
                               source="credentialSubject.achievement")
    except MalformedCredentialError:
        raise
    except CredstackError:
        # A foreign achievement without (valid) descriptors: the certificate shows what
        # the standard's own fields say, and no summary.
        return None


def certificate_content(credential: Mapping[str, Any], *, language: str,
                        public_url: str) -> CertificateContent:
    """What the certificate of ``credential`` (an OB 3.0 credential as JSON) says; its QR
    code and hint point at the verification pages under ``public_url``.

    Raises :class:`~credstack.errors.MalformedCredentialError` when the credential has no id,
    no subject or no achievement, and :class:`~credstack.errors.InputError` for a language
    not among :data:`LANGUAGES`.
    """
    chosen = language_of(language)
    words = _WORDS[chosen]
    credential_id = credential.get("id")
    if not isinstance(credential_id, str) or not credential_id:
        raise MalformedCredentialError("the credential has no id", problems=[
            Problem("id", "a certificate names the credential it stands for")])
    subject = _subject(credential)
    achievement = subject.get("achievement")
    if not isinstance(achievement, Mapping):
        raise MalformedCredentialError("the credential awards no achievement", problems=[
            Problem("credentialSubject.achievement", "an object is required")])
    programme = _programme(credential)
    micro = achievement.get("achievementType") == "MicroCredential"
    # A credit recognition is no programme completed: it says so, titled by what it
    # recognised toward what, in the certificate's language when the credential has it.
    credit = achievement.get("achievementType") == CREDIT_RECOGNITION_TYPE
    extension = achievement.get(EXTENSION_PROPERTY)
    titles = extension.get("title") if credit and isinstance(extension, Mapping) else None
    title = (_text(programme.title, chosen) if programme is not None else None) or \
        (titles.get(chosen) if isinstance(titles, Mapping) else None) or \
        str(achievement.get("name") or credential.get("name") or "")
    code = programme.code if programme is not None else achievement.get("humanCode")
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, Mapping) else None
    body = programme.awarding_body if programme is not None else None
    awarding = (_text(body.name, chosen) if body is not None else None) or \
        (issuer_name if isinstance(issuer_name, str) else None) or \
        (issuer.get("id") if isinstance(issuer, Mapping) else str(issuer or ""))
    name = learner_name(learner_names(subject), chosen)
    results = subject.get("result")
    grade = next((item.get("value") for item in (results if isinstance(results, list) else [])
                  if isinstance(item, Mapping) and isinstance(item.get("value"), str)), None)
    outcomes = tuple(text for text in (_text(item.statement, chosen) for item in
                                       (programme.learning_outcomes if programme else ()))
                     if text)
    heading = words["heading_credit" if credit else "heading"]
    verify_url = verification_url(public_url, credential_id)
    issued = (_date(credential.get("awardedDate"), chosen)
              or _date(credential.get("validFrom"), chosen)
              or _date(credential.get("issuanceDate"), chosen) or "")
    return CertificateContent(
        language=chosen, heading=heading,
        kind=words["credit" if credit else "micro" if micro else "badge"],
        preamble=words["preamble"],
        learner=words["honorific"].format(name=name) if name else words["no_name"],
        statement=words["statement_credit" if credit else
                        "statement_micro" if micro else "statement_badge"],
        programme_title=title, programme_code=str(code) if code else None,
        awarding_body=str(awarding), issued_on=issued, grade=grade,
        summary=summary_rows(programme, chosen) if programme is not None else (),
        outcomes=outcomes, credential_id=credential_id, verify_url=verify_url,
        captions=Captions(
            issued_on=words["issued_on"], awarding_body=words["awarding_body"],
            credential_id=words["credential_id"], programme_code=words["programme_code"],
            grade=words["grade"], outcomes=words["outcomes"], summary=words["summary"],
            verify_hint=words["verify_hint"].format(url=f"{public_url.rstrip('/')}/verify"),
            signed_note=words["signed_note"].format(issuer=awarding)),
        document_title=words["title"].format(heading=heading, programme=title),
        is_micro_credential=micro)
