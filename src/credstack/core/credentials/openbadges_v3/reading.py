"""Reading a credential back: the programme's descriptors, by the achievement it awards, and
the learner's name as the subject states it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from credstack.core.descriptors.achievement import descriptors_from_achievement
from credstack.errors import MalformedCredentialError, Problem


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


#: Kana, CJK ideographs and half-width katakana: a name written in Japanese script.
_CJK: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def learner_names(subject: Mapping[str, Any]) -> list[str]:
    """The learner's names a ``credentialSubject`` states in plain text: each unhashed
    ``identifier`` of ``identityType: name`` (credstack writes one per language), then
    ``name`` (as the Digital Credentials Consortium's credentials do)."""
    found = subject.get("identifier")
    names = [item["identityHash"] for item in (found if isinstance(found, list) else [found])
             if isinstance(item, Mapping) and item.get("identityType") == "name"
             and item.get("hashed") is False and isinstance(item.get("identityHash"), str)]
    plain = subject.get("name")
    if isinstance(plain, str):
        names.append(plain)
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def learner_name(names: Sequence[str], language: str) -> str | None:
    """The name to show: one in Japanese script for ``ja``, in Latin script otherwise.

    A credential states the learner's name once per language without saying which is
    which; the script tells them apart. Without a name in the wanted script, the first.
    """
    for name in names:
        if bool(_CJK.search(name)) == (language == "ja"):
            return name
    return names[0] if names else None
