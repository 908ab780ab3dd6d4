"""A credential credstack issued (Open Badges 3.0) as a European Digital Credential.

The EDC says what the signed Open Badges credential says, nothing more — as the PDF
certificate does (:mod:`credstack.core.certificates.content`): the programme from credstack's
descriptor extension, the learner's names as the credential states them (one per language),
the award date (``awardedDate``, else ``validFrom``), the grade (``result``). The mapping of
OB 3.0 to ELM follows the one impierce's credential converter publishes (``credentialSubject``
→ ``Person``, the achievement → a ``LearningAchievement`` specified by the programme, the
issuer → the awarding body), with credstack's descriptors mapped by :mod:`.export`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from credstack.core.credentials.openbadges_v3 import (
    descriptors_from_credential,
    learner_name,
    learner_names,
)
from credstack.core.descriptors.elm.export import PROFILE_31, Learner, Profile, edc_credential
from credstack.core.descriptors.interchange import parse_programme
from credstack.core.organisations import Organisation
from credstack.errors import MalformedCredentialError, Problem

__all__ = ["edc_of_openbadge"]


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = dt.datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _subject(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    subject = credential.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, Mapping):
        raise MalformedCredentialError("the credential has no subject", problems=[
            Problem("credentialSubject", "an object is required", "オブジェクトが必要です")])
    return subject


def edc_of_openbadge(credential: Mapping[str, Any], *, organisation: Organisation,
                     issued: dt.datetime, images: Mapping[str, bytes],
                     primary_language: str = "ja", profile: Profile = PROFILE_31,
                     public_url: str | None = None) -> dict[str, Any]:
    """The EDC (unsealed) of ``credential``, an OB 3.0 credential credstack issued with its
    descriptor extension; ``issued`` is when the EDC is made."""
    credential_id = credential.get("id")
    if not isinstance(credential_id, str) or not credential_id:
        raise MalformedCredentialError("the credential has no id", problems=[
            Problem("id", "an EDC names the credential it stands for",
                    "EDC は元の証明の id を記載します")])
    programme = parse_programme(descriptors_from_credential(credential),
                                source="credentialSubject.achievement")
    subject = _subject(credential)
    names = learner_names(subject)
    by_language = {tag: name for tag in ("ja", "en")
                   if (name := learner_name(names, tag)) is not None}
    results = subject.get("result")
    grade = next((item.get("value") for item in (results if isinstance(results, list) else [])
                  if isinstance(item, Mapping) and isinstance(item.get("value"), str)), None)
    awarded = (_moment(credential.get("awardedDate")) or _moment(credential.get("validFrom"))
               or issued)
    return edc_credential(
        credential_id=credential_id, programme=programme, organisation=organisation,
        learner=Learner(names=by_language), awarded=awarded, issued=issued,
        images=images,
        grade=grade, primary_language=primary_language, profile=profile,
        public_url=public_url)
