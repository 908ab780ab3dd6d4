"""Reading a programme's descriptors back from an Achievement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.credentials.openbadges_v3.achievement import _snake
from credstack.core.credentials.openbadges_v3.profile import (
    _LANGUAGE_MAPS,
    _UNDETERMINED,
    EXTENSION_PROPERTY,
)
from credstack.errors import MalformedCredentialError, Problem


def _from_extension(value: Any, key: str | None = None) -> Any:
    """The inverse of :func:`_to_extension`, dropping JSON-LD ``id``/``type`` members."""
    if key in _LANGUAGE_MAPS:
        return value
    if isinstance(value, dict):
        return {
            _snake(k): _from_extension(v, _snake(k))
            for k, v in value.items()
            if k not in {"id", "type", "@id", "@type"}
        }
    if isinstance(value, list):
        return [_from_extension(item) for item in value]
    return value


def descriptors_from_achievement(achievement: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document an OB 3.0 ``Achievement`` states, for ``Programme``.

    From a credstack achievement this is the programme's whole descriptor document. From a
    foreign one without the extension, only what the standard's own fields say: the code
    (``humanCode``), the title and description (language undetermined, ``und``), the
    language and the skills aligned by URL. The result is not validated here: pass it to
    :meth:`Programme.model_validate` (or the framework validation) to judge it.
    """
    document: dict[str, Any] = {}
    code = achievement.get("humanCode")
    if isinstance(code, str):
        document["code"] = code
    extension = achievement.get(EXTENSION_PROPERTY)
    if isinstance(extension, Mapping):
        descriptors = _from_extension(dict(extension))
        descriptors.pop("credits_available_system", None)
        if isinstance(descriptors.get("awarding_body"), dict):
            body = descriptors["awarding_body"]
            if "slug" in body:
                descriptors["awarding_body"] = {"id": body.pop("slug"), **body}
        document.update(descriptors)
    for field, name in (("title", "name"), ("description", "description")):
        if field not in document and isinstance(achievement.get(name), str):
            document[field] = {_UNDETERMINED: achievement[name]}
    if "languages" not in document and isinstance(achievement.get("inLanguage"), str):
        document["languages"] = [achievement["inLanguage"]]
    if "skills" not in document:
        skills = [
            {
                "name": {_UNDETERMINED: alignment["targetName"]},
                "url": alignment["targetUrl"],
                **({"framework": alignment["targetFramework"]}
                   if "targetFramework" in alignment else {}),
                **({"code": alignment["targetCode"]} if "targetCode" in alignment else {}),
            }
            for alignment in achievement.get("alignment") or ()
            if isinstance(alignment, Mapping)
            and isinstance(alignment.get("targetName"), str)
            and isinstance(alignment.get("targetUrl"), str)
        ]
        if skills:
            document["skills"] = skills
    return document


def descriptors_from_credential(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptor document of the achievement an ``OpenBadgeCredential`` awards.

    Raises :class:`~credstack.errors.MalformedCredentialError` when the credential has no
    ``credentialSubject.achievement`` object.
    """
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if not isinstance(achievement, Mapping):
        raise MalformedCredentialError(
            "the credential awards no achievement",
            problems=[Problem("credentialSubject.achievement", "an object is required")],
        )
    return descriptors_from_achievement(achievement)
